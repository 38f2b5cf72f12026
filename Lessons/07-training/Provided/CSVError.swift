// Lesson 07: the errors a CSV file can cause (given — read it; you do not need to change it).

import Foundation

/// What can go wrong when reading a CSV file of numbers. Given: read it, you do not need to
/// change it.
///
/// Messages name the file and, for a bad row, the line (counting from 1, the header included, as
/// an editor does), so that you can jump straight to it:
///
///     bikes.csv, line 7, column "humidity": "n/a" is not a number
public enum CSVError: Error, CustomStringConvertible, Equatable, LocalizedError {
    /// The file does not exist.
    case fileNotFound(file: String, directory: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file holds no header row: it is empty, or only blank lines.
    case empty(file: String)
    /// The header row (on line `line`) is not a list of distinct, non-empty column names.
    case invalidHeader(file: String, line: Int, reason: String)
    /// A row has `found` fields where the header has `expected` columns.
    case wrongFieldCount(file: String, line: Int, expected: Int, found: Int)
    /// A field is not a finite number (`field` is the text, after trimming spaces).
    case notANumber(file: String, line: Int, column: String, field: String)
    /// A column asked for by name is not in the header. `available`: the header's names.
    case unknownColumn(file: String, name: String, available: [String])

    public var description: String {
        switch self {
        case let .fileNotFound(file, directory):
            return "\(file): no such file in \(directory) — check the path"
        case let .unreadable(file, reason):
            return "\(file): the file cannot be read (\(reason))"
        case let .empty(file):
            return "\(file): the file has no header row — a CSV starts with a line of column "
                + "names, such as hour,temperature,humidity,weekday,rentals"
        case let .invalidHeader(file, line, reason):
            return "\(file), line \(line) (the header): \(reason)"
        case let .wrongFieldCount(file, line, expected, found):
            return "\(file), line \(line): \(found) field\(found == 1 ? "" : "s"), but the header "
                + "has \(expected) columns — a missing or extra comma?"
        case let .notANumber(file, line, column, field):
            let what = field.isEmpty ? "the field is empty" : "\"\(field)\" is not a number"
            return "\(file), line \(line), column \"\(column)\": \(what) — every field must be a "
                + "finite number such as 12 or -0.5"
        case let .unknownColumn(file, name, available):
            return "\(file): no column \"\(name)\" — the columns are "
                + available.joined(separator: ", ")
        }
    }

    public var errorDescription: String? { description }
}
