import Foundation

/// A folder of the tutor's own in the system's temporary directory (a trusted copy of the course
/// and its build), removed when the work is done — through `removeAll()` also when the tutor is
/// stopped by a signal, once its children are; and when a tutor was killed outright (SIGKILL
/// cannot be caught), or a compiler it stopped wrote into the folder after it was removed, by the
/// next tutor that makes a folder of the same kind. The folder's name holds its tutor's process
/// id: `<prefix>-<pid>-<random>`.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL
    private let lock = NSLock()
    private var removed = false

    /// Creates `<temporary directory>/<prefix>-<pid>-<random>`, after removing the folders of
    /// this prefix whose tutor is gone.
    public init(prefix: String) throws {
        Self.removeAbandoned(prefix: prefix)
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        Self.live.withLock { $0.append(self) }
    }

    /// Removes `<prefix>-<pid>-*` folders whose process no longer exists. A folder whose name
    /// holds no process id, or whose process id is in use again, is left alone.
    static func removeAbandoned(prefix: String) {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(prefix + "-") {
            guard let field = name.dropFirst(prefix.count + 1).split(separator: "-").first,
                  let pid = pid_t(field), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    /// Removes the folder and everything in it (once; later calls wait for the first, then do
    /// nothing). A compiler stopped a moment ago may still be writing into it, so a removal that
    /// leaves something behind is tried again for a few seconds.
    public func remove() {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        let deadline = Date().addingTimeInterval(5)
        while true {
            try? FileManager.default.removeItem(at: url)
            guard FileManager.default.fileExists(atPath: url.path), Date() < deadline else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        removed = true
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
