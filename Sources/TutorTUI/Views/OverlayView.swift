import TutorCore

/// Boxes drawn over a screen: help, a hint, the reference solution and yes/no questions.
enum OverlayView {
    /// A solution file as numbered, highlighted lines. A line wider than the box wraps, its
    /// continuation marked ↳ and indented under it, so nothing is cut at the box's edge.
    static func solutionLines(_ text: String, width: Int) -> [StyledLine] {
        var highlighter = SwiftHighlighter()
        var out: [StyledLine] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = StyledLine(String(format: "%4d ", index + 1), TextStyle(.muted))
            let code = highlighter.highlight(String(line))
            guard number.width + code.width > width else {
                out.append(number + code)
                continue
            }
            let indent = String(repeating: " ", count: line.prefix { $0 == " " }.count)
            out += Wrap.wrap(code, width: width, firstPrefix: number + StyledLine(indent),
                             restPrefix: StyledLine("   ↳ ", TextStyle(.muted)) + StyledLine(indent + "    "))
        }
        return out
    }

    /// The rectangle of the large boxes (help, hint, solution).
    static func box(_ size: Size) -> (row: Int, column: Int, width: Int, height: Int) {
        let width = min(size.width - 6, 96)
        let height = size.height - 4
        return ((size.height - height) / 2, (size.width - width) / 2, width, height)
    }

    static func draw(_ overlay: Overlay, state: AppState, on screen: inout Screen) {
        switch overlay {
        case .help(let scroll):
            HelpView.draw(scroll: scroll, state: state, on: &screen)

        case .hint(let hint):
            let rect = box(state.size)
            let total = state.lessons[hint.lesson]?.hints?.hints.count ?? 0
            var keys: [(String, String)] = []
            if hint.index + 1 < total { keys.append(("h →", "next hint")) }
            if hint.index > 0 { keys.append(("←", "previous")) }
            keys += [("↑↓", "scroll"), ("esc", "close")]
            frame(rect, title: "Hint \(hint.index + 1) of \(total)", keys: keys, on: &screen)
            Chrome.scrolled(hintLines(hint, state: state, width: rect.width - 5), scroll: hint.scroll, row: rect.row + 1,
                            column: rect.column + 2, width: rect.width - 5, height: rect.height - 3, on: &screen)

        case .solution(let solution):
            let rect = box(state.size)
            guard solution.files.indices.contains(solution.file) else { return }
            let file = solution.files[solution.file]
            frame(rect, title: "Reference solution \(solution.file + 1)/\(solution.files.count): \(file.path)",
                  keys: [("←→", "other files"), ("↑↓", "scroll"), ("esc", "close")], on: &screen)
            Chrome.scrolled(solutionLines(file.text, width: rect.width - 5), scroll: solution.scroll, row: rect.row + 1,
                            column: rect.column + 2, width: rect.width - 5, height: rect.height - 3, on: &screen)

        case .confirm(let question):
            let width = min(state.size.width - 10, 72)
            var lines: [StyledLine] = []
            let title: String
            switch question {
            case .reset(let lesson, let files):
                title = "Reset lesson \(LessonNumbers.id(lesson))?"
                lines += Wrap.wrap("These files go back to how the course shipped them:", width: width - 4)
                lines += files.prefix(8).map { StyledLine("  " + $0).truncated(to: width - 4) }
                if files.count > 8 { lines.append(StyledLine("  … and \(files.count - 8) more", TextStyle(.muted))) }
                lines += Wrap.wrap("Your versions are copied to .tutor/backups/ first.", width: width - 4, style: TextStyle(.muted))
            case .solution(let lesson):
                title = "Show the solution of lesson \(LessonNumbers.id(lesson))?"
                lines += Wrap.wrap("Lesson \(LessonNumbers.id(lesson)) does not pass yet. Working it out is where the learning "
                                   + "happens: a hint (h) may be all you need.", width: width - 4)
            }
            let height = lines.count + 3
            let rect = ((state.size.height - height) / 2, (state.size.width - width) / 2, width, height)
            frame(rect, title: title, keys: [("y", "yes"), ("n", "no")], on: &screen)
            for (index, line) in lines.enumerated() {
                screen.write(line, row: rect.0 + 1 + index, column: rect.1 + 2, limit: width - 4)
            }
        }
    }

    /// Clears a rectangle and draws a border with a title on top and keys at the bottom.
    static func frame(_ rect: (row: Int, column: Int, width: Int, height: Int), title: String, keys: [(String, String)],
                      on screen: inout Screen) {
        let border = TextStyle(.accent)
        for y in rect.row..<(rect.row + rect.height) {
            screen.fill(row: y, column: rect.column, columns: rect.width)
            screen.write("│", row: y, column: rect.column, style: border)
            screen.write("│", row: y, column: rect.column + rect.width - 1, style: border)
        }
        let horizontal = String(repeating: "─", count: max(0, rect.width - 2))
        screen.write("┌" + horizontal + "┐", row: rect.row, column: rect.column, style: border)
        screen.write("└" + horizontal + "┘", row: rect.row + rect.height - 1, column: rect.column, style: border)
        screen.write(StyledLine(" \(title) ", TextStyle(.accent, bold: true)).truncated(to: rect.width - 4),
                     row: rect.row, column: rect.column + 2)
        var line = StyledLine()
        for (key, action) in keys {
            if !line.isEmpty { line.append("   ") }
            line.append(key, TextStyle(.accent, bold: true))
            line.append(" " + action)
        }
        line = StyledLine(" ") + line + StyledLine(" ")
        screen.write(line.truncated(to: rect.width - 4), row: rect.row + rect.height - 1,
                     column: rect.column + max(2, rect.width - 2 - line.width))
    }

    static func hintLines(_ hint: HintOverlay, state: AppState, width: Int) -> [StyledLine] {
        guard let hints = state.lessons[hint.lesson]?.hints?.hints, hints.indices.contains(hint.index) else { return [] }
        let entry = hints[hint.index]
        var lines = [StyledLine(entry.title, TextStyle(.accent, bold: true))]
        if let because = Hints.because(hint.reason) {
            lines += Wrap.wrap(because, width: width, style: TextStyle(.muted))
        }
        lines.append(.empty)
        lines += MarkdownRenderer.render(entry.body, width: width)
        lines.append(.empty)
        if hint.index + 1 < hints.count {
            lines += Wrap.wrap("\(hints.count - hint.index - 1) more: press h when you need the next one.", width: width,
                               style: TextStyle(.muted))
        } else {
            lines += Wrap.wrap("That was the last hint. Once the lesson passes, s shows the reference solution.", width: width,
                               style: TextStyle(.muted))
        }
        return lines
    }
}
