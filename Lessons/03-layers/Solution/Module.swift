// Lesson 03, file 1 of 5: what every layer and every model has in common.

import TinyTorchTensor

// MARK: - Parameters

extension Tensor {
    /// Marks this tensor as a **parameter** — a number the model learns — and returns it.
    ///
    /// A parameter is a tensor that requires a gradient (`requiresGrad == true`) and that you
    /// created yourself, rather than computed from other tensors. This sets `requiresGrad` on the
    /// very tensor it is called on and returns that tensor, not a copy, so that creating a
    /// parameter reads as one line (PyTorch writes `nn.Parameter(torch.zeros(3))`):
    ///
    ///     let bias = Tensor.zeros([3]).asParameter()    // bias.requiresGrad == true
    ///
    /// A tensor computed by an operation (its `recording` is not `nil`) cannot become a
    /// parameter: stop with a `require` naming the operation.
    @discardableResult
    public func asParameter() -> Tensor {
        require(recording == nil,
                "asParameter: this \(shape) tensor was computed by an operation "
                   + "(\(recording?.operation.name ?? "")); a parameter must be a tensor you "
                   + "create, e.g. Tensor.zeros([3]).asParameter()")
        requiresGrad = true
        return self
    }

    /// Whether this tensor is a parameter: it requires a gradient and was not computed by an
    /// operation (`recording == nil`).
    ///
    /// `Tensor.zeros([3]).asParameter().isParameter == true`; `Tensor.zeros([3]).isParameter ==
    /// false`; and with `w` a parameter, `(w * 2).isParameter == false` — it requires a gradient,
    /// but it was computed from `w`.
    public var isParameter: Bool {
        requiresGrad && recording == nil
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
    ///
    /// For `Sequential(Linear(inputSize: 2, outputSize: 3, …), ReLU(), Linear(inputSize: 3,
    /// outputSize: 1, …))` the result is `[weight₁ [2, 3], bias₁ [3], weight₂ [3, 1], bias₂ [1]]`.
    public func parameters() -> [Tensor] {
        var found: [Tensor] = []
        var seen: Set<ObjectIdentifier> = []
        func add(_ tensor: Tensor) {
            // `insert` reports whether the tensor is new: identity, not equal numbers, decides.
            if seen.insert(ObjectIdentifier(tensor)).inserted {
                found.append(tensor)
            }
        }
        for value in storedValues(of: self) {
            if let tensor = value as? Tensor {  // also matches a `Tensor?` holding a tensor
                if tensor.isParameter { add(tensor) }
            } else if let tensors = value as? [Tensor] {
                for tensor in tensors where tensor.isParameter { add(tensor) }
            }
        }
        for child in children() {
            child.parameters().forEach(add)
        }
        return found
    }

    /// Finds the submodules by looking at this module's stored properties with `Mirror`.
    ///
    /// A child is a stored property holding a module (`any Module`, a concrete module type such
    /// as `Linear`, or an optional of one that is not `nil`) or an array of modules (`[any
    /// Module]`, `[Linear]`, …), in declaration order; an array adds its modules in order.
    /// Properties of a superclass come first.
    ///
    /// For a `Sequential` of three layers, `children()` is those three layers.
    public func children() -> [any Module] {
        var found: [any Module] = []
        for value in storedValues(of: self) {
            if let module = value as? any Module {  // also matches a non-nil optional
                found.append(module)
            } else if let modules = value as? [any Module] {  // an array of any module type
                found += modules
            }
        }
        return found
    }

    /// Puts this module and every module inside it, at every depth, in training mode:
    /// `isTraining = true`. Dropout then drops.
    public func train() {
        isTraining = true
        for child in children() {
            child.train()
        }
    }

    /// Puts this module and every module inside it, at every depth, in evaluation mode:
    /// `isTraining = false`. Dropout then passes its input through unchanged.
    public func eval() {
        isTraining = false
        for child in children() {
            child.eval()
        }
    }

    /// The number of learned numbers: the sum of `count` over `parameters()`.
    ///
    /// `Linear(inputSize: 4, outputSize: 8, …).parameterCount == 4 · 8 + 8 == 40`
    public var parameterCount: Int {
        parameters().reduce(0) { $0 + $1.count }
    }
}

/// The values of the stored properties of `object`, in declaration order, those of a superclass
/// first. `Mirror` is Swift's reflection: it lists an instance's stored properties at run time.
private func storedValues(of object: AnyObject) -> [Any] {
    var mirrors: [Mirror] = []
    var mirror: Mirror? = Mirror(reflecting: object)
    while let current = mirror {
        mirrors.append(current)
        mirror = current.superclassMirror
    }
    return mirrors.reversed().flatMap { $0.children.map(\.value) }
}
