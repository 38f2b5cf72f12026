import Foundation
import XCTest
@testable import TutorTUI

/// The inbox wakes the app's loop: a posted event makes its descriptor readable at once (the loop
/// no longer waits out its 50 ms wait for a key), and taking the events drains it.
final class EventInboxTests: XCTestCase {
    func testAPostWakesTheLoopAndTakingTheEventsQuietsIt() throws {
        let inbox = EventInbox()
        let descriptor = try XCTUnwrap(inbox.wakeUpDescriptor)
        func readable(within milliseconds: Int32) -> Bool {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, milliseconds) == 1
        }
        XCTAssertFalse(readable(within: 0), "nothing posted yet")

        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) {
            for _ in 0..<1000 { inbox.post(.tick(Date())) }  // more than a pipe holds, too
        }
        XCTAssertTrue(readable(within: 5000))
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "woken by the post, not by the timeout")
        usleep(100_000)
        XCTAssertEqual(inbox.takeAll().count, 1000)
        XCTAssertFalse(readable(within: 0), "taken: the loop waits for the next event again")
        XCTAssertEqual(inbox.takeAll().count, 0)
    }
}
