import Foundation

/// A folder of the tutor's own in the system's temporary directory (a trusted copy of the course
/// and its build), removed when the work is done — and, through `removeAll()`, when the tutor is
/// stopped by a signal, once its children are.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL
    private let lock = NSLock()
    private var removed = false

    /// Creates `<temporary directory>/<prefix>-<random>`.
    public init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        Self.live.withLock { $0.append(self) }
    }

    /// Removes the folder and everything in it (once; later calls do nothing).
    public func remove() {
        let first = lock.withLock { () -> Bool in
            defer { removed = true }
            return !removed
        }
        guard first else { return }
        try? FileManager.default.removeItem(at: url)
        Self.live.withLock { $0.removeAll { $0 === self } }
    }

    /// Runs `body` with `TMPDIR` pointing into this folder, so that what the tutor's children
    /// leave in the temporary directory goes when the folder goes: SwiftPM leaves a lock file
    /// named after each scratch path there, which would pile up for scratch paths that are
    /// temporary themselves. (Set between builds, never while another thread starts a process.)
    public func holdingTemporaryFiles<T>(_ body: () throws -> T) throws -> T {
        let inside = url.appendingPathComponent("tmp", isDirectory: true)
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        let previous = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", inside.path, 1)
        defer { if let previous { setenv("TMPDIR", previous, 1) } else { unsetenv("TMPDIR") } }
        return try body()
    }

    /// Removes every temporary folder still there: for an exit on a signal, after
    /// `ChildProcess.cancelAll()` stopped the builds writing into them.
    public static func removeAll() {
        for folder in live.withLock({ $0 }) { folder.remove() }
    }

    private static let live = Locked<[TemporaryFolder]>([])
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
