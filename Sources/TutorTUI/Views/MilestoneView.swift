import Foundation
import TutorCore

/// A milestone: what it needs, and while its program runs, an epoch progress bar with an ETA and
/// live charts of loss and accuracy; then the result, which is stored in progress.
enum MilestoneView {
    static func draw(_ state: AppState, slug: String, on screen: inout Screen) {
        guard let milestone = state.milestone(slug) else { return }
        let size = state.size
        let page = state.milestones[slug] ?? MilestonePage(slug: slug)
        var title = StyledLine(state.course.title, TextStyle(.accent, bold: true))
        title.append("  ›  Milestone \(milestone.year) · \(milestone.title)", TextStyle(bold: true))
        Chrome.header(title, status: Chrome.activityStatus(state), on: &screen)

        let width = size.width - 2 * Layout.margin
        let available = Layout.contentHeight(size)
        var top: [StyledLine] = []
        top.append(StyledLine("\(milestone.year) · \(milestone.title)", TextStyle(.accent, bold: true)))
        if available >= 24 { top += Wrap.wrap(milestone.summary, width: width) }
        let label = { (name: String) in StyledLine(name.fitted(to: 9), TextStyle(bold: true)) }
        top.append(label("Goal") + StyledLine(milestone.goal))
        top += Wrap.wrap(stateText(milestone, state: state), width: width, firstPrefix: label("Status"), restPrefix: "         ")
        if let command = state.milestoneCommand {
            top += Wrap.wrap(StyledLine("Runs the test program `\(command)` (TUTOR_MILESTONE_COMMAND) instead of the milestone's own.",
                                        TextStyle(.muted)), width: width)
        }
        top.append(.empty)

        var body: [StyledLine] = []
        var bottom: [StyledLine] = []
        if let run = page.run {
            bottom = outcomeLines(run, milestone: milestone, state: state, width: width)
            body.append(progressLine(run, state: state, width: width))
            body.append(.empty)
            // The charts get the room; the program's output what is left (a few lines).
            let room = available - top.count - body.count - bottom.count - (bottom.isEmpty ? 0 : 1)
            var outputRows = run.output.isEmpty ? 0 : min(run.output.count, Self.outputRows) + 1
            let chartRoom = min(15, max(0, room - outputRows - 1))
            let charts = chartLines(run, width: width, height: chartRoom)
            if !charts.isEmpty { body += charts + [.empty] }
            // When the run has ended, its output may take all the room left (the program's
            // closing words often matter most).
            outputRows = run.finished == nil ? min(outputRows, room - (charts.isEmpty ? 0 : charts.count + 1))
                : room - (charts.isEmpty ? 0 : charts.count + 1)
            if outputRows >= 2 {
                body += outputLines(run.output, scroll: page.outputScroll, rows: outputRows - 1, width: width)
            }
        } else {
            bottom = Wrap.wrap(idleHint(milestone, state: state), width: width, style: TextStyle(.accent))
            if let check = page.lessonCheck { bottom += [.empty] + checkLines(check, state: state, width: width) }
        }
        let contentTop = Layout.headerRows
        for (index, line) in (top + body).prefix(available - bottom.count).enumerated() {
            screen.write(line, row: contentTop + index, column: Layout.margin, limit: width)
        }
        // The verdict sits at the bottom when there is a run, right under the status when not.
        let bottomTop = page.run == nil ? contentTop + top.count : contentTop + available - bottom.count
        for (index, line) in bottom.enumerated() where bottomTop + index < contentTop + available {
            screen.write(line, row: bottomTop + index, column: Layout.margin, limit: width)
        }
        let running = state.activity?.kind == .milestone(slug)
        let checking = page.lessonCheck?.current != nil
        // A locked or unwritten milestone does not run: the footer does not offer it, but a locked
        // one offers to test its lessons.
        let runnable = MilestoneUpdate.blocker(milestone, state) == nil
        var offer: [(String, String)] = runnable ? [("⏎", page.run == nil ? "run" : "run again")] : []
        if let needs = MilestoneUpdate.lockedNeeds(milestone, state) { offer = [("t", "test " + LessonNumbers.phrase(needs))] }
        var keys: [(String, String)] = running || checking
            ? [("esc", running ? "stop the run" : "stop testing"), ("?", "help"), ("q", "quit")]
            : offer + [("esc", "back"), ("?", "help"), ("q", "quit")]
        if let output = page.run?.output, output.count > Self.outputRows { keys.append(("↑↓", "scroll the output")) }
        Chrome.footer(keys: keys, state: state, on: &screen)
    }

    /// Rows the output shows while a run goes (more once it has ended).
    static let outputRows = 6

    /// The program's output, newest last, `scroll` lines back from the end. Colour escapes in it
    /// (a milestone's pictures) keep their colours; other escapes are dropped (`ANSIText`).
    static func outputLines(_ output: [String], scroll: Int, rows: Int, width: Int) -> [StyledLine] {
        var title = StyledLine("Output", TextStyle(bold: true))
        if output.count > rows { title.append("  ↑↓ scroll", TextStyle(.muted)) }
        let end = max(0, output.count - min(scroll, max(0, output.count - rows)))
        let start = max(0, end - rows)
        return [title] + output[start..<end].map { ANSIText.styledLine($0, base: TextStyle(.muted)).truncated(to: width) }
    }

    static func stateText(_ milestone: Course.Milestone, state: AppState) -> StyledLine {
        switch state.status.state(of: milestone) {
        case .achieved(let best):
            return StyledLine("✓ achieved" + (best.map { ": \($0)" } ?? ""), TextStyle(.success, bold: true))
        case .ready:
            return StyledLine("ready: every lesson it needs passes", TextStyle(.accent, bold: true))
        case .locked(let needs):
            return StyledLine("locked: pass \(LessonNumbers.phrase(needs)) first", TextStyle(.warning))
        case .coming:
            let needs = state.course.lessonsNeeded(for: milestone).filter { !state.status.isPassed($0) }
            let after = needs.isEmpty ? "" : "; it will need \(LessonNumbers.phrase(needs))"
            return StyledLine("coming later: its program arrives with its lessons" + after, TextStyle(.muted))
        }
    }

    /// The lessons a locked milestone needs, tested from its page: each verdict, the one running,
    /// those waiting.
    static func checkLines(_ check: LessonCheck, state: AppState, width: Int) -> [StyledLine] {
        let going = check.current != nil || !check.waiting.isEmpty
        var lines = [StyledLine(going ? "Testing the lessons it needs" : "The lessons it needs, tested here", TextStyle(bold: true))]
        func name(_ number: Int) -> String {
            "\(LessonNumbers.id(number)) \(state.lesson(number)?.title ?? "")".fitted(to: 18)
        }
        for tested in check.tested {
            if tested.allPassed {
                lines.append(StyledLine("  ✓ " + name(tested.lesson), TextStyle(.success)) + StyledLine("all \(tested.total) tests pass"))
            } else {
                let verdict = tested.problem ?? "\(tested.passed) of \(tested.total) tests pass"
                lines += Wrap.wrap(StyledLine("  ✗ " + name(tested.lesson), TextStyle(.failure))
                                   + StyledLine(verdict + " — open it from the dashboard to see why"),
                                   width: width, restPrefix: "                      ")
            }
        }
        if let current = check.current {
            var doing = "testing…"
            if let activity = state.activity, activity.id == current.run {
                switch activity.phase {
                case .running(let total) where total > 0:
                    doing = "testing: \(state.lessons[current.lesson]?.live.count ?? 0) of \(total) done"
                case .stopping: doing = "stopping…"
                default: doing = "building…"
                }
            }
            lines.append(StyledLine("  ▸ " + name(current.lesson), TextStyle(.accent)) + StyledLine(doing, TextStyle(.muted)))
        }
        for waiting in check.waiting {
            lines.append(StyledLine("    " + name(waiting) + "waiting", TextStyle(.muted)))
        }
        if check.stopped { lines.append(StyledLine("  Stopped. Press t to test them again.", TextStyle(.muted))) }
        return lines.map { $0.truncated(to: width) }
    }

    static func idleHint(_ milestone: Course.Milestone, state: AppState) -> String {
        if let needs = MilestoneUpdate.lockedNeeds(milestone, state) {
            return "Locked: pass \(LessonNumbers.phrase(needs)) first. Solved \(needs.count == 1 ? "it" : "them") already? "
                + "Press t to test \(needs.count == 1 ? "it" : "them") here."
        }
        if let blocker = MilestoneUpdate.blocker(milestone, state) { return blocker }
        if state.milestoneCommand != nil { return "Press ⏎ to run the test program. The charts draw as it reports epochs." }
        return "Press ⏎ to build the milestone with your code (in release mode) and train it. The charts draw as it learns."
    }

    /// "Epoch 5 of 8  ███▌░░  62% · training 2.3 s · about 1.4 s left · build 12.0 s": training
    /// time counts from the program's start, not from the release build before it.
    static func progressLine(_ run: MilestoneRun, state: AppState, width: Int) -> StyledLine {
        let end = run.finished ?? state.now
        let trainingStart = run.clock?.started ?? run.started
        let elapsed = Chrome.seconds(end.timeIntervalSince(run.building ? run.started : trainingStart))
        if run.building && run.points.isEmpty {
            var line = StyledLine("Building in release mode with your lessons… \(elapsed)", TextStyle(.accent))
            line.append("  (the first build takes a minute or two; later ones seconds)", TextStyle(.muted))
            return line
        }
        let done = run.clock?.epochsDone ?? 0
        guard let epochs = run.clock?.epochs, let fraction = run.clock?.fraction else {
            return StyledLine(done == 0 ? "Starting… \(elapsed)" : "Epoch \(done) · \(elapsed)", TextStyle(bold: true))
        }
        var line = StyledLine("Epoch \(done) of \(epochs)  ", TextStyle(bold: true))
        line.append(ProgressBar.line(fraction, width: max(10, min(40, width - 60))))
        line.append(String(format: "  %3d%%", Int((fraction * 100).rounded())))
        line.append("  ·  training \(elapsed)", TextStyle(.muted))
        if run.finished == nil, let left = run.clock?.secondsLeft(now: state.now) {
            line.append("  ·  about \(Chrome.seconds(left)) left", TextStyle(.muted))
        }
        if let build = run.buildSeconds { line.append("  ·  build \(Chrome.seconds(build))", TextStyle(.muted)) }
        return line
    }

    /// Loss and accuracy charts, side by side when there is room, else one above the other.
    static func chartLines(_ run: MilestoneRun, width: Int, height: Int) -> [StyledLine] {
        let losses = run.points.map { $0.loss ?? .nan }
        let accuracies = run.points.map { ($0.accuracy ?? .nan) * 100 }
        let validationLosses = run.points.map { $0.validationLoss ?? .nan }
        let hasLoss = losses.contains(where: \.isFinite)
        let hasAccuracy = accuracies.contains(where: \.isFinite)
        // A language model's second chart is its loss on held-out text (what its goal is about),
        // in place of the accuracy.
        let hasValidationLoss = validationLosses.contains(where: \.isFinite)
        guard hasLoss || hasAccuracy || hasValidationLoss, height >= 6 else { return [] }
        let formatLoss = { (value: Double) in String(format: value < 10 ? "%.3f" : "%.1f", value) }
        let formatPercent = { (value: Double) in String(format: "%.1f%%", value) }
        var charts: [(String, [Double], (Double) -> String, TextStyle)] = []
        if hasLoss { charts.append((hasValidationLoss ? "Training loss" : "Loss", losses, formatLoss, TextStyle(.warning))) }
        if hasValidationLoss {
            charts.append(("Validation loss", validationLosses, formatLoss, TextStyle(.success)))
        } else if hasAccuracy {
            charts.append(("Accuracy", accuracies, formatPercent, TextStyle(.success)))
        }
        let sideBySide = charts.count == 2 && width >= 70
        let plotRows: Int
        if sideBySide || charts.count == 1 {
            plotRows = min(12, height - 3)
        } else {
            plotRows = min(10, (height - 7) / 2)
        }
        guard plotRows >= 3 else { return [] }
        let chartWidth = sideBySide ? (width - 4) / 2 : min(width, 100)
        let drawn = charts.map { title, values, format, style in
            LineChart.framed(title: title, values: values, slots: run.clock?.epochs, width: chartWidth, height: plotRows,
                             format: format, xLabel: "epoch", style: style)
        }
        if sideBySide {
            return zip(drawn[0], drawn[1]).map { left, right in left.fitted(to: chartWidth + 4) + right }
        }
        return drawn.enumerated().flatMap { index, lines in index == 0 ? lines : [StyledLine.empty] + lines }
    }

    static func outcomeLines(_ run: MilestoneRun, milestone: Course.Milestone, state: AppState, width: Int) -> [StyledLine] {
        guard let outcome = run.outcome else { return [] }
        var out: [StyledLine] = []
        if outcome.stopped {
            out += Wrap.wrap("Stopped before it finished. Press ⏎ to run it again.", width: width, style: TextStyle(.warning, bold: true))
            return out
        }
        if let result = outcome.result {
            if result.achieved {
                out += Wrap.wrap("✓ Goal met: \(result.summary). Saved to your progress.", width: width, style: TextStyle(.success, bold: true))
            } else {
                out += Wrap.wrap("✗ Not yet: \(result.summary) — the goal is \(milestone.goal). Saved as your latest attempt.",
                                 width: width, style: TextStyle(.warning, bold: true))
            }
        }
        if let problem = outcome.problem, !(outcome.result != nil && problem.isEmpty) {
            out += Wrap.wrap("✗ The run failed: \(problem)", width: width, style: TextStyle(.failure, bold: true))
            for error in outcome.compileErrors.prefix(2) {
                out += Wrap.wrap("\(error.file):\(error.line): \(error.message)", width: width, indent: 2)
            }
        }
        return out
    }
}
