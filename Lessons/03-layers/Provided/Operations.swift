// Given: the same file sits in Exercise/ and Solution/; you do not need to change it.
//
// The operations this lesson adds to the autograd record (see lesson 01's `Recording.swift`).
// `Linear` needs none: it is a `matmul` and a `+`, which lesson 01 already records. Dropout is new:
// its result records a `DropoutOp`, and lesson 05 adds the backward pass to it.

import TinyTorchTensor

/// `Dropout` in training mode. Inputs: `[input]`.
///
/// The output is `input * mask`, element by element, where each entry of `mask` is 0 (dropped) or
/// `1 / (1 − p)` (kept and scaled). Backward multiplies the incoming gradient by the same mask: a
/// dropped element passed nothing on, so it receives no gradient.
public struct DropoutOp: TensorOperation, Equatable {
    /// For each element of the input, in row-major order: 0 or `1 / (1 − p)`.
    public let mask: [Float]

    public init(mask: [Float]) {
        self.mask = mask
    }

    public var name: String { "dropout" }
}
