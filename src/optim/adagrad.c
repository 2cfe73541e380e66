/* adagrad.c — AdaGrad
 *
 * Duchi, Hazan & Singer, "Adaptive subgradient methods for online learning and stochastic
 * optimization", JMLR 12, 2011. Semantics and defaults of torch.optim.Adagrad (PyTorch 2.x):
 * the update, in PyTorch's notation, is adagrad_formula below (`losscape info adagrad`).
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of adagrad_params (descriptors, below). */
enum { P_LR, P_LR_DECAY, P_WEIGHT_DECAY, P_INIT_ACC, P_EPS };

/* t counts steps from 1, s starts at initial_accumulator_value */
static const char adagrad_formula[] =
    "g ← ∇f(θ) + λθ                      (t = 1, 2, ...)\n"
    "γ̃ = γ / (1 + (t − 1)·lr_decay)\n"
    "s ← s + g²                          (s starts at initial_accumulator_value)\n"
    "θ ← θ − γ̃ g / (sqrt(s) + ε)";

typedef struct {
    double lr_decay, weight_decay, init_acc, eps;
    long long t;
    size_t off_s;
} adagrad_state;

static LSC_ALWAYS_INLINE void adagrad_kernel(int n, double *restrict x,
                                             const double *restrict g, double *restrict s,
                                             double clr, double wd, double eps,
                                             const int decay)
{
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                      /* g ← g + λθ */
        double si = s[i] + gi * gi;               /* s ← s + g² */
        s[i] = si;
        x[i] -= clr * gi / (sqrt(si) + eps);      /* θ ← θ − γ̃ g/(√s + ε) */
    );
}

LSC_VEC_CLONES static void adagrad_plain(int n, double *restrict x, const double *restrict g,
                                         double *restrict s, double clr, double wd, double eps)
{
    adagrad_kernel(n, x, g, s, clr, wd, eps, 0);
}

LSC_VEC_CLONES static void adagrad_wd(int n, double *restrict x, const double *restrict g,
                                      double *restrict s, double clr, double wd, double eps)
{
    adagrad_kernel(n, x, g, s, clr, wd, eps, 1);
}

static int adagrad_step(void *state, int n, double *x, const double *g, double lr,
                        const lsc_step_ctx *ctx)
{
    (void)ctx;
    adagrad_state *s = state;
    s->t++;
    double clr = lr / (1.0 + (double)(s->t - 1) * s->lr_decay); /* γ̃ = γ/(1 + (t−1)·decay) */
    (s->weight_decay != 0 ? adagrad_wd : adagrad_plain)(
        n, x, g, LSC_STATE_ARRAY(s, s->off_s), clr, s->weight_decay, s->eps);
    return LSC_OK;
}

static size_t adagrad_layout(int n, size_t *off_s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(adagrad_state));
    *off_s = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t adagrad_state_size(const lsc_params *p, int n)
{
    (void)p;
    size_t off;
    return adagrad_layout(n, &off);
}

static int adagrad_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    adagrad_state *s = state;
    memset(s, 0, sizeof *s);
    s->lr_decay = p->v[P_LR_DECAY];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->init_acc = p->v[P_INIT_ACC];
    s->eps = p->v[P_EPS];
    adagrad_layout(n, &s->off_s);
    double *acc = LSC_STATE_ARRAY(s, s->off_s);
    for (int i = 0; i < n; i++)
        acc[i] = s->init_acc;
    return LSC_OK;
}

static const lsc_param_desc adagrad_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-2, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},
    [P_LR_DECAY] = {"lr_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                    "γ̃ = γ/(1 + (t−1)·lr_decay)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ: g ← g + λθ", NULL},
    [P_INIT_ACC] = {"initial_accumulator_value", LSC_PARAM_REAL, 0, 0, 1e12, 0,
                    "starting value of the sum of squared gradients s", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-10, 0, 1e6, 0, "ε added to sqrt(s)", NULL},
};

const lsc_optim_type lsc_optim_adagrad = {
    .name = "adagrad",
    .summary = "AdaGrad: per-coordinate steps scaled by the root of the summed squared gradients",
    .citation = "Duchi, Hazan & Singer, JMLR 12, 2011; torch.optim.Adagrad",
    .formula = adagrad_formula,
    .pytorch = "torch.optim.Adagrad(params, lr={lr}, lr_decay={lr_decay}, "
               "weight_decay={weight_decay}, "
               "initial_accumulator_value={initial_accumulator_value}, eps={eps})",
    .params = adagrad_params,
    .nparams = LSC_COUNTOF(adagrad_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = adagrad_state_size,
    .init = adagrad_init,
    .step = adagrad_step,
};
