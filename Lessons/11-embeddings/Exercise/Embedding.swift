// Lesson 11, file 2 of 3: the embedding table — a lookup forward, a scatter-add backward.
//
//     ids [2, 3]        table [4, 3]: a row per token       output [2, 3, 3]
//     [[2, 0, 2],  ──►  row 0   0.1  0.2  0.3       ──►     [[row 2, row 0, row 2],
//      [1, 3, 1]]       row 1   1.0  0.0 -1.0                [row 1, row 3, row 1]]
//                       row 2   0.5  0.5  0.5
//                       row 3  -2.0  1.0  0.0
//
// Backward runs the arrows the other way: each position's gradient row is *added* to the table
// row it was read from, so a row read twice collects two gradients, and a row never read gets 0.
//
// The stored properties are given; write the bodies marked TODO, top to bottom: the lookup,
// its backward pass, then the module.

import TinyTorchAutograd
import TinyTorchLayers
import TinyTorchTensor

/// The rows of `weight` named by the ids of `batch`: row `ids[n]` of the table becomes row `n`
/// of the result.
///
///     output[b, t, :] = weight[ids[b, t], :]
///
/// It is the product `oneHot(ids).matmul(weight)` — a one-hot row has a single 1, at the id, so
/// the product picks that row — without building the one-hot rows or doing the multiplications.
/// Every id must be in `0..<weight.shape[0]` (checked first with `batch.validateIDs`, through
/// `requireValidShape`, so a bad id stops the program with the message of `EmbeddingError`).
///
/// Shapes: `weight` `[vocabularySize, dimension]`, `batch` any shape `S` → `S + [dimension]`:
/// `[B, T]` ids give `[B, T, D]`. Records `EmbeddingOp(ids: batch.ids)` with inputs `[weight]`.
///
///     let table = Tensor([[0, 0], [1, 2], [3, 4]])        // 3 tokens, 2 numbers each
///     embeddingLookup(table, TokenBatch([2, 1, 2]))       // [[3, 4], [1, 2], [3, 4]]
public func embeddingLookup(_ weight: Tensor, _ batch: TokenBatch) -> Tensor {
    todo("TODO(lesson 11): implement embeddingLookup(_:_:)")
}

extension EmbeddingOp: Differentiable {
    /// `output[n] = weight[ids[n]]`: output row `n` moves one-for-one with table row `ids[n]`
    /// and with nothing else. So `∂L/∂weight[v]` is the sum of the gradient rows of every
    /// position that read row `v` — a **scatter-add**:
    ///
    ///     ∂L/∂weight = zeros [V, D];   for each n:  ∂L/∂weight[ids[n]] += gradient[n]
    ///
    /// Rows no id named get 0; an id used twice gets both rows, added. (The same as the matmul
    /// gradient `oneHot(ids)ᵀ.matmul(gradient)`, without the zeros.)
    ///
    /// `ids = [2, 0, 2]`, table `[3, 2]`, `gradient = [[1, 1], [5, 5], [2, 3]]` →
    /// `[[[5, 5], [0, 0], [3, 4]]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 11): implement EmbeddingOp.backward(gradient:inputs:output:)")
    }
}

/// A learned table of one vector per token: PyTorch's `nn.Embedding`.
///
///     var generator = SeededGenerator(seed: 42)
///     let embedding = Embedding(vocabularySize: 65, dimension: 128, using: &generator)
///     embedding(TokenBatch(sequences: [[18, 47, 56], [1, 15, 47]])).shape   // [2, 3, 128]
///
/// Its input is token ids, a `TokenBatch`. A `Module` also takes a `Tensor` (the protocol's
/// `callAsFunction(_:)`): here that is rows over the vocabulary, such as one-hot rows, and the
/// result is their product with the table — the computation the lookup replaces.
public final class Embedding: Module {
    /// The number of tokens: the table's rows, ids `0..<vocabularySize`.
    public let vocabularySize: Int
    /// The length of each token's vector: the table's columns.
    public let dimension: Int
    /// The table, shape `[vocabularySize, dimension]`: row `id` is token `id`'s vector. A
    /// parameter.
    public let weight: Tensor
    public var isTraining = true

    /// A table of random vectors: each number drawn from a normal distribution with mean 0 and
    /// `standardDeviation` (1 by default, as PyTorch's `nn.Embedding`; GPT-2 uses 0.02), with
    /// `Tensor.normal` — one draw per number, in row-major order. The table is a parameter
    /// (`asParameter()`). Both sizes must be at least 1 (a `require` naming them).
    ///
    ///     Embedding(vocabularySize: 4, dimension: 3, using: &generator).weight.shape == [4, 3]
    public init(
        vocabularySize: Int, dimension: Int, standardDeviation: Float = 1,
        using generator: inout SeededGenerator
    ) {
        todo("TODO(lesson 11): implement "
             + "Embedding.init(vocabularySize:dimension:standardDeviation:using:)")
    }

    /// Each id's vector: `embeddingLookup(weight, batch)`. Shape: `[B, T]` → `[B, T, dimension]`
    /// (any shape `S` → `S + [dimension]`).
    public func callAsFunction(_ batch: TokenBatch) -> Tensor {
        todo("TODO(lesson 11): implement Embedding.callAsFunction(_:) for a TokenBatch")
    }

    /// The table mixed by rows over the vocabulary: `input.matmul(weight)`. A one-hot row (a 1 at
    /// id `v`, 0 elsewhere) gives row `v` of the table, as the lookup does — `vocabularySize`
    /// times the work. Shape: `[…, vocabularySize]` → `[…, dimension]`, at least 2 axes (a
    /// `require` that says to pass a `TokenBatch` for ids).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 11): implement Embedding.callAsFunction(_:) for a Tensor")
    }
}
