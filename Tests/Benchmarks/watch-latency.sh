#!/usr/bin/env bash
# Save → verdict latency of watch mode in the full-screen tutor: in tmux, on a temporary copy of
# the working tree, lesson 01 open with its tests passing; each run changes an exercise file (as
# an editor's save does) and times until the screen shows the new verdict. Prints each run, the
# median of 5, and for comparison the headless `tutor test 01` after the same kind of edit, run in
# turns with it.
# Target: ≤ 2 s on a 2-core machine (warm). A benchmark, not a test: it prints figures, asserts
# nothing. The last line is JSON.
# Usage: Tests/Benchmarks/watch-latency.sh [path/to/tutor] [runs]
set -eu
cd "$(dirname "$0")/../.."
repo=$(pwd)
if [ $# -ge 1 ]; then TUTOR=$1; else swift build --product tutor >/dev/null; TUTOR="$(swift build --product tutor --show-bin-path)/tutor"; fi
case "$TUTOR" in /*) ;; *) TUTOR="$repo/$TUTOR" ;; esac
runs=${2:-5}
command -v tmux >/dev/null || { echo "watch-latency: tmux is needed"; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-watch-latency.XXXXXX")
session="tutor-watch-latency-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null; rm -rf "$work"' EXIT
course="$work/course"
mkdir -p "$course"
tar -C "$repo" --exclude='./.build*' --exclude='./.tutor' -cf - . | tar -C "$course" -xf -
cp "$course"/Lessons/01-tensor/Solution/*.swift "$course"/Lessons/01-tensor/Exercise/
file=$(ls "$course"/Lessons/01-tensor/Exercise/*.swift | head -1)

echo "warming up (first build of lesson 01 in the copy)…"
(cd "$course" && "$TUTOR" test 01 >/dev/null 2>&1 || true)

tmux new-session -d -s "$session" -x 120 -y 40 -c "$course" "'$TUTOR'"
python3 - "$session" "$file" "$runs" "$TUTOR" "$course" <<'EOF'
import json, os, re, statistics, subprocess, sys, time
session, path, runs, tutor, course = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]

def screen():
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

def keys(*names):
    subprocess.run(["tmux", "send-keys", "-t", session, *names], check=True)

def wait(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        text = screen()
        if predicate(text):
            return text
        time.sleep(0.05)
    sys.exit(f"watch-latency: gave up waiting for {what}:\n{screen()}")

busy = lambda text: "Building your code" in text or "Running tests" in text
verdict = lambda text: not busy(text) and re.search(r"✓ All \d+ tests pass", text) is not None

wait(lambda t: "Phase 1" in t, 30, "the dashboard")
keys("g", "Enter")
wait(lambda t: "watching your files" in t or "watching (polling)" in t, 20, "watch mode")
mode = "polling" if "polling" in screen() else "inotify"
keys("t")
wait(busy, 10, "the first run")
wait(verdict, 300, "the first verdict")

# Watch mode and the headless command take turns (with watching paused for the headless run),
# so both see the same load on a shared machine.
times, headless = [], []
for run in range(1, runs + 1):
    time.sleep(1.0)
    with open(path, "a") as handle:  # an editor's save: the file changes on disk
        handle.write(f"// save {run}\n")
    start = time.time()
    wait(busy, 10, "the run a save starts")
    wait(verdict, 60, "the verdict")
    times.append(time.time() - start)
    keys("w")
    wait(lambda t: "watch off" in t, 10, "watch mode off")
    with open(path, "a") as handle:
        handle.write(f"// headless {run}\n")
    start = time.time()
    subprocess.run([tutor, "test", "01"], cwd=course, capture_output=True)
    headless.append(time.time() - start)
    print(f"run {run}: {times[-1]:.3f} s save → verdict on screen; headless `tutor test 01` {headless[-1]:.3f} s")
    keys("w")
    wait(lambda t: "watching your files" in t or "watching (polling)" in t, 10, "watch mode on")
keys("q")
median = statistics.median(times)
peer = statistics.median(headless)
print(f"median: {median:.3f} s in watch mode, {peer:.3f} s headless")
print(json.dumps({"benchmark": "watch-save-to-verdict", "lesson": "01", "runs": runs, "watch": mode,
                  "median_seconds": round(median, 3), "headless_test_median_seconds": round(peer, 3),
                  "ratio_to_headless": round(median / peer, 2), "target_seconds": 2.0, "cores": os.cpu_count()}))
EOF
