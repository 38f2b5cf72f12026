// Lesson 09, file 6 of 7: from feature maps to a vector per image, for the `Linear` layers at the
// end of a convolutional network.
//
//     [N, C, H, W]  ──Flatten──►  [N, C · H · W]        e.g. [128, 64, 4, 4] → [128, 1024]
//
// Row-major order makes this free: image n's numbers are already one contiguous block of
// C · H · W, channel by channel, so only the shape changes (lesson 01's `reshaped`).

import TinyTorchTensor
import TinyTorchLayers

/// Keeps the first axis (the batch) and flattens everything after it into one axis: PyTorch's
/// `nn.Flatten()`.
///
/// Shape: `[N, d₁, d₂, …]` → `[N, d₁ · d₂ · …]`; `[N]` → `[N, 1]`. Built on `reshaped(to:)`, so it
/// records lesson 01's `ReshapeOp` and lesson 05 already knows its gradient. The input needs at
/// least one axis (a `require`).
///
///     Flatten()(Tensor.zeros([8, 16, 4, 4])).shape == [8, 256]
public final class Flatten: Module {
    public var isTraining = true

    public init() {}

    /// `input.reshaped(to: [N, rest])`, with `rest` the product of the other sizes (written out,
    /// not `-1`, so that an empty batch works too).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(input.rank >= 1,
                "Flatten: input \(input.shape) is a scalar — it needs a batch axis to keep")
        return input.reshaped(to: [input.shape[0], input.shape.dropFirst().reduce(1, *)])
    }
}
