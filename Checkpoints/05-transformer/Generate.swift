// Writing: characters sampled one at a time (lesson 13's generate and sampling) and shown as they
// come, and where one attention head looks while it reads the prompt.
import Foundation
import MilestoneSupport
import TinyTorch

/// How to sample: lesson 13's `samplingProbabilities` settings.
struct Sampling {
    var temperature: Float = 0.8
    var topK: Int? = 40
    var topP: Float? = nil
}

/// `count` characters after `prompt`, each handed to `emit` as soon as it is sampled. Each one is
/// lesson 13's `model.generate(from:count: 1, …)` on everything so far (it reads the last 64
/// characters): the same characters, for the same seed, as one `generate` call for all of them.
/// Returns the new ids.
func streamCharacters(_ model: GPT, tokenizer: CharTokenizer, prompt: [Int], count: Int, sampling: Sampling,
                      using generator: inout SeededGenerator, emit: (String) -> Void) -> [Int] {
    var tokens = prompt
    for _ in 0..<count {
        tokens = model.generate(from: tokens, count: 1, temperature: sampling.temperature, topK: sampling.topK,
                                topP: sampling.topP, using: &generator)
        emit((try? tokenizer.decode([tokens[tokens.count - 1]])) ?? "?")
    }
    return Array(tokens[prompt.count...])
}

/// Writes `text` on standard error at once (no line buffering), for characters as they come.
func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// The attention weights of head `head` of block `layer` while the model reads `ids` (at most its
/// context): `[T, T]`, row `i` = how much position `i` takes from each position `j ≤ i` (lesson
/// 12's `lastAttentionWeights`, recorded by the forward pass).
func attentionMap(_ model: GPT, ids: [Int], layer: Int, head: Int) -> [[Float]] {
    let window = Array(ids.suffix(model.configuration.contextLength))
    _ = GradientMode.withoutGradients { model(TokenBatch(sequences: [window])) }
    guard let weights = model.blocks[layer].attention.lastAttentionWeights else { return [] }
    let t = window.count
    let start = head * t * t   // [1, H, T, T]: head `head`'s T × T block
    return (0..<t).map { row in Array(weights.data[(start + row * t)..<(start + row * t + t)]) }
}

/// The map drawn in the terminal, one row per character read (the query) and one column per
/// character it may look at (the key): a darker cell (or a brighter grey, in colour) takes more.
/// The shade is √weight, so that weights of a few percent still show.
///
///          R O M E O :
///       R  █
///       O  ▓ ▒
///       …
func drawAttention(_ map: [[Float]], characters: [String], layer: Int, head: Int, palette: TerminalPalette) -> [String] {
    guard !map.isEmpty else { return [] }
    let shades = Array(" ░▒▓█")
    var lines = ["Attention of block \(layer + 1), head \(head + 1) (rows: the character read; columns: the characters it looks at):"]
    lines.append("     " + characters.map { $0 + " " }.joined())
    for (i, row) in map.enumerated() {
        var line = "  " + characters[i] + "  "
        for (j, weight) in row.enumerated() {
            let level = weight.squareRoot()
            if j > i {
                line += "  "
            } else if palette == .none {
                let shade = shades[min(shades.count - 1, Int((level * Float(shades.count - 1)).rounded()))]
                line += String(repeating: String(shade), count: 2)
            } else {
                let grey = Int((level * 255).rounded())
                line += "\u{1B}[48;5;\(xterm256((grey, grey, grey)))m  \u{1B}[0m"
            }
        }
        let strongest = row.indices.max { row[$0] < row[$1] } ?? 0
        line += String(format: "  %3.0f%% on ", row[strongest] * 100) + "\"\(characters[strongest])\""
        lines.append(line)
    }
    return lines
}

/// `generate`: loads a saved model and writes with it, character by character as they are
/// sampled, then draws one head's attention over the prompt.
func runGenerate(_ arguments: [String]) {
    let options = Options("transformer", command: "generate", [
        .text("prompt", "the text to continue (default \"ROMEO:\"); only characters of the model's vocabulary"),
        .number("length", "how many characters to write (default 500)", minimum: 1),
        .decimal("temperature", "below 1 safer, above 1 wilder; 0 always takes the likeliest (default 0.8)"),
        .number("top-k", "sample only from the k likeliest characters (default 40; 0: all)"),
        .decimal("top-p", "sample only from the likeliest characters that make up this share, in (0, 1] (default: off)"),
        .number("seed", "the seed of the sampling: the same seed, model and prompt write the same text (default 7)"),
        .text("checkpoint", "the model file (default \(modelPath), what `train` saves)"),
        .number("layer", "the block whose attention is drawn, from 1 (default: the last)", minimum: 1),
        .number("head", "the head whose attention is drawn, from 1 (default 1)", minimum: 1),
        .flag("no-map", "do not draw the attention map"),
    ], arguments: arguments)
    let file = options.text("checkpoint").map { URL(fileURLWithPath: $0) } ?? modelFile
    let loaded: (model: GPT, tokenizer: CharTokenizer, metadata: [String: String])
    do {
        loaded = try CharGPTCheckpoint.load(file)
    } catch {
        stop(error, summary: "could not load the model \(file.path)")
    }
    let (model, tokenizer) = (loaded.model, loaded.tokenizer)
    let configuration = model.configuration
    var sampling = Sampling()
    let promptText = options.text("prompt") ?? "ROMEO:"
    let prompt: [Int]
    do {
        if let temperature = options.decimal("temperature") {
            guard temperature >= 0 && temperature <= 100 else {
                throw CharGPTError.badArgument(option: "temperature", value: "\(temperature)", expected: "it must be between 0 and 100 (0: always the likeliest)")
            }
            sampling.temperature = Float(temperature)
        }
        if let topK = options.number("top-k") { sampling.topK = topK == 0 ? nil : topK }
        if let topP = options.decimal("top-p") {
            guard topP > 0 && topP <= 1 else {
                throw CharGPTError.badArgument(option: "top-p", value: "\(topP)", expected: "it must be above 0 and at most 1")
            }
            sampling.topP = Float(topP)
        }
        if let layer = options.number("layer"), layer > configuration.layerCount {
            throw CharGPTError.badArgument(option: "layer", value: "\(layer)", expected: "the model has blocks 1–\(configuration.layerCount)")
        }
        if let head = options.number("head"), head > configuration.headCount {
            throw CharGPTError.badArgument(option: "head", value: "\(head)", expected: "the model has heads 1–\(configuration.headCount)")
        }
        guard !promptText.isEmpty else {
            throw CharGPTError.badArgument(option: "prompt", value: "\"\"", expected: "give at least one character (\"\\n\" starts a new line)")
        }
        let vocabulary = String(String.UnicodeScalarView(tokenizer.vocabulary))
        if let offset = promptText.unicodeScalars.firstIndex(where: { !tokenizer.vocabulary.contains($0) }) {
            let index = promptText.unicodeScalars.distance(from: promptText.unicodeScalars.startIndex, to: offset)
            throw CharGPTError.promptCharacter(character: String(promptText.unicodeScalars[offset]), offset: index, vocabulary: vocabulary)
        }
        prompt = try tokenizer.encode(promptText)
    } catch {
        stop(error, summary: "bad arguments: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
    }
    let length = options.number("length") ?? 500
    let seed = UInt64(options.number("seed") ?? 7)
    let trained = loaded.metadata["val_loss"].flatMap(Float.init).map { String(format: ", validation loss %.3f", $0) } ?? ""
    Report.say("The model in \(file.path) (\(model.parameters().reduce(0) { $0 + $1.count }) parameters\(trained)); "
        + String(format: "temperature %g, ", sampling.temperature) + (sampling.topK.map { "top-k \($0), " } ?? "")
        + (sampling.topP.map { String(format: "top-p %g, ", $0) } ?? "") + "seed \(seed):\n")
    write(promptText)
    var generator = SeededGenerator(seed: seed)
    let start = now()
    let ids = streamCharacters(model, tokenizer: tokenizer, prompt: prompt, count: length, sampling: sampling,
                               using: &generator) { write($0) }
    let seconds = now() - start
    write("\n\n")
    Report.say(String(format: "%d characters in %.2f s: %.0f characters a second.", ids.count, seconds, Double(ids.count) / seconds))
    if !options.flag("no-map") {
        let layer = (options.number("layer") ?? configuration.layerCount) - 1
        let head = (options.number("head") ?? 1) - 1
        let read = Array((prompt + ids).prefix(24))
        let characters = read.map { shown(tokenizer.vocabulary[$0]) }
        Report.say("")
        for line in drawAttention(attentionMap(model, ids: read, layer: layer, head: head), characters: characters,
                                  layer: layer, head: head, palette: TerminalPalette.current()) {
            Report.say(line)
        }
    }
    // Writing is not training: a result the tutor shows but never records as the milestone.
    Report.result(summary: String(format: "wrote %d characters at %.0f a second with ", ids.count, Double(ids.count) / seconds) + file.path,
                  achieved: true, metrics: ["quick": 1, "characters_per_second": Double(ids.count) / seconds])
}
