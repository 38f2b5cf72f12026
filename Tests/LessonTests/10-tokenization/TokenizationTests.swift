// Lesson 10: Tokenization. The tests follow the lesson's files in order: CharTokenizer.swift,
// PreTokenizer.swift, BPE.swift (pairs, merges, the trainer), BPETokenizer.swift (vocabulary,
// training, encode, decode), TokenizerFile.swift (JSON), then everything together
// (`test_module`).
//
// The worked example of the lesson text is the corpus "hug pug hug pun hugs bun hug": its pair
// counts and merges are counted by hand in the README and in the comments here. The merges of
// a longer corpus (the first 24 lines of Tiny Shakespeare, below) come from a Python
// transcription of the same rules, run once; its source and output are beside the numbers. No
// test reads the real data set; files are written to a temporary folder, removed after each
// test.

import Foundation
import XCTest
import TinyTorchTensor
import TinyTorchTokenization

final class TokenizationTests: LessonTestCase {

    // MARK: - CharTokenizer.swift

    func test_unit_charTokenizer_vocabularySortedByCodePoint() {
        let hello = CharTokenizer(corpus: "hello world")
        XCTAssertEqual(hello.vocabulary, [" ", "d", "e", "h", "l", "o", "r", "w"],
                       "the vocabulary of \"hello world\": each character once, sorted by code "
                       + "point (the space, 32, comes before the letters, 100…119)")
        XCTAssertEqual(hello.vocabularySize, 8, "8 distinct characters in \"hello world\"")
        XCTAssertNil(hello.unknown, "no unknown token unless one is given")

        // Tiny Shakespeare has exactly these 65 characters (Python: sorted(set(text))).
        let shakespeare = CharTokenizer(corpus: tinyShakespeareCharacters)
        XCTAssertEqual(shakespeare.vocabularySize, 65, "Tiny Shakespeare's 65 characters")
        XCTAssertEqual(shakespeare.vocabulary.first, "\n", "\"\\n\" (10) is the smallest: id 0")
        XCTAssertEqual(shakespeare.vocabulary.last, "z", "\"z\" (122) is the largest: id 64")
        // nanoGPT's shakespeare_char gives the same ids.
        XCTAssertEqual(try shakespeare.encode("First Citizen:\n"),
                       [18, 47, 56, 57, 58, 1, 15, 47, 58, 47, 64, 43, 52, 10, 0],
                       "\"First Citizen:\\n\" with the 65-character vocabulary of Tiny Shakespeare")

        // Unicode scalars, not Swift Characters: "\r\n" is one Character but two scalars, and
        // "é" and "e\u{301}" are equal Characters made of different scalars.
        XCTAssertEqual(CharTokenizer(corpus: "a\r\nb").vocabulary, ["\n", "\r", "a", "b"],
                       "\"\\r\\n\" is two Unicode scalars, so two tokens: iterate "
                       + "text.unicodeScalars, not the Characters of the text")
        XCTAssertEqual(CharTokenizer(corpus: "\u{E9}e\u{301}").vocabulary,
                       ["e", "\u{E9}", "\u{301}"],
                       "\"é\" (U+00E9) and \"e\" + U+0301 are different scalars: three tokens")
        XCTAssertEqual(CharTokenizer(corpus: "").vocabularySize, 0, "an empty corpus: no tokens")
    }

    func test_unit_charTokenizer_encodeDecodeRoundTrip() throws {
        let tokenizer = CharTokenizer(corpus: "hello world")
        // " " 0, d 1, e 2, h 3, l 4, o 5, r 6, w 7
        XCTAssertEqual(try tokenizer.encode("hello"), [3, 2, 4, 4, 5],
                       "h e l l o with the vocabulary [\" \", d, e, h, l, o, r, w]")
        XCTAssertEqual(try tokenizer.encode(""), [], "no text, no ids")
        XCTAssertEqual(try tokenizer.decode([7, 5, 6, 4, 1]), "world", "ids 7 5 6 4 1 spell world")
        XCTAssertEqual(try tokenizer.decode([]), "", "no ids, no text")
        XCTAssertEqual(try tokenizer.decode(tokenizer.encode("held low")), "held low",
                       "decode(encode(text)) should give the text back")

        let text = "naïve café, e\u{301}, 日本語, 👍🏽 and \r\n"
        let unicode = CharTokenizer(corpus: text)
        let ids = try unicode.encode(text)
        XCTAssertEqual(ids.count, text.unicodeScalars.count,
                       "one id per Unicode scalar: \(text.unicodeScalars.count) scalars")
        XCTAssertEqual(Array(try unicode.decode(ids).utf8), Array(text.utf8),
                       "decode(encode(text)) should give back the same bytes, accents and emoji "
                       + "included (Swift's == would call \"é\" and \"e\\u{301}\" equal: the "
                       + "test compares bytes)")
    }

    func test_unit_charTokenizer_unknownCharacterThrows() {
        let tokenizer = CharTokenizer(corpus: "hello world")
        assertTokenizerError(try tokenizer.encode("help"),
                             .unknownCharacter("p", offset: 3, vocabularySize: 8),
                             mentions: ["\"p\"", "U+0070", "character 3", "8 characters",
                                        "unknown"],
                             "\"p\" is not in the vocabulary of \"hello world\"")
        // Offsets count Unicode scalars: "e\u{301}" is two.
        assertTokenizerError(try tokenizer.encode("he\u{301}ll\u{E9}"),
                             .unknownCharacter("\u{301}", offset: 2, vocabularySize: 8),
                             mentions: ["\\u{0301}", "U+0301", "character 2"],
                             "the combining accent U+0301 is the third scalar (offset 2)")
        assertTokenizerError(try tokenizer.encode("hello\n"),
                             .unknownCharacter("\n", offset: 5, vocabularySize: 8),
                             mentions: ["\\n", "U+000A"],
                             "a newline is a character too, and the message shows it as \\n")
    }

    func test_unit_charTokenizer_unknownTokenReplaces() throws {
        let tokenizer = CharTokenizer(corpus: "hello", unknown: "?")
        XCTAssertEqual(tokenizer.vocabulary, ["?", "e", "h", "l", "o"],
                       "the unknown token is part of the vocabulary, sorted with the rest "
                       + "(\"?\" is 63, before the letters)")
        XCTAssertEqual(tokenizer.unknown, "?", "the tokenizer keeps its unknown token")
        XCTAssertEqual(try tokenizer.encode("help"), [2, 1, 3, 0],
                       "h e l, then p, unknown, becomes the id of \"?\" (0)")
        XCTAssertEqual(try tokenizer.decode(tokenizer.encode("hi! 👋")), "h????",
                       "every unknown character, emoji included, decodes as \"?\"")

        let replacement = CharTokenizer(corpus: "ab", unknown: "\u{FFFD}")
        XCTAssertEqual(replacement.vocabulary, ["a", "b", "\u{FFFD}"], "U+FFFD sorts last")
        XCTAssertEqual(try replacement.encode("abc"), [0, 1, 2], "c becomes U+FFFD's id, 2")

        let already = CharTokenizer(corpus: "a?b", unknown: "?")
        XCTAssertEqual(already.vocabulary, ["?", "a", "b"],
                       "an unknown token that is already in the corpus is not added twice")
    }

    func test_unit_charTokenizer_decodeRejectsUnknownIDs() {
        let tokenizer = CharTokenizer(corpus: "hello world")
        assertTokenizerError(try tokenizer.decode([3, 8]),
                             .unknownID(8, offset: 1, vocabularySize: 8),
                             mentions: ["id 8", "position 1", "0–7"],
                             "ids go from 0 to 7 for a vocabulary of 8")
        assertTokenizerError(try tokenizer.decode([-1]),
                             .unknownID(-1, offset: 0, vocabularySize: 8),
                             mentions: ["id -1"], "a negative id is never a token")
    }

    // MARK: - PreTokenizer.swift

    func test_unit_splitAtSpecialTokens_keepsSpecialTokensWhole() {
        let end = "<|endoftext|>"
        XCTAssertEqual(splitAtSpecialTokens("Hi\(end)Yo", specialTokens: [end]),
                       [.text("Hi"), .special(end), .text("Yo")],
                       "text, the special token, text")
        XCTAssertEqual(splitAtSpecialTokens("\(end)\(end)a\(end)", specialTokens: [end]),
                       [.special(end), .special(end), .text("a"), .special(end)],
                       "special tokens at the start, side by side and at the end: no empty "
                       + "text segments between them")
        XCTAssertEqual(splitAtSpecialTokens("Hi", specialTokens: []), [.text("Hi")],
                       "without special tokens the whole text is one segment")
        XCTAssertEqual(splitAtSpecialTokens("", specialTokens: [end]), [],
                       "an empty text has no segments")
        XCTAssertEqual(splitAtSpecialTokens("a<|end|>b\(end)c",
                                            specialTokens: ["<|end|>", end]),
                       [.text("a"), .special("<|end|>"), .text("b"), .special(end), .text("c")],
                       "two special tokens that start alike: each is found")
        XCTAssertEqual(splitAtSpecialTokens("a\(end)", specialTokens: ["<|end", end]),
                       [.text("a"), .special(end)],
                       "where two special tokens start at the same place, the longer one wins")
        XCTAssertEqual(splitAtSpecialTokens("<|endoftext|\(end)>", specialTokens: [end]),
                       [.text("<|endoftext|"), .special(end), .text(">")],
                       "an incomplete special token is ordinary text")
        XCTAssertEqual(splitAtSpecialTokens("\(end)\u{301}", specialTokens: [end]),
                       [.special(end), .text("\u{301}")],
                       "a combining accent right after a special token: compare Unicode scalars "
                       + "(or bytes), not Characters — \">\" + U+0301 is one Character")
    }

    func test_unit_preTokenize_leadingSpaceJoinsTheWord() {
        let cases: [(String, [String], String)] = [
            ("Hello, world!", ["Hello", ",", " world", "!"],
             "words, and punctuation on its own; the space goes with the word after it"),
            ("in 2024  we", ["in", " 2024", " ", " we"],
             "numbers are a run of their own; of two spaces, the last joins the word"),
            ("Hi\n\nthere ", ["Hi", "\n\n", "there", " "],
             "a run of newlines is one chunk; a space at the very end is a chunk"),
            ("don't", ["don", "'", "t"],
             "no rule for contractions: the apostrophe is a chunk of its own"),
            ("  leading", [" ", " leading"], "two spaces before a word: \" \" and \" leading\""),
            ("a \nb", ["a", " \n", "b"],
             "white space that ends in a newline stays whole: only a final space moves"),
            ("x...y ...", ["x", "...", "y", " ..."], "a run of symbols, with or without a space"),
            ("\t\tx", ["\t\t", "x"], "tabs: a white-space run before the word"),
            ("abc123def", ["abc", "123", "def"], "a new chunk wherever the class changes"),
            ("", [], "no text, no chunks"),
            ("   ", ["   "], "only spaces: one chunk"),
        ]
        for (text, expected, why) in cases {
            XCTAssertEqual(preTokenize(text), expected,
                           "preTokenize(\(text.debugDescription)): \(why)")
        }
    }

    func test_unit_preTokenize_unicodeTextJoinsBackExactly() {
        XCTAssertEqual(preTokenize("cafe\u{301} au lait"), ["cafe\u{301}", " au", " lait"],
                       "a combining accent (a mark) continues the word it follows")
        XCTAssertEqual(preTokenize("naïve 日本語 1½ 👍🏽!"), ["naïve", " 日本語", " 1½", " 👍🏽!"],
                       "letters of any script; ½ is a number; emoji and \"!\" are both symbols")
        XCTAssertEqual(preTokenize("❤\u{FE0F} ok"), ["❤\u{FE0F}", " ok"],
                       "the variation selector U+FE0F is a mark: it stays with its emoji")
        XCTAssertEqual(preTokenize("٣ cats"), ["٣", " cats"], "٣ is Arabic-Indic three: a number")
        XCTAssertEqual(preTokenize("\u{301}x"), ["\u{301}x"],
                       "a mark at the start is taken as a letter")

        var generator = SeededGenerator(seed: 10)
        for trial in 0..<50 {
            let text = randomText(length: 40, using: &generator)
            let chunks = preTokenize(text)
            XCTAssertEqual(Array(chunks.joined().utf8), Array(text.utf8),
                           "trial \(trial): the chunks of \(text.debugDescription) should join "
                           + "back to the same bytes")
            XCTAssertFalse(chunks.contains(""), "trial \(trial): no chunk is empty")
        }
    }

    // MARK: - BPE.swift

    func test_unit_countPairs_weightsByFrequency() {
        // The worked example's words: "hug" ×1, " pug" ×1, " hug" ×2, " pun" ×1, " hugs" ×1,
        // " bun" ×1.
        let counts = countPairs(bytes(["hug", " pug", " hug", " pun", " hugs", " bun"]),
                                frequencies: [1, 1, 2, 1, 1, 1])
        let expected: [BytePair: Int] = [
            pair("u", "g"): 5,   // hug 1 + pug 1 + hug 2 + hugs 1
            pair("h", "u"): 4,   // hug 1 + hug 2 + hugs 1
            pair(" ", "h"): 3,   // hug 2 + hugs 1
            pair(" ", "p"): 2, pair("p", "u"): 2, pair("u", "n"): 2,
            pair("g", "s"): 1, pair(" ", "b"): 1, pair("b", "u"): 1,
        ]
        XCTAssertEqual(counts, expected,
                       "each pair counts once per occurrence, times its word's frequency")
        XCTAssertEqual(countPairs([[97, 97, 97]], frequencies: [3]), [BytePair(97, 97): 6],
                       "\"aaa\" holds the pair (a, a) twice; three times over: 6")
        XCTAssertEqual(countPairs([[1], []], frequencies: [4, 5]), [:],
                       "a word of one token has no pairs, and neither has an empty word")
        XCTAssertEqual(countPairs([[1, 2], [2, 1]], frequencies: [1, 1]),
                       [BytePair(1, 2): 1, BytePair(2, 1): 1],
                       "pairs never span two words: [1, 2] and [2, 1] have no (2, 2)")
    }

    func test_unit_mostFrequentPair_breaksTiesBySmallestPair() {
        XCTAssertEqual(mostFrequentPair([BytePair(117, 103): 5, BytePair(104, 117): 4]),
                       BytePair(117, 103), "the highest count wins")
        XCTAssertEqual(mostFrequentPair([BytePair(117, 110): 2, BytePair(32, 112): 2,
                                         BytePair(259, 256): 1]),
                       BytePair(32, 112),
                       "a tie at 2: the smaller pair wins, (32, 112) before (117, 110)")
        XCTAssertEqual(mostFrequentPair([BytePair(7, 9): 3, BytePair(7, 8): 3,
                                         BytePair(8, 1): 3]),
                       BytePair(7, 8), "same first id: the smaller second id wins")
        XCTAssertNil(mostFrequentPair([:]), "no pairs: nothing to merge")
        // A dictionary's order changes between runs; the answer must not.
        var counts: [BytePair: Int] = [:]
        for first in 0..<30 {
            for second in 0..<30 {
                counts[BytePair(first, second)] = (first * 7 + second * 3) % 11
            }
        }
        let best = mostFrequentPair(counts)
        // Python: c = {(a, b): (7*a + 3*b) % 11 for a in range(30) for b in range(30)}
        //         min(c, key=lambda p: (-c[p], p))   → (0, 7)
        XCTAssertEqual(best, BytePair(0, 7),
                       "900 pairs with counts (7a + 3b) mod 11: the largest is 10, and the "
                       + "smallest pair with it is (0, 7)")
    }

    func test_unit_merge_leftToRightWithoutOverlap() {
        XCTAssertEqual(merge([104, 117, 103, 115], pair: BytePair(117, 103), into: 256),
                       [104, 256, 115], "h u g s: the pair (u, g) becomes 256")
        XCTAssertEqual(merge([97, 97, 97], pair: BytePair(97, 97), into: 256), [256, 97],
                       "a a a: the first two merge, the third is left (no overlap)")
        XCTAssertEqual(merge([97, 97, 97, 97], pair: BytePair(97, 97), into: 256), [256, 256],
                       "a a a a: two merges")
        XCTAssertEqual(merge([1, 2, 1, 2, 1], pair: BytePair(1, 2), into: 300), [300, 300, 1],
                       "every occurrence is merged, left to right")
        XCTAssertEqual(merge([2, 1, 3], pair: BytePair(1, 2), into: 300), [2, 1, 3],
                       "(2, 1) is not (1, 2): order matters")
        XCTAssertEqual(merge([], pair: BytePair(1, 2), into: 300), [], "an empty list")
        XCTAssertEqual(merge([1], pair: BytePair(1, 2), into: 300), [1], "a single id")
    }

    func test_unit_bpeTrainer_countsDistinctWords() {
        let trainer = BPETrainer(corpus: "hug pug hug pun hugs bun hug")
        // Chunks: "hug", " pug", " hug", " pun", " hugs", " bun", " hug".
        XCTAssertEqual(trainer.words, bytes(["hug", " pug", " hug", " pun", " hugs", " bun"]),
                       "each distinct chunk once, as its UTF-8 bytes, in order of first "
                       + "occurrence (\"hug\" at the start has no space: another word)")
        XCTAssertEqual(trainer.frequencies, [1, 1, 2, 1, 1, 1], "\" hug\" occurs twice")
        XCTAssertEqual(trainer.merges, [], "no merges before the first step")
        XCTAssertEqual(trainer.pairCounts[pair("u", "g")], 5, "(u, g) occurs 5 times")
        XCTAssertEqual(trainer.pairCounts.count, 9, "9 distinct pairs (see the lesson text)")

        let special = BPETrainer(corpus: "ab<|endoftext|>ab ab<|endoftext|>",
                                 specialTokens: ["<|endoftext|>"])
        XCTAssertEqual(special.words, bytes(["ab", " ab"]),
                       "special tokens are taken out of the corpus before counting")
        XCTAssertEqual(special.frequencies, [2, 1], "\"ab\" twice, \" ab\" once")
        XCTAssertNil(special.pairCounts[pair("b", "<")],
                     "no pair reaches across a special token")

        // "é" as one scalar and as e + U+0301 are equal Strings in Swift, but different bytes.
        let accents = BPETrainer(corpus: "\u{E9} e\u{301} \u{E9}")
        XCTAssertEqual(accents.words, [[0xC3, 0xA9], [0x20, 0x65, 0xCC, 0x81], [0x20, 0xC3, 0xA9]],
                       "words are told apart by their bytes, not by String's ==")
    }

    func test_unit_bpeTrainer_stepsThroughTheWorkedExample() {
        var trainer = BPETrainer(corpus: "hug pug hug pun hugs bun hug")
        XCTAssertEqual(trainer.step(), pair("u", "g"), "step 1: (u, g), 5 times, becomes 256")
        XCTAssertEqual(trainer.words, [[104, 256], [32, 112, 256], [32, 104, 256],
                                       [32, 112, 117, 110], [32, 104, 256, 115],
                                       [32, 98, 117, 110]],
                       "after step 1, every u g is 256; pun and bun are unchanged")
        XCTAssertEqual(trainer.pairCounts, [
            BytePair(104, 256): 4, pair(" ", "h"): 3, pair(" ", "p"): 2, pair("u", "n"): 2,
            BytePair(112, 256): 1, pair("p", "u"): 1, BytePair(256, 115): 1,
            pair(" ", "b"): 1, pair("b", "u"): 1,
        ], "the counts after step 1 (the lesson's table); (u, g), (h, u) and (g, s) are gone")

        XCTAssertEqual(trainer.step(), BytePair(104, 256), "step 2: (h, ug), 4 times → 257 hug")
        XCTAssertEqual(trainer.step(), BytePair(32, 257), "step 3: ( , hug), 3 times → 258")
        XCTAssertEqual(trainer.step(), pair(" ", "p"),
                       "step 4: ( , p) and (u, n) both occur twice; (32, 112) is smaller")
        XCTAssertEqual(trainer.step(), pair("u", "n"), "step 5: (u, n) → 260")
        XCTAssertEqual(trainer.step(), pair(" ", "b"),
                       "step 6: five pairs occur once; ( , b) = (32, 98) is the smallest")
        XCTAssertEqual(trainer.merges.count, 6, "six merges so far")
        XCTAssertEqual(trainer.words, [[257], [259, 256], [258], [259, 260], [258, 115],
                                       [261, 260]],
                       "after 6 steps: hug, \" p\"+ug, \" hug\", \" p\"+un, \" hug\"+s, \" b\"+un")
        for _ in 0..<4 {
            XCTAssertNotNil(trainer.step(), "four pairs are left, one step each")
        }
        XCTAssertNil(trainer.step(), "every word is one token: no pair is left, step() is nil")
        XCTAssertEqual(trainer.pairCounts, [:], "no pairs left")
    }

    func test_unit_bpeTrainer_incrementalCountsMatchARecount() {
        var generator = SeededGenerator(seed: 3)
        let corpus = syllableText(words: 1500, using: &generator)
        var trainer = BPETrainer(corpus: corpus)
        XCTAssertEqual(trainer.pairCounts, countPairs(trainer.words,
                                                      frequencies: trainer.frequencies),
                       "before any step, pairCounts counts the pairs of all words")
        for step in 1...120 {
            guard let merged = trainer.step() else {
                return XCTFail("step \(step): the corpus still has pairs, step() returned nil")
            }
            let recount = countPairs(trainer.words, frequencies: trainer.frequencies)
            guard trainer.pairCounts == recount else {
                let wrong = Set(recount.keys).union(trainer.pairCounts.keys)
                    .filter { trainer.pairCounts[$0] != recount[$0] }
                    .sorted().prefix(3)
                    .map { "\($0): \(trainer.pairCounts[$0].map(String.init) ?? "missing") "
                        + "instead of \(recount[$0].map(String.init) ?? "absent")" }
                return XCTFail("after step \(step) (merging \(merged)), the incremental "
                               + "pairCounts differ from a recount of the words: "
                               + wrong.joined(separator: "; ")
                               + " (a pair whose count reaches 0 must be removed)")
            }
            XCTAssertFalse(trainer.words.contains { word in
                zip(word, word.dropFirst()).contains { $0 == merged.first && $1 == merged.second }
            }, "after step \(step), no word may still contain the merged pair \(merged)")
        }
    }

    // MARK: - BPETokenizer.swift

    func test_unit_bpeTokenizer_buildsVocabularyFromMerges() throws {
        let tokenizer = try BPETokenizer(merges: [pair("u", "g"), BytePair(104, 256)],
                                         specialTokens: ["<|endoftext|>"])
        XCTAssertEqual(tokenizer.vocabulary.count, 258, "256 bytes and 2 merges")
        XCTAssertEqual(tokenizer.vocabulary[104], [104], "a byte token is its byte")
        XCTAssertEqual(tokenizer.vocabulary[0], [0], "byte 0 too")
        XCTAssertEqual(tokenizer.vocabulary[256], Array("ug".utf8), "merge 0: u + g")
        XCTAssertEqual(tokenizer.vocabulary[257], Array("hug".utf8), "merge 1: h + ug")
        XCTAssertEqual(tokenizer.vocabularySize, 259, "258 and one special token")
        XCTAssertEqual(tokenizer.id(ofSpecialToken: "<|endoftext|>"), 258,
                       "the special token comes after the merges")
        XCTAssertEqual(tokenizer.merges, [pair("u", "g"), BytePair(104, 256)],
                       "the tokenizer keeps its merges")
        XCTAssertEqual(try BPETokenizer(merges: []).vocabularySize, 256,
                       "no merges: the 256 bytes")
    }

    func test_unit_bpeTokenizer_rejectsInvalidMerges() {
        assertTokenizerError(try BPETokenizer(merges: [BytePair(117, 256)]),
                             .mergeOfUnknownToken(index: 0, first: 117, second: 256),
                             mentions: ["merge 0", "256", "0–255"],
                             "merge 0 can only use the bytes 0–255")
        assertTokenizerError(try BPETokenizer(merges: [BytePair(1, 2), BytePair(257, 3)]),
                             .mergeOfUnknownToken(index: 1, first: 257, second: 3),
                             mentions: ["merge 1", "257", "0–256"],
                             "merge 1 may use 0–256, but 257 is the token it makes itself")
        assertTokenizerError(try BPETokenizer(merges: [BytePair(-1, 2)]),
                             .mergeOfUnknownToken(index: 0, first: -1, second: 2),
                             mentions: ["-1"], "a negative id is never a token")
        assertTokenizerError(try BPETokenizer(merges: [BytePair(1, 2), BytePair(3, 4),
                                                       BytePair(1, 2)]),
                             .duplicateMerge(index: 2, first: 1, second: 2, earlierIndex: 0),
                             mentions: ["merge 2", "merge 0"],
                             "the same pair merged twice: which token would it make?")
        assertTokenizerError(try BPETokenizer(merges: [], specialTokens: ["<|a|>", ""]),
                             .emptySpecialToken(index: 1), mentions: ["special token 1"],
                             "an empty special token would match everywhere")
        assertTokenizerError(try BPETokenizer(merges: [], specialTokens: ["<|a|>", "<|a|>"]),
                             .duplicateSpecialToken("<|a|>"), mentions: ["<|a|>", "twice"],
                             "one special token, two ids?")
    }

    func test_unit_train_matchesPythonReference() {
        // Python 3, the same rules (pre-tokenizer for ASCII text; most frequent pair, ties to the
        // smallest pair), run once:
        //   import re
        //   from collections import Counter
        //   PAT = r" ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?= \S)|\s+"
        //   def train(text, n):
        //       words = Counter(tuple(w.encode()) for w in re.findall(PAT, text))
        //       merges = []
        //       for new in range(256, 256 + n):
        //           pairs = Counter()
        //           for w, c in words.items():
        //               for p in zip(w, w[1:]): pairs[p] += c
        //           if not pairs: break
        //           best = min(pairs, key=lambda p: (-pairs[p], p))
        //           merges.append(best)
        //           def merge(w):
        //               out, i = [], 0
        //               while i < len(w):
        //                   if w[i:i+2] == best: out.append(new); i += 2
        //                   else: out.append(w[i]); i += 1
        //               return tuple(out)
        //           words = Counter({merge(w): c for w, c in words.items()})
        //       return merges
        //   text = open("input.txt").read()
        //   train(text[:text.index("away, away!\n") + 12], 40)       # the first 24 lines
        // → [(32, 97), (10, 10), (108, 108), (32, 116), (32, 67), (70, 105), (101, 110),
        //    (105, 116), (114, 101), (114, 115), (118, 101), (261, 265), (267, 116), (32, 107),
        //    (65, 258), (101, 97), (105, 122), (111, 119), (260, 263), (272, 262), (274, 275),
        //    (32, 104), (32, 112), (32, 119), (104, 101), (108, 266), (110, 273), (111, 117),
        //    (111, 281), (112, 271), (115, 284), (117, 115), (259, 111), (269, 282), (279, 101),
        //    (285, 107), (286, 100), (32, 99), (32, 100), (32, 102)]
        //   " a", "\n\n", "ll", " t", " C", "Fi", "en", "it", "re", "rs", "ve", "Firs", "First",
        //   " k", "All", "ea", "iz", "ow", " Cit", "izen", " Citizen", " h", " p", " w", "he",
        //   "lve", "now", "ou", "olve", "pea", "solve", "us", " to", " know", " we", "peak",
        //   "solved", " c", " d", " f"
        let reference: [(Int, Int)] = [
            (32, 97), (10, 10), (108, 108), (32, 116), (32, 67), (70, 105), (101, 110),
            (105, 116), (114, 101), (114, 115), (118, 101), (261, 265), (267, 116), (32, 107),
            (65, 258), (101, 97), (105, 122), (111, 119), (260, 263), (272, 262), (274, 275),
            (32, 104), (32, 112), (32, 119), (104, 101), (108, 266), (110, 273), (111, 117),
            (111, 281), (112, 271), (115, 284), (117, 115), (259, 111), (269, 282), (279, 101),
            (285, 107), (286, 100), (32, 99), (32, 100), (32, 102),
        ]
        let expected = reference.map { BytePair($0.0, $0.1) }
        let tokenizer = BPETokenizer.train(on: shakespeareExcerpt, mergeCount: 40)
        XCTAssertEqual(shakespeareExcerpt.utf8.count, 421, "the excerpt is 421 bytes long")
        for (index, (got, want)) in zip(tokenizer.merges, expected).enumerated() where got != want {
            return XCTFail("merge \(index) should be \(want) (\(show(want, tokenizer))) but is "
                           + "\(got) (\(show(got, tokenizer))); merges 0–\(index - 1) agree "
                           + "with the Python reference")
        }
        XCTAssertEqual(tokenizer.merges.count, 40, "40 merges were asked for")
        XCTAssertEqual(tokenizer.vocabulary[256 + 20], Array(" Citizen".utf8),
                       "merge 20 makes \" Citizen\" from \" Cit\" and \"izen\"")
    }

    func test_unit_train_specialTokensAreNeverMerged() throws {
        let end = "<|endoftext|>"
        let corpus = Array(repeating: "ab\(end)", count: 20).joined() + "ab ab"
        let tokenizer = BPETokenizer.train(on: corpus, mergeCount: 30, specialTokens: [end])
        for (index, token) in tokenizer.vocabulary.enumerated().dropFirst(256) {
            let text = String(decoding: token, as: UTF8.self)
            XCTAssertFalse(text.contains("<") || text.contains("|") || text.contains(">"),
                           "token \(index) is \(text.debugDescription): the bytes of the special "
                           + "token must not take part in training")
        }
        XCTAssertEqual(tokenizer.merges, [pair("a", "b"), BytePair(32, 256)],
                       "\"ab\" occurs 21 times, \" ab\" once: two merges, then nothing is left")
        XCTAssertEqual(tokenizer.specialTokens, [end], "the special token is kept")
        XCTAssertEqual(tokenizer.id(ofSpecialToken: end), 258,
                       "its id follows the 256 bytes and the 2 merges")
        XCTAssertEqual(tokenizer.vocabularySize, 259, "256 + 2 + 1")
        XCTAssertNil(tokenizer.id(ofSpecialToken: "<|other|>"), "not a special token")
    }

    func test_unit_train_stopsWhenNoPairIsLeft() {
        let tokenizer = BPETokenizer.train(on: "ab ab", mergeCount: 100)
        XCTAssertEqual(tokenizer.merges, [pair("a", "b"), BytePair(32, 256)],
                       "\"ab\" and \" ab\": after 2 merges each word is one token, so training "
                       + "stops early")
        XCTAssertEqual(BPETokenizer.train(on: "hug pug hug pun hugs bun hug", mergeCount: 3)
                        .merges, [pair("u", "g"), BytePair(104, 256), BytePair(32, 257)],
                       "mergeCount: 3 stops after three merges")
        XCTAssertEqual(BPETokenizer.train(on: "", mergeCount: 5).merges, [],
                       "an empty corpus has no pairs")
        XCTAssertEqual(BPETokenizer.train(on: "hug", mergeCount: 0).vocabularySize, 256,
                       "mergeCount: 0 is the byte tokenizer")
    }

    func test_unit_encode_appliesMergesInRankOrder() throws {
        let tokenizer = try BPETokenizer(
            merges: [pair("u", "g"), BytePair(104, 256), BytePair(32, 257), pair(" ", "p"),
                     pair("u", "n"), pair(" ", "b")],
            specialTokens: ["<|endoftext|>"])
        XCTAssertEqual(tokenizer.encode(" hugs"), [258, 115],
                       "\" hugs\": ug (rank 0), then h+ug (1), then \" \"+hug (2), and s")
        XCTAssertEqual(tokenizer.encode("hugs"), [257, 115], "\"hugs\" without a space")
        XCTAssertEqual(tokenizer.encode("hug bug"), [257, 261, 256],
                       "\"hug\", then \" bug\" — never seen, but made of \" b\" and \"ug\"")
        XCTAssertEqual(tokenizer.encode("hug bug<|endoftext|>"), [257, 261, 256, 262],
                       "the special token is one id, 262")
        XCTAssertEqual(tokenizer.encode(" 🤗"), [32, 240, 159, 164, 151],
                       "an emoji no merge knows stays bytes: U+1F917 is F0 9F A4 97 in UTF-8")
        XCTAssertEqual(tokenizer.encode(""), [], "no text, no ids")

        // Rank order, not left to right: (b, c) was learned before (a, b).
        let ranked = try BPETokenizer(merges: [pair("b", "c"), pair("a", "b")])
        XCTAssertEqual(ranked.encode("abc"), [97, 256],
                       "\"abc\": (b, c) has rank 0 and goes first, leaving a + bc; merging "
                       + "(a, b) first, as it comes first, would give ab + c")
        XCTAssertEqual(ranked.encode("ab"), [257], "\"ab\" alone: (a, b) applies")
        XCTAssertEqual(try BPETokenizer(merges: []).encode("hi"), [104, 105],
                       "without merges, the ids are the UTF-8 bytes")
    }

    func test_unit_encode_reproducesTrainingSegmentation() throws {
        var generator = SeededGenerator(seed: 8)
        let corpus = syllableText(words: 800, using: &generator)
        var trainer = BPETrainer(corpus: corpus)
        for _ in 0..<60 {
            _ = trainer.step()
        }
        let tokenizer = try BPETokenizer(merges: trainer.merges)
        for word in trainer.words {
            let text = String(decoding: wordBytes(word, tokenizer), as: UTF8.self)
            XCTAssertEqual(tokenizer.encode(text), word,
                           "encoding the training word \(text.debugDescription) should give "
                           + "the tokens training left it with")
        }
        let ids = tokenizer.encode(corpus)
        let trainedCount = zip(trainer.words, trainer.frequencies).map { $0.count * $1 }
            .reduce(0, +)
        XCTAssertEqual(ids.count, trainedCount,
                       "encoding the whole corpus gives as many tokens as training counted")
    }

    func test_unit_decode_roundTripsAnyUTF8() throws {
        let tokenizer = BPETokenizer.train(on: shakespeareExcerpt, mergeCount: 40,
                                           specialTokens: ["<|endoftext|>"])
        let texts = [
            shakespeareExcerpt,
            "naïve café: e\u{301} and \u{E9} are different bytes",
            "👨‍👩‍👧 👍🏽 🇫🇷 1️⃣ ❤️", "日本語のテキスト", "Ελληνικά, русский, עברית, العربية",
            "tabs\tand\r\nCRLF\u{0}NUL", "\u{FFFD}\u{10FFFF}\u{7F}", "   ", "",
            "First<|endoftext|>Second<|endoftext|>",
        ]
        for text in texts {
            let ids = tokenizer.encode(text)
            XCTAssertEqual(Array(try tokenizer.decode(ids).utf8), Array(text.utf8),
                           "decode(encode(\(text.debugDescription))) should give back the same "
                           + "bytes (compared as bytes: Swift's == calls \"é\" and "
                           + "\"e\\u{301}\" equal)")
        }
        var generator = SeededGenerator(seed: 77)
        for trial in 0..<100 {
            let text = randomText(length: 30, using: &generator)
            XCTAssertEqual(Array(try tokenizer.decode(tokenizer.encode(text)).utf8),
                           Array(text.utf8), "random text \(trial): \(text.debugDescription)")
        }
        XCTAssertEqual(try tokenizer.decode([240, 159]), "\u{FFFD}",
                       "two bytes of a four-byte emoji are not valid UTF-8: they decode as �")
        XCTAssertEqual(try tokenizer.decode([32, 240, 159, 164, 151]), " 🤗",
                       "the four bytes of 🤗 decode together")
        XCTAssertEqual(try tokenizer.decode([tokenizer.id(ofSpecialToken: "<|endoftext|>")!]),
                       "<|endoftext|>", "a special token decodes as its text")
    }

    func test_unit_decode_rejectsUnknownIDs() throws {
        let tokenizer = try BPETokenizer(merges: [pair("a", "b")], specialTokens: ["<|x|>"])
        XCTAssertEqual(try tokenizer.decode([256, 257]), "ab<|x|>",
                       "256 is \"ab\", 257 the special token")
        assertTokenizerError(try tokenizer.decode([97, 258]),
                             .unknownID(258, offset: 1, vocabularySize: 258),
                             mentions: ["id 258", "position 1", "0–257"],
                             "258 ids: 256 bytes, one merge, one special token")
        assertTokenizerError(try tokenizer.decode([-5]),
                             .unknownID(-5, offset: 0, vocabularySize: 258),
                             mentions: ["id -5"], "a negative id is never a token")
    }

    // MARK: - TokenizerFile.swift

    func test_unit_jsonData_roundTrips() throws {
        let tokenizer = try BPETokenizer(merges: [pair("u", "g"), BytePair(104, 256)],
                                         specialTokens: ["<|endoftext|>", "<|pad|>"])
        let json = String(decoding: try tokenizer.jsonData(), as: UTF8.self)
        XCTAssertEqual(json, #"{"format":"tinytorch-bpe","merges":[[117,103],[104,256]],"#
                       + #""special_tokens":["<|endoftext|>","<|pad|>"],"version":1}"#,
                       "the file: keys sorted, no escaped slashes, merges as [first, second]")
        XCTAssertEqual(try BPETokenizer(jsonData: tokenizer.jsonData()), tokenizer,
                       "reading the JSON back gives the same tokenizer")

        let trained = BPETokenizer.train(on: shakespeareExcerpt, mergeCount: 40,
                                         specialTokens: ["<|endoftext|>"])
        let loaded = try BPETokenizer(jsonData: trained.jsonData())
        XCTAssertEqual(loaded, trained, "a trained tokenizer survives the round trip")
        XCTAssertEqual(loaded.encode(shakespeareExcerpt), trained.encode(shakespeareExcerpt),
                       "and encodes exactly as before")
    }

    func test_unit_jsonData_rejectsMalformedFiles() {
        func file(_ merges: String, _ specials: String = "[]", format: String = "tinytorch-bpe",
                  version: Int = 1) -> Data {
            Data((#"{"format":"\#(format)","version":\#(version),"merges":\#(merges),"#
                  + #""special_tokens":\#(specials)}"#).utf8)
        }
        let name = "t.json"
        assertMalformed(try BPETokenizer(jsonData: Data("not json".utf8), name: name),
                        mentions: ["t.json", "not a tokenizer file"], "text that is not JSON")
        assertMalformed(try BPETokenizer(jsonData: Data(), name: name),
                        mentions: ["t.json"], "an empty file")
        assertMalformed(try BPETokenizer(jsonData: Data("[]".utf8), name: name),
                        mentions: ["t.json"], "a JSON list instead of an object")
        let noMerges = #"{"format":"tinytorch-bpe","version":1,"special_tokens":[]}"#
        assertMalformed(try BPETokenizer(jsonData: Data(noMerges.utf8), name: name),
                        mentions: ["merges", "missing"], "no merges")
        assertMalformed(try BPETokenizer(jsonData: file(#"[[1,"a"]]"#), name: name),
                        mentions: ["merges[0][1]"], "a merge of a string")
        assertMalformed(try BPETokenizer(jsonData: file("[[1,2.5]]"), name: name),
                        mentions: ["t.json"], "2.5 is not a token id")
        assertMalformed(try BPETokenizer(jsonData: file("[[1,1e400]]"), name: name),
                        mentions: ["t.json"], "1e400 is not a token id")
        assertMalformed(try BPETokenizer(jsonData: file("[[1,99999999999999999999]]"),
                                         name: name),
                        mentions: ["t.json"], "a number too big for an Int")
        assertMalformed(try BPETokenizer(jsonData: file("[[1,2]]", "[3]"), name: name),
                        mentions: ["special_tokens[0]"], "a special token that is a number")
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        assertMalformed(try BPETokenizer(jsonData: file(deep), name: name),
                        mentions: ["t.json"], "100,000 nested lists must not crash the reader")
        assertMalformed(try BPETokenizer(jsonData: Data([0x7B, 0xFF, 0xFE, 0x7D]), name: name),
                        mentions: ["t.json"], "bytes that are not UTF-8")

        assertTokenizerError(try BPETokenizer(jsonData: file("[]", format: "gpt2"), name: name),
                             .unsupportedFormat(name: name, format: "gpt2", version: 1),
                             mentions: ["t.json", "gpt2", "tinytorch-bpe"], "another format")
        assertTokenizerError(try BPETokenizer(jsonData: file("[]", version: 2), name: name),
                             .unsupportedFormat(name: name, format: "tinytorch-bpe", version: 2),
                             mentions: ["version 2"], "a version this tokenizer cannot read")
        assertTokenizerError(try BPETokenizer(jsonData: file("[[1,2],[3,4,5]]"), name: name),
                             .invalidFile(name: name, problem: .mergeNotAPair(index: 1, count: 3)),
                             mentions: ["t.json", "merge 1", "3 ids"], "a merge of three ids")
        assertTokenizerError(try BPETokenizer(jsonData: file("[[1]]"), name: name),
                             .invalidFile(name: name, problem: .mergeNotAPair(index: 0, count: 1)),
                             mentions: ["merge 0"], "a merge of one id")
        assertTokenizerError(try BPETokenizer(jsonData: file("[[300,5]]"), name: name),
                             .invalidFile(name: name, problem: .mergeOfUnknownToken(
                                index: 0, first: 300, second: 5)),
                             mentions: ["t.json", "merge 0", "300"],
                             "a merge of a token that does not exist yet")
        assertTokenizerError(try BPETokenizer(jsonData: file("[[1,2],[1,2]]"), name: name),
                             .invalidFile(name: name, problem: .duplicateMerge(
                                index: 1, first: 1, second: 2, earlierIndex: 0)),
                             mentions: ["t.json", "merge 1"], "the same merge twice")
        assertTokenizerError(try BPETokenizer(jsonData: file("[]", #"["a",""]"#), name: name),
                             .invalidFile(name: name, problem: .emptySpecialToken(index: 1)),
                             mentions: ["t.json", "special token 1"], "an empty special token")
    }

    func test_unit_contentsOf_checksTheFileBeforeReading() throws {
        let folder = try temporaryFolder()
        let tokenizer = BPETokenizer.train(on: shakespeareExcerpt, mergeCount: 25,
                                           specialTokens: ["<|endoftext|>"])
        let url = folder.appendingPathComponent("shakespeare.json")
        try tokenizer.save(to: url)
        XCTAssertEqual(try BPETokenizer(contentsOf: url), tokenizer,
                       "save(to:) then init(contentsOf:) gives the same tokenizer")

        let missing = folder.appendingPathComponent("missing.json")
        assertTokenizerError(try BPETokenizer(contentsOf: missing),
                             .fileNotFound(path: missing.path),
                             mentions: ["missing.json", "no such file"], "a file that is not there")
        assertTokenizerError(try BPETokenizer(contentsOf: folder),
                             .unreadable(name: folder.lastPathComponent,
                                         reason: "it is a folder, not a file"),
                             mentions: ["folder"], "a folder is not a tokenizer file")

        // 20 MB, all zeros and sparse (no disk space): refused by its size, before reading.
        let huge = folder.appendingPathComponent("huge.json")
        try Data("{".utf8).write(to: huge)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 20_000_000)
        try handle.close()
        assertTokenizerError(try BPETokenizer(contentsOf: huge),
                             .fileTooLarge(name: "huge.json", size: 20_000_000,
                                           limit: BPETokenizer.maximumFileSize),
                             mentions: ["huge.json", "20000000", "16000000"],
                             "a file of more than 16 MB is refused unread")

        let empty = folder.appendingPathComponent("empty.json")
        try Data().write(to: empty)
        assertMalformed(try BPETokenizer(contentsOf: empty), mentions: ["empty.json"],
                        "an empty file is not a tokenizer file, and the error names it")
        let broken = folder.appendingPathComponent("broken.json")
        let badMerge = #"{"format":"tinytorch-bpe","version":1,"merges":[[1,999]],"#
            + #""special_tokens":[]}"#
        try Data(badMerge.utf8).write(to: broken)
        assertTokenizerError(try BPETokenizer(contentsOf: broken),
                             .invalidFile(name: "broken.json", problem: .mergeOfUnknownToken(
                                index: 0, first: 1, second: 999)),
                             mentions: ["broken.json", "999"],
                             "the file's problems name the file")
    }

    // MARK: - Everything together

    func test_module() throws {
        let end = "<|endoftext|>"
        let corpus = shakespeareExcerpt + end + shakespeareExcerpt.uppercased() + end
        let tokenizer = BPETokenizer.train(on: corpus, mergeCount: 60, specialTokens: [end])
        XCTAssertEqual(tokenizer.vocabularySize, 256 + 60 + 1, "bytes, 60 merges, 1 special")

        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("tokenizer.json")
        try tokenizer.save(to: url)
        let loaded = try BPETokenizer(contentsOf: url)
        XCTAssertEqual(loaded, tokenizer, "the saved tokenizer loads back the same")

        let ids = loaded.encode(corpus)
        XCTAssertLessThan(ids.count, corpus.utf8.count * 2 / 3,
                          "60 merges should encode the corpus in well under 2/3 as many tokens "
                          + "as it has bytes (\(ids.count) tokens for \(corpus.utf8.count) bytes)")
        XCTAssertEqual(ids.filter { $0 == 316 }.count, 2, "the special token (id 316) twice")
        XCTAssertEqual(Array(try loaded.decode(ids).utf8), Array(corpus.utf8),
                       "decode(encode(corpus)) gives back the corpus")
        let unseen = "Hark! A new line, with café and 🤖.\(end)"
        XCTAssertEqual(Array(try loaded.decode(loaded.encode(unseen)).utf8), Array(unseen.utf8),
                       "text the tokenizer never saw round-trips too")

        // The same text, one character per token: more tokens, a much smaller vocabulary.
        let characters = CharTokenizer(corpus: shakespeareExcerpt, unknown: "\u{FFFD}")
        let characterIDs = try characters.encode(shakespeareExcerpt)
        XCTAssertEqual(characterIDs.count, 421, "421 characters, 421 tokens")
        XCTAssertEqual(characters.vocabularySize, 45, "44 distinct characters and U+FFFD")
        XCTAssertLessThan(loaded.encode(shakespeareExcerpt).count, characterIDs.count,
                          "BPE needs fewer tokens than characters for the same text")
        XCTAssertEqual(try characters.decode(characters.encode("First, 🤖")), "First, \u{FFFD}",
                       "the character tokenizer maps the unseen emoji to its unknown token")
    }

    // MARK: - Helpers

    /// The UTF-8 bytes of each word, as ids.
    private func bytes(_ words: [String]) -> [[Int]] {
        words.map { $0.utf8.map(Int.init) }
    }

    /// The pair of two one-byte characters: `pair("u", "g") == BytePair(117, 103)`.
    private func pair(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> BytePair {
        BytePair(Int(first.value), Int(second.value))
    }

    /// The bytes of a word of token ids.
    private func wordBytes(_ word: [Int], _ tokenizer: BPETokenizer) -> [UInt8] {
        word.flatMap { tokenizer.vocabulary[$0] }
    }

    /// `(32, 97)` → `" " + "a"`, for messages.
    private func show(_ pair: BytePair, _ tokenizer: BPETokenizer) -> String {
        func text(_ id: Int) -> String {
            guard tokenizer.vocabulary.indices.contains(id) else { return "?" }
            return String(decoding: tokenizer.vocabulary[id], as: UTF8.self).debugDescription
        }
        return "\(text(pair.first)) + \(text(pair.second))"
    }

    /// Words made of a few syllables, separated by spaces, newlines and punctuation: a corpus
    /// with many repeated pairs, overlapping ones ("aaaa", "abab") included.
    private func syllableText(words: Int, using generator: inout SeededGenerator) -> String {
        let syllables = ["ka", "ta", "na", "ra", "to", "ki", "aa", "ab", "ba", "an", "é", "日"]
        let separators = [" ", " ", " ", " ", "\n", ", ", ". ", "  ", "\n\n"]
        var text = ""
        for _ in 0..<words {
            let length = 1 + generator.nextInt(below: 4)
            for _ in 0..<length {
                text += syllables[generator.nextInt(below: syllables.count)]
            }
            text += separators[generator.nextInt(below: separators.count)]
        }
        return text
    }

    /// `length` random Unicode scalars from many scripts: ASCII, accents, combining marks, CJK,
    /// emoji and their joiners, white space and the odd control character.
    private func randomText(length: Int, using generator: inout SeededGenerator) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x20...0x7E, 0x20...0x7E, 0x00...0x1F, 0xA0...0xFF, 0x300...0x36F,
            0x391...0x3C9, 0x5D0...0x5EA, 0x4E00...0x4E80, 0x1F300...0x1F64F, 0x1F3FB...0x1F3FF,
            0x200D...0x200D, 0xFE0F...0xFE0F, 0xFFFD...0xFFFD, 0x10FFF0...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let range = ranges[generator.nextInt(below: ranges.count)]
            let value = range.lowerBound
                + UInt32(generator.nextInt(below: Int(range.upperBound - range.lowerBound) + 1))
            if let scalar = Unicode.Scalar(value) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A new, empty folder, removed when the test ends.
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("TokenizationTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// Checks that `expression` throws exactly `expected`, and that its message mentions every
    /// fragment.
    private func assertTokenizerError<Result>(
        _ expression: @autoclosure () throws -> Result, _ expected: TokenizerError,
        mentions fragments: [String], _ why: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let result = try expression()
            XCTFail("\(why): expected \(describe(expected)), but nothing was thrown and the "
                    + "result was \(result)", file: file, line: line)
        } catch let error as TokenizerError {
            guard error == expected else {
                return XCTFail("\(why): expected \(describe(expected)), but got "
                               + "\(describe(error))", file: file, line: line)
            }
            let message = error.description
            for fragment in fragments where !message.contains(fragment) {
                XCTFail("\(why): the message should mention \"\(fragment)\", but it says: "
                        + "\"\(message)\"", file: file, line: line)
            }
        } catch {
            XCTFail("\(why): expected \(describe(expected)), but got \(type(of: error)): "
                    + "\(error)", file: file, line: line)
        }
    }

    /// Checks that `expression` throws `TokenizerError.malformedJSON` (any detail), and that its
    /// message mentions every fragment.
    private func assertMalformed<Result>(
        _ expression: @autoclosure () throws -> Result, mentions fragments: [String],
        _ why: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let result = try expression()
            XCTFail("\(why): expected TokenizerError.malformedJSON, but nothing was thrown and "
                    + "the result was \(result)", file: file, line: line)
        } catch let error as TokenizerError {
            guard case .malformedJSON = error else {
                return XCTFail("\(why): expected TokenizerError.malformedJSON, but got "
                               + "\(describe(error))", file: file, line: line)
            }
            let message = error.description
            for fragment in fragments where !message.contains(fragment) {
                XCTFail("\(why): the message should mention \"\(fragment)\", but it says: "
                        + "\"\(message)\"", file: file, line: line)
            }
        } catch {
            XCTFail("\(why): expected TokenizerError.malformedJSON, but got "
                    + "\(type(of: error)): \(error)", file: file, line: line)
        }
    }

    /// `TokenizerError.unknownID(8, offset: 1, vocabularySize: 8)`: the case and its values,
    /// which the message alone does not show.
    private func describe(_ error: TokenizerError) -> String {
        guard let payload = Mirror(reflecting: error).children.first,
              let name = payload.label else { return "TokenizerError \"\(error)\"" }
        let children = Mirror(reflecting: payload.value).children
        let values = children.isEmpty ? String(reflecting: payload.value)
            : children.map { child -> String in
                let value = (child.value as? TokenizerError).map(describe)
                    ?? String(reflecting: child.value)
                guard let label = child.label, !label.hasPrefix(".") else { return value }
                return "\(label): \(value)"
            }.joined(separator: ", ")
        return "TokenizerError.\(name)(\(values))"
    }
}

/// Every character of Tiny Shakespeare, once (Python: `"".join(sorted(set(text)))`).
private let tinyShakespeareCharacters =
    "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/// The first 24 lines of Tiny Shakespeare (421 bytes, 44 distinct characters).
private let shakespeareExcerpt = """
    First Citizen:
    Before we proceed any further, hear me speak.

    All:
    Speak, speak.

    First Citizen:
    You are all resolved rather to die than to famish?

    All:
    Resolved. resolved.

    First Citizen:
    First, you know Caius Marcius is chief enemy to the people.

    All:
    We know't, we know't.

    First Citizen:
    Let us kill him, and we'll have corn at our own price.
    Is't a verdict?

    All:
    No more talking on't; let it be done: away, away!

    """
