/// Word wrapping of styled text to a width, counting terminal columns (wide characters take two).
enum Wrap {
    /// Wraps `line` to `width` columns. The first output line starts with `firstPrefix`, the
    /// others with `restPrefix` (hanging indents for list items and quotes). Words longer than a
    /// line are broken. Spaces where a line breaks are dropped.
    static func wrap(_ line: StyledLine, width: Int, firstPrefix: StyledLine = .empty, restPrefix: StyledLine = .empty) -> [StyledLine] {
        let words = tokens(line)
        var out: [StyledLine] = []
        var current = firstPrefix
        var currentWidth = firstPrefix.width
        var lineHasWord = false
        var pendingSpace: [Span] = []

        func newLine() {
            out.append(current)
            current = restPrefix
            currentWidth = restPrefix.width
            lineHasWord = false
            pendingSpace = []
        }

        for token in words {
            if token.isSpace {
                if lineHasWord { pendingSpace.append(contentsOf: token.spans) }
                continue
            }
            let spaceWidth = pendingSpace.reduce(0) { $0 + $1.text.terminalWidth }
            if lineHasWord && currentWidth + spaceWidth + token.width > width {
                newLine()
            } else if lineHasWord {
                for span in pendingSpace { current.append(span.text, span.style) }
                currentWidth += spaceWidth
            }
            pendingSpace = []
            if currentWidth + token.width <= width {
                for span in token.spans { current.append(span.text, span.style) }
                currentWidth += token.width
            } else {
                // Longer than a whole line: break it wherever the line is full.
                for span in token.spans {
                    for character in span.text {
                        let columns = character.terminalWidth
                        if lineHasWord && currentWidth + columns > width { newLine() }
                        current.append(String(character), span.style)
                        currentWidth += columns
                        lineHasWord = true
                    }
                }
            }
            lineHasWord = true
        }
        if lineHasWord || out.isEmpty { out.append(current) }
        return out
    }

    /// Wraps plain text; each "\n" starts a new paragraph.
    static func wrap(_ text: String, width: Int, style: TextStyle = .plain, indent: Int = 0) -> [StyledLine] {
        let prefix = StyledLine(String(repeating: " ", count: indent))
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { paragraph in
            wrap(StyledLine(String(paragraph), style), width: width, firstPrefix: prefix, restPrefix: prefix)
        }
    }

    private struct Token {
        var spans: [Span]
        var isSpace: Bool
        var width: Int { spans.reduce(0) { $0 + $1.text.terminalWidth } }
    }

    /// Splits styled text into words and runs of spaces, keeping styles (a word may span styles,
    /// as in `**bold**,`).
    private static func tokens(_ line: StyledLine) -> [Token] {
        var tokens: [Token] = []
        for span in line.spans {
            var piece = ""
            var pieceIsSpace = false
            func flush() {
                guard !piece.isEmpty else { return }
                if let last = tokens.last, last.isSpace == pieceIsSpace {
                    tokens[tokens.count - 1].spans.append(Span(piece, span.style))
                } else {
                    tokens.append(Token(spans: [Span(piece, span.style)], isSpace: pieceIsSpace))
                }
                piece = ""
            }
            for character in span.text {
                let isSpace = character == " "
                if isSpace != pieceIsSpace { flush(); pieceIsSpace = isSpace }
                piece.append(character)
            }
            flush()
        }
        return tokens
    }
}
