/* levy13.c — Lévy function N. 13
 *
 *     f(x, y) = sin^2(3 pi x) + (x - 1)^2 [1 + sin^2(3 pi y)] + (y - 1)^2 [1 + sin^2(2 pi y)]
 *
 * Global minimum f = 0 at (1, 1) (Hessian diag(2 + 18 pi^2, 2)), surrounded by a grid of
 * local minima with spacing ~1/3 in x: a rugged landscape. Only the global minimum is
 * listed; the local minima and saddles are too many to tabulate.
 *
 * Reference: Surjanovic & Bingham, Virtual Library of Simulation Experiments, SFU,
 * https://www.sfu.ca/~ssurjano/levy13.html (domain [-10, 10]^2); after A. V. Levy,
 * A. Montalvo, "The tunneling algorithm for the global minimization of functions", SIAM J.
 * Sci. Stat. Comput. 6(1), 1985.
 */
#include <math.h>

#include "landscape.h"

#define LEVY_PI 3.14159265358979323846

static double levy13_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double s3x = sin(3 * LEVY_PI * x[0]), s3y = sin(3 * LEVY_PI * x[1]);
    const double s2y = sin(2 * LEVY_PI * x[1]);
    const double a = x[0] - 1.0, b = x[1] - 1.0;
    return s3x * s3x + a * a * (1.0 + s3y * s3y) + b * b * (1.0 + s2y * s2y);
}

/* df/dx = 3 pi sin(6 pi x) + 2 (x-1) [1 + sin^2(3 pi y)]
 * df/dy = 3 pi (x-1)^2 sin(6 pi y) + 2 (y-1) [1 + sin^2(2 pi y)] + 2 pi (y-1)^2 sin(4 pi y)
 * (d/dt sin^2(kt) = k sin(2kt)) */
static double levy13_fdf(const lsc_params *p, const void *state, int n, const double *x,
                         double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double s3x = sin(3 * LEVY_PI * x[0]), s3y = sin(3 * LEVY_PI * x[1]);
    const double s2y = sin(2 * LEVY_PI * x[1]);
    const double a = x[0] - 1.0, b = x[1] - 1.0;
    g[0] = 3 * LEVY_PI * sin(6 * LEVY_PI * x[0]) + 2.0 * a * (1.0 + s3y * s3y);
    g[1] = 3 * LEVY_PI * a * a * sin(6 * LEVY_PI * x[1]) + 2.0 * b * (1.0 + s2y * s2y)
           + 2 * LEVY_PI * b * b * sin(4 * LEVY_PI * x[1]);
    return s3x * s3x + a * a * (1.0 + s3y * s3y) + b * b * (1.0 + s2y * s2y);
}

/* f_xx = 18 pi^2 cos(6 pi x) + 2 [1 + sin^2(3 pi y)]
 * f_xy = 6 pi (x-1) sin(6 pi y)
 * f_yy = 18 pi^2 (x-1)^2 cos(6 pi y) + 2 [1 + sin^2(2 pi y)] + 8 pi (y-1) sin(4 pi y)
 *        + 8 pi^2 (y-1)^2 cos(4 pi y) */
static void levy13_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)p;
    (void)state;
    (void)n;
    const double s3y = sin(3 * LEVY_PI * x[1]), s2y = sin(2 * LEVY_PI * x[1]);
    const double a = x[0] - 1.0, b = x[1] - 1.0, pi2 = LEVY_PI * LEVY_PI;
    H[0] = 18 * pi2 * cos(6 * LEVY_PI * x[0]) + 2.0 * (1.0 + s3y * s3y);
    H[1] = H[2] = 6 * LEVY_PI * a * sin(6 * LEVY_PI * x[1]);
    H[3] = 18 * pi2 * a * a * cos(6 * LEVY_PI * x[1]) + 2.0 * (1.0 + s2y * s2y)
           + 8 * LEVY_PI * b * sin(4 * LEVY_PI * x[1]) + 8 * pi2 * b * b * cos(4 * LEVY_PI * x[1]);
}

/* (-7, 8): far corner, many local minima in between; (4, -3): lower right; (1.5, 1.5):
 * close to the global minimum, among its neighbours. */
static const double levy13_starts[] = {-7.0, 8.0, 4.0, -3.0, 1.5, 1.5};

/* tests/ref/landscape2d_critical.py levy13: the global minimum (eigenvalues 2, 2 + 18 pi^2) */
static const lsc_critical2 levy13_critical[] = {
    {LSC_CP_MIN, {1.0, 1.0}, 0.0, 2.0, 179.65287921960845, 0.0},
};

const lsc_landscape_type lsc_landscape_levy13 = {
    .name = "levy13",
    .summary = "Levy N.13: rugged grid of local minima around the minimum at (1, 1)",
    .formula = "f(x, y) = sin^2(3 pi x) + (x-1)^2 [1 + sin^2(3 pi y)] + (y-1)^2 "
               "[1 + sin^2(2 pi y)]   (minimum f = 0 at (1, 1))",
    .citation = "SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham), Levy "
                "function N. 13; after Levy & Montalvo, SIAM J. Sci. Stat. Comput. 6(1), 1985",
    .dim = 2,
    .log_color = 1,
    .f = levy13_f,
    .fdf = levy13_fdf,
    .hess = levy13_hess,
    .lo = {-10.0, -10.0},
    .hi = {10.0, 10.0},
    .starts = levy13_starts,
    .nstarts = LSC_COUNTOF(levy13_starts) / 2,
    .critical_table = levy13_critical,
    .ncritical_table = LSC_COUNTOF(levy13_critical),
};
