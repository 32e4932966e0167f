"""Times the reference kNN mining (TEMI-official-BMVC2023, gen_embeds.compute_neighbors), for BENCHMARKS.md.

Usage (a checkout of HHU-MMBS/TEMI-official-BMVC2023 and a Python with torch; no GPU needed):

    python3 bench/knn_reference.py /path/to/TEMI-official-BMVC2023 [N D M]

It takes compute_neighbors from the checkout's gen_embeds.py as it is (the module's other imports
need a GPU stack, so only that function is compiled) and runs it on N random features of D
dimensions for M neighbours: L2 normalisation, one N x N similarity product, the diagonal set to
-inf, top-M. Defaults N = 50000, D = 768, M = 50, as `cedm bench --only knn`. TORCH_THREADS sets
torch's intra-op threads (default: as many as the machine has cores, as cedm's DJL engine uses).
"""
import ast
import os
import sys
import time

import torch

repo = sys.argv[1]
n, d, m = (int(a) for a in (sys.argv[2:5] if len(sys.argv) >= 5 else (50000, 768, 50)))
torch.set_num_threads(int(os.environ.get("TORCH_THREADS", os.cpu_count())))
with open(os.path.join(repo, "gen_embeds.py")) as f:
    tree = ast.parse(f.read())
function = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "compute_neighbors")
namespace = {"torch": torch, "tqdm": lambda items: items}
exec(compile(ast.Module(body=[function], type_ignores=[]), "gen_embeds.py", "exec"), namespace)
compute_neighbors = namespace["compute_neighbors"]

features = torch.randn(n, d, generator=torch.Generator().manual_seed(0))
a = torch.randn(4096, d)
b = torch.randn(d, 4096)
a @ b
start = time.perf_counter()
for _ in range(3):
    a @ b
gemm = 3 * 2 * 4096 * 4096 * d / (time.perf_counter() - start) / 1e9
start = time.perf_counter()
dists, ids = compute_neighbors(features, m)
seconds = time.perf_counter() - start
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: float32 matmul 4096x{d} @ {d}x4096 "
      f"{gemm:.1f} GFLOP/s; reference kNN N={n} D={d} m={m}: {seconds:.2f} s")
