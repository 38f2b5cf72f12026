// Files of fixed-size labelled records (CIFAR-10's batches): checked as their bytes go by, and
// written only as new regular files.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Checks the labels of a record file as its bytes go by, in chunks of any size: the first byte of
/// each record must be one of `format.labels`.
struct RecordScanner {
    let format: RecordFormat
    /// Bytes seen so far.
    private(set) var position = 0

    init(format: RecordFormat) { self.format = format }

    /// Checks the labels that fall in `chunk`, the bytes after the `position` seen so far. The
    /// first label out of range is the problem; nil when there is none.
    mutating func scan(_ chunk: UnsafeRawBufferPointer) -> FileProblem? {
        let size = format.recordSize
        // The first label at or after `position`: records start at multiples of `size`.
        var label = (position + size - 1) / size * size
        while label < position + chunk.count {
            let value = chunk[label - position]
            if !format.labels.contains(value) {
                return .label(record: label / size, value: value, allowed: format.labels)
            }
            label += size
        }
        position += chunk.count
        return nil
    }
}

enum RecordFile {
    /// Bytes read or written at a time.
    static let chunkSize = 1 << 20

    /// How the file at `url` differs from `format`: its size first, then (only if that is right)
    /// every record's label. Nil when it fits.
    static func problem(at url: URL, format: RecordFormat) throws -> FileProblem? {
        let size = DataStore.size(of: url)
        guard size == format.fileSize else { return .size(expected: format.fileSize, found: size) }
        let file = try FileHandle(forReadingFrom: url)
        defer { try? file.close() }
        var scanner = RecordScanner(format: format)
        while let chunk = try file.read(upToCount: chunkSize), !chunk.isEmpty {
            if let problem = chunk.withUnsafeBytes({ scanner.scan($0) }) { return problem }
        }
        // The file changed size while it was read.
        return scanner.position == size ? nil : .size(expected: format.fileSize, found: scanner.position)
    }

    /// Copies `count` bytes of `source`, from `offset`, into a new file at `destination`, checking
    /// the records on the way; returns the first problem (the copy stops there) or nil. The
    /// destination is created, never opened as it is: a file or a symbolic link already there
    /// makes this fail rather than write through it.
    static func copy(from source: FileHandle, offset: UInt64, count: Int, to destination: URL,
                     format: RecordFormat) throws -> FileProblem? {
        guard count == format.fileSize else { return .size(expected: format.fileSize, found: count) }
        try source.seek(toOffset: offset)
        let output = try NewFile(destination)
        defer { output.close() }
        var scanner = RecordScanner(format: format)
        while scanner.position < count {
            guard let chunk = try source.read(upToCount: min(chunkSize, count - scanner.position)),
                  !chunk.isEmpty else {
                return .size(expected: count, found: scanner.position)  // the source shrank
            }
            if let problem = chunk.withUnsafeBytes({ scanner.scan($0) }) { return problem }
            try chunk.withUnsafeBytes { try output.write($0) }
        }
        return nil
    }
}

/// A file this process creates (`O_CREAT | O_EXCL | O_NOFOLLOW`): it cannot already exist, so a
/// symbolic link at that path is never followed and nothing that was there is overwritten.
struct NewFile {
    let url: URL
    private let descriptor: Int32

    init(_ url: URL) throws {
        self.url = url
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw DataFetchError.cannotWrite(file: url.path, reason: String(cString: strerror(errno)))
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw DataFetchError.cannotWrite(file: url.path, reason: String(cString: strerror(errno)))
            }
            done += written
        }
    }

    func close() { systemClose(descriptor) }
}

// The system calls by other names: inside `NewFile`, `write` and `close` are its own methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func systemClose(_ descriptor: Int32) { _ = close(descriptor) }
