/// Every key, by screen (`?`).
enum HelpView {
    static func draw(scroll: Int, state: AppState, on screen: inout Screen) {
        let rect = OverlayView.box(state.size)
        let text = lines(width: rect.width - 5)
        OverlayView.frame(rect, title: "Keys", keys: (text.count > rect.height - 3 ? [("↑↓", "scroll")] : []) + [("esc", "close")],
                          on: &screen)
        Chrome.scrolled(text, scroll: scroll, row: rect.row + 1, column: rect.column + 2, width: rect.width - 5,
                        height: rect.height - 3, on: &screen)
    }

    static func lines(width: Int) -> [StyledLine] {
        let sections: [(String, [(String, String)])] = [
            ("Everywhere", [
                ("?", "this help"),
                ("q  Ctrl-C", "quit (your progress is saved as you go)"),
                ("esc  ⌫", "back; during a run, stop it"),
                ("↑↓  j k", "move or scroll"),
                ("PgUp PgDn  space", "a page up or down"),
                ("g  G", "top, bottom"),
            ]),
            ("Dashboard", [
                ("⏎  →  l", "open the selected lesson or milestone (any, any time)"),
                ("n", "select the next step"),
            ]),
            ("Lesson", [
                ("t", "build your code and run the lesson's tests"),
                ("w", "watch on/off: saving an exercise file runs the tests"),
                ("h", "the next hint (← → go back through those you saw)"),
                ("s", "the reference solution (asks first until you pass)"),
                ("r", "reset your files as shipped (asks; yours are backed up)"),
                ("tab  ← →", "switch between the lesson text and the tests"),
            ]),
            ("Milestone", [
                ("⏎", "build the milestone with your code and train it"),
                ("esc", "stop the run"),
            ]),
        ]
        var lines: [StyledLine] = []
        for (title, keys) in sections {
            if !lines.isEmpty { lines.append(.empty) }
            lines.append(StyledLine(title, TextStyle(bold: true)))
            for (key, action) in keys {
                let label = StyledLine("  " + key.fitted(to: 18), TextStyle(.accent, bold: true))
                lines += Wrap.wrap(StyledLine(action), width: width, firstPrefix: label, restPrefix: StyledLine(String(repeating: " ", count: 20)))
            }
        }
        return lines
    }
}
