// Shared assertions for every lesson's tests.
//
// Tolerance policy (docs/COURSE-AUTHORING.md). Floating-point results are compared with a
// tolerance, never with `==`: an element passes when
//
//     |actual − expected| ≤ absolute + relative · |expected|
//
// (the rule of NumPy's `isclose`).
//
// * Exact operations — copies, reshapes, transposes, element-wise + − × ÷ on small integers —
//   must match exactly: pass `absolute: 0` (and leave `relative` at its default, which then only
//   forgives the last bits of large numbers).
// * Arithmetic chains and reductions (sums, means, matmul) use the defaults, relative 1e-5 and
//   absolute 1e-6: summing in a different order changes the last bits of a `Float`.
// * Gradients checked against finite differences use `relative: 1e-2`.
//
// NaN equals NaN here, and infinities equal infinities of the same sign, so a test can expect them.
// These helpers read only a tensor's `shape` and `data`, never an exercise function, so a failure
// points at the code under test and not at the helper.
//
// Shape errors stop the program (`require`), which a test cannot survive; `assertShapeError`
// checks the message of the throwing shape check the operation uses instead.

import XCTest
import TinyTorchTensor

/// Checks that `actual` has the shape of `expected` and that every element is close to its
/// counterpart. On failure, names the worst element: its index, both values and the errors.
func assertClose(
    _ actual: Tensor, _ expected: Tensor,
    relative: Float = 1e-5, absolute: Float = 1e-6,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.shape == expected.shape else {
        XCTFail(prefixed(message, "shape \(expected.shape) expected, got \(actual.shape)"),
                file: file, line: line)
        return
    }
    let count = expected.shape.reduce(1, *)
    guard actual.data.count == count else {
        XCTFail(prefixed(message, "a tensor of shape \(actual.shape) must hold \(count) numbers, "
                         + "but its data has \(actual.data.count)"), file: file, line: line)
        return
    }
    if let failure = worstMismatch(actual.data, expected.data,
                                   relative: relative, absolute: absolute) {
        let index = multiIndex(failure.index, shape: expected.shape)
        XCTFail(prefixed(message, failure.describe(at: "\(index)", total: count)),
                file: file, line: line)
    }
}

/// Checks that two arrays have the same length and close elements (see the policy above).
func assertClose(
    _ actual: [Float], _ expected: [Float],
    relative: Float = 1e-5, absolute: Float = 1e-6,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail(prefixed(message, "\(expected.count) numbers expected, got \(actual.count)"),
                file: file, line: line)
        return
    }
    if let failure = worstMismatch(actual, expected, relative: relative, absolute: absolute) {
        XCTFail(prefixed(message, failure.describe(at: "[\(failure.index)]", total: actual.count)),
                file: file, line: line)
    }
}

/// Checks that two numbers are close (see the policy above).
func assertClose(
    _ actual: Float, _ expected: Float,
    relative: Float = 1e-5, absolute: Float = 1e-6,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    if let failure = worstMismatch([actual], [expected], relative: relative, absolute: absolute) {
        XCTFail(prefixed(message, failure.describeScalar()), file: file, line: line)
    }
}

/// Checks a tensor's shape only.
func assertShape(
    _ tensor: Tensor, _ shape: [Int],
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    if tensor.shape != shape {
        XCTFail(prefixed(message, "shape \(shape) expected, got \(tensor.shape)"),
                file: file, line: line)
    }
}

/// Checks that a shape check throws a `ShapeError` whose message contains every fragment (for
/// example both shapes), and returns the message (empty if nothing was thrown).
///
/// A failed `require` cannot be caught in a test, so tests call the throwing check that the
/// operation's `requireValidShape` uses: `assertShapeError(try matmulShape([2, 3], [4, 5]),
/// mentions: ["[2, 3]", "[4, 5]"])`.
@discardableResult
func assertShapeError<Result>(
    _ check: @autoclosure () throws -> Result, mentions fragments: [String],
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) -> String {
    let thrown: Error
    do {
        let result = try check()
        XCTFail(prefixed(message, "expected a ShapeError, but the check succeeded and returned "
                         + "\(result)"), file: file, line: line)
        return ""
    } catch {
        thrown = error
    }
    guard let shapeError = thrown as? ShapeError else {
        XCTFail(prefixed(message, "expected a ShapeError, got \(type(of: thrown)): \(thrown)"),
                file: file, line: line)
        return "\(thrown)"
    }
    for fragment in fragments where !shapeError.message.contains(fragment) {
        XCTFail(prefixed(message, "the error message should mention \"\(fragment)\", "
                         + "but it says: \"\(shapeError.message)\""), file: file, line: line)
    }
    return shapeError.message
}

// MARK: - How the comparison works

/// The element that is furthest outside the tolerance, and how many are outside it.
private struct Mismatch {
    let index: Int
    let actual: Float
    let expected: Float
    let failures: Int

    var absoluteError: Float { abs(actual - expected) }
    var relativeError: Float { expected == 0 ? .infinity : absoluteError / abs(expected) }

    func describe(at index: String, total: Int) -> String {
        let count = failures == 1 ? "1 of \(total) numbers differs"
                                  : "\(failures) of \(total) numbers differ"
        return "\(count); the worst is at \(index): expected \(expected), got \(actual) "
            + "(absolute error \(absoluteError), relative error \(relativeError))"
    }

    func describeScalar() -> String {
        "expected \(expected), got \(actual) "
            + "(absolute error \(absoluteError), relative error \(relativeError))"
    }
}

/// Compares element by element; `nil` when all are within tolerance.
private func worstMismatch(
    _ actual: [Float], _ expected: [Float], relative: Float, absolute: Float
) -> Mismatch? {
    var worst: (index: Int, excess: Float)?
    var failures = 0
    for index in expected.indices {
        let (a, e) = (actual[index], expected[index])
        if a == e || (a.isNaN && e.isNaN) { continue }  // also equal infinities
        let allowed = absolute + relative * abs(e)
        let error = abs(a - e)
        guard !(error <= allowed) else { continue }     // written so that a NaN error fails
        failures += 1
        let excess = error.isNaN ? .infinity : error - allowed
        if worst == nil || excess > worst!.excess {
            worst = (index, excess)
        }
    }
    guard let worst else { return nil }
    return Mismatch(index: worst.index, actual: actual[worst.index],
                    expected: expected[worst.index], failures: failures)
}

/// The multi-index of flat position `flat` in a row-major tensor of `shape`: `[1, 2]` for 5 in
/// `[2, 3]`.
private func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var remainder = flat
    for axis in shape.indices.reversed() where shape[axis] > 0 {
        index[axis] = remainder % shape[axis]
        remainder /= shape[axis]
    }
    return index
}

private func prefixed(_ message: String, _ detail: String) -> String {
    message.isEmpty ? detail : "\(message): \(detail)"
}

/// Checks that `result` recorded `operation` (equal, so its saved details too) with exactly
/// `inputs`, the very tensor objects, in order; a `nil` input stands for a tensor the operation
/// made itself (the scalar wrapping the 2 in `a * 2`): only its presence is checked. A recorded
/// result must require a gradient. `hint` is the lesson's advice, added to every failure message.
///
/// Reads only the provided fields `recording` and `requiresGrad`, never an exercise function.
func assertRecorded<Operation: TensorOperation & Equatable>(
    _ result: Tensor, _ operation: Operation, inputs: [Tensor?], _ expression: String,
    hint: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    let advice = hint.isEmpty ? "" : " — " + hint
    guard let recording = result.recording else {
        XCTFail("\(expression) should record its operation, because an input requires a "
                + "gradient; its recording is nil\(advice)", file: file, line: line)
        return
    }
    guard let recorded = recording.operation as? Operation else {
        XCTFail("\(expression) should record \(Operation.self), but recorded "
                + "\(type(of: recording.operation))\(advice)", file: file, line: line)
        return
    }
    XCTAssertEqual(recorded, operation, "\(expression) recorded the wrong details\(advice)",
                   file: file, line: line)
    XCTAssertTrue(result.requiresGrad, "\(expression): a recorded result requires a gradient",
                  file: file, line: line)
    guard recording.inputs.count == inputs.count else {
        XCTFail("\(expression) should record \(inputs.count) input(s), "
                + "but recorded \(recording.inputs.count)\(advice)", file: file, line: line)
        return
    }
    for (index, (recordedInput, expectedInput)) in zip(recording.inputs, inputs).enumerated() {
        guard let expectedInput else { continue }
        XCTAssertTrue(recordedInput === expectedInput,
                      "\(expression): input \(index) should be the very tensor passed in "
                      + "(in argument order), not a copy", file: file, line: line)
    }
}
