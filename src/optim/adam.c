/* adam.c — Adam and AdamW, with AMSGrad
 *
 * Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015;
 * Loshchilov & Hutter, "Decoupled weight decay regularization", ICLR 2019 (AdamW);
 * Reddi, Kale & Kumar, "On the convergence of Adam and beyond", ICLR 2018 (AMSGrad).
 * Semantics and defaults of torch.optim.Adam / AdamW (PyTorch 2.x): the updates, in
 * PyTorch's notation, are adam_formula and adamw_formula below (`losscape info adam`).
 *
 * The per-step scalars γ/bc1 and 1/sqrt(bc2) are computed once per step, β1^t and β2^t
 * as running products (t multiplications round to within t/2 ulp of pow's value: at
 * t = 10^5 a relative 1e-11 of β^t, an absolute 1e-11 β^t in bc, far below the 1e-12
 * parity once β^t < 0.1; tests/test_optim.c checks bc against pow up to t = 10^6); the loop
 * then costs one sqrt and one division per coordinate. (PyTorch divides by sqrt(bc2) in the
 * loop, so results differ from it by about one ulp per step.)
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of adam_params and adamw_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_WEIGHT_DECAY, P_AMSGRAD };

/* The updates; t counts steps from 1, v̂ is the max over the raw v */
#define ADAM_MOMENTS                                                                      \
    "m ← β1 m + (1 − β1) g ;  v ← β2 v + (1 − β2) g²\n"                                     \
    "bc1 = 1 − β1^t ;  bc2 = 1 − β2^t                  (t = 1, 2, ...)\n"                   \
    "amsgrad: v̂ ← max(v̂, v), used instead of v below\n"                                    \
    "θ ← θ − (γ/bc1) · m / (sqrt(v)/sqrt(bc2) + ε)"
static const char adam_formula[] = "g ← ∇f(θ) + λθ\n" ADAM_MOMENTS;
static const char adamw_formula[] = "g ← ∇f(θ) ;  θ ← θ(1 − γλ)\n" ADAM_MOMENTS;

typedef struct {
    double beta1, beta2, eps, weight_decay;
    int decoupled, amsgrad;
    long long t;
    double b1t, b2t; /* β1^t, β2^t as running products (no pow per step) */
    size_t off_m, off_v, off_vmax;
} adam_state;

/* ---- kernel ---------------------------------------------------------------------- */

enum { ADAM_NODECAY, ADAM_COUPLED, ADAM_DECOUPLED };

typedef struct {
    double beta1, c1, beta2, c2; /* c1 = 1 − β1, c2 = 1 − β2 */
    double step;                 /* γ/bc1 */
    double ibc2;                 /* 1/sqrt(bc2) */
    double eps, wd, decay;       /* λ (coupled), 1 − γλ (decoupled) */
} adam_scalars;

static LSC_ALWAYS_INLINE void adam_kernel(int n, double *restrict x,
                                          const double *restrict g, double *restrict m,
                                          double *restrict v, double *restrict vmax,
                                          const adam_scalars *sc, const int wdmode,
                                          const int ams)
{
    const double b1 = sc->beta1, c1 = sc->c1, b2 = sc->beta2, c2 = sc->c2;
    const double step = sc->step, ibc2 = sc->ibc2, eps = sc->eps, wd = sc->wd;
    const double decay = sc->decay;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        double xi = x[i];
        if (wdmode == ADAM_COUPLED)
            gi += wd * xi;                       /* g ← g + λθ */
        else if (wdmode == ADAM_DECOUPLED)
            xi *= decay;                         /* θ ← θ(1 − γλ) */
        double mi = b1 * m[i] + c1 * gi;         /* m ← β1 m + (1 − β1) g */
        double vi = b2 * v[i] + c2 * gi * gi;    /* v ← β2 v + (1 − β2) g² */
        m[i] = mi;
        v[i] = vi;
        if (ams) {
            double vm = vmax[i] > vi ? vmax[i] : vi; /* v̂ ← max(v̂, v) */
            vmax[i] = vm;
            vi = vm;
        }
        x[i] = xi - step * mi / (sqrt(vi) * ibc2 + eps); /* θ ← θ − γ/bc1 · m/(√v/√bc2 + ε) */
    );
}

#define ADAM_VARIANT(name, wdmode, ams)                                                   \
    LSC_VEC_CLONES static void name(int n, double *restrict x, const double *restrict g, \
                                    double *restrict m, double *restrict v,               \
                                    double *restrict vmax, const adam_scalars *sc)        \
    {                                                                                     \
        adam_kernel(n, x, g, m, v, vmax, sc, wdmode, ams);                                \
    }

ADAM_VARIANT(adam_plain, ADAM_NODECAY, 0)
ADAM_VARIANT(adam_coupled, ADAM_COUPLED, 0)
ADAM_VARIANT(adam_decoupled, ADAM_DECOUPLED, 0)
ADAM_VARIANT(adam_plain_ams, ADAM_NODECAY, 1)
ADAM_VARIANT(adam_coupled_ams, ADAM_COUPLED, 1)
ADAM_VARIANT(adam_decoupled_ams, ADAM_DECOUPLED, 1)

typedef void (*adam_fn)(int, double *restrict, const double *restrict, double *restrict,
                        double *restrict, double *restrict, const adam_scalars *);

static int adam_step(void *state, int n, double *x, const double *g, double lr,
                     const lsc_step_ctx *ctx)
{
    (void)ctx;
    adam_state *s = state;
    static const adam_fn table[2][3] = {
        {adam_plain, adam_coupled, adam_decoupled},
        {adam_plain_ams, adam_coupled_ams, adam_decoupled_ams},
    };
    s->t++;
    s->b1t = lsc_running_power(s->b1t, s->beta1);
    s->b2t = lsc_running_power(s->b2t, s->beta2);
    double bc1 = 1.0 - s->b1t; /* bc1 = 1 − β1^t */
    double bc2 = 1.0 - s->b2t; /* bc2 = 1 − β2^t */
    adam_scalars sc = {
        .beta1 = s->beta1,
        .c1 = 1.0 - s->beta1,
        .beta2 = s->beta2,
        .c2 = 1.0 - s->beta2,
        .step = lr / bc1,
        .ibc2 = 1.0 / sqrt(bc2),
        .eps = s->eps,
        .wd = s->weight_decay,
        .decay = 1.0 - lr * s->weight_decay,
    };
    int wdmode = s->weight_decay == 0 ? ADAM_NODECAY
                                      : (s->decoupled ? ADAM_DECOUPLED : ADAM_COUPLED);
    double *vmax = s->amsgrad ? LSC_STATE_ARRAY(s, s->off_vmax) : NULL;
    table[s->amsgrad][wdmode](n, x, g, LSC_STATE_ARRAY(s, s->off_m),
                              LSC_STATE_ARRAY(s, s->off_v), vmax, &sc);
    return LSC_OK;
}

/* ---- state ------------------------------------------------------------------------ */

static size_t adam_layout(const lsc_params *p, int n, adam_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(adam_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    s->off_vmax = p->v[P_AMSGRAD] != 0 ? lsc_layout_add(&L, n, sizeof(double)) : 0;
    return lsc_layout_size(&L);
}

static size_t adam_state_size(const lsc_params *p, int n)
{
    adam_state s;
    return adam_layout(p, n, &s);
}

static int adam_init_common(void *state, const lsc_params *p, int n, int decoupled)
{
    adam_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->amsgrad = p->v[P_AMSGRAD] != 0;
    s->decoupled = decoupled;
    s->b1t = s->b2t = 1.0;
    adam_layout(p, n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_v), 0, (size_t)n * sizeof(double));
    if (s->amsgrad)
        memset(LSC_STATE_ARRAY(s, s->off_vmax), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static int adam_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    return adam_init_common(state, p, n, 0);
}

static int adamw_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    return adam_init_common(state, p, n, 1);
}

/* ---- descriptors ----------------------------------------------------------------- */

#define ADAM_PARAMS(wd_default, wd_help)                                                  \
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},   \
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,                         \
                 "decay β1 of the first moment m", NULL},                                 \
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,                       \
                 "decay β2 of the second moment v", NULL},                                \
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-8, 0, 1e6, 0, "ε added to sqrt(v)/sqrt(bc2)",    \
               NULL},                                                                     \
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, wd_default, 0, 1e6, 0, wd_help,   \
                        NULL},                                                            \
    [P_AMSGRAD] = {"amsgrad", LSC_PARAM_BOOL, 0, 0, 1, 0,                                 \
                   "AMSGrad: divide by the running max of v", NULL}

static const lsc_param_desc adam_params[] = {
    ADAM_PARAMS(0, "L2 penalty λ added to the gradient: g ← g + λθ"),
};
static const lsc_param_desc adamw_params[] = {
    ADAM_PARAMS(1e-2, "decoupled weight decay λ: θ ← θ(1 − γλ)"),
};

const lsc_optim_type lsc_optim_adam = {
    .name = "adam",
    .summary = "Adam: bias-corrected first and second moment estimates",
    .citation = "Kingma & Ba, ICLR 2015; torch.optim.Adam",
    .formula = adam_formula,
    .pytorch = "torch.optim.Adam(params, lr={lr}, betas=({beta1}, {beta2}), eps={eps}, "
               "weight_decay={weight_decay}, amsgrad={amsgrad})",
    .params = adam_params,
    .nparams = LSC_COUNTOF(adam_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = adam_state_size,
    .init = adam_init,
    .step = adam_step,
};

const lsc_optim_type lsc_optim_adamw = {
    .name = "adamw",
    .summary = "AdamW: Adam with decoupled weight decay",
    .citation = "Loshchilov & Hutter, ICLR 2019; torch.optim.AdamW",
    .formula = adamw_formula,
    .pytorch = "torch.optim.AdamW(params, lr={lr}, betas=({beta1}, {beta2}), eps={eps}, "
               "weight_decay={weight_decay}, amsgrad={amsgrad})",
    .params = adamw_params,
    .nparams = LSC_COUNTOF(adamw_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = adam_state_size,
    .init = adamw_init,
    .step = adam_step,
};
