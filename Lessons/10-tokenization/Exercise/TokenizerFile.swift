// Lesson 10, file 5 of 5: saving a tokenizer to a JSON file and loading it back, safely.
//
// `TokenizerFile`, the constants and `save(to:)` are given; write the bodies marked TODO. Then
// run `swift run tutor test 10`.

import Foundation  // JSONEncoder, JSONDecoder, URL, FileManager, Data
import TinyTorchTensor  // todo(…): lesson 01's stub marker

/// What a tokenizer file holds, as JSON (given):
///
///     {"format":"tinytorch-bpe","merges":[[117,103],[104,256],[32,257]],
///      "special_tokens":["<|endoftext|>"],"version":1}
///
/// The merges are the whole vocabulary: token `256 + i` is the bytes of `merges[i][0]` followed
/// by those of `merges[i][1]`, so the file does not repeat the bytes of each token (a list
/// that could disagree with the merges). `JSONEncoder` and `JSONDecoder` turn this struct into
/// JSON and back (`Codable`).
public struct TokenizerFile: Codable, Equatable {
    public var format: String
    public var version: Int
    public var merges: [[Int]]
    public var specialTokens: [String]

    public init(format: String, version: Int, merges: [[Int]], specialTokens: [String]) {
        self.format = format
        self.version = version
        self.merges = merges
        self.specialTokens = specialTokens
    }

    /// The JSON keys: `special_tokens` is written in Python's style.
    enum CodingKeys: String, CodingKey {
        case format, version, merges
        case specialTokens = "special_tokens"
    }
}

extension BPETokenizer {
    /// The `format` of a tokenizer file.
    public static let fileFormat = "tinytorch-bpe"
    /// The `version` of the format this tokenizer writes and reads.
    public static let fileVersion = 1
    /// The largest tokenizer file `init(contentsOf:)` reads: 16 MB. GPT-2's 50,000 merges take
    /// less than 1 MB in this format; the limit stops a wrong or hostile file before it is read.
    public static let maximumFileSize = 16_000_000

    /// The tokenizer as JSON: a `TokenizerFile` with format `fileFormat`, version
    /// `fileVersion`, each merge as `[first, second]` and the special tokens, encoded by a
    /// `JSONEncoder` whose `outputFormatting` is `[.sortedKeys, .withoutEscapingSlashes]` (the
    /// same tokenizer always gives the same bytes).
    ///
    ///     String(decoding: try tokenizer.jsonData(), as: UTF8.self)
    ///     // {"format":"tinytorch-bpe","merges":[[117,103],[104,256]],"special_tokens":[],…
    public func jsonData() throws -> Data {
        todo("TODO(lesson 10): implement BPETokenizer.jsonData()")
    }

    /// Writes `jsonData()` to the file at `url`, replacing it (given).
    public func save(to url: URL) throws {
        try jsonData().write(to: url, options: .atomic)
    }

    /// The tokenizer that `data` describes; `name` (the file's name) is for the messages. Checks
    /// everything, in this order, and throws at the first problem:
    ///
    /// 1. `JSONDecoder().decode(TokenizerFile.self, from: data)`: anything that is not JSON of
    ///    that shape throws `TokenizerError.malformedJSON(name:detail:)`, with
    ///    `describeDecodingError(error)` (given) as the detail.
    /// 2. `format == fileFormat` and `version == fileVersion`, else `unsupportedFormat`.
    /// 3. Every merge has exactly two ids, else `invalidFile(name: name, problem:
    ///    .mergeNotAPair(index:count:))`.
    /// 4. `BPETokenizer(merges:specialTokens:)` checks the rest; wrap its errors to say which
    ///    file: `TokenizerError.invalidFile(name: name, problem: error)`.
    ///
    ///     try BPETokenizer(jsonData: tokenizer.jsonData()) == tokenizer    // true
    ///     try BPETokenizer(jsonData: Data("[]".utf8), name: "t.json")
    ///     // throws TokenizerError.malformedJSON(name: "t.json", detail: "expected …")
    public init(jsonData data: Data, name: String = "tokenizer.json") throws {
        todo("TODO(lesson 10): implement BPETokenizer.init(jsonData:name:)")
    }

    /// Loads the tokenizer file at `url` (named by its last path component in errors). Checks
    /// the file before reading it: a missing file throws `TokenizerError.fileNotFound` (with
    /// the path), a folder `unreadable` with the reason "it is a folder, not a file", a file of
    /// more than `maximumFileSize` bytes `fileTooLarge` — before reading it: open it with
    /// `FileHandle(forReadingFrom:)`, its size is `seekToEnd()`. Then back to the start
    /// (`seek(toOffset: 0)`), read at most `maximumFileSize + 1` bytes (`read(upToCount:)`) and
    /// check their count again (the file may have grown), and decode them with
    /// `init(jsonData:name:)`. The system's errors become `unreadable` with its reason
    /// (`error.localizedDescription`).
    ///
    ///     try tokenizer.save(to: url)
    ///     try BPETokenizer(contentsOf: url) == tokenizer                  // true
    public init(contentsOf url: URL) throws {
        todo("TODO(lesson 10): implement BPETokenizer.init(contentsOf:)")
    }
}
