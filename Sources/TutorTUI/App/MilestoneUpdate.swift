import Foundation
import TutorCore

/// The milestone view: what a milestone needs, running its program, live charts, the result.
enum MilestoneUpdate {
    static func open(_ slug: String, _ state: inout AppState) -> [Effect] {
        guard state.milestone(slug) != nil else { return [] }
        state.route = .milestone(slug)
        if state.milestones[slug] == nil { state.milestones[slug] = MilestonePage(slug: slug) }
        return []
    }

    /// Whether the milestone's program can run now, or why not.
    static func blocker(_ milestone: Course.Milestone, _ state: AppState) -> String? {
        if state.milestoneCommand != nil { return nil }
        switch state.status.state(of: milestone) {
        case .coming:
            return "This milestone's program is not written yet: it arrives with its lessons."
        case .locked(let needs):
            return "Locked: pass \(LessonNumbers.phrase(needs)) first."
        case .ready, .achieved:
            return nil
        }
    }

    static func handleKey(_ key: Key, _ slug: String, _ state: inout AppState) -> [Effect] {
        guard let milestone = state.milestone(slug) else { return [] }
        let runningHere = state.activity?.kind == .milestone(slug)
        switch key {
        case .escape, .backspace:
            if runningHere { return Update.stopActivity(&state) }
            if state.milestones[slug]?.lessonCheck?.current != nil {
                state.milestones[slug]?.lessonCheck?.waiting = []
                state.milestones[slug]?.lessonCheck?.stopped = true
                return Update.stopActivity(&state)
            }
            return Update.goToDashboard(&state)
        case .character("t") where lockedNeeds(milestone, state) != nil:
            return checkLessons(milestone, &state)
        case .enter, .character("r"), .character("t"):
            if let blocker = blocker(milestone, state) {
                Update.say(blocker, .warning, &state)
                return []
            }
            if state.activity != nil {
                Update.say(runningHere ? "It is already running (Esc stops it)." : "Another run is still going; try again when it ends.",
                           .normal, &state)
                return []
            }
            let id = Update.startActivity(.milestone(slug), &state)
            state.milestones[slug, default: MilestonePage(slug: slug)].run = MilestoneRun(started: state.now)
            state.milestones[slug]?.outputScroll = 0
            return [.runMilestone(run: id, milestone: milestone)]
        default:
            // ↑↓ scroll the program's output back (up) and forth; the newest line is at 0.
            guard var page = state.milestones[slug], let lines = page.run?.output.count,
                  let delta = Update.scrollDelta(key, page: MilestoneView.outputRows) else { return [] }
            Update.scroll(&page.outputScroll, by: -delta, maximum: lines - 1)
            state.milestones[slug] = page
            return []
        }
    }

    /// The lessons a locked milestone still needs; nil when it is not locked.
    static func lockedNeeds(_ milestone: Course.Milestone, _ state: AppState) -> [Int]? {
        guard state.milestoneCommand == nil, case .locked(let needs) = state.status.state(of: milestone) else { return nil }
        return needs
    }

    /// `t` on a locked milestone: test the lessons it needs, one after another.
    static func checkLessons(_ milestone: Course.Milestone, _ state: inout AppState) -> [Effect] {
        guard let needs = lockedNeeds(milestone, state), let first = needs.first else { return [] }
        if state.activity != nil {
            Update.say("Another run is still going; try again when it ends.", .warning, &state)
            return []
        }
        state.milestones[milestone.slug, default: MilestonePage(slug: milestone.slug)].lessonCheck = LessonCheck(waiting: needs)
        return testNext(first, milestone.slug, &state)
    }

    private static func testNext(_ lesson: Int, _ slug: String, _ state: inout AppState) -> [Effect] {
        let effects = LessonUpdate.runTests(lesson, trigger: nil, &state)
        guard let run = state.activity?.id, state.activity?.kind == .tests(lesson: lesson) else { return effects }
        state.milestones[slug]?.lessonCheck?.waiting.removeAll { $0 == lesson }
        state.milestones[slug]?.lessonCheck?.current = (lesson, run)
        return effects
    }

    /// After a lesson's run ends (`LessonUpdate` has recorded it): when a milestone's lesson check
    /// started it, the next lesson, or the verdict.
    static func lessonRunEnded(run: Int, report: LessonReport?, _ state: inout AppState) -> [Effect] {
        guard let (slug, page) = state.milestones.first(where: { $0.value.lessonCheck?.current?.run == run }),
              var check = page.lessonCheck, let current = check.current else { return [] }
        check.current = nil
        let id = LessonNumbers.id(current.lesson)
        if let report {
            let problem = report.problem ?? (report.compileErrors.isEmpty ? nil : "does not compile")
            check.tested.append(LessonCheck.Tested(lesson: current.lesson, passed: report.passedCount, total: report.results.count,
                                                   allPassed: report.allPassed, problem: problem))
        }
        // Stopped, or a lesson that does not pass: nothing more is tested.
        if report?.allPassed != true { check.waiting = [] }
        if report == nil { check.stopped = true }
        state.milestones[slug]?.lessonCheck = check
        guard let report else { return [] }
        guard report.allPassed else {
            Update.say("Lesson \(id) does not pass yet: open it from the dashboard to see why.", .warning, &state)
            return []
        }
        if let next = check.waiting.first { return testNext(next, slug, &state) }
        if let milestone = state.milestone(slug), lockedNeeds(milestone, state) == nil {
            Update.say("Every lesson it needs passes: press ⏎ to run the \(milestone.year) milestone.", .success, &state)
        }
        return []
    }

    static func handle(_ event: Event, _ state: inout AppState) -> [Effect] {
        switch event {
        case .milestoneProgress(let run, let progress):
            guard var activity = state.activity, activity.id == run, case .milestone(let slug) = activity.kind,
                  activity.phase != .stopping, var data = state.milestones[slug]?.run else { return [] }
            switch progress {
            case .building:
                data.building = true
                activity.phase = .building
            case .built(let seconds):
                data.building = false
                data.buildSeconds = seconds
                appendOutput(String(format: "Built in release mode in %.1f s.", seconds), to: &data)
            case .running:
                data.building = false
                data.clock = TrainingClock(started: state.now)
                activity.phase = .running(total: 0)
            case .event(.epoch(let values)):
                if data.clock == nil { data.clock = TrainingClock(started: data.started) }
                data.clock?.record(.epoch(values), at: state.now)
                let epoch = data.clock?.epochsDone ?? values.epoch ?? 1
                data.points.append(MilestoneRun.Point(epoch: epoch, loss: values.loss, accuracy: values.accuracy, time: state.now,
                                                      validationLoss: values.metrics["val_loss"]))
            case .event(.step(let values)):
                if data.clock == nil { data.clock = TrainingClock(started: data.started) }
                data.clock?.record(.step(values), at: state.now)
            case .event(.log(let message)):
                appendOutput(message, to: &data)
            case .event(.result):
                break
            case .output(let line):
                appendOutput(line, to: &data)
            }
            state.activity = activity
            state.milestones[slug]?.run = data
            return []

        case .milestoneFinished(let run, let outcome):
            guard let activity = state.activity, activity.id == run, case .milestone(let slug) = activity.kind else { return [] }
            state.activity = nil
            state.milestones[slug]?.run?.outcome = outcome
            state.milestones[slug]?.run?.finished = state.now
            guard let result = outcome.resultToRecord else { return [] }
            return Update.record(.milestone(slug: slug, result: result), &state)

        default:
            return []
        }
    }

    static let outputLimit = 200

    private static func appendOutput(_ line: String, to data: inout MilestoneRun) {
        data.output.append(line)
        if data.output.count > outputLimit { data.output.removeFirst(data.output.count - outputLimit) }
    }
}
