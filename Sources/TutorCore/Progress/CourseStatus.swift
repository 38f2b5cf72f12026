import Foundation

/// Where a learner stands in each lesson and milestone, derived from the course and progress.
public struct CourseStatus: Sendable {
    public enum LessonState: Sendable, Equatable {
        /// Not written yet.
        case coming
        case notStarted
        case inProgress(passed: Int, total: Int)
        case passed
    }

    public enum MilestoneState: Sendable, Equatable {
        case coming
        case locked(needs: [Int])
        case ready
        case achieved(best: String?)
    }

    public let course: Course
    public let progress: LearnerProgress

    public init(course: Course, progress: LearnerProgress) {
        self.course = course
        self.progress = progress
    }

    public func state(of lesson: Course.Lesson) -> LessonState {
        guard lesson.written else { return .coming }
        let entry = progress.lesson(lesson.id)
        if entry.completed { return .passed }
        if entry.tests.isEmpty { return .notStarted }
        return .inProgress(passed: entry.passedCount, total: entry.tests.count)
    }

    public func isPassed(_ number: Int) -> Bool {
        course.lesson(number: number).map { state(of: $0) == .passed } ?? false
    }

    /// Earlier lessons this one builds on that do not pass yet.
    public func unmetPrerequisites(of lesson: Course.Lesson) -> [Int] {
        course.writtenLessons.map(\.number).filter { $0 < lesson.number && !isPassed($0) }
    }

    public func state(of milestone: Course.Milestone) -> MilestoneState {
        guard milestone.written else { return .coming }
        let entry = progress.milestones[milestone.slug]
        if entry?.achieved == true { return .achieved(best: entry?.bestResult) }
        let needs = milestone.requires.filter { !isPassed($0) }
        return needs.isEmpty ? .ready : .locked(needs: needs)
    }

    /// The milestones lesson `id` opens: ready to run (every lesson each needs passes), not yet
    /// achieved, and needing this lesson — so passing it is what unlocked them.
    public func milestonesOpened(by id: String) -> [Course.Milestone] {
        guard let number = Int(id) else { return [] }
        return course.milestones.filter { $0.requires.contains(number) && state(of: $0) == .ready }
    }

    /// The first written lesson that does not pass: what to do next.
    public var nextLesson: Course.Lesson? {
        course.writtenLessons.first { state(of: $0) != .passed }
    }

    /// Passed lessons out of written ones.
    public var passedCount: Int { course.writtenLessons.filter { state(of: $0) == .passed }.count }
}

extension CourseStatus.LessonState {
    public var text: String {
        switch self {
        case .coming: return "coming"
        case .notStarted: return "not started"
        case .inProgress(let passed, let total): return "in progress (\(passed)/\(total))"
        case .passed: return "passed"
        }
    }
}

extension CourseStatus.MilestoneState {
    public var text: String {
        switch self {
        case .coming: return "coming"
        case .locked(let needs): return "locked — needs lesson" + (needs.count == 1 ? " " : "s ") + needs.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ", ")
        case .ready: return "ready"
        case .achieved(let best): return "achieved" + (best.map { ": \($0)" } ?? "")
        }
    }
}
