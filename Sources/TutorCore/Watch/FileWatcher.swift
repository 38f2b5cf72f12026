import Foundation

/// How files are being watched.
public enum WatchMode: Equatable, Sendable {
    /// Linux's inotify: the kernel reports each change.
    case inotify
    /// Looking at every file's size and modification time a few times a second: where inotify is
    /// not available or not reliable (network and WSL-mounted folders, watch limits, macOS).
    case polling(reason: String)
}

/// One raw change: a file name (not a path) in a watched folder, and whether the event says the
/// file is now complete — written and closed, or renamed into place — which only inotify knows.
struct WatchEvent: Equatable {
    var name: String
    var isComplete: Bool
}

/// A source of raw change notifications in the watched folders. One per platform mechanism.
protocol WatchBackend: AnyObject, Sendable {
    /// Waits up to `timeout` seconds and returns the changes meanwhile (maybe none).
    func changes(timeout: Double) -> [WatchEvent]
    func close()
}

/// Watches folders for saved source files and reports them, debounced: an editor's save is
/// several events (vim: rename the old file away, write a new one, delete the backup), reported
/// as one change once the folder has been quiet for `debounce` seconds — or for only `settle`
/// seconds when the last event of every changed file says it is complete (closed after writing,
/// or renamed into place): then the save is over, and the learner is waiting for the verdict.
/// (`settle` still gathers the files of one "save all", or of a script that writes a few files
/// 20 ms apart.)
///
/// Both ways editors save are seen, because the folder (not the file) is watched: writing the file
/// in place (close-after-write) and writing a new file and renaming it over the old one.
public final class FileWatcher: @unchecked Sendable {
    public let directories: [URL]
    public let debounce: Double
    public let settle: Double
    public private(set) var mode: WatchMode = .inotify

    private let filter: @Sendable (String) -> Bool
    private let onChange: @Sendable ([String]) -> Void
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?
    private var backend: WatchBackend?

    /// - Parameters:
    ///   - filter: which file names count (default: Swift sources, not editor temporaries).
    ///   - forcePolling: poll even where inotify works, with this reason (`TUTOR_WATCH=poll`).
    public init(directories: [URL], debounce: Double = 0.1, settle: Double = 0.04,
                filter: @escaping @Sendable (String) -> Bool = FileWatcher.isSourceFile,
                onChange: @escaping @Sendable ([String]) -> Void) {
        self.directories = directories
        self.debounce = debounce
        self.settle = min(settle, debounce)
        self.filter = filter
        self.onChange = onChange
    }

    /// A Swift source file, not an editor's temporary or backup (`.#x.swift`, `#x.swift#`, `x.swift~`).
    public static let isSourceFile: @Sendable (String) -> Bool = { name in
        name.hasSuffix(".swift") && !name.hasPrefix(".") && !name.hasPrefix("#")
    }

    /// Starts watching on a thread of its own; returns how. Polling is chosen by itself when
    /// inotify cannot be used (the reason says why), or when `forcePolling` is given.
    @discardableResult
    public func start(forcePolling: String? = nil) -> WatchMode {
        let backend: WatchBackend
        if let reason = forcePolling {
            backend = PollingBackend(directories: directories)
            mode = .polling(reason: reason)
        } else {
            switch NativeWatch.make(directories: directories) {
            case .success(let native):
                backend = native
                mode = .inotify
            case .failure(let problem):
                backend = PollingBackend(directories: directories)
                mode = .polling(reason: problem.reason)
            }
        }
        lock.withLock { self.backend = backend }
        let thread = Thread { [self] in self.loop(backend) }
        thread.name = "tutor file watcher"
        lock.withLock { self.thread = thread }
        thread.start()
        return mode
    }

    /// Stops watching (the thread ends within a tenth of a second). No callback after it returns
    /// and the thread has noticed.
    public func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func loop(_ backend: WatchBackend) {
        defer { backend.close() }
        var pending: [String] = []
        var complete: Set<String> = []  // pending files whose last event said they are complete
        var lastEvent = Date.distantPast
        while !isStopped {
            let wait = pending.isEmpty ? 0.1 : max(0.005, (complete.count == pending.count ? settle : debounce) / 2)
            let events = backend.changes(timeout: wait).filter { filter($0.name) }
            for event in events {
                if !pending.contains(event.name) { pending.append(event.name) }
                if event.isComplete { complete.insert(event.name) } else { complete.remove(event.name) }
                lastEvent = Date()
            }
            let quiet = complete.count == pending.count ? settle : debounce
            if !pending.isEmpty, Date().timeIntervalSince(lastEvent) >= quiet {
                let changed = pending
                pending = []
                complete = []
                if !isStopped { onChange(changed) }
            }
        }
    }
}

/// Why the native mechanism could not be used.
struct WatchProblem: Error {
    var reason: String
}
