/* test_fmt.c — lsc_fmt_double (src/fmt.c) writes, byte for byte, what the loop
 *
 *     for P = 15, 16, 17: text = "%.{P}g" of x; stop when strtod(text) == x
 *
 * writes (the trajectory format's numbers; the reference below is that loop, glibc's
 * printf and strtod), and the text reads back to x. Inputs: 2 x 10^6 random bit patterns
 * (every exponent, subnormals included), 10^6 doubles of random decimal strings of 1 to
 * 17 digits (the numbers people type), and the edge cases: +-0, the largest and smallest
 * normals, the smallest subnormal, every power of two and its neighbours, the integers
 * around 2^53, exact ties at 16 and 17 digits (2^51 + 0.5, 2^-24, ...), powers of ten.
 * The generator is a fixed-seed SplitMix64, so a failure names an input that repeats. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param.h"

static void reference(char *buf, double x)
{
    if (isnan(x)) {
        strcpy(buf, "nan");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

static uint64_t state = 0x2545f4914f6cdd1dULL;
static uint64_t next64(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static long checked = 0;
static void check(double x)
{
    char want[40], got[40];
    reference(want, x);
    lsc_fmt_double(got, x);
    checked++;
    if (strcmp(want, got)) {
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        cr_assert_fail("x = %a (bits %016llx): lsc_fmt_double '%s', printf loop '%s'", x,
                       (unsigned long long)bits, got, want);
    }
    if (!isnan(x))
        cr_assert(strtod(got, NULL) == x && signbit(strtod(got, NULL)) == signbit(x),
                  "'%s' does not read back to %a", got, x);
}

static void check_both_signs(double x)
{
    check(x);
    check(-x);
}

Test(fmt, random_bit_patterns)
{
    for (int i = 0; i < 2000000; i++) {
        uint64_t b = next64();
        double x;
        memcpy(&x, &b, sizeof x);
        if (isfinite(x))
            check(x);
    }
}

Test(fmt, random_decimal_strings)
{
    char s[64];
    for (int i = 0; i < 1000000; i++) {
        int digits = 1 + (int)(next64() % 17), e = (int)(next64() % 60) - 30;
        uint64_t m = next64() % 100000000000000000ULL;
        snprintf(s, sizeof s, "%.*llue%d", digits, (unsigned long long)m, e);
        s[digits] = '\0'; /* keep `digits` digits of m, then the exponent */
        snprintf(s + digits, sizeof s - (size_t)digits, "e%d", e);
        check_both_signs(strtod(s, NULL));
    }
}

Test(fmt, edge_cases)
{
    check(0.0);
    check(-0.0);
    check(NAN);
    const double fixed[] = {DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 2 * DBL_TRUE_MIN, DBL_EPSILON,
                            1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100, 1e15, 1e16, 1e17, 1e21,
                            1e22, 1e23, 123456789012345678.0, 9007199254740993.0,
                            0x1p51 + 0.5, 0x1p-24, 0x1p-23, 0x1p-25, 5e-324, 1e-5, 1e-4,
                            0.0001234, 99999999999999.99, 999999999999999.9, 9.5, 0.5};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_both_signs(fixed[i]);
    for (int e = -1074; e <= 1023; e++) { /* powers of two and their neighbours */
        double p = ldexp(1.0, e);
        check_both_signs(p);
        check_both_signs(nextafter(p, 0));
        check_both_signs(nextafter(p, INFINITY));
    }
    for (int e = -323; e <= 308; e++) /* powers of ten and their neighbours */
        for (int k = 1; k <= 9; k++) {
            char s[32];
            snprintf(s, sizeof s, "%de%d", k, e);
            double p = strtod(s, NULL);
            check_both_signs(p);
            check_both_signs(nextafter(p, 0));
            check_both_signs(nextafter(p, INFINITY));
        }
    for (int64_t i = -1000; i <= 1000; i++) /* integers around 2^53 (above it, the even ones) */
        check_both_signs((double)((INT64_C(1) << 53) + i));
    /* exact ties: T 2^q for q in [-25, -1] with T 5^-q of 17 or 18 digits */
    for (int q = 1; q <= 25; q++)
        for (int i = 0; i < 2000; i++) {
            uint64_t T = (next64() >> 11) | 1; /* odd, < 2^53 */
            check_both_signs(ldexp((double)T, -q));
            check_both_signs(ldexp((double)(T >> (next64() % 40)) + 0.5, -q + 1));
        }
    cr_assert_gt(checked, 50000);
}
