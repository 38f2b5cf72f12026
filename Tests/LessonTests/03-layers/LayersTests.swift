// Lesson 03: Layers. The tests follow the lesson's files in order: Module.swift (parameters,
// submodules, training mode), Linear.swift (initialization, the shape check, the layer),
// Sequential.swift, Dropout.swift, ActivationLayers.swift, then a small network (`test_module`).
//
// The Module tests use small modules defined at the bottom of this file, built from hand-made
// tensors, so they need nothing but Module.swift. Expected values are worked out by hand in the
// comments or computed once with NumPy (the Python and its output are beside the numbers).
// Statistical tests use fixed seeds: they give the same numbers on every run.

import XCTest
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchTensor

final class LayersTests: LessonTestCase {

    // MARK: - Module.swift: parameters

    func test_unit_asParameter_marksTheSameTensor() {
        let bias = Tensor.zeros([3])
        let returned = bias.asParameter()
        XCTAssertTrue(returned === bias,
                      "asParameter() should return the very tensor it is called on, not a copy")
        XCTAssertTrue(bias.requiresGrad, "asParameter() should set requiresGrad = true")
        XCTAssertTrue(bias.isParameter, "a tensor made with asParameter() is a parameter")
        XCTAssertFalse(Tensor.zeros([3]).isParameter,
                       "a tensor that does not require a gradient is not a parameter")
        let doubled = bias * 2
        XCTAssertTrue(doubled.requiresGrad, "(lesson 01) bias * 2 requires a gradient")
        XCTAssertFalse(doubled.isParameter,
                       "bias * 2 was computed by an operation (its recording is not nil): "
                       + "it requires a gradient, but it is not a parameter")
    }

    func test_unit_parameters_ownTensorsInDeclarationOrder() {
        let leaf = Leaf(hasBias: true)
        let found = leaf.parameters()
        XCTAssertEqual(found.count, 2,
                       "Leaf stores weight, a constant tensor, a string, a computed tensor and "
                       + "bias: only weight and bias are parameters")
        assertSameTensors(found, [leaf.weight, leaf.bias!],
                          "Leaf's parameters, in the order the properties are declared")

        let noBias = Leaf(hasBias: false)
        assertSameTensors(noBias.parameters(), [noBias.weight],
                          "a stored Tensor? that is nil adds nothing")

        let stack = Stack()
        assertSameTensors(stack.parameters(), stack.scales,
                          "every parameter in a stored [Tensor] array, in array order")
    }

    func test_unit_children_findsModulesInProperties() {
        let pair = Pair()
        let children = pair.children()
        let expected: [any Module] = [pair.first, pair.present!, pair.rest[0], pair.rest[1]]
        XCTAssertEqual(children.count, expected.count,
                       "Pair stores first (a Leaf), a tensor, present (a Leaf?), absent (a nil "
                       + "Leaf?) and rest ([Leaf], 2 of them): 4 children")
        for (index, (child, module)) in zip(children, expected).enumerated() {
            XCTAssertTrue(child === module,
                          "child \(index) should be the module stored in the property, "
                          + "in declaration order (arrays in order)")
        }
        XCTAssertTrue(Leaf(hasBias: true).children().isEmpty,
                      "a module whose properties hold no module has no children")
    }

    func test_unit_parameters_ownFirstThenEachChild() {
        let pair = Pair()
        // Pair's own parameter `gain` comes first although it is declared after `first`; then
        // each child's parameters, child by child.
        let expected = [pair.gain, pair.first.weight, pair.first.bias!,
                        pair.present!.weight, pair.present!.bias!,
                        pair.rest[0].weight, pair.rest[0].bias!, pair.rest[1].weight]
        assertSameTensors(pair.parameters(), expected,
                          "own parameters first, then first's, present's and rest's")
    }

    func test_unit_parameters_sharedTensorListedOnce() {
        let shared = Leaf(hasBias: true)
        let other = Leaf(hasBias: false)
        let twice = Chain([shared, other, shared])
        assertSameTensors(twice.parameters(), [shared.weight, shared.bias!, other.weight],
                          "the same layer used twice: its parameters are listed once, where they "
                          + "first appear (an optimizer must not update them twice)")
    }

    func test_unit_trainEval_reachEveryDepth() {
        let outer = Chain([Pair(), Leaf(hasBias: true)])
        let inner = outer.layers[0] as! Pair
        let deepest = [inner.first, inner.present!, inner.rest[0], inner.rest[1]]

        outer.eval()
        XCTAssertFalse(outer.isTraining,
                       "eval() should set isTraining = false on the module itself")
        XCTAssertFalse(inner.isTraining, "eval() should reach the children")
        XCTAssertFalse(outer.layers[1].isTraining, "eval() should reach every child")
        for (index, leaf) in deepest.enumerated() {
            XCTAssertFalse(leaf.isTraining,
                           "eval() should reach the children's children (leaf \(index))")
        }

        outer.train()
        XCTAssertTrue(outer.isTraining && inner.isTraining && outer.layers[1].isTraining,
                      "train() should set isTraining = true on the module and its children")
        XCTAssertTrue(deepest.allSatisfy { $0.isTraining },
                      "train() should reach the children's children")
    }

    func test_unit_parameterCount_sumsCounts() {
        // Leaf: weight [2, 3] and bias [3] → 6 + 3 = 9; without bias 6.
        XCTAssertEqual(Leaf(hasBias: true).parameterCount, 9, "weight [2, 3] + bias [3]: 6 + 3")
        XCTAssertEqual(Leaf(hasBias: false).parameterCount, 6, "weight [2, 3] only")
        // Pair: gain [1] + first 9 + present 9 + rest 9 + 6 = 34.
        XCTAssertEqual(Pair().parameterCount, 34, "gain 1 + 9 + 9 + 9 + 6")
    }

    // MARK: - Linear.swift: initialization

    func test_unit_initialization_xavierBoundsAndSpread() {
        var generator = SeededGenerator(seed: 3)
        let w = Initialization.xavier.weights(inputSize: 784, outputSize: 128, using: &generator)
        XCTAssertEqual(w.shape, [784, 128], "the weights of a 784 → 128 layer are [784, 128]")
        // a = √(6 / (784 + 128)) = √(6 / 912) = 0.08111;
        // the standard deviation of U(−a, a) is a / √3 = 0.04683.
        let limit = Float((6.0 / 912).squareRoot())
        let largest = w.data.map(abs).max() ?? 0
        XCTAssertLessThanOrEqual(largest, limit, "Xavier weights must lie in [−a, a], a = √(6/912)")
        XCTAssertGreaterThan(largest, 0.99 * limit,
                             "100,352 uniform draws should come close to the bound a = \(limit); "
                             + "the largest |w| is only \(largest)")
        let (mean, spread) = meanAndStandardDeviation(w.data)
        XCTAssertLessThan(abs(mean), 0.001, "Xavier weights should average about 0")
        assertClose(spread, limit / Float(3).squareRoot(), relative: 0.05,
                    "the standard deviation of U(−a, a) is a / √3")
    }

    func test_unit_initialization_heStandardDeviation() {
        var generator = SeededGenerator(seed: 4)
        let w = Initialization.he.weights(inputSize: 784, outputSize: 128, using: &generator)
        XCTAssertEqual(w.shape, [784, 128], "the weights of a 784 → 128 layer are [784, 128]")
        let (mean, spread) = meanAndStandardDeviation(w.data)
        XCTAssertLessThan(abs(mean), 0.001, "He weights should average about 0")
        // √(2 / 784) = 0.050508
        assertClose(spread, Float((2.0 / 784).squareRoot()), relative: 0.05,
                    "He weights have standard deviation √(2 / inputSize) = √(2 / 784)")
        XCTAssertTrue(w.data.contains { abs($0) > 3 * spread },
                      "He weights are normal (a few lie beyond 3 standard deviations), not uniform")
    }

    func test_unit_initialization_sameSeedSameWeights() {
        // The weights must be exactly one Tensor.uniform / Tensor.normal draw, in row-major order.
        var generator = SeededGenerator(seed: 7)
        let xavier = Initialization.xavier.weights(inputSize: 4, outputSize: 3, using: &generator)
        var reference = SeededGenerator(seed: 7)
        let limit = Float((6.0 / 7).squareRoot())
        assertClose(xavier, Tensor.uniform([4, 3], in: -limit...limit, using: &reference),
                    "Xavier for 4 → 3 is Tensor.uniform([4, 3], in: −a...a) with a = √(6/7), "
                    + "from the same generator")

        var heGenerator = SeededGenerator(seed: 7)
        let he = Initialization.he.weights(inputSize: 4, outputSize: 3, using: &heGenerator)
        var heReference = SeededGenerator(seed: 7)
        let heSpread = Float((2.0 / 4).squareRoot())
        assertClose(he, Tensor.normal([4, 3], mean: 0, standardDeviation: heSpread,
                                      using: &heReference),
                    "He for 4 → 3 is Tensor.normal([4, 3], mean: 0, standardDeviation: √(2/4))")

        var other = SeededGenerator(seed: 8)
        let different = Initialization.xavier.weights(inputSize: 4, outputSize: 3, using: &other)
        XCTAssertNotEqual(different.data, xavier.data, "another seed should give other weights")
    }

    // MARK: - Linear.swift: the layer

    func test_unit_linearShape_errorNamesShapes() {
        XCTAssertEqual(try linearShape([64, 784], inputSize: 784, outputSize: 128), [64, 128],
                       "a batch of 64 inputs of 784 numbers gives 64 outputs of 128")
        XCTAssertEqual(try linearShape([2, 5, 4], inputSize: 4, outputSize: 3), [2, 5, 3],
                       "axes before the last are kept: [2, 5, 4] → [2, 5, 3]")
        assertShapeError(try linearShape([2, 5], inputSize: 4, outputSize: 3),
                         mentions: ["[2, 5]", "4"],
                         "an input ending in 5 cannot go into a layer that takes 4 numbers")
        assertShapeError(try linearShape([4], inputSize: 4, outputSize: 3), mentions: ["[4]"],
                         "a single vector has no batch axis")
    }

    func test_unit_linear_parametersAndStartingValues() {
        var generator = SeededGenerator(seed: 11)
        let layer = Linear(inputSize: 4, outputSize: 3, using: &generator)
        XCTAssertEqual(layer.inputSize, 4, "Linear should store inputSize")
        XCTAssertEqual(layer.outputSize, 3, "Linear should store outputSize")
        XCTAssertEqual(layer.weight.shape, [4, 3], "the weight is [inputSize, outputSize]")
        var reference = SeededGenerator(seed: 11)
        assertClose(layer.weight,
                    Initialization.xavier.weights(inputSize: 4, outputSize: 3, using: &reference),
                    "by default the weights are Xavier weights drawn from the generator")
        guard let bias = layer.bias else {
            XCTFail("a Linear layer has a bias unless made with bias: false")
            return
        }
        assertClose(bias, Tensor.zeros([3]), absolute: 0, "the bias starts at zero")
        assertSameTensors(layer.parameters(), [layer.weight, bias],
                          "a Linear layer's parameters are [weight, bias]")
        XCTAssertTrue(layer.weight.requiresGrad && bias.requiresGrad,
                      "the weight and the bias are parameters: they require a gradient")

        var heGenerator = SeededGenerator(seed: 11)
        let he = Linear(inputSize: 4, outputSize: 3, bias: false, initialization: .he,
                        using: &heGenerator)
        var heReference = SeededGenerator(seed: 11)
        assertClose(he.weight, Initialization.he.weights(inputSize: 4, outputSize: 3,
                                                         using: &heReference),
                    "initialization: .he should draw He weights")
        XCTAssertNil(he.bias, "bias: false makes a layer without a bias")
        assertSameTensors(he.parameters(), [he.weight],
                          "without a bias, the parameters are [weight]")
    }

    func test_unit_linear_forwardByHand() {
        var generator = SeededGenerator(seed: 0)
        let layer = Linear(inputSize: 3, outputSize: 2, using: &generator)
        layer.weight.data = [1, 2,
                             3, 4,
                             5, 6]
        layer.bias!.data = [10, 20]
        // [1, 0, 1]  · W = [1 + 5, 2 + 6]   = [6, 8];   + b → [16, 28]
        // [0, 1, -1] · W = [3 − 5, 4 − 6]   = [-2, -2]; + b → [8, 18]
        let x = Tensor([[1, 0, 1], [0, 1, -1]])
        let y = layer(x)
        assertClose(y, Tensor([[16, 28], [8, 18]]), absolute: 0,
                    "x · W + b, with the bias added to every row of the batch")

        // The same two inputs as a [2, 1, 3] batch of sequences: every position goes through.
        assertClose(layer(x.reshaped(to: [2, 1, 3])), Tensor([[[16, 28]], [[8, 18]]]),
                    absolute: 0, "a [2, 1, 3] input gives a [2, 1, 2] output")

        // Linear records nothing new: y is a recorded `+` of a recorded matmul and the bias.
        guard let add = y.recording, let product = add.inputs.first?.recording else {
            XCTFail("layer(x) should be recorded as matmul then +, because the weight requires "
                    + "a gradient: build it from x.matmul(weight) + bias")
            return
        }
        XCTAssertTrue(add.operation is AddOp, "the last operation of layer(x) should be +")
        XCTAssertTrue(add.inputs.count == 2 && add.inputs[1] === layer.bias,
                      "the bias should be the second input of the +")
        XCTAssertTrue(product.operation is MatmulOp && product.inputs.count == 2
                      && product.inputs[0] === x && product.inputs[1] === layer.weight,
                      "the first input of the + should be x.matmul(weight)")

        var noBiasGenerator = SeededGenerator(seed: 0)
        let noBias = Linear(inputSize: 3, outputSize: 2, bias: false, using: &noBiasGenerator)
        noBias.weight.data = layer.weight.data
        assertClose(noBias(x), Tensor([[6, 8], [-2, -2]]), absolute: 0,
                    "without a bias the output is x · W")
    }

    // MARK: - Sequential.swift

    func test_unit_sequential_appliesInOrder() {
        let x = Tensor([1, -2, 3])
        // (x + 1) · 2 = [4, -2, 8], but x · 2 + 1 = [3, -3, 7]: the order shows.
        assertClose(Sequential(AddConstant(1), MultiplyBy(2))(x), Tensor([4, -2, 8]), absolute: 0,
                    "Sequential(add 1, times 2) should add first, then multiply")
        assertClose(Sequential(MultiplyBy(2), AddConstant(1))(x), Tensor([3, -3, 7]), absolute: 0,
                    "Sequential(times 2, add 1) should multiply first, then add")
        assertClose(Sequential([AddConstant(1), AddConstant(10), MultiplyBy(-1)])(x),
                    Tensor([-12, -9, -14]), absolute: 0,
                    "Sequential([…]) from an array: −((x + 1) + 10)")
        assertClose(Sequential()(x), x, absolute: 0, "an empty Sequential returns its input")
    }

    func test_unit_sequential_parametersOfNestedModules() {
        var generator = SeededGenerator(seed: 5)
        let first = Linear(inputSize: 2, outputSize: 3, using: &generator)
        let second = Linear(inputSize: 3, outputSize: 1, using: &generator)
        let model = Sequential(first, MultiplyBy(2), second)
        assertSameTensors(model.parameters(),
                          [first.weight, first.bias!, second.weight, second.bias!],
                          "a Sequential's parameters are its layers', in layer order")
        XCTAssertEqual(model.parameterCount, 2 * 3 + 3 + 3 * 1 + 1, "6 + 3 + 3 + 1 numbers")

        // A custom model holding a Linear, its own parameter, and a Sequential.
        let tower = Tower(using: &generator)
        let head = tower.head.layers.compactMap { $0 as? Linear }
        assertSameTensors(tower.parameters(),
                          [tower.gain, tower.encoder.weight, tower.encoder.bias!,
                           head[0].weight, head[0].bias!, head[1].weight],
                          "Tower: its own gain, then encoder's, then the Sequential's layers'")
        tower.eval()
        XCTAssertFalse(tower.head.isTraining || head.contains { $0.isTraining },
                       "eval() should reach the layers inside the Sequential inside the model")
        let y = tower(Tensor([[1, 2]]))
        XCTAssertEqual(y.shape, [1, 1], "Tower maps [1, 2] → [1, 4] → [1, 3] → [1, 1]")
    }

    // MARK: - Dropout.swift

    func test_unit_dropout_evaluationPassesInputThrough() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        let dropout = Dropout(probability: 0.5, seed: 1)
        dropout.eval()
        assertClose(dropout(x), x, absolute: 0, "in evaluation mode Dropout changes nothing")

        let keepAll = Dropout(probability: 0, seed: 1)
        XCTAssertTrue(keepAll.isTraining, "a new layer is in training mode")
        assertClose(keepAll(x), x, absolute: 0, "with probability 0 nothing is dropped")
        XCTAssertTrue(dropout.parameters().isEmpty, "Dropout has no parameters")
    }

    func test_unit_dropout_dropsAboutPAndScalesSurvivors() {
        let x = Tensor.ones([100, 100])
        let dropout = Dropout(probability: 0.3, seed: 2)
        let y = dropout(x)
        XCTAssertEqual(y.shape, [100, 100], "Dropout keeps the shape")
        let zeros = y.data.filter { $0 == 0 }.count
        XCTAssertEqual(Double(zeros) / 10_000, 0.3, accuracy: 0.02,
                       "with p = 0.3, about 3,000 of 10,000 elements should be 0; got \(zeros)")
        // Survivors are scaled by 1 / (1 − 0.3) = 1.428571: the mean stays about 1.
        let survivors = y.data.filter { $0 != 0 }
        assertClose(survivors, [Float](repeating: 1 / (1 - 0.3), count: survivors.count),
                    "every kept element should be x / (1 − p) = 1 / 0.7")
        XCTAssertEqual(Double(y.data.reduce(0, +)) / 10_000, 1, accuracy: 0.03,
                       "inverted dropout keeps the mean: about 1, as before")
    }

    func test_unit_dropout_maskFollowsTheSeed() {
        // One generator.nextFloat() per element, in row-major order: dropped when below p.
        let x = Tensor(shape: [4, 5], data: (1...20).map { Float($0) })
        let p: Float = 0.5
        var reference = SeededGenerator(seed: 9)
        let expected = x.data.map { value -> Float in
            reference.nextFloat() < p ? 0 : value / (1 - p)
        }
        let dropout = Dropout(probability: p, seed: 9)
        let first = dropout(x)
        assertClose(first.data, expected,
                    "element i is dropped when the i-th generator.nextFloat() is below p, "
                    + "and doubled (× 1 / (1 − 0.5)) otherwise")

        let again = Dropout(probability: p, seed: 9)(x)
        assertClose(again.data, first.data, absolute: 0, "the same seed drops the same elements")
        let second = dropout(x)
        XCTAssertNotEqual(second.data, first.data,
                          "each call draws new random numbers: a second call drops others")
    }

    func test_unit_dropout_recordsItsMask() {
        let x = Tensor([2, 4, 6, 8, 10, 12])
        x.requiresGrad = true
        let dropout = Dropout(probability: 0.5, seed: 3)
        let y = dropout(x)
        guard let recording = y.recording, let operation = recording.operation as? DropoutOp else {
            XCTFail("in training, Dropout's result should record DropoutOp(mask:), "
                    + "because its input requires a gradient")
            return
        }
        XCTAssertTrue(recording.inputs.count == 1 && recording.inputs[0] === x,
                      "DropoutOp's inputs should be [input], the very tensor passed in")
        let expectedMask = y.data.enumerated().map { index, value in value / x.data[index] }
        assertClose(operation.mask, expectedMask,
                    "the mask holds, per element, 0 (dropped) or 1 / (1 − p) = 2 (kept)")
        XCTAssertTrue(operation.mask.allSatisfy { $0 == 0 || $0 == 2 },
                      "with p = 0.5 every mask entry is 0 or 2, got \(operation.mask)")

        dropout.eval()
        XCTAssertTrue(dropout(x) === x, "in evaluation mode Dropout returns its input itself")
    }

    // MARK: - ActivationLayers.swift

    func test_unit_activationLayers_matchLesson02() {
        let x = Tensor([[-2, -0.5, 0, 1.5], [3, -1, 0.25, 2]])
        assertClose(ReLU()(x), relu(x), "ReLU()(x) should be relu(x)")
        assertClose(Sigmoid()(x), sigmoid(x), "Sigmoid()(x) should be sigmoid(x)")
        assertClose(Tanh()(x), tanh(x), "Tanh()(x) should be tanh(x)")
        assertClose(GELU()(x), gelu(x), "GELU()(x) should be gelu(x)")
        assertClose(Softmax()(x), softmax(x, alongAxis: -1), "Softmax() works along the last axis")
        assertClose(Softmax(alongAxis: 0)(x), softmax(x, alongAxis: 0),
                    "Softmax(alongAxis: 0) works along axis 0")
        let layers: [any Module] = [ReLU(), Sigmoid(), Tanh(), GELU(), Softmax()]
        XCTAssertTrue(layers.allSatisfy { $0.parameters().isEmpty },
                      "activation layers have no parameters")
    }

    // MARK: - Everything together

    func test_module() {
        // A two-layer perceptron, 4 → 8 → 3, with dropout on the hidden layer.
        var generator = SeededGenerator(seed: 42)
        let model = Sequential(
            Linear(inputSize: 4, outputSize: 8, using: &generator),
            ReLU(),
            Dropout(probability: 0.5, seed: 42),
            Linear(inputSize: 8, outputSize: 3, using: &generator)
        )
        let parameters = model.parameters()
        XCTAssertEqual(parameters.map(\.shape), [[4, 8], [8], [8, 3], [3]],
                       "the parameters: weight and bias of the first layer, then of the second")
        XCTAssertEqual(model.parameterCount, 67, "4·8 + 8 + 8·3 + 3 = 67 learned numbers")
        guard parameters.count == 4 else { return }  // the rest needs the four tensors

        // Set the weights by hand, through parameters(), as an optimizer would reach them:
        //   W1 = ((np.arange(32) % 7 - 3) / 4).astype(np.float32).reshape(4, 8)
        //   b1 = ((np.arange(8) - 4) / 8).astype(np.float32)
        //   W2 = ((np.arange(24) % 5 - 2) / 2).astype(np.float32).reshape(8, 3)
        //   b2 = np.array([0.5, -0.5, 0], dtype=np.float32)
        parameters[0].data = (0..<32).map { Float($0 % 7 - 3) / 4 }
        parameters[1].data = (0..<8).map { Float($0 - 4) / 8 }
        parameters[2].data = (0..<24).map { Float($0 % 5 - 2) / 2 }
        parameters[3].data = [0.5, -0.5, 0]
        let x = Tensor([[1, 2, 3, 4], [-1, 0, 1, 2], [0.5, -0.5, 2, -2]])
        //   X = np.array([[1, 2, 3, 4], [-1, 0, 1, 2], [0.5, -0.5, 2, -2]], dtype=np.float32)
        //   (np.maximum(X @ W1 + b1, 0) @ W2 + b2).tolist()
        //   → [[4.25, -5.125, -0.8125], [1.625, -1.75, -0.5], [0.75, 1.4375, 2.375]]
        let expected = Tensor([[4.25, -5.125, -0.8125],
                               [1.625, -1.75, -0.5],
                               [0.75, 1.4375, 2.375]])

        model.eval()
        XCTAssertTrue(model.layers.allSatisfy { !$0.isTraining },
                      "model.eval() should put every layer in evaluation mode")
        let evaluated = model(x)
        assertClose(evaluated, expected, "in evaluation mode: relu(x · W1 + b1) · W2 + b2")
        assertClose(model(x), evaluated, absolute: 0,
                    "in evaluation mode the same input always gives the same output")
        XCTAssertTrue(evaluated.requiresGrad,
                      "the output depends on parameters, so it is recorded for autograd")

        model.train()
        XCTAssertTrue(model.layers.allSatisfy { $0.isTraining },
                      "model.train() should put every layer back in training mode")
        let trained = model(x)
        XCTAssertEqual(trained.shape, [3, 3], "the output is [batch, 3] in training mode too")
        XCTAssertNotEqual(trained.data, evaluated.data,
                          "in training mode dropout zeroes hidden units, so the output changes")

        model.eval()
        assertClose(model(x), expected, "back in evaluation mode, dropout is off again")
    }

    // MARK: - Helpers

    /// Checks that `actual` holds exactly the tensors in `expected` — the same objects, in order.
    private func assertSameTensors(
        _ actual: [Tensor], _ expected: [Tensor], _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard actual.count == expected.count else {
            XCTFail("\(message): \(expected.count) tensors expected, got \(actual.count) "
                    + "(shapes \(actual.map(\.shape)))", file: file, line: line)
            return
        }
        for (index, (found, wanted)) in zip(actual, expected).enumerated() where found !== wanted {
            XCTFail("\(message): tensor \(index) should be the \(wanted.shape) tensor stored in "
                    + "the module, but it is another tensor of shape \(found.shape)",
                    file: file, line: line)
        }
    }

    /// The mean and the (population) standard deviation of `values`, summed in `Double`.
    private func meanAndStandardDeviation(_ values: [Float]) -> (mean: Float, deviation: Float) {
        let count = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / count
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        return (Float(mean), Float(variance.squareRoot()))
    }
}

// MARK: - Small modules for the tests

/// A parameter [2, 3] and an optional one [3], with other properties between them that are not
/// parameters. Made from hand-made tensors, so it needs nothing but Module.swift.
private final class Leaf: Module {
    var isTraining = true
    let weight: Tensor
    let constant = Tensor([1, 2, 3])        // no gradient: not a parameter
    let name = "leaf"                       // not a tensor at all
    let doubled: Tensor                     // computed from the weight: not a parameter
    let bias: Tensor?

    init(hasBias: Bool) {
        weight = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        weight.requiresGrad = true
        doubled = weight * 2
        if hasBias {
            let bias = Tensor.zeros([3])
            bias.requiresGrad = true
            self.bias = bias
        } else {
            bias = nil
        }
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        input.matmul(weight) + (bias ?? Tensor(0))
    }
}

/// A module whose parameters sit in an array.
private final class Stack: Module {
    var isTraining = true
    let scales: [Tensor] = (1...3).map { index in
        let scale = Tensor([Float(index)])
        scale.requiresGrad = true
        return scale
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        scales.reduce(input) { $0 * $1 }
    }
}

/// Children in every kind of property: a module, an optional one (present and absent), an array.
/// Its own parameter `gain` is declared after the first child.
private final class Pair: Module {
    var isTraining = true
    let first = Leaf(hasBias: true)
    let gain: Tensor = {
        let gain = Tensor([2])
        gain.requiresGrad = true
        return gain
    }()
    let present: Leaf? = Leaf(hasBias: true)
    let absent: Leaf? = nil
    let rest = [Leaf(hasBias: true), Leaf(hasBias: false)]

    func callAsFunction(_ input: Tensor) -> Tensor {
        first(input) * gain
    }
}

/// A chain of modules in an `[any Module]` array, written without `Sequential`.
private final class Chain: Module {
    var isTraining = true
    let layers: [any Module]

    init(_ layers: [any Module]) {
        self.layers = layers
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1($0) }
    }
}

/// A custom model: a Linear, its own parameter, and a Sequential holding two more Linears.
private final class Tower: Module {
    var isTraining = true
    let encoder: Linear
    let gain: Tensor
    let head: Sequential

    init(using generator: inout SeededGenerator) {
        encoder = Linear(inputSize: 2, outputSize: 4, using: &generator)
        gain = Tensor([0.5]).asParameter()
        head = Sequential(Linear(inputSize: 4, outputSize: 3, using: &generator),
                          Linear(inputSize: 3, outputSize: 1, bias: false, using: &generator))
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        head(encoder(input)) * gain
    }
}

/// `x + value`, element-wise; no parameters.
private final class AddConstant: Module {
    var isTraining = true
    let value: Float

    init(_ value: Float) {
        self.value = value
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        input + value
    }
}

/// `x · value`, element-wise; no parameters.
private final class MultiplyBy: Module {
    var isTraining = true
    let value: Float

    init(_ value: Float) {
        self.value = value
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        input * value
    }
}
