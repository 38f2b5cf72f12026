// Lesson 09, file 5 of 7: batch normalization — give every channel mean 0 and variance 1.
//
// For each channel c, over all N · H · W of its numbers in the batch:
//
//     μ_c = mean(x_c)        σ²_c = mean((x_c − μ_c)²)        (biased: divided by M = N·H·W)
//     x̂   = (x − μ_c) / √(σ²_c + ε)
//     y   = γ_c · x̂ + β_c                                      (γ, β: learned, start at 1 and 0)
//
// While training, μ and σ² are the batch's own; they also move running averages along. While
// evaluating, the running averages are used instead, so that one image's output does not depend
// on which other images share its batch.
//
// `BatchNorm2dOp` and the layer's stored properties are given; write the rest, top to bottom.

import TinyTorchTensor
import TinyTorchAutograd
import TinyTorchLayers

/// The mean and the (biased) variance of each channel of `input` `[N, C, H, W]`, over the
/// `N · H · W` numbers of that channel: `mean[c] = Σ x / M`, `variance[c] = Σ (x − mean[c])² / M`
/// with `M = N · H · W`.
///
/// Add both sums up in `Double`, and compute the variance as the mean of squared differences from
/// the mean — two passes over the channel — not as `mean(x²) − mean(x)²`: that shorter formula
/// subtracts two large, nearly equal numbers and can lose every digit (even go negative) when the
/// mean is large next to the spread. Channel `c` of image `n` is the `H · W` numbers starting at
/// `data[(n · C + c) · H · W]`. `require` that `input` has 4 axes and at least one number per
/// channel.
///
///     // channel 0 holds 1, 2, 3, 4 (over two images), channel 1 holds 0, 0, 0, 0
///     channelStatistics(x)   // mean [2.5, 0], variance [1.25, 0]
public func channelStatistics(_ input: Tensor) -> (mean: [Float], variance: [Float]) {
    todo("TODO(lesson 09): implement channelStatistics(_:)")
}

/// The operation recorded by `batchNorm2d`. Inputs: `[input, weight, bias]`.
///
/// Keeps the statistics the forward pass used, per channel — from which backward rebuilds
/// `x̂ = (x − mean) · inverseStandardDeviation` — and whether they were the batch's own
/// (training), which decides the input's gradient.
public struct BatchNorm2dOp: TensorOperation, Equatable {
    /// The mean subtracted from each channel.
    public let mean: [Float]
    /// `1 / √(variance + ε)` of each channel.
    public let inverseStandardDeviation: [Float]
    /// `true` when mean and variance were computed from this very input (training mode): they
    /// then change with it, and the gradient must flow through them too.
    public let usesBatchStatistics: Bool

    public init(mean: [Float], inverseStandardDeviation: [Float], usesBatchStatistics: Bool) {
        self.mean = mean
        self.inverseStandardDeviation = inverseStandardDeviation
        self.usesBatchStatistics = usesBatchStatistics
    }

    public var name: String { "batchNorm2d" }
}

/// Batch normalization of `input` `[N, C, H, W]`, channel by channel: PyTorch's
/// `F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)`.
///
///     y[n, c, h, w] = weight[c] · (x[n, c, h, w] − μ[c]) / √(σ²[c] + ε) + bias[c]
///
/// - `training: true`: `μ` and `σ²` are the batch's (`channelStatistics`, biased variance), and
///   the running statistics move towards them, in place (`runningMean.data[c] = …`):
///   `runningMean ← (1 − momentum) · runningMean + momentum · μ` and
///   `runningVariance ← (1 − momentum) · runningVariance + momentum · σ² · M / (M − 1)` — the
///   *unbiased* variance (`M = N · H · W`), as PyTorch keeps it. `require` `M > 1`.
/// - `training: false`: `μ` and `σ²` are `runningMean.data` and `runningVariance.data`, left
///   unchanged.
///
/// `weight` (γ) and `bias` (β) are `[C]`; `nil` means 1 and 0 (use `Tensor.ones([C])` and
/// `Tensor.zeros([C])` in their place). `require` the input to have 4 axes and every `[C]`
/// tensor to have shape `[C]`. Shape: `[N, C, H, W]` → the same. Records
/// `BatchNorm2dOp(mean:inverseStandardDeviation:usesBatchStatistics: training)` with inputs
/// `[input, weight, bias]`, `inverseStandardDeviation[c] = 1 / √(σ²[c] + ε)`.
///
///     // training, channel holding 1, 2, 3, 4 (μ = 2.5, σ² = 1.25): y ≈ [−1.342, −0.447, 0.447,
///     // 1.342]; runningMean 0 → 0.25, runningVariance 1 → 0.9 + 0.1 · 1.6667 = 1.0667
public func batchNorm2d(
    _ input: Tensor, runningMean: Tensor, runningVariance: Tensor,
    weight: Tensor? = nil, bias: Tensor? = nil,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5
) -> Tensor {
    todo("TODO(lesson 09): implement batchNorm2d(_:runningMean:runningVariance:weight:"
               + "bias:training:momentum:epsilon:)")
}

extension BatchNorm2dOp: Differentiable {
    /// With `g = ∂L/∂y` and, per channel, `x̂ = (x − μ) · s` (`s` the inverse standard deviation)
    /// and sums over the channel's `M = N · H · W` numbers:
    ///
    ///     ∂L/∂β = Σ g                 ∂L/∂γ = Σ g · x̂
    ///     ∂L/∂x = γ · s · g                                          (fixed statistics: eval)
    ///     ∂L/∂x = γ · s · (g − Σ g / M − x̂ · Σ (g · x̂) / M)         (batch statistics: training)
    ///
    /// The last line is the chain rule through μ and σ², which depend on every x of the channel:
    /// moving one x shifts the mean (the `Σ g / M` term) and the spread (the `x̂ · …` term) that
    /// every other output was normalized with. Add both sums up in `Double`. Inputs are
    /// `[input, weight, bias]`; return a gradient for each that `requiresGrad`, `nil` otherwise.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 09): implement BatchNorm2dOp.backward(gradient:inputs:output:)")
    }
}

// MARK: - The layer

/// Batch normalization as a layer: PyTorch's `nn.BatchNorm2d(channels, momentum:, eps:)`.
///
/// Learns a scale `weight` (γ, starts at 1) and a shift `bias` (β, starts at 0) per channel, and
/// keeps `runningMean` (starts at 0) and `runningVariance` (starts at 1), which training moves and
/// evaluation uses. Those two are not parameters: no gradient, no optimizer, just averages.
///
///     let norm = BatchNorm2d(channels: 16)
///     norm(x)            // training: normalized with x's statistics; running averages move
///     norm.eval()
///     norm(x)            // evaluating: normalized with the running averages
public final class BatchNorm2d: Module {
    public let channels: Int
    /// How far one training batch moves the running statistics (0.1: a tenth of the way).
    public let momentum: Float
    /// Added to the variance before the square root, so that a constant channel does not divide
    /// by zero.
    public let epsilon: Float
    /// γ, shape `[C]`, a parameter starting at 1.
    public let weight: Tensor
    /// β, shape `[C]`, a parameter starting at 0.
    public let bias: Tensor
    /// The running mean of each channel, `[C]`, starting at 0. Not a parameter.
    public let runningMean: Tensor
    /// The running (unbiased) variance of each channel, `[C]`, starting at 1. Not a parameter.
    public let runningVariance: Tensor
    public var isTraining = true

    /// A layer for `channels` channels: `weight` ones and `bias` zeros, both parameters
    /// (`asParameter()`); `runningMean` zeros and `runningVariance` ones, plain tensors.
    /// `channels ≥ 1`, `momentum` in `[0, 1]` and `epsilon > 0` (a `require` naming them).
    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        todo("TODO(lesson 09): implement BatchNorm2d.init(channels:momentum:epsilon:)")
    }

    /// `batchNorm2d` with this layer's tensors, in training mode while `isTraining`.
    ///
    /// Shape: `[N, C, H, W]` → the same.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 09): implement BatchNorm2d.callAsFunction(_:)")
    }
}
