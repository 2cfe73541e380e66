/* indices.c — the `indices` data set: y_i = i for i = 1..n, no features
 *
 * The textbook case for sampling noise: with a bias-only model and MSE, the gradient of
 * example i is 2 (theta - i), whose population variance over the N examples is
 * 4 (N^2 - 1)/12 (for N = 10 the variance of the y_i themselves is 8.25). Default n = 10.
 */
#include "data_impl.h"

enum { P_N };

static const lsc_param_desc indices_params[] = {
    [P_N] = DATA_PARAM_N(10),
};

static void indices_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = 0;
    *classes = 0;
}

static int indices_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    (void)p;
    (void)r;
    (void)d;
    (void)X;
    for (int i = 0; i < n; i++)
        y[i] = i + 1;
    return LSC_OK;
}

const lsc_data_type lsc_data_indices = {
    .name = "indices",
    .summary = "y_i = i for i = 1..n, no features: the textbook case for sampling noise",
    .formula = "y_i = i, i = 1..n; n = 10",
    .params = indices_params,
    .nparams = LSC_COUNTOF(indices_params),
    .shape = indices_shape,
    .generate = indices_generate,
};
