/* nadam.c — NAdam: Adam with Nesterov momentum
 *
 * Dozat, "Incorporating Nesterov momentum into Adam", ICLR 2016 workshop. Semantics and
 * defaults of torch.optim.NAdam as of PyTorch 2.0 (torch 1.13 multiplies one extra μ_t into
 * the last denominator; that bug is not reproduced). The update, in PyTorch's notation, is
 * nadam_formula below (`losscape info nadam`).
 *
 * The two coefficients are per-step scalars, so the loop is θ ← θ − (c_g g + c_m m)/d with
 * one division per coordinate.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of nadam_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_WEIGHT_DECAY, P_MOMENTUM_DECAY };

/* t counts steps from 1, Π starts at 1 */
static const char nadam_formula[] =
    "g ← ∇f(θ) + λθ                                  (t = 1, 2, ...)\n"
    "μ_t = β1 (1 − ½·0.96^{tψ}) ;  μ_{t+1} = β1 (1 − ½·0.96^{(t+1)ψ})\n"
    "Π ← Π·μ_t                                       (Π starts at 1)\n"
    "m ← β1 m + (1 − β1) g ;  v ← β2 v + (1 − β2) g² ;  bc2 = 1 − β2^t\n"
    "d = sqrt(v/bc2) + ε\n"
    "θ ← θ − γ(1 − μ_t)/(1 − Π) · g/d − γ μ_{t+1}/(1 − Π·μ_{t+1}) · m/d";

typedef struct {
    double beta1, beta2, eps, weight_decay, momentum_decay;
    double mu_product; /* Π */
    long long t;
    double b2t;        /* β2^t, a running product (no pow per step; see adam.c) */
    double decay_step; /* 0.96^ψ */
    double decay_t;    /* 0.96^(tψ), a running product */
    size_t off_m, off_v;
} nadam_state;

typedef struct {
    double beta1, c1, beta2, c2, ibc2, eps, wd, cg, cm;
} nadam_scalars;

static LSC_ALWAYS_INLINE void nadam_kernel(int n, double *restrict x,
                                           const double *restrict g, double *restrict m,
                                           double *restrict v, const nadam_scalars *sc,
                                           const int decay)
{
    const double b1 = sc->beta1, c1 = sc->c1, b2 = sc->beta2, c2 = sc->c2, ibc2 = sc->ibc2;
    const double eps = sc->eps, wd = sc->wd, cg = sc->cg, cm = sc->cm;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                         /* g ← g + λθ */
        double mi = b1 * m[i] + c1 * gi;             /* m ← β1 m + (1 − β1) g */
        double vi = b2 * v[i] + c2 * gi * gi;        /* v ← β2 v + (1 − β2) g² */
        m[i] = mi;
        v[i] = vi;
        double d = sqrt(vi * ibc2) + eps;            /* d = √(v/bc2) + ε */
        x[i] -= (cg * gi + cm * mi) / d;             /* θ ← θ − c_g g/d − c_m m/d */
    );
}

LSC_VEC_CLONES static void nadam_plain(int n, double *restrict x, const double *restrict g,
                                       double *restrict m, double *restrict v,
                                       const nadam_scalars *sc)
{
    nadam_kernel(n, x, g, m, v, sc, 0);
}

LSC_VEC_CLONES static void nadam_wd(int n, double *restrict x, const double *restrict g,
                                    double *restrict m, double *restrict v,
                                    const nadam_scalars *sc)
{
    nadam_kernel(n, x, g, m, v, sc, 1);
}

static int nadam_step(void *state, int n, double *x, const double *g, double lr,
                      const lsc_step_ctx *ctx)
{
    (void)ctx;
    nadam_state *s = state;
    s->t++;
    const double b1 = s->beta1;
    s->b2t = lsc_running_power(s->b2t, s->beta2);
    s->decay_t = lsc_running_power(s->decay_t, s->decay_step);
    double bc2 = 1.0 - s->b2t;                                      /* bc2 = 1 − β2^t */
    double mu = b1 * (1.0 - 0.5 * s->decay_t);                      /* μ_t */
    double mu_next = b1 * (1.0 - 0.5 * s->decay_t * s->decay_step); /* μ_{t+1} */
    s->mu_product = lsc_running_power(s->mu_product, mu);           /* Π ← Π·μ_t */
    nadam_scalars sc = {
        .beta1 = b1,
        .c1 = 1.0 - b1,
        .beta2 = s->beta2,
        .c2 = 1.0 - s->beta2,
        .ibc2 = 1.0 / bc2,
        .eps = s->eps,
        .wd = s->weight_decay,
        .cg = lr * (1.0 - mu) / (1.0 - s->mu_product),             /* γ(1 − μ_t)/(1 − Π) */
        .cm = lr * mu_next / (1.0 - s->mu_product * mu_next),      /* γμ_{t+1}/(1 − Πμ_{t+1}) */
    };
    (s->weight_decay != 0 ? nadam_wd : nadam_plain)(n, x, g, LSC_STATE_ARRAY(s, s->off_m),
                                                    LSC_STATE_ARRAY(s, s->off_v), &sc);
    return LSC_OK;
}

static size_t nadam_layout(int n, nadam_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(nadam_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t nadam_state_size(const lsc_params *p, int n)
{
    (void)p;
    nadam_state s;
    return nadam_layout(n, &s);
}

static int nadam_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    nadam_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->momentum_decay = p->v[P_MOMENTUM_DECAY];
    s->mu_product = 1.0;
    s->b2t = 1.0;
    s->decay_step = pow(0.96, s->momentum_decay); /* once, at the start */
    s->decay_t = 1.0;
    nadam_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_v), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc nadam_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 2e-3, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,
                 "decay β1 of the first moment m", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,
                 "decay β2 of the second moment v", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-8, 0, 1e6, 0, "ε added to sqrt(v/bc2)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ: g ← g + λθ", NULL},
    [P_MOMENTUM_DECAY] = {"momentum_decay", LSC_PARAM_REAL, 4e-3, 0, 1e3, 0,
                          "ψ in μ_t = β1(1 − ½·0.96^{tψ})", NULL},
};

const lsc_optim_type lsc_optim_nadam = {
    .name = "nadam",
    .summary = "NAdam: Adam with a Nesterov look-ahead on the first moment",
    .citation = "Dozat, ICLR 2016 workshop; torch.optim.NAdam (PyTorch >= 2.0)",
    .formula = nadam_formula,
    .pytorch = "torch.optim.NAdam(params, lr={lr}, betas=({beta1}, {beta2}), eps={eps}, "
               "weight_decay={weight_decay}, momentum_decay={momentum_decay})",
    .params = nadam_params,
    .nparams = LSC_COUNTOF(nadam_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = nadam_state_size,
    .init = nadam_init,
    .step = nadam_step,
};
