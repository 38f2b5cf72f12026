// Lesson 13: Transformers. The tests follow the lesson's files in order: LayerNorm.swift (PyTorch's
// layer_norm forward and backward, a large mean, the module), TransformerBlock.swift (the GELU
// feed-forward network and the pre-norm block against PyTorch, finite differences through the
// block, causality), GPT.swift (the parameter count, tied weights, the sampling rules, generation)
// and last a tiny GPT trained with Adam until it continues a pattern (`test_module`).
//
// Every gradient is checked against finite differences by `gradCheck` (Support/GradCheck.swift:
// relative 1e-2, absolute 1e-3). Key values are compared with PyTorch 2.15.0 (CPU, float32); the
// Python is in the comment beside the numbers, after
//
//   import math, itertools, torch, torch.nn as nn, torch.nn.functional as F
//   def grid(shape, f):   # f(n) at flat row-major index n, as `grid` at the bottom of this file
//       t = torch.zeros(shape)
//       for idx in itertools.product(*[range(s) for s in shape]):
//           flat = 0
//           for s, i in zip(shape, idx): flat = flat * s + i
//           t[idx] = f(flat)
//       return t
//
// Those comparisons use relative 1e-4, absolute 1e-5 (the same arithmetic in another order).

import Foundation  // sin and cos, for the inputs rebuilt from the Python
import XCTest
import TinyTorchTensor
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchLosses
import TinyTorchAutograd
import TinyTorchOptimizers
import TinyTorchEmbeddings
import TinyTorchAttention
import TinyTorchTransformers

final class TransformersTests: LessonTestCase {

    // MARK: - LayerNorm.swift

    func test_unit_layerNorm_matchesPyTorch() {
        // The doc comment's example: F.layer_norm(torch.tensor([[1., 2, 3]]), [3])
        assertClose(layerNorm(Tensor([[1, 2, 3]]), weight: Tensor([1, 1, 1]),
                              bias: Tensor([0, 0, 0])),
                    Tensor([[-1.224736, 0, 1.224736]]), relative: 1e-5,
                    "mean 2, variance 2/3 (divided by D, not D − 1): (x − 2) / √(2/3 + 1e-5)")
        // x = grid([2, 3, 4], lambda n: 2 * math.sin(n * 0.7) + 0.5)
        // w = grid([4], lambda n: 1 + 0.1 * n);  b = grid([4], lambda n: 0.05 * n - 0.1)
        // y = F.layer_norm(x, [4], w, b, 1e-5)
        let (x, w, b) = layerNormInputs()
        let y = layerNorm(x, weight: w, bias: b)
        assertClose(y, Tensor(shape: [2, 3, 4], data: [
            -1.739966, 0.01078195, 1.143827, 0.8709769, 1.43998, 0.1962986, -0.9306619,
            -1.234838, -1.53205, -0.4768203, 0.771929, 1.579833, 1.223581, 0.5125738, -0.6339944,
            -1.648687, -1.298352, -0.7383709, 0.4893721, 1.891234, 0.9226254, 0.7792876,
            -0.3032653, -1.930943]), relative: 1e-4, absolute: 1e-5,
                    "each row of 4 normalized on its own, then · weight + bias")
        // A large mean: F.layer_norm(torch.tensor([[10000., 10001, 10002, 10003]]), [4]).
        // Σx²/D − μ² in Float would cancel to nonsense; subtracting the mean first does not.
        assertClose(layerNorm(Tensor([[10000, 10001, 10002, 10003]]), weight: Tensor.ones([4]),
                              bias: Tensor.zeros([4])),
                    Tensor([[-1.341635, -0.4472118, 0.4472118, 1.341635]]), relative: 1e-4,
                    "numbers near 10,000 with a spread of 1: compute the mean, then the squared "
                    + "distances from it (in Double)")
        assertRecorded(layerNorm(x.asParameter(), weight: w, bias: b, epsilon: 1e-3),
                       LayerNormOp(epsilon: 1e-3), inputs: [nil, w, b],
                       "layerNorm(x, weight:, bias:, epsilon: 1e-3)",
                       hint: "end with Tensor(shape:data:operation: LayerNormOp(epsilon: epsilon), "
                           + "inputs: [x, weight, bias])")
    }

    func test_unit_layerNorm_gradientMatchesPyTorch() {
        // y.backward(grid([2, 3, 4], lambda n: math.cos(n * 1.1)))   (y, x, w, b as above)
        let (x, w, b) = layerNormInputs()
        for tensor in [x, w, b] { tensor.requiresGrad = true }
        let y = layerNorm(x, weight: w, bias: b)
        y.backward(gradient: grid([2, 3, 4]) { cos(Double($0) * 1.1) })
        assertClose(x.grad ?? Tensor.zeros([1]), Tensor(shape: [2, 3, 4], data: [
            -0.1930022, 0.8742573, 0.2031028, -0.8843583, -0.2196904, 0.3874938, 0.4027429,
            -0.5705463, 0.3115075, -0.4350045, -0.2473938, 0.3708908, 0.1862884, -0.1331367,
            -0.318516, 0.2653643, -0.4330567, 0.3634204, 0.3868679, -0.3172315, -0.2087749,
            0.04426718, 0.3389043, -0.1743966]), relative: 1e-4, absolute: 1e-5,
                    "x.grad: r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)), ĝ = g · weight")
        assertClose(w.grad ?? Tensor.zeros([1]),
                    Tensor([-1.286032, -0.508958, -0.7050484, -0.9623972]),
                    relative: 1e-4, absolute: 1e-5, "w.grad: Σ over the 6 rows of g · x̂")
        assertClose(b.grad ?? Tensor.zeros([1]),
                    Tensor([0.003240943, 0.6541077, 0.5901604, -0.1187187]),
                    relative: 1e-4, absolute: 1e-5, "b.grad: Σ over the 6 rows of g")
        // Finite differences, with a weighted sum so every output matters differently.
        let weights = grid([2, 3, 4]) { sin(Double($0) * 0.9) }
        let (x2, w2, b2) = layerNormInputs()
        gradCheck({ inputs in
            layerNorm(inputs[0], weight: inputs[1], bias: inputs[2]) * weights
        }, inputs: [x2, w2, b2], "layerNorm(x, weight:, bias:) · weights")
    }

    func test_unit_layerNormModule_normalizesEachPosition() {
        let norm = LayerNorm(dimension: 5)
        XCTAssertEqual(norm.weight.data, [1, 1, 1, 1, 1], "the weight starts at 1")
        XCTAssertEqual(norm.bias.data, [0, 0, 0, 0, 0], "the bias starts at 0")
        XCTAssertEqual(norm.parameterCount, 10, "weight and bias, [5] each")
        XCTAssertTrue(norm.parameters()[0] === norm.weight && norm.parameters()[1] === norm.bias,
                      "parameters(): weight, then bias")
        let x = grid([2, 3, 5]) { 3 * sin(Double($0) * 1.3) + Double($0) }
        let y = norm(x)
        XCTAssertEqual(y.shape, [2, 3, 5], "same shape in and out")
        for row in 0..<6 {
            let values = y.data[(row * 5)..<(row * 5 + 5)].map(Double.init)
            let mean = values.reduce(0, +) / 5
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5
            XCTAssertEqual(mean, 0, accuracy: 1e-5, "row \(row) has mean 0 after LayerNorm")
            XCTAssertEqual(variance, 1, accuracy: 1e-3, "row \(row) has variance 1")
        }
        // Unlike batch normalization, one position alone is normalized the same way: a row's
        // result does not depend on the other rows, in training or not.
        let alone = norm(Tensor(shape: [1, 5], data: Array(x.data[5..<10])))
        assertClose(alone, Tensor(shape: [1, 5], data: Array(y.data[5..<10])),
                    "a row normalized alone equals the same row inside a batch")
    }

    // MARK: - TransformerBlock.swift

    func test_unit_feedForward_matchesPyTorch() {
        // x  = grid([2, 3, 4], lambda n: math.sin(n * 0.5))
        // W1 = grid([4, 16], lambda n: 0.3 * math.cos(n * 0.37));  b1 = grid([16], lambda n: 0.02 * n - 0.1)
        // W2 = grid([16, 4], lambda n: 0.25 * math.sin(n * 0.23 + 0.5)); b2 = grid([4], lambda n: 0.1 - 0.05 * n)
        // y = F.gelu(x @ W1 + b1, approximate='tanh') @ W2 + b2
        // y.backward(grid([2, 3, 4], lambda n: math.cos(n * 0.9)))
        var generator = SeededGenerator(seed: 3)
        let mlp = FeedForward(dimension: 4, using: &generator)
        XCTAssertEqual(mlp.expand.weight.shape, [4, 16], "expand: D → 4D")
        XCTAssertEqual(mlp.contract.weight.shape, [16, 4], "contract: 4D → D")
        XCTAssertEqual(mlp.parameterCount, 4 * 16 + 16 + 16 * 4 + 4, "two Linear layers")
        mlp.expand.weight.data = grid([4, 16]) { 0.3 * cos(Double($0) * 0.37) }.data
        mlp.expand.bias!.data = grid([16]) { 0.02 * Double($0) - 0.1 }.data
        mlp.contract.weight.data = grid([16, 4]) { 0.25 * sin(Double($0) * 0.23 + 0.5) }.data
        mlp.contract.bias!.data = grid([4]) { 0.1 - 0.05 * Double($0) }.data
        let x = grid([2, 3, 4]) { sin(Double($0) * 0.5) }
        x.requiresGrad = true
        let y = mlp(x)
        assertClose(y, Tensor(shape: [2, 3, 4], data: [
            0.2077872, 0.1303091, 0.04860134, -0.03566608, 0.2920595, 0.2517806, 0.2008743,
            0.1393886, 0.004609846, -0.07064998, -0.1395555, -0.2011111, 0.1359463, 0.07094739,
            0.004845249, -0.06151207, 0.3776629, 0.3228841, 0.2537331, 0.1712187, -0.0110272,
            -0.08236864, -0.1467386, -0.2033802]), relative: 1e-4, absolute: 1e-5,
                    "contract(gelu(expand(x))), GELU in its tanh form (lesson 02)")
        y.backward(gradient: grid([2, 3, 4]) { cos(Double($0) * 0.9) })
        assertClose(x.grad ?? Tensor.zeros([1]), Tensor(shape: [2, 3, 4], data: [
            0.1294836, 0.1156959, 0.08681463, 0.04660747, 0.06460661, 0.02034193, -0.02657655,
            -0.07002787, -0.04952072, -0.08069126, -0.1013348, -0.1087582, 0.1780034, 0.09744339,
            0.004170895, -0.08964572, -0.4125869, -0.3044925, -0.1566739, 0.01158429,
            -0.01654562, 0.03457999, 0.08119435, 0.1172161]), relative: 1e-4, absolute: 1e-5,
                    "x.grad through both layers and GELU's gradient (lesson 05)")
        assertClose(Tensor(shape: [16], data: Array(mlp.expand.weight.grad?.data.prefix(16) ?? [])), Tensor([
            -0.2834569, -0.5124139, -0.3041563, 0.1300935, 0.3736404, 0.2967091, 0.1170189,
            -0.02560692, -0.1486598, -0.2163237, -0.1392508, 0.09628747, 0.3037218, 0.181655,
            -0.2577518, -0.5246538]), relative: 1e-4, absolute: 1e-5,
                    "W1.grad[0]: the [B·T, D] view gives the weight one gradient, summed over "
                    + "all 6 positions")
        assertClose(mlp.expand.bias?.grad ?? Tensor.zeros([1]), Tensor([
            0.06130303, 0.06465968, 0.01656462, -0.09591644, -0.2175125, -0.2545488, -0.1122214,
            0.1748722, 0.3658802, 0.2857659, 0.02656452, -0.189595, -0.2160639, -0.08853209,
            0.05027011, 0.08297007]), relative: 1e-4, absolute: 1e-5, "b1.grad")
        // Finite differences through the whole network, input and first weight.
        let x2 = grid([2, 3, 4]) { sin(Double($0) * 0.5) }
        gradCheck({ inputs in mlp(inputs[0]) * Tensor(shape: y.shape, data: y.data) },
                  inputs: [x2, mlp.expand.weight], "FeedForward(x) · weights")
    }

    func test_unit_transformerBlock_matchesPyTorch() {
        // D, H = 8, 2;  x = grid([2, 3, D], lambda n: math.sin(n * 0.31) + 0.2 * math.cos(n * 1.7))
        // for i, s in enumerate('qkvo'):
        //     W[s] = grid([D, D], lambda n: 0.3 * math.sin(n * 0.13 * (i + 1) + i))
        //     b[s] = grid([D], lambda n: 0.01 * n * (i + 1) - 0.02)
        // ln1w = grid([D], lambda n: 1 + 0.05 * n);  ln1b = grid([D], lambda n: 0.02 * n - 0.05)
        // ln2w = grid([D], lambda n: 0.9 + 0.03 * n); ln2b = grid([D], lambda n: 0.04 - 0.01 * n)
        // W1 = grid([D, 4 * D], lambda n: 0.2 * math.cos(n * 0.11)); b1 = grid([4 * D], lambda n: 0.005 * n)
        // W2 = grid([4 * D, D], lambda n: 0.2 * math.sin(n * 0.17 + 0.3)); b2 = grid([D], lambda n: -0.01 * n)
        // def heads(t): return t.reshape(2, 3, H, D // H).transpose(1, 2)
        // h = F.layer_norm(x, [D], ln1w, ln1b)
        // q, k, v = (heads(h @ W[s] + b[s]) for s in 'qkv')
        // a = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(2, 3, D)
        // x1 = x + a @ W['o'] + b['o']
        // y = x1 + F.gelu(F.layer_norm(x1, [D], ln2w, ln2b) @ W1 + b1, approximate='tanh') @ W2 + b2
        // y.backward(grid([2, 3, D], lambda n: math.cos(n * 0.7)))
        let block = pytorchBlock()
        let x = blockInput()
        x.requiresGrad = true
        let y = block(x)
        assertClose(y, Tensor(shape: [2, 3, 8], data: [
            0.2203935, 0.3808881, 0.5401649, 1.044189, 1.268437, 0.9898389, 0.8857366, 1.02959,
            0.729876, 0.1943459, 0.03631143, -0.001949655, -0.4582171, -0.865535, -0.7428162,
            -0.6313745, -1.061333, -0.9601009, -0.4238957, -0.1489401, -0.1352139, 0.2632272,
            0.8282458, 0.9202645, 0.6360231, 0.9076943, 1.060268, 0.7033668, 0.4448017,
            0.5468445, 0.3660457, -0.1604153, -0.6053118, -0.5559179, -0.8315756, -1.147171,
            -0.9100831, -0.5418667, -0.5379561, -0.3853467, -0.0607954, 0.3862607, 0.4179715,
            0.6765641, 1.147938, 1.152355, 0.8633766, 0.9233931]), relative: 1e-4, absolute: 1e-5,
                    "x + attention(ln1(x)), then + mlp(ln2(·)): pre-norm, causal attention")
        y.backward(gradient: grid([2, 3, 8]) { cos(Double($0) * 0.7) })
        assertClose(x.grad ?? Tensor.zeros([1]), Tensor(shape: [2, 3, 8], data: [
            0.7467637, 1.063678, -0.01811796, -0.1501729, -1.406085, -0.5516419, -0.6916981,
            0.2548099, 0.5270858, 1.362216, 0.4119659, 0.5873196, -0.6309287, -0.7490209,
            -1.493896, -0.2050149, 0.1029809, 0.7863845, 0.8990661, 0.9582962, 0.114784,
            -0.3324021, -1.165385, -0.9063992, -0.9844199, 0.9739028, 0.3925441, 1.700592,
            -0.04018581, 0.8843026, -1.64491, -0.3821799, -0.6910255, -0.5718526, 0.003760457,
            0.9594663, 0.9135015, 0.7046795, 0.001583181, -0.3819697, -0.8889841, -1.088092,
            -0.2313045, 0.04036026, 0.8179411, 1.101014, 0.7541987, 0.05040374]),
                    relative: 1e-4, absolute: 1e-5,
                    "x.grad: the gradient arriving at y, plus what comes back through both "
                    + "sub-layers (the residual stream carries g through unchanged)")
        assertClose(Tensor(shape: [8], data: Array(block.attention.queryProjection.weight.grad?.data.prefix(8) ?? [])),
                    Tensor([0.02971543, 0.05330414, 0.07330975, 0.08838746, -0.1050435,
                            -0.111477, -0.1104171, -0.101935]), relative: 1e-4, absolute: 1e-5,
                    "W['q'].grad[0]")
        assertClose(block.norm1.weight.grad ?? Tensor.zeros([1]),
                    Tensor([-0.2540749, 0.3717461, -0.4078951, 0.1471439, -0.09659646,
                            -0.06028506, 0.2837665, -0.7211783]), relative: 1e-4, absolute: 1e-5,
                    "ln1w.grad")
    }

    func test_unit_transformerBlock_gradientsAndCausality() {
        let block = pytorchBlock()
        let weights = grid([2, 3, 8]) { cos(Double($0) * 0.7) }
        gradCheck({ inputs in block(inputs[0]) * weights },
                  inputs: [blockInput(), block.norm1.weight, block.norm2.bias,
                           block.feedForward.contract.weight],
                  "TransformerBlock(x) · weights: x, ln1 weight, ln2 bias, the MLP's second weight")
        XCTAssertEqual(block.parameterCount,
                       2 * 8 + 4 * (8 * 8 + 8) + 2 * 8 + (8 * 32 + 32 + 32 * 8 + 8),
                       "two LayerNorms, four attention projections, the MLP")
        // Causality: changing the last position changes no earlier position's output.
        let x = blockInput()
        let before = GradientMode.withoutGradients { block(x) }
        x.data[16..<24] = ArraySlice(repeating: 5, count: 8)   // sequence 0, position 2
        let after = GradientMode.withoutGradients { block(x) }
        XCTAssertEqual(Array(after.data[0..<16]), Array(before.data[0..<16]),
                       "positions 0 and 1 cannot see position 2 (causal attention; LayerNorm and "
                       + "the MLP work on each position alone)")
        XCTAssertNotEqual(Array(after.data[16..<24]), Array(before.data[16..<24]),
                          "position 2 sees itself")
        XCTAssertEqual(Array(after.data[24...]), Array(before.data[24...]),
                       "sequence 1 is not touched by sequence 0")
    }

    // MARK: - GPT.swift

    func test_unit_gpt_parameterCountOfTheMilestoneModel() {
        // def count(tied):
        //     m = nn.ModuleList([nn.Embedding(65, 128), nn.Embedding(64, 128)])
        //     for _ in range(4):
        //         m.extend([nn.LayerNorm(128), nn.MultiheadAttention(128, 4), nn.LayerNorm(128),
        //                   nn.Linear(128, 512), nn.Linear(512, 128)])
        //     m.append(nn.LayerNorm(128))
        //     if not tied: m.append(nn.Linear(128, 65, bias=False))
        //     return sum(p.numel() for p in m.parameters())
        // count(False), count(True)   →   818176 809856
        var generator = SeededGenerator(seed: 1337)
        let configuration = GPTConfiguration(vocabularySize: 65, contextLength: 64,
                                             dimension: 128, layerCount: 4, headCount: 4)
        let model = GPT(configuration, using: &generator)
        XCTAssertEqual(model.blocks.count, 4, "layerCount blocks")
        XCTAssertEqual(model.parameterCount, 818_176,
                       "65·128 + 64·128 + 4 · 198,272 + 2·128 + 128·65 (the head has no bias)")
        var tied = configuration
        tied.tiesWeights = true
        let tiedModel = GPT(tied, using: &generator)
        XCTAssertNil(tiedModel.head, "tied: no separate head")
        XCTAssertEqual(tiedModel.parameterCount, 809_856, "tied: the head's 128·65 are shared")
        let ids = (0..<2).map { s in (0..<5).map { (s * 7 + $0 * 3) % 65 } }
        XCTAssertEqual(GradientMode.withoutGradients { model(TokenBatch(sequences: ids)) }.shape,
                       [2, 5, 65], "[B, T] ids → [B, T, V] logits")
        XCTAssertEqual(GradientMode.withoutGradients {
            model(Tensor(shape: [2, 5], data: ids.flatMap { $0.map(Float.init) }))
        }.data, GradientMode.withoutGradients { model(TokenBatch(sequences: ids)) }.data,
                       "a Tensor of whole-number ids gives the same logits as a TokenBatch")
    }

    func test_unit_gpt_tiedWeightsGetBothGradients() {
        var generator = SeededGenerator(seed: 5)
        let model = GPT(GPTConfiguration(vocabularySize: 6, contextLength: 4, dimension: 4,
                                         layerCount: 1, headCount: 2, tiesWeights: true),
                        using: &generator)
        let batch = TokenBatch(sequences: [[0, 1, 2], [2, 1, 0]])   // tokens 3, 4, 5 unused
        let targets = [1, 2, 3, 1, 0, 4]
        func loss() -> Tensor {
            crossEntropy(logits: model(batch).reshaped(to: [6, 6]), targets: targets)
        }
        let table = model.tokenEmbedding.weight
        // Vectors of size about 1 (not GPT-2's 0.02), so that finite differences of 0.01 are small.
        table.data = table.data.map { $0 * 50 }
        table.zeroGrad()
        loss().backward()
        let gradient = table.grad?.data ?? []
        XCTAssertEqual(gradient.count, 24, "the table [6, 4] gets a gradient")
        // Token 5 is never an input: its row's gradient comes only from its use in the head.
        XCTAssertTrue(gradient[20..<24].contains { $0 != 0 },
                      "an unused token's row still learns, through the head (logits = h · tableᵀ)")
        // Finite differences: both uses of the table, summed.
        gradCheck({ _ in loss() }, inputs: [table], "tied GPT loss, gradient of the shared table")
    }

    func test_unit_samplingProbabilities_temperatureTopKTopP() {
        let logits: [Float] = [2, 1, 0, -1]
        // torch.softmax(torch.tensor([2., 1, 0, -1]) / t, 0) for t = 1, 0.5, 0.1
        assertClose(samplingProbabilities(logits: logits),
                    [0.6439142, 0.2368828, 0.08714432, 0.03205860], relative: 1e-5,
                    "temperature 1: the softmax of the logits")
        assertClose(samplingProbabilities(logits: logits, temperature: 0.5),
                    [0.8649548, 0.1170589, 0.01584220, 0.002144009], relative: 1e-4,
                    "temperature 0.5: the softmax of the logits doubled (sharper)")
        let cold = samplingProbabilities(logits: logits, temperature: 0.01)
        XCTAssertGreaterThan(cold[0], 0.999_999, "temperature → 0 approaches the argmax")
        XCTAssertEqual(samplingProbabilities(logits: [0.5, 3, 3, -2], temperature: 0),
                       [0, 1, 0, 0], "temperature 0: all on the largest logit (the first of ties)")
        // p = softmax; k = p.clone(); k[2:] = 0; k / k.sum()
        assertClose(samplingProbabilities(logits: logits, topK: 2),
                    [0.7310586, 0.2689414, 0, 0], relative: 1e-5,
                    "topK 2: the two most likely, renormalized (0.6439 / 0.8808, …)")
        // p.cumsum(0) = [0.6439, 0.8808, 0.9679, 1.0]: 3 tokens reach 0.9
        assertClose(samplingProbabilities(logits: logits, topP: 0.9),
                    [0.6652410, 0.2447285, 0.09003057, 0], relative: 1e-5,
                    "topP 0.9: the smallest set whose probabilities reach 0.9 (three tokens)")
        XCTAssertEqual(samplingProbabilities(logits: logits, topP: 0.5), [1, 0, 0, 0],
                       "topP 0.5: the most likely token alone already has 0.64")
        assertClose(samplingProbabilities(logits: [-1, 0, 1, 2], topK: 3, topP: 0.8),
                    [0, 0, 0.2689414, 0.7310586], relative: 1e-5,
                    "the order is by probability, not by index; topK first (3 kept: 0.665, "
                    + "0.245, 0.090), then topP 0.8 of those (2 kept)")
        XCTAssertEqual(samplingProbabilities(logits: [1, 2], topK: 10).count, 2,
                       "topK larger than the vocabulary keeps everything")
    }

    func test_unit_sampleIndex_neverOutsideTheAllowedSet() {
        var generator = SeededGenerator(seed: 99)
        let logits: [Float] = (0..<10).map { Float(sin(Double($0) * 1.7)) * 2 }
        for (topK, topP) in [(3, nil), (nil, 0.6), (5, 0.7)] as [(Int?, Float?)] {
            let p = samplingProbabilities(logits: logits, topK: topK, topP: topP)
            let allowed = Set(p.indices.filter { p[$0] > 0 })
            var counts = [Int](repeating: 0, count: 10)
            for _ in 0..<3000 {
                counts[sampleIndex(p, using: &generator)] += 1
            }
            for index in 0..<10 where !allowed.contains(index) {
                XCTAssertEqual(counts[index], 0, "topK \(String(describing: topK)), topP "
                               + "\(String(describing: topP)): token \(index) has probability 0 "
                               + "and must never be drawn")
            }
            for index in allowed {
                XCTAssertEqual(Double(counts[index]) / 3000, Double(p[index]), accuracy: 0.04,
                               "token \(index) is drawn about \(p[index]) of the time")
            }
        }
        XCTAssertEqual(sampleIndex([0, 0, 1], using: &generator), 2,
                       "probability 1 is always drawn")
    }

    func test_unit_generate_seedCroppingAndGreedy() {
        var generator = SeededGenerator(seed: 21)
        let model = GPT(GPTConfiguration(vocabularySize: 7, contextLength: 5, dimension: 8,
                                         layerCount: 2, headCount: 2), using: &generator)
        // Larger random embeddings than GPT-2's 0.02, so that the logits differ clearly.
        for parameter in [model.tokenEmbedding.weight, model.positionEmbedding.weight] {
            parameter.data = parameter.data.map { $0 * 50 }
        }
        var first = SeededGenerator(seed: 8)
        var second = SeededGenerator(seed: 8)
        let a = model.generate(from: [1, 2], count: 12, using: &first)
        let b = model.generate(from: [1, 2], count: 12, using: &second)
        XCTAssertEqual(a.count, 14, "the prompt and 12 new tokens")
        XCTAssertEqual(Array(a.prefix(2)), [1, 2], "the result starts with the prompt")
        XCTAssertEqual(a, b, "the same seed gives the same text")
        XCTAssertTrue(a.allSatisfy { (0..<7).contains($0) }, "every token is in the vocabulary")
        var other = SeededGenerator(seed: 9)
        let runs = (0..<5).map { _ in model.generate(from: [1, 2], count: 12, using: &other) }
        XCTAssertTrue(runs.contains { $0 != a }, "other draws give other texts")

        // Greedy: temperature 0 takes the argmax of the last position's logits.
        var unused = SeededGenerator(seed: 0)
        let greedy = model.generate(from: [3], count: 1, temperature: 0, using: &unused)
        let logits = GradientMode.withoutGradients { model(TokenBatch(sequences: [[3]])) }.data
        XCTAssertEqual(greedy[1], logits.indices.max { logits[$0] < logits[$1] },
                       "temperature 0 picks the most likely next token")

        // Cropping: a prompt longer than the context (5) works, and only its last 5 tokens
        // matter: the same seed gives the same continuation as from those 5 alone.
        let long = [0, 1, 2, 3, 4, 5, 6, 0, 1]
        var g1 = SeededGenerator(seed: 4)
        var g2 = SeededGenerator(seed: 4)
        let fromLong = model.generate(from: long, count: 6, temperature: 0.7, using: &g1)
        let fromLast = model.generate(from: Array(long.suffix(5)), count: 6, temperature: 0.7,
                                      using: &g2)
        XCTAssertEqual(Array(fromLong.suffix(6)), Array(fromLast.suffix(6)),
                       "the model reads only the last contextLength tokens")
    }

    // MARK: - The module

    func test_module() {
        // A tiny character GPT learns a repeating pattern, then writes it.
        var generator = SeededGenerator(seed: 2017)
        let pattern = [0, 1, 2, 3, 1, 2, 4, 0, 3, 2]   // period 10, vocabulary 5
        let length = 8
        let model = GPT(GPTConfiguration(vocabularySize: 5, contextLength: length, dimension: 16,
                                         layerCount: 1, headCount: 2, tiesWeights: true),
                        using: &generator)
        let sequences = (0..<10).map { start in (0...length).map { pattern[(start + $0) % 10] } }
        let inputs = TokenBatch(sequences: sequences.map { Array($0.dropLast()) })
        let targets = sequences.flatMap { $0.dropFirst() }
        func loss() -> Tensor {
            crossEntropy(logits: model(inputs).reshaped(to: [10 * length, 5]), targets: targets)
        }
        let optimizer = Adam(parameters: model.parameters(), learningRate: 2e-2)
        let start = GradientMode.withoutGradients { loss() }.scalar
        for _ in 0..<100 {
            optimizer.zeroGrad()
            loss().backward()
            optimizer.step()
        }
        let end = GradientMode.withoutGradients { loss() }.scalar
        XCTAssertGreaterThan(start, 1.4, "untrained, the loss is near ln 5 = 1.61")
        XCTAssertLessThan(end, 0.1, "100 Adam steps should learn the pattern (loss \(start) → "
                          + "\(end)): the next token follows from the last three")
        var sampler = SeededGenerator(seed: 1)
        let text = model.generate(from: [1, 2, 4], count: 15, temperature: 0, using: &sampler)
        XCTAssertEqual(text, (0..<18).map { pattern[(4 + $0) % 10] },
                       "greedy generation continues the pattern, past the context of 8")
    }

    // MARK: - Helpers

    /// x, w, b of the LayerNorm tests (the Python at their top).
    private func layerNormInputs() -> (Tensor, Tensor, Tensor) {
        (grid([2, 3, 4]) { 2 * sin(Double($0) * 0.7) + 0.5 },
         grid([4]) { 1 + 0.1 * Double($0) },
         grid([4]) { 0.05 * Double($0) - 0.1 })
    }

    private func blockInput() -> Tensor {
        grid([2, 3, 8]) { sin(Double($0) * 0.31) + 0.2 * cos(Double($0) * 1.7) }
    }

    /// A `TransformerBlock(dimension: 8, headCount: 2)` with the weights of the Python in
    /// `test_unit_transformerBlock_matchesPyTorch`.
    private func pytorchBlock() -> TransformerBlock {
        var generator = SeededGenerator(seed: 1)
        let block = TransformerBlock(dimension: 8, headCount: 2, using: &generator)
        let attention = block.attention
        let projections = [attention.queryProjection, attention.keyProjection,
                           attention.valueProjection, attention.outputProjection]
        for (i, layer) in projections.enumerated() {
            let f = Double(i + 1)
            layer.weight.data = grid([8, 8]) { 0.3 * sin(Double($0) * 0.13 * f + Double(i)) }.data
            layer.bias!.data = grid([8]) { 0.01 * Double($0) * f - 0.02 }.data
        }
        block.norm1.weight.data = grid([8]) { 1 + 0.05 * Double($0) }.data
        block.norm1.bias.data = grid([8]) { 0.02 * Double($0) - 0.05 }.data
        block.norm2.weight.data = grid([8]) { 0.9 + 0.03 * Double($0) }.data
        block.norm2.bias.data = grid([8]) { 0.04 - 0.01 * Double($0) }.data
        block.feedForward.expand.weight.data = grid([8, 32]) { 0.2 * cos(Double($0) * 0.11) }.data
        block.feedForward.expand.bias!.data = grid([32]) { 0.005 * Double($0) }.data
        block.feedForward.contract.weight.data =
            grid([32, 8]) { 0.2 * sin(Double($0) * 0.17 + 0.3) }.data
        block.feedForward.contract.bias!.data = grid([8]) { -0.01 * Double($0) }.data
        return block
    }

    /// A tensor of `shape` whose element at flat row-major index `n` is `value(n)`, rounded to
    /// Float: the `grid` of the Python in the comments.
    private func grid(_ shape: [Int], _ value: (Int) -> Double) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { Float(value($0)) })
    }
}
