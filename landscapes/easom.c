/* easom.c — Easom's function
 *
 *     f(x, y) = -cos(x) cos(y) exp(-((x - pi)^2 + (y - pi)^2))
 *
 * A needle: minimum f = -1 at (pi, pi) (Hessian 3 I) in a plateau where f and its gradient
 * are below 1e-10 once |(x, y) - (pi, pi)| > 5, and exactly 0 in double precision beyond
 * ~27. The plot box is the SFU domain [-100, 100]^2, in which the well is a dot: zoom with
 * the plot's view box (e.g. [0, 6]^2). Only the global minimum is listed (the ripples of
 * cos x cos y make infinitely many tiny critical points).
 *
 * Reference: E. E. Easom, "A survey of global optimization techniques", M. Eng. thesis,
 * University of Louisville, 1990; Surjanovic & Bingham, Virtual Library of Simulation
 * Experiments, SFU, https://www.sfu.ca/~ssurjano/easom.html
 */
#include <math.h>

#include "landscape.h"

#define EASOM_PI 3.14159265358979323846

/* f = -cos x cos y E,  E = exp(-(u^2 + v^2)),  u = x - pi, v = y - pi */
static double easom_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double u = x[0] - EASOM_PI, v = x[1] - EASOM_PI;
    return -cos(x[0]) * cos(x[1]) * exp(-(u * u + v * v));
}

/* df/dx = E cos y (sin x + 2u cos x),  df/dy = E cos x (sin y + 2v cos y) */
static double easom_fdf(const lsc_params *p, const void *state, int n, const double *x,
                        double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double u = x[0] - EASOM_PI, v = x[1] - EASOM_PI;
    const double e = exp(-(u * u + v * v));
    const double c1 = cos(x[0]), s1 = sin(x[0]), c2 = cos(x[1]), s2 = sin(x[1]);
    g[0] = e * c2 * (s1 + 2.0 * u * c1);
    g[1] = e * c1 * (s2 + 2.0 * v * c2);
    return -c1 * c2 * e;
}

/* f_xx = E cos y (3 cos x - 4u sin x - 4u^2 cos x)
 * f_xy = -E (sin x + 2u cos x)(sin y + 2v cos y)
 * f_yy = E cos x (3 cos y - 4v sin y - 4v^2 cos y) */
static void easom_hess(const lsc_params *p, const void *state, int n, const double *x,
                       double *H)
{
    (void)p;
    (void)state;
    (void)n;
    const double u = x[0] - EASOM_PI, v = x[1] - EASOM_PI;
    const double e = exp(-(u * u + v * v));
    const double c1 = cos(x[0]), s1 = sin(x[0]), c2 = cos(x[1]), s2 = sin(x[1]);
    H[0] = e * c2 * (3.0 * c1 - 4.0 * u * s1 - 4.0 * u * u * c1);
    H[1] = H[2] = -e * (s1 + 2.0 * u * c1) * (s2 + 2.0 * v * c2);
    H[3] = e * c1 * (3.0 * c2 - 4.0 * v * s2 - 4.0 * v * v * c2);
}

/* (2, 2): on the side of the well (|grad f| ~ 0.08); (1, 4.5): low on the rim
 * (|grad f| ~ 1e-3); (0, 0): at the edge of the plateau (|grad f| ~ 2e-8): a test for
 * adaptive methods. */
static const double easom_starts[] = {2.0, 2.0, 1.0, 4.5, 0.0, 0.0};

/* tests/ref/landscape2d_critical.py easom: the global minimum (Hessian 3 I) */
static const lsc_critical2 easom_critical[] = {
    {LSC_CP_MIN, {3.141592653589793, 3.141592653589793}, -1.0, 3.0, 3.0, 3e-15},
};

const lsc_landscape_type lsc_landscape_easom = {
    .name = "easom",
    .summary = "a needle well at (pi, pi) in a flat plateau (zoom: domain is [-100, 100]^2)",
    .formula = "f(x, y) = -cos(x) cos(y) exp(-((x - pi)^2 + (y - pi)^2))   "
               "(minimum f = -1 at (pi, pi))",
    .citation = "E. E. Easom, M. Eng. thesis, University of Louisville, 1990; domain from "
                "the SFU Virtual Library (Surjanovic & Bingham)",
    .dim = 2,
    .f = easom_f,
    .fdf = easom_fdf,
    .hess = easom_hess,
    .lo = {-100.0, -100.0},
    .hi = {100.0, 100.0},
    .starts = easom_starts,
    .nstarts = LSC_COUNTOF(easom_starts) / 2,
    .critical_table = easom_critical,
    .ncritical_table = LSC_COUNTOF(easom_critical),
};
