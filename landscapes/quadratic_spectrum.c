/* quadratic_spectrum.c — a quadratic with a chosen Hessian spectrum, in n dimensions
 *
 *     f(x) = 1/2 sum_{i=1}^{n} lambda_i x_i^2
 *
 * The spectrum lambda (the Hessian is diag(lambda), axis-aligned) is either
 *   - the list eig = l_1;l_2;...;l_m with 1 <= m <= n entries: lambda_i = l_i for i <= m and
 *     lambda_i = l_m for i > m (missing entries repeat the last one, so eig=-1;1 in any
 *     dimension is one unstable direction and n-1 unit ones); or, when eig is empty,
 *   - log-spaced from 1 to cond: lambda_i = cond^{(i-1)/(n-1)} (lambda = 1 when n = 1),
 *     condition number cond (default 10).
 * eig, when given, takes precedence over cond. Then neg = k flips the sign of the first k
 * eigenvalues, lambda_i <- -lambda_i for i <= k: with the cond spectrum these are the
 * smallest in magnitude, so the origin becomes a strict saddle of index k whose unstable
 * directions are the weakest (slow escape).
 *
 * The only critical point is the origin (f = 0): a minimum when every lambda_i > 0, a
 * maximum when every lambda_i < 0, a strict saddle of index #{lambda_i < 0} otherwise, and
 * degenerate (a whole subspace of critical points) when some lambda_i = 0.
 *
 * Reference: the standard model of a non-degenerate critical point (Morse lemma); strict
 * saddles as in R. Ge, F. Huang, C. Jin, Y. Yuan, Escaping from saddle points, COLT 2015.
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

enum { P_EIG, P_COND, P_NEG };

static const lsc_param_desc qs_params[] = {
    [P_EIG] = {"eig", LSC_PARAM_LIST, 0, -1e12, 1e12, 0,
               "Hessian eigenvalues l1;l2;... (1 to n entries, the last repeats; overrides cond)",
               NULL},
    [P_COND] = {"cond", LSC_PARAM_REAL, 10.0, 1.0, 1e12, 0,
                "condition number: eigenvalues log-spaced from 1 to cond (when eig is empty)",
                NULL},
    [P_NEG] = {"neg", LSC_PARAM_INT, 0, 0, LSC_MAX_DIM, 0,
               "number of eigenvalues made negative (the first ones; saddle index)", NULL},
};

/* state: the n eigenvalues */
static size_t qs_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)p;
    (void)arg;
    return (size_t)n * sizeof(double);
}

static int qs_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)arg;
    double *lam = state;
    const int m = p->list_n[P_EIG];
    const double cond = p->v[P_COND];
    const int neg = (int)p->v[P_NEG];
    if (m > n) {
        lsc_error_set(err, LSC_EINVAL,
                      "landscape: quadratic-spectrum: eig has %d entries but dim is %d "
                      "(allowed: 1 to %d entries; missing ones repeat the last)",
                      m, n, n);
        return LSC_EINVAL;
    }
    if (neg > n) {
        lsc_error_set(err, LSC_EINVAL,
                      "landscape: quadratic-spectrum: neg=%d but dim is %d (allowed: 0 to "
                      "%d negative eigenvalues)",
                      neg, n, n);
        return LSC_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        if (m > 0)
            lam[i] = p->list[P_EIG][i < m ? i : m - 1];
        else /* lambda_i = cond^{(i-1)/(n-1)} */
            lam[i] = n == 1 ? 1.0 : pow(cond, (double)i / (double)(n - 1));
        if (i < neg)
            lam[i] = -lam[i];
    }
    if (m == 0 && n > 1)
        lam[n - 1] = neg == n ? -cond : cond; /* exactly cond, whatever pow rounds to */
    return LSC_OK;
}

/* f = 1/2 sum lambda_i x_i^2 */
static double qs_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    const double *lam = state;
    double s = 0;
    for (int i = 0; i < n; i++)
        s += lam[i] * x[i] * x[i];
    return 0.5 * s;
}

/* df/dx_i = lambda_i x_i */
static double qs_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)p;
    const double *lam = state;
    double s = 0;
    for (int i = 0; i < n; i++) {
        g[i] = lam[i] * x[i];
        s += g[i] * x[i];
    }
    return 0.5 * s;
}

/* H = diag(lambda) */
static void qs_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)p;
    (void)x;
    const double *lam = state;
    memset(H, 0, (size_t)n * (size_t)n * sizeof *H);
    for (int i = 0; i < n; i++)
        H[(size_t)i * (size_t)n + (size_t)i] = lam[i];
}

/* Two starts when the origin is not a minimum, else one.
 * 0: (1, ..., 1);
 * 1: 1 along stable directions (lambda > 0), 1e-6 along the others: next to the stable
 *    manifold, where gradient descent lingers before it escapes. */
static int qs_nstarts(const lsc_params *p, const void *state, int n)
{
    (void)p;
    const double *lam = state;
    for (int i = 0; i < n; i++)
        if (lam[i] <= 0)
            return 2;
    return 1;
}

static void qs_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    const double *lam = state;
    for (int i = 0; i < n; i++)
        x[i] = (k == 1 && lam[i] <= 0) ? 1e-6 : 1.0;
}

static int qs_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return 1;
}

static void qs_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    (void)p;
    (void)k;
    const double *lam = state;
    double lo = INFINITY, hi = -INFINITY;
    int npos = 0, nneg = 0;
    for (int i = 0; i < n; i++) {
        lo = fmin(lo, lam[i]);
        hi = fmax(hi, lam[i]);
        npos += lam[i] > 0;
        nneg += lam[i] < 0;
        cp->x[i] = 0.0;
    }
    cp->kind = npos == n   ? LSC_CP_MIN
               : nneg == n ? LSC_CP_MAX
               : npos + nneg < n ? LSC_CP_DEGENERATE
                                 : LSC_CP_SADDLE;
    cp->f = 0.0;
    cp->eig_min = lo;
    cp->eig_max = hi;
    cp->tol = 0.0;
}

const lsc_landscape_type lsc_landscape_quadratic_spectrum = {
    .name = "quadratic-spectrum",
    .summary = "quadratic 1/2 sum lambda_i x_i^2 with a given spectrum; negative eigenvalues "
               "make a strict saddle",
    .formula = "f(x) = 1/2 sum_i lambda_i x_i^2; lambda = eig (last entry repeats), else "
               "lambda_i = cond^{(i-1)/(n-1)} (cond = 10); then the first neg (= 0) "
               "eigenvalues negated",
    .citation = "standard quadratic model of a critical point; strict saddles as in Ge, "
                "Huang, Jin & Yuan, COLT 2015",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = qs_params,
    .nparams = LSC_COUNTOF(qs_params),
    .log_color = 0,
    .state_size = qs_state_size,
    .init = qs_init,
    .f = qs_f,
    .fdf = qs_fdf,
    .hess = qs_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .nstarts = 1,
    .nstarts_fn = qs_nstarts,
    .start = qs_start,
    .ncritical = qs_ncritical,
    .critical = qs_critical,
};
