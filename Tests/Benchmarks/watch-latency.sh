#!/usr/bin/env bash
# Save → verdict latency of watch mode in the full-screen tutor: in tmux, on a temporary copy of
# the working tree, lesson 01 open with its tests passing; each run changes an exercise file (as
# an editor's save does) and times until the screen shows the new verdict. Prints each run, the
# median of 5, and for comparison the headless `tutor test 01` after the same kind of edit, run in
# turns with it.
# Target (issue 16): watch mode adds at most 0.1 s to the headless figure. A benchmark, not a test: it prints figures, asserts
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
# Each save changes the body of this function, as a learner's edit does (a comment would leave the
# object file as it was, and nothing would be linked).
printf '\nprivate func tutorEditLatency() -> Int { 0 }\n' >> "$file"

echo "warming up (first build of lesson 01 in the copy)…"
(cd "$course" && "$TUTOR" test 01 >/dev/null 2>&1 || true)

# The app writes the time each verdict reached the terminal here (TUTOR_TRACE_FILE): polling the
# screen from outside, every 50 ms, would add half of that to every figure.
trace="$work/trace"
: > "$trace"
tmux new-session -d -s "$session" -x 120 -y 40 -c "$course" "TUTOR_TRACE_FILE='$trace' '$TUTOR'"
python3 - "$session" "$file" "$runs" "$TUTOR" "$course" "$trace" <<'EOF'
import json, os, re, statistics, subprocess, sys, time
session, path, runs, tutor, course, trace = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]

def traced():
    with open(trace) as handle:
        return [float(line.split()[0]) for line in handle if line.endswith("verdict drawn\n")]

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

def edit(number):
    with open(path) as handle:
        text = handle.read()
    text = re.sub(r"private func tutorEditLatency\(\) -> Int \{ .* \}", f"private func tutorEditLatency() -> Int {{ {number} }}", text)
    with open(path, "w") as handle:
        handle.write(text)

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
    edit(2 * run)  # an editor's save: the file changes on disk
    start = time.time()
    wait(busy, 10, "the run a save starts")
    wait(verdict, 60, "the verdict")
    drawn = [t for t in traced() if t > start]
    times.append((drawn[0] if drawn else time.time()) - start)
    keys("w")
    wait(lambda t: "watch off" in t, 10, "watch mode off")
    edit(2 * run + 1)
    start = time.time()
    result = subprocess.run([tutor, "test", "01", "--json"], cwd=course, capture_output=True, text=True,
                            env={**os.environ, "TUTOR_DEBUG_PLAN": "1"})
    headless.append(time.time() - start)
    try:
        report = json.loads(result.stdout)
        how = f" (build {report.get('buildSeconds', 0):.3f} s by {report.get('buildRoute')})"
    except ValueError:
        how = ""
    sys.stdout.write("".join(l + "\n" for l in result.stderr.splitlines() if "SwiftPM builds" in l))
    print(f"run {run}: {times[-1]:.3f} s save → verdict on screen; headless `tutor test 01` {headless[-1]:.3f} s{how}")
    keys("w")
    wait(lambda t: "watching your files" in t or "watching (polling)" in t, 10, "watch mode on")
keys("q")
median = statistics.median(times)
peer = statistics.median(headless)
print(f"median: {median:.3f} s in watch mode, {peer:.3f} s headless")
print(json.dumps({"benchmark": "watch-save-to-verdict", "lesson": "01", "runs": runs, "watch": mode,
                  "median_seconds": round(median, 3), "headless_test_median_seconds": round(peer, 3),
                  "ratio_to_headless": round(median / peer, 2), "added_seconds": round(median - peer, 3),
                  "target_added_seconds": 0.1, "cores": os.cpu_count()}))
EOF
