// Milestone 5 — 2017: attention is all you need.
//
// Vaswani and colleagues' transformer (2017) dropped recurrence: every position looks at every
// earlier one through attention, all at once. GPT (2018) kept only its decoder and trained it to
// predict the next token. This program trains a small GPT — lesson 13's, 4 blocks of 4 heads, 128
// numbers wide, reading 64 characters — on Tiny Shakespeare, one character at a time, exactly as
// nanoGPT's CPU run does (../shared/peers/char_gpt.py is the same run in PyTorch). Every piece is
// YOUR code: the tensors, GELU and softmax, Linear, cross-entropy, backward(), AdamW and the cosine
// schedule, gradient clipping, safetensors, the character tokenizer, the embeddings, masked
// multi-head attention, LayerNorm, the transformer block, the GPT and its sampling. The goal: a
// validation loss of at most 1.88 nats per character (the PyTorch run reaches 1.86), far below the
// 3.3 of a model that knows only how often each character occurs.
//
// Data: `swift run tutor data fetch shakespeare` first. Then:
//
//     swift run tutor milestone run transformer                     train (about 10 minutes), save
//     swift run tutor milestone run transformer -- generate --prompt "ROMEO:" --temperature 0.8 \
//         --top-k 40 --length 500 --seed 7                           write with the saved model
//
// (`… transformer -- --help` and `… -- generate --help` list the options.)
import Foundation
import MilestoneSupport
import TinyTorch

let lessonsUsed = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13]
let code = BuiltFrom.description(of: lessonsUsed)
let digest = BuiltFrom.exerciseDigest(of: lessonsUsed)
let goal: Float = 1.88
/// Where `train` saves the model and `generate` reads it, under the project.
let modelPath = ".tutor/models/char-gpt.safetensors"
let modelFile = URL(fileURLWithPath: modelPath)

/// Ends the program with `error`'s message, as a result the tutor shows (exit 2: it could not run).
func stop(_ error: Error, summary: String) -> Never {
    let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
    Report.say(message)
    Report.result(summary: summary, achieved: false)
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var command = "train"
if let first = arguments.first, !first.hasPrefix("-") {
    guard ["train", "generate"].contains(first) else {
        Report.say("transformer: unknown command \"\(first)\" — the commands are train (the default) and generate.\n"
            + "  swift run tutor milestone run transformer -- --help\n  swift run tutor milestone run transformer -- generate --help")
        exit(64)
    }
    command = first
    arguments.removeFirst()
}

if command == "generate" {
    runGenerate(arguments)
} else {
    runTraining(arguments)
}
