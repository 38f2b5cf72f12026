// Lesson 04, file 3 of 3: cross-entropy for classification — softmax and negative
// log-likelihood in one stable step, with the log-sum-exp max trick.
//
// Row `r` of logits `[batch, classes]` is `logits.data[r * classes ..< (r + 1) * classes]`.

import Foundation  // log, exp
import TinyTorchTensor

/// Checks the arguments of `crossEntropy(logits:targets:)` and returns the batch size and the
/// number of classes.
///
/// Throws a `ShapeError` unless `logits` has rank 2 (`[batch, classes]`), the batch is not empty,
/// there is one target per row (the message names both counts), and every target is a class
/// index in `0..<classes` (the message names the bad target, its row and the logits' shape).
///
///     try crossEntropyDimensions(logits: [2, 3], targets: [0, 2])   // (batch: 2, classes: 3)
///     try crossEntropyDimensions(logits: [2, 3], targets: [0, 3])
///     // throws "crossEntropy: target 3 in row 1 is not a class of logits [2, 3] — …"
public func crossEntropyDimensions(
    logits: [Int], targets: [Int]
) throws -> (batch: Int, classes: Int) {
    todo("TODO(lesson 04): implement crossEntropyDimensions(logits:targets:)")
}

/// Cross-entropy from logits with integer class targets: for each row, `logSumExp(row) −
/// row[target]`, the negative log of the softmax probability of the correct class; then the mean
/// over the batch. PyTorch's `F.cross_entropy`.
///
/// Compute the log-sum-exp with the max trick, so it never overflows:
///
///     logSumExp(row) = m + log Σ_j exp(row[j] − m)        m = the row's largest logit
///     loss(row)      = log Σ_j exp(row[j] − m) − (row[target] − m)
///
/// The second line is `logSumExp(row) − row[target]` with `m` taken out of both terms: far from
/// 0 (logits near −1000) a `Float` keeps only about 4 decimals after the point, so adding `m`
/// and then subtracting it again would round the small answer away. Add up the sum of the exps
/// in a `Double`: a row of thousands of classes (a vocabulary) is a long sum.
///
/// Shapes: `logits` `[batch, classes]`, `targets` `batch` class indices in `0..<classes`
/// (checked with `crossEntropyDimensions` through `requireValidShape`) → a scalar (shape `[]`).
/// Records `CrossEntropyOp(targets: targets, maxima: …, logSumsOfExps: …)` — for each row, in
/// order, its `m` and its `log Σ_j exp(row[j] − m)`, two numbers kept apart for the same reason
/// (lesson 05 rebuilds the softmax from them) — with inputs `[logits]`.
///
///     crossEntropy(logits: Tensor([[2, 1, 0.1]]), targets: [0])
///     // logSumExp = 2 + log(1 + e^−1 + e^−1.9) = 2.4170, minus row[0] = 2 → 0.4170
public func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
    todo("TODO(lesson 04): implement crossEntropy(logits:targets:)")
}
