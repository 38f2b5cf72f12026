// Lesson 06, file 4 of 4: learning-rate schedules — big steps early, small steps late.
//
// A schedule is a pure function from the epoch (0, 1, 2, …) to a learning rate. The training
// loop (lesson 07) asks it once per epoch and hands the answer to the optimizer:
//
//     optimizer.learningRate = schedule.learningRate(atEpoch: epoch)
//
// (PyTorch's schedulers instead change the optimizer themselves when you call
// `scheduler.step()`; the numbers are the same.) The stored properties and initializers are
// given; write the two `learningRate(atEpoch:)`.

import Foundation  // pow and cos
import TinyTorchTensor  // require

/// A learning rate for every epoch.
///
/// `epoch` counts from 0, the first epoch. Nothing says an "epoch" must be a pass over the data:
/// call it with the step number instead (and `totalEpochs` = the number of steps) for a schedule
/// that changes every batch.
public protocol LearningRateSchedule {
    /// The learning rate to use during `epoch` (0 for the first). `epoch` must be ≥ 0.
    func learningRate(atEpoch epoch: Int) -> Float
}

/// Step decay: the initial rate, multiplied by `gamma` every `stepSize` epochs. PyTorch's
/// `StepLR`.
///
///     lr(epoch) = initial · gamma ^ ⌊epoch / stepSize⌋
///
/// `StepSchedule(initial: 0.1, stepSize: 3, gamma: 0.5)` gives 0.1, 0.1, 0.1, 0.05, 0.05, 0.05,
/// 0.025, …
public struct StepSchedule: LearningRateSchedule {
    /// The rate of epochs `0..<stepSize`.
    public let initial: Float
    /// How many epochs each rate lasts.
    public let stepSize: Int
    /// The factor applied every `stepSize` epochs (0.1 and 0.5 are common).
    public let gamma: Float

    /// Stops with a message unless `initial > 0`, `stepSize ≥ 1` and `gamma > 0`.
    public init(initial: Float, stepSize: Int, gamma: Float) {
        require(initial.isFinite && initial > 0,
                "StepSchedule: initial learning rate \(initial) — it must be above 0")
        require(stepSize >= 1,
                "StepSchedule: stepSize \(stepSize) — each rate must last at least 1 epoch")
        require(gamma.isFinite && gamma > 0,
                "StepSchedule: gamma \(gamma) — it must be above 0 (below 1 to decay)")
        self.initial = initial
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// `initial · gamma ^ ⌊epoch / stepSize⌋`; for `epoch ≥ 0`, integer division `epoch / stepSize`
    /// is the floor. Stops with a message (a `require`) if `epoch < 0`: epochs count from 0.
    ///
    /// With `initial: 0.1, stepSize: 3, gamma: 0.5`: epoch 4 → `0.1 · 0.5¹ = 0.05`.
    public func learningRate(atEpoch epoch: Int) -> Float {
        todo("TODO(lesson 06): implement StepSchedule.learningRate(atEpoch:)")
    }
}

/// Cosine annealing: from `initial` down to `minimum` along half a cosine wave, over
/// `totalEpochs` epochs (Loshchilov & Hutter 2017). PyTorch's `CosineAnnealingLR`, by its closed
/// form, with `T_max = totalEpochs` and `eta_min = minimum`:
///
///     lr(epoch) = minimum + (initial − minimum) · (1 + cos(π · epoch / totalEpochs)) / 2
///
/// It starts at `initial`, is halfway at `totalEpochs / 2` and reaches `minimum` at
/// `totalEpochs`. After that it stays at `minimum` (PyTorch's cosine would climb back up).
public struct CosineSchedule: LearningRateSchedule {
    /// The rate of epoch 0.
    public let initial: Float
    /// The rate from epoch `totalEpochs` on.
    public let minimum: Float
    /// How many epochs the descent takes.
    public let totalEpochs: Int

    /// Stops with a message unless `initial > 0`, `0 ≤ minimum ≤ initial` and `totalEpochs ≥ 1`.
    public init(initial: Float, minimum: Float = 0, totalEpochs: Int) {
        require(initial.isFinite && initial > 0,
                "CosineSchedule: initial learning rate \(initial) — it must be above 0")
        require(minimum >= 0 && minimum <= initial,
                "CosineSchedule: minimum \(minimum) — it must be between 0 and the initial "
                   + "rate \(initial)")
        require(totalEpochs >= 1,
                "CosineSchedule: totalEpochs \(totalEpochs) — the descent needs at least 1 "
                   + "epoch")
        self.initial = initial
        self.minimum = minimum
        self.totalEpochs = totalEpochs
    }

    /// `minimum + (initial − minimum) · (1 + cos(π · e / totalEpochs)) / 2` with
    /// `e = min(epoch, totalEpochs)`, computed in `Double`. Stops with a message (a
    /// `require`) if `epoch < 0`: epochs count from 0.
    ///
    /// With `initial: 0.1, minimum: 0, totalEpochs: 4`: 0.1, 0.0854, 0.05, 0.0146, 0, then 0.
    public func learningRate(atEpoch epoch: Int) -> Float {
        todo("TODO(lesson 06): implement CosineSchedule.learningRate(atEpoch:)")
    }
}
