/* himmelblau.c — Himmelblau's function
 *
 *     f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2
 *
 * Four global minima with f = 0 — (3, 2) exactly, the other three irrational — four
 * saddles and one local maximum near (-0.2708, -0.9230) with f = 181.617. The nine points
 * are all the critical points of f (the real solutions of grad f = 0); they lie in the
 * plot box [-5, 5]^2 (the SFU library has no page for this function; [-5, 5]^2 is the
 * usual domain).
 *
 * Reference: D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill, 1972.
 */
#include "landscape.h"

/* A = x^2 + y - 11, B = x + y^2 - 7, f = A^2 + B^2 */
static double himmelblau_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    return a * a + b * b;
}

/* df/dx = 4xA + 2B, df/dy = 2A + 4yB */
static double himmelblau_fdf(const lsc_params *p, const void *state, int n, const double *x,
                             double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    g[0] = 4.0 * x[0] * a + 2.0 * b;
    g[1] = 2.0 * a + 4.0 * x[1] * b;
    return a * a + b * b;
}

/* f_xx = 4A + 8x^2 + 2, f_xy = 4(x + y), f_yy = 4B + 8y^2 + 2 */
static void himmelblau_hess(const lsc_params *p, const void *state, int n, const double *x,
                            double *H)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    H[0] = 4.0 * a + 8.0 * x[0] * x[0] + 2.0;
    H[1] = H[2] = 4.0 * (x[0] + x[1]);
    H[3] = 4.0 * b + 8.0 * x[1] * x[1] + 2.0;
}

/* (0, 0) rolls to (3, 2); (-1, 0.5) and (0.5, -4) to other minima; (-0.5, -1) starts next
 * to the maximum. */
static const double himmelblau_starts[] = {0.0, 0.0, -1.0, 0.5, 0.5, -4.0, -0.5, -1.0};

/* All nine critical points: tests/ref/landscape2d_critical.py himmelblau
 * (Newton in 60-digit arithmetic; count checked against the real solutions of grad f = 0). */
static const lsc_critical2 himmelblau_critical[] = {
    {LSC_CP_MIN, {3.0, 2.0}, 0.0, 25.715728752538098, 82.2842712474619, 0.0},
    {LSC_CP_MIN, {-2.805118086952745, 3.131312518250573}, 0.0, 64.8403727706842,
     80.55007177893319, 3e-15},
    {LSC_CP_MIN, {3.5844283403304917, -1.8481265269644036}, 0.0, 28.690677156755243,
     105.41890833631605, 4e-15},
    {LSC_CP_MIN, {-3.779310253377747, -3.2831859912861696}, 0.0, 70.71435474424425,
     133.78561521306708, 4e-15},
    {LSC_CP_SADDLE, {3.385154183607021, 0.07385187983774928}, 13.31192627040559,
     -14.135178485450488, 97.5478781026018, 3e-15},
    {LSC_CP_SADDLE, {0.08667750455539636, 2.884254701174776}, 67.71915008752615,
     -31.706622362774343, 75.507609238232, 3e-15},
    {LSC_CP_SADDLE, {-3.0730257507643897, -0.08135304428796751}, 104.0151629175581,
     -39.65149625621665, 72.43524806811875, 3e-15},
    {LSC_CP_SADDLE, {-0.12796134673068008, -1.9537149802445763}, 178.33723920192747,
     -50.610239320365764, 20.284049975935076, 2e-15},
    {LSC_CP_MAX, {-0.2708445906673476, -0.9230385564799815}, 181.6165215225827,
     -45.60522929278952, -16.066019667290867, 1e-15},
};

const lsc_landscape_type lsc_landscape_himmelblau = {
    .name = "himmelblau",
    .summary = "four equal minima, four saddles and a maximum (Himmelblau 1972)",
    .formula = "f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2   (minima f = 0 at (3, 2), "
               "(-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848127))",
    .citation = "D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill, 1972",
    .dim = 2,
    .log_color = 1,
    .f = himmelblau_f,
    .fdf = himmelblau_fdf,
    .hess = himmelblau_hess,
    .lo = {-5.0, -5.0},
    .hi = {5.0, 5.0},
    .starts = himmelblau_starts,
    .nstarts = LSC_COUNTOF(himmelblau_starts) / 2,
    .critical_table = himmelblau_critical,
    .ncritical_table = LSC_COUNTOF(himmelblau_critical),
};
