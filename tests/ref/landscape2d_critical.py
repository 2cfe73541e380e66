#!/usr/bin/python3
"""Critical points of losscape's fixed 2-D landscapes, to full double precision.

Generator of the critical-point tables in landscapes/<family>.c (lsc_critical2 rows).
Run with Debian's python3 (sympy, mpmath, numpy):

    /usr/bin/python3 tests/ref/landscape2d_critical.py [family ...]   # print the tables
    /usr/bin/python3 tests/ref/landscape2d_critical.py --check [family ...]  # compare with C
    /usr/bin/python3 tests/ref/landscape2d_critical.py --values  # reference values (tests)

For each family: a grid of Newton starts (double precision, numpy) over the plot box finds
every critical point the box holds; each one is then polished with mpmath.findroot at 60
digits, classified by the eigenvalues of its exact Hessian, and printed as a C table row
(coordinates, value, extreme Hessian eigenvalues rounded to the nearest double).  For the
polynomial landscapes the count is checked against the number of real solutions in the
box of the polynomial system grad f = 0 (lexicographic Groebner basis -> univariate
polynomial -> real roots), so the tables are complete.  Landscapes with infinitely many
critical points (Levy N.13, Easom) list their global minimum only (given as a start here).
"""
import sys

import mpmath as mp
import numpy as np
import sympy as sp

mp.mp.dps = 60
x, y = sp.symbols('x y', real=True)
R = sp.Rational
pi = sp.pi

# name: (expression, box ((xlo, xhi), (ylo, yhi)), polynomial?, explicit starts or None)
FAMILIES = {
    'saddle': (R(1, 2) * (x**2 - y**2), ((-2, 2), (-2, 2)), True, None),
    'monkey-saddle': (x**3 - 3 * x * y**2, ((-1.5, 1.5), (-1.5, 1.5)), True, None),
    'himmelblau': ((x**2 + y - 11)**2 + (x + y**2 - 7)**2, ((-5, 5), (-5, 5)), True, None),
    'beale': ((R(3, 2) - x + x * y)**2 + (R(9, 4) - x + x * y**2)**2
              + (R(21, 8) - x + x * y**3)**2, ((-4.5, 4.5), (-4.5, 4.5)), True, None),
    'booth': ((x + 2 * y - 7)**2 + (2 * x + y - 5)**2, ((-10, 10), (-10, 10)), True, None),
    'matyas': (R(26, 100) * (x**2 + y**2) - R(48, 100) * x * y, ((-10, 10), (-10, 10)), True,
               None),
    'goldstein-price': (
        (1 + (x + y + 1)**2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))
        * (30 + (2 * x - 3 * y)**2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y
                                      + 27 * y**2)), ((-2, 2), (-2, 2)), True, None),
    'six-hump-camel': ((4 - R(21, 10) * x**2 + x**4 / 3) * x**2 + x * y
                       + (-4 + 4 * y**2) * y**2, ((-3, 3), (-2, 2)), True, None),
    'three-hump-camel': (2 * x**2 - R(105, 100) * x**4 + x**6 / 6 + x * y + y**2,
                         ((-5, 5), (-5, 5)), True, None),
    'levy13': (sp.sin(3 * pi * x)**2 + (x - 1)**2 * (1 + sp.sin(3 * pi * y)**2)
               + (y - 1)**2 * (1 + sp.sin(2 * pi * y)**2), ((-10, 10), (-10, 10)), False,
               [(1, 1)]),
    'easom': (-sp.cos(x) * sp.cos(y) * sp.exp(-((x - pi)**2 + (y - pi)**2)),
              ((-100, 100), (-100, 100)), False, [(3.14, 3.14)]),
    'branin': ((y - R(51, 10) / (4 * pi**2) * x**2 + 5 / pi * x - 6)**2
               + 10 * (1 - 1 / (8 * pi)) * sp.cos(x) + 10, ((-5, 10), (0, 15)), False, None),
}

KIND = {'min': 'LSC_CP_MIN', 'max': 'LSC_CP_MAX', 'saddle': 'LSC_CP_SADDLE',
        'degenerate': 'LSC_CP_DEGENERATE'}


def bcast(nested, like):
    """Nested lists of arrays and constants (lambdify output) as one float array."""
    if isinstance(nested, (list, tuple)):
        return np.stack([bcast(e, like) for e in nested])
    return np.broadcast_to(np.asarray(nested, dtype=float), like.shape)


def grid_newton(fn_g, fn_h, box, n=301, iters=80):
    (xl, xh), (yl, yh) = box
    wx, wy = xh - xl, yh - yl
    X, Y = np.meshgrid(np.linspace(xl - 0.01 * wx, xh + 0.01 * wx, n),
                       np.linspace(yl - 0.01 * wy, yh + 0.01 * wy, n))
    P = np.stack([X.ravel(), Y.ravel()])
    with np.errstate(all='ignore'):
        for _ in range(iters):
            g = bcast(fn_g(P[0], P[1]), P[0]).reshape(2, -1)
            h = bcast(fn_h(P[0], P[1]), P[0]).reshape(2, 2, -1)
            det = h[0, 0] * h[1, 1] - h[0, 1] * h[1, 0]
            dx = (h[1, 1] * g[0] - h[0, 1] * g[1]) / det
            dy = (-h[1, 0] * g[0] + h[0, 0] * g[1]) / det
            # limit the step to a tenth of the box, so Newton does not jump far away
            s = np.sqrt(dx * dx + dy * dy)
            lim = 0.1 * max(wx, wy)
            sc = np.where(s > lim, lim / s, 1.0)
            P = P - np.stack([dx * sc, dy * sc])
        g = bcast(fn_g(P[0], P[1]), P[0]).reshape(2, -1)
    gn = np.sqrt(g[0]**2 + g[1]**2)
    ok = np.isfinite(gn) & (gn < 1e-6) & (P[0] >= xl - 1e-9) & (P[0] <= xh + 1e-9) \
        & (P[1] >= yl - 1e-9) & (P[1] <= yh + 1e-9)
    found = []
    for px, py in P[:, ok].T:
        if all(abs(px - qx) + abs(py - qy) > 1e-5 for qx, qy in found):
            found.append((px, py))
    return found


def polish(grad_mp, hess_mp, p):
    """Newton's method in 60-digit arithmetic (mpmath)."""
    v = mp.matrix([mp.mpf(p[0]), mp.mpf(p[1])])
    for _ in range(200):
        g = grad_mp(v[0], v[1])
        H = hess_mp(v[0], v[1])
        if mp.det(H) == 0:
            break  # degenerate point: only the origin of the monkey saddle, exact already
        d = mp.lu_solve(H, g)
        v = v - d
        if mp.norm(d) < mp.mpf(10)**(-55):
            break
    return v


def eig2(H):
    a, b, c = H[0, 0], H[0, 1], H[1, 1]
    m, r = (a + c) / 2, mp.sqrt(((a - c) / 2)**2 + b * b)
    return m - r, m + r


def real_count(expr, box):
    """Real solutions of grad f = 0 inside the box (polynomial f). Eliminating x (lex Groebner
    basis, x > y) gives a univariate polynomial whose real roots hold every solution's y, and
    likewise for x; every pair of real roots in the box is tested at 40 digits."""
    gx, gy = sp.diff(expr, x), sp.diff(expr, y)
    (xl, xh), (yl, yh) = box

    def roots(var, other, lo, hi):
        G = sp.groebner([gx, gy], other, var, order='lex')
        uni = [q for q in G.exprs if not q.has(other)]
        pol = sp.Poly(uni[0], var).sqf_part()
        out = []
        for r in sp.real_roots(pol):
            v = sp.N(r, 45)
            if lo - 1e-12 <= v <= hi + 1e-12:
                out.append(v)
        return out

    gxf, gyf = sp.lambdify((x, y), gx, 'mpmath'), sp.lambdify((x, y), gy, 'mpmath')
    n = 0
    for rx in roots(x, y, xl, xh):
        for ry in roots(y, x, yl, yh):
            a, b = mp.mpf(str(rx)), mp.mpf(str(ry))
            if abs(gxf(a, b)) + abs(gyf(a, b)) < mp.mpf(10)**(-25):
                n += 1
    return n


def fmt(v):
    d = float(v) if abs(v) > mp.mpf(10)**(-40) else 0.0  # exact zeros polish to ~1e-120
    s = '%.17g' % d
    for prec in (15, 16):
        t = '%.*g' % (prec, d)
        if float(t) == d:
            s = t
            break
    if 'e' not in s and '.' not in s and 'n' not in s:
        s += '.0'
    return s


def family(name):
    expr, box, poly, starts = FAMILIES[name]
    gx, gy = sp.diff(expr, x), sp.diff(expr, y)
    hxx, hxy, hyy = sp.diff(gx, x), sp.diff(gx, y), sp.diff(gy, y)
    fn_g = sp.lambdify((x, y), [gx, gy], 'numpy')
    fn_h = sp.lambdify((x, y), [[hxx, hxy], [hxy, hyy]], 'numpy')
    f_mp = sp.lambdify((x, y), expr, 'mpmath')
    g_l = sp.lambdify((x, y), [gx, gy], 'mpmath')
    h_l = sp.lambdify((x, y), [[hxx, hxy], [hxy, hyy]], 'mpmath')
    grad_mp = lambda a, b: mp.matrix(g_l(a, b))
    hess_mp = lambda a, b: mp.matrix(h_l(a, b))
    pts = starts if starts is not None else grid_newton(fn_g, fn_h, box)
    rows = []
    for p in pts:
        v = polish(grad_mp, hess_mp, p)
        assert mp.norm(grad_mp(v[0], v[1])) < mp.mpf(10)**(-40), (name, p)
        lo, hi = eig2(hess_mp(v[0], v[1]))
        scale = max(abs(lo), abs(hi), 1)
        if abs(lo) < 1e-30 * scale or abs(hi) < 1e-30 * scale:
            kind = 'degenerate'
        elif lo > 0:
            kind = 'min'
        elif hi < 0:
            kind = 'max'
        else:
            kind = 'saddle'
        fv = f_mp(v[0], v[1])
        rows.append((kind, v[0], v[1], fv, lo, hi))
    order = {'min': 0, 'saddle': 1, 'max': 2, 'degenerate': 3}
    rows.sort(key=lambda r: (order[r[0]], float(r[3]), float(r[1]), float(r[2])))
    if poly:
        cnt = real_count(expr, box)
        if cnt is not None and cnt != len(rows):
            sys.exit('%s: grid found %d critical points, algebra says %d' % (name, len(rows),
                                                                               cnt))
        note = 'complete: %d real solutions of grad f = 0 in the box' % cnt
    elif starts is None:
        note = 'grid search over the box'
    else:
        note = 'listed points only'
    out = ['/* %s: %d critical points (%s) */' % (name, len(rows), note)]
    for kind, vx, vy, fv, lo, hi in rows:
        # tol: 0 where the coordinates are doubles exactly, else a bound on the rounding
        exact = all(abs(mp.mpf(float(c)) - c) < mp.mpf(10)**(-45) for c in (vx, vy))
        tol = '0.0' if exact else '%.0e' % (1e-15 * max(1.0, abs(float(vx)), abs(float(vy))))
        out.append('    {%s, {%s, %s}, %s, %s, %s, %s},' % (KIND[kind], fmt(vx), fmt(vy),
                                                          fmt(fv), fmt(lo), fmt(hi), tol))
    return out


def check(name):
    """Compare the rows with the table in landscapes/<name>.c (whitespace ignored)."""
    import os
    import re
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'landscapes',
                        name.replace('-', '_') + '.c')
    src = re.sub(r'\s+', '', open(path).read())
    want = [re.sub(r'\s+', '', r) for r in family(name)[1:]]
    have = re.findall(r'\{LSC_CP_[A-Z]+,\{[^}]*\}[^}]*\}', src)
    ok = [w.rstrip(',') for w in want] == have
    print('%-18s %s (%d rows)' % (name, 'matches' if ok else 'DIFFERS', len(want)))
    return ok


# Reference values for tests/test_landscape.c: f at three points of each box (fractions
# of the box), evaluated at 40 digits at the exact double coordinates. Parametric families
# with their defaults.
def wells_expr(cx, cy, d, w):
    return -sum(dk * sp.exp(-((x - a)**2 + (y - b)**2) / (2 * wk**2))
                for a, b, dk, wk in zip(cx, cy, d, w))


def double_well_expr(left, right, h, s, ky):
    xi, delta, c = x / s, (left - right) / 2, -(left + right) / 2
    return h * (xi**2 - 1)**2 + delta / 2 * (3 * xi - xi**3) + c + ky / 2 * y**2


VALUES = dict((k, (v[0], v[1])) for k, v in FAMILIES.items())
VALUES['quadratic'] = (R(1, 2) * (x**2 + 10 * y**2), ((-2, 2), (-2, 2)))
VALUES['wells'] = (wells_expr([-1, 2, -R(5, 2)], [-1, -2, 2], [1, R(7, 10), R(1, 2)],
                              [1, R(6, 10), R(1, 2)]), ((-4, 4), (-4, 4)))
VALUES['double-well'] = (double_well_expr(1, R(1, 2), 1, 1, 1), ((-2.5, 2.5), (-2, 2)))
VALUES['easom'] = (VALUES['easom'][0], ((1, 5), (1, 5)))  # the SFU box is all plateau
FRACTIONS = ((0.31, 0.72), (0.64, 0.18), (0.87, 0.55))
EXTRA = {'wells': [(3.5, 3.5)], 'easom': [(-20.0, 30.0)]}  # plateau points


def values():
    print('/* f at three points per family: tests/ref/landscape2d_critical.py --values */')
    for name, (expr, box) in VALUES.items():
        fx = sp.lambdify((x, y), expr, 'mpmath')
        pts = [(box[0][0] + (box[0][1] - box[0][0]) * u, box[1][0] + (box[1][1] - box[1][0]) * v)
               for u, v in FRACTIONS] + EXTRA.get(name, [])
        for px, py in pts:
            with mp.workdps(40):
                fv = fx(mp.mpf(px), mp.mpf(py))
            print('    {"%s", {%s, %s}, %s},' % (name, fmt(mp.mpf(px)), fmt(mp.mpf(py)),
                                                  fmt(fv)))


if __name__ == '__main__':
    if sys.argv[1:] == ['--values']:
        values()
    elif sys.argv[1:2] == ['--check']:
        sys.exit(0 if all([check(n) for n in sys.argv[2:] or FAMILIES]) else 1)
    else:
        for name in sys.argv[1:] or FAMILIES:
            print('\n'.join(family(name)) + '\n')
