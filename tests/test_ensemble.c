/* test_ensemble.c — ensembles in one process (issue 11): --runs K over start sets, run
 * order and labels, determinism whatever order the runs are made in, summaries (one row a
 * run) against the last rows of full runs */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "summary.h"

#include "scratch_dir.h" /* dir, make_dir, remove_dir */

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, fp), (size_t)n);
    b[n] = '\0';
    fclose(fp);
    return b;
}

/* Set keys from "key=value" strings (NULL-terminated); the experiment is the caller's. */
static lsc_experiment *make(const char *const *kv)
{
    lsc_experiment *x = lsc_experiment_new();
    lsc_error err = {0};
    for (int i = 0; kv[i]; i++) {
        char key[64];
        const char *eq = strchr(kv[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv[i]), kv[i]);
        cr_assert_eq(lsc_experiment_set(x, key, eq + 1, &err), LSC_OK, "%s: %s", kv[i], err.msg);
    }
    return x;
}

/* ---- random start sets ------------------------------------------------------------------ */

/* Start j of start=random is uniform in the box from the generator (seed, ~0 - j): drawn
 * here from that generator directly; start 0 is the start of an experiment without runs. */
Test(ensemble, random_starts_come_from_their_own_streams)
{
    lsc_experiment *x = make((const char *[]){"landscape=himmelblau", "start=random", "runs=6",
                                              "seed=7", "optimizer=gd:lr=0.01", "steps=3",
                                              NULL});
    lsc_experiment *one = make((const char *[]){"landscape=himmelblau", "start=random",
                                                "seed=7", "optimizer=gd:lr=0.01", NULL});
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_prepare(one, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_nstarts(x), 6);
    cr_assert_eq(lsc_experiment_nruns(x), 6);
    const lsc_landscape *L = lsc_experiment_landscape(x);
    double lo[2], hi[2], s[2], prev[2] = {NAN, NAN};
    lsc_landscape_box(L, lo, hi);
    for (int j = 0; j < 6; j++) {
        cr_assert_eq(lsc_experiment_start_of(x, j, s, &err), LSC_OK, "%s", err.msg);
        gsl_rng *r = lsc_rng_for_run(7, ~0ULL - (unsigned long long)j);
        for (int i = 0; i < 2; i++) {
            double want = lo[i] + (hi[i] - lo[i]) * gsl_rng_uniform(r);
            cr_assert_eq(s[i], want, "start %d coordinate %d", j, i);
            cr_assert(s[i] >= lo[i] && s[i] <= hi[i]);
        }
        gsl_rng_free(r);
        cr_assert(s[0] != prev[0] && s[1] != prev[1], "start %d repeats start %d", j, j - 1);
        prev[0] = s[0];
        prev[1] = s[1];
        if (j == 0)
            cr_assert(s[0] == lsc_experiment_start(one)[0] &&
                      s[1] == lsc_experiment_start(one)[1]);
    }
    cr_assert_neq(lsc_experiment_start_of(x, 6, s, &err), LSC_OK);
    lsc_experiment_free(x);
    lsc_experiment_free(one);
}

/* M optimizers x K starts: optimizer-major, each run from its start, labelled LABEL#j, its
 * start described with its index (read back by lsc_start_parse). */
Test(ensemble, runs_are_optimizer_major_with_labels)
{
    lsc_experiment *x = make((const char *[]){"landscape=himmelblau", "start=random", "runs=3",
                                              "optimizer=gd:lr=0.01,label=a",
                                              "optimizer=adam:lr=0.01,label=b", "steps=4",
                                              NULL});
    lsc_error err = {0};
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(t.nruns, 6);
    for (int i = 0; i < 6; i++) {
        char want[16], desc[128];
        snprintf(want, sizeof want, "%s#%d", i < 3 ? "a" : "b", i % 3);
        cr_assert_str_eq(t.runs[i].label, want);
        cr_assert_eq(lsc_experiment_run_optimizer(x, i), i / 3);
        cr_assert_eq(lsc_experiment_run_start(x, i), i % 3);
        double s[2];
        lsc_experiment_start_of(x, i % 3, s, &err);
        cr_assert(t.runs[i].start[0] == s[0] && t.runs[i].start[1] == s[1]);
        cr_assert(t.runs[i].x[0] == s[0] && t.runs[i].x[1] == s[1], "row 0 is the start");
        lsc_start_desc d;
        lsc_start_describe(&t.runs[i].start_desc, desc, sizeof desc);
        cr_assert_eq(lsc_start_parse(desc, &d), LSC_OK, "%s", desc);
        cr_assert_eq(d.index, i % 3, "%s", desc);
    }
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* ---- determinism ------------------------------------------------------------------------ */

/* The runs made in reverse order through lsc_experiment_run_one give the same records,
 * bit for bit, and the same file bytes as lsc_experiment_run in order: every run depends on
 * (seed, run index) alone (noise and starts from their own streams). */
Test(ensemble, same_bytes_in_any_run_order)
{
    make_dir();
    const char *const kv[] = {"landscape=himmelblau", "start=random", "runs=4", "noise=0.5",
                              "optimizer=sgd:lr=0.01", "optimizer=adam:lr=0.05", "steps=50",
                              "seed=3", NULL};
    lsc_experiment *x = make(kv), *y = make(kv);
    lsc_error err = {0};
    lsc_trajectory a, b;
    cr_assert_eq(lsc_experiment_trajectory(x, &a, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_run(x, &a, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_trajectory(y, &b, &err), LSC_OK, "%s", err.msg);
    const int nr = lsc_experiment_nruns(y);
    cr_assert_eq(nr, 8);
    for (int i = 0; i < nr; i++) {
        lsc_start_desc d = *lsc_experiment_start_desc(y);
        cr_assert_not_null(lsc_trajectory_add_run_desc(&b, &d));
    }
    for (int i = nr - 1; i >= 0; i--)
        cr_assert_eq(lsc_experiment_run_one(y, i, &b, &b.runs[i], NULL, NULL, &err), LSC_OK,
                     "%s", err.msg);
    for (int i = 0; i < nr; i++) {
        cr_assert_eq(a.runs[i].len, b.runs[i].len);
        cr_assert_eq(memcmp(a.runs[i].x, b.runs[i].x, a.runs[i].len * 2 * sizeof(double)), 0,
                     "run %d", i);
        cr_assert_eq(memcmp(a.runs[i].loss, b.runs[i].loss, a.runs[i].len * sizeof(double)), 0);
    }
    char pa[600], pb[600];
    snprintf(pa, sizeof pa, "%s/a.tsv", dir);
    snprintf(pb, sizeof pb, "%s/b.tsv", dir);
    cr_assert_eq(lsc_trajectory_write(&a, pa, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_write(&b, pb, &err), LSC_OK, "%s", err.msg);
    char *fa = slurp(pa), *fb = slurp(pb);
    cr_assert_str_eq(fa, fb);
    /* the noise differs between runs of one start: the runs are not copies */
    cr_assert(a.runs[0].x[2 * (a.runs[0].len - 1)] != a.runs[4].x[2 * (a.runs[4].len - 1)]);
    free(fa);
    free(fb);
    lsc_trajectory_free(&a);
    lsc_trajectory_free(&b);
    lsc_experiment_free(x);
    lsc_experiment_free(y);
    remove_dir();
}

/* ---- summaries -------------------------------------------------------------------------- */

/* Each summary equals the last row and the metadata of the full run; a stop condition's
 * step is the step the run stopped at when it holds there, empty (-1) when off. */
Test(ensemble, summary_rows_are_the_last_rows_of_full_runs)
{
    const char *const kv[] = {"landscape=himmelblau", "start=random", "runs=5", "noise=0.2",
                              "optimizer=gd:lr=0.0003", "optimizer=adam:lr=0.1", "steps=300",
                              "stop_grad=0.05", "every=7", NULL};
    lsc_experiment *x = make(kv), *y = make(kv);
    lsc_error err = {0};
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    int converged = 0;
    for (int i = 0; i < t.nruns; i++) {
        lsc_run_summary s;
        cr_assert_eq(lsc_experiment_summary_run(y, i, &s, &err), LSC_OK, "%s", err.msg);
        const lsc_run_record *r = &t.runs[i];
        const size_t k = r->len - 1;
        cr_assert_eq(s.run, i);
        cr_assert_eq(s.optimizer, i / 5);
        cr_assert_eq(s.start, i % 5);
        cr_assert_str_eq(s.label, r->label);
        cr_assert_eq(s.status, r->status);
        cr_assert_str_eq(s.reason, r->reason);
        cr_assert_eq(s.step, r->step[k]);
        cr_assert(s.loss == r->loss[k] && s.grad_norm == r->grad_norm[k], "run %d", i);
        if (r->status == LSC_STOP_CONVERGED) {
            converged++;
            cr_assert_eq(s.stop_step[0], r->step[k]);
        } else {
            cr_assert_eq(s.stop_step[0], -1);
        }
        cr_assert_eq(s.stop_step[1], -1); /* off */
        cr_assert_eq(s.stop_step[2], -1);
    }
    cr_assert(converged > 0 && converged < t.nruns, "%d of %d converged: both kinds tested",
              converged, t.nruns);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    lsc_experiment_free(y);
}

/* The file: the header lines, the columns, one row a run in run order, stop steps empty
 * when never reached, and more runs than a trajectory holds. */
Test(ensemble, summary_file)
{
    make_dir();
    lsc_experiment *x = make((const char *[]){"landscape=sphere", "dim=2", "start=random",
                                              "runs=600", "optimizer=gd:lr=0.1,label=g",
                                              "optimizer=gd:lr=0.5,label=h", "steps=20",
                                              "stop_loss=1e-3", "stop_dist=100", NULL});
    lsc_error err = {0};
    char p[600];
    snprintf(p, sizeof p, "%s/s.tsv", dir);
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_EINVAL, "1200 runs: too many");
    cr_assert(strstr(err.msg, "runs:") == err.msg, "%s", err.msg);
    lsc_trajectory_free(&t);
    cr_assert_eq(lsc_experiment_write_summary(x, p, &err), LSC_OK, "%s", err.msg);
    char *f = slurp(p);
    cr_assert(!strncmp(f, "# losscape summary v1\n# version: ", 33), "%.60s", f);
    cr_assert_not_null(strstr(f, "\n# landscape: sphere"));
    cr_assert_not_null(strstr(f, "\n# seed: 1\n"));
    cr_assert_not_null(strstr(f, "\n# runs: 600\n# start: random box, seed 1\n"));
    cr_assert_not_null(strstr(f, "\n# optimizer 1 label: h\n"));
    const char *head = strstr(f, "\nrun\toptimizer\tlabel\tstart\tstep\tstatus\tloss\t"
                                 "grad_norm\tstop_grad_step\tstop_loss_step\tstop_dist_step\t"
                                 "escape_step\treason\n");
    cr_assert_not_null(head);
    int rows = 0, reached = 0;
    for (const char *p = strchr(head + 1, '\n') + 1; *p; p = strchr(p, '\n') + 1, rows++) {
        char l[512];
        snprintf(l, sizeof l, "%.*s", (int)(strchr(p, '\n') - p), p);
        int run, m, j;
        char label[16];
        long step;
        cr_assert_eq(sscanf(l, "%d\t%d\t%15[^\t]\t%d\t%ld", &run, &m, label, &j, &step), 5,
                     "%.80s", l);
        cr_assert_eq(run, rows);
        cr_assert_eq(m, rows / 600);
        cr_assert_eq(j, rows % 600);
        char want[16];
        snprintf(want, sizeof want, "%s#%d", m ? "h" : "g", j);
        cr_assert_str_eq(label, want);
        /* 9 tabs before stop_grad_step (empty: off), then stop_loss_step, stop_dist_step */
        const char *c = l;
        for (int k = 0; k < 8; k++)
            c = strchr(c, '\t') + 1;
        cr_assert_eq(*c, '\t', "stop_grad is off: empty");
        if (strstr(l, "\tloss-reached\t")) {
            reached++;
            char num[32];
            snprintf(num, sizeof num, "\t%ld\t\t\t", step); /* stop_loss_step, empty dist */
            cr_assert(!strncmp(c, num, strlen(num)), "%.120s", l);
        } else {
            cr_assert(!strncmp(c, "\t\t\t\t", 4), "%.120s", l);
        }
    }
    cr_assert_eq(rows, 1200);
    cr_assert(reached > 600, "%d runs reached the loss level", reached);
    free(f);
    lsc_experiment_free(x);
    remove_dir();
}

/* ---- keys ------------------------------------------------------------------------------- */

Test(ensemble, runs_key)
{
    lsc_experiment *x = lsc_experiment_new();
    lsc_error err = {0};
    const char *bad[] = {"0", "-1", "1.5", "1e7", "", "many"};
    for (int k = 0; k < 6; k++) {
        cr_assert_eq(lsc_experiment_set(x, "runs", bad[k], &err), LSC_EINVAL, "%s", bad[k]);
        cr_assert(!strncmp(err.msg, "runs: ", 6), "%s", err.msg);
    }
    cr_assert_eq(lsc_experiment_set(x, "runs", "12", &err), LSC_OK);
    char b[32];
    lsc_experiment_get(x, 0, "runs", b, sizeof b);
    cr_assert_str_eq(b, "12");
    cr_assert(lsc_experiment_is_set(x, 0, "runs"));
    cr_assert_eq(lsc_experiment_key("runs"), 1, "a key of the whole experiment");
    lsc_experiment_free(x);
}

/* ---- ball, grid and file sets ----------------------------------------------------------- */

/* K starts uniform in the ball of radius R around c (n = 3): all within R; the radius law
 * P(r <= s) = (s/R)^n, i.e. (r/R)^n ~ U(0, 1), by the Kolmogorov-Smirnov statistic D_K
 * against the 0.1% critical value 1.949/sqrt(K) (asymptotic, Smirnov 1948; K = 4000: 0.031);
 * the directions' mean within 4.5 standard errors of 0 (each coordinate of a uniform unit
 * vector has variance 1/n, so the mean of K has sd 1/sqrt(nK)). Fixed seed: the test is
 * deterministic, and fails for the wrong law (r = R U, radius uniform: D ~ 0.3). */
static int cmp_double(const void *a, const void *b)
{
    const double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

Test(ensemble, ball_starts_are_uniform_in_the_ball)
{
    enum { K = 4000, N = 3 };
    const double c[N] = {0.5, -1, 2}, R = 0.25;
    lsc_experiment *x = make((const char *[]){"landscape=sphere", "dim=3",
                                              "start=ball:0.5,-1,2:0.25", "runs=4000",
                                              "optimizer=gd", "seed=11", NULL});
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_nstarts(x), K);
    static double u[K];
    double mean[N] = {0}, s[N];
    for (int j = 0; j < K; j++) {
        cr_assert_eq(lsc_experiment_start_of(x, j, s, &err), LSC_OK);
        double r2 = 0;
        for (int i = 0; i < N; i++)
            r2 += (s[i] - c[i]) * (s[i] - c[i]);
        const double r = sqrt(r2);
        cr_assert(r <= R * (1 + 1e-15), "start %d at %g from the centre", j, r);
        u[j] = pow(r / R, N);
        for (int i = 0; i < N; i++)
            mean[i] += (s[i] - c[i]) / r / K;
    }
    qsort(u, K, sizeof u[0], cmp_double);
    double D = 0;
    for (int j = 0; j < K; j++) {
        const double lo = u[j] - (double)j / K, hi = (double)(j + 1) / K - u[j];
        D = fmax(D, fmax(lo, hi));
    }
    cr_assert_lt(D, 1.949 / sqrt(K), "D = %g", D);
    for (int i = 0; i < N; i++)
        cr_assert_lt(fabs(mean[i]), 4.5 / sqrt((double)N * K), "mean direction %d: %g", i,
                     mean[i]);
    lsc_experiment_free(x);
}

/* grid:NX,NY: the NX x NY cell centres of the box, x fastest, and K = NX NY runs. */
Test(ensemble, grid_starts_are_the_cell_centres)
{
    lsc_experiment *x = make((const char *[]){"landscape=himmelblau", "box=-4:2,-1:3",
                                              "start=grid:3,2", "optimizer=gd",
                                              "optimizer=adam", NULL});
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_nstarts(x), 6);
    cr_assert_eq(lsc_experiment_nruns(x), 12);
    const double want[6][2] = {{-3, 0}, {-1, 0}, {1, 0}, {-3, 2}, {-1, 2}, {1, 2}};
    for (int j = 0; j < 6; j++) {
        double s[2];
        cr_assert_eq(lsc_experiment_start_of(x, j, s, &err), LSC_OK);
        cr_assert(s[0] == want[j][0] && s[1] == want[j][1], "start %d: %g,%g", j, s[0], s[1]);
    }
    /* the runs key must agree with the grid */
    cr_assert_eq(lsc_experiment_set(x, "runs", "5", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL);
    cr_assert(!strncmp(err.msg, "runs: 5 given", 13), "%s", err.msg);
    /* 2-D only */
    lsc_experiment *y = make((const char *[]){"landscape=sphere", "dim=3", "start=grid:2,2",
                                              "optimizer=gd", NULL});
    cr_assert_eq(lsc_experiment_prepare(y, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "for a 2-D landscape"), "%s", err.msg);
    lsc_experiment_free(x);
    lsc_experiment_free(y);
}

/* start @FILE with n numbers on every line: one start a line, K = the lines; one start (a
 * row or a column) reads as before. */
Test(ensemble, a_file_of_starts)
{
    make_dir();
    char p[600], key[700];
    snprintf(p, sizeof p, "%s/s.txt", dir);
    FILE *fp = fopen(p, "w");
    fputs("# three starts\n1,2\n-0.5 0.25\n\n3, 4\n", fp);
    fclose(fp);
    snprintf(key, sizeof key, "start=@%s", p);
    lsc_experiment *x = make((const char *[]){"landscape=himmelblau", key, "optimizer=gd",
                                              "steps=1", NULL});
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_nstarts(x), 3);
    const double want[3][2] = {{1, 2}, {-0.5, 0.25}, {3, 4}};
    for (int j = 0; j < 3; j++) {
        double s[2];
        lsc_experiment_start_of(x, j, s, &err);
        cr_assert(s[0] == want[j][0] && s[1] == want[j][1], "start %d", j);
    }
    lsc_experiment_free(x);
    fp = fopen(p, "w"); /* a column: one start, as before */
    fputs("1\n2\n", fp);
    fclose(fp);
    x = make((const char *[]){"landscape=himmelblau", key, "optimizer=gd", NULL});
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_nstarts(x), 1);
    lsc_experiment_free(x);
    fp = fopen(p, "w"); /* lines of unequal length: neither */
    fputs("1,2\n3\n", fp);
    fclose(fp);
    x = make((const char *[]){"landscape=himmelblau", key, "optimizer=gd", NULL});
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "line 2: more numbers"), "%s", err.msg);
    lsc_experiment_free(x);
    remove_dir();
}

/* ---- the escape event ------------------------------------------------------------------- */

/* GD on saddle, f = (x^2 - y^2)/2 (Hessian diag(1, -1): gamma = 1), from (0, y0): y_k =
 * y0 (1 + eta)^k, so |x_k - x_start| = |y0| ((1 + eta)^k - 1) first reaches R at
 * k* = ceil(ln(1 + R/|y0|) / ln(1 + eta)) (REFERENCE.md's ceil(ln(R/|y0|)/ln(1+eta gamma))
 * measures from the saddle; the event measures from the start). The run goes on to its
 * budget: escape is an event, not a stop. The trajectory says it ('# run K escape:') and
 * reads it back; the summary's escape step is the same. */
Test(ensemble, escape_step_on_the_saddle)
{
    make_dir();
    static const struct {
        double y0, eta, R;
    } cases[] = {{1e-3, 0.1, 1}, {-1e-6, 0.05, 0.5}, {0.3, 0.2, 2}, {1e-9, 0.01, 1e-3}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const double y0 = cases[c].y0, eta = cases[c].eta, R = cases[c].R;
        const double kf = log1p(R / fabs(y0)) / log1p(eta);
        cr_assert_gt(fabs(kf - round(kf)), 1e-6, "case %zu sits on an integer", c);
        const long want = (long)ceil(kf);
        char start[64], opt[64], esc[64];
        snprintf(start, sizeof start, "start=0,%.17g", y0);
        snprintf(opt, sizeof opt, "optimizer=gd:lr=%.17g", eta);
        snprintf(esc, sizeof esc, "escape=%.17g", R);
        char steps[32]; /* past the escape, before y overflows (saddle is unbounded below) */
        snprintf(steps, sizeof steps, "steps=%ld", want + 40);
        lsc_experiment *x = make((const char *[]){"landscape=saddle", start, opt, esc, steps,
                                                  NULL});
        lsc_error err = {0};
        lsc_run_summary s;
        cr_assert_eq(lsc_experiment_summary_run(x, 0, &s, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(s.escape, want, "case %zu: escape %ld, closed form %ld", c, s.escape, want);
        cr_assert_eq(s.status, LSC_STOP_MAX_STEPS, "escape does not stop the run");
        cr_assert_eq(s.step, want + 40);
        char p[600];
        snprintf(p, sizeof p, "%s/e.tsv", dir);
        cr_assert_eq(lsc_experiment_write(x, p, &err), LSC_OK, "%s", err.msg);
        lsc_trajectory t;
        cr_assert_eq(lsc_trajectory_read(&t, p, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(t.runs[0].escape, want);
        cr_assert_eq(t.escape, R);
        char *f = slurp(p), line[64];
        snprintf(line, sizeof line, "\n# run 0 escape: %ld\n", want);
        cr_assert_not_null(strstr(f, line), "%s", line);
        free(f);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
    /* never: a start on the stable manifold converges to the saddle */
    lsc_experiment *x = make((const char *[]){"landscape=saddle", "start=1,0",
                                              "optimizer=gd:lr=0.1", "escape=5", "steps=50",
                                              NULL});
    lsc_error err = {0};
    lsc_run_summary s;
    cr_assert_eq(lsc_experiment_summary_run(x, 0, &s, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(s.escape, -1);
    char p[600];
    snprintf(p, sizeof p, "%s/n.tsv", dir);
    cr_assert_eq(lsc_experiment_write(x, p, &err), LSC_OK, "%s", err.msg);
    char *f = slurp(p);
    cr_assert_not_null(strstr(f, "\n# run 0 escape: never\n"));
    free(f);
    lsc_experiment_free(x);
    /* off: no escape lines, the bytes of a file without it */
    x = make((const char *[]){"landscape=saddle", "start=1,0", "optimizer=gd:lr=0.1",
                              "steps=5", NULL});
    cr_assert_eq(lsc_experiment_write(x, p, &err), LSC_OK, "%s", err.msg);
    f = slurp(p);
    cr_assert_null(strstr(f, "escape"));
    free(f);
    lsc_experiment_free(x);
    remove_dir();
}

/* ---- threads ---------------------------------------------------------------------------- */

/* Write with threads = T (the key), return the file's bytes (len in *len). */
static char *written(const char *const *kv, int T, int summary, size_t *len)
{
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    char t[8], p[600];
    snprintf(t, sizeof t, "%d", T);
    cr_assert_eq(lsc_experiment_set(x, "threads", t, &err), LSC_OK, "%s", err.msg);
    snprintf(p, sizeof p, "%s/t%d.tsv", dir, T);
    cr_assert_eq(summary ? lsc_experiment_write_summary(x, p, &err)
                         : lsc_experiment_write(x, p, &err), LSC_OK, "%s", err.msg);
    lsc_experiment_free(x);
    FILE *fp = fopen(p, "rb");
    cr_assert_not_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc(*len + 1);
    cr_assert_eq(fread(b, 1, *len, fp), *len);
    fclose(fp);
    return b;
}

static void same_bytes_for_threads(const char *const *kv, int summary)
{
    size_t l1, lt;
    char *one = written(kv, 1, summary, &l1);
    for (int T = 2; T <= 3; T++) {
        char *b = written(kv, T, summary, &lt);
        cr_assert_eq(lt, l1, "threads=%d: %zu bytes, one thread %zu", T, lt, l1);
        cr_assert_eq(memcmp(b, one, l1), 0, "threads=%d: other bytes", T);
        free(b);
    }
    free(one);
}

/* Full trajectories: 2 x 150 runs (more than one chunk of 256), Adam and heavy ball (state
 * in the optimizer), a plateau schedule (state in the schedule), noise (each run's own
 * stream), positions first:1 of 2 and every 3rd step; the same file for 1, 2 and 3
 * threads. */
Test(ensemble, threads_write_the_same_trajectory, .init = make_dir, .fini = remove_dir)
{
    same_bytes_for_threads((const char *[]){"landscape=himmelblau", "start=random",
                                            "runs=150", "noise=0.5", "seed=11",
                                            "optimizer=adam:lr=0.05",
                                            "optimizer=momentum:lr=0.003,momentum=0.9",
                                            "schedule=plateau:patience=3,factor=0.5",
                                            "steps=40", "every=3", "positions=first:1",
                                            "escape=1", NULL},
                           0);
}

/* Summaries: 2 x 2100 runs (more than one chunk of 4096), stop conditions and the escape
 * event; the same file for 1, 2 and 3 threads. */
Test(ensemble, threads_write_the_same_summary, .init = make_dir, .fini = remove_dir)
{
    same_bytes_for_threads((const char *[]){"landscape=rosenbrock", "start=random",
                                            "runs=2100", "noise=0.1", "seed=5",
                                            "optimizer=adam:lr=0.05", "optimizer=rmsprop:lr=1e-3",
                                            "schedule=plateau:patience=2", "steps=60",
                                            "stop_grad=0.5", "stop_dist=3", "escape=0.5",
                                            NULL},
                           1);
}

/* A landscape evaluated from one thread at a time (expr: libmatheval stores x in its
 * table of variables) is run on one thread whatever the key says: the same bytes, and
 * lsc_landscape_reentrant tells which landscapes these are. */
Test(ensemble, threads_on_a_landscape_of_one_thread, .init = make_dir, .fini = remove_dir)
{
    same_bytes_for_threads((const char *[]){"landscape=expr:x^2-y^2+0.1*y^4", "runs=40",
                                            "start=ball:0,0:0.01", "noise=0.01",
                                            "optimizer=gd:lr=0.05", "steps=50", NULL},
                           1);
    static const struct {
        const char *spec;
        int reentrant;
    } kinds[] = {{"rosenbrock", 1}, {"himmelblau", 1}, {"octopus", 1}, {"expr:x^2+y^2", 0},
                 {"rnn", 0}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        lsc_error err = {0};
        lsc_landscape *L = lsc_landscape_new(kinds[k].spec, 0, "landscape", &err);
        cr_assert_not_null(L, "%s: %s", kinds[k].spec, err.msg);
        cr_assert_eq(lsc_landscape_reentrant(L), kinds[k].reentrant, "%s", kinds[k].spec);
        lsc_landscape_free(L);
    }
}

/* A recorder sees every coordinate of x (trajectory.h), also when threads keep the rows
 * and hand them on afterwards, and sees the rows in run order. */
typedef struct {
    int n, last_run, out_of_order;
    long rows;
    double sum;
} seen_t;

static int see(void *user, int run, const lsc_row *row, lsc_error *err)
{
    (void)err;
    seen_t *s = user;
    s->out_of_order += run < s->last_run;
    s->last_run = run;
    s->rows++;
    for (int i = 0; i < s->n; i++)
        s->sum += row->x[i] * (i + 1);
    return LSC_OK;
}

Test(ensemble, threads_hand_rows_on_in_run_order_with_every_coordinate)
{
    seen_t seen[3];
    for (int T = 1; T <= 3; T++) {
        lsc_experiment *x = make((const char *[]){"landscape=rosenbrock", "dim=5",
                                                  "start=random", "runs=300", "noise=0.1",
                                                  "optimizer=adam:lr=0.01", "steps=20",
                                                  "positions=first:1", NULL});
        char t[8];
        snprintf(t, sizeof t, "%d", T);
        lsc_error err = {0};
        cr_assert_eq(lsc_experiment_set(x, "threads", t, &err), LSC_OK);
        lsc_trajectory tr;
        cr_assert_eq(lsc_experiment_trajectory(x, &tr, &err), LSC_OK, "%s", err.msg);
        seen[T - 1] = (seen_t){.n = 5};
        cr_assert_eq(lsc_experiment_run(x, &tr, see, &seen[T - 1], &err), LSC_OK, "%s",
                     err.msg);
        cr_assert_eq(seen[T - 1].out_of_order, 0, "threads=%d", T);
        cr_assert_eq(seen[T - 1].rows, 300L * 21, "threads=%d", T);
        cr_assert_eq(tr.nruns, 300);
        lsc_trajectory_free(&tr);
        lsc_experiment_free(x);
    }
    cr_assert(seen[0].sum == seen[1].sum && seen[0].sum == seen[2].sum, "%.17g %.17g %.17g",
              seen[0].sum, seen[1].sum, seen[2].sum);
}

/* The threads key: 0 (every core) to 1024; not in the file (the bytes do not depend on it). */
Test(ensemble, threads_key)
{
    lsc_experiment *x = make((const char *[]){"landscape=himmelblau", "optimizer=gd", NULL});
    lsc_error err = {0};
    char b[32];
    cr_assert_not(lsc_experiment_is_set(x, 0, "threads"));
    cr_assert_eq(lsc_experiment_get(x, 0, "threads", b, sizeof b), LSC_OK);
    cr_assert_str_eq(b, "0");
    static const char *const bad[] = {"-1", "1025", "2.5", "", "two", "1e9"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        cr_assert_eq(lsc_experiment_set(x, "threads", bad[k], &err), LSC_EINVAL, "%s", bad[k]);
        cr_assert(strstr(err.msg, "threads: '") == err.msg, "%s", err.msg);
    }
    cr_assert_eq(lsc_experiment_set(x, "threads", "4", &err), LSC_OK);
    cr_assert(lsc_experiment_is_set(x, 0, "threads"));
    cr_assert_eq(lsc_experiment_get(x, 0, "threads", b, sizeof b), LSC_OK);
    cr_assert_str_eq(b, "4");
    lsc_experiment_free(x);
}

/* Basins (lsc_experiment_basins) on 1, 2 and 3 threads: the same class of every start and
 * the same counts; Adam and a plateau schedule (state in both) with noise. */
Test(ensemble, threads_give_the_same_basins)
{
    lsc_basins ref, b;
    const double lim[2] = {NAN, NAN};
    for (int T = 1; T <= 3; T++) {
        lsc_experiment *x = make((const char *[]){"landscape=himmelblau", "noise=0.3",
                                                  "optimizer=adam:lr=0.05",
                                                  "optimizer=momentum:lr=0.003",
                                                  "schedule=plateau:patience=3",
                                                  "steps=150", NULL});
        char t[8];
        snprintf(t, sizeof t, "%d", T);
        lsc_error err = {0};
        cr_assert_eq(lsc_experiment_set(x, "threads", t, &err), LSC_OK);
        lsc_basins *out = T == 1 ? &ref : &b;
        cr_assert_eq(lsc_experiment_basins(x, out, lim, lim, 24, 0, &err), LSC_OK, "%s",
                     err.msg);
        if (T > 1) {
            cr_assert_eq(memcmp(ref.grid, b.grid, 2 * 24 * 24 * sizeof *b.grid), 0,
                         "threads=%d", T);
            cr_assert_eq(b.nclass, ref.nclass);
            for (int k = 0; k < b.nclass; k++)
                cr_assert_eq(b.classes[k].count, ref.classes[k].count, "class %d", k);
            lsc_basins_free(&b);
        }
        lsc_experiment_free(x);
    }
    long all = 0, reached = 0;
    for (int k = 0; k < ref.nclass; k++) {
        all += ref.classes[k].count;
        reached += k < ref.ncp ? ref.classes[k].count : 0;
    }
    cr_assert_eq(all, 2 * 24 * 24);
    cr_assert(reached > 0 && reached < all, "%ld of %ld starts reached a critical point",
              reached, all);
    lsc_basins_free(&ref);
}

/* Summaries made in lockstep (run.h: elementwise optimizers, no schedule, noise or
 * clipping) against the same runs made one by one by lsc_run (lsc_experiment_summary_run):
 * the same bytes for every row, on 1 and 2 threads, over blocks of runs that cut across
 * optimizers, every 7th row recorded (runs stop between recorded rows). Two settings
 * between them have runs of every kind: converged, loss reached, distance reached, budget
 * spent, diverged (x or f not finite), escaped or not. */
static void lockstep_against_one_by_one(const char *stop_dist, const char *gd, int *kinds,
                                        int *escaped)
{
    const char *const kv[] = {"landscape=rosenbrock", "start=random", "runs=300", "seed=4",
                              "optimizer=adam:lr=0.05", "optimizer=sgd:lr=0.002,momentum=0.9",
                              gd, "optimizer=rmsprop:lr=0.01", "steps=200", "every=7",
                              "stop_grad=0.05", "stop_loss=1e-4", "escape=0.5", stop_dist,
                              NULL};
    enum { NR = 1200 };
    static lsc_run_summary fast[NR];
    for (int T = 1; T <= 2; T++) {
        lsc_experiment *x = make(kv);
        lsc_error err = {0};
        cr_assert_eq(lsc_experiment_set(x, "threads", T == 1 ? "1" : "2", &err), LSC_OK);
        cr_assert_eq(lsc_experiment_summaries(x, 0, NR, fast, &err), LSC_OK, "%s", err.msg);
        for (int i = 0; i < NR; i++) {
            lsc_run_summary one;
            cr_assert_eq(lsc_experiment_summary_run(x, i, &one, &err), LSC_OK, "%s", err.msg);
            char a[2048], b[2048];
            FILE *fa = fmemopen(a, sizeof a, "w"), *fb = fmemopen(b, sizeof b, "w");
            lsc_summary_put_row(fa, &fast[i]);
            lsc_summary_put_row(fb, &one);
            fclose(fa);
            fclose(fb);
            cr_assert_str_eq(a, b, "threads=%d, run %d", T, i);
            cr_assert_eq(memcmp(&fast[i].loss, &one.loss, sizeof one.loss), 0);
            kinds[one.status] += T == 1;
            *escaped += T == 1 && one.escape > 0;
        }
        lsc_experiment_free(x);
    }
}

Test(ensemble, lockstep_summaries_are_the_runs_made_one_by_one)
{
    int kinds[8] = {0}, escaped = 0;
    lockstep_against_one_by_one("stop_dist=3", "optimizer=gd:lr=0.02", kinds, &escaped);
    lockstep_against_one_by_one("stop_dist=off", "optimizer=gd:lr=1e6", kinds, &escaped);
    cr_assert(kinds[LSC_STOP_MAX_STEPS] && kinds[LSC_STOP_CONVERGED] && kinds[LSC_STOP_LOSS] &&
                  kinds[LSC_STOP_DIST] && kinds[LSC_STOP_DIVERGED] && escaped &&
                  escaped < 2400,
              "max %d, converged %d, loss %d, dist %d, diverged %d, escaped %d",
              kinds[LSC_STOP_MAX_STEPS], kinds[LSC_STOP_CONVERGED], kinds[LSC_STOP_LOSS],
              kinds[LSC_STOP_DIST], kinds[LSC_STOP_DIVERGED], escaped);
}

/* Every optimizer flagged elementwise (optim.h: LSC_OPTIM_ELEMENTWISE, which lockstep
 * relies on) at its defaults, with weight decay where it has it: lockstep summaries equal
 * the runs made one by one, bytes and bits. */
Test(ensemble, lockstep_for_every_elementwise_optimizer)
{
    enum { NR = 70 };
    static lsc_run_summary fast[NR];
    int tried = 0;
    for (int k = 0; k < lsc_optim_registry_count; k++) {
        const lsc_optim_type *T = lsc_optim_registry[k];
        if (!(T->flags & LSC_OPTIM_ELEMENTWISE) || (T->flags & LSC_OPTIM_RANDOM))
            continue;
        char spec[96], wd[128];
        snprintf(spec, sizeof spec, "optimizer=%s", T->name);
        snprintf(wd, sizeof wd, "optimizer=%s:weight_decay=0.01", T->name);
        lsc_error err = {0};
        lsc_optim *o = lsc_optim_new(wd + 10, 2, "optimizer", &err); /* has weight_decay? */
        const int has_wd = o != NULL;
        lsc_optim_free(o);
        const char *const kv[] = {"landscape=rosenbrock", "start=random", "runs=35",
                                  "seed=9", "steps=60", "every=5", "escape=0.3", spec,
                                  has_wd ? wd : spec, NULL};
        lsc_experiment *x = make(kv);
        cr_assert_eq(lsc_experiment_summaries(x, 0, NR, fast, &err), LSC_OK, "%s: %s",
                     T->name, err.msg);
        for (int i = 0; i < NR; i++) {
            lsc_run_summary one;
            cr_assert_eq(lsc_experiment_summary_run(x, i, &one, &err), LSC_OK, "%s", err.msg);
            cr_assert(fast[i].step == one.step && fast[i].status == one.status &&
                          !memcmp(&fast[i].loss, &one.loss, sizeof one.loss) &&
                          !memcmp(&fast[i].grad_norm, &one.grad_norm, sizeof one.loss) &&
                          fast[i].escape == one.escape && !strcmp(fast[i].reason, one.reason) &&
                          !strcmp(fast[i].label, one.label),
                      "%s, run %d: step %ld/%ld loss %.17g/%.17g", T->name, i, fast[i].step,
                      one.step, fast[i].loss, one.loss);
        }
        lsc_experiment_free(x);
        tried++;
    }
    cr_assert(tried >= 5, "%d elementwise optimizers", tried);
}
