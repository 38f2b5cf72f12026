// Lesson 12, file 3 of 4: scaled dot-product attention, built from lesson 01's matmul and
// transpose and this lesson's masked softmax.
//
//     query [… , Tq, d]  ──┐
//                          matmul ── scores ── maskedSoftmax ── weights ──┐
//     key   [… , Tk, d]  ──┘ (keyᵀ)  [… , Tq, Tk]  (× 1/√d, mask)        │
//                                                                       matmul ── [… , Tq, dv]
//     value [… , Tk, dv] ───────────────────────────────────────────────┘

import TinyTorchTensor

/// The shape of `scaledDotProductAttention(query:key:value:mask:)`'s output, `[…, Tq, dv]`, for
/// a query `[…, Tq, d]`, a key `[…, Tk, d]` and a value `[…, Tk, dv]`, or a `ShapeError` that
/// names the three shapes. Each needs at least 2 axes; a query and a key must have the same size
/// `d` (they are compared by a dot product); there must be one value per key (`Tk`); the batch
/// axes `…` must broadcast, as in `matmul`.
///
///     try attentionShape(query: [2, 5, 8], key: [2, 7, 8], value: [2, 7, 4])   // [2, 5, 4]
///     try attentionShape(query: [5, 8], key: [7, 16], value: [7, 4])
///     // throws "attention: query [5, 8], key [7, 16], value [7, 4] — a query and a key must
///     //         have the same size to be compared (8 vs 16)"
public func attentionShape(query: [Int], key: [Int], value: [Int]) throws -> [Int] {
    let shapes = "attention: query \(query), key \(key), value \(value) —"
    guard query.count >= 2 && key.count >= 2 && value.count >= 2 else {
        throw ShapeError("\(shapes) each needs at least 2 axes, [length, size] (reshape one "
            + "vector to [1, size])")
    }
    let (d, dk) = (query[query.count - 1], key[key.count - 1])
    guard d == dk else {
        throw ShapeError("\(shapes) a query and a key must have the same size to be compared "
            + "(\(d) vs \(dk))")
    }
    let (keys, values) = (key[key.count - 2], value[value.count - 2])
    guard keys == values else {
        throw ShapeError("\(shapes) there must be one value per key (\(keys) keys, \(values) "
            + "values)")
    }
    let batches = [Array(query.dropLast(2)), Array(key.dropLast(2)), Array(value.dropLast(2))]
    guard let batch = try? broadcastShape(broadcastShape(batches[0], batches[1]), batches[2])
    else {
        throw ShapeError("\(shapes) the batch axes \(batches[0]), \(batches[1]) and "
            + "\(batches[2]) cannot broadcast")
    }
    return batch + [query[query.count - 2], value[value.count - 1]]
}

/// How much each query attends to each key: `softmax(query · keyᵀ / √d)` along the keys, over
/// the keys `mask` allows.
///
///     scores  = query.matmul(key.transposed())                  [… , Tq, Tk]
///     weights = maskedSoftmax(scores, mask: mask, scale: 1/√d)  each row sums to 1 (or is 0)
///
/// `d` is the size of a query (the last axis). Dividing by `√d` keeps the scores' spread near 1
/// whatever `d` is (the README shows why that matters). Check the shapes first with
/// `attentionShape(query:key:value:)` (pass the key as the value: only `query` and `key` are
/// used here).
///
/// Shapes: `query [… , Tq, d]`, `key [… , Tk, d]` → `[… , Tq, Tk]`.
///
///     attentionWeights(query: Tensor([[1, 0]]), key: Tensor([[1, 0], [0, 1]]))
///     // scores [1/√2, 0] = [0.7071, 0] → softmax → [[0.6698, 0.3302]]
public func attentionWeights(query: Tensor, key: Tensor, mask: AttentionMask? = nil) -> Tensor {
    _ = requireValidShape {
        try attentionShape(query: query.shape, key: key.shape, value: key.shape)
    }
    let size = query.shape[query.rank - 1]
    return maskedSoftmax(query.matmul(key.transposed()), mask: mask,
                         scale: 1 / Float(size).squareRoot())
}

/// Scaled dot-product attention (Vaswani et al., 2017): each query's output is the average of
/// the values, weighted by how well the query matches each key.
///
///     attention(Q, K, V) = softmax(Q · Kᵀ / √d) · V  =  attentionWeights(…).matmul(value)
///
/// A query whose keys are all masked gets weights of 0, so its output is 0. Checks the shapes
/// with `attentionShape(query:key:value:)`.
///
/// Shapes: `query [… , Tq, d]`, `key [… , Tk, d]`, `value [… , Tk, dv]` → `[… , Tq, dv]`.
///
///     scaledDotProductAttention(query: Tensor([[1, 0]]), key: Tensor([[1, 0], [0, 1]]),
///                               value: Tensor([[10, 0], [0, 10]]))
///     // weights [[0.6698, 0.3302]] → [[6.698, 3.302]]
public func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, mask: AttentionMask? = nil
) -> Tensor {
    _ = requireValidShape {
        try attentionShape(query: query.shape, key: key.shape, value: value.shape)
    }
    return attentionWeights(query: query, key: key, mask: mask).matmul(value)
}
