import Foundation

/// Plain-text views of test results for the headless commands: what passed, what failed and
/// why, and the next step — readable at a glance, never a raw log.
public enum ReportText {
    /// The result of `tutor test NN`.
    /// `status`, the learner's progress with this report recorded, lets the next step name a
    /// milestone the lesson just opened.
    public static func lessonReport(_ report: LessonReport, project: Project, style: Style, status: CourseStatus? = nil) -> String {
        var out = ""
        let header = "Lesson \(report.lesson) \(report.title)"
        if let problem = report.problem {
            return style.bold(header) + ": could not test — \(problem)\n"
        }
        if !report.compileErrors.isEmpty {
            out += compileErrors(report.compileErrors, header: header, project: project, style: style)
            out += "\nNone of the \(report.results.count) tests can run until your code compiles. "
                + "Fix the first error first: later ones often follow from it.\n"
            let hints = project.course.lessons.first { $0.id == report.lesson }.flatMap { try? Hints.load($0, in: project) }
            if let hint = NextStepText.hintForCompileError(report, hints: hints, surface: .commandLine) { out += hint + "\n" }
            return out
        }
        let passed = report.passedCount
        let summary = "\(passed)/\(report.results.count) tests passed"
        out += style.bold(header) + " — " + (report.allPassed ? style.green(summary) : summary) + "\n\n"
        let width = report.results.map(\.name.count).max() ?? 0
        for result in report.results {
            let padded = result.name.padding(toLength: width, withPad: " ", startingAt: 0)
            out += "  \(padded)  \(style.status(result.status))\n"
            if !result.status.isPass {
                for line in result.message.split(separator: "\n") { out += "      " + style.dim(String(line)) + "\n" }
            }
        }
        out += "\n" + nextStep(report, project: project, status: status)
        return out
    }

    /// Compile errors, first first, each with the offending source line.
    public static func compileErrors(_ errors: [CompilerDiagnostic], header: String, project: Project, style: Style, limit: Int = 5) -> String {
        let onlyErrors = errors.filter { $0.severity == .error }
        var out = style.bold(header) + ": " + style.yellow("does not compile") + " (\(onlyErrors.count) error\(onlyErrors.count == 1 ? "" : "s"))\n\n"
        for error in onlyErrors.prefix(limit) {
            out += "  \(error.file):\(error.line): \(style.red("error:")) \(error.message)\n"
            if let source = sourceLine(error.file, line: error.line, project: project) {
                out += "      \(error.line) | \(source)\n"
            }
            for note in error.notes ?? [] { out += "      " + style.dim(note) + "\n" }
        }
        if onlyErrors.count > limit { out += "  … and \(onlyErrors.count - limit) more\n" }
        return out
    }

    static func nextStep(_ report: LessonReport, project: Project, status: CourseStatus? = nil) -> String {
        if report.allPassed {
            // Without the learner's progress (a run of the solutions), this run alone.
            let status = status ?? {
                var progress = LearnerProgress()
                progress.record(report, fullRun: true)
                return CourseStatus(course: project.course, progress: progress)
            }()
            return NextStepText.afterPassing(report.lesson, status: status, surface: .commandLine) + "\n"
        }
        return NextStepText.afterFailing(report, surface: .commandLine).map { $0 + "\n" } ?? ""
    }

    /// The text of line `line` of `file` (relative to the project), trimmed; nil when it cannot be read.
    public static func sourceLine(_ file: String, line: Int, project: Project) -> String? {
        guard line > 0, let text = try? String(contentsOf: project.root.appendingPathComponent(file), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return nil }
        return lines[line - 1].trimmingCharacters(in: .whitespaces)
    }
}
