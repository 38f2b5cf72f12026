import Foundation

/// Events posted from other threads (effects, the file watcher, signals), collected for the UI
/// thread to take.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []

    func post(_ event: Event) { lock.withLock { events.append(event) } }

    func takeAll() -> [Event] {
        lock.withLock {
            defer { events = [] }
            return events
        }
    }
}
