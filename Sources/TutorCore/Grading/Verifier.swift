import Foundation

/// The course check: every test of every lesson fails (or crashes) on the exercise stubs and
/// passes on the reference solution; the repository agrees with course.json (`CourseRegistry`);
/// the manifests are current.
public struct Verifier: Sendable {
    public struct Violation: Codable, Sendable, Equatable, CustomStringConvertible {
        public var lesson: String
        public var test: String?
        public var problem: String
        public var description: String {
            "lesson \(lesson)" + (test.map { " \($0)" } ?? "") + ": " + problem
        }
    }

    public struct Report: Codable, Sendable {
        /// Each lesson's tests run against its stubs (the lessons before it from their solutions).
        public var stubRuns: [LessonReport]
        /// Each lesson's tests run against the reference solutions.
        public var solutionRuns: [LessonReport]
        public var violations: [Violation]
        public var passed: Bool { violations.isEmpty }
    }

    public let tester: LessonTester

    public init(tester: LessonTester) { self.tester = tester }

    public func verify(
        _ lessons: [Course.Lesson],
        onEvent: @escaping @Sendable (TestEvent) -> Void = { _ in }
    ) -> Report {
        var violations: [Violation] = []
        let project = tester.project
        let registry = CourseRegistry(project: project)
        for problem in registry.problems() + registry.buildProblems() {
            violations.append(Violation(lesson: "--", test: nil, problem: problem))
        }
        if let stale = try? Manifests(project: project).staleEntries(), !stale.isEmpty {
            for entry in stale where lessons.contains(where: { entry.contains($0.folder) }) || entry.contains("Support") {
                violations.append(Violation(lesson: "--", test: nil,
                    problem: "\(entry) — run `swift run tutor manifest --update` after changing tests or exercises"))
            }
        }

        // Stubs: lesson N from Exercise/, the lessons it builds on from Solution/, so that only
        // lesson N's own stubs can make its tests fail.
        var stubRuns: [LessonReport] = []
        for lesson in lessons {
            let sources = LessonTester.Sources(solutionLessons: project.course.prerequisites(of: lesson), flavor: .verify)
            let report = tester.test(lesson, sources: sources, onEvent: onEvent)
            stubRuns.append(report)
            violations += judge(report, expectPass: false)
        }

        // Solutions: one build of every lesson from its solution.
        var solutionRuns: [LessonReport] = []
        if !lessons.isEmpty {
            solutionRuns = tester.test(lessons, sources: .solutions(project.course), onEvent: onEvent)
            for report in solutionRuns { violations += judge(report, expectPass: true) }
        }
        return Report(stubRuns: stubRuns, solutionRuns: solutionRuns, violations: violations)
    }

    func judge(_ report: LessonReport, expectPass: Bool) -> [Violation] {
        let side = expectPass ? "solution" : "exercise stubs"
        if let problem = report.problem {
            return [Violation(lesson: report.lesson, test: nil, problem: "with the \(side): \(problem)")]
        }
        if !report.compileErrors.isEmpty {
            let first = report.compileErrors[0]
            return [Violation(lesson: report.lesson, test: nil, problem: "the \(side) do not compile: \(first)")]
        }
        if report.results.isEmpty {
            return [Violation(lesson: report.lesson, test: nil, problem: "zero tests ran with the \(side)")]
        }
        return report.results.compactMap { result in
            if expectPass, result.status != .passed {
                return Violation(lesson: report.lesson, test: result.name,
                                 problem: "\(result.status.rawValue) on the solution: \(result.message)")
            }
            if !expectPass, result.status != .failed, result.status != .crashed {
                return Violation(lesson: report.lesson, test: result.name,
                                 problem: "\(result.status.rawValue) on the exercise stubs — a test must fail until the learner writes the code")
            }
            return nil
        }
    }
}
