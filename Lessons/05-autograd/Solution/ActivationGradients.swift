// Lesson 05, file 7 of 8: the gradients of lesson 02's activations and lesson 03's dropout.
//
// An element-wise function y = f(x) has a derivative per element, so its backward is the incoming
// gradient times f′, element by element: ∂L/∂x = g · f′(x). Several derivatives are cheapest
// from the output y, which the backward pass receives:
//
// | operation | y                            | f′                                           |
// |-----------|------------------------------|----------------------------------------------|
// | relu      | max(0, x)                    | 1 where x > 0 (or NaN), else 0               |
// | sigmoid   | 1 / (1 + e^(−x))             | y · (1 − y)                                  |
// | tanh      | tanh x                       | 1 − y²                                       |
// | gelu      | 0.5 x (1 + tanh u)           | 0.5 (1 + t) + 0.5 x (1 − t²) · u′            |
// |           | u = c (x + 0.044715 x³)      | t = tanh u, u′ = c (1 + 3 · 0.044715 x²)     |
// | dropout   | x · mask                     | mask                                         |
//
// Softmax is not element-wise (every output depends on every input of its slice), but its
// backward still fits in one line of tensor operations (see below).

import Foundation  // exp and the scalar tanh
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchTensor

extension ReLUOp: Differentiable {
    /// `y = max(0, x)`: the gradient passes where `x > 0` and is stopped elsewhere (at exactly 0
    /// too, as in PyTorch). Where `x` is NaN it passes too, as in PyTorch, so the NaN reaches the
    /// weights and shows. `x = [−1, 2]`, `gradient = [5, 5]` → `[[0, 5]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        // `x <= 0` is false for NaN, as in the forward pass.
        // (A loop over the raw numbers, as lesson 02's `relu`, for speed.)
        let result = [Float](unsafeUninitializedCapacity: gradient.count) { result, initialized in
            gradient.data.withUnsafeBufferPointer { g in
                inputs[0].data.withUnsafeBufferPointer { x in
                    for i in 0..<g.count { result[i] = x[i] <= 0 ? 0 : g[i] }
                }
            }
            initialized = gradient.count
        }
        return [Tensor(shape: gradient.shape, data: result)]
    }
}

extension SigmoidOp: Differentiable {
    /// `y = σ(x)`: `∂y/∂x = y · (1 − y)`, from the output. At `x = 0`, `y = 0.5`, so the gradient
    /// is multiplied by 0.25. `gradient = [1]`, `y = [0.5]` → `[[0.25]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let result = zip(gradient.data, output.data).map { g, y in g * y * (1 - y) }
        return [Tensor(shape: gradient.shape, data: result)]
    }
}

extension TanhOp: Differentiable {
    /// `y = tanh x`: `∂y/∂x = 1 − y²`, from the output. `gradient = [1]`, `y = [0.5]` →
    /// `[[0.75]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let result = zip(gradient.data, output.data).map { g, y in g * (1 - y * y) }
        return [Tensor(shape: gradient.shape, data: result)]
    }
}

extension GELUOp: Differentiable {
    /// `y = 0.5 x (1 + tanh u)` with `u = c (x + 0.044715 x³)`, `c = √(2/π)`. By the product and
    /// chain rules, with `t = tanh u`:
    ///
    ///     ∂y/∂x = 0.5 (1 + t) + 0.5 x · (1 − t²) · c (1 + 3 · 0.044715 x²)
    ///
    /// `gradient = [1]`, `x = [0]` → `[[0.5]]`; at `x = 1` the derivative is 1.0830.
    ///
    /// Huge inputs: at `x = ±1e20`, `t = ±1` and `1 − t² = 0`, but `x²` overflows to ∞, and
    /// `0 · ∞` is NaN. When `1 − t²` is 0, use 0 for the whole second term (the derivative is then
    /// 1 for large positive `x`, 0 for large negative).
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let c = Float((2 / Double.pi).squareRoot())
        func derivative(_ g: Float, _ x: Float) -> Float {
            let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
            let sech2 = 1 - t * t  // tanh′ = 1 − tanh²
            // For huge |x|, t = ±1 and sech2 = 0, while x · x might be infinite: 0 · ∞ is NaN,
            // so skip the term that is 0 anyway.
            let slope = sech2 == 0 ? 0 : 0.5 * x * sech2 * c * (1 + 3 * 0.044715 * x * x)
            return g * (0.5 * (1 + t) + slope)
        }
        // The same 8 numbers at a time, for speed (as `gelu`'s forward pass; 4 blocks of the
        // 2017 milestone's transformer take 393,216 each per step). With e = e^(−2|u|), tanh u
        // is ±(1 − e) / (1 + e) and 1 − tanh² u is 4e / (1 + e)², which stays accurate where
        // tanh u is close to ±1 (1 − t · t would lose the digits that matter there).
        var result = [Float](repeating: 0, count: gradient.count)
        gradient.data.withUnsafeBufferPointer { gradients in
            inputs[0].data.withUnsafeBufferPointer { inputs in
                result.withUnsafeMutableBufferPointer { result in
                    guard let g = gradients.baseAddress, let x = inputs.baseAddress, let to = result.baseAddress else { return }
                    let whole = gradients.count / 8 * 8
                    for i in stride(from: 0, to: whole, by: 8) {
                        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                        let u = c * (v + 0.044715 * v * v * v)
                        let negative = u .< 0
                        let e = vectorExp(-2 * u.replacing(with: -u, where: negative))
                        let magnitude = (1 - e) / (1 + e)
                        let t = magnitude.replacing(with: -magnitude, where: negative)
                        let sech2 = 4 * e / ((1 + e) * (1 + e))
                        let slope = (0.5 * v * sech2 * c * (1 + 3 * 0.044715 * v * v))
                            .replacing(with: 0, where: sech2 .== 0)
                        let incoming = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(to + i).storeBytes(of: incoming * (0.5 * (1 + t) + slope), as: SIMD8<Float>.self)
                    }
                    for i in whole..<gradients.count { to[i] = derivative(g[i], x[i]) }
                }
            }
        }
        return [Tensor(shape: gradient.shape, data: result)]
    }
}

extension SoftmaxOp: Differentiable {
    /// `y = softmax(x)` along `axis`: `∂yᵢ/∂xⱼ = yᵢ (δᵢⱼ − yⱼ)` within a slice, so
    ///
    ///     ∂L/∂xⱼ = Σᵢ gᵢ yᵢ (δᵢⱼ − yⱼ) = yⱼ (gⱼ − Σᵢ gᵢ yᵢ)
    ///
    /// In tensor operations: `y * (g − (g * y).sum(alongAxis: axis, keepingDimensions: true))`.
    /// `y = [0.5, 0.5]`, `gradient = [1, 0]` → `[[0.25, −0.25]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let weighted = (gradient * output).sum(alongAxis: axis, keepingDimensions: true)
        return [output * (gradient - weighted)]
    }
}

extension LogSoftmaxOp: Differentiable {
    /// `y = logSoftmax(x)` along `axis`, `yᵢ = xᵢ − logΣⱼ e^(xⱼ)`: `∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ`,
    /// so
    ///
    ///     ∂L/∂xⱼ = gⱼ − softmax(x)ⱼ · Σᵢ gᵢ          with softmax(x) = e^y
    ///
    /// `y = [log 0.5, log 0.5]`, `gradient = [1, 0]` → `[[0.5, −0.5]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        // e^y ≤ 1, because y = log of a probability ≤ 0: never overflows.
        let probabilities = Tensor(shape: output.shape, data: output.data.map { exp($0) })
        let total = gradient.sum(alongAxis: axis, keepingDimensions: true)
        return [gradient - probabilities * total]
    }
}

extension DropoutOp: Differentiable {
    /// `y = x · mask`, element-wise: `∂y/∂x = mask`. A dropped element (mask 0) passed nothing
    /// on, so it gets no gradient; a kept one gets the gradient scaled by `1 / (1 − p)`.
    /// `mask = [2, 0]`, `gradient = [1, 1]` → `[[2, 0]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        [Tensor(shape: gradient.shape, data: zip(gradient.data, mask).map { $0 * $1 })]
    }
}
