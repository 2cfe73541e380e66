/* yogi.c — Yogi: Adam with an additive second-moment update
 *
 * Zaheer, Reddi, Sachan, Kale & Kumar, "Adaptive methods for nonconvex optimization",
 * NeurIPS 2018, Algorithm 2. In the paper's notation (η_t step size, x the parameters):
 *
 *     m_t = β1 m_{t−1} + (1 − β1) g_t
 *     v_t = v_{t−1} − (1 − β2) sign(v_{t−1} − g_t²) g_t²
 *     x_{t+1} = x_t − η_t m_t/(√v_t + ε)
 *
 * Adam's v_t − v_{t−1} = −(1 − β2)(v_{t−1} − g_t²) moves v by a fraction of the gap; Yogi
 * moves it by (1 − β2)g_t² toward g_t², so v changes by at most (1 − β2)g_t² per step and,
 * once v exceeds g², stays above 0 (v − (1 − β2)g² > β2 g² ≥ 0). Algorithm 2 has no bias
 * correction as printed, nor does this file; TensorFlow Addons' and TFF's
 * Yogi add Adam's (their step is η·sqrt(1 − β2^t)/(1 − β1^t)), so they differ from this in
 * the first ~1/(1 − β2) steps. v_0: Algorithm 2 starts at 0; those implementations start at
 * 1e-6, our default initial_accumulator_value (with v_0 = 0 a zero first gradient gives
 * 0/(0 + ε) = 0, finite because ε > 0). Defaults η = 1e-2, β1 = 0.9, β2 = 0.999, ε = 1e-3
 * as theirs. PyTorch has no Yogi.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of yogi_params (descriptors, below). */
enum { P_LR, P_BETA1, P_BETA2, P_EPS, P_INIT_ACC };

static const char yogi_formula[] =
    "m ← β1 m + (1 − β1) g               (m starts at 0)\n"
    "v ← v − (1 − β2) sign(v − g²) g²    (v starts at initial_accumulator_value)\n"
    "θ ← θ − η m/(sqrt(v) + ε)";

typedef struct {
    double beta1, beta2, eps, init_acc;
    size_t off_m, off_v;
} yogi_state;

LSC_VEC_CLONES static void yogi_kernel(int n, double *restrict x, const double *restrict g,
                                       double *restrict m, double *restrict v, double lr,
                                       const yogi_state *s)
{
    const double b1 = s->beta1, c1 = 1.0 - s->beta1, c2 = 1.0 - s->beta2, eps = s->eps;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        double mi = b1 * m[i] + c1 * gi;              /* m ← β1 m + (1 − β1) g */
        double g2 = gi * gi, vi = v[i];
        double d = vi - g2;
        double sg = (double)(d > 0) - (double)(d < 0);
        vi -= c2 * sg * g2;                           /* v ← v − (1 − β2) sign(v − g²) g² */
        m[i] = mi;
        v[i] = vi;
        x[i] -= lr * mi / (sqrt(vi) + eps);           /* θ ← θ − η m/(√v + ε) */
    );
}

static int yogi_step(void *state, int n, double *x, const double *g, double lr,
                     const lsc_step_ctx *ctx)
{
    (void)ctx;
    yogi_state *s = state;
    yogi_kernel(n, x, g, LSC_STATE_ARRAY(s, s->off_m), LSC_STATE_ARRAY(s, s->off_v), lr, s);
    return LSC_OK;
}

static size_t yogi_layout(int n, yogi_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(yogi_state));
    s->off_m = lsc_layout_add(&L, n, sizeof(double));
    s->off_v = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t yogi_state_size(const lsc_params *p, int n)
{
    (void)p;
    yogi_state s;
    return yogi_layout(n, &s);
}

static int yogi_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    (void)err;
    yogi_state *s = state;
    memset(s, 0, sizeof *s);
    s->beta1 = p->v[P_BETA1];
    s->beta2 = p->v[P_BETA2];
    s->eps = p->v[P_EPS];
    s->init_acc = p->v[P_INIT_ACC];
    yogi_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_m), 0, (size_t)n * sizeof(double));
    double *v = LSC_STATE_ARRAY(s, s->off_v);
    for (int i = 0; i < n; i++)
        v[i] = s->init_acc;
    return LSC_OK;
}

static const lsc_param_desc yogi_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-2, 0, 1e6, LSC_LO_OPEN, "step size η", NULL},
    [P_BETA1] = {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN,
                 "decay β1 of the first moment m", NULL},
    [P_BETA2] = {"beta2", LSC_PARAM_REAL, 0.999, 0, 1, LSC_HI_OPEN,
                 "v moves by (1 − β2)g² per step", NULL},
    [P_EPS] = {"eps", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN, "ε added to sqrt(v)", NULL},
    [P_INIT_ACC] = {"initial_accumulator_value", LSC_PARAM_REAL, 1e-6, 0, 1e12, 0,
                    "starting value v_0 of the second moment", NULL},
};

const lsc_optim_type lsc_optim_yogi = {
    .name = "yogi",
    .summary = "Yogi: Adam whose second moment moves additively toward g²",
    .citation = "Zaheer et al., Adaptive methods for nonconvex optimization, NeurIPS 2018, "
                "Algorithm 2",
    .formula = yogi_formula,
    .pytorch = "none in torch.optim; closest: torch.optim.Adam(params, lr={lr}, "
               "betas=({beta1}, {beta2}), eps={eps}) with v ← v − (1 − β2)sign(v − g²)g² "
               "instead of Adam's v, v starting at {initial_accumulator_value}, and no bias "
               "correction",
    .params = yogi_params,
    .nparams = LSC_COUNTOF(yogi_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = yogi_state_size,
    .init = yogi_init,
    .step = yogi_step,
};
