/* adadelta.c — Adadelta
 *
 * Zeiler, "ADADELTA: an adaptive learning rate method", arXiv:1212.5701, 2012 (Algorithm 1).
 * Semantics and defaults of torch.optim.Adadelta (PyTorch 2.x; the same update as 1.13's
 * _single_tensor_adadelta): the update, in PyTorch's notation, is adadelta_formula below
 * (`losscape info adadelta`). v and u start at 0. PyTorch multiplies the step δ by a
 * learning rate γ (default 1) that the paper does not have.
 *
 * eps must be > 0 here (PyTorch accepts 0): with ε = 0, u stays 0, every δ is 0 and θ never
 * moves (or δ = 0/0 when the first gradient is 0).
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of adadelta_params (descriptors, below). */
enum { P_LR, P_RHO, P_EPS, P_WEIGHT_DECAY };

static const char adadelta_formula[] =
    "g ← ∇f(θ) + λθ\n"
    "v ← ρv + (1 − ρ)g²                  (v, u start at 0)\n"
    "δ = sqrt(u + ε)/sqrt(v + ε) · g\n"
    "u ← ρu + (1 − ρ)δ²\n"
    "θ ← θ − γδ";

typedef struct {
    double rho, eps, weight_decay;
    size_t off_v, off_u;
} adadelta_state;

static LSC_ALWAYS_INLINE void adadelta_kernel(int n, double *restrict x,
                                              const double *restrict g, double *restrict v,
                                              double *restrict u, double lr, double rho,
                                              double eps, double wd, const int decay)
{
    const double c = 1.0 - rho;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                          /* g ← g + λθ */
        double vi = rho * v[i] + c * gi * gi;         /* v ← ρv + (1 − ρ)g² */
        v[i] = vi;
        double d = sqrt(u[i] + eps) / sqrt(vi + eps) * gi; /* δ = √(u + ε)/√(v + ε)·g */
        u[i] = rho * u[i] + c * d * d;                /* u ← ρu + (1 − ρ)δ² */
        x[i] -= lr * d;                               /* θ ← θ − γδ */
    );
}

LSC_VEC_CLONES static void adadelta_plain(int n, double *restrict x, const double *restrict g,
                                          double *restrict v, double *restrict u, double lr,
                                          double rho, double eps, double wd)
{
    adadelta_kernel(n, x, g, v, u, lr, rho, eps, wd, 0);
}

LSC_VEC_CLONES static void adadelta_wd(int n, double *restrict x, const double *restrict g,
                                       double *restrict v, double *restrict u, double lr,
                                       double rho, double eps, double wd)
{
    adadelta_kernel(n, x, g, v, u, lr, rho, eps, wd, 1);
}

static int adadelta_step(void *state, int n, double *x, const double *g, double lr,
                         const lsc_step_ctx *ctx)
{
    (void)ctx;
    adadelta_state *s = state;
    (s->weight_decay != 0 ? adadelta_wd : adadelta_plain)(
        n, x, g, LSC_STATE_ARRAY(s, s->off_v), LSC_STATE_ARRAY(s, s->off_u), lr, s->rho,
        s->eps, s->weight_decay);
    return LSC_OK;
}

static size_t adadelta_layout(int n, adadelta_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(adadelta_state));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    s->off_u = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t adadelta_state_size(const lsc_params *p, int n)
{
    (void)p;
    adadelta_state s;
    return adadelta_layout(n, &s);
}

static int adadelta_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    adadelta_state *s = state;
    memset(s, 0, sizeof *s);
    s->rho = p->v[P_RHO];
    s->eps = p->v[P_EPS];
    s->weight_decay = p->v[P_WEIGHT_DECAY];
    adadelta_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_v), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_u), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc adadelta_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1.0, 0, 1e6, LSC_LO_OPEN,
              "learning rate γ multiplying the step δ", NULL},
    [P_RHO] = {"rho", LSC_PARAM_REAL, 0.9, 0, 1, 0,
               "decay ρ of the running averages v and u", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-6, 0, 1e6, LSC_LO_OPEN,
               "ε inside both square roots (with 0, θ never moves)", NULL},
    [P_WEIGHT_DECAY] = {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0,
                        "L2 penalty λ: g ← g + λθ", NULL},
};

const lsc_optim_type lsc_optim_adadelta = {
    .name = "adadelta",
    .summary = "Adadelta: steps scaled by the ratio of running RMS of updates and gradients",
    .citation = "Zeiler, arXiv:1212.5701, 2012; torch.optim.Adadelta",
    .formula = adadelta_formula,
    .pytorch = "torch.optim.Adadelta(params, lr={lr}, rho={rho}, eps={eps}, "
               "weight_decay={weight_decay})",
    .params = adadelta_params,
    .nparams = LSC_COUNTOF(adadelta_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = adadelta_state_size,
    .init = adadelta_init,
    .step = adadelta_step,
};
