#!/usr/bin/env bash
# Warm edit → verdict latency of `tutor test NN`, the learner's heartbeat: change a function body
# in one exercise file (as a learner's save does: the file is compiled again, its object file
# changes and the test bundle is linked again), run the lesson's tests, time it. (Not a comment:
# the compiler leaves the object file as it was, and nothing is linked.) Two states per lesson: its exercises as shipped (stubs: every test crashes at once) and
# with the reference solution in place (every test passes: where a learner spends most of a
# lesson). The lessons it builds on hold their solutions in both. Each run is split into the
# build (`buildSeconds` of `tutor test --json`, and who built: SwiftPM or its captured plan) and
# the rest (listing and running the tests).
# Works on a temporary copy of the course; your files are untouched.
#
# Prints every run and, per lesson and state, the median of the runs as a JSON line.
# Targets (issue 16): ≤ 1.5 s with the solution in place on lesson 01, ≤ 1 s on stubs; lessons
# 05 and 08 at most 0.5 s slower. A benchmark, not a test: it prints figures, asserts nothing.
# Usage: Tests/Benchmarks/edit-latency.sh [lessons=01,05,08] [runs=5]
#        TUTOR=path/to/tutor Tests/Benchmarks/edit-latency.sh   (measure another build of the tutor)
set -eu
cd "$(dirname "$0")/../.."
repo=$PWD
lessons=${1:-01,05,08}
runs=${2:-5}
if [ -z "${TUTOR:-}" ]; then
  swift build --product tutor >/dev/null
  TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-edit-latency.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$repo" --exclude='./.build*' --exclude='./.tutor' -cf - . | tar -C "$work" -xf -
cd "$work"
info() { "$TUTOR" list --json | python3 -c "import json,sys; l=[l for l in json.load(sys.stdin)['lessons'] if l['id']=='$1'][0]; print($2)"; }
folder_of() { ls -d Lessons/"$1"-*/ | head -1; }
solve() { cp "$(folder_of "$1")"Solution/*.swift "$(folder_of "$1")"Exercise/; }
unsolve() { for f in "$(folder_of "$1")"Exercise/*.swift; do git -C "$repo" show "HEAD:$f" > "$f"; done; }
median() { printf '%s\n' "$@" | python3 -c "import sys; v=sorted(float(x) for x in sys.stdin); print(f'{v[len(v)//2]:.3f}')"; }

for lesson in ${lessons//,/ }; do
  # Every lesson before it in the course that it builds on (the graph, from course.json).
  for requirement in $(python3 -c "
import json
c = json.load(open('Lessons/course.json')); by = {l['number']: l for l in c['lessons']}
need, todo = set(), list(by[int('$lesson')]['requires'])
while todo:
    n = todo.pop()
    if n not in need: need.add(n); todo += by[n]['requires']
print(' '.join(f'{n:02d}' for n in sorted(need)))"); do solve "$requirement"; done
  file="$(info "$lesson" "l['exercises'][0]")"
  for state in stubs solution; do
    if [ "$state" = solution ]; then solve "$lesson"; else unsolve "$lesson"; fi
    # The function whose body each run changes: a private one, which nothing else depends on.
    printf '\nprivate func tutorEditLatency() -> Int { 0 }\n' >> "$file"
    echo "lesson $lesson, $state: warming up…"
    "$TUTOR" test "$lesson" >/dev/null 2>&1 || true
    "$TUTOR" test "$lesson" >/dev/null 2>&1 || true
    totals=(); builds=(); rests=()
    for i in $(seq 1 "$runs"); do
      sed -i.bak "s/^private func tutorEditLatency() -> Int { .* }\$/private func tutorEditLatency() -> Int { $i }/" "$file" && rm -f "$file.bak"
      start=$(date +%s.%N)
      "$TUTOR" test "$lesson" --json >"$work/report.json" 2>/dev/null || true
      end=$(date +%s.%N)
      read -r total build rest passed count route < <(python3 -c "
import json
r = json.load(open('$work/report.json')); total = $end - $start; build = r.get('buildSeconds', 0)
print(f'{total:.3f} {build:.3f} {total - build:.3f}', sum(t['status'] == 'passed' for t in r['results']), len(r['results']), r.get('buildRoute'))")
      totals+=("$total"); builds+=("$build"); rests+=("$rest")
      echo "  run $i: $total s (build $build s by $route, tests $rest s; $passed/$count passed)"
    done
    echo "{\"benchmark\":\"edit-to-verdict\",\"lesson\":\"$lesson\",\"state\":\"$state\",\"runs\":$runs,\"median_seconds\":$(median "${totals[@]}"),\"median_build_seconds\":$(median "${builds[@]}"),\"median_test_seconds\":$(median "${rests[@]}"),\"cores\":$(nproc 2>/dev/null || sysctl -n hw.ncpu)}"
  done
done
