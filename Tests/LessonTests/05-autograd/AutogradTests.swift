// Lesson 05: Autograd. The tests follow the lesson's files in order: Differentiable.swift,
// Backward.swift, Unbroadcast.swift, then the gradients — ArithmeticGradients.swift,
// ShapeGradients.swift, ReductionGradients.swift, ActivationGradients.swift, LossGradients.swift —
// and last a two-layer network trained for one step (`test_module`).
//
// The tests of backward() use small test-only operations (at the bottom of this file), each with
// its own gradient, so that they check the engine before you have written any gradient yourself.
//
// Every gradient is checked against finite differences by `gradCheck` (GradCheck.swift, next to
// this file, explains the method and the tolerance: relative 1e-2, absolute 1e-3). The key ones
// are also compared with PyTorch 2.13.0 (CPU, float32): the Python and its output are in the
// comment beside the numbers, after
//
//   import torch, torch.nn.functional as F
//   t = lambda x: torch.tensor(x, dtype=torch.float32, requires_grad=True)
//
// Those comparisons use relative 1e-4, absolute 1e-6: the same arithmetic in a different order.

import XCTest
import TinyTorchTensor
import TinyTorchActivations
import TinyTorchLayers
import TinyTorchLosses
import TinyTorchAutograd

final class AutogradTests: LessonTestCase {

    // MARK: - Differentiable.swift

    func test_unit_differentiable_findsConformanceOrNamesTheOperation() {
        do {
            let operation = try differentiable(AddOp())
            XCTAssertTrue(operation is AddOp,
                          "differentiable(AddOp()) should return the AddOp itself, as an "
                          + "`any Differentiable`, got \(type(of: operation))")
            let scale = try differentiable(ScaleOp(factor: 2))
            XCTAssertEqual((scale as? ScaleOp)?.factor, 2,
                           "differentiable(_:) should return the very operation value it was "
                           + "given, with its stored properties")
        } catch {
            XCTFail("AddOp conforms to Differentiable, so differentiable(AddOp()) must not throw; "
                    + "it threw: \(error)")
        }

        do {
            let operation = try differentiable(MysteryOp())
            XCTFail("MysteryOp has no Differentiable conformance, so differentiable(_:) should "
                    + "throw a GradientError, but it returned \(type(of: operation))")
        } catch let error as GradientError {
            XCTAssertTrue(error.message.contains("no gradient for operation 'mystery'"),
                          "the message should name the operation by its `name`, as in \"no "
                          + "gradient for operation 'mystery' — …\"; it says: \"\(error.message)\"")
            XCTAssertTrue(error.message.contains("Differentiable"),
                          "the message should say what to do (add a Differentiable conformance); "
                          + "it says: \"\(error.message)\"")
        } catch {
            XCTFail("differentiable(_:) should throw a GradientError, got \(type(of: error)): "
                    + "\(error)")
        }
    }

    // MARK: - Backward.swift: the order of the walk

    func test_unit_topologicalOrder_diamondListsEachTensorOnce() {
        // a ── scale ×2 ── b ──┐
        //  └── scale ×3 ── c ──┴── plus ── d          a is used twice, but listed once.
        let a = leaf([1, 2])
        let b = scale(a, by: 2)
        let c = scale(a, by: 3)
        let d = plus(b, c)
        let order = topologicalOrder(from: d)
        XCTAssertEqual(order.count, 4, "the diamond a → b, a → c, (b, c) → d has 4 tensors; "
                       + "each must be listed once (compare with ObjectIdentifier or ===)")
        XCTAssertTrue(order.first === a, "a was computed from nothing: it must come first")
        XCTAssertTrue(order.last === d, "the root d must come last")
        XCTAssertTrue(order.contains { $0 === b } && order.contains { $0 === c },
                      "b and c must both be listed")
        assertTopological(order, root: d, "the diamond")

        // A bigger graph from lesson 01's operations: a used three times, constants included.
        let w = leaf([0.5, -1])
        let e = ((a * w + a) * (a - w)).sum()
        assertTopological(topologicalOrder(from: e), root: e, "((a * w + a) * (a - w)).sum()")

        // A tensor computed from nothing is its own whole graph.
        let alone = topologicalOrder(from: a)
        XCTAssertTrue(alone.count == 1 && alone[0] === a,
                      "the order from a tensor with no recording is just that tensor")
    }

    func test_unit_topologicalOrder_handlesDeepGraphs() {
        // A graph as deep as a loop is long: x → ×1 → ×1 → … 20 000 times. A recursive walk
        // needs one call frame per level (at least ~50 bytes, a few hundred in a debug build) and
        // overflows this test's 512 KiB stack, as 100 000 levels would overflow a program's
        // 8 MiB; a loop with an explicit stack of its own does not.
        Self.onThread(stackSize: 512 << 10) { self.walkAChain(depth: 20_000) }
    }

    private func walkAChain(depth: Int) {
        let x = leaf([1])
        var root = x
        for _ in 0..<depth {
            root = scale(root, by: 1)
        }
        var order = topologicalOrder(from: root)
        XCTAssertEqual(order.count, depth + 1,
                       "a chain of \(depth) operations holds \(depth + 1) tensors")
        XCTAssertTrue(order.first === x && order.last === root,
                      "the chain's start must come first and its end last")
        order = []

        root.backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([1]), absolute: 0,
                    "backward() through \(depth) operations of ×1 should give x.grad = [1]")
        // When `root` goes, the whole chain is freed: Tensor's deinit (given in lesson 01) takes
        // it apart link by link, where Swift alone would free it recursively and crash.
    }

    // MARK: - Backward.swift: backward(), accumulation, zeroGrad

    func test_unit_backward_appliesChainRuleFromTheSeed() {
        // L = total(scale(x, 3)) = 3 · (x₀ + x₁ + x₂):  ∂L/∂xᵢ = 3.
        let x = leaf([1, 2, 3])
        let y = scale(x, by: 3)
        let loss = total(y)
        loss.backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([3, 3, 3]), absolute: 0,
                    "L = sum(3 · x): backward() seeds ∂L/∂L = 1 and each step multiplies by the "
                    + "local derivative, so x.grad = 3 everywhere")

        // Two steps: ∂L/∂x = (−4) · 2 = −8, the chain rule multiplying local derivatives.
        let z = leaf([5, 6])
        total(scale(scale(z, by: 2), by: -4)).backward()
        assertClose(z.grad ?? Tensor([.nan]), Tensor([-8, -8]), absolute: 0,
                    "L = sum(−4 · (2 · z)): the local derivatives multiply, 2 · (−4) = −8")

        // An explicit seed for a tensor that is not a scalar: ∂L/∂y given, ∂L/∂x = 2 · seed.
        let m = leaf2([[1, 2], [3, 4]])
        scale(m, by: 2).backward(gradient: Tensor([[1, 0], [-1, 0.5]]))
        assertClose(m.grad ?? Tensor([[.nan]]), Tensor([[2, 0], [-2, 1]]), absolute: 0,
                    "y = 2 · m seeded with ∂L/∂y = [[1, 0], [−1, 0.5]] should give "
                    + "m.grad = 2 · seed")
        XCTAssertEqual(m.grad?.shape, [2, 2], "a gradient has the shape of its tensor")
    }

    func test_unit_backward_accumulatesOverUsesAndCalls() {
        // x used twice: L = total(plus(x, x)) = 2 · Σx, so ∂L/∂x = 1 + 1 = 2 — the contributions
        // of both uses add up.
        let x = leaf([1, -2])
        total(plus(x, x)).backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([2, 2]), absolute: 0,
                    "x used twice (plus(x, x)): each use sends 1, and the two must be added")

        // L = Σ x · x: ∂L/∂x = x + x = 2x. Both inputs of the product are x.
        let v = leaf([3, -0.5])
        total(times(v, v)).backward()
        assertClose(v.grad ?? Tensor([.nan]), Tensor([6, -1]), absolute: 0,
                    "L = Σ v·v: the gradient through each input is v, so v.grad = 2v")

        // A second backward() adds to the first: grad += 5.
        total(scale(x, by: 5)).backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([7, 7]), absolute: 0,
                    "backward() must add to an existing grad (2 + 5 = 7), not replace it: "
                    + "gradients accumulate until zeroGrad()")

        // zeroGrad() forgets it; the next backward() starts afresh.
        x.zeroGrad()
        XCTAssertNil(x.grad, "zeroGrad() should set grad to nil")
        total(scale(x, by: 5)).backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([5, 5]), absolute: 0,
                    "after zeroGrad(), backward() should store its gradient as it is")

        // plus(a, b) hands the very same gradient tensor to both inputs. Each must still get its
        // own grad tensor: changing one in place (gradient clipping does) must not change the
        // other.
        let a = leaf([1, 1])
        let b = leaf([1, 1])
        total(plus(a, b)).backward()
        XCTAssertFalse(a.grad === b.grad,
                       "two tensors must never share one grad object: store a new tensor "
                       + "(Tensor(shape: g.shape, data: g.data)) the first time")
        a.grad?.data[0] = 100
        assertClose(b.grad ?? Tensor([.nan]), Tensor([1, 1]), absolute: 0,
                    "changing a.grad in place must leave b.grad alone")
    }

    func test_unit_backward_onlyLeavesThatRequireGradGetOne() {
        // L = total(times(x, c)), with c a constant: ∂L/∂x = c.
        let x = leaf([2, 3])
        let c = Tensor([4, -1])  // requiresGrad is false
        let product = times(x, c)
        let loss = total(product)
        loss.backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([4, -1]), absolute: 0,
                    "L = Σ x·c: x.grad should be c")
        XCTAssertNil(c.grad, "c does not require a gradient, so it must get none")
        XCTAssertNil(product.grad,
                     "intermediate tensors keep no grad (as in PyTorch): only leaves that "
                     + "require a gradient store one")
        XCTAssertNil(loss.grad, "the root is not a leaf: it keeps no grad either")
    }

    func test_unit_backward_recordsNothing() {
        // times' backward uses lesson 01's `*`, which records whenever an input requires a
        // gradient — unless recording is switched off, as it must be during backward().
        let x = leaf([1, 2])
        let w = leaf([3, 4])
        total(times(x, w)).backward()
        assertClose(x.grad ?? Tensor([.nan]), Tensor([3, 4]), absolute: 0, "∂(Σ x·w)/∂x = w")
        assertClose(w.grad ?? Tensor([.nan]), Tensor([1, 2]), absolute: 0, "∂(Σ x·w)/∂w = x")
        XCTAssertNil(x.grad?.recording,
                     "a gradient must not record a graph: run the backward pass inside "
                     + "GradientMode.withoutGradients { … }")
        XCTAssertFalse(x.grad?.requiresGrad ?? true,
                       "a gradient must not require a gradient itself")
        XCTAssertTrue(GradientMode.isEnabled,
                      "recording must be on again once backward() has returned")
    }

    func test_unit_withoutGradients_evaluationRecordsNothing() {
        // Evaluating a model needs no graph: inside withoutGradients nothing is recorded.
        let w = leaf([1, 2])
        let evaluated = GradientMode.withoutGradients { total(scale(w, by: 3)) }
        XCTAssertNil(evaluated.recording, "inside withoutGradients nothing may be recorded")
        XCTAssertFalse(evaluated.requiresGrad,
                       "a result computed without gradients does not require one")
        let layerOutput = GradientMode.withoutGradients {
            relu(Tensor([[1, -1]]).matmul(w.reshaped(to: [2, 1])))
        }
        XCTAssertNil(layerOutput.recording, "lesson 01–02 operations record nothing there either")

        // Training and evaluating alternate: evaluating in between must not touch the gradients.
        total(scale(w, by: 3)).backward()
        _ = GradientMode.withoutGradients { total(scale(w, by: 10)) }
        assertClose(w.grad ?? Tensor([.nan]), Tensor([3, 3]), absolute: 0,
                    "w.grad after one backward() of Σ 3w, with an evaluation in between")
    }

    // MARK: - Unbroadcast.swift

    func test_unit_stretchedAxes_findsBroadcastAxes() {
        XCTAssertEqual(try stretchedAxes(of: [3], in: [2, 3]), [0],
                       "[3] broadcast to [2, 3] gained axis 0 on the left")
        XCTAssertEqual(try stretchedAxes(of: [2, 1], in: [2, 3]), [1],
                       "[2, 1] broadcast to [2, 3] stretched its size-1 axis 1")
        XCTAssertEqual(try stretchedAxes(of: [2, 1], in: [4, 2, 3]), [0, 2],
                       "[2, 1] broadcast to [4, 2, 3]: a new axis 0, and axis 2 stretched from 1")
        XCTAssertEqual(try stretchedAxes(of: [], in: [2, 3]), [0, 1],
                       "a scalar broadcast to [2, 3] was stretched along both axes")
        XCTAssertEqual(try stretchedAxes(of: [1, 3], in: [1, 3]), [],
                       "equal shapes: nothing was stretched (a size-1 axis that stays 1 is not)")
        XCTAssertEqual(try stretchedAxes(of: [1], in: [2, 1]), [0],
                       "[1] in [2, 1]: axis 0 is new; axis 1 stays size 1, not stretched")
        assertShapeError(try stretchedAxes(of: [4], in: [2, 3]), mentions: ["[4]", "[2, 3]"],
                         "[4] does not broadcast to [2, 3]: a gradient of shape [2, 3] cannot be "
                         + "summed to [4]")
        assertShapeError(try stretchedAxes(of: [2, 3], in: [3]), mentions: ["[2, 3]", "[3]"],
                         "[2, 3] is bigger than [3]: summing cannot make a tensor grow")
    }

    func test_unit_summed_undoesBroadcast() {
        let g = Tensor([[1, 2, 3], [4, 5, 6]])
        assertClose(g.summed(toShape: [3]), Tensor([5, 7, 9]), absolute: 0,
                    "[2, 3] summed to [3]: add the rows (axis 0)")
        assertClose(g.summed(toShape: [2, 1]), Tensor([[6], [15]]), absolute: 0,
                    "[2, 3] summed to [2, 1]: add along axis 1, keeping it with size 1")
        assertClose(g.summed(toShape: [1, 3]), Tensor([[5, 7, 9]]), absolute: 0,
                    "[2, 3] summed to [1, 3]: add the rows, keeping axis 0 with size 1")
        assertClose(g.summed(toShape: []), Tensor(21), absolute: 0,
                    "[2, 3] summed to a scalar []: add everything")
        assertClose(g.summed(toShape: [2, 3]), g, absolute: 0,
                    "summing to the tensor's own shape changes nothing")

        // [2, 2, 3] down to [2, 1]: a new axis 0 and axis 2 stretched — sum over both.
        let big = Tensor([[[1, 2, 3], [4, 5, 6]], [[10, 20, 30], [40, 50, 60]]])
        // row 0: (1 + 2 + 3) + (10 + 20 + 30) = 66;  row 1: (4 + 5 + 6) + (40 + 50 + 60) = 165
        assertClose(big.summed(toShape: [2, 1]), Tensor([[66], [165]]), absolute: 0,
                    "[2, 2, 3] summed to [2, 1]: over axis 0 (new) and axis 2 (stretched)")
    }

    // MARK: - ArithmeticGradients.swift

    func test_unit_arithmetic_chainRuleByHand() {
        // The lesson's worked example: L = (a·b + c)² with a = 2, b = −3, c = 10.
        //   s = a·b + c = −6 + 10 = 4,  L = s² = 16
        //   ∂L/∂s = 2s = 8
        //   ∂L/∂a = ∂L/∂s · b = 8 · (−3) = −24
        //   ∂L/∂b = ∂L/∂s · a = 8 · 2 = 16
        //   ∂L/∂c = ∂L/∂s · 1 = 8
        let a = leaf0(2)
        let b = leaf0(-3)
        let c = leaf0(10)
        let s = a * b + c
        let loss = s * s
        assertClose(loss, Tensor(16), absolute: 0, "L = (2 · (−3) + 10)² = 16")
        loss.backward()
        assertClose(a.grad ?? Tensor(.nan), Tensor(-24), absolute: 0,
                    "∂L/∂a = 2s · b = 8 · (−3): MultiplyOp sends gradient · b to a")
        assertClose(b.grad ?? Tensor(.nan), Tensor(16), absolute: 0,
                    "∂L/∂b = 2s · a = 8 · 2: MultiplyOp sends gradient · a to b")
        assertClose(c.grad ?? Tensor(.nan), Tensor(8), absolute: 0,
                    "∂L/∂c = 2s = 8: AddOp passes the gradient through unchanged")
    }

    func test_unit_addSubtract_gradCheckWithBroadcasting() {
        var generator = SeededGenerator(seed: 1)
        let a = Tensor.uniform([2, 3], in: -2...2, using: &generator)
        let b = Tensor.uniform([3], in: -2...2, using: &generator)
        let column = Tensor.uniform([2, 1], in: -2...2, using: &generator)
        let row = Tensor.uniform([1, 3], in: -2...2, using: &generator)
        let weights = Tensor.uniform([2, 3], in: -1...1, using: &generator)

        gradCheck({ $0[0] + $0[1] }, inputs: [a, b], "[2, 3] + [3]")
        gradCheck({ ($0[0] + $0[1]) * weights }, inputs: [column, row],
                  "([2, 1] + [1, 3]) · weights")
        gradCheck({ $0[0] - $0[1] }, inputs: [a, b], "[2, 3] − [3]")
        gradCheck({ ($0[0] - $0[1]) * weights }, inputs: [row, column],
                  "([1, 3] − [2, 1]) · weights")
        gradCheck({ ($0[0] + 2) * weights - 3 }, inputs: [a], "(a + 2) · weights − 3")
        gradCheck({ (1 - $0[0]) * weights }, inputs: [a], "(1 − a) · weights")
        gradCheck({ $0[0] + $0[1] }, inputs: [Tensor(0.5), a], "a scalar [] + [2, 3]")
        gradCheck({ $0[0] - $0[1] }, inputs: [a, Tensor(0.5)], "[2, 3] − a scalar []")
    }

    func test_unit_multiplyDivideNegate_gradCheckWithBroadcasting() {
        var generator = SeededGenerator(seed: 2)
        let a = Tensor.uniform([2, 3], in: -2...2, using: &generator)
        let b = Tensor.uniform([3], in: -2...2, using: &generator)
        let column = Tensor.uniform([2, 1], in: -2...2, using: &generator)
        let row = Tensor.uniform([1, 3], in: -2...2, using: &generator)
        // Divisors between 0.5 and 2 in size: near 0, 1/b changes too fast for finite differences.
        let divisor = Tensor([0.5, -1.5, 2])
        let divisorColumn = Tensor([[0.8], [-1.2]])

        gradCheck({ $0[0] * $0[1] }, inputs: [a, b], "[2, 3] · [3]")
        gradCheck({ $0[0] * $0[1] }, inputs: [column, row], "[2, 1] · [1, 3]")
        gradCheck({ $0[0] * 2.5 }, inputs: [a], "[2, 3] · 2.5")
        gradCheck({ $0[0] * $0[1] }, inputs: [Tensor(-1.5), a], "a scalar [] · [2, 3]")
        gradCheck({ $0[0] / $0[1] }, inputs: [a, divisor], "[2, 3] / [3]")
        gradCheck({ $0[0] / $0[1] }, inputs: [row, divisorColumn], "[1, 3] / [2, 1]")
        gradCheck({ 3 / $0[0] }, inputs: [divisor], "3 / [3]")
        gradCheck({ -$0[0] * b }, inputs: [a], "−a · b")
    }

    func test_unit_matmul_gradCheck2DAndBatched() {
        var generator = SeededGenerator(seed: 3)
        func sample(_ shape: [Int]) -> Tensor {
            Tensor.uniform(shape, in: -1...1, using: &generator)
        }
        let a = sample([2, 3]), b = sample([3, 4]), weights = sample([2, 4])
        gradCheck({ $0[0].matmul($0[1]) * weights }, inputs: [a, b], "[2, 3] × [3, 4]")

        // Batched, with b shared by every matrix of the batch (its batch axes broadcast).
        let batch = sample([2, 2, 3]), shared = sample([3, 2]), weights3 = sample([2, 2, 2])
        gradCheck({ $0[0].matmul($0[1]) * weights3 }, inputs: [batch, shared],
                  "[2, 2, 3] × [3, 2]: b's gradient is summed over the batch")

        // Batch axes [2, 1] and [3] broadcast to [2, 3].
        let left = sample([2, 1, 2, 3]), right = sample([3, 3, 2]), weights4 = sample([2, 3, 2, 2])
        gradCheck({ $0[0].matmul($0[1]) * weights4 }, inputs: [left, right],
                  "[2, 1, 2, 3] × [3, 3, 2]: both gradients summed back to their batch shapes")

        // Data that does not require a gradient gets none. Seeded with ones, ∂L/∂w = xᵀ · ones:
        //   x = [[1, 2], [3, 4]] → xᵀ · [[1], [1]] = [[1 + 3], [2 + 4]] = [[4], [6]]
        let x = Tensor([[1, 2], [3, 4]])
        let w = leaf2([[0.5], [-1]])
        x.matmul(w).backward(gradient: Tensor([[1], [1]]))
        XCTAssertNil(x.grad, "x does not require a gradient: it must get none")
        assertClose(w.grad ?? Tensor([[.nan]]), Tensor([[4], [6]]), absolute: 0,
                    "∂(Σ x·w)/∂w = xᵀ · ones = the column sums of x")
    }

    // MARK: - ShapeGradients.swift

    func test_unit_reshapeTranspose_gradCheck() {
        var generator = SeededGenerator(seed: 4)
        func sample(_ shape: [Int]) -> Tensor {
            Tensor.uniform(shape, in: -1...1, using: &generator)
        }
        // Weights make every output element count differently, so a gradient sent to the wrong
        // element shows up (with a plain sum every gradient is 1 and any order looks right).
        // (The weights are drawn once, outside the closures: gradCheck calls them many times.)
        let x = sample([2, 3])
        let (w32, w6, w432, w243, w38) = (sample([3, 2]), sample([6]), sample([4, 3, 2]),
                                          sample([2, 4, 3]), sample([3, 8]))
        gradCheck({ $0[0].reshaped(to: [3, 2]) * w32 }, inputs: [x], "reshape [2, 3] → [3, 2]")
        gradCheck({ $0[0].reshaped(to: [-1]) * w6 }, inputs: [x], "reshape [2, 3] → [6]")
        gradCheck({ $0[0].transposed() * w32 }, inputs: [x], "transpose [2, 3] → [3, 2]")

        let cube = sample([2, 3, 4])
        gradCheck({ $0[0].transposed(0, 2) * w432 }, inputs: [cube],
                  "transposed(0, 2) of [2, 3, 4]")
        gradCheck({ $0[0].transposed(-1, -2) * w243 }, inputs: [cube],
                  "transposed(-1, -2) of [2, 3, 4]")
        gradCheck({ $0[0].transposed(0, 1).reshaped(to: [3, 8]) * w38 }, inputs: [cube],
                  "transposed(0, 1), then reshaped to [3, 8]")
    }

    // MARK: - ReductionGradients.swift

    func test_unit_sumMean_gradCheckAlongEveryAxis() {
        var generator = SeededGenerator(seed: 5)
        func sample(_ shape: [Int]) -> Tensor {
            Tensor.uniform(shape, in: -1...1, using: &generator)
        }
        let x = sample([2, 3, 4])
        gradCheck({ $0[0].sum() * 3 }, inputs: [x], "3 · x.sum()")
        gradCheck({ $0[0].mean() * 3 }, inputs: [x], "3 · x.mean(): each element counts 1/24")
        for (axis, shape) in [(0, [3, 4]), (1, [2, 4]), (2, [2, 3]), (-1, [2, 3]), (-3, [3, 4])] {
            let weights = sample(shape)
            gradCheck({ $0[0].sum(alongAxis: axis) * weights }, inputs: [x],
                      "x.sum(alongAxis: \(axis)) of [2, 3, 4]")
            gradCheck({ $0[0].mean(alongAxis: axis) * weights }, inputs: [x],
                      "x.mean(alongAxis: \(axis)) of [2, 3, 4]")
            var kept = [2, 3, 4]
            kept[axis < 0 ? axis + 3 : axis] = 1
            let keptWeights = sample(kept)
            gradCheck({ $0[0].sum(alongAxis: axis, keepingDimensions: true) * keptWeights },
                      inputs: [x], "x.sum(alongAxis: \(axis), keepingDimensions: true)")
            gradCheck({ $0[0].mean(alongAxis: axis, keepingDimensions: true) * keptWeights },
                      inputs: [x], "x.mean(alongAxis: \(axis), keepingDimensions: true)")
        }

        // By hand: mean along axis 1 of a [2, 3] with upstream gradient [3, 6] → [[1, 1, 1],
        // [2, 2, 2]]: each of the 3 elements of a row gets the row's gradient / 3.
        let m = leaf2([[1, 2, 3], [4, 5, 6]])
        m.mean(alongAxis: 1).backward(gradient: Tensor([3, 6]))
        assertClose(m.grad ?? Tensor([[.nan]]), Tensor([[1, 1, 1], [2, 2, 2]]),
                    "mean along axis 1, upstream [3, 6]: each element gets its row's gradient / 3")
    }

    func test_unit_max_gradientGoesToTheWinner() {
        // Distinct values, at least 0.1 apart: away from ties, max has a derivative.
        let x = Tensor([[0.3, -1.2, 2.5, 0.9], [1.7, 0.1, -0.4, 1.1], [-2.0, 0.6, 0.2, -0.7]])
        let weights = Tensor([0.5, -1.5, 2])
        gradCheck({ $0[0].max() * 3 }, inputs: [x], "3 · x.max()")
        gradCheck({ $0[0].max(alongAxis: 1) * weights }, inputs: [x], "x.max(alongAxis: 1)")
        gradCheck({ $0[0].max(alongAxis: -2, keepingDimensions: true) * Tensor([[1, -2, 3, 0.5]]) },
                  inputs: [x], "x.max(alongAxis: -2, keepingDimensions: true)")

        // Ties: the first of equal maxima wins (the one lesson 01's argmax recorded) and gets the
        // whole gradient. PyTorch's max(dim=1) agrees:
        //   x = t([[1., 5., 5.], [2., 2., 0.]])
        //   x.max(dim=1).values.backward(torch.tensor([10., 20.]))
        //   x.grad → [[0., 10., 0.], [20., 0., 0.]]
        let tied = leaf2([[1, 5, 5], [2, 2, 0]])
        tied.max(alongAxis: 1).backward(gradient: Tensor([10, 20]))
        assertClose(tied.grad ?? Tensor([[.nan]]), Tensor([[0, 10, 0], [20, 0, 0]]), absolute: 0,
                    "each row's gradient goes to its first maximum (argmax), the rest get 0")

        // The maximum of everything: one winner, the first 5. (PyTorch's x.max() would split the
        // gradient between the two 5s: [[0, 0.5, 0.5], [0, 0, 0]]. At a tie both are valid.)
        tied.zeroGrad()
        tied.max().backward()
        assertClose(tied.grad ?? Tensor([[.nan]]), Tensor([[0, 1, 0], [0, 0, 0]]), absolute: 0,
                    "max() of everything: the gradient goes to the recorded argmax only")
    }

    // MARK: - ActivationGradients.swift

    func test_unit_elementwiseActivations_gradCheck() {
        // Away from relu's kink at 0 by more than 2ε = 0.02.
        let x = Tensor([[-2.0, -0.5, 0.3], [1.2, -0.1, 2.5]])
        let weights = Tensor([[1, -2, 0.5], [3, 1, -1]])
        gradCheck({ relu($0[0]) * weights }, inputs: [x], "relu")
        gradCheck({ sigmoid($0[0]) * weights }, inputs: [x], "sigmoid")
        gradCheck({ tanh($0[0]) * weights }, inputs: [x], "tanh")
        gradCheck({ gelu($0[0]) * weights }, inputs: [x], "gelu")

        // F.gelu(x, approximate='tanh') with x = t([-2.0, -0.5, 0.0, 1.0, 3.0]), backward of
        // upstream [1, 2, −1, 0.5, 1]:
        //   x.grad → [-0.08609922, 0.26526022, -0.5, 0.54148203, 1.01158428]
        let g = leaf([-2.0, -0.5, 0.0, 1.0, 3.0])
        gelu(g).backward(gradient: Tensor([1, 2, -1, 0.5, 1]))
        assertClose(g.grad ?? Tensor([.nan]),
                    Tensor([-0.08609922, 0.26526022, -0.5, 0.54148203, 1.01158428]),
                    relative: 1e-4, absolute: 1e-6, "gelu's gradient should match PyTorch's")

        // Huge inputs saturate: the derivative is 1 or 0, never NaN.
        let saturated = leaf([1e6, -1e6, 50, -50])
        relu(sigmoid(tanh(gelu(saturated)))).sum().backward()
        XCTAssertTrue(saturated.grad?.data.allSatisfy { $0.isFinite } ?? false,
                      "gradients at ±1e6 and ±50 must be finite, got \(saturated.grad?.data ?? [])")
        // At ±1e20, x² overflows to ∞ while 1 − t² is 0: 0 · ∞ would be NaN.
        let huge = leaf([1e20, -1e20])
        gelu(huge).sum().backward()
        assertClose(huge.grad ?? Tensor([.nan]), Tensor([1, 0]), absolute: 1e-6,
                    "gelu's derivative at ±1e20 is 1 and 0 (when 1 − t² is 0, skip the term with x²)")

        // Dropout: the gradient is the incoming one times the same mask. A fixed mask here:
        // the layer draws a new one on every call, and finite differences need the same function.
        let mask: [Float] = [2, 0, 2, 2, 0, 0, 2, 0]
        let input = Tensor([[0.5, -1, 2, 0.25], [1, 1.5, -0.5, 3]])
        gradCheck({ x in
            Tensor(shape: x[0].shape, data: zip(x[0].data, mask).map { $0 * $1 },
                   operation: DropoutOp(mask: mask), inputs: [x[0]])
        }, inputs: [input], "dropout with the mask [2, 0, 2, 2, 0, 0, 2, 0]")

        // And through lesson 03's layer: upstream all ones, the gradient is the layer's mask.
        let dropout = Dropout(probability: 0.5, seed: 7)
        input.grad = nil
        let dropped = dropout(input)
        dropped.backward(gradient: Tensor.ones([2, 4]))
        let layerMask = (dropped.recording?.operation as? DropoutOp)?.mask ?? []
        assertClose(input.grad?.data ?? [], layerMask, absolute: 0,
                    "Dropout's gradient, upstream all ones, should be its mask (0 or 1/(1 − p))")
    }

    func test_unit_reluAndMax_nanPassesItsGradient() {
        // A NaN must reach the weights, not vanish on the way back. PyTorch:
        //   nan = float('nan')
        //   z = t([1., nan, -2., 0.]); torch.relu(z).backward(torch.tensor([5., 5., 5., 5.]))
        //   z.grad → [5., 5., 0., 0.]
        //   x = t([[1., nan, -2.], [3., 0., 5.]])
        //   x.max(dim=1).values.backward(torch.tensor([10., 20.])); x.grad
        //   → [[0., 10., 0.], [0., 0., 20.]]
        //   y = t([1., nan, -2.]); y.max().backward(); y.grad → [0., 1., 0.]
        let z = leaf([1, .nan, -2, 0])
        relu(z).backward(gradient: Tensor([5, 5, 5, 5]))
        assertClose(z.grad ?? Tensor([.nan, 0, 0, 0]), Tensor([5, 5, 0, 0]), absolute: 0,
                    "relu's gradient at [1, nan, −2, 0]: it passes where x > 0 and where x is "
                    + "NaN (x <= 0 ? 0 : g, as PyTorch), and stops at −2 and 0")

        let x = leaf2([[1, .nan, -2], [3, 0, 5]])
        x.max(alongAxis: 1).backward(gradient: Tensor([10, 20]))
        assertClose(x.grad ?? Tensor([[.nan]]), Tensor([[0, 10, 0], [0, 0, 20]]), absolute: 0,
                    "max(alongAxis: 1) of [[1, nan, −2], [3, 0, 5]]: the NaN is the maximum of "
                    + "row 0 (lesson 01's max), so its gradient goes there")
        let y = leaf([1, .nan, -2])
        y.max().backward()
        assertClose(y.grad ?? Tensor([.nan]), Tensor([0, 1, 0]), absolute: 0,
                    "max() of [1, nan, −2] is the NaN, and the gradient goes to it")
    }

    func test_unit_softmax_gradCheckAlongBothAxes() {
        var generator = SeededGenerator(seed: 6)
        let x = Tensor.uniform([3, 4], in: -2...2, using: &generator)
        let weights = Tensor.uniform([3, 4], in: -1...1, using: &generator)
        for axis in [0, 1, -1] {
            gradCheck({ softmax($0[0], alongAxis: axis) * weights }, inputs: [x],
                      "softmax along axis \(axis)")
            gradCheck({ logSoftmax($0[0], alongAxis: axis) * weights }, inputs: [x],
                      "logSoftmax along axis \(axis)")
        }
        let cube = Tensor.uniform([2, 3, 2], in: -2...2, using: &generator)
        let cubeWeights = Tensor.uniform([2, 3, 2], in: -1...1, using: &generator)
        gradCheck({ softmax($0[0], alongAxis: 1) * cubeWeights }, inputs: [cube],
                  "softmax along the middle axis of [2, 3, 2]")

        // x = t([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]]); g = torch.tensor([[1.0, -2.0, 0.5],
        //                                                               [0.0, 3.0, 1.0]])
        // F.softmax(x, dim=0).backward(g)      → x.grad [[ 0.10499363, -0.52496803, -0.03505186],
        //                                                [-0.10499357,  0.52496785,  0.03505183]]
        // F.softmax(x, dim=1).backward(g)      → [[ 0.45220858, -0.65636474,  0.20415618],
        //                                         [-0.01845239,  0.08967907, -0.07122673]]
        // F.log_softmax(x, dim=1).backward(g)  → [[ 1.11561191, -1.68573415,  0.57012218],
        //                                         [-0.06859129,  2.81354952, -2.74495816]]
        let seed = Tensor([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]])
        let cases: [(String, (Tensor) -> Tensor, [[Float]])] = [
            ("softmax along axis 0", { softmax($0, alongAxis: 0) },
             [[0.10499363, -0.52496803, -0.03505186], [-0.10499357, 0.52496785, 0.03505183]]),
            ("softmax along axis 1", { softmax($0, alongAxis: 1) },
             [[0.45220858, -0.65636474, 0.20415618], [-0.01845239, 0.08967907, -0.07122673]]),
            ("logSoftmax along axis 1", { logSoftmax($0, alongAxis: 1) },
             [[1.11561191, -1.68573415, 0.57012218], [-0.06859129, 2.81354952, -2.74495816]]),
        ]
        for (name, function, expected) in cases {
            let input = leaf2([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
            function(input).backward(gradient: seed)
            assertClose(input.grad ?? Tensor([[.nan]]), Tensor(expected), relative: 1e-4,
                        absolute: 1e-6, "the gradient of \(name) should match PyTorch's")
        }
    }

    // MARK: - LossGradients.swift

    func test_unit_losses_gradCheck() {
        var generator = SeededGenerator(seed: 8)
        let predictions = Tensor.uniform([2, 3], in: -2...2, using: &generator)
        let targets = Tensor.uniform([2, 3], in: -2...2, using: &generator)
        gradCheck({ meanSquaredError($0[0], targets) }, inputs: [predictions], "meanSquaredError")
        gradCheck({ meanSquaredError($0[0], targets) * 0.5 }, inputs: [predictions],
                  "0.5 · meanSquaredError: the incoming gradient 0.5 must be multiplied in")

        // Probabilities between 0.1 and 0.9: away from the clamp at ε and 1 − ε.
        let probabilities = Tensor([[0.2, 0.7], [0.45, 0.9], [0.1, 0.6]])
        let labels = Tensor([[1, 0], [0, 1], [0.3, 1]])
        gradCheck({ binaryCrossEntropy(probabilities: $0[0], targets: labels) },
                  inputs: [probabilities], "binaryCrossEntropy(probabilities:)")

        let logits = Tensor.uniform([3, 2], in: -3...3, using: &generator)
        gradCheck({ binaryCrossEntropy(logits: $0[0], targets: labels) }, inputs: [logits],
                  "binaryCrossEntropy(logits:)")
        gradCheck({ binaryCrossEntropy(logits: $0[0], targets: labels) * -2 }, inputs: [logits],
                  "−2 · binaryCrossEntropy(logits:)")

        let scores = Tensor.uniform([3, 4], in: -2...2, using: &generator)
        gradCheck({ crossEntropy(logits: $0[0], targets: [3, 0, 1]) }, inputs: [scores],
                  "crossEntropy")
        gradCheck({ crossEntropy(logits: $0[0], targets: [2, 2, 0]) * 3 }, inputs: [scores],
                  "3 · crossEntropy")
        // The fused loss agrees with the same loss built from smaller operations.
        let oneHot = Tensor([[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]])
        gradCheck({ (-(logSoftmax($0[0]) * oneHot).sum(alongAxis: 1)).mean() }, inputs: [scores],
                  "crossEntropy composed from logSoftmax, ×, sum and mean")
    }

    func test_unit_losses_matchPyTorchAndStayFinite() {
        // L = t([[1.5, -0.3, 0.2, 2.1], [0.0, 0.4, -1.2, 0.9], [3.0, 2.5, -0.5, 0.1]])
        // F.cross_entropy(L, torch.tensor([3, 0, 1])).backward()
        // L.grad → [[ 0.10225108,  0.01690199,  0.02786667, -0.14701973],
        //           [-0.26987296,  0.09467176,  0.01911390,  0.15608732],
        //           [ 0.19703448, -0.21382588,  0.00594992,  0.01084147]]
        // Each row is (softmax(row) − oneHot(target)) / 3: it sums to 0.
        let logits = leaf2([[1.5, -0.3, 0.2, 2.1], [0.0, 0.4, -1.2, 0.9], [3.0, 2.5, -0.5, 0.1]])
        crossEntropy(logits: logits, targets: [3, 0, 1]).backward()
        assertClose(logits.grad ?? Tensor([[.nan]]),
                    Tensor([[0.10225108, 0.01690199, 0.02786667, -0.14701973],
                            [-0.26987296, 0.09467176, 0.01911390, 0.15608732],
                            [0.19703448, -0.21382588, 0.00594992, 0.01084147]]),
                    relative: 1e-4, absolute: 1e-6,
                    "crossEntropy's gradient should be (softmax − oneHot) / batch, as PyTorch's")

        // Extreme logits: softmax rebuilt from the saved m and log Σ is e^((x − m) − log Σ) ≤ 1,
        // so nothing overflows.
        // E = t([[1000., 0., -1000.], [-1000., 0., 1000.], [-1000., -1000., -1000.]])
        // F.cross_entropy(E, torch.tensor([0, 0, 1])).backward()
        // E.grad → [[0., 0., 0.], [-0.33333334, 0., 0.33333334],
        //           [0.1111111, -0.22222224, 0.1111111]]
        let extreme = leaf2([[1000, 0, -1000], [-1000, 0, 1000], [-1000, -1000, -1000]])
        crossEntropy(logits: extreme, targets: [0, 0, 1]).backward()
        assertClose(extreme.grad ?? Tensor([[.nan]]),
                    Tensor([[0, 0, 0], [-0.33333334, 0, 0.33333334],
                            [0.1111111, -0.22222224, 0.1111111]]),
                    relative: 1e-4, absolute: 1e-6,
                    "crossEntropy at logits ±1000 must give finite gradients: rebuild softmax as "
                    + "exp((x − maxima[row]) − logSumsOfExps[row]), never exp(x) / Σ exp")

        // Z = t([100., -100., 1000., -1000.])
        // F.binary_cross_entropy_with_logits(Z, torch.tensor([1., 1., 0., 0.])).backward()
        // Z.grad → [0., -0.25, 0.25, 0.]            ((σ(x) − t) / 4)
        let z = leaf([100, -100, 1000, -1000])
        binaryCrossEntropy(logits: z, targets: Tensor([1, 1, 0, 0])).backward()
        assertClose(z.grad ?? Tensor([.nan]), Tensor([0, -0.25, 0.25, 0]), absolute: 1e-6,
                    "binaryCrossEntropy(logits:) at ±100 and ±1000: (σ(x) − t) / n, computed "
                    + "with a sigmoid that never overflows")

        // P = t([0.8, 0.4, 0.3]); F.binary_cross_entropy(P, torch.tensor([1., 0., 0.5])).backward()
        // P.grad → [-0.41666666, 0.55555552, -0.31746027]        ((p − t) / (p (1 − p)) / 3)
        let p = leaf([0.8, 0.4, 0.3])
        binaryCrossEntropy(probabilities: p, targets: Tensor([1, 0, 0.5])).backward()
        assertClose(p.grad ?? Tensor([.nan]), Tensor([-0.41666666, 0.55555552, -0.31746027]),
                    relative: 1e-4, absolute: 1e-6,
                    "binaryCrossEntropy(probabilities:)'s gradient should match PyTorch's")

        // p = 0 with target 1 is clamped to ε = 1e-7: a huge gradient, but a finite one.
        let zero = leaf([0])
        binaryCrossEntropy(probabilities: zero, targets: Tensor([1])).backward()
        XCTAssertTrue(zero.grad?.data.allSatisfy { $0.isFinite && $0 < 0 } ?? false,
                      "p = 0, target 1: the gradient must be finite and negative (raise p), "
                      + "using p clamped to ε — got \(zero.grad?.data ?? [])")

        // M = t([[0.5, -1.2, 3.0], [2.2, 0.0, -0.7]])
        // F.mse_loss(M, torch.tensor([[1.0, -1.0, 2.5], [2.0, 0.5, -1.0]])).backward()
        // M.grad → [[-0.16666667, -0.06666669, 0.16666667], [0.06666669, -0.16666667, 0.10000001]]
        let m = leaf2([[0.5, -1.2, 3.0], [2.2, 0.0, -0.7]])
        meanSquaredError(m, Tensor([[1.0, -1.0, 2.5], [2.0, 0.5, -1.0]])).backward()
        assertClose(m.grad ?? Tensor([[.nan]]),
                    Tensor([[-0.16666667, -0.06666669, 0.16666667],
                            [0.06666669, -0.16666667, 0.10000001]]),
                    relative: 1e-4, absolute: 1e-6,
                    "meanSquaredError's gradient 2 (p − t) / n should match PyTorch's")
    }

    func test_unit_crossEntropy_gradientExactFarFromZero() {
        // Logits far from 0: the softmax must be rebuilt as e^((x − m) − log Σ), from the two
        // numbers lesson 04 saved; e^(x − (m + log Σ)) rounds log Σ against a large m.
        // for rows, tg in [([[1e30, 1e30, -1e30]], [2]), ([[10000., 10000.]], [0])]:
        //     L = t(rows); F.cross_entropy(L, torch.tensor(tg)).backward(); L.grad
        //   → [[0.5, 0.5, -1.0]], [[-0.5, 0.5]]
        for (row, target, expected) in [([Float(1e30), 1e30, -1e30], 2, [Float(0.5), 0.5, -1]),
                                        ([10000, 10000], 0, [-0.5, 0.5])] {
            let huge = leaf2([row])
            crossEntropy(logits: huge, targets: [target]).backward()
            assertClose(huge.grad ?? Tensor([[.nan]]), Tensor([expected]), relative: 1e-6,
                        absolute: 0,
                        "crossEntropy's gradient at logits \(row), target \(target): the "
                        + "softmax is e^((x − m) − log Σ) with the saved maxima and "
                        + "logSumsOfExps, the brackets as written — e^(x − (m + log Σ)) loses "
                        + "log Σ against a large m")
        }
        // Ordinary logits around 10,000 (all exact in a Float):
        // L = t([[10000.5, 9999.25, 10001.75, 10000.0, 9998.625],
        //        [10002.0, 10002.0, 9999.5, 10000.375, 10001.0],
        //        [9997.75, 10000.125, 10000.25, 9999.0, 10000.875]])
        // F.cross_entropy(L, torch.tensor([2, 0, 4])).backward(); L.grad
        //   → [[ 0.060203966,  0.017248726, -0.123200856,  0.03651555 ,  0.009232577],
        //      [-0.20739871 ,  0.12593463 ,  0.010337343,  0.024797997,  0.04632876 ],
        //      [ 0.006642257,  0.071411   ,  0.080919266,  0.023183756, -0.18215626 ]]
        // (The same in float64 agrees to 2e-7; rebuilt from one log-sum-exp per row, the
        // softmax is up to 8e-4 off.)
        let offset = leaf2([[10000.5, 9999.25, 10001.75, 10000.0, 9998.625],
                            [10002.0, 10002.0, 9999.5, 10000.375, 10001.0],
                            [9997.75, 10000.125, 10000.25, 9999.0, 10000.875]])
        crossEntropy(logits: offset, targets: [2, 0, 4]).backward()
        assertClose(offset.grad ?? Tensor([[.nan]]),
                    Tensor([[0.060203966, 0.017248726, -0.123200856, 0.03651555, 0.009232577],
                            [-0.20739871, 0.12593463, 0.010337343, 0.024797997, 0.04632876],
                            [0.006642257, 0.071411, 0.080919266, 0.023183756, -0.18215626]]),
                    relative: 1e-5, absolute: 1e-7,
                    "crossEntropy's gradient at logits near 10,000 should match PyTorch's: "
                    + "e^((x − m) − log Σ), with m and log Σ kept apart")
    }

    func test_unit_mlpLayer_matchesPyTorch() {
        // One layer, relu(x @ w + b), scored with cross-entropy:
        //   x = t([[1.0, -2.0, 0.5, 3.0], [0.0, 1.5, -1.0, 2.0], [-0.5, 0.3, 2.0, -1.0]])
        //   w = t([[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.6], [0.1, -0.1, 0.4]])
        //   b = t([0.1, -0.2, 0.05])
        //   loss = F.cross_entropy(F.relu(x @ w + b), torch.tensor([2, 0, 1])); loss.backward()
        //   loss   → 0.354493111371994
        //   w.grad → [[ 0.00000000,  0.05679331, -0.10669962],
        //             [-0.17072347, -0.03407599,  0.15957086],
        //             [ 0.11381565, -0.22717325,  0.11966996],
        //             [-0.22763130,  0.11358663, -0.28165001]]
        //   b.grad → [-0.11381565, -0.11358663, 0.00864690]
        //   x.grad → [[-0.00682508,  0.01365016, -0.04095047, -0.02730031],
        //             [-0.02276313, -0.05690783,  0.03414470, -0.01138157],
        //             [ 0.05312442, -0.04945552, -0.04473069,  0.04211773]]
        let x = leaf2([[1.0, -2.0, 0.5, 3.0], [0.0, 1.5, -1.0, 2.0], [-0.5, 0.3, 2.0, -1.0]])
        let w = leaf2([[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.6], [0.1, -0.1, 0.4]])
        let b = leaf([0.1, -0.2, 0.05])
        let loss = crossEntropy(logits: relu(x.matmul(w) + b), targets: [2, 0, 1])
        assertClose(loss, Tensor(0.354493111371994), relative: 1e-5, "the forward pass")
        loss.backward()
        assertClose(w.grad ?? Tensor([[.nan]]),
                    Tensor([[0.00000000, 0.05679331, -0.10669962],
                            [-0.17072347, -0.03407599, 0.15957086],
                            [0.11381565, -0.22717325, 0.11966996],
                            [-0.22763130, 0.11358663, -0.28165001]]),
                    relative: 1e-4, absolute: 1e-6, "w.grad should match PyTorch's")
        assertClose(b.grad ?? Tensor([.nan]), Tensor([-0.11381565, -0.11358663, 0.00864690]),
                    relative: 1e-4, absolute: 1e-6,
                    "b.grad should match PyTorch's: the bias was broadcast over 3 rows, so its "
                    + "gradient is summed over them")
        assertClose(x.grad ?? Tensor([[.nan]]),
                    Tensor([[-0.00682508, 0.01365016, -0.04095047, -0.02730031],
                            [-0.02276313, -0.05690783, 0.03414470, -0.01138157],
                            [0.05312442, -0.04945552, -0.04473069, 0.04211773]]),
                    relative: 1e-4, absolute: 1e-6, "x.grad should match PyTorch's")
    }

    // MARK: - Everything together

    func test_module() {
        // A two-layer network from lesson 03 — Linear(3 → 4), ReLU, Linear(4 → 3) — scores a
        // batch of 4 with cross-entropy; backward() fills every parameter's gradient; one step
        // of gradient descent by hand lowers the loss. The same network in PyTorch (its Linear
        // stores the weight transposed, [out, in], hence the .T):
        //
        //   X = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-1.0, 0.8, 0.4],
        //                     [0.0, 1.0, 1.0]])
        //   W1 = [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.6, 0.2, -0.3], [0.2, 0.1, -0.5, 0.4]]
        //   b1 = [0.1, 0.0, -0.1, 0.2]
        //   W2 = [[0.5, -0.3, 0.2], [-0.2, 0.4, 0.1], [0.3, 0.2, -0.4], [0.1, -0.5, 0.3]]
        //   b2 = [0.0, 0.1, -0.1]
        //   l1, l2 = torch.nn.Linear(3, 4), torch.nn.Linear(4, 3)
        //   with torch.no_grad():
        //       l1.weight.copy_(t(W1).T); l1.bias.copy_(t(b1))
        //       l2.weight.copy_(t(W2).T); l2.bias.copy_(t(b2))
        //   model = torch.nn.Sequential(l1, torch.nn.ReLU(), l2)
        //   loss = F.cross_entropy(model(X), torch.tensor([0, 2, 1, 2])); loss.backward()
        //   loss → 1.0463918447494507
        //   l1.weight.grad.T → [[-0.03122663,  0.06157259,  0.19390243, -0.22468880],
        //                       [ 0.05094789, -0.04079876,  0.02585366, -0.03601331],
        //                       [-0.10225532, -0.01616972, -0.03878049, -0.01600087]]
        //   l1.bias.grad     → [-0.05526240, -0.05311327,  0.12926829, -0.07403962]
        //   l2.weight.grad.T → [[-0.08780108,  0.05876824,  0.02903280],
        //                       [ 0.09599309, -0.03204273, -0.06395037],
        //                       [ 0.09901997,  0.06545229, -0.16447228],
        //                       [-0.13278505,  0.07428769,  0.05849732]]
        //   l2.bias.grad     → [ 0.12348913,  0.06167722, -0.18516639]
        //   with torch.no_grad():
        //       for p in model.parameters(): p -= 0.5 * p.grad
        //   F.cross_entropy(model(X), torch.tensor([0, 2, 1, 2])) → 0.9195716381072998
        var generator = SeededGenerator(seed: 0)
        let first = Linear(inputSize: 3, outputSize: 4, using: &generator)
        let second = Linear(inputSize: 4, outputSize: 3, using: &generator)
        first.weight.data = [0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.3, 0.2, 0.1, -0.5, 0.4]
        first.bias!.data = [0.1, 0.0, -0.1, 0.2]
        second.weight.data = [0.5, -0.3, 0.2, -0.2, 0.4, 0.1, 0.3, 0.2, -0.4, 0.1, -0.5, 0.3]
        second.bias!.data = [0.0, 0.1, -0.1]
        let model = Sequential(first, ReLU(), second)
        let x = Tensor([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-1.0, 0.8, 0.4], [0.0, 1.0, 1.0]])
        let targets = [0, 2, 1, 2]

        let loss = crossEntropy(logits: model(x), targets: targets)
        assertClose(loss, Tensor(1.0463918447494507), relative: 1e-5,
                    "the forward pass should match PyTorch")
        loss.backward()

        let parameters = model.parameters()
        XCTAssertEqual(parameters.count, 4, "two Linear layers have 4 parameters")
        let expected: [(String, Tensor)] = [
            ("the first layer's weight",
             Tensor([[-0.03122663, 0.06157259, 0.19390243, -0.22468880],
                     [0.05094789, -0.04079876, 0.02585366, -0.03601331],
                     [-0.10225532, -0.01616972, -0.03878049, -0.01600087]])),
            ("the first layer's bias", Tensor([-0.05526240, -0.05311327, 0.12926829, -0.07403962])),
            ("the second layer's weight",
             Tensor([[-0.08780108, 0.05876824, 0.02903280],
                     [0.09599309, -0.03204273, -0.06395037],
                     [0.09901997, 0.06545229, -0.16447228],
                     [-0.13278505, 0.07428769, 0.05849732]])),
            ("the second layer's bias", Tensor([0.12348913, 0.06167722, -0.18516639])),
        ]
        for (parameter, (name, gradient)) in zip(parameters, expected) {
            guard let grad = parameter.grad else {
                XCTFail("\(name) got no gradient: every parameter of the model should have one "
                        + "after loss.backward()")
                continue
            }
            assertClose(grad, gradient, relative: 1e-4, absolute: 1e-6,
                        "the gradient of \(name) should match PyTorch's")
        }

        // One step of gradient descent: every parameter moves against its gradient.
        for parameter in parameters {
            guard let grad = parameter.grad else { continue }
            parameter.data = zip(parameter.data, grad.data).map { $0 - 0.5 * $1 }
            parameter.zeroGrad()
        }
        XCTAssertTrue(parameters.allSatisfy { $0.grad == nil },
                      "zeroGrad() on every parameter should leave no gradient behind")
        let after = GradientMode.withoutGradients {
            crossEntropy(logits: model(x), targets: targets)
        }
        assertClose(after, Tensor(0.9195716381072998), relative: 1e-4,
                    "the loss after one step of learning rate 0.5 should match PyTorch")
        XCTAssertLessThan(after.scalar, loss.scalar,
                          "one step against the gradient should lower the loss")
    }
}

// MARK: - Helpers

/// A vector that requires a gradient: a leaf of the graph, as a parameter is.
private func leaf(_ values: [Float]) -> Tensor {
    let tensor = Tensor(values)
    tensor.requiresGrad = true
    return tensor
}

/// A matrix that requires a gradient.
private func leaf2(_ rows: [[Float]]) -> Tensor {
    let tensor = Tensor(rows)
    tensor.requiresGrad = true
    return tensor
}

/// A scalar (shape []) that requires a gradient.
private func leaf0(_ value: Float) -> Tensor {
    let tensor = Tensor(value)
    tensor.requiresGrad = true
    return tensor
}

/// Checks that `order` lists every tensor reachable from `root` exactly once, each after all of
/// its recorded inputs, with `root` last.
private func assertTopological(
    _ order: [Tensor], root: Tensor, _ message: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    var position: [ObjectIdentifier: Int] = [:]
    for (index, tensor) in order.enumerated() {
        if position.updateValue(index, forKey: ObjectIdentifier(tensor)) != nil {
            XCTFail("\(message): a \(tensor.shape) tensor is listed twice — mark tensors as "
                    + "visited by ObjectIdentifier", file: file, line: line)
            return
        }
    }
    XCTAssertTrue(order.last === root, "\(message): the root must come last", file: file,
                  line: line)
    // Walk the graph independently and check every edge input → tensor.
    var stack = [root]
    var seen: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    while let tensor = stack.popLast() {
        guard let here = position[ObjectIdentifier(tensor)] else {
            XCTFail("\(message): a \(tensor.shape) tensor of the graph is missing from the order",
                    file: file, line: line)
            return
        }
        for input in tensor.recording?.inputs ?? [] {
            if let there = position[ObjectIdentifier(input)], there > here {
                XCTFail("\(message): an input (\(input.shape)) comes after the tensor made from "
                        + "it (\(tensor.shape)); every tensor must come after its inputs",
                        file: file, line: line)
                return
            }
            if seen.insert(ObjectIdentifier(input)).inserted {
                stack.append(input)
            }
        }
    }
    XCTAssertEqual(order.count, seen.count,
                   "\(message): the order should list exactly the tensors of the graph",
                   file: file, line: line)
}

// MARK: - Test-only operations
//
// Small operations with their own gradients, so that the tests of backward() check the engine
// alone. Each records itself as lesson 01's operations do.

/// `x · factor`, element-wise.
private struct ScaleOp: Differentiable {
    let factor: Float
    var name: String { "scale" }

    func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        [Tensor(shape: gradient.shape, data: gradient.data.map { $0 * factor })]
    }
}

private func scale(_ x: Tensor, by factor: Float) -> Tensor {
    Tensor(shape: x.shape, data: x.data.map { $0 * factor }, operation: ScaleOp(factor: factor),
           inputs: [x])
}

/// `a + b` for equal shapes. Its backward hands the very same gradient tensor to both inputs.
private struct PlusOp: Differentiable {
    var name: String { "plus" }

    func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        [gradient, gradient]
    }
}

private func plus(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor(shape: a.shape, data: zip(a.data, b.data).map { $0 + $1 }, operation: PlusOp(),
           inputs: [a, b])
}

/// `a · b`, element-wise, for equal shapes. Its backward uses lesson 01's `*`, which records a
/// graph if recording is on.
private struct TimesOp: Differentiable {
    var name: String { "times" }

    func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        [gradient * inputs[1], gradient * inputs[0]]
    }
}

private func times(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor(shape: a.shape, data: zip(a.data, b.data).map { $0 * $1 }, operation: TimesOp(),
           inputs: [a, b])
}

/// The sum of every element, as a scalar.
private struct TotalOp: Differentiable {
    var name: String { "total" }

    func backward(gradient: Tensor, inputs: [Tensor], output: Tensor) -> [Tensor?] {
        [Tensor(shape: inputs[0].shape,
                data: [Float](repeating: gradient.data[0], count: inputs[0].count))]
    }
}

private func total(_ x: Tensor) -> Tensor {
    Tensor(shape: [], data: [x.data.reduce(0, +)], operation: TotalOp(), inputs: [x])
}

/// An operation with no gradient.
private struct MysteryOp: TensorOperation {
    var name: String { "mystery" }
}
