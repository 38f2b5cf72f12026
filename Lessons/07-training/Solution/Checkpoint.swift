// Lesson 07, file 5 of 6: checkpoints — a model's parameters, by name, to a file and back.
//
// A file cannot hold "the tensor at position 3 of parameters()": position is fragile, and
// Python would not know it. So every parameter gets a name, built from the path of property
// names that leads to it, as PyTorch's `state_dict()` does:
//
//     Sequential(                           names
//         Linear(4 → 16),                   "0.weight" [4, 16]   "0.bias" [16]
//         ReLU(),                           (no parameters: index 1 is skipped)
//         Linear(16 → 1))                   "2.weight" [16, 1]   "2.bias" [1]
//
// These are the very names PyTorch gives `nn.Sequential(nn.Linear(4, 16), nn.ReLU(),
// nn.Linear(16, 1))`. (Only the names: PyTorch stores a Linear weight transposed, [16, 4].)

import Foundation  // URL
import TinyTorchLayers
import TinyTorchTensor

extension Module {
    /// Every parameter with its name, in the order of `parameters()` — the same tensors, each
    /// once.
    ///
    /// A name is the path of property names from this module to the tensor, joined with dots, as
    /// in PyTorch: a parameter stored in property `weight` is `"weight"`; one inside a child
    /// module in property `encoder` is `"encoder.weight"`; element `i` of an array property
    /// `blocks` (of tensors or of modules) is `"blocks.i"`. A `Sequential` names its layers by
    /// their position alone, as `nn.Sequential` does: `"0.weight"`, not `"layers.0.weight"`.
    ///
    /// Walk the stored properties with `Mirror` (as `parameters()` and `children()` do in
    /// lesson 03): first this module's own parameters, then each child module's, recursively,
    /// with the child's name and a dot in front. A tensor reached twice keeps its first name only.
    ///
    ///     Sequential(Linear(inputSize: 2, outputSize: 3, …), ReLU(),
    ///                Linear(inputSize: 3, outputSize: 1, …)).namedParameters().map(\.name)
    ///     // ["0.weight", "0.bias", "2.weight", "2.bias"]
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var found: [(name: String, tensor: Tensor)] = []
        var seen: Set<ObjectIdentifier> = []
        collectParameters(of: self, prefix: "", into: &found, seen: &seen)
        return found
    }

    /// Saves every parameter, under its name from `namedParameters()`, and `metadata` as a
    /// safetensors file: `Safetensors.save(namedParameters(), metadata:to:)`.
    ///
    ///     try model.save(to: folder.appendingPathComponent("model.safetensors"),
    ///                    metadata: ["epochs": "10"])
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.save(namedParameters(), metadata: metadata, to: url)
    }

    /// Loads the parameters saved at `url` into this model, and returns the file's metadata:
    /// `Safetensors.load(url)`, then `loadParameters(_:file:)` with the file's name.
    @discardableResult
    public func load(from url: URL) throws -> [String: String] {
        let (tensors, metadata) = try Safetensors.load(url)
        try loadParameters(tensors, file: url.lastPathComponent)
        return metadata
    }

    /// Copies `tensors[name]` into every parameter of `namedParameters()` — into its `data`, so
    /// the parameter stays the very tensor the optimizer holds.
    ///
    /// Checks everything before changing anything, so a failed load leaves the model as it was:
    /// for each parameter, in order, the file has a tensor of its name (`missingTensor`, with the
    /// file's names sorted) and of its shape (`shapeMismatch`); then the file has no tensor the
    /// model lacks (`unexpectedTensor`, the first such name in sorted order). `file` is for the
    /// messages.
    ///
    ///     try model.loadParameters(["0.weight": w, "0.bias": b], file: "model.safetensors")
    public func loadParameters(_ tensors: [String: Tensor], file: String) throws {
        let parameters = namedParameters()
        for (name, parameter) in parameters {
            guard let stored = tensors[name] else {
                throw CheckpointError.missingTensor(file: file, name: name,
                                                   available: tensors.keys.sorted())
            }
            guard stored.shape == parameter.shape else {
                throw CheckpointError.shapeMismatch(file: file, name: name,
                                                    expected: parameter.shape, found: stored.shape)
            }
        }
        let expected = Set(parameters.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw CheckpointError.unexpectedTensor(file: file, name: extra)
        }
        for (name, parameter) in parameters {
            if let stored = tensors[name] {
                parameter.data = stored.data
            }
        }
    }
}

/// Adds the parameters of `module` and of its children, at every depth, to `found`, each name
/// prefixed with `prefix`; tensors already in `seen` are skipped.
private func collectParameters(
    of module: any Module, prefix: String,
    into found: inout [(name: String, tensor: Tensor)], seen: inout Set<ObjectIdentifier>
) {
    func add(_ name: String, _ tensor: Tensor) {
        if tensor.isParameter && seen.insert(ObjectIdentifier(tensor)).inserted {
            found.append((prefix + name, tensor))
        }
    }
    for (label, value) in storedProperties(of: module) {
        if let tensor = value as? Tensor {  // also a `Tensor?` that holds one
            add(label, tensor)
        } else if let tensors = value as? [Tensor] {
            for (index, tensor) in tensors.enumerated() {
                add("\(label).\(index)", tensor)
            }
        }
    }
    for (name, child) in namedChildren(of: module) {
        collectParameters(of: child, prefix: prefix + name + ".", into: &found, seen: &seen)
    }
}

/// The modules stored in `module`'s properties, with their names, in the order of `children()`.
/// A `Sequential`'s layers are named by position, as in PyTorch.
private func namedChildren(of module: any Module) -> [(name: String, module: any Module)] {
    if let sequential = module as? Sequential {
        return sequential.layers.enumerated().map { ("\($0.offset)", $0.element) }
    }
    var found: [(name: String, module: any Module)] = []
    for (label, value) in storedProperties(of: module) {
        if let child = value as? any Module {  // also a non-nil optional
            found.append((label, child))
        } else if let children = value as? [any Module] {
            for (index, child) in children.enumerated() {
                found.append(("\(label).\(index)", child))
            }
        }
    }
    return found
}

/// The stored properties of `object`, name and value, in declaration order, those of a
/// superclass first (lesson 03's walk, with the names kept).
private func storedProperties(of object: AnyObject) -> [(label: String, value: Any)] {
    var mirrors: [Mirror] = []
    var mirror: Mirror? = Mirror(reflecting: object)
    while let current = mirror {
        mirrors.append(current)
        mirror = current.superclassMirror
    }
    return mirrors.reversed().flatMap { mirror in
        mirror.children.enumerated().map { index, child in
            (child.label ?? "\(index)", child.value)
        }
    }
}
