#!/usr/bin/env bash
# Fuzzes a parser of outside bytes with libFuzzer (and AddressSanitizer): lesson 08's IDX reader
# and lesson 07's safetensors reader from the reference solutions, lesson 08's given CIFAR-10
# reader, or `tutor inspect`'s reader from TutorCore. Compiles the sources it needs together with
# Tests/Fuzz/Fuzz<Target>.swift into one program, runs it for the given time, and prints the runs,
# crashes and slowest input.
#
# Usage: Tests/Fuzz/run.sh idx|cifar|safetensors|inspect [seconds=60] [jobs=1]
# Any input that takes longer than 1 s (-timeout=1) counts as a crash: the parsers are linear, and
# a slow input is how a quadratic one shows. A crash leaves its input as
# Tests/Fuzz/artifacts/crash-… (or timeout-…, oom-…); reproduce with the printed command.
set -eu
cd "$(dirname "$0")/../.."
root=$PWD
target=${1:?"usage: Tests/Fuzz/run.sh idx|cifar|safetensors|inspect [seconds] [jobs]"}
seconds=${2:-60}
jobs=${3:-1}

case "$target" in
  idx)         lessons="01-tensor 08-dataloader"; entry=FuzzIDX.swift ;;
  cifar)       lessons="01-tensor 08-dataloader"; entry=FuzzCIFAR.swift ;;
  safetensors) lessons="01-tensor 02-activations 03-layers 04-losses 05-autograd 06-optimizers 07-training"; entry=FuzzSafetensors.swift ;;
  inspect)     lessons=""; entry=FuzzInspect.swift ;;
  *) echo "unknown target '$target' (idx, cifar, safetensors, inspect)" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" Tests/Fuzz/artifacts Tests/Fuzz/corpus/$target
# A first corpus of real files, from which the fuzzer mutates: the lesson's file written by
# Python's safetensors, a 3-label IDX file, or two CIFAR-10 records (labels 3 and 9).
if [ -z "$(ls -A Tests/Fuzz/corpus/$target)" ]; then
  case "$target" in
    idx) printf '\000\000\010\001\000\000\000\003\007\002\001' > Tests/Fuzz/corpus/idx/labels ;;
    cifar) { printf '\003'; head -c 3072 /dev/zero | tr '\000' '\200'; printf '\011'; head -c 3072 /dev/zero; } \
             > Tests/Fuzz/corpus/cifar/two-records ;;
    *) cp Tests/LessonTests/07-training/Fixtures/python-fixture.safetensors Tests/Fuzz/corpus/$target/ ;;
  esac
fi
# One module: the lessons' Solution/ and Provided/ files with their cross-lesson imports removed.
for lesson in $lessons; do
  for file in Lessons/$lesson/Solution/*.swift Lessons/$lesson/Provided/*.swift; do
    [ -f "$file" ] || continue
    sed -E '/^import TinyTorch[A-Za-z]*$/d' "$file" > "$work/src/${lesson}-$(basename "$file")"
  done
done
if [ "$target" = inspect ]; then
  cp Sources/TutorCore/Safetensors/*.swift "$work/src/"
fi
cp "Tests/Fuzz/$entry" "$work/src/"

echo "building the $target fuzzer (release, -sanitize=fuzzer,address)…"
swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name Fuzz "$work"/src/*.swift -o "$work/fuzz" 2>&1 \
  | grep -v "Cannot export local symbol" || true
[ -x "$work/fuzz" ] || { echo "build failed"; exit 2; }

echo "fuzzing for $seconds s with $jobs job(s)…"
set +e
parallel=()
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
(cd "$work" && "$work/fuzz" -max_total_time="$seconds" -timeout=1 "${parallel[@]+"${parallel[@]}"}" -print_final_stats=1 \
  -artifact_prefix="$root/Tests/Fuzz/artifacts/" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
  "$root/Tests/Fuzz/corpus/$target" >"$work/log" 2>&1)
status=$?
set -e
cat "$work"/fuzz-*.log >> "$work/log" 2>/dev/null || true
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
crashes=$(ls Tests/Fuzz/artifacts 2>/dev/null | grep -cE '^(crash|leak|oom|timeout)-' || true)
slow=$(ls Tests/Fuzz/artifacts 2>/dev/null | grep -cE '^(timeout|slow-unit)-' || true)
slowest=$(grep -oE 'stat::slowest_unit_time_sec: *[0-9]+' "$work/log" | grep -oE '[0-9]+$' | sort -n | tail -1)
echo "{\"fuzz_target\":\"$target\",\"seconds\":$seconds,\"runs\":$runs,\"crashes\":$crashes,\"slow_inputs\":$slow,\"slowest_unit_seconds\":${slowest:-0},\"exit\":$status}"
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
  grep -E "ERROR|SUMMARY|Fatal error|Precondition" "$work/log" | head -20
  echo "reproduce: Tests/Fuzz/run.sh builds the fuzzer; run it with an artifact path as its argument"
  exit 1
fi
