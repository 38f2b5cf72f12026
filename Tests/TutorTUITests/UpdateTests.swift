import Foundation
import XCTest
import TutorCore
@testable import TutorTUI

final class UpdateTests: XCTestCase {
    func testStartsOnTheDashboardWithTheNextLessonSelected() throws {
        var progress = LearnerProgress()
        progress.lessons["01"] = .init()
        progress.lessons["01"]!.completed = true
        let state = try FixtureCourse.state(self, progress: progress)
        XCTAssertEqual(state.route, .dashboard)
        XCTAssertEqual(state.nextItem, .lesson(2))
        XCTAssertEqual(state.dashboardItems[state.dashboard.selection], .lesson(2))
    }

    /// As the app opens, the next lesson is built in the background: the first t finds it built.
    func testTheAppStartsBuildingTheNextLessonAtOnce() throws {
        XCTAssertEqual(names(Update.start(try FixtureCourse.state(self))), ["prepareBuild 01"])
        var progress = LearnerProgress()
        progress.lessons["01"] = .init()
        progress.lessons["01"]!.completed = true
        XCTAssertEqual(names(Update.start(try FixtureCourse.state(self, progress: progress))), ["prepareBuild 02"])
    }

    func testOpeningALessonLoadsItAndWatchesItsFiles() throws {
        var state = try FixtureCourse.state(self)
        let effects = state.press(.enter)
        XCTAssertEqual(state.route, .lesson(1))
        XCTAssertEqual(names(effects), ["loadLesson 01", "watch 01"])
        XCTAssertEqual(state.watch.lesson, 1)
        // Going back stops watching; coming again does not reload the text.
        XCTAssertEqual(names(state.press(.escape)), ["stopWatching"])
        XCTAssertEqual(names(state.press(.enter)), ["watch 01"])
    }

    func testAnyLessonCanBeOpenedEvenOneNotWrittenYet() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.down, .down, .down)
        XCTAssertEqual(state.dashboardItems[state.dashboard.selection], .lesson(4))
        XCTAssertTrue(state.press(.enter).isEmpty)
        XCTAssertEqual(state.route, .lesson(4))
        XCTAssertTrue(state.lessons[4]!.text!.lines.map(\.text).contains { $0.contains("not written yet") })
        _ = state.press(.character("t"))
        XCTAssertNil(state.activity)
        XCTAssertEqual(state.message?.text.contains("not written yet"), true)
    }

    func testMovingStopsAtTheEnds() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.up, .up)
        XCTAssertEqual(state.dashboard.selection, 0)
        _ = state.press(.end)
        XCTAssertEqual(state.dashboard.selection, state.dashboardItems.count - 1)
        _ = state.press(.character("j"))
        XCTAssertEqual(state.dashboard.selection, state.dashboardItems.count - 1)
        _ = state.press(.character("n"))
        XCTAssertEqual(state.dashboard.selection, 0)
    }

    func testATestRunFromKeyToVerdict() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        XCTAssertEqual(names(state.press(.character("t"))), ["runTests #1 01"])
        XCTAssertEqual(state.activity?.phase, .building)
        XCTAssertEqual(state.lessons[1]?.focus, .results, "the tests tab shows when a run starts")
        // A second t while it runs starts nothing.
        XCTAssertTrue(state.press(.character("t")).isEmpty)

        state.send(.testProgress(run: 1, .built(seconds: 1, succeeded: true)), .testProgress(run: 1, .running(count: 3)))
        XCTAssertEqual(state.activity?.phase, .running(total: 3))
        state.send(.testProgress(run: 1, .finished(sampleReport().results[0])))
        XCTAssertEqual(state.lessons[1]?.live.count, 1)

        let effects = state.send(.testsFinished(run: 1, report: sampleReport(), sourceLines: [:]))
        XCTAssertEqual(names(effects), ["record tests 01"])
        XCTAssertNil(state.activity)
        XCTAssertEqual(state.lessons[1]?.report?.passedCount, 1)
        XCTAssertEqual(state.progress.lesson("01").tests.count, 3, "progress is applied at once, not only on disk")
    }

    func testEscDuringARunStopsItAndASecondEscGoesBack() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter, .character("t"))
        XCTAssertEqual(names(state.press(.escape)), ["stopRun #1"])
        XCTAssertEqual(state.activity?.phase, .stopping)
        XCTAssertEqual(state.route, .lesson(1))
        // Results of a stopped run arriving late are dropped.
        state.send(.testProgress(run: 1, .running(count: 3)))
        XCTAssertEqual(state.activity?.phase, .stopping)
        state.send(.runStopped(run: 1))
        XCTAssertNil(state.activity)
        XCTAssertNotNil(state.lessons[1]?.runNote)
        XCTAssertEqual(names(state.press(.escape)), ["stopWatching"])
        XCTAssertEqual(state.route, .dashboard)
    }

    func testTestingWhileARunStopsStartsAgainOnceItHasStopped() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter, .character("t"), .escape)
        XCTAssertTrue(state.press(.character("t")).isEmpty, "not while the stopped run's processes are still going")
        XCTAssertEqual(names(state.send(.runStopped(run: 1))), ["runTests #2 01"])
        XCTAssertEqual(state.activity?.phase, .building)
    }

    func testQuitDuringARunStopsTheRunFirst() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter, .character("t"))
        XCTAssertEqual(names(state.press(.character("q"))), ["stopRun #1", "stopWatching", "quit"])
        XCTAssertTrue(state.shouldQuit)
        var other = try FixtureCourse.state(self)
        XCTAssertEqual(names(other.send(.signal(SIGTERM))), ["quit"])
        XCTAssertEqual(names(other.press(.interrupt)), ["quit"])
    }

    func testSavingAFileRunsTheTestsAndSavesDuringARunRunThemAgainAfter() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        state.send(.watchStarted(lesson: 1, mode: .inotify))
        XCTAssertEqual(names(state.send(.filesChanged(lesson: 1, files: ["Tensor.swift"]))), ["runTests #1 01"])
        XCTAssertEqual(state.activity?.trigger, "Tensor.swift saved")
        // Another save during the run does not start a second run…
        XCTAssertTrue(state.send(.filesChanged(lesson: 1, files: ["Tensor.swift"])).isEmpty)
        XCTAssertEqual(state.activity?.savedDuringRun.runsAgain, true)
        // …but the tests run again once this run ends, so the verdict is never stale.
        let effects = state.send(.testsFinished(run: 1, report: sampleReport(), sourceLines: [:]))
        XCTAssertEqual(names(effects), ["record tests 01", "runTests #2 01"])
    }

    func testChangesAreIgnoredWhenWatchIsOffOrForAnotherLesson() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        XCTAssertTrue(state.send(.filesChanged(lesson: 2, files: ["A.swift"])).isEmpty)
        XCTAssertEqual(names(state.press(.character("w"))), ["stopWatching"])
        XCTAssertFalse(state.watch.enabled)
        XCTAssertTrue(state.send(.filesChanged(lesson: 1, files: ["Tensor.swift"])).isEmpty)
        XCTAssertEqual(names(state.press(.character("w"))), ["watch 01"])
    }

    func testPollingFallbackIsAnnounced() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        state.send(.watchStarted(lesson: 1, mode: .polling(reason: "the folder is on NFS, where inotify misses changes")))
        XCTAssertEqual(state.message?.text, "Watching by polling twice a second: the folder is on NFS, where inotify misses changes.")
    }

    func testHintsShowTheNextUnseenOneAndAreRemembered() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        state.send(.lessonLoaded(lesson: 1, text: FixtureCourse.readme, hints: Hints(markdown: FixtureCourse.hints), problem: nil))
        XCTAssertEqual(names(state.press(.character("h"))), ["record hint 01 1"])
        guard case .hint(let first)? = state.overlay else { return XCTFail("no hint shown") }
        XCTAssertEqual(first.index, 0)
        XCTAssertEqual(names(state.press(.character("h"))), ["record hint 01 2"])
        XCTAssertTrue(state.press(.character("h")).isEmpty, "there is no third hint")
        _ = state.press(.left)
        guard case .hint(let back)? = state.overlay else { return XCTFail("hint closed") }
        XCTAssertEqual(back.index, 0)
        _ = state.press(.escape)
        XCTAssertNil(state.overlay)
        XCTAssertEqual(state.route, .lesson(1), "Esc closes the hint, not the lesson")
        // All seen: h shows the last one again, recording nothing.
        XCTAssertTrue(state.press(.character("h")).isEmpty)
        guard case .hint(let last)? = state.overlay else { return XCTFail("no hint shown") }
        XCTAssertEqual(last.index, 1)
    }

    func testHOpensTheHintAboutTheFirstFailingTestOrTheCompileError() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        let hints = Hints(markdown: """
            ## Shape first
            <!-- tests: count -->
            Start with `count`.
            ## Strides
            <!-- tests: strides -->
            <!-- compile error: cannot call value of non-function type -->
            Right to left.
            """)
        state.send(.lessonLoaded(lesson: 1, text: FixtureCourse.readme, hints: hints,
                                 testNames: ["test_unit_count_a", "test_unit_strides_b"], problem: nil))
        let results = [TestResult(lesson: "01", testClass: "TensorTests", name: "test_unit_count_a", status: .passed, message: "", seconds: 0),
                       TestResult(lesson: "01", testClass: "TensorTests", name: "test_unit_strides_b", status: .failed, message: "no", seconds: 0)]
        _ = state.press(.character("t"))
        state.send(.testsFinished(run: try XCTUnwrap(state.activity?.id), report: LessonReport(lesson: "01", title: "Tensor", results: results),
                                  sourceLines: [:]))
        XCTAssertEqual(names(state.press(.character("h"))).filter { $0.hasPrefix("record hint") }, ["record hint 01 2"],
                       "the hint about the failing test, though hint 1 is unseen")
        guard case .hint(let shown)? = state.overlay else { return XCTFail("no hint shown") }
        XCTAssertEqual(shown.reason, .failingTest("test_unit_strides_b"))
        let box = OverlayView.box(state.size)
        XCTAssertEqual(OverlayView.hintLines(shown, state: state, width: box.width - 5)[1].text,
                       "For test_unit_strides_b, which does not pass yet.")
        _ = state.press(.escape)

        let error = CompilerDiagnostic(file: "Lessons/01-tensor/Exercise/Tensor.swift", line: 3, column: 9, severity: .error,
                                       message: "cannot call value of non-function type 'Int'")
        _ = state.press(.character("t"))
        state.send(.testsFinished(run: try XCTUnwrap(state.activity?.id),
                                  report: LessonReport(lesson: "01", title: "Tensor", compileErrors: [error], results: []), sourceLines: [:]))
        let page = try XCTUnwrap(state.lessons[1])
        let lines = ResultsView.reportLines(try XCTUnwrap(page.report), page: page, state: state, width: 70).map(\.text)
        XCTAssertTrue(lines.contains { $0.contains("Hint 2, “Strides”, explains this error: press h.") }, lines.joined(separator: "\n"))
        _ = state.press(.character("h"))
        guard case .hint(let forError)? = state.overlay else { return XCTFail("no hint shown") }
        XCTAssertEqual(forError.index, 1)
        XCTAssertEqual(forError.reason, .compileError("cannot call value of non-function type 'Int'"))
    }

    func testTheSolutionAsksFirstUntilTheLessonPasses() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        XCTAssertTrue(state.press(.character("s")).isEmpty)
        guard case .confirm(.solution(lesson: 1))? = state.overlay else { return XCTFail("no question asked") }
        XCTAssertTrue(state.press(.character("n")).isEmpty)
        XCTAssertNil(state.overlay)
        _ = state.press(.character("s"))
        XCTAssertEqual(names(state.press(.character("y"))), ["loadSolution 01"])
        let effects = state.send(.solutionLoaded(lesson: 1, files: [.init(path: "Lessons/01-tensor/Solution/Tensor.swift", text: "let x = 1")]))
        XCTAssertEqual(names(effects), ["record solution 01"])
        guard case .solution? = state.overlay else { return XCTFail("solution not shown") }

        var passed = LearnerProgress()
        passed.lessons["01", default: .init()].completed = true
        var done = try FixtureCourse.state(self, progress: passed)
        _ = done.press(.character("k"), .enter)
        XCTAssertEqual(names(done.press(.character("s"))), ["loadSolution 01"])
    }

    func testResetAsksWithTheChangedFilesAndReportsWhereTheBackupIs() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.enter)
        XCTAssertEqual(names(state.press(.character("r"))), ["planReset 01"])
        state.send(.resetPlanned(lesson: 1, changedFiles: []))
        XCTAssertNil(state.overlay)
        XCTAssertEqual(state.message?.text, "Your files of lesson 01 are as shipped: nothing to reset.")
        state.send(.resetPlanned(lesson: 1, changedFiles: ["Lessons/01-tensor/Exercise/Tensor.swift"]))
        guard case .confirm(.reset(lesson: 1, files: let files))? = state.overlay else { return XCTFail("no question asked") }
        XCTAssertEqual(files, ["Lessons/01-tensor/Exercise/Tensor.swift"])
        XCTAssertEqual(names(state.press(.character("y"))), ["reset 01"])
        state.send(.resetDone(lesson: 1, restored: 1, backup: ".tutor/backups/2024"))
        XCTAssertEqual(state.message?.text, "Restored 1 file of lesson 01 as shipped. Your versions are in .tutor/backups/2024/.")
    }

    func testALockedMilestoneSaysWhatItNeeds() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.end, .up, .enter)
        XCTAssertEqual(state.route, .milestone("perceptron"))
        XCTAssertTrue(state.press(.enter).isEmpty)
        XCTAssertEqual(state.message?.text, "Locked: pass lessons 01, 02 first.")
    }

    /// Lessons solved on disk but not tested in the app: t on the locked milestone tests them one
    /// after another, and the milestone opens when they pass.
    func testTOnALockedMilestoneTestsItsLessonsAndUnlocksIt() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.end, .up, .enter)
        XCTAssertEqual(names(state.press(.character("t"))), ["runTests #1 01"])
        XCTAssertEqual(state.route, .milestone("perceptron"), "the page stays on screen")
        XCTAssertEqual(state.milestones["perceptron"]?.lessonCheck?.current?.lesson, 1)
        XCTAssertEqual(state.milestones["perceptron"]?.lessonCheck?.waiting, [2])
        func passing(_ id: String) -> LessonReport {
            LessonReport(lesson: id, title: "", results: [TestResult(lesson: id, testClass: "T", name: "test_unit_a", status: .passed, message: "", seconds: 0)])
        }
        XCTAssertEqual(names(state.send(.testsFinished(run: 1, report: passing("01"), sourceLines: [:]))),
                       ["record tests 01", "runTests #2 02"], "lesson 01 passes: lesson 02 next")
        XCTAssertEqual(names(state.send(.testsFinished(run: 2, report: passing("02"), sourceLines: [:]))), ["record tests 02"])
        XCTAssertEqual(state.message?.text, "Every lesson it needs passes: press ⏎ to run the 1957 milestone.")
        XCTAssertEqual(state.milestones["perceptron"]?.lessonCheck?.tested.map(\.allPassed), [true, true])
        XCTAssertEqual(state.status.state(of: try XCTUnwrap(state.milestone("perceptron"))), .ready)
    }

    func testALessonCheckStopsAtTheFirstLessonThatFailsOrWhenStopped() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.end, .up, .enter)
        _ = state.press(.character("t"))
        XCTAssertEqual(names(state.send(.testsFinished(run: 1, report: sampleReport(), sourceLines: [:]))), ["record tests 01"],
                       "lesson 01 fails: lesson 02 is not tested")
        XCTAssertEqual(state.message?.text, "Lesson 01 does not pass yet: open it from the dashboard to see why.")
        XCTAssertEqual(state.milestones["perceptron"]?.lessonCheck?.waiting, [])
        XCTAssertEqual(state.milestones["perceptron"]?.lessonCheck?.tested.first?.passed, 1)

        XCTAssertEqual(names(state.press(.character("t"))), ["runTests #2 01"], "t tests again")
        XCTAssertEqual(names(state.press(.escape)), ["stopRun #2"], "Esc stops the testing, not the page")
        XCTAssertEqual(state.route, .milestone("perceptron"))
        state.send(.runStopped(run: 2))
        XCTAssertNil(state.activity)
        XCTAssertEqual(state.milestones["perceptron"]?.lessonCheck?.stopped, true)
        XCTAssertNil(state.milestones["perceptron"]?.lessonCheck?.current)
        _ = state.press(.escape)
        XCTAssertEqual(state.route, .dashboard)
    }

    func testAValidationLossIsChartedInPlaceOfTheAccuracy() throws {
        var state = try FixtureCourse.state(self)
        state.milestoneCommand = "Tests/Fixtures/fake-milestone.sh"
        _ = state.press(.end, .up, .enter)
        _ = state.press(.enter)
        state.send(.milestoneProgress(run: 1, .running))
        for (epoch, (loss, validation)) in [(2.6, 2.7), (2.1, 2.3), (1.7, 1.9)].enumerated() {
            state.send(.milestoneProgress(run: 1, .event(.epoch(TrainingProgress(
                epoch: epoch + 1, epochs: 3, loss: loss, accuracy: 0.4, metrics: ["val_loss": validation])))))
        }
        let run = try XCTUnwrap(state.milestones["perceptron"]?.run)
        XCTAssertEqual(run.points.map(\.validationLoss), [2.7, 2.3, 1.9])
        let text = MilestoneView.chartLines(run, width: 100, height: 14).map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains("Training loss") && text.contains("Validation loss"), text)
        XCTAssertFalse(text.contains("Accuracy"), "a language model's second chart is its validation loss:\n\(text)")
    }

    func testAMilestoneRunDrawsPointsAndStoresItsResult() throws {
        var state = try FixtureCourse.state(self)
        state.milestoneCommand = "Tests/Fixtures/fake-milestone.sh"
        _ = state.press(.end, .up, .enter)
        XCTAssertEqual(names(state.press(.enter)), ["runMilestone #1 perceptron"])
        state.send(.milestoneProgress(run: 1, .running))
        state.wait(1)
        state.send(.milestoneProgress(run: 1, .event(.epoch(TrainingProgress(epoch: 1, epochs: 4, loss: 0.9, accuracy: 0.5)))))
        state.send(.milestoneProgress(run: 1, .event(.step(TrainingProgress(epoch: 2, epochs: 4, step: 5, steps: 10)))))
        state.send(.milestoneProgress(run: 1, .output("epoch 1 done")))
        let run = try XCTUnwrap(state.milestones["perceptron"]?.run)
        XCTAssertEqual(run.points.map(\.loss), [0.9])
        XCTAssertEqual(run.clock?.epochs, 4)
        XCTAssertEqual(run.clock?.stepFraction, 0.5)
        XCTAssertEqual(run.output, ["epoch 1 done"])
        let result = MilestoneResult(summary: "100% on AND and OR", achieved: true)
        let effects = state.send(.milestoneFinished(run: 1, MilestoneRunner.Outcome(result: result)))
        XCTAssertEqual(names(effects), ["record milestone perceptron 100% on AND and OR"])
        XCTAssertEqual(state.progress.milestones["perceptron"]?.achieved, true)
        XCTAssertNil(state.activity)
    }

    func testATooSmallTerminalIgnoresKeysButQuit() throws {
        var state = try FixtureCourse.state(self)
        state.send(.resize(Size(width: 60, height: 15)))
        XCTAssertTrue(state.press(.enter).isEmpty)
        XCTAssertEqual(state.route, .dashboard)
        XCTAssertEqual(names(state.press(.character("q"))), ["quit"])
    }

    func testMessagesFadeAfterAFewSeconds() throws {
        var state = try FixtureCourse.state(self)
        _ = state.press(.end, .up, .enter, .enter)
        XCTAssertNotNil(state.message)
        state.wait(Message.lifetime + 1)
        XCTAssertNil(state.message)
    }

    func testScrollingTheLessonTextStopsAtItsEnd() throws {
        var state = try FixtureCourse.state(self, size: Size(width: 80, height: 24))
        _ = state.press(.enter)
        let long = FixtureCourse.readme + String(repeating: "\nMore text.\n", count: 60)
        state.send(.lessonLoaded(lesson: 1, text: long, hints: nil, problem: nil))
        _ = state.press(.pageDown)
        XCTAssertEqual(state.lessons[1]?.textScroll, Layout.lessonPaneHeight(state.size) - 1)
        _ = state.press(.end)
        let total = state.lessons[1]!.text!.lines.count
        XCTAssertEqual(state.lessons[1]?.textScroll, total - Layout.lessonPaneHeight(state.size))
        _ = state.press(.home)
        XCTAssertEqual(state.lessons[1]?.textScroll, 0)
    }
}
