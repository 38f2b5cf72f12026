// The Swift half of Tests/Benchmarks/conv-layer.sh: times one convolution layer of the CIFAR-10
// network (and the batch norm and max pooling that follow it) with the course's framework, and
// prints one JSON line. Package.swift declares it only when that script builds it
// (TUTOR_LAYER_BENCHMARK): a benchmark, never part of the tutor's builds or CI.
//
//     LayerBenchmark [--batch 128] [--channels 64] [--size 16] [--repeats 15]
//
// Each figure is the median over `repeats` runs after one warm-up run, in milliseconds of wall
// time, with the process's CPU time beside it (on a shared machine the two differ).

import Foundation
import TinyTorch

func argument(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count,
          let value = Int(arguments[index + 1]) else { return fallback }
    return value
}

func processSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The median wall and CPU milliseconds of `body` over `repeats` runs, after one warm-up run.
func measure(repeats: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    body()
    var walls: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<repeats {
        let (start, cpuStart) = (DispatchTime.now().uptimeNanoseconds, processSeconds())
        body()
        walls.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        cpus.append((processSeconds() - cpuStart) * 1e3)
    }
    return (walls.sorted()[repeats / 2], cpus.sorted()[repeats / 2])
}

let (batch, channels) = (argument("batch", 128), argument("channels", 64))
let size = argument("size", 16)
let repeats = max(1, argument("repeats", 15))
var generator = SeededGenerator(seed: 1)
let x = Tensor.normal([batch, channels, size, size], using: &generator)
let weight = Tensor.normal([channels, channels, 3, 3], standardDeviation: 0.05, using: &generator)
let bias = Tensor.normal([channels], using: &generator)
let upstream = Tensor.normal([batch, channels, size, size], using: &generator)
for tensor in [x, weight, bias] { tensor.requiresGrad = true }

let forward = measure(repeats: repeats) { _ = conv2d(x, weight, bias: bias, padding: 1) }
let training = measure(repeats: repeats) {
    conv2d(x, weight, bias: bias, padding: 1).backward(gradient: upstream)
    for tensor in [x, weight, bias] { tensor.zeroGrad() }
}
let norm = BatchNorm2d(channels: channels)
let batchNorm = measure(repeats: repeats) {
    norm(x).backward(gradient: upstream)
    for tensor in [x, norm.weight, norm.bias] { tensor.zeroGrad() }
}
let pooledGradient = Tensor.normal([batch, channels, size / 2, size / 2], using: &generator)
let maxPool = measure(repeats: repeats) {
    maxPool2d(x, kernelSize: 2).backward(gradient: pooledGradient)
    x.zeroGrad()
}

// The definition's seven loops, on 4 images only (they are slow): for the lesson text's claim.
let few = Tensor(shape: [4, channels, size, size],
                 data: Array(x.data[0..<(4 * channels * size * size)]))
let direct = measure(repeats: 3) { _ = conv2dDirect(few, weight, bias: bias, padding: 1) }

let flops = 2.0 * Double(batch * channels * size * size * channels * 9)
let report: [String: Any] = [
    "peer": "tinytorch-swift", "batch": batch, "channels": channels, "size": size,
    "conv_forward_ms": forward.wall, "conv_forward_backward_ms": training.wall,
    "conv_forward_backward_cpu_ms": training.cpu,
    "conv_gflops": 3 * flops / training.wall / 1e6,
    "batch_norm_forward_backward_ms": batchNorm.wall, "max_pool_forward_backward_ms": maxPool.wall,
    "direct_forward_gflops": flops * 4 / Double(batch) / direct.wall / 1e6,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
