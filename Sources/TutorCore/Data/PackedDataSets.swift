import Foundation

/// What `DataStore.fetch` or `verify` checked, for the words after it.
public struct DataCheck: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Each file's size and published SHA-256, and those of what it decompresses to.
        case published
        /// Files unpacked from `archive`, whose size and published SHA-256 were checked first;
        /// each file's size and records.
        case unpacked(archive: String, format: RecordFormat)
        /// Files copied from a mirror's `folder`: each file's size and records only — there is no
        /// published SHA-256 of the files to compare with.
        case structure(folder: String, format: RecordFormat)
    }

    public var dataSet: DataSet
    public var kind: Kind
    /// The files checked; for a packed data set, with the SHA-256 recorded when they were fetched.
    public var files: [ExpectedFile]
    /// A packed data set found in place by a fetch: checked against its record, nothing fetched.
    public var inPlace = false

    /// What a fetch checked: "verified the size and SHA-256 of 8 files (…)".
    public var fetchSummary: String {
        if inPlace, kind != .published { return "in place: " + verifySummary }
        switch kind {
        case .published:
            return "verified the size and SHA-256 of \(dataSet.checkedFiles)"
        case .unpacked(let archive, let format):
            return "verified the size and published SHA-256 of \(archive), then unpacked \(files.count) files "
                + "from it, each checked: \(format.description)"
        case .structure(let folder, let format):
            return "checked the structure of \(files.count) files copied from \(folder), each \(format.description). "
                + "Not checked: their SHA-256 — a folder of these files has no published checksum (a rebuilt "
                + "mirror's bytes are not the canonical ones); the official archive's is checked when you fetch it "
                + "without --mirror"
        }
    }

    /// What a verify checked: "8 files (…), each of the right size and SHA-256".
    public var verifySummary: String {
        switch kind {
        case .published:
            return "\(dataSet.checkedFiles), each of the right size and SHA-256"
        case .unpacked(let archive, _):
            return "\(files.count) files, each as fetched (size, labels and SHA-256), unpacked from \(archive) "
                + "after its published SHA-256 was checked"
        case .structure(let folder, _):
            return "\(files.count) files, each as fetched (size, labels and SHA-256), copied from \(folder) with "
                + "their structure checked (no published SHA-256 to compare with)"
        }
    }
}

/// Where a packed data set's files came from and what they were when they were checked: written
/// by `fetch` beside them (`fetched.json`), so that `verify` finds later damage and says what was
/// checked.
struct FetchRecord: Codable, Equatable {
    enum Origin: String, Codable {
        /// Unpacked from the archive after its size and published SHA-256 were checked.
        case archive
        /// Copied from a mirror's folder of the files, checked for structure only.
        case folder
    }
    var origin: Origin
    /// The archive's name, or the folder's path.
    var source: String
    /// Each file with its size and SHA-256 as written.
    var files: [ExpectedFile]
}

// Packed data sets (CIFAR-10): one archive as published, of which the course keeps some files.
//
// The archive is checked (size, published SHA-256) before it is unpacked; unpacking takes out
// only the files asked for (`TarArchive`), checks each one's records, and renames them into place
// together with the record of what was checked. The archive is removed once its files are in
// place. A mirror may instead hold the files themselves (our offline mirror rebuilds them from
// JPEGs): their bytes cannot be compared with anything published, so their structure is checked,
// and the record — and every message — says so.
extension DataStore {
    /// The record beside a packed data set's files.
    static let recordName = "fetched.json"

    /// Fetches a packed data set (see `fetch`): nothing when its files are in place and as
    /// recorded; else unpacks an archive a stopped fetch left verified, or gets the archive (or,
    /// from a mirror, a folder of the files).
    func fetchPacked(_ dataSet: DataSet, archive: DataFile, contents: PackedFiles, mirror: URL?,
                     onEvent: (FileEvent) -> Void) throws -> DataCheck {
        let target = folder(dataSet)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        if let record = try? checkInPlace(dataSet, contents: contents) {
            contents.names.forEach { onEvent(.alreadyThere($0)) }
            var found = check(dataSet, record, contents)
            found.inPlace = true
            return found
        }
        let archiveURL = target.appendingPathComponent(archive.name)
        if try problem(with: archive.published, at: archiveURL) == nil {
            onEvent(.alreadyThere(archive.name))
            return try unpack(archiveURL, archive: archive, contents: contents, dataSet: dataSet, onEvent: onEvent)
        }
        let partial = target.appendingPathComponent(archive.name + ".partial")
        try? FileManager.default.removeItem(at: partial)
        if let mirror {
            switch try locatePacked(dataSet, archive: archive, contents: contents, in: mirror) {
            case .folder(let source):
                return try copyFolder(source, contents: contents, dataSet: dataSet, onEvent: onEvent)
            case .archive(let source):
                try FileManager.default.copyItem(at: source, to: partial)
                onEvent(.copied(archive.name, from: source.path))
            }
        } else {
            try download(archive, to: partial, onEvent: onEvent)
            onEvent(.downloaded(archive.name))
        }
        if let wrong = try problem(with: archive.published, at: partial) {
            try? FileManager.default.removeItem(at: partial)
            throw DataFetchError.rejected(file: archive.name, problem: wrong)
        }
        try? FileManager.default.removeItem(at: archiveURL)
        try FileManager.default.moveItem(at: partial, to: archiveURL)
        return try unpack(archiveURL, archive: archive, contents: contents, dataSet: dataSet, onEvent: onEvent)
    }

    /// Checks a packed data set's files as they are: each present, of the right size and labels,
    /// and with the SHA-256 recorded when it was fetched. Names the first that is not
    /// (`missing`, `unrecorded`, `damaged`) and leaves it where it is.
    func verifyPacked(_ dataSet: DataSet, contents: PackedFiles) throws -> DataCheck {
        check(dataSet, try checkInPlace(dataSet, contents: contents), contents)
    }

    private func checkInPlace(_ dataSet: DataSet, contents: PackedFiles) throws -> FetchRecord {
        let target = folder(dataSet)
        for name in contents.names where !FileManager.default.fileExists(atPath: target.appendingPathComponent(name).path) {
            throw DataFetchError.missing(file: name, dataSet: dataSet.name)
        }
        guard let data = try? Data(contentsOf: target.appendingPathComponent(Self.recordName)),
              let record = try? JSONDecoder().decode(FetchRecord.self, from: data),
              record.files.map(\.name) == contents.names,
              record.files.allSatisfy({ $0.bytes == contents.format.fileSize }) else {
            throw DataFetchError.unrecorded(folder: target.path, dataSet: dataSet.name)
        }
        let urls = record.files.map { target.appendingPathComponent($0.name) }
        for (expected, url) in zip(record.files, urls) where DataStore.size(of: url) != expected.bytes {
            throw DataFetchError.damaged(file: expected.name, folder: target.path, dataSet: dataSet.name,
                                         problem: .size(expected: expected.bytes, found: DataStore.size(of: url)))
        }
        // The SHA-256 as recorded means the bytes that were checked when fetched. Only a file
        // that differs is read for its records: a bad label says more than a checksum does.
        let digests = try Digests.sha256(of: urls)
        for (expected, (url, digest)) in zip(record.files, zip(urls, digests)) where digest != expected.sha256 {
            let wrong = try RecordFile.problem(at: url, format: contents.format)
                ?? .checksum(expected: expected.sha256, found: digest)
            throw DataFetchError.damaged(file: expected.name, folder: target.path, dataSet: dataSet.name, problem: wrong)
        }
        return record
    }

    private func check(_ dataSet: DataSet, _ record: FetchRecord, _ contents: PackedFiles) -> DataCheck {
        let kind: DataCheck.Kind = record.origin == .archive
            ? .unpacked(archive: record.source, format: contents.format)
            : .structure(folder: record.source, format: contents.format)
        return DataCheck(dataSet: dataSet, kind: kind, files: record.files)
    }

    // MARK: Unpacking

    /// Decompresses the verified archive (no more than `maximumTarSize` bytes), takes its files
    /// out, checks them and puts them in place; then removes the archive. On any problem nothing
    /// is kept, the archive included, so the next fetch starts afresh.
    private func unpack(_ archiveURL: URL, archive: DataFile, contents: PackedFiles, dataSet: DataSet,
                        onEvent: (FileEvent) -> Void) throws -> DataCheck {
        let target = folder(dataSet)
        let tarName = archive.name.hasSuffix(".gz") ? String(archive.name.dropLast(3)) : archive.name + ".tar"
        let tar = target.appendingPathComponent(tarName + ".partial")
        let partials = contents.names.map { target.appendingPathComponent($0 + ".partial") }
        func removeAll() {
            for url in partials + [tar, archiveURL] { try? FileManager.default.removeItem(at: url) }
        }
        try? FileManager.default.removeItem(at: tar)
        for url in partials { try? FileManager.default.removeItem(at: url) }
        do {
            if let complaint = try gunzip(archiveURL, to: tar, cutOffAfter: contents.maximumTarSize) {
                throw DataFetchError.decompressionFailed(file: archive.name, reason: complaint)
            }
            guard DataStore.size(of: tar) <= contents.maximumTarSize else {
                throw DataFetchError.badArchive(file: archive.name, problem: .tooLarge(limit: contents.maximumTarSize))
            }
            let members = zip(contents.names, partials).map { name, partial in
                TarArchive.Member(path: contents.pathInArchive(name), destination: partial, format: contents.format)
            }
            do {
                try TarArchive.extract(tar, members: members)
            } catch let problem as ArchiveProblem {
                throw DataFetchError.badArchive(file: archive.name, problem: problem)
            }
            try? FileManager.default.removeItem(at: tar)
            let record = try install(partials, contents: contents, in: target, origin: .archive, source: archive.name)
            contents.names.forEach { onEvent(.unpacked($0, from: archive.name)) }
            // The course reads the files; the record says they came from the verified archive.
            try? FileManager.default.removeItem(at: archiveURL)
            return check(dataSet, record, contents)
        } catch {
            removeAll()
            throw error
        }
    }

    /// Hashes the checked `partials`, renames them into place and writes the record. While the
    /// files change there is no record, so a fetch stopped halfway is never taken for a complete
    /// one.
    private func install(_ partials: [URL], contents: PackedFiles, in target: URL, origin: FetchRecord.Origin,
                         source: String) throws -> FetchRecord {
        let digests = try Digests.sha256(of: partials)
        let recordURL = target.appendingPathComponent(Self.recordName)
        try? FileManager.default.removeItem(at: recordURL)
        for (name, partial) in zip(contents.names, partials) {
            let destination = target.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.moveItem(at: partial, to: destination)
        }
        let record = FetchRecord(origin: origin, source: source, files: zip(contents.names, digests).map {
            ExpectedFile(name: $0, bytes: contents.format.fileSize, sha256: $1)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(record).write(to: recordURL, options: .atomic)
        return record
    }

    // MARK: Mirrors

    private enum PackedSource {
        case archive(URL)
        case folder(URL)
    }

    /// Where `mirror` holds the archive (`<mirror>/<set>/<archive>` or `<mirror>/<archive>`, as
    /// for other data sets), or else a folder with the files (`<mirror>/<set>/<folder>`,
    /// `<mirror>/<set>`, `<mirror>/<folder>` or `<mirror>` itself — the first holding any of
    /// them). A mirror holding only what rebuilds the files gets the command that does it.
    private func locatePacked(_ dataSet: DataSet, archive: DataFile, contents: PackedFiles,
                              in mirror: URL) throws -> PackedSource {
        let setFolder = mirror.appendingPathComponent(dataSet.name)
        let archives = [setFolder.appendingPathComponent(archive.name), mirror.appendingPathComponent(archive.name)]
        if let found = archives.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            return .archive(found)
        }
        let folders = [setFolder.appendingPathComponent(contents.folder), setFolder,
                       mirror.appendingPathComponent(contents.folder), mirror]
        if let found = folders.first(where: { folder in
            contents.names.contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
        }) {
            return .folder(found)
        }
        if let rebuild = contents.rebuild, let folder = [setFolder, mirror].first(where: { folder in
            [rebuild.source, rebuild.script].allSatisfy {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
            }
        }) {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(dataSet.name)-bin").path
            throw DataFetchError.needsRebuild(
                folder: folder.path, source: rebuild.source,
                command: "python3 \(shellWord(folder.appendingPathComponent(rebuild.script).path)) \(shellWord(output))",
                needs: rebuild.needs,
                fetch: "swift run tutor data fetch \(dataSet.name) --mirror \(shellWord(output))")
        }
        throw DataFetchError.packedNotInMirror(archive: archive.name, files: contents.names, mirror: mirror.path,
                                               looked: archives.map(\.path) + folders.map(\.path))
    }

    /// Copies the files from a mirror's folder, each checked for size before and for its records
    /// while it is copied, then puts them in place with a record saying only their structure was
    /// checked.
    private func copyFolder(_ source: URL, contents: PackedFiles, dataSet: DataSet,
                            onEvent: (FileEvent) -> Void) throws -> DataCheck {
        let target = folder(dataSet)
        let missing = contents.names.filter {
            !FileManager.default.fileExists(atPath: source.appendingPathComponent($0).path)
        }
        guard missing.isEmpty else { throw DataFetchError.incompleteMirrorFolder(folder: source.path, missing: missing) }
        let partials = contents.names.map { target.appendingPathComponent($0 + ".partial") }
        for url in partials { try? FileManager.default.removeItem(at: url) }
        do {
            for (name, partial) in zip(contents.names, partials) {
                let file = source.appendingPathComponent(name)
                let size = DataStore.size(of: file)
                var problem: FileProblem?
                if size != contents.format.fileSize {
                    problem = .size(expected: contents.format.fileSize, found: size)
                } else {
                    let handle = try FileHandle(forReadingFrom: file)
                    defer { try? handle.close() }
                    problem = try RecordFile.copy(from: handle, offset: 0, count: size, to: partial, format: contents.format)
                }
                if let problem {
                    throw DataFetchError.badInMirror(file: name, folder: source.path, problem: problem, format: contents.format)
                }
                onEvent(.copied(name, from: file.path))
            }
            let record = try install(partials, contents: contents, in: target, origin: .folder, source: source.path)
            return check(dataSet, record, contents)
        } catch {
            for url in partials { try? FileManager.default.removeItem(at: url) }
            throw error
        }
    }
}

/// `path` as one shell word: as it is when it holds nothing a shell would read otherwise, else in
/// single quotes.
func shellWord(_ path: String) -> String {
    let plain = path.unicodeScalars.allSatisfy {
        ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "/._-+,:@%".unicodeScalars.contains($0)
    }
    return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
