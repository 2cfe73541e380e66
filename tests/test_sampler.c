/* test_sampler.c — mini-batch sampling (sampler.h): epochs, streams, gradient noise */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sampler.h"

static lsc_sampler *make(int N, int B, lsc_sampling mode, int drop_last,
                         unsigned long long seed, unsigned long long run)
{
    lsc_error e = {0};
    lsc_sampler *s = lsc_sampler_new(N, B, mode, drop_last, seed, run, &e);
    cr_assert(s, "%s", e.msg);
    return s;
}

Test(sampler, epoch_lengths)
{
    cr_expect_eq(lsc_batches_per_epoch(10, 3, 0), 4);
    cr_expect_eq(lsc_batches_per_epoch(10, 3, 1), 3);
    cr_expect_eq(lsc_batches_per_epoch(10, 5, 0), 2);
    cr_expect_eq(lsc_batches_per_epoch(10, 5, 1), 2);
    cr_expect_eq(lsc_batches_per_epoch(10, 1, 0), 10);
    cr_expect_eq(lsc_batches_per_epoch(10, 10, 1), 1);
    cr_expect_eq(lsc_batches_per_epoch(10, 11, 0), 1);
    cr_expect_eq(lsc_batches_per_epoch(10, 11, 1), 0);
}

/* shuffle: every example exactly once per epoch, in batches of 3, 3, 3, 1 (N = 10, B = 3);
 * with drop_last, batches 3, 3, 3 of distinct examples, and the next epoch starts after */
static void check_once_per_epoch(int drop_last)
{
    const int N = 10, B = 3, epochs = 50;
    lsc_sampler *s = make(N, B, LSC_SAMPLE_SHUFFLE, drop_last, 7, 0);
    long per = lsc_batches_per_epoch(N, B, drop_last);
    int differs = 0;
    for (int ep = 1; ep <= epochs; ep++) {
        int seen[10] = {0}, used = 0;
        for (long b = 0; b < per; b++) {
            const int *idx;
            int m = lsc_sampler_next(s, &idx);
            cr_assert_eq(lsc_sampler_epoch(s), ep);
            cr_assert_eq(m, b < 3 ? 3 : 1, "epoch %d batch %ld: %d examples", ep, b, m);
            for (int k = 0; k < m; k++) {
                cr_assert(idx[k] >= 0 && idx[k] < N);
                seen[idx[k]]++;
                differs |= idx[k] != used;
                used++;
            }
        }
        for (int i = 0; i < N; i++)
            cr_assert_eq(seen[i], drop_last ? seen[i] : 1, "epoch %d: example %d used %d "
                         "times", ep, i, seen[i]);
        for (int i = 0; i < N; i++)
            cr_assert_leq(seen[i], 1);
        cr_assert_eq(used, drop_last ? 9 : 10);
    }
    cr_expect(differs, "shuffle never left the identity order");
    lsc_sampler_free(s);
}

Test(sampler, shuffle_uses_each_example_once_per_epoch) { check_once_per_epoch(0); }
Test(sampler, shuffle_drop_last) { check_once_per_epoch(1); }

Test(sampler, cyclic_is_the_fixed_order)
{
    lsc_sampler *s = make(7, 3, LSC_SAMPLE_CYCLIC, 0, 1, 0);
    for (int ep = 0; ep < 3; ep++)
        for (int first = 0; first < 7; first += 3) {
            const int *idx;
            int m = lsc_sampler_next(s, &idx);
            cr_assert_eq(m, first + 3 <= 7 ? 3 : 1);
            for (int k = 0; k < m; k++)
                cr_assert_eq(idx[k], first + k);
        }
    lsc_sampler_free(s);
}

/* replace: indices in range, and repeats within an epoch (an epoch of 10 i.i.d. draws
 * from 10 has no repeat with probability 10!/10^10 = 3.6e-4; over 20 epochs some repeat
 * is certain for any sane generator, and impossible for a permutation) */
Test(sampler, replace_repeats)
{
    lsc_sampler *s = make(10, 5, LSC_SAMPLE_REPLACE, 0, 3, 0);
    int repeats = 0;
    for (int ep = 0; ep < 20; ep++) {
        int seen[10] = {0};
        for (int b = 0; b < 2; b++) {
            const int *idx;
            int m = lsc_sampler_next(s, &idx);
            cr_assert_eq(m, 5);
            for (int k = 0; k < m; k++) {
                cr_assert(idx[k] >= 0 && idx[k] < 10);
                repeats += seen[idx[k]]++ > 0;
            }
        }
    }
    cr_expect_gt(repeats, 0);
    lsc_sampler_free(s);
}

/* The stream is a function of (seed, run index): two samplers of the same pair agree
 * batch for batch whatever else was drawn in between; another run index or seed differs. */
static void draw(lsc_sampler *s, int *out, int count)
{
    for (int k = 0; k < count;) {
        const int *idx;
        int m = lsc_sampler_next(s, &idx);
        for (int j = 0; j < m && k < count; j++)
            out[k++] = idx[j];
    }
}

Test(sampler, stream_of_seed_and_run)
{
    enum { C = 200 };
    int a[C], b[C], c[C], d[C];
    lsc_sampler *s1 = make(20, 4, LSC_SAMPLE_SHUFFLE, 0, 42, 3);
    lsc_sampler *other = make(20, 4, LSC_SAMPLE_SHUFFLE, 0, 42, 2);
    draw(other, c, C); /* run 2 first, as another thread might */
    lsc_sampler *s2 = make(20, 4, LSC_SAMPLE_SHUFFLE, 0, 42, 3);
    draw(s2, b, C);
    draw(s1, a, C);
    cr_expect_eq(memcmp(a, b, sizeof a), 0, "same (seed, run), different batches");
    cr_expect_neq(memcmp(a, c, sizeof a), 0, "run 2 and run 3 drew the same batches");
    lsc_sampler *s3 = make(20, 4, LSC_SAMPLE_SHUFFLE, 0, 43, 3);
    draw(s3, d, C);
    cr_expect_neq(memcmp(a, d, sizeof a), 0, "seeds 42 and 43 drew the same batches");
    lsc_sampler_free(s1);
    lsc_sampler_free(s2);
    lsc_sampler_free(other);
    lsc_sampler_free(s3);
}

/* Each of the 6 permutations of 3 examples is equally likely: over K = 60000 epochs each
 * count is Binomial(K, 1/6), mean 10000, sd sqrt(K (1/6)(5/6)) = 91.3; allow 5 sd. */
Test(sampler, shuffle_is_uniform)
{
    const int K = 60000;
    int count[3][3][3] = {{{0}}};
    lsc_sampler *s = make(3, 3, LSC_SAMPLE_SHUFFLE, 0, 5, 0);
    for (int k = 0; k < K; k++) {
        const int *idx;
        cr_assert_eq(lsc_sampler_next(s, &idx), 3);
        count[idx[0]][idx[1]][idx[2]]++;
    }
    double sd = sqrt(K * (1.0 / 6) * (5.0 / 6));
    int perms = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int l = 0; l < 3; l++)
                if (i != j && j != l && i != l) {
                    perms++;
                    cr_expect_leq(fabs(count[i][j][l] - K / 6.0), 5 * sd,
                                  "permutation %d%d%d drawn %d times", i, j, l,
                                  count[i][j][l]);
                }
    cr_expect_eq(perms, 6);
    lsc_sampler_free(s);
}

Test(sampler, bad_sizes)
{
    lsc_error e = {0};
    cr_expect_null(lsc_sampler_new(10, 0, LSC_SAMPLE_SHUFFLE, 0, 1, 0, &e));
    cr_expect_eq(e.code, LSC_EINVAL);
    lsc_error_clear(&e);
    cr_expect_null(lsc_sampler_new(10, 11, LSC_SAMPLE_SHUFFLE, 1, 1, 0, &e));
    cr_expect(strstr(e.msg, "drop_last"), "%s", e.msg);
    lsc_sampling m;
    cr_expect_eq(lsc_sampling_from_name("replace", &m), LSC_OK);
    cr_expect_eq(m, LSC_SAMPLE_REPLACE);
    cr_expect_eq(lsc_sampling_from_name("random", &m), LSC_EINVAL);
    cr_expect_str_eq(lsc_sampling_name(LSC_SAMPLE_CYCLIC), "cyclic");
}

/* ---- gradient noise ------------------------------------------------------------------ */

/* indices with N = 10 (y_i = i): per-example gradients g_i = theta - y_i (the gradient of
 * (1/2)(theta - y_i)^2), sigma^2 = (N^2 - 1)/12 = 8.25 whatever theta */
static void indices_grads(double *G, double theta)
{
    for (int i = 0; i < 10; i++)
        G[i] = theta - (i + 1);
}

Test(noise, indices_formula)
{
    double G[10];
    indices_grads(G, 0.3);
    static const int B[] = {1, 2, 4, 5, 10};
    /* the table, as exact fractions: (8.25/B)(10-B)/9 and 8.25/B */
    static const double without[] = {8.25, 11.0 / 3, 1.375, 11.0 / 12, 0};
    static const double with[] = {8.25, 4.125, 2.0625, 1.65, 0.825};
    cr_expect_float_eq(lsc_grad_spread(G, 10, 1), 8.25, 1e-14);
    for (int k = 0; k < 5; k++) {
        cr_expect_float_eq(lsc_batch_noise(G, 10, 1, B[k], 0), without[k], 1e-13,
                           "B = %d without replacement: %.17g", B[k],
                           lsc_batch_noise(G, 10, 1, B[k], 0));
        cr_expect_float_eq(lsc_batch_noise(G, 10, 1, B[k], 1), with[k], 1e-13,
                           "B = %d with replacement: %.17g", B[k],
                           lsc_batch_noise(G, 10, 1, B[k], 1));
    }
    /* the rounded values as the issue prints them */
    cr_expect_lt(fabs(lsc_batch_noise(G, 10, 1, 2, 0) - 3.6667), 5e-5);
    cr_expect_lt(fabs(lsc_batch_noise(G, 10, 1, 5, 0) - 0.91667), 5e-6);
    cr_expect(isnan(lsc_batch_noise(G, 10, 1, 11, 0)));
    cr_expect(isnan(lsc_batch_noise(G, 10, 1, 0, 1)));
}

/* The formula against exhaustive enumeration, in n = 2: every 3-subset of 6 examples
 * (20, equally likely without replacement) and every ordered 3-tuple (216, with). */
Test(noise, formula_against_enumeration)
{
    const int N = 6, n = 2;
    const double G[12] = {0.5, -1, 2, 0.25, -3, 1, 1.5, 2.5, 0, -0.75, 4, 0.125};
    double gbar[2] = {0, 0};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < n; j++)
            gbar[j] += G[i * n + j] / N;
    double sub = 0, tup = 0;
    int nsub = 0, ntup = 0;
    for (int a = 0; a < N; a++)
        for (int b = 0; b < N; b++)
            for (int c = 0; c < N; c++) {
                double z = 0;
                for (int j = 0; j < n; j++) {
                    double m = (G[a * n + j] + G[b * n + j] + G[c * n + j]) / 3 - gbar[j];
                    z += m * m;
                }
                tup += z;
                ntup++;
                if (a < b && b < c) {
                    sub += z;
                    nsub++;
                }
            }
    cr_assert_eq(nsub, 20);
    cr_expect_float_eq(lsc_batch_noise(G, N, n, 3, 0), sub / nsub, 1e-13);
    cr_expect_float_eq(lsc_batch_noise(G, N, n, 3, 1), tup / ntup, 1e-13);
}

/* Sampled estimates agree with the formula within their Monte-Carlo error. The first
 * batch of each of K epochs (lsc_sampler_new_epoch between them) gives K independent
 * draws Z_k = |g_B - gbar|^2 with mean the exact noise; their mean has standard error
 * s/sqrt(K), s the sample standard deviation of the Z_k. With K = 20000 the CLT holds
 * well (Z is bounded), and 5 standard errors is exceeded with probability 6e-7; the
 * difference between the two formulas (0.73 at B = 5) is about 70 standard errors. With
 * B = N and no replacement every batch is the whole set: Z = 0 exactly (to rounding). */
static void sampled_noise(lsc_sampling mode, int B, double *mean, double *se)
{
    const int K = 20000;
    double G[10];
    indices_grads(G, 0.3);
    double gbar = 0.3 - 5.5;
    lsc_sampler *s = make(10, B, mode, 0, 11, (unsigned long long)B);
    double sum = 0, sum2 = 0;
    for (int k = 0; k < K; k++) {
        const int *idx;
        int m = lsc_sampler_next(s, &idx);
        cr_assert_eq(m, B);
        double g = 0;
        for (int j = 0; j < m; j++)
            g += G[idx[j]];
        double z = (g / m - gbar) * (g / m - gbar);
        sum += z;
        sum2 += z * z;
        lsc_sampler_new_epoch(s);
    }
    *mean = sum / K;
    double var = (sum2 - K * *mean * *mean) / (K - 1);
    *se = sqrt(var > 0 ? var : 0) / sqrt((double)K);
    lsc_sampler_free(s);
}

Test(noise, sampled_estimate_agrees)
{
    double G[10];
    indices_grads(G, 0.3);
    static const int B[] = {1, 2, 4, 5, 10};
    for (int k = 0; k < 5; k++)
        for (int rep = 0; rep < 2; rep++) {
            double mean, se;
            sampled_noise(rep ? LSC_SAMPLE_REPLACE : LSC_SAMPLE_SHUFFLE, B[k], &mean, &se);
            double exact = lsc_batch_noise(G, 10, 1, B[k], rep);
            cr_expect_leq(fabs(mean - exact), 5 * se + 1e-12,
                          "B = %d %s: sampled %g +- %g, exact %g", B[k],
                          rep ? "replace" : "shuffle", mean, se, exact);
        }
}
