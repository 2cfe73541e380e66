/* mean.c — the `mean` data set: scalars with no features (estimating a mean)
 *
 *     y_i = mu + noise e_i,   e_i ~ N(0, 1)
 *
 * A bias-only model (linreg on it has the one parameter b) minimises the mean squared
 * error at the sample mean. Defaults: n = 100, mu = 1, noise = 1.
 */
#include <gsl/gsl_randist.h>

#include "data_impl.h"

enum { P_N, P_MU, P_NOISE, P_SEED };

static const lsc_param_desc mean_params[] = {
    [P_N] = DATA_PARAM_N(100),
    [P_MU] = {"mu", LSC_PARAM_REAL, 1, -1e6, 1e6, 0, "the true mean", NULL},
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 1, 0, 1e6, 0, "standard deviation of y", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void mean_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = 0;
    *classes = 0;
}

static int mean_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    (void)d;
    (void)X;
    for (int i = 0; i < n; i++)
        y[i] = p->v[P_MU] + p->v[P_NOISE] * gsl_ran_gaussian_ziggurat(r, 1.0);
    return LSC_OK;
}

const lsc_data_type lsc_data_mean = {
    .name = "mean",
    .summary = "scalars y_i ~ N(mu, noise^2), no features: estimating a mean",
    .formula = "y_i = mu + noise N(0, 1); mu = 1, noise = 1",
    .params = mean_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(mean_params),
    .shape = mean_shape,
    .generate = mean_generate,
};
