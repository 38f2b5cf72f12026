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
//
// For an element-wise one, walk `gradient.data` together with `inputs[0].data` or `output.data`
// (`zip(a, b).map { … }`) and return `[Tensor(shape: gradient.shape, data: result)]`.

import Foundation  // exp and the scalar tanh
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchTensor

extension ReLUOp: Differentiable {
    /// `y = max(0, x)`: the gradient passes where `x > 0` and is stopped elsewhere (at exactly 0
    /// too, as in PyTorch). Where `x` is NaN it passes too, as in PyTorch (`x <= 0 ? 0 : g`, as
    /// lesson 02's forward pass), so the NaN reaches the weights and shows.
    /// `x = [−1, 2]`, `gradient = [5, 5]` → `[[0, 5]]`; `x = [nan]`, `gradient = [5]` → `[[5]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement ReLUOp.backward(gradient:inputs:output:)")
    }
}

extension SigmoidOp: Differentiable {
    /// `y = σ(x)`: `∂y/∂x = y · (1 − y)`, from the output. At `x = 0`, `y = 0.5`, so the gradient
    /// is multiplied by 0.25. `gradient = [1]`, `y = [0.5]` → `[[0.25]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement SigmoidOp.backward(gradient:inputs:output:)")
    }
}

extension TanhOp: Differentiable {
    /// `y = tanh x`: `∂y/∂x = 1 − y²`, from the output. `gradient = [1]`, `y = [0.5]` →
    /// `[[0.75]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement TanhOp.backward(gradient:inputs:output:)")
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
        todo("TODO(lesson 05): implement GELUOp.backward(gradient:inputs:output:)")
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
        todo("TODO(lesson 05): implement SoftmaxOp.backward(gradient:inputs:output:)")
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
        todo("TODO(lesson 05): implement LogSoftmaxOp.backward(gradient:inputs:output:)")
    }
}

extension DropoutOp: Differentiable {
    /// `y = x · mask`, element-wise: `∂y/∂x = mask`. A dropped element (mask 0) passed nothing
    /// on, so it gets no gradient; a kept one gets the gradient scaled by `1 / (1 − p)`.
    /// `mask = [2, 0]`, `gradient = [1, 1]` → `[[2, 0]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement DropoutOp.backward(gradient:inputs:output:)")
    }
}
