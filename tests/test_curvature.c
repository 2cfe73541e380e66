/* test_curvature.c — eig_min and eig_max of the Hessian (curvature.h, the hessian option)
 *
 * References: known spectra (quadratic-spectrum; random rotations of a chosen spectrum),
 * the closed form of a 2 x 2 symmetric matrix's eigenvalues (Rosenbrock), the
 * Kaniel-Paige-Saad bound for Lanczos, and exact Hessian-vector products (models) for the
 * finite-difference ones. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "curvature.h"
#include "experiment.h"
#include "model.h"
#include "plot.h"
#include "scratch_dir.h"
#include "streams.h"

static lsc_experiment *experiment(const char *const *kv)
{
    lsc_experiment *x = lsc_experiment_new();
    cr_assert_not_null(x);
    for (int k = 0; kv[k]; k += 2) {
        lsc_error e = {0};
        cr_assert_eq(lsc_experiment_set(x, kv[k], kv[k + 1], &e), LSC_OK, "%s = %s: %s",
                     kv[k], kv[k + 1], e.msg);
    }
    return x;
}

static void run(lsc_experiment *x, lsc_trajectory *t)
{
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_trajectory(x, t, &e), LSC_OK, "%s", e.msg);
    int rc = lsc_experiment_run(x, t, NULL, NULL, &e);
    cr_assert_geq(rc, 0, "%s", e.msg);
}

/* ---- known Hessians ------------------------------------------------------------------- */

/* quadratic-spectrum: the Hessian is diag(eig) everywhere, so every row of every run has
 * eig_min and eig_max equal to the list's extremes, exactly (a diagonal matrix is already
 * tridiagonal with zero off-diagonal: GSL's solver returns its entries untouched). */
Test(curvature, quadratic_spectrum_exact)
{
    const char *kv[] = {"landscape", "quadratic-spectrum:eig=3.25;-0.5;7.125;0.01;-2.75",
                        "dim", "5", "optimizer", "sgd:lr=0.01", "optimizer", "adam:lr=0.1",
                        "steps", "30", "every", "7", "hessian", "on", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    cr_assert_eq(t.cols, (1ULL << LSC_COL_EIG_MIN) | (1ULL << LSC_COL_EIG_MAX));
    cr_assert_eq(t.nruns, 2);
    for (int r = 0; r < t.nruns; r++) {
        const lsc_run_record *R = &t.runs[r];
        cr_assert_eq(R->len, 6); /* 0 7 14 21 28 30 */
        for (size_t i = 0; i < R->len; i++) {
            cr_assert_eq(R->col[LSC_COL_EIG_MIN][i], -2.75, "run %d row %zu: %.17g", r, i,
                         R->col[LSC_COL_EIG_MIN][i]);
            cr_assert_eq(R->col[LSC_COL_EIG_MAX][i], 7.125, "run %d row %zu: %.17g", r, i,
                         R->col[LSC_COL_EIG_MAX][i]);
        }
    }
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* Rosenbrock f = (a - x)^2 + b (y - x^2)^2: H = [[2 - 4b(y - x^2) + 8b x^2, -4b x],
 * [-4b x, 2b]], derived by hand, and the eigenvalues of [[p, q], [q, r]] in closed form,
 * (p + r)/2 -+ hypot((p - r)/2, q), independent of the landscape's own Hessian code and
 * of GSL. Each row of a GD run, at the row's x; relative 1e-13 of the larger |eigenvalue|
 * (a few roundings of numbers up to ~1e3). */
static void rosen_eig(double a, double b, double x, double y, double *lo, double *hi)
{
    (void)a;
    const double p = 2 - 4 * b * (y - x * x) + 8 * b * x * x, q = -4 * b * x, r = 2 * b;
    const double m = (p + r) / 2, d = hypot((p - r) / 2, q);
    *lo = m - d;
    *hi = m + d;
}

Test(curvature, rosenbrock_closed_form)
{
    const char *kv[] = {"landscape", "rosenbrock:a=1,b=100", "optimizer", "sgd:lr=0.001",
                        "start", "-1.2,1", "steps", "200", "every", "10", "hessian", "on",
                        NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    const lsc_run_record *R = &t.runs[0];
    cr_assert_eq(R->len, 21);
    int neg = 0;
    for (size_t i = 0; i < R->len; i++) {
        double lo, hi, px = R->x[2 * i], py = R->x[2 * i + 1];
        rosen_eig(1, 100, px, py, &lo, &hi);
        const double tol = 1e-13 * fmax(fabs(lo), fabs(hi));
        cr_assert_leq(fabs(R->col[LSC_COL_EIG_MIN][i] - lo), tol, "row %zu: %.17g vs %.17g",
                      i, R->col[LSC_COL_EIG_MIN][i], lo);
        cr_assert_leq(fabs(R->col[LSC_COL_EIG_MAX][i] - hi), tol, "row %zu: %.17g vs %.17g",
                      i, R->col[LSC_COL_EIG_MAX][i], hi);
        neg |= lo < 0;
    }
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    /* and at points of both signs of eig_min, through the object itself */
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock:a=1,b=3", 0, "landscape", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_curvature *c = lsc_curvature_new(L, NULL, 1, 0, &e);
    cr_assert_not_null(c, "%s", e.msg);
    cr_assert_str_eq(lsc_curvature_describe(c), "exact/hessian");
    const double pts[][2] = {{0, 1}, {0.3, 2}, {-1.5, 0.5}, {1, 1}, {2, -3}};
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double lo, hi, glo, ghi;
        rosen_eig(1, 3, pts[k][0], pts[k][1], &lo, &hi);
        cr_assert_eq(lsc_curvature_eig(c, pts[k], &glo, &ghi), LSC_OK);
        cr_assert_leq(fabs(glo - lo), 1e-13 * fmax(fabs(lo), fabs(hi)), "%zu: %.17g %.17g", k,
                      glo, lo);
        cr_assert_leq(fabs(ghi - hi), 1e-13 * fmax(fabs(lo), fabs(hi)), "%zu", k);
        neg |= (lo < 0) << 1;
    }
    cr_assert_eq(neg & 2, 2, "a point with negative curvature was tried");
    lsc_curvature_free(c);
    lsc_landscape_free(L);
}

/* ---- Lanczos against known spectra ---------------------------------------------------- */

/* f = 1/2 x'Ax with A = Q diag(lambda) Q' (Q orthogonal), n = 100: a landscape from the
 * caller's functions, with A as its Hessian. */
typedef struct {
    int n;
    double *A;
    long calls; /* fdf calls */
} quad;

static double quad_fdf(int n, const double *x, double *g, void *user)
{
    quad *q = user;
    q->calls++;
    double f = 0;
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++)
            s += q->A[i * n + j] * x[j];
        if (g)
            g[i] = s;
        f += 0.5 * x[i] * s;
    }
    return f;
}

static double quad_f(int n, const double *x, void *user)
{
    return quad_fdf(n, x, NULL, user);
}

static void quad_hess(int n, const double *x, double *H, void *user)
{
    (void)x;
    memcpy(H, ((quad *)user)->A, (size_t)n * n * sizeof *H);
}

/* A random orthogonal Q (n x n, row-major): the Q of a QR factorisation of a Gaussian
 * matrix from MT19937 seeded `seed`; then A = Q diag(lam) Q'. */
static void make_quad(quad *q, const double *lam, int n, unsigned long seed, double *Qout)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    gsl_matrix *M = gsl_matrix_alloc((size_t)n, (size_t)n), *Q = gsl_matrix_alloc(n, n),
               *R = gsl_matrix_alloc(n, n);
    gsl_vector *tau = gsl_vector_alloc((size_t)n);
    for (int i = 0; i < n * n; i++)
        M->data[i] = gsl_ran_gaussian(r, 1);
    gsl_linalg_QR_decomp(M, tau);
    gsl_linalg_QR_unpack(M, tau, Q, R);
    q->n = n;
    q->A = calloc((size_t)n * n, sizeof *q->A);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++)
                s += gsl_matrix_get(Q, i, k) * lam[k] * gsl_matrix_get(Q, j, k);
            q->A[i * n + j] = s;
        }
    memcpy(Qout, Q->data, (size_t)n * n * sizeof *Qout);
    gsl_matrix_free(M), gsl_matrix_free(Q), gsl_matrix_free(R), gsl_vector_free(tau);
    gsl_rng_free(r);
}

/* Chebyshev T_k(x) for x >= 1 */
static double cheb(int k, double x)
{
    return cosh(k * acosh(x));
}

/* The Kaniel-Paige-Saad bound (Golub & Van Loan, Matrix Computations, 4th ed., Thm
 * 10.1.2) on the largest Ritz value theta_1 after k Lanczos steps from q_0:
 *     lambda_1 >= theta_1 >= lambda_1 - (lambda_1 - lambda_n) tan^2(phi_1) / T_{k-1}(1 + 2 rho)^2,
 * rho = (lambda_1 - lambda_2)/(lambda_2 - lambda_n), cos(phi_1) = |q_0 . z_1| (z_1 the
 * eigenvector of lambda_1); for the smallest, the same with the spectrum negated. */
static double kps(double l1, double l2, double ln, double cosphi, int k)
{
    double tan2 = (1 - cosphi * cosphi) / (cosphi * cosphi);
    double rho = (l1 - l2) / (l2 - ln);
    double T = cheb(k - 1, 1 + 2 * rho);
    return (l1 - ln) * tan2 / (T * T);
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* n = 100 > 64: lsc_curvature takes LANCZOS_STEPS = 40 Lanczos steps on finite-difference
 * products (the landscape has no exact product). Three spectra of random rotations:
 * uniform in [-1, 10] (gaps ~ 1/100 of the width: the bound is loose, ~1e-4), an evenly
 * spaced one, and one with separated extremes (the bound is below rounding). Each extreme
 * Ritz value lies inside the spectrum (to rounding: the products carry errors of
 * eps^(2/3) |A| |x|, ~1e-9 here) and within the KPS bound of the true value (plus the
 * same rounding); and agrees with the dense solver on the landscape's Hessian. */
Test(curvature, lanczos_vs_exact_random_quadratics)
{
    const int n = 100, k = LSC_LANCZOS_STEPS;
    double *lam = malloc(n * sizeof *lam), *Q = malloc((size_t)n * n * sizeof *Q);
    double *v0 = malloc(n * sizeof *v0), *x = malloc(n * sizeof *x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int s = 0; s < 3; s++) {
        for (int i = 0; i < n; i++)
            lam[i] = s == 0 ? -1 + 11 * gsl_rng_uniform(r)
                     : s == 1 ? -1 + 11.0 * i / (n - 1)
                              : gsl_ran_gaussian(r, 1);
        if (s == 2)
            lam[0] = -6, lam[1] = 8; /* separated extremes */
        quad q = {0};
        make_quad(&q, lam, n, 100 + s, Q);
        double sorted[100];
        memcpy(sorted, lam, sizeof sorted);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        const double lmin = sorted[0], lmax = sorted[n - 1], width = lmax - lmin;
        /* the eigenvectors of the extremes: columns of Q at their indices */
        int imin = 0, imax = 0;
        for (int i = 0; i < n; i++) {
            imin = lam[i] < lam[imin] ? i : imin;
            imax = lam[i] > lam[imax] ? i : imax;
        }
        const unsigned long long seed = 7, run_index = (unsigned long long)s;
        cr_assert_eq(lsc_curvature_start_vector(seed, run_index, n, v0), LSC_OK);
        double cmax = 0, cmin = 0;
        for (int i = 0; i < n; i++) {
            cmax += v0[i] * Q[i * n + imax];
            cmin += v0[i] * Q[i * n + imin];
        }
        const double bmax = kps(lmax, sorted[n - 2], lmin, fabs(cmax), k);
        const double bmin = kps(-lmin, -sorted[1], -lmax, fabs(cmin), k);
        lsc_error e = {0};
        lsc_landscape *L = lsc_landscape_from_fdf(n, quad_f, quad_fdf, quad_hess, &q, "quad", &e);
        cr_assert_not_null(L, "%s", e.msg);
        lsc_curvature *c = lsc_curvature_new(L, NULL, seed, run_index, &e);
        cr_assert_not_null(c, "%s", e.msg);
        cr_assert_str_eq(lsc_curvature_describe(c), "lanczos/fd");
        lsc_curvature_opts ex = {.method = LSC_CURV_EXACT};
        lsc_curvature *d = lsc_curvature_new(L, &ex, seed, run_index, &e);
        cr_assert_not_null(d, "%s", e.msg);
        cr_assert_str_eq(lsc_curvature_describe(d), "exact/hessian");
        for (int i = 0; i < n; i++)
            x[i] = gsl_ran_gaussian(r, 1);
        double lo, hi, elo, ehi;
        cr_assert_eq(lsc_curvature_eig(c, x, &lo, &hi), LSC_OK);
        cr_assert_eq(lsc_curvature_eig(d, x, &elo, &ehi), LSC_OK);
        const double round = 1e-8 * width;
        cr_assert_leq(fabs(elo - lmin), 1e-12 * width, "dense: %.17g vs %.17g", elo, lmin);
        cr_assert_leq(fabs(ehi - lmax), 1e-12 * width, "dense: %.17g vs %.17g", ehi, lmax);
        cr_assert_leq(hi, lmax + round, "spectrum %d: theta_max %.17g above %.17g", s, hi, lmax);
        cr_assert_geq(lo, lmin - round, "spectrum %d: theta_min %.17g below %.17g", s, lo, lmin);
        cr_assert_leq(lmax - hi, bmax + round, "spectrum %d: lambda_max %.17g, Lanczos %.17g, "
                      "KPS bound %.3g", s, lmax, hi, bmax);
        cr_assert_leq(lo - lmin, bmin + round, "spectrum %d: lambda_min %.17g, Lanczos %.17g, "
                      "KPS bound %.3g", s, lmin, lo, bmin);
        lsc_curvature_free(c);
        lsc_curvature_free(d);
        lsc_landscape_free(L);
        free(q.A);
    }
    gsl_rng_free(r);
    free(lam), free(Q), free(v0), free(x);
}

/* With as many steps as dimensions Lanczos spans the whole space: its extremes are the
 * spectrum's (here with the landscape's exact products replaced by differences of the
 * gradient of a quadratic, exact to rounding). And a Hessian of few distinct eigenvalues
 * stops Lanczos early (an invariant Krylov space) with the right answer. */
Test(curvature, lanczos_full_and_early_stop)
{
    const int n = 30;
    double lam[30], Q[900], x[30] = {0};
    for (int i = 0; i < n; i++)
        lam[i] = i % 3 == 0 ? -2 : i % 3 == 1 ? 0.5 : 4; /* three distinct values */
    quad q = {0};
    make_quad(&q, lam, n, 3, Q);
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_from_fdf(n, quad_f, quad_fdf, quad_hess, &q, "quad", &e);
    lsc_curvature_opts o = {.method = LSC_CURV_LANCZOS};
    lsc_curvature *c = lsc_curvature_new(L, &o, 1, 0, &e);
    cr_assert_not_null(c, "%s", e.msg);
    cr_assert_str_eq(lsc_curvature_describe(c), "lanczos/fd");
    double lo, hi;
    cr_assert_eq(lsc_curvature_eig(c, x, &lo, &hi), LSC_OK);
    cr_assert_leq(fabs(lo + 2), 1e-8, "%.17g", lo);
    cr_assert_leq(fabs(hi - 4), 1e-8, "%.17g", hi);
    lsc_curvature_free(c);
    lsc_landscape_free(L);
    free(q.A);
}

/* ---- finite-difference products on a model ------------------------------------------- */

/* An mlp over the sine data, whose exact Hessian-vector products (lsc_model_hvp) are the
 * reference: the dense Hessian from n differences of the gradient (n = 25 <= 64), and
 * Lanczos on them (n = 97 > 64, the same start vector), agree with the exact products'
 * eigenvalues. The differences' error is O(eps^(2/3)) ~ 4e-11 of the gradient's scale
 * (curvature.c); 1e-7 of the spectral radius leaves room for Lanczos' amplification of
 * it over 40 steps. */
static void fd_vs_exact(const char *spec, int expect_exact)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_load_model(spec, 0, "sine:n=40,seed=3", NULL, 0, 1,
                                                "landscape", &e);
    cr_assert_not_null(L, "%s", e.msg);
    cr_assert_eq(L->n <= LSC_CURVATURE_EXACT_MAX, expect_exact, "n = %d", L->n);
    lsc_curvature_opts fd = {.fd = 1};
    lsc_curvature *a = lsc_curvature_new(L, NULL, 5, 2, &e), *b = lsc_curvature_new(L, &fd, 5, 2, &e);
    cr_assert(a && b, "%s", e.msg);
    cr_assert_str_eq(lsc_curvature_describe(a), expect_exact ? "exact/hvp" : "lanczos/hvp");
    cr_assert_str_eq(lsc_curvature_describe(b), expect_exact ? "exact/fd" : "lanczos/fd");
    double *x = malloc((size_t)L->n * sizeof *x);
    for (int s = 0; s < 3; s++) {
        lsc_landscape_start(L, s, x);
        double alo, ahi, blo, bhi;
        cr_assert_eq(lsc_curvature_eig(a, x, &alo, &ahi), LSC_OK);
        cr_assert_eq(lsc_curvature_eig(b, x, &blo, &bhi), LSC_OK);
        const double tol = 1e-7 * fmax(fabs(alo), fabs(ahi));
        cr_assert_leq(fabs(alo - blo), tol, "%s start %d: eig_min %.17g (hvp) %.17g (fd)",
                      spec, s, alo, blo);
        cr_assert_leq(fabs(ahi - bhi), tol, "%s start %d: eig_max %.17g (hvp) %.17g (fd)",
                      spec, s, ahi, bhi);
        cr_assert_lt(alo, 0, "%s start %d: an mlp at its init has negative curvature", spec, s);
    }
    free(x);
    lsc_curvature_free(a);
    lsc_curvature_free(b);
    lsc_landscape_free(L);
}

Test(curvature, fd_products_on_a_model)
{
    fd_vs_exact("mlp:hidden=8,act=tanh,loss=mse", 1);   /* 1*8+8 + 8+1 = 25 */
    fd_vs_exact("mlp:hidden=8;8,act=tanh,loss=mse", 0); /* 16 + 72 + 9 = 97 */
}

/* ---- through runs: recorded rows only, bytes, round trip ----------------------------- */

/* The columns cost nothing on rows that are not recorded: a landscape without a Hessian
 * (n = 3: the dense Hessian from 2n gradient differences) counts its fdf calls; with
 * hessian on, a run of 100 steps recording every 10th makes exactly 11 rows x 2n calls
 * more than without. */
Test(curvature, recorded_rows_only)
{
    double lam[3] = {1, -2, 3}, Q[9];
    quad q = {0};
    make_quad(&q, lam, 3, 9, Q);
    long calls[2];
    for (int on = 0; on < 2; on++) {
        lsc_error e = {0};
        lsc_landscape *L = lsc_landscape_from_fdf(3, quad_f, quad_fdf, NULL, &q, "quad3", &e);
        cr_assert_not_null(L);
        lsc_experiment *x = lsc_experiment_new();
        cr_assert_eq(lsc_experiment_use_landscape(x, L, &e), LSC_OK, "%s", e.msg);
        const char *kv[] = {"optimizer", "sgd:lr=0.01", "start", "0.5,0.25,-1", "steps",
                            "100", "every", "10", "hessian", on ? "on" : "off", NULL};
        for (int k = 0; kv[k]; k += 2)
            cr_assert_eq(lsc_experiment_set(x, kv[k], kv[k + 1], &e), LSC_OK, "%s", e.msg);
        lsc_trajectory t;
        q.calls = 0;
        run(x, &t);
        calls[on] = q.calls;
        cr_assert_eq(t.runs[0].len, 11);
        if (on) { /* and the values: lam's extremes at every row */
            for (size_t i = 0; i < 11; i++) {
                cr_assert_leq(fabs(t.runs[0].col[LSC_COL_EIG_MIN][i] + 2), 1e-8);
                cr_assert_leq(fabs(t.runs[0].col[LSC_COL_EIG_MAX][i] - 3), 1e-8);
            }
        }
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
        lsc_landscape_free(L);
    }
    cr_assert_eq(calls[1] - calls[0], 11 * 2 * 3, "%ld and %ld calls", calls[0], calls[1]);
    free(q.A);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)len + 1);
    cr_assert_eq(fread(s, 1, (size_t)len, fp), (size_t)len);
    s[len] = '\0';
    fclose(fp);
    return s;
}

/* A run of an mlp with 97 parameters (Lanczos on exact products) with hessian on: the
 * file says '# hessian: on' and has eig_min eig_max after grad_norm; read back, the
 * values are the same doubles and writing again gives the same bytes; a second run of the
 * same experiment gives the same bytes (the start vector is the run's stream's). Without
 * hessian the file has neither the line nor the columns. */
Test(curvature, columns_round_trip, .init = make_dir, .fini = remove_dir)
{
    char p1[128], p2[128], p3[128], p4[128];
    snprintf(p1, sizeof p1, "%s/a.tsv", dir);
    snprintf(p2, sizeof p2, "%s/b.tsv", dir);
    snprintf(p3, sizeof p3, "%s/c.tsv", dir);
    snprintf(p4, sizeof p4, "%s/d.tsv", dir);
    const char *paths[] = {p1, p3};
    for (int rep = 0; rep < 2; rep++) {
        const char *kv[] = {"landscape", "mlp:hidden=8;8,act=tanh,loss=mse", "data",
                            "sine:n=40,seed=3", "optimizer", "sgd:lr=0.05", "steps", "20",
                            "every", "5", "hessian", "on", NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        run(x, &t);
        lsc_error e = {0};
        cr_assert_eq(lsc_trajectory_write(&t, paths[rep], &e), LSC_OK, "%s", e.msg);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
    char *a = slurp(p1), *c = slurp(p3);
    cr_assert_str_eq(a, c, "two runs of the same experiment: the same bytes");
    cr_assert_not_null(strstr(a, "\n# hessian: on\n"));
    cr_assert_not_null(strstr(a, "\nrun\tstep\tlr\tloss\tgrad_norm\tepoch\texamples\t"
                                 "batch_loss\teig_min\teig_max\n"), "%s", a);
    lsc_trajectory t, u;
    lsc_error e = {0};
    cr_assert_eq(lsc_trajectory_read(&t, p1, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(t.hessian, 1);
    cr_assert_eq(t.cols & ((1ULL << LSC_COL_EIG_MIN) | (1ULL << LSC_COL_EIG_MAX)),
                 (1ULL << LSC_COL_EIG_MIN) | (1ULL << LSC_COL_EIG_MAX));
    cr_assert_eq(lsc_trajectory_write(&t, p2, &e), LSC_OK, "%s", e.msg);
    char *b = slurp(p2);
    cr_assert_str_eq(a, b, "read and written again: the same bytes");
    cr_assert_eq(lsc_trajectory_read(&u, p2, &e), LSC_OK, "%s", e.msg);
    const lsc_run_record *R = &t.runs[0];
    cr_assert_eq(R->len, 5);
    for (size_t i = 0; i < R->len; i++) {
        cr_assert(R->col[LSC_COL_EIG_MAX][i] > 0 && R->col[LSC_COL_EIG_MIN][i] < R->col[LSC_COL_EIG_MAX][i]);
        cr_assert_eq(memcmp(&R->col[LSC_COL_EIG_MAX][i], &u.runs[0].col[LSC_COL_EIG_MAX][i], 8), 0);
        cr_assert_eq(memcmp(&R->col[LSC_COL_EIG_MIN][i], &u.runs[0].col[LSC_COL_EIG_MIN][i], 8), 0);
    }
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    /* off: no line, no columns */
    const char *kv[] = {"landscape", "mlp:hidden=8;8,act=tanh,loss=mse", "data",
                        "sine:n=40,seed=3", "optimizer", "sgd:lr=0.05", "steps", "20", "every",
                        "5", NULL};
    lsc_experiment *x = experiment(kv);
    run(x, &t);
    cr_assert_eq(lsc_trajectory_write(&t, p4, &e), LSC_OK, "%s", e.msg);
    char *d = slurp(p4);
    cr_assert_null(strstr(d, "hessian"));
    cr_assert_null(strstr(d, "eig_"));
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    free(a), free(b), free(c), free(d);
}

/* ---- the sharpness panel ------------------------------------------------------------- */

/* Column col of every data row of FIG.curves.tsv, in order (nan included). */
static int data_col(const char *path, int col, double *v, int max)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, fp) && n < max) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *p = line;
        for (int k = 0; k < col; k++)
            strtod(p, &p);
        v[n++] = strtod(p, NULL);
    }
    fclose(fp);
    return n;
}

/* curves=loss,sharpness on GD over a saddle's neighbourhood (quadratic-spectrum with a
 * negative eigenvalue): the panel's column is eig_max, the last column eig_min where
 * negative (nan elsewhere), and the script draws the 2/lr line at 2/0.1 = 20 with its
 * label for GD, and none for Adam and heavy ball (theirs are other thresholds); without
 * hessian the panel is refused, naming what it needs. */
Test(curvature, sharpness_panel, .init = make_dir, .fini = remove_dir)
{
    const char *kv[] = {"landscape", "quadratic-spectrum:eig=-1.5;2;12", "dim", "3",
                        "optimizer", "sgd:lr=0.1", "optimizer", "adam:lr=0.05", "optimizer",
                        "momentum:lr=0.04", "start", "0.1,1,1", "steps", "10",
                        "hessian", "on", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    lsc_error e = {0};
    char out[128], data[160], script[160];
    snprintf(out, sizeof out, "%s/s.png", dir);
    cr_assert_eq(lsc_plot_opts_set(&o, "kind", "curves", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "curves", "loss,sharpness", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "out", out, &e), LSC_OK, "%s", e.msg);
    o.no_render = 1;
    cr_assert_eq(lsc_plot_render(&t, lsc_experiment_landscape(x), &o, &e), LSC_OK, "%s", e.msg);
    snprintf(data, sizeof data, "%s.curves.tsv", out);
    double v[64];
    cr_assert_eq(data_col(data, 2, v, 64), 33);
    for (int i = 0; i < 33; i++)
        cr_assert_eq(v[i], 12);
    cr_assert_eq(data_col(data, 3, v, 64), 33);
    for (int i = 0; i < 33; i++)
        cr_assert_eq(v[i], -1.5);
    cr_assert_eq(lsc_plot_script_path(&o, script, sizeof script), LSC_OK);
    char *s = slurp(script);
    cr_assert_not_null(strstr(s, "using 1:(20) with lines"), "%s", s);
    cr_assert_not_null(strstr(s, "= 20' at graph 0.99, first 20 right"), "%s", s);
    cr_assert_not_null(strstr(s, "using 1:4 with lines"), "the eig_min line");
    /* GD's threshold only: not Adam's 2/0.05 nor heavy ball's 2/0.04 */
    cr_assert_null(strstr(s, "(40)"), "%s", s);
    cr_assert_null(strstr(s, "(50)"), "%s", s);
    free(s);
    lsc_trajectory_free(&t);
    /* a positive eig_min is not drawn: nan */
    lsc_experiment_free(x);
    const char *kv2[] = {"landscape", "quadratic-spectrum:eig=1.5;2;12", "dim", "3",
                         "optimizer", "sgd:lr=0.1", "steps", "4", "hessian", "on", NULL};
    x = experiment(kv2);
    run(x, &t);
    cr_assert_eq(lsc_plot_render(&t, lsc_experiment_landscape(x), &o, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(data_col(data, 3, v, 64), 5);
    for (int i = 0; i < 5; i++)
        cr_assert(isnan(v[i]));
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    /* refused without the columns */
    const char *kv3[] = {"landscape", "quadratic-spectrum:eig=1.5;2;12", "dim", "3",
                         "optimizer", "sgd:lr=0.1", "steps", "4", NULL};
    x = experiment(kv3);
    run(x, &t);
    cr_assert_eq(lsc_plot_render(&t, lsc_experiment_landscape(x), &o, &e), LSC_EINVAL);
    cr_assert_not_null(strstr(e.msg, "hessian on"), "%s", e.msg);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}
