#!/usr/bin/env bash
# A learner's first impression, measured: from a fresh clone with empty SwiftPM caches, as in
# the README —
#   1. `swift run tutor` until the dashboard's first frame (resolving and building the tutor);
#   2. the first verdict of lesson 01: the learner opens lesson 01 at the first frame, reads for
#      READ seconds (default 30), presses t; the time from t to the verdict on screen. The app
#      builds the next lesson in the background as it opens, so a reader should not wait.
# Runs in tmux at 120×40, as tui-e2e.sh does. Prints the figures and one JSON line.
# Usage: Tests/Benchmarks/first-run.sh [READ]   (READ=0: press t at the first frame)
set -u
cd "$(dirname "$0")/../.."
repo=$(pwd)
read_seconds=${1:-30}
command -v tmux >/dev/null || { echo "first-run: tmux is needed (sudo apt-get install tmux)"; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-first-run.XXXXXX")
session="tutor-first-run-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# A clone of the committed course; empty caches, as on a learner's new machine (git's own
# configuration, which may point package URLs at a local mirror, is kept).
git clone -q "$repo" "$work/course"
mkdir -p "$work/cache"

screen() { tmux capture-pane -p -t "$session"; }
now() { date +%s.%N; }
# wait_for SECONDS PATTERN: until the screen matches; prints nothing, fails on timeout.
wait_for() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    screen | grep -qE -- "$2" && return 0
    sleep 0.1
  done
  return 1
}
elapsed() { python3 -c "print(f'{$2 - $1:.1f}')"; }

tmux new-session -d -s "$session" -x 120 -y 40 -c "$work/course" \
  "env XDG_CACHE_HOME='$work/cache' PS1='fr\$ ' bash --norc --noprofile"
sleep 0.3
start=$(now)
tmux send-keys -t "$session" -l "swift run tutor"
tmux send-keys -t "$session" Enter
if ! wait_for 900 'Phase 1 · Foundations'; then
  echo "first-run: no dashboard after 900 s"; screen | tail -20; exit 1
fi
frame=$(now)
first_frame=$(elapsed "$start" "$frame")
echo "first dashboard frame: $first_frame s after \`swift run tutor\` (fresh clone, empty caches)"

tmux send-keys -t "$session" Enter
wait_for 20 'Lesson 01 · Tensor' || { echo "first-run: lesson 01 did not open"; exit 1; }
sleep "$read_seconds"
pressed=$(now)
tmux send-keys -t "$session" t
if ! wait_for 900 '0 of [0-9]+ tests pass|All [0-9]+ tests pass'; then
  echo "first-run: no verdict after 900 s"; screen | tail -20; exit 1
fi
verdict=$(now)
wait=$(elapsed "$pressed" "$verdict")
total=$(elapsed "$start" "$verdict")
echo "first verdict of lesson 01: $wait s after t, pressed after reading for $read_seconds s ($total s from the start)"
tmux send-keys -t "$session" q
printf '{"benchmark":"first-run","first_frame_s":%s,"read_s":%s,"verdict_wait_s":%s,"verdict_total_s":%s}\n' \
  "$first_frame" "$read_seconds" "$wait" "$total"
