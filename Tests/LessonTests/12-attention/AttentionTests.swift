// Lesson 12: Attention. The tests follow the lesson's files in order: AttentionMask.swift (the
// causal mask, broadcasting a mask over the scores), MaskedSoftmax.swift (zeros where masked, a
// fully masked row, the gradient), ScaledDotProduct.swift (shapes, the README's worked example,
// PyTorch's scaled_dot_product_attention), MultiHeadAttention.swift (splitting and merging heads,
// PyTorch's nn.MultiheadAttention, the module), and last a tiny causal language model that must
// not see the future and learns to copy the previous token (`test_module`).
//
// Every gradient is checked against finite differences by `gradCheck` (Support/GradCheck.swift:
// relative 1e-2, absolute 1e-3). Key values are compared with PyTorch 2.15.0 (CPU, float32); the
// Python is in the comment beside the numbers, after
//
//   import math, itertools, torch, torch.nn.functional as F
//   def grid(shape, f):   # f(n) at flat row-major index n, as `grid` at the bottom of this file
//       t = torch.zeros(shape)
//       for idx in itertools.product(*[range(s) for s in shape]):
//           flat = 0
//           for s, i in zip(shape, idx): flat = flat * s + i
//           t[idx] = f(flat)
//       return t
//
// Those comparisons use relative 1e-4, absolute 1e-6 (the same arithmetic in another order).

import Foundation  // sin and cos, for the inputs rebuilt from the Python
import XCTest
import TinyTorchTensor
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchLosses
import TinyTorchAutograd
import TinyTorchEmbeddings
import TinyTorchAttention

final class AttentionTests: LessonTestCase {

    // MARK: - AttentionMask.swift

    func test_unit_causalMask_allowsThePastOnly() {
        let mask = AttentionMask.causal(queryCount: 4, keyCount: 4)
        XCTAssertEqual(mask.shape, [4, 4], "a causal mask for 4 tokens is [4, 4]")
        XCTAssertEqual(mask.allowed, [true, false, false, false,
                                      true, true, false, false,
                                      true, true, true, false,
                                      true, true, true, true],
                       "query i may see keys 0…i: itself and the tokens before it, never after")
        XCTAssertEqual(AttentionMask.causal(length: 4), mask,
                       "causal(length:) is causal(queryCount: length, keyCount: length)")
        // Fewer queries than keys: the queries are the last tokens (lesson 17's new tokens).
        let last = AttentionMask.causal(queryCount: 2, keyCount: 4)
        XCTAssertEqual(last.shape, [2, 4], "2 queries, 4 keys")
        XCTAssertEqual(last.allowed, [true, true, true, false,
                                      true, true, true, true],
                       "2 queries over 4 keys are tokens 2 and 3: query 0 sees keys 0…2, "
                       + "query 1 all four (j ≤ i + keyCount − queryCount)")
        XCTAssertEqual(AttentionMask.causal(queryCount: 1, keyCount: 3).allowed,
                       [true, true, true], "one new token sees the whole past and itself")
    }

    func test_unit_rowStarts_broadcastsTheMaskOverTheScores() throws {
        let causal = AttentionMask.causal(length: 3)
        XCTAssertEqual(try causal.rowStarts(forScores: [3, 3]), [0, 3, 6],
                       "the scores' rows are the mask's rows: they start at 0, 3 and 6")
        XCTAssertEqual(try causal.rowStarts(forScores: [2, 3, 3]), [0, 3, 6, 0, 3, 6],
                       "a [3, 3] mask serves both [3, 3] blocks of [2, 3, 3] scores (stride 0 "
                       + "along the missing axis)")
        XCTAssertEqual(try causal.rowStarts(forScores: [2, 2, 3, 3]).count, 12,
                       "[2, 2, 3, 3] scores have 2 · 2 · 3 = 12 rows")
        // A padding mask: one row of keys per sequence, [B, 1, 1, Tk], broadcast over heads and
        // queries. Sequence 0 may see keys 0, 1 and 2; sequence 1 only keys 0 and 1.
        let padding = AttentionMask(shape: [2, 1, 1, 3],
                                    allowed: [true, true, true, true, true, false])
        XCTAssertEqual(try padding.rowStarts(forScores: [2, 2, 2, 3]),
                       [0, 0, 0, 0, 3, 3, 3, 3],
                       "[2, 1, 1, 3] against [2, 2, 2, 3] scores: sequence 0's 4 rows (2 heads "
                       + "× 2 queries) all read mask row 0, sequence 1's read row 1 (start 3)")
        assertShapeError(try causal.rowStarts(forScores: [2, 3, 4]),
                         mentions: ["[3, 3]", "[2, 3, 4]"],
                         "a mask for 3 keys cannot serve scores over 4 keys")
        assertShapeError(try causal.rowStarts(forScores: [2, 4, 3]),
                         mentions: ["[3, 3]", "[2, 4, 3]"],
                         "a mask for 3 queries cannot serve scores of 4 queries")
    }

    // MARK: - MaskedSoftmax.swift

    func test_unit_maskedSoftmax_exactZerosWhereMasked() {
        // The doc comment's example: the 5 is forbidden, so the first row is softmax([0, 0]).
        let mask = AttentionMask(shape: [2, 3], allowed: [true, true, false, true, true, true])
        let y = maskedSoftmax(Tensor([[0, 0, 5], [1, 2, 3]]), mask: mask)
        // Row 1: e^(x − 3) = e^−2, e^−1, 1 = 0.1353353, 0.3678794, 1; sum 1.5032147.
        assertClose(y, Tensor([[0.5, 0.5, 0], [0.0900306, 0.2447285, 0.6652410]]),
                    "a forbidden position gets exactly 0; the allowed ones share 1 as a "
                    + "softmax of their own scores")
        XCTAssertEqual(y[0, 2], 0, "masked means exactly 0, not a tiny number")

        // Without a mask it is lesson 02's softmax along the last axis.
        let x = Tensor([[[0.5, -1, 2], [3, 0.25, -0.5]], [[1000, 0, -1000], [7, 7, 7]]])
        assertClose(maskedSoftmax(x, mask: nil), softmax(x, alongAxis: -1),
                    "mask: nil is a plain softmax over the last axis (stable at ±1000 too)")
        // scale multiplies the scores first.
        assertClose(maskedSoftmax(x, mask: nil, scale: 0.5), softmax(x * 0.5, alongAxis: -1),
                    "scale: 0.5 is the softmax of 0.5 · scores")
        // A huge or infinite forbidden score still gets 0, and does not disturb the others.
        let wild = maskedSoftmax(Tensor([[1, .infinity, 1]]),
                                 mask: AttentionMask(shape: [1, 3], allowed: [true, false, true]))
        assertClose(wild, Tensor([[0.5, 0, 0.5]]),
                    "a forbidden +∞ is ignored: the softmax is over the allowed scores only")
        assertRecorded(maskedSoftmax(Tensor([[1, 2]]).asParameter(), mask: nil, scale: 0.25),
                       MaskedSoftmaxOp(scale: 0.25), inputs: [nil],
                       "maskedSoftmax(scores, mask:, scale: 0.25)",
                       hint: "end with Tensor(shape:data:operation: MaskedSoftmaxOp(scale: scale), "
                           + "inputs: [scores])")
    }

    func test_unit_maskedSoftmax_fullyMaskedRowIsZeroNotNaN() {
        // Row 1 has no allowed key. Adding −∞ and calling softmax would give NaN there.
        let mask = AttentionMask(shape: [3, 2], allowed: [true, true, false, false, false, true])
        let scores = Tensor([[0.3, -0.2], [5, 1], [0.7, 0.1]]).asParameter()
        let y = maskedSoftmax(scores, mask: mask)
        XCTAssertFalse(y.data.contains { $0.isNaN }, "no NaN, even in a row with nothing to see")
        assertClose(y, Tensor([[0.6224593, 0.3775407], [0, 0], [0, 1]]),
                    "a row with no allowed key is all 0 (and a row with one allowed key puts "
                    + "all its weight there)")
        y.backward(gradient: Tensor([[1, 2], [3, 4], [5, 6]]))
        let grad = scores.grad ?? Tensor([[.nan, .nan], [.nan, .nan], [.nan, .nan]])
        XCTAssertFalse(grad.data.contains { $0.isNaN }, "no NaN in the gradient either")
        XCTAssertEqual(Array(grad.data[2...3]), [0, 0],
                       "the fully masked row's output is the constant 0: its gradient is 0")
        XCTAssertEqual(Array(grad.data[4...5]), [0, 0],
                       "a row with one allowed key always outputs 1 there: gradient 0")
    }

    func test_unit_maskedSoftmaxBackward_matchesPyTorchAndFiniteDifferences() {
        // x = torch.tensor([[0.5, -1.0, 2.0, 0.3], [1.5, 0.2, -0.7, 0.9],
        //                   [-0.4, 0.8, 0.1, -1.2]], requires_grad=True)
        // allowed = torch.tensor([[True, False, True, True], [True, True, False, False],
        //                         [False, True, True, True]])
        // y = torch.softmax((x * 0.5).masked_fill(~allowed, float("-inf")), -1)
        // y.backward(torch.tensor([[1.0, 2.0, -1.0, 0.5], [0.3, -0.6, 4.0, 1.0],
        //                          [2.0, -1.0, 0.5, 0.25]]))
        let allowed = [true, false, true, true, true, true, false, false, false, true, true, true]
        let mask = AttentionMask(shape: [3, 4], allowed: allowed)
        let x = Tensor([[0.5, -1, 2, 0.3], [1.5, 0.2, -0.7, 0.9], [-0.4, 0.8, 0.1, -1.2]])
            .asParameter()
        let y = maskedSoftmax(x, mask: mask, scale: 0.5)
        // y → [[0.2486425, 0, 0.5263763, 0.2249811], [0.6570104, 0.3429895, 0, 0],
        //      [0, 0.4824933, 0.3400073, 0.1774994]]
        assertClose(y, Tensor([[0.2486425, 0, 0.5263763, 0.2249811],
                               [0.6570104, 0.3429895, 0, 0],
                               [0, 0.4824933, 0.3400073, 0.1774994]]), relative: 1e-4,
                    "softmax(0.5 · x) over the allowed positions, as PyTorch computes it")
        y.backward(gradient: Tensor([[1, 2, -1, 0.5], [0.3, -0.6, 4, 1], [2, -1, 0.5, 0.25]]))
        // x.grad → [[0.1448645, 0, -0.2196981, 0.0748336], [0.1014065, -0.1014065, 0, 0],
        //           [0, -0.1765649, 0.1305823, 0.0459825]]
        assertClose(x.grad ?? Tensor([[.nan]]),
                    Tensor([[0.1448645, 0, -0.2196981, 0.0748336],
                            [0.1014065, -0.1014065, 0, 0],
                            [0, -0.1765649, 0.1305823, 0.0459825]]), relative: 1e-4,
                    "scale · y · (g − Σ g·y), as PyTorch computes it: masked positions get 0, "
                    + "even where the incoming gradient is 4")
        gradCheck({ maskedSoftmax($0[0], mask: mask, scale: 0.5)
                        * Tensor([[1, 2, -1, 0.5], [0.3, -0.6, 4, 1], [2, -1, 0.5, 0.25]]) },
                  inputs: [Tensor([[0.5, -1, 2, 0.3], [1.5, 0.2, -0.7, 0.9],
                                   [-0.4, 0.8, 0.1, -1.2]])],
                  "maskedSoftmax with a mask and scale 0.5, weighted")
        // A causal mask broadcast over a batch of [2, 3, 3] scores.
        gradCheck({ maskedSoftmax($0[0], mask: AttentionMask.causal(length: 3), scale: 2)
                        * $0[0] },
                  inputs: [Tensor([[[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [-0.7, 0.8, 0.9]],
                                   [[1.0, -1.1, 1.2], [0.3, 0.2, 0.1], [-0.2, -0.3, 0.4]]])],
                  "maskedSoftmax(causal, scale 2) · scores, over a batch")
    }

    // MARK: - ScaledDotProduct.swift

    func test_unit_attentionShape_namesTheShapes() throws {
        XCTAssertEqual(try attentionShape(query: [2, 5, 8], key: [2, 7, 8], value: [2, 7, 4]),
                       [2, 5, 4], "5 queries over 7 keys with 4-number values give [2, 5, 4]")
        XCTAssertEqual(try attentionShape(query: [12, 4, 64, 32], key: [12, 4, 64, 32],
                                          value: [12, 4, 64, 32]), [12, 4, 64, 32],
                       "the milestone's heads: [B, H, T, D/H] in and out")
        XCTAssertEqual(try attentionShape(query: [3, 2, 5, 8], key: [7, 8], value: [7, 4]),
                       [3, 2, 5, 4], "batch axes broadcast, as in matmul")
        assertShapeError(try attentionShape(query: [5, 8], key: [7, 16], value: [7, 4]),
                         mentions: ["[5, 8]", "[7, 16]", "8", "16"],
                         "a query and a key of different sizes cannot be compared")
        assertShapeError(try attentionShape(query: [5, 8], key: [7, 8], value: [6, 4]),
                         mentions: ["[7, 8]", "[6, 4]"], "one value per key: 7 keys, 6 values")
        assertShapeError(try attentionShape(query: [8], key: [7, 8], value: [7, 4]),
                         mentions: ["[8]"], "a query needs [length, size]")
        assertShapeError(try attentionShape(query: [2, 5, 8], key: [3, 7, 8], value: [3, 7, 4]),
                         mentions: ["[2]", "[3]"], "batch axes 2 and 3 cannot broadcast")
    }

    func test_unit_attentionWeights_workedExample() {
        // The README's three tokens, d = 4, so the scores are divided by √4 = 2:
        //   Q = [[1, 0, 1, 0], [0, 2, 0, 2], [2, 0, 0, 2]]
        //   K = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 1, 1]]
        //   Q·Kᵀ / 2 = [[1, 0, 1], [0, 2, 2], [1, 1, 2]]
        //   causal:  row 0 keeps key 0 → [1, 0, 0]
        //            row 1 keeps [0, 2] → e^0, e^2 = 1, 7.389056 → [0.1192029, 0.8807971, 0]
        //            row 2 keeps [1, 1, 2] → e, e, e² → [0.2119416, 0.2119416, 0.5761169]
        //   V = [[1, 2], [3, 0], [0, 1]]
        //   out row 1 = 0.1192029 · [1, 2] + 0.8807971 · [3, 0] = [2.7615941, 0.2384059]
        //   out row 2 = 0.2119416 · [1, 2] + 0.2119416 · [3, 0] + 0.5761169 · [0, 1]
        //             = [0.8477662, 1.0000000]
        // F.scaled_dot_product_attention(Q[None], K[None], V[None], is_causal=True) agrees.
        let q = Tensor([[1, 0, 1, 0], [0, 2, 0, 2], [2, 0, 0, 2]])
        let k = Tensor([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 1, 1]])
        let v = Tensor([[1, 2], [3, 0], [0, 1]])
        let causal = AttentionMask.causal(length: 3)
        assertClose(attentionWeights(query: q, key: k, mask: causal),
                    Tensor([[1, 0, 0], [0.1192029, 0.8807971, 0],
                            [0.2119416, 0.2119416, 0.5761169]]),
                    "softmax(Q·Kᵀ / √4) with the causal mask: the README's weights")
        assertClose(scaledDotProductAttention(query: q, key: k, value: v, mask: causal),
                    Tensor([[1, 2], [2.7615941, 0.2384059], [0.8477662, 1]]),
                    "each output row is the weighted average of the value rows")
        // Without the mask every token sees all three.
        let open = attentionWeights(query: q, key: k)
        // Row 0: scores [1, 0, 1] → e, 1, e, sum 2e + 1 → [0.4223188, 0.1553624, 0.4223188];
        // row 1: [0, 2, 2] → 1, e², e², sum 1 + 2e² → [0.0633789, 0.4683105, 0.4683105].
        assertClose(open, Tensor([[0.4223188, 0.1553624, 0.4223188],
                                  [0.0633789, 0.4683105, 0.4683105],
                                  [0.2119416, 0.2119416, 0.5761169]]),
                    "no mask: each row is a softmax over all three keys")
    }

    func test_unit_scaledDotProductAttention_matchesPyTorch() {
        // q = grid([2, 2, 3, 4], lambda n: math.sin(n * 0.7)).requires_grad_()
        // k = grid([2, 2, 3, 4], lambda n: math.cos(n * 0.3)).requires_grad_()
        // v = grid([2, 2, 3, 4], lambda n: math.sin(n * 0.5 + 1)).requires_grad_()
        // out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        // out.backward(grid([2, 2, 3, 4], lambda n: math.cos(n * 1.1)))
        let shape = [2, 2, 3, 4]
        let q = grid(shape) { sin(Double($0) * 0.7) }.asParameter()
        let k = grid(shape) { cos(Double($0) * 0.3) }.asParameter()
        let v = grid(shape) { sin(Double($0) * 0.5 + 1) }.asParameter()
        let out = scaledDotProductAttention(query: q, key: k, value: v,
                                            mask: .causal(length: 3))
        assertClose(out, Tensor(shape: shape, data: [
            0.8414710, 0.9974950, 0.9092974, 0.5984721, 0.3212763, -0.0039559, -0.3282196,
            -0.5721236, 0.2633461, 0.2744048, 0.2182796, 0.1087120,
            0.6569866, 0.9380000, 0.9893582, 0.7984871, 0.5618851, 0.5445138, 0.3938265,
            0.1467168, -0.4099073, -0.4421564, -0.3661502, -0.2004976,
            0.4201670, 0.8037844, 0.9906074, 0.9348950, 0.4642684, 0.6893121, 0.7455882,
            0.6193183, -0.0568452, -0.2249920, -0.3380528, -0.3683465,
            0.1498772, 0.6055399, 0.9129453, 0.9968298, 0.4165775, 0.5535414, 0.5549792,
            0.4205386, 0.2282241, 0.2166065, 0.1519562, 0.0501017]), relative: 1e-4,
                    "causal attention over [2, 2, 3, 4] (batch, heads, tokens, size), as "
                    + "PyTorch's scaled_dot_product_attention(is_causal=True) computes it")
        out.backward(gradient: grid(shape) { cos(Double($0) * 1.1) })
        // q.grad: the first query sees only itself — its weight is always 1 — so its gradient
        // is 0.
        assertClose(q.grad ?? Tensor([.nan]), Tensor(shape: shape, data: [
            0, 0, 0, 0, 0.1562581, 0.2167765, 0.2579308, 0.2760449,
            -0.3495139, -0.3657602, -0.3493343, -0.3017033,
            0, 0, 0, 0, -0.1398269, -0.1568252, -0.1598147, -0.1485285,
            0.2075676, 0.1454026, 0.0702493, -0.0111792,
            0, 0, 0, 0, -0.1007474, -0.0978564, -0.0862242, -0.0668898,
            0.1048861, 0.1163114, 0.1173469, 0.1079001,
            0, 0, 0, 0, 0.3260916, 0.2702804, 0.1903258, 0.0933699,
            -0.2184464, -0.1230501, -0.0166620, 0.0912144]), relative: 1e-4, absolute: 1e-6,
                    "the query gradient, as PyTorch computes it")
        assertClose(k.grad ?? Tensor([.nan]), Tensor(shape: shape, data: [
            0.1926802, -0.0889071, -0.3286801, -0.4138696, -0.0561766, 0.0852713, 0.1866148,
            0.2001905, -0.1365036, 0.0036358, 0.1420652, 0.2136792,
            -0.1329189, -0.0825329, 0.0066696, 0.0927353, -0.1096775, -0.1245876, -0.0809022,
            0.0008327, 0.2425964, 0.2071206, 0.0742327, -0.0935680,
            -0.1055107, -0.1890830, -0.1837266, -0.0919608, 0.1239335, 0.2305662, 0.2287600,
            0.1193644, -0.0184228, -0.0414832, -0.0450334, -0.0274036,
            -0.2102719, 0.1478956, 0.4365055, 0.5198200, 0.1112221, -0.1334981, -0.3154320,
            -0.3490133, 0.0990498, -0.0143975, -0.1210734, -0.1708066]), relative: 1e-4,
                    absolute: 1e-6, "the key gradient, as PyTorch computes it")
        assertClose(v.grad ?? Tensor([.nan]), Tensor(shape: shape, data: [
            0.4976474, 0.1718392, -0.3417562, -0.4818778, -0.4367002, 0.2978800, 0.7069346,
            0.3434456, -0.1793731, -0.1966445, 0.0009787, 0.1975324,
            0.8859276, 0.3922826, -0.5300518, -0.8731415, -0.1625496, 0.2569374, 0.3956413,
            0.1019853, -0.6017110, -0.2681871, 0.3584138, 0.5933372,
            0.8675927, 0.0200373, -0.8494151, -0.7906201, -0.2148064, 0.2488430, 0.4405548,
            0.1508249, -0.3382616, 0.0721815, 0.4037442, 0.2940920,
            0.1780491, -0.4507892, -0.5870016, -0.0817341, 0.2675893, 0.4696074, 0.1584349,
            -0.3258765, -0.0603645, 0.1498614, 0.1963176, 0.0282364]), relative: 1e-4,
                    absolute: 1e-6, "the value gradient, as PyTorch computes it")

        // Finite differences through the whole attention, with a mask that hides everything
        // from query 0: its output is 0, and no NaN reaches any gradient.
        let blind = AttentionMask(shape: [3, 3], allowed: [false, false, false,
                                                           true, true, false,
                                                           true, false, true])
        let weights = grid([2, 3, 2]) { cos(Double($0)) + 0.5 }
        gradCheck({ scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: blind)
                        * weights },
                  inputs: [grid([2, 3, 4]) { sin(Double($0) * 0.9) },
                           grid([2, 3, 4]) { cos(Double($0) * 0.4) },
                           grid([2, 3, 2]) { sin(Double($0) * 1.3) }],
                  "scaledDotProductAttention (query 0 fully masked), weighted")
        let hidden = scaledDotProductAttention(query: grid([3, 4]) { sin(Double($0)) },
                                               key: grid([3, 4]) { cos(Double($0)) },
                                               value: grid([3, 2]) { Double($0) + 1 },
                                               mask: blind)
        XCTAssertEqual(Array(hidden.data[0...1]), [0, 0],
                       "a query that may see no key gets weights 0, so its output is 0")
    }

    // MARK: - MultiHeadAttention.swift

    func test_unit_splitHeads_mergeHeadsRoundTrip() {
        let x = Tensor([[[1, 2, 3, 4], [5, 6, 7, 8]]])          // [1, 2, 4]
        let heads = splitHeads(x, headCount: 2)
        assertClose(heads, Tensor(shape: [1, 2, 2, 2], data: [1, 2, 5, 6, 3, 4, 7, 8]),
                    absolute: 0,
                    "[1, 2, 4] → [1, 2 heads, 2 tokens, 2]: head 0 holds the first half of "
                    + "each token's numbers, head 1 the second half")
        assertClose(mergeHeads(heads), x, absolute: 0, "mergeHeads puts them back")
        let wide = grid([3, 5, 12]) { Double($0) }
        for count in [1, 2, 3, 4, 6, 12] {
            assertClose(mergeHeads(splitHeads(wide, headCount: count)), wide, absolute: 0,
                        "mergeHeads(splitHeads(x, headCount: \(count))) must be x")
        }
        assertShape(splitHeads(wide, headCount: 4), [3, 4, 5, 3],
                    "[3, 5, 12] with 4 heads → [3, 4, 5, 3]")
        // Only moves numbers: the gradient is moved back (weighted, to catch a wrong place).
        let perHead = grid([1, 2, 3, 2]) { Double($0) - 5 }
        gradCheck({ mergeHeads(splitHeads($0[0], headCount: 2) * perHead) },
                  inputs: [grid([1, 3, 4]) { sin(Double($0)) }],
                  "splitHeads, weighted per head, then mergeHeads")
    }

    /// The `nn.MultiheadAttention(4, 2, batch_first=True)` of the PyTorch comparisons, copied
    /// into a `MultiHeadAttention`: PyTorch stores the weights as `[out, in]` (the three input
    /// projections stacked in `in_proj_weight`), this course as `[in, out]`.
    private func pytorchAttention() -> MultiHeadAttention {
        var generator = SeededGenerator(seed: 0)
        let attention = MultiHeadAttention(dimension: 4, headCount: 2, using: &generator)
        // with torch.no_grad():
        //     mha.in_proj_weight.copy_(grid([12, 4], lambda n: math.sin(n * 0.37) / 2))
        //     mha.in_proj_bias.copy_(grid([12], lambda n: math.cos(n * 0.9) / 10))
        //     mha.out_proj.weight.copy_(grid([4, 4], lambda n: math.cos(n * 0.61) / 2))
        //     mha.out_proj.bias.copy_(grid([4], lambda n: math.sin(n + 0.5) / 10))
        let projections = [attention.queryProjection, attention.keyProjection,
                           attention.valueProjection]
        for (index, layer) in projections.enumerated() {
            let first = index * 4  // this projection's first row of in_proj_weight
            layer.weight.data = grid([4, 4]) { n in
                let (input, output) = (n / 4, n % 4)   // ours [in, out] is theirs [out, in]
                return sin(Double((first + output) * 4 + input) * 0.37) / 2
            }.data
            layer.bias!.data = (0..<4).map { Float(cos(Double(first + $0) * 0.9) / 10) }
        }
        attention.outputProjection.weight.data = grid([4, 4]) { n in
            cos(Double((n % 4) * 4 + n / 4) * 0.61) / 2
        }.data
        attention.outputProjection.bias!.data = (0..<4).map { Float(sin(Double($0) + 0.5) / 10) }
        return attention
    }

    func test_unit_multiHeadAttention_matchesPyTorch() {
        // x = grid([2, 3, 4], lambda n: math.sin(n * 0.83 + 0.2)).requires_grad_()
        // causal = torch.ones(3, 3, dtype=torch.bool).triu(1)     # True = may NOT attend
        // y, w = mha(x, x, x, attn_mask=causal, need_weights=True, average_attn_weights=False)
        // y.backward(grid([2, 3, 4], lambda n: math.cos(n * 0.45)))
        let attention = pytorchAttention()
        let x = grid([2, 3, 4]) { sin(Double($0) * 0.83 + 0.2) }.asParameter()
        let y = attention(x)
        XCTAssertTrue(attention.isCausal, "a MultiHeadAttention is causal unless told otherwise")
        assertClose(y, Tensor(shape: [2, 3, 4], data: [
            0.6640669, -0.2862122, 0.0333298, 0.3913922, -0.3223952, 0.4609357, -0.1215741,
            -0.1191199, 0.5422161, -0.2287248, 0.0673610, 0.2819177,
            -0.3453946, 0.5462992, -0.2289785, -0.0404090, 0.2538991, -0.0815379, 0.1308309,
            0.0377723, -0.1688983, 0.4113098, -0.1992609, 0.0491828]), relative: 1e-4,
                    absolute: 1e-6, "causal self-attention, as nn.MultiheadAttention computes it")
        assertClose(attention.lastAttentionWeights ?? Tensor([.nan]), Tensor(shape: [2, 2, 3, 3],
                                                                              data: [
            1, 0, 0, 0.1416001, 0.8583999, 0, 0.4892788, 0.0617128, 0.4490084,
            1, 0, 0, 0.1503486, 0.8496515, 0, 0.4863119, 0.0640914, 0.4495966,
            1, 0, 0, 0.1738777, 0.8261223, 0, 0.4646329, 0.1280847, 0.4072825,
            1, 0, 0, 0.1756839, 0.8243161, 0, 0.4597751, 0.1376113, 0.4026137]),
                    relative: 1e-4, absolute: 1e-6,
                    "lastAttentionWeights: [B, H, T, T], each head's weights, as PyTorch returns "
                    + "them with average_attn_weights=False")
        y.backward(gradient: grid([2, 3, 4]) { cos(Double($0) * 0.45) })
        assertClose(x.grad ?? Tensor([.nan]), Tensor(shape: [2, 3, 4], data: [
            0.0144497, 0.0641723, 0.1052094, 0.1320070, -0.0348908, -0.1152005, -0.1799184,
            -0.2202851, -0.0311532, -0.0494070, -0.0609737, -0.0642879,
            -0.0259396, 0.0259384, 0.0743058, 0.1126163, 0.0537322, 0.0363737, 0.0140922,
            -0.0100966, -0.0211454, -0.0594903, -0.0897835, -0.1079250]), relative: 1e-4,
                    absolute: 1e-6, "the input's gradient, as PyTorch computes it")
        // in_proj_weight.grad, rows 0–3 (query), 4–7 (key), 8–11 (value); ours is transposed.
        let inProjection = Tensor([
            [-0.0009032, -0.0020893, -0.0019168, -0.0004980],
            [0.0148658, 0.0164697, 0.0073642, -0.0065299],
            [0.0100134, 0.0090546, 0.0022080, -0.0060743],
            [-0.0666277, -0.1123432, -0.0850077, -0.0023961],
            [0.0048464, 0.0027862, -0.0010857, -0.0042516],
            [0.0143276, 0.0162483, 0.0076035, -0.0059855],
            [-0.0035794, -0.0178560, -0.0205218, -0.0098433],
            [-0.0452905, -0.0953854, -0.0834561, -0.0172596],
            [0.0645492, 0.1906508, 0.1927820, 0.0695570],
            [0.0635484, 0.1211608, 0.0999885, 0.0137989],
            [0.0404276, 0.0101229, -0.0267642, -0.0462479],
            [0.0055459, -0.1008558, -0.1416762, -0.0903718]])
        let inBias: [Float] = [-0.0124818, -0.0117568, -0.0107162, 0.1472358, 0, 0, 0, 0,
                               -0.0874319, 0.0152003, 0.1123497, 0.1689741]
        let projections = [("query", attention.queryProjection), ("key", attention.keyProjection),
                           ("value", attention.valueProjection)]
        for (index, (name, layer)) in projections.enumerated() {
            let rows = Tensor(shape: [4, 4],
                              data: Array(inProjection.data[(index * 16)..<(index * 16 + 16)]))
            assertClose(layer.weight.grad ?? Tensor([[.nan]]), rows.transposed(),
                        relative: 1e-4, absolute: 1e-6,
                        "the \(name) projection's weight gradient, as PyTorch computes it")
            assertClose(layer.bias?.grad ?? Tensor([.nan]),
                        Tensor(Array(inBias[(index * 4)..<(index * 4 + 4)])),
                        relative: 1e-4, absolute: 1e-6,
                        "the \(name) projection's bias gradient, as PyTorch computes it"
                        + (name == "key" ? " (0: adding one number to every score of a row "
                           + "does not change its softmax)" : ""))
        }
        assertClose(attention.outputProjection.weight.grad ?? Tensor([[.nan]]), Tensor([
            [-0.2361099, 0.7352570, 0.3518034, -0.6751085],
            [-0.1637173, 0.7967546, 0.2986041, -0.6941057],
            [-0.0587276, 0.6996137, 0.1859511, -0.5749026],
            [0.0579551, 0.4631755, 0.0362741, -0.3412329]]).transposed(),
                    relative: 1e-4, absolute: 1e-6,
                    "the output projection's weight gradient, as PyTorch computes it")
        assertClose(attention.outputProjection.bias?.grad ?? Tensor([.nan]),
                    Tensor([0.2079535, -0.2322075, -0.6261348, -0.8953948]), relative: 1e-4,
                    "the output projection's bias gradient, as PyTorch computes it")
    }

    func test_unit_multiHeadAttention_moduleAndCrossAttention() {
        var generator = SeededGenerator(seed: 5)
        let attention = MultiHeadAttention(dimension: 6, headCount: 3, using: &generator)
        XCTAssertEqual(attention.headSize, 2, "6 numbers in 3 heads: 2 each")
        XCTAssertEqual(attention.parameters().count, 8,
                       "four Linear layers, each with a weight and a bias")
        XCTAssertTrue(attention.parameters()[0] === attention.queryProjection.weight,
                      "the query projection comes first (stored first)")
        XCTAssertNil(attention.lastAttentionWeights, "no weights before the first call")
        // The projections are drawn as Linear draws them, in the order query, key, value, out.
        var same = SeededGenerator(seed: 5)
        let first = Linear(inputSize: 6, outputSize: 6, using: &same)
        assertClose(attention.queryProjection.weight, first.weight, absolute: 0,
                    "the query projection is the first Linear drawn from the generator")
        let second = Linear(inputSize: 6, outputSize: 6, using: &same)
        assertClose(attention.keyProjection.weight, second.weight, absolute: 0,
                    "the key projection is the second")

        // Self-attention: [B, T, D] → [B, T, D]; the weights kept are a copy without a graph.
        let x = grid([2, 4, 6]) { sin(Double($0) * 0.3) }
        x.requiresGrad = true
        let y = attention(x)
        assertShape(y, [2, 4, 6], "self-attention keeps the shape")
        let kept = attention.lastAttentionWeights
        assertShape(kept ?? Tensor([.nan]), [2, 3, 4, 4], "[B, H, T, T] weights are kept")
        XCTAssertNil(kept?.recording, "the kept weights record nothing (no graph kept alive)")
        XCTAssertEqual(kept?[0, 1, 0, 1], 0, "causal: query 0 gives key 1 weight 0")
        attention.isCausal = false
        _ = attention(x)
        XCTAssertGreaterThan(attention.lastAttentionWeights?[0, 1, 0, 1] ?? 0, 0,
                             "isCausal = false: every query sees every key")
        attention.isCausal = true

        // Cross-attention: 2 queries over 5 keys of another sequence.
        let memory = grid([2, 5, 6]) { cos(Double($0) * 0.2) }
        let cross = attention(query: grid([2, 2, 6]) { sin(Double($0)) }, key: memory,
                              value: memory, mask: nil)
        assertShape(cross, [2, 2, 6], "2 queries over 5 keys: [2, 2, 6]")
        assertShape(attention.lastAttentionWeights ?? Tensor([.nan]), [2, 3, 2, 5],
                    "their weights are [B, H, 2, 5]")

        // Finite differences through everything: the input and all eight parameters.
        let parameters = attention.parameters()
        let outputWeights = grid([2, 4, 6]) { cos(Double($0)) }
        gradCheck({ inputs in attention(inputs[0]) * outputWeights },
                  inputs: [grid([2, 4, 6]) { sin(Double($0) * 0.7) }] + parameters,
                  "MultiHeadAttention (causal), the input and every parameter")
    }

    // MARK: - Everything together

    func test_module() {
        // A causal language model in miniature: tokens → embeddings + positions → multi-head
        // attention → a linear head over the vocabulary.
        var generator = SeededGenerator(seed: 11)
        let (vocabularySize, dimension, length) = (5, 16, 6)
        let tokens = Embedding(vocabularySize: vocabularySize, dimension: dimension,
                               standardDeviation: 0.5, using: &generator)
        let positions = PositionalEmbedding(maxLength: length, dimension: dimension,
                                            standardDeviation: 0.5, using: &generator)
        let attention = MultiHeadAttention(dimension: dimension, headCount: 2, using: &generator)
        let head = Linear(inputSize: dimension, outputSize: vocabularySize, using: &generator)
        func logits(_ batch: TokenBatch) -> Tensor {
            head(attention(positions(tokens(batch))))
        }

        // 1. No peeking: changing the last token changes no earlier position's output.
        let original = TokenBatch(sequences: [[0, 1, 2, 3, 4, 0]])
        let changed = TokenBatch(sequences: [[0, 1, 2, 3, 4, 3]])
        let before = GradientMode.withoutGradients { logits(original) }
        let after = GradientMode.withoutGradients { logits(changed) }
        assertClose(Tensor(shape: [5, vocabularySize], data: Array(after.data[0..<25])),
                    Tensor(shape: [5, vocabularySize], data: Array(before.data[0..<25])),
                    "with the causal mask, positions 0–4 cannot see token 5: their logits must "
                    + "not change when it does")
        XCTAssertNotEqual(Array(after.data[25...]), Array(before.data[25...]),
                          "position 5 sees itself, so its logits do change")

        // 2. It learns a task only attention can solve: predict the token before this one.
        var sequences: [[Int]] = []
        for _ in 0..<8 {
            sequences.append((0..<length).map { _ in generator.nextInt(below: vocabularySize) })
        }
        let inputs = TokenBatch(sequences: sequences)
        let targets = sequences.flatMap { [$0[0]] + $0.dropLast() }   // position 0: itself
        let parameters = tokens.parameters() + positions.parameters() + attention.parameters()
            + head.parameters()
        func loss() -> Tensor {
            crossEntropy(logits: logits(inputs).reshaped(to: [8 * length, vocabularySize]),
                         targets: targets)
        }
        let start = GradientMode.withoutGradients { loss() }.scalar
        for _ in 0..<150 {
            for parameter in parameters { parameter.zeroGrad() }
            loss().backward()
            for parameter in parameters {
                parameter.data = zip(parameter.data, parameter.grad!.data).map { $0 - 0.5 * $1 }
            }
        }
        let end = GradientMode.withoutGradients { loss() }.scalar
        XCTAssertGreaterThan(start, 1.2, "untrained, the loss is near ln 5 = 1.61")
        XCTAssertLessThan(end, 0.1 * start,
                          "150 steps of gradient descent should teach the model to copy the "
                          + "previous token (loss \(start) → \(end)): attention must look one "
                          + "position back, which only the positions tell it how to do")
    }

    // MARK: - Helpers

    /// A tensor of `shape` whose element at flat row-major index `n` is `value(n)`, rounded to
    /// Float: the `grid` of the Python in the comments.
    private func grid(_ shape: [Int], _ value: (Int) -> Double) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { Float(value($0)) })
    }
}
