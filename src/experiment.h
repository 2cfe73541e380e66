/* experiment.h — one object for a whole experiment
 *
 * An experiment is a landscape (a spec, or one the caller made), its dimension, a start,
 * optimizers (one run each) in groups, and the driver options. Every setting is a key with
 * a text value, the same from the command line, a recipe and C:
 *
 *   landscape   spec, e.g. rosenbrock:b=100 (or lsc_experiment_use_landscape)
 *   dim         dimension of an n-D landscape (1 to LSC_MAX_DIM; default the landscape's)
 *   start       where the runs start:
 *                 X1,X2,...,Xn     these numbers
 *                 random           a set of starts uniform in the landscape's box, each
 *                                  retried into its domain: start j from the generator
 *                                  lsc_rng_for_run(seed, ~0 - j) (no run's own; start 0
 *                                  is the one start of an experiment without runs)
 *                 standard[:K]     the landscape's standard start K (default 0)
 *                 file:PATH        n numbers from a file, one or more a line separated by
 *                 @PATH            commas or blanks (a column, or one row; '#' lines
 *                                  skipped; what lsc_experiment_save_start writes)
 *               default: standard, or random for a landscape without standard starts
 *   data        a model's data set (model.h, dataset.h): a generator spec such as
 *               spiral:noise=0.1 (its seed defaults to the seed key's) or a file NAME.csv
 *               / NAME.tsv; needed by the model landscapes (linreg, logreg, softmax, mlp)
 *               and refused by the others
 *   target      a data file's target column (default: its last)
 *   holdout     fraction of the examples held out as a test set, seeded by the seed key
 *               (0, the default: none); the landscape is the mean loss over the rest
 *   init        a start drawn by an initialisation scheme (init.h), layer by layer for a
 *               model: xavier-uniform, he-normal, orthogonal:gain=2, torch, ...; from the
 *               generator lsc_rng_for_run(seed, LSC_INIT_STREAM); excludes start
 *   optimizer   spec; each one adds a run to the group it is set in
 *   runs        K: runs per optimizer (1 to 1000000; default 1), each from start j of the
 *               start set (a set of one start: every run from it, differing only in its
 *               own random streams, e.g. gradient noise)
 *   + the driver options of lsc_driver_options (trajectory.h): schedule, clip_norm,
 *     clip_value, noise, seed, steps, stop_grad, stop_loss, stop_dist, every, positions,
 *     box (LO:HI or LO:HI,LO:HI,...: set on the landscape, lsc_landscape_set_box; refused
 *     for a landscape of lsc_experiment_use_landscape, whose box is the caller's to set).
 *
 * Group 0 is the experiment itself; lsc_experiment_group adds another (a recipe's [run
 * NAME]): its runs take the group's own values of the options a group may set (schedule,
 * noise, clip_norm, clip_value: the table's group column) and group 0's for the rest.
 *
 * Values are checked when they are set (their syntax and range) and when the experiment
 * is prepared (against the landscape: the start's length and domain, positions first:K,
 * the specs). Messages name the key, never a command-line flag ("clip_norm: '0' is not
 * allowed ..."); lsc_experiment_error_key says which key (and which run or group) an error
 * is about, so that a caller can name its own flag or file line.
 *
 *     lsc_experiment *x = lsc_experiment_new();
 *     lsc_experiment_set(x, "landscape", "rosenbrock", &err);
 *     lsc_experiment_set(x, "optimizer", "adam:lr=0.01", &err);
 *     lsc_experiment_set(x, "steps", "500", &err);
 *     lsc_experiment_write(x, "race.tsv", &err);     (prepare, run, write the file)
 *     lsc_experiment_free(x);
 *
 * Runs are independent: run i uses only its optimizer, its own schedule object and the
 * generator lsc_rng_for_run(seed, i), so its rows do not depend on the order in which the
 * runs are made. Threads: the key `threads` (0, the default: every core) spreads the runs
 * of lsc_experiment_run, lsc_experiment_write, lsc_experiment_summaries and
 * lsc_experiment_write_summary over threads (parallel.h), each thread with optimizers and
 * schedules of its own; files are written in run order, the same bytes for any thread
 * count. A landscape that is not reentrant (landscape.h: the models, rnn, expr, user
 * functions) is run on one thread. Progress callbacks are called only when one thread
 * makes the runs. Full trajectories are made in chunks of at most 256 runs (fewer when
 * their rows would pass 256 MB), each chunk's rows handed to the recorder in run order.
 *
 * Ensembles. With K starts (the runs key, or what the start set implies) and M optimizers
 * there are M x K runs, optimizer-major: run i = m K + j is optimizer m (in the order they
 * were set) from start j, so each optimizer's runs are contiguous (a study reads them as
 * one sample). Run i's streams come from (seed, i) and its start from (seed, j) alone;
 * with K > 1 its label is LABEL#j. A trajectory holds at most LSC_TRAJ_MAX_RUNS runs; a
 * summary (lsc_experiment_write_summary) any number, one row a run, in memory that grows
 * neither with the steps nor with the runs.
 */
#ifndef LSC_EXPERIMENT_H
#define LSC_EXPERIMENT_H

#include "basins.h"
#include "landscape.h"
#include "optim.h"
#include "param.h"
#include "run.h"
#include "schedule.h"
#include "trajectory.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_EXPERIMENT_MAX_GROUPS 64

typedef struct lsc_experiment lsc_experiment; /* opaque */

LSC_API lsc_experiment *lsc_experiment_new(void); /* NULL: out of memory */
LSC_API void lsc_experiment_free(lsc_experiment *x);

/* What a key is: 0 unknown, 1 a setting of the whole experiment, 2 one a group may set
 * too (optimizer, and the group options of the table). */
LSC_API int lsc_experiment_key(const char *key);
/* Every key (group_only: those a group may set), for messages and help: fills names (up to
 * cap) and returns how many there are. */
LSC_API int lsc_experiment_keys(const char **names, int cap, int group_only);

/* Set a key of group 0 (the experiment) or of a group. Checks the value's syntax and
 * range now (against the landscape once the experiment is prepared); a refused value
 * changes nothing. "optimizer" adds a run. */
LSC_API int lsc_experiment_set(lsc_experiment *x, const char *key, const char *value,
                               lsc_error *err);
LSC_API int lsc_experiment_set_in(lsc_experiment *x, int group, const char *key, const char *value,
                                  lsc_error *err);
/* The same with a number (written at full precision). */
LSC_API int lsc_experiment_set_real(lsc_experiment *x, int group, const char *key, double value,
                                    lsc_error *err);
/* A new group of runs (name: for messages); returns its index (> 0) or a negative error. */
LSC_API int lsc_experiment_group(lsc_experiment *x, const char *name, lsc_error *err);
/* A landscape the caller made and keeps (it must outlive x); replaces the landscape key. */
LSC_API int lsc_experiment_use_landscape(lsc_experiment *x, const lsc_landscape *L, lsc_error *err);
/* The start as numbers (n of them), instead of the start key's text. */
LSC_API int lsc_experiment_set_start(lsc_experiment *x, const double *x0, int n, lsc_error *err);

/* The value of a key as text: what was set, or the default ("" for a key without one;
 * a group's unset option: group 0's). Returns LSC_OK or LSC_EINVAL (unknown key). */
LSC_API int lsc_experiment_get(const lsc_experiment *x, int group, const char *key, char *buf,
                               size_t len);
/* 1 when the key was set for this group (not its default). */
LSC_API int lsc_experiment_is_set(const lsc_experiment *x, int group, const char *key);

/* Progress callback for every run (see lsc_run_opts.progress). */
LSC_API void lsc_experiment_set_progress(lsc_experiment *x,
                                         void (*progress)(void *user, int run, long done,
                                                          long steps),
                                         void *user);

/* Make everything the runs need, checking it all, before any run: the landscape, the
 * start, each run's optimizer and schedule, positions and the dist column. A second call
 * does nothing. LSC_EINVAL for a value that does not fit the landscape (the message
 * names the key), LSC_ENOMEM. */
LSC_API int lsc_experiment_prepare(lsc_experiment *x, lsc_error *err);

/* The key the last error of x was about ("" when none), and which run (optimizer) or
 * group (group options) it concerned (0 otherwise). */
LSC_API const char *lsc_experiment_error_key(const lsc_experiment *x, int *index);

/* After lsc_experiment_prepare: */
LSC_API const lsc_landscape *lsc_experiment_landscape(const lsc_experiment *x);
LSC_API int lsc_experiment_nruns(const lsc_experiment *x); /* M x K (before: as the keys say) */
LSC_API int lsc_experiment_noptimizers(const lsc_experiment *x); /* M */
LSC_API int lsc_experiment_nstarts(const lsc_experiment *x);     /* K */
LSC_API int lsc_experiment_ngroups(const lsc_experiment *x);
LSC_API int lsc_experiment_run_group(const lsc_experiment *x, int run);
LSC_API int lsc_experiment_run_optimizer(const lsc_experiment *x, int run); /* m, or -1 */
LSC_API int lsc_experiment_run_start(const lsc_experiment *x, int run);     /* j, or -1 */
LSC_API int lsc_experiment_optimizer_group(const lsc_experiment *x, int m);
LSC_API const char *lsc_experiment_optimizer(const lsc_experiment *x, int run); /* spec as given */
/* Start j of the set into out (n numbers), the same whenever asked. */
LSC_API int lsc_experiment_start_of(const lsc_experiment *x, int j, double *out, lsc_error *err);
LSC_API int lsc_experiment_npos(const lsc_experiment *x);     /* coordinates kept per row */
LSC_API int lsc_experiment_has_dist(const lsc_experiment *x); /* rows have a dist column */
/* The optional columns its trajectory will have (trajectory.h; lsc_run_columns), once
 * prepared; 0 before. */
LSC_API unsigned long long lsc_experiment_columns(lsc_experiment *x);
LSC_API unsigned long long lsc_experiment_seed(const lsc_experiment *x); /* also before */
LSC_API const double *lsc_experiment_start(const lsc_experiment *x);
LSC_API const lsc_start_desc *lsc_experiment_start_desc(const lsc_experiment *x);
/* The driver options of run i (its landscape, schedule, clipping, noise, ...). */
LSC_API const lsc_run_opts *lsc_experiment_run_opts(const lsc_experiment *x, int run);

/* A trajectory for the runs of x: its header (landscape, driver options) filled, no runs
 * yet. Prepares x first if needed; on an error t is left empty (n = 0) and the error is
 * returned. Free t with lsc_trajectory_free either way. */
LSC_API int lsc_experiment_trajectory(lsc_experiment *x, lsc_trajectory *t, lsc_error *err);

/* Make every run in order, appending one record to t (from lsc_experiment_trajectory, with
 * no runs yet) per run and handing each recorded row to record(user, ...); record NULL
 * keeps the rows in t. Recorders: lsc_trajectory_stream_row (the file),
 * lsc_trajectory_last_row (a summary), or the caller's own. Prepares x first if needed.
 * Returns LSC_OK, or the first error (a run that stops early is no error: its record says
 * why). */
LSC_API int lsc_experiment_run(lsc_experiment *x, lsc_trajectory *t, lsc_run_recorder record,
                               void *user, lsc_error *err);

/* Make run `run` alone into rec (zeroed, or a record of t; its start, if any, gets the
 * run's start), handing rows to record(user, ...) as lsc_experiment_run does. Runs may be
 * made in any order: each depends on (seed, run) alone. Not for two runs of one
 * optimizer at once (they share its state). */
LSC_API int lsc_experiment_run_one(lsc_experiment *x, int run, const lsc_trajectory *t,
                                   lsc_run_record *rec, lsc_run_recorder record, void *user,
                                   lsc_error *err);

/* One run's summary: where it ended and when each stop condition first held. */
typedef struct {
    int run, optimizer, start;  /* run index, optimizer m, start j */
    char label[LSC_NAME_MAX];   /* LABEL#j */
    long step;                  /* the last recorded step */
    lsc_stop status;
    char reason[256];
    double loss, grad_norm;     /* at that step (noise-free) */
    long stop_step[3];          /* the step at which stop_grad, stop_loss, stop_dist first
                                   held (-1: off or never) */
    long escape;                /* the first step with |x - x_start| >= escape (-1: off
                                   or never; run.h) */
} lsc_run_summary;

/* Make run `run` and summarise it (no rows kept). Like lsc_experiment_run_one, not for
 * two runs of one experiment at once: lsc_experiment_summaries makes them on threads. */
LSC_API int lsc_experiment_summary_run(lsc_experiment *x, int run, lsc_run_summary *s,
                                       lsc_error *err);

/* Summaries of runs first .. first + count - 1 into s[0 .. count - 1], made on the
 * experiment's threads (the threads key; 0 or unset: every core; one thread on a landscape
 * that is not reentrant, landscape.h). The same bytes for any thread count. */
LSC_API int lsc_experiment_summaries(lsc_experiment *x, int first, int count,
                                     lsc_run_summary *s, lsc_error *err);

/* Prepare, make every run and write the summary at path through lsc_outfile (all or
 * nothing; "-": standard output). TSV:
 *
 *   # losscape summary v1
 *   # version, landscape, dim, [data, target, holdout], every driver option (as the
 *     trajectory header writes them)
 *   # runs: K                  starts per optimizer
 *   # start: ...               the one start's numbers (n <= 64), or how the starts were
 *                              made (lsc_start_describe: 'random box, seed 1')
 *   # optimizer M: SPEC        canonical, with its label, group and group options:
 *   # optimizer M label: adam  '# optimizer M group: NAME', '# optimizer M noise: 0.1'
 *   run optimizer label start step status loss grad_norm stop_grad_step stop_loss_step
 *   stop_dist_step escape_step reason
 *
 * one row a run in run order; a stop or escape step is empty when its condition is off or
 * never held; reason (last) is the run's sentence. */
LSC_API int lsc_experiment_write_summary(lsc_experiment *x, const char *path, lsc_error *err);

/* Prepare, run and write the trajectory file at path ("-": standard output) through the
 * streaming writer (its rows are not kept in memory). */
LSC_API int lsc_experiment_write(lsc_experiment *x, const char *path, lsc_error *err);

/* Write the start's n numbers to path, one per line after a few '#' lines (landscape,
 * dimension, how it was made), through lsc_outfile. A start key of file:PATH reads it
 * back to the same numbers. */
LSC_API int lsc_experiment_save_start(const lsc_experiment *x, const char *path, lsc_error *err);

/* Basins of attraction (basins.h) of the experiment's optimizers over its (2-D) landscape,
 * each with the driver options of its own group (schedule, noise, clipping): the box
 * xlim x ylim (NAN: the landscape's), n starts per axis, tolerance tol. */
LSC_API int lsc_experiment_basins(lsc_experiment *x, lsc_basins *b, const double xlim[2],
                                  const double ylim[2], int n, double tol, lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
