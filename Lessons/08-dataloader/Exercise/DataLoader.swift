// Lesson 08, file 2 of 3: the data loader — mini-batches, epochs and seeded shuffling.
//
// The stored properties and `Iterator.init` are given; write the bodies marked TODO, top to
// bottom. Then run `swift run tutor test 08`.

import TinyTorchTensor

/// Splits a data set into mini-batches, in a new random order every epoch: PyTorch's
/// `DataLoader`.
///
/// Each `for` loop over the loader is one **epoch**, one pass over every example:
///
///     let loader = DataLoader(trainingSet, batchSize: 64, shuffle: true, seed: 1)
///     for epoch in 1...5 {
///         for batch in loader {             // 938 batches: inputs [64, 784], labels [64]
///             …                             // (the last one holds 60000 − 937·64 = 32)
///         }
///     }
///
/// With `shuffle`, epoch `k` visits the examples in the order `order(forEpoch: k)`: a
/// permutation that depends only on `seed` and `k`, so a training run is the same every time and
/// on every machine, yet each epoch differs from the one before. Without `shuffle`, every epoch
/// reads `0, 1, 2, …`. With `dropLast`, a last batch smaller than `batchSize` is skipped.
///
/// `DataLoader` is a class because it counts epochs: each `makeIterator()` (each `for` loop)
/// starts epoch `epoch` and moves the count on by one.
public final class DataLoader: Sequence {
    /// The examples to load.
    public let dataset: any Dataset
    /// The number of examples per batch (the last batch may hold fewer, unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the examples in a new random order.
    public let shuffle: Bool
    /// Fixes every shuffled order: the same seed gives the same epochs.
    public let seed: UInt64
    /// Whether a last, incomplete batch is skipped.
    public let dropLast: Bool
    /// The epoch the next `for` loop (`makeIterator()`) runs: 0 at first, then 1, 2, … Set it to
    /// resume training at a given epoch with the same orders as an uninterrupted run.
    public var epoch = 0

    /// A loader of `dataset` in batches of `batchSize`: checks `batchSize >= 1` with a
    /// `require` whose message names the batch size, then stores the five arguments.
    ///
    ///     DataLoader(data, batchSize: 4)                                 // in order, every epoch
    ///     DataLoader(data, batchSize: 64, shuffle: true, seed: 42, dropLast: true)
    public init(
        _ dataset: any Dataset, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0,
        dropLast: Bool = false
    ) {
        todo("TODO(lesson 08): implement DataLoader.init")
    }

    /// The number of batches in one epoch: `⌈count / batchSize⌉`, or `⌊count / batchSize⌋` with
    /// `dropLast` (`count` is `dataset.count`).
    ///
    /// 10 examples in batches of 4: 3 batches (4, 4, 2), or 2 with `dropLast`. MNIST's 60,000 in
    /// batches of 64: 938 (937 full and one of 32), or 937.
    public var batchCount: Int {
        todo("TODO(lesson 08): implement DataLoader.batchCount")
    }

    /// The order in which epoch `epoch` visits the examples: a permutation of `0..<count`.
    ///
    /// Without `shuffle`: `[0, 1, …, count − 1]`, every epoch. With `shuffle`: that array shuffled
    /// by `SeededGenerator(seed: seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))`, with the
    /// generator's own `shuffle(_:)` (whose order is fixed across Swift versions). Epoch 0 uses
    /// `seed` itself; multiplying the epoch by a large odd constant before the exclusive-or (`^`)
    /// gives every epoch a seed far from its neighbours'. The order depends only on `seed` and
    /// `epoch`, never on how many epochs ran before. `require` that `epoch >= 0`.
    ///
    ///     DataLoader(data, batchSize: 2).order(forEpoch: 5)     // [0, 1, 2, 3] for 4 examples
    ///     DataLoader(tenExamples, batchSize: 4, shuffle: true, seed: 42).order(forEpoch: 0)
    ///     // [2, 1, 3, 7, 8, 9, 4, 0, 6, 5]
    public func order(forEpoch epoch: Int) -> [Int] {
        todo("TODO(lesson 08): implement DataLoader.order(forEpoch:)")
    }

    /// Starts epoch `epoch`: returns an iterator over its batches, in `order(forEpoch: epoch)`,
    /// with this loader's `batchSize` and `batchCount`. Then adds one to `epoch`, so that the
    /// next `for` loop is the next epoch.
    public func makeIterator() -> Iterator {
        todo("TODO(lesson 08): implement DataLoader.makeIterator()")
    }

    /// The batches of one epoch, one per `next()`.
    public struct Iterator: IteratorProtocol {
        /// The data set the batches come from.
        public let dataset: any Dataset
        /// This epoch's order of the examples.
        public let order: [Int]
        /// Examples per batch.
        public let batchSize: Int
        /// How many batches this epoch has (`DataLoader.batchCount`).
        public let batchCount: Int
        /// How many batches `next()` has returned so far.
        public private(set) var batchesReturned = 0

        public init(dataset: any Dataset, order: [Int], batchSize: Int, batchCount: Int) {
            self.dataset = dataset
            self.order = order
            self.batchSize = batchSize
            self.batchCount = batchCount
        }

        /// The next batch, or `nil` once `batchCount` batches were returned.
        ///
        /// Batch `b` holds the examples `order[b · batchSize ..< min((b + 1) · batchSize,
        /// order.count)]`, fetched with `dataset.batch(at:)`. For 10 examples in batches of 4
        /// in order: `[0, 1, 2, 3]`, `[4, 5, 6, 7]`, `[8, 9]`, then `nil` (with `dropLast`,
        /// `batchCount` is 2, so `nil` comes right after `[4, 5, 6, 7]`).
        ///
        /// Write `Swift.min(…)`: inside a `Sequence` such as `DataLoader`, a plain `min` means the
        /// sequence's own `min()` method, and does not compile.
        public mutating func next() -> Batch? {
            todo("TODO(lesson 08): implement DataLoader.Iterator.next()")
        }
    }
}
