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

The rnn landscape (landscapes/rnn.c): its sequences are rebuilt here exactly — GSL's
MT19937 seeded as lsc_rng_for_run does (src/streams.c: splitmix64(splitmix64(seed) ^
index)), written out below — and the network is nn.RNNCell(1, H, nonlinearity='tanh')
unrolled over the T steps (bias_hh = 0: the landscape has one bias) then nn.Linear(H, 1),
PyTorch's default initialisation. Keys: spec, n, theta0 (w_in, W_rec, b, w_out, c), f, grad,
and hnorm: |df/dh_t| for t = 0..T (the Frobenius norm over sequences and units of the
gradient retained on each hidden state tensor, h_0 included).

Per-layer statistics (lsc_model_fdf_stats, model.h) through forward hooks: depth_stats-*.tsv
with spec, data, n, theta0, f, and per Linear layer g (|df/dW_l|), w (|W_l|), a (std of
the pre-activations) and sat (the saturated fraction; nan for the output layer).
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


def stats_case(seed, name, data, hidden, act, loss, l2, gain):
    """Per-layer statistics through hooks: forward hooks on every nn.Linear keep its output
    Z_l (the pre-activations) and on every activation module its output A_l; after
    backward, each weight's .grad is df/dW_l (f with the l2 term). Rules of model.h:
    act_std = Z_l.std(unbiased=False); sat: tanh |A| > 0.99, sigmoid A < 0.01 or A > 0.99
    (fraction of entries), relu: units with A == 0 on every example, leaky-relu: units
    with Z < 0 on every example (fraction of units); nan for the output layer."""
    a, y = read_csv(data)
    torch.manual_seed(seed)
    layers, width = [], a.shape[1]
    for h in hidden:
        layers += [nn.Linear(width, h), ACTS[act]()]
        width = h
    layers.append(nn.Linear(width, 1))
    net = nn.Sequential(*layers)
    Z, A = {}, {}
    linears = [m for m in net if isinstance(m, nn.Linear)]
    with torch.no_grad():  # larger weights, so that units saturate
        for m in linears:
            m.weight.mul_(gain)
    for i, m in enumerate(linears):
        m.register_forward_hook(lambda mod, inp, out, i=i: Z.__setitem__(i, out.detach()))
    for i, m in enumerate(m for m in net if not isinstance(m, nn.Linear)):
        m.register_forward_hook(lambda mod, inp, out, i=i: A.__setitem__(i, out.detach()))
    z = net(a)[:, 0]
    f = (nn.functional.mse_loss(z, y) if loss == "mse"
         else nn.functional.binary_cross_entropy_with_logits(z, y))
    f = f + 0.5 * l2 * sum((m.weight ** 2).sum() for m in linears)
    f.backward()
    theta0 = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    g, w, s, sat = [], [], [], []
    for i, m in enumerate(linears):
        g.append(float(m.weight.grad.norm()))
        w.append(float(m.weight.detach().norm()))
        s.append(float(Z[i].std(unbiased=False)))
        if i == len(linears) - 1:
            sat.append(float("nan"))
        elif act == "tanh":
            sat.append(float((A[i].abs() > 0.99).double().mean()))
        elif act == "sigmoid":
            sat.append(float(((A[i] < 0.01) | (A[i] > 0.99)).double().mean()))
        elif act == "relu":
            sat.append(float((A[i] == 0).all(dim=0).double().mean()))
        elif act == "leaky-relu":
            sat.append(float((Z[i] < 0).all(dim=0).double().mean()))
        else:
            sat.append(0.0)
    spec = "mlp:hidden=%s,act=%s,loss=%s,l2=%g" % (";".join(map(str, hidden)), act, loss, l2)
    write(name, ["spec\t" + spec, "data\t" + data, "n\t%d" % theta0.numel(),
                 "theta0\t" + fmt(theta0), "f\t" + repr(float(f)), "g\t" + fmt(g), "w\t" + fmt(w),
                 "a\t" + fmt(s), "sat\t" + fmt(sat)])
    print("%-20s n = %5d  g = %s ... sat = %s" % (name, theta0.numel(), fmt(g[:2]), fmt(sat[:3])))


M64 = (1 << 64) - 1


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class GslMT19937:
    """GSL's mt19937: gsl_rng_set (Knuth's initialisation of the 2002 reference code, the
    seed's low 32 bits; 0 means 4357) and gsl_rng_uniform (a 32-bit output / 2^32)."""

    def __init__(self, seed):
        s = seed & 0xFFFFFFFF or 4357
        self.mt = [s]
        for i in range(1, 624):
            prev = self.mt[-1]
            self.mt.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
        self.i = 624

    def next32(self):
        if self.i >= 624:
            mt = self.mt
            for k in range(624):
                y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7FFFFFFF)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.i = 0
        y = self.mt[self.i]
        self.i += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def uniform(self):
        return self.next32() / 4294967296.0


def rng_for_run(seed, index):
    return GslMT19937(splitmix64(splitmix64(seed) ^ index))


RNN_DATA_STREAM = 0x726E6E64  # "rnnd", landscapes/rnn.c


def rnn_case(tseed, name, H, T, recall, N, seed):
    r = rng_for_run(seed, RNN_DATA_STREAM)
    x = torch.tensor([[2 * r.uniform() - 1 for _ in range(T)] for _ in range(N)])
    y = x[:, recall - 1].clone()
    torch.manual_seed(tseed)
    cell = nn.RNNCell(1, H, nonlinearity="tanh")
    out = nn.Linear(H, 1)
    with torch.no_grad():
        cell.bias_hh.zero_()
    theta0 = torch.cat([cell.weight_ih.detach().reshape(-1), cell.weight_hh.detach().reshape(-1),
                        cell.bias_ih.detach(), out.weight.detach().reshape(-1),
                        out.bias.detach()])
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, out.weight, out.bias]
    hs = [torch.zeros(N, H, requires_grad=True)]
    for t in range(T):
        h = cell(x[:, t:t + 1], hs[-1])
        h.retain_grad()
        hs.append(h)
    z = out(hs[-1])[:, 0]
    f = nn.functional.mse_loss(z, y)
    f.backward()
    grad = torch.cat([p.grad.reshape(-1) for p in params])
    hnorm = [float(h.grad.norm()) for h in hs]
    spec = "rnn:hidden=%d,steps=%d,recall=%d,sequences=%d,seed=%d" % (H, T, recall, N, seed)
    write(name, ["spec\t" + spec, "n\t%d" % theta0.numel(), "theta0\t" + fmt(theta0),
                 "x00\t" + fmt(x[0, :3]), "f\t" + repr(float(f)), "grad\t" + fmt(grad),
                 "hnorm\t" + fmt(hnorm)])
    print("%-20s n = %5d  f = %.6g  |df/dh_0| / |df/dh_T| = %.3g" % (name, theta0.numel(),
                                                                      float(f),
                                                                      hnorm[0] / hnorm[-1]))


def main():
    mlp_case(1, "mlp-tanh-30", "models_reg.csv", [12] * 30, "tanh", "mse")
    mlp_case(2, "mlp-relu-49", "models_bin.csv", [8] * 49, "relu", "bce")
    mlp_case(3, "mlp-sigmoid-20", "models_reg.csv", [10] * 20, "sigmoid", "mse")
    rnn_case(4, "rnn-8", 8, 20, 1, 64, 1)
    rnn_case(5, "rnn-5-recall", 5, 12, 4, 30, 7)
    stats_case(6, "stats-tanh", "models_reg.csv", [16, 16, 16], "tanh", "mse", 0.0, 3.0)
    stats_case(7, "stats-sigmoid", "models_bin.csv", [12] * 4, "sigmoid", "bce", 0.0, 6.0)
    stats_case(8, "stats-relu", "models_bin.csv", [6] * 12, "relu", "bce", 0.01, 1.0)
    stats_case(9, "stats-leaky-relu", "models_reg.csv", [6] * 10, "leaky-relu", "mse", 0.0, 1.0)
    stats_case(10, "stats-linear", "models_reg.csv", [5, 5], "linear", "mse", 0.0, 1.0)


if __name__ == "__main__":
    main()
