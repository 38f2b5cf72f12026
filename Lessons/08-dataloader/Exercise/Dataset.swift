// Lesson 08, file 1 of 3: what a data set is, and the data set made of two tensors.
//
// The `Dataset` protocol, `Batch` and the stored properties are given; write the bodies marked
// TODO, top to bottom. Then run `swift run tutor test 08`.

import TinyTorchTensor

// MARK: - Dataset

/// A collection of labelled examples, read one at a time by index: PyTorch's `Dataset`.
///
/// A data set only has to say how many examples it holds and hand out example `i`: an input
/// tensor and its label (for MNIST, 784 pixel values and the digit they show). Where the examples
/// come from — a tensor in memory, files on disk, a generator — is its own business. A
/// `DataLoader` then groups them into mini-batches.
///
///     struct Squares: Dataset {            // example i is the input [i, i²] with label i % 2
///         var count: Int { 5 }
///         func example(at index: Int) -> (input: Tensor, label: Int) {
///             (Tensor([Float(index), Float(index * index)]), index % 2)
///         }
///     }
///
/// Every example of one data set must have the same input shape, so that examples can be stacked
/// into a batch. `batch(at:)` has a default implementation (below) that stacks examples one by
/// one; a data set that can do it faster, like `TensorDataset`, implements it itself.
public protocol Dataset {
    /// The number of examples; valid indices are `0..<count`.
    var count: Int { get }

    /// Example `index`: its input tensor and its label (a class number: 0–9 for MNIST).
    func example(at index: Int) -> (input: Tensor, label: Int)

    /// The examples at `indices`, in that order, stacked into one batch: inputs of shape
    /// `[indices.count] + exampleShape`, and their labels.
    func batch(at indices: [Int]) -> Batch
}

/// A mini-batch: `inputs` of shape `[B, …]` (B examples stacked along a new first axis) and the
/// `B` labels, `labels[i]` belonging to row `i` of `inputs`.
///
/// For a batch of 64 MNIST images, `inputs.shape == [64, 784]` and `labels.count == 64`; the
/// last batch of an epoch may be smaller.
public struct Batch {
    /// The inputs, stacked: shape `[B, …]`.
    public let inputs: Tensor
    /// One label per row of `inputs`.
    public let labels: [Int]

    public init(inputs: Tensor, labels: [Int]) {
        self.inputs = inputs
        self.labels = labels
    }

    /// The number of examples in the batch, `B`.
    public var count: Int { labels.count }
}

// MARK: - TensorDataset

/// The shape of one example of a `TensorDataset` whose inputs have shape `inputShape` and which
/// has `labelCount` labels — `inputShape` without its first axis — or a `ShapeError`.
///
/// The first axis of the inputs counts the examples, so there must be a first axis (a message
/// naming the shape otherwise), and its size must equal the number of labels (a message naming
/// the shape and both counts otherwise).
///
///     datasetExampleShape(inputShape: [60000, 784], labelCount: 60000)   == [784]
///     datasetExampleShape(inputShape: [4], labelCount: 4)                == []
///     datasetExampleShape(inputShape: [3, 2], labelCount: 4)
///     // throws "TensorDataset: inputs of shape [3, 2] hold 3 examples, but there are 4 labels"
public func datasetExampleShape(inputShape: [Int], labelCount: Int) throws -> [Int] {
    todo("TODO(lesson 08): implement datasetExampleShape(inputShape:labelCount:)")
}

/// A data set held in memory: one tensor of inputs, whose first axis counts the examples, and one
/// label per example. PyTorch's `TensorDataset`.
///
/// Shape: inputs `[N, …]`, `N` labels; example `i` is row `i` of the inputs, shape `[…]`.
///
///     let data = TensorDataset(inputs: Tensor([[1, 2], [3, 4], [5, 6]]), labels: [7, 8, 9])
///     data.count                 // 3
///     data.example(at: 1)        // (input: [3, 4], label: 8)
///     data.batch(at: [2, 0])     // inputs [[5, 6], [1, 2]], labels [9, 7]
public struct TensorDataset: Dataset {
    /// All inputs: shape `[N, …]`.
    public let inputs: Tensor
    /// The label of each example: `labels[i]` belongs to row `i` of `inputs`.
    public let labels: [Int]
    /// The shape of one example: `inputs.shape` without the first axis (`[784]` for MNIST).
    public let exampleShape: [Int]

    /// A data set of the rows of `inputs`, labelled by `labels`.
    ///
    /// Checks the shapes with `datasetExampleShape(inputShape:labelCount:)` through
    /// `requireValidShape` (lesson 01), which also gives `exampleShape`, then stores everything.
    /// `TensorDataset(inputs: Tensor.zeros([3, 2]), labels: [1, 2])` stops with the check's
    /// message.
    public init(inputs: Tensor, labels: [Int]) {
        todo("TODO(lesson 08): implement TensorDataset.init(inputs:labels:)")
    }

    /// The number of examples, `N`.
    public var count: Int {
        todo("TODO(lesson 08): implement TensorDataset.count")
    }

    /// Row `index` of the inputs (a new tensor of shape `exampleShape`) and its label.
    /// `require` that `index` is in `0..<count`.
    ///
    /// With `n` the number of values in one example (the product of `exampleShape`), row `i`
    /// holds `inputs.data[i · n ..< (i + 1) · n]`.
    ///
    ///     data.example(at: 1)        // (input: [3, 4], label: 8), for the data set above
    public func example(at index: Int) -> (input: Tensor, label: Int) {
        todo("TODO(lesson 08): implement TensorDataset.example(at:)")
    }

    /// Rows `indices` of the inputs, copied into one new tensor `[indices.count] + exampleShape`,
    /// with their labels. `require` that every index is in `0..<count`.
    ///
    /// This is the hot loop of data loading — 60,000 rows of 784 numbers per MNIST epoch — so
    /// allocate the batch once (`[Float](repeating: 0, count: …)`) and copy each row as one block
    /// of memory, inside `inputs.data.withUnsafeBufferPointer` and
    /// `output.withUnsafeMutableBufferPointer`, not number by number through subscripts.
    ///
    ///     TensorDataset(inputs: Tensor([[1, 2], [3, 4], [5, 6]]), labels: [7, 8, 9])
    ///         .batch(at: [2, 0, 2])   // inputs [[5, 6], [1, 2], [5, 6]], labels [9, 7, 9]
    public func batch(at indices: [Int]) -> Batch {
        todo("TODO(lesson 08): implement TensorDataset.batch(at:)")
    }
}

// MARK: - The default batch

extension Dataset {
    /// Stacks `example(at:)` for each index into one batch — the default for any data set.
    ///
    /// `batch(at:)` is a requirement of the protocol, not only a method of this extension, so a
    /// call through `any Dataset` (as the `DataLoader` makes) runs a data set's own version when
    /// it has one — `TensorDataset`'s block copy — and this one otherwise.
    ///
    /// Shape: B examples of shape `s` → inputs `[B] + s`, laid out one example after the other
    /// (row-major, so example `j`'s numbers are `data[j · n ..< (j + 1) · n]` with `n` the count
    /// of `s`), and the B labels in the same order. Every example must have the shape of the
    /// first (`require`, naming both shapes), and `indices` must not be empty
    /// (`require`).
    ///
    ///     Squares().batch(at: [3, 1])   // inputs [[3, 9], [1, 1]] (shape [2, 2]), labels [1, 1]
    public func batch(at indices: [Int]) -> Batch {
        todo("TODO(lesson 08): implement Dataset.batch(at:)")
    }
}
