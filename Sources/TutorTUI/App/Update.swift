import Foundation
import TutorCore

/// The app's logic: how each event changes the state, and which effects it asks for. Pure — no
/// files, processes or terminal here — so every behaviour is unit-tested by feeding events.
public enum Update {
    /// What the app does once its first screen is drawn: build the next lesson in the background.
    /// A fresh clone's first build of the lessons takes 20–40 s on two cores; a learner reading
    /// the lesson text should not wait for it when they press t.
    public static func start(_ state: AppState) -> [Effect] {
        guard case .lesson(let number) = state.nextItem, let lesson = state.lesson(number), lesson.written else { return [] }
        return [.prepareBuild(lesson)]
    }

    public static func update(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .tick(let now):
            state.now = now
            if let message = state.message, now.timeIntervalSince(message.time) > Message.lifetime { state.message = nil }
            return []
        case .resize(let size):
            state.size = size
            layoutLessonText(&state)
            clampScrolls(&state)
            return []
        case .signal:
            return quit(&state)
        case .key(let key):
            return handleKey(key, &state)

        case .lessonLoaded(let number, let text, let hints, let testNames, let problem):
            var page = state.lessons[number] ?? LessonPage(number: number)
            if let text { page.text = LessonText(markdown: text, width: Layout.lessonTextPane(state.size).width) }
            page.textProblem = problem
            page.hints = hints
            page.testNames = testNames
            state.lessons[number] = page
            return []
        case .testsFinished(let run, let report, _):
            return LessonUpdate.handle(event, &state) + MilestoneUpdate.lessonRunEnded(run: run, report: report, &state)
        case .testProgress, .watchStarted, .watchFailed, .filesChanged:
            return LessonUpdate.handle(event, &state)
        case .runStopped(let run):
            guard let activity = state.activity, activity.id == run else { return [] }
            state.activity = nil
            switch activity.kind {
            case .tests(let number):
                _ = MilestoneUpdate.lessonRunEnded(run: run, report: nil, &state)
                state.lessons[number]?.live = []
                state.lessons[number]?.runNote = "Stopped before the tests finished. Press t to run them again."
                state.lessons[number]?.resultsScroll = 0
                if activity.savedDuringRun.runsAgain && state.route == .lesson(number) {
                    return LessonUpdate.runTests(number, trigger: nil, &state)
                }
            case .milestone(let slug):
                state.milestones[slug]?.run?.outcome = MilestoneRunner.Outcome(problem: "stopped before it finished", stopped: true)
                state.milestones[slug]?.run?.finished = state.now
            }
            return []
        case .milestoneProgress, .milestoneFinished:
            return MilestoneUpdate.handle(event, &state)

        case .progressSaved(let progress, let warning):
            state.progress = progress
            if let warning { say(warning, .warning, &state) }
            return []
        case .solutionLoaded(let lesson, let files):
            state.overlay = .solution(SolutionOverlay(lesson: lesson, files: files))
            guard let id = state.lesson(lesson)?.id else { return [] }
            return record(.solutionViewed(lesson: id), &state)
        case .resetPlanned(let lesson, let files):
            if files.isEmpty {
                say("Your files of lesson \(LessonNumbers.id(lesson)) are as shipped: nothing to reset.", .normal, &state)
            } else {
                state.overlay = .confirm(.reset(lesson: lesson, files: files))
            }
            return []
        case .resetDone(let lesson, let restored, let backup):
            let files = restored == 1 ? "1 file" : "\(restored) files"
            say("Restored \(files) of lesson \(LessonNumbers.id(lesson)) as shipped. Your versions are in \(backup ?? ".tutor/backups")/.",
                .success, &state)
            return []
        case .failed(let text):
            say(text, .failure, &state)
            return []
        }
    }

    // MARK: Keys

    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .interrupt { return quit(&state) }
        if state.size.isTooSmall {
            return key == .character("q") ? quit(&state) : []
        }
        if state.overlay != nil { return OverlayUpdate.handleKey(key, &state) }
        switch key {
        case .character("?"):
            state.overlay = .help(scroll: 0)
            return []
        case .character("q"):
            return quit(&state)
        default:
            break
        }
        switch state.route {
        case .dashboard: return DashboardUpdate.handleKey(key, &state)
        case .lesson(let number): return LessonUpdate.handleKey(key, number, &state)
        case .milestone(let slug): return MilestoneUpdate.handleKey(key, slug, &state)
        }
    }

    static func quit(_ state: inout AppState) -> [Effect] {
        state.shouldQuit = true
        var effects: [Effect] = []
        if let activity = state.activity { effects.append(.stopRun(activity.id)) }
        return effects + LessonUpdate.unwatch(&state) + [.quit]
    }

    // MARK: Helpers shared by the screens

    static func say(_ text: String, _ tone: TextStyle.Tone, _ state: inout AppState) {
        state.message = Message(text: text, tone: tone, time: state.now)
    }

    /// Applies a progress change to the state now, and asks for it to be written.
    static func record(_ change: ProgressChange, _ state: inout AppState) -> [Effect] {
        change.apply(to: &state.progress, at: state.now)
        return [.record(change)]
    }

    /// Starts a run; returns its id.
    static func startActivity(_ kind: Activity.Kind, trigger: String? = nil, _ state: inout AppState) -> Int {
        let id = state.nextRunID
        state.nextRunID += 1
        state.activity = Activity(id: id, kind: kind, started: state.now, trigger: trigger)
        return id
    }

    /// Asks the run in progress to stop.
    static func stopActivity(_ state: inout AppState) -> [Effect] {
        guard var activity = state.activity, activity.phase != .stopping else { return [] }
        activity.phase = .stopping
        activity.savedDuringRun.clear()
        state.activity = activity
        return [.stopRun(activity.id)]
    }

    static func goToDashboard(_ state: inout AppState) -> [Effect] {
        state.route = .dashboard
        return LessonUpdate.unwatch(&state)
    }

    /// Moves `value` by `delta`, within 0…`maximum`.
    static func scroll(_ value: inout Int, by delta: Int, maximum: Int) {
        value = min(max(0, value + delta), max(0, maximum))
    }

    /// Scroll keys shared by every scrolling pane: the change in lines, or nil for other keys.
    static func scrollDelta(_ key: Key, page: Int) -> Int? {
        switch key {
        case .up, .character("k"): return -1
        case .down, .character("j"): return 1
        case .pageUp, .character("b"): return -max(1, page - 1)
        case .pageDown, .character(" "), .character("f"): return max(1, page - 1)
        case .home, .character("g"): return Int.min / 2
        case .end, .character("G"): return Int.max / 2
        default: return nil
        }
    }

    static func layoutLessonText(_ state: inout AppState) {
        let width = Layout.lessonTextPane(state.size).width
        for number in state.lessons.keys { state.lessons[number]?.text?.layout(width: width) }
    }

    static func clampScrolls(_ state: inout AppState) {
        guard case .lesson(let number) = state.route, var page = state.lessons[number] else { return }
        let height = Layout.lessonPaneHeight(state.size)
        page.textScroll = min(page.textScroll, max(0, LessonView.textLines(page, state: state).count - height))
        page.resultsScroll = min(page.resultsScroll, max(0, ResultsView.lines(page, state: state).count - height))
        state.lessons[number] = page
    }
}

/// Lesson numbers as learners see them: `01`, and lists like `01–04` or `01, 03`.
enum LessonNumbers {
    static func id(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

    /// "01, 02", "01–04", "01–08, 10–13": runs of three or more as ranges.
    static func list(_ numbers: [Int]) -> String {
        var runs: [[Int]] = []
        for number in Set(numbers).sorted() {
            if let last = runs.last?.last, last + 1 == number { runs[runs.count - 1].append(number) } else { runs.append([number]) }
        }
        return runs.map { run in
            run.count > 2 ? "\(id(run[0]))–\(id(run[run.count - 1]))" : run.map(id).joined(separator: ", ")
        }.joined(separator: ", ")
    }

    /// "lesson 01" or "lessons 01–04".
    static func phrase(_ numbers: [Int]) -> String {
        (numbers.count == 1 ? "lesson " : "lessons ") + list(numbers)
    }
}
