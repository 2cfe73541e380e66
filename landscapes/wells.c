/* wells.c — Gaussian wells on a plateau
 *
 *     f(p) = - sum_k d_k exp(-|p - c_k|^2 / (2 w_k^2)),   p = (x, y), c_k = (cx_k, cy_k)
 *
 * with d_k = depth, w_k = width (lists of equal length, one entry per well). Far from the
 * wells f and its gradient vanish: a plateau where plain gradient descent stalls and
 * sign-based or adaptive methods (Adam) still move. Defaults: three wells
 *     c = (-1, -1), (2, -2), (-2.5, 2);  d = 1, 0.7, 0.5;  w = 1, 0.6, 0.5
 * in the box [-4, 4]^2; at the standard start (3.5, 3.5) |grad f| = 1.02e-8 and f = -1.6e-9.
 *
 *     grad f = sum_k e_k (p - c_k) / w_k^2
 *     Hess f = sum_k e_k (I / w_k^2 - (p - c_k)(p - c_k)^T / w_k^4),   e_k = d_k exp(...)
 *
 * Critical points are computed at init for the given parameters, each polished by Newton's
 * method to rounding level and classified by its Hessian:
 *   - minima: damped Newton descent from each centre (a shallow well on the flank of a
 *     deep one may have no minimum of its own, and then is not listed);
 *   - saddles: Newton's method on grad f = 0 from the highest point of each segment
 *     between two centres;
 *   - maxima (inside rings of wells): Newton from the points of a 48 x 48 grid over the
 *     box where f is concave.
 * The count is checked against the Morse relation for a function that tends to its
 * supremum 0 at infinity, #min - #saddle + #max = 1; when it fails, Newton runs from every
 * grid point as well. Points in the plateau whose curvature is below 1e-6 max_k d_k/w_k^2
 * (e.g. the pass between two wells very far apart) are left out, as are duplicates.
 *
 * Reference: a mixture-of-Gaussians landscape, as in the "plateau" examples of optimizer
 * visualisations; cf. Dauphin et al., NIPS 2014, on plateaus and saddles.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "landscape.h"

enum { P_CX, P_CY, P_DEPTH, P_WIDTH };

static const lsc_param_desc wells_params[] = {
    [P_CX] = {"cx", LSC_PARAM_LIST, 0, -1e6, 1e6, 0,
              "x of each well's centre", "-1;2;-2.5"},
    [P_CY] = {"cy", LSC_PARAM_LIST, 0, -1e6, 1e6, 0,
              "y of each well's centre", "-1;-2;2"},
    [P_DEPTH] = {"depth", LSC_PARAM_LIST, 0, 0.0, 1e6, LSC_LO_OPEN,
                 "depth of each well (> 0)", "1;0.7;0.5"},
    [P_WIDTH] = {"width", LSC_PARAM_LIST, 0, 0.0, 1e6, LSC_LO_OPEN,
                 "width (standard deviation) of each well (> 0)", "1;0.6;0.5"},
};

typedef struct {
    int ncp, cap;
    lsc_critical2 cp[]; /* minima, saddles, maxima; each group by increasing f */
} wells_state;

/* f, and optionally g and H (row-major 2 x 2) */
static double wells_eval(const lsc_params *p, const double *x, double *g, double *H)
{
    const int K = p->list_n[P_CX];
    double f = 0, gx = 0, gy = 0, hxx = 0, hxy = 0, hyy = 0;
    for (int k = 0; k < K; k++) {
        const double dx = x[0] - p->list[P_CX][k], dy = x[1] - p->list[P_CY][k];
        const double iw2 = 1.0 / (p->list[P_WIDTH][k] * p->list[P_WIDTH][k]);
        const double e = p->list[P_DEPTH][k] * exp(-0.5 * (dx * dx + dy * dy) * iw2);
        f -= e;
        gx += e * dx * iw2;
        gy += e * dy * iw2;
        hxx += e * iw2 * (1.0 - dx * dx * iw2);
        hxy -= e * iw2 * dx * dy * iw2;
        hyy += e * iw2 * (1.0 - dy * dy * iw2);
    }
    if (g) {
        g[0] = gx;
        g[1] = gy;
    }
    if (H) {
        H[0] = hxx;
        H[1] = H[2] = hxy;
        H[3] = hyy;
    }
    return f;
}

static double wells_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)state;
    (void)n;
    return wells_eval(p, x, NULL, NULL);
}

static double wells_fdf(const lsc_params *p, const void *state, int n, const double *x,
                        double *g)
{
    (void)state;
    (void)n;
    return wells_eval(p, x, g, NULL);
}

static void wells_hess(const lsc_params *p, const void *state, int n, const double *x,
                       double *H)
{
    (void)state;
    (void)n;
    wells_eval(p, x, NULL, H);
}

/* box: [-4, 4]^2 grown to hold every centre +- 3 widths */
static void wells_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)state;
    (void)n;
    lo[0] = lo[1] = -4.0;
    hi[0] = hi[1] = 4.0;
    for (int k = 0; k < p->list_n[P_CX]; k++)
        for (int j = 0; j < 2; j++) {
            const double c = p->list[P_CX + j][k], w = 3.0 * p->list[P_WIDTH][k];
            lo[j] = fmin(lo[j], c - w);
            hi[j] = fmax(hi[j], c + w);
        }
}

/* eigenvalues of the symmetric 2 x 2 matrix [[a, b], [b, c]] */
static void eig2(const double *H, double *lo, double *hi)
{
    const double m = 0.5 * (H[0] + H[3]), r = hypot(0.5 * (H[0] - H[3]), H[1]);
    *lo = m - r;
    *hi = m + r;
}

/* d = -(H + mu I)^-1 g; 0 on success */
static int solve2(const double *H, double mu, const double *g, double *d)
{
    const double a = H[0] + mu, b = H[1], c = H[3] + mu, det = a * c - b * b;
    if (det == 0 || !isfinite(det))
        return -1;
    d[0] = -(c * g[0] - b * g[1]) / det;
    d[1] = -(-b * g[0] + a * g[1]) / det;
    return 0;
}

/* Damped Newton descent (Levenberg shift where H is not positive definite, Armijo
 * backtracking) from x; then pure Newton steps to full precision. 0 when it converged to
 * a point with a positive definite Hessian. */
static int wells_descend(const lsc_params *p, double *x, double curv)
{
    double g[2], H[2 * 2], d[2], xt[2];
    for (int it = 0; it < 500; it++) {
        double f = wells_eval(p, x, g, H), lo, hi;
        eig2(H, &lo, &hi);
        const double mu = lo > 1e-3 * curv ? 0.0 : 1e-3 * curv - lo;
        if (solve2(H, mu, g, d))
            return -1;
        const double slope = g[0] * d[0] + g[1] * d[1];
        double t = 1.0;
        for (int ls = 0; ls < 60; ls++, t *= 0.5) {
            xt[0] = x[0] + t * d[0];
            xt[1] = x[1] + t * d[1];
            if (wells_eval(p, xt, NULL, NULL) <= f + 1e-4 * t * slope)
                break;
        }
        x[0] = xt[0];
        x[1] = xt[1];
        if (mu == 0 && t == 1.0 && hypot(d[0], d[1]) <= 1e-10 * (1.0 + hypot(x[0], x[1])))
            break;
    }
    for (int it = 0; it < 3; it++) { /* polish */
        wells_eval(p, x, g, H);
        if (solve2(H, 0.0, g, d))
            return -1;
        x[0] += d[0];
        x[1] += d[1];
    }
    double lo, hi;
    wells_eval(p, x, g, H);
    eig2(H, &lo, &hi);
    return lo > 0 ? 0 : -1;
}

/* Newton's method on grad f = 0 from x, steps capped at `cap`. 0 when converged. */
static int wells_newton(const lsc_params *p, double *x, double cap)
{
    double g[2], H[2 * 2], d[2];
    int polish = -1;
    for (int it = 0; it < 200; it++) {
        wells_eval(p, x, g, H);
        if (solve2(H, 0.0, g, d))
            return -1;
        const double len = hypot(d[0], d[1]);
        if (len > cap) {
            d[0] *= cap / len;
            d[1] *= cap / len;
        }
        x[0] += d[0];
        x[1] += d[1];
        if (!isfinite(x[0]) || !isfinite(x[1]))
            return -1;
        if (polish < 0 && len <= 1e-10 * (1.0 + hypot(x[0], x[1])))
            polish = it + 3;
        if (it == polish)
            return 0;
    }
    return -1;
}

/* Record the converged Newton point x, classified by its Hessian, unless it lies outside
 * the box, is flat (an eigenvalue below 1e-6 curv in magnitude: plateau or degenerate) or
 * is already known. */
static void wells_record(const lsc_params *p, wells_state *S, const double *x,
                         const double *lo, const double *hi, double curv, double merge)
{
    if (!(x[0] >= lo[0] && x[0] <= hi[0] && x[1] >= lo[1] && x[1] <= hi[1]))
        return;
    double g[2], H[4], el, eh;
    const double f = wells_eval(p, x, g, H);
    eig2(H, &el, &eh);
    if (fabs(el) < 1e-6 * curv || fabs(eh) < 1e-6 * curv)
        return;
    for (int i = 0; i < S->ncp; i++)
        if (hypot(S->cp[i].x[0] - x[0], S->cp[i].x[1] - x[1]) < merge)
            return;
    if (S->ncp == S->cap)
        return;
    lsc_critical2 *c = &S->cp[S->ncp++];
    c->kind = el > 0 ? LSC_CP_MIN : eh < 0 ? LSC_CP_MAX : LSC_CP_SADDLE;
    c->x[0] = x[0];
    c->x[1] = x[1];
    c->f = f;
    c->eig_min = el;
    c->eig_max = eh;
    /* Newton polished to rounding level: the coordinates are good to ~eps |x| times the
     * condition number of the Hessian */
    const double cond = fmax(fabs(el), fabs(eh)) / fmin(fabs(el), fabs(eh));
    c->tol = 16 * DBL_EPSILON * fmax(1.0, fmax(fabs(x[0]), fabs(x[1]))) * cond;
}

static int kind_rank(lsc_cp_kind k)
{
    return k == LSC_CP_MIN ? 0 : k == LSC_CP_SADDLE ? 1 : 2;
}

static int by_kind_f(const void *a, const void *b)
{
    const lsc_critical2 *u = a, *v = b;
    if (u->kind != v->kind)
        return kind_rank(u->kind) - kind_rank(v->kind);
    return (u->f > v->f) - (u->f < v->f);
}

static int wells_count(const wells_state *S, lsc_cp_kind kind)
{
    int c = 0;
    for (int i = 0; i < S->ncp; i++)
        c += S->cp[i].kind == kind;
    return c;
}

/* Newton from each point of a G x G grid over the box; only_concave: only from points
 * where the Hessian is negative definite (the basins of Newton's method for maxima). */
static void wells_grid(const lsc_params *p, wells_state *S, const double *lo, const double *hi,
                       double curv, double wmin, double merge, int only_concave)
{
    enum { G = 48 };
    double x[2], H[4], el, eh;
    for (int i = 0; i < G; i++)
        for (int j = 0; j < G; j++) {
            x[0] = lo[0] + (hi[0] - lo[0]) * (i + 0.5) / G;
            x[1] = lo[1] + (hi[1] - lo[1]) * (j + 0.5) / G;
            if (only_concave) {
                wells_eval(p, x, NULL, H);
                eig2(H, &el, &eh);
                if (!(eh < -1e-6 * curv))
                    continue;
            }
            if (wells_newton(p, x, wmin) == 0)
                wells_record(p, S, x, lo, hi, curv, merge);
        }
}

/* room for the critical points: K minima from the centres, one saddle per pair, as many
 * maxima (Morse: #max = 1 - #min + #saddle), and a few more */
static int wells_cap(int K)
{
    return K * K + K + 16;
}

static size_t wells_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)n;
    (void)arg;
    int K = 0;
    for (int j = 0; j < 4; j++)
        K = p->list_n[j] > K ? p->list_n[j] : K;
    return sizeof(wells_state) + (size_t)wells_cap(K) * sizeof(lsc_critical2);
}

static int wells_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)n;
    (void)arg;
    const int K = p->list_n[P_CX];
    if (p->list_n[P_CY] != K || p->list_n[P_DEPTH] != K || p->list_n[P_WIDTH] != K) {
        lsc_error_set(err, LSC_EINVAL, "cx, cy, depth, width in 'wells' must have the same "
                      "length (one entry per well); got %d, %d, %d, %d", K, p->list_n[P_CY],
                      p->list_n[P_DEPTH], p->list_n[P_WIDTH]);
        return LSC_EINVAL;
    }
    if (K == 0) {
        lsc_error_set(err, LSC_EINVAL, "cx= in 'wells': expected at least one well "
                      "(cx, cy, depth, width are lists separated by ';')");
        return LSC_EINVAL;
    }
    wells_state *S = state;
    S->ncp = 0;
    S->cap = wells_cap(K);
    double curv = 0, wmin = INFINITY, lo[2], hi[2], x[2];
    for (int k = 0; k < K; k++) {
        const double w = p->list[P_WIDTH][k];
        curv = fmax(curv, p->list[P_DEPTH][k] / (w * w));
        wmin = fmin(wmin, w);
    }
    wells_box(p, NULL, 2, lo, hi);
    const double merge = 1e-6 * wmin;
    /* minima: descent from each centre */
    for (int k = 0; k < K; k++) {
        x[0] = p->list[P_CX][k];
        x[1] = p->list[P_CY][k];
        if (wells_descend(p, x, curv) == 0)
            wells_record(p, S, x, lo, hi, curv, merge);
    }
    /* saddles: Newton from the highest interior point of each centre-to-centre segment */
    enum { NSEG = 64 };
    for (int i = 0; i < K; i++)
        for (int j = i + 1; j < K; j++) {
            const double ax = p->list[P_CX][i], ay = p->list[P_CY][i];
            const double bx = p->list[P_CX][j], by = p->list[P_CY][j];
            int best = 0;
            double fbest = -INFINITY;
            for (int s = 0; s <= NSEG; s++) {
                const double t = (double)s / NSEG;
                x[0] = ax + t * (bx - ax);
                x[1] = ay + t * (by - ay);
                const double f = wells_eval(p, x, NULL, NULL);
                if (f > fbest) {
                    fbest = f;
                    best = s;
                }
            }
            if (best == 0 || best == NSEG)
                continue; /* f rises monotonically along the segment: no pass between */
            x[0] = ax + (bx - ax) * best / NSEG;
            x[1] = ay + (by - ay) * best / NSEG;
            if (wells_newton(p, x, wmin) == 0)
                wells_record(p, S, x, lo, hi, curv, merge);
        }
    /* maxima: Newton from the grid points where f is concave */
    wells_grid(p, S, lo, hi, curv, wmin, merge, 1);
    /* Morse relation on the plane for f -> 0 at infinity (a maximum there):
     * #min - #saddle + #max = 1. If it fails something was missed: Newton from every grid
     * point. (It can still fail when flat saddles, dropped above, exist.) */
    if (wells_count(S, LSC_CP_MIN) - wells_count(S, LSC_CP_SADDLE) + wells_count(S, LSC_CP_MAX)
        != 1)
        wells_grid(p, S, lo, hi, curv, wmin, merge, 0);
    qsort(S->cp, (size_t)S->ncp, sizeof S->cp[0], by_kind_f);
    return LSC_OK;
}

/* (3.5, 3.5): on the plateau, |grad f| = 1e-8 with the default wells; (-3.5, 3.5): on the
 * rim of the small well at (-2.5, 2); (0.5, -3.5): below the pass between the two deep
 * wells. */
static const double wells_starts[] = {3.5, 3.5, -3.5, 3.5, 0.5, -3.5};

static int wells_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)n;
    return ((const wells_state *)state)->ncp;
}

static void wells_critical(const lsc_params *p, const void *state, int n, int k,
                           lsc_critical *cp)
{
    (void)p;
    (void)n;
    const lsc_critical2 *c = &((const wells_state *)state)->cp[k];
    cp->kind = c->kind;
    cp->f = c->f;
    cp->eig_min = c->eig_min;
    cp->eig_max = c->eig_max;
    cp->tol = c->tol;
    cp->x[0] = c->x[0];
    cp->x[1] = c->x[1];
}

const lsc_landscape_type lsc_landscape_wells = {
    .name = "wells",
    .summary = "Gaussian wells of different depth and width on a flat plateau",
    .formula = "f(x, y) = - sum_k depth_k exp(-((x - cx_k)^2 + (y - cy_k)^2) / (2 width_k^2))"
               "   (defaults: centres (-1, -1), (2, -2), (-2.5, 2), depths 1, 0.7, 0.5, "
               "widths 1, 0.6, 0.5)",
    .citation = "mixture of Gaussian wells (plateau demo); cf. Dauphin et al., NIPS 2014",
    .dim = 2,
    .params = wells_params,
    .nparams = LSC_COUNTOF(wells_params),
    .state_size = wells_state_size,
    .init = wells_init,
    .f = wells_f,
    .fdf = wells_fdf,
    .hess = wells_hess,
    .box = wells_box,
    .lo = {-4.0, -4.0},
    .hi = {4.0, 4.0},
    .starts = wells_starts,
    .nstarts = LSC_COUNTOF(wells_starts) / 2,
    .ncritical = wells_ncritical,
    .critical = wells_critical,
};
