#!/usr/bin/python3
"""PyTorch reference for tests/bench.c (run it with Debian's /usr/bin/python3, torch 1.13).

    /usr/bin/python3 tests/bench_torch.py                  a table
    /usr/bin/python3 tests/bench_torch.py --tsv            lines that `bench` reads
    /usr/bin/python3 tests/bench_torch.py --default-malloc glibc's malloc as it comes
    (--quick: fewer repetitions)

Same workloads as bench.c, one thread, float64, best of several repetitions after a
warm-up, time.perf_counter (CLOCK_MONOTONIC on Linux):

  optim  torch.optim.SGD(momentum=0.9) and torch.optim.Adam (defaults: foreach left
         unset) stepping one float64 parameter tensor of n elements with a fixed
         gradient: ns per parameter per step.
  traj   10^4 independent 2-D Rosenbrock (a=1, b=100) trajectories held in one (10^4, 2)
         tensor, 10^3 Adam steps (lr 1e-3, betas (0.9, 0.999), eps 1e-8): the analytic
         gradient and torch.optim.Adam's single-tensor update written in in-place torch
         ops. Trajectory-steps per second, and the mean loss at the end (a check that
         bench.c computed the same thing).

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


def best_time(fn, reps):
    fn()  # warm-up
    best = math.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


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

    t = best_time(run, 2 if quick else 3)
    return m * steps / t, out["loss"]


def main():
    tsv = "--tsv" in sys.argv
    quick = "--quick" in sys.argv
    if not tsv:
        print("torch %s, %d thread, float64, %s" % (
            torch.__version__, torch.get_num_threads(),
            "glibc malloc defaults" if "--default-malloc" in sys.argv
            else "malloc keeps freed memory"))
    for name in ("sgd:momentum=0.9", "adam"):
        for n in (10**3, 10**5, 10**7):
            ns = bench_optim(name, n, quick)
            if tsv:
                print("optim\t%s\t%d\t%.6g" % (name, n, ns), flush=True)
            else:
                print("%-18s n=%-9d %8.3f ns/param/step" % (name, n, ns), flush=True)
    rate, loss = bench_traj(10**4, 10**3, quick)
    if tsv:
        print("traj\t%d\t%d\t%.6g\t%.17g" % (10**4, 10**3, rate, loss), flush=True)
    else:
        print("rosenbrock 1e4 x 1e3 adam: %.4g trajectory-steps/s, final mean loss %.17g"
              % (rate, loss))


if __name__ == "__main__":
    main()
