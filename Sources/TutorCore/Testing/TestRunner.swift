import Foundation

/// Runs tests one process each, in parallel, each with a time limit: a learner's `fatalError`,
/// infinite loop, stack overflow or runaway allocation in one test never takes down the others
/// or the tutor.
public struct TestRunner: Sendable {
    /// Seconds before a test is stopped and reported as timed out.
    public var timeLimit: Double
    /// How many tests run at once (default: the number of cores).
    public var parallelism: Int
    /// Address-space limit per test process, in MiB (Linux).
    public var memoryLimitMB: Int

    public static let defaultTimeLimit: Double = 10

    public init(timeLimit: Double = TestRunner.defaultTimeLimit,
                parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                memoryLimitMB: Int = 4096) {
        self.timeLimit = timeLimit
        self.parallelism = max(1, parallelism)
        self.memoryLimitMB = memoryLimitMB
    }

    /// Runs `tests` from `bundle` and returns their results in the order given. `onResult` is
    /// called (one call at a time) as each test finishes.
    public func run(
        _ tests: [TestID], in bundle: TestBundle, lesson: String, project: Project?,
        onResult: @escaping @Sendable (TestResult) -> Void = { _ in }
    ) -> [TestResult] {
        let collector = Collector(count: tests.count, onResult: onResult)
        let workers = min(parallelism, tests.count)
        guard workers > 0 else { return [] }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = collector.nextIndex() {
                let test = tests[index]
                collector.store(runOne(test, in: bundle, lesson: lesson, project: project), at: index)
            }
        }
        return collector.results
    }

    /// Where in the learner's files a crash happened that did not say (an index out of range, a
    /// division by zero, a stack overflow): the test runs once more with Swift's backtracer on,
    /// and the first frame in the learner's `Lessons/` files (not the given `Provided/` code) is
    /// the answer.
    func crashPlace(_ test: TestID, in bundle: TestBundle, project: Project) -> String? {
        let command = bundle.command(for: test, timeLimit: timeLimit + 20, memoryLimitMB: memoryLimitMB, backtrace: true)
        guard let result = try? ChildProcess.run(command), result.termination != .cancelled else { return nil }
        return SwiftCrash.learnerPlaces(inBacktrace: result.output, project: project).first
    }

    /// Where a test that ran out of time was busy: it runs once more with Swift's backtracer on,
    /// for `sampleAfter` seconds (an infinite loop is reached at once; a slow test shows where it
    /// spends its time), then SIGQUIT makes the backtracer print the stack, and the first frame in
    /// the learner's `Lessons/` files is the answer. Nil when the rerun ended by itself or named no lesson file.
    func timeoutPlace(_ test: TestID, in bundle: TestBundle, project: Project) -> String? {
        var command = bundle.command(for: test, timeLimit: min(timeLimit, Self.timeoutSampleAfter),
                                     memoryLimitMB: memoryLimitMB, backtrace: true)
        command.deadlineSample = Command.DeadlineSample(signal: SIGQUIT, grace: 5, endMarker: "Backtrace took")
        guard let result = try? ChildProcess.run(command), result.termination == .timedOut else { return nil }
        return SwiftCrash.learnerPlaces(inBacktrace: result.output, project: project).first
    }

    static let timeoutSampleAfter: Double = 1.5

    /// Runs one test in its own process and classifies the outcome.
    public func runOne(_ test: TestID, in bundle: TestBundle, lesson: String, project: Project?) -> TestResult {
        var command = bundle.command(for: test, timeLimit: timeLimit, memoryLimitMB: memoryLimitMB)
        do {
            // The secret only the bundle's LessonTestCase reads (and deletes) before a test runs.
            let witness = try Witness()
            defer { witness.remove() }
            command.environment["TUTOR_VERDICT_FILE"] = witness.file
            let result = try ChildProcess.run(command)
            let verdict = XCTestOutput.verdict(
                termination: result.termination, output: result.output,
                testClass: test.testClass, name: test.name, timeLimit: timeLimit, project: project, witness: witness.token)
            var testResult = TestResult(lesson: lesson, testClass: test.testClass, name: test.name, status: verdict.status,
                                        message: verdict.message, seconds: result.seconds, location: verdict.location)
            if verdict.status == .crashed, verdict.location == nil, let project,
               let place = crashPlace(test, in: bundle, project: project) {
                testResult.location = place
                testResult.message = SwiftCrash.Report(message: testResult.message, location: place).text
            }
            if verdict.status == .timedOut, let project, let place = timeoutPlace(test, in: bundle, project: project) {
                testResult.location = place
                testResult.message += " It was busy at \(place)."
            }
            return testResult
        } catch {
            return TestResult(lesson: lesson, testClass: test.testClass, name: test.name,
                              status: .crashed, message: "could not start the test: \(error.localizedDescription)",
                              seconds: 0)
        }
    }
}

/// A fresh random token in a file only its owner can read, for one test process.
private struct Witness {
    let token: String
    let file: String

    init() throws {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        token = bytes.map { String(format: "%02x", $0) }.joined()
        file = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-verdict-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: file, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
        }
    }

    /// The bundle deletes the file once read; this is for a process that never got that far.
    func remove() { try? FileManager.default.removeItem(atPath: file) }
}

/// Hands out test indices to workers and gathers results under a lock.
private final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [TestResult?]
    private let onResult: @Sendable (TestResult) -> Void

    init(count: Int, onResult: @escaping @Sendable (TestResult) -> Void) {
        slots = Array(repeating: nil, count: count)
        self.onResult = onResult
    }

    func nextIndex() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ result: TestResult, at index: Int) {
        lock.withLock {
            slots[index] = result
            onResult(result)
        }
    }

    var results: [TestResult] { lock.withLock { slots.compactMap { $0 } } }
}
