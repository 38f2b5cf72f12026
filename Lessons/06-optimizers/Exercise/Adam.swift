// Lesson 06, file 3 of 4: Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) —
// PyTorch's `torch.optim.Adam` and `torch.optim.AdamW`, update for update.
//
// For each element of a parameter with gradient g, at that parameter's t-th update (t = 1, 2, …):
//
//     d = g + λ·p                  Adam's weight decay λ (L2): added to the gradient
//     m = β₁·m + (1 − β₁)·d        first moment: a running mean of the gradient
//     v = β₂·v + (1 − β₂)·d²       second moment: a running mean of its square
//     m̂ = m / (1 − β₁ᵗ)            bias correction: m and v start at 0, so their first averages
//     v̂ = v / (1 − β₂ᵗ)              are too small; dividing by 1 − βᵗ undoes exactly that
//     p = p − lr · m̂ / (√v̂ + ε)
//
// AdamW decouples the weight decay from the gradient: first p = p − lr·λ·p, then the update
// above with λ = 0.
//
// Given: the stored properties and initializers. Write `AdamState.update(…)` first, then
// `Adam.step()` and `AdamW.step()`, which both call it.

import Foundation  // pow, for βᵗ
import TinyTorchTensor

/// What Adam remembers about one parameter between steps.
///
/// Two extra numbers per weight: Adam's state takes twice the memory of the model itself.
public struct AdamState {
    /// `t`: how many updates this parameter has had. A parameter skipped by a step (no gradient)
    /// does not count it, so each parameter's bias correction follows its own updates.
    public internal(set) var stepCount = 0

    /// `m`, one number per element: the running mean of the gradient (its direction). Starts at 0.
    public internal(set) var firstMoment: [Float]

    /// `v`, one number per element: the running mean of the squared gradient (its typical size).
    /// Starts at 0.
    public internal(set) var secondMoment: [Float]

    /// The state of a parameter of `count` elements that has not been updated yet.
    init(count: Int) {
        firstMoment = [Float](repeating: 0, count: count)
        secondMoment = [Float](repeating: 0, count: count)
    }

    /// One Adam update of `parameter`, in place, from `gradient` (the same shape): adds 1 to
    /// `stepCount` (that is `t`), then for every element `i`
    ///
    ///     d = g[i] + weightDecay·p[i]
    ///     m[i] = β₁·m[i] + (1 − β₁)·d
    ///     v[i] = β₂·v[i] + (1 − β₂)·d²
    ///     p[i] −= lr / (1 − β₁ᵗ) · m[i] / (√v[i] / √(1 − β₂ᵗ) + ε)
    ///
    /// The last line is `lr · m̂ / (√v̂ + ε)` rearranged as PyTorch computes it, so that the two
    /// corrections are worked out once per step (in `Double`), not once per element. Loop
    /// through buffer pointers of the gradient, the parameter and both moments.
    ///
    /// First update of `p = [1]` with `g = [-5]`, `lr = 0.01`: `m = [-0.5]`, `v = [0.025]`,
    /// `m̂ = -5`, `v̂ = 25`, and `p = 1 − 0.01 · (−5 / 5) = [1.01]`.
    mutating func update(
        _ parameter: Tensor, gradient: Tensor, learningRate: Float,
        beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    ) {
        todo("TODO(lesson 06): implement "
                   + "AdamState.update(_:gradient:learningRate:beta1:beta2:epsilon:weightDecay:)")
    }
}

/// Adam: momentum plus a step size of its own for every weight (Kingma & Ba 2015). Each weight
/// moves by about `lr` per step, whether its gradients are large or tiny, because the step is
/// the gradient's running mean divided by its typical size. PyTorch's `torch.optim.Adam`, with
/// the same equations and defaults; its `weightDecay` is L2, added to the gradient.
///
///     let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)
public final class Adam: Optimizer {
    public let parameters: [Tensor]

    /// `lr`: roughly how far each weight moves per step. Must stay ≥ 0.
    public var learningRate: Float {
        didSet { checkLearningRate(learningRate, optimizer: "Adam") }
    }

    /// `β₁`, in `0..<1`: how slowly the running mean of the gradient forgets (0.9: ~10 steps).
    public let beta1: Float

    /// `β₂`, in `0..<1`: how slowly the running mean of its square forgets (0.999: ~1000 steps).
    public let beta2: Float

    /// `ε`: keeps the division finite when a weight's gradients are all 0.
    public let epsilon: Float

    /// `λ`: L2 weight decay, added to the gradient as `λ·p` before the moments (0: none).
    public let weightDecay: Float

    /// The optimizer's state: one `AdamState` per parameter, at the same position as in
    /// `parameters`.
    public private(set) var states: [AdamState]

    /// An Adam optimizer for `parameters` (usually `model.parameters()`).
    ///
    /// Stops with a message unless the list is usable, `learningRate > 0`, `0 ≤ β₁, β₂ < 1`,
    /// `ε > 0` and `weightDecay ≥ 0`.
    public init(
        parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        checkAdamSettings(parameters, learningRate, beta1, beta2, epsilon, weightDecay, "Adam")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.states = parameters.map { AdamState(count: $0.count) }
    }

    /// One Adam step: every parameter with a gradient gets `states[index].update(…)` with this
    /// optimizer's settings, `weightDecay` included; a parameter whose `grad` is `nil` is skipped
    /// and its state stays as it was (its `stepCount` too). Check every gradient first with the
    /// given `checkGradient(_:of:at:optimizer:)`.
    public func step() {
        todo("TODO(lesson 06): implement Adam.step()")
    }
}

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019). Each step first shrinks
/// every weight towards 0 by the factor `1 − lr·λ`, then takes a plain Adam step (no `λ·p` in the
/// gradient). Unlike Adam's L2, the pull to 0 is not divided by `√v̂`, so every weight decays at
/// the same rate. PyTorch's `torch.optim.AdamW`, with the same equations and defaults
/// (`weightDecay` 0.01); the usual choice for transformers.
///
///     let optimizer = AdamW(parameters: model.parameters(), learningRate: 3e-4, weightDecay: 0.1)
public final class AdamW: Optimizer {
    public let parameters: [Tensor]

    /// `lr`: roughly how far each weight moves per step. Must stay ≥ 0.
    public var learningRate: Float {
        didSet { checkLearningRate(learningRate, optimizer: "AdamW") }
    }

    /// `β₁`, in `0..<1`: how slowly the running mean of the gradient forgets.
    public let beta1: Float

    /// `β₂`, in `0..<1`: how slowly the running mean of its square forgets.
    public let beta2: Float

    /// `ε`: keeps the division finite when a weight's gradients are all 0.
    public let epsilon: Float

    /// `λ`: each step multiplies every weight by `1 − lr·λ` before the Adam update.
    public let weightDecay: Float

    /// The optimizer's state: one `AdamState` per parameter, at the same position as in
    /// `parameters`.
    public private(set) var states: [AdamState]

    /// An AdamW optimizer for `parameters`. The checks are Adam's.
    public init(
        parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        checkAdamSettings(parameters, learningRate, beta1, beta2, epsilon, weightDecay, "AdamW")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.states = parameters.map { AdamState(count: $0.count) }
    }

    /// One AdamW step: for every parameter with a gradient, first the decoupled decay
    ///
    ///     p[i] = p[i] · (1 − lr·λ)            (that is, p −= lr·λ·p)
    ///
    /// then `states[index].update(…)` with `weightDecay: 0`. A parameter whose `grad` is `nil` is
    /// skipped entirely: no decay, no update, no change to its state.
    ///
    /// With a zero gradient, `p = [1, -2]`, `lr = 0.01`, `λ = 0.1`: the decay gives
    /// `[0.999, -1.998]`, and the Adam update of a zero gradient moves nothing.
    public func step() {
        todo("TODO(lesson 06): implement AdamW.step()")
    }
}

/// The checks shared by `Adam` and `AdamW` (given).
private func checkAdamSettings(
    _ parameters: [Tensor], _ learningRate: Float, _ beta1: Float, _ beta2: Float,
    _ epsilon: Float, _ weightDecay: Float, _ optimizer: String
) {
    checkParameters(parameters, optimizer: optimizer)
    checkLearningRate(learningRate, optimizer: optimizer, positive: true)
    checkFraction(beta1, name: "beta1", typical: 0.9, optimizer: optimizer)
    checkFraction(beta2, name: "beta2", typical: 0.999, optimizer: optimizer)
    require(epsilon.isFinite && epsilon > 0,
            "\(optimizer): epsilon \(epsilon) — it must be above 0 (typical: 1e-8); it keeps "
               + "m̂ / (√v̂ + ε) finite when a weight's gradients are all 0")
    checkWeightDecay(weightDecay, optimizer: optimizer)
}
