/* run.h — the driver loop: gradient, noise, clipping, schedule, step, record
 *
 *   for t = 1, 2, ...:  g <- grad f(x) (+ noise) ; g <- clip(g) ; lr <- schedule(t-1) ;
 *                       optimizer.step(x, g, lr) ; record(t, x, f(x), |grad f(x)|, lr)
 *
 * The loop belongs here, never to an optimizer, so recording, stopping and noise are
 * written once. Every random draw comes from a generator seeded from (seed, run index).
 *
 * Stop conditions, tested on the true (noise-free) values at the start and after every
 * update, in this order (the first that holds names the status; the row of that step is
 * always recorded, whatever `every` says):
 *   converged      |grad f(x)| <= stop_grad
 *   loss-reached   f(x) <= stop_loss
 *   dist-reached   |x - x_start| >= stop_dist   (Euclidean, all n coordinates)
 * then the step budget (max-steps). The escape event (escape > 0) is tested after every
 * update, on every step whatever `every` says, and never stops a run: rec->escape is the
 * first step k with |x_k - x_start| >= escape (0: not within the run). Failures stop a run too: diverged, left-domain,
 * failed. The run's reason says which value crossed which level at which step.
 *
 * Mini-batches (a model over data, model.h, with batch_size > 0): update k reads the mean
 * gradient over the k-th batch of the run's sampler (sampler.h; made from (seed, run
 * index), so the batches never depend on threads or run order), plus the l2 term:
 *
 *   g_k = (1/m) sum_{i in batch k} grad l_i(x) + l2 (weights)      m = the batch's size
 *
 * loss and grad_norm stay the exact full-data f(x) and |grad f(x)|, computed only on the
 * rows that are recorded (every k-th step and the last), so an update costs O(B), not
 * O(N); the stop conditions are tested on those rows only.
 *
 * The optional columns of the trajectory (t->cols: epoch, batch_loss, test_loss, acc,
 * test_acc, time, eig_min, eig_max; trajectory.h says what each holds) are computed here,
 * on recorded rows only, into the row handed to the recorder.
 */
#ifndef LSC_RUN_H
#define LSC_RUN_H

#include "landscape.h"
#include "optim.h"
#include "sampler.h"
#include "schedule.h"
#include "streams.h"
#include "trajectory.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A recorder (as liblbfgs's progress callback): takes one recorded row of run run_index
 * (see lsc_run_opts.record); row->col holds the optional columns t->cols names. */
typedef int (*lsc_run_recorder)(void *user, int run_index, const lsc_row *row,
                                lsc_error *err);

typedef struct {
    const lsc_landscape *landscape;
    lsc_schedule *schedule; /* NULL: constant */
    long steps;             /* budget (updates) */
    double stop_grad;       /* stop when the true |grad f| <= stop_grad (0: off) */
    double stop_loss;       /* with stop_loss_on: stop when the true f(x) <= stop_loss */
    int stop_loss_on;       /* 0: off (a zeroed struct stops at no loss level) */
    double stop_dist;       /* stop when |x - x_start| >= stop_dist (0: off) */
    double escape;          /* an event: rec->escape = the first step k with
                               |x_k - x_start| >= escape (0: off); does not stop the run */
    double clip_norm;       /* 0: off */
    double clip_value;      /* 0: off */
    double noise;           /* std. dev. of isotropic Gaussian gradient noise (0: off) */
    unsigned long long seed;
    long every;             /* record every k-th step (the first and last always) */
    long batch_size;        /* a model over data: examples per update (0: all, the exact
                               gradient); other landscapes: must be 0 */
    lsc_sampling sampling;  /* how batches are drawn (sampler.h) */
    int drop_last;          /* drop each epoch's short last batch */
    /* Optional: called about 100 times a run with the number of steps done (for progress
     * displays); never from inside an optimizer step. */
    void (*progress)(void *user, int run_index, long done, long steps);
    void *progress_user;
    /* Optional recorder (as liblbfgs's progress callback): when set, lsc_run calls it for
     * every recorded row INSTEAD of appending the row to rec's columns (rec still gets its
     * start, optimizer, label, status and reason), so memory does not grow with the number
     * of steps. dist is nan unless t->has_dist, col[k] unless t->cols has column k; x has
     * all n coordinates. A non-zero return
     * (a negative LSC_ code, with err set) stops the run, and lsc_run returns it.
     * lsc_trajectory_stream_row writes rows to a file this way; lsc_trajectory_last_row keeps
     * only each run's last row. */
    lsc_run_recorder record;
    void *record_user;
} lsc_run_opts;

/* Run optimizer o (reset first) from x0, appending rows to rec, or handing them to
 * opts->record when set (rec->start and the run's metadata are set either way).
 * Returns a stop code (> 0) or a negative error with err set. */
LSC_API int lsc_run(const lsc_run_opts *opts, lsc_optim *o, const double *x0, int run_index,
                    const lsc_trajectory *t, lsc_run_record *rec, lsc_error *err);

/* Lockstep: m runs of one elementwise optimizer (LSC_OPTIM_ELEMENTWISE) stepped together,
 * o made for m x n parameters holding run i's x at i n. Each run's rows, metadata, status
 * and reason are bitwise those lsc_run would give it (the same f, gradient and per-
 * coordinate update; a run that stops is left to drift and is never looked at again), but
 * the updates of all runs are one long elementwise step and the independent runs overlap
 * in the processor, where one run alone waits on every sqrt and division in turn.
 * For what lsc_run_lockstep_ok accepts: no schedule, noise, clipping, batches, model,
 * time column or progress callback. Runs run_index[i] from x0 + i n into recs[i]; rows go
 * to opts->record (required) with the run's index. Returns LSC_OK or a negative error. */
LSC_API int lsc_run_lockstep(const lsc_run_opts *opts, lsc_optim *o, int m,
                             const double *x0, const int *run_index, const lsc_trajectory *t,
                             lsc_run_record *recs, lsc_error *err);
/* 1 when lsc_run_lockstep can make runs with these options, optimizer type and header. */
LSC_API int lsc_run_lockstep_ok(const lsc_run_opts *opts, const lsc_optim_type *type,
                                const lsc_trajectory *t);

/* Fill the trajectory header (landscape, schedule, options) from opts, and its optional
 * columns from the landscape (lsc_run_columns with t->record_time). */
LSC_API void lsc_trajectory_describe_opts(lsc_trajectory *t, const lsc_run_opts *opts);

/* The optional columns (bit k: lsc_columns[k], trajectory.h) of runs on landscape L with
 * header t: each column whose needs hold: epoch and batch_loss for a model over data (t
 * names a data set), test_loss with a holdout (t->holdout > 0 and L has held-out
 * examples), acc (and test_acc with a holdout) for a classification model (bce, ce), time
 * when t->record_time is set, eig_min and eig_max when t->hessian is. lsc_run computes the columns of the trajectory it is given
 * (t->cols), and refuses one these do not allow. */
LSC_API unsigned long long lsc_run_columns(const lsc_landscape *L, const lsc_trajectory *t);

/* The per-layer block of runs on landscape L with layer_stats on (trajectory.h): returns
 * the number of layers L (0: L has none) and sets *fams to its families: mlp, its Linear
 * layers with g w a sat; deep-linear, its L square matrices, and chain, its L weights,
 * with g w; rnn, its T time steps with h. lsc_trajectory_describe_opts sets t->layers and
 * t->layer_fams from it when t->layer_stats is on; lsc_run refuses a block that differs. */
LSC_API int lsc_run_layers(const lsc_landscape *L, unsigned *fams);

#ifdef __cplusplus
}
#endif
#endif
