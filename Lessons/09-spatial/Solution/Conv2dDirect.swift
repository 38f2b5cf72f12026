// Lesson 09, file 1 of 7: what a convolution computes — the shape rule and the definition, written
// as plain loops. These loops are slow, and they are kept on purpose: they are the textbook
// definition, short enough to check by eye, and every test of the fast version (Conv2d.swift)
// compares against them.

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
/// Throws unless: both have 4 axes; the kernel is square; the channels agree (`C` of the input
/// equals `C` of the weight); the bias, if any, is `[O]`; `stride ≥ 1`, `padding ≥ 0`; and the
/// kernel fits in the padded image (`K ≤ H + 2·padding`, and the same for `W`).
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
    guard input.count == 4 else {
        throw ShapeError("conv2d: input \(input) needs 4 axes, [batch, channels, height, width] "
            + "— for one image add a batch axis: reshaped(to: [1] + shape)")
    }
    guard weight.count == 4 else {
        throw ShapeError("conv2d: weight \(weight) needs 4 axes, "
            + "[outputChannels, inputChannels, kernelSize, kernelSize]")
    }
    let (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
    let (outputChannels, kernelSize) = (weight[0], weight[2])
    guard weight[2] == weight[3] else {
        throw ShapeError("conv2d: weight \(weight) has a \(weight[2]) × \(weight[3]) kernel — "
            + "only square kernels (K × K) are supported")
    }
    guard weight[1] == channels else {
        throw ShapeError("conv2d: input \(input) has \(channels) channels, but weight \(weight) "
            + "expects \(weight[1])")
    }
    if let bias, bias != [outputChannels] {
        throw ShapeError("conv2d: bias \(bias) should be [\(outputChannels)], one number per "
            + "output channel of weight \(weight)")
    }
    guard stride >= 1 else {
        throw ShapeError("conv2d: stride \(stride) — the stride must be at least 1")
    }
    guard padding >= 0 else {
        throw ShapeError("conv2d: padding \(padding) — the padding cannot be negative")
    }
    guard kernelSize >= 1,
          kernelSize <= height + 2 * padding, kernelSize <= width + 2 * padding else {
        throw ShapeError("conv2d: a \(kernelSize) × \(kernelSize) kernel does not fit in input "
            + "\(input) with padding \(padding): the padded image is "
            + "\(height + 2 * padding) × \(width + 2 * padding)")
    }
    return [batch, outputChannels,
            (height + 2 * padding - kernelSize) / stride + 1,
            (width + 2 * padding - kernelSize) / stride + 1]
}

/// 2-D convolution by its definition, one output number at a time (strictly, cross-correlation,
/// as in every deep-learning framework: the kernel is not flipped).
///
///     output[n, o, y, x] = bias[o] + Σ_c Σ_i Σ_j  input[n, c, y·S − P + i, x·S − P + j]
///                                                 · weight[o, c, i, j]
///
/// with `S` the stride, `P` the padding, `i, j` in `0..<K`, and input positions outside the image
/// read as 0 (the zero padding). Shape: `[N, C, H, W]`, `[O, C, K, K]`, `[O]` → `[N, O, Ho, Wo]`
/// (`conv2dShape`). Each sum is added up in `Double`, as lesson 01's sums: this version is the
/// reference the fast one is checked against.
///
/// Records `Conv2dOp(stride:padding:)` with inputs `[input, weight]` or `[input, weight, bias]`,
/// exactly as `conv2d` does: the gradient does not depend on how the forward pass was computed.
///
///     // input 1×1×3×3 holding 1…9, weight 1×1×2×2 of ones: each output is a 2 × 2 window's sum
///     conv2dDirect(x, w)   // [[[[12, 16], [24, 28]]]]   (1+2+4+5 = 12, 2+3+5+6 = 16, …)
public func conv2dDirect(
    _ input: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0
) -> Tensor {
    let outputShape = requireValidShape {
        try conv2dShape(input: input.shape, weight: weight.shape, bias: bias?.shape,
                        stride: stride, padding: padding)
    }
    let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2],
                                            input.shape[3])
    let (outputChannels, kernelSize) = (weight.shape[0], weight.shape[2])
    let (outputHeight, outputWidth) = (outputShape[2], outputShape[3])

    let (pixels, taps) = (input.data, weight.data)
    var output = [Float](repeating: 0, count: outputShape.reduce(1, *))
    var next = 0  // output is filled in row-major order
    for n in 0..<batch {
        for o in 0..<outputChannels {
            for y in 0..<outputHeight {
                for x in 0..<outputWidth {
                    var sum = Double(bias?.data[o] ?? 0)
                    for c in 0..<channels {
                        for i in 0..<kernelSize {
                            let row = y * stride - padding + i
                            guard row >= 0 && row < height else { continue }  // padding: 0
                            for j in 0..<kernelSize {
                                let column = x * stride - padding + j
                                guard column >= 0 && column < width else { continue }
                                let pixel = pixels[((n * channels + c) * height + row) * width
                                                   + column]
                                let tap = taps[((o * channels + c) * kernelSize + i) * kernelSize
                                               + j]
                                sum += Double(pixel) * Double(tap)
                            }
                        }
                    }
                    output[next] = Float(sum)
                    next += 1
                }
            }
        }
    }
    return Tensor(shape: outputShape, data: output,
                  operation: Conv2dOp(stride: stride, padding: padding),
                  inputs: bias.map { [input, weight, $0] } ?? [input, weight])
}
