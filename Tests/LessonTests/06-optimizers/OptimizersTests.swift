// Lesson 06: Optimizers. The tests follow the lesson's files in order: Optimizer.swift
// (`zeroGrad`), SGD.swift, Adam.swift (Adam, then AdamW), the learning rate an optimizer reads at
// every step, Schedules.swift, then everything together (`test_module`).
//
// In real training `loss.backward()` (lesson 05) fills each parameter's `grad`. These tests need
// no autograd: they set `grad` by hand, either to given numbers or to a derivative worked out in
// the test (of p², of the mean squared error of a line, of the Rosenbrock function).
//
// Expected values are worked out by hand in the comments, or were computed once with PyTorch
// 2.13.0 (CPU, float32); the Python and its output are beside the numbers. The snippets use
//
//   import torch
//   def run(make, p0s, steps):
//       # p0s: the starting values of each parameter; steps: for each step, one gradient per
//       # parameter (None: no gradient). Prints every parameter after each step.
//       ps = [torch.tensor(p, requires_grad=True) for p in p0s]
//       opt = make(ps)
//       for grads in steps:
//           for p, g in zip(ps, grads):
//               p.grad = None if g is None else torch.tensor(g)
//           opt.step()
//           print([p.detach().tolist() for p in ps])
//       return opt, ps
//   p0 = [1.0, -2.0, 0.5]
//   G = [[[0.5, -1.0, 2.0]], [[0.25, 0.5, -1.0]], [[-0.5, 1.5, 0.0]]]   # 3 steps, 1 parameter
//
// and the Swift tests use the same `p0` and gradients (`start` and `gradients` below).
// Tolerances follow the policy in Support/Assertions.swift: an optimizer step is a short chain of
// arithmetic, so the defaults (relative 1e-5, absolute 1e-6), except where a comment says why.

import Foundation  // pow, for the weight-decay test
import XCTest
import TinyTorchLayers
import TinyTorchOptimizers
import TinyTorchTensor

final class OptimizersTests: LessonTestCase {

    /// The starting values of the one-parameter tests (`p0` in the Python above).
    private let start: [Float] = [1.0, -2.0, 0.5]

    /// The gradient of each of three steps (`G` in the Python above). They change from step to
    /// step, so momentum and Adam's moments matter; the last element's last gradient is 0.
    private let gradients: [[Float]] = [[0.5, -1.0, 2.0], [0.25, 0.5, -1.0], [-0.5, 1.5, 0.0]]

    // MARK: - Optimizer.swift: zeroGrad

    func test_unit_zeroGrad_clearsEveryGradient() {
        let weight = Tensor([[1, 2], [3, 4]]).asParameter()
        let bias = Tensor([0.5, -0.5]).asParameter()
        let optimizers: [any Optimizer] = [
            SGD(parameters: [weight, bias], learningRate: 0.1),
            Adam(parameters: [weight, bias]),
            AdamW(parameters: [weight, bias]),
        ]
        for optimizer in optimizers {
            setGradient(weight, [0.1, 0.2, 0.3, 0.4])
            setGradient(bias, [1, 1])
            optimizer.zeroGrad()
            XCTAssertNil(weight.grad, "\(type(of: optimizer)).zeroGrad() should set every "
                         + "parameter's grad to nil (the first parameter still has one)")
            XCTAssertNil(bias.grad, "\(type(of: optimizer)).zeroGrad() should set every "
                         + "parameter's grad to nil (the second parameter still has one)")
            assertClose(weight.data, [1, 2, 3, 4], absolute: 0,
                        "zeroGrad() clears gradients; it must not change the parameters")
            assertClose(bias.data, [0.5, -0.5], absolute: 0,
                        "zeroGrad() clears gradients; it must not change the parameters")
        }
    }

    // MARK: - SGD.swift

    func test_unit_sgd_stepsAgainstTheGradient() {
        // p ← p − lr·g with lr = 0.1, by hand:
        //   step 1: [1, −2, 0.5] − 0.1·[0.5, −1, 2]      = [0.95, −1.9, 0.3]
        //   step 2: [0.95, −1.9, 0.3] − 0.1·[0.25, 0.5, −1] = [0.925, −1.95, 0.4]
        //   step 3: [0.925, −1.95, 0.4] − 0.1·[−0.5, 1.5, 0] = [0.975, −2.1, 0.4]
        // run(lambda ps: torch.optim.SGD(ps, lr=0.1), [p0], G)
        //   [[0.949999988079071, -1.899999976158142, 0.30000001192092896]]
        //   [[0.925000011920929, -1.9499999284744263, 0.4000000059604645]]
        //   [[0.9750000238418579, -2.0999999046325684, 0.4000000059604645]]
        let parameter = Tensor(start).asParameter()
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1)
        let expected: [[Float]] = [[0.95, -1.9, 0.3], [0.925, -1.95, 0.4], [0.975, -2.1, 0.4]]
        for (step, gradient) in gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            assertClose(parameter.data, expected[step],
                        "plain SGD, step \(step + 1): p − lr·g, with lr = 0.1, changed in place "
                        + "in the parameter's own data")
        }
        XCTAssertTrue(optimizer.parameters[0] === parameter,
                      "the optimizer should keep the very tensor it was given, not a copy")
    }

    func test_unit_sgd_momentumMatchesTorch() {
        // v ← μ·v + g, p ← p − lr·v, with μ = 0.9 and lr = 0.1, by hand:
        //   step 1: v = [0.5, −1, 2] (the first gradient)        p = [0.95, −1.9, 0.3]
        //   step 2: v = 0.9·v + [0.25, 0.5, −1] = [0.7, −0.4, 0.8] p = [0.88, −1.86, 0.22]
        //   step 3: v = 0.9·v + [−0.5, 1.5, 0] = [0.13, 1.14, 0.72] p = [0.867, −1.974, 0.148]
        // opt, ps = run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), [p0], G)
        //   [[0.949999988079071, -1.899999976158142, 0.30000001192092896]]
        //   [[0.8799999952316284, -1.8600000143051147, 0.2200000137090683]]
        //   [[0.8669999837875366, -1.9739999771118164, 0.14800001680850983]]
        // opt.state[ps[0]]['momentum_buffer'].tolist()
        //   [0.12999999523162842, 1.1400001049041748, 0.7199999094009399]
        let parameter = Tensor(start).asParameter()
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9)
        let expected: [[Float]] = [[0.95, -1.9, 0.3], [0.88, -1.86, 0.22],
                                   [0.867, -1.974, 0.148]]
        for (step, gradient) in gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            assertClose(parameter.data, expected[step],
                        "SGD with momentum 0.9, step \(step + 1): v = 0.9·v + g, then p − 0.1·v")
        }
        XCTAssertEqual(optimizer.velocities.count, 1, "one velocity per parameter")
        assertClose(optimizer.velocities[0], [0.13, 1.14, 0.72],
                    "the velocity after 3 steps (PyTorch's momentum_buffer)")

        // The heavy ball: with the same gradient 1 at every step, the velocity grows 1, 1.9, 2.71
        // (towards 1 / (1 − 0.9) = 10), so 3 steps move 0.1·(1 + 1.9 + 2.71) = 0.561, against
        // 3 · 0.1 = 0.3 without momentum.
        let plain = Tensor([0]).asParameter()
        let heavy = Tensor([0]).asParameter()
        let plainSGD = SGD(parameters: [plain], learningRate: 0.1)
        let heavySGD = SGD(parameters: [heavy], learningRate: 0.1, momentum: 0.9)
        for _ in 0..<3 {
            setGradient(plain, [1])
            setGradient(heavy, [1])
            plainSGD.step()
            heavySGD.step()
        }
        assertClose(plain.data, [-0.3], "3 plain steps of 0.1 against a gradient of 1")
        assertClose(heavy.data, [-0.561],
                    "with momentum, a steady gradient builds up speed: 0.1 + 0.19 + 0.271")
    }

    func test_unit_sgd_nesterovLooksAhead() {
        // Nesterov: v ← μ·v + g, then p ← p − lr·(g + μ·v). Step 1 by hand: v = g, so the step is
        // lr·(g + 0.9·g) = 0.19·g: [1, −2, 0.5] − 0.19·[0.5, −1, 2] = [0.905, −1.81, 0.12].
        // opt, ps = run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
        //               [p0], G)
        //   [[0.9049999713897705, -1.809999942779541, 0.11999999731779099]]
        //   [[0.8169999718666077, -1.8240000009536743, 0.14800000190734863]]
        //   [[0.8552999496459961, -2.0766000747680664, 0.08320001512765884]]
        // opt.state[ps[0]]['momentum_buffer'].tolist()
        //   [0.12999999523162842, 1.1400001049041748, 0.7199999094009399]   (as without Nesterov)
        let parameter = Tensor(start).asParameter()
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9,
                            nesterov: true)
        let expected: [[Float]] = [
            [0.9049999713897705, -1.809999942779541, 0.11999999731779099],
            [0.8169999718666077, -1.8240000009536743, 0.14800000190734863],
            [0.8552999496459961, -2.0766000747680664, 0.08320001512765884],
        ]
        for (step, gradient) in gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            assertClose(parameter.data, expected[step],
                        "Nesterov SGD, step \(step + 1): v = 0.9·v + g, then p − 0.1·(g + 0.9·v)")
        }
        assertClose(optimizer.velocities[0], [0.13, 1.14, 0.72],
                    "Nesterov changes the step, not the velocity: v = 0.9·v + g as before")
    }

    func test_unit_sgd_weightDecayPullsTowardsZero() {
        // With a zero gradient, weight decay alone: p ← p − lr·λ·p = p·(1 − 0.1·0.1) = 0.99·p.
        // By hand: 1 → 0.99 → 0.9801 → 0.970299, and the same factors for −2 and 0.5.
        // run(lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.1), [p0],
        //     [[[0., 0., 0.]]] * 3)
        //   [[0.9900000095367432, -1.9800000190734863, 0.4950000047683716]]
        //   [[0.9801000356674194, -1.9602000713348389, 0.4900500178337097]]
        //   [[0.9702990055084229, -1.9405980110168457, 0.4851495027542114]]
        let decaying = Tensor(start).asParameter()
        let decay = SGD(parameters: [decaying], learningRate: 0.1, weightDecay: 0.1)
        for step in 1...3 {
            setGradient(decaying, [0, 0, 0])
            decay.step()
            let factor = Float(pow(0.99, Double(step)))
            assertClose(decaying.data, start.map { $0 * factor },
                        "weight decay 0.1 with lr 0.1 and no gradient: after step \(step) every "
                        + "weight is 0.99^\(step) of what it was (d = g + λ·p, p − lr·d)")
        }

        // With momentum, the decay term λ·p goes into the velocity like the gradient does.
        // opt, ps = run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
        //               [p0], G)
        //   [[0.9399999976158142, -1.8799999952316284, 0.29499998688697815]]
        //   [[0.8515999913215637, -1.8032000064849854, 0.20754998922348022]]
        //   [[0.8135240077972412, -1.866047978401184, 0.12676949799060822]]
        // opt.state[ps[0]]['momentum_buffer'].tolist()
        //   [0.3807600438594818, 0.6284800171852112, 0.8078048825263977]
        let parameter = Tensor(start).asParameter()
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9,
                            weightDecay: 0.1)
        for gradient in gradients {
            setGradient(parameter, gradient)
            optimizer.step()
        }
        assertClose(parameter.data, [0.8135240077972412, -1.866047978401184, 0.12676949799060822],
                    "SGD with momentum 0.9 and weight decay 0.1, after 3 steps: d = g + λ·p, "
                    + "v = μ·v + d, p − lr·v (as torch.optim.SGD)")
        assertClose(optimizer.velocities[0],
                    [0.3807600438594818, 0.6284800171852112, 0.8078048825263977],
                    "the velocity after 3 steps includes the weight-decay term λ·p")
    }

    func test_unit_sgd_skipsMissingGradientsAndKeepsStatePerParameter() {
        // Two parameters; the second has no gradient at step 2 (as a weight the loss did not use).
        // opt, ps = run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
        //               [[1.0, 2.0], [3.0]],
        //               [[[0.5, -0.5], [2.0]], [[1.0, 1.0], None], [[-1.0, 0.5], [-2.0]]])
        //   [[0.949999988079071, 2.049999952316284], [2.799999952316284]]
        //   [[0.8050000071525574, 1.9950000047683716], [2.799999952316284]]
        //   [[0.7745000123977661, 1.8954999446868896], [2.819999933242798]]
        // [opt.state[p]['momentum_buffer'].tolist() for p in ps]
        //   [[0.30500006675720215, 0.9950000047683716], [-0.20000004768371582]]
        // By hand for the second: v = 2, p = 3 − 0.2 = 2.8; skipped; v = 0.9·2 − 2 = −0.2,
        // p = 2.8 + 0.02 = 2.82.
        let first = Tensor([1, 2]).asParameter()
        let second = Tensor([3]).asParameter()
        let optimizer = SGD(parameters: [first, second], learningRate: 0.1, momentum: 0.9)

        setGradient(first, [0.5, -0.5])
        setGradient(second, [2])
        optimizer.step()
        assertClose(first.data, [0.95, 2.05], "step 1, first parameter: p − 0.1·g")
        assertClose(second.data, [2.8], "step 1, second parameter: 3 − 0.1·2")

        setGradient(first, [1, 1])
        second.grad = nil
        optimizer.step()
        assertClose(first.data, [0.8050000071525574, 1.9950000047683716],
                    "step 2, first parameter: v = 0.9·v + g, p − 0.1·v")
        assertClose(second.data, [2.8], absolute: 0,
                    "step 2: the second parameter has no gradient (grad == nil), so step() must "
                    + "leave it exactly as it was — momentum does not carry it along")
        assertClose(optimizer.velocities[1], [2], absolute: 0,
                    "a parameter skipped by step() keeps its velocity unchanged")

        setGradient(first, [-1, 0.5])
        setGradient(second, [-2])
        optimizer.step()
        assertClose(first.data, [0.7745000123977661, 1.8954999446868896],
                    "step 3, first parameter (its own velocity)")
        assertClose(second.data, [2.82],
                    "step 3, second parameter: its own velocity 0.9·2 − 2 = −0.2, so 2.8 + 0.02")
        assertClose(optimizer.velocities[0], [0.30500006675720215, 0.9950000047683716],
                    "each parameter has its own velocity: the first one's after 3 steps")
        assertClose(optimizer.velocities[1], [-0.2],
                    "each parameter has its own velocity: the second one's after 2 updates")
    }

    // MARK: - Adam.swift: Adam

    func test_unit_adam_firstThreeStepsMatchTorch() {
        // opt, ps = run(lambda ps: torch.optim.Adam(ps, lr=0.01), [p0], G)
        //   [[0.9900000095367432, -1.9900000095367432, 0.49000000953674316]]
        //   [[0.9806782007217407, -1.9873366355895996, 0.4873366355895996]]
        //   [[0.9795703887939453, -1.9912304878234863, 0.48527783155441284]]
        // st = opt.state[ps[0]]; st['exp_avg'].tolist(), st['exp_avg_sq'].tolist(), st['step']
        //   [0.013000000268220901, 0.11400000005960464, 0.07199999690055847]
        //   [0.0005619378061965108, 0.0034977509640157223, 0.00499100424349308]   tensor(3.)
        let parameter = Tensor(start).asParameter()
        let optimizer = Adam(parameters: [parameter], learningRate: 0.01)
        let expected: [[Float]] = [
            [0.9900000095367432, -1.9900000095367432, 0.49000000953674316],
            [0.9806782007217407, -1.9873366355895996, 0.4873366355895996],
            [0.9795703887939453, -1.9912304878234863, 0.48527783155441284],
        ]
        for (step, gradient) in gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            assertClose(parameter.data, expected[step],
                        "Adam (lr 0.01, β₁ 0.9, β₂ 0.999, ε 1e-8), step \(step + 1): "
                        + "p − lr·m̂/(√v̂ + ε), as torch.optim.Adam")
        }
        XCTAssertEqual(optimizer.states.count, 1, "one AdamState per parameter")
        XCTAssertEqual(optimizer.states[0].stepCount, 3,
                       "stepCount (t) counts the parameter's updates: 3")
        assertClose(optimizer.states[0].firstMoment,
                    [0.013000000268220901, 0.11400000005960464, 0.07199999690055847],
                    "m after 3 steps (PyTorch's exp_avg): m = 0.9·m + 0.1·g")
        // v with relative 1e-4: β₂ = 0.999 is not exact in a Float (0.99900001), so 1 − β₂ is
        // 0.00099998713 here but 0.001 in PyTorch, which works it out from a Python double.
        // The bias correction divides by the same 1 − β₂ᵗ, so the parameters agree closely.
        assertClose(optimizer.states[0].secondMoment,
                    [0.0005619378061965108, 0.0034977509640157223, 0.00499100424349308],
                    relative: 1e-4, absolute: 0,
                    "v after 3 steps (PyTorch's exp_avg_sq): v = 0.999·v + 0.001·g²")
    }

    func test_unit_adam_biasCorrectedFirstStepIsTheLearningRate() {
        // Step 1, by hand: m = 0.1·g and v = 0.001·g²; the corrections divide them by 1 − 0.9 and
        // 1 − 0.999, so m̂ = g and v̂ = g², and the step is lr·g / (|g| + ε) ≈ lr·sign(g): every
        // weight moves by 0.01, whether its gradient is 0.001 or 100. (Without the correction it
        // would be lr·0.1·g / (√0.001·|g|) ≈ 3.16·lr.)
        // opt, ps = run(lambda ps: torch.optim.Adam(ps, lr=0.01), [[1.0, 1.0, 1.0, 1.0]],
        //               [[[1e-3, -5.0, 100.0, 0.2]]])
        //   [[0.9900001287460327, 1.0099999904632568, 0.9900000095367432, 0.9900000095367432]]
        // opt.state[ps[0]]['exp_avg'].tolist(), opt.state[ps[0]]['exp_avg_sq'].tolist()
        //   [0.00010000000474974513, -0.5, 10.0, 0.020000001415610313]
        //   [1.0000001937626735e-09, 0.02500000223517418, 10.0, 4.0000002627493814e-05]
        let parameter = Tensor([1, 1, 1, 1]).asParameter()
        let optimizer = Adam(parameters: [parameter], learningRate: 0.01)
        setGradient(parameter, [1e-3, -5, 100, 0.2])
        optimizer.step()
        assertClose(parameter.data,
                    [0.9900001287460327, 1.0099999904632568, 0.9900000095367432,
                     0.9900000095367432],
                    "Adam's first step moves every weight by about lr = 0.01 against the sign of "
                    + "its gradient (m̂ = g, v̂ = g² after the bias correction); if it moved by "
                    + "about 0.0316, the bias correction is missing")
        assertClose(optimizer.states[0].firstMoment,
                    [0.00010000000474974513, -0.5, 10.0, 0.020000001415610313],
                    "m after step 1 is (1 − β₁)·g = 0.1·g: stored uncorrected")
        assertClose(optimizer.states[0].secondMoment,
                    [1.0000001937626735e-09, 0.02500000223517418, 10.0, 4.0000002627493814e-05],
                    relative: 1e-4, absolute: 0,  // β₂ in a Float: see the test above
                    "v after step 1 is (1 − β₂)·g² = 0.001·g²: stored uncorrected")
    }

    func test_unit_adam_stateIsPerParameter() {
        // Two parameters; the second has no gradient at step 2, so it has 2 updates, not 3, and
        // its own bias correction uses t = 1, then t = 2.
        // opt, ps = run(lambda ps: torch.optim.Adam(ps, lr=0.01), [[1.0, 2.0], [3.0]],
        //               [[[0.5, -0.5], [2.0]], [[1.0, 1.0], None], [[-1.0, 0.5], [-2.0]]])
        //   [[0.9900000095367432, 2.009999990463257], [2.990000009536743]]
        //   [[0.9803481698036194, 2.0063390731811523], [2.990000009536743]]
        //   [[0.9790487885475159, 2.0011465549468994], [2.9905264377593994]]
        // [opt.state[p]['step'].item() for p in ps]                  [3.0, 2.0]
        // [opt.state[p]['exp_avg'].tolist() for p in ps]
        //   [[0.03049999661743641, 0.09949999302625656], [-0.020000005140900612]]
        // [opt.state[p]['exp_avg_sq'].tolist() for p in ps]
        //   [[0.0022485004737973213, 0.0014985003508627415], [0.007996000349521637]]
        let first = Tensor([1, 2]).asParameter()
        let second = Tensor([3]).asParameter()
        let optimizer = Adam(parameters: [first, second], learningRate: 0.01)
        let steps: [([Float], [Float]?)] = [([0.5, -0.5], [2]), ([1, 1], nil), ([-1, 0.5], [-2])]
        let expected: [([Float], [Float])] = [
            ([0.9900000095367432, 2.009999990463257], [2.990000009536743]),
            ([0.9803481698036194, 2.0063390731811523], [2.990000009536743]),
            ([0.9790487885475159, 2.0011465549468994], [2.9905264377593994]),
        ]
        for (step, (firstGradient, secondGradient)) in steps.enumerated() {
            setGradient(first, firstGradient)
            if let secondGradient {
                setGradient(second, secondGradient)
            } else {
                second.grad = nil
            }
            optimizer.step()
            assertClose(first.data, expected[step].0, "step \(step + 1), first parameter")
            assertClose(second.data, expected[step].1,
                        secondGradient == nil
                        ? "step \(step + 1): the second parameter has no gradient, so it must keep its step-1 value (if step 1 failed too, fix that first)"
                        : "step \(step + 1), second parameter (its own m, v and t)")
        }
        XCTAssertEqual(optimizer.states.map(\.stepCount), [3, 2],
                       "each parameter counts its own updates: the second was skipped once")
        assertClose(optimizer.states[0].firstMoment, [0.03049999661743641, 0.09949999302625656],
                    "m of the first parameter")
        assertClose(optimizer.states[1].firstMoment, [-0.020000005140900612],
                    "m of the second parameter: 0.9·(0.1·2) + 0.1·(−2)")
        assertClose(optimizer.states[0].secondMoment,
                    [0.0022485004737973213, 0.0014985003508627415], relative: 1e-4, absolute: 0,
                    "v of the first parameter (relative 1e-4: β₂ in a Float, see above)")
        assertClose(optimizer.states[1].secondMoment, [0.007996000349521637],
                    relative: 1e-4, absolute: 0,
                    "v of the second parameter: 0.999·(0.001·4) + 0.001·4")
    }

    func test_unit_adam_weightDecayIsAddedToTheGradient() {
        // Adam's weight decay is L2: d = g + λ·p goes into m and v.
        // run(lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1), [p0], G)
        //   [[0.9900000095367432, -1.9900000095367432, 0.49000000953674316]]
        //   [[0.980465829372406, -1.9853122234344482, 0.4870549738407135]]
        //   [[0.9772928357124329, -1.987449049949646, 0.4846411943435669]]
        let parameter = Tensor(start).asParameter()
        let optimizer = Adam(parameters: [parameter], learningRate: 0.01, weightDecay: 0.1)
        let expected: [[Float]] = [
            [0.9900000095367432, -1.9900000095367432, 0.49000000953674316],
            [0.980465829372406, -1.9853122234344482, 0.4870549738407135],
            [0.9772928357124329, -1.987449049949646, 0.4846411943435669],
        ]
        for (step, gradient) in gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            assertClose(parameter.data, expected[step],
                        "Adam with weightDecay 0.1, step \(step + 1): d = g + 0.1·p is what goes "
                        + "into m and v (torch.optim.Adam's L2 weight decay)")
        }
    }

    // MARK: - Adam.swift: AdamW

    func test_unit_adamW_decoupledWeightDecayMatchesTorch() {
        // AdamW: p ← p·(1 − lr·λ) first, then the Adam step of the plain gradient.
        // Step 1 by hand: [1, −2, 0.5]·0.999 − 0.01·sign(g) = [0.989, −1.988, 0.4895].
        // run(lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1), [p0], G)
        //   [[0.9890000224113464, -1.9880000352859497, 0.4895000159740448]]
        //   [[0.9786892533302307, -1.9833487272262573, 0.48634713888168335]]
        //   [[0.9766027927398682, -1.9852592945098877, 0.4838019907474518]]
        let parameter = Tensor(start).asParameter()
        let optimizer = AdamW(parameters: [parameter], learningRate: 0.01, weightDecay: 0.1)
        let expected: [[Float]] = [
            [0.9890000224113464, -1.9880000352859497, 0.4895000159740448],
            [0.9786892533302307, -1.9833487272262573, 0.48634713888168335],
            [0.9766027927398682, -1.9852592945098877, 0.4838019907474518],
        ]
        for (step, gradient) in gradients.enumerated() {
            setGradient(parameter, gradient)
            optimizer.step()
            assertClose(parameter.data, expected[step],
                        "AdamW with weightDecay 0.1, step \(step + 1): p·(1 − lr·λ), then the "
                        + "Adam update of g alone (as torch.optim.AdamW)")
        }
        // The same settings in Adam (L2) end elsewhere: [0.97729…, −1.98745…, 0.48464…].
        XCTAssertGreaterThan(abs(parameter.data[2] - 0.4846411943435669), 1e-4,
                             "AdamW's decay is decoupled: it must not end where Adam with L2 "
                             + "weight decay does")

        // The decay comes first, then the Adam step. p = [1], g = [1], lr 0.1, λ 0.5, by hand:
        // 1·(1 − 0.05) − 0.1 = 0.85 (decaying after the Adam step would give 0.9·0.95 = 0.855).
        // run(lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.5), [[1.0]], [[[1.0]]])
        //   [[0.8500000238418579]]
        let ordered = Tensor([1]).asParameter()
        let orderedOptimizer = AdamW(parameters: [ordered], learningRate: 0.1, weightDecay: 0.5)
        setGradient(ordered, [1])
        orderedOptimizer.step()
        assertClose(ordered.data, [0.85],
                    "AdamW multiplies p by 1 − lr·λ first, then takes the Adam step: "
                    + "1·0.95 − 0.1 (0.855 means the decay came after the Adam step)")

        // The default weight decay is 0.01, as in PyTorch.
        // run(lambda ps: torch.optim.AdamW(ps, lr=0.01), [p0], G)
        //   [[0.9898999929428101, -1.989799976348877, 0.4899500012397766]]
        //   [[0.9804791808128357, -1.9869376420974731, 0.4872376322746277]]
        //   [[0.9792733192443848, -1.9906327724456787, 0.48513010144233704]]
        let withDefault = Tensor(start).asParameter()
        let defaultOptimizer = AdamW(parameters: [withDefault], learningRate: 0.01)
        for gradient in gradients {
            setGradient(withDefault, gradient)
            defaultOptimizer.step()
        }
        assertClose(withDefault.data,
                    [0.9792733192443848, -1.9906327724456787, 0.48513010144233704],
                    "AdamW with its default weight decay 0.01, after 3 steps")
    }

    func test_unit_adamW_decayIsNotRescaledLikeL2() {
        // A zero gradient shows the difference (Loshchilov & Hutter 2019). By hand:
        //   Adam, L2 0.1:  d = 0.1·p, so m̂ = d, v̂ = d², and the step is lr·sign(p): every weight
        //                  moves by 0.01, big or small → [0.99, −1.99, 0.49]
        //   AdamW 0.1:     p·(1 − 0.01·0.1) = 0.999·p → [0.999, −1.998, 0.4995]; the Adam step of
        //                  a zero gradient is 0 / (0 + ε) = 0. Big weights shrink more.
        // run(lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1), [p0], [[[0., 0., 0.]]])
        //   [[0.9900000095367432, -1.9900000095367432, 0.49000000953674316]]
        // run(lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1), [p0], [[[0., 0., 0.]]])
        //   [[0.9990000128746033, -1.9980000257492065, 0.49950000643730164]]
        let coupled = Tensor(start).asParameter()
        let decoupled = Tensor(start).asParameter()
        let adam = Adam(parameters: [coupled], learningRate: 0.01, weightDecay: 0.1)
        let adamW = AdamW(parameters: [decoupled], learningRate: 0.01, weightDecay: 0.1)
        setGradient(coupled, [0, 0, 0])
        setGradient(decoupled, [0, 0, 0])
        adam.step()
        adamW.step()
        assertClose(coupled.data, [0.99, -1.99, 0.49],
                    "Adam's L2 term λ·p is divided by √v̂ like a gradient: each weight moves by lr")
        assertClose(decoupled.data, [0.999, -1.998, 0.4995],
                    "AdamW shrinks each weight by the factor 1 − lr·λ = 0.999, and a zero "
                    + "gradient adds no Adam step")
        XCTAssertEqual(adamW.states[0].stepCount, 1,
                       "a zero gradient is still a gradient: the step counts")
    }

    // MARK: - The learning rate is read at every step

    func test_unit_learningRate_isReadAtEveryStep() {
        // A schedule changes optimizer.learningRate between steps; the next step must use it.
        // SGD by hand: 1 − 0.1·1 = 0.9, then 0.9 − 0.01·1 = 0.89.
        let sgdParameter = Tensor([1]).asParameter()
        let sgd = SGD(parameters: [sgdParameter], learningRate: 0.1)
        setGradient(sgdParameter, [1])
        sgd.step()
        sgd.learningRate = 0.01
        setGradient(sgdParameter, [1])
        sgd.step()
        assertClose(sgdParameter.data, [0.89],
                    "after learningRate = 0.01 the next SGD step should be 0.01·g, not 0.1·g")

        // Adam with a steady gradient 1: m̂ = v̂ = 1, so each step is lr: 1 − 0.1 − 0.01.
        // p = torch.tensor([1.0], requires_grad=True); opt = torch.optim.Adam([p], lr=0.1)
        // p.grad = torch.tensor([1.0]); opt.step()                      → 0.9000000357627869
        // opt.param_groups[0]['lr'] = 0.01
        // p.grad = torch.tensor([1.0]); opt.step()                      → 0.89000004529953
        let adamParameter = Tensor([1]).asParameter()
        let adam = Adam(parameters: [adamParameter], learningRate: 0.1)
        setGradient(adamParameter, [1])
        adam.step()
        adam.learningRate = 0.01
        setGradient(adamParameter, [1])
        adam.step()
        assertClose(adamParameter.data, [0.89000004529953],
                    "after learningRate = 0.01 the next Adam step should move about 0.01")
    }

    // MARK: - Schedules.swift

    func test_unit_stepSchedule_matchesTorchStepLR() {
        // By hand: 0.1 · 0.5^⌊epoch / 3⌋.
        // p = torch.zeros(1, requires_grad=True); opt = torch.optim.SGD([p], lr=0.1)
        // s = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        // for epoch in range(10): print(s.get_last_lr()[0]); opt.step(); s.step()
        //   0.1 0.1 0.1 0.05 0.05 0.05 0.025 0.025 0.025 0.0125
        let schedule = StepSchedule(initial: 0.1, stepSize: 3, gamma: 0.5)
        let rates = (0..<10).map { schedule.learningRate(atEpoch: $0) }
        assertClose(rates, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125],
                    "StepSchedule(initial: 0.1, stepSize: 3, gamma: 0.5) for epochs 0…9: "
                    + "halve every 3 epochs, starting at epoch 0 with 0.1")

        let tenfold = StepSchedule(initial: 1, stepSize: 2, gamma: 0.1)
        assertClose((0..<6).map { tenfold.learningRate(atEpoch: $0) },
                    [1, 1, 0.1, 0.1, 0.01, 0.01],
                    "StepSchedule(initial: 1, stepSize: 2, gamma: 0.1) for epochs 0…5")
    }

    func test_unit_cosineSchedule_matchesTorchCosineAnnealingLR() {
        // s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)
        // (opt as in the StepLR test, lr=0.1); get_last_lr()[0] for epochs 0…10:
        //   0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742,
        //   0.0657963412215599, 0.0505, 0.03520365877844011, 0.02140463001152259,
        //   0.010453658778440109, 0.0034227024433899004, 0.001
        // By hand at epoch 5: 0.001 + 0.099·(1 + cos(π/2))/2 = 0.001 + 0.0495 = 0.0505.
        let schedule = CosineSchedule(initial: 0.1, minimum: 0.001, totalEpochs: 10)
        let rates = (0...10).map { schedule.learningRate(atEpoch: $0) }
        assertClose(rates, [0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742,
                            0.0657963412215599, 0.0505, 0.03520365877844011,
                            0.02140463001152259, 0.010453658778440109,
                            0.0034227024433899004, 0.001],
                    "CosineSchedule(initial: 0.1, minimum: 0.001, totalEpochs: 10) for epochs "
                    + "0…10: min + (initial − min)·(1 + cos(π·epoch/10))/2")

        // CosineAnnealingLR(opt, T_max=4) (eta_min 0), epochs 0…4:
        //   0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0
        let toZero = CosineSchedule(initial: 0.1, totalEpochs: 4)
        assertClose((0...4).map { toZero.learningRate(atEpoch: $0) },
                    [0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0],
                    "CosineSchedule(initial: 0.1, totalEpochs: 4): the minimum defaults to 0")
        // After totalEpochs the rate stays at the minimum (PyTorch's would climb back up).
        assertClose([12, 40].map { schedule.learningRate(atEpoch: $0) }, [0.001, 0.001],
                    "after totalEpochs the cosine schedule holds its minimum")
    }

    func test_unit_schedule_setsTheOptimizersRate() {
        // One step per epoch on f(p) = p² (gradient 2p) with SGD and momentum, the learning rate
        // set from a cosine schedule at the start of each epoch.
        // p = torch.tensor([2.0], requires_grad=True)
        // opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
        // s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5)
        // for epoch in range(5):
        //     p.grad = 2 * p.detach(); opt.step(); s.step(); print(p.item())
        //   1.600000023841858 0.9849342107772827 0.45544546842575073 0.17242668569087982
        //   0.0987316146492958
        // By hand, epoch 1: lr = 0.1·(1 + cos(π/5))/2 = 0.0904508, g = 3.2,
        // v = 0.9·4 + 3.2 = 6.8, p = 1.6 − 0.0904508·6.8 = 0.984934.
        let schedule = CosineSchedule(initial: 0.1, totalEpochs: 5)
        let parameter = Tensor([2]).asParameter()
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9)
        var trajectory: [Float] = []
        for epoch in 0..<5 {
            optimizer.learningRate = schedule.learningRate(atEpoch: epoch)
            setGradient(parameter, [2 * parameter.data[0]])
            optimizer.step()
            trajectory.append(parameter.data[0])
        }
        assertClose(trajectory, [1.600000023841858, 0.9849342107772827, 0.45544546842575073,
                                 0.17242668569087982, 0.0987316146492958],
                    "SGD (momentum 0.9) on p², learning rate from CosineSchedule(initial: 0.1, "
                    + "totalEpochs: 5) each epoch, as torch's CosineAnnealingLR drives it")
    }

    // MARK: - Everything together

    func test_module() {
        // 1. Fit y = 3x − 2 with a Linear(1 → 1) layer, both with SGD + momentum and with Adam.
        //    The gradients of the mean squared error are written out by hand (lesson 05's
        //    backward() computes the same); with residuals r = model(x) − y over n points,
        //      dL/dW = (2/n)·xᵀ·r   and   dL/db = (2/n)·Σ r.
        //    Simulated with torch over starting weights from −1.8 to 1.8 (the range of this
        //    layer's Xavier initialization): SGD(lr=0.1, momentum=0.9) is within 0.0015 of the
        //    answer after 150 steps, Adam(lr=0.1) within 1e-6 after 300.
        let xs = (0..<16).map { -1 + 2 * Float($0) / 15 }
        let x = Tensor(shape: [16, 1], data: xs)
        let y = Tensor(shape: [16, 1], data: xs.map { 3 * $0 - 2 })

        var generator = SeededGenerator(seed: 6)
        let sgdModel = Linear(inputSize: 1, outputSize: 1, using: &generator)
        let sgd = SGD(parameters: sgdModel.parameters(), learningRate: 0.1, momentum: 0.9)
        for _ in 0..<150 {
            sgd.zeroGrad()
            setRegressionGradients(sgdModel, x: x, y: y)
            sgd.step()
        }
        assertFitsLine(sgdModel, "SGD (lr 0.1, momentum 0.9) after 150 steps")

        let adamModel = Linear(inputSize: 1, outputSize: 1, using: &generator)
        let adam = Adam(parameters: adamModel.parameters(), learningRate: 0.1)
        for _ in 0..<300 {
            adam.zeroGrad()
            setRegressionGradients(adamModel, x: x, y: y)
            adam.step()
        }
        assertFitsLine(adamModel, "Adam (lr 0.1) after 300 steps")

        // 2. Adam on the Rosenbrock function f(x, y) = (1 − x)² + 100·(y − x²)² (Rosenbrock
        //    1960), a long curved valley with its minimum f = 0 at (1, 1), from (−1.5, 2).
        //    ∂f/∂x = −2·(1 − x) − 400·x·(y − x²),  ∂f/∂y = 200·(y − x²).
        //    p = torch.tensor([-1.5, 2.0], requires_grad=True)
        //    opt = torch.optim.Adam([p], lr=0.05)
        //    for step in range(1, 1001):
        //        x, y = p.detach()
        //        p.grad = torch.stack([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
        //        opt.step()
        //        if step in (1, 2, 3, 10, 100, 1000): print(step, p.tolist())
        //    1 [-1.4500000476837158, 2.049999952316284]
        //    2 [-1.4090595245361328, 2.090437412261963]
        //    3 [-1.3894598484039307, 2.1071929931640625]
        //    10 [-1.4561961889266968, 2.0123798847198486]
        //    100 [-1.267307162284851, 1.6125105619430542]
        //    1000 [0.9817571640014648, 0.9637932181358337]       f = 0.000333
        //    Rounding differences grow along the way (a float32 re-implementation in NumPy is
        //    6e-7 relative away at step 1000), hence relative 1e-4 for the last point.
        let point = Tensor([-1.5, 2.0]).asParameter()
        let optimizer = Adam(parameters: [point], learningRate: 0.05)
        let checkpoints: [Int: [Float]] = [
            1: [-1.4500000476837158, 2.049999952316284],
            2: [-1.4090595245361328, 2.090437412261963],
            3: [-1.3894598484039307, 2.1071929931640625],
            10: [-1.4561961889266968, 2.0123798847198486],
            100: [-1.267307162284851, 1.6125105619430542],
            1000: [0.9817571640014648, 0.9637932181358337],
        ]
        for step in 1...1000 {
            optimizer.zeroGrad()
            let (px, py) = (point.data[0], point.data[1])
            setGradient(point, [-2 * (1 - px) - 400 * px * (py - px * px), 200 * (py - px * px)])
            optimizer.step()
            if let expected = checkpoints[step] {
                assertClose(point.data, expected, relative: step == 1000 ? 1e-4 : 1e-5,
                            "Adam (lr 0.05) on the Rosenbrock function from (−1.5, 2), the "
                            + "point after step \(step), as torch.optim.Adam")
            }
        }
        let (px, py) = (point.data[0], point.data[1])
        let value = (1 - px) * (1 - px) + 100 * (py - px * px) * (py - px * px)
        XCTAssertLessThan(value, 1e-3,
                          "after 1000 Adam steps the Rosenbrock function should be near its "
                          + "minimum 0 (it starts at 12.5)")
    }
}

// MARK: - Helpers

/// Sets `parameter.grad` to `values`, in the parameter's shape: what `loss.backward()` does in
/// real training (lesson 05).
private func setGradient(_ parameter: Tensor, _ values: [Float]) {
    parameter.grad = Tensor(shape: parameter.shape, data: values)
}

/// Sets the gradients of the mean squared error of `model(x)` against `y` on the model's weight
/// and bias, by hand: with `r = model(x) − y` (shape `[n, 1]`), `dL/dW = (2/n)·xᵀ·r` (shape
/// `[1, 1]`) and `dL/db = (2/n)·Σ r` (shape `[1]`).
private func setRegressionGradients(_ model: Linear, x: Tensor, y: Tensor) {
    GradientMode.withoutGradients {
        let n = Float(x.shape[0])
        let residual = model(x) - y
        model.weight.grad = x.transposed().matmul(residual) * (2 / n)
        model.bias!.grad = residual.sum(alongAxis: 0) * (2 / n)
    }
}

/// Checks that a `Linear(1 → 1)` layer has learned y = 3x − 2 to within 0.05.
private func assertFitsLine(
    _ model: Linear, _ what: String, file: StaticString = #filePath, line: UInt = #line
) {
    let (w, b) = (model.weight.data[0], model.bias!.data[0])
    XCTAssertLessThan(abs(w - 3), 0.05, "\(what): the slope should be within 0.05 of 3, got \(w)",
                      file: file, line: line)
    XCTAssertLessThan(abs(b + 2), 0.05,
                      "\(what): the intercept should be within 0.05 of −2, got \(b)",
                      file: file, line: line)
}
