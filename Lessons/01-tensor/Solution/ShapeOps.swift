/// The shape `shape` becomes when reshaped to `newShape`, with a `-1` in `newShape` replaced by
/// the size that keeps the number of elements the same.
///
/// At most one size may be `-1`; the others must be 0 or more, and the element counts must match.
///
/// `reshapedShape([2, 3], to: [3, -1]) == [3, 2]`; `reshapedShape([2, 3], to: [4, 2])` throws
/// "reshaped: [2, 3] (6 elements) to [4, 2] (8 elements) — the number of elements must stay the
/// same".
public func reshapedShape(_ shape: [Int], to newShape: [Int]) throws -> [Int] {
    let count = shape.reduce(1, *)
    let prefix = "reshaped: \(shape) to \(newShape) —"
    let inferred = newShape.indices.filter { newShape[$0] == -1 }
    guard inferred.count <= 1 else {
        throw ShapeError("\(prefix) only one size can be -1")
    }
    guard newShape.allSatisfy({ $0 >= -1 }) else {
        throw ShapeError("\(prefix) sizes must be 0 or more (or -1, to have one inferred)")
    }
    let known = newShape.filter { $0 != -1 }.reduce(1, *)

    guard let unknown = inferred.first else {
        guard known == count else {
            throw ShapeError("reshaped: \(shape) (\(count) elements) to \(newShape) "
                + "(\(known) elements) — the number of elements must stay the same")
        }
        return newShape
    }
    guard known != 0 else {
        throw ShapeError("\(prefix) cannot infer the -1 when the other sizes multiply to 0")
    }
    guard count % known == 0 else {
        throw ShapeError("\(prefix) \(count) elements do not divide evenly by \(known), "
            + "the product of the other sizes")
    }
    var result = newShape
    result[unknown] = count / known
    return result
}

/// `axis` as a position in `0..<shape.count`: negative axes count from the end, so `-1` is the
/// last axis.
///
/// `normalizedAxis(-1, in: [2, 3]) == 1`; `normalizedAxis(2, in: [2, 3])` throws
/// "axis 2 is out of range for shape [2, 3]: use 0...1, or -2...-1 to count from the end".
public func normalizedAxis(_ axis: Int, in shape: [Int]) throws -> Int {
    let rank = shape.count
    guard rank > 0 else {
        throw ShapeError("axis \(axis) is out of range for shape []: a scalar has no axes")
    }
    guard (-rank..<rank).contains(axis) else {
        throw ShapeError("axis \(axis) is out of range for shape \(shape): "
            + "use 0...\(rank - 1), or -\(rank)...-1 to count from the end")
    }
    return axis < 0 ? axis + rank : axis
}

extension Tensor {
    /// The same elements, in the same row-major order, read with a different shape.
    ///
    /// One size may be `-1`: it is inferred from the others. Shape: `[a, b, …]` → `newShape`, with
    /// the same count.
    ///
    ///     Tensor([1, 2, 3, 4, 5, 6]).reshaped(to: [2, 3])    // [[1, 2, 3], [4, 5, 6]]
    ///     Tensor.zeros([4, 28, 28]).reshaped(to: [4, -1])    // shape [4, 784]
    public func reshaped(to newShape: [Int]) -> Tensor {
        let outputShape = requireValidShape { try reshapedShape(shape, to: newShape) }
        // Row-major order does not depend on the shape, so the data is reused as it is.
        return Tensor(shape: outputShape, data: data,
                      operation: ReshapeOp(inputShape: shape), inputs: [self])
    }

    /// Swaps the last two axes: a matrix becomes its transpose, and a batch of matrices becomes
    /// the batch of their transposes. Needs rank ≥ 2.
    ///
    /// Shape: `[…, n, m]` → `[…, m, n]`.  `Tensor([[1, 2, 3], [4, 5, 6]]).transposed()` is
    /// `[[1, 4], [2, 5], [3, 6]]`.
    public func transposed() -> Tensor {
        require(rank >= 2, "transposed() swaps the last two axes, but shape \(shape) has "
            + "only \(rank) (reshape a vector to [1, n] first)")
        return transposed(-2, -1)
    }

    /// Swaps two axes; negative axes count from the end (`-1` is the last).
    ///
    /// Element `[i₀, …, i_axis0, …, i_axis1, …]` of the result is element
    /// `[i₀, …, i_axis1, …, i_axis0, …]` of `self`. Shape: the sizes of the two axes swap.
    ///
    /// `Tensor.zeros([2, 3, 4]).transposed(0, 2).shape == [4, 3, 2]`
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        let first = requireValidShape { try normalizedAxis(axis0, in: shape) }
        let second = requireValidShape { try normalizedAxis(axis1, in: shape) }
        let operation = TransposeOp(axis0: first, axis1: second)
        guard first != second else {  // swapping an axis with itself changes nothing
            return Tensor(shape: shape, data: data, operation: operation, inputs: [self])
        }
        let (low, high) = (Swift.min(first, second), Swift.max(first, second))
        var outputShape = shape
        outputShape.swapAt(low, high)

        // View the input as five axes [outer, a, middle, b, inner], where a and b are the two
        // axes to swap and outer, middle and inner are the products of the sizes around them.
        // The output is [outer, b, middle, a, inner]: walk it in row-major order and read each
        // element from where it sits in the input.
        let outer = shape[..<low].reduce(1, *)
        let a = shape[low]
        let middle = shape[(low + 1)..<high].reduce(1, *)
        let b = shape[high]
        let inner = shape[(high + 1)...].reduce(1, *)

        var output = [Float](repeating: 0, count: data.count)
        if middle == 1 && inner == 1 {
            // The usual case, the last two axes of a batch of [a, b] matrices: a faster copy.
            transposeMatrices(data, into: &output, count: outer, rows: a, columns: b)
            return Tensor(shape: outputShape, data: output, operation: operation, inputs: [self])
        }
        data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var next = 0
                for o in 0..<outer {
                    for j in 0..<b {
                        for m in 0..<middle {
                            for i in 0..<a {
                                let start = (((o * a + i) * middle + m) * b + j) * inner
                                for k in 0..<inner {
                                    output[next] = input[start + k]
                                    next += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: outputShape, data: output, operation: operation, inputs: [self])
    }
}

/// Transposes `count` row-major `[rows, columns]` matrices from `input` into `output`.
///
/// Copying row by row reads `input` in order but writes `output` a whole column apart each time
/// (or the other way round), so every number costs a trip to a different cache line. Copying in
/// tiles of 16 × 16 keeps both sides within 16 lines of cache at a time: 3–4× faster for the
/// `[64, 784]` batches of the MNIST milestone, whose backward pass transposes them every step.
private func transposeMatrices(_ input: [Float], into output: inout [Float], count: Int, rows: Int, columns: Int) {
    guard !input.isEmpty else { return }  // an empty buffer has no address
    let tile = 16
    input.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
            for matrix in 0..<count {
                let source = input.baseAddress! + matrix * rows * columns
                let target = output.baseAddress! + matrix * rows * columns
                for firstRow in stride(from: 0, to: rows, by: tile) {
                    for firstColumn in stride(from: 0, to: columns, by: tile) {
                        let lastRow = Swift.min(firstRow + tile, rows)
                        for column in firstColumn..<Swift.min(firstColumn + tile, columns) {
                            var from = source + firstRow * columns + column  // [firstRow, column]
                            var to = target + column * rows + firstRow       // [column, firstRow]
                            for _ in firstRow..<lastRow {
                                to.pointee = from.pointee
                                to += 1
                                from += columns
                            }
                        }
                    }
                }
            }
        }
    }
}
