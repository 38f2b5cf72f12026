import Foundation
import TutorCore

/// A lesson: its text (Markdown, scrollable) and its test results, side by side on wide
/// terminals, else as two tabs that Tab switches between.
enum LessonView {
    static func draw(_ state: AppState, number: Int, on screen: inout Screen) {
        guard let lesson = state.lesson(number) else { return }
        let page = state.lessons[number] ?? LessonPage(number: number)
        let size = state.size
        var title = StyledLine(state.course.title, TextStyle(.accent, bold: true))
        title.append("  ›  Lesson \(lesson.id) · \(lesson.title)", TextStyle(bold: true))
        Chrome.header(title, status: state.activity != nil ? Chrome.activityStatus(state) : watchStatus(state, lesson: lesson),
                      on: &screen)

        let textPane = Layout.lessonTextPane(size)
        let resultsPane = Layout.lessonResultsPane(size)
        let height = Layout.lessonPaneHeight(size)
        let top = Layout.headerRows + 1
        let tabRow = Layout.headerRows
        let testsTitle = "Tests" + resultsBadge(page, state: state, lesson: lesson)
        if Layout.lessonIsSplit(size) {
            screen.write(tab("Lesson text", active: page.focus == .text), row: tabRow, column: textPane.column - 1)
            screen.write(tab(testsTitle, active: page.focus == .results), row: tabRow, column: resultsPane.column - 1)
            Chrome.scrolled(textLines(page, state: state), scroll: page.textScroll, row: top, column: textPane.column,
                            width: textPane.width, height: height, on: &screen)
            let separator = textPane.column + textPane.width + 1
            for y in tabRow..<(top + height) where screen[y, separator].text == " " {
                screen.write("│", row: y, column: separator, style: TextStyle(.muted))
            }
            Chrome.scrolled(ResultsView.lines(page, state: state), scroll: page.resultsScroll, row: top,
                            column: resultsPane.column, width: resultsPane.width - 1, height: height, on: &screen)
        } else {
            var tabs = tab("Lesson text", active: page.focus == .text)
            tabs.append(" ")
            tabs.append(tab(testsTitle, active: page.focus == .results))
            tabs.append("  tab switches", TextStyle(.muted))
            screen.write(tabs, row: tabRow, column: 1)
            if page.focus == .text {
                Chrome.scrolled(textLines(page, state: state), scroll: page.textScroll, row: top, column: textPane.column,
                                width: textPane.width, height: height, on: &screen)
            } else {
                Chrome.scrolled(ResultsView.lines(page, state: state), scroll: page.resultsScroll, row: top,
                                column: resultsPane.column, width: resultsPane.width - 1, height: height, on: &screen)
            }
        }
        Chrome.footer(keys: keys(state, lesson: lesson), state: state, on: &screen)
    }

    static func tab(_ title: String, active: Bool) -> StyledLine {
        StyledLine(" \(title) ", active ? TextStyle(.accent, bold: true, reverse: true) : TextStyle(.muted))
    }

    /// "✗ 3/12" after the Tests tab title.
    static func resultsBadge(_ page: LessonPage, state: AppState, lesson: Course.Lesson) -> String {
        if state.activity?.kind == .tests(lesson: lesson.number) { return " " + Chrome.spinner(since: state.activity!.started, now: state.now) }
        guard let report = page.report else { return "" }
        if report.problem != nil { return " !" }
        if !report.compileErrors.isEmpty { return " ⚠ does not compile" }
        return report.allPassed ? " ✓ \(report.passedCount)/\(report.results.count)" : " ✗ \(report.passedCount)/\(report.results.count)"
    }

    static func watchStatus(_ state: AppState, lesson: Course.Lesson) -> StyledLine {
        guard lesson.written else { return .empty }
        guard state.watch.enabled else { return StyledLine("○ watch off (w)", TextStyle(.muted)) }
        if state.watch.problem != nil { return StyledLine("✗ cannot watch", TextStyle(.failure)) }
        switch state.watch.mode {
        case .inotify?: return StyledLine("● watching your files", TextStyle(.success))
        case .polling?: return StyledLine("● watching (polling)", TextStyle(.warning))
        case nil: return StyledLine("○ starting to watch…", TextStyle(.muted))
        }
    }

    static func keys(_ state: AppState, lesson: Course.Lesson) -> [(String, String)] {
        if state.activity?.kind == .tests(lesson: lesson.number) {
            return [("esc", "stop the run"), ("?", "help"), ("q", "quit"), ("tab", "text ⇄ tests"), ("↑↓", "scroll")]
        }
        guard lesson.written else { return [("↑↓", "scroll"), ("esc", "back"), ("?", "help"), ("q", "quit")] }
        return [("t", "test"), ("w", "watch"), ("h", "hint"), ("s", "solution"), ("r", "reset"), ("esc", "back"),
                ("?", "help"), ("q", "quit"), ("tab", "text ⇄ tests"), ("↑↓", "scroll")]
    }

    /// The lesson text laid out for the text pane.
    static func textLines(_ page: LessonPage, state: AppState) -> [StyledLine] {
        if let problem = page.textProblem {
            return Wrap.wrap("Cannot show the lesson text: \(problem)", width: Layout.lessonTextPane(state.size).width,
                             style: TextStyle(.failure))
        }
        guard var text = page.text else { return [StyledLine("Loading the lesson…", TextStyle(.muted))] }
        text.layout(width: Layout.lessonTextPane(state.size).width)
        return text.lines
    }
}
