/* double_well.c — a tilted quartic double well in x times a quadratic valley in y
 *
 *     f(x, y) = h (xi^2 - 1)^2 + (delta/2) (3 xi - xi^3) + c + (ky/2) y^2,   xi = x / s
 *     delta = (left - right)/2,  c = -(left + right)/2
 *
 * with s = sep, h = barrier, left/right the depths of the two minima:
 *     f(-s, 0) = -left,   f(s, 0) = -right.
 * The tilt (3 xi - xi^3)/2 is +-1 at xi = +-1 and flat there, so it moves the two minima's
 * values apart without moving them. grad f = 0 gives y = 0 and
 *     (xi^2 - 1)(4 h xi - 3 delta / 2) = 0,
 * so the critical points are closed-form: minima at x = -s and x = s, and a saddle at
 * x = s xi_m, xi_m = 3 delta / (8 h), between them; both minima exist iff |xi_m| < 1, i.e.
 * |left - right| < 16 h / 3 (checked at init). Hessian diag(q''(xi)/s^2, ky) with
 *     q''(xi) = 12 h xi^2 - 4 h - 3 delta xi:
 * 8h + 3delta at the left minimum, 8h - 3delta at the right one, 4h (xi_m^2 - 1) < 0 at the
 * saddle.
 *
 * Defaults (left 1, right 0.5, barrier 1, sep 1, ky 1): the barrier top (f = 0.2676 at
 * x = 0.09375) rises 0.7676 above the shallow right minimum and 1.2676 above the deep left
 * one. From the standard start (2 sep, sep), plain gradient descent (lr 0.003 to 0.02)
 * settles in the shallow right minimum, while heavy-ball momentum (PyTorch SGD, momentum
 * 0.9, same lr) crosses the barrier into the deep left one
 * (tests/test_landscape.c checks this at lr 0.01).
 *
 * Reference: a standard quartic double-well potential (e.g. Kramers' escape problem,
 * H. A. Kramers, Physica 7, 1940), parameterized here for optimizer demos.
 */
#include <float.h>
#include <math.h>

#include "landscape.h"

enum { P_LEFT, P_RIGHT, P_BARRIER, P_SEP, P_KY };

static const lsc_param_desc double_well_params[] = {
    [P_LEFT] = {"left", LSC_PARAM_REAL, 1.0, -1e6, 1e6, 0,
                "depth of the left minimum: f(-sep, 0) = -left", NULL},
    [P_RIGHT] = {"right", LSC_PARAM_REAL, 0.5, -1e6, 1e6, 0,
                 "depth of the right minimum: f(sep, 0) = -right", NULL},
    [P_BARRIER] = {"barrier", LSC_PARAM_REAL, 1.0, 0.0, 1e6, LSC_LO_OPEN,
                   "height h of the quartic h ((x/sep)^2 - 1)^2 (the barrier when left = right)",
                   NULL},
    [P_SEP] = {"sep", LSC_PARAM_REAL, 1.0, 0.0, 1e6, LSC_LO_OPEN,
               "half the distance between the minima (at x = -sep and x = sep)", NULL},
    [P_KY] = {"ky", LSC_PARAM_REAL, 1.0, 0.0, 1e6, LSC_LO_OPEN,
              "curvature along y", NULL},
};

static int double_well_init(void *state, const lsc_params *p, int n, const char *arg,
                            lsc_error *err)
{
    (void)state;
    (void)n;
    (void)arg;
    const double d = fabs(p->v[P_LEFT] - p->v[P_RIGHT]), lim = 16.0 * p->v[P_BARRIER] / 3;
    if (!(d < lim)) {
        lsc_error_set(err, LSC_EINVAL, "left=%g, right=%g in 'double-well': |left - right| "
                      "must be < 16 barrier/3 = %g for both minima to exist (raise barrier)",
                      p->v[P_LEFT], p->v[P_RIGHT], lim);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* f = h (xi^2 - 1)^2 + (delta/2)(3 xi - xi^3) + c + ky y^2 / 2 */
static double double_well_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    (void)n;
    const double h = p->v[P_BARRIER], xi = x[0] / p->v[P_SEP];
    const double delta = 0.5 * (p->v[P_LEFT] - p->v[P_RIGHT]);
    const double c = -0.5 * (p->v[P_LEFT] + p->v[P_RIGHT]);
    const double w = xi * xi - 1.0;
    return h * w * w + 0.5 * delta * xi * (3.0 - xi * xi) + c + 0.5 * p->v[P_KY] * x[1] * x[1];
}

/* df/dx = (xi^2 - 1)(4 h xi - 3 delta/2) / s,  df/dy = ky y */
static double double_well_fdf(const lsc_params *p, const void *state, int n, const double *x,
                              double *g)
{
    (void)state;
    (void)n;
    const double h = p->v[P_BARRIER], s = p->v[P_SEP], xi = x[0] / s;
    const double delta = 0.5 * (p->v[P_LEFT] - p->v[P_RIGHT]);
    const double c = -0.5 * (p->v[P_LEFT] + p->v[P_RIGHT]);
    const double w = xi * xi - 1.0;
    g[0] = w * (4.0 * h * xi - 1.5 * delta) / s;
    g[1] = p->v[P_KY] * x[1];
    return h * w * w + 0.5 * delta * xi * (3.0 - xi * xi) + c + 0.5 * p->v[P_KY] * x[1] * x[1];
}

/* f_xx = (12 h xi^2 - 4 h - 3 delta xi) / s^2,  f_xy = 0,  f_yy = ky */
static void double_well_hess(const lsc_params *p, const void *state, int n, const double *x,
                             double *H)
{
    (void)state;
    (void)n;
    const double h = p->v[P_BARRIER], s = p->v[P_SEP], xi = x[0] / s;
    const double delta = 0.5 * (p->v[P_LEFT] - p->v[P_RIGHT]);
    H[0] = (12.0 * h * xi * xi - 4.0 * h - 3.0 * delta * xi) / (s * s);
    H[1] = H[2] = 0.0;
    H[3] = p->v[P_KY];
}

/* box [-2.5 s, 2.5 s] x [-2 s, 2 s] */
static void double_well_box(const lsc_params *p, const void *state, int n, double *lo,
                            double *hi)
{
    (void)state;
    (void)n;
    const double s = p->v[P_SEP];
    lo[0] = -2.5 * s;
    hi[0] = 2.5 * s;
    lo[1] = -2.0 * s;
    hi[1] = 2.0 * s;
}

/* 0: (2s, s), outside the shallow right well: the trap demo (GD stays, momentum escapes);
 * 1: (-2s, s), outside the deep left well; 2: (0.2s, 1.5s), near the barrier top. */
static void double_well_start(const lsc_params *p, const void *state, int n, int k,
                              double *x)
{
    (void)state;
    (void)n;
    static const double u[3][2] = {{2.0, 1.0}, {-2.0, 1.0}, {0.2, 1.5}};
    x[0] = u[k][0] * p->v[P_SEP];
    x[1] = u[k][1] * p->v[P_SEP];
}

static int double_well_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return 3;
}

/* 0: left minimum (-s, 0), f = -left, eigenvalues {(8h + 3delta)/s^2, ky};
 * 1: right minimum (s, 0), f = -right, eigenvalues {(8h - 3delta)/s^2, ky};
 * 2: saddle (s xi_m, 0), xi_m = 3 delta/(8h), f = q(xi_m) + c,
 *    eigenvalues {4h (xi_m^2 - 1)/s^2, ky}. */
static void double_well_critical(const lsc_params *p, const void *state, int n, int k,
                                 lsc_critical *cp)
{
    (void)state;
    (void)n;
    const double h = p->v[P_BARRIER], s = p->v[P_SEP], ky = p->v[P_KY];
    const double delta = 0.5 * (p->v[P_LEFT] - p->v[P_RIGHT]);
    double e;
    cp->x[1] = 0.0;
    if (k == 0 || k == 1) {
        cp->kind = LSC_CP_MIN;
        cp->x[0] = k == 0 ? -s : s;
        cp->f = k == 0 ? -p->v[P_LEFT] : -p->v[P_RIGHT];
        e = (8.0 * h + (k == 0 ? 3.0 : -3.0) * delta) / (s * s);
        cp->tol = 0.0;
    } else {
        const double xi = 3.0 * delta / (8.0 * h), w = xi * xi - 1.0;
        cp->kind = LSC_CP_SADDLE;
        cp->x[0] = s * xi;
        cp->f = h * w * w + 0.5 * delta * xi * (3.0 - xi * xi)
                - 0.5 * (p->v[P_LEFT] + p->v[P_RIGHT]);
        e = 4.0 * h * w / (s * s);
        cp->tol = 4 * DBL_EPSILON * fmax(1.0, fabs(cp->x[0]));
    }
    cp->eig_min = fmin(e, ky);
    cp->eig_max = fmax(e, ky);
}

const lsc_landscape_type lsc_landscape_double_well = {
    .name = "double-well",
    .summary = "two minima of tunable depths: a shallow trap and a deep basin",
    .formula = "f(x, y) = h (xi^2 - 1)^2 + (delta/2)(3 xi - xi^3) + c + (ky/2) y^2, "
               "xi = x/sep, delta = (left - right)/2, c = -(left + right)/2   "
               "(minima f = -left at (-sep, 0), f = -right at (sep, 0), saddle at "
               "x = sep * 3 delta/(8h); defaults left = 1, right = 0.5, h = 1, sep = 1, ky = 1)",
    .citation = "quartic double-well potential (Kramers, Physica 7, 1940), tilted so that "
                "the minima stay at x = +-sep",
    .dim = 2,
    .params = double_well_params,
    .nparams = LSC_COUNTOF(double_well_params),
    .init = double_well_init,
    .f = double_well_f,
    .fdf = double_well_fdf,
    .hess = double_well_hess,
    .box = double_well_box,
    .lo = {-2.5, -2.0},
    .hi = {2.5, 2.0},
    .nstarts = 3,
    .start = double_well_start,
    .ncritical = double_well_ncritical,
    .critical = double_well_critical,
};
