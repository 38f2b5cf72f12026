// Runs a child process in its own process group, with a time limit, capturing its output.
//
// This is the one file of TutorCore that talks to the operating system's process API directly
// (posix_spawn, poll, waitpid, killpg); what differs between Linux and macOS is guarded here.
//
// Why not Foundation's `Process`: a learner's test or a `swift build` must be killable as a whole
// *group* (a build spawns compilers; an infinite loop must not outlive its time limit), and the
// tutor must never hang on a child that floods its pipe.
//
// Every child dies with the tutor, however the tutor ends (SIGKILL, a closed terminal): a
// watchdog in the child's process group waits on a pipe only the tutor holds open for writing;
// when the tutor is gone the pipe reads end-of-file and the watchdog kills the group.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How a child process ended.
public enum Termination: Equatable, Sendable {
    /// Exited by itself with this status.
    case exited(Int32)
    /// Killed by this signal (not by us).
    case signaled(Int32)
    /// Still running at its deadline: the tutor killed its process group.
    case timedOut
    /// Stopped on request (`ChildProcess.cancelAll`, e.g. on Ctrl-C).
    case cancelled
}

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var termination: Termination
    /// Standard output (with standard error merged in when asked), decoded as UTF-8, possibly
    /// truncated to the capture limit (the middle is dropped and marked).
    public var output: String
    /// Standard error, when not merged.
    public var errorOutput: String
    /// Wall time from spawn to exit, in seconds.
    public var seconds: Double
}

/// Errors starting a process.
public enum ChildProcessError: LocalizedError {
    case spawnFailed(command: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .spawnFailed(let command, let reason):
            return "could not start `\(command)`: \(reason)"
        }
    }
}

/// A description of a command to run.
public struct Command: Sendable {
    public var executable: String
    public var arguments: [String]
    /// Variables to set or override on top of the tutor's environment; `nil` removes one.
    public var environment: [String: String?]
    public var workingDirectory: String?
    /// Kill the process group after this many seconds (nil: no limit).
    public var timeLimit: Double?
    /// Merge standard error into standard output (keeps their order).
    public var mergeErrorIntoOutput: Bool
    /// Keep at most this many bytes of each stream (head and tail are kept).
    public var captureLimit: Int
    /// At the deadline, ask the process where it is before killing it (see `DeadlineSample`).
    public var deadlineSample: DeadlineSample?
    /// When set, the time limit counts again from each time the output shows this text: a limit
    /// per step for a process that runs several (each test of a bundle run as one process).
    public var timeLimitRestartsAt: String?

    /// A stack sample at the deadline: send `signal` to the process (Swift's backtracer prints
    /// its stack on SIGQUIT, then lets it run on), read its output until it prints `endMarker`
    /// or `grace` seconds pass, then kill the group. The result is still `.timedOut`.
    public struct DeadlineSample: Sendable {
        public var signal: Int32
        public var grace: Double
        public var endMarker: String
        public init(signal: Int32, grace: Double, endMarker: String) {
            self.signal = signal
            self.grace = grace
            self.endMarker = endMarker
        }
    }

    public init(
        _ executable: String, _ arguments: [String] = [],
        environment: [String: String?] = [:], workingDirectory: String? = nil,
        timeLimit: Double? = nil, mergeErrorIntoOutput: Bool = true, captureLimit: Int = 4 << 20
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeLimit = timeLimit
        self.mergeErrorIntoOutput = mergeErrorIntoOutput
        self.captureLimit = captureLimit
    }

    var displayString: String { ([executable] + arguments).joined(separator: " ") }
}

public enum ChildProcess {
    /// Runs `command` to completion (or its time limit) and returns what it printed.
    /// `onOutput` receives output chunks as they arrive, on the calling thread (e.g. to stream a
    /// milestone's JSON lines).
    public static func run(
        _ command: Command, onOutput: ((_ chunk: String, _ isError: Bool) -> Void)? = nil
    ) throws -> ProcessResult {
        let start = Date()
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in command.environment { environment[key] = value }
        // A command that does not exist fails here, as posix_spawnp would, not as sh's exit 127.
        guard let executable = findExecutable(command.executable, path: environment["PATH"]) else {
            throw spawnError(command, String(cString: strerror(ENOENT)))
        }
        spawnLock.lock()
        var spawnLockHeld = true
        defer { if spawnLockHeld { spawnLock.unlock() } }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var watchdogPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe), makePipe(&watchdogPipe) else { throw spawnError(command, "pipe: \(errnoText())") }
        // Closing our end (below, or by our death) ends the watchdog, and with it the group.
        defer { close(watchdogPipe[1]) }
        if !command.mergeErrorIntoOutput {
            guard makePipe(&errPipe) else { throw spawnError(command, "pipe: \(errnoText())") }
        }

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, command.mergeErrorIntoOutput ? outPipe[1] : errPipe[1], 2)
        posix_spawn_file_actions_adddup2(&actions, watchdogPipe[0], 3)
        for fd in outPipe + errPipe + watchdogPipe where fd >= 0 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        // Own session and process group (so the whole tree can be killed: SwiftPM puts each
        // compiler in a process group of its own, but they stay in the session), default signal
        // handlers, no mask.
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        #if os(Linux)
        // POSIX_SPAWN_SETSID (glibc 2.26+; <spawn.h> hides it from Swift without _GNU_SOURCE).
        // A new session is a new process group too.
        flags |= 0x80
        #else
        flags |= POSIX_SPAWN_SETPGROUP
        #endif
        #if canImport(Darwin)
        // Only the descriptors set up above reach the child (see makePipe).
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        // sh starts the watchdog (reading fd 3 until the tutor's end closes, then killing the
        // process group), changes directory if asked (posix_spawn_file_actions_addchdir_np is not
        // visible through Glibc), and becomes the command.
        let watchdog = "(while read -r _; do :; done <&3; pkill -KILL -s 0; kill -KILL 0) </dev/null >/dev/null 2>&1 & exec 3<&-; "
        let argv = ["/bin/sh", "-c", watchdog + "cd -- \"$0\" && exec \"$@\"",
                    command.workingDirectory ?? "."] + [executable] + command.arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointer in
            withCStrings(envp) { envPointer in
                posix_spawnp(&pid, argv[0], &actions, &attributes, argvPointer, envPointer)
            }
        }
        close(outPipe[1])
        if errPipe[1] >= 0 { close(errPipe[1]) }
        close(watchdogPipe[0])
        spawnLock.unlock()
        spawnLockHeld = false
        guard status == 0 else {
            close(outPipe[0])
            if errPipe[0] >= 0 { close(errPipe[0]) }
            throw spawnError(command, String(cString: strerror(status)))
        }
        Registry.shared.add(pid)
        defer { Registry.shared.remove(pid) }

        var deadline = command.timeLimit.map { start.addingTimeInterval($0) }
        var output = CappedBuffer(limit: command.captureLimit)
        var errors = CappedBuffer(limit: command.captureLimit)
        var timedOut = false
        // While a deadline sample is being taken: when to give up waiting for it.
        var sampleEnds: Date?
        var open: [(fd: Int32, isError: Bool)] = [(outPipe[0], false)]
        if errPipe[0] >= 0 { open.append((errPipe[0], true)) }
        var chunk = [UInt8](repeating: 0, count: 65536)

        while !open.isEmpty {
            var pollTimeout: Int32 = 200
            if let deadline, !timedOut {
                let remaining = deadline.timeIntervalSinceNow
                if remaining <= 0, let sample = command.deadlineSample, sampleEnds == nil {
                    sampleEnds = Date().addingTimeInterval(sample.grace)
                    kill(pid, sample.signal)
                } else if remaining <= 0 && (sampleEnds.map { $0.timeIntervalSinceNow <= 0 } ?? true) {
                    timedOut = true
                    killTree(pid)
                } else if remaining <= 0 {
                    pollTimeout = 20
                } else {
                    pollTimeout = Int32(min(200, max(1, remaining * 1000)))
                }
            }
            if Registry.shared.isCancelled(pid) { killTree(pid) }
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), pollTimeout)
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            var stillOpen: [(fd: Int32, isError: Bool)] = []
            for (index, stream) in open.enumerated() {
                let events = fds[index].revents
                if events & Int16(POLLIN | POLLHUP | POLLERR) == 0 {
                    stillOpen.append(stream)
                    continue
                }
                let count = read(stream.fd, &chunk, chunk.count)
                if count > 0 {
                    let bytes = chunk[0..<count]
                    if stream.isError { errors.append(bytes) } else { output.append(bytes) }
                    onOutput?(String(decoding: bytes, as: UTF8.self), stream.isError)
                    if let marker = command.timeLimitRestartsAt, let limit = command.timeLimit, sampleEnds == nil, !timedOut,
                       (stream.isError ? errors : output).endsContaining(marker, within: bytes.count + marker.utf8.count) {
                        deadline = Date().addingTimeInterval(limit)
                    }
                    if sampleEnds != nil, let marker = command.deadlineSample?.endMarker,
                       (stream.isError ? errors : output).endsContaining(marker) {
                        sampleEnds = Date()  // the sample is complete: kill now
                    }
                    stillOpen.append(stream)
                } else if count < 0 && (errno == EINTR || errno == EAGAIN) {
                    stillOpen.append(stream)
                } else {
                    close(stream.fd)
                }
            }
            open = stillOpen
        }

        // The pipes are closed: the child (and anything it spawned holding them) is gone or about
        // to be. Reap it, enforcing the deadline still.
        var waitStatus: Int32 = 0
        while true {
            let reaped = waitpid(pid, &waitStatus, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            if let deadline, !timedOut, deadline.timeIntervalSinceNow <= 0 {
                timedOut = true
                killTree(pid)
            }
            if Registry.shared.isCancelled(pid) { killTree(pid) }
            usleep(2000)
        }
        // Leave no stragglers behind: what a killed group left, a background process the command
        // started, and the watchdog, which is in the group (killed here, it skips its pkill: that
        // costs ~10 ms of CPU, once per test process, while the next test wants the core).
        killTree(pid)

        let termination: Termination
        if Registry.shared.isCancelled(pid) {
            termination = .cancelled
        } else if timedOut {
            termination = .timedOut
        } else if waitStatus & 0x7f == 0 {
            termination = .exited((waitStatus >> 8) & 0xff)
        } else {
            termination = .signaled(waitStatus & 0x7f)
        }
        return ProcessResult(
            termination: termination, output: output.text, errorOutput: errors.text,
            seconds: Date().timeIntervalSince(start))
    }

    /// Kills every running child process group (e.g. when the user presses Ctrl-C). Each `run`
    /// call then returns `.cancelled`.
    public static func cancelAll() {
        Registry.shared.cancelAll()
    }

    /// Whether `name` can be found on `PATH` as an executable.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A pipe whose ends are closed on exec. Tests run in parallel threads: without this, a child
    /// spawned by one thread inherits the pipe another thread just made for its own child, holds
    /// it open, and that other run cannot see its child's end until this one exits (a crashed test
    /// would look like a timeout next to a slow one). `dup2` onto 1 and 2 clears the flag there.
    /// (`pipe2(O_CLOEXEC)` is not exported by Swift's Glibc module, so the flag is set after
    /// `pipe`, and `spawnLock` keeps other threads from spawning between the two.)
    /// A pipe whose ends are close-on-exec and numbered 10 or above, clear of the descriptors a
    /// child is given (0–3): a `dup2` onto its own number would keep close-on-exec, and closing
    /// the original after the `dup2`s would close the child's.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for index in fds.indices {
            let moved = fcntl(fds[index], F_DUPFD_CLOEXEC, 10)
            guard moved >= 0 else { return false }
            close(fds[index])
            fds[index] = moved
        }
        return true
    }

    /// The path `name` runs as: itself when it holds a `/`, else the first executable file of
    /// that name in `path`'s folders. Nil when there is none.
    static func findExecutable(_ name: String, path: String?) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        for folder in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Held from creating a child's pipes until it is spawned.
    private static let spawnLock = NSLock()

    private static func spawnError(_ command: Command, _ reason: String) -> ChildProcessError {
        .spawnFailed(command: command.displayString, reason: reason)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Kills the child's process group and, on Linux, every process of its session: SwiftPM starts
    /// each compiler in a process group of its own, and a stopped build must not leave them running.
    static func killTree(_ pid: pid_t) {
        killpg(pid, SIGKILL)
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for entry in entries {
            guard let other = pid_t(entry), other != getpid(), getsid(other) == pid else { continue }
            kill(other, SIGKILL)
        }
        #endif
    }
}

/// Names a signal for a person: "SIGSEGV (segmentation fault)".
public func signalDescription(_ signal: Int32) -> String {
    switch signal {
    case SIGILL: return "SIGILL (illegal instruction — a Swift runtime trap)"
    case SIGTRAP: return "SIGTRAP (a Swift runtime trap)"
    case SIGABRT: return "SIGABRT (abort)"
    case SIGSEGV: return "SIGSEGV (segmentation fault — often a stack overflow from endless recursion)"
    case SIGBUS: return "SIGBUS (bus error — often a stack overflow)"
    case SIGFPE: return "SIGFPE (arithmetic error — e.g. integer division by zero)"
    case SIGKILL: return "SIGKILL (killed — possibly out of memory)"
    default: return "signal \(signal)"
    }
}

/// The set of live children, so a Ctrl-C can kill them all.
private final class Registry: @unchecked Sendable {
    static let shared = Registry()
    private let lock = NSLock()
    private var live: Set<pid_t> = []
    private var cancelled: Set<pid_t> = []

    func add(_ pid: pid_t) { lock.withLock { _ = live.insert(pid) } }
    func remove(_ pid: pid_t) { lock.withLock { live.remove(pid); cancelled.remove(pid) } }
    func isCancelled(_ pid: pid_t) -> Bool { lock.withLock { cancelled.contains(pid) } }
    func cancelAll() {
        lock.withLock {
            for pid in live {
                cancelled.insert(pid)
                ChildProcess.killTree(pid)
            }
        }
    }
}

/// Keeps the first and last `limit / 2` bytes of a stream.
private struct CappedBuffer {
    let limit: Int
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var dropped = 0

    init(limit: Int) { self.limit = limit }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        let half = limit / 2
        if head.count < half {
            let take = min(half - head.count, bytes.count)
            head.append(contentsOf: bytes.prefix(take))
            tail.append(contentsOf: bytes.dropFirst(take))
        } else {
            tail.append(contentsOf: bytes)
        }
        if tail.count > half {
            let excess = tail.count - half
            dropped += excess
            tail.removeFirst(excess)
        }
    }

    /// Whether the last `within` bytes (64 KiB by default) hold `marker`.
    func endsContaining(_ marker: String, within: Int = 65536) -> Bool {
        let recent = tail.count >= within ? Array(tail.suffix(within)) : Array(head.suffix(within - tail.count)) + tail
        return String(decoding: recent, as: UTF8.self).contains(marker)
    }

    var text: String {
        if dropped == 0 { return String(decoding: head + tail, as: UTF8.self) }
        return String(decoding: head, as: UTF8.self)
            + "\n… [\(dropped) bytes of output left out] …\n"
            + String(decoding: tail, as: UTF8.self)
    }
}

/// Calls `body` with a NULL-terminated C array of C strings.
private func withCStrings<R>(
    _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
