/* sine.c — the `sine` data set: one-feature regression on a sine
 *
 *     a_i ~ U(-pi, pi),   y_i = sin(a_i) + noise e_i,   e_i ~ N(0, 1)
 *
 * Defaults: n = 200, noise = 0.1. A linear model cannot fit it; an mlp can.
 */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "data_impl.h"

enum { P_N, P_NOISE, P_SEED };

static const lsc_param_desc sine_params[] = {
    [P_N] = DATA_PARAM_N(200),
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 0.1, 0, 1e6, 0,
                 "standard deviation of the Gaussian noise on y", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void sine_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = 1;
    *classes = 0;
}

static int sine_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    (void)d;
    for (int i = 0; i < n; i++) {
        X[i] = DATA_PI * (-1 + 2 * gsl_rng_uniform(r));
        y[i] = sin(X[i]) + p->v[P_NOISE] * gsl_ran_gaussian_ziggurat(r, 1.0);
    }
    return LSC_OK;
}

const lsc_data_type lsc_data_sine = {
    .name = "sine",
    .summary = "one-feature regression: y = sin(a) + noise",
    .formula = "a_i ~ U(-pi, pi), y_i = sin(a_i) + noise N(0, 1); noise = 0.1",
    .params = sine_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(sine_params),
    .shape = sine_shape,
    .generate = sine_generate,
};
