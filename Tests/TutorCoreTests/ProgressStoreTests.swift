import XCTest
@testable import TutorCore
import TutorTestSupport

final class ProgressStoreTests: XCTestCase {
    func testRoundTrip() throws {
        let directory = try temporaryDirectory(self)
        let store = ProgressStore(file: directory.appendingPathComponent(".tutor/progress.json"))
        var progress = LearnerProgress()
        progress.lessons["01"] = .init()
        progress.lessons["01"]?.hintsSeen = [1, 3]
        progress.lessons["01"]?.compileError = "cannot find 'x' in scope"
        progress.lessons["01"]?.tests = ["test_unit_a": .passed, "test_unit_b": .crashed]
        try store.save(progress)

        let (loaded, warning) = store.load()
        XCTAssertNil(warning)
        XCTAssertEqual(loaded, progress)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(".tutor").path)
        XCTAssertEqual(leftovers, ["progress.json"], "an atomic write leaves no temporary file behind")
    }

    func testVersion1CountOfHintsIsReadAsTheFirstHintsSeen() throws {
        let file = try temporaryDirectory(self).appendingPathComponent("progress.json")
        try write(#"{"version": 1, "lessons": {"01": {"hintsShown": 3, "tests": {"test_unit_a": "failed"}, "completed": false, "solutionViewed": true}}, "milestones": {}}"#, to: file)
        let store = ProgressStore(file: file)
        let (progress, warning) = store.load()
        XCTAssertNil(warning)
        XCTAssertEqual(progress.version, LearnerProgress.currentVersion, "read into the current version")
        XCTAssertEqual(progress.lesson("01").hintsSeen, [1, 2, 3])
        XCTAssertEqual(progress.lesson("01").tests, ["test_unit_a": .failed])
        XCTAssertTrue(progress.lesson("01").solutionViewed)
        try store.save(progress)
        let saved = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(saved.contains(#""hintsSeen""#) && !saved.contains("hintsShown"), saved)
    }

    func testHintChangesKeepASortedSetAndTheRunKeepsItsCompileError() {
        var progress = LearnerProgress()
        for index in [4, 0, 4] { ProgressChange.hintShown(lesson: "01", index: index).apply(to: &progress) }
        XCTAssertEqual(progress.lesson("01").hintsSeen, [1, 5], "hint numbers from 1, each once, in order")
        XCTAssertEqual(progress.lesson("01").seenHintIndices, [0, 4])
        let broken = LessonReport(lesson: "01", title: "Tensor", compileErrors: [
            CompilerDiagnostic(file: "a.swift", line: 1, column: 1, severity: .warning, message: "unused"),
            CompilerDiagnostic(file: "a.swift", line: 2, column: 1, severity: .error, message: "cannot find 'x' in scope")])
        progress.record(broken, fullRun: true)
        XCTAssertEqual(progress.lesson("01").compileError, "cannot find 'x' in scope", "the first error, not a warning")
        progress.record(LessonReport(lesson: "01", title: "Tensor", results: [
            TestResult(lesson: "01", testClass: "T", name: "test_unit_a", status: .passed, message: "", seconds: 0)]), fullRun: true)
        XCTAssertNil(progress.lesson("01").compileError, "a run that compiled clears it")
        ProgressChange.hintsReset(lesson: "01").apply(to: &progress)
        XCTAssertEqual(progress.lesson("01").hintsSeen, [])
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

    func testANewerTutorsFileIsSaidToBeNewer() throws {
        let directory = try temporaryDirectory(self)
        let file = directory.appendingPathComponent("progress.json")
        try write(#"{"version": 99}"#, to: file)
        let (progress, warning) = ProgressStore(file: file).load()
        XCTAssertEqual(progress, LearnerProgress())
        XCTAssertTrue(warning?.contains("written by a newer tutor (progress version 99; this tutor reads version "
                                        + "\(LearnerProgress.currentVersion))") == true,
                      warning ?? "no warning")
        XCTAssertFalse(warning?.contains("not valid") == true, warning ?? "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("progress.corrupt-") }.count, 1)
    }

    func testDamagedFilesMovedAsideInTheSameSecondAreAllKept() throws {
        let directory = try temporaryDirectory(self)
        let file = directory.appendingPathComponent("progress.json")
        let store = ProgressStore(file: file)
        let now = Date(timeIntervalSince1970: 1_800_000_000)   // one second for every move
        // A file of that name already there (another tutor's, say) is not replaced either.
        let taken = directory.appendingPathComponent("progress.corrupt-2027-01-15T08-00-00Z.json")
        try write("someone else's", to: taken)
        for damage in ["first [", "second {", "third ]"] {
            try write(damage, to: file)
            let (_, warning) = store.load(now: now)
            XCTAssertTrue(warning?.contains("moved to") == true, warning ?? "no warning")
            try store.save(LearnerProgress())
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("progress.corrupt-") }.sorted()
        XCTAssertEqual(kept, ["progress.corrupt-2027-01-15T08-00-00Z-2.json", "progress.corrupt-2027-01-15T08-00-00Z-3.json",
                              "progress.corrupt-2027-01-15T08-00-00Z-4.json", "progress.corrupt-2027-01-15T08-00-00Z.json"])
        let contents = try kept.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        XCTAssertEqual(contents, ["first [", "second {", "third ]", "someone else's"], "every damaged file is kept, each once")
    }

    func testTemporaryFilesLeftByAKilledSaveAreRemovedAtTheNextStart() throws {
        let directory = try temporaryDirectory(self)
        let file = directory.appendingPathComponent("progress.json")
        let store = ProgressStore(file: file)
        try store.save(LearnerProgress())
        let old = directory.appendingPathComponent(".dat.nosync1B9B.DqOtnz")
        let fresh = directory.appendingPathComponent(".dat.nosync2C8A.Zx81pQ")
        try write("{\"version\": 1, \"less", to: old)
        try write("{\"version\": 1, \"less", to: fresh)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: old.path)

        XCTAssertNil(store.load().warning)

        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
                       [".dat.nosync2C8A.Zx81pQ", "progress.json"],
                       "a 2-minute-old leftover is removed; a new one may be another tutor's save going on")
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
