#!/usr/bin/env bash
# End-to-end checks of the headless commands, as a learner and an instructor use them, on a
# temporary copy of the working tree (with its git history, which `tutor reset` reads).
# Usage: Tests/headless-e2e.sh [path/to/tutor]
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
TUTOR=${1:-"$(swift build --product tutor --show-bin-path)/tutor"}
work=$(mktemp -d "${TMPDIR:-/tmp}/tutor-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
course="$work/course"
mkdir -p "$course"
tar -C "$repo" --exclude='./.build*' --exclude='./.tutor' -cf - . | tar -C "$course" -xf -
cd "$course"

checks=0
problems=0
ok() { checks=$((checks + 1)); printf '  ✓ %s\n' "$1"; }
bad() { checks=$((checks + 1)); problems=$((problems + 1)); printf '  ✗ %s\n' "$1"; }
expect_status() { # expect_status WANT DESCRIPTION -- command…
  local want=$1 what=$2; shift 3
  "$@" >"$work/out" 2>"$work/err"; local got=$?
  if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
    bad "$what: exit $got, expected $want"; tail -n 25 "$work/out" "$work/err" | sed 's/^/      /'; fi
}
json() { python3 -c "import json,sys; d=json.load(open('$work/out')); $1"; }

echo "On the shipped stubs:"
expect_status 1 "tutor test 01 fails" -- "$TUTOR" test 01 --json
if json "r=d['results']; sys.exit(0 if r and all(t['status'] in ('failed','crashed') for t in r) else 1)"; then
  ok "every test of lesson 01 fails or crashes on the stubs"; else bad "some test of lesson 01 did not fail on the stubs"; fi
expect_status 1 "tutor test tensor (by name) fails" -- "$TUTOR" test tensor
grep -q "TODO(lesson 01)" "$work/out" && ok "the crash message names the TODO" || bad "no TODO message in the text report"
expect_status 1 "tutor solution 01 is hidden before the lesson passes" -- "$TUTOR" solution 01
expect_status 0 "tutor solution 01 --force shows it" -- "$TUTOR" solution 01 --force
grep -q "does not pass yet" "$work/err" && ok "--force warns" || bad "--force printed no warning"
expect_status 1 "tutor grade fails on the stubs" -- "$TUTOR" grade --lessons 1 --junit "$work/stub.xml"

echo "Hints:"
# The stubs were just tested: every test fails, the first is lesson 01's first initializer test.
expect_status 0 "first hint" -- "$TUTOR" hint 01
grep -q "^Hint 1 of" "$work/out" && grep -q "^For test_unit_init_storesShapeAndData, which does not pass yet" "$work/out" \
  && ok "shows hint 1, about the first failing test" || bad "hint 1 about test_unit_init_storesShapeAndData not shown"
expect_status 0 "hint again, the same test failing" -- "$TUTOR" hint 01
grep -q "^Hint 1 of" "$work/out" && grep -q "seen every hint about this" "$work/out" \
  && ok "the only hint about that test again, said so" || bad "a second hint for the same failing test was not hint 1 again"
expect_status 0 "a hint by number" -- "$TUTOR" hint 01 5
grep -q "^Hint 5 of" "$work/out" && ok "shows hint 5 alone" || bad "hint 5 not shown"
expect_status 0 "hint topics" -- "$TUTOR" hint 01 --list
grep -q "^  1  *seen" "$work/out" && grep -q "^  5  *seen" "$work/out" && grep -q "^  3       " "$work/out" \
  && ok "--list marks the hints seen" || bad "--list did not mark hints 1 and 5 seen, 3 unseen"
expect_status 2 "an unknown topic" -- "$TUTOR" hint 01 no-such-topic
grep -q "has no hint about" "$work/err" && ok "an unknown topic lists the hints" || bad "unknown topic message missing"

echo "A compile error:"
first_exercise=$(ls Lessons/01-tensor/Exercise/*.swift | head -1)
cp "$first_exercise" "$work/saved.swift"
printf '\nlet oops: Int = "text"\n' >> "$first_exercise"
expect_status 1 "tutor test 01 reports it" -- "$TUTOR" test 01
grep -q "${first_exercise}:[0-9]*: error: cannot convert value of type 'String'" "$work/out" \
  && ok "file:line: message, relative to the repo" || bad "compile error not shown as file:line: message"
cp "$work/saved.swift" "$first_exercise"

echo "With the reference solution copied over the exercises:"
cp Lessons/01-tensor/Solution/*.swift Lessons/01-tensor/Exercise/
# A broken experiment in the learner's playground must not stop the lessons from being tested.
printf '\nlet oops: Int = "text"\n' >> Lessons/Playground/main.swift
expect_status 0 "tutor test 01 passes (the playground does not compile, and that does not matter)" -- "$TUTOR" test 01
cp Lessons/01-tensor/Exercise/Tensor.swift "$work/solved.swift"
# Hint 3 foresees a local variable called `stride` hiding the function stride(from:through:by:).
python3 - <<'PY'
import re
path = "Lessons/01-tensor/Exercise/Tensor.swift"
text = open(path).read()
start = text.index("public func flatIndex(")
end = text.index("\n}\n", start)
open(path, "w").write(text[:start] + text[start:end].replace("axisStride", "stride") + text[end:])
PY
expect_status 1 "a variable named stride does not compile" -- "$TUTOR" test 01
grep -q "cannot call value of non-function type" "$work/out" && grep -q "^Hint 3, “flatIndex and the subscript”, explains this error" "$work/out" \
  && ok "the error points to the hint that foresees it" || bad "the stride error did not point to hint 3"
expect_status 0 "tutor hint 01 after that error" -- "$TUTOR" hint 01
grep -q "^Hint 3 of .* flatIndex and the subscript" "$work/out" && ok "opens hint 3, about the error" || bad "hint 3 not opened for the error"
# A wrong stride: the strides test fails first, and its hint opens.
python3 - <<'PY'
path = "Lessons/01-tensor/Exercise/Tensor.swift"
text = open(path.replace("Exercise", "Solution")).read()
old = "strides[axis] = strides[axis + 1] * shape[axis + 1]"
assert old in text
open(path, "w").write(text.replace(old, "strides[axis] = strides[axis + 1] * shape[axis]"))
PY
expect_status 1 "wrong strides fail" -- "$TUTOR" test 01
expect_status 0 "tutor hint 01 with the strides test failing" -- "$TUTOR" hint 01
grep -q "^Hint 2 of .* count, rank and strides" "$work/out" && grep -q "^For test_unit_strides_areRowMajor" "$work/out" \
  && ok "opens the hint about the failing strides test" || bad "the strides hint was not opened"
cp "$work/solved.swift" Lessons/01-tensor/Exercise/Tensor.swift
expect_status 0 "tutor test 01 passes again" -- "$TUTOR" test 01
TUTOR_LESSONS=1 swift run Playground >"$work/out" 2>&1 && bad "the broken playground ran" \
  || { grep -q "main.swift:[0-9]*:[0-9]*: error: cannot convert" "$work/out" && ok "swift run Playground shows its own compile error" \
       || bad "swift run Playground: no compile error shown"; }
git checkout -q -- Lessons/Playground/main.swift
TUTOR_LESSONS=1 swift run Playground >"$work/out" 2>&1 && grep -q "x has shape \[2, 3\]" "$work/out" \
  && ok "TUTOR_LESSONS=1 swift run Playground runs on lesson 01" || { bad "the playground did not run"; tail -5 "$work/out"; }
expect_status 0 "tutor grade passes, writing three reports" -- "$TUTOR" grade --lessons 1 --junit "$work/r.xml" --json "$work/r.json" --markdown "$work/r.md"
python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse('$work/r.xml')" && ok "JUnit XML parses" || bad "JUnit XML does not parse"
python3 -c "import json; d=json.load(open('$work/r.json')); assert d['lessons'][0]['results']" && ok "JSON report has results" || bad "bad JSON report"
grep -q "every graded lesson passes" "$work/r.md" && ok "Markdown summary" || bad "Markdown summary wrong"
expect_status 0 "tutor solution 01 shows it once passed" -- "$TUTOR" solution 01
expect_status 0 "tutor list --json" -- "$TUTOR" list --json
json "l=d['lessons'][0]; sys.exit(0 if l['status']=='passed' else 1)" && ok "lesson 01 listed as passed" || bad "lesson 01 not listed as passed"

echo "Milestones:"
expect_status 1 "the perceptron is locked with only lesson 01 passed" -- "$TUTOR" milestone run perceptron
grep -q "needs lessons 02, 03, 04" "$work/err" && ok "it names the lessons still needed" || bad "locked message does not name lessons 02, 03, 04"
expect_status 0 "tutor milestone list" -- "$TUTOR" milestone list
grep -q "locked — needs lessons 02, 03, 04" "$work/out" && ok "the list shows it locked" || bad "milestone list does not show the lock"
TUTOR_MILESTONE_COMMAND="FAKE_MILESTONE_NO_DATA=1 '$course/Tests/Fixtures/fake-milestone.sh'" \
  expect_status 2 "a milestone program that could not run (no data): exit 2, as the help says" \
  -- "$TUTOR" milestone run perceptron --force
grep -q "could not run: no data" "$work/out" && ok "it says it could not run" || bad "no 'could not run' verdict"
grep -q '"perceptron"' .tutor/progress.json 2>/dev/null && bad "a run that could not run was recorded" \
  || ok "and nothing is recorded"

echo "Tampering with a test:"
printf '\n// edited\n' >> Tests/LessonTests/01-tensor/TensorTests.swift
expect_status 0 "tutor grade reports it but passes without --strict" -- "$TUTOR" grade --lessons 1 --markdown "$work/t.md"
grep -q "TensorTests.swift. modified" "$work/t.md" && ok "named as modified" || bad "tampered file not named"
expect_status 1 "tutor grade --strict fails" -- "$TUTOR" grade --lessons 1 --strict
git checkout -q -- Tests/LessonTests 2>/dev/null || cp "$repo/Tests/LessonTests/01-tensor/TensorTests.swift" Tests/LessonTests/01-tensor/

echo "Every process of a run ends with the tutor:"
cp Lessons/01-tensor/Exercise/Tensor.swift "$work/before-loop.swift"
python3 - <<'PY'
path = "Lessons/01-tensor/Exercise/Tensor.swift"
text = open(path).read()
old = "    public var strides: [Int] {\n"
assert old in text
open(path, "w").write(text.replace(old, old + "        var spin = 0; while spin >= 0 { spin = (spin &+ 1) % 1000 }\n", 1))
PY
for how in KILL HUP; do
  "$TUTOR" test 01 --timeout 120 >"$work/out" 2>&1 &
  tutor_pid=$!
  deadline=$((SECONDS + 300))
  until pgrep -f "$course/\.build-lessons/.*xctest .*strides" >/dev/null || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
  if ! pgrep -f "$course/\.build-lessons/.*xctest .*strides" >/dev/null; then bad "SIG$how: the looping test never started"; tail -5 "$work/out"; fi
  kill -"$how" "$tutor_pid"; wait "$tutor_pid" 2>/dev/null
  sleep 2
  if pgrep -f "$course/\.build-lessons" >/dev/null; then
    bad "SIG$how to the tutor left processes of the run behind:"; pgrep -af "$course/\.build-lessons" | sed 's/^/      /'
    pkill -KILL -f "$course/\.build-lessons"
  else ok "SIG$how to the tutor: no test or build process is left 2 s later"; fi
done
cp "$work/before-loop.swift" Lessons/01-tensor/Exercise/Tensor.swift
# During a build: SwiftPM starts each compiler in a process group of its own (same session).
"$TUTOR" test 08 >"$work/out" 2>&1 &
tutor_pid=$!
deadline=$((SECONDS + 120))
until pgrep -f "swift-frontend.*$course/" >/dev/null || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
if pgrep -f "swift-frontend.*$course/" >/dev/null; then
  kill -KILL "$tutor_pid"; wait "$tutor_pid" 2>/dev/null
  sleep 2
  if pgrep -f "$course/" >/dev/null; then
    bad "SIGKILL during a build left compilers running:"; pgrep -af "$course/" | cut -c1-160 | sed 's/^/      /'
    pkill -KILL -f "$course/"
  else ok "SIGKILL during a build: no compiler is left 2 s later"; fi
else bad "no compiler seen during the build of lesson 08"; kill -KILL "$tutor_pid"; fi

echo "Grading against a trusted course (the tree under test, as an instructor keeps it):"
# Lesson 01 holds honest work (the solution, copied in above); lesson 02 holds the stubs and the
# cheats of issue 12. Without a trusted course they pass --strict; with one, each is caught or
# simply not used.
trusted_tmp="$work/tmp"; mkdir -p "$trusted_tmp"
python3 - <<'PY'
import json, re, subprocess
# Cheat 2: every test passes whatever the code does, and the manifest is regenerated to match.
path = "Tests/LessonTests/02-activations/ActivationsTests.swift"
names = re.findall(r"func (test\w+)\(", open(path).read())
body = "".join(f"    func {name}() {{ XCTAssertTrue(true) }}\n" for name in names)
open(path, "w").write(f"import XCTest\n\nfinal class ActivationsTests: LessonTestCase {{\n{body}}}\n")
files = sorted(subprocess.run(["find", "Tests/LessonTests", "-type", "f", "!", "-name", "SHA256SUMS"],
                              capture_output=True, text=True, check=True).stdout.split())
sums = subprocess.run(["sha256sum", "--"] + files, capture_output=True, text=True, check=True).stdout
open("Tests/LessonTests/SHA256SUMS", "w").write(sums)
# Cheat 3: Package.swift compiles the reference solutions.
text = open("Package.swift").read()
assert "let useSolution = solutionLessons.contains(lesson.number)" in text
open("Package.swift", "w").write(text.replace("let useSolution = solutionLessons.contains(lesson.number)", "let useSolution = true"))
# Cheat 4: lesson 02 is "not written", so it is not graded.
course = json.load(open("Lessons/course.json"))
next(l for l in course["lessons"] if l["number"] == 2)["written"] = False
json.dump(course, open("Lessons/course.json", "w"), indent=2)
PY
expect_status 0 "without a trusted course, cheats 2–4 pass, even with --strict" -- "$TUTOR" grade --lessons 1-2 --strict
grep -q "were not verified" "$work/out" && ok "and the report says the course copy was not verified" \
  || bad "the report does not say the learner's copy was not verified"
TMPDIR="$trusted_tmp" expect_status 1 "with --trusted-course the grade fails" -- "$TUTOR" grade --lessons 1-2 --strict \
  --trusted-course "$repo" --junit "$work/trusted.xml" --json "$work/trusted.json" --markdown "$work/trusted.md"
if python3 - "$work/trusted.json" <<'PY'; then ok "lesson 01 (honest) passes; lesson 02 is graded on the course's tests and fails"; else bad "wrong verdicts with the trusted course"; fi
import json, sys
d = json.load(open(sys.argv[1]))
lessons = {l["lesson"]: l for l in d["lessons"]}
one, two = lessons.get("01"), lessons.get("02")
assert one and one["results"] and all(r["status"] == "passed" for r in one["results"]), "lesson 01"
assert two, "lesson 02 was not graded"
assert len(two["results"]) > 1, "lesson 02 ran the course's tests, not the learner's"
assert not any(r["status"] == "passed" for r in two["results"]), [r for r in two["results"] if r["status"] == "passed"][:3]
PY
if python3 - "$work/trusted.json" <<'PY'; then ok "the report names Package.swift, course.json, the tests and their manifest"; else bad "changed course files not named"; fi
import json, sys
d = json.load(open(sys.argv[1]))
changed = {t["path"]: t["problem"] for t in d["tampered"]}
for path in ["Package.swift", "Lessons/course.json", "Tests/LessonTests/SHA256SUMS", "Tests/LessonTests/02-activations/ActivationsTests.swift"]:
    assert changed.get(path) == "modified", (path, changed)
assert d["origin"]["kind"] == "folder" and d["origin"]["source"], d["origin"]
PY
grep -q "Graded against the trusted course $repo" "$work/trusted.md" && ok "the report names the trusted course" \
  || bad "the report does not name the trusted course"
python3 - "$work/trusted.xml" <<'PY' && ok "JUnit totals are the sums of the suites, the failures counted" || bad "JUnit totals wrong"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
root = doc.documentElement
suites = doc.getElementsByTagName("testsuite")
for key in ["tests", "failures", "errors", "skipped"]:
    assert int(root.getAttribute(key)) == sum(int(s.getAttribute(key)) for s in suites), key
assert int(root.getAttribute("failures")) + int(root.getAttribute("errors")) > 0
PY
# Cheat 1: a file of the learner's own shadows Swift's fatalError, so every stub "passes".
cat > Lessons/02-activations/Exercise/Zzz.swift <<'SWIFT'
import Foundation
public func fatalError(_ message: @autoclosure () -> String = "", file: StaticString = #file, line: UInt = #line) -> Never {
    print("Test Suite 'Selected tests' passed\n\t Executed 1 test, with 0 failures (0 unexpected) in 0.001 (0.001) seconds")
    exit(0)
}
SWIFT
TMPDIR="$trusted_tmp" expect_status 2 "with --trusted-course, a file that shadows fatalError stops the grade" -- \
  "$TUTOR" grade --lessons 2 --trusted-course "$repo" --markdown "$work/trusted.md"
grep -q "Lessons/02-activations/Exercise/Zzz.swift:[0-9]* declares .fatalError." "$work/trusted.md" \
  && ok "the report names the file and line" || bad "Zzz.swift not named in the report"
[ -z "$(ls -A "$trusted_tmp")" ] && ok "nothing left in the temporary directory" || { bad "left in TMPDIR: $(ls "$trusted_tmp")"; }
rm Lessons/02-activations/Exercise/Zzz.swift
cp "$repo/Package.swift" Package.swift
cp "$repo/Lessons/course.json" Lessons/course.json
cp -R "$repo/Tests/LessonTests/." Tests/LessonTests/
TMPDIR="$trusted_tmp" expect_status 2 "a branch of the learner's repository is refused" -- "$TUTOR" grade --trusted-course main
grep -q "which the learner can point at any commit" "$work/err" && ok "and the message says why" || bad "no reason given for refusing a branch"
expect_status 2 "a folder that is not a course" -- "$TUTOR" grade --trusted-course "$trusted_tmp"
grep -q "is not a copy of the course: it has no Package.swift" "$work/err" && ok "says so" || bad "not-a-course message missing"
TMPDIR="$trusted_tmp" expect_status 2 "a ref that does not exist" -- "$TUTOR" grade --trusted-course "$repo#no-such-ref"
grep -q "couldn't find remote ref no-such-ref" "$work/err" && ok "names the ref" || bad "missing-ref message missing"
[ -z "$(ls -A "$trusted_tmp")" ] && ok "refused sources leave nothing behind" || bad "left in TMPDIR: $(ls "$trusted_tmp")"

echo "Reset:"
expect_status 2 "tutor reset without a terminal asks for --yes" -- "$TUTOR" reset 01
expect_status 0 "tutor reset 01 --yes" -- "$TUTOR" reset 01 --yes
if diff -rq Lessons/01-tensor/Exercise "$repo/Lessons/01-tensor/Exercise" >/dev/null; then
  ok "exercises are as shipped again"; else bad "exercises differ from the shipped ones after reset"; fi
ls .tutor/backups/*/Lessons/01-tensor/Exercise/*.swift >/dev/null 2>&1 && ok "the learner's versions are backed up" || bad "no backup"

echo "A milestone, for scripts and with its output redirected:"
"$TUTOR" milestone run perceptron --solutions --json >"$work/out" 2>"$work/err"; status=$?
if [ "$status" -eq 0 ] && json "sys.exit(0 if d['achieved'] and d['milestone'] == 'perceptron' and d['buildSeconds'] is not None and not d['recorded'] else 1)"; then
  ok "milestone run --json prints one result document, build time apart (exit 0)"; else bad "milestone run --json: exit $status"; cat "$work/out"; fi
# The program's words in the order it wrote them: AND's decision map before OR's training, OR's
# before XOR's (its standard error and its JSON events once came through two pipes, out of order).
if python3 -c "
import sys; t = open('$work/err').read()
marks = [t.find(s) for s in ['AND: learned', 'Teaching the perceptron OR', 'OR: learned', 'Teaching the perceptron XOR', 'XOR: not learned']]
sys.exit(0 if -1 not in marks and marks == sorted(marks) else 1)"; then
  ok "redirected, the milestone's output keeps its order"; else bad "the milestone's output is out of order"; fi
# XOR's bias ends near zero with this seed: it once printed as "b = -0.00".
grep -q -- "-0\.00" "$work/err" && bad "a number prints as -0.00" || ok "no -0.00 in the decision rules"

echo "A shape mistake in the learner's code, in a milestone built in release:"
# Lessons 01–04 from the solutions, but the learner's Linear multiplies by the transposed weight.
for lesson in 01-tensor 02-activations 03-layers 04-losses; do cp Lessons/$lesson/Solution/*.swift Lessons/$lesson/Exercise/; done
sed -i.orig 's/let product = input.matmul(weight)$/let product = input.matmul(weight.transposed())/' Lessons/03-layers/Exercise/Linear.swift
rm -f Lessons/03-layers/Exercise/Linear.swift.orig
linear_line=$(grep -n 'input.matmul(weight.transposed())' Lessons/03-layers/Exercise/Linear.swift | cut -d: -f1)
"$TUTOR" milestone run perceptron --force --json >"$work/out" 2>"$work/err"; status=$?
[ "$status" -eq 2 ] && ok "the run fails (exit 2)" || bad "the run with a shape mistake: exit $status, expected 2"
grep -q "tutor: the program crashed: .*matmul: \[1, 2\] × \[1, 2\] — inner sizes differ (2 vs 1) — Lessons/01-tensor/Exercise/Matmul.swift:[0-9]*, called from Lessons/03-layers/Exercise/Linear.swift:$linear_line" "$work/err" \
  && ok "it prints the check's message, the learner's file:line and the line of Linear.swift that called it" \
  || { bad "no message and learner's file:line for the shape mistake"; tail -n 5 "$work/err" | sed 's/^/      /'; }
json "c=d['crash']; sys.exit(0 if c['location'].startswith('Lessons/01-tensor/Exercise/Matmul.swift:') and c['calledFrom'][0] == 'Lessons/03-layers/Exercise/Linear.swift:$linear_line' and 'inner sizes differ' in c['message'] else 1)" \
  && ok "--json holds the crash as data: message, location, calledFrom" || bad "--json has no crash document"
grep -q "^Registers:\|Backtracing from" "$work/err" && bad "the backtrace is dumped into the output" || ok "no backtrace dump in the output"
for lesson in 01-tensor 02-activations 03-layers 04-losses; do cp "$repo"/Lessons/$lesson/Exercise/*.swift Lessons/$lesson/Exercise/; done

echo "Inspecting a safetensors file:"
fixture=Tests/LessonTests/07-training/Fixtures/python-fixture.safetensors
expect_status 0 "tutor inspect on a file Python's safetensors wrote" -- "$TUTOR" inspect "$fixture"
grep -q "^weight  *F32  *\[2, 3\]  *6  *\[16, 40)  *24$" "$work/out" && grep -q "written_by  make_fixture.py" "$work/out" \
  && ok "it lists each tensor and the metadata" || bad "tutor inspect: tensor or metadata missing"
expect_status 0 "tutor inspect --json" -- "$TUTOR" inspect "$fixture" --json
json "sys.exit(0 if d['valid'] and d['totals'] == {'tensors': 2, 'elements': 10, 'bytes': 40} else 1)" \
  && ok "one JSON document with the totals" || bad "tutor inspect --json: wrong document"
head -c 100 "$fixture" > "$work/cut.safetensors"
expect_status 1 "a truncated file is not a safetensors file" -- "$TUTOR" inspect "$work/cut.safetensors"
grep -q "truncated or not a safetensors file" "$work/err" && ok "and says so" || bad "no message for a truncated file"
expect_status 2 "a missing file cannot be read" -- "$TUTOR" inspect "$work/none.safetensors"

echo "Bad input:"
expect_status 2 "an unknown lesson" -- "$TUTOR" test 99
expect_status 2 "a lesson that is not written yet" -- "$TUTOR" test capstone
printf '{ this is not json' > .tutor/progress.json
expect_status 0 "a corrupt progress file" -- "$TUTOR" list
grep -q "moved to" "$work/err" && ok "is moved aside with a message" || bad "corrupt progress not reported"
"$TUTOR" </dev/null >"$work/out" 2>&1; status=$?
[ "$status" -ne 0 ] && grep -q "needs a terminal" "$work/out" && ok "tutor without a terminal says so (exit $status)" || bad "tutor without a terminal: exit $status"
(cd / && "$TUTOR" list >"$work/out" 2>&1); status=$?
[ "$status" -eq 2 ] && grep -q "not inside the course" "$work/out" && ok "outside the course: clear message" || bad "outside the course: exit $status"

printf 'headless end to end: %d passed, %d failed\n' $((checks - problems)) "$problems"
[ "$problems" -eq 0 ]
