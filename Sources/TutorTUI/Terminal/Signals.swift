import Foundation
import TutorCore
import CNcursesw

/// Turns SIGINT, SIGTERM and SIGHUP into events, so the app quits through its normal path (stop
/// the children, save, restore the terminal). Should that path hang, a last resort restores the
/// terminal and exits a few seconds later.
final class SignalEvents {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let lastResortDelay = 4.0

    private var sources: [DispatchSourceSignal] = []
    private let done = Flag()

    init(post: @escaping @Sendable (Event) -> Void) {
        let done = self.done
        for number in Self.handled {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                post(.signal(number))
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.lastResortDelay) {
                    guard !done.isSet else { return }
                    ChildProcess.cancelAll()
                    tt_restore_terminal_now()
                    _exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        done.set()
        for source in sources { source.cancel() }
        sources = []
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}

/// A flag set once, read from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
