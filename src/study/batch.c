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
 *   time per epoch          the best of 3 timed runs through the driver loop, the one
 *                           full evaluation at their end subtracted
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
};

#define NOISE_STREAM 0x6e6f697365ULL /* "noise": the sampler stream of the noise estimate */

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
    q.steps = r->upe * (c->epochs < 3 ? c->epochs : 3);
    r->t_update = study_update_seconds(&c->m, &q, 3, err);
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
            "standard error sd/√K. Time per epoch: the best of 3 timed runs, the evaluation at "
            "their end subtracted. Time to target: updates to the first recorded row at or "
            "below %g (the loss is recorded about %d times an epoch) × the measured time per "
            "update.\n", LSC_MODEL_CHUNK, c->sigma2,
            (int)a->num[P_SAMPLES], c->target, c->rows);
    md_verdicts(fp, c);
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
    return per_example(c, err);
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
    FILE *fp = NULL;
    if (rc == LSC_OK && !(fp = lsc_study_file(out, "batch.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK)
        write_tsv(&c, fp);
    if (rc == LSC_OK && !(fp = lsc_study_file(out, "batch.md", err)))
        rc = err->code;
    if (rc == LSC_OK)
        write_md(&c, fp);
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
