// Lesson 13, file 2 of 3: the transformer block — attention, then a small MLP, each inside a
// residual connection with a LayerNorm in front (pre-norm, as GPT-2).
//
//            x [B, T, D]  ── the residual stream ──────────────────────────────┐
//              │                                                              │
//              ├──► LayerNorm ──► MultiHeadAttention (causal) ──► (+) ◄───────┘
//              │                                                   │
//              │    x = x + attention(ln1(x)) ◄────────────────────┘
//              ├──────────────────────────────────────────────────────────────┐
//              ├──► LayerNorm ──► Linear D→4D ──► GELU ──► Linear 4D→D ──► (+) ◄┘
//              │                                                           │
//            x = x + mlp(ln2(x))  [B, T, D] ◄──────────────────────────────┘
//
// The stored properties and the helpers marked "given" are written for you; write the bodies
// marked TODO, top to bottom.

import TinyTorchActivations
import TinyTorchAttention
import TinyTorchLayers
import TinyTorchTensor

/// `layer(x)` for `x` of shape `[..., D]`, computed on `x` seen as one `[N, D]` matrix: the same
/// numbers, but lesson 05's `MatmulOp` then finds the weight's gradient with one product instead
/// of a batch of them and a sum (lesson 12's `project`). Given.
func applyFlattened(_ layer: Linear, _ x: Tensor) -> Tensor {
    let leading = Array(x.shape.dropLast())
    let rows = leading.reduce(1, *)
    return layer(x.reshaped(to: [rows, x.shape[x.rank - 1]]))
        .reshaped(to: leading + [layer.outputSize])
}

/// The position-wise feed-forward network of a transformer block: `Linear(D → 4D)`, GELU (lesson
/// 02, the tanh form GPT-2 uses), `Linear(4D → D)`, applied to every position on its own.
///
///     y = expand(x) → gelu → contract       [B, T, D] → [B, T, 4D] → [B, T, D]
///
/// Attention mixes positions; this is where each position thinks about what it gathered — two
/// thirds of a block's parameters. Each `Linear` runs on a `[B·T, D]` view of its input
/// (`applyFlattened`, given).
///
///     let mlp = FeedForward(dimension: 128, using: &generator)   // 128 → 512 → 128
///     mlp.parameterCount == 128·512 + 512 + 512·128 + 128 == 131_712
public final class FeedForward: Module {
    /// `[D, 4D]`: widens each position's vector.
    public let expand: Linear
    /// `[4D, D]`: brings it back to the width of the residual stream.
    public let contract: Linear
    public var isTraining = true

    /// Two `Linear` layers drawn from `generator` in the order expand, contract (Xavier weights,
    /// zero biases); `hiddenSize` is `4 · dimension` unless given. Both sizes at least 1 (the
    /// `Linear` initializer checks them).
    public init(dimension: Int, hiddenSize: Int? = nil, using generator: inout SeededGenerator) {
        todo("TODO(lesson 13): implement FeedForward.init(dimension:hiddenSize:using:)")
    }

    /// `contract(gelu(expand(input)))`, each `Linear` through `applyFlattened`. Shape:
    /// `[..., D]` → `[..., D]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 13): implement FeedForward.callAsFunction(_:)")
    }
}

/// One pre-norm transformer block (GPT-2, Radford et al., 2019):
///
///     x = x + attention(ln1(x))        positions exchange information
///     x = x + mlp(ln2(x))              each position processes what it received
///
/// `x` itself is never normalized: it is the **residual stream**, and each sub-layer only adds
/// to it, so the gradient reaches the first block through the `+`s unchanged. (Vaswani et al.'s
/// 2017 block normalized *after* the addition, `ln(x + sublayer(x))`; that puts a LayerNorm on
/// the path of every gradient and needs a learning-rate warm-up to train deep stacks.)
///
///     let block = TransformerBlock(dimension: 128, headCount: 4, using: &generator)
///     block(x)         // [12, 64, 128] → [12, 64, 128]; block.parameterCount == 198_272
public final class TransformerBlock: Module {
    /// Before attention.
    public let norm1: LayerNorm
    /// Causal self-attention (lesson 12) unless `isCausal: false`.
    public let attention: MultiHeadAttention
    /// Before the feed-forward network.
    public let norm2: LayerNorm
    /// The `D → 4D → D` GELU network.
    public let feedForward: FeedForward
    public var isTraining = true

    /// Draws from `generator` in the order attention, feed-forward; the two LayerNorms start at
    /// weight 1, bias 0. `dimension` must be a multiple of `headCount` (lesson 12's check).
    public init(
        dimension: Int, headCount: Int, isCausal: Bool = true,
        using generator: inout SeededGenerator
    ) {
        todo("TODO(lesson 13): implement TransformerBlock.init(dimension:headCount:isCausal:using:)")
    }

    /// `x + attention(norm1(x))`, then that `+ feedForward(norm2(that))`. Shape: `[B, T, D]` →
    /// `[B, T, D]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 13): implement TransformerBlock.callAsFunction(_:)")
    }
}
