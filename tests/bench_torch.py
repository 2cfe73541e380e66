#!/usr/bin/python3
"""PyTorch reference for tests/bench.c (run it with Debian's /usr/bin/python3, torch 1.13).

    /usr/bin/python3 tests/bench_torch.py                  a table
    /usr/bin/python3 tests/bench_torch.py --tsv            lines that `bench` reads
    /usr/bin/python3 tests/bench_torch.py --default-malloc glibc's malloc as it comes
    (--quick: fewer repetitions; --train-only: only the networks)

Same workloads as bench.c, one thread, float64, best of several repetitions after a
warm-up, time.perf_counter (CLOCK_MONOTONIC on Linux):

  optim  torch.optim.SGD(momentum=0.9) and torch.optim.Adam (defaults: foreach left
         unset) stepping one float64 parameter tensor of n elements with a fixed
         gradient: ns per parameter per step.
  traj   10^4 independent 2-D Rosenbrock (a=1, b=100) trajectories held in one (10^4, 2)
         tensor, 10^3 Adam steps (lr 1e-3, betas (0.9, 0.999), eps 1e-8): the analytic
         gradient and torch.optim.Adam's single-tensor update written in in-place torch
         ops. Trajectory-steps per second (wall, and per CPU second of the process), and
         the mean loss at the end (a check that bench.c computed the same thing).
  train  a plain training loop, per epoch: a fresh torch.randperm(N) cut into index
         batches of B, X[idx] and y[idx], optimizer.zero_grad(), loss(model(xb), yb),
         loss.backward(), optimizer.step() (torch.optim.Adam, lr 1e-3) on
         nn.Sequential(Linear, act, ..., Linear) in float64; no DataLoader. Like bench.c's
         lsc_run, the full-data loss and its gradient once before and once after the
         epochs. CPU seconds per epoch (the whole loop / epochs; time.process_time, and the
         wall time too), and the final full-data loss.
           tiny    2-8-8-1, tanh, BCEWithLogitsLoss, N = 1000, B = 32, 50 epochs
           medium  64-256-256-10, relu, CrossEntropyLoss, N = 10^4, B = 128, 5 epochs
         With --train-dir DIR (bench.c passes it) the data and the start come from
         DIR/NAME.tsv and DIR/NAME.x0, written by losscape (its data set and the weights
         of its start 0, laid out as model.parameters()); without it, random data of the
         same shapes and PyTorch's own initialisation (in a table; --tsv without
         --train-dir skips the networks).

Threads: torch.set_num_threads(1), and OPENBLAS_NUM_THREADS=1 set before torch loads:
Debian's torch does its float64 matrix products in the system's (OpenBLAS) BLAS, whose
own thread pool torch.set_num_threads does not reach.

Memory allocator. torch.optim.Adam allocates two temporaries of n doubles per step
(sqrt(v) and the denominator). With glibc's default tuning, blocks that large are mmap'ed
and returned to the kernel on free (or the heap top is trimmed), so every step pays page
faults on fresh pages: Adam at n = 10^7 costs ~8.5 ns/param/step instead of ~3, and at
n = 10^5 it flips between ~1.7 and ~7 from one process to the next depending on the heap
layout. By default this script re-executes itself with MALLOC_MMAP_THRESHOLD_ and
MALLOC_TRIM_THRESHOLD_ set high, so freed memory stays in the heap: the steady state of a
long training process, and reproducible. --default-malloc measures glibc as it comes.
"""
import math
import os
import sys
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read when torch loads libopenblas (below)
KEEP = {"MALLOC_MMAP_THRESHOLD_": "1000000000", "MALLOC_TRIM_THRESHOLD_": "1000000000"}
if "--default-malloc" not in sys.argv and any(os.environ.get(k) != v for k, v in KEEP.items()):
    # glibc reads these at start-up: run again with them set (before torch is imported)
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **KEEP})

import torch  # noqa: E402

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

LR = 1e-3


def grad_value(n):
    # the fixed gradient of bench.c: g_i = 1e-3 (1 + (i mod 7))
    return 1e-3 * (1.0 + (torch.arange(n, dtype=torch.float64) % 7))


def best_time(fn, reps, clock=time.perf_counter):
    fn()  # warm-up
    best = math.inf
    for _ in range(reps):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def best_cpu_and_wall(fn, reps):
    # the best CPU time of the process (time.process_time: on a shared machine wall time
    # counts other jobs' slices too) and, separately, the best wall time
    fn()  # warm-up
    cpu = wall = math.inf
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - t0)
    return cpu, wall


def bench_optim(name, n, quick):
    p = torch.zeros(n, requires_grad=True)
    p.grad = grad_value(n)
    if name == "sgd:momentum=0.9":
        opt = torch.optim.SGD([p], lr=LR, momentum=0.9)
    else:
        opt = torch.optim.Adam([p], lr=LR)
    # about 2e7 parameter updates per repetition, at least 3 steps
    steps = max(3, int(2e7 // n))
    reps = 3 if quick else 5
    if n >= 10**7:
        reps = 2 if quick else 3

    def run():
        for _ in range(steps):
            opt.step()

    t = best_time(run, reps)
    return 1e9 * t / (steps * n)


def start_points(m):
    # a 100 x 100 grid over [-2, 2] x [-1, 3], as bench.c (m = 10^4)
    k = int(round(math.sqrt(m)))
    i = torch.arange(m, dtype=torch.float64)
    X = torch.empty(m, 2)
    X[:, 0] = -2.0 + 4.0 * (i % k) / (k - 1)
    X[:, 1] = -1.0 + 4.0 * torch.div(i, k, rounding_mode="floor") / (k - 1)
    return X


def bench_traj(m, steps, quick):
    a, b = 1.0, 100.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    out = {}

    def run():
        X = start_points(m)
        M = torch.zeros(m, 2)
        V = torch.zeros(m, 2)
        G = torch.empty(m, 2)
        x, y = X[:, 0], X[:, 1]
        gx, gy = G[:, 0], G[:, 1]
        for t in range(1, steps + 1):
            # f = b (y - x^2)^2 + (a - x)^2 ; df/dx = -4 b x (y - x^2) - 2 (a - x) ;
            # df/dy = 2 b (y - x^2)
            r = torch.addcmul(y, x, x, value=-1.0)  # y - x^2
            torch.mul(r, 2.0 * b, out=gy)
            torch.mul(x, r, out=gx)
            gx.mul_(-4.0 * b).add_(x, alpha=2.0).sub_(2.0 * a)
            # torch.optim.Adam, single tensor: m <- b1 m + (1-b1) g ; v <- b2 v + (1-b2) g^2
            # x <- x - lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)
            M.mul_(beta1).add_(G, alpha=1.0 - beta1)
            V.mul_(beta2).addcmul_(G, G, value=1.0 - beta2)
            bc1 = 1.0 - beta1 ** t
            bc2 = 1.0 - beta2 ** t
            denom = (V.sqrt() / math.sqrt(bc2)).add_(eps)
            X.addcdiv_(M, denom, value=-LR / bc1)
        r = y - x * x
        out["loss"] = float((b * r * r + (a - x) ** 2).mean())

    cpu, wall = best_cpu_and_wall(run, 2 if quick else 3)
    return m * steps / wall, out["loss"], m * steps / cpu


# name: (sizes, activation, loss, N, B, epochs, reps)
NETS = {
    "tiny": ((2, 8, 8, 1), torch.nn.Tanh, "bce", 1000, 32, 50, 7),
    "medium": ((64, 256, 256, 10), torch.nn.ReLU, "ce", 10**4, 128, 5, 3),
}


def train_problem(name, train_dir):
    sizes, act, loss, n, _, _, _ = NETS[name]
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            layers.append(act())
    model = torch.nn.Sequential(*layers)
    if train_dir:
        table = []
        with open(os.path.join(train_dir, name + ".tsv")) as f:
            next(f)  # the header
            for line in f:
                table.append([float(v) for v in line.split()])
        data = torch.tensor(table)
        X, y = data[:, :-1].contiguous(), data[:, -1].contiguous()
        with open(os.path.join(train_dir, name + ".x0")) as f:
            x0 = torch.tensor([float(v) for v in f])
        torch.nn.utils.vector_to_parameters(x0, model.parameters())
    else:
        X = torch.randn(n, sizes[0])
        y = torch.randint(0, max(sizes[-1], 2), (n,)).double()
    if loss == "ce":
        return model, X, y.long(), torch.nn.CrossEntropyLoss()
    return model, X, y.unsqueeze(1), torch.nn.BCEWithLogitsLoss()


def bench_train(name, train_dir, quick):
    _, _, _, n, B, epochs, reps = NETS[name]
    model, X, y, lossf = train_problem(name, train_dir)
    start = [p.detach().clone() for p in model.parameters()]
    out = {}

    def full_pass():
        model.zero_grad()
        f = lossf(model(X), y)
        f.backward()
        return float(f)

    def run():
        with torch.no_grad():
            for p, p0 in zip(model.parameters(), start):
                p.copy_(p0)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        full_pass()
        for _ in range(epochs):
            perm = torch.randperm(n)
            for s in range(0, n, B):
                idx = perm[s:s + B]
                xb, yb = X[idx], y[idx]
                opt.zero_grad()
                f = lossf(model(xb), yb)
                f.backward()
                opt.step()
        out["loss"] = full_pass()

    cpu, wall = best_cpu_and_wall(run, 1 if quick else reps)
    return cpu / epochs, wall / epochs, out["loss"]


def main():
    tsv = "--tsv" in sys.argv
    quick = "--quick" in sys.argv
    if not tsv:
        print("torch %s, %d thread, float64, %s" % (
            torch.__version__, torch.get_num_threads(),
            "glibc malloc defaults" if "--default-malloc" in sys.argv
            else "malloc keeps freed memory"))
    train_only = "--train-only" in sys.argv
    for name in ("sgd:momentum=0.9", "adam") if not train_only else ():
        for n in (10**3, 10**5, 10**7):
            ns = bench_optim(name, n, quick)
            if tsv:
                print("optim\t%s\t%d\t%.6g" % (name, n, ns), flush=True)
            else:
                print("%-18s n=%-9d %8.3f ns/param/step" % (name, n, ns), flush=True)
    train_dir = None
    if "--train-dir" in sys.argv:
        train_dir = sys.argv[sys.argv.index("--train-dir") + 1]
    for name in NETS if train_dir or not tsv else ():
        cpu, wall, loss = bench_train(name, train_dir, quick)
        if tsv:
            print("train\t%s\t%.6g\t%.6g\t%.17g" % (name, cpu, wall, loss), flush=True)
        else:
            print("%-7s %.4g CPU s/epoch (wall %.4g), final loss %.6g" % (name, cpu, wall, loss),
                  flush=True)
    if train_only:
        return
    rate, loss, cpu_rate = bench_traj(10**4, 10**3, quick)
    if tsv:
        print("traj\t%d\t%d\t%.6g\t%.17g\t%.6g" % (10**4, 10**3, rate, loss, cpu_rate),
              flush=True)
    else:
        print("rosenbrock 1e4 x 1e3 adam: %.4g trajectory-steps/s (%.4g per CPU second), "
              "final mean loss %.17g" % (rate, cpu_rate, loss))


if __name__ == "__main__":
    main()
