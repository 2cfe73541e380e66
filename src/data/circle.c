/* circle.c — the `circle` data set: TensorFlow Playground's "Circle"
 *
 * Radius R = 5. The first half of the examples lie inside: r ~ U(0, R/2); the second half
 * in a ring: r ~ U(0.7 R, R); angle t ~ U(0, 2 pi), a = (r sin t, r cos t). The label is
 * 1 when the point moved by noise, a + noise (U(-R, R), U(-R, R)), lies within R/2 of the
 * centre, else 0 (Playground: +1 / -1), so noise flips labels near the boundary while the
 * points stay where they were drawn. The rows are then shuffled. Defaults: n = 200,
 * noise = 0 (Playground's slider: 0 to 0.5).
 * Source: tensorflow/playground, src/dataset.ts, classifyCircleData.
 */
#include <math.h>

#include "data_impl.h"

enum { P_N, P_NOISE, P_SEED };

static const lsc_param_desc circle_params[] = {
    [P_N] = DATA_PARAM_N(200),
    [P_NOISE] = {"noise", LSC_PARAM_REAL, 0, 0, 1e3, 0,
                 "label noise: the point is moved by noise*U(-5, 5) per axis to label it", NULL},
    [P_SEED] = DATA_PARAM_SEED,
};

static void circle_shape(const lsc_params *p, int *n, int *d, int *classes)
{
    *n = (int)p->v[P_N];
    *d = 2;
    *classes = 2;
}

static double unif(gsl_rng *r, double a, double b)
{
    return a + (b - a) * gsl_rng_uniform(r);
}

static int circle_generate(const lsc_params *p, gsl_rng *r, int n, int d, double *X, double *y)
{
    const double R = 5, noise = p->v[P_NOISE];
    for (int i = 0; i < n; i++) {
        double rad = i < n / 2 ? unif(r, 0, 0.5 * R) : unif(r, 0.7 * R, R);
        double t = unif(r, 0, 2 * DATA_PI);
        double a = rad * sin(t), b = rad * cos(t);
        double na = unif(r, -R, R) * noise, nb = unif(r, -R, R) * noise;
        X[2 * (size_t)i] = a;
        X[2 * (size_t)i + 1] = b;
        y[i] = hypot(a + na, b + nb) < 0.5 * R ? 1 : 0;
    }
    return data_shuffle_rows(r, n, d, X, y);
}

const lsc_data_type lsc_data_circle = {
    .name = "circle",
    .summary = "Playground's circle: class 1 inside radius 2.5, class 0 in a ring 3.5 to 5",
    .formula = "half r ~ U(0, 2.5), half r ~ U(3.5, 5), t ~ U(0, 2 pi), a = (r sin t, r cos t); "
               "label 1 if |a + noise U(-5, 5)^2| < 2.5 else 0; rows shuffled",
    .params = circle_params,
    .seeded = 1,
    .nparams = LSC_COUNTOF(circle_params),
    .classification = 1,
    .shape = circle_shape,
    .generate = circle_generate,
};
