#!/usr/bin/env python3
"""The PyTorch half of Tests/Benchmarks/attention.sh: one forward and backward pass of causal
multi-head self-attention in the 2017 milestone's shape (batch 12, 64 positions, 128 numbers,
4 heads), built as lesson 12 builds it — four Linear layers, F.scaled_dot_product_attention
(is_causal=True) — with torch.set_num_threads(--threads). Prints one JSON line per measurement,
the median and the fastest of --iterations runs after 5 unmeasured ones, in milliseconds; or a "skipped" line
without torch."""
import argparse, json, statistics, time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print(json.dumps({"peer": "pytorch", "skipped": "torch not installed"}))
    raise SystemExit(0)

parser = argparse.ArgumentParser()
parser.add_argument("--iterations", type=int, default=50)
parser.add_argument("--threads", type=int, default=2)
arguments = parser.parse_args()
torch.set_num_threads(arguments.threads)
torch.manual_seed(2017)
B, T, D, H = 12, 64, 128, 4


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.out = (nn.Linear(D, D) for _ in range(4))

    def forward(self, x, explicit=False):
        split = lambda t: t.view(B, T, H, D // H).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        if explicit:   # the textbook composite: masked_fill with -inf, softmax, matmul
            scores = (q @ k.transpose(-2, -1)) / (D // H) ** 0.5
            mask = torch.ones(T, T, dtype=torch.bool).tril()
            y = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1) @ v
        else:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out(y.transpose(1, 2).reshape(B, T, D))


def timed(body):
    """The median and the fastest of --iterations runs, in milliseconds, after 5 unmeasured."""
    for _ in range(5):
        body()
    times = []
    for _ in range(arguments.iterations):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def report(name, times):
    print(json.dumps({"peer": "pytorch", "bench": name, "ms": round(times[0], 3), "min_ms": round(times[1], 3),
                      "torch": torch.__version__, "threads": arguments.threads}))


attention = Attention()
x = torch.randn(B, T, D, requires_grad=True)


def step(explicit=False):
    attention.zero_grad(set_to_none=True)
    x.grad = None
    attention(x, explicit).sum().backward()


report("mha_forward_backward", timed(step))
report("mha_forward_backward_explicit_softmax", timed(lambda: step(True)))
report("mha_forward", timed(lambda: attention(x)))
with torch.no_grad():
    report("mha_forward_no_grad", timed(lambda: attention(x)))
