extension Tensor {
    /// A tensor of `shape` filled with 0.  `Tensor.zeros([2, 2])` is `[[0, 0], [0, 0]]`.
    public static func zeros(_ shape: [Int]) -> Tensor {
        full(shape, value: 0)
    }

    /// A tensor of `shape` filled with 1.  `Tensor.ones([3])` is `[1, 1, 1]`.
    public static func ones(_ shape: [Int]) -> Tensor {
        full(shape, value: 1)
    }

    /// A tensor of `shape` with every element equal to `value`.
    ///
    /// `Tensor.full([2], value: 7)` is `[7, 7]`.
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        require(shape.allSatisfy { $0 >= 0 }, "full: shape \(shape) has a negative size")
        return Tensor(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of `shape` whose elements are drawn uniformly from `range`, in row-major order,
    /// one `generator.nextFloat(in: range)` per element.
    ///
    /// The same seed gives the same tensor:
    ///
    ///     var generator = SeededGenerator(seed: 42)
    ///     let w = Tensor.uniform([3, 2], in: -1...1, using: &generator)
    public static func uniform(
        _ shape: [Int], in range: ClosedRange<Float> = -1...1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        require(shape.allSatisfy { $0 >= 0 }, "uniform: shape \(shape) has a negative size")
        let count = shape.reduce(1, *)
        var data = [Float]()
        data.reserveCapacity(count)
        for _ in 0..<count {
            data.append(generator.nextFloat(in: range))
        }
        return Tensor(shape: shape, data: data)
    }

    /// A tensor of `shape` whose elements are drawn from a normal distribution (a bell curve
    /// centred on `mean` with spread `standardDeviation`), in row-major order, one
    /// `generator.nextNormal(mean:standardDeviation:)` per element.
    ///
    ///     var generator = SeededGenerator(seed: 42)
    ///     let noise = Tensor.normal([100], mean: 0, standardDeviation: 0.1, using: &generator)
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        require(shape.allSatisfy { $0 >= 0 }, "normal: shape \(shape) has a negative size")
        let count = shape.reduce(1, *)
        var data = [Float]()
        data.reserveCapacity(count)
        for _ in 0..<count {
            data.append(generator.nextNormal(mean: mean, standardDeviation: standardDeviation))
        }
        return Tensor(shape: shape, data: data)
    }
}
