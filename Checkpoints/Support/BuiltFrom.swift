// Which code a milestone program was built from: the learner's exercises or the course's
// reference solutions, lesson by lesson — so that a result (and a saved model) says what produced
// it. Package.swift defines SOLUTION_NN for every lesson compiled from its Solution/ folder
// (`tutor milestone run … --solutions`, TUTOR_SOLUTIONS); the program itself cannot see folders.
import Foundation

public enum BuiltFrom {
    /// The lessons compiled from their reference solutions (empty for a learner's own run).
    public static let solutionLessons: [Int] = {
        var lessons: [Int] = []
        #if SOLUTION_01
        lessons.append(1)
        #endif
        #if SOLUTION_02
        lessons.append(2)
        #endif
        #if SOLUTION_03
        lessons.append(3)
        #endif
        #if SOLUTION_04
        lessons.append(4)
        #endif
        #if SOLUTION_05
        lessons.append(5)
        #endif
        #if SOLUTION_06
        lessons.append(6)
        #endif
        #if SOLUTION_07
        lessons.append(7)
        #endif
        #if SOLUTION_08
        lessons.append(8)
        #endif
        #if SOLUTION_09
        lessons.append(9)
        #endif
        #if SOLUTION_10
        lessons.append(10)
        #endif
        #if SOLUTION_11
        lessons.append(11)
        #endif
        #if SOLUTION_12
        lessons.append(12)
        #endif
        #if SOLUTION_13
        lessons.append(13)
        #endif
        #if SOLUTION_14
        lessons.append(14)
        #endif
        #if SOLUTION_15
        lessons.append(15)
        #endif
        #if SOLUTION_16
        lessons.append(16)
        #endif
        #if SOLUTION_17
        lessons.append(17)
        #endif
        #if SOLUTION_18
        lessons.append(18)
        #endif
        #if SOLUTION_19
        lessons.append(19)
        #endif
        #if SOLUTION_20
        lessons.append(20)
        #endif
        return lessons
    }()

    /// What ran, for people and for a model file's metadata: "the reference solutions" when every
    /// lesson in `lessons` came from its solution, "your exercises" when none did, else both, by
    /// lesson ("your exercises of 01–03, the solutions of 04–09").
    public static func description(of lessons: [Int]) -> String {
        let solved = lessons.filter(solutionLessons.contains)
        let own = lessons.filter { !solutionLessons.contains($0) }
        if own.isEmpty { return "the reference solutions" }
        if solved.isEmpty { return "your exercises" }
        return "your exercises of \(numbers(own)), the solutions of \(numbers(solved))"
    }

    /// The SHA-256 of the learner's exercise files of `lessons` that this program was built from
    /// (those not taken from the solutions), read now from `Lessons/NN-*/Exercise/*.swift` under
    /// the current folder (the project, where the tutor runs milestones): every file's bytes, one
    /// after the other, in the order of their paths (byte by byte). The same as
    /// `LC_ALL=C; cat Lessons/0[1-9]-*/Exercise/*.swift | sha256sum` for lessons 01–09 (checked).
    /// Nil when there are none (a run on the solutions) or they cannot be read.
    public static func exerciseDigest(of lessons: [Int], in root: URL = URL(fileURLWithPath: ".")) -> String? {
        let own = Set(lessons.filter { !solutionLessons.contains($0) })
        guard !own.isEmpty else { return nil }
        let manager = FileManager.default
        let lessonsFolder = root.appendingPathComponent("Lessons")
        guard let folders = try? manager.contentsOfDirectory(atPath: lessonsFolder.path) else { return nil }
        var paths: [String] = []
        for folder in folders {
            guard let number = Int(folder.prefix(while: \.isNumber)), own.contains(number) else { continue }
            let exercise = lessonsFolder.appendingPathComponent(folder).appendingPathComponent("Exercise")
            guard let files = try? manager.contentsOfDirectory(atPath: exercise.path) else { continue }
            paths += files.filter { $0.hasSuffix(".swift") }.map { exercise.appendingPathComponent($0).path }
        }
        guard !paths.isEmpty else { return nil }
        var bytes: [UInt8] = []
        // Sorted as the shell sorts a glob in the C locale: byte by byte.
        for path in paths.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            guard let data = manager.contents(atPath: path) else { return nil }
            bytes += data
        }
        return SHA256.hex(bytes)
    }

    /// "01–09", "03", "01–03, 05".
    static func numbers(_ lessons: [Int]) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var parts: [String] = []
        var index = 0
        let sorted = lessons.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? two(sorted[index]) : "\(two(sorted[index]))–\(two(sorted[end]))")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }
}

/// SHA-256 (FIPS 180-4), for the exercise digest: the milestones link no crypto library.
enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The digest of `message` as 64 lowercase hexadecimal digits.
    static func hex(_ message: [UInt8]) -> String {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var padded = message + [0x80]
        while padded.count % 64 != 56 { padded.append(0) }
        let bits = UInt64(message.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        func rotate(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: padded.count, by: 64) {
            for t in 0..<16 {
                let i = block + 4 * t
                w[t] = UInt32(padded[i]) << 24 | UInt32(padded[i + 1]) << 16 | UInt32(padded[i + 2]) << 8 | UInt32(padded[i + 3])
            }
            for t in 16..<64 {
                let s0 = rotate(w[t - 15], 7) ^ rotate(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotate(w[t - 2], 17) ^ rotate(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ choice &+ k[t] &+ w[t]
                let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ majority
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, value) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ value }
        }
        return h.map { String(format: "%08x", $0) }.joined()
    }
}
