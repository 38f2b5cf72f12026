// Lesson 03, file 1 of 5: what every layer and every model has in common.
//
// The `Module` protocol is given; write the bodies marked TODO, top to bottom. Then run
// `swift run tutor test 03`.

import TinyTorchTensor

// MARK: - Parameters

extension Tensor {
    /// Marks this tensor as a **parameter** — a number the model learns — and returns it.
    ///
    /// A parameter is a tensor that requires a gradient (`requiresGrad == true`) and that you
    /// created yourself, rather than computed from other tensors. Set `requiresGrad` on the very
    /// tensor this is called on and return that tensor (`self`), not a copy, so that creating a
    /// parameter reads as one line (PyTorch writes `nn.Parameter(torch.zeros(3))`):
    ///
    ///     let bias = Tensor.zeros([3]).asParameter()    // bias.requiresGrad == true
    ///
    /// A tensor computed by an operation (its `recording` is not `nil`) cannot become a
    /// parameter: stop with a `require` whose message says so, e.g. "asParameter: this [3]
    /// tensor was computed by an operation (add); a parameter must be a tensor you create".
    @discardableResult
    public func asParameter() -> Tensor {
        todo("TODO(lesson 03): implement asParameter()")
    }

    /// Whether this tensor is a parameter: it requires a gradient and was not computed by an
    /// operation (`recording == nil`).
    ///
    /// `Tensor.zeros([3]).asParameter().isParameter == true`; `Tensor.zeros([3]).isParameter ==
    /// false`; and with `w` a parameter, `(w * 2).isParameter == false` — it requires a gradient,
    /// but it was computed from `w`.
    public var isParameter: Bool {
        todo("TODO(lesson 03): implement isParameter")
    }
}

// MARK: - Module

/// A piece of a network: a layer, an activation, or a whole model made of other modules.
///
/// A module maps an input tensor to an output tensor (`module(x)`, through `callAsFunction`), owns
/// its parameters, and is either training or evaluating. It is PyTorch's `nn.Module`:
///
///     let model = Sequential(Linear(inputSize: 4, outputSize: 8, using: &generator), ReLU(),
///                            Linear(inputSize: 8, outputSize: 3, using: &generator))
///     let logits = model(x)                   // [batch, 4] → [batch, 3]
///     for p in model.parameters() { … }       // the 4 tensors an optimizer updates
///     model.eval()                            // every layer, at every depth, stops training
///
/// Modules are classes (`AnyObject`): the model, the optimizer and autograd must all see the same
/// weight tensors, not copies of them.
///
/// To write a module, declare a `final class` that stores its parameters (tensors made with
/// `asParameter()`) and its submodules as properties, has `var isTraining = true`, and implements
/// `callAsFunction(_:)`. `parameters()` and `children()` then find everything by themselves.
public protocol Module: AnyObject {
    /// `true` while training (the default), `false` while evaluating. Only some layers behave
    /// differently (`Dropout`); set it on a whole model with `train()` and `eval()`.
    var isTraining: Bool { get set }

    /// The forward pass: the module's output for `input`. Lets you write `module(x)`.
    func callAsFunction(_ input: Tensor) -> Tensor

    /// Every parameter of this module and of its submodules, each once: first this module's own,
    /// in the order its properties are declared, then each child's `parameters()` in turn.
    func parameters() -> [Tensor]

    /// The modules stored directly in this module's properties, in declaration order (not their
    /// own children).
    func children() -> [any Module]
}

extension Module {
    /// Finds the parameters by looking at this module's stored properties (see `children()`).
    ///
    /// Own parameters come first, in declaration order: every stored `Tensor`, `Tensor?` or
    /// `[Tensor]` whose tensors satisfy `isParameter` (a stored tensor that is not a parameter —
    /// a constant, a mask — is skipped). Then, for each child in `children()` order, that child's
    /// `parameters()`. A tensor reached twice (one layer used twice, or two layers sharing a
    /// weight) is listed once, at its first place: otherwise an optimizer would update it twice.
    /// Tell tensors apart by identity (`===`, or `ObjectIdentifier(tensor)` in a `Set`), not by
    /// their numbers.
    ///
    /// For `Sequential(Linear(inputSize: 2, outputSize: 3, …), ReLU(), Linear(inputSize: 3,
    /// outputSize: 1, …))` the result is `[weight₁ [2, 3], bias₁ [3], weight₂ [3, 1], bias₂ [1]]`.
    public func parameters() -> [Tensor] {
        todo("TODO(lesson 03): implement parameters()")
    }

    /// Finds the submodules by looking at this module's stored properties with `Mirror`.
    ///
    /// A child is a stored property holding a module (`any Module`, a concrete module type such
    /// as `Linear`, or an optional of one that is not `nil`) or an array of modules (`[any
    /// Module]`, `[Linear]`, …), in declaration order; an array adds its modules in order.
    /// Properties of a superclass come first. `value as? any Module` and
    /// `value as? [any Module]` do the matching.
    ///
    /// For a `Sequential` of three layers, `children()` is those three layers.
    public func children() -> [any Module] {
        todo("TODO(lesson 03): implement children()")
    }

    /// Puts this module and every module inside it, at every depth, in training mode:
    /// `isTraining = true`. Dropout then drops.
    public func train() {
        todo("TODO(lesson 03): implement train()")
    }

    /// Puts this module and every module inside it, at every depth, in evaluation mode:
    /// `isTraining = false`. Dropout then passes its input through unchanged.
    public func eval() {
        todo("TODO(lesson 03): implement eval()")
    }

    /// The number of learned numbers: the sum of `count` over `parameters()`.
    ///
    /// `Linear(inputSize: 4, outputSize: 8, …).parameterCount == 4 · 8 + 8 == 40`
    public var parameterCount: Int {
        todo("TODO(lesson 03): implement parameterCount")
    }
}

/// The values of the stored properties of `object`, in declaration order, those of a superclass
/// first: the helper `parameters()` and `children()` both need.
///
/// `Mirror(reflecting: object).children` lists the stored properties of the object's own class,
/// each as a `(label, value)` pair, with the value as `Any`; `mirror.superclassMirror` is the
/// same for its superclass (`nil` at the top). Collect the mirrors, put the superclass's first,
/// and return every child's `value`.
private func storedValues(of object: AnyObject) -> [Any] {
    todo("TODO(lesson 03): implement storedValues(of:)")
}
