import Foundation
import TutorCore

/// The lesson view: read, run the tests, watch files, hints, solution, reset.
enum LessonUpdate {
    static func open(_ number: Int, _ state: inout AppState) -> [Effect] {
        guard let lesson = state.lesson(number) else { return [] }
        state.route = .lesson(number)
        var effects: [Effect] = []
        if state.lessons[number] == nil {
            var page = LessonPage(number: number)
            if !lesson.written {
                page.text = LessonText(markdown: comingText(lesson), width: Layout.lessonTextPane(state.size).width)
            }
            state.lessons[number] = page
            if lesson.written { effects.append(.loadLesson(lesson)) }
        }
        if lesson.written && state.watch.enabled && state.watch.lesson != number {
            effects.append(watch(lesson, &state))
        }
        return effects
    }

    /// Starts watching a lesson's files (the watcher reports how, or why not, with an event).
    static func watch(_ lesson: Course.Lesson, _ state: inout AppState) -> Effect {
        state.watch.lesson = lesson.number
        state.watch.mode = nil
        state.watch.problem = nil
        return .watch(lesson)
    }

    /// Stops watching, if anything is watched.
    static func unwatch(_ state: inout AppState) -> [Effect] {
        guard state.watch.lesson != nil else { return [] }
        state.watch.lesson = nil
        state.watch.mode = nil
        return [.stopWatching]
    }

    static func comingText(_ lesson: Course.Lesson) -> String {
        """
        # Lesson \(lesson.id): \(lesson.title)

        \(lesson.summary)

        This lesson is not written yet: it arrives in a later version of the course. \
        Press Esc to go back to the dashboard.
        """
    }

    static func handleKey(_ key: Key, _ number: Int, _ state: inout AppState) -> [Effect] {
        guard var page = state.lessons[number], let lesson = state.lesson(number) else { return [] }
        let runningHere = state.activity?.kind == .tests(lesson: number)
        switch key {
        case .escape, .backspace:
            if runningHere { return Update.stopActivity(&state) }
            return Update.goToDashboard(&state)
        case .tab, .backTab, .left, .right:
            page.focus = page.focus == .text ? .results : .text
            state.lessons[number] = page
            return []
        default:
            break
        }
        if case .character(let character) = key, "twhsr".contains(character), !lesson.written {
            Update.say("Lesson \(lesson.id) is not written yet: it arrives in a later version of the course.", .normal, &state)
            return []
        }
        switch key {
        case .character("t"):
            return runTests(number, trigger: nil, &state)
        case .character("w"):
            return toggleWatch(lesson, &state)
        case .character("h"):
            return OverlayUpdate.showNextHint(lesson, &state)
        case .character("s"):
            if state.progress.lesson(lesson.id).completed { return [.loadSolution(lesson)] }
            state.overlay = .confirm(.solution(lesson: number))
            return []
        case .character("r"):
            if state.activity != nil {
                Update.say("Wait for the run to finish before resetting (Esc stops it).", .warning, &state)
                return []
            }
            return [.planReset(lesson)]
        default:
            let height = Layout.lessonPaneHeight(state.size)
            guard let delta = Update.scrollDelta(key, page: height) else { return [] }
            if page.focus == .text {
                Update.scroll(&page.textScroll, by: delta, maximum: LessonView.textLines(page, state: state).count - height)
            } else {
                Update.scroll(&page.resultsScroll, by: delta, maximum: ResultsView.lines(page, state: state).count - height)
            }
            state.lessons[number] = page
            return []
        }
    }

    static func runTests(_ number: Int, trigger: String?, _ state: inout AppState) -> [Effect] {
        guard let lesson = state.lesson(number), lesson.written else { return [] }
        if var activity = state.activity {
            if activity.kind == .tests(lesson: number) && activity.phase == .stopping {
                // Run again as soon as the stopped run has ended.
                activity.savedDuringRun.requestRun()
                state.activity = activity
            } else if activity.kind == .tests(lesson: number) {
                Update.say("The tests are already running (Esc stops them).", .normal, &state)
            } else {
                Update.say("Another run is still going; try again when it ends.", .warning, &state)
            }
            return []
        }
        let id = Update.startActivity(.tests(lesson: number), trigger: trigger, &state)
        var page = state.lessons[number] ?? LessonPage(number: number)
        page.live = []
        page.runNote = nil
        page.resultsScroll = 0
        if !Layout.lessonIsSplit(state.size) { page.focus = .results }
        state.lessons[number] = page
        return [.runTests(run: id, lesson: lesson)]
    }

    static func toggleWatch(_ lesson: Course.Lesson, _ state: inout AppState) -> [Effect] {
        state.watch.enabled.toggle()
        if state.watch.enabled {
            Update.say("Watching: saving a file in Lessons/\(lesson.folder)/Exercise/ runs the tests.", .normal, &state)
            return [watch(lesson, &state)]
        }
        Update.say("Watch mode off: press t to run the tests, w to watch again.", .normal, &state)
        return unwatch(&state)
    }

    static func handle(_ event: Event, _ state: inout AppState) -> [Effect] {
        switch event {
        case .testProgress(let run, let progress):
            guard var activity = state.activity, activity.id == run, case .tests(let number) = activity.kind,
                  activity.phase != .stopping else { return [] }
            switch progress {
            case .building: activity.phase = .building
            case .built: break
            case .running(let count): activity.phase = .running(total: count)
            case .finished(let result): state.lessons[number]?.live.append(result)
            }
            state.activity = activity
            return []

        case .testsFinished(let run, let report, let sourceLines):
            guard let activity = state.activity, activity.id == run, case .tests(let number) = activity.kind else { return [] }
            state.activity = nil
            var page = state.lessons[number] ?? LessonPage(number: number)
            let wasCompleted = state.progress.lesson(report.lesson).completed
            page.report = report
            page.reportTime = state.now
            page.sourceLines = sourceLines
            page.live = []
            page.runNote = nil
            state.lessons[number] = page
            var effects: [Effect] = []
            if report.problem == nil { effects += Update.record(.testReport(report), &state) }
            if report.allPassed && !wasCompleted {
                Update.say("Lesson \(report.lesson) passes! Press s to compare with the reference solution.", .success, &state)
            }
            if activity.savedDuringRun.runsAgain && state.route == .lesson(number) {
                effects += runTests(number, trigger: activity.savedDuringRun.trigger.map { "\($0) during the last run" }, &state)
            }
            return effects

        case .watchStarted(let lesson, let mode):
            guard state.watch.lesson == lesson else { return [] }
            state.watch.mode = mode
            state.watch.problem = nil
            if case .polling(let reason) = mode {
                Update.say("Watching by polling twice a second: \(reason).", .warning, &state)
            }
            return []

        case .watchFailed(let lesson, let reason):
            guard state.watch.lesson == lesson else { return [] }
            state.watch.problem = reason
            Update.say("Cannot watch your files (\(reason)). Press t to run the tests.", .failure, &state)
            return []

        case .filesChanged(let lesson, let files):
            guard state.watch.enabled, state.watch.lesson == lesson, state.route == .lesson(lesson) else { return [] }
            if var activity = state.activity {
                // Never start a second run; test again once this one ends if it is this lesson's.
                if activity.kind == .tests(lesson: lesson) && activity.phase != .stopping {
                    activity.savedDuringRun.add(files)
                    state.activity = activity
                }
                return []
            }
            return runTests(lesson, trigger: SavedFiles(files).trigger, &state)

        default:
            return []
        }
    }
}
