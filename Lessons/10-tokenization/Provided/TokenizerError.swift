// Lesson 10: the errors a tokenizer can meet (given — read it; you do not need to change it).

import Foundation

// MARK: - Errors (given)

/// What can go wrong when a tokenizer meets text, token ids or a tokenizer file from outside the
/// program. Given: read it, you do not need to change it.
///
/// Every message says what is wrong, where, and what to do:
///
///     "é" (U+00E9), character 12 of the text, is not in the vocabulary of 65 characters — build
///     the vocabulary from a corpus that has it, or give the tokenizer an unknown token:
///     CharTokenizer(corpus: …, unknown: "\u{FFFD}").
///
/// These are thrown errors, not failed `require`s: text to encode, ids to decode and files to
/// load come from outside — a user, a model, a disk — so the caller decides what to do.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, LocalizedError {
    /// `CharTokenizer.encode`: `character`, at `offset` (counted in Unicode scalars from 0), is not
    /// in the vocabulary, and the tokenizer has no unknown token.
    case unknownCharacter(Unicode.Scalar, offset: Int, vocabularySize: Int)
    /// `decode`: the id at `offset` of the ids is not in `0..<vocabularySize`.
    case unknownID(Int, offset: Int, vocabularySize: Int)
    /// Merge number `index` combines a token that does not exist before it: merge `i` may only
    /// combine ids `0..<256 + i` (the 256 bytes and the merges before it).
    case mergeOfUnknownToken(index: Int, first: Int, second: Int)
    /// Merge number `index` combines the same pair as merge `earlierIndex`.
    case duplicateMerge(index: Int, first: Int, second: Int, earlierIndex: Int)
    /// Merge number `index` in a file has `count` ids instead of two.
    case mergeNotAPair(index: Int, count: Int)
    /// Special token number `index` is the empty string.
    case emptySpecialToken(index: Int)
    /// The special token appears twice in the list.
    case duplicateSpecialToken(String)
    /// There is no file at `path`.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (a folder, permissions, …).
    case unreadable(name: String, reason: String)
    /// The file has `size` bytes, more than `limit` (`BPETokenizer.maximumFileSize`).
    case fileTooLarge(name: String, size: Int, limit: Int)
    /// The file is not JSON of the expected shape; `detail` says where and what.
    case malformedJSON(name: String, detail: String)
    /// The file is JSON of the right shape, but of another format or version.
    case unsupportedFormat(name: String, format: String, version: Int)
    /// The file `name` is well-formed JSON, but what it describes is not a valid tokenizer:
    /// `problem` says why (a merge of an unknown token, a duplicate merge, …).
    indirect case invalidFile(name: String, problem: TokenizerError)

    public var description: String {
        switch self {
        case let .unknownCharacter(character, offset, vocabularySize):
            return "\"\(shown(character))\" (\(codePoint(character))), character "
                + "\(offset) of the text, is not in the vocabulary of \(vocabularySize) "
                + "characters — build the vocabulary from a corpus that has it, or give the "
                + "tokenizer an unknown token: CharTokenizer(corpus: …, unknown: \"\\u{FFFD}\")."
        case let .unknownID(id, offset, vocabularySize):
            return "id \(id), at position \(offset) of the ids, is not a token: the vocabulary "
                + "has \(vocabularySize), ids 0–\(vocabularySize - 1) — were these ids made by "
                + "another tokenizer?"
        case let .mergeOfUnknownToken(index, first, second):
            return "merge \(index) combines \(first) and \(second), but merge \(index) can only "
                + "combine tokens that exist before it: ids 0–\(255 + index) (the 256 bytes"
                + (index == 0 ? ")" : " and merges 0–\(index - 1))")
        case let .duplicateMerge(index, first, second, earlierIndex):
            return "merge \(index) combines \(first) and \(second), as merge \(earlierIndex) "
                + "already does — each pair is merged once"
        case let .mergeNotAPair(index, count):
            return "merge \(index) has \(count) ids, but a merge is a pair of two token ids, "
                + "such as [116, 104]"
        case let .emptySpecialToken(index):
            return "special token \(index) is the empty string — a special token is a "
                + "non-empty string such as \"<|endoftext|>\""
        case let .duplicateSpecialToken(token):
            return "the special token \"\(token)\" is listed twice — each special token gets "
                + "one id"
        case let .fileNotFound(path):
            return "\(path): no such file — train a tokenizer and save it with "
                + "`tokenizer.save(to:)` first, or check the path."
        case let .unreadable(name, reason):
            return "\(name): the file cannot be read (\(reason))."
        case let .fileTooLarge(name, size, limit):
            return "\(name): the file has \(size) bytes, more than the limit of \(limit) for a "
                + "tokenizer file (50,000 merges, as many as GPT-2 has, take less than 1 MB) — is "
                + "this the right file?"
        case let .malformedJSON(name, detail):
            return "\(name): not a tokenizer file — \(detail). A tokenizer file is the JSON "
                + "object that save(to:) writes: {\"format\": \"tinytorch-bpe\", \"version\": 1, "
                + "\"merges\": [[116, 104], …], \"special_tokens\": [\"<|endoftext|>\"]}."
        case let .unsupportedFormat(name, format, version):
            return "\(name): format \"\(format)\" version \(version) — this tokenizer reads "
                + "format \"tinytorch-bpe\" version 1."
        case let .invalidFile(name, problem):
            return "\(name): \(problem) — the file is damaged, or was not written by save(to:)."
        }
    }

    public var errorDescription: String? { description }
}

/// How a character looks in a message: itself, or an escape (`\n`, `\u{0301}`) for white space,
/// control characters and marks, which would be invisible or combine with the quotes around them.
fileprivate func shown(_ scalar: Unicode.Scalar) -> String {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark, .control, .format, .spaceSeparator,
         .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
        return scalar == " " ? " " : scalar.escaped(asASCII: true)
    default:
        return String(scalar)
    }
}

/// `"é"` → `"U+00E9"`: the scalar's number in hexadecimal, at least four digits.
fileprivate func codePoint(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Where and what went wrong in a `DecodingError` from `JSONDecoder`, in one line:
///
///     at merges[3][1]: expected a whole number, found a string
///     at "format": the key is missing
///
/// Use it in the `catch` of the decoding: `TokenizerError.malformedJSON(name: name, detail:
/// describeDecodingError(error))`. Other errors are described by their own text.
public func describeDecodingError(_ error: Error) -> String {
    guard let decodingError = error as? DecodingError else { return "\(error)" }
    func path(_ keys: [CodingKey]) -> String {
        keys.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }
    func place(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "" : "at \(path(keys)): "
    }
    switch decodingError {
    case let .typeMismatch(type, context):
        return place(context.codingPath) + "expected \(kind(type)) — \(context.debugDescription)"
    case let .valueNotFound(type, context):
        return place(context.codingPath) + "expected \(kind(type)), found null"
    case let .keyNotFound(key, context):
        return place(context.codingPath) + "the key \"\(key.stringValue)\" is missing"
    case let .dataCorrupted(context):
        return place(context.codingPath) + context.debugDescription
            + " (the bytes are not JSON, or nest more than 512 deep, or hold a number where a "
            + "whole number is needed, such as 2.5 or 1e400)"
    @unknown default:
        return "\(decodingError)"
    }
}

/// How a Swift type reads in a message about JSON: `Int` → "a whole number".
fileprivate func kind(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type: return "a whole number"
    case is String.Type: return "a string"
    case is [Any].Type: return "a list [ … ]"
    case is [String: Any].Type: return "an object { … }"
    default: return "\(type)"
    }
}
