// Lesson 07, file 2 of 6: gradient clipping — a speed limit for the optimizer.
//
// Now and then one batch gives an enormous gradient (a cliff in the loss surface, a bad example,
// a recurrent network multiplying the same weights many times). One step along it can throw the
// weights so far that training never recovers: the loss becomes inf, then NaN. Clipping keeps the
// *direction* of the gradient and caps its *length*:
//
//     total = √(Σ over every gradient element g²)        one length for the whole model
//     scale = maxNorm / (total + 1e-6)                  the 1e-6 keeps a zero total harmless
//     if scale < 1:  every g ← g · scale
//
// With gradients (3, 4) and (12) the total is √(9 + 16 + 144) = 13; with maxNorm 1 every number
// is multiplied by 1/13, giving (0.2308, 0.3077) and (0.9231), of total length 1.
//
// Write `gradientNorm`, then `clipGradientNorm`.

import TinyTorchTensor

/// The length of all the gradients together: `√(Σ g²)` over every element of the `grad` of every
/// tensor in `parameters` (the L2 norm of all gradients laid end to end). Tensors whose `grad` is
/// `nil` count as zero.
///
/// The sum is kept in `Double`: a model has hundreds of thousands of gradient elements.
///
///     // grads [3, 4] and [12]:  √(9 + 16 + 144) = 13
///     gradientNorm([a, b]) == 13
public func gradientNorm(_ parameters: [Tensor]) -> Float {
    todo("TODO(lesson 07): implement gradientNorm(_:)")
}

/// Scales every gradient down, in place, so that together they are at most `maxNorm` long, and
/// returns their total length *before* clipping. PyTorch's `torch.nn.utils.clip_grad_norm_`.
///
///     total = gradientNorm(parameters)
///     scale = maxNorm / (total + 1e-6)
///     if scale < 1:  every element of every grad ← element · scale
///
/// The `1e-6` is PyTorch's: it keeps the division finite when every gradient is 0. Gradients
/// already short enough (scale ≥ 1) are left exactly as they are. Call it between
/// `loss.backward()` and `optimizer.step()`. `maxNorm` must be a finite number above 0
/// (`require`).
///
///     // grads [3, 4] and [12], maxNorm 1: returns 13; grads become
///     // [0.2308, 0.3077] and [0.9231] (each times 1 / (13 + 1e-6))
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    todo("TODO(lesson 07): implement clipGradientNorm(_:maxNorm:)")
}
