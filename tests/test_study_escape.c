/* test_study_escape.c — `study escape` (src/study/escape.c): escape steps against the
 * closed form, a noisy case against the noise-driven theory within its sampling error,
 * the same bytes for any thread count, refusals */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "study.h"

static void fresh_dir(char *buf, size_t len, const char *tag)
{
    const char *td = getenv("TMPDIR");
    snprintf(buf, len, "%s/lsc-escape-%s-XXXXXX", td && td[0] ? td : "/tmp", tag);
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

/* Run study escape with the options kv (key, value, ..., NULL) into dir. */
static int run_escape(const char *dir, const char *const *kv, lsc_error *e)
{
    static lsc_study_args a;
    const lsc_study_type *T = lsc_study_find("escape");
    cr_assert_not_null(T);
    lsc_study_args_init(&a, T);
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_study_set(&a, kv[k], kv[k + 1], e), LSC_OK, "%s = %s: %s", kv[k],
                     kv[k + 1], e->msg);
    return lsc_study_run(&a, dir, NULL, NULL, NULL, 0, e);
}

/* A TSV table: header and cells (at most 4096 rows x 24 columns of 64 bytes). */
#define ROWS 4096
#define COLS 24
typedef struct {
    int ncol, nrow;
    char head[COLS][64];
    char cell[ROWS][COLS][64];
} table;

static void read_table(const char *dir, const char *name, table *t)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[8192];
    memset(t, 0, sizeof *t);
    int r = -1;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        cr_assert_lt(r, ROWS);
        int c = 0;
        for (char *p = line;; c++) {
            cr_assert_lt(c, COLS);
            size_t len = strcspn(p, "\t");
            snprintf(r < 0 ? t->head[c] : t->cell[r][c], 64, "%.*s", (int)len, p);
            if (!p[len])
                break;
            p += len + 1;
        }
        if (r < 0)
            t->ncol = c + 1;
        r++;
    }
    t->nrow = r;
    fclose(fp);
}

static const char *cell(const table *t, int r, const char *name)
{
    for (int c = 0; c < t->ncol; c++)
        if (!strcmp(t->head[c], name))
            return t->cell[r][c];
    cr_assert_fail("no column %s", name);
    return NULL;
}

/* GD on saddle ½(x² − y²) from (0, d): y_k = d (1 + lr)^k, x stays 0, so the first step
 * with |x_k − x_0| = d((1 + lr)^k − 1) >= R is k* = ceil(ln(1 + R/d) / ln(1 + lr)),
 * computed here from the formula; the study's measured steps (from the runs) must equal it
 * exactly, for every distance 1e-1 ... 1e-12 and two learning rates. */
Test(study_escape, gd_equals_closed_form_on_a_line)
{
    static table t;
    const char *lrs[] = {"0.1", "0.37"};
    for (int l = 0; l < 2; l++) {
        char dir[4096], opt[64];
        fresh_dir(dir, sizeof dir, "line");
        snprintf(opt, sizeof opt, "gd:lr=%s", lrs[l]);
        lsc_error e = {0};
        const char *kv[] = {"landscape", "saddle", "optimizers", opt, "starts", "line",
                            "noise", "0", "escape", "1", "steps", "5000", "sweep", "false",
                            NULL};
        cr_assert_eq(run_escape(dir, kv, &e), LSC_OK, "%s", e.msg);
        read_table(dir, "escape-runs.tsv", &t);
        cr_assert_eq(t.nrow, 12);
        const double lr = atof(lrs[l]);
        for (int r = 0; r < t.nrow; r++) {
            const double d = pow(10, -(r + 1));
            cr_assert_float_eq(atof(cell(&t, r, "distance")), d, 1e-15 * d);
            const long k = (long)ceil(log1p(1 / d) / log1p(lr));
            cr_assert_eq(atol(cell(&t, r, "escape_step")), k, "lr %g, d %g: measured %s, closed "
                         "form %ld", lr, d, cell(&t, r, "escape_step"), k);
            cr_assert_eq(atol(cell(&t, r, "closed_form")), k);
        }
        read_table(dir, "escape.tsv", &t);
        cr_assert_str_eq(cell(&t, 0, "closed_form_equal"), "12");
        remove_dir(dir);
    }
}

/* P(escaped by step k) for GD from the saddle itself (y0 = 0) under gradient noise sigma:
 * y_k ~ N(0, v_k), v_k = lr² sigma² ((1 + lr)^(2k) − 1)/((1 + lr)² − 1), and
 * F(k) = P(|y_k| >= R) = erfc(R / sqrt(2 v_k)). */
static double F_noise(double lr, double sigma, double R, long k)
{
    const double a = 1 + lr, v = lr * lr * sigma * sigma * (pow(a, 2.0 * k) - 1) / (a * a - 1);
    return k <= 0 ? 0 : erfc(R / sqrt(2 * v));
}

/* GD from the saddle under noise (K = 2000 runs, fixed seed), the budget near the median.
 * Tolerances from the sample size: the fraction escaped is a binomial proportion, standard
 * deviation sqrt(F (1 − F) / K) (0.011 at F = 1/2; a noise level 30% off moves F(68) by
 * 0.1, which fails); the sample p-quantile q is the r-th order statistic, r = ceil(p K),
 * so F(q) is distributed as the r-th uniform order statistic, Beta(r, K − r + 1), of mean
 * r/(K + 1) and standard deviation ~ sqrt(p (1 − p) / K); with integer steps F(q − 1) <= U_(r) <= F(q). Both checked within 4 standard
 * deviations (a normal two-sided tail of 6e-5 each) plus 1/K for r's rounding. */
Test(study_escape, noisy_gd_within_sampling_error)
{
    static table t;
    char dir[4096];
    fresh_dir(dir, sizeof dir, "noise");
    const double lr = 0.1, sigma = 0.01, R = 1;
    const long budget = 68; /* F(68) = 0.48 */
    const int K = 2000;
    lsc_error e = {0};
    const char *kv[] = {"landscape", "saddle", "optimizers", "gd:lr=0.1", "starts", "saddle",
                        "runs", "2000", "noise", "0.01", "escape", "1", "steps", "68", "sweep",
                        "false", "seed", "7", NULL};
    cr_assert_eq(run_escape(dir, kv, &e), LSC_OK, "%s", e.msg);
    read_table(dir, "escape.tsv", &t);
    cr_assert_eq(t.nrow, 1);
    const double F = F_noise(lr, sigma, R, budget);
    cr_assert(F > 0.3 && F < 0.7, "F(budget) = %g", F);
    const double frac = atof(cell(&t, 0, "fraction_escaped"));
    cr_assert_leq(fabs(frac - F), 4 * sqrt(F * (1 - F) / K) + 1.0 / K, "escaped %g, theory %g",
                  frac, F);
    const char *qn[] = {"q10", "q25"};
    const double qp[] = {0.1, 0.25};
    for (int i = 0; i < 2; i++) {
        const long q = atol(cell(&t, 0, qn[i]));
        const double tol = 4 * sqrt(qp[i] * (1 - qp[i]) / K) + 1.0 / K;
        cr_assert(q > 0, "%s = %s", qn[i], cell(&t, 0, qn[i]));
        cr_assert_geq(F_noise(lr, sigma, R, q), qp[i] - tol, "%s = %ld: F = %g", qn[i], q,
                      F_noise(lr, sigma, R, q));
        cr_assert_leq(F_noise(lr, sigma, R, q - 1), qp[i] + tol, "%s = %ld: F(q-1) = %g", qn[i],
                      q, F_noise(lr, sigma, R, q - 1));
    }
    /* the median and above lie beyond the budget for about half the runs: never or late */
    cr_assert_str_eq(cell(&t, 0, "q90"), "never");
    remove_dir(dir);
}

static char *slurp(const char *dir, const char *name, long *len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    fseek(fp, 0, SEEK_END);
    *len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)*len + 1);
    cr_assert_eq(fread(s, 1, (size_t)*len, fp), (size_t)*len);
    fclose(fp);
    return s;
}

/* Noise, a random optimizer (pgd), ball starts and the sweep: every file but the figures'
 * images the same bytes with 1, 2 and 3 threads. */
Test(study_escape, threads_same_bytes)
{
    const char *files[] = {"escape.tsv", "escape-runs.tsv", "escape.md", "escape-dims.tsv",
                           "escape-ecdf.png.series.tsv", "escape-dims.png.series.tsv"};
    const char *threads[] = {"1", "2", "3"};
    char dir[3][4096];
    for (int i = 0; i < 3; i++) {
        fresh_dir(dir[i], sizeof dir[i], "threads");
        lsc_error e = {0};
        const char *kv[] = {"optimizers", "gd:lr=0.1|pgd:lr=0.1,r=0.01|adam:lr=0.01", "runs",
                            "40", "noise", "0,0.01", "threads", threads[i], "sweep_dims",
                            "2,3,5", "sweep_runs", "3", "sweep_steps", "3000", NULL};
        cr_assert_eq(run_escape(dir[i], kv, &e), LSC_OK, "%s", e.msg);
    }
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        long n0, n;
        char *a = slurp(dir[0], files[f], &n0);
        for (int i = 1; i < 3; i++) {
            char *b = slurp(dir[i], files[f], &n);
            cr_assert(n == n0 && !memcmp(a, b, (size_t)n), "%s differs between 1 and %s threads",
                      files[f], threads[i]);
            free(b);
        }
        free(a);
    }
    for (int i = 0; i < 3; i++)
        remove_dir(dir[i]);
}

/* Refusals name the key and leave nothing behind. */
Test(study_escape, refusals)
{
    struct {
        const char *key, *value, *msg;
    } bad[] = {
        {"landscape", "rosenbrock", "landscape: 'rosenbrock' has no known saddle"},
        {"landscape", "quadratic-spectrum", "no known saddle"},
        {"optimizers", "gd:lr=0.1|adamm", "optimizers:"},
        {"sweep_landscape", "sphere", "sweep_landscape:"},
        {"sweep_dims", "2,2.5", "sweep_dims:"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char dir[4096];
        fresh_dir(dir, sizeof dir, "bad");
        lsc_error e = {0};
        const char *kv[] = {bad[i].key, bad[i].value, "runs", "5", NULL};
        cr_assert_eq(run_escape(dir, kv, &e), LSC_EINVAL, "%s = %s", bad[i].key, bad[i].value);
        cr_assert_not_null(strstr(e.msg, bad[i].msg), "%s = %s: %s", bad[i].key, bad[i].value,
                           e.msg);
        cr_assert_eq(access(dir, F_OK), -1, "%s left behind", dir);
    }
    static lsc_study_args a;
    lsc_study_args_init(&a, lsc_study_find("escape"));
    lsc_error e = {0};
    cr_assert_eq(lsc_study_set(&a, "runs", "0", &e), LSC_EINVAL);
    cr_assert_eq(lsc_study_set(&a, "radius", "0", &e), LSC_EINVAL);
    cr_assert_eq(lsc_study_set(&a, "radius", "-1", &e), LSC_EINVAL);
    cr_assert_eq(lsc_study_set(&a, "starts", "cube", &e), LSC_EINVAL);
}
