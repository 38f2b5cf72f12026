import Foundation
import XCTest
import TutorCore
@testable import TutorTUI
import TutorTestSupport

/// The milestone JSON-lines protocol (TutorCore/Milestones) and the runner, with the fixture
/// program Tests/Fixtures/fake-milestone.sh.
final class MilestoneProtocolTests: XCTestCase {
    func testDecodesEachKindOfEvent() {
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"event":"epoch","epoch":3,"epochs":10,"loss":0.12,"accuracy":0.97}"#),
                       .epoch(TrainingProgress(epoch: 3, epochs: 10, loss: 0.12, accuracy: 0.97)))
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"event":"step","epoch":1,"step":20,"steps":100,"loss":0.5}"#),
                       .step(TrainingProgress(epoch: 1, step: 20, steps: 100, loss: 0.5)))
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"event":"log","message":"loaded 60000 images"}"#), .log("loaded 60000 images"))
        XCTAssertEqual(MilestoneEvent.decode(line: #"  {"event":"result","summary":"97.8% test accuracy","achieved":true,"metrics":{"accuracy":0.978}}  "#),
                       .result(MilestoneResult(summary: "97.8% test accuracy", achieved: true, metrics: ["accuracy": 0.978])))
    }

    func testToleratesUnknownFieldsShortFormsAndPercentages() {
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"event":"epoch","epoch":2,"val_loss":0.3,"note":"x","nested":{"a":1}}"#),
                       .epoch(TrainingProgress(epoch: 2, metrics: ["val_loss": 0.3])))
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"epoch":1,"step":5,"loss":0.5,"acc":0.8}"#),
                       .epoch(TrainingProgress(epoch: 1, step: 5, loss: 0.5, accuracy: 0.8)))
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"event":"epoch","epoch":1,"accuracy":97.5}"#),
                       .epoch(TrainingProgress(epoch: 1, accuracy: 0.975)))
        // Python's json.dumps writes a diverging loss as a bare NaN.
        guard case .epoch(let progress)? = MilestoneEvent.decode(line: #"{"event":"epoch","epoch":4,"loss":NaN,"note":"NaN inside"}"#) else {
            return XCTFail("NaN line not read")
        }
        XCTAssertTrue(progress.loss!.isNaN)
        XCTAssertEqual(MilestoneEvent.decode(line: #"{"event":"result","summary":"diverged","achieved":false}"#),
                       .result(MilestoneResult(summary: "diverged", achieved: false)))
    }

    func testIgnoresWhatIsNotAnEvent() {
        for line in ["", "epoch 3: loss 0.12", "{not json}", "[1, 2]", #"{"event":"dance"}"#, #"{"loss":0.1}"#,
                     #"{"event":"log"}"#, #"{"event":"result","achieved":true}"#, "{", #"{"epoch":"three"}"#,
                     #"{"event":"epoch","epoch":1e300}"#, String(repeating: "{", count: 10_000)] {
            if case .epoch(let progress)? = MilestoneEvent.decode(line: line) {
                XCTAssertNil(progress.epoch, line)
            } else {
                XCTAssertNil(MilestoneEvent.decode(line: line), line)
            }
        }
    }

    func testLinesAreSplitAcrossChunks() {
        var splitter = LineSplitter()
        XCTAssertEqual(splitter.append(#"{"event":"log","mes"#), [])
        XCTAssertEqual(splitter.append("sage\":\"hi\"}\r\nsecond\nthi"), [#"{"event":"log","message":"hi"}"#, "second"])
        XCTAssertEqual(splitter.finish(), ["thi"])
        XCTAssertEqual(splitter.finish(), [])
    }

    func testTheRunnerStreamsTheFixtureProgramsEvents() throws {
        let project = try FixtureCourse.project(self)
        let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/fake-milestone.sh").path
        let runner = MilestoneRunner(project: project, commandOverride: "FAKE_MILESTONE_EPOCHS=4 FAKE_MILESTONE_DELAY=0.01 '\(fixture)'")
        let milestone = project.course.milestones[0]
        XCTAssertEqual(runner.program(for: milestone), .shellCommand("FAKE_MILESTONE_EPOCHS=4 FAKE_MILESTONE_DELAY=0.01 '\(fixture)'"))
        let collected = Collected()
        let outcome = runner.run(milestone) { collected.add($0) }
        let progress = collected.items
        XCTAssertEqual(progress.first, .running)
        let epochs = progress.compactMap { item -> TrainingProgress? in
            if case .event(.epoch(let value)) = item { return value }
            return nil
        }
        XCTAssertEqual(epochs.map(\.epoch), [1, 2, 3, 4])
        XCTAssertEqual(epochs.map(\.epochs), [4, 4, 4, 4])
        let losses = epochs.compactMap(\.loss)
        XCTAssertEqual(losses, losses.sorted(by: >), "the fake loss falls")
        XCTAssertTrue(progress.contains(.output("a line that is not JSON: readers must skip it")))
        XCTAssertTrue(progress.contains(.output("epoch 4/4 done")), "standard error lines are the program's words")
        XCTAssertTrue(progress.contains(.event(.log("loaded 1000 pretend images"))))
        XCTAssertEqual(outcome.result?.achieved, true)
        XCTAssertEqual(outcome.result?.summary.hasSuffix("% test accuracy"), true)
        XCTAssertNil(outcome.problem)
    }

    func testTheProgramIsToldWhatColoursItsPicturesMayUse() throws {
        let project = try FixtureCourse.project(self)
        var runner = MilestoneRunner(project: project, commandOverride: #"echo "colours: ${TUTOR_MILESTONE_COLORS-unset}" >&2"#)
        let first = Collected()
        _ = runner.run(project.course.milestones[0]) { first.add($0) }
        XCTAssertTrue(first.items.contains(.output("colours: unset")), "by default the program decides")
        runner.colors = "256"
        let second = Collected()
        _ = runner.run(project.course.milestones[0]) { second.add($0) }
        XCTAssertTrue(second.items.contains(.output("colours: 256")))
    }

    func testAFailingProgramIsReportedWithItsLastWords() throws {
        let project = try FixtureCourse.project(self)
        let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/fake-milestone.sh").path
        let runner = MilestoneRunner(project: project, commandOverride: "FAKE_MILESTONE_EPOCHS=1 FAKE_MILESTONE_DELAY=0 FAKE_MILESTONE_FAIL=1 '\(fixture)'")
        let outcome = runner.run(project.course.milestones[0]) { _ in }
        XCTAssertNil(outcome.result)
        XCTAssertEqual(outcome.problem, "the program stopped with exit status 3 — Fatal error: pretend failure")
    }

    func testAProgramThatCouldNotRunIsNoAttempt() throws {
        let project = try FixtureCourse.project(self)
        let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/fake-milestone.sh").path
        let runner = MilestoneRunner(project: project, commandOverride: "FAKE_MILESTONE_NO_DATA=1 '\(fixture)'")
        let outcome = runner.run(project.course.milestones[0]) { _ in }
        XCTAssertEqual(outcome.result?.achieved, false)
        XCTAssertEqual(outcome.exitStatus, 2)
        XCTAssertTrue(outcome.couldNotRun)
        XCTAssertNil(outcome.resultToRecord, "'no data' is not an attempt at the goal: nothing to record")
        XCTAssertEqual(outcome.exitCode, 2, "tutor milestone run passes on 2, could not run")
        // The other exits, for comparison.
        XCTAssertEqual(MilestoneRunner.Outcome(result: MilestoneResult(summary: "97%", achieved: true)).exitCode, 0)
        XCTAssertEqual(MilestoneRunner.Outcome(result: MilestoneResult(summary: "90%", achieved: false)).exitCode, 1)
        XCTAssertEqual(MilestoneRunner.Outcome(problem: "the program crashed").exitCode, 2)
        XCTAssertEqual(MilestoneRunner.Outcome(problem: "stopped", stopped: true).exitCode, 1)
    }

    func testTheRealProgramIsTheMilestonesCheckpointBuiltForItsLessons() throws {
        let project = try FixtureCourse.project(self)
        let runner = MilestoneRunner(project: project, commandOverride: nil)
        XCTAssertEqual(runner.program(for: project.course.milestones[1]), .checkpoint(product: "MilestoneMnist", lessons: [1, 2, 3]))
    }

    func testResultsAreStoredAndAnAchievedMilestoneStaysAchieved() {
        var progress = LearnerProgress()
        progress.recordMilestone("mnist", result: MilestoneResult(summary: "91% test accuracy", achieved: false))
        XCTAssertEqual(progress.milestones["mnist"]?.achieved, false)
        XCTAssertEqual(progress.milestones["mnist"]?.bestResult, "91% test accuracy")
        progress.recordMilestone("mnist", result: MilestoneResult(summary: "97.8% test accuracy", achieved: true))
        progress.recordMilestone("mnist", result: MilestoneResult(summary: "80% test accuracy", achieved: false))
        XCTAssertEqual(progress.milestones["mnist"]?.achieved, true)
        XCTAssertEqual(progress.milestones["mnist"]?.bestResult, "97.8% test accuracy")
        // A quick check (`-- --quick`) is never the milestone's result, from the CLI or the app.
        progress.recordMilestone("xor", result: MilestoneResult(summary: "100% (quick)", achieved: true, metrics: ["quick": 1]))
        XCTAssertNil(progress.milestones["xor"])
    }
}

/// Collects values handed over from another thread.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [MilestoneRunner.Progress] = []
    func add(_ value: MilestoneRunner.Progress) { lock.withLock { values.append(value) } }
    var items: [MilestoneRunner.Progress] { lock.withLock { values } }
}
