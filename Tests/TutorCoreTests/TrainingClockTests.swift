import XCTest
import TutorCore

/// The share done and the time left that `tutor milestone run` and the app both show.
final class TrainingClockTests: XCTestCase {
    func testShareDoneCountsEpochsAndTheCurrentEpochsBatches() {
        let start = Date(timeIntervalSince1970: 0)
        var clock = TrainingClock(started: start)
        XCTAssertNil(clock.fraction, "the number of epochs is not known yet")
        clock.record(.step(TrainingProgress(epoch: 1, epochs: 4, step: 5, steps: 10)), at: start.addingTimeInterval(1))
        XCTAssertEqual(clock.fraction, 0.125, "half of the first of four epochs")
        XCTAssertNil(clock.secondsLeft(now: start.addingTimeInterval(1)), "no guess before an epoch has ended")
        clock.record(.epoch(TrainingProgress(epoch: 1, epochs: 4, loss: 0.5)), at: start.addingTimeInterval(2))
        XCTAssertEqual(clock.fraction, 0.25)
        XCTAssertEqual(clock.stepFraction, nil, "a new epoch starts with no batches done")
        XCTAssertEqual(clock.secondsLeft(now: start.addingTimeInterval(2)), 6, "2 s an epoch, 3 epochs left")
        XCTAssertEqual(clock.secondsLeft(now: start.addingTimeInterval(3)), 5, "less the time since the epoch ended")
        XCTAssertEqual(clock.secondsLeft(now: start.addingTimeInterval(30)), 0, "never below zero")
        clock.record(.log("a note"), at: start.addingTimeInterval(4))
        XCTAssertEqual(clock.epochsDone, 1, "a log line changes nothing")
        clock.record(.epoch(TrainingProgress()), at: start.addingTimeInterval(4))
        XCTAssertEqual(clock.epochsDone, 2, "an epoch without its number counts as the next")
        clock.record(.epoch(TrainingProgress(epoch: 4)), at: start.addingTimeInterval(8))
        XCTAssertEqual(clock.fraction, 1)
        XCTAssertNil(clock.secondsLeft(now: start.addingTimeInterval(8)), "nothing left once the last epoch ends")
    }
}
