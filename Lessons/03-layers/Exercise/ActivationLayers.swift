// Lesson 03, file 5 of 5: lesson 02's activation functions as modules, so that they can sit in a
// `Sequential` between the layers. They have no parameters, so `parameters()` finds none.
//
// The classes are given; each forward pass is one line.

import TinyTorchActivations
import TinyTorchTensor

/// `relu(_:)` as a module: `max(0, x)`, element-wise. Shape: any → same shape.
///
/// `ReLU()(Tensor([-1, 2])) == Tensor([0, 2])`
public final class ReLU: Module {
    public var isTraining = true

    public init() {}

    /// `relu(input)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement ReLU.callAsFunction(_:)")
    }
}

/// `sigmoid(_:)` as a module: `1 / (1 + e⁻ˣ)`, element-wise. Shape: any → same shape.
///
/// `Sigmoid()(Tensor([0])) == Tensor([0.5])`
public final class Sigmoid: Module {
    public var isTraining = true

    public init() {}

    /// `sigmoid(input)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement Sigmoid.callAsFunction(_:)")
    }
}

/// `tanh(_:)` as a module: `(eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)`, element-wise. Shape: any → same shape.
///
/// `Tanh()(Tensor([0])) == Tensor([0])`
public final class Tanh: Module {
    public var isTraining = true

    public init() {}

    /// `tanh(input)`, lesson 02's function on tensors.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement Tanh.callAsFunction(_:)")
    }
}

/// `gelu(_:)` as a module: `0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))`, element-wise.
/// Shape: any → same shape.
///
/// `GELU()(Tensor([0])) == Tensor([0])`
public final class GELU: Module {
    public var isTraining = true

    public init() {}

    /// `gelu(input)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement GELU.callAsFunction(_:)")
    }
}

/// `softmax(_:alongAxis:)` as a module: turns the numbers along `axis` into probabilities that
/// add up to 1. Shape: any → same shape.
///
/// `Softmax()(Tensor([[0, 0]])) == Tensor([[0.5, 0.5]])`
public final class Softmax: Module {
    /// The axis whose numbers become probabilities; `-1`, the last, by default.
    public let axis: Int
    public var isTraining = true

    /// A softmax along `axis`: `Softmax()` for the last axis, the usual choice for
    /// `[batch, classes]`.
    public init(alongAxis axis: Int = -1) {
        self.axis = axis
    }

    /// `softmax(input, alongAxis: axis)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement Softmax.callAsFunction(_:)")
    }
}
