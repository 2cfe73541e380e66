/* streams.c — one generator per (seed, index) (streams.h)
 *
 * In the core library: the data sets, the starts, the driver loop (run.c) and the
 * mini-batch sampler (sampler.c) all draw from here, so none of them calls another. */
#include "streams.h"

/* SplitMix64 (Steele, Lea, Flood 2014): a bijective mixer, so distinct (seed, index)
 * pairs give well-separated generator seeds. */
static unsigned long long splitmix64(unsigned long long z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

gsl_rng *lsc_rng_for_run(unsigned long long seed, unsigned long long index)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        gsl_rng_set(r, (unsigned long)splitmix64(splitmix64(seed) ^ index));
    return r;
}
