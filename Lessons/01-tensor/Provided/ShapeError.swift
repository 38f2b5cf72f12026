// Provided: you do not need to change this file.
//
// Shape mistakes are the most common bug in deep-learning code, so every operation checks shapes
// first and says exactly what is wrong. The checks are small throwing functions (`matmulShape`,
// `broadcastShape`, `reshapedShape`, …) that compute the shape of the result or throw a
// `ShapeError`. An operation calls its check through `requireValidShape`, which turns the error
// into a `requirementFailure` (Require.swift): a wrong shape is a bug in the program, so the
// program stops, with the message — in a release build too. Tests call the checks directly,
// because a test cannot survive a stopped program.

/// A shape mistake, with a message that names the shapes involved.
///
/// `ShapeError("matmul: [2, 3] × [4, 5] — inner sizes differ (3 vs 4)")`
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, naming the shapes: the text shown when the program stops.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Runs a shape check and returns its result; if the check throws, stops the program with the
/// error's message and the file and line of the call (`requirementFailure`, in every build).
///
/// ```swift
/// let outputShape = requireValidShape { try matmulShape(shape, other.shape) }
/// ```
public func requireValidShape<Result>(
    _ check: () throws -> Result, file: StaticString = #file, line: UInt = #line
) -> Result {
    do {
        return try check()
    } catch {
        requirementFailure("\(error)", file: file, line: line)
    }
}
