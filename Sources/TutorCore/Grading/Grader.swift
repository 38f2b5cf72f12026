import Foundation

/// The copy of the course a grade builds and tests, where it came from, and what was found on
/// the way: the learner's own clone as it is, or a trusted course with the learner's exercises
/// laid in (`TrustedCourse.prepare`).
public struct GradedCourse: Sendable {
    public var project: Project
    public var origin: CourseOrigin
    /// Course files that differ from what the grade trusts (`GradeReport.tampered`).
    public var tampered: [GradeReport.FileNote]
    /// Why the course files could not be compared.
    public var integrityProblem: String?
    /// The learner's exercise files not graded, lessons graded on the stubs.
    public var exerciseNotes: [GradeReport.FileNote]

    public init(project: Project, origin: CourseOrigin, tampered: [GradeReport.FileNote],
                integrityProblem: String? = nil, exerciseNotes: [GradeReport.FileNote] = []) {
        self.project = project
        self.origin = origin
        self.tampered = tampered
        self.integrityProblem = integrityProblem
        self.exerciseNotes = exerciseNotes
    }

    /// The learner's clone as it is. Its test files are checked against its own
    /// `Tests/LessonTests/SHA256SUMS` — which the learner can rewrite too: nothing here is
    /// verified (`CourseOrigin.learnersCopy`).
    public static func learnersCopy(_ project: Project) -> GradedCourse {
        do {
            let tampered = try Manifests(project: project).tamperedTestFiles().map { GradeReport.FileNote(path: $0.path, problem: $0.problem) }
            return GradedCourse(project: project, origin: .learnersCopy, tampered: tampered)
        } catch {
            return GradedCourse(project: project, origin: .learnersCopy, tampered: [],
                                integrityProblem: "could not check the test files: \(error.localizedDescription)")
        }
    }
}

/// Grades lessons headlessly: each lesson is built with the lessons it builds on and its tests run
/// one process each, exactly as `tutor test` does — in the course copy `course` names.
public struct Grader: Sendable {
    public let course: GradedCourse
    public let tester: LessonTester

    public init(course: GradedCourse, runner: TestRunner = TestRunner()) {
        self.course = course
        self.tester = LessonTester(project: course.project, runner: runner)
    }

    public func grade(
        _ lessons: [Course.Lesson], strict: Bool,
        onEvent: @escaping @Sendable (TestEvent) -> Void = { _ in }
    ) -> GradeReport {
        let reports = lessons.map { tester.test($0, sources: .learner, onEvent: onEvent) }
        return GradeReport(course: course.project.course.title, origin: course.origin, date: Date(), lessons: reports,
                           tampered: course.tampered, integrityProblem: course.integrityProblem,
                           exerciseNotes: course.exerciseNotes, strict: strict)
    }
}
