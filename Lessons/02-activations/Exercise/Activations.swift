// Lesson 02, file 1 of 2: the element-wise activations — ReLU, sigmoid, tanh and GELU.
//
// Each applies a function of one number to every element of `x.data`, keeps the shape, and
// records its operation (the types are in Operations.swift, given) for lesson 05:
//
//     return Tensor(shape: x.shape, data: output, operation: ReLUOp(), inputs: [x])
//
// Mind the numbers: `Float` overflows above about 3.4e38, so `exp(v)` is infinity for any v above
// 88.72, and infinity / infinity is NaN. The tests feed ±1000 to every function.
//
// A tip for this file: this file declares `tanh(_ x: Tensor)`, so for the tanh of one number write
// `Foundation.tanh(v)` — with `v` a Float it returns a Float.

import Foundation  // exp and the scalar tanh
import TinyTorchTensor

/// Rectified linear unit: `max(0, x)`, element-wise.
///
/// A NaN stays NaN, as in PyTorch: a NaN that turns into 0 hides a computation that went wrong.
/// (Every comparison with NaN is false, so `v > 0 ? v : 0` makes it 0, `v <= 0 ? 0 : v` keeps it.)
///
/// Shape: any → same. Records `ReLUOp()` with inputs `[x]`.
/// `relu(Tensor([-2, 0, 3]))` is `[0, 0, 3]`; `relu(Tensor([1, .nan, -2]))` is `[1, nan, 0]`.
public func relu(_ x: Tensor) -> Tensor {
    todo("TODO(lesson 02): implement relu(_:)")
}

/// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, element-wise: squashes any number into (0, 1).
///
/// Must be stable for any input: for `x ≥ 0` compute `1 / (1 + e^(−x))`, for `x < 0` the equal
/// `e^x / (1 + e^x)`, so that `exp` only ever sees numbers ≤ 0 and never overflows.
///
/// Shape: any → same. Records `SigmoidOp()` with inputs `[x]`.
/// `sigmoid(Tensor([0, 1000, -1000]))` is `[0.5, 1, 0]`.
public func sigmoid(_ x: Tensor) -> Tensor {
    todo("TODO(lesson 02): implement sigmoid(_:)")
}

/// The hyperbolic tangent `tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))`, element-wise: squashes any
/// number into (−1, 1), and is odd: `tanh(−x) = −tanh(x)`.
///
/// Do not compute the quotient above: for x = 1000 it is infinity / infinity = NaN. The C
/// library's `Foundation.tanh(v)` is exact and saturates to ±1.
///
/// Shape: any → same. Records `TanhOp()` with inputs `[x]`.
/// `tanh(Tensor([0, 1000, -1000]))` is `[0, 1, -1]`.
public func tanh(_ x: Tensor) -> Tensor {
    todo("TODO(lesson 02): implement tanh(_:)")
}

/// The Gaussian error linear unit, in the tanh approximation used by GPT-2 and BERT:
///
///     gelu(x) = 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
///
/// Close to `relu` away from 0, but smooth, and slightly negative for negative `x` (lowest
/// ≈ −0.17 near x = −0.75). Shape: any → same. Records `GELUOp()` with inputs `[x]`.
/// `gelu(Tensor([0, 1, -1]))` is `[0, 0.841192, -0.158808]`.
public func gelu(_ x: Tensor) -> Tensor {
    todo("TODO(lesson 02): implement gelu(_:)")
}
