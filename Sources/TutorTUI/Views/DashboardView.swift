import Foundation
import TutorCore

/// The course at a glance: overall progress, the next step, every lesson by phase and every
/// milestone with its state; details of the selected one on the right.
enum DashboardView {
    /// Rows above the list: the progress bar, the next step, a blank.
    static let topRows = 3

    static func listHeight(_ size: Size) -> Int { max(1, Layout.contentHeight(size) - topRows) }
    static func listWidth(_ size: Size) -> Int { min(64, max(46, size.width * 11 / 20)) }

    static func draw(_ state: AppState, on screen: inout Screen) {
        let size = state.size
        let status = state.status
        var title = StyledLine(state.course.title, TextStyle(.accent, bold: true))
        title.append("  ›  Dashboard", TextStyle(bold: true))
        Chrome.header(title, status: Chrome.activityStatus(state), on: &screen)

        // Progress and the next step.
        let counts = status.counts
        var progress = StyledLine(" Progress  ", TextStyle(bold: true))
        progress.append(ProgressBar.line(counts.written == 0 ? 0 : Double(counts.passed) / Double(counts.written), width: 16))
        progress.append("  " + counts.text)
        screen.write(progress, row: 2, column: 1)
        screen.write(nextStep(state), row: 3, column: 1)

        let rows = listRows(state, width: listWidth(size))
        let height = listHeight(size)
        let width = listWidth(size)
        let selectedRow = rows.firstIndex { $0.item != nil && $0.item == state.dashboardItems[safe: state.dashboard.selection] } ?? 0
        let top = rows.count <= height ? 0 : min(max(0, selectedRow - height / 3), rows.count - height)
        let firstRow = Layout.headerRows + topRows
        for index in 0..<height where top + index < rows.count {
            let row = rows[top + index]
            let y = firstRow + index
            screen.write(row.line, row: y, column: 1, limit: width)
            if top + index == selectedRow {
                screen.restyle(row: y, column: 1, columns: width) { $0.reversed() }
            }
        }
        for y in firstRow..<(firstRow + height) {
            screen.write("│", row: y, column: width + 2, style: TextStyle(.muted))
        }
        if rows.count > height {
            // The scroll bar sits on the separator.
            Chrome.scrolled(Array(repeating: StyledLine.empty, count: rows.count), scroll: top, row: firstRow, column: 1,
                            width: width, height: height, on: &screen)
        }
        let detailColumn = width + 4
        if let item = state.dashboardItems[safe: state.dashboard.selection] {
            let width = max(10, size.width - detailColumn - 2)
            var lines = details(item, state: state, width: width)
            if lines.count > height { lines = details(item, state: state, width: width, compact: true) }
            for (index, line) in lines.prefix(height).enumerated() {
                screen.write(line, row: firstRow + index, column: detailColumn)
            }
        }
        Chrome.footer(keys: [("↑↓", "move"), ("⏎", "open"), ("n", "next step"), ("?", "help"), ("q", "quit")],
                      state: state, on: &screen)
    }

    static func nextStep(_ state: AppState) -> StyledLine {
        var line = StyledLine(" Next      ", TextStyle(bold: true))
        switch state.nextItem {
        case .lesson(let number):
            guard let lesson = state.lesson(number) else { return line }
            let tracks = state.status.trackChoice(startingWith: lesson)
            if tracks.count > 1 {
                // After Phase 2: the vision and the language tracks, either first.
                let options = tracks.map { "\($0.track ?? $0.title) (\($0.id))" }.joined(separator: " or ")
                line.append("→ choose a track: \(options)", TextStyle(.accent, bold: true))
                line.append(" (n, ⏎)", TextStyle(.muted))
                return line
            }
            let verb = state.status.state(of: lesson) == .notStarted ? "start" : "finish"
            line.append("→ \(verb) lesson \(lesson.id) \(lesson.title)", TextStyle(.accent, bold: true))
        case .milestone(let slug):
            guard let milestone = state.milestone(slug) else { return line }
            line.append("→ run the \(milestone.year) milestone, \(milestone.title)", TextStyle(.accent, bold: true))
        }
        line.append(" (n selects it, ⏎ opens it)", TextStyle(.muted))
        return line
    }

    struct Row {
        var line: StyledLine
        var item: DashboardItem?
    }

    static func listRows(_ state: AppState, width: Int) -> [Row] {
        let status = state.status
        let next = state.nextItem
        var rows: [Row] = []
        for phase in state.course.phases {
            if !rows.isEmpty { rows.append(Row(line: .empty)) }
            var header = StyledLine("Phase \(phase.number) · \(phase.title)", TextStyle(bold: true))
            let tracks = state.course.tracks(inPhase: phase.number)
            if tracks.count > 1 { header.append(" · \(tracks.count) tracks", TextStyle(.muted)) }
            rows.append(Row(line: header))
            for lesson in state.course.lessons where lesson.phase == phase.number {
                var line = StyledLine(next == .lesson(lesson.number) ? " → " : "   ", TextStyle(.accent, bold: true))
                line.append("\(lesson.id) \(lesson.title)".fitted(to: 16))
                let unmet = status.unmetPrerequisites(of: lesson)
                if lesson.written, !unmet.isEmpty, status.state(of: lesson) == .notStarted {
                    // Not started, and the lessons it builds on do not pass yet: say which.
                    line.append(StyledLine("○ builds on \(LessonNumbers.list(unmet))"))
                } else {
                    line.append(lessonState(lesson, status: status))
                }
                rows.append(Row(line: line, item: .lesson(lesson.number)))
            }
        }
        rows.append(Row(line: .empty))
        rows.append(Row(line: StyledLine("Milestones", TextStyle(bold: true))))
        for milestone in state.course.milestones {
            var line = StyledLine(next == .milestone(milestone.slug) ? " → " : "   ", TextStyle(.accent, bold: true))
            line.append("\(milestone.year) \(milestone.title)".fitted(to: max(16, min(31, width - 25))))
            line.append(milestoneState(milestone, status: status))
            rows.append(Row(line: line, item: .milestone(milestone.slug)))
        }
        return rows
    }

    static func lessonState(_ lesson: Course.Lesson, status: CourseStatus) -> StyledLine {
        switch status.state(of: lesson) {
        case .passed: return StyledLine("✓ passed", TextStyle(.success, bold: true))
        case .inProgress(let passed, let total): return StyledLine("● \(passed)/\(total) tests pass", TextStyle(.warning))
        case .notStarted: return StyledLine("○ not started")
        case .coming: return StyledLine("· coming later", TextStyle(.muted))
        }
    }

    static func milestoneState(_ milestone: Course.Milestone, status: CourseStatus) -> StyledLine {
        switch status.state(of: milestone) {
        case .achieved(let best): return StyledLine("✓ " + (best ?? "achieved"), TextStyle(.success, bold: true))
        case .ready: return StyledLine("▶ ready to run", TextStyle(.accent, bold: true))
        case .locked(let needs): return StyledLine("locked · needs \(LessonNumbers.list(needs))", TextStyle(.warning))
        case .coming: return StyledLine("· coming later", TextStyle(.muted))
        }
    }

    /// `compact`: the exercise files on wrapped lines rather than one per line (short terminals).
    static func details(_ item: DashboardItem, state: AppState, width: Int, compact: Bool = false) -> [StyledLine] {
        let status = state.status
        var lines: [StyledLine] = []
        func field(_ name: String, _ value: StyledLine) {
            let label = StyledLine(name.fitted(to: 10), TextStyle(bold: true))
            lines += Wrap.wrap(value, width: width, firstPrefix: label, restPrefix: StyledLine(String(repeating: " ", count: 10)))
        }
        switch item {
        case .lesson(let number):
            guard let lesson = state.lesson(number) else { return [] }
            lines.append(StyledLine("Lesson \(lesson.id) · \(lesson.title)", TextStyle(.accent, bold: true)))
            if let phase = state.course.phases.first(where: { $0.number == lesson.phase }) {
                lines.append(StyledLine("Phase \(phase.number) · \(phase.title)", TextStyle(.muted)))
            }
            lines.append(.empty)
            lines += Wrap.wrap(lesson.summary, width: width)
            lines.append(.empty)
            field("Status", lessonState(lesson, status: status))
            if let track = lesson.track {
                let others = state.course.tracks(inPhase: lesson.phase).filter { $0 != track }
                field("Track", StyledLine("\(track)" + (others.isEmpty ? "" : " — or take \(others.joined(separator: ", ")) first, or both")))
            }
            let unmet = status.unmetPrerequisites(of: lesson)
            if !lesson.requires.isEmpty {
                let names = lesson.requires.compactMap(state.lesson).map { "\($0.id) \($0.title)" }.joined(separator: ", ")
                let note = !lesson.written || unmet.isEmpty || status.state(of: lesson) == .passed
                    ? "" : " (\(LessonNumbers.phrase(unmet)) not passed yet; you can open it anyway)"
                field("Builds on", StyledLine(names + note))
            }
            guard lesson.written else {
                lines += Wrap.wrap("Not written yet: it arrives in a later version of the course.", width: width, style: TextStyle(.muted))
                return lines
            }
            let entry = state.progress.lesson(lesson.id)
            if !entry.hintsSeen.isEmpty { field("Hints", StyledLine("\(entry.hintsSeen.count) seen")) }
            lines.append(.empty)
            lines += Wrap.wrap(StyledLine("Files to edit, in ", TextStyle(bold: true)) + StyledLine("Lessons/\(lesson.folder)/Exercise/"),
                               width: width)
            if compact {
                lines += Wrap.wrap(lesson.exercises.joined(separator: ", "), width: width, indent: 2)
            } else {
                for file in lesson.exercises { lines.append(StyledLine("  " + file).truncated(to: width)) }
            }
            lines.append(.empty)
            lines += Wrap.wrap("⏎ opens the lesson: read it, run its tests, get hints.", width: width, style: TextStyle(.muted))
        case .milestone(let slug):
            guard let milestone = state.milestone(slug) else { return [] }
            lines.append(StyledLine("\(milestone.year) · \(milestone.title)", TextStyle(.accent, bold: true)))
            lines += Wrap.wrap("Milestone \(milestone.number) · after \(LessonNumbers.phrase(state.course.lessonsNeeded(for: milestone)))", width: width,
                               style: TextStyle(.muted))
            lines.append(.empty)
            lines += Wrap.wrap(milestone.summary, width: width)
            lines.append(.empty)
            field("Goal", StyledLine(milestone.goal))
            field("Status", MilestoneView.stateText(milestone, state: state))
            lines.append(.empty)
            lines.append(StyledLine("⏎ opens the milestone.", TextStyle(.muted)))
        }
        return lines
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
