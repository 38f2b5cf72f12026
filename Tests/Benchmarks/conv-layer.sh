#!/usr/bin/env bash
# One convolution layer of the CIFAR-10 network — batch 128, 64 → 64 channels, 16 × 16, 3 × 3,
# padding 1 — forward, and forward + backward (input, weight and bias gradients), with the
# course's reference solutions beside PyTorch (CPU, as many threads as cores) on the same machine.
# Also the batch norm and 2 × 2 max pooling of that layer's output, forward + backward. A
# benchmark, not a test: it prints figures and asserts nothing.
#
# Shared VMs vary from run to run, so ours and PyTorch's take turns, `rounds` times, and the
# summary is the median of each with their ratio. Each round's figures are themselves medians of
# 15 runs. PyTorch is timed in its default layout, NCHW as ours, and in channels-last, its fastest.
# Usage: Tests/Benchmarks/conv-layer.sh [rounds=3]
set -eu
cd "$(dirname "$0")/../.."
rounds=${1:-3}
threads=$(nproc 2>/dev/null || echo 2)

echo "building the layer benchmark in release on the reference solutions…" >&2
# The same flags the tutor uses for milestones (SwiftBuild.nativeTuning).
tuning=(); [ "$(uname -m)" = x86_64 ] && tuning=(-Xswiftc -target-cpu -Xswiftc native)
TUTOR_LESSONS=9 TUTOR_SOLUTIONS=all TUTOR_LAYER_BENCHMARK=1 TUTOR_NO_PLAYGROUND=1 \
  swift build -c release --product LayerBenchmark --scratch-path .build-solutions "${tuning[@]+"${tuning[@]}"}" >/dev/null

peer() {
  python3 - "$threads" <<'PY'
import json, statistics, sys, time
try:
    import torch, torch.nn.functional as F
except ImportError:
    print(json.dumps({"peer": "pytorch", "skipped": "torch not installed"})); sys.exit(0)
torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(1)
N, C, S, repeats = 128, 64, 16, 15

def measure(body):
    body()
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        body()
        walls.append((time.perf_counter() - start) * 1e3); cpus.append((time.process_time() - cpu) * 1e3)
    return statistics.median(walls), statistics.median(cpus)

flops = 2 * N * C * S * S * C * 9
for layout in ["nchw", "channels_last"]:
    fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    x = torch.randn(N, C, S, S).contiguous(memory_format=fmt).requires_grad_()
    w = (torch.randn(C, C, 3, 3) * 0.05).contiguous(memory_format=fmt).requires_grad_()
    b = torch.randn(C, requires_grad=True)
    g = torch.randn(N, C, S, S).contiguous(memory_format=fmt)
    bn = torch.nn.BatchNorm2d(C).to(memory_format=fmt)
    gp = torch.randn(N, C, S // 2, S // 2).contiguous(memory_format=fmt)
    def clear(*ts):
        for t in ts: t.grad = None
    def train():
        F.conv2d(x, w, b, padding=1).backward(g); clear(x, w, b)
    def norm():
        bn(x).backward(g); clear(x, bn.weight, bn.bias)
    def pool():
        F.max_pool2d(x, 2).backward(gp); clear(x)
    with torch.no_grad():
        forward, _ = measure(lambda: F.conv2d(x, w, b, padding=1))
    training, training_cpu = measure(train)
    print(json.dumps({"peer": f"pytorch-{torch.__version__}-{layout}", "threads": torch.get_num_threads(),
                      "conv_forward_ms": forward, "conv_forward_backward_ms": training,
                      "conv_forward_backward_cpu_ms": training_cpu, "conv_gflops": 3 * flops / training / 1e6,
                      "batch_norm_forward_backward_ms": measure(norm)[0],
                      "max_pool_forward_backward_ms": measure(pool)[0]}, sort_keys=True))
PY
}

lines=""
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds…" >&2
  ours=$(.build-solutions/release/LayerBenchmark)
  echo "$ours"; lines+="$ours"$'\n'
  theirs=$(peer)
  echo "$theirs"; lines+="$theirs"$'\n'
done

python3 - "$lines" "$rounds" <<'PY'
import json, statistics, sys
runs = {}
for line in sys.argv[1].splitlines():
    try: run = json.loads(line)
    except ValueError: continue
    if "conv_forward_backward_ms" in run: runs.setdefault(run["peer"], []).append(run)
keys = ["conv_forward_ms", "conv_forward_backward_ms", "conv_gflops", "batch_norm_forward_backward_ms",
        "max_pool_forward_backward_ms"]
medians = {peer: {k: round(statistics.median(r[k] for r in rs), 2) for k in keys} for peer, rs in runs.items()}
print(json.dumps({"summary": f"medians over {sys.argv[2]} rounds (each a median of 15 runs), milliseconds",
                  "figures": medians}))
ours = medians.get("tinytorch-swift")
for peer, figures in medians.items():
    if peer == "tinytorch-swift" or not ours: continue
    print(json.dumps({"ratio": f"tinytorch-swift / {peer}",
                      "conv_forward_backward_time_ratio": round(ours["conv_forward_backward_ms"] / figures["conv_forward_backward_ms"], 2),
                      "conv_forward_time_ratio": round(ours["conv_forward_ms"] / figures["conv_forward_ms"], 2),
                      "meaning": "below 1 is faster than the peer"}))
PY
