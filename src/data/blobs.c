/* blobs.c — the `blobs` data set: Gaussian classes (scikit-learn's make_blobs)
 *
 *     centre c_k ~ U(-5, 5)^d for each class k (drawn first),
 *     example i is of class k = i mod classes, a_i ~ N(c_k, noise^2 I)
 *
 * so the classes are balanced. Defaults: n = 200, features = 2, classes = 3, noise = 1
 * (make_blobs' cluster_std; its centre box is (-10, 10)).
 */
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "data_impl.h"

enum { P_N, P_FEATURES, P_CLASSES, P_NOISE, P_SEED };

static const lsc_param_desc blobs_params[] = {
    [P_N] = DATA_PARAM_N(200),
    [P_FEATURES] = {"features", LSC_PARAM_INT, 2, 1, LSC_DATA_MAX_COLS - 1, 0,
                    "number of features", NULL},
    [P_CLASSES] = {"classes", LSC_PARAM_INT, 3, 2, LSC_DATA_MAX_CLASSES, 0,
                   "number of classes (labels 0 .. classes-1)", NULL},
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 1, 0, 1e6, 0,
                 "standard deviation of each class around its centre", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void blobs_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = (int)p->v[P_FEATURES];
    *classes = (int)p->v[P_CLASSES];
}

static int blobs_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    const int C = (int)p->v[P_CLASSES];
    double *centre = malloc((size_t)C * (size_t)d * sizeof *centre);
    if (!centre)
        return LSC_ENOMEM;
    for (size_t k = 0; k < (size_t)C * (size_t)d; k++)
        centre[k] = -5 + 10 * gsl_rng_uniform(r);
    for (int i = 0; i < n; i++) {
        const int k = i % C;
        for (int j = 0; j < d; j++)
            X[(size_t)i * (size_t)d + (size_t)j] =
                centre[(size_t)k * (size_t)d + (size_t)j] +
                p->v[P_NOISE] * gsl_ran_gaussian_ziggurat(r, 1.0);
        y[i] = k;
    }
    free(centre);
    return LSC_OK;
}

const lsc_data_type lsc_data_blobs = {
    .name = "blobs",
    .summary = "Gaussian classes around random centres (make_blobs)",
    .formula = "c_k ~ U(-5, 5)^d; example i: class k = i mod classes, a_i ~ N(c_k, noise^2 I); "
               "features = 2, classes = 3, noise = 1",
    .params = blobs_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(blobs_params),
    .classification = 1,
    .shape = blobs_shape,
    .generate = blobs_generate,
};
