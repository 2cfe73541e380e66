/* three_hump_camel.c — the three-hump camel function
 *
 *     f(x, y) = 2x^2 - 1.05x^4 + x^6/6 + xy + y^2
 *
 * Global minimum f = 0 at the origin, two local minima at ±(1.7475523, -0.8737762)
 * (f = 0.298638) and two saddles between them at ±(1.0705423, -0.5352711). On grad f = 0,
 * y = -x/2 and x (x^4 - 4.2x^2 + 3.5) = 0, so x^2 = (4.2 ± sqrt(3.64))/2: closed forms.
 *
 * Reference: Surjanovic & Bingham, Virtual Library of Simulation Experiments, SFU,
 * https://www.sfu.ca/~ssurjano/camel3.html (domain [-5, 5]^2); M. Jamil, X.-S. Yang, "A
 * literature survey of benchmark functions for global optimization problems", Int. J.
 * Math. Model. Numer. Optim. 4(2), 2013.
 */
#include "landscape.h"

/* f = 2x^2 - 1.05x^4 + x^6/6 + xy + y^2 */
static double three_hump_camel_f(const lsc_params *p, const void *state, int n,
                                 const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0];
    return a * (2.0 - 1.05 * a + a * a / 6.0) + x[0] * x[1] + x[1] * x[1];
}

/* df/dx = 4x - 4.2x^3 + x^5 + y,  df/dy = x + 2y */
static double three_hump_camel_fdf(const lsc_params *p, const void *state, int n,
                                   const double *x, double *g)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0];
    g[0] = x[0] * (4.0 - 4.2 * a + a * a) + x[1];
    g[1] = x[0] + 2.0 * x[1];
    return a * (2.0 - 1.05 * a + a * a / 6.0) + x[0] * x[1] + x[1] * x[1];
}

/* f_xx = 4 - 12.6x^2 + 5x^4,  f_xy = 1,  f_yy = 2 */
static void three_hump_camel_hess(const lsc_params *p, const void *state, int n,
                                  const double *x, double *H)
{
    (void)p;
    (void)state;
    (void)n;
    const double a = x[0] * x[0];
    H[0] = 4.0 - 12.6 * a + 5.0 * a * a;
    H[1] = H[2] = 1.0;
    H[3] = 2.0;
}

/* (-4, 4): high corner; (2, 3): upper right, towards the local minimum (1.75, -0.87);
 * (-1.5, -3): lower left. */
static const double three_hump_camel_starts[] = {-4.0, 4.0, 2.0, 3.0, -1.5, -3.0};

/* tests/ref/landscape2d_critical.py three-hump-camel (all 5 critical points) */
static const lsc_critical2 three_hump_camel_critical[] = {
    {LSC_CP_MIN, {0.0, 0.0}, 0.0, 1.5857864376269049, 4.414213562373095, 0.0},
    {LSC_CP_MIN, {-1.7475523458302888, 0.8737761729151444}, 0.2986384422368598,
     1.9024451549928167, 12.250644136909527, 2e-15},
    {LSC_CP_MIN, {1.7475523458302888, -0.8737761729151444}, 0.2986384422368598,
     1.9024451549928167, 12.250644136909527, 2e-15},
    {LSC_CP_SADDLE, {-1.07054229182366, 0.53527114591183}, 0.8773615577631402,
     -4.038688172234973, 2.1655988803326287, 1e-15},
    {LSC_CP_SADDLE, {1.07054229182366, -0.53527114591183}, 0.8773615577631402,
     -4.038688172234973, 2.1655988803326287, 1e-15},
};

const lsc_landscape_type lsc_landscape_three_hump_camel = {
    .name = "three-hump-camel",
    .summary = "global minimum at the origin, two local minima and two saddles",
    .formula = "f(x, y) = 2x^2 - 1.05x^4 + x^6/6 + xy + y^2   (minimum f = 0 at the origin)",
    .citation = "SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham); "
                "Jamil & Yang, IJMMNO 4(2), 2013",
    .dim = 2,
    .log_color = 1,
    .f = three_hump_camel_f,
    .fdf = three_hump_camel_fdf,
    .hess = three_hump_camel_hess,
    .lo = {-5.0, -5.0},
    .hi = {5.0, 5.0},
    .starts = three_hump_camel_starts,
    .nstarts = LSC_COUNTOF(three_hump_camel_starts) / 2,
    .critical_table = three_hump_camel_critical,
    .ncritical_table = LSC_COUNTOF(three_hump_camel_critical),
};
