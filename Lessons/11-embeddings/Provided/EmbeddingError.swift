// Lesson 11: what can go wrong when token ids meet a table (given — read it; you do not need to
// change it).

import Foundation  // LocalizedError

/// A token id or a sequence that an embedding table cannot serve, with a message that says what,
/// where, and what to do:
///
///     token id 70 at [1, 3] of a [2, 4] batch is not in the vocabulary: the table has 65 rows,
///     ids 0–64 — were these ids made by another tokenizer, or is vocabularySize too small?
///
/// The checks that throw it (`TokenBatch.validateIDs(vocabularySize:)`, `positionRange(count:
/// startingAt:maxLength:)`) are called inside the forward pass through lesson 01's
/// `requireValidShape`, which stops the program with this message: an id outside the table in
/// the middle of training is a bug to fix, not something to recover from. Tests, and code that
/// takes ids from outside (a user typing a prompt), call the checks themselves and catch it.
public enum EmbeddingError: Error, CustomStringConvertible, Equatable, LocalizedError {
    /// `id`, at `position` (one index per axis of a batch of `batchShape`), is not in
    /// `0..<vocabularySize`.
    case idOutOfRange(id: Int, position: [Int], batchShape: [Int], vocabularySize: Int)
    /// Positions `start..<start + count` were asked of a table of `maxLength` positions.
    case sequenceTooLong(count: Int, start: Int, maxLength: Int)
    /// Positions were asked from `start`, which is negative: positions count from 0.
    case negativeStart(Int)

    public var description: String {
        switch self {
        case let .idOutOfRange(id, position, batchShape, vocabularySize):
            let rows = vocabularySize == 1 ? "1 row, id 0"
                : "\(vocabularySize) rows, ids 0–\(vocabularySize - 1)"
            return "token id \(id) at \(position) of a \(batchShape) batch is not in the "
                + "vocabulary: the table has \(rows) — were these ids made by another "
                + "tokenizer, or is vocabularySize too small?"
        case let .sequenceTooLong(count, start, maxLength):
            let asked = start == 0 ? "\(count) positions"
                : "positions \(start)–\(start + count - 1)"
            return "\(asked) asked of a positional table of \(maxLength) (positions 0–"
                + "\(maxLength - 1)) — keep only the last \(maxLength) tokens of the context, "
                + "or make the table longer (maxLength)"
        case let .negativeStart(start):
            return "positions asked from \(start): positions count from 0, the first token of "
                + "the sequence"
        }
    }

    public var errorDescription: String? { description }
}
