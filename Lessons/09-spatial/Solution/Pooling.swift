// Lesson 09, file 4 of 7: pooling — shrink each channel by keeping one number per window.
//
// Max pooling keeps the largest number of each window ("is the pattern anywhere here?"), average
// pooling their mean. With 2 × 2 windows at stride 2 each channel halves in height and width:
//
//     1 3 │ 2 0                   max pool          average pool
//     4 2 │ 1 1        ──►        4  2              2.5  1
//     ────┼────                   8  6              4.5  3.5
//     0 8 │ 6 2
//     5 5 │ 3 3
//
// Both work on every channel of every image separately, and neither has parameters.

import TinyTorchTensor
import TinyTorchAutograd
import TinyTorchLayers

/// The shape of `maxPool2d` or `avgPool2d` of an `input` of shape `[N, C, H, W]` with `K × K`
/// windows moved by `stride`: `[N, C, (H − K) / stride + 1, (W − K) / stride + 1]`; or a
/// `ShapeError`.
///
/// Throws unless the input has 4 axes, `K ≥ 1`, `stride ≥ 1` and the window fits (`K ≤ H`,
/// `K ≤ W`). There is no padding: a last window that would stick out is dropped, as in PyTorch.
///
///     poolingShape([8, 16, 32, 32], kernelSize: 2, stride: 2) == [8, 16, 16, 16]
///     poolingShape([1, 1, 5, 5], kernelSize: 2, stride: 2)    == [1, 1, 2, 2]
///     poolingShape([1, 1, 5, 5], kernelSize: 3, stride: 1)    == [1, 1, 3, 3]
///     poolingShape([1, 16, 16], kernelSize: 2, stride: 2)
///     // throws "pooling: input [1, 16, 16] needs 4 axes, [batch, channels, height, width] — …"
public func poolingShape(_ input: [Int], kernelSize: Int, stride: Int) throws -> [Int] {
    guard input.count == 4 else {
        throw ShapeError("pooling: input \(input) needs 4 axes, [batch, channels, height, width] "
            + "— for one image add a batch axis: reshaped(to: [1] + shape)")
    }
    guard kernelSize >= 1, stride >= 1 else {
        throw ShapeError("pooling: kernelSize \(kernelSize), stride \(stride) — both must be at "
            + "least 1")
    }
    guard kernelSize <= input[2], kernelSize <= input[3] else {
        throw ShapeError("pooling: a \(kernelSize) × \(kernelSize) window does not fit in input "
            + "\(input), whose images are \(input[2]) × \(input[3])")
    }
    return [input[0], input[1], (input[2] - kernelSize) / stride + 1,
            (input[3] - kernelSize) / stride + 1]
}

// MARK: - Max pooling

/// The operation recorded by `maxPool2d`. Inputs: `[input]`. Backward sends each output's
/// gradient to the one input number that was the window's maximum.
public struct MaxPool2dOp: TensorOperation, Equatable {
    /// The input's shape, `[N, C, H, W]`.
    public let inputShape: [Int]
    /// For each output number, in row-major order, the flat row-major index into the input's
    /// `data` of the number that was its window's maximum (the first, if several tie; the first
    /// NaN, if there is one — as lesson 01's `max`).
    public let argmax: [Int]

    public init(inputShape: [Int], argmax: [Int]) {
        self.inputShape = inputShape
        self.argmax = argmax
    }

    public var name: String { "maxPool2d" }
}

/// Max pooling: each output is the largest number of a `K × K` window of one channel.
///
///     output[n, c, y, x] = max over i, j in 0..<K of input[n, c, y·S + i, x·S + j]
///
/// `stride` defaults to `kernelSize` (windows side by side, not overlapping), as in PyTorch.
/// Shape: `[N, C, H, W]` → `poolingShape(…)`. A NaN counts as larger than any number, so it
/// spreads, as in PyTorch. Records `MaxPool2dOp(inputShape:argmax:)` with inputs `[input]`,
/// keeping where each maximum came from.
///
///     // the 4 × 4 channel in the drawing at the top of this file, kernelSize 2:
///     maxPool2d(x, kernelSize: 2)   // [[[[4, 2], [8, 6]]]], argmax [4, 2, 9, 10]
public func maxPool2d(_ input: Tensor, kernelSize: Int, stride: Int? = nil) -> Tensor {
    let stride = stride ?? kernelSize
    let outputShape = requireValidShape {
        try poolingShape(input.shape, kernelSize: kernelSize, stride: stride)
    }
    let (height, width) = (input.shape[2], input.shape[3])
    let (outputHeight, outputWidth) = (outputShape[2], outputShape[3])
    let planes = outputShape[0] * outputShape[1]  // one plane per channel of each image
    // Every number of both is written, so they need no zeros first.
    let count = outputShape.reduce(1, *)
    var argmax = [Int]()
    let output = [Float](unsafeUninitializedCapacity: count) { output, initialized in
        argmax = [Int](unsafeUninitializedCapacity: count) { argmax, argmaxInitialized in
            input.data.withUnsafeBufferPointer { input in
                // Planes are independent: each core takes its own.
                splitAcrossCores(planes, work: input.count) { planeRange in
                    if kernelSize == 2 && stride == 2 {
                        maxPool2x2(input, output, argmax, planes: planeRange, height: height,
                                   width: width, outputHeight: outputHeight,
                                   outputWidth: outputWidth)
                        return
                    }
                    for plane in planeRange {
                        var next = plane * outputHeight * outputWidth
                        for y in 0..<outputHeight {
                            for x in 0..<outputWidth {
                                let corner = (plane * height + y * stride) * width + x * stride
                                var best = corner
                                for i in 0..<kernelSize {
                                    for j in 0..<kernelSize {
                                        let index = corner + i * width + j
                                        let (value, top) = (input[index], input[best])
                                        if value > top || (value.isNaN && !top.isNaN) {
                                            best = index
                                        }
                                    }
                                }
                                output[next] = input[best]
                                argmax[next] = best
                                next += 1
                            }
                        }
                    }
                }
            }
            argmaxInitialized = count
        }
        initialized = count
    }
    return Tensor(shape: outputShape, data: output,
                  operation: MaxPool2dOp(inputShape: input.shape, argmax: argmax),
                  inputs: [input])
}

/// `maxPool2d`'s loops for 2 × 2 windows side by side (the CIFAR network's pooling), written out
/// without branches: which of the four numbers is largest depends on the data, so a branch on it
/// is mispredicted about every other time (measured with perf: most of the loops' time), while
/// `larger ? index : best` compiles to a select. Same results, ties and NaNs included (a window
/// holding a NaN takes a separate path). The CIFAR network's three poolings, forward, batch 128:
/// 38.5 → 7.6 ms of processor time.
private func maxPool2x2(
    _ input: UnsafeBufferPointer<Float>, _ output: UnsafeMutableBufferPointer<Float>,
    _ argmax: UnsafeMutableBufferPointer<Int>, planes: Range<Int>, height: Int, width: Int,
    outputHeight: Int, outputWidth: Int
) {
    for plane in planes {
        var next = plane * outputHeight * outputWidth
        for y in 0..<outputHeight {
            let top = (plane * height + 2 * y) * width  // the windows' upper row
            for x in 0..<outputWidth {
                let first = top + 2 * x
                var best = first
                var largest = input[first]
                @inline(__always) func consider(_ index: Int) {
                    let value = input[index]
                    let larger = value > largest
                    best = larger ? index : best
                    largest = larger ? value : largest
                }
                consider(first + 1)
                consider(first + width)
                consider(first + width + 1)
                if largest.isNaN || input[first + 1].isNaN || input[first + width].isNaN
                    || input[first + width + 1].isNaN {
                    // The first NaN wins, as in the general loops (rare: a separate path).
                    best = [first, first + 1, first + width, first + width + 1]
                        .first { input[$0].isNaN }!
                    largest = input[best]
                }
                output[next] = largest
                argmax[next] = best
                next += 1
            }
        }
    }
}

extension MaxPool2dOp: Differentiable {
    /// Only the maximum of a window moved the output, so output `k`'s gradient goes to input
    /// number `argmax[k]` and the rest of the window gets 0. Windows that overlap (stride < K)
    /// can share a maximum: it then gets the sum of their gradients.
    ///
    /// `argmax = [4, 2, 9, 10]` over a 4 × 4 input, `gradient = [1, 2, 3, 4]` → zeros except
    /// `[4] = 1`, `[2] = 2`, `[9] = 3`, `[10] = 4`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let count = inputShape.reduce(1, *)
        let planes = inputShape[0] * inputShape[1]  // one per channel of each image
        let (inputPlane, outputPlane) = (count / max(1, planes), gradient.count / max(1, planes))
        let result = [Float](unsafeUninitializedCapacity: count) { result, initialized in
            gradient.data.withUnsafeBufferPointer { gradient in
                argmax.withUnsafeBufferPointer { argmax in
                    // A window's maximum is in the window's own plane: each core takes some
                    // planes, zeroes them, and adds their outputs' gradients.
                    splitAcrossCores(planes, work: count) { planeRange in
                        (result.baseAddress! + planeRange.lowerBound * inputPlane)
                            .initialize(repeating: 0, count: planeRange.count * inputPlane)
                        let outputs = (planeRange.lowerBound * outputPlane)..<(planeRange.upperBound * outputPlane)
                        for k in outputs { result[argmax[k]] += gradient[k] }
                    }
                }
            }
            initialized = count
        }
        return [Tensor(shape: inputShape, data: result)]
    }
}

// MARK: - Average pooling

/// The operation recorded by `avgPool2d`. Inputs: `[input]`. Backward shares each output's
/// gradient equally among the `K · K` numbers of its window.
public struct AvgPool2dOp: TensorOperation, Equatable {
    public let kernelSize: Int
    public let stride: Int
    /// The input's shape, `[N, C, H, W]`.
    public let inputShape: [Int]

    public init(kernelSize: Int, stride: Int, inputShape: [Int]) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.inputShape = inputShape
    }

    public var name: String { "avgPool2d" }
}

/// Average pooling: each output is the mean of a `K × K` window of one channel.
///
///     output[n, c, y, x] = (1 / K²) · Σ over i, j in 0..<K of input[n, c, y·S + i, x·S + j]
///
/// `stride` defaults to `kernelSize`. Shape: `[N, C, H, W]` → `poolingShape(…)`. Each window's sum
/// is added up in `Double`. Records `AvgPool2dOp(kernelSize:stride:inputShape:)` with inputs
/// `[input]`.
///
///     avgPool2d(x, kernelSize: 2)   // the drawing's channel: [[[[2.5, 1], [4.5, 3.5]]]]
public func avgPool2d(_ input: Tensor, kernelSize: Int, stride: Int? = nil) -> Tensor {
    let stride = stride ?? kernelSize
    let outputShape = requireValidShape {
        try poolingShape(input.shape, kernelSize: kernelSize, stride: stride)
    }
    let (height, width) = (input.shape[2], input.shape[3])
    let (outputHeight, outputWidth) = (outputShape[2], outputShape[3])
    let planes = outputShape[0] * outputShape[1]
    let area = Double(kernelSize * kernelSize)
    var output = [Float](repeating: 0, count: outputShape.reduce(1, *))
    if !output.isEmpty {
        input.data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                splitAcrossCores(planes, work: input.count) { planeRange in
                    for plane in planeRange {
                        var next = plane * outputHeight * outputWidth
                        for y in 0..<outputHeight {
                            for x in 0..<outputWidth {
                                let corner = (plane * height + y * stride) * width + x * stride
                                var sum = 0.0
                                for i in 0..<kernelSize {
                                    for j in 0..<kernelSize {
                                        sum += Double(input[corner + i * width + j])
                                    }
                                }
                                output[next] = Float(sum / area)
                                next += 1
                            }
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: outputShape, data: output,
                  operation: AvgPool2dOp(kernelSize: kernelSize, stride: stride,
                                         inputShape: input.shape),
                  inputs: [input])
}

extension AvgPool2dOp: Differentiable {
    /// Every number of a window moved its output by `1/K²` of its own change, so each gets the
    /// window's gradient divided by `K²`; a number in several windows (stride < K) gets the sum.
    ///
    /// 2 × 2 windows, stride 2, `gradient = [[4]]` over a 2 × 2 input → `[[1, 1], [1, 1]]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let (height, width) = (inputShape[2], inputShape[3])
        let (outputHeight, outputWidth) = (gradient.shape[2], gradient.shape[3])
        let planes = inputShape[0] * inputShape[1]
        let share = 1 / Float(kernelSize * kernelSize)
        var result = [Float](repeating: 0, count: inputShape.reduce(1, *))
        gradient.data.withUnsafeBufferPointer { gradient in
            result.withUnsafeMutableBufferPointer { result in
                var next = 0
                for plane in 0..<planes {
                    for y in 0..<outputHeight {
                        for x in 0..<outputWidth {
                            let corner = (plane * height + y * stride) * width + x * stride
                            let value = gradient[next] * share
                            for i in 0..<kernelSize {
                                for j in 0..<kernelSize {
                                    result[corner + i * width + j] += value
                                }
                            }
                            next += 1
                        }
                    }
                }
            }
        }
        return [Tensor(shape: inputShape, data: result)]
    }
}

// MARK: - The layers

/// `maxPool2d` as a layer: PyTorch's `nn.MaxPool2d(kernelSize, stride)`. No parameters.
///
///     MaxPool2d(kernelSize: 2)(Tensor.zeros([8, 16, 32, 32])).shape == [8, 16, 16, 16]
public final class MaxPool2d: Module {
    public let kernelSize: Int
    /// How far the window moves; `kernelSize` unless given.
    public let stride: Int
    public var isTraining = true

    public init(kernelSize: Int, stride: Int? = nil) {
        require(kernelSize >= 1 && (stride ?? 1) >= 1,
                "MaxPool2d(kernelSize: \(kernelSize), stride: \(stride.map(String.init) ?? "nil"))"
                   + ": the kernel size and stride must be at least 1")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    /// `maxPool2d(input, kernelSize: kernelSize, stride: stride)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernelSize: kernelSize, stride: stride)
    }
}

/// `avgPool2d` as a layer: PyTorch's `nn.AvgPool2d(kernelSize, stride)`. No parameters.
///
///     AvgPool2d(kernelSize: 4)(Tensor.zeros([8, 64, 4, 4])).shape == [8, 64, 1, 1]
public final class AvgPool2d: Module {
    public let kernelSize: Int
    /// How far the window moves; `kernelSize` unless given.
    public let stride: Int
    public var isTraining = true

    public init(kernelSize: Int, stride: Int? = nil) {
        require(kernelSize >= 1 && (stride ?? 1) >= 1,
                "AvgPool2d(kernelSize: \(kernelSize), stride: \(stride.map(String.init) ?? "nil"))"
                   + ": the kernel size and stride must be at least 1")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    /// `avgPool2d(input, kernelSize: kernelSize, stride: stride)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        avgPool2d(input, kernelSize: kernelSize, stride: stride)
    }
}
