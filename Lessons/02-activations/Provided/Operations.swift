// Given with the exercise: you do not need to change this file.
//
// The operations of this lesson, as recorded for autograd (see lesson 01's
// Provided/Recording.swift). Each activation ends with
//
//     return Tensor(shape: x.shape, data: output, operation: ReLUOp(), inputs: [x])
//
// and lesson 05 adds the backward pass to each type below. The element-wise ones need nothing
// stored: lesson 05 can read the input (`inputs[0]`) and the output (the recorded tensor itself),
// and every derivative here is a function of one of the two. Softmax keeps its axis.

import TinyTorchTensor

/// `relu(x)`. Inputs: `[x]`. Backward lets the gradient through where `x > 0`, and stops it
/// elsewhere: the derivative of `max(0, x)` is 1 for positive `x` and 0 for negative `x`.
public struct ReLUOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "relu" }
}

/// `sigmoid(x)`. Inputs: `[x]`. Backward uses the output `y`: `dy/dx = y · (1 − y)`.
public struct SigmoidOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "sigmoid" }
}

/// `tanh(x)`. Inputs: `[x]`. Backward uses the output `y`: `dy/dx = 1 − y²`.
public struct TanhOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "tanh" }
}

/// `gelu(x)` (the tanh approximation). Inputs: `[x]`. Backward differentiates the formula at the
/// input `x`.
public struct GELUOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "gelu" }
}

/// `softmax(x, alongAxis:)`. Inputs: `[x]`. Backward, with `y` the output and `g` the gradient
/// arriving at it: `y · (g − Σ_axis g · y)`, the sum taken along `axis` with the axis kept.
public struct SoftmaxOp: TensorOperation, Equatable {
    /// The axis the probabilities sum to 1 along, normalized to `0..<rank` (never negative).
    public let axis: Int

    public init(axis: Int) {
        self.axis = axis
    }

    public var name: String { "softmax" }
}

/// `logSoftmax(x, alongAxis:)`. Inputs: `[x]`. Backward, with `y` the output and `g` the gradient
/// arriving at it: `g − exp(y) · Σ_axis g`, the sum taken along `axis` with the axis kept.
public struct LogSoftmaxOp: TensorOperation, Equatable {
    /// The axis the softmax is taken along, normalized to `0..<rank` (never negative).
    public let axis: Int

    public init(axis: Int) {
        self.axis = axis
    }

    public var name: String { "logSoftmax" }
}
