import Foundation

/// Notices changes by looking: every `interval`, the size, modification time and inode of each
/// file in the folders. Works on any file system and platform; a few stat calls per poll.
/// Used from the watcher's thread only.
final class PollingBackend: WatchBackend, @unchecked Sendable {
    private struct Signature: Equatable {
        var size: Int64
        var modified: Double
        var inode: UInt64
    }

    static let interval = 0.25

    private let directories: [URL]
    private var known: [String: Signature] = [:]
    private var nextPoll = Date()

    init(directories: [URL]) {
        self.directories = directories
        known = snapshot()
        nextPoll = Date().addingTimeInterval(Self.interval)
    }

    func changes(timeout: Double) -> [WatchEvent] {
        let wait = min(timeout, max(0, nextPoll.timeIntervalSinceNow))
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        guard Date() >= nextPoll else { return [] }
        nextPoll = Date().addingTimeInterval(Self.interval)
        let current = snapshot()
        var changed: [String] = []
        for (name, signature) in current where known[name] != signature { changed.append(name) }
        for name in known.keys where current[name] == nil { changed.append(name) }
        known = current
        // A size or time seen changing says nothing of whether the writing is over.
        return changed.sorted().map { WatchEvent(name: $0, isComplete: false) }
    }

    func close() {}

    private func snapshot() -> [String: Signature] {
        var result: [String: Signature] = [:]
        let manager = FileManager.default
        for directory in directories {
            guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names {
                guard let attributes = try? manager.attributesOfItem(atPath: directory.appendingPathComponent(name).path) else { continue }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
                result[name] = Signature(size: size, modified: modified, inode: inode)
            }
        }
        return result
    }
}
