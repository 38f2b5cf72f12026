import Foundation

/// What happens during a lesson's test run, for live display.
public enum TestEvent: Sendable {
    case building(lesson: String)
    case built(seconds: Double, succeeded: Bool)
    case running(count: Int)
    case finished(TestResult)
}

/// Tests lessons: builds the lesson with the lessons it builds on (course.json's graph) in the
/// right scratch path (learner code, solutions, or verify's mix), lists the lesson's tests and runs
/// each in its own process.
public struct LessonTester: Sendable {
    public let project: Project
    public var runner: TestRunner

    public init(project: Project, runner: TestRunner = TestRunner()) {
        self.project = project
        self.runner = runner
    }

    /// Which sources a build uses.
    public struct Sources: Sendable {
        /// Lessons compiled from `Solution/` instead of `Exercise/`.
        public var solutionLessons: [Int]
        public var flavor: Project.BuildFlavor

        /// The learner's own code.
        public static let learner = Sources(solutionLessons: [], flavor: .learner)
        /// Every lesson from its reference solution.
        public static func solutions(_ course: Course) -> Sources {
            Sources(solutionLessons: course.writtenLessons.map(\.number), flavor: .solutions)
        }
    }

    /// The package environment for a build of `lessons` and what they build on (see Package.swift).
    public static func environment(lessons: [Int], solutionLessons: [Int]) -> [String: String?] {
        func list(_ numbers: [Int]) -> String { numbers.isEmpty ? "none" : numbers.sorted().map(String.init).joined(separator: ",") }
        // TUTOR_NO_PLAYGROUND: the learner's playground is theirs to break; it must never stop
        // their lessons from being tested.
        return ["TUTOR_LESSONS": list(lessons), "TUTOR_SOLUTIONS": list(solutionLessons), "TUTOR_NO_PLAYGROUND": "1"]
    }

    /// `ReservedNames` findings in every source file a build of `lessons` compiles from the
    /// lessons' folders (Exercise/ or Solution/, and Provided/).
    public func reservedNameFindings(lessons: [Course.Lesson], sources: Sources) -> [ReservedNames.Finding] {
        let numbers = project.course.lessonsNeeded(for: lessons.map(\.number))
        var findings: [ReservedNames.Finding] = []
        for lesson in numbers.compactMap({ project.course.lesson(number: $0) }) {
            let code = sources.solutionLessons.contains(lesson.number) ? project.solutionDirectory(lesson) : project.exerciseDirectory(lesson)
            for folder in [code, project.lessonDirectory(lesson).appendingPathComponent("Provided")] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                for name in names.sorted() where name.hasSuffix(".swift") {
                    let url = folder.appendingPathComponent(name)
                    guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                    findings += ReservedNames.findings(in: text, file: project.relativePath(url.path))
                }
            }
        }
        return findings
    }

    /// A build of `lessons` and the lessons they build on.
    public func swiftBuild(lessons: [Int], sources: Sources, configuration: String = "debug") -> SwiftBuild {
        SwiftBuild(
            packageDirectory: project.root, scratchPath: project.scratchPath(sources.flavor),
            environment: Self.environment(lessons: lessons, solutionLessons: sources.solutionLessons),
            configuration: configuration)
    }

    /// Builds the lesson with the lessons it builds on and runs its tests (all of them, or those
    /// in `only`). Other lessons are not compiled, so one that does not compile cannot stop it.
    public func test(
        _ lesson: Course.Lesson, sources: Sources = .learner, only: Set<String>? = nil,
        onEvent: @escaping @Sendable (TestEvent) -> Void = { _ in }
    ) -> LessonReport {
        test([lesson], sources: sources, only: only, onEvent: onEvent)[0]
    }

    /// Builds `lessons` (and what they build on) once and runs the tests of each.
    public func test(
        _ lessons: [Course.Lesson], sources: Sources, only: Set<String>? = nil,
        onEvent: @escaping @Sendable (TestEvent) -> Void = { _ in }
    ) -> [LessonReport] {
        func reports(problem: String, errors: [CompilerDiagnostic] = [], seconds: Double = 0) -> [LessonReport] {
            lessons.map { LessonReport(lesson: $0.id, title: $0.title, compileErrors: errors, buildSeconds: seconds, problem: problem) }
        }
        let findings = reservedNameFindings(lessons: lessons, sources: sources)
        if !findings.isEmpty {
            return reports(problem: "the code under test declares names the tests rely on, so its tests cannot be trusted:\n"
                + findings.map { "  " + $0.description }.joined(separator: "\n")
                + "\nRename \(findings.count == 1 ? "it" : "them"): Swift's own must stay the ones the tests call.")
        }
        onEvent(.building(lesson: lessons.map(\.id).joined(separator: ", ")))
        let build = swiftBuild(lessons: lessons.map(\.number), sources: sources)
        let outcome: BuildOutcome
        do {
            outcome = try build.build(tests: true)
        } catch {
            return reports(problem: "could not run `swift build`: \(error.localizedDescription). Is Swift installed and on your PATH?")
        }
        onEvent(.built(seconds: outcome.seconds, succeeded: outcome.succeeded))
        return testBuilt(lessons, outcome: outcome, build: build, only: only, onEvent: onEvent).map {
            var report = $0
            report.buildRoute = outcome.route
            return report
        }
    }

    /// The rest of `test`, once the build is done.
    private func testBuilt(
        _ lessons: [Course.Lesson], outcome: BuildOutcome, build: SwiftBuild, only: Set<String>?,
        onEvent: @escaping @Sendable (TestEvent) -> Void
    ) -> [LessonReport] {
        func reports(problem: String) -> [LessonReport] {
            lessons.map { LessonReport(lesson: $0.id, title: $0.title, buildSeconds: outcome.seconds, problem: problem) }
        }
        guard outcome.succeeded else {
            let errors = outcome.errors
            if errors.isEmpty {
                return reports(problem: "the build failed:\n" + outcome.otherErrors.joined(separator: "\n"))
            }
            // The learner's code does not compile: every test of these lessons "did not compile",
            // with the first error as its message.
            let first = errors[0].description
            return lessons.map { lesson in
                let results = project.testNames(of: lesson).map {
                    TestResult(lesson: lesson.id, testClass: lesson.testClass, name: $0,
                               status: .didNotCompile, message: first, seconds: 0)
                }
                return LessonReport(lesson: lesson.id, title: lesson.title, compileErrors: errors,
                                    results: results, buildSeconds: outcome.seconds)
            }
        }
        let bundle: TestBundle
        let allTests: [TestID]
        do {
            bundle = try TestBundle.find(packageDirectory: project.root, scratchPath: build.scratchPath,
                                         environment: build.environment)
            // The captured plan keeps the test list SwiftPM's build discovered (see there).
            let plan = CapturedBuildPlan(build)
            if outcome.route == .capturedPlan, let saved = plan.savedTestList() {
                allTests = saved
            } else {
                allTests = try bundle.listTests()
                plan.saveTestList(allTests)
            }
        } catch {
            return reports(problem: error.localizedDescription)
        }
        var result: [LessonReport] = []
        for lesson in lessons {
            var tests = allTests.filter { $0.testClass == lesson.testClass }
            if let only { tests = tests.filter { only.contains($0.name) } }
            var report = LessonReport(lesson: lesson.id, title: lesson.title, buildSeconds: outcome.seconds)
            if tests.isEmpty {
                report.problem = only == nil
                    ? "no tests found for lesson \(lesson.id) (class \(lesson.testClass)) — zero tests is a failure"
                    : "no test of lesson \(lesson.id) is called \(only!.sorted().joined(separator: ", "))"
                result.append(report)
                continue
            }
            // Run and show tests in lesson order (Project.inLessonOrder).
            let byName = Dictionary(tests.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            tests = project.inLessonOrder(Array(byName.keys), of: lesson).compactMap { byName[$0] }
            onEvent(.running(count: tests.count))
            report.results = runner.run(tests, in: bundle, lesson: lesson.id, project: project) { onEvent(.finished($0)) }
            result.append(report)
        }
        return result
    }
}
