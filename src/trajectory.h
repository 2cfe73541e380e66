/* trajectory.h — recorded runs in memory (columnar) and as TSV files
 *
 * File format (TSV, UTF-8):
 *
 *   # losscape trajectory v1
 *   # version: 0.1.0
 *   # landscape: rosenbrock:a=1,b=100          (canonical spec, every parameter)
 *   # dim: 2
 *   # schedule: constant
 *   # clip_norm: 0            (0 = off)
 *   # clip_value: 0           (0 = off)
 *   # noise: 0                (standard deviation of Gaussian gradient noise)
 *   # seed: 1
 *   # steps: 1000             (budget)
 *   # stop_grad: 0            (0 = off)
 *   # every: 1                (every k-th step recorded; the last step always is)
 *   # positions: all          (all | first:K | none)
 *   # run 0 optimizer: adam:lr=0.001,beta1=0.9,...
 *   # run 0 label: adam
 *   # run 0 start: -1.5,2
 *   # run 0 status: max-steps
 *   # run 0 reason: reached the step budget (1000 steps)
 *   # run 0 schedule: cosine:T_max=500,eta_min=0   (only where a run has its own
 *                                                  schedule, noise, clip_norm, clip_value)
 *   run  step  lr  loss  grad_norm  [dist]  x1  x2 ...
 *
 * One row per recorded step; step 0 is the start. `lr` of row k is the learning rate
 * update k used (row 0 shows the first one). loss and grad_norm are noise-free values
 * at x. Numbers are written so that they read back exactly.
 *
 * The reader trusts nothing in a file. It checks the metadata and the header row against
 * each other: the first line is '# losscape trajectory v1'; 'landscape', 'dim', 'steps',
 * 'every' and 'positions' are given, 'dim' once and before any run line; the x columns
 * are x1..xK with K <= dim and K agreeing with 'positions'; 'dist' may only follow
 * grad_norm; every run from 0 up has its optimizer, label, start (dim finite numbers),
 * status and reason lines, and a run line names an existing run or the next one; rows
 * name a defined run, come in run order with increasing steps between 0 and 'steps', and
 * have one number per column: run and step integers, every other value finite except
 * dist, which may be nan. Sizes are bounded (LSC_TRAJ_MAX_*), so a hostile file
 * (/dev/zero, a FIFO, a huge run index) fails fast with an error naming the file, the line
 * and the limit.
 */
#ifndef LSC_TRAJECTORY_H
#define LSC_TRAJECTORY_H

#include <stddef.h>
#include <stdio.h>
#include "outfile.h"
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a run stopped (positive codes) */
typedef enum {
    LSC_STOP_NONE = 0,      /* still running / unknown */
    LSC_STOP_MAX_STEPS = 1, /* step budget reached */
    LSC_STOP_CONVERGED = 2, /* grad_norm <= stop_grad */
    LSC_STOP_DIVERGED = 3,  /* non-finite value or gradient */
    LSC_STOP_DOMAIN = 4,    /* left the landscape's domain */
    LSC_STOP_FAILED = 5,    /* the optimizer could not step (singular Hessian, ...) */
} lsc_stop;

const char *lsc_stop_name(lsc_stop s); /* "max-steps", "converged", ... */
int lsc_stop_from_name(const char *name, lsc_stop *out);

/* One run: columns of equal length len. */
typedef struct {
    char optimizer[LSC_VALUE_MAX]; /* canonical optimizer spec */
    char label[LSC_NAME_MAX];
    /* Driver options of this run. They equal the file's header values unless the run was
     * given its own (recipes with [run NAME] sections); then the file has
     * '# run K schedule:' / 'noise:' / 'clip_norm:' / 'clip_value:' lines. */
    char schedule[LSC_VALUE_MAX];
    double noise, clip_norm, clip_value;
    int own_noise, own_clip_norm, own_clip_value; /* read from the run's own lines */
    double *start;                 /* n coordinates */
    lsc_stop status;
    char reason[256];
    size_t len, cap;
    long *step;
    double *lr, *loss, *grad_norm;
    double *dist;                  /* NULL unless the file has a dist column */
    double *x;                     /* len * npos, row-major */
} lsc_run_record;

typedef struct {
    char version[32];
    char landscape[LSC_VALUE_MAX]; /* canonical landscape spec */
    int n;                         /* dimension */
    int npos;                      /* coordinates stored per row (n, K or 0) */
    int has_dist;
    char schedule[LSC_VALUE_MAX];
    double clip_norm, clip_value, noise, stop_grad;
    unsigned long long seed;
    long steps, every;
    int nruns;
    lsc_run_record *runs;
    int runs_cap;                  /* allocated records (grows geometrically) */
} lsc_trajectory;

/* Limits of the reader (see the format notes above). */
#define LSC_TRAJ_MAX_RUNS 1024               /* runs in one file */
#define LSC_TRAJ_MAX_STEPS 1000000000000000LL /* 'steps', 'every' and a row's step: 1e15 */
#define LSC_TRAJ_MAX_BYTES (4ULL << 30)      /* bytes read from one file: 4 GiB */
#define LSC_TRAJ_MAX_VALUES (1ULL << 27)     /* numbers kept from the rows: 1 GiB of doubles */
/* Longest line: 64 KiB, plus 32 bytes per coordinate once 'dim' is known (a number is at
 * most 24 characters, e.g. -2.2250738585072014e-308, plus its separator), so that a row
 * or start line of any legal file fits and nothing else can grow without bound. */
#define LSC_TRAJ_LINE_BASE (64UL * 1024)
#define LSC_TRAJ_LINE_PER_COORD 32UL

/* Initialise an empty trajectory for dimension n storing npos coordinates per row. */
void lsc_trajectory_init(lsc_trajectory *t, int n, int npos, int has_dist);
void lsc_trajectory_free(lsc_trajectory *t);
/* Append a run (returns it, or NULL on allocation failure). */
lsc_run_record *lsc_trajectory_add_run(lsc_trajectory *t);
/* Make room for `count` more rows in run r (so appends in the loop never allocate). */
int lsc_run_record_reserve(const lsc_trajectory *t, lsc_run_record *r, size_t count);
/* Append one row; the caller has reserved room. x has n coordinates (npos are kept). */
void lsc_run_record_push(const lsc_trajectory *t, lsc_run_record *r, long step, double lr,
                         double loss, double grad_norm, double dist, const double *x);

/* Write to a stream, or to a file through lsc_outfile (atomic replace of a regular file;
 * "-", devices and FIFOs written in place). Errors name the file, never a flag. */
int lsc_trajectory_write_stream(const lsc_trajectory *t, FILE *fp, lsc_error *err);
int lsc_trajectory_write(const lsc_trajectory *t, const char *path, lsc_error *err);
/* Read a file written by lsc_trajectory_write, checking it as described above. Errors are
 * LSC_EINVAL naming the file and line (LSC_EIO for a failing read, LSC_ENOMEM). */
int lsc_trajectory_read(lsc_trajectory *t, const char *path, lsc_error *err);

/* ---- streaming: rows go to the file as they are recorded ----------------------------
 *
 * The file format puts each run's status and reason before the rows, so rows are written
 * to a second temporary file while the runs go on (beside the output; in $TMPDIR for "-",
 * a device or a FIFO), and lsc_trajectory_stream_finish writes the header and copies the
 * rows into the output. The bytes are those lsc_trajectory_write would write. Both
 * temporaries are removed on abort and, once lsc_outfile_cleanup_on_signals() is set up,
 * on SIGINT, SIGTERM and SIGHUP.
 *
 *     lsc_trajectory_stream s;
 *     lsc_trajectory_stream_open(&s, &t, path, keep_rows, &err);
 *     opts.record = lsc_trajectory_stream_row; opts.record_user = &s;
 *     for each run i: rec = lsc_trajectory_add_run(&t); lsc_run(&opts, o, x0, i, &t, rec, &err);
 *     lsc_trajectory_stream_finish(&s, &err);        (or lsc_trajectory_stream_abort(&s))
 *
 * With keep_rows = 0 each run keeps only its last recorded row in memory (len 1, for a
 * summary), so memory does not grow with the number of steps; with keep_rows = 1 every row
 * is kept as well (for a plot drawn afterwards). */
typedef struct {
    lsc_trajectory *t;       /* header and run metadata */
    lsc_outfile out;         /* the output, open from the start */
    FILE *rows;              /* the row temporary */
    char rows_path[LSC_PATH_MAX];
    int keep_rows;
} lsc_trajectory_stream;

int lsc_trajectory_stream_open(lsc_trajectory_stream *s, lsc_trajectory *t, const char *path,
                               int keep_rows, lsc_error *err);
/* The recorder for lsc_run_opts.record (user = the stream). */
int lsc_trajectory_stream_row(void *stream, int run, long step, double lr, double loss,
                              double grad_norm, double dist, const double *x, lsc_error *err);
int lsc_trajectory_stream_finish(lsc_trajectory_stream *s, lsc_error *err);
void lsc_trajectory_stream_abort(lsc_trajectory_stream *s);

/* Before a run: will its trajectory fit? Estimates the file of `nruns` runs with t's steps,
 * every and columns (steps/every + 2 rows a run, about 24 bytes a column), doubled for the
 * row temporary, and compares it with the free space of the file system that will hold it
 * ($TMPDIR's, rows only, for "-" or a device); with keep_rows, also the numbers kept in
 * memory against LSC_TRAJ_MAX_VALUES. LSC_EINVAL with a message naming both sizes (and no
 * flag) when it does not fit; LSC_OK when it does or the free space cannot be known. */
int lsc_trajectory_check_size(const lsc_trajectory *t, int nruns, const char *path,
                              int keep_rows, lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
