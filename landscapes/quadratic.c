/* quadratic.c — the axis-aligned quadratic ½(x² + κy²)
 *
 *     f(x, y) = 1/2 (x^2 + kappa y^2),   kappa != 0 (default 10)
 *
 * kappa > 0: a convex bowl with condition number max(kappa, 1/kappa); gradient descent
 * with step lr converges for lr < 2/max(1, kappa) and zig-zags across the narrow
 * direction near that limit (the classic picture for momentum). kappa < 0: a strict
 * saddle with Hessian eigenvalues kappa and 1 (escape rate set by |kappa|). kappa = 0 is
 * refused: the critical points would form the whole line x = 0.
 *
 * Only critical point: the origin, f = 0, Hessian diag(1, kappa); minimum if kappa > 0,
 * saddle if kappa < 0.
 *
 * Reference: e.g. G. Goh, "Why Momentum Really Works", Distill, 2017 (convex quadratic
 * model); J. Nocedal, S. J. Wright, Numerical Optimization, 2nd ed., Springer, 2006, §3.3.
 */
#include <math.h>

#include "landscape.h"

enum { P_KAPPA };

static const lsc_param_desc quadratic_params[] = {
    [P_KAPPA] = {"kappa", LSC_PARAM_REAL, 10.0, -1e12, 1e12, 0,
                 "curvature along y (Hessian diag(1, kappa)); nonzero; < 0 makes a saddle", NULL},
};

static int quadratic_init(void *state, const lsc_params *p, int n, const char *arg,
                          lsc_error *err)
{
    (void)state;
    (void)n;
    (void)arg;
    if (p->v[P_KAPPA] == 0.0) {
        lsc_error_set(err, LSC_EINVAL, "kappa=0 in 'quadratic': expected a nonzero number "
                      "(kappa > 0: bowl, kappa < 0: saddle)");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* f = (x^2 + kappa y^2)/2 */
static double quadratic_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    (void)n;
    return 0.5 * (x[0] * x[0] + p->v[P_KAPPA] * x[1] * x[1]);
}

/* grad f = (x, kappa y) */
static double quadratic_fdf(const lsc_params *p, const void *state, int n, const double *x,
                            double *g)
{
    (void)state;
    (void)n;
    g[0] = x[0];
    g[1] = p->v[P_KAPPA] * x[1];
    return 0.5 * (x[0] * x[0] + p->v[P_KAPPA] * x[1] * x[1]);
}

/* H = diag(1, kappa) */
static void quadratic_hess(const lsc_params *p, const void *state, int n, const double *x,
                           double *H)
{
    (void)state;
    (void)n;
    (void)x;
    H[0] = 1.0;
    H[1] = H[2] = 0.0;
    H[3] = p->v[P_KAPPA];
}

/* (-1.8, 1.2): across the narrow direction (zig-zag for kappa > 1); (1.5, 1e-3): along the
 * wide axis, just off it (the escape start when kappa < 0). */
static const double quadratic_starts[] = {-1.8, 1.2, 1.5, 1e-3};

static int quadratic_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return 1;
}

/* the origin: f = 0, eigenvalues {1, kappa} */
static void quadratic_critical(const lsc_params *p, const void *state, int n, int k,
                               lsc_critical *cp)
{
    (void)state;
    (void)n;
    (void)k;
    const double kappa = p->v[P_KAPPA];
    cp->kind = kappa > 0 ? LSC_CP_MIN : LSC_CP_SADDLE;
    cp->f = 0.0;
    cp->eig_min = fmin(1.0, kappa);
    cp->eig_max = fmax(1.0, kappa);
    cp->tol = 0.0;
    cp->x[0] = cp->x[1] = 0.0;
}

const lsc_landscape_type lsc_landscape_quadratic = {
    .name = "quadratic",
    .summary = "ill-conditioned bowl 1/2 (x^2 + kappa y^2); a saddle for kappa < 0",
    .formula = "f(x, y) = 1/2 (x^2 + kappa y^2)   (kappa = 10 by default; kappa != 0; "
               "origin: minimum for kappa > 0, saddle for kappa < 0)",
    .citation = "convex quadratic model; e.g. Goh, \"Why Momentum Really Works\", Distill "
                "2017; Nocedal & Wright, Numerical Optimization, 2006, sec. 3.3",
    .dim = 2,
    .params = quadratic_params,
    .nparams = LSC_COUNTOF(quadratic_params),
    .init = quadratic_init,
    .f = quadratic_f,
    .fdf = quadratic_fdf,
    .hess = quadratic_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .starts = quadratic_starts,
    .nstarts = LSC_COUNTOF(quadratic_starts) / 2,
    .ncritical = quadratic_ncritical,
    .critical = quadratic_critical,
};
