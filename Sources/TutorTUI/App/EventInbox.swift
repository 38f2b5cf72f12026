import Foundation

/// Events posted from other threads (effects, the file watcher, signals), collected for the UI
/// thread to take.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    /// A pipe the app's loop waits on beside the keyboard: each post writes a byte to it, so a
    /// verdict or a saved file is handled at once, not at the end of the loop's 50 ms wait for a
    /// key (that wait cost watch mode up to a tenth of a second per save: one wait for the save,
    /// one for the verdict).
    private let wakeUp: (read: Int32, write: Int32)?

    init() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            wakeUp = nil
            return
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeUp = (ends[0], ends[1])
    }

    deinit {
        if let wakeUp {
            close(wakeUp.read)
            close(wakeUp.write)
        }
    }

    /// The descriptor that becomes readable when an event is posted; nil without one (the loop
    /// then looks at the inbox after each wait for a key).
    var wakeUpDescriptor: Int32? { wakeUp?.read }

    func post(_ event: Event) {
        lock.withLock { events.append(event) }
        if let wakeUp {
            var byte: UInt8 = 1
            _ = write(wakeUp.write, &byte, 1)  // full pipe: a wake-up is pending anyway
        }
    }

    func takeAll() -> [Event] {
        if let wakeUp {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(wakeUp.read, &bytes, bytes.count) > 0 {}
        }
        return lock.withLock {
            defer { events = [] }
            return events
        }
    }
}
