import Foundation
import TutorCore

/// A key the learner pressed, as the app understands it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, backTab
    /// Ctrl-C (delivered as a key in raw mode, or as SIGINT).
    case interrupt
}

/// Everything that can happen to the app: keys, resizes, the clock, and results of effects.
public enum Event: Sendable {
    case key(Key)
    case resize(Size)
    case tick(Date)
    /// SIGINT, SIGTERM or SIGHUP: quit cleanly.
    case signal(Int32)

    case lessonLoaded(lesson: Int, text: String?, hints: Hints?, testNames: [String] = [], problem: String?)
    case testProgress(run: Int, TestEvent)
    case testsFinished(run: Int, report: LessonReport, sourceLines: [String: String])
    /// A run ended after being asked to stop (its results are dropped).
    case runStopped(run: Int)

    case watchStarted(lesson: Int, mode: WatchMode)
    case watchFailed(lesson: Int, reason: String)
    /// Files in a watched lesson's folder changed (names, already debounced).
    case filesChanged(lesson: Int, files: [String])

    /// The progress file after a change was written (it may hold changes made by another
    /// `tutor` process too).
    case progressSaved(LearnerProgress, warning: String?)
    case solutionLoaded(lesson: Int, files: [SolutionOverlay.File])
    case resetPlanned(lesson: Int, changedFiles: [String])
    case resetDone(lesson: Int, restored: Int, backup: String?)
    /// An effect could not do its job; the text says why, for the status line.
    case failed(String)

    case milestoneProgress(run: Int, MilestoneRunner.Progress)
    case milestoneFinished(run: Int, MilestoneRunner.Outcome)
}

/// What `update` asks the outside world to do. The effect runner does it off the UI thread and
/// reports back with events.
public enum Effect: Sendable {
    case loadLesson(Course.Lesson)
    case runTests(run: Int, lesson: Course.Lesson)
    /// Stop the run with this id (its child processes are killed).
    case stopRun(Int)
    case watch(Course.Lesson)
    case stopWatching
    case record(ProgressChange)
    case loadSolution(Course.Lesson)
    case planReset(Course.Lesson)
    case reset(Course.Lesson)
    case runMilestone(run: Int, milestone: Course.Milestone)
    /// Build a lesson's code and tests in the background, unseen, so that its first test run
    /// finds the build done (the app asks for the next lesson as it opens).
    case prepareBuild(Course.Lesson)
    case quit
}
