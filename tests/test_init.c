/* test_init.c — initialisation schemes (init.h): each scheme's per-layer statistics against
 * its formula, orthogonality, biases, reproducibility, and the experiment's init key and
 * start @FILE.
 *
 * Sampling error: for m weights w drawn independently with mean 0 and variance s^2, the
 * estimate v = (1/m) sum w^2 has standard error sqrt(Var(w^2)/m), with Var(w^2) = 2 s^4 for
 * a Gaussian and (4/5) s^4 for a uniform (E w^4 = 9 s^4 / 5 when s^2 = a^2/3). The test
 * allows 5 standard errors (a false failure about once in 1.7 million seeds); the sample
 * mean is held to 5 s / sqrt(m) likewise.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment.h"
#include "init.h"
#include "model.h"
#include "run.h"

/* mlp 50 -> 200 -> 100 -> 10: layers of 10000, 20000 and 1000 weights, fan_in != fan_out */
static lsc_landscape *wide_mlp(void)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model("mlp:hidden=200;100,act=relu", 0,
                                                "blobs:features=50,classes=10,n=20", NULL, 0,
                                                1, "test", &err);
    cr_assert_not_null(L, "%s", err.msg);
    return L;
}

static double *apply(const char *spec, const lsc_landscape *L, unsigned long long seed)
{
    lsc_init_scheme I;
    lsc_error err = {0};
    cr_assert_eq(lsc_init_parse(&I, spec, "init", &err), LSC_OK, "%s: %s", spec, err.msg);
    double *x = malloc((size_t)L->n * sizeof *x);
    gsl_rng *r = lsc_rng_for_run(seed, LSC_INIT_STREAM);
    cr_assert_eq(lsc_init_apply(&I, L, r, x, &err), LSC_OK, "%s: %s", spec, err.msg);
    gsl_rng_free(r);
    return x;
}

Test(init, each_scheme_has_its_variance_per_layer)
{
    static const struct {
        const char *spec;
        int uniform; /* 1: U(-a, a), 0: Gaussian */
    } cases[] = {
        {"normal:std=0.3", 0},  {"uniform:a=0.7", 1},     {"xavier-uniform", 1},
        {"xavier-uniform:gain=1.6666666666666667", 1},      {"xavier-normal:gain=2", 0},
        {"he-normal", 0},       {"he-uniform", 1},        {"lecun-normal", 0},
        {"torch", 1},
    };
    lsc_landscape *L = wide_mlp();
    const lsc_model *M = lsc_landscape_model(L);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double *x = apply(cases[c].spec, L, 3);
        for (int l = 0; l < M->nlayers; l++) {
            const double fi = M->size[l], fo = M->size[l + 1];
            /* the formula of init.h for this scheme */
            double s2;
            const char *s = cases[c].spec;
            if (!strncmp(s, "normal", 6))
                s2 = 0.3 * 0.3;
            else if (!strncmp(s, "uniform", 7))
                s2 = 0.7 * 0.7 / 3;
            else if (!strcmp(s, "xavier-uniform"))
                s2 = 6 / (fi + fo) / 3;
            else if (!strncmp(s, "xavier-uniform:", 15))
                s2 = (25.0 / 9) * 6 / (fi + fo) / 3;
            else if (!strncmp(s, "xavier-normal", 13))
                s2 = 4 * 2 / (fi + fo);
            else if (!strcmp(s, "he-normal"))
                s2 = 2 / fi;
            else if (!strcmp(s, "he-uniform"))
                s2 = 6 / fi / 3;
            else if (!strcmp(s, "lecun-normal"))
                s2 = 1 / fi;
            else /* torch: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
                s2 = 1 / fi / 3;
            const size_t m = (size_t)(fi * fo);
            const double *w = x + M->woff[l];
            double sum = 0, sq = 0;
            for (size_t k = 0; k < m; k++) {
                sum += w[k];
                sq += w[k] * w[k];
            }
            const double v = sq / m, se = sqrt((cases[c].uniform ? 0.8 : 2.0) * s2 * s2 / m);
            cr_expect_leq(fabs(v - s2), 5 * se, "%s layer %d: variance %.6g, formula %.6g "
                          "(5 se = %.3g)", s, l + 1, v, s2, 5 * se);
            cr_expect_leq(fabs(sum / m), 5 * sqrt(s2 / m), "%s layer %d: mean %.3g", s, l + 1,
                          sum / m);
            if (cases[c].uniform) { /* inside the bound sqrt(3 s2) */
                double top = 0;
                for (size_t k = 0; k < m; k++)
                    top = fmax(top, fabs(w[k]));
                cr_expect_leq(top, sqrt(3 * s2) * (1 + 1e-12), "%s layer %d", s, l + 1);
            }
            /* biases: zero, except torch's U(-1/sqrt(fan_in), +) */
            const double *b = x + M->boff[l];
            for (int k = 0; k < M->size[l + 1]; k++)
                if (strcmp(s, "torch"))
                    cr_expect_eq(b[k], 0, "%s layer %d bias %d", s, l + 1, k);
                else
                    cr_expect_leq(fabs(b[k]), 1 / sqrt(fi));
        }
        free(x);
    }
    lsc_landscape_free(L);
}

/* orthogonal: W^T W = gain^2 I for a tall W (fan_out >= fan_in), W W^T for a wide one */
Test(init, orthogonal_gives_orthonormal_columns_or_rows)
{
    lsc_landscape *L = wide_mlp();
    const lsc_model *M = lsc_landscape_model(L);
    double *x = apply("orthogonal:gain=1.5", L, 4);
    for (int l = 0; l < M->nlayers; l++) {
        const int rows = M->size[l + 1], cols = M->size[l];
        const double *W = x + M->woff[l];
        const int tall = rows >= cols, k = tall ? cols : rows;
        double worst = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int t = 0; t < (tall ? rows : cols); t++)
                    s += tall ? W[t * cols + i] * W[t * cols + j] : W[i * cols + t] * W[j * cols + t];
                worst = fmax(worst, fabs(s / (1.5 * 1.5) - (i == j)));
            }
        cr_expect_leq(worst, 1e-12, "layer %d (%d x %d): |W^T W / g^2 - I| = %.3g", l + 1,
                      rows, cols, worst);
    }
    free(x);
    lsc_landscape_free(L);
}

Test(init, seeded_reproducible_and_refused_where_meaningless)
{
    lsc_landscape *L = wide_mlp();
    double *a = apply("xavier-normal", L, 7), *b = apply("xavier-normal", L, 7),
           *c = apply("xavier-normal", L, 8);
    cr_expect(!memcmp(a, b, (size_t)L->n * sizeof *a), "same seed, same start");
    cr_expect(memcmp(a, c, (size_t)L->n * sizeof *a), "another seed, another start");
    free(a);
    free(b);
    free(c);
    a = apply("constant:value=0.25", L, 1);
    const lsc_model *M = lsc_landscape_model(L);
    cr_expect_eq(a[M->woff[1] + 7], 0.25);
    cr_expect_eq(a[M->boff[1]], 0);
    free(a);
    lsc_landscape_free(L);

    lsc_error err = {0};
    lsc_landscape *R = lsc_landscape_new("rosenbrock", 6, "test", &err);
    a = apply("normal:std=2", R, 1);
    free(a);
    a = apply("zeros", R, 1);
    for (int j = 0; j < 6; j++)
        cr_expect_eq(a[j], 0);
    free(a);
    lsc_init_scheme I;
    cr_assert_eq(lsc_init_parse(&I, "he-normal", "init", &err), LSC_OK);
    double x[6];
    gsl_rng *r = lsc_rng_for_run(1, 0);
    cr_expect_eq(lsc_init_apply(&I, R, r, x, &err), LSC_EINVAL);
    cr_expect(strstr(err.msg, "needs a model's layers") != NULL, "%s", err.msg);
    gsl_rng_free(r);
    lsc_landscape_free(R);

    cr_expect_eq(lsc_init_parse(&I, "xavier", "init", &err), LSC_EINVAL);
    cr_expect(strstr(err.msg, "unknown scheme 'xavier'") != NULL, "%s", err.msg);
    cr_expect_eq(lsc_init_parse(&I, "normal:std=-1", "init", &err), LSC_EINVAL);
    cr_expect_eq(lsc_init_parse(&I, "orthogonal:scale=2", "init", &err), LSC_EINVAL);
    char buf[64];
    cr_assert_eq(lsc_init_parse(&I, "orthogonal", "init", &err), LSC_OK);
    lsc_init_describe(&I, buf, sizeof buf);
    cr_expect_str_eq(buf, "orthogonal:gain=1");
}

/* ---- the experiment: init key, and start @FILE ------------------------------------------ */

static lsc_experiment *model_experiment(void)
{
    lsc_error err = {0};
    lsc_experiment *x = lsc_experiment_new();
    const char *kv[] = {"landscape", "mlp:hidden=4", "data", "xor:n=30", "optimizer", "sgd",
                        "steps", "2", "seed", "9", NULL};
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_experiment_set(x, kv[k], kv[k + 1], &err), LSC_OK, "%s", err.msg);
    return x;
}

Test(init, the_experiment_starts_from_its_init_scheme)
{
    lsc_error err = {0};
    lsc_experiment *x = model_experiment();
    cr_assert_eq(lsc_experiment_set(x, "init", "he-uniform", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    const lsc_landscape *L = lsc_experiment_landscape(x);
    double *want = apply("he-uniform", L, 9); /* the generator (seed, LSC_INIT_STREAM) */
    cr_expect(!memcmp(lsc_experiment_start(x), want, (size_t)L->n * sizeof *want));
    free(want);
    /* the default start of a model: standard start 0, nn.Linear's init drawn with seed 0 */
    lsc_experiment *y = model_experiment();
    cr_assert_eq(lsc_experiment_prepare(y, &err), LSC_OK, "%s", err.msg);
    double s0[17];
    cr_assert_eq(L->n, 17);
    lsc_landscape_start(lsc_experiment_landscape(y), 0, s0);
    cr_expect(!memcmp(lsc_experiment_start(y), s0, sizeof s0));
    lsc_experiment_free(y);
    /* init and start exclude each other */
    cr_assert_eq(lsc_experiment_set(x, "start", "random", &err), LSC_OK);
    cr_expect_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL);
    cr_expect_str_eq(lsc_experiment_error_key(x, NULL), "init");
    lsc_experiment_free(x);
    x = lsc_experiment_new();
    cr_expect_eq(lsc_experiment_set(x, "init", "xavier-unifrom", &err), LSC_EINVAL);
    cr_expect(strstr(err.msg, "did you mean 'xavier") != NULL, "%s", err.msg);
    lsc_experiment_free(x);
}

/* start @FILE: one number per line, or one whitespace-separated row (commas too) */
Test(init, start_at_file_reads_a_column_or_a_row)
{
    char path[] = "/tmp/lsc_init_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *bodies[] = {"1.5\n-2\n0.25\n", "1.5 -2\t0.25\n", "# a comment\n1.5,  -2 0.25"};
    for (int b = 0; b < 3; b++) {
        FILE *fp = fopen(path, "w");
        fputs(bodies[b], fp);
        fclose(fp);
        lsc_error err = {0};
        lsc_experiment *x = lsc_experiment_new();
        char at[64];
        snprintf(at, sizeof at, "@%s", path);
        cr_assert_eq(lsc_experiment_set(x, "landscape", "sphere", &err), LSC_OK);
        cr_assert_eq(lsc_experiment_set(x, "dim", "3", &err), LSC_OK);
        cr_assert_eq(lsc_experiment_set(x, "start", at, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "body %d: %s", b, err.msg);
        const double *s = lsc_experiment_start(x);
        cr_expect(s[0] == 1.5 && s[1] == -2 && s[2] == 0.25, "body %d", b);
        lsc_experiment_free(x);
    }
    close(fd);
    unlink(path);
}
