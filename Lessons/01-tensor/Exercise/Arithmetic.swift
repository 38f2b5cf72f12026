// Lesson 01, file 5 of 7: element-wise arithmetic, with broadcasting.
//
// Each operator pairs up elements after broadcasting (Broadcasting.swift) and records what it did:
//
//     return Tensor(shape: shape, data: data, operation: AddOp(), inputs: [a, b])
//
// The forms with a `Float` on one side wrap the number in a scalar tensor, `Tensor(b)` (shape []),
// and call the tensor form: broadcasting does the rest.

extension Tensor {
    /// Element-wise sum, with broadcasting. Records `AddOp()` with inputs `[a, b]`.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([[1, 2], [3, 4]]) + Tensor([10, 20])` is `[[11, 22], [13, 24]]`.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement + (Tensor, Tensor)")
    }

    /// Element-wise difference `a - b`, with broadcasting. Records `SubtractOp()`, inputs `[a, b]`.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([5, 7]) - Tensor([1, 2])` is `[4, 5]`.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement - (Tensor, Tensor)")
    }

    /// Element-wise product (not the matrix product: that is `matmul`), with broadcasting.
    /// Records `MultiplyOp()` with inputs `[a, b]`.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([1, 2, 3]) * Tensor([4, 5, 6])` is `[4, 10, 18]`.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement * (Tensor, Tensor)")
    }

    /// Element-wise quotient `a / b`, with broadcasting. Records `DivideOp()`, inputs `[a, b]`.
    ///
    /// Shape: `a`, `b` → `broadcastShapes(a.shape, b.shape)`.
    /// `Tensor([1, 6]) / Tensor([2, 3])` is `[0.5, 2]`.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement / (Tensor, Tensor)")
    }

    /// Element-wise negation. Records `NegateOp()` with inputs `[a]`.
    ///
    /// Shape: any → same.  `-Tensor([1, -2])` is `[-1, 2]`.
    public static prefix func - (a: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement prefix - (Tensor)")
    }

    // MARK: With a number on one side

    /// `a + b` for every element of `a`.  `Tensor([1, 2]) + 10` is `[11, 12]`.
    public static func + (a: Tensor, b: Float) -> Tensor {
        todo("TODO(lesson 01): implement + (Tensor, Float)")
    }

    /// `a + b` for every element of `b`.  `10 + Tensor([1, 2])` is `[11, 12]`.
    public static func + (a: Float, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement + (Float, Tensor)")
    }

    /// `a - b` for every element of `a`.  `Tensor([1, 2]) - 1` is `[0, 1]`.
    public static func - (a: Tensor, b: Float) -> Tensor {
        todo("TODO(lesson 01): implement - (Tensor, Float)")
    }

    /// `a - b` for every element of `b`.  `1 - Tensor([1, 2])` is `[0, -1]`.
    public static func - (a: Float, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement - (Float, Tensor)")
    }

    /// `a * b` for every element of `a`.  `Tensor([1, 2]) * 3` is `[3, 6]`.
    public static func * (a: Tensor, b: Float) -> Tensor {
        todo("TODO(lesson 01): implement * (Tensor, Float)")
    }

    /// `a * b` for every element of `b`.  `3 * Tensor([1, 2])` is `[3, 6]`.
    public static func * (a: Float, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement * (Float, Tensor)")
    }

    /// `a / b` for every element of `a`.  `Tensor([1, 2]) / 2` is `[0.5, 1]`.
    public static func / (a: Tensor, b: Float) -> Tensor {
        todo("TODO(lesson 01): implement / (Tensor, Float)")
    }

    /// `a / b` for every element of `b`.  `1 / Tensor([1, 2])` is `[1, 0.5]`.
    public static func / (a: Float, b: Tensor) -> Tensor {
        todo("TODO(lesson 01): implement / (Float, Tensor)")
    }
}
