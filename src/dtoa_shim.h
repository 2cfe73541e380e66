/* dtoa_shim.h — the decimal digits of a double (dtoa_shim.cc; internal to the core) */
#ifndef LSC_DTOA_SHIM_H
#define LSC_DTOA_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_DTOA_MAX 17 /* digits of any answer below */

/* The digits of v (finite, > 0) into digits (LSC_DTOA_MAX + 1 bytes, NUL-terminated),
 * v = 0.DIGITS x 10^point; returns how many. ndigits = 0: the fewest digits that read
 * back to v, the closest to v of those (ties away from 0); 1..17: v correctly rounded
 * to ndigits digits (ties away from 0; trailing zeros may be left off). */
int lsc_dtoa_digits(double v, int ndigits, char *digits, int *point);

#ifdef __cplusplus
}
#endif
#endif
