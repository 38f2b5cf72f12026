// Lesson 09: Spatial. The tests follow the lesson's files in order: Conv2dDirect.swift (the shape
// rule, the definition), Im2col.swift, Conv2d.swift (the fast convolution, its gradients, the
// layer), Pooling.swift, BatchNorm2d.swift, Flatten.swift, Augmentation.swift, and last a small
// convolutional network that learns to tell vertical bars from horizontal ones (`test_module`).
//
// `conv2dDirect`, the definition written as loops, is the oracle of the fast `conv2d`. Every
// gradient is checked against finite differences by `gradCheck` (Support/GradCheck.swift: relative
// 1e-2, absolute 1e-3); outputs that do not all count equally are weighted by a constant tensor
// first, so that a gradient sent to the wrong place shows. Key values are compared with PyTorch
// 2.15.0 (CPU, float32), computed once; the Python and its output are in the comments beside the
// numbers, after
//
//   import math, torch, torch.nn.functional as F
//   def pattern(shape, seed):   # the same numbers as `pattern` at the bottom of this file
//       n = math.prod(shape)
//       return torch.tensor([((i * 37 + seed * 11) % 19 - 9) / 8 for i in range(n)]).reshape(shape)
//
// The patterns hold multiples of 1/8 between −1.125 and 1.125, so the convolution's sums of
// products are exact in Float: conv2d and conv2dDirect must agree to the last bit there. The
// batch-norm comparisons use relative 1e-4, absolute 1e-6: the same arithmetic in another order.

import XCTest
import TinyTorchTensor
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchLosses
import TinyTorchAutograd
import TinyTorchOptimizers
import TinyTorchSpatial

final class SpatialTests: LessonTestCase {

    // MARK: - Conv2dDirect.swift

    func test_unit_conv2dShape_outputSizeAndErrors() {
        XCTAssertEqual(try conv2dShape(input: [8, 3, 32, 32], weight: [16, 3, 3, 3], bias: [16],
                                       stride: 1, padding: 1), [8, 16, 32, 32],
                       "3 × 3 kernels with padding 1 keep 32 × 32: (32 + 2 − 3) / 1 + 1 = 32")
        XCTAssertEqual(try conv2dShape(input: [1, 1, 4, 4], weight: [1, 1, 3, 3], bias: nil,
                                       stride: 1, padding: 0), [1, 1, 2, 2],
                       "a 3 × 3 kernel fits twice across 4 pixels: (4 − 3) / 1 + 1 = 2")
        XCTAssertEqual(try conv2dShape(input: [2, 3, 7, 5], weight: [4, 3, 3, 3], bias: [4],
                                       stride: 2, padding: 0), [2, 4, 3, 2],
                       "height (7 − 3) / 2 + 1 = 3, width (5 − 3) / 2 + 1 = 2; batch 2, 4 filters")
        XCTAssertEqual(try conv2dShape(input: [1, 3, 32, 32], weight: [8, 3, 3, 3], bias: nil,
                                       stride: 2, padding: 1), [1, 8, 16, 16],
                       "(32 + 2 − 3) / 2 + 1 = 16: integer division drops the half window")
        XCTAssertEqual(try conv2dShape(input: [2, 3, 5, 5], weight: [6, 3, 1, 1], bias: nil,
                                       stride: 1, padding: 0), [2, 6, 5, 5],
                       "a 1 × 1 kernel keeps the size and mixes channels only")

        assertShapeError(try conv2dShape(input: [8, 3, 32, 32], weight: [16, 4, 3, 3], bias: nil,
                                         stride: 1, padding: 0),
                         mentions: ["[8, 3, 32, 32]", "[16, 4, 3, 3]"],
                         "3 input channels, but the filters have 4: name both shapes")
        assertShapeError(try conv2dShape(input: [3, 32, 32], weight: [16, 3, 3, 3], bias: nil,
                                         stride: 1, padding: 0), mentions: ["[3, 32, 32]"],
                         "an image without its batch axis has only 3 axes")
        assertShapeError(try conv2dShape(input: [1, 3, 8, 8], weight: [16, 3, 3], bias: nil,
                                         stride: 1, padding: 0), mentions: ["[16, 3, 3]"],
                         "a weight needs 4 axes, [O, C, K, K]")
        assertShapeError(try conv2dShape(input: [1, 3, 8, 8], weight: [16, 3, 3, 2], bias: nil,
                                         stride: 1, padding: 0), mentions: ["[16, 3, 3, 2]"],
                         "only square kernels: 3 × 2 is refused")
        assertShapeError(try conv2dShape(input: [1, 3, 8, 8], weight: [16, 3, 3, 3], bias: [8],
                                         stride: 1, padding: 0), mentions: ["[8]", "16"],
                         "16 filters need 16 biases")
        assertShapeError(try conv2dShape(input: [1, 3, 8, 8], weight: [16, 3, 3, 3], bias: nil,
                                         stride: 0, padding: 0), mentions: ["stride"],
                         "a stride of 0 never moves")
        assertShapeError(try conv2dShape(input: [1, 3, 8, 8], weight: [16, 3, 3, 3], bias: nil,
                                         stride: 1, padding: -1), mentions: ["padding"],
                         "padding cannot be negative")
        assertShapeError(try conv2dShape(input: [1, 1, 2, 2], weight: [1, 1, 5, 5], bias: nil,
                                         stride: 1, padding: 1), mentions: ["[1, 1, 2, 2]"],
                         "a 5 × 5 kernel does not fit in a 2 × 2 image padded to 4 × 4")
    }

    func test_unit_conv2dDirect_workedExample() {
        // The lesson text's example, by hand. The kernel is the Sobel filter, which responds to
        // vertical edges: left column minus right column, the middle row counted twice.
        //
        //   out[0, 0] = 1·1 + 0·2 + (−1)·0 + 2·0 + 0·1 + (−2)·2 + 1·3 + 0·0 + (−1)·1 = −1
        //   out[0, 1] = 2 − 3 + 2·1 − 2·1 + 0 − 2 = −3
        //   out[1, 0] = 0 − 2 + 2·3 − 2·1 + 2 − 0 = 4
        //   out[1, 1] = 1 − 1 + 0 − 2·2 + 1 − 1 = −4
        let x = Tensor([[1, 2, 0, 3], [0, 1, 2, 1], [3, 0, 1, 2], [2, 1, 0, 1]])
            .reshaped(to: [1, 1, 4, 4])
        let sobel = Tensor([[1, 0, -1], [2, 0, -2], [1, 0, -1]]).reshaped(to: [1, 1, 3, 3])
        assertClose(conv2dDirect(x, sobel), Tensor([[-1, -3], [4, -4]]).reshaped(to: [1, 1, 2, 2]),
                    absolute: 0, "the 4 × 4 example of the lesson text, stride 1, no padding")

        // F.conv2d(x, w, padding=1) → the same image framed by zeros, 4 × 4 out.
        let padded = Tensor([[-5, 0, -2, 2], [-4, -1, -3, 5], [-2, 4, -4, 4], [-2, 6, -2, 1]])
        assertClose(conv2dDirect(x, sobel, padding: 1), padded.reshaped(to: [1, 1, 4, 4]),
                    absolute: 0, "padding 1: positions outside the image read as 0")

        // F.conv2d(x, w, torch.tensor([0.5]), stride=2, padding=1) → every other window of the
        // padded result, plus the bias: −5 + 0.5, −2 + 0.5, −2 + 0.5, −4 + 0.5.
        assertClose(conv2dDirect(x, sobel, bias: Tensor([0.5]), stride: 2, padding: 1),
                    Tensor([[-4.5, -1.5], [-1.5, -3.5]]).reshaped(to: [1, 1, 2, 2]), absolute: 0,
                    "stride 2 skips every other window; the bias is added to every output")
    }

    func test_unit_conv2dDirect_matchesPyTorch() {
        // Two channels in, two filters, stride 2, padding 1:
        //   x = pattern([1, 2, 5, 5], 1); w = pattern([2, 2, 3, 3], 2)
        //   b = torch.tensor([0.5, -0.25])
        //   F.conv2d(x, w, b, stride=2, padding=1).flatten().tolist()
        //   → [0.25, -2.203125, -1.5625, -0.109375, 8.359375, 3.234375, -0.578125, -1.390625,
        //      -0.640625, -1.296875, -3.09375, -2.0, 1.4375, 5.4375, 0.65625, -1.625, -2.125,
        //      -0.875]
        let x = pattern([1, 2, 5, 5], seed: 1)
        let w = pattern([2, 2, 3, 3], seed: 2)
        let b = Tensor([0.5, -0.25])
        let expected = Tensor(shape: [1, 2, 3, 3], data: [
            0.25, -2.203125, -1.5625, -0.109375, 8.359375, 3.234375, -0.578125, -1.390625,
            -0.640625, -1.296875, -3.09375, -2.0, 1.4375, 5.4375, 0.65625, -1.625, -2.125, -0.875])
        assertClose(conv2dDirect(x, w, bias: b, stride: 2, padding: 1), expected,
                    "conv2dDirect(x, w, bias: b, stride: 2, padding: 1) against F.conv2d: sum over "
                    + "both channels, weight[o, c, i, j] times input[n, c, y·S − P + i, "
                    + "x·S − P + j]")

        // It records the same operation as conv2d, so that its result has a gradient too.
        w.requiresGrad = true
        assertRecorded(conv2dDirect(x, w, bias: b, stride: 2, padding: 1),
                       Conv2dOp(stride: 2, padding: 1), inputs: [x, w, b],
                       "conv2dDirect(x, w, bias: b, stride: 2, padding: 1)",
                       hint: "end with Tensor(shape:data:operation:inputs:), inputs [input, "
                             + "weight, bias] (or [input, weight] without a bias)")
        assertRecorded(conv2dDirect(x, w), Conv2dOp(stride: 1, padding: 0), inputs: [x, w],
                       "conv2dDirect(x, w)", hint: "without a bias the inputs are [input, weight]")
    }

    // MARK: - Im2col.swift

    func test_unit_im2col_matchesTheDefinitionForEveryShape() {
        // columns[n, (c·K + i)·K + j, y·Wo + x] = input[n, c, y·S − P + i, x·S − P + j], 0 outside
        // the image — checked number by number on shapes where a fast im2col takes shortcuts
        // (stride 1 with an output as wide as the input, rows of 1 or 2 pixels) and where it
        // cannot (strides, padding wider than the window, a kernel as large as the image).
        for (n, c, h, w, k, s, p) in windowCases {
            let input = arange([n, c, h, w], from: 1)
            let (ho, wo) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1)
            var expected = [Float](repeating: 0, count: n * c * k * k * ho * wo)
            forEachWindowNumber((n, c, h, w, k, s, p)) { column, pixel in
                expected[column] = pixel.map { input.data[$0] } ?? 0
            }
            assertClose(im2col(input, kernelSize: k, stride: s, padding: p),
                        Tensor(shape: [n, c * k * k, ho * wo], data: expected), absolute: 0,
                        "im2col of [\(n), \(c), \(h), \(w)], kernel \(k), stride \(s), padding \(p)")
        }
    }

    func test_unit_im2col_oneColumnPerWindow() {
        // A 2 × 3 image and 2 × 2 windows: two windows side by side, so two columns. Row
        // (i, j) holds the number at offset (i, j) of every window.
        //   1 2 3      window (0, 0): 1 2     window (0, 1): 2 3      columns: [1, 2]  row (0, 0)
        //   4 5 6                     4 5                    5 6               [2, 3]  row (0, 1)
        //                                                                      [4, 5]  row (1, 0)
        //   F.unfold(torch.arange(1., 7).reshape(1, 1, 2, 3), 2)               [5, 6]  row (1, 1)
        //   → [[[1, 2], [2, 3], [4, 5], [5, 6]]]
        assertClose(im2col(arange([1, 1, 2, 3], from: 1), kernelSize: 2),
                    Tensor(shape: [1, 4, 2], data: [1, 2, 2, 3, 4, 5, 5, 6]), absolute: 0,
                    "im2col of a 2 × 3 image with 2 × 2 windows is [1, 4, 2]: one column per "
                    + "window, one row per offset (i, j) in the window")

        // The 3 × 3 image 1…9 with padding 1 and stride 2: windows start at −1 and 1 each way.
        //   F.unfold(torch.arange(1., 10).reshape(1, 1, 3, 3), 2, padding=1, stride=2)
        //   → [[[0, 0, 0, 5], [0, 0, 4, 6], [0, 2, 0, 8], [1, 3, 7, 9]]]
        assertClose(im2col(arange([1, 1, 3, 3], from: 1), kernelSize: 2, stride: 2, padding: 1),
                    Tensor(shape: [1, 4, 4], data: [0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8,
                                                    1, 3, 7, 9]),
                    absolute: 0, "padding 1, stride 2: numbers of a window outside the image "
                    + "are 0 (against F.unfold)")

        // Two images of two channels, one 2 × 2 window each: the rows of a column run through
        // channel 0's window, then channel 1's — row (c · K + i) · K + j.
        //   F.unfold(torch.arange(16.).reshape(2, 2, 2, 2), 2)
        //   → [[[0], [1], …, [7]], [[8], …, [15]]]
        assertClose(im2col(arange([2, 2, 2, 2]), kernelSize: 2),
                    Tensor(shape: [2, 8, 1], data: (0..<16).map(Float.init)), absolute: 0,
                    "two images: one matrix each; down a column, channel 0 first, then channel 1")

        // Two channels, padding and a stride together:
        //   F.unfold(pattern([1, 2, 3, 3], 2), 2, padding=1, stride=2).flatten().tolist()
        assertClose(im2col(pattern([1, 2, 3, 3], seed: 2), kernelSize: 2, stride: 2, padding: 1),
                    Tensor(shape: [1, 8, 4], data: [
                        0, 0, 0, 1.125, 0, 0, -1.125, 1, 0, -0.875, 0, 0.75, -0.75, -1, 0.875,
                        0.625, 0, 0, 0, 0, 0, 0, 0.125, -0.125, 0, 0.375, 0, -0.375, 0.5, 0.25,
                        -0.25, -0.5]),
                    absolute: 0, "two channels, padding 1, stride 2, against F.unfold")

        XCTAssertEqual(try im2colShape(input: [2, 3, 4, 4], kernelSize: 3, stride: 1, padding: 0),
                       [2, 27, 4], "2 images, 3 · 3 · 3 = 27 numbers per window, 2 × 2 windows")
        XCTAssertEqual(try im2colShape(input: [1, 1, 4, 4], kernelSize: 3, stride: 2, padding: 1),
                       [1, 9, 4], "(4 + 2 − 3) / 2 + 1 = 2 windows each way: 4 columns of 9")
        assertShapeError(try im2colShape(input: [1, 1, 2, 2], kernelSize: 3, stride: 1, padding: 0),
                         mentions: ["[1, 1, 2, 2]"], "a 3 × 3 window does not fit in 2 × 2")
        assertShapeError(try im2colShape(input: [4, 4], kernelSize: 3, stride: 1, padding: 0),
                         mentions: ["[4, 4]"], "the input needs 4 axes")

        // im2col is a primitive of its own: it records Im2colOp, whose gradient is col2im.
        let x = pattern([2, 2, 4, 3], seed: 3)
        x.requiresGrad = true
        assertRecorded(im2col(x, kernelSize: 3, stride: 1, padding: 1),
                       Im2colOp(kernelSize: 3, stride: 1, padding: 1, inputShape: [2, 2, 4, 3]),
                       inputs: [x], "im2col(x, kernelSize: 3, padding: 1)")
    }

    func test_unit_col2im_addsEveryCopyBack() {
        // col2im of ones counts how many windows cover each pixel: the centre of a 3 × 3 image is
        // under all four 2 × 2 windows, each corner under one.
        //   F.fold(torch.ones(1, 4, 4), (3, 3), 2) → [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
        assertClose(col2im(Tensor.ones([1, 4, 4]), inputShape: [1, 1, 3, 3], kernelSize: 2),
                    Tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]]).reshaped(to: [1, 1, 3, 3]),
                    absolute: 0, "each pixel gets one 1 from every window it is in")
        // Padding 1, stride 2: the four windows cover each pixel of the image exactly once, and
        // the numbers that fell on the padding are dropped.
        assertClose(col2im(Tensor.ones([1, 4, 4]), inputShape: [1, 1, 3, 3], kernelSize: 2,
                           stride: 2, padding: 1),
                    Tensor.ones([1, 1, 3, 3]), absolute: 0,
                    "padding 1, stride 2: every pixel in exactly one window; padding dropped")
        // It puts numbers back where im2col took them from: the image's own columns, added up.
        let columns = Tensor(shape: [1, 4, 4], data: [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8,
                                                      5, 6, 8, 9])
        assertClose(col2im(columns, inputShape: [1, 1, 3, 3], kernelSize: 2),
                    Tensor([[1, 4, 3], [8, 20, 12], [7, 16, 9]]).reshaped(to: [1, 1, 3, 3]),
                    absolute: 0,
                    "pixel 5 (the centre) was copied into all four windows: 4 · 5 = 20")

        // The defining property of an adjoint: Σ im2col(x) · P = Σ x · col2im(P) for any x and P.
        let x = pattern([2, 3, 5, 4], seed: 4)
        let p = pattern([2, 3 * 9, 3 * 2], seed: 5)  // 2 images, C·K·K = 27, 3 × 2 windows
        let left = zip(im2col(x, kernelSize: 3, stride: 2, padding: 1).data, p.data)
            .reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x.data, col2im(p, inputShape: x.shape, kernelSize: 3, stride: 2,
                                       padding: 1).data)
            .reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        XCTAssertEqual(left, right, accuracy: 1e-9,
                       "Σ im2col(x)·P should equal Σ x·col2im(P): col2im must add every number "
                       + "to exactly the pixel im2col copied it from")

        // Number by number against the definition, on the shapes of the im2col test (where a
        // fast col2im takes shortcuts and where it cannot); whole numbers, so any order of adding
        // gives the same sums. The columns it is given stay as they were.
        for (n, c, h, w, k, s, p) in windowCases {
            let (ho, wo) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1)
            let columns = arange([n, c * k * k, ho * wo], from: 1)
            let given = columns.data
            var expected = [Float](repeating: 0, count: n * c * h * w)
            forEachWindowNumber((n, c, h, w, k, s, p)) { column, pixel in
                if let pixel { expected[pixel] += columns.data[column] }
            }
            assertClose(col2im(columns, inputShape: [n, c, h, w], kernelSize: k, stride: s,
                               padding: p),
                        Tensor(shape: [n, c, h, w], data: expected), absolute: 0,
                        "col2im onto [\(n), \(c), \(h), \(w)], kernel \(k), stride \(s), padding \(p)")
            XCTAssertEqual(columns.data, given, "col2im must not change the columns it is given")
        }

        // And so col2im is the gradient of im2col.
        let weights = pattern([2, 27, 6], seed: 6)
        gradCheck({ im2col($0[0], kernelSize: 3, stride: 2, padding: 1) * weights },
                  inputs: [pattern([2, 3, 5, 4], seed: 7)], "im2col, stride 2, padding 1")
    }

    // MARK: - Conv2d.swift

    func test_unit_conv2d_matchesDirect() {
        // (batch, channels, height, width, filters, kernel, stride, padding, bias)
        let cases: [(Int, Int, Int, Int, Int, Int, Int, Int, Bool)] = [
            (2, 3, 7, 5, 4, 3, 1, 1, true),     // the usual: 3 × 3, padding 1, a bias
            (2, 3, 7, 5, 4, 3, 2, 0, false),    // stride 2, no padding, no bias
            (1, 2, 6, 6, 5, 1, 1, 0, true),     // 1 × 1: a Linear layer on every pixel
            (3, 1, 9, 8, 2, 5, 3, 2, true),     // a large kernel, a large stride
            (1, 4, 3, 3, 3, 3, 1, 0, true),     // one window: a dot product per filter
        ]
        for (index, (n, c, h, w, o, k, s, p, hasBias)) in cases.enumerated() {
            let x = pattern([n, c, h, w], seed: index)
            let weight = pattern([o, c, k, k], seed: index + 5)
            let bias = hasBias ? pattern([o], seed: index + 9) : nil
            let label = "conv2d of \(x.shape) with \(weight.shape), stride \(s), padding \(p)"
                + (hasBias ? ", bias" : "")
            assertClose(conv2d(x, weight, bias: bias, stride: s, padding: p),
                        conv2dDirect(x, weight, bias: bias, stride: s, padding: p),
                        "\(label) should equal conv2dDirect")
        }
    }

    func test_unit_conv2d_recordsOneOperation() {
        let x = pattern([2, 3, 5, 5], seed: 1)
        let w = pattern([4, 3, 3, 3], seed: 2)
        let b = pattern([4], seed: 3)
        w.requiresGrad = true
        b.requiresGrad = true
        assertRecorded(conv2d(x, w, bias: b, stride: 2, padding: 1),
                       Conv2dOp(stride: 2, padding: 1), inputs: [x, w, b],
                       "conv2d(x, w, bias: b, stride: 2, padding: 1)",
                       hint: "compute inside GradientMode.withoutGradients { … } and record one "
                             + "Conv2dOp on the result, with the caller's tensors as inputs")
        assertRecorded(conv2d(x, w), Conv2dOp(stride: 1, padding: 0), inputs: [x, w],
                       "conv2d(x, w)", hint: "without a bias the inputs are [input, weight]")
        XCTAssertNil(conv2d(x, Tensor(shape: w.shape, data: w.data)).recording,
                     "when no input requires a gradient, nothing is recorded")
    }

    func test_unit_conv2d_gradientsMatchPyTorch() {
        //   x = pattern([1, 1, 4, 4], 3).requires_grad_()
        //   w = pattern([2, 1, 3, 3], 4).requires_grad_()
        //   b = torch.tensor([0.5, -0.25], requires_grad=True)
        //   y = F.conv2d(x, w, b, stride=2, padding=1); y.backward(pattern([1, 2, 2, 2], 5))
        //   y      → [-0.40625, -0.84375, -0.71875, 3.375, 0.109375, 0.234375, -0.296875, -1.4375]
        //   x.grad → [-0.6875, -1.34375, -0.625, -0.78125, 0.9375, -0.4375, 0.765625, 0.515625,
        //             -0.5625, -1.09375, -0.5, -0.59375, 0.84375, 0.03125, 0.703125, 0.609375]
        //   w.grad → [0.0, 0.015625, -0.15625, 0.125, 0.28125, -0.125, -0.625, -1.34375, -0.265625,
        //             0.0, 0.015625, -0.03125, 0.125, 0.28125, 0.125, -0.125, -0.34375, -0.203125]
        //   b.grad → [3.25, 1.25]
        let x = pattern([1, 1, 4, 4], seed: 3)
        let w = pattern([2, 1, 3, 3], seed: 4)
        let b = Tensor([0.5, -0.25])
        for tensor in [x, w, b] { tensor.requiresGrad = true }
        let y = conv2d(x, w, bias: b, stride: 2, padding: 1)
        assertClose(y, Tensor(shape: [1, 2, 2, 2], data: [-0.40625, -0.84375, -0.71875, 3.375,
                                                          0.109375, 0.234375, -0.296875, -1.4375]),
                    "the forward pass, against F.conv2d")
        y.backward(gradient: pattern([1, 2, 2, 2], seed: 5))
        assertClose(x.grad ?? Tensor([.nan]), Tensor(shape: [1, 1, 4, 4], data: [
            -0.6875, -1.34375, -0.625, -0.78125, 0.9375, -0.4375, 0.765625, 0.515625,
            -0.5625, -1.09375, -0.5, -0.59375, 0.84375, 0.03125, 0.703125, 0.609375]),
                    "∂L/∂x = col2im(rows of the gradient · W): against PyTorch")
        assertClose(w.grad ?? Tensor([.nan]), Tensor(shape: [2, 1, 3, 3], data: [
            0.0, 0.015625, -0.15625, 0.125, 0.28125, -0.125, -0.625, -1.34375, -0.265625,
            0.0, 0.015625, -0.03125, 0.125, 0.28125, 0.125, -0.125, -0.34375, -0.203125]),
                    "∂L/∂W = Σ over images of gradient · patches: against PyTorch")
        assertClose(b.grad ?? Tensor([.nan]), Tensor([3.25, 1.25]),
                    "∂L/∂b = the gradient summed over images and positions: against PyTorch")

        // Finite differences, with several images and channels, a stride and padding.
        let weights = pattern([2, 3, 3, 2], seed: 6)
        gradCheck({ conv2d($0[0], $0[1], bias: $0[2], stride: 2, padding: 1) * weights },
                  inputs: [pattern([2, 2, 5, 4], seed: 7), pattern([3, 2, 3, 3], seed: 8),
                           pattern([3], seed: 9)],
                  "conv2d(x, w, bias: b, stride: 2, padding: 1)")
        gradCheck({ conv2d($0[0], $0[1]) * pattern([1, 2, 4, 4], seed: 10) },
                  inputs: [pattern([1, 3, 6, 6], seed: 11), pattern([2, 3, 3, 3], seed: 12)],
                  "conv2d(x, w) without a bias")
    }

    func test_unit_conv2d_batchIsItsImagesTogether() {
        // A batch of 32 images is 32 convolutions side by side: each image's output and input
        // gradient are those it has alone, and the weight and bias gradients are the sums of the
        // images' own. (Big enough that a fast conv2d may split the batch into groups of images,
        // and among the cores: all of them must still be counted, once.)
        let x = pattern([32, 4, 32, 32], seed: 1)
        let w = pattern([4, 4, 3, 3], seed: 2)
        let b = pattern([4], seed: 3)
        let g = pattern([32, 4, 32, 32], seed: 4)
        for tensor in [x, w, b] { tensor.requiresGrad = true }
        let y = conv2d(x, w, bias: b, padding: 1)
        y.backward(gradient: g)
        let (batchX, batchW, batchB) = (x.grad, w.grad, b.grad)

        var sumW = Tensor.zeros(w.shape), sumB = Tensor.zeros(b.shape)
        let imageSize = 4 * 32 * 32
        for n in [0, 1, 7, 8, 15, 16, 17, 31] {  // the first, last and edges of any groups
            let image = Tensor(shape: [1, 4, 32, 32],
                               data: Array(x.data[(n * imageSize)..<((n + 1) * imageSize)]))
            image.requiresGrad = true
            w.zeroGrad()
            b.zeroGrad()
            let alone = conv2d(image, w, bias: b, padding: 1)
            assertClose(alone.data, Array(y.data[(n * imageSize)..<((n + 1) * imageSize)]),
                        "image \(n)'s output in the batch should be its output alone")
            alone.backward(gradient: Tensor(shape: [1, 4, 32, 32], data: Array(
                g.data[(n * imageSize)..<((n + 1) * imageSize)])))
            assertClose(image.grad?.data ?? [],
                        Array((batchX?.data ?? [])[(n * imageSize)..<((n + 1) * imageSize)]),
                        "image \(n)'s input gradient in the batch should be its gradient alone")
        }
        for n in 0..<32 {
            let image = Tensor(shape: [1, 4, 32, 32],
                               data: Array(x.data[(n * imageSize)..<((n + 1) * imageSize)]))
            w.zeroGrad()
            b.zeroGrad()
            let imageGradient = Array(g.data[(n * imageSize)..<((n + 1) * imageSize)])
            conv2d(image, w, bias: b, padding: 1)
                .backward(gradient: Tensor(shape: [1, 4, 32, 32], data: imageGradient))
            sumW = sumW + (w.grad ?? Tensor.full(w.shape, value: .nan))
            sumB = sumB + (b.grad ?? Tensor.full(b.shape, value: .nan))
        }
        assertClose(batchW ?? Tensor([.nan]), sumW, relative: 1e-4, absolute: 1e-3,
                    "the batch's weight gradient should be the sum of the 32 images' own — "
                    + "every image counted once")
        assertClose(batchB ?? Tensor([.nan]), sumB, relative: 1e-4, absolute: 1e-3,
                    "the batch's bias gradient should be the sum of the 32 images' own")
    }

    func test_unit_Conv2d_layerHeInitAndParameters() {
        var generator = SeededGenerator(seed: 42)
        let conv = Conv2d(inputChannels: 3, outputChannels: 16, kernelSize: 3, padding: 1,
                          using: &generator)
        XCTAssertEqual(conv.weight.shape, [16, 3, 3, 3], "weight [O, C, K, K]")
        XCTAssertEqual(conv.bias?.shape, [16], "one bias per filter")
        assertClose(conv.bias ?? Tensor([.nan]), Tensor.zeros([16]), absolute: 0,
                    "biases start at 0")
        XCTAssertEqual(conv.parameterCount, 16 * 3 * 3 * 3 + 16, "448 learned numbers")
        let parameters = conv.parameters()
        XCTAssertTrue(parameters.count == 2 && parameters[0] === conv.weight
                        && parameters[1] === conv.bias,
                      "parameters() should be [weight, bias]: make both with asParameter()")
        XCTAssertEqual(conv(Tensor.zeros([2, 3, 8, 8])).shape, [2, 16, 8, 8],
                       "padding 1 keeps 8 × 8; 16 filters give 16 channels")

        // He normal: standard deviation √(2 / (C · K · K)), drawn in row-major order.
        var reference = SeededGenerator(seed: 7)
        let expected = Tensor.normal([16, 3, 3, 3], mean: 0,
                                     standardDeviation: (2 / Float(27)).squareRoot(),
                                     using: &reference)
        var seeded = SeededGenerator(seed: 7)
        let same = Conv2d(inputChannels: 3, outputChannels: 16, kernelSize: 3, using: &seeded)
        assertClose(same.weight, expected,
                    "the weights should be Tensor.normal([O, C, K, K], mean: 0, "
                    + "standardDeviation: √(2 / (C · K · K)), using: &generator)")

        // A bigger layer: the spread of the weights should be close to √(2 / 576) ≈ 0.0589.
        let big = Conv2d(inputChannels: 64, outputChannels: 64, kernelSize: 3, bias: false,
                         using: &generator)
        XCTAssertNil(big.bias, "bias: false makes a layer without a bias")
        XCTAssertEqual(big.parameters().count, 1, "without a bias, only the weight")
        let values = big.weight.data.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let spread = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
                      / Double(values.count)).squareRoot()
        XCTAssertEqual(spread, (2.0 / 576).squareRoot(), accuracy: 0.003,
                       "He initialization: standard deviation √(2 / (64 · 3 · 3)) ≈ 0.0589")

        // The layer is conv2d with its own tensors.
        let x = pattern([2, 3, 5, 5], seed: 1)
        let strided = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: 2,
                             padding: 1, using: &generator)
        strided.bias!.data = [0.5, -0.5, 1, 0]
        assertClose(strided(x), conv2dDirect(x, strided.weight, bias: strided.bias, stride: 2,
                                             padding: 1),
                    relative: 1e-5, absolute: 1e-5,
                    "Conv2d(…, stride: 2, padding: 1)(x) should be conv2d(x, weight, bias: bias, "
                    + "stride: 2, padding: 1)")
    }

    // MARK: - Pooling.swift

    func test_unit_poolingShape_windowsThatFit() {
        XCTAssertEqual(try poolingShape([8, 16, 32, 32], kernelSize: 2, stride: 2), [8, 16, 16, 16],
                       "2 × 2 windows at stride 2 halve the height and the width")
        XCTAssertEqual(try poolingShape([1, 1, 5, 5], kernelSize: 2, stride: 2), [1, 1, 2, 2],
                       "(5 − 2) / 2 + 1 = 2: the last column and row do not fill a window")
        XCTAssertEqual(try poolingShape([1, 1, 5, 5], kernelSize: 3, stride: 1), [1, 1, 3, 3],
                       "overlapping 3 × 3 windows at stride 1: (5 − 3) / 1 + 1 = 3")
        XCTAssertEqual(try poolingShape([2, 3, 7, 4], kernelSize: 3, stride: 2), [2, 3, 3, 1],
                       "height (7 − 3) / 2 + 1 = 3, width (4 − 3) / 2 + 1 = 1")
        assertShapeError(try poolingShape([1, 16, 16], kernelSize: 2, stride: 2),
                         mentions: ["[1, 16, 16]"], "pooling needs [N, C, H, W]")
        assertShapeError(try poolingShape([1, 1, 2, 5], kernelSize: 3, stride: 1),
                         mentions: ["[1, 1, 2, 5]"], "a 3 × 3 window does not fit in 2 rows")
        assertShapeError(try poolingShape([1, 1, 4, 4], kernelSize: 2, stride: 0),
                         mentions: ["stride"], "a stride of 0 never moves")
    }

    func test_unit_maxPool2d_keepsTheLargestAndWhereItWas() {
        // The lesson text's drawing:            1 3 │ 2 0
        //                                       4 2 │ 1 1      →   4 2
        //                                       ────┼────          8 6
        //                                       0 8 │ 6 2
        //                                       5 5 │ 3 3
        // argmax: the 4 is data[4], the 2 data[2], the 8 data[9], the 6 data[10].
        let x = Tensor(shape: [1, 1, 4, 4], data: [1, 3, 2, 0, 4, 2, 1, 1, 0, 8, 6, 2, 5, 5, 3, 3])
        x.requiresGrad = true
        let y = maxPool2d(x, kernelSize: 2)
        assertClose(y, Tensor(shape: [1, 1, 2, 2], data: [4, 2, 8, 6]), absolute: 0,
                    "maxPool2d(x, kernelSize: 2): the largest number of each 2 × 2 window")
        assertRecorded(y, MaxPool2dOp(inputShape: [1, 1, 4, 4], argmax: [4, 2, 9, 10]),
                       inputs: [x], "maxPool2d(x, kernelSize: 2)",
                       hint: "argmax holds, for each output, the flat index into input.data of "
                             + "its window's maximum")

        // Overlapping windows (3 × 3, stride 2) on two channels:
        //   x = pattern([1, 2, 5, 5], 7)
        //   y, idx = F.max_pool2d(x, 3, stride=2, return_indices=True)
        //   y   → [1.125, 1.125, 1.125, 1.0, 0.625, 0.375, 1.125, 0.875]
        //   idx → [2, 2, 21, 22, 0, 2, 15, 17]   (PyTorch counts within each channel: channel 1
        //                                          starts at 25 in our flat indices)
        let z = pattern([1, 2, 5, 5], seed: 7)
        z.requiresGrad = true
        let pooled = maxPool2d(z, kernelSize: 3, stride: 2)
        assertClose(pooled, Tensor(shape: [1, 2, 2, 2],
                                   data: [1.125, 1.125, 1.125, 1.0, 0.625, 0.375, 1.125, 0.875]),
                    absolute: 0, "3 × 3 windows at stride 2 against F.max_pool2d")
        assertRecorded(pooled, MaxPool2dOp(inputShape: [1, 2, 5, 5],
                                           argmax: [2, 2, 21, 22, 25, 27, 40, 42]),
                       inputs: [z], "maxPool2d(x, kernelSize: 3, stride: 2)",
                       hint: "two overlapping windows can share a maximum (both hold data[2])")

        // A big batch is its images side by side (a fast version may share the images out among
        // the cores: each must still be pooled exactly as alone).
        assertImageByImage(of: pattern([16, 16, 64, 64], seed: 13),
                           "maxPool2d(x, kernelSize: 2)") {
            maxPool2d($0, kernelSize: 2)
        }

        // A NaN wins, as in PyTorch and lesson 01's max: a broken number must show.
        let broken = Tensor(shape: [1, 1, 2, 2], data: [1, .nan, 3, 2])
        XCTAssertTrue(maxPool2d(broken, kernelSize: 2).data[0].isNaN,
                      "a window holding NaN has maximum NaN (compare with `>` and test isNaN)")

        // Sides of odd length: the last row and column, under no 2 × 2 window, are left out;
        // a tie goes to the first in row-major order; channel 1 starts at data[15].
        //   x = torch.tensor([2,5,5,1,9, 5,0,3,3,9, 7,7,7,7,7, 1,1,4,0,0, 1,2,4,8,0, 9,9,9,9,9.])
        //   F.max_pool2d(x.view(1, 2, 3, 5), 2, return_indices=True)
        //   → [5, 5, 2, 8], indices [1, 2, 6, 8] within each channel
        let odd = Tensor(shape: [1, 2, 3, 5], data: [2, 5, 5, 1, 9, 5, 0, 3, 3, 9, 7, 7, 7, 7, 7,
                                                     1, 1, 4, 0, 0, 1, 2, 4, 8, 0, 9, 9, 9, 9, 9])
        odd.requiresGrad = true
        let oddPooled = maxPool2d(odd, kernelSize: 2)
        assertClose(oddPooled, Tensor(shape: [1, 2, 1, 2], data: [5, 5, 2, 8]), absolute: 0,
                    "maxPool2d(x, kernelSize: 2) on two channels of 3 × 5")
        assertRecorded(oddPooled, MaxPool2dOp(inputShape: [1, 2, 3, 5], argmax: [1, 2, 21, 23]),
                       inputs: [odd], "maxPool2d(x, kernelSize: 2) on 3 × 5 images",
                       hint: "channel c of image n starts at data[(n · C + c) · H · W], whatever "
                             + "the output's size")
    }

    func test_unit_maxPool2d_gradientGoesToTheWinner() {
        let x = Tensor(shape: [1, 1, 4, 4], data: [1, 3, 2, 0, 4, 2, 1, 1, 0, 8, 6, 2, 5, 5, 3, 3])
        x.requiresGrad = true
        maxPool2d(x, kernelSize: 2).backward(gradient: Tensor(shape: [1, 1, 2, 2],
                                                              data: [1, 2, 3, 4]))
        assertClose(x.grad ?? Tensor([.nan]),
                    Tensor(shape: [1, 1, 4, 4], data: [0, 0, 2, 0, 1, 0, 0, 0,
                                                       0, 3, 4, 0, 0, 0, 0, 0]),
                    absolute: 0, "each window's gradient goes to its maximum; the rest get 0")

        //   x = pattern([1, 2, 5, 5], 7).requires_grad_()
        //   F.max_pool2d(x, 3, stride=2).backward(pattern([1, 2, 2, 2], 8))   (0.375, 0.25, 0.125,
        //   x.grad → 0.625 at [0, 0, 0, 2] (0.375 + 0.25: two windows share it), 0.125 at
        //            [0, 0, 4, 1], −0.125 at [0, 1, 0, 0], −0.25 at [0, 1, 0, 2], −0.375 at
        //            [0, 1, 3, 0], −0.5 at [0, 1, 3, 2]; 0 everywhere else      0, −0.125, …)
        let z = pattern([1, 2, 5, 5], seed: 7)
        z.requiresGrad = true
        maxPool2d(z, kernelSize: 3, stride: 2).backward(gradient: pattern([1, 2, 2, 2], seed: 8))
        var expected = [Float](repeating: 0, count: 50)
        expected[2] = 0.625
        expected[21] = 0.125
        expected[25] = -0.125
        expected[27] = -0.25
        expected[40] = -0.375
        expected[42] = -0.5
        assertClose(z.grad ?? Tensor([.nan]), Tensor(shape: [1, 2, 5, 5], data: expected),
                    absolute: 0, "overlapping windows: a maximum shared by two windows gets the "
                    + "sum of both gradients (add with +=, do not overwrite)")

        gradCheck({ maxPool2d($0[0], kernelSize: 2) * pattern([2, 3, 2, 2], seed: 9) },
                  inputs: [pattern([2, 3, 5, 4], seed: 10)], "maxPool2d, 2 × 2")
        gradCheck({ maxPool2d($0[0], kernelSize: 3, stride: 1) * pattern([1, 2, 3, 2], seed: 11) },
                  inputs: [pattern([1, 2, 5, 4], seed: 12)], "maxPool2d, 3 × 3 at stride 1")

        // A batch big enough (a million numbers) for a fast maxPool2d to share it among the
        // cores: each image's gradient is the one it gets alone, overlapping windows included.
        for (kernel, stride) in [(2, 2), (3, 2)] {
            let big = pattern([16, 16, 64, 64], seed: 13)
            big.requiresGrad = true
            let side = (64 - kernel) / stride + 1
            let gradient = pattern([16, 16, side, side], seed: 14)
            maxPool2d(big, kernelSize: kernel, stride: stride).backward(gradient: gradient)
            let (imageSize, outputSize) = (16 * 64 * 64, 16 * side * side)
            for n in [0, 7, 8, 15] {
                let image = Tensor(shape: [1, 16, 64, 64],
                                   data: Array(big.data[(n * imageSize)..<((n + 1) * imageSize)]))
                image.requiresGrad = true
                maxPool2d(image, kernelSize: kernel, stride: stride).backward(gradient: Tensor(
                    shape: [1, 16, side, side],
                    data: Array(gradient.data[(n * outputSize)..<((n + 1) * outputSize)])))
                assertClose(Array((big.grad?.data ?? [])[(n * imageSize)..<((n + 1) * imageSize)]),
                            image.grad?.data ?? [], absolute: 0,
                            "maxPool2d \(kernel) × \(kernel), stride \(stride), on a [16, 16, 64, 64] "
                            + "batch: image \(n)'s gradient should be the one it gets alone")
            }
        }
    }

    func test_unit_avgPool2d_forwardAndGradient() {
        let x = Tensor(shape: [1, 1, 4, 4], data: [1, 3, 2, 0, 4, 2, 1, 1, 0, 8, 6, 2, 5, 5, 3, 3])
        x.requiresGrad = true
        let y = avgPool2d(x, kernelSize: 2)
        assertClose(y, Tensor(shape: [1, 1, 2, 2], data: [2.5, 1, 4.5, 3.5]), absolute: 0,
                    "the lesson text's drawing: (1 + 3 + 4 + 2) / 4 = 2.5, …")
        assertRecorded(y, AvgPool2dOp(kernelSize: 2, stride: 2, inputShape: [1, 1, 4, 4]),
                       inputs: [x], "avgPool2d(x, kernelSize: 2)",
                       hint: "the stride defaults to the kernel size")
        y.backward(gradient: Tensor(shape: [1, 1, 2, 2], data: [4, 8, -4, 0]))
        assertClose(x.grad ?? Tensor([.nan]),
                    Tensor(shape: [1, 1, 4, 4], data: [1, 1, 2, 2, 1, 1, 2, 2,
                                                       -1, -1, 0, 0, -1, -1, 0, 0]),
                    absolute: 0, "each number of a window gets a quarter of its gradient")

        //   x = pattern([1, 1, 4, 4], 9).requires_grad_()
        //   y = F.avg_pool2d(x, 2, stride=1); y.backward(pattern([1, 1, 3, 3], 10))
        //   y      → [-0.34375, 0.125, 0.0, 0.34375, 0.8125, 0.6875, 0.4375, 0.3125, 0.1875]
        //   x.grad → [0.1875, 0.34375, 0.28125, 0.125, 0.28125, 0.5, 0.375, 0.15625, 0.09375,
        //             0.125, 0.0, -0.03125, 0.0, -0.03125, -0.09375, -0.0625]
        let z = pattern([1, 1, 4, 4], seed: 9)
        z.requiresGrad = true
        let overlapping = avgPool2d(z, kernelSize: 2, stride: 1)
        assertClose(overlapping, Tensor(shape: [1, 1, 3, 3], data: [
            -0.34375, 0.125, 0.0, 0.34375, 0.8125, 0.6875, 0.4375, 0.3125, 0.1875]),
                    "overlapping 2 × 2 windows at stride 1 against F.avg_pool2d")
        overlapping.backward(gradient: pattern([1, 1, 3, 3], seed: 10))
        assertClose(z.grad ?? Tensor([.nan]), Tensor(shape: [1, 1, 4, 4], data: [
            0.1875, 0.34375, 0.28125, 0.125, 0.28125, 0.5, 0.375, 0.15625, 0.09375,
            0.125, 0.0, -0.03125, 0.0, -0.03125, -0.09375, -0.0625]),
                    "overlapping windows: a number in several windows gets the sum of their shares")

        gradCheck({ avgPool2d($0[0], kernelSize: 3, stride: 2) * pattern([2, 2, 2, 1], seed: 11) },
                  inputs: [pattern([2, 2, 5, 4], seed: 12)], "avgPool2d, 3 × 3 at stride 2")
        assertImageByImage(of: pattern([16, 16, 64, 64], seed: 13),
                           "avgPool2d(x, kernelSize: 3, stride: 2)") {
            avgPool2d($0, kernelSize: 3, stride: 2)
        }
    }

    // MARK: - BatchNorm2d.swift

    func test_unit_channelStatistics_meanAndBiasedVariance() {
        // Channel 0 holds 1, 2, 3, 4 over the two images, channel 1 four zeros:
        // mean 2.5, variance ((−1.5)² + (−0.5)² + 0.5² + 1.5²) / 4 = 5 / 4 = 1.25.
        let x = Tensor(shape: [2, 2, 1, 2], data: [1, 2, 0, 0, 3, 4, 0, 0])
        let (mean, variance) = channelStatistics(x)
        assertClose(mean, [2.5, 0], "the mean of each channel over images and positions")
        assertClose(variance, [1.25, 0],
                    "the biased variance: squared differences from the mean, divided by M = 4")

        // Numbers far from 0 with a small spread: 10000 ± 0.5, variance 0.25. In Float,
        // mean(x²) − mean(x)² is 100000000.25 − 100000000, but a Float near 10⁸ moves in steps
        // of 8: the 0.25 is lost. Add up in Double, and subtract the mean before squaring.
        let far = Tensor(shape: [1, 1, 2, 2], data: [9999.5, 10000.5, 9999.5, 10000.5])
        let farStatistics = channelStatistics(far)
        assertClose(farStatistics.mean, [10000], "the mean of 10000 ± 0.5")
        assertClose(farStatistics.variance, [0.25], relative: 1e-4,
                    "the variance of 10000 ± 0.5 is 0.25: sum in Double, and square the "
                    + "differences from the mean rather than subtracting mean(x)² from mean(x²)")

        // A big batch of 16 channels, against the same sums written out here.
        let big = pattern([16, 16, 64, 64], seed: 14)
        let statistics = channelStatistics(big)
        var means = [Float](), variances = [Float]()
        for c in 0..<16 {
            var values: [Double] = []
            for n in 0..<16 {
                let start = (n * 16 + c) * 4096
                values += big.data[start..<(start + 4096)].map { Double($0) }
            }
            let mean: Double = values.reduce(0, +) / Double(values.count)
            var squares: Double = 0
            for value in values { squares += (value - mean) * (value - mean) }
            means.append(Float(mean))
            variances.append(Float(squares / Double(values.count)))
        }
        assertClose(statistics.mean, means, relative: 1e-5, absolute: 1e-6,
                    "the mean of each of 16 channels over 16 images of 64 × 64")
        assertClose(statistics.variance, variances, relative: 1e-5, absolute: 1e-6,
                    "the variance of each of 16 channels over 16 images of 64 × 64")
    }

    func test_unit_batchNorm2d_trainingMatchesPyTorch() {
        //   x = pattern([2, 2, 2, 2], 3).requires_grad_()
        //   weight = torch.tensor([1.5, -0.5], requires_grad=True)
        //   bias = torch.tensor([0.25, 0.1], requires_grad=True)
        //   rm = torch.tensor([0.5, -1.0]); rv = torch.tensor([2.0, 0.5])
        //   y = F.batch_norm(x, rm, rv, weight, bias, training=True, momentum=0.1, eps=1e-5)
        //   y  → [2.2363297939300537, 1.8751788139343262, 1.5140280723571777, 1.1528770923614502,
        //         -0.18241533637046814, -0.09204242378473282, -0.0016695186495780945,
        //         0.08870338648557663, -0.652877151966095, -1.0140280723571777,
        //         -1.3751788139343262, -1.7363297939300537, 0.540567934513092, 0.6309407949447632,
        //         0.7213137149810791, -0.9053985476493835]
        //   rm → [0.4437499940395355, -0.926562488079071]
        //   rv → [1.8308035135269165, 0.5046595931053162]
        let x = pattern([2, 2, 2, 2], seed: 3)
        let weight = Tensor([1.5, -0.5])
        let bias = Tensor([0.25, 0.1])
        let runningMean = Tensor([0.5, -1.0])
        let runningVariance = Tensor([2.0, 0.5])
        for tensor in [x, weight, bias] { tensor.requiresGrad = true }
        let y = batchNorm2d(x, runningMean: runningMean, runningVariance: runningVariance,
                            weight: weight, bias: bias, training: true, momentum: 0.1,
                            epsilon: 1e-5)
        assertClose(y, Tensor(shape: [2, 2, 2, 2], data: [
            2.2363297939300537, 1.8751788139343262, 1.5140280723571777, 1.1528770923614502,
            -0.18241533637046814, -0.09204242378473282, -0.0016695186495780945,
            0.08870338648557663, -0.652877151966095, -1.0140280723571777, -1.3751788139343262,
            -1.7363297939300537, 0.540567934513092, 0.6309407949447632, 0.7213137149810791,
            -0.9053985476493835]), relative: 1e-4,
                    "training: each channel normalized with its own batch mean and variance, then "
                    + "scaled by weight and shifted by bias (against F.batch_norm)")
        assertClose(runningMean, Tensor([0.4437499940395355, -0.926562488079071]), relative: 1e-4,
                    "runningMean ← 0.9 · runningMean + 0.1 · batch mean")
        assertClose(runningVariance, Tensor([1.8308035135269165, 0.5046595931053162]),
                    relative: 1e-4, "runningVariance ← 0.9 · runningVariance + 0.1 · the "
                    + "*unbiased* batch variance (· M / (M − 1), here 8 / 7)")
        guard let operation = y.recording?.operation as? BatchNorm2dOp else {
            return XCTFail("batchNorm2d should record a BatchNorm2dOp, got "
                           + "\(y.recording.map { "\(type(of: $0.operation))" } ?? "nothing")")
        }
        XCTAssertTrue(operation.usesBatchStatistics, "training uses the batch's statistics")
        XCTAssertTrue(y.recording!.inputs.count == 3 && y.recording!.inputs[0] === x
                        && y.recording!.inputs[1] === weight && y.recording!.inputs[2] === bias,
                      "the inputs are [input, weight, bias], the very tensors passed in")
        assertClose(operation.mean, [-0.0625, -0.265625],
                    "the op keeps the batch mean of each channel")

        // A big batch: with γ = 1 and β = 0 every channel of the output has mean 0 and variance
        // 1 (up to ε), whichever images and channels the work was shared out by.
        let big = pattern([16, 16, 64, 64], seed: 15)
        let normalized = batchNorm2d(big, runningMean: Tensor.zeros([16]),
                                     runningVariance: Tensor.ones([16]), training: true)
        let (bigMean, bigVariance) = channelStatistics(normalized)
        assertClose(bigMean, [Float](repeating: 0, count: 16), absolute: 1e-5,
                    "after batch normalization every channel has mean 0")
        assertClose(bigVariance, [Float](repeating: 1, count: 16), relative: 1e-3,
                    "after batch normalization every channel has variance 1 (up to ε)")
    }

    func test_unit_batchNorm2d_gradientThroughTheStatistics() {
        //   (x, weight, bias as in the test above; rm, rv fresh)
        //   y.backward(pattern([2, 2, 2, 2], 7))
        //   x.grad → [-2.411625862121582, -2.9088573455810547, 3.455777406692505,
        //             2.958545684814453, -0.4584161043167114, -0.38040637969970703,
        //             -0.30239662528038025, -0.22438687086105347, 0.47238749265670776,
        //             -0.02484416775405407, -0.5220757722854614, -1.0193074941635132,
        //             0.16566185653209686, 0.24367161095142365, 0.32168135046958923,
        //             0.6345911622047424]
        //   weight.grad → [-1.564987063407898, 0.7568730711936951];  bias.grad → [0.75, 1.5]
        let x = pattern([2, 2, 2, 2], seed: 3)
        let weight = Tensor([1.5, -0.5])
        let bias = Tensor([0.25, 0.1])
        for tensor in [x, weight, bias] { tensor.requiresGrad = true }
        batchNorm2d(x, runningMean: Tensor([0.5, -1.0]), runningVariance: Tensor([2.0, 0.5]),
                    weight: weight, bias: bias, training: true)
            .backward(gradient: pattern([2, 2, 2, 2], seed: 7))
        assertClose(x.grad ?? Tensor([.nan]), Tensor(shape: [2, 2, 2, 2], data: [
            -2.411625862121582, -2.9088573455810547, 3.455777406692505, 2.958545684814453,
            -0.4584161043167114, -0.38040637969970703, -0.30239662528038025, -0.22438687086105347,
            0.47238749265670776, -0.02484416775405407, -0.5220757722854614, -1.0193074941635132,
            0.16566185653209686, 0.24367161095142365, 0.32168135046958923, 0.6345911622047424]),
                    relative: 1e-4, absolute: 1e-6,
                    "∂L/∂x = γ·s·(g − Σg/M − x̂·Σ(g·x̂)/M): the mean and the variance depend on "
                    + "every x, so the gradient flows through them too (against PyTorch)")
        assertClose(weight.grad ?? Tensor([.nan]), Tensor([-1.564987063407898, 0.7568730711936951]),
                    relative: 1e-4, "∂L/∂γ = Σ g · x̂ over each channel")
        assertClose(bias.grad ?? Tensor([.nan]), Tensor([0.75, 1.5]), relative: 1e-4,
                    "∂L/∂β = Σ g over each channel")

        // Finite differences. A plain sum of a channel's outputs is M · β whatever x is, so the
        // outputs are weighted: otherwise a wrong input gradient would go unnoticed.
        let weights = pattern([3, 2, 2, 3], seed: 8)
        gradCheck({ batchNorm2d($0[0], runningMean: Tensor.zeros([2]),
                                runningVariance: Tensor.ones([2]), weight: $0[1], bias: $0[2],
                                training: true) * weights },
                  inputs: [pattern([3, 2, 2, 3], seed: 9), Tensor([1.5, -0.5]),
                           Tensor([0.25, 0.1])], "batchNorm2d, training")

        // A batch big enough (a million numbers) for a fast backward to share it among the
        // cores, against the three formulas above written out here in Double.
        let (batch, channels, area) = (16, 16, 64 * 64)
        let big = pattern([batch, channels, 64, 64], seed: 10)
        let g = pattern(big.shape, seed: 11)
        let gamma = Tensor(shape: [channels], data: (0..<channels).map { Float($0 - 5) / 4 })
        let beta = Tensor.zeros([channels])
        for tensor in [big, gamma, beta] { tensor.requiresGrad = true }
        batchNorm2d(big, runningMean: Tensor.zeros([channels]),
                    runningVariance: Tensor.ones([channels]), weight: gamma, bias: beta,
                    training: true).backward(gradient: g)
        var expected = [Float](repeating: 0, count: big.count)
        var expectedGamma = [Float](), expectedBeta = [Float]()
        let (values, gradient) = (big.data.map { Double($0) }, g.data.map { Double($0) })
        for c in 0..<channels {
            var indices: [Int] = []
            for n in 0..<batch {
                let start: Int = (n * channels + c) * area
                indices += Array(start..<(start + area))
            }
            let m = Double(indices.count)
            var (sum, squares, sumG, sumGX): (Double, Double, Double, Double) = (0, 0, 0, 0)
            for k in indices { sum += values[k] }
            let mean: Double = sum / m
            for k in indices { squares += (values[k] - mean) * (values[k] - mean) }
            let s: Double = 1 / (squares / m + 1e-5).squareRoot()
            for k in indices {
                sumG += gradient[k]
                sumGX += gradient[k] * (values[k] - mean) * s
            }
            let scale = Double(gamma.data[c]) * s
            for k in indices {
                let normalized: Double = (values[k] - mean) * s
                let inner: Double = gradient[k] - sumG / m - normalized * sumGX / m
                expected[k] = Float(scale * inner)
            }
            expectedGamma.append(Float(sumGX))
            expectedBeta.append(Float(sumG))
        }
        assertClose(big.grad?.data ?? [], expected, relative: 1e-3, absolute: 1e-5,
                    "∂L/∂x of a [16, 16, 64, 64] batch (against the formula in Double)")
        assertClose(gamma.grad?.data ?? [], expectedGamma, relative: 1e-4, absolute: 1e-3,
                    "∂L/∂γ of a [16, 16, 64, 64] batch")
        assertClose(beta.grad?.data ?? [], expectedBeta, relative: 1e-4, absolute: 1e-3,
                    "∂L/∂β of a [16, 16, 64, 64] batch")
    }

    func test_unit_batchNorm2d_evalUsesRunningStatistics() {
        //   (after the training call of test_unit_batchNorm2d_trainingMatchesPyTorch, which moved
        //    rm and rv to the values below)
        //   F.batch_norm(pattern([2, 2, 2, 2], 3), rm, rv, weight, bias, training=False, eps=1e-5)
        //   → [0.4509311318397522, 0.31235793232917786, 0.1737847477197647, 0.03521156311035156,
        //      -0.6401189565658569, -0.552140474319458, -0.4641619920730591, -0.37618350982666016,
        //      -0.657654345035553, -0.7962275743484497, -0.9348007440567017, -1.0733739137649536,
        //      0.06370890140533447, 0.1516873836517334, 0.23966586589813232, -1.3439468145370483]
        let runningMean = Tensor([0.4437499940395355, -0.926562488079071])
        let runningVariance = Tensor([1.8308035135269165, 0.5046595931053162])
        let x = pattern([2, 2, 2, 2], seed: 3)
        x.requiresGrad = true
        let y = batchNorm2d(x, runningMean: runningMean, runningVariance: runningVariance,
                            weight: Tensor([1.5, -0.5]), bias: Tensor([0.25, 0.1]),
                            training: false)
        assertClose(y, Tensor(shape: [2, 2, 2, 2], data: [
            0.4509311318397522, 0.31235793232917786, 0.1737847477197647, 0.03521156311035156,
            -0.6401189565658569, -0.552140474319458, -0.4641619920730591, -0.37618350982666016,
            -0.657654345035553, -0.7962275743484497, -0.9348007440567017, -1.0733739137649536,
            0.06370890140533447, 0.1516873836517334, 0.23966586589813232, -1.3439468145370483]),
                    relative: 1e-4, "evaluating: normalized with the running statistics "
                    + "(against F.batch_norm, training=False)")
        assertClose(runningMean, Tensor([0.4437499940395355, -0.926562488079071]), absolute: 0,
                    "evaluating must not move the running mean")
        assertClose(runningVariance, Tensor([1.8308035135269165, 0.5046595931053162]),
                    absolute: 0, "evaluating must not move the running variance")
        XCTAssertEqual((y.recording?.operation as? BatchNorm2dOp)?.usesBatchStatistics, false,
                       "the op records that the statistics were fixed (usesBatchStatistics false)")

        // With fixed statistics the layer is a scale and a shift per channel, and so is its
        // gradient: ∂L/∂x = γ · s · g, with no terms through the statistics.
        let weights = pattern([2, 2, 3, 2], seed: 4)
        gradCheck({ batchNorm2d($0[0], runningMean: Tensor([0.5, -1]),
                                runningVariance: Tensor([2, 0.25]), weight: $0[1], bias: $0[2],
                                training: false) * weights },
                  inputs: [pattern([2, 2, 3, 2], seed: 5), Tensor([1.5, -0.5]),
                           Tensor([0.25, 0.1])], "batchNorm2d, evaluating")
    }

    func test_unit_BatchNorm2d_layerTrainsAndEvaluates() {
        let norm = BatchNorm2d(channels: 2)
        assertClose(norm.weight, Tensor([1, 1]), absolute: 0, "γ starts at 1")
        assertClose(norm.bias, Tensor([0, 0]), absolute: 0, "β starts at 0")
        assertClose(norm.runningMean, Tensor([0, 0]), absolute: 0, "the running mean starts at 0")
        assertClose(norm.runningVariance, Tensor([1, 1]), absolute: 0,
                    "the running variance starts at 1")
        let parameters = norm.parameters()
        XCTAssertTrue(parameters.count == 2 && parameters[0] === norm.weight
                        && parameters[1] === norm.bias,
                      "parameters() should be [weight, bias]; the running statistics are not "
                      + "learned, so they must not require a gradient")

        // Training: channel 0 of x holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25, unbiased
        // 5/3), channel 1 holds 0, 0, 0, 0.
        let x = Tensor(shape: [2, 2, 1, 2], data: [1, 2, 0, 0, 3, 4, 0, 0])
        let y = norm(x)
        let s = 1 / (1.25 + 1e-5 as Float).squareRoot()
        assertClose(y, Tensor(shape: [2, 2, 1, 2], data: [-1.5 * s, -0.5 * s, 0, 0,
                                                          0.5 * s, 1.5 * s, 0, 0]),
                    "training: (x − 2.5) / √(1.25 + ε) in channel 0; a constant channel gives 0")
        assertClose(norm.runningMean, Tensor([0.25, 0]), "0.9 · 0 + 0.1 · 2.5")
        assertClose(norm.runningVariance, Tensor([0.9 + 0.1 * 5 / 3, 0.9]),
                    "0.9 · 1 + 0.1 · 5/3 (unbiased: 5 / 3, not 1.25)")

        // Evaluating: the running statistics, which stay put.
        norm.eval()
        let evaluated = norm(x)
        let expected = batchNorm2d(x, runningMean: Tensor([0.25, 0]),
                                   runningVariance: Tensor([0.9 + 0.1 * 5 / 3, 0.9]),
                                   training: false)
        assertClose(evaluated, expected,
                    "after eval(), the layer normalizes with its running statistics")
        assertClose(norm.runningMean, Tensor([0.25, 0]), "evaluating leaves the statistics alone")

        // momentum 1: the running statistics become the last batch's.
        let fast = BatchNorm2d(channels: 2, momentum: 1)
        _ = fast(x)
        assertClose(fast.runningMean, Tensor([2.5, 0]), "momentum 1 keeps only the last batch")
        assertClose(fast.runningVariance, Tensor([5.0 / 3, 0]), "… its unbiased variance")
    }

    // MARK: - Flatten.swift

    func test_unit_flatten_keepsTheBatchAxis() {
        let x = arange([2, 3, 2, 2])
        x.requiresGrad = true
        let flat = Flatten()(x)
        XCTAssertEqual(flat.shape, [2, 12], "[2, 3, 2, 2] → [2, 3 · 2 · 2]")
        assertClose(flat.data, x.data, absolute: 0, "the numbers stay in the same order")
        assertRecorded(flat, ReshapeOp(inputShape: [2, 3, 2, 2]), inputs: [x], "Flatten()(x)",
                       hint: "use lesson 01's reshaped(to:): it records, and lesson 05 already "
                             + "has its gradient")
        XCTAssertEqual(Flatten()(Tensor([1, 2, 3])).shape, [3, 1], "[N] → [N, 1]")
        XCTAssertEqual(Flatten()(Tensor.zeros([0, 3, 4])).shape, [0, 12],
                       "an empty batch keeps its shape: write the product, not -1")
        XCTAssertEqual(Flatten().parameterCount, 0, "Flatten has no parameters")
    }

    // MARK: - Augmentation.swift

    func test_unit_randomCrop_shiftsEachImageByItsOwnDraws() {
        // 3 images of 2 channels, 4 × 5 pixels, padding 2: two draws per image, top then left,
        // each in 0...4 (= 4 + 2·2 − 4). Compared with cutting windows out of a padded copy.
        let images = arange([3, 2, 4, 5], from: 1)
        var generator = SeededGenerator(seed: 11)
        let cropped = randomCrop(images, padding: 2, using: &generator)
        XCTAssertEqual(cropped.shape, [3, 2, 4, 5], "without a size, the images keep their size")
        var reference = SeededGenerator(seed: 11)
        var offsets: [(Int, Int)] = []
        for _ in 0..<3 {
            let top = reference.nextInt(below: 5)
            offsets.append((top, reference.nextInt(below: 5)))
        }
        assertClose(cropped, window(of: images, padding: 2, offsets: offsets, height: 4, width: 5),
                    absolute: 0, "image n is the window at (top, left) of the zero-padded image, "
                    + "with top = nextInt(below: H + 2P − outputHeight + 1), then left likewise, "
                    + "two draws per image in order (offsets drawn: \(offsets))")
        XCTAssertEqual(generator.next(), reference.next(),
                       "randomCrop should draw exactly two numbers per image from the generator")

        // A smaller window, no padding: a random 3 × 3 piece of each 4 × 5 image.
        var small = SeededGenerator(seed: 3)
        let pieces = randomCrop(images, size: 3, padding: 0, using: &small)
        var smallReference = SeededGenerator(seed: 3)
        var smallOffsets: [(Int, Int)] = []
        for _ in 0..<3 {
            let top = smallReference.nextInt(below: 2)
            smallOffsets.append((top, smallReference.nextInt(below: 3)))
        }
        assertClose(pieces, window(of: images, padding: 0, offsets: smallOffsets, height: 3,
                                   width: 3),
                    absolute: 0, "size 3 of 4 × 5 without padding: top in 0...1, left in 0...2")

        // Different images get different shifts.
        var many = SeededGenerator(seed: 5)
        let ones = randomCrop(Tensor.ones([20, 1, 4, 4]), padding: 2, using: &many)
        let patterns = Set((0..<20).map { n in Array(ones.data[(n * 16)..<((n + 1) * 16)]) })
        XCTAssertGreaterThan(patterns.count, 5,
                             "20 images should not all be shifted the same way: draw new offsets "
                             + "for every image")
    }

    func test_unit_randomHorizontalFlip_mirrorsChosenImages() {
        let images = arange([6, 2, 2, 3])
        var always = SeededGenerator(seed: 1)
        let mirrored = randomHorizontalFlip(images, probability: 1, using: &always)
        // Rows of 3: [0, 1, 2] becomes [2, 1, 0], [3, 4, 5] becomes [5, 4, 3], …
        let rowStarts: [Int] = Array(stride(from: 0, to: 72, by: 3))
        let reversedData: [Float] = rowStarts.flatMap { start -> [Float] in
            [Float(start + 2), Float(start + 1), Float(start)]
        }
        let reversed = Tensor(shape: images.shape, data: reversedData)
        assertClose(mirrored, reversed, absolute: 0,
                    "probability 1 flips every image: each row of each channel reversed")
        var never = SeededGenerator(seed: 1)
        assertClose(randomHorizontalFlip(images, probability: 0, using: &never), images,
                    absolute: 0, "probability 0 flips nothing")

        // probability 0.5: image n is flipped when its draw nextFloat() < 0.5.
        var generator = SeededGenerator(seed: 9)
        let some = randomHorizontalFlip(images, using: &generator)
        var reference = SeededGenerator(seed: 9)
        let flips = (0..<6).map { _ in reference.nextFloat() < 0.5 }
        let size = 12
        let expected = (0..<6).flatMap { n in
            Array((flips[n] ? reversed : images).data[(n * size)..<((n + 1) * size)])
        }
        assertClose(some, Tensor(shape: images.shape, data: expected), absolute: 0,
                    "one draw per image, in order: flipped when nextFloat() < probability "
                    + "(draws said \(flips))")
        XCTAssertEqual(generator.next(), reference.next(),
                       "randomHorizontalFlip should draw exactly one number per image")
        XCTAssertTrue(flips.contains(true) && flips.contains(false),
                      "(the seed is chosen so that some images flip and some do not)")
    }

    // MARK: - Everything together

    func test_module() {
        // A small convolutional network learns to tell vertical bars from horizontal ones in
        // 6 × 6 images, trained on shifted and mirrored copies, and is then evaluated on images it
        // has not seen:
        //
        //   [N, 1, 6, 6] → Conv2d(1→4, 3×3, padding 1) → BatchNorm2d → ReLU → MaxPool2d(2)
        //   [N, 4, 3, 3] → Conv2d(4→8, 3×3, padding 1) → ReLU → AvgPool2d(3)
        //   [N, 8, 1, 1] → Flatten → Linear(8 → 2)
        var generator = SeededGenerator(seed: 2024)
        let model = Sequential(
            Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1,
                   using: &generator),
            BatchNorm2d(channels: 4), ReLU(), MaxPool2d(kernelSize: 2),
            Conv2d(inputChannels: 4, outputChannels: 8, kernelSize: 3, padding: 1,
                   using: &generator),
            ReLU(), AvgPool2d(kernelSize: 3), Flatten(),
            Linear(inputSize: 8, outputSize: 2, initialization: .he, using: &generator))
        XCTAssertEqual(model.parameters().count, 8,
                       "two convolutions (weight, bias each), batch norm (γ, β) and the Linear "
                       + "layer (weight, bias): 8 parameters — the running statistics are not")
        let optimizer = SGD(parameters: model.parameters(), learningRate: 0.05, momentum: 0.9)
        let (trainImages, trainLabels) = bars(count: 32, using: &generator)
        let (testImages, testLabels) = bars(count: 32, using: &generator)

        var firstLoss: Float = .nan
        var lastLoss: Float = .nan
        for step in 0..<40 {
            let shifted = randomCrop(trainImages, padding: 1, using: &generator)
            let batch = randomHorizontalFlip(shifted, using: &generator)
            let loss = crossEntropy(logits: model(batch), targets: trainLabels)
            optimizer.zeroGrad()
            loss.backward()
            if step == 0 {
                for (index, parameter) in model.parameters().enumerated() {
                    XCTAssertNotNil(parameter.grad, "parameter \(index) (\(parameter.shape)) got "
                                    + "no gradient from loss.backward()")
                }
                firstLoss = loss.scalar
            }
            optimizer.step()
            lastLoss = loss.scalar
        }
        XCTAssertLessThan(lastLoss, firstLoss / 4,
                          "40 steps should bring the training loss down to a quarter: "
                          + "\(firstLoss) → \(lastLoss)")

        model.eval()
        let logits = GradientMode.withoutGradients { model(testImages) }
        let correct = (0..<testLabels.count).filter { n in
            (logits[n, 1] > logits[n, 0] ? 1 : 0) == testLabels[n]
        }.count
        XCTAssertGreaterThanOrEqual(correct, 30,
                                    "the trained network, evaluated with its running statistics, "
                                    + "should classify at least 30 of 32 new images; it got "
                                    + "\(correct)")
    }
}

// MARK: - Helpers

/// The numbers `((i · 37 + seed · 11) mod 19 − 9) / 8` for i = 0, 1, …: multiples of 1/8 in
/// [−1.125, 1.125], exact in Float, written the same way in the Python of the comments.
private func pattern(_ shape: [Int], seed: Int) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0..<count).map { Float(($0 * 37 + seed * 11) % 19 - 9) / 8 })
}

/// Checks that `operation` treats each image of `batch` `[N, …]` exactly as it treats that image
/// alone: the output of the batch, cut into images, equals the outputs of the images one by one.
private func assertImageByImage(
    of batch: Tensor, _ expression: String, file: StaticString = #filePath, line: UInt = #line,
    _ operation: (Tensor) -> Tensor
) {
    let whole = operation(batch)
    let (inputSize, outputSize) = (batch.count / batch.shape[0], whole.count / batch.shape[0])
    for n in 0..<batch.shape[0] {
        let image = Tensor(shape: [1] + batch.shape.dropFirst(),
                           data: Array(batch.data[(n * inputSize)..<((n + 1) * inputSize)]))
        assertClose(Array(whole.data[(n * outputSize)..<((n + 1) * outputSize)]),
                    operation(image).data,
                    "\(expression) of a \(batch.shape) batch: image \(n) should come out as it "
                    + "does alone", file: file, line: line)
    }
}

/// Shapes for im2col and col2im, `(batch, channels, height, width, kernel, stride, padding)`:
/// where a fast version takes shortcuts (stride 1 with an output as wide as the input, rows of 1
/// or 2 pixels) and where it cannot (strides, padding wider than the window, a kernel as large as
/// the image).
private let windowCases = [(2, 3, 5, 4, 3, 1, 1), (1, 2, 4, 1, 3, 1, 1), (1, 1, 2, 2, 3, 1, 1),
                           (2, 2, 6, 7, 5, 1, 2), (1, 3, 3, 3, 1, 1, 0), (2, 2, 5, 6, 3, 2, 1),
                           (1, 1, 4, 4, 2, 1, 2), (1, 2, 3, 5, 3, 1, 0), (1, 1, 2, 3, 4, 3, 1)]

/// im2col's definition, number by number: for every index `column` of the column matrices
/// `[N, C·K·K, Ho·Wo]` (in order), the index of the input pixel `[N, C, H, W]` it copies —
/// `columns[n, (c·K + i)·K + j, y·Wo + x] = input[n, c, y·S − P + i, x·S − P + j]` — or `nil`
/// where that is outside the image (padding).
private func forEachWindowNumber(_ shape: (Int, Int, Int, Int, Int, Int, Int),
                                 _ body: (_ column: Int, _ pixel: Int?) -> Void) {
    let (n, c, h, w, k, s, p) = shape
    let (ho, wo) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1)
    var column = 0
    for image in 0..<n {
        for channel in 0..<c {
            for i in 0..<k {
                for j in 0..<k {
                    for y in 0..<ho {
                        for x in 0..<wo {
                            let (row, col) = (y * s - p + i, x * s - p + j)
                            let inside = row >= 0 && row < h && col >= 0 && col < w
                            body(column, inside ? ((image * c + channel) * h + row) * w + col : nil)
                            column += 1
                        }
                    }
                }
            }
        }
    }
}

/// `from, from + 1, …` in a tensor of `shape`.
private func arange(_ shape: [Int], from start: Int = 0) -> Tensor {
    Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { Float($0 + start) })
}

/// For image n of `images` `[N, C, H, W]`, the `height × width` window at `offsets[n]` (top, left)
/// of the image framed by `padding` zeros: an independent reading of what randomCrop must do.
private func window(
    of images: Tensor, padding: Int, offsets: [(Int, Int)], height: Int, width: Int
) -> Tensor {
    let (batch, channels, h, w) = (images.shape[0], images.shape[1], images.shape[2],
                                   images.shape[3])
    var data: [Float] = []
    for n in 0..<batch {
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let (row, column) = (offsets[n].0 + y - padding, offsets[n].1 + x - padding)
                    let inside = (0..<h).contains(row) && (0..<w).contains(column)
                    data.append(inside ? images[n, c, row, column] : 0)
                }
            }
        }
    }
    return Tensor(shape: [batch, channels, height, width], data: data)
}

/// `count` 6 × 6 images, half with a vertical bar (label 0) and half with a horizontal one
/// (label 1), each bar 1 bright pixel wide at a random row or column, on faint noise.
private func bars(count: Int, using generator: inout SeededGenerator) -> (Tensor, [Int]) {
    var data: [Float] = []
    var labels: [Int] = []
    for n in 0..<count {
        let label = n % 2
        let line = 1 + generator.nextInt(below: 4)
        for y in 0..<6 {
            for x in 0..<6 {
                let onBar = label == 0 ? x == line : y == line
                data.append((onBar ? 1 : 0) + generator.nextFloat(in: -0.1...0.1))
            }
        }
        labels.append(label)
    }
    return (Tensor(shape: [count, 1, 6, 6], data: data), labels)
}
