/// The shape of `a ⊕ b` for an element-wise operation ⊕, by NumPy's broadcasting rules, or a
/// `ShapeError` if the shapes are incompatible.
///
/// Line the shapes up on the right (a missing axis counts as size 1). Along each axis the sizes
/// must be equal, or one of them must be 1 — that one is stretched to the other's size.
///
///     broadcastShape([2, 3], [3])        == [2, 3]
///     broadcastShape([2, 1], [1, 3])     == [2, 3]
///     broadcastShape([4, 1, 3], [2, 1])  == [4, 2, 3]
///     broadcastShape([2, 3], [4])        // throws "cannot broadcast [2, 3] with [4]: sizes 3
///                                        //   and 4 differ at axis -1"
public func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let rank = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    // `fromEnd` 1 is the last axis, 2 the one before it, …: the axes are matched from the right.
    for fromEnd in stride(from: 1, through: rank, by: 1) {
        let sizeA = fromEnd <= a.count ? a[a.count - fromEnd] : 1
        let sizeB = fromEnd <= b.count ? b[b.count - fromEnd] : 1
        guard sizeA == sizeB || sizeA == 1 || sizeB == 1 else {
            throw ShapeError("cannot broadcast \(a) with \(b): sizes \(sizeA) and \(sizeB) "
                + "differ at axis -\(fromEnd)")
        }
        result[rank - fromEnd] = sizeA == 1 ? sizeB : sizeA
    }
    return result
}

/// The broadcast shape of `a` and `b` (see `broadcastShape(_:_:)`); stops the program with the
/// message if they cannot be broadcast together.
///
/// `broadcastShapes([2, 1], [1, 3]) == [2, 3]`
public func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int] {
    requireValidShape { try broadcastShape(a, b) }
}

/// Applies `combine` to each pair of elements of `a` and `b`, broadcast to their common shape.
///
/// Shape: `a.shape`, `b.shape` → `broadcastShapes(a.shape, b.shape)`. Element `[i, j]` of the
/// result of `[2, 3]` with `[3]` is `combine(a[i, j], b[j])`.
func broadcastElementwise(
    _ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float
) -> (shape: [Int], data: [Float]) {
    let shape = broadcastShapes(a.shape, b.shape)
    let count = shape.reduce(1, *)
    guard count > 0 else { return (shape, []) }
    let rank = shape.count
    guard rank > 0 else { return (shape, [combine(a.data[0], b.data[0])]) }  // two single numbers
    // Strides that read each input as if it had the result's shape: along an axis where the input
    // has size 1 (or no axis at all) the stride is 0, so the same element is read again and again.
    let stridesA = broadcastStrides(a.shape, to: shape)
    let stridesB = broadcastStrides(b.shape, to: shape)
    // Fill the output a row (the last axis) at a time — or all at once when each side is either
    // the result's shape (one run of memory) or a single number (read again and again).
    func whole(_ side: Tensor) -> Bool { side.shape == shape || side.data.count == 1 }
    let allAtOnce = whole(a) && whole(b)
    let lastSize = allAtOnce ? count : shape[rank - 1]
    // The step between the numbers of a row, in a and in b (0: the same number again and again).
    let lastStrideA = allAtOnce ? (a.data.count == 1 ? 0 : 1) : stridesA[rank - 1]
    let lastStrideB = allAtOnce ? (b.data.count == 1 ? 0 : 1) : stridesB[rank - 1]

    let output = [Float](unsafeUninitializedCapacity: count) { output, initialized in
        a.data.withUnsafeBufferPointer { dataA in
            b.data.withUnsafeBufferPointer { dataB in
                var index = [Int](repeating: 0, count: rank)  // of the row being filled
                var (offsetA, offsetB) = (0, 0)               // where that row starts in a and b
                for rowStart in stride(from: 0, to: count, by: lastSize) {
                    let row = output.baseAddress! + rowStart
                    let (x, y) = (dataA.baseAddress! + offsetA, dataB.baseAddress! + offsetB)
                    // The usual strides get loops the compiler turns into vector instructions.
                    switch (lastStrideA, lastStrideB) {
                    case (1, 1): for j in 0..<lastSize { row[j] = combine(x[j], y[j]) }
                    case (1, 0): for j in 0..<lastSize { row[j] = combine(x[j], y[0]) }
                    case (0, 1): for j in 0..<lastSize { row[j] = combine(x[0], y[j]) }
                    default:
                        for j in 0..<lastSize {
                            row[j] = combine(x[j * lastStrideA], y[j * lastStrideB])
                        }
                    }
                    // Move to the next row like an odometer: bump the second-to-last axis;
                    // when it reaches its size, reset it and carry into the axis before.
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        offsetA += stridesA[axis]
                        offsetB += stridesB[axis]
                        if index[axis] < shape[axis] { break }
                        offsetA -= stridesA[axis] * shape[axis]
                        offsetB -= stridesB[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        initialized = count
    }
    return (shape, output)
}

/// Row-major strides of `shape`, padded on the left to the rank of `target`, with stride 0 on
/// every axis where `shape` has size 1 and so is stretched.
///
/// `broadcastStrides([3], to: [2, 3]) == [0, 1]`; `broadcastStrides([2, 1], to: [2, 3]) == [1, 0]`
private func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    var strides = [Int](repeating: 0, count: target.count)
    var step = 1  // elements skipped by one step along `axis`: the product of the sizes after it
    for axis in shape.indices.reversed() {
        strides[axis + target.count - shape.count] = shape[axis] == 1 ? 0 : step
        step *= shape[axis]
    }
    return strides
}
