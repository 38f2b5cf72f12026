// Lesson 10, file 4 of 5: the byte-level BPE tokenizer — merges, vocabulary, encode and decode.
//
// The stored properties, `vocabularySize` and `id(ofSpecialToken:)` are given; write the bodies
// marked TODO, top to bottom. Then run `swift run tutor test 10`.

import TinyTorchTensor

/// A byte-level byte-pair-encoding tokenizer, as GPT-2's: any text becomes token ids and back,
/// exactly, with no unknown token.
///
/// Ids `0…255` are the 256 bytes; merge `i` makes id `256 + i` from two earlier ids; the special
/// tokens come last, one id each, in the order given.
///
///     let tokenizer = BPETokenizer.train(on: "hug pug hug pun hugs bun hug", mergeCount: 6,
///                                        specialTokens: ["<|endoftext|>"])
///     tokenizer.merges          // [(117, 103), (104, 256), (32, 257), (32, 112), (117, 110),
///                               //  (32, 98)]: "ug", "hug", " hug", " p", "un", " b"
///     tokenizer.encode(" hugs") // [258, 115]           " hug" + "s"
///     tokenizer.encode("hug bug<|endoftext|>")   // [257, 261, 256, 262]
///     try tokenizer.decode([258, 115])           // " hugs"
public struct BPETokenizer: Equatable {
    /// The number of byte tokens, ids `0..<256`: every text is made of them.
    public static let byteCount = 256

    /// The merges in the order they were learned: merge `i` combines `merges[i].first` and
    /// `merges[i].second` into token `256 + i`.
    public let merges: [BytePair]

    /// The bytes of every ordinary token: `vocabulary[id]` for `id` in `0..<256 + merges.count`.
    /// Byte tokens are one byte (`vocabulary[104] == [104]`); a merged token is its two parts'
    /// bytes, one after the other.
    public let vocabulary: [[UInt8]]

    /// The special tokens: `specialTokens[i]` has id `vocabulary.count + i`.
    public let specialTokens: [String]

    /// The rank of each merge: `ranks[merges[i]] == i`. Encoding applies the pair of lowest rank
    /// first.
    private let ranks: [BytePair: Int]

    /// The number of ids: bytes, merges and special tokens.
    public var vocabularySize: Int { vocabulary.count + specialTokens.count }

    /// The id of a special token, or `nil` if it is not one of this tokenizer's.
    ///
    ///     tokenizer.id(ofSpecialToken: "<|endoftext|>")   // 262, for the tokenizer above
    public func id(ofSpecialToken token: String) -> Int? {
        specialTokens.firstIndex(where: { $0.unicodeScalars.elementsEqual(token.unicodeScalars) })
            .map { vocabulary.count + $0 }
    }

    /// A tokenizer from its merges and special tokens, checked: every merge `i` combines ids
    /// that exist before it (`0..<256 + i`, else `TokenizerError.mergeOfUnknownToken`), no pair
    /// is merged twice (`duplicateMerge`, naming the earlier merge), no special token is empty
    /// (`emptySpecialToken`) or listed twice (`duplicateSpecialToken`; compare with
    /// `unicodeScalars.elementsEqual`, not `==`).
    ///
    /// Builds `vocabulary` (the 256 single bytes, then for each merge the bytes of its first
    /// token followed by those of its second) and `ranks`.
    ///
    ///     try BPETokenizer(merges: [BytePair(117, 103), BytePair(104, 256)]).vocabulary[257]
    ///     // [104, 117, 103], "hug"
    ///     try BPETokenizer(merges: [BytePair(117, 300)])
    ///     // throws TokenizerError.mergeOfUnknownToken(index: 0, first: 117, second: 300)
    public init(merges: [BytePair], specialTokens: [String] = []) throws {
        todo("TODO(lesson 10): implement BPETokenizer.init(merges:specialTokens:)")
    }

    /// Trains a tokenizer on `corpus`: a `BPETrainer`, stepped until it has made `mergeCount`
    /// merges or no pair is left, then `BPETokenizer(merges:specialTokens:)`.
    ///
    /// `require` that `mergeCount >= 0`, and that the special tokens are valid (the initializer
    /// throws otherwise: turn its error into a `requirementFailure` with the message — they come
    /// from the program, not from outside).
    ///
    ///     BPETokenizer.train(on: "hug pug hug pun hugs bun hug", mergeCount: 3).merges
    ///     // [(117, 103), (104, 256), (32, 257)]
    public static func train(on corpus: String, mergeCount: Int, specialTokens: [String] = [])
        -> BPETokenizer
    {
        todo("TODO(lesson 10): implement BPETokenizer.train(on:mergeCount:specialTokens:)")
    }

    /// The token ids of `text`.
    ///
    /// 1. `splitAtSpecialTokens(text, specialTokens:)`: each special token is its id.
    /// 2. Each text segment is cut with `preTokenize`, and each chunk encoded on its own: start
    ///    from its UTF-8 bytes; while some neighbouring pair has a merge, merge the pair of
    ///    **lowest rank** (the earliest learned) everywhere in the chunk; stop when no pair has
    ///    one. That replays training's merges in training's order. (A private helper,
    ///    `encode(chunk:)`, keeps this function short.)
    ///
    ///     tokenizer.encode("hugs")       // [257, 115]: "hug" + "s", for the tokenizer above
    ///     tokenizer.encode(" 🤗")        // [32, 240, 159, 164, 151]: a space and 4 bytes
    public func encode(_ text: String) -> [Int] {
        todo("TODO(lesson 10): implement BPETokenizer.encode(_:)")
    }

    /// The text of `ids`: the bytes of every token (a special token's are its UTF-8 bytes),
    /// joined, then read as UTF-8. An id outside `0..<vocabularySize` throws
    /// `TokenizerError.unknownID`.
    ///
    /// `decode(encode(text))` gives back `text`, byte for byte. A list of ids that ends inside a
    /// character (the first two of an emoji's four bytes) is not valid UTF-8: those bytes become
    /// "�" (U+FFFD) — `String(decoding: bytes, as: UTF8.self)` does that.
    ///
    ///     try tokenizer.decode([258, 115])              // " hugs"
    ///     try tokenizer.decode([32, 240, 159, 164, 151]) // " 🤗"
    ///     try tokenizer.decode([240, 159])              // "�"
    public func decode(_ ids: [Int]) throws -> String {
        todo("TODO(lesson 10): implement BPETokenizer.decode(_:)")
    }
}
