import Foundation

/// A change to the learner's progress: what a test run, a hint, the solution or a milestone run
/// leaves behind. The headless commands apply it to the file (`ProgressStore.update`); the app
/// applies it to its state at once and its effect runner to the file.
public enum ProgressChange: Sendable {
    /// A run of a lesson's tests; a partial run (`tutor test --only`) never marks a lesson passed.
    case testReport(LessonReport, fullRun: Bool = true)
    /// Hint `index` (0-based) was on screen.
    case hintShown(lesson: String, index: Int)
    /// `tutor hint NN --reset`: every hint of the lesson counts as not seen.
    case hintsReset(lesson: String)
    case solutionViewed(lesson: String)
    case milestone(slug: String, result: MilestoneResult)

    public func apply(to progress: inout LearnerProgress, at date: Date = Date()) {
        switch self {
        case .testReport(let report, let fullRun):
            progress.record(report, fullRun: fullRun, at: date)
        case .hintShown(let lesson, let index):
            let number = index + 1
            if !progress.lessons[lesson, default: .init()].hintsSeen.contains(number) {
                progress.lessons[lesson, default: .init()].hintsSeen = (progress.lesson(lesson).hintsSeen + [number]).sorted()
            }
        case .hintsReset(let lesson):
            progress.lessons[lesson, default: .init()].hintsSeen = []
        case .solutionViewed(let lesson):
            progress.lessons[lesson, default: .init()].solutionViewed = true
        case .milestone(let slug, let result):
            progress.recordMilestone(slug, result: result, at: date)
        }
    }
}
