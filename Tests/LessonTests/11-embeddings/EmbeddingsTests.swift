// Lesson 11: Embeddings. The tests follow the lesson's files in order: TokenBatch.swift (ids in
// a batch, their check), Embedding.swift (the lookup, its scatter-add gradient, the module),
// PositionalEncoding.swift (sinusoidal encodings, the range check, learned position
// embeddings), and last a tiny character model — tokenizer, embeddings, positions, a linear
// head and cross-entropy — whose loss and gradients are compared with PyTorch (`test_module`).
//
// Every gradient is checked against finite differences by `gradCheck` (Support/GradCheck.swift:
// relative 1e-2, absolute 1e-3). Key values are compared with PyTorch 2.15.0 (CPU, float32); the
// Python and its output are in the comment beside the numbers, after
//
//   import math, torch, torch.nn.functional as F
//
// Those comparisons use relative 1e-4, absolute 1e-6 (the same arithmetic in another order). A
// lookup only copies numbers, and its gradient only adds whole numbers here: those are exact.

import Foundation  // sin and cos, for the weights of test_module
import XCTest
import TinyTorchTensor
import TinyTorchLayers
import TinyTorchLosses
import TinyTorchAutograd
import TinyTorchTokenization
import TinyTorchEmbeddings

final class EmbeddingsTests: LessonTestCase {

    // MARK: - TokenBatch.swift

    func test_unit_tokenBatch_sequencesLaidOutRowMajor() {
        let batch = TokenBatch(sequences: [[5, 2, 7], [1, 1, 0]])
        XCTAssertEqual(batch.shape, [2, 3], "two sequences of 3 ids make a [2, 3] batch")
        XCTAssertEqual(batch.ids, [5, 2, 7, 1, 1, 0],
                       "the ids are stored row-major, as a Tensor's numbers: the first sequence, "
                       + "then the second")
        XCTAssertEqual(batch.count, 6, "count is the number of ids")
        XCTAssertEqual(batch[1, 0], 1, "batch[1, 0] is the first id of the second sequence")
        XCTAssertEqual(batch[0, 2], 7, "batch[0, 2] is the last id of the first sequence")

        let one = TokenBatch(sequences: [[4, 4, 4, 4]])
        XCTAssertEqual(one.shape, [1, 4], "one sequence of 4 ids is a [1, 4] batch")
        let empty = TokenBatch(sequences: [])
        XCTAssertEqual(empty.shape, [0, 0], "no sequences at all: shape [0, 0]")
        XCTAssertEqual(empty.ids, [], "no sequences, no ids")
    }

    func test_unit_validateIDs_namesIdPositionAndVocabulary() {
        // Ids inside the vocabulary pass: 0 and 64 are the first and last of 65 rows.
        XCTAssertNoThrow(try TokenBatch(sequences: [[0, 64], [12, 3]]).validateIDs(
                             vocabularySize: 65),
                         "ids 0…64 are all rows of a 65-row table: nothing to throw")

        func thrown(_ batch: TokenBatch, _ vocabularySize: Int) -> EmbeddingError? {
            do {
                try batch.validateIDs(vocabularySize: vocabularySize)
                return nil
            } catch let error as EmbeddingError {
                return error
            } catch {
                XCTFail("validateIDs should throw an EmbeddingError, got \(error)")
                return nil
            }
        }
        let batch = TokenBatch(sequences: [[1, 2, 3], [4, 70, 99]])
        XCTAssertEqual(thrown(batch, 65),
                       .idOutOfRange(id: 70, position: [1, 1], batchShape: [2, 3],
                                     vocabularySize: 65),
                       "70 is the first id past 64, at row 1, column 1 of the [2, 3] batch: "
                       + "report it (not 99, which comes later in row-major order) with its "
                       + "position as one index per axis")
        XCTAssertEqual(thrown(TokenBatch([3, -1, 2]), 4),
                       .idOutOfRange(id: -1, position: [1], batchShape: [3], vocabularySize: 4),
                       "a negative id is not a row either: -1 at position [1] of a [3] batch")
        XCTAssertEqual(thrown(TokenBatch(sequences: [[0, 1], [2, 3]]), 3),
                       .idOutOfRange(id: 3, position: [1, 1], batchShape: [2, 2],
                                     vocabularySize: 3),
                       "a table of 3 rows has ids 0, 1 and 2: 3 is one too many")
        let message = "\(thrown(batch, 65).map { "\($0)" } ?? "")"
        for fragment in ["70", "[1, 1]", "65"] {
            XCTAssertTrue(message.contains(fragment),
                          "the message should name the id, its position and the vocabulary "
                          + "size (\(fragment)); it says: \"\(message)\"")
        }
    }

    // MARK: - Embedding.swift: the lookup

    /// The table of the lesson text: 4 tokens, 3 numbers each.
    private func table() -> Tensor {
        Tensor([[0.1, 0.2, 0.3], [1, 0, -1], [0.5, 0.5, 0.5], [-2, 1, 0]])
    }

    func test_unit_embeddingLookup_copiesTheRowsOfTheIds() {
        let weight = table().asParameter()
        let batch = TokenBatch(sequences: [[1, 3], [1, 0]])
        let output = embeddingLookup(weight, batch)
        // F.embedding(torch.tensor([[1, 3], [1, 0]]), W) with W the table above:
        // tensor([[[ 1.0, 0.0, -1.0], [-2.0, 1.0, 0.0]],
        //         [[ 1.0, 0.0, -1.0], [ 0.1, 0.2,  0.3]]])
        assertClose(output, Tensor([[[1, 0, -1], [-2, 1, 0]], [[1, 0, -1], [0.1, 0.2, 0.3]]]),
                    absolute: 0,
                    "ids [[1, 3], [1, 0]] should pick rows 1, 3, 1, 0 of the table: a [2, 2] "
                    + "batch of ids gives [2, 2, 3]")
        assertRecorded(output, EmbeddingOp(ids: [1, 3, 1, 0]), inputs: [weight],
                       "embeddingLookup(weight, batch)",
                       hint: "end with Tensor(shape:data:operation: EmbeddingOp(ids: batch.ids), "
                           + "inputs: [weight])")

        // One sequence: [T] ids give [T, D].
        let sequence = embeddingLookup(table(), TokenBatch([2, 2, 0]))
        assertClose(sequence, Tensor([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.1, 0.2, 0.3]]),
                    absolute: 0, "ids [2, 2, 0] (shape [3]) give rows 2, 2, 0 (shape [3, 3])")

        // The lookup is the one-hot product: oneHot(ids).matmul(W) picks the same rows.
        let oneHot = Tensor([[0, 1, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0], [1, 0, 0, 0]])
        assertClose(embeddingLookup(table(), TokenBatch([1, 3, 1, 0])), oneHot.matmul(table()),
                    absolute: 0, "the lookup of ids [1, 3, 1, 0] must equal one-hot rows times "
                    + "the table")
    }

    func test_unit_embeddingBackward_scatterAddsRepeatedIds() {
        // W = torch.tensor(<the table>, requires_grad=True)
        // out = F.embedding(torch.tensor([[1, 3], [1, 0]]), W)
        // out.backward(torch.tensor([[[1., 2., 3.], [4., 5., 6.]],
        //                            [[10., 20., 30.], [-1., -2., -3.]]]))
        // W.grad → tensor([[-1., -2., -3.], [11., 22., 33.], [0., 0., 0.], [4., 5., 6.]])
        let weight = table().asParameter()
        let output = embeddingLookup(weight, TokenBatch(sequences: [[1, 3], [1, 0]]))
        output.backward(gradient: Tensor([[[1, 2, 3], [4, 5, 6]], [[10, 20, 30], [-1, -2, -3]]]))
        assertClose(weight.grad ?? Tensor([[.nan]]),
                    Tensor([[-1, -2, -3], [11, 22, 33], [0, 0, 0], [4, 5, 6]]), absolute: 0,
                    "id 1 was read twice, so row 1 gets both gradient rows added, [1, 2, 3] + "
                    + "[10, 20, 30]; row 2 was never read and gets 0 (PyTorch agrees)")

        // Gradients accumulate across lookups too: the same table read by two batches.
        let shared = table().asParameter()
        let first = embeddingLookup(shared, TokenBatch([2]))
        let second = embeddingLookup(shared, TokenBatch([2, 2]))
        (first.sum() + second.sum()).backward()
        assertClose(shared.grad ?? Tensor([[.nan]]),
                    Tensor([[0, 0, 0], [0, 0, 0], [3, 3, 3], [0, 0, 0]]), absolute: 0,
                    "row 2 is read three times in all (once, then twice): its gradient is 3")
    }

    func test_unit_embeddingBackward_matchesFiniteDifferences() {
        // Weighted by distinct constants, so that a gradient sent to the wrong row or column
        // shows (a plain sum would give 1 everywhere).
        let ids = TokenBatch(sequences: [[0, 2, 2], [3, 0, 2]])
        let weights = Tensor([[[1, -2, 3], [0.5, 4, -1], [2, 2, -3]],
                              [[-1, 0.25, 1.5], [3, -0.5, 1], [0.75, -4, 2]]])
        gradCheck({ embeddingLookup($0[0], ids) * weights },
                  inputs: [Tensor([[0.3, -0.1, 0.8], [1.2, 0.4, -0.6], [-0.2, 0.9, 0.1],
                                   [0.7, -1.1, 0.5]])],
                  "embeddingLookup with ids [[0, 2, 2], [3, 0, 2]], weighted")
        // Through something non-linear after the lookup, as in a real model.
        gradCheck({ squared(embeddingLookup($0[0], TokenBatch([1, 1, 0]))) },
                  inputs: [Tensor([[0.5, -0.3], [0.2, 0.9]])],
                  "(lookup)² of ids [1, 1, 0]")
    }

    // MARK: - Embedding.swift: the module

    func test_unit_embedding_moduleOwnsTheTable() {
        var generator = SeededGenerator(seed: 7)
        let embedding = Embedding(vocabularySize: 5, dimension: 3, using: &generator)
        XCTAssertEqual(embedding.vocabularySize, 5, "vocabularySize is stored")
        XCTAssertEqual(embedding.dimension, 3, "dimension is stored")
        assertShape(embedding.weight, [5, 3], "the table is [vocabularySize, dimension]")
        XCTAssertTrue(embedding.weight.isParameter, "the table is a parameter: asParameter()")
        XCTAssertEqual(embedding.parameters().count, 1, "the table is the module's one parameter")
        XCTAssertTrue(embedding.parameters().first === embedding.weight,
                      "parameters() should return the table itself")

        // The same draws as Tensor.normal with the same seed: one per number, row-major.
        var same = SeededGenerator(seed: 7)
        assertClose(embedding.weight, Tensor.normal([5, 3], mean: 0, standardDeviation: 1,
                                                    using: &same), absolute: 0,
                    "draw the table with Tensor.normal([vocabularySize, dimension], mean: 0, "
                    + "standardDeviation: standardDeviation, using: &generator)")
        var small = SeededGenerator(seed: 7)
        let gpt2 = Embedding(vocabularySize: 5, dimension: 3, standardDeviation: 0.02,
                             using: &small)
        assertClose(gpt2.weight, embedding.weight * 0.02, relative: 1e-6,
                    "standardDeviation: 0.02 scales the same draws by 0.02")

        // Calling it looks ids up.
        embedding.weight.data = table().data + [9, 9, 9]
        let batch = TokenBatch(sequences: [[4, 1]])
        let output = embedding(batch)
        assertClose(output, Tensor([[[9, 9, 9], [1, 0, -1]]]), absolute: 0,
                    "embedding(batch) is embeddingLookup(weight, batch)")
        output.sum().backward()
        assertClose(embedding.weight.grad ?? Tensor([[.nan]]),
                    Tensor([[0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]), absolute: 0,
                    "the gradient reaches the module's table: rows 4 and 1 were used")

        // A Tensor input is read as rows over the vocabulary: one-hot rows give the same rows.
        let oneHot = Tensor([[0, 0, 0, 0, 1], [0, 1, 0, 0, 0]])
        assertClose(embedding(oneHot), Tensor([[9, 9, 9], [1, 0, -1]]), absolute: 0,
                    "embedding(oneHotRows) is oneHotRows.matmul(weight): the same rows as the "
                    + "lookup of ids [4, 1]")
    }

    // MARK: - PositionalEncoding.swift: sinusoidal

    func test_unit_sinusoidalPositionalEncoding_workedExample() {
        // The lesson text's example, by hand: dimension 4 has two frequencies,
        // 1 / 10000^(0/4) = 1 and 1 / 10000^(2/4) = 1/100.
        //   position 0: sin 0, cos 0, sin 0, cos 0                = 0, 1, 0, 1
        //   position 1: sin 1, cos 1, sin 0.01, cos 0.01          = 0.8414710, 0.5403023,
        //                                                           0.0099998, 0.9999500
        //   position 2: sin 2, cos 2, sin 0.02, cos 0.02          = 0.9092974, -0.4161468,
        //                                                           0.0199987, 0.9998000
        let encoding = sinusoidalPositionalEncoding(length: 3, dimension: 4)
        assertClose(encoding, Tensor([[0, 1, 0, 1],
                                      [0.8414710, 0.5403023, 0.0099998, 0.9999500],
                                      [0.9092974, -0.4161468, 0.0199987, 0.9998000]]),
                    relative: 1e-6, absolute: 1e-7,
                    "PE[p, 2i] = sin(p / 10000^(2i/4)), PE[p, 2i + 1] = cos(p / 10000^(2i/4))")
        XCTAssertNil(encoding.recording, "the encoding is a constant: nothing is learned")
        XCTAssertFalse(encoding.requiresGrad, "the encoding is a constant: no gradient")
    }

    func test_unit_sinusoidalPositionalEncoding_matchesPyTorch() {
        // The usual PyTorch code (float32):
        //   def pe(length, d, start=0):
        //       position = torch.arange(start, start + length, dtype=torch.float32).unsqueeze(1)
        //       div_term = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
        //       p = torch.zeros(length, d)
        //       p[:, 0::2] = torch.sin(position * div_term)
        //       p[:, 1::2] = torch.cos(position * div_term[: d // 2])
        //       return p
        //   pe(3, 6, start=10) →
        //   [[-0.544021, -0.839072, 0.447671, 0.894198, 0.021543, 0.999768],
        //    [-0.999990,  0.004426, 0.488679, 0.872464, 0.023697, 0.999719],
        //    [-0.536573,  0.843854, 0.528634, 0.848850, 0.025850, 0.999666]]
        //   pe(2, 5) → [[0, 1, 0, 1, 0], [0.841471, 0.540302, 0.025116, 0.999685, 0.000631]]
        // (the digits below are the same formula in float64, rounded to 7 decimals)
        assertClose(sinusoidalPositionalEncoding(length: 3, dimension: 6, startingAt: 10),
                    Tensor([[-0.5440211, -0.8390715, 0.4476708, 0.8941984, 0.0215427, 0.9997679],
                            [-0.9999902, 0.0044257, 0.4886788, 0.8724638, 0.0236966, 0.9997192],
                            [-0.5365729, 0.8438540, 0.5286341, 0.8488498, 0.0258503, 0.9996658]]),
                    relative: 1e-5, absolute: 1e-6,
                    "positions 10, 11, 12 with dimension 6: the frequencies are 1, 10000^(-2/6) "
                    + "= 0.0464 and 10000^(-4/6) = 0.00215")
        assertClose(sinusoidalPositionalEncoding(length: 2, dimension: 5),
                    Tensor([[0, 1, 0, 1, 0],
                            [0.8414710, 0.5403023, 0.0251162, 0.9996845, 0.0006310]]),
                    relative: 1e-5, absolute: 1e-6,
                    "an odd dimension ends with a sine: column 4 uses i = 4 / 2 = 2, "
                    + "sin(p / 10000^(4/5))")
        // sin² + cos² = 1 for every pair, at every position.
        let far = sinusoidalPositionalEncoding(length: 4, dimension: 8, startingAt: 1000)
        assertShape(far, [4, 8], "length 4, dimension 8")
        let squares = (0..<4).flatMap { row in
            (0..<4).map { pair -> Float in
                let (s, c) = (far[row, 2 * pair], far[row, 2 * pair + 1])
                return s * s + c * c
            }
        }
        assertClose(squares, [Float](repeating: 1, count: 16), relative: 1e-5,
                    "positions 1000…1003, each pair of columns: a sine and a cosine of the same "
                    + "angle, so sin² + cos² = 1 (listed position by position, 4 pairs each)")
    }

    func test_unit_sinusoidalModule_addsEncodingToEveryBatchRow() {
        let positions = SinusoidalPositionalEncoding(dimension: 4)
        XCTAssertEqual(positions.parameters().count, 0, "the sinusoidal encoding learns nothing")
        let x = Tensor([[[1, 2, 3, 4], [5, 6, 7, 8]], [[-1, -2, -3, -4], [0, 0, 0, 0]]])
        let encoding = sinusoidalPositionalEncoding(length: 2, dimension: 4)
        // [B, T, D] + [T, D]: the same two rows added to both sequences of the batch.
        assertClose(positions(x), x + encoding, absolute: 0,
                    "a [2, 2, 4] input gets the [2, 4] encodings of positions 0 and 1, "
                    + "broadcast over the batch")
        assertClose(positions(x, startingAt: 5),
                    x + sinusoidalPositionalEncoding(length: 2, dimension: 4, startingAt: 5),
                    absolute: 0, "startingAt: 5 adds the encodings of positions 5 and 6")
        let single = Tensor([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]])
        assertClose(positions(single),
                    single + sinusoidalPositionalEncoding(length: 3, dimension: 4), absolute: 0,
                    "a [T, D] input (one sequence) gets positions 0..<T")
        // The gradient passes to the input unchanged: the encoding is a constant.
        gradCheck({ positions($0[0]) * Tensor([[1, -2, 3, 0.5], [2, 1, -1, 4]]) },
                  inputs: [Tensor([[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]],
                                   [[-0.1, -0.2, -0.3, -0.4], [0.9, 1.0, 1.1, 1.2]]])],
                  "SinusoidalPositionalEncoding, weighted")
        assertShapeError(try sequenceLength(of: [2, 3, 8], dimension: 4, layer: "layer"),
                         mentions: ["[2, 3, 8]", "4"],
                         "an input whose vectors do not have `dimension` numbers is refused")
    }

    // MARK: - PositionalEncoding.swift: learned

    func test_unit_positionRange_namesLengthAndTable() {
        XCTAssertEqual(try? positionRange(count: 3, startingAt: 0, maxLength: 64), 0..<3,
                       "3 positions from 0: 0..<3")
        XCTAssertEqual(try? positionRange(count: 1, startingAt: 63, maxLength: 64), 63..<64,
                       "the last position of a 64-position table is 63")
        XCTAssertEqual(try? positionRange(count: 0, startingAt: 64, maxLength: 64), 64..<64,
                       "no positions at all, even at the end, is fine")
        func thrown(_ count: Int, _ start: Int, _ maxLength: Int) -> EmbeddingError? {
            do {
                _ = try positionRange(count: count, startingAt: start, maxLength: maxLength)
                return nil
            } catch {
                return error as? EmbeddingError
            }
        }
        XCTAssertEqual(thrown(65, 0, 64), .sequenceTooLong(count: 65, start: 0, maxLength: 64),
                       "65 positions do not fit a table of 64")
        XCTAssertEqual(thrown(2, 63, 64), .sequenceTooLong(count: 2, start: 63, maxLength: 64),
                       "positions 63 and 64: 64 is past the end of a 64-position table")
        XCTAssertEqual(thrown(1, -1, 64), .negativeStart(-1), "positions start at 0")
        let message = thrown(65, 0, 64).map { "\($0)" } ?? ""
        XCTAssertTrue(message.contains("65") && message.contains("64"),
                      "the message names the length and the table's size: \"\(message)\"")
    }

    func test_unit_positionalEmbedding_addsLearnedRows() {
        var generator = SeededGenerator(seed: 3)
        let positions = PositionalEmbedding(maxLength: 4, dimension: 2, using: &generator)
        assertShape(positions.weight, [4, 2], "the table is [maxLength, dimension]")
        XCTAssertTrue(positions.parameters().count == 1
                          && positions.parameters()[0] === positions.weight,
                      "the table is the module's one parameter")
        var same = SeededGenerator(seed: 3)
        assertClose(positions.weight, Tensor.normal([4, 2], using: &same), absolute: 0,
                    "drawn as Embedding's table: Tensor.normal, one draw per number")

        positions.weight.data = [0, 0, 10, 10, 20, 20, 30, 30]
        assertClose(positions.embeddings(count: 2, startingAt: 1), Tensor([[10, 10], [20, 20]]),
                    absolute: 0, "embeddings(count: 2, startingAt: 1) are rows 1 and 2")
        let x = Tensor([[[1, 2], [3, 4], [5, 6]], [[-1, -2], [-3, -4], [-5, -6]]])
        let output = positions(x)
        assertClose(output, Tensor([[[1, 2], [13, 14], [25, 26]], [[-1, -2], [7, 6], [15, 14]]]),
                    absolute: 0, "a [2, 3, 2] input gets rows 0, 1, 2 added to each sequence")

        // Backward: each used row gets the sum over the batch; row 3 was not used.
        output.backward(gradient: Tensor([[[1, 2], [3, 4], [5, 6]],
                                          [[10, 20], [30, 40], [50, 60]]]))
        assertClose(positions.weight.grad ?? Tensor([[.nan]]),
                    Tensor([[11, 22], [33, 44], [55, 66], [0, 0]]), absolute: 0,
                    "row p gets the gradients of position p of every sequence, summed; row 3 "
                    + "(no sequence is that long) gets 0")
        positions.weight.zeroGrad()
        positions(Tensor([[1, 1], [1, 1]]), startingAt: 2).sum().backward()
        assertClose(positions.weight.grad ?? Tensor([[.nan]]),
                    Tensor([[0, 0], [0, 0], [1, 1], [1, 1]]), absolute: 0,
                    "startingAt: 2 uses rows 2 and 3")

        gradCheck({ x in positions(x[0]) * Tensor([[1, -1], [2, 0.5], [-3, 1]]) },
                  inputs: [Tensor([[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]],
                                   [[0.7, 0.8], [0.9, 1.0], [1.1, 1.2]]])],
                  "PositionalEmbedding, the gradient of its input")
        // The module's own table as the checked input: gradCheck nudges its numbers in place.
        positions.weight.data = [0.3, -0.2, 0.1, 0.4, -0.5, 0.6, 0.7, 0.8]
        gradCheck({ _ in positions(x) * Tensor([[1, -1], [2, 0.5], [-3, 1]]) },
                  inputs: [positions.weight], "PositionalEmbedding, the gradient of its table")
    }

    // MARK: - Everything together

    func test_module() throws {
        // A character model in miniature: "hell" → "ello" and "worl" → "orld".
        let tokenizer = CharTokenizer(corpus: "hello world")   // " " d e h l o r w: 8 tokens
        let text = [try tokenizer.encode("hello"), try tokenizer.encode("world")]
        let inputs = TokenBatch(sequences: text.map { Array($0.dropLast()) })  // [[3, 2, 4, 4],
        let targets = TokenBatch(sequences: text.map { Array($0.dropFirst()) }) //  [7, 5, 6, 4]]
        XCTAssertEqual(inputs.ids, [3, 2, 4, 4, 7, 5, 6, 4], "the ids of \"hell\" and \"worl\"")

        let (vocabularySize, dimension, length) = (8, 4, 4)
        var generator = SeededGenerator(seed: 1)
        let tokens = Embedding(vocabularySize: vocabularySize, dimension: dimension,
                               using: &generator)
        let positions = PositionalEmbedding(maxLength: length, dimension: dimension,
                                            using: &generator)
        let head = Linear(inputSize: dimension, outputSize: vocabularySize, using: &generator)
        // Weights anyone can rebuild: the same formulas in the Python below.
        tokens.weight.data = grid(vocabularySize, dimension) { i, j in sin(Double(i * 4 + j)) / 2 }
        positions.weight.data = grid(length, dimension) { p, j in cos(Double(p * 4 + j)) / 4 }
        head.weight.data = grid(dimension, vocabularySize) { j, k in
            sin(Double(j * 8 + k) * 0.7) / 2
        }

        let hidden = positions(tokens(inputs))                  // [2, 4, 4]
        let logits = head(hidden)                               // [2, 4, 8]
        assertShape(logits, [2, 4, 8], "[B, T] ids → [B, T, D] → [B, T, vocabularySize]")
        let loss = crossEntropy(logits: logits.reshaped(to: [8, vocabularySize]),
                                targets: targets.ids)
        loss.backward()

        // V, D, T = 8, 4, 4
        // tok = torch.tensor([[math.sin(i * D + j) / 2 for j in range(D)] for i in range(V)],
        //                    requires_grad=True)
        // pos = torch.tensor([[math.cos(p * D + j) / 4 for j in range(D)] for p in range(T)],
        //                    requires_grad=True)
        // head = torch.tensor([[math.sin((j * V + k) * 0.7) / 2 for k in range(V)]
        //                      for j in range(D)], requires_grad=True)
        // bias = torch.zeros(V, requires_grad=True)
        // x = torch.tensor([[3, 2, 4, 4], [7, 5, 6, 4]])
        // y = torch.tensor([[2, 4, 4, 5], [5, 6, 4, 1]])
        // logits = (F.embedding(x, tok) + pos) @ head + bias
        // loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1)); loss.backward()
        // loss → 2.284822940826416
        assertClose(loss, Tensor(2.2848229), relative: 1e-4, "the loss, as PyTorch computes it")
        // tok.grad: rows 0 (" ") and 1 ("d") are never inputs, so they stay 0; row 4 ("l") is
        // read three times and collects three gradients.
        assertClose(tokens.weight.grad ?? Tensor([[.nan]]), Tensor([
            [0, 0, 0, 0], [0, 0, 0, 0],
            [-0.0054756, -0.0398588, -0.0563507, -0.0475485],
            [-0.0535391, -0.0253671, 0.0141913, 0.0473798],
            [-0.0384618, -0.0813603, -0.0877388, -0.0547341],
            [0.0710574, 0.0414822, -0.0067131, -0.0518950],
            [-0.0311776, -0.0529152, -0.0509009, -0.0260387],
            [0.0339126, -0.0179461, -0.0617494, -0.0778353]]), relative: 1e-4, absolute: 2e-7,
                    "the token table's gradient, as PyTorch computes it")
        assertClose(positions.weight.grad ?? Tensor([[.nan]]), Tensor([
            [-0.0196265, -0.0433133, -0.0475581, -0.0304556],
            [0.0655818, 0.0016234, -0.0630637, -0.0994435],
            [-0.0590504, -0.1156735, -0.1203745, -0.0710431],
            [-0.0105890, -0.0186020, -0.0182652, -0.0097297]]), relative: 1e-4, absolute: 2e-7,
                    "the position table's gradient, as PyTorch computes it")
        assertClose(head.bias?.grad ?? Tensor([.nan]), Tensor([
            0.1439381, 0.0126299, 0.0029071, 0.1189053, -0.2626686, -0.1387797, -0.0071416,
            0.1302095]), relative: 1e-4, absolute: 2e-7, "the head's bias gradient (PyTorch)")

        // One step of gradient descent on every parameter lowers the loss.
        let parameters = tokens.parameters() + positions.parameters() + head.parameters()
        for parameter in parameters {
            parameter.data = zip(parameter.data, parameter.grad!.data).map { $0 - 0.5 * $1 }
        }
        let after = GradientMode.withoutGradients {
            crossEntropy(logits: head(positions(tokens(inputs))).reshaped(to: [8, vocabularySize]),
                         targets: targets.ids)
        }
        XCTAssertLessThan(after.scalar, loss.scalar,
                          "a step against the gradient should lower the loss")
    }

    // MARK: - Helpers

    /// `rows × columns` numbers, row-major, `value(row, column)` each, rounded to Float.
    private func grid(_ rows: Int, _ columns: Int, _ value: (Int, Int) -> Double) -> [Float] {
        (0..<rows).flatMap { r in (0..<columns).map { c in Float(value(r, c)) } }
    }

    /// x · x, element-wise: something non-linear after a lookup, from lesson 01's operations.
    private func squared(_ x: Tensor) -> Tensor {
        x * x
    }
}
