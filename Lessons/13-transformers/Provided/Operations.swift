// Lesson 13: the operation a layer normalization records (given — the same file sits beside your
// Exercise/ and the Solution/; you do not need to change it).
//
// `layerNorm(_:weight:bias:epsilon:)` ends with
//
//     Tensor(shape: x.shape, data: output, operation: LayerNormOp(epsilon: epsilon),
//            inputs: [x, weight, bias])
//
// and the backward pass you write in LayerNorm.swift (`extension LayerNormOp: Differentiable`)
// recomputes each row's mean and spread from `inputs[0]`: two passes over the row are cheaper
// than keeping them, and they come out exactly the same.

import TinyTorchTensor

/// `layerNorm(x, weight:bias:epsilon:)`: each row (the last axis) of `x` normalized to mean 0 and
/// variance 1, then scaled by `weight` and shifted by `bias` (both `[D]`). Inputs:
/// `[x, weight, bias]`.
///
/// Backward, with `x̂` the normalized row, `g` the gradient arriving at the output, `r` the
/// row's `1/√(var + ε)` and `ĝ = g · weight`:
/// `∂L/∂x = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))`, `∂L/∂weight = Σ_rows g · x̂`,
/// `∂L/∂bias = Σ_rows g`.
public struct LayerNormOp: TensorOperation, Equatable {
    /// The number added to the variance before the square root (1e-5, as PyTorch).
    public let epsilon: Float

    public init(epsilon: Float) {
        self.epsilon = epsilon
    }

    public var name: String { "layerNorm" }
}
