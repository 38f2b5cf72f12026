// Lesson 10, file 1 of 5: the character tokenizer — one token per character.
//
// The stored properties and `vocabularySize` are given; write the bodies marked TODO, top to
// bottom. Then run `swift run tutor test 10`.

import TinyTorchTensor  // todo(…): lesson 01's stub marker

/// A character-level tokenizer: every distinct character of a corpus is one token, numbered in
/// the order of the characters' code points (the order of Python's `sorted(set(text))`).
///
/// "Character" here means a **Unicode scalar** (a code point), what Python calls a character:
/// `"é"` written as one scalar (U+00E9) is one token, and `"e\u{301}"` (an `e` and a combining
/// accent) is two. Swift's `Character` would merge those into one grapheme and treat both
/// spellings as equal, so decoding could not give back the exact text.
///
///     let tokenizer = CharTokenizer(corpus: "hello world")
///     tokenizer.vocabulary                  // [" ", "d", "e", "h", "l", "o", "r", "w"]
///     try tokenizer.encode("hello")         // [3, 2, 4, 4, 5]
///     try tokenizer.decode([7, 5, 6, 4, 1]) // "world"
///
/// On Tiny Shakespeare the vocabulary has 65 characters: `"\n"` is 0, `" "` is 1, `"!"` is 2, …,
/// `"z"` is 64 — the same ids as nanoGPT's.
public struct CharTokenizer: Equatable {
    /// Every token, in id order: `vocabulary[id]` is the character of token `id`. Sorted by code
    /// point, each character once.
    public let vocabulary: [Unicode.Scalar]

    /// The character that stands for every character not in the corpus, or `nil` if such
    /// characters are an error. It is in `vocabulary` too.
    public let unknown: Unicode.Scalar?

    /// The id of each character: the inverse of `vocabulary`.
    private let ids: [Unicode.Scalar: Int]

    /// The number of tokens: ids are `0..<vocabularySize`.
    public var vocabularySize: Int { vocabulary.count }

    /// The tokenizer of `corpus`: its distinct Unicode scalars, sorted by code point
    /// (`Unicode.Scalar` is `Comparable` by its number), with `unknown` added to them when it is
    /// given. Stores `vocabulary`, `unknown`, and the dictionary `ids` from character to id.
    ///
    ///     CharTokenizer(corpus: "banana").vocabulary                // ["a", "b", "n"]
    ///     CharTokenizer(corpus: "banana", unknown: "?").vocabulary  // ["?", "a", "b", "n"]
    public init(corpus: String, unknown: Unicode.Scalar? = nil) {
        todo("TODO(lesson 10): implement CharTokenizer.init(corpus:unknown:)")
    }

    /// The id of each character of `text` (each Unicode scalar), in order.
    ///
    /// A character that is not in the vocabulary becomes the id of `unknown`; without an
    /// unknown token it throws `TokenizerError.unknownCharacter` with the character, its offset
    /// in the text (counted in scalars from 0) and the vocabulary's size.
    ///
    ///     try CharTokenizer(corpus: "hello world").encode("hello")   // [3, 2, 4, 4, 5]
    ///     try CharTokenizer(corpus: "hello world").encode("help")
    ///     // throws TokenizerError.unknownCharacter("p", offset: 3, vocabularySize: 8)
    ///     try CharTokenizer(corpus: "hello", unknown: "?").encode("help")   // [2, 1, 3, 0]
    public func encode(_ text: String) throws -> [Int] {
        todo("TODO(lesson 10): implement CharTokenizer.encode(_:)")
    }

    /// The text of `ids`: the character of each id, joined. An id outside
    /// `0..<vocabularySize` throws `TokenizerError.unknownID` with the id and its position.
    ///
    ///     try CharTokenizer(corpus: "hello world").decode([7, 5, 6, 4, 1])   // "world"
    ///     try CharTokenizer(corpus: "hello world").decode([3, 8])
    ///     // throws TokenizerError.unknownID(8, offset: 1, vocabularySize: 8)
    public func decode(_ ids: [Int]) throws -> String {
        todo("TODO(lesson 10): implement CharTokenizer.decode(_:)")
    }
}
