/* curvature.c — the extreme eigenvalues of the Hessian at a point (see curvature.h) */
#include "curvature.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>

#include "model.h"
#include "streams.h"

/* The dense solver refuses larger matrices (8 MB for the Hessian alone). */
#define EXACT_LIMIT 1024

struct lsc_curvature {
    const lsc_landscape *L;
    const lsc_model *M;   /* a model over data whose exact products are used, or NULL */
    int n;
    int exact;            /* 1: dense Hessian and gsl_eigen_symm; 0: Lanczos */
    int fd;               /* 1: products by central differences of the gradient */
    int m;                /* Lanczos steps */
    char desc[32];
    /* the dense Hessian, or Lanczos' tridiagonal matrix T (m x m), and GSL's solver */
    double *H;
    gsl_matrix *A;
    gsl_vector *ev;
    gsl_eigen_symm_workspace *ws;
    /* Lanczos: its basis q_0 .. q_m (row-major, (m + 1) x n), the start q_0, alpha, beta */
    double *Q, *v0, *alpha, *beta;
    /* products: a unit vector, a product, the points x +- h v and their gradients, and a
     * model's work */
    double *e, *hv, *xp, *gp, *gm, *mwork;
    double h;             /* the finite-difference step at the current x */
};

double lsc_curvature_fd_step(int n, const double *x)
{
    /* Central difference of the gradient along a unit vector v:
     *     (grad f(x + h v) - grad f(x - h v)) / 2h = H v + h^2/6 D^4 f(x)[v, v, v] + ...
     * Each gradient carries a rounding error of about eps |grad f|, so the quotient's
     * error is about h^2 M/6 + eps G/h, smallest at h ~ (3 eps G / M)^(1/3): the cube root
     * of DBL_EPSILON times the scale over which f's derivatives change, taken as the
     * coordinates' size (at least 1, as lsc_fd_gradient scales its step by max(1, |x_i|)).
     * Both terms are then O(eps^(2/3)) ~ 4e-11 relative. The rms of x rather than its
     * largest entry: one large weight should not set the step along every direction. */
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i] * x[i];
    double rms = n > 0 ? sqrt(s / n) : 0;
    return cbrt(DBL_EPSILON) * fmax(1.0, rms);
}

int lsc_curvature_start_vector(unsigned long long seed, unsigned long long run_index, int n,
                               double *v)
{
    gsl_rng *r = lsc_rng_for_run(seed ^ LSC_CURVATURE_TAG, run_index);
    if (!r)
        return LSC_ENOMEM;
    double s = 0;
    for (int i = 0; i < n; i++) {
        v[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
        s += v[i] * v[i];
    }
    gsl_rng_free(r);
    s = sqrt(s);
    for (int i = 0; i < n; i++)
        v[i] /= s;
    return LSC_OK;
}

void lsc_curvature_free(lsc_curvature *c)
{
    if (!c)
        return;
    free(c->H);
    gsl_matrix_free(c->A);
    gsl_vector_free(c->ev);
    gsl_eigen_symm_free(c->ws);
    free(c->Q), free(c->v0), free(c->alpha), free(c->beta);
    free(c->e), free(c->hv), free(c->xp), free(c->gp), free(c->gm), free(c->mwork);
    free(c);
}

static double *vec(size_t k)
{
    return malloc((k ? k : 1) * sizeof(double));
}

/* Everything a call of lsc_curvature_eig needs, sized for c's method. 0 or LSC_ENOMEM. */
static int curvature_alloc(lsc_curvature *c, unsigned long long seed,
                           unsigned long long run_index)
{
    const size_t n = (size_t)c->n, m = (size_t)c->m, d = c->exact ? n : m;
    int ok = (c->A = gsl_matrix_alloc(d, d)) && (c->ev = gsl_vector_alloc(d)) &&
             (c->ws = gsl_eigen_symm_alloc(d)) && (c->e = vec(n)) && (c->hv = vec(n));
    if (ok && c->exact)
        ok = (c->H = vec(n * n)) != NULL;
    if (ok && !c->exact)
        ok = (c->Q = vec((m + 1) * n)) && (c->v0 = vec(n)) && (c->alpha = vec(m)) &&
             (c->beta = vec(m));
    if (ok && c->fd)
        ok = (c->xp = vec(n)) && (c->gp = vec(n)) && (c->gm = vec(n));
    if (ok && c->M)
        ok = (c->mwork = vec(lsc_model_work_size(c->M))) != NULL;
    if (!ok)
        return LSC_ENOMEM;
    if (!c->exact)
        return lsc_curvature_start_vector(seed, run_index, c->n, c->v0);
    return LSC_OK;
}

lsc_curvature *lsc_curvature_new(const lsc_landscape *L, const lsc_curvature_opts *opts,
                                 unsigned long long seed, unsigned long long run_index,
                                 lsc_error *err)
{
    const lsc_curvature_opts o = opts ? *opts : (lsc_curvature_opts){0};
    const int n = L->n;
    if (o.method == LSC_CURV_EXACT && n > EXACT_LIMIT) {
        lsc_error_set(err, LSC_EINVAL, "hessian: the dense eigensolver takes at most %d "
                      "dimensions (the landscape has %d; Lanczos takes any)", EXACT_LIMIT, n);
        return NULL;
    }
    if (o.steps < 0) {
        lsc_error_set(err, LSC_EINVAL, "hessian: %d Lanczos steps (at least 1)", o.steps);
        return NULL;
    }
    lsc_curvature *c = calloc(1, sizeof *c);
    if (!c) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for the Hessian's eigenvalues");
        return NULL;
    }
    c->L = L;
    c->n = n;
    c->exact = o.method == LSC_CURV_EXACT ||
               (o.method == LSC_CURV_AUTO && n <= LSC_CURVATURE_EXACT_MAX);
    c->M = o.fd ? NULL : lsc_landscape_model(L);
    /* products by differences: asked for, or no exact product (a Lanczos run, or a dense
     * Hessian without the landscape's own) */
    c->fd = o.fd || (!c->M && (!c->exact || !lsc_landscape_has_hessian(L)));
    c->m = o.steps > 0 ? o.steps : LSC_LANCZOS_STEPS;
    if (c->m > n)
        c->m = n;
    snprintf(c->desc, sizeof c->desc, "%s/%s", c->exact ? "exact" : "lanczos",
             c->fd ? "fd" : c->M ? "hvp" : "hessian");
    if (curvature_alloc(c, seed, run_index) != LSC_OK) {
        lsc_curvature_free(c);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for the Hessian's eigenvalues in %d "
                      "dimensions", n);
        return NULL;
    }
    return c;
}

const char *lsc_curvature_describe(const lsc_curvature *c)
{
    return c->desc;
}

/* Hv = H(x) v: the model's exact product, or the central difference of the gradient with
 * step c->h (set for this x by the caller). */
static void hvp(lsc_curvature *c, const double *x, const double *v, double *Hv)
{
    const int n = c->n;
    if (!c->fd) {
        lsc_model_hvp(c->M, c->M->train, NULL, c->M->train->n, x, v, Hv, c->mwork);
        return;
    }
    const double h = c->h;
    for (int i = 0; i < n; i++)
        c->xp[i] = x[i] + h * v[i];
    lsc_landscape_fdf(c->L, c->xp, c->gp);
    for (int i = 0; i < n; i++)
        c->xp[i] = x[i] - h * v[i];
    lsc_landscape_fdf(c->L, c->xp, c->gm);
    for (int i = 0; i < n; i++)
        Hv[i] = (c->gp[i] - c->gm[i]) / (2 * h);
}

static int all_finite(const double *v, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* The extreme eigenvalues of the symmetric d x d matrix in c->A (overwritten). */
static int symm_range(lsc_curvature *c, double *lo, double *hi)
{
    if (gsl_eigen_symm(c->A, c->ev, c->ws) != 0)
        return LSC_ESINGULAR;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < c->ev->size; i++) {
        *lo = fmin(*lo, gsl_vector_get(c->ev, i));
        *hi = fmax(*hi, gsl_vector_get(c->ev, i));
    }
    return LSC_OK;
}

/* The dense Hessian at x: the landscape's own, or column j = H e_j from n products
 * (exact or by differences), symmetrised (the halves agree to the products' error). */
static int exact_eig(lsc_curvature *c, const double *x, double *lo, double *hi)
{
    const size_t n = (size_t)c->n;
    double *H = c->H;
    if (!c->fd && !c->M) {
        lsc_landscape_hess(c->L, x, H);
    } else {
        memset(c->e, 0, n * sizeof *c->e);
        for (size_t j = 0; j < n; j++) {
            c->e[j] = 1;
            hvp(c, x, c->e, H + j * n);
            c->e[j] = 0;
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                H[i * n + j] = H[j * n + i] = 0.5 * (H[i * n + j] + H[j * n + i]);
    }
    if (!all_finite(H, n * n))
        return LSC_EDOMAIN;
    memcpy(c->A->data, H, n * n * sizeof *H); /* a fresh matrix: tda = n */
    return symm_range(c, lo, hi);
}

static double dot(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Lanczos with full reorthogonalisation (Golub & Van Loan, Matrix Computations, 4th ed.,
 * 10.1 and 10.3.1): q_0 the start; for j = 0, 1, ...: w = H q_j, alpha_j = q_j.w,
 * w -= alpha_j q_j + beta_{j-1} q_{j-1}, then w made orthogonal to q_0 .. q_j twice (one
 * classical Gram-Schmidt pass leaves errors of order eps kappa; two are enough, Giraud et
 * al. 2005), beta_j = |w|, q_{j+1} = w / beta_j. The eigenvalues of the tridiagonal
 * T = tridiag(beta, alpha, beta) are the Ritz values; the extreme ones approach H's extreme
 * eigenvalues from inside. The number of steps taken into *k. */
static int lanczos(lsc_curvature *c, const double *x, int *k)
{
    const int n = c->n, m = c->m;
    double *Q = c->Q, *w = c->hv, norm = 0;
    memcpy(Q, c->v0, (size_t)n * sizeof *Q);
    for (int j = 0; j < m; j++) {
        const double *q = Q + (size_t)j * n;
        hvp(c, x, q, w);
        if (!all_finite(w, (size_t)n))
            return LSC_EDOMAIN;
        c->alpha[j] = dot(q, w, n);
        const double *qp = j > 0 ? q - n : q, bp = j > 0 ? c->beta[j - 1] : 0; /* q_{j-1} */
        for (int i = 0; i < n; i++)
            w[i] -= c->alpha[j] * q[i] + bp * qp[i];
        for (int pass = 0; pass < 2; pass++)
            for (int l = 0; l <= j; l++) {
                const double *ql = Q + (size_t)l * n, r = dot(ql, w, n);
                for (int i = 0; i < n; i++)
                    w[i] -= r * ql[i];
            }
        c->beta[j] = sqrt(dot(w, w, n));
        *k = j + 1;
        /* |H| >= max |alpha| and the betas; a beta at rounding level of it: the Krylov
         * space is invariant, T_k holds all it can say (H = 0 stops here at once) */
        norm = fmax(norm, fabs(c->alpha[j]) + c->beta[j] + (j > 0 ? c->beta[j - 1] : 0));
        if (c->beta[j] <= 64 * DBL_EPSILON * norm)
            break;
        double *qn = Q + (size_t)(j + 1) * n;
        for (int i = 0; i < n; i++)
            qn[i] = w[i] / c->beta[j];
    }
    return LSC_OK;
}

/* Lanczos' extreme Ritz values at x. After a stop at k < m steps, T_k is placed in the
 * m x m matrix with alpha_0 on the rest of the diagonal, decoupled: alpha_0 = q_0' H q_0
 * lies between T_k's extreme eigenvalues (the Rayleigh quotients over the Krylov space),
 * so the extremes are T_k's, and the solver keeps its one size. */
static int lanczos_eig(lsc_curvature *c, const double *x, double *lo, double *hi)
{
    int k = 0, rc = lanczos(c, x, &k);
    if (rc != LSC_OK)
        return rc;
    const size_t m = (size_t)c->m;
    gsl_matrix_set_zero(c->A);
    for (size_t j = 0; j < m; j++) {
        int in = j < (size_t)k;
        gsl_matrix_set(c->A, j, j, in ? c->alpha[j] : c->alpha[0]);
        if (in && j + 1 < (size_t)k) {
            gsl_matrix_set(c->A, j, j + 1, c->beta[j]);
            gsl_matrix_set(c->A, j + 1, j, c->beta[j]);
        }
    }
    return symm_range(c, lo, hi);
}

int lsc_curvature_eig(lsc_curvature *c, const double *x, double *eig_min, double *eig_max)
{
    double lo = NAN, hi = NAN;
    if (c->fd)
        c->h = lsc_curvature_fd_step(c->n, x);
    int rc = c->exact ? exact_eig(c, x, &lo, &hi) : lanczos_eig(c, x, &lo, &hi);
    *eig_min = rc == LSC_OK ? lo : NAN;
    *eig_max = rc == LSC_OK ? hi : NAN;
    return rc;
}
