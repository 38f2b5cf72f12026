// Lesson 06, file 2 of 4: stochastic gradient descent, with momentum, Nesterov momentum and
// weight decay — PyTorch's `torch.optim.SGD`, update for update.
//
// For each element of each parameter that has a gradient g:
//
//     d = g + λ·p            weight decay λ: the gradient of the penalty (λ/2)·p², a pull to 0
//     v = μ·v + d            momentum μ: the velocity, which remembers the steps before
//     d = v                  classic momentum   (or d = d + μ·v with Nesterov's look-ahead)
//     p = p − lr·d
//
// With μ = 0 the two middle lines are skipped: plain gradient descent, p = p − lr·(g + λ·p).
// The stored properties and the initializer are given; write `step()`.

import TinyTorchTensor

/// Stochastic gradient descent: step each parameter against its gradient, `p ← p − lr·g`,
/// optionally with momentum (Polyak 1964), Nesterov momentum (Sutskever et al. 2013) and weight
/// decay. PyTorch's `torch.optim.SGD`, with the same equations and defaults.
///
///     let optimizer = SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.9)
///
/// "Stochastic" because each step uses the gradient of one random mini-batch, not of the whole
/// data set: a noisy estimate of the way downhill, but a cheap one.
public final class SGD: Optimizer {
    public let parameters: [Tensor]

    /// `lr`: the step size. Must stay ≥ 0; a schedule may change it between steps.
    public var learningRate: Float {
        didSet { checkLearningRate(learningRate, optimizer: "SGD") }
    }

    /// `μ`, in `0..<1`: how much of the velocity survives each step. 0 is plain SGD; 0.9 is usual.
    public let momentum: Float

    /// Whether to use Nesterov's look-ahead step `d + μ·v` instead of the velocity `v` itself.
    public let nesterov: Bool

    /// `λ`: adds `λ·p` to every gradient, pulling each weight towards 0 (L2 regularization).
    public let weightDecay: Float

    /// The optimizer's state: one velocity per parameter, the same position as in `parameters`,
    /// with one number per element. They start at 0 (so the first velocity is the first gradient,
    /// as in PyTorch) and are empty arrays when `momentum` is 0: plain SGD remembers nothing.
    public private(set) var velocities: [[Float]]

    /// An SGD optimizer for `parameters` (usually `model.parameters()`).
    ///
    /// Stops with a message unless the list is usable (not empty, no tensor twice, no computed
    /// tensors), `learningRate > 0`, `0 ≤ momentum < 1`, `nesterov` only with `momentum > 0`, and
    /// `weightDecay ≥ 0`.
    public init(
        parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
        weightDecay: Float = 0
    ) {
        checkParameters(parameters, optimizer: "SGD")
        checkLearningRate(learningRate, optimizer: "SGD", positive: true)
        checkFraction(momentum, name: "momentum", typical: 0.9, optimizer: "SGD")
        require(!nesterov || momentum > 0,
                "SGD: nesterov: true needs a momentum above 0 (typical: 0.9) — Nesterov's "
                   + "look-ahead looks along the velocity, and without momentum there is none")
        checkWeightDecay(weightDecay, optimizer: "SGD")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.velocities = parameters.map {
            momentum > 0 ? [Float](repeating: 0, count: $0.count) : []
        }
    }

    /// One SGD step: for every parameter with a gradient, and every element `i`,
    ///
    ///     d = g[i] + λ·p[i]
    ///     v[i] = μ·v[i] + d                         (only when μ > 0)
    ///     p[i] −= lr · (nesterov ? d + μ·v[i] : v[i])   (lr · d when μ = 0)
    ///
    /// A parameter whose `grad` is `nil` is skipped, velocity and all; check every other
    /// gradient with the given `checkGradient(_:of:at:optimizer:)`. Loop through buffer pointers
    /// (`withUnsafeMutableBufferPointer`): this runs for every weight at every step.
    ///
    /// With `p = [1]`, `g = [0.5]`, `lr = 0.1`, `μ = 0.9`: `v = [0.5]`, `p = [0.95]`; the same
    /// gradient again gives `v = [0.95]`, `p = [0.855]`.
    public func step() {
        todo("TODO(lesson 06): implement SGD.step()")
    }
}
