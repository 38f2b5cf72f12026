// Provided: you do not need to change this file.
//
// `print(tensor)` shows the shape and the numbers as nested lists, as NumPy and PyTorch do:
//
//     Tensor(shape: [2, 3], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
//
// Bigger tensors get one row per line, numbers aligned; tensors of more than 1000 numbers show the
// first and last three entries along each long axis, with "..." between. It reads only `shape`,
// `data` and `requiresGrad`, so you can print tensors while your lesson is half written.

extension Tensor: CustomStringConvertible {
    public var description: String {
        TensorFormatter(shape: shape, data: data).text(requiresGrad: requiresGrad)
    }
}

/// Formats `data` as nested lists in the layout `shape` gives it.
private struct TensorFormatter {
    /// Tensors with more values than this are summarized (NumPy's default threshold).
    static let summaryThreshold = 1000
    /// Entries kept at each end of a long axis when summarizing.
    static let edgeItems = 3
    /// Longest line before rows go on lines of their own (the course's column limit).
    static let lineWidth = 100

    let shape: [Int]
    let data: [Float]

    func text(requiresGrad: Bool) -> String {
        let suffix = requiresGrad ? ", requiresGrad: true)" : ")"
        let prefix = "Tensor(shape: \(shape), "
        let expectedCount = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), data.count == expectedCount else {
            return prefix + "data: \(data.count) values — the shape needs \(expectedCount)" + suffix
        }
        if shape.isEmpty {
            return prefix + "\(data[0])" + suffix
        }

        let summarize = data.count > Self.summaryThreshold
        let oneLine = nested(axis: 0, offset: 0, summarize: summarize, layout: nil)
        if prefix.count + oneLine.count + suffix.count <= Self.lineWidth {
            return prefix + oneLine + suffix
        }
        let width = visibleIndices(summarize: summarize)
            .map { "\(data[$0])".count }
            .max() ?? 0
        let layout = Layout(firstColumn: prefix.count, numberWidth: width)
        return prefix + nested(axis: 0, offset: 0, summarize: summarize, layout: layout) + suffix
    }

    /// Where multi-line output puts things: the column of the outermost "[" and the width every
    /// number is right-aligned to.
    struct Layout {
        let firstColumn: Int
        let numberWidth: Int
    }

    /// Row-major strides of `shape`: how far apart in `data` consecutive entries of each axis are.
    private var strides: [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) {
            strides[axis] = strides[axis + 1] * shape[axis + 1]
        }
        return strides
    }

    /// The entries of an axis of `size` to show; `nil` stands for the elided middle ("...").
    private func shownEntries(size: Int, summarize: Bool) -> [Int?] {
        if summarize && size > 2 * Self.edgeItems {
            return Array(0..<Self.edgeItems) + [nil] + Array((size - Self.edgeItems)..<size)
        }
        return Array(0..<size)
    }

    /// The flat indices of every number that will be printed.
    private func visibleIndices(summarize: Bool) -> [Int] {
        let strides = self.strides
        var offsets = [0]
        for axis in shape.indices {
            let entries = shownEntries(size: shape[axis], summarize: summarize).compactMap { $0 }
            offsets = offsets.flatMap { offset in entries.map { offset + $0 * strides[axis] } }
        }
        return offsets
    }

    /// The nested list for the sub-tensor starting at `offset` in `data`, from `axis` inward.
    /// Without a layout everything goes on one line.
    private func nested(axis: Int, offset: Int, summarize: Bool, layout: Layout?) -> String {
        let entries = shownEntries(size: shape[axis], summarize: summarize)
        let stride = strides[axis]
        let isLastAxis = axis == shape.count - 1

        let items: [String] = entries.map { entry in
            guard let entry else { return "..." }
            if isLastAxis {
                let number = "\(data[offset + entry * stride])"
                guard let layout else { return number }
                return String(repeating: " ", count: layout.numberWidth - number.count) + number
            }
            return nested(axis: axis + 1, offset: offset + entry * stride,
                          summarize: summarize, layout: layout)
        }
        guard let layout else {
            return "[" + items.joined(separator: ", ") + "]"
        }

        // The column right after this list's "[", where its items line up.
        let itemColumn = layout.firstColumn + axis + 1
        let indent = String(repeating: " ", count: itemColumn)
        if !isLastAxis {
            // Rows on lines of their own; one blank line between planes, two between blocks, …
            let gap = String(repeating: "\n", count: shape.count - axis - 1)
            return "[" + items.joined(separator: "," + gap + indent) + "]"
        }
        // Numbers fill each line up to the line width, then wrap under the first one.
        var text = "["
        var column = itemColumn
        for (index, item) in items.enumerated() {
            let piece = index == 0 ? item : ", " + item
            if index > 0 && column + piece.count + 2 > Self.lineWidth {
                text += ",\n" + indent + item
                column = itemColumn + item.count
            } else {
                text += piece
                column += piece.count
            }
        }
        return text + "]"
    }
}
