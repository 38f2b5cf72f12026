import Foundation

/// How a copy of a file differs from the official one.
public enum FileProblem: Equatable, Sendable {
    case size(expected: Int, found: Int)
    /// Decompressing gave more than `than` bytes, the official size; it was stopped there.
    case larger(than: Int)
    case checksum(expected: String, found: String)
    /// A record file whose record `record` (counting from 0) has a label outside `allowed`.
    case label(record: Int, value: UInt8, allowed: ClosedRange<UInt8>)

    /// "has 5 bytes, expected 12", "has SHA-256 1f2e…, expected 9a8b…".
    var description: String {
        switch self {
        case .size(let expected, let found):
            return "has \(found.formatted()) bytes, expected \(expected.formatted())"
        case .larger(let than):
            return "has more than \(than.formatted()) bytes, the official size (it was stopped there)"
        case .checksum(let expected, let found):
            return "has the right size but its SHA-256 is \(found.prefix(16))…, expected \(expected.prefix(16))…"
        case .label(let record, let value, let allowed):
            return "has label \(value) in record \(record.formatted()) (counting from 0), but labels are "
                + "\(allowed.lowerBound)–\(allowed.upperBound)"
        }
    }
}

/// What went wrong getting a data set, in words that say what to do.
public enum DataFetchError: LocalizedError, Equatable {
    case unknownDataSet(String, known: [String])
    case notInMirror(file: String, mirror: String, looked: [String])
    /// A file just downloaded, copied or decompressed is not the official one. It was deleted.
    case rejected(file: String, problem: FileProblem)
    /// A file in the cache (`folder`) is not the official one: found by `verify`, still there.
    case damaged(file: String, folder: String, dataSet: String, problem: FileProblem)
    case downloadFailed(file: String, reasons: [String])
    case decompressionFailed(file: String, reason: String)
    case missing(file: String, dataSet: String)
    case noDownloader
    /// The folder given as the mirror does not exist (or is not a folder).
    case mirrorNotFound(String)
    /// A packed data set finds neither its archive nor a folder of its files in the mirror.
    case packedNotInMirror(archive: String, files: [String], mirror: String, looked: [String])
    /// The mirror holds the source of a packed data set's files and a script that rebuilds them
    /// (our offline mirror's CIFAR-10 JPEGs), not the files: `command` rebuilds them.
    case needsRebuild(folder: String, source: String, command: String, needs: String, fetch: String)
    /// A mirror folder of a packed data set's files lacks some of them.
    case incompleteMirrorFolder(folder: String, missing: [String])
    /// A file in a mirror folder is not what the data set's files must be. Nothing was kept.
    case badInMirror(file: String, folder: String, problem: FileProblem, format: RecordFormat)
    /// The archive (checked, or from a test's catalogue) cannot be unpacked safely. Nothing was kept.
    case badArchive(file: String, problem: ArchiveProblem)
    /// A packed data set's files are in its folder, but without the record `fetch` writes
    /// (`fetched.json`), or with one that does not name them: not put there by `tutor data fetch`.
    case unrecorded(folder: String, dataSet: String)
    case cannotWrite(file: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unknownDataSet(let name, let known):
            return "no data set called '\(name)'. Available: \(known.joined(separator: ", "))."
        case .notInMirror(let file, let mirror, let looked):
            return "\(file) is not in the mirror folder \(mirror) (looked at \(looked.joined(separator: " and "))). "
                + "Put the official file there, or fetch without --mirror to download it."
        case .rejected(let file, let problem):
            let verdict: String
            switch problem {
            case .size(let expected, let found) where found < expected: verdict = "it was cut off"
            case .size, .larger, .label: verdict = "this is not the official file"
            case .checksum: verdict = "it is damaged or not the official file (check your mirror's copy)"
            }
            return "\(file) \(problem.description): \(verdict). It was not kept; run the fetch again."
        case .damaged(let file, let folder, let dataSet, let problem):
            return "\(file) in \(folder) \(problem.description): it was damaged or changed after it was fetched. "
                + "Run `swift run tutor data fetch \(dataSet)` to replace it."
        case .downloadFailed(let file, let reasons):
            return "could not download \(file): \(reasons.joined(separator: "; ")). Check your internet connection, "
                + "or point --mirror (or TUTOR_DATA_MIRROR) at a folder holding the files."
        case .decompressionFailed(let file, let reason):
            return "could not decompress \(file): \(reason)"
        case .missing(let file, let dataSet):
            return "\(file) is missing: run `swift run tutor data fetch \(dataSet)`."
        case .noDownloader:
            return "downloading needs `curl`, which is not installed. Install it, or use --mirror with a folder of the files."
        case .mirrorNotFound(let path):
            return "the mirror folder \(path) does not exist. Give --mirror (or TUTOR_DATA_MIRROR) a folder that holds "
                + "the files, or leave it out to download them."
        case .packedNotInMirror(let archive, let files, let mirror, let looked):
            return "neither \(archive) nor a folder of \(files.joined(separator: ", ")) is in the mirror folder \(mirror) "
                + "(looked at \(looked.joined(separator: ", "))). Put one of them there, or fetch without --mirror to "
                + "download the archive."
        case .needsRebuild(let folder, let source, let command, let needs, let fetch):
            return "\(folder) holds \(source) and a script that rebuilds the binary files from it, not the files "
                + "themselves. Rebuild them (about 10 s; needs \(needs)), then fetch from the folder they are in:\n"
                + "    \(command)\n    \(fetch)\n"
                + "Rebuilt files are not the canonical bytes, so the tutor checks their structure (sizes, records, "
                + "labels), not a SHA-256."
        case .incompleteMirrorFolder(let folder, let missing):
            return "the mirror folder \(folder) lacks \(missing.joined(separator: ", ")). Put every file there "
                + "(or the archive), then fetch again."
        case .badInMirror(let file, let folder, let problem, let format):
            return "\(file) in the mirror folder \(folder) \(problem.description): each file must be \(format.description). "
                + "Nothing was kept; replace the mirror's copy (rebuild it, or unpack the official archive)."
        case .badArchive(let file, let problem):
            return "\(file) cannot be unpacked: \(problem.description). Nothing was unpacked; fetch again, and if it "
                + "happens again, check where the archive comes from."
        case .unrecorded(let folder, let dataSet):
            return "the files in \(folder) were not put there by `tutor data fetch` (its record, fetched.json, is missing "
                + "or does not name them). Run `swift run tutor data fetch \(dataSet)` to check them and record them."
        case .cannotWrite(let file, let reason):
            return "cannot write \(file): \(reason)"
        }
    }
}

/// Where data sets live on this machine, and how they get there: from a mirror folder or the
/// canonical URLs, each file checked for size and SHA-256 before it is kept, gzip files
/// decompressed next to it (no more bytes than the official file has) and the result checked for
/// size and SHA-256 too. A file is only ever renamed into place once complete and verified, so an
/// interrupted fetch leaves nothing half-written behind.
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
        /// A file taken out of an archive (`from`: the archive's name).
        case unpacked(String, from: String)
    }

    /// Makes every file of `dataSet` present and verified, each decompressed file too (one that
    /// is missing or damaged is decompressed again from its verified gzip file). With `mirror`,
    /// files are copied from that folder (`mirror/<set>/<file>` or `mirror/<file>`); otherwise
    /// downloaded. A packed data set (CIFAR-10) is unpacked from its archive, or copied from a
    /// mirror's folder of its files (`fetchPacked`). Returns what was checked.
    @discardableResult
    public func fetch(_ dataSet: DataSet, mirror: URL? = nil, onEvent: (FileEvent) -> Void = { _ in }) throws -> DataCheck {
        if let mirror {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: mirror.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw DataFetchError.mirrorNotFound(mirror.path)
            }
        }
        if let packed = dataSet.packed {
            return try fetchPacked(dataSet, archive: packed.archive, contents: packed.contents, mirror: mirror, onEvent: onEvent)
        }
        let target = folder(dataSet)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in dataSet.files {
            let destination = target.appendingPathComponent(file.name)
            if try problem(with: file.published, at: destination) == nil {
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
                if let wrong = try problem(with: file.published, at: partial) {
                    try? FileManager.default.removeItem(at: partial)
                    throw DataFetchError.rejected(file: file.name, problem: wrong)
                }
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.moveItem(at: partial, to: destination)
            }
            try decompressIfNeeded(file, in: target, onEvent: onEvent)
        }
        return DataCheck(dataSet: dataSet, kind: .published, files: dataSet.files.flatMap(\.expectedFiles))
    }

    /// Checks that every file of `dataSet` is present and has its official size and SHA-256, the
    /// decompressed files as well as the files as published; returns what was checked. A file
    /// that is not right is named (`missing`, `damaged`) and left where it is. A packed data set's
    /// files are checked against what `fetch` recorded (`verifyPacked`).
    public func verify(_ dataSet: DataSet) throws -> DataCheck {
        if let packed = dataSet.packed { return try verifyPacked(dataSet, contents: packed.contents) }
        var checked: [ExpectedFile] = []
        for expected in dataSet.files.flatMap(\.expectedFiles) {
            let url = folder(dataSet).appendingPathComponent(expected.name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DataFetchError.missing(file: expected.name, dataSet: dataSet.name)
            }
            if let wrong = try problem(with: expected, at: url) {
                throw DataFetchError.damaged(file: expected.name, folder: folder(dataSet).path,
                                             dataSet: dataSet.name, problem: wrong)
            }
            checked.append(expected)
        }
        return DataCheck(dataSet: dataSet, kind: .published, files: checked)
    }

    /// How the file at `url` differs from `expected`: its size first, then (only if the size is
    /// right) its SHA-256. Nil when it is the official file.
    public func problem(with expected: ExpectedFile, at url: URL) throws -> FileProblem? {
        let size = Self.size(of: url)
        guard size == expected.bytes else { return .size(expected: expected.bytes, found: size) }
        let digest = try Digests.sha256(of: url)
        guard digest == expected.sha256 else { return .checksum(expected: expected.sha256, found: digest) }
        return nil
    }

    func locate(_ file: DataFile, in mirror: URL, dataSet: DataSet) throws -> URL {
        let candidates = [mirror.appendingPathComponent(dataSet.name).appendingPathComponent(file.name),
                          mirror.appendingPathComponent(file.name)]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw DataFetchError.notInMirror(file: file.name, mirror: mirror.path, looked: candidates.map(\.path))
        }
        return found
    }

    func download(_ file: DataFile, to partial: URL, onEvent: (FileEvent) -> Void) throws {
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

    /// Decompresses a verified gzip file unless its result is already there and right. The result
    /// is cut off one byte past the official size, so a file that decompresses to gigabytes (a
    /// gzip bomb) writes no more than that before it is refused.
    private func decompressIfNeeded(_ file: DataFile, in folder: URL, onEvent: (FileEvent) -> Void) throws {
        guard let expected = file.decompressed else { return }
        let destination = folder.appendingPathComponent(expected.name)
        if try problem(with: expected, at: destination) == nil { return }
        let partial = folder.appendingPathComponent(expected.name + ".partial")
        let source = folder.appendingPathComponent(file.name)
        let complaint = try gunzip(source, to: partial, cutOffAfter: expected.bytes)
        var wrong = try problem(with: expected, at: partial)
        if case .size(let official, let found)? = wrong, found == official + 1 {
            wrong = .larger(than: official)  // cut off by head: there was more
        }
        guard complaint == nil, wrong == nil else {
            try? FileManager.default.removeItem(at: partial)
            if let wrong, complaint == nil {
                throw DataFetchError.rejected(file: expected.name, problem: wrong)
            }
            throw DataFetchError.decompressionFailed(file: file.name, reason: complaint ?? "")
        }
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: partial, to: destination)
        onEvent(.decompressed(expected.name))
    }

    /// Decompresses the gzip file `source` into `destination`, writing at most `limit + 1` bytes
    /// (a result of `limit + 1` bytes means there was more: it was cut off). Returns why it
    /// failed, in gzip's words, or nil.
    func gunzip(_ source: URL, to destination: URL, cutOffAfter limit: Int) throws -> String? {
        let result = try ChildProcess.run(Command(
            "/bin/sh", ["-c", "gzip -dc -- \"$0\" | head -c \"$2\" > \"$1\"",
                        source.path, destination.path, String(limit + 1)],
            timeLimit: 600, mergeErrorIntoOutput: true))
        // gzip says why it failed; when head stops it early, it is killed by SIGPIPE and says
        // nothing. (The pipeline's status is head's.)
        let complaint = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.termination == .exited(0) else {
            return complaint.isEmpty ? "the decompressor ended with \(result.termination)" : complaint
        }
        return complaint.isEmpty ? nil : complaint
    }

    static func size(of url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? -1
    }

}
