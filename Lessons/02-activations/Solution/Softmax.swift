// Softmax and log-softmax along an axis, numerically stable.
//
// Both work on one *slice* at a time: the numbers that lie along the axis, with every other index
// fixed (a row of a matrix for axis 1, a column for axis 0). As in lesson 01's reductions, the
// tensor is seen as three axes [outer, size, inner] around the axis, and element [o, k, i] sits at
// data[(o · size + k) · inner + i]. A slice is the `size` numbers with the same o and i.
//
// Both subtract the slice's maximum before calling exp: mathematically nothing changes, and the
// largest exponent is then e^0 = 1, so nothing can overflow (the README shows the algebra). Both
// add up the exps in `Double`, as lesson 01's reductions do: a slice can be 50,000 long.

import Foundation  // exp and log
import TinyTorchTensor

/// Softmax along an axis: turns each slice of scores into probabilities that sum to 1.
///
///     softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m),    m = maxⱼ xⱼ   (over the slice along `axis`)
///
/// Subtracting the maximum `m` leaves the result unchanged and keeps every `exp` at most 1, so
/// inputs such as ±1000 give exact probabilities instead of NaN. The sum is added up in a
/// `Double`: it is at least 1, and a `Float` near 1 cannot see an `e^(−17)`. Negative axes count
/// from the end;
/// the default, −1, is the last axis (each row of a `[batch, classes]` matrix).
///
/// Shape: any (rank ≥ 1) → same. Records `SoftmaxOp(axis:)` with the normalized axis.
/// The softmax of `[0, ln 2, ln 3]` is `[1/6, 2/6, 3/6]`: e^x is 1, 2, 3, and they sum to 6.
public func softmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor {
    let axis = requireValidShape { try normalizedAxis(axis, in: x.shape) }
    let (outer, size, inner) = sliceLayout(x.shape, around: axis)
    var output = [Float](repeating: 0, count: x.count)
    if size > 0 {
        x.data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                // Per block o, one running value per slice i; k walks along the axis, and for
                // each k the inner loop reads a contiguous run of `inner` numbers.
                var maxima = [Float](repeating: 0, count: inner)
                var sums = [Double](repeating: 0, count: inner)  // long slices: lesson 01's rule
                for o in 0..<outer {
                    let block = o * size * inner  // where element [o, 0, 0] sits
                    sliceMaxima(input, block: block, size: size, inner: inner, into: &maxima)
                    // e^(x − m): at most e^0 = 1. Keep them in the output, and add them up.
                    for i in 0..<inner { sums[i] = 0 }
                    for k in 0..<size {
                        let row = block + k * inner
                        for i in 0..<inner {
                            let e = exp(input[row + i] - maxima[i])
                            output[row + i] = e
                            sums[i] += Double(e)
                        }
                    }
                    // The sum is at least 1 (the maximum contributed e^0), so this never
                    // divides by 0.
                    for k in 0..<size {
                        let row = block + k * inner
                        for i in 0..<inner {
                            output[row + i] = Float(Double(output[row + i]) / sums[i])
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: x.shape, data: output, operation: SoftmaxOp(axis: axis), inputs: [x])
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
    let axis = requireValidShape { try normalizedAxis(axis, in: x.shape) }
    let (outer, size, inner) = sliceLayout(x.shape, around: axis)
    var output = [Float](repeating: 0, count: x.count)
    if size > 0 {
        x.data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var maxima = [Float](repeating: 0, count: inner)
                var sums = [Double](repeating: 0, count: inner)  // long slices: lesson 01's rule
                var logSums = [Float](repeating: 0, count: inner)
                for o in 0..<outer {
                    let block = o * size * inner
                    sliceMaxima(input, block: block, size: size, inner: inner, into: &maxima)
                    for i in 0..<inner { sums[i] = 0 }
                    for k in 0..<size {
                        let row = block + k * inner
                        for i in 0..<inner {
                            sums[i] += Double(exp(input[row + i] - maxima[i]))
                        }
                    }
                    for i in 0..<inner { logSums[i] = Float(log(sums[i])) }
                    // (x − m) first: subtracting m + log(sum) in one go would round the small
                    // log(sum) away against a large m (−1000 + 0.6931472 is −999.3068 in Float).
                    for k in 0..<size {
                        let row = block + k * inner
                        for i in 0..<inner {
                            output[row + i] = (input[row + i] - maxima[i]) - logSums[i]
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: x.shape, data: output, operation: LogSoftmaxOp(axis: axis), inputs: [x])
}

// MARK: - Helpers

/// The tensor seen as `[outer, size, inner]` around a (normalized) axis: `size` is the axis's own
/// size, `outer` and `inner` the products of the sizes before and after it.
/// `sliceLayout([2, 3, 4], around: 1) == (2, 3, 4)`; `sliceLayout([2, 3], around: 0) == (1, 2, 3)`.
private func sliceLayout(_ shape: [Int], around axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

/// Writes into `maxima[i]` the largest of the `size` numbers of slice `i` in the block starting at
/// `block`. Starts from the first number of each slice, not from 0: all of them may be negative.
/// `size` must be at least 1.
private func sliceMaxima(
    _ input: UnsafeBufferPointer<Float>, block: Int, size: Int, inner: Int,
    into maxima: inout [Float]
) {
    for i in 0..<inner {
        maxima[i] = input[block + i]
    }
    for k in 1..<size {
        let row = block + k * inner
        for i in 0..<inner where input[row + i] > maxima[i] {
            maxima[i] = input[row + i]
        }
    }
}
