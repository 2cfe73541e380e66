/* test_newton_cg.c — newton-cg (src/optim/newton_cg.c) against closed forms: the Newton
 * step on a quadratic, the Cauchy point with one CG iteration, negative curvature taken to
 * the trust region's boundary, and convergence on chained Rosenbrock */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "losscape.h"

static lsc_landscape *land(const char *spec, int n)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new(spec, n, "landscape", &e);
    cr_assert_not_null(L, "%s", e.msg);
    return L;
}

static lsc_optim *opt(const char *spec, int n)
{
    lsc_error e = {0};
    lsc_optim *o = lsc_optim_new(spec, n, "optimizer", &e);
    cr_assert_not_null(o, "%s", e.msg);
    return o;
}

/* One step from x0 on f = ½ Σ λᵢ xᵢ² (λ = 1 ... 100, SPD) in a region large enough: CG
 * with every iteration (eta=0) solves H p = −g, so the step lands on the minimiser 0 (in
 * floating point CG needs more than n iterations: after 10 the gradient was still 1.6e-5,
 * after 20 at rounding level; 30 are allowed). With the dense
 * Hessian exactly (1e-12 of |x0|); with central differences of the gradient the products
 * are exact but for rounding, about ε (1 + |x|) |g| / h relative with h = ε^⅓ (1 + |x|) /
 * |d|: some 1e-10 (tolerance 1e-8). */
Test(newton_cg, one_step_solves_a_quadratic)
{
    const int n = 10;
    const char *modes[] = {"hessian", "fd"};
    const double tol[] = {1e-12, 1e-8};
    lsc_landscape *L = land("quadratic-spectrum:cond=100", n);
    for (int k = 0; k < 2; k++) {
        char spec[96];
        snprintf(spec, sizeof spec, "newton-cg:hvp=%s,radius=1e6,eta=0,max_cg=30", modes[k]);
        lsc_optim *o = opt(spec, n);
        double x[10], g[10], x0n = 0;
        for (int i = 0; i < n; i++) {
            x[i] = 1.0 + 0.3 * i * (i % 2 ? -1 : 1);
            x0n += x[i] * x[i];
        }
        lsc_landscape_fdf(L, x, g);
        lsc_step_ctx c = {.landscape = L};
        cr_assert_eq(lsc_optim_step(o, x, g, &c), LSC_OK);
        for (int i = 0; i < n; i++)
            cr_expect_lt(fabs(x[i]), tol[k] * sqrt(x0n), "%s: x[%d] = %g", modes[k], i, x[i]);
        lsc_optim_free(o);
    }
    lsc_landscape_free(L);
}

/* max_cg=1 inside a large region: the Cauchy point p = −(gᵀg / gᵀHg) g, exactly. */
Test(newton_cg, one_cg_iteration_is_the_cauchy_point)
{
    const int n = 4;
    lsc_landscape *L = land("quadratic-spectrum:eig=1;3;7;20", n);
    lsc_optim *o = opt("newton-cg:hvp=hessian,max_cg=1,radius=1e6", n);
    const double lam[] = {1, 3, 7, 20};
    double x[] = {1, -2, 0.5, 0.25}, g[4], want[4], gg = 0, ghg = 0;
    lsc_landscape_fdf(L, x, g);
    for (int i = 0; i < n; i++) {
        gg += g[i] * g[i];
        ghg += g[i] * lam[i] * g[i];
    }
    for (int i = 0; i < n; i++)
        want[i] = x[i] - gg / ghg * g[i];
    lsc_step_ctx c = {.landscape = L};
    cr_assert_eq(lsc_optim_step(o, x, g, &c), LSC_OK);
    for (int i = 0; i < n; i++)
        cr_expect_float_eq(x[i], want[i], 1e-14, "x[%d] = %.17g, want %.17g", i, x[i], want[i]);
    lsc_optim_free(o);
    lsc_landscape_free(L);
}

/* On the strict saddle ½(x² − y²) CG meets negative curvature once the step is along y and
 * goes to the boundary (radius 2): newton-cg leaves the saddle with f falling, while
 * Newton's method, attracted by every critical point, lands on it. */
Test(newton_cg, negative_curvature_goes_to_the_boundary)
{
    lsc_landscape *L = land("saddle", 2);
    lsc_optim *o = opt("newton-cg:radius=2", 2), *nt = opt("newton", 2);
    double x[] = {1, 1e-3}, y[] = {1, 1e-3}, g[2];
    lsc_step_ctx c = {.landscape = L};
    for (int k = 0; k < 4; k++) {
        lsc_landscape_fdf(L, x, g);
        cr_assert_eq(lsc_optim_step(o, x, g, &c), LSC_OK);
        lsc_landscape_fdf(L, y, g);
        cr_assert_eq(lsc_optim_step(nt, y, g, &c), LSC_OK);
    }
    cr_expect_gt(fabs(x[1]), 1.0, "newton-cg stayed at y = %g", x[1]);
    cr_expect_lt(lsc_landscape_f(L, x), -0.5);
    cr_expect_lt(hypot(y[0], y[1]), 1e-12, "newton left the saddle: (%g, %g)", y[0], y[1]);
    lsc_optim_free(o);
    lsc_optim_free(nt);
    lsc_landscape_free(L);
}

/* Chained Rosenbrock, n = 100, from its standard start, through lsc_run with the gradient
 * by differences (hvp=fd): |grad f| < 1e-8 within 1000 steps (it took 414), at the
 * minimiser (1, ..., 1). */
Test(newton_cg, solves_chained_rosenbrock)
{
    const int n = 100;
    lsc_landscape *L = land("rosenbrock", n);
    lsc_optim *o = opt("newton-cg:hvp=fd", n);
    double x0[100];
    lsc_landscape_start(L, 0, x0);
    lsc_run_opts ro = {.landscape = L, .steps = 1000, .every = 1000, .stop_grad = 1e-8};
    lsc_trajectory t;
    lsc_trajectory_init(&t, n, n, 0);
    lsc_run_record *rec = lsc_trajectory_add_run(&t);
    lsc_error e = {0};
    int st = lsc_run(&ro, o, x0, 0, &t, rec, &e);
    cr_assert_eq(st, LSC_STOP_CONVERGED, "status %d: %s (|g| = %g)", st, rec->reason,
                 rec->grad_norm[rec->len - 1]);
    for (int i = 0; i < n; i++)
        cr_expect_float_eq(rec->x[(rec->len - 1) * (size_t)n + (size_t)i], 1.0, 1e-7);
    lsc_trajectory_free(&t);
    lsc_optim_free(o);
    lsc_landscape_free(L);
}

/* Bad parameters are refused by name. */
Test(newton_cg, refuses_a_dense_hessian_too_large)
{
    lsc_error e = {0};
    cr_expect_null(lsc_optim_new("newton-cg:hvp=hessian", 2000, "optimizer", &e));
    cr_expect(strstr(e.msg, "hvp=fd") != NULL, "%s", e.msg);
    cr_expect_null(lsc_optim_new("newton-cg:radius=0", 2, "optimizer", &e));
    cr_expect(strstr(e.msg, "radius") != NULL, "%s", e.msg);
}
