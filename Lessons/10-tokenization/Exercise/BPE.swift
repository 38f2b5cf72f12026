// Lesson 10, file 3 of 5: training byte-pair encoding — count pairs, merge the most frequent,
// repeat.
//
// `BytePair` and the trainer's stored properties are given; write the bodies marked TODO, top to
// bottom. Then run `swift run tutor test 10`.

import TinyTorchTensor

// MARK: - Pairs

/// Two token ids side by side, `first` then `second`: what a merge combines.
///
/// Pairs are ordered by `first`, then `second` — the order that breaks ties between equally
/// frequent pairs (`mostFrequentPair`).
///
///     BytePair(104, 101)     // "h" then "e"
public struct BytePair: Hashable, Comparable, CustomStringConvertible {
    public let first: Int
    public let second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    public static func < (left: BytePair, right: BytePair) -> Bool {
        (left.first, left.second) < (right.first, right.second)
    }

    public var description: String { "(\(first), \(second))" }
}

/// How often each pair of neighbouring ids occurs in `words`, where word `i` occurs
/// `frequencies[i]` times in the corpus: each occurrence of a pair in word `i` counts
/// `frequencies[i]`. Pairs never span two words. `require` one frequency per word.
///
///     countPairs([[104, 117, 103], [32, 104, 117, 103]], frequencies: [1, 2])
///     // [(104, 117): 3, (117, 103): 3, (32, 104): 2]       "hu" 1 + 2, "ug" 1 + 2, " h" 2
///     countPairs([[97, 97, 97]], frequencies: [1])          // [(97, 97): 2]: "aa" twice in "aaa"
public func countPairs(_ words: [[Int]], frequencies: [Int]) -> [BytePair: Int] {
    todo("TODO(lesson 10): implement countPairs(_:frequencies:)")
}

/// The pair to merge next: the one with the highest count; among pairs with the same count,
/// the **smallest** pair (`BytePair`'s order: smaller `first`, then smaller `second`). `nil` if
/// `counts` is empty.
///
/// The tie rule makes training deterministic: a `Dictionary` visits its keys in an order that
/// changes from run to run, so "the first pair found" would differ between runs.
///
///     mostFrequentPair([BytePair(117, 103): 5, BytePair(104, 117): 4])   // (117, 103)
///     mostFrequentPair([BytePair(117, 110): 2, BytePair(32, 112): 2])    // (32, 112): a tie
///     mostFrequentPair([:])                                              // nil
public func mostFrequentPair(_ counts: [BytePair: Int]) -> BytePair? {
    todo("TODO(lesson 10): implement mostFrequentPair(_:)")
}

/// `ids` with every occurrence of `pair` replaced by `newID`, scanning left to right: where the
/// pair occurs, both ids become `newID` and the scan goes on after them, so occurrences do not
/// overlap.
///
///     merge([104, 117, 103, 115], pair: BytePair(117, 103), into: 256)   // [104, 256, 115]
///     merge([97, 97, 97], pair: BytePair(97, 97), into: 256)            // [256, 97]
///     merge([1, 2, 1, 2], pair: BytePair(1, 2), into: 300)              // [300, 300]
public func merge(_ ids: [Int], pair: BytePair, into newID: Int) -> [Int] {
    todo("TODO(lesson 10): implement merge(_:pair:into:)")
}

// MARK: - Training

/// Byte-pair encoding training, one merge at a time.
///
/// The corpus is cut into chunks (special tokens removed, then `preTokenize`); each distinct
/// chunk is a **word**, kept once as its UTF-8 bytes (ids 0–255) with the number of times it
/// occurs. Each `step()` merges the most frequent pair into a new token, `256 + merges.count`,
/// in every word — and updates the pair counts **incrementally**: only the words that contain
/// the pair change, so only their pairs are recounted.
///
///     var trainer = BPETrainer(corpus: "hug pug hug pun hugs bun hug")
///     trainer.words         // [[104, 117, 103], [32, 112, 117, 103], [32, 104, 117, 103], …]
///     trainer.frequencies   // [1, 1, 2, 1, 1, 1]: "hug", " pug", " hug", " pun", " hugs", " bun"
///     trainer.step()        // (117, 103): "ug", 5 times, becomes token 256
///     trainer.words[0]      // [104, 256]
public struct BPETrainer {
    /// Each distinct word of the corpus as token ids, in the order the words first occur. Starts
    /// as UTF-8 bytes; each step merges a pair inside them.
    public private(set) var words: [[Int]]
    /// How many times each word occurs in the corpus: `frequencies[i]` belongs to `words[i]`.
    public let frequencies: [Int]
    /// How often each pair occurs in the corpus now: always `countPairs(words, frequencies:)`,
    /// with no pair of count 0.
    public private(set) var pairCounts: [BytePair: Int]
    /// The merges so far, in order: merge `i` made token `256 + i`.
    public private(set) var merges: [BytePair] = []
    /// For each pair, the indices of words that contain it — or once did: a word whose pair was
    /// merged away stays in the list, so check before using it.
    private var wordsWithPair: [BytePair: [Int]]

    /// Cuts `corpus` into words and counts them and their pairs.
    ///
    /// 1. `splitAtSpecialTokens`, and skip the special tokens: they never take part in merges.
    /// 2. `preTokenize` each text segment; count each distinct chunk, keyed by its UTF-8 bytes
    ///    (`Array(chunk.utf8)`, not the `String`: Swift's `==` says `"é"` and `"e\u{301}"` are
    ///    equal, but their bytes differ). `words` are the bytes as `Int`s, in order of first
    ///    occurrence, and `frequencies` their counts.
    /// 3. `pairCounts = countPairs(words, frequencies: frequencies)`, and `wordsWithPair`: the
    ///    index of every word under each pair it contains.
    public init(corpus: String, specialTokens: [String] = []) {
        todo("TODO(lesson 10): implement BPETrainer.init(corpus:specialTokens:)")
    }

    /// One merge: the most frequent pair (`mostFrequentPair(pairCounts)`) becomes token
    /// `256 + merges.count`. Returns the pair, or `nil` when no pair is left (every word is a
    /// single token).
    ///
    /// For each word listed under the pair in `wordsWithPair`: merge it (`merge(_:pair:into:)`);
    /// if it did not get shorter, it no longer contains the pair — skip it. Otherwise subtract
    /// the word's frequency from the count of every pair of the old word (removing counts that
    /// reach 0), add it to every pair of the new word, list the word under each new pair that
    /// contains the new token, and store the new word. Words without the pair are not touched:
    /// that is what makes training fast.
    public mutating func step() -> BytePair? {
        todo("TODO(lesson 10): implement BPETrainer.step()")
    }
}
