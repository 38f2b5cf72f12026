// Lesson 05, file 1 of 8: what an operation must know to take part in the backward pass.
//
// Every operation of lessons 01–04 already records itself on its result (lesson 01's
// `Recording.swift`): the operation value and its inputs. This file declares the one thing the
// backward pass asks of an operation, `Differentiable`, and the check that finds it. The files
// ArithmeticGradients.swift … LossGradients.swift then add a conformance to each operation type,
// where in Python you would write a `backward` method on each class (micrograd, PyTorch's
// `autograd.Function`). Operations of later lessons conform where they are defined.
//
// The protocol, the error type and `requireDifferentiable` are given; you write
// `differentiable(_:)`, a three-line check.

import TinyTorchTensor

/// An operation that knows its own derivative — one step of the chain rule.
///
/// Given `gradient`, how the loss `L` changes with each element of the operation's output
/// (`∂L/∂output`), `backward` returns how `L` changes with each element of each input
/// (`∂L/∂input`), by multiplying with the operation's *local* derivative:
///
///     ∂L/∂input = ∂L/∂output · ∂output/∂input
///
/// For `c = a * b` (element-wise): `∂L/∂a = gradient * b` and `∂L/∂b = gradient * a`.
///
/// To make an operation differentiable, add a conformance where the operation is defined (or, for
/// the operations of lessons 01–04, in this lesson):
///
///     extension NegateOp: Differentiable {
///         public func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
///             [-gradient]
///         }
///     }
public protocol Differentiable: TensorOperation {
    /// Given ∂L/∂output, the gradient for each input (same order as `Recording.inputs`), each with
    /// that input's shape; nil where an input needs none.
    ///
    /// - `gradient`: ∂L/∂output, the shape of `output`.
    /// - `inputs`: the recorded inputs, in argument order (`[a, b]` for `a + b`).
    /// - `output`: the tensor this operation produced (its `data` is often the cheapest way to the
    ///   derivative: sigmoid's is `y · (1 − y)`).
    ///
    /// The backward pass runs with recording switched off, so tensor operations used here build no
    /// graph. An input whose `requiresGrad` is `false` may get `nil`: nobody will read its
    /// gradient, so there is no need to compute it (`x.matmul(w)` with data `x` skips a matmul).
    func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?]
}

/// A gradient cannot be computed: the message says which operation and what to do.
///
/// `GradientError("no gradient for operation 'foo' — add a Differentiable conformance …")`
public struct GradientError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, naming the operation: the text shown when the program stops.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The recorded `operation` as a `Differentiable`, or a `GradientError` naming it if its type has
/// no `Differentiable` conformance.
///
/// The message is `"no gradient for operation '<name>' — add a Differentiable conformance
/// (extension <Type>: Differentiable)"`, with `<name>` the operation's `name` and `<Type>` its
/// type. `backward()` calls it through `requireDifferentiable`, which stops the program with that
/// message.
///
///     try differentiable(AddOp())            // AddOp, as an `any Differentiable`
///     try differentiable(SomeNewOp())        // throws "no gradient for operation 'someNew' — …"
public func differentiable(_ operation: any TensorOperation) throws -> any Differentiable {
    todo("TODO(lesson 05): implement differentiable(_:)")
}

/// `differentiable(operation)`, or stops the program with the `GradientError`'s message (as
/// lesson 01's `requireValidShape` does for shapes).
public func requireDifferentiable(
    _ operation: any TensorOperation, file: StaticString = #file, line: UInt = #line
) -> any Differentiable {
    do {
        return try differentiable(operation)
    } catch {
        requirementFailure("\(error)", file: file, line: line)
    }
}
