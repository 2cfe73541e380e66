/* test_study_init.c — `study init` (src/study/init.c): the measured per-layer factors
 * against n Var[W] within their sampling error, the exact orthogonal case, a constant start
 * whose units stay equal through the study's training, and the same bytes for 1 and 2
 * threads */
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
    snprintf(buf, len, "%s/lsc-init-%s-XXXXXX", td && td[0] ? td : "/tmp", tag);
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
        if (e->d_name[0] == '.')
            continue;
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Run study init with the options kv (key, value, ..., NULL) into dir. */
static void run_init(const char *dir, const char *const *kv)
{
    static lsc_study_args a;
    lsc_error e = {0};
    const lsc_study_type *T = lsc_study_find("init");
    cr_assert_not_null(T);
    lsc_study_args_init(&a, T);
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_study_set(&a, kv[k], kv[k + 1], &e), LSC_OK, "%s = %s: %s", kv[k],
                     kv[k + 1], e.msg);
    cr_assert_eq(lsc_study_run(&a, dir, NULL, NULL, NULL, 0, &e), LSC_OK, "%s", e.msg);
}

/* A tab-separated table: the header's columns and the rows' cells. */
#define ROWS 512
#define COLS 16
typedef struct {
    int ncol, nrow;
    char head[COLS][40];
    char cell[ROWS][COLS][64];
} table;

static void read_table(const char *dir, const char *name, table *t)
{
    char path[4200], line[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    memset(t, 0, sizeof *t);
    for (int r = -1; fgets(line, sizeof line, fp); r++) {
        cr_assert_lt(r, ROWS, "%s: more than %d rows", path, ROWS);
        line[strcspn(line, "\n")] = '\0';
        int c = 0;
        for (char *p = line;; c++) {
            cr_assert_lt(c, COLS, "%s: more than %d columns", path, COLS);
            size_t len = strcspn(p, "\t");
            snprintf(r < 0 ? t->head[c] : t->cell[r][c], r < 0 ? 40 : 64, "%.*s", (int)len, p);
            if (!p[len])
                break;
            p += len + 1;
        }
        if (r < 0)
            t->ncol = c + 1;
        else
            t->nrow = r + 1;
    }
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

static const char *cell(const table *t, int r, const char *name)
{
    return t->cell[r][col(t, name)];
}

/* The measured factor against c n Var[W] at width n = 256.
 *
 * The sampling error, from the sample size alone. One layer-to-layer ratio of a linear
 * net: given layer l's pre-activations A (m inputs), z_{l+1} = W A with W_ij iid of
 * variance v, so sum |z_{l+1}|^2 = sum_k lambda_k |W u_k|^2 over the eigenpairs of A^T A:
 * mean v n sum lambda, variance 2 v^2 n sum lambda^2 (Gaussian W; a uniform W has fourth
 * moment 9/5 v^2 < 3 v^2, so less). Relative to the mean, the ratio has variance
 * 2 sum lambda^2 / (n (sum lambda)^2) <= 2/n, the worst case all m inputs in one direction.
 * The backward pass (delta_l = W^T delta_{l+1}) is the same with W^T. For relu, the ratio
 * also holds sum relu(z)^2 / sum z^2 over the n units, whose variance is at most
 * Var[z^2 (1[z > 0] - 1/2)] / (n E[z^2]^2) = (3/4)/n per input: 2.75/n in all. The log of
 * a ratio then has sd <= s = sqrt(2/n) (linear) or sqrt(2.75/n) (relu), and its mean is
 * below log of its mean by about s^2/2 (the bias of a log, E log(1+e) ~ -Var e/2). The D - 1
 * ratios of one net are martingale increments (each W_l drawn afresh): the log factor of
 * one seed, their mean, has sd <= s / sqrt(D - 1); over S independent seeds the standard
 * error is SE = s / sqrt((D - 1) S). The test: |log measured - log predicted| <= 4 SE +
 * s^2/2 (4 SE: 6e-5 two-sided for each of the 24 checks). At n = 256, D = 30, S = 4 that
 * is 3.7 % (linear) and 4.4 % (relu); a factor off by relu's 1/2 or a layer's off-by-one
 * would be off by 50 % or more. */
Test(study_init, factors_agree_with_n_var_w_within_sampling_error, .timeout = 600)
{
    char dir[4096];
    fresh_dir(dir, sizeof dir, "factors");
    const int n = 256, S = 4;
    const char *const kv[] = {"part", "variance", "acts", "linear|relu",
                              "schemes", "xavier-normal|he-normal|torch", "depths", "10,30",
                              "width", "256", "examples", "8", "seeds", "4", "seed", "7",
                              NULL};
    run_init(dir, kv);
    static table t;
    read_table(dir, "init.tsv", &t);
    cr_assert_eq(t.nrow, 2 * 3 * 2 * 2); /* acts x schemes x depths x directions */
    for (int r = 0; r < t.nrow; r++) {
        const int relu = !strcmp(cell(&t, r, "act"), "relu"), D = (int)num(&t, r, "depth");
        const char *sch = cell(&t, r, "scheme");
        /* n Var[W] from the schemes' definitions (init.h): xavier at fan_in = fan_out 1, he
         * 2, torch U(+-1/sqrt n): 1/3; c = 1/2 for relu */
        const double nvar = !strncmp(sch, "xavier", 6) ? 1 : !strncmp(sch, "he", 2) ? 2 : 1.0 / 3;
        const double pred = nvar * (relu ? 0.5 : 1);
        cr_assert_float_eq(num(&t, r, "predicted_linear"), pred, 1e-5 * pred, "row %d", r); /* %.6g */
        const double s2 = (relu ? 2.75 : 2.0) / n, se = sqrt(s2 / ((D - 1) * S));
        const double d = log(num(&t, r, "measured") / pred);
        cr_expect(fabs(d) <= 4 * se + s2 / 2, "%s %s depth %d %s: measured %s, predicted %g: "
                  "log ratio %.4f, allowed %.4f", cell(&t, r, "act"), sch, D,
                  cell(&t, r, "direction"), cell(&t, r, "measured"), pred, d, 4 * se + s2 / 2);
    }
    remove_dir(dir);
}

/* Orthogonal weights and linear units: |W a| = |a| for every input, so every ratio is 1 up
 * to rounding, in both directions, and the seeds do not differ. */
Test(study_init, orthogonal_linear_is_exact)
{
    char dir[4096];
    fresh_dir(dir, sizeof dir, "ortho");
    const char *const kv[] = {"part", "variance", "acts", "linear", "schemes",
                              "orthogonal|orthogonal:gain=1.5", "depths", "20", "width", "64",
                              "seeds", "3", NULL};
    run_init(dir, kv);
    static table t;
    read_table(dir, "init.tsv", &t);
    cr_assert_eq(t.nrow, 4);
    for (int r = 0; r < t.nrow; r++) {
        const double g2 = strstr(cell(&t, r, "scheme"), "1.5") ? 2.25 : 1;
        cr_expect(fabs(num(&t, r, "measured") / g2 - 1) < 1e-12, "row %d: %s", r,
                  cell(&t, r, "measured"));
        cr_expect(num(&t, r, "se") < 1e-12, "row %d: se %s", r, cell(&t, r, "se"));
        cr_expect_str_eq(cell(&t, r, "verdict_linear"), "agree");
    }
    remove_dir(dir);
}

/* The training part, small: a constant start keeps its units equal bit for bit (spread 0)
 * while it trains, where a xavier start's units differ. */
static const char *const small_train[] = {
    "part", "training", "train_steps", "60", "linear_steps", "40", "linear_depths", "2,4",
    "train_width", "8", NULL};

Test(study_init, constant_start_keeps_units_equal)
{
    char dir[4096];
    fresh_dir(dir, sizeof dir, "const");
    run_init(dir, small_train);
    static table t;
    read_table(dir, "init-train.tsv", &t);
    int seen = 0;
    for (int r = 0; r < t.nrow; r++) {
        if (strcmp(cell(&t, r, "pair"), "constant"))
            continue;
        seen++;
        if (!strncmp(cell(&t, r, "init"), "constant", 8)) {
            cr_expect_str_eq(cell(&t, r, "max_unit_spread"), "0");
            cr_expect_neq(num(&t, r, "loss_end"), num(&t, r, "loss_start"),
                          "the constant start did not train");
        } else {
            cr_expect_gt(num(&t, r, "max_unit_spread"), 0.01);
        }
    }
    cr_assert_eq(seen, 2);
    remove_dir(dir);
}

static char *slurp(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    cr_assert_eq(fread(b, 1, (size_t)len, fp), (size_t)len);
    b[len] = '\0';
    fclose(fp);
    return b;
}

/* Every table and the summary: the same bytes for 1 and 2 threads. */
Test(study_init, same_bytes_for_one_and_two_threads, .timeout = 600)
{
    char d1[4096], d2[4096];
    fresh_dir(d1, sizeof d1, "t1");
    fresh_dir(d2, sizeof d2, "t2");
    const char *kv[32];
    int k = 0;
    const char *const common[] = {"acts", "tanh|relu", "schemes", "xavier-normal|orthogonal",
                                  "depths", "3,6", "width", "32", "examples", "4", "seeds", "2"};
    for (int i = 0; i < (int)(sizeof common / sizeof *common); i++)
        kv[k++] = common[i];
    for (int i = 2; small_train[i]; i++) /* without part: both parts */
        kv[k++] = small_train[i];
    kv[k++] = "threads";
    kv[k++] = "1";
    kv[k] = NULL;
    run_init(d1, kv);
    kv[k - 1] = "2";
    run_init(d2, kv);
    static const char *const files[] = {"init.tsv", "init-layers.tsv", "init-train.tsv",
                                        "init-curves.tsv", "init.md"};
    for (int i = 0; i < (int)(sizeof files / sizeof *files); i++) {
        char *a = slurp(d1, files[i]), *b = slurp(d2, files[i]);
        cr_expect(strlen(a) > 100 && !strcmp(a, b), "%s differs between 1 and 2 threads",
                  files[i]);
        free(a);
        free(b);
    }
    remove_dir(d1);
    remove_dir(d2);
}
