// Lesson 05, file 6 of 8: the gradients of sum, mean and max.
//
// A reduction turns many numbers into one, so its backward turns one gradient back into many:
//
//     sum:   every input element counted once          → each gets the gradient of its result
//     mean:  every input element counted 1/size times  → each gets that gradient / size
//     max:   only the winner counted                   → the winner gets it, the others 0
//
// As in lesson 01, see the input as [outer, size, inner] around the reduced axis: element
// [o, k, i] sits at data[(o · size + k) · inner + i], and it was reduced into result [o, i], which
// sits at gradient.data[o · inner + i] whether or not the axis was kept (a kept axis has size 1).
//
// Sum and mean share all their work: a small private helper that copies each gradient value to
// every element it came from, times a scale (1 for sum, 1/n for mean), keeps both to one line.
// The operations saved what you need: `axis` (normalized, or nil for everything),
// `keepingDimensions`, `inputShape`, and for max the `argmax`.

import TinyTorchTensor

extension SumOp: Differentiable {
    /// `c = a.sum()` or `a.sum(alongAxis:keepingDimensions:)`: `∂c/∂a` is 1 for every element
    /// that went into a sum, so each input element gets the gradient of the sum it went into.
    ///
    /// `a: [2, 3]` summed along axis 1, `gradient = [10, 20]` → `[[10, 10, 10], [20, 20, 20]]`;
    /// `a.sum()` with `gradient = 7` → every element gets 7.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement SumOp.backward(gradient:inputs:output:)")
    }
}

extension MeanOp: Differentiable {
    /// `c = a.mean()` or `a.mean(alongAxis:keepingDimensions:)`: the sum divided by the number
    /// `n` of elements averaged (the axis's size, or the whole count), so each input element gets
    /// the gradient of its mean, divided by `n`.
    ///
    /// `a: [2, 3]` averaged along axis 1, `gradient = [3, 6]` → `[[1, 1, 1], [2, 2, 2]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement MeanOp.backward(gradient:inputs:output:)")
    }
}

extension MaxOp: Differentiable {
    /// `c = a.max()` or `a.max(alongAxis:keepingDimensions:)`: a small change to the winning
    /// element changes the maximum by the same amount; a small change to any other changes
    /// nothing. So the gradient of result `j` goes to input element `argmax[j]`, everything else
    /// gets 0.
    ///
    /// Ties: the forward pass recorded the *first* of equal maxima, and it alone gets the
    /// gradient (PyTorch's `max(dim=…)` does the same; its `max()` of everything splits it evenly
    /// between them instead). At a tie the maximum has no derivative, so both are valid choices.
    ///
    /// `a = [[1, 5, 2], [7, 0, 7]]` maxed along axis 1 (`argmax == [1, 3]`), `gradient = [10, 20]`
    /// → `[[0, 10, 0], [20, 0, 0]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 05): implement MaxOp.backward(gradient:inputs:output:)")
    }
}
