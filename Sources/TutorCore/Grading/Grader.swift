import Foundation

/// The result of grading a learner's work.
public struct GradeReport: Codable, Sendable {
    public struct TamperedFile: Codable, Sendable, Equatable {
        public var path: String
        /// `modified`, `added` or `deleted`.
        public var problem: String
    }

    public var course: String
    public var date: Date
    public var lessons: [LessonReport]
    /// Test files that differ from the checked-in manifest.
    public var tampered: [TamperedFile]
    /// With `strict`, tampered tests fail the grade.
    public var strict: Bool

    public var testCount: Int { lessons.reduce(0) { $0 + $1.results.count } }
    public var passedCount: Int { lessons.reduce(0) { $0 + $1.passedCount } }
    /// Lessons that could not be graded for a reason that is not a failing test.
    public var problems: [String] { lessons.compactMap { report in report.problem.map { "\(report.lesson) \(report.title): \($0)" } } }

    /// 0: every graded lesson passes; 1: some test fails (or, with `strict`, tests were tampered
    /// with); 2: grading could not run.
    public var exitCode: Int32 {
        if lessons.isEmpty || !problems.isEmpty { return 2 }
        if strict && !tampered.isEmpty { return 1 }
        return lessons.allSatisfy(\.allPassed) ? 0 : 1
    }
}

/// Grades lessons headlessly: each lesson is built with the lessons before it and its tests run
/// one process each, exactly as `tutor test` does.
public struct Grader: Sendable {
    public let tester: LessonTester

    public init(tester: LessonTester) { self.tester = tester }

    public func grade(
        _ lessons: [Course.Lesson], strict: Bool,
        onEvent: @escaping @Sendable (TestEvent) -> Void = { _ in }
    ) -> GradeReport {
        let project = tester.project
        let tampered = ((try? Manifests(project: project).tamperedTestFiles()) ?? [])
            .map { GradeReport.TamperedFile(path: $0.path, problem: $0.problem) }
        let reports = lessons.map { tester.test($0, sources: .learner, onEvent: onEvent) }
        return GradeReport(course: project.course.title, date: Date(), lessons: reports,
                           tampered: tampered, strict: strict)
    }
}
