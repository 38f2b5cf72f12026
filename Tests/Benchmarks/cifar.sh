#!/usr/bin/env bash
# The 1998 CIFAR-10 milestone's speed: one full run on the reference solutions, as a learner runs
# it (`tutor milestone run cifar10 --solutions`), beside two PyTorch (CPU) runs in the same script
# on the same machine:
#   - the airbench peer, ../shared/peers/cifar_cnn.py: the best known recipe for 75% on a CPU
#     (patch whitening, label smoothing, tuned schedule — things the course's framework does not
#     have), for the time to 75% test accuracy;
#   - Tests/Benchmarks/cifar_ours.py: the milestone's own network and recipe in PyTorch, layer for
#     layer, for the time of one training step (batch 128) — channels-last, PyTorch's fastest
#     layout on a CPU, and NCHW, the course's layout.
# A benchmark, not a test: it prints figures and asserts nothing. The targets (issue 14): time to
# 75% at most 3× the airbench peer's; a training step at most 1.5× PyTorch's on the same network.
# Shared VMs vary from run to run (other work on the machine slows whichever run it meets): the
# machine's load is printed before each run, and the step is also compared in processor time —
# the work of a step, all threads together, which waiting for the processor does not add to — with
# PyTorch on one thread (whose processor time has no spinning threads in it). The step ratio
# itself comes from `rounds` alternating pairs at the end — our `--quick` run (its median step),
# then PyTorch timing 40 steps of the same network channels-last — and is the ratio of the two
# medians, so that a slow spell of the machine during one long run does not decide it.
# Usage: Tests/Benchmarks/cifar.sh [epochs=2] [seed=1998] [rounds=3]
set -eu
cd "$(dirname "$0")/../.."
epochs=${1:-2}
seed=${2:-1998}
rounds=${3:-3}
peer=../shared/peers/cifar_cnn.py
ours_py=Tests/Benchmarks/cifar_ours.py
mirror=${TUTOR_DATA_MIRROR:-../shared/data}
threads=$(nproc 2>/dev/null || echo 2)

swift build --product tutor >/dev/null
TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
if ! "$TUTOR" data verify cifar10 >/dev/null 2>&1; then
  if [ -d "$mirror" ]; then Tests/fetch-data.sh "$TUTOR" "$mirror" >&2; else "$TUTOR" data fetch cifar10 >&2; fi
fi
data_dir=${TUTOR_DATA_DIR:-.tutor/data}/cifar10
load() { echo "{\"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)\", \"before\": \"$1\"}"; }

lines=""
load "tinytorch-swift"
echo "building and running the CIFAR-10 milestone on the reference solutions ($epochs epochs, seed $seed)…" >&2
ours=$("$TUTOR" milestone run cifar10 --solutions --json -- --epochs "$epochs" --seed "$seed" 2>/dev/null | python3 -c "
import json, sys
run = json.load(sys.stdin)
m = run.get('metrics', {})
print(json.dumps({'peer': 'tinytorch-swift', 'epochs': m.get('epochs'), 'seed': m.get('seed'),
                  'ms_per_step': round(m['ms_per_step'], 1) if 'ms_per_step' in m else None,
                  'seconds_to_target': round(m['seconds_to_75'], 1) if 'seconds_to_75' in m else None,
                  'test_accuracy': round(m['accuracy'], 4) if 'accuracy' in m else None,
                  'train_seconds': round(m['training_seconds'], 1) if 'training_seconds' in m else None,
                  'gflops': round(m['gflops'], 1) if 'gflops' in m else None,
                  'processor_ms_per_step': round(m['processor_ms_per_step'], 1) if 'processor_ms_per_step' in m else None,
                  'problem': run.get('problem')}))" || echo '{"peer": "tinytorch-swift", "problem": "the run failed"}')
echo "$ours"
lines+="$ours"$'\n'

if [ -f "$peer" ]; then
  load "pytorch airbench peer"
  echo "running the airbench peer ($peer)…" >&2
  theirs=$(python3 "$peer" --data "$data_dir" --threads "$threads" 2>/dev/null | tail -1 || true)
  [ -n "$theirs" ] && echo "$theirs" && lines+="$theirs"$'\n'
else
  echo "{\"note\": \"no peer script at $peer\"}"
fi
load "pytorch, our network"
echo "running our network in PyTorch ($ours_py, $epochs epochs, seed $seed)…" >&2
same=$(python3 "$ours_py" --data "$data_dir" --epochs "$epochs" --seed "$seed" --threads "$threads" 2>/dev/null | tail -1 || true)
[ -n "$same" ] && echo "$same" && lines+="$same"$'\n'
for layout in "" --nchw; do
  for n in "$threads" 1; do
    steps=$(python3 "$ours_py" --steps-only 40 $layout --threads "$n" 2>/dev/null | tail -1 || true)
    [ -n "$steps" ] && echo "$steps" && lines+="$steps"$'\n'
  done
done
load "alternating step rounds"
echo "timing a step, ours and PyTorch's in turn, $rounds rounds…" >&2
for round in $(seq "$rounds"); do
  quick=$("$TUTOR" milestone run cifar10 --solutions --json -- --quick 2>/dev/null | python3 -c "
import json, sys
m = json.load(sys.stdin).get('metrics', {})
print(json.dumps({'round': $round, 'peer': 'tinytorch-swift', 'ms_per_step': round(m['ms_per_step'], 1),
                  'processor_ms_per_step': round(m['processor_ms_per_step'], 1)}))" || true)
  [ -n "$quick" ] && echo "$quick" && lines+="$quick"$'\n'
  steps=$(python3 "$ours_py" --steps-only 40 --threads "$threads" 2>/dev/null | tail -1 \
            | python3 -c "import json, sys; r = json.load(sys.stdin); r['round'] = $round; print(json.dumps(r))" || true)
  [ -n "$steps" ] && echo "$steps" && lines+="$steps"$'\n'
done
load "end"

python3 - "$lines" <<'PY'
import json, statistics, sys
runs = []
for line in sys.argv[1].splitlines():
    try: runs.append(json.loads(line))
    except ValueError: pass
ours = next((r for r in runs if r.get("peer") == "tinytorch-swift"), {})
airbench = next((r for r in runs if str(r.get("peer", "")).startswith("pytorch") and "ours" not in r["peer"]
                 and not r.get("skipped")), None)
same = next((r for r in runs if str(r.get("peer", "")).endswith("-ours") and "evals" in r), None)
def steps(layout, threads):
    return next((r for r in runs if "evals" not in r and "round" not in r and r.get("layout") == layout
                 and (r.get("threads") == 1) == (threads == 1)), None)
def median_of_rounds(peer):
    values = [r["ms_per_step"] for r in runs if "round" in r and r.get("peer") == peer]
    return statistics.median(values) if values else None
rounds_ours = median_of_rounds("tinytorch-swift")
rounds_theirs = median_of_rounds(same["peer"]) if same else None
nchw, last1, nchw1 = steps("nchw", 2), steps("channels_last", 1), steps("nchw", 1)
def ratio(a, b):
    return round(a / b, 2) if a and b else None
summary = {"summary": "tinytorch-swift against PyTorch on this machine (below 1 is faster than PyTorch)",
           "test_accuracy": ours.get("test_accuracy"),
           "time_to_75_ratio_vs_airbench": ratio(ours.get("seconds_to_target"), airbench and airbench.get("seconds_to_target")),
           "target_time_to_75_ratio": 3.0,
           "step_time_ratio_vs_pytorch_same_net": ratio(rounds_ours, rounds_theirs),
           "step_ms_median_of_rounds": {"ours": rounds_ours, "pytorch_channels_last": rounds_theirs},
           "full_run_step_time_ratio_vs_pytorch_same_net": ratio(ours.get("ms_per_step"), same and same.get("ms_per_step")),
           "step_time_ratio_vs_pytorch_same_net_nchw": ratio(ours.get("ms_per_step"), nchw and nchw.get("ms_per_step")),
           "step_processor_time_ratio_vs_pytorch_1_thread": ratio(ours.get("processor_ms_per_step"), last1 and last1.get("processor_ms_per_step")),
           "step_processor_time_ratio_vs_pytorch_1_thread_nchw": ratio(ours.get("processor_ms_per_step"), nchw1 and nchw1.get("processor_ms_per_step")),
           "target_step_time_ratio": 1.5}
if airbench is None or same is None:
    summary["note"] = "a PyTorch run is missing (is torch installed? python3 -m pip install torch)"
print(json.dumps(summary))
PY
