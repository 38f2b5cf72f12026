// Lesson 04, file 1 of 3: mean squared error, and the shape check every element-wise loss shares.
//
// Every loss in this lesson returns ONE number, a scalar tensor (shape []), and records ONE
// operation from Provided/Operations.swift (given; read it first). The targets are saved inside the
// operation, and the only input recorded is the predictions:
//
//     return Tensor(shape: [], data: [loss], operation: MeanSquaredErrorOp(targets: targets.data),
//                   inputs: [predictions])
//
// Write `lossElementCount` first: the two binary cross-entropies in the next file use it too.

import TinyTorchTensor

/// The number of elements an element-wise loss averages over, after checking that the
/// predictions and the targets have the same shape and are not empty.
///
/// A loss compares each prediction with its own target, so the shapes must be equal: losses do
/// not broadcast. (Predictions `[4, 1]` against targets `[4]` would broadcast to `[4, 4]` and
/// compare every prediction with every target — a classic silent bug.) Throws a `ShapeError`
/// whose message starts with `loss` (the calling function's name) and names both shapes; an
/// empty shape such as `[0, 3]` throws too (the mean of nothing is undefined).
///
///     try lossElementCount("meanSquaredError", predictions: [2, 3], targets: [2, 3]) == 6
///     try lossElementCount("meanSquaredError", predictions: [], targets: []) == 1   // scalars
///     try lossElementCount("meanSquaredError", predictions: [4, 1], targets: [4])
///     // throws "meanSquaredError: predictions [4, 1] and targets [4] differ in shape — …"
public func lossElementCount(
    _ loss: String, predictions: [Int], targets: [Int]
) throws -> Int {
    todo("TODO(lesson 04): implement lossElementCount(_:predictions:targets:)")
}

/// Mean squared error: the mean, over every element, of the squared difference
/// `(prediction − target)²`. PyTorch's `F.mse_loss`.
///
///     loss = (1/n) · Σ_i (p_i − t_i)²          n = the number of elements
///
/// Shapes: `predictions` and `targets` of the same shape (checked with `lossElementCount` through
/// `requireValidShape`) → a scalar (shape `[]`). Records
/// `MeanSquaredErrorOp(targets: targets.data)` with inputs `[predictions]`.
///
///     meanSquaredError(Tensor([2.5, 0, 2, 8]), Tensor([3, -0.5, 2, 7]))
///     // errors −0.5, 0.5, 0, 1 → squares 0.25, 0.25, 0, 1 → mean 0.375
public func meanSquaredError(_ predictions: Tensor, _ targets: Tensor) -> Tensor {
    todo("TODO(lesson 04): implement meanSquaredError(_:_:)")
}
