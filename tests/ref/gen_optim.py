#!/usr/bin/python3
"""gen_optim.py — PyTorch reference numbers for tests/test_optim.c

Run with Debian's python3-torch (1.13):   /usr/bin/python3 tests/ref/gen_optim.py
It rewrites tests/data/optim_*.tsv, which are committed so that the C test needs no torch.

Every trajectory is computed in double precision with torch autograd gradients and one
torch.optim step per iteration (lr constant), on three landscapes that test_optim.c
defines again, independently, in C:

  rosenbrock  (1 - x)^2 + 100 (y - x^2)^2                          start (-1.2, 1)
  quad        1/2 (x - c)^T A (x - c),  A = [[50.5, 49.5], [49.5, 50.5]] (eigenvalues 100
              and 1, eigenvectors rotated by 45 degrees), c = (1, -2)   start (-2, 1.5)
  rosen11     sum_{i<10} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, n = 11  start x_i = -0.9 + 0.18 i
              (n = 11 exercises both the blocked, vectorised loop and its scalar tail)

NAdam: torch 1.13's NAdam has a bug in its last denominator (mu_product * mu * mu_next
instead of mu_product * mu_next, fixed in 2.0), so the NAdam numbers come from NAdam2
below, a hand-written torch implementation of the PyTorch >= 2.0 formula as stated in
shared/REFERENCE.md. As a check of that implementation, NAdam2(bug_113=True) must reproduce
torch 1.13's torch.optim.NAdam to ~1e-15 on every NAdam case; the script asserts it.

File format (tab separated; '#' lines are comments):
  #run <id> <losscape spec> <landscape> <n> <steps> <kind>
  <id> <k> x_1 .. x_n [g_1 .. g_n]
kind "traj": x_k at a subset of k (0..5, every 10th, the last); the C test runs the whole
trajectory with its own gradients and compares at those k (normwise relative error).
kind "replay": every k, with g_k = grad f(x_k) from autograd; the C test feeds these
gradients to the optimizer and compares x_{k+1}, so rounding differences cannot feed back.
Every case gets a replay run on rosenbrock. A closed-loop ("traj") run is written only where
the trajectory is well conditioned (check_run: a 1e-13 relative change of x_0 grows at most
MAX_GAIN times); momentum on Rosenbrock's curved valley and sign-like Adam/RMSprop steps
across a stiff valley amplify the ~1 ulp per step by which torch and C differ far beyond
1e-12, so those (case, landscape) pairs are stored as replay runs instead (listed when the
script runs). Every run must stay in |x| <= 1e3 and lower f.
optim_clip.tsv:
  norm  <c> <n> g_1..g_n <total norm> out_1..out_n      (torch.nn.utils.clip_grad_norm_)
  value <c> <n> g_1..g_n out_1..out_n                   (torch.nn.utils.clip_grad_value_)
"""
import math
import os
import sys

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

# ---- landscapes --------------------------------------------------------------------


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


QA = torch.tensor([[50.5, 49.5], [49.5, 50.5]])
QC = torch.tensor([1.0, -2.0])


def quad(x):
    d = x - QC
    return 0.5 * d @ (QA @ d)


def rosen11(x):
    return torch.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


LANDSCAPES = {
    "rosenbrock": (rosenbrock, [-1.2, 1.0]),
    "quad": (quad, [-2.0, 1.5]),
    "rosen11": (rosen11, [-0.9 + 0.18 * i for i in range(11)]),
}

# ---- NAdam, PyTorch >= 2.0 ----------------------------------------------------------


class NAdam2(torch.optim.Optimizer):
    """REFERENCE.md's NAdam (PyTorch >= 2.0), t counted from 1:
    mu_t = b1 (1 - 0.5 * 0.96^(t psi)), mu_{t+1} likewise, Pi <- Pi mu_t
    m, v as Adam; d = sqrt(v / bc2) + eps
    x <- x - lr (1 - mu_t)/(1 - Pi) g/d - lr mu_{t+1}/(1 - Pi mu_{t+1}) m/d
    bug_113=True reproduces torch 1.13 (Pi mu_t mu_{t+1} in the last denominator)."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, bug_113=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay))
        self.bug_113 = bug_113

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            lr, eps, wd, psi = group["lr"], group["eps"], group["weight_decay"], \
                group["momentum_decay"]
            for p in group["params"]:
                st = self.state[p]
                if not st:
                    st["step"] = 0
                    st["mu_product"] = 1.0
                    st["m"] = torch.zeros_like(p)
                    st["v"] = torch.zeros_like(p)
                st["step"] += 1
                t = float(st["step"])
                g = p.grad
                if wd != 0:
                    g = g.add(p, alpha=wd)
                bc2 = 1 - b2 ** t
                mu = b1 * (1.0 - 0.5 * (0.96 ** (t * psi)))
                mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * psi)))
                st["mu_product"] *= mu
                pi = st["mu_product"]
                pi_next = pi * mu * mu_next if self.bug_113 else pi * mu_next
                st["m"].mul_(b1).add_(g, alpha=1 - b1)
                st["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
                d = st["v"].div(bc2).sqrt().add_(eps)
                p.addcdiv_(g, d, value=-lr * (1.0 - mu) / (1.0 - pi))
                p.addcdiv_(st["m"], d, value=-lr * mu_next / (1.0 - pi_next))


# ---- cases: (losscape spec, torch constructor) ------------------------------------------

O = torch.optim
CASES = {
    "sgd": [
        ("gd:lr=0.001", lambda p: O.SGD(p, lr=1e-3)),
        ("gd:lr=0.0005,weight_decay=0.1", lambda p: O.SGD(p, lr=5e-4, weight_decay=0.1)),
        ("sgd", lambda p: O.SGD(p, lr=1e-3)),
        ("sgd:lr=0.0005,momentum=0.9", lambda p: O.SGD(p, lr=5e-4, momentum=0.9)),
        ("sgd:lr=0.0005,momentum=0.8,dampening=0.3",
         lambda p: O.SGD(p, lr=5e-4, momentum=0.8, dampening=0.3)),
        ("sgd:lr=0.0005,momentum=0.9,weight_decay=0.05",
         lambda p: O.SGD(p, lr=5e-4, momentum=0.9, weight_decay=0.05)),
        ("sgd:lr=0.0005,momentum=0.9,nesterov=true",
         lambda p: O.SGD(p, lr=5e-4, momentum=0.9, nesterov=True)),
        ("sgd:lr=0.0005,momentum=0.7,nesterov=1,weight_decay=0.02",
         lambda p: O.SGD(p, lr=5e-4, momentum=0.7, nesterov=True, weight_decay=0.02)),
        ("sgd:lr=0.0003,momentum=0.5,dampening=0.5,weight_decay=0.2",
         lambda p: O.SGD(p, lr=3e-4, momentum=0.5, dampening=0.5, weight_decay=0.2)),
        ("momentum", lambda p: O.SGD(p, lr=1e-3, momentum=0.9)),
        ("momentum:lr=0.0005,dampening=0.5",
         lambda p: O.SGD(p, lr=5e-4, momentum=0.9, dampening=0.5)),
        ("nesterov", lambda p: O.SGD(p, lr=1e-3, momentum=0.9, nesterov=True)),
        ("nesterov:lr=0.0002,momentum=0.95,weight_decay=0.01",
         lambda p: O.SGD(p, lr=2e-4, momentum=0.95, nesterov=True, weight_decay=0.01)),
    ],
    "adagrad": [
        ("adagrad", lambda p: O.Adagrad(p)),
        ("adagrad:lr=0.05,lr_decay=0.01", lambda p: O.Adagrad(p, lr=0.05, lr_decay=0.01)),
        ("adagrad:lr=0.02,initial_accumulator_value=0.5,weight_decay=0.01",
         lambda p: O.Adagrad(p, lr=0.02, initial_accumulator_value=0.5, weight_decay=0.01)),
        ("adagrad:lr=0.05,eps=1e-06,lr_decay=0.001,initial_accumulator_value=0.1",
         lambda p: O.Adagrad(p, lr=0.05, eps=1e-6, lr_decay=1e-3,
                             initial_accumulator_value=0.1)),
    ],
    "rmsprop": [
        ("rmsprop", lambda p: O.RMSprop(p)),
        ("rmsprop:lr=0.001,alpha=0.9", lambda p: O.RMSprop(p, lr=1e-3, alpha=0.9)),
        ("rmsprop:lr=0.001,centered=true", lambda p: O.RMSprop(p, lr=1e-3, centered=True)),
        ("rmsprop:lr=0.0005,momentum=0.9", lambda p: O.RMSprop(p, lr=5e-4, momentum=0.9)),
        ("rmsprop:lr=0.0005,momentum=0.8,centered=true,weight_decay=0.01",
         lambda p: O.RMSprop(p, lr=5e-4, momentum=0.8, centered=True, weight_decay=0.01)),
        ("rmsprop:lr=0.002,alpha=0.95,eps=0.0001",
         lambda p: O.RMSprop(p, lr=2e-3, alpha=0.95, eps=1e-4)),
    ],
    "adam": [
        ("adam", lambda p: O.Adam(p)),
        ("adam:lr=0.01", lambda p: O.Adam(p, lr=0.01)),
        ("adam:lr=0.01,beta1=0.8,beta2=0.99",
         lambda p: O.Adam(p, lr=0.01, betas=(0.8, 0.99))),
        ("adam:lr=0.01,amsgrad=true", lambda p: O.Adam(p, lr=0.01, amsgrad=True)),
        ("adam:lr=0.01,weight_decay=0.1", lambda p: O.Adam(p, lr=0.01, weight_decay=0.1)),
        ("adam:lr=0.005,weight_decay=0.05,amsgrad=true,eps=1e-06",
         lambda p: O.Adam(p, lr=5e-3, weight_decay=0.05, amsgrad=True, eps=1e-6)),
        ("adam:lr=0.02,beta1=0,beta2=0.5", lambda p: O.Adam(p, lr=0.02, betas=(0.0, 0.5))),
    ],
    "adamw": [
        ("adamw", lambda p: O.AdamW(p)),
        ("adamw:lr=0.01,weight_decay=0.1", lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1)),
        ("adamw:lr=0.01,weight_decay=0.05,amsgrad=true,beta1=0.85",
         lambda p: O.AdamW(p, lr=0.01, weight_decay=0.05, amsgrad=True, betas=(0.85, 0.999))),
        ("adamw:lr=0.01,weight_decay=0", lambda p: O.AdamW(p, lr=0.01, weight_decay=0)),
    ],
    "nadam": [
        ("nadam", lambda p, bug=False: NAdam2(p, bug_113=bug)),
        ("nadam:lr=0.01,momentum_decay=0.01",
         lambda p, bug=False: NAdam2(p, lr=0.01, momentum_decay=0.01, bug_113=bug)),
        ("nadam:lr=0.01,weight_decay=0.05,beta2=0.99",
         lambda p, bug=False: NAdam2(p, lr=0.01, weight_decay=0.05, betas=(0.9, 0.99),
                                     bug_113=bug)),
        ("nadam:lr=0.005,beta1=0.8,eps=1e-06",
         lambda p, bug=False: NAdam2(p, lr=5e-3, betas=(0.8, 0.999), eps=1e-6, bug_113=bug)),
    ],
    "radam": [
        ("radam", lambda p: O.RAdam(p)),
        ("radam:lr=0.0015", lambda p: O.RAdam(p, lr=1.5e-3)),
        ("radam:lr=0.001,beta1=0.8,beta2=0.99,weight_decay=0.05",
         lambda p: O.RAdam(p, lr=1e-3, betas=(0.8, 0.99), weight_decay=0.05)),
        ("radam:lr=0.001,beta2=0.9", lambda p: O.RAdam(p, lr=1e-3, betas=(0.9, 0.9))),
    ],
    # issue 12: the rest of torch.optim's first-order methods. torch 1.13's single-tensor
    # updates of these four are the same as 2.x's (read in both sources).
    "adadelta": [
        ("adadelta", lambda p: O.Adadelta(p)),
        ("adadelta:lr=0.5,rho=0.95", lambda p: O.Adadelta(p, lr=0.5, rho=0.95)),
        ("adadelta:rho=0.8,eps=0.0001,weight_decay=0.05",
         lambda p: O.Adadelta(p, rho=0.8, eps=1e-4, weight_decay=0.05)),
        ("adadelta:lr=2,rho=0.5,eps=1e-08", lambda p: O.Adadelta(p, lr=2.0, rho=0.5, eps=1e-8)),
    ],
    "adamax": [
        ("adamax", lambda p: O.Adamax(p)),
        ("adamax:lr=0.01,beta1=0.8,beta2=0.99", lambda p: O.Adamax(p, lr=0.01, betas=(0.8, 0.99))),
        ("adamax:lr=0.005,weight_decay=0.1,eps=1e-06",
         lambda p: O.Adamax(p, lr=5e-3, weight_decay=0.1, eps=1e-6)),
        ("adamax:lr=0.02,beta1=0,beta2=0.5", lambda p: O.Adamax(p, lr=0.02, betas=(0.0, 0.5))),
    ],
    "asgd": [
        ("asgd:lr=0.0005", lambda p: O.ASGD(p, lr=5e-4)),
        ("asgd:lr=0.0005,lambd=0.5,alpha=0.5,t0=20",
         lambda p: O.ASGD(p, lr=5e-4, lambd=0.5, alpha=0.5, t0=20)),
        ("asgd:lr=0.0003,lambd=0.01,alpha=1,t0=0,weight_decay=0.1",
         lambda p: O.ASGD(p, lr=3e-4, lambd=0.01, alpha=1.0, t0=0, weight_decay=0.1)),
        ("asgd:lr=0.0005,lambd=2,alpha=1.7,t0=100",
         lambda p: O.ASGD(p, lr=5e-4, lambd=2.0, alpha=1.7, t0=100)),
    ],
    "rprop": [
        ("rprop", lambda p: O.Rprop(p)),
        ("rprop:lr=0.001,etaminus=0.3,etaplus=1.5",
         lambda p: O.Rprop(p, lr=1e-3, etas=(0.3, 1.5))),
        ("rprop:lr=0.05,step_size_min=0.001,step_size_max=0.2",
         lambda p: O.Rprop(p, lr=0.05, step_sizes=(1e-3, 0.2))),
        ("rprop:lr=0.002,etaplus=2,step_size_min=0",
         lambda p: O.Rprop(p, lr=2e-3, etas=(0.5, 2.0), step_sizes=(0.0, 50.0))),
    ],
}

# torch 1.13 NAdam, used only to check NAdam2(bug_113=True)
NADAM_113 = {
    "nadam": lambda p: O.NAdam(p),
    "nadam:lr=0.01,momentum_decay=0.01": lambda p: O.NAdam(p, lr=0.01, momentum_decay=0.01),
    "nadam:lr=0.01,weight_decay=0.05,beta2=0.99":
        lambda p: O.NAdam(p, lr=0.01, weight_decay=0.05, betas=(0.9, 0.99)),
    "nadam:lr=0.005,beta1=0.8,eps=1e-06":
        lambda p: O.NAdam(p, lr=5e-3, betas=(0.8, 0.999), eps=1e-6),
}

STEPS = 150
TRAJ_KS = set(range(6)) | set(range(0, STEPS + 1, 10)) | {STEPS}


def run(make, landscape, steps, perturb=0.0):
    """x_0..x_steps and g_0..g_steps (g_k = grad f(x_k)); perturb: relative change of x_0."""
    f, start = LANDSCAPES[landscape]
    x = torch.tensor([v * (1 + perturb) for v in start], requires_grad=True)
    opt = make([x])
    xs, gs = [], []
    for k in range(steps + 1):
        opt.zero_grad()
        loss = f(x)
        loss.backward()
        xs.append(x.detach().clone().tolist())
        gs.append(x.grad.detach().clone().tolist())
        if k < steps:
            opt.step()
    return xs, gs


def fmt(v):
    return repr(float(v))


def max_rel(a, b):
    """max over rows of the normwise relative error max_i |a_i - b_i| / max_i |b_i|"""
    worst = 0.0
    for ra, rb in zip(a, b):
        scale = max(max(abs(w) for w in rb), 1e-300)
        worst = max(worst, max(abs(u - w) for u, w in zip(ra, rb)) / scale)
    return worst


PERTURB = 1e-13
MAX_GAIN = 50.0


def check_run(spec, landscape, make, xs):
    """A reference trajectory must be bounded and descend. Returns its gain: how many times
    a relative change of 1e-13 in x_0 grows by the sampled steps (normwise, as test_optim.c
    measures). Torch and C differ by about 1 ulp per step, so a closed-loop comparison to
    1e-12 over 150 steps is meaningful only when the gain is modest (<= MAX_GAIN); other runs
    are stored for gradient replay only, where errors cannot feed back."""
    f, _ = LANDSCAPES[landscape]
    for row in xs:
        for v in row:
            if not math.isfinite(v) or abs(v) > 1e3:
                sys.exit("%s on %s leaves the box |x| <= 1e3" % (spec, landscape))
    f0, f1 = f(torch.tensor(xs[0])).item(), f(torch.tensor(xs[-1])).item()
    if not f1 < f0:
        sys.exit("%s on %s does not descend: f %g -> %g" % (spec, landscape, f0, f1))
    xp, _ = run(make, landscape, STEPS, PERTURB)
    gain = max_rel([xp[k] for k in sorted(TRAJ_KS)], [xs[k] for k in sorted(TRAJ_KS)]) / PERTURB
    GAINS.append((gain, spec, landscape))
    return gain


GAINS = []


def write_family(name, cases):
    path = os.path.join(DATA, "optim_%s.tsv" % name)
    out = ["# losscape optimizer references generated by tests/ref/gen_optim.py with torch %s"
           % torch.__version__,
           "# #run <id> <spec> <landscape> <n> <steps> <kind>; rows: <id> <k> x.. [g..]"]
    rid = 0
    for spec, make in cases:
        for landscape in ("rosenbrock", "quad", "rosen11"):
            xs, gs = run(make, landscape, STEPS)
            gain = check_run(spec, landscape, make, xs)
            kinds = ("traj",) if gain <= MAX_GAIN else ()
            if landscape == "rosenbrock" or gain > MAX_GAIN:
                kinds += ("replay",)
            if name == "nadam":
                # the hand-written NAdam with 1.13's bug must reproduce torch 1.13's NAdam
                xb, _ = run(lambda p: make(p, True), landscape, STEPS)
                xt, _ = run(NADAM_113[spec], landscape, STEPS)
                err = max_rel(xb, xt)
                if err > 1e-13:
                    sys.exit("NAdam2(bug_113) differs from torch 1.13 NAdam by %g" % err)
            n = len(xs[0])
            for kind in kinds:
                out.append("#run\t%d\t%s\t%s\t%d\t%d\t%s" % (rid, spec, landscape, n, STEPS,
                                                           kind))
                for k in range(STEPS + 1):
                    if kind == "traj" and k not in TRAJ_KS:
                        continue
                    row = [str(rid), str(k)] + [fmt(v) for v in xs[k]]
                    if kind == "replay":
                        row += [fmt(v) for v in gs[k]]
                    out.append("\t".join(row))
                rid += 1
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("%s: %d runs" % (path, rid))


def write_clip():
    gen = torch.Generator().manual_seed(20240611)
    out = ["# torch.nn.utils.clip_grad_norm_ / clip_grad_value_ references (gen_optim.py,"
           " torch %s)" % torch.__version__,
           "# norm <c> <n> g.. <total> out..   |   value <c> <n> g.. out.."]
    vectors = []
    for n in (1, 2, 5, 17):
        vectors.append((torch.randn(n, generator=gen) * 3).tolist())
    vectors.append([1e150, -2e150, 3e149])
    vectors.append([0.0, 0.0, 0.0])
    vectors.append([-7.5, 1e-300, 2.0, -0.0])
    for g in vectors:
        norm = math.sqrt(sum(v * v for v in g))
        for c in (0.0, 0.5, 1.0, norm * 0.999, norm * 2, 10.0, 1e151):
            p = torch.zeros(len(g), requires_grad=True)
            p.grad = torch.tensor(g)
            total = torch.nn.utils.clip_grad_norm_([p], c)
            out.append("\t".join(["norm", fmt(c), str(len(g))] + [fmt(v) for v in g] +
                                 [fmt(total)] + [fmt(v) for v in p.grad.tolist()]))
        for c in (0.0, 0.5, 1.0, 2.5, 1e151):
            p = torch.zeros(len(g), requires_grad=True)
            p.grad = torch.tensor(g)
            torch.nn.utils.clip_grad_value_([p], c)
            out.append("\t".join(["value", fmt(c), str(len(g))] + [fmt(v) for v in g] +
                                 [fmt(v) for v in p.grad.tolist()]))
    path = os.path.join(DATA, "optim_clip.tsv")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("%s: %d rows" % (path, len(out) - 2))


# Long runs: the bias corrections beta^t over 10^5 steps (losscape keeps beta^t as a
# running product, torch calls pow): closed loop on quad, compared at a few steps.
LONG_STEPS = 100000
LONG_KS = {0, 1, 10, 100, 1000, 10000, 100000}
LONG_CASES = [
    ("adam:lr=0.0001", lambda p: O.Adam(p, lr=1e-4)),
    ("adam:lr=0.0001,beta2=0.9999,amsgrad=true", lambda p: O.Adam(p, lr=1e-4, betas=(0.9, 0.9999), amsgrad=True)),
    ("radam:lr=0.0001", lambda p: O.RAdam(p, lr=1e-4)),
    ("nadam:lr=1e-05", lambda p: NAdam2(p, lr=1e-5)),
]


def write_long():
    path = os.path.join(DATA, "optim_long.tsv")
    out = ["# losscape optimizer references generated by tests/ref/gen_optim.py long with torch "
           "%s: %d steps, closed loop on quad" % (torch.__version__, LONG_STEPS),
           "# #run <id> <spec> <landscape> <n> <steps> <kind>; rows: <id> <k> x.."]
    for rid, (spec, make) in enumerate(LONG_CASES):
        xs, _ = run(make, "quad", LONG_STEPS)
        xp, _ = run(make, "quad", LONG_STEPS, PERTURB)
        ks = sorted(LONG_KS)
        gain = max_rel([xp[k] for k in ks], [xs[k] for k in ks]) / PERTURB
        print("long %s: gain %.3g" % (spec, gain))
        if gain > MAX_GAIN:
            sys.exit("long %s: gain %.3g > %g" % (spec, gain, MAX_GAIN))
        out.append("#run\t%d\t%s\tquad\t2\t%d\ttraj" % (rid, spec, LONG_STEPS))
        for k in ks:
            out.append("\t".join([str(rid), str(k)] + [fmt(v) for v in xs[k]]))
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("%s: %d runs" % (path, len(LONG_CASES)))


# ASGD's averaged iterate ax (optimizer state, not the trajectory): gradient replay on
# rosenbrock and quad, every step, with torch's ax after each step.
ASGD_AX_CASES = [
    ("asgd:lr=0.0005,lambd=0.5,alpha=0.5,t0=20",
     lambda p: O.ASGD(p, lr=5e-4, lambd=0.5, alpha=0.5, t0=20)),
    ("asgd:lr=0.0003,lambd=0.01,alpha=1,t0=0,weight_decay=0.1",
     lambda p: O.ASGD(p, lr=3e-4, lambd=0.01, alpha=1.0, t0=0, weight_decay=0.1)),
]


def write_asgd_ax():
    path = os.path.join(DATA, "optim_asgd_ax.tsv")
    out = ["# torch.optim.ASGD's averaged iterate ax (gen_optim.py, torch %s): gradient replay"
           % torch.__version__,
           "# #run <id> <spec> <landscape> <n> <steps>; rows: <id> <k> x_k.. g_k.. ax_k.."]
    rid = 0
    for spec, make in ASGD_AX_CASES:
        for landscape in ("rosenbrock", "quad"):
            f, start = LANDSCAPES[landscape]
            x = torch.tensor(start, requires_grad=True)
            opt = make([x])
            out.append("#run\t%d\t%s\t%s\t%d\t%d" % (rid, spec, landscape, len(start), STEPS))
            for k in range(STEPS + 1):
                opt.zero_grad()
                f(x).backward()
                st = opt.state[x]
                ax = st["ax"].tolist() if st else [0.0] * len(start)
                row = [str(rid), str(k)] + [fmt(v) for v in x.detach().tolist()]
                row += [fmt(v) for v in x.grad.tolist()] + [fmt(v) for v in ax]
                out.append("\t".join(row))
                if k < STEPS:
                    opt.step()
            rid += 1
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("%s: %d runs" % (path, rid))


if __name__ == "__main__":
    os.makedirs(DATA, exist_ok=True)
    only = sys.argv[1:]
    for name, cases in CASES.items():
        if not only or name in only:
            write_family(name, cases)
    if not only or "clip" in only:
        write_clip()
    if not only or "long" in only:
        write_long()
    if not only or "asgd_ax" in only:
        write_asgd_ax()
    for g in sorted(GAINS):
        if g[0] > MAX_GAIN:
            print("replay only (gain %.3g): %s on %s" % g)
