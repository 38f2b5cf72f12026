#!/usr/bin/env bash
# A stand-in milestone program for the tutor's tests: it speaks the milestone protocol
# (docs/ARCHITECTURE.md) like a real one — JSON lines on standard output, human words on standard
# error — for a short fake training whose loss falls and accuracy rises, then a result.
#   FAKE_MILESTONE_EPOCHS  epochs (default 8)
#   FAKE_MILESTONE_DELAY   seconds between epochs (default 0.3)
#   FAKE_MILESTONE_FAIL    1: exit with an error before the result
#   FAKE_MILESTONE_NO_DATA 1: find no data, as the MNIST program can — say so in a result and
#                          exit 2 ("could not run") before training
set -u
epochs=${FAKE_MILESTONE_EPOCHS:-8}
delay=${FAKE_MILESTONE_DELAY:-0.3}
if [ "${FAKE_MILESTONE_NO_DATA:-0}" = 1 ]; then
  echo "Could not read the pretend data: no such file" >&2
  echo '{"event":"result","summary":"no data: run `swift run tutor data fetch pretend`","achieved":false}'
  exit 2
fi
echo "fake milestone: training a pretend network for $epochs epochs" >&2
echo '{"event":"log","message":"loaded 1000 pretend images"}'
echo "a line that is not JSON: readers must skip it"
for epoch in $(seq 1 "$epochs"); do
  sleep "$delay"
  # loss = 2.3 / epoch^1.2, accuracy = 1 - 0.9 / epoch^1.1, printed with awk for portable floats
  awk -v e="$epoch" -v n="$epochs" 'BEGIN {
    loss = 2.3 / (e ^ 1.2); acc = 1 - 0.9 / (e ^ 1.1)
    printf "{\"event\":\"step\",\"epoch\":%d,\"epochs\":%d,\"step\":50,\"steps\":100,\"loss\":%.4f}\n", e, n, loss * 1.1
    printf "{\"event\":\"epoch\",\"epoch\":%d,\"epochs\":%d,\"loss\":%.4f,\"accuracy\":%.4f,\"seconds\":0.3,\"unknown\":\"ignored\"}\n", e, n, loss, acc
  }'
  echo "epoch $epoch/$epochs done" >&2
done
if [ "${FAKE_MILESTONE_FAIL:-0}" = 1 ]; then
  echo "Fatal error: pretend failure" >&2
  exit 3
fi
# A pretend picture, as the CIFAR-10 milestone draws them: in colour when the tutor says the
# screen has colours (TUTOR_MILESTONE_COLORS), else in characters.
if [ "${TUTOR_MILESTONE_COLORS:-none}" != none ]; then
  printf 'picture: \033[38;5;196;48;5;21m\342\226\200\033[38;2;0;255;0;48;2;255;255;0m\342\226\200\033[0m ok\n' >&2
else
  echo "picture: #= ok" >&2
fi
final=$(awk -v e="$epochs" 'BEGIN { printf "%.1f", (1 - 0.9 / (e ^ 1.1)) * 100 }')
echo "{\"event\":\"result\",\"summary\":\"$final% test accuracy\",\"achieved\":true,\"metrics\":{\"accuracy\":$(awk -v f="$final" 'BEGIN { printf "%.3f", f / 100 }')}}"
echo "fake milestone: done" >&2
