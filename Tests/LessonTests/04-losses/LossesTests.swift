// Lesson 04: Losses. The tests follow the lesson's files in order: MeanSquaredError.swift,
// BinaryCrossEntropy.swift, CrossEntropy.swift, then a tiny classifier scored with cross-entropy
// (`test_module`).
//
// Expected values are worked out by hand in the comments, or were computed once with PyTorch
// 2.13.0 (CPU, float32); the Python and its output are in the comment beside the numbers. Every
// snippet starts with
//
//   import torch, torch.nn.functional as F
//   t = lambda x: torch.tensor(x, dtype=torch.float32)
//
// Tolerances follow the policy in Support/Assertions.swift: a loss is a mean, so the defaults
// (relative 1e-5, absolute 1e-6).

import Foundation  // exp, for the sigmoid
import XCTest
import TinyTorchTensor
import TinyTorchLosses

final class LossesTests: LessonTestCase {
    /// Added to a failed recording check: how this lesson's operations should record.
    private let recordingHint = "are the targets saved in the operation? They are not "
        + "an input: the only input is the predictions or logits"


    // MARK: - MeanSquaredError.swift

    func test_unit_meanSquaredError_byHand() {
        // errors 2.5 − 3 = −0.5, 0 − (−0.5) = 0.5, 2 − 2 = 0, 8 − 7 = 1
        // squares 0.25, 0.25, 0, 1 → sum 1.5 → mean 1.5 / 4 = 0.375
        let loss = meanSquaredError(Tensor([2.5, 0, 2, 8]), Tensor([3, -0.5, 2, 7]))
        XCTAssertEqual(loss.shape, [], "a loss is one number: a scalar tensor, shape []")
        assertClose(loss, Tensor(0.375),
                    "mean of the squared errors (−0.5)², 0.5², 0², 1² = (0.25 + 0.25 + 0 + 1) / 4")

        let perfect = meanSquaredError(Tensor([[1, -2], [3, 0.5]]), Tensor([[1, -2], [3, 0.5]]))
        assertClose(perfect, Tensor(0), "predictions equal to the targets should give a loss of 0")
    }

    func test_unit_meanSquaredError_matchesPyTorch() {
        // F.mse_loss(t([[0.5, -1.2, 3.0], [2.2, 0.0, -0.7]]),
        //            t([[1.0, -1.0, 2.5], [2.0, 0.5, -1.0]]))        → 0.15333335101604462
        // The mean is over all 6 elements, not over the 2 rows.
        let predictions = Tensor([[0.5, -1.2, 3.0], [2.2, 0.0, -0.7]])
        let targets = Tensor([[1.0, -1.0, 2.5], [2.0, 0.5, -1.0]])
        let loss = meanSquaredError(predictions, targets)
        XCTAssertEqual(loss.shape, [], "a loss is a scalar tensor, shape [], for any input shape")
        assertClose(loss, Tensor(0.15333335101604462),
                    "meanSquaredError on a [2, 3] batch should match PyTorch's F.mse_loss "
                    + "(the mean over all 6 elements)")
    }

    func test_unit_lossElementCount_errorNamesShapes() {
        XCTAssertEqual(try lossElementCount("meanSquaredError", predictions: [2, 3],
                                            targets: [2, 3]), 6,
                       "equal shapes [2, 3]: the loss averages over 2 · 3 = 6 numbers")
        XCTAssertEqual(try lossElementCount("meanSquaredError", predictions: [], targets: []), 1,
                       "two scalars (shape []) are one number each")
        assertShapeError(try lossElementCount("meanSquaredError", predictions: [4, 1],
                                              targets: [4]),
                         mentions: ["meanSquaredError", "[4, 1]", "[4]"],
                         "a loss must not broadcast [4, 1] against [4]: the shapes differ")
        assertShapeError(try lossElementCount("binaryCrossEntropy", predictions: [2, 3],
                                              targets: [3, 2]),
                         mentions: ["binaryCrossEntropy", "[2, 3]", "[3, 2]"],
                         "the same count of numbers is not enough: the shapes must be equal")
        assertShapeError(try lossElementCount("meanSquaredError", predictions: [0, 3],
                                              targets: [0, 3]),
                         mentions: ["meanSquaredError", "[0, 3]"],
                         "an empty batch has no mean")
    }

    func test_unit_meanSquaredError_recordsOpWithTargets() {
        let predictions = Tensor([[0.5], [2.0]])
        let targets = Tensor([[1.0], [1.5]])
        XCTAssertNil(meanSquaredError(predictions, targets).recording,
                     "nothing should be recorded when the predictions do not require a gradient")

        predictions.requiresGrad = true
        let loss = meanSquaredError(predictions, targets)
        assertRecorded(loss, MeanSquaredErrorOp(targets: [1.0, 1.5]), inputs: [predictions],
                       "meanSquaredError(predictions, targets)", hint: recordingHint)
        assertClose(loss, Tensor(0.25), "(0.5² + 0.5²) / 2 = 0.25")
    }

    // MARK: - BinaryCrossEntropy.swift: from probabilities

    func test_unit_binaryCrossEntropy_probabilitiesMatchPyTorch() {
        // By hand: −log 0.9 = 0.1054, −log(1 − 0.2) = 0.2231, −log(1 − 0.6) = 0.9163;
        // mean = 1.2448 / 3 = 0.4149.
        // F.binary_cross_entropy(t([0.9, 0.2, 0.6]), t([1.0, 0.0, 0.0])) → 0.41493162512779236
        let small = binaryCrossEntropy(probabilities: Tensor([0.9, 0.2, 0.6]),
                                       targets: Tensor([1, 0, 0]))
        XCTAssertEqual(small.shape, [], "a loss is a scalar tensor, shape []")
        assertClose(small, Tensor(0.41493162512779236),
                    "(−log 0.9 − log 0.8 − log 0.4) / 3: the log of the probability given to "
                    + "what happened, averaged")

        // A batch of 5 with one output each, and one "soft" target of 0.25:
        // F.binary_cross_entropy(t([[0.9], [0.2], [0.6], [0.999], [0.3]]),
        //                        t([[1.0], [0.0], [0.0], [1.0], [0.25]]))   → 0.36285898089408875
        let batch = binaryCrossEntropy(probabilities: Tensor([[0.9], [0.2], [0.6], [0.999], [0.3]]),
                                       targets: Tensor([[1], [0], [0], [1], [0.25]]))
        assertClose(batch, Tensor(0.36285898089408875),
                    "binaryCrossEntropy(probabilities:) on a [5, 1] batch should match PyTorch's "
                    + "F.binary_cross_entropy")

        // Right and sure of it: p = t = 1 or 0. Clamping leaves −log(1 − ε) ≈ 1e-7 per element.
        let perfect = binaryCrossEntropy(probabilities: Tensor([1, 0, 1, 0]),
                                         targets: Tensor([1, 0, 1, 0]))
        assertClose(perfect, Tensor(0), absolute: 1e-6,
                    "confident right answers (p = t = 0 or 1) should give a loss of about 0")
    }

    func test_unit_binaryCrossEntropy_clampsZeroAndOne() {
        // Confidently wrong: p = 0 where the answer was 1. Unclamped, −log 0 = +∞. Clamped to
        // ε = 1e-7 it is −log(1e-7) = 7 · ln 10 = 16.1181. (PyTorch clamps the log at −100
        // instead: F.binary_cross_entropy(t([0.0]), t([1.0])) → 100.0.)
        let zeroForOne = binaryCrossEntropy(probabilities: Tensor([0]), targets: Tensor([1]))
        XCTAssertTrue(zeroForOne.data.allSatisfy { $0.isFinite },
                      "p = 0 with target 1 must give a finite loss: clamp p to at least ε = 1e-7 "
                      + "before the log; got \(zeroForOne.data)")
        assertClose(zeroForOne, Tensor(16.118095), relative: 1e-4,
                    "p = 0 with target 1, clamped to ε = 1e-7: −log(1e-7) ≈ 16.118")

        // p = 1 where the answer was 0: clamped to 1 − ε, the loss is −log(1 − (1 − ε)). In Float
        // 1 − 1e-7 rounds to 1 − 1.19e-7, giving 15.94; computed in Double it is 16.12. Either is
        // right: what matters is that it is finite and about 16.
        let oneForZero = binaryCrossEntropy(probabilities: Tensor([1]), targets: Tensor([0]))
        XCTAssertTrue(oneForZero.data.allSatisfy { $0.isFinite },
                      "p = 1 with target 0 must give a finite loss: clamp p to at most 1 − ε "
                      + "before log(1 − p); got \(oneForZero.data)")
        assertClose(oneForZero, Tensor(16.03), absolute: 0.2,
                    "p = 1 with target 0, clamped to 1 − ε: −log(ε) ≈ 16")

        // Mixed with ordinary predictions: (16.118 + (−log 0.5)) / 2 = (16.118 + 0.6931) / 2.
        let mixed = binaryCrossEntropy(probabilities: Tensor([0, 0.5]), targets: Tensor([1, 1]))
        assertClose(mixed, Tensor(8.405621), relative: 1e-4,
                    "one clamped element (16.118) and one p = 0.5 (0.693), averaged")
    }

    func test_unit_binaryCrossEntropy_recordsOpWithTargets() {
        let probabilities = Tensor([[0.8, 0.4]])
        let targets = Tensor([[1, 0]])
        XCTAssertNil(binaryCrossEntropy(probabilities: probabilities, targets: targets).recording,
                     "nothing should be recorded when the probabilities do not require a gradient")

        probabilities.requiresGrad = true
        let loss = binaryCrossEntropy(probabilities: probabilities, targets: targets)
        assertRecorded(loss, BinaryCrossEntropyOp(targets: [1, 0], epsilon: 1e-7),
                       inputs: [probabilities],
                       "binaryCrossEntropy(probabilities:targets:) (epsilon 1e-7)",
                       hint: recordingHint)
        // (−log 0.8 − log 0.6) / 2 = (0.22314 + 0.51083) / 2 = 0.36699
        assertClose(loss, Tensor(0.3669845), relative: 1e-4, "(−log 0.8 − log 0.6) / 2")
    }

    // MARK: - BinaryCrossEntropy.swift: from logits

    func test_unit_binaryCrossEntropyLogits_matchesPyTorch() {
        // x = t([[2.0, -1.0], [0.5, -3.0], [0.0, 4.0]])
        // y = t([[1.0, 0.0], [1.0, 0.3], [0.0, 1.0]])
        // F.binary_cross_entropy_with_logits(x, y)     → 0.42902520298957825
        // F.binary_cross_entropy(torch.sigmoid(x), y)  → 0.42902520298957825  (the same loss)
        let x: [[Float]] = [[2.0, -1.0], [0.5, -3.0], [0.0, 4.0]]
        let y: [[Float]] = [[1.0, 0.0], [1.0, 0.3], [0.0, 1.0]]
        let loss = binaryCrossEntropy(logits: Tensor(x), targets: Tensor(y))
        XCTAssertEqual(loss.shape, [], "a loss is a scalar tensor, shape []")
        assertClose(loss, Tensor(0.42902520298957825),
                    "binaryCrossEntropy(logits:) on a [3, 2] batch should match PyTorch's "
                    + "F.binary_cross_entropy_with_logits")

        // For ordinary logits the two forms agree: sigmoid first, then the probability form.
        let sigmoid = x.map { row in row.map { 1 / (1 + exp(-$0)) } }
        let viaProbabilities = binaryCrossEntropy(probabilities: Tensor(sigmoid),
                                                  targets: Tensor(y))
        assertClose(loss, viaProbabilities, relative: 1e-5,
                    "binaryCrossEntropy(logits: x) should equal "
                    + "binaryCrossEntropy(probabilities: sigmoid(x)) when nothing overflows")

        // A logit of 0 is a 50/50 guess: −log 0.5 = ln 2 = 0.693147, whatever the target.
        assertClose(binaryCrossEntropy(logits: Tensor([0, 0]), targets: Tensor([1, 0])),
                    Tensor(0.6931472), "a logit of 0 means p = 0.5, so the loss is ln 2")
    }

    func test_unit_binaryCrossEntropyLogits_stableOnExtremeLogits() {
        // for x, y in [(100., 1.), (100., 0.), (-100., 1.), (-100., 0.),
        //              (1000., 1.), (1000., 0.), (-1000., 1.), (-1000., 0.)]:
        //     F.binary_cross_entropy_with_logits(t([x]), t([y]))
        //   → 3.9e-44, 100.0, 100.0, 0.0, 0.0, 1000.0, 1000.0, 0.0
        // Right and sure: about 0. Wrong and sure: |x|. Never inf, never NaN.
        let cases: [(logit: Float, target: Float, expected: Float)] = [
            (100, 1, 0), (100, 0, 100), (-100, 1, 100), (-100, 0, 0),
            (1000, 1, 0), (1000, 0, 1000), (-1000, 1, 1000), (-1000, 0, 0),
        ]
        for (logit, target, expected) in cases {
            let loss = binaryCrossEntropy(logits: Tensor([logit]), targets: Tensor([target]))
            XCTAssertTrue(loss.data.allSatisfy { $0.isFinite },
                          "logit \(logit) with target \(target) must give a finite loss, got "
                          + "\(loss.data): use max(x, 0) − x·t + log(1 + e^(−|x|)), where the "
                          + "exponent is never positive")
            assertClose(loss, Tensor(expected),
                        "logit \(logit) with target \(target): expected \(expected)")
        }

        // F.binary_cross_entropy_with_logits(t([100., -100., 1000., -1000.]),
        //                                    t([1., 1., 0., 0.]))
        //   → 275.0 = (0 + 100 + 1000 + 0) / 4
        let batch = binaryCrossEntropy(logits: Tensor([100, -100, 1000, -1000]),
                                       targets: Tensor([1, 1, 0, 0]))
        assertClose(batch, Tensor(275), "(0 + 100 + 1000 + 0) / 4 = 275")
    }

    func test_unit_binaryCrossEntropyLogits_recordsOpWithTargets() {
        let logits = Tensor([3, -2])
        let targets = Tensor([1, 1])
        XCTAssertNil(binaryCrossEntropy(logits: logits, targets: targets).recording,
                     "nothing should be recorded when the logits do not require a gradient")

        logits.requiresGrad = true
        let loss = binaryCrossEntropy(logits: logits, targets: targets)
        assertRecorded(loss, BinaryCrossEntropyWithLogitsOp(targets: [1, 1]), inputs: [logits],
                       "binaryCrossEntropy(logits:targets:)", hint: recordingHint)
        // x = 3, t = 1: 0 + log(1 + e^−3) = 0.048587; x = −2, t = 1: 2 + log(1 + e^−2) = 2.126928
        // mean = 2.175515 / 2 = 1.0877575
        assertClose(loss, Tensor(1.0877575), relative: 1e-5,
                    "(log(1 + e^−3) + 2 + log(1 + e^−2)) / 2")
    }

    // MARK: - CrossEntropy.swift

    func test_unit_crossEntropy_byHand() {
        // Row [2, 1, 0.1], correct class 0. The largest logit is m = 2:
        //   Σ exp(x − m) = e^0 + e^−1 + e^−1.9 = 1 + 0.36788 + 0.14957 = 1.51745
        //   logSumExp = 2 + log 1.51745 = 2 + 0.41703 = 2.41703
        //   loss = logSumExp − x[0] = 2.41703 − 2 = 0.41703
        // F.cross_entropy(t([[2.0, 1.0, 0.1]]), torch.tensor([0]))   → 0.4170299470424652
        let loss = crossEntropy(logits: Tensor([[2, 1, 0.1]]), targets: [0])
        XCTAssertEqual(loss.shape, [], "a loss is a scalar tensor, shape []")
        assertClose(loss, Tensor(0.4170299470424652),
                    "logSumExp([2, 1, 0.1]) − 2 = 2.41703 − 2")

        // All logits equal: every class gets probability 1/10, so the loss is log 10 — the loss a
        // freshly initialised MNIST classifier starts near.
        // F.cross_entropy(torch.zeros(1, 10), torch.tensor([7]))     → 2.3025851249694824
        let uniform = crossEntropy(logits: Tensor.zeros([1, 10]), targets: [7])
        assertClose(uniform, Tensor(2.3025851249694824),
                    "ten equal logits give each class probability 0.1: loss −log 0.1 = log 10")
    }

    func test_unit_crossEntropy_matchesPyTorch() {
        // L = t([[1.5, -0.3, 0.2, 2.1], [0.0, 0.4, -1.2, 0.9], [3.0, 2.5, -0.5, 0.1]])
        // tg = torch.tensor([3, 0, 1])
        // F.cross_entropy(L, tg)                    → 1.08873450756073
        // F.cross_entropy(L, tg, reduction='none')  → [0.58171171, 1.65872741, 1.02576423]
        // The mean is over the 3 rows: (0.58171 + 1.65873 + 1.02576) / 3 = 1.08873.
        let logits = Tensor([[1.5, -0.3, 0.2, 2.1], [0.0, 0.4, -1.2, 0.9], [3.0, 2.5, -0.5, 0.1]])
        let loss = crossEntropy(logits: logits, targets: [3, 0, 1])
        XCTAssertEqual(loss.shape, [], "a loss is a scalar tensor, shape []")
        assertClose(loss, Tensor(1.08873450756073),
                    "crossEntropy on a [3, 4] batch should match PyTorch's F.cross_entropy "
                    + "(the mean over the 3 rows)")

        // One row alone is that row's loss: the middle row, target 0.
        assertClose(crossEntropy(logits: Tensor([[0.0, 0.4, -1.2, 0.9]]), targets: [0]),
                    Tensor(1.65872741), "the loss of the row [0, 0.4, −1.2, 0.9] with target 0")
    }

    func test_unit_crossEntropy_stableOnExtremeLogits() {
        // for row, target in [([1000., 0., -1000.], 0), ([1000., 0., -1000.], 1),
        //                     ([1000., 0., -1000.], 2), ([-1000., -1000., -1000.], 1),
        //                     ([-1000., -1001., -1002.], 0)]:
        //     F.cross_entropy(t([row]), torch.tensor([target]))
        //   → 0.0, 1000.0, 2000.0, 1.0986123085021973, 0.40760594606399536
        // Without the max trick exp(1000) is inf, and exp(−1000) is 0 for every class: log 0.
        // And near ±1000 Floats are 0.00006 apart, so logSumExp = −1000 + log 3 = −998.90137…
        // is rounded; subtracting x[target] = −1000 from it leaves 1.09863, not 1.0986123.
        let cases: [(row: [Float], target: Int, expected: Float)] = [
            ([1000, 0, -1000], 0, 0),
            ([1000, 0, -1000], 1, 1000),
            ([1000, 0, -1000], 2, 2000),
            ([-1000, -1000, -1000], 1, 1.0986123085021973),     // log 3: all equal
            ([-1000, -1001, -1002], 0, 0.40760594606399536),    // log(1 + e^−1 + e^−2)
        ]
        for (row, target, expected) in cases {
            let loss = crossEntropy(logits: Tensor([row]), targets: [target])
            XCTAssertTrue(loss.data.allSatisfy { $0.isFinite },
                          "logits \(row) with target \(target) must give a finite loss, got "
                          + "\(loss.data): subtract the row's largest logit before exp")
            assertClose(loss, Tensor(expected),
                        "logits \(row) with target \(target): expected \(expected) — compute "
                        + "log Σ exp(x − m) − (x[target] − m); adding m back first and then "
                        + "subtracting x[target] rounds the answer when m is near ±1000")
        }

        // F.cross_entropy(t([[1000., 0., -1000.], [-1000., 0., 1000.]]), torch.tensor([0, 0]))
        //   → 1000.0 = (0 + 2000) / 2: each row uses its own maximum.
        let batch = crossEntropy(logits: Tensor([[1000, 0, -1000], [-1000, 0, 1000]]),
                                 targets: [0, 0])
        assertClose(batch, Tensor(1000),
                    "rows with different maxima, both target 0: (0 + 2000) / 2 = 1000")
    }

    func test_unit_crossEntropyDimensions_errorNamesTargetAndRow() {
        do {
            let dimensions = try crossEntropyDimensions(logits: [2, 3], targets: [0, 2])
            XCTAssertEqual(dimensions.batch, 2, "logits [2, 3] hold a batch of 2 rows")
            XCTAssertEqual(dimensions.classes, 3, "logits [2, 3] score 3 classes")
        } catch {
            XCTFail("logits [2, 3] with targets [0, 2] are valid, but the check threw: \(error)")
        }
        assertShapeError(try crossEntropyDimensions(logits: [2, 3], targets: [0, 3]),
                         mentions: ["target 3", "row 1", "[2, 3]"],
                         "class 3 does not exist when there are 3 classes (0, 1, 2)")
        assertShapeError(try crossEntropyDimensions(logits: [3, 4], targets: [-1, 0, 0]),
                         mentions: ["target -1", "row 0", "[3, 4]"],
                         "a class index cannot be negative")
        assertShapeError(try crossEntropyDimensions(logits: [2, 3], targets: [0, 1, 2]),
                         mentions: ["[2, 3]", "2 rows", "3 targets"],
                         "there must be exactly one target per row")
        assertShapeError(try crossEntropyDimensions(logits: [3], targets: [0]),
                         mentions: ["[batch, classes]", "[3]"],
                         "logits must be a matrix, one row of scores per example")
        assertShapeError(try crossEntropyDimensions(logits: [0, 3], targets: []),
                         mentions: ["[0, 3]"], "an empty batch has no mean")
    }

    func test_unit_crossEntropy_recordsOpWithTargetsMaximaAndLogSums() {
        let logits = Tensor([[1.5, -0.3, 0.2, 2.1], [0.0, 0.4, -1.2, 0.9], [3.0, 2.5, -0.5, 0.1]])
        XCTAssertNil(crossEntropy(logits: logits, targets: [3, 0, 1]).recording,
                     "nothing should be recorded when the logits do not require a gradient")

        logits.requiresGrad = true
        let loss = crossEntropy(logits: logits, targets: [3, 0, 1])
        guard let recording = loss.recording else {
            XCTFail("crossEntropy should record its operation when the logits require a gradient")
            return
        }
        XCTAssertTrue(loss.requiresGrad, "a recorded result requires a gradient")
        guard let operation = recording.operation as? CrossEntropyOp else {
            XCTFail("crossEntropy should record a CrossEntropyOp, but recorded "
                    + "\(type(of: recording.operation))")
            return
        }
        XCTAssertEqual(recording.inputs.count, 1, "crossEntropy records one input, the logits")
        XCTAssertTrue(recording.inputs.first === logits,
                      "the recorded input should be the very logits tensor passed in")
        XCTAssertEqual(operation.targets, [3, 0, 1], "CrossEntropyOp should save the targets")
        // m = L.max(dim=1).values            → [2.1, 0.9, 3.0]
        // torch.logsumexp(L - m[:, None], dim=1)
        //   → [0.5817117094993591, 0.7587273716926575, 0.5257642269134521]
        assertClose(operation.maxima, [2.1, 0.9, 3.0], absolute: 0,
                    "CrossEntropyOp should save each row's largest logit m, in row order")
        assertClose(operation.logSumsOfExps, [0.5817117094993591, 0.7587273716926575,
                                              0.5257642269134521],
                    "CrossEntropyOp should save each row's log Σ exp(x − m), in row order")
    }

    func test_unit_crossEntropy_recordsMaximumAndLogSumApartAtLargeLogits() {
        // Logits near 10,000, where neighbouring Floats are 0.001 apart. The loss is log 2 for
        // either target, and lesson 05 rebuilds the softmax [0.5, 0.5] from what is saved here:
        // m = 10000 and log(e^0 + e^0) = log 2 = 0.6931472, exactly. Their sum, the log-sum-exp,
        // would be stored as 10000.6934 (not .6931), and e^(10000 − 10000.6934) is 0.49989.
        // F.cross_entropy(t([[10000., 10000.]]), torch.tensor([0]))   → 0.6931471824645996
        let logits = Tensor([[10000, 10000]])
        logits.requiresGrad = true
        let loss = crossEntropy(logits: logits, targets: [0])
        assertClose(loss, Tensor(0.6931471824645996), "logits [[10000, 10000]]: the loss is log 2")
        guard let operation = loss.recording?.operation as? CrossEntropyOp else {
            XCTFail("crossEntropy should record a CrossEntropyOp when the logits require a "
                    + "gradient")
            return
        }
        assertClose(operation.maxima, [10000], absolute: 0,
                    "maxima: the row's largest logit, 10000")
        assertClose(operation.logSumsOfExps, [0.6931472], relative: 1e-6, absolute: 0,
                    "logSumsOfExps: log Σ exp(x − m) = log(1 + 1) = log 2 — save it apart "
                    + "from m, never as m + log Σ (that rounds log 2 to 0.6934 at m = 10000)")
    }

    func test_unit_crossEntropy_longRowsAddUpInDouble() {
        // One row of 2001 classes: the target's logit is 0, the other 2000 are −17. In Float,
        // 1 + e^−17 = 1 + 4.14e-8 rounds back to 1 (neighbouring Floats near 1 are 1.2e-7
        // apart), so a Float running sum of the exps stays at exactly 1 and the loss comes out
        // 0. Added up in Double: log(1 + 2000 · e^−17) = 8.2795e-5.
        // F.cross_entropy(torch.tensor([[0.] + [-17.] * 2000], dtype=torch.float64),
        //                 torch.tensor([0]))                    → 8.279532678375211e-05
        // (PyTorch's float32 gives 7.2477e-05: its float32 sum is not exact either.)
        let logits = Tensor(shape: [1, 2001], data: [0] + [Float](repeating: -17, count: 2000))
        let loss = crossEntropy(logits: logits, targets: [0])
        assertClose(loss, Tensor(8.279532678375211e-05), relative: 0, absolute: 2e-6,
                    "a row of 2001 logits [0, −17, −17, …] with target 0: log(1 + 2000 · "
                    + "e^−17) = 8.28e-5 — add up Σ exp(x − m) in a Double: in a Float, "
                    + "1 + 4e-8 rounds back to 1 and the loss comes out 0")
    }

    // MARK: - Everything together

    func test_module() {
        // A tiny classifier — one linear layer, 3 features in, 3 classes out — scores a batch of
        // 4 examples; cross-entropy says how wrong it is.
        //
        //   X = t([[1.0, 2.0, 0.5], [0.0, -1.0, 2.0], [3.0, 0.5, -1.0], [1.0, 1.0, 1.0]])
        //   W = t([[0.2, -0.5, 0.1], [0.4, 0.3, -0.2], [-0.3, 0.8, 0.5]])
        //   b = t([0.1, 0.0, -0.1])
        //   logits = X @ W + b   → [[0.95, 0.5, -0.15], [-0.9, 1.3, 1.1],
        //                           [1.2, -2.15, -0.4], [0.4, 0.6, 0.3]]
        //   tg = torch.tensor([0, 2, 1, 2])
        //   F.cross_entropy(logits, tg)                                  → 1.5845175981521606
        //   F.cross_entropy(logits + 2 * F.one_hot(tg, 3).float(), tg)   → 0.5770159959793091
        //   F.cross_entropy(logits + 10 * F.one_hot(tg, 3).float(), tg)  → 0.000442826421931386
        let x = Tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 2.0], [3.0, 0.5, -1.0], [1.0, 1.0, 1.0]])
        let w = Tensor([[0.2, -0.5, 0.1], [0.4, 0.3, -0.2], [-0.3, 0.8, 0.5]])
        let b = Tensor([0.1, 0.0, -0.1])
        w.requiresGrad = true
        let targets = [0, 2, 1, 2]

        let logits = x.matmul(w) + b
        let loss = crossEntropy(logits: logits, targets: targets)
        XCTAssertEqual(loss.shape, [], "the loss of a whole batch is one number")
        assertClose(loss, Tensor(1.5845175981521606),
                    "crossEntropy of the classifier's logits should match PyTorch")
        // Worse than guessing: three equal logits would give log 3 = 1.0986.
        XCTAssertGreaterThan(loss.scalar, 1.0986,
                             "these random weights score worse than a uniform guess (log 3)")

        // Raising the correct class's logit in every row makes the loss smaller, step by step.
        let oneHot = Tensor(shape: [4, 3], data: [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1])
        let better = crossEntropy(logits: logits + oneHot * 2, targets: targets)
        let best = crossEntropy(logits: logits + oneHot * 10, targets: targets)
        assertClose(better, Tensor(0.5770159959793091),
                    "logits + 2 · oneHot(targets) should match PyTorch")
        assertClose(best, Tensor(0.000442826421931386), relative: 1e-4,
                    "logits + 10 · oneHot(targets) should match PyTorch")
        XCTAssertLessThan(better.scalar, loss.scalar,
                          "logits closer to the targets should give a lower loss")
        XCTAssertLessThan(best.scalar, better.scalar,
                          "logits even closer to the targets should give a lower loss still")

        // Because w requires a gradient, the whole chain is recorded: loss ← logits ← matmul.
        XCTAssertTrue(loss.recording?.operation is CrossEntropyOp,
                      "the loss should be recorded as one CrossEntropyOp")
        XCTAssertTrue(loss.recording?.inputs.first === logits,
                      "the loss's recorded input should be the logits")
        XCTAssertTrue(logits.recording?.operation is AddOp,
                      "the logits were made by matmul, then + b")
    }
}
