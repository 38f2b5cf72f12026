// Lesson 12, file 1 of 4: which keys each query may look at.
//
// A mask is a grid of yes/no, one row per query and one column per key. The causal mask of a
// language model lets each token see itself and the tokens before it, never the ones after —
// those are what it must predict:
//
//              keys →   0  1  2  3
//     query 0           ✓  ·  ·  ·
//     query 1           ✓  ✓  ·  ·
//     query 2           ✓  ✓  ✓  ·
//     query 3           ✓  ✓  ✓  ✓
//
// `init(shape:allowed:)` and `causal(length:)` are given; write the two bodies marked TODO.
// Then run `swift run tutor test 12`.

import TinyTorchTensor

/// Which keys each query may attend to: a grid of `Bool`s whose last two axes are
/// `[queries, keys]`, `true` where the query may look at the key. Stored row-major, like a
/// `Tensor`. Its shape must broadcast to the attention scores' shape (lesson 01's rules), so one
/// `[T, T]` mask serves every sequence and every head of a `[B, H, T, T]` batch of scores, and a
/// `[B, 1, 1, T]` mask can hide different keys in each sequence (padding).
///
///     AttentionMask.causal(length: 3).allowed
///     // [true, false, false,
///     //  true, true,  false,
///     //  true, true,  true]
public struct AttentionMask: Equatable {
    /// The shape: `[queries, keys]`, or more axes in front that broadcast over the scores'.
    public let shape: [Int]

    /// For each position of `shape`, in row-major order: may this query look at this key?
    public let allowed: [Bool]

    /// A mask of `shape` (at least 2 axes) holding `allowed` in row-major order (given).
    /// `allowed.count` must be the product of the sizes in `shape`.
    ///
    ///     AttentionMask(shape: [1, 3], allowed: [true, true, false])   // every query: keys 0, 1
    public init(shape: [Int], allowed: [Bool]) {
        require(shape.count >= 2 && shape.allSatisfy { $0 >= 0 },
                "AttentionMask(shape: \(shape), allowed:) — a mask has at least 2 axes, "
                   + "[queries, keys], and no negative size")
        let expected = shape.reduce(1, *)
        require(allowed.count == expected,
                "AttentionMask(shape: \(shape), allowed:) — the shape holds \(expected) "
                   + "entries, but \(allowed.count) were given")
        self.shape = shape
        self.allowed = allowed
    }

    /// The causal mask for `queryCount` queries and `keyCount` keys, shape
    /// `[queryCount, keyCount]`: query `i` may look at key `j` when `j ≤ i + (keyCount −
    /// queryCount)`.
    ///
    /// With as many queries as keys (a whole sequence attending to itself), that is `j ≤ i`:
    /// each token sees itself and the tokens before it. With fewer queries, the queries are the
    /// *last* tokens of the sequence — lesson 17 feeds one new token whose key list holds the
    /// whole past — so each still sees everything up to its own position.
    ///
    ///     AttentionMask.causal(queryCount: 2, keyCount: 4).allowed
    ///     // [true, true, true, false,        query 0 is token 2: keys 0, 1, 2
    ///     //  true, true, true, true]         query 1 is token 3: keys 0…3
    public static func causal(queryCount: Int, keyCount: Int) -> AttentionMask {
        todo("TODO(lesson 12): implement AttentionMask.causal(queryCount:keyCount:)")
    }

    /// The causal mask of a sequence of `length` tokens attending to itself (given):
    /// `causal(queryCount: length, keyCount: length)`.
    public static func causal(length: Int) -> AttentionMask {
        causal(queryCount: length, keyCount: length)
    }

    /// For each row of a tensor of attention scores of shape `scores` — every index of all its
    /// axes but the last, in row-major order — where that row's mask row starts in `allowed`.
    /// Throws a `ShapeError` naming both shapes unless the mask's last size equals the scores'
    /// (one entry per key) and the mask's shape broadcasts to the scores' (`broadcastShape`).
    ///
    /// Axes where the mask has size 1, or no axis at all, are broadcast: stride 0, every index
    /// reads the same mask rows. A `[3, 3]` causal mask against `[2, 3, 3]` scores (2 heads):
    ///
    ///     try AttentionMask.causal(length: 3).rowStarts(forScores: [2, 3, 3])
    ///     // [0, 3, 6, 0, 3, 6]: rows 0–2 are head 0, rows 3–5 head 1, with the same mask
    public func rowStarts(forScores scores: [Int]) throws -> [Int] {
        todo("TODO(lesson 12): implement AttentionMask.rowStarts(forScores:)")
    }
}
