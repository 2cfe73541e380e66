/* asgd.c — averaged stochastic gradient descent
 *
 * Polyak & Juditsky, "Acceleration of stochastic approximation by averaging", SIAM J.
 * Control Optim. 30(4), 1992; the step-size schedule of Bottou, "Stochastic gradient
 * descent tricks", Neural Networks: Tricks of the Trade, 2012 (η_t = γ/(1 + λγt)^α).
 * Semantics and defaults of torch.optim.ASGD (PyTorch 2.x; the same update as 1.13's
 * _single_tensor_asgd): the update, in PyTorch's notation, is asgd_formula below
 * (`losscape info asgd`).
 *
 * What the trajectory records: θ, the iterate PyTorch leaves in the parameters, as for every
 * other optimizer. The average ax (from step t0 on, the mean of the iterates since t0) is
 * state, kept as PyTorch keeps it (lsc_asgd_average reads it) but never written out and
 * never fed back into θ.
 *
 * Like PyTorch, η and μ of step t + 1 are computed at the end of step t from the learning
 * rate of step t (η of step 1 is the learning rate of step 1): under a schedule η lags the
 * learning rate by one step. One pow per step (not per coordinate) for (1 + λγt)^α when
 * λ ≠ 0: its base grows by λγ per step, so no running product gives it; α = 1/2, 3/4 and 1
 * take sqrt and division instead (within an ulp or two of pow).
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of asgd_params (descriptors, below). */
enum { P_LR, P_LAMBD, P_ALPHA, P_T0, P_WEIGHT_DECAY };

static const char asgd_formula[] =
    "g ← ∇f(θ) + λ_wd θ                        (t = 1, 2, ...)\n"
    "θ ← θ(1 − λη_t) − η_t g                   (η_1 = γ, μ_1 = 1)\n"
    "ax ← θ if μ_t = 1, else ax ← ax + μ_t(θ − ax)\n"
    "η_{t+1} = γ/(1 + λγt)^α ;  μ_{t+1} = 1/max(1, t − t0)\n"
    "the trajectory records θ; ax is the averaged iterate (state)";

typedef struct {
    double lambd, alpha, t0, weight_decay;
    long long t;
    double eta, mu; /* η_t and μ_t of the next step */
    size_t off_ax;
} asgd_state;

static LSC_ALWAYS_INLINE void asgd_kernel(int n, double *restrict x, const double *restrict g,
                                          double *restrict ax, double eta, double decay,
                                          double mu, double wd, const int wdmode,
                                          const int average)
{
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        double xi = x[i];
        if (wdmode)
            gi += wd * xi;                       /* g ← g + λ_wd θ */
        xi = xi * decay - eta * gi;              /* θ ← θ(1 − λη) − ηg */
        x[i] = xi;
        if (average)
            ax[i] += (xi - ax[i]) * mu;          /* ax ← ax + μ(θ − ax) */
        else
            ax[i] = xi;                          /* μ = 1: ax ← θ */
    );
}

#define ASGD_VARIANT(name, wdmode, average)                                               \
    LSC_VEC_CLONES static void name(int n, double *restrict x, const double *restrict g, \
                                    double *restrict ax, double eta, double decay,        \
                                    double mu, double wd)                                 \
    {                                                                                     \
        asgd_kernel(n, x, g, ax, eta, decay, mu, wd, wdmode, average);                    \
    }

ASGD_VARIANT(asgd_copy, 0, 0)
ASGD_VARIANT(asgd_avg, 0, 1)
ASGD_VARIANT(asgd_wd_copy, 1, 0)
ASGD_VARIANT(asgd_wd_avg, 1, 1)

typedef void (*asgd_fn)(int, double *restrict, const double *restrict, double *restrict,
                        double, double, double, double);

/* b^α, with sqrt for the common α (PyTorch's default is 3/4) */
static double asgd_pow(double b, double alpha)
{
    if (alpha == 1)
        return b;
    if (alpha == 0.5)
        return sqrt(b);
    if (alpha == 0.75) {
        double r = sqrt(b);
        return r * sqrt(r);
    }
    return pow(b, alpha);
}

static int asgd_step(void *state, int n, double *x, const double *g, double lr,
                     const lsc_step_ctx *ctx)
{
    (void)ctx;
    asgd_state *s = state;
    static const asgd_fn table[2][2] = {{asgd_copy, asgd_avg}, {asgd_wd_copy, asgd_wd_avg}};
    if (s->t == 0)
        s->eta = lr; /* PyTorch creates η from the learning rate at the first step */
    s->t++;
    double eta = s->eta;
    table[s->weight_decay != 0][s->mu != 1](n, x, g, LSC_STATE_ARRAY(s, s->off_ax), eta,
                                            1.0 - s->lambd * eta, s->mu, s->weight_decay);
    double t = (double)s->t;
    /* η_{t+1} = γ/(1 + λγt)^α ; μ_{t+1} = 1/max(1, t − t0) */
    s->eta = s->lambd == 0 ? lr : lr / asgd_pow(1.0 + s->lambd * lr * t, s->alpha);
    s->mu = 1.0 / fmax(1.0, t - s->t0);
    return LSC_OK;
}

static size_t asgd_layout(int n, asgd_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(asgd_state));
    s->off_ax = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t asgd_state_size(const lsc_params *p, int n)
{
    (void)p;
    asgd_state s;
    return asgd_layout(n, &s);
}

static int asgd_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    asgd_state *s = state;
    memset(s, 0, sizeof *s);
    s->lambd = p->v[P_LAMBD];
    s->alpha = p->v[P_ALPHA];
    s->t0 = p->v[P_T0];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->mu = 1.0;
    asgd_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_ax), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

extern const lsc_optim_type lsc_optim_asgd;

LSC_API const double *lsc_asgd_average(const lsc_optim *o)
{
    if (!o || o->type != &lsc_optim_asgd)
        return NULL;
    const asgd_state *s = o->state;
    return (const double *)(const void *)((const char *)s + s->off_ax);
}

static const lsc_param_desc asgd_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-2, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},
    [P_LAMBD] = {"lambd", LSC_PARAM_REAL, 1e-4, 0, 1e6, 0,
                 "decay λ: θ ← θ(1 − λη) and η_t = γ/(1 + λγt)^α", NULL},
    [P_ALPHA] = {"alpha", LSC_PARAM_REAL, 0.75, 0, 10, 0, "power α of the step-size decay",
                 NULL},
    [P_T0] = {"t0", LSC_PARAM_REAL, 1e6, 0, 1e18, 0,
              "step after which ax averages the iterates", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ_wd: g ← g + λ_wd θ", NULL},
};

const lsc_optim_type lsc_optim_asgd = {
    .name = "asgd",
    .summary = "ASGD: SGD with a decaying step and a running average of the iterates",
    .citation = "Polyak & Juditsky, SIAM J. Control Optim. 1992; Bottou 2012; "
                "torch.optim.ASGD",
    .formula = asgd_formula,
    .pytorch = "torch.optim.ASGD(params, lr={lr}, lambd={lambd}, alpha={alpha}, t0={t0}, "
               "weight_decay={weight_decay})",
    .params = asgd_params,
    .nparams = LSC_COUNTOF(asgd_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = asgd_state_size,
    .init = asgd_init,
    .step = asgd_step,
};
