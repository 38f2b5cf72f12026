import Foundation

/// What went wrong getting a data set, in words that say what to do.
public enum DataFetchError: LocalizedError, Equatable {
    case unknownDataSet(String, known: [String])
    case notInMirror(file: String, mirror: String, looked: [String])
    case wrongSize(file: String, expected: Int, found: Int)
    case wrongChecksum(file: String, expected: String, found: String)
    case downloadFailed(file: String, reasons: [String])
    case decompressionFailed(file: String, reason: String)
    case missing(file: String, dataSet: String)
    case noDownloader

    public var errorDescription: String? {
        switch self {
        case .unknownDataSet(let name, let known):
            return "no data set called '\(name)'. Available: \(known.joined(separator: ", "))."
        case .notInMirror(let file, let mirror, let looked):
            return "\(file) is not in the mirror folder \(mirror) (looked at \(looked.joined(separator: " and "))). "
                + "Put the official file there, or fetch without --mirror to download it."
        case .wrongSize(let file, let expected, let found):
            let hint = found < expected ? "the download was cut off" : "this is not the official file"
            return "\(file) has \(found.formatted()) bytes, expected \(expected.formatted()): \(hint). "
                + "It was not kept; run the fetch again."
        case .wrongChecksum(let file, let expected, let found):
            return "\(file) is damaged or not the official file: its SHA-256 is \(found.prefix(16))…, expected \(expected.prefix(16))…. "
                + "It was not kept; run the fetch again (or check your mirror's copy)."
        case .downloadFailed(let file, let reasons):
            return "could not download \(file): \(reasons.joined(separator: "; ")). Check your internet connection, "
                + "or point --mirror (or TUTOR_DATA_MIRROR) at a folder holding the files."
        case .decompressionFailed(let file, let reason):
            return "could not decompress \(file): \(reason)"
        case .missing(let file, let dataSet):
            return "\(file) is missing: run `swift run tutor data fetch \(dataSet)`."
        case .noDownloader:
            return "downloading needs `curl`, which is not installed. Install it, or use --mirror with a folder of the files."
        }
    }
}

/// Where data sets live on this machine, and how they get there: from a mirror folder or the
/// canonical URLs, each file checked for size and SHA-256 before it is kept, gzip files
/// decompressed next to it. A file is only ever renamed into place once complete and verified,
/// so an interrupted fetch leaves nothing half-written behind.
public struct DataStore: Sendable {
    /// The cache folder: `<project>/.tutor/data` unless `TUTOR_DATA_DIR` or `--cache` says otherwise.
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public static func defaultDirectory(project: Project) -> URL {
        if let override = ProcessInfo.processInfo.environment["TUTOR_DATA_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return project.stateDirectory.appendingPathComponent("data")
    }

    /// The folder of one data set: `.tutor/data/mnist/`.
    public func folder(_ dataSet: DataSet) -> URL { directory.appendingPathComponent(dataSet.name) }

    /// What happened to one file.
    public enum FileEvent: Sendable, Equatable {
        case alreadyThere(String)
        case copied(String, from: String)
        case downloading(String, url: String)
        case downloaded(String)
        case decompressed(String)
    }

    /// Makes every file of `dataSet` present and verified. With `mirror`, files are copied from
    /// that folder (`mirror/<set>/<file>` or `mirror/<file>`); otherwise downloaded.
    public func fetch(_ dataSet: DataSet, mirror: URL? = nil, onEvent: (FileEvent) -> Void = { _ in }) throws {
        let target = folder(dataSet)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in dataSet.files {
            let destination = target.appendingPathComponent(file.name)
            if (try? check(file, at: destination)) != nil {
                onEvent(.alreadyThere(file.name))
            } else {
                let partial = target.appendingPathComponent(file.name + ".partial")
                try? FileManager.default.removeItem(at: partial)
                if let mirror {
                    let source = try locate(file, in: mirror, dataSet: dataSet)
                    try FileManager.default.copyItem(at: source, to: partial)
                    onEvent(.copied(file.name, from: source.path))
                } else {
                    try download(file, to: partial, onEvent: onEvent)
                    onEvent(.downloaded(file.name))
                }
                do {
                    try check(file, at: partial)
                } catch {
                    try? FileManager.default.removeItem(at: partial)
                    throw error
                }
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.moveItem(at: partial, to: destination)
            }
            try decompressIfNeeded(file, in: target, onEvent: onEvent)
        }
    }

    /// Checks that every file of `dataSet` is present and right; returns a line per file.
    public func verify(_ dataSet: DataSet) throws -> [String] {
        var lines: [String] = []
        for file in dataSet.files {
            let url = folder(dataSet).appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DataFetchError.missing(file: file.name, dataSet: dataSet.name)
            }
            try check(file, at: url)
            if let name = file.decompressedName, let bytes = file.decompressedBytes {
                let decompressed = folder(dataSet).appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: decompressed.path) else {
                    throw DataFetchError.missing(file: name, dataSet: dataSet.name)
                }
                let size = Self.size(of: decompressed)
                guard size == bytes else { throw DataFetchError.wrongSize(file: name, expected: bytes, found: size) }
            }
            lines.append("\(file.name): \(file.bytes.formatted()) bytes, SHA-256 ok")
        }
        return lines
    }

    /// Size, then SHA-256.
    public func check(_ file: DataFile, at url: URL) throws {
        let size = Self.size(of: url)
        guard size == file.bytes else { throw DataFetchError.wrongSize(file: file.name, expected: file.bytes, found: size) }
        let digest = try Digests.sha256(of: url)
        guard digest == file.sha256 else { throw DataFetchError.wrongChecksum(file: file.name, expected: file.sha256, found: digest) }
    }

    private func locate(_ file: DataFile, in mirror: URL, dataSet: DataSet) throws -> URL {
        let candidates = [mirror.appendingPathComponent(dataSet.name).appendingPathComponent(file.name),
                          mirror.appendingPathComponent(file.name)]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw DataFetchError.notInMirror(file: file.name, mirror: mirror.path, looked: candidates.map(\.path))
        }
        return found
    }

    private func download(_ file: DataFile, to partial: URL, onEvent: (FileEvent) -> Void) throws {
        guard ChildProcess.which("curl") != nil else { throw DataFetchError.noDownloader }
        var reasons: [String] = []
        for url in file.urls {
            onEvent(.downloading(file.name, url: url))
            let result = try ChildProcess.run(Command(
                "curl", ["--fail", "--location", "--silent", "--show-error", "--retry", "2",
                         "--connect-timeout", "20", "--output", partial.path, url],
                timeLimit: 1800, mergeErrorIntoOutput: true))
            if result.termination == .exited(0) { return }
            // curl repeats its complaint once per retry: say it once.
            var lines: [String] = []
            for line in result.output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
            where !line.isEmpty && !lines.contains(line) { lines.append(line) }
            reasons.append("\(url): " + lines.joined(separator: " "))
        }
        try? FileManager.default.removeItem(at: partial)
        throw DataFetchError.downloadFailed(file: file.name, reasons: reasons)
    }

    private func decompressIfNeeded(_ file: DataFile, in folder: URL, onEvent: (FileEvent) -> Void) throws {
        guard let name = file.decompressedName, let bytes = file.decompressedBytes else { return }
        let destination = folder.appendingPathComponent(name)
        if Self.size(of: destination) == bytes { return }
        let partial = folder.appendingPathComponent(name + ".partial")
        let source = folder.appendingPathComponent(file.name)
        let result = try ChildProcess.run(Command(
            "/bin/sh", ["-c", "gzip -dc -- \"$0\" > \"$1\"", source.path, partial.path], timeLimit: 600))
        guard result.termination == .exited(0) else {
            try? FileManager.default.removeItem(at: partial)
            throw DataFetchError.decompressionFailed(file: file.name, reason: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let size = Self.size(of: partial)
        guard size == bytes else {
            try? FileManager.default.removeItem(at: partial)
            throw DataFetchError.wrongSize(file: name, expected: bytes, found: size)
        }
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: partial, to: destination)
        onEvent(.decompressed(name))
    }

    static func size(of url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? -1
    }

}
