import Foundation  // ProcessInfo (the number of cores) and Dispatch (threads)

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
                        parallelMultiplyAdd(a.baseAddress! + startsA[batch], b.baseAddress! + startsB[batch],
                                            into: c.baseAddress! + batch * n * m, n: n, k: k, m: m)
                    }
                }
            }
        }
        return Tensor(shape: outputShape, data: output,
                      operation: MatmulOp(), inputs: [self, other])
    }
}

/// The number of cores, asked once: on Linux the answer is read from files each time it is asked.
private let coreCount = ProcessInfo.processInfo.activeProcessorCount

/// `multiplyAdd` with the rows of c shared out among the machine's cores, when the product is big
/// enough to pay for waking the threads: each core fills its own rows, so no two threads ever
/// write the same number. Waking them costs about 100 µs on a 2-core Linux VM, as much as a
/// whole `[64, 784] × [784, 128]` product (6.4 million multiply-adds, one MNIST step's largest);
/// from about 16 million multiply-adds on, two cores win (1.6× at 50 million, 2× at a billion).
private func parallelMultiplyAdd(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    n: Int, k: Int, m: Int
) {
    let cores = coreCount
    guard cores > 1, n >= 8, n * k * m >= 1 << 24 else {
        return multiplyAdd(a, b, into: c, n: n, k: k, m: m)
    }
    let chunks = min(cores, n / 4)
    let rowsPerChunk = ((n + chunks - 1) / chunks + 3) / 4 * 4  // a multiple of the 4-row block
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let first = chunk * rowsPerChunk
        let last = min(n, first + rowsPerChunk)
        if first < last {
            multiplyAdd(a + first * k, b, into: c + first * m, n: last - first, k: k, m: m)
        }
    }
}

/// `c += a · b` for one row-major matrix product, `[n, k] × [k, m]`.
///
/// The lesson's loop order i, p, j walks along rows of b and c, which the compiler turns into
/// vector instructions. This goes one step further (lesson 18 explains it in full): it computes
/// a block of 4 rows × 16 columns of c at a time, kept in 8 SIMD registers of 8 floats while p
/// runs over all of k. Each step then loads 16 numbers of b and 4 of a for 64 multiply-adds,
/// instead of reading and writing c every time. Each multiply-add is *fused* (`addProduct`: one
/// instruction, one rounding), up to twice the arithmetic per cycle on CPUs that have it (every
/// Apple Silicon and x86-64 CPU of the last decade; the milestones build with `-target-cpu
/// native` to use it). Together 7× faster than the simple loop for the MNIST milestone's largest
/// product, `[64, 784] × [784, 128]`: 91 GFLOP/s against 13 on our test machine. Every c[i, j] still
/// adds its products in the order p = 0, 1, 2, …, with the same fused step, so the result is
/// exactly that of `simple` below (the lesson's loop with `addProduct`), which handles the rows and
/// columns left over at the edges. (Against a loop of `+=` and `*`, fused results differ in the
/// last bits: one rounding per step instead of two.)
private func multiplyAdd(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    n: Int, k: Int, m: Int
) {
    /// The simple loop, for rows `rows` and columns `columns` of c.
    func simple(rows: Range<Int>, columns: Range<Int>) {
        for i in rows {
            for p in 0..<k {
                let aip = a[i * k + p]
                let rowB = b + p * m
                let rowC = c + i * m
                for j in columns { rowC[j].addProduct(aip, rowB[j]) }
            }
        }
    }
    /// Adds `left` and `right` (16 numbers) to row `row` of c, from column `column` on.
    func add(_ left: SIMD8<Float>, _ right: SIMD8<Float>, row: Int, column: Int) {
        let out = UnsafeMutableRawPointer(c + row * m + column)
        out.storeBytes(of: out.loadUnaligned(as: SIMD8<Float>.self) + left, as: SIMD8<Float>.self)
        out.storeBytes(of: out.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + right,
                       toByteOffset: 32, as: SIMD8<Float>.self)
    }
    let blockedRows = n - n % 4
    let blockedColumns = m - m % 16
    // The inner loop steps pointers instead of computing `p * m + j` and `(i + 1) * k + p`:
    // Swift checks every `*` and `+` on Int for overflow, and those checks and multiplications
    // cost as much as the arithmetic they feed (53 → 67 GFLOP/s for [768, 128] × [128, 128]).
    let rowStride = m * MemoryLayout<Float>.stride  // bytes from one row of b to the next
    for i in stride(from: 0, to: blockedRows, by: 4) {
        let row0 = a + i * k, row1 = row0 + k, row2 = row1 + k, row3 = row2 + k  // rows of a
        for j in stride(from: 0, to: blockedColumns, by: 16) {
            var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
            var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
            var rowB = UnsafeRawPointer(b + j)  // row p of b, from column j
            for p in 0..<k {
                let b0 = rowB.loadUnaligned(as: SIMD8<Float>.self)
                let b1 = rowB.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                rowB += rowStride
                let a0 = SIMD8(repeating: row0[p]), a1 = SIMD8(repeating: row1[p])
                let a2 = SIMD8(repeating: row2[p]), a3 = SIMD8(repeating: row3[p])
                c00.addProduct(a0, b0); c01.addProduct(a0, b1)
                c10.addProduct(a1, b0); c11.addProduct(a1, b1)
                c20.addProduct(a2, b0); c21.addProduct(a2, b1)
                c30.addProduct(a3, b0); c31.addProduct(a3, b1)
            }
            add(c00, c01, row: i, column: j)
            add(c10, c11, row: i + 1, column: j)
            add(c20, c21, row: i + 2, column: j)
            add(c30, c31, row: i + 3, column: j)
        }
        simple(rows: i..<(i + 4), columns: blockedColumns..<m)
    }
    simple(rows: blockedRows..<n, columns: 0..<m)
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
