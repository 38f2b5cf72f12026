// Lesson 02, file 2 of 2: softmax and log-softmax along an axis, numerically stable.
//
// Both work on one *slice* at a time: the numbers that lie along the axis, with every other index
// fixed (a row of a matrix for axis 1, a column for axis 0). See the tensor as three axes
// [outer, size, inner] around the axis, as in lesson 01's reductions: outer is the product of the
// sizes before the axis, inner of those after it, and element [o, k, i] sits at
// data[(o · size + k) · inner + i]. A slice is the `size` numbers with the same o and i.
//
// For each slice: find its maximum m, compute e^(x − m) (never more than 1, so nothing overflows),
// add them up in a `Double` (lesson 01's rule for long sums), divide. Normalize the axis first
// with lesson 01's check:
//
//     let axis = requireValidShape { try normalizedAxis(axis, in: x.shape) }

import Foundation  // exp and log
import TinyTorchTensor

/// Softmax along an axis: turns each slice of scores into probabilities that sum to 1.
///
///     softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m),    m = maxⱼ xⱼ   (over the slice along `axis`)
///
/// Subtracting the maximum `m` leaves the result unchanged and keeps every `exp` at most 1, so
/// inputs such as ±1000 give exact probabilities instead of NaN. Add up the sum in a `Double`: it
/// is at least 1, and a `Float` near 1 cannot see an `e^(−17)`. Negative axes count from the end;
/// the default, −1, is the last axis (each row of a `[batch, classes]` matrix).
///
/// Shape: any (rank ≥ 1) → same. Records `SoftmaxOp(axis:)` with the normalized axis.
/// The softmax of `[0, ln 2, ln 3]` is `[1/6, 2/6, 3/6]`: e^x is 1, 2, 3, and they sum to 6.
public func softmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor {
    todo("TODO(lesson 02): implement softmax(_:alongAxis:)")
}

/// The logarithm of softmax along an axis, computed without ever taking `log(0)`.
///
///     logSoftmax(x)ᵢ = (xᵢ − m) − log Σⱼ e^(xⱼ − m),    m = maxⱼ xⱼ   (over the slice)
///
/// `log(softmax(x))` would give −infinity wherever softmax rounds to 0 (for `[1000, 0]`, the 0);
/// this form gives the exact −1000. Subtract in that order, `(xᵢ − m)` first: `m + log Σ` would
/// round the small log away when `m` is large. The sum is added up in a `Double`, as in softmax.
/// Cross-entropy (lesson 04) is built on the same formula.
///
/// Shape: any (rank ≥ 1) → same. Records `LogSoftmaxOp(axis:)` with the normalized axis.
/// `logSoftmax(Tensor([1000, 0]))` is `[0, -1000]`.
public func logSoftmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor {
    todo("TODO(lesson 02): implement logSoftmax(_:alongAxis:)")
}
