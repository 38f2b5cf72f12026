#!/usr/bin/env python3
"""The CIFAR-10 milestone's own network and recipe (Checkpoints/04-cifar10), written in PyTorch (CPU):
the same layers, initialisation, augmentation, loss, optimizer and schedule, so that the Swift
milestone's time per training step can be compared with PyTorch's on the SAME network (and its time
to 75% with ../shared/peers/cifar_cnn.py, the airbench peer, the best known CPU recipe).

usage: cifar_ours.py --data DIR [--epochs 2] [--seed 0] [--threads N] [--nchw]
       cifar_ours.py --steps-only N [--nchw] [--threads N]     (no data needed)
       cifar_ours.py --data DIR --load MODEL.safetensors        (test a model the milestone saved)
DIR holds the CIFAR-10 binary files (data_batch_1.bin … data_batch_5.bin, test_batch.bin), e.g. as
written by shared/data/cifar10/to_binary.py or fetched by `tutor data fetch cifar10`.

Network (only what the course's framework has), float32, channels-last (PyTorch's fastest layout on
a CPU) or NCHW (the course's) with --nchw:
    conv3x3(3→32)   → maxpool 2 → BatchNorm → ReLU → conv3x3(32→32)   → BatchNorm → ReLU   32² → 16²
    conv3x3(32→64)  → maxpool 2 → BatchNorm → ReLU → conv3x3(64→64)   → BatchNorm → ReLU   16² →  8²
    conv3x3(64→128) → maxpool 2 → BatchNorm → ReLU → conv3x3(128→128) → BatchNorm → ReLU    8² →  4²
    maxpool 4 → flatten → linear(128→10); the loss sees the logits × 1/8
Convolutions padding 1 without bias, He normal (lesson 09); the linear layer Xavier uniform with zero
bias (lesson 03). Recipe: pixels 0…1, normalised per channel by the training set's mean and std;
every training image shifted by up to 2 pixels (a random crop of the image padded with 2 zeros) and
flipped left-right with probability 1/2, batch by batch; batch 128; SGD with Nesterov momentum 0.9,
weight decay 5e-4 on the conv and linear weights (none on BatchNorm and biases); cross-entropy (the
batch's mean); learning rate per step rising linearly to 0.2 over the first 20% of the steps, then
falling linearly to 0 at the last; tested on each test image and its mirror image (the sum of the
two logits: "with mirror images"), single images also reported.

Progress goes to stderr; stdout gets one JSON line:
  {"peer":"pytorch-…-ours", "epochs":…, "seconds_to_target":…, "test_accuracy":…, "ms_per_step":…, …}
seconds_to_target counts training time only (augmentation included, evaluation not) up to the first
evaluation (after every epoch) whose test accuracy reaches --target, null if none does; ms_per_step
is the median time of one training step at --batch-size (batch assembly + forward + backward +
update). --steps-only N times N steps on random data and prints ms_per_step and
processor_ms_per_step (processor time of all threads: on a busy machine the steadier figure, but
PyTorch's waiting threads spin, which counts too).
Without torch it prints {"peer":"pytorch-ours","skipped":"torch not installed"} and exits 0.
"""
import argparse, json, math, os, statistics, sys, time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    torch = None

RECORD = 1 + 3 * 32 * 32


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def load_bin(paths):
    chunks = []
    for p in paths:
        if not os.path.isfile(p):
            sys.exit(f"cifar_ours.py: {p} not found (make the binary files with shared/data/cifar10/to_binary.py)")
        with open(p, "rb") as f:
            chunks.append(f.read())
        if len(chunks[-1]) == 0 or len(chunks[-1]) % RECORD:
            sys.exit(f"cifar_ours.py: {p}: {len(chunks[-1])} bytes is not a whole number of {RECORD}-byte records")
    t = torch.frombuffer(bytearray(b"".join(chunks)), dtype=torch.uint8).view(-1, RECORD)
    labels = t[:, 0].long()
    if int(labels.max()) > 9:
        sys.exit("cifar_ours.py: label byte above 9")
    return t[:, 1:].reshape(-1, 3, 32, 32).float() / 255, labels


def make_net(widths, act):
    activation = {"relu": nn.ReLU, "gelu": nn.GELU}[act]
    layers, cin = [], 3
    for w in widths:
        layers += [nn.Conv2d(cin, w, 3, padding=1, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(w), activation(),
                   nn.Conv2d(w, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), activation()]
        cin = w
    layers += [nn.MaxPool2d(4), nn.Flatten(), nn.Linear(cin, 10)]
    # The course's initialisation: lesson 09's Conv2d is He normal (std √(2 / (C·K·K))), lesson 03's
    # Linear Xavier uniform with zero biases; BatchNorm starts at scale 1, shift 0 (both as PyTorch).
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        elif isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def shift_and_flip(images, pad, gen):
    """Each image shifted by up to `pad` pixels (a random crop of the zero-padded image) and flipped
    left-right with probability 1/2: lesson 09's randomCrop(padding:) and randomHorizontalFlip, on
    one batch (as the Swift milestone does it)."""
    n = len(images)
    out = images
    if pad:
        padded = F.pad(images, (pad, pad, pad, pad))
        shifts = torch.randint(0, 2 * pad + 1, (n, 2), generator=gen)
        size = images.shape[-1]
        rows = (shifts[:, 0:1] + torch.arange(size))[:, None, :, None]      # [n, 1, 32, 1]
        columns = (shifts[:, 1:2] + torch.arange(size))[:, None, None, :]   # [n, 1, 1, 32]
        out = padded[torch.arange(n)[:, None, None, None], torch.arange(3)[None, :, None, None], rows, columns]
    flip = torch.rand(n, generator=gen) < 0.5
    out[flip] = out[flip].flip(3)
    return out


def evaluate(net, x, y, layout, batch=500):
    """Test accuracy, and with test-time augmentation (the mean of the logits of each image and its
    mirror image)."""
    net.eval()
    correct, correct_tta = 0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            images = x[i:i + batch]
            logits = net(images.contiguous(memory_format=layout))
            both = logits + net(images.flip(3).contiguous(memory_format=layout))
            correct += int((logits.argmax(1) == y[i:i + batch]).sum())
            correct_tta += int((both.argmax(1) == y[i:i + batch]).sum())
    net.train()
    return correct / len(x), correct_tta / len(x)


def test_saved_model(net, path, data, layout, subset=0):
    """Loads the weights the Swift milestone saved into this network and tests them: the file's
    names are PyTorch's (the same Sequential indices), its convolution weights the same [O, C, K, K];
    the course's Linear stores its weight [in, out], PyTorch's [out, in]. Prints one JSON line."""
    from safetensors.torch import load_file
    from safetensors import safe_open
    tensors = load_file(path)
    with safe_open(path, "pt") as f:
        meta = f.metadata()
    state = net.state_dict()
    for name, value in tensors.items():
        if name.endswith("weight") and value.dim() == 2:
            value = value.t()
        state[name].copy_(value.reshape(state[name].shape))
    missing = [k for k in state if k not in tensors and not k.endswith("num_batches_tracked")]
    xte, yte = load_bin([os.path.join(data, "test_batch.bin")])
    if subset:
        xte, yte = xte[:subset], yte[:subset]
    mean = torch.tensor([float(v) for v in meta["channel_mean"].split(",")]).view(1, 3, 1, 1)
    std = torch.tensor([float(v) for v in meta["channel_std"].split(",")]).view(1, 3, 1, 1)
    plain, mirrored = evaluate(net, (xte - mean) / std, yte, layout)
    print(json.dumps({"model": path, "missing": missing, "swift_test_accuracy": float(meta["test_accuracy"]),
                      "pytorch_test_accuracy": plain, "pytorch_test_accuracy_with_mirror_images": mirrored}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="folder with data_batch_1.bin … data_batch_5.bin, test_batch.bin")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--target", type=float, default=0.75)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--widths", default="32,64,128")
    ap.add_argument("--act", default="relu", choices=["relu", "gelu"])
    ap.add_argument("--lr", type=float, default=0.2, help="peak learning rate")
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--wd", type=float, default=5e-4, help="weight decay")
    ap.add_argument("--warmup", type=float, default=0.2, help="share of the steps the learning rate rises")
    ap.add_argument("--label-smoothing", type=float, default=0.0)
    ap.add_argument("--single", action="store_true", help="report the accuracy on single images, not with mirror images")
    ap.add_argument("--logit-scale", type=float, default=0.125)
    ap.add_argument("--pad", type=int, default=2, help="random shift in pixels (0: no crop augmentation)")
    ap.add_argument("--train-subset", type=int, default=0)
    ap.add_argument("--test-subset", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--nchw", action="store_true", help="NCHW layout (the Swift framework's) instead of channels-last")
    ap.add_argument("--steps-only", type=int, default=0, help="time this many steps on random data, print ms_per_step")
    ap.add_argument("--load", help="test a model the Swift milestone saved (.tutor/models/cifar10-cnn.safetensors) "
                                   "in this PyTorch network instead of training one")
    a = ap.parse_args()
    name = "pytorch-ours" if torch is None else "pytorch-" + torch.__version__ + "-ours"
    if torch is None:
        print(json.dumps({"peer": "pytorch-ours", "skipped": "torch not installed"})); return
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    layout = torch.contiguous_format if a.nchw else torch.channels_last
    widths = [int(w) for w in a.widths.split(",")]
    net = make_net(widths, a.act).to(memory_format=layout)
    n_params = sum(p.numel() for p in net.parameters())
    B = a.batch_size
    decay = [p for p in net.parameters() if p.dim() > 1]
    no_decay = [p for p in net.parameters() if p.dim() <= 1]
    opt = torch.optim.SGD([dict(params=decay, weight_decay=a.wd), dict(params=no_decay, weight_decay=0)],
                          lr=a.lr, momentum=a.momentum, nesterov=True)

    def step_on(x, y):
        loss = F.cross_entropy(net(x) * a.logit_scale, y, label_smoothing=a.label_smoothing)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    if a.steps_only:
        x = torch.randn(B, 3, 32, 32).contiguous(memory_format=layout)
        y = torch.randint(0, 10, (B,), generator=gen)
        times, cpu = [], []
        for i in range(a.steps_only + 3):
            t0, c0 = time.perf_counter(), time.process_time()
            step_on(x, y)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(json.dumps({"peer": name, "threads": torch.get_num_threads(), "batch_size": B, "widths": widths,
                          "layout": "nchw" if a.nchw else "channels_last",
                          "ms_per_step": round(statistics.median(times[3:]) * 1e3, 1),
                          "processor_ms_per_step": round(statistics.median(cpu[3:]) * 1e3, 1)}), flush=True)
        return

    if not a.data:
        sys.exit("cifar_ours.py: --data DIR is needed (or --steps-only N)")
    if a.load:
        test_saved_model(net, a.load, a.data, layout, a.test_subset); return
    wall0 = time.perf_counter()
    xtr, ytr = load_bin([os.path.join(a.data, f"data_batch_{i}.bin") for i in range(1, 6)])
    xte, yte = load_bin([os.path.join(a.data, "test_batch.bin")])
    if a.train_subset:
        xtr, ytr = xtr[:a.train_subset], ytr[:a.train_subset]
    if a.test_subset:
        xte, yte = xte[:a.test_subset], yte[:a.test_subset]
    mean, std = xtr.mean((0, 2, 3), keepdim=True), xtr.std((0, 2, 3), keepdim=True)
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    log(f"{len(xtr)} train / {len(xte)} test images, {torch.get_num_threads()} threads, "
        f"{n_params} parameters, widths {widths}, batch {B}")

    steps_per_epoch = len(xtr) // B
    total_steps = a.epochs * steps_per_epoch
    up = max(1, int(a.warmup * total_steps))

    def lr_at(step):                               # 0 → peak over `up` steps, then → 0 at the end
        if step < up:
            return a.lr * (step + 1) / up
        return a.lr * max(0.0, (total_steps - step) / (total_steps - up))

    step, train_seconds, step_times, evals, reached = 0, 0.0, [], [], None
    for epoch in range(1, a.epochs + 1):
        t_epoch = time.perf_counter()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(steps_per_epoch):
            t0 = time.perf_counter()
            idx = perm[i * B:(i + 1) * B]
            x = shift_and_flip(xtr[idx], a.pad, gen).contiguous(memory_format=layout)
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            loss = step_on(x, ytr[idx])
            step += 1
            step_times.append(time.perf_counter() - t0)
        train_seconds += time.perf_counter() - t_epoch
        plain, mirrored = evaluate(net, xte, yte, layout)
        acc = plain if a.single else mirrored
        evals.append([epoch, round(acc, 4)])
        if reached is None and acc >= a.target:
            reached = train_seconds
        log(f"epoch {epoch}: test accuracy {plain:.4f} (with mirror images {mirrored:.4f}), loss {loss.item():.3f}, "
            f"{statistics.median(step_times) * 1e3:.1f} ms/step (mean {statistics.mean(step_times) * 1e3:.1f}), train {train_seconds:.1f} s, "
            f"wall {time.perf_counter() - wall0:.1f} s")
    print(json.dumps({"peer": name, "threads": torch.get_num_threads(),
                      "layout": "nchw" if a.nchw else "channels_last",
                      "epochs": a.epochs, "batch_size": B, "widths": widths, "n_params": n_params,
                      "seed": a.seed, "ms_per_step": round(statistics.median(step_times) * 1e3, 1),
                      "target": a.target, "seconds_to_target": None if reached is None else round(reached, 1),
                      "test_accuracy": evals[-1][1], "test_accuracy_single_images": round(plain, 4), "evals": evals,
                      "train_seconds": round(train_seconds, 1),
                      "wall_seconds": round(time.perf_counter() - wall0, 1)}), flush=True)


if __name__ == "__main__":
    main()
