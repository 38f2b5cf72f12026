import Foundation

/// What `tutor inspect` prints about a safetensors file: a table for people, or one JSON document
/// for scripts. Both come from a `SafetensorsHeader`; no data is read.
public enum SafetensorsText {
    /// How many layout problems the text lists before it counts the rest.
    static let problemsShown = 20

    /// The header as text:
    ///
    ///     model.safetensors — 1,160 bytes: an 8-byte length, 152 bytes of header, 1,000 of data
    ///     metadata
    ///       format  pt
    ///     name    dtype  shape      elements  data_offsets   bytes
    ///     bias    F32    [4]               4  [0, 16)           16
    ///     weight  BF16*  [2, 3]            6  [16, 28)          12
    ///     2 tensors                       10                    28
    ///     * not a dtype the course computes with: …
    public static func text(_ header: SafetensorsHeader, name: String, style: Style) -> String {
        var lines: [String] = []
        lines.append(style.bold(printable(name)) + " — \(groupedDigits(header.fileSize)) bytes: an 8-byte length, "
                     + "\(groupedDigits(header.headerSize)) bytes of header, \(groupedDigits(header.dataSize)) of data "
                     + "(from byte \(groupedDigits(header.dataStart)))")
        if let metadata = header.metadata, !metadata.isEmpty {
            lines.append("metadata")
            let keys = metadata.keys.sorted()
            let width = keys.map { printable($0).count }.max() ?? 0
            for key in keys {
                lines.append("  " + pad(printable(key), width) + "  " + printable(metadata[key] ?? ""))
            }
        } else {
            lines.append("metadata: none")
        }

        let foreign = Set(header.tensors.map(\.dtype).filter { !$0.courseReads })
        var rows = [["name", "dtype", "shape", "elements", "data_offsets", "bytes"]]
        for tensor in header.tensors {
            rows.append([printable(tensor.name), tensor.dtype.rawValue + (tensor.dtype.courseReads ? "" : "*"),
                         "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]", groupedDigits(tensor.elements), "[\(tensor.begin), \(tensor.end))",
                         groupedDigits(tensor.byteCount)])
        }
        let count = header.tensors.count
        rows.append(["\(groupedDigits(count)) tensor\(count == 1 ? "" : "s")", "", "", groupedDigits(header.totalElements), "",
                     groupedDigits(header.totalBytes)])
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [3, 5]
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, cell in
                rightAligned.contains(column) ? padLeft(cell, widths[column]) : pad(cell, widths[column])
            }
            let line = cells.joined(separator: "  ")  // the last column is right-aligned: no trailing spaces
            lines.append(index == 0 || index == rows.count - 1 ? style.dim(line) : line)
        }
        if !foreign.isEmpty {
            let names = foreign.map(\.rawValue).sorted().joined(separator: ", ")
            lines.append("* \(names): not a dtype the course computes with — its reader (lesson 07) takes F32 and F64; "
                         + "convert first (in PyTorch, tensor.float())")
        }

        if header.problems.isEmpty {
            lines.append(style.green("✓ a valid safetensors file: every tensor's bytes are where its header says, "
                                     + "and together they fill the data section"))
        } else {
            let count = header.problems.count
            lines.append(style.red("✗ not a valid safetensors file: \(count) problem\(count == 1 ? "" : "s") with the layout"))
            for problem in header.problems.prefix(problemsShown) { lines.append("  " + printable(problem.description)) }
            if count > problemsShown { lines.append("  … and \(groupedDigits(count - problemsShown)) more") }
        }
        return lines.joined(separator: "\n")
    }

    /// `tutor inspect --json`.
    public struct Document: Encodable, Equatable {
        public struct Tensor: Encodable, Equatable {
            public var name: String
            public var dtype: String
            public var shape: [Int]
            public var elements: Int
            /// `[begin, end]`, as in the header: bytes `begin..<end` of the data section.
            public var dataOffsets: [Int]
            public var bytes: Int
            /// Whether the course's reader (lesson 07) reads this dtype (F32, F64).
            public var courseReads: Bool
        }
        public struct Totals: Encodable, Equatable {
            public var tensors: Int
            public var elements: Int
            public var bytes: Int
        }
        public var file: String
        public var fileSize: Int
        public var headerSize: Int
        public var dataStart: Int
        public var dataSize: Int
        public var metadata: [String: String]?
        public var tensors: [Tensor]
        public var totals: Totals
        /// The dtypes in the file that the course does not compute with, sorted.
        public var dtypesTheCourseCannotRead: [String]
        public var valid: Bool
        public var problems: [String]
    }

    /// `tutor inspect --json` for a file that is not a safetensors file.
    public struct ErrorDocument: Encodable, Equatable {
        public var file: String
        public var valid = false
        public var error: String

        public init(file: String, error: String) {
            self.file = file
            self.error = error
        }
    }

    public static func document(_ header: SafetensorsHeader, file: String) -> Document {
        Document(
            file: file, fileSize: header.fileSize, headerSize: header.headerSize, dataStart: header.dataStart,
            dataSize: header.dataSize, metadata: header.metadata,
            tensors: header.tensors.map {
                Document.Tensor(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, elements: $0.elements,
                                dataOffsets: [$0.begin, $0.end], bytes: $0.byteCount, courseReads: $0.dtype.courseReads)
            },
            totals: Document.Totals(tensors: header.tensors.count, elements: header.totalElements,
                                    bytes: header.totalBytes),
            dtypesTheCourseCannotRead: Set(header.tensors.map(\.dtype).filter { !$0.courseReads }).map(\.rawValue).sorted(),
            valid: header.problems.isEmpty, problems: header.problems.map(\.description))
    }

    /// `text` with control characters escaped (`\n`, `\u001b`): names and metadata come from the
    /// file, and a terminal must not obey an escape sequence hidden in one.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where isControl(scalar): result += "\\u" + String(format: "%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
