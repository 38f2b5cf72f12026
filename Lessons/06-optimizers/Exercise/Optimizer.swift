// Lesson 06, file 1 of 4: what every optimizer has in common.
//
// An optimizer holds the parameters of a model (the very tensors, not copies) and, once
// `loss.backward()` (lesson 05) has filled each parameter's `grad`, moves every parameter a little
// downhill:
//
//     optimizer.zeroGrad()     // forget the gradients of the last batch
//     loss.backward()          // fill parameter.grad for every parameter the loss depends on
//     optimizer.step()         // parameter.data[i] -= (a step computed from grad)
//
// The protocol and the checks at the bottom are given; write `zeroGrad()`.

import TinyTorchTensor

/// Updates a model's parameters from their gradients: PyTorch's `torch.optim.Optimizer`.
///
/// Optimizers are classes (`AnyObject`): the training loop, the learning-rate schedule and your
/// code all talk to the same optimizer, and its state (velocities, moment estimates) must survive
/// from one step to the next.
///
///     let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)
///     for batch in batches {
///         optimizer.zeroGrad()
///         let loss = crossEntropy(logits: model(batch.inputs), targets: batch.labels)
///         loss.backward()
///         optimizer.step()
///     }
public protocol Optimizer: AnyObject {
    /// The tensors this optimizer updates, in a fixed order. The optimizer's state for a
    /// parameter (its velocity, its moment estimates) lives at the same position in the state's
    /// arrays.
    var parameters: [Tensor] { get }

    /// How big a step to take: the `lr` of every formula in this lesson. A schedule (or you) may
    /// change it between steps; the next `step()` uses the new value. Must not be negative.
    var learningRate: Float { get set }

    /// Updates every parameter that has a gradient, in place (`parameter.data[i] -= …`), and
    /// leaves a parameter whose `grad` is `nil` — and its state — exactly as it was.
    func step()

    /// Sets every parameter's `grad` to `nil`, ready for the next `backward()`.
    func zeroGrad()
}

extension Optimizer {
    /// Sets `grad = nil` on every parameter.
    ///
    /// Why clear at all: `backward()` (lesson 05) *adds* each gradient into `grad`, so that a
    /// parameter used twice in a model gets both contributions. Without clearing, the gradient of
    /// this batch would be added onto the last one's. Why `nil` and not zeros: `nil` costs no
    /// memory and no time, and `step()` can tell "no gradient this time" (skip the parameter)
    /// from "a gradient of zero" (still update the momentum). PyTorch does the same by default
    /// (`zero_grad(set_to_none=True)` since version 2.0).
    ///
    ///     w.grad = Tensor([0.5, -1]);  optimizer.zeroGrad();  w.grad == nil
    public func zeroGrad() {
        todo("TODO(lesson 06): implement zeroGrad()")
    }
}

// MARK: - Checks (given)

/// Stops the program unless `parameters` is a list an optimizer can own: not empty, no tensor
/// twice (it would be updated twice per step), and no tensor computed by an operation (changing
/// such a tensor would not change the weights it came from — pass the weights themselves).
func checkParameters(_ parameters: [Tensor], optimizer: String) {
    require(!parameters.isEmpty,
            "\(optimizer): the parameter list is empty — pass model.parameters(), and check "
               + "that the model's weights were made with asParameter()")
    var seen: Set<ObjectIdentifier> = []
    for (index, parameter) in parameters.enumerated() {
        require(seen.insert(ObjectIdentifier(parameter)).inserted,
                "\(optimizer): parameter \(index) (shape \(parameter.shape)) appears twice "
                   + "in the list — it would be updated twice per step")
        require(parameter.recording == nil,
                "\(optimizer): parameter \(index) (shape \(parameter.shape)) was computed by "
                   + "an operation (\(parameter.recording?.operation.name ?? "")); an "
                   + "optimizer updates the tensors you created, such as a layer's weight")
    }
}

/// Stops the program unless `learningRate` is a finite number ≥ 0 (`> 0` when `positive`).
func checkLearningRate(_ learningRate: Float, optimizer: String, positive: Bool = false) {
    require(learningRate.isFinite && (positive ? learningRate > 0 : learningRate >= 0),
            "\(optimizer): learning rate \(learningRate) — it must be "
               + (positive ? "greater than 0 (try 0.01)" : "0 or more"))
}

/// Stops the program unless `gradient` has the shape of the parameter it belongs to.
func checkGradient(_ gradient: Tensor, of parameter: Tensor, at index: Int, optimizer: String) {
    require(gradient.shape == parameter.shape,
            "\(optimizer).step(): parameter \(index) has shape \(parameter.shape) but its "
               + "grad has shape \(gradient.shape) — a gradient has its parameter's shape")
}

/// Stops the program unless `value` lies in `0 ≤ value < 1` (momentum, β₁, β₂).
func checkFraction(_ value: Float, name: String, typical: Float, optimizer: String) {
    require(value >= 0 && value < 1,
            "\(optimizer): \(name) \(value) — it must be at least 0 and below 1 "
               + "(typical: \(typical))")
}

/// Stops the program unless the weight decay is a finite number ≥ 0.
func checkWeightDecay(_ weightDecay: Float, optimizer: String) {
    require(weightDecay.isFinite && weightDecay >= 0,
            "\(optimizer): weight decay \(weightDecay) — it must be 0 (none) or more "
               + "(typical: 1e-4 to 0.1)")
}
