// Milestone 1 — 1957: the Perceptron.
//
// Frank Rosenblatt's perceptron is one artificial neuron: it adds up its inputs, each times a
// weight, plus a bias, and answers 1 when the sum is at least 0. It learns by a simple rule: after
// each example, nudge every weight by  learningRate × (target − answer) × input.  Nothing moves
// when the answer is right; a wrong answer pulls the weights towards the right one.
//
// This program builds the neuron from YOUR code — a `Linear` layer (lesson 03) holding `Tensor`s
// (lesson 01), `sigmoid` (lesson 02) and `meanSquaredError` (lesson 04) to watch it learn — and
// teaches it AND and OR. Then it tries XOR, and fails: the bridge to lesson 05.
//
// Run it with `swift run tutor milestone run perceptron` (`… perceptron -- --help` lists its options).
import Foundation
import MilestoneSupport
import TinyTorch

let options = Options("perceptron", [
    .number("seed", "the seed of the starting weights (default 1957)"),
    .number("epochs", "the most epochs to train each gate (default 20)", minimum: 1),
    .quickIsTheFullRun,
])
let seed = UInt64(options.number("seed") ?? 1957)
let maxEpochs = options.number("epochs") ?? 20
let learningRate: Float = 0.1

/// The four corners of the unit square, as a [4, 2] batch.
let corners: [[Float]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
let inputs = Tensor(corners)

/// A perceptron: one `Linear(2 → 1)` and a step.
final class Perceptron {
    let layer: Linear

    init(using generator: inout SeededGenerator) {
        layer = Linear(inputSize: 2, outputSize: 1, using: &generator)
    }

    /// The weighted sums z = x·w + b for a batch [n, 2] → [n, 1].
    func sums(_ x: Tensor) -> Tensor { layer(x) }

    /// The answers: 1 where z ≥ 0, else 0.
    func answers(_ x: Tensor) -> [Int] { sums(x).data.map { $0 >= 0 ? 1 : 0 } }

    /// Rosenblatt's rule for one example: w += lr·(t − y)·x, b += lr·(t − y).
    func learn(_ x: [Float], target: Int) {
        let answer = answers(Tensor([x]))[0]
        let error = Float(target - answer)
        guard error != 0 else { return }
        for i in 0..<2 { layer.weight.data[i] += learningRate * error * x[i] }
        layer.bias?.data[0] += learningRate * error
    }

    var weights: [Float] { layer.weight.data }
    var bias: Float { layer.bias?.data[0] ?? 0 }
}

struct Outcome {
    var accuracy: Float
    var epochs: Int
    var perceptron: Perceptron
}

/// Trains a fresh perceptron on one truth table, reporting each epoch.
func train(_ name: String, targets: [Int], epochOffset: Int, totalEpochs: Int) -> Outcome {
    var generator = SeededGenerator(seed: seed)
    let perceptron = Perceptron(using: &generator)
    let targetTensor = Tensor(shape: [4, 1], data: targets.map(Float.init))
    var order = Array(0..<4)
    var accuracy: Float = 0
    var epochsUsed = maxEpochs
    for epoch in 1...maxEpochs {
        generator.shuffle(&order)
        for index in order { perceptron.learn(corners[index], target: targets[index]) }
        let answers = perceptron.answers(inputs)
        accuracy = Float(zip(answers, targets).filter { $0 == $1 }.count) / 4
        // A smooth view of how sure the neuron is: the squared distance between sigmoid(z) and
        // the targets. The perceptron rule does not use it; it shows the learning.
        let loss = meanSquaredError(sigmoid(perceptron.sums(inputs) * 4), targetTensor).scalar
        Report.epoch(epochOffset + epoch, of: totalEpochs, loss: loss, accuracy: accuracy, extra: ["task": name])
        if accuracy == 1 {
            epochsUsed = epoch
            break
        }
    }
    return Outcome(accuracy: accuracy, epochs: epochsUsed, perceptron: perceptron)
}

func show(_ name: String, targets: [Int], _ outcome: Outcome) {
    let w = outcome.perceptron.weights
    let verdict = outcome.accuracy == 1
        ? "learned in \(outcome.epochs) epoch\(outcome.epochs == 1 ? "" : "s")"
        : "not learned after \(outcome.epochs) epochs (\(Int(outcome.accuracy * 100))% right)"
    Report.say("\(name): \(verdict)")
    let b = outcome.perceptron.bias
    // Two decimals. A value that rounds to zero prints as 0.00: "%.2f" would print a tiny
    // negative number (or -0.0) as -0.00, a sign that means nothing.
    func number(_ value: Float) -> String {
        let text = String(format: "%.2f", value)
        return text == "-0.00" ? "0.00" : text
    }
    func signed(_ value: Float) -> String {
        let text = number(value)
        return text.hasPrefix("-") ? "− " + text.dropFirst() : "+ " + text
    }
    Report.say("  weights w = [\(number(w[0])), \(number(w[1]))], bias b = \(number(b)): "
               + "it answers 1 where \(number(w[0]))·x₁ \(signed(w[1]))·x₂ \(signed(b)) ≥ 0")
    let points = corners.enumerated().map { (x: $1[0], y: $1[1], label: targets[$0]) }
    Report.say(decisionMap(points: points) { x, y in
        w[0] * x + w[1] * y + outcome.perceptron.bias >= 0
    })
    Report.say("  (# the perceptron says 1, · it says 0; ● should be 1, ○ should be 0)")
    Report.say()
}

Report.say("1957 — the Perceptron, built from your lessons 01–04 (seed \(seed))\n")
let tasks: [(String, [Int])] = [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("XOR", [0, 1, 1, 0])]
var outcomes: [String: Outcome] = [:]
for (index, (name, targets)) in tasks.enumerated() {
    Report.log("Teaching the perceptron \(name)")
    let outcome = train(name, targets: targets, epochOffset: index * maxEpochs, totalEpochs: tasks.count * maxEpochs)
    outcomes[name] = outcome
    show(name, targets: targets, outcome)
}

Report.say("""
    Why XOR fails: the perceptron draws one straight line and says 1 on one side. XOR wants (0,1) and
    (1,0) on one side, (0,0) and (1,1) on the other — no straight line does that: the best a line
    can do is 3 corners of 4 (75%), and the rule keeps jumping between such lines. Minsky and Papert
    proved it in 1969, and interest in neural networks froze for a decade. The way out is a hidden
    layer, trained with backpropagation: lesson 05 (autograd) builds it, milestone 2 solves XOR.
    """)

let and = outcomes["AND"]!.accuracy, or = outcomes["OR"]!.accuracy, xor = outcomes["XOR"]!.accuracy
let achieved = and == 1 && or == 1
Report.result(
    summary: "AND \(Int(and * 100))%, OR \(Int(or * 100))%; XOR stuck at \(Int(xor * 100))%",
    achieved: achieved,
    metrics: ["and_accuracy": Double(and), "or_accuracy": Double(or), "xor_accuracy": Double(xor),
              "and_epochs": Double(outcomes["AND"]!.epochs), "or_epochs": Double(outcomes["OR"]!.epochs)])
exit(achieved ? 0 : 1)
