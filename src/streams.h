/* streams.h — every random number of losscape comes from one generator per (seed, index)
 *
 * A generator is MT19937 seeded with splitmix64(splitmix64(seed) ^ index), so what a run,
 * a data set or a start draws depends on the seed and its own index alone: never on the
 * order of runs, on threads or on what else drew. The indices in use:
 *
 *   0, 1, 2, ...             run k of an experiment: its gradient noise, its perturbations
 *                            and its mini-batches (run.h, sampler.h)
 *   ~0 - j                   start j of a random start set in the box (experiment.h;
 *                            start 0, ~0, is the one random start)
 *   LSC_INIT_STREAM "init"   initialisation schemes (init.h)
 *   "gene", "hold"           a generated data set's examples and its holdout (src/data/)
 *   "noise"                  study batch: the sampler (its run index) of the sampled noise
 *                            estimate (src/study/batch.c)
 *   "esc" << 32 + j          study escape: start j of the ball; + (d << 24) + j: start j
 *                            of the dimension sweep in d dimensions (src/study/escape.c)
 *   "rnnd", "rnns"           the rnn landscape's sequences and its standard starts
 *                            (landscapes/rnn.c)
 *   seed ^ "hessian", k      run k's Lanczos start vector (curvature.h), as the
 *                            sampler's batches come from seed ^ "batches", k
 */
#ifndef LSC_STREAMS_H
#define LSC_STREAMS_H

#include <gsl/gsl_rng.h>

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Generator number `index` of seed `seed` (for run k of an experiment, index k). NULL:
 * out of memory. Free with gsl_rng_free. */
LSC_API gsl_rng *lsc_rng_for_run(unsigned long long seed, unsigned long long index);

#ifdef __cplusplus
}
#endif
#endif
