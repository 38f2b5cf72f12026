/// The shape of `a.matmul(b)` for tensors of shapes `a` and `b`, or a `ShapeError`.
///
/// Both need at least 2 axes. The last two are the matrices: `[n, k] × [k, m] → [n, m]`, so the
/// inner sizes `k` must match. Any axes before them are batch axes, broadcast as in
/// `broadcastShape`.
///
///     matmulShape([2, 3], [3, 4])        == [2, 4]
///     matmulShape([5, 2, 3], [3, 4])     == [5, 2, 4]
///     matmulShape([2, 3], [4, 5])        // throws "matmul: [2, 3] × [4, 5] — inner sizes
///                                        //   differ (3 vs 4)"
public func matmulShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    guard a.count >= 2 && b.count >= 2 else {
        throw ShapeError("matmul: \(a) × \(b) — both tensors need at least 2 axes "
            + "(reshape a vector to [1, n] or [n, 1])")
    }
    let (n, k) = (a[a.count - 2], a[a.count - 1])
    let (innerB, m) = (b[b.count - 2], b[b.count - 1])
    guard k == innerB else {
        throw ShapeError("matmul: \(a) × \(b) — inner sizes differ (\(k) vs \(innerB))")
    }
    let batchA = Array(a.dropLast(2))
    let batchB = Array(b.dropLast(2))
    guard let batch = try? broadcastShape(batchA, batchB) else {
        throw ShapeError("matmul: \(a) × \(b) — batch shapes \(batchA) and \(batchB) "
            + "cannot broadcast")
    }
    return batch + [n, m]
}

extension Tensor {
    /// Matrix product: `c[i, j] = Σ_p a[i, p] · b[p, j]`, for every matrix in the batch.
    ///
    /// Shape: `[…, n, k] × […, k, m] → […, n, m]`; the batch axes `…` broadcast (as in
    /// `torch.matmul`), so `[5, 2, 3] × [3, 4]` multiplies each of the 5 matrices by the same one.
    ///
    ///     Tensor([[1, 2], [3, 4]]).matmul(Tensor([[5, 6], [7, 8]]))   // [[19, 22], [43, 50]]
    public func matmul(_ other: Tensor) -> Tensor {
        let outputShape = requireValidShape { try matmulShape(shape, other.shape) }
        let n = shape[rank - 2]
        let k = shape[rank - 1]
        let m = other.shape[other.rank - 1]
        let batchShape = Array(outputShape.dropLast(2))
        let batchCount = batchShape.reduce(1, *)
        let startsA = matrixStarts(batchShape: Array(shape.dropLast(2)), in: batchShape,
                                   matrixSize: n * k)
        let startsB = matrixStarts(batchShape: Array(other.shape.dropLast(2)), in: batchShape,
                                   matrixSize: k * m)

        var output = [Float](repeating: 0, count: batchCount * n * m)
        // With nothing to add up the result is all zeros (and an empty buffer has no address).
        guard !output.isEmpty && k > 0 else {
            return Tensor(shape: outputShape, data: output,
                          operation: MatmulOp(), inputs: [self, other])
        }
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { c in
                    for batch in 0..<batchCount {
                        let (startA, startB) = (startsA[batch], startsB[batch])
                        let startC = batch * n * m
                        // Loop order i, p, j (not i, j, p): the innermost loop walks along a row
                        // of b and a row of c, both contiguous in memory. With plain pointers to
                        // those rows the compiler turns it into vector instructions, several
                        // times faster than the textbook order.
                        for i in 0..<n {
                            let rowC = c.baseAddress! + startC + i * m
                            for p in 0..<k {
                                let aip = a[startA + i * k + p]
                                let rowB = b.baseAddress! + startB + p * m
                                for j in 0..<m {
                                    rowC[j] += aip * rowB[j]
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: outputShape, data: output,
                      operation: MatmulOp(), inputs: [self, other])
    }
}

/// For each matrix of the broadcast batch `target` (in row-major order), where the matching
/// matrix starts in the `data` of a tensor whose batch axes are `batchShape`.
///
/// Along a batch axis where `batchShape` has size 1 (or no axis), every batch index reads the same
/// matrix. `matrixStarts(batchShape: [1], in: [3], matrixSize: 6) == [0, 0, 0]`, and
/// `matrixStarts(batchShape: [3], in: [3], matrixSize: 6) == [0, 6, 12]`.
private func matrixStarts(batchShape: [Int], in target: [Int], matrixSize: Int) -> [Int] {
    let missing = target.count - batchShape.count  // leading axes `batchShape` does not have
    return (0..<target.reduce(1, *)).map { flat in
        var remainder = flat
        var start = 0
        var step = matrixSize  // elements between consecutive matrices along the current axis
        for axis in stride(from: target.count - 1, through: missing, by: -1) {
            let index = remainder % target[axis]
            remainder /= target[axis]
            let size = batchShape[axis - missing]
            if size != 1 { start += index * step }
            step *= size
        }
        return start
    }
}
