import XCTest
@testable import TutorCore

final class ChildProcessTests: XCTestCase {
    /// At the deadline a sample is asked for (the signal), read until its end marker, then the
    /// group is killed: still a timeout.
    func testADeadlineSampleAsksThenKills() throws {
        var command = Command("/bin/sh", ["-c", "trap 'echo where: here; echo END' QUIT; while :; do sleep 0.05; done"], timeLimit: 0.5)
        command.deadlineSample = Command.DeadlineSample(signal: SIGQUIT, grace: 5, endMarker: "END")
        let result = try ChildProcess.run(command)
        XCTAssertEqual(result.termination, .timedOut)
        XCTAssertTrue(result.output.contains("where: here"), result.output)
        XCTAssertLessThan(result.seconds, 3, "killed once the marker arrives, not after the whole grace")
    }

    func testCapturesOutputAndExitStatus() throws {
        let result = try ChildProcess.run(Command("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]))
        XCTAssertEqual(result.termination, .exited(3))
        XCTAssertTrue(result.output.contains("out"))
        XCTAssertTrue(result.output.contains("err"), "standard error is merged by default")
    }

    func testKeepsStandardErrorApartWhenAsked() throws {
        let result = try ChildProcess.run(Command("/bin/sh", ["-c", "echo out; echo err >&2"], mergeErrorIntoOutput: false))
        XCTAssertEqual(result.output, "out\n")
        XCTAssertEqual(result.errorOutput, "err\n")
    }

    func testTimeLimitKillsTheWholeProcessGroup() throws {
        // The grandchild holds the pipe open: only killing the group ends the run.
        let result = try ChildProcess.run(Command("/bin/sh", ["-c", "sleep 30 & sleep 30"], timeLimit: 0.5))
        XCTAssertEqual(result.termination, .timedOut)
        XCTAssertLessThan(result.seconds, 10)
    }

    func testAQuickChildIsNotHeldUpByASlowOneRunningAlongside() throws {
        // Regression: pipes leaked into a sibling child made a crash look like a timeout.
        let durations = Durations()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let command = index % 2 == 0
                ? Command("/bin/sh", ["-c", "sleep 3"], timeLimit: 10)
                : Command("/bin/sh", ["-c", "echo quick"], timeLimit: 10)
            if let result = try? ChildProcess.run(command), index % 2 == 1 { durations.add(result.seconds) }
        }
        XCTAssertEqual(durations.values.count, 4)
        XCTAssertLessThan(durations.values.max() ?? 99, 2, "a quick child waited for a slow sibling: \(durations.values)")
    }

    func testReportsSignals() throws {
        let result = try ChildProcess.run(Command("/bin/sh", ["-c", "kill -SEGV $$"]))
        XCTAssertEqual(result.termination, .signaled(SIGSEGV))
    }

    func testFloodOfOutputIsCapped() throws {
        let result = try ChildProcess.run(Command("/bin/sh", ["-c", "yes flood | head -c 3000000; echo END"], captureLimit: 10_000))
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertLessThan(result.output.utf8.count, 12_000)
        XCTAssertTrue(result.output.contains("left out"))
        XCTAssertTrue(result.output.hasSuffix("END\n"), "the tail is kept")
    }

    func testMissingExecutableIsAClearError() {
        XCTAssertThrowsError(try ChildProcess.run(Command("/nonexistent/tool"))) { error in
            XCTAssertTrue(error.localizedDescription.contains("/nonexistent/tool"))
        }
    }

    func testWorkingDirectory() throws {
        let result = try ChildProcess.run(Command("pwd", workingDirectory: "/tmp"))
        XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "/tmp")
    }
}

private final class Durations: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Double] = []
    func add(_ value: Double) { lock.withLock { stored.append(value) } }
    var values: [Double] { lock.withLock { stored } }
}
