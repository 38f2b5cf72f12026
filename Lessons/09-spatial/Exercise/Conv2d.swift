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
// Lesson 01's matmul does all images at once: `[O, C·K·K] × [N, C·K·K, Ho·Wo]` multiplies the
// one filter matrix with each image's columns (the batch axis broadcasts). `Conv2dOp` is one
// primitive with its own backward, rather than im2col and matmul recorded separately for lesson
// 05: recorded, the column matrices of the whole batch (75 million numbers for one layer of the
// CIFAR network) would stay in memory until the backward pass, and the matmul's backward would
// transpose them all.
//
// `Conv2dOp` and the layer's stored properties are given; write `conv2d`, `Conv2dOp.backward`,
// and the layer's `init` and `callAsFunction`.

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
/// with `conv2dShape`. The steps, as at the top of this file, with lesson 01's operations:
///
///     columns = im2col(input, kernelSize: K, stride: stride, padding: padding) [N, C·K·K, Ho·Wo]
///     planes  = weight.reshaped(to: [O, -1]).matmul(columns)                  [N, O, Ho·Wo]
///     output  = planes + bias.reshaped(to: [O, 1])          (if there is one), as [N, O, Ho, Wo]
///
/// Run them inside `GradientMode.withoutGradients { … }` so that they record nothing, and record
/// one `Conv2dOp(stride:padding:)` on the result instead, with inputs `[input, weight]` or
/// `[input, weight, bias]` (the caller's tensors, not reshaped copies).
///
///     // x: 1×1×3×3 holding 1…9, w: 1×1×2×2 of ones
///     conv2d(x, w)                        // [[[[12, 16], [24, 28]]]]
///     conv2d(x, w, stride: 2, padding: 1) // [[[[1, 5], [11, 28]]]]  (windows over the padding)
public func conv2d(
    _ input: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0
) -> Tensor {
    todo("TODO(lesson 09): implement conv2d(_:_:bias:stride:padding:)")
}

extension Conv2dOp: Differentiable {
    /// The three gradients of `y = conv2d(x, W, b)`, each computed only if its input requires one
    /// (`nil` otherwise); one per input — two without a bias, three with one. With
    /// `g = gradient.reshaped(to: [N, O, Ho·Wo])` and `W₂ = inputs[1].reshaped(to: [O, -1])`:
    ///
    /// - `∂L/∂x = col2im(W₂ᵀ · g)`: `W₂.transposed().matmul(g)` is `[N, C·K·K, Ho·Wo]`, the
    ///   gradient of each image's column matrix, and col2im adds each number back onto the pixel
    ///   it was copied from (with `inputShape: inputs[0].shape`).
    /// - `∂L/∂W₂ = Σ_n g_n · X_nᵀ`. Compute its transpose, `Σ_n X_n · g_nᵀ`:
    ///   `im2col(inputs[0], …).matmul(g.transposed(1, 2))` is `[N, C·K·K, O]`;
    ///   `sum(alongAxis: 0)` adds up the images; `.transposed()` and
    ///   `reshaped(to: inputs[1].shape)` give `[O, C, K, K]`. (That transposes the small
    ///   gradient rather than the 9-times-larger columns.)
    /// - `∂L/∂b[o] = Σ_{n, y, x} g[n, o, y, x]`: the bias is added at every position, so sum `g`
    ///   along axis 2, then axis 0.
    ///
    /// The kernel size is `inputs[1].shape[2]`. Shapes: `gradient [N, O, Ho, Wo]` → `[x's shape,
    /// W's shape, b's shape]`.
    public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        todo("TODO(lesson 09): implement Conv2dOp.backward(gradient:inputs:output:)")
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
    /// `inputSize` would. Draw them with `Tensor.normal([O, C, K, K], mean: 0,
    /// standardDeviation: …, using: &generator)`, one generator call per number in row-major
    /// order. (PyTorch's own default for `nn.Conv2d` is a uniform draw with a third of this
    /// variance.) The weight, and the bias unless `bias: false`, are parameters
    /// (`asParameter()`). Every size must be at least 1, and `padding` 0 or more (a `require`
    /// naming them). Inside this initializer `bias` is the `Bool` argument; the property is
    /// `self.bias`.
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
        padding: Int = 0, bias: Bool = true, using generator: inout SeededGenerator
    ) {
        todo("TODO(lesson 09): implement Conv2d.init(inputChannels:outputChannels:"
                   + "kernelSize:stride:padding:bias:using:)")
    }

    /// `conv2d(input, weight, bias: bias, stride: stride, padding: padding)`.
    ///
    /// Shape: `[N, C, H, W]` → `[N, O, Ho, Wo]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 09): implement Conv2d.callAsFunction(_:)")
    }
}
