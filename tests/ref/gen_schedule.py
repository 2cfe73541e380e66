#!/usr/bin/python3
"""Reference learning rates for tests/test_schedule.c, taken from torch.optim.lr_scheduler.

Run with Debian's python3-torch (1.13):   /usr/bin/python3 tests/ref/gen_schedule.py
It rewrites tests/data/schedule_<name>.tsv (one file per losscape schedule, plus
schedule_sequential.tsv for "warmup+X").

Every number is what PyTorch really produces in its normal loop

    for e in range(N):
        lr[e] = opt.param_groups[0]['lr']     # the lr update e uses
        opt.step()
        sched.step()          # ReduceLROnPlateau: sched.step(loss[e])

i.e. PyTorch's recursive forms, not its closed forms. File format (tab separated):

    # comments
    case <TAB> losscape spec <TAB> base lr
    e <TAB> lr [<TAB> loss fed to the plateau schedule after update e]
"""
import math
import os
import random
import sys
import warnings

import torch
from torch.optim import lr_scheduler as L

warnings.simplefilter("ignore")  # SequentialLR's step(0) raises a deprecation warning
torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data")


def optimizer(base):
    p = torch.zeros(1, requires_grad=True)
    return torch.optim.SGD([p], lr=base)


def run(make, base, n, losses=None):
    opt = optimizer(base)
    sched = make(opt)
    out = []
    for e in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if e == n - 1:
            break  # OneCycleLR raises when asked for update total_steps + 1
        if losses is None:
            sched.step()
        else:
            sched.step(losses[e])
    return out


def seq(first, then, milestones):
    """SequentialLR of LinearLR warm-ups then `then` (all built on the same optimizer)."""

    def make(opt):
        parts = [L.LinearLR(opt, start_factor=s, end_factor=f, total_iters=t)
                 for (s, f, t) in first]
        parts.append(then(opt))
        return L.SequentialLR(opt, parts, milestones=milestones)

    return make


# ---- scripted loss sequences for ReduceLROnPlateau ------------------------------------

def losses_decay_then_flat(n):
    # improves geometrically for 60 updates, then flat with tiny noise (below threshold)
    rng = random.Random(1)
    out = []
    for e in range(n):
        if e < 60:
            out.append(2.0 * 0.97 ** e)
        else:
            out.append(2.0 * 0.97 ** 60 * (1 + 1e-5 * rng.uniform(-1, 1)))
    return out


def losses_noisy(n):
    # slow improvement buried in noise: some updates improve, most do not
    rng = random.Random(7)
    return [1.0 / (1 + 0.01 * e) + 0.05 * rng.uniform(-1, 1) for e in range(n)]


def losses_steps(n):
    # a staircase: long plateaus separated by drops, so the cooldown matters
    return [10.0 - (e // 40) + 1e-6 * (e % 3) for e in range(n)]


def losses_negative(n):
    # negative losses (a landscape whose minimum is below 0) with an absolute threshold
    rng = random.Random(3)
    return [-78.0 + 40.0 * math.exp(-e / 30.0) + 0.3 * rng.uniform(-1, 1) for e in range(n)]


# ---- the cases --------------------------------------------------------------------------
# (file, losscape spec, base lr, updates, torch factory, losses or None)

N = 400
CASES = [
    ("constant", "constant", 0.1, 300, lambda o: L.LambdaLR(o, lambda e: 1.0), None),

    ("step", "step:step_size=30", 0.1, N, lambda o: L.StepLR(o, 30), None),
    ("step", "step:step_size=7,gamma=0.5", 1.0, N, lambda o: L.StepLR(o, 7, gamma=0.5), None),
    ("step", "step:step_size=1,gamma=0.97", 0.3, N, lambda o: L.StepLR(o, 1, gamma=0.97), None),

    ("multistep", "multistep:milestones=50;120;121;300", 0.1, N,
     lambda o: L.MultiStepLR(o, [50, 120, 121, 300]), None),
    ("multistep", "multistep:milestones=0;10;20;30,gamma=0.5", 2.0, N,
     lambda o: L.MultiStepLR(o, [0, 10, 20, 30], gamma=0.5), None),
    ("multistep", "multistep:milestones=1000", 0.1, N,
     lambda o: L.MultiStepLR(o, [1000]), None),

    ("exp", "exp:gamma=0.99", 0.1, N, lambda o: L.ExponentialLR(o, 0.99), None),
    ("exp", "exp:gamma=0.9", 1.0, N, lambda o: L.ExponentialLR(o, 0.9), None),
    ("exp", "exp:gamma=1.001", 0.01, N, lambda o: L.ExponentialLR(o, 1.001), None),

    ("inverse", "inverse:decay_rate=0.01", 0.1, N,
     lambda o: L.LambdaLR(o, lambda e: 1.0 / (1.0 + 0.01 * e)), None),
    ("inverse", "inverse:decay_rate=0.5", 1.0, N,
     lambda o: L.LambdaLR(o, lambda e: 1.0 / (1.0 + 0.5 * e)), None),
    ("inverse", "inverse:decay_rate=0.3,decay_steps=10,staircase=true", 0.2, N,
     lambda o: L.LambdaLR(o, lambda e: 1.0 / (1.0 + 0.3 * math.floor(e / 10))), None),

    ("poly", "poly:total_iters=300", 0.1, N, lambda o: L.PolynomialLR(o, 300), None),
    ("poly", "poly:total_iters=100,power=2", 1.0, N,
     lambda o: L.PolynomialLR(o, 100, power=2.0), None),
    ("poly", "poly:total_iters=350,power=0.5", 0.05, N,
     lambda o: L.PolynomialLR(o, 350, power=0.5), None),

    ("cosine", "cosine:T_max=100", 0.1, N, lambda o: L.CosineAnnealingLR(o, 100), None),
    ("cosine", "cosine:T_max=300,eta_min=0.0001", 0.1, N,
     lambda o: L.CosineAnnealingLR(o, 300, eta_min=1e-4), None),
    ("cosine", "cosine:T_max=1000,eta_min=0.001", 1.0, 1200,
     lambda o: L.CosineAnnealingLR(o, 1000, eta_min=1e-3), None),
    ("cosine", "cosine:T_max=7,eta_min=0.01", 0.5, N,
     lambda o: L.CosineAnnealingLR(o, 7, eta_min=0.01), None),
    # a long run: PyTorch's recursive form drifts from the closed form (~1e-12 here)
    ("cosine", "cosine:T_max=10", 0.1, 6000, lambda o: L.CosineAnnealingLR(o, 10), None),

    ("cosine-restarts", "cosine-restarts:T_0=50", 0.1, N,
     lambda o: L.CosineAnnealingWarmRestarts(o, 50), None),
    ("cosine-restarts", "cosine-restarts:T_0=10,T_mult=2,eta_min=0.001", 0.1, N,
     lambda o: L.CosineAnnealingWarmRestarts(o, 10, T_mult=2, eta_min=1e-3), None),
    ("cosine-restarts", "cosine-restarts:T_0=7,T_mult=3,eta_min=0.01", 1.0, N,
     lambda o: L.CosineAnnealingWarmRestarts(o, 7, T_mult=3, eta_min=0.01), None),

    ("warmup", "warmup", 0.1, 300, lambda o: L.LinearLR(o), None),
    ("warmup", "warmup:start_factor=0.1,total_iters=100", 0.1, N,
     lambda o: L.LinearLR(o, start_factor=0.1, total_iters=100), None),
    ("warmup", "warmup:start_factor=1,end_factor=0.2,total_iters=250", 1.0, N,
     lambda o: L.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=250), None),

    # OneCycleLR ignores the optimizer's lr; torch accepts updates 0 .. total_steps.
    ("onecycle", "onecycle:max_lr=0.1,total_steps=300", 0.01, 301,
     lambda o: L.OneCycleLR(o, 0.1, total_steps=300, cycle_momentum=False), None),
    ("onecycle", "onecycle:max_lr=1,total_steps=500,pct_start=0.25,div_factor=10,"
     "final_div_factor=100", 0.5, 501,
     lambda o: L.OneCycleLR(o, 1.0, total_steps=500, pct_start=0.25, div_factor=10.0,
                            final_div_factor=100.0, cycle_momentum=False), None),
    ("onecycle", "onecycle:max_lr=0.5,total_steps=400,three_phase=true", 0.1, 401,
     lambda o: L.OneCycleLR(o, 0.5, total_steps=400, three_phase=True,
                            cycle_momentum=False), None),
    ("onecycle", "onecycle:max_lr=0.2,total_steps=333,pct_start=0.1", 0.1, 334,
     lambda o: L.OneCycleLR(o, 0.2, total_steps=333, pct_start=0.1, cycle_momentum=False),
     None),

    ("plateau", "plateau", 0.1, N, lambda o: L.ReduceLROnPlateau(o),
     losses_decay_then_flat(N)),
    ("plateau", "plateau:factor=0.5,patience=3,cooldown=2", 1.0, N,
     lambda o: L.ReduceLROnPlateau(o, factor=0.5, patience=3, cooldown=2), losses_noisy(N)),
    ("plateau", "plateau:factor=0.5,patience=5,cooldown=10,min_lr=0.02", 0.1, N,
     lambda o: L.ReduceLROnPlateau(o, factor=0.5, patience=5, cooldown=10, min_lr=0.02),
     losses_steps(N)),
    ("plateau", "plateau:factor=0.3,patience=0,threshold=0.1", 0.1, N,
     lambda o: L.ReduceLROnPlateau(o, factor=0.3, patience=0, threshold=0.1),
     losses_noisy(N)),
    ("plateau", "plateau:patience=2,eps=0.001", 0.05, N,
     lambda o: L.ReduceLROnPlateau(o, patience=2, eps=1e-3), losses_noisy(N)),
    ("plateau", "plateau:factor=0.5,patience=4,threshold=0.05,threshold_abs=true", 0.1, N,
     lambda o: L.ReduceLROnPlateau(o, factor=0.5, patience=4, threshold=0.05,
                                   threshold_mode="abs"), losses_negative(N)),
    ("plateau", "plateau:factor=0.5,patience=4,threshold=0.05", 0.1, N,
     lambda o: L.ReduceLROnPlateau(o, factor=0.5, patience=4, threshold=0.05),
     losses_negative(N)),

    # SequentialLR([LinearLR, X], milestones=[total_iters])
    ("sequential", "warmup:total_iters=50+cosine:T_max=300", 0.1, N,
     seq([(1 / 3, 1.0, 50)], lambda o: L.CosineAnnealingLR(o, 300), [50]), None),
    ("sequential", "warmup:start_factor=0.01,total_iters=20+exp:gamma=0.99", 0.5, N,
     seq([(0.01, 1.0, 20)], lambda o: L.ExponentialLR(o, 0.99), [20]), None),
    ("sequential", "warmup:start_factor=0.25,end_factor=0.5,total_iters=30+step:step_size=40",
     0.1, N,
     seq([(0.25, 0.5, 30)], lambda o: L.StepLR(o, 40), [30]), None),
    ("sequential", "warmup:total_iters=10+multistep:milestones=100;200", 0.1, N,
     seq([(1 / 3, 1.0, 10)], lambda o: L.MultiStepLR(o, [100, 200]), [10]), None),
    ("sequential", "warmup:total_iters=25+poly:total_iters=300,power=2", 0.1, N,
     seq([(1 / 3, 1.0, 25)], lambda o: L.PolynomialLR(o, 300, power=2.0), [25]), None),
    ("sequential", "warmup:total_iters=5+cosine-restarts:T_0=30,T_mult=2,eta_min=0.001",
     0.1, N,
     seq([(1 / 3, 1.0, 5)],
         lambda o: L.CosineAnnealingWarmRestarts(o, 30, T_mult=2, eta_min=1e-3), [5]), None),
    ("sequential", "warmup:total_iters=40+inverse:decay_rate=0.05", 0.1, N,
     seq([(1 / 3, 1.0, 40)], lambda o: L.LambdaLR(o, lambda e: 1.0 / (1.0 + 0.05 * e)), [40]),
     None),
    # OneCycleLR sets initial_lr = max_lr/div_factor: the warm-up ramps towards it.
    ("sequential", "warmup:start_factor=0.1,total_iters=20+onecycle:max_lr=1,total_steps=300",
     0.1, 321,
     seq([(0.1, 1.0, 20)],
         lambda o: L.OneCycleLR(o, 1.0, total_steps=300, cycle_momentum=False), [20]), None),
    ("sequential", "warmup:start_factor=0.1,end_factor=0.5,total_iters=10+"
     "warmup:start_factor=0.5,total_iters=20+cosine:T_max=300,eta_min=0.0001", 0.1, N,
     seq([(0.1, 0.5, 10), (0.5, 1.0, 20)],
         lambda o: L.CosineAnnealingLR(o, 300, eta_min=1e-4), [10, 30]), None),
    ("sequential", "warmup+constant", 0.1, 300,
     seq([(1 / 3, 1.0, 5)], lambda o: L.LambdaLR(o, lambda e: 1.0), [5]), None),
]


def warmup_plateau(base, T, n, losses, **kw):
    """warmup+plateau, which SequentialLR cannot express (ReduceLROnPlateau is not an
    _LRScheduler): LinearLR for updates 0..T-1, then the lr is reset to base and a fresh
    ReduceLROnPlateau sees the losses after updates T, T+1, ..."""
    opt = optimizer(base)
    warm = L.LinearLR(opt, total_iters=T)
    out = []
    plat = None
    for e in range(n):
        if e == T:
            opt.param_groups[0]["lr"] = base
            plat = L.ReduceLROnPlateau(opt, **kw)
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if e < T:
            warm.step()
        else:
            plat.step(losses[e])
    return out


def main():
    files = {}
    for (name, spec, base, n, make, losses) in CASES:
        lrs = run(make, base, n, losses)
        files.setdefault(name, []).append((spec, base, lrs, losses))
    ls = losses_noisy(N)
    files["sequential"].append(("warmup:total_iters=30+plateau:factor=0.5,patience=3", 0.1,
                                warmup_plateau(0.1, 30, N, ls, factor=0.5, patience=3), ls))
    for name, cases in files.items():
        path = os.path.join(OUT, "schedule_%s.tsv" % name)
        with open(path, "w") as f:
            f.write("# generated by tests/ref/gen_schedule.py with torch %s; do not edit\n"
                    % torch.__version__)
            f.write("# case <spec> <base lr>, then rows: e, lr of update e [, loss observed "
                    "after update e]\n")
            for (spec, base, lrs, losses) in cases:
                f.write("case\t%s\t%r\n" % (spec, base))
                for e, lr in enumerate(lrs):
                    if losses is None:
                        f.write("%d\t%r\n" % (e, lr))
                    else:
                        f.write("%d\t%r\t%r\n" % (e, lr, losses[e]))
        print("wrote", os.path.relpath(path), "(%d cases)" % len(cases), file=sys.stderr)


if __name__ == "__main__":
    main()
