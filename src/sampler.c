/* sampler.c — mini-batch sampling (see sampler.h) */
#include "sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

struct lsc_sampler {
    int N, B;
    lsc_sampling mode;
    int drop_last;
    long per_epoch; /* batches in an epoch */
    long batch;     /* batches handed out in the current epoch */
    long epoch;     /* epochs begun */
    int *order;     /* N: this epoch's indices, cut into batches */
    gsl_rng *rng;
};

static const char *const sampling_names[] = {
    [LSC_SAMPLE_SHUFFLE] = "shuffle",
    [LSC_SAMPLE_REPLACE] = "replace",
    [LSC_SAMPLE_CYCLIC] = "cyclic",
};

const char *lsc_sampling_name(lsc_sampling s)
{
    return (int)s >= 0 && (int)s < LSC_COUNTOF(sampling_names) ? sampling_names[s] : NULL;
}

int lsc_sampling_from_name(const char *name, lsc_sampling *out)
{
    for (int k = 0; name && k < LSC_COUNTOF(sampling_names); k++)
        if (!strcmp(name, sampling_names[k])) {
            *out = (lsc_sampling)k;
            return LSC_OK;
        }
    return LSC_EINVAL;
}

long lsc_batches_per_epoch(long N, long B, int drop_last)
{
    if (N < 1 || B < 1)
        return 0;
    return drop_last ? N / B : (N + B - 1) / B;
}

/* A tag mixed into the seed so the sampler's stream is not the run's noise stream
 * (lsc_rng_for_run(seed, i) itself): "batches" in ASCII. */
#define SAMPLER_TAG 0x6261746368657300ULL

gsl_rng *lsc_sampler_rng(unsigned long long seed, unsigned long long run_index)
{
    return lsc_rng_for_run(seed ^ SAMPLER_TAG, run_index);
}

lsc_sampler *lsc_sampler_new(int N, int B, lsc_sampling mode, int drop_last,
                             unsigned long long seed, unsigned long long run_index,
                             lsc_error *err)
{
    if (N < 1 || B < 1 || !lsc_sampling_name(mode)) {
        lsc_error_set(err, LSC_EINVAL, "batch_size: %d examples in batches of %d: both must be "
                      "at least 1", N, B);
        return NULL;
    }
    if (drop_last && B > N) {
        lsc_error_set(err, LSC_EINVAL, "batch_size: %d is larger than the %d examples, and "
                      "drop_last would drop every batch", B, N);
        return NULL;
    }
    lsc_sampler *s = calloc(1, sizeof *s);
    if (s) {
        s->order = malloc((size_t)N * sizeof *s->order);
        s->rng = mode == LSC_SAMPLE_CYCLIC ? NULL : lsc_sampler_rng(seed, run_index);
    }
    if (!s || !s->order || (mode != LSC_SAMPLE_CYCLIC && !s->rng)) {
        lsc_sampler_free(s);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for a sampler of %d examples", N);
        return NULL;
    }
    s->N = N;
    s->B = B > N ? N : B;
    s->mode = mode;
    s->drop_last = drop_last;
    s->per_epoch = lsc_batches_per_epoch(N, s->B, drop_last);
    s->batch = s->per_epoch; /* the first call begins epoch 1 */
    for (int i = 0; i < N; i++)
        s->order[i] = i;
    return s;
}

void lsc_sampler_free(lsc_sampler *s)
{
    if (!s)
        return;
    free(s->order);
    if (s->rng)
        gsl_rng_free(s->rng);
    free(s);
}

/* Fill order for a new epoch. shuffle: Fisher-Yates (Knuth, TAOCP vol. 2, 3.4.2,
 * algorithm P) from the identity each epoch, so an epoch's permutation does not depend on
 * the previous one's; replace: N i.i.d. uniform indices; cyclic: the identity, kept. */
static void begin_epoch(lsc_sampler *s)
{
    const int N = s->N;
    if (s->mode == LSC_SAMPLE_SHUFFLE) {
        for (int i = 0; i < N; i++)
            s->order[i] = i;
        for (int i = N - 1; i > 0; i--) {
            int j = (int)gsl_rng_uniform_int(s->rng, (unsigned long)i + 1);
            int tmp = s->order[i];
            s->order[i] = s->order[j];
            s->order[j] = tmp;
        }
    } else if (s->mode == LSC_SAMPLE_REPLACE) {
        for (int i = 0; i < N; i++)
            s->order[i] = (int)gsl_rng_uniform_int(s->rng, (unsigned long)N);
    }
    s->batch = 0;
    s->epoch++;
}

int lsc_sampler_next(lsc_sampler *s, const int **idx)
{
    if (s->batch >= s->per_epoch)
        begin_epoch(s);
    long first = s->batch * s->B;
    long m = s->N - first < s->B ? s->N - first : s->B;
    s->batch++;
    *idx = s->order + first;
    return (int)m;
}

long lsc_sampler_epoch(const lsc_sampler *s)
{
    return s->epoch;
}

void lsc_sampler_new_epoch(lsc_sampler *s)
{
    s->batch = s->per_epoch;
}

double lsc_grad_spread(const double *G, int N, int n)
{
    if (N < 1)
        return NAN;
    double s = 0;
    for (int j = 0; j < n; j++) {
        double mean = 0, ss = 0;
        for (int i = 0; i < N; i++)
            mean += G[(size_t)i * n + j];
        mean /= N;
        for (int i = 0; i < N; i++) {
            double d = G[(size_t)i * n + j] - mean;
            ss += d * d;
        }
        s += ss / N;
    }
    return s;
}

double lsc_batch_noise(const double *G, int N, int n, int B, int replace)
{
    if (N < 1 || B < 1 || B > N)
        return NAN;
    double sigma2 = lsc_grad_spread(G, N, n);
    if (replace)
        return sigma2 / B;
    /* the finite-population correction (N - B)/(N - 1); N = 1 leaves B = N = 1: no noise */
    return N == 1 ? 0 : sigma2 / B * (double)(N - B) / (double)(N - 1);
}
