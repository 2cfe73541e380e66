/* lion.c — Lion, evolved sign momentum
 *
 * Chen, Liang, Huang, Real, Wang, Pham, Dong, Luong, Hsieh, Lu & Le, "Symbolic discovery of
 * optimization algorithms", NeurIPS 2023 (arXiv:2302.06675), Algorithm 2 and Program 1. In
 * the paper's notation (η learning rate, λ weight decay, g gradient, m momentum):
 *
 *     c_t = β1 m_{t−1} + (1 − β1) g_t
 *     θ_t = θ_{t−1} − η_t (sign(c_t) + λ θ_{t−1})
 *     m_t = β2 m_{t−1} + (1 − β2) g_t
 *
 * Defaults as the paper's Program 1 and its reference implementation: β1 = 0.9, β2 = 0.99,
 * λ = 0; η 1e-4 (the paper: 3–10× smaller than AdamW's). sign(0) = 0 (as jnp.sign and
 * torch.sign). With λ = 0 every coordinate moves by exactly −η, 0 or +η per step, whatever
 * the scale of the gradient. PyTorch has no Lion.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of lion_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_WEIGHT_DECAY };

static const char lion_formula[] =
    "c = β1 m + (1 − β1) g\n"
    "θ ← θ − η (sign(c) + λθ)            (sign(0) = 0)\n"
    "m ← β2 m + (1 − β2) g               (m starts at 0)";

typedef struct {
    double beta1, beta2, weight_decay;
    size_t off_m;
} lion_state;

static LSC_ALWAYS_INLINE void lion_kernel(int n, double *restrict x, const double *restrict g,
                                          double *restrict m, double lr, double b1,
                                          double b2, double wd, const int decay)
{
    const double c1 = 1.0 - b1, c2 = 1.0 - b2;
    LSC_FOR_EACH(i, n,
        double gi = g[i], mi = m[i], xi = x[i];
        double c = b1 * mi + c1 * gi;                   /* c = β1 m + (1 − β1) g */
        double u = (double)(c > 0) - (double)(c < 0);   /* sign(c) */
        if (decay)
            u += wd * xi;                               /* sign(c) + λθ */
        x[i] = xi - lr * u;                             /* θ ← θ − η(sign(c) + λθ) */
        m[i] = b2 * mi + c2 * gi;                       /* m ← β2 m + (1 − β2) g */
    );
}

LSC_VEC_CLONES static void lion_plain(int n, double *restrict x, const double *restrict g,
                                      double *restrict m, double lr, double b1, double b2,
                                      double wd)
{
    lion_kernel(n, x, g, m, lr, b1, b2, wd, 0);
}

LSC_VEC_CLONES static void lion_wd(int n, double *restrict x, const double *restrict g,
                                   double *restrict m, double lr, double b1, double b2,
                                   double wd)
{
    lion_kernel(n, x, g, m, lr, b1, b2, wd, 1);
}

static int lion_step(void *state, int n, double *x, const double *g, double lr,
                     const lsc_step_ctx *ctx)
{
    (void)ctx;
    lion_state *s = state;
    (s->weight_decay != 0 ? lion_wd : lion_plain)(n, x, g, LSC_STATE_ARRAY(s, s->off_m), lr,
                                                  s->beta1, s->beta2, s->weight_decay);
    return LSC_OK;
}

static size_t lion_layout(int n, lion_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(lion_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t lion_state_size(const lsc_params *p, int n)
{
    (void)p;
    lion_state s;
    return lion_layout(n, &s);
}

static int lion_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    lion_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    lion_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc lion_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-4, 0, 1e6, LSC_LO_OPEN,
              "learning rate η: the size of every sign step", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, 0,
                 "β1: weight of m in the direction c", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.99, 0, 1, 0, "β2: decay of the momentum m",
                 NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "decoupled weight decay λ: θ ← θ − ηλθ", NULL},
};

const lsc_optim_type lsc_optim_lion = {
    .name = "lion",
    .summary = "Lion: steps of ±lr in the sign of an interpolated momentum",
    .citation = "Chen et al., Symbolic discovery of optimization algorithms, NeurIPS 2023 "
                "(arXiv:2302.06675), Algorithm 2",
    .formula = lion_formula,
    .pytorch = "none in torch.optim; closest: lion_pytorch.Lion(params, lr={lr}, "
               "betas=({beta1}, {beta2}), weight_decay={weight_decay}) (pip lion-pytorch)",
    .params = lion_params,
    .nparams = LSC_COUNTOF(lion_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = lion_state_size,
    .init = lion_init,
    .step = lion_step,
};
