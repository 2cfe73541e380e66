/* test_study.c — the study framework (study.h) and `study batch` */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sampler.h"
#include "study.h"

/* A fresh directory name under $TMPDIR (not created). */
static void fresh_dir(char *buf, size_t len, const char *tag)
{
    const char *td = getenv("TMPDIR");
    snprintf(buf, len, "%s/lsc-study-%s-XXXXXX", td && td[0] ? td : "/tmp", tag);
    cr_assert_not_null(mkdtemp(buf));
    cr_assert_eq(rmdir(buf), 0);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Run study batch with the options kv (key, value, ..., NULL) into dir. */
static int run_batch(const char *dir, const char *const *kv, lsc_error *e)
{
    static lsc_study_args a;
    const lsc_study_type *T = lsc_study_find("batch");
    cr_assert_not_null(T);
    lsc_study_args_init(&a, T);
    lsc_study_set(&a, "verdicts", "false", e); /* the table's tests; verdicts below */
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_study_set(&a, kv[k], kv[k + 1], e), LSC_OK, "%s = %s: %s", kv[k],
                     kv[k + 1], e->msg);
    return lsc_study_run(&a, dir, NULL, NULL, NULL, 0, e);
}

/* A table: its header's columns and its rows' cells (at most 64 x 64). */
#define TABLE_ROWS 1024
#define TABLE_COLS 64
typedef struct {
    int ncol, nrow;
    char head[TABLE_COLS][48];
    char cell[TABLE_ROWS][TABLE_COLS][48];
} table;

static void read_table(const char *path, table *t)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[8192];
    memset(t, 0, sizeof *t);
    int r = -1;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        int c = 0;
        cr_assert_lt(r, TABLE_ROWS, "%s: more than %d rows", path, TABLE_ROWS);
        for (char *p = line;; c++) {
            cr_assert_lt(c, TABLE_COLS, "%s: more than %d columns", path, TABLE_COLS);
            size_t len = strcspn(p, "\t");
            char *dst = r < 0 ? t->head[c] : t->cell[r][c];
            snprintf(dst, 48, "%.*s", (int)len, p);
            if (!p[len])
                break;
            p += len + 1;
        }
        if (r < 0)
            t->ncol = c + 1;
        else
            cr_assert_eq(c + 1, t->ncol, "%s: row %d has %d cells, the header %d", path, r + 1,
                         c + 1, t->ncol);
        r++;
    }
    t->nrow = r;
    fclose(fp);
}

static int col(const table *t, const char *name)
{
    for (int c = 0; c < t->ncol; c++)
        if (!strcmp(t->head[c], name))
            return c;
    cr_assert_fail("no column %s", name);
    return -1;
}

static double num(const table *t, int r, const char *name)
{
    return strtod(t->cell[r][col(t, name)], NULL);
}

/* Brute force, independent of the sampler and of lsc_batch_noise: the mean of
 * |mean_{i in S} g_i - gbar|^2 over every B-subset S of the N scalars g (without
 * replacement), or over every ordered B-tuple (with replacement). */
static double enum_subsets(const double *g, int N, int B, double gbar, int start, int depth,
                           double sum, long *count)
{
    if (depth == B) {
        (*count)++;
        double d = sum / B - gbar;
        return d * d;
    }
    double s = 0;
    for (int i = start; i < N; i++)
        s += enum_subsets(g, N, B, gbar, i + 1, depth + 1, sum + g[i], count);
    return s;
}

static double enum_tuples(const double *g, int N, int B, double gbar, int depth, double sum,
                          long *count)
{
    if (depth == B) {
        (*count)++;
        double d = sum / B - gbar;
        return d * d;
    }
    double s = 0;
    for (int i = 0; i < N; i++)
        s += enum_tuples(g, N, B, gbar, depth + 1, sum + g[i], count);
    return s;
}

/* linreg over indices:n=10 (y_i = i, no features: one parameter b), started at b = 0
 * (init zeros): the per-example MSE gradient is g_i = 2 (b - y_i) = -2 i. The study's
 * exact noise column equals lsc_batch_noise on those gradients, a brute-force enumeration
 * over every batch, and 4 x the issue's numbers for the gradient i - theta (8.25, 3.6667,
 * 1.375, 0.91667, 0 without replacement; 8.25, 4.125, 2.0625, 1.65 with). */
Test(study, exact_noise_against_enumeration)
{
    const int N = 10, sizes[] = {1, 2, 4, 5, 10};
    const double issue_wo[] = {8.25, 11.0 / 3, 1.375, 11.0 / 12, 0};
    const double issue_with[] = {8.25, 4.125, 2.0625, 1.65, 0.825};
    double g[10], gbar = 0;
    for (int i = 0; i < N; i++)
        gbar += (g[i] = -2.0 * (i + 1)) / N;
    for (int replace = 0; replace <= 1; replace++) {
        char dir[512];
        fresh_dir(dir, sizeof dir, "noise");
        const char *kv[] = {"landscape", "linreg", "data", "indices:n=10", "init", "zeros",
                            "batch_sizes", "1,2,4,5,full", "sampling",
                            replace ? "replace" : "shuffle", "epochs", "1", "seeds", "1",
                            "samples", "50", NULL};
        lsc_error e = {0};
        cr_assert_eq(run_batch(dir, kv, &e), LSC_OK, "%s", e.msg);
        char path[600];
        snprintf(path, sizeof path, "%s/batch.tsv", dir);
        static table t;
        read_table(path, &t);
        cr_assert_eq(t.nrow, 5);
        for (int k = 0; k < 5; k++) {
            const int B = sizes[k];
            double exact = num(&t, k, "noise_exact");
            cr_expect_float_eq(exact, lsc_batch_noise(g, N, 1, B, replace), 1e-12 * 33,
                               "B = %d", B);
            long count = 0;
            double brute = replace && B > 5 ? NAN
                           : replace ? enum_tuples(g, N, B, gbar, 0, 0, &count)
                                     : enum_subsets(g, N, B, gbar, 0, 0, 0, &count);
            if (!isnan(brute))
                cr_expect_float_eq(exact, brute / count, 1e-12 * 33, "B = %d: %.17g vs %.17g",
                                   B, exact, brute / count);
            const double issue = 4 * (replace ? issue_with[k] : issue_wo[k]);
            cr_expect_float_eq(exact, issue, 1e-12 * 33, "B = %d", B);
        }
        remove_dir(dir);
    }
}

/* The sampled estimate (the mean of |g_B - grad f|^2 over K batches from the sampler)
 * agrees with the exact value within k = 4 standard errors: the estimate is a mean of
 * K = 4000 draws, nearly normal, so a miss by chance has probability 6e-5 per batch size
 * (fixed seed: the test is deterministic; k is not tuned to it). */
Test(study, sampled_noise_within_monte_carlo_error)
{
    char dir[512];
    fresh_dir(dir, sizeof dir, "sampled");
    const char *kv[] = {"landscape", "logreg", "data", "blobs:n=300,classes=2", "batch_sizes",
                        "1,7,32,100", "epochs", "1", "seeds", "1", "samples", "4000", NULL};
    lsc_error e = {0};
    cr_assert_eq(run_batch(dir, kv, &e), LSC_OK, "%s", e.msg);
    char path[600];
    snprintf(path, sizeof path, "%s/batch.tsv", dir);
    static table t;
    read_table(path, &t);
    cr_assert_eq(t.nrow, 4);
    for (int r = 0; r < 4; r++) {
        double exact = num(&t, r, "noise_exact"), s = num(&t, r, "noise_sampled");
        double se = num(&t, r, "noise_sampled_se");
        cr_expect_gt(se, 0);
        cr_expect_leq(fabs(s - exact), 4 * se, "B = %s: sampled %g, exact %g, se %g",
                      t.cell[r][0], s, exact, se);
        cr_expect_lt(se, 0.1 * exact, "K = 4000 should pin the mean to 10%%");
    }
    remove_dir(dir);
}

/* Updates per epoch, counted from the sampler: N = 10, B = 3 gives 4 (ceil) and 3 with
 * drop_last (floor); B = 5 gives 2 either way; full gives 1. */
Test(study, updates_per_epoch_with_and_without_drop_last)
{
    const long want[2][3] = {{4, 2, 1}, {3, 2, 1}};
    for (int dl = 0; dl <= 1; dl++) {
        char dir[512];
        fresh_dir(dir, sizeof dir, "upe");
        const char *kv[] = {"landscape", "linreg", "data", "indices:n=10", "batch_sizes",
                            "3,5,full", "drop_last", dl ? "true" : "false", "epochs", "2",
                            "seeds", "1", "samples", "10", NULL};
        lsc_error e = {0};
        cr_assert_eq(run_batch(dir, kv, &e), LSC_OK, "%s", e.msg);
        char path[600];
        snprintf(path, sizeof path, "%s/batch.tsv", dir);
        static table t;
        read_table(path, &t);
        for (int r = 0; r < 3; r++) {
            cr_expect_eq((long)num(&t, r, "updates_per_epoch"), want[dl][r], "drop_last %d, "
                         "B = %s", dl, t.cell[r][0]);
            cr_expect_eq((long)num(&t, r, "updates_per_epoch_formula"), want[dl][r]);
        }
        remove_dir(dir);
    }
}

/* The file without its columns whose names end in "_s" (wall time). */
static char *without_time(const char *path)
{
    static table t;
    read_table(path, &t);
    size_t cap = 1 << 20, used = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    for (int r = -1; r < t.nrow; r++) {
        for (int c = 0; c < t.ncol; c++) {
            size_t len = strlen(t.head[c]);
            if (len > 2 && !strcmp(t.head[c] + len - 2, "_s"))
                continue;
            used += (size_t)snprintf(s + used, cap - used, "%s\t",
                                     r < 0 ? t.head[c] : t.cell[r][c]);
        }
        used += (size_t)snprintf(s + used, cap - used, "\n");
    }
    return s;
}

/* Determinism: two runs with the same options write the same tables, byte for byte, once
 * the wall-time columns (names ending in _s) are left out; the Markdown summary and the
 * tables are there, and the table has one row per batch size. */
Test(study, deterministic_but_for_wall_time)
{
    char d1[512], d2[512];
    fresh_dir(d1, sizeof d1, "det1");
    fresh_dir(d2, sizeof d2, "det2");
    const char *kv[] = {"landscape", "mlp:hidden=4", "data", "circle:n=200", "batch_sizes",
                        "1,16,full", "epochs", "2", "seeds", "2", "samples", "100", NULL};
    lsc_error e = {0};
    cr_assert_eq(run_batch(d1, kv, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(run_batch(d2, kv, &e), LSC_OK, "%s", e.msg);
    char p1[600], p2[600];
    snprintf(p1, sizeof p1, "%s/batch.tsv", d1);
    snprintf(p2, sizeof p2, "%s/batch.tsv", d2);
    char *a = without_time(p1), *b = without_time(p2);
    cr_expect_str_eq(a, b);
    static table t;
    read_table(p1, &t);
    cr_expect_eq(t.nrow, 3);
    free(a);
    free(b);
    snprintf(p1, sizeof p1, "%s/batch-curves.tsv", d1);
    snprintf(p2, sizeof p2, "%s/batch-curves.tsv", d2);
    a = without_time(p1);
    b = without_time(p2);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
    snprintf(p1, sizeof p1, "%s/batch.md", d1);
    FILE *fp = fopen(p1, "r");
    cr_assert_not_null(fp);
    char md[65536];
    size_t n = fread(md, 1, sizeof md - 1, fp);
    md[n] = '\0';
    fclose(fp);
    cr_expect_not_null(strstr(md, "| B | 1 | 16 | full |"), "%s", md);
    cr_expect_not_null(strstr(md, "## Verdicts"));
    remove_dir(d1);
    remove_dir(d2);
}

/* Options: values checked when set, messages naming the key, the value and what is
 * allowed; every default of every study parses. */
Test(study, options)
{
    for (int s = 0; s < lsc_study_registry_count; s++) {
        const lsc_study_type *T = lsc_study_registry[s];
        cr_assert_leq(T->nopts, LSC_STUDY_MAX_OPTS);
        static lsc_study_args a;
        lsc_study_args_init(&a, T);
        for (int i = 0; i < T->nopts; i++) {
            lsc_error e = {0};
            cr_expect_eq(lsc_study_set(&a, T->opts[i].name, T->opts[i].def, &e), LSC_OK,
                         "%s %s: default '%s': %s", T->name, T->opts[i].name, T->opts[i].def,
                         e.msg);
        }
    }
    static lsc_study_args a;
    lsc_study_args_init(&a, lsc_study_find("batch"));
    lsc_error e = {0};
    cr_expect_eq(lsc_study_set(&a, "epochs", "0", &e), LSC_EINVAL);
    cr_expect_str_eq(e.msg, "epochs: '0' is not allowed (expected an integer from 1 to 100000)");
    cr_expect_eq(lsc_study_set(&a, "batch_sizes", "1,0,full", &e), LSC_EINVAL);
    cr_expect_not_null(strstr(e.msg, "batch_sizes: '1,0,full' is not allowed"), "%s", e.msg);
    cr_expect_eq(lsc_study_set(&a, "epoch", "3", &e), LSC_EINVAL);
    cr_expect_not_null(strstr(e.msg, "did you mean 'epochs'"), "%s", e.msg);
    cr_expect_eq(lsc_study_set(&a, "batch_sizes", "4;full;2", &e), LSC_OK, "%s", e.msg);
    cr_expect_eq(a.nlist[4], 3);
    cr_expect_eq(a.list[4][1], LSC_STUDY_FULL);
}

/* A study that fails leaves nothing: a missing directory it made is removed again, and
 * an existing one keeps only what it had. */
Test(study, failure_leaves_no_files)
{
    char dir[512];
    fresh_dir(dir, sizeof dir, "fail");
    const char *kv[] = {"landscape", "linreg", "data", "indices:n=10", "optimizer",
                        "sgd:lr=-1", "epochs", "1", NULL};
    lsc_error e = {0};
    cr_expect_neq(run_batch(dir, kv, &e), LSC_OK);
    struct stat st;
    cr_expect_neq(stat(dir, &st), 0, "%s was left behind", dir);
    cr_assert_eq(mkdir(dir, 0777), 0);
    cr_expect_neq(run_batch(dir, kv, &e), LSC_OK);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int files = 0;
    struct dirent *ent;
    while ((ent = readdir(d)))
        files += strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..");
    closedir(d);
    cr_expect_eq(files, 0, "a failed study left %d files in %s", files, dir);
    remove_dir(dir);
}

/* A figure that cannot be drawn (gnuplot fails) fails the study after its tables were
 * written: nothing is left, tables included. */
Test(study, failed_figure_leaves_no_files)
{
    char dir[512];
    fresh_dir(dir, sizeof dir, "nofig");
    cr_assert_eq(mkdir(dir, 0777), 0);
    setenv("GNUPLOT", "/bin/false", 1);
    const char *kv[] = {"landscape", "linreg", "data", "indices:n=10", "epochs", "1", "seeds",
                        "1", "samples", "10", NULL};
    lsc_error e = {0};
    int rc = run_batch(dir, kv, &e);
    unsetenv("GNUPLOT");
    cr_expect_neq(rc, LSC_OK);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int files = 0;
    struct dirent *ent;
    while ((ent = readdir(d)))
        files += strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..");
    closedir(d);
    cr_expect_eq(files, 0, "a study whose figure failed left %d files in %s", files, dir);
    remove_dir(dir);
}

/* The figures are there: the loss against epochs and wall time, the noise against B. */
Test(study, figures_written)
{
    char dir[512];
    fresh_dir(dir, sizeof dir, "figs");
    const char *kv[] = {"landscape", "linreg", "data", "indices:n=10", "epochs", "1", "seeds",
                        "1", "samples", "10", "format", "svg", NULL};
    lsc_error e = {0};
    cr_assert_eq(run_batch(dir, kv, &e), LSC_OK, "%s", e.msg);
    const char *names[] = {"batch-loss-epoch.svg", "batch-loss-time.svg", "batch-noise.svg"};
    for (int i = 0; i < 3; i++) {
        char p[700];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        cr_expect_eq(stat(p, &st), 0, "%s missing", p);
        cr_expect_gt(st.st_size, 1000, "%s", p);
    }
    remove_dir(dir);
}

/* The verdicts, small: their tables have a row per case, full-batch GD started at the
 * spurious minimum it found stays there (no randomness moves it), the Markdown has a
 * section each. */
Test(study, verdicts)
{
    char dir[512];
    fresh_dir(dir, sizeof dir, "verdicts");
    static lsc_study_args a;
    lsc_study_args_init(&a, lsc_study_find("batch"));
    const char *kv[] = {"landscape", "mlp:hidden=4", "data", "circle:n=120", "batch_sizes",
                        "1,8,full", "epochs", "1", "seeds", "1", "samples", "10",
                        "minima_data", "xor:n=40", "minima_target", "0.05", "minima_runs",
                        "2", "minima_epochs", "3", "full_sizes", "60,120", "full_epochs", "5",
                        "target_loss", "0.6", "pow2_sizes", "3,4,5", "format", "svg", NULL};
    lsc_error e = {0};
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_study_set(&a, kv[k], kv[k + 1], &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_study_run(&a, dir, NULL, NULL, NULL, 0, &e), LSC_OK, "%s", e.msg);
    char p[700];
    static table t;
    snprintf(p, sizeof p, "%s/batch-pow2.tsv", dir);
    read_table(p, &t);
    cr_expect_eq(t.nrow, 3);
    cr_expect_eq((long)num(&t, 1, "updates_per_epoch"), 30); /* 120 / 4 */
    snprintf(p, sizeof p, "%s/batch-fullbatch.tsv", dir);
    read_table(p, &t);
    cr_expect_eq(t.nrow, 2);
    cr_expect_eq(num(&t, 1, "N"), 120);
    snprintf(p, sizeof p, "%s/batch-minima.tsv", dir);
    read_table(p, &t);
    cr_assert_geq(t.nrow, 1, "no spurious minimum found: the search failed");
    const int last = t.nrow - 1; /* full batch (B = 40) */
    cr_expect_eq(num(&t, last, "batch_size"), 40);
    cr_expect_eq(num(&t, last, "runs"), 1);
    cr_expect_eq(num(&t, last, "left"), 0);
    snprintf(p, sizeof p, "%s/batch.md", dir);
    FILE *fp = fopen(p, "r");
    cr_assert_not_null(fp);
    static char md[1 << 16];
    md[fread(md, 1, sizeof md - 1, fp)] = '\0';
    fclose(fp);
    cr_expect_not_null(strstr(md, "## (a) Local minima"));
    cr_expect_not_null(strstr(md, "## (b)"));
    cr_expect_not_null(strstr(md, "## (c) Powers of two"));
    remove_dir(dir);
}

/* The common threads option (LSC_STUDY_THREADS_OPT): a study with it in its table takes
 * threads = 0 .. 1024 and lsc_study_threads reads it; a study without it runs on every
 * core's worth (0) and refuses the key. */
static int no_run(const lsc_study_args *a, lsc_study_out *out, lsc_error *err)
{
    (void)a, (void)out, (void)err;
    return LSC_OK;
}

Test(study, threads_option)
{
    static const lsc_study_opt opts[] = {{"seeds", LSC_STUDY_INT, "3", 1, 10, NULL, "seeds"},
                                         LSC_STUDY_THREADS_OPT};
    static const lsc_study_type with = {"with", "-", "-", opts, 2, no_run};
    static const lsc_study_type without = {"without", "-", "-", opts, 1, no_run};
    lsc_study_args a;
    lsc_error err = {0};
    lsc_study_args_init(&a, &with);
    cr_assert_eq(lsc_study_threads(&a), 0);
    cr_assert_eq(lsc_study_set(&a, "threads", "3", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_study_threads(&a), 3);
    cr_assert_eq(lsc_study_set(&a, "threads", "-1", &err), LSC_EINVAL);
    cr_assert_str_eq(err.msg, "threads: '-1' is not allowed (expected an integer from 0 to "
                              "1024)");
    cr_assert_eq(lsc_study_set(&a, "threads", "1025", &err), LSC_EINVAL);
    cr_assert_eq(lsc_study_threads(&a), 3);
    lsc_study_args_init(&a, &without);
    cr_assert_eq(lsc_study_threads(&a), 0);
    cr_assert_eq(lsc_study_set(&a, "threads", "2", &err), LSC_EINVAL);
    /* a registered study that has the option spells it the common way */
    for (int i = 0; i < lsc_study_registry_count; i++) {
        const lsc_study_type *T = lsc_study_registry[i];
        const int k = lsc_study_opt_index(T, "threads");
        if (k < 0)
            continue;
        cr_assert(T->opts[k].kind == LSC_STUDY_INT && !strcmp(T->opts[k].def, "0") &&
                      T->opts[k].lo == 0 && T->opts[k].hi == 1024,
                  "study %s: its threads option is not LSC_STUDY_THREADS_OPT", T->name);
    }
}
