// Lesson 01, file 1 of 7: the tensor itself — storage, shape, indexing.
//
// The stored properties and the deinit below are given; write the bodies marked TODO, top to
// bottom. Then run `swift run tutor test 01`.

/// An n-dimensional array of `Float`s: the one data type of the whole framework.
///
/// A tensor is a flat array of numbers, `data`, plus a `shape` that says how to read it. The
/// numbers are stored in row-major order: the last index changes fastest. A 2 × 3 tensor
///
///     [[1, 2, 3],
///      [4, 5, 6]]
///
/// has `shape == [2, 3]` and `data == [1, 2, 3, 4, 5, 6]`. A scalar has shape `[]` and one number.
///
/// `Tensor` is a class, not a struct: autograd (lesson 05) links each result to the very tensors
/// it was computed from, and gives each of them its own gradient, so a tensor needs an identity.
public final class Tensor {
    /// The size of each axis: `[2, 3]` is 2 rows of 3 columns. `[]` for a scalar.
    public internal(set) var shape: [Int]

    /// The numbers, in row-major order; always `count` of them. Optimizers update them in place.
    public var data: [Float]

    /// Whether autograd should compute a gradient for this tensor (lesson 05). Off by default.
    public var requiresGrad: Bool = false

    /// The gradient of the loss with respect to this tensor, once `backward()` ran (lesson 05).
    public var grad: Tensor?

    /// The operation and inputs that produced this tensor, when an input required a gradient.
    /// `nil` for tensors you create yourself. See `Recording.swift`.
    public internal(set) var recording: Recording?

    /// Given (nothing to write here): frees a long chain of recorded tensors one link at a time.
    ///
    /// A loop like `for _ in 0..<100_000 { x = x * 0.99 }` on a tensor that requires a gradient
    /// builds a chain 100,000 tensors long, each holding the one before it. Left to itself, Swift
    /// frees the last one, which frees the one before *from inside its own deinit*, and so on:
    /// 100,000 nested calls, a stack overflow, a crash. Instead, a tensor about to be freed takes
    /// the inputs off every tensor that only it still holds, into a list, and lets them go from
    /// there, one level deep each time.
    deinit {
        guard var pending = recording?.inputs else { return }
        recording = nil
        while var tensor = pending.popLast() {
            if isKnownUniquelyReferenced(&tensor), let inputs = tensor.recording?.inputs {
                pending.append(contentsOf: inputs)
                tensor.recording = nil
            }
        }
    }

    /// A tensor of the given shape holding `data` in row-major order.
    ///
    /// `data.count` must be the product of the sizes in `shape` (1 for the scalar shape `[]`), and
    /// no size may be negative: check both with `require`, with a message that names the
    /// shape and the count, e.g. "Tensor(shape: [2, 3], data:) — the shape holds 6 numbers, but
    /// data has 5".
    ///
    ///     Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])   // [[1, 2, 3], [4, 5, 6]]
    public init(shape: [Int], data: [Float]) {
        todo("TODO(lesson 01): implement init(shape:data:)")
    }

    /// A scalar (shape `[]`, one number).  `Tensor(3).shape == []`
    public convenience init(_ scalar: Float) {
        todo("TODO(lesson 01): implement init(_ scalar: Float)")
    }

    /// A vector (shape `[n]`).  `Tensor([1, 2, 3]).shape == [3]`
    public convenience init(_ values: [Float]) {
        todo("TODO(lesson 01): implement init(_ values: [Float])")
    }

    /// A matrix (shape `[rows, columns]`) from its rows, laid out one row after the other.
    ///
    /// Every row must have the same length: otherwise stop with a `require` whose message
    /// names the row, e.g. "Tensor(rows) — row 1 has 2 numbers, row 0 has 3".
    ///
    ///     Tensor([[1, 2, 3], [4, 5, 6]])   // shape [2, 3], data [1, 2, 3, 4, 5, 6]
    public convenience init(_ rows: [[Float]]) {
        todo("TODO(lesson 01): implement init(_ rows: [[Float]])")
    }

    /// A rank-3 tensor (shape `[planes, rows, columns]`) from its planes: every plane must have
    /// the same number of rows, and every row the same length (`require`, as above).
    ///
    ///     Tensor([[[1, 2]], [[3, 4]]])   // shape [2, 1, 2], data [1, 2, 3, 4]
    public convenience init(_ planes: [[[Float]]]) {
        todo("TODO(lesson 01): implement init(_ planes: [[[Float]]])")
    }

    /// The number of elements: the product of the sizes in `shape` (1 for a scalar, whose shape
    /// `[]` has the empty product 1).
    ///
    /// `Tensor.zeros([2, 3]).count == 6`
    public var count: Int {
        todo("TODO(lesson 01): implement count")
    }

    /// The number of axes.  `Tensor.zeros([2, 3]).rank == 2`, and a scalar's rank is 0.
    public var rank: Int {
        todo("TODO(lesson 01): implement rank")
    }

    /// For each axis, how far apart in `data` two elements are whose index on that axis differs
    /// by one. Row-major: the last stride is 1, and each stride is the next stride times the next
    /// size: `strides[i] = strides[i + 1] · shape[i + 1]`.
    ///
    /// `Tensor.zeros([2, 3, 4]).strides == [12, 4, 1]`; a scalar's strides are `[]`.
    public var strides: [Int] {
        todo("TODO(lesson 01): implement strides")
    }

    /// The element at a multi-index, one index per axis: `data[flatIndex(indices, in: shape)]`.
    ///
    /// Use `requireValidShape { try flatIndex(indices, in: shape) }` to stop with the check's
    /// message on a bad index. With `t = Tensor([[1, 2, 3], [4, 5, 6]])`, `t[1, 2] == 6`
    /// (flat index 1·3 + 2·1 = 5), and `t[0, 1] = 9` changes the 2.
    public subscript(indices: Int...) -> Float {
        get { todo("TODO(lesson 01): implement subscript(indices:) get") }
        set { todo("TODO(lesson 01): implement subscript(indices:) set") }
    }

    /// The value of a one-element tensor (a scalar, or any shape of count 1). `require` that
    /// there is exactly one element, naming the shape otherwise.
    ///
    /// `Tensor(2.5).scalar == 2.5`, and later `loss.scalar` prints a loss as a plain number.
    public var scalar: Float {
        todo("TODO(lesson 01): implement scalar")
    }
}

/// The position in row-major `data` of the element at `indices`, for a tensor of `shape`.
///
/// `flat = Σ indices[axis] · stride[axis]`, with the row-major strides of `shape`. Throws a
/// `ShapeError` naming the index and the shape if there is not one index per axis, or an index is
/// outside `0..<shape[axis]`.
///
/// `flatIndex([1, 2], in: [2, 3]) == 5`; `flatIndex([], in: []) == 0`;
/// `flatIndex([2, 0], in: [2, 3])` throws "index [2, 0] is out of range for shape [2, 3]: axis 0
/// has size 2".
public func flatIndex(_ indices: [Int], in shape: [Int]) throws -> Int {
    todo("TODO(lesson 01): implement flatIndex(_:in:)")
}
