import Foundation

/// What a `swift build` left behind.
public struct BuildOutcome: Sendable {
    public var succeeded: Bool
    /// `file:line:` errors (first error first), then warnings.
    public var diagnostics: [CompilerDiagnostic]
    /// When the build failed without a `file:line:` error: the lines that say why.
    public var otherErrors: [String]
    public var log: String
    public var seconds: Double
    /// Who built: SwiftPM, or its plan captured from an earlier build (`CapturedBuildPlan`).
    public var route: Route = .swiftPM

    public enum Route: String, Codable, Sendable { case swiftPM, capturedPlan }

    public var errors: [CompilerDiagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Runs `swift build` on a package, in a scratch path, with extra environment variables.
public struct SwiftBuild: Sendable {
    public var packageDirectory: URL
    public var scratchPath: URL
    public var environment: [String: String?]
    /// `debug` or `release`.
    public var configuration: String
    /// The `swift` driver: `TUTOR_SWIFT` or `swift` on `PATH`.
    public static var swiftExecutable: String {
        ProcessInfo.processInfo.environment["TUTOR_SWIFT"] ?? "swift"
    }

    public init(packageDirectory: URL, scratchPath: URL, environment: [String: String?] = [:], configuration: String = "debug") {
        self.packageDirectory = packageDirectory
        self.scratchPath = scratchPath
        self.environment = environment
        self.configuration = configuration
    }

    /// Compiler flags for release builds that run on this machine (milestone programs): on x86-64,
    /// `-target-cpu native` lets the compiler use the CPU's vector instructions (AVX2, FMA), which
    /// makes the course's matmul about twice as fast. Such a binary runs on this kind of CPU only —
    /// and the tutor runs it right here. (On arm64 the baseline already has NEON.)
    public static var nativeTuning: [String] {
        #if arch(x86_64)
        return ["-Xswiftc", "-target-cpu", "-Xswiftc", "native"]
        #else
        return []
        #endif
    }

    /// Builds the package (its tests too when `tests`, or only `product`). Builds of the same
    /// scratch path from this process run one at a time.
    ///
    /// A debug test build — what every `tutor test` asks for — runs SwiftPM's plan from the last
    /// build directly while nothing it was planned from has changed (`CapturedBuildPlan`), and
    /// SwiftPM itself otherwise; `onOutput` then sees no output.
    public func build(
        tests: Bool = true, product: String? = nil, extraArguments: [String] = [],
        onOutput: ((String) -> Void)? = nil
    ) throws -> BuildOutcome {
        guard tests && product == nil && extraArguments.isEmpty && configuration == "debug" else {
            return try swiftPMBuild(tests: tests, product: product, extraArguments: extraArguments, onOutput: onOutput)
        }
        let plan = CapturedBuildPlan(self)
        let start = Date()
        return try BuildLock.shared.withLock(scratchPath.path) {
            if var outcome = plan.run() {
                outcome.seconds = Date().timeIntervalSince(start)  // with the fingerprint's check
                return outcome
            }
            let before = plan.fingerprint(manifestText: nil)
            var outcome = try swiftPMBuild(tests: true, product: nil, extraArguments: [], onOutput: onOutput, locked: true)
            // SwiftPM's incremental build can miss a change too (see CapturedBuildPlan.run): an
            // object older than its source is built again.
            if outcome.succeeded, let manifest = try? String(contentsOf: scratchPath.appendingPathComponent("debug.yaml"), encoding: .utf8),
               CapturedBuildPlan.removeStaleObjects(CapturedBuildPlan.objectFiles(in: manifest)) {
                let first = outcome.seconds
                outcome = try swiftPMBuild(tests: true, product: nil, extraArguments: [], onOutput: onOutput, locked: true)
                outcome.seconds += first
            }
            plan.capture(after: outcome, before: before)
            return outcome
        }
    }

    private func swiftPMBuild(
        tests: Bool, product: String?, extraArguments: [String], onOutput: ((String) -> Void)?, locked: Bool = false
    ) throws -> BuildOutcome {
        var arguments = ["build", "--package-path", packageDirectory.path,
                         "--scratch-path", scratchPath.path, "-c", configuration]
        if tests { arguments.append("--build-tests") }
        if let product { arguments += ["--product", product] }
        arguments += extraArguments
        let command = Command(
            Self.swiftExecutable, arguments, environment: environment.merging(["TMPDIR": temporaryFolder()]) { $1 },
            workingDirectory: packageDirectory.path, timeLimit: 3600)
        let run = { try ChildProcess.run(command) { chunk, _ in onOutput?(chunk) } }
        let result = locked ? try run() : try BuildLock.shared.withLock(scratchPath.path, run)
        let project = try? Project(root: packageDirectory)
        let succeeded = result.termination == .exited(0)
        let diagnostics = CompilerDiagnostics.parse(result.output, relativeTo: project)
        let hasErrors = diagnostics.contains { $0.severity == .error }
        return BuildOutcome(
            succeeded: succeeded, diagnostics: diagnostics,
            otherErrors: succeeded || hasErrors ? [] : Self.explain(result),
            log: result.output, seconds: result.seconds)
    }

    /// `<scratch>/tmp`, SwiftPM's temporary folder: every SwiftPM build leaves a dozen empty
    /// `TemporaryDirectory.*` folders behind (measured: 12 for a test build of lesson 02), which
    /// would pile up by the thousand in the learner's /tmp. Here they stay inside the build
    /// folder, and those older than an hour (no build still uses them) are removed first.
    private func temporaryFolder() -> String {
        let folder = scratchPath.appendingPathComponent("tmp")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let anHourAgo = Date().addingTimeInterval(-3600)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let entry = folder.appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: entry.path))?[.modificationDate] as? Date,
               modified < anHourAgo {
                try? FileManager.default.removeItem(at: entry)
            }
        }
        return folder.path
    }

    private static func explain(_ result: ProcessResult) -> [String] {
        switch result.termination {
        case .timedOut: return ["the build took longer than an hour and was stopped"]
        case .cancelled: return ["the build was stopped"]
        default: return CompilerDiagnostics.otherErrors(result.output)
        }
    }
}

/// Serializes builds of one scratch path within this process (SwiftPM's own lock covers other
/// processes, but it prints a warning and waits).
final class BuildLock: @unchecked Sendable {
    static let shared = BuildLock()
    private let guardLock = NSLock()
    private var locks: [String: NSLock] = [:]

    func withLock<T>(_ key: String, _ body: () throws -> T) rethrows -> T {
        let lock = guardLock.withLock { () -> NSLock in
            if let lock = locks[key] { return lock }
            let lock = NSLock()
            locks[key] = lock
            return lock
        }
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
