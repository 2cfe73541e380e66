/* saddle.c — the quadratic saddle ½(x² − y²)
 *
 *     f(x, y) = 1/2 (x^2 - y^2)
 *
 * The simplest strict saddle: a minimum along x, a maximum along y, Hessian diag(1, -1)
 * everywhere. Gradient descent from (x0, y0) contracts x by (1 - lr) and grows y by
 * (1 + lr) per step, so a start close to the stable manifold y = 0 lingers near the
 * saddle for about log(1/|y0|)/lr steps; a start on it (y0 = 0) converges to the saddle.
 * Unbounded below.
 *
 * Reference: Dauphin et al., "Identifying and attacking the saddle point problem in
 * high-dimensional non-convex optimization", NIPS 2014 (the textbook 2-D saddle).
 */
#include "landscape.h"

/* f = (x^2 - y^2)/2 */
static double saddle_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    return 0.5 * (x[0] * x[0] - x[1] * x[1]);
}

/* grad f = (x, -y) */
static double saddle_fdf(const lsc_params *p, const void *state, int n, const double *x,
                         double *g)
{
    (void)p;
    (void)state;
    (void)n;
    g[0] = x[0];
    g[1] = -x[1];
    return 0.5 * (x[0] * x[0] - x[1] * x[1]);
}

/* H = diag(1, -1) */
static void saddle_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)p;
    (void)state;
    (void)n;
    (void)x;
    H[0] = 1.0;
    H[1] = H[2] = 0.0;
    H[3] = -1.0;
}

/* (1.5, 1e-3): just off the stable manifold, escapes after ~log(1000)/lr steps;
 * (1.5, 0): on it, plain GD converges to the saddle (noise or perturbation escapes);
 * (-1, 1): far from it. */
static const double saddle_starts[] = {1.5, 1e-3, 1.5, 0.0, -1.0, 1.0};

/* tests/ref/landscape2d_critical.py saddle */
static const lsc_critical2 saddle_critical[] = {
    {LSC_CP_SADDLE, {0.0, 0.0}, 0.0, -1.0, 1.0, 0.0},
};

const lsc_landscape_type lsc_landscape_saddle = {
    .name = "saddle",
    .summary = "strict quadratic saddle 1/2 (x^2 - y^2) (unbounded below)",
    .formula = "f(x, y) = 1/2 (x^2 - y^2)   (saddle at the origin, Hessian diag(1, -1))",
    .citation = "textbook strict saddle; e.g. Dauphin et al., NIPS 2014",
    .dim = 2,
    .f = saddle_f,
    .fdf = saddle_fdf,
    .hess = saddle_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .starts = saddle_starts,
    .nstarts = LSC_COUNTOF(saddle_starts) / 2,
    .critical_table = saddle_critical,
    .ncritical_table = LSC_COUNTOF(saddle_critical),
};
