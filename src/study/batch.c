/* batch.c — `study batch`: batch gradient descent, mini-batches and SGD, the note's table
 * measured
 *
 * For one model over one data set (N examples, n parameters), one start and one
 * optimizer, each batch size B of the list (full: B = N, the exact gradient) gets:
 *
 *   examples per gradient   B (full: N)
 *   updates per epoch       counted from the sampler over one epoch, next to ceil(N/B)
 *                           (floor(N/B) with drop_last)
 *   working-set memory      8 bytes x (B (d + 1) + 2 B sum_l width_l + 2 n): the batch
 *                           (d features and a target each), every layer's outputs and
 *                           their gradients for backpropagation, the parameters and the
 *                           gradient — what a framework holding the whole batch needs
 *                           (losscape itself streams a batch in blocks of LSC_MODEL_CHUNK)
 *   gradient noise          at the start x0: E |g_B - grad f|^2, the trace of the batch
 *                           gradient's covariance, exact from the N per-example gradients,
 *                           sigma^2 / B (N - B)/(N - 1) without replacement, sigma^2 / B
 *                           with (lsc_batch_noise; Cochran 1977, thm 2.2), next to its
 *                           mean over K batches drawn from the sampler (drop_last: each
 *                           of exactly B) with the standard error sd / sqrt(K)
 *   time per epoch          the best of 5 timed runs through the driver loop (3 epochs,
 *                           at least 30 updates), the one full evaluation at their end
 *                           subtracted
 *   loss after E epochs     the exact full-data loss, mean and sd over the seeds (the
 *                           seeds change the batches, not the start)
 *   stability               the sd of the loss over the last epoch's recorded rows about
 *                           their least-squares line (a steady decrease is not noise)
 *   to the target loss      the first recorded row at or below it: updates, examples
 *                           seen, and wall time = updates x the measured time per update
 *
 * Runs go through lsc_run (run.h) with the loss recorded about `rows` times an epoch.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study_impl.h"

enum {
    P_LANDSCAPE,
    P_DATA,
    P_OPTIMIZER,
    P_INIT,
    P_BATCH_SIZES,
    P_SAMPLING,
    P_DROP_LAST,
    P_EPOCHS,
    P_SEEDS,
    P_SEED,
    P_TARGET_LOSS,
    P_SAMPLES,
    P_ROWS,
    P_FORMAT,
    P_VERDICTS,
    P_MINIMA_LANDSCAPE,
    P_MINIMA_DATA,
    P_MINIMA_TARGET,
    P_MINIMA_RUNS,
    P_MINIMA_EPOCHS,
    P_FULL_SIZES,
    P_FULL_BATCH,
    P_FULL_EPOCHS,
    P_POW2_SIZES,
};

static const lsc_study_opt batch_opts[] = {
    [P_LANDSCAPE] = {"landscape", LSC_STUDY_TEXT, "mlp:hidden=8,act=tanh", 0, 0, NULL,
                     "the model (linreg, logreg, softmax, mlp:...)"},
    [P_DATA] = {"data", LSC_STUDY_TEXT, "circle:n=2000,noise=0.1", 0, 0, NULL,
                "the data set (a generator spec or a .tsv/.csv file)"},
    [P_OPTIMIZER] = {"optimizer", LSC_STUDY_TEXT, "sgd:lr=0.1", 0, 0, NULL,
                     "the optimizer of every run"},
    [P_INIT] = {"init", LSC_STUDY_TEXT, "torch", 0, 0, NULL,
                "the start: an initialisation scheme, drawn once with the seed"},
    [P_BATCH_SIZES] = {"batch_sizes", LSC_STUDY_SIZES, "1,8,32,128,512,full", 1, 1e7, NULL,
                       "the batch sizes compared (full: the whole data set)"},
    [P_SAMPLING] = {"sampling", LSC_STUDY_CHOICE, "shuffle", 0, 0, LSC_SAMPLING_NAMES,
                    "how batches are drawn"},
    [P_DROP_LAST] = {"drop_last", LSC_STUDY_BOOL, "false", 0, 0, NULL,
                     "drop each epoch's short last batch"},
    [P_EPOCHS] = {"epochs", LSC_STUDY_INT, "10", 1, 100000, NULL,
                  "epochs of every run"},
    [P_SEEDS] = {"seeds", LSC_STUDY_INT, "3", 1, 1000, NULL,
                 "runs per batch size (their batches differ)"},
    [P_SEED] = {"seed", LSC_STUDY_INT, "1", 0, 9e15, NULL,
                "the seed of the data, the start and the batches"},
    [P_TARGET_LOSS] = {"target_loss", LSC_STUDY_REAL, "0.3", 0, 1e300, NULL,
                       "the loss level of 'examples and time to reach'"},
    [P_SAMPLES] = {"samples", LSC_STUDY_INT, "1000", 2, 1000000, NULL,
                   "batches drawn for the sampled noise estimate (K)"},
    [P_ROWS] = {"rows", LSC_STUDY_INT, "20", 1, 10000, NULL,
                "loss evaluations per epoch recorded (at most one per update)"},
    [P_FORMAT] = {"format", LSC_STUDY_CHOICE, "png", 0, 0, "png|svg|pdf",
                  "image format of the figures"},
    [P_VERDICTS] = {"verdicts", LSC_STUDY_BOOL, "true", 0, 0, NULL,
                    "also the three verdicts: local minima, full batch for small N, powers "
                    "of two"},
    [P_MINIMA_LANDSCAPE] = {"minima_landscape", LSC_STUDY_TEXT, "mlp:hidden=2,act=tanh", 0, 0,
                            NULL, "local minima: the model"},
    [P_MINIMA_DATA] = {"minima_data", LSC_STUDY_TEXT, "xor:n=200", 0, 0, NULL,
                       "local minima: the data set"},
    [P_MINIMA_TARGET] = {"minima_target", LSC_STUDY_REAL, "0.2", 0, 1e300, NULL,
                         "local minima: a loss below the spurious minimum's (reached = "
                         "escaped to a better one)"},
    [P_MINIMA_RUNS] = {"minima_runs", LSC_STUDY_INT, "10", 1, 1000, NULL,
                       "local minima: runs per batch size from the spurious minimum"},
    [P_MINIMA_EPOCHS] = {"minima_epochs", LSC_STUDY_INT, "100", 1, 100000, NULL,
                         "local minima: the budget of each run, in epochs"},
    [P_FULL_SIZES] = {"full_sizes", LSC_STUDY_LIST, "250,500,1000,2000,4000,8000", 2, 1e6,
                      NULL, "full batch for small N: the data set sizes N (its n= key)"},
    [P_FULL_BATCH] = {"full_batch", LSC_STUDY_INT, "32", 1, 1e7, NULL,
                      "full batch for small N: the mini-batch size it is compared with"},
    [P_FULL_EPOCHS] = {"full_epochs", LSC_STUDY_INT, "1000", 1, 1e6, NULL,
                       "full batch for small N: the budget in epochs"},
    [P_POW2_SIZES] = {"pow2_sizes", LSC_STUDY_SIZES, "127,128,129,255,256,257", 1, 1e7, NULL,
                      "powers of two: the batch sizes timed"},
};

/* "noise": the run index of the sampler whose batches make the sampled noise estimate
 * (src/streams.h lists it) */
#define NOISE_STREAM 0x6e6f697365ULL

/* What one batch size measured. */
typedef struct {
    long B;               /* as listed (0: full) */
    long b;               /* examples per update: min(B, N), N for full */
    long upe, upe_theory; /* updates per epoch: counted, formula */
    double mem;           /* bytes */
    double noise, sampled, se;
    double loss_mean, loss_sd, loss_min, loss_max;
    double stability;
    int reached;          /* seeds that reached the target */
    double upd_target, ex_target; /* means over the seeds that reached it */
    double t_update, t_epoch, t_target;
    int diverged;         /* runs that did not finish */
    study_rows curve;     /* the first seed's recorded rows (figures) */
} batch_row;

typedef struct {
    const lsc_study_args *a;
    lsc_study_out *out;
    study_model m;
    lsc_sampling sampling;
    int drop_last, epochs, seeds, rows;
    unsigned long long seed;
    double target;
    double *G;            /* N x n per-example gradients at x0 */
    double *gfull, *gb, *work;
    double sigma2;        /* lsc_grad_spread of G */
    batch_row *row;
    int nrows;
    FILE *curves;         /* batch-curves.tsv */
} batch_ctx;

/* ---- the rows of the table --------------------------------------------------------- */

/* 8 (B (d + 1) + 2 B sum_l width_l + 2 n), see the top of the file */
static double memory_bytes(const lsc_model *M, long b)
{
    double widths = 0;
    for (int l = 1; l <= M->nlayers; l++)
        widths += M->size[l];
    return 8.0 * ((double)b * (M->size[0] + 1) + 2.0 * (double)b * widths + 2.0 * M->n);
}

/* Updates in one epoch, counted from a sampler (full batch: 1). */
static long count_updates(batch_ctx *c, long b, lsc_error *err)
{
    if (b >= c->m.N && !c->drop_last && c->sampling != LSC_SAMPLE_REPLACE)
        return 1;
    lsc_sampler *s = lsc_sampler_new(c->m.N, (int)b, c->sampling, c->drop_last, c->seed, 0, err);
    if (!s)
        return -1;
    long k = 0;
    const int *idx;
    while (lsc_sampler_next(s, &idx), lsc_sampler_epoch(s) == 1)
        k++;
    lsc_sampler_free(s);
    return k;
}

/* The per-example gradients at x0 into c->G, and the full gradient. */
static int per_example(batch_ctx *c, lsc_error *err)
{
    const int N = c->m.N, n = c->m.n;
    const lsc_model *M = c->m.M;
    c->G = malloc((size_t)N * (size_t)n * sizeof *c->G);
    c->gfull = malloc((size_t)n * sizeof *c->gfull);
    c->gb = malloc((size_t)n * sizeof *c->gb);
    c->work = malloc(lsc_model_work_size(M) * sizeof *c->work);
    if (!c->G || !c->gfull || !c->gb || !c->work) {
        lsc_error_set(err, LSC_ENOMEM, "noise: out of memory for %d per-example gradients of %d "
                      "parameters", N, n);
        return LSC_ENOMEM;
    }
    for (int i = 0; i < N; i++)
        lsc_model_fdf(M, M->train, &i, 1, c->m.x0, c->G + (size_t)i * n, NULL, c->work);
    lsc_model_fdf(M, M->train, NULL, N, c->m.x0, c->gfull, NULL, c->work);
    c->sigma2 = lsc_grad_spread(c->G, N, n);
    return LSC_OK;
}

/* The mean of |g_B - grad f|^2 over K batches of exactly b from the sampler, and its
 * standard error. */
static int sampled_noise(batch_ctx *c, long b, double *mean, double *se, lsc_error *err)
{
    const int n = c->m.n, K = (int)c->a->num[P_SAMPLES];
    lsc_sampler *s = lsc_sampler_new(c->m.N, (int)b, c->sampling, 1, c->seed, NOISE_STREAM, err);
    if (!s)
        return err->code ? err->code : LSC_ENOMEM;
    double sum = 0, sum2 = 0;
    for (int k = 0; k < K; k++) {
        const int *idx;
        int m = lsc_sampler_next(s, &idx);
        lsc_model_fdf(c->m.M, c->m.M->train, idx, m, c->m.x0, c->gb, NULL, c->work);
        double d = 0;
        for (int j = 0; j < n; j++)
            d += (c->gb[j] - c->gfull[j]) * (c->gb[j] - c->gfull[j]);
        sum += d;
        sum2 += d * d;
    }
    lsc_sampler_free(s);
    *mean = sum / K;
    double var = (sum2 - sum * sum / K) / (K - 1);
    *se = sqrt(fmax(var, 0) / K);
    return LSC_OK;
}

/* Examples seen after k updates of batches of b, ceil(N/b) a epoch (the last one short)
 * or floor(N/b) with drop_last. */
static double examples_after(const batch_ctx *c, const batch_row *r, long k)
{
    const long per_epoch = c->drop_last ? r->upe * r->b : c->m.N;
    const long e = k / r->upe, rest = k % r->upe;
    return (double)e * per_epoch + (double)rest * r->b;
}

/* One seed's run: loss after the epochs, stability, the target; its rows to the curves
 * file. Returns LSC_OK or an error. */
static int one_seed(batch_ctx *c, batch_row *r, int s, study_rows *rows, double *loss,
                    double *stab, long *to_target, lsc_error *err)
{
    study_run_opts q = {
        .batch = r->B == LSC_STUDY_FULL ? 0 : r->b,
        .sampling = c->sampling,
        .drop_last = c->drop_last,
        .steps = (long)c->epochs * r->upe,
        .every = r->upe / c->rows > 0 ? r->upe / c->rows : 1,
        .seed = c->seed,
        .run = s,
        .stop_loss = NAN,
    };
    int rc = study_run(&c->m, &q, NULL, rows, err);
    if (rc < 0)
        return rc;
    const size_t n = rows->n;
    *loss = rc == LSC_STOP_MAX_STEPS && n ? rows->loss[n - 1] : NAN;
    size_t first = n;
    while (first > 0 && rows->step[first - 1] >= q.steps - r->upe)
        first--;
    *stab = study_detrended_sd(rows->step + first, rows->loss + first, n - first);
    *to_target = -1;
    for (size_t i = 0; i < n && *to_target < 0; i++)
        if (rows->loss[i] <= c->target)
            *to_target = rows->step[i];
    char bn[32];
    study_size_name(r->B, bn, sizeof bn);
    for (size_t i = 0; i < n; i++)
        fprintf(c->curves, "%s\t%d\t%ld\t%.17g\t%.17g\t%.17g\t%.6g\n", bn, s + 1, rows->step[i],
                (double)rows->step[i] / r->upe, examples_after(c, r, rows->step[i]),
                rows->loss[i], (double)rows->step[i] * r->t_update);
    return LSC_OK;
}

/* Everything of batch size B into r. */
static int measure(batch_ctx *c, batch_row *r, lsc_error *err)
{
    const long N = c->m.N;
    r->b = r->B == LSC_STUDY_FULL || r->B > N ? N : r->B;
    r->upe_theory = lsc_batches_per_epoch(N, r->b, c->drop_last);
    if ((r->upe = count_updates(c, r->b, err)) < 0)
        return err->code;
    r->mem = memory_bytes(c->m.M, r->b);
    r->noise = lsc_batch_noise(c->G, (int)N, c->m.n, (int)r->b,
                               c->sampling == LSC_SAMPLE_REPLACE);
    int rc = sampled_noise(c, r->b, &r->sampled, &r->se, err);
    if (rc != LSC_OK)
        return rc;
    study_run_opts q = {.batch = r->B == LSC_STUDY_FULL ? 0 : r->b, .sampling = c->sampling,
                        .drop_last = c->drop_last, .seed = c->seed, .stop_loss = NAN};
    /* at least 30 updates a timed run (full batch: 3 epochs are 3 updates, too short to
     * time on a busy machine); the best of 5 */
    q.steps = r->upe * (c->epochs < 3 ? c->epochs : 3);
    q.steps = q.steps < 30 ? 30 : q.steps;
    r->t_update = study_update_seconds(&c->m, &q, 5, err);
    if (isnan(r->t_update))
        return err->code;
    r->t_epoch = r->t_update * r->upe;

    double loss[1000], stab[1000], upd[1000];
    int nl = 0;
    r->reached = 0;
    study_rows rows = {0};
    for (int s = 0; s < c->seeds; s++) {
        double l, st;
        long k;
        rc = one_seed(c, r, s, s == 0 ? &r->curve : &rows, &l, &st, &k, err);
        if (rc != LSC_OK)
            break;
        if (isnan(l)) {
            r->diverged++;
            continue;
        }
        loss[nl] = l;
        stab[nl++] = st;
        if (k >= 0)
            upd[r->reached++] = (double)k;
    }
    study_rows_free(&rows);
    if (rc != LSC_OK)
        return rc;
    double sd;
    study_mean_sd(loss, nl, &r->loss_mean, &r->loss_sd);
    study_mean_sd(stab, nl, &r->stability, &sd);
    r->loss_min = INFINITY, r->loss_max = -INFINITY;
    for (int i = 0; i < nl; i++)
        r->loss_min = fmin(r->loss_min, loss[i]), r->loss_max = fmax(r->loss_max, loss[i]);
    if (!nl)
        r->loss_min = r->loss_max = NAN;
    study_mean_sd(upd, r->reached, &r->upd_target, &sd);
    r->ex_target = NAN;
    if (r->reached) {
        double ex = 0;
        for (int i = 0; i < r->reached; i++)
            ex += examples_after(c, r, (long)upd[i]);
        r->ex_target = ex / r->reached;
    }
    r->t_target = r->upd_target * r->t_update;
    return LSC_OK;
}

/* ---- the files ----------------------------------------------------------------------- */

static void write_tsv(const batch_ctx *c, FILE *fp)
{
    fputs("batch_size\texamples_per_gradient\tupdates_per_epoch\tupdates_per_epoch_formula\t"
          "memory_bytes\tnoise_exact\tnoise_sampled\tnoise_sampled_se\tnoise_samples\t"
          "loss_mean\tloss_sd\tloss_min\tloss_max\tstability\truns\truns_reached\t"
          "updates_to_target\texamples_to_target\ttime_per_epoch_s\ttime_to_target_s\n", fp);
    for (int i = 0; i < c->nrows; i++) {
        const batch_row *r = &c->row[i];
        char bn[32];
        fprintf(fp, "%s\t%ld\t%ld\t%ld\t%.17g\t%.17g\t%.17g\t%.17g\t%d\t%.17g\t%.17g\t%.17g\t"
                "%.17g\t%.17g\t%d\t%d\t%.17g\t%.17g\t%.6g\t%.6g\n",
                study_size_name(r->B, bn, sizeof bn), r->b, r->upe, r->upe_theory, r->mem,
                r->noise, r->sampled, r->se, (int)c->a->num[P_SAMPLES], r->loss_mean, r->loss_sd,
                r->loss_min, r->loss_max, r->stability, c->seeds, r->reached, r->upd_target,
                r->ex_target, r->t_epoch, r->t_target);
    }
}

/* One row of the Markdown table: the label, then each batch size's cell from cell(). */
static void md_row(FILE *fp, const batch_ctx *c, const char *label,
                   void (*cell)(const batch_ctx *, const batch_row *, char *, size_t))
{
    fprintf(fp, "| %s |", label);
    for (int i = 0; i < c->nrows; i++) {
        char buf[128];
        cell(c, &c->row[i], buf, sizeof buf);
        fprintf(fp, " %s |", buf);
    }
    fputc('\n', fp);
}

static void cell_ex(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%ld", r->b);
}
static void cell_upe(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%ld (%ld)", r->upe, r->upe_theory);
}
static void cell_mem(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%.0f", r->mem);
}
static void cell_noise(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%.4g", r->noise);
}
static void cell_sampled(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%.4g ± %.2g", r->sampled, r->se);
}
static void cell_time(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%.3g", 1e3 * r->t_epoch);
}
static void cell_loss(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    if (r->diverged)
        snprintf(b, n, "%.4g ± %.2g (%d of %d diverged)", r->loss_mean, r->loss_sd, r->diverged,
                 c->seeds);
    else
        snprintf(b, n, "%.4g ± %.2g", r->loss_mean, r->loss_sd);
}
static void cell_stab(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    snprintf(b, n, "%.2g", r->stability);
}
static void cell_target(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    if (!r->reached)
        snprintf(b, n, "not reached");
    else
        snprintf(b, n, "%.4g / %.4g (%d of %d)", r->upd_target, r->ex_target, r->reached,
                 c->seeds);
}
static void cell_ttarget(const batch_ctx *c, const batch_row *r, char *b, size_t n)
{
    (void)c;
    if (!r->reached)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.3g", r->t_target);
}

/* The sampled noise agrees with the exact value: within 4 standard errors of its mean (a
 * mean that far off by chance has probability 6e-5, normal approximation of a mean of K),
 * plus rounding (1e-12 sigma^2: at B = N the exact value is 0, the sampled one ~1e-32). */
static int noise_agrees(const batch_ctx *c, const batch_row *r)
{
    return fabs(r->sampled - r->noise) <= 4 * r->se + 1e-12 * c->sigma2;
}

/* The verdicts on the main table: each claim of the note, the numbers it rests on, and
 * whether the measurement agrees. */
static void md_verdicts(FILE *fp, const batch_ctx *c)
{
    int upe_ok = 1, noise_ok = 1;
    for (int i = 0; i < c->nrows; i++) {
        const batch_row *r = &c->row[i];
        upe_ok &= r->upe == r->upe_theory;
        noise_ok &= noise_agrees(c, r);
    }
    fprintf(fp, "\n## Verdicts\n\n");
    fprintf(fp, "- **Updates per epoch** %s the formula ceil(N/B)%s for every batch size.\n",
            upe_ok ? "agree with" : "DISAGREE with", c->drop_last ? " (floor, drop_last)" : "");
    fprintf(fp, "- **Gradient noise**: the sampled estimate is %s the exact value for every "
            "batch size (within 4 standard errors of the mean of K = %d batches).",
            noise_ok ? "within its Monte-Carlo error of" : "NOT within its Monte-Carlo error of",
            (int)c->a->num[P_SAMPLES]);
    if (!noise_ok)
        fprintf(fp, " Theory and measurement disagree for:");
    for (int i = 0; i < c->nrows && !noise_ok; i++) {
        const batch_row *r = &c->row[i];
        if (!noise_agrees(c, r))
            fprintf(fp, " B = %ld (%.4g against %.4g ± %.2g)", r->b, r->noise, r->sampled, r->se);
    }
    fputc('\n', fp);
    if (c->nrows >= 2) {
        const batch_row *lo = &c->row[0], *hi = &c->row[c->nrows - 1];
        fprintf(fp, "- **Noise against B** (the note: small batches give noisy gradients): "
                "from B = %ld to B = %ld the noise goes from %.4g to %.4g; the formula falls "
                "as 1/B, to 0 at B = N without replacement.\n", lo->b, hi->b, lo->noise,
                hi->noise);
        fprintf(fp, "- **Stability** (the note: SGD fluctuates, batch GD decreases smoothly): "
                "the detrended spread of the loss over the last epoch is %.2g at B = %ld and "
                "%.2g at B = %ld: %s.\n", lo->stability, lo->b, hi->stability, hi->b,
                lo->stability > hi->stability ? "the small batch is noisier, as the note says"
                                              : "the small batch is NOT noisier here");
        fprintf(fp, "- **Time per epoch** (the note: SGD is slow per epoch, it cannot use "
                "vectorised code): %.3g ms at B = %ld against %.3g ms at B = %ld, %.3g times.\n",
                1e3 * lo->t_epoch, lo->b, 1e3 * hi->t_epoch, hi->b, lo->t_epoch / hi->t_epoch);
        const batch_row *best = NULL;
        for (int i = 0; i < c->nrows; i++)
            if (!isnan(c->row[i].loss_mean) && (!best || c->row[i].loss_mean < best->loss_mean))
                best = &c->row[i];
        if (best)
            fprintf(fp, "- **Loss after %d epochs**: lowest at B = %ld (%.4g); full batch "
                    "makes %ld updates in that budget, B = %ld makes %ld.\n", c->epochs,
                    best->b, best->loss_mean, hi->upe * c->epochs, lo->b, lo->upe * c->epochs);
        const batch_row *fast = NULL;
        for (int i = 0; i < c->nrows; i++)
            if (c->row[i].reached && (!fast || c->row[i].t_target < fast->t_target))
                fast = &c->row[i];
        if (fast)
            fprintf(fp, "- **Time to the target loss %g**: shortest at B = %ld (%.3g s, %.4g "
                    "examples).\n", c->target, fast->b, fast->t_target, fast->ex_target);
        else
            fprintf(fp, "- **Target loss %g**: no batch size reached it in %d epochs.\n",
                    c->target, c->epochs);
    }
}

static void write_md(const batch_ctx *c, FILE *fp)
{
    const lsc_study_args *a = c->a;
    fprintf(fp, "# Batch size study\n\n");
    fprintf(fp, "Model `%s` on data `%s` (N = %d examples, n = %d parameters), start `%s` "
            "(seed %llu), optimizer `%s`, %d epochs, %d seeds per batch size (they change the "
            "batches, not the start), sampling %s%s. Command: `losscape study batch`",
            a->text[P_LANDSCAPE], a->text[P_DATA], c->m.N, c->m.n, a->text[P_INIT], c->seed,
            a->text[P_OPTIMIZER], c->epochs, c->seeds, a->text[P_SAMPLING],
            c->drop_last ? ", drop_last" : "");
    for (int i = 0; i < a->type->nopts; i++)
        if (a->given[i]) {
            fprintf(fp, " --");
            for (const char *p = a->type->opts[i].name; *p; p++)
                fputc(*p == '_' ? '-' : *p, fp);
            fprintf(fp, " '%s'", a->text[i]);
        }
    fprintf(fp, ".\n\nEach cell is the measurement, with the theory in parentheses where "
            "there is one. Wall times (ms, s) are this machine's and change from run to run; "
            "everything else is deterministic given the seed.\n\n");
    fprintf(fp, "| B |");
    for (int i = 0; i < c->nrows; i++) {
        char bn[32];
        fprintf(fp, " %s |", study_size_name(c->row[i].B, bn, sizeof bn));
    }
    fprintf(fp, "\n|---|");
    for (int i = 0; i < c->nrows; i++)
        fprintf(fp, "---|");
    fputc('\n', fp);
    md_row(fp, c, "examples per gradient", cell_ex);
    md_row(fp, c, "updates per epoch: counted (formula)", cell_upe);
    md_row(fp, c, "working-set memory of one update, bytes (formula)", cell_mem);
    md_row(fp, c, "gradient noise tr Cov(g_B) at the start: exact", cell_noise);
    md_row(fp, c, "... sampled, mean ± standard error", cell_sampled);
    md_row(fp, c, "time per epoch, ms", cell_time);
    md_row(fp, c, "loss after the epochs, mean ± sd over seeds", cell_loss);
    md_row(fp, c, "stability: sd of the loss over the last epoch (detrended)", cell_stab);
    md_row(fp, c, "to the target loss: updates / examples (runs)", cell_target);
    md_row(fp, c, "wall time to the target loss, s", cell_ttarget);
    fprintf(fp, "\nFormulas. Updates per epoch: ceil(N/B) (floor(N/B) with drop_last). Memory: "
            "8 bytes × (B (d + 1) + 2 B Σ_l width_l + 2 n), the batch, every layer's outputs "
            "and their gradients, the parameters and the gradient (losscape itself streams a "
            "batch in blocks of %d examples). Noise: σ²/B · (N − B)/(N − 1) without "
            "replacement, σ²/B with, σ² = (1/N) Σ_i |∇ℓ_i − ∇f|² = %.6g at the start; sampled: "
            "the mean of |g_B − ∇f|² over K = %d batches of exactly B from the sampler, ± its "
            "standard error sd/√K. Time per epoch: the best of 5 timed runs (3 epochs, at least "
            "30 updates), the evaluation at their end subtracted. Time to target: updates to the first recorded row at or "
            "below %g (the loss is recorded about %d times an epoch) × the measured time per "
            "update.\n", LSC_MODEL_CHUNK, c->sigma2,
            (int)a->num[P_SAMPLES], c->target, c->rows);
    md_verdicts(fp, c);
}

/* ---- figures --------------------------------------------------------------------------- */

static const char *fig_ext(const batch_ctx *c)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    return ext[(int)c->a->num[P_FORMAT]];
}

/* "B = 8", "B = 1 (SGD)", "full batch (B = N)" */
static void size_label(const batch_row *r, int N, char *buf, size_t len)
{
    if (r->b >= N)
        snprintf(buf, len, "full batch (B = %d)", N);
    else if (r->b == 1)
        snprintf(buf, len, "B = 1 (SGD)");
    else
        snprintf(buf, len, "B = %ld", r->b);
}

/* The setup in a few words, for captions. */
static void setup_words(const batch_ctx *c, char *buf, size_t len)
{
    snprintf(buf, len, "%.200s on %.200s (N = %d), %.200s, start %.100s, seed %llu",
             c->a->text[P_LANDSCAPE],
             c->a->text[P_DATA], c->m.N, c->a->text[P_OPTIMIZER], c->a->text[P_INIT], c->seed);
}

/* Loss against epochs (by_time 0) or wall time (1), one line per batch size: the first
 * seed's recorded full-data loss. */
static int fig_curves(batch_ctx *c, int by_time, lsc_error *err)
{
    lsc_plot_series s[LSC_STUDY_MAX_LIST];
    double *xs[LSC_STUDY_MAX_LIST] = {0};
    char labels[LSC_STUDY_MAX_LIST][48], setup[1024];
    int rc = LSC_OK;
    for (int i = 0; i < c->nrows; i++) {
        const batch_row *r = &c->row[i];
        if (!(xs[i] = malloc((r->curve.n + 1) * sizeof *xs[i]))) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
            break;
        }
        for (size_t k = 0; k < r->curve.n; k++)
            xs[i][k] = by_time ? (double)r->curve.step[k] * r->t_update
                               : (double)r->curve.step[k] / (double)r->upe;
        size_label(r, c->m.N, labels[i], sizeof labels[i]);
        s[i] = (lsc_plot_series){labels[i], xs[i], r->curve.loss, NULL, (int)r->curve.n,
                                 LSC_SERIES_LINES, 1 + i % 8, 0, r->b == 1};
    }
    if (rc == LSC_OK) {
        static lsc_plot_opts po;
        lsc_study_figure(c->out, &po, by_time ? "batch-loss-time" : "batch-loss-epoch",
                         fig_ext(c));
        po.width = 900, po.height = 620;
        setup_words(c, setup, sizeof setup);
        snprintf(po.title, sizeof po.title, "Training loss against %s, by batch size",
                 by_time ? "wall time" : "epochs");
        snprintf(po.caption, sizeof po.caption, "%.1000s. The exact full-data loss, recorded about "
                 "%d times an epoch, of the first of %d seeds. %s", setup, c->rows, c->seeds,
                 by_time ? "Wall time = updates x the measured time per update on this "
                           "machine (the loss evaluations for the figure excluded); the start "
                           "(time 0) has no place on the log axis."
                         : "Small batches make many noisy updates per epoch, full batch one "
                           "smooth step.");
        snprintf(po.xlabel, sizeof po.xlabel, "%s", by_time ? "wall time (s)" : "epoch");
        snprintf(po.ylabel, sizeof po.ylabel, "loss (full data)");
        rc = lsc_plot_render_series(s, c->nrows, by_time, 1, &po, err);
    }
    for (int i = 0; i < c->nrows; i++)
        free(xs[i]);
    return rc;
}

/* The gradient noise against B (log-log): the formula as a line through B = 1 .. N, the
 * sampled estimates with their standard errors as points. */
static int fig_noise(batch_ctx *c, lsc_error *err)
{
    enum { NF = 200 };
    double fx[NF], fy[NF], px[LSC_STUDY_MAX_LIST], py[LSC_STUDY_MAX_LIST], pe[LSC_STUDY_MAX_LIST];
    const double N = c->m.N;
    const int replace = c->sampling == LSC_SAMPLE_REPLACE;
    for (int k = 0; k < NF; k++) {
        double B = pow(N, (double)k / (NF - 1));
        fx[k] = B;
        fy[k] = replace ? c->sigma2 / B : N > 1 ? c->sigma2 / B * (N - B) / (N - 1) : 0;
    }
    for (int i = 0; i < c->nrows; i++) {
        px[i] = (double)c->row[i].b;
        /* at B = N without replacement the noise is 0 and the estimate rounding (1e-32):
         * left out, it would only stretch the log axis */
        py[i] = c->row[i].noise > 0 ? c->row[i].sampled : NAN;
        pe[i] = c->row[i].se;
    }
    char f1[128], f2[128], setup[1024];
    snprintf(f1, sizeof f1, "exact: %s", replace ? "σ²/B" : "σ²/B · (N − B)/(N − 1)");
    snprintf(f2, sizeof f2, "sampled: mean of %d batches ± standard error",
             (int)c->a->num[P_SAMPLES]);
    lsc_plot_series s[2] = {
        {f1, fx, fy, NULL, NF, LSC_SERIES_LINES, 3, 0, 0},
        {f2, px, py, pe, c->nrows, LSC_SERIES_POINTS, 1, 0, 0},
    };
    static lsc_plot_opts po;
    lsc_study_figure(c->out, &po, "batch-noise", fig_ext(c));
    po.width = 900, po.height = 620;
    setup_words(c, setup, sizeof setup);
    snprintf(po.title, sizeof po.title, "Gradient noise of a batch against its size");
    snprintf(po.caption, sizeof po.caption, "%.1000s. E|g_B − ∇f|², the trace of the batch "
             "gradient's covariance at the start, σ² = %.4g; batches drawn %s. Without "
             "replacement the noise is 0 at B = N (the estimate there is rounding, ~1e-32), which a "
             "log axis cannot show.", setup,
             c->sigma2, replace ? "with replacement" : "without replacement (shuffle)");
    snprintf(po.xlabel, sizeof po.xlabel, "batch size B");
    snprintf(po.ylabel, sizeof po.ylabel, "tr Cov(g_B)");
    return lsc_plot_render_series(s, 2, 1, 1, &po, err);
}

/* ---- verdict (a): local minima --------------------------------------------------------- */

#define MINIMA_SEARCH_STEPS 20000 /* full-batch GD steps from each init seed */
#define MINIMA_SEARCH_SEEDS 50    /* init seeds tried */

typedef struct {
    long b;           /* examples per update */
    int runs, left, reached;
    double loss;      /* mean final loss */
} minima_row;

typedef struct {
    int found, seed;  /* the init seed whose GD run stalled */
    double f, drift, radius;
    double *x;        /* the spurious minimum (n) */
    int n, N;
    minima_row row[LSC_STUDY_MAX_LIST];
    int nrows;
} minima;

/* Full-batch GD from init seeds 1, 2, ... until a run stalls above the target: its loss
 * changed by less than 1e-3 over the last tenth of MINIMA_SEARCH_STEPS (a flat point) and
 * is above minima_target. Its end is the spurious minimum. */
static int minima_search(batch_ctx *c, study_model *m, minima *mi, lsc_error *err)
{
    const double target = c->a->num[P_MINIMA_TARGET];
    study_rows rows = {0};
    rows.last_x = mi->x;
    study_run_opts q = {.batch = 0, .steps = MINIMA_SEARCH_STEPS,
                        .every = MINIMA_SEARCH_STEPS / 10, .seed = c->seed, .stop_loss = NAN};
    int rc = LSC_OK;
    for (int s = 1; s <= MINIMA_SEARCH_SEEDS && !mi->found && rc == LSC_OK; s++) {
        lsc_study_say(c->out, "local minima: full-batch GD from init seed %d", s);
        if ((rc = study_model_restart(m, c->a->text[P_INIT], (unsigned long long)s, err)))
            break;
        rc = study_run(m, &q, NULL, &rows, err);
        if (rc < 0)
            break;
        rc = LSC_OK;
        if (rows.n < 3 || rows.step[rows.n - 1] != MINIMA_SEARCH_STEPS)
            continue; /* diverged */
        double f = rows.loss[rows.n - 1], drift = fabs(rows.loss[rows.n - 2] - f);
        if (f > target && drift < 1e-3) {
            mi->found = 1, mi->seed = s, mi->f = f, mi->drift = drift;
        }
    }
    study_rows_free(&rows);
    return rc;
}

/* From the spurious minimum, runs of each batch size: how many leave it (|x - x*| reaches
 * a tenth of |x*|) and how many reach the target loss within the budget. */
static int minima_runs(batch_ctx *c, study_model *m, minima *mi, lsc_error *err)
{
    double norm = 0;
    for (int j = 0; j < mi->n; j++)
        norm += mi->x[j] * mi->x[j];
    mi->radius = 0.1 * sqrt(norm);
    const double target = c->a->num[P_MINIMA_TARGET];
    const int R = (int)c->a->num[P_MINIMA_RUNS], E = (int)c->a->num[P_MINIMA_EPOCHS];
    study_rows rows = {0};
    rows.ref = mi->x;
    for (int i = 0; i < c->nrows; i++) {
        long b = c->row[i].B == LSC_STUDY_FULL || c->row[i].B > mi->N ? mi->N : c->row[i].B;
        int dup = 0;
        for (int k = 0; k < mi->nrows; k++)
            dup |= mi->row[k].b == b;
        if (dup)
            continue;
        minima_row *r = &mi->row[mi->nrows++];
        r->b = b;
        const long upe = lsc_batches_per_epoch(mi->N, b, c->drop_last);
        study_run_opts q = {.batch = b >= mi->N ? 0 : b, .sampling = c->sampling,
                            .drop_last = c->drop_last, .steps = upe * E,
                            .every = upe / c->rows > 0 ? upe / c->rows : 1, .seed = c->seed,
                            .stop_loss = NAN};
        r->runs = b >= mi->N ? 1 : R; /* full batch: no randomness, one run says it all */
        lsc_study_say(c->out, "local minima: %d runs of batch size %ld", r->runs, b);
        for (int s = 0; s < r->runs; s++) {
            q.run = s;
            int rc = study_run(m, &q, mi->x, &rows, err);
            if (rc < 0) {
                study_rows_free(&rows);
                return rc;
            }
            int reached = 0;
            for (size_t k = 0; k < rows.n; k++)
                reached |= rows.loss[k] <= target;
            r->left += rows.maxdist >= mi->radius;
            r->reached += reached;
            r->loss += rows.n ? rows.loss[rows.n - 1] / r->runs : NAN;
        }
    }
    study_rows_free(&rows);
    return LSC_OK;
}

static int verdict_minima(batch_ctx *c, minima *mi, lsc_error *err)
{
    study_model m;
    int rc = study_model_open(&m, c->a->text[P_MINIMA_LANDSCAPE], c->a->text[P_MINIMA_DATA],
                              c->a->text[P_INIT], c->a->text[P_OPTIMIZER], c->seed, err);
    if (rc == LSC_OK) {
        mi->n = m.n, mi->N = m.N;
        if (!(mi->x = malloc((size_t)m.n * sizeof *mi->x))) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
        }
    }
    if (rc == LSC_OK)
        rc = minima_search(c, &m, mi, err);
    if (rc == LSC_OK && mi->found)
        rc = minima_runs(c, &m, mi, err);
    study_model_close(&m);
    return rc;
}

static void minima_files(const batch_ctx *c, const minima *mi, FILE *tsv, FILE *md)
{
    fputs("batch_size\truns\tleft\treached_target\tfinal_loss_mean\n", tsv);
    for (int i = 0; i < mi->nrows; i++)
        fprintf(tsv, "%ld\t%d\t%d\t%d\t%.17g\n", mi->row[i].b, mi->row[i].runs, mi->row[i].left,
                mi->row[i].reached, mi->row[i].loss);
    fprintf(md, "\n## (a) Local minima: does a small batch kick the parameters out?\n\n"
            "The note: with many training samples some sample always kicks the parameters "
            "out of a local minimum, which full-batch gradient descent cannot leave. Model "
            "`%s` on `%s` (N = %d), optimizer `%s`. ", c->a->text[P_MINIMA_LANDSCAPE],
            c->a->text[P_MINIMA_DATA], mi->N, c->a->text[P_OPTIMIZER]);
    if (!mi->found) {
        fprintf(md, "How the bad basin was searched: full-batch GD for %d steps from `%s` "
                "with init seeds 1 to %d; none stalled above the loss %g, so there is no "
                "spurious minimum to start from and no verdict.\n", MINIMA_SEARCH_STEPS,
                c->a->text[P_INIT], MINIMA_SEARCH_SEEDS, c->a->num[P_MINIMA_TARGET]);
        return;
    }
    fprintf(md, "How the bad basin was found: full-batch GD for %d steps from `%s` with init "
            "seeds 1, 2, ...; seed %d is the first whose run stalled above the loss %g: it "
            "ends at f = %.6g, changing by %.2g over its last %d steps. That end x* is the "
            "start of every run below, each for %d epochs; a run *left* when |x − x*| reached "
            "%.3g (a tenth of |x*|) and *reached* when its loss fell to %g or below.\n\n",
            MINIMA_SEARCH_STEPS, c->a->text[P_INIT], mi->seed, c->a->num[P_MINIMA_TARGET],
            mi->f, mi->drift, MINIMA_SEARCH_STEPS / 10, (int)c->a->num[P_MINIMA_EPOCHS],
            mi->radius, c->a->num[P_MINIMA_TARGET]);
    fprintf(md, "| B | runs | left x* | reached the target | mean final loss |\n"
                "|---|---|---|---|---|\n");
    for (int i = 0; i < mi->nrows; i++)
        fprintf(md, "| %ld%s | %d | %d | %d | %.4g |\n", mi->row[i].b,
                mi->row[i].b >= mi->N ? " (full)" : "", mi->row[i].runs, mi->row[i].left,
                mi->row[i].reached, mi->row[i].loss);
    int small_left = 0, small_runs = 0, small_reached = 0, full_left = 0;
    for (int i = 0; i < mi->nrows; i++) {
        if (mi->row[i].b >= mi->N) {
            full_left = mi->row[i].left;
            continue;
        }
        small_left += mi->row[i].left, small_runs += mi->row[i].runs;
        small_reached += mi->row[i].reached;
    }
    fprintf(md, "\nVerdict: full-batch GD %s x*; mini-batch runs left it in %d of %d runs and "
            "reached a lower loss (the target) in %d. %s\n", full_left ? "left" : "stays at",
            small_left, small_runs, small_reached,
            small_reached ? "Here the noise of small batches does find a better minimum."
            : small_left ? "The noise kicks the parameters out, as the note says, but not into "
                           "a better minimum within the budget: the note's claim holds for "
                           "leaving, not for the loss."
                         : "The measurement does not support the note's claim here.");
}

/* ---- verdict (b): full batch for small N ----------------------------------------------- */

typedef struct {
    double N;
    long full_upd, mini_upd;   /* updates to the target (-1: not reached) */
    double full_t, mini_t;     /* seconds per update */
} full_row;

/* The main data spec with n = N ("" when it is a file: no n to change). */
static int spec_with_n(const char *spec, double N, char *buf, size_t len, lsc_error *err)
{
    lsc_spec sp;
    if (lsc_data_is_file(spec)) {
        buf[0] = '\0';
        return LSC_OK;
    }
    if (lsc_spec_parse(spec, "data", &sp, err) != LSC_OK)
        return LSC_EINVAL;
    size_t used = (size_t)snprintf(buf, len, "%s:n=%.0f", sp.name, N);
    for (int k = 0; k < sp.n && used < len; k++)
        if (strcmp(sp.key[k], "n"))
            used += (size_t)snprintf(buf + used, len - used, ",%s=%s", sp.key[k], sp.val[k]);
    return LSC_OK;
}

/* Updates to the target loss (-1: not within the budget) and seconds per update. */
static int to_target(batch_ctx *c, study_model *m, long b, long *upd, double *t, lsc_error *err)
{
    const long upe = b >= m->N ? 1 : lsc_batches_per_epoch(m->N, b, c->drop_last);
    study_run_opts q = {.batch = b >= m->N ? 0 : b, .sampling = c->sampling,
                        .drop_last = c->drop_last, .steps = upe * (long)c->a->num[P_FULL_EPOCHS],
                        .every = upe / c->rows > 0 ? upe / c->rows : 1, .seed = c->seed,
                        .stop_loss = c->target};
    study_rows rows = {0};
    int rc = study_run(m, &q, NULL, &rows, err);
    *upd = rc == LSC_STOP_LOSS && rows.n ? rows.step[rows.n - 1] : -1;
    study_rows_free(&rows);
    if (rc < 0)
        return rc;
    q.steps = upe * 3 > 100 ? upe * 3 : 100; /* long enough to time; the best of 5 */
    *t = study_update_seconds(m, &q, 5, err);
    return isnan(*t) ? err->code : LSC_OK;
}

static int verdict_full(batch_ctx *c, full_row *fr, int *nfr, lsc_error *err)
{
    *nfr = 0;
    for (int i = 0; i < c->a->nlist[P_FULL_SIZES]; i++) {
        char spec[LSC_VALUE_MAX + 64];
        full_row *r = &fr[*nfr];
        r->N = c->a->list[P_FULL_SIZES][i];
        int rc = spec_with_n(c->a->text[P_DATA], r->N, spec, sizeof spec, err);
        if (rc != LSC_OK || !spec[0])
            return rc;
        lsc_study_say(c->out, "full batch against mini-batches: N = %.0f", r->N);
        study_model m;
        rc = study_model_open(&m, c->a->text[P_LANDSCAPE], spec, c->a->text[P_INIT],
                              c->a->text[P_OPTIMIZER], c->seed, err);
        if (rc == LSC_OK)
            rc = to_target(c, &m, m.N, &r->full_upd, &r->full_t, err);
        if (rc == LSC_OK)
            rc = to_target(c, &m, (long)c->a->num[P_FULL_BATCH], &r->mini_upd, &r->mini_t, err);
        study_model_close(&m);
        if (rc != LSC_OK)
            return rc;
        (*nfr)++;
    }
    return LSC_OK;
}

static void full_files(const batch_ctx *c, const full_row *fr, int nfr, FILE *tsv, FILE *md)
{
    const long B = (long)c->a->num[P_FULL_BATCH];
    fputs("N\tfull_updates_to_target\tfull_time_to_target_s\tmini_batch\t"
          "mini_updates_to_target\tmini_time_to_target_s\n", tsv);
    fprintf(md, "\n## (b) \"m ≤ 2000 → use full batch\": time to the target loss against N\n\n");
    if (!nfr) {
        fprintf(md, "The data set is a file: its size cannot be varied, so no verdict.\n");
        return;
    }
    fprintf(md, "Data `%s` with n = N, the main model, start and optimizer; full batch "
            "against batches of %ld, each until the loss is %g or below (at most %d epochs); "
            "time = updates × the measured time per update.\n\n| N | full batch: updates, s "
            "| B = %ld: updates, s | faster |\n|---|---|---|---|\n", c->a->text[P_DATA], B,
            c->target, (int)c->a->num[P_FULL_EPOCHS], B);
    double cross = NAN;
    for (int i = 0; i < nfr; i++) {
        const full_row *r = &fr[i];
        double tf = r->full_upd >= 0 ? r->full_upd * r->full_t : INFINITY;
        double tm = r->mini_upd >= 0 ? r->mini_upd * r->mini_t : INFINITY;
        fprintf(tsv, "%.0f\t%ld\t%.6g\t%ld\t%ld\t%.6g\n", r->N, r->full_upd,
                isfinite(tf) ? tf : NAN, B, r->mini_upd, isfinite(tm) ? tm : NAN);
        char a[64], b[64];
        snprintf(a, sizeof a, r->full_upd >= 0 ? "%ld, %.3g" : "not reached", r->full_upd, tf);
        snprintf(b, sizeof b, r->mini_upd >= 0 ? "%ld, %.3g" : "not reached", r->mini_upd, tm);
        fprintf(md, "| %.0f | %s | %s | %s |\n", r->N, a, b,
                !isfinite(tf) && !isfinite(tm) ? "-" : tf < tm ? "full batch" : "mini-batch");
        if (isnan(cross) && tm < tf)
            cross = r->N;
    }
    fprintf(md, "\nVerdict: %s", isnan(cross) ? "full batch is as fast or faster at every N "
            "measured" : "");
    if (!isnan(cross))
        fprintf(md, "mini-batches of %ld reach the target first from N = %.0f on%s", B, cross,
                cross <= 2000 ? ", at or below the note's 2000: the rule of thumb does not "
                                "hold for this model, data and learning rate (one learning rate "
                                "for both; a full-batch run could take a larger one)"
                              : ", above the note's 2000, as it says");
    fprintf(md, ".\n");
}

/* ---- verdict (c): powers of two -------------------------------------------------------- */

#define POW2_ROUNDS 9 /* timed runs per batch size, interleaved */

typedef struct {
    long b, upe;
    double t[2]; /* seconds per epoch: the fastest of the rounds, and their median */
} pow2_row;

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Each round times one run of 3 epochs of every batch size in turn, so that a burst of
 * load from elsewhere on the machine falls on all sizes alike, not on one; a size's time
 * is its fastest round (the least disturbed), its median says how noisy the rounds were. */
static int verdict_pow2(batch_ctx *c, pow2_row *pr, int *npr, lsc_error *err)
{
    static double t[LSC_STUDY_MAX_LIST][POW2_ROUNDS];
    *npr = c->a->nlist[P_POW2_SIZES];
    for (int i = 0; i < *npr; i++) {
        long B = (long)c->a->list[P_POW2_SIZES][i];
        pr[i].b = B == LSC_STUDY_FULL || B > c->m.N ? c->m.N : B;
        pr[i].upe = lsc_batches_per_epoch(c->m.N, pr[i].b, c->drop_last);
    }
    for (int k = 0; k < POW2_ROUNDS; k++) {
        lsc_study_say(c->out, "powers of two: round %d of %d", k + 1, POW2_ROUNDS);
        for (int i = 0; i < *npr; i++) {
            study_run_opts q = {.batch = pr[i].b >= c->m.N ? 0 : pr[i].b,
                                .sampling = c->sampling, .drop_last = c->drop_last,
                                .steps = 3 * pr[i].upe, .seed = c->seed, .stop_loss = NAN};
            double s = study_update_seconds(&c->m, &q, 1, err);
            if (isnan(s))
                return err->code;
            t[i][k] = s * pr[i].upe;
        }
    }
    for (int i = 0; i < *npr; i++) {
        qsort(t[i], POW2_ROUNDS, sizeof t[i][0], cmp_double);
        pr[i].t[0] = t[i][0];
        pr[i].t[1] = t[i][POW2_ROUNDS / 2];
    }
    return LSC_OK;
}

static int is_pow2(long b)
{
    return b > 0 && (b & (b - 1)) == 0;
}

static void pow2_files(const batch_ctx *c, const pow2_row *pr, int npr, FILE *tsv, FILE *md)
{
    fputs("batch_size\tupdates_per_epoch\ttime_per_epoch_s\ttime_per_epoch_median_s\n", tsv);
    fprintf(md, "\n## (c) Powers of two: time per epoch\n\nThe note: mini-batch sizes of a "
            "power of two run faster. The main model and data (N = %d); %d rounds, each timing "
            "a run of 3 epochs of every batch size in turn (so that load from elsewhere falls "
            "on all alike); a size's time is its fastest round, the median beside it (their "
            "gap is the timing noise). losscape's model code works in blocks of %d examples "
            "(LSC_MODEL_CHUNK) through BLAS.\n\n| B | updates per epoch | ms per epoch "
            "(fastest) | median | µs per example |\n|---|---|---|---|---|\n", c->m.N,
            POW2_ROUNDS, LSC_MODEL_CHUNK);
    for (int i = 0; i < npr; i++) {
        const pow2_row *r = &pr[i];
        fprintf(tsv, "%ld\t%ld\t%.6g\t%.6g\n", r->b, r->upe, r->t[0], r->t[1]);
        fprintf(md, "| %ld%s | %ld | %.3g | %.3g | %.3g |\n", r->b, is_pow2(r->b) ? " (2^k)" : "",
                r->upe, 1e3 * r->t[0], 1e3 * r->t[1], 1e6 * fmin(r->t[0], r->t[1]) / c->m.N);
    }
    fprintf(md, "\nVerdict:");
    int said = 0;
    for (int i = 1; i + 1 < npr; i++) {
        const pow2_row *p = &pr[i], *lo = &pr[i - 1], *hi = &pr[i + 1];
        if (!is_pow2(p->b) || lo->b != p->b - 1 || hi->b != p->b + 1)
            continue;
        double tp = fmin(p->t[0], p->t[1]);
        double tn = 0.5 * (fmin(lo->t[0], lo->t[1]) + fmin(hi->t[0], hi->t[1]));
        double noise = 0;
        for (int k = i - 1; k <= i + 1; k++)
            noise = fmax(noise, fabs(pr[k].t[0] - pr[k].t[1]) / fmin(pr[k].t[0], pr[k].t[1]));
        double rel = (tp - tn) / tn;
        fprintf(md, "%s B = %ld takes %+.1f%% against the mean of B = %ld and %ld (timing noise "
                "up to %.1f%%): %s", said ? ";" : "", p->b, 100 * rel, lo->b, hi->b,
                100 * noise, fabs(rel) <= noise ? "no difference beyond the noise"
                : rel < 0 ? "the power of two is faster" : "the power of two is slower");
        said = 1;
    }
    fprintf(md, said ? ". This is what this machine shows; it depends on the BLAS, the cache "
                       "and the block size, not on the arithmetic.\n"
                     : " no power of two with both neighbours in the list.\n");
}

/* ---- the verdicts' figures ------------------------------------------------------------- */

/* Time to the target against N, full batch and mini-batches (log-log). */
static int fig_full(batch_ctx *c, const full_row *fr, int nfr, lsc_error *err)
{
    double x[LSC_STUDY_MAX_LIST], yf[LSC_STUDY_MAX_LIST], ym[LSC_STUDY_MAX_LIST];
    for (int i = 0; i < nfr; i++) {
        x[i] = fr[i].N;
        yf[i] = fr[i].full_upd >= 0 ? fr[i].full_upd * fr[i].full_t : NAN;
        ym[i] = fr[i].mini_upd >= 0 ? fr[i].mini_upd * fr[i].mini_t : NAN;
    }
    char lm[64], cap[LSC_VALUE_MAX * 3];
    snprintf(lm, sizeof lm, "mini-batches of %ld", (long)c->a->num[P_FULL_BATCH]);
    lsc_plot_series s[4] = {
        {"full batch", x, yf, NULL, nfr, LSC_SERIES_LINES, 1, 0, 0},
        {NULL, x, yf, NULL, nfr, LSC_SERIES_POINTS, 1, 0, 0},
        {lm, x, ym, NULL, nfr, LSC_SERIES_LINES, 2, 0, 0},
        {NULL, x, ym, NULL, nfr, LSC_SERIES_POINTS, 2, 0, 0},
    };
    static lsc_plot_opts po;
    lsc_study_figure(c->out, &po, "batch-fullbatch", fig_ext(c));
    po.width = 900, po.height = 620;
    snprintf(po.title, sizeof po.title, "Time to reach the loss %g against the data set size",
             c->target);
    snprintf(cap, sizeof cap, "%.200s on %.200s with n = N, %.200s, start %.100s, at most %d "
             "epochs. Time = "
             "updates to the target x the measured time per update on this machine; a run "
             "that does not reach the target within the budget has no point. The note's "
             "rule: full batch for N <= 2000.", c->a->text[P_LANDSCAPE], c->a->text[P_DATA],
             c->a->text[P_OPTIMIZER], c->a->text[P_INIT], (int)c->a->num[P_FULL_EPOCHS]);
    snprintf(po.caption, sizeof po.caption, "%.1500s", cap);
    snprintf(po.xlabel, sizeof po.xlabel, "examples N");
    snprintf(po.ylabel, sizeof po.ylabel, "wall time to the target (s)");
    return lsc_plot_render_series(s, 4, 1, 1, &po, err);
}

/* Time per epoch against B around the powers of two: the fastest and the median round of
 * each batch size. */
static int fig_pow2(batch_ctx *c, const pow2_row *pr, int npr, lsc_error *err)
{
    double x[LSC_STUDY_MAX_LIST], y[LSC_STUDY_MAX_LIST], m[LSC_STUDY_MAX_LIST];
    for (int i = 0; i < npr; i++) {
        x[i] = (double)pr[i].b;
        y[i] = 1e3 * pr[i].t[0];
        m[i] = 1e3 * pr[i].t[1];
    }
    lsc_plot_series s[2] = {
        {"fastest round", x, y, NULL, npr, LSC_SERIES_POINTS, 3, 0, 0},
        {"median round", x, m, NULL, npr, LSC_SERIES_POINTS, 2, 0, 0},
    };
    char setup[1024];
    setup_words(c, setup, sizeof setup);
    static lsc_plot_opts po;
    lsc_study_figure(c->out, &po, "batch-pow2", fig_ext(c));
    po.width = 900, po.height = 620;
    snprintf(po.title, sizeof po.title, "Time per epoch near powers of two");
    snprintf(po.caption, sizeof po.caption, "%.1000s. %d rounds, each timing a run of 3 epochs of "
             "every batch size in turn, on this machine; the model code works in blocks of %d "
             "examples.", setup, POW2_ROUNDS, LSC_MODEL_CHUNK);
    snprintf(po.xlabel, sizeof po.xlabel, "batch size B");
    snprintf(po.ylabel, sizeof po.ylabel, "time per epoch (ms)");
    return lsc_plot_render_series(s, 2, 0, 0, &po, err);
}

/* ---- the study ------------------------------------------------------------------------ */

static void batch_free(batch_ctx *c)
{
    for (int i = 0; i < c->nrows; i++)
        study_rows_free(&c->row[i].curve);
    free(c->row);
    free(c->G);
    free(c->gfull);
    free(c->gb);
    free(c->work);
    study_model_close(&c->m);
}

static int batch_setup(batch_ctx *c, const lsc_study_args *a, lsc_error *err)
{
    c->sampling = (lsc_sampling)a->num[P_SAMPLING];
    c->drop_last = (int)a->num[P_DROP_LAST];
    c->epochs = (int)a->num[P_EPOCHS];
    c->seeds = (int)a->num[P_SEEDS];
    c->rows = (int)a->num[P_ROWS];
    c->seed = (unsigned long long)a->num[P_SEED];
    c->target = a->num[P_TARGET_LOSS];
    int rc = study_model_open(&c->m, a->text[P_LANDSCAPE], a->text[P_DATA], a->text[P_INIT],
                              a->text[P_OPTIMIZER], c->seed, err);
    if (rc != LSC_OK)
        return rc;
    c->nrows = a->nlist[P_BATCH_SIZES];
    if (!(c->row = calloc((size_t)c->nrows, sizeof *c->row))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int i = 0; i < c->nrows; i++) {
        c->row[i].B = (long)a->list[P_BATCH_SIZES][i];
        if (c->drop_last && c->row[i].B > c->m.N) {
            lsc_error_set(err, LSC_EINVAL, "batch_sizes: %ld is more than the %d examples, "
                          "which drop_last refuses (allowed: 1 to %d, or full)", c->row[i].B,
                          c->m.N, c->m.N);
            return LSC_EINVAL;
        }
    }
    if (a->num[P_VERDICTS]) { /* the verdicts' specs checked before any long work */
        study_model v;
        rc = study_model_open(&v, a->text[P_MINIMA_LANDSCAPE], a->text[P_MINIMA_DATA],
                              a->text[P_INIT], a->text[P_OPTIMIZER], c->seed, err);
        study_model_close(&v);
        if (rc != LSC_OK) { /* "landscape: ..." is about minima_landscape here */
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            if (!strncmp(msg, "landscape:", 10) || !strncmp(msg, "data:", 5))
                lsc_error_set(err, rc, "minima_%.1000s", msg);
            return rc;
        }
    }
    return per_example(c, err);
}

static int batch_figures(batch_ctx *c, lsc_error *err)
{
    lsc_study_say(c->out, "figures");
    int rc = fig_curves(c, 0, err);
    if (rc == LSC_OK)
        rc = fig_curves(c, 1, err);
    if (rc == LSC_OK)
        rc = fig_noise(c, err);
    return rc;
}

/* The three verdicts: their tables (batch-minima.tsv, batch-fullbatch.tsv, batch-pow2.tsv),
 * their sections of the Markdown summary md, their figures. */
static int batch_verdicts(batch_ctx *c, FILE *md, lsc_error *err)
{
    static minima mi;
    static full_row fr[LSC_STUDY_MAX_LIST];
    static pow2_row pr[LSC_STUDY_MAX_LIST];
    int nfr = 0, npr = 0;
    memset(&mi, 0, sizeof mi);
    FILE *t1 = lsc_study_file(c->out, "batch-minima.tsv", err), *t2 = NULL, *t3 = NULL;
    int rc = t1 ? verdict_minima(c, &mi, err) : err->code;
    if (rc == LSC_OK)
        minima_files(c, &mi, t1, md);
    free(mi.x);
    if (rc == LSC_OK && !(t2 = lsc_study_file(c->out, "batch-fullbatch.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK)
        rc = verdict_full(c, fr, &nfr, err);
    if (rc == LSC_OK) {
        full_files(c, fr, nfr, t2, md);
        rc = nfr ? fig_full(c, fr, nfr, err) : LSC_OK;
    }
    if (rc == LSC_OK && !(t3 = lsc_study_file(c->out, "batch-pow2.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK)
        rc = verdict_pow2(c, pr, &npr, err);
    if (rc == LSC_OK) {
        pow2_files(c, pr, npr, t3, md);
        rc = fig_pow2(c, pr, npr, err);
    }
    return rc;
}

static int batch_run(const lsc_study_args *a, lsc_study_out *out, lsc_error *err)
{
    batch_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    /* the curves' file first: a failure after it (a bad spec) leaves nothing either */
    int rc = (c.curves = lsc_study_file(out, "batch-curves.tsv", err)) ? LSC_OK : err->code;
    if (rc == LSC_OK)
        rc = batch_setup(&c, a, err);
    if (rc == LSC_OK)
        fputs("batch_size\tseed\tstep\tepoch\texamples\tloss\ttime_s\n", c.curves);
    for (int i = 0; i < c.nrows && rc == LSC_OK; i++) {
        char bn[32];
        lsc_study_say(out, "batch size %s", study_size_name(c.row[i].B, bn, sizeof bn));
        rc = measure(&c, &c.row[i], err);
    }
    FILE *fp = NULL, *md = NULL;
    if (rc == LSC_OK && !(fp = lsc_study_file(out, "batch.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK)
        write_tsv(&c, fp);
    if (rc == LSC_OK && !(md = lsc_study_file(out, "batch.md", err)))
        rc = err->code;
    if (rc == LSC_OK)
        write_md(&c, md);
    if (rc == LSC_OK)
        rc = batch_figures(&c, err);
    if (rc == LSC_OK && a->num[P_VERDICTS])
        rc = batch_verdicts(&c, md, err);
    batch_free(&c);
    return rc;
}

const lsc_study_type lsc_study_batch = {
    .name = "batch",
    .summary = "batch GD, mini-batches and SGD: cost, memory, noise and result against B",
    .description =
        "For one model over one data set, each batch size (default 1, 8, 32, 128, 512 and "
        "full) measured: examples per gradient, updates per epoch, working-set memory, the "
        "gradient noise at the start (exact, sigma^2/B (N-B)/(N-1), and sampled), time per "
        "epoch, loss after the epochs over several seeds, stability, and examples and time "
        "to a target loss; the theory next to each number.",
    .opts = batch_opts,
    .nopts = LSC_COUNTOF(batch_opts),
    .run = batch_run,
};
