// Every differentiable operation the parity check compares with PyTorch, by the name parity.py
// uses for it. To add one (a new lesson's conv2d, say): one line here, inside the lesson's
// `#if LESSON_NN` block, and one `Op(…)` entry in parity.py with the PyTorch function and the
// shapes to try. docs/COURSE-AUTHORING.md ("Checking a lesson against PyTorch") has an example.

import TinyTorch

/// What a case computed: the output, and the tensors whose gradients answer to the case's
/// inputs, in order — the inputs themselves for a function; for a layer, the parameters its
/// weights were copied into.
struct Computed {
    let output: Tensor
    let gradientHolders: [Tensor]
}

typealias Operation = ([Tensor], Arguments) -> Computed

/// An operation whose gradients are those of its own inputs: nearly all of them.
func function(_ body: @escaping ([Tensor], Arguments) -> Tensor) -> Operation {
    { inputs, arguments in Computed(output: body(inputs, arguments), gradientHolders: inputs) }
}

let operations: [String: Operation] = {
    var table: [String: Operation] = [:]

    #if LESSON_01
    table["add"] = function { x, _ in x[0] + x[1] }
    table["subtract"] = function { x, _ in x[0] - x[1] }
    table["multiply"] = function { x, _ in x[0] * x[1] }
    table["divide"] = function { x, _ in x[0] / x[1] }
    table["negate"] = function { x, _ in -x[0] }
    table["addFloat"] = function { x, a in x[0] + a.float("value") }
    table["floatSubtract"] = function { x, a in a.float("value") - x[0] }
    table["multiplyFloat"] = function { x, a in a.float("value") * x[0] }
    table["floatDivide"] = function { x, a in a.float("value") / x[0] }
    table["divideFloat"] = function { x, a in x[0] / a.float("value") }
    table["matmul"] = function { x, _ in x[0].matmul(x[1]) }
    table["reshaped"] = function { x, a in x[0].reshaped(to: a.ints("shape")) }
    table["transposed"] = function { x, a in
        a.has("axes") ? x[0].transposed(a.ints("axes")[0], a.ints("axes")[1]) : x[0].transposed()
    }
    table["sum"] = function { x, a in
        a.has("axis") ? x[0].sum(alongAxis: a.int("axis"), keepingDimensions: a.bool("keep")) : x[0].sum()
    }
    table["mean"] = function { x, a in
        a.has("axis") ? x[0].mean(alongAxis: a.int("axis"), keepingDimensions: a.bool("keep")) : x[0].mean()
    }
    table["max"] = function { x, a in
        a.has("axis") ? x[0].max(alongAxis: a.int("axis"), keepingDimensions: a.bool("keep")) : x[0].max()
    }
    #endif

    #if LESSON_02
    table["relu"] = function { x, _ in relu(x[0]) }
    table["sigmoid"] = function { x, _ in sigmoid(x[0]) }
    table["tanh"] = function { x, _ in tanh(x[0]) }
    table["gelu"] = function { x, _ in gelu(x[0]) }
    table["softmax"] = function { x, a in softmax(x[0], alongAxis: a.int("axis")) }
    table["logSoftmax"] = function { x, a in logSoftmax(x[0], alongAxis: a.int("axis")) }
    #endif

    #if LESSON_03
    // Inputs: x, weight [in, out], bias [out]; copied into a Linear layer's own parameters.
    table["Linear"] = { x, _ in
        var generator = SeededGenerator(seed: 0)
        let layer = Linear(inputSize: x[1].shape[0], outputSize: x[1].shape[1], using: &generator)
        layer.weight.data = x[1].data
        layer.bias!.data = x[2].data
        return Computed(output: layer(x[0]), gradientHolders: [x[0], layer.weight, layer.bias!])
    }
    #endif

    #if LESSON_04
    table["meanSquaredError"] = function { x, _ in meanSquaredError(x[0], x[1]) }
    table["binaryCrossEntropy(probabilities:)"] = function { x, _ in
        binaryCrossEntropy(probabilities: x[0], targets: x[1])
    }
    table["binaryCrossEntropy(logits:)"] = function { x, _ in
        binaryCrossEntropy(logits: x[0], targets: x[1])
    }
    table["crossEntropy"] = function { x, a in crossEntropy(logits: x[0], targets: a.ints("targets")) }
    #endif

    #if LESSON_05
    table["summed(toShape:)"] = function { x, a in x[0].summed(toShape: a.ints("shape")) }
    // Graphs where autograd must add up the gradients of a tensor used more than once.
    table["reuse"] = function { x, _ in x[0] * x[0] + x[0].sum(alongAxis: -1, keepingDimensions: true) * x[0] }
    table["mlp"] = function { x, a in
        let hidden = relu(x[0].matmul(x[1]) + x[2])
        return crossEntropy(logits: hidden.matmul(x[3]) + x[4], targets: a.ints("targets"))
    }
    #endif

    #if LESSON_09
    table["conv2d"] = function { x, a in
        conv2d(x[0], x[1], bias: x[2], stride: a.int("stride"), padding: a.int("padding"))
    }
    table["conv2dDirect"] = function { x, a in
        conv2dDirect(x[0], x[1], bias: x[2], stride: a.int("stride"), padding: a.int("padding"))
    }
    table["im2col"] = function { x, a in
        im2col(x[0], kernelSize: a.int("kernelSize"), stride: a.int("stride"), padding: a.int("padding"))
    }
    table["maxPool2d"] = function { x, a in
        maxPool2d(x[0], kernelSize: a.int("kernelSize"), stride: a.int("stride"))
    }
    table["avgPool2d"] = function { x, a in
        avgPool2d(x[0], kernelSize: a.int("kernelSize"), stride: a.int("stride"))
    }
    // Inputs: x, weight, bias; training normalizes with the batch's own statistics.
    table["batchNorm2d"] = function { x, _ in
        let channels = x[0].shape[1]
        return batchNorm2d(x[0], runningMean: Tensor.zeros([channels]),
                           runningVariance: Tensor.ones([channels]), weight: x[1], bias: x[2],
                           training: true)
    }
    // Inputs: x, weight, bias, running mean, running variance (the last two without gradients).
    table["batchNorm2d(eval)"] = function { x, _ in
        batchNorm2d(x[0], runningMean: x[3], runningVariance: x[4], weight: x[1], bias: x[2],
                    training: false)
    }
    #endif

    #if LESSON_11
    // Inputs: the table [V, D]; the ids (row-major) and their shape are arguments.
    table["embedding"] = function { x, a in
        embeddingLookup(x[0], TokenBatch(shape: a.ints("shape"), ids: a.ints("ids")))
    }
    #endif

    #if LESSON_12
    // Scores [..., T, T] with the causal mask of T; the scale is an argument.
    table["maskedSoftmax"] = function { x, a in
        maskedSoftmax(x[0], mask: .causal(length: x[0].shape[x[0].rank - 1]),
                      scale: a.float("scale"))
    }
    // Inputs: query, key, value [..., T, d]; causal.
    table["scaledDotProductAttention"] = function { x, _ in
        scaledDotProductAttention(query: x[0], key: x[1], value: x[2],
                                  mask: .causal(length: x[0].shape[x[0].rank - 2]))
    }
    #endif

    return table
}()
