/* table.c — a data set's arrays: made, freed, and its classes counted (dataset.h)
 *
 * The one file of src/data/ that calls no other: the core (dataset.c), the reader
 * (read.c) and the generators all build on it. */
#include <math.h>
#include <stdlib.h>

#include "data_impl.h"

void lsc_data_free(lsc_dataset *D)
{
    if (!D)
        return;
    free(D->X);
    free(D->y);
    free(D->names);
    D->X = D->y = NULL;
    D->names = NULL;
    D->n = D->d = D->classes = 0;
}

int data_alloc(lsc_dataset *D, int n, int d, lsc_error *err)
{
    D->n = n;
    D->d = d;
    D->X = d > 0 ? malloc((size_t)n * (size_t)d * sizeof *D->X) : NULL;
    D->y = malloc((size_t)(n > 0 ? n : 1) * sizeof *D->y);
    D->names = calloc((size_t)d + 1, sizeof *D->names);
    if ((d > 0 && !D->X) || !D->y || !D->names) {
        lsc_data_free(D);
        lsc_error_set(err, LSC_ENOMEM, "data: out of memory for %d examples of %d features",
                      n, d);
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

void data_count_classes(lsc_dataset *D)
{
    int top = -1;
    D->classes = 0;
    for (int i = 0; i < D->n; i++) {
        double v = D->y[i];
        if (!(v >= 0 && v < LSC_DATA_MAX_CLASSES && v == floor(v)))
            return;
        if ((int)v > top)
            top = (int)v;
    }
    D->classes = top + 1;
}
