// Lesson 12: the operation a masked softmax records (given — the same file sits beside your
// Exercise/ and the Solution/; you do not need to change it).
//
// `maskedSoftmax(_:mask:scale:)` ends with
//
//     Tensor(shape: scores.shape, data: output, operation: MaskedSoftmaxOp(scale: scale),
//            inputs: [scores])
//
// and the backward pass you write in MaskedSoftmax.swift (`extension MaskedSoftmaxOp:
// Differentiable`) needs nothing but the output: masked positions hold exactly 0 there, and that
// 0 is what stops their gradient.

import TinyTorchTensor

/// `maskedSoftmax(scores, mask:scale:)`: a softmax of `scale · scores` along the last axis over
/// the allowed positions only; masked positions are exactly 0, and a row with no allowed
/// position is all 0. Inputs: `[scores]` (the mask is data, not something the network learns).
///
/// Backward, with `y` the output and `g` the gradient arriving at it, for each row:
/// `scale · y · (g − Σ g · y)` — the softmax's own backward, times the scale; where `y` is 0
/// (masked, or a fully masked row) it gives 0.
public struct MaskedSoftmaxOp: TensorOperation, Equatable {
    /// The number the scores were multiplied by before the softmax (`1/√d` in attention).
    public let scale: Float

    public init(scale: Float) {
        self.scale = scale
    }

    public var name: String { "maskedSoftmax" }
}
