#!/usr/bin/env bash
# Fuzzes a parser of outside bytes from the reference solutions with libFuzzer (and
# AddressSanitizer): compiles the lesson sources it needs together with Tests/Fuzz/Fuzz<Target>.swift
# into one program, runs it for the given time, and prints the runs and crashes.
#
# Usage: Tests/Fuzz/run.sh idx|safetensors [seconds=60] [jobs=1]
# A crash leaves its input as Tests/Fuzz/artifacts/crash-…; reproduce with the printed command.
set -eu
cd "$(dirname "$0")/../.."
root=$PWD
target=${1:?"usage: Tests/Fuzz/run.sh idx|safetensors [seconds] [jobs]"}
seconds=${2:-60}
jobs=${3:-1}

case "$target" in
  idx)         lessons="01-tensor 08-dataloader"; entry=FuzzIDX.swift ;;
  safetensors) lessons="01-tensor 02-activations 03-layers 04-losses 05-autograd 06-optimizers 07-training"; entry=FuzzSafetensors.swift ;;
  *) echo "unknown target '$target' (idx, safetensors)" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" Tests/Fuzz/artifacts Tests/Fuzz/corpus/$target
# One module: the lessons' Solution/ and Provided/ files with their cross-lesson imports removed.
for lesson in $lessons; do
  for file in Lessons/$lesson/Solution/*.swift Lessons/$lesson/Provided/*.swift; do
    [ -f "$file" ] || continue
    sed -E '/^import TinyTorch[A-Za-z]*$/d' "$file" > "$work/src/${lesson}-$(basename "$file")"
  done
done
cp "Tests/Fuzz/$entry" "$work/src/"

echo "building the $target fuzzer (release, -sanitize=fuzzer,address)…"
swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name Fuzz "$work"/src/*.swift -o "$work/fuzz" 2>&1 \
  | grep -v "Cannot export local symbol" || true
[ -x "$work/fuzz" ] || { echo "build failed"; exit 2; }

echo "fuzzing for $seconds s with $jobs job(s)…"
set +e
parallel=()
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
(cd "$work" && "$work/fuzz" -max_total_time="$seconds" "${parallel[@]+"${parallel[@]}"}" -print_final_stats=1 \
  -artifact_prefix="$root/Tests/Fuzz/artifacts/" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
  "$root/Tests/Fuzz/corpus/$target" >"$work/log" 2>&1)
status=$?
set -e
cat "$work"/fuzz-*.log >> "$work/log" 2>/dev/null || true
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
crashes=$(ls Tests/Fuzz/artifacts 2>/dev/null | grep -cE '^(crash|leak|oom|timeout)-' || true)
echo "{\"fuzz_target\":\"$target\",\"seconds\":$seconds,\"runs\":$runs,\"crashes\":$crashes,\"exit\":$status}"
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
  grep -E "ERROR|SUMMARY|Fatal error|Precondition" "$work/log" | head -20
  echo "reproduce: Tests/Fuzz/run.sh builds the fuzzer; run it with an artifact path as its argument"
  exit 1
fi
