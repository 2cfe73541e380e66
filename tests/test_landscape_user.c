/* test_landscape_user.c — landscapes from the caller's functions (lsc_landscape_from_fdf)
 *
 * The callbacks get the caller's pointer back; the landscape works in the run loop, with
 * the optimizers (newton refuses one without a Hessian), in trajectories (named
 * "user:NAME", which lsc_landscape_new refuses to rebuild) and in plots (box and critical
 * points from the setters); lsc_landscape_free never frees the caller's data.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "losscape.h"

/* f(x) = s/2 sum (x_i - c_i)^2 + q/4 sum (x_i - c_i)^4, minimum 0 at c, Hessian
 * diag(s + 3 q (x_i - c_i)^2). The call counter shows the pointer reaches the callbacks. */
typedef struct {
    double s, q, c[8];
    long calls;
} bowl;

static double bowl_f(int n, const double *x, void *user)
{
    bowl *b = user;
    b->calls++;
    double f = 0;
    for (int i = 0; i < n; i++) {
        double d = x[i] - b->c[i];
        f += 0.5 * b->s * d * d + 0.25 * b->q * d * d * d * d;
    }
    return f;
}

static double bowl_fdf(int n, const double *x, double *g, void *user)
{
    bowl *b = user;
    for (int i = 0; i < n; i++) {
        double d = x[i] - b->c[i];
        g[i] = b->s * d + b->q * d * d * d;
    }
    return bowl_f(n, x, user);
}

static void bowl_hess(int n, const double *x, double *H, void *user)
{
    bowl *b = user;
    b->calls++;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double d = x[i] - b->c[i];
            H[i * n + j] = i == j ? b->s + 3 * b->q * d * d : 0;
        }
}

static lsc_landscape *make(bowl *b, int n, int with_hess)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_from_fdf(n, bowl_f, bowl_fdf, with_hess ? bowl_hess : NULL,
                                              b, "bowl", &e);
    cr_assert_not_null(L, "%s", e.msg);
    return L;
}

Test(user, calls_through_with_the_user_pointer)
{
    bowl b = {.s = 2, .q = 0.5, .c = {1, -0.5, 0.25}};
    lsc_landscape *L = make(&b, 3, 1);
    cr_assert(lsc_landscape_is_user(L));
    cr_assert_eq(L->n, 3);
    cr_assert_str_eq(L->type->name, "bowl");
    const double x[3] = {0.3, 0.7, -1.1};
    double g[3], gfd[3], xb[3], H[9], Hfd[9], work[9];
    double f = lsc_landscape_fdf(L, x, g);
    cr_assert_eq(f, bowl_f(3, x, &b));
    cr_assert_eq(lsc_landscape_f(L, x), f);
    lsc_fd_gradient(L, x, 1e-6, gfd, xb);
    for (int i = 0; i < 3; i++)
        cr_assert_float_eq(g[i], gfd[i], 1e-7, "g[%d]", i);
    cr_assert(lsc_landscape_has_hessian(L));
    cr_assert_eq(lsc_landscape_hess(L, x, H), LSC_OK);
    lsc_fd_hessian(L, x, 1e-5, Hfd, work);
    for (int i = 0; i < 9; i++)
        cr_assert_float_eq(H[i], Hfd[i], 1e-6, "H[%d]", i);
    long before = b.calls;
    lsc_landscape_f(L, x);
    cr_assert_eq(b.calls, before + 1, "the callback got the user pointer");
    cr_assert(lsc_landscape_in_domain(L, x));
    char desc[64];
    lsc_landscape_describe(L, desc, sizeof desc);
    cr_assert_str_eq(desc, "user:bowl");
    lsc_landscape_free(L);
}

Test(user, box_starts_and_critical_points)
{
    bowl b = {.s = 4, .q = 0, .c = {1, 2}};
    lsc_landscape *L = make(&b, 2, 1);
    lsc_error e = {0};
    double lo[2], hi[2], x[2], xbuf[2], dist;
    lsc_landscape_box(L, lo, hi);
    cr_assert(lo[0] == -1 && lo[1] == -1 && hi[0] == 1 && hi[1] == 1, "default box");
    const double blo[2] = {-3, 0}, bhi[2] = {4, 5};
    cr_assert_eq(lsc_landscape_set_box(L, blo, bhi, &e), LSC_OK, "%s", e.msg);
    lsc_landscape_box(L, lo, hi);
    cr_assert(lo[0] == -3 && lo[1] == 0 && hi[0] == 4 && hi[1] == 5);

    cr_assert_eq(lsc_landscape_nstarts(L), 0);
    const double s0[2] = {-2, 4}, s1[2] = {3, 0.5};
    cr_assert_eq(lsc_landscape_add_start(L, s0, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_landscape_add_start(L, s1, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_landscape_nstarts(L), 2);
    lsc_landscape_start(L, 1, x);
    cr_assert(x[0] == 3 && x[1] == 0.5);

    cr_assert_eq(lsc_landscape_ncritical(L), 0);
    cr_assert_eq(lsc_landscape_nearest_min(L, s0, &dist, xbuf), -1);
    cr_assert(isnan(dist));
    const double xmax[2] = {-1, 4}, xmin[2] = {1, 2};
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_SADDLE, xmax, 0.5, &e), LSC_OK);
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 1e-12, &e), LSC_OK);
    /* many more: the arrays grow and keep what they held */
    for (int k = 0; k < 20; k++) {
        const double xs[2] = {k, -k};
        cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MAX, xs, 0, &e), LSC_OK);
        cr_assert_eq(lsc_landscape_add_start(L, xs, &e), LSC_OK);
    }
    cr_assert_eq(lsc_landscape_ncritical(L), 22);
    cr_assert_eq(lsc_landscape_nstarts(L), 22);
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 1, &cp);
    cr_assert_eq(cp.kind, LSC_CP_MIN);
    cr_assert(x[0] == 1 && x[1] == 2);
    cr_assert_eq(cp.f, 0, "f from the landscape");
    cr_assert_eq(cp.tol, 1e-12);
    cr_assert_float_eq(cp.eig_min, 4, 1e-12, "eigenvalues from the Hessian");
    cr_assert_float_eq(cp.eig_max, 4, 1e-12);
    lsc_landscape_critical(L, 21, &cp);
    cr_assert(cp.kind == LSC_CP_MAX && x[0] == 19 && x[1] == -19);
    lsc_landscape_start(L, 21, x);
    cr_assert(x[0] == 19 && x[1] == -19);
    lsc_landscape_start(L, 0, x);
    cr_assert(x[0] == -2 && x[1] == 4);
    cr_assert_eq(lsc_landscape_nearest_min(L, s1, &dist, xbuf), 1);
    cr_assert_float_eq(dist, hypot(2, 1.5), 1e-15);
    lsc_landscape_free(L);

    /* without a Hessian the eigenvalues are unknown */
    L = make(&b, 2, 0);
    cr_assert_not(lsc_landscape_has_hessian(L));
    double H[4];
    cr_assert_eq(lsc_landscape_hess(L, xmin, H), LSC_ENOTSUP);
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 0, &e), LSC_OK);
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(isnan(cp.eig_min) && isnan(cp.eig_max));
    lsc_landscape_free(L);
}

static void expect_einval(int rc, const lsc_error *e, const char *word)
{
    cr_assert_eq(rc, LSC_EINVAL, "%s", e->msg);
    cr_assert(strstr(e->msg, word), "'%s' lacks '%s'", e->msg, word);
    cr_assert_null(strstr(e->msg, "--"), "a flag in '%s'", e->msg);
    cr_assert_null(strchr(e->msg, '\n'));
}

Test(user, bad_arguments)
{
    bowl b = {.s = 1};
    lsc_error e = {0};
    const char *bad_names[] = {"", "a b", "user:x", "a,b", "tab\there", "x=1",
                               "0123456789012345678901234567890123456789012345678901234567890123"};
    for (int i = 0; i < LSC_COUNTOF(bad_names); i++) {
        cr_assert_null(lsc_landscape_from_fdf(2, bowl_f, bowl_fdf, NULL, &b, bad_names[i], &e),
                       "'%s'", bad_names[i]);
        expect_einval(e.code, &e, "name");
    }
    cr_assert_null(lsc_landscape_from_fdf(2, bowl_f, bowl_fdf, NULL, &b, NULL, &e));
    expect_einval(e.code, &e, "name");
    cr_assert_null(lsc_landscape_from_fdf(0, bowl_f, bowl_fdf, NULL, &b, "bowl", &e));
    expect_einval(e.code, &e, "dim: 0");
    cr_assert_null(lsc_landscape_from_fdf(LSC_MAX_DIM + 1, bowl_f, bowl_fdf, NULL, &b, "bowl",
                                          &e));
    expect_einval(e.code, &e, "dim");
    cr_assert_null(lsc_landscape_from_fdf(2, NULL, bowl_fdf, NULL, &b, "bowl", &e));
    expect_einval(e.code, &e, "f and fdf");
    cr_assert_null(lsc_landscape_from_fdf(2, bowl_f, NULL, bowl_hess, &b, "bowl", &e));
    expect_einval(e.code, &e, "f and fdf");
    /* a NULL user pointer and each kind of allowed character */
    lsc_landscape *L = lsc_landscape_from_fdf(2, bowl_f, bowl_fdf, NULL, NULL, "a-Z_0.9", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_landscape_free(L);

    L = make(&b, 2, 0);
    const double lo[2] = {0, 0}, hi[2] = {1, 0}, nan2[2] = {NAN, 0}, inf2[2] = {1, INFINITY};
    expect_einval(lsc_landscape_set_box(L, lo, hi, &e), &e, "axis 2");
    expect_einval(lsc_landscape_set_box(L, nan2, hi, &e), &e, "axis 1");
    expect_einval(lsc_landscape_set_box(L, lo, inf2, &e), &e, "axis 2");
    double blo[2], bhi[2];
    lsc_landscape_box(L, blo, bhi);
    cr_assert(blo[0] == -1 && bhi[1] == 1, "a refused box leaves the old one");
    expect_einval(lsc_landscape_add_critical(L, (lsc_cp_kind)7, lo, 0, &e), &e, "kind 7");
    expect_einval(lsc_landscape_add_critical(L, LSC_CP_MIN, nan2, 0, &e), &e, "finite");
    expect_einval(lsc_landscape_add_critical(L, LSC_CP_MIN, lo, -1, &e), &e, "tol");
    expect_einval(lsc_landscape_add_critical(L, LSC_CP_MIN, lo, NAN, &e), &e, "tol");
    expect_einval(lsc_landscape_add_start(L, inf2, &e), &e, "finite");
    cr_assert_eq(lsc_landscape_ncritical(L), 0);
    cr_assert_eq(lsc_landscape_nstarts(L), 0);
    lsc_landscape_free(L);

    /* critical points and starts are set for user landscapes only; a box for any (its
     * checks as above) */
    L = lsc_landscape_new("himmelblau", 0, "landscape", &e);
    cr_assert_not_null(L);
    cr_assert_not(lsc_landscape_is_user(L));
    expect_einval(lsc_landscape_set_box(L, lo, hi, &e), &e, "axis 2");
    const double wide[2] = {-9, -9}, top[2] = {9, 9};
    cr_assert_eq(lsc_landscape_set_box(L, wide, top, &e), LSC_OK, "%s", e.msg);
    lsc_landscape_box(L, blo, bhi);
    cr_assert(blo[0] == -9 && blo[1] == -9 && bhi[0] == 9 && bhi[1] == 9);
    expect_einval(lsc_landscape_add_critical(L, LSC_CP_MIN, lo, 0, &e), &e,
                  "lsc_landscape_from_fdf");
    expect_einval(lsc_landscape_add_start(L, lo, &e), &e, "lsc_landscape_from_fdf");
    lsc_landscape_free(L);
}

/* lsc_landscape_free frees what losscape allocated and never the caller's data: here the
 * data is on the heap and is used, then freed, after the landscape is gone (a double free
 * or a use after free shows under ASan, and glibc aborts on a double free). */
Test(user, free_never_frees_user_data)
{
    bowl *b = calloc(1, sizeof *b);
    cr_assert_not_null(b);
    b->s = 1;
    lsc_landscape *L = make(b, 2, 1);
    lsc_error e = {0};
    const double x[2] = {0.5, 0.5};
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MIN, x, 0, &e), LSC_OK);
    cr_assert_eq(lsc_landscape_add_start(L, x, &e), LSC_OK);
    lsc_landscape_free(L);
    b->calls = 42;
    cr_assert_eq(bowl_f(2, x, b), 0.25);
    cr_assert_eq(b->calls, 43);
    free(b);
    lsc_landscape_free(NULL);
}

Test(user, name_does_not_rebuild)
{
    lsc_error e = {0};
    cr_assert_null(lsc_landscape_new("user:bowl", 2, "landscape", &e));
    expect_einval(e.code, &e, "lsc_landscape_from_fdf");
    cr_assert(!strncmp(e.msg, "landscape: 'user:bowl'", 22), "%s", e.msg);
    cr_assert_null(lsc_landscape_new("user", 0, "landscape", &e));
    expect_einval(e.code, &e, "cannot be rebuilt");
    cr_assert_null(lsc_landscape_type_find(LSC_USER_PREFIX), "no registry landscape is 'user'");
}

/* ---- in the run loop --------------------------------------------------------------------- */

static int run(lsc_landscape *L, const char *optimizer, const char *schedule, long steps,
               const double *x0, lsc_trajectory *t, lsc_error *e)
{
    lsc_run_opts ro = {.landscape = L, .steps = steps, .every = 1};
    lsc_schedule *s = NULL;
    if (schedule)
        cr_assert_not_null(s = lsc_schedule_new(schedule, "schedule", e), "%s", e->msg);
    ro.schedule = s;
    lsc_optim *o = lsc_optim_new(optimizer, L->n, "optimizer", e);
    cr_assert_not_null(o, "%s", e->msg);
    lsc_trajectory_init(t, L->n, L->n, lsc_landscape_ncritical(L) > 0);
    lsc_trajectory_describe_opts(t, &ro);
    lsc_run_record *r = lsc_trajectory_add_run(t);
    cr_assert_not_null(r);
    int rc = lsc_run(&ro, o, x0, 0, t, r, e);
    lsc_optim_free(o);
    lsc_schedule_free(s);
    return rc;
}

Test(user, adam_with_a_schedule_reaches_the_minimum)
{
    bowl b = {.s = 1, .q = 2, .c = {0.75, -0.5}};
    lsc_landscape *L = make(&b, 2, 0);
    lsc_error e = {0};
    const double xmin[2] = {0.75, -0.5}, x0[2] = {-1.5, 1.5};
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 0, &e), LSC_OK, "%s", e.msg);
    lsc_trajectory t;
    int rc = run(L, "adam:lr=0.1", "cosine:T_max=600,eta_min=0.001", 600, x0, &t, &e);
    cr_assert_eq(rc, LSC_STOP_MAX_STEPS, "%s", e.msg);
    cr_assert_str_eq(t.landscape, "user:bowl", "the trajectory header names it");
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->len, 601);
    cr_assert_lt(r->dist[r->len - 1], 1e-3, "ends at the minimum: %g", r->dist[r->len - 1]);
    cr_assert_lt(r->lr[r->len - 1], r->lr[0], "the schedule decays the lr");
    cr_assert_float_eq(r->dist[0], hypot(2.25, 2), 1e-12);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

Test(user, newton_needs_a_hessian)
{
    bowl b = {.s = 3, .q = 0, .c = {1, 2}};
    const double x0[2] = {-4, 7};
    lsc_error e = {0};
    lsc_trajectory t;
    lsc_landscape *L = make(&b, 2, 0);
    cr_assert_eq(run(L, "newton", NULL, 5, x0, &t, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "Hessian") && strstr(e.msg, "'bowl'"), "%s", e.msg);
    lsc_trajectory_free(&t);
    lsc_optim *o = lsc_optim_new("sfn", 2, "optimizer", &e);
    double x[2] = {0, 0}, g[2];
    lsc_landscape_fdf(L, x, g);
    lsc_step_ctx ctx = {.landscape = L};
    cr_assert_eq(lsc_optim_step(o, x, g, &ctx), LSC_ENOTSUP, "a step refuses too");
    lsc_optim_free(o);
    lsc_landscape_free(L);

    /* with one, a full Newton step solves a quadratic */
    L = make(&b, 2, 1);
    cr_assert_eq(run(L, "newton", NULL, 1, x0, &t, &e), LSC_STOP_MAX_STEPS, "%s", e.msg);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_float_eq(r->x[2], 1, 1e-12);
    cr_assert_float_eq(r->x[3], 2, 1e-12);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

/* The experiment layer takes it too (lsc_experiment_use_landscape): its standard start is
 * the one added, and two runs in groups with their own schedules reach the minimum. */
Test(user, in_an_experiment)
{
    bowl b = {.s = 1, .q = 1, .c = {-0.5, 0.25}};
    lsc_landscape *L = make(&b, 2, 0);
    lsc_error e = {0};
    const double xmin[2] = {-0.5, 0.25}, x0[2] = {1.5, -1.25};
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 0, &e), LSC_OK);
    cr_assert_eq(lsc_landscape_add_start(L, x0, &e), LSC_OK);
    lsc_experiment *x = lsc_experiment_new();
    cr_assert_not_null(x);
    cr_assert_eq(lsc_experiment_use_landscape(x, L, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_experiment_set(x, "optimizer", "adam:lr=0.1", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_experiment_set(x, "schedule", "cosine:T_max=500", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_experiment_set(x, "steps", "500", &e), LSC_OK, "%s", e.msg);
    int g = lsc_experiment_group(x, "gd", &e);
    cr_assert_gt(g, 0, "%s", e.msg);
    cr_assert_eq(lsc_experiment_set_in(x, g, "optimizer", "gd:lr=0.2", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_experiment_set_in(x, g, "schedule", "constant", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_experiment_prepare(x, &e), LSC_OK, "%s", e.msg);
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &e), LSC_OK);
    cr_assert_str_eq(t.landscape, "user:bowl");
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(t.nruns, 2);
    for (int r = 0; r < 2; r++) {
        const lsc_run_record *rec = &t.runs[r];
        const double *end = rec->x + 2 * (rec->len - 1);
        cr_assert(rec->x[0] == 1.5 && rec->x[1] == -1.25, "the standard start");
        cr_assert_lt(hypot(end[0] + 0.5, end[1] - 0.25), 1e-4, "run %d ends at the minimum",
                     r);
    }
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    lsc_landscape_free(L);
}

/* ---- trajectories and plots -------------------------------------------------------------- */

static char tdir[256];

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    char p[1024];
    while ((ent = readdir(d))) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, ent->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void setup_dir(void)
{
    snprintf(tdir, sizeof tdir, "/tmp/lsc-test-user.XXXXXX");
    cr_assert_not_null(mkdtemp(tdir));
}

static void teardown_dir(void)
{
    rm_tree(tdir);
}

static const char *P(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tdir, name);
    return buf[k];
}

static int file_has(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

static void set(lsc_plot_opts *o, const char *key, const char *value)
{
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_opts_set(o, key, value, &e), LSC_OK, "%s=%s: %s", key, value, e.msg);
}

Test(user, trajectory_and_contour_plot, .init = setup_dir, .fini = teardown_dir)
{
    bowl b = {.s = 1, .q = 0.5, .c = {0.5, -0.25}};
    lsc_landscape *L = make(&b, 2, 1);
    lsc_error e = {0};
    const double lo[2] = {-2, -1.5}, hi[2] = {2, 1.5}, xmin[2] = {0.5, -0.25};
    const double x0[2] = {-1.75, 1.25};
    cr_assert_eq(lsc_landscape_set_box(L, lo, hi, &e), LSC_OK);
    cr_assert_eq(lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 0, &e), LSC_OK);
    lsc_trajectory t;
    cr_assert_eq(run(L, "adam:lr=0.1", NULL, 80, x0, &t, &e), LSC_STOP_MAX_STEPS, "%s", e.msg);
    cr_assert_eq(lsc_trajectory_write(&t, P("t.tsv"), &e), LSC_OK, "%s", e.msg);
    cr_assert(file_has(P("t.tsv"), "\n# landscape: user:bowl\n"));

    /* the figure, drawn with the landscape in hand: the box and the minimum are used */
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    set(&o, "kind", "contour");
    set(&o, "out", P("fig.png"));
    set(&o, "no_render", "true");
    set(&o, "grid", "21");
    cr_assert_eq(lsc_plot_render(&t, L, &o, &e), LSC_OK, "%s", e.msg);
    cr_assert(file_has(P("fig.png.gp"), "bowl"), "the landscape is named in the figure");
    cr_assert(file_has(P("fig.png.gp"), "set xrange [-2:2]\n"), "the user's box is the x range");
    cr_assert(file_has(P("fig.png.gp"), "set yrange [-1.5:1.5]\n"), "and the y range");
    cr_assert(file_has(P("fig.png.cp.tsv"), "\n0.5 -0.25 0 "), "the minimum is marked");

    /* read back from the file there is nothing to rebuild it from: a clear error, no crash */
    lsc_trajectory back;
    cr_assert_eq(lsc_trajectory_read(&back, P("t.tsv"), &e), LSC_OK, "%s", e.msg);
    cr_assert_str_eq(back.landscape, "user:bowl");
    lsc_plot_opts_default(&o);
    set(&o, "kind", "contour");
    set(&o, "out", P("again.png"));
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render(&back, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "cannot be rebuilt"), "%s", e.msg);
    cr_assert(access(P("again.png.gp"), F_OK) != 0, "nothing written");
    /* a figure that needs no landscape still works */
    lsc_plot_opts_default(&o);
    set(&o, "kind", "curves");
    set(&o, "out", P("curves.png"));
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render(&back, NULL, &o, &e), LSC_OK, "%s", e.msg);
    lsc_trajectory_free(&back);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}
