/* rosenbrock.c — the extended (chained) Rosenbrock function in n >= 2 dimensions
 *
 *     f(x) = sum_{i=1}^{n-1} [ b (x_{i+1} - x_i^2)^2 + (a - x_i)^2 ],   a = 1, b = 100
 *
 * For n = 2 this is the classic banana valley (a - x)^2 + b (y - x^2)^2 with its minimum
 * f = 0 at (a, a^2). For n >= 3 and a in {0, 1} the minimum is f = 0 at (a, ..., a); for
 * other a the terms cannot all vanish (x_2 would have to be both a and a^2) and the
 * minimum is found numerically (see critical points below).
 *
 * Gradient (i = 1..n; a term is present only when its index range allows):
 *     df/dx_i = -4 b x_i (x_{i+1} - x_i^2) - 2 (a - x_i)     [i <= n-1]
 *               + 2 b (x_i - x_{i-1}^2)                        [i >= 2]
 * Hessian (tridiagonal):
 *     d2f/dx_i^2       = 12 b x_i^2 - 4 b x_{i+1} + 2           [i <= n-1]   + 2 b  [i >= 2]
 *     d2f/dx_i dx_{i+1} = -4 b x_i
 *
 * Known critical points (computed in init):
 *   0. the minimum: closed form for n = 2 or a in {0, 1}; otherwise Newton from
 *      (a, ..., a, a^2), kept only when it converges (verified positive definite; not
 *      proven global). n <= ROS_NEWTON_MAX.
 *   1. for n >= 4, the local minimum near (-1, 1, ..., 1) (a = 1, b = 100: f = 3.7014 at
 *      n = 4, -> 3.98662 as n grows). Kok & Sandrock (2009) show there are exactly two
 *      minima for 4 <= n <= 7; Shang & Qiu (2006) found this second minimum for
 *      4 <= n <= 30; Newton finds it for every n we tried (up to 10^4). It is polished by
 *      Newton's method from (-a, a, ..., a) and listed with the kind given by the Hessian's
 *      inertia (Sturm count) when Newton converges to a point distinct from point 0.
 *      Only for n <= ROS_NEWTON_MAX.
 *   Saddles (n >= 4) are not listed.
 * Extreme Hessian eigenvalues by Sturm-sequence bisection on the tridiagonal Hessian
 * (NAN for n > ROS_EIG_MAX).
 *
 * References: H. H. Rosenbrock, An automatic method for finding the greatest or least
 * value of a function, The Computer Journal 3(3):175-184, 1960. Extended form: L. C. W.
 * Dixon, G. P. Szego (eds.), Towards Global Optimisation 2, 1978; Y.-W. Shang, Y.-H. Qiu,
 * A note on the extended Rosenbrock function, Evolutionary Computation 14(1):119-126,
 * 2006; S. Kok, C. Sandrock, Locating and characterizing the stationary points of the
 * extended Rosenbrock function, Evolutionary Computation 17(3):437-453, 2009.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landscape.h"

#define ROS_NEWTON_MAX 10000 /* Newton-polished critical points for n up to this */
#define ROS_EIG_MAX 100000   /* Hessian eigenvalues at listed points for n up to this */

enum { P_A, P_B };

static const lsc_param_desc rosenbrock_params[] = {
    [P_A] = {"a", LSC_PARAM_REAL, 1.0, -1e3, 1e3, 0, "valley target: minimum at (a, a^2) in 2-D",
             NULL},
    [P_B] = {"b", LSC_PARAM_REAL, 100.0, 0, 1e8, LSC_LO_OPEN, "valley steepness", NULL},
};

typedef struct {
    lsc_cp_kind kind;
    double f, eig_min, eig_max, tol;
    int stored; /* coordinates in ros_state.x (else closed form) */
} ros_cp;

typedef struct {
    int ncp;
    ros_cp cp[2];
    double x[]; /* stored coordinates: point k at x + k n */
} ros_state;

/* f = sum_{i<n-1} b (x_{i+1} - x_i^2)^2 + (a - x_i)^2 */
static double ros_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    const double a = p->v[P_A], b = p->v[P_B];
    double s = 0;
    for (int i = 0; i < n - 1; i++) {
        double t = x[i + 1] - x[i] * x[i], u = a - x[i];
        s += b * t * t + u * u;
    }
    return s;
}

static double ros_fdf(const lsc_params *p, const void *state, int n, const double *x,
                      double *g)
{
    (void)state;
    const double a = p->v[P_A], b = p->v[P_B];
    double s = 0;
    g[0] = 0;
    for (int i = 0; i < n - 1; i++) {
        double t = x[i + 1] - x[i] * x[i], u = a - x[i];
        s += b * t * t + u * u;
        g[i] += -4 * b * x[i] * t - 2 * u; /* d/dx_i of term i */
        g[i + 1] = 2 * b * t;              /* d/dx_{i+1} of term i */
    }
    return s;
}

/* Tridiagonal part of the Hessian: diagonal d[n], off-diagonal e[n-1]. */
static void ros_tridiag(double b, int n, const double *x, double *d, double *e)
{
    for (int i = 0; i < n; i++)
        d[i] = (i < n - 1 ? 12 * b * x[i] * x[i] - 4 * b * x[i + 1] + 2 : 0) + (i > 0 ? 2 * b : 0);
    for (int i = 0; i < n - 1; i++)
        e[i] = -4 * b * x[i];
}

static void ros_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)state;
    const double b = p->v[P_B];
    const size_t N = (size_t)n;
    memset(H, 0, N * N * sizeof *H);
    for (int i = 0; i < n; i++) {
        double d = (i > 0 ? 2 * b : 0);
        if (i < n - 1) {
            d += 12 * b * x[i] * x[i] - 4 * b * x[i + 1] + 2;
            H[(size_t)i * N + (size_t)i + 1] = H[((size_t)i + 1) * N + (size_t)i] = -4 * b * x[i];
        }
        H[(size_t)i * N + (size_t)i] = d;
    }
}

/* Structure-of-arrays batch: X[j m + i] is coordinate j of point i. The inner loops run
 * over points with unit stride so the compiler can vectorise them. */
static void ros_fdf_batch(const lsc_params *p, const void *state, int n, size_t m,
                          const double *X, double *F, double *G)
{
    (void)state;
    const double a = p->v[P_A], b = p->v[P_B];
    if (n == 2) {
        const double *x = X, *y = X + m;
        double *gx = G, *gy = G + m;
        for (size_t i = 0; i < m; i++) {
            double t = y[i] - x[i] * x[i], u = a - x[i];
            F[i] = b * t * t + u * u;
            gx[i] = -4 * b * x[i] * t - 2 * u;
            gy[i] = 2 * b * t;
        }
        return;
    }
    for (size_t i = 0; i < m; i++) {
        F[i] = 0;
        G[i] = 0;
    }
    for (int j = 0; j < n - 1; j++) {
        const double *xj = X + (size_t)j * m, *xk = X + ((size_t)j + 1) * m;
        double *gj = G + (size_t)j * m, *gk = G + ((size_t)j + 1) * m;
        for (size_t i = 0; i < m; i++) {
            double t = xk[i] - xj[i] * xj[i], u = a - xj[i];
            F[i] += b * t * t + u * u;
            gj[i] += -4 * b * xj[i] * t - 2 * u;
            gk[i] = 2 * b * t;
        }
    }
}

/* ---- critical points ------------------------------------------------------------ */

/* Number of eigenvalues of the symmetric tridiagonal (d, e) below lambda (Sturm count:
 * negative pivots of the LDL^T factorisation of T - lambda I). */
static int sturm_count(int n, const double *d, const double *e, double lambda)
{
    int c = 0;
    double q = d[0] - lambda;
    if (q < 0)
        c++;
    for (int i = 1; i < n; i++) {
        if (q == 0)
            q = DBL_MIN;
        q = d[i] - lambda - e[i - 1] * e[i - 1] / q;
        if (q < 0)
            c++;
    }
    return c;
}

/* k-th smallest eigenvalue (k = 0..n-1) by bisection between Gershgorin bounds. */
static double tridiag_eig(int n, const double *d, const double *e, int k)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        double r = (i > 0 ? fabs(e[i - 1]) : 0) + (i < n - 1 ? fabs(e[i]) : 0);
        lo = fmin(lo, d[i] - r);
        hi = fmax(hi, d[i] + r);
    }
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi || hi - lo <= 2 * DBL_EPSILON * fmax(fabs(lo), fabs(hi)))
            break;
        if (sturm_count(n, d, e, mid) > k)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

/* Kind and extreme eigenvalues from the Hessian at x (work: 2n doubles). */
static void classify(double b, int n, const double *x, double *work, ros_cp *cp)
{
    double *d = work, *e = work + n;
    ros_tridiag(b, n, x, d, e);
    int neg = sturm_count(n, d, e, 0.0);
    cp->kind = neg == 0 ? LSC_CP_MIN : neg == n ? LSC_CP_MAX : LSC_CP_SADDLE;
    cp->eig_min = tridiag_eig(n, d, e, 0);
    cp->eig_max = tridiag_eig(n, d, e, n - 1);
    if (cp->eig_min == 0 || cp->eig_max == 0)
        cp->kind = LSC_CP_DEGENERATE;
}

/* Newton's method for grad f = 0 from x (in place); tridiagonal solve without pivoting
 * (Thomas). work: 4n doubles. Returns 0 when converged, with the final |g|_2 and the
 * smallest |eigenvalue| giving the coordinate accuracy in *tol. */
static int ros_newton(double a, double b, int n, double *x, double *work, double *tol)
{
    double *g = work, *d = work + n, *e = work + 2 * n, *r = work + 3 * n;
    lsc_params p = {0};
    p.v[P_A] = a;
    p.v[P_B] = b;
    for (int it = 0; it < 100; it++) {
        ros_fdf(&p, NULL, n, x, g);
        ros_tridiag(b, n, x, d, e);
        /* solve H s = -g: forward elimination, back substitution */
        for (int i = 0; i < n; i++)
            r[i] = -g[i];
        for (int i = 1; i < n; i++) {
            if (d[i - 1] == 0 || !isfinite(d[i - 1]))
                return -1;
            double mlt = e[i - 1] / d[i - 1];
            d[i] -= mlt * e[i - 1];
            r[i] -= mlt * r[i - 1];
        }
        if (d[n - 1] == 0 || !isfinite(d[n - 1]))
            return -1;
        r[n - 1] /= d[n - 1];
        for (int i = n - 2; i >= 0; i--)
            r[i] = (r[i] - e[i] * r[i + 1]) / d[i];
        double step = 0, xmax = 0;
        for (int i = 0; i < n; i++) {
            x[i] += r[i];
            step = fmax(step, fabs(r[i]));
            xmax = fmax(xmax, fabs(x[i]));
        }
        if (!isfinite(step) || xmax > 1e8)
            return -1;
        if (step <= 4 * DBL_EPSILON * fmax(1.0, xmax))
            break;
    }
    double gn = 0, xmax = 0;
    ros_fdf(&p, NULL, n, x, g);
    for (int i = 0; i < n; i++) {
        gn += g[i] * g[i];
        xmax = fmax(xmax, fabs(x[i]));
    }
    gn = sqrt(gn);
    /* gradient rounding floor: terms of size b x^4 */
    if (!(gn <= 1e-9 * (1 + b) * (1 + xmax * xmax * xmax)))
        return -1;
    ros_tridiag(b, n, x, d, e);
    double lmin = fmin(fabs(tridiag_eig(n, d, e, 0)), fabs(tridiag_eig(n, d, e, n - 1)));
    int neg = sturm_count(n, d, e, 0.0);
    if (neg > 0 && neg < n) /* smallest |eigenvalue| lies next to zero */
        lmin = fmin(fabs(tridiag_eig(n, d, e, neg - 1)), fabs(tridiag_eig(n, d, e, neg)));
    if (!(lmin > 0))
        return -1;
    *tol = fmax(1e-13 * (1 + xmax), 2 * gn / lmin);
    return 0;
}

static int closed_form_min(double a, int n)
{
    return n == 2 || a == 0 || a == 1;
}

static size_t ros_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)p;
    (void)arg;
    size_t sz = sizeof(ros_state);
    if (n <= ROS_NEWTON_MAX)
        sz += 2 * (size_t)n * sizeof(double);
    return sz;
}

/* x_k of the closed-form minimum: (a, ..., a, a^2) (= (a, a^2) in 2-D, all a for a in
 * {0, 1}). */
static double closed_min_coord(double a, int n, int i)
{
    return i == n - 1 ? a * a : a;
}

static int ros_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)arg;
    ros_state *S = state;
    const double a = p->v[P_A], b = p->v[P_B];
    S->ncp = 0;
    int closed = closed_form_min(a, n);
    if (!closed && n > ROS_NEWTON_MAX)
        return LSC_OK; /* nothing known */
    if (closed && n > ROS_EIG_MAX) {
        S->cp[0] = (ros_cp){LSC_CP_MIN, 0.0, NAN, NAN, 0.0, 0};
        S->ncp = 1;
        return LSC_OK;
    }
    double *work = malloc(5 * (size_t)n * sizeof *work);
    double *xc = malloc((size_t)n * sizeof *xc);
    if (!work || !xc) {
        free(work);
        free(xc);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for rosenbrock in %d dimensions", n);
        return LSC_ENOMEM;
    }
    lsc_params q = {0};
    q.v[P_A] = a;
    q.v[P_B] = b;

    /* 0: the minimum */
    for (int i = 0; i < n; i++)
        xc[i] = closed_min_coord(a, n, i);
    double tol = 0;
    int ok = closed ? 0 : ros_newton(a, b, n, xc, work, &tol);
    if (ok == 0) {
        ros_cp *c = &S->cp[S->ncp];
        classify(b, n, xc, work, c);
        c->f = closed ? 0.0 : ros_f(&q, NULL, n, xc);
        c->tol = tol;
        c->stored = !closed;
        if (c->stored)
            memcpy(S->x + (size_t)S->ncp * (size_t)n, xc, (size_t)n * sizeof *xc);
        if (c->kind == LSC_CP_MIN)
            S->ncp++;
    }
    /* 1: the second minimum near (-1, 1, ..., 1), n >= 4 */
    if (n >= 4 && n <= ROS_NEWTON_MAX) {
        for (int i = 0; i < n; i++)
            xc[i] = i == 0 ? -a : a;
        if (ros_newton(a, b, n, xc, work, &tol) == 0) {
            double dist = 0, scale = 0;
            for (int i = 0; i < n; i++) {
                double m = S->ncp && S->cp[0].stored ? S->x[i] : closed_min_coord(a, n, i);
                dist = fmax(dist, fabs(xc[i] - m));
                scale = fmax(scale, fabs(m));
            }
            if (S->ncp == 0 || dist > 1e-6 * (1 + scale)) {
                ros_cp *c = &S->cp[S->ncp];
                classify(b, n, xc, work, c);
                c->f = ros_f(&q, NULL, n, xc);
                c->tol = tol;
                c->stored = 1;
                memcpy(S->x + (size_t)S->ncp * (size_t)n, xc, (size_t)n * sizeof *xc);
                S->ncp++;
            }
        }
    }
    free(work);
    free(xc);
    return LSC_OK;
}

static int ros_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)n;
    return ((const ros_state *)state)->ncp;
}

static void ros_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    const ros_state *S = state;
    const ros_cp *c = &S->cp[k];
    cp->kind = c->kind;
    cp->f = c->f;
    cp->eig_min = c->eig_min;
    cp->eig_max = c->eig_max;
    cp->tol = c->tol;
    for (int i = 0; i < n; i++)
        cp->x[i] = c->stored ? S->x[(size_t)k * (size_t)n + (size_t)i]
                             : closed_min_coord(p->v[P_A], n, i);
}

/* Box: 2-D x in [-2, 2], y in [-1, 3]; n-D [-2, 2]^n; widened to hold (a, a^2). */
static void ros_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)state;
    const double a = p->v[P_A];
    for (int i = 0; i < n; i++) {
        lo[i] = fmin(-2.0, a - 1);
        hi[i] = fmax(2.0, a + 1);
    }
    if (n == 2) {
        lo[1] = fmin(-1.0, a * a - 1);
        hi[1] = fmax(3.0, a * a + 1);
    }
}

/* Starts: 0: (-1.5, 2, -1.5, 2, ...); 1: (-1.2, 1, -1.2, 1, ...), the classic start of
 * Rosenbrock (1960) and More, Garbow & Hillstrom (1981). */
static void ros_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    for (int i = 0; i < n; i++)
        x[i] = k == 0 ? (i % 2 ? 2.0 : -1.5) : (i % 2 ? 1.0 : -1.2);
}

const lsc_landscape_type lsc_landscape_rosenbrock = {
    .name = "rosenbrock",
    .summary = "Rosenbrock's curved valley; chained sum in n-D",
    .formula = "f(x) = sum_{i=1}^{n-1} b (x_{i+1} - x_i^2)^2 + (a - x_i)^2, a = 1, b = 100; "
               "minimum 0 at (1, ..., 1) (2-D: (a, a^2))",
    .citation = "Rosenbrock, The Computer Journal 3(3):175-184, 1960; extended form as in "
                "Shang & Qiu, Evol. Comput. 14(1), 2006 and Kok & Sandrock, Evol. Comput. "
                "17(3), 2009",
    .dim = 0,
    .min_dim = 2,
    .default_dim = 2,
    .params = rosenbrock_params,
    .nparams = LSC_COUNTOF(rosenbrock_params),
    .log_color = 1,
    .state_size = ros_state_size,
    .init = ros_init,
    .f = ros_f,
    .fdf = ros_fdf,
    .hess = ros_hess,
    .fdf_batch = ros_fdf_batch,
    .lo = {-2.0, -1.0},
    .hi = {2.0, 3.0},
    .box = ros_box,
    .nstarts = 2,
    .start = ros_start,
    .ncritical = ros_ncritical,
    .critical = ros_critical,
};
