// Lesson 05, file 2 of 8: the backward pass — walk the recorded graph from the loss back to the
// parameters, applying the chain rule at every operation.
//
//     x ──┐
//         matmul ── h ──┐
//     w ──┘             + ── z ── relu ── a ── crossEntropy ── loss
//     b ────────────────┘
//
// `topologicalOrder(from: loss)` lists x, w, h, b, z, a, loss: every tensor after the ones it was
// computed from. `loss.backward()` walks that list backwards, so a tensor's gradient is complete
// (every use of it has sent its share) before its own operation passes it on to its inputs.
//
// Write `topologicalOrder` first (its tests need nothing else), then `backward(gradient:)`, then
// `backward()` and `zeroGrad()`, which are one line each. The tests of this file use small
// test-only operations with their own gradients, so they pass before you write any gradient.
// A few Swift tools you will want:
//
//     ObjectIdentifier(tensor)                        which object: equal only for the same one
//     var seen: Set<ObjectIdentifier> = []            seen.insert(id).inserted is false if known
//     var pending: [ObjectIdentifier: Tensor] = [:]   a gradient per tensor, until it is used
//     GradientMode.withoutGradients { … }             run code without recording (lesson 01)

import TinyTorchTensor

/// Every tensor `root` was computed from, each once, ordered so that a tensor comes after all of
/// its recorded inputs; `root` is last.
///
/// A depth-first search over `recording.inputs`, written with an explicit stack instead of
/// recursion: a graph built in a loop (`for _ in 0..<100_000 { x = x * 0.99 }`) is as deep as the
/// loop is long, and a recursive walk that deep overflows the call stack. A tensor is identified
/// by `ObjectIdentifier(tensor)` — which object it is, not what it holds — so a tensor used twice
/// (the `a` of a diamond `a → b, a → c, (b, c) → d`) is listed once.
///
///     let a = Tensor([1, 2]).asParameter()        // (asParameter: lesson 03)
///     let b = a * 2, c = a + 1, d = b * c
///     topologicalOrder(from: d)   // a, Tensor(2), b, Tensor(1), c, d  — a once, d last
public func topologicalOrder(from root: Tensor) -> [Tensor] {
    todo("TODO(lesson 05): implement topologicalOrder(from:)")
}

extension Tensor {
    /// Backpropagation from a scalar: fills `grad` of every tensor this one was computed from that
    /// requires a gradient, with `∂self/∂tensor`.
    ///
    /// The seed is `∂L/∂L = 1`. Needs `count == 1` (a loss, shape `[]`); for any other shape
    /// call `backward(gradient:)`. Gradients **accumulate**: call `zeroGrad()` (or an optimizer's)
    /// between training steps.
    ///
    ///     let w = Tensor([3]).asParameter()
    ///     let loss = (w * w).sum()         // w²
    ///     loss.backward()
    ///     w.grad                           // [6]: d(w²)/dw = 2w
    public func backward() {
        todo("TODO(lesson 05): implement backward()")
    }

    /// Backpropagation with an explicit seed `gradient = ∂L/∂self`, of the same shape as `self`.
    ///
    /// Walks `topologicalOrder(from: self)` from the end, keeping for each tensor the sum of the
    /// gradients sent to it so far. At a recorded tensor, its operation's `backward` turns that
    /// sum into one gradient per input; at a leaf (no recording) that requires a gradient, the sum
    /// is added to `grad` (`grad += sum`). The first time, store a **copy**,
    /// `Tensor(shape: sum.shape, data: sum.data)`, never `sum` itself: `AddOp` hands the very same
    /// tensor to both its inputs, and two leaves must never share one `grad` object. Only leaves
    /// keep a `grad`, as in PyTorch: intermediate gradients are dropped as soon as they are passed
    /// on. Tensors that do not require a gradient get none. Runs inside
    /// `GradientMode.withoutGradients`, so the backward pass itself records nothing.
    ///
    /// Stops with a message if `self` does not require a gradient, if the seed's shape differs, if
    /// an operation is not `Differentiable`, or if its `backward` returns a gradient of the wrong
    /// shape.
    ///
    ///     let x = Tensor([1, 2, 3]).asParameter()
    ///     (x * 2).backward(gradient: Tensor([1, 0, -1]))
    ///     x.grad                           // [2, 0, -2]
    public func backward(gradient: Tensor) {
        todo("TODO(lesson 05): implement backward(gradient:)")
    }

    /// Forgets the gradient: `grad = nil`, as PyTorch's `zero_grad()` does by default
    /// (`set_to_none=True`).
    ///
    /// `nil` rather than zeros: no memory is kept between steps, and the next `backward()` simply
    /// stores its gradient instead of adding it to zeros. Call it on every parameter before each
    /// training step, or gradients of successive steps add up.
    ///
    ///     w.zeroGrad()      // w.grad == nil
    public func zeroGrad() {
        todo("TODO(lesson 05): implement zeroGrad()")
    }
}
