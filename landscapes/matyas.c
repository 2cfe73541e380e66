/* matyas.c — Matyas' function
 *
 *     f(x, y) = 0.26 (x^2 + y^2) - 0.48 x y
 *
 * A convex quadratic with a long flat valley along x = y: Hessian [[0.52, -0.48],
 * [-0.48, 0.52]] with eigenvalues 0.04 (along (1, 1)) and 1 (along (1, -1)), condition
 * number 25. Minimum f = 0 at the origin.
 *
 * Reference: J. Matyas, "Random optimization", Automation and Remote Control 26(2), 1965;
 * Surjanovic & Bingham, Virtual Library of Simulation Experiments, SFU,
 * https://www.sfu.ca/~ssurjano/matya.html (domain [-10, 10]^2).
 */
#include "landscape.h"

/* f = 0.26 (x^2 + y^2) - 0.48 x y */
static double matyas_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    return 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1];
}

/* grad f = (0.52 x - 0.48 y, 0.52 y - 0.48 x) */
static double matyas_fdf(const lsc_params *p, const void *state, int n, const double *x,
                         double *g)
{
    (void)p;
    (void)state;
    (void)n;
    g[0] = 0.52 * x[0] - 0.48 * x[1];
    g[1] = 0.52 * x[1] - 0.48 * x[0];
    return 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1];
}

/* H = [[0.52, -0.48], [-0.48, 0.52]] */
static void matyas_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)p;
    (void)state;
    (void)n;
    (void)x;
    H[0] = H[3] = 0.52;
    H[1] = H[2] = -0.48;
}

/* (-8, 6): up the steep side, then down the flat valley; (7, 9): near the valley floor,
 * far from the minimum. */
static const double matyas_starts[] = {-8.0, 6.0, 7.0, 9.0};

/* tests/ref/landscape2d_critical.py matyas */
static const lsc_critical2 matyas_critical[] = {
    {LSC_CP_MIN, {0.0, 0.0}, 0.0, 0.04, 1.0, 0.0},
};

const lsc_landscape_type lsc_landscape_matyas = {
    .name = "matyas",
    .summary = "convex quadratic with a flat valley along x = y (condition number 25)",
    .formula = "f(x, y) = 0.26 (x^2 + y^2) - 0.48 x y   (minimum f = 0 at the origin)",
    .citation = "J. Matyas, Automation and Remote Control 26(2), 1965; domain from the SFU "
                "Virtual Library (Surjanovic & Bingham)",
    .dim = 2,
    .f = matyas_f,
    .fdf = matyas_fdf,
    .hess = matyas_hess,
    .lo = {-10.0, -10.0},
    .hi = {10.0, 10.0},
    .starts = matyas_starts,
    .nstarts = LSC_COUNTOF(matyas_starts) / 2,
    .critical_table = matyas_critical,
    .ncritical_table = LSC_COUNTOF(matyas_critical),
};
