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
//
// Write the two bodies marked TODO: the forward pass, then its backward pass.

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
    todo("TODO(lesson 12): implement maskedSoftmax(_:mask:scale:)")
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
        todo("TODO(lesson 12): implement MaskedSoftmaxOp.backward(gradient:inputs:output:)")
    }
}
