// Lesson 01, file 7 of 7: matrix multiplication, the operation that does nearly all the work of a
// neural network.

/// The shape of `a.matmul(b)` for tensors of shapes `a` and `b`.
///
/// Both need at least 2 axes. The last two are the matrices: `[n, k] × [k, m] → [n, m]`, so the
/// inner sizes `k` must match. Any axes before them are batch axes, broadcast as in
/// `broadcastShape`. Otherwise throw a `ShapeError` naming both shapes; for unequal inner sizes
/// exactly "matmul: [2, 3] × [4, 5] — inner sizes differ (3 vs 4)".
///
///     matmulShape([2, 3], [3, 4])            == [2, 4]
///     matmulShape([5, 2, 3], [3, 4])         == [5, 2, 4]
///     matmulShape([2, 1, 2, 3], [3, 3, 2])   == [2, 3, 2, 2]
public func matmulShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    todo("TODO(lesson 01): implement matmulShape(_:_:)")
}

extension Tensor {
    /// Matrix product: `c[i, j] = Σ_p a[i, p] · b[p, j]`, for every matrix in the batch.
    ///
    /// Shape: `[…, n, k] × […, k, m] → […, n, m]`; the batch axes `…` broadcast (as in
    /// `torch.matmul`), so `[5, 2, 3] × [3, 4]` multiplies each of the 5 matrices by the same one.
    /// Records `MatmulOp()` with inputs `[self, other]`.
    ///
    ///     Tensor([[1, 2], [3, 4]]).matmul(Tensor([[5, 6], [7, 8]]))   // [[19, 22], [43, 50]]
    ///
    /// Later lessons train on MNIST with this function, so make the loops fast: order them
    /// i, p, j (see the lesson text) and read the arrays through `withUnsafeBufferPointer`.
    public func matmul(_ other: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement matmul(_:)")
    }
}
