import Foundation

/// A change to the learner's progress: what a test run, a hint, the solution or a milestone run
/// leaves behind. The headless commands apply it to the file (`ProgressStore.update`); the app
/// applies it to its state at once and its effect runner to the file.
public enum ProgressChange: Sendable {
    /// A run of a lesson's tests; a partial run (`tutor test --only`) never marks a lesson passed.
    case testReport(LessonReport, fullRun: Bool = true)
    case hintsShown(lesson: String, count: Int)
    case solutionViewed(lesson: String)
    case milestone(slug: String, result: MilestoneResult)

    public func apply(to progress: inout LearnerProgress, at date: Date = Date()) {
        switch self {
        case .testReport(let report, let fullRun):
            progress.record(report, fullRun: fullRun, at: date)
        case .hintsShown(let lesson, let count):
            progress.lessons[lesson, default: .init()].hintsShown = count
        case .solutionViewed(let lesson):
            progress.lessons[lesson, default: .init()].solutionViewed = true
        case .milestone(let slug, let result):
            progress.recordMilestone(slug, result: result, at: date)
        }
    }
}
