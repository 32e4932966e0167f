"""Times layer6ai-labs/dgm-eval's compute_prdc at its default size (10,000 real and 10,000 fake
features, DINOv2's 1024 dimensions, k = 3), for BENCHMARKS.md beside `cedm bench --only eval`.

Run from the repo root with Debian's python3-numpy and python3-sklearn:
    /usr/bin/python3 bench/prdc_reference.py <dgm-eval checkout, or its dgm_eval/metrics/prdc.py>
dgm-eval's code is not part of this repo: its prdc.py is loaded from the given path.
"""
import importlib.util
import os
import sys
import time

import numpy as np

path = sys.argv[1]
if os.path.isdir(path):
    path = os.path.join(path, "dgm_eval", "metrics", "prdc.py")
spec = importlib.util.spec_from_file_location("prdc", path)
prdc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prdc)

rng = np.random.default_rng(6)
n, d = 10000, 1024
real = rng.normal(size=(n, d))
fake = rng.normal(size=(n, d)) + 0.1
t = time.time()
scores = prdc.compute_prdc(real, fake, 3)
print(f"compute_prdc {n} x {n}, d={d}, k=3: {time.time() - t:.1f} s ({scores})")
