// What the parity check compares with torch.optim and torch.nn.utils beyond single operations:
// optimizers over several steps, learning-rate schedules, gradient clipping. Each gets the
// case's inputs (the parameters' starting values), its steps (for an optimizer, one gradient per
// parameter per step) and its arguments, and returns the tensors parity.py compares.

import TinyTorch

typealias Procedure = ([Tensor], [[Tensor]], Arguments) -> [Tensor]

let procedures: [String: Procedure] = {
    var table: [String: Procedure] = [:]

    #if LESSON_06
    /// Runs `optimizer` over the steps, setting each parameter's gradient to the step's, and
    /// returns the parameters after every step.
    func train(_ parameters: [Tensor], _ steps: [[Tensor]], _ optimizer: any Optimizer) -> [Tensor] {
        var trace: [Tensor] = []
        for gradients in steps {
            for (parameter, gradient) in zip(parameters, gradients) { parameter.grad = gradient }
            optimizer.step()
            trace += parameters.map { Tensor(shape: $0.shape, data: $0.data) }
        }
        return trace
    }
    func asParameters(_ inputs: [Tensor]) -> [Tensor] { inputs.map { $0.asParameter() } }

    table["SGD"] = { inputs, steps, a in
        let parameters = asParameters(inputs)
        return train(parameters, steps, SGD(parameters: parameters, learningRate: a.float("lr"),
                                            momentum: a.float("momentum"), nesterov: a.bool("nesterov"),
                                            weightDecay: a.float("weightDecay")))
    }
    table["Adam"] = { inputs, steps, a in
        let parameters = asParameters(inputs)
        return train(parameters, steps, Adam(parameters: parameters, learningRate: a.float("lr"),
                                             beta1: a.float("beta1"), beta2: a.float("beta2"),
                                             epsilon: a.float("epsilon"), weightDecay: a.float("weightDecay")))
    }
    table["AdamW"] = { inputs, steps, a in
        let parameters = asParameters(inputs)
        return train(parameters, steps, AdamW(parameters: parameters, learningRate: a.float("lr"),
                                              beta1: a.float("beta1"), beta2: a.float("beta2"),
                                              epsilon: a.float("epsilon"), weightDecay: a.float("weightDecay")))
    }
    table["StepSchedule"] = { _, _, a in
        let schedule = StepSchedule(initial: a.float("lr"), stepSize: a.int("stepSize"), gamma: a.float("gamma"))
        return [Tensor((0..<a.int("epochs")).map { schedule.learningRate(atEpoch: $0) })]
    }
    table["CosineSchedule"] = { _, _, a in
        let schedule = CosineSchedule(initial: a.float("lr"), minimum: a.float("minimum"),
                                      totalEpochs: a.int("totalEpochs"))
        return [Tensor((0..<a.int("epochs")).map { schedule.learningRate(atEpoch: $0) })]
    }
    #endif

    #if LESSON_07
    // Inputs: the gradients. Returns the total norm before clipping, then the clipped gradients.
    table["clipGradientNorm"] = { inputs, _, a in
        let parameters = inputs.map { Tensor(shape: $0.shape, data: [Float](repeating: 0, count: $0.count)) }
        for (parameter, gradient) in zip(parameters, inputs) { parameter.grad = gradient }
        let total = clipGradientNorm(parameters, maxNorm: a.float("maxNorm"))
        return [Tensor(total)] + parameters.map { $0.grad! }
    }
    #endif

    return table
}()
