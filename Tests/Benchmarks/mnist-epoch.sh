#!/usr/bin/env bash
# One full MNIST epoch (60,000 images, batch 64, MLP 784-128-64-10, ReLU, Adam) with the course's
# reference solutions, beside the same MLP in NumPy and PyTorch (../shared/peers/mnist_mlp.py)
# run in the same script on the same machine. Prints each as a JSON line, then the ratios.
# A benchmark, not a test: it prints figures, asserts nothing.
# Usage: Tests/Benchmarks/mnist-epoch.sh [epochs=1]
set -eu
cd "$(dirname "$0")/../.."
epochs=${1:-1}
peers=../shared/peers/mnist_mlp.py
mirror=${TUTOR_DATA_MIRROR:-../shared/data}

swift build --product tutor >/dev/null
TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
if [ -d "$mirror/mnist" ]; then "$TUTOR" data fetch mnist --mirror "$mirror" >/dev/null; else "$TUTOR" data fetch mnist >/dev/null; fi

echo "building the MNIST milestone in release on the reference solutions…" >&2
# The same flags the tutor uses for milestones (SwiftBuild.nativeTuning).
tuning=(); [ "$(uname -m)" = x86_64 ] && tuning=(-Xswiftc -target-cpu -Xswiftc native)
TUTOR_UPTO=8 TUTOR_SOLUTIONS=all swift build -c release --product MilestoneMnist --scratch-path .build-solutions "${tuning[@]+"${tuning[@]}"}" >/dev/null
result=$(.build-solutions/release/MilestoneMnist --epochs "$epochs" 2>/dev/null | grep '"event":"result"')
swift_line=$(python3 -c "
import json,sys; r=json.loads(sys.argv[1]); m=r['metrics']
print(json.dumps({'peer':'tinytorch-swift','epoch_seconds':round(m['seconds_per_epoch'],3),'test_accuracy':round(m['accuracy'],4)}))" "$result")
echo "$swift_line"

peer_lines=""
if [ -f "$peers" ]; then
  data_dir=$mirror/mnist
  peer_lines=$(python3 "$peers" --data "$data_dir" --epochs "$epochs" --threads "$(nproc 2>/dev/null || echo 2)" 2>/dev/null || true)
  echo "$peer_lines"
else
  echo "{\"note\":\"no peer script at $peers\"}"
fi

python3 - "$swift_line" "$peer_lines" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])
for line in sys.argv[2].splitlines():
    try: peer = json.loads(line)
    except ValueError: continue
    if "epoch_seconds" not in peer: continue
    ratio = ours["epoch_seconds"] / peer["epoch_seconds"]
    print(json.dumps({"ratio": f"tinytorch-swift / {peer['peer']}", "epoch_time_ratio": round(ratio, 2),
                      "meaning": "below 1 is faster than the peer"}))
PY
