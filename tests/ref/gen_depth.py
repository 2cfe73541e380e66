#!/usr/bin/python3
"""gen_depth.py — PyTorch reference numbers for tests/test_depth.c (issue 10: depth)

Run with Debian's python3-torch (1.13):   /usr/bin/python3 tests/ref/gen_depth.py
It rewrites tests/data/depth_*.tsv, which are committed so that the C test needs no torch.
Everything is float64.

Deep multilayer perceptrons (deeper than the 17 Linear layers model.c once allowed), on the
data sets of gen_models.py (tests/data/models_reg.csv, models_bin.csv: 300 examples, three
features), PyTorch's default initialisation under torch.manual_seed(case seed), mean
reduction. Parameters flattened in model.parameters() order: W1 (out x in, row-major), b1,
W2, b2, ...

File format of depth_NAME.tsv (tab separated; '#' lines are comments), one key a line:
  spec       the losscape landscape spec
  data       the data file (in tests/data)
  n          the number of parameters
  theta0     the parameters
  f, grad    the mean loss over all N examples and its gradient (autograd)
  v, hv      a vector v ~ N(0, I) and H v (double backward)
"""
import csv
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

ACTS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid,
        "leaky-relu": nn.LeakyReLU, "linear": nn.Identity}


def fmt(xs):
    return "\t".join(repr(float(v)) for v in xs)


def read_csv(name):
    with open(os.path.join(DATA, name)) as fh:
        rows = list(csv.reader(fh))[1:]
    a = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([float(r[-1]) for r in rows])
    return a, y


def write(name, lines):
    with open(os.path.join(DATA, "depth_%s.tsv" % name), "w") as fh:
        fh.write("# PyTorch %s reference for tests/test_depth.c, from tests/ref/gen_depth.py\n"
                 % torch.__version__)
        fh.write("\n".join(lines) + "\n")


def mlp_case(seed, name, data, hidden, act, loss):
    a, y = read_csv(data)
    torch.manual_seed(seed)
    layers, width = [], a.shape[1]
    for h in hidden:
        layers += [nn.Linear(width, h), ACTS[act]()]
        width = h
    layers.append(nn.Linear(width, 1))
    net = nn.Sequential(*layers)
    params = list(net.parameters())
    theta0 = torch.cat([p.detach().reshape(-1) for p in params])

    def f(theta):
        k, h = 0, a
        for l in range(len(params) // 2):
            W, b = params[2 * l], params[2 * l + 1]
            Wt = theta[k:k + W.numel()].reshape(W.shape)
            k += W.numel()
            bt = theta[k:k + b.numel()]
            k += b.numel()
            h = h @ Wt.T + bt
            if l < len(params) // 2 - 1:
                h = ACTS[act]()(h)
        z = h[:, 0]
        if loss == "mse":
            return nn.functional.mse_loss(z, y)
        return nn.functional.binary_cross_entropy_with_logits(z, y)

    assert torch.allclose(f(theta0), nn.functional.mse_loss(net(a)[:, 0], y) if loss == "mse"
                          else nn.functional.binary_cross_entropy_with_logits(net(a)[:, 0], y),
                          rtol=0, atol=0)
    th = theta0.clone().requires_grad_(True)
    val = f(th)
    (g,) = torch.autograd.grad(val, th, create_graph=True)
    v = torch.randn(theta0.numel(), generator=torch.Generator().manual_seed(100 + seed))
    (hv,) = torch.autograd.grad(g @ v, th)
    spec = "mlp:hidden=%s,act=%s,loss=%s" % (";".join(map(str, hidden)), act, loss)
    write(name, ["spec\t" + spec, "data\t" + data, "n\t%d" % theta0.numel(),
                 "theta0\t" + fmt(theta0), "f\t" + repr(float(val)), "grad\t" + fmt(g.detach()),
                 "v\t" + fmt(v), "hv\t" + fmt(hv)])
    print("%-20s n = %5d  f = %.6g  |g| = %.3g" % (name, theta0.numel(), float(val),
                                                   float(g.norm())))


def main():
    mlp_case(1, "mlp-tanh-30", "models_reg.csv", [12] * 30, "tanh", "mse")
    mlp_case(2, "mlp-relu-49", "models_bin.csv", [8] * 49, "relu", "bce")
    mlp_case(3, "mlp-sigmoid-20", "models_reg.csv", [10] * 20, "sigmoid", "mse")


if __name__ == "__main__":
    main()
