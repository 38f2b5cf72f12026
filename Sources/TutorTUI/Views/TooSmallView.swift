/// Shown instead of the app when the terminal is below the minimum size.
enum TooSmallView {
    static func draw(_ size: Size, on screen: inout Screen) {
        let minimum = Size.minimum
        let paragraphs = [
            StyledLine("Terminal too small", TextStyle(.warning, bold: true)),
            StyledLine("The tutor needs at least \(minimum.width) × \(minimum.height); this one is \(size.width) × \(size.height)."),
            StyledLine("Make the window larger (or the font smaller)."),
            StyledLine("q quits", TextStyle(.muted)),
        ]
        var lines: [StyledLine] = []
        for (index, paragraph) in paragraphs.enumerated() {
            if index > 0 { lines.append(.empty) }
            lines += Wrap.wrap(paragraph, width: max(1, size.width - 2))
        }
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < size.height {
            screen.write(line, row: top + index, column: max(0, (size.width - line.width) / 2))
        }
    }
}
