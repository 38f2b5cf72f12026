// The text: Tiny Shakespeare read from the tutor's data folder, its characters as ids (lesson 10's
// CharTokenizer), split 90% / 10% in order, and random windows of it as batches.
import Foundation
import MilestoneSupport
import TinyTorch

/// Where `tutor data fetch shakespeare` keeps the text: `$TUTOR_DATA_DIR/shakespeare/input.txt`,
/// else `.tutor/data/shakespeare/input.txt` under the project (where the tutor runs milestones).
let textFile = dataFolder("shakespeare").appendingPathComponent("input.txt")

/// The text, its tokenizer (the vocabulary is every character of the whole text, sorted: 65 for
/// Tiny Shakespeare, the ids nanoGPT's prepare.py gives), and the ids of the training part (the
/// first 90%) and of the validation part (the rest).
struct Corpus {
    let tokenizer: CharTokenizer
    let train: [Int]
    let validation: [Int]

    static func load() throws -> Corpus {
        guard let data = FileManager.default.contents(atPath: textFile.path),
              let text = String(data: data, encoding: .utf8) else {
            throw CharGPTError.noData(path: textFile.path)
        }
        let tokenizer = CharTokenizer(corpus: text)
        let ids = try tokenizer.encode(text)
        let split = Int(Recipe.trainShare * Double(ids.count))
        return Corpus(tokenizer: tokenizer, train: Array(ids[..<split]), validation: Array(ids[split...]))
    }
}

/// `batchSize` windows of `length + 1` ids, each starting at a random place of `ids` (uniform over
/// `0..<(ids.count − length)`, as nanoGPT's `get_batch`): the inputs are the first `length` ids of
/// each window, the targets the last `length` — every position's next character.
func randomBatch(_ ids: [Int], batchSize: Int, length: Int, using generator: inout SeededGenerator)
    -> (inputs: TokenBatch, targets: [Int]) {
    var inputs: [Int] = [], targets: [Int] = []
    inputs.reserveCapacity(batchSize * length)
    targets.reserveCapacity(batchSize * length)
    for _ in 0..<batchSize {
        let start = Int.random(in: 0..<(ids.count - length), using: &generator)
        inputs += ids[start..<(start + length)]
        targets += ids[(start + 1)...(start + length)]
    }
    return (TokenBatch(shape: [batchSize, length], ids: inputs), targets)
}

/// The entropy of the characters' frequencies in `ids`, in nats: `−Σ p log p`. The loss of the
/// best model that knows only how often each character occurs, and nothing of what came before
/// it — the line a language model must get below to have learned anything about order.
func unigramEntropy(_ ids: [Int], vocabularySize: Int) -> Double {
    var counts = [Int](repeating: 0, count: vocabularySize)
    for id in ids { counts[id] += 1 }
    let total = Double(ids.count)
    return counts.reduce(0.0) { sum, count in
        count == 0 ? sum : sum - Double(count) / total * log(Double(count) / total)
    }
}

/// The mean cross-entropy (nats per character) and the share of next characters guessed right
/// (the largest logit) over `batches` random batches of `ids`, drawn from `seed` — the same
/// windows every time it is asked with the same seed. No graph is recorded.
func estimate(_ model: GPT, _ ids: [Int], batches: Int, seed: UInt64) -> (loss: Float, accuracy: Float) {
    var generator = SeededGenerator(seed: seed)
    let length = model.configuration.contextLength
    let vocabulary = model.configuration.vocabularySize
    var lossSum = 0.0, right = 0, total = 0
    GradientMode.withoutGradients {
        for _ in 0..<batches {
            let (inputs, targets) = randomBatch(ids, batchSize: Recipe.batchSize, length: length, using: &generator)
            let logits = model(inputs).reshaped(to: [targets.count, vocabulary])
            lossSum += Double(crossEntropy(logits: logits, targets: targets).scalar)
            logits.data.withUnsafeBufferPointer { scores in
                for (row, target) in targets.enumerated() {
                    let start = row * vocabulary
                    var best = start
                    for i in start..<(start + vocabulary) where scores[i] > scores[best] { best = i }
                    if best - start == target { right += 1 }
                }
            }
            total += targets.count
        }
    }
    return (Float(lossSum / Double(batches)), Float(right) / Float(max(1, total)))
}
