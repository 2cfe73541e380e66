/* ackley.c — the Ackley function in n dimensions
 *
 *     f(x) = -a exp(-b r) - exp(C) + a + e,
 *     r = sqrt( (1/n) sum_i x_i^2 ),   C = (1/n) sum_i cos(c x_i),   a = 20, b = 0.2, c = 2 pi
 *
 * computed as a (1 - exp(-b r)) + e (1 - exp(C - 1)) with expm1, so f(0) = 0 exactly.
 *
 * Gradient, with dr/dx_i = x_i / (n r):
 *     df/dx_i = a b exp(-b r) x_i / (n r) + (c / n) exp(C) sin(c x_i)
 * Hessian:
 *     d2f/dx_i dx_j = a b exp(-b r) [ delta_ij / (n r) - x_i x_j / (n^2 r^3)
 *                                     - b x_i x_j / (n^2 r^2) ]
 *                   + exp(C) [ (c^2 / n) cos(c x_i) delta_ij - (c^2 / n^2) sin(c x_i) sin(c x_j) ]
 *
 * At the origin r is not differentiable: f has a cone-shaped tip there (the directional
 * derivative is a b / sqrt(n) in every direction). We return the gradient 0 at exactly
 * x = 0 (the value of the smooth part; 0 is in the subdifferential, so it is the natural
 * choice for a minimiser) and a NAN Hessian. The origin is the global minimum, f = 0,
 * listed as a minimum with NAN eigenvalues (no Hessian there). The many local minima are
 * not listed.
 *
 * Reference: D. H. Ackley, A connectionist machine for genetic hillclimbing, Kluwer, 1987;
 * n-D form and domain [-32.768, 32.768]^n as in the SFU library (T. Back, Evolutionary
 * Algorithms in Theory and Practice, 1996).
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

#define AK_PI 3.14159265358979323846
#define AK_E 2.71828182845904523536

enum { P_A, P_B, P_C };

static const lsc_param_desc ackley_params[] = {
    [P_A] = {"a", LSC_PARAM_REAL, 20.0, 0, 1e6, 0, "depth of the outer funnel", NULL},
    [P_B] = {"b", LSC_PARAM_REAL, 0.2, 0, 1e3, LSC_LO_OPEN, "decay of the outer funnel", NULL},
    [P_C] = {"c", LSC_PARAM_REAL, 2 * AK_PI, 0, 1e3, 0, "frequency of the ripples", NULL},
};

static double ak_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    const double a = p->v[P_A], b = p->v[P_B], c = p->v[P_C];
    double s2 = 0, sc = 0;
    for (int i = 0; i < n; i++) {
        s2 += x[i] * x[i];
        sc += cos(c * x[i]);
    }
    double r = sqrt(s2 / n), C = sc / n;
    /* a (1 - exp(-b r)) + e (1 - exp(C - 1)) */
    return -a * expm1(-b * r) - AK_E * expm1(C - 1.0);
}

static double ak_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)state;
    const double a = p->v[P_A], b = p->v[P_B], c = p->v[P_C];
    double s2 = 0, sc = 0;
    for (int i = 0; i < n; i++) {
        s2 += x[i] * x[i];
        sc += cos(c * x[i]);
    }
    double r = sqrt(s2 / n), C = sc / n;
    double e1 = exp(-b * r), e2 = exp(C);
    /* a b exp(-b r) / (n r) (0 at r = 0, see above) and (c / n) exp(C) */
    double k1 = r > 0 ? a * b * e1 / (n * r) : 0.0, k2 = c / n * e2;
    for (int i = 0; i < n; i++)
        g[i] = k1 * x[i] + k2 * sin(c * x[i]);
    return -a * expm1(-b * r) - AK_E * expm1(C - 1.0);
}

static void ak_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)state;
    const double a = p->v[P_A], b = p->v[P_B], c = p->v[P_C];
    const size_t N = (size_t)n;
    double s2 = 0, sc = 0;
    for (int i = 0; i < n; i++) {
        s2 += x[i] * x[i];
        sc += cos(c * x[i]);
    }
    double r = sqrt(s2 / n), C = sc / n;
    if (!(r > 0)) { /* the tip of the cone: no Hessian */
        for (size_t i = 0; i < N * N; i++)
            H[i] = NAN;
        return;
    }
    double e1 = a * b * exp(-b * r), e2 = exp(C);
    double nn = (double)n * (double)n;
    /* e1 [delta/(n r) - x_i x_j (1/(n^2 r^3) + b/(n^2 r^2))] */
    double kd = e1 / (n * r), kx = e1 * (1.0 / (nn * r * r * r) + b / (nn * r * r));
    for (size_t i = 0; i < N; i++) {
        double si = sin(c * x[i]);
        for (size_t j = 0; j <= i; j++) {
            double sj = sin(c * x[j]);
            double h = -kx * x[i] * x[j] - e2 * c * c / nn * si * sj;
            if (i == j)
                h += kd + e2 * c * c / n * cos(c * x[i]);
            H[i * N + j] = H[j * N + i] = h; /* exactly symmetric */
        }
    }
}

/* Starts: 0: (3, -3, 3, ...), among the ripples near the funnel; 1: (20, ..., 20), on the
 * nearly flat outer plateau. */
static void ak_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    for (int i = 0; i < n; i++)
        x[i] = k == 0 ? (i % 2 ? -3.0 : 3.0) : 20.0;
}

static int ak_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return 1;
}

static void ak_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    (void)p;
    (void)state;
    (void)k;
    cp->kind = LSC_CP_MIN;
    cp->f = 0.0;
    cp->eig_min = cp->eig_max = NAN; /* not differentiable at the origin */
    cp->tol = 0.0;
    for (int i = 0; i < n; i++)
        cp->x[i] = 0.0;
}

const lsc_landscape_type lsc_landscape_ackley = {
    .name = "ackley",
    .summary = "Ackley: a funnel with ripples and a non-smooth tip at the minimum",
    .formula = "f(x) = -a exp(-b sqrt(sum_i x_i^2 / n)) - exp(sum_i cos(c x_i) / n) + a + e, "
               "a = 20, b = 0.2, c = 2 pi; minimum 0 at x = 0",
    .citation = "Ackley, A connectionist machine for genetic hillclimbing, 1987; n-D form and "
                "domain as in the SFU library",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = ackley_params,
    .nparams = LSC_COUNTOF(ackley_params),
    .log_color = 0,
    .f = ak_f,
    .fdf = ak_fdf,
    .hess = ak_hess,
    .lo = {-32.768, -32.768},
    .hi = {32.768, 32.768},
    .nstarts = 2,
    .start = ak_start,
    .ncritical = ak_ncritical,
    .critical = ak_critical,
};
