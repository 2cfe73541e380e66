/* test_run.c — the driver loop and the trajectory file, with a local landscape and a local
 * optimizer so that these tests depend on nothing but run.c and trajectory.c */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

/* f(x) = 1/2 sum_i lambda_i x_i^2 with lambda = (1, 4, 9, ...); domain |x_1| < 100 */
static double quad_fdf(const lsc_params *p, const void *s, int n, const double *x, double *g)
{
    (void)p;
    (void)s;
    double f = 0;
    for (int i = 0; i < n; i++) {
        double l = (double)(i + 1) * (i + 1);
        f += 0.5 * l * x[i] * x[i];
        g[i] = l * x[i];
    }
    return f;
}
static double quad_f(const lsc_params *p, const void *s, int n, const double *x)
{
    double g[8];
    return quad_fdf(p, s, n, x, g);
}
static int quad_in(const lsc_params *p, const void *s, int n, const double *x)
{
    (void)p;
    (void)s;
    (void)n;
    return fabs(x[0]) < 100;
}
static const lsc_critical2 quad_cp[] = {{LSC_CP_MIN, {0, 0}, 0, 1, 4, 0}};
static const lsc_landscape_type quad_type = {
    .name = "testquad", .summary = "test", .formula = "1/2 sum i^2 x_i^2", .citation = "-",
    .dim = 2, .f = quad_f, .fdf = quad_fdf, .in_domain = quad_in,
    .lo = {-1, -1}, .hi = {1, 1}, .critical_table = quad_cp, .ncritical_table = 1};

/* plain gradient descent: x <- x - lr g */
static size_t gd_size(const lsc_params *p, int n)
{
    (void)p;
    (void)n;
    return 8;
}
static int gd_init(void *s, const lsc_params *p, int n, lsc_error *e)
{
    (void)s;
    (void)p;
    (void)n;
    (void)e;
    return 0;
}
static int gd_step(void *s, int n, double *x, const double *g, double lr,
                   const lsc_step_ctx *c)
{
    (void)s;
    (void)c;
    for (int i = 0; i < n; i++)
        x[i] -= lr * g[i];
    return 0;
}
static const lsc_param_desc gd_params[] = {
    {"lr", LSC_PARAM_REAL, 0.1, 0, INFINITY, LSC_LO_OPEN, "learning rate", NULL}};
static const lsc_optim_type gd_type = {
    .name = "testgd", .summary = "test", .citation = "-", .formula = "θ ← θ − γg",
    .pytorch = "torch.optim.SGD(params, lr={lr})", .params = gd_params, .nparams = 1,
    .flags = LSC_OPTIM_ELEMENTWISE, .state_size = gd_size, .init = gd_init, .step = gd_step};

static lsc_landscape L = {.type = &quad_type, .n = 2};

static lsc_optim *make_gd(double lr)
{
    static double state[8];
    static lsc_optim o;
    o.type = &gd_type;
    o.n = 2;
    lsc_params_defaults(&o.params, gd_params, 1);
    o.params.v[0] = lr;
    snprintf(o.label, sizeof o.label, "gd");
    o.state = state;
    return &o;
}

static int run_one(lsc_run_opts *opts, double lr, const double *x0, lsc_trajectory *t)
{
    lsc_error err = {0};
    lsc_trajectory_init(t, 2, 2, 0);
    lsc_trajectory_describe_opts(t, opts);
    lsc_run_record *r = lsc_trajectory_add_run(t);
    return lsc_run(opts, make_gd(lr), x0, 0, t, r, &err);
}

Test(run, gd_contracts_by_one_minus_lr_lambda)
{
    lsc_run_opts o = {.landscape = &L, .steps = 50, .every = 1};
    const double x0[2] = {1, -0.5}, lr = 0.1;
    lsc_trajectory t;
    cr_assert_eq(run_one(&o, lr, x0, &t), LSC_STOP_MAX_STEPS);
    lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->len, 51);
    for (size_t k = 0; k < r->len; k++) {
        cr_assert_eq(r->step[k], (long)k);
        cr_assert_eq(r->lr[k], lr);
        double e1 = x0[0] * pow(1 - lr * 1, (double)k), e2 = x0[1] * pow(1 - lr * 4, (double)k);
        cr_assert_float_eq(r->x[2 * k], e1, 1e-14 * fabs(x0[0]) + 1e-300);
        cr_assert_float_eq(r->x[2 * k + 1], e2, 1e-14 + 1e-300);
        cr_assert_float_eq(r->loss[k], 0.5 * e1 * e1 + 2 * e2 * e2, 1e-14);
        cr_assert_float_eq(r->grad_norm[k], hypot(e1, 4 * e2), 1e-14);
    }
    lsc_trajectory_free(&t);
}

Test(run, stop_grad_converges_and_records_last_step)
{
    lsc_run_opts o = {.landscape = &L, .steps = 10000, .every = 7, .stop_grad = 1e-6};
    const double x0[2] = {1, 1};
    lsc_trajectory t;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_CONVERGED);
    lsc_run_record *r = &t.runs[0];
    cr_assert_lt(r->grad_norm[r->len - 1], 1e-6);
    cr_assert_gt(r->grad_norm[r->len - 2], 1e-6);
    cr_assert_eq(r->step[1], 7);
    /* |x1| shrinks by 0.9 per step: first k with 0.9^k <= 1e-6 (x2 is already smaller) */
    long k = (long)ceil(log(1e-6) / log(0.9));
    cr_assert_eq(r->step[r->len - 1], k);
    lsc_trajectory_free(&t);
}

/* GD with lr 0.1 on f = 1/2 (x1^2 + 4 x2^2) from x0 has the closed form
 * x_k = (0.9^k x0_1, 0.6^k x0_2); the first k where g(k) >= 0 crosses a level, found by
 * scanning the closed form. The level is asserted to lie well inside (g(k-1), g(k)) so that
 * rounding in the run cannot move the crossing. */
static long first_crossing(double (*g)(long, const double *), const double *x0, long kmax)
{
    for (long k = 0; k <= kmax; k++)
        if (g(k, x0) >= 0) {
            cr_assert(k == 0 || g(k - 1, x0) < -1e-9, "the level is too close to step %ld",
                      k - 1);
            cr_assert(g(k, x0) > 1e-9, "the level is too close to step %ld", k);
            return k;
        }
    return -1;
}
static const double loss_level = 1e-3, dist_level = 0.8;
static double closed_f(long k, const double *x0)
{
    double a = pow(0.9, (double)k) * x0[0], b = pow(0.6, (double)k) * x0[1];
    return 0.5 * a * a + 2 * b * b;
}
static double below_loss(long k, const double *x0) /* >= 0 once f_k <= level */
{
    return loss_level - closed_f(k, x0);
}
static double beyond_dist(long k, const double *x0) /* >= 0 once |x_k - x0| >= level */
{
    double a = (1 - pow(0.9, (double)k)) * x0[0], b = (1 - pow(0.6, (double)k)) * x0[1];
    return hypot(a, b) - dist_level;
}

Test(run, stop_loss_stops_at_the_closed_form_step_and_records_it)
{
    lsc_run_opts o = {.landscape = &L, .steps = 10000, .every = 7, .stop_loss = loss_level,
                      .stop_loss_on = 1};
    const double x0[2] = {1, -0.5};
    const long k = first_crossing(below_loss, x0, 10000);
    /* x2's term is negligible by then: 0.5 * 0.81^k <= 1e-3, k = ceil(ln(2e-3) / ln(0.81)) */
    cr_assert_eq(k, (long)ceil(log(2e-3) / log(0.81)));
    lsc_trajectory t;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_LOSS);
    lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->status, LSC_STOP_LOSS);
    cr_assert_eq(r->step[r->len - 1], k, "stopped after step %ld", r->step[r->len - 1]);
    cr_assert_eq(r->step[r->len - 2], 28); /* the rows of every 7th step before it */
    cr_assert_leq(r->loss[r->len - 1], loss_level);
    cr_assert_gt(r->loss[r->len - 2], loss_level);
    char want[128];
    snprintf(want, sizeof want, "<= 0.001 after step %ld", k);
    cr_assert(strstr(r->reason, want) && !strncmp(r->reason, "f = ", 4), "%s", r->reason);
    cr_assert_str_eq(lsc_stop_name(r->status), "loss-reached");
    lsc_trajectory_free(&t);
}

Test(run, stop_dist_stops_at_the_closed_form_step_and_records_it)
{
    lsc_run_opts o = {.landscape = &L, .steps = 10000, .every = 4, .stop_dist = dist_level};
    const double x0[2] = {1, -0.5};
    const long k = first_crossing(beyond_dist, x0, 10000);
    cr_assert_eq(k, 10); /* |x_k - x0| = 0.788 at k = 9, 0.819 at k = 10 */
    lsc_trajectory t;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_DIST);
    lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->step[r->len - 1], k);
    cr_assert_eq(r->step[r->len - 2], 8); /* the rows of every 4th step before it */
    const double *x = &r->x[2 * (r->len - 1)];
    cr_assert_geq(hypot(x[0] - x0[0], x[1] - x0[1]), dist_level);
    cr_assert(strstr(r->reason, ">= 0.8 after step 10") &&
              !strncmp(r->reason, "|x - x_start| = ", 16), "%s", r->reason);
    cr_assert_str_eq(lsc_stop_name(r->status), "dist-reached");
    lsc_trajectory_free(&t);
}

/* 0 is a loss level like any other, so stop_loss is on only with stop_loss_on: a zeroed
 * lsc_run_opts stops at no level. At the minimum f = 0. */
Test(run, stop_loss_zero_is_a_level_and_a_zeroed_struct_is_off)
{
    lsc_run_opts o = {.landscape = &L, .steps = 5, .every = 1};
    const double x0[2] = {0, 0};
    lsc_trajectory t;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_MAX_STEPS);
    cr_assert(isnan(t.stop_loss), "the header says off");
    lsc_trajectory_free(&t);
    o.stop_loss_on = 1;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_LOSS);
    cr_assert_eq(t.stop_loss, 0);
    cr_assert_eq(t.runs[0].len, 1);
    cr_assert_str_eq(t.runs[0].reason, "f = 0 <= 0 at the start");
    lsc_trajectory_free(&t);
}

/* When several conditions hold after the same step, the first of stop_grad, stop_loss,
 * stop_dist names the status. */
Test(run, the_first_condition_that_holds_names_the_status)
{
    const double x0[2] = {1, 1}; /* f = 2.5, |g| = hypot(1, 4) */
    lsc_run_opts o = {.landscape = &L, .steps = 100, .every = 1, .stop_grad = 10,
                      .stop_loss = 10, .stop_loss_on = 1, .stop_dist = 1e-9};
    lsc_trajectory t;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_CONVERGED);
    lsc_trajectory_free(&t);
    o.stop_grad = 0;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_LOSS);
    cr_assert_eq(t.runs[0].len, 1, "at the start");
    lsc_trajectory_free(&t);
    o.stop_loss_on = 0;
    cr_assert_eq(run_one(&o, 0.1, x0, &t), LSC_STOP_DIST);
    cr_assert_eq(t.runs[0].len, 2, "after the first step (the start is at distance 0)");
    lsc_trajectory_free(&t);
}

Test(run, divergence_keeps_the_finite_prefix)
{
    lsc_run_opts o = {.landscape = &L, .steps = 100000, .every = 1};
    const double x0[2] = {1e-3, 1};
    lsc_trajectory t;
    /* lr = 1: x2 <- (1 - 4) x2, |x2| grows by 3 per step until f overflows */
    int rc = run_one(&o, 1.0, x0, &t);
    cr_assert_eq(rc, LSC_STOP_DIVERGED, "rc %d: %s", rc, t.runs[0].reason);
    lsc_run_record *r = &t.runs[0];
    for (size_t k = 0; k < r->len; k++)
        cr_assert(isfinite(r->loss[k]) && isfinite(r->x[2 * k + 1]));
    cr_assert_gt(r->len, 100);
    lsc_trajectory_free(&t);
}

Test(run, leaving_the_domain_stops_the_run)
{
    lsc_run_opts o = {.landscape = &L, .steps = 1000, .every = 1};
    const double x0[2] = {1, 0};
    lsc_trajectory t;
    /* lr = 2.5 on lambda = 1: x1 <- -1.5 x1 leaves |x1| < 100 after 12 steps */
    cr_assert_eq(run_one(&o, 2.5, x0, &t), LSC_STOP_DOMAIN);
    cr_assert_eq(t.runs[0].len, 12);
    cr_assert(strstr(t.runs[0].reason, "step 12"), "%s", t.runs[0].reason);
    lsc_trajectory_free(&t);
}

Test(run, clipping_by_norm_limits_the_step)
{
    lsc_run_opts o = {.landscape = &L, .steps = 1, .every = 1, .clip_norm = 0.5};
    const double x0[2] = {3, 4}; /* g = (3, 16), |g| = 16.28 */
    lsc_trajectory t;
    run_one(&o, 1.0, x0, &t);
    double dx = hypot(t.runs[0].x[2] - 3, t.runs[0].x[3] - 4);
    double gn = hypot(3, 16);
    cr_assert_float_eq(dx, 0.5 * gn / (gn + 1e-6), 1e-15);
    lsc_trajectory_free(&t);
}

Test(run, noise_is_seeded_and_reproducible)
{
    lsc_run_opts o = {.landscape = &L, .steps = 20, .every = 1, .noise = 0.1, .seed = 7};
    const double x0[2] = {0.5, 0.5};
    lsc_trajectory a, b, c;
    run_one(&o, 0.1, x0, &a);
    run_one(&o, 0.1, x0, &b);
    o.seed = 8;
    run_one(&o, 0.1, x0, &c);
    cr_assert_eq(memcmp(a.runs[0].x, b.runs[0].x, 42 * sizeof(double)), 0);
    cr_assert_neq(memcmp(a.runs[0].x, c.runs[0].x, 42 * sizeof(double)), 0);
    /* the noise-free loss is recorded: f(x) at the recorded x */
    for (size_t k = 0; k < a.runs[0].len; k++) {
        double g[2];
        cr_assert_eq(a.runs[0].loss[k], quad_fdf(NULL, NULL, 2, &a.runs[0].x[2 * k], g));
    }
    lsc_trajectory_free(&a);
    lsc_trajectory_free(&b);
    lsc_trajectory_free(&c);
}

Test(run, rng_streams_differ_by_run_index_and_seed)
{
    gsl_rng *a = lsc_rng_for_run(1, 0), *b = lsc_rng_for_run(1, 1), *c = lsc_rng_for_run(2, 0);
    gsl_rng *a2 = lsc_rng_for_run(1, 0);
    unsigned long va = gsl_rng_get(a);
    cr_assert_eq(va, gsl_rng_get(a2));
    cr_assert_neq(va, gsl_rng_get(b));
    cr_assert_neq(va, gsl_rng_get(c));
    gsl_rng_free(a);
    gsl_rng_free(a2);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

Test(trajectory, write_read_round_trips_exactly)
{
    lsc_run_opts o = {.landscape = &L, .steps = 30, .every = 4, .noise = 0.3, .seed = 99,
                      .clip_value = 2.5};
    const double x0[2] = {0.1, -0.7};
    lsc_trajectory t, u;
    run_one(&o, 0.05, x0, &t);
    char path[] = "/tmp/lsc_test_traj_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lsc_error err = {0};
    cr_assert_eq(lsc_trajectory_write(&t, path, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_read(&u, path, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.n, 2);
    cr_assert_eq(u.nruns, 1);
    cr_assert_eq(u.seed, 99);
    cr_assert_eq(u.noise, 0.3);
    cr_assert_eq(u.clip_value, 2.5);
    cr_assert_eq(u.every, 4);
    cr_assert_str_eq(u.landscape, "testquad");
    cr_assert_str_eq(u.runs[0].label, "gd");
    cr_assert_str_eq(u.runs[0].optimizer, "testgd:lr=0.05");
    cr_assert_eq(u.runs[0].status, LSC_STOP_MAX_STEPS);
    cr_assert_eq(u.runs[0].start[1], -0.7);
    cr_assert_eq(u.runs[0].len, t.runs[0].len);
    cr_assert_eq(u.runs[0].step[u.runs[0].len - 1], 30);
    for (size_t k = 0; k < t.runs[0].len; k++) {
        cr_assert_eq(u.runs[0].loss[k], t.runs[0].loss[k]);
        cr_assert_eq(u.runs[0].grad_norm[k], t.runs[0].grad_norm[k]);
        cr_assert_eq(u.runs[0].x[2 * k + 1], t.runs[0].x[2 * k + 1]);
    }
    unlink(path);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
}

Test(trajectory, read_errors_name_file_and_line)
{
    const char *path = "/tmp/lsc_test_bad.tsv";
    const char *meta = "# losscape trajectory v1\n# landscape: saddle\n# dim: 2\n# steps: 9\n"
                       "# every: 1\n# positions: all\n# run 0 optimizer: sgd\n"
                       "# run 0 label: a\n# run 0 start: 0,0\n# run 0 status: max-steps\n"
                       "# run 0 reason: r\n";
    char text[1024];
    lsc_trajectory t;
    lsc_error err = {0};
    snprintf(text, sizeof text, "%srun\tstep\tlr\tloss\tgrad_norm\tx1\tx2\n"
             "0\t0\t0.1\tabc\t1\t0\t0\n", meta);
    write_file(path, text);
    cr_assert_eq(lsc_trajectory_read(&t, path, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "lsc_test_bad.tsv:13"), "%s", err.msg);
    snprintf(text, sizeof text, "%srun\tstep\tlr\tloss\n", meta);
    write_file(path, text);
    cr_assert_eq(lsc_trajectory_read(&t, path, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, ":12"), "%s", err.msg);
    snprintf(text, sizeof text, "%srun\tstep\tlr\tloss\tgrad_norm\tx1\tx2\n"
             "3\t0\t0.1\t1\t1\t0\t0\n", meta);
    write_file(path, text);
    cr_assert_eq(lsc_trajectory_read(&t, path, &err), LSC_EINVAL);
    /* a missing file is the user's to fix (exit status 2), like any bad input */
    cr_assert_eq(lsc_trajectory_read(&t, "/nonexistent/x.tsv", &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "cannot read '/nonexistent/x.tsv'"), "%s", err.msg);
    unlink(path);
}

Test(trajectory, failed_write_leaves_no_file_and_keeps_the_old_one)
{
    lsc_trajectory t;
    lsc_run_opts o = {.landscape = &L, .steps = 3, .every = 1};
    const double x0[2] = {1, 1};
    run_one(&o, 0.1, x0, &t);
    lsc_error err = {0};
    cr_assert_eq(lsc_trajectory_write(&t, "/nonexistent-dir/out.tsv", &err), LSC_EIO);
    cr_assert(strstr(err.msg, "/nonexistent-dir/out.tsv"), "%s", err.msg);
    const char *path = "/tmp/lsc_test_keep.tsv";
    write_file(path, "old\n");
    cr_assert_eq(lsc_trajectory_write(&t, path, &err), LSC_OK);
    FILE *fp = fopen(path, "r");
    char line[64];
    cr_assert_not_null(fgets(line, sizeof line, fp));
    fclose(fp);
    cr_assert_str_eq(line, "# losscape trajectory v1\n");
    unlink(path);
    lsc_trajectory_free(&t);
}

static void count_progress(void *user, int run, long done, long steps)
{
    long *seen = user;
    cr_assert_eq(run, 0);
    cr_assert_eq(steps, 1000);
    cr_assert_gt(done, seen[1]); /* increasing */
    seen[0]++;
    seen[1] = done;
}

Test(run, progress_is_reported_about_100_times)
{
    long seen[2] = {0, 0};
    lsc_run_opts o = {.landscape = &L, .steps = 1000, .every = 100,
                      .progress = count_progress, .progress_user = seen};
    const double x0[2] = {1, 1};
    lsc_trajectory t;
    run_one(&o, 0.01, x0, &t);
    cr_assert_eq(seen[0], 100);
    cr_assert_eq(seen[1], 1000);
    lsc_trajectory_free(&t);
}
