#!/usr/bin/env python3
# Writes python-fixture.safetensors, the file TrainingTests.test_unit_safetensors_loadsPythonFile
# reads: two float32 tensors and two metadata entries, saved by Python's own `safetensors`
# package (pip install safetensors numpy). Run it from this folder:
#
#     python3 make_fixture.py
#
# The bytes depend on nothing random except the order of the two metadata keys, which Rust's
# HashMap picks at random — the reader must not care about the order.
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "weight": np.array([[0.5, -1.25, 2.0], [3.5, 0.1, -1e-3]], dtype=np.float32),  # [2, 3]
    "bias": np.array([1.0, -2.0, 0.25, 100.0], dtype=np.float32),                   # [4]
}
save_file(tensors, "python-fixture.safetensors",
          metadata={"format": "np", "written_by": "make_fixture.py"})
