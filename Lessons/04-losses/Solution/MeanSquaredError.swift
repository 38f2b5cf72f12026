// Mean squared error, and the shape check that every element-wise loss shares.

import TinyTorchTensor

/// The number of elements an element-wise loss averages over, after checking that the
/// predictions and the targets have the same shape and are not empty.
///
/// A loss compares each prediction with its own target, so the shapes must be equal: losses do
/// not broadcast. (Predictions `[4, 1]` against targets `[4]` would broadcast to `[4, 4]` and
/// compare every prediction with every target — a classic silent bug.) `loss` names the calling
/// function in the message.
///
///     try lossElementCount("meanSquaredError", predictions: [2, 3], targets: [2, 3]) == 6
///     try lossElementCount("meanSquaredError", predictions: [4, 1], targets: [4])
///     // throws "meanSquaredError: predictions [4, 1] and targets [4] differ in shape — …"
public func lossElementCount(
    _ loss: String, predictions: [Int], targets: [Int]
) throws -> Int {
    guard predictions == targets else {
        throw ShapeError("\(loss): predictions \(predictions) and targets \(targets) differ in "
            + "shape — a loss compares them element by element, so the shapes must be equal")
    }
    let count = predictions.reduce(1, *)
    guard count > 0 else {
        throw ShapeError("\(loss): predictions \(predictions) hold no numbers — the mean of "
            + "nothing is undefined")
    }
    return count
}

/// Mean squared error: the mean, over every element, of the squared difference
/// `(prediction − target)²`. PyTorch's `F.mse_loss`.
///
/// Shapes: `predictions` and `targets` of the same shape → a scalar (shape `[]`). Records
/// `MeanSquaredErrorOp(targets: targets.data)` with inputs `[predictions]`.
///
///     meanSquaredError(Tensor([2.5, 0, 2, 8]), Tensor([3, -0.5, 2, 7]))
///     // errors −0.5, 0.5, 0, 1 → squares 0.25, 0.25, 0, 1 → mean 0.375
public func meanSquaredError(_ predictions: Tensor, _ targets: Tensor) -> Tensor {
    let count = requireValidShape {
        try lossElementCount("meanSquaredError", predictions: predictions.shape,
                             targets: targets.shape)
    }
    // Summed in Double: a Float running total of many numbers drifts.
    var total = 0.0
    for (prediction, target) in zip(predictions.data, targets.data) {
        let error = Double(prediction) - Double(target)
        total += error * error
    }
    return Tensor(shape: [], data: [Float(total / Double(count))],
                  operation: MeanSquaredErrorOp(targets: targets.data), inputs: [predictions])
}
