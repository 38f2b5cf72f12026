#!/usr/bin/env bash
# End-to-end checks of the full-screen tutor in a real terminal: tmux, 120×40, on a temporary copy
# of the working tree. A learner opens lesson 01, runs its tests (failures shown), copies the
# solution over the exercise files and watch mode shows the tests pass; a milestone view runs the
# fixture program and draws its charts; the terminal is resized below the minimum; and every way
# out (q, Ctrl-C, SIGTERM, an error, a crash) gives the terminal back as it was.
# Usage: Tests/tui-e2e.sh path/to/tutor
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
TUTOR=${1:-"$(swift build --product tutor --show-bin-path)/tutor"}
case "$TUTOR" in /*) ;; *) TUTOR="$repo/$TUTOR" ;; esac
command -v tmux >/dev/null || { echo "tui end to end: tmux is needed (sudo apt-get install tmux)"; exit 2; }
[ -x "$TUTOR" ] || { echo "tui end to end: no tutor at $TUTOR (build it first)"; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-tui-e2e.XXXXXX")
session="tutor-tui-e2e-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
course="$work/course"
mkdir -p "$course"
tar -C "$repo" --exclude='./.build*' --exclude='./.tutor' -cf - . | tar -C "$course" -xf -
fixture="$course/Tests/Fixtures/fake-milestone.sh"

checks=0
problems=0
ok() { checks=$((checks + 1)); printf '  ✓ %s\n' "$1"; }
bad() { checks=$((checks + 1)); problems=$((problems + 1)); printf '  ✗ %s\n' "$1"; }

screen() { tmux capture-pane -p -t "$session"; }
# wait_for SECONDS PATTERN: until the screen matches the extended regular expression.
wait_for() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    screen | grep -qE -- "$2" && return 0
    sleep 0.2
  done
  return 1
}
# Braille dots on the screen (a chart being drawn): more than 20 of U+2801…U+28FF.
braille_on_screen() {
  screen | python3 -c 'import sys; sys.exit(0 if sum(0x2801 <= ord(c) <= 0x28FF for c in sys.stdin.read()) > 20 else 1)'
}
# expect SECONDS PATTERN DESCRIPTION
expect() {
  if wait_for "$1" "$2"; then ok "$3"; else
    bad "$3 (nothing matching /$2/ after $1 s)"; screen | sed 's/^/      | /'; fi
}
keys() { tmux send-keys -t "$session" "$@"; }
typed() { tmux send-keys -t "$session" -l "$1"; tmux send-keys -t "$session" Enter; }
# The terminal is back to normal: not in the alternate screen, echo on, the shell's prompt shown.
expect_restored() { # expect_restored WHAT STATUS [PATTERN printed after the app ends]
  local what=$1 status=$2 printed=${3:-}
  if wait_for 15 '^e2e\$ *$'; then
    [ -z "$printed" ] || expect 1 "$printed" "$what: says so on the normal screen"
    [ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ] && ok "$what: the alternate screen is left" \
      || bad "$what: still in the alternate screen"
    typed "echo exit=\$?; stty -a | tr ' ;' '\n\n' | grep -qx echo && echo echo-is-on"
    expect 10 "^exit=$status" "$what: exit status $status"
    expect 10 '^echo-is-on' "$what: echo is on again"
  else
    bad "$what: the shell prompt did not come back"; screen | sed 's/^/      | /'
  fi
  typed "clear"
  sleep 0.3
}
start_tutor() { # start_tutor [VAR=value …]
  typed "env $* '$TUTOR'"
}

tmux new-session -d -s "$session" -x 120 -y 40 -c "$course" "env PS1='e2e\$ ' bash --norc --noprofile"
sleep 0.3

echo "The dashboard and a lesson:"
start_tutor "TUTOR_MILESTONE_COMMAND='FAKE_MILESTONE_DELAY=0.5 $fixture'"
expect 20 'Phase 1 · Foundations' "the dashboard shows the phases"
expect 5 'Milestones' "and the milestones"
expect 5 'Next +→ (start|finish) lesson 01' "the next step is lesson 01"
keys Enter
expect 10 'Lesson 01 · Tensor' "Enter opens lesson 01"
expect 10 '● watching your files' "watch mode is on (inotify)"
expect 10 'Lesson 01: Tensor' "the lesson text is shown"

echo "Running the tests on the shipped stubs:"
keys t
expect 10 'Building your code' "t starts a build, with a spinner and the time"
expect 600 '✗ 0 of [0-9]+ tests pass' "the verdict: every test fails"
expect 5 'crashed' "a crash is named"
expect 5 'TODO\(lesson 01\)' "with the TODO message"
expect 5 'Next: make test_unit_' "and the next step"

echo "Watch mode, with the solution copied over the exercises:"
cp "$course"/Lessons/01-tensor/Solution/*.swift "$course"/Lessons/01-tensor/Exercise/
expect 10 'saved · Building your code|Running tests' "saving starts a run by itself"
expect 300 '✓ All [0-9]+ tests pass' "the tests pass"
if python3 -c "import json,sys; d=json.load(open('$course/.tutor/progress.json')); sys.exit(0 if d['lessons']['01']['completed'] else 1)" 2>/dev/null; then
  ok "the pass is saved in .tutor/progress.json"; else bad "the pass is not in .tutor/progress.json"; fi
echo "Stopping a run:"
printf '\n// a save\n' >> "$course/Lessons/01-tensor/Exercise/Tensor.swift"
expect 10 'saved · Building your code' "a save starts a run"
keys Escape
expect 10 'Stopped before the tests finished' "Esc stops it"
sleep 0.5
if pgrep -f "$course/.build-lessons" >/dev/null; then bad "a build or test process is left running"; else ok "no build or test process is left"; fi
keys t
expect 10 'Building your code|Running tests' "t runs the tests again"
expect 300 '✓ All [0-9]+ tests pass  \(just now\)' "and they pass"
keys h
expect 5 'Hint 1 of [0-9]+' "h shows the first hint"
keys Escape
keys s
expect 10 'Reference solution 1/[0-9]+' "s shows the reference solution once the lesson passes"
keys Escape
keys '?'
expect 5 '─ Keys ─' "? lists the keys"
keys Escape

echo "A milestone with the fixture program:"
keys Escape
expect 5 'Dashboard' "Esc goes back to the dashboard"
keys G Enter
expect 5 'Milestone 2024' "the last milestone opens"
keys Enter
expect 10 'Epoch [1-8] of 8' "the run shows the epoch and a progress bar"
expect 10 'about [0-9.]+ s left' "and an ETA"
expect 10 'Loss +Accuracy' "charts of loss and accuracy"
deadline=$((SECONDS + 10))
until braille_on_screen || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
if braille_on_screen && screen | grep -qE 'Epoch [1-7] of 8'; then ok "drawn with braille dots, live during the run"
else bad "no braille chart during the run"; screen | sed 's/^/      | /'; fi
expect 30 'Goal met: [0-9.]+% test accuracy' "the result"
# The fixture draws a two-cell picture in colour when told the screen has colours: 256-colour
# red on blue, and 24-bit green on yellow, which the app shows as the nearest of the 256.
if tmux capture-pane -e -p -t "$session" | python3 -c '
import re, sys
line = next((l for l in sys.stdin if "picture:" in l), "")
codes = ";".join(re.findall(r"\x1b\[([0-9;]*)m", line))
sys.exit(0 if all(c in codes.split(";") for c in ["196", "21", "46", "226"]) and "▀▀ ok" in re.sub(r"\x1b\[[0-9;]*m", "", line) else 1)'
then ok "a picture in the program's output keeps its colours (256 and 24-bit)"
else bad "the picture's colours are lost"; tmux capture-pane -e -p -t "$session" | grep picture | cat -v | sed 's/^/      | /'; fi
keys Enter
expect 10 'Epoch [1-8] of 8' "run again"
keys Escape
expect 10 'Stopped before it finished' "Esc during the run stops it"
sleep 0.5
if pgrep -f "$fixture" >/dev/null; then bad "the milestone program is still running"; else ok "the milestone program is gone"; fi

echo "Resizing:"
tmux resize-window -t "$session" -x 60 -y 15
expect 5 'Terminal too small' "60×15 shows the size message"
expect 5 'this one is 60 × 15' "naming the size"
tmux resize-window -t "$session" -x 120 -y 40
expect 5 'Milestone 2024' "back at 120×40 the screen returns"

echo "Quitting, every way:"
keys q
expect_restored "q" 0
start_tutor
expect 20 'Phase 1 · Foundations' "started again"
keys C-c
expect_restored "Ctrl-C" 130
start_tutor
expect 20 'Phase 1 · Foundations' "started again"
shell=$(tmux display -p -t "$session" '#{pane_pid}')
pkill -TERM -P "$shell" -f "$TUTOR"
expect_restored "SIGTERM" 143
start_tutor TUTOR_TUI_TEST_FAULT=throw
expect_restored "an error thrown inside the app" 2 'thrown on purpose'
start_tutor TUTOR_TUI_TEST_FAULT=crash SWIFT_BACKTRACE=enable=no
expect_restored "a crash of the app" '13[2-4]'

echo "Quitting during a run:"
start_tutor
expect 20 'Phase 1 · Foundations' "started again"
keys g Enter t
expect 10 'Building your code' "a run starts"
keys q
expect_restored "q during a run" 0
sleep 0.5
if pgrep -f "$course/.build-lessons" >/dev/null; then bad "q left a build or test process running"; else ok "q stopped the run's processes"; fi

echo "Colours:"
start_tutor
expect 20 'Phase 1 · Foundations' "started with colours"
tmux capture-pane -e -p -t "$session" | grep -qE $'\e\\[([0-9;]*;)?3[1-6]m' && ok "colours are used" || bad "no colours"
keys q
expect_restored "q" 0
start_tutor NO_COLOR=1
expect 20 'Phase 1 · Foundations' "started with NO_COLOR=1"
captured=$(tmux capture-pane -e -p -t "$session")
if printf '%s' "$captured" | grep -qE $'\e\\[([0-9;]*;)?3[1-7]m'; then bad "NO_COLOR: colours are still used"; else ok "NO_COLOR: no colours"; fi
printf '%s' "$captured" | grep -qE $'\e\\[([0-9;]*;)?7m' && ok "NO_COLOR: the selection is shown in reverse video" || bad "NO_COLOR: no reverse video"
keys q
expect_restored "q" 0

echo "A locked milestone tests the lessons it needs:"
# Lesson 01 passed above; lesson 02 is solved on disk but never tested; 03 is still the stub.
cp "$course"/Lessons/02-activations/Solution/*.swift "$course"/Lessons/02-activations/Exercise/
start_tutor
expect 20 'Phase 1 · Foundations' "started again"
keys G Up Up Up Up Up Enter
expect 5 'Milestone 1957' "the perceptron opens"
expect 5 'Solved them already\? Press t to test them' "locked, it offers to test its lessons"
expect 5 't test lessons 02–04' "and its footer says so"
keys t
expect 300 '✓ 02 Activations +all [0-9]+ tests pass' "lesson 02, solved on disk, now passes"
expect 300 '✗ 03 Layers' "lesson 03 does not, and the testing stops there"
if screen | grep -qE '04 Losses'; then bad "lesson 04 was tested after 03 failed"; else ok "lesson 04 is not tested after 03 fails"; fi
expect 5 'locked: pass lessons 03, 04 first' "the milestone needs only 03 and 04 now"
keys q
expect_restored "q" 0

echo "Headless watch mode (tutor watch):"
(cd "$course" && exec "$TUTOR" watch 01 >"$work/watch.out" 2>&1) &
watcher=$!
deadline=$((SECONDS + 120))
until grep -q 'Watching Lessons/01-tensor/Exercise/' "$work/watch.out" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
printf '\n// another save\n' >> "$course/Lessons/01-tensor/Exercise/Tensor.swift"
deadline=$((SECONDS + 120))
until [ "$(grep -c 'tests passed' "$work/watch.out" 2>/dev/null)" -ge 2 ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
grep -q '── Tensor.swift saved: testing lesson 01 ──' "$work/watch.out" && [ "$(grep -c 'tests passed' "$work/watch.out")" -ge 2 ] \
  && ok "a save tests the lesson again" || { bad "tutor watch did not test again after a save"; sed 's/^/      | /' "$work/watch.out" | tail -20; }
kill -INT "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null

printf 'tui end to end: %d passed, %d failed\n' $((checks - problems)) "$problems"
[ "$problems" -eq 0 ]
