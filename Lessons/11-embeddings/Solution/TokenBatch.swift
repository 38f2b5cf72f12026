// Lesson 11, file 1 of 3: token ids in the framework — a batch of them, laid out like a Tensor.
//
// Ids stay `Int`s (lesson 10 explains why they are not `Float`s): a batch of sequences is a
// shape and a flat row-major list of ids, exactly as a `Tensor` is a shape and a flat list of
// numbers. Sequence `b`, position `t` of a `[batch, length]` batch sits at `ids[b · length + t]`.
// So the targets of a language model are `batch.ids` as they are, one class per row of
// `logits.reshaped(to: [batch · length, vocabularySize])`: lesson 04's `crossEntropy` needs
// nothing new.

import TinyTorchTensor

/// A batch of token ids with a shape: `[length]` for one sequence, `[batch, length]` for a batch
/// of equal-length sequences. The ids are stored row-major, as a `Tensor`'s numbers are.
///
///     let batch = TokenBatch(sequences: [[5, 2, 7], [1, 1, 0]])
///     batch.shape     // [2, 3]
///     batch.ids       // [5, 2, 7, 1, 1, 0]
///     batch[1, 0]     // 1
public struct TokenBatch: Equatable {
    /// The size of each axis: `[batch, length]`, or `[length]` for one sequence.
    public let shape: [Int]

    /// The ids, in row-major order; always `shape`'s product of them.
    public let ids: [Int]

    /// A batch of `shape` holding `ids` in row-major order (given). `ids.count` must be the
    /// product of the sizes in `shape`.
    ///
    ///     TokenBatch(shape: [2, 2], ids: [4, 0, 4, 1])   // [[4, 0], [4, 1]]
    public init(shape: [Int], ids: [Int]) {
        require(shape.allSatisfy { $0 >= 0 },
                "TokenBatch(shape: \(shape), ids:) — sizes cannot be negative")
        let expected = shape.reduce(1, *)
        require(ids.count == expected,
                "TokenBatch(shape: \(shape), ids:) — the shape holds \(expected) ids, but "
                   + "\(ids.count) were given")
        self.shape = shape
        self.ids = ids
    }

    /// One sequence, shape `[ids.count]` (given).  `TokenBatch([3, 1, 4]).shape == [3]`
    public init(_ ids: [Int]) {
        self.init(shape: [ids.count], ids: ids)
    }

    /// A batch of sequences, shape `[sequences.count, length]`, the sequences one after the
    /// other in `ids`. Every sequence must have the same length (a `require` naming the first
    /// that differs, its length and the first sequence's); no sequences at all make shape
    /// `[0, 0]`.
    ///
    ///     TokenBatch(sequences: [[5, 2, 7], [1, 1, 0]])   // shape [2, 3], ids [5, 2, 7, 1, 1, 0]
    public init(sequences: [[Int]]) {
        let length = sequences.first?.count ?? 0
        for (index, sequence) in sequences.enumerated() {
            require(sequence.count == length,
                    "TokenBatch(sequences:) — sequence \(index) has \(sequence.count) ids, "
                       + "sequence 0 has \(length): every sequence of a batch needs the same "
                       + "length (cut them to the shortest, or pad them)")
        }
        self.init(shape: [sequences.count, length], ids: sequences.flatMap { $0 })
    }

    /// The number of ids: the product of the sizes in `shape`.
    public var count: Int {
        ids.count
    }

    /// The id at a multi-index, one index per axis (given): `ids[flatIndex(indices, in: shape)]`.
    public subscript(indices: Int...) -> Int {
        ids[requireValidShape { try flatIndex(indices, in: shape) }]
    }

    /// Checks that every id is a row of a table of `vocabularySize` rows: `0 ≤ id <
    /// vocabularySize`. Throws `EmbeddingError.idOutOfRange` for the first id that is not, with
    /// its position as one index per axis (row-major order, as `flatIndex` counts).
    ///
    ///     try TokenBatch(sequences: [[1, 2], [3, 70]]).validateIDs(vocabularySize: 65)
    ///     // throws .idOutOfRange(id: 70, position: [1, 1], batchShape: [2, 2],
    ///     //                      vocabularySize: 65)
    public func validateIDs(vocabularySize: Int) throws {
        for (flat, id) in ids.enumerated() where !(0..<vocabularySize).contains(id) {
            // The multi-index of a flat position: peel off the last axis first, as odometer
            // digits are read from the right.
            var position = [Int](repeating: 0, count: shape.count)
            var remainder = flat
            for axis in shape.indices.reversed() {
                position[axis] = remainder % shape[axis]
                remainder /= shape[axis]
            }
            throw EmbeddingError.idOutOfRange(id: id, position: position, batchShape: shape,
                                              vocabularySize: vocabularySize)
        }
    }
}
