// Provided: you do not need to change this file.
//
// Dormant until lesson 05 (autograd). To compute gradients, a framework must remember how every
// tensor was made: "c is a + b", "d is c.sum(alongAxis: 1)". Each operation you write in this
// lesson ends by creating its result with
//
//     Tensor(shape: outputShape, data: output, operation: AddOp(), inputs: [self, other])
//
// and that initializer stores a `Recording` (the operation and its inputs) on the result — but
// only when an input has `requiresGrad` set, so ordinary computations pay nothing. Lesson 05
// declares a protocol for the backward pass and adds a conformance to each operation type below;
// each type already keeps what its backward pass will need (shapes, axes, argmax positions).

/// An operation that can produce a tensor, as recorded for autograd. Lesson 05 adds the backward
/// pass to each conforming type.
public protocol TensorOperation {
    /// A short lowercase name for messages and graph printing: `"add"`, `"matmul"`, …
    var name: String { get }
}

/// How a tensor was made: the operation and the tensors it read (in argument order).
public struct Recording {
    public let operation: any TensorOperation
    public let inputs: [Tensor]

    public init(operation: any TensorOperation, inputs: [Tensor]) {
        self.operation = operation
        self.inputs = inputs
    }
}

// MARK: - The operations of lesson 01
//
// Element-wise operations need nothing beyond their inputs: the inputs' shapes tell lesson 05 how
// to undo broadcasting.

/// `a + b` (with broadcasting). Inputs: `[a, b]`.
public struct AddOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "add" }
}

/// `a - b` (with broadcasting). Inputs: `[a, b]`.
public struct SubtractOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "subtract" }
}

/// `a * b`, element-wise (with broadcasting). Inputs: `[a, b]`.
public struct MultiplyOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "multiply" }
}

/// `a / b`, element-wise (with broadcasting). Inputs: `[a, b]`.
public struct DivideOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "divide" }
}

/// `-a`. Inputs: `[a]`.
public struct NegateOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "negate" }
}

/// `a.matmul(b)`. Inputs: `[a, b]`.
public struct MatmulOp: TensorOperation, Equatable {
    public init() {}
    public var name: String { "matmul" }
}

/// `a.reshaped(to:)`. Inputs: `[a]`. Backward reshapes the gradient back to `inputShape`.
public struct ReshapeOp: TensorOperation, Equatable {
    /// The shape of the input, before reshaping.
    public let inputShape: [Int]

    public init(inputShape: [Int]) {
        self.inputShape = inputShape
    }

    public var name: String { "reshape" }
}

/// `a.transposed(axis0, axis1)` (and `a.transposed()`). Inputs: `[a]`. Backward swaps the same two
/// axes again.
public struct TransposeOp: TensorOperation, Equatable {
    /// The swapped axes, normalized to `0..<rank` (never negative).
    public let axis0: Int
    public let axis1: Int

    public init(axis0: Int, axis1: Int) {
        self.axis0 = axis0
        self.axis1 = axis1
    }

    public var name: String { "transpose" }
}

/// `a.sum()` (`axis == nil`) or `a.sum(alongAxis:keepingDimensions:)`. Inputs: `[a]`. Backward
/// spreads the gradient back over `inputShape`.
public struct SumOp: TensorOperation, Equatable {
    /// The reduced axis, normalized to `0..<rank`; `nil` when every element was summed.
    public let axis: Int?
    public let keepingDimensions: Bool
    public let inputShape: [Int]

    public init(axis: Int?, keepingDimensions: Bool, inputShape: [Int]) {
        self.axis = axis
        self.keepingDimensions = keepingDimensions
        self.inputShape = inputShape
    }

    public var name: String { "sum" }
}

/// `a.mean()` (`axis == nil`) or `a.mean(alongAxis:keepingDimensions:)`. Inputs: `[a]`.
public struct MeanOp: TensorOperation, Equatable {
    /// The reduced axis, normalized to `0..<rank`; `nil` when every element was averaged.
    public let axis: Int?
    public let keepingDimensions: Bool
    public let inputShape: [Int]

    public init(axis: Int?, keepingDimensions: Bool, inputShape: [Int]) {
        self.axis = axis
        self.keepingDimensions = keepingDimensions
        self.inputShape = inputShape
    }

    public var name: String { "mean" }
}

/// `a.max()` (`axis == nil`) or `a.max(alongAxis:keepingDimensions:)`. Inputs: `[a]`. Backward
/// sends each gradient value to the one input element that won.
public struct MaxOp: TensorOperation, Equatable {
    /// The reduced axis, normalized to `0..<rank`; `nil` when the max of every element was taken.
    public let axis: Int?
    public let keepingDimensions: Bool
    public let inputShape: [Int]
    /// For each element of the result (in row-major order), the flat row-major index into the
    /// input's `data` of the element that was the maximum (the first one, if several tie; the
    /// first NaN, if there is one).
    public let argmax: [Int]

    public init(axis: Int?, keepingDimensions: Bool, inputShape: [Int], argmax: [Int]) {
        self.axis = axis
        self.keepingDimensions = keepingDimensions
        self.inputShape = inputShape
        self.argmax = argmax
    }

    public var name: String { "max" }
}

// MARK: - Switching recording off

/// Whether operations record how their results were made.
///
/// On by default. Code that only evaluates a model (measuring test accuracy, say) switches it off
/// to save memory and time:
///
/// ```swift
/// let predictions = GradientMode.withoutGradients { model(testImages) }
/// ```
///
/// The setting is a task-local value (Swift's `@TaskLocal`), not a global variable: it holds only
/// for the code run inside the closure (and tasks it starts), while code running at the same time
/// on other threads keeps its own value — as if each piece of running code had its own copy.
public enum GradientMode {
    /// `true` unless the current code runs inside `withoutGradients`.
    @TaskLocal public static var isEnabled = true

    /// Runs `body` with recording switched off, and returns its result.
    public static func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
        try $isEnabled.withValue(false, operation: body)
    }
}

// MARK: - Creating the result of an operation

extension Tensor {
    /// The result of an operation: a tensor of `shape` holding `data`, which records
    /// `(operation, inputs)` when gradients are enabled and some input has `requiresGrad` set.
    ///
    /// A recorded result gets `requiresGrad = true` itself, so that the next operation records
    /// too and the whole chain from inputs to loss is remembered. Otherwise `recording` is `nil`.
    ///
    /// ```swift
    /// return Tensor(shape: outputShape, data: output, operation: AddOp(), inputs: [self, other])
    /// ```
    public convenience init(
        shape: [Int], data: [Float], operation: any TensorOperation, inputs: [Tensor]
    ) {
        self.init(shape: shape, data: data)
        if GradientMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            recording = Recording(operation: operation, inputs: inputs)
            requiresGrad = true
        }
    }
}
