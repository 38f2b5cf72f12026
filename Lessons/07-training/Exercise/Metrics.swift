// Lesson 07, file 1 of 6: measuring how well a model does — accuracy, and the running averages
// that one epoch reports.
//
// The loss is what the optimizer minimizes; accuracy is what people care about. Both are
// computed batch by batch and averaged over the epoch, each batch weighted by how many examples
// it holds, so that a small last batch counts for what it is.
//
// Write `accuracy`, `binaryAccuracy`, then `RunningMetrics.add`, `loss` and `accuracy`. The
// stored properties and `EpochMetrics` are given.

import TinyTorchTensor

/// The fraction of rows whose largest logit sits at the row's label: how many examples a
/// classifier got right.
///
/// For each row `i` of `logits` (`[batch, classes]`), the prediction is the column of the largest
/// value (the *argmax*; the first one if several are equal, as `torch.argmax`), and it is right
/// when it equals `labels[i]`. The result is `right / batch`, in `[0, 1]`. No softmax is needed:
/// softmax never changes which number in a row is the largest.
///
/// Shapes: `logits` `[batch, classes]` with `batch ≥ 1` and `classes ≥ 1`, `labels` `batch`
/// class numbers → a `Float`. Stops with a `require` naming the shapes otherwise.
///
///     accuracy(logits: Tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5]]), labels: [0, 1, 0])
///     // argmax per row: 0, 1, 2 → right, right, wrong → 2/3
public func accuracy(logits: Tensor, labels: [Int]) -> Float {
    todo("TODO(lesson 07): implement accuracy(logits:labels:)")
}

/// The fraction of predictions a binary classifier got right, from its logits: the prediction
/// is 1 where the logit is above 0 (a probability above ½ after `sigmoid`), else 0, and a target
/// counts as 1 when it is at least 0.5.
///
/// Shapes: `logits` and `targets` of the same shape, at least one element → a `Float` in
/// `[0, 1]`. Stops with a `require` naming the shapes otherwise.
///
///     binaryAccuracy(logits: Tensor([[2.5], [-1], [0.3], [-0.2]]),
///                    targets: Tensor([[1], [0], [0], [0]]))
///     // predictions 1, 0, 1, 0 → right, right, wrong, right → 3/4
public func binaryAccuracy(logits: Tensor, targets: Tensor) -> Float {
    todo("TODO(lesson 07): implement binaryAccuracy(logits:targets:)")
}

/// Sums of per-batch numbers, weighted by batch size, from which an epoch's averages come.
///
/// A batch's loss is already a mean over its examples, so the epoch's mean loss is not the mean
/// of the batch losses but their average weighted by batch size (PyTorch's tutorials write
/// `running_loss += loss.item() * inputs.size(0)`):
///
///     loss = Σ (batchLoss · batchSize) / Σ batchSize
///
/// Accuracy is averaged the same way. Sums are kept in `Double`: thousands of `Float` additions
/// would drift.
///
///     var running = RunningMetrics()
///     running.add(loss: 0.5, accuracy: 1, batchSize: 3)
///     running.add(loss: 2, accuracy: 0, batchSize: 1)
///     running.loss        // (0.5·3 + 2·1) / 4 = 0.875
///     running.accuracy    // (1·3 + 0·1) / 4 = 0.75
public struct RunningMetrics {
    /// `Σ batchLoss · batchSize` so far.
    public private(set) var lossSum: Double = 0
    /// `Σ batchAccuracy · batchSize` so far, for the batches that had an accuracy.
    public private(set) var accuracySum: Double = 0
    /// `Σ batchSize`: the number of examples added so far.
    public private(set) var examples = 0
    /// How many batches were added.
    public private(set) var batches = 0
    /// Whether every batch added so far came with an accuracy.
    public private(set) var hasAccuracy = true

    /// Nothing added yet.
    public init() {}

    /// Adds one batch: its mean `loss`, its `accuracy` (`nil` when the model has none, as in
    /// regression), and its number of examples, `batchSize` (at least 1).
    ///
    /// `lossSum += loss · batchSize`, `accuracySum += accuracy · batchSize`, `examples +=
    /// batchSize`, `batches += 1`, and `hasAccuracy` becomes `false` for good once a batch comes
    /// without one.
    public mutating func add(loss: Float, accuracy: Float?, batchSize: Int) {
        todo("TODO(lesson 07): implement RunningMetrics.add(loss:accuracy:batchSize:)")
    }

    /// The mean loss per example so far: `lossSum / examples` (0 before anything was added).
    public var loss: Float {
        todo("TODO(lesson 07): implement RunningMetrics.loss")
    }

    /// The mean accuracy per example so far, `accuracySum / examples`; `nil` if a batch came
    /// without an accuracy, or before anything was added.
    public var accuracy: Float? {
        todo("TODO(lesson 07): implement RunningMetrics.accuracy")
    }
}

/// What one epoch of training (or one evaluation) measured: the numbers a training log prints.
///
///     epoch 3: loss 0.1432, accuracy 95.8%, 60000 examples in 2.1 s
public struct EpochMetrics {
    /// The mean loss per example (see `RunningMetrics`).
    public let loss: Float
    /// The mean accuracy per example, in `[0, 1]`; `nil` for a model without one (regression).
    public let accuracy: Float?
    /// How many examples the epoch saw.
    public let examples: Int
    /// How many batches the epoch saw.
    public let batches: Int
    /// How long the epoch took, in seconds of wall-clock time.
    public let seconds: Double

    public init(loss: Float, accuracy: Float?, examples: Int, batches: Int, seconds: Double) {
        self.loss = loss
        self.accuracy = accuracy
        self.examples = examples
        self.batches = batches
        self.seconds = seconds
    }
}
