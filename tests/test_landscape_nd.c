/* test_landscape_nd.c — n-D landscape families and expr:FORMULA */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landscape.h"

static lsc_landscape *make(const char *spec, int dim)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new(spec, dim, "--landscape", &e);
    cr_assert_not_null(L, "%s: %s", spec, e.msg);
    return L;
}

Test(rosenbrock, classic_2d_value)
{
    lsc_landscape *L = make("rosenbrock", 0);
    cr_assert_eq(L->n, 2);
    double x[2] = {-1.2, 1.0};
    /* (1 - x)^2 + 100 (y - x^2)^2 = 4.84 + 100 * 0.1936 = 24.2 */
    cr_assert_float_eq(lsc_landscape_f(L, x), 24.2, 1e-12);
    lsc_landscape_free(L);
}
