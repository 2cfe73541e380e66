/* adabelief.c — AdaBelief: Adam with the variance of the gradient about its prediction
 *
 * Zhuang, Tang, Ding, Tatikonda, Dvornek, Papademetris & Duncan, "AdaBelief optimizer:
 * adapting stepsizes by the belief in observed gradients", NeurIPS 2020 (arXiv:2010.07468),
 * Algorithm 2. In the paper's notation (α step size, projection Π omitted: F = R^n):
 *
 *     m_t = β1 m_{t−1} + (1 − β1) g_t
 *     s_t = β2 s_{t−1} + (1 − β2)(g_t − m_t)² + ε
 *     m̂_t = m_t/(1 − β1^t) ;  ŝ_t = s_t/(1 − β2^t)
 *     θ_t = θ_{t−1} − α m̂_t/(√ŝ_t + ε)
 *
 * ε enters twice, as in Algorithm 2: added to s_t at every step (so s stays ≥ ε·(1−β2^t)/(1−β2)
 * > 0) and outside the root. The authors' adabelief-pytorch computes the same (it adds ε to
 * s in place, then divides by sqrt(s)/sqrt(bc2) + ε) when rectify=False; its default eps
 * 1e-16 is ours. Weight decay is decoupled as in AdamW (adabelief-pytorch's
 * weight_decouple=True): θ ← θ(1 − αλ) before the update; λ = 0 by default.
 *
 * On a constant gradient g: m_t = (1 − β1^t)g, g − m_t = β1^t g, so the "belief" term
 * vanishes and s_t → ε/(1 − β2): the step tends to α g/(√(ε/(1 − β2)) + ε), large where Adam's
 * tends to α sign(g) (test_optim.c checks the closed form of every step). β1^t, β2^t are
 * running products (no pow per step; adam.c).
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of adabelief_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_WEIGHT_DECAY };

static const char adabelief_formula[] =
    "θ ← θ(1 − αλ)                       (t = 1, 2, ...; m, s start at 0)\n"
    "m ← β1 m + (1 − β1) g\n"
    "s ← β2 s + (1 − β2)(g − m)² + ε\n"
    "m̂ = m/(1 − β1^t) ;  ŝ = s/(1 − β2^t)\n"
    "θ ← θ − α m̂/(sqrt(ŝ) + ε)";

typedef struct {
    double beta1, beta2, eps, weight_decay;
    double b1t, b2t; /* β1^t, β2^t as running products */
    size_t off_m, off_s;
} adabelief_state;

typedef struct {
    double beta1, c1, beta2, c2; /* c1 = 1 − β1, c2 = 1 − β2 */
    double step, ibc2;           /* α/bc1, 1/sqrt(bc2) */
    double eps, decay;           /* 1 − αλ */
} adabelief_scalars;

static LSC_ALWAYS_INLINE void adabelief_kernel(int n, double *restrict x,
                                               const double *restrict g, double *restrict m,
                                               double *restrict s,
                                               const adabelief_scalars *sc, const int wd)
{
    const double b1 = sc->beta1, c1 = sc->c1, b2 = sc->beta2, c2 = sc->c2;
    const double step = sc->step, ibc2 = sc->ibc2, eps = sc->eps, decay = sc->decay;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        double xi = x[i];
        if (wd)
            xi *= decay;                              /* θ ← θ(1 − αλ) */
        double mi = b1 * m[i] + c1 * gi;              /* m ← β1 m + (1 − β1) g */
        double r = gi - mi;
        double si = b2 * s[i] + c2 * r * r + eps;     /* s ← β2 s + (1 − β2)(g − m)² + ε */
        m[i] = mi;
        s[i] = si;
        x[i] = xi - step * mi / (sqrt(si) * ibc2 + eps); /* θ ← θ − α/bc1 · m/(√s/√bc2 + ε) */
    );
}

LSC_VEC_CLONES static void adabelief_plain(int n, double *restrict x,
                                           const double *restrict g, double *restrict m,
                                           double *restrict s, const adabelief_scalars *sc)
{
    adabelief_kernel(n, x, g, m, s, sc, 0);
}

LSC_VEC_CLONES static void adabelief_wd(int n, double *restrict x, const double *restrict g,
                                        double *restrict m, double *restrict s,
                                        const adabelief_scalars *sc)
{
    adabelief_kernel(n, x, g, m, s, sc, 1);
}

static int adabelief_step(void *state, int n, double *x, const double *g, double lr,
                          const lsc_step_ctx *ctx)
{
    (void)ctx;
    adabelief_state *s = state;
    s->b1t = lsc_running_power(s->b1t, s->beta1);
    s->b2t = lsc_running_power(s->b2t, s->beta2);
    adabelief_scalars sc = {
        .beta1 = s->beta1,
        .c1 = 1.0 - s->beta1,
        .beta2 = s->beta2,
        .c2 = 1.0 - s->beta2,
        .step = lr / (1.0 - s->b1t),        /* α/(1 − β1^t) */
        .ibc2 = 1.0 / sqrt(1.0 - s->b2t),   /* 1/sqrt(1 − β2^t) */
        .eps = s->eps,
        .decay = 1.0 - lr * s->weight_decay,
    };
    (s->weight_decay != 0 ? adabelief_wd : adabelief_plain)(
        n, x, g, LSC_STATE_ARRAY(s, s->off_m), LSC_STATE_ARRAY(s, s->off_s), &sc);
    return LSC_OK;
}

static size_t adabelief_layout(int n, adabelief_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(adabelief_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_s = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t adabelief_state_size(const lsc_params *p, int n)
{
    (void)p;
    adabelief_state s;
    return adabelief_layout(n, &s);
}

static int adabelief_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    adabelief_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->b1t = s->b2t = 1.0;
    adabelief_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_s), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc adabelief_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN, "step size α", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,
                 "decay β1 of the first moment m", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,
                 "decay β2 of the belief s, the variance of g about m", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-16, 0, 1e6, 0,
               "ε added to s every step and to sqrt(ŝ)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "decoupled weight decay λ: θ ← θ(1 − αλ)", NULL},
};

const lsc_optim_type lsc_optim_adabelief = {
    .name = "adabelief",
    .summary = "AdaBelief: Adam dividing by the variance of g about its running mean",
    .citation = "Zhuang et al., AdaBelief optimizer, NeurIPS 2020 (arXiv:2010.07468), "
                "Algorithm 2",
    .formula = adabelief_formula,
    .pytorch = "none in torch.optim; closest: adabelief_pytorch.AdaBelief(params, lr={lr}, "
               "betas=({beta1}, {beta2}), eps={eps}, weight_decay={weight_decay}, "
               "weight_decouple=True, rectify=False) (pip adabelief-pytorch)",
    .params = adabelief_params,
    .nparams = LSC_COUNTOF(adabelief_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = adabelief_state_size,
    .init = adabelief_init,
    .step = adabelief_step,
};
