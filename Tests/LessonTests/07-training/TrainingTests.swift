// Lesson 07: Training. The tests follow the lesson's files in order: Metrics.swift,
// GradientClipping.swift, Trainer.swift, Safetensors.swift, Checkpoint.swift, CSV.swift, then
// everything together (`test_module`).
//
// Expected values are worked out by hand in the comments, or were computed once with PyTorch
// 2.13.0 (CPU, float32) and Python's `safetensors` 0.8.0 (the package Hugging Face maintains,
// whose Rust core writes and checks every safetensors file on the Hub); the Python and its output
// are beside the numbers. Safetensors files for the error tests are built byte by byte in this
// file (`file(_:data:)`), so that the reader is never tested with its own writer alone.
//
// Tolerances follow the policy in Support/Assertions.swift: bytes and copies exactly, a training
// step's arithmetic with the defaults.

import Foundation
import XCTest
import TinyTorchActivations
import TinyTorchAutograd
import TinyTorchLayers
import TinyTorchLosses
import TinyTorchOptimizers
import TinyTorchTensor
import TinyTorchTraining

final class TrainingTests: LessonTestCase {

    // MARK: - Metrics.swift

    func test_unit_accuracy_countsArgmaxAndThresholdHits() {
        // Row maxima at columns 0, 1, 2; the labels 0, 1, 0 → right, right, wrong: 2/3.
        let logits = Tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5]])
        assertClose(accuracy(logits: logits, labels: [0, 1, 0]), 2.0 / 3.0,
                    "accuracy: the argmax of each row is the prediction; 2 of 3 rows are right")
        assertClose(accuracy(logits: logits, labels: [0, 1, 2]), 1, absolute: 0,
                    "accuracy: every row right")
        // A tie goes to the first of the equal values, as torch.argmax: row [1, 1, 0] says 0.
        let tied = Tensor([[1, 1, 0], [-2, -1, -1]])
        assertClose(accuracy(logits: tied, labels: [0, 1]), 1, absolute: 0,
                    "accuracy: with equal logits the first one wins (torch.argmax does the same) "
                    + "— [1, 1, 0] predicts 0 and [-2, -1, -1] predicts 1")
        assertClose(accuracy(logits: tied, labels: [1, 2]), 0, absolute: 0,
                    "accuracy: with equal logits the first one wins, so labels 1 and 2 are wrong")

        // Logits 2.5, -1, 0.3, -0.2 predict 1, 0, 1, 0; the targets are 1, 0, 0, 0: 3/4.
        assertClose(binaryAccuracy(logits: Tensor([[2.5], [-1], [0.3], [-0.2]]),
                                   targets: Tensor([[1], [0], [0], [0]])), 0.75, absolute: 0,
                    "binaryAccuracy: a logit above 0 predicts 1; 3 of 4 are right")
        // A logit of exactly 0 (probability ½) is not above 0: it predicts 0.
        assertClose(binaryAccuracy(logits: Tensor([0, 0]), targets: Tensor([0, 1])), 0.5,
                    absolute: 0, "binaryAccuracy: a logit of exactly 0 predicts 0")
    }

    func test_unit_runningMetrics_weightsByBatchSize() {
        var running = RunningMetrics()
        assertClose(running.loss, 0, absolute: 0, "RunningMetrics: the loss before any batch")
        XCTAssertNil(running.accuracy, "RunningMetrics: no accuracy before any batch")

        running.add(loss: 0.5, accuracy: 1, batchSize: 3)
        running.add(loss: 2, accuracy: 0, batchSize: 1)
        // (0.5·3 + 2·1) / 4 = 0.875, not the plain mean of the batches (1.25).
        assertClose(running.loss, 0.875,
                    "RunningMetrics.loss: the mean per example, each batch weighted by its size")
        // (1·3 + 0·1) / 4 = 0.75.
        XCTAssertNotNil(running.accuracy, "RunningMetrics: every batch had an accuracy")
        assertClose(running.accuracy ?? -1, 0.75,
                    "RunningMetrics.accuracy: the mean per example, weighted by batch size")
        XCTAssertEqual(running.examples, 4, "RunningMetrics.examples: 3 + 1")
        XCTAssertEqual(running.batches, 2, "RunningMetrics.batches: two batches were added")

        running.add(loss: 1, accuracy: nil, batchSize: 4)
        assertClose(running.loss, (0.875 * 4 + 4) / 8, "RunningMetrics.loss after a third batch")
        XCTAssertNil(running.accuracy, "RunningMetrics.accuracy: once a batch comes without an "
                     + "accuracy, the epoch has none")
    }

    // MARK: - GradientClipping.swift

    func test_unit_clipGradientNorm_matchesTorch() {
        // a = torch.zeros(2, requires_grad=True); b = torch.zeros(1, requires_grad=True)
        // c = torch.zeros(3, requires_grad=True)           # no gradient at all
        // a.grad = torch.tensor([3., 4.]); b.grad = torch.tensor([12.])
        // torch.nn.utils.clip_grad_norm_([a, b, c], 1.0)
        // → 13.0; a.grad [0.23076921701431274, 0.307692289352417], b.grad [0.923076868057251]
        let (a, b, c) = (Tensor.zeros([2]).asParameter(), Tensor.zeros([1]).asParameter(),
                         Tensor.zeros([3]).asParameter())
        a.grad = Tensor([3, 4])
        b.grad = Tensor([12])
        assertClose(gradientNorm([a, b, c]), 13,
                    "gradientNorm: √(3² + 4² + 12²) = 13 over all gradients; a nil grad adds 0")
        let total = clipGradientNorm([a, b, c], maxNorm: 1)
        assertClose(total, 13, "clipGradientNorm returns the total norm before clipping")
        assertClose(a.grad?.data ?? [], [0.23076921701431274, 0.307692289352417],
                    "clipGradientNorm: every gradient times maxNorm / (total + 1e-6), as torch")
        assertClose(b.grad?.data ?? [], [0.923076868057251],
                    "clipGradientNorm: every gradient times maxNorm / (total + 1e-6), as torch")
        XCTAssertNil(c.grad, "clipGradientNorm: a parameter without a gradient keeps none")
        assertClose(gradientNorm([a, b, c]), 1, "after clipping the total norm is maxNorm")

        // p.grad = [[1, -2], [3, -4]], q.grad = [0.5, -0.5, 2]; clip_grad_norm_([p, q], 2.5)
        // → 5.8736701011657715; p.grad [[0.4256281852722168, -0.8512563705444336],
        //   [1.2768845558166504, -1.7025127410888672]],
        //   q.grad [0.2128140926361084, -0.2128140926361084, 0.8512563705444336]
        let (p, q) = (Tensor.zeros([2, 2]).asParameter(), Tensor.zeros([3]).asParameter())
        p.grad = Tensor([[1, -2], [3, -4]])
        q.grad = Tensor([0.5, -0.5, 2])
        assertClose(clipGradientNorm([p, q], maxNorm: 2.5), 5.8736701011657715,
                    "clipGradientNorm: √(1 + 4 + 9 + 16 + 0.25 + 0.25 + 4), as torch")
        assertClose(p.grad ?? Tensor(0), Tensor([[0.4256281852722168, -0.8512563705444336],
                                                 [1.2768845558166504, -1.7025127410888672]]),
                    "clipGradientNorm with maxNorm 2.5, as torch")
        assertClose(q.grad?.data ?? [],
                    [0.2128140926361084, -0.2128140926361084, 0.8512563705444336],
                    "clipGradientNorm with maxNorm 2.5, as torch")

        // Short enough already: nothing changes, not even in the last bit.
        let (d, e) = (Tensor.zeros([2]).asParameter(), Tensor.zeros([1]).asParameter())
        d.grad = Tensor([3, 4])
        e.grad = Tensor([12])
        assertClose(clipGradientNorm([d, e], maxNorm: 20), 13,
                    "clipGradientNorm returns the total norm even when it does not clip")
        assertClose(d.grad?.data ?? [], [3, 4], absolute: 0,
                    "clipGradientNorm: gradients shorter than maxNorm stay exactly as they were")
        assertClose(e.grad?.data ?? [], [12], absolute: 0,
                    "clipGradientNorm: gradients shorter than maxNorm stay exactly as they were")
        let zero = Tensor.zeros([2]).asParameter()
        zero.grad = Tensor([0, 0])
        assertClose(clipGradientNorm([zero], maxNorm: 1), 0, absolute: 0,
                    "clipGradientNorm of zero gradients is 0 (the 1e-6 avoids dividing by 0)")
    }

    // MARK: - Trainer.swift

    func test_unit_trainStep_isOneStepByHand() {
        // y = w·x + b with w = 1, b = 0; x = 2, target 5: output 2, loss (2 − 5)² = 9,
        // ∂L/∂w = 2·(2 − 5)·2 = −12, ∂L/∂b = 2·(2 − 5) = −6. SGD, lr 0.1:
        // w = 1 + 1.2 = 2.2, b = 0 + 0.6 = 0.6.
        let layer = unitLayer()
        layer.weight.grad = Tensor([[100]])  // left over from an earlier step: must be cleared
        let trainer = Trainer(model: layer,
                              optimizer: SGD(parameters: layer.parameters(), learningRate: 0.1),
                              loss: meanSquaredError)
        let result = trainer.trainStep(inputs: Tensor([[2]]), targets: Tensor([[5]]))
        assertClose(result.loss, 9, "trainStep returns the loss of the batch before the step")
        XCTAssertNil(result.accuracy, "trainStep: a trainer without an accuracy returns nil")
        assertClose(layer.weight.data, [2.2],
                    "trainStep: after zeroGrad, forward, loss, backward and an SGD step (lr 0.1) "
                    + "the weight 1 becomes 1 + 0.1·12 = 2.2 — if it is much bigger, the old "
                    + "gradient was not cleared with optimizer.zeroGrad() first")
        assertClose(layer.bias?.data ?? [], [0.6], "trainStep: the bias 0 becomes 0 + 0.1·6")
        XCTAssertEqual(trainer.epoch, 0, "trainStep is one step, not an epoch")

        // With clipping at 1: the gradient (−12, −6) has length √180 = 13.4164, so it becomes
        // (−0.894427, −0.447214), and the step w = 1 + 0.0894427, b = 0 + 0.0447214.
        let clipped = unitLayer()
        var accuracyRanWithoutGradients = false
        let clipping = Trainer(
            model: clipped,
            optimizer: SGD(parameters: clipped.parameters(), learningRate: 0.1),
            loss: meanSquaredError,
            accuracy: { _, _ in
                accuracyRanWithoutGradients = !GradientMode.isEnabled
                return 0.25
            },
            gradientClipNorm: 1)
        let clippedResult = clipping.trainStep(inputs: Tensor([[2]]), targets: Tensor([[5]]))
        assertClose(clippedResult.loss, 9, "trainStep with clipping: the loss is unchanged")
        assertClose(clipped.weight.data, [1.0894427],
                    "trainStep with gradientClipNorm 1 clips the gradient (−12, −6) to length 1 "
                    + "between backward() and step()")
        assertClose(clipped.bias?.data ?? [], [0.04472136],
                    "trainStep with gradientClipNorm 1: the bias moves by 0.1 · 6 / √180")
        assertClose(clippedResult.accuracy ?? -1, 0.25,
                    "trainStep returns what the trainer's accuracy function says")
        XCTAssertTrue(accuracyRanWithoutGradients,
                      "trainStep should compute the accuracy inside "
                      + "GradientMode.withoutGradients: it is a measurement, not training")
    }

    func test_unit_trainEpoch_averagesOverExamplesInTrainingMode() {
        // The optimizer here records but does not move anything, so every batch sees w = 1, b = 0:
        // batch 1, x = [1, 2], targets [0, 0]: loss (1 + 4) / 2 = 2.5, accuracy 2/4 (see below)
        // batch 2, x = [3],    target  [1]:    loss (3 − 1)² = 4,      accuracy 1/4
        // epoch: loss (2.5·2 + 4·1) / 3 = 3, accuracy (0.5·2 + 0.25·1) / 3 = 0.416667.
        let layer = unitLayer()
        let probe = ModeProbe()
        let model = Sequential(layer, probe)
        model.eval()  // trainEpoch must switch training mode back on
        let optimizer = RecordingOptimizer(parameters: model.parameters())
        let trainer = Trainer(model: model, optimizer: optimizer, loss: meanSquaredError,
                              accuracy: { outputs, _ in Float(outputs.shape[0]) / 4 })
        let metrics = trainer.trainEpoch(twoBatches())
        assertClose(metrics.loss, 3, "trainEpoch: the epoch's loss is the mean per example, "
                    + "(2.5·2 + 4·1) / 3, not the mean of the batch losses (3.25)")
        assertClose(metrics.accuracy ?? -1, 0.41666667,
                    "trainEpoch: the epoch's accuracy is the mean per example")
        XCTAssertEqual(metrics.examples, 3, "trainEpoch: the two batches hold 2 + 1 examples")
        XCTAssertEqual(metrics.batches, 2, "trainEpoch: two batches")
        XCTAssertGreaterThanOrEqual(metrics.seconds, 0, "trainEpoch measures its time")
        XCTAssertEqual(optimizer.steps, 2, "trainEpoch: one optimizer step per batch")
        XCTAssertEqual(optimizer.zeroGradCalls, 2, "trainEpoch: one zeroGrad per batch")
        XCTAssertEqual(trainer.epoch, 1, "trainEpoch counts the epoch")
        XCTAssertEqual(probe.modesSeen, [true, true],
                       "trainEpoch should call model.train() first: the model was in evaluation "
                       + "mode, and training must run with dropout on")
        XCTAssertTrue(model.isTraining && layer.isTraining,
                      "after trainEpoch the model is in training mode, at every depth")
        trainer.trainEpoch(twoBatches())
        XCTAssertEqual(trainer.epoch, 2, "trainEpoch counts every epoch")

        // Regression: no accuracy function, no accuracy.
        let regression = Trainer(model: unitLayer(),
                                 optimizer: RecordingOptimizer(parameters: []),
                                 loss: meanSquaredError)
        XCTAssertNil(regression.trainEpoch(twoBatches()).accuracy,
                     "trainEpoch: a trainer without an accuracy function reports none")
    }

    func test_unit_trainEpoch_appliesTheSchedulePerEpoch() {
        // StepSchedule(initial: 0.1, stepSize: 2, gamma: 0.5): epochs 0…4 → 0.1, 0.1, 0.05, 0.05,
        // 0.025 (lesson 06). Each epoch has two batches, so each rate is seen by two steps.
        let layer = unitLayer()
        let optimizer = RecordingOptimizer(parameters: layer.parameters())
        let trainer = Trainer(model: layer, optimizer: optimizer, loss: meanSquaredError,
                              schedule: StepSchedule(initial: 0.1, stepSize: 2, gamma: 0.5))
        for _ in 0..<5 {
            trainer.trainEpoch(twoBatches())
        }
        assertClose(optimizer.stepRates, [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05,
                                          0.025, 0.025],
                    "trainEpoch should set optimizer.learningRate = "
                    + "schedule.learningRate(atEpoch: epoch) before the epoch's first step "
                    + "(the learning rate at each of 10 steps)")
        XCTAssertEqual(trainer.epoch, 5, "five epochs were trained")

        // Resuming: setting `epoch` picks the schedule up where it was.
        trainer.epoch = 2
        trainer.trainEpoch(twoBatches())
        assertClose(optimizer.learningRate, 0.05, "after trainer.epoch = 2, the next epoch "
                    + "is epoch 2 and uses the schedule's rate for epoch 2")

        // Without a schedule the optimizer's rate is left alone.
        let fixed = RecordingOptimizer(parameters: layer.parameters())
        fixed.learningRate = 0.3
        Trainer(model: layer, optimizer: fixed, loss: meanSquaredError).trainEpoch(twoBatches())
        assertClose(fixed.stepRates, [0.3, 0.3],
                    "trainEpoch without a schedule keeps the optimizer's learning rate")
    }

    func test_unit_trainEpoch_learnsXOR() {
        // The 1969 problem: no straight line separates XOR, a hidden layer does. 2 → 4 (tanh) →
        // 1, binary cross-entropy, Adam (lr 0.05), full batch, seed 1969: the loss falls from
        // about 0.7 (chance, ln 2 = 0.693) to below 0.05 within 300 epochs.
        var generator = SeededGenerator(seed: 1969)
        let model = Sequential(Linear(inputSize: 2, outputSize: 4, using: &generator), Tanh(),
                               Linear(inputSize: 4, outputSize: 1, using: &generator))
        let trainer = Trainer(model: model,
                              optimizer: Adam(parameters: model.parameters(), learningRate: 0.05),
                              loss: binaryCrossEntropy(logits:targets:),
                              accuracy: binaryAccuracy(logits:targets:))
        let xor = [(inputs: Tensor([[0, 0], [0, 1], [1, 0], [1, 1]]),
                    targets: Tensor([[0], [1], [1], [0]]))]
        let first = trainer.trainEpoch(xor)
        var last = first
        for _ in 1..<300 {
            last = trainer.trainEpoch(xor)
        }
        XCTAssertGreaterThan(first.loss, 0.5, "XOR: the first epoch's loss is near ln 2 = 0.693")
        XCTAssertLessThan(last.loss, 0.05,
                          "XOR: after 300 epochs of trainEpoch with Adam the loss should be below "
                          + "0.05 (it started at \(first.loss))")
        assertClose(trainer.evaluate(xor).accuracy ?? -1, 1, absolute: 0,
                    "XOR: after training every corner should be right")
    }

    func test_unit_evaluate_measuresWithoutChangingAnything() {
        // w = 1, b = 0 and the batches of twoBatches(): loss 3 as in the trainEpoch test — but
        // only if dropout is off; with it on, about half the outputs would be 0 or doubled.
        let layer = unitLayer()
        let dropout = Dropout(probability: 0.5, seed: 7)
        let probe = ModeProbe()
        let model = Sequential(layer, dropout, probe)
        let optimizer = SGD(parameters: model.parameters(), learningRate: 0.1)
        var recorded: [Bool] = []
        var gradientsOn: [Bool] = []
        let trainer = Trainer(
            model: model, optimizer: optimizer,
            loss: { outputs, targets in
                recorded.append(outputs.recording != nil)
                gradientsOn.append(GradientMode.isEnabled)
                return meanSquaredError(outputs, targets)
            },
            schedule: StepSchedule(initial: 0.5, stepSize: 1, gamma: 0.5))
        let metrics = trainer.evaluate(twoBatches())

        assertClose(metrics.loss, 3, "evaluate: the mean loss per example, (2.5·2 + 4·1) / 3, "
                    + "with dropout off (model.eval())")
        XCTAssertNil(metrics.accuracy, "evaluate: no accuracy function, no accuracy")
        XCTAssertEqual(metrics.examples, 3, "evaluate: 2 + 1 examples")
        XCTAssertEqual(metrics.batches, 2, "evaluate: 2 batches")
        XCTAssertEqual(probe.modesSeen, [false, false],
                       "evaluate should put the model in evaluation mode (model.eval())")
        XCTAssertEqual(gradientsOn, [false, false],
                       "evaluate should run inside GradientMode.withoutGradients")
        XCTAssertEqual(recorded, [false, false],
                       "evaluate: the outputs must not record a graph (no recording)")
        assertClose(layer.weight.data, [1], absolute: 0, "evaluate must not change the weights")
        assertClose(layer.bias?.data ?? [], [0], absolute: 0, "evaluate must not change the bias")
        XCTAssertNil(layer.weight.grad, "evaluate must not compute gradients (no backward())")
        assertClose(optimizer.learningRate, 0.1, absolute: 0,
                    "evaluate must not apply the schedule: it is not an epoch of training")
        XCTAssertEqual(trainer.epoch, 0, "evaluate does not count as an epoch")
        XCTAssertTrue(model.isTraining && dropout.isTraining && probe.isTraining,
                      "evaluate puts a model that was training back in training mode")

        model.eval()
        trainer.evaluate(twoBatches())
        XCTAssertFalse(model.isTraining || dropout.isTraining,
                       "evaluate leaves a model that was evaluating in evaluation mode")
    }

    // MARK: - Safetensors.swift

    func test_unit_safetensors_encodeWritesPythonsBytes() throws {
        // from safetensors.numpy import save
        // save({"weight": np.array([[0.5, -1.25, 2.0], [3.5, 0.1, -1e-3]], dtype=np.float32),
        //       "bias": np.array([1.0, -2.0, 0.25, 100.0], dtype=np.float32)},
        //      metadata={"format": "np"})
        // → 200 bytes: 98 00 00 00 00 00 00 00 (the header has 152 bytes), then the header
        //   (151 bytes of JSON and 1 space: 8 + 152 = 160, a multiple of 8), then the data:
        let pythonHeader = #"{"__metadata__":{"format":"np"},"bias":{"dtype":"F32","shape":[4],"#
            + #""data_offsets":[0,16]},"weight":{"dtype":"F32","shape":[2,3],"#
            + #""data_offsets":[16,40]}} "#
        let pythonData: [UInt8] = [
            0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x80, 0x3e, 0x00, 0x00,
            0xc8, 0x42, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0xa0, 0xbf, 0x00, 0x00, 0x00, 0x40,
            0x00, 0x00, 0x60, 0x40, 0xcd, 0xcc, 0xcc, 0x3d, 0x6f, 0x12, 0x83, 0xba,
        ]
        let expected: [UInt8] = [0x98, 0, 0, 0, 0, 0, 0, 0] + Array(pythonHeader.utf8) + pythonData
        let weight = Tensor([[0.5, -1.25, 2.0], [3.5, 0.1, -1e-3]])
        let bias = Tensor([1.0, -2.0, 0.25, 100.0])
        let bytes = try Safetensors.encode([(name: "weight", tensor: weight),
                                            (name: "bias", tensor: bias)],
                                           metadata: ["format": "np"])
        assertSameBytes(bytes, expected, "Safetensors.encode should write the bytes Python's "
                        + "safetensors writes: 8-byte little-endian header length, the JSON "
                        + "header (metadata first, tensors sorted by name, no spaces), spaces up "
                        + "to a multiple of 8, then each tensor's floats little-endian")
        let reordered = try Safetensors.encode([(name: "bias", tensor: bias),
                                                (name: "weight", tensor: weight)],
                                               metadata: ["format": "np"])
        assertSameBytes(reordered, expected,
                        "Safetensors.encode sorts the tensors by name: the order given must not "
                        + "matter")

        // save({}) → 08 00 00 00 00 00 00 00 then "{}" and 6 spaces.
        assertSameBytes(try Safetensors.encode([]), [8, 0, 0, 0, 0, 0, 0, 0]
                        + Array("{}      ".utf8),
                        "Safetensors.encode of no tensors: the header {} padded to 8 bytes")

        // Names that cannot be saved.
        assertCheckpointError(try Safetensors.encode([(name: "", tensor: bias)]),
                              .invalidName(name: "", reason: ""), mentions: ["cannot save"])
        assertCheckpointError(try Safetensors.encode([(name: "__metadata__", tensor: bias)]),
                              .invalidName(name: "__metadata__", reason: ""),
                              mentions: ["__metadata__"])
        assertCheckpointError(try Safetensors.encode([(name: "b", tensor: bias),
                                                      (name: "b", tensor: weight)]),
                              .invalidName(name: "b", reason: ""), mentions: ["\"b\""])
    }

    func test_unit_safetensors_roundTripsThroughAFile() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("round-trip.safetensors")
        let tricky = "naïve \"quoted\" name/with\\slashes\n"
        let tensors: [(name: String, tensor: Tensor)] = [
            (name: "layer.weight", tensor: Tensor([[1.5, -0.0, 3e-38], [-2.25, 1e30, 0.1]])),
            (name: "step", tensor: Tensor(7)),                       // a scalar, shape []
            (name: "empty", tensor: Tensor.zeros([0, 3])),           // no numbers at all
            (name: tricky, tensor: Tensor([42])),
        ]
        let metadata = ["epochs": "3", "note": "two\nlines, é and \"quotes\""]
        try Safetensors.save(tensors, metadata: metadata, to: url)
        let (loaded, loadedMetadata) = try Safetensors.load(url)

        XCTAssertEqual(Set(loaded.keys), Set(tensors.map(\.name)),
                       "Safetensors.load should give back every saved name, escaped names too")
        for (name, tensor) in tensors {
            guard let back = loaded[name] else { continue }
            assertClose(back, tensor, absolute: 0,
                        "Safetensors: tensor \"\(name)\" after save and load (shape and numbers)")
        }
        XCTAssertEqual(loadedMetadata, metadata, "Safetensors: the metadata after save and load")

        // Saving what was loaded gives the very same bytes.
        let original = try [UInt8](Data(contentsOf: url))
        let again = try Safetensors.encode(tensors.compactMap { name, _ in
            loaded[name].map { (name: name, tensor: $0) }
        }, metadata: loadedMetadata)
        assertSameBytes(again, original, "Safetensors: re-saving loaded tensors should give the "
                        + "same bytes")

        // A hand-made file: F64 numbers (NumPy's default) become Floats; the header's fields in
        // another order and spaces around the JSON are fine.
        let f64 = file(#"  { "d" : {"data_offsets":[0,16], "shape":[2], "dtype":"F64"} }  "#,
                       data: doubleBytes([1.5, 0.1]))
        let parsed = try Safetensors.parse(f64, name: "f64")
        assertClose(parsed.tensors["d"] ?? Tensor(0), Tensor([1.5, Float(0.1)]), absolute: 0,
                    "Safetensors.parse: F64 numbers are read as 8 little-endian bytes and "
                    + "converted to Float")
        XCTAssertEqual(parsed.metadata, [:], "Safetensors.parse: no __metadata__, no metadata")
        XCTAssertTrue(try Safetensors.parse(file("{}")).tensors.isEmpty,
                      "Safetensors.parse: {} is a valid file with no tensors")
        XCTAssertEqual(try Safetensors.parse(file(#"{"__metadata__":null}"#)).metadata, [:],
                       "Safetensors.parse: __metadata__ null is read as no metadata, as Python")
    }

    func test_unit_safetensors_loadsPythonFile() throws {
        // Fixtures/python-fixture.safetensors, written by Fixtures/make_fixture.py with
        // Python's safetensors.numpy.save_file:
        //   "weight": [[0.5, -1.25, 2.0], [3.5, 0.1, -1e-3]] (float32, [2, 3])
        //   "bias":   [1.0, -2.0, 0.25, 100.0]                (float32, [4])
        //   metadata {"format": "np", "written_by": "make_fixture.py"}
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/python-fixture.safetensors")
        let (tensors, metadata) = try Safetensors.load(url)
        XCTAssertEqual(tensors.keys.sorted(), ["bias", "weight"],
                       "the Python file holds two tensors, bias and weight")
        assertClose(tensors["weight"] ?? Tensor(0),
                    Tensor([[0.5, -1.25, 2.0], [3.5, 0.1, -1e-3]]), absolute: 0,
                    "the Python file's weight, [2, 3]")
        assertClose(tensors["bias"] ?? Tensor(0), Tensor([1.0, -2.0, 0.25, 100.0]), absolute: 0,
                    "the Python file's bias, [4]")
        XCTAssertEqual(metadata, ["format": "np", "written_by": "make_fixture.py"],
                       "the Python file's __metadata__")
    }

    func test_unit_safetensors_rejectsLyingLengths() throws {
        assertCheckpointError(try Safetensors.parse([], name: "empty.safetensors"),
                              .truncatedLength(file: "empty.safetensors", fileSize: 0),
                              mentions: ["empty.safetensors:", "0 bytes", "8-byte"])
        assertCheckpointError(try Safetensors.parse([1, 2, 3, 4, 5], name: "m"),
                              .truncatedLength(file: "m", fileSize: 5), mentions: ["5 bytes"])
        // A header length of 1,000,000,000 in a file of 812 bytes: compare first, allocate never.
        let lying = littleEndian(1_000_000_000) + [UInt8](repeating: 0x20, count: 804)
        let message = assertCheckpointError(
            try Safetensors.parse(lying, name: "model.safetensors"),
            .truncatedHeader(file: "model.safetensors", headerSize: 1_000_000_000, fileSize: 812),
            mentions: [])
        XCTAssertEqual(message, "model.safetensors: the header says 1,000,000,000 bytes of JSON "
                       + "but the file has 812 bytes — truncated or not a safetensors file",
                       "the message for a lying header length")
        // The largest length there is: 2⁶⁴ − 1. Adding 8 to it would overflow.
        assertCheckpointError(try Safetensors.parse(littleEndian(UInt64.max) + Array("{}".utf8),
                                                    name: "m"),
                              .truncatedHeader(file: "m", headerSize: UInt64.max, fileSize: 10),
                              mentions: ["18,446,744,073,709,551,615"])
        // One byte more than the file has.
        assertCheckpointError(try Safetensors.parse(littleEndian(3) + Array("{}".utf8), name: "m"),
                              .truncatedHeader(file: "m", headerSize: 3, fileSize: 10),
                              mentions: ["3 bytes"])
        // Above the limit (lowered to 16 bytes here; test_unit_safetensors_refusesAHugeHeader
        // tries the real one).
        let valid = file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                         data: floatBytes([1]))
        assertCheckpointError(try Safetensors.parse(valid, name: "m", maximumHeaderSize: 16),
                              .headerTooLarge(file: "m", headerSize: 54, limit: 16),
                              mentions: ["54", "16"])
        // No file at all.
        let folder = try temporaryFolder()
        assertCheckpointError(try Safetensors.load(folder.appendingPathComponent("gone.st")),
                              .fileNotFound(file: "gone.st", directory: folder.path),
                              mentions: ["gone.st"])
    }

    func test_unit_safetensors_rejectsBadHeaders() {
        func check(_ header: String, data: [UInt8] = floatBytes([1]),
                   _ expected: CheckpointError, mentions: [String],
                   line: UInt = #line) {
            assertCheckpointError(try Safetensors.parse(file(header, data: data), name: "h"),
                                  expected, mentions: ["h:"] + mentions, line: line)
        }
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        check("not json", .invalidHeader(file: "h", reason: ""), mentions: ["JSON"])
        check(#"{"a":"#, .invalidHeader(file: "h", reason: ""), mentions: ["JSON"])
        check("[1, 2]", .invalidHeader(file: "h", reason: ""), mentions: ["array"])
        assertCheckpointError(try Safetensors.parse(littleEndian(4) + [0x7B, 0xFF, 0xFE, 0x7D],
                                                    name: "h"),
                              .invalidHeader(file: "h", reason: ""), mentions: ["h:"])
        check(#"{"a":"F32"}"#, .invalidEntry(file: "h", tensor: "a", reason: ""),
              mentions: ["tensor \"a\""])
        check(#"{"a":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#,
              .invalidEntry(file: "h", tensor: "a", reason: ""), mentions: ["dtype"])
        check(#"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#,
              .invalidEntry(file: "h", tensor: "a", reason: ""), mentions: ["shape"])
        for shape in ["[-1]", "[2.5]", "[2.0]", "[1e0]", #"["1"]"#, "[true]", "4", "null"] {
            check(#"{"a":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,4]}}"#,
                  .invalidEntry(file: "h", tensor: "a", reason: ""), mentions: ["shape"])
        }
        for offsets in ["[0]", "[0,4,4]", #"[0,"4"]"#, "[-4,0]", "[0,4.5]", "[0,4e0]", "{}", "[]",
                        "[0,18446744073709551616]"] {
            check(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":"# + offsets + "}}",
                  .invalidEntry(file: "h", tensor: "a", reason: ""), mentions: ["data_offsets"])
        }
        check(#"{"__metadata__":{"format":1},"a":"# + entry + "}",
              .invalidMetadata(file: "h", reason: ""), mentions: ["__metadata__"])
        check(#"{"__metadata__":["format"],"a":"# + entry + "}",
              .invalidMetadata(file: "h", reason: ""), mentions: ["__metadata__"])
        for dtype in ["I64", "F16", "BF16", "U8", "BOOL", "f32", ""] {
            check(#"{"a":{"dtype":""# + dtype + #"","shape":[1],"data_offsets":[0,4]}}"#,
                  .unsupportedDtype(file: "h", tensor: "a", dtype: dtype),
                  mentions: ["\"\(dtype)\"", "F32"])
        }
    }

    func test_unit_safetensors_refusesDeepNesting() {
        // A header needs 3 levels — {"a": {"shape": [2]}} — and JSONValue.parse stops at the
        // 4th "[" or "{" it opens, having read no further. (Foundation's JSONDecoder, which this
        // lesson used before, took half a minute for the 20 keys of 500 nested arrays below.)
        func check(_ header: String, mentions: [String], line: UInt = #line) {
            assertCheckpointError(try Safetensors.parse(file(header, data: floatBytes([1])),
                                                        name: "deep"),
                                  .invalidHeader(file: "deep", reason: ""),
                                  mentions: ["deep:", "the header"] + mentions, line: line)
        }
        check(#"{"a":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}}"#,
              mentions: ["more than 3 deep", "offset 29"])
        check(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":{"y":{}}}}"#,
              mentions: ["more than 3 deep", "offset 62"])
        check("[[[[]]]]", mentions: ["more than 3 deep", "offset 3"])
        let nested = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        check("{" + (0..<20).map { #""k\#($0)":"# + nested }.joined(separator: ",") + "}",
              mentions: ["more than 3 deep", "offset 8"])
        check(#"{"a":{"shape":[[]]}}"#, mentions: ["more than 3 deep", "offset 15"])
        // 3 levels are JSON the reader accepts; what is wrong here is the entry's fields.
        assertCheckpointError(try Safetensors.parse(file(#"{"a":{"shape":[]}}"#), name: "d"),
                              .invalidEntry(file: "d", tensor: "a", reason: ""),
                              mentions: ["dtype"])
        // A name given twice is refused too: which of the two entries would the tensor be?
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        check(#"{"a":"# + entry + #","a":"# + entry + "}", mentions: [#""a" twice"#])
    }

    func test_unit_safetensors_refusesAHugeHeader() throws {
        XCTAssertEqual(Safetensors.maximumHeaderSize, 4_000_000,
                       "the header limit is 4 MB: some 40,000 tensors, and every header up to it "
                       + "parses quickly in little memory")
        // A header of exactly 4 MB — one tensor, then spaces, as the format pads — is read; one
        // byte more is refused before any of it is parsed.
        let json = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let padded = json + String(repeating: " ",
                                   count: Safetensors.maximumHeaderSize - json.utf8.count)
        let atLimit = try Safetensors.parse(file(padded, data: floatBytes([1.5])), name: "big")
        assertClose(atLimit.tensors["a"] ?? Tensor(0), Tensor([1.5]), absolute: 0,
                    "a header of exactly maximumHeaderSize bytes is read")
        assertCheckpointError(try Safetensors.parse(file(padded + " ", data: floatBytes([1.5])),
                                                    name: "big"),
                              .headerTooLarge(file: "big", headerSize: 4_000_001, limit: 4_000_000),
                              mentions: ["big:", "4,000,001", "4,000,000"])
        // The 23 MB header of 400,000 tensors that once took 24 s and 483 MB: refused at once.
        let huge = littleEndian(23_600_001) + [UInt8](repeating: 0x20, count: 23_600_001)
        assertCheckpointError(try Safetensors.parse(huge, name: "huge"),
                              .headerTooLarge(file: "huge", headerSize: 23_600_001,
                                              limit: 4_000_000),
                              mentions: ["23,600,001"])
        // 20,000 tensors of no numbers each (all at offset 0, which is valid) and one of two.
        var entries = (0..<20_000).map {
            #""t\#($0)":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}"#
        }
        entries.append(#""w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#)
        let many = try Safetensors.parse(file("{" + entries.joined(separator: ",") + "}",
                                              data: floatBytes([2, 3])), name: "many")
        XCTAssertEqual(many.tensors.count, 20_001,
                       "a header of 20,001 tensors gives 20,001 tensors")
        XCTAssertEqual(many.tensors["t19999"]?.shape, [0], "tensor t19999 has shape [0]")
        assertClose(many.tensors["w"] ?? Tensor(0), Tensor([2, 3]), absolute: 0,
                    "tensor w among 20,000 others")
    }

    func test_unit_safetensors_rejectsLyingOffsets() {
        func check(_ header: String, data: [UInt8], _ expected: CheckpointError,
                   mentions: [String] = [], line: UInt = #line) {
            assertCheckpointError(try Safetensors.parse(file(header, data: data), name: "o"),
                                  expected, mentions: ["o:"] + mentions, line: line)
        }
        let eight = [UInt8](repeating: 0, count: 8)
        // Past the end of the data section, which holds 4 bytes.
        check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floatBytes([1]),
              .offsetsOutOfRange(file: "o", tensor: "a", begin: 0, end: 8, dataSize: 4),
              mentions: ["[0, 8]", "4 bytes"])
        // Far past it: an offset near Int.max must not overflow anything.
        check(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775803,"#
              + "9223372036854775807]}}", data: eight,
              .offsetsOutOfRange(file: "o", tensor: "a", begin: 9_223_372_036_854_775_803,
                                 end: 9_223_372_036_854_775_807, dataSize: 8))
        // Begin after end.
        check(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: eight,
              .offsetsOutOfRange(file: "o", tensor: "a", begin: 8, end: 0, dataSize: 8))
        // Shape × dtype size ≠ end − begin: 3 F32s need 12 bytes, 2 F64s need 16.
        check(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: eight,
              .sizeMismatch(file: "o", tensor: "a", dtype: "F32", shape: [3], expected: 12,
                            found: 8), mentions: ["12 bytes", "8 bytes"])
        check(#"{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#, data: eight,
              .sizeMismatch(file: "o", tensor: "a", dtype: "F64", shape: [2], expected: 16,
                            found: 8))
        // 2³² · 2³² = 2⁶⁴ numbers: the count overflows an Int; the reader must notice.
        check(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#,
              data: eight, .invalidEntry(file: "o", tensor: "a", reason: ""),
              mentions: ["shape"])
        // 2⁶² numbers of 4 bytes: the byte count overflows.
        check(#"{"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,8]}}"#,
              data: eight, .invalidEntry(file: "o", tensor: "a", reason: ""),
              mentions: ["shape"])
        // Two tensors sharing bytes 4..<8.
        check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
              + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
              data: floatBytes([1, 2, 3]),
              .overlappingTensors(file: "o", first: "a", second: "b"), mentions: ["\"a\"", "\"b\""])
        // A gap before the only tensor, and bytes after it.
        check(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight,
              .unusedBytes(file: "o", begin: 0, end: 4), mentions: ["0..<4"])
        check(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: eight,
              .unusedBytes(file: "o", begin: 4, end: 8), mentions: ["4..<8"])
        check("{}", data: [1], .unusedBytes(file: "o", begin: 0, end: 1))
        // Empty tensors take no bytes and may sit anywhere a tensor starts — valid, as in Python.
        XCTAssertNoThrow(try Safetensors.parse(file(
            #"{"e":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]},"#
            + #""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: eight)),
            "a tensor of 0 numbers with data_offsets [0, 0] next to another is valid")
    }

    func test_unit_safetensors_neverTrapsOnDamagedFiles() {
        // A small fuzzer (the lesson's libFuzzer target tries millions): damaged copies of a good
        // file, plausible headers with random numbers, and plain random bytes. Every input must
        // give either consistent tensors or a CheckpointError — never stop the program.
        var generator = SeededGenerator(seed: 7)
        let header = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"#
            + #""data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}"#
        let good = file(header, data: floatBytes([1, 2]) + doubleBytes([3]))
        let numbers = ["0", "1", "2", "8", "16", "-1", "1e3", "4294967296", "9223372036854775807",
                       "18446744073709551616", "0.5", "null", "[]", "\"x\""]
        var parsed = 0
        for trial in 0..<3000 {
            var bytes: [UInt8]
            switch trial % 4 {
            case 0:  // a byte changed, then perhaps cut short
                bytes = good
                bytes[generator.nextInt(below: bytes.count)] = randomByte(&generator)
                bytes = Array(bytes.prefix(generator.nextInt(below: bytes.count + 1)))
            case 1:  // every number in the header replaced by a random one
                var text = ""
                for character in header {
                    if character.isNumber && generator.nextInt(below: 3) == 0 {
                        text += numbers[generator.nextInt(below: numbers.count)]
                    } else {
                        text.append(character)
                    }
                }
                bytes = file(text, data: floatBytes([1, 2]) + doubleBytes([3]))
            case 2:  // a random header length in front of the good header
                let length = generator.nextInt(below: 2) == 0
                    ? UInt64(generator.nextInt(below: 200)) : generator.next()
                bytes = littleEndian(length) + Array(good.dropFirst(8))
            default:  // anything at all
                bytes = (0..<generator.nextInt(below: 64)).map { _ in randomByte(&generator) }
            }
            do {
                let result = try Safetensors.parse(bytes, name: "fuzz")
                parsed += 1
                let total = result.tensors.values.reduce(0) { $0 + $1.count }
                for (name, tensor) in result.tensors
                where tensor.data.count != tensor.shape.reduce(1, *) || total * 4 > bytes.count {
                    return XCTFail("input \(bytes) gave tensor \"\(name)\" of shape "
                                   + "\(tensor.shape) with \(tensor.data.count) numbers: more "
                                   + "numbers than the file has, or not its shape's count")
                }
            } catch is CheckpointError {
                continue
            } catch {
                return XCTFail("input \(bytes): Safetensors.parse should throw only "
                               + "CheckpointError, got \(type(of: error)): \(error)")
            }
        }
        XCTAssertGreaterThan(parsed, 0, "some inputs are valid safetensors files and should parse")
    }

    // MARK: - Checkpoint.swift

    func test_unit_namedParameters_followPyTorchNames() {
        var generator = SeededGenerator(seed: 3)
        let model = Sequential(Linear(inputSize: 2, outputSize: 3, using: &generator), ReLU(),
                               Linear(inputSize: 3, outputSize: 1, using: &generator))
        // torch: [n for n, _ in nn.Sequential(nn.Linear(2, 3), nn.ReLU(),
        //                                     nn.Linear(3, 1)).named_parameters()]
        // → ['0.weight', '0.bias', '2.weight', '2.bias']
        let named = model.namedParameters()
        XCTAssertEqual(named.map(\.name), ["0.weight", "0.bias", "2.weight", "2.bias"],
                       "namedParameters of a Sequential: the layer's position, a dot, the "
                       + "property name — as PyTorch names nn.Sequential's parameters")
        XCTAssertTrue(zip(named.map(\.tensor), model.parameters()).allSatisfy { $0 === $1 }
                      && named.count == model.parameters().count,
                      "namedParameters gives the very tensors of parameters(), in its order")

        let encoder = Encoder(using: &generator)
        let expected = ["scale", "embed.weight", "embed.bias", "blocks.0.weight", "blocks.0.bias",
                        "blocks.1.weight", "blocks.1.bias", "head.0.weight", "head.0.bias",
                        "head.2.weight"]
        let names = encoder.namedParameters()
        XCTAssertEqual(names.map(\.name), expected,
                       "namedParameters: own parameters first (a constant tensor and a nil "
                       + "optional are skipped), then each child module's under its property "
                       + "name, array elements by index, a Sequential's layers by position, and "
                       + "the layer stored twice (again = embed) only once")
        let parameters = encoder.parameters()
        XCTAssertTrue(names.count == parameters.count
                      && zip(names.map(\.tensor), parameters).allSatisfy { $0 === $1 },
                      "namedParameters gives the very tensors of parameters(), in its order")
    }

    func test_unit_moduleSave_andLoadRestoreEveryParameter() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("model.safetensors")
        var generator = SeededGenerator(seed: 1)
        let trained = Sequential(Linear(inputSize: 2, outputSize: 3, using: &generator), ReLU(),
                                 Linear(inputSize: 3, outputSize: 1, using: &generator))
        trained.parameters()[1].data = [0.5, -0.5, 0.25]  // a bias that is not all zeros
        try trained.save(to: url, metadata: ["epochs": "12"])

        let (tensors, metadata) = try Safetensors.load(url)
        XCTAssertEqual(tensors.keys.sorted(), ["0.bias", "0.weight", "2.bias", "2.weight"],
                       "model.save writes every parameter under its name from namedParameters")
        XCTAssertEqual(metadata, ["epochs": "12"], "model.save writes the metadata")

        let fresh = Sequential(Linear(inputSize: 2, outputSize: 3, using: &generator), ReLU(),
                               Linear(inputSize: 3, outputSize: 1, using: &generator))
        let before = fresh.parameters()
        let loadedMetadata = try fresh.load(from: url)
        XCTAssertEqual(loadedMetadata, ["epochs": "12"], "model.load returns the file's metadata")
        for (index, (loaded, saved)) in zip(fresh.parameters(), trained.parameters()).enumerated() {
            assertClose(loaded, saved, absolute: 0, "model.load: parameter \(index)")
        }
        XCTAssertTrue(zip(before, fresh.parameters()).allSatisfy { $0 === $1 },
                      "model.load copies into each parameter's data: the parameters stay the "
                      + "same tensors, the ones an optimizer already holds")
    }

    func test_unit_moduleLoad_rejectsAFileOfAnotherModel() throws {
        var generator = SeededGenerator(seed: 2)
        let model = Sequential(Linear(inputSize: 2, outputSize: 3, using: &generator), ReLU(),
                               Linear(inputSize: 3, outputSize: 1, using: &generator))
        let snapshot = model.parameters().map(\.data)
        func good() -> [String: Tensor] {
            ["0.weight": Tensor.ones([2, 3]), "0.bias": Tensor.ones([3]),
             "2.weight": Tensor.ones([3, 1]), "2.bias": Tensor.ones([1])]
        }
        func assertUnchanged(_ what: String, line: UInt = #line) {
            for (index, parameter) in model.parameters().enumerated() {
                assertClose(parameter.data, snapshot[index], absolute: 0,
                            "\(what): a failed load must leave every parameter as it was — check "
                            + "everything before copying anything (parameter \(index))",
                            line: line)
            }
        }

        var missing = good()
        missing["2.bias"] = nil
        assertCheckpointError(try model.loadParameters(missing, file: "m.safetensors"),
                              .missingTensor(file: "m.safetensors", name: "2.bias",
                                             available: ["0.bias", "0.weight", "2.weight"]),
                              mentions: ["m.safetensors:", "\"2.bias\""])
        assertUnchanged("a missing tensor")

        var misshaped = good()
        misshaped["2.weight"] = Tensor.ones([1, 3])
        assertCheckpointError(try model.loadParameters(misshaped, file: "m.safetensors"),
                              .shapeMismatch(file: "m.safetensors", name: "2.weight",
                                             expected: [3, 1], found: [1, 3]),
                              mentions: ["\"2.weight\"", "[1, 3]", "[3, 1]"])
        assertUnchanged("a tensor of the wrong shape")

        var extra = good()
        extra["4.weight"] = Tensor.ones([1, 1])
        assertCheckpointError(try model.loadParameters(extra, file: "m.safetensors"),
                              .unexpectedTensor(file: "m.safetensors", name: "4.weight"),
                              mentions: ["\"4.weight\""])
        assertUnchanged("an extra tensor")

        // Through a file: a model with a bigger hidden layer saved, this one loading it.
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("bigger.safetensors")
        let bigger = Sequential(Linear(inputSize: 2, outputSize: 5, using: &generator), ReLU(),
                                Linear(inputSize: 5, outputSize: 1, using: &generator))
        try bigger.save(to: url)
        assertCheckpointError(try model.load(from: url),
                              .shapeMismatch(file: "bigger.safetensors", name: "0.weight",
                                             expected: [2, 3], found: [2, 5]),
                              mentions: ["bigger.safetensors:", "\"0.weight\""])
        assertUnchanged("a file of a bigger model")

        XCTAssertNoThrow(try model.loadParameters(good(), file: "m.safetensors"),
                         "loadParameters with every name and shape right")
        assertClose(model.parameters()[0].data, [1, 1, 1, 1, 1, 1], absolute: 0,
                    "loadParameters copies the file's numbers into the parameters")
    }

    // MARK: - CSV.swift

    func test_unit_parseCSV_readsHeaderAndRows() throws {
        // A byte-order mark, spaces around fields, Windows line ends, blank lines.
        let text = "\u{FEFF}hour, temperature ,rentals\r\n8,21.5,412\r\n\r\n 17 , -3, 3.88e2\r\n\n"
        let table = try parseCSV(text, name: "bikes.csv")
        XCTAssertEqual(table.name, "bikes.csv", "parseCSV keeps the file name")
        XCTAssertEqual(table.columns, ["hour", "temperature", "rentals"],
                       "parseCSV: the header's names, trimmed (and without the byte-order mark)")
        XCTAssertEqual(table.rows.count, 2, "parseCSV: two rows; blank lines are skipped")
        assertClose(table.rows.flatMap { $0 }, [8, 21.5, 412, 17, -3, 388], absolute: 0,
                    "parseCSV: the numbers, row by row")

        let selected = try table.tensor(columns: ["rentals", "hour"])
        assertClose(selected, Tensor([[412, 8], [388, 17]]), absolute: 0,
                    "tensor(columns:) stacks the named columns, in the order asked for")
        assertCSVError(try table.tensor(columns: ["hour", "weekday"]),
                       .unknownColumn(file: "bikes.csv", name: "weekday",
                                      available: ["hour", "temperature", "rentals"]),
                       mentions: ["\"weekday\"", "temperature"])

        let headerOnly = try parseCSV("a,b\n", name: "h.csv")
        XCTAssertEqual(headerOnly.rows.count, 0, "parseCSV: a header and no rows is 0 rows")
        XCTAssertEqual(try headerOnly.tensor(columns: ["b"]).shape, [0, 1],
                       "tensor(columns:) of 0 rows has shape [0, columns]")
    }

    func test_unit_parseCSV_errorsNameTheLine() throws {
        // Lines count from 1, blank lines included, as an editor shows them.
        let text = "a,b,c\n1,2,3\n\n4,5\n"
        assertCSVError(try parseCSV(text, name: "t.csv"),
                       .wrongFieldCount(file: "t.csv", line: 4, expected: 3, found: 2),
                       mentions: ["t.csv, line 4", "2 fields", "3 columns"])
        assertCSVError(try parseCSV("a,b,c\n1,2,3\n4,5,6,7", name: "t.csv"),
                       .wrongFieldCount(file: "t.csv", line: 3, expected: 3, found: 4),
                       mentions: ["line 3"])
        assertCSVError(try parseCSV("a,b,c\n1,2,3\n\n\n4,n/a,6\n", name: "t.csv"),
                       .notANumber(file: "t.csv", line: 5, column: "b", field: "n/a"),
                       mentions: ["t.csv, line 5, column \"b\"", "\"n/a\""])
        assertCSVError(try parseCSV("a,b\r\n1,\r\n", name: "t.csv"),
                       .notANumber(file: "t.csv", line: 2, column: "b", field: ""),
                       mentions: ["line 2", "empty"])
        for field in ["nan", "inf", "-inf", "1e39", "\"3\"", "12abc"] {
            assertCSVError(try parseCSV("x\n\(field)\n", name: "t.csv"),
                           .notANumber(file: "t.csv", line: 2, column: "x", field: field),
                           mentions: ["line 2"])
        }
        assertCSVError(try parseCSV("", name: "e.csv"), .empty(file: "e.csv"),
                       mentions: ["e.csv", "header"])
        assertCSVError(try parseCSV("\n  \n", name: "e.csv"), .empty(file: "e.csv"),
                       mentions: ["e.csv"])
        assertCSVError(try parseCSV("\na,,c\n1,2,3\n", name: "h.csv"),
                       .invalidHeader(file: "h.csv", line: 2, reason: ""),
                       mentions: ["h.csv, line 2", "column 2"])
        assertCSVError(try parseCSV("a,b,a\n1,2,3\n", name: "h.csv"),
                       .invalidHeader(file: "h.csv", line: 1, reason: ""),
                       mentions: ["\"a\""])

        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("data.csv")
        try Data("x,y\n1,2\n3,oops\n".utf8).write(to: url)
        assertCSVError(try readCSV(url),
                       .notANumber(file: "data.csv", line: 3, column: "y", field: "oops"),
                       mentions: ["data.csv, line 3"])
        assertCSVError(try readCSV(folder.appendingPathComponent("none.csv")),
                       .fileNotFound(file: "none.csv", directory: folder.path),
                       mentions: ["none.csv"])
    }

    // MARK: - Everything together

    func test_module() throws {
        // Three clusters of points in the plane, one class each; 240 to learn from, 90 held out.
        // A 2 → 16 → 3 network with dropout, trained by Trainer with Adam, a cosine schedule and
        // clipping, then saved and loaded into a fresh network, which must predict the same.
        var generator = SeededGenerator(seed: 2024)
        let centres: [(Float, Float)] = [(-2, 0), (2, 1), (0, -2.5)]
        func points(_ count: Int) -> (x: Tensor, labels: [Int]) {
            var data: [Float] = []
            var labels: [Int] = []
            for index in 0..<count {
                let label = index % 3
                data += [centres[label].0 + generator.nextNormal(standardDeviation: 0.7),
                         centres[label].1 + generator.nextNormal(standardDeviation: 0.7)]
                labels.append(label)
            }
            return (Tensor(shape: [count, 2], data: data), labels)
        }
        let training = points(240)
        let heldOut = points(90)
        func batches(of set: (x: Tensor, labels: [Int]), size: Int, shuffled: Bool)
            -> [(inputs: Tensor, targets: [Int])] {
            var order = Array(0..<set.labels.count)
            if shuffled { generator.shuffle(&order) }
            return stride(from: 0, to: order.count, by: size).map { start in
                let indices = order[start..<min(start + size, order.count)]
                return (inputs: Tensor(shape: [indices.count, 2],
                                       data: indices.flatMap { set.x.data[2 * $0 ..< 2 * $0 + 2] }),
                        targets: indices.map { set.labels[$0] })
            }
        }
        func makeModel(seed: UInt64) -> Sequential {
            var modelGenerator = SeededGenerator(seed: seed)
            return Sequential(
                Linear(inputSize: 2, outputSize: 16, initialization: .he, using: &modelGenerator),
                ReLU(), Dropout(probability: 0.1, seed: seed),
                Linear(inputSize: 16, outputSize: 3, using: &modelGenerator))
        }

        let model = makeModel(seed: 1)
        let trainer = Trainer(model: model,
                              optimizer: Adam(parameters: model.parameters(), learningRate: 0.05),
                              loss: crossEntropy(logits:targets:),
                              accuracy: accuracy(logits:labels:),
                              schedule: CosineSchedule(initial: 0.05, minimum: 0.005,
                                                       totalEpochs: 8),
                              gradientClipNorm: 5)
        let testBatches = batches(of: heldOut, size: 30, shuffled: false)
        let before = trainer.evaluate(testBatches)
        var epochs: [EpochMetrics] = []
        for _ in 0..<8 {
            epochs.append(trainer.trainEpoch(batches(of: training, size: 32, shuffled: true)))
        }
        let after = trainer.evaluate(testBatches)
        XCTAssertEqual(epochs.map(\.examples), [Int](repeating: 240, count: 8),
                       "each epoch sees all 240 training examples")
        XCTAssertEqual(epochs[0].batches, 8, "240 examples in batches of 32: 8 batches")
        XCTAssertLessThan(epochs[7].loss, epochs[0].loss / 2,
                          "the training loss should fall by more than half over 8 epochs "
                          + "(from \(epochs[0].loss) to \(epochs[7].loss))")
        XCTAssertLessThan(after.loss, before.loss, "the held-out loss should fall with training")
        XCTAssertGreaterThan(after.accuracy ?? 0, 0.9,
                             "the three clusters are well apart: more than 90% of the held-out "
                             + "points should be right (before training: \(before.accuracy ?? 0))")
        XCTAssertEqual(trainer.epoch, 8, "eight epochs")

        // Save, load into a network started from other random numbers, compare.
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("clusters.safetensors")
        try model.save(to: url, metadata: ["epochs": "\(trainer.epoch)"])
        let restored = makeModel(seed: 99)
        let metadata = try restored.load(from: url)
        XCTAssertEqual(metadata["epochs"], "8", "the metadata saved with the model comes back")
        model.eval()
        restored.eval()
        let (original, reloaded) = GradientMode.withoutGradients {
            (model(heldOut.x), restored(heldOut.x))
        }
        assertClose(reloaded, original, absolute: 0,
                    "a model loaded from the checkpoint should predict exactly as the one saved")
        let restoredTrainer = Trainer(model: restored,
                                      optimizer: SGD(parameters: restored.parameters(),
                                                     learningRate: 0.1),
                                      loss: crossEntropy(logits:targets:),
                                      accuracy: accuracy(logits:labels:))
        let check = restoredTrainer.evaluate(testBatches)
        assertClose(check.loss, after.loss, "the loaded model's held-out loss")
        assertClose(check.accuracy ?? -1, after.accuracy ?? -2, absolute: 0,
                    "the loaded model's held-out accuracy")
    }

    // MARK: - Helpers

    /// A Linear(1 → 1) layer with weight 1 and bias 0: y = x.
    private func unitLayer() -> Linear {
        var generator = SeededGenerator(seed: 0)
        let layer = Linear(inputSize: 1, outputSize: 1, using: &generator)
        layer.weight.data = [1]
        layer.bias?.data = [0]
        return layer
    }

    /// Two batches for a 1 → 1 model: x = [1, 2] with targets [0, 0], then x = [3] with [1].
    private func twoBatches() -> [(inputs: Tensor, targets: Tensor)] {
        [(inputs: Tensor([[1], [2]]), targets: Tensor([[0], [0]])),
         (inputs: Tensor([[3]]), targets: Tensor([[1]]))]
    }

    /// A new, empty folder, removed when the test ends.
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("TrainingTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// Compares bytes; on failure shows where they first differ, with the text around it.
    private func assertSameBytes(
        _ actual: [UInt8], _ expected: [UInt8], _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard actual != expected else { return }
        let common = min(actual.count, expected.count)
        let first = (0..<common).first { actual[$0] != expected[$0] } ?? common
        func around(_ bytes: [UInt8]) -> String {
            let window = bytes[max(0, first - 12)..<min(bytes.count, first + 12)]
            return String(decoding: window.map { (32...126).contains($0) ? $0 : 0x2E },
                          as: UTF8.self)
                + "  (" + window.map { String(format: "%02x", $0) }.joined(separator: " ") + ")"
        }
        XCTFail("\(message): \(expected.count) bytes expected, got \(actual.count); they first "
                + "differ at byte \(first): expected …\(around(expected))…, got "
                + "…\(around(actual))…", file: file, line: line)
    }

    /// Checks that `expression` throws `expected` — the same case with the same values, except
    /// that a `reason` (free text) is not compared — and that the message mentions every
    /// fragment. Returns the message.
    @discardableResult
    private func assertCheckpointError<Result>(
        _ expression: @autoclosure () throws -> Result, _ expected: CheckpointError,
        mentions fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) -> String {
        do {
            _ = try expression()
            XCTFail("expected \(describe(expected)), but nothing was thrown",
                    file: file, line: line)
        } catch let error as CheckpointError {
            guard sameCase(error, expected) else {
                XCTFail("expected \(describe(expected)), but got \(describe(error)): \"\(error)\"",
                        file: file, line: line)
                return error.description
            }
            for fragment in fragments where !error.description.contains(fragment) {
                XCTFail("the message should mention \"\(fragment)\", but it says: \"\(error)\"",
                        file: file, line: line)
            }
            return error.description
        } catch {
            XCTFail("expected \(describe(expected)), but got \(type(of: error)): \(error)",
                    file: file, line: line)
        }
        return ""
    }

    /// `assertCheckpointError` for `CSVError`.
    private func assertCSVError<Result>(
        _ expression: @autoclosure () throws -> Result, _ expected: CSVError,
        mentions fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try expression()
            XCTFail("expected \(describe(expected)), but nothing was thrown",
                    file: file, line: line)
        } catch let error as CSVError {
            guard sameCase(error, expected) else {
                return XCTFail("expected \(describe(expected)), but got \(describe(error)): "
                               + "\"\(error)\"", file: file, line: line)
            }
            for fragment in fragments where !error.description.contains(fragment) {
                XCTFail("the message should mention \"\(fragment)\", but it says: \"\(error)\"",
                        file: file, line: line)
            }
        } catch {
            XCTFail("expected \(describe(expected)), but got \(type(of: error)): \(error)",
                    file: file, line: line)
        }
    }
}

// MARK: - Test doubles

/// An optimizer that moves nothing and remembers the learning rate of every step.
private final class RecordingOptimizer: Optimizer {
    let parameters: [Tensor]
    var learningRate: Float = 1
    private(set) var stepRates: [Float] = []
    private(set) var zeroGradCalls = 0
    var steps: Int { stepRates.count }

    init(parameters: [Tensor]) {
        self.parameters = parameters
    }

    func step() {
        stepRates.append(learningRate)
    }

    func zeroGrad() {
        zeroGradCalls += 1
        for parameter in parameters {
            parameter.grad = nil
        }
    }
}

/// A module that passes its input through and remembers whether it was training at each call.
private final class ModeProbe: Module {
    var isTraining = true
    private(set) var modesSeen: [Bool] = []

    func callAsFunction(_ input: Tensor) -> Tensor {
        modesSeen.append(isTraining)
        return input
    }
}

/// A module with parameters in every place `namedParameters()` looks.
private final class Encoder: Module {
    var isTraining = true
    let scale: Tensor                    // own parameter: "scale"
    let constant = Tensor([1, 2])        // a tensor that is not a parameter: no name
    let missing: Tensor? = nil           // an optional holding nothing: no name
    let embed: Linear                    // "embed.weight", "embed.bias"
    let blocks: [Linear]                 // "blocks.0.weight", …, "blocks.1.bias"
    let head: Sequential                 // "head.0.weight", "head.0.bias", "head.2.weight"
    let again: Linear                    // the same layer as `embed`: listed once, as embed

    init(using generator: inout SeededGenerator) {
        scale = Tensor([1]).asParameter()
        embed = Linear(inputSize: 2, outputSize: 2, using: &generator)
        blocks = [Linear(inputSize: 2, outputSize: 2, using: &generator),
                  Linear(inputSize: 2, outputSize: 2, using: &generator)]
        head = Sequential(Linear(inputSize: 2, outputSize: 2, using: &generator), ReLU(),
                          Linear(inputSize: 2, outputSize: 1, bias: false, using: &generator))
        again = embed
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        head(blocks.reduce(embed(input)) { $1($0) }) * scale
    }
}

// MARK: - Building files by hand

/// A safetensors file from its JSON header as text and its data section, without padding: the
/// 8-byte little-endian length, the header, the data.
private func file(_ header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return littleEndian(UInt64(json.count)) + json + data
}

/// `value` as 8 little-endian bytes.
private func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

/// Each float's bits as 4 little-endian bytes: 1.0 → 00 00 80 3F.
private func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in
        (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) }
    }
}

/// Each double's bits as 8 little-endian bytes.
private func doubleBytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { littleEndian($0.bitPattern) }
}

private func randomByte(_ generator: inout SeededGenerator) -> UInt8 {
    UInt8(truncatingIfNeeded: generator.next())
}

/// Whether two errors are the same case with the same values, `reason` (free text) aside.
private func sameCase<E: Error>(_ a: E, _ b: E) -> Bool {
    payload(a) == payload(b)
}

/// `"truncatedLength(file: \"m\", fileSize: 5)"`: the case and its values, `reason` left out.
private func payload<E: Error>(_ error: E) -> String {
    guard let child = Mirror(reflecting: error).children.first, let name = child.label else {
        return "\(error)"
    }
    let fields = Mirror(reflecting: child.value)
    guard fields.displayStyle == .tuple else {  // a case with a single value
        return "\(name)(\(String(reflecting: child.value)))"
    }
    let values = fields.children
        .filter { $0.label != "reason" }
        .map { "\($0.label ?? "_"): \(String(reflecting: $0.value))" }
        .joined(separator: ", ")
    return "\(name)(\(values))"
}

private func describe<E: Error>(_ error: E) -> String {
    "\(E.self).\(payload(error))"
}
