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
    ///
    /// First they run together (`runTogether`), in `parallelism` processes each taking a share in
    /// order: a passing test takes milliseconds, its own process more. Every test that did not
    /// pass there runs again alone, one process each, `parallelism` at a time — so a failure, a
    /// crash or a hang reads exactly as it always has, and no test's verdict but a pass depends on
    /// the tests before it.
    public func run(
        _ tests: [TestID], in bundle: TestBundle, lesson: String, project: Project?,
        onResult: @escaping @Sendable (TestResult) -> Void = { _ in }
    ) -> [TestResult] {
        let reporter = SerialReporter(onResult)
        var together: [String: TestResult] = [:]
        if tests.count > 1 {
            let groups = min(parallelism, tests.count / 2 + tests.count % 2)
            let share = (tests.count + groups - 1) / groups
            let chunks = stride(from: 0, to: tests.count, by: share).map { Array(tests[$0..<min($0 + share, tests.count)]) }
            let found = LockedResults()
            DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
                found.merge(runTogether(chunks[index], in: bundle, lesson: lesson, project: project, onResult: reporter.report))
            }
            together = found.results
        }
        let alone = tests.filter { together[$0.name] == nil }
        let collector = Collector(count: alone.count, onResult: reporter.report)
        let workers = min(parallelism, alone.count)
        if workers > 0 {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let index = collector.nextIndex() {
                    collector.store(runOne(alone[index], in: bundle, lesson: lesson, project: project), at: index)
                }
            }
        }
        let aloneResults = Dictionary(zip(alone.map(\.name), collector.results), uniquingKeysWith: { first, _ in first })
        return tests.compactMap { together[$0.name] ?? aloneResults[$0.name] }
    }

    /// `tests` in one process, with the time limit per test. Passes count, each by its witness
    /// line, reported as it arrives; so do stubs' `todo(…)`s, which the witness reports as a crash
    /// without ending the process (the first reached: what a process of its own would show). A
    /// test that used up its whole time limit is timed out (run alone it would only wait as long
    /// again); the rest is left to `runOne`.
    func runTogether(
        _ tests: [TestID], in bundle: TestBundle, lesson: String, project: Project?,
        onResult: @escaping @Sendable (TestResult) -> Void
    ) -> [String: TestResult] {
        guard let witness = try? Witness() else { return [:] }
        defer { witness.remove() }
        var command = bundle.command(for: tests, timeLimit: timeLimit, memoryLimitMB: memoryLimitMB)
        command.environment["TUTOR_VERDICT_FILE"] = witness.file
        let byName = Dictionary(tests.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [String: TestResult] = [:]
        var partial = ""
        var running: String?
        var seconds: [String: Double] = [:]
        var testOutput = ""  // the running test's output, from its "started" line
        var startedAt = Date()
        let result = try? ChildProcess.run(command) { chunk, _ in
            partial += chunk
            guard let lastBreak = partial.lastIndex(of: "\n") else { return }
            let complete = partial[..<lastBreak]
            partial = String(partial[partial.index(after: lastBreak)...])
            for line in complete.split(separator: "\n", omittingEmptySubsequences: false) {
                if XCTestOutput.testCaseName(line, event: "started") != nil { testOutput = ""; startedAt = Date() }
                testOutput += line + "\n"
                if let name = XCTestOutput.testCaseName(line, event: "started") {
                    running = name
                } else if line.hasPrefix("tutor-verdict \(witness.token) crashed "),
                          let name = line.split(separator: " ").last.map(String.init), let test = byName[name], found[name] == nil {
                    let verdict = XCTestOutput.verdict(termination: .exited(1), output: testOutput, testClass: test.testClass,
                                                       name: name, timeLimit: timeLimit, project: project, witness: witness.token)
                    let crashed = TestResult(lesson: lesson, testClass: test.testClass, name: name, status: verdict.status,
                                             message: verdict.message, seconds: Date().timeIntervalSince(startedAt),
                                             location: verdict.location)
                    found[name] = crashed
                    onResult(crashed)
                    running = nil
                } else if let name = XCTestOutput.testCaseName(line, event: "passed") {
                    seconds[name] = XCTestOutput.reportedSeconds(line)
                } else if line.hasPrefix("tutor-verdict \(witness.token) passed "),
                          let name = line.split(separator: " ").last.map(String.init), let test = byName[name], found[name] == nil {
                    let passed = TestResult(lesson: lesson, testClass: test.testClass, name: name, status: .passed, message: "",
                                            seconds: seconds[name] ?? 0)
                    found[name] = passed
                    onResult(passed)
                    running = nil
                }
            }
        }
        if result?.termination == .timedOut, let name = running, let test = byName[name], found[name] == nil {
            found[name] = timedOut(test, after: timeLimit, in: bundle, lesson: lesson, project: project)
            onResult(found[name]!)
        }
        return found
    }

    /// A test that ran out of time, as `runOne` words it.
    private func timedOut(_ test: TestID, after seconds: Double, in bundle: TestBundle, lesson: String, project: Project?) -> TestResult {
        let verdict = XCTestOutput.verdict(termination: .timedOut, output: "", testClass: test.testClass, name: test.name,
                                           timeLimit: timeLimit, project: project)
        var result = TestResult(lesson: lesson, testClass: test.testClass, name: test.name, status: verdict.status,
                                message: verdict.message, seconds: seconds)
        if let project, let place = timeoutPlace(test, in: bundle, project: project) {
            result.location = place
            result.message += " It was busy at \(place)."
        }
        return result
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
            if verdict.status == .timedOut {
                return timedOut(test, after: result.seconds, in: bundle, lesson: lesson, project: project)
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

/// Passes results on one at a time, whichever thread has them.
private final class SerialReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let onResult: @Sendable (TestResult) -> Void
    init(_ onResult: @escaping @Sendable (TestResult) -> Void) { self.onResult = onResult }
    func report(_ result: TestResult) { lock.withLock { onResult(result) } }
}

/// Results gathered from several threads.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [String: TestResult] = [:]
    func merge(_ more: [String: TestResult]) { lock.withLock { found.merge(more) { first, _ in first } } }
    var results: [String: TestResult] { lock.withLock { found } }
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
