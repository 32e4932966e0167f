"""GPU memory and speed of the PyTorch reference's EDM training step, for choosing training.batch_gpu.

Run on a CUDA machine with a checkout of NVlabs/edm (not part of cedm):
    python3 bench/edm_gpu_memory.py /path/to/edm [--configs ddpmpp-cifar,ddpmpp-ffhq64]
        [--batches 8,16,32,64,128,256] [--steps 5] [--cap-gib 38 --only CONFIG:BATCH[xROUNDS],...]

One step is what edm:training/training_loop.py does per iteration on one device, in float32 with
its backend flags (cudnn.benchmark on, TF32 off): the network wrapped in DistributedDataParallel
(a one-process NCCL group; plain module if that fails), per accumulation round EDMLoss with
AugmentPipe and loss.sum().mul(1/batch).backward() (no_sync on all but the last round), then
nan_to_num on the gradients, Adam, and the EMA lerp. Each (config, batch) runs in a fresh process.
Reported: peak torch.cuda.max_memory_allocated / max_memory_reserved over the first two steps
(cudnn autotuning, Adam state creation) and, after empty_cache and reset_peak_memory_stats, over
the timed steps; the device memory the process holds at the end (context, NCCL and cache included);
median s/step and images/s. A least-squares line peak = fixed + per_image * batch is fitted per
config. --cap-gib limits the caching allocator (set_per_process_memory_fraction) to check that a
batch fits a smaller card, e.g. 38 for a 40 GB A100.
"""
import json
import os
import subprocess
import sys
import time
import types

GIB = 1024 ** 3
CONFIGS = {
    "ddpmpp-cifar": dict(res=32, label_dim=100, p=0.12,
                         arch=dict(channel_mult=[2, 2, 2], dropout=0.13)),
    "ddpmpp-ffhq64": dict(res=64, label_dim=400, p=0.15,
                          arch=dict(channel_mult=[1, 2, 2, 2], dropout=0.05)),
}


def shim_edm_imports():
    """dnnlib/util.py imports requests and distutils (gone in Python 3.12); neither is used here."""
    try:
        import requests  # noqa: F401
    except ImportError:
        sys.modules["requests"] = types.ModuleType("requests")
    try:
        from distutils.util import strtobool  # noqa: F401
    except ImportError:
        distutils = types.ModuleType("distutils")
        util = types.ModuleType("distutils.util")
        util.strtobool = lambda v: {"y": 1, "yes": 1, "t": 1, "true": 1, "on": 1, "1": 1}.get(str(v).lower(), 0)
        distutils.util = util
        sys.modules["distutils"] = distutils
        sys.modules["distutils.util"] = util


def child(edm, config, batch, rounds, steps, cap_gib):
    """One measurement in this process; prints one JSON line starting with RESULT."""
    import copy
    import torch
    shim_edm_imports()
    sys.path.insert(0, edm)
    from training.networks import EDMPrecond
    from training.loss import EDMLoss
    from training.augment import AugmentPipe

    device = torch.device("cuda", 0)
    torch.cuda.set_device(device)
    total = torch.cuda.get_device_properties(device).total_memory
    if cap_gib:
        torch.cuda.set_per_process_memory_fraction(min(1.0, cap_gib * GIB / total), device)
    torch.manual_seed(0)
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = False

    c = CONFIGS[config]
    net = EDMPrecond(img_resolution=c["res"], img_channels=3, label_dim=c["label_dim"], use_fp16=False,
                     model_type="SongUNet", model_channels=128, num_blocks=4, attn_resolutions=[16],
                     augment_dim=9, embedding_type="positional", encoder_type="standard",
                     decoder_type="standard", channel_mult_noise=1, resample_filter=[1, 1], **c["arch"])
    net.train().requires_grad_(True).to(device)
    loss_fn = EDMLoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=10e-4, betas=[0.9, 0.999], eps=1e-8)
    pipe = AugmentPipe(p=c["p"], xflip=1e8, yflip=1, scale=1, rotate_frac=1, aniso=1, translate_frac=1)
    ddp = net
    try:
        import torch.distributed as dist
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", str(29500 + os.getpid() % 1000))
        dist.init_process_group("nccl", rank=0, world_size=1, device_id=device)
        ddp = torch.nn.parallel.DistributedDataParallel(net, device_ids=[device])
    except Exception as e:  # noqa: BLE001
        print(f"DDP unavailable ({type(e).__name__}: {e}); plain module", file=sys.stderr)
    ema = copy.deepcopy(net).eval().requires_grad_(False)

    per_round = batch // rounds
    images = torch.randint(0, 256, [per_round, 3, c["res"], c["res"]], device=device).to(torch.float32) / 127.5 - 1
    labels = torch.nn.functional.one_hot(torch.arange(per_round, device=device) % c["label_dim"],
                                         c["label_dim"]).to(torch.float32)
    cur_nimg = 0

    def step():
        nonlocal cur_nimg
        optimizer.zero_grad(set_to_none=True)
        for r in range(rounds):
            sync = (r == rounds - 1) or ddp is net
            with (torch.enable_grad() if sync else ddp.no_sync()):
                loss = loss_fn(net=ddp, images=images, labels=labels, augment_pipe=pipe)
                loss.sum().mul(1 / batch).backward()
        for g in optimizer.param_groups:
            g["lr"] = 10e-4 * min(cur_nimg / (10000 * 1000), 1)
        for param in net.parameters():
            if param.grad is not None:
                torch.nan_to_num(param.grad, nan=0, posinf=1e5, neginf=-1e5, out=param.grad)
        optimizer.step()
        ema_beta = 0.5 ** (batch / max(min(500 * 1000, cur_nimg * 0.05), 1e-8))
        for p_ema, p_net in zip(ema.parameters(), net.parameters()):
            p_ema.copy_(p_net.detach().lerp(p_ema, ema_beta))
        cur_nimg += batch

    out = dict(config=config, batch=batch, rounds=rounds, cap_gib=cap_gib, ddp=ddp is not net,
               params=sum(p.numel() for p in net.parameters()))
    try:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        for _ in range(2):
            step()
        torch.cuda.synchronize()
        out["alloc_first"] = torch.cuda.max_memory_allocated() / GIB
        out["reserved_first"] = torch.cuda.max_memory_reserved() / GIB
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        times = []
        for _ in range(steps):
            t = time.perf_counter()
            step()
            torch.cuda.synchronize()
            times.append(time.perf_counter() - t)
        out["alloc"] = torch.cuda.max_memory_allocated() / GIB
        out["reserved"] = torch.cuda.max_memory_reserved() / GIB
        free, total = torch.cuda.mem_get_info()
        out["device_used"] = (total - free) / GIB
        out["s_step"] = sorted(times)[len(times) // 2]
        out["img_s"] = batch / out["s_step"]
    except torch.OutOfMemoryError as e:
        out["oom"] = str(e).split("\n")[0][:200]
        out["alloc_first"] = torch.cuda.max_memory_allocated() / GIB
    print("RESULT " + json.dumps(out), flush=True)
    if ddp is not net:
        torch.distributed.destroy_process_group()


def run_one(edm, config, batch, rounds, steps, cap_gib):
    cmd = [sys.executable, os.path.abspath(__file__), edm, "--child", config, str(batch), str(rounds),
           str(steps), str(cap_gib or 0)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    return dict(config=config, batch=batch, rounds=rounds, cap_gib=cap_gib, oom="failed: " + " | ".join(tail))


def row(r):
    name = f"{r['batch']}" + (f" ({r['rounds']}x{r['batch'] // r['rounds']})" if r["rounds"] > 1 else "")
    if "oom" in r and "alloc" not in r:
        return f"{r['config']:<14} {name:>12}  OOM/failed: {r['oom']}"
    return (f"{r['config']:<14} {name:>12} {r['alloc']:9.2f} {r['reserved']:9.2f} {r['alloc_first']:9.2f} "
            f"{r['reserved_first']:9.2f} {r['device_used']:9.2f} {r['s_step']:8.3f} {r['img_s']:8.1f}")


def fit(points):
    n = len(points)
    mx = sum(b for b, _ in points) / n
    my = sum(m for _, m in points) / n
    slope = sum((b - mx) * (m - my) for b, m in points) / sum((b - mx) ** 2 for b, _ in points)
    return my - slope * mx, slope


def main():
    if "--child" in sys.argv:
        i = sys.argv.index("--child")
        config, batch, rounds, steps, cap = sys.argv[i + 1:i + 6]
        child(sys.argv[1], config, int(batch), int(rounds), int(steps), float(cap) or None)
        return
    edm = sys.argv[1]
    opts = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    configs = opts.get("--configs", ",".join(CONFIGS)).split(",")
    batches = [int(b) for b in opts.get("--batches", "8,16,32,64,128,256").split(",")]
    steps = int(opts.get("--steps", "5"))
    cap = float(opts["--cap-gib"]) if "--cap-gib" in opts else None
    import torch
    props = torch.cuda.get_device_properties(0)
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, "
          f"{props.name} {props.total_memory / GIB:.1f} GiB" + (f", allocator capped at {cap} GiB" if cap else ""))
    jobs = []
    if "--only" in opts:
        for item in opts["--only"].split(","):
            config, spec = item.split(":")
            b, _, rounds = spec.partition("x")
            jobs.append((config, int(b), int(rounds or 1)))
    else:
        jobs = [(c, b, 1) for c in configs for b in batches]
        if "ddpmpp-cifar" in configs:
            jobs.append(("ddpmpp-cifar", 256, 16))
    print(f"{'config':<14} {'batch':>12} {'alloc':>9} {'reserved':>9} {'alloc1st':>9} {'rsrvd1st':>9} "
          f"{'dev_used':>9} {'s/step':>8} {'img/s':>8}   (GiB; 1st = first two steps incl. cudnn autotune)")
    results = []
    for config, batch, rounds in jobs:
        r = run_one(edm, config, batch, rounds, steps, cap)
        results.append(r)
        print(row(r), flush=True)
    params = {r["config"]: r["params"] for r in results if "params" in r}
    print("parameters: " + ", ".join(f"{c} {n:,}" for c, n in params.items()))
    print("DDP wrapper (one-process NCCL): " + str(sorted({r.get("ddp") for r in results if "ddp" in r})))
    for config in dict.fromkeys(r["config"] for r in results):
        ran = [r for r in results if r["config"] == config and r["rounds"] == 1 and "alloc" in r]
        if len(ran) >= 2:
            for key in ("alloc", "reserved", "device_used"):
                fixed, per = fit([(r["batch"], r[key]) for r in ran])
                print(f"fit {config} {key:<11}: {fixed:.3f} GiB + {per * 1024:.2f} MiB/image "
                      f"(batches {','.join(str(r['batch']) for r in ran)})")


if __name__ == "__main__":
    main()
