#!/usr/bin/env bash
# One forward and backward pass of lesson 12's causal multi-head self-attention in the 2017
# milestone's shape (batch 12, 64 positions, 128 numbers, 4 heads), with the reference
# solutions built in release as the milestones are (SwiftBuild.nativeTuning), beside the same
# layer in PyTorch (Tests/Benchmarks/attention.py, F.scaled_dot_product_attention, threads = the
# core count) on the same machine. A benchmark, not a test: it prints figures and asserts nothing.
#
# Shared VMs vary from run to run, so the two take turns `rounds` times; the summary is the
# median over the rounds of each measurement's median and fastest run, and the ratios ours /
# PyTorch of both.
# Usage: Tests/Benchmarks/attention.sh [rounds=3] [iterations=50]
set -eu
cd "$(dirname "$0")/../.."
rounds=${1:-3}
iterations=${2:-50}
threads=$(nproc 2>/dev/null || echo 2)

echo "building the attention benchmark in release on the reference solutions…" >&2
tuning=(); [ "$(uname -m)" = x86_64 ] && tuning=(-Xswiftc -target-cpu -Xswiftc native)
TUTOR_LESSONS=12 TUTOR_SOLUTIONS=all TUTOR_ATTENTION_BENCHMARK=1 TUTOR_NO_PLAYGROUND=1 \
  swift build -c release --product AttentionBenchmark --scratch-path .build-solutions \
  "${tuning[@]+"${tuning[@]}"}" >/dev/null

lines=""
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds…" >&2
  ours=$(.build-solutions/release/AttentionBenchmark --iterations "$iterations")
  theirs=$(python3 Tests/Benchmarks/attention.py --iterations "$iterations" --threads "$threads" 2>/dev/null || true)
  # One thread too: on a busy machine PyTorch's threads wait for each other, and its one-thread
  # time is the steadier figure (ours runs these sizes on one thread).
  single=$(python3 Tests/Benchmarks/attention.py --iterations "$iterations" --threads 1 2>/dev/null || true)
  echo "$ours"; echo "$theirs"; echo "$single"
  lines+="$ours"$'\n'"$theirs"$'\n'"$single"$'\n'
done

python3 - "$lines" "$rounds" <<'PY'
import json, statistics, sys
runs = {}
for line in sys.argv[1].splitlines():
    try: run = json.loads(line)
    except ValueError: continue
    if "ms" not in run: continue
    peer = run["peer"] + (f" ({run['threads']} thread{'s' if run['threads'] > 1 else ''})" if "threads" in run else "")
    runs.setdefault((peer, run["bench"]), []).append((run["ms"], run["min_ms"]))
summary = {key: (statistics.median(m for m, _ in times), statistics.median(f for _, f in times))
           for key, times in runs.items()}
for (peer, bench), (ms, fastest) in sorted(summary.items()):
    print(json.dumps({"summary": f"median over {sys.argv[2]} rounds", "peer": peer, "bench": bench,
                      "ms": round(ms, 3), "min_ms": round(fastest, 3)}))
for bench in ("mha_forward_backward", "mha_forward", "mha_forward_no_grad"):
    ours = summary.get(("tinytorch-swift", bench))
    for (peer, other), theirs in sorted(summary.items()):
        if other != bench or not peer.startswith("pytorch") or not ours: continue
        print(json.dumps({"ratio": f"tinytorch-swift / {peer}, {bench}", "median_ratio": round(ours[0] / theirs[0], 2),
                          "fastest_ratio": round(ours[1] / theirs[1], 2), "meaning": "below 1 is faster than PyTorch"}))
PY
