/* xor.c — the `xor` data set: TensorFlow Playground's "Exclusive or"
 *
 * a, b ~ U(-5, 5), each pushed 0.3 away from 0 (a += a > 0 ? 0.3 : -0.3); the label is 1
 * when (a + noise U(-5, 5)) (b + noise U(-5, 5)) >= 0, else 0 (Playground: +1 / -1).
 * Defaults: n = 200, noise = 0.
 * Source: tensorflow/playground, src/dataset.ts, classifyXORData.
 */
#include "data_impl.h"

enum { P_N, P_NOISE, P_SEED };

static const lsc_param_desc xor_params[] = {
    [P_N] = DATA_PARAM_N(200),
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 0, 0, 1e3, 0,
                 "label noise: the point is moved by noise*U(-5, 5) per axis to label it", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void xor_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = 2;
    *classes = 2;
}

static double unif(gsl_rng *r, double a, double b)
{
    return a + (b - a) * gsl_rng_uniform(r);
}

static int xor_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    (void)d;
    const double pad = 0.3, noise = p->v[P_NOISE];
    for (int i = 0; i < n; i++) {
        double a = unif(r, -5, 5), b = unif(r, -5, 5);
        a += a > 0 ? pad : -pad;
        b += b > 0 ? pad : -pad;
        double na = unif(r, -5, 5) * noise, nb = unif(r, -5, 5) * noise;
        X[2 * (size_t)i] = a;
        X[2 * (size_t)i + 1] = b;
        y[i] = (a + na) * (b + nb) >= 0 ? 1 : 0;
    }
    return LSC_OK;
}

const lsc_data_type lsc_data_xor = {
    .name = "xor",
    .summary = "Playground's exclusive or: class 1 where both features have one sign",
    .formula = "a, b ~ U(-5, 5) pushed 0.3 from 0; label 1 if (a + noise U(-5, 5)) "
               "(b + noise U(-5, 5)) >= 0 else 0",
    .params = xor_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(xor_params),
    .classification = 1,
    .shape = xor_shape,
    .generate = xor_generate,
};
