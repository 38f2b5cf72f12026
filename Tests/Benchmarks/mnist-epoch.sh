#!/usr/bin/env bash
# One full MNIST epoch (60,000 images, batch 64, MLP 784-128-64-10, ReLU, Adam) with the course's
# reference solutions, beside the same MLP in NumPy and PyTorch (../shared/peers/mnist_mlp.py)
# run in the same script on the same machine. A benchmark, not a test: it prints figures and
# asserts nothing.
#
# Like for like: the peers report their fastest epoch of --epochs, so ours is our fastest epoch
# too (the milestone reports each epoch's seconds). Shared VMs vary by ±20% from run to run, so
# the whole comparison runs `rounds` times, ours and the peers' taking turns, and the summary is
# the median of each. Prints a JSON line per run, then the medians and their ratios.
# Usage: Tests/Benchmarks/mnist-epoch.sh [epochs=3] [rounds=3]
set -eu
cd "$(dirname "$0")/../.."
epochs=${1:-3}
rounds=${2:-3}
peers=../shared/peers/mnist_mlp.py
mirror=${TUTOR_DATA_MIRROR:-../shared/data}

swift build --product tutor >/dev/null
TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
if [ -d "$mirror/mnist" ]; then "$TUTOR" data fetch mnist --mirror "$mirror" >/dev/null; else "$TUTOR" data fetch mnist >/dev/null; fi
# The peers read the .gz files: from the mirror, or where `tutor data fetch` keeps them.
data_dir=$mirror/mnist; [ -d "$data_dir" ] || data_dir=${TUTOR_DATA_DIR:-.tutor/data}/mnist

echo "building the MNIST milestone in release on the reference solutions…" >&2
# The same flags the tutor uses for milestones (SwiftBuild.nativeTuning).
tuning=(); [ "$(uname -m)" = x86_64 ] && tuning=(-Xswiftc -target-cpu -Xswiftc native)
TUTOR_LESSONS=8 TUTOR_SOLUTIONS=all swift build -c release --product MilestoneMnist --scratch-path .build-solutions "${tuning[@]+"${tuning[@]}"}" >/dev/null

lines=""
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds…" >&2
  events=$(.build-solutions/release/MilestoneMnist --epochs "$epochs" 2>/dev/null)
  ours=$(python3 -c "
import json, sys
epochs = [json.loads(l) for l in sys.stdin if '\"event\":\"epoch\"' in l]
result = [json.loads(l) for l in sys.argv[1].splitlines() if '\"event\":\"result\"' in l]
print(json.dumps({'peer': 'tinytorch-swift', 'round': $round, 'epoch_seconds': round(min(e['seconds'] for e in epochs), 3),
                  'mean_epoch_seconds': round(sum(e['seconds'] for e in epochs) / len(epochs), 3),
                  'test_accuracy': round(epochs[-1]['accuracy'], 4)}))" "$events" <<<"$events")
  echo "$ours"
  lines+="$ours"$'\n'
  if [ -f "$peers" ]; then
    theirs=$(python3 "$peers" --data "$data_dir" --epochs "$epochs" --threads "$(nproc 2>/dev/null || echo 2)" 2>/dev/null \
             | python3 -c "import json,sys
for l in sys.stdin:
    try: d = json.loads(l)
    except ValueError: continue
    d['round'] = $round; print(json.dumps(d))" || true)
    [ -n "$theirs" ] && echo "$theirs" && lines+="$theirs"$'\n'
  else
    echo "{\"note\":\"no peer script at $peers\"}"
  fi
done

python3 - "$lines" "$epochs" "$rounds" <<'PY'
import json, statistics, sys
runs = {}
for line in sys.argv[1].splitlines():
    try: run = json.loads(line)
    except ValueError: continue
    if "epoch_seconds" in run: runs.setdefault(run["peer"], []).append(run["epoch_seconds"])
medians = {peer: statistics.median(times) for peer, times in runs.items()}
print(json.dumps({"summary": f"median over {sys.argv[3]} rounds of the fastest of {sys.argv[2]} epochs",
                  "epoch_seconds": {peer: round(m, 3) for peer, m in medians.items()}}))
ours = medians.get("tinytorch-swift")
for peer, median in medians.items():
    if peer == "tinytorch-swift" or not ours: continue
    print(json.dumps({"ratio": f"tinytorch-swift / {peer}", "epoch_time_ratio": round(ours / median, 2),
                      "meaning": "below 1 is faster than the peer"}))
PY
