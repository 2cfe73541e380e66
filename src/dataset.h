/* dataset.h — data sets for the models over data: generators and TSV/CSV files
 *
 * A data set is N examples of d features (row-major, N x d) and one target each. A spec
 * names either a generator with its parameters, in the grammar of every family
 * (param.h), or a file:
 *
 *   linear[:n=200,features=1,noise=0.1,w=1,b=0.5,seed=S]   regression, y = w sum_j a_j + b + e
 *   sine[:n=200,noise=0.1,seed=S]                          regression, y = sin(a) + e
 *   blobs[:n=200,features=2,classes=3,noise=1,seed=S]      Gaussian classes
 *   circle | xor | spiral[:n=200,noise=0,seed=S]           TensorFlow Playground's sets, two
 *                                                          features (spiral: classes=2)
 *   mean[:n=100,mu=1,noise=1,seed=S]                       no features: y = mu + e
 *   indices[:n=10]                                         no features: y_i = i, i = 1..n
 *   FILE.tsv | FILE.csv                                    a table with a header row
 *
 * (lsc_data_registry lists the generators; each file under src/data/ states its formula.)
 * seed= defaults to the seed the caller passes (the experiment's). Class labels are
 * 0 .. classes-1 (Playground's +1 is class 1, its -1 class 0).
 *
 * Files: a header row of column names, then one row per example, cells separated by tabs
 * (.tsv) or commas (.csv; the extension decides, in any case). The feature columns come
 * first, then the target (the last column), unless a target column is named: then every
 * other column is a feature, in order. A file with only the target column is valid (no
 * features: a bias-only model estimates a mean). Cells are decimal numbers (spaces around
 * them are ignored); '#' lines and empty lines are skipped; a header name may be quoted
 * ("x, y"). The reader trusts nothing: a ragged row, a cell that is empty, not a number,
 * NaN or infinite, a repeated or empty column name, an empty file or a header without rows
 * is refused with "data: FILE:LINE: the problem"; lines are at most LSC_DATA_LINE_MAX
 * bytes and a NUL byte (binary data) is refused, so /dev/zero or a FIFO that never ends
 * fails fast; sizes are bounded by the limits below.
 *
 * Classification: a set whose targets are all integers 0 .. LSC_DATA_MAX_CLASSES-1 has
 * `classes` = the largest label + 1; the generators of regression sets have classes = 0
 * whatever their targets. A file's first target that is not a label is remembered (its
 * line), so that a model needing labels can say where the file went wrong.
 *
 * Messages begin with "data:" (or "target:", "holdout:") and never name a command-line
 * flag.
 */
#ifndef LSC_DATASET_H
#define LSC_DATASET_H

#include <stddef.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_DATA_MAX_ROWS 10000000           /* examples */
#define LSC_DATA_MAX_COLS 4096               /* columns of a file: features + target */
#define LSC_DATA_MAX_VALUES (1ULL << 27)     /* numbers in a set (features + targets): 1 GiB */
#define LSC_DATA_LINE_MAX (1UL << 20)        /* bytes in one line of a file */
#define LSC_DATA_MAX_BYTES (8ULL << 30)      /* bytes read from one file */
#define LSC_DATA_MAX_CLASSES 1000

typedef struct lsc_dataset {
    int n;                     /* examples */
    int d;                     /* features (0: target only) */
    int classes;               /* see above; 0 for a regression set */
    double *X;                 /* n x d, row-major (NULL when d = 0) */
    double *y;                 /* n targets */
    char (*names)[LSC_NAME_MAX]; /* d + 1 column names: the features, then the target */
    char source[LSC_VALUE_MAX];  /* the spec or the file's name, as given */
    long bad_label_line;       /* a file's first target that is not a class label: its
                                  line (0: every target is one, or a generated set) */
    double bad_label;          /* ... and its value */
} lsc_dataset;

/* A generator (one file under src/data/, one line in src/data/registry.c). */
typedef struct lsc_data_type {
    const char *name;     /* "blobs" */
    const char *summary;  /* one line */
    const char *formula;  /* how an example is made, with every constant */
    const lsc_param_desc *params;
    int nparams;
    int classification;   /* 1: targets are class labels */
    int seeded;           /* 1: its draws are random and its last row is the seed
                             (DATA_PARAM_SEED); 0: it draws nothing (indices) */
    /* Sizes from the parameters: examples, features, classes (0 for regression). */
    void (*shape)(const lsc_params *p, int *n, int *d, int *classes);
    /* Fill X (n x d) and y (n) with draws from rng: LSC_OK or LSC_ENOMEM. */
    int (*generate)(const lsc_params *p, gsl_rng *rng, int n, int d, double *X, double *y);
} lsc_data_type;

LSC_API extern const lsc_data_type *const lsc_data_registry[];
LSC_API extern const int lsc_data_registry_count;
LSC_API const lsc_data_type *lsc_data_type_find(const char *name);

/* 1 when spec names a file (it ends in .tsv or .csv, in any case). */
LSC_API int lsc_data_is_file(const char *spec);

/* Make the data set of spec (a generator spec or a file) into D (which the caller frees
 * with lsc_data_free, also after an error). target: the name of a file's target column
 * (NULL or "": the last one; an error for a generator). seed: a generator's seed when
 * its spec has none. */
LSC_API int lsc_data_load(lsc_dataset *D, const char *spec, const char *target,
                          unsigned long long seed, lsc_error *err);
/* Read a TSV/CSV file (as lsc_data_load does for a file). */
LSC_API int lsc_data_read(lsc_dataset *D, const char *path, const char *target, lsc_error *err);
/* Write D as a table (a header row, then one row per example; numbers that read back
 * exactly), tab-separated unless path ends in .csv, through lsc_outfile ("-": standard
 * output). */
LSC_API int lsc_data_write(const lsc_dataset *D, const char *path, lsc_error *err);
/* The table lsc_data_write writes, printed to fp with separator sep (for a caller that
 * commits several files together), and the separator path gets (',' for .csv, else tab). */
LSC_API void lsc_data_print(const lsc_dataset *D, FILE *fp, char sep);
LSC_API char lsc_data_separator(const char *path);
LSC_API void lsc_data_free(lsc_dataset *D);

/* A seeded split: round(frac N) examples, drawn without replacement with the generator
 * (seed, "holdout"), go to test, the others to train; each part keeps the original
 * order. 0 < frac < 1, and each part must get at least one example. */
LSC_API int lsc_data_split(const lsc_dataset *all, double frac, unsigned long long seed,
                           lsc_dataset *train, lsc_dataset *test, lsc_error *err);

/* A deep copy of D (for a landscape that keeps its own). */
LSC_API int lsc_data_copy(lsc_dataset *dst, const lsc_dataset *src, lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
