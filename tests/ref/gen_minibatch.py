#!/usr/bin/python3
"""gen_minibatch.py — a PyTorch loop over fixed mini-batches, for tests/test_minibatch.c

Run with Debian's python3-torch:   /usr/bin/python3 tests/ref/gen_minibatch.py
It writes tests/data/minibatch_cyclic.tsv (committed, so the C test needs no torch).

The case: losscape's `--sampling cyclic --batch-size 32` on tests/data/models_bin.csv (N = 300,
3 features, labels 0/1), i.e. DataLoader(shuffle=False, batch_size=32): batches
[0, 32), [32, 64), ..., [288, 300) (the last has 12 examples), again from 0 each epoch.
Model mlp:hidden=5,act=tanh,loss=bce = nn.Sequential(Linear(3, 5), Tanh(), Linear(5, 1)),
nn.BCEWithLogitsLoss (mean), torch.optim.SGD(lr=0.2, momentum=0.9), float64, 47 updates
(4 epochs and 7 batches: the short batch is used 4 times). The start is PyTorch's default
initialisation under torch.manual_seed(9), flattened in model.parameters() order.

File format (tab separated; '#' lines are comments), one key a line:
  theta0   the start
  theta    the parameters after the 47 updates
"""
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
B, STEPS, LR, MOMENTUM = 32, 47, 0.2, 0.9


def main():
    rows = [line.split(",") for line in open(os.path.join(DATA, "models_bin.csv")).read().split("\n")[1:] if line]
    X = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([[float(r[-1])] for r in rows])
    N = X.shape[0]
    torch.manual_seed(9)
    net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
    theta0 = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    loss = nn.BCEWithLogitsLoss()
    per_epoch = (N + B - 1) // B
    for k in range(STEPS):
        first = (k % per_epoch) * B
        xb, yb = X[first:first + B], y[first:first + B]
        opt.zero_grad()
        loss(net(xb), yb).backward()
        opt.step()
    theta = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    fmt = lambda v: "\t".join(repr(float(a)) for a in v)
    with open(os.path.join(DATA, "minibatch_cyclic.tsv"), "w") as f:
        f.write("# written by tests/ref/gen_minibatch.py (torch %s); see there\n" % torch.__version__)
        f.write("theta0\t" + fmt(theta0) + "\n")
        f.write("theta\t" + fmt(theta) + "\n")


if __name__ == "__main__":
    main()
