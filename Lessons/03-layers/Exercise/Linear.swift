// Lesson 03, file 2 of 5: the fully connected layer, y = x·W + b, and how to start its weights.
//
// The stored properties of `Linear` are given; write the bodies marked TODO, top to bottom.

import TinyTorchTensor

/// How a layer's weights are drawn at the start, before any training.
///
/// Both schemes pick the spread of the random weights from the layer's sizes, so that the
/// outputs of a layer are about as spread out as its inputs: signals neither die out nor blow up
/// as they pass through many layers (see the lesson text for the numbers).
public enum Initialization: Equatable {
    /// Xavier (Glorot) uniform, for layers followed by tanh (Glorot & Bengio, 2010): uniform in
    /// `[−a, a]` with `a = √(6 / (inputSize + outputSize))`, so the variance is
    /// `a² / 3 = 2 / (inputSize + outputSize)`. Their analysis assumes an activation centred on 0
    /// that passes small numbers almost unchanged, as tanh does; sigmoid, about `0.5 + x/4` near
    /// 0, does neither.
    case xavier

    /// He (Kaiming) normal, for layers followed by ReLU (He et al., 2015): normal with mean 0 and
    /// standard deviation `√(2 / inputSize)`. ReLU zeroes about half its inputs; the 2 makes up
    /// for the half that is lost.
    case he

    /// A `[inputSize, outputSize]` tensor of starting weights drawn by this scheme.
    ///
    /// Draw them with `Tensor.uniform(_:in:using:)` (Xavier) or `Tensor.normal(_:mean:
    /// standardDeviation:using:)` (He): one generator call per weight, in row-major order, so the
    /// same seed always gives the same weights. `switch self` picks the scheme.
    ///
    /// `Initialization.xavier.weights(inputSize: 784, outputSize: 128, using: &generator)` is
    /// uniform in `[−0.0811, 0.0811]` (`√(6 / 912)`); `.he` for the same sizes has standard
    /// deviation `√(2 / 784) ≈ 0.0505`.
    public func weights(
        inputSize: Int, outputSize: Int, using generator: inout SeededGenerator
    ) -> Tensor {
        todo("TODO(lesson 03): implement Initialization.weights(inputSize:outputSize:using:)")
    }
}

/// The shape of a `Linear` layer's output for an input of `inputShape`: the last size, which
/// must be `inputSize`, becomes `outputSize`.
///
/// The input needs at least two axes, batch first: `[batch, inputSize]`, or
/// `[batch, sequence, inputSize]` (every position of every sequence goes through the same layer).
/// Otherwise throw a `ShapeError` that names the layer's sizes and the input shape.
///
/// `linearShape([64, 784], inputSize: 784, outputSize: 128) == [64, 128]`;
/// `linearShape([2, 5], inputSize: 4, outputSize: 3)` throws
/// "Linear(inputSize: 4, outputSize: 3): input [2, 5] ends in 5, but each input must have 4
/// numbers".
public func linearShape(_ inputShape: [Int], inputSize: Int, outputSize: Int) throws -> [Int] {
    todo("TODO(lesson 03): implement linearShape(_:inputSize:outputSize:)")
}

/// A fully connected layer: every output is a weighted sum of every input, plus a bias.
///
///     y = x · W + b        x: [batch, inputSize]    W: [inputSize, outputSize]
///                          b: [outputSize]          y: [batch, outputSize]
///
/// PyTorch's `nn.Linear`, with one difference: PyTorch stores the weight transposed, as
/// `[outputSize, inputSize]`, and computes `x · Wᵀ`. Here `W` is `[inputSize, outputSize]`, so the
/// forward pass is a plain `x.matmul(weight)`, with no transpose.
///
///     var generator = SeededGenerator(seed: 42)
///     let layer = Linear(inputSize: 784, outputSize: 128, using: &generator)
///     layer(Tensor.zeros([64, 784])).shape == [64, 128]
public final class Linear: Module {
    /// How many numbers each input has: the size of the input's last axis.
    public let inputSize: Int
    /// How many numbers each output has.
    public let outputSize: Int
    /// The weights, shape `[inputSize, outputSize]`: column `j` holds the weights of output `j`.
    public let weight: Tensor
    /// The biases, shape `[outputSize]`, or `nil` for a layer made with `bias: false`.
    public let bias: Tensor?
    public var isTraining = true

    /// A layer with random weights drawn by `initialization` (Xavier by default) and zero biases.
    ///
    /// Both are parameters (`asParameter()`). The weights come from
    /// `initialization.weights(inputSize:outputSize:using:)`; the biases start at 0, because the
    /// random weights already make every output different. With `bias: false` there is no bias.
    /// Both sizes must be at least 1 (a `require` naming them).
    /// Inside this initializer `bias` is the `Bool` argument; the property is `self.bias`.
    ///
    ///     let layer = Linear(inputSize: 4, outputSize: 3, using: &generator)
    ///     layer.weight.shape == [4, 3];  layer.bias!.data == [0, 0, 0]
    public init(
        inputSize: Int, outputSize: Int, bias: Bool = true,
        initialization: Initialization = .xavier, using generator: inout SeededGenerator
    ) {
        todo("TODO(lesson 03): implement "
                   + "Linear.init(inputSize:outputSize:bias:initialization:using:)")
    }

    /// The forward pass, `input.matmul(weight) + bias` (the bias broadcasts over the batch).
    ///
    /// Check the shape first with `requireValidShape { try linearShape(…) }`. Shape:
    /// `[batch, inputSize]` → `[batch, outputSize]` (any axes before the last are kept).
    ///
    /// With `W = [[1, 2], [3, 4], [5, 6]]` and `b = [10, 20]`, the input `[[1, 0, 1]]` gives
    /// `[[1 + 5 + 10, 2 + 6 + 20]] = [[16, 28]]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement Linear.callAsFunction(_:)")
    }
}
