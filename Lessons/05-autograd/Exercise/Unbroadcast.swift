// Lesson 05, file 3 of 8: undoing a broadcast, for the gradients of the element-wise operations.
//
// `a + b` with `a: [2, 3]` and `b: [3]` uses each number of `b` twice, once per row. So the
// gradient arriving at the result has shape [2, 3], and each number of `b` must receive the sum
// of the two gradients its copies got: sum over axis 0, back to shape [3].
//
//     forward:   b [3] ── stretched along axis 0 ──► [2, 3]
//     backward:  [3] ◄── summed along axis 0 ─────── gradient [2, 3]
//
// Write the check `stretchedAxes(of:in:)` first (lesson 01's `broadcastShape` does half the
// work), then `summed(toShape:)` with it.

import TinyTorchTensor

/// The axes of `broadcast` along which a tensor of `shape` was stretched when it was broadcast to
/// `broadcast`, in increasing order; throws a `ShapeError` if `shape` does not broadcast to
/// exactly `broadcast`.
///
/// Line the shapes up on the right, as broadcasting does. An axis of `broadcast` was stretched if
/// `shape` has no axis there (it is one of the extra axes on the left), or has size 1 there while
/// `broadcast` does not.
///
///     try stretchedAxes(of: [3], in: [2, 3])          == [0]        (a missing axis)
///     try stretchedAxes(of: [2, 1], in: [2, 3])       == [1]        (a size-1 axis)
///     try stretchedAxes(of: [2, 1], in: [4, 2, 3])    == [0, 2]
///     try stretchedAxes(of: [], in: [2, 3])           == [0, 1]     (a scalar)
///     try stretchedAxes(of: [2, 3], in: [2, 3])       == []
///     try stretchedAxes(of: [4], in: [2, 3])
///     // throws "summed(toShape:): a [2, 3] tensor cannot be summed to shape [4] — [4] does not
///     //         broadcast to [2, 3]"
public func stretchedAxes(of shape: [Int], in broadcast: [Int]) throws -> [Int] {
    todo("TODO(lesson 05): implement stretchedAxes(of:in:)")
}

extension Tensor {
    /// Undoes a broadcast: sums over every axis along which a tensor of `shape` was stretched to
    /// become this tensor's shape, and returns a tensor of `shape`. Returns `self` when the shapes
    /// are already equal.
    ///
    /// Stops with the `ShapeError` of `stretchedAxes(of:in:)` if `shape` does not broadcast to
    /// this tensor's shape. Uses lesson 01's `sum(alongAxis:keepingDimensions: true)` for each
    /// stretched axis, then `reshaped(to: shape)` to drop the extra axes on the left.
    ///
    /// Shape: `[…]` → `shape`.
    ///
    ///     Tensor([[1, 2, 3], [4, 5, 6]]).summed(toShape: [3])      // [5, 7, 9]
    ///     Tensor([[1, 2, 3], [4, 5, 6]]).summed(toShape: [2, 1])   // [[6], [15]]
    ///     Tensor([[1, 2, 3], [4, 5, 6]]).summed(toShape: [])       // 21
    public func summed(toShape shape: [Int]) -> Tensor {
        todo("TODO(lesson 05): implement summed(toShape:)")
    }
}
