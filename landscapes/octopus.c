/* octopus.c — the "octopus" chain of d strict saddles of Du et al. (2017)
 *
 * Du, Jin, Lee, Jordan, Singh, Poczos, Gradient descent can take exponential time to escape
 * saddle points, NIPS 2017 (arXiv:1705.10412), Section 4 / Appendix: a function on a
 * union of tubes in R^d along which gradient descent visits the saddles one after the
 * other, each time escaping along one coordinate only.
 *
 * Parameters tau, L, gamma (defaults tau = L = e, gamma = 1), dimension d = n >= 2.
 * With a = |x| element-wise, the value depends on a only; derivatives in x pick up the
 * factors sign(x_j) (all terms are even and smooth in x_j wherever x_j can be 0).
 *
 *   g1(t) = -gamma t^2 + (-14L + 10gamma)/(3tau) (t - tau)^3 + (5L - 3gamma)/(2tau^2) (t - tau)^4
 *   g2(t) = -gamma - 10(L + gamma)/tau^3 (t - 2tau)^3 - 15(L + gamma)/tau^4 (t - 2tau)^4
 *                  - 6(L + gamma)/tau^5 (t - 2tau)^5
 *   nu    = -g1(2tau) + 4 L tau^2
 *
 * Let i be the first index with a_i <= 2tau. Every later coordinate must have a_j <= tau,
 * otherwise x lies outside the region: in_domain() is 0 there and f, the gradient and the
 * Hessian are NAN (the paper defines nothing there; we do not invent values).
 *
 *   a_i <= tau, i < d:        sum_{j<i} L(a_j - 4tau)^2 - gamma a_i^2 + sum_{j>i} L a_j^2
 *                             - (i-1) nu
 *   tau < a_i <= 2tau, i < d: sum_{j<i} L(a_j - 4tau)^2 + g1(a_i) + g2(a_i) a_{i+1}^2
 *                             + sum_{j>i+1} L a_j^2 - (i-1) nu
 *   i = d, a_d <= tau:        sum_{j<d} L(a_j - 4tau)^2 - gamma a_d^2 - (d-1) nu
 *   i = d, tau < a_d <= 2tau: sum_{j<d} L(a_j - 4tau)^2 + g1(a_d) - (d-1) nu
 *   all a_j > 2tau:           sum_j L(a_j - 4tau)^2 - d nu
 *
 * g1, g2 join the pieces with continuous first and second derivatives: g1(tau) = -gamma
 * tau^2, g1'(2tau) = -4 L tau, g1''(2tau) = 2L, g2(tau) = L, g2(2tau) = -gamma, g2' = g2'' = 0
 * at tau and 2tau.
 *
 * Critical points: the minimum 4tau (1, ..., 1), f = -d nu, Hessian 2L I; saddle i
 * (i = 1..d) at (4tau, ..., 4tau, 0, ..., 0) with i-1 entries 4tau, f = -(i-1) nu, Hessian
 * eigenvalues -2gamma (coordinate i) and 2L (the others). Since f depends on |x| only,
 * every sign change of the non-zero entries is again a critical point of the same kind.
 * Listed: points 0..d-1 are the saddles 1..d, point d the minimum (positive orthant); for
 * d <= OCT_SIGNS_MAX also every sign variant (2^{d+1} - 1 points in all, 255 for d = 7).
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

#define OCT_SIGNS_MAX 7
#define OCT_E 2.71828182845904523536

enum { P_TAU, P_L, P_GAMMA };

static const lsc_param_desc octopus_params[] = {
    [P_TAU] = {"tau", LSC_PARAM_REAL, OCT_E, 0, 1e6, LSC_LO_OPEN,
               "tube width: saddles 4 tau apart", NULL},
    [P_L] = {"L", LSC_PARAM_REAL, OCT_E, 0, 1e6, LSC_LO_OPEN,
             "curvature 2L of the stable directions", NULL},
    [P_GAMMA] = {"gamma", LSC_PARAM_REAL, 1.0, 0, 1e6, LSC_LO_OPEN,
                 "curvature -2 gamma of the escape direction", NULL},
};

typedef struct {
    double tau, L, gam, nu;
} oct_c;

static double g1(const oct_c *k, double t)
{
    double u = t - k->tau;
    return -k->gam * t * t + (-14 * k->L + 10 * k->gam) / (3 * k->tau) * u * u * u
           + (5 * k->L - 3 * k->gam) / (2 * k->tau * k->tau) * u * u * u * u;
}

static double g1p(const oct_c *k, double t)
{
    double u = t - k->tau;
    return -2 * k->gam * t + (-14 * k->L + 10 * k->gam) / k->tau * u * u
           + 2 * (5 * k->L - 3 * k->gam) / (k->tau * k->tau) * u * u * u;
}

static double g1pp(const oct_c *k, double t)
{
    double u = t - k->tau;
    return -2 * k->gam + 2 * (-14 * k->L + 10 * k->gam) / k->tau * u
           + 6 * (5 * k->L - 3 * k->gam) / (k->tau * k->tau) * u * u;
}

static double g2(const oct_c *k, double t)
{
    double u = t - 2 * k->tau, s = k->L + k->gam, t3 = k->tau * k->tau * k->tau;
    return -k->gam - 10 * s / t3 * u * u * u - 15 * s / (t3 * k->tau) * u * u * u * u
           - 6 * s / (t3 * k->tau * k->tau) * u * u * u * u * u;
}

static double g2p(const oct_c *k, double t)
{
    double u = t - 2 * k->tau, s = k->L + k->gam, t3 = k->tau * k->tau * k->tau;
    return -30 * s / t3 * u * u - 60 * s / (t3 * k->tau) * u * u * u
           - 30 * s / (t3 * k->tau * k->tau) * u * u * u * u;
}

static double g2pp(const oct_c *k, double t)
{
    double u = t - 2 * k->tau, s = k->L + k->gam, t3 = k->tau * k->tau * k->tau;
    return -60 * s / t3 * u - 180 * s / (t3 * k->tau) * u * u
           - 120 * s / (t3 * k->tau * k->tau) * u * u * u;
}

static oct_c oct_consts(const lsc_params *p)
{
    oct_c k = {p->v[P_TAU], p->v[P_L], p->v[P_GAMMA], 0};
    k.nu = -g1(&k, 2 * k.tau) + 4 * k.L * k.tau * k.tau; /* nu = -g1(2tau) + 4 L tau^2 */
    return k;
}

static double sgn(double v)
{
    return (v > 0) - (v < 0);
}

/* First index (0-based) with |x_i| <= 2tau, n if none; -1 when outside the region
 * (or when a coordinate is not finite). */
static int oct_region(const oct_c *k, int n, const double *x)
{
    for (int j = 0; j < n; j++)
        if (!isfinite(x[j]))
            return -1;
    int i = 0;
    while (i < n && fabs(x[i]) > 2 * k->tau)
        i++;
    for (int j = i + 1; j < n; j++)
        if (!(fabs(x[j]) <= k->tau))
            return -1;
    return i;
}

/* f, and g when g != NULL. Indices 0-based: the paper's (i-1) nu is i nu here. */
static double oct_eval(const lsc_params *p, int n, const double *x, double *g)
{
    const oct_c k = oct_consts(p);
    const double tau = k.tau, L = k.L;
    int i = oct_region(&k, n, x);
    if (i < 0) {
        if (g)
            for (int j = 0; j < n; j++)
                g[j] = NAN;
        return NAN;
    }
    double f = 0;
    for (int j = 0; j < i; j++) { /* L (a_j - 4tau)^2 */
        double a = fabs(x[j]), u = a - 4 * tau;
        f += L * u * u;
        if (g)
            g[j] = 2 * L * u * sgn(x[j]);
    }
    if (i == n)
        return f - n * k.nu;
    double ai = fabs(x[i]);
    int rest = i + 1; /* first index of the L a_j^2 tail */
    if (ai <= tau) {  /* -gamma a_i^2 */
        f += -k.gam * ai * ai;
        if (g)
            g[i] = -2 * k.gam * x[i];
    } else { /* g1(a_i) + g2(a_i) a_{i+1}^2 (no g2 term when i = d) */
        double a2 = 0;
        if (i + 1 < n) {
            a2 = x[i + 1] * x[i + 1];
            rest = i + 2;
            if (g)
                g[i + 1] = 2 * g2(&k, ai) * x[i + 1];
        }
        f += g1(&k, ai) + (i + 1 < n ? g2(&k, ai) * a2 : 0.0);
        if (g)
            g[i] = (g1p(&k, ai) + (i + 1 < n ? g2p(&k, ai) * a2 : 0.0)) * sgn(x[i]);
    }
    for (int j = rest; j < n; j++) { /* L a_j^2 */
        f += L * x[j] * x[j];
        if (g)
            g[j] = 2 * L * x[j];
    }
    return f - i * k.nu;
}

static double oct_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    return oct_eval(p, n, x, NULL);
}

static double oct_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)state;
    return oct_eval(p, n, x, g);
}

/* Hessian: d2/dx_j^2 = d2/da_j^2 (sign^2 = 1; the terms are smooth in x_j at 0), the one
 * off-diagonal pair d2/dx_i dx_{i+1} = sign(x_i) 2 g2'(a_i) x_{i+1}. */
static void oct_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)state;
    const oct_c k = oct_consts(p);
    const size_t N = (size_t)n;
    int i = oct_region(&k, n, x);
    if (i < 0) {
        for (size_t j = 0; j < N * N; j++)
            H[j] = NAN;
        return;
    }
    memset(H, 0, N * N * sizeof *H);
    for (size_t j = 0; j < N; j++)
        H[j * N + j] = 2 * k.L; /* L(a_j - 4tau)^2 and L a_j^2 */
    if (i == n)
        return;
    const size_t I = (size_t)i;
    double ai = fabs(x[i]);
    if (ai <= k.tau) {
        H[I * N + I] = -2 * k.gam;
    } else if (i + 1 < n) {
        double a2 = x[i + 1] * x[i + 1];
        H[I * N + I] = g1pp(&k, ai) + g2pp(&k, ai) * a2;
        H[(I + 1) * N + I + 1] = 2 * g2(&k, ai);
        H[I * N + I + 1] = H[(I + 1) * N + I] = 2 * g2p(&k, ai) * x[i + 1] * sgn(x[i]);
    } else {
        H[I * N + I] = g1pp(&k, ai);
    }
}

static int oct_in_domain(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    const oct_c k = oct_consts(p);
    return oct_region(&k, n, x) >= 0;
}

static void oct_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)state;
    for (int j = 0; j < n; j++) {
        lo[j] = -5 * p->v[P_TAU];
        hi[j] = 5 * p->v[P_TAU];
    }
}

/* Starts near the first saddle (the origin), inside the region:
 * 0: (0.5, ..., 0.5); 1: (0.5, -0.5, 0.5, ...). */
static void oct_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)state;
    double s = fmin(0.5, 0.5 * p->v[P_TAU]);
    for (int j = 0; j < n; j++)
        x[j] = (k == 1 && j % 2) ? -s : s;
}

static int oct_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    return n <= OCT_SIGNS_MAX ? (2 << n) - 1 : n + 1;
}

static void oct_critical(const lsc_params *p, const void *state, int n, int idx,
                         lsc_critical *cp)
{
    (void)state;
    const oct_c k = oct_consts(p);
    int m, signs = 0; /* m leading entries +-4tau; bit j of signs: entry j negative */
    if (idx <= n) {
        m = idx;
    } else { /* sign variants: m = 1..n, signs = 1..2^m - 1 */
        int r = idx - (n + 1);
        for (m = 1; r >= (1 << m) - 1; m++)
            r -= (1 << m) - 1;
        signs = r + 1;
    }
    for (int j = 0; j < n; j++)
        cp->x[j] = j < m ? ((signs >> j) & 1 ? -4 * k.tau : 4 * k.tau) : 0.0;
    cp->f = -m * k.nu;
    if (m == n) {
        cp->kind = LSC_CP_MIN;
        cp->eig_min = cp->eig_max = 2 * k.L;
    } else {
        cp->kind = LSC_CP_SADDLE;
        cp->eig_min = fmin(-2 * k.gam, 2 * k.L);
        cp->eig_max = 2 * k.L;
    }
    cp->tol = 0.0;
}

const lsc_landscape_type lsc_landscape_octopus = {
    .name = "octopus",
    .summary = "Du et al. 2017: d strict saddles in a chain of tubes; gradient descent "
               "needs exponential time in d",
    .formula = "piecewise in a = |x| (see octopus.c): L(a_j-4tau)^2 before the first a_i <= "
               "2tau, -gamma a_i^2 or g1(a_i) + g2(a_i) a_{i+1}^2 there, L a_j^2 after, minus "
               "(i-1) nu; tau = L = e, gamma = 1; minimum -d nu at 4tau(1,...,1); undefined "
               "outside the tubes",
    .citation = "Du, Jin, Lee, Jordan, Singh & Poczos, Gradient descent can take exponential "
                "time to escape saddle points, NIPS 2017, arXiv:1705.10412",
    .dim = 0,
    .min_dim = 2,
    .default_dim = 2,
    .params = octopus_params,
    .nparams = LSC_COUNTOF(octopus_params),
    .log_color = 0,
    .f = oct_f,
    .fdf = oct_fdf,
    .hess = oct_hess,
    .in_domain = oct_in_domain,
    .lo = {-13.591409142295225, -13.591409142295225},
    .hi = {13.591409142295225, 13.591409142295225},
    .box = oct_box,
    .nstarts = 2,
    .start = oct_start,
    .ncritical = oct_ncritical,
    .critical = oct_critical,
};
