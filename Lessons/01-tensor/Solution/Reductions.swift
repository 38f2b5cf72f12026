/// The shape of a reduction (sum, mean, max) of a tensor of `shape` along `axis`: the axis is
/// removed, or kept with size 1 when `keepingDimensions` is true.
///
///     reducedShape([2, 3], alongAxis: 1, keepingDimensions: false) == [2]
///     reducedShape([2, 3], alongAxis: 1, keepingDimensions: true)  == [2, 1]
///     reducedShape([2, 3], alongAxis: -2, keepingDimensions: false) == [3]
public func reducedShape(
    _ shape: [Int], alongAxis axis: Int, keepingDimensions: Bool
) throws -> [Int] {
    let axis = try normalizedAxis(axis, in: shape)
    var result = shape
    if keepingDimensions {
        result[axis] = 1
    } else {
        result.remove(at: axis)
    }
    return result
}

extension Tensor {
    /// The sum of all elements, as a scalar tensor.
    ///
    /// Shape: any → `[]`.  `Tensor([[1, 2], [3, 4]]).sum()` is `Tensor(10)`.
    public func sum() -> Tensor {
        // Added up in Double, as every sum here: a Float running total drifts (README).
        let total = data.reduce(0.0) { $0 + Double($1) }
        return Tensor(shape: [], data: [Float(total)],
                      operation: SumOp(axis: nil, keepingDimensions: false, inputShape: shape),
                      inputs: [self])
    }

    /// Sums along one axis: `result[i, k] = Σ_j x[i, j, k]` for axis 1 of a rank-3 tensor.
    ///
    /// Shape: the axis is removed, or kept with size 1 if `keepingDimensions`.
    /// With `x = Tensor([[1, 2, 3], [4, 5, 6]])`: `x.sum(alongAxis: 0)` is `[5, 7, 9]`,
    /// `x.sum(alongAxis: 1)` is `[6, 15]`, and `x.sum(alongAxis: 1, keepingDimensions: true)` is
    /// `[[6], [15]]`.
    public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let outputShape = requireValidShape {
            try reducedShape(shape, alongAxis: axis, keepingDimensions: keepingDimensions)
        }
        let axis = requireValidShape { try normalizedAxis(axis, in: shape) }
        return Tensor(shape: outputShape, data: sums(alongAxis: axis).map { Float($0) },
                      operation: SumOp(axis: axis, keepingDimensions: keepingDimensions,
                                       inputShape: shape),
                      inputs: [self])
    }

    /// The mean of all elements, as a scalar tensor: `sum / count`, the sum added up in `Double`.
    ///
    /// Shape: any → `[]`.  `Tensor([1, 2, 3, 6]).mean()` is `Tensor(3)`.
    public func mean() -> Tensor {
        let total = data.reduce(0.0) { $0 + Double($1) }
        return Tensor(shape: [], data: [Float(total / Double(count))],
                      operation: MeanOp(axis: nil, keepingDimensions: false, inputShape: shape),
                      inputs: [self])
    }

    /// The mean along one axis: the sum along it (in `Double`s) divided by its size.
    ///
    /// Shape: as `sum(alongAxis:keepingDimensions:)`.
    /// `Tensor([[1, 2, 3], [4, 5, 6]]).mean(alongAxis: 1)` is `[2, 5]`.
    public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let outputShape = requireValidShape {
            try reducedShape(shape, alongAxis: axis, keepingDimensions: keepingDimensions)
        }
        let axis = requireValidShape { try normalizedAxis(axis, in: shape) }
        let size = Double(shape[axis])
        return Tensor(shape: outputShape, data: sums(alongAxis: axis).map { Float($0 / size) },
                      operation: MeanOp(axis: axis, keepingDimensions: keepingDimensions,
                                        inputShape: shape),
                      inputs: [self])
    }

    /// The largest element, as a scalar tensor. The tensor must not be empty. A NaN is larger
    /// than everything (`beats`): the max of `[1, nan, -2]` is NaN, as in PyTorch.
    ///
    /// Shape: any → `[]`.  `Tensor([[1, 5], [3, 2]]).max()` is `Tensor(5)`, and the recorded
    /// `MaxOp` keeps `argmax == [1]`, the flat index of the 5.
    public func max() -> Tensor {
        require(!data.isEmpty, "max(): the tensor of shape \(shape) is empty: no maximum")
        var best = 0
        for index in data.indices where beats(data[index], data[best]) {
            best = index
        }
        return Tensor(shape: [], data: [data[best]],
                      operation: MaxOp(axis: nil, keepingDimensions: false, inputShape: shape,
                                       argmax: [best]),
                      inputs: [self])
    }

    /// The largest element along one axis; the first one wins a tie, and a NaN wins over
    /// everything (`beats`).
    ///
    /// Shape: as `sum(alongAxis:keepingDimensions:)`. The recorded `MaxOp` keeps, for each output
    /// element, the flat index into `data` of the input element that won (lesson 05 sends the
    /// gradient there). `Tensor([[1, 5, 2], [7, 0, 7]]).max(alongAxis: 1)` is `[5, 7]` with
    /// `argmax == [1, 3]`.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let outputShape = requireValidShape {
            try reducedShape(shape, alongAxis: axis, keepingDimensions: keepingDimensions)
        }
        let axis = requireValidShape { try normalizedAxis(axis, in: shape) }
        let (outer, size, inner) = layout(around: axis)
        require(size > 0, "max(alongAxis: \(axis)): axis \(axis) of shape \(shape) is empty: "
            + "no maximum")

        // Start from the first entry along the axis, then let later entries beat it.
        var maxima = [Float](repeating: 0, count: outer * inner)
        var argmax = [Int](repeating: 0, count: outer * inner)
        data.withUnsafeBufferPointer { input in
            for o in 0..<outer {
                for i in 0..<inner {
                    argmax[o * inner + i] = o * size * inner + i
                    maxima[o * inner + i] = input[o * size * inner + i]
                }
                for k in 1..<size {
                    let row = (o * size + k) * inner
                    for i in 0..<inner where beats(input[row + i], maxima[o * inner + i]) {
                        maxima[o * inner + i] = input[row + i]
                        argmax[o * inner + i] = row + i
                    }
                }
            }
        }
        return Tensor(shape: outputShape, data: maxima,
                      operation: MaxOp(axis: axis, keepingDimensions: keepingDimensions,
                                       inputShape: shape, argmax: argmax),
                      inputs: [self])
    }

    // MARK: Helpers

    /// Whether `candidate` replaces `best` as the maximum so far: when it is larger, or when it is
    /// NaN and `best` is not. `>` alone is false for every comparison with NaN, so a NaN after
    /// the first element would vanish — and a NaN that vanishes is how a diverging training run
    /// looks healthy. The first NaN stays: nothing beats it (PyTorch's `max` does the same).
    private func beats(_ candidate: Float, _ best: Float) -> Bool {
        candidate > best || (candidate.isNaN && !best.isNaN)
    }

    /// The tensor seen as three axes `[outer, size, inner]` around `axis`: `size` is the axis's
    /// own size, `outer` and `inner` the products of the sizes before and after it. Element
    /// `[o, k, i]` sits at `data[(o * size + k) * inner + i]`.
    private func layout(around axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// The sums along a (normalized) axis, in row-major order of the result, added up in
    /// `Double`: a `Float` total stops growing once it is 2^24 times larger than what is added
    /// (the README's 16,777,216 + 1), and drifts long before.
    private func sums(alongAxis axis: Int) -> [Double] {
        let (outer, size, inner) = layout(around: axis)
        var output = [Double](repeating: 0, count: outer * inner)
        data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                // k before i: each step adds a whole contiguous row of `inner` numbers.
                for o in 0..<outer {
                    for k in 0..<size {
                        let row = (o * size + k) * inner
                        for i in 0..<inner {
                            output[o * inner + i] += Double(input[row + i])
                        }
                    }
                }
            }
        }
        return output
    }
}
