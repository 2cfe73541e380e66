/* lee_saddle.c — strict saddle with quartic unstable directions (Lee et al. 2016 style)
 *
 * Coordinates split into n - k stable ones x and k unstable ones y (the last k):
 *
 *     f(x, y) = 1/2 sum_{i=1}^{n-k} x_i^2 + sum_{j=1}^{k} ( 1/4 y_j^4 - 1/2 y_j^2 )
 *
 * For n = 2, k = 1 this is the example f(x, y) = 1/2 x^2 + 1/4 y^4 - 1/2 y^2 of Lee,
 * Simchowitz, Jordan & Recht: the origin is a strict saddle whose stable manifold is the
 * line y = 0; gradient descent started on it converges to the saddle, from anywhere else
 * it reaches one of the minima (0, +-1).
 *
 *     df/dx_i = x_i,   df/dy_j = y_j^3 - y_j,   d2f/dx_i^2 = 1,   d2f/dy_j^2 = 3 y_j^2 - 1
 *
 * Critical points: x = 0 and each y_j in {0, +1, -1}, 3^k in all, f = -1/4 #{y_j != 0}.
 * Hessian eigenvalues 1 (x), -1 (y_j = 0), 2 (y_j = +-1). All y_j != 0: minimum (f = -k/4);
 * some y_j = 0: strict saddle (maximum when k = n and y = 0). Listed: all 3^k for
 * k <= LEE_LIST_MAX, else the origin and the two minima y = +-(1, ..., 1). Point 0 is
 * the origin. Point index in base 3 (coordinate j of y: digit 0 -> 0, 1 -> +1, 2 -> -1).
 *
 * Reference: J. D. Lee, M. Simchowitz, M. I. Jordan, B. Recht, Gradient descent only
 * converges to minimizers, COLT 2016 (PMLR 49:1246-1257).
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

#define LEE_LIST_MAX 6 /* list all 3^k critical points up to k = 6 (729) */

enum { P_K };

static const lsc_param_desc lee_params[] = {
    [P_K] = {"k", LSC_PARAM_INT, 1, 0, LSC_MAX_DIM, 0,
             "number of unstable directions y (the last k coordinates; k <= n)", NULL},
};

static int lee_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)state;
    (void)arg;
    const int k = (int)p->v[P_K];
    if (k > n) {
        lsc_error_set(err, LSC_EINVAL,
                      "landscape: lee-saddle: k=%d unstable directions but dim is %d "
                      "(allowed: k from 0 to %d)",
                      k, n, n);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* f = 1/2 sum x_i^2 + sum (1/4 y^4 - 1/2 y^2) */
static double lee_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    const int m = n - (int)p->v[P_K];
    double s = 0, t = 0;
    for (int i = 0; i < m; i++)
        s += x[i] * x[i];
    for (int i = m; i < n; i++) {
        double y2 = x[i] * x[i];
        t += y2 * (0.25 * y2 - 0.5);
    }
    return 0.5 * s + t;
}

static double lee_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)state;
    const int m = n - (int)p->v[P_K];
    double s = 0, t = 0;
    for (int i = 0; i < m; i++) {
        s += x[i] * x[i];
        g[i] = x[i];
    }
    for (int i = m; i < n; i++) {
        double y = x[i], y2 = y * y;
        t += y2 * (0.25 * y2 - 0.5);
        g[i] = y * (y2 - 1.0); /* y^3 - y */
    }
    return 0.5 * s + t;
}

static void lee_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)state;
    const int m = n - (int)p->v[P_K];
    memset(H, 0, (size_t)n * (size_t)n * sizeof *H);
    for (int i = 0; i < n; i++)
        H[(size_t)i * (size_t)n + (size_t)i] = i < m ? 1.0 : 3.0 * x[i] * x[i] - 1.0;
}

/* Starts: 0: x = 1, y = 1e-4: next to the stable manifold (slow escape);
 * 1: x = 1, y = 0: on the stable manifold, gradient descent converges to the saddle. */
static void lee_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)state;
    const int m = n - (int)p->v[P_K];
    for (int i = 0; i < n; i++)
        x[i] = i < m ? 1.0 : (k == 0 ? 1e-4 : 0.0);
}

static int lee_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)state;
    (void)n;
    const int k = (int)p->v[P_K];
    if (k > LEE_LIST_MAX)
        return 3;
    int c = 1;
    for (int j = 0; j < k; j++)
        c *= 3;
    return c;
}

static void lee_critical(const lsc_params *p, const void *state, int n, int idx,
                         lsc_critical *cp)
{
    (void)state;
    const int k = (int)p->v[P_K], m = n - k;
    int zeros = 0;
    for (int i = 0; i < m; i++)
        cp->x[i] = 0.0;
    for (int j = 0; j < k; j++) {
        int digit;
        if (k > LEE_LIST_MAX)
            digit = idx; /* 0: origin, 1: all +1, 2: all -1 */
        else {
            digit = idx % 3;
            idx /= 3;
        }
        cp->x[m + j] = digit == 0 ? 0.0 : digit == 1 ? 1.0 : -1.0;
        zeros += digit == 0;
    }
    cp->f = -0.25 * (k - zeros) + 0.0; /* + 0.0: no -0 */
    cp->kind = zeros == 0 ? LSC_CP_MIN : zeros == n ? LSC_CP_MAX : LSC_CP_SADDLE;
    /* eigenvalues present: 1 (m > 0), -1 (zeros > 0), 2 (k - zeros > 0) */
    cp->eig_min = zeros > 0 ? -1.0 : m > 0 ? 1.0 : 2.0;
    cp->eig_max = k - zeros > 0 ? 2.0 : m > 0 ? 1.0 : -1.0;
    cp->tol = 0.0;
}

const lsc_landscape_type lsc_landscape_lee_saddle = {
    .name = "lee-saddle",
    .summary = "strict saddle 1/2|x|^2 + sum (y^4/4 - y^2/2) with k unstable directions "
               "(Lee et al. 2016)",
    .formula = "f(x, y) = 1/2 sum_{i<=n-k} x_i^2 + sum_{j<=k} (1/4 y_j^4 - 1/2 y_j^2), y = the "
               "last k = 1 coordinates; saddle at 0, minima at x = 0, y_j = +-1, f = -k/4",
    .citation = "Lee, Simchowitz, Jordan & Recht, Gradient descent only converges to "
                "minimizers, COLT 2016",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = lee_params,
    .nparams = LSC_COUNTOF(lee_params),
    .log_color = 0,
    .init = lee_init,
    .f = lee_f,
    .fdf = lee_fdf,
    .hess = lee_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .nstarts = 2,
    .start = lee_start,
    .ncritical = lee_ncritical,
    .critical = lee_critical,
};
