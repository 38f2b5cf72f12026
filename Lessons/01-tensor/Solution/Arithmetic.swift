// Element-wise arithmetic. Each operator pairs up elements after broadcasting the two shapes
// (Broadcasting.swift) and records what it did for lesson 05.
//
// The forms with a `Float` wrap the number in a scalar tensor (shape []) and broadcast it, so
// `x * 2` and `x * Tensor(2)` are the same operation.

extension Tensor {
    /// Element-wise sum, with broadcasting.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([[1, 2], [3, 4]]) + Tensor([10, 20])` is `[[11, 22], [13, 24]]`.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, data) = broadcastElementwise(a, b, +)
        return Tensor(shape: shape, data: data, operation: AddOp(), inputs: [a, b])
    }

    /// Element-wise difference, with broadcasting.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([5, 7]) - Tensor([1, 2])` is `[4, 5]`.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, data) = broadcastElementwise(a, b, -)
        return Tensor(shape: shape, data: data, operation: SubtractOp(), inputs: [a, b])
    }

    /// Element-wise product (not the matrix product: that is `matmul`), with broadcasting.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([1, 2, 3]) * Tensor([4, 5, 6])` is `[4, 10, 18]`.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, data) = broadcastElementwise(a, b, *)
        return Tensor(shape: shape, data: data, operation: MultiplyOp(), inputs: [a, b])
    }

    /// Element-wise quotient, with broadcasting. Dividing by 0 gives ±infinity or NaN, as `Float`
    /// does.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([1, 6]) / Tensor([2, 3])` is `[0.5, 2]`.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, data) = broadcastElementwise(a, b, /)
        return Tensor(shape: shape, data: data, operation: DivideOp(), inputs: [a, b])
    }

    /// Element-wise negation.  Shape: any → same.  `-Tensor([1, -2])` is `[-1, 2]`.
    public static prefix func - (a: Tensor) -> Tensor {
        Tensor(shape: a.shape, data: a.data.map { -$0 }, operation: NegateOp(), inputs: [a])
    }

    // MARK: With a number on one side

    /// `a + b` for every element of `a`.  `Tensor([1, 2]) + 10` is `[11, 12]`.
    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    /// `a + b` for every element of `b`.  `10 + Tensor([1, 2])` is `[11, 12]`.
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    /// `a - b` for every element of `a`.  `Tensor([1, 2]) - 1` is `[0, 1]`.
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    /// `a - b` for every element of `b`.  `1 - Tensor([1, 2])` is `[0, -1]`.
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    /// `a * b` for every element of `a`.  `Tensor([1, 2]) * 3` is `[3, 6]`.
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    /// `a * b` for every element of `b`.  `3 * Tensor([1, 2])` is `[3, 6]`.
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    /// `a / b` for every element of `a`.  `Tensor([1, 2]) / 2` is `[0.5, 1]`.
    public static func / (a: Tensor, b: Float) -> Tensor { a / Tensor(b) }
    /// `a / b` for every element of `b`.  `1 / Tensor([1, 2])` is `[1, 0.5]`.
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }
}
