/* critical_search.h — critical points found numerically, for landscapes whose critical
 * points are not known in closed form (expr formulas)
 *
 * Newton's method on grad f = 0 from every point of a grid over the box; each limit where
 * the gradient vanishes (to rounding) is kept once and classified by the eigenvalues of
 * the Hessian there. A grid finds the critical points whose Newton basins it samples: a
 * point with a tiny basin can be missed, so callers say the list was found by a search.
 */
#ifndef LSC_CRITICAL_SEARCH_H
#define LSC_CRITICAL_SEARCH_H

#include "landscape.h"

#define LSC_SEARCH_MAXDIM 3 /* grids of per_axis^n starts: searched up to 3 dimensions */
#define LSC_SEARCH_MAX 64   /* critical points kept */

typedef struct {
    lsc_cp_kind kind;
    double x[LSC_SEARCH_MAXDIM];
    double f, eig_min, eig_max;
    double tol; /* the size of Newton's last step: the coordinates' accuracy */
} lsc_found_critical;

/* The function searched: f and gradient, and the Hessian (row-major n x n), at x. */
typedef struct {
    double (*fdf)(const void *ctx, const double *x, double *g);
    void (*hess)(const void *ctx, const double *x, double *H);
    const void *ctx;
} lsc_search_fn;

/* Search the box [lo_j, hi_j] with per_axis starts per axis (cell centres), n <=
 * LSC_SEARCH_MAXDIM. Writes up to LSC_SEARCH_MAX points to out, sorted by kind (minima,
 * saddles, maxima, degenerate), then f, then coordinates; returns how many. */
int lsc_search_critical(const lsc_search_fn *fn, int n, const double *lo, const double *hi,
                        int per_axis, lsc_found_critical *out);

#endif
