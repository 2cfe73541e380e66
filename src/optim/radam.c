/* radam.c — RAdam: Adam with a rectified adaptive learning rate
 *
 * Liu, Jiang, He, Chen, Liu, Gao & Han, "On the variance of the adaptive learning rate and
 * beyond", ICLR 2020. Semantics and defaults of torch.optim.RAdam (PyTorch 2.x): the
 * update, in PyTorch's notation, is radam_formula below (`losscape info radam`).
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of radam_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_WEIGHT_DECAY };

/* t counts steps from 1 */
static const char radam_formula[] =
    "g ← ∇f(θ) + λθ                                   (t = 1, 2, ...)\n"
    "m ← β1 m + (1 − β1) g ;  v ← β2 v + (1 − β2) g²\n"
    "bc1 = 1 − β1^t ;  bc2 = 1 − β2^t ;  m̂ = m/bc1\n"
    "ρ∞ = 2/(1 − β2) − 1 ;  ρ_t = ρ∞ − 2tβ2^t/bc2\n"
    "ρ_t > 5:  r = sqrt((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))\n"
    "          θ ← θ − γ m̂ r sqrt(bc2)/(sqrt(v) + ε)\n"
    "else:     θ ← θ − γ m̂                      (v is still updated)";

typedef struct {
    double beta1, beta2, eps, weight_decay;
    long long t;
    double b1t, b2t; /* β1^t, β2^t as running products (no pow per step; see adam.c) */
    size_t off_m, off_v;
} radam_state;

typedef struct {
    double beta1, c1, beta2, c2, eps, wd, step;
} radam_scalars;

static LSC_ALWAYS_INLINE void radam_kernel(int n, double *restrict x,
                                           const double *restrict g, double *restrict m,
                                           double *restrict v, const radam_scalars *sc,
                                           const int decay, const int rect)
{
    const double b1 = sc->beta1, c1 = sc->c1, b2 = sc->beta2, c2 = sc->c2;
    const double eps = sc->eps, wd = sc->wd, step = sc->step;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                      /* g ← g + λθ */
        double mi = b1 * m[i] + c1 * gi;          /* m ← β1 m + (1 − β1) g */
        double vi = b2 * v[i] + c2 * gi * gi;     /* v ← β2 v + (1 − β2) g² */
        m[i] = mi;
        v[i] = vi;
        if (rect)
            x[i] -= step * mi / (sqrt(vi) + eps); /* θ ← θ − (γ r √bc2 / bc1) m/(√v + ε) */
        else
            x[i] -= step * mi;                    /* θ ← θ − (γ/bc1) m */
    );
}

#define RADAM_VARIANT(name, decay, rect)                                                  \
    LSC_VEC_CLONES static void name(int n, double *restrict x, const double *restrict g, \
                                    double *restrict m, double *restrict v,               \
                                    const radam_scalars *sc)                              \
    {                                                                                     \
        radam_kernel(n, x, g, m, v, sc, decay, rect);                                     \
    }

RADAM_VARIANT(radam_sgd, 0, 0)
RADAM_VARIANT(radam_sgd_wd, 1, 0)
RADAM_VARIANT(radam_rect, 0, 1)
RADAM_VARIANT(radam_rect_wd, 1, 1)

typedef void (*radam_fn)(int, double *restrict, const double *restrict, double *restrict,
                         double *restrict, const radam_scalars *);

static int radam_step(void *state, int n, double *x, const double *g, double lr,
                      const lsc_step_ctx *ctx)
{
    (void)ctx;
    radam_state *s = state;
    static const radam_fn table[2][2] = {{radam_sgd, radam_sgd_wd},
                                         {radam_rect, radam_rect_wd}};
    s->t++;
    s->b1t = lsc_running_power(s->b1t, s->beta1);
    s->b2t = lsc_running_power(s->b2t, s->beta2);
    double t = (double)s->t, b2t = s->b2t;
    double bc1 = 1.0 - s->b1t;                       /* bc1 = 1 − β1^t */
    double bc2 = 1.0 - b2t;                          /* bc2 = 1 − β2^t */
    double rho_inf = 2.0 / (1.0 - s->beta2) - 1.0;   /* ρ∞ = 2/(1 − β2) − 1 */
    double rho_t = rho_inf - 2.0 * t * b2t / bc2;    /* ρ_t = ρ∞ − 2tβ2^t/bc2 */
    int rect = rho_t > 5.0;
    radam_scalars sc = {s->beta1, 1.0 - s->beta1, s->beta2, 1.0 - s->beta2, s->eps,
                        s->weight_decay, lr / bc1};
    if (rect) {
        /* r = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)) */
        double r = sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf /
                        ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t));
        sc.step = lr / bc1 * r * sqrt(bc2);
    }
    table[rect][s->weight_decay != 0](n, x, g, LSC_STATE_ARRAY(s, s->off_m),
                                      LSC_STATE_ARRAY(s, s->off_v), &sc);
    return LSC_OK;
}

static size_t radam_layout(int n, radam_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(radam_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t radam_state_size(const lsc_params *p, int n)
{
    (void)p;
    radam_state s;
    return radam_layout(n, &s);
}

static int radam_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    radam_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->b1t = s->b2t = 1.0;
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    radam_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_v), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc radam_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,
                 "decay β1 of the first moment m", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,
                 "decay β2 of the second moment v", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-8, 0, 1e6, 0, "ε added to sqrt(v)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ: g ← g + λθ", NULL},
};

const lsc_optim_type lsc_optim_radam = {
    .name = "radam",
    .summary = "RAdam: Adam whose adaptive step is switched on by a variance rectifier",
    .citation = "Liu et al., ICLR 2020; torch.optim.RAdam",
    .formula = radam_formula,
    .pytorch = "torch.optim.RAdam(params, lr={lr}, betas=({beta1}, {beta2}), eps={eps}, "
               "weight_decay={weight_decay})",
    .params = radam_params,
    .nparams = LSC_COUNTOF(radam_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = radam_state_size,
    .init = radam_init,
    .step = radam_step,
};
