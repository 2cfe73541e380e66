/* data_impl.h — what the files of src/data/ share (not installed) */
#ifndef LSC_DATA_IMPL_H
#define LSC_DATA_IMPL_H

#include <gsl/gsl_rng.h>

#include "dataset.h"
#include "streams.h"

#define DATA_PI 3.14159265358979323846

/* Generator indices (streams.h): each use of a seed draws from its own generator. */
#define DATA_STREAM_GENERATE 0x67656e65ULL /* "gene": a generator's examples */
#define DATA_STREAM_HOLDOUT 0x686f6c64ULL  /* "hold": which examples are held out */

/* D's arrays for n examples of d features (names zeroed); on failure D is freed and err
 * set. */
int data_alloc(lsc_dataset *D, int n, int d, lsc_error *err);
/* D->classes from its targets (see dataset.h). */
void data_count_classes(lsc_dataset *D);
/* Put the rows of X (n x d) and y in a seeded random order (Playground shuffles its sets
 * too): LSC_OK or LSC_ENOMEM. */
int data_shuffle_rows(gsl_rng *r, int n, int d, double *X, double *y);

/* lsc_data_read with the separator given (',' or '\t') instead of taken from the name (for
 * the fuzz target, whose file has no extension). */
int data_read(lsc_dataset *D, const char *path, char sep, const char *target, lsc_error *err);

/* The parameters every generator has, in its table with designated initializers:
 *     [P_N] = DATA_PARAM_N(200), ..., [P_SEED] = DATA_PARAM_SEED   (the seed last, and the
 * type .seeded = 1, when it draws random numbers) */
#define DATA_PARAM_N(def)                                                                   \
    {"n", LSC_PARAM_INT, def, 1, LSC_DATA_MAX_ROWS, 0, "number of examples", NULL}
#define DATA_PARAM_SEED                                                                     \
    {"seed", LSC_PARAM_INT, 0, 0, 9e15, 0, "seed of the draws (default: the run's seed)", NULL}

#endif
