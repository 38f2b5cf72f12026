import XCTest
@testable import TutorCore
import TutorTestSupport

final class ProgressStoreTests: XCTestCase {
    func testRoundTrip() throws {
        let directory = try temporaryDirectory(self)
        let store = ProgressStore(file: directory.appendingPathComponent(".tutor/progress.json"))
        var progress = LearnerProgress()
        progress.lessons["01"] = .init()
        progress.lessons["01"]?.hintsShown = 2
        progress.lessons["01"]?.tests = ["test_unit_a": .passed, "test_unit_b": .crashed]
        try store.save(progress)

        let (loaded, warning) = store.load()
        XCTAssertNil(warning)
        XCTAssertEqual(loaded, progress)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(".tutor").path)
        XCTAssertEqual(leftovers, ["progress.json"], "an atomic write leaves no temporary file behind")
    }

    func testMissingFileIsFreshProgress() throws {
        let store = ProgressStore(file: try temporaryDirectory(self).appendingPathComponent("none.json"))
        let (progress, warning) = store.load()
        XCTAssertEqual(progress, LearnerProgress())
        XCTAssertNil(warning)
    }

    func testCorruptFileIsMovedAsideWithAMessage() throws {
        let directory = try temporaryDirectory(self)
        let file = directory.appendingPathComponent("progress.json")
        try write("{ \"version\": 1, \"lessons\": { \"01\": [oops", to: file)
        let store = ProgressStore(file: file)

        let (progress, warning) = store.load()

        XCTAssertEqual(progress, LearnerProgress())
        XCTAssertTrue(warning?.contains("could not be read") == true, warning ?? "")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertTrue(names.contains { $0.hasPrefix("progress.corrupt-") }, "\(names)")
        XCTAssertFalse(names.contains("progress.json"))
        // And the tutor carries on: the next save works.
        try store.save(progress)
        XCTAssertNil(store.load().warning)
    }

    func testHandEditedWrongTypeIsMovedAside() throws {
        let file = try temporaryDirectory(self).appendingPathComponent("progress.json")
        try write(#"{"version": 1, "lessons": {"01": {"hintsShown": "three", "tests": {}, "completed": false, "solutionViewed": false}}, "milestones": {}}"#, to: file)
        let (_, warning) = ProgressStore(file: file).load()
        XCTAssertTrue(warning?.contains("lessons.01.hintsShown") == true, warning ?? "")
    }

    func testRecordKeepsCompletionAndForgetsRemovedTests() {
        var progress = LearnerProgress()
        let pass = TestResult(lesson: "01", testClass: "TensorTests", name: "test_a", status: .passed, message: "", seconds: 0)
        progress.record(LessonReport(lesson: "01", title: "Tensor", results: [pass]), fullRun: true)
        XCTAssertTrue(progress.lesson("01").completed)
        var failing = pass
        failing.name = "test_b"
        failing.status = .failed
        progress.record(LessonReport(lesson: "01", title: "Tensor", results: [failing]), fullRun: true)
        XCTAssertEqual(progress.lesson("01").tests, ["test_b": .failed])
        XCTAssertTrue(progress.lesson("01").completed, "a lesson once passed stays passed")
    }
}
