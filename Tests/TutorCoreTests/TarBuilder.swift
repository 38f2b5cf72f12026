import Foundation
@testable import TutorCore

/// Writes tar archives byte by byte, so tests can make the ones `tar` itself would never write:
/// `../` and absolute paths, links and devices, a member twice, a size that lies.
struct TarBuilder {
    var bytes: [UInt8] = []

    /// Adds a member: its header (POSIX ustar; `prefix` in the prefix field), then `data` padded
    /// to whole blocks. `declaredSize` is the size its header gives (default: the data's).
    mutating func add(_ path: String, type: Character = "0", data: [UInt8] = [], declaredSize: Int? = nil,
                      link: String = "", prefix: String = "", gnuMagic: Bool = false) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(path, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 7)
        put(octal(0, width: 8), at: 108, width: 7)
        put(octal(0, width: 8), at: 116, width: 7)
        put(octal(declaredSize ?? data.count, width: 12), at: 124, width: 11)
        put(octal(1_244_000_000, width: 12), at: 136, width: 11)
        header[156] = type.asciiValue!
        put(link, at: 157, width: 100)
        if gnuMagic {
            put("ustar  ", at: 257, width: 8)  // GNU: "ustar  \0", no prefix field
        } else {
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            put(prefix, at: 345, width: 155)
        }
        put("kriz", at: 265, width: 32)
        put("kriz", at: 297, width: 32)
        put("        ", at: 148, width: 8)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148, width: 6)
        header[154] = 0
        header[155] = 0x20
        bytes += header
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// Two blocks of zeros: the end of the archive.
    mutating func end() { bytes += [UInt8](repeating: 0, count: 1024) }

    /// The archive written to `url` (a .tar), then gzipped to `url` + ".gz"; returns that URL.
    func writeGzipped(to url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        let gzip = try ChildProcess.run(Command("gzip", ["-n", "-f", url.path]))
        precondition(gzip.termination == .exited(0), "gzip failed: \(gzip.output)")
        return URL(fileURLWithPath: url.path + ".gz")
    }
}
