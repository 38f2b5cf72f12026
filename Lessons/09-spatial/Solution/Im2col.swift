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

import TinyTorchTensor
import TinyTorchAutograd

/// The shape of `im2col(input, kernelSize:stride:padding:)` — `[N, C · K · K, Ho · Wo]`: per
/// image, one row per number under the window and one column per window position — or a
/// `ShapeError`.
///
/// `input` is `[N, C, H, W]`; `Ho = (H + 2·padding − K) / stride + 1`, and `Wo` likewise. Throws
/// unless the input has 4 axes, `K ≥ 1`, `stride ≥ 1`, `padding ≥ 0` and the window fits in the
/// padded image.
///
///     im2colShape(input: [2, 3, 4, 4], kernelSize: 3, stride: 1, padding: 0) == [2, 27, 4]
///     im2colShape(input: [1, 1, 4, 4], kernelSize: 3, stride: 2, padding: 1) == [1, 9, 4]
///     im2colShape(input: [1, 1, 2, 2], kernelSize: 3, stride: 1, padding: 0)
///     // throws "im2col: a 3 × 3 window does not fit in input [1, 1, 2, 2] with padding 0 (…)"
public func im2colShape(
    input: [Int], kernelSize: Int, stride: Int, padding: Int
) throws -> [Int] {
    guard input.count == 4 else {
        throw ShapeError("im2col: input \(input) needs 4 axes, [batch, channels, height, width]")
    }
    guard kernelSize >= 1, stride >= 1, padding >= 0 else {
        throw ShapeError("im2col: kernelSize \(kernelSize), stride \(stride), padding "
            + "\(padding) — the kernel size and stride must be at least 1, the padding 0 or more")
    }
    let (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
    guard kernelSize <= height + 2 * padding, kernelSize <= width + 2 * padding else {
        throw ShapeError("im2col: a \(kernelSize) × \(kernelSize) window does not fit in input "
            + "\(input) with padding \(padding) (the padded image is "
            + "\(height + 2 * padding) × \(width + 2 * padding))")
    }
    let outputHeight = (height + 2 * padding - kernelSize) / stride + 1
    let outputWidth = (width + 2 * padding - kernelSize) / stride + 1
    return [batch, channels * kernelSize * kernelSize, outputHeight * outputWidth]
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
/// (`im2colShape`). Records `Im2colOp(kernelSize:stride:padding:inputShape:)` with inputs
/// `[input]`.
///
///     // one 1 × 3 × 3 image holding 1…9, 2 × 2 windows, stride 1: four windows, four columns
///     im2col(x, kernelSize: 2)   // [[[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]]
///                                //   rows: top left, top right, bottom left, bottom right of
///                                //   each window; columns: the windows at (0,0) (0,1) (1,0) (1,1)
public func im2col(
    _ input: Tensor, kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
    let outputShape = requireValidShape {
        try im2colShape(input: input.shape, kernelSize: kernelSize, stride: stride,
                        padding: padding)
    }
    let operation = Im2colOp(kernelSize: kernelSize, stride: stride, padding: padding,
                             inputShape: input.shape)
    let window = Window(inputShape: input.shape, kernelSize: kernelSize, stride: stride,
                        padding: padding)
    let count = outputShape.reduce(1, *)
    guard count > 0 else {
        return Tensor(shape: outputShape, data: [], operation: operation, inputs: [input])
    }
    // Every number is written once — a pixel, or 0 for padding — so the matrices need no zeros
    // first (writing them would double the memory traffic of the largest tensors of a step).
    let columns = [Float](unsafeUninitializedCapacity: count) { columns, initialized in
        input.data.withUnsafeBufferPointer { source in
            // The images are independent, so the cores can share them out.
            splitAcrossCores(window.batch, work: count) { images in
                window.fillColumns(images, from: source.baseAddress!, into: columns.baseAddress!)
            }
        }
        initialized = count
    }
    return Tensor(shape: outputShape, data: columns, operation: operation, inputs: [input])
}

/// The adjoint of `im2col`: adds every number of the column matrices back to the input pixel it
/// was copied from, and returns a tensor of `inputShape`. Numbers that were padding are dropped.
/// PyTorch's `F.fold`.
///
/// Shape: `[N, C · K · K, Ho · Wo]` → `inputShape = [N, C, H, W]`. A pixel covered by several
/// windows receives the sum of its copies: with 2 × 2 windows at stride 1 on a 3 × 3 image, the
/// centre is in all four windows, so `col2im` of ones puts a 4 there:
///
///     col2im(ones [1, 4, 4], inputShape: [1, 1, 3, 3], kernelSize: 2)
///     // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]  — how many windows cover each pixel
///
/// It is what the gradient of `im2col` needs: the sum, over every copy of a pixel, of that copy's
/// gradient. Not recorded: it is used inside backward passes.
public func col2im(
    _ columns: Tensor, inputShape: [Int], kernelSize: Int, stride: Int = 1, padding: Int = 0
) -> Tensor {
    let expected = requireValidShape {
        try im2colShape(input: inputShape, kernelSize: kernelSize, stride: stride,
                        padding: padding)
    }
    require(columns.shape == expected,
            "col2im: columns \(columns.shape) do not match input \(inputShape) with a "
               + "\(kernelSize) × \(kernelSize) kernel, stride \(stride) and padding \(padding): "
               + "expected \(expected)")
    let window = Window(inputShape: inputShape, kernelSize: kernelSize, stride: stride,
                        padding: padding)
    var result = [Float](repeating: 0, count: inputShape.reduce(1, *))
    guard !columns.data.isEmpty && !result.isEmpty else {
        return Tensor(shape: inputShape, data: result)
    }
    var scratch = columns.data  // addColumns writes zeros into its padding entries: a copy
    scratch.withUnsafeMutableBufferPointer { scratch in
        result.withUnsafeMutableBufferPointer { result in
            // Each thread takes whole images: the windows of one image only add to that image,
            // so no two threads ever add to the same pixel.
            splitAcrossCores(window.batch, work: scratch.count) { images in
                window.addColumns(images, from: scratch.baseAddress!, into: result.baseAddress!)
            }
        }
    }
    return Tensor(shape: inputShape, data: result)
}

extension Im2colOp: Differentiable {
    /// `columns = im2col(x)`: each number is a copy of one pixel, so each pixel's gradient is the
    /// sum of its copies' gradients — `col2im` of the incoming gradient.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        [col2im(gradient, inputShape: inputShape, kernelSize: kernelSize, stride: stride,
                padding: padding)]
    }
}

// MARK: - Walking the windows

/// The geometry of sliding a `K × K` window over a batch of `[N, C, H, W]` images; shared by
/// im2col and col2im, which walk the same windows in opposite directions.
struct Window {
    let batch, channels, height, width: Int
    let kernelSize, stride, padding: Int
    let outputHeight, outputWidth: Int

    init(inputShape: [Int], kernelSize: Int, stride: Int, padding: Int) {
        (batch, channels, height, width) = (inputShape[0], inputShape[1], inputShape[2],
                                            inputShape[3])
        (self.kernelSize, self.stride, self.padding) = (kernelSize, stride, padding)
        outputHeight = (height + 2 * padding - kernelSize) / stride + 1
        outputWidth = (width + 2 * padding - kernelSize) / stride + 1
    }

    /// For the images `images`, calls `body(plane, pixel, row, xs)` once per channel `c`, window
    /// offset `(i, j)` and output row `y` whose input row `y·S − P + i` is inside the image:
    /// input pixel `pixel + x·S` of the plane starting at `plane` belongs at `row + x` of the
    /// column matrices, for every `x` in `xs` — the output columns whose input column
    /// `x·S − P + j` is inside too. The rest is padding: `padding(row, xs)` is called for those
    /// stretches of the matrices (im2col writes zeros there; col2im has nothing to add back).
    ///
    /// Walking whole rows of positions, rather than one window at a time, leaves the edge tests
    /// outside the innermost loop and makes that loop a copy of neighbouring numbers.
    /// `@inline(__always)` compiles `body` into the loops rather than calling it: they run for
    /// every number of every column (75 million per batch for one layer of the CIFAR network).
    @inline(__always)
    func walk(_ images: Range<Int>, _ body: (Int, Int, Int, Range<Int>) -> Void,
              padding gap: (_ row: Int, _ xs: Range<Int>) -> Void = { _, _ in }) {
        let positions = outputHeight * outputWidth
        for n in images {
            for c in 0..<channels {
                let plane = (n * channels + c) * height * width
                for i in 0..<kernelSize {
                    // y·S − P + i in 0..<H, and likewise for x and j; (a + S − 1) / S rounds up.
                    let firstY = min(outputHeight, max(0, (padding - i + stride - 1) / stride))
                    let endY = max(firstY, min(outputHeight, (height + padding - i + stride - 1) / stride))
                    for j in 0..<kernelSize {
                        let firstX = min(outputWidth, max(0, (padding - j + stride - 1) / stride))
                        let endX = max(firstX, min(outputWidth, (width + padding - j + stride - 1) / stride))
                        let start = (((n * channels + c) * kernelSize + i) * kernelSize + j) * positions
                        gap(start, 0..<(firstY * outputWidth))                // rows above the image
                        for y in firstY..<endY {
                            let row = start + y * outputWidth
                            gap(row, 0..<firstX)
                            if firstX < endX {
                                body(plane, (y * stride - padding + i) * width - padding + j, row,
                                     firstX..<endX)
                            }
                            gap(row, endX..<outputWidth)
                        }
                        gap(start, (endY * outputWidth)..<positions)          // rows below it
                    }
                }
            }
        }
    }
}

extension Window {
    /// Writes the column matrices of images `images` of the batch at `source` into `columns`
    /// (`[N, C · K · K, Ho · Wo]`, laid out as im2col returns them): every number, a pixel or 0
    /// for padding.
    func fillColumns(_ images: Range<Int>, from source: UnsafePointer<Float>,
                     into columns: UnsafeMutablePointer<Float>) {
        if stride == 1 && outputWidth == width {
            let positions = outputHeight * width
            return forEachWholeRun(images) { matrix, rows, run, pixel, wrapped in
                let matrix = columns + matrix
                matrix.update(repeating: 0, count: run.lowerBound)      // rows above, row start
                (matrix + run.lowerBound).update(from: source + pixel, count: run.count)
                (matrix + run.upperBound).update(repeating: 0, count: positions - run.upperBound)
                clearWrapped(matrix, rows: rows, wrapped)  // copied from the neighbouring row
            }
        }
        walk(images, { plane, pixel, row, xs in
            // One row of one window offset: pixels x·S apart in the image, side by side in the
            // matrix — with stride 1 a plain copy, which the compiler vectorizes.
            let (from, to) = (source + plane, columns + row)
            if stride == 1 {
                for x in xs { to[x] = from[pixel + x] }
            } else {
                for x in xs { to[x] = from[pixel + x * stride] }
            }
        }, padding: { row, xs in
            for x in xs { columns[row + x] = 0 }
        })
    }

    /// col2im for images `images`: adds every number of their column matrices (at `columns`, laid
    /// out as im2col returns them) to the pixel of the batch at `pixels` it was copied from. The
    /// columns are scratch: numbers that were padding may be set to 0 on the way.
    func addColumns(_ images: Range<Int>, from columns: UnsafeMutablePointer<Float>,
                    into pixels: UnsafeMutablePointer<Float>) {
        if stride == 1 && outputWidth == width {
            return forEachWholeRun(images) { matrix, rows, run, pixel, wrapped in
                // The run also covers, at each row's start or end, padding numbers that would
                // land on the neighbouring image row: set to 0 first, they add nothing.
                let matrix = columns + matrix
                clearWrapped(matrix, rows: rows, wrapped)
                let (from, to) = (matrix + run.lowerBound, pixels + pixel)
                for k in 0..<run.count { to[k] += from[k] }
            }
        }
        walk(images) { plane, pixel, row, xs in
            let (from, to) = (columns + row, pixels + plane)
            if stride == 1 {
                for x in xs { to[pixel + x] += from[x] }
            } else {
                for x in xs { to[pixel + x * stride] += from[x] }
            }
        }
    }

    /// Sets to 0 the columns `wrapped` of each output row in `rows` of one window offset's row
    /// of the column matrices, starting at `matrix` (see `forEachWholeRun`).
    @inline(__always)
    func clearWrapped(_ matrix: UnsafeMutablePointer<Float>, rows: Range<Int>, _ wrapped: Range<Int>) {
        for row in Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: width) {
            for x in wrapped { matrix[row + x] = 0 }
        }
    }

    /// The windows as whole runs, for a stride of 1 and an output as wide as the input (padding
    /// (K − 1) / 2: every convolution of the CIFAR network). For window offset `(i, j)` the
    /// output rows read input rows `y − P + i`, each moved by `j − P` columns: all of them together
    /// are one run of the image, copied (im2col) or added back (col2im) at once — instead of a
    /// few numbers per output row, where the loop's own cost is most of the work (4 numbers a row
    /// in the CIFAR network's last layer).
    ///
    /// Calls `body(matrix, rows, run, pixel, wrapped)` once per image, channel and window offset
    /// `(i, j)`: that offset's row of the column matrices starts at `matrix`, and within it
    /// - `rows`: the output rows that read the image (the rest, above and below, is padding);
    /// - `run`: the numbers that are one run of the image, `pixel ..< pixel + run.count` —
    ///   `rows` less what would lie outside the image plane;
    /// - `wrapped`: the columns `x` of each output row in `rows` that the run fills from the
    ///   neighbouring image row, at its start or end: padding, though inside the run.
    @inline(__always)
    func forEachWholeRun(
        _ images: Range<Int>,
        _ body: (_ matrix: Int, _ rows: Range<Int>, _ run: Range<Int>, _ pixel: Int,
                 _ wrapped: Range<Int>) -> Void
    ) {
        let positions = outputHeight * width
        for n in images {
            for c in 0..<channels {
                let plane = (n * channels + c) * height * width
                for i in 0..<kernelSize {
                    let firstY = min(outputHeight, max(0, padding - i))
                    let endY = max(firstY, min(outputHeight, height + padding - i))
                    let rows = (firstY * width)..<(endY * width)
                    for j in 0..<kernelSize {
                        let shift = j - padding  // output column x reads input column x + shift
                        let matrix = (((n * channels + c) * kernelSize + i) * kernelSize + j) * positions
                        // The rows' numbers, less what would be read from outside the plane.
                        let low = min(max(0, -shift), rows.count)
                        let high = max(low, rows.count - max(0, shift))
                        let wrapped = shift < 0 ? 0..<(-shift) : (width - shift)..<width
                        body(matrix, rows, (rows.lowerBound + low)..<(rows.lowerBound + high),
                             plane + (firstY - padding + i) * width + shift + low, wrapped)
                    }
                }
            }
        }
    }
}

// MARK: - Both cores

/// Calls `body` on consecutive slices of `0..<count` that together cover it once: one slice per
/// core, at the same time, when the job touches at least about a million numbers (`work`), and the
/// whole range on this thread otherwise (lesson 01's `runOnAllCores` hands the other core its
/// slice within a microsecond when it is awake, but up to about 100 µs when it was asleep, as
/// long as a million numbers copied). `body` must write only what belongs to its own slice.
///
/// Used by im2col, col2im, pooling and batch normalization: each of them works image by image
/// (or channel by channel), and the images of a batch are independent.
func splitAcrossCores(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
    let slices = min(coreCount, count)
    guard slices > 1, work >= 1 << 20 else {
        return body(0..<count)
    }
    runOnAllCores(slices) { slice in
        body((slice * count / slices)..<((slice + 1) * count / slices))
    }
}
