// The Swift half of Tests/Benchmarks/attention.sh: one forward and backward pass of lesson 12's
// multi-head self-attention in the 2017 milestone's shape (batch 12, 64 positions, 128 numbers,
// 4 heads, causal), and of its parts, timed in this process. Prints one JSON line per
// measurement: the median and the fastest of `--iterations` runs after 5 unmeasured ones, in
// milliseconds. Package.swift declares it only when that script builds it
// (TUTOR_ATTENTION_BENCHMARK): a benchmark, never part of the tutor's builds or CI.

import Foundation
import TinyTorch

let arguments = CommandLine.arguments
let iterations = arguments.firstIndex(of: "--iterations").flatMap { Int(arguments[$0 + 1]) } ?? 50
let (batch, length, dimension, heads) = (12, 64, 128, 4)

/// The median and the fastest time of `body` in milliseconds, over `iterations` runs after 5
/// unmeasured ones.
func timed(_ body: () -> Void) -> (median: Double, fastest: Double) {
    for _ in 0..<5 { body() }
    var times: [Double] = []
    for _ in 0..<iterations {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    return (times[times.count / 2], times[0])
}

func report(_ name: String, _ times: (median: Double, fastest: Double)) {
    func rounded(_ milliseconds: Double) -> Double { (milliseconds * 1000).rounded() / 1000 }
    print("{\"peer\":\"tinytorch-swift\",\"bench\":\"\(name)\",\"ms\":\(rounded(times.median)),"
          + "\"min_ms\":\(rounded(times.fastest))}")
}

var generator = SeededGenerator(seed: 2017)
let attention = MultiHeadAttention(dimension: dimension, headCount: heads, using: &generator)
let x = Tensor.normal([batch, length, dimension], using: &generator)
x.requiresGrad = true   // as in the model: the gradient flows on to the embeddings

report("mha_forward_backward", timed {
    for parameter in attention.parameters() { parameter.zeroGrad() }
    x.zeroGrad()
    attention(x).sum().backward()
})
report("mha_forward", timed {
    _ = attention(x)
})
report("mha_forward_no_grad", timed {
    _ = GradientMode.withoutGradients { attention(x) }
})

// The parts, on the per-head shapes [B, H, T, D/H].
let q = Tensor.normal([batch, heads, length, dimension / heads], using: &generator)
let k = Tensor.normal([batch, heads, length, dimension / heads], using: &generator)
let v = Tensor.normal([batch, heads, length, dimension / heads], using: &generator)
for t in [q, k, v] { t.requiresGrad = true }
let mask = AttentionMask.causal(length: length)
report("sdpa_forward_backward", timed {
    for t in [q, k, v] { t.zeroGrad() }
    scaledDotProductAttention(query: q, key: k, value: v, mask: mask).sum().backward()
})
let scores = Tensor.normal([batch, heads, length, length], using: &generator)
scores.requiresGrad = true
let scale = 1 / Float(dimension / heads).squareRoot()
report("masked_softmax_forward_backward", timed {
    scores.zeroGrad()
    maskedSoftmax(scores, mask: mask, scale: scale).sum().backward()
})
// The textbook composite it replaces: scale, add −∞ where masked, lesson 02's softmax (and lesson
// 05's gradients of all three).
let maskBias = Tensor(shape: [length, length],
                      data: mask.allowed.map { $0 ? 0 : -Float.infinity })
report("composite_masked_softmax_forward_backward", timed {
    scores.zeroGrad()
    softmax(scores * scale + maskBias, alongAxis: -1).sum().backward()
})
report("batched_matmul_qkT", timed {
    _ = GradientMode.withoutGradients { q.matmul(k.transposed()) }
})
let projected = Tensor.normal([batch, length, dimension], using: &generator)
report("split_merge_heads", timed {
    _ = GradientMode.withoutGradients { mergeHeads(splitHeads(projected, headCount: heads)) }
})
report("linear_768x128x128", timed {
    _ = GradientMode.withoutGradients { attention.queryProjection(projected) }
})
