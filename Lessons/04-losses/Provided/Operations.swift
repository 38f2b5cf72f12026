// Given: you do not need to change this file. It is the same in Exercise/ and Solution/.
//
// How the losses are recorded for autograd (lesson 05). Each loss is ONE operation, not a chain of
// small ones (subtract, multiply, log, sum, divide…). That is deliberate: lesson 05 gives each of
// them a short, closed-form gradient that is also numerically stable, where the chain of small
// gradients would divide by nearly-zero probabilities. For `n` numbers averaged over:
//
//     meanSquaredError                     ∂loss/∂p = 2 · (p − t) / n
//     binaryCrossEntropy(probabilities:)   ∂loss/∂p = (p − t) / (p · (1 − p)) / n
//     binaryCrossEntropy(logits:)          ∂loss/∂x = (sigmoid(x) − t) / n
//     crossEntropy                         ∂loss/∂x = (softmax(x) − oneHot(t)) / batch
//
// The only recorded input is the predictions (or logits). The targets are data, not something
// the network learns, so no gradient is ever needed for them: each operation keeps a copy of
// them instead. (To differentiate with respect to the targets too, build the loss from the
// tensor operations of lesson 01, such as `((p - t) * (p - t)).mean()`.)

import TinyTorchTensor

/// `meanSquaredError(predictions, targets)`. Inputs: `[predictions]`.
///
/// Backward: `2 · (p − t) / n`, with `n` the number of elements.
public struct MeanSquaredErrorOp: TensorOperation, Equatable {
    /// The targets' numbers, in the row-major order of the predictions (same shape).
    public let targets: [Float]

    public init(targets: [Float]) {
        self.targets = targets
    }

    public var name: String { "meanSquaredError" }
}

/// `binaryCrossEntropy(probabilities:targets:)`. Inputs: `[probabilities]`.
///
/// Backward: `(p − t) / (p · (1 − p)) / n`, with `p` clamped to `[epsilon, 1 − epsilon]` as in the
/// forward pass, so it never divides by zero.
public struct BinaryCrossEntropyOp: TensorOperation, Equatable {
    /// The targets' numbers (usually 0 or 1), in the row-major order of the probabilities.
    public let targets: [Float]
    /// How far from 0 and 1 the probabilities were clamped (`binaryCrossEntropyEpsilon`).
    public let epsilon: Float

    public init(targets: [Float], epsilon: Float) {
        self.targets = targets
        self.epsilon = epsilon
    }

    public var name: String { "binaryCrossEntropy" }
}

/// `binaryCrossEntropy(logits:targets:)`. Inputs: `[logits]`.
///
/// Backward: `(sigmoid(x) − t) / n` — finite for every logit, however large.
public struct BinaryCrossEntropyWithLogitsOp: TensorOperation, Equatable {
    /// The targets' numbers (usually 0 or 1), in the row-major order of the logits.
    public let targets: [Float]

    public init(targets: [Float]) {
        self.targets = targets
    }

    public var name: String { "binaryCrossEntropyWithLogits" }
}

/// `crossEntropy(logits:targets:)`, for logits of shape `[batch, classes]`. Inputs: `[logits]`.
///
/// Backward: `(softmax(row) − oneHot(target)) / batch` for each row. The softmax is not saved: it
/// is rebuilt from the logits and two numbers per row, the row's largest logit `m` and
/// `log Σ_k e^(x_k − m)`, as
///
///     softmax(row)_j = e^((x_j − m) − log Σ_k e^(x_k − m))
///
/// Two numbers, not their sum `m + log Σ` (the log-sum-exp): a `Float` of 10,000 keeps only
/// three decimals, so `10000 + log 2` is stored as 10000.6934 instead of 10000.6931, and every
/// softmax rebuilt from it is 0.02 % off; at logits of 1e30 the `log 2` is lost entirely.
public struct CrossEntropyOp: TensorOperation, Equatable {
    /// The correct class of each row, in `0..<classes`.
    public let targets: [Int]
    /// For each row, its largest logit `m`.
    public let maxima: [Float]
    /// For each row, `log Σ_k e^(x_k − m)`: between 0 and `log classes`, computed stably in the
    /// forward pass.
    public let logSumsOfExps: [Float]

    public init(targets: [Int], maxima: [Float], logSumsOfExps: [Float]) {
        self.targets = targets
        self.maxima = maxima
        self.logSumsOfExps = logSumsOfExps
    }

    public var name: String { "crossEntropy" }
}
