// Lesson 01, file 2 of 7: tensors filled with a constant, or with random numbers.

extension Tensor {
    /// A tensor of `shape` filled with 0.  `Tensor.zeros([2, 2])` is `[[0, 0], [0, 0]]`.
    public static func zeros(_ shape: [Int]) -> Tensor {
        todo("TODO(lesson 01): implement zeros(_:)")
    }

    /// A tensor of `shape` filled with 1.  `Tensor.ones([3])` is `[1, 1, 1]`.
    public static func ones(_ shape: [Int]) -> Tensor {
        todo("TODO(lesson 01): implement ones(_:)")
    }

    /// A tensor of `shape` with every element equal to `value`.
    ///
    /// `Tensor.full([2], value: 7)` is `[7, 7]`; `Tensor.full([], value: 7)` is the scalar 7.
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        todo("TODO(lesson 01): implement full(_:value:)")
    }

    /// A tensor of `shape` whose elements are drawn uniformly from `range`: one
    /// `generator.nextFloat(in: range)` per element, in row-major order.
    ///
    /// The same seed gives the same tensor:
    ///
    ///     var generator = SeededGenerator(seed: 42)
    ///     let w = Tensor.uniform([3, 2], in: -1...1, using: &generator)
    public static func uniform(
        _ shape: [Int], in range: ClosedRange<Float> = -1...1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        todo("TODO(lesson 01): implement uniform(_:in:using:)")
    }

    /// A tensor of `shape` whose elements are drawn from a normal distribution (a bell curve
    /// centred on `mean` with spread `standardDeviation`): one
    /// `generator.nextNormal(mean: mean, standardDeviation: standardDeviation)` per element, in
    /// row-major order.
    ///
    ///     var generator = SeededGenerator(seed: 42)
    ///     let noise = Tensor.normal([100], mean: 0, standardDeviation: 0.1, using: &generator)
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        todo("TODO(lesson 01): implement normal(_:mean:standardDeviation:using:)")
    }
}
