/// What `render` produces: a grid of cells, each a character and its style. No ncurses here —
/// tests compare `text` (or `lines`) with literal expected screens, and the terminal adapter
/// draws the cells.
public struct Screen: Equatable, Sendable {
    public struct Cell: Equatable, Sendable {
        /// One grapheme, or "" for the second column of a wide character.
        public var text: String
        public var style: TextStyle

        public static let blank = Cell(text: " ", style: .plain)
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes `line` at (`row`, `column`), clipped to `limit` columns (default: to the right edge).
    /// Returns the number of columns written.
    @discardableResult
    public mutating func write(_ line: StyledLine, row: Int, column: Int, limit: Int? = nil) -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let end = min(width, column + (limit ?? width))
        var x = column
        for span in line.spans {
            for character in span.text {
                let columns = character.terminalWidth
                if columns == 0 {
                    // A combining mark or control character: attach combining marks to the
                    // previous cell, drop the rest.
                    if x > column, x - 1 >= 0, x - 1 < width, character.unicodeScalars.allSatisfy({ $0.value >= 0x300 }) {
                        cells[row * width + x - 1].text.append(character)
                    }
                    continue
                }
                if x + columns > end { return x - column }
                if x >= 0 {
                    cells[row * width + x] = Cell(text: String(character), style: span.style)
                    if columns == 2 { cells[row * width + x + 1] = Cell(text: "", style: span.style) }
                }
                x += columns
            }
        }
        return x - column
    }

    @discardableResult
    public mutating func write(_ text: String, row: Int, column: Int, style: TextStyle = .plain, limit: Int? = nil) -> Int {
        write(StyledLine(text, style), row: row, column: column, limit: limit)
    }

    /// Fills `columns` cells from (`row`, `column`) with `character` in `style`.
    public mutating func fill(row: Int, column: Int, columns: Int, with character: Character = " ", style: TextStyle = .plain) {
        guard row >= 0, row < height else { return }
        for x in max(0, column)..<max(max(0, column), min(width, column + columns)) {
            cells[row * width + x] = Cell(text: String(character), style: style)
        }
    }

    /// Changes the style of a run of cells (a selection bar), keeping their text.
    public mutating func restyle(row: Int, column: Int, columns: Int, _ change: (TextStyle) -> TextStyle) {
        guard row >= 0, row < height else { return }
        for x in max(0, column)..<max(max(0, column), min(width, column + columns)) {
            cells[row * width + x].style = change(cells[row * width + x].style)
        }
    }

    /// The text of each row, trailing spaces removed.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width { line += cells[row * width + column].text }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole screen as text, one row per line, trailing blank rows kept (so a test sees size).
    public var text: String { lines.joined(separator: "\n") }

    /// The cells of a row with their styles, merged into spans (for tests of styling).
    public func spans(row: Int) -> [Span] {
        var line = StyledLine()
        for column in 0..<width {
            let cell = cells[row * width + column]
            line.append(cell.text, cell.style)
        }
        return line.spans
    }
}
