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
import TinyTorchTensor  // `TodoTrap`
import XCTest

/// Every lesson's test class inherits from this (the course registry checks it).
class LessonTestCase: XCTestCase {
    override class func setUp() {
        super.setUp()
        VerdictWitness.install()
    }

    /// Runs `body` on a thread with a stack of `stackSize` bytes, and waits for it. For a test
    /// that shows a walk is not recursive: on a small stack, a graph a few thousand operations
    /// deep overflows any recursive walk just as surely as 100,000 operations overflow the main
    /// thread's 8 MiB, in a fraction of the time. A `todo(…)` reached there ends the test as one
    /// reached on the test's own thread does.
    static func onThread(stackSize: Int, _ body: @escaping () -> Void) {
        let carried = Thread.current.threadDictionary[TodoCatcher.threadKey]
        let finished = DispatchSemaphore(value: 0)
        startThread(stackSize: stackSize) {
            if let carried { Thread.current.threadDictionary[TodoCatcher.threadKey] = carried }
            body()
            finished.signal()
        }
        finished.wait()
    }

    /// Under the tutor, the test body runs on a thread of its own, so that a stub's `todo(…)`
    /// can end the test and not the process (see Lessons/01-tensor/Provided/Todo.swift).
    override func invokeTest() {
        guard let token = VerdictWitness.token else { return super.invokeTest() }
        let outcome = TodoCatcher.run { super.invokeTest() }
        guard let todo = outcome else { return }
        // What `fatalError` would have printed, then the witness's word that this test crashed
        // there; the tutor reads the two as it reads a crash of a test run alone.
        let name = VerdictWitness.shortName(self.name)
        FileHandle.standardError.write(Data("\(todo.file):\(todo.line): Fatal error: \(todo.message)\n".utf8))
        FileHandle.standardOutput.write(Data("\ntutor-verdict \(token) crashed \(name)\n".utf8))
        recordFailure(withDescription: todo.message, inFile: todo.file, atLine: todo.line, expected: false)
    }
}

/// Runs a test body on its own thread and waits for it, or for the first `todo` it reaches.
private enum TodoCatcher {
    struct Todo { var message: String, file: String, line: Int }

    private final class Run: @unchecked Sendable {
        let finished = DispatchSemaphore(value: 0)
        var todo: Todo?
    }

    /// The key of the current test's thread in its `threadDictionary`.
    fileprivate static let threadKey = "tutor.todoCatcher"

    static func run(_ body: @escaping () -> Void) -> Todo? {
        let run = Run()
        TodoTrap.handler = { message, file, line in
            // Another thread (one of Dispatch's, in a parallel loop) cannot be parked: the test
            // waits for it. There `todo` stops the process, as fatalError would.
            guard let current = Thread.current.threadDictionary[threadKey] as? Run, current === run else { return }
            run.todo = Todo(message: message, file: file, line: line)
            run.finished.signal()
            while true { sleep(3600) }  // parked for good; the process ends with the test run
        }
        startThread(stackSize: mainThreadStackSize) {
            Thread.current.threadDictionary[threadKey] = run
            body()
            run.finished.signal()
        }
        run.finished.wait()
        TodoTrap.handler = nil
        return run.todo
    }

    /// The test thread gets the stack the main thread has (its limit, `ulimit -s`; 8 MiB when
    /// unlimited), so that deep recursion overflows where it would have.
    private static let mainThreadStackSize: Int = {
        var limit = rlimit()
        #if os(Linux)
        let resource = Int32(RLIMIT_STACK.rawValue)
        #else
        let resource = RLIMIT_STACK
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur > 0, limit.rlim_cur < rlim_t(1) << 40 else { return 8 << 20 }
        return Int(limit.rlim_cur)
    }()
}

/// Starts `body` on a new thread with a stack of `stackSize` bytes, and returns. The thread gets
/// a stack of its own for signal handlers, as the main thread has: on an overflowed stack, Swift's
/// backtracer (which tells the tutor where a crash happened) could not run.
private func startThread(stackSize: Int, _ body: @escaping () -> Void) {
    let thread = Thread {
        let signalStackSize = 256 << 10
        let signalStack = UnsafeMutableRawPointer.allocate(byteCount: signalStackSize, alignment: 16)
        var alternate = stack_t()
        alternate.ss_sp = signalStack
        alternate.ss_size = signalStackSize
        sigaltstack(&alternate, nil)
        body()
        var off = stack_t()
        off.ss_flags = Int32(SS_DISABLE)
        sigaltstack(&off, nil)
        signalStack.deallocate()
    }
    thread.stackSize = stackSize
    thread.start()
}

private final class VerdictWitness: NSObject, XCTestObservation {
    nonisolated(unsafe) private static var installed = false
    /// The secret, once installed under the tutor.
    nonisolated(unsafe) private(set) static var token: String?
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
        Self.token = token
        XCTestObservationCenter.shared.addTestObserver(VerdictWitness(token: token))
    }

    func testCaseDidFinish(_ testCase: XCTestCase) {
        guard let run = testCase.testRun else { return }
        let passed = run.hasSucceeded && run.totalFailureCount == 0 && run.skipCount == 0
        let name = Self.shortName(testCase.name)
        let line = "\ntutor-verdict \(token) \(passed ? "passed" : "failed") \(name)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// "TensorTests.test_unit_x" (Linux) or "-[TensorTests test_unit_x]" (macOS) → test_unit_x
    static func shortName(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "." }).last.map { String($0.filter { $0 != "]" }) } ?? name
    }
}
