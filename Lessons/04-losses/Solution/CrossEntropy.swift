// Cross-entropy for classification: softmax and negative log-likelihood in one stable step.

import Foundation  // log, exp
import TinyTorchTensor

/// Checks the arguments of `crossEntropy(logits:targets:)` and returns the batch size and the
/// number of classes.
///
/// Throws unless `logits` has rank 2 (`[batch, classes]`), the batch is not empty, there is one
/// target per row, and every target is a class index in `0..<classes`.
///
///     try crossEntropyDimensions(logits: [2, 3], targets: [0, 2])   // (batch: 2, classes: 3)
///     try crossEntropyDimensions(logits: [2, 3], targets: [0, 3])
///     // throws "crossEntropy: target 3 in row 1 is not a class of logits [2, 3] — …"
public func crossEntropyDimensions(
    logits: [Int], targets: [Int]
) throws -> (batch: Int, classes: Int) {
    guard logits.count == 2 else {
        throw ShapeError("crossEntropy: logits must have shape [batch, classes], got \(logits) — "
            + "for a single example use reshaped(to: [1, -1])")
    }
    let (batch, classes) = (logits[0], logits[1])
    guard batch > 0 else {
        throw ShapeError("crossEntropy: logits \(logits) hold no rows — the mean over an empty "
            + "batch is undefined")
    }
    guard targets.count == batch else {
        throw ShapeError("crossEntropy: logits \(logits) have \(batch) rows but there are "
            + "\(targets.count) targets — give one class index per row")
    }
    for (row, target) in targets.enumerated() where !(0..<classes).contains(target) {
        throw ShapeError("crossEntropy: target \(target) in row \(row) is not a class of logits "
            + "\(logits) — targets must be in 0..<\(classes)")
    }
    return (batch, classes)
}

/// Cross-entropy from logits with integer class targets: for each row, `logSumExp(row) −
/// row[target]`, the negative log of the softmax probability of the correct class; then the mean
/// over the batch. PyTorch's `F.cross_entropy`.
///
/// The log-sum-exp is computed with the max trick, so it never overflows:
/// `logSumExp(row) = m + log Σ_j exp(row[j] − m)`, with `m` the row's largest logit, and the
/// row's loss as `log Σ_j exp(row[j] − m) − (row[target] − m)`, which is the same number without
/// the rounding of adding `m` and taking it away again. The sum of the exps is added up in
/// `Double`, as every long sum in the course.
///
/// Shapes: `logits` `[batch, classes]`, `targets` `batch` class indices in `0..<classes` → a
/// scalar (shape `[]`). Records `CrossEntropyOp(targets:maxima:logSumsOfExps:)` — for each row
/// `m` and `log Σ_j exp(row[j] − m)`, kept apart for the same reason — with inputs `[logits]`.
///
///     crossEntropy(logits: Tensor([[2, 1, 0.1]]), targets: [0])
///     // logSumExp = 2 + log(1 + e^−1 + e^−1.9) = 2.4170, minus row[0] = 2 → 0.4170
public func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
    let (batch, classes) = requireValidShape {
        try crossEntropyDimensions(logits: logits.shape, targets: targets)
    }
    var maxima: [Float] = []
    var logSumsOfExps: [Float] = []
    maxima.reserveCapacity(batch)
    logSumsOfExps.reserveCapacity(batch)
    var total = 0.0
    for row in 0..<batch {
        let start = row * classes
        let values = logits.data[start..<(start + classes)]  // keeps the indices of `data`
        let largest = values.max()!                          // at least one class: checked
        // Every exponent is ≤ 0, so each term is in (0, 1] and the sum in [1, classes].
        let sumOfExps = values.reduce(0.0) { $0 + Double(exp($1 - largest)) }
        let logSumOfExps = Float(log(sumOfExps))
        maxima.append(largest)
        logSumsOfExps.append(logSumOfExps)
        // logSumExp − row[target], with the largest logit taken out of both first: at logits
        // near ±1000 a Float has only ~4 decimals after the point, so adding m back and taking
        // it away again would round the answer.
        total += Double(logSumOfExps - (values[start + targets[row]] - largest))
    }
    return Tensor(shape: [], data: [Float(total / Double(batch))],
                  operation: CrossEntropyOp(targets: targets, maxima: maxima,
                                            logSumsOfExps: logSumsOfExps),
                  inputs: [logits])
}
