// Lesson 07, file 3 of 6: the training loop.
//
//            ┌──────────────── one step, for every batch ────────────────┐
//            │                                                           │
//     batch ─┴─► zeroGrad ─► forward ─► loss ─► backward ─► clip ─► step ┘
//               (forget the   model(x)  L(ŷ, y)  fill every  cap the   move every
//                last grads)                     p.grad      length    p downhill
//
// One pass over every batch is an *epoch*; the learning-rate schedule is asked once per epoch.
// `evaluate` runs only the forward pass and the loss, in evaluation mode and with recording
// switched off: measuring a model must never change it.
//
// The stored properties, the initializer and the two helpers at the end are given; write
// `trainStep`, then `trainEpoch`, then `evaluate`.

import TinyTorchAutograd
import TinyTorchLayers
import TinyTorchOptimizers
import TinyTorchTensor

/// Trains a model on batches of `(inputs, targets)`: the loop every PyTorch script writes by hand,
/// written once.
///
/// `Target` is whatever the loss compares the model's output with: `[Int]` class labels for
/// `crossEntropy(logits:targets:)`, a `Tensor` for `meanSquaredError(_:_:)` or
/// `binaryCrossEntropy(logits:targets:)`.
///
///     let trainer = Trainer(model: model,
///                           optimizer: Adam(parameters: model.parameters(), learningRate: 1e-3),
///                           loss: crossEntropy(logits:targets:),
///                           accuracy: accuracy(logits:labels:))
///     for _ in 0..<5 {
///         let train = trainer.trainEpoch(trainingBatches)  // [(inputs: Tensor, targets: [Int])]
///         let test = trainer.evaluate(testBatches)
///         print(train.loss, test.accuracy ?? 0)
///     }
///
/// Batches are any `Sequence` of `(inputs: Tensor, targets: Target)`: an array, or lesson 08's
/// `DataLoader` mapped to that shape:
///
///     trainer.trainEpoch(loader.lazy.map { (inputs: $0.inputs, targets: $0.labels) })
public final class Trainer<Target> {
    /// The model being trained.
    public let model: any Module
    /// The optimizer that updates `model`'s parameters.
    public let optimizer: any Optimizer
    /// The loss: `loss(outputs, targets)`, a scalar tensor.
    public let loss: (Tensor, Target) -> Tensor
    /// How often the model is right, `accuracy(outputs, targets)` in `[0, 1]`; `nil` when the
    /// task has no accuracy (regression).
    public let accuracy: ((Tensor, Target) -> Float)?
    /// Sets the optimizer's learning rate at the start of every epoch; `nil` keeps it as it is.
    public let schedule: (any LearningRateSchedule)?
    /// If set, gradients are clipped to this total length before every step.
    public let gradientClipNorm: Float?
    /// The number of epochs trained so far: the next `trainEpoch` is epoch `epoch` (0 first).
    /// Set it to resume training with the schedule where it left off.
    public var epoch = 0

    /// A trainer of `model` with `optimizer` (built on `model.parameters()`) and `loss`.
    ///
    /// `accuracy` adds an accuracy to the metrics (`accuracy(logits:labels:)`,
    /// `binaryAccuracy(logits:targets:)`); `schedule` drives the learning rate per epoch;
    /// `gradientClipNorm`, if given, must be above 0.
    public init(
        model: any Module, optimizer: any Optimizer,
        loss: @escaping (Tensor, Target) -> Tensor,
        accuracy: ((Tensor, Target) -> Float)? = nil,
        schedule: (any LearningRateSchedule)? = nil,
        gradientClipNorm: Float? = nil
    ) {
        require(gradientClipNorm.map { $0.isFinite && $0 > 0 } ?? true,
                "Trainer: gradientClipNorm \(gradientClipNorm ?? 0) — it must be above 0 "
                   + "(typical: 1), or nil for no clipping")
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.accuracy = accuracy
        self.schedule = schedule
        self.gradientClipNorm = gradientClipNorm
    }

    /// One training step on one batch; returns the batch's loss and accuracy, both measured on
    /// the outputs *before* the step.
    ///
    ///     1. optimizer.zeroGrad()                forget the last step's gradients
    ///     2. outputs = model(inputs)             the forward pass records a graph
    ///     3. value = loss(outputs, targets)      a scalar
    ///     4. value.backward()                    every parameter's grad
    ///     5. clipGradientNorm(optimizer.parameters, maxNorm:)   only if gradientClipNorm is set
    ///     6. optimizer.step()                    every parameter moves
    ///
    /// The accuracy (if the trainer has one) is computed from `outputs` inside
    /// `GradientMode.withoutGradients`. The model's mode is not changed: `trainEpoch` sets it.
    ///
    /// With `model` one `Linear` of weight `[[1]]` and bias `[0]`, SGD with `lr = 0.1`, mean
    /// squared error, `inputs [[2]]`, `targets [[5]]`: the output is 2, the loss `(2 − 5)² = 9`,
    /// `∂L/∂w = 2·(2 − 5)·2 = −12` and `∂L/∂b = −6`, so the weight becomes `1 + 1.2 = 2.2` and
    /// the bias `0.6`; the step returns `(loss: 9, accuracy: nil)`.
    @discardableResult
    public func trainStep(inputs: Tensor, targets: Target) -> (loss: Float, accuracy: Float?) {
        todo("TODO(lesson 07): implement trainStep(inputs:targets:)")
    }

    /// One epoch: every batch once, in the order given.
    ///
    ///     1. with a schedule: optimizer.learningRate = schedule.learningRate(atEpoch: epoch)
    ///     2. model.train()                       dropout on, at every depth
    ///     3. for each batch: trainStep, and add its loss and accuracy to a RunningMetrics,
    ///        with batchSize = the first size of its inputs
    ///     4. epoch += 1
    ///
    /// Returns the epoch's mean loss and accuracy per example, the numbers of examples and
    /// batches, and the time it took (measure with `ContinuousClock`). At least one batch
    /// (`require`).
    @discardableResult
    public func trainEpoch<Batches: Sequence>(_ batches: Batches) -> EpochMetrics
    where Batches.Element == (inputs: Tensor, targets: Target) {
        todo("TODO(lesson 07): implement trainEpoch(_:)")
    }

    /// Measures the model on `batches` without changing it: the mean loss and accuracy per
    /// example, and the time it took, as `trainEpoch` reports them.
    ///
    ///     1. remember whether the model was training, then model.eval()   dropout off
    ///     2. inside GradientMode.withoutGradients: for each batch, outputs = model(inputs),
    ///        and add loss(outputs, targets).scalar and the accuracy to a RunningMetrics
    ///     3. if the model was training, model.train() again
    ///
    /// No `backward`, no `step`, no schedule, and `epoch` stays as it is. Without recording, no
    /// graph is built: evaluation needs less memory and time than training. At least one batch
    /// (`require`).
    @discardableResult
    public func evaluate<Batches: Sequence>(_ batches: Batches) -> EpochMetrics
    where Batches.Element == (inputs: Tensor, targets: Target) {
        todo("TODO(lesson 07): implement evaluate(_:)")
    }
}

/// The number of examples in a batch: the size of the first axis of its inputs (given).
private func batchSize(of inputs: Tensor) -> Int {
    require(inputs.rank >= 1 && inputs.shape[0] >= 1,
            "Trainer: a batch's inputs have shape \(inputs.shape) — the first axis counts "
               + "the examples, and a batch needs at least one")
    return inputs.shape[0]
}

/// The time since `start`, in seconds (given).
private func seconds(since start: ContinuousClock.Instant, on clock: ContinuousClock) -> Double {
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
