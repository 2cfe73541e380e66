/* branin.c — the Branin (Branin–Hoo) function, standard constants
 *
 *     f(x, y) = a (y - b x^2 + c x - r)^2 + s (1 - t) cos(x) + s
 *     a = 1, b = 5.1/(4 pi^2), c = 5/pi, r = 6, s = 10, t = 1/(8 pi)
 *
 * Three global minima f = s t = 10/(8 pi) = 0.397887... at (-pi, 12.275), (pi, 2.275) and
 * (3 pi, 2.475). Closed form: df/dy = 2a Y (Y = y - b x^2 + c x - r) vanishes only on the
 * curve Y = 0, where df/dx = -s (1 - t) sin x, so the critical points are x = k pi on that
 * curve: in the SFU domain x in [-5, 10], y in [0, 15] the three minima (k odd) and two
 * saddles (0, 6) and (2 pi, 1.1) with f = 20 - 10/(8 pi).
 *
 * Reference: F. H. Branin, "Widely convergent method for finding multiple solutions of
 * simultaneous nonlinear equations", IBM J. Res. Dev. 16(5), 504-522, 1972; constants as
 * in L. C. W. Dixon, G. P. Szegö, Towards Global Optimisation 2, 1978, and Surjanovic &
 * Bingham, Virtual Library of Simulation Experiments, SFU,
 * https://www.sfu.ca/~ssurjano/branin.html
 */
#include <math.h>

#include "landscape.h"

#define BRANIN_PI 3.14159265358979323846
#define BR_A 1.0
#define BR_B (5.1 / (4.0 * BRANIN_PI * BRANIN_PI))
#define BR_C (5.0 / BRANIN_PI)
#define BR_R 6.0
#define BR_S 10.0
#define BR_T (1.0 / (8.0 * BRANIN_PI))

/* Y = y - b x^2 + c x - r,  f = a Y^2 + s (1 - t) cos x + s */
static double branin_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double Y = x[1] - BR_B * x[0] * x[0] + BR_C * x[0] - BR_R;
    return BR_A * Y * Y + BR_S * (1.0 - BR_T) * cos(x[0]) + BR_S;
}

/* df/dx = 2a Y (c - 2b x) - s (1 - t) sin x,  df/dy = 2a Y */
static double branin_fdf(const lsc_params *p, const void *state, int n, const double *x,
                         double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double Y = x[1] - BR_B * x[0] * x[0] + BR_C * x[0] - BR_R;
    g[0] = 2.0 * BR_A * Y * (BR_C - 2.0 * BR_B * x[0]) - BR_S * (1.0 - BR_T) * sin(x[0]);
    g[1] = 2.0 * BR_A * Y;
    return BR_A * Y * Y + BR_S * (1.0 - BR_T) * cos(x[0]) + BR_S;
}

/* f_xx = 2a (c - 2b x)^2 - 4ab Y - s (1 - t) cos x,  f_xy = 2a (c - 2b x),  f_yy = 2a */
static void branin_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)p;
    (void)state;
    (void)n;
    const double Y = x[1] - BR_B * x[0] * x[0] + BR_C * x[0] - BR_R;
    const double Yx = BR_C - 2.0 * BR_B * x[0];
    H[0] = 2.0 * BR_A * Yx * Yx - 4.0 * BR_A * BR_B * Y - BR_S * (1.0 - BR_T) * cos(x[0]);
    H[1] = H[2] = 2.0 * BR_A * Yx;
    H[3] = 2.0 * BR_A;
}

/* (-2, 2): lower left, below the valley; (5, 12): top middle, above the saddle (2 pi, 1.1);
 * (9, 12): top right. */
static const double branin_starts[] = {-2.0, 2.0, 5.0, 12.0, 9.0, 12.0};

/* tests/ref/landscape2d_critical.py branin (closed forms x = k pi, y = b x^2 - c x + r) */
static const lsc_critical2 branin_critical[] = {
    {LSC_CP_MIN, {-3.141592653589793, 12.275}, 0.3978873577297383, 0.8614951603679563,
     22.291739023047022, 1e-14},
    {LSC_CP_MIN, {3.141592653589793, 2.275}, 0.3978873577297383, 1.7322622632530167,
     11.08621118864351, 3e-15},
    {LSC_CP_MIN, {9.42477796076938, 2.475}, 0.3978873577297383, 1.6949573849279933,
     11.330211281598903, 9e-15},
    {LSC_CP_SADDLE, {0.0, 6.0}, 19.60211264227026, -5.830056659036984, 3.294003198883611,
     0.0},
    {LSC_CP_SADDLE, {6.283185307179586, 1.1}, 19.60211264227026, -9.600435588870164,
     2.0003493702727493, 6e-15},
};

const lsc_landscape_type lsc_landscape_branin = {
    .name = "branin",
    .summary = "three global minima along a curved valley (Branin 1972)",
    .formula = "f(x, y) = a (y - b x^2 + c x - r)^2 + s (1 - t) cos x + s,  a = 1, "
               "b = 5.1/(4 pi^2), c = 5/pi, r = 6, s = 10, t = 1/(8 pi)   (minima "
               "f = 10/(8 pi) = 0.397887 at (-pi, 12.275), (pi, 2.275), (3 pi, 2.475))",
    .citation = "F. H. Branin, IBM J. Res. Dev. 16(5), 1972; constants and domain as in "
                "Dixon & Szego 1978 and the SFU Virtual Library (Surjanovic & Bingham)",
    .dim = 2,
    .log_color = 1,
    .f = branin_f,
    .fdf = branin_fdf,
    .hess = branin_hess,
    .lo = {-5.0, 0.0},
    .hi = {10.0, 15.0},
    .starts = branin_starts,
    .nstarts = LSC_COUNTOF(branin_starts) / 2,
    .critical_table = branin_critical,
    .ncritical_table = LSC_COUNTOF(branin_critical),
};
