/// Lays Markdown blocks out as terminal lines of a given width: wrapped paragraphs, bulleted and
/// numbered lists with hanging indents, tables with box-drawing borders (cells wrap when the
/// table is wider than the screen), and fenced code with Swift highlighting. Code is never
/// wrapped (it would break ASCII diagrams); a line too long for the width ends in "›".
public enum MarkdownRenderer {
    public static func render(_ markdown: String, width: Int) -> [StyledLine] {
        render(MarkdownParser.parse(markdown), width: width)
    }

    public static func render(_ blocks: [MarkdownBlock], width: Int) -> [StyledLine] {
        let width = max(width, 10)
        var out: [StyledLine] = []
        func separate() { if let last = out.last, !last.isEmpty { out.append(.empty) } }

        for block in blocks {
            switch block {
            case .heading(let level, let text):
                separate()
                let style = level <= 2 ? TextStyle(.accent, bold: true) : TextStyle(bold: true)
                let lines = Wrap.wrap(MarkdownInline.parse(text, base: style), width: width)
                out += lines
                if level == 1 {
                    out.append(StyledLine(String(repeating: "═", count: min(width, lines.map(\.width).max() ?? 0)), TextStyle(.accent)))
                } else if level == 2 {
                    out.append(StyledLine(String(repeating: "─", count: min(width, lines.map(\.width).max() ?? 0)), TextStyle(.muted)))
                }
            case .paragraph(let text):
                separate()
                out += Wrap.wrap(MarkdownInline.parse(text), width: width)
            case .quote(let text):
                separate()
                let bar = StyledLine("│ ", TextStyle(.muted))
                out += Wrap.wrap(MarkdownInline.parse(text, base: TextStyle(.muted)), width: width, firstPrefix: bar, restPrefix: bar)
            case .list(let items):
                separate()
                for item in items {
                    let indent = String(repeating: "  ", count: item.level)
                    let marker = StyledLine(indent + " " + item.marker + " ", TextStyle(.accent))
                    let hanging = StyledLine(String(repeating: " ", count: marker.width))
                    out += Wrap.wrap(MarkdownInline.parse(item.text), width: width, firstPrefix: marker, restPrefix: hanging)
                }
            case .code(let language, let lines):
                separate()
                out += code(lines, language: language, width: width)
            case .table(let header, let rows):
                separate()
                out += table(header: header, rows: rows, width: width)
            case .rule:
                separate()
                out.append(StyledLine(String(repeating: "─", count: width), TextStyle(.muted)))
            }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    /// Code lines behind a gutter, highlighted when the language is Swift.
    static func code(_ lines: [String], language: String, width: Int) -> [StyledLine] {
        var highlighter = SwiftHighlighter()
        let isSwift = language == "swift"
        let gutter = StyledLine("  │ ", TextStyle(.muted))
        let room = width - gutter.width
        return lines.map { line in
            let body = isSwift ? highlighter.highlight(line) : StyledLine(line)
            guard body.width > room else { return gutter + body }
            var cut = StyledLine()
            for span in body.spans {
                let piece = span.text.prefix(columns: room - 1 - cut.width)
                cut.append(piece, span.style)
                if piece.count < span.text.count { break }
            }
            return gutter + cut + StyledLine("›", TextStyle(.muted))
        }
    }

    /// A table with borders; columns shrink (and their cells wrap) to fit `width`.
    static func table(header: [String], rows: [[String]], width: Int) -> [StyledLine] {
        let columnCount = max(header.count, rows.map(\.count).max() ?? 0)
        guard columnCount > 0 else { return [] }
        func cells(_ row: [String], bold: Bool) -> [StyledLine] {
            (0..<columnCount).map { index in
                index < row.count ? MarkdownInline.parse(row[index], base: bold ? .strong : .plain) : .empty
            }
        }
        let headerCells = cells(header, bold: true)
        let bodyCells = rows.map { cells($0, bold: false) }
        var widths = (0..<columnCount).map { column in
            ([headerCells[column]] + bodyCells.map { $0[column] }).map(\.width).max() ?? 1
        }
        widths = widths.map { max($0, 1) }
        // Borders and padding: "│ a │ b │" takes 3 per column plus 1.
        let room = width - (3 * columnCount + 1)
        while widths.reduce(0, +) > room, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 3 {
            widths[widest] -= 1
        }
        let border = TextStyle(.muted)
        func rule(_ left: String, _ middle: String, _ right: String) -> StyledLine {
            StyledLine(left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right, border)
        }
        func lines(_ row: [StyledLine]) -> [StyledLine] {
            let wrapped = row.enumerated().map { Wrap.wrap($1, width: widths[$0]) }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { lineIndex in
                var line = StyledLine("│", border)
                for (column, cellLines) in wrapped.enumerated() {
                    line.append(" ")
                    line.append(lineIndex < cellLines.count ? cellLines[lineIndex].fitted(to: widths[column]) : StyledLine(String(repeating: " ", count: widths[column])))
                    line.append(" ")
                    line.append("│", border)
                }
                return line
            }
        }
        var out = [rule("┌", "┬", "┐")]
        out += lines(headerCells)
        out.append(rule("├", "┼", "┤"))
        for row in bodyCells { out += lines(row) }
        out.append(rule("└", "┴", "┘"))
        return out
    }
}
