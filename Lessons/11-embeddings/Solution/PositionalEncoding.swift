// Lesson 11, file 3 of 3: where each token is — sinusoidal encodings and learned position
// embeddings, added to the token embeddings.
//
//     token embeddings [B, T, D]   +   positions [T, D]   =   [B, T, D]
//     (what each token is)             (where it is; the same for every sequence of the batch:
//                                       broadcasting stretches it along B)

import Foundation  // sin, cos, pow
import TinyTorchLayers
import TinyTorchTensor

/// The sinusoidal positional encoding of Vaswani et al. (2017), for positions
/// `start..<start + length`: row `p` encodes position `p` as sines and cosines of `p` at
/// `(dimension + 1) / 2` frequencies, from 1 down to nearly 1/10000.
///
///     PE[p, 2i]     = sin(p / 10000^(2i / dimension))
///     PE[p, 2i + 1] = cos(p / 10000^(2i / dimension))
///
/// Column `j` uses `i = j / 2` (rounded down): even columns are sines, odd ones cosines, so an
/// odd `dimension` ends with a sine. Computed in `Double` and rounded once to `Float`.
/// Not learned: the result is a constant tensor (no `recording`).
///
/// Shape: `[length, dimension]`. `length` and `start` must be at least 0 and `dimension` at
/// least 1 (a `require` naming them).
///
///     sinusoidalPositionalEncoding(length: 2, dimension: 4)
///     // [[0, 1, 0, 1],                                  position 0: sin 0, cos 0, …
///     //  [0.841471, 0.540302, 0.010000, 0.999950]]     sin 1, cos 1, sin 0.01, cos 0.01
public func sinusoidalPositionalEncoding(
    length: Int, dimension: Int, startingAt start: Int = 0
) -> Tensor {
    require(length >= 0 && dimension > 0 && start >= 0,
            "sinusoidalPositionalEncoding(length: \(length), dimension: \(dimension), "
               + "startingAt: \(start)) — length and start must be at least 0, dimension at "
               + "least 1")
    // One frequency per pair of columns: 1 / 10000^(2i / dimension).
    let frequencies = (0..<dimension).map { column -> Double in
        1 / pow(10000, Double(2 * (column / 2)) / Double(dimension))
    }
    var data: [Float] = []
    data.reserveCapacity(length * dimension)
    for position in start..<(start + length) {
        for column in 0..<dimension {
            let angle = Double(position) * frequencies[column]
            data.append(Float(column % 2 == 0 ? sin(angle) : cos(angle)))
        }
    }
    return Tensor(shape: [length, dimension], data: data)
}

/// The positions `start..<start + count` of a table of `maxLength` positions, or an
/// `EmbeddingError`: `.negativeStart` if `start < 0`, `.sequenceTooLong` if the range ends past
/// `maxLength`.
///
///     try positionRange(count: 3, startingAt: 0, maxLength: 64)    // 0..<3
///     try positionRange(count: 65, startingAt: 0, maxLength: 64)
///     // throws .sequenceTooLong(count: 65, start: 0, maxLength: 64)
public func positionRange(count: Int, startingAt start: Int, maxLength: Int) throws -> Range<Int> {
    guard start >= 0 else {
        throw EmbeddingError.negativeStart(start)
    }
    guard count >= 0 && start + count <= maxLength else {
        throw EmbeddingError.sequenceTooLong(count: count, start: start, maxLength: maxLength)
    }
    return start..<(start + count)
}

/// Adds the sinusoidal encoding of each position to a sequence of vectors: a module with no
/// parameters, for the original transformer's way of telling positions apart.
///
///     let positions = SinusoidalPositionalEncoding(dimension: 128)
///     positions(embedding(batch))           // [B, T, 128] + encodings of positions 0..<T
public final class SinusoidalPositionalEncoding: Module {
    /// The length of each vector (the last axis of the input).
    public let dimension: Int
    public var isTraining = true

    /// An encoding for vectors of `dimension` numbers (at least 1). It holds no table: each call
    /// computes the positions it needs, for any length.
    public init(dimension: Int) {
        require(dimension > 0,
                "SinusoidalPositionalEncoding(dimension: \(dimension)): the dimension must be at "
                   + "least 1")
        self.dimension = dimension
    }

    /// `input` plus the encodings of positions `0..<T`: `callAsFunction(input, startingAt: 0)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        callAsFunction(input, startingAt: 0)
    }

    /// `input + sinusoidalPositionalEncoding(length: T, dimension:, startingAt: start)`, where
    /// `T` is the input's second-to-last size: the `[T, dimension]` encodings broadcast over the
    /// batch. `start` lets a model that feeds one new token at a time (lesson 17's cache) give
    /// it its true position.
    ///
    /// Shape: `[B, T, dimension]` (or `[T, dimension]`) → the same; checked first with
    /// `sequenceLength(of:dimension:layer:)` (given).
    public func callAsFunction(_ input: Tensor, startingAt start: Int) -> Tensor {
        let length = requireValidShape {
            try sequenceLength(of: input.shape, dimension: dimension,
                               layer: "SinusoidalPositionalEncoding(dimension: \(dimension))")
        }
        return input + sinusoidalPositionalEncoding(length: length, dimension: dimension,
                                                    startingAt: start)
    }
}

/// A learned vector for each position `0..<maxLength`, added to a sequence of vectors: GPT's way
/// of telling positions apart (and nanoGPT's). An `Embedding` whose "ids" are the positions.
///
///     let positions = PositionalEmbedding(maxLength: 64, dimension: 128, using: &generator)
///     positions(tokens(batch))              // [B, T, 128] + rows 0..<T of the table
public final class PositionalEmbedding: Module {
    /// How many positions the table has: sequences can be at most this long.
    public let maxLength: Int
    /// The length of each vector.
    public let dimension: Int
    /// The table, shape `[maxLength, dimension]`: row `p` is position `p`'s vector. A parameter.
    public let weight: Tensor
    public var isTraining = true

    /// A table of random vectors drawn as `Embedding`'s are: normal, mean 0, `standardDeviation`
    /// (1 by default), one `Tensor.normal` draw per number in row-major order; a parameter. Both
    /// sizes must be at least 1 (a `require` naming them).
    public init(
        maxLength: Int, dimension: Int, standardDeviation: Float = 1,
        using generator: inout SeededGenerator
    ) {
        require(maxLength > 0 && dimension > 0,
                "PositionalEmbedding(maxLength: \(maxLength), dimension: \(dimension)): both "
                   + "sizes must be at least 1")
        self.maxLength = maxLength
        self.dimension = dimension
        self.weight = Tensor.normal([maxLength, dimension], mean: 0,
                                    standardDeviation: standardDeviation, using: &generator)
            .asParameter()
    }

    /// The vectors of positions `start..<start + count`, shape `[count, dimension]`: a lookup
    /// of those rows, `embeddingLookup(weight, TokenBatch(Array(range)))`, so that backward sends
    /// each row its gradient. The range comes from `positionRange(count:startingAt:maxLength:)`
    /// through `requireValidShape`: too long a sequence stops with its message.
    ///
    ///     positions.embeddings(count: 3)       // rows 0, 1, 2 of `weight`
    public func embeddings(count: Int, startingAt start: Int = 0) -> Tensor {
        let range = requireValidShape {
            try positionRange(count: count, startingAt: start, maxLength: maxLength)
        }
        return embeddingLookup(weight, TokenBatch(Array(range)))
    }

    /// `input` plus the vectors of positions `0..<T`: `callAsFunction(input, startingAt: 0)`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        callAsFunction(input, startingAt: 0)
    }

    /// `input + embeddings(count: T, startingAt: start)`, where `T` is the input's
    /// second-to-last size; the `[T, dimension]` rows broadcast over the batch, so each row's
    /// gradient is the sum over the batch.
    ///
    /// Shape: `[B, T, dimension]` (or `[T, dimension]`) → the same; checked first with
    /// `sequenceLength(of:dimension:layer:)` (given).
    public func callAsFunction(_ input: Tensor, startingAt start: Int) -> Tensor {
        let length = requireValidShape {
            try sequenceLength(of: input.shape, dimension: dimension,
                               layer: "PositionalEmbedding(maxLength: \(maxLength), "
                                   + "dimension: \(dimension))")
        }
        return input + embeddings(count: length, startingAt: start)
    }
}

/// The sequence length `T` of an input `[B, T, dimension]` or `[T, dimension]` to a positional
/// layer, or a `ShapeError` naming the layer and the shape (given).
///
///     try sequenceLength(of: [12, 64, 128], dimension: 128, layer: "…")   // 64
public func sequenceLength(of shape: [Int], dimension: Int, layer: String) throws -> Int {
    guard shape.count >= 2 else {
        throw ShapeError("\(layer): input \(shape) has \(shape.count) axes, but positions need "
            + "a sequence of vectors, [length, \(dimension)] or [batch, length, \(dimension)]")
    }
    guard shape[shape.count - 1] == dimension else {
        throw ShapeError("\(layer): input \(shape) ends in \(shape[shape.count - 1]), but each "
            + "position's vector must have \(dimension) numbers")
    }
    return shape[shape.count - 2]
}
