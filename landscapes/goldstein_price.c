/* goldstein_price.c — the Goldstein–Price function
 *
 *     f(x, y) = A(x, y) B(x, y)
 *     A = 1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)
 *     B = 30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)
 *
 * Global minimum f = 3 at (0, -1); three more local minima (f = 30, 84, 840), four saddles
 * and a maximum in the SFU domain [-2, 2]^2 — all nine have rational coordinates. Values
 * range from 3 to about 1e6 in the box: log colour scale.
 *
 * Reference: A. A. Goldstein, J. F. Price, "On descent from local minima", Mathematics of
 * Computation 25(115), 569-574, 1971; Surjanovic & Bingham, Virtual Library of Simulation
 * Experiments, SFU, https://www.sfu.ca/~ssurjano/goldpr.html
 */
#include "landscape.h"

/* The pieces, with u = x + y + 1, v = 2x - 3y:
 *   P = 19 - 14x + 3x^2 - 14y + 6xy + 3y^2,  P_x = P_y = -14 + 6x + 6y
 *   Q = 18 - 32x + 12x^2 + 48y - 36xy + 27y^2, Q_x = -32 + 24x - 36y, Q_y = 48 - 36x + 54y
 *   A = 1 + u^2 P,   A_x = A_y = 2uP + u^2 P_x
 *   B = 30 + v^2 Q,  B_x = 4vQ + v^2 Q_x,  B_y = -6vQ + v^2 Q_y */
typedef struct {
    double u, v, P, Px, Q, Qx, Qy, A, Ax, B, Bx, By;
} gp_parts;

static void gp_eval(const double *x, gp_parts *t)
{
    const double a = x[0], b = x[1];
    t->u = a + b + 1.0;
    t->v = 2.0 * a - 3.0 * b;
    t->P = 19.0 - 14.0 * a + 3.0 * a * a - 14.0 * b + 6.0 * a * b + 3.0 * b * b;
    t->Px = -14.0 + 6.0 * a + 6.0 * b;
    t->Q = 18.0 - 32.0 * a + 12.0 * a * a + 48.0 * b - 36.0 * a * b + 27.0 * b * b;
    t->Qx = -32.0 + 24.0 * a - 36.0 * b;
    t->Qy = 48.0 - 36.0 * a + 54.0 * b;
    t->A = 1.0 + t->u * t->u * t->P;
    t->Ax = 2.0 * t->u * t->P + t->u * t->u * t->Px;
    t->B = 30.0 + t->v * t->v * t->Q;
    t->Bx = 4.0 * t->v * t->Q + t->v * t->v * t->Qx;
    t->By = -6.0 * t->v * t->Q + t->v * t->v * t->Qy;
}

static double goldstein_price_f(const lsc_params *p, const void *state, int n,
                                const double *x)
{
    (void)p;
    (void)state;
    (void)n;
    gp_parts t;
    gp_eval(x, &t);
    return t.A * t.B;
}

/* f_x = A_x B + A B_x,  f_y = A_y B + A B_y  (A_y = A_x) */
static double goldstein_price_fdf(const lsc_params *p, const void *state, int n,
                                  const double *x, double *g)
{
    (void)p;
    (void)state;
    (void)n;
    gp_parts t;
    gp_eval(x, &t);
    g[0] = t.Ax * t.B + t.A * t.Bx;
    g[1] = t.Ax * t.B + t.A * t.By;
    return t.A * t.B;
}

/* Second derivatives of the pieces (P_xx = P_xy = P_yy = 6; Q_xx = 24, Q_xy = -36,
 * Q_yy = 54):
 *   A_xx = A_xy = A_yy = 2P + 4u P_x + 6u^2
 *   B_xx = 8Q + 8v Q_x + 24 v^2
 *   B_xy = -12Q + 4v Q_y - 6v Q_x - 36 v^2
 *   B_yy = 18Q - 12v Q_y + 54 v^2
 * f_xx = A_xx B + 2 A_x B_x + A B_xx
 * f_xy = A_xy B + A_x B_y + A_y B_x + A B_xy
 * f_yy = A_yy B + 2 A_y B_y + A B_yy */
static void goldstein_price_hess(const lsc_params *p, const void *state, int n,
                                 const double *x, double *H)
{
    (void)p;
    (void)state;
    (void)n;
    gp_parts t;
    gp_eval(x, &t);
    const double a2 = 2.0 * t.P + 4.0 * t.u * t.Px + 6.0 * t.u * t.u;
    const double bxx = 8.0 * t.Q + 8.0 * t.v * t.Qx + 24.0 * t.v * t.v;
    const double bxy = -12.0 * t.Q + 4.0 * t.v * t.Qy - 6.0 * t.v * t.Qx - 36.0 * t.v * t.v;
    const double byy = 18.0 * t.Q - 12.0 * t.v * t.Qy + 54.0 * t.v * t.v;
    H[0] = a2 * t.B + 2.0 * t.Ax * t.Bx + t.A * bxx;
    H[1] = H[2] = a2 * t.B + t.Ax * t.By + t.Ax * t.Bx + t.A * bxy;
    H[3] = a2 * t.B + 2.0 * t.Ax * t.By + t.A * byy;
}

/* (-1.5, 1.5): upper left, high; (1, 1.5): upper right, above the local minima; (1.5, -1.5):
 * lower right. */
static const double goldstein_price_starts[] = {-1.5, 1.5, 1.0, 1.5, 1.5, -1.5};

/* tests/ref/landscape2d_critical.py goldstein-price (complete in [-2, 2]^2) */
static const lsc_critical2 goldstein_price_critical[] = {
    {LSC_CP_MIN, {0.0, -1.0}, 3.0, 402.8310116673604, 965.1689883326395, 0.0},
    {LSC_CP_MIN, {-0.6, -0.4}, 30.0, 447.91778179851815, 4340.082218201482, 1e-15},
    {LSC_CP_MIN, {1.8, 0.2}, 84.0, 207.6259666218459, 26216.374033378153, 2e-15},
    {LSC_CP_MIN, {1.2, 0.8}, 840.0, 2061.414393441207, 13202.585606558794, 1e-15},
    {LSC_CP_SADDLE, {-0.4, -0.6}, 35.0, -300.6755900109116, 5028.675590010912, 1e-15},
    {LSC_CP_SADDLE, {1.2, -0.2}, 99.0, -138.48625930212415, 30882.486259302124, 1e-15},
    {LSC_CP_SADDLE, {1.4, 0.6}, 980.0, -8660.26656420601, 2444.266564206009, 1e-15},
    {LSC_CP_SADDLE, {0.6, 0.4}, 990.0, -1389.1860901781936, 15393.186090178193, 1e-15},
    {LSC_CP_MAX, {0.8, 0.2}, 1155.0, -10372.53463893262, -1603.46536106738, 1e-15},
};

const lsc_landscape_type lsc_landscape_goldstein_price = {
    .name = "goldstein-price",
    .summary = "minimum 3 at (0, -1), three local minima, huge dynamic range (1971)",
    .formula = "f(x, y) = [1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)] * "
               "[30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]   "
               "(minimum f = 3 at (0, -1))",
    .citation = "A. A. Goldstein, J. F. Price, Mathematics of Computation 25(115), 1971; "
                "domain from the SFU Virtual Library (Surjanovic & Bingham)",
    .dim = 2,
    .log_color = 1,
    .f = goldstein_price_f,
    .fdf = goldstein_price_fdf,
    .hess = goldstein_price_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .starts = goldstein_price_starts,
    .nstarts = LSC_COUNTOF(goldstein_price_starts) / 2,
    .critical_table = goldstein_price_critical,
    .ncritical_table = LSC_COUNTOF(goldstein_price_critical),
};
