// Lesson 05, file 4 of 8: the gradients of lesson 01's arithmetic — + − × ÷, negation and matmul.
//
// Each `backward` gets ∂L/∂output (`gradient`, the shape of the output) and returns ∂L/∂input for
// each input. The element-wise operations broadcast, so their gradients are computed at the
// output's shape and then summed back to each input's shape with `summed(toShape:)`.
//
// | operation    | ∂L/∂a                      | ∂L/∂b                              |
// |--------------|----------------------------|------------------------------------|
// | a + b        | g                          | g                                  |
// | a − b        | g                          | −g                                 |
// | a · b        | g · b                      | g · a                              |
// | a / b        | g / b                      | −g · a / b²  =  −(g / b) · output  |
// | −a           | −g                         |                                    |
// | a.matmul(b)  | g.matmul(bᵀ)               | aᵀ.matmul(g)                       |
//
// An input that does not require a gradient gets `nil`: nobody reads it, so why compute it.
//
// Use lesson 01's tensor operations (`*`, `/`, prefix `-`, `matmul`, `transposed()`) and
// `summed(toShape:)`: the backward pass runs with recording off, so they build no graph. Every
// `backward` returns one entry per input, in the order of `inputs`, each of that input's shape.
// In the examples, the outer `[…]` is that returned array: `[[0.5, −0.5]]` is one gradient,
// `[0.5, −0.5]`, for one input.

import TinyTorchTensor

extension AddOp: Differentiable {
    /// `c = a + b`: each output element moves one-for-one with its `a` and its `b`, so both get
    /// `gradient` itself, summed back over the axes they were broadcast along.
    ///
    /// `a: [2, 3]`, `b: [3]`, `gradient: [2, 3]` of ones → `[ones [2, 3], [2, 2, 2]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement AddOp.backward(gradient:inputs:output:)")
    }
}

extension SubtractOp: Differentiable {
    /// `c = a − b`: `a` gets `gradient`, `b` gets `−gradient`, each summed back to its shape.
    ///
    /// `a: [2]`, `b: []` (a number), `gradient: [1, 2]` → `[[1, 2], −3]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement SubtractOp.backward(gradient:inputs:output:)")
    }
}

extension MultiplyOp: Differentiable {
    /// `c = a · b`: `∂c/∂a = b` and `∂c/∂b = a`, so `a` gets `gradient · b` and `b` gets
    /// `gradient · a`, each summed back to its shape.
    ///
    /// `a = [2, 3]`, `b = [4, 5]`, `gradient = [1, 1]` → `[[4, 5], [2, 3]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement MultiplyOp.backward(gradient:inputs:output:)")
    }
}

extension DivideOp: Differentiable {
    /// `c = a / b`: `∂c/∂a = 1/b` and `∂c/∂b = −a/b² = −c/b`, so `a` gets `gradient / b` and `b`
    /// gets `−(gradient / b) · output`, each summed back to its shape.
    ///
    /// `a = [6]`, `b = [2]` (so `c = [3]`), `gradient = [1]` → `[[0.5], [−1.5]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement DivideOp.backward(gradient:inputs:output:)")
    }
}

extension NegateOp: Differentiable {
    /// `c = −a`: `a` gets `−gradient`.  `gradient = [1, −2]` → `[[−1, 2]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement NegateOp.backward(gradient:inputs:output:)")
    }
}

extension MatmulOp: Differentiable {
    /// `c = a.matmul(b)`, `c[i, j] = Σ_p a[i, p] · b[p, j]`: `a[i, p]` meets every `b[p, j]` of
    /// row `p`, so `∂L/∂a[i, p] = Σ_j g[i, j] · b[p, j]`, which is `g.matmul(bᵀ)`; likewise
    /// `∂L/∂b = aᵀ.matmul(g)`. Two matrix products, with `transposed()` (the last two axes).
    ///
    /// Batch axes broadcast as in the forward pass, so each product is summed back to its input's
    /// shape: with `a: [5, n, k]` and `b: [k, m]`, `aᵀ.matmul(g)` is `[5, k, m]`, summed to
    /// `[k, m]`.
    ///
    /// Shapes: `g: […, n, m]` → `[a's shape […, n, k], b's shape […, k, m]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement MatmulOp.backward(gradient:inputs:output:)")
    }
}
