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
//
// Write `namedParameters`, `save(to:metadata:)`, `loadParameters(_:file:)`, then
// `load(from:)`. `storedProperties(of:)`, at the end, is given.

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
        todo("TODO(lesson 07): implement namedParameters()")
    }

    /// Saves every parameter, under its name from `namedParameters()`, and `metadata` as a
    /// safetensors file: `Safetensors.save(namedParameters(), metadata:to:)`.
    ///
    ///     try model.save(to: folder.appendingPathComponent("model.safetensors"),
    ///                    metadata: ["epochs": "10"])
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        todo("TODO(lesson 07): implement save(to:metadata:)")
    }

    /// Loads the parameters saved at `url` into this model, and returns the file's metadata:
    /// `Safetensors.load(url)`, then `loadParameters(_:file:)` with the file's name.
    @discardableResult
    public func load(from url: URL) throws -> [String: String] {
        todo("TODO(lesson 07): implement load(from:)")
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
        todo("TODO(lesson 07): implement loadParameters(_:file:)")
    }
}

/// The stored properties of `object`, name and value, in declaration order, those of a
/// superclass first: lesson 03's walk, with the names kept (given — use it in
/// `namedParameters()`).
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
