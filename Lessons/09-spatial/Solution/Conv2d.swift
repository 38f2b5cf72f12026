// Lesson 09, file 3 of 7: the fast convolution — im2col and lesson 01's matmul — its gradients,
// and the `Conv2d` layer. With W₂ = the weight as `[O, C·K·K]` (one filter per row) and, for
// each image n, X_n = im2col's `[C·K·K, Ho·Wo]` (one window per column):
//
//     forward    y_n     = W₂ · X_n + b                    [O, Ho·Wo] = image n of [N, O, Ho, Wo]
//
//     backward   g_n     = ∂L/∂y_n                         [O, Ho·Wo]
//                ∂L/∂x   = col2im(W₂ᵀ · g_n)               [C·K·K, Ho·Wo] → [C, H, W] per image
//                ∂L/∂W₂  = Σ_n g_n · X_nᵀ                  [O, C·K·K], summed over the images
//                ∂L/∂b   = g summed over N, Ho, Wo         [O]
//
// `Conv2dOp` is one primitive with its own backward, rather than im2col and matmul recorded
// separately for lesson 05: recorded, the column matrices of the whole batch (75 million numbers
// for one layer of the CIFAR network) would stay in memory until the backward pass, and the
// matmul's backward would transpose them all. Here backward rebuilds them, one image at a time,
// and never transposes them.

import TinyTorchTensor
import TinyTorchAutograd
import TinyTorchLayers

/// The operation recorded by `conv2d` and `conv2dDirect`. Inputs: `[input, weight]`, or
/// `[input, weight, bias]`. The kernel size is the weight's; nothing else is kept — backward
/// rebuilds the column matrices from the input rather than holding them in memory until then.
public struct Conv2dOp: TensorOperation, Equatable {
    public let stride: Int
    public let padding: Int

    public init(stride: Int, padding: Int) {
        self.stride = stride
        self.padding = padding
    }

    public var name: String { "conv2d" }
}

/// 2-D convolution as matrix products: `im2col`, then lesson 01's `matmul` with the filters.
///
/// The same numbers as `conv2dDirect` (up to rounding: the sums are taken in another order, in
/// `Float`), much faster. Shape: `[N, C, H, W]`, `[O, C, K, K]`, `[O]` → `[N, O, Ho, Wo]`, checked
/// with `conv2dShape`. Records `Conv2dOp(stride:padding:)` with inputs `[input, weight]` or
/// `[input, weight, bias]`; the steps inside (im2col, matmul) record nothing.
///
///     // x: 1×1×3×3 holding 1…9, w: 1×1×2×2 of ones
///     conv2d(x, w)                        // [[[[12, 16], [24, 28]]]]
///     conv2d(x, w, stride: 2, padding: 1) // [[[[1, 5], [11, 28]]]]  (windows over the padding)
public func conv2d(
    _ input: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0
) -> Tensor {
    let outputShape = requireValidShape {
        try conv2dShape(input: input.shape, weight: weight.shape, bias: bias?.shape,
                        stride: stride, padding: padding)
    }
    let (outputChannels, kernelSize) = (weight.shape[0], weight.shape[2])
    let positions = outputShape[2] * outputShape[3]
    let imageSize = outputChannels * positions  // numbers of one output image
    let filters = GradientMode.withoutGradients {
        weight.reshaped(to: [outputChannels, -1])                               // [O, C·K·K]
    }
    let shares = BatchShares(input.shape, kernelSize: kernelSize, positions: positions)
    // Every number of the output is written (each group writes its images' planes), so it needs
    // no zeros first.
    let output = [Float](unsafeUninitializedCapacity: outputShape.reduce(1, *)) { output, initialized in
        shares.forEachGroup { _, images in
            let columns = columnMatrices(input, images, kernelSize: kernelSize, stride: stride,
                                         padding: padding)                 // [n, C·K·K, Ho·Wo]
            let planes = positions > fewPositions
                ? filters.matmul(columns)                                  // [n, O, Ho·Wo]
                : apart(filters.matmul(sideBySide(columns)), count: images.count)
            write(planes.data, into: output, at: images.lowerBound * imageSize)
        }
        if let bias {  // b[o] added at every position of channel o
            for plane in 0..<(outputShape[0] * outputChannels) {
                let shift = bias.data[plane % outputChannels]
                for k in (plane * positions)..<((plane + 1) * positions) { output[k] += shift }
            }
        }
        initialized = output.count
    }
    return Tensor(shape: outputShape, data: output,
                  operation: Conv2dOp(stride: stride, padding: padding),
                  inputs: bias.map { [input, weight, $0] } ?? [input, weight])
}

extension Conv2dOp: Differentiable {
    /// The three gradients of `y = conv2d(x, W, b)`, each computed only if its input requires one:
    ///
    /// - `∂L/∂x = col2im(W₂ᵀ · g_n)` per image: `W₂ᵀ` (`[C·K·K, O]`) times image n's gradient
    ///   (`[O, Ho·Wo]`) is the gradient of its column matrix, and col2im adds each number back
    ///   onto the pixel it was copied from.
    /// - `∂L/∂W₂ = Σ_n g_n · X_nᵀ`, computed as its transpose `Σ_n X_n · g_nᵀ` (`[C·K·K, Ho·Wo] ×
    ///   [Ho·Wo, O]`): that transposes the small gradient rather than the 9-times-larger columns.
    /// - `∂L/∂b[o] = Σ_{n, y, x} g[n, o, y, x]`: the bias is added at every position.
    ///
    /// Like the forward pass, it works through the batch in shares, a group of images at a time
    /// (`BatchShares`); each share sums its own part of the weight gradient, and the parts are
    /// added in order at the end.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        let (input, weight) = (inputs[0], inputs[1])
        let bias = inputs.count > 2 ? inputs[2] : nil
        let (batch, outputChannels) = (gradient.shape[0], gradient.shape[1])
        let positions = gradient.shape[2] * gradient.shape[3]
        let kernelSize = weight.shape[2]
        let perImage = gradient.reshaped(to: [batch, outputChannels, positions])
        let filtersTransposed = weight.reshaped(to: [outputChannels, -1]).transposed()
        let imageSize = input.count / max(1, batch)
        let windows = Window(inputShape: input.shape, kernelSize: kernelSize, stride: stride,
                             padding: padding)
        let shares = BatchShares(input.shape, kernelSize: kernelSize, positions: positions)
        let weightSize = weight.count

        // Zeros: col2im adds to them.
        var inputGradient = [Float](repeating: 0, count: input.requiresGrad ? input.count : 0)
        // One weight gradient per share, each summed over its own images in order; the shares'
        // sums are then added in order too — the same numbers whichever core ran which share.
        var weightSums = [Float](repeating: 0, count: weight.requiresGrad ? shares.count * weightSize : 0)
        inputGradient.withUnsafeMutableBufferPointer { inputGradient in
            weightSums.withUnsafeMutableBufferPointer { weightSums in
                shares.forEachGroup { share, images in
                    let gradientPart = slice(perImage, images)               // [n, O, Ho·Wo]
                    if input.requiresGrad {
                        let columns = positions > fewPositions
                            ? filtersTransposed.matmul(gradientPart)         // [n, C·K·K, Ho·Wo]
                            : apart(filtersTransposed.matmul(sideBySide(gradientPart)),
                                    count: images.count)
                        // col2im, straight into these images' part of the input gradient.
                        columns.data.withUnsafeMutableBufferPointer { columns in
                            windows.addColumns(
                                0..<images.count, from: columns.baseAddress!,
                                into: inputGradient.baseAddress! + images.lowerBound * imageSize)
                        }
                    }
                    if weight.requiresGrad {
                        // One product for the group: its images' columns side by side times
                        // their gradients stacked, so the sum over the images happens inside
                        // the product — whose inner size is then n · Ho · Wo, not Ho · Wo (16 in
                        // the CIFAR network's last layer: too short to keep the matmul busy).
                        let columns = columnMatrices(input, images, kernelSize: kernelSize,
                                                     stride: stride, padding: padding)
                        let stacked = gradientPart.transposed(1, 2)
                            .reshaped(to: [images.count * positions, outputChannels])
                        let part = sideBySide(columns).matmul(stacked)       // [C·K·K, O]
                        let sum = weightSums.baseAddress! + share * weightSize
                        part.data.withUnsafeBufferPointer { part in
                            for k in 0..<weightSize { sum[k] += part[k] }
                        }
                    }
                }
                guard !weightSums.isEmpty else { return }
                for share in 1..<shares.count {
                    let part = weightSums.baseAddress! + share * weightSize
                    for k in 0..<weightSize { weightSums[k] += part[k] }
                }
            }
        }
        let biasGradient = bias?.requiresGrad == true
            ? perImage.sum(alongAxis: 2).sum(alongAxis: 0) : nil
        let gradients = [input.requiresGrad ? Tensor(shape: input.shape, data: inputGradient)
                                            : nil,
                         weight.requiresGrad
                            ? Tensor(shape: filtersTransposed.shape,                // [C·K·K, O]
                                     data: Array(weightSums.prefix(weightSize)))
                                .transposed().reshaped(to: weight.shape)
                            : nil]
        return bias == nil ? gradients : gradients + [biasGradient]
    }
}

/// How the convolution works through a batch `inputShape` `[N, C, H, W]`: in `count` *shares*
/// of consecutive images, which the cores take one at a time as they finish the last (when the
/// batch is big enough to pay for waking them), each share a *group* of images at a time. A group
/// is small enough that its column matrices (`n` of `C · K · K` × `positions` numbers) stay under
/// about 1 MB: one image at a time for the CIFAR network's 64-channel layer at 16 × 16 (590 KB),
/// several for small images.
///
/// Why not the whole batch at once? Its column matrices would hold 75 million numbers, 300 MB,
/// and an array that large is new memory from the operating system every time: on our test
/// machine first touching it cost more than filling it (every 4 KB page is a fault the kernel
/// must serve). A group's matrices are reused from one group to the next, and stay in the cache
/// between im2col and the matmul (measured: groups of 1 MB or less, 10% less work than 8 MB).
/// And why give each core its own images, rather than share out each product as lesson 01's
/// matmul does? Each core then runs its im2col, matmuls and col2im without waiting for the other
/// at every step, and the products of one image — too small for lesson 01 to share out — use
/// both cores too. Why 8 shares rather than one per core? A core slowed by other work on the
/// machine then takes fewer of them instead of keeping the other waiting; and the shares do not
/// depend on the number of cores, so neither do the sums taken share by share (the weight
/// gradient): the same seed trains the same network on 2 cores or 16.
struct BatchShares {
    let batch, count, groupSize: Int

    init(_ inputShape: [Int], kernelSize: Int, positions: Int) {
        batch = inputShape[0]
        let perImage = max(1, positions * inputShape[1] * kernelSize * kernelSize)
        groupSize = max(1, (1 << 18) / perImage)
        count = batch * perImage >= 1 << 20 ? min(8, batch) : 1
    }

    /// Calls `body(share, images)` for each group of images, share by share, the shares on all
    /// cores at once. `body` must only write to what belongs to its own images, or to its share.
    /// The bodies run with recording switched off, on the cores' own threads as well.
    func forEachGroup(_ body: (_ share: Int, _ images: Range<Int>) -> Void) {
        func run(_ share: Int) {
            GradientMode.withoutGradients {
                var start = share * batch / count
                let end = (share + 1) * batch / count
                while start < end {
                    let stop = min(start + groupSize, end)
                    body(share, start..<stop)
                    start = stop
                }
            }
        }
        if count > 1 {
            runOnAllCores(count, run)  // lesson 01; the products inside then stay on their core
        } else {
            run(0)
        }
    }
}

/// im2col of images `images` of `input`, read where they are (no copy of them first): their
/// column matrices `[n, C · K · K, Ho · Wo]`. Not recorded.
func columnMatrices(
    _ input: Tensor, _ images: Range<Int>, kernelSize: Int, stride: Int, padding: Int
) -> Tensor {
    let shape = [images.count] + input.shape.dropFirst()
    let window = Window(inputShape: shape, kernelSize: kernelSize, stride: stride,
                        padding: padding)
    let columnsShape = [images.count, window.channels * kernelSize * kernelSize,
                        window.outputHeight * window.outputWidth]
    let count = columnsShape.reduce(1, *)
    let imageSize = shape.dropFirst().reduce(1, *)
    guard count > 0 else { return Tensor(shape: columnsShape, data: []) }
    let columns = [Float](unsafeUninitializedCapacity: count) { columns, initialized in
        input.data.withUnsafeBufferPointer { source in
            window.fillColumns(0..<images.count,
                               from: source.baseAddress! + images.lowerBound * imageSize,
                               into: columns.baseAddress!)
        }
        initialized = count
    }
    return Tensor(shape: columnsShape, data: columns)
}

/// Up to this many output positions (a 4 × 4 output, as in the CIFAR network's last stage), one
/// image's products are too narrow for lesson 01's matmul — its blocks are 16 columns wide, and it
/// works best with many — so the forward pass and the input gradient multiply a group's images
/// side by side instead (`sideBySide`, `apart`). Measured on the CIFAR network's 4 × 4 layer
/// (128 → 128 channels, batch 128): forward 22.7 → 16.4 ms, backward 42 → 30 ms of processor
/// time. For larger outputs one image's product is wide already, and wider ones do worse (16 × 16:
/// forward 18.5 → 25 ms), as their right-hand matrix no longer fits in the cache.
let fewPositions = 32

/// A group's column matrices `[n, R, P]` side by side, `[R, n · P]`: image i's in columns
/// `i · P ..< (i + 1) · P`. Row by row copies (each row of each image is P numbers in a row).
func sideBySide(_ matrices: Tensor) -> Tensor {
    let (count, rows, columns) = (matrices.shape[0], matrices.shape[1], matrices.shape[2])
    guard count > 1 else { return matrices.reshaped(to: [rows, columns]) }
    var output = [Float](repeating: 0, count: matrices.count)
    matrices.data.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { output in
            guard let from = source.baseAddress, let to = output.baseAddress else { return }
            for image in 0..<count {
                for row in 0..<rows {
                    (to + (row * count + image) * columns)
                        .update(from: from + (image * rows + row) * columns, count: columns)
                }
            }
        }
    }
    return Tensor(shape: [rows, count * columns], data: output)
}

/// The inverse of `sideBySide`: `[R, n · P]` → `[n, R, P]`.
func apart(_ matrix: Tensor, count: Int) -> Tensor {
    let (rows, columns) = (matrix.shape[0], matrix.shape[1] / count)
    guard count > 1 else { return matrix.reshaped(to: [1, rows, columns]) }
    var output = [Float](repeating: 0, count: matrix.count)
    matrix.data.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { output in
            guard let from = source.baseAddress, let to = output.baseAddress else { return }
            for image in 0..<count {
                for row in 0..<rows {
                    (to + (image * rows + row) * columns)
                        .update(from: from + (row * count + image) * columns, count: columns)
                }
            }
        }
    }
    return Tensor(shape: [count, rows, columns], data: output)
}

/// Images `images` of a batched tensor `[N, …]`, as a tensor of their own (a copy, not
/// recorded); the tensor itself when `images` is the whole batch.
func slice(_ tensor: Tensor, _ images: Range<Int>) -> Tensor {
    guard images != 0..<tensor.shape[0] else { return tensor }
    let size = tensor.shape.dropFirst().reduce(1, *)
    return Tensor(shape: [images.count] + tensor.shape.dropFirst(),
                  data: Array(tensor.data[(images.lowerBound * size)..<(images.upperBound * size)]))
}

/// Copies `numbers` into `target`, starting at `offset`.
func write(_ numbers: [Float], into target: UnsafeMutableBufferPointer<Float>, at offset: Int) {
    numbers.withUnsafeBufferPointer { numbers in
        guard let source = numbers.baseAddress, let destination = target.baseAddress else { return }
        (destination + offset).update(from: source, count: numbers.count)
    }
}

// MARK: - The layer

/// A convolution layer: `O` learned filters of `C × K × K` numbers, each slid over the input.
/// PyTorch's `nn.Conv2d` (square kernels, the same padding on every side).
///
///     var generator = SeededGenerator(seed: 42)
///     let conv = Conv2d(inputChannels: 3, outputChannels: 16, kernelSize: 3, padding: 1,
///                       using: &generator)
///     conv(Tensor.zeros([8, 3, 32, 32])).shape == [8, 16, 32, 32]
///     conv.parameterCount == 16 · 3 · 3 · 3 + 16 == 448
public final class Conv2d: Module {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    /// The filters, shape `[O, C, K, K]`: `weight[o]` is filter `o`.
    public let weight: Tensor
    /// One bias per filter, shape `[O]`, or `nil` for a layer made with `bias: false` (a layer
    /// followed by batch normalization needs none: the normalization subtracts it again).
    public let bias: Tensor?
    public var isTraining = true

    /// A layer with He-initialized filters and zero biases.
    ///
    /// He (Kaiming) normal, as lesson 03's `Initialization.he` and PyTorch's
    /// `nn.init.kaiming_normal_(weight, nonlinearity="relu")`: normal, mean 0, standard deviation
    /// `√(2 / (C · K · K))` — each output adds `C · K · K` inputs, as a `Linear` layer with that
    /// `inputSize` would. Drawn with `Tensor.normal([O, C, K, K], …)`, one generator call per
    /// number in row-major order. (PyTorch's own default for `nn.Conv2d` is a uniform draw with a
    /// third of this variance.) The weight, and the bias unless `bias: false`, are parameters.
    /// Every size must be at least 1, and `padding` 0 or more (a `require` naming them).
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
        padding: Int = 0, bias: Bool = true, using generator: inout SeededGenerator
    ) {
        require(inputChannels >= 1 && outputChannels >= 1 && kernelSize >= 1 && stride >= 1
                    && padding >= 0,
                "Conv2d(inputChannels: \(inputChannels), outputChannels: \(outputChannels), "
                   + "kernelSize: \(kernelSize), stride: \(stride), padding: \(padding)): sizes "
                   + "and stride must be at least 1, padding 0 or more")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let fanIn = Double(inputChannels * kernelSize * kernelSize)
        self.weight = Tensor.normal([outputChannels, inputChannels, kernelSize, kernelSize],
                                    mean: 0, standardDeviation: Float((2 / fanIn).squareRoot()),
                                    using: &generator).asParameter()
        self.bias = bias ? Tensor.zeros([outputChannels]).asParameter() : nil
    }

    /// `conv2d(input, weight, bias: bias, stride: stride, padding: padding)`.
    ///
    /// Shape: `[N, C, H, W]` → `[N, O, Ho, Wo]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        conv2d(input, weight, bias: bias, stride: stride, padding: padding)
    }
}
