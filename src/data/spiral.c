/* spiral.c — the `spiral` data set: TensorFlow Playground's "Spiral", with any number of
 * arms
 *
 * Class k of C has m_k examples (n split as evenly as possible, the first classes one
 * more); its example j = 0 .. m_k - 1 lies at radius r = 5 j / m_k and angle
 * t = 1.75 (2 pi) j / m_k + 2 pi k / C:
 *     a = (r sin t + noise U(-1, 1), r cos t + noise U(-1, 1)).
 * With C = 2 this is Playground's set (its +1 arm is class 0 here, its -1 arm class 1).
 * The rows are then shuffled. Defaults: n = 200, classes = 2, noise = 0.
 * Source: tensorflow/playground, src/dataset.ts, classifySpiralData.
 */
#include <math.h>

#include "data_impl.h"

enum { P_N, P_CLASSES, P_NOISE, P_SEED };

static const lsc_param_desc spiral_params[] = {
    [P_N] = DATA_PARAM_N(200),
    [P_CLASSES] = {"classes", LSC_PARAM_INT, 2, 2, LSC_DATA_MAX_CLASSES, 0,
                   "number of arms (labels 0 .. classes-1)", NULL},
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 0, 0, 1e3, 0,
                 "each coordinate moved by noise*U(-1, 1)", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void spiral_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = 2;
    *classes = (int)p->v[P_CLASSES];
}

static int spiral_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    const int C = (int)p->v[P_CLASSES];
    const double noise = p->v[P_NOISE];
    size_t i = 0;
    for (int k = 0; k < C; k++) {
        const int m = n / C + (k < n % C);
        for (int j = 0; j < m; j++, i++) {
            double rad = 5.0 * j / m;
            double t = 1.75 * 2 * DATA_PI * j / m + 2 * DATA_PI * k / C;
            X[2 * i] = rad * sin(t) + noise * (-1 + 2 * gsl_rng_uniform(r));
            X[2 * i + 1] = rad * cos(t) + noise * (-1 + 2 * gsl_rng_uniform(r));
            y[i] = k;
        }
    }
    return data_shuffle_rows(r, n, d, X, y);
}

const lsc_data_type lsc_data_spiral = {
    .name = "spiral",
    .summary = "Playground's spiral: interleaved arms, one class each (classes = 2)",
    .formula = "class k, example j of m: r = 5 j/m, t = 3.5 pi j/m + 2 pi k/C, a = (r sin t, "
               "r cos t) + noise U(-1, 1)^2; rows shuffled",
    .params = spiral_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(spiral_params),
    .classification = 1,
    .shape = spiral_shape,
    .generate = spiral_generate,
};
