import Foundation

/// Reads what one XCTest process printed and decides the verdict, in words a learner can use.
public enum XCTestOutput {
    /// The verdict on a test from how its process ended and what it printed.
    public static func classify(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?, witness: String? = nil
    ) -> (TestStatus, String) {
        let verdict = verdict(termination: termination, output: output, testClass: testClass, name: name,
                              timeLimit: timeLimit, project: project, witness: witness)
        return (verdict.status, verdict.message)
    }

    /// The verdict with, for a crash, its place in the learner's files as data.
    ///
    /// `witness` is the secret the test bundle's `LessonTestCase` was given: then a test passes
    /// only with its witness line, `tutor-verdict <witness> passed <name>`, whatever the exit
    /// status and the summary text say — the code under test can print those, not the secret.
    public static func verdict(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?, witness: String? = nil
    ) -> (status: TestStatus, message: String, location: String?) {
        var termination = termination
        var output = output
        // A stub's `todo(…)` caught by LessonTestCase: what was printed up to the witness's
        // "crashed" line is what the crash would have printed, and it reads as that crash.
        if let witness, let caught = output.range(of: "\ntutor-verdict \(witness) crashed \(name)\n") {
            output = String(output[..<caught.lowerBound])
            termination = .signaled(trapSignal)
        }
        let crash = SwiftCrash.report(in: output, project: project)
        var (status, message) = words(termination: termination, output: output, testClass: testClass, name: name,
                                      timeLimit: timeLimit, project: project, crash: crash)
        if let witness, status == .passed || status == .failed, termination != .cancelled {
            (status, message) = witnessed(status, message, witness: witness, termination: termination, output: output,
                                          testClass: testClass, name: name, project: project)
        }
        return (status, message, status == .crashed ? crash?.location : nil)
    }

    /// The signal `fatalError` ends a process with: the trap instruction's.
    static var trapSignal: Int32 {
        #if arch(x86_64)
        return SIGILL
        #else
        return SIGTRAP
        #endif
    }

    /// The test a line of XCTest's is about, when it is `Test Case 'Class.test' <event>…`
    /// (Linux) or `Test Case '-[Module.Class test]' <event>…` (macOS).
    static func testCaseName(_ line: Substring, event: String) -> String? {
        guard line.hasPrefix("Test Case '"), let close = line.range(of: "' \(event)") else { return nil }
        let quoted = line[line.index(line.startIndex, offsetBy: 11)..<close.lowerBound]
        return quoted.split(whereSeparator: { $0 == " " || $0 == "." }).last.map { String($0.filter { $0 != "]" }) }
    }

    /// The seconds in `Test Case '…' passed (0.012 seconds).`
    static func reportedSeconds(_ line: Substring) -> Double? {
        guard let open = line.lastIndex(of: "("), let space = line[open...].firstIndex(of: " ") else { return nil }
        return Double(line[line.index(after: open)..<space])
    }

    /// What the witness saw, for a process that exited by itself.
    private static func witnessed(
        _ status: TestStatus, _ message: String, witness: String, termination: Termination, output: String,
        testClass: String, name: String, project: Project?
    ) -> (TestStatus, String) {
        let passed = output.contains("tutor-verdict \(witness) passed \(name)\n")
        let failed = output.contains("tutor-verdict \(witness) failed \(name)\n")
        if passed && !failed && termination == .exited(0) { return (.passed, "") }
        if passed || failed {
            // It finished, and not as a pass: the assertions say why, if they do.
            return (.failed, status == .failed ? message : "the test did not pass (it was skipped, or reported no failure but did not succeed)")
        }
        if output.contains("Executed 0 tests") || !output.contains("Test Case") {
            return (.failed, "the test did not run (no test called \(testClass)/\(name) in the build)")
        }
        let code: String
        if case .exited(let value) = termination { code = " (exit status \(value))" } else { code = "" }
        let failures = assertionFailures(in: output, testClass: testClass, name: name, project: project)
        return (.failed, (failures.isEmpty ? "" : failures.joined(separator: "\n") + "\nthen ")
            + "the process ended before the test finished\(code): something in the code under test called exit() "
            + "or the like, so the test has no verdict. Code under test must return or throw, never end the program.")
    }

    private static func words(
        termination: Termination, output: String, testClass: String, name: String,
        timeLimit: Double, project: Project?, crash: SwiftCrash.Report?
    ) -> (TestStatus, String) {
        let failures = assertionFailures(in: output, testClass: testClass, name: name, project: project)
        switch termination {
        case .exited(0):
            if output.contains("Executed 0 tests") || !output.contains("Executed 1 test") {
                return (.failed, "the test did not run (no test called \(testClass)/\(name) in the build)")
            }
            return (.passed, "")
        case .exited(let code):
            if !failures.isEmpty { return (.failed, failures.joined(separator: "\n")) }
            if let crash { return (.crashed, crash.text) }
            return (.failed, "the test process exited with status \(code)")
        case .signaled(let signal):
            var message = crash?.text ?? "crashed with \(signalDescription(signal))"
            if !failures.isEmpty { message = failures.joined(separator: "\n") + "\nthen " + message }
            return (.crashed, message)
        case .timedOut:
            return (.timedOut, "still running after \(formatSeconds(timeLimit)) — an infinite loop, or far too much work? "
                + "The test was stopped.")
        case .cancelled:
            return (.failed, "stopped before it finished")
        }
    }

    /// `…/TensorTests.swift:12: error: TensorTests.test_x : XCTAssertEqual failed: … - message`
    /// becomes `XCTAssertEqual failed: … - message (Tests/LessonTests/01-tensor/TensorTests.swift:12)`.
    static func assertionFailures(in output: String, testClass: String, name: String, project: Project?) -> [String] {
        let marker = ": error: \(testClass).\(name) : "
        var messages: [String] = []
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: marker) else { continue }
            let location = String(line[..<range.lowerBound])
            let message = String(line[range.upperBound...])
            // An error thrown out of the test has no place of its own: XCTest says `<EXPR>:0`.
            if location.hasPrefix("<EXPR>") {
                messages.append(message)
            } else {
                messages.append("\(message) (\(project?.relativePath(location) ?? location))")
            }
        }
        return messages
    }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}
