/* sphere.c — the sphere function in n dimensions
 *
 *     f(x) = 1/2 sum_{i=1}^{n} x_i^2
 *
 * with the factor 1/2, so that grad f = x and the Hessian is the identity (the SFU library
 * and COCO define it without the 1/2: theirs is twice this one). Unique minimum f = 0 at
 * the origin. Domain as in the SFU library: [-5.12, 5.12]^n.
 *
 * Reference: S. Surjanovic, D. Bingham, Virtual Library of Simulation Experiments: Test
 * Functions and Datasets, Simon Fraser University, https://www.sfu.ca/~ssurjano/spheref.html
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

/* f = 1/2 sum x_i^2 */
static double sphere_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)state;
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i] * x[i];
    return 0.5 * s;
}

/* df/dx_i = x_i */
static double sphere_fdf(const lsc_params *p, const void *state, int n, const double *x,
                         double *g)
{
    (void)p;
    (void)state;
    double s = 0;
    for (int i = 0; i < n; i++) {
        s += x[i] * x[i];
        g[i] = x[i];
    }
    return 0.5 * s;
}

/* d2f/dx_i dx_j = delta_ij */
static void sphere_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)p;
    (void)state;
    (void)x;
    memset(H, 0, (size_t)n * (size_t)n * sizeof *H);
    for (int i = 0; i < n; i++)
        H[(size_t)i * (size_t)n + (size_t)i] = 1.0;
}

/* Starts: 0: (4, 4, ..., 4) on the diagonal; 1: (4, -2, 4, -2, ...). */
static void sphere_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    for (int i = 0; i < n; i++)
        x[i] = (k == 0 || i % 2 == 0) ? 4.0 : -2.0;
}

static int sphere_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return 1;
}

/* The origin: minimum, f = 0, every Hessian eigenvalue 1. */
static void sphere_critical(const lsc_params *p, const void *state, int n, int k,
                            lsc_critical *cp)
{
    (void)p;
    (void)state;
    (void)k;
    cp->kind = LSC_CP_MIN;
    cp->f = 0.0;
    cp->eig_min = cp->eig_max = 1.0;
    cp->tol = 0.0;
    for (int i = 0; i < n; i++)
        cp->x[i] = 0.0;
}

const lsc_landscape_type lsc_landscape_sphere = {
    .name = "sphere",
    .summary = "convex bowl 1/2 |x|^2 in n dimensions",
    .formula = "f(x) = 1/2 sum_{i=1}^{n} x_i^2   (no constants; minimum 0 at x = 0)",
    .citation = "Surjanovic & Bingham, Virtual Library of Simulation Experiments, SFU "
                "(sphere function, here halved so that the Hessian is the identity)",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = NULL,
    .nparams = 0,
    .log_color = 1,
    .f = sphere_f,
    .fdf = sphere_fdf,
    .hess = sphere_hess,
    .lo = {-5.12, -5.12},
    .hi = {5.12, 5.12},
    .nstarts = 2,
    .start = sphere_start,
    .ncritical = sphere_ncritical,
    .critical = sphere_critical,
};
