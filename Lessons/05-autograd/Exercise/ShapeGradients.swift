// Lesson 05, file 5 of 8: the gradients of reshape and transpose.
//
// Neither changes a single number, they only move numbers around. So the gradient moves back the
// same way: each input element gets exactly the gradient of the output element it became.

import TinyTorchTensor

extension ReshapeOp: Differentiable {
    /// `c = a.reshaped(to: …)`: the same numbers in the same order, so the gradient is the
    /// incoming one read with the input's shape again: `gradient.reshaped(to: inputShape)`.
    ///
    /// `a: [2, 3]` reshaped to `[3, 2]`, `gradient: [3, 2]` → `[gradient as [2, 3]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement ReshapeOp.backward(gradient:inputs:output:)")
    }
}

extension TransposeOp: Differentiable {
    /// `c = a.transposed(axis0, axis1)`: element `[…i…j…]` of `c` is element `[…j…i…]` of `a`, so
    /// swapping the same two axes of the gradient puts every number back where it came from:
    /// `gradient.transposed(axis0, axis1)`.
    ///
    /// `a: [2, 3]`, `gradient: [[1, 2], [3, 4], [5, 6]]` → `[[[1, 3, 5], [2, 4, 6]]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement TransposeOp.backward(gradient:inputs:output:)")
    }
}
