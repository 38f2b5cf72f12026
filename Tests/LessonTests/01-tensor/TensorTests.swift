// Lesson 01: Tensor. The tests follow the lesson's files in order: Tensor.swift, Creation.swift,
// ShapeOps.swift, Broadcasting.swift, Arithmetic.swift, Reductions.swift, Matmul.swift, then the
// recording of operations for lesson 05, then everything together (`test_module`).
//
// Expected values are worked out by hand in the comments, or computed once with NumPy (the Python
// and its output are in the comment beside the numbers). Tolerances follow the policy in
// Support/Assertions.swift: `absolute: 0` for exact operations, the defaults for sums and products.

import XCTest
import TinyTorchTensor

final class TensorTests: LessonTestCase {

    // MARK: - Tensor.swift: storage, shape, indexing

    func test_unit_init_storesShapeAndData() {
        let t = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.shape, [2, 3], "Tensor(shape:data:) should keep the shape it is given")
        assertClose(t.data, [1, 2, 3, 4, 5, 6], absolute: 0,
                    "Tensor(shape:data:) should keep the data as given, in the same order")
        XCTAssertFalse(t.requiresGrad, "a new tensor should not require a gradient")
        XCTAssertNil(t.grad, "a new tensor should have no gradient")
        XCTAssertNil(t.recording, "a tensor you create yourself was not made by an operation")

        let scalar = Tensor(shape: [], data: [7])
        XCTAssertEqual(scalar.shape, [], "a scalar has the empty shape []")
        assertClose(scalar.data, [7], absolute: 0, "a scalar holds exactly one number")
    }

    func test_unit_init_fromNestedArrays() {
        let scalar = Tensor(3.5)
        XCTAssertEqual(scalar.shape, [], "Tensor(3.5) should be a scalar, shape []")
        assertClose(scalar.data, [3.5], absolute: 0, "Tensor(3.5) should hold 3.5")

        let vector = Tensor([1, 2, 3])
        XCTAssertEqual(vector.shape, [3], "Tensor([1, 2, 3]) should have shape [3]")
        assertClose(vector.data, [1, 2, 3], absolute: 0, "Tensor([1, 2, 3]) data")

        let matrix = Tensor([[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(matrix.shape, [2, 3], "2 rows of 3 numbers should give shape [2, 3]")
        assertClose(matrix.data, [1, 2, 3, 4, 5, 6], absolute: 0,
                    "rows should be laid out one after the other (row-major)")

        let planes = Tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]])
        XCTAssertEqual(planes.shape, [3, 2, 2], "3 planes of 2 rows of 2 should give [3, 2, 2]")
        assertClose(planes.data, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], absolute: 0,
                    "planes, then rows, then numbers, in reading order (row-major)")
    }

    func test_unit_count_isProductOfShape() {
        XCTAssertEqual(arange([2, 3, 4]).count, 24, "count of shape [2, 3, 4] is 2·3·4 = 24")
        XCTAssertEqual(Tensor([1, 2, 3]).count, 3, "count of shape [3] is 3")
        XCTAssertEqual(Tensor(5).count, 1, "a scalar (shape []) has count 1: the empty product")
        XCTAssertEqual(arange([2, 0]).count, 0, "a shape with a 0 in it holds no numbers")
        XCTAssertEqual(arange([2, 3, 4]).rank, 3, "rank is the number of axes: 3 for [2, 3, 4]")
        XCTAssertEqual(Tensor(5).rank, 0, "a scalar has rank 0")
    }

    func test_unit_strides_areRowMajor() {
        // The last axis moves 1 step in data; each axis before moves by the product of the sizes
        // after it: [2, 3, 4] → [3·4, 4, 1] = [12, 4, 1].
        XCTAssertEqual(arange([2, 3, 4]).strides, [12, 4, 1], "strides of shape [2, 3, 4]")
        XCTAssertEqual(arange([2, 3]).strides, [3, 1], "strides of shape [2, 3]")
        XCTAssertEqual(arange([5]).strides, [1], "strides of shape [5]")
        XCTAssertEqual(arange([3, 1, 2]).strides, [2, 2, 1], "strides of shape [3, 1, 2]")
        XCTAssertEqual(Tensor(1).strides, [], "a scalar has no axes, so no strides")
    }

    func test_unit_subscript_readsRowMajor() {
        let t = Tensor([[1, 2, 3], [4, 5, 6]])
        assertClose(t[0, 0], 1, absolute: 0, "t[0, 0] of [[1, 2, 3], [4, 5, 6]]")
        assertClose(t[0, 2], 3, absolute: 0, "t[0, 2] of [[1, 2, 3], [4, 5, 6]]")
        assertClose(t[1, 0], 4, absolute: 0, "t[1, 0] of [[1, 2, 3], [4, 5, 6]]")
        assertClose(t[1, 2], 6, absolute: 0, "t[1, 2] of [[1, 2, 3], [4, 5, 6]] (flat index 5)")

        // 0, 1, …, 23 in shape [2, 3, 4]: element [i, j, k] is 12i + 4j + k.
        let cube = arange([2, 3, 4])
        assertClose(cube[1, 2, 3], 23, absolute: 0, "[1, 2, 3] in shape [2, 3, 4]: 12 + 8 + 3")
        assertClose(cube[1, 0, 2], 14, absolute: 0, "[1, 0, 2] in shape [2, 3, 4]: 12 + 0 + 2")
        assertClose(cube[0, 2, 1], 9, absolute: 0, "[0, 2, 1] in shape [2, 3, 4]: 0 + 8 + 1")
        assertClose(Tensor(7)[], 7, absolute: 0, "a scalar is read with no indices: t[]")
    }

    func test_unit_subscript_writes() {
        let t = Tensor([[1, 2, 3], [4, 5, 6]])
        t[0, 1] = 9
        t[1, 2] = -1
        assertClose(t.data, [1, 9, 3, 4, 5, -1], absolute: 0,
                    "t[0, 1] = 9 and t[1, 2] = -1 should change data[1] and data[5]")
    }

    func test_unit_flatIndex_errorNamesIndexAndShape() {
        XCTAssertEqual(try flatIndex([1, 2], in: [2, 3]), 5, "[1, 2] in shape [2, 3]: 1·3 + 2")
        XCTAssertEqual(try flatIndex([0, 0, 1], in: [2, 3, 4]), 1, "[0, 0, 1] in shape [2, 3, 4]")
        XCTAssertEqual(try flatIndex([], in: []), 0, "a scalar's only element is at 0")
        assertShapeError(try flatIndex([2, 0], in: [2, 3]), mentions: ["[2, 0]", "[2, 3]"],
                         "index 2 is past the end of an axis of size 2")
        assertShapeError(try flatIndex([0, -1], in: [2, 3]), mentions: ["[0, -1]", "[2, 3]"],
                         "negative indices are not allowed")
        assertShapeError(try flatIndex([1], in: [2, 3]), mentions: ["[1]", "[2, 3]"],
                         "shape [2, 3] needs two indices, not one")
    }

    func test_unit_scalar_readsTheOnlyElement() {
        assertClose(Tensor(4.5).scalar, 4.5, absolute: 0, "Tensor(4.5).scalar")
        assertClose(Tensor(shape: [1, 1], data: [-2]).scalar, -2, absolute: 0,
                    "a [1, 1] tensor holds one number too")
    }

    // MARK: - Creation.swift

    func test_unit_zeros_onesAndFull() {
        let zeros = Tensor.zeros([2, 3])
        XCTAssertEqual(zeros.shape, [2, 3], "Tensor.zeros([2, 3]).shape")
        assertClose(zeros.data, [0, 0, 0, 0, 0, 0], absolute: 0, "Tensor.zeros([2, 3]) data")

        let ones = Tensor.ones([3])
        XCTAssertEqual(ones.shape, [3], "Tensor.ones([3]).shape")
        assertClose(ones.data, [1, 1, 1], absolute: 0, "Tensor.ones([3]) data")

        let sevens = Tensor.full([2, 1, 2], value: 7)
        XCTAssertEqual(sevens.shape, [2, 1, 2], "Tensor.full([2, 1, 2], value: 7).shape")
        assertClose(sevens.data, [7, 7, 7, 7], absolute: 0, "Tensor.full([2, 1, 2], value: 7)")

        let scalar = Tensor.ones([])
        XCTAssertEqual(scalar.shape, [], "Tensor.ones([]) is a scalar")
        assertClose(scalar.data, [1], absolute: 0, "Tensor.ones([]) holds one 1")
    }

    func test_unit_uniform_isReproducible() {
        // The first draw of seed 42 is next() = 0x15780b2e0c2ec716. Its top 24 bits are 0x15780b
        // = 1407011, so u = 1407011 / 2^24 = 0.08386296… and -1 + 2u = -0.83227408.
        // All four values, from a Python transcription of Provided/Random.swift:
        //   g = Gen(42); [g.float(-1, 1) for _ in range(4)]
        //   → [-0.8322740793228149, -0.24203956127166748, 0.3600867986679077, 0.8493858575820923]
        var generator = SeededGenerator(seed: 42)
        let t = Tensor.uniform([2, 2], in: -1...1, using: &generator)
        XCTAssertEqual(t.shape, [2, 2], "uniform([2, 2], …).shape")
        assertClose(t.data, [-0.8322740793228149, -0.24203956127166748,
                             0.3600867986679077, 0.8493858575820923], absolute: 0,
                    "uniform should take one generator.nextFloat(in: range) per element, in order")

        var again = SeededGenerator(seed: 42)
        let same = Tensor.uniform([2, 2], in: -1...1, using: &again)
        assertClose(same.data, t.data, absolute: 0, "the same seed should give the same tensor")

        var other = SeededGenerator(seed: 43)
        let different = Tensor.uniform([2, 2], in: -1...1, using: &other)
        XCTAssertNotEqual(different.data, t.data, "a different seed should give different numbers")

        // 1000 draws in 0...10 (seed 3): NumPy on the Python transcription gives
        // min 0.0225, max 9.9867, mean 5.164.
        var wide = SeededGenerator(seed: 3)
        let many = Tensor.uniform([1000], in: 0...10, using: &wide)
        XCTAssertTrue(many.data.allSatisfy { (0...10).contains($0) },
                      "all draws should be in 0...10")
        XCTAssertLessThan(many.data.min() ?? 10, 0.1, "uniform draws should reach near 0")
        XCTAssertGreaterThan(many.data.max() ?? 0, 9.9, "uniform draws should reach near 10")
    }

    func test_unit_normal_isReproducible() {
        // From a Python transcription of Provided/Random.swift (Box–Muller in float64):
        //   g = Gen(42); [g.normal(0, 1) for _ in range(4)]
        //   → [-1.6132237911224365, 0.7816920280456543, 0.01587129384279251, 0.47721680998802185]
        var generator = SeededGenerator(seed: 42)
        let t = Tensor.normal([4], using: &generator)
        XCTAssertEqual(t.shape, [4], "normal([4], …).shape")
        assertClose(t.data, [-1.6132237911224365, 0.7816920280456543,
                             0.01587129384279251, 0.47721680998802185],
                    "normal should take one generator.nextNormal(…) per element, in order")

        //   g = Gen(42); [g.normal(2, 0.5) for _ in range(2)]
        //   → [1.1933881044387817, 2.390846014022827]
        var shifted = SeededGenerator(seed: 42)
        let scaled = Tensor.normal([2], mean: 2, standardDeviation: 0.5, using: &shifted)
        assertClose(scaled.data, [1.1933881044387817, 2.390846014022827],
                    "normal should pass mean and standardDeviation on to the generator")

        var other = SeededGenerator(seed: 7)
        XCTAssertNotEqual(Tensor.normal([4], using: &other).data, t.data,
                          "a different seed should give different numbers")

        // 10 000 draws, seed 2024, mean 2, standard deviation 0.5: NumPy on the transcription
        // gives a sample mean of 1.99642 and a standard deviation of 0.503936.
        var statistics = SeededGenerator(seed: 2024)
        let many = Tensor.normal([10_000], mean: 2, standardDeviation: 0.5, using: &statistics)
        let values = many.data.map(Double.init)
        let mean = values.reduce(0, +) / 10_000
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10_000
        assertClose(Float(mean), 1.99642, relative: 1e-3, "the sample mean should be close to 2")
        assertClose(Float(variance.squareRoot()), 0.503936, relative: 1e-3,
                    "the sample standard deviation should be close to 0.5")
    }

    // MARK: - ShapeOps.swift: reshape and transpose

    func test_unit_reshaped_keepsRowMajorOrder() {
        let flat = Tensor([1, 2, 3, 4, 5, 6])
        let matrix = flat.reshaped(to: [2, 3])
        XCTAssertEqual(matrix.shape, [2, 3], "[1…6].reshaped(to: [2, 3]).shape")
        assertClose(matrix.data, [1, 2, 3, 4, 5, 6], absolute: 0,
                    "reshaping keeps the numbers in the same order")
        let tall = matrix.reshaped(to: [3, 2])
        XCTAssertEqual(tall.shape, [3, 2], "reshaped(to: [3, 2]).shape")
        assertClose(tall.data, [1, 2, 3, 4, 5, 6], absolute: 0,
                    "[3, 2] reads the same numbers as [[1, 2], [3, 4], [5, 6]]")
        XCTAssertEqual(flat.shape, [6], "reshaped(to:) makes a new tensor; the original stays [6]")

        let scalar = Tensor([5]).reshaped(to: [])
        XCTAssertEqual(scalar.shape, [], "a one-element tensor can be reshaped to a scalar []")
    }

    func test_unit_reshaped_infersMinusOne() {
        XCTAssertEqual(Tensor.zeros([4, 28, 28]).reshaped(to: [4, -1]).shape, [4, 784],
                       "[4, 28, 28] to [4, -1]: 3136 elements / 4 = 784")
        XCTAssertEqual(Tensor.zeros([4, 28, 28]).reshaped(to: [-1]).shape, [3136],
                       "[-1] flattens everything: 4·28·28 = 3136")
        XCTAssertEqual(Tensor.zeros([2, 3, 4]).reshaped(to: [2, -1, 2]).shape, [2, 6, 2],
                       "[2, 3, 4] to [2, -1, 2]: 24 / (2·2) = 6")
        XCTAssertEqual(try reshapedShape([2, 3], to: [-1, 2]), [3, 2], "[2, 3] to [-1, 2]")
        XCTAssertEqual(try reshapedShape([2, 3], to: [6]), [6], "[2, 3] to [6]")
    }

    func test_unit_reshapedShape_errorNamesShapes() {
        assertShapeError(try reshapedShape([2, 3], to: [4, 2]), mentions: ["[2, 3]", "[4, 2]"],
                         "6 elements cannot become 8")
        assertShapeError(try reshapedShape([2, 3], to: [-1, -1]), mentions: ["[2, 3]", "[-1, -1]"],
                         "only one size can be -1")
        assertShapeError(try reshapedShape([2, 3], to: [4, -1]), mentions: ["[2, 3]", "[4, -1]"],
                         "6 elements do not split into rows of 4")
        assertShapeError(try reshapedShape([2, 3], to: [-2, -3]), mentions: ["[2, 3]", "[-2, -3]"],
                         "sizes cannot be negative (except one -1)")
    }

    func test_unit_transposed_swapsRowsAndColumns() {
        // [[1, 2, 3],      [[1, 4],
        //  [4, 5, 6]]  →    [2, 5],
        //                   [3, 6]]
        let t = Tensor([[1, 2, 3], [4, 5, 6]]).transposed()
        XCTAssertEqual(t.shape, [3, 2], "the transpose of a [2, 3] matrix is [3, 2]")
        assertClose(t.data, [1, 4, 2, 5, 3, 6], absolute: 0,
                    "row i of the transpose is column i of the matrix")
        let back = t.transposed()
        XCTAssertEqual(back.shape, [2, 3], "transposing twice gives the shape back")
        assertClose(back.data, [1, 2, 3, 4, 5, 6], absolute: 0,
                    "transposing twice gives the data back")
    }

    func test_unit_transposed_batchSwapsLastTwoAxes() {
        // np.swapaxes(np.arange(12).reshape(2, 2, 3), -1, -2).ravel()
        //   → shape (2, 3, 2): [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11]
        let batch = arange([2, 2, 3])
        let t = batch.transposed()
        XCTAssertEqual(t.shape, [2, 3, 2], "transposed() of [2, 2, 3] swaps the last two axes")
        assertClose(t.data, [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11], absolute: 0,
                    "each matrix of the batch is transposed on its own")
    }

    func test_unit_transposed_anyTwoAxes() {
        // y = np.arange(24).reshape(2, 3, 4)
        // np.swapaxes(y, 0, 2).ravel() → shape (4, 3, 2):
        //   [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]
        // np.swapaxes(y, 0, 1).ravel() → shape (3, 2, 4):
        //   [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, …, 23]
        let y = arange([2, 3, 4])
        let swapOuter: [Float] = [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21,
                                  2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]
        assertClose(y.transposed(0, 2), Tensor(shape: [4, 3, 2], data: swapOuter), absolute: 0,
                    "transposed(0, 2) of [2, 3, 4]")
        assertClose(y.transposed(2, 0), Tensor(shape: [4, 3, 2], data: swapOuter), absolute: 0,
                    "transposed(2, 0) is the same as transposed(0, 2)")
        assertClose(y.transposed(-1, 0), Tensor(shape: [4, 3, 2], data: swapOuter), absolute: 0,
                    "axis -1 is the last axis, so transposed(-1, 0) is transposed(2, 0)")
        let swapFirstTwo: [Float] = [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7,
                                     16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23]
        assertClose(y.transposed(0, 1), Tensor(shape: [3, 2, 4], data: swapFirstTwo), absolute: 0,
                    "transposed(0, 1) of [2, 3, 4]")
        assertClose(y.transposed(1, 1), y, absolute: 0,
                    "swapping an axis with itself changes nothing")
    }

    func test_unit_transposed_largerMatricesMatchTheDefinition() {
        // Small examples can miss the edges of a faster copy (one that works in tiles, say):
        // sizes that are not multiples of anything, compared with the definition
        // t[b, j, i] == x[b, i, j], element by element.
        for shape in [[37, 21], [3, 17, 40], [1, 65], [65, 1]] {
            let x = arange(shape)
            let t = x.transposed()
            let (rows, columns) = (shape[shape.count - 2], shape[shape.count - 1])
            let batch = x.count / (rows * columns)
            XCTAssertEqual(t.shape, Array(shape.dropLast(2)) + [columns, rows],
                           "transposed() of \(shape) swaps the last two sizes")
            var expected = [Float](repeating: 0, count: x.count)
            for b in 0..<batch {
                for i in 0..<rows {
                    for j in 0..<columns {
                        expected[(b * columns + j) * rows + i] = x.data[(b * rows + i) * columns + j]
                    }
                }
            }
            assertClose(t.data, expected, absolute: 0, "transposed() of \(shape)")
        }
    }

    func test_unit_normalizedAxis_errorNamesAxisAndShape() {
        XCTAssertEqual(try normalizedAxis(0, in: [2, 3]), 0, "axis 0 of [2, 3]")
        XCTAssertEqual(try normalizedAxis(-1, in: [2, 3]), 1, "axis -1 is the last: 1 for [2, 3]")
        XCTAssertEqual(try normalizedAxis(-3, in: [2, 3, 4]), 0, "axis -3 of [2, 3, 4] is axis 0")
        assertShapeError(try normalizedAxis(2, in: [2, 3]), mentions: ["2", "[2, 3]"],
                         "a rank-2 shape has axes 0 and 1 only")
        assertShapeError(try normalizedAxis(-3, in: [2, 3]), mentions: ["-3", "[2, 3]"],
                         "a rank-2 shape has axes -2 and -1 only")
        assertShapeError(try normalizedAxis(0, in: []), mentions: ["[]"], "a scalar has no axes")
    }

    // MARK: - Broadcasting.swift

    func test_unit_broadcastShape_followsNumPyRules() {
        // Line the shapes up on the right; sizes must match or one of them must be 1.
        XCTAssertEqual(try broadcastShape([2, 3], [3]), [2, 3], "[2, 3] with [3]")
        XCTAssertEqual(try broadcastShape([3], [2, 3]), [2, 3], "[3] with [2, 3]")
        XCTAssertEqual(try broadcastShape([2, 1], [1, 3]), [2, 3], "[2, 1] with [1, 3]")
        XCTAssertEqual(try broadcastShape([4, 1, 3], [2, 1]), [4, 2, 3], "[4, 1, 3] with [2, 1]")
        XCTAssertEqual(try broadcastShape([], [2, 3]), [2, 3], "a scalar [] with [2, 3]")
        XCTAssertEqual(try broadcastShape([], []), [], "two scalars")
        XCTAssertEqual(try broadcastShape([5, 1], [1]), [5, 1], "[5, 1] with [1]")
        XCTAssertEqual(broadcastShapes([2, 1], [1, 3]), [2, 3],
                       "broadcastShapes (the version that stops on error) with [2, 1] and [1, 3]")
    }

    func test_unit_broadcastShape_errorNamesShapes() {
        let message = assertShapeError(try broadcastShape([2, 3], [4]), mentions: ["[2, 3]", "[4]"])
        XCTAssertEqual(message, "cannot broadcast [2, 3] with [4]: sizes 3 and 4 differ at axis -1",
                       "the error should name both shapes, the sizes and the axis")
        assertShapeError(try broadcastShape([2, 3, 4], [5, 4]),
                         mentions: ["[2, 3, 4]", "[5, 4]", "3 and 5", "axis -2"],
                         "the second axis from the end has sizes 3 and 5")
    }

    // MARK: - Arithmetic.swift

    func test_unit_arithmetic_sameShape() {
        let a = Tensor([[8, 6], [3, -4]])
        let b = Tensor([[2, 3], [-1, 8]])
        assertClose(a + b, Tensor([[10, 9], [2, 4]]), absolute: 0, "a + b, element by element")
        assertClose(a - b, Tensor([[6, 3], [4, -12]]), absolute: 0, "a - b, element by element")
        assertClose(a * b, Tensor([[16, 18], [-3, -32]]), absolute: 0, "a * b, element by element")
        assertClose(a / b, Tensor([[4, 2], [-3, -0.5]]), absolute: 0, "a / b, element by element")
        // Axes of size 1 (as a sum that keeps its dimensions leaves): still element by element.
        let column = Tensor(shape: [2, 3, 1], data: [1, 2, 3, 4, 5, 6])
        assertClose(column * column, Tensor(shape: [2, 3, 1], data: [1, 4, 9, 16, 25, 36]), absolute: 0,
                    "[2, 3, 1] * [2, 3, 1], element by element")
    }

    func test_unit_negate_flipsSigns() {
        assertClose(-Tensor([[1, -2], [0, 3]]), Tensor([[-1, 2], [0, -3]]), absolute: 0,
                    "-t negates every element")
    }

    func test_unit_arithmetic_scalarForms() {
        let x = Tensor([1, 2, 4])
        assertClose(x + 1, Tensor([2, 3, 5]), absolute: 0, "x + 1")
        assertClose(1 + x, Tensor([2, 3, 5]), absolute: 0, "1 + x")
        assertClose(x - 1, Tensor([0, 1, 3]), absolute: 0, "x - 1")
        assertClose(10 - x, Tensor([9, 8, 6]), absolute: 0, "10 - x (the number comes first)")
        assertClose(x * 3, Tensor([3, 6, 12]), absolute: 0, "x * 3")
        assertClose(3 * x, Tensor([3, 6, 12]), absolute: 0, "3 * x")
        assertClose(x / 2, Tensor([0.5, 1, 2]), absolute: 0, "x / 2")
        assertClose(8 / x, Tensor([8, 4, 2]), absolute: 0, "8 / x (the number comes first)")
        assertClose(Tensor(2) + 3, Tensor(5), absolute: 0, "a scalar tensor plus a number")
    }

    func test_unit_broadcasting_rowVector() {
        // [2, 3] + [3]: the vector is added to every row.
        //   [[1, 2, 3],   + [10, 20, 30] = [[11, 22, 33],
        //    [4, 5, 6]]                     [14, 25, 36]]
        let matrix = Tensor([[1, 2, 3], [4, 5, 6]])
        let row = Tensor([10, 20, 30])
        assertClose(matrix + row, Tensor([[11, 22, 33], [14, 25, 36]]), absolute: 0,
                    "[2, 3] + [3] adds the vector to each row")
        assertClose(row + matrix, Tensor([[11, 22, 33], [14, 25, 36]]), absolute: 0,
                    "[3] + [2, 3] broadcasts the same way")
        assertClose(matrix * Tensor(2), Tensor([[2, 4, 6], [8, 10, 12]]), absolute: 0,
                    "[2, 3] * a scalar tensor [] multiplies every element")
    }

    func test_unit_broadcasting_columnAndRow() {
        // [2, 1] + [1, 3] → [2, 3]: the column is stretched right, the row down.
        //   [[1],  + [[10, 20, 30]] = [[11, 21, 31],
        //    [2]]                      [12, 22, 32]]
        let column = Tensor([[1], [2]])
        let row = Tensor([[10, 20, 30]])
        assertClose(column + row, Tensor([[11, 21, 31], [12, 22, 32]]), absolute: 0,
                    "[2, 1] + [1, 3] gives every sum column[i] + row[j]")
        // Order matters for - and /: [1, 3] - [2, 1] gives row[j] - column[i].
        assertClose(row - column, Tensor([[9, 19, 29], [8, 18, 28]]), absolute: 0,
                    "[1, 3] - [2, 1] should subtract in the order written")
        assertClose(row / column, Tensor([[10, 20, 30], [5, 10, 15]]), absolute: 0,
                    "[1, 3] / [2, 1] should divide in the order written")
    }

    func test_unit_broadcasting_acrossRanks() {
        // a = np.arange(12).reshape(4, 1, 3); b = np.array([[100], [200]]); (a + b).ravel()
        //   → shape (4, 2, 3): [100, 101, 102, 200, 201, 202, 103, 104, 105, 203, 204, 205,
        //                       106, 107, 108, 206, 207, 208, 109, 110, 111, 209, 210, 211]
        let a = arange([4, 1, 3])
        let b = Tensor([[100], [200]])
        let expected: [Float] = [100, 101, 102, 200, 201, 202, 103, 104, 105, 203, 204, 205,
                                 106, 107, 108, 206, 207, 208, 109, 110, 111, 209, 210, 211]
        assertClose(a + b, Tensor(shape: [4, 2, 3], data: expected), absolute: 0,
                    "[4, 1, 3] + [2, 1] → [4, 2, 3]")
        assertClose(b + a, Tensor(shape: [4, 2, 3], data: expected), absolute: 0,
                    "[2, 1] + [4, 1, 3] → [4, 2, 3]")
    }

    // MARK: - Reductions.swift

    func test_unit_sum_allElements() {
        let total = Tensor([[1, 2], [3, 4]]).sum()
        XCTAssertEqual(total.shape, [], "sum() gives a scalar, shape []")
        assertClose(total.data, [10], "1 + 2 + 3 + 4 = 10")
        // 0 + 1 + … + 23 = 23 · 24 / 2 = 276
        assertClose(arange([2, 3, 4]).sum().data, [276],
                    "the sum of 0…23 is 276")
    }

    func test_unit_sum_alongAxis() {
        // x = np.arange(24).reshape(2, 3, 4)
        // x.sum(0) → (3, 4): [12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34]
        // x.sum(1) → (2, 4): [12, 15, 18, 21, 48, 51, 54, 57]
        // x.sum(-1) → (2, 3): [6, 22, 38, 54, 70, 86]
        let x = arange([2, 3, 4])
        assertClose(x.sum(alongAxis: 0),
                    Tensor(shape: [3, 4], data: [12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34]),
                    "sum(alongAxis: 0) of [2, 3, 4]")
        assertClose(x.sum(alongAxis: 1),
                    Tensor(shape: [2, 4], data: [12, 15, 18, 21, 48, 51, 54, 57]),
                    "sum(alongAxis: 1) of [2, 3, 4]")
        assertClose(x.sum(alongAxis: -1), Tensor(shape: [2, 3], data: [6, 22, 38, 54, 70, 86]),
                    "sum(alongAxis: -1) sums the last axis")
        assertClose(x.sum(alongAxis: 1, keepingDimensions: true),
                    Tensor(shape: [2, 1, 4], data: [12, 15, 18, 21, 48, 51, 54, 57]),
                    "keepingDimensions: true keeps the summed axis with size 1")
        assertClose(Tensor([[1, 2, 3], [4, 5, 6]]).sum(alongAxis: 0), Tensor([5, 7, 9]),
                    "sum(alongAxis: 0) of [[1, 2, 3], [4, 5, 6]] adds the rows: [5, 7, 9]")
    }

    func test_unit_mean_allAndAlongAxis() {
        let mean = Tensor([1, 2, 3, 6]).mean()
        XCTAssertEqual(mean.shape, [], "mean() gives a scalar, shape []")
        assertClose(mean.data, [3], "(1 + 2 + 3 + 6) / 4 = 3")
        // x = np.arange(24).reshape(2, 3, 4)
        // x.mean(1) → (2, 4): [4, 5, 6, 7, 16, 17, 18, 19]
        // x.mean(-1, keepdims=True) → (2, 3, 1): [1.5, 5.5, 9.5, 13.5, 17.5, 21.5]
        let x = arange([2, 3, 4])
        assertClose(x.mean(alongAxis: 1), Tensor(shape: [2, 4], data: [4, 5, 6, 7, 16, 17, 18, 19]),
                    "mean(alongAxis: 1) of [2, 3, 4] divides each sum by 3")
        assertClose(x.mean(alongAxis: -1, keepingDimensions: true),
                    Tensor(shape: [2, 3, 1], data: [1.5, 5.5, 9.5, 13.5, 17.5, 21.5]),
                    "mean(alongAxis: -1, keepingDimensions: true) of [2, 3, 4]")
    }

    func test_unit_mean_keptDimensionsBroadcastBack() {
        // Row means of [[1, 2, 3], [4, 6, 8]] are 2 and 6; with keepingDimensions they have shape
        // [2, 1], which broadcasts against [2, 3] and centres each row on 0.
        let x = Tensor([[1, 2, 3], [4, 6, 8]])
        let means = x.mean(alongAxis: 1, keepingDimensions: true)
        assertClose(means, Tensor([[2], [6]]), "row means, kept as a column [2, 1]")
        assertClose(x - means, Tensor([[-1, 0, 1], [-2, 0, 2]]),
                    "x - x.mean(alongAxis: 1, keepingDimensions: true) subtracts each row's mean")
    }

    func test_unit_sum_longAxesAddUpInDouble() {
        // Above 2^24 = 16,777,216 neighbouring Floats are 2 apart: 16,777,216 + 1 rounds back to
        // 16,777,216, so a Float running total that starts there never moves. In Double the sums
        // are exact (README: "Adding up many numbers"):
        //   [2^24, then 1000 ones]  → 16,778,216    (a Float total: 16,777,216)
        //   [2^25, then 1000 twos]  → 33,556,432    (a Float total: 33,554,432)
        let (columns, rows) = longSums()
        assertClose(columns.sum(alongAxis: 0), Tensor([16_778_216, 33_556_432]),
                    "sum(alongAxis: 0) of 1001 rows [2^24, 2^25], [1, 2], [1, 2], …: keep the "
                    + "running totals in Doubles — in a Float, 16,777,216 + 1 is 16,777,216")
        assertClose(rows.sum(alongAxis: 1, keepingDimensions: true),
                    Tensor([[16_778_216], [33_556_432]]),
                    "sum(alongAxis: 1) of [2^24, 1, 1, …] and [2^25, 2, 2, …]: keep the running "
                    + "totals in Doubles")
        assertClose(rows.sum(), Tensor(50_334_648),
                    "sum() of 2^24 + 2^25 + 1000 · 3: add up in a Double")
    }

    func test_unit_mean_longAxesAddUpInDouble() {
        // The same sums as above, divided by 1001 (np.float64):
        //   16778216 / 1001 = 16761.454545…,   33556432 / 1001 = 33522.909090…
        let (columns, rows) = longSums()
        assertClose(columns.mean(alongAxis: 0), Tensor([16761.454545, 33522.909091]),
                    "mean(alongAxis: 0) of 1001 rows [2^24, 2^25], [1, 2], [1, 2], …: add up in "
                    + "Doubles, then divide")
        assertClose(rows.mean(alongAxis: -1), Tensor([16761.454545, 33522.909091]),
                    "mean(alongAxis: -1) of [2^24, 1, 1, …] and [2^25, 2, 2, …]: add up in "
                    + "Doubles, then divide")
        assertClose(rows.mean(), Tensor(25142.181818),
                    "mean() of the 2002 numbers: 50,334,648 / 2002, added up in a Double")
    }

    /// `[1001, 2]`: the first row `[2^24, 2^25]`, then 1000 rows `[1, 2]`; and its transpose,
    /// `[2, 1001]`, written out directly.
    private func longSums() -> (columns: Tensor, rows: Tensor) {
        let ones = [Float](repeating: 1, count: 1000)
        let twos = [Float](repeating: 2, count: 1000)
        var columns: [Float] = [16_777_216, 33_554_432]
        for _ in 0..<1000 { columns += [1, 2] }
        return (Tensor(shape: [1001, 2], data: columns),
                Tensor(shape: [2, 1001], data: [16_777_216] + ones + [33_554_432] + twos))
    }

    func test_unit_max_allAndAlongAxis() {
        let x = Tensor([[1, 5, 2], [7, 0, 7]])
        let largest = x.max()
        XCTAssertEqual(largest.shape, [], "max() gives a scalar, shape []")
        assertClose(largest.data, [7], absolute: 0, "the largest of 1, 5, 2, 7, 0, 7 is 7")
        assertClose(x.max(alongAxis: 1), Tensor([5, 7]), absolute: 0,
                    "max(alongAxis: 1) takes the largest of each row")
        assertClose(x.max(alongAxis: 0), Tensor([7, 5, 7]), absolute: 0,
                    "max(alongAxis: 0) takes the largest of each column")
        assertClose(x.max(alongAxis: -2, keepingDimensions: true), Tensor([[7, 5, 7]]), absolute: 0,
                    "max(alongAxis: -2, keepingDimensions: true) keeps shape [1, 3]")
        assertClose(Tensor([-3, -1, -2]).max(), Tensor(-1), absolute: 0,
                    "the max of negative numbers is the one closest to 0 (do not start from 0)")
    }

    func test_unit_max_savesArgmax() {
        // x = [[1, 5, 2],     flat indices [[0, 1, 2],
        //      [7, 0, 7]]                   [3, 4, 5]]
        let x = Tensor([[1, 5, 2], [7, 0, 7]])
        x.requiresGrad = true
        // Rows: 5 is at flat 1; the two 7s tie at 3 and 5, and the first one wins.
        assertRecorded(x.max(alongAxis: 1),
                       MaxOp(axis: 1, keepingDimensions: false, inputShape: [2, 3], argmax: [1, 3]),
                       inputs: [x], "max(alongAxis: 1)")
        // Columns: 7 (flat 3) beats 1; 5 (flat 1) beats 0; 7 (flat 5) beats 2.
        assertRecorded(x.max(alongAxis: -2, keepingDimensions: true),
                       MaxOp(axis: 0, keepingDimensions: true, inputShape: [2, 3],
                             argmax: [3, 1, 5]),
                       inputs: [x], "max(alongAxis: -2, keepingDimensions: true)")
        assertRecorded(x.max(),
                       MaxOp(axis: nil, keepingDimensions: false, inputShape: [2, 3], argmax: [3]),
                       inputs: [x], "max()")
    }

    func test_unit_max_nanWins() {
        // A NaN is larger than everything, as in PyTorch; `>` alone would step over it.
        //   nan = float('nan')
        //   torch.tensor([1., nan, -2.]).max()                               → nan
        //   x = torch.tensor([[1., nan, -2., 4.], [3., 0., nan, 1.]])
        //   x.max(dim=1)  → values [nan, nan], indices [1, 2]
        //   x.max(dim=0)  → values [3., nan, nan, 4.], indices [1, 0, 1, 0]
        // Flat indices into data: row 0 is 0…3, row 1 is 4…7.
        assertClose(Tensor([1, .nan, -2]).max(), Tensor(.nan), absolute: 0,
                    "max() of [1, nan, −2] is NaN: a NaN beats every number — with `>` alone "
                    + "(nan > 1 is false) the NaN vanishes and the max comes out 1")
        let x = Tensor([[1, .nan, -2, 4], [3, 0, .nan, 1]])
        x.requiresGrad = true
        let rows = x.max(alongAxis: 1)
        assertClose(rows, Tensor([.nan, .nan]), absolute: 0,
                    "max(alongAxis: 1) of [[1, nan, −2, 4], [3, 0, nan, 1]]: a NaN anywhere in a "
                    + "row makes its maximum NaN, and a later 4 does not replace it")
        assertRecorded(rows, MaxOp(axis: 1, keepingDimensions: false, inputShape: [2, 4],
                                   argmax: [1, 6]),
                       inputs: [x], "max(alongAxis: 1) of a tensor holding NaNs: argmax points at "
                       + "each row's NaN")
        let columns = x.max(alongAxis: 0)
        assertClose(columns, Tensor([3, .nan, .nan, 4]), absolute: 0,
                    "max(alongAxis: 0): the columns [nan, 0] and [−2, nan] have the maximum NaN")
        assertRecorded(columns, MaxOp(axis: 0, keepingDimensions: false, inputShape: [2, 4],
                                      argmax: [4, 1, 6, 3]),
                       inputs: [x], "max(alongAxis: 0) of a tensor holding NaNs")
        assertRecorded(x.max(), MaxOp(axis: nil, keepingDimensions: false, inputShape: [2, 4],
                                      argmax: [1]),
                       inputs: [x], "max() of a tensor holding NaNs: argmax is the first NaN")
    }

    func test_unit_reducedShape_errorNamesAxisAndShape() {
        XCTAssertEqual(try reducedShape([2, 3], alongAxis: 1, keepingDimensions: false), [2],
                       "reducing axis 1 of [2, 3] removes it")
        XCTAssertEqual(try reducedShape([2, 3], alongAxis: 1, keepingDimensions: true), [2, 1],
                       "with keepingDimensions the axis stays, with size 1")
        XCTAssertEqual(try reducedShape([2, 3, 4], alongAxis: -3, keepingDimensions: false), [3, 4],
                       "axis -3 of [2, 3, 4] is axis 0")
        assertShapeError(try reducedShape([2, 3], alongAxis: 2, keepingDimensions: false),
                         mentions: ["2", "[2, 3]"], "[2, 3] has no axis 2")
    }

    // MARK: - Matmul.swift

    func test_unit_matmul_byHand() {
        // [[1, 2],   [[5, 6],    [[1·5 + 2·7, 1·6 + 2·8],    [[19, 22],
        //  [3, 4]] ×  [7, 8]]  =  [3·5 + 4·7, 3·6 + 4·8]]  =  [43, 50]]
        assertClose(Tensor([[1, 2], [3, 4]]).matmul(Tensor([[5, 6], [7, 8]])),
                    Tensor([[19, 22], [43, 50]]), "[[1, 2], [3, 4]] × [[5, 6], [7, 8]]")
        // [2, 3] × [3, 2] → [2, 2]: 1·7 + 2·9 + 3·11 = 58, 1·8 + 2·10 + 3·12 = 64,
        //                          4·7 + 5·9 + 6·11 = 139, 4·8 + 5·10 + 6·12 = 154
        assertClose(Tensor([[1, 2, 3], [4, 5, 6]]).matmul(Tensor([[7, 8], [9, 10], [11, 12]])),
                    Tensor([[58, 64], [139, 154]]), "[2, 3] × [3, 2] gives a [2, 2] result")
        // A row times a column is a dot product: 1·4 + 2·5 + 3·6 = 32, shape [1, 1].
        assertClose(Tensor([[1, 2, 3]]).matmul(Tensor([[4], [5], [6]])), Tensor([[32]]),
                    "[1, 3] × [3, 1] gives [[32]]")
    }

    func test_unit_matmul_batched() {
        // A = np.arange(12).reshape(2, 2, 3); B = np.array([[1, 0], [0, 1], [1, 1]])
        // (A @ B).ravel() → (2, 2, 2): [2, 3, 8, 9, 14, 15, 20, 21]
        let a = arange([2, 2, 3])
        let b = Tensor([[1, 0], [0, 1], [1, 1]])
        assertClose(a.matmul(b), Tensor(shape: [2, 2, 2], data: [2, 3, 8, 9, 14, 15, 20, 21]),
                    "[2, 2, 3] × [3, 2]: each matrix of the batch times the same matrix")
        // B2 = np.arange(12).reshape(2, 3, 2); (A @ B2).ravel()
        //   → (2, 2, 2): [10, 13, 28, 40, 172, 193, 244, 274]
        let b2 = arange([2, 3, 2])
        assertClose(a.matmul(b2),
                    Tensor(shape: [2, 2, 2], data: [10, 13, 28, 40, 172, 193, 244, 274]),
                    "[2, 2, 3] × [2, 3, 2]: matrix i of the batch times matrix i")
    }

    func test_unit_matmul_broadcastsBatchAxes() {
        // A = np.arange(12).reshape(2, 1, 2, 3); B = np.arange(18).reshape(3, 3, 2) - 8
        // (A @ B).ravel() → (2, 3, 2, 2): [-14, -11, -68, -56, 4, 7, 4, 16, 22, 25, 76, 88,
        //                 -122, -101, -176, -146, 4, 25, 4, 34, 130, 151, 184, 214]
        let a = arange([2, 1, 2, 3])
        let b = Tensor(shape: [3, 3, 2], data: (0..<18).map { Float($0) - 8 })
        let expected: [Float] = [-14, -11, -68, -56, 4, 7, 4, 16, 22, 25, 76, 88,
                                 -122, -101, -176, -146, 4, 25, 4, 34, 130, 151, 184, 214]
        assertClose(a.matmul(b), Tensor(shape: [2, 3, 2, 2], data: expected),
                    "[2, 1, 2, 3] × [3, 3, 2]: batch axes [2, 1] and [3] broadcast to [2, 3]")
    }

    func test_unit_matmul_largerMatricesMatchTheDefinition() {
        // A faster matmul (lesson 18) works in blocks of rows and columns; the examples above are
        // smaller than one block. These sizes leave rows and columns over at every edge. Each
        // result is compared with the definition c[i, j] = Σ_p a[i, p] · b[p, j], summed in
        // Double here, so only the float rounding of your sum may differ.
        var generator = SeededGenerator(seed: 18)
        for (n, k, m) in [(37, 50, 45), (64, 70, 33), (5, 300, 17), (9, 1, 70)] {
            let a = Tensor.uniform([n, k], in: -1...1, using: &generator)
            let b = Tensor.uniform([k, m], in: -1...1, using: &generator)
            var expected = [Float](repeating: 0, count: n * m)
            for i in 0..<n {
                for j in 0..<m {
                    var sum = 0.0
                    for p in 0..<k { sum += Double(a.data[i * k + p]) * Double(b.data[p * m + j]) }
                    expected[i * m + j] = Float(sum)
                }
            }
            assertClose(a.matmul(b), Tensor(shape: [n, m], data: expected), absolute: 1e-4,
                        "[\(n), \(k)] × [\(k), \(m)] with values in -1…1")
        }
        // A batch of 3 such products, each matrix of the batch on its own.
        let a = Tensor.uniform([3, 19, 20], in: -1...1, using: &generator)
        let b = Tensor.uniform([20, 35], in: -1...1, using: &generator)
        let product = a.matmul(b)
        XCTAssertEqual(product.shape, [3, 19, 35], "[3, 19, 20] × [20, 35]")
        for batch in 0..<3 {
            let single = Tensor(shape: [19, 20], data: Array(a.data[(batch * 380)..<((batch + 1) * 380)]))
            assertClose(Array(product.data[(batch * 665)..<((batch + 1) * 665)]), single.matmul(b).data,
                        absolute: 1e-4, "matrix \(batch) of the batch times b, alone or in the batch")
        }
    }

    func test_unit_matmul_bigProductsMatchTheDefinition() {
        // A fast matmul shares big products out among the cores (by columns, by rows, or a batch of
        // small products by matrix) and walks k in slices; these sizes take each of those paths.
        // `reference` is the definition with the same fused steps in the same order, so a sum in
        // that order gives exactly these numbers; any other order is within rounding.
        func reference(_ a: [Float], _ b: [Float], n: Int, k: Int, m: Int) -> [Float] {
            var c = [Float](repeating: 0, count: n * m)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        for i in 0..<n {
                            for p in 0..<k {
                                let x = a[i * k + p]
                                for j in 0..<m { c[i * m + j].addProduct(x, b[p * m + j]) }
                            }
                        }
                    }
                }
            }
            return c
        }
        var generator = SeededGenerator(seed: 1957)
        for (n, k, m) in [(100, 150, 70), (96, 280, 40), (7, 600, 300)] {
            let a = Tensor.uniform([n, k], in: -1...1, using: &generator)
            let b = Tensor.uniform([k, m], in: -1...1, using: &generator)
            assertClose(a.matmul(b), Tensor(shape: [n, m], data: reference(a.data, b.data, n: n, k: k, m: m)),
                        absolute: 1e-3, "[\(n), \(k)] × [\(k), \(m)] with values in -1…1")
        }
        let a = Tensor.uniform([26, 30, 41], in: -1...1, using: &generator)
        let b = Tensor.uniform([26, 41, 33], in: -1...1, using: &generator)
        let product = a.matmul(b)
        XCTAssertEqual(product.shape, [26, 30, 33], "[26, 30, 41] × [26, 41, 33]")
        for batch in [0, 12, 13, 25] {
            let expected = reference(Array(a.data[(batch * 1230)..<((batch + 1) * 1230)]),
                                     Array(b.data[(batch * 1353)..<((batch + 1) * 1353)]), n: 30, k: 41, m: 33)
            assertClose(Array(product.data[(batch * 990)..<((batch + 1) * 990)]), expected,
                        absolute: 1e-4, "matrix \(batch) of a batch of 26 products")
        }
        // The same product twice at once, from two threads (lesson 01's given `runOnAllCores`):
        // each gives what it gives alone.
        var together = [Tensor?](repeating: nil, count: 2)
        together.withUnsafeMutableBufferPointer { together in
            runOnAllCores(2) { part in together[part] = a.matmul(b) }
        }
        for part in 0..<2 {
            XCTAssertEqual(together[part]?.data, product.data, "product \(part), computed beside the other")
        }
    }

    func test_unit_matmulShape_errorNamesShapes() {
        XCTAssertEqual(try matmulShape([2, 3], [3, 4]), [2, 4], "[2, 3] × [3, 4]")
        XCTAssertEqual(try matmulShape([5, 2, 3], [3, 4]), [5, 2, 4], "[5, 2, 3] × [3, 4]")
        XCTAssertEqual(try matmulShape([2, 1, 2, 3], [3, 3, 2]), [2, 3, 2, 2],
                       "[2, 1, 2, 3] × [3, 3, 2]")
        let message = assertShapeError(try matmulShape([2, 3], [4, 5]),
                                       mentions: ["[2, 3]", "[4, 5]"])
        XCTAssertEqual(message, "matmul: [2, 3] × [4, 5] — inner sizes differ (3 vs 4)",
                       "the error should name both shapes and the inner sizes")
        assertShapeError(try matmulShape([3], [3, 4]), mentions: ["[3]", "[3, 4]"],
                         "a vector has only one axis; matmul needs two")
        assertShapeError(try matmulShape([2, 2, 3], [3, 3, 4]),
                         mentions: ["[2, 2, 3]", "[3, 3, 4]"],
                         "batch sizes 2 and 3 cannot broadcast")
    }

    // MARK: - Recording operations for lesson 05

    func test_unit_recording_nilWhenNoInputRequiresGrad() {
        let a = Tensor([[1, 2], [3, 4]])
        let b = Tensor([[5, 6], [7, 8]])
        let results: [(String, Tensor)] = [
            ("a + b", a + b), ("a * 2", a * 2), ("-a", -a), ("a.matmul(b)", a.matmul(b)),
            ("a.reshaped(to: [4])", a.reshaped(to: [4])), ("a.transposed()", a.transposed()),
            ("a.sum()", a.sum()), ("a.mean(alongAxis: 0)", a.mean(alongAxis: 0)),
            ("a.max(alongAxis: 1)", a.max(alongAxis: 1)),
        ]
        for (expression, result) in results {
            XCTAssertNil(result.recording,
                         "\(expression) should not record anything: no input requires a gradient")
            XCTAssertFalse(result.requiresGrad, "\(expression) should not require a gradient")
        }
    }

    func test_unit_recording_savesOperationAndInputs() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        a.requiresGrad = true
        let b = Tensor([[1, 1, 1], [2, 2, 2]])
        let w = Tensor([[1], [0], [2]])
        assertRecorded(a + b, AddOp(), inputs: [a, b], "a + b")
        assertRecorded(a - b, SubtractOp(), inputs: [a, b], "a - b")
        assertRecorded(b * a, MultiplyOp(), inputs: [b, a], "b * a (inputs in argument order)")
        assertRecorded(a / b, DivideOp(), inputs: [a, b], "a / b")
        assertRecorded(-a, NegateOp(), inputs: [a], "-a")
        assertRecorded(a.matmul(w), MatmulOp(), inputs: [a, w], "a.matmul(w)")
        assertRecorded(a.reshaped(to: [3, -1]), ReshapeOp(inputShape: [2, 3]), inputs: [a],
                       "a.reshaped(to: [3, -1])")
        assertRecorded(a.transposed(), TransposeOp(axis0: 0, axis1: 1), inputs: [a],
                       "a.transposed()")
        assertRecorded(a.sum(), SumOp(axis: nil, keepingDimensions: false, inputShape: [2, 3]),
                       inputs: [a], "a.sum()")
        assertRecorded(a.sum(alongAxis: -1, keepingDimensions: true),
                       SumOp(axis: 1, keepingDimensions: true, inputShape: [2, 3]), inputs: [a],
                       "a.sum(alongAxis: -1, keepingDimensions: true) (axis saved as 1, not -1)")
        assertRecorded(a.mean(), MeanOp(axis: nil, keepingDimensions: false, inputShape: [2, 3]),
                       inputs: [a], "a.mean()")
        assertRecorded(a.mean(alongAxis: 0),
                       MeanOp(axis: 0, keepingDimensions: false, inputShape: [2, 3]), inputs: [a],
                       "a.mean(alongAxis: 0)")

        // Only the second input requires a gradient: still recorded.
        let c = Tensor([1, 2, 3])
        assertRecorded(c + a, AddOp(), inputs: [c, a], "c + a, where only a requires a gradient")

        // A number on one side becomes a scalar tensor input.
        let doubled = a * 2
        assertRecorded(doubled, MultiplyOp(), inputs: [a, nil], "a * 2")
        if let number = doubled.recording?.inputs.last {
            XCTAssertEqual(number.shape, [], "in a * 2, the 2 should become a scalar tensor")
            assertClose(number.data, [2], absolute: 0, "in a * 2, the scalar tensor should hold 2")
        }
    }

    func test_unit_recording_transposeSavesNormalizedAxes() {
        let x = Tensor.zeros([2, 3, 4])
        x.requiresGrad = true
        assertRecorded(x.transposed(), TransposeOp(axis0: 1, axis1: 2), inputs: [x],
                       "transposed() of a rank-3 tensor swaps axes 1 and 2")
        assertRecorded(x.transposed(0, -1), TransposeOp(axis0: 0, axis1: 2), inputs: [x],
                       "transposed(0, -1) saves the axes as 0 and 2")
    }

    func test_unit_recording_chainsThroughResults() {
        // loss = ((x * 2) + 1).sum(): each step records, because each result requires a gradient.
        let x = Tensor([1, 2, 3])
        x.requiresGrad = true
        let doubled = x * 2
        let shifted = doubled + 1
        let loss = shifted.sum()
        XCTAssertTrue(doubled.requiresGrad && shifted.requiresGrad && loss.requiresGrad,
                      "a result computed from a tensor that requires a gradient requires one too")
        assertRecorded(shifted, AddOp(), inputs: [doubled, nil], "(x * 2) + 1")
        assertRecorded(loss, SumOp(axis: nil, keepingDimensions: false, inputShape: [3]),
                       inputs: [shifted], "((x * 2) + 1).sum()")
        assertClose(loss.data, [15], "(2 + 1) + (4 + 1) + (6 + 1) = 15")
    }

    func test_unit_recording_offInsideWithoutGradients() {
        let a = Tensor([1, 2])
        a.requiresGrad = true
        let inside = GradientMode.withoutGradients { a * a + a }
        XCTAssertNil(inside.recording, "inside withoutGradients nothing should be recorded")
        XCTAssertFalse(inside.requiresGrad,
                       "inside withoutGradients results should not require a gradient")
        assertClose(inside.data, [2, 6], absolute: 0, "withoutGradients still computes: 1+1, 4+2")
        assertRecorded(a * a, MultiplyOp(), inputs: [a, a], "a * a, after withoutGradients ended")
    }

    // MARK: - Everything together

    func test_module() {
        // A linear layer on a batch of 4 inputs with 3 features each: y = x·W + b, then the mean
        // output over the batch, each output centred on that mean, and the mean squared deviation.
        //
        //   X = np.array([[1, 2, 3], [0, -1, 2], [4, 0, 1], [2, 2, 2]], dtype=np.float32)
        //   W = np.array([[0.5, -1], [0.25, 0], [-0.5, 2]], dtype=np.float32)
        //   b = np.array([0.1, -0.2], dtype=np.float32)
        //   Y = X @ W + b            → [[-0.4, 4.8], [-1.15, 3.8], [1.6, -2.2], [0.6, 1.8]]
        //   Y.mean(0)                → [0.1625, 2.05]
        //   C = Y - Y.mean(0, keepdims=True)
        //                            → [[-0.5625, 2.75], [-1.3125, 1.75], [1.4375, -4.25],
        //                               [0.4375, -0.25]]
        //   (C * C).mean()           → 4.130859375
        //   Y.max(1)                 → [4.8, 3.8, 1.6, 1.8]
        let x = Tensor([[1, 2, 3], [0, -1, 2], [4, 0, 1], [2, 2, 2]])
        let w = Tensor([[0.5, -1], [0.25, 0], [-0.5, 2]])
        let b = Tensor([0.1, -0.2])
        w.requiresGrad = true

        let y = x.matmul(w) + b
        assertClose(y, Tensor([[-0.4, 4.8], [-1.15, 3.8], [1.6, -2.2], [0.6, 1.8]]),
                    "x.matmul(w) + b on a batch of 4")
        assertClose(y.mean(alongAxis: 0), Tensor([0.1625, 2.05]), "the mean output over the batch")
        let centred = y - y.mean(alongAxis: 0, keepingDimensions: true)
        assertClose(centred,
                    Tensor([[-0.5625, 2.75], [-1.3125, 1.75], [1.4375, -4.25], [0.4375, -0.25]]),
                    "y - y.mean(alongAxis: 0, keepingDimensions: true)")
        let loss = (centred * centred).mean()
        assertClose(loss, Tensor(4.130859375), "the mean squared deviation")
        assertClose(y.max(alongAxis: 1), Tensor([4.8, 3.8, 1.6, 1.8]),
                    "the largest output for each input")
        assertClose(y.transposed().reshaped(to: [-1]),
                    Tensor([-0.4, -1.15, 1.6, 0.6, 4.8, 3.8, -2.2, 1.8]),
                    "the outputs column by column: transposed, then flattened")

        // Because w requires a gradient, the loss remembers how it was made.
        XCTAssertTrue(loss.recording?.operation is MeanOp, "the loss should be recorded as a mean")
    }

    // MARK: - Helpers

    /// 0, 1, 2, … laid out in `shape`, like NumPy's `np.arange(n).reshape(shape)`. Built with
    /// `Tensor(shape:data:)` only, so it works as soon as that initializer does.
    private func arange(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map(Float.init))
    }
}
