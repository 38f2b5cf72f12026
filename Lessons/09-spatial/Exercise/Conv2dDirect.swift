// Lesson 09, file 1 of 7: what a convolution computes — the shape rule and the definition, written
// as plain loops. These loops are slow, and they are kept on purpose: they are the textbook
// definition, short enough to check by eye, and every test of the fast version (Conv2d.swift)
// compares against them.
//
// Write the two functions below, top to bottom, then run `swift run tutor test 09`.

import TinyTorchTensor
import TinyTorchAutograd

/// The shape of `conv2d(input, weight, bias:, stride:, padding:)`, or a `ShapeError` naming the
/// shapes.
///
/// Layout NCHW: `input [N, C, H, W]`, `weight [O, C, K, K]` (square kernels), `bias [O]`. The
/// output is `[N, O, Ho, Wo]` with
///
///     Ho = (H + 2·padding − K) / stride + 1        (integer division: a last window that
///     Wo = (W + 2·padding − K) / stride + 1         does not fit is dropped, as in PyTorch)
///
/// Throw (each message starting "conv2d:" and naming the shapes or numbers involved) unless: both
/// have 4 axes; the kernel is square; the channels agree (`C` of the input equals `C` of the
/// weight); the bias, if any, is `[O]`; `stride ≥ 1`, `padding ≥ 0`; and the kernel fits in the
/// padded image (`K ≤ H + 2·padding`, and the same for `W`).
///
///     conv2dShape(input: [8, 3, 32, 32], weight: [16, 3, 3, 3], bias: [16],
///                 stride: 1, padding: 1)               == [8, 16, 32, 32]
///     conv2dShape(input: [1, 1, 4, 4], weight: [1, 1, 3, 3], bias: nil,
///                 stride: 2, padding: 1)               == [1, 1, 2, 2]
///     conv2dShape(input: [8, 3, 32, 32], weight: [16, 4, 3, 3], bias: nil, stride: 1, padding: 0)
///     // throws "conv2d: input [8, 3, 32, 32] has 3 channels, but weight [16, 4, 3, 3] expects 4"
public func conv2dShape(
    input: [Int], weight: [Int], bias: [Int]?, stride: Int, padding: Int
) throws -> [Int] {
    todo("TODO(lesson 09): implement conv2dShape(input:weight:bias:stride:padding:)")
}

/// 2-D convolution by its definition, one output number at a time (strictly, cross-correlation,
/// as in every deep-learning framework: the kernel is not flipped).
///
///     output[n, o, y, x] = bias[o] + Σ_c Σ_i Σ_j  input[n, c, y·S − P + i, x·S − P + j]
///                                                 · weight[o, c, i, j]
///
/// with `S` the stride, `P` the padding, `i, j` in `0..<K`, and input positions outside the image
/// read as 0 (the zero padding: skip them). Shape: `[N, C, H, W]`, `[O, C, K, K]`, `[O]` →
/// `[N, O, Ho, Wo]` — check it first with `requireValidShape { try conv2dShape(…) }`. Seven
/// nested loops: n, o, y, x for the output number, then c, i, j for the sum. Add each sum up in
/// `Double`, as lesson 01's sums: this version is the reference the fast one is checked against.
/// Element `[a, b, c, d]` of a `[A, B, C, D]` tensor is `data[((a · B + b) · C + c) · D + d]`.
///
/// Record `Conv2dOp(stride:padding:)` (in Conv2d.swift) with inputs `[input, weight]`, or
/// `[input, weight, bias]` when there is a bias — exactly as `conv2d` does: the gradient does not
/// depend on how the forward pass was computed.
///
///     // input 1×1×3×3 holding 1…9, weight 1×1×2×2 of ones: each output is a 2 × 2 window's sum
///     conv2dDirect(x, w)   // [[[[12, 16], [24, 28]]]]   (1+2+4+5 = 12, 2+3+5+6 = 16, …)
public func conv2dDirect(
    _ input: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0
) -> Tensor {
    todo("TODO(lesson 09): implement conv2dDirect(_:_:bias:stride:padding:)")
}
