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

    /// Lessons this one builds on (directly or not) that do not pass yet.
    public func unmetPrerequisites(of lesson: Course.Lesson) -> [Int] {
        course.prerequisites(of: lesson).filter { !isPassed($0) }
    }

    /// Whether a lesson is written, not passed, and every lesson it builds on passes.
    public func isAvailable(_ lesson: Course.Lesson) -> Bool {
        lesson.written && state(of: lesson) != .passed && unmetPrerequisites(of: lesson).isEmpty
    }

    public func state(of milestone: Course.Milestone) -> MilestoneState {
        guard milestone.written else { return .coming }
        let entry = progress.milestones[milestone.slug]
        if entry?.achieved == true { return .achieved(best: entry?.bestResult) }
        let needs = course.lessonsNeeded(for: milestone).filter { !isPassed($0) }
        return needs.isEmpty ? .ready : .locked(needs: needs)
    }

    /// The milestones lesson `id` opens: ready to run (every lesson each needs passes), not yet
    /// achieved, and needing this lesson — so passing it is what unlocked them.
    public func milestonesOpened(by id: String) -> [Course.Milestone] {
        guard let number = Int(id) else { return [] }
        return course.milestones.filter { course.lessonsNeeded(for: $0).contains(number) && state(of: $0) == .ready }
    }

    /// What to do next: the first lesson in course order whose lessons it builds on pass (or, if
    /// none, the first that does not pass).
    public var nextLesson: Course.Lesson? {
        course.writtenLessons.first(where: isAvailable) ?? course.writtenLessons.first { state(of: $0) != .passed }
    }

    /// Where to go once lesson `id` passes.
    public enum NextStep: Sendable, Equatable {
        /// One lesson, or — where the course forks into tracks — the first lesson of each track,
        /// for the learner to choose.
        case lessons([Course.Lesson])
        /// The lesson that would come next is not written yet.
        case coming(Course.Lesson)
        /// Every written lesson passes and no more are planned.
        case courseDone
    }

    /// The next step after lesson `id` passes. A lesson that builds on it comes first (the track
    /// the learner is on); else the first available lesson in course order. When that lesson
    /// starts a track the learner is not on yet, the first available lesson of every track of its
    /// phase is offered instead: after Phase 2, the vision lesson or the language lessons.
    public func nextStep(afterPassing id: String) -> NextStep {
        let passed = course.lessons.first { $0.id == id }
        let available = course.writtenLessons.filter(isAvailable)
        let building = available.filter { lesson in passed.map { lesson.requires.contains($0.number) } ?? false }
        if let first = building.first ?? available.first {
            guard first.track != passed?.track else { return .lessons([first]) }
            return .lessons(trackChoice(startingWith: first))
        }
        // Nothing written is left to take: the first lesson still to be written whose lessons pass.
        let unwritten = course.lessons.filter { !$0.written }
        if let coming = unwritten.first(where: { $0.requires.allSatisfy(isPassed) }) ?? unwritten.first {
            return .coming(coming)
        }
        return .courseDone
    }

    /// Passed lessons out of written ones.
    public var passedCount: Int { course.writtenLessons.filter { state(of: $0) == .passed }.count }

    /// The learner's progress in numbers, and in the words both the dashboard and `tutor list` use.
    public struct Counts: Sendable, Equatable {
        public var passed: Int
        public var written: Int
        public var coming: Int
        public var milestonesAchieved: Int
        public var milestonesWritten: Int

        /// `3 of 8 lessons · 12 coming · 1 of 3 milestones`
        public var text: String {
            "\(passed) of \(written) lessons" + (coming > 0 ? " · \(coming) coming" : "")
                + " · \(milestonesAchieved) of \(milestonesWritten) milestone" + (milestonesWritten == 1 ? "" : "s")
        }
    }

    public var counts: Counts {
        let achieved = course.milestones.filter { if case .achieved = state(of: $0) { return true } else { return false } }
        return Counts(passed: passedCount, written: course.writtenLessons.count,
                      coming: course.lessons.count - course.writtenLessons.count,
                      milestonesAchieved: achieved.count, milestonesWritten: course.milestones.filter(\.written).count)
    }

    /// When `lesson` starts a track (after Phase 2), the first available lesson of each track of
    /// its phase, for the learner to choose; else just `lesson`.
    public func trackChoice(startingWith lesson: Course.Lesson) -> [Course.Lesson] {
        guard lesson.track != nil else { return [lesson] }
        var choice: [Course.Lesson] = []
        for candidate in course.writtenLessons where candidate.phase == lesson.phase && candidate.track != nil
            && isAvailable(candidate) && !choice.contains(where: { $0.track == candidate.track }) {
            choice.append(candidate)
        }
        return choice.isEmpty ? [lesson] : choice
    }
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
