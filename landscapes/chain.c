/* chain.c — the scalar chain: depth without width, where vanishing and exploding gradients
 * have closed forms
 *
 * Parameters w = (w_1, ..., w_L), n = L. One unit a layer, no biases:
 *
 *     h_0 = x,   z_l = w_l h_{l-1},   h_l = act(z_l)   (l = 1..L),   y = h_L
 *     f(w) = 1/2 (y - t)^2
 *
 * x = input (default 1), t = target (default 0.8), act = sigmoid (default), tanh, relu,
 * leaky-relu or linear (model.h's activations), depth = L (0, the default: from the
 * dimension, L = n). With D_l = act'(z_l), the gradient flows back through the gains
 * w_l D_l:
 *
 *     dy/dh_l = prod_{k>l} w_k D_k,     dy/dx = prod_{l=1..L} w_l D_l,
 *     df/dw_l = (y - t) (dy/dh_l) D_l h_{l-1}
 *
 * so (the closed forms the issue asks to see):
 *   linear   D = 1: dy/dx = prod w_l, w^L for equal weights (w = 0.9, L = 50: 0.9^50);
 *   sigmoid  D = s(1 - s) <= 1/4: |dy/dx| <= prod |w_l| / 4^L, equal only when every z_l = 0
 *            — with unit weights the gradient shrinks at least fourfold per layer. At the
 *            fixed point x = p, w_l = logit(p) / p every layer repeats h_l = p, and
 *            dy/dx = (logit(p) (1 - p))^L exactly;
 *   tanh     at x = 0 every h_l = 0 and tanh'(0) = 1: dy/dx = prod w_l, as if linear.
 * (Y. Bengio, P. Simard, P. Frasconi, Learning long-term dependencies with gradient descent
 * is difficult, IEEE Trans. Neural Networks 5(2):157-166, 1994; S. Hochreiter, diploma
 * thesis, TU Munich, 1991.)
 *
 * Hessian, exact, in O(L^2): with J_l = dy/dw_l = B_l D_l h_{l-1}, B_l = dy/dh_l,
 * S_l = act''(z_l) and g_l = w_l D_l,
 *
 *     H = J J^T + (y - t) K,    K = the Hessian of y:
 *     K_bb = h_{b-1}^2 (B_b S_b + D_b^2 C_b)
 *     K_ab = u_a(b-1) M_b  (a < b),   u_a(k) = D_a h_{a-1} prod_{i=a+1..k} g_i  (= dh_k/dw_a)
 *     M_b  = B_b (D_b + w_b h_{b-1} S_b) + D_b h_{b-1} g_b C_b
 *     C_L = 0,   C_{b-1} = B_b w_b^2 S_b + g_b^2 C_b
 * (C_b = sum_{j>b} B_j w_j^2 S_j prod_{b<i<j} g_i^2 collects how the later gains D_j move
 * when h_b does; derived by differentiating J_b, checked against finite differences.)
 *
 * Known critical points. Linear units (x != 0): the origin when L >= 2 (f = t^2/2; a
 * saddle with eigenvalues +-|t x| for L = 2, degenerate — Hessian 0 — for L >= 3; the
 * minimum when t = 0) and the balanced minimum w_l = c, c^L = t / x (where such a real
 * c != 0 exists: t / x > 0, or L odd), one point of a manifold of minima (prod w_l = t / x):
 * Hessian J J^T with J_l = x c^{L-1}, eigenvalues L x^2 c^{2(L-1)} and 0 (x^2 alone for
 * L = 1). It is deep-linear's width-1 network with an input. Other units: the minimum with
 * equal weights, where one exists in (0, 2] (chain_ncritical).
 * Standard starts: every w_l = 1, 0.9, 1.1 (0.9^L and 1.1^L for linear units), then
 * pseudo-random w_l in [-2, 2] (golden-ratio sequence).
 * Depth at most CHAIN_MAX (work arrays on the stack: f, fdf and hess allocate nothing);
 * 4^-1000 underflows long before.
 */
#include <math.h>
#include <string.h>

#include "landscape_depth.h"
#include "model.h"

#define CHAIN_MAX 1000

enum { P_DEPTH, P_X, P_TARGET, P_ACT };

static const lsc_param_desc chain_params[] = {
    [P_DEPTH] = {"depth", LSC_PARAM_INT, 0, 0, CHAIN_MAX, 0,
                 "number of layers L (0: from the dimension, L = dim)", NULL},
    [P_X] = {"x", LSC_PARAM_REAL, 1, -1e6, 1e6, 0, "the input h_0", NULL},
    [P_TARGET] = {"target", LSC_PARAM_REAL, 0.8, -1e6, 1e6, 0,
                  "the target t of f = 1/2 (y - t)^2", NULL},
    [P_ACT] = {"act", LSC_PARAM_CHOICE, LSC_ACT_SIGMOID, 0, 4, 0, "the unit of every layer",
               LSC_ACT_NAMES},
};

typedef struct {
    int L;
    double x, t;
    lsc_act act;
} chain_state;

static size_t chain_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)p;
    (void)n;
    (void)arg;
    return sizeof(chain_state);
}

static int chain_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)arg;
    chain_state *S = state;
    const int depth = (int)p->v[P_DEPTH];
    if (depth > 0 && depth != n) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d for landscape 'chain' with depth=%d (allowed: "
                      "%d, one weight a layer; or leave depth=0 to take it from dim)", n, depth,
                      depth);
        return LSC_EINVAL;
    }
    if (n > CHAIN_MAX) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d for landscape 'chain' (allowed: 1 to %d layers)",
                      n, CHAIN_MAX);
        return LSC_EINVAL;
    }
    S->L = n;
    S->x = p->v[P_X];
    S->t = p->v[P_TARGET];
    S->act = (lsc_act)(int)p->v[P_ACT];
    return LSC_OK;
}

/* act(z), act'(z), act''(z); relu and leaky-relu take PyTorch's left slope at 0. */
static double act0(lsc_act a, double z)
{
    switch (a) {
    case LSC_ACT_TANH: return tanh(z);
    case LSC_ACT_RELU: return z > 0 ? z : 0;
    case LSC_ACT_SIGMOID: return 1 / (1 + exp(-z));
    case LSC_ACT_LEAKY_RELU: return z > 0 ? z : LSC_LEAKY_SLOPE * z;
    case LSC_ACT_LINEAR: break;
    }
    return z;
}

static double act1(lsc_act a, double z)
{
    double s;
    switch (a) {
    case LSC_ACT_TANH: s = tanh(z); return 1 - s * s;
    case LSC_ACT_RELU: return z > 0 ? 1 : 0;
    case LSC_ACT_SIGMOID: s = 1 / (1 + exp(-z)); return s * (1 - s);
    case LSC_ACT_LEAKY_RELU: return z > 0 ? 1 : LSC_LEAKY_SLOPE;
    case LSC_ACT_LINEAR: break;
    }
    return 1;
}

static double act2(lsc_act a, double z)
{
    double s;
    switch (a) {
    case LSC_ACT_TANH: s = tanh(z); return -2 * s * (1 - s * s);
    case LSC_ACT_SIGMOID: s = 1 / (1 + exp(-z)); return s * (1 - s) * (1 - 2 * s);
    default: return 0;
    }
}

/* h[0..L] forward; returns y = h[L]. */
static double forward(const chain_state *S, const double *w, double *h)
{
    h[0] = S->x;
    for (int l = 1; l <= S->L; l++)
        h[l] = act0(S->act, w[l - 1] * h[l - 1]);
    return h[S->L];
}

/* B[l] = dy/dh_l, l = 0..L, from h (forward). */
static void backward(const chain_state *S, const double *w, const double *h, double *B)
{
    B[S->L] = 1;
    for (int l = S->L; l >= 1; l--)
        B[l - 1] = B[l] * w[l - 1] * act1(S->act, w[l - 1] * h[l - 1]);
}

static double chain_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)n;
    const chain_state *S = state;
    double y = S->x;
    for (int l = 0; l < S->L; l++)
        y = act0(S->act, x[l] * y);
    return 0.5 * (y - S->t) * (y - S->t);
}

static double chain_fdf(const lsc_params *p, const void *state, int n, const double *x,
                        double *g)
{
    (void)p;
    (void)n;
    const chain_state *S = state;
    double h[CHAIN_MAX + 1], B[CHAIN_MAX + 1];
    const double r = forward(S, x, h) - S->t;
    backward(S, x, h, B);
    for (int l = 1; l <= S->L; l++) /* df/dw_l = (y - t) B_l D_l h_{l-1} */
        g[l - 1] = r * B[l] * act1(S->act, x[l - 1] * h[l - 1]) * h[l - 1];
    return 0.5 * r * r;
}

/* The O(L^2) Hessian of the file comment; index b = 1..L in the formulas is b - 1 here. */
static void chain_hess(const lsc_params *p, const void *state, int n, const double *x,
                       double *H)
{
    (void)p;
    const chain_state *S = state;
    const int L = S->L;
    const size_t N = (size_t)n;
    double h[CHAIN_MAX + 1], B[CHAIN_MAX + 1], C[CHAIN_MAX + 1], M[CHAIN_MAX + 1];
    double J[CHAIN_MAX + 1];
    const double r = forward(S, x, h) - S->t;
    backward(S, x, h, B);
    C[L] = 0;
    for (int b = L; b >= 1; b--) {
        const double w = x[b - 1], z = w * h[b - 1], D = act1(S->act, z);
        const double S2 = act2(S->act, z), gain = w * D;
        J[b] = B[b] * D * h[b - 1];
        M[b] = B[b] * (D + w * h[b - 1] * S2) + D * h[b - 1] * gain * C[b];
        C[b - 1] = B[b] * w * w * S2 + gain * gain * C[b];
        H[(size_t)(b - 1) * N + (size_t)(b - 1)] =
            J[b] * J[b] + r * h[b - 1] * h[b - 1] * (B[b] * S2 + D * D * C[b]);
    }
    for (int a = 1; a <= L; a++) {
        double u = act1(S->act, x[a - 1] * h[a - 1]) * h[a - 1]; /* u_a(a) */
        for (int b = a + 1; b <= L; b++) {
            const double v = J[a] * J[b] + r * u * M[b];
            H[(size_t)(a - 1) * N + (size_t)(b - 1)] = v;
            H[(size_t)(b - 1) * N + (size_t)(a - 1)] = v;
            u *= x[b - 1] * act1(S->act, x[b - 1] * h[b - 1]); /* u_a(b) = u_a(b-1) g_b */
        }
    }
}

static void chain_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)p;
    (void)state;
    for (int j = 0; j < n; j++) {
        lo[j] = -2;
        hi[j] = 2;
    }
}

/* Starts 0, 1, 2: every w_l = 1, 0.9, 1.1; start 3: 2 (2 frac((j + 1) phi) - 1). */
static void chain_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    static const double equal[] = {1.0, 0.9, 1.1};
    const double phi = 0.6180339887498949;
    for (int j = 0; j < n; j++) {
        const double u = (j + 1) * phi;
        x[j] = k < LSC_COUNTOF(equal) ? equal[k] : 2 * (2 * (u - floor(u)) - 1);
    }
}

/* Known critical points. Linear units with x != 0: the origin (L >= 2), and the balanced
 * minimum w_l = c, c^L = t / x, where a real c != 0 exists (t != 0; t / x > 0 or L odd) or
 * L = 1 (w = t / x). Other units: the equal-weights minimum w_l = c, y(c) = t, for the c in
 * (0, 2] where y(c) - t changes sign (y is monotone in c > 0 for x != 0: every unit is
 * increasing), found by bisection to the last bit; none when there is no sign change. At a
 * minimum f = 0 and H = J J^T: eigenvalues |J|^2 and 0 (J^2 alone for L = 1). */
static double equal_y(const chain_state *S, double c)
{
    double y = S->x;
    for (int l = 0; l < S->L; l++)
        y = act0(S->act, c * y);
    return y;
}

static int equal_root(const chain_state *S, double *c)
{
    double lo = 0, hi = 2, flo = equal_y(S, lo) - S->t, fhi = equal_y(S, hi) - S->t;
    if (S->x == 0 || flo == 0 || (flo < 0) == (fhi < 0))
        return 0;
    for (int it = 0; it < 200 && hi - lo > 0; it++) {
        const double mid = 0.5 * (lo + hi), fm = equal_y(S, mid) - S->t;
        if (mid == lo || mid == hi)
            break;
        if ((fm < 0) == (flo < 0))
            lo = mid, flo = fm;
        else
            hi = mid;
    }
    *c = fabs(equal_y(S, lo) - S->t) <= fabs(equal_y(S, hi) - S->t) ? lo : hi;
    return 1;
}

static int has_balanced(const chain_state *S)
{
    double c;
    if (S->act != LSC_ACT_LINEAR)
        return equal_root(S, &c);
    return S->x != 0 && (S->L == 1 || (S->t != 0 && (S->t / S->x > 0 || S->L % 2 == 1)));
}

static int chain_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)n;
    const chain_state *S = state;
    const int origin = S->act == LSC_ACT_LINEAR && S->x != 0 && S->L >= 2;
    return origin + has_balanced(S);
}

static void chain_critical(const lsc_params *p, const void *state, int n, int k,
                           lsc_critical *cp)
{
    (void)p;
    const chain_state *S = state;
    const int L = S->L;
    const double x2 = S->x * S->x, q = S->t / S->x;
    memset(cp->x, 0, (size_t)n * sizeof *cp->x);
    cp->tol = 1e-14;
    if (S->act == LSC_ACT_LINEAR && k == 0 && L >= 2) { /* the origin */
        cp->f = 0.5 * S->t * S->t;
        cp->kind = S->t == 0 ? LSC_CP_MIN : L == 2 ? LSC_CP_SADDLE : LSC_CP_DEGENERATE;
        cp->eig_min = L == 2 ? -fabs(S->t * S->x) : 0;
        cp->eig_max = L == 2 ? fabs(S->t * S->x) : 0;
        return;
    }
    double c = 0;
    if (S->act == LSC_ACT_LINEAR)
        c = (q < 0 ? -1 : 1) * pow(fabs(q), 1.0 / L);
    else
        equal_root(S, &c);
    for (int l = 0; l < L; l++)
        cp->x[l] = c;
    cp->kind = LSC_CP_MIN;
    cp->f = chain_f(p, state, n, cp->x);
    if (S->act == LSC_ACT_LINEAR) {
        cp->eig_min = L == 1 ? x2 : 0;
        cp->eig_max = L * x2 * pow(c, 2.0 * (L - 1));
        return;
    }
    double h[CHAIN_MAX + 1], B[CHAIN_MAX + 1], jj = 0;
    forward(S, cp->x, h);
    backward(S, cp->x, h, B);
    for (int l = 1; l <= L; l++) {
        const double J = B[l] * act1(S->act, c * h[l - 1]) * h[l - 1];
        jj += J * J;
    }
    cp->tol = 1e-12;
    cp->eig_min = L == 1 ? jj : 0;
    cp->eig_max = jj;
}

static int chain_dim_from(const lsc_params *p, const char *arg)
{
    (void)arg;
    return (int)p->v[P_DEPTH];
}

const lsc_landscape_type lsc_landscape_chain = {
    .name = "chain",
    .summary = "the scalar chain y = act(w_L act(... act(w_1 x))): vanishing (1/4)^L for "
               "sigmoid units, w^L for linear ones, in closed form; dimension depth",
    .formula = "f(w) = 1/2 (y - t)^2, h_0 = x, h_l = act(w_l h_{l-1}), y = h_L; x = 1, "
               "target = 0.8, act = sigmoid, depth from dim",
    .citation = "Bengio, Simard & Frasconi, Learning long-term dependencies with gradient "
                "descent is difficult, IEEE Trans. Neural Networks 5(2), 1994",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 10,
    .params = chain_params,
    .nparams = LSC_COUNTOF(chain_params),
    .dim_from = chain_dim_from,
    .state_size = chain_state_size,
    .init = chain_init,
    .f = chain_f,
    .fdf = chain_fdf,
    .hess = chain_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .box = chain_box,
    .nstarts = 4,
    .start = chain_start,
    .ncritical = chain_ncritical,
    .critical = chain_critical,
};

int lsc_chain_backprop(const lsc_landscape *L, const double *w, double *h, double *dy_dh)
{
    if (!L || L->type != &lsc_landscape_chain)
        return LSC_EINVAL;
    const chain_state *S = L->state;
    double hb[CHAIN_MAX + 1], Bb[CHAIN_MAX + 1];
    forward(S, w, hb);
    backward(S, w, hb, Bb);
    if (h)
        memcpy(h, hb, (size_t)(S->L + 1) * sizeof *h);
    if (dy_dh)
        memcpy(dy_dh, Bb, (size_t)(S->L + 1) * sizeof *dy_dh);
    return LSC_OK;
}
