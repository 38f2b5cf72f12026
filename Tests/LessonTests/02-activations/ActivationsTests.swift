// Lesson 02: Activations. The tests follow the lesson's files in order: Activations.swift (relu,
// sigmoid, tanh, gelu), Softmax.swift (softmax, logSoftmax), then the recording of operations for
// lesson 05, then a tiny network put together (`test_module`).
//
// Expected values are worked out by hand in the comments, or computed once with NumPy (the Python
// and its output are in the comment beside the numbers). Tolerances follow the policy in
// Support/Assertions.swift: `absolute: 0` where the answer is exact (relu; 0, 1 and −1 at the
// ends of sigmoid and tanh), the defaults for anything computed with exp or tanh.

import XCTest
import TinyTorchTensor
import TinyTorchActivations

final class ActivationsTests: LessonTestCase {
    /// Added to a failed recording check: how this lesson's operations should record.
    private let recordingHint = "create the result with "
        + "Tensor(shape:data:operation:inputs:), with inputs [x]"


    // MARK: - Activations.swift: relu

    func test_unit_relu_zeroesNegativesKeepsPositives() {
        let x = Tensor([[-2, -0.5, 0], [0.5, 3, -1000]])
        let y = relu(x)
        XCTAssertEqual(y.shape, [2, 3], "relu keeps the shape: [2, 3] in, [2, 3] out")
        // max(0, x): negatives and 0 become 0, positives stay as they are.
        assertClose(y.data, [0, 0, 0, 0.5, 3, 0], absolute: 0,
                    "relu should replace every negative number by 0 and keep the others")
        assertClose(x.data, [-2, -0.5, 0, 0.5, 3, -1000], absolute: 0,
                    "relu should return a new tensor and leave its input unchanged")
    }

    func test_unit_relu_keepsNaN() {
        // torch.relu(torch.tensor([1., float('nan'), -2.]))   → [1., nan, 0.]
        // A NaN is a computation gone wrong upstream; turned into 0 it would hide.
        assertClose(relu(Tensor([1, .nan, -2])), Tensor([1, .nan, 0]), absolute: 0,
                    "relu([1, nan, −2]) should be [1, nan, 0], as in PyTorch: every comparison "
                    + "with NaN is false, so `v > 0 ? v : 0` makes it 0 — write `v <= 0 ? 0 : v`")
    }

    // MARK: - Activations.swift: sigmoid

    func test_unit_sigmoid_knownValues() {
        // By hand: σ(0) = 1 / (1 + 1) = 0.5; σ(ln 3) = 1 / (1 + 1/3) = 0.75;
        // σ(−ln 3) = 1 / (1 + 3) = 0.25. And σ(2) = 1 / (1 + e^−2):
        //   python3 -c "import math; print(1 / (1 + math.exp(-2)))"   → 0.8807970779778823
        let ln3 = Float(log(3.0))
        let y = sigmoid(Tensor([0, ln3, -ln3, 2, -2]))
        XCTAssertEqual(y.shape, [5], "sigmoid keeps the shape")
        assertClose(y.data, [0.5, 0.75, 0.25, 0.8807970779778823, 1 - 0.8807970779778823],
                    "sigmoid(x) = 1 / (1 + e^(−x)): σ(0) = 0.5, σ(ln 3) = 0.75, σ(−ln 3) = 0.25")
        let grid = sigmoid(Tensor(shape: [2, 2], data: [-1, 1, -3, 3]))
        XCTAssertEqual(grid.shape, [2, 2], "sigmoid of a [2, 2] tensor is [2, 2]")
        assertClose(grid.data[0] + grid.data[1], 1, "σ(−x) + σ(x) = 1 (here for x = 1)")
        assertClose(grid.data[2] + grid.data[3], 1, "σ(−x) + σ(x) = 1 (here for x = 3)")
    }

    func test_unit_sigmoid_stableForLargeInputs() {
        let y = sigmoid(Tensor([1000, -1000, 100, -100, 88, -88]))
        XCTAssertFalse(y.data.contains { $0.isNaN },
                       "sigmoid should never give NaN; got \(y.data). For x < 0 compute "
                       + "e^x / (1 + e^x), so that exp never sees a large positive number")
        assertClose(y.data[0], 1, absolute: 0, "sigmoid(1000) should be exactly 1 in Float")
        assertClose(y.data[1], 0, absolute: 0, "sigmoid(−1000) should be exactly 0 in Float")
        assertClose(y.data[2], 1, absolute: 0, "sigmoid(100) should be exactly 1 in Float")
        XCTAssertTrue(y.data.allSatisfy { (0...1).contains($0) },
                      "sigmoid's values should all lie between 0 and 1; got \(y.data)")

        // Past x = −88.72, e^(−x) overflows to infinity: 1 / (1 + e^(−x)) then gives 0, while
        // e^x / (1 + e^x) still gives the true value, a tiny positive number:
        //   python3 -c "import math; print(math.exp(-90) / (1 + math.exp(-90)))"
        //   → 8.194012623990515e-40   (a subnormal Float: relative tolerance 1e-3)
        let tail = sigmoid(Tensor([-90]))
        let trueValue = Float(Double(8.194012623990515e-40))  // through Double: no literal warning
        assertClose(tail.data[0], trueValue, relative: 1e-3, absolute: 0,
                    "sigmoid(−90) should be e^−90 / (1 + e^−90) ≈ 8.19e-40, not 0: for x < 0 "
                    + "use the branch e^x / (1 + e^x), which never overflows")
    }

    // MARK: - Activations.swift: tanh

    func test_unit_tanh_knownValuesAndOddSymmetry() {
        // By hand: tanh(0) = 0; tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 1.5 / 2.5 = 0.6.
        //   python3 -c "import math; print(math.tanh(1), math.tanh(2))"
        //   → 0.7615941559557649 0.9640275800758169
        let ln2 = Float(log(2.0))
        let y = tanh(Tensor([0, ln2, 1, 2]))
        XCTAssertEqual(y.shape, [4], "tanh keeps the shape")
        assertClose(y.data, [0, 0.6, 0.7615941559557649, 0.9640275800758169],
                    "tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)): tanh(0) = 0, tanh(ln 2) = 0.6")

        // Odd symmetry: tanh(−x) = −tanh(x), exactly.
        let values: [Float] = [0.1, 0.5, 1.5, 3, 7]
        let positive = tanh(Tensor(values))
        let negative = tanh(Tensor(values.map { -$0 }))
        assertClose(negative.data, positive.data.map { -$0 }, absolute: 0,
                    "tanh is odd: tanh(−x) should be exactly −tanh(x)")
        let matrix = tanh(Tensor([[-1, 0], [1, 2]]))
        XCTAssertEqual(matrix.shape, [2, 2], "tanh of a [2, 2] tensor is [2, 2]")
    }

    func test_unit_tanh_stableForLargeInputs() {
        let y = tanh(Tensor([1000, -1000, 20, -20, 89, -89]))
        XCTAssertFalse(y.data.contains { $0.isNaN },
                       "tanh should never give NaN; got \(y.data). (e^1000 / e^1000 is "
                       + "infinity / infinity = NaN: use Foundation.tanh(v))")
        assertClose(y.data, [1, -1, 1, -1, 1, -1], absolute: 0,
                    "tanh(±1000), tanh(±20) and tanh(±89) are ±1 to Float precision")
    }

    // MARK: - Activations.swift: gelu

    func test_unit_gelu_matchesFormula() {
        //   import numpy as np
        //   x = np.array([-3, -1, -0.5, 0, 0.5, 1, 3], dtype=np.float64)
        //   0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
        //   → [-0.0036373920817729943, -0.1588080093917233, -0.15428599017485606, 0.0,
        //      0.34571400982514394, 0.8411919906082768, 2.996362607918227]
        // PyTorch agrees: torch.nn.functional.gelu(torch.tensor(x), approximate="tanh").
        let y = gelu(Tensor([-3, -1, -0.5, 0, 0.5, 1, 3]))
        XCTAssertEqual(y.shape, [7], "gelu keeps the shape")
        assertClose(y.data, [-0.0036373920817729943, -0.1588080093917233, -0.15428599017485606,
                             0, 0.34571400982514394, 0.8411919906082768, 2.996362607918227],
                    "gelu(x) = 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))")
        let matrix = gelu(Tensor([[-1, 1], [0, 3]]))
        XCTAssertEqual(matrix.shape, [2, 2], "gelu of a [2, 2] tensor is [2, 2]")
    }

    func test_unit_gelu_likeReluFarFromZero() {
        // For large |x| the tanh is ±1: gelu(x) = 0.5 · x · 2 = x, or 0.5 · x · 0 = 0.
        let y = gelu(Tensor([1000, -1000, 10, -10]))
        XCTAssertFalse(y.data.contains { $0.isNaN || $0.isInfinite },
                       "gelu should give finite numbers for ±1000; got \(y.data)")
        assertClose(y.data, [1000, 0, 10, 0], absolute: 1e-6,
                    "far from 0, gelu(x) is x for positive x and 0 for negative x, like relu")
    }

    // MARK: - Softmax.swift: softmax

    func test_unit_softmax_byHand() {
        // e^0, e^(ln 2), e^(ln 3) are 1, 2, 3; they sum to 6: [1/6, 2/6, 3/6].
        let logs = Tensor([0, Float(log(2.0)), Float(log(3.0))])
        assertClose(softmax(logs), Tensor([1.0 / 6, 2.0 / 6, 3.0 / 6]),
                    "softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6")
        //   x = np.array([1, 2, 3.]); e = np.exp(x - x.max()); e / e.sum()
        //   → [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
        assertClose(softmax(Tensor([1, 2, 3])),
                    Tensor([0.09003057317038046, 0.24472847105479764, 0.6652409557748218]),
                    "softmax([1, 2, 3]) = [e, e², e³] / (e + e² + e³)")
        assertClose(softmax(Tensor([5, 5, 5, 5])), Tensor([0.25, 0.25, 0.25, 0.25]),
                    "equal scores should give equal probabilities")
    }

    func test_unit_softmax_rowsSumToOne() {
        // Three rows of 4 scores, softmax along the last axis (the default): each row sums to 1.
        let x = Tensor([[0.5, -1, 2, 3], [10, 10, -10, 0], [-3, -2, -7, -4]])
        let y = softmax(x)
        XCTAssertEqual(y.shape, [3, 4], "softmax keeps the shape")
        for row in 0..<3 {
            let probabilities = Array(y.data[(row * 4)..<(row * 4 + 4)])
            assertClose(probabilities.reduce(0, +), 1, relative: 1e-6,
                        "row \(row) of the softmax should sum to 1; it is \(probabilities)")
            XCTAssertTrue(probabilities.allSatisfy { $0 > 0 && $0 < 1 },
                          "every probability should be between 0 and 1; row \(row) is "
                          + "\(probabilities)")
        }
    }

    func test_unit_softmax_alongAxis0And1() {
        //   x = np.array([[1, 2, 3], [2, 0, -1.]])
        //   def softmax(x, a):
        //       e = np.exp(x - x.max(a, keepdims=True)); return e / e.sum(a, keepdims=True)
        //   softmax(x, 1).ravel() → [0.09003057317038046, 0.24472847105479764, 0.6652409557748218,
        //                            0.8437947344813395, 0.11419519938459449, 0.04201006613406605]
        //   softmax(x, 0).ravel() → [0.2689414213699951, 0.8807970779778823, 0.9820137900379085,
        //                            0.7310585786300049, 0.11920292202211755, 0.017986209962091555]
        let x = Tensor([[1, 2, 3], [2, 0, -1]])
        assertClose(softmax(x, alongAxis: 1),
                    Tensor(shape: [2, 3], data: [0.09003057317038046, 0.24472847105479764,
                                                 0.6652409557748218, 0.8437947344813395,
                                                 0.11419519938459449, 0.04201006613406605]),
                    "softmax along axis 1: each row sums to 1")
        assertClose(softmax(x, alongAxis: 0),
                    Tensor(shape: [2, 3], data: [0.2689414213699951, 0.8807970779778823,
                                                 0.9820137900379085, 0.7310585786300049,
                                                 0.11920292202211755, 0.017986209962091555]),
                    "softmax along axis 0: each column sums to 1 (a slice is [x[0, j], x[1, j]])")
    }

    func test_unit_softmax_negativeAxisRank3() {
        //   y = (((np.arange(24) * 5) % 7 - 3) / 2).reshape(2, 3, 4)
        //   softmax(y, 1).ravel()  → (values below, the middle axis)
        //   softmax(y, -1).ravel() → (values below, the last axis)
        let y = Tensor(shape: [2, 3, 4], data: (0..<24).map { Float(($0 * 5) % 7 - 3) / 2 })
        let middle: [Float] = [
            0.030058887569574023, 0.506480391055654, 0.506480391055654, 0.07252144568074774,
            0.6037488961486258, 0.3071958857184984, 0.3071958857184984, 0.04398648029205784,
            0.3661922162818002, 0.1863237232258476, 0.1863237232258476, 0.8834920740271943,
            0.506480391055654, 0.506480391055654, 0.030058887569574023, 0.506480391055654,
            0.3071958857184984, 0.3071958857184984, 0.6037488961486258, 0.3071958857184984,
            0.1863237232258476, 0.1863237232258476, 0.3661922162818002, 0.1863237232258476,
        ]
        let last: [Float] = [
            0.05177885129942981, 0.6307955432474668, 0.23205671194331448, 0.08536889350978889,
            0.6439142598879724, 0.23688281808991013, 0.08714431874203257, 0.03205860328008499,
            0.3172653256766647, 0.11671539071300706, 0.04293719271160759, 0.5230820908987206,
            0.3172653256766647, 0.11671539071300706, 0.04293719271160759, 0.5230820908987206,
            0.13336374413970897, 0.04906177966664736, 0.5976948344902959, 0.21987964170334776,
            0.13336374413970897, 0.04906177966664736, 0.5976948344902959, 0.21987964170334776,
        ]
        assertClose(softmax(y, alongAxis: 1), Tensor(shape: [2, 3, 4], data: middle),
                    "softmax of a [2, 3, 4] tensor along axis 1: slices of 3, inner size 4")
        assertClose(softmax(y, alongAxis: -2), Tensor(shape: [2, 3, 4], data: middle),
                    "axis -2 of a rank-3 tensor is axis 1")
        assertClose(softmax(y, alongAxis: -1), Tensor(shape: [2, 3, 4], data: last),
                    "axis -1 (the default) is the last axis: slices of 4, inner size 1")
        assertClose(softmax(y), Tensor(shape: [2, 3, 4], data: last),
                    "with no axis given, softmax should use the last axis")
    }

    func test_unit_softmax_invariantToAddingConstant() {
        // e^(x + c) / Σ e^(x + c) = e^c · e^x / (e^c · Σ e^x) = e^x / Σ e^x.
        let x = Tensor([[1, 2, 3], [-1, 0, 4]])
        let reference = softmax(x)
        assertClose(softmax(x + 100), reference, relative: 1e-4,
                    "adding 100 to every score should not change the softmax")
        assertClose(softmax(x - 50), reference, relative: 1e-4,
                    "subtracting 50 from every score should not change the softmax")
    }

    func test_unit_softmax_largeInputsNoOverflow() {
        // e^1000 is infinity in Float; after subtracting the max the exponents are 0, −1000 and
        // −2000: e^0 = 1 and the others round to 0. So the answer is exactly [1, 0, 0].
        let y = softmax(Tensor([[1000, 0, -1000], [1000, 1000, 1000], [-1000, -1000, -1000]]))
        XCTAssertFalse(y.data.contains { $0.isNaN || $0.isInfinite },
                       "softmax of ±1000 should have no NaN or infinity; got \(y.data). "
                       + "Subtract each slice's maximum before calling exp")
        let third: Float = 1.0 / 3
        assertClose(y, Tensor([[1, 0, 0], [third, third, third], [third, third, third]]),
                    "softmax([1000, 0, −1000]) is [1, 0, 0]; equal scores, however large or "
                    + "small, give 1/3 each")
        let pair = softmax(Tensor([-1000, -999]))
        //   python3 -c "import math; print(1 / (1 + math.e), math.e / (1 + math.e))"
        //   → 0.2689414213699951 0.7310585786300049
        assertClose(pair, Tensor([0.2689414213699951, 0.7310585786300049]),
                    "softmax([−1000, −999]) is softmax([−1, 0]): e^−1000 underflows to 0 without "
                    + "the max trick, and 0 / 0 is NaN")
    }

    // MARK: - Softmax.swift: logSoftmax

    func test_unit_softmax_longSlicesAddUpInDouble() {
        // A slice of 2001 numbers, [0, −17, −17, …]: Σ e^(x − m) = 1 + 2000 · e^−17 = 1.0000828.
        // A Float total cannot grow past 1 in steps of e^−17 = 4.1e-8 (Floats near 1 are 1.2e-7
        // apart), so it ends at 1 and the first probability comes out exactly 1.
        //   x = torch.tensor([[0.] + [-17.] * 2000], dtype=torch.float64)
        //   torch.softmax(x, -1)[0, :2]   → [0.9999172081006548, 4.1395949654782577e-08]
        // (PyTorch's float32 gives [0.99992752, 4.1396373e-08]: its float32 sum is not exact.)
        let slice = [Float(0)] + [Float](repeating: -17, count: 2000)
        let expected = Tensor([0.9999172081006548]
                              + [Float](repeating: 4.1395949654782577e-08, count: 2000))
        let message = "softmax of [0, −17, −17, …] (2001 numbers): add up Σ e^(x − m) in a Double "
            + "— a Float total stays at 1 when 4.1e-8 is added to it"
        assertClose(softmax(Tensor(shape: [1, 2001], data: slice)),
                    Tensor(shape: [1, 2001], data: expected.data),
                    message + " (a row, axis −1)")
        // The same slice down both columns of a [2001, 2] tensor, along axis 0.
        let columns = Tensor(shape: [2001, 2], data: slice.flatMap { [$0, $0] })
        assertClose(softmax(columns, alongAxis: 0),
                    Tensor(shape: [2001, 2], data: expected.data.flatMap { [$0, $0] }),
                    message + " (two columns, axis 0)")
    }

    func test_unit_logSoftmax_isLogOfSoftmax() {
        // log([1/6, 2/6, 3/6]):
        //   python3 -c "import numpy as np; print(np.log([1/6, 1/3, 1/2]).tolist())"
        //   → [-1.791759469228055, -1.0986122886681098, -0.6931471805599453]
        let logs = Tensor([0, Float(log(2.0)), Float(log(3.0))])
        assertClose(logSoftmax(logs),
                    Tensor([-1.791759469228055, -1.0986122886681098, -0.6931471805599453]),
                    "logSoftmax([0, ln 2, ln 3]) = log([1/6, 1/3, 1/2])")
        //   x = np.array([[1, 2, 3], [2, 0, -1.]]); m = x.max(0, keepdims=True)
        //   (x - m - np.log(np.exp(x - m).sum(0, keepdims=True))).ravel()
        //   → [-1.3132616875182228, -0.1269280110429726, -0.01814992791780978,
        //      -0.31326168751822286, -2.1269280110429727, -4.0181499279178094]
        assertClose(logSoftmax(Tensor([[1, 2, 3], [2, 0, -1]]), alongAxis: 0),
                    Tensor(shape: [2, 3], data: [-1.3132616875182228, -0.1269280110429726,
                                                 -0.01814992791780978, -0.31326168751822286,
                                                 -2.1269280110429727, -4.0181499279178094]),
                    "logSoftmax along axis 0 (each column)")
    }

    func test_unit_logSoftmax_largeInputsStayFinite() {
        // softmax([1000, 0]) is [1, 0] in Float, and log(0) = −infinity. The true answer is
        // [0 − log(1 + e^−1000), −1000 − log(1 + e^−1000)] = [0, −1000] to Float precision.
        let y = logSoftmax(Tensor([[1000, 0], [-1000, -1000]]))
        XCTAssertFalse(y.data.contains { $0.isNaN || $0.isInfinite },
                       "logSoftmax should stay finite for ±1000; got \(y.data). Compute "
                       + "(x − m) − log(Σ e^(x − m)), never log(softmax(x))")
        //   python3 -c "import math; print(-math.log(2))"   → -0.6931471805599453
        assertClose(y, Tensor([[0, -1000], [-0.6931471805599453, -0.6931471805599453]]),
                    "logSoftmax([1000, 0]) is [0, −1000]; logSoftmax([−1000, −1000]) is "
                    + "[−ln 2, −ln 2]. Compute (x − m) first, then subtract log Σ e^(x − m): "
                    + "x − (m + log Σ) rounds the small log away against a large m")
    }

    func test_unit_logSoftmax_longSlicesAddUpInDouble() {
        // The slice of the softmax test above: log Σ e^(x − m) = log(1.0000828) = 8.2795e-5.
        //   x = torch.tensor([[0.] + [-17.] * 2000], dtype=torch.float64)
        //   torch.log_softmax(x, -1)[0, :2]  → [-8.279532678375211e-05, -17.000082795326783]
        // A Float total of the exps stays at 1, and log 1 = 0 gives [0, −17, …].
        let x = Tensor(shape: [1, 2001], data: [0] + [Float](repeating: -17, count: 2000))
        let expected = [Float(-8.279532678375211e-05)]
            + [Float](repeating: -17.000082795326783, count: 2000)
        assertClose(logSoftmax(x), Tensor(shape: [1, 2001], data: expected), absolute: 2e-6,
                    "logSoftmax of [0, −17, −17, …] (2001 numbers): add up Σ e^(x − m) in a "
                    + "Double — in a Float it stays at 1, and log 1 = 0")
    }

    // MARK: - Recording operations for lesson 05

    func test_unit_recording_nilWhenNoInputRequiresGrad() {
        let x = Tensor([[1, -2], [3, 0]])
        let results: [(String, Tensor)] = [
            ("relu(x)", relu(x)), ("sigmoid(x)", sigmoid(x)), ("tanh(x)", tanh(x)),
            ("gelu(x)", gelu(x)), ("softmax(x)", softmax(x)), ("logSoftmax(x)", logSoftmax(x)),
        ]
        for (expression, result) in results {
            XCTAssertNil(result.recording,
                         "\(expression) should not record anything: x does not require a gradient")
            XCTAssertFalse(result.requiresGrad, "\(expression) should not require a gradient")
        }
    }

    func test_unit_recording_savesOperationAndAxis() {
        let x = Tensor([[1, -2, 0.5], [3, 0, -1]])
        x.requiresGrad = true
        assertRecorded(relu(x), ReLUOp(), inputs: [x], "relu(x)", hint: recordingHint)
        assertRecorded(sigmoid(x), SigmoidOp(), inputs: [x], "sigmoid(x)", hint: recordingHint)
        assertRecorded(tanh(x), TanhOp(), inputs: [x], "tanh(x)", hint: recordingHint)
        assertRecorded(gelu(x), GELUOp(), inputs: [x], "gelu(x)", hint: recordingHint)
        assertRecorded(softmax(x), SoftmaxOp(axis: 1), inputs: [x],
                       "softmax(x) (the default axis −1 is saved as 1, not −1)",
                       hint: recordingHint)
        assertRecorded(softmax(x, alongAxis: 0), SoftmaxOp(axis: 0), inputs: [x],
                       "softmax(x, alongAxis: 0)", hint: recordingHint)
        assertRecorded(logSoftmax(x, alongAxis: -2), LogSoftmaxOp(axis: 0), inputs: [x],
                       "logSoftmax(x, alongAxis: -2) (saved as axis 0)", hint: recordingHint)
        assertRecorded(logSoftmax(x), LogSoftmaxOp(axis: 1), inputs: [x], "logSoftmax(x)",
        hint: recordingHint)
    }

    // MARK: - Everything together

    func test_module() {
        // A tiny two-layer network on a batch of 4 inputs with 3 features, 4 hidden units and 3
        // classes: probabilities = softmax(relu(x·W1 + b1)·W2 + b2).
        //
        //   X  = np.array([[1, 2, 0], [0, -1, 2], [3, 0.5, -1], [-2, 1, 1]], dtype=np.float32)
        //   W1 = np.array([[0.5, -1, 0, 1], [1, 0.5, -0.5, 0], [-1, 0, 1, 0.5]], dtype=np.float32)
        //   b1 = np.array([0, 0.5, -0.5, 0], dtype=np.float32)
        //   W2 = np.array([[1, -1, 0], [0, 1, -1], [-0.5, 0, 1], [1, 0.5, 0.5]], dtype=np.float32)
        //   b2 = np.array([0, 0.5, -0.5], dtype=np.float32)
        //   X @ W1 + b1  → [[2.5, 0.5, -1.5, 1], [-3, 0, 2, 1], [3, -2.25, -1.75, 2.5],
        //                   [-1, 3, 0, -1.5]]
        //   H = np.maximum(X @ W1 + b1, 0)
        //               → [[2.5, 0.5, 0, 1], [0, 0, 2, 1], [3, 0, 0, 2.5], [0, 3, 0, 0]]
        //   Z = H @ W2 + b2
        //               → [[3.5, -1, -0.5], [0, 1, 2], [5.5, -1.25, 0.75], [0, 3.5, -3.5]]
        //   e = np.exp(Z - Z.max(1, keepdims=True)); P = e / e.sum(1, keepdims=True)
        //   P → [[0.9714164137840271, 0.010791460983455181, 0.01779211312532425],
        //        [0.09003057330846786, 0.2447284609079361, 0.6652409434318542],
        //        [0.9902729392051697, 0.001159490318968892, 0.008567539975047112],
        //        [0.029286310076713562, 0.9698293805122375, 0.0008843698888085783]]
        //   P.argmax(1) → [0, 2, 0, 1]
        // (PyTorch's torch.softmax(torch.relu(X @ W1 + b1) @ W2 + b2, 1) gives the same.)
        let x = Tensor([[1, 2, 0], [0, -1, 2], [3, 0.5, -1], [-2, 1, 1]])
        let w1 = Tensor([[0.5, -1, 0, 1], [1, 0.5, -0.5, 0], [-1, 0, 1, 0.5]])
        let b1 = Tensor([0, 0.5, -0.5, 0])
        let w2 = Tensor([[1, -1, 0], [0, 1, -1], [-0.5, 0, 1], [1, 0.5, 0.5]])
        let b2 = Tensor([0, 0.5, -0.5])
        w1.requiresGrad = true

        let hidden = relu(x.matmul(w1) + b1)
        assertClose(hidden, Tensor([[2.5, 0.5, 0, 1], [0, 0, 2, 1], [3, 0, 0, 2.5], [0, 3, 0, 0]]),
                    absolute: 0, "the hidden layer relu(x·W1 + b1)")
        let probabilities = softmax(hidden.matmul(w2) + b2)
        assertClose(probabilities,
                    Tensor([[0.9714164137840271, 0.010791460983455181, 0.01779211312532425],
                            [0.09003057330846786, 0.2447284609079361, 0.6652409434318542],
                            [0.9902729392051697, 0.001159490318968892, 0.008567539975047112],
                            [0.029286310076713562, 0.9698293805122375, 0.0008843698888085783]]),
                    "softmax(relu(x·W1 + b1)·W2 + b2): one row of class probabilities per input")
        assertClose(probabilities.sum(alongAxis: 1), Tensor([1, 1, 1, 1]),
                    "each input's class probabilities should sum to 1")

        // The predicted class of each input is the most probable one.
        let predictions = (0..<4).map { row -> Int in
            let scores = probabilities.data[(row * 3)..<(row * 3 + 3)]
            return scores.indices.max { scores[$0] < scores[$1] }! - row * 3
        }
        XCTAssertEqual(predictions, [0, 2, 0, 1], "the most probable class of each input")

        // Because w1 requires a gradient, the graph runs from the probabilities back to relu.
        XCTAssertEqual(probabilities.recording?.operation as? SoftmaxOp, SoftmaxOp(axis: 1),
                       "the network's output should be recorded as a softmax along axis 1")
        XCTAssertEqual(hidden.recording?.operation as? ReLUOp, ReLUOp(),
                       "the hidden layer should be recorded as a relu")
    }
}
