// Lesson 01, file 4 of 7: broadcasting — which shapes can be combined element by element, and
// how.

/// The shape of `a ⊕ b` for an element-wise operation ⊕, by NumPy's broadcasting rules.
///
/// Line the shapes up on the right (a missing axis counts as size 1). Along each axis the sizes
/// must be equal, or one of them must be 1 — that one is stretched to the other's size. If not,
/// throw a `ShapeError` with exactly this message (axes counted from the end, -1 being the last):
/// "cannot broadcast [2, 3] with [4]: sizes 3 and 4 differ at axis -1".
///
///     broadcastShape([2, 3], [3])        == [2, 3]
///     broadcastShape([2, 1], [1, 3])     == [2, 3]
///     broadcastShape([4, 1, 3], [2, 1])  == [4, 2, 3]
///     broadcastShape([], [2, 3])         == [2, 3]
public func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    todo("TODO(lesson 01): implement broadcastShape(_:_:)")
}

/// The broadcast shape of `a` and `b` (see `broadcastShape(_:_:)`), stopping the program with the
/// message if they cannot be broadcast together. One line: `requireValidShape { try … }`.
///
/// `broadcastShapes([2, 1], [1, 3]) == [2, 3]`
public func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int] {
    todo("TODO(lesson 01): implement broadcastShapes(_:_:)")
}

/// A helper for Arithmetic.swift (not public, so you may change or drop it): applies `combine` to
/// each pair of elements of `a` and `b`, broadcast to their common shape, and returns that shape
/// and the results in row-major order.
///
/// Shape: `a.shape`, `b.shape` → `broadcastShapes(a.shape, b.shape)`. For `[2, 3]` with `[3]`,
/// element `[i, j]` of the result is `combine(a[i, j], b[j])`; for `[2, 1]` with `[1, 3]` it is
/// `combine(a[i, 0], b[0, j])`.
///
///     broadcastElementwise(Tensor([[1], [2]]), Tensor([10, 20]), +)
///     // (shape: [2, 2], data: [11, 21, 12, 22])
func broadcastElementwise(
    _ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float
) -> (shape: [Int], data: [Float]) {
    todo("TODO(lesson 01): implement broadcastElementwise(_:_:_:)")
}
