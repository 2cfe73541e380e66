/* six_hump_camel.c — the six-hump camel function
 *
 *     f(x, y) = (4 - 2.1 x^2 + x^4/3) x^2 + x y + (-4 + 4 y^2) y^2
 *
 * Two global minima f = -1.0316284534898774 at ±(0.0898420131, -0.7126564030), four more
 * local minima, seven saddles (one at the origin) and two maxima: the 15 critical points,
 * all inside the SFU domain x in [-3, 3], y in [-2, 2]; symmetric under (x, y) -> (-x, -y).
 *
 * Reference: L. C. W. Dixon, G. P. Szegö, "The global optimisation problem: an
 * introduction", in Towards Global Optimisation 2, North-Holland, 1978; Surjanovic &
 * Bingham, Virtual Library of Simulation Experiments, SFU,
 * https://www.sfu.ca/~ssurjano/camel6.html
 */
#include "landscape.h"

/* f = 4x^2 - 2.1x^4 + x^6/3 + xy - 4y^2 + 4y^4 */
static double six_hump_camel_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0], b = x[1] * x[1];
    return (4.0 - 2.1 * a + a * a / 3.0) * a + x[0] * x[1] + (-4.0 + 4.0 * b) * b;
}

/* df/dx = 8x - 8.4x^3 + 2x^5 + y,  df/dy = x - 8y + 16y^3 */
static double six_hump_camel_fdf(const lsc_params *p, const void *state, int n,
                                 const double *x, double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0], b = x[1] * x[1];
    g[0] = x[0] * (8.0 - 8.4 * a + 2.0 * a * a) + x[1];
    g[1] = x[0] + x[1] * (-8.0 + 16.0 * b);
    return (4.0 - 2.1 * a + a * a / 3.0) * a + x[0] * x[1] + (-4.0 + 4.0 * b) * b;
}

/* f_xx = 8 - 25.2x^2 + 10x^4,  f_xy = 1,  f_yy = -8 + 48y^2 */
static void six_hump_camel_hess(const lsc_params *p, const void *state, int n,
                                const double *x, double *H)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0];
    H[0] = 8.0 - 25.2 * a + 10.0 * a * a;
    H[1] = H[2] = 1.0;
    H[3] = -8.0 + 48.0 * x[1] * x[1];
}

/* (-2, 1.5) and (2, -1.5): corners, rolling into different basins; (-1.5, -1): lower left,
 * next to a local minimum. */
static const double six_hump_camel_starts[] = {-2.0, 1.5, 2.0, -1.5, -1.5, -1.0};

/* tests/ref/landscape2d_critical.py six-hump-camel (all 15 critical points) */
static const lsc_critical2 six_hump_camel_critical[] = {
    {LSC_CP_MIN, {-0.08984201310031806, 0.7126564030207396}, -1.0316284534898774,
     7.682251413369077, 16.49319523222773, 1e-15},
    {LSC_CP_MIN, {0.08984201310031806, -0.7126564030207396}, -1.0316284534898774,
     7.682251413369077, 16.49319523222773, 1e-15},
    {LSC_CP_MIN, {-1.703606714969981, 0.7960835686726251}, -0.21546382438371764,
     18.81713863516046, 22.697515006928896, 2e-15},
    {LSC_CP_MIN, {1.703606714969981, -0.7960835686726251}, -0.21546382438371764,
     18.81713863516046, 22.697515006928896, 2e-15},
    {LSC_CP_MIN, {-1.6071047529201972, -0.5686514548841314}, 2.1042503103112584,
     7.121512120207152, 10.02160251618325, 2e-15},
    {LSC_CP_MIN, {1.6071047529201972, 0.5686514548841314}, 2.1042503103112584,
     7.121512120207152, 10.02160251618325, 2e-15},
    {LSC_CP_SADDLE, {0.0, 0.0}, 0.0, -8.06225774829855, 8.06225774829855, 0.0},
    {LSC_CP_SADDLE, {-1.1092053368047865, 0.7682680925095399}, 0.5437186009781851,
     -7.902619119987387, 20.366739739128, 1e-15},
    {LSC_CP_SADDLE, {1.1092053368047865, -0.7682680925095399}, 0.5437186009781851,
     -7.902619119987387, 20.366739739128, 1e-15},
    {LSC_CP_SADDLE, {-1.6380679841897785, -0.22867406904439408}, 2.2293571975307147,
     -5.545775017246524, 12.436664436358388, 2e-15},
    {LSC_CP_SADDLE, {1.6380679841897785, 0.22867406904439408}, 2.2293571975307147,
     -5.545775017246524, 12.436664436358388, 2e-15},
    {LSC_CP_SADDLE, {-1.2960702671671092, -0.6050843880386585}, 2.22947081802986,
     -6.177182126967409, 9.637588488012842, 1e-15},
    {LSC_CP_SADDLE, {1.2960702671671092, 0.6050843880386585}, 2.22947081802986,
     -6.177182126967409, 9.637588488012842, 1e-15},
    {LSC_CP_MAX, {-1.2302298765166526, -0.16233458445899496}, 2.496295351023577,
     -8.014907156539829, -5.953724166834645, 1e-15},
    {LSC_CP_MAX, {1.2302298765166526, 0.16233458445899496}, 2.496295351023577,
     -8.014907156539829, -5.953724166834645, 1e-15},
};

const lsc_landscape_type lsc_landscape_six_hump_camel = {
    .name = "six-hump-camel",
    .summary = "two global and four local minima, 15 critical points (Dixon-Szego 1978)",
    .formula = "f(x, y) = (4 - 2.1x^2 + x^4/3) x^2 + xy + (-4 + 4y^2) y^2   (minima "
               "f = -1.0316284534898774 at +-(0.0898420131, -0.7126564030))",
    .citation = "L. C. W. Dixon, G. P. Szego, Towards Global Optimisation 2, North-Holland, "
                "1978; domain from the SFU Virtual Library (Surjanovic & Bingham)",
    .dim = 2,
    .log_color = 1,
    .f = six_hump_camel_f,
    .fdf = six_hump_camel_fdf,
    .hess = six_hump_camel_hess,
    .lo = {-3.0, -2.0},
    .hi = {3.0, 2.0},
    .starts = six_hump_camel_starts,
    .nstarts = LSC_COUNTOF(six_hump_camel_starts) / 2,
    .critical_table = six_hump_camel_critical,
    .ncritical_table = LSC_COUNTOF(six_hump_camel_critical),
};
