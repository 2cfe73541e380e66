/* rastrigin.c — the Rastrigin function in n dimensions
 *
 *     f(x) = 10 n + sum_{i=1}^{n} ( x_i^2 - 10 cos(2 pi x_i) )
 *
 *     df/dx_i = 2 x_i + 20 pi sin(2 pi x_i),      d2f/dx_i^2 = 2 + 40 pi^2 cos(2 pi x_i)
 *
 * Global minimum f = 0 at the origin. Separable: each coordinate of a critical point is a
 * root of h'(x) = 2x + 20 pi sin(2 pi x), i.e. sin(2 pi x) = -x / (10 pi). Inside the
 * domain [-5.12, 5.12] there is exactly one root next to each integer k = -5..5 (a
 * minimum of h, at about k (1 - 1/(1 + 20 pi^2))) and one next to each half-integer
 * +-0.5..+-4.5 (a maximum of h): 21 roots, each polished by Newton's method to full
 * precision. A critical point with c coordinates at maxima of h is a minimum (c = 0), a
 * maximum (c = n) or a saddle of index c.
 * Listed (point 0 is the global minimum):
 *   n <= 2: all 21^n critical points in the domain (21 or 441);
 *   3 <= n <= 5: the 3^n minima next to {-1, 0, 1}^n;
 *   n >= 6: the global minimum only.
 * Coordinate i of point k is root d of the list below, d the i-th digit of k in base 21
 * (n <= 2) or 3: 0 -> 0, then the minima next to +1, -1, +2, -2, ..., +5, -5, then the
 * maxima next to +0.5, -0.5, ..., +4.5, -4.5.
 *
 * Reference: L. A. Rastrigin, Systems of Extremal Control, Nauka, Moscow, 1974; n-D form
 * of H. Muhlenbein, M. Schomisch, J. Born, The parallel genetic algorithm as function
 * optimizer, Parallel Computing 17:619-632, 1991; domain as in the SFU library.
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

#define RA_PI 3.14159265358979323846
#define RA_NROOTS 21 /* roots of h' in [-5.12, 5.12] */

static double ra_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    double s = 0;
    for (int i = 0; i < n; i++)
        s += 10.0 + x[i] * x[i] - 10.0 * cos(2 * RA_PI * x[i]);
    return s;
}

static double ra_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)p;
    (void)state;
    double s = 0;
    for (int i = 0; i < n; i++) {
        double t = 2 * RA_PI * x[i];
        s += 10.0 + x[i] * x[i] - 10.0 * cos(t);
        g[i] = 2 * x[i] + 20 * RA_PI * sin(t);
    }
    return s;
}

static void ra_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)p;
    (void)state;
    memset(H, 0, (size_t)n * (size_t)n * sizeof *H);
    for (int i = 0; i < n; i++)
        H[(size_t)i * (size_t)n + (size_t)i] = 2 + 40 * RA_PI * RA_PI * cos(2 * RA_PI * x[i]);
}

/* Root d (0..20) of h'(x) = 2x + 20 pi sin(2 pi x), by Newton's method from the nearby
 * integer or half-integer; negative roots by symmetry so that the list is exactly odd. */
static double ra_root(int d)
{
    double c; /* initial guess */
    if (d == 0)
        return 0.0;
    if (d <= 10)
        c = (d + 1) / 2; /* 1, 1, 2, 2, ..., 5, 5 */
    else
        c = (d - 11) / 2 + 0.5; /* 0.5, 0.5, ..., 4.5, 4.5 */
    double x = c;
    for (int it = 0; it < 50; it++) {
        double t = 2 * RA_PI * x;
        double dx = (2 * x + 20 * RA_PI * sin(t)) / (2 + 40 * RA_PI * RA_PI * cos(t));
        x -= dx;
        if (fabs(dx) <= 1e-17 * fabs(x))
            break;
    }
    int negative = d <= 10 ? d % 2 == 0 : (d - 11) % 2 == 1;
    return negative ? -x : x;
}

/* Starts: 0: (4, 4, ...), 1: (-2.5, 3.5, -2.5, ...); both far from the global basin. */
static void ra_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    for (int i = 0; i < n; i++)
        x[i] = k == 0 ? 4.0 : (i % 2 ? 3.5 : -2.5);
}

static int ra_base(int n)
{
    return n <= 2 ? RA_NROOTS : n <= 5 ? 3 : 1;
}

static int ra_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    int c = 1;
    for (int i = 0, b = ra_base(n); i < n && b > 1; i++)
        c *= b;
    return c;
}

static void ra_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    (void)p;
    (void)state;
    const int base = ra_base(n);
    int nmax = 0;
    double f = 0, lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        int d = k % base;
        k /= base;
        double x = ra_root(d);
        double t = 2 * RA_PI * x, h = 2 + 40 * RA_PI * RA_PI * cos(t);
        cp->x[i] = x;
        f += 10.0 + x * x - 10.0 * cos(t);
        lo = fmin(lo, h);
        hi = fmax(hi, h);
        nmax += h < 0;
    }
    cp->kind = nmax == 0 ? LSC_CP_MIN : nmax == n ? LSC_CP_MAX : LSC_CP_SADDLE;
    cp->f = f;
    cp->eig_min = lo;
    cp->eig_max = hi;
    cp->tol = 1e-14;
}

const lsc_landscape_type lsc_landscape_rastrigin = {
    .name = "rastrigin",
    .summary = "Rastrigin: a bowl covered in a grid of local minima",
    .formula = "f(x) = 10 n + sum_i (x_i^2 - 10 cos(2 pi x_i)); minimum 0 at x = 0",
    .citation = "Rastrigin 1974; Muhlenbein, Schomisch & Born, Parallel Computing 17, 1991; "
                "domain as in the SFU library",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = NULL,
    .nparams = 0,
    .log_color = 0,
    .f = ra_f,
    .fdf = ra_fdf,
    .hess = ra_hess,
    .lo = {-5.12, -5.12},
    .hi = {5.12, 5.12},
    .nstarts = 2,
    .start = ra_start,
    .ncritical = ra_ncritical,
    .critical = ra_critical,
};
