#!/usr/bin/python3
"""gen_models.py — PyTorch reference numbers for tests/test_models.c

Run with Debian's python3-torch (1.13):   /usr/bin/python3 tests/ref/gen_models.py
It rewrites tests/data/models_*.csv (three small data sets) and tests/data/model_*.tsv (one
file per model case), which are committed so that the C test needs no torch.

Everything is float64. Each case is an nn.Sequential(Linear, act, ..., Linear) with
PyTorch's default initialisation under torch.manual_seed(case number), its loss with
reduction='mean' (nn.MSELoss, nn.BCEWithLogitsLoss, nn.CrossEntropyLoss) and, where the
case says so, the weight decay term (l2/2) sum_l |W_l|^2 over the weights (not the biases),
as model.h defines it. The parameters are flattened in model.parameters() order: W1
(out x in, row-major), b1, W2, b2, ...

Data sets (N = 300 examples, 3 features; 300 > 256 exercises the C side's blocks):
  models_reg.csv    a ~ U(-2, 2)^3, y = sin(a1) + a2^2 / 2 - a3 + 0.1 N(0, 1)
  models_bin.csv    a ~ U(-2, 2)^3, y = [a1 a2 + 0.3 a3 + 0.2 N(0, 1) > 0]
  models_multi.csv  a ~ U(-2, 2)^3, y = argmax_k (M a + 0.3 N(0, I))_k, 4 classes

File format of model_NAME.tsv (tab separated; '#' lines are comments), one key a line:
  spec       the losscape landscape spec
  data       the data file (in tests/data)
  n          the number of parameters
  theta0     the parameters (the start of everything below)
  f, grad    the mean loss (+ l2 term) over all N examples and its gradient (autograd)
  losses     the N per-example losses (no l2 term)
  example    i, then the gradient of example i's loss alone (+ l2 term's gradient)
  batch      the indices of a mini-batch (one repeated); batch_f, batch_grad: its mean loss
             (+ l2 term) and gradient
  v, hv      a vector v ~ N(0, I) and H v (double backward), H the full-batch Hessian
  hess       the full Hessian, row-major (torch.autograd.functional.hessian; only for the
             one-layer models)
  lr, steps  plain gradient descent theta <- theta - lr grad f(theta), full batch
  traj_loss  f at steps 0 .. steps
  traj_theta k, then theta after k steps (k = 0, 1, 10, steps/2, steps)
"""
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
N, D = 300, 3


def make_data():
    g = torch.Generator().manual_seed(2024)
    sets = {}
    a = torch.rand(N, D, generator=g) * 4 - 2
    y = torch.sin(a[:, 0]) + a[:, 1] ** 2 / 2 - a[:, 2] + 0.1 * torch.randn(N, generator=g)
    sets["reg"] = (a, y)
    a = torch.rand(N, D, generator=g) * 4 - 2
    s = a[:, 0] * a[:, 1] + 0.3 * a[:, 2] + 0.2 * torch.randn(N, generator=g)
    sets["bin"] = (a, (s > 0).to(torch.float64))
    a = torch.rand(N, D, generator=g) * 4 - 2
    M = torch.randn(4, D, generator=g)
    s = a @ M.T + 0.3 * torch.randn(N, 4, generator=g)
    sets["multi"] = (a, torch.argmax(s, dim=1).to(torch.float64))
    for name, (a, y) in sets.items():
        with open(os.path.join(DATA, "models_%s.csv" % name), "w") as f:
            f.write("a1,a2,a3,y\n")
            for i in range(N):
                f.write(",".join(repr(float(v)) for v in list(a[i]) + [y[i]]) + "\n")
    return sets


ACTS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid,
        "leaky-relu": nn.LeakyReLU, "linear": nn.Identity}
LOSS_OF_DATA = {"reg": "mse", "bin": "bce", "multi": "ce"}


def build(hidden, act, out):
    layers, width = [], D
    for h in hidden:
        layers += [nn.Linear(width, h), ACTS[act]()]
        width = h
    layers.append(nn.Linear(width, out))
    return nn.Sequential(*layers)


def loss_fn(kind, z, y):
    if kind == "mse":
        return nn.functional.mse_loss(z[:, 0], y, reduction="none")
    if kind == "bce":
        return nn.functional.binary_cross_entropy_with_logits(z[:, 0], y, reduction="none")
    return nn.functional.cross_entropy(z, y.long(), reduction="none")


def fmt(xs):
    return "\t".join(repr(float(v)) for v in xs)


def run_case(num, name, spec, data, hidden, act, l2, lr, steps, full_hessian, sets):
    a, y = sets[data]
    kind = LOSS_OF_DATA[data]
    out = 4 if kind == "ce" else 1
    torch.manual_seed(num)
    net = build(hidden, act, out)
    shapes = [p.shape for p in net.parameters()]
    theta0 = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    n = theta0.numel()
    weight = torch.zeros(n, dtype=torch.bool)  # which entries are weights (2-D)
    k = 0
    for s in shapes:
        m = int(torch.tensor(s).prod())
        weight[k:k + m] = len(s) == 2
        k += m

    def unflatten(theta):
        ps, k = [], 0
        for s in shapes:
            m = int(torch.tensor(s).prod())
            ps.append(theta[k:k + m].reshape(s))
            k += m
        return ps

    def forward(theta, x):
        ps = unflatten(theta)
        h = x
        for l in range(len(ps) // 2):
            h = h @ ps[2 * l].T + ps[2 * l + 1]
            if l < len(ps) // 2 - 1:
                h = ACTS[act]()(h)
        return h

    def per_example(theta, idx=None):
        x, t = (a, y) if idx is None else (a[idx], y[idx])
        return loss_fn(kind, forward(theta, x), t)

    def f(theta, idx=None):
        return per_example(theta, idx).mean() + 0.5 * l2 * (theta[weight] ** 2).sum()

    def grad(fun, theta):
        th = theta.clone().requires_grad_(True)
        val = fun(th)
        (g,) = torch.autograd.grad(val, th)
        return val.detach(), g

    # the flattened forward must be the nn.Sequential's own
    assert torch.equal(forward(theta0, a), net(a)), name
    lines = ["spec\t" + spec, "data\tmodels_%s.csv" % data, "n\t%d" % n,
             "theta0\t" + fmt(theta0)]
    f0, g0 = grad(f, theta0)
    lines += ["f\t" + repr(float(f0)), "grad\t" + fmt(g0)]
    lines.append("losses\t" + fmt(per_example(theta0).detach()))
    for i in (0, 1, 150, 299):
        _, gi = grad(lambda th: per_example(th, [i]).mean() + 0.5 * l2 * (th[weight] ** 2).sum(),
                     theta0)
        lines.append("example\t%d\t" % i + fmt(gi))
    batch = [3, 17, 42, 42, 100, 256, 299, 7]
    fb, gb = grad(lambda th: f(th, batch), theta0)
    lines += ["batch\t" + "\t".join(map(str, batch)), "batch_f\t" + repr(float(fb)),
              "batch_grad\t" + fmt(gb)]
    gen = torch.Generator().manual_seed(1000 + num)
    v = torch.randn(n, generator=gen)
    th = theta0.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(th), th, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, th)
    lines += ["v\t" + fmt(v), "hv\t" + fmt(hv)]
    if full_hessian:
        H = torch.autograd.functional.hessian(lambda t: f(t), theta0)
        lines.append("hess\t" + fmt(H.reshape(-1)))
    lines += ["lr\t" + repr(lr), "steps\t%d" % steps]
    theta, losses, keep = theta0.clone(), [], {}
    for k in range(steps + 1):
        fk, gk = grad(f, theta)
        losses.append(fk)
        if k in (0, 1, 10, steps // 2, steps):
            keep[k] = theta.clone()
        theta = theta - lr * gk
    lines.append("traj_loss\t" + fmt(losses))
    for k in sorted(keep):
        lines.append("traj_theta\t%d\t" % k + fmt(keep[k]))
    path = os.path.join(DATA, "model_%s.tsv" % name)
    with open(path, "w") as fh:
        fh.write("# PyTorch %s reference for tests/test_models.c, from tests/ref/gen_models.py\n"
                 % torch.__version__)
        fh.write("\n".join(lines) + "\n")
    print("%-24s n = %3d  f0 = %.6g  f_end = %.6g" % (name, n, float(f0), float(losses[-1])))


def main():
    sets = make_data()
    cases = [
        # name, spec, data, hidden, act, l2, lr, steps, full Hessian
        ("linreg", "linreg", "reg", [], "linear", 0.0, 0.1, 120, True),
        ("linreg-l2", "linreg:l2=0.1", "reg", [], "linear", 0.1, 0.1, 120, True),
        ("logreg", "logreg", "bin", [], "linear", 0.0, 0.5, 120, True),
        ("logreg-l2", "logreg:l2=0.05", "bin", [], "linear", 0.05, 0.5, 120, True),
        ("softmax", "softmax", "multi", [], "linear", 0.0, 0.5, 120, True),
        ("softmax-l2", "softmax:l2=0.02", "multi", [], "linear", 0.02, 0.5, 120, True),
    ]
    for act in ACTS:
        for data in ("reg", "bin", "multi"):
            loss = LOSS_OF_DATA[data]
            cases.append(("mlp-%s-%s" % (act, loss),
                          "mlp:hidden=5;4,act=%s,loss=%s" % (act, loss), data, [5, 4], act,
                          0.0, 0.1, 120, False))
    cases.append(("mlp-tanh-ce-l2", "mlp:hidden=6,act=tanh,loss=ce,l2=0.01", "multi", [6],
                  "tanh", 0.01, 0.2, 120, True))
    for num, c in enumerate(cases):
        run_case(num, *c, sets=sets)


if __name__ == "__main__":
    main()
