// Lesson 11: the operation an embedding lookup records (given — the same file sits beside your
// Exercise/ and the Solution/; you do not need to change it).
//
// Like lessons 01–04's operations, a lookup ends with
//
//     Tensor(shape: …, data: …, operation: EmbeddingOp(ids: batch.ids), inputs: [weight])
//
// and the backward pass you write in Embedding.swift (`extension EmbeddingOp: Differentiable`)
// reads the ids kept here to send each row of the gradient back to the row of the table it came
// from.

import TinyTorchTensor

/// `embeddingLookup(_:_:)`: rows of a `[vocabularySize, dimension]` table picked by token ids.
/// Inputs: `[weight]` — the ids are data, not something the network learns, so they are kept
/// here instead of being an input (as lesson 04's losses keep their targets).
///
/// Backward: row `n` of the incoming gradient is added to row `ids[n]` of a zero gradient the
/// shape of the table; an id that appears twice receives both rows, summed.
public struct EmbeddingOp: TensorOperation, Equatable {
    /// The token ids that were looked up, in the row-major order of the batch.
    public let ids: [Int]

    public init(ids: [Int]) {
        self.ids = ids
    }

    public var name: String { "embedding" }
}
