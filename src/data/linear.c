/* linear.c — the `linear` data set: regression on a plane
 *
 *     a_ij ~ U(-1, 1),   y_i = w sum_j a_ij + b + noise e_i,   e_i ~ N(0, 1)
 *
 * so the true weights are w* = (w, ..., w) and the true bias b* = b. Defaults: n = 200,
 * features = 1, noise = 0.1, w = 1, b = 0.5.
 */
#include <gsl/gsl_randist.h>

#include "data_impl.h"

enum { P_N, P_FEATURES, P_NOISE, P_W, P_B, P_SEED };

static const lsc_param_desc linear_params[] = {
    [P_N] = DATA_PARAM_N(200),
    [P_FEATURES] = {"features", LSC_PARAM_INT, 1, 1, LSC_DATA_MAX_COLS - 1, 0,
                    "number of features a_j", NULL},
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 0.1, 0, 1e6, 0,
                 "standard deviation of the Gaussian noise on y", NULL},
    [P_W] = {"w", LSC_PARAM_REAL, 1, -1e6, 1e6, 0, "every true weight", NULL},
    [P_B] = {"b", LSC_PARAM_REAL, 0.5, -1e6, 1e6, 0, "the true bias", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void linear_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = (int)p->v[P_FEATURES];
    *classes = 0;
}

static int linear_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double a = -1 + 2 * gsl_rng_uniform(r);
            X[(size_t)i * (size_t)d + (size_t)j] = a;
            s += a;
        }
        y[i] = p->v[P_W] * s + p->v[P_B] + p->v[P_NOISE] * gsl_ran_gaussian_ziggurat(r, 1.0);
    }
    return LSC_OK;
}

const lsc_data_type lsc_data_linear = {
    .name = "linear",
    .summary = "regression on a plane: y = w (a_1 + ... + a_d) + b + noise",
    .formula = "a_ij ~ U(-1, 1), y_i = w sum_j a_ij + b + noise N(0, 1); w = 1, b = 0.5, "
               "noise = 0.1",
    .params = linear_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(linear_params),
    .shape = linear_shape,
    .generate = linear_generate,
};
