// Lesson 01, file 3 of 7: reshape and transpose.
//
// Each operation first works out the shape of its result with a small throwing check
// (`reshapedShape`, `normalizedAxis`), called through `requireValidShape { try … }` so a bad shape
// stops the program with the check's message. Then it fills the data, and returns
//
//     Tensor(shape: outputShape, data: output, operation: SomeOp(…), inputs: [self])
//
// so that lesson 05 knows how the result was made (see Provided/Recording.swift).

/// The shape `shape` becomes when reshaped to `newShape`, with a `-1` in `newShape` replaced by
/// the size that keeps the number of elements the same.
///
/// Throws a `ShapeError` naming both shapes if more than one size is `-1`, if a size is below
/// `-1`, or if the element counts cannot match.
///
///     reshapedShape([2, 3], to: [3, -1]) == [3, 2]
///     reshapedShape([4, 28, 28], to: [4, -1]) == [4, 784]
///     reshapedShape([2, 3], to: [4, 2])   // throws "reshaped: [2, 3] (6 elements) to [4, 2]
///                                         //   (8 elements) — the number of elements must stay
///                                         //   the same"
public func reshapedShape(_ shape: [Int], to newShape: [Int]) throws -> [Int] {
    todo("TODO(lesson 01): implement reshapedShape(_:to:)")
}

/// `axis` as a position in `0..<shape.count`: negative axes count from the end, so `-1` is the
/// last axis and `-shape.count` the first.
///
/// Throws a `ShapeError` naming the axis and the shape if it is out of range (a scalar, shape
/// `[]`, has no axes at all).
///
///     normalizedAxis(-1, in: [2, 3]) == 1
///     normalizedAxis(2, in: [2, 3])   // throws "axis 2 is out of range for shape [2, 3]: use
///                                     //   0...1, or -2...-1 to count from the end"
public func normalizedAxis(_ axis: Int, in shape: [Int]) throws -> Int {
    todo("TODO(lesson 01): implement normalizedAxis(_:in:)")
}

extension Tensor {
    /// The same elements, in the same row-major order, read with a different shape. One size may
    /// be `-1`: it is inferred from the others (`reshapedShape`).
    ///
    /// Shape: `shape` → `newShape` (same count). Records `ReshapeOp(inputShape: shape)`.
    ///
    ///     Tensor([1, 2, 3, 4, 5, 6]).reshaped(to: [2, 3])    // [[1, 2, 3], [4, 5, 6]]
    ///     Tensor.zeros([4, 28, 28]).reshaped(to: [4, -1])    // shape [4, 784]
    public func reshaped(to newShape: [Int]) -> Tensor {
        todo("TODO(lesson 01): implement reshaped(to:)")
    }

    /// Swaps the last two axes: a matrix becomes its transpose, and a batch of matrices becomes
    /// the batch of their transposes. Needs rank ≥ 2 (`require`, naming the shape).
    ///
    /// Shape: `[…, n, m]` → `[…, m, n]`. Records `TransposeOp(axis0: rank - 2, axis1: rank - 1)`.
    ///
    ///     Tensor([[1, 2, 3], [4, 5, 6]]).transposed()   // [[1, 4], [2, 5], [3, 6]]
    public func transposed() -> Tensor {
        todo("TODO(lesson 01): implement transposed()")
    }

    /// Swaps two axes; negative axes count from the end (`normalizedAxis`).
    ///
    /// Element `[…, i, …, j, …]` of the result (i on `axis0`, j on `axis1`) is element
    /// `[…, j, …, i, …]` of `self`. Shape: the sizes of the two axes swap. Records
    /// `TransposeOp(axis0:axis1:)` with the normalized (non-negative) axes.
    ///
    ///     Tensor.zeros([2, 3, 4]).transposed(0, 2).shape == [4, 3, 2]
    ///     Tensor.zeros([2, 3, 4]).transposed(0, -1).shape == [4, 3, 2]
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        todo("TODO(lesson 01): implement transposed(_:_:)")
    }
}
