#!/usr/bin/env bash
# The 2017 milestone's model file and `generate`, after the suite's quick run of the milestone
# (which saves .tutor/models/char-gpt-quick.safetensors):
#
#   Python     safetensors reads the file: 69 tensors, 818,176 numbers, the vocabulary (65
#              characters, "\n" first) and the sizes in the metadata.
#   generate   the same seed writes the same text twice, and it starts with the prompt.
#   errors     a missing file, a truncated file, a prompt character outside the vocabulary and a
#              bad --top-p each end the program with its message (the tutor's exit 2), no crash.
# Usage: Tests/char-gpt-checkpoint.sh TUTOR
set -eu
tutor=${1:?"usage: Tests/char-gpt-checkpoint.sh TUTOR"}
cd "$(dirname "$0")/.."
model=.tutor/models/char-gpt-quick.safetensors
[ -f "$model" ] || { echo "no $model: run the milestone's quick check first" >&2; exit 1; }

if ! python3 -c "import safetensors" 2>/dev/null; then  # as Tests/safetensors-interop.sh does
  echo "Python's safetensors package is not installed: installing it with pip…"
  python3 -m pip install --quiet safetensors
fi
python3 - "$model" <<'PY'
import json, sys
from safetensors import safe_open
from safetensors.numpy import load_file
path = sys.argv[1]
with safe_open(path, "np") as f:
    meta = f.metadata()
tensors = load_file(path)
config = json.loads(meta["config"])
assert meta["format"] == "tinytorch-char-gpt", meta["format"]
assert config == {"vocab_size": 65, "block_size": 64, "n_layer": 4, "n_head": 4, "n_embd": 128, "tied": False}, config
assert len(meta["vocabulary"]) == 65 and meta["vocabulary"][0] == "\n" and meta["vocabulary"][-1] == "z"
assert len(tensors) == 69 and sum(t.size for t in tensors.values()) == 818176, (len(tensors), sum(t.size for t in tensors.values()))
assert tensors["tokenEmbedding.weight"].shape == (65, 128) and tensors["head.weight"].shape == (128, 65)
print(f"Python reads {path}: {len(tensors)} tensors, val_loss {meta['val_loss']}, vocabulary {meta['vocabulary']!r}")
PY

run() { "$tutor" milestone run transformer --solutions -- generate --checkpoint "$model" --no-map "$@" 2>&1; }
first=$(run --prompt "ROMEO:" --length 80 --seed 7)
second=$(run --prompt "ROMEO:" --length 80 --seed 7)
text() { printf '%s\n' "$1" | awk '/^ROMEO:/ { on = 1 } on && (/^$/ || / characters in .* s: /) { exit } on'; }  # the prompt to the timing
[ -n "$(text "$first")" ] || { echo "generate wrote no text after the prompt:"; echo "$first"; exit 1; }
[ "$(text "$first")" = "$(text "$second")" ] || { echo "the same seed wrote different text:"; text "$first"; text "$second"; exit 1; }
echo "generate, seed 7, twice the same:"; text "$first"

expect() {  # expect MESSAGE-PART ARGS…: exit 2 and the message
  local part=$1; shift
  set +e; out=$("$tutor" milestone run transformer --solutions -- generate "$@" 2>&1); status=$?; set -e
  if [ "$status" -ne 2 ] || ! printf '%s' "$out" | grep -qF -- "$part"; then
    echo "generate $*: expected exit 2 and \"$part\", got $status:"; echo "$out"; exit 1
  fi
  echo "ok: generate $* → $part"
}
broken=$(mktemp); trap 'rm -f "$broken"' EXIT
head -c 5000 "$model" > "$broken"
expect "There is no model at" --checkpoint /nonexistent/model.safetensors
expect "not a model this program can read" --checkpoint "$broken"
expect "is not in the model's vocabulary" --checkpoint "$model" --prompt "ROMEO: ¿"
expect "it must be above 0 and at most 1" --checkpoint "$model" --top-p 1.5
