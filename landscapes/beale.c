/* beale.c — Beale's function
 *
 *     f(x, y) = (1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2
 *             = sum_{i=1}^{3} t_i^2,   t_i = c_i - x (1 - y^i),  c = (1.5, 2.25, 2.625)
 *
 * Global minimum f = 0 at (3, 0.5) at the end of a long curved flat valley; sharp walls
 * (f ~ 1e5 in the corners of the box), hence a log colour scale. Saddles at (0, 1), where
 * f = 14.203125 is constant along both axes through it, and near (0.1005, -2.6445).
 * Those three are all the critical points in the SFU domain [-4.5, 4.5]^2.
 *
 * Reference: E. M. L. Beale, "On an iterative method for finding a local minimum of a
 * function of more than one variable", Tech. Rep. 25, Statistical Techniques Research
 * Group, Princeton University, 1958; domain and constants as in Surjanovic & Bingham,
 * Virtual Library of Simulation Experiments, SFU, https://www.sfu.ca/~ssurjano/beale.html
 */
#include "landscape.h"

static const double beale_c[3] = {1.5, 2.25, 2.625};

/* f = sum t_i^2, t_i = c_i - x (1 - y^i) */
static double beale_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    double f = 0, yi = 1;
    for (int i = 0; i < 3; i++) {
        yi *= x[1];
        const double t = beale_c[i] - x[0] * (1.0 - yi);
        f += t * t;
    }
    return f;
}

/* df/dx = 2 sum t_i (y^i - 1),  df/dy = 2 sum t_i i x y^(i-1) */
static double beale_fdf(const lsc_params *p, const void *state, int n, const double *x,
                        double *g)
{
    (void)p;
    (void)state;
    (void)n;
    double f = 0, gx = 0, gy = 0, yim1 = 1; /* y^(i-1) */
    for (int i = 1; i <= 3; i++) {
        const double yi = yim1 * x[1];
        const double t = beale_c[i - 1] - x[0] * (1.0 - yi);
        f += t * t;
        gx += t * (yi - 1.0);
        gy += t * i * x[0] * yim1;
        yim1 = yi;
    }
    g[0] = 2.0 * gx;
    g[1] = 2.0 * gy;
    return f;
}

/* f_xx = 2 sum (y^i - 1)^2
 * f_xy = 2 sum i y^(i-1) (x (y^i - 1) + t_i)
 * f_yy = 2 sum ((i x y^(i-1))^2 + t_i i (i-1) x y^(i-2)) */
static void beale_hess(const lsc_params *p, const void *state, int n, const double *x,
                       double *H)
{
    (void)p;
    (void)state;
    (void)n;
    double hxx = 0, hxy = 0, hyy = 0, yim2 = 0, yim1 = 1; /* y^(i-2) (0 for i = 1), y^(i-1) */
    for (int i = 1; i <= 3; i++) {
        const double yi = yim1 * x[1];
        const double t = beale_c[i - 1] - x[0] * (1.0 - yi);
        const double ty = i * x[0] * yim1; /* dt_i/dy */
        hxx += (yi - 1.0) * (yi - 1.0);
        hxy += i * yim1 * (x[0] * (yi - 1.0) + t);
        hyy += ty * ty + t * i * (i - 1) * x[0] * yim2;
        yim2 = yim1;
        yim1 = yi;
    }
    H[0] = 2.0 * hxx;
    H[1] = H[2] = 2.0 * hxy;
    H[3] = 2.0 * hyy;
}

/* (1, 4): high on the upper wall, the usual demo start; (-2, -2): lower left, across the
 * saddle near (0.1, -2.6); (2.5, -1.5): below the valley. */
static const double beale_starts[] = {1.0, 4.0, -2.0, -2.0, 2.5, -1.5};

/* tests/ref/landscape2d_critical.py beale (complete in the box [-4.5, 4.5]^2) */
static const lsc_critical2 beale_critical[] = {
    {LSC_CP_MIN, {3.0, 0.5}, 0.0, 0.3014636465222471, 48.979786353477756, 0.0},
    {LSC_CP_SADDLE, {0.10053793732415836, -2.644513585023125}, 9.86451228475556,
     -0.7810271726932424, 867.7521793329279, 3e-15},
    {LSC_CP_SADDLE, {0.0, 1.0}, 14.203125, -27.75, 27.75, 0.0},
};

const lsc_landscape_type lsc_landscape_beale = {
    .name = "beale",
    .summary = "curved flat valley to the minimum at (3, 0.5), steep walls (Beale 1958)",
    .formula = "f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2   "
               "(minimum f = 0 at (3, 0.5))",
    .citation = "E. M. L. Beale, Tech. Rep. 25, Statistical Techniques Research Group, "
                "Princeton, 1958; domain from the SFU Virtual Library (Surjanovic & Bingham)",
    .dim = 2,
    .log_color = 1,
    .f = beale_f,
    .fdf = beale_fdf,
    .hess = beale_hess,
    .lo = {-4.5, -4.5},
    .hi = {4.5, 4.5},
    .starts = beale_starts,
    .nstarts = LSC_COUNTOF(beale_starts) / 2,
    .critical_table = beale_critical,
    .ncritical_table = LSC_COUNTOF(beale_critical),
};
