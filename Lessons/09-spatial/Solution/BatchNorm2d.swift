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

import Foundation  // sqrt
import TinyTorchTensor
import TinyTorchAutograd
import TinyTorchLayers

/// The mean and the (biased) variance of each channel of `input` `[N, C, H, W]`, over the
/// `N · H · W` numbers of that channel: `mean[c] = Σ x / M`, `variance[c] = Σ (x − mean[c])² / M`
/// with `M = N · H · W`.
///
/// Both sums are added up in `Double`, and the variance is the mean of squared differences from
/// the mean, not `mean(x²) − mean(x)²`: that shorter formula subtracts two large, nearly equal
/// numbers and can lose every digit (even go negative) when the mean is large next to the spread.
/// `input` must have 4 axes and at least one number per channel.
///
///     // channel 0 holds 1, 2, 3, 4 (over two images), channel 1 holds 0, 0, 0, 0
///     channelStatistics(x)   // mean [2.5, 0], variance [1.25, 0]
public func channelStatistics(_ input: Tensor) -> (mean: [Float], variance: [Float]) {
    require(input.rank == 4 && input.shape[0] * input.shape[2] * input.shape[3] > 0,
            "channelStatistics: input \(input.shape) needs 4 axes, [batch, channels, height, "
               + "width], and at least one number per channel")
    let (batch, channels) = (input.shape[0], input.shape[1])
    let area = input.shape[2] * input.shape[3]
    let count = Double(batch * area)
    var mean = [Float](repeating: 0, count: channels)
    var variance = [Float](repeating: 0, count: channels)
    input.data.withUnsafeBufferPointer { x in
        mean.withUnsafeMutableBufferPointer { mean in
            variance.withUnsafeMutableBufferPointer { variance in
                // Channels are independent: each core takes some of them.
                splitAcrossCores(channels, work: x.count) { channelRange in
                    for c in channelRange {
                        func plane(_ n: Int) -> UnsafePointer<Float> {
                            x.baseAddress! + (n * channels + c) * area
                        }
                        var sum = 0.0
                        for n in 0..<batch { sum += planeSum(plane(n), area) }
                        let mu = sum / count
                        var squares = 0.0
                        for n in 0..<batch {
                            squares += planeSum(plane(n), area, squaresAround: mu)
                        }
                        mean[c] = Float(mu)
                        variance[c] = Float(squares / count)
                    }
                }
            }
        }
    }
    return (mean, variance)
}

/// `Σ x` (`squaresAround: nil`) or `Σ (x − μ)²` over the `count` numbers from `start` on, in
/// `Double`, with 8 sums side by side (`SIMD8<Double>`, 8 numbers at a time) added up at the end:
/// a single running sum makes every addition wait for the one before it (measured: about 4
/// times slower on the CIFAR network's planes).
@inline(__always)
private func planeSum(_ start: UnsafePointer<Float>, _ count: Int,
                      squaresAround mu: Double? = nil) -> Double {
    let whole = count - count % 8  // the numbers taken 8 at a time; the rest one by one
    var sums = SIMD8<Double>()
    var sum = 0.0
    if let mu {
        for k in stride(from: 0, to: whole, by: 8) {
            let d = eight(start + k) - mu
            sums += d * d
        }
        for k in whole..<count { sum += (Double(start[k]) - mu) * (Double(start[k]) - mu) }
    } else {
        for k in stride(from: 0, to: whole, by: 8) { sums += eight(start + k) }
        for k in whole..<count { sum += Double(start[k]) }
    }
    return sums.sum() + sum
}

/// `(Σ g, Σ g · x̂)` over the `count` numbers from `g` and `x` on, with `x̂ = (x − mean) ·
/// inverse`, in `Double` and 8 at a time as in `planeSum`.
@inline(__always)
private func gradientSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int,
                          mean mu: Float, inverse s: Float) -> (Double, Double) {
    let whole = count - count % 8
    var (sums, times) = (SIMD8<Double>(), SIMD8<Double>())
    for k in stride(from: 0, to: whole, by: 8) {
        let normalized = (UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self) - mu) * s
        let gradient = eight(g + k)
        sums += gradient
        times += gradient * SIMD8<Double>(normalized)
    }
    var (sum, sumTimes) = (sums.sum(), times.sum())
    for k in whole..<count {
        sum += Double(g[k])
        sumTimes += Double(g[k]) * Double((x[k] - mu) * s)
    }
    return (sum, sumTimes)
}

/// The 8 numbers from `start` on, as `Double`s.
@inline(__always)
private func eight(_ start: UnsafePointer<Float>) -> SIMD8<Double> {
    SIMD8<Double>(UnsafeRawPointer(start).loadUnaligned(as: SIMD8<Float>.self))
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
///   the running statistics move towards them, in place:
///   `runningMean ← (1 − momentum) · runningMean + momentum · μ` and
///   `runningVariance ← (1 − momentum) · runningVariance + momentum · σ² · M / (M − 1)` — the
///   *unbiased* variance (`M = N · H · W`), as PyTorch keeps it. Needs `M > 1`.
/// - `training: false`: `μ` and `σ²` are `runningMean` and `runningVariance`, left unchanged.
///
/// `weight` (γ) and `bias` (β) are `[C]`; `nil` means 1 and 0. The running statistics are `[C]`.
/// Shape: `[N, C, H, W]` → the same. Records `BatchNorm2dOp` with inputs `[input, weight, bias]`
/// (constant ones and zeros standing in for a missing weight or bias).
///
///     // training, channel holding 1, 2, 3, 4 (μ = 2.5, σ² = 1.25): y ≈ [−1.342, −0.447, 0.447,
///     // 1.342]; runningMean 0 → 0.25, runningVariance 1 → 0.9 + 0.1 · 1.6667 = 1.0667
public func batchNorm2d(
    _ input: Tensor, runningMean: Tensor, runningVariance: Tensor,
    weight: Tensor? = nil, bias: Tensor? = nil,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5
) -> Tensor {
    require(input.rank == 4,
            "batchNorm2d: input \(input.shape) needs 4 axes, [batch, channels, height, width]")
    let (batch, channels) = (input.shape[0], input.shape[1])
    let area = input.shape[2] * input.shape[3]
    for (name, tensor) in [("runningMean", runningMean), ("runningVariance", runningVariance),
                           ("weight", weight), ("bias", bias)] {
        guard let tensor else { continue }
        require(tensor.shape == [channels],
                "batchNorm2d: \(name) \(tensor.shape) should be [\(channels)], one number per "
                   + "channel of input \(input.shape)")
    }
    let weight = weight ?? Tensor.ones([channels])
    let bias = bias ?? Tensor.zeros([channels])

    let mean: [Float], variance: [Float]
    if training {
        let count = batch * area
        require(count > 1,
                "batchNorm2d: input \(input.shape) has only \(count) number per channel — "
                   + "training needs more than 1 to measure a variance")
        (mean, variance) = channelStatistics(input)
        let unbiased = Float(count) / Float(count - 1)
        for c in 0..<channels {
            runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * mean[c]
            runningVariance.data[c] = (1 - momentum) * runningVariance.data[c]
                + momentum * variance[c] * unbiased
        }
    } else {
        (mean, variance) = (runningMean.data, runningVariance.data)
    }
    let inverseStandardDeviation = variance.map { 1 / ($0 + epsilon).squareRoot() }

    // y = x · scale[c] + shift[c]: the whole formula folded into one multiply-add per number.
    let scale = (0..<channels).map { weight.data[$0] * inverseStandardDeviation[$0] }
    let shift = (0..<channels).map { bias.data[$0] - mean[$0] * scale[$0] }
    // Every number is written, so no zeros first.
    let output = [Float](unsafeUninitializedCapacity: input.count) { y, initialized in
        input.data.withUnsafeBufferPointer { x in
            splitAcrossCores(batch * channels, work: x.count) { planes in
                for plane in planes {
                    let (a, b) = (scale[plane % channels], shift[plane % channels])
                    for k in (plane * area)..<((plane + 1) * area) {
                        y[k] = x[k] * a + b
                    }
                }
            }
        }
        initialized = input.count
    }
    return Tensor(shape: input.shape, data: output,
                  operation: BatchNorm2dOp(mean: mean,
                                           inverseStandardDeviation: inverseStandardDeviation,
                                           usesBatchStatistics: training),
                  inputs: [input, weight, bias])
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
    /// every other output was normalized with. Both sums are added up in `Double`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let (input, weight, bias) = (inputs[0], inputs[1], inputs[2])
        let (batch, channels) = (input.shape[0], input.shape[1])
        let area = input.shape[2] * input.shape[3]
        let count = Float(batch * area)

        // Per channel: Σ g and Σ g · x̂, reading each plane of each image once; the channels
        // are independent, so each core takes some of them.
        var sumGradient = [Double](repeating: 0, count: channels)
        var sumGradientTimesNormalized = [Double](repeating: 0, count: channels)
        gradient.data.withUnsafeBufferPointer { g in
            input.data.withUnsafeBufferPointer { x in
                sumGradient.withUnsafeMutableBufferPointer { sumGradient in
                    sumGradientTimesNormalized.withUnsafeMutableBufferPointer { sumTimes in
                        splitAcrossCores(channels, work: x.count) { channelRange in
                            for c in channelRange {
                                for n in 0..<batch {
                                    let start = (n * channels + c) * area
                                    let (sum, times) = gradientSums(
                                        g.baseAddress! + start, x.baseAddress! + start, area,
                                        mean: mean[c], inverse: inverseStandardDeviation[c])
                                    sumGradient[c] += sum
                                    sumTimes[c] += times
                                }
                            }
                        }
                    }
                }
            }
        }

        var inputGradient: Tensor?
        if input.requiresGrad {
            // Every number is written, so no zeros first.
            let result = [Float](unsafeUninitializedCapacity: input.count) { result, initialized in
                gradient.data.withUnsafeBufferPointer { g in
                    input.data.withUnsafeBufferPointer { x in
                        splitAcrossCores(batch * channels, work: x.count) { planes in
                            for plane in planes {
                                let c = plane % channels
                                let (mu, s) = (mean[c], inverseStandardDeviation[c])
                                let factor = weight.data[c] * s
                                // In eval mode the statistics are constants: no extra terms.
                                let meanGradient = usesBatchStatistics
                                    ? Float(sumGradient[c]) / count : 0
                                let meanTimes = usesBatchStatistics
                                    ? Float(sumGradientTimesNormalized[c]) / count : 0
                                for k in (plane * area)..<((plane + 1) * area) {
                                    let normalized = (x[k] - mu) * s
                                    result[k] = factor
                                        * (g[k] - meanGradient - normalized * meanTimes)
                                }
                            }
                        }
                    }
                }
                initialized = input.count
            }
            inputGradient = Tensor(shape: input.shape, data: result)
        }
        return [inputGradient,
                weight.requiresGrad
                    ? Tensor(shape: [channels], data: sumGradientTimesNormalized.map { Float($0) })
                    : nil,
                bias.requiresGrad
                    ? Tensor(shape: [channels], data: sumGradient.map { Float($0) }) : nil]
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

    /// A layer for `channels` channels. `channels ≥ 1`, `momentum` in `[0, 1]` and `epsilon > 0`
    /// (a `require` naming them).
    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        require(channels >= 1 && (0...1).contains(momentum) && epsilon > 0,
                "BatchNorm2d(channels: \(channels), momentum: \(momentum), epsilon: \(epsilon)): "
                   + "channels must be at least 1, momentum in [0, 1], epsilon above 0")
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        self.weight = Tensor.ones([channels]).asParameter()
        self.bias = Tensor.zeros([channels]).asParameter()
        self.runningMean = Tensor.zeros([channels])
        self.runningVariance = Tensor.ones([channels])
    }

    /// `batchNorm2d` with this layer's tensors, in training mode while `isTraining`.
    ///
    /// Shape: `[N, C, H, W]` → the same.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        batchNorm2d(input, runningMean: runningMean, runningVariance: runningVariance,
                    weight: weight, bias: bias, training: isTraining, momentum: momentum,
                    epsilon: epsilon)
    }
}
