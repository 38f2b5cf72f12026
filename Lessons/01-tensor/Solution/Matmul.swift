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

        // With nothing to add up the result is all zeros (and an empty buffer has no address).
        guard batchCount * n * m > 0 && k > 0 else {
            return Tensor(shape: outputShape, data: [Float](repeating: 0, count: batchCount * n * m),
                          operation: MatmulOp(), inputs: [self, other])
        }
        // Every number of the output is written once, so it needs no zeros first.
        let output = [Float](unsafeUninitializedCapacity: batchCount * n * m) { c, initialized in
            data.withUnsafeBufferPointer { a in
                other.data.withUnsafeBufferPointer { b in
                    let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    func product(_ batch: Int, onAllCores: Bool) {
                        multiply(a + startsA[batch], b + startsB[batch], into: c + batch * n * m,
                                 n: n, k: k, m: m, onAllCores: onAllCores)
                    }
                    // A batch of small products (attention's, one per sequence and head): each
                    // core takes a share of the batch. Otherwise each product is shared out.
                    let cores = Swift.min(coreCount, batchCount)
                    if cores > 1 && n * k * m < parallelWork && batchCount * n * k * m >= parallelWork {
                        runOnAllCores(cores) { part in
                            for batch in (part * batchCount / cores)..<((part + 1) * batchCount / cores) {
                                product(batch, onAllCores: false)
                            }
                        }
                    } else {
                        for batch in 0..<batchCount { product(batch, onAllCores: true) }
                    }
                }
            }
            initialized = batchCount * n * m
        }
        return Tensor(shape: outputShape, data: output,
                      operation: MatmulOp(), inputs: [self, other])
    }
}

/// Products of at least this many multiply-adds are shared out among the cores (`runOnAllCores`,
/// given): a [64, 128] × [128, 128] product (a million) runs at 82 GFLOP/s on one core, 144 on two.
private let parallelWork = 1 << 20

/// `c = a · b` for one row-major matrix product `[n, k] × [k, m]`, shared out among the machine's
/// cores when `onAllCores` and the product is big enough to pay for it. Each core fills its own
/// part of c, so no two ever write the same number: a band of columns (multiples of 16) when c is
/// wide enough, else a band of rows.
private func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    n: Int, k: Int, m: Int, onAllCores: Bool
) {
    let cores = coreCount
    if onAllCores && cores > 1 && n * k * m >= parallelWork {
        if m >= 32 * cores {
            let blocks = m / 16
            return runOnAllCores(cores) { part in
                let first = part * blocks / cores * 16
                let last = part == cores - 1 ? m : (part + 1) * blocks / cores * 16
                multiply(a, b, into: c, n: n, k: k, m: m, columns: first..<last)
            }
        }
        if n >= 12 * cores {
            let rowsPerPart = ((n + cores - 1) / cores + 5) / 6 * 6  // a multiple of 6-row blocks
            return runOnAllCores(cores) { part in
                let first = Swift.min(n, part * rowsPerPart)
                let last = Swift.min(n, first + rowsPerPart)
                multiply(a + first * k, b, into: c + first * m, n: last - first, k: k, m: m,
                         columns: 0..<m)
            }
        }
    }
    multiply(a, b, into: c, n: n, k: k, m: m, columns: 0..<m)
}

/// `c = a · b` in columns `columns` of c, for one row-major matrix product `[n, k] × [k, m]`.
///
/// The lesson's loop order i, p, j walks along rows of b and c, which the compiler turns into
/// vector instructions. This goes further (lesson 18 explains it in full), as BLAS libraries do:
/// - It computes a block of 6 rows × 16 columns of c at a time, kept in 12 of the CPU's 16 SIMD
///   registers (8 floats each) while p runs: each step loads 16 numbers of b and 6 of a for 96
///   multiply-adds, instead of reading and writing c every time.
/// - Each multiply-add is *fused* (`addProduct`: one instruction, one rounding), up to twice the
///   arithmetic per cycle on CPUs that have it (every Apple Silicon and x86-64 CPU of the last
///   decade; the milestones build with `-target-cpu native` to use it).
/// - It copies (*packs*) 16 columns of b for up to 256 rows into a small buffer, one row after
///   another: the block then reads b from consecutive addresses, and the 16 KB stay in the
///   fastest cache while every block of rows of c uses them. The columns past the last multiple
///   of 16 are packed with zeros after them, and their block of c is computed in a scratch tile.
/// Together 6 to 8 times faster than the simple loop on one core: 91 GFLOP/s for the 2017
/// milestone's [768, 128] × [128, 512] against 60 for 4 × 16 blocks without packing, and 13 for
/// the plain loop. Every c[i, j] still adds its products in the order p = 0, 1, 2, … with the same
/// fused step, starting from 0 (a block over later rows of b starts from what c holds), so the
/// result is exactly that of the lesson's loop written with `addProduct`. (Against a loop of `+=` and `*`, fused results differ in the
/// last bits: one rounding per step instead of two.)
private func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    n: Int, k: Int, m: Int, columns: Range<Int>
) {
    let depth = 256  // rows of b packed at a time
    withUnsafeTemporaryAllocation(of: Float.self, capacity: depth * 16 + 6 * 16) { scratch in
        let packed = scratch.baseAddress!, tile = packed + depth * 16
        let fullRows = n - n % 6
        var p0 = 0
        while p0 < k {
            let rows = min(depth, k - p0)
            var j = columns.lowerBound
            while j < columns.upperBound {
                let width = min(16, columns.upperBound - j)
                for p in 0..<rows {
                    let (from, to) = (b + (p0 + p) * m + j, packed + p * 16)
                    if width == 16 {  // two SIMD copies: a call to memmove would cost more
                        let (source, target) = (UnsafeRawPointer(from), UnsafeMutableRawPointer(to))
                        target.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        target.storeBytes(of: source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                                          toByteOffset: 32, as: SIMD8<Float>.self)
                    } else {
                        to.update(from: from, count: width)
                        (to + width).update(repeating: 0, count: 16 - width)
                    }
                }
                var i = 0
                while i < n {
                    let height = i < fullRows ? 6 : n - i >= 4 ? 4 : n - i >= 2 ? 2 : 1
                    let start = c + i * m + j
                    if width == 16 {
                        multiplyAddBlock(a + i * k + p0, rowLength: k, packed, into: start,
                                         rowLength: m, height: height, depth: rows, fromZero: p0 == 0)
                    } else {  // the last columns: through `tile`, 16 wide
                        for r in 0..<height where p0 > 0 {
                            (tile + r * 16).update(from: start + r * m, count: width)
                        }
                        multiplyAddBlock(a + i * k + p0, rowLength: k, packed, into: tile,
                                         rowLength: 16, height: height, depth: rows, fromZero: p0 == 0)
                        for r in 0..<height {
                            (start + r * m).update(from: tile + r * 16, count: width)
                        }
                    }
                    i += height
                }
                j += width
            }
            p0 += rows
        }
    }
}

/// `c += a · b` for one block of c, 16 columns wide and `height` (6, 4, 2 or 1) rows high, with the
/// `depth` rows of b packed 16 numbers each — or `c = a · b` when `fromZero` (c is not read).
/// `a` and `c` are the block's first numbers, their rows `rowLength` numbers apart.
///
/// The inner loop steps pointers instead of computing `p * 16` and `(i + 1) * k + p`: Swift checks
/// every `*` and `+` on Int for overflow, and those checks and multiplications cost as much as the
/// arithmetic they feed.
@inline(__always)
private func multiplyAddBlock(
    _ a: UnsafePointer<Float>, rowLength k: Int, _ packed: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, rowLength m: Int, height: Int, depth: Int, fromZero: Bool
) {
    typealias Eight = SIMD8<Float>
    func load(_ row: Int) -> (Eight, Eight) {
        if fromZero { return (Eight(), Eight()) }
        let start = UnsafeRawPointer(c + row * m)
        return (start.loadUnaligned(as: Eight.self), start.loadUnaligned(fromByteOffset: 32, as: Eight.self))
    }
    func store(_ row: Int, _ sums: (Eight, Eight)) {
        let start = UnsafeMutableRawPointer(c + row * m)
        start.storeBytes(of: sums.0, as: Eight.self)
        start.storeBytes(of: sums.1, toByteOffset: 32, as: Eight.self)
    }
    var rowB = UnsafeRawPointer(packed)
    // Fewer rows (the last rows of c, below a multiple of 6) keep fewer sums in registers. Each
    // sum waits for its previous multiply-add (about 4 cycles), so 1 row keeps the CPU a quarter
    // busy, 2 rows half, and 4 rows or more fully.
    if height == 4 {
        let row0 = a, row1 = row0 + k, row2 = row1 + k, row3 = row2 + k
        var (c00, c01) = load(0), (c10, c11) = load(1), (c20, c21) = load(2), (c30, c31) = load(3)
        for p in 0..<depth {
            let b0 = rowB.loadUnaligned(as: Eight.self), b1 = rowB.loadUnaligned(fromByteOffset: 32, as: Eight.self)
            rowB += 64
            var x = Eight(repeating: row0[p]); c00.addProduct(x, b0); c01.addProduct(x, b1)
            x = Eight(repeating: row1[p]); c10.addProduct(x, b0); c11.addProduct(x, b1)
            x = Eight(repeating: row2[p]); c20.addProduct(x, b0); c21.addProduct(x, b1)
            x = Eight(repeating: row3[p]); c30.addProduct(x, b0); c31.addProduct(x, b1)
        }
        store(0, (c00, c01)); store(1, (c10, c11)); store(2, (c20, c21)); store(3, (c30, c31))
        return
    }
    if height == 2 {
        let row0 = a, row1 = row0 + k
        var (c00, c01) = load(0), (c10, c11) = load(1)
        for p in 0..<depth {
            let b0 = rowB.loadUnaligned(as: Eight.self), b1 = rowB.loadUnaligned(fromByteOffset: 32, as: Eight.self)
            rowB += 64
            var x = Eight(repeating: row0[p]); c00.addProduct(x, b0); c01.addProduct(x, b1)
            x = Eight(repeating: row1[p]); c10.addProduct(x, b0); c11.addProduct(x, b1)
        }
        store(0, (c00, c01)); store(1, (c10, c11))
        return
    }
    if height == 1 {
        var (c00, c01) = load(0)
        for p in 0..<depth {
            let x = Eight(repeating: a[p])
            c00.addProduct(x, rowB.loadUnaligned(as: Eight.self))
            c01.addProduct(x, rowB.loadUnaligned(fromByteOffset: 32, as: Eight.self))
            rowB += 64
        }
        return store(0, (c00, c01))
    }
    let row0 = a, row1 = row0 + k, row2 = row1 + k, row3 = row2 + k, row4 = row3 + k, row5 = row4 + k
    var (c00, c01) = load(0), (c10, c11) = load(1), (c20, c21) = load(2)
    var (c30, c31) = load(3), (c40, c41) = load(4), (c50, c51) = load(5)
    for p in 0..<depth {
        let b0 = rowB.loadUnaligned(as: Eight.self), b1 = rowB.loadUnaligned(fromByteOffset: 32, as: Eight.self)
        rowB += 64
        var x = Eight(repeating: row0[p]); c00.addProduct(x, b0); c01.addProduct(x, b1)
        x = Eight(repeating: row1[p]); c10.addProduct(x, b0); c11.addProduct(x, b1)
        x = Eight(repeating: row2[p]); c20.addProduct(x, b0); c21.addProduct(x, b1)
        x = Eight(repeating: row3[p]); c30.addProduct(x, b0); c31.addProduct(x, b1)
        x = Eight(repeating: row4[p]); c40.addProduct(x, b0); c41.addProduct(x, b1)
        x = Eight(repeating: row5[p]); c50.addProduct(x, b0); c51.addProduct(x, b1)
    }
    store(0, (c00, c01)); store(1, (c10, c11)); store(2, (c20, c21))
    store(3, (c30, c31)); store(4, (c40, c41)); store(5, (c50, c51))
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
