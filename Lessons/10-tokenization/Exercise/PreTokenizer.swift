// Lesson 10, file 2 of 5: cutting text into pieces before byte-pair encoding — special tokens
// first, then words.
//
// `TextSegment`, `CharacterClass` and `characterClass(_:)` are given; write the bodies marked
// TODO. Then run `swift run tutor test 10`.

import TinyTorchTensor  // todo(…): lesson 01's stub marker

// MARK: - Special tokens

/// A piece of text as the tokenizer sees it: ordinary text, or a special token that stays whole.
public enum TextSegment: Equatable {
    /// Text to cut into words and encode byte by byte.
    case text(String)
    /// One of the tokenizer's special tokens, such as `"<|endoftext|>"`: one id, never split.
    case special(String)
}

/// Cuts `text` at every occurrence of a special token: the text between them (never empty) and
/// the special tokens themselves, in order.
///
/// Scan from the start; at each position, if a special token starts there, it is a `.special`
/// segment, and scanning goes on after it. If two special tokens start at the same position,
/// the longer one wins (`"<|end|>"` and `"<|endoftext|>"` at `"<|endoftext|>"`: the longer).
/// Compare Unicode scalars (or UTF-8 bytes), not `Character`s: a special token followed by a
/// combining accent must still be found. Empty strings in `specialTokens` are ignored.
///
///     splitAtSpecialTokens("Hi<|endoftext|>Yo", specialTokens: ["<|endoftext|>"])
///     // [.text("Hi"), .special("<|endoftext|>"), .text("Yo")]
///     splitAtSpecialTokens("Hi", specialTokens: [])           // [.text("Hi")]
///     splitAtSpecialTokens("", specialTokens: ["<|x|>"])      // []
public func splitAtSpecialTokens(_ text: String, specialTokens: [String]) -> [TextSegment] {
    todo("TODO(lesson 10): implement splitAtSpecialTokens(_:specialTokens:)")
}

// MARK: - Words

/// The five kinds of character the pre-tokenizer tells apart.
public enum CharacterClass: Equatable {
    /// Letters of any script: Unicode category L. `"a"`, `"é"`, `"ж"`, `"日"`.
    case letter
    /// Marks that combine with the character before them: Unicode category M. The accent of
    /// `"e\u{301}"` (é written as two scalars), the `"\u{FE0F}"` that makes `"❤️"` an emoji.
    case mark
    /// Digits and other numbers: Unicode category N. `"7"`, `"٣"`, `"½"`.
    case number
    /// Spaces, tabs, newlines and other white space (Unicode's White_Space property).
    case whitespace
    /// Everything else: punctuation, symbols, emoji. `","`, `"'"`, `"$"`, `"👍"`.
    case other
}

/// The class of one Unicode scalar (given).
public func characterClass(_ scalar: Unicode.Scalar) -> CharacterClass {
    // ASCII, most of most text, without a look-up in Unicode's tables: 3 times faster.
    if scalar.isASCII {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A: return .letter        // A–Z, a–z
        case 0x30...0x39: return .number                      // 0–9
        case 0x09...0x0D, 0x20: return .whitespace            // \t \n \v \f \r and space
        default: return .other
        }
    }
    if scalar.properties.isWhitespace {
        return .whitespace
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
        return .letter
    case .nonspacingMark, .spacingMark, .enclosingMark:
        return .mark
    case .decimalNumber, .letterNumber, .otherNumber:
        return .number
    default:
        return .other
    }
}

/// Cuts text into the chunks that byte-pair encoding works on — a simplified version of GPT-2's
/// pre-tokenization. Merges never cross a chunk boundary, so `"the"` and `" the"` become tokens,
/// but `"e t"` never does. Joining the chunks gives back `text` exactly.
///
/// The rules, reading from the start (classes from `characterClass(_:)`):
///
/// 1. A run of letters, a run of numbers, or a run of `other` characters is a chunk, together
///    with **one space** (`" "`, U+0020) directly in front of it, if there is one. Marks
///    continue any run (an accent stays with its letter); a run that starts with a mark is a
///    run of letters.
/// 2. A run of white space is a chunk — except a space at its end that is followed by a
///    character of another class: that space belongs to the next chunk (rule 1).
///
///     preTokenize("Hello, world!")     // ["Hello", ",", " world", "!"]
///     preTokenize("in 2024  we")       // ["in", " 2024", " ", " we"]
///     preTokenize("Hi\n\nthere ")      // ["Hi", "\n\n", "there", " "]
///     preTokenize("don't")             // ["don", "'", "t"]
public func preTokenize(_ text: String) -> [String] {
    todo("TODO(lesson 10): implement preTokenize(_:)")
}

/// A string of the given Unicode scalars (given).
///
/// Written as UTF-8 bytes, then read as a `String`: five times faster than appending the
/// scalars to a `String.UnicodeScalarView` one by one, which made this half of the training
/// time on Tiny Shakespeare.
func makeString(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(scalars.count)
    for scalar in scalars {
        bytes.append(contentsOf: UTF8.encode(scalar)!)
    }
    return String(decoding: bytes, as: UTF8.self)
}
