/* trajectory.h — recorded runs in memory (columnar) and as TSV files
 *
 * File format (TSV, UTF-8):
 *
 *   # losscape trajectory v1
 *   # version: 0.1.0
 *   # landscape: rosenbrock:a=1,b=100          (canonical spec, every parameter)
 *   # dim: 2
 *   # data: spiral:noise=0.1  (models over data only, model.h: the data set, and the
 *   # target: label             target column of a file when one was named, and the
 *   # holdout: 0.2              fraction held out; what rebuilds the landscape)
 *   # schedule: constant
 *   # clip_norm: 0            (0 = off)
 *   # clip_value: 0           (0 = off)
 *   # noise: 0                (standard deviation of Gaussian gradient noise)
 *   # seed: 1
 *   # steps: 1000             (budget)
 *   # stop_grad: 0            (0 = off)
 *   # stop_loss: off          (a loss level: 0 is a level, so off is 'off')
 *   # stop_dist: 0            (0 = off)
 *   # every: 1                (every k-th step recorded; the last step always is)
 *   # positions: all          (all | first:K | none)
 *   # batch_size: 32          (models over data only, sampler.h: full | B; the batch
 *   # sampling: shuffle        stream shuffle | replace | cyclic; on | off; epochs: the
 *   # drop_last: off           budget in epochs, 0 = given in steps)
 *   # epochs: 0
 *   # box: -2:2,-1:3          (the plot and start box; default: the landscape's)
 *   # record_time: on         (only when on: the rows have a time column)
 *   # layer_stats: on         (only when on: the rows may have a per-layer block, below)
 *   # hessian: on             (only when on: the rows have eig_min and eig_max)
 *   # run 0 optimizer: adam:lr=0.001,beta1=0.9,...
 *   # run 0 label: adam
 *   # run 0 start: -1.5,2     (dim <= 64; above, how the start was made, see lsc_start_desc)
 *   # run 0 status: max-steps
 *   # run 0 reason: reached the step budget (1000 steps)
 *   # run 0 escape: 123       (only with '# escape: R': the first step with
 *                             |x - x_start| >= R, an event that does not stop the run;
 *                             'never' when it did not happen)
 *   # run 0 schedule: cosine:T_max=500,eta_min=0   (only where a run has its own
 *                                                  schedule, noise, clip_norm, clip_value)
 *   run  step  lr  loss  grad_norm  [dist]  [optional columns]  [g1 .. gL ...]  x1  x2 ...
 *
 * One row per recorded step; step 0 is the start. `lr` of row k is the learning rate
 * update k used (row 0 shows the first one). loss and grad_norm are noise-free values
 * at x. Numbers are written so that they read back exactly. The optional columns
 * (lsc_columns below: epoch, examples, batch_loss, test_loss, acc, test_acc, time, eig_min,
 * eig_max) follow
 * dist in
 * the order of their table; which of them a file has follows from its header (a data
 * set, a holdout, '# record_time: on'), and a file without them reads as before.
 *
 * The reader trusts nothing in a file. It checks the metadata and the header row against
 * each other: the first line is '# losscape trajectory v1'; 'landscape', 'dim', 'steps',
 * 'every' and 'positions' are given, 'dim' once and before any run line; the x columns
 * are x1..xK with K <= dim and K agreeing with 'positions'; 'dist' may only follow
 * grad_norm; every run from 0 up has its optimizer, label, start (dim finite numbers, or
 * a start description), status and reason lines, and a run line names an existing run or
 * the next one; optional columns are known names, each at most once, in table order, and
 * allowed by the header (lsc_column.needs); rows name a defined run, come in run order
 * with increasing steps between 0 and 'steps', and have one number per column: run and
 * step integers, every other value finite except dist (and the optional columns marked
 * LSC_COL_NAN_OK), which may be nan, and an optional column's value within its range. Sizes are bounded (LSC_TRAJ_MAX_*), so a hostile file
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
    LSC_STOP_LOSS = 6,      /* loss <= stop_loss */
    LSC_STOP_DIST = 7,      /* |x - x_start| >= stop_dist */
} lsc_stop;
/* When several stop conditions hold after the same step, the status is the first of
 * converged (stop_grad), loss-reached (stop_loss), dist-reached (stop_dist). */

/* "max-steps", "converged", "diverged", "left-domain", "failed", "loss-reached",
 * "dist-reached" (the status words of the trajectory file) */
LSC_API const char *lsc_stop_name(lsc_stop s);
LSC_API int lsc_stop_from_name(const char *name, lsc_stop *out);

/* ---- how a start was made ------------------------------------------------------------
 *
 * A trajectory of at most LSC_START_LIST_MAX coordinates writes each run's start as its
 * numbers. A larger one writes how the start was made instead, so that the metadata stays
 * small whatever the dimension (10^6 coordinates would be a 19 MB line):
 *
 *   # run 0 start: random box, seed 1           uniform in the landscape's box, retried
 *                                               into its domain (lsc_rng_for_run(S, ~0))
 *   # run 5 start: random box, seed 1, start 2  start j > 0 of a random set
 *                                               (lsc_rng_for_run(S, ~0 - j), experiment.h)
 *   # run 0 start: standard start 0             the landscape's standard start K
 *   # run 0 start: given, fnv1a64 0123456789abcdef
 *                                               numbers given by the caller
 *   # run 0 start: file s.txt, fnv1a64 0123456789abcdef
 *                                               numbers read from a file
 *   # run 0 start: init xavier-normal:gain=1, seed 1
 *                                               an initialisation scheme (init.h) drawn
 *                                               with lsc_rng_for_run(S, LSC_INIT_STREAM)
 *
 * The checksum is FNV-1a (64 bits) over the coordinates as IEEE-754 doubles,
 * little-endian (lsc_start_checksum): a file saved with the experiment's save_start
 * reads back to the same numbers, so the same checksum. A run read from such a file has
 * start == NULL; lsc_run_record_start finds it in the rows when they hold it. */
#define LSC_START_LIST_MAX 64

typedef enum {
    LSC_START_GIVEN,    /* numbers given by the caller */
    LSC_START_RANDOM,   /* uniform in the landscape's box (retried into its domain) */
    LSC_START_STANDARD, /* one of the landscape's standard starts */
    LSC_START_FILE,     /* numbers read from a file */
    LSC_START_INIT,     /* drawn by an initialisation scheme (init.h) */
} lsc_start_kind;

typedef struct {
    lsc_start_kind kind;
    unsigned long long seed;     /* RANDOM, INIT: the experiment's seed */
    int index;                   /* STANDARD: which standard start; RANDOM: which start
                                    of the set (experiment.h) */
    unsigned long long checksum; /* GIVEN, FILE: lsc_start_checksum of the coordinates */
    char path[LSC_VALUE_MAX];    /* FILE: the file, as named (no control characters);
                                    INIT: the scheme, with every parameter */
} lsc_start_desc;

LSC_API unsigned long long lsc_start_checksum(const double *x, int n);
/* The description as the trajectory writes it ("random box, seed 1"). Returns buf. */
LSC_API const char *lsc_start_describe(const lsc_start_desc *d, char *buf, size_t len);
/* Read a description back: LSC_OK, or LSC_EINVAL when text is none of the forms above. */
LSC_API int lsc_start_parse(const char *text, lsc_start_desc *d);

/* ---- driver options: one table -------------------------------------------------------
 *
 * Every option of the driver loop is one row: its name (the recipe key and the trajectory
 * header key; a command line spells it --NAME with '-' for '_'), the type and range of its
 * value, its default and a line of help. The experiment (experiment.h) checks and stores
 * values through it, recipes know their keys from it, the CLI makes its flags and its
 * --help from it, the trajectory writer writes one '# NAME: VALUE' line per row, in
 * table order (and '# run K NAME: VALUE' for a run's own value of a group option), and the
 * reader reads each back through the same row. A new driver option is one row here, naming the field of lsc_trajectory
 * (and of lsc_run_record, for a group option) that holds it, plus what it does: its field
 * of lsc_run_opts, set in experiment.c, and its use in run.c. */
typedef enum {
    LSC_DRIVER_SPEC,      /* char[LSC_VALUE_MAX]: a spec, checked by its user (schedule) */
    LSC_DRIVER_REAL,      /* double: a finite number in the range */
    LSC_DRIVER_COUNT,     /* long: an integer in the range (decimal: 500, 2e4) */
    LSC_DRIVER_SEED,      /* unsigned long long: 0 to 2^64 - 1, digits only */
    LSC_DRIVER_POSITIONS, /* int: all | none | first:K (lsc_trajectory.npos; all is
                             LSC_POSITIONS_ALL until the dimension is known) */
    LSC_DRIVER_CHOICE,    /* int: the index of one of the words of `choices` */
    LSC_DRIVER_SWITCH,    /* int: on (1) | off (0); a command line's --NAME takes no value
                             and means on */
    LSC_DRIVER_BOX,       /* char[LSC_VALUE_MAX]: a box LO:HI or LO:HI,LO:HI,...
                             (lsc_box_parse; 1 or n ranges once the dimension is known), as
                             given; "" (written 'default'): the landscape's own */
} lsc_driver_type;

#define LSC_DRIVER_LO_OPEN 1u /* REAL: the value must be > lo (else >= lo) */
#define LSC_DRIVER_OFF 2u     /* REAL: 'off' (stored as 0, the default) is allowed too */
#define LSC_DRIVER_OFF_NAN 4u /* REAL: 'off' is allowed too, stored as NaN and written
                                 'off' (for an option where 0 is a value: stop_loss) */
#define LSC_DRIVER_FULL 8u    /* COUNT: 'full' is allowed too, stored as 0 (the default) */
#define LSC_DRIVER_DATA 16u   /* for models over data only (model.h): written to a
                                 trajectory only when it has a data set, and refused (any
                                 value but the default) on a landscape without one */
#define LSC_DRIVER_QUIET 32u /* written to a trajectory only when not the default, so that
                                 the files of runs that do not use it keep their bytes */
#define LSC_POSITIONS_ALL (-2)
#define LSC_POSITIONS_AUTO (-1) /* not set: all for dim <= 64, else none */

typedef struct {
    const char *name;     /* "clip_norm" */
    lsc_driver_type type;
    const char *def;      /* the default, as text the option reads; NULL: see help */
    double lo, hi;        /* REAL and COUNT: the range (REAL: -inf, inf for any finite
                             number) */
    unsigned flags;       /* LSC_DRIVER_LO_OPEN, LSC_DRIVER_OFF */
    int group;            /* > 0: a group of runs may have its own value (a recipe's [run
                             NAME]); its runs then get '# run K NAME:' lines, in the order
                             of this number */
    const char *metavar;  /* "C" */
    const char *help;     /* one line, with the default */
    size_t off;           /* the field of lsc_trajectory holding the value */
    size_t run_off;       /* group > 0: the field of lsc_run_record holding a run's own */
    const char *choices;  /* CHOICE: "shuffle|replace|cyclic", the words in index order */
} lsc_driver_option;

LSC_API extern const lsc_driver_option lsc_driver_options[];
LSC_API extern const int lsc_driver_noptions;

/* The row named name, or NULL. */
LSC_API const lsc_driver_option *lsc_driver_option_find(const char *name);
/* Read text as a value of o into *field (of o's type). n > 0: the dimension (first:K must
 * be at most n; all becomes n); n = 0: not known yet. Errors (LSC_EINVAL) begin with the
 * option's name and never name a command-line flag: "noise: '1e300' is not allowed
 * (expected a finite number >= 0 and <= 1000000)". */
LSC_API int lsc_driver_option_parse(const lsc_driver_option *o, const char *text, int n,
                                    void *field, lsc_error *err);
/* The value at field as the trajectory header writes it (n: the dimension, for
 * positions). Returns buf. */
LSC_API const char *lsc_driver_option_format(const lsc_driver_option *o, const void *field, int n,
                                             char *buf, size_t len);
/* What o allows, as a phrase ("a finite number > 0 and <= 1000000000000, or off"). n as
 * above. Returns buf. */
LSC_API const char *lsc_driver_option_allowed(const lsc_driver_option *o, int n, char *buf,
                                              size_t len);

/* ---- optional columns: one table ------------------------------------------------------
 *
 * Beside run step lr loss grad_norm [dist] a row may have optional columns, each one row
 * of lsc_columns: its name (the header-row word), what the header must say for a file to
 * have it (needs), the range of its values, and a line of help. A trajectory has the
 * columns of bit set t->cols (bit k: row k of the table), written in table order after
 * dist; the reader accepts exactly those its header allows, the writer, merge, the
 * recorders and the plot read and write them through this table, and lsc_run computes
 * them (run.c, one function per column's value). A new column is one enum value and one
 * row here, the condition that turns it on (lsc_run_columns), and its computation in
 * run.c. (Per-layer families such as g1 .. gL would be rows of their own, one per layer
 * index, up to the table's 64 rows.)
 *
 *   epoch       models over data: epochs done after the row's k updates, k / U with U
 *               updates an epoch (ceil(N/B), floor(N/B) with drop_last; 1 for full
 *               batches): an epoch's short last batch counts as a whole update, and a run
 *               with an epoch budget ends on an integer
 *   examples    models over data: the examples the row's k updates used, summed batch by
 *               batch (an epoch's short last batch counted as it is; k N for full batches)
 *   batch_loss  models over data: the loss (with the l2 term) of the batch update k used,
 *               at the x that update started from; nan on row 0 (no update yet)
 *   test_loss   with a holdout: f on the held-out examples at x (mean loss + l2 term,
 *               as loss is on the training examples)
 *   acc         classification models (bce, ce): the fraction of training examples
 *               classified right at x (lsc_model_accuracy)
 *   test_acc    the same on the holdout
 *   time        with record_time on: wall seconds of the run's updates since its start,
 *               without the time spent on the recorded values and the recorder (0 on
 *               row 0); never reproducible, so off by default
 *   eig_min     with hessian on: the smallest and the largest eigenvalue of the Hessian
 *   eig_max     of f at x (curvature.h: exact for n <= 64, else Lanczos); nan where the
 *               Hessian is not finite
 *
 * Like loss and grad_norm, the full-data values (test_loss, acc, test_acc) are computed
 * on recorded rows only. */
typedef enum {
    LSC_COL_EPOCH,
    LSC_COL_EXAMPLES,
    LSC_COL_BATCH_LOSS,
    LSC_COL_TEST_LOSS,
    LSC_COL_ACC,
    LSC_COL_TEST_ACC,
    LSC_COL_TIME,
    LSC_COL_EIG_MIN,
    LSC_COL_EIG_MAX,
    LSC_NCOLS /* at most 64 (a bit set) */
} lsc_col;

#define LSC_COL_NEEDS_DATA 1u    /* the header names a data set ('# data:') */
#define LSC_COL_NEEDS_HOLDOUT 2u /* ... and a holdout > 0 */
#define LSC_COL_NEEDS_TIME 4u    /* '# record_time: on' */
#define LSC_COL_NEEDS_CLASSES 8u /* a classification model (checked where the model is
                                    known: lsc_run_columns; a file's reader checks data) */
#define LSC_COL_NEEDS_HESSIAN 16u /* '# hessian: on' */
#define LSC_COL_NAN_OK 1u        /* flags: nan is a value (batch_loss of row 0) */

typedef struct {
    const char *name;  /* "epoch" */
    unsigned needs;    /* LSC_COL_NEEDS_* */
    unsigned flags;    /* LSC_COL_NAN_OK */
    double lo, hi;     /* the range of a value (-inf, inf: any finite number) */
    const char *help;  /* one line */
} lsc_column;

LSC_API extern const lsc_column lsc_columns[];
LSC_API extern const int lsc_ncolumns;
/* The index of the column named name, or -1. */
LSC_API int lsc_column_find(const char *name);

/* ---- per-layer columns: a block after the optional columns ----------------------------
 *
 * With layer_stats on (a driver option: '# layer_stats: on', written only when on), each
 * row has, after the optional columns and before x1, a block of per-layer statistics: for
 * each family f of lsc_layer_columns that t->layer_fams has (bit f), in table order, the
 * columns PREFIX1 .. PREFIXL with L = t->layers (the same L for every family of a file):
 *
 *   g1 .. gL      |df/dW_l|_F: the gradient's norm over layer l's weights (mlp,
 *                 deep-linear, chain: |df/dw_l|)
 *   w1 .. wL      |W_l|_F (chain: |w_l|)
 *   a1 .. aL      mlp: the standard deviation of layer l's pre-activations over the
 *                 examples and units (model.h, lsc_layer_stats.act_std)
 *   sat1 .. satL  mlp: layer l's saturated fraction (model.h; nan for the output layer)
 *   h1 .. hT      rnn: |df/dh_t|, the gradient reaching the hidden state of time step t
 *                 (landscape_depth.h; h_T is where the loss enters)
 *
 * Every value is taken at the row's x over the full training set (a model's N examples,
 * the rnn's sequences), like loss and grad_norm, and on recorded rows only. A value that
 * overflowed is written nan. L is at most LSC_TRAJ_MAX_LAYERS. The reader accepts a
 * block only with '# layer_stats: on', its families in table order, each with the
 * indices 1 .. L in order and the same L; a file without the block reads and writes as
 * before. (64 bits of t->cols could not name 4 x 129 columns: hence a block, not rows of
 * lsc_columns.) */
typedef enum {
    LSC_LCOL_G,
    LSC_LCOL_W,
    LSC_LCOL_A,
    LSC_LCOL_SAT,
    LSC_LCOL_H,
    LSC_NLCOLS
} lsc_layer_col;

#define LSC_TRAJ_MAX_LAYERS 1000 /* layers (or time steps) in one file's block */

typedef struct {
    const char *prefix; /* "g": the columns g1 .. gL */
    double lo, hi;      /* the range of a value (nan is allowed too) */
    const char *help;   /* one line */
} lsc_layer_column;

LSC_API extern const lsc_layer_column lsc_layer_columns[];
LSC_API extern const int lsc_nlayer_columns;
/* The family of prefix (e.g. "sat"), or -1. */
LSC_API int lsc_layer_column_find(const char *prefix);

/* One recorded row, as lsc_run hands it to a recorder and lsc_run_record_push keeps it:
 * col[k] is optional column k's value (read only for the columns t->cols has); layer the
 * per-layer block (popcount(t->layer_fams) x t->layers values, family by family; read
 * only when t->layers > 0). */
typedef struct {
    long step;
    double lr, loss, grad_norm;
    double dist;            /* nan unless the trajectory has a dist column (or unknown) */
    double col[LSC_NCOLS];  /* lsc_col order */
    const double *layer;    /* the per-layer block, or NULL */
    const double *x;        /* all n coordinates (npos of them are kept) */
} lsc_row;

/* One run: columns of equal length len. */
typedef struct {
    char optimizer[LSC_VALUE_MAX]; /* canonical optimizer spec */
    char label[LSC_NAME_MAX];
    /* Driver options of this run. They equal the file's header values unless the run was
     * given its own (recipes with [run NAME] sections); then the file has
     * '# run K schedule:' / 'noise:' / 'clip_norm:' / 'clip_value:' lines. */
    char schedule[LSC_VALUE_MAX];
    double noise, clip_norm, clip_value;
    unsigned long long own;        /* bit k: the run has its own value of group option k
                                      of lsc_driver_options (a '# run K NAME:' line read,
                                      or a merge from a file whose header differs); see
                                      lsc_run_record_own */
    char source[LSC_NAME_MAX];     /* the file the run came from, in a trajectory merged
                                      from several (lsc_trajectory_merge; "" otherwise):
                                      legends add it where labels of files collide */
    double *start;                 /* n coordinates, or NULL when only start_desc is known
                                      (read from a file of more than 64 dimensions; see
                                      lsc_run_record_start) */
    lsc_start_desc start_desc;     /* how the start was made */
    lsc_stop status;
    char reason[256];
    long escape;                   /* the first step with |x - x_start| >= escape (the
                                      header's), 0: never or off (step 0 never escapes) */
    size_t len, cap;
    long *step;
    double *lr, *loss, *grad_norm;
    double *dist;                  /* NULL unless the file has a dist column */
    double *col[LSC_NCOLS];        /* optional column k, or NULL when t->cols lacks it */
    double *layer;                 /* len * lsc_trajectory_layer_values(t), row-major, or
                                      NULL without a per-layer block */
    double *x;                     /* len * npos, row-major */
} lsc_run_record;

typedef struct {
    char version[32];
    char landscape[LSC_VALUE_MAX]; /* canonical landscape spec */
    char data[LSC_VALUE_MAX];      /* a model's data set ("" for other landscapes) */
    char target[LSC_NAME_MAX];     /* a data file's target column ("": its last) */
    double holdout;                /* fraction of the data held out (0: none) */
    int n;                         /* dimension */
    int npos;                      /* coordinates stored per row (n, K or 0) */
    int has_dist;
    unsigned long long cols;       /* the optional columns: bit k for lsc_columns[k] */
    int record_time;               /* 1: a time column (record_time on) */
    int layer_stats;               /* 1: per-layer statistics asked for (layer_stats on) */
    int layers;                    /* the per-layer block's L (0: no block) */
    unsigned layer_fams;           /* its families: bit f for lsc_layer_columns[f] */
    int hessian;                   /* 1: eig_min and eig_max columns (hessian on) */
    char schedule[LSC_VALUE_MAX];
    double clip_norm, clip_value, noise, stop_grad;
    double stop_loss;              /* NaN: off */
    double stop_dist;              /* 0: off */
    double escape;                 /* the escape event's radius (0: off) */
    long batch_size;               /* examples per update (0: full, the whole data set) */
    int sampling;                  /* lsc_sampling (sampler.h) */
    int drop_last;                 /* 1: drop an epoch's short last batch */
    long epochs;                   /* the budget in epochs (0: in steps) */
    char box[LSC_VALUE_MAX];       /* the box the runs were made in, as given ("": the
                                      landscape's own); plots of the file use it */
    unsigned long long seed;
    long steps, every;
    int nruns;
    lsc_run_record *runs;
    int runs_cap;                  /* allocated records (grows geometrically) */
    unsigned long long mixed;      /* merged from files that differ in a driver option
                                      the runs cannot hold as their own (steps, seed, the
                                      stop conditions, every): bit k for row k of
                                      lsc_driver_options; the header has the first file's
                                      value (steps: the largest) */
} lsc_trajectory;

/* Limits of the reader (see the format notes above). The driver options of the header
 * are read through their table rows (lsc_driver_option_parse): 'steps' and 'every' have
 * its ranges, and a row's step is at most 'steps'. */
#define LSC_TRAJ_MAX_RUNS 1024               /* runs in one file */
#define LSC_TRAJ_MAX_BYTES (4ULL << 30)      /* bytes read from one file: 4 GiB */
#define LSC_TRAJ_MAX_VALUES (1ULL << 27)     /* numbers kept from the rows: 1 GiB of doubles */
/* Longest line: 64 KiB, plus 32 bytes per coordinate once 'dim' is known (a number is at
 * most 24 characters, e.g. -2.2250738585072014e-308, plus its separator) and per value of
 * the per-layer block once the header row is read, so that a row or start line of any
 * legal file fits and nothing else can grow without bound. */
#define LSC_TRAJ_LINE_BASE (64UL * 1024)
#define LSC_TRAJ_LINE_PER_COORD 32UL

/* Values of a row's per-layer block: popcount(t->layer_fams) * t->layers. */
LSC_API int lsc_trajectory_layer_values(const lsc_trajectory *t);
/* Layer l (1-based) of family f in row k of run r, or NAN when the block lacks it. */
LSC_API double lsc_run_record_layer(const lsc_trajectory *t, const lsc_run_record *r,
                                    size_t k, int f, int l);

/* Initialise an empty trajectory for dimension n storing npos coordinates per row. */
LSC_API void lsc_trajectory_init(lsc_trajectory *t, int n, int npos, int has_dist);
LSC_API void lsc_trajectory_free(lsc_trajectory *t);
/* Append a run (returns it, or NULL on allocation failure). Its start is n zeros, to be
 * set (lsc_run copies its start there). */
LSC_API lsc_run_record *lsc_trajectory_add_run(lsc_trajectory *t);
/* Append a run whose start was made as d says: the start vector is kept only when the
 * file will hold it (n <= LSC_START_LIST_MAX); else start is NULL and d describes it. */
LSC_API lsc_run_record *lsc_trajectory_add_run_desc(lsc_trajectory *t, const lsc_start_desc *d);
/* The start of run r: r->start, else its first row when that is step 0 with every
 * coordinate (positions all), else NULL (only the description is known). */
LSC_API const double *lsc_run_record_start(const lsc_trajectory *t, const lsc_run_record *r);
/* 1 when run r has its own value of the group option named name (r->own), else 0. */
LSC_API int lsc_run_record_own(const lsc_run_record *r, const char *name);
/* Make room for `count` more rows in run r (so appends in the loop never allocate). */
LSC_API int lsc_run_record_reserve(const lsc_trajectory *t, lsc_run_record *r, size_t count);
/* Append one row; the caller has reserved room. row->x has n coordinates (npos are
 * kept), dist is kept when t->has_dist, col[k] when t->cols has bit k. */
LSC_API void lsc_run_record_push(const lsc_trajectory *t, lsc_run_record *r, const lsc_row *row);
/* Row k of run r as a row struct (x points into r->x; nan for the columns it lacks). */
LSC_API void lsc_run_record_row(const lsc_trajectory *t, const lsc_run_record *r, size_t k,
                                lsc_row *row);

/* Move the runs of src to the end of dst, for a figure of runs from several files (of
 * different schedules, noise levels, starts, ...). An empty dst (lsc_trajectory_init(dst,
 * 0, 0, 0)) takes src's header; else both must be on the same landscape (canonical spec)
 * and dimension: LSC_EINVAL otherwise, naming source and both landscapes. Each run keeps
 * its own schedule, noise and clipping (own values where they differ from dst's header)
 * and gets source as its source (at most LSC_NAME_MAX - 1 bytes kept); header values
 * that differ (steps, seed, stop conditions, every) are marked in dst->mixed. Rows keep
 * the coordinates both have (the smaller npos), dist and each optional column only when
 * both have it, and the per-layer block only when both have the same one (L and
 * families; else neither keeps it). At most
 * LSC_TRAJ_MAX_RUNS runs in all. src is left empty either way (free it as usual). */
LSC_API int lsc_trajectory_merge(lsc_trajectory *dst, lsc_trajectory *src, const char *source,
                                 lsc_error *err);

/* Write to a stream, or to a file through lsc_outfile (atomic replace of a regular file;
 * "-", devices and FIFOs written in place). Errors name the file, never a flag. */
LSC_API int lsc_trajectory_write_stream(const lsc_trajectory *t, FILE *fp, lsc_error *err);
LSC_API int lsc_trajectory_write(const lsc_trajectory *t, const char *path, lsc_error *err);
/* Read a file written by lsc_trajectory_write, checking it as described above. Errors are
 * LSC_EINVAL naming the file and line (LSC_EIO for a failing read, LSC_ENOMEM). */
LSC_API int lsc_trajectory_read(lsc_trajectory *t, const char *path, lsc_error *err);

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

LSC_API int lsc_trajectory_stream_open(lsc_trajectory_stream *s, lsc_trajectory *t,
                                       const char *path, int keep_rows, lsc_error *err);
/* The recorder for lsc_run_opts.record (user = the stream). */
LSC_API int lsc_trajectory_stream_row(void *stream, int run, const lsc_row *row,
                                      lsc_error *err);
LSC_API int lsc_trajectory_stream_finish(lsc_trajectory_stream *s, lsc_error *err);
LSC_API void lsc_trajectory_stream_abort(lsc_trajectory_stream *s);

/* A summary recorder for lsc_run_opts.record (user = the trajectory): keeps only the last
 * recorded row of each run (len 1), so memory does not grow with the number of steps. */
LSC_API int lsc_trajectory_last_row(void *trajectory, int run, const lsc_row *row,
                                    lsc_error *err);

/* Before a run: will its trajectory fit? Estimates the file of `nruns` runs with t's steps,
 * every and columns (steps/every + 2 rows a run, about 24 bytes a column), doubled for the
 * row temporary, and compares it with the free space of the file system that will hold it
 * ($TMPDIR's, rows only, for "-" or a device); with keep_rows, also the numbers kept in
 * memory against LSC_TRAJ_MAX_VALUES. LSC_EINVAL with a message naming both sizes (and no
 * flag) when it does not fit; LSC_OK when it does or the free space cannot be known. */
LSC_API int lsc_trajectory_check_size(const lsc_trajectory *t, int nruns, const char *path,
                                      int keep_rows, lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
