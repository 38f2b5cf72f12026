// Lesson 03, file 3 of 5: a model made of layers applied one after the other.
//
// The stored properties and the initializers are given; write the forward pass.

import TinyTorchTensor

/// A chain of modules: the output of each is the input of the next.
///
///     model(x) = layers[n − 1](… layers[1](layers[0](x)) …)
///
/// PyTorch's `nn.Sequential`. A `Sequential` is itself a module, so it can sit inside another
/// one; its `parameters()` are those of its layers, in order, found through `children()`.
///
///     let model = Sequential(Linear(inputSize: 784, outputSize: 128, using: &generator), ReLU(),
///                            Linear(inputSize: 128, outputSize: 10, using: &generator))
///     model(images).shape == [64, 10]          // images: [64, 784]
public final class Sequential: Module {
    /// The modules, in the order they are applied.
    public let layers: [any Module]
    public var isTraining = true

    /// A chain of the given modules, applied in the order written.
    public convenience init(_ layers: any Module...) {
        self.init(layers)
    }

    /// A chain of the modules in `layers`, applied in order (for a list built in a loop).
    public init(_ layers: [any Module]) {
        self.layers = layers
    }

    /// Applies every layer in order, feeding each one's output to the next; with no layers, the
    /// input itself.
    ///
    /// Shape: whatever the first layer takes → whatever the last layer gives.
    /// `Sequential(ReLU(), Linear(inputSize: 3, outputSize: 2, …))` maps `[batch, 3]` to
    /// `[batch, 2]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement Sequential.callAsFunction(_:)")
    }
}
