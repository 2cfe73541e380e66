/* adamax.c — AdaMax, Adam with the infinity norm
 *
 * Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015, section 7.1
 * (Algorithm 2). Semantics and defaults of torch.optim.Adamax (PyTorch 2.x; the same update
 * as 1.13's _single_tensor_adamax): the update, in PyTorch's notation, is adamax_formula
 * below (`losscape info adamax`). PyTorch adds ε to |g| inside the max (the paper has no ε).
 *
 * β1^t is a running product (one multiplication per step, no pow; adam.c says why that
 * keeps parity); the loop costs one division per coordinate.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of adamax_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_WEIGHT_DECAY };

static const char adamax_formula[] =
    "g ← ∇f(θ) + λθ                      (t = 1, 2, ...)\n"
    "m ← β1 m + (1 − β1) g\n"
    "u ← max(β2 u, |g| + ε)              (m, u start at 0)\n"
    "θ ← θ − γ/(1 − β1^t) · m/u";

typedef struct {
    double beta1, beta2, eps, weight_decay;
    double b1t; /* β1^t as a running product */
    size_t off_m, off_u;
} adamax_state;

typedef struct {
    double beta1, c1, beta2, eps, wd, step; /* c1 = 1 − β1, step = γ/(1 − β1^t) */
} adamax_scalars;

static LSC_ALWAYS_INLINE void adamax_kernel(int n, double *restrict x,
                                            const double *restrict g, double *restrict m,
                                            double *restrict u, const adamax_scalars *sc,
                                            const int decay)
{
    const double b1 = sc->beta1, c1 = sc->c1, b2 = sc->beta2, eps = sc->eps, wd = sc->wd;
    const double step = sc->step;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                     /* g ← g + λθ */
        double mi = b1 * m[i] + c1 * gi;         /* m ← β1 m + (1 − β1) g */
        double a = b2 * u[i], b = fabs(gi) + eps;
        double ui = a > b ? a : b;               /* u ← max(β2 u, |g| + ε) */
        m[i] = mi;
        u[i] = ui;
        x[i] -= step * mi / ui;                  /* θ ← θ − γ/bc1 · m/u */
    );
}

LSC_VEC_CLONES static void adamax_plain(int n, double *restrict x, const double *restrict g,
                                        double *restrict m, double *restrict u,
                                        const adamax_scalars *sc)
{
    adamax_kernel(n, x, g, m, u, sc, 0);
}

LSC_VEC_CLONES static void adamax_wd(int n, double *restrict x, const double *restrict g,
                                     double *restrict m, double *restrict u,
                                     const adamax_scalars *sc)
{
    adamax_kernel(n, x, g, m, u, sc, 1);
}

static int adamax_step(void *state, int n, double *x, const double *g, double lr,
                       const lsc_step_ctx *ctx)
{
    (void)ctx;
    adamax_state *s = state;
    s->b1t = lsc_running_power(s->b1t, s->beta1);
    adamax_scalars sc = {
        .beta1 = s->beta1,
        .c1 = 1.0 - s->beta1,
        .beta2 = s->beta2,
        .eps = s->eps,
        .wd = s->weight_decay,
        .step = lr / (1.0 - s->b1t), /* γ/(1 − β1^t) */
    };
    (s->weight_decay != 0 ? adamax_wd : adamax_plain)(
        n, x, g, LSC_STATE_ARRAY(s, s->off_m), LSC_STATE_ARRAY(s, s->off_u), &sc);
    return LSC_OK;
}

static size_t adamax_layout(int n, adamax_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(adamax_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_u = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t adamax_state_size(const lsc_params *p, int n)
{
    (void)p;
    adamax_state s;
    return adamax_layout(n, &s);
}

static int adamax_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    adamax_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->b1t = 1.0;
    adamax_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_u), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc adamax_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 2e-3, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,
                 "decay β1 of the first moment m", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,
                 "decay β2 of the infinity norm u", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-8, 0, 1e6, 0, "ε added to |g| inside the max", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ: g ← g + λθ", NULL},
};

const lsc_optim_type lsc_optim_adamax = {
    .name = "adamax",
    .summary = "AdaMax: Adam with the running infinity norm of the gradient",
    .citation = "Kingma & Ba, ICLR 2015, section 7.1; torch.optim.Adamax",
    .formula = adamax_formula,
    .pytorch = "torch.optim.Adamax(params, lr={lr}, betas=({beta1}, {beta2}), eps={eps}, "
               "weight_decay={weight_decay})",
    .params = adamax_params,
    .nparams = LSC_COUNTOF(adamax_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = adamax_state_size,
    .init = adamax_init,
    .step = adamax_step,
};
