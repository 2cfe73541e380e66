/* sampler.h — mini-batch sampling over a finite sum f = (1/N) sum_i l_i
 *
 * A sampler hands out the batches of a run, one per update, as PyTorch's
 * DataLoader(dataset, batch_size=B, shuffle=..., drop_last=...) does:
 *
 *   shuffle   each epoch a fresh uniform permutation of 0..N-1 (Fisher-Yates), cut into
 *             consecutive batches of B: every example is used exactly once per epoch
 *             (DataLoader(shuffle=True), RandomSampler without replacement)
 *   replace   each epoch N indices drawn i.i.d. uniform from 0..N-1, cut the same way
 *             (RandomSampler(replacement=True, num_samples=N))
 *   cyclic    0, 1, ..., N-1 in this order every epoch, cut the same way: no randomness
 *             (DataLoader(shuffle=False))
 *
 * An epoch has ceil(N/B) batches, the last one holding N mod B examples when B does not
 * divide N; with drop_last that short batch is dropped and an epoch has floor(N/B) (at
 * least one: B > N with drop_last is refused). B = N is batch gradient descent, B = 1 SGD.
 *
 * The draws come from the sampler's own generator, made from (seed, run index) alone
 * (lsc_sampler_rng), so the batches of run i never depend on thread count, run order, or
 * on other random draws of the run (gradient noise uses lsc_rng_for_run(seed, i), a
 * different stream). All memory is allocated by lsc_sampler_new; lsc_sampler_next
 * allocates nothing.
 *
 * Gradient noise of a batch (lsc_batch_noise): with per-example gradients g_i at theta,
 * their mean gbar and sigma^2 = (1/N) sum_i |g_i - gbar|^2 (the trace of their population
 * covariance), the batch mean gradient g_B = (1/B) sum_{i in batch} g_i has
 *
 *   E |g_B - gbar|^2 = (sigma^2 / B) (N - B) / (N - 1)   B distinct examples (shuffle)
 *                    = sigma^2 / B                        B i.i.d. examples (replace)
 *
 * (the variance of a sample mean without and with replacement: W. G. Cochran, Sampling
 * Techniques, 3rd ed., 1977, theorem 2.2 and section 2.6, summed over the n coordinates).
 * Example: indices with N = 10 (g_i = i - theta: sigma^2 = 8.25) gives 8.25, 3.6667, 1.375,
 * 0.91667, 0 for B = 1, 2, 4, 5, 10 without replacement, 8.25, 4.125, 2.0625, 1.65, 0.825
 * with.
 */
#ifndef LSC_SAMPLER_H
#define LSC_SAMPLER_H

#include <gsl/gsl_rng.h>

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LSC_SAMPLE_SHUFFLE,
    LSC_SAMPLE_REPLACE,
    LSC_SAMPLE_CYCLIC,
} lsc_sampling;
#define LSC_SAMPLING_NAMES "shuffle|replace|cyclic" /* in enum order */

/* "shuffle", "replace", "cyclic"; NULL for another value. */
LSC_API const char *lsc_sampling_name(lsc_sampling s);
/* LSC_OK and *out, or LSC_EINVAL for a name that is none of them. */
LSC_API int lsc_sampling_from_name(const char *name, lsc_sampling *out);

/* Batches (updates) in one epoch of N examples: ceil(N/B), or floor(N/B) with drop_last;
 * 0 when there is none (N < 1, B < 1, or B > N with drop_last). */
LSC_API long lsc_batches_per_epoch(long N, long B, int drop_last);

typedef struct lsc_sampler lsc_sampler;

/* A sampler of batches of B of the N examples (1 <= N; 1 <= B; B > N is one batch of N
 * unless drop_last, which is refused) for run run_index of an experiment seeded with
 * seed. Errors: LSC_EINVAL ("batch_size: ..."), LSC_ENOMEM. */
LSC_API lsc_sampler *lsc_sampler_new(int N, int B, lsc_sampling mode, int drop_last,
                                     unsigned long long seed, unsigned long long run_index,
                                     lsc_error *err);
LSC_API void lsc_sampler_free(lsc_sampler *s);

/* The next batch: *idx points at its m example indices (valid until the next call; owned
 * by the sampler) and the return value is m (>= 1). An epoch begins when the previous one
 * is used up. */
LSC_API int lsc_sampler_next(lsc_sampler *s, const int **idx);
/* Epochs begun so far (1 after the first lsc_sampler_next; 0 before). */
LSC_API long lsc_sampler_epoch(const lsc_sampler *s);
/* Drop what is left of the current epoch: the next batch begins a new one. */
LSC_API void lsc_sampler_new_epoch(lsc_sampler *s);

/* The sampler's generator for run run_index of an experiment seeded with seed (a stream
 * apart from lsc_rng_for_run's). Free with gsl_rng_free. */
LSC_API gsl_rng *lsc_sampler_rng(unsigned long long seed, unsigned long long run_index);

/* sigma^2 = (1/N) sum_i |g_i - gbar|^2 of the N per-example gradients G (N x n,
 * row-major), computed in two passes (the mean first: no cancellation). */
LSC_API double lsc_grad_spread(const double *G, int N, int n);
/* The exact E |g_B - gbar|^2 of a batch of B (1 <= B <= N) drawn without replacement
 * (replace = 0: shuffle, cyclic's batches are fixed) or with it, from the formula above;
 * NAN for B outside 1..N. */
LSC_API double lsc_batch_noise(const double *G, int N, int n, int B, int replace);

#ifdef __cplusplus
}
#endif
#endif
