// How fast the learner's framework trains this network, measured: the speed and time left after a
// few steps, and which kind of layer takes the time — each layer's forward and backward pass
// timed on its own, on a real batch.
import Dispatch
import Foundation
import MilestoneSupport
import TinyTorch

/// Seconds of processor time this program has used, all its threads together: unlike the clock
/// on the wall, it does not grow while other programs have the processor, so on a busy machine it
/// still tells how much work a step is.
func processorTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// One layer's share of a training step, measured on its own.
struct LayerTime {
    let index: Int
    let name: String
    let outputShape: [Int]
    var forward: Double
    var backward: Double
    /// Multiply-adds of its forward pass on the whole batch (0 where not counted).
    let multiplyAdds: Int
}

/// Where one training step's time goes, by kind of layer (and the rest of the step).
struct StepProfile {
    var layers: [LayerTime] = []
    /// Seconds of the rest of one step: the loss, the optimizers and the batch (its copy and
    /// augmentation), measured in the training loop itself.
    var loss = 0.0, update = 0.0, data = 0.0

    var layerSeconds: Double { layers.reduce(0) { $0 + $1.forward + $1.backward } }
    var total: Double { layerSeconds + loss + update + data }

    /// The kinds of layer ("Conv2d", …) with their summed times, slowest first.
    var kindsSlowestFirst: [(name: String, seconds: Double, forward: Double, backward: Double)] {
        var kinds: [String: (Double, Double)] = [:]
        for layer in layers {
            kinds[layer.name, default: (0, 0)].0 += layer.forward
            kinds[layer.name, default: (0, 0)].1 += layer.backward
        }
        return kinds.map { (name: $0.key, seconds: $0.value.0 + $0.value.1, forward: $0.value.0, backward: $0.value.1) }
            .sorted { $0.seconds > $1.seconds }
    }
}

/// Times every layer of `model` on `inputs` alone, forward and then backward, `repeats` times,
/// and keeps the median of each.
///
/// Each layer gets a copy of its real input (so it records only itself; the first layer's input
/// needs no gradient, as in training), and its backward pass starts from a gradient of ones of
/// its output's shape — the same arithmetic as in a real step. The parameters' gradients are
/// cleared afterwards, and BatchNorm's running statistics put back as they were.
func profileLayers(_ model: Sequential, inputs: Tensor, repeats: Int = 3) -> [LayerTime] {
    let saved = model.layers.compactMap { $0 as? BatchNorm2d }.map { ($0, $0.runningMean.data, $0.runningVariance.data) }
    var runs: [[LayerTime]] = []
    for _ in 0..<repeats {
        var times: [LayerTime] = []
        var x = inputs
        for (index, layer) in model.layers.enumerated() {
            let input = Tensor(shape: x.shape, data: x.data)
            input.requiresGrad = index > 0
            let start = now()
            let output = layer(input)
            let forward = now() - start
            let seed = Tensor(shape: output.shape, data: [Float](repeating: 1, count: output.count))
            let middle = now()
            output.backward(gradient: seed)
            let backward = now() - middle
            var multiplyAdds = 0
            if let conv = layer as? Conv2d {
                multiplyAdds = output.count * conv.weight.count / conv.weight.shape[0]
            } else if let linear = layer as? Linear {
                multiplyAdds = output.count * linear.inputSize
            }
            times.append(LayerTime(index: index, name: String(describing: type(of: layer)), outputShape: output.shape,
                                   forward: forward, backward: backward, multiplyAdds: multiplyAdds))
            x = output
        }
        runs.append(times)
    }
    for parameter in model.parameters() { parameter.grad = nil }
    for (norm, mean, variance) in saved {
        norm.runningMean.data = mean
        norm.runningVariance.data = variance
    }
    var result = runs[0]
    for index in result.indices {
        result[index].forward = median(runs.map { $0[index].forward })
        result[index].backward = median(runs.map { $0[index].backward })
    }
    return result
}

/// A table of every layer's time (for --profile): forward and backward in milliseconds and, for
/// the layers that multiply, their speed in GFLOP/s (the backward pass does twice the forward's
/// arithmetic: the gradients of the input and of the weights).
func layerTable(_ layers: [LayerTime]) -> [String] {
    var lines = ["  layer                output             forward ms  GFLOP/s   backward ms  GFLOP/s"]
    for layer in layers {
        let flops = 2 * Double(layer.multiplyAdds)
        let name = "\(layer.index) \(layer.name)".padding(toLength: 20, withPad: " ", startingAt: 0)
        let shape = "\(layer.outputShape)".padding(toLength: 18, withPad: " ", startingAt: 0)
        var line = "  \(name) \(shape)" + String(format: "%10.2f", layer.forward * 1000)
        line += flops > 0 ? String(format: "  %7.1f", flops / layer.forward / 1e9) : "         "
        line += String(format: "   %11.2f", layer.backward * 1000)
        line += flops > 0 ? String(format: "  %7.1f", 2 * flops / layer.backward / 1e9) : ""
        lines.append(line)
    }
    return lines
}

/// Where to make a slow kind of layer faster, in the learner's own code.
func advice(for name: String) -> String {
    switch name {
    case "Conv2d":
        return "conv2d is im2col and lesson 01's matmul (lesson 09), so its speed is mostly your matmul's: "
            + "the loop order i-k-j over unsafe buffers is the first big win (lesson 01, Matmul.swift), "
            + "then blocking and SIMD registers (lesson 18, Acceleration); also check that im2col and col2im "
            + "copy through unsafe pointers, not element by element through subscripts"
    case "BatchNorm2d":
        return "batchNorm2d (lesson 09): in NCHW each channel of each image is H·W numbers in a row — add "
            + "up a channel's mean and variance in one pass over those rows through unsafe buffers, not "
            + "with one Tensor operation per number"
    case "MaxPool2d", "AvgPool2d":
        return "pooling (lesson 09): loop over unsafe buffers, and remember each window's argmax in the "
            + "forward pass so that the backward pass only routes gradients"
    case "ReLU", "GELU", "Sigmoid", "Tanh":
        return "the activations (lesson 02) and their gradients (lesson 05): one loop over unsafe buffers"
    case "Linear":
        return "Linear is a matmul (lesson 01): the loop order i-k-j over unsafe buffers (lesson 18 goes further)"
    default:
        return "\(name): loop over unsafe buffers in its forward and backward passes"
    }
}
