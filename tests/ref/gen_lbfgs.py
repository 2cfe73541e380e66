#!/usr/bin/python3
"""gen_lbfgs.py — torch.optim.LBFGS reference trajectories for tests/test_lbfgs.c

Run with Debian's python3-torch (1.13):   /usr/bin/python3 tests/ref/gen_lbfgs.py
It rewrites tests/data/optim_lbfgs.tsv (committed, so the C test needs no torch).

One losscape step = one LBFGS.step(closure) call, in double precision with autograd
gradients, on the landscapes of gen_optim.py (test_lbfgs.c defines them again in C):
  rosenbrock  (1 - x)^2 + 100 (y - x^2)^2                 start (-1.2, 1)
  quad        1/2 (x - c)^T A (x - c), A = [[50.5, 49.5], [49.5, 50.5]], c = (1, -2)
              start (-2, 1.5)
  rosen11     sum_{i<10} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, n = 11, x_i = -0.9 + 0.18 i

File format (tab separated; '#' lines are comments):
  #run <id> <losscape spec> <landscape> <n> <steps>
  <id> <k> <evals> x_1 .. x_n        (x after k steps; evals: torch's state['func_evals'])
"""
import os

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

QA = torch.tensor([[50.5, 49.5], [49.5, 50.5]])
QC = torch.tensor([1.0, -2.0])


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


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

# (losscape spec, torch keyword arguments, landscape, steps)
CASES = [
    ("lbfgs", {}, "rosenbrock", 4),
    ("lbfgs", {}, "quad", 3),
    ("lbfgs:max_iter=8", {"max_iter": 8}, "rosenbrock", 4),
    ("lbfgs:max_iter=1", {"max_iter": 1}, "rosenbrock", 40),
    ("lbfgs:lr=0.1,max_iter=3", {"lr": 0.1, "max_iter": 3}, "rosenbrock", 30),
    ("lbfgs:lr=0.5,history_size=3", {"lr": 0.5, "history_size": 3}, "rosenbrock", 6),
    ("lbfgs:max_iter=5,max_eval=4", {"max_iter": 5, "max_eval": 4}, "rosenbrock", 20),
    ("lbfgs:lr=0.02,max_iter=4", {"lr": 0.02, "max_iter": 4}, "quad", 10),
    ("lbfgs:max_iter=2", {"max_iter": 2}, "quad", 6),
    ("lbfgs:lr=0.2,max_iter=3,history_size=5", {"lr": 0.2, "max_iter": 3, "history_size": 5},
     "rosen11", 15),
    ("lbfgs:line_search_fn=strong_wolfe", {"line_search_fn": "strong_wolfe"}, "rosenbrock", 4),
    ("lbfgs:line_search_fn=strong_wolfe,max_iter=1", {"line_search_fn": "strong_wolfe",
     "max_iter": 1}, "rosenbrock", 40),
    ("lbfgs:line_search_fn=strong_wolfe,max_iter=4,history_size=2,lr=3",
     {"line_search_fn": "strong_wolfe", "max_iter": 4, "history_size": 2, "lr": 3},
     "rosenbrock", 8),
    ("lbfgs:line_search_fn=strong_wolfe,max_iter=3", {"line_search_fn": "strong_wolfe",
     "max_iter": 3}, "quad", 5),
    ("lbfgs:line_search_fn=strong_wolfe,max_iter=5", {"line_search_fn": "strong_wolfe",
     "max_iter": 5}, "rosen11", 10),
]


def fmt(v):
    return repr(float(v))


def trajectory(f, x0, kw, steps):
    """x and torch's func_evals after k = 0..steps LBFGS steps"""
    x = torch.tensor(x0, requires_grad=True)
    opt = torch.optim.LBFGS([x], **kw)

    def closure():
        opt.zero_grad()
        loss = f(x)
        loss.backward()
        return loss

    xs, evals = [], []
    for k in range(steps + 1):
        xs.append(x.detach().clone())
        evals.append(opt.state[x]["func_evals"] if x in opt.state else 0)
        if k < steps:
            opt.step(closure)
    return xs, evals


def max_rel(a, b):
    return float((a - b).norm() / max(float(b.norm()), 1.0))


def main():
    out = ["# torch.optim.LBFGS reference (tests/ref/gen_lbfgs.py, torch %s)" % torch.__version__]
    rid = -1
    for spec, kw, land, steps in CASES:
        f, x0 = LANDSCAPES[land]
        xs, evals = trajectory(f, x0, kw, steps)
        assert float(f(xs[-1])) < float(f(torch.tensor(x0))), spec
        # Conditioning: torch and C round differently (autograd's order, BLAS dots), by
        # about an ulp per operation, and many moves per step can amplify that beyond the
        # test's 1e-12 (as gen_optim.py's check_run). Keep the steps over which a change of
        # x0 by one ulp (relative 2^-52) moves x_k by at most 1e-13 (relative).
        ys, _ = trajectory(f, [v * (1 + 2.0 ** -52) for v in x0], kw, steps)
        keep = 0
        while keep < steps and max_rel(ys[keep + 1], xs[keep + 1]) <= 1e-13:
            keep += 1
        if keep < steps:
            print("%s on %s: %d of %d steps well conditioned" % (spec, land, keep, steps))
        if keep == 0:
            continue
        steps = keep
        rid += 1
        out.append("#run\t%d\t%s\t%s\t%d\t%d" % (rid, spec, land, len(x0), steps))
        for k in range(steps + 1):
            out.append("%d\t%d\t%d\t%s" % (rid, k, evals[k], "\t".join(fmt(v) for v in xs[k])))
    with open(os.path.join(DATA, "optim_lbfgs.tsv"), "w") as fh:
        fh.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
