// Lesson 04, file 2 of 3: binary cross-entropy — the loss of a yes/no prediction, from a
// probability (clamped away from 0 and 1) or, more stably, from a logit.
//
// `log` and `exp` come from Foundation; `log1p(y)` is `log(1 + y)`, accurate when y is tiny.
// Inside these functions a bare `max(a, b)` works, but `Swift.max(a, b)` always does.

import Foundation  // log, exp, log1p
import TinyTorchTensor

/// How far from 0 and 1 `binaryCrossEntropy(probabilities:targets:)` clamps the probabilities,
/// so that it never takes `log(0) = −∞`.
///
/// With `p` clamped to `[1e-7, 1 − 1e-7]`, one element's loss is at most `−log(1e-7) ≈ 16.1`
/// (near `p = 0`; near `p = 1` about 15.9, as `1 − 1e-7` rounds to `1 − 1.19e-7` in a `Float`):
/// a confident wrong answer is punished hard, but with a finite number. (Keras uses the same
/// 1e-7. PyTorch's `BCELoss` clamps the logarithm at −100 instead, so it can reach 100. Both
/// differ from the exact loss only for probabilities within 1e-7 of 0 or 1.)
public let binaryCrossEntropyEpsilon: Float = 1e-7

/// Binary cross-entropy from probabilities: `−mean(t · log p + (1 − t) · log(1 − p))`, with each
/// `p` first clamped to `[ε, 1 − ε]`, `ε = binaryCrossEntropyEpsilon`. PyTorch's
/// `F.binary_cross_entropy` (which clamps the log at −100 instead).
///
/// `probabilities` are the model's probabilities that each answer is "yes" (1), each in `0...1`
/// (a `require`: raw scores belong in `binaryCrossEntropy(logits:targets:)`); `targets` are
/// the right answers, 0 or 1 (values in between are allowed: "soft" labels).
///
/// Shapes: equal shapes (checked with `lossElementCount`) → a scalar (shape `[]`). Records
/// `BinaryCrossEntropyOp(targets: targets.data, epsilon: binaryCrossEntropyEpsilon)` with inputs
/// `[probabilities]`.
///
///     binaryCrossEntropy(probabilities: Tensor([0.9, 0.2, 0.6]), targets: Tensor([1, 0, 0]))
///     // (−log 0.9 − log 0.8 − log 0.4) / 3 = (0.1054 + 0.2231 + 0.9163) / 3 ≈ 0.4149
public func binaryCrossEntropy(probabilities: Tensor, targets: Tensor) -> Tensor {
    todo("TODO(lesson 04): implement binaryCrossEntropy(probabilities:targets:)")
}

/// Binary cross-entropy from logits: the same loss as
/// `binaryCrossEntropy(probabilities: sigmoid(logits), targets:)`, computed stably as
///
///     mean( max(x, 0) − x · t + log(1 + e^(−|x|)) )
///
/// which never overflows (`e^(−|x|)` is at most 1) and never takes `log(0)`. PyTorch's
/// `F.binary_cross_entropy_with_logits`. A **logit** is a raw score in `(−∞, ∞)`; its sigmoid is
/// the probability of "yes".
///
/// Shapes: equal shapes (checked with `lossElementCount`) → a scalar (shape `[]`). Records
/// `BinaryCrossEntropyWithLogitsOp(targets: targets.data)` with inputs `[logits]`.
///
///     binaryCrossEntropy(logits: Tensor([100, -100]), targets: Tensor([1, 1]))
///     // (0 + 100) / 2 = 50: finite, where log(sigmoid(−100)) in Float would be log(0) = −∞
public func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
    todo("TODO(lesson 04): implement binaryCrossEntropy(logits:targets:)")
}
