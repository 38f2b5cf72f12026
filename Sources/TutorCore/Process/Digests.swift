import Foundation

/// SHA-256 and git blob ids of files, computed by the tools every learner's machine has: git (the
/// course is a git clone) and `sha256sum` (Linux, GNU coreutils) or `shasum -a 256` (macOS, BSD).
/// This is the one place that chooses between them.
///
/// Why not a library: swift-crypto, the obvious one, compiles BoringSSL — 102 s of a learner's
/// first `swift run tutor` on two cores, for hashing a few files. The tools are fast on large files
/// too (a 170 MB download hashes in about half a second).
public enum Digests {
    public enum Failure: LocalizedError, Equatable {
        case noTool
        case failed(tool: String, reason: String)

        public var errorDescription: String? {
            switch self {
            case .noTool:
                return "cannot compute SHA-256: neither `sha256sum` nor `shasum` is on the PATH (they come with "
                    + "coreutils on Linux and with macOS)"
            case .failed(let tool, let reason):
                return "`\(tool)` could not hash the files: \(reason)"
            }
        }
    }

    /// The SHA-256 of each file, in lower-case hex, in the order given.
    public static func sha256(of files: [URL]) throws -> [String] {
        guard !files.isEmpty else { return [] }
        let tool: [String]
        if let sha256sum = ChildProcess.which("sha256sum") {
            tool = [sha256sum]
        } else if let shasum = ChildProcess.which("shasum") {
            tool = [shasum, "-a", "256"]
        } else {
            throw Failure.noTool
        }
        return try hashes(tool, files: files, length: 64)
    }

    /// The SHA-256 of one file.
    public static func sha256(of file: URL) throws -> String {
        try sha256(of: [file])[0]
    }

    /// The id git gives each file's contents, as it is on disk (SHA-1 of `blob <size>\0<bytes>`,
    /// no line-ending filters): what `Lessons/pristine.json` records.
    public static func gitBlobIDs(of files: [URL]) throws -> [String] {
        guard !files.isEmpty else { return [] }
        guard let git = ChildProcess.which("git") else {
            throw Failure.failed(tool: "git", reason: "git is not on the PATH")
        }
        return try hashes([git, "hash-object", "--no-filters"], files: files, length: 40)
    }

    /// The git blob id of some bytes (written to a temporary file for git to read).
    public static func gitBlobID(of data: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-blob-\(UUID().uuidString)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try gitBlobIDs(of: [file])[0]
    }

    /// Runs `tool -- file…` and reads one hex digest of `length` characters from the start of each
    /// line. (GNU tools prefix a line with `\` when they escape an odd file name; that is skipped.)
    private static func hashes(_ tool: [String], files: [URL], length: Int) throws -> [String] {
        let name = URL(fileURLWithPath: tool[0]).lastPathComponent
        var digests: [String] = []
        // A few hundred files per run keeps the command line far below any system's limit.
        for start in stride(from: 0, to: files.count, by: 200) {
            let chunk = files[start..<min(start + 200, files.count)]
            let command = Command(tool[0], Array(tool.dropFirst()) + ["--"] + chunk.map(\.path),
                                  timeLimit: 600, mergeErrorIntoOutput: false)
            let result: ProcessResult
            do { result = try ChildProcess.run(command) } catch {
                throw Failure.failed(tool: name, reason: error.localizedDescription)
            }
            guard result.termination == .exited(0) else {
                let reason = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                throw Failure.failed(tool: name, reason: reason.isEmpty ? "\(result.termination)" : reason)
            }
            let lines = result.output.split(separator: "\n").map { $0.hasPrefix("\\") ? $0.dropFirst() : $0 }
            let found = lines.map { String($0.prefix(length)) }
            guard found.count == chunk.count,
                  found.allSatisfy({ $0.count == length && $0.allSatisfy(\.isHexDigit) }) else {
                throw Failure.failed(tool: name, reason: "unexpected output: \(result.output.prefix(200))")
            }
            digests += found.map { $0.lowercased() }
        }
        return digests
    }
}
