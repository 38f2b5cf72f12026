"""The ops parity.py compares with PyTorch, and the random cases each one gets.

To add an op — a new lesson's conv2d, say — append an `Op` to OPS: the name Runner/Operations.swift
gives it, its lesson, what PyTorch computes, and a function drawing its cases from a seeded
generator (the helpers below draw shapes that broadcast, every axis, and so on). Then add its line
to Runner/Operations.swift. docs/COURSE-AUTHORING.md ("Checking a lesson against PyTorch") has a
worked example.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F


# MARK: - Cases

@dataclass
class Case:
    """One run of an op: its float32 inputs, which of them get a gradient, its arguments."""
    inputs: list
    grad: list
    args: dict = field(default_factory=dict)
    label: str = ""
    steps: list = field(default_factory=list)  # procedures: per step, one array per input


@dataclass
class Op:
    """An op under test. `torch(inputs, args)` computes it with PyTorch tensors; `cases(rng)`
    draws its cases. A procedure (optimizer, schedule, clipping) instead gets
    `torch(inputs, steps, args)` and returns a list of tensors, as Runner/Procedures.swift does."""
    name: str
    lesson: int
    torch: Callable
    cases: Callable
    procedure: bool = False


def normal(rng, shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def uniform(rng, shape, low, high):
    return rng.uniform(low, high, shape).astype(np.float32)


def random_shape(rng, low_rank=1, high_rank=4, high_size=5):
    return [int(s) for s in rng.integers(1, high_size + 1, size=int(rng.integers(low_rank, high_rank + 1)))]


def broadcast_partner(rng, shape):
    """A shape that broadcasts to `shape`: some leading axes dropped, some sizes set to 1."""
    drop = int(rng.integers(0, len(shape) + 1))
    return [1 if rng.random() < 0.4 else s for s in shape[drop:]]


def binary_cases(rng, denominator=False):
    """Pairs of shapes that broadcast (both sides stretching), and the fixed corner cases."""
    pairs = [([2, 3], [3]), ([2, 1], [1, 3]), ([4, 1, 3], [2, 1]), ([], [2, 3]), ([5], [5])]
    for _ in range(6):
        shape = random_shape(rng)
        first = [1 if rng.random() < 0.25 else s for s in shape]
        pairs.append((first, broadcast_partner(rng, shape)))
    cases = []
    for a, b in pairs:
        second = (np.sign(normal(rng, b)) * uniform(rng, b, 0.5, 2)).astype(np.float32) if denominator \
            else normal(rng, b)
        cases.append(Case([normal(rng, a), second], [True, True], label=f"{a} with {b}"))
    return cases


def unary_cases(rng, scale=1.0, nan=False):
    cases = [Case([normal(rng, s, scale)], [True], label=f"{s}") for s in
             [[], [7]] + [random_shape(rng) for _ in range(5)]]
    if nan:
        x = normal(rng, [2, 5], scale)
        x[0, 2] = np.nan
        cases.append(Case([x], [True], label="[2, 5] holding a NaN"))
    return cases


def float_cases(rng, positive=False):
    cases = []
    for shape in [[], [4], [2, 3, 2]]:
        x = uniform(rng, shape, 0.5, 2) if positive else normal(rng, shape)
        cases.append(Case([x], [True], {"value": float(np.float32(rng.uniform(-3, 3)) or 1.5)}, label=f"{shape}"))
    return cases


def matmul_cases(rng):
    pairs = [([3, 4], [4, 5]), ([1, 1], [1, 1]), ([5, 2, 3], [3, 4]), ([2, 1, 2, 3], [3, 3, 2]),
             ([4, 5], [2, 5, 3]), ([32, 100], [100, 50])]
    for _ in range(5):
        n, k, m = (int(v) for v in rng.integers(1, 8, size=3))
        batch = random_shape(rng, 0, 2, 3)
        pairs.append((batch + [n, k], broadcast_partner(rng, batch) + [k, m]))
    return [Case([normal(rng, a), normal(rng, b)], [True, True], label=f"{a} × {b}") for a, b in pairs]


def reshape_cases(rng):
    cases = []
    for shape, target in [([2, 3], [3, 2]), ([2, 3, 4], [4, -1]), ([6], [1, 2, 1, 3]), ([], [1, 1]), ([3, 4], [-1])]:
        cases.append(Case([normal(rng, shape)], [True], {"shape": target}, label=f"{shape} to {target}"))
    return cases


def transpose_cases(rng):
    cases = [Case([normal(rng, [3, 4])], [True], label="[3, 4] transposed()"),
             Case([normal(rng, [2, 3, 4])], [True], label="[2, 3, 4] transposed()")]
    for _ in range(5):
        shape = random_shape(rng, 2, 4)
        axes = [int(a) for a in rng.integers(-len(shape), len(shape), size=2)]
        cases.append(Case([normal(rng, shape)], [True], {"axes": axes}, label=f"{shape} transposed{tuple(axes)}"))
    return cases


def reduction_cases(rng, nan=False, long=False):
    """The whole tensor, and every axis (counted from the front and from the back) with and
    without keep-dims, on a few random shapes; with `long`, sums of 2^18 numbers too."""
    cases = []
    if long:
        cases.append(Case([uniform(rng, [2, 1 << 18], 0, 1)], [True], {"axis": 1, "keep": False}, label="[2, 2^18] U(0, 1), axis 1"))
        cases.append(Case([uniform(rng, [1 << 18, 2], 0, 1)], [True], {"axis": 0, "keep": True}, label="[2^18, 2] U(0, 1), axis 0, kept"))
    for shape in [[7], [3, 4], random_shape(rng, 2, 4), random_shape(rng, 3, 4)]:
        cases.append(Case([normal(rng, shape)], [True], label=f"{shape}, everything"))
        for axis in range(-len(shape), len(shape)):
            keep = bool(rng.integers(0, 2))
            cases.append(Case([normal(rng, shape)], [True], {"axis": axis, "keep": keep},
                              label=f"{shape}, axis {axis}{', kept' if keep else ''}"))
    if nan:
        x = normal(rng, [3, 4])
        x[1, 2] = np.nan
        cases.append(Case([x.copy()], [True], label="[3, 4] holding a NaN, everything"))
        cases.append(Case([x.copy()], [True], {"axis": 1, "keep": False}, label="[3, 4] holding a NaN, axis 1"))
        cases.append(Case([x.copy()], [True], {"axis": 0, "keep": True}, label="[3, 4] holding a NaN, axis 0, kept"))
    return cases


def axis_cases(rng, scale):
    cases = [Case([normal(rng, [2, 1 << 18], scale)], [True], {"axis": 1}, label="[2, 2^18], axis 1")]
    for shape in [[5], [4, 10], random_shape(rng, 2, 4), random_shape(rng, 3, 4)]:
        for axis in range(-len(shape), len(shape)):
            cases.append(Case([normal(rng, shape, scale)], [True], {"axis": axis}, label=f"{shape}, axis {axis}"))
    x = normal(rng, [2, 3], 1) + np.array([[1000], [-1000]], dtype=np.float32)
    cases.append(Case([x], [True], {"axis": -1}, label="[2, 3] near ±1000"))
    return cases


def linear_cases(rng):
    cases = []
    for batch, inputs, outputs in [([4], 3, 2), ([2, 5], 4, 3), ([64], 784 // 8, 16)]:
        cases.append(Case([normal(rng, batch + [inputs]), normal(rng, [inputs, outputs], 0.3), normal(rng, [outputs])],
                          [True, True, True], label=f"{batch + [inputs]} → {outputs}"))
    return cases


def loss_cases(rng, make):
    return [Case(list(make(shape)), [True, False], label=f"{shape}")
            for shape in [[1], [4], [3, 5], random_shape(rng, 1, 3, 8)]]


def cross_entropy_cases(rng):
    cases = []
    for batch, classes, offset in [(1, 3, 0), (8, 10, 0), (64, 10, 0), (16, 5, 100), (16, 5, 1e4), (16, 5, 1e5)]:
        logits = (normal(rng, [batch, classes]) + np.float32(offset)).astype(np.float32)
        cases.append(Case([logits], [True], {"targets": [int(t) for t in rng.integers(0, classes, batch)]},
                          label=f"[{batch}, {classes}]" + (f" + {offset:g}" if offset else "")))
    cases.append(Case([np.array([[1e30, 1e30, -1e30]], np.float32)], [True], {"targets": [2]}, label="[[1e30, 1e30, -1e30]]"))
    cases.append(Case([np.array([[1e4, 1e4]], np.float32)], [True], {"targets": [0]}, label="[[1e4, 1e4]]"))
    return cases


def sum_to_cases(rng):
    cases = []
    for _ in range(6):
        shape = random_shape(rng)
        target = broadcast_partner(rng, shape)
        cases.append(Case([normal(rng, shape)], [True], {"shape": target}, label=f"{shape} to {target}"))
    cases.append(Case([normal(rng, [2, 3])], [True], {"shape": []}, label="[2, 3] to []"))
    return cases


def mlp_cases(rng):
    batch, inputs, hidden, classes = 16, 12, 8, 5
    return [Case([normal(rng, [batch, inputs]), normal(rng, [inputs, hidden], 0.4), normal(rng, [hidden], 0.1),
                  normal(rng, [hidden, classes], 0.4), normal(rng, [classes], 0.1)], [True] * 5,
                 {"targets": [int(t) for t in rng.integers(0, classes, batch)]}, label="16 × 12 → 8 → 5")]


def embedding_cases(rng):
    """Tables with ids drawn with repeats (so rows collect several gradients) and rows never read."""
    cases = []
    for shape, vocabulary, dimension in [([5], 7, 3), ([2, 3], 4, 5), ([12, 16], 65, 32), ([3, 4, 2], 10, 1)]:
        ids = [int(i) for i in rng.integers(0, vocabulary, int(np.prod(shape)))]
        cases.append(Case([normal(rng, [vocabulary, dimension])], [True], {"shape": shape, "ids": ids},
                          label=f"ids {shape}, table [{vocabulary}, {dimension}]"))
    return cases


def masked_softmax_cases(rng):
    """Causal [..., T, T] scores, some far apart (the max trick), with the scale attention uses."""
    return [Case([normal(rng, shape, spread)], [True], {"scale": scale}, label=f"{shape} × {scale:g}")
            for shape, spread, scale in [([3, 3], 1, 1.0), ([2, 4, 5, 5], 2, 0.5), ([12, 4, 16, 16], 30, 0.1767767)]]


def torch_masked_softmax(x, a):
    t = x[0].shape[-1]
    allowed = torch.ones(t, t, dtype=torch.bool).tril()
    return torch.softmax((x[0] * a["scale"]).masked_fill(~allowed, float("-inf")), dim=-1)


def attention_cases(rng):
    cases = []
    for batch, t, d, dv in [([], 3, 4, 2), ([2], 5, 8, 8), ([2, 4], 16, 32, 32)]:
        cases.append(Case([normal(rng, batch + [t, d]), normal(rng, batch + [t, d]), normal(rng, batch + [t, dv])],
                          [True, True, True], label=f"{batch + [t, d]}, values {dv}"))
    return cases


def torch_sum_to(x, shape):
    lead = x.dim() - len(shape)
    if lead:
        x = x.sum(dim=tuple(range(lead)))
    for axis, size in enumerate(shape):
        if size == 1 and x.shape[axis] != 1:
            x = x.sum(dim=axis, keepdim=True)
    return x.reshape(shape)


def torch_reduce(kind):
    def reduce(x, a):
        if "axis" not in a:
            return getattr(x[0], kind)()
        result = getattr(x[0], kind)(dim=a["axis"], keepdim=a["keep"])
        return result.values if kind == "max" else result
    return reduce


# MARK: - Procedures: optimizers, schedules, clipping

def optimizer_cases(rng, settings):
    cases = []
    for setting in settings:
        shapes = [[3, 4], [4]]
        steps = [[normal(rng, s) for s in shapes] for _ in range(5)]
        cases.append(Case([normal(rng, s) for s in shapes], [False, False], setting, steps=steps,
                          label=", ".join(f"{k} {v}" for k, v in setting.items())))
    return cases


def torch_optimizer(make):
    def run(inputs, steps, a):
        parameters = [torch.nn.Parameter(x.clone()) for x in inputs]
        optimizer = make(parameters, a)
        trace = []
        for gradients in steps:
            for parameter, gradient in zip(parameters, gradients):
                parameter.grad = gradient.clone()
            optimizer.step()
            trace += [p.detach().clone() for p in parameters]
        return trace
    return run


def torch_schedule(make):
    def run(inputs, steps, a):
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=a["lr"])
        scheduler = make(optimizer, a)
        rates = []
        for _ in range(a["epochs"]):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        return [torch.tensor(rates, dtype=torch.float64)]
    return run


def torch_clip(inputs, steps, a):
    parameters = [torch.nn.Parameter(torch.zeros_like(g)) for g in inputs]
    for parameter, gradient in zip(parameters, inputs):
        parameter.grad = gradient.clone()
    total = torch.nn.utils.clip_grad_norm_(parameters, a["maxNorm"])
    return [total.reshape([])] + [p.grad for p in parameters]


def clip_cases(rng):
    return [Case([normal(rng, [3, 4]), normal(rng, [5])], [False, False], {"maxNorm": m}, label=f"maxNorm {m}")
            for m in [0.5, 1.0, 100.0]]


adam = {"lr": 1e-2, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}

def conv_cases(rng):
    # (batch, channels, height, width, filters, kernel, stride, padding)
    shapes = [(2, 3, 8, 8, 4, 3, 1, 1), (2, 3, 7, 5, 4, 3, 2, 0), (1, 2, 6, 6, 5, 1, 1, 0),
              (3, 1, 9, 8, 2, 5, 3, 2), (4, 16, 16, 16, 8, 3, 1, 1)]
    return [Case([normal(rng, [n, c, h, w]), normal(rng, [o, c, k, k], 0.3), normal(rng, [o])],
                 [True, True, True], {"stride": s, "padding": p},
                 label=f"[{n}, {c}, {h}, {w}] * [{o}, {c}, {k}, {k}] stride {s} padding {p}")
            for n, c, h, w, o, k, s, p in shapes]


def im2col_cases(rng):
    return [Case([normal(rng, shape)], [True], {"kernelSize": k, "stride": s, "padding": p},
                 label=f"{shape} kernel {k} stride {s} padding {p}")
            for shape, k, s, p in [([2, 3, 5, 4], 3, 1, 1), ([1, 2, 7, 7], 2, 2, 0), ([2, 1, 6, 5], 3, 2, 2)]]


def pool_cases(rng):
    return [Case([normal(rng, shape)], [True], {"kernelSize": k, "stride": s},
                 label=f"{shape} kernel {k} stride {s}")
            for shape, k, s in [([2, 3, 4, 4], 2, 2), ([1, 2, 5, 5], 3, 2), ([2, 2, 5, 4], 2, 1),
                                ([8, 16, 16, 16], 2, 2)]]


def batch_norm_cases(rng, running=False):
    cases = []
    for shape in [[4, 3, 2, 2], [2, 5, 3, 4], [16, 8, 8, 8]]:
        channels = shape[1]
        inputs = [normal(rng, shape, 2) + 1, uniform(rng, [channels], 0.5, 2), normal(rng, [channels])]
        grads = [True, True, True]
        if running:
            inputs += [normal(rng, [channels]), uniform(rng, [channels], 0.5, 2)]
            grads += [False, False]
        cases.append(Case(inputs, grads, label=f"{shape}"))
    return cases


OPS = [
    # Lesson 01: tensor
    Op("add", 1, lambda x, a: x[0] + x[1], binary_cases),
    Op("subtract", 1, lambda x, a: x[0] - x[1], binary_cases),
    Op("multiply", 1, lambda x, a: x[0] * x[1], binary_cases),
    Op("divide", 1, lambda x, a: x[0] / x[1], lambda rng: binary_cases(rng, denominator=True)),
    Op("negate", 1, lambda x, a: -x[0], unary_cases),
    Op("addFloat", 1, lambda x, a: x[0] + a["value"], float_cases),
    Op("floatSubtract", 1, lambda x, a: a["value"] - x[0], float_cases),
    Op("multiplyFloat", 1, lambda x, a: a["value"] * x[0], float_cases),
    Op("floatDivide", 1, lambda x, a: a["value"] / x[0], lambda rng: float_cases(rng, positive=True)),
    Op("divideFloat", 1, lambda x, a: x[0] / a["value"], float_cases),
    Op("matmul", 1, lambda x, a: torch.matmul(x[0], x[1]), matmul_cases),
    Op("reshaped", 1, lambda x, a: x[0].reshape(a["shape"]), reshape_cases),
    Op("transposed", 1, lambda x, a: x[0].transpose(*a.get("axes", (-2, -1))), transpose_cases),
    Op("sum", 1, torch_reduce("sum"), lambda rng: reduction_cases(rng, long=True)),
    Op("mean", 1, torch_reduce("mean"), lambda rng: reduction_cases(rng, long=True)),
    Op("max", 1, torch_reduce("max"), lambda rng: reduction_cases(rng, nan=True)),
    # Lesson 02: activations
    Op("relu", 2, lambda x, a: torch.relu(x[0]), lambda rng: unary_cases(rng, nan=True)),
    Op("sigmoid", 2, lambda x, a: torch.sigmoid(x[0]), lambda rng: unary_cases(rng, scale=5)),
    Op("tanh", 2, lambda x, a: torch.tanh(x[0]), lambda rng: unary_cases(rng, scale=3)),
    Op("gelu", 2, lambda x, a: F.gelu(x[0], approximate="tanh"), lambda rng: unary_cases(rng, scale=3)),
    Op("softmax", 2, lambda x, a: torch.softmax(x[0], dim=a["axis"]), lambda rng: axis_cases(rng, 3)),
    Op("logSoftmax", 2, lambda x, a: torch.log_softmax(x[0], dim=a["axis"]), lambda rng: axis_cases(rng, 3)),
    # Lesson 03: layers (Dropout's mask is random: its lesson tests check it)
    Op("Linear", 3, lambda x, a: x[0] @ x[1] + x[2], linear_cases),
    # Lesson 04: losses
    Op("meanSquaredError", 4, lambda x, a: F.mse_loss(x[0], x[1]),
       lambda rng: loss_cases(rng, lambda s: (normal(rng, s), normal(rng, s)))),
    Op("binaryCrossEntropy(probabilities:)", 4, lambda x, a: F.binary_cross_entropy(x[0], x[1]),
       lambda rng: loss_cases(rng, lambda s: (uniform(rng, s, 0.02, 0.98), uniform(rng, s, 0, 1).round()))),
    Op("binaryCrossEntropy(logits:)", 4, lambda x, a: F.binary_cross_entropy_with_logits(x[0], x[1]),
       lambda rng: loss_cases(rng, lambda s: (normal(rng, s, 4), uniform(rng, s, 0, 1)))),
    Op("crossEntropy", 4, lambda x, a: F.cross_entropy(x[0], torch.tensor(a["targets"])), cross_entropy_cases),
    # Lesson 05: autograd (every gradient above is lesson 05's; these are its own)
    Op("summed(toShape:)", 5, lambda x, a: torch_sum_to(x[0], a["shape"]), sum_to_cases),
    Op("reuse", 5, lambda x, a: x[0] * x[0] + x[0].sum(dim=-1, keepdim=True) * x[0],
       lambda rng: [case for case in unary_cases(rng) if case.inputs[0].ndim > 0]),
    Op("mlp", 5, lambda x, a: F.cross_entropy(torch.relu(x[0] @ x[1] + x[2]) @ x[3] + x[4], torch.tensor(a["targets"])),
       mlp_cases),
    # Lesson 06: optimizers, 5 steps each, and schedules
    Op("SGD", 6, torch_optimizer(lambda p, a: torch.optim.SGD(
        p, lr=a["lr"], momentum=a["momentum"], nesterov=a["nesterov"], weight_decay=a["weightDecay"])),
       lambda rng: optimizer_cases(rng, [
           {"lr": 0.1, "momentum": 0.0, "nesterov": False, "weightDecay": 0.0},
           {"lr": 0.1, "momentum": 0.9, "nesterov": False, "weightDecay": 0.0},
           {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}]), procedure=True),
    Op("Adam", 6, torch_optimizer(lambda p, a: torch.optim.Adam(
        p, lr=a["lr"], betas=(a["beta1"], a["beta2"]), eps=a["epsilon"], weight_decay=a["weightDecay"])),
       lambda rng: optimizer_cases(rng, [dict(adam, weightDecay=0.0), dict(adam, weightDecay=0.1)]), procedure=True),
    Op("AdamW", 6, torch_optimizer(lambda p, a: torch.optim.AdamW(
        p, lr=a["lr"], betas=(a["beta1"], a["beta2"]), eps=a["epsilon"], weight_decay=a["weightDecay"])),
       lambda rng: optimizer_cases(rng, [dict(adam, weightDecay=0.01), dict(adam, weightDecay=0.5)]), procedure=True),
    Op("StepSchedule", 6, torch_schedule(lambda o, a: torch.optim.lr_scheduler.StepLR(o, a["stepSize"], a["gamma"])),
       lambda rng: [Case([], [], {"lr": 0.1, "stepSize": 3, "gamma": 0.5, "epochs": 12}, label="0.1, every 3, × 0.5")],
       procedure=True),
    Op("CosineSchedule", 6, torch_schedule(lambda o, a: torch.optim.lr_scheduler.CosineAnnealingLR(
        o, T_max=a["totalEpochs"], eta_min=a["minimum"])),
       lambda rng: [Case([], [], {"lr": 0.1, "minimum": 0.001, "totalEpochs": 10, "epochs": 11}, label="0.1 to 0.001 in 10")],
       procedure=True),
    # Lesson 07: training (the metrics are not differentiable; the loop is lesson 07's tests')
    Op("clipGradientNorm", 7, torch_clip, clip_cases, procedure=True),
    # Lesson 08: data loading has no differentiable op.
    # Lesson 09: spatial
    Op("conv2d", 9, lambda x, a: F.conv2d(x[0], x[1], x[2], stride=a["stride"], padding=a["padding"]), conv_cases),
    Op("conv2dDirect", 9, lambda x, a: F.conv2d(x[0], x[1], x[2], stride=a["stride"], padding=a["padding"]),
       conv_cases),
    Op("im2col", 9, lambda x, a: F.unfold(x[0], a["kernelSize"], padding=a["padding"], stride=a["stride"]),
       im2col_cases),
    Op("maxPool2d", 9, lambda x, a: F.max_pool2d(x[0], a["kernelSize"], a["stride"]), pool_cases),
    Op("avgPool2d", 9, lambda x, a: F.avg_pool2d(x[0], a["kernelSize"], a["stride"]), pool_cases),
    Op("batchNorm2d", 9, lambda x, a: F.batch_norm(x[0], None, None, x[1], x[2], training=True), batch_norm_cases),
    Op("batchNorm2d(eval)", 9, lambda x, a: F.batch_norm(x[0], x[3], x[4], x[1], x[2], training=False),
       lambda rng: batch_norm_cases(rng, running=True)),
    # Lesson 11: embeddings
    Op("embedding", 11, lambda x, a: F.embedding(torch.tensor(a["ids"]).reshape(a["shape"]), x[0]),
       embedding_cases),
    # Lesson 12: attention (causal)
    Op("maskedSoftmax", 12, torch_masked_softmax, masked_softmax_cases),
    Op("scaledDotProductAttention", 12,
       lambda x, a: F.scaled_dot_product_attention(x[0], x[1], x[2], is_causal=True), attention_cases),
]
