/* monkey_saddle.c — the monkey saddle x³ − 3xy²
 *
 *     f(x, y) = x^3 - 3 x y^2 = Re (x + iy)^3 = r^3 cos 3θ
 *
 * Three valleys (θ = 60°, 180°, 300°) and three ridges meet at the origin, where the
 * gradient and the Hessian both vanish: a degenerate critical point that no second-order
 * test classifies (the Hessian [[6x, -6y], [-6y, -6x]] is 0 there). Gradient descent from
 * (1, 0) on the ridge slows down like 1/t as it approaches the origin; off the ridge it
 * slides into a valley. Unbounded below.
 *
 * Reference: e.g. J. Stewart, Calculus (the standard degenerate saddle); Dauphin et al.,
 * NIPS 2014 discuss such degenerate saddles for optimization.
 */
#include "landscape.h"

/* f = x^3 - 3 x y^2 */
static double monkey_saddle_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    return x[0] * (x[0] * x[0] - 3.0 * x[1] * x[1]);
}

/* grad f = (3x^2 - 3y^2, -6xy) */
static double monkey_saddle_fdf(const lsc_params *p, const void *state, int n,
                                const double *x, double *g)
{
    (void)p;
    (void)state;
    (void)n;
    g[0] = 3.0 * (x[0] * x[0] - x[1] * x[1]);
    g[1] = -6.0 * x[0] * x[1];
    return x[0] * (x[0] * x[0] - 3.0 * x[1] * x[1]);
}

/* H = [[6x, -6y], [-6y, -6x]] */
static void monkey_saddle_hess(const lsc_params *p, const void *state, int n, const double *x,
                               double *H)
{
    (void)p;
    (void)state;
    (void)n;
    H[0] = 6.0 * x[0];
    H[1] = H[2] = -6.0 * x[1];
    H[3] = -6.0 * x[0];
}

/* (1, 0): on the ridge y = 0, creeps towards the origin; (1, 0.1): slides into the valley
 * at 60° after a while; (-0.5, 1): on a slope. */
static const double monkey_saddle_starts[] = {1.0, 0.0, 1.0, 0.1, -0.5, 1.0};

/* tests/ref/landscape2d_critical.py monkey-saddle: the origin is the only critical point. */
static const lsc_critical2 monkey_saddle_critical[] = {
    {LSC_CP_DEGENERATE, {0.0, 0.0}, 0.0, 0.0, 0.0, 0.0},
};

const lsc_landscape_type lsc_landscape_monkey_saddle = {
    .name = "monkey-saddle",
    .summary = "degenerate saddle x^3 - 3xy^2: three valleys, zero Hessian at the origin",
    .formula = "f(x, y) = x^3 - 3 x y^2   (degenerate critical point at the origin: "
               "gradient and Hessian both 0)",
    .citation = "classical (Re z^3); e.g. Dauphin et al., NIPS 2014, on degenerate saddles",
    .dim = 2,
    .f = monkey_saddle_f,
    .fdf = monkey_saddle_fdf,
    .hess = monkey_saddle_hess,
    .lo = {-1.5, -1.5},
    .hi = {1.5, 1.5},
    .starts = monkey_saddle_starts,
    .nstarts = LSC_COUNTOF(monkey_saddle_starts) / 2,
    .critical_table = monkey_saddle_critical,
    .ncritical_table = LSC_COUNTOF(monkey_saddle_critical),
};
