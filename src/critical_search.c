/* critical_search.c — critical points by Newton's method from a grid of starts
 *
 * From x0, Newton's iteration for grad f(x) = 0 is
 *
 *     H(x_k) d_k = -g(x_k),   x_{k+1} = x_k + d_k,
 *
 * which converges quadratically to a nondegenerate critical point of any kind (minimum,
 * saddle or maximum) from a neighbourhood of it, and linearly to a degenerate one (such as
 * the monkey saddle's). It stops when g = 0, or when |g| <= GRAD_TOL (1 + |f|) and the
 * last step was at most STEP_TOL (1 + |x|); a start is abandoned when H is singular, when
 * an iterate leaves the box widened by half its size on each side, or after NEWTON_MAX
 * steps without the gradient test holding. A limit counts when it lies in the box; it is the same point as one
 * already found when they are closer than SAME_TOL (1 + |x|). Its kind comes from the
 * Hessian's extreme eigenvalues, an eigenvalue within EIG_TOL (1 + max |eig|) of zero
 * making it degenerate.
 *
 * Reference: J. Nocedal and S. J. Wright, Numerical Optimization, 2nd ed., Springer 2006,
 * section 3.3 (Newton's method) and 2.1 (second-order conditions).
 */
#include "critical_search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEWTON_MAX 100
#define GRAD_TOL 1e-9
#define SAME_TOL 1e-6
#define STEP_TOL 1e-10
#define EIG_TOL 1e-8

/* Solve A d = b for n <= 3 by Gaussian elimination with partial pivoting (A, b are
 * overwritten). Returns 0, or -1 when a pivot vanishes (A singular to working precision). */
static int solve_small(int n, double *A, double *b, double *d)
{
    double scale = 0;
    for (int i = 0; i < n * n; i++)
        scale = fmax(scale, fabs(A[i]));
    for (int c = 0; c < n; c++) {
        int piv = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(A[r * n + c]) > fabs(A[piv * n + c]))
                piv = r;
        if (!(fabs(A[piv * n + c]) > 1e-14 * scale))
            return -1;
        if (piv != c) {
            for (int k = 0; k < n; k++) {
                double t = A[c * n + k];
                A[c * n + k] = A[piv * n + k];
                A[piv * n + k] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (int r = c + 1; r < n; r++) {
            double m = A[r * n + c] / A[c * n + c];
            for (int k = c; k < n; k++)
                A[r * n + k] -= m * A[c * n + k];
            b[r] -= m * b[c];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        double s = b[r];
        for (int k = r + 1; k < n; k++)
            s -= A[r * n + k] * d[k];
        d[r] = s / A[r * n + r];
    }
    return 0;
}

static double norm(int n, const double *v)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

/* Newton from x (updated in place). Returns 1 at a critical point inside the box, with
 * *tol the last step's length. */
static int newton(const lsc_search_fn *fn, int n, const double *lo, const double *hi,
                  double *x, double *tol)
{
    double g[LSC_SEARCH_MAXDIM], H[LSC_SEARCH_MAXDIM * LSC_SEARCH_MAXDIM];
    double d[LSC_SEARCH_MAXDIM];
    double step = INFINITY;
    for (int it = 0; it < NEWTON_MAX; it++) {
        double f = fn->fdf(fn->ctx, x, g), gn = norm(n, g);
        if (!isfinite(f) || !isfinite(gn))
            return 0;
        if (gn == 0 || (gn <= GRAD_TOL * (1 + fabs(f)) && step <= STEP_TOL * (1 + norm(n, x))))
            break;
        fn->hess(fn->ctx, x, H);
        for (int i = 0; i < n; i++)
            g[i] = -g[i];
        if (solve_small(n, H, g, d) != 0)
            return 0;
        step = norm(n, d);
        for (int i = 0; i < n; i++) {
            x[i] += d[i];
            double w = hi[i] - lo[i];
            if (!(x[i] >= lo[i] - 0.5 * w && x[i] <= hi[i] + 0.5 * w))
                return 0;
        }
    }
    double f = fn->fdf(fn->ctx, x, g);
    for (int i = 0; i < n; i++)
        if (!(x[i] >= lo[i] && x[i] <= hi[i]))
            return 0;
    *tol = isfinite(step) ? step : 0;
    return isfinite(f) && norm(n, g) <= GRAD_TOL * (1 + fabs(f));
}

static void classify(const lsc_search_fn *fn, int n, lsc_found_critical *cp)
{
    double g[LSC_SEARCH_MAXDIM], H[LSC_SEARCH_MAXDIM * LSC_SEARCH_MAXDIM];
    cp->f = fn->fdf(fn->ctx, cp->x, g);
    fn->hess(fn->ctx, cp->x, H);
    if (lsc_sym_eig_range(n, H, &cp->eig_min, &cp->eig_max) != LSC_OK) {
        cp->kind = LSC_CP_DEGENERATE;
        cp->eig_min = cp->eig_max = NAN;
        return;
    }
    double zero = EIG_TOL * (1 + fmax(fabs(cp->eig_min), fabs(cp->eig_max)));
    cp->kind = cp->eig_min < -zero && cp->eig_max > zero ? LSC_CP_SADDLE
               : cp->eig_min > zero                     ? LSC_CP_MIN
               : cp->eig_max < -zero                    ? LSC_CP_MAX
                                                        : LSC_CP_DEGENERATE;
}

static int kind_rank(lsc_cp_kind k)
{
    return k == LSC_CP_MIN ? 0 : k == LSC_CP_SADDLE ? 1 : k == LSC_CP_MAX ? 2 : 3;
}

static int by_kind_f_x(const void *pa, const void *pb)
{
    const lsc_found_critical *a = pa, *b = pb;
    if (kind_rank(a->kind) != kind_rank(b->kind))
        return kind_rank(a->kind) - kind_rank(b->kind);
    if (a->f != b->f)
        return a->f < b->f ? -1 : 1;
    for (int i = 0; i < LSC_SEARCH_MAXDIM; i++)
        if (a->x[i] != b->x[i])
            return a->x[i] < b->x[i] ? -1 : 1;
    return 0;
}

int lsc_search_critical(const lsc_search_fn *fn, int n, const double *lo, const double *hi,
                        int per_axis, lsc_found_critical *out)
{
    if (n < 1 || n > LSC_SEARCH_MAXDIM || per_axis < 1)
        return 0;
    long total = 1;
    for (int i = 0; i < n; i++)
        total *= per_axis;
    int found = 0;
    for (long s = 0; s < total && found < LSC_SEARCH_MAX; s++) {
        lsc_found_critical c;
        memset(&c, 0, sizeof c);
        long r = s;
        for (int i = 0; i < n; i++, r /= per_axis) /* cell centres of the grid */
            c.x[i] = lo[i] + (hi[i] - lo[i]) * ((double)(r % per_axis) + 0.5) / per_axis;
        if (!newton(fn, n, lo, hi, c.x, &c.tol))
            continue;
        int seen = 0;
        for (int k = 0; k < found && !seen; k++) {
            double d[LSC_SEARCH_MAXDIM];
            for (int i = 0; i < n; i++)
                d[i] = c.x[i] - out[k].x[i];
            seen = norm(n, d) <= SAME_TOL * (1 + norm(n, c.x));
        }
        if (seen)
            continue;
        classify(fn, n, &c);
        out[found++] = c;
    }
    qsort(out, (size_t)found, sizeof *out, by_kind_f_x);
    return found;
}
