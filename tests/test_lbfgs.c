/* test_lbfgs.c — lbfgs against torch.optim.LBFGS (tests/ref/gen_lbfgs.py) and its edges
 *
 * The landscapes are written again here (own formulas) and handed to lbfgs as user
 * landscapes, which count their evaluations: one losscape step must evaluate exactly as
 * often as one torch step(closure) (torch's state['func_evals'], stored in the file).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landscape.h"
#include "optim.h"

#define TORCH_TOL 1e-12
#define MAXN 16

static long n_evals;

static double rosen_fdf(int n, const double *x, double *g, void *user)
{
    (void)user;
    n_evals++;
    double f = 0;
    for (int i = 0; i < n; i++)
        g[i] = 0;
    for (int i = 0; i + 1 < n; i++) {
        double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        f += 100 * (a * a) + b * b;
        /* rounded as torch's autograd does (pow and mul backward): d/da = 100·(2a),
         * d/dx_i = −(100·(2a))·(2x_i) + −(2b); two-term sums, so their order is exact. Up
         * to 20 moves per step amplify any 1-ulp difference of g beyond 1e-12. */
        double ga = 100 * (2 * a);
        g[i] += -ga * (2 * x[i]) + -(2 * b);
        g[i + 1] += ga;
    }
    return f;
}

static double rosen_f(int n, const double *x, void *user)
{
    double g[MAXN];
    return rosen_fdf(n, x, g, user);
}

/* ½(x − c)ᵀA(x − c), A = [[50.5, 49.5], [49.5, 50.5]], c = (1, −2) */
static double quad_fdf(int n, const double *x, double *g, void *user)
{
    (void)n, (void)user;
    n_evals++;
    double d0 = x[0] - 1, d1 = x[1] + 2;
    g[0] = 50.5 * d0 + 49.5 * d1;
    g[1] = 49.5 * d0 + 50.5 * d1;
    return 0.5 * (d0 * g[0] + d1 * g[1]);
}

static double quad_f(int n, const double *x, void *user)
{
    double g[2];
    return quad_fdf(n, x, g, user);
}

static lsc_landscape *make_land(const char *name, int n)
{
    lsc_error e = {0};
    int q = !strcmp(name, "quad");
    lsc_landscape *L = lsc_landscape_from_fdf(n, q ? quad_f : rosen_f, q ? quad_fdf : rosen_fdf,
                                              NULL, NULL, name, &e);
    cr_assert_not_null(L, "%s", e.msg);
    return L;
}

static double rel_err(int n, const double *a, const double *b)
{
    double num = 0, den = 0;
    for (int i = 0; i < n; i++) {
        num += (a[i] - b[i]) * (a[i] - b[i]);
        den += b[i] * b[i];
    }
    return sqrt(num) / (sqrt(den) > 1 ? sqrt(den) : 1);
}

typedef struct {
    char spec[128], land[32];
    int n, steps;
    long evals[256];
    double x[256][MAXN];
} lb_run;

/* Reads the runs of optim_lbfgs.tsv; returns how many (at most max). */
static int load_runs(lb_run *R, int max)
{
    FILE *fp = fopen(LSC_TEST_DATA "/optim_lbfgs.tsv", "r");
    cr_assert_not_null(fp);
    char line[4096];
    int nr = 0;
    while (fgets(line, sizeof line, fp)) {
        int id, k;
        if (!strncmp(line, "#run", 4)) {
            cr_assert_lt(nr, max);
            lb_run *r = &R[nr++];
            cr_assert_eq(sscanf(line, "#run %d %127s %31s %d %d", &id, r->spec, r->land, &r->n,
                                &r->steps), 5);
            cr_assert(r->n <= MAXN && r->steps < 256);
            continue;
        }
        if (line[0] == '#')
            continue;
        char *p = line, *end;
        id = (int)strtol(p, &end, 10);
        k = (int)strtol(end, &end, 10);
        cr_assert(id == nr - 1 && k >= 0 && k <= R[id].steps);
        R[id].evals[k] = strtol(end, &end, 10);
        for (int i = 0; i < R[id].n; i++)
            R[id].x[k][i] = strtod(end, &end);
    }
    fclose(fp);
    return nr;
}

static lb_run runs[32];

/* Closed loop: the whole trajectory with this file's gradients, x and the evaluation count
 * after every step within TORCH_TOL / exactly. */
Test(lbfgs, matches_torch_trajectories)
{
    int nr = load_runs(runs, 32);
    cr_assert_geq(nr, 6);
    int lands = 0;
    for (int r = 0; r < nr; r++) {
        lb_run *R = &runs[r];
        lands |= !strcmp(R->land, "quad") ? 1 : !strcmp(R->land, "rosen11") ? 2 : 4;
        lsc_landscape *L = make_land(R->land, R->n);
        lsc_error e = {0};
        lsc_optim *o = lsc_optim_new(R->spec, R->n, "test", &e);
        cr_assert_not_null(o, "%s: %s", R->spec, e.msg);
        double x[MAXN], g[MAXN];
        memcpy(x, R->x[0], sizeof x);
        lsc_step_ctx ctx = {.landscape = L, .rng = NULL};
        long evals = 0;
        for (int k = 1; k <= R->steps; k++) {
            lsc_landscape_fdf(L, x, g); /* the caller's gradient, not counted */
            n_evals = 0;
            cr_assert_eq(lsc_optim_step(o, x, g, &ctx), LSC_OK);
            evals += n_evals;
            double err = rel_err(R->n, x, R->x[k]);
            cr_expect_leq(err, TORCH_TOL, "%s on %s, step %d: relative error %g", R->spec,
                          R->land, k, err);
            cr_expect_eq(evals, R->evals[k], "%s on %s, step %d: %ld evaluations, torch %ld",
                         R->spec, R->land, k, evals, R->evals[k]);
        }
        lsc_optim_free(o);
        lsc_landscape_free(L);
    }
    cr_expect_eq(lands, 7, "runs on rosenbrock, quad and rosen11");
}

/* Without a landscape (the closure) lbfgs cannot run. */
Test(lbfgs, needs_a_landscape)
{
    lsc_error e = {0};
    lsc_optim *o = lsc_optim_new("lbfgs", 2, "test", &e);
    cr_assert_not_null(o);
    double x[2] = {1, 2}, g[2] = {1, 1};
    cr_expect_eq(lsc_optim_step(o, x, g, NULL), LSC_ENOTSUP);
    cr_expect(x[0] == 1 && x[1] == 2);
    lsc_optim_free(o);
}

/* max|g| <= tolerance_grad: one evaluation (the closure's first) and no move. */
Test(lbfgs, stops_at_a_stationary_point)
{
    lsc_landscape *L = make_land("quad", 2);
    lsc_error e = {0};
    lsc_optim *o = lsc_optim_new("lbfgs", 2, "test", &e);
    double x[2] = {1, -2}, g[2];
    lsc_landscape_fdf(L, x, g);
    lsc_step_ctx ctx = {.landscape = L};
    n_evals = 0;
    cr_assert_eq(lsc_optim_step(o, x, g, &ctx), LSC_OK);
    cr_expect_eq(n_evals, 1);
    cr_expect(x[0] == 1 && x[1] == -2);
    lsc_optim_free(o);
    lsc_landscape_free(L);
}

/* Reset forgets the history: the same first step again. */
Test(lbfgs, reset_restarts)
{
    lsc_landscape *L = make_land("rosenbrock", 2);
    lsc_error e = {0};
    lsc_optim *o = lsc_optim_new("lbfgs:max_iter=3", 2, "test", &e);
    lsc_step_ctx ctx = {.landscape = L};
    double a[2] = {-1.2, 1}, b[2] = {-1.2, 1}, g[2];
    lsc_landscape_fdf(L, a, g);
    lsc_optim_step(o, a, g, &ctx);
    lsc_landscape_fdf(L, a, g);
    lsc_optim_step(o, a, g, &ctx);
    cr_assert_eq(lsc_optim_reset(o), LSC_OK);
    a[0] = -1.2, a[1] = 1;
    lsc_landscape_fdf(L, a, g);
    lsc_optim_step(o, a, g, &ctx);
    lsc_optim *o2 = lsc_optim_new("lbfgs:max_iter=3", 2, "test", &e);
    lsc_landscape_fdf(L, b, g);
    lsc_optim_step(o2, b, g, &ctx);
    cr_expect(a[0] == b[0] && a[1] == b[1]);
    lsc_optim_free(o);
    lsc_optim_free(o2);
    lsc_landscape_free(L);
}
