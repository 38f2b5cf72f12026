import XCTest
@testable import TutorCore
import TutorTestSupport

/// The runner against a real temporary package: every kind of outcome is classified right, and
/// no learner mistake takes down the other tests or the tutor.
final class TestRunnerTests: XCTestCase {
    func testEachOutcomeIsClassified() throws {
        let project = try FixtureCourse.make(self)
        let lesson = try project.course.writtenLesson(named: "01")
        let tester = LessonTester(project: project, runner: TestRunner(timeLimit: 3, parallelism: 2))

        let report = tester.test(lesson)

        XCTAssertNil(report.problem)
        XCTAssertTrue(report.compileErrors.isEmpty, "\(report.compileErrors)")
        let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0) })
        XCTAssertEqual(byName.count, 7)
        XCTAssertEqual(byName["test_unit_passes"]?.status, .passed)
        XCTAssertEqual(byName["test_unit_fails"]?.status, .failed)
        XCTAssertTrue(byName["test_unit_fails"]?.message.contains("double(2) should be 5 in this fixture") == true,
                      byName["test_unit_fails"]?.message ?? "")
        XCTAssertTrue(byName["test_unit_fails"]?.message.contains("Tests/LessonTests/01-tensor/TensorTests.swift:6") == true,
                      byName["test_unit_fails"]?.message ?? "")
        XCTAssertEqual(byName["test_unit_crashes"]?.status, .crashed)
        XCTAssertEqual(byName["test_unit_crashes"]?.message,
                       "TODO(lesson 01): implement todo() — Lessons/01-tensor/Exercise/Tensor.swift:6")
        XCTAssertEqual(byName["test_unit_crashes"]?.location, "Lessons/01-tensor/Exercise/Tensor.swift:6", "the place is data too")
        XCTAssertEqual(byName["test_unit_loops"]?.status, .timedOut)
        XCTAssertTrue(byName["test_unit_loops"]?.message.contains("3 s") == true)
        // Where it was looping: a stack sample of a rerun (SIGQUIT to Swift's backtracer).
        XCTAssertEqual(byName["test_unit_loops"]?.location, "Lessons/01-tensor/Exercise/Tensor.swift:7")
        XCTAssertTrue(byName["test_unit_loops"]?.message.hasSuffix("It was busy at Lessons/01-tensor/Exercise/Tensor.swift:7.") == true,
                      byName["test_unit_loops"]?.message ?? "")
        XCTAssertEqual(byName["test_unit_overflows"]?.status, .crashed)
        XCTAssertTrue(byName["test_unit_overflows"]?.message.contains("SIGSEGV") == true, byName["test_unit_overflows"]?.message ?? "")
        // 8 GiB, which this machine could give: the per-test memory limit (4 GiB) turns the runaway
        // allocation into a clean crash instead of a machine out of memory.
        XCTAssertEqual(byName["test_unit_allocates"]?.status, .crashed)
        XCTAssertTrue(byName["test_unit_allocates"]?.message.contains("failed to allocate") == true,
                      byName["test_unit_allocates"]?.message ?? "")
        // A crash whose message names no place (the index check is in Swift's own code): the
        // place comes from a backtrace, the learner's own line.
        XCTAssertEqual(byName["test_unit_indexes"]?.status, .crashed)
        XCTAssertEqual(byName["test_unit_indexes"]?.location, "Lessons/01-tensor/Exercise/Tensor.swift:9")
        XCTAssertEqual(byName["test_unit_indexes"]?.message, "Index out of range — Lessons/01-tensor/Exercise/Tensor.swift:9")
        XCTAssertFalse(report.allPassed)

        // One process first (runTogether): only its passes count, and a test that used its
        // whole time limit there is timed out; the failure is left to a run of its own.
        let build = tester.swiftBuild(lessons: [1], sources: .learner)
        let bundle = try TestBundle.find(packageDirectory: project.root, scratchPath: build.scratchPath, environment: build.environment)
        let listed = try bundle.listTests()
        let picked = ["test_unit_passes", "test_unit_fails", "test_unit_loops"].compactMap { name in listed.first { $0.name == name } }
        let runner = TestRunner(timeLimit: 3)
        let quick = runner.runTogether(Array(picked.prefix(2)), in: bundle, lesson: "01", project: project, onResult: { _ in })
        XCTAssertEqual(quick.keys.sorted(), ["test_unit_passes"], "the failure is left to a run of its own")
        XCTAssertEqual(quick["test_unit_passes"]?.status, .passed)
        // XCTest picks the order; whatever it is, the loop times out and nothing else but a pass is kept.
        let together = runner.runTogether(picked, in: bundle, lesson: "01", project: project, onResult: { _ in })
        XCTAssertNil(together["test_unit_fails"])
        XCTAssertEqual(together["test_unit_loops"]?.status, .timedOut)
        XCTAssertEqual(together["test_unit_loops"]?.message, byName["test_unit_loops"]?.message, "worded as a lone run")
        if let passes = together["test_unit_passes"] { XCTAssertEqual(passes.status, .passed) }

        // The same lesson from its solution: the fatalError is gone.
        let solved = tester.test(lesson, sources: .solutions(project.course), only: ["test_unit_crashes", "test_unit_passes"])
        XCTAssertEqual(solved.results.map(\.status), [.passed, .passed])
        XCTAssertTrue(solved.allPassed)
    }

    func testCompileErrorNamesFileAndLineRelativeToTheProject() throws {
        let project = try FixtureCourse.make(self)
        let file = project.root.appendingPathComponent("Lessons/01-tensor/Exercise/Tensor.swift")
        try write(FixtureCourse.exercise + "\nlet broken: Int = \"not a number\"\n", to: file)
        let lesson = try project.course.writtenLesson(named: "tensor")

        let report = LessonTester(project: project).test(lesson)

        XCTAssertNil(report.problem)
        XCTAssertEqual(report.compileErrors.first?.file, "Lessons/01-tensor/Exercise/Tensor.swift")
        XCTAssertEqual(report.compileErrors.first?.line, 10)
        XCTAssertTrue(report.compileErrors.first?.message.contains("cannot convert value of type 'String'") == true)
        XCTAssertEqual(report.compileErrors.filter { $0.severity == .error }.count, 1, "duplicates are dropped")
        XCTAssertEqual(report.results.count, 7, "each test is named and marked")
        XCTAssertTrue(report.results.allSatisfy { $0.status == .didNotCompile })
        XCTAssertFalse(report.allPassed)
    }

    /// The lesson graph: lesson 10 builds on lesson 01 only, lesson 02 on lesson 01. A lesson 02
    /// that does not compile stops lesson 02 (and what builds on it), never lesson 10.
    func testALessonThatDoesNotCompileBlocksOnlyTheLessonsThatRequireIt() throws {
        var project = try FixtureCourse.make(self)
        let valid = "import TinyTorchTensor\npublic let value = double(2)\n"
        project = try FixtureCourse.addLesson(10, requires: [1], source: valid, to: project)
        project = try FixtureCourse.addLesson(2, requires: [1], source: valid + "let broken: Int = \"not a number\"\n", to: project)
        project = try FixtureCourse.addLesson(11, requires: [2, 10], source: "import TinyTorchActivations\n" + valid, to: project)
        XCTAssertEqual(CourseRegistry(project: project).problems(), [], "the fixture agrees with its course.json")
        let tester = LessonTester(project: project)

        let tokenization = tester.test(try project.course.writtenLesson(named: "10"))
        XCTAssertNil(tokenization.problem)
        XCTAssertTrue(tokenization.compileErrors.isEmpty, "\(tokenization.compileErrors)")
        XCTAssertEqual(tokenization.results.map(\.status), [.passed], "lesson 10 does not build on the broken lesson 02")

        let activations = tester.test(try project.course.writtenLesson(named: "02"))
        XCTAssertEqual(activations.compileErrors.first?.file, "Lessons/02-activations/Exercise/Value.swift")
        XCTAssertEqual(activations.results.map(\.status), [.didNotCompile])

        let embeddings = tester.test(try project.course.writtenLesson(named: "11"))
        XCTAssertEqual(embeddings.compileErrors.first?.file, "Lessons/02-activations/Exercise/Value.swift",
                       "lesson 11 builds on lesson 02, so its error stops lesson 11 too")
        XCTAssertEqual(embeddings.results.map(\.status), [.didNotCompile])

        let first = tester.test(try project.course.writtenLesson(named: "01"), only: ["test_unit_passes"])
        XCTAssertEqual(first.results.map(\.status), [.passed], "lesson 01 builds on nothing")
    }

    /// The cheats of a learner's own file: ending the process with exit(0) after printing a
    /// passing summary fails (no witness); declaring `fatalError` stops the run, naming the file.
    func testCodeUnderTestCannotForgeAPass() throws {
        let project = try FixtureCourse.make(self, tests: """
            import XCTest
            import TinyTorchTensor
            final class TensorTests: LessonTestCase {
                func test_unit_quits() { XCTAssertEqual(quit(), 4) }
                func test_unit_passes() { XCTAssertEqual(double(2), 4) }
            }
            """)
        let lesson = try project.course.writtenLesson(named: "01")
        let folder = project.exerciseDirectory(lesson)
        try write("""
            import Foundation
            public func quit() -> Int {
                print("Test Suite 'Selected tests' passed")
                print("Executed 1 test, with 0 failures (0 unexpected) in 0.001 (0.001) seconds")
                exit(0)
            }
            """, to: folder.appendingPathComponent("Quit.swift"))
        let tester = LessonTester(project: project, runner: TestRunner(timeLimit: 20, parallelism: 2))
        let report = tester.test(lesson)
        XCTAssertEqual(report.results.map(\.status), [.failed, .passed], report.results.map(\.message).joined(separator: "\n"))
        XCTAssertTrue(report.results[0].message.contains("the process ended before the test finished (exit status 0)"),
                      report.results[0].message)

        try write("public func fatalError(_ m: @autoclosure () -> String = \"\", file: StaticString = #file, line: UInt = #line) -> Never { exit(0) }\n",
                  to: folder.appendingPathComponent("Zzz.swift"))
        let refused = tester.test(lesson)
        XCTAssertEqual(refused.problem, """
            the code under test declares names the tests rely on, so its tests cannot be trusted:
              Lessons/01-tensor/Exercise/Zzz.swift:1 declares `fatalError`, a name the tests rely on
            Rename it: Swift's own must stay the ones the tests call.
            """)
        XCTAssertFalse(refused.allPassed)
    }

    /// Between two runs, each kind of change gives a verdict on the code as it now is: an edited
    /// exercise file, an edited test file, a new exercise file, a changed course (a lesson's
    /// files listed anew in course.json and Package.swift regenerated). No run is served from a
    /// stale build.
    func testEveryKindOfChangeIsSeenByTheNextRun() throws {
        var project = try FixtureCourse.make(self, tests: """
            import XCTest
            import TinyTorchTensor
            final class TensorTests: LessonTestCase {
                func test_unit_double() { XCTAssertEqual(double(2), 4) }
            }
            """)
        let lesson = try project.course.writtenLesson(named: "01")
        var tester = LessonTester(project: project, runner: TestRunner(timeLimit: 20, parallelism: 2))
        let exercise = project.exerciseDirectory(lesson).appendingPathComponent("Tensor.swift")
        let testFile = project.testDirectory(lesson).appendingPathComponent("TensorTests.swift")
        var route: BuildOutcome.Route?
        func statuses() -> [String: TestStatus] {
            let report = tester.test(try! tester.project.course.writtenLesson(named: "01"))
            route = report.buildRoute
            return Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0.status) })
        }
        XCTAssertEqual(statuses(), ["test_unit_double": .passed])
        XCTAssertEqual(route, .swiftPM)
        let canRunPlans = CapturedBuildPlan.buildTool(environment: [:]) != nil

        // An edited exercise file: SwiftPM's captured plan builds it (where the toolchain has
        // swift-build-tool), and compiles the edit.
        try write(String(contentsOf: exercise, encoding: .utf8).replacingOccurrences(of: "x * 2", with: "x * 3"), to: exercise)
        XCTAssertEqual(statuses(), ["test_unit_double": .failed], "the edit is compiled")
        XCTAssertEqual(route, canRunPlans ? .capturedPlan : .swiftPM)
        // A compile error reads as SwiftPM's does, and the next build after it is still fast.
        try write(String(contentsOf: exercise, encoding: .utf8).replacingOccurrences(of: "x * 3", with: "x * \"3\""), to: exercise)
        let broken = tester.test(try project.course.writtenLesson(named: "01"))
        XCTAssertEqual(broken.buildRoute, canRunPlans ? .capturedPlan : .swiftPM)
        XCTAssertEqual(broken.compileErrors.first?.file, "Lessons/01-tensor/Exercise/Tensor.swift")
        XCTAssertEqual(broken.results.map(\.status), [.didNotCompile])
        CapturedBuildPlan(tester.swiftBuild(lessons: [1], sources: .learner)).discard()
        let brokenBySwiftPM = tester.test(try project.course.writtenLesson(named: "01"))
        XCTAssertEqual(brokenBySwiftPM.buildRoute, .swiftPM)
        XCTAssertEqual(broken.compileErrors, brokenBySwiftPM.compileErrors, "the same diagnostics, notes and all")
        try write(String(contentsOf: exercise, encoding: .utf8).replacingOccurrences(of: "x * \"3\"", with: "x * 3"), to: exercise)
        XCTAssertEqual(statuses(), ["test_unit_double": .failed])
        XCTAssertEqual(route, canRunPlans ? .capturedPlan : .swiftPM)

        // An edited test file (expecting what the code now does): SwiftPM plans again.
        try write(String(contentsOf: testFile, encoding: .utf8).replacingOccurrences(of: "double(2), 4", with: "double(2), 6"), to: testFile)
        XCTAssertEqual(statuses(), ["test_unit_double": .passed], "the edited test is compiled")
        XCTAssertEqual(route, .swiftPM)

        // A new exercise file, and a test that uses it.
        try write("public func triple(_ x: Int) -> Int { x * 3 }\n", to: project.exerciseDirectory(lesson).appendingPathComponent("Triple.swift"))
        try write(String(contentsOf: testFile, encoding: .utf8).replacingOccurrences(
            of: "    func test_unit_double()", with: "    func test_unit_triple() { XCTAssertEqual(triple(2), 6) }\n    func test_unit_double()"), to: testFile)
        XCTAssertEqual(statuses(), ["test_unit_double": .passed, "test_unit_triple": .passed], "the new file is compiled")
        XCTAssertEqual(route, .swiftPM)

        // A changed course: lesson 02 written, requiring 01, its tests declared by the regenerated
        // Package.swift; lesson 01's verdicts stay right and lesson 02 is built and tested.
        project = try FixtureCourse.addLesson(2, requires: [1], source: "import TinyTorchTensor\npublic let value = triple(1) + 1\n", to: project)
        tester = LessonTester(project: project, runner: tester.runner)
        XCTAssertEqual(statuses(), ["test_unit_double": .passed, "test_unit_triple": .passed])
        XCTAssertEqual(route, .swiftPM, "a changed Package.swift and course.json are planned again")
        let second = tester.test(try project.course.writtenLesson(named: "02"))
        XCTAssertEqual(second.results.map(\.status), [.passed], second.problem ?? second.results.map(\.message).joined())
    }

    /// A stub's `todo(…)` ends its test as a crash with the stub's message and place, exactly as
    /// the same test run alone reads, without ending the process: the tests after it run on in
    /// it. Reached from another thread (a parallel loop), it is a real crash.
    func testATodoReadsAsTheCrashItWouldBeAlone() throws {
        let project = try FixtureCourse.make(self, tests: """
            import XCTest
            import TinyTorchTensor
            final class TensorTests: LessonTestCase {
                func test_unit_stub() { XCTAssertEqual(stub(), 1) }
                func test_unit_passes() { XCTAssertEqual(double(2), 4) }
                func test_unit_failsThenStub() { XCTAssertEqual(double(2), 5, "first"); XCTAssertEqual(stub(), 2) }
                func test_unit_stubInParallel() { XCTAssertEqual(parallelStub(), 3) }
                func test_unit_crashes() { XCTAssertEqual(todo(), 1) }
                func test_unit_passesToo() { XCTAssertEqual(double(3), 6) }
            }
            """)
        let lesson = try project.course.writtenLesson(named: "01")
        try write("""
            import Dispatch
            public func stub() -> Int { todo("TODO(lesson 01): implement stub()") }
            public func parallelStub() -> Int {
                DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = stub() }
                return 0
            }
            """, to: project.exerciseDirectory(lesson).appendingPathComponent("Stub.swift"))
        let tester = LessonTester(project: project, runner: TestRunner(timeLimit: 10, parallelism: 1))
        let report = tester.test(lesson)
        let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0) })
        XCTAssertEqual(byName["test_unit_stub"]?.status, .crashed)
        XCTAssertEqual(byName["test_unit_stub"]?.message, "TODO(lesson 01): implement stub() — Lessons/01-tensor/Exercise/Stub.swift:2")
        XCTAssertEqual(byName["test_unit_stub"]?.location, "Lessons/01-tensor/Exercise/Stub.swift:2")
        XCTAssertEqual(byName["test_unit_passes"]?.status, .passed)
        XCTAssertEqual(byName["test_unit_passesToo"]?.status, .passed)
        XCTAssertEqual(byName["test_unit_stubInParallel"]?.status, .crashed)
        XCTAssertEqual(byName["test_unit_crashes"]?.status, .crashed)

        // Each verdict is the one the test gets in a process of its own.
        let bundle = try TestBundle.find(packageDirectory: project.root, scratchPath: project.scratchPath(.learner))
        for name in ["test_unit_stub", "test_unit_failsThenStub", "test_unit_stubInParallel", "test_unit_crashes"] {
            let alone = tester.runner.runOne(TestID(module: "LessonTests", testClass: "TensorTests", name: name), in: bundle,
                                             lesson: "01", project: project)
            XCTAssertEqual(byName[name]?.status, alone.status, name)
            XCTAssertEqual(byName[name]?.message, alone.message, name)
            XCTAssertEqual(byName[name]?.location, alone.location, name)
        }
        XCTAssertTrue(byName["test_unit_failsThenStub"]?.message.hasPrefix("XCTAssertEqual failed: (\"4\") is not equal to (\"5\") - first") == true,
                      byName["test_unit_failsThenStub"]?.message ?? "")
        XCTAssertTrue(byName["test_unit_failsThenStub"]?.message.hasSuffix("then TODO(lesson 01): implement stub() — Lessons/01-tensor/Exercise/Stub.swift:2") == true,
                      byName["test_unit_failsThenStub"]?.message ?? "")
    }

    func testZeroTestsIsAFailure() throws {
        let project = try FixtureCourse.make(self, tests: """
            import XCTest
            import TinyTorchTensor
            final class SomethingElseTests: XCTestCase {
                func test_unit_other() { XCTAssertEqual(double(1), 2) }
            }
            """)
        let lesson = try project.course.writtenLesson(named: "01")

        let report = LessonTester(project: project).test(lesson)

        XCTAssertNotNil(report.problem)
        XCTAssertTrue(report.problem?.contains("zero tests is a failure") == true, report.problem ?? "")
        XCTAssertFalse(report.allPassed)
    }
}
