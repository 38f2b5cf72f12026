// Lesson 09, file 2 of 7: im2col and col2im — turning a convolution into a matrix product.
//
// Every output number of a convolution is a dot product of one *patch* of the input (the
// C · K · K numbers under the kernel) with one filter. Copy every patch of an image into a column
// of a matrix, and all the dot products of that image become one matmul, which lesson 01 already
// made fast:
//
//     filters [O, C · K · K]  ×  columns [C · K · K, Ho · Wo]  =  output [O, Ho · Wo]
//
// col2im is the way back, for the backward pass: it adds each column's numbers to the input
// pixels they were copied from. A pixel under several windows gets the sum of all its copies.
//
// `Im2colOp` is given; write `im2colShape`, `im2col`, `col2im` and `Im2colOp.backward`.

import TinyTorchTensor
import TinyTorchAutograd

/// The shape of `im2col(input, kernelSize:stride:padding:)` — `[N, C · K · K, Ho · Wo]`: per
/// image, one row per number under the window and one column per window position — or a
/// `ShapeError`.
///
/// `input` is `[N, C, H, W]`; `Ho = (H + 2·padding − K) / stride + 1`, and `Wo` likewise. Throw
/// (messages starting "im2col:" and naming the input's shape) unless the input has 4 axes,
/// `K ≥ 1`, `stride ≥ 1`, `padding ≥ 0` and the window fits in the padded image.
///
///     im2colShape(input: [2, 3, 4, 4], kernelSize: 3, stride: 1, padding: 0) == [2, 27, 4]
///     im2colShape(input: [1, 1, 4, 4], kernelSize: 3, stride: 2, padding: 1) == [1, 9, 4]
///     im2colShape(input: [1, 1, 2, 2], kernelSize: 3, stride: 1, padding: 0)
///     // throws "im2col: a 3 × 3 window does not fit in input [1, 1, 2, 2] with padding 0 (…)"
public func im2colShape(
    input: [Int], kernelSize: Int, stride: Int, padding: Int
) throws -> [Int] {
    todo("TODO(lesson 09): implement im2colShape(input:kernelSize:stride:padding:)")
}

/// Operation recorded by `im2col`. Inputs: `[input]`. Backward is `col2im`: each number of the
/// column matrix was copied from one input pixel (or was padding), so its gradient goes back there.
public struct Im2colOp: TensorOperation, Equatable {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    /// The input's shape `[N, C, H, W]`, which col2im rebuilds.
    public let inputShape: [Int]

    public init(kernelSize: Int, stride: Int, padding: Int, inputShape: [Int]) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.inputShape = inputShape
    }

    public var name: String { "im2col" }
}

/// The column matrices of `input`: for each image, column `p` is the window under output position
/// `p = y · Wo + x`, flattened. PyTorch's `F.unfold`.
///
/// Row `(c · K + i) · K + j` of image `n`'s matrix holds, for every position,
///
///     columns[n, (c · K + i) · K + j, y · Wo + x] = input[n, c, y·S − P + i, x·S − P + j]
///
/// (0 where that is outside the image). Shape: `[N, C, H, W]` → `[N, C · K · K, Ho · Wo]`
/// (`im2colShape`, through `requireValidShape`). Start from an array of zeros, so the padding
/// needs no writing, and loop `n`, `c`, `i`, `j` (one row of the matrix each), then `y`, `x` (one
/// column each), copying the pixel when it is inside the image. With `x` innermost, each step
/// reads the next pixel of an image row and writes the next number of a matrix row. Read and
/// write through `withUnsafeBufferPointer`: the CIFAR network copies 75 million numbers per layer
/// and batch. Records `Im2colOp(kernelSize:stride:padding:inputShape:)` with inputs `[input]`.
///
///     // one 1 × 3 × 3 image holding 1…9, 2 × 2 windows, stride 1: four windows, four columns
///     im2col(x, kernelSize: 2)   // [[[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]]
///                                //   rows: top left, top right, bottom left, bottom right of
///                                //   each window; columns: the windows at (0,0) (0,1) (1,0) (1,1)
public func im2col(
    _ input: Tensor, kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
    todo("TODO(lesson 09): implement im2col(_:kernelSize:stride:padding:)")
}

/// The adjoint of `im2col`: adds every number of the column matrices back to the input pixel it
/// was copied from, and returns a tensor of `inputShape`. Numbers that were padding are dropped.
/// PyTorch's `F.fold`.
///
/// Shape: `[N, C · K · K, Ho · Wo]` → `inputShape = [N, C, H, W]`; `require` that `columns` has
/// the shape `im2colShape` gives for `inputShape`. The loops of `im2col`, with the copy turned
/// around and `=` turned into `+=`: a pixel covered by several windows receives the sum of its
/// copies. With 2 × 2 windows at stride 1 on a 3 × 3 image, the centre is in all four windows,
/// so `col2im` of ones puts a 4 there:
///
///     col2im(ones [1, 4, 4], inputShape: [1, 1, 3, 3], kernelSize: 2)
///     // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]  — how many windows cover each pixel
///
/// It is what the gradient of `im2col` needs: the sum, over every copy of a pixel, of that copy's
/// gradient. Not recorded (plain `Tensor(shape:data:)`): it is used inside backward passes.
public func col2im(
    _ columns: Tensor, inputShape: [Int], kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
    todo("TODO(lesson 09): implement col2im(_:inputShape:kernelSize:stride:padding:)")
}

extension Im2colOp: Differentiable {
    /// `columns = im2col(x)`: each number is a copy of one pixel, so each pixel's gradient is the
    /// sum of its copies' gradients — `col2im` of the incoming gradient, with this op's
    /// kernel size, stride, padding and `inputShape`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 09): implement Im2colOp.backward(gradient:inputs:output:)")
    }
}
