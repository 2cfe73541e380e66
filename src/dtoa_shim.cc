// dtoa_shim.cc — the decimal digits of a double, by Debian's libdouble-conversion
// (Google's double-conversion: Grisu3 with a bignum fallback, exact in every case).
// The only C++ in losscape: one C function for fmt.c.
#include <double-conversion/double-conversion.h>

#include "dtoa_shim.h"

extern "C" int lsc_dtoa_digits(double v, int ndigits, char *digits, int *point)
{
    using double_conversion::DoubleToStringConverter;
    bool sign;
    int length = 0;
    DoubleToStringConverter::DoubleToAscii(
        v, ndigits > 0 ? DoubleToStringConverter::PRECISION : DoubleToStringConverter::SHORTEST,
        ndigits, digits, LSC_DTOA_MAX + 1, &sign, &length, point);
    return length;
}
