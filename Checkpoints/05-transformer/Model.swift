// The milestone's model and how it is trained and kept: its sizes (nanoGPT's CPU configuration of
// shakespeare_char), the learning-rate schedule, the two AdamW groups, and the checkpoint file
// with the vocabulary and the sizes in its metadata.
import Foundation
import MilestoneSupport
import TinyTorch

/// nanoGPT's `config/train_shakespeare_char.py` with its CPU settings (the README's "I only have a
/// MacBook" run), the same as the PyTorch peer ../shared/peers/char_gpt.py: 4 layers, 4 heads, 128
/// numbers, 64 characters of context. The head is a separate matrix (not tied to the embedding),
/// as in the peer; lesson 13's head has no bias, so this model has 818,176 parameters where the
/// peer (with the biases of its head) has 818,241.
func modelConfiguration(vocabularySize: Int) -> GPTConfiguration {
    GPTConfiguration(vocabularySize: vocabularySize, contextLength: 64, dimension: 128, layerCount: 4, headCount: 4)
}

/// The training settings of nanoGPT's CPU run.
enum Recipe {
    static let batchSize = 12
    static let iterations = 2000
    static let peakLearningRate: Float = 1e-3
    static let minimumLearningRate: Float = 1e-4
    static let warmupIterations = 100
    static let beta1: Float = 0.9
    static let beta2: Float = 0.99
    static let weightDecay: Float = 0.1
    static let clipNorm: Float = 1.0
    /// The share of the text that trains; the rest validates.
    static let trainShare = 0.9
}

/// A straight climb from `peak / (warmup + 1)` to `peak` over the first `warmup` iterations, then
/// lesson 06's `CosineSchedule` from `peak` down to `minimum` over the rest — nanoGPT's
/// `get_lr`, iteration for iteration:
///
///     it < warmup:  peak · (it + 1) / (warmup + 1)
///     else:         cosine(it − warmup) over (total − warmup) iterations, peak → minimum
struct WarmupCosineSchedule: LearningRateSchedule {
    let peak: Float
    let warmup: Int
    let cosine: CosineSchedule

    init(peak: Float, minimum: Float, warmup: Int, total: Int) {
        self.peak = peak
        self.warmup = warmup
        cosine = CosineSchedule(initial: peak, minimum: minimum, totalEpochs: max(1, total - warmup))
    }

    /// The rate of iteration `epoch` (counted from 0; the protocol calls it an epoch).
    func learningRate(atEpoch epoch: Int) -> Float {
        if epoch < warmup { return peak * Float(epoch + 1) / Float(warmup + 1) }
        return cosine.learningRate(atEpoch: epoch - warmup)
    }
}

/// Two AdamW optimizers: weight decay on the matrices and embedding tables (rank 2), none on the
/// LayerNorms' scales and shifts and the biases (rank 1) — nanoGPT's two parameter groups.
func makeOptimizers(_ model: GPT) -> [AdamW] {
    let parameters = model.parameters()
    let matrices = parameters.filter { $0.shape.count >= 2 }
    let vectors = parameters.filter { $0.shape.count < 2 }
    return [
        AdamW(parameters: matrices, learningRate: Recipe.peakLearningRate, beta1: Recipe.beta1, beta2: Recipe.beta2,
              weightDecay: Recipe.weightDecay),
        AdamW(parameters: vectors, learningRate: Recipe.peakLearningRate, beta1: Recipe.beta1, beta2: Recipe.beta2,
              weightDecay: 0),
    ]
}

// MARK: - Errors

/// What can go wrong outside the lessons' code: the data, the checkpoint, the arguments.
enum CharGPTError: Error, LocalizedError {
    /// Tiny Shakespeare is not where the tutor keeps it.
    case noData(path: String)
    /// There is no checkpoint at `path`.
    case noCheckpoint(path: String)
    /// The file at `path` is not a readable safetensors file, or its tensors do not fit the model.
    case unreadableCheckpoint(path: String, reason: String)
    /// The file is a safetensors file but not one this milestone wrote: `key` is missing or wrong.
    case notACharGPT(path: String, key: String, reason: String)
    /// A command-line value that is out of range.
    case badArgument(option: String, value: String, expected: String)
    /// The prompt has a character the model's vocabulary does not.
    case promptCharacter(character: String, offset: Int, vocabulary: String)

    var errorDescription: String? {
        switch self {
        case let .noData(path):
            return "Tiny Shakespeare is not at \(path). Get it first: swift run tutor data fetch shakespeare"
        case let .noCheckpoint(path):
            return "There is no model at \(path). Train one first: swift run tutor milestone run transformer "
                + "(or pass --checkpoint FILE)."
        case let .unreadableCheckpoint(path, reason):
            return "\(path) is not a model this program can read: \(reason). Train a new one: "
                + "swift run tutor milestone run transformer"
        case let .notACharGPT(path, key, reason):
            return "\(path) is a safetensors file, but not a character GPT of this milestone: its metadata's "
                + "\"\(key)\" \(reason). Train one: swift run tutor milestone run transformer"
        case let .badArgument(option, value, expected):
            return "--\(option) \(value): \(expected)."
        case let .promptCharacter(character, offset, vocabulary):
            return "The prompt's character \(offset + 1), \"\(character)\", is not in the model's vocabulary of "
                + "\(vocabulary.unicodeScalars.count) characters (\(shownVocabulary(vocabulary))). Use only those."
        }
    }
}

/// The vocabulary for people: "⏎", "␣" for the invisible ones.
func shownVocabulary(_ vocabulary: String) -> String {
    String(vocabulary.unicodeScalars.map { shown($0) }.joined())
}

/// One character for people: a newline as "⏎", a space as "␣".
func shown(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "⏎"
    case " ": return "␣"
    default: return String(scalar)
    }
}

// MARK: - Checkpoint

/// The model file: its tensors under lesson 07's names (`tokenEmbedding.weight`,
/// `blocks.0.attention.queryProjection.weight`, …; a `Linear` weight is `[in, out]`, PyTorch's
/// transposed), and in the metadata everything needed to use it again:
///
///     "format": "tinytorch-char-gpt"   what it is
///     "vocabulary": "\n !$&',-.3:;?ABC…z"   the characters, id 0 first (Python: list(text))
///     "config": {"vocab_size":65,"block_size":64,"n_layer":4,"n_head":4,"n_embd":128,"tied":false}
///     "val_loss", "iterations", "seed", "code", "exercise_sha256"
enum CharGPTCheckpoint {
    static let format = "tinytorch-char-gpt"

    static func save(_ model: GPT, tokenizer: CharTokenizer, to url: URL, extra: [String: String]) throws {
        let c = model.configuration
        let config = "{\"vocab_size\":\(c.vocabularySize),\"block_size\":\(c.contextLength),\"n_layer\":\(c.layerCount),"
            + "\"n_head\":\(c.headCount),\"n_embd\":\(c.dimension),\"tied\":\(c.tiesWeights)}"
        var metadata = extra
        metadata["format"] = format
        metadata["vocabulary"] = String(String.UnicodeScalarView(tokenizer.vocabulary))
        metadata["config"] = config
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try model.save(to: url, metadata: metadata)
    }

    /// The model and tokenizer in the file at `url`, or a `CharGPTError` saying what is wrong.
    static func load(_ url: URL) throws -> (model: GPT, tokenizer: CharTokenizer, metadata: [String: String]) {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw CharGPTError.noCheckpoint(path: path) }
        let tensors: [String: Tensor], metadata: [String: String]
        do {
            (tensors, metadata) = try Safetensors.load(url)
        } catch {
            throw CharGPTError.unreadableCheckpoint(path: path, reason: error.localizedDescription)
        }
        guard metadata["format"] == format else {
            throw CharGPTError.notACharGPT(path: path, key: "format",
                                           reason: metadata["format"].map { "is \"\($0)\", not \"\(format)\"" } ?? "is missing")
        }
        guard let vocabulary = metadata["vocabulary"], !vocabulary.isEmpty else {
            throw CharGPTError.notACharGPT(path: path, key: "vocabulary", reason: "is missing")
        }
        guard let text = metadata["config"], let data = text.data(using: .utf8),
              let config = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CharGPTError.notACharGPT(path: path, key: "config", reason: "is missing or not a JSON object")
        }
        func size(_ key: String) throws -> Int {
            guard let value = config[key] as? Int, value > 0 else {
                throw CharGPTError.notACharGPT(path: path, key: "config", reason: "has no whole number \"\(key)\" above 0")
            }
            return value
        }
        let configuration = GPTConfiguration(
            vocabularySize: try size("vocab_size"), contextLength: try size("block_size"), dimension: try size("n_embd"),
            layerCount: try size("n_layer"), headCount: try size("n_head"), tiesWeights: (config["tied"] as? Bool) ?? false)
        let tokenizer = CharTokenizer(corpus: vocabulary)
        guard tokenizer.vocabularySize == configuration.vocabularySize,
              String(String.UnicodeScalarView(tokenizer.vocabulary)) == vocabulary else {
            throw CharGPTError.notACharGPT(path: path, key: "vocabulary",
                                           reason: "has \(vocabulary.unicodeScalars.count) characters (sorted, each once, expected) "
                                               + "for a vocab_size of \(configuration.vocabularySize)")
        }
        guard configuration.dimension % configuration.headCount == 0 else {
            throw CharGPTError.notACharGPT(path: path, key: "config", reason: "has n_embd not a multiple of n_head")
        }
        var generator = SeededGenerator(seed: 0)
        let model = GPT(configuration, using: &generator)
        do {
            try model.loadParameters(tensors, file: url.lastPathComponent)
        } catch {
            throw CharGPTError.unreadableCheckpoint(path: path, reason: error.localizedDescription)
        }
        return (model, tokenizer, metadata)
    }
}
