#!/usr/bin/env bash
# Warm edit → verdict latency of `tutor test 01`: change an exercise file (a comment line, so the
# compiler really recompiles it, as after saving an edit), run the lesson's tests, and time it.
# Prints each run and the median of 5. The file is restored at the end.
# Target: ≤ 2 s on a 2-core machine. A benchmark, not a test: it prints figures, asserts nothing.
# Usage: Tests/Benchmarks/edit-latency.sh [lesson] [runs]
set -eu
cd "$(dirname "$0")/../.."
lesson=${1:-01}
runs=${2:-5}
swift build --product tutor >/dev/null
TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
file=$("$TUTOR" list --json | python3 -c "import json,sys; print([l for l in json.load(sys.stdin)['lessons'] if l['id']=='$lesson'][0]['exercises'][0])")

cp "$file" "$file.bench-backup"
trap 'mv "$file.bench-backup" "$file"' EXIT
echo "warming up (first build of the learner's code)…"
"$TUTOR" test "$lesson" >/dev/null 2>&1 || true
"$TUTOR" test "$lesson" >/dev/null 2>&1 || true

times=()
for i in $(seq 1 "$runs"); do
  printf '\n// edit %s\n' "$i" >> "$file"
  start=$(date +%s.%N)
  "$TUTOR" test "$lesson" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  t=$(python3 -c "print(f'{$end - $start:.3f}')")
  times+=("$t")
  echo "run $i: $t s"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print(f'{sorted(v)[len(v)//2]:.3f}')")
echo "{\"benchmark\":\"edit-to-verdict\",\"lesson\":\"$lesson\",\"runs\":$runs,\"median_seconds\":$median,\"target_seconds\":2.0,\"cores\":$(nproc 2>/dev/null || sysctl -n hw.ncpu)}"
