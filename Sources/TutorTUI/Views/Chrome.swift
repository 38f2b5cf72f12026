import Foundation

/// The frame every screen shares: a title row with the status on the right, a rule, and at the
/// bottom a message row and the keys that work here.
enum Chrome {
    static let spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    static func spinner(since start: Date, now: Date) -> String {
        let frame = Int(max(0, now.timeIntervalSince(start)) * 10) % spinnerFrames.count
        return spinnerFrames[frame]
    }

    static func seconds(_ value: Double) -> String {
        value < 60 ? String(format: "%.1f s", value) : "\(Int(value) / 60) min \(Int(value) % 60) s"
    }

    static func header(_ title: StyledLine, status: StyledLine, on screen: inout Screen) {
        let width = screen.width
        let room = width - 2 - status.width - 2
        screen.write(title.truncated(to: max(0, room)), row: 0, column: 1)
        screen.write(status, row: 0, column: max(1, width - 1 - status.width))
        screen.fill(row: 1, column: 0, columns: width, with: "─", style: TextStyle(.muted))
    }

    /// `keys`: (key, what it does), most important first; as many as fit are shown.
    static func footer(keys: [(String, String)], state: AppState, on screen: inout Screen) {
        let width = screen.width
        let row = screen.height - 1
        if let message = state.message {
            let marker: String
            switch message.tone {
            case .success: marker = "✓ "
            case .failure: marker = "✗ "
            case .warning: marker = "! "
            default: marker = "› "
            }
            let text = StyledLine(marker + message.text, TextStyle(message.tone == .normal ? .accent : message.tone, bold: true))
            screen.write(text.truncated(to: width - 2), row: row - 1, column: 1)
        } else {
            screen.fill(row: row - 1, column: 0, columns: width, with: "─", style: TextStyle(.muted))
        }
        var line = StyledLine()
        for (key, action) in keys {
            var item = StyledLine(key, TextStyle(.accent, bold: true))
            item.append(" " + action)
            let gap = line.isEmpty ? 0 : 3
            if line.width + gap + item.width > width - 2 { break }
            if gap > 0 { line.append("   ") }
            line.append(item)
        }
        screen.write(line, row: row, column: 1)
    }

    /// What is running, for the right of the title row (empty when nothing runs).
    static func activityStatus(_ state: AppState) -> StyledLine {
        guard let activity = state.activity else { return .empty }
        let elapsed = seconds(state.now.timeIntervalSince(activity.started))
        var text: String
        switch (activity.kind, activity.phase) {
        case (_, .stopping):
            text = "Stopping…"
        case (.tests, .building):
            text = "Building your code… \(elapsed)"
        case (.tests(let number), .running(let total)):
            let done = state.lessons[number]?.live.count ?? 0
            text = "Running tests \(done)/\(total) · \(elapsed)"
        case (.milestone, .building):
            text = "Building the milestone (release)… \(elapsed)"
        case (.milestone(let slug), .running):
            // Training time, from the program's start: the release build before it is not training.
            let start = state.milestones[slug]?.run?.clock?.started ?? activity.started
            text = "Training · \(seconds(state.now.timeIntervalSince(start)))"
        }
        if let trigger = activity.trigger, activity.phase == .building { text = "\(trigger) · " + text }
        var line = StyledLine(spinner(since: activity.started, now: state.now) + " ", TextStyle(.accent, bold: true))
        line.append(text, TextStyle(.accent))
        return line
    }

    /// Draws `lines` from `scroll` into a rectangle, with a scroll indicator in the last column
    /// when they do not all fit.
    static func scrolled(_ lines: [StyledLine], scroll: Int, row: Int, column: Int, width: Int, height: Int,
                         on screen: inout Screen) {
        guard height > 0, width > 0 else { return }
        let top = min(scroll, max(0, lines.count - height))
        for index in 0..<height where top + index < lines.count {
            screen.write(lines[top + index], row: row + index, column: column, limit: width)
        }
        guard lines.count > height else { return }
        // A thumb on a track, in the column right of the text.
        let track = column + width + 1
        guard track < screen.width else { return }
        let thumbSize = max(1, height * height / lines.count)
        let thumbTop = (height - thumbSize) * top / max(1, lines.count - height)
        for index in 0..<height {
            let inThumb = index >= thumbTop && index < thumbTop + thumbSize
            screen.write(inThumb ? "┃" : "│", row: row + index, column: track, style: TextStyle(inThumb ? .accent : .muted))
        }
    }
}
