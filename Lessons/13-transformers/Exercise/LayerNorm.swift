// Lesson 13, file 1 of 3: layer normalization — each position's vector brought to mean 0 and
// variance 1, then scaled and shifted by learned numbers.
//
// Why a primitive of its own, with a fused backward, rather than a composite of lessons 01–05's
// operations: the course has no square-root operation to build `1/√(σ² + ε)` from; written with
// one it would be nine recorded operations and nine tensors per call (mean, subtract, square,
// mean, add ε, square root, divide, multiply, add), forward and backward, on the largest
// activations of the model, twice per block; and the sums here are in `Double`. One pass per row
// forward, one backward (its time for the milestone's activations is in the README).
//
// The stored properties and the helpers marked "given" are written for you; write the bodies
// marked TODO, top to bottom.

import TinyTorchAutograd
import TinyTorchLayers
import TinyTorchTensor

/// Layer normalization (Ba, Kiros and Hinton, 2016) over the last axis, PyTorch's
/// `F.layer_norm(x, [D], weight, bias, eps)`. For each row `x` of `D` numbers:
///
///     μ = Σ x / D,   σ² = Σ (x − μ)² / D         (the biased variance, as PyTorch)
///     x̂ = (x − μ) / √(σ² + ε)
///     y = x̂ · weight + bias
///
/// Shapes: `x [..., D]`, `weight [D]`, `bias [D]` → `[..., D]` (a `require` naming the shapes
/// otherwise). Sums in `Double`. Records `LayerNormOp(epsilon:)` with inputs
/// `[x, weight, bias]`.
///
///     layerNorm(Tensor([[1, 2, 3]]), weight: Tensor([1, 1, 1]), bias: Tensor([0, 0, 0]))
///     // μ = 2, σ² = 2/3: [[−1.2247357, 0, 1.2247357]] (ε = 1e-5 makes it 1.2247357, not √1.5)
public func layerNorm(_ x: Tensor, weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
    todo("TODO(lesson 13): implement layerNorm(_:weight:bias:epsilon:)")
}

/// The mean `μ` and `1/√(σ² + ε)` of the `count` numbers at `row`, summed in `Double`: two passes
/// (mean, then squared distances from it), which stays exact where `Σx²/D − μ²` would cancel.
/// Given: `layerNorm` and its backward both call it.
///
/// Each pass keeps 8 sums side by side (`SIMD8<Double>`, 8 numbers at a time) and adds them up at
/// the end: a single running sum makes every addition wait for the one before it, 4.7 times
/// slower for the milestone's rows of 128 (0.18 ms against 0.04 for its 768 rows).
@inline(__always)
private func rowStatistics(
    _ row: UnsafePointer<Float>, _ count: Int, _ epsilon: Float
) -> (mean: Float, inverse: Float) {
    let whole = count - count % 8  // the numbers taken 8 at a time; the rest one by one
    func eight(_ j: Int) -> SIMD8<Double> {
        SIMD8<Double>(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self))
    }
    var sums = SIMD8<Double>()
    for j in stride(from: 0, to: whole, by: 8) { sums += eight(j) }
    var sum = sums.sum()
    for j in whole..<count { sum += Double(row[j]) }
    let mean = sum / Double(count)
    var squares8 = SIMD8<Double>()
    for j in stride(from: 0, to: whole, by: 8) {
        let d = eight(j) - mean
        squares8 += d * d
    }
    var squares = squares8.sum()
    for j in whole..<count {
        let d = Double(row[j]) - mean
        squares += d * d
    }
    let variance = squares / Double(count)
    return (Float(mean), Float(1 / (variance + Double(epsilon)).squareRoot()))
}

extension LayerNormOp: Differentiable {
    /// With `x̂` a row normalized, `r = 1/√(σ² + ε)`, `g` the gradient at its output and
    /// `ĝ = g · weight` (the gradient at `x̂`):
    ///
    ///     ∂L/∂x      = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))
    ///     ∂L/∂weight = Σ over rows of g · x̂
    ///     ∂L/∂bias   = Σ over rows of g
    ///
    /// The two means are why the composite needs nine backward steps: every `x̂` depends on the
    /// whole row through `μ` and `σ`. `μ` and `r` are recomputed from `inputs[0]`.
    ///
    /// One row `[1, 2, 3]`, weight 1, bias 0, `g = [1, 0, 0]`: `x̂ ≈ [−1.2247, 0, 1.2247]`,
    /// `mean(ĝ) = 1/3`, `mean(ĝ · x̂) ≈ −0.4082`, so
    /// `∂L/∂x ≈ 1.2247 · ([1, 0, 0] − 1/3 + 0.4082 · x̂) ≈ [0.2041, −0.4082, 0.2041]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 13): implement LayerNormOp.backward(gradient:inputs:output:)")
    }
}

/// A layer normalization with learned `weight` (starts at 1) and `bias` (starts at 0), both
/// `[dimension]` parameters: PyTorch's `nn.LayerNorm(dimension)`.
///
/// Unlike lesson 09's batch normalization it normalizes each position by its *own* numbers, not
/// by statistics over the batch: the same in training and evaluation, no running averages, and a
/// sequence of one token is normalized as well as a batch of a thousand.
///
///     let norm = LayerNorm(dimension: 128)
///     norm(x)          // x [12, 64, 128] → [12, 64, 128], each of the 768 rows mean 0, var 1
public final class LayerNorm: Module {
    /// The size `D` of the last axis it normalizes.
    public let dimension: Int
    /// Added to the variance: 1e-5 unless given.
    public let epsilon: Float
    /// `[dimension]`, a parameter, starts at 1.
    public let weight: Tensor
    /// `[dimension]`, a parameter, starts at 0.
    public let bias: Tensor
    public var isTraining = true

    /// `dimension` must be at least 1 (a `require` naming it).
    public init(dimension: Int, epsilon: Float = 1e-5) {
        todo("TODO(lesson 13): implement LayerNorm.init(dimension:epsilon:)")
    }

    /// `layerNorm(input, weight: weight, bias: bias, epsilon: epsilon)`. Shape: `[..., D]` →
    /// the same.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 13): implement LayerNorm.callAsFunction(_:)")
    }
}
