#!/usr/bin/env bash
# Safetensors interop: lesson 07's reference solution against Python's `safetensors` package.
#
# Builds the lesson's example program (Lessons/07-training/Example/main.swift) on the reference
# solutions, then checks the train → save → predict pattern in both directions:
#
#   Swift → Python  `RegressionExample train` on a bike-sharing CSV generated here; its
#                   predictions on new rows are sensible; Python's safetensors.numpy.load_file
#                   reads the saved file with the names, shapes, values and metadata that
#                   `RegressionExample inspect` printed; Python re-saving the tensors gives the
#                   same data bytes and the same header.
#   Python → Swift  Python writes weights and normalization with safetensors.numpy.save_file;
#                   `RegressionExample predict` with them matches NumPy's forward pass.
#   Hostile input   a truncated model file, a lying header length and a bad CSV row give clear
#                   errors (exit 1), never a crash.
#   tutor inspect   reads files Python wrote in every dtype numpy has, and BF16 and F8 through
#                   safetensors.serialize_file, as Python reports them: names, dtypes, shapes,
#                   byte ranges, metadata; and the model the lesson's code saved.
#   Same limits     the lesson's reader and `tutor inspect` accept a header of exactly 4,000,000
#                   bytes and refuse one byte more, JSON nested 4 deep and a key given twice. The
#                   two readers share no code (the tutor cannot import lesson code): this keeps
#                   them agreed.
#
# Needs python3 with numpy; installs `safetensors` with pip if it is missing (and says so).
# Prints ✓/✗ per check and "safetensors interop: N passed, M failed"; exits 1 on any failure.
# Usage: Tests/safetensors-interop.sh [path/to/tutor]
# Environment: SAFETENSORS_INTEROP_SCRATCH (default .build-solutions) is the scratch path.
set -u
cd "$(dirname "$0")/.."
TUTOR=${1:-}
SCRATCH="${SAFETENSORS_INTEROP_SCRATCH:-.build-solutions}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/safetensors-interop.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
pass() { echo "✓ $1"; passed=$((passed + 1)); }
fail() {
    echo "✗ $1"
    if [ -n "${2:-}" ]; then printf '%s\n' "$2" | tail -15 | sed 's/^/    /'; fi
    failed=$((failed + 1))
}
finish() {
    echo "safetensors interop: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && exit 0
    exit 1
}

# --- Python ---------------------------------------------------------------------------------
if ! python3 -c "import numpy" 2>/dev/null; then
    fail "python3 with numpy is needed (pip install numpy)"
    finish
fi
if ! python3 -c "import safetensors" 2>/dev/null; then
    echo "Python's safetensors package is not installed: installing it with pip…"
    if ! python3 -m pip install --quiet safetensors >"$WORK/pip.log" 2>&1; then
        fail "pip install safetensors" "$(cat "$WORK/pip.log")"
        finish
    fi
fi

# --- Build -----------------------------------------------------------------------------------
echo "Building RegressionExample on the reference solutions (release, $SCRATCH)…"
if ! TUTOR_LESSONS=7 TUTOR_SOLUTIONS=all swift build -c release --product RegressionExample \
        --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1; then
    fail "build RegressionExample" "$(cat "$WORK/build.log")"
    finish
fi
BIN="$(TUTOR_LESSONS=7 TUTOR_SOLUTIONS=all swift build -c release --scratch-path "$SCRATCH" \
        --show-bin-path)/RegressionExample"
pass "RegressionExample builds"
if [ -z "$TUTOR" ]; then
    if ! swift build --product tutor >"$WORK/build-tutor.log" 2>&1; then
        fail "build the tutor" "$(cat "$WORK/build-tutor.log")"
        finish
    fi
    TUTOR="$(swift build --product tutor --show-bin-path)/tutor"
fi

# --- Data: a bike-sharing-style CSV with a known, noisy formula ------------------------------
cat >"$WORK/bikes.py" <<'EOF'
# Rentals per hour from hour, temperature (°C), humidity (%) and weekday (0 = Monday):
# commuter peaks at 8:00 and 17:30 on workdays, an afternoon bump at weekends, more in warm,
# dry weather, and noise with a standard deviation of 15 rentals.
import sys
import numpy as np

def rows(count, seed):
    rng = np.random.default_rng(seed)
    hour = rng.integers(0, 24, count)
    weekday = rng.integers(0, 7, count)
    temperature = rng.uniform(-5, 35, count).round(1)
    humidity = rng.uniform(20, 100, count).round(0)
    workday = (weekday < 5).astype(float)
    commute = np.exp(-(hour - 8) ** 2 / 4) + np.exp(-(hour - 17.5) ** 2 / 4)
    leisure = np.exp(-(hour - 14) ** 2 / 18)
    rentals = (30 + 4 * temperature - 1.2 * (humidity - 60)
               + workday * 250 * commute + (1 - workday) * 180 * leisure
               + 40 * ((hour >= 6) & (hour <= 22)))
    rentals = np.maximum(0, rentals + rng.normal(0, 15, count)).round(0)
    return {"hour": hour, "temperature": temperature, "humidity": humidity,
            "weekday": weekday, "rentals": rentals}

def write(path, columns, data):
    with open(path, "w") as f:
        f.write(",".join(columns) + "\n")
        for i in range(len(data["hour"])):
            f.write(",".join(f"{data[c][i]:g}" for c in columns) + "\n")

folder = sys.argv[1]
write(f"{folder}/bikes.csv", ["hour", "temperature", "humidity", "weekday", "rentals"],
      rows(2000, 1))
# New rows, columns in another order: predict must find the inputs by name.
write(f"{folder}/new.csv", ["weekday", "rentals", "humidity", "hour", "temperature"],
      rows(300, 2))
EOF
if python3 "$WORK/bikes.py" "$WORK" 2>"$WORK/data.log"; then
    pass "generated bikes.csv (2000 rows) and new.csv (300 rows, columns reordered)"
else
    fail "generate the CSV files" "$(cat "$WORK/data.log")"
    finish
fi

# --- Swift → Python ---------------------------------------------------------------------------
if "$BIN" train --data "$WORK/bikes.csv" --out "$WORK/model" >"$WORK/train.out" \
        2>"$WORK/train.err" && [ -f "$WORK/model/model.safetensors" ]; then
    summary="$(tail -1 "$WORK/train.err" | sed 's/.*; held-out/held-out/; s/ (the .*//')"
    pass "train writes model/model.safetensors; $summary"
else
    fail "train on bikes.csv" "$(cat "$WORK/train.err")"
    finish
fi

if "$BIN" predict --model "$WORK/model" --data "$WORK/new.csv" >"$WORK/predictions.csv" \
        2>"$WORK/predict.err"; then
    if result="$(python3 - "$WORK" <<'EOF'
import sys
import numpy as np
folder = sys.argv[1]
truth = np.genfromtxt(f"{folder}/new.csv", delimiter=",", names=True)["rentals"]
with open(f"{folder}/predictions.csv") as f:
    header = f.readline().strip()
    predicted = np.array([float(line) for line in f if line.strip()])
assert header == "predicted_rentals", f"header {header!r}"
assert predicted.shape == truth.shape, f"{predicted.shape} predictions for {truth.shape} rows"
rmse = float(np.sqrt(np.mean((predicted - truth) ** 2)))
spread = float(truth.std())
print(f"RMSE {rmse:.1f} rentals on 300 new rows; predicting the mean would give {spread:.1f}")
sys.exit(0 if rmse < 0.4 * spread else 1)
EOF
    )"; then
        pass "predict is sensible: $result"
    else
        fail "predict is not sensible" "$result"
    fi
else
    fail "predict on new.csv" "$(cat "$WORK/predict.err")"
fi

if "$BIN" inspect --model "$WORK/model" >"$WORK/inspect.json" 2>"$WORK/inspect.err"; then
    if result="$(python3 - "$WORK" 2>&1 <<'EOF'
import json, struct, sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save
folder = sys.argv[1]
path = f"{folder}/model/model.safetensors"
printed = json.load(open(f"{folder}/inspect.json"))
loaded = load_file(path)
problems = []
if sorted(loaded) != sorted(printed["tensors"]):
    problems.append(f"names: Python {sorted(loaded)}, Swift {sorted(printed['tensors'])}")
for name, tensor in loaded.items():
    swift = printed["tensors"].get(name)
    if swift is None:
        continue
    if tensor.dtype != np.float32:
        problems.append(f"{name}: dtype {tensor.dtype}")
    if list(tensor.shape) != swift["shape"]:
        problems.append(f"{name}: shape {list(tensor.shape)} in Python, {swift['shape']} printed")
    elif not np.array_equal(tensor.ravel(), np.array(swift["data"], dtype=np.float32)):
        problems.append(f"{name}: values differ")
with safe_open(path, "np") as f:
    metadata = f.metadata()
if metadata != printed["metadata"]:
    problems.append(f"metadata: Python {metadata}, Swift {printed['metadata']}")
# Python re-saves the same tensors: same data bytes, same header (the metadata's key order in
# Python's output is random, so the headers are compared as JSON).
mine = open(path, "rb").read()
theirs = save(loaded, metadata=metadata)
def split(blob):
    n = struct.unpack("<Q", blob[:8])[0]
    return n, json.loads(blob[8:8 + n]), blob[8 + n:]
n_mine, header_mine, data_mine = split(mine)
n_theirs, header_theirs, data_theirs = split(theirs)
if (8 + n_mine) % 8 != 0:
    problems.append(f"the header ({n_mine} bytes) is not padded to a multiple of 8")
if header_mine != header_theirs:
    problems.append(f"headers differ: {header_mine} vs {header_theirs}")
if data_mine != data_theirs:
    problems.append("data sections differ")
if len(mine) != len(theirs):
    problems.append(f"sizes differ: Swift {len(mine)} bytes, Python {len(theirs)}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
shapes = ", ".join(f"{k} {list(v.shape)}" for k, v in sorted(loaded.items()))
print(f"{shapes}; {len(metadata)} metadata entries; {len(mine)} bytes, as Python writes them")
EOF
    )"; then
        pass "Python's load_file reads the Swift file as inspect printed it: $result"
    else
        fail "Python's load_file and the Swift file disagree" "$result"
    fi
else
    fail "inspect the model" "$(cat "$WORK/inspect.err")"
fi

# --- Python → Swift ---------------------------------------------------------------------------
if result="$(python3 - "$WORK" 2>&1 <<'EOF'
import json, os, sys
import numpy as np
from safetensors.numpy import save_file
folder = sys.argv[1]
rng = np.random.default_rng(7)
hidden = 8
features = ["hour", "temperature", "humidity", "weekday"]
tensors = {  # the example's layout: Linear weights are [inputs, outputs]
    "0.weight": rng.normal(0, 0.5, (4, hidden)).astype(np.float32),
    "0.bias": rng.normal(0, 0.1, hidden).astype(np.float32),
    "2.weight": rng.normal(0, 0.5, (hidden, 1)).astype(np.float32),
    "2.bias": np.array([0.3], dtype=np.float32),
}
mean = [11.5, 15.0, 60.0, 3.0]
std = [6.9, 11.5, 23.1, 2.0]
metadata = {
    "format": "tinytorch-regression-1", "features": json.dumps(features), "target": "rentals",
    "hidden_size": str(hidden), "feature_mean": json.dumps(mean), "feature_std": json.dumps(std),
    "target_mean": "180.5", "target_std": "110.25",
}
os.makedirs(f"{folder}/python-model", exist_ok=True)
save_file(tensors, f"{folder}/python-model/model.safetensors", metadata=metadata)
np.savez(f"{folder}/python-model.npz", **tensors)
print("ok")
EOF
)"; then
    if "$BIN" predict --model "$WORK/python-model" --data "$WORK/new.csv" \
            >"$WORK/python-predictions.csv" 2>"$WORK/python-predict.err"; then
        if result="$(python3 - "$WORK" 2>&1 <<'EOF'
import sys
import numpy as np
folder = sys.argv[1]
w = np.load(f"{folder}/python-model.npz")
data = np.genfromtxt(f"{folder}/new.csv", delimiter=",", names=True)
x = np.stack([data[c] for c in ["hour", "temperature", "humidity", "weekday"]], axis=1)
x = (x - np.array([11.5, 15.0, 60.0, 3.0])) / np.array([6.9, 11.5, 23.1, 2.0])
h = np.maximum(0, x @ w["0.weight"] + w["0.bias"])
expected = (h @ w["2.weight"] + w["2.bias"])[:, 0] * 110.25 + 180.5
with open(f"{folder}/python-predictions.csv") as f:
    f.readline()
    got = np.array([float(line) for line in f if line.strip()])
if got.shape != expected.shape:
    print(f"{got.shape} predictions for {expected.shape} rows")
    sys.exit(1)
worst = float(np.max(np.abs(got - expected) / (1 + np.abs(expected))))
print(f"300 predictions, largest relative difference {worst:.1e}")
sys.exit(0 if worst < 1e-4 else 1)
EOF
        )"; then
            pass "predict with weights saved by Python's save_file matches NumPy: $result"
        else
            fail "predict with Python's weights differs from NumPy" "$result"
        fi
    else
        fail "predict with weights saved by Python" "$(cat "$WORK/python-predict.err")"
    fi
else
    fail "write weights with Python's save_file" "$result"
fi

# --- tutor inspect ----------------------------------------------------------------------------
if result="$(python3 - "$WORK" 2>&1 <<'EOF'
import numpy as np, sys
from safetensors.numpy import save_file
from safetensors import serialize_file, TensorSpec
folder = sys.argv[1]
rng = np.random.default_rng(3)
tensors = {
    "f16": rng.normal(size=(3, 5)).astype(np.float16), "f32": rng.normal(size=(2, 3)).astype(np.float32),
    "f64": rng.normal(size=4), "i64": np.arange(7), "i32": np.arange(6, dtype=np.int32).reshape(2, 3),
    "i8": np.arange(-3, 3, dtype=np.int8), "u8": np.arange(9, dtype=np.uint8).reshape(3, 3),
    "u16": np.arange(2, dtype=np.uint16), "mask": np.array([True, False, True]),
    "scalar": np.array(2.5, dtype=np.float32), "empty": np.zeros((0, 4), dtype=np.float32),
}
save_file(tensors, f"{folder}/numpy.safetensors", metadata={"format": "np", "note": "written by numpy"})
# Dtypes numpy does not have, through the format's own serializer: BF16 and an 8-bit float.
bf16 = np.array([0x3F80, 0x4000, 0xC040], dtype=np.uint16)
fp8 = np.array([0x38, 0x40], dtype=np.uint8)
serialize_file({"bf16": TensorSpec(dtype="bfloat16", shape=[3], data_ptr=bf16.ctypes.data, data_len=bf16.nbytes),
                "fp8": TensorSpec(dtype="float8_e4m3fn", shape=[2], data_ptr=fp8.ctypes.data, data_len=fp8.nbytes)},
               f"{folder}/bf16.safetensors", metadata={"format": "pt"})
print("ok")
EOF
)"; then
    for name in numpy bf16; do
        if "$TUTOR" inspect "$WORK/$name.safetensors" --json >"$WORK/inspect-$name.json" 2>"$WORK/inspect-$name.err"; then
            if result="$(python3 - "$WORK/$name.safetensors" "$WORK/inspect-$name.json" 2>&1 <<'EOF'
import json, struct, sys
from safetensors import safe_open
path, printed = sys.argv[1], json.load(open(sys.argv[2]))
blob = open(path, "rb").read()
n = struct.unpack("<Q", blob[:8])[0]
header = json.loads(blob[8:8 + n])
problems = []
with safe_open(path, "np") as f:
    metadata = f.metadata()
    names = sorted(f.keys())
if metadata != printed["metadata"]:
    problems.append(f"metadata: Python {metadata}, tutor {printed['metadata']}")
if names != sorted(t["name"] for t in printed["tensors"]):
    problems.append(f"names: Python {names}, tutor {[t['name'] for t in printed['tensors']]}")
if printed["headerSize"] != n or printed["fileSize"] != len(blob) or printed["dataStart"] != 8 + n:
    problems.append("header size, file size or data start differ")
for t in printed["tensors"]:
    entry = header[t["name"]]
    count = 1
    for size in entry["shape"]:
        count *= size
    want = (entry["dtype"], entry["shape"], entry["data_offsets"], count,
            entry["data_offsets"][1] - entry["data_offsets"][0])
    got = (t["dtype"], t["shape"], t["dataOffsets"], t["elements"], t["bytes"])
    if want != got:
        problems.append(f"{t['name']}: header says {want}, tutor printed {got}")
    if t["courseReads"] != (entry["dtype"] in ("F32", "F64")):
        problems.append(f"{t['name']}: courseReads {t['courseReads']} for {entry['dtype']}")
if not printed["valid"] or printed["problems"]:
    problems.append(f"not valid: {printed['problems']}")
if printed["totals"]["bytes"] != len(blob) - 8 - n:
    problems.append(f"total bytes {printed['totals']['bytes']}, data section {len(blob) - 8 - n}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{len(names)} tensors ({', '.join(sorted({t['dtype'] for t in printed['tensors']}))}); "
      f"not for the course: {', '.join(printed['dtypesTheCourseCannotRead'])}")
EOF
            )"; then
                pass "tutor inspect reads $name.safetensors as Python does: $result"
            else
                fail "tutor inspect and Python disagree on $name.safetensors" "$result"
            fi
        else
            fail "tutor inspect $name.safetensors" "$(cat "$WORK/inspect-$name.err")"
        fi
    done
else
    fail "write files of every dtype with Python" "$result"
fi
if "$TUTOR" inspect "$WORK/model/model.safetensors" >"$WORK/inspect-model.out" 2>&1 \
        && grep -q "✓ a valid safetensors file" "$WORK/inspect-model.out"; then
    pass "tutor inspect reads the model the lesson's code saved ($(grep -c ' F32 ' "$WORK/inspect-model.out") F32 tensors)"
else
    fail "tutor inspect on the Swift model" "$(cat "$WORK/inspect-model.out")"
fi

# --- The same limits in the lesson's reader and in tutor inspect -------------------------------
# variant NAME KIND: the trained model with its header rewritten — "exact": padded with spaces to
# the limit; "over": one byte more; "deep": an entry with a field nested 4 deep; "twice": a tensor
# named twice.
variant() {
    mkdir -p "$WORK/$1"
    cp "$WORK/model/"* "$WORK/$1/"
    python3 - "$WORK/model/model.safetensors" "$WORK/$1/model.safetensors" "$2" <<'EOF'
import json, struct, sys
source, target, kind = sys.argv[1:]
blob = open(source, "rb").read()
n = struct.unpack("<Q", blob[:8])[0]
text, data = blob[8:8 + n].decode().rstrip(" "), blob[8 + n:]
if kind == "exact":
    text += " " * (4_000_000 - len(text.encode()))
elif kind == "over":
    text += " " * (4_000_001 - len(text.encode()))
elif kind == "deep":
    text = text.replace('"dtype":', '"extra":[[1]],"dtype":', 1)
elif kind == "twice":
    first = json.loads(text)
    name = next(k for k in first if k != "__metadata__")
    text = text[:-1] + "," + json.dumps(name) + ":" + json.dumps(first[name], separators=(",", ":")) + "}"
raw = text.encode()
open(target, "wb").write(struct.pack("<Q", len(raw)) + raw + data)
EOF
}
# agree KIND WANT FRAGMENT: both readers exit WANT (0 or 1) on the variant KIND and, refusing it,
# both say FRAGMENT.
agree() {
    local kind=$1 want=$2 fragment=$3
    variant "$kind" "$kind"
    "$BIN" inspect --model "$WORK/$kind" >"$WORK/$kind.lesson" 2>&1; local lesson=$?
    "$TUTOR" inspect "$WORK/$kind/model.safetensors" >"$WORK/$kind.tutor" 2>&1; local tutor=$?
    local verdict="accept"
    [ "$want" -eq 0 ] || verdict="refuse"
    if [ "$lesson" -eq "$want" ] && [ "$tutor" -eq "$want" ] && { [ -z "$fragment" ] \
            || { grep -q -- "$fragment" "$WORK/$kind.lesson" && grep -q -- "$fragment" "$WORK/$kind.tutor"; }; }; then
        pass "$kind: the lesson's reader and tutor inspect both $verdict it${fragment:+ (\"$fragment\")}"
    else
        fail "$kind: the lesson's reader exits $lesson, tutor inspect $tutor (both should $verdict it${fragment:+, saying \"$fragment\"})" \
            "$(tail -3 "$WORK/$kind.lesson"; tail -3 "$WORK/$kind.tutor")"
    fi
}
agree exact 0 ""
agree over 1 "4,000,001 bytes of JSON"
agree deep 1 "more than 3 deep"
agree twice 1 "twice in one object"

# --- Hostile input ----------------------------------------------------------------------------
# expect_error NAME FRAGMENT COMMAND…: the command must exit 1 (an error, not a crash) and say
# FRAGMENT on standard error.
expect_error() {
    local name="$1" fragment="$2"
    shift 2
    "$@" >"$WORK/hostile.out" 2>"$WORK/hostile.err"
    local status=$?
    if [ "$status" -eq 1 ] && grep -q -- "$fragment" "$WORK/hostile.err"; then
        pass "$name: $(head -1 "$WORK/hostile.err")"
    else
        fail "$name: expected exit 1 and \"$fragment\", got exit $status" \
            "$(cat "$WORK/hostile.err")"
    fi
}
mkdir -p "$WORK/truncated" "$WORK/lying"
head -c 100 "$WORK/model/model.safetensors" >"$WORK/truncated/model.safetensors"
expect_error "a truncated model file" "truncated" \
    "$BIN" predict --model "$WORK/truncated" --data "$WORK/new.csv"
python3 -c "
import struct, sys
blob = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(struct.pack('<Q', 1_000_000_000) + blob[8:])
" "$WORK/model/model.safetensors" "$WORK/lying/model.safetensors"
expect_error "a lying header length" "1,000,000,000 bytes" \
    "$BIN" predict --model "$WORK/lying" --data "$WORK/new.csv"
{ head -5 "$WORK/new.csv"; echo "3,120,55,n/a,20"; } >"$WORK/bad.csv"
expect_error "a bad CSV row" "line 6" \
    "$BIN" predict --model "$WORK/model" --data "$WORK/bad.csv"

finish
