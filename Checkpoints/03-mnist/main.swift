// Milestone 3 — 1986: reading handwritten digits.
//
// Backpropagation made multi-layer networks trainable (Rumelhart, Hinton and Williams, 1986), and
// handwritten digits became the proving ground (LeCun et al.). This program trains a multilayer
// perceptron — 784 pixels → 128 → 64 → 10 digits, ReLU between — on the 60,000 real MNIST
// training images and tests it on the 10,000 it has never seen. Every piece is YOUR code: the
// tensors, Linear and ReLU, cross-entropy, backward(), Adam, the DataLoader and the IDX reader.
// The goal: at least 95% of the test digits right.
//
// Data: `swift run tutor data fetch mnist` first. Run it with `swift run tutor milestone run mnist`
// (`… mnist -- --help` lists its options: --epochs N, --seed N, --quick).
import Foundation
import MilestoneSupport
import TinyTorch

let options = Options("mnist", [
    .flag("quick", "a fast check on 6,000 training and 1,000 test images (never recorded as the milestone)"),
    .number("epochs", "passes over the training images (default 5, or 2 with --quick)", minimum: 1),
    .number("seed", "the seed of the weights and the shuffling (default 1986)"),
])
let quick = options.flag("quick")
let epochs = options.number("epochs") ?? (quick ? 2 : 5)
let seed = UInt64(options.number("seed") ?? 1986)
let batchSize = 64
let dataDirectory = dataFolder("mnist")

// MARK: Data

func load(_ split: MNIST.Split) -> TensorDataset {
    loadData("MNIST", fetchName: "mnist") { try MNIST.load(directory: dataDirectory, split: split) }
}

/// The first `count` examples of a data set (for --quick), copied by your `batch(at:)`.
func prefix(_ dataset: TensorDataset, _ count: Int) -> TensorDataset {
    let first = dataset.batch(at: Array(0..<min(count, dataset.count)))
    return TensorDataset(inputs: first.inputs, labels: first.labels)
}

let started = Date()
Report.say("1986 — reading handwritten digits, with your lessons 01–08 (seed \(seed))")
var training = load(.train)
var testing = load(.test)
if quick {
    training = prefix(training, 6_000)
    testing = prefix(testing, 1_000)
}
Report.log("Loaded \(training.count) training and \(testing.count) test images")
Report.say("\(training.count) training images, \(testing.count) test images; MLP 784 → 128 → 64 → 10, Adam, batch \(batchSize)\n")

// MARK: Model

var generator = SeededGenerator(seed: seed)
let model = Sequential(
    Linear(inputSize: 784, outputSize: 128, initialization: .he, using: &generator),
    ReLU(),
    Linear(inputSize: 128, outputSize: 64, initialization: .he, using: &generator),
    ReLU(),
    Linear(inputSize: 64, outputSize: 10, using: &generator))
let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)
let loader = DataLoader(training, batchSize: batchSize, shuffle: true, seed: seed)

/// The share of `dataset` the model classifies right (no graph recorded).
func testAccuracy(_ dataset: TensorDataset) -> Float {
    model.eval()
    defer { model.train() }
    var right = 0
    GradientMode.withoutGradients {
        for batch in DataLoader(dataset, batchSize: 1000) {
            let logits = model(batch.inputs)
            right += Int((accuracy(logits: logits, labels: batch.labels) * Float(batch.count)).rounded())
        }
    }
    return Float(right) / Float(dataset.count)
}

// MARK: Training

var trainingSeconds = 0.0
var lastAccuracy: Float = 0
for epoch in 1...epochs {
    let epochStart = Date()
    var lossSum: Float = 0
    var batches = 0
    for batch in loader {
        optimizer.zeroGrad()
        let loss = crossEntropy(logits: model(batch.inputs), targets: batch.labels)
        loss.backward()
        optimizer.step()
        lossSum += loss.scalar
        batches += 1
        if batches % 50 == 0 {
            Report.step(batches, of: loader.batchCount, epoch: epoch, loss: lossSum / Float(batches))
        }
    }
    let epochSeconds = Date().timeIntervalSince(epochStart)
    trainingSeconds += epochSeconds
    lastAccuracy = testAccuracy(testing)
    Report.epoch(epoch, of: epochs, loss: lossSum / Float(batches), accuracy: lastAccuracy,
                 extra: ["seconds": epochSeconds])
    Report.say(String(format: "epoch %d/%d: loss %.4f, test accuracy %.2f%% (%.1f s)",
                      epoch, epochs, lossSum / Float(batches), lastAccuracy * 100, epochSeconds))
}

// MARK: A few test digits, drawn

/// A 28×28 image as 14 × 14 characters: each shows a 2 × 2 block of pixels with the quadrant
/// characters (`▘ ▝ ▀ ▖ ▌ ▞ ▛ ▗ ▚ ▐ ▜ ▄ ▙ ▟ █`), a pixel counting as ink above 0.5.
func picture(_ pixels: ArraySlice<Float>) -> [String] {
    let values = Array(pixels)
    let glyphs = Array(" ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█")
    func ink(_ row: Int, _ column: Int) -> Int { values[row * 28 + column] > 0.5 ? 1 : 0 }
    return stride(from: 0, to: 28, by: 2).map { row in
        String(stride(from: 0, to: 28, by: 2).map { column in
            glyphs[ink(row, column) + 2 * ink(row, column + 1) + 4 * ink(row + 1, column) + 8 * ink(row + 1, column + 1)]
        })
    }
}

/// Eight test digits with the model's answers, four to a row (70 columns).
let shown = Array(0..<8).map { $0 * 1_237 % testing.count }
let sample = testing.batch(at: shown)
let predictions = GradientMode.withoutGradients { model(sample.inputs) }
Report.say("\nA few test images the model has never seen:")
for group in stride(from: 0, to: shown.count, by: 4) {
    var rows = Array(repeating: "", count: 15)
    for index in group..<min(group + 4, shown.count) {
        let logits = Array(predictions.data[(index * 10)..<(index * 10 + 10)])
        let guess = logits.indices.max { logits[$0] < logits[$1] }!
        let art = picture(sample.inputs.data[(index * 784)..<(index * 784 + 784)])
        for row in 0..<14 { rows[row] += "  " + art[row] + "    " }
        let caption = "says \(guess) \(guess == sample.labels[index] ? "✓" : "✗ (is \(sample.labels[index]))")"
        rows[14] += "  " + caption.padding(toLength: 18, withPad: " ", startingAt: 0)
    }
    for row in rows { Report.say(row) }
}

// MARK: Save and verdict

// A quick check's model is not worth keeping: it must not replace a full run's.
let modelFile = URL(fileURLWithPath: ".tutor/models/mnist-mlp\(quick ? "-quick" : "").safetensors")
do {
    try FileManager.default.createDirectory(at: modelFile.deletingLastPathComponent(), withIntermediateDirectories: true)
    try model.save(to: modelFile, metadata: ["milestone": "1986 MNIST", "test_accuracy": String(lastAccuracy)])
    Report.say("\nSaved the model to \(modelFile.path) (safetensors: loads in Python with safetensors.numpy.load_file).")
} catch {
    Report.say("\nCould not save the model: \(error)")
}

let percent = String(format: "%.2f%%", lastAccuracy * 100)
let totalSeconds = Date().timeIntervalSince(started)
if quick {
    // A smoke check on a subset: never recorded as the milestone.
    let passed = lastAccuracy >= 0.85
    Report.result(
        summary: "quick check \(passed ? "passed" : "failed"): \(percent) on \(testing.count) test images after \(epochs) epochs on \(training.count) images (the milestone needs a full run)",
        achieved: passed,
        metrics: ["accuracy": Double(lastAccuracy), "quick": 1, "training_seconds": trainingSeconds])
    exit(passed ? 0 : 1)
}
let achieved = lastAccuracy >= 0.95
Report.result(
    summary: "\(percent) test accuracy",
    achieved: achieved,
    metrics: ["accuracy": Double(lastAccuracy), "epochs": Double(epochs), "training_seconds": trainingSeconds,
              "seconds_per_epoch": trainingSeconds / Double(epochs), "total_seconds": totalSeconds])
exit(achieved ? 0 : 1)
