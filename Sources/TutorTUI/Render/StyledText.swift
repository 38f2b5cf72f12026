/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: TextStyle

    public init(_ text: String, _ style: TextStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line of styled text: what views produce and `Screen` draws.
public struct StyledLine: Equatable, Sendable, ExpressibleByStringLiteral {
    public var spans: [Span]

    public init(_ spans: [Span] = []) { self.spans = spans }
    public init(_ text: String, _ style: TextStyle = .plain) { self.spans = text.isEmpty ? [] : [Span(text, style)] }
    public init(stringLiteral value: String) { self.init(value) }

    public static let empty = StyledLine()

    /// The text without styles.
    public var text: String { spans.map(\.text).joined() }
    public var width: Int { spans.reduce(0) { $0 + $1.text.terminalWidth } }
    public var isEmpty: Bool { spans.allSatisfy(\.text.isEmpty) }

    public mutating func append(_ text: String, _ style: TextStyle = .plain) {
        guard !text.isEmpty else { return }
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text += text
        } else {
            spans.append(Span(text, style))
        }
    }

    public mutating func append(_ line: StyledLine) {
        for span in line.spans { append(span.text, span.style) }
    }

    public static func + (lhs: StyledLine, rhs: StyledLine) -> StyledLine {
        var out = lhs
        out.append(rhs)
        return out
    }

    /// The line padded with spaces (or cut with "…") to exactly `columns`.
    public func fitted(to columns: Int, fill: TextStyle = .plain) -> StyledLine {
        var out = truncated(to: columns)
        let width = out.width
        if width < columns { out.append(String(repeating: " ", count: columns - width), fill) }
        return out
    }

    /// The line cut to at most `columns`, ending in "…" when something was cut.
    public func truncated(to columns: Int) -> StyledLine {
        guard width > columns else { return self }
        guard columns > 0 else { return StyledLine() }
        var out = StyledLine()
        var remaining = columns - 1
        var lastStyle = TextStyle.plain
        for span in spans {
            lastStyle = span.style
            let piece = span.text.prefix(columns: remaining)
            out.append(piece, span.style)
            remaining -= piece.terminalWidth
            if piece.count < span.text.count { break }
        }
        out.append("…", lastStyle)
        return out
    }

    /// The line with every span's style changed by `change` (e.g. reversed for a selection).
    public func restyled(_ change: (TextStyle) -> TextStyle) -> StyledLine {
        StyledLine(spans.map { Span($0.text, change($0.style)) })
    }

    /// Drops the first `columns` columns (horizontal scrolling).
    public func dropping(columns: Int) -> StyledLine {
        guard columns > 0 else { return self }
        var out = StyledLine()
        var skip = columns
        for span in spans {
            var text = Substring(span.text)
            while skip > 0, let first = text.first {
                skip -= first.terminalWidth
                text = text.dropFirst()
            }
            out.append(String(text), span.style)
        }
        return out
    }
}
