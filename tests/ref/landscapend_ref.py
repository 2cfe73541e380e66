#!/usr/bin/python3
"""Reference numbers for tests/test_landscape_nd.c (n-D landscape families).

Run with Debian's python3 (mpmath, torch):

    /usr/bin/python3 tests/ref/landscapend_ref.py

prints C initialisers, pasted into the test file:
  - the second minimum of the extended Rosenbrock function (a = 1, b = 100) for
    n = 4..7, polished by mpmath.findroot at 50 digits from (-1, 1, ..., 1);
  - the 21 roots of 2x + 20 pi sin(2 pi x) (Rastrigin) in [-5.12, 5.12], 50 digits;
  - the roots of 4x^3 - 32x + 5 (Styblinski-Tang), 50 digits;
  - deep-linear (depth 3, width 2, target 3;1) and octopus (d = 3, tau = L = e, gamma = 1)
    value, gradient and Hessian at fixed points by torch autograd in float64, from the
    formulas written again here (not from the C code).
"""
import math

import mpmath as mp
import torch

mp.mp.dps = 50
torch.set_default_dtype(torch.float64)


def c(v):
    return repr(float(v))


def rosenbrock_second_minimum(n):
    """Newton's method at 50 digits with the exact tridiagonal Hessian."""
    def grad(x):
        g = [mp.mpf(0)] * n
        for i in range(n - 1):
            t = x[i + 1] - x[i] ** 2
            g[i] += -400 * x[i] * t - 2 * (1 - x[i])
            g[i + 1] += 200 * t
        return g

    def hess(x):
        H = mp.zeros(n, n)
        for i in range(n):
            if i < n - 1:
                H[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
                H[i, i + 1] = H[i + 1, i] = -400 * x[i]
            if i > 0:
                H[i, i] += 200
        return H
    x = [mp.mpf(-1)] + [mp.mpf(1)] * (n - 1)
    for _ in range(100):
        step = mp.lu_solve(hess(x), mp.matrix(grad(x)))
        x = [x[i] - step[i] for i in range(n)]
        if mp.norm(step) < mp.mpf(10) ** (-45):
            break
    assert max(abs(v) for v in grad(x)) < mp.mpf(10) ** (-40)
    f = sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1))
    return x, f


def rastrigin_roots():
    h = lambda t: 2 * t + 20 * mp.pi * mp.sin(2 * mp.pi * t)
    guesses = [0] + [s * k for k in range(1, 6) for s in (1, -1)] \
        + [s * (k + mp.mpf(1) / 2) for k in range(5) for s in (1, -1)]
    return [mp.findroot(h, g) for g in guesses]


def styblinski_roots():
    return sorted(mp.polyroots([4, 0, -32, 5], maxsteps=200, extraprec=200))


def deep_linear(x, L=3, w=2, s=(3.0, 1.0)):
    P = torch.eye(w)
    for l in range(L):
        P = x[l * w * w:(l + 1) * w * w].reshape(w, w) @ P
    return 0.5 * ((P - torch.diag(torch.tensor(s))) ** 2).sum()


def octopus(x, tau=math.e, L=math.e, gam=1.0):
    d = x.shape[0]
    a = x.abs()

    def g1(t):
        u = t - tau
        return -gam * t ** 2 + (-14 * L + 10 * gam) / (3 * tau) * u ** 3 \
            + (5 * L - 3 * gam) / (2 * tau ** 2) * u ** 4

    def g2(t):
        u = t - 2 * tau
        return -gam - 10 * (L + gam) / tau ** 3 * u ** 3 - 15 * (L + gam) / tau ** 4 * u ** 4 \
            - 6 * (L + gam) / tau ** 5 * u ** 5
    nu = -g1(torch.tensor(2 * tau)) + 4 * L * tau ** 2
    i = next((j for j in range(d) if a[j] <= 2 * tau), d)  # 0-based
    assert all(a[j] <= tau for j in range(i + 1, d))
    f = sum(L * (a[j] - 4 * tau) ** 2 for j in range(i))
    if i == d:
        return f - d * nu
    if a[i] <= tau:
        f = f - gam * a[i] ** 2 + sum(L * a[j] ** 2 for j in range(i + 1, d))
    elif i < d - 1:
        f = f + g1(a[i]) + g2(a[i]) * a[i + 1] ** 2 + sum(L * a[j] ** 2 for j in range(i + 2, d))
    else:
        f = f + g1(a[i])
    return f - i * nu


def autograd_case(fn, point):
    x = torch.tensor(point, requires_grad=True)
    f = fn(x)
    g, = torch.autograd.grad(f, x)
    H = torch.autograd.functional.hessian(fn, torch.tensor(point))
    return float(f), [float(v) for v in g], [float(v) for v in H.flatten()]


def main():
    print('/* Rosenbrock second minimum, n = 4..7: x[0..n-1], f */')
    for n in range(4, 8):
        x, f = rosenbrock_second_minimum(n)
        print('{%d, {%s}, %s},' % (n, ', '.join(c(v) for v in x), c(f)))
    print('/* Rastrigin roots */')
    print(', '.join(c(r) for r in rastrigin_roots()))
    print('/* Styblinski-Tang roots */')
    print(', '.join(c(r) for r in styblinski_roots()))
    cases = [
        ('deep-linear:depth=3,width=2,target=3;1', deep_linear,
         [0.3, -0.2, 0.5, 0.1, -0.4, 0.7, 0.2, 0.6, 0.9, -0.3, 0.25, 0.45]),
        ('octopus (a_1 <= tau)', octopus, [1.1, -0.4, 0.3]),
        ('octopus (tau < a_1 <= 2tau)', octopus, [-4.0, 0.9, -0.6]),
        ('octopus (tau < a_2 <= 2tau)', octopus, [9.5, 3.9, -1.2]),
        ('octopus (tau < a_3 <= 2tau)', octopus, [12.0, -8.0, 4.5]),
        ('octopus (all > 2tau)', octopus, [12.0, -8.0, 6.0]),
    ]
    for name, fn, pt in cases:
        f, g, H = autograd_case(fn, pt)
        print('/* %s at %s */' % (name, pt))
        print('f = %s' % c(f))
        print('g = {%s}' % ', '.join(c(v) for v in g))
        print('H = {%s}' % ', '.join(c(v) for v in H))


if __name__ == '__main__':
    main()
