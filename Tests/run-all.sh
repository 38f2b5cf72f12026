#!/usr/bin/env bash
# The project's whole test suite — the command the README gives and CI runs (.ci/run):
#   1. the tutor's own tests (XCTest, TutorCoreTests: a real temporary package, real processes)
#   2. `tutor verify`: every lesson test fails on its stub and passes on its reference solution
#   3. the headless commands end to end on a temporary clone (Tests/headless-e2e.sh)
#   4. the full-screen app end to end in a real terminal, tmux (Tests/tui-e2e.sh)
#   5. the data sets (from ../shared/data), safetensors files read and written by Python
#   6. every written milestone on the reference solutions (smoke runs)
# Every step runs even if an earlier one fails; the last line counts them.
set -u
cd "$(dirname "$0")/.."

Tests/check-system.sh --for-tests || { echo "Install what is missing above, then run Tests/run-all.sh again."; exit 2; }

passed=0
failed=0
failures=()
step() {
  local name=$1; shift
  printf '\n━━ %s\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); printf '━━ %s: ok (%d s)\n' "$name" $((SECONDS - start))
  else
    failed=$((failed + 1)); failures+=("$name"); printf '━━ %s: FAILED (%d s)\n' "$name" $((SECONDS - start))
  fi
}

# expect_exit CODE command…: true when the command exits with CODE (its output shown).
expect_exit() {
  local want=$1; shift
  "$@"; local got=$?
  [ "$got" -eq "$want" ] || { echo "expected exit status $want, got $got"; return 1; }
}

step "build the tutor" swift build --product tutor
TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
step "tutor's own tests" swift test --disable-swift-testing
step "tutor verify (every written lesson)" "$TUTOR" verify
step "headless commands end to end" Tests/headless-e2e.sh "$TUTOR"
step "terminal app end to end" Tests/tui-e2e.sh "$TUTOR"
# The data sets the milestones train on: from ../shared/data when it is there (our machines and
# CI have no internet; Tests/fetch-data.sh rebuilds CIFAR-10's binary files from the mirror's JPEGs
# once, and finds them in place after that), else downloaded from their canonical sources.
if [ -d ../shared/data ]; then
  step "fetch the data sets (mirror ../shared/data)" Tests/fetch-data.sh "$TUTOR" ../shared/data
else
  step "fetch the data sets" "$TUTOR" data fetch
fi
step "safetensors files interoperate with Python" Tests/safetensors-interop.sh "$TUTOR"
# Every written milestone, trained on the reference solutions: a smoke test (--quick where a
# milestone has a long full run).
if milestones=$("$TUTOR" milestone list --json | python3 -c "import json,sys; print(' '.join(m['slug'] for m in json.load(sys.stdin) if m['status'] != 'coming'))"); then
  for slug in $milestones; do
    step "milestone $slug on the solutions" "$TUTOR" milestone run "$slug" --solutions -- --quick
    step "milestone $slug lists its options" "$TUTOR" milestone run "$slug" --solutions -- --help
    step "milestone $slug refuses an unknown option" expect_exit 2 "$TUTOR" milestone run "$slug" --solutions -- --no-such-option
  done
  # The 2017 milestone's saved model (from its quick run above): Python reads it, `generate`
  # repeats itself for a seed, and bad files and arguments get their messages.
  case " $milestones " in *" transformer "*)
    step "milestone transformer: its model in Python, generate and its errors" Tests/char-gpt-checkpoint.sh "$TUTOR" ;;
  esac
else
  step "list the milestones" false
fi

printf '\n'
for name in "${failures[@]+"${failures[@]}"}"; do printf 'failed: %s\n' "$name"; done
printf 'tutor suite: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
