// Takes named files out of a tar archive without trusting anything in it.
//
// Why not `tar -x`: tar writes what the archive says — its paths, its links, its devices — and
// what it guards against differs between GNU tar (Linux) and bsdtar (macOS) and between their
// versions; asking it for a few member names does not stop a member of that name from being a
// symbolic link, or from coming twice, and sizes are only known once written. The format is
// simple and bounded: a 512-byte header (name, size, type, checksum), the data padded to 512 bytes,
// repeated; pax and GNU extended headers (a longer path, a size) are read and applied to the
// member after them, as tar does, so archives from any tar read the same (GNU tar's posix format
// puts one before every member). Reading it here means the tutor decides every byte that is
// written: only the members it asks for, as new regular files under names it chose, of the size
// it expects, each once.

import Foundation

/// What is wrong with a tar archive, found while reading it.
public enum ArchiveProblem: Error, Equatable, Sendable {
    /// It ends inside a header or inside the data of `member`.
    case truncated(member: String?)
    /// The header at `offset` does not add up to its checksum: not a tar archive, or damaged there.
    case badHeader(offset: Int)
    /// The size field of `member` is not an octal number (base-256 sizes are for members over
    /// 8 GB, which no data set here has).
    case badSizeField(member: String)
    /// A member whose path is absolute or climbs out with `..`: no honest archive holds one.
    case unsafePath(String)
    /// A symbolic or hard link, a device or a pipe: never created, and no data archive needs one.
    case forbiddenEntry(name: String, kind: String)
    /// A member the course takes is not a regular file (a directory, …).
    case notAFile(name: String, kind: String)
    /// The extended header (pax or GNU long name) at `offset` is malformed, over 64 KiB, or a pax
    /// global header that would change every path or size after it.
    case badExtendedHeader(offset: Int)
    /// A member the course takes is in the archive twice.
    case duplicate(String)
    /// A member the course takes does not have the size it must have.
    case memberSize(name: String, expected: Int, found: Int)
    /// Members the course takes that are not in the archive.
    case missing([String])
    /// It decompresses to more than `limit` bytes (decompression was stopped there).
    case tooLarge(limit: Int)
    /// A member's records are not right (a label out of range).
    case member(String, FileProblem)

    var description: String {
        switch self {
        case .truncated(let member?):
            return "it ends inside \(member): it was cut off"
        case .truncated(nil):
            return "it ends inside a tar header: it was cut off"
        case .badHeader(let offset):
            return "the tar header at byte \(offset.formatted()) is damaged (its checksum does not add up)"
        case .badSizeField(let member):
            return "the size of \(member) is not an octal number"
        case .unsafePath(let path):
            return "it holds a member with an unsafe path, \(path) (absolute, or climbing out with ..)"
        case .forbiddenEntry(let name, let kind):
            return "it holds \(kind) \(name), which a data archive has no need of"
        case .notAFile(let name, let kind):
            return "\(name) in it is \(kind), not a file"
        case .badExtendedHeader(let offset):
            return "the extended (pax or GNU) header at byte \(offset.formatted()) is malformed or not supported"
        case .duplicate(let name):
            return "it holds \(name) twice"
        case .memberSize(let name, let expected, let found):
            return "\(name) in it has \(found.formatted()) bytes, expected \(expected.formatted())"
        case .missing(let names):
            return "it lacks \(names.joined(separator: ", "))"
        case .tooLarge(let limit):
            return "it decompresses to more than \(limit.formatted()) bytes (it was stopped there)"
        case .member(let name, let problem):
            return "\(name) in it \(problem.description)"
        }
    }
}

/// One tar header, read and checked.
struct TarHeader: Equatable {
    /// The member's path: POSIX ustar's prefix and name joined, or the name alone.
    var path: String
    /// The type flag: `0` or NUL a file, `5` a folder, `2` a symbolic link, `x` a pax header, …
    var type: UInt8
    /// The size of the data that follows the header.
    var size: Int

    static let blockSize = 512

    /// The header in `block` (512 bytes), found at `offset`; nil for a block of zeros (the end of
    /// the archive).
    static func parse(_ block: [UInt8], offset: Int) throws -> TarHeader? {
        precondition(block.count == blockSize, "a tar header is \(blockSize) bytes")
        if block.allSatisfy({ $0 == 0 }) { return nil }
        // The checksum: the sum of the header's bytes with its own 8 bytes counted as spaces.
        // Some old tars summed signed bytes: either sum is accepted.
        var unsigned = 8 * 32
        var signed = 8 * 32
        for (index, byte) in block.enumerated() where !(148..<156).contains(index) {
            unsigned += Int(byte)
            signed += Int(Int8(bitPattern: byte))
        }
        guard let stored = octal(block[148..<156]), stored == unsigned || stored == signed else {
            throw ArchiveProblem.badHeader(offset: offset)
        }
        var path = text(block[0..<100])
        // POSIX ustar ("ustar\0") keeps a longer path's start in a prefix field; GNU tar
        // ("ustar  \0") uses those bytes for other things.
        if block[257..<263].elementsEqual(Array("ustar".utf8) + [0]) {
            let prefix = text(block[345..<500])
            if !prefix.isEmpty { path = prefix + "/" + path }
        }
        guard let size = octal(block[124..<136]) else { throw ArchiveProblem.badSizeField(member: path) }
        return TarHeader(path: path, type: block[156], size: size)
    }

    /// The bytes up to the first NUL, as text.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal number written in ASCII digits, padded with spaces or NULs. Nil when it is not one
    /// (including GNU's base-256 form, whose first byte has its high bit set).
    private static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        let digits = bytes.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        // The digits must be followed only by padding; at most 11 octal digits fit a size field.
        guard !digits.isEmpty, digits.count <= 11,
              bytes[digits.endIndex...].allSatisfy({ $0 == 0 || $0 == 0x20 }),
              digits.allSatisfy({ (0x30...0x37).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 8 + Int($1 - 0x30) }
    }

    /// The number of bytes the data takes in the archive: `size` rounded up to whole blocks.
    var paddedSize: Int { (size + Self.blockSize - 1) / Self.blockSize * Self.blockSize }

    var isRegularFile: Bool { type == 0x30 || type == 0 }

    /// An extended header: data about the next member (pax `x`; GNU long names `L`, long link
    /// names `K`) or about all that follow (pax global `g`), not a member itself.
    var isExtendedHeader: Bool { [UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K")].contains(type) }

    /// The records of a pax extended header's data, `"<length> <key>=<value>\n"` each, the length
    /// counting the whole record in bytes. Nil when they are malformed.
    static func paxRecords(_ data: [UInt8]) -> [String: String]? {
        var records: [String: String] = [:]
        var start = 0
        while start < data.count {
            guard let space = data[start...].firstIndex(of: 0x20), space - start <= 10,
                  let length = Int(String(decoding: data[start..<space], as: UTF8.self)),
                  length > space - start + 1, length <= data.count - start,
                  data[start + length - 1] == 0x0A,
                  let equals = data[(space + 1)..<(start + length - 1)].firstIndex(of: 0x3D) else { return nil }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            records[key] = String(decoding: data[(equals + 1)..<(start + length - 1)], as: UTF8.self)
            start += length
        }
        return records
    }

    /// Links, devices and pipes: what extracting would create other than files and folders.
    var forbiddenKind: String? {
        switch type {
        case UInt8(ascii: "1"): return "a hard link"
        case UInt8(ascii: "2"): return "a symbolic link"
        case UInt8(ascii: "3"): return "a character device"
        case UInt8(ascii: "4"): return "a block device"
        case UInt8(ascii: "6"): return "a named pipe"
        default: return nil
        }
    }

    /// What the entry is, for a message: "a folder", "an entry of type 'S'".
    var kind: String {
        if let forbiddenKind { return forbiddenKind }
        switch type {
        case UInt8(ascii: "5"): return "a folder"
        case UInt8(ascii: "x"), UInt8(ascii: "g"): return "a pax extended header"
        case UInt8(ascii: "L"), UInt8(ascii: "K"): return "a GNU long-name header"
        default: return "an entry of type '\(Character(Unicode.Scalar(type)))'"
        }
    }

    /// Absolute, or with a `..` component: a path extraction would have to refuse.
    var isUnsafePath: Bool {
        path.hasPrefix("/") || path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }
}

/// Reads a tar file (decompressed) and writes out the members asked for.
enum TarArchive {
    /// A member to take out: its path in the archive, the new file to write it to, and the record
    /// format its data must have (which fixes its size).
    struct Member {
        var path: String
        var destination: URL
        var format: RecordFormat
    }

    /// Walks every header of the tar file at `url` and copies each of `members` to its
    /// destination, checking its records on the way. Every other member is skipped, never
    /// written. Extended headers are applied as tar applies them: a pax header's `path` and
    /// `size`, or a GNU long name, replace those of the member after it. Throws an
    /// `ArchiveProblem` for an archive that is damaged, cut off or holds anything unsafe (a link, a
    /// device, an absolute or `..` path — anywhere in it), or when a member asked for is missing,
    /// twice there, not a plain file or of the wrong size. On an error, files already written are
    /// left for the caller to remove.
    static func extract(_ url: URL, members: [Member]) throws {
        let wanted = Dictionary(members.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var written: Set<String> = []
        let tarSize = DataStore.size(of: url)
        let file = try FileHandle(forReadingFrom: url)
        defer { try? file.close() }
        var offset = 0
        // What extended headers said about the next member.
        var nextPath: String?
        var nextSize: Int?
        while offset < tarSize {
            try file.seek(toOffset: UInt64(offset))
            let block = [UInt8](try file.read(upToCount: TarHeader.blockSize) ?? Data())
            guard block.count == TarHeader.blockSize else { throw ArchiveProblem.truncated(member: nil) }
            guard var header = try TarHeader.parse(block, offset: offset) else { break }  // the end
            let dataStart = offset + TarHeader.blockSize
            if header.isExtendedHeader {
                guard header.size <= tarSize - dataStart else { throw ArchiveProblem.truncated(member: header.path) }
                guard header.size <= 65_536 else { throw ArchiveProblem.badExtendedHeader(offset: offset) }
                let data = [UInt8](try file.read(upToCount: header.size) ?? Data())
                switch header.type {
                case UInt8(ascii: "x"), UInt8(ascii: "g"):
                    guard let records = TarHeader.paxRecords(data) else { throw ArchiveProblem.badExtendedHeader(offset: offset) }
                    if header.type == UInt8(ascii: "g") {
                        // Comments and times are harmless; a path or size for every member is not
                        // something an archive of data files needs.
                        guard records["path"] == nil && records["size"] == nil else {
                            throw ArchiveProblem.badExtendedHeader(offset: offset)
                        }
                    } else {
                        if let path = records["path"] { nextPath = path }
                        if let size = records["size"] {
                            guard size.count <= 18, size.allSatisfy(\.isASCII), let value = Int(size), value >= 0 else {
                                throw ArchiveProblem.badExtendedHeader(offset: offset)
                            }
                            nextSize = value
                        }
                    }
                case UInt8(ascii: "L"):
                    nextPath = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                default:
                    break  // `K`, a long link name: links are refused anyway
                }
                offset = dataStart + header.paddedSize
                continue
            }
            header.path = nextPath ?? header.path
            header.size = nextSize ?? header.size
            nextPath = nil
            nextSize = nil
            guard header.size <= tarSize - dataStart else { throw ArchiveProblem.truncated(member: header.path) }
            if header.isUnsafePath { throw ArchiveProblem.unsafePath(header.path) }
            if let kind = header.forbiddenKind { throw ArchiveProblem.forbiddenEntry(name: header.path, kind: kind) }
            if let member = wanted[header.path] {
                guard header.isRegularFile else { throw ArchiveProblem.notAFile(name: header.path, kind: header.kind) }
                guard !written.contains(header.path) else { throw ArchiveProblem.duplicate(header.path) }
                guard header.size == member.format.fileSize else {
                    throw ArchiveProblem.memberSize(name: header.path, expected: member.format.fileSize, found: header.size)
                }
                if let problem = try RecordFile.copy(from: file, offset: UInt64(dataStart), count: header.size,
                                                     to: member.destination, format: member.format) {
                    throw ArchiveProblem.member(header.path, problem)
                }
                written.insert(header.path)
            }
            offset = dataStart + header.paddedSize
        }
        let missing = members.map(\.path).filter { !written.contains($0) }
        guard missing.isEmpty else { throw ArchiveProblem.missing(missing) }
    }
}
