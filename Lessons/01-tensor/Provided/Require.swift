// Provided: you do not need to change this file.
//
// How the framework stops on a bug: with a message that says what is wrong, in every build.
//
// Swift's own `precondition(condition, "message")` checks its condition in every build, but an
// optimized build (`swift build -c release`, which is how the milestones are built, for speed)
// leaves the message out: the program stops with "Illegal instruction" and not a word more. A
// shape mistake that shows up only in a training run, where data is real and batches are large,
// is exactly when the message is needed. `require` is `precondition` that keeps its message:
// it calls `fatalError`, which prints its message and the caller's file and line in every build.
// Write `require` wherever you would write `precondition`.

/// Stops the program when `condition` is false, printing `message` and the file and line of the
/// call — in debug and release builds alike (`precondition` prints nothing in release).
///
/// ```swift
/// require(a.shape[1] == b.shape[0], "matmul: \(a.shape) × \(b.shape) — inner sizes differ")
/// ```
///
/// The message is only built when the condition fails, so checking costs one comparison.
/// (`@inlinable` lets the other lessons' modules compile it into their own code, so that a check
/// inside a loop is a comparison there, not a function call.)
@inlinable
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #file, line: UInt = #line
) {
    if !condition() {
        requirementFailure(message(), file: file, line: line)
    }
}

/// Stops the program, printing `message` and the file and line of the call, in every build: the
/// `preconditionFailure` that keeps its message in a release build.
///
/// ```swift
/// guard let layer = layers.first else { requirementFailure("Sequential: no layers") }
/// ```
public func requirementFailure(
    _ message: String, file: StaticString = #file, line: UInt = #line
) -> Never {
    fatalError(message, file: file, line: line)
}
