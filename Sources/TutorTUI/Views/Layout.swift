/// Where things go on the screen, as pure functions of the size: shared by `render` (to draw)
/// and `update` (to wrap text and page through it by the same amounts).
public enum Layout {
    /// Title row and the rule under it.
    static let headerRows = 2
    /// The status/message row and the key row.
    static let footerRows = 2
    /// Left and right margin of text.
    static let margin = 2
    /// Lesson text wider than this is hard to read; it is not stretched further.
    static let readingWidth = 100
    /// From this width on, the lesson text and the test results sit side by side.
    static let splitWidth = 140

    /// Rows between the header and the footer.
    static func contentHeight(_ size: Size) -> Int { max(0, size.height - headerRows - footerRows) }

    /// Whether the lesson view shows text and results side by side (else as two tabs).
    static func lessonIsSplit(_ size: Size) -> Bool { size.width >= splitWidth }

    /// Rows of a lesson pane (below the tab or title row).
    static func lessonPaneHeight(_ size: Size) -> Int { max(1, contentHeight(size) - 1) }

    /// Columns of the lesson text pane, and where it starts.
    static func lessonTextPane(_ size: Size) -> (column: Int, width: Int) {
        if lessonIsSplit(size) {
            return (margin, min(readingWidth, size.width * 3 / 5 - margin))
        }
        return (margin, min(readingWidth, size.width - 2 * margin))
    }

    /// Columns of the results pane, and where it starts.
    static func lessonResultsPane(_ size: Size) -> (column: Int, width: Int) {
        if lessonIsSplit(size) {
            let text = lessonTextPane(size)
            let column = text.column + text.width + 3
            return (column, size.width - column - margin)
        }
        return (margin, size.width - 2 * margin)
    }
}
