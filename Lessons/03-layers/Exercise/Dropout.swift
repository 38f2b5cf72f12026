// Lesson 03, file 4 of 5: dropout, the layer that behaves differently in training and evaluation.
//
// The stored properties and the initializer are given; write the forward pass.

import TinyTorchTensor

/// Inverted dropout: while training, sets each element to 0 with probability `p` and multiplies
/// the others by `1 / (1 − p)`; while evaluating, does nothing.
///
/// Dropout is Srivastava, Hinton et al. (2014); their paper scaled the weights by the keep
/// probability `1 − p` at test time instead. Scaling the survivors while training ("inverted"),
/// so that evaluation is left untouched, is the later convention PyTorch follows.
///
/// Dropping random units forces the network not to rely on any single one, which makes it
/// generalize better. The scale keeps the expected value of every element unchanged, so the next
/// layer sees numbers of the same size in training and in evaluation:
/// `(1 − p) · x / (1 − p) + p · 0 = x`.
///
///     let dropout = Dropout(probability: 0.5, seed: 1)
///     dropout(Tensor([1, 2, 3, 4]))      // training: e.g. [2, 0, 6, 0] — survivors doubled
///     dropout.eval()
///     dropout(Tensor([1, 2, 3, 4]))      // evaluating: [1, 2, 3, 4]
///
/// PyTorch's `nn.Dropout`, with its own random numbers: this layer owns a `SeededGenerator`, so
/// the same seed drops the same elements on every run.
public final class Dropout: Module {
    /// The probability `p` that an element is dropped, in `[0, 1)`.
    public let probability: Float
    public var isTraining = true
    /// Where the random numbers come from; each training call moves it on, so every call drops a
    /// different set of elements.
    private var generator: SeededGenerator

    /// A dropout layer that drops each element with probability `probability` while training,
    /// drawing its random numbers from a generator seeded with `seed`.
    public init(probability: Float, seed: UInt64) {
        require(probability >= 0 && probability < 1,
                "Dropout(probability: \(probability)): the probability must be in [0, 1) — "
                        + "0 keeps every element, 1 would drop them all")
        self.probability = probability
        self.generator = SeededGenerator(seed: seed)
    }

    /// While evaluating, or when `probability` is 0: returns `input` itself, with no random
    /// numbers drawn. While training: `output = input · mask`, element by element, where for each
    /// element in row-major order `generator.nextFloat()` gives `u` in [0, 1), and the element is
    /// dropped (`mask = 0`) if `u < p`, kept (`mask = 1 / (1 − p)`) otherwise. The result records
    /// `DropoutOp(mask: mask)` with inputs `[input]` (see Provided/Operations.swift).
    ///
    /// Shape: any → same shape.  With `p = 0.5` and draws `u = 0.7, 0.2, 0.9`, the input
    /// `[1, 2, 3]` gives the mask `[2, 0, 2]` and the output `[2, 0, 6]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        todo("TODO(lesson 03): implement Dropout.callAsFunction(_:)")
    }
}
