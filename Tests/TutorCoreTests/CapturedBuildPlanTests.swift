import XCTest
@testable import TutorCore
import TutorTestSupport

/// The fast path of a test build (SwiftPM's captured plan): what it reads from the plan and from
/// swift-build-tool's output, and its guard against a stale build, on a real package. (Which
/// change sends a build back to SwiftPM: TestRunnerTests.testEveryKindOfChangeIsSeenByTheNextRun.)
final class CapturedBuildPlanTests: XCTestCase {
    func testReadsEachSourceAndItsObjectFromThePlan() {
        let manifest = """
            commands:
              "C.TinyTorchTensor-debug.module":
                tool: shell
                inputs: ["/p/Lessons/01-tensor/Exercise/Tensor.swift","/p/Lessons/01-tensor/Provided/Operations.swift","/p/.build/sources"]
                outputs: ["/p/.build/debug/TinyTorchTensor.build/Tensor.swift.o","/p/.build/debug/TinyTorchTensor.build/Operations.swift.o","/p/.build/debug/Modules/TinyTorchTensor.swiftmodule"]
              "C.TinyTorchActivations-debug.module":
                tool: shell
                inputs: ["/p/Lessons/02-activations/Provided/Operations.swift"]
                outputs: ["/p/.build/debug/TinyTorchActivations.build/Operations.swift.o"]
            """
        XCTAssertEqual(CapturedBuildPlan.objectFiles(in: manifest), [
            "/p/Lessons/01-tensor/Exercise/Tensor.swift": "/p/.build/debug/TinyTorchTensor.build/Tensor.swift.o",
            "/p/Lessons/01-tensor/Provided/Operations.swift": "/p/.build/debug/TinyTorchTensor.build/Operations.swift.o",
            "/p/Lessons/02-activations/Provided/Operations.swift": "/p/.build/debug/TinyTorchActivations.build/Operations.swift.o",
        ], "files of the same name in two modules each keep their own object")
    }

    func testTheLogIsTheCompilersTextOnceEach() {
        let error = "/p/Lessons/01-tensor/Exercise/Tensor.swift:5:43: error: cannot convert value\n5 | x * \"3\"\n"
        func message(_ object: [String: Any]) -> String {
            let data = try! JSONSerialization.data(withJSONObject: object)
            return "\(data.count)\n" + String(decoding: data, as: UTF8.self) + "\n"
        }
        let output = "Compiling Swift Module 'TinyTorchTensor' (2 sources)\n"
            + message(["kind": "began", "name": "compile", "pid": 1])
            + message(["kind": "finished", "name": "compile", "output": error, "exit-status": 1])
            + message(["kind": "finished", "name": "emit-module", "output": error, "exit-status": 1])
            + message(["kind": "skipped", "name": "compile"])
            + "error: emit-module command failed with exit code 1 (use -v to see invocation)\n"
        let log = CapturedBuildPlan.readableLog(output)
        XCTAssertEqual(log, """
            Compiling Swift Module 'TinyTorchTensor' (2 sources)
            /p/Lessons/01-tensor/Exercise/Tensor.swift:5:43: error: cannot convert value
            5 | x * "3"
            error: emit-module command failed with exit code 1 (use -v to see invocation)
            """)
        XCTAssertEqual(CompilerDiagnostics.parse(log).filter { $0.severity == .error }.count, 1)
    }

    /// `TUTOR_DEBUG_PLAN=1` says why SwiftPM had to build: here, another lesson set and a test
    /// file changed.
    func testSaysWhatDifferedWhenThePlanCannotBeUsed() {
        let saved = CapturedBuildPlan.Fingerprint(
            environment: ["TUTOR_LESSONS": "1"], configuration: "debug", toolchain: ["swift /s 1 2 3"], manifest: "m",
            files: ["/p/Lessons/01-tensor/Exercise/Tensor.swift": "source", "/p/Tests/LessonTests/01-tensor/T.swift": "10 1.0 7"])
        var current = saved
        XCTAssertEqual(CapturedBuildPlan.difference(saved, current), "the plan's files are missing")
        current.environment["TUTOR_LESSONS"] = "2"
        current.files["/p/Tests/LessonTests/01-tensor/T.swift"] = "11 2.0 7"
        XCTAssertEqual(CapturedBuildPlan.difference(saved, current),
                       "environment TUTOR_LESSONS: 1 -> 2; /p/Tests/LessonTests/01-tensor/T.swift: 10 1.0 7 -> 11 2.0 7")
        XCTAssertEqual(CapturedBuildPlan.difference(nil, current), "no plan was captured")
    }

    /// The compiler leaves an object untouched when a compile would not change its bytes (a
    /// comment added), but it always writes the source's `.d` and `.dia`: a source newer than its
    /// object and older than those was compiled, and is not built a second time.
    func testAnObjectTheCompilerLeftAloneIsNotStale() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("Tensor.swift").path
        let object = folder.appendingPathComponent("Tensor.swift.o").path
        func write(_ path: String, secondsAgo: Double) throws {
            try Data("x".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-secondsAgo)], ofItemAtPath: path)
        }
        try write(object, secondsAgo: 3600)
        try write(source, secondsAgo: 60)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([source: object]), [object], "nothing says the compiler saw the edit")
        try write(folder.appendingPathComponent("Tensor.d").path, secondsAgo: 10)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([source: object]), [], "compiled after the edit; the object was the same")
        try write(source, secondsAgo: 0)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([source: object]), [object], "edited again since")
        try write(folder.appendingPathComponent("Tensor.dia").path, secondsAgo: -1)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([source: object]), [])
    }

    func testThePlanBuildsTheTestsWithoutLinkingTheExecutables() {
        let plan = """
            targets:
              "main": ["<MilestoneXor-debug.exe>","<TinyTorchTensor-debug.module>"]
              "test": ["<LessonTests-debug.module>","<MilestoneXor-debug.exe>","<MilestoneXor-debug.module>","<TinyTorchSwiftPackageTests-debug.test>"]
            commands:
            """
        XCTAssertEqual(CapturedBuildPlan.withoutExecutableLinks(plan), """
            targets:
              "main": ["<MilestoneXor-debug.exe>","<TinyTorchTensor-debug.module>"]
              "test": ["<LessonTests-debug.module>","<MilestoneXor-debug.module>","<TinyTorchSwiftPackageTests-debug.test>"]
            commands:
            """)
    }

    func testTheVariablesOfTheTutorThatCountAreThoseTheManifestReads() throws {
        let manifest = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let names = CapturedBuildPlan.tutorVariables(in: manifest)
        XCTAssertTrue(names.isSuperset(of: ["TUTOR_LESSONS", "TUTOR_SOLUTIONS", "TUTOR_NO_PLAYGROUND"]), "\(names)")
        XCTAssertFalse(names.contains("TUTOR_TRACE_FILE"))
        XCTAssertEqual(CapturedBuildPlan.tutorVariables(in: #"env["TUTOR_A1"] ?? env["TUTOR_B_C"]"#), ["TUTOR_A1", "TUTOR_B_C"])
    }

    func testOnlyTheLessonsSourcesCountByPathAlone() {
        XCTAssertTrue(CapturedBuildPlan.isCompiledSource("/p/Lessons/01-tensor/Exercise/Tensor.swift", root: "/p"))
        XCTAssertTrue(CapturedBuildPlan.isCompiledSource("/p/Lessons/02-activations/Provided/Operations.swift", root: "/p"))
        XCTAssertFalse(CapturedBuildPlan.isCompiledSource("/p/Lessons/01-tensor/Exercise/Deeper/Tensor.swift", root: "/p"))
        XCTAssertFalse(CapturedBuildPlan.isCompiledSource("/p/Tests/LessonTests/01-tensor/TensorTests.swift", root: "/p"))
        XCTAssertFalse(CapturedBuildPlan.isCompiledSource("/p/Lessons/TinyTorch/TinyTorch.swift", root: "/p"))
    }

    /// An object file older than its source after a build that succeeded means the build missed
    /// the change: the object is removed and built again, and the verdict is on the new code.
    func testAnObjectOlderThanItsSourceIsBuiltAgain() throws {
        let project = try FixtureCourse.make(self)
        let lesson = try project.course.writtenLesson(named: "01")
        let tester = LessonTester(project: project, runner: TestRunner(timeLimit: 5, parallelism: 2))
        let build = tester.swiftBuild(lessons: [1], sources: .learner)
        guard CapturedBuildPlan.buildTool(environment: [:]) != nil else {
            throw XCTSkip("this toolchain has no swift-build-tool: every build goes through SwiftPM")
        }
        XCTAssertEqual(try build.build().route, .swiftPM)
        XCTAssertEqual(try build.build().route, .capturedPlan)

        let manifest = try String(contentsOf: build.scratchPath.appendingPathComponent("debug.yaml"), encoding: .utf8)
        let exercise = project.exerciseDirectory(lesson).appendingPathComponent("Tensor.swift").standardizedFileURL.path
        let object = try XCTUnwrap(CapturedBuildPlan.objectFiles(in: manifest).first { $0.key.hasSuffix("/Exercise/Tensor.swift") }?.value)
        XCTAssertEqual(CapturedBuildPlan.objectFiles(in: manifest)[exercise], object)
        // As if the compiler had not rebuilt it: the object (and the files each compile writes
        // beside it) an hour older than the source.
        for path in [object, String(object.dropLast(".swift.o".count)) + ".d", String(object.dropLast(".swift.o".count)) + ".dia"] {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: path)
        }
        XCTAssertEqual(CapturedBuildPlan.staleObjects([exercise: object]), [object])

        let outcome = try build.build()
        XCTAssertTrue(outcome.succeeded, outcome.log)
        XCTAssertEqual(outcome.route, .capturedPlan)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([exercise: object]), [], "built again")
        XCTAssertEqual(tester.test(lesson).buildRoute, .capturedPlan)
    }
}
