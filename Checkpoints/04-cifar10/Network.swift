// The milestone's network, its learning-rate schedule, and how much arithmetic it costs.
import TinyTorch

/// The channels of the three stages: 32 → 64 → 128, as small as Keller Jordan's airbench CPU net
/// (the peer, ../shared/peers/cifar_cnn.py), so that a learner's framework trains it in minutes.
let stageWidths = [32, 64, 128]

/// Three stages of two 3 × 3 convolutions, each stage halving the image: 32² → 16² → 8² → 4².
///
///     conv3×3(3→32)    → maxpool 2 → BatchNorm → ReLU → conv3×3(32→32)   → BatchNorm → ReLU
///     conv3×3(32→64)   → maxpool 2 → BatchNorm → ReLU → conv3×3(64→64)   → BatchNorm → ReLU
///     conv3×3(64→128)  → maxpool 2 → BatchNorm → ReLU → conv3×3(128→128) → BatchNorm → ReLU
///     maxpool 4 → flatten → linear(128→10)
///
/// The convolutions have no bias (the BatchNorm after each adds one). Pooling comes before the
/// BatchNorm and the ReLU, so those two run on a quarter of the pixels (airbench's order).
/// Tests/Benchmarks/cifar_ours.py is the same network in PyTorch, layer for layer (the same
/// indices in the Sequential, so the same names in the saved model).
func makeNetwork(using generator: inout SeededGenerator) -> Sequential {
    var layers: [any Module] = []
    var channels = 3
    for width in stageWidths {
        layers += [
            Conv2d(inputChannels: channels, outputChannels: width, kernelSize: 3, padding: 1, bias: false, using: &generator),
            MaxPool2d(kernelSize: 2),
            BatchNorm2d(channels: width),
            ReLU(),
            Conv2d(inputChannels: width, outputChannels: width, kernelSize: 3, padding: 1, bias: false, using: &generator),
            BatchNorm2d(channels: width),
            ReLU(),
        ]
        channels = width
    }
    layers += [MaxPool2d(kernelSize: 4), Flatten(), Linear(inputSize: channels, outputSize: 10, using: &generator)]
    return Sequential(layers)
}

/// The logits are divided by 8 before the loss: a calmer softmax at the start, when BatchNorm
/// makes every logit large (airbench divides by 9). `predict` uses the same scale.
let logitScale: Float = 1.0 / 8

/// Multiply-adds of one image's forward pass, layer by layer, for an input of `shape` (one
/// image, `[3, 32, 32]`): a convolution costs `outputChannels · inputChannels · k² · Ho · Wo`, a
/// linear layer `inputSize · outputSize`; the rest is a few operations per number, counted as 0.
/// The training step of one image is about 3 times the forward pass: the forward, then the
/// gradients of each layer's input and of its weights, each a product of the same size.
func forwardMultiplyAdds(of model: Sequential, imageShape: [Int]) -> Int {
    var (channels, height, width) = (imageShape[0], imageShape[1], imageShape[2])
    var total = 0
    for layer in model.layers {
        switch layer {
        case let conv as Conv2d:
            let k = conv.weight.shape[2]
            height = (height + 2 * conv.padding - k) / conv.stride + 1
            width = (width + 2 * conv.padding - k) / conv.stride + 1
            total += conv.weight.shape[0] * channels * k * k * height * width
            channels = conv.weight.shape[0]
        case let pool as MaxPool2d:
            height = (height - pool.kernelSize) / pool.stride + 1
            width = (width - pool.kernelSize) / pool.stride + 1
        case let linear as Linear:
            total += linear.inputSize * linear.outputSize
        default:
            break
        }
    }
    return total
}

/// The learning rate of each step: up in a straight line from near 0 to `peak` over the first
/// `warmupShare` of the steps, then down in a straight line to 0 at the last step — the
/// "one-cycle" triangle (Smith 2018), a lesson 06 schedule counted in steps.
struct TriangleSchedule: LearningRateSchedule {
    let peak: Float
    let totalSteps: Int
    let warmupSteps: Int

    init(peak: Float, totalSteps: Int, warmupShare: Float = 0.2) {
        self.peak = peak
        self.totalSteps = totalSteps
        warmupSteps = max(1, Int(warmupShare * Float(totalSteps)))
    }

    func learningRate(atEpoch step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        return peak * max(0, Float(totalSteps - step) / Float(totalSteps - warmupSteps))
    }
}
