/* run.c — the driver loop (see run.h) */
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "landscape_depth.h"
#include "curvature.h"
#include "model.h"

void lsc_trajectory_describe_opts(lsc_trajectory *t, const lsc_run_opts *opts)
{
    lsc_landscape_describe(opts->landscape, t->landscape, sizeof t->landscape);
    if (opts->schedule)
        lsc_schedule_describe(opts->schedule, t->schedule, sizeof t->schedule);
    else
        snprintf(t->schedule, sizeof t->schedule, "constant");
    t->clip_norm = opts->clip_norm;
    t->clip_value = opts->clip_value;
    t->noise = opts->noise;
    t->seed = opts->seed;
    t->steps = opts->steps;
    t->stop_grad = opts->stop_grad;
    t->stop_loss = opts->stop_loss_on ? opts->stop_loss : NAN;
    t->stop_dist = opts->stop_dist;
    t->escape = opts->escape;
    t->every = opts->every > 0 ? opts->every : 1;
    t->batch_size = opts->batch_size;
    t->sampling = (int)opts->sampling;
    t->drop_last = opts->drop_last;
    t->cols = lsc_run_columns(opts->landscape, t);
    t->layers = t->layer_stats ? lsc_run_layers(opts->landscape, &t->layer_fams) : 0;
    if (t->layers == 0)
        t->layer_fams = 0;
}

/* The value of landscape L's parameter named name (0 when it has none). */
static double param_named(const lsc_landscape *L, const char *name)
{
    for (int k = 0; k < L->type->nparams; k++)
        if (!strcmp(L->type->params[k].name, name))
            return L->params.v[k];
    return 0;
}

int lsc_run_layers(const lsc_landscape *L, unsigned *fams)
{
    const char *name = L->type->name;
    const lsc_model *M = lsc_landscape_model(L);
    *fams = 0;
    if (M && !strcmp(name, "mlp")) {
        *fams = 1u << LSC_LCOL_G | 1u << LSC_LCOL_W | 1u << LSC_LCOL_A | 1u << LSC_LCOL_SAT;
        return M->nlayers;
    }
    if (!strcmp(name, "deep-linear") || !strcmp(name, "chain")) {
        /* deep-linear: L square w x w layers, n = L w^2; chain: one weight a layer */
        const int w = !strcmp(name, "chain") ? 1 : (int)param_named(L, "width");
        *fams = 1u << LSC_LCOL_G | 1u << LSC_LCOL_W;
        return w > 0 ? L->n / (w * w) : 0;
    }
    if (!strcmp(name, "rnn")) {
        *fams = 1u << LSC_LCOL_H;
        return (int)param_named(L, "steps");
    }
    return 0;
}

unsigned long long lsc_run_columns(const lsc_landscape *L, const lsc_trajectory *t)
{
    const lsc_model *M = lsc_landscape_model(L);
    const int data = M && t->data[0];
    const int holdout = data && t->holdout > 0 && M->test && M->test->n > 0;
    const int classes = data && M->loss != LSC_LOSS_MSE;
    unsigned long long cols = 0;
    for (int c = 0; c < lsc_ncolumns; c++) {
        const unsigned need = lsc_columns[c].needs;
        if ((!(need & LSC_COL_NEEDS_DATA) || data) &&
            (!(need & LSC_COL_NEEDS_HOLDOUT) || holdout) &&
            (!(need & LSC_COL_NEEDS_CLASSES) || classes) &&
            (!(need & LSC_COL_NEEDS_TIME) || t->record_time) &&
            (!(need & LSC_COL_NEEDS_HESSIAN) || t->hessian))
            cols |= 1ULL << c;
    }
    return cols;
}

/* The mini-batches of a run (run.h): its sampler, the model's work and the batch gradient,
 * and what the optional columns need (the updates an epoch, the model's work). All of it
 * is allocated once, before the loop. */
typedef struct {
    const lsc_model *M;
    lsc_sampler *sampler;
    double *work, *g;
    long per_epoch;         /* updates an epoch (models; 0 otherwise) */
    double examples;        /* examples the updates so far used */
    lsc_curvature *curv;    /* the Hessian's eigenvalues (hessian on), or NULL */
} batches;

/* The per-layer block of a run (trajectory.h): what it is computed from, its work (the
 * model's, for lsc_model_fdf_stats; the rnn's T + 1 norms) and the row's values, all
 * allocated before the loop. */
typedef struct {
    int on;                 /* t->layers > 0 */
    const lsc_model *M;     /* mlp: the statistics come from the pass that gives f */
    int width;              /* deep-linear, chain: layer l is x[(l-1) w^2 .. l w^2) */
    int rnn;
    double *work, *vals;
} layer_block;

static int layers_open(layer_block *lb, const lsc_landscape *L, const lsc_trajectory *t,
                       lsc_error *err)
{
    memset(lb, 0, sizeof *lb);
    if (t->layers == 0)
        return LSC_OK;
    unsigned fams;
    const int nl = lsc_run_layers(L, &fams);
    if (nl != t->layers || fams != t->layer_fams) {
        lsc_error_set(err, LSC_EINVAL, "trajectory: a per-layer block of %d layers is not for "
                      "landscape '%s' (%d)", t->layers, L->type->name, nl);
        return LSC_EINVAL;
    }
    lb->on = 1;
    lb->rnn = !strcmp(L->type->name, "rnn");
    lb->M = lb->rnn ? NULL : lsc_landscape_model(L);
    if (!lb->M && !lb->rnn)
        lb->width = (int)sqrt((double)L->n / nl + 0.5);
    size_t nw = lb->M ? lsc_model_stats_work_size(lb->M) : lb->rnn ? (size_t)nl + 1 : 1;
    lb->work = malloc(nw * sizeof *lb->work);
    lb->vals = malloc((size_t)lsc_trajectory_layer_values(t) * sizeof *lb->vals);
    if (!lb->work || !lb->vals) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for per-layer statistics");
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

static void layers_close(layer_block *lb)
{
    free(lb->work);
    free(lb->vals);
}

/* sqrt(sum v_i^2), nan when it overflowed (the block's values are finite or nan) */
static double block_norm(const double *v, size_t m)
{
    double s = 0;
    for (size_t i = 0; i < m; i++)
        s += v[i] * v[i];
    return isfinite(s) ? sqrt(s) : NAN;
}

static double finite_or_nan(double v)
{
    return isfinite(v) ? v : NAN;
}

/* f and its gradient g at x (lsc_landscape_fdf's values, bitwise), and with want the
 * per-layer block into lb->vals, family by family: an mlp's from the same forward and
 * backward pass (lsc_model_fdf_stats over the N training examples: O(N sum s_l) more
 * work), deep-linear's and chain's from x and g (O(n)), the rnn's from one more pass over
 * its sequences (lsc_rnn_hidden_grad_norms). */
static double eval_point(const lsc_landscape *L, layer_block *lb, int want, const double *x,
                         double *g)
{
    if (!want || !lb->on)
        return lsc_landscape_fdf(L, x, g);
    double *v = lb->vals;
    if (lb->M) {
        lsc_layer_stats st;
        const double f = lsc_model_fdf_stats(lb->M, lb->M->train, NULL, lb->M->train->n, x,
                                             g, &st, lb->work);
        const int nl = st.nlayers;
        for (int l = 0; l < nl; l++) {
            v[l] = finite_or_nan(st.grad[l]);
            v[nl + l] = finite_or_nan(st.weight[l]);
            v[2 * nl + l] = finite_or_nan(st.act_std[l]);
            v[3 * nl + l] = st.sat[l]; /* a fraction, or nan (the output layer) */
        }
        return f;
    }
    const double f = lsc_landscape_fdf(L, x, g);
    if (lb->rnn) { /* |df/dh_t| for t = 1 .. T (work[0] is the initial state's) */
        const int T = (int)param_named(L, "steps");
        lsc_rnn_hidden_grad_norms(L, x, lb->work);
        for (int t = 1; t <= T; t++)
            v[t - 1] = finite_or_nan(lb->work[t]);
        return f;
    }
    const size_t w2 = (size_t)lb->width * (size_t)lb->width;
    const int nl = (int)((size_t)L->n / w2);
    for (int l = 0; l < nl; l++) {
        v[l] = block_norm(g + (size_t)l * w2, w2);
        v[nl + l] = block_norm(x + (size_t)l * w2, w2);
    }
    return f;
}

/* The optional columns that evaluate the model on a data set (they need its work). */
#define MODEL_COLS ((1ULL << LSC_COL_TEST_LOSS) | (1ULL << LSC_COL_ACC) | \
                    (1ULL << LSC_COL_TEST_ACC))

static int batches_open(batches *b, const lsc_run_opts *opts, int run_index,
                        const lsc_trajectory *t, lsc_error *err)
{
    memset(b, 0, sizeof *b);
    const lsc_landscape *L = opts->landscape;
    b->M = lsc_landscape_model(L);
    if (opts->batch_size > 0 && !b->M) {
        lsc_error_set(err, LSC_EINVAL, "batch_size: %ld is for a model over data; landscape "
                      "'%s' has no examples", opts->batch_size, L->type->name);
        return LSC_EINVAL;
    }
    const unsigned long long bad = t->cols & ~lsc_run_columns(L, t);
    if (bad) {
        lsc_error_set(err, LSC_EINVAL, "trajectory: column '%s' is not for this run (%s)",
                      lsc_columns[__builtin_ctzll(bad)].name,
                      lsc_columns[__builtin_ctzll(bad)].help);
        return LSC_EINVAL;
    }
    /* eig_min, eig_max: the run's work, made now (curvature.h) */
    if ((t->cols >> LSC_COL_EIG_MIN & 1 || t->cols >> LSC_COL_EIG_MAX & 1) &&
        !(b->curv = lsc_curvature_new(L, NULL, opts->seed, (unsigned long long)run_index, err)))
        return err && err->code ? err->code : LSC_ENOMEM;
    if (!b->M)
        return LSC_OK;
    const int N = b->M->train->n;
    const long B = opts->batch_size > 0 && opts->batch_size < N ? opts->batch_size : N;
    b->per_epoch = lsc_batches_per_epoch(N, B, opts->batch_size > 0 && opts->drop_last);
    if (opts->batch_size > 0 &&
        !(b->sampler = lsc_sampler_new(N, (int)B, opts->sampling, opts->drop_last, opts->seed,
                                       (unsigned long long)run_index, err)))
        return err && err->code ? err->code : LSC_ENOMEM;
    if (!b->sampler && !(t->cols & MODEL_COLS))
        return LSC_OK;
    b->work = malloc(lsc_model_work_size(b->M) * sizeof(double));
    b->g = malloc((size_t)L->n * sizeof(double));
    if (!b->work || !b->g) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for batches of %ld examples", B);
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

/* The optional columns of row k (trajectory.h) at x into col: bl is the loss of the batch
 * update k used (unused on row 0). Full-data values are computed here, on recorded rows
 * only. (time is the caller's: it knows the clock.) */
static void row_columns(const lsc_trajectory *t, const batches *b, long k, double bl,
                        const double *x, double *col)
{
    const unsigned long long c = t->cols;
    if (c >> LSC_COL_EPOCH & 1) /* k updates of per_epoch each: an epoch budget ends on E */
        col[LSC_COL_EPOCH] = (double)k / (double)b->per_epoch;
    if (c >> LSC_COL_EXAMPLES & 1)
        col[LSC_COL_EXAMPLES] = b->examples;
    if (c >> LSC_COL_BATCH_LOSS & 1)
        col[LSC_COL_BATCH_LOSS] = k > 0 ? bl : NAN;
    if (c >> LSC_COL_TEST_LOSS & 1)
        col[LSC_COL_TEST_LOSS] =
            lsc_model_fdf(b->M, b->M->test, NULL, b->M->test->n, x, NULL, NULL, b->work);
    if (c >> LSC_COL_ACC & 1)
        col[LSC_COL_ACC] =
            lsc_model_accuracy(b->M, b->M->train, NULL, b->M->train->n, x, b->work);
    if (c >> LSC_COL_TEST_ACC & 1)
        col[LSC_COL_TEST_ACC] =
            lsc_model_accuracy(b->M, b->M->test, NULL, b->M->test->n, x, b->work);
    if (b->curv) /* nan, nan where the Hessian is not finite */
        lsc_curvature_eig(b->curv, x, &col[LSC_COL_EIG_MIN], &col[LSC_COL_EIG_MAX]);
}

/* Wall seconds (CLOCK_MONOTONIC), for the time column. */
static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void batches_close(batches *b)
{
    lsc_sampler_free(b->sampler);
    lsc_curvature_free(b->curv);
    free(b->work);
    free(b->g);
}

/* The next batch's mean gradient at x into b->g; returns the batch's loss. */
static double batch_gradient(batches *b, const double *x)
{
    const int *idx;
    int m = lsc_sampler_next(b->sampler, &idx);
    b->examples += m;
    return lsc_model_fdf(b->M, b->M->train, idx, m, x, b->g, NULL, b->work);
}

static double norm2(const double *g, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += g[i] * g[i];
    return sqrt(s);
}

static int all_finite(const double *x, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

/* |x - x0|, Euclidean */
static double distance(const double *x, const double *x0, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - x0[i]) * (x[i] - x0[i]);
    return sqrt(s);
}

/* The first stop condition that holds at x (the order of run.h), or LSC_STOP_NONE; *d is
 * |x - x_start| when stop_dist is on. */
static lsc_stop stop_test(const lsc_run_opts *o, double f, double gn, const double *x,
                          const double *x0, size_t n, double *d)
{
    if (o->stop_grad > 0 && gn <= o->stop_grad)
        return LSC_STOP_CONVERGED;
    if (o->stop_loss_on && f <= o->stop_loss)
        return LSC_STOP_LOSS;
    if (o->stop_dist > 0 && (*d = distance(x, x0, n)) >= o->stop_dist)
        return LSC_STOP_DIST;
    return LSC_STOP_NONE;
}

/* The status and reason of a run that a stop condition ended at step k (0: the start):
 * which value crossed which level. */
static void stop_reason(lsc_run_record *rec, lsc_stop why, const lsc_run_opts *o, double f,
                        double gn, double d, long k)
{
    char v[32], lim[32], when[48];
    if (k == 0)
        snprintf(when, sizeof when, "at the start");
    else
        snprintf(when, sizeof when, "after step %ld", k);
    rec->status = why;
    if (why == LSC_STOP_CONVERGED)
        snprintf(rec->reason, sizeof rec->reason, "|grad f| = %s <= %g %s",
                 lsc_fmt_double(v, gn), o->stop_grad, when);
    else if (why == LSC_STOP_LOSS)
        snprintf(rec->reason, sizeof rec->reason, "f = %s <= %s %s", lsc_fmt_double(v, f),
                 lsc_fmt_double(lim, o->stop_loss), when);
    else
        snprintf(rec->reason, sizeof rec->reason, "|x - x_start| = %s >= %s %s",
                 lsc_fmt_double(v, d), lsc_fmt_double(lim, o->stop_dist), when);
}

/* Hand one row to the recorder, or append it to rec (room was reserved up front). */
static int record_row(const lsc_run_opts *opts, int run_index, const lsc_trajectory *t,
                      lsc_run_record *rec, const lsc_row *row, lsc_error *err)
{
    if (!opts->record) {
        lsc_run_record_push(t, rec, row);
        return LSC_OK;
    }
    int rc = opts->record(opts->record_user, run_index, row, err);
    if (rc == LSC_OK)
        return LSC_OK;
    if (rc > 0 || (err && !err->msg[0])) {
        rc = rc < 0 ? rc : LSC_EIO;
        lsc_error_set(err, rc, "recording step %ld of run %d failed", row->step, run_index);
    }
    return rc;
}

int lsc_run(const lsc_run_opts *opts, lsc_optim *o, const double *x0, int run_index,
            const lsc_trajectory *t, lsc_run_record *rec, lsc_error *err)
{
    const lsc_landscape *L = opts->landscape;
    const int n = L->n;
    const size_t bytes = (size_t)n * sizeof(double); /* one vector */
    const long every = opts->every > 0 ? opts->every : 1;

    if (o->n != n) {
        lsc_error_set(err, LSC_EINVAL, "optimizer '%s' was made for %d parameters, the "
                      "landscape has %d", o->label, o->n, n);
        return LSC_EINVAL;
    }
    if ((o->type->flags & LSC_OPTIM_NEEDS_HESSIAN) && !lsc_landscape_has_hessian(L)) {
        lsc_error_set(err, LSC_EINVAL, "optimizer: '%s' needs a Hessian and landscape '%s' "
                      "has none (use a first-order optimizer)", o->type->name, L->type->name);
        return LSC_EINVAL;
    }
    if (!lsc_landscape_in_domain(L, x0)) {
        lsc_error_set(err, LSC_EINVAL, "start: the start point is outside the domain of "
                      "landscape '%s'", L->type->name);
        return LSC_EINVAL;
    }

    /* All memory of the run is allocated here, none in the loop. */
    double *x = malloc(bytes), *g = malloc(bytes);
    double *gs = malloc(bytes), *xbuf = malloc(bytes);
    gsl_rng *rng = lsc_rng_for_run(opts->seed, (unsigned long long)run_index);
    /* rows: step 0, every k-th step, the last one (at most steps/every + 2); none are kept
     * here when a recorder takes them */
    long rows = opts->record ? 0 : opts->steps / every + 2;
    int rc = (x && g && gs && xbuf && rng) ? lsc_run_record_reserve(t, rec, (size_t)rows)
                                            : LSC_ENOMEM;
    batches mb;
    layer_block lb;
    memset(&lb, 0, sizeof lb);
    if (rc != LSC_OK) {
        memset(&mb, 0, sizeof mb);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for a run of %ld steps in %d dimensions",
                      opts->steps, n);
        goto done;
    }
    if ((rc = batches_open(&mb, opts, run_index, t, err)) != LSC_OK ||
        (rc = layers_open(&lb, L, t, err)) != LSC_OK)
        goto done;
    lsc_optim_reset(o);
    if (opts->schedule)
        lsc_schedule_reset(opts->schedule);
    if (rec->start) /* NULL: the trajectory keeps only how the start was made */
        memcpy(rec->start, x0, bytes);
    memcpy(x, x0, bytes);
    lsc_optim_describe(o, rec->optimizer, sizeof rec->optimizer);
    if (opts->schedule)
        lsc_schedule_describe(opts->schedule, rec->schedule, sizeof rec->schedule);
    else
        snprintf(rec->schedule, sizeof rec->schedule, "constant");
    rec->noise = opts->noise;
    rec->clip_norm = opts->clip_norm;
    rec->clip_value = opts->clip_value;
    snprintf(rec->label, sizeof rec->label, "%s", o->label);

    const lsc_step_ctx ctx = {.landscape = L, .rng = rng};
    const double base = lsc_optim_lr(o);
    double lr = opts->schedule ? lsc_schedule_lr(opts->schedule, base, 0) : base;
    double f = eval_point(L, &lb, 1, x, g), gn = norm2(g, n), dist = NAN;
    if (t->has_dist)
        lsc_landscape_nearest_min(L, x, &dist, xbuf);
    rec->status = LSC_STOP_NONE;
    rec->escape = 0;

    if (!isfinite(f) || !isfinite(gn)) {
        rec->status = LSC_STOP_DIVERGED;
        snprintf(rec->reason, sizeof rec->reason, "f or its gradient is not finite at the start");
        goto finish;
    }
    lsc_row row = {.step = 0, .lr = lr, .loss = f, .grad_norm = gn, .dist = dist,
                   .layer = lb.vals, .x = x};
    row_columns(t, &mb, 0, NAN, x, row.col);
    row.col[LSC_COL_TIME] = 0; /* no update yet */
    if ((rc = record_row(opts, run_index, t, rec, &row, err)) != LSC_OK)
        goto done;
    double d0 = 0;
    lsc_stop why = stop_test(opts, f, gn, x, x0, n, &d0);
    if (why != LSC_STOP_NONE) {
        stop_reason(rec, why, opts, f, gn, d0, 0);
        goto finish;
    }

    const long report = opts->steps / 100 > 0 ? opts->steps / 100 : 1;
    const int modified = opts->noise > 0 || opts->clip_norm > 0 || opts->clip_value > 0;
    /* time column: wall seconds since here, less the time spent on recorded values only */
    const int timed = t->cols >> LSC_COL_TIME & 1;
    const double t0 = timed ? wall_now() : 0;
    double booked = 0;
    for (long k = 1; k <= opts->steps; k++) {
        if (opts->progress && k % report == 0)
            opts->progress(opts->progress_user, run_index, k, opts->steps);
        /* g~ = grad f(x) + sigma xi, xi ~ N(0, I) ; then clipping. The true g is kept for
         * the record; without modifiers the optimizer reads g itself (no copy). */
        const double *gstep = g;
        double bl = f; /* full batches: the loss at x, which the update uses */
        if (mb.M && !mb.sampler)
            mb.examples += mb.M->train->n;
        if (mb.sampler) { /* the batch's mean gradient instead (run.h) */
            bl = batch_gradient(&mb, x);
            if (!isfinite(bl) || !all_finite(mb.g, n)) {
                rec->status = LSC_STOP_DIVERGED;
                snprintf(rec->reason, sizeof rec->reason,
                         "the batch loss or its gradient is not finite at step %ld", k);
                break;
            }
            if (opts->schedule)
                lsc_schedule_observe(opts->schedule, bl);
            gstep = mb.g;
        }
        if (modified) {
            memcpy(gs, gstep, bytes);
            if (opts->noise > 0)
                for (int i = 0; i < n; i++)
                    gs[i] += gsl_ran_gaussian_ziggurat(rng, opts->noise);
            if (opts->clip_norm > 0)
                lsc_clip_norm(gs, n, opts->clip_norm);
            if (opts->clip_value > 0)
                lsc_clip_value(gs, n, opts->clip_value);
            gstep = gs;
        }
        if (k > 1)
            lr = opts->schedule ? lsc_schedule_lr(opts->schedule, base, k - 1) : base;

        lsc_optim_set_lr(o, lr);
        int src = lsc_optim_step(o, x, gstep, &ctx);
        if (src < 0) {
            rec->status = LSC_STOP_FAILED;
            snprintf(rec->reason, sizeof rec->reason, "the optimizer could not take step %ld (%s)",
                     k, src == LSC_ESINGULAR ? "singular Hessian" : "error");
            break;
        }
        if (!all_finite(x, n)) {
            rec->status = LSC_STOP_DIVERGED;
            snprintf(rec->reason, sizeof rec->reason, "x is not finite after step %ld", k);
            break;
        }
        if (!lsc_landscape_in_domain(L, x)) {
            rec->status = LSC_STOP_DOMAIN;
            snprintf(rec->reason, sizeof rec->reason,
                     "left the landscape's domain at step %ld", k);
            break;
        }
        /* the escape event: on every step, until it happens (run.h) */
        if (opts->escape > 0 && rec->escape == 0 && distance(x, x0, n) >= opts->escape)
            rec->escape = k;
        /* mini-batches: the full f and grad f only on recorded rows (run.h) */
        if (mb.sampler && k % every != 0 && k != opts->steps)
            continue;
        double tb = timed && mb.sampler ? wall_now() : NAN; /* recording begins */
        /* the per-layer block on the rows recorded by the clock (a stop's row below) */
        const int clocked = k % every == 0 || k == opts->steps;
        f = eval_point(L, &lb, clocked, x, g);
        gn = norm2(g, n);
        if (!isfinite(f) || !isfinite(gn)) {
            rec->status = LSC_STOP_DIVERGED;
            snprintf(rec->reason, sizeof rec->reason,
                     "f or its gradient is not finite after step %ld", k);
            break;
        }
        if (opts->schedule && !mb.sampler)
            lsc_schedule_observe(opts->schedule, f);
        double dx = 0;
        why = stop_test(opts, f, gn, x, x0, n, &dx);
        if (clocked || why != LSC_STOP_NONE) {
            if (timed && isnan(tb))
                tb = wall_now();
            if (!clocked && lb.on) /* the same f and g again, with the block this time */
                f = eval_point(L, &lb, 1, x, g);
            if (t->has_dist)
                lsc_landscape_nearest_min(L, x, &dist, xbuf);
            row = (lsc_row){.step = k, .lr = lr, .loss = f, .grad_norm = gn, .dist = dist,
                            .layer = lb.vals, .x = x};
            row_columns(t, &mb, k, bl, x, row.col);
            row.col[LSC_COL_TIME] = tb - t0 - booked;
            if ((rc = record_row(opts, run_index, t, rec, &row, err)) != LSC_OK)
                goto done;
        }
        if (timed && !isnan(tb))
            booked += wall_now() - tb;
        if (why != LSC_STOP_NONE) {
            stop_reason(rec, why, opts, f, gn, dx, k);
            break;
        }
    }
    if (rec->status == LSC_STOP_NONE) {
        rec->status = LSC_STOP_MAX_STEPS;
        snprintf(rec->reason, sizeof rec->reason, "reached the step budget (%ld steps)",
                 opts->steps);
    }
finish:
    rc = (int)rec->status;
done:
    free(x);
    free(g);
    free(gs);
    free(xbuf);
    batches_close(&mb);
    layers_close(&lb);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}

/* ---- lockstep: many runs of an elementwise optimizer as one vector (run.h) ------------- */

int lsc_run_lockstep_ok(const lsc_run_opts *opts, const lsc_optim_type *type,
                        const lsc_trajectory *t)
{
    const lsc_landscape *L = opts->landscape;
    return (type->flags & LSC_OPTIM_ELEMENTWISE) &&
           !(type->flags & (LSC_OPTIM_NEEDS_HESSIAN | LSC_OPTIM_RANDOM)) && !opts->schedule &&
           opts->noise == 0 && opts->clip_norm == 0 && opts->clip_value == 0 &&
           opts->batch_size == 0 && !lsc_landscape_model(L) && !opts->progress &&
           opts->record && !(t->cols >> LSC_COL_TIME & 1) && lsc_run_columns(L, t) == t->cols;
}

/* What lsc_run sets in a record before its first step. */
static void lockstep_record(const lsc_run_opts *opts, const lsc_optim *o, const double *x0,
                            int n, lsc_run_record *rec)
{
    if (rec->start)
        memcpy(rec->start, x0, (size_t)n * sizeof *x0);
    lsc_optim_describe(o, rec->optimizer, sizeof rec->optimizer);
    snprintf(rec->schedule, sizeof rec->schedule, "constant");
    rec->noise = opts->noise;
    rec->clip_norm = opts->clip_norm;
    rec->clip_value = opts->clip_value;
    snprintf(rec->label, sizeof rec->label, "%s", o->label);
    rec->status = LSC_STOP_NONE;
    rec->escape = 0;
}

/* Record row (step k, f, gn) of a run at x, with dist when the header has it. */
static int lockstep_row(const lsc_run_opts *opts, const lsc_trajectory *t, int run,
                        lsc_run_record *rec, long k, double lr, double f, double gn,
                        const double *x, double *xbuf, lsc_error *err)
{
    double dist = NAN;
    if (t->has_dist)
        lsc_landscape_nearest_min(opts->landscape, x, &dist, xbuf);
    lsc_row row = {.step = k, .lr = lr, .loss = f, .grad_norm = gn, .dist = dist, .x = x};
    row.col[LSC_COL_TIME] = 0;
    return record_row(opts, run, t, rec, &row, err);
}

/* Step k of the runs still going (live[i]): after the joint update, each run's checks,
 * f and gradient, stop conditions and row, in lsc_run's order. */
static int lockstep_check(const lsc_run_opts *opts, int m, const double *x0,
                          const int *run_index, const lsc_trajectory *t, lsc_run_record *recs,
                          double *X, double *G, char *live, long k, double lr, double *xbuf,
                          lsc_error *err)
{
    const lsc_landscape *L = opts->landscape;
    const int n = L->n;
    const long every = opts->every > 0 ? opts->every : 1;
    for (int i = 0; i < m; i++) {
        if (!live[i])
            continue;
        double *x = X + (size_t)i * n, *g = G + (size_t)i * n;
        const double *s = x0 + (size_t)i * n;
        lsc_run_record *rec = &recs[i];
        live[i] = 0; /* until it passes every check */
        if (!all_finite(x, n)) {
            rec->status = LSC_STOP_DIVERGED;
            snprintf(rec->reason, sizeof rec->reason, "x is not finite after step %ld", k);
            continue;
        }
        if (!lsc_landscape_in_domain(L, x)) {
            rec->status = LSC_STOP_DOMAIN;
            snprintf(rec->reason, sizeof rec->reason,
                     "left the landscape's domain at step %ld", k);
            continue;
        }
        if (opts->escape > 0 && rec->escape == 0 && distance(x, s, n) >= opts->escape)
            rec->escape = k;
        const double f = lsc_landscape_fdf(L, x, g), gn = norm2(g, n);
        if (!isfinite(f) || !isfinite(gn)) {
            rec->status = LSC_STOP_DIVERGED;
            snprintf(rec->reason, sizeof rec->reason,
                     "f or its gradient is not finite after step %ld", k);
            continue;
        }
        double dx = 0;
        const lsc_stop why = stop_test(opts, f, gn, x, s, n, &dx);
        if (k % every == 0 || k == opts->steps || why != LSC_STOP_NONE) {
            int rc = lockstep_row(opts, t, run_index[i], rec, k, lr, f, gn, x, xbuf, err);
            if (rc != LSC_OK)
                return rc;
        }
        if (why != LSC_STOP_NONE)
            stop_reason(rec, why, opts, f, gn, dx, k);
        else
            live[i] = 1;
    }
    return LSC_OK;
}

/* Every run's start: f, gradient, the row of step 0 and the stop conditions there. */
static int lockstep_start(const lsc_run_opts *opts, lsc_optim *o, int m, const double *x0,
                          const int *run_index, const lsc_trajectory *t, lsc_run_record *recs,
                          double *X, double *G, char *live, double lr, double *xbuf,
                          lsc_error *err)
{
    const lsc_landscape *L = opts->landscape;
    const int n = L->n;
    for (int i = 0; i < m; i++) {
        double *x = X + (size_t)i * n, *g = G + (size_t)i * n;
        const double *s = x0 + (size_t)i * n;
        lsc_run_record *rec = &recs[i];
        lockstep_record(opts, o, s, n, rec);
        memcpy(x, s, (size_t)n * sizeof *x);
        const double f = lsc_landscape_fdf(L, x, g), gn = norm2(g, n);
        live[i] = 0;
        if (!isfinite(f) || !isfinite(gn)) {
            rec->status = LSC_STOP_DIVERGED;
            snprintf(rec->reason, sizeof rec->reason,
                     "f or its gradient is not finite at the start");
            continue;
        }
        int rc = lockstep_row(opts, t, run_index[i], rec, 0, lr, f, gn, x, xbuf, err);
        if (rc != LSC_OK)
            return rc;
        double d0 = 0;
        const lsc_stop why = stop_test(opts, f, gn, x, s, n, &d0);
        if (why != LSC_STOP_NONE)
            stop_reason(rec, why, opts, f, gn, d0, 0);
        else
            live[i] = 1;
    }
    return LSC_OK;
}

/* lsc_run's checks of the arguments, for every run (the lowest index's error first). */
static int lockstep_args(const lsc_run_opts *opts, const lsc_optim *o, int m,
                         const double *x0, const lsc_trajectory *t, lsc_error *err)
{
    const lsc_landscape *L = opts->landscape;
    if (m < 1 || (long)o->n != (long)m * L->n || !lsc_run_lockstep_ok(opts, o->type, t)) {
        lsc_error_set(err, LSC_EINVAL, "lockstep: %d runs of '%s' in %d dimensions cannot be "
                      "made together", m, o->type->name, L->n);
        return LSC_EINVAL;
    }
    for (int i = 0; i < m; i++)
        if (!lsc_landscape_in_domain(L, x0 + (size_t)i * L->n)) {
            lsc_error_set(err, LSC_EINVAL, "start: the start point is outside the domain of "
                          "landscape '%s'", L->type->name);
            return LSC_EINVAL;
        }
    return LSC_OK;
}

int lsc_run_lockstep(const lsc_run_opts *opts, lsc_optim *o, int m, const double *x0,
                     const int *run_index, const lsc_trajectory *t, lsc_run_record *recs,
                     lsc_error *err)
{
    int rc = lockstep_args(opts, o, m, x0, t, err);
    if (rc != LSC_OK)
        return rc;
    const int n = opts->landscape->n;
    /* All memory is allocated here, none in the loop. */
    double *X = malloc((size_t)m * n * sizeof *X), *G = malloc((size_t)m * n * sizeof *G);
    double *xbuf = malloc((size_t)n * sizeof *xbuf);
    char *live = malloc((size_t)m);
    if (!X || !G || !xbuf || !live) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for %d runs in %d dimensions", m, n);
        rc = LSC_ENOMEM;
        goto done;
    }
    lsc_optim_reset(o);
    const double lr = lsc_optim_lr(o);
    rc = lockstep_start(opts, o, m, x0, run_index, t, recs, X, G, live, lr, xbuf, err);
    int going = 0;
    for (int i = 0; i < m; i++)
        going += live[i];
    const lsc_step_ctx ctx = {.landscape = opts->landscape};
    for (long k = 1; rc == LSC_OK && going && k <= opts->steps; k++) {
        lsc_optim_set_lr(o, lr);
        if (lsc_optim_step(o, X, G, &ctx) < 0) { /* every run still going fails here */
            for (int i = 0; i < m; i++)
                if (live[i]) {
                    recs[i].status = LSC_STOP_FAILED;
                    snprintf(recs[i].reason, sizeof recs[i].reason,
                             "the optimizer could not take step %ld (error)", k);
                    live[i] = 0;
                }
            break;
        }
        rc = lockstep_check(opts, m, x0, run_index, t, recs, X, G, live, k, lr, xbuf, err);
        going = 0;
        for (int i = 0; i < m; i++)
            going += live[i];
    }
    for (int i = 0; rc == LSC_OK && i < m; i++)
        if (recs[i].status == LSC_STOP_NONE) {
            recs[i].status = LSC_STOP_MAX_STEPS;
            snprintf(recs[i].reason, sizeof recs[i].reason,
                     "reached the step budget (%ld steps)", opts->steps);
        }
done:
    free(X);
    free(G);
    free(xbuf);
    free(live);
    return rc;
}
