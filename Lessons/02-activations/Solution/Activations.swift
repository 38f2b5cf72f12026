// The element-wise activations: ReLU, sigmoid, tanh and GELU.
//
// Each applies a function of one number to every element, keeps the shape, and records its
// operation (Operations.swift) for lesson 05. The care is all in the numbers: `Float` overflows
// above about 3.4e38, so `exp` of anything above 88.72 is infinity, and infinity / infinity is NaN.
// Every formula below is written so that no intermediate value ever becomes infinite.

import Foundation  // exp and the scalar tanh
import TinyTorchTensor

/// Rectified linear unit: `max(0, x)`, element-wise. A NaN stays NaN, as in PyTorch.
///
/// Shape: any → same. Records `ReLUOp()` with inputs `[x]`.
/// `relu(Tensor([-2, 0, 3]))` is `[0, 0, 3]`; `relu(Tensor([.nan]))` is `[nan]`.
public func relu(_ x: Tensor) -> Tensor {
    // `<=` is false for NaN, so a NaN passes through; `v > 0 ? v : 0` would turn it into 0,
    // and a diverging network would look healthy.
    // A loop over the raw numbers rather than `x.data.map`, which the compiler does not turn into
    // vector instructions: a million numbers in 0.15 ms instead of 1 ms (the CIFAR network has 3.5
    // million a step).
    let output = [Float](unsafeUninitializedCapacity: x.count) { output, initialized in
        x.data.withUnsafeBufferPointer { input in
            for i in 0..<input.count { output[i] = input[i] <= 0 ? 0 : input[i] }
        }
        initialized = x.count
    }
    return Tensor(shape: x.shape, data: output, operation: ReLUOp(), inputs: [x])
}

/// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, element-wise: squashes any number into (0, 1).
///
/// Stable for any input: for `x ≥ 0` it computes `1 / (1 + e^(−x))`, for `x < 0` the equal
/// `e^x / (1 + e^x)`, so `exp` only ever sees numbers ≤ 0 and never overflows.
///
/// Shape: any → same. Records `SigmoidOp()` with inputs `[x]`.
/// `sigmoid(Tensor([0, 1000, -1000]))` is `[0.5, 1, 0]`.
public func sigmoid(_ x: Tensor) -> Tensor {
    let output = x.data.map(stableSigmoid)
    return Tensor(shape: x.shape, data: output, operation: SigmoidOp(), inputs: [x])
}

/// The hyperbolic tangent `tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))`, element-wise: squashes any
/// number into (−1, 1), and is odd: `tanh(−x) = −tanh(x)`.
///
/// Shape: any → same. Records `TanhOp()` with inputs `[x]`.
/// `tanh(Tensor([0, 1000, -1000]))` is `[0, 1, -1]`.
public func tanh(_ x: Tensor) -> Tensor {
    // The C library's tanh is exact to the last bit and saturates cleanly to ±1; the textbook
    // quotient above would compute infinity / infinity = NaN for x = 1000.
    let output = x.data.map { Foundation.tanh($0) }
    return Tensor(shape: x.shape, data: output, operation: TanhOp(), inputs: [x])
}

/// The Gaussian error linear unit, in the tanh approximation used by GPT-2 and BERT:
///
///     gelu(x) = 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
///
/// Close to `relu` away from 0, but smooth, and slightly negative for negative `x` (lowest
/// ≈ −0.17 near x = −0.75). Shape: any → same. Records `GELUOp()` with inputs `[x]`.
/// `gelu(Tensor([0, 1, -1]))` is `[0, 0.841192, -0.158808]`.
public func gelu(_ x: Tensor) -> Tensor {
    func gelu(_ v: Float) -> Float {
        // For huge |v| the cube is ±infinity, tanh of it is ±1, and the result v or −0: no NaN.
        let inner = geluScale * (v + 0.044715 * v * v * v)
        return 0.5 * v * (1 + Foundation.tanh(inner))
    }
    // The same formula 8 numbers at a time, with lesson 01's given `vectorTanh`, for speed: the
    // 2017 milestone's transformer takes GELU of 393,216 numbers per block and step, 10 ms with
    // Foundation's tanh one number at a time, 1.6 ms this way (the results within 2.4e-7).
    var output = [Float](repeating: 0, count: x.count)
    x.data.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
            guard let from = input.baseAddress, let to = output.baseAddress else { return }
            let whole = input.count / 8 * 8
            for i in stride(from: 0, to: whole, by: 8) {
                let v = UnsafeRawPointer(from + i).loadUnaligned(as: SIMD8<Float>.self)
                let t = vectorTanh(geluScale * (v + 0.044715 * v * v * v))
                UnsafeMutableRawPointer(to + i).storeBytes(of: 0.5 * v * (1 + t), as: SIMD8<Float>.self)
            }
            for i in whole..<input.count { to[i] = gelu(from[i]) }
        }
    }
    return Tensor(shape: x.shape, data: output, operation: GELUOp(), inputs: [x])
}

// MARK: - Helpers

/// σ(v) without overflow: `exp` is only ever called on a number ≤ 0, whose result is in (0, 1].
private func stableSigmoid(_ v: Float) -> Float {
    if v >= 0 {
        return 1 / (1 + exp(-v))
    }
    let e = exp(v)  // x < 0: multiply top and bottom of 1 / (1 + e^(−v)) by e^v
    return e / (1 + e)
}

/// √(2/π) ≈ 0.7978846, the scale inside GELU's tanh.
private let geluScale = Float((2 / Double.pi).squareRoot())
