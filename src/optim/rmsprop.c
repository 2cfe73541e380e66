/* rmsprop.c — RMSprop, plain or centered, with optional momentum
 *
 * Tieleman & Hinton, "Lecture 6.5 — RMSprop", COURSERA: Neural Networks for Machine
 * Learning, 2012; centered form: Graves, "Generating sequences with recurrent neural
 * networks", arXiv:1308.0850, 2013. Semantics and defaults of torch.optim.RMSprop
 * (PyTorch 2.x): the update, in PyTorch's notation, is rmsprop_formula below (`losscape
 * info rmsprop`); every buffer starts at 0, no bias correction.
 *
 * Centered: v − ḡ² ≥ 0 in exact arithmetic (it is a weighted variance) but rounding can
 * make it a few ulps negative when the gradient is nearly constant; PyTorch then returns
 * NaN, losscape takes the sqrt of max(v − ḡ², 0). Nothing else differs.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of rmsprop_params (descriptors, below). */
enum { P_LR, P_ALPHA, P_EPS, P_WEIGHT_DECAY, P_MOMENTUM, P_CENTERED };

static const char rmsprop_formula[] =
    "g ← ∇f(θ) + λθ\n"
    "v ← αv + (1 − α)g²\n"
    "centered:  ḡ ← αḡ + (1 − α)g ;  d = sqrt(v − ḡ²) + ε\n"
    "else:      d = sqrt(v) + ε                (ε outside the sqrt)\n"
    "momentum μ > 0:  b ← μb + g/d ;  θ ← θ − γb\n"
    "else:            θ ← θ − γ g/d";

typedef struct {
    double alpha, eps, weight_decay, momentum;
    int centered;
    size_t off_v, off_gavg, off_b;
} rmsprop_state;

typedef struct {
    double alpha, c, eps, wd, mu, lr; /* c = 1 − α */
} rmsprop_scalars;

static LSC_ALWAYS_INLINE void rmsprop_kernel(int n, double *restrict x,
                                             const double *restrict g, double *restrict v,
                                             double *restrict ga, double *restrict b,
                                             const rmsprop_scalars *sc, const int decay,
                                             const int centered, const int mom)
{
    const double alpha = sc->alpha, c = sc->c, eps = sc->eps, wd = sc->wd, mu = sc->mu;
    const double lr = sc->lr;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                     /* g ← g + λθ */
        double vi = alpha * v[i] + c * gi * gi;  /* v ← αv + (1 − α)g² */
        v[i] = vi;
        double var = vi;
        if (centered) {
            double ai = alpha * ga[i] + c * gi;  /* ḡ ← αḡ + (1 − α)g */
            ga[i] = ai;
            var = vi - ai * ai;                  /* v − ḡ² */
            var = var > 0 ? var : 0;
        }
        double d = sqrt(var) + eps;              /* d = √(v or v − ḡ²) + ε */
        if (mom) {
            double bi = mu * b[i] + gi / d;      /* b ← μb + g/d */
            b[i] = bi;
            x[i] -= lr * bi;                     /* θ ← θ − γb */
        } else {
            x[i] -= lr * gi / d;                 /* θ ← θ − γ g/d */
        }
    );
}

#define RMSPROP_VARIANT(name, decay, centered, mom)                                       \
    LSC_VEC_CLONES static void name(int n, double *restrict x, const double *restrict g, \
                                    double *restrict v, double *restrict ga,              \
                                    double *restrict b, const rmsprop_scalars *sc)        \
    {                                                                                     \
        rmsprop_kernel(n, x, g, v, ga, b, sc, decay, centered, mom);                      \
    }

RMSPROP_VARIANT(rmsprop_000, 0, 0, 0)
RMSPROP_VARIANT(rmsprop_001, 0, 0, 1)
RMSPROP_VARIANT(rmsprop_010, 0, 1, 0)
RMSPROP_VARIANT(rmsprop_011, 0, 1, 1)
RMSPROP_VARIANT(rmsprop_100, 1, 0, 0)
RMSPROP_VARIANT(rmsprop_101, 1, 0, 1)
RMSPROP_VARIANT(rmsprop_110, 1, 1, 0)
RMSPROP_VARIANT(rmsprop_111, 1, 1, 1)

typedef void (*rmsprop_fn)(int, double *restrict, const double *restrict, double *restrict,
                           double *restrict, double *restrict, const rmsprop_scalars *);

static int rmsprop_step(void *state, int n, double *x, const double *g, double lr,
                        const lsc_step_ctx *ctx)
{
    (void)ctx;
    rmsprop_state *s = state;
    static const rmsprop_fn table[8] = {rmsprop_000, rmsprop_001, rmsprop_010, rmsprop_011,
                                        rmsprop_100, rmsprop_101, rmsprop_110, rmsprop_111};
    rmsprop_scalars sc = {s->alpha, 1.0 - s->alpha, s->eps, s->weight_decay, s->momentum, lr};
    int decay = s->weight_decay != 0, mom = s->momentum > 0;
    table[decay * 4 + s->centered * 2 + mom](
        n, x, g, LSC_STATE_ARRAY(s, s->off_v),
        s->centered ? LSC_STATE_ARRAY(s, s->off_gavg) : NULL,
        mom ? LSC_STATE_ARRAY(s, s->off_b) : NULL, &sc);
    return LSC_OK;
}

static size_t rmsprop_layout(const lsc_params *p, int n, rmsprop_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(rmsprop_state));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    s->off_gavg = p->v[P_CENTERED] != 0 ? lsc_layout_add(&L, n, sizeof(double)) : 0;
    s->off_b = p->v[P_MOMENTUM] > 0 ? lsc_layout_add(&L, n, sizeof(double)) : 0;
    return lsc_layout_size(&L);
}

static size_t rmsprop_state_size(const lsc_params *p, int n)
{
    rmsprop_state s;
    return rmsprop_layout(p, n, &s);
}

static int rmsprop_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    rmsprop_state *s = state;
    memset(s, 0, sizeof *s);
    s->alpha = p->v[P_ALPHA];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    s->momentum = p->v[P_MOMENTUM];
    s->centered = p->v[P_CENTERED] != 0;
    rmsprop_layout(p, n, s);
    memset(LSC_STATE_ARRAY(s, s->off_v), 0, (size_t)n * sizeof(double));
    if (s->centered)
        memset(LSC_STATE_ARRAY(s, s->off_gavg), 0, (size_t)n * sizeof(double));
    if (s->momentum > 0)
        memset(LSC_STATE_ARRAY(s, s->off_b), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc rmsprop_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-2, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL},
    [P_ALPHA] = {"alpha", LSC_PARAM_REAL, 0.99, 0, 1, LSC_HI_OPEN,
                 "smoothing α of the squared gradient", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-8, 0, 1e6, 0,
               "ε added to the root (outside the sqrt)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ: g ← g + λθ", NULL},
    [P_MOMENTUM] = {"momentum", LSC_PARAM_REAL, 0, 0, 10, 0,
                    "momentum μ of the scaled step", NULL},
    [P_CENTERED] = {"centered", LSC_PARAM_BOOL, 0, 0, 1, 0,
                    "divide by an estimate of the variance", NULL},
};

const lsc_optim_type lsc_optim_rmsprop = {
    .name = "rmsprop",
    .summary = "RMSprop: steps divided by a running root mean square of the gradient",
    .citation = "Tieleman & Hinton, Coursera lecture 6.5, 2012; Graves, arXiv:1308.0850; "
                "torch.optim.RMSprop",
    .formula = rmsprop_formula,
    .pytorch = "torch.optim.RMSprop(params, lr={lr}, alpha={alpha}, eps={eps}, "
               "weight_decay={weight_decay}, momentum={momentum}, centered={centered})",
    .params = rmsprop_params,
    .nparams = LSC_COUNTOF(rmsprop_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = rmsprop_state_size,
    .init = rmsprop_init,
    .step = rmsprop_step,
};
