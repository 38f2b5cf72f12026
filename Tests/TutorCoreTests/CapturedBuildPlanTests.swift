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
        // As if the compiler had not rebuilt it: the object an hour older than the source.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: object)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([exercise: object]), [object])

        let outcome = try build.build()
        XCTAssertTrue(outcome.succeeded, outcome.log)
        XCTAssertEqual(outcome.route, .capturedPlan)
        XCTAssertEqual(CapturedBuildPlan.staleObjects([exercise: object]), [], "built again")
        XCTAssertEqual(tester.test(lesson).buildRoute, .capturedPlan)
    }
}
