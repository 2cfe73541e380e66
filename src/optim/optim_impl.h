/* optim_impl.h — private helpers shared by the optimizer files (not installed)
 *
 * State layout. An optimizer's state is one 64-byte aligned block (optim.c): a header
 * struct, then the per-parameter arrays. lsc_layout computes the offsets once (in
 * state_size and again in init, which stores them in the header). Every array starts on a
 * 64-byte boundary; arrays of a page or more are padded to whole 4 KiB pages plus 128 bytes,
 * so array k starts 128·k bytes (mod 4096) after array 0. The streams of one update loop
 * (m, v, vmax, ...) then never sit at the same offset modulo 4 KiB, which would make every
 * load look like it depends on the previous store ("4K aliasing").
 *
 * Vectorisation. meson's buildtype=release compiles with -O3, debugoptimized with -O2, where
 * gcc 12 uses the "very cheap" vectoriser cost model: a loop is vectorised only when no scalar
 * epilogue is needed, so a plain `for (i = 0; i < n; i++)` over an unknown n stays scalar.
 * LSC_FOR_EACH runs the body over blocks of LSC_VBLOCK elements (a fixed trip count, which
 * that model accepts) and then over the tail; "GCC unroll 1" on the block loop stops -O3 from
 * unrolling it completely into scalar code before the vectoriser sees it. Either way the
 * block loop is packed (sqrtpd / divpd; checked with objdump). LSC_VEC_CLONES asks for an
 * extra AVX2 clone of a kernel, chosen at load time (ifunc) on x86-64 GNU/Linux: in cache the
 * kernels are bound by sqrt and division throughput, which doubles with 4-wide vectors. No
 * clone contracts a*b+c into an FMA (c_std=c11 implies -ffp-contract=off) and sqrt and
 * division are correctly rounded, so every clone, the vector blocks and the scalar tail
 * compute bit-identical results. Define LSC_NO_TARGET_CLONES to disable the clones.
 */
#ifndef LSC_OPTIM_IMPL_H
#define LSC_OPTIM_IMPL_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h> /* defines __GLIBC__ on glibc */
#include "optim.h"

/* ---- state layout ------------------------------------------------------------ */

typedef struct {
    size_t off; /* bytes used so far */
    int overflow;
} lsc_layout;

static inline size_t lsc_layout_round(size_t x, size_t a, int *overflow)
{
    if (x > SIZE_MAX - a) {
        *overflow = 1;
        return 0;
    }
    return (x + a - 1) / a * a;
}

/* Start a layout with a header of `header` bytes. */
static inline void lsc_layout_init(lsc_layout *L, size_t header)
{
    L->overflow = 0;
    L->off = lsc_layout_round(header, 64, &L->overflow);
}

/* Reserve an array of count elements of elem bytes; returns its offset. */
static inline size_t lsc_layout_add(lsc_layout *L, size_t count, size_t elem)
{
    size_t at = L->off;
    if (L->overflow || (elem && count > SIZE_MAX / 4 / elem)) {
        L->overflow = 1;
        return 0;
    }
    size_t bytes = lsc_layout_round(count * elem, 64, &L->overflow);
    if (bytes >= 4096)
        bytes = lsc_layout_round(bytes, 4096, &L->overflow) + 128;
    if (L->overflow || L->off > SIZE_MAX / 2 - bytes) {
        L->overflow = 1;
        return 0;
    }
    L->off += bytes;
    return at;
}

/* Total bytes, or SIZE_MAX when the sizes overflow (lsc_optim_new then reports ENOMEM). */
static inline size_t lsc_layout_size(const lsc_layout *L)
{
    return L->overflow ? SIZE_MAX : L->off;
}

/* One step of a running power β^t (the bias corrections 1 − β^t of adam.c and its
 * relatives): returns bt·β, or 0 once that falls below DBL_MIN. A plain running product never
 * reaches 0: for β > ½ the smallest subnormal times β rounds back to itself, and from
 * t ≈ 700/(1 − β) on every step would multiply a subnormal, a microcode assist of ~100+
 * cycles (Adam's 2-D step measured 3× slower once β1^t got there). Setting it to 0 changes no
 * result: below DBL_MIN, 1 − β^t and every quantity the optimizers form from β^t (RAdam's
 * ρ∞ − 2tβ2^t/bc2 with ρ∞ ≥ 1, NAdam's 1 − Πμ) round to the same double as with the
 * subnormal. */
static inline double lsc_running_power(double bt, double beta)
{
    bt *= beta;
    return bt < DBL_MIN ? 0.0 : bt;
}

#define LSC_STATE_ARRAY(state, off) ((double *)(void *)((char *)(state) + (off)))

/* ---- loops --------------------------------------------------------------------------- */

#define LSC_VBLOCK 8

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define LSC_PRAGMA_NO_UNROLL _Pragma("GCC unroll 1")
#else
#define LSC_PRAGMA_NO_UNROLL
#endif

/* for (int i = 0; i < n; i++) { body } — blocks of LSC_VBLOCK, then the tail. n is an int
 * dimension (param.h); the block test is written i_blk <= n - LSC_VBLOCK so that it cannot
 * overflow for n near INT_MAX. */
#define LSC_FOR_EACH(i, n, ...)                                                          \
    do {                                                                                 \
        int i##_blk_ = 0;                                                                \
        for (; i##_blk_ <= (n) - LSC_VBLOCK; i##_blk_ += LSC_VBLOCK)                     \
            LSC_PRAGMA_NO_UNROLL                                                         \
            for (int i = i##_blk_; i < i##_blk_ + LSC_VBLOCK; i++) {                     \
                __VA_ARGS__                                                              \
            }                                                                            \
        for (int i = i##_blk_; i < (n); i++) {                                           \
            __VA_ARGS__                                                                  \
        }                                                                                \
    } while (0)

#if defined(__GNUC__)
#define LSC_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LSC_ALWAYS_INLINE inline
#endif

#if defined(__has_attribute)
#if __has_attribute(target_clones)
#define LSC_HAVE_TARGET_CLONES_ATTR 1
#endif
#endif

#if defined(LSC_HAVE_TARGET_CLONES_ATTR) && defined(__x86_64__) && defined(__linux__) &&   \
    defined(__GLIBC__) && !defined(LSC_NO_TARGET_CLONES) &&                              \
    (!defined(__clang__) || __clang_major__ >= 14)
#define LSC_VEC_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LSC_VEC_CLONES
#endif

#endif
