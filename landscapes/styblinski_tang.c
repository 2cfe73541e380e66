/* styblinski_tang.c — the Styblinski-Tang function in n dimensions
 *
 *     f(x) = 1/2 sum_{i=1}^{n} ( x_i^4 - 16 x_i^2 + 5 x_i )
 *
 *     df/dx_i = 2 x_i^3 - 16 x_i + 5/2,      d2f/dx_i^2 = 6 x_i^2 - 16
 *
 * Separable: every coordinate of a critical point is a root of 4x^3 - 32x + 5 = 0, i.e. of
 * the depressed cubic x^3 + p x + q with p = -8, q = 5/4, whose three real roots are
 *     r_k = 2 sqrt(-p/3) cos( 1/3 arccos( (3q / (2p)) sqrt(-3/p) ) - 2 pi k / 3 ),  k = 0,1,2
 * (Viete's trigonometric solution), polished by Newton's method:
 *     r_min = -2.903534027771178  (global minimum in that coordinate, f_1 = -39.16616570377141)
 *     r_loc =  2.746802770990838  (local minimum, f_1 = -25.02944665528394)
 *     r_max =  0.1567312567803401 (maximum, f_1 = 0.1956123590553581).
 * Hence 3^n critical points; one with c coordinates at r_max is a minimum when c = 0, a
 * maximum when c = n and a saddle of index c otherwise. The global minimum is
 * f = -39.16616570377142 n at (r_min, ..., r_min).
 * Listed: all 3^n for n <= ST_LIST_MAX, ordered by the base-3 digits of the index
 * (coordinate i: digit 0 -> r_min, 1 -> r_loc, 2 -> r_max; point 0 is the global minimum);
 * for n > ST_LIST_MAX only the global minimum.
 *
 * Reference: M. A. Styblinski, T.-S. Tang, Experiments in nonconvex optimization:
 * stochastic approximation with function smoothing and simulated annealing, Neural
 * Networks 3(4):467-483, 1990; domain [-5, 5]^n as in the SFU library.
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

#define ST_LIST_MAX 6 /* list all 3^n critical points up to n = 6 (729) */
#define ST_PI 3.14159265358979323846

/* f_1(x) = 1/2 (x^4 - 16 x^2 + 5 x) */
static double st1(double x)
{
    double x2 = x * x;
    return 0.5 * (x2 * x2 - 16 * x2 + 5 * x);
}

static double st_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    double s = 0;
    for (int i = 0; i < n; i++)
        s += st1(x[i]);
    return s;
}

static double st_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)p;
    (void)state;
    double s = 0;
    for (int i = 0; i < n; i++) {
        s += st1(x[i]);
        g[i] = 2 * x[i] * x[i] * x[i] - 16 * x[i] + 2.5;
    }
    return s;
}

static void st_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)p;
    (void)state;
    memset(H, 0, (size_t)n * (size_t)n * sizeof *H);
    for (int i = 0; i < n; i++)
        H[(size_t)i * (size_t)n + (size_t)i] = 6 * x[i] * x[i] - 16;
}

/* Root k of x^3 - 8x + 5/4 (k = 0: r_min, 1: r_loc, 2: r_max), Viete then Newton. */
static double st_root(int k)
{
    const double p = -8.0, q = 1.25;
    const double amp = 2 * sqrt(-p / 3);
    const double phi = acos(3 * q / (2 * p) * sqrt(-3 / p)) / 3;
    /* Viete's k = 0 is the largest root, k = 1 the middle one, k = 2 the smallest */
    static const int viete[3] = {2, 0, 1};
    double x = amp * cos(phi - 2 * ST_PI * viete[k] / 3);
    for (int it = 0; it < 4; it++) {
        double fx = (x * x + p) * x + q, dfx = 3 * x * x + p;
        double dx = fx / dfx;
        x -= dx;
        if (fabs(dx) <= 1e-16 * fabs(x))
            break;
    }
    return x;
}

/* Starts: 0: (0, ..., 0), downhill to the global minimum; 1: (4.5, ..., 4.5), into the
 * local minimum (r_loc, ..., r_loc); 2: (-4.5, 4.5, -4.5, ...). */
static void st_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    for (int i = 0; i < n; i++)
        x[i] = k == 0 ? 0.0 : k == 1 ? 4.5 : (i % 2 ? 4.5 : -4.5);
}

static int st_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    if (n > ST_LIST_MAX)
        return 1;
    int c = 1;
    for (int i = 0; i < n; i++)
        c *= 3;
    return c;
}

static void st_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    (void)p;
    (void)state;
    const double r[3] = {st_root(0), st_root(1), st_root(2)};
    int nmax = 0;
    double f = 0, lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        int d = 0;
        if (n <= ST_LIST_MAX) {
            d = k % 3;
            k /= 3;
        }
        double x = r[d], h = 6 * x * x - 16;
        cp->x[i] = x;
        f += st1(x);
        lo = fmin(lo, h);
        hi = fmax(hi, h);
        nmax += d == 2;
    }
    cp->kind = nmax == 0 ? LSC_CP_MIN : nmax == n ? LSC_CP_MAX : LSC_CP_SADDLE;
    cp->f = f;
    cp->eig_min = lo;
    cp->eig_max = hi;
    cp->tol = 1e-14;
}

const lsc_landscape_type lsc_landscape_styblinski_tang = {
    .name = "styblinski-tang",
    .summary = "Styblinski-Tang: 3^n critical points, 2^n minima",
    .formula = "f(x) = 1/2 sum_i (x_i^4 - 16 x_i^2 + 5 x_i); minimum -39.16616570377142 n at "
               "x_i = -2.903534027771178",
    .citation = "Styblinski & Tang, Neural Networks 3(4):467-483, 1990; domain as in the SFU "
                "library",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = NULL,
    .nparams = 0,
    .log_color = 0,
    .f = st_f,
    .fdf = st_fdf,
    .hess = st_hess,
    .lo = {-5.0, -5.0},
    .hi = {5.0, 5.0},
    .nstarts = 3,
    .start = st_start,
    .ncritical = st_ncritical,
    .critical = st_critical,
};
