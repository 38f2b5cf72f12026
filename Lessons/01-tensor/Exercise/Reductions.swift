// Lesson 01, file 6 of 7: reductions — sum, mean and max, of everything or along one axis.
//
// A tip for this file: inside `extension Tensor`, a bare `max(a, b)` finds the method `max()`
// below, not the standard function. Write `Swift.max(a, b)` for the larger of two numbers.

/// The shape of a reduction (sum, mean, max) of a tensor of `shape` along `axis`: the axis is
/// removed, or kept with size 1 when `keepingDimensions` is true. Negative axes count from the
/// end; an axis out of range throws the `ShapeError` of `normalizedAxis`.
///
///     reducedShape([2, 3], alongAxis: 1, keepingDimensions: false) == [2]
///     reducedShape([2, 3], alongAxis: 1, keepingDimensions: true)  == [2, 1]
///     reducedShape([2, 3], alongAxis: -2, keepingDimensions: false) == [3]
public func reducedShape(
    _ shape: [Int], alongAxis axis: Int, keepingDimensions: Bool
) throws -> [Int] {
    todo("TODO(lesson 01): implement reducedShape(_:alongAxis:keepingDimensions:)")
}

extension Tensor {
    /// The sum of all elements, as a scalar tensor (shape `[]`).
    ///
    /// Add up in a `Double` and convert to `Float` once, at the end: a `Float` running total
    /// drifts, and stops growing altogether at 16,777,216 (the README's "Adding up many numbers").
    /// Records `SumOp(axis: nil, keepingDimensions: false, inputShape: shape)`.
    /// `Tensor([[1, 2], [3, 4]]).sum()` is `Tensor(10)`.
    public func sum() -> Tensor {
        todo("TODO(lesson 01): implement sum()")
    }

    /// Sums along one axis: `result[i, k] = Σ_j x[i, j, k]` for axis 1 of a rank-3 tensor.
    ///
    /// Shape: the axis is removed, or kept with size 1 if `keepingDimensions` (`reducedShape`).
    /// Keep the running totals in `Double`s, as in `sum()`: an axis can be long. Records
    /// `SumOp(axis:keepingDimensions:inputShape:)` with the normalized axis (never negative).
    /// With `x = Tensor([[1, 2, 3], [4, 5, 6]])`:
    ///
    ///     x.sum(alongAxis: 0)                           // [5, 7, 9]      shape [3]
    ///     x.sum(alongAxis: 1)                           // [6, 15]        shape [2]
    ///     x.sum(alongAxis: 1, keepingDimensions: true)  // [[6], [15]]    shape [2, 1]
    public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        todo("TODO(lesson 01): implement sum(alongAxis:keepingDimensions:)")
    }

    /// The mean of all elements, `sum / count`, as a scalar tensor (shape `[]`), the sum added up
    /// in a `Double`.
    ///
    /// Records `MeanOp(axis: nil, keepingDimensions: false, inputShape: shape)`.
    /// `Tensor([1, 2, 3, 6]).mean()` is `Tensor(3)`.
    public func mean() -> Tensor {
        todo("TODO(lesson 01): implement mean()")
    }

    /// The mean along one axis: the sum along it (in `Double`s) divided by its size.
    ///
    /// Shape: as `sum(alongAxis:keepingDimensions:)`. Records `MeanOp(…)` with the normalized axis.
    /// `Tensor([[1, 2, 3], [4, 5, 6]]).mean(alongAxis: 1)` is `[2, 5]`.
    public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        todo("TODO(lesson 01): implement mean(alongAxis:keepingDimensions:)")
    }

    /// The largest element, as a scalar tensor. `require` that the tensor is not empty.
    ///
    /// A NaN is larger than everything, as in PyTorch: `Tensor([1, .nan, -2]).max()` is NaN, with
    /// `argmax == [1]` (the first NaN, if there are several). `>` alone is false for every
    /// comparison with NaN, so it would let the NaN vanish and return 1.
    ///
    /// Records `MaxOp(axis: nil, keepingDimensions: false, inputShape: shape, argmax: [i])`, where
    /// `i` is the flat index in `data` of the largest element (the first, if several tie).
    /// `Tensor([[1, 5], [3, 2]]).max()` is `Tensor(5)`, with `argmax == [1]`.
    public func max() -> Tensor {
        todo("TODO(lesson 01): implement max()")
    }

    /// The largest element along one axis; the first one wins a tie, and a NaN wins over
    /// everything (the first NaN, if there are several), as in `max()`.
    ///
    /// Shape: as `sum(alongAxis:keepingDimensions:)`. Records `MaxOp(…)` with the normalized axis
    /// and `argmax`: for each element of the result, in row-major order, the flat index in `data`
    /// of the input element that won (lesson 05 sends the gradient there).
    ///
    ///     Tensor([[1, 5, 2], [7, 0, 7]]).max(alongAxis: 1)   // [5, 7], argmax [1, 3]
    ///     Tensor([[1, 5, 2], [7, 0, 7]]).max(alongAxis: 0)   // [7, 5, 7], argmax [3, 1, 5]
    ///     Tensor([[1, .nan, 2]]).max(alongAxis: 1)           // [nan], argmax [1]
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        todo("TODO(lesson 01): implement max(alongAxis:keepingDimensions:)")
    }
}
