// Lesson 08: DataLoader. The tests follow the lesson's files in order: Dataset.swift (the shape
// check, TensorDataset, the default batch), DataLoader.swift (batch counts, the order of each
// epoch, iterating), IDXReader.swift (big-endian numbers, parseIDX on good and hostile bytes,
// reading files, MNIST), the given CIFAR-10 reader loading 4-D images into your TensorDataset,
// then everything together (`test_module`).
//
// No test reads the real MNIST files: the IDX tests build small files in the real format with
// `idxBytes` (at the bottom of this file) and write them to a temporary folder, removed after
// each test. Expected values are worked out by hand in the comments; the shuffled orders come
// from a Python transcription of lesson 01's Provided/Random.swift (source beside the numbers).

import Foundation
import XCTest
import TinyTorchData
import TinyTorchTensor

final class DataLoaderTests: LessonTestCase {

    // MARK: - Dataset.swift

    func test_unit_datasetExampleShape_checksLabelCount() {
        XCTAssertEqual(try datasetExampleShape(inputShape: [3, 2], labelCount: 3), [2],
                       "inputs [3, 2] with 3 labels: each example is a row of shape [2]")
        XCTAssertEqual(try datasetExampleShape(inputShape: [5, 28, 28], labelCount: 5), [28, 28],
                       "inputs [5, 28, 28]: each example is one 28 × 28 image")
        XCTAssertEqual(try datasetExampleShape(inputShape: [4], labelCount: 4), [],
                       "inputs [4]: each example is a single number, shape []")
        XCTAssertEqual(try datasetExampleShape(inputShape: [0, 784], labelCount: 0), [784],
                       "an empty data set is allowed: 0 rows and 0 labels")
        assertShapeError(try datasetExampleShape(inputShape: [3, 2], labelCount: 4),
                         mentions: ["[3, 2]", "3", "4"],
                         "3 rows of inputs but 4 labels: the message should give both counts")
        assertShapeError(try datasetExampleShape(inputShape: [], labelCount: 1), mentions: ["[]"],
                         "a scalar has no first axis to count examples along")
    }

    func test_unit_tensorDataset_countAndExample() {
        let data = TensorDataset(inputs: Tensor([[1, 2], [3, 4], [5, 6]]), labels: [7, 8, 9])
        XCTAssertEqual(data.count, 3, "three rows and three labels make three examples")
        XCTAssertEqual(data.exampleShape, [2], "each example is one row of 2 numbers")

        let (input, label) = data.example(at: 1)
        XCTAssertEqual(input.shape, [2], "example(at: 1) should be one row: shape [2]")
        assertClose(input.data, [3, 4], absolute: 0, "example(at: 1) should be row 1, [3, 4]")
        XCTAssertEqual(label, 8, "example(at: 1) should come with label 8, labels[1]")
        assertClose(data.example(at: 2).input.data, [5, 6], absolute: 0,
                    "example(at: 2) should be the last row, [5, 6]")

        // Images: inputs [2, 2, 2]; example 1 is the second 2 × 2 plane, data[4..<8].
        let images = TensorDataset(inputs: Tensor([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]),
                                   labels: [0, 1])
        let image = images.example(at: 1).input
        XCTAssertEqual(image.shape, [2, 2], "an example of inputs [2, 2, 2] has shape [2, 2]")
        assertClose(image.data, [4, 5, 6, 7], absolute: 0,
                    "example 1 of inputs [2, 2, 2] holds data[4..<8]")
    }

    func test_unit_tensorDataset_batchCopiesRowsInOrder() {
        let data = TensorDataset(inputs: Tensor([[1, 2], [3, 4], [5, 6]]), labels: [7, 8, 9])
        let batch = data.batch(at: [2, 0, 2])
        XCTAssertEqual(batch.inputs.shape, [3, 2], "3 rows of [2] stack to [3, 2]")
        assertClose(batch.inputs.data, [5, 6, 1, 2, 5, 6], absolute: 0,
                    "batch(at: [2, 0, 2]) should copy rows 2, 0 and 2 again, in that order")
        XCTAssertEqual(batch.labels, [9, 7, 9], "the labels should follow the same indices")

        let images = TensorDataset(inputs: arange([4, 2, 3]), labels: [10, 11, 12, 13])
        let pair = images.batch(at: [3, 1])
        XCTAssertEqual(pair.inputs.shape, [2, 2, 3], "2 examples of [2, 3] stack to [2, 2, 3]")
        // Example 3 is data[18..<24], example 1 is data[6..<12].
        assertClose(pair.inputs.data, (18..<24).map(Float.init) + (6..<12).map(Float.init),
                    absolute: 0, "batch(at: [3, 1]) of inputs 0…23 shaped [4, 2, 3]")
        XCTAssertEqual(pair.labels, [13, 11], "labels of examples 3 and 1")

        let copy = data.batch(at: [0])
        copy.inputs.data[0] = 100
        assertClose(data.inputs.data[0], 1, absolute: 0,
                    "a batch should be a copy: changing it must not change the data set")
    }

    func test_unit_datasetBatch_defaultStacksExamples() {
        // Squares (bottom of this file) only has example(at:): example i is [i, i²], label i % 2.
        let batch = Squares(count: 5).batch(at: [3, 1, 4])
        XCTAssertEqual(batch.inputs.shape, [3, 2], "3 examples of shape [2] stack to [3, 2]")
        assertClose(batch.inputs.data, [3, 9, 1, 1, 4, 16], absolute: 0,
                    "the default batch(at:) should lay examples 3, 1, 4 one after the other")
        XCTAssertEqual(batch.labels, [1, 1, 0], "labels 3 % 2, 1 % 2, 4 % 2")

        let one = Squares(count: 5).batch(at: [2])
        XCTAssertEqual(one.inputs.shape, [1, 2], "one example of shape [2] is a batch [1, 2]")
        assertClose(one.inputs.data, [2, 4], absolute: 0, "example 2 is [2, 4]")
    }

    // MARK: - DataLoader.swift

    func test_unit_batchCount_withAndWithoutDropLast() {
        let ten = rows(10)
        XCTAssertEqual(DataLoader(ten, batchSize: 4).batchCount, 3,
                       "10 examples in batches of 4: 4 + 4 + 2, three batches")
        XCTAssertEqual(DataLoader(ten, batchSize: 4, dropLast: true).batchCount, 2,
                       "with dropLast the last batch of 2 is skipped: two batches")
        XCTAssertEqual(DataLoader(rows(8), batchSize: 4).batchCount, 2,
                       "8 examples in batches of 4: exactly two, nothing left over")
        XCTAssertEqual(DataLoader(rows(8), batchSize: 4, dropLast: true).batchCount, 2,
                       "dropLast drops nothing when the batches come out even")
        XCTAssertEqual(DataLoader(ten, batchSize: 1).batchCount, 10, "batches of 1: ten")
        XCTAssertEqual(DataLoader(rows(3), batchSize: 5).batchCount, 1,
                       "3 examples in batches of 5: one batch of 3")
        XCTAssertEqual(DataLoader(rows(3), batchSize: 5, dropLast: true).batchCount, 0,
                       "3 examples in batches of 5 with dropLast: no full batch at all")
        XCTAssertEqual(DataLoader(rows(0), batchSize: 4).batchCount, 0, "no examples, no batches")
        // MNIST: 60000 = 937 · 64 + 32.
        XCTAssertEqual(DataLoader(Squares(count: 60000), batchSize: 64).batchCount, 938,
                       "MNIST's 60000 in batches of 64: 937 full batches and one of 32")
    }

    func test_unit_order_shuffleIsAPermutation() {
        let plain = DataLoader(rows(6), batchSize: 2)
        XCTAssertEqual(plain.order(forEpoch: 0), [0, 1, 2, 3, 4, 5],
                       "without shuffle, an epoch visits the examples in order")
        XCTAssertEqual(plain.order(forEpoch: 3), [0, 1, 2, 3, 4, 5],
                       "without shuffle, every epoch is in order")

        let loader = DataLoader(rows(50), batchSize: 8, shuffle: true, seed: 5)
        for epoch in 0..<4 {
            let order = loader.order(forEpoch: epoch)
            XCTAssertEqual(order.sorted(), Array(0..<50),
                           "epoch \(epoch): every example exactly once — a permutation of 0..<50")
            XCTAssertNotEqual(order, Array(0..<50), "epoch \(epoch): shuffled, not in order")
        }
    }

    func test_unit_order_reproducibleFromSeedAndEpoch() {
        // Python transcription of Random.swift (SplitMix64 seeding, xoshiro256**, nextInt(below:)
        // and Fisher–Yates as in SeededGenerator.shuffle):
        //   def order(n, seed, epoch):
        //       a = list(range(n)); Gen(seed ^ (epoch * 0x9E3779B97F4A7C15 % 2**64)).shuffle(a)
        //       return a
        //   order(10, 42, 0) → [2, 1, 3, 7, 8, 9, 4, 0, 6, 5]
        //   order(10, 42, 1) → [6, 1, 9, 7, 4, 0, 3, 5, 8, 2]
        let loader = DataLoader(rows(10), batchSize: 4, shuffle: true, seed: 42)
        XCTAssertEqual(loader.order(forEpoch: 0), [2, 1, 3, 7, 8, 9, 4, 0, 6, 5],
                       "epoch 0 should shuffle 0..<10 with SeededGenerator(seed: 42).shuffle(_:)")
        XCTAssertEqual(loader.order(forEpoch: 1), [6, 1, 9, 7, 4, 0, 3, 5, 8, 2],
                       "epoch 1 should shuffle with the seed 42 ^ (1 &* 0x9E37_79B9_7F4A_7C15)")

        let again = DataLoader(rows(10), batchSize: 4, shuffle: true, seed: 42)
        XCTAssertEqual(again.order(forEpoch: 1), loader.order(forEpoch: 1),
                       "the same seed should give the same order, loader after loader")
        XCTAssertEqual(loader.order(forEpoch: 1), loader.order(forEpoch: 1),
                       "asking twice for the same epoch should give the same order")
        let other = DataLoader(rows(10), batchSize: 4, shuffle: true, seed: 7)
        XCTAssertNotEqual(other.order(forEpoch: 0), loader.order(forEpoch: 0),
                          "another seed should give another order")
        XCTAssertNotEqual(loader.order(forEpoch: 2), loader.order(forEpoch: 3),
                          "each epoch should have its own order")
    }

    func test_unit_iterator_batchesInOrder() {
        // Row i of rows(10) is [i, -i] with label i.
        let batches = Array(DataLoader(rows(10), batchSize: 4))
        XCTAssertEqual(batches.count, 3, "10 examples in batches of 4 give 3 batches")
        XCTAssertEqual(batches.map { $0.inputs.shape }, [[4, 2], [4, 2], [2, 2]],
                       "batch shapes for 10 examples of [2] in batches of 4: the last holds 2")
        XCTAssertEqual(batches.map(\.labels), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]],
                       "without shuffle the batches take the examples in order")
        if let last = batches.last {
            assertClose(last.inputs.data, [8, -8, 9, -9], absolute: 0,
                        "the last batch should hold rows 8 and 9")
        }

        let dropped = Array(DataLoader(rows(10), batchSize: 4, dropLast: true))
        XCTAssertEqual(dropped.map(\.labels), [[0, 1, 2, 3], [4, 5, 6, 7]],
                       "with dropLast the incomplete last batch [8, 9] is skipped")

        var iterator = DataLoader(rows(3), batchSize: 3).makeIterator()
        XCTAssertEqual(iterator.next()?.labels, [0, 1, 2], "one full batch of 3")
        XCTAssertNil(iterator.next(), "after the last batch, next() returns nil")
        XCTAssertNil(iterator.next(), "and keeps returning nil")
        XCTAssertEqual(Array(DataLoader(rows(0), batchSize: 2)).count, 0,
                       "an empty data set gives an epoch with no batches")
    }

    func test_unit_dataLoader_eachLoopIsANewEpoch() {
        let loader = DataLoader(rows(20), batchSize: 6, shuffle: true, seed: 3)
        XCTAssertEqual(loader.epoch, 0, "a new loader has not started any epoch")
        var seen: [[Int]] = []
        for _ in 0..<2 {
            var labels: [Int] = []
            for batch in loader {
                labels += batch.labels
            }
            seen.append(labels)
        }
        XCTAssertEqual(loader.epoch, 2, "two for-loops over the loader are two epochs")
        XCTAssertEqual(seen[0], loader.order(forEpoch: 0),
                       "the first for-loop should visit the examples in order(forEpoch: 0)")
        XCTAssertEqual(seen[1], loader.order(forEpoch: 1),
                       "the second for-loop should visit them in order(forEpoch: 1)")
        XCTAssertEqual(seen[0].sorted(), Array(0..<20), "epoch 0: every example exactly once")
        XCTAssertEqual(seen[1].sorted(), Array(0..<20), "epoch 1: every example exactly once")
        XCTAssertNotEqual(seen[0], seen[1], "each epoch should be shuffled anew")

        let resumed = DataLoader(rows(20), batchSize: 6, shuffle: true, seed: 3)
        resumed.epoch = 1
        XCTAssertEqual(Array(resumed).flatMap(\.labels), seen[1],
                       "a loader set to epoch 1 should repeat epoch 1 of an uninterrupted run")

        let plain = DataLoader(rows(5), batchSize: 2)
        XCTAssertEqual(Array(plain).flatMap(\.labels), [0, 1, 2, 3, 4], "no shuffle: in order")
        XCTAssertEqual(Array(plain).flatMap(\.labels), [0, 1, 2, 3, 4],
                       "no shuffle: the second epoch is in order too")
    }

    func test_unit_dataLoader_labelsStayWithInputs() {
        // Row i of rows(30) is [i, -i] with label i: each row must keep its own label.
        let loader = DataLoader(rows(30), batchSize: 7, shuffle: true, seed: 11, dropLast: true)
        var count = 0
        for batch in loader {
            XCTAssertEqual(batch.inputs.shape, [7, 2], "with dropLast every batch is full: [7, 2]")
            for (row, label) in batch.labels.enumerated() where row * 2 + 1 < batch.inputs.count {
                assertClose(batch.inputs.data[row * 2], Float(label), absolute: 0,
                            "row \(row) of a batch should be the input of labels[\(row)]")
                assertClose(batch.inputs.data[row * 2 + 1], -Float(label), absolute: 0,
                            "row \(row): both numbers should belong to example \(label)")
            }
            count += batch.count
        }
        XCTAssertEqual(count, 28, "30 examples in full batches of 7: 4 batches, 28 examples")

        // A data set with only example(at:) goes through the default batch(at:).
        for batch in DataLoader(Squares(count: 9), batchSize: 4, shuffle: true, seed: 2) {
            for (row, label) in batch.labels.enumerated() where row * 2 + 1 < batch.inputs.count {
                let x = batch.inputs.data[row * 2]
                assertClose(batch.inputs.data[row * 2 + 1], x * x, absolute: 0,
                            "each row of a Squares batch is [i, i²]")
                XCTAssertEqual(Int(x) % 2, label, "the label of [i, i²] is i % 2")
            }
        }
    }

    // MARK: - IDXReader.swift

    func test_unit_readUInt32BigEndian_mostSignificantFirst() {
        XCTAssertEqual(readUInt32BigEndian([0x00, 0x00, 0xEA, 0x60], at: 0), 60000,
                       "00 00 EA 60 is 0xEA · 256 + 0x60 = 234 · 256 + 96 = 60000")
        XCTAssertEqual(readUInt32BigEndian([0x00, 0x00, 0x08, 0x03], at: 0), 2051,
                       "00 00 08 03, the magic of an images file, is 8 · 256 + 3 = 2051")
        XCTAssertEqual(readUInt32BigEndian([0x01, 0x02, 0x03, 0x04], at: 0), 0x0102_0304,
                       "the first byte is the most significant: 01 02 03 04 is 0x01020304")
        XCTAssertEqual(readUInt32BigEndian([0xFF, 0xFF, 0xFF, 0xFF], at: 0), 4_294_967_295,
                       "FF FF FF FF is the largest UInt32, 2³² − 1")
        XCTAssertEqual(readUInt32BigEndian([9, 9, 0x00, 0x00, 0x00, 0x1C, 9], at: 2), 28,
                       "reading at offset 2 starts at the third byte: 00 00 00 1C is 28")
    }

    func test_unit_parseIDX_readsOneAndThreeDimensions() throws {
        let labels = try parseIDX([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1], name: "labels")
        XCTAssertEqual(labels.shape, [3], "00 00 08 01, size 00 00 00 03: a 1-D array of 3")
        XCTAssertEqual(labels.bytes, [7, 2, 1], "the 3 bytes after the 8-byte header")

        let pixels = (0..<12).map { UInt8($0 * 20) }
        let images = try parseIDX(idxBytes(shape: [2, 2, 3], data: pixels), name: "images")
        XCTAssertEqual(images.shape, [2, 2, 3], "a 3-D header with sizes 2, 2, 3")
        XCTAssertEqual(images.bytes, pixels, "the 12 bytes after the 16-byte header")

        let big = try parseIDX(idxBytes(shape: [300], data: [UInt8](repeating: 5, count: 300)),
                               name: "big")
        XCTAssertEqual(big.shape, [300], "size 00 00 01 2C is 256 + 44 = 300")

        let four = try parseIDX(idxBytes(shape: [1, 2, 1, 2], data: [1, 2, 3, 4]), name: "four")
        XCTAssertEqual(four.shape, [1, 2, 1, 2], "4 dimensions are allowed")

        let empty = try parseIDX([0, 0, 8, 1, 0, 0, 0, 0], name: "none")
        XCTAssertEqual(empty.shape, [0], "a file of 0 labels is a valid IDX file")
        XCTAssertEqual(empty.bytes, [], "0 labels: no data")
    }

    func test_unit_parseIDX_rejectsBadHeaders() {
        assertDataError(try parseIDX([], name: "a"), .emptyFile(name: "a"),
                        mentions: ["a:", "empty", "swift run tutor data fetch mnist"])
        assertDataError(try parseIDX([0, 0, 8], name: "b"),
                        .truncatedHeader(name: "b", needed: 4, found: 3),
                        mentions: ["b:", "3", "4"])
        // A 3-D header needs 4 + 3·4 = 16 bytes; this file ends after 10.
        assertDataError(try parseIDX([0, 0, 8, 3, 0, 0, 0, 2, 0, 0], name: "c"),
                        .truncatedHeader(name: "c", needed: 16, found: 10),
                        mentions: ["c:", "16", "10"])
        // 1F 8B: the first bytes of every gzip file.
        assertDataError(try parseIDX([0x1F, 0x8B, 0x08, 0x08, 0, 0], name: "d.gz"),
                        .notIDX(name: "d.gz", firstBytes: [0x1F, 0x8B, 0x08, 0x08]),
                        mentions: ["d.gz:", "1F 8B", "gzip"])
        assertDataError(try parseIDX([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], name: "e"),
                        .unsupportedType(name: "e", typeCode: 0x0D),
                        mentions: ["e:", "0x0D", "0x08"])
        assertDataError(try parseIDX([0, 0, 8, 0, 42], name: "f"),
                        .unsupportedDimensionCount(name: "f", count: 0), mentions: ["f:", "0"])
        assertDataError(try parseIDX([0, 0, 8, 5] + [UInt8](repeating: 1, count: 21), name: "g"),
                        .unsupportedDimensionCount(name: "g", count: 5), mentions: ["g:", "5"])
    }

    func test_unit_parseIDX_rejectsLyingSizes() {
        // 65535 × 65535 × 65535 = 281,462,092,005,375 bytes promised, 10 present: the parser
        // must compare before it allocates anything, or this test runs out of memory.
        assertDataError(try parseIDX(idxBytes(shape: [65535, 65535, 65535],
                                              data: [UInt8](repeating: 0, count: 10)), name: "h"),
                        .truncatedData(name: "h", shape: [65535, 65535, 65535],
                                       expected: 281_462_092_005_375, found: 10),
                        mentions: ["h:", "65535×65535×65535", "281462092005375", "10"])
        // (2³² − 1)⁴ ≈ 3.4 · 10³⁸ does not fit in an Int (at most ≈ 9.2 · 10¹⁸).
        let huge = 4_294_967_295
        assertDataError(try parseIDX(idxBytes(shape: [huge, huge, huge, huge], data: [1]),
                                     name: "i"),
                        .sizeOverflow(name: "i", shape: [huge, huge, huge, huge]),
                        mentions: ["i:", "4294967295"])
        // MNIST's real header, 1000 bytes of pixels instead of 47,040,000.
        assertDataError(try parseIDX(idxBytes(shape: [60000, 28, 28],
                                              data: [UInt8](repeating: 0, count: 1000)),
                                     name: "train-images-idx3-ubyte"),
                        .truncatedData(name: "train-images-idx3-ubyte", shape: [60000, 28, 28],
                                       expected: 47_040_000, found: 1000),
                        mentions: ["train-images-idx3-ubyte:", "60000×28×28", "47040000", "1000",
                                   "swift run tutor data fetch mnist"])
        // Two bytes more than the header says: an error, not ignored.
        assertDataError(try parseIDX([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1, 9, 9], name: "j"),
                        .trailingBytes(name: "j", shape: [3], expected: 3, found: 5),
                        mentions: ["j:", "3", "5"])
    }

    func test_unit_parseIDXHeader_checksTheFileSizeBeforeAnyData() throws {
        // The first 20 bytes of MNIST's training images (the header, then 4 pixels) and the size
        // of the whole file: enough to check everything.
        let mnist: [UInt8] = [0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, 0, 0, 0, 0]
        XCTAssertEqual(try parseIDXHeader(mnist, fileSize: 47_040_016, name: "m"),
                       IDXHeader(shape: [60000, 28, 28], size: 16, dataSize: 47_040_000),
                       "a 3-D header: 16 bytes, then 60000 · 28 · 28 = 47,040,000 data bytes")
        // The first 20 bytes of a longer file are enough: a 1-D header takes 8 of them.
        XCTAssertEqual(try parseIDXHeader(idxBytes(shape: [30], data: Array(0..<12)),
                                          fileSize: 38, name: "l"),
                       IDXHeader(shape: [30], size: 8, dataSize: 30),
                       "a 1-D header of size 30 in a 38-byte file, given its first 20 bytes")
        assertDataError(try parseIDXHeader(mnist, fileSize: 1016, name: "m"),
                        .truncatedData(name: "m", shape: [60000, 28, 28], expected: 47_040_000,
                                       found: 1000),
                        mentions: ["m:", "47040000", "1000"])
        assertDataError(try parseIDXHeader(mnist, fileSize: 47_040_020, name: "m"),
                        .trailingBytes(name: "m", shape: [60000, 28, 28], expected: 47_040_000,
                                       found: 47_040_004),
                        mentions: ["m:", "47040004"])
        assertDataError(try parseIDXHeader([0, 0, 8, 3, 0, 0, 0xEA], fileSize: 7, name: "s"),
                        .truncatedHeader(name: "s", needed: 16, found: 7), mentions: ["s:", "16"])
        // 40000 × 250 × 100 = 1,000,000,000 bytes is the limit; one image more is over it.
        let atLimit = [0, 0, 8, 3] + bigEndian(40000) + bigEndian(250) + bigEndian(100)
            + [0, 0, 0, 0]
        XCTAssertEqual(try parseIDXHeader(atLimit, fileSize: 1_000_000_016, name: "big"),
                       IDXHeader(shape: [40000, 250, 100], size: 16, dataSize: 1_000_000_000),
                       "exactly IDXHeader.maximumDataSize bytes of data are allowed")
        let over = [0, 0, 8, 3] + bigEndian(40001) + bigEndian(250) + bigEndian(100) + [0, 0, 0, 0]
        assertDataError(try parseIDXHeader(over, fileSize: 1_000_025_016, name: "big"),
                        .dataTooLarge(name: "big", shape: [40001, 250, 100],
                                      size: 1_000_025_000, limit: 1_000_000_000),
                        mentions: ["big:", "40001×250×100", "1000025000", "1000000000"])
    }

    func test_unit_readIDX_readsTheHeaderBeforeTheData() throws {
        // What a gzip bomb leaves when it is unpacked in place of an MNIST file: gigabytes. The
        // files here are sparse (their zeros take no disk space), and tests run with 4 GB of
        // memory at most, so a reader that reads a 5 GB file before checking its header fails.
        let folder = try temporaryFolder()
        let mnist: [UInt8] = [0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]
        let bomb = try sparseFile(mnist, size: 5_000_000_016, in: folder,
                                  "train-images-idx3-ubyte")
        assertDataError(try readIDX(bomb),
                        .trailingBytes(name: "train-images-idx3-ubyte", shape: [60000, 28, 28],
                                       expected: 47_040_000, found: 5_000_000_000),
                        mentions: ["train-images-idx3-ubyte:", "5000000000"])
        // A header that agrees with the file: 50000 × 100 × 1000 = 5,000,000,000 bytes, over
        // the limit.
        let honest = try sparseFile([0, 0, 8, 3] + bigEndian(50000) + bigEndian(100)
                                        + bigEndian(1000),
                                    size: 5_000_000_016, in: folder, "honest")
        assertDataError(try readIDX(honest),
                        .dataTooLarge(name: "honest", shape: [50000, 100, 1000],
                                      size: 5_000_000_000, limit: 1_000_000_000),
                        mentions: ["honest:", "1000000000"])
        // And a small file as it should be, read whole.
        let labels = try write(idxBytes(shape: [3], data: [7, 2, 1]), to: folder, "labels")
        XCTAssertEqual(try readIDX(labels), IDXArray(shape: [3], bytes: [7, 2, 1]),
                       "an 11-byte labels file: the header, then its 3 labels")
        let empty = try write(idxBytes(shape: [0], data: []), to: folder, "none")
        XCTAssertEqual(try readIDX(empty), IDXArray(shape: [0], bytes: []),
                       "a file of 0 labels is read as an empty array")
    }

    func test_unit_parseIDX_neverTrapsOnRandomBytes() {
        // A small fuzzer: random bytes, random headers with random sizes, and damaged copies of a
        // good file. Every input must either parse into a consistent array or throw a DataError
        // — never stop the program.
        var generator = SeededGenerator(seed: 8)
        let good = idxBytes(shape: [2, 3, 2], data: (0..<12).map { UInt8($0) })
        var parsed = 0
        for trial in 0..<3000 {
            var bytes: [UInt8]
            switch trial % 3 {
            case 0:  // anything at all
                bytes = (0..<generator.nextInt(below: 40)).map { _ in randomByte(&generator) }
            case 1:  // a plausible header: 00 00 08 d, sizes from tiny to huge, some data
                let dimensions = generator.nextInt(below: 6)
                bytes = [0, 0, 8, UInt8(dimensions)]
                for _ in 0..<dimensions {
                    let size = generator.nextInt(below: 2) == 0
                        ? generator.nextInt(below: 4) : Int(generator.next() >> 32)
                    bytes += bigEndian(size)
                }
                bytes += (0..<generator.nextInt(below: 30)).map { _ in randomByte(&generator) }
            default:  // a good file, damaged: a byte changed, then perhaps cut short
                bytes = good
                bytes[generator.nextInt(below: bytes.count)] = randomByte(&generator)
                bytes = Array(bytes.prefix(generator.nextInt(below: bytes.count + 1)))
            }
            do {
                let array = try parseIDX(bytes, name: "fuzz")
                parsed += 1
                guard array.bytes.count == array.shape.reduce(1, *),
                      array.bytes.count + 4 + 4 * array.shape.count == bytes.count else {
                    // One example is enough to go on; stop rather than print thousands.
                    return XCTFail("input \(bytes) gave shape \(array.shape) and "
                        + "\(array.bytes.count) bytes: the data must hold exactly the header's "
                        + "sizes, and header and data together must be the whole file")
                }
            } catch is DataError {
                continue
            } catch {
                return XCTFail("input \(bytes): parseIDX should throw only DataError, got \(error)")
            }
        }
        XCTAssertGreaterThan(parsed, 0, "some of the inputs are valid IDX files and should parse")
    }

    func test_unit_readImages_scalesPixelsAndFlattens() throws {
        let folder = try temporaryFolder()
        // Three 28 × 28 images: image i has every pixel 0, 51 and 255, except that its first
        // pixel is 10 · i.
        var pixels: [UInt8] = []
        for (i, value) in [UInt8(0), 51, 255].enumerated() {
            pixels += [UInt8(10 * i)] + [UInt8](repeating: value, count: 783)
        }
        let url = try write(idxBytes(shape: [3, 28, 28], data: pixels), to: folder, "images")
        let images = try MNIST.readImages(url)
        XCTAssertEqual(images.shape, [3, 784], "3 images of 28 × 28 flatten to [3, 784]")
        // 51 / 255 = 0.2 and 10 / 255 = 0.039215688 (as a Float).
        assertClose(images[0, 1], 0, "a pixel of 0 is 0")
        assertClose(images[1, 1], 0.2, "a pixel of 51 is 51 / 255 = 0.2")
        assertClose(images[2, 783], 1, "a pixel of 255 is 1")
        assertClose(images[1, 0], 10 / 255, "image 1 starts with 10, so 10 / 255")
        assertClose(images[2, 0], 20 / 255, "image 2 starts with 20, so 20 / 255")

        let labels = try write(idxBytes(shape: [3], data: [1, 2, 3]), to: folder, "labels")
        assertDataError(try MNIST.readImages(labels),
                        .wrongMagic(name: "labels", expected: 2051, found: 2049),
                        mentions: ["labels:", "2051", "2049", "labels file"])
    }

    func test_unit_readLabels_checksDigitsAndMagic() throws {
        let folder = try temporaryFolder()
        let url = try write(idxBytes(shape: [4], data: [7, 0, 9, 3]), to: folder, "labels")
        XCTAssertEqual(try MNIST.readLabels(url), [7, 0, 9, 3], "labels 7, 0, 9, 3 as Ints")

        let bad = try write(idxBytes(shape: [3], data: [1, 2, 12]), to: folder, "bad")
        assertDataError(try MNIST.readLabels(bad),
                        .labelOutOfRange(name: "bad", index: 2, value: 12),
                        mentions: ["bad:", "12", "0–9"])

        let images = try write(idxBytes(shape: [1, 2, 2], data: [0, 0, 0, 0]), to: folder, "img")
        assertDataError(try MNIST.readLabels(images),
                        .wrongMagic(name: "img", expected: 2049, found: 2051),
                        mentions: ["img:", "2049", "2051", "images file"])
    }

    func test_unit_load_readsASplitFromAFolder() throws {
        let folder = try temporaryFolder()
        try write(idxBytes(shape: [3, 28, 28], data: (0..<2352).map { UInt8($0 % 256) }),
                  to: folder, "t10k-images-idx3-ubyte")
        try write(idxBytes(shape: [3], data: [4, 0, 9]), to: folder, "t10k-labels-idx1-ubyte")
        let test = try MNIST.load(directory: folder, split: .test)
        XCTAssertEqual(test.count, 3, "3 images and 3 labels make 3 examples")
        XCTAssertEqual(test.inputs.shape, [3, 784], "the inputs are flattened images: [3, 784]")
        XCTAssertEqual(test.labels, [4, 0, 9], "the labels of the t10k labels file")
        // Pixel 300 of image 0 is byte 300 % 256 = 44; 44 / 255 = 0.17254902.
        assertClose(test.inputs[0, 300], 44 / 255, "pixels scaled to 0…1")

        // The training files are missing from this folder.
        do {
            _ = try MNIST.load(directory: folder, split: .train)
            XCTFail("loading from a folder without the training files should throw")
        } catch let error as DataError {
            guard case .fileNotFound(let name, _) = error else {
                return XCTFail("a missing file should throw DataError.fileNotFound, got \(error)")
            }
            XCTAssertEqual(name, "train-images-idx3-ubyte", "the error should name the file")
            XCTAssertTrue(error.description.contains("swift run tutor data fetch mnist"),
                          "the message should say how to get the data: \"\(error)\"")
        }

        // A folder where a file should be: a plain reason, not the system's error number.
        let folderNamedLikeAFile = folder.appendingPathComponent("a-folder")
        try FileManager.default.createDirectory(at: folderNamedLikeAFile, withIntermediateDirectories: true)
        assertDataError(try readIDX(folderNamedLikeAFile),
                        .unreadable(name: "a-folder", reason: "it is a folder, not a file"),
                        mentions: ["a-folder", "folder"])

        // 3 images, but only 2 labels.
        try write(idxBytes(shape: [3, 28, 28], data: [UInt8](repeating: 0, count: 2352)),
                  to: folder, "train-images-idx3-ubyte")
        try write(idxBytes(shape: [2], data: [1, 2]), to: folder, "train-labels-idx1-ubyte")
        assertDataError(try MNIST.load(directory: folder, split: .train),
                        .countMismatch(images: "train-images-idx3-ubyte", imageCount: 3,
                                       labels: "train-labels-idx1-ubyte", labelCount: 2),
                        mentions: ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "3", "2"])
    }

    // MARK: - CIFAR-10 (Provided/CIFAR10.swift, given) into your TensorDataset

    func test_unit_cifar10_loadsPlanarImagesIntoYourTensorDataset() throws {
        // A test file of 3 images in the real format: a label byte, then the red, green and blue
        // planes of 32 × 32 bytes. Pixel (c, y, x) of image n is (40n + 10c + y + x) % 256, so
        // every number says where it came from.
        let folder = try temporaryFolder()
        try write(cifarRecords(labels: [3, 0, 9]), to: folder, "test_batch.bin")
        let test = try CIFAR10.load(directory: folder, split: .test)

        XCTAssertEqual(test.count, 3, "3 records make 3 examples")
        XCTAssertEqual(test.inputs.shape, [3, 3, 32, 32],
                       "images keep their planes: [N, 3, 32, 32], not flattened")
        XCTAssertEqual(test.exampleShape, [3, 32, 32],
                       "your TensorDataset's exampleShape: the inputs' shape without its first axis")
        XCTAssertEqual(test.labels, [3, 0, 9], "the first byte of each record")
        XCTAssertEqual(CIFAR10.classNames[test.labels[0]], "cat")
        // Image 1, green (c = 1), row 2, column 5: (40 + 10 + 2 + 5) / 255 = 57 / 255.
        assertClose(test.inputs[1, 1, 2, 5], 57 / 255, "inputs[1, 1, 2, 5] is byte 57, scaled")
        // Image 2, blue, row 31, column 31: (80 + 20 + 62) / 255 = 162 / 255.
        assertClose(test.inputs[2, 2, 31, 31], 162 / 255, "the last pixel of the last image")

        let image = test.example(at: 2)
        XCTAssertEqual(image.input.shape, [3, 32, 32], "example(at:) of 4-D inputs is one image")
        XCTAssertEqual(image.label, 9)
        assertClose(image.input[0, 0, 1], 81 / 255, "image 2, red, row 0, column 1: 80 + 1")
        let batch = test.batch(at: [2, 0])
        XCTAssertEqual(batch.inputs.shape, [2, 3, 32, 32], "a batch of 2 images: [2, 3, 32, 32]")
        XCTAssertEqual(batch.labels, [9, 3])
        assertClose(batch.inputs[1, 2, 0, 0], 20 / 255, "batch row 1 is image 0: blue starts at 20")

        // The training split reads its five files in order, one after the other.
        let files: [[UInt8]] = [[1], [2, 3], [4], [5], [6, 7]]
        for (index, labels) in files.enumerated() {
            try write(cifarRecords(labels: labels), to: folder, "data_batch_\(index + 1).bin")
        }
        let training = try CIFAR10.load(directory: folder, split: .train)
        XCTAssertEqual(training.labels, [1, 2, 3, 4, 5, 6, 7], "data_batch_1.bin … data_batch_5.bin")
        XCTAssertEqual(training.inputs.shape, [7, 3, 32, 32])
        assertClose(training.inputs[2, 0, 0, 0], 40 / 255,
                    "example 2 is image 1 of data_batch_2.bin: red starts at 40")
    }

    func test_unit_cifar10_rejectsBadFilesWithTheirNames() throws {
        let folder = try temporaryFolder()
        try write(cifarRecords(labels: [1, 2]), to: folder, "test_batch.bin")
        XCTAssertEqual(try CIFAR10.load(directory: folder, split: .test).count, 2,
                       "a good file loads (into your TensorDataset)")

        assertDataError(try CIFAR10.load(directory: folder, split: .train),
                        .cifarFileNotFound(name: "data_batch_1.bin", directory: folder.path),
                        mentions: ["data_batch_1.bin", "swift run tutor data fetch cifar10"])
        try write(Array(cifarRecords(labels: [1, 2]).dropLast()), to: folder, "test_batch.bin")
        assertDataError(try CIFAR10.load(directory: folder, split: .test),
                        .cifarFileSize(name: "test_batch.bin", size: 6145),
                        mentions: ["test_batch.bin", "6145 bytes", "3073", "truncated"])
        try write([], to: folder, "test_batch.bin")
        assertDataError(try CIFAR10.load(directory: folder, split: .test),
                        .cifarFileSize(name: "test_batch.bin", size: 0), mentions: ["empty"])
        try write(cifarRecords(labels: [1, 10, 2]), to: folder, "test_batch.bin")
        assertDataError(try CIFAR10.load(directory: folder, split: .test),
                        .cifarLabelOutOfRange(name: "test_batch.bin", image: 1, value: 10),
                        mentions: ["test_batch.bin", "image 1", "10", "0–9"])
        // 10,001 records, one more than a CIFAR-10 file holds: refused from its size, unread.
        _ = try sparseFile([1], size: 10_001 * 3073, in: folder, "test_batch.bin")
        assertDataError(try CIFAR10.load(directory: folder, split: .test),
                        .cifarFileSize(name: "test_batch.bin", size: 30_733_073),
                        mentions: ["10001 records", "10000"])
        try FileManager.default.removeItem(at: folder.appendingPathComponent("test_batch.bin"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("test_batch.bin"),
                                                withIntermediateDirectories: false)
        assertDataError(try CIFAR10.load(directory: folder, split: .test),
                        .unreadable(name: "test_batch.bin", reason: "it is a folder, not a file"),
                        mentions: ["test_batch.bin", "folder"])
    }

    // MARK: - Everything together

    func test_module() throws {
        // A tiny MNIST on disk: 10 images whose pixels are all 25 · i, labelled i. Load it, then
        // run two shuffled epochs in batches of 4 and check that every batch has the right
        // shape, every example comes once per epoch, and each image keeps its label.
        let folder = try temporaryFolder()
        var pixels: [UInt8] = []
        for i in 0..<10 {
            pixels += [UInt8](repeating: UInt8(25 * i), count: 784)
        }
        try write(idxBytes(shape: [10, 28, 28], data: pixels), to: folder,
                  "train-images-idx3-ubyte")
        try write(idxBytes(shape: [10], data: (0..<10).map { UInt8($0) }), to: folder,
                  "train-labels-idx1-ubyte")
        let training = try MNIST.load(directory: folder, split: .train)

        let loader = DataLoader(training, batchSize: 4, shuffle: true, seed: 2024)
        XCTAssertEqual(loader.batchCount, 3, "10 examples in batches of 4: 3 batches")
        var epochs: [[Int]] = []
        for epoch in 0..<2 {
            var labels: [Int] = []
            for batch in loader {
                XCTAssertEqual(batch.inputs.shape, [batch.count, 784],
                               "epoch \(epoch): a batch of images is [B, 784]")
                for (row, label) in batch.labels.enumerated()
                where (row + 1) * 784 <= batch.inputs.count {
                    let image = Array(batch.inputs.data[row * 784 ..< (row + 1) * 784])
                    // Image i is 25 · i everywhere, scaled: 25 · i / 255.
                    assertClose(image, [Float](repeating: Float(25 * label) / 255, count: 784),
                                "epoch \(epoch): row \(row) should be the image of label \(label)")
                }
                labels += batch.labels
            }
            epochs.append(labels)
        }
        XCTAssertEqual(epochs.map(\.count), [10, 10], "each epoch visits all 10 examples")
        XCTAssertEqual(epochs[0].sorted(), Array(0..<10), "epoch 0: each example exactly once")
        XCTAssertEqual(epochs[1].sorted(), Array(0..<10), "epoch 1: each example exactly once")
        XCTAssertNotEqual(epochs[0], epochs[1], "the two epochs should be shuffled differently")
        XCTAssertNotEqual(epochs[0], Array(0..<10), "a shuffled epoch should not be in order")
    }

    // MARK: - Helpers

    /// A data set of `count` rows `[i, -i]` with label `i`: every row says which label it has.
    private func rows(_ count: Int) -> TensorDataset {
        TensorDataset(inputs: Tensor(shape: [count, 2],
                                     data: (0..<count).flatMap { [Float($0), -Float($0)] }),
                      labels: Array(0..<count))
    }

    /// 0, 1, 2, … in the given shape.
    private func arange(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map(Float.init))
    }

    /// A new, empty folder, removed when the test ends.
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("DataLoaderTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// Writes `bytes` to the file `name` in `folder` and returns its URL.
    @discardableResult
    private func write(_ bytes: [UInt8], to folder: URL, _ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A file `name` in `folder` that starts with `start` and is `size` bytes long, the rest
    /// zeros that take no disk space (a sparse file).
    private func sparseFile(_ start: [UInt8], size: Int, in folder: URL, _ name: String) throws
        -> URL {
        let url = try write(start, to: folder, name)
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        try file.truncate(atOffset: UInt64(size))
        return url
    }

    /// Checks that `expression` throws exactly `expected`, and that its message mentions every
    /// fragment.
    private func assertDataError<Result>(
        _ expression: @autoclosure () throws -> Result, _ expected: DataError,
        mentions fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let result = try expression()
            XCTFail("expected \(describe(expected)), but nothing was thrown and the result was "
                    + "\(result)", file: file, line: line)
        } catch let error as DataError {
            guard error == expected else {
                return XCTFail("expected \(describe(expected)), but got \(describe(error))",
                               file: file, line: line)
            }
            let message = error.description
            for fragment in fragments where !message.contains(fragment) {
                XCTFail("the message should mention \"\(fragment)\", but it says: \"\(message)\"",
                        file: file, line: line)
            }
        } catch {
            XCTFail("expected \(describe(expected)), but got \(type(of: error)): \(error)",
                    file: file, line: line)
        }
    }

    /// `DataError.truncatedData(name: "h", shape: [2], expected: 2, found: 1)`: the case and its
    /// values, which the message alone does not show.
    private func describe(_ error: DataError) -> String {
        guard let payload = Mirror(reflecting: error).children.first,
              let name = payload.label else { return "DataError \"\(error)\"" }
        let values = Mirror(reflecting: payload.value).children
            .map { "\($0.label ?? "_"): \(String(reflecting: $0.value))" }
            .joined(separator: ", ")
        return "DataError.\(name)(\(values))"
    }
}

/// CIFAR-10 records in the real binary format, one per label: the label byte, then the red, green
/// and blue planes of 32 × 32 bytes, pixel (c, y, x) of record n being (40n + 10c + y + x) % 256.
private func cifarRecords(labels: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    for (n, label) in labels.enumerated() {
        bytes.append(label)
        for c in 0..<3 {
            for y in 0..<32 {
                for x in 0..<32 { bytes.append(UInt8((40 * n + 10 * c + y + x) % 256)) }
            }
        }
    }
    return bytes
}

/// The four bytes of `value` as a big-endian UInt32, most significant first.
private func bigEndian(_ value: Int) -> [UInt8] {
    [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
     UInt8(value & 0xFF)]
}

/// The bytes of an IDX file of unsigned bytes, in the real format: 00 00, the type 08, the number
/// of dimensions, each size as a big-endian UInt32, then the data. Built by hand here, so that
/// the tests do not depend on the code they test.
private func idxBytes(shape: [Int], data: [UInt8]) -> [UInt8] {
    [0, 0, 0x08, UInt8(shape.count)] + shape.flatMap(bigEndian) + data
}

private func randomByte(_ generator: inout SeededGenerator) -> UInt8 {
    UInt8(truncatingIfNeeded: generator.next())
}

/// A data set with nothing but `example(at:)`: example i is `[i, i²]` with label `i % 2`. It uses
/// the protocol's default `batch(at:)`.
private struct Squares: Dataset {
    let count: Int

    func example(at index: Int) -> (input: Tensor, label: Int) {
        (Tensor([Float(index), Float(index * index)]), index % 2)
    }
}
