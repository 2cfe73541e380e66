/* study.h — studies: many runs, a measured table next to the theory, figures
 *
 * A study answers one question with measurements, e.g. `batch`: what the batch size does
 * to the cost, the noise and the result of training (the note's table, measured). Each
 * study is one file under src/study/ and one line of src/study/registry.c; it has a small
 * table of options (name, kind, default, range, help: lsc_study_opt) that the command line
 * turns into flags (--batch-sizes for batch_sizes) and a recipe into keys, and it writes
 * into one output directory:
 *
 *   NAME.tsv          the machine table: a header row, one row per measured case;
 *                     columns that hold wall time end in "_s" (seconds) and are the only
 *                     ones that differ between two runs with the same options
 *   NAME-*.tsv        further tables (a verdict's numbers, the curves behind a figure)
 *   NAME.md           the Markdown summary: each measured number next to its theory, and
 *                     a verdict wherever they are compared, saying so when they disagree
 *   NAME-*.png        figures (format: png, svg or pdf), drawn by the plot library
 *
 * Everything is deterministic given the options (seeds included) except the "_s"
 * columns. Files go through outfile.h and the figures through one commit group: they
 * appear together when the whole study succeeded, or not at all (a directory the study
 * created is removed again after a failure). Messages name option keys, never a
 * command-line flag.
 */
#ifndef LSC_STUDY_H
#define LSC_STUDY_H

#include <stdio.h>

#include "param.h"
#include "plot.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LSC_STUDY_TEXT,   /* a spec or a name, checked by the study when it runs */
    LSC_STUDY_INT,    /* an integer in [lo, hi] */
    LSC_STUDY_REAL,   /* a finite number in [lo, hi] */
    LSC_STUDY_BOOL,   /* true/false/1/0 */
    LSC_STUDY_CHOICE, /* one of the words of `choices` ("png|svg|pdf") */
    LSC_STUDY_SIZES,  /* batch sizes: integers in [lo, hi] or full, separated by ',' or ';' */
    LSC_STUDY_LIST,   /* numbers in [lo, hi], separated by ',' or ';' */
    LSC_STUDY_SPECS,  /* specs name[:key=value,...] separated by '|' (each checked as TEXT);
                         repeatable: each lsc_study_set after the first adds its items */
    LSC_STUDY_GRID,   /* grid axes KEY=LO:HI:N[log] or KEY=V1,V2,... separated by '|' (at
                         most LSC_STUDY_MAX_AXES, LO <= HI, N <= LSC_STUDY_MAX_POINTS, log:
                         LO > 0); repeatable as SPECS; the study checks the keys */
} lsc_study_kind;

#define LSC_STUDY_MAX_OPTS 32
#define LSC_STUDY_MAX_LIST 32
#define LSC_STUDY_FULL 0 /* a batch size of `full` (the whole data set) in a SIZES list */
#define LSC_STUDY_MAX_AXES 2    /* GRID: axes */
#define LSC_STUDY_MAX_POINTS 64 /* GRID: points on one axis */

/* One axis of a GRID value: its key and its points (lo, lo + d, ..., hi; log: lo, lo r,
 * ..., hi, equally spaced in log10; or the values as listed). */
typedef struct {
    char key[LSC_NAME_MAX];
    int n, log;
    double v[LSC_STUDY_MAX_POINTS];
} lsc_study_axis;

typedef struct {
    const char *name;    /* the key: "batch_sizes" (a command line spells it --batch-sizes) */
    lsc_study_kind kind;
    const char *def;     /* the default, as text */
    double lo, hi;       /* INT, REAL, SIZES, LIST: the allowed range (inclusive) */
    const char *choices; /* CHOICE: the words, '|'-separated */
    const char *help;    /* one line */
} lsc_study_opt;

/* The option `threads` that a study making its runs through lsc_parallel_map (parallel.h)
 * puts in its table, so that every study spells it the same way (--threads on the command
 * line, threads = T in a recipe): T threads, 0 for every core. The files must be the same
 * bytes for any T (a study's "_s" wall-time columns aside). Read it with
 * lsc_study_threads. */
#define LSC_STUDY_THREADS_OPT                                                                \
    {"threads", LSC_STUDY_INT, "0", 0, 1024, NULL,                                           \
     "threads to make the runs on (0: every core); the files are the same bytes for any "    \
     "number"}

struct lsc_study_type;

/* The option values of one study: every option as text (its default unless set) and,
 * for the kinds that have them, as numbers. A study reads them by its enum index. */
typedef struct {
    const struct lsc_study_type *type;
    char text[LSC_STUDY_MAX_OPTS][LSC_VALUE_MAX];
    double num[LSC_STUDY_MAX_OPTS];                   /* INT, REAL, BOOL, CHOICE (index) */
    int nlist[LSC_STUDY_MAX_OPTS];                    /* SIZES, LIST: how many */
    double list[LSC_STUDY_MAX_OPTS][LSC_STUDY_MAX_LIST]; /* SIZES: 0 = full */
    unsigned char given[LSC_STUDY_MAX_OPTS];
} lsc_study_args;

/* Where a study writes (lsc_study_run makes it; studies use the calls below). */
typedef struct lsc_study_out lsc_study_out;

typedef struct lsc_study_type {
    const char *name;        /* "batch" */
    const char *summary;     /* one line */
    const char *description; /* what it measures and against which theory (a paragraph) */
    const lsc_study_opt *opts;
    int nopts;
    /* Run the study, writing its files through out. Returns LSC_OK or an error. */
    int (*run)(const lsc_study_args *a, lsc_study_out *out, lsc_error *err);
} lsc_study_type;

LSC_API extern const lsc_study_type *const lsc_study_registry[];
LSC_API extern const int lsc_study_registry_count;
/* The study named name, or NULL. */
LSC_API const lsc_study_type *lsc_study_find(const char *name);

/* Every option at its default. */
LSC_API void lsc_study_args_init(lsc_study_args *a, const lsc_study_type *T);
/* Set option key to value, checked against its kind and range now. Errors (LSC_EINVAL)
 * begin with the key and say the value and what is allowed: "epochs: '0' is not allowed
 * (expected an integer from 1 to 100000)"; an unknown key names the closest one. */
LSC_API int lsc_study_set(lsc_study_args *a, const char *key, const char *value,
                          lsc_error *err);
/* The threads a's study should make its runs on, as lsc_parallel_map takes them (0: every
 * core): its threads option (LSC_STUDY_THREADS_OPT), 0 when its table has none. */
LSC_API int lsc_study_threads(const lsc_study_args *a);
/* The index of option key of T, or -1. */
LSC_API int lsc_study_opt_index(const lsc_study_type *T, const char *key);
/* What option o allows, as a phrase. Returns buf. */
LSC_API const char *lsc_study_opt_allowed(const lsc_study_opt *o, char *buf, size_t len);

/* Item k (0-based) of a SPECS or GRID value (its '|'-separated parts, blanks around each
 * trimmed) into buf; returns the number of items. */
LSC_API int lsc_study_item(const char *text, int k, char *buf, size_t len);
/* The axes of a GRID value of option `key` into ax (at most LSC_STUDY_MAX_AXES): their
 * number, or LSC_EINVAL with a message beginning "KEY: " that names the bad axis, what is
 * wrong and what is allowed. */
LSC_API int lsc_study_grid_parse(const char *key, const char *text, lsc_study_axis *ax,
                                 lsc_error *err);

/* Called by a study as it goes (may be NULL): what it is doing, for a progress line. */
typedef void (*lsc_study_progress)(void *user, const char *what);

/* Run the study of a into directory dir (made, with its parents, when missing; "out:
 * ..." errors for a path that is not a directory). On success every file is in place and
 * the names written (relative to dir, '\n'-separated) are in wrote (may be NULL); on any
 * error nothing is left behind. */
LSC_API int lsc_study_run(const lsc_study_args *a, const char *dir, lsc_study_progress progress,
                          void *progress_user, char *wrote, size_t wrote_len, lsc_error *err);

/* ---- for the studies (src/study/) ------------------------------------------------------ */

/* Open DIR/NAME for writing: a stream that is moved into place with the rest when the
 * study succeeds. NULL with err set on failure. */
LSC_API FILE *lsc_study_file(lsc_study_out *out, const char *name, lsc_error *err);
/* Plot options for the figure DIR/NAME.EXT (EXT from the format option a study passes,
 * png unless set), in the study's commit group: lsc_plot_opts_default, then out and
 * group. Size and the rest are the caller's. */
LSC_API void lsc_study_figure(lsc_study_out *out, lsc_plot_opts *po, const char *name,
                              const char *ext);
/* Tell the progress callback what is happening now. */
LSC_API void lsc_study_say(lsc_study_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Wall-clock seconds (monotonic), for the "_s" columns. */
LSC_API double lsc_study_now(void);

#ifdef __cplusplus
}
#endif
#endif
