// Lesson 07, file 6 of 6: reading a table of numbers from a CSV file, for the train → save →
// predict example (Example/main.swift).
//
//     hour,temperature,humidity,weekday,rentals      line 1: the header, one name per column
//     8,21.5,40,1,412                                line 2: the first row
//     17,25.0,35,4,388                               …
//
// A CSV file comes from outside — a spreadsheet, a database dump, a colleague — so, like the
// safetensors reader, this reader trusts nothing: a bad row is an error that names its line.
//
// `CSVTable`'s stored properties and initializer are given; write `parseCSV`, then
// `tensor(columns:)` and `readCSV`. The errors are `CSVError` (given, in Provided/).

import Foundation  // URL, Data and trimming spaces
import TinyTorchTensor

/// A table of numbers read from a CSV file: named columns, and rows of one number per column.
public struct CSVTable: Equatable {
    /// The file the table came from, for messages.
    public let name: String
    /// The column names, from the header row, in order.
    public let columns: [String]
    /// The rows, in file order; each holds one number per column.
    public let rows: [[Float]]

    public init(name: String, columns: [String], rows: [[Float]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// The named columns as a `[rows.count, names.count]` tensor: row `i` holds row `i`'s values
    /// of those columns, in the order of `names` (which need not be the file's order). Throws
    /// `CSVError.unknownColumn` for a name not in `columns`.
    ///
    ///     // columns ["a", "b", "c"], rows [[1, 2, 3], [4, 5, 6]]
    ///     try table.tensor(columns: ["c", "a"])     // [[3, 1], [6, 4]], shape [2, 2]
    public func tensor(columns names: [String]) throws -> Tensor {
        todo("TODO(lesson 07): implement CSVTable.tensor(columns:)")
    }
}

/// Parses CSV text of numbers: a header row of column names, then rows of numbers.
///
/// The rules, with `line` counting every line from 1 (what an editor shows):
///
/// - Lines end with any line break Swift's `Character.isNewline` knows: `\n`, `\r\n` (one
///   `Character` in Swift, so splitting on `"\n"` alone misses it) or a lone `\r`. Lines
///   holding only spaces are skipped, wherever they are.
/// - Fields are separated by commas, and spaces around a field are ignored. There are no quotes.
/// - The first line that is not blank is the header: its names must be non-empty and all
///   different (`CSVError.invalidHeader`, naming the column). A byte-order mark (U+FEFF), which
///   spreadsheet programs put at the very start, is dropped.
/// - Every later line has as many fields as the header (`wrongFieldCount`), and every field is
///   a finite number, as `Float(_:)` reads it (`notANumber`, naming the line and the column).
/// - No header at all: `empty`. A header and no rows is a table of 0 rows.
///
/// `name` is the file name, for the messages.
///
///     try parseCSV("a, b\n1, 2\n3, 4\n", name: "t.csv")
///     // CSVTable(name: "t.csv", columns: ["a", "b"], rows: [[1, 2], [3, 4]])
///     try parseCSV("a,b\n1,2\n3,x\n", name: "t.csv")
///     // throws CSVError.notANumber(file: "t.csv", line: 3, column: "b", field: "x")
public func parseCSV(_ text: String, name: String) throws -> CSVTable {
    todo("TODO(lesson 07): implement parseCSV(_:name:)")
}

/// Reads the CSV file at `url` with `parseCSV`, the file's name in the messages. Throws
/// `CSVError.fileNotFound` or `.unreadable` if the file cannot be read. Bytes that are not UTF-8
/// become U+FFFD (�), which `parseCSV` then reports as not a number, with its line.
public func readCSV(_ url: URL) throws -> CSVTable {
    todo("TODO(lesson 07): implement readCSV(_:)")
}
