"""The PyTorch reference's EDM training step and sampler, timed on this machine, for BENCHMARKS.md.

Run with a checkout of NVlabs/edm (not part of cedm), Debian's python3-torch:
    /usr/bin/python3 bench/edm_reference_step.py /path/to/edm [tiny|ddpmpp-cifar] [steps] [batch] [batch_gpu] [train-only]

One step is what edm:training/training_loop.py does per iteration on one device: EDMLoss with
AugmentPipe (p=0.12, EDM's CIFAR transforms), in batch / batch_gpu accumulation rounds each
backward of loss.sum() * (1 / batch), nan_to_num on the gradients, Adam, and the EMA update.
Default: batch 64 (one round) of random 32x32 images with 10 labels. Prints the process's peak
resident memory after the training steps (Adam allocates its state in the first step, so the
peak comes from step 2 on). "train-only" skips the sampling timing.
"""
import resource
import copy
import sys
import time

import torch

sys.path.insert(0, sys.argv[1])
from training.networks import EDMPrecond  # noqa: E402
from training.loss import EDMLoss  # noqa: E402
from training.augment import AugmentPipe  # noqa: E402

preset = sys.argv[2] if len(sys.argv) > 2 else "ddpmpp-cifar"
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
batch_gpu = int(sys.argv[5]) if len(sys.argv) > 5 else batch
train_only = len(sys.argv) > 6 and sys.argv[6] == "train-only"
torch.set_num_threads(2)
arch = dict(model_channels=128, channel_mult=[2, 2, 2], num_blocks=4, attn_resolutions=[16], dropout=0.13) \
    if preset == "ddpmpp-cifar" else \
    dict(model_channels=16, channel_mult=[1, 2], num_blocks=1, attn_resolutions=[16], dropout=0.13)
net = EDMPrecond(img_resolution=32, img_channels=3, label_dim=10, model_type="SongUNet", augment_dim=9,
                 embedding_type="positional", encoder_type="standard", decoder_type="standard",
                 channel_mult_noise=1, resample_filter=[1, 1], **arch).train()
ema = copy.deepcopy(net).eval().requires_grad_(False)
loss_fn = EDMLoss()
pipe = AugmentPipe(p=0.12, xflip=1e8, yflip=1, scale=1, rotate_frac=1, aniso=1, translate_frac=1)
opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=[0.9, 0.999], eps=1e-8)
images = torch.rand(batch, 3, 32, 32) * 2 - 1
labels = torch.nn.functional.one_hot(torch.arange(batch) % 10, 10).float()
print("parameters", sum(p.numel() for p in net.parameters()))
times = []
for step in range(steps + 1):
    t = time.time()
    opt.zero_grad(set_to_none=True)
    for start in range(0, batch, batch_gpu):
        loss = loss_fn(net=net, images=images[start:start + batch_gpu], labels=labels[start:start + batch_gpu],
                       augment_pipe=pipe)
        loss.sum().mul(1 / batch).backward()
        del loss
    for p in net.parameters():
        if p.grad is not None:
            torch.nan_to_num(p.grad, nan=0, posinf=1e5, neginf=-1e5, out=p.grad)
    opt.step()
    with torch.no_grad():
        for p_ema, p_net in zip(ema.parameters(), net.parameters()):
            p_ema.copy_(p_net.detach().lerp(p_ema, 0.999))
    times.append(time.time() - t)
timed = sorted(times[1:])
median = timed[len(timed) // 2]
print(f"reference EDM training {preset} 32px batch {batch} (rounds of {batch_gpu}): {median:.2f} s/step, "
      f"{batch / median:.1f} images/s")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"reference EDM training {preset} 32px batch {batch} (rounds of {batch_gpu}): peak memory {peak / 1e9:.2f} GB")
if train_only:
    sys.exit(0)



def heun(model, latents, class_labels, num_steps):
    """EDM's deterministic sampler (S_churn = 0), written from the paper's Algorithm 1; generate.py
    itself needs click and tqdm, which Debian's Python here lacks."""
    i = torch.arange(num_steps, dtype=torch.float64)
    t = (80 ** (1 / 7) + i / (num_steps - 1) * (0.002 ** (1 / 7) - 80 ** (1 / 7))) ** 7
    t = torch.cat([t, torch.zeros_like(t[:1])])
    x = latents.to(torch.float64) * t[0]
    for k in range(num_steps):
        d = (x - model(x, t[k], class_labels).to(torch.float64)) / t[k]
        x_next = x + (t[k + 1] - t[k]) * d
        if k < num_steps - 1:
            d2 = (x_next - model(x_next, t[k + 1], class_labels).to(torch.float64)) / t[k + 1]
            x_next = x + (t[k + 1] - t[k]) * (0.5 * d + 0.5 * d2)
        x = x_next
    return x


sample_batch = 64 if preset == "tiny" else 16
with torch.no_grad():
    latents = torch.randn(sample_batch, 3, 32, 32)
    class_labels = labels[:sample_batch]
    heun(ema, latents[:1], class_labels[:1], 18)
    t = time.time()
    heun(ema, latents, class_labels, 18)
    seconds = time.time() - t
print(f"reference EDM sampling {preset} 32px, 18 Heun steps, batch {sample_batch}: {sample_batch / seconds:.2f} images/s")
