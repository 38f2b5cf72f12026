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
    /// `data.count` must be the product of the sizes in `shape` (1 for the scalar shape `[]`).
    ///
    ///     Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])   // [[1, 2, 3], [4, 5, 6]]
    public init(shape: [Int], data: [Float]) {
        require(shape.allSatisfy { $0 >= 0 },
                "Tensor(shape: \(shape), data:) — sizes cannot be negative")
        let expected = shape.reduce(1, *)
        require(data.count == expected,
                "Tensor(shape: \(shape), data:) — the shape holds \(expected) numbers, "
                   + "but data has \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// A scalar (shape `[]`).  `Tensor(3).shape == []`
    public convenience init(_ scalar: Float) {
        self.init(shape: [], data: [scalar])
    }

    /// A vector (shape `[n]`).  `Tensor([1, 2, 3]).shape == [3]`
    public convenience init(_ values: [Float]) {
        self.init(shape: [values.count], data: values)
    }

    /// A matrix (shape `[rows, columns]`) from its rows; every row must have the same length.
    ///
    ///     Tensor([[1, 2, 3], [4, 5, 6]]).shape == [2, 3]
    public convenience init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() {
            require(row.count == columns,
                    "Tensor(rows) — row \(index) has \(row.count) numbers, "
                       + "row 0 has \(columns)")
        }
        self.init(shape: [rows.count, columns], data: rows.flatMap { $0 })
    }

    /// A rank-3 tensor (shape `[planes, rows, columns]`) from its planes; every plane must have the
    /// same number of rows, and every row the same length.
    ///
    ///     Tensor([[[1, 2]], [[3, 4]]]).shape == [2, 1, 2]
    public convenience init(_ planes: [[[Float]]]) {
        let rows = planes.first?.count ?? 0
        let columns = planes.first?.first?.count ?? 0
        for (p, plane) in planes.enumerated() {
            require(plane.count == rows,
                    "Tensor(planes) — plane \(p) has \(plane.count) rows, plane 0 has \(rows)")
            for (r, row) in plane.enumerated() {
                require(row.count == columns,
                        "Tensor(planes) — plane \(p), row \(r) has \(row.count) numbers, "
                           + "plane 0, row 0 has \(columns)")
            }
        }
        self.init(shape: [planes.count, rows, columns], data: planes.flatMap { $0.flatMap { $0 } })
    }

    /// The number of elements: the product of the sizes in `shape` (1 for a scalar).
    ///
    /// `Tensor.zeros([2, 3]).count == 6`
    public var count: Int {
        shape.reduce(1, *)
    }

    /// The number of axes.  `Tensor.zeros([2, 3]).rank == 2`, and a scalar's rank is 0.
    public var rank: Int {
        shape.count
    }

    /// For each axis, how far apart in `data` two elements are whose index on that axis differs
    /// by one. Row-major: the last stride is 1, and each stride is the next stride times the next
    /// size.
    ///
    /// `Tensor.zeros([2, 3, 4]).strides == [12, 4, 1]`
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) {
            strides[axis] = strides[axis + 1] * shape[axis + 1]
        }
        return strides
    }

    /// The element at a multi-index, one index per axis.
    ///
    /// `flat = Σ indices[axis] · strides[axis]`.  With `t = Tensor([[1, 2, 3], [4, 5, 6]])`,
    /// `t[1, 2] == 6` (flat index 1·3 + 2·1 = 5), and `t[0, 1] = 9` changes the 2.
    public subscript(indices: Int...) -> Float {
        get { data[requireValidShape { try flatIndex(indices, in: shape) }] }
        set { data[requireValidShape { try flatIndex(indices, in: shape) }] = newValue }
    }

    /// The value of a one-element tensor (a scalar, or any shape of count 1).
    ///
    /// `Tensor([[1, 2], [3, 4]]).sum().scalar == 10`
    public var scalar: Float {
        require(data.count == 1,
                "scalar: the tensor has shape \(shape) (\(data.count) numbers), "
                   + "not one number")
        return data[0]
    }
}

/// The position in row-major `data` of the element at `indices`, for a tensor of `shape`.
///
/// `flat = Σ indices[axis] · stride[axis]`, with row-major strides. Throws if there is not one
/// index per axis, or an index is outside `0..<shape[axis]`.
///
/// `flatIndex([1, 2], in: [2, 3]) == 5`; `flatIndex([2, 0], in: [2, 3])` throws
/// "index [2, 0] is out of range for shape [2, 3]: axis 0 has size 2".
public func flatIndex(_ indices: [Int], in shape: [Int]) throws -> Int {
    guard indices.count == shape.count else {
        throw ShapeError("index \(indices) has \(indices.count) numbers, but shape \(shape) "
            + "has \(shape.count) axes: give one index per axis")
    }
    // Walk from the last axis, where the stride is 1, growing the stride as we go left.
    var flat = 0
    var axisStride = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        guard (0..<shape[axis]).contains(indices[axis]) else {
            throw ShapeError("index \(indices) is out of range for shape \(shape): "
                + "axis \(axis) has size \(shape[axis])")
        }
        flat += indices[axis] * axisStride
        axisStride *= shape[axis]
    }
    return flat
}
