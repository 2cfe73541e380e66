/* booth.c — Booth's function
 *
 *     f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2
 *
 * A convex quadratic: minimum f = 0 at (1, 3), constant Hessian [[10, 8], [8, 10]] with
 * eigenvalues 2 (along (1, -1)) and 18 (along (1, 1)), condition number 9.
 *
 * Reference: Surjanovic & Bingham, Virtual Library of Simulation Experiments, SFU,
 * https://www.sfu.ca/~ssurjano/booth.html (domain [-10, 10]^2); M. Jamil, X.-S. Yang, "A
 * literature survey of benchmark functions for global optimization problems", Int. J.
 * Math. Model. Numer. Optim. 4(2), 2013.
 */
#include "landscape.h"

/* A = x + 2y - 7, B = 2x + y - 5, f = A^2 + B^2 */
static double booth_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] + 2.0 * x[1] - 7.0, b = 2.0 * x[0] + x[1] - 5.0;
    return a * a + b * b;
}

/* grad f = (2A + 4B, 4A + 2B) */
static double booth_fdf(const lsc_params *p, const void *state, int n, const double *x,
                        double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] + 2.0 * x[1] - 7.0, b = 2.0 * x[0] + x[1] - 5.0;
    g[0] = 2.0 * a + 4.0 * b;
    g[1] = 4.0 * a + 2.0 * b;
    return a * a + b * b;
}

/* H = [[10, 8], [8, 10]] */
static void booth_hess(const lsc_params *p, const void *state, int n, const double *x,
                       double *H)
{
    (void)p;
    (void)state;
    (void)n;
    (void)x;
    H[0] = H[3] = 10.0;
    H[1] = H[2] = 8.0;
}

/* (-8, -8) and (8, 8): along the stiff direction; (-7, 9): along the flat one. */
static const double booth_starts[] = {-8.0, -8.0, 8.0, 8.0, -7.0, 9.0};

/* tests/ref/landscape2d_critical.py booth */
static const lsc_critical2 booth_critical[] = {
    {LSC_CP_MIN, {1.0, 3.0}, 0.0, 2.0, 18.0, 0.0},
};

const lsc_landscape_type lsc_landscape_booth = {
    .name = "booth",
    .summary = "convex quadratic, minimum at (1, 3), condition number 9",
    .formula = "f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2   (minimum f = 0 at (1, 3))",
    .citation = "SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham); "
                "Jamil & Yang, IJMMNO 4(2), 2013",
    .dim = 2,
    .log_color = 1,
    .f = booth_f,
    .fdf = booth_fdf,
    .hess = booth_hess,
    .lo = {-10.0, -10.0},
    .hi = {10.0, 10.0},
    .starts = booth_starts,
    .nstarts = LSC_COUNTOF(booth_starts) / 2,
    .critical_table = booth_critical,
    .ncritical_table = LSC_COUNTOF(booth_critical),
};
