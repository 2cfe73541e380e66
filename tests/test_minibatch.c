/* test_minibatch.c — mini-batch runs of models over data (run.h, sampler.h) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment.h"
#include "model.h"
#include "plot.h"

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

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Robbins-Monro: linreg over `mean` data has one parameter theta and MSE gradient
 * 2(theta - y_i); SGD (B = 1) with lr 1/(2t) (inverse:decay_rate=1,decay_steps=1 on
 * lr 0.5: 0.5/(1 + (t-1))) makes theta_t = theta_{t-1} - (theta_{t-1} - y_{i_t})/t, the
 * running mean of the examples seen. So t theta_t - (t-1) theta_{t-1} = y_{i_t} recovers
 * the example of update t, and after one shuffled epoch (epochs = 1: N updates) these are
 * the N examples, each once, and theta is the data mean to rounding, whatever the order
 * (three seeds, three orders). Rounding: theta_t carries ~t ulps of |y|; the recovered
 * y_i multiply that by t, so 1e-10 for N = 37 and |y| ~ 3. */
Test(minibatch, robbins_monro_running_mean)
{
    const int N = 37;
    double mean = 0, *sorted_y = malloc(N * sizeof *sorted_y), *seen = malloc(N * sizeof *seen);
    double first_order[3];
    for (int s = 0; s < 3; s++) {
        char seed[8];
        snprintf(seed, sizeof seed, "%d", s + 3);
        const char *kv[] = {"landscape", "linreg", "data", "mean:n=37,mu=2,seed=5",
                            "optimizer", "sgd:lr=0.5", "schedule",
                            "inverse:decay_rate=1,decay_steps=1", "batch_size", "1", "epochs",
                            "1", "start", "-4.25", "seed", seed, NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        run(x, &t);
        const lsc_model *M = lsc_landscape_model(lsc_experiment_landscape(x));
        cr_assert_not_null(M);
        cr_assert_eq(M->train->n, N);
        cr_assert_eq(t.steps, N, "one epoch of B = 1 is N updates");
        mean = 0;
        for (int i = 0; i < N; i++) {
            sorted_y[i] = M->train->y[i];
            mean += M->train->y[i] / N;
        }
        const lsc_run_record *r = &t.runs[0];
        cr_assert_eq(r->len, (size_t)N + 1);
        for (int k = 1; k <= N; k++)
            seen[k - 1] = k * r->x[k] - (k - 1) * r->x[k - 1];
        first_order[s] = seen[0];
        qsort(sorted_y, N, sizeof *sorted_y, cmp_double);
        qsort(seen, N, sizeof *seen, cmp_double);
        for (int i = 0; i < N; i++)
            cr_expect_leq(fabs(seen[i] - sorted_y[i]), 1e-10, "example %d: %.17g, seen %.17g",
                          i, sorted_y[i], seen[i]);
        cr_expect_leq(fabs(r->x[N] - mean), 1e-14 * N * fabs(mean) + 1e-15,
                      "theta %.17g, mean %.17g", r->x[N], mean);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
    cr_expect(first_order[0] != first_order[1] || first_order[1] != first_order[2],
              "three seeds began with the same example");
    free(sorted_y);
    free(seen);
}

/* The batches of run i depend on (seed, i) alone: the same optimizer as run 0 of one
 * experiment and as run 1 of another (a different run order) follows the stream of its
 * run index, and two experiments with the same runs agree exactly. */
Test(minibatch, runs_are_reproducible)
{
    const char *kv[] = {"landscape", "logreg", "data", "circle:n=60,seed=2", "optimizer",
                        "sgd:lr=0.1", "optimizer", "sgd:lr=0.1", "batch_size", "8", "steps",
                        "40", "seed", "9", NULL};
    lsc_trajectory a, b;
    lsc_experiment *x = experiment(kv), *y = experiment(kv);
    run(x, &a);
    run(y, &b);
    cr_assert_eq(a.runs[0].len, b.runs[0].len);
    size_t bytes = a.runs[0].len * (size_t)a.npos * sizeof(double);
    cr_expect_eq(memcmp(a.runs[0].x, b.runs[0].x, bytes), 0);
    cr_expect_eq(memcmp(a.runs[1].x, b.runs[1].x, bytes), 0);
    /* runs 0 and 1: same optimizer, other batches, other paths */
    cr_expect_neq(memcmp(a.runs[0].x, a.runs[1].x, bytes), 0);
    lsc_trajectory_free(&a);
    lsc_trajectory_free(&b);
    lsc_experiment_free(x);
    lsc_experiment_free(y);
}

/* epochs: ceil(N/B) updates each, floor(N/B) with drop_last; the header records them */
Test(minibatch, epochs_set_the_budget)
{
    static const struct {
        const char *B, *drop;
        long steps;
    } c[] = {{"7", "off", 3 * 9}, {"7", "on", 3 * 8}, {"full", "off", 3}, {"1", "off", 180}};
    for (int k = 0; k < 4; k++) {
        const char *kv[] = {"landscape", "linreg", "data", "linear:n=60", "optimizer", "sgd",
                            "batch_size", c[k].B, "drop_last", c[k].drop, "epochs", "3", NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        lsc_error e = {0};
        cr_assert_eq(lsc_experiment_trajectory(x, &t, &e), LSC_OK, "%s", e.msg);
        cr_expect_eq(t.steps, c[k].steps, "B = %s drop_last %s: %ld steps", c[k].B, c[k].drop,
                     t.steps);
        cr_expect_eq(t.epochs, 3);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
}

/* On a landscape without data, the mini-batch options are refused, naming the key. */
Test(minibatch, refused_without_data)
{
    static const char *const keys[][2] = {
        {"batch_size", "4"}, {"sampling", "cyclic"}, {"drop_last", "on"}, {"epochs", "2"}};
    for (int k = 0; k < 4; k++) {
        const char *kv[] = {"landscape", "sphere", "optimizer", "sgd", keys[k][0], keys[k][1],
                            NULL};
        lsc_experiment *x = experiment(kv);
        lsc_error e = {0};
        cr_expect_eq(lsc_experiment_prepare(x, &e), LSC_EINVAL, "%s", keys[k][0]);
        cr_expect(!strncmp(e.msg, keys[k][0], strlen(keys[k][0])), "%s", e.msg);
        cr_expect(strstr(e.msg, "no examples"), "%s", e.msg);
        lsc_experiment_free(x);
    }
}

/* cyclic mini-batches against a PyTorch loop over the same fixed batches
 * (tests/ref/gen_minibatch.py: an mlp on models_bin.csv, B = 32 of N = 300, so each epoch
 * ends with a batch of 12; SGD with momentum, 47 updates, float64). Agreement: the two
 * sum the same products in other orders, ~1e-16 relative per operation, over 47 updates
 * (measured: 4.4e-16 of max |theta| = 2.9); allowed 1e-12 relative to max |theta|. */
static int read_vector(const char *path, const char *key, double *v, int cap)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[16384];
    int n = -1;
    while (n < 0 && fgets(line, sizeof line, fp)) {
        size_t len = strlen(key);
        if (strncmp(line, key, len) || line[len] != '\t')
            continue;
        n = 0;
        for (char *p = line + len, *end; *p && *p != '\n' && n < cap; p = end) {
            v[n] = strtod(p, &end);
            if (end == p)
                break;
            n++;
        }
    }
    fclose(fp);
    return n;
}

Test(minibatch, cyclic_matches_a_pytorch_loop)
{
    double theta0[64], want[64];
    const char *ref = LSC_TEST_DATA "/minibatch_cyclic.tsv";
    int n = read_vector(ref, "theta0", theta0, 64);
    cr_assert_eq(n, 26, "3-5-1 mlp: 3*5 + 5 + 5 + 1 parameters");
    cr_assert_eq(read_vector(ref, "theta", want, 64), n);
    char start[2048];
    size_t w = 0;
    for (int i = 0; i < n; i++)
        w += (size_t)snprintf(start + w, sizeof start - w, "%s%.17g", i ? "," : "", theta0[i]);
    const char *kv[] = {"landscape", "mlp:hidden=5,act=tanh,loss=bce", "data",
                        LSC_TEST_DATA "/models_bin.csv", "optimizer",
                        "sgd:lr=0.2,momentum=0.9", "batch_size", "32", "sampling", "cyclic",
                        "steps", "47", "start", start, NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->step[r->len - 1], 47);
    const double *got = r->x + (r->len - 1) * (size_t)t.npos;
    double scale = 0, err = 0;
    for (int i = 0; i < n; i++) {
        scale = fmax(scale, fabs(want[i]));
        err = fmax(err, fabs(got[i] - want[i]));
    }
    cr_expect_leq(err, 1e-12 * scale, "max |theta - torch| = %g (scale %g)", err, scale);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* The mini-batch options go to the trajectory header of a model's run and read back; a
 * bad value in a file names the file, the line and the key. */
Test(minibatch, options_round_trip_through_the_header)
{
    const char *kv[] = {"landscape", "linreg", "data", "linear:n=30", "optimizer", "sgd",
                        "batch_size", "4", "sampling", "replace", "drop_last", "on",
                        "epochs", "2", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t, u;
    run(x, &t);
    char path[] = "/tmp/lsc_minibatch_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    lsc_error e = {0};
    cr_assert_eq(lsc_trajectory_write(&t, path, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_trajectory_read(&u, path, &e), LSC_OK, "%s", e.msg);
    cr_expect_eq(u.batch_size, 4);
    cr_expect_eq(u.sampling, LSC_SAMPLE_REPLACE);
    cr_expect_eq(u.drop_last, 1);
    cr_expect_eq(u.epochs, 2);
    cr_expect_eq(u.steps, 2 * 7, "two epochs of floor(30/4) updates");
    lsc_trajectory_free(&u);
    /* a bad value in the file */
    FILE *fp = fopen(path, "r");
    char text[65536];
    size_t len = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[len] = '\0';
    char *at = strstr(text, "# sampling: replace");
    cr_assert_not_null(at);
    memcpy(at + strlen("# sampling: "), "rxplace", 7);
    fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    lsc_error_clear(&e);
    cr_expect_neq(lsc_trajectory_read(&u, path, &e), LSC_OK);
    cr_expect(strstr(e.msg, "sampling"), "%s", e.msg);
    lsc_trajectory_free(&u);
    unlink(path);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* ---- the optional columns of a model's rows (trajectory.h) -------------------------- */

/* Updates per epoch, counted here by hand: ceil(N/B), floor(N/B) with drop_last. */
static long updates_per_epoch(long N, long B, int drop_last)
{
    return drop_last ? N / B : (N + B - 1) / B;
}

/* epoch of row k is k / U: with and without drop_last, with B dividing N and not, with
 * full batches (U = 1), and an epoch budget ends on its integer. */
Test(columns, epoch_is_updates_over_updates_per_epoch)
{
    static const struct {
        const char *batch;
        int drop_last;
        const char *epochs;
    } cases[] = {{"7", 0, "3"}, {"7", 1, "3"}, {"5", 0, "2"}, {"5", 1, "2"},
                 {"1", 0, "1"}, {"full", 0, "4"}, {"64", 0, "2"}};
    const long N = 40;
    for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
        const char *kv[] = {"landscape", "logreg", "data", "blobs:n=40,classes=2,seed=2",
                            "optimizer", "sgd:lr=0.1", "batch_size", cases[i].batch,
                            "drop_last", cases[i].drop_last ? "on" : "off", "epochs",
                            cases[i].epochs, NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        run(x, &t);
        const long B = !strcmp(cases[i].batch, "full") ? N : atol(cases[i].batch);
        const long U = updates_per_epoch(N, B < N ? B : N, cases[i].drop_last);
        const long E = atol(cases[i].epochs);
        cr_assert(t.cols >> LSC_COL_EPOCH & 1, "a model over data has an epoch column");
        const lsc_run_record *r = &t.runs[0];
        cr_assert_eq(r->len, (size_t)(E * U + 1), "case %d: %zu rows", i, r->len);
        /* examples: the batches of an epoch are B each but the last, N - (U-1) B without
         * drop_last (full batches: one of N) */
        const long Bm = B < N ? B : N, last = cases[i].drop_last ? Bm : N - (U - 1) * Bm;
        double examples = 0;
        for (size_t k = 0; k < r->len; k++) {
            cr_assert_eq(r->col[LSC_COL_EPOCH][k], (double)r->step[k] / (double)U,
                         "case %d row %zu: epoch %.17g", i, k, r->col[LSC_COL_EPOCH][k]);
            cr_assert_eq(r->col[LSC_COL_EXAMPLES][k], examples, "case %d row %zu: examples %g",
                         i, k, r->col[LSC_COL_EXAMPLES][k]);
            examples += (long)k % U == U - 1 ? last : Bm; /* update k + 1 is batch k mod U */
        }
        cr_assert_eq(r->col[LSC_COL_EPOCH][r->len - 1], (double)E, "ends on epoch %ld", E);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
}

/* batch_loss of row k is the loss of the batch update k used, at the x it started from
 * (row k - 1, every = 1): against lsc_model_fdf on batches made here, by hand for cyclic
 * (examples (k-1)B .. kB-1 mod the epoch) and by a fresh sampler of the same seed and run
 * for shuffle; full batches: the loss at the previous row. Row 0: nan. */
Test(columns, batch_loss_is_the_loss_of_the_batch_used)
{
    static const char *const modes[] = {"cyclic", "shuffle", "replace"};
    const int N = 30, B = 8, n = 3;
    for (int mode = 0; mode < 4; mode++) {
        const char *kv[] = {"landscape", "logreg", "data", "blobs:n=30,classes=2,seed=4",
                            "optimizer", "sgd:lr=0.3", "batch_size", mode < 3 ? "8" : "full",
                            "sampling", mode < 3 ? modes[mode] : "shuffle", "steps", "11",
                            "seed", "9", NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        run(x, &t);
        const lsc_model *M = lsc_landscape_model(lsc_experiment_landscape(x));
        const lsc_run_record *r = &t.runs[0];
        cr_assert_eq(r->len, 12);
        cr_assert(isnan(r->col[LSC_COL_BATCH_LOSS][0]), "row 0: no update yet");
        double *work = malloc(lsc_model_work_size(M) * sizeof *work), g[3];
        lsc_error e = {0};
        static const lsc_sampling as[] = {LSC_SAMPLE_CYCLIC, LSC_SAMPLE_SHUFFLE,
                                          LSC_SAMPLE_REPLACE}; /* modes[] */
        lsc_sampler *s = mode < 3 ? lsc_sampler_new(N, B, as[mode], 0, 9, 0, &e) : NULL;
        cr_assert(mode == 3 || s, "%s", e.msg);
        for (size_t k = 1; k < r->len; k++) {
            const double *xprev = r->x + (k - 1) * n;
            double want;
            if (mode == 3) {
                want = r->loss[k - 1];
            } else if (mode == 0) { /* cyclic, by hand: 4 batches an epoch, the last of 6 */
                int idx[8], m = 0, b = (int)((k - 1) % 4);
                for (int i = b * B; i < N && i < (b + 1) * B; i++)
                    idx[m++] = i;
                want = lsc_model_fdf(M, M->train, idx, m, xprev, g, NULL, work);
            } else {
                const int *idx;
                int m = lsc_sampler_next(s, &idx);
                want = lsc_model_fdf(M, M->train, idx, m, xprev, g, NULL, work);
            }
            cr_assert_eq(r->col[LSC_COL_BATCH_LOSS][k], want, "%s row %zu: %.17g, want %.17g",
                         mode < 3 ? modes[mode] : "full", k, r->col[LSC_COL_BATCH_LOSS][k],
                         want);
        }
        lsc_sampler_free(s);
        free(work);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
}

/* Predictions counted by hand from the logits: bce z > 0 means 1, ce the largest logit. */
static double accuracy_by_hand(const lsc_model *M, const lsc_dataset *D, const double *theta,
                               double *work)
{
    const int C = M->size[M->nlayers];
    double *z = malloc((size_t)D->n * C * sizeof *z);
    lsc_model_predict(M, D->X, D->n, theta, z, work);
    int right = 0;
    for (int i = 0; i < D->n; i++) {
        int pred = 0;
        if (C == 1)
            pred = z[i] > 0;
        else
            for (int c = 1; c < C; c++)
                if (z[i * C + c] > z[i * C + pred])
                    pred = c;
        right += pred == (int)D->y[i];
    }
    free(z);
    return (double)right / D->n;
}

/* test_loss, acc and test_acc on recorded rows (every 4th), against the model evaluated
 * here at the row's x: lsc_model_fdf on the holdout, and accuracies counted by hand; the
 * columns a file has follow from its header (regression: no acc; no holdout: no test_*). */
Test(columns, holdout_and_accuracy_columns)
{
    static const char *const models[] = {"logreg", "softmax", "mlp:hidden=5,act=tanh"};
    static const char *const sets[] = {"blobs:n=50,classes=2,seed=3", "spiral:n=60,seed=3",
                                       "xor:n=64,seed=3"};
    for (int m = 0; m < 3; m++) {
        const char *kv[] = {"landscape", models[m], "data", sets[m], "holdout", "0.25",
                            "optimizer", "adam:lr=0.05", "batch_size", "8", "steps", "21",
                            "every", "4", NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        run(x, &t);
        const lsc_model *M = lsc_landscape_model(lsc_experiment_landscape(x));
        cr_assert_not_null(M->test);
        const unsigned long long want = (1ULL << LSC_COL_EPOCH) | (1ULL << LSC_COL_EXAMPLES) |
                                        (1ULL << LSC_COL_BATCH_LOSS) |
                                        (1ULL << LSC_COL_TEST_LOSS) | (1ULL << LSC_COL_ACC) |
                                        (1ULL << LSC_COL_TEST_ACC);
        cr_assert_eq(t.cols, want, "%s: columns %llx", models[m], t.cols);
        double *work = malloc(lsc_model_work_size(M) * sizeof *work);
        const lsc_run_record *r = &t.runs[0];
        cr_assert_eq(r->len, 7, "rows 0, 4, ..., 20 and 21");
        for (size_t k = 0; k < r->len; k++) {
            const double *th = r->x + k * M->n;
            cr_assert_eq(r->col[LSC_COL_TEST_LOSS][k],
                         lsc_model_fdf(M, M->test, NULL, M->test->n, th, NULL, NULL, work));
            cr_assert_eq(r->col[LSC_COL_ACC][k], accuracy_by_hand(M, M->train, th, work),
                         "%s row %zu", models[m], k);
            cr_assert_eq(r->col[LSC_COL_TEST_ACC][k], accuracy_by_hand(M, M->test, th, work));
            cr_assert_eq(r->loss[k],
                         lsc_model_fdf(M, M->train, NULL, M->train->n, th, NULL, NULL, work));
        }
        free(work);
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
    /* a regression set: no acc; no holdout: no test columns */
    const char *kv[] = {"landscape", "linreg", "data", "linear:n=20", "optimizer", "sgd",
                        "steps", "3", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    cr_assert_eq(t.cols, (1ULL << LSC_COL_EPOCH) | (1ULL << LSC_COL_EXAMPLES) |
                             (1ULL << LSC_COL_BATCH_LOSS));
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* time: only with record_time; 0 on row 0, then non-decreasing wall seconds. */
Test(columns, time_only_when_asked)
{
    const char *kv[] = {"landscape", "logreg", "data", "blobs:n=40,classes=2", "optimizer",
                        "sgd", "batch_size", "4", "steps", "50", "every", "5", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    cr_assert_eq(t.cols >> LSC_COL_TIME & 1, 0, "no time column unless asked");
    lsc_trajectory_free(&t);
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_set(x, "record_time", "on", &e), LSC_OK, "%s", e.msg);
    run(x, &t);
    cr_assert(t.cols >> LSC_COL_TIME & 1);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->col[LSC_COL_TIME][0], 0);
    for (size_t k = 1; k < r->len; k++)
        cr_assert_geq(r->col[LSC_COL_TIME][k], r->col[LSC_COL_TIME][k - 1]);
    cr_assert_gt(r->col[LSC_COL_TIME][r->len - 1], 0);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* ---- curves against epochs and examples (plot option xaxis) --------------------------- */

/* Column col (0: x) of block `block` of FIG.curves.tsv (at most max rows). */
static int curves_col(const char *path, int block, int col, double *x, int max)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[4096];
    int b = -1, n = 0;
    while (fgets(line, sizeof line, fp)) {
        if (!strncmp(line, "# run ", 6)) {
            b++;
            continue;
        }
        if (line[0] == '#' || line[0] == '\n' || b != block || n == max)
            continue;
        char *p = line;
        for (int c = 0; c < col; c++)
            p = strchr(p, ' ') + 1;
        x[n++] = strtod(p, NULL);
    }
    fclose(fp);
    return n;
}

/* xaxis=examples counts the examples the updates used, summed here batch by batch (an
 * epoch of 40 in batches of 7: 7, 7, 7, 7, 7, 5; with drop_last the 5 is dropped), and
 * xaxis=epoch draws the epoch column; both through the figure's data file. */
Test(columns, curves_x_axis_counts_epochs_and_examples)
{
    char dir[] = "/tmp/lsc_xaxis_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    for (int drop = 0; drop < 2; drop++) {
        const char *kv[] = {"landscape", "logreg", "data", "blobs:n=40,classes=2,seed=2",
                            "optimizer", "sgd:lr=0.1", "batch_size", "7", "drop_last",
                            drop ? "on" : "off", "steps", "17", NULL};
        lsc_experiment *x = experiment(kv);
        lsc_trajectory t;
        run(x, &t);
        const lsc_landscape *L = lsc_experiment_landscape(x);
        double want[18] = {0}, got[40];
        const int U = drop ? 5 : 6;
        for (int k = 1; k <= 17; k++) /* batch k - 1 of its epoch */
            want[k] = want[k - 1] + ((k - 1) % U == 5 ? 5 : 7);
        for (int axis = 0; axis < 2; axis++) {
            lsc_plot_opts o;
            lsc_plot_opts_default(&o);
            lsc_error e = {0};
            char out[128], data[160];
            snprintf(out, sizeof out, "%s/f%d%d.png", dir, drop, axis);
            cr_assert_eq(lsc_plot_opts_set(&o, "kind", "curves", &e), LSC_OK, "%s", e.msg);
            cr_assert_eq(lsc_plot_opts_set(&o, "xaxis", axis ? "epoch" : "examples", &e),
                         LSC_OK, "%s", e.msg);
            cr_assert_eq(lsc_plot_opts_set(&o, "out", out, &e), LSC_OK, "%s", e.msg);
            o.no_render = 1;
            cr_assert_eq(lsc_plot_render(&t, L, &o, &e), LSC_OK, "%s", e.msg);
            snprintf(data, sizeof data, "%s.curves.tsv", out);
            cr_assert_eq(curves_col(data, 0, 0, got, 40), 18);
            for (int k = 0; k <= 17; k++)
                cr_assert_eq(got[k], axis ? (double)k / U : want[k],
                             "drop_last %d, %s, row %d: %g", drop, axis ? "epoch" : "examples",
                             k, got[k]);
        }
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* An x axis the runs do not have is refused before any work, naming the key: epoch and
 * examples without a model over data, time without record_time. */
Test(columns, curves_x_axis_the_runs_lack_is_refused)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("sphere", 2, "landscape", &e);
    cr_assert_not_null(L, "%s", e.msg);
    static const char *const axes[] = {"epoch", "examples", "time"};
    for (int a = 0; a < 3; a++) {
        lsc_plot_opts o;
        lsc_plot_opts_default(&o);
        cr_assert_eq(lsc_plot_opts_set(&o, "kind", "curves", &e), LSC_OK, "%s", e.msg);
        cr_assert_eq(lsc_plot_opts_set(&o, "xaxis", axes[a], &e), LSC_OK, "%s", e.msg);
        cr_assert_eq(lsc_plot_opts_set(&o, "out", "/tmp/never-written.png", &e), LSC_OK);
        cr_assert_eq(lsc_plot_opts_check(&o, L, 2, 0, 0, 2, &e), LSC_EINVAL, "%s", axes[a]);
        char want[32];
        snprintf(want, sizeof want, "xaxis=%s: ", axes[a]);
        cr_assert(!strncmp(e.msg, want, strlen(want)), "%s", e.msg);
        /* with the column: accepted */
        static const int need[] = {LSC_COL_EPOCH, LSC_COL_EXAMPLES, LSC_COL_TIME};
        const unsigned long long has = 1ULL << need[a];
        cr_assert_eq(lsc_plot_opts_check(&o, L, 2, 0, has, 2, &e), LSC_OK, "%s", e.msg);
    }
    lsc_landscape_free(L);
}

/* Panels of the optional columns (curves=batch_loss,acc,...) draw the columns as they are
 * (batch_loss's nan on row 0 stays a gap); a column the runs lack is refused. */
Test(columns, curves_panels_of_the_columns)
{
    char dir[] = "/tmp/lsc_colpanel_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *kv[] = {"landscape", "logreg", "data", "blobs:n=40,classes=2,seed=2",
                        "optimizer", "sgd:lr=0.1", "batch_size", "8", "steps", "9", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    run(x, &t);
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    lsc_error e = {0};
    char out[128], data[160];
    snprintf(out, sizeof out, "%s/f.png", dir);
    cr_assert_eq(lsc_plot_opts_set(&o, "kind", "curves", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "curves", "batch_loss,acc", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "out", out, &e), LSC_OK, "%s", e.msg);
    o.no_render = 1;
    cr_assert_eq(lsc_plot_render(&t, lsc_experiment_landscape(x), &o, &e), LSC_OK, "%s", e.msg);
    snprintf(data, sizeof data, "%s.curves.tsv", out);
    double bl[16], acc[16];
    cr_assert_eq(curves_col(data, 0, 1, bl, 16), 10);
    cr_assert_eq(curves_col(data, 0, 2, acc, 16), 10);
    const lsc_run_record *r = &t.runs[0];
    cr_assert(isnan(bl[0]));
    for (int k = 1; k < 10; k++)
        cr_assert_float_eq(bl[k], r->col[LSC_COL_BATCH_LOSS][k], 1e-9 * bl[k], "row %d", k);
    for (int k = 0; k < 10; k++)
        cr_assert_float_eq(acc[k], r->col[LSC_COL_ACC][k], 1e-9, "row %d", k);
    /* no holdout: no test_loss */
    cr_assert_eq(lsc_plot_opts_set(&o, "curves", "loss,test_loss", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_render(&t, lsc_experiment_landscape(x), &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "panel 'test_loss' needs the runs' test_loss column"), "%s", e.msg);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
