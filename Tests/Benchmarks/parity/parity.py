#!/usr/bin/env python3
"""PyTorch parity: every differentiable op of the course against PyTorch, float32 and float64.

A benchmark, not a test (CI has no PyTorch): run it before a lesson lands, and keep its output in
the pull request or issue.

    pip install torch numpy                                  # once; PyTorch is a large download
    python3 Tests/Benchmarks/parity/parity.py                # the reference solutions
    python3 Tests/Benchmarks/parity/parity.py --learner      # your own Lessons/*/Exercise code
    python3 Tests/Benchmarks/parity/parity.py --ops softmax,crossEntropy --seed 7

Each op gets several random cases: shapes that broadcast, batched matmul, every axis with and
without keep-dims, large and extreme values where they matter. A case runs through the course's
framework (the Swift program in Runner/, built in release as the milestones are) and through
PyTorch, from the same float32 inputs, once in float32 and once in float64. The forward output and
the gradient of every input (backward from a random upstream gradient) are compared. Optimizers
take 5 steps from the same parameters with the same gradients as torch.optim; schedules and
gradient clipping are compared with torch.optim.lr_scheduler and torch.nn.utils.

The error of one tensor is max|ours − torch| / max|torch| (relative to the tensor's largest
element, so that an element near 0 is not judged by its own tiny size); NaN must meet NaN and an
infinity the same infinity, or the error is inf. Per op, the table shows the worst error over
every tensor of every case against torch float64 (the exact answer for our float32 inputs, to
float32 precision; the case it came from is named) and against torch float32, and for scale,
PyTorch's own float32 error against its float64. The script fails (exit 1) when a tensor misses both PyTorch answers by more than 1e-4
(matching either is right: where a derivative crosses 0, PyTorch's own float32 misses its float64
by 1e-4 too), and names the worst case of each op.

To add an op (a new lesson's conv2d, say): one `Op(...)` in ops.py, with the PyTorch function and
its cases, and one line in Runner/Operations.swift. docs/COURSE-AUTHORING.md ("Checking a
lesson against PyTorch") shows both.
"""

import argparse
import base64
import json
import math
import os
import platform
import subprocess
import sys
import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ beside ops.py in the repo

try:
    import torch
except ImportError:
    sys.exit("parity.py needs PyTorch: pip install torch (a large download; once per machine)")

from ops import OPS, normal

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LIMIT = 1e-4


# MARK: - Running both sides

def encode(array):
    array = np.array(array, dtype="<f4", order="C")  # (ascontiguousarray would make a scalar [1])
    return {"shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}


def decode(tensor):
    data = np.frombuffer(base64.b64decode(tensor["data"]), dtype="<f4")
    return data.reshape(tensor["shape"]).astype(np.float64)


def run_torch(op, case, upstream, dtype):
    """PyTorch's output and gradients (float64 numpy arrays) for one case, in `dtype`."""
    inputs = [torch.tensor(x, dtype=dtype, requires_grad=g) for x, g in zip(case.inputs, case.grad)]
    if op.procedure:
        steps = [[torch.tensor(g, dtype=dtype) for g in step] for step in case.steps]
        return [t.detach().to(torch.float64).numpy() for t in op.torch(inputs, steps, case.args)], None
    output = op.torch(inputs, case.args)
    if any(case.grad):
        output.backward(torch.tensor(upstream, dtype=dtype))
    gradients = [x.grad.to(torch.float64).numpy() if g and x.grad is not None else None
                 for x, g in zip(inputs, case.grad)]
    return [output.detach().to(torch.float64).numpy()], gradients


def relative_error(ours, reference):
    """max|ours − reference| / max|reference|, with NaN and infinities required to match."""
    if ours is None or reference is None:
        return 0.0 if ours is None and reference is None else math.inf
    if ours.shape != reference.shape:
        return math.inf
    nan = np.isnan(reference)
    if (np.isnan(ours) != nan).any():
        return math.inf
    ours, reference = ours[~nan], reference[~nan]
    infinite = np.isinf(reference)
    if (ours[infinite] != reference[infinite]).any() or np.isinf(ours[~infinite]).any():
        return math.inf
    ours, reference = ours[~infinite], reference[~infinite]
    if reference.size == 0:
        return 0.0
    difference = float(np.abs(ours - reference).max())
    scale = float(np.abs(reference).max())
    return difference / scale if scale > 0 else difference


class Worst:
    """The worst errors of one op over its cases. A tensor's verdict is the nearer of the two
    PyTorch answers: at an ill-conditioned point (a derivative crossing 0) PyTorch's own float32
    misses float64 by as much as ours, and matching either is right."""
    def __init__(self, lesson):
        self.lesson, self.cases = lesson, 0
        self.against32 = self.against64 = self.theirs = self.verdict = 0.0
        self.label = ""

    def add(self, against32, against64, theirs, label):
        if against64 > self.against64 or not self.label:
            self.against64, self.label = against64, label
        self.against32 = max(self.against32, against32)
        self.theirs = max(self.theirs, theirs)
        self.verdict = max(self.verdict, min(against32, against64))


def build(learner):
    environment = dict(os.environ, TUTOR_LESSONS="all", TUTOR_PARITY="1",
                       TUTOR_SOLUTIONS="none" if learner else "all")
    command = ["swift", "build", "-c", "release", "--product", "ParityRunner", "--scratch-path",
               os.path.join(REPO, ".build-parity"), "--package-path", REPO]
    if platform.machine() == "x86_64":
        command += ["-Xswiftc", "-target-cpu", "-Xswiftc", "native"]  # as the milestones build
    print("building ParityRunner in release on the", "learner's exercises" if learner else "reference solutions",
          "…", file=sys.stderr)
    built = subprocess.run(command, env=environment, capture_output=True, text=True)
    if built.returncode != 0:
        sys.exit(built.stdout[-4000:] + built.stderr[-4000:] + "\nparity.py: the build failed")
    return os.path.join(REPO, ".build-parity", "release", "ParityRunner")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learner", action="store_true", help="check Lessons/*/Exercise instead of the solutions")
    parser.add_argument("--ops", help="only these ops, comma-separated (names as in the table)")
    parser.add_argument("--seed", type=int, default=2026, help="the random cases' seed")
    parser.add_argument("--runner", help="a ParityRunner already built (skips the build)")
    options = parser.parse_args()

    chosen = OPS if not options.ops else [op for op in OPS if op.name in options.ops.split(",")]
    if options.ops and len(chosen) != len(set(options.ops.split(","))):
        known = ", ".join(op.name for op in OPS)
        sys.exit(f"parity.py: unknown op in --ops; the ops are: {known}")
    rng = np.random.default_rng(options.seed)
    plan = []  # (op, case, upstream)
    for op in chosen:
        for case in op.cases(rng):
            upstream = None
            if not op.procedure:
                with torch.no_grad():
                    shape = op.torch([torch.tensor(x) for x in case.inputs], case.args).shape
                upstream = normal(rng, list(shape))
            plan.append((op, case, upstream))

    runner = options.runner or build(options.learner)
    request = {"cases": [{"op": op.name, "args": case.args,
                          "inputs": [dict(encode(x), grad=g) for x, g in zip(case.inputs, case.grad)],
                          "steps": [[encode(g) for g in step] for step in case.steps],
                          "upstream": encode(upstream) if upstream is not None else None}
                         for op, case, upstream in plan]}
    ran = subprocess.run([runner], input=json.dumps(request), capture_output=True, text=True)
    if ran.returncode != 0:
        sys.exit(ran.stderr[-4000:] + f"\nparity.py: ParityRunner stopped (exit {ran.returncode})")
    results = json.loads(ran.stdout)["results"]

    worst = {}  # op name → Worst
    missing = []
    for (op, case, upstream), result in zip(plan, results):
        if "missing" in result or "error" in result:
            missing.append((op.name, f"{result.get('missing') or result['error']} ({case.label})"))
            continue
        ours = [decode(t) for t in result["outputs"]] if op.procedure else [decode(result["output"])]
        if not op.procedure:
            ours += [decode(g) if g else None for g in result["gradients"]]
        single, single_gradients = run_torch(op, case, upstream, torch.float32)
        double, double_gradients = run_torch(op, case, upstream, torch.float64)
        row = worst.setdefault(op.name, Worst(op.lesson))
        row.cases += 1
        names = ["output"] * len(single) + [f"gradient {i}" for i in range(len(single_gradients or []))]
        for what, mine, theirs32, theirs64 in zip(names, ours, single + (single_gradients or []),
                                                  double + (double_gradients or [])):
            row.add(relative_error(mine, theirs32), relative_error(mine, theirs64),
                    relative_error(theirs32, theirs64), f"{case.label} ({what})")

    print(f"{'lesson':<7}{'op':<36}{'cases':>6}{'vs torch f64':>14}{'vs torch f32':>14}{'torch f32':>11}"
          "  worst case (vs torch f64)")
    failed = [name for name, row in worst.items() if row.verdict > LIMIT]
    for name, row in worst.items():
        mark = "✗" if name in failed else " "
        print(f"{row.lesson:02d}{mark:>5}  {name:<36}{row.cases:>6}{row.against64:>14.2e}{row.against32:>14.2e}"
              f"{row.theirs:>11.2e}  {row.label}")
    for name, problem in missing:
        print(f"not compared: {name}: {problem}")
    print(f"\n{len(worst)} ops, {sum(r.cases for r in worst.values())} cases. Relative errors, the worst over every "
          f"output and gradient; 'torch f32' is PyTorch's own float32 error against its float64. An op fails (✗) "
          f"when a tensor of it misses both torch float32 and float64 by more than {LIMIT:g}.")
    if failed or missing:
        print(f"FAILED: {', '.join(dict.fromkeys(failed + [name for name, _ in missing]))}")
        sys.exit(1)
    print("every op within the limit")


if __name__ == "__main__":
    main()
