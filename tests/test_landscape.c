/* test_landscape.c — every landscape of the registry against independent references
 *
 * Parameterized over lsc_landscape_registry (types with raw_arg, i.e. expr, are tested by
 * their own suite): each fixed 2-D family once, each n-D family at dims 2, 3 and 7 (those
 * its min_dim allows), plus a few non-default parameter sets of the parametric 2-D
 * families. For every case:
 *   - the known critical points: value (table), gradient ~ 0 (within the table's
 *     coordinate tolerance), Hessian symmetric with the table's extreme eigenvalues, kind
 *     consistent with those eigenvalues, point inside the box and the domain;
 *   - analytic gradient vs central differences of f, analytic Hessian vs central
 *     differences of the analytic gradient, at 50 seeded random points of the box and 5
 *     around each critical point; the tolerance is estimated from the finite differences
 *     themselves (two step sizes), so a wrong derivative fails;
 *   - fdf's value equals f; NaN in gives NaN out; lsc_landscape_fdf_batch equals fdf;
 *   - standard starts inside the box; descriptor fields filled in; parameter defaults in
 *     range; out-of-range parameters and unknown keys rejected by lsc_landscape_new.
 * The models over data (linreg, logreg, softmax, mlp) are cases too, each over a small
 * generated data set (model_specs).
 * Plus registry-wide checks: unique names, --dim refused for fixed 2-D families, and a few
 * family-specific facts (closed forms, init errors, the double-well trap).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <float.h>
#include <signal.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

#include "landscape.h"
#include "model.h"

#define EPS DBL_EPSILON
#define MAXN 8

/* ---- cases ------------------------------------------------------------------------ */

typedef struct {
    char spec[160];
    int dim;
    char data[64]; /* a model's data set (model.h), or "" */
} lcase;

/* Non-default parameter sets; a spec whose family is not registered is skipped. */
static const char *const extra_specs[] = {
    "quadratic:kappa=-3",
    "quadratic:kappa=0.25",
    "wells:cx=-2;2,cy=0;0.5,depth=1;2,width=1;0.7",
    "wells:cx=0,cy=0,depth=3,width=0.5",
    "wells:cx=1;-0.5;-0.5,cy=0;0.866;-0.866,depth=1;1.2;0.8,width=0.5;0.55;0.45",
    "double-well:left=0.2,right=1.5,sep=1.5,barrier=2,ky=3",
    "rnn:hidden=1,steps=6,sequences=5", /* 5-D: the default rnn (89-D) is beyond MAXN */
};

/* Models over data (model.h), each with a small data set, and the dimension that gives
 * (at most MAXN). */
static const struct {
    const char *spec, *data;
    int dim;
} model_specs[] = {
    {"linreg", "linear:features=2,n=40", 3},
    {"linreg:l2=0.5", "mean:n=9", 1},
    {"logreg", "xor:n=40,noise=0.2", 3},
    {"softmax:l2=0.1", "blobs:features=1,classes=3,n=30", 6},
    {"mlp:hidden=1", "sine:n=30", 4},
    {"mlp:hidden=1;1,act=relu,l2=0.01", "sine:n=30", 6},
    {"mlp:hidden=1,act=sigmoid,loss=ce", "blobs:features=1,classes=2,n=20", 6},
    {"mlp:hidden=2,act=leaky-relu", "mean:n=5", 5},
};

static int ncases;
static lcase cases[512];

static void add_case_data(const char *spec, int dim, const char *data)
{
    if (ncases < LSC_COUNTOF(cases)) {
        snprintf(cases[ncases].spec, sizeof cases[ncases].spec, "%s", spec);
        cases[ncases].dim = dim;
        snprintf(cases[ncases].data, sizeof cases[ncases].data, "%s", data);
        ncases++;
    }
}

static void add_case(const char *spec, int dim)
{
    add_case_data(spec, dim, "");
}

/* The dimension spec's parameters give it (dim_from, e.g. rnn:hidden=1 is 5-D), or 0. */
static int implied_dim(const char *spec)
{
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(spec, ":"), spec);
    const lsc_landscape_type *T = lsc_landscape_type_find(name);
    if (!T || T->dim > 0 || !T->dim_from)
        return 0;
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new(spec, 0, "landscape", &err);
    const int n = L && L->type->dim_from(&L->params, L->arg) ? L->n : 0;
    lsc_landscape_free(L);
    return n;
}

static void build_cases(void)
{
    ncases = 0;
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        if (T->raw_arg || T->init_data) /* models: below, with their data */
            continue;
        if (T->dim > 0) {
            add_case(T->name, T->dim);
            continue;
        }
        const int implied = implied_dim(T->name);
        if (implied > 0) { /* the defaults fix the dimension (rnn): that one, or extra_specs */
            if (implied <= MAXN)
                add_case(T->name, implied);
            continue;
        }
        static const int dims[] = {2, 3, 7};
        int any = 0;
        for (int k = 0; k < LSC_COUNTOF(dims); k++)
            if (dims[k] >= T->min_dim) {
                add_case(T->name, dims[k]);
                any = 1;
            }
        if (!any && T->min_dim <= MAXN)
            add_case(T->name, T->min_dim);
    }
    for (int k = 0; k < LSC_COUNTOF(model_specs); k++)
        add_case_data(model_specs[k].spec, model_specs[k].dim, model_specs[k].data);
    for (int k = 0; k < LSC_COUNTOF(extra_specs); k++) {
        char name[64];
        size_t len = strcspn(extra_specs[k], ":");
        snprintf(name, sizeof name, "%.*s", (int)len, extra_specs[k]);
        const lsc_landscape_type *T = lsc_landscape_type_find(name);
        const int implied = implied_dim(extra_specs[k]);
        if (T)
            add_case(extra_specs[k], T->dim > 0 ? T->dim : implied > 0 ? implied : 2);
    }
}

/* spec at dimension dim, over data when the case has a data set */
static lsc_landscape *new_landscape(const lcase *c, const char *spec, int dim, lsc_error *err)
{
    if (c->data[0])
        return lsc_landscape_load_model(spec, dim, c->data, NULL, 0, 1, "--landscape", err);
    return lsc_landscape_new(spec, dim, "--landscape", err);
}

static lsc_landscape *make(const lcase *c)
{
    lsc_error err = {0};
    lsc_landscape *L = new_landscape(c, c->spec, c->dim, &err);
    cr_assert_not_null(L, "%s (dim %d): %s", c->spec, c->dim, err.msg);
    cr_assert_eq(L->n, c->dim, "%s", c->spec);
    return L;
}

/* The landscape's first standard start, or a fixed point for one without (the models). */
static void start0(const lsc_landscape *L, double *x)
{
    if (lsc_landscape_nstarts(L) > 0)
        lsc_landscape_start(L, 0, x);
    else
        for (int j = 0; j < L->n; j++)
            x[j] = 0.3 - 0.1 * j;
}

/* ---- helpers ------------------------------------------------------------------------ */

/* splitmix64: a tiny seeded generator, so the points do not depend on anything else */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double rng_uniform(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) * 0x1.0p-53;
}

static uint64_t seed_of(const char *spec, int dim)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = spec; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h ^ (uint64_t)dim;
}

/* smallest |eigenvalue| of a symmetric matrix (GSL, all eigenvalues) */
static double min_abs_eig(int n, const double *H)
{
    gsl_matrix *A = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_vector *ev = gsl_vector_alloc((size_t)n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc((size_t)n);
    memcpy(A->data, H, (size_t)n * (size_t)n * sizeof *H);
    gsl_eigen_symm(A, ev, w);
    double m = INFINITY;
    for (int i = 0; i < n; i++)
        m = fmin(m, fabs(gsl_vector_get(ev, (size_t)i)));
    gsl_matrix_free(A);
    gsl_vector_free(ev);
    gsl_eigen_symm_free(w);
    return m;
}

static double norm_inf(int n, const double *v)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = fmax(m, fabs(v[i]));
    return m;
}

/* Random points: 50 uniform in the box, then 5 within a small ball around each known
 * critical point (inside the box), where the interesting structure is. Returns count. */
#define NBOX 50
#define NNEAR 5
#define MAXPTS 400
static int sample_points(const lsc_landscape *L, const char *spec, double pts[][MAXN])
{
    const int n = L->n;
    double lo[MAXN], hi[MAXN], xc[MAXN];
    lsc_landscape_box(L, lo, hi);
    uint64_t s = seed_of(spec, n);
    int np = 0;
    for (int k = 0; k < NBOX; k++, np++)
        for (int j = 0; j < n; j++)
            pts[np][j] = lo[j] + (hi[j] - lo[j]) * rng_uniform(&s);
    int nc = lsc_landscape_ncritical(L);
    for (int c = 0; c < nc && np + NNEAR <= MAXPTS; c++) {
        lsc_critical cp = {.x = xc};
        lsc_landscape_critical(L, c, &cp);
        for (int k = 0; k < NNEAR; k++, np++)
            for (int j = 0; j < n; j++) {
                double r = fmin(1.0, 0.05 * (hi[j] - lo[j]));
                pts[np][j] = fmin(hi[j], fmax(lo[j], xc[j] + r * (2 * rng_uniform(&s) - 1)));
            }
    }
    return np;
}

/* ---- parameterized tests ------------------------------------------------------------ */

#define CASES()                                                                          \
    do {                                                                                 \
        build_cases();                                                                   \
        return cr_make_param_array(lcase, cases, (size_t)ncases);                        \
    } while (0)

ParameterizedTestParameters(landscape, critical_points)
{
    CASES();
}

ParameterizedTest(lcase *c, landscape, critical_points)
{
    lsc_landscape *L = make(c);
    const int n = L->n;
    double x[MAXN], g[MAXN], H[MAXN * MAXN], lo[MAXN], hi[MAXN];
    lsc_landscape_box(L, lo, hi);
    int nc = lsc_landscape_ncritical(L);
    /* a model's minima depend on its data: known only for linreg (the normal equations) */
    cr_assert(nc >= 1 || (lsc_landscape_model(L) && strncmp(c->spec, "linreg", 6)),
              "%s: no known critical point", c->spec);
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = x};
        lsc_landscape_critical(L, k, &cp);
        const char *what = lsc_cp_kind_name(cp.kind);
        cr_assert(strcmp(what, "?"), "%s #%d: bad kind %d", c->spec, k, (int)cp.kind);
        cr_assert(cp.tol >= 0 && isfinite(cp.tol), "%s #%d: tol %g", c->spec, k, cp.tol);
        for (int j = 0; j < n; j++)
            cr_assert(x[j] >= lo[j] && x[j] <= hi[j], "%s #%d (%s): x%d = %.17g outside [%g, %g]",
                      c->spec, k, what, j + 1, x[j], lo[j], hi[j]);
        cr_assert(lsc_landscape_in_domain(L, x), "%s #%d: outside the domain", c->spec, k);

        /* value: the table's, to about 1e-12 relative */
        double f = lsc_landscape_f(L, x);
        cr_assert(fabs(f - cp.f) <= 1e-12 * fmax(1.0, fabs(cp.f)),
                  "%s #%d (%s): f = %.17g, table %.17g", c->spec, k, what, f, cp.f);

        /* gradient ~ 0: the coordinates are off by at most tol (plus their own rounding),
         * which moves the gradient by at most |H| times that */
        double fg = lsc_landscape_fdf(L, x, g);
        cr_assert(fabs(fg - f) <= 1e-14 * fmax(1.0, fabs(f)), "%s #%d: fdf %.17g vs f %.17g",
                  c->spec, k, fg, f);
        double hscale = 1.0; /* |H| (infinity norm), at least 1 */
        /* eig NAN: no Hessian at this point (e.g. the tip of a cone) */
        const int has_h = lsc_landscape_has_hessian(L) && !isnan(cp.eig_min);
        if (has_h) {
            cr_assert_eq(lsc_landscape_hess(L, x, H), LSC_OK);
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < n; j++)
                    row += fabs(H[i * n + j]);
                hscale = fmax(hscale, row);
            }
        } else if (isfinite(cp.eig_max)) {
            hscale = fmax(1.0, fmax(fabs(cp.eig_min), fabs(cp.eig_max)));
        }
        double xs = fmax(1.0, norm_inf(n, x));
        double gbound = hscale * (2 * cp.tol + 4 * EPS * xs) + 64 * EPS * fmax(1.0, fabs(f));
        for (int j = 0; j < n; j++)
            cr_assert(fabs(g[j]) <= gbound, "%s #%d (%s): df/dx%d = %.3g at a critical point "
                      "(bound %.3g)", c->spec, k, what, j + 1, g[j], gbound);

        if (!has_h)
            continue;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                cr_assert(fabs(H[i * n + j] - H[j * n + i]) <= 1e-12 * hscale,
                          "%s #%d: Hessian not symmetric (%d,%d)", c->spec, k, i, j);
        double emin, emax;
        cr_assert_eq(lsc_sym_eig_range(n, H, &emin, &emax), LSC_OK);
        double etol = 1e-10 * fmax(1.0, fmax(fabs(cp.eig_min), fabs(cp.eig_max)));
        cr_assert(fabs(emin - cp.eig_min) <= etol && fabs(emax - cp.eig_max) <= etol,
                  "%s #%d (%s): Hessian eigenvalues [%.17g, %.17g], table [%.17g, %.17g]",
                  c->spec, k, what, emin, emax, cp.eig_min, cp.eig_max);
        /* the kind agrees with the eigenvalues (second-order necessary conditions: a
         * minimum on a manifold of minima has a semidefinite Hessian) */
        double zero = 1e-9 * fmax(1.0, fmax(fabs(emin), fabs(emax)));
        switch (cp.kind) {
        case LSC_CP_MIN:
            cr_assert(emin >= -zero, "%s #%d: 'min' with eigenvalue %g", c->spec, k, emin);
            break;
        case LSC_CP_MAX:
            cr_assert(emax <= zero, "%s #%d: 'max' with eigenvalue %g", c->spec, k, emax);
            break;
        case LSC_CP_SADDLE:
            cr_assert(emin < -zero && emax > zero, "%s #%d: 'saddle' with eigenvalues %g, %g",
                      c->spec, k, emin, emax);
            break;
        case LSC_CP_DEGENERATE:
            cr_assert(min_abs_eig(n, H) <= zero, "%s #%d: 'degenerate' but the smallest "
                      "|eigenvalue| is %g", c->spec, k, min_abs_eig(n, H));
            break;
        }
    }
    lsc_landscape_free(L);
}

ParameterizedTestParameters(landscape, gradient_vs_finite_differences)
{
    CASES();
}

ParameterizedTest(lcase *c, landscape, gradient_vs_finite_differences)
{
    lsc_landscape *L = make(c);
    const int n = L->n;
    static double pts[MAXPTS][MAXN];
    int np = sample_points(L, c->spec, pts);
    double g[MAXN], d1[MAXN], d2[MAXN], xb[MAXN];
    const double h1 = 1e-4, h2 = 1e-5;
    int tested = 0;
    for (int k = 0; k < np; k++) {
        const double *x = pts[k];
        if (!lsc_landscape_in_domain(L, x))
            continue;
        double f = lsc_landscape_fdf(L, x, g);
        cr_assert(isfinite(f), "%s: f(point %d) = %g", c->spec, k, f);
        double f0 = lsc_landscape_f(L, x);
        cr_assert(fabs(f - f0) <= 1e-14 * fabs(f0) || f == f0,
                  "%s: fdf value %.17g != f %.17g", c->spec, f, f0);
        lsc_fd_gradient(L, x, h1, d1, xb);
        lsc_fd_gradient(L, x, h2, d2, xb);
        double gs = norm_inf(n, g), xs = fmax(1.0, norm_inf(n, x));
        /* rounding in f(x +- h) and the truncation error estimated by two steps */
        double fscale = fabs(f) + xs * gs + 1e-300;
        for (int j = 0; j < n; j++) {
            double tol = 10 * fabs(d1[j] - d2[j]) + 1e-7 * gs + 1e3 * EPS * fscale / (h2 * xs);
            cr_assert(fabs(g[j] - d2[j]) <= tol,
                      "%s: df/dx%d at point %d = %.10g, finite differences %.10g (tol %.3g)",
                      c->spec, j + 1, k, g[j], d2[j], tol);
        }
        tested++;
    }
    cr_assert_geq(tested, NBOX / 2, "%s: only %d points in the domain", c->spec, tested);
    lsc_landscape_free(L);
}

ParameterizedTestParameters(landscape, hessian_vs_finite_differences)
{
    CASES();
}

ParameterizedTest(lcase *c, landscape, hessian_vs_finite_differences)
{
    lsc_landscape *L = make(c);
    if (!lsc_landscape_has_hessian(L)) {
        double x[MAXN] = {0}, H[MAXN * MAXN];
        cr_assert_eq(lsc_landscape_hess(L, x, H), LSC_ENOTSUP);
        lsc_landscape_free(L);
        return;
    }
    const int n = L->n;
    static double pts[MAXPTS][MAXN];
    int np = sample_points(L, c->spec, pts);
    double H[MAXN * MAXN], D1[MAXN * MAXN], D2[MAXN * MAXN], g[MAXN], work[3 * MAXN];
    const double h1 = 1e-4, h2 = 1e-5;
    for (int k = 0; k < np; k++) {
        const double *x = pts[k];
        if (!lsc_landscape_in_domain(L, x))
            continue;
        lsc_landscape_fdf(L, x, g);
        lsc_landscape_hess(L, x, H);
        lsc_fd_hessian(L, x, h1, D1, work);
        lsc_fd_hessian(L, x, h2, D2, work);
        double hs = norm_inf(n * n, H), xs = fmax(1.0, norm_inf(n, x));
        double gscale = norm_inf(n, g) + xs * hs + 1e-300;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int ij = i * n + j;
                cr_assert(isfinite(H[ij]), "%s: H[%d][%d] = %g", c->spec, i, j, H[ij]);
                double tol = 10 * fabs(D1[ij] - D2[ij]) + 1e-7 * hs
                             + 1e3 * EPS * gscale / (h2 * xs);
                cr_assert(fabs(H[ij] - D2[ij]) <= tol,
                          "%s: H[%d][%d] at point %d = %.10g, finite differences %.10g "
                          "(tol %.3g)", c->spec, i, j, k, H[ij], D2[ij], tol);
            }
    }
    lsc_landscape_free(L);
}

ParameterizedTestParameters(landscape, nan_in_nan_out)
{
    CASES();
}

ParameterizedTest(lcase *c, landscape, nan_in_nan_out)
{
    lsc_landscape *L = make(c);
    const int n = L->n;
    double x[MAXN], g[MAXN];
    start0(L, x);
    for (int j = 0; j < n; j += (n > 1 ? n - 1 : 1)) {
        double keep = x[j];
        x[j] = NAN;
        cr_assert(isnan(lsc_landscape_f(L, x)), "%s: f with x%d = NaN is %g", c->spec, j + 1,
                  lsc_landscape_f(L, x));
        cr_assert(isnan(lsc_landscape_fdf(L, x, g)), "%s: fdf with x%d = NaN not NaN",
                  c->spec, j + 1);
        x[j] = keep;
    }
    lsc_landscape_free(L);
}

ParameterizedTestParameters(landscape, batch_equals_fdf)
{
    CASES();
}

ParameterizedTest(lcase *c, landscape, batch_equals_fdf)
{
    lsc_landscape *L = make(c);
    const int n = L->n;
    enum { M = 13 };
    double X[MAXN * M], F[M], G[MAXN * M], scratch[2 * MAXN], x[MAXN], g[MAXN];
    double lo[MAXN], hi[MAXN];
    lsc_landscape_box(L, lo, hi);
    uint64_t s = seed_of(c->spec, n + 100);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < n; j++)
            X[j * M + i] = lo[j] + (hi[j] - lo[j]) * rng_uniform(&s);
    lsc_landscape_fdf_batch(L, M, X, F, G, scratch);
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < n; j++)
            x[j] = X[j * M + i];
        if (!lsc_landscape_in_domain(L, x))
            continue;
        double f = lsc_landscape_fdf(L, x, g);
        cr_assert(fabs(F[i] - f) <= 1e-13 * fabs(f) || F[i] == f, "%s: batch f[%d] %.17g vs "
                  "%.17g", c->spec, i, F[i], f);
        double gs = norm_inf(n, g);
        for (int j = 0; j < n; j++)
            cr_assert(fabs(G[j * M + i] - g[j]) <= 1e-13 * gs, "%s: batch g%d[%d] %.17g vs "
                      "%.17g", c->spec, j + 1, i, G[j * M + i], g[j]);
    }
    lsc_landscape_free(L);
}

ParameterizedTestParameters(landscape, starts_and_box)
{
    CASES();
}

ParameterizedTest(lcase *c, landscape, starts_and_box)
{
    lsc_landscape *L = make(c);
    const int n = L->n;
    double lo[MAXN], hi[MAXN], x[MAXN];
    lsc_landscape_box(L, lo, hi);
    for (int j = 0; j < n; j++)
        cr_assert(isfinite(lo[j]) && isfinite(hi[j]) && lo[j] < hi[j],
                  "%s: box axis %d [%g, %g]", c->spec, j + 1, lo[j], hi[j]);
    int ns = lsc_landscape_nstarts(L);
    cr_assert_geq(ns, 1, "%s: no standard start", c->spec);
    for (int k = 0; k < ns; k++) {
        lsc_landscape_start(L, k, x);
        for (int j = 0; j < n; j++)
            cr_assert(x[j] >= lo[j] && x[j] <= hi[j],
                      "%s: start %d, x%d = %g outside [%g, %g]", c->spec, k, j + 1, x[j],
                      lo[j], hi[j]);
        cr_assert(lsc_landscape_in_domain(L, x), "%s: start %d outside the domain", c->spec,
                  k);
        cr_assert(isfinite(lsc_landscape_f(L, x)), "%s: f(start %d) not finite", c->spec, k);
    }
    lsc_landscape_free(L);
}

ParameterizedTestParameters(landscape, descriptor_and_params)
{
    CASES();
}

static int in_range(const lsc_param_desc *d, double v)
{
    if ((d->flags & LSC_LO_OPEN) ? !(v > d->lo) : !(v >= d->lo))
        return 0;
    if ((d->flags & LSC_HI_OPEN) ? !(v < d->hi) : !(v <= d->hi))
        return 0;
    return 1;
}

/* A spec "name:key=value" must be refused, with the key in the message. */
static void expect_refused(const lcase *c, const char *key, const char *value)
{
    char spec[256], name[64];
    size_t len = strcspn(c->spec, ":");
    snprintf(name, sizeof name, "%.*s", (int)len, c->spec);
    snprintf(spec, sizeof spec, "%s:%s=%s", name, key, value);
    lsc_error err = {0};
    lsc_landscape *L = new_landscape(c, spec, c->dim, &err);
    cr_assert_null(L, "'%s' accepted", spec);
    cr_assert_lt(err.code, 0, "'%s': no error code", spec);
    cr_assert(strstr(err.msg, key), "'%s': message does not name '%s': %s", spec, key,
              err.msg);
    cr_assert(!strchr(err.msg, '\n'), "'%s': message not one line: %s", spec, err.msg);
}

ParameterizedTest(lcase *c, landscape, descriptor_and_params)
{
    lsc_landscape *L = make(c);
    const lsc_landscape_type *T = L->type;
    cr_assert(T->name && *T->name, "empty name");
    cr_assert(T->summary && *T->summary, "%s: empty summary", T->name);
    cr_assert(T->formula && *T->formula, "%s: empty formula", T->name);
    cr_assert(T->citation && *T->citation, "%s: empty citation", T->name);
    cr_assert(T->f && T->fdf, "%s: no f or fdf", T->name);
    cr_assert(!strchr(T->summary, '\n'), "%s: summary is more than one line", T->name);
    if (T->dim > 0) {
        cr_assert_eq(T->dim, 2, "%s: fixed dimension %d", T->name, T->dim);
        cr_assert(T->starts || T->start, "%s: no starts", T->name);
        cr_assert(T->critical_table || T->critical, "%s: no critical points", T->name);
        cr_assert(!T->critical_table || T->ncritical_table > 0, "%s", T->name);
    } else {
        cr_assert(T->min_dim >= 1 && T->default_dim >= T->min_dim, "%s: dims %d, %d",
                  T->name, T->min_dim, T->default_dim);
        cr_assert(T->start || T->init_data, "%s: n-D family without start()", T->name);
    }
    cr_assert(T->nparams >= 0 && T->nparams <= LSC_MAX_PARAMS, "%s", T->name);
    cr_assert(T->nparams == 0 || T->params, "%s", T->name);
    for (int i = 0; i < T->nparams; i++) {
        const lsc_param_desc *d = &T->params[i];
        cr_assert(d->name && *d->name && d->help && *d->help, "%s: parameter %d undocumented",
                  T->name, i);
        for (int j = 0; j < i; j++)
            cr_assert(strcmp(d->name, T->params[j].name), "%s: parameter '%s' twice", T->name,
                      d->name);
        if (d->kind == LSC_PARAM_LIST) {
            double v[LSC_MAX_LIST];
            int m = d->def_list ? lsc_parse_list(d->def_list, ';', v, LSC_MAX_LIST) : 0;
            cr_assert_geq(m, 0, "%s: %s default list '%s' unreadable", T->name, d->name,
                          d->def_list);
            for (int k = 0; k < m; k++)
                cr_assert(in_range(d, v[k]), "%s: %s default element %g out of range",
                          T->name, d->name, v[k]);
        } else if (d->kind != LSC_PARAM_BOOL) {
            cr_assert(in_range(d, d->def), "%s: default %s=%g out of its range", T->name,
                      d->name, d->def);
        }
        /* out-of-range values are refused with the key in the message */
        char buf[64];
        if (d->kind == LSC_PARAM_BOOL) {
            expect_refused(c, d->name, "maybe");
            continue;
        }
        if (isfinite(d->lo)) {
            snprintf(buf, sizeof buf, "%.17g", (d->flags & LSC_LO_OPEN) ? d->lo
                                                                        : d->lo - 1 - fabs(d->lo));
            expect_refused(c, d->name, buf);
        }
        if (isfinite(d->hi)) {
            snprintf(buf, sizeof buf, "%.17g", (d->flags & LSC_HI_OPEN) ? d->hi
                                                                        : d->hi + 1 + fabs(d->hi));
            expect_refused(c, d->name, buf);
        }
        expect_refused(c, d->name, "abc");
        if (d->kind == LSC_PARAM_INT)
            expect_refused(c, d->name, "2.5");
    }
    expect_refused(c, "no_such_key", "1");
    /* the canonical description reads back to the same landscape */
    char desc[2048];
    cr_assert_lt(lsc_landscape_describe(L, desc, sizeof desc), (int)sizeof desc);
    lsc_error err = {0};
    lsc_landscape *L2 = new_landscape(c, desc, c->dim, &err);
    cr_assert_not_null(L2, "'%s' does not read back: %s", desc, err.msg);
    double x[MAXN];
    start0(L, x);
    cr_assert_eq(lsc_landscape_f(L, x), lsc_landscape_f(L2, x), "%s", desc);
    lsc_landscape_free(L2);
    lsc_landscape_free(L);
}

/* ---- registry-wide ------------------------------------------------------------------ */

Test(registry, names_unique_and_found)
{
    cr_assert_gt(lsc_landscape_registry_count, 0);
    cr_assert_null(lsc_landscape_registry[lsc_landscape_registry_count]);
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const char *a = lsc_landscape_registry[i]->name;
        cr_assert_eq(lsc_landscape_type_find(a), lsc_landscape_registry[i], "%s", a);
        for (int j = 0; j < i; j++)
            cr_assert(strcmp(a, lsc_landscape_registry[j]->name), "'%s' registered twice", a);
    }
    cr_assert_null(lsc_landscape_type_find("no-such-landscape"));
}

Test(registry, dim_refused_for_fixed_2d)
{
    int tested = 0;
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        lsc_error err = {0};
        lsc_landscape *L;
        if (T->dim > 0) {
            L = lsc_landscape_new(T->name, 3, "--landscape", &err);
            cr_assert_null(L, "%s accepted dim 3", T->name);
            cr_assert(!strncmp(err.msg, "dim: 3 ", 7), "%s: %s", T->name, err.msg);
            cr_assert_eq(err.code, LSC_EINVAL);
            L = lsc_landscape_new(T->name, 2, "--landscape", &err);
            cr_assert_not_null(L, "%s refused dim 2: %s", T->name, err.msg);
            lsc_landscape_free(L);
            tested++;
        } else if (!T->raw_arg && !T->init_data) { /* a model's dim: test_models.c */
            int bad = T->min_dim > 1 ? T->min_dim - 1 : -1;
            L = lsc_landscape_new(T->name, bad, "--landscape", &err);
            cr_assert_null(L, "%s accepted dim %d", T->name, bad);
            cr_assert(!strncmp(err.msg, "dim: ", 5), "%s: %s", T->name, err.msg);
        }
    }
    cr_assert_gt(tested, 0);
}

Test(registry, unknown_name_suggests)
{
    lsc_error err = {0};
    cr_assert_null(lsc_landscape_new("himmelbalu", 0, "--landscape", &err));
    cr_assert(strstr(err.msg, "'himmelblau'"), "%s", err.msg);
}

/* ---- family-specific facts ---------------------------------------------------------- */

/* Independent reference values (default parameters): the formulas typed into sympy and
 * evaluated at 40 digits at these double coordinates, by
 *     /usr/bin/python3 tests/ref/landscape2d_critical.py --values */
static const struct {
    const char *name;
    double x[2];
    double f;
} ref_values[] = {
    {"saddle", {-0.76, 0.8799999999999999}, -0.0983999999999999},
    {"saddle", {0.56, -1.28}, -0.6624},
    {"saddle", {1.48, 0.20000000000000018}, 1.0752},
    {"monkey-saddle", {-0.5700000000000001, 0.6600000000000001}, 0.5596830000000004},
    {"monkey-saddle", {0.41999999999999993, -0.96}, -1.0871279999999997},
    {"monkey-saddle", {1.1099999999999999, 0.15000000000000013}, 1.2927059999999995},
    {"himmelblau", {-1.9, 2.1999999999999993}, 43.419700000000034},
    {"himmelblau", {1.4000000000000004, -3.2}, 171.3472},
    {"himmelblau", {3.6999999999999993, 0.5}, 19.47859999999997},
    {"beale", {-1.71, 1.9799999999999995}, 87.45998968231751},
    {"beale", {1.2599999999999998, -2.88}, 968.0057565312139},
    {"beale", {3.33, 0.4500000000000002}, 0.4357098697640615},
    {"booth", {-3.8, 4.399999999999999}, 71.24000000000002},
    {"booth", {2.8000000000000007, -6.4}, 322.64},
    {"booth", {7.399999999999999, 1.0}, 122.39999999999993},
    {"matyas", {-3.8, 4.399999999999999}, 16.813599999999994},
    {"matyas", {2.8000000000000007, -6.4}, 21.289600000000004},
    {"matyas", {7.399999999999999, 1.0}, 10.945599999999995},
    {"goldstein-price", {-0.76, 0.8799999999999999}, 54486.45022450563},
    {"goldstein-price", {0.56, -1.28}, 1143.555755725187},
    {"goldstein-price", {1.48, 0.20000000000000018}, 381.7319735571517},
    {"six-hump-camel", {-1.1400000000000001, 0.8799999999999999}, 0.6812226453119997},
    {"six-hump-camel", {0.8399999999999999, -1.28}, 5.002587727872},
    {"six-hump-camel", {2.2199999999999998, 0.20000000000000018}, 8.899011336767991},
    {"three-hump-camel", {-1.9, 2.1999999999999993}, 2.0372751666666646},
    {"three-hump-camel", {1.4000000000000004, -3.2}, 6.901242666666667},
    {"three-hump-camel", {3.6999999999999993, 0.5}, 260.31416316666633},
    {"levy13", {-3.8, 4.399999999999999}, 47.45851449450067},
    {"levy13", {2.8000000000000007, -6.4}, 78.9430156603139},
    {"levy13", {7.399999999999999, 1.0}, 41.305491502812494},
    {"easom", {2.24, 3.88}, -0.11797385008308207},
    {"easom", {3.56, 1.72}, -0.015110601857873555},
    {"easom", {4.48, 3.2}, -0.038204115784932},
    {"easom", {-20.0, 30.0}, 0.0},
    {"branin", {-0.34999999999999964, 10.799999999999999}, 36.88861259283421},
    {"branin", {4.6, 2.6999999999999997}, 10.58096921967832},
    {"branin", {8.05, 8.25}, 52.892546551604866},
    {"quadratic", {-0.76, 0.8799999999999999}, 4.160799999999999},
    {"quadratic", {0.56, -1.28}, 8.3488},
    {"quadratic", {1.48, 0.20000000000000018}, 1.2952000000000004},
    {"wells", {-1.52, 1.7599999999999998}, -0.08464551093487536},
    {"wells", {1.12, -2.56}, -0.18576955519287802},
    {"wells", {2.96, 0.40000000000000036}, -0.0002129199952361819},
    {"wells", {3.5, 3.5}, -1.6052280552030509e-09},
    {"double-well", {-0.95, 0.8799999999999999}, -0.6023718750000001},
    {"double-well", {0.7000000000000002, -1.28}, 0.5489249999999998},
    {"double-well", {1.8499999999999996, 0.20000000000000018}, 5.040803124999994},
};

Test(values, formulas_match_reference)
{
    int tested = 0;
    for (int i = 0; i < LSC_COUNTOF(ref_values); i++) {
        if (!lsc_landscape_type_find(ref_values[i].name))
            continue;
        lsc_error err = {0};
        lsc_landscape *L = lsc_landscape_new(ref_values[i].name, 0, "--landscape", &err);
        cr_assert_not_null(L, "%s", err.msg);
        double f = lsc_landscape_f(L, ref_values[i].x), want = ref_values[i].f;
        cr_assert(fabs(f - want) <= 1e-13 * fabs(want) + 1e-300, "%s(%.17g, %.17g) = %.17g, "
                  "reference %.17g", ref_values[i].name, ref_values[i].x[0], ref_values[i].x[1],
                  f, want);
        lsc_landscape_free(L);
        tested++;
    }
    cr_assert_geq(tested, 3);
}

static lsc_landscape *new_or_fail(const char *spec)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new(spec, 0, "--landscape", &err);
    cr_assert_not_null(L, "%s: %s", spec, err.msg);
    return L;
}

/* spec refused, with every word of `needles` (separated by '|') in the one-line message */
static void refused_with(const char *spec, const char *needles)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new(spec, 0, "--landscape", &err);
    cr_assert_null(L, "'%s' accepted", spec);
    cr_assert_eq(err.code, LSC_EINVAL, "'%s': code %d", spec, err.code);
    cr_assert(!strchr(err.msg, '\n'), "'%s': %s", spec, err.msg);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", needles);
    for (char *w = strtok(buf, "|"); w; w = strtok(NULL, "|"))
        cr_assert(strstr(err.msg, w), "'%s': '%s' not in: %s", spec, w, err.msg);
}

Test(quadratic, kappa_sign_decides_the_kind)
{
    if (!lsc_landscape_type_find("quadratic"))
        cr_skip_test("quadratic not registered");
    double x[2];
    lsc_critical cp = {.x = x};
    lsc_landscape *L = new_or_fail("quadratic");
    cr_assert_eq(lsc_landscape_ncritical(L), 1);
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(cp.kind == LSC_CP_MIN && cp.eig_min == 1.0 && cp.eig_max == 10.0);
    lsc_landscape_free(L);
    L = new_or_fail("quadratic:kappa=-3");
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(cp.kind == LSC_CP_SADDLE && cp.eig_min == -3.0 && cp.eig_max == 1.0);
    cr_assert(x[0] == 0.0 && x[1] == 0.0 && cp.f == 0.0);
    lsc_landscape_free(L);
    L = new_or_fail("quadratic:kappa=0.25");
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(cp.kind == LSC_CP_MIN && cp.eig_min == 0.25 && cp.eig_max == 1.0);
    lsc_landscape_free(L);
    refused_with("quadratic:kappa=0", "kappa=0|nonzero");
    refused_with("quadratic:kappa=inf", "kappa");
    refused_with("quadratic:kapa=2", "did you mean 'kappa'");
}

Test(double_well, closed_forms_and_checks)
{
    if (!lsc_landscape_type_find("double-well"))
        cr_skip_test("double-well not registered");
    double x[2];
    lsc_critical cp = {.x = x};
    lsc_landscape *L = new_or_fail("double-well");
    cr_assert_eq(lsc_landscape_ncritical(L), 3);
    /* by hand: delta = 1/4, xi_m = 3/32, f(xi_m) = (xi_m^2 - 1)^2 + xi_m (3 - xi_m^2)/8 - 3/4 */
    const double xm = 3.0 / 32, fm = (xm * xm - 1) * (xm * xm - 1) + xm * (3 - xm * xm) / 8 - 0.75;
    int seen = 0;
    for (int k = 0; k < 3; k++) {
        lsc_landscape_critical(L, k, &cp);
        if (cp.kind == LSC_CP_MIN && x[0] == -1.0) {
            cr_assert(cp.f == -1.0 && fabs(cp.eig_max - 8.75) < 1e-15, "%g", cp.eig_max);
            seen |= 1;
        } else if (cp.kind == LSC_CP_MIN && x[0] == 1.0) {
            cr_assert(cp.f == -0.5 && fabs(cp.eig_max - 7.25) < 1e-15, "%g", cp.eig_max);
            seen |= 2;
        } else if (cp.kind == LSC_CP_SADDLE) {
            cr_assert(fabs(x[0] - xm) < 1e-16 && x[1] == 0.0 && fabs(cp.f - fm) < 1e-15);
            cr_assert(fabs(cp.eig_min - 4 * (xm * xm - 1)) < 1e-14);
            seen |= 4;
        }
    }
    cr_assert_eq(seen, 7);
    lsc_landscape_free(L);
    /* sep and the depths move the minima exactly */
    L = new_or_fail("double-well:left=0.2,right=1.5,sep=1.5,barrier=2,ky=3");
    cr_assert(fabs(lsc_landscape_f(L, (double[]){-1.5, 0}) + 0.2) < 1e-15);
    cr_assert(fabs(lsc_landscape_f(L, (double[]){1.5, 0}) + 1.5) < 1e-15);
    lsc_landscape_free(L);
    refused_with("double-well:left=5,right=0,barrier=0.5", "left=5|right=0|barrier");
    refused_with("double-well:sep=0", "sep=0");
}

/* The point of double-well: from standard start 0, plain gradient descent stays in the
 * shallow right minimum while heavy-ball momentum (PyTorch SGD: b = g on the first step,
 * then b = mu b + g; x -= lr b) crosses into the deep left one. */
Test(double_well, shallow_minimum_traps_gd_not_momentum)
{
    if (!lsc_landscape_type_find("double-well"))
        cr_skip_test("double-well not registered");
    lsc_landscape *L = new_or_fail("double-well");
    for (int use_momentum = 0; use_momentum <= 1; use_momentum++) {
        double x[2], g[2], b[2] = {0, 0};
        const double lr = 0.01, mu = use_momentum ? 0.9 : 0.0;
        lsc_landscape_start(L, 0, x);
        for (int t = 0; t < 3000; t++) {
            lsc_landscape_fdf(L, x, g);
            for (int j = 0; j < 2; j++) {
                b[j] = t == 0 ? g[j] : mu * b[j] + g[j];
                x[j] -= lr * b[j];
            }
        }
        double want = use_momentum ? -1.0 : 1.0;
        cr_assert(fabs(x[0] - want) < 1e-3 && fabs(x[1]) < 1e-3,
                  "%s ended at (%g, %g), expected the %s minimum", use_momentum ? "momentum"
                  : "GD", x[0], x[1], use_momentum ? "deep left" : "shallow right");
    }
    lsc_landscape_free(L);
}

Test(wells, plateau_minima_and_checks)
{
    if (!lsc_landscape_type_find("wells"))
        cr_skip_test("wells not registered");
    lsc_landscape *L = new_or_fail("wells");
    double x[2], g[2];
    lsc_landscape_start(L, 0, x);
    cr_assert(x[0] == 3.5 && x[1] == 3.5);
    lsc_landscape_fdf(L, x, g);
    double gn = hypot(g[0], g[1]);
    cr_assert(gn > 1e-9 && gn < 1e-7, "|grad f| = %g on the plateau start", gn);
    /* one minimum next to each default centre (the wells barely overlap), deepest first */
    static const double cx[] = {-1, 2, -2.5}, cy[] = {-1, -2, 2}, d[] = {1, 0.7, 0.5};
    int nc = lsc_landscape_ncritical(L), nmin = 0, nsad = 0;
    lsc_critical cp = {.x = x};
    for (int k = 0; k < nc; k++) {
        lsc_landscape_critical(L, k, &cp);
        if (cp.kind == LSC_CP_SADDLE) {
            nsad++;
            continue;
        }
        cr_assert_eq(cp.kind, LSC_CP_MIN);
        cr_assert_lt(nmin, 3);
        cr_assert(hypot(x[0] - cx[nmin], x[1] - cy[nmin]) < 0.02, "minimum %d at (%g, %g)",
                  nmin, x[0], x[1]);
        cr_assert(fabs(cp.f + d[nmin]) < 0.01 * d[nmin], "minimum %d: f = %g", nmin, cp.f);
        nmin++;
    }
    cr_assert_eq(nmin, 3);
    cr_assert_eq(nsad, 2, "saddles: %d (expected the passes deep-middle and deep-small)", nsad);
    cr_assert_eq(nc, 5);
    lsc_landscape_free(L);
    /* a ring of three equal wells, 120 degrees apart at distance 1: by symmetry a maximum at
     * the origin with f = -3 e^-2 and Hessian e^-2 (3/w^2 - (3/2)/w^4) I = -12 e^-2 I
     * (sum of the outer products of three unit vectors 120 degrees apart = 3/2 I), three
     * minima, three saddles (Morse: 3 - 3 + 1 = 1) */
    L = new_or_fail("wells:cx=1;-0.5;-0.5,cy=0;0.8660254037844386;-0.8660254037844386,"
                    "depth=1;1;1,width=0.5;0.5;0.5");
    nc = lsc_landscape_ncritical(L);
    int count[4] = {0};
    for (int k = 0; k < nc; k++) {
        lsc_landscape_critical(L, k, &cp);
        count[cp.kind]++;
        if (cp.kind == LSC_CP_MAX) {
            cr_assert(hypot(x[0], x[1]) < 1e-14, "maximum at (%g, %g)", x[0], x[1]);
            cr_assert(fabs(cp.f + 3 * exp(-2.0)) < 1e-14, "%.17g", cp.f);
            cr_assert(fabs(cp.eig_min + 12 * exp(-2.0)) < 1e-12 &&
                      fabs(cp.eig_max + 12 * exp(-2.0)) < 1e-12);
        }
    }
    cr_assert(count[LSC_CP_MIN] == 3 && count[LSC_CP_SADDLE] == 3 && count[LSC_CP_MAX] == 1,
              "%d minima, %d saddles, %d maxima", count[LSC_CP_MIN], count[LSC_CP_SADDLE],
              count[LSC_CP_MAX]);
    lsc_landscape_free(L);
    /* a single well: exact minimum at its centre, f = -depth, Hessian depth/width^2 I */
    L = new_or_fail("wells:cx=0.5,cy=-0.25,depth=3,width=0.5");
    cr_assert_eq(lsc_landscape_ncritical(L), 1);
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(fabs(x[0] - 0.5) < 1e-15 && fabs(x[1] + 0.25) < 1e-15 && cp.f == -3.0);
    cr_assert(fabs(cp.eig_min - 12.0) < 1e-12 && fabs(cp.eig_max - 12.0) < 1e-12);
    lsc_landscape_free(L);
    /* two equal wells far enough apart: the saddle is the midpoint by symmetry */
    L = new_or_fail("wells:cx=-1;1,cy=0;0,depth=1;1,width=0.5;0.5");
    nc = lsc_landscape_ncritical(L);
    cr_assert_eq(nc, 3);
    lsc_landscape_critical(L, 2, &cp);
    cr_assert(cp.kind == LSC_CP_SADDLE && fabs(x[0]) < 1e-14 && fabs(x[1]) < 1e-14);
    cr_assert(fabs(cp.f + 2 * exp(-2.0)) < 1e-15, "%.17g", cp.f);
    lsc_landscape_free(L);
    refused_with("wells:cx=0;1,cy=0,depth=1,width=1", "cx|same length|2, 1, 1, 1");
    refused_with("wells:cx=,cy=,depth=,width=", "at least one well");
    refused_with("wells:width=1;0;1", "width");
    refused_with("wells:depth=1;-1;1", "depth");
}

/* ---- GSL's error handler (lsc_init) ------------------------------------------------------
 * A GSL allocation that fails calls GSL's error handler, which by default aborts. After
 * lsc_init the library gets a status instead and returns an lsc_error code. The matrix of
 * 2^28 x 2^28 doubles (2^59 bytes) cannot be allocated anywhere. Each Criterion test runs in
 * its own process, so the handler one test sets does not reach another. Under AddressSanitizer
 * a failed allocation must return NULL, as it does without it: */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

#define HUGE_N (1 << 28)

Test(gsl_handler, lsc_init_turns_gsl_aborts_into_error_codes)
{
    cr_assert_eq(lsc_init(), LSC_OK);
    double H[1] = {1}, lo = 0, hi = 0;
    cr_assert_eq(lsc_sym_eig_range(HUGE_N, H, &lo, &hi), LSC_ENOMEM);
    cr_assert_eq(lsc_sym_eig_range(0, H, &lo, &hi), LSC_EINVAL);
    cr_assert_eq(lsc_sym_eig_range(1, H, &lo, &hi), LSC_OK, "and the library still works");
    cr_assert(lo == 1 && hi == 1);
}

/* what lsc_init prevents: GSL's default handler aborts the embedding program */
Test(gsl_handler, without_lsc_init_gsl_aborts, .signal = SIGABRT)
{
    double H[1] = {1}, lo, hi;
    lsc_sym_eig_range(HUGE_N, H, &lo, &hi);
}

static int own_handler_calls;
static void own_handler(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    own_handler_calls++;
}

/* a handler the program installed itself stays */
Test(gsl_handler, lsc_init_keeps_the_programs_handler)
{
    gsl_set_error_handler(own_handler);
    cr_assert_eq(lsc_init(), LSC_OK);
    double H[1] = {1}, lo, hi;
    cr_assert_eq(lsc_sym_eig_range(HUGE_N, H, &lo, &hi), LSC_ENOMEM);
    cr_assert_gt(own_handler_calls, 0);
    cr_assert_eq(gsl_set_error_handler_off(), own_handler);
}
