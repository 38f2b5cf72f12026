import Foundation
import TutorCore

/// A lesson's test results: each test's verdict with its message in plain words, compile errors
/// as file:line and message (first first), and the next step.
enum ResultsView {
    static let maxMessageLines = 8
    static let maxCompileErrors = 3

    static func lines(_ page: LessonPage, state: AppState) -> [StyledLine] {
        guard let lesson = state.lesson(page.number) else { return [] }
        let width = max(20, Layout.lessonResultsPane(state.size).width - 1)
        var out: [StyledLine] = []
        func paragraph(_ text: String, _ style: TextStyle = .plain, indent: Int = 0) {
            out += Wrap.wrap(text, width: width, style: style, indent: indent)
        }
        guard lesson.written else {
            paragraph("Lesson \(lesson.id) is not written yet, so it has no tests.", TextStyle(.muted))
            return out
        }

        if let note = page.runNote, state.activity == nil {
            paragraph(note, TextStyle(.warning, bold: true))
            out.append(.empty)
        }
        if let activity = state.activity, activity.kind == .tests(lesson: page.number) {
            let spinner = Chrome.spinner(since: activity.started, now: state.now)
            let elapsed = Chrome.seconds(state.now.timeIntervalSince(activity.started))
            switch activity.phase {
            case .building:
                let lessons = lesson.number == 1 ? "lesson 01" : "lessons 01–\(lesson.id)"
                paragraph("\(spinner) Building your code (\(lessons))… \(elapsed)", TextStyle(.accent, bold: true))
                paragraph("The first build takes a while; after that, a few seconds.", TextStyle(.muted))
            case .running(let total):
                paragraph("\(spinner) Running \(total) tests, each in its own process… \(page.live.count) of \(total) done · \(elapsed)",
                          TextStyle(.accent, bold: true))
            case .stopping:
                paragraph("\(spinner) Stopping…", TextStyle(.accent, bold: true))
            }
            paragraph("Esc stops the run.", TextStyle(.muted))
            out.append(.empty)
            out += testLines(page.live, width: width)
        } else if let report = page.report {
            out += reportLines(report, page: page, state: state, width: width)
        } else {
            out += lastRunLines(lesson, state: state, width: width)
        }

        out.append(.empty)
        let folder = "Lessons/\(lesson.folder)/Exercise/"
        if !state.watch.enabled {
            paragraph("Watch mode is off: press w to test on every save, or t to test now.", TextStyle(.muted))
        } else if case .polling(let reason)? = state.watch.mode {
            paragraph("Watching \(folder) by polling (\(reason)): save a file there to test again.", TextStyle(.muted))
        } else if state.watch.problem == nil {
            paragraph("Watching \(folder): save a file there and the tests run again.", TextStyle(.muted))
        }
        let unmet = state.status.unmetPrerequisites(of: lesson)
        if !unmet.isEmpty {
            paragraph("This lesson builds on \(LessonNumbers.phrase(unmet)), which do\(unmet.count == 1 ? "es" : "") not pass yet: "
                      + "its tests use that code too.", TextStyle(.warning))
        }
        out.append(.empty)
        out.append(StyledLine("Your files", TextStyle(bold: true)))
        for path in state.project.exercisePaths(lesson) { out.append(StyledLine("  " + path)) }
        return out
    }

    static func reportLines(_ report: LessonReport, page: LessonPage, state: AppState, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        var ago = ""
        if let time = page.reportTime {
            let seconds = Int(state.now.timeIntervalSince(time))
            ago = seconds < 5 ? "just now" : seconds < 120 ? "\(seconds) s ago" : "\(seconds / 60) min ago"
        }
        if let problem = report.problem {
            out += Wrap.wrap("! Could not test lesson \(report.lesson): \(problem)", width: width, style: TextStyle(.failure, bold: true))
            return out
        }
        if !report.compileErrors.isEmpty {
            let errors = report.compileErrors.filter { $0.severity == .error }
            let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
            out += Wrap.wrap("⚠ Your code does not compile (\(count), tested \(ago))", width: width, style: TextStyle(.warning, bold: true))
            out += Wrap.wrap("Fix the first error first: later ones often follow from it.", width: width)
            for error in errors.prefix(maxCompileErrors) {
                out.append(.empty)
                out.append(StyledLine("\(error.file):\(error.line):\(error.column)", TextStyle(bold: true)).truncated(to: width))
                var message = StyledLine("error: ", TextStyle(.failure, bold: true))
                message.append(error.message)
                out += Wrap.wrap(message, width: width, restPrefix: "       ")
                if let source = page.sourceLines["\(error.file):\(error.line)"] {
                    var quote = StyledLine(String(format: "%5d │ ", error.line), TextStyle(.muted))
                    quote.append(source.trimmingCharacters(in: .whitespaces))
                    out.append(quote.truncated(to: width))
                }
                for note in error.notes ?? [] {
                    out += Wrap.wrap(StyledLine(note, TextStyle(.muted)), width: width, firstPrefix: "    ", restPrefix: "      ")
                }
            }
            if errors.count > maxCompileErrors {
                out.append(.empty)
                out.append(StyledLine("… and \(errors.count - maxCompileErrors) more", TextStyle(.muted)))
            }
            out.append(.empty)
            out += Wrap.wrap("None of the \(report.results.count) tests can run until it compiles. Save the fix and they run again.",
                             width: width, style: TextStyle(.muted))
            if let hint = NextStepText.hintForCompileError(report, hints: page.hints, surface: .app) {
                out.append(.empty)
                out += Wrap.wrap(hint, width: width, style: TextStyle(.accent))
            }
            return out
        }
        let total = report.results.count
        if report.allPassed {
            out.append(StyledLine("✓ All \(total) tests pass", TextStyle(.success, bold: true)) + StyledLine("  (\(ago))", TextStyle(.muted)))
        } else {
            out.append(StyledLine("✗ \(report.passedCount) of \(total) tests pass", TextStyle(.failure, bold: true))
                       + StyledLine("  (\(ago))", TextStyle(.muted)))
        }
        out += nextStep(report, state: state, width: width)
        out.append(.empty)
        out += testLines(report.results, width: width)
        return out
    }

    /// One line per test, with the message under each that did not pass.
    static func testLines(_ results: [TestResult], width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        for result in results {
            let (symbol, tone) = mark(result.status)
            var line = StyledLine(symbol + " ", TextStyle(tone, bold: true))
            line.append(result.name)
            if !result.status.isPass { line.append("  " + result.status.rawValue, TextStyle(tone)) }
            out.append(line.truncated(to: width))
            guard !result.status.isPass, !result.message.isEmpty else { continue }
            var messageLines: [StyledLine] = []
            for text in result.message.split(separator: "\n") {
                messageLines += Wrap.wrap(String(text), width: width, indent: 4)
            }
            if messageLines.count > maxMessageLines {
                let hidden = messageLines.count - (maxMessageLines - 1)
                messageLines = Array(messageLines.prefix(maxMessageLines - 1))
                messageLines.append(StyledLine("    … \(hidden) more lines", TextStyle(.muted)))
            }
            out += messageLines
        }
        return out
    }

    /// A verdict's mark and tone. Not `TestStatus.symbol`: its 💥 takes two columns in some
    /// terminals and one in others, which would shift the screen; the word says which kind.
    static func mark(_ status: TestStatus) -> (String, TextStyle.Tone) {
        switch status {
        case .passed: return ("✓", .success)
        case .didNotCompile: return ("⚠", .warning)
        case .failed, .crashed, .timedOut: return ("✗", .failure)
        }
    }

    static func nextStep(_ report: LessonReport, state: AppState, width: Int) -> [StyledLine] {
        if report.allPassed {
            return Wrap.wrap(NextStepText.afterPassing(report.lesson, status: state.status, surface: .app),
                             width: width, style: TextStyle(.success))
        }
        guard let text = NextStepText.afterFailing(report, surface: .app) else { return [] }
        var line = StyledLine("Next: ", TextStyle(.accent, bold: true))
        line.append(String(text.dropFirst("Next: ".count)))
        return Wrap.wrap(line, width: width)
    }

    /// Before any run in this session: what the progress file remembers.
    static func lastRunLines(_ lesson: Course.Lesson, state: AppState, width: Int) -> [StyledLine] {
        let entry = state.progress.lesson(lesson.id)
        guard !entry.tests.isEmpty else {
            return Wrap.wrap("No test run yet. Press t to build your code and run lesson \(lesson.id)'s tests.", width: width,
                             style: TextStyle(.accent, bold: true))
        }
        var out = Wrap.wrap("Last time, \(entry.passedCount) of \(entry.tests.count) tests passed. Press t to run them again.",
                            width: width, style: TextStyle(bold: true))
        out.append(.empty)
        for (name, status) in entry.tests.sorted(by: { $0.key < $1.key }) {
            let (symbol, tone) = mark(status)
            var line = StyledLine(symbol + " ", TextStyle(tone, bold: true))
            line.append(name)
            if !status.isPass { line.append("  " + status.rawValue, TextStyle(tone)) }
            out.append(line.truncated(to: width))
        }
        return out
    }
}
