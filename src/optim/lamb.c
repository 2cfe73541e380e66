/* lamb.c — LAMB: Adam steps rescaled layer-wise by a trust ratio
 *
 * You, Li, Reddi, Hseu, Kumar, Bhojanapalli, Song, Demmel, Keutzer & Hsieh, "Large batch
 * optimization for deep learning: training BERT in 76 minutes", ICLR 2020, Algorithm 2. In
 * the paper's notation (η_t learning rate, λ weight decay, x^(i) the parameters of layer i):
 *
 *     m_t = β1 m_{t−1} + (1 − β1) g_t ;  v_t = β2 v_{t−1} + (1 − β2) g_t²
 *     m̂_t = m_t/(1 − β1^t) ;  v̂_t = v_t/(1 − β2^t)
 *     r_t = m̂_t/(√v̂_t + ε)
 *     x_{t+1}^(i) = x_t^(i) − η_t φ(‖x_t^(i)‖)/‖r_t^(i) + λ x_t^(i)‖ · (r_t^(i) + λ x_t^(i))
 *
 * with φ(z) = z (the paper allows a clipped φ; its experiments and the common
 * implementations use the identity). The trust ratio ‖x‖/‖r + λx‖ is taken as 1 when
 * either norm is 0 (as NVIDIA apex's and timm's Lamb do): at x = 0 the step is η(r + λx).
 * When the ratio applies, every step has norm exactly η‖x_t‖ whatever the gradient.
 *
 * Layers: an optimizer sees only the parameter vector (lsc_step_ctx carries no layer
 * structure), so here the whole vector is one layer, for every landscape including the
 * models' (mlp, chain, rnn): this is LAMB with one global trust ratio. Not element-wise (the
 * norms couple the coordinates), so batches of trajectories are stepped one by one.
 * Defaults as timm's Lamb: η = 1e-3, β = (0.9, 0.999), ε = 1e-6, λ = 0.01. β1^t, β2^t are
 * running products (no pow per step; adam.c). Two passes: the first updates m and v, stores
 * u = r + λx and sums ‖x‖², ‖u‖²; the second moves x.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of lamb_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_WEIGHT_DECAY };

static const char lamb_formula[] =
    "m ← β1 m + (1 − β1) g ;  v ← β2 v + (1 − β2) g²     (t = 1, 2, ...)\n"
    "r = m̂/(sqrt(v̂) + ε),  m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)\n"
    "u = r + λθ\n"
    "θ ← θ − η (‖θ‖/‖u‖) u               (ratio 1 when ‖θ‖ or ‖u‖ is 0)\n"
    "the whole parameter vector is one layer";

typedef struct {
    double beta1, beta2, eps, weight_decay;
    double b1t, b2t; /* β1^t, β2^t as running products */
    size_t off_m, off_v, off_u;
} lamb_state;

/* Pass 1: m, v, u = m̂/(√v̂ + ε) + λθ; returns ‖θ‖² in *xx and ‖u‖² in *uu. */
static void lamb_direction(int n, const double *restrict x, const double *restrict g,
                           double *restrict m, double *restrict v, double *restrict u,
                           const lamb_state *s, double *xx, double *uu)
{
    const double b1 = s->beta1, c1 = 1.0 - s->beta1, b2 = s->beta2, c2 = 1.0 - s->beta2;
    const double ibc1 = 1.0 / (1.0 - s->b1t), ibc2 = 1.0 / sqrt(1.0 - s->b2t);
    const double eps = s->eps, wd = s->weight_decay;
    double sx = 0, su = 0;
    for (int i = 0; i < n; i++) {
        double gi = g[i], xi = x[i];
        double mi = b1 * m[i] + c1 * gi;                 /* m ← β1 m + (1 − β1) g */
        double vi = b2 * v[i] + c2 * gi * gi;            /* v ← β2 v + (1 − β2) g² */
        m[i] = mi;
        v[i] = vi;
        double ui = mi * ibc1 / (sqrt(vi) * ibc2 + eps) + wd * xi; /* r + λθ */
        u[i] = ui;
        sx += xi * xi;
        su += ui * ui;
    }
    *xx = sx;
    *uu = su;
}

static int lamb_step(void *state, int n, double *x, const double *g, double lr,
                     const lsc_step_ctx *ctx)
{
    (void)ctx;
    lamb_state *s = state;
    s->b1t = lsc_running_power(s->b1t, s->beta1);
    s->b2t = lsc_running_power(s->b2t, s->beta2);
    double *u = LSC_STATE_ARRAY(s, s->off_u);
    double xx, uu;
    lamb_direction(n, x, g, LSC_STATE_ARRAY(s, s->off_m), LSC_STATE_ARRAY(s, s->off_v), u, s,
                   &xx, &uu);
    /* trust ratio φ(‖θ‖)/‖u‖ with φ(z) = z; 1 when either norm is 0 */
    double ratio = xx > 0 && uu > 0 ? sqrt(xx) / sqrt(uu) : 1.0;
    double step = lr * ratio;
    for (int i = 0; i < n; i++)
        x[i] -= step * u[i]; /* θ ← θ − η (‖θ‖/‖u‖) u */
    return LSC_OK;
}

static size_t lamb_layout(int n, lamb_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(lamb_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    s->off_u = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t lamb_state_size(const lsc_params *p, int n)
{
    (void)p;
    lamb_state s;
    return lamb_layout(n, &s);
}

static int lamb_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    lamb_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->b1t = s->b2t = 1.0;
    lamb_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_v), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_u), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc lamb_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN,
              "learning rate η: the step's norm relative to ‖θ‖", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,
                 "decay β1 of the first moment m", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,
                 "decay β2 of the second moment v", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-6, 0, 1e6, 0, "ε added to sqrt(v̂)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0.01, 0, 1e6, 0,
                        "weight decay λ added to the Adam direction: u = r + λθ", NULL},
};

const lsc_optim_type lsc_optim_lamb = {
    .name = "lamb",
    .summary = "LAMB: Adam directions scaled to a step of lr·‖θ‖ (one layer: the whole vector)",
    .citation = "You et al., Large batch optimization for deep learning, ICLR 2020, "
                "Algorithm 2",
    .formula = lamb_formula,
    .pytorch = "none in torch.optim; closest: timm.optim.Lamb(params, lr={lr}, "
               "betas=({beta1}, {beta2}), eps={eps}, weight_decay={weight_decay}, "
               "max_grad_norm=None, always_adapt=True) with all parameters in one tensor",
    .params = lamb_params,
    .nparams = LSC_COUNTOF(lamb_params),
    .flags = 0,
    .state_size = lamb_state_size,
    .init = lamb_init,
    .step = lamb_step,
};
