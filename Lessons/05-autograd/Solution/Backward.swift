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
    var order: [Tensor] = []
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    // Each entry: a tensor whose inputs are being visited, and the next input to look at. A
    // tensor is appended to `order` when all of its inputs are done ("post-order").
    var stack: [(tensor: Tensor, nextInput: Int)] = [(root, 0)]
    while let top = stack.last {
        let inputs = top.tensor.recording?.inputs ?? []
        if top.nextInput < inputs.count {
            stack[stack.count - 1].nextInput += 1
            let input = inputs[top.nextInput]
            if visited.insert(ObjectIdentifier(input)).inserted {
                stack.append((input, 0))
            }
        } else {
            order.append(top.tensor)
            stack.removeLast()
        }
    }
    return order
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
        require(count == 1,
                "backward(): the tensor has shape \(shape) (\(count) numbers), but the seed "
                   + "∂L/∂L = 1 needs a single number — reduce it first (sum(), mean()) or "
                   + "call backward(gradient:) with a seed of shape \(shape)")
        backward(gradient: Tensor(shape: shape, data: [1]))
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
        require(requiresGrad,
                "backward(): this \(shape) tensor does not require a gradient, so nothing it "
                   + "was computed from does — make the parameters with asParameter() (or "
                   + "set requiresGrad = true) before the forward pass")
        require(gradient.shape == shape,
                "backward(gradient:): the seed has shape \(gradient.shape), but the tensor "
                   + "has shape \(shape) — they must be equal")
        GradientMode.withoutGradients {
            // ∂L/∂t summed over every use of t seen so far, for the tensors not yet reached.
            var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): gradient]
            for tensor in topologicalOrder(from: self).reversed() {
                // Every use of `tensor` comes later in the order, so its sum is now complete.
                guard let sum = pending.removeValue(forKey: ObjectIdentifier(tensor)) else {
                    continue  // nothing flowed here: it does not require a gradient
                }
                guard let recording = tensor.recording else {
                    if tensor.requiresGrad {
                        tensor.accumulateGradient(sum)
                    }
                    continue
                }
                let operation = requireDifferentiable(recording.operation)
                let gradients = operation.backward(gradient: sum, inputs: recording.inputs,
                                                   output: tensor)
                require(gradients.count == recording.inputs.count,
                        "backward of '\(recording.operation.name)' returned "
                           + "\(gradients.count) gradients for \(recording.inputs.count) "
                           + "inputs — return one per input, nil where none is needed")
                for (index, (input, gradient)) in zip(recording.inputs, gradients).enumerated() {
                    guard input.requiresGrad, let gradient else { continue }
                    require(gradient.shape == input.shape,
                            "backward of '\(recording.operation.name)' returned a gradient "
                               + "of shape \(gradient.shape) for input \(index) of shape "
                               + "\(input.shape) — each gradient needs its input's shape "
                               + "(undo a broadcast with summed(toShape:))")
                    let key = ObjectIdentifier(input)
                    // A tensor used twice gets the sum of both contributions (the chain rule
                    // adds over every path).
                    pending[key] = pending[key].map { $0 + gradient } ?? gradient
                }
            }
        }
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
        grad = nil
    }

    /// `grad += gradient`; the first gradient is stored as a tensor of its own, so that two
    /// tensors never share one `grad` object (editing one in place must not change the other).
    private func accumulateGradient(_ gradient: Tensor) {
        if let grad {
            self.grad = grad + gradient
        } else {
            self.grad = Tensor(shape: gradient.shape, data: gradient.data)
        }
    }
}
