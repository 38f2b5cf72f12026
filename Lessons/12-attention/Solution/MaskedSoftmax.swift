// Lesson 12, file 2 of 4: softmax over the allowed keys only — one fused operation.
//
// The textbook way to mask is to add −∞ to the forbidden scores and call lesson 02's softmax:
// e^(−∞) is 0, so they get no weight. It fails at the edge: a row whose keys are *all* forbidden
// is −∞ everywhere, its maximum is −∞, and −∞ − (−∞) is NaN — one such row and the whole
// network is NaN after one step. Adding a large negative number instead (−1e9) gives that row
// equal weights on keys it must not see. So this is one operation of its own, with a rule for
// that row, as PyTorch's scaled_dot_product_attention has:
//
//   * a forbidden position gets exactly 0 (not a tiny number);
//   * a row with no allowed key gets 0 everywhere (no NaN), and so does its gradient;
//   * otherwise the row is the softmax of its allowed scores, with lesson 02's max trick.
//
// It is also faster than the composite: one pass instead of an addition and a softmax forward,
// and one loop instead of four tensor operations backward (the numbers are in the README).

import Foundation  // exp
import TinyTorchAutograd
import TinyTorchTensor

/// Softmax along the last axis of `scale · scores`, over the positions `mask` allows; forbidden
/// positions are exactly 0, and a row with no allowed position is all 0. Without a mask and with
/// `scale` 1 it is lesson 02's `softmax(scores, alongAxis: -1)`. (Attention scales its scores by
/// `1/√d` here rather than with a `*` of its own: that would be one more pass over the largest
/// tensor of the layer, forward and backward.)
///
/// For each row (every index of the axes before the last), with `A` its allowed positions and
/// `z = scale · x`:
///
///     m = max_{j ∈ A} z[j]                             (the max trick of lesson 02)
///     y[j] = e^(z[j] − m) / Σ_{k ∈ A} e^(z[k] − m)      for j ∈ A;   y[j] = 0 otherwise
///
/// The sum is added up in `Double`, as every sum in the course. The mask's rows are found with
/// `mask.rowStarts(forScores: scores.shape)` (through `requireValidShape`).
///
/// Shape: any (rank ≥ 1) → same. Records `MaskedSoftmaxOp(scale: scale)` with inputs
/// `[scores]`.
///
///     maskedSoftmax(Tensor([[0, 0, 5], [1, 2, 3]]),
///                   mask: AttentionMask(shape: [2, 3], allowed: [true, true, false,
///                                                                false, false, false]))
///     // [[0.5, 0.5, 0], [0, 0, 0]]: the 5 is forbidden; the second row has no allowed key
public func maskedSoftmax(_ scores: Tensor, mask: AttentionMask?, scale: Float = 1) -> Tensor {
    require(scores.rank >= 1, "maskedSoftmax: scores of shape [] have no axis to normalize along")
    let keys = scores.shape[scores.rank - 1]
    let rows = keys == 0 ? 0 : scores.count / keys
    let starts = mask.map { mask in
        requireValidShape { try mask.rowStarts(forScores: scores.shape) }
    }
    // The mask as numbers a SIMD comparison can read (1 forbidden, 0 allowed), and, per mask
    // row, whether it allows anything. Without a mask, one row of zeros serves every row.
    let allowed = mask?.allowed ?? [Bool](repeating: true, count: keys)
    let forbidden = allowed.map { $0 ? Float(0) : 1 }
    let rowAllowsAny = stride(from: 0, to: allowed.count, by: Swift.max(keys, 1)).map { first in
        allowed[first..<(first + keys)].contains(true)
    }
    var output = [Float](repeating: 0, count: scores.count)
    scores.data.withUnsafeBufferPointer { x in
        forbidden.withUnsafeBufferPointer { forbidden in
            output.withUnsafeMutableBufferPointer { y in
                for row in 0..<rows {
                    let maskRow = starts?[row] ?? 0
                    guard rowAllowsAny[maskRow / keys] else { continue }  // nothing to see: 0
                    softmaxRow(x.baseAddress! + row * keys,
                               forbidden: forbidden.baseAddress! + maskRow,
                               scale: scale, count: keys, into: y.baseAddress! + row * keys)
                }
            }
        }
    }
    return Tensor(shape: scores.shape, data: output, operation: MaskedSoftmaxOp(scale: scale),
                  inputs: [scores])
}

/// One row of `maskedSoftmax`: the softmax of `z = scale · x` over the positions where
/// `forbidden` is 0 (at least one), and exactly 0 where it is 1.
///
/// The clear way is three loops over the row with Foundation's `exp` (hints.md shows them). This
/// is the same three passes 8 numbers at a time — SIMD registers for the max, `vectorExp`
/// (given) for the exps, and 8 partial sums added into a `Double` per step — because this one
/// function touches every score of every layer: it took the forward pass of the milestone's
/// masked softmax from 1.0 ms to 0.4 ms per layer.
private func softmaxRow(
    _ x: UnsafePointer<Float>, forbidden: UnsafePointer<Float>, scale: Float, count: Int,
    into y: UnsafeMutablePointer<Float>
) {
    typealias Vector = SIMD8<Float>
    let whole = count - count % 8           // numbers handled 8 at a time; the rest one by one
    @inline(__always) func load(_ pointer: UnsafePointer<Float>, _ j: Int) -> Vector {
        UnsafeRawPointer(pointer + j).loadUnaligned(as: Vector.self)
    }
    /// z, with −∞ where forbidden: e^(−∞ − m) is exactly 0. (Replaced, not added: a forbidden
    /// score of +∞ must give 0 too, and +∞ − ∞ would be NaN.)
    @inline(__always) func z(_ j: Int) -> Vector {
        (load(x, j) * scale).replacing(with: -.infinity, where: load(forbidden, j) .!= 0)
    }
    func z(at j: Int) -> Float {
        forbidden[j] != 0 ? -.infinity : x[j] * scale
    }
    // 1. The largest allowed z. A NaN is not lost: it reaches the exps below, and the sum.
    var largest = Vector(repeating: -.infinity)
    for j in stride(from: 0, to: whole, by: 8) {
        let value = z(j)
        largest.replace(with: value, where: value .> largest)   // (pointwiseMax is slower)
    }
    var m = largest.max()
    for j in whole..<count { m = Swift.max(m, z(at: j)) }
    // 2. e^(z − m): at most 1 where allowed, exactly 0 where forbidden.
    var sum = 0.0
    var block = Vector()   // 8 running sums of up to 8 numbers each, added into `sum` per 64
    for j in stride(from: 0, to: whole, by: 8) {
        let e = vectorExp(z(j) - m)
        UnsafeMutableRawPointer(y + j).storeBytes(of: e, as: Vector.self)
        block += e
        if j % 64 == 56 {
            sum += Double(block.sum())
            block = Vector()
        }
    }
    sum += Double(block.sum())
    for j in whole..<count {
        y[j] = exp(z(at: j) - m)
        sum += Double(y[j])
    }
    // 3. Divide by the sum: at least 1 (the largest contributed e^0), never 0.
    let inverse = Float(1 / sum)
    for j in 0..<count { y[j] *= inverse }
}

extension MaskedSoftmaxOp: Differentiable {
    /// Within a row, `∂y_i/∂x_j = scale · y_i (δ_ij − y_j)`, as for lesson 02's softmax of
    /// `scale · x`, so
    ///
    ///     ∂L/∂x_j = scale · y_j · (g_j − Σ_i g_i · y_i)
    ///
    /// A forbidden position has `y_j = 0`, so it gets 0, and it adds nothing to the sum; a row
    /// with no allowed position is all 0. (That is lesson 05's `SoftmaxOp` backward times
    /// `scale`, written as one loop over each row instead of four tensor operations; the sum in
    /// `Double`.)
    ///
    /// `y = [0.5, 0.5, 0]`, `gradient = [1, 0, 7]`, `scale = 1` → `[[0.25, −0.25, 0]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        typealias Vector = SIMD8<Float>
        let keys = output.shape[output.rank - 1]
        let rows = keys == 0 ? 0 : output.count / keys
        // 8 numbers at a time, as in softmaxRow: this runs over every score of every layer.
        let whole = keys - keys % 8
        var result = [Float](repeating: 0, count: output.count)
        gradient.data.withUnsafeBufferPointer { g in
            output.data.withUnsafeBufferPointer { y in
                result.withUnsafeMutableBufferPointer { dx in
                    let (g, y, dx) = (g.baseAddress!, y.baseAddress!, dx.baseAddress!)
                    func load(_ pointer: UnsafePointer<Float>, _ j: Int) -> Vector {
                        UnsafeRawPointer(pointer + j).loadUnaligned(as: Vector.self)
                    }
                    for first in stride(from: 0, to: rows * keys, by: keys) {
                        var dot = 0.0
                        var block = Vector()   // as in softmaxRow: Double per 64 numbers
                        for j in stride(from: first, to: first + whole, by: 8) {
                            block = block.addingProduct(load(g, j), load(y, j))
                            if (j - first) % 64 == 56 {
                                dot += Double(block.sum())
                                block = Vector()
                            }
                        }
                        dot += Double(block.sum())
                        for j in (first + whole)..<(first + keys) {
                            dot += Double(g[j]) * Double(y[j])
                        }
                        let weighted = Float(dot)
                        for j in stride(from: first, to: first + whole, by: 8) {
                            let value = load(y, j) * (load(g, j) - weighted) * scale
                            UnsafeMutableRawPointer(dx + j).storeBytes(of: value, as: Vector.self)
                        }
                        for j in (first + whole)..<(first + keys) {
                            dx[j] = y[j] * (g[j] - weighted) * scale
                        }
                    }
                }
            }
        }
        return [Tensor(shape: output.shape, data: result)]
    }
}
