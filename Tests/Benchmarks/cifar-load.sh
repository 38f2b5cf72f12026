#!/usr/bin/env bash
# How fast lesson 08's given CIFAR-10 reader loads the 50,000 training images (CIFAR10.load, from
# the reference solutions, built in release as milestones are), beside two peers in the same run:
# the floor — a [Float] of the same size allocated and filled, which any loader pays (on Linux,
# mostly the kernel's page faults for 614 MB) — and NumPy reading the same files into float32
# NCHW in 0…1. A benchmark, not a test: it prints figures and asserts nothing.
# Needs the files: `tutor data fetch cifar10` (Tests/fetch-data.sh on our machines).
# Usage: Tests/Benchmarks/cifar-load.sh [rounds=5] [DIR=.tutor/data/cifar10]
set -eu
cd "$(dirname "$0")/../.."
rounds=${1:-5}
data=${2:-${TUTOR_DATA_DIR:-.tutor/data}/cifar10}
[ -f "$data/data_batch_1.bin" ] || { echo "no CIFAR-10 in $data: run \`swift run tutor data fetch cifar10\`" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-cifar-load.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
# One module: lessons 01 and 08 (Solution/ and Provided/), their imports of each other removed.
for lesson in 01-tensor 08-dataloader; do
  for file in Lessons/$lesson/Solution/*.swift Lessons/$lesson/Provided/*.swift; do
    sed -E '/^import TinyTorch[A-Za-z]*$/d' "$file" > "$work/src/${lesson}-$(basename "$file")"
  done
done
cat > "$work/src/main.swift" <<'SWIFT'
import Foundation
let directory = URL(fileURLWithPath: CommandLine.arguments[1])
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}
let floor = seconds {
    var pixels = [Float](repeating: 0, count: 50_000 * CIFAR10.pixelsPerImage)
    pixels.withUnsafeMutableBufferPointer { for i in stride(from: 0, to: $0.count, by: 1024) { $0[i] = 1 } }
    precondition(pixels[1024] == 1)
}
var count = 0
let load = try seconds { count = try CIFAR10.load(directory: directory, split: .train).count }
precondition(count == 50_000)
print("{\"peer\":\"floor\",\"seconds\":\(floor)}")
print("{\"peer\":\"tinytorch-swift\",\"seconds\":\(load)}")
SWIFT
cat > "$work/numpy_load.py" <<'PY'
import json, os, sys, time
import numpy as np
directory = sys.argv[1]
start = time.perf_counter()
raw = np.concatenate([np.fromfile(os.path.join(directory, f"data_batch_{i}.bin"), dtype=np.uint8).reshape(-1, 3073)
                      for i in range(1, 6)])
labels = raw[:, 0].astype(np.int64)
assert labels.max() <= 9
images = (raw[:, 1:].astype(np.float32) / 255).reshape(-1, 3, 32, 32)
assert images.shape == (50000, 3, 32, 32)
print(json.dumps({"peer": "numpy", "seconds": time.perf_counter() - start}))
PY
tuning=(); [ "$(uname -m)" = x86_64 ] && tuning=(-target-cpu native)
echo "building the reader in release…" >&2
swiftc -O "${tuning[@]+"${tuning[@]}"}" -module-name CIFARLoad "$work"/src/*.swift -o "$work/load" 2>&1 | grep -E "error" || true
lines=""
for round in $(seq 1 "$rounds"); do
  lines+=$("$work/load" "$data")$'\n'
  if python3 -c "import numpy" 2>/dev/null; then lines+=$(python3 "$work/numpy_load.py" "$data")$'\n'; fi
done
printf '%s' "$lines"
python3 - "$lines" <<'PY'
import json, statistics, sys
runs = {}
for line in sys.argv[1].splitlines():
    run = json.loads(line)
    runs.setdefault(run["peer"], []).append(run["seconds"])
medians = {peer: statistics.median(seconds) for peer, seconds in runs.items()}
ours = medians["tinytorch-swift"]
print(f"median of {len(runs['tinytorch-swift'])} rounds, 50,000 training images:")
for peer, seconds in medians.items():
    ratio = "" if peer == "tinytorch-swift" else f"   ours / {peer} = {ours / seconds:.2f}"
    print(f"  {peer:16} {seconds:.3f} s{ratio}")
PY
