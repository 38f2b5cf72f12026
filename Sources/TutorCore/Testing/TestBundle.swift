// How to list and run the tests of a built XCTest bundle. This differs between Linux (the bundle
// is an executable) and macOS (a loadable bundle run by `xcrun xctest`): both live here, guarded.
import Foundation

/// One test in a bundle: `LessonTests.TensorTests/test_unit_matmul`.
public struct TestID: Hashable, Sendable, Codable {
    public var module: String
    public var testClass: String
    public var name: String

    public init(module: String, testClass: String, name: String) {
        self.module = module
        self.testClass = testClass
        self.name = name
    }

    /// Parses `Module.Class/name`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/")
        guard parts.count == 2 else { return nil }
        let qualified = parts[0].split(separator: ".")
        guard qualified.count == 2 else { return nil }
        self.init(module: String(qualified[0]), testClass: String(qualified[1]), name: String(parts[1]))
    }

    public var identifier: String { "\(module).\(testClass)/\(name)" }
}

public enum TestBundleError: LocalizedError {
    case notFound(directory: String)
    case listingFailed(String)

    public var errorDescription: String? {
        switch self {
        case .notFound(let directory):
            return "no test bundle (*PackageTests.xctest) in \(directory): the build did not produce one"
        case .listingFailed(let output):
            return "could not list the tests: \(output.suffix(500))"
        }
    }
}

/// A built test bundle.
public struct TestBundle: Sendable {
    public var path: URL
    /// The package and scratch path it was built from (macOS lists tests through SwiftPM).
    public var packageDirectory: URL
    public var scratchPath: URL
    public var environment: [String: String?]

    /// Finds the bundle SwiftPM built in `scratchPath` for `configuration`.
    public static func find(
        packageDirectory: URL, scratchPath: URL, configuration: String = "debug",
        environment: [String: String?] = [:]
    ) throws -> TestBundle {
        let directory = scratchPath.appendingPathComponent(configuration)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard let name = entries.sorted().first(where: { $0.hasSuffix("PackageTests.xctest") }) else {
            throw TestBundleError.notFound(directory: directory.path)
        }
        return TestBundle(path: directory.appendingPathComponent(name), packageDirectory: packageDirectory,
                          scratchPath: scratchPath, environment: environment)
    }

    /// Every test in the bundle.
    public func listTests() throws -> [TestID] {
        #if os(macOS)
        let command = Command(
            SwiftBuild.swiftExecutable,
            ["test", "list", "--skip-build", "--package-path", packageDirectory.path,
             "--scratch-path", scratchPath.path],
            environment: environment, timeLimit: 120, mergeErrorIntoOutput: false)
        #else
        let command = Command(path.path, ["--list-tests"], timeLimit: 60, mergeErrorIntoOutput: false)
        #endif
        let result = try ChildProcess.run(command)
        guard result.termination == .exited(0) else {
            throw TestBundleError.listingFailed(result.output + result.errorOutput)
        }
        return result.output.split(separator: "\n").compactMap { TestID($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The command that runs exactly one test, in an address space limited to `memoryLimitMB`
    /// (a learner's runaway allocation then fails inside the test instead of exhausting the
    /// machine). The Swift backtracer is off unless `backtrace` (it costs time on every crash, and
    /// on the stubs every test crashes): the runner asks for it only to find where a crash that
    /// named no place happened.
    public func command(for test: TestID, timeLimit: Double, memoryLimitMB: Int, backtrace: Bool = false) -> Command {
        command(for: [test], timeLimit: timeLimit, memoryLimitMB: memoryLimitMB, backtrace: backtrace)
    }

    /// One process running `tests` in turn (XCTest takes a comma-separated list); the time limit
    /// is per test (it restarts as each test starts).
    public func command(for tests: [TestID], timeLimit: Double, memoryLimitMB: Int, backtrace: Bool = false) -> Command {
        // A CPU-time backstop (SIGXCPU, then SIGKILL) behind the time limit and the watchdog,
        // with room for every test of the process.
        let cpuSeconds = max(60, Int(timeLimit * 4)) * max(1, tests.count)
        var command = baseCommand(identifiers: tests.map(\.identifier).joined(separator: ","), timeLimit: timeLimit,
                                  cpuSeconds: cpuSeconds, memoryLimitMB: memoryLimitMB, backtrace: backtrace)
        if tests.count > 1 { command.timeLimitRestartsAt = "' started at " }
        return command
    }

    private func baseCommand(identifiers: String, timeLimit: Double, cpuSeconds: Int, memoryLimitMB: Int, backtrace: Bool) -> Command {
        let backtracer = backtrace ? SwiftCrash.backtraceSetting() : "enable=no"
        let environment: [String: String?] = ["SWIFT_BACKTRACE": backtracer, "NO_COLOR": "1"]
        #if os(macOS)
        return Command("xcrun", ["xctest", "-XCTest", identifiers, path.path],
                       environment: environment, timeLimit: timeLimit)
        #else
        let limit = memoryLimitMB * 1024
        return Command("/bin/sh", ["-c", "ulimit -v \(limit) 2>/dev/null; ulimit -t \(cpuSeconds) 2>/dev/null; exec \"$0\" \"$@\"",
                                   path.path, identifiers],
                       environment: environment, timeLimit: timeLimit)
        #endif
    }
}
