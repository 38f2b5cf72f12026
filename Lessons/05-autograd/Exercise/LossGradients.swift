// Lesson 05, file 8 of 8: the gradients of lesson 04's losses — fused, closed-form and stable.
//
// Each loss was recorded as ONE operation with a single input, the predictions (or logits), and
// a scalar output. Its backward is a short formula, times the incoming gradient `g` (a scalar:
// 1 when the loss itself is the root, something else for `0.5 * loss` or a sum of losses):
//
// | loss                                | ∂L/∂prediction, per element               |
// |-------------------------------------|-------------------------------------------|
// | meanSquaredError                    | g · 2 (p − t) / n                         |
// | binaryCrossEntropy(probabilities:)  | g · (p − t) / (p (1 − p)) / n, p clamped  |
// | binaryCrossEntropy(logits:)         | g · (σ(x) − t) / n                        |
// | crossEntropy                        | g · (softmax(row) − oneHot(target)) / batch |
//
// `n` is the number of elements averaged over; `batch` the number of rows. Each operation saved
// its targets (and cross-entropy each row's maximum and log Σ e^(x − max)): read them as
// `targets`, `epsilon`, `maxima`, `logSumsOfExps`. The incoming gradient is `gradient.data[0]`.

import Foundation  // exp
import TinyTorchLosses
import TinyTorchTensor

extension MeanSquaredErrorOp: Differentiable {
    /// `L = (1/n) Σ (pᵢ − tᵢ)²`: `∂L/∂pᵢ = 2 (pᵢ − tᵢ) / n`, times the incoming gradient.
    ///
    /// `p = [2.5, 0]`, `t = [3, −0.5]` → `[[−0.5, 0.5]]` (`2 · (−0.5) / 2` and `2 · 0.5 / 2`).
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement "
                   + "MeanSquaredErrorOp.backward(gradient:inputs:output:)")
    }
}

extension BinaryCrossEntropyOp: Differentiable {
    /// `L = −(1/n) Σ [t log p + (1 − t) log(1 − p)]`:
    /// `∂L/∂p = (−t/p + (1 − t)/(1 − p)) / n = (p − t) / (p (1 − p)) / n`, times the incoming
    /// gradient.
    ///
    /// `p` is clamped to `[epsilon, 1 − epsilon]` first, as in the forward pass, so the division
    /// is never by 0: at `p = 0` with `t = 1` the gradient is about `−1/(epsilon · n)`, huge but
    /// finite, and it points the right way. (The exact derivative of the clamped loss would be 0
    /// there: a saturated prediction would never recover. PyTorch makes the same choice.)
    ///
    /// `p = [0.8, 0.4]`, `t = [1, 0]` → `[[(−0.2 / 0.16) / 2, (0.4 / 0.24) / 2]] =
    /// [[−0.625, 0.8333]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement "
                   + "BinaryCrossEntropyOp.backward(gradient:inputs:output:)")
    }
}

extension BinaryCrossEntropyWithLogitsOp: Differentiable {
    /// `L = (1/n) Σ [max(x, 0) − x t + log(1 + e^(−|x|))]`, the BCE of `σ(x)`: by the chain rule
    /// through the sigmoid, `σ′ = σ (1 − σ)` cancels BCE's `1 / (p (1 − p))`, leaving
    ///
    ///     ∂L/∂x = (σ(x) − t) / n
    ///
    /// which is finite for every logit: `σ` is between 0 and 1. `σ` is computed stably (`exp` of
    /// a number ≤ 0 only), as in lesson 02.
    ///
    /// `x = [0, 100]`, `t = [1, 0]` → `[[(0.5 − 1) / 2, (1 − 0) / 2]] = [[−0.25, 0.5]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement "
                   + "BinaryCrossEntropyWithLogitsOp.backward(gradient:inputs:output:)")
    }
}

extension CrossEntropyOp: Differentiable {
    /// `L = (1/batch) Σ_rows [logSumExp(row) − row[target]]`: `∂logSumExp/∂xⱼ = softmax(row)ⱼ`
    /// and `∂row[target]/∂xⱼ` is 1 at the target and 0 elsewhere, so for each row
    ///
    ///     ∂L/∂xⱼ = (softmax(row)ⱼ − oneHot(target)ⱼ) / batch
    ///
    /// Rebuild the softmax from the row's saved maximum `m` and `log Σ e^(x − m)`:
    /// `softmax(row)ⱼ = e^((xⱼ − m) − log Σ)`, an exponent ≤ 0, so it never overflows, and
    /// nothing is ever divided by a probability. Subtract in that order, `(xⱼ − m)` first, as in
    /// lesson 02's logSoftmax: `xⱼ − (m + log Σ)` rounds `log Σ` against a large `m`, and at
    /// logits `[[1e30, 1e30, −1e30]]` the softmax would come out `[1, 1, 0]`.
    ///
    /// Logits `[[0, 0]]`, target 1 → softmax `[0.5, 0.5]` → `[[[0.5, −0.5]]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement CrossEntropyOp.backward(gradient:inputs:output:)")
    }
}
