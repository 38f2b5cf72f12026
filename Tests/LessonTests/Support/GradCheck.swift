// Gradient checking: compares the gradients `backward()` computes with finite differences.
//
// Shared by every lesson from 05 (autograd) on: a new operation's gradient is tested by calling
// `gradCheck` on a small function that uses it. It only uses the tensor API (`backward`, `grad`,
// `data`), so it works with the operations of any lesson.
//
// It needs lesson 05's `backward()`, so it is compiled only when lesson 05 is declared
// (`#if LESSON_05`: Package.swift defines LESSON_NN for each declared lesson). `#if canImport`
// would not be safe: a scratch path that once built lesson 05 keeps its module, and a later
// build of lessons 1–4 would then compile this file and fail to link.
//
// The idea: the derivative of f at x is the slope of f around x. Nudge one input element down and
// up by ε, evaluate f both times, and the slope between the two points,
//
//     ∂f/∂xᵢ ≈ (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε          (a "central difference")
//
// is within about ε² · f‴ / 6 of the true derivative. That needs no calculus at all — only the
// forward pass — so it is an independent oracle for the calculus in every `backward`.
//
// Why ε = 1e-2 and not something tiny: the forward pass computes in `Float`, whose results carry
// a relative rounding error of about 6e-8. Dividing the difference of two values of f by 2ε
// magnifies that error by 1/(2ε): with ε = 1e-4 and f around 10, the rounding alone is
// 10 · 6e-8 / 2e-4 = 3e-3 — as big as the tolerance. With ε = 1e-2 it is 3e-5, while the
// truncation error ε² · f‴ / 6 ≈ 2e-5 · f‴ stays small for the smooth functions tested. (In
// `Double`, ε = 1e-6 would do; PyTorch's `gradcheck` works in float64 for that reason.) The sums
// and the differences here are taken in `Double`, and the step is the distance between the two
// nudged `Float` inputs as actually stored, so no extra rounding is added.
//
// Keep test inputs at least 2ε away from kinks — relu and abs at 0, max at a tie, the clamp of
// binary cross-entropy — where the function has no derivative and the two sides disagree.
//
// Tolerance policy (docs/COURSE-AUTHORING.md: gradients relative 1e-2): an element passes when
//
//     |analytic − numeric| ≤ absolute + relative · |numeric|
//
// with `relative: 1e-2` and `absolute: 1e-3` by default.

#if LESSON_05
import XCTest
import TinyTorchTensor
import TinyTorchAutograd

/// Checks the gradients that `backward()` computes for `function` at `inputs` against central
/// finite differences, and fails the test naming the input, its worst element, and both values.
///
/// `function` maps the inputs to a tensor; a tensor of more than one number is summed, so the
/// checked quantity is always a scalar `f = Σ function(inputs)`. (To weight the outputs
/// differently, multiply by a constant tensor inside `function`: that catches gradients sent to
/// the wrong element, which a plain sum — all ones — cannot see for reshapes and transposes.)
///
/// Every tensor in `inputs` is checked: `gradCheck` sets `requiresGrad` on each and clears its
/// `grad`. Constants the gradient is not wanted for (targets, masks) belong inside `function`.
/// The inputs' numbers are left as they were.
///
///     gradCheck({ $0[0] * $0[1] }, inputs: [Tensor([[1, 2, 3]]), Tensor([[4], [5]])])
///
/// - Parameters:
///   - function: the computation to check, built from tensor operations.
///   - inputs: leaf tensors (made by you, not by an operation) at which to check.
///   - epsilon: the nudge ε (see the comment at the top of this file for the choice).
///   - relative, absolute: the tolerance, as in `assertClose`.
///   - message: a prefix for failure messages, naming what is checked.
func gradCheck(
    _ function: ([Tensor]) -> Tensor, inputs: [Tensor],
    epsilon: Float = 1e-2, relative: Float = 1e-2, absolute: Float = 1e-3,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    let label = message.isEmpty ? "gradCheck" : message
    for (index, input) in inputs.enumerated() where input.recording != nil {
        XCTFail("\(label): input \(index) was made by an operation "
                + "('\(input.recording!.operation.name)'); pass tensors you create yourself",
                file: file, line: line)
        return
    }

    // 1. Analytic gradients, from backward().
    for input in inputs {
        input.requiresGrad = true
        input.grad = nil
    }
    let output = function(inputs)
    guard output.requiresGrad else {
        XCTFail("\(label): the output does not require a gradient, so the operations recorded "
                + "nothing — they must end with Tensor(shape:data:operation:inputs:)",
                file: file, line: line)
        return
    }
    if output.count == 1 {
        output.backward()
    } else {
        output.backward(gradient: Tensor(shape: output.shape,
                                         data: [Float](repeating: 1, count: output.count)))
    }

    // 2. Numeric gradients, by central differences, without recording a graph.
    func total() -> Double {
        GradientMode.withoutGradients {
            function(inputs).data.reduce(0.0) { $0 + Double($1) }
        }
    }
    for (index, input) in inputs.enumerated() {
        let name = "input \(index) (shape \(input.shape))"
        guard let grad = input.grad else {
            XCTFail("\(label): \(name) got no gradient — backward() left its grad nil. Does every "
                    + "operation between it and the output pass a gradient back?",
                    file: file, line: line)
            continue
        }
        guard grad.shape == input.shape else {
            XCTFail("\(label): \(name) got a gradient of shape \(grad.shape) — a gradient has "
                    + "the shape of its tensor", file: file, line: line)
            continue
        }
        var numeric = [Float](repeating: 0, count: input.count)
        for element in 0..<input.count {
            let original = input.data[element]
            input.data[element] = original + epsilon
            let up = input.data[element]
            let fUp = total()
            input.data[element] = original - epsilon
            let down = input.data[element]
            let fDown = total()
            input.data[element] = original
            numeric[element] = Float((fUp - fDown) / (Double(up) - Double(down)))
        }
        reportWorst(analytic: grad.data, numeric: numeric, shape: input.shape,
                    relative: relative, absolute: absolute,
                    prefix: "\(label): the gradient of \(name)", file: file, line: line)
    }
}

/// Fails with the element where the analytic gradient is furthest outside the tolerance around
/// the numeric one, if any.
private func reportWorst(
    analytic: [Float], numeric: [Float], shape: [Int], relative: Float, absolute: Float,
    prefix: String, file: StaticString, line: UInt
) {
    var worst: (element: Int, excess: Float)?
    var failures = 0
    for element in numeric.indices {
        let (a, n) = (analytic[element], numeric[element])
        let error = abs(a - n)
        let allowed = absolute + relative * abs(n)
        guard !(error <= allowed) else { continue }  // written so that a NaN fails
        failures += 1
        let excess = error.isNaN ? .infinity : error - allowed
        if worst == nil || excess > worst!.excess {
            worst = (element, excess)
        }
    }
    guard let worst else { return }
    // The multi-index of the worst element, for the message.
    var index = [Int](repeating: 0, count: shape.count)
    var remainder = worst.element
    for axis in shape.indices.reversed() where shape[axis] > 0 {
        index[axis] = remainder % shape[axis]
        remainder /= shape[axis]
    }
    let (a, n) = (analytic[worst.element], numeric[worst.element])
    let count = failures == 1 ? "1 of \(numeric.count) elements differs"
                              : "\(failures) of \(numeric.count) elements differ"
    XCTFail("\(prefix) does not match finite differences: \(count); the worst is at \(index): "
            + "backward() gave \(a), finite differences give \(n) "
            + "(absolute error \(abs(a - n)))", file: file, line: line)
}
#endif
