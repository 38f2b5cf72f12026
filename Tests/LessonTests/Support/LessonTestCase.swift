// The base class of every lesson's tests, and the tutor's trusted witness of each verdict.
//
// A test passes only when this observer says so. Exit statuses and XCTest's summary text can be
// forged by the code under test (print "Executed 1 test, with 0 failures", then `exit(0)`); what
// it cannot forge is a line carrying a secret it never sees. The tutor writes a fresh random
// token to a file and names the file in TUTOR_VERDICT_FILE; before any test of the class runs,
// `setUp()` reads the token, deletes the file and removes the variable, and registers an
// observer that prints `tutor-verdict <token> passed|failed <test>` as each test finishes. No
// such line for a test whose process exited 0 means the test never finished: something ended
// the process early. Without TUTOR_VERDICT_FILE (a test run by hand) nothing is printed.

import Foundation
import XCTest

/// Every lesson's test class inherits from this (the course registry checks it).
class LessonTestCase: XCTestCase {
    override class func setUp() {
        super.setUp()
        VerdictWitness.install()
    }
}

private final class VerdictWitness: NSObject, XCTestObservation {
    nonisolated(unsafe) private static var installed = false
    private let token: String

    private init(token: String) { self.token = token }

    static func install() {
        guard !installed else { return }
        installed = true
        guard let path = ProcessInfo.processInfo.environment["TUTOR_VERDICT_FILE"] else { return }
        unsetenv("TUTOR_VERDICT_FILE")
        let token = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try? FileManager.default.removeItem(atPath: path)
        guard !token.isEmpty else { return }
        XCTestObservationCenter.shared.addTestObserver(VerdictWitness(token: token))
    }

    func testCaseDidFinish(_ testCase: XCTestCase) {
        guard let run = testCase.testRun else { return }
        let passed = run.hasSucceeded && run.totalFailureCount == 0 && run.skipCount == 0
        // "TensorTests.test_unit_x" (Linux) or "-[TensorTests test_unit_x]" (macOS) → test_unit_x
        let name = testCase.name.split(whereSeparator: { $0 == " " || $0 == "." }).last.map { String($0.filter { $0 != "]" }) }
            ?? testCase.name
        let line = "\ntutor-verdict \(token) \(passed ? "passed" : "failed") \(name)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
