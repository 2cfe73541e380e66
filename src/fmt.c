/* fmt.c — numbers as text that reads back exactly (lsc_fmt_double, param.h)
 *
 * The text is what this loop gives, and always has (trajectory files depend on it byte
 * for byte):
 *
 *     for P = 15, 16, 17:  text = sprintf("%.{P}g", x); stop when strtod(text) == x
 *
 * but without printf and strtod, which cost about 0.8 us a number. The digits come from
 * libdouble-conversion (dtoa_shim.cc); the layout is %g's (C11 7.21.6.1): with X the
 * decimal exponent of the first digit, fixed notation when -4 <= X < P, else d.ddde+XX,
 * trailing zeros removed. Which P the loop stops at:
 *
 *   - the shortest round-trip digits S have L <= 15 digits: P = 15. x rounded to 15
 *     digits is S (15 digits are spaced more than 4 ulp apart, and S is within half an
 *     ulp of x), so the loop stops at 15 with S.
 *   - L = 16: %.16g is x correctly rounded to 16 digits, C16. When C16 = S it reads back
 *     and P = 16. Else C16 is outside x's rounding interval (it is closer to x than S,
 *     and S is the closest inside), so the loop goes on to P = 17. That needs an
 *     interval that is not symmetric about x: x a power of two, whose interval is
 *     narrower below. Only then is C16 computed.
 *   - L = 17: P = 17, and x correctly rounded to 17 digits is S (17 digits always read
 *     back, so the correctly rounded ones lie in the interval, and S is the closest
 *     there).
 *   Subnormals (x < DBL_MIN) have fewer than 53 bits and a wide, symmetric rounding
 *   interval: x rounded to P = max(15, L) digits is closer to x than S, so it reads back,
 *   and the loop stops at that P with it (they hold no ties: their exact expansions are
 *   hundreds of digits long).
 *   Rounding ties: printf rounds an exact tie to even, libdouble-conversion away from
 *   zero. A tie at 16 or 17 digits needs x to have an exact decimal expansion of 17 or
 *   18 significant digits ending in 5; for x = T 2^q (T odd) that is q in [-25, -1] and
 *   T 5^-q < 10^18 (proof: an integer x ending in 5 is odd, so below 2^53 and of 16
 *   digits at most; a fraction T 2^q has exactly -q decimals, T 5^-q as its digits).
 *   Those few x take the loop itself (maybe_tie).
 */
#include "param.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtoa_shim.h"

/* The old way, kept for the exact ties: the first %.{15,16,17}g that reads back. */
static void fmt_by_printf(char *buf, double x)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
}

/* 1 when x (finite, > 0) could round with a tie at 16 or 17 digits (see above). */
static int maybe_tie(double x)
{
    int e;
    double m = frexp(x, &e); /* x = m 2^e, 0.5 <= m < 1 */
    uint64_t T = (uint64_t)ldexp(m, 53);
    int q = e - 53;
    while (!(T & 1)) {
        T >>= 1;
        q++;
    }
    if (q >= 0 || q < -25)
        return 0;
    uint64_t p5 = 1;
    for (int k = 0; k < -q; k++)
        p5 *= 5;
    return T < UINT64_C(1000000000000000000) / p5; /* T 5^-q < 10^18 */
}

/* %g's layout of 0.DIGITS x 10^point with precision P (trailing zeros already off). */
static void layout(char *out, const char *d, int len, int point, int P)
{
    const int X = point - 1; /* exponent of the first digit */
    if (X < -4 || X >= P) {
        *out++ = d[0];
        if (len > 1) {
            *out++ = '.';
            memcpy(out, d + 1, (size_t)len - 1);
            out += len - 1;
        }
        *out++ = 'e';
        *out++ = X < 0 ? '-' : '+';
        int a = X < 0 ? -X : X;
        if (a >= 100)
            *out++ = (char)('0' + a / 100);
        *out++ = (char)('0' + a / 10 % 10);
        *out++ = (char)('0' + a % 10);
    } else if (X >= 0) {
        for (int k = 0; k <= X; k++)
            *out++ = k < len ? d[k] : '0';
        if (len > X + 1) {
            *out++ = '.';
            memcpy(out, d + X + 1, (size_t)(len - X - 1));
            out += len - X - 1;
        }
    } else {
        *out++ = '0';
        *out++ = '.';
        for (int k = 0; k < -X - 1; k++)
            *out++ = '0';
        memcpy(out, d, (size_t)len);
        out += len;
    }
    *out = '\0';
}

static int trim_zeros(const char *d, int len)
{
    while (len > 1 && d[len - 1] == '0')
        len--;
    return len;
}

char *lsc_fmt_double(char *buf, double x)
{
    if (isnan(x)) {
        strcpy(buf, "nan");
        return buf;
    }
    if (isinf(x)) {
        strcpy(buf, x > 0 ? "inf" : "-inf");
        return buf;
    }
    char *out = buf;
    if (signbit(x))
        *out++ = '-';
    double a = fabs(x);
    if (a == 0) {
        strcpy(out, "0");
        return buf;
    }
    char s[LSC_DTOA_MAX + 1], c[LSC_DTOA_MAX + 1];
    int point, cpoint;
    int L = lsc_dtoa_digits(a, 0, s, &point);
    if (a < DBL_MIN) { /* subnormal: x rounded to P = max(15, L) digits (see above) */
        int P = L > 15 ? L : 15;
        int len = trim_zeros(c, lsc_dtoa_digits(a, P, c, &cpoint));
        layout(out, c, len, cpoint, P);
        return buf;
    }
    if (L <= 15) {
        layout(out, s, L, point, 15);
        return buf;
    }
    if (maybe_tie(a)) {
        fmt_by_printf(buf, x);
        return buf;
    }
    if (L == 16 && frexp(a, &cpoint) == 0.5) { /* a power of two: is C16 = S? */
        int len = trim_zeros(c, lsc_dtoa_digits(a, 16, c, &cpoint));
        if (len != L || cpoint != point || memcmp(c, s, (size_t)L)) {
            len = trim_zeros(c, lsc_dtoa_digits(a, 17, c, &cpoint));
            layout(out, c, len, cpoint, 17);
            return buf;
        }
    }
    layout(out, s, L, point, L);
    return buf;
}
