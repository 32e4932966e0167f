"""Times one TEMI training epoch in the official reference implementation, for BENCHMARKS.md.

Usage (a checkout of HHU-MMBS/TEMI-official-BMVC2023 and a Python with torch, numpy, scipy,
scikit-learn and Pillow; no GPU needed):

    python3 bench/temi_reference_epoch.py /path/to/TEMI-official-BMVC2023 [N D C H BATCH]

It builds the reference heads (model_builders/multi_head.py, 2-layer DINOHead as in TEMI's CIFAR
run) and the reference loss (losses.TEMI, beta 0.6), then runs the steps of one epoch of
train_main.py's loop for precomputed embeddings: AdamW on the student, loss over both views,
teacher EMA. Features and neighbours are random; only the time is of interest. Defaults:
N = 50000, D = 768, C = 100, H = 16, batch 1024, m = 50, on CPU. TORCH_THREADS sets torch's
intra-op threads (default: as many as the machine has cores, as cedm's DJL engine uses).
"""
import importlib.util
import os
import sys
import time

import numpy as np
import torch

repo = sys.argv[1]
n, d, c, h, batch = (int(a) for a in (sys.argv[2:7] if len(sys.argv) >= 7 else (50000, 768, 100, 16, 1024)))
sys.path.insert(0, repo)
spec = importlib.util.spec_from_file_location("multi_head", repo + "/model_builders/multi_head.py")
multi_head = importlib.util.module_from_spec(spec)
spec.loader.exec_module(multi_head)
import losses  # noqa: E402  (the reference repo's package)
import utils  # noqa: E402

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", os.cpu_count())))
torch.manual_seed(0)
head_args = dict(in_dim=d, out_dim=c, use_bn=False, final_gelu=False, dropout_p=0.0, nlayers=2, hidden_dim=512,
                 norm_last_layer=False, bottleneck_dim=256)
student = multi_head.MultiHead(head_args, num_heads=h)
teacher = multi_head.MultiHead(head_args, num_heads=h)
teacher.load_state_dict(student.state_dict())
for p in teacher.parameters():
    p.requires_grad = False
loss_fn = losses.TEMI(out_dim=c, batchsize=batch, warmup_teacher_temp=0.1, teacher_temp=0.1,
                      warmup_teacher_temp_epochs=0, nepochs=1, num_heads=h, beta=0.6)
optimizer = torch.optim.AdamW(utils.get_params_groups(student))
features = torch.randn(n, d)
neighbours = torch.randint(0, n, (n, 50))
steps = n // batch
order = torch.randperm(n)
start = time.time()
for it in range(steps):
    for group in optimizer.param_groups:
        group["lr"] = 1e-4 * batch / 256
    idx = order[it * batch:(it + 1) * batch]
    pair = neighbours[idx, torch.randint(0, 50, (batch,))]
    views = torch.cat([features[idx], features[pair]])
    student_out = student(views)
    with torch.no_grad():
        teacher_out = teacher(views)
    loss = loss_fn(student_out, teacher_out, epoch=0).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        for ps, pt in zip(student.parameters(), teacher.parameters()):
            pt.data.mul_(0.996).add_(0.004 * ps.detach().data)
elapsed = time.time() - start
print(f"reference TEMI epoch: N={n} D={d} C={c} H={h} batch={batch}: {steps} steps, {elapsed:.1f} s "
      f"({elapsed / steps:.3f} s/step), torch {torch.__version__}, {torch.get_num_threads()} threads")
