// Milestone 2 — 1969: solving XOR.
//
// In 1969 Minsky and Papert showed that a single-layer perceptron cannot learn XOR (milestone 1
// showed it too). A hidden layer can — if you can train it. Backpropagation (Rumelhart, Hinton and
// Williams, 1986) is how: the chain rule, from the loss back to every weight. That is your
// lesson 05.
//
// This program builds a two-layer network from YOUR code — Linear and Tanh (lesson 03), the
// binary cross-entropy from logits (lesson 04), backward() (lesson 05) and Adam (lesson 06) —
// trains it on the four XOR examples, and draws what it learned. Then it retrains from 20
// different seeds to show how reliably a tiny network finds the answer.
//
// Run it with `swift run tutor milestone run xor` (`… xor -- --help` lists its options).
import Foundation
import MilestoneSupport
import TinyTorch

let options = Options("xor", [
    .number("seed", "the seed of the network shown (default 1969)"),
    .number("seeds", "how many seeds to retrain from, to see how reliable it is (default 20)", minimum: 1),
    .quickIsTheFullRun,
])
let seed = UInt64(options.number("seed") ?? 1969)
let seedsToTry = options.number("seeds") ?? 20
let maxEpochs = 500
let hiddenSize = 4

let corners: [[Float]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
let inputs = Tensor(corners)
let labels: [Float] = [0, 1, 1, 0]
let targets = Tensor(shape: [4, 1], data: labels)

/// The network: 2 inputs → 4 hidden units (tanh) → 1 output (a logit: > 0 means "1").
func makeModel(seed: UInt64) -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return Sequential(
        Linear(inputSize: 2, outputSize: hiddenSize, using: &generator),
        Tanh(),
        Linear(inputSize: hiddenSize, outputSize: 1, using: &generator))
}

func accuracy(of model: Sequential) -> Float {
    let logits = GradientMode.withoutGradients { model(inputs) }
    let right = zip(logits.data, labels).filter { ($0 > 0 ? 1 : 0) == $1 }.count
    return Float(right) / 4
}

/// Full-batch training: forward, loss, backward, step. Returns the epoch at which every example
/// was right and the loss was small, or nil if that never happened.
func train(_ model: Sequential, report: Bool) -> Int? {
    let optimizer = Adam(parameters: model.parameters(), learningRate: 0.05)
    for epoch in 1...maxEpochs {
        optimizer.zeroGrad()
        let loss = binaryCrossEntropy(logits: model(inputs), targets: targets)
        loss.backward()
        optimizer.step()
        let correct = accuracy(of: model)
        if report && (epoch % 5 == 0 || epoch == 1) {
            Report.epoch(epoch, of: maxEpochs, loss: loss.scalar, accuracy: correct)
        }
        if correct == 1 && loss.scalar < 0.05 {
            if report { Report.epoch(epoch, of: epoch, loss: loss.scalar, accuracy: correct) }
            return epoch
        }
    }
    return nil
}

Report.say("1969 — solving XOR with a hidden layer, built from your lessons 01–07 (seed \(seed))\n")
Report.log("Training 2 → \(hiddenSize) → 1 on XOR")
let model = makeModel(seed: seed)
let solvedAt = train(model, report: true)
let finalAccuracy = accuracy(of: model)
let points = corners.enumerated().map { (x: $1[0], y: $1[1], label: Int(labels[$0])) }
Report.say(solvedAt.map { "Solved in \($0) epochs: every corner right, loss below 0.05." }
           ?? "Not solved in \(maxEpochs) epochs (\(Int(finalAccuracy * 100))% right).")
Report.say(decisionMap(points: points) { x, y in
    GradientMode.withoutGradients { model(Tensor([[x, y]])) }.data[0] > 0
})
Report.say("  (# the network says 1, · it says 0; ● should be 1, ○ should be 0)")
Report.say("""

    One straight line cannot separate XOR's corners, but the hidden layer bends the plane: each
    hidden unit draws its own line, and the output combines them into the bent boundary above.
    """)

Report.log("Retraining from \(seedsToTry) seeds")
var converged = 0
var epochsNeeded: [Int] = []
for trial in 1...max(1, seedsToTry) {
    if let epochs = train(makeModel(seed: UInt64(trial)), report: false) {
        converged += 1
        epochsNeeded.append(epochs)
    }
}
let median = epochsNeeded.sorted().dropFirst(epochsNeeded.count / 2).first ?? 0
Report.say("From \(seedsToTry) seeds, \(converged) converged" + (converged > 0 ? " (median \(median) epochs)." : ".")
           + (converged < seedsToTry ? " The others got stuck: a tiny network can start in a bad place, which is one reason real networks are wider." : ""))

let achieved = solvedAt != nil
Report.result(
    summary: "XOR \(Int(finalAccuracy * 100))%" + (solvedAt.map { " in \($0) epochs" } ?? "") + "; \(converged)/\(seedsToTry) seeds converge",
    achieved: achieved,
    metrics: ["accuracy": Double(finalAccuracy), "epochs": Double(solvedAt ?? maxEpochs),
              "seeds_converged": Double(converged), "seeds_tried": Double(seedsToTry)])
exit(achieved ? 0 : 1)
