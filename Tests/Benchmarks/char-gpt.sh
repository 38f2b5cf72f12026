#!/usr/bin/env bash
# The 2017 milestone's training beside the same run in PyTorch on the same machine: nanoGPT's CPU
# configuration of the character GPT on Tiny Shakespeare (4 layers, 4 heads, 128 wide, context 64,
# batch 12, AdamW, warm-up + cosine, clipping 1.0). Ours is the milestone program itself
# (Checkpoints/05-transformer) built in release on the reference solutions with the tutor's flags
# (SwiftBuild.nativeTuning); the peer is ../shared/peers/char_gpt.py (threads = the core count).
# A benchmark, not a test: it prints figures and asserts nothing.
#
# One run each (a full run of 2000 iterations takes minutes): the median milliseconds of an
# iteration (batch + forward + backward + clip + step; the evaluations are outside it) and their
# ratio ours / PyTorch (the issue's target: at most 1.5), the final losses, and the speed of
# writing: characters a second, batch 1, re-reading the last 64 characters for each new one (no KV
# cache: PyTorch's "naive" figure; its KV-cache figure is printed too, for lesson 17).
# Prints JSON lines on stdout; the programs' own words go to standard error.
# Usage: Tests/Benchmarks/char-gpt.sh [iterations=300] [DATA=.tutor/data/shakespeare/input.txt]
set -eu
cd "$(dirname "$0")/../.."
iterations=${1:-300}
data=${2:-.tutor/data/shakespeare/input.txt}
threads=$(nproc 2>/dev/null || echo 2)
if [ ! -f "$data" ]; then
  echo "no Tiny Shakespeare at $data: swift run tutor data fetch shakespeare (or pass its path)" >&2
  exit 2
fi

echo "building the milestone in release on the reference solutions…" >&2
tuning=(); [ "$(uname -m)" = x86_64 ] && tuning=(-Xswiftc -target-cpu -Xswiftc native)
TUTOR_LESSONS=13 TUTOR_SOLUTIONS=all TUTOR_NO_PLAYGROUND=1 \
  swift build -c release --product MilestoneTransformer --scratch-path .build-solutions \
  "${tuning[@]+"${tuning[@]}"}" >/dev/null
program=$(TUTOR_LESSONS=13 TUTOR_SOLUTIONS=all TUTOR_NO_PLAYGROUND=1 \
  swift build -c release --scratch-path .build-solutions --show-bin-path)/MilestoneTransformer

# The milestone reads $TUTOR_DATA_DIR/shakespeare/input.txt.
folder=$(mktemp -d); trap 'rm -rf "$folder"' EXIT
mkdir "$folder/shakespeare"; ln -s "$(cd "$(dirname "$data")" && pwd)/$(basename "$data")" "$folder/shakespeare/input.txt"

echo "ours: $iterations iterations…" >&2
ours=$(TUTOR_DATA_DIR=$folder "$program" --iterations "$iterations" --eval-interval "$iterations" \
  --save "$folder/char-gpt.safetensors" | grep '"event":"result"' || true)
echo "PyTorch: $iterations iterations…" >&2
theirs=$(python3 ../shared/peers/char_gpt.py --data "$data" --iters "$iterations" --eval-interval 0 --threads "$threads" || true)

python3 - "$ours" "$theirs" "$iterations" <<'PY'
import json, sys
ours_line, theirs_text, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    ours = json.loads(ours_line)["metrics"]
except (ValueError, KeyError):
    print(json.dumps({"peer": "tinytorch-swift", "error": "the milestone program gave no result"})); sys.exit(0)
print(json.dumps({"peer": "tinytorch-swift", "bench": "train", "iters": iterations,
                  "ms_per_iter_median": round(ours["ms_per_iteration"], 2), "train_loss": round(ours["train_loss"], 4),
                  "val_loss": round(ours["val_loss"], 4), "train_seconds": round(ours["training_seconds"], 1)}))
print(json.dumps({"peer": "tinytorch-swift", "bench": "sample", "naive_tokens_per_s": round(ours["characters_per_second"], 1)}))
peer = {}
for line in theirs_text.splitlines():
    try: run = json.loads(line)
    except ValueError: continue
    print(json.dumps(run))
    peer[run.get("bench", "skipped")] = run
if "train" in peer:
    print(json.dumps({"ratio": f"tinytorch-swift / {peer['train']['peer']}, ms per iteration",
                      "value": round(ours["ms_per_iteration"] / peer["train"]["ms_per_iter_median"], 2),
                      "target": 1.5, "meaning": "below 1 is faster than PyTorch"}))
if "sample" in peer:
    print(json.dumps({"ratio": f"tinytorch-swift / {peer['sample']['peer']}, characters a second (no KV cache)",
                      "value": round(ours["characters_per_second"] / peer["sample"]["naive_tokens_per_s"], 2),
                      "meaning": "above 1 is faster than PyTorch"}))
PY
