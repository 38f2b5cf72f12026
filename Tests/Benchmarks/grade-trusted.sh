#!/usr/bin/env bash
# What grading against a trusted course costs: `tutor grade --lessons L` on a learner's clone,
# beside `tutor grade --lessons L --trusted-course <commit>` on the same clone, each from a cold
# build (today's grade in CI is a fresh clone: nothing built). The learner's lessons hold the
# reference solutions, so every test runs to a pass. The two take turns for `rounds` rounds
# (shared machines vary by ±20% from run to run); prints each run, the medians and their ratio.
# A benchmark, not a test: it prints figures and asserts nothing. Target: ratio within 0.8–1.2.
# Usage: Tests/Benchmarks/grade-trusted.sh [lessons=1-8] [rounds=2]
set -eu
cd "$(dirname "$0")/../.."
repo=$(pwd)
lessons=${1:-1-8}
rounds=${2:-2}
swift build --product tutor >/dev/null
TUTOR="$(swift build --product tutor --show-bin-path)/tutor"

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-grade-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The learner: a clone of this repository at its last commit, every lesson done (the solutions).
git clone -q "$repo" "$work/learner"
for lesson in "$work"/learner/Lessons/[0-9]*/; do
  [ -d "$lesson/Solution" ] && cp "$lesson"/Solution/*.swift "$lesson/Exercise/"
done
commit=$(git -C "$work/learner" rev-parse HEAD)
mkdir -p "$work/tmp"

# run NAME ARGS…: one cold grade in the learner's clone; prints its seconds.
run() {
  local name=$1; shift
  rm -rf "$work/learner/.build-lessons"
  local start end status=0
  start=$(date +%s.%N)
  (cd "$work/learner" && TMPDIR="$work/tmp" "$TUTOR" grade --lessons "$lessons" "$@" >"$work/out" 2>&1) || status=$?
  end=$(date +%s.%N)
  [ "$status" -eq 0 ] || { echo "$name: grade exited $status" >&2; tail -20 "$work/out" >&2; exit 1; }
  python3 -c "print(f'{$end - $start:.1f}')"
}

own=()
trusted=()
for round in $(seq 1 "$rounds"); do
  # Alternate which goes first, so a machine that warms up or slows down favours neither.
  if [ $((round % 2)) -eq 1 ]; then
    own+=("$(run own)"); trusted+=("$(run trusted --trusted-course "$commit")")
  else
    trusted+=("$(run trusted --trusted-course "$commit")"); own+=("$(run own)")
  fi
  echo "round $round: learner's copy ${own[-1]} s, trusted course ${trusted[-1]} s"
done
python3 - "$lessons" "$(nproc 2>/dev/null || sysctl -n hw.ncpu)" "${own[*]}" "${trusted[*]}" <<'PY'
import json, statistics, sys
lessons, cores, own, trusted = sys.argv[1], int(sys.argv[2]), [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
a, b = statistics.median(own), statistics.median(trusted)
print(f"median: learner's copy {a:.1f} s, trusted course {b:.1f} s — ratio {b / a:.2f}")
print(json.dumps({"benchmark": "grade-trusted-course", "lessons": lessons, "cores": cores, "learners_copy_seconds": own,
                  "trusted_course_seconds": trusted, "ratio": round(b / a, 3), "target_ratio": [0.8, 1.2]}))
PY
