// Lesson 13, file 3 of 3: a GPT — embeddings, a stack of transformer blocks, a final LayerNorm
// and a head over the vocabulary — and the sampling that turns its logits into text.
//
//     ids [B, T] ─► tokenEmbedding + positionEmbedding ─► block 1 … block N ─► finalNorm ─► head
//                   [B, T, D]                                                  logits [B, T, V]

import Foundation  // exp
import TinyTorchAttention
import TinyTorchAutograd
import TinyTorchEmbeddings
import TinyTorchLayers
import TinyTorchTensor

/// The sizes of a GPT. The 2017 milestone's character model is
/// `GPTConfiguration(vocabularySize: 65, contextLength: 64, dimension: 128, layerCount: 4,
/// headCount: 4)`: 818,176 parameters (809,856 with `tiesWeights`).
public struct GPTConfiguration: Equatable {
    /// How many different tokens: the head's outputs.
    public var vocabularySize: Int
    /// The longest sequence the model reads: the rows of its position table.
    public var contextLength: Int
    /// The width `D` of the residual stream.
    public var dimension: Int
    /// How many transformer blocks.
    public var layerCount: Int
    /// Attention heads per block; must divide `dimension`.
    public var headCount: Int
    /// Whether the head reuses the token embedding's table (GPT-2 does; see `GPT.head`).
    public var tiesWeights: Bool

    public init(
        vocabularySize: Int, contextLength: Int, dimension: Int, layerCount: Int,
        headCount: Int, tiesWeights: Bool = false
    ) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.dimension = dimension
        self.layerCount = layerCount
        self.headCount = headCount
        self.tiesWeights = tiesWeights
    }
}

/// A decoder-only transformer language model (GPT-2's layout, Radford et al., 2019): for every
/// position, logits over the next token, seeing only that position and the ones before it.
///
///     h = tokenEmbedding(ids) + positionEmbedding(0..<T)        [B, T, D]
///     h = block_N(… block_1(h))                                  [B, T, D]
///     logits = finalNorm(h) · W_head                             [B, T, V]
///
/// The head has no bias. With `tiesWeights` there is no separate head: the logits are
/// `finalNorm(h) · tokenEmbedding.weightᵀ` — token `v`'s score is how much the last vector looks
/// like token `v`'s embedding — and the table's gradient is the sum of what both uses send it.
///
///     var generator = SeededGenerator(seed: 1337)
///     let model = GPT(GPTConfiguration(vocabularySize: 65, contextLength: 64, dimension: 128,
///                                      layerCount: 4, headCount: 4), using: &generator)
///     model(TokenBatch(sequences: ids)).shape     // 12 sequences of 64 → [12, 64, 65]
public final class GPT: Module {
    public let configuration: GPTConfiguration
    /// `[V, D]`, standard deviation 0.02 (GPT-2's).
    public let tokenEmbedding: Embedding
    /// `[contextLength, D]`, standard deviation 0.02.
    public let positionEmbedding: PositionalEmbedding
    /// `layerCount` pre-norm blocks, causal.
    public let blocks: [TransformerBlock]
    /// The LayerNorm after the last block (pre-norm blocks leave the stream unnormalized).
    public let finalNorm: LayerNorm
    /// `[D, V]` without bias; `nil` when the weights are tied.
    public let head: Linear?
    public var isTraining = true

    /// Draws from `generator` in the order token embedding, position embedding, each block, head
    /// (the last only without `tiesWeights`). Every size must be at least 1 and `dimension` a
    /// multiple of `headCount` (a `require` naming them).
    public init(_ configuration: GPTConfiguration, using generator: inout SeededGenerator) {
        let c = configuration
        require(c.vocabularySize > 0 && c.contextLength > 0 && c.dimension > 0
                    && c.layerCount > 0 && c.headCount > 0 && c.dimension % c.headCount == 0,
                "GPT(\(c)): every size must be at least 1, and the dimension a multiple of "
                   + "the number of heads")
        self.configuration = c
        tokenEmbedding = Embedding(vocabularySize: c.vocabularySize, dimension: c.dimension,
                                   standardDeviation: 0.02, using: &generator)
        positionEmbedding = PositionalEmbedding(maxLength: c.contextLength, dimension: c.dimension,
                                                standardDeviation: 0.02, using: &generator)
        var blocks: [TransformerBlock] = []
        for _ in 0..<c.layerCount {
            blocks.append(TransformerBlock(dimension: c.dimension, headCount: c.headCount,
                                           using: &generator))
        }
        self.blocks = blocks
        finalNorm = LayerNorm(dimension: c.dimension)
        head = c.tiesWeights ? nil
            : Linear(inputSize: c.dimension, outputSize: c.vocabularySize, bias: false,
                     using: &generator)
    }

    /// The logits for every position, `[B, T, V]`. `batch` is `[B, T]` with `T` at most
    /// `contextLength` (the position table stops the program otherwise, with its message) and
    /// ids below `vocabularySize` (the embedding checks them). The head runs on a `[B·T, D]`
    /// view (`applyFlattened`), or, tied, as `[B·T, D] · tokenEmbedding.weight.transposed()`.
    public func callAsFunction(_ batch: TokenBatch) -> Tensor {
        require(batch.shape.count == 2,
                "GPT: token ids of shape \(batch.shape) are not [batch, length] — wrap one "
                   + "sequence as TokenBatch(sequences: [ids])")
        var h = positionEmbedding(tokenEmbedding(batch))
        for block in blocks {
            h = block(h)
        }
        h = finalNorm(h)
        if let head {
            return applyFlattened(head, h)
        }
        let (b, t, d) = (h.shape[0], h.shape[1], h.shape[2])
        return h.reshaped(to: [b * t, d]).matmul(tokenEmbedding.weight.transposed())
            .reshaped(to: [b, t, configuration.vocabularySize])
    }

    /// The `Module` form: `input` holds token ids as whole numbers `[B, T]` (a `require`
    /// otherwise), read into a `TokenBatch` (given).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(input.rank == 2 && input.data.allSatisfy { $0 >= 0 && $0 == $0.rounded() },
                "GPT: a Tensor input holds token ids [batch, length] as whole numbers ≥ 0, "
                   + "but got shape \(input.shape) — or pass a TokenBatch")
        return callAsFunction(TokenBatch(shape: input.shape, ids: input.data.map { Int($0) }))
    }

    /// `prompt` followed by `count` new tokens, each sampled from the model's distribution for
    /// the next token (`samplingProbabilities`, then `sampleIndex` with `generator`) and fed
    /// back in. The model reads at most the last `contextLength` tokens (the context is
    /// cropped: older tokens fall out of view). No graph is recorded
    /// (`GradientMode.withoutGradients`). `prompt` must not be empty (a `require`).
    ///
    ///     var generator = SeededGenerator(seed: 7)
    ///     model.generate(from: tokenizer.encode("ROMEO:"), count: 200, temperature: 0.8,
    ///                    topK: 20, using: &generator)
    ///     // the same seed, model and prompt give the same 200 tokens every time
    public func generate(
        from prompt: [Int], count: Int, temperature: Float = 1, topK: Int? = nil,
        topP: Float? = nil, using generator: inout SeededGenerator
    ) -> [Int] {
        require(!prompt.isEmpty, "GPT.generate: the prompt is empty — start from at least one "
                                     + "token (a newline, say)")
        var tokens = prompt
        let vocabulary = configuration.vocabularySize
        for _ in 0..<Swift.max(count, 0) {
            let context = Array(tokens.suffix(configuration.contextLength))
            let logits = GradientMode.withoutGradients {
                callAsFunction(TokenBatch(sequences: [context]))
            }
            let last = Array(logits.data[(logits.count - vocabulary)...])
            let probabilities = samplingProbabilities(logits: last, temperature: temperature,
                                                      topK: topK, topP: topP)
            tokens.append(sampleIndex(probabilities, using: &generator))
        }
        return tokens
    }
}

/// The distribution the next token is drawn from: the softmax of `logits / temperature`, then
/// only the `topK` most likely tokens kept, then only the smallest set of most likely tokens whose
/// probabilities add up to at least `topP` (nucleus sampling, Holtzman et al., 2019), each time
/// renormalized to sum to 1. Everything else is exactly 0.
///
/// * `temperature` below 1 sharpens, above 1 flattens; 0 is greedy: probability 1 on the
///   largest logit (the first, if tied). It must be ≥ 0, `topK` ≥ 1, `topP` in (0, 1]
///   (a `require` naming the value).
/// * Ties in the ordering go to the smaller index. At least one token always survives.
///
/// Logits `[2, 1, 0, −1]`: e^2, e^1, e^0, e^−1 = 7.389, 2.718, 1, 0.368 (sum 11.475):
///
///     temperature 1            [0.6439, 0.2369, 0.0871, 0.0321]
///     temperature 0.5          [0.8650, 0.1171, 0.0158, 0.0021]   (the logits doubled)
///     temperature 0.1          [0.99995, 4.5e-5, 2.1e-9, 9.4e-14] (almost argmax)
///     topK: 2                  [0.7311, 0.2689, 0, 0]             (0.6439 / 0.8808, …)
///     topP: 0.9                [0.6652, 0.2447, 0.0900, 0]        (0.6439 + 0.2369 = 0.8808 <
///                               0.9, so the third is needed: 0.9679 ≥ 0.9; divide by 0.9679)
public func samplingProbabilities(
    logits: [Float], temperature: Float = 1, topK: Int? = nil, topP: Float? = nil
) -> [Float] {
    require(!logits.isEmpty, "samplingProbabilities: no logits")
    require(temperature >= 0, "samplingProbabilities: temperature \(temperature) must be ≥ 0 "
                                  + "(0 is greedy)")
    if let topK { require(topK >= 1, "samplingProbabilities: topK \(topK) must be at least 1") }
    if let topP {
        require(topP > 0 && topP <= 1, "samplingProbabilities: topP \(topP) must be in (0, 1]")
    }
    // Most likely first; ties by index (a stable order).
    let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
    var probabilities = [Double](repeating: 0, count: logits.count)
    if temperature == 0 {
        probabilities[order[0]] = 1
    } else {
        let largest = Double(logits[order[0]])
        for i in logits.indices {
            probabilities[i] = exp((Double(logits[i]) - largest) / Double(temperature))
        }
    }
    var kept = order
    if let topK, topK < kept.count {
        kept = Array(kept.prefix(topK))
    }
    if let topP {
        let total = kept.reduce(0.0) { $0 + probabilities[$1] }
        var cumulative = 0.0
        var count = 0
        for index in kept {
            cumulative += probabilities[index]
            count += 1
            if cumulative >= Double(topP) * total { break }
        }
        kept = Array(kept.prefix(count))
    }
    let total = kept.reduce(0.0) { $0 + probabilities[$1] }
    var result = [Float](repeating: 0, count: logits.count)
    for index in kept {
        result[index] = Float(probabilities[index] / total)
    }
    return result
}

/// An index drawn with the given probabilities (they sum to 1): `u = generator.nextFloat()` in
/// [0, 1), then the first index whose running sum exceeds `u`. An index with probability 0 is
/// never returned (if rounding leaves the sum just under `u`, the last index with a positive
/// probability is).
///
///     sampleIndex([0.25, 0, 0.75], …)    // u = 0.1 → 0;  u = 0.3 → 2 (0.25 ≤ 0.3 < 1.0)
public func sampleIndex(_ probabilities: [Float], using generator: inout SeededGenerator) -> Int {
    require(probabilities.contains { $0 > 0 },
            "sampleIndex: no index has a positive probability (\(probabilities.count) zeros)")
    let u = Double(generator.nextFloat())
    var cumulative = 0.0
    var lastPositive = 0
    for (index, p) in probabilities.enumerated() where p > 0 {
        cumulative += Double(p)
        lastPositive = index
        if u < cumulative { return index }
    }
    return lastPositive
}
