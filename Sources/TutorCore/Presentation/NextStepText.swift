import Foundation

/// The words that end a test run: after a pass, the milestones it opened and where to go next
/// (`CourseStatus.nextStep`); after a failure, the first test to fix and where. The headless
/// commands and the full-screen app say the same thing, each naming its own way to act.
public enum NextStepText {
    /// Where the words are shown, which decides how an action is named.
    public enum Surface: Sendable {
        /// A command to type: `swift run tutor test 05`.
        case commandLine
        /// Keys in the full-screen app.
        case app
    }

    /// After every test of lesson `id` passes. `status` has the run recorded.
    public static func afterPassing(_ id: String, status: CourseStatus, surface: Surface) -> String {
        var sentences: [String] = []
        switch surface {
        case .commandLine: sentences.append("All tests pass.")
        case .app: sentences.append("Lesson \(id) is done. Press s to compare your code with the reference solution.")
        }
        for milestone in status.milestonesOpened(by: id) {
            let action = surface == .app ? "Esc, then choose it on the dashboard"
                                         : "`swift run tutor milestone run \(milestone.slug)`"
            sentences.append("The \(milestone.year) milestone, \(milestone.title), is ready: \(action).")
        }
        func open(_ lesson: Course.Lesson) -> String {
            surface == .app ? "lesson \(lesson.id) \(lesson.title)" : "lesson \(lesson.id) \(lesson.title) — `swift run tutor test \(lesson.id)`"
        }
        switch status.nextStep(afterPassing: id) {
        case .lessons(let lessons) where lessons.count == 1:
            sentences.append("Next: \(open(lessons[0]))" + (surface == .app ? " (Esc, then ⏎ on it)." : "."))
        case .lessons(let lessons):
            let options = lessons.map { "\($0.track ?? $0.title): \(open($0))" }
            sentences.append("Next, choose a track (you can take both, in either order) — " + options.joined(separator: "; or ")
                + (surface == .app ? " (Esc, then ⏎ on one)." : "."))
        case .coming(let lesson):
            sentences.append("Lesson \(lesson.id) \(lesson.title) is coming in a later version of the course.")
            if surface == .app { sentences.append("Esc goes back to the dashboard.") }
        case .courseDone:
            sentences.append("That was the last lesson: every written lesson passes.")
        }
        return sentences.joined(separator: " ")
    }

    /// After a build that stopped at a compiler error a hint foresees: which hint, and how to open
    /// it. Nil when no hint foresees the first error.
    public static func hintForCompileError(_ report: LessonReport, hints: Hints?, surface: Surface) -> String? {
        guard let first = report.compileErrors.first(where: { $0.severity == .error }),
              let index = hints?.indices(forCompileError: first.message).first, let hints else { return nil }
        let open = surface == .app ? "press h" : "`swift run tutor hint \(report.lesson)`"
        return "Hint \(index + 1), “\(hints.hints[index].title)”, explains this error: \(open)."
    }

    /// After a run with a failing test: the first one to fix, where to start, where to get help.
    /// Nil when nothing failed.
    public static func afterFailing(_ report: LessonReport, surface: Surface) -> String? {
        guard let first = report.firstFailure else { return nil }
        var text = "Next: make \(first.name) pass."
        if let location = report.firstFailureLocation { text += " Start at \(location)." }
        switch surface {
        case .commandLine: text += " Stuck? `swift run tutor hint \(report.lesson)`."
        case .app: text += " Stuck? Press h for a hint."
        }
        return text
    }
}
