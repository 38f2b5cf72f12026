// Lesson 12, file 4 of 4: multi-head attention — several attentions side by side, each on its
// own slice of the projected vectors.
//
//     x [B, T, D] ─┬─ queryProjection ─ splitHeads ─ q [B, H, T, D/H] ─┐
//                  ├─ keyProjection   ─ splitHeads ─ k [B, H, T, D/H] ─┼─ attention
//                  └─ valueProjection ─ splitHeads ─ v [B, H, T, D/H] ─┘     │ (weights
//                                                                            │  [B, H, T, T])
//     [B, T, D] ◄─ outputProjection ◄─ mergeHeads ◄─ [B, H, T, D/H] ◄────────┘

import TinyTorchLayers
import TinyTorchTensor

/// `[B, T, D]` → `[B, H, T, D/H]`: the `D` numbers of each position cut into `headCount` slices
/// of `D/H`, and the head axis moved in front of the positions, so that each head is a batch of
/// `[T, D/H]` matrices for lesson 01's batched `matmul`.
///
///     x.reshaped(to: [B, T, H, D/H]).transposed(1, 2)
///
/// `D` must divide by `headCount` (a `require` naming both). The numbers are only moved, so the
/// gradient is moved back the same way (reshape and transpose of lesson 05).
///
///     splitHeads(Tensor([[[1, 2, 3, 4], [5, 6, 7, 8]]]), headCount: 2)
///     // [[[[1, 2], [5, 6]],         head 0: the first half of each position
///     //   [[3, 4], [7, 8]]]]        head 1: the second half          shape [1, 2, 2, 2]
public func splitHeads(_ x: Tensor, headCount: Int) -> Tensor {
    require(x.rank == 3 && headCount > 0 && x.shape[2] % headCount == 0,
            "splitHeads: input \(x.shape) cannot be cut into \(headCount) heads — it must be "
               + "[batch, length, size] with size a multiple of \(headCount)")
    let (batch, length, size) = (x.shape[0], x.shape[1], x.shape[2])
    return x.reshaped(to: [batch, length, headCount, size / headCount]).transposed(1, 2)
}

/// `[B, H, T, D/H]` → `[B, T, D]`, the inverse of `splitHeads`: each position's `H` slices put
/// side by side again.
///
///     x.transposed(1, 2).reshaped(to: [B, T, H · D/H])
///
/// `mergeHeads(splitHeads(x, headCount: h))` is `x` for every `h` that divides `D`.
public func mergeHeads(_ x: Tensor) -> Tensor {
    require(x.rank == 4,
            "mergeHeads: input \(x.shape) is not [batch, heads, length, headSize]")
    let (batch, heads, length, headSize) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.transposed(1, 2).reshaped(to: [batch, length, heads * headSize])
}

/// Multi-head attention (Vaswani et al., 2017): `headCount` attentions side by side, each
/// comparing its own `D/H`-number slices of learned projections of the queries, keys and values;
/// their outputs put side by side and projected once more. PyTorch's `nn.MultiheadAttention`
/// with `batch_first=True`.
///
///     q, k, v = queryProjection(query), keyProjection(key), valueProjection(value)  [B, T, D]
///     heads   = attention(splitHeads(q), splitHeads(k), splitHeads(v), mask)   [B, H, T, D/H]
///     output  = outputProjection(mergeHeads(heads))                                 [B, T, D]
///
/// As a `Module` it takes one input: **self-attention**, the same tensor as query, key and value
/// — `attention(x)`, with the causal mask when `isCausal`. Attention between two sequences
/// (a translation's decoder reading its encoder) has its own call:
/// `attention(query: x, key: memory, value: memory, mask: nil)`.
///
///     var generator = SeededGenerator(seed: 42)
///     let attention = MultiHeadAttention(dimension: 128, headCount: 4, using: &generator)
///     attention(x).shape                          // x [12, 64, 128] → [12, 64, 128]
///     attention.lastAttentionWeights?.shape       // [12, 4, 64, 64], for plotting
public final class MultiHeadAttention: Module {
    /// The size `D` of each position's vector, in and out.
    public let dimension: Int
    /// How many heads `H`; each works on `dimension / headCount` numbers.
    public let headCount: Int
    /// `[D, D]` projections (lesson 03's `Linear`) of the queries, keys and values, and of the
    /// merged heads.
    public let queryProjection: Linear
    public let keyProjection: Linear
    public let valueProjection: Linear
    public let outputProjection: Linear
    /// Whether self-attention (`callAsFunction(_:)`) uses the causal mask: each position sees
    /// itself and the positions before it. `true` for a language model.
    public var isCausal: Bool
    public var isTraining = true
    /// The attention weights of the last forward pass, `[B, H, Tq, Tk]`: row `[b, h, i]` says how
    /// much head `h` of sequence `b` took from each key for query `i`. A copy without a graph
    /// (it keeps no step's tensors alive), for plotting; `nil` before the first call.
    public private(set) var lastAttentionWeights: Tensor?

    /// The size of each head's slice, `dimension / headCount`.
    public var headSize: Int {
        dimension / headCount
    }

    /// Four `[dimension, dimension]` `Linear` layers (Xavier weights, as `nn.MultiheadAttention`
    /// starts its input projections; zero biases, or none with `bias: false`), drawn from
    /// `generator` in the order query, key, value, output. `dimension` must be a multiple of
    /// `headCount`, and both at least 1 (a `require` naming them).
    public init(
        dimension: Int, headCount: Int, isCausal: Bool = true, bias: Bool = true,
        using generator: inout SeededGenerator
    ) {
        require(dimension > 0 && headCount > 0 && dimension % headCount == 0,
                "MultiHeadAttention(dimension: \(dimension), headCount: \(headCount)): the "
                   + "dimension must be a positive multiple of the number of heads")
        self.dimension = dimension
        self.headCount = headCount
        self.isCausal = isCausal
        func projection() -> Linear {
            Linear(inputSize: dimension, outputSize: dimension, bias: bias, using: &generator)
        }
        queryProjection = projection()
        keyProjection = projection()
        valueProjection = projection()
        outputProjection = projection()
    }

    /// Self-attention: `callAsFunction(query: input, key: input, value: input, mask:)` with
    /// `AttentionMask.causal(length: T)` when `isCausal`, no mask otherwise (after a `require`
    /// that the input is `[batch, length, dimension]`).
    ///
    /// Shape: `[B, T, dimension]` → `[B, T, dimension]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(input.rank == 3,
                "MultiHeadAttention: input \(input.shape) is not [batch, length, "
                   + "\(dimension)] — reshape one sequence to [1, length, \(dimension)]")
        let mask = isCausal ? AttentionMask.causal(length: input.shape[1]) : nil
        return callAsFunction(query: input, key: input, value: input, mask: mask)
    }

    /// `layer(x)` for `x` of shape `[B, T, D]`, computed on `x` seen as one `[B·T, D]` matrix
    /// (given). The same numbers; but for a `[B, T, D]` input the weight's gradient in lesson
    /// 05's `MatmulOp` is `B` products of `[D, T] × [T, D]` and a sum over them, and for a
    /// `[B·T, D]` one it is a single product: 1.9 ms instead of 3.3 for one projection of the
    /// milestone's batch, forward and backward.
    private func project(_ x: Tensor, _ layer: Linear) -> Tensor {
        let (batch, length) = (x.shape[0], x.shape[1])
        return layer(x.reshaped(to: [batch * length, x.shape[2]]))
            .reshaped(to: [batch, length, layer.outputSize])
    }

    /// Attention of `query`'s positions over `key`'s and `value`'s: `require` that each is
    /// `[batch, length, dimension]`, then project each with its layer (`project(_:_:)`, given),
    /// split the heads, `attentionWeights` with `mask` (keep a copy without a graph in
    /// `lastAttentionWeights`), `matmul` with the values, merge the heads, and project the
    /// result. `mask` is `[Tq, Tk]` (or broadcasts to `[B, H, Tq, Tk]`).
    ///
    /// Shapes: `query [B, Tq, dimension]`, `key` and `value` `[B, Tk, dimension]` →
    /// `[B, Tq, dimension]`.
    public func callAsFunction(
        query: Tensor, key: Tensor, value: Tensor, mask: AttentionMask?
    ) -> Tensor {
        for (name, input) in [("query", query), ("key", key), ("value", value)] {
            require(input.rank == 3 && input.shape[2] == dimension,
                    "MultiHeadAttention(dimension: \(dimension), headCount: \(headCount)): "
                       + "\(name) \(input.shape) is not [batch, length, \(dimension)]")
        }
        let q = splitHeads(project(query, queryProjection), headCount: headCount)
        let k = splitHeads(project(key, keyProjection), headCount: headCount)
        let v = splitHeads(project(value, valueProjection), headCount: headCount)
        let weights = attentionWeights(query: q, key: k, mask: mask)   // [B, H, Tq, Tk]
        // The same numbers, no recording: plotting them must not keep the graph alive.
        lastAttentionWeights = Tensor(shape: weights.shape, data: weights.data)
        return project(mergeHeads(weights.matmul(v)), outputProjection)
    }
}
