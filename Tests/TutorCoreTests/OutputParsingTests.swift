import XCTest
@testable import TutorCore
import TutorTestSupport

/// Parsing what the compiler and XCTest print into messages a learner can use.
final class OutputParsingTests: XCTestCase {
    func testCompilerErrorsAreDeduplicatedAndErrorsComeFirst() {
        let log = """
            [3/5] Emitting module TinyTorchTensor
            /repo/Lessons/01-tensor/Exercise/Tensor.swift:4:9: warning: variable 'x' was never used
            /repo/Lessons/01-tensor/Exercise/Tensor.swift:11:53: error: cannot convert value of type 'String' to specified type 'Int'
             9 |   func f() {}
            error: emit-module command failed with exit code 1 (use -v to see invocation)
            [4/5] Compiling TinyTorchTensor Tensor.swift
            /repo/Lessons/01-tensor/Exercise/Tensor.swift:11:53: error: cannot convert value of type 'String' to specified type 'Int'
            """
        let diagnostics = CompilerDiagnostics.parse(log)
        XCTAssertEqual(diagnostics.map(\.severity), [.error, .warning])
        XCTAssertEqual(diagnostics[0].line, 11)
        XCTAssertEqual(diagnostics[0].column, 53)
        XCTAssertEqual(diagnostics[0].message, "cannot convert value of type 'String' to specified type 'Int'")
    }

    func testNotesStayWithTheirErrorOnce() {
        // What Swift 6.3 prints for a plain `min` inside a Sequence and for a property an init
        // forgot (the notes hold the fix), the first error twice (two jobs compile the file).
        let minError = """
            /repo/Lessons/08-dataloader/Exercise/DataLoader.swift:123:23: error: use of 'min' refers to instance method rather than global function 'min' in module 'Swift'
            121 |             guard batchesReturned < batchCount else { return nil }
            123 |             let end = min(start + batchSize, order.count)
                |                       |- error: use of 'min' refers to instance method rather than global function 'min' in module 'Swift'
                |                       `- note: use 'Swift.' to reference the global function in module 'Swift'
            124 |             batchesReturned += 1

            Swift.min:1:24: note: 'min' declared here
            1 | @inlinable public func min<T>(_ x: T, _ y: T) -> T where T : Comparable
              |                        `- note: 'min' declared here
            """
        let log = minError + "\n[4/5] Compiling TinyTorchData DataLoader.swift\n" + minError + "\n" + """
            /repo/Lessons/08-dataloader/Exercise/Dataset.swift:193:56: error: return from initializer without initializing all stored properties
            193 | struct Broken { let a: Int; let b: Int; init() { a = 1 } }
                |                                 |                      `- error: return from initializer without initializing all stored properties
                |                                 `- note: 'self.b' not initialized
            /repo/Lessons/08-dataloader/Exercise/Dataset.swift:12:16: note: 'self.inputs' not initialized
             12 |     public let inputs: Tensor
                |                `- note: 'self.inputs' not initialized
            """
        let diagnostics = CompilerDiagnostics.parse(log)
        XCTAssertEqual(diagnostics.count, 2, "the repeated error is dropped, with its repeated notes")
        XCTAssertEqual(diagnostics[0].notes, ["note: use 'Swift.' to reference the global function in module 'Swift'"],
                       "a note into Swift's own interface ('min' declared here) is dropped")
        XCTAssertEqual(diagnostics[1].notes, [
            "note: 'self.b' not initialized",
            "note: 'self.inputs' not initialized (/repo/Lessons/08-dataloader/Exercise/Dataset.swift:12)",
        ], "each note once, with its place when it is elsewhere")
    }

    func testLinkerErrorsAreFoundWithoutFileLines() {
        let log = "Linking x\n/usr/bin/ld: undefined reference to `foo'\nerror: link command failed with exit code 1\n"
        XCTAssertEqual(CompilerDiagnostics.otherErrors(log), ["/usr/bin/ld: undefined reference to `foo'"])
    }

    func testAssertionFailureMessage() {
        let output = """
            Test Case 'TensorTests.test_unit_add' started at 2026-11-25 08:44:35.078
            /repo/Tests/LessonTests/01-tensor/TensorTests.swift:5: error: TensorTests.test_unit_add : XCTAssertEqual failed: ("3.0") is not equal to ("4.0") - 1 + 2
            Test Case 'TensorTests.test_unit_add' failed (0.001 seconds)
            Executed 1 test, with 1 failure (0 unexpected) in 0.001 (0.001) seconds
            """
        let (status, message) = XCTestOutput.classify(termination: .exited(1), output: output, testClass: "TensorTests",
                                                      name: "test_unit_add", timeLimit: 10, project: nil)
        XCTAssertEqual(status, .failed)
        XCTAssertEqual(message, #"XCTAssertEqual failed: ("3.0") is not equal to ("4.0") - 1 + 2 (/repo/Tests/LessonTests/01-tensor/TensorTests.swift:5)"#)
    }

    /// With a witness, only its line makes a pass: a forged summary and exit(0) do not.
    func testOnlyTheWitnessLineMakesAPass() {
        let started = "Test Case 'TensorTests.test_unit_add' started at 2026-11-25 08:44:35.078\n"
        let forged = started + "Test Suite 'Selected tests' passed\nExecuted 1 test, with 0 failures (0 unexpected) in 0.001 (0.001) seconds\n"
        func classify(_ termination: Termination, _ output: String) -> (TestStatus, String) {
            XCTestOutput.classify(termination: termination, output: output, testClass: "TensorTests", name: "test_unit_add",
                                  timeLimit: 10, project: nil, witness: "c0ffee")
        }
        XCTAssertEqual(classify(.exited(0), forged + "\ntutor-verdict c0ffee passed test_unit_add\n").0, .passed)
        let (status, message) = classify(.exited(0), forged)
        XCTAssertEqual(status, .failed, "exit 0 and a passing summary, but no witness: the process was ended early")
        XCTAssertTrue(message.hasPrefix("the process ended before the test finished (exit status 0): something in the code under test called exit()"), message)
        XCTAssertEqual(classify(.exited(0), forged + "tutor-verdict 123456 passed test_unit_add\n").0, .failed, "a wrong secret")
        XCTAssertEqual(classify(.exited(0), forged + "tutor-verdict c0ffee passed test_unit_other\n").0, .failed, "another test's line")
        XCTAssertEqual(classify(.exited(3), started).1,
                       "the process ended before the test finished (exit status 3): something in the code under test called exit() "
                       + "or the like, so the test has no verdict. Code under test must return or throw, never end the program.")
        XCTAssertEqual(classify(.exited(0), forged + "tutor-verdict c0ffee passed test_unit_add\ntutor-verdict c0ffee failed test_unit_add\n").0,
                       .failed, "a failed line wins")
        XCTAssertEqual(classify(.exited(0), "Executed 0 tests, with 0 failures\n").1,
                       "the test did not run (no test called TensorTests/test_unit_add in the build)")
        XCTAssertEqual(classify(.signaled(SIGSEGV), started).0, .crashed, "a crash stays a crash")
    }

    func testAnErrorThrownOutOfATestHasNoMadeUpPlace() {
        let output = """
            <EXPR>:0: error: DataLoaderTests.test_unit_mnist : failed: caught error: "fileNotFound(name: "x", directory: "/d")"
            Test Case 'DataLoaderTests.test_unit_mnist' failed (0.001 seconds)
            """
        let (status, message) = XCTestOutput.classify(termination: .exited(1), output: output, testClass: "DataLoaderTests",
                                                      name: "test_unit_mnist", timeLimit: 10, project: nil)
        XCTAssertEqual(status, .failed)
        XCTAssertEqual(message, #"failed: caught error: "fileNotFound(name: "x", directory: "/d")""#)
    }

    func testFatalErrorPreconditionAndStandardLibraryCrashes() {
        func crash(_ line: String) -> (TestStatus, String) {
            XCTestOutput.classify(termination: .signaled(SIGILL), output: "Test Case started\n\(line)\nCurrent stack trace:\n0 libswiftCore.so",
                                  testClass: "T", name: "t", timeLimit: 10, project: nil)
        }
        XCTAssertEqual(crash("TinyTorchTensor/Matmul.swift:20: Fatal error: TODO(lesson 01): implement matmul(_:)").1,
                       "TODO(lesson 01): implement matmul(_:) — TinyTorchTensor/Matmul.swift:20")
        XCTAssertEqual(crash("TinyTorchTensor/Matmul.swift:9: Precondition failed: matmul: [2, 3] × [4, 5]").1,
                       "Precondition failed: matmul: [2, 3] × [4, 5] — TinyTorchTensor/Matmul.swift:9")
        XCTAssertEqual(crash("Swift/ContiguousArrayBuffer.swift:691: Fatal error: Index out of range").1, "Index out of range")
        XCTAssertEqual(crash("").1, "crashed with SIGILL (illegal instruction — a Swift runtime trap)")
        XCTAssertEqual(crash("x").0, .crashed)
    }

    func testARequireInAReleaseBuildNamesItsPlaceInTheProject() throws {
        // The lessons' `require` passes `#file`: in their Swift 5 mode, the full path.
        let project = try Project(root: repositoryRoot)
        let output = "\(repositoryRoot.path)/Lessons/01-tensor/Exercise/Matmul.swift:40: Fatal error: matmul: [1, 2] × [1, 2]"
        let report = SwiftCrash.report(in: output, project: project, labellingFatalErrors: true)
        XCTAssertEqual(report, SwiftCrash.Report(message: "Fatal error: matmul: [1, 2] × [1, 2]",
                                                 location: "Lessons/01-tensor/Exercise/Matmul.swift:40"))
    }

    func testABacktraceGivesTheLearnersPlacesAndWhereTheyWereCalledFrom() throws {
        // What Swift 6.3's backtracer wrote for a release-built perceptron whose Linear multiplied by
        // the transposed weight (inlined frames name some files relative to the package).
        let project = try Project(root: repositoryRoot)
        let root = repositoryRoot.path
        let backtrace = """
            *** Program crashed: Illegal instruction at 0x00007fef750f9361 ***

            Thread 0 "MilestonePercep" crashed:

              0                0x00007fef750f9361 _assertionFailure(_:_:file:line:flags:) + 225 in libswiftCore.so
              1 [ra] [inlined] 0x000055b4f8e3f6bc specialized requireValidShape<A>(_:file:line:) in MilestonePerceptron at Lessons/01-tensor/Provided/Require.swift:42:5
              2 [ra] [inlined] 0x000055b4f8e3f6bc requirementFailure(_:file:line:) in MilestonePerceptron at \(root)/Lessons/01-tensor/Exercise/Matmul.swift:40:27
              3 [ra]           0x000055b4f8e3f6bc Tensor.matmul(_:) + 1643 in MilestonePerceptron at Lessons/01-tensor/Provided/ShapeError.swift:37:9
              4 [ra]           0x000055b4f8e31729 Linear.callAsFunction(_:) + 120 in MilestonePerceptron at \(root)/Lessons/03-layers/Exercise/Linear.swift:130:29
              5 [ra] [inlined] 0x000055b4f8e2352a Perceptron.sums(_:) in MilestonePerceptron at \(root)/Checkpoints/01-perceptron/main.swift:39:45
              6 [ra]           0x000055b4f8e2352a Perceptron.answers(_:) + 25 in MilestonePerceptron at \(root)/Checkpoints/01-perceptron/main.swift:42:42
              7 [ra]           0x000055b4f8e23111 Report.epoch(_:of:) + 25 in MilestonePerceptron at \(root)/Checkpoints/Support/Report.swift:20:3
              8 [ra] [system]  0x000055b4f8e25aea specialized Collection.map<A, B>(_:) in MilestonePerceptron at //<compiler-generated>
              9 [ra]           0x000055b4f8e25aea MilestonePerceptron_main + 2745 in MilestonePerceptron at \(root)/Checkpoints/01-perceptron/main.swift:120:19
            ...
            """
        XCTAssertEqual(SwiftCrash.learnerPlaces(inBacktrace: backtrace, project: project), [
            "Lessons/01-tensor/Exercise/Matmul.swift:40", "Lessons/03-layers/Exercise/Linear.swift:130",
            "Checkpoints/01-perceptron/main.swift:39", "Checkpoints/01-perceptron/main.swift:42",
            "Checkpoints/01-perceptron/main.swift:120",
        ], "the given Provided/ code, the milestones' Support and places the compiler made are left out")

        // With the message's place: the callers come after it, three at most.
        let printed = SwiftCrash.Report(message: "Fatal error: matmul: [1, 2] × [1, 2] — inner sizes differ (2 vs 1)",
                                        location: "Lessons/01-tensor/Exercise/Matmul.swift:40")
        let report = SwiftCrash.report(printed, completedBy: backtrace, project: project)
        XCTAssertEqual(report?.calledFrom, ["Lessons/03-layers/Exercise/Linear.swift:130",
                                            "Checkpoints/01-perceptron/main.swift:39", "Checkpoints/01-perceptron/main.swift:42"])
        XCTAssertEqual(report?.text, "Fatal error: matmul: [1, 2] × [1, 2] — inner sizes differ (2 vs 1) — "
                       + "Lessons/01-tensor/Exercise/Matmul.swift:40, called from Lessons/03-layers/Exercise/Linear.swift:130 "
                       + "← Checkpoints/01-perceptron/main.swift:39 ← Checkpoints/01-perceptron/main.swift:42")

        // A release build's silent trap (a precondition): the first learner place is the location.
        let silent = SwiftCrash.report(nil, completedBy: backtrace, project: project)
        XCTAssertEqual(silent?.message, SwiftCrash.noMessage)
        XCTAssertEqual(silent?.location, "Lessons/01-tensor/Exercise/Matmul.swift:40")
        XCTAssertEqual(silent?.calledFrom.first, "Lessons/03-layers/Exercise/Linear.swift:130")
        XCTAssertNil(SwiftCrash.report(nil, completedBy: "no frames here", project: project))

        XCTAssertTrue(SwiftCrash.isBacktracerNotice("*** Signal 4: Backtracing from 0x7fef750f9361... done ***"))
        XCTAssertFalse(SwiftCrash.isBacktracerNotice("*** a learner's own stars ***"))
    }

    func testFailedAllocationUnderTheMemoryLimitIsACrash() {
        let (status, message) = XCTestOutput.classify(
            termination: .exited(134), output: "Fatal error: failed to allocate 1099511627808 bytes of memory with alignment 8\n",
            testClass: "T", name: "t", timeLimit: 10, project: nil)
        XCTAssertEqual(status, .crashed)
        XCTAssertTrue(message.contains("failed to allocate"))
    }

    func testPassRequiresTheTestToHaveRun() {
        let ran = XCTestOutput.classify(termination: .exited(0), output: "Executed 1 test, with 0 failures", testClass: "T", name: "t", timeLimit: 10, project: nil)
        XCTAssertEqual(ran.0, .passed)
        let didNotRun = XCTestOutput.classify(termination: .exited(0), output: "Executed 0 tests, with 0 failures", testClass: "T", name: "t", timeLimit: 10, project: nil)
        XCTAssertEqual(didNotRun.0, .failed)
    }

    func testTimeoutMessage() {
        let (status, message) = XCTestOutput.classify(termination: .timedOut, output: "", testClass: "T", name: "t", timeLimit: 10, project: nil)
        XCTAssertEqual(status, .timedOut)
        XCTAssertTrue(message.hasPrefix("still running after 10 s"))
    }
}
