/* rprop.c — resilient backpropagation
 *
 * Riedmiller & Braun, "A direct adaptive method for faster backpropagation learning: the
 * RPROP algorithm", IEEE ICNN 1993 (the variant without weight backtracking, later called
 * Rprop−; Igel & Hüsken, "Improving the Rprop learning algorithm", NC 2000). Semantics and
 * defaults of torch.optim.Rprop (PyTorch 2.x; the same update as 1.13's
 * _single_tensor_rprop): the update, in PyTorch's notation, is rprop_formula below
 * (`losscape info rprop`). PyTorch's etas=(η−, η+) and step_sizes=(Δmin, Δmax) are the keys
 * etaminus, etaplus, step_size_min and step_size_max.
 *
 * The learning rate only sets the first step size: PyTorch fills Δ with the group's lr when
 * it creates the state, at the first step, and never reads lr again, so a schedule changes
 * nothing after step 1 (here too). The sign of g·g_prev is that of the rounded product (a
 * product that underflows to 0 counts as 0, as in PyTorch); sign(0) = 0.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of rprop_params (descriptors, below). */
enum { P_LR, P_ETAMINUS, P_ETAPLUS, P_STEP_MIN, P_STEP_MAX };

static const char rprop_formula[] =
    "Δ starts at γ (the first step's lr), g_prev at 0\n"
    "g·g_prev > 0:  Δ ← min(Δη+, Δmax)\n"
    "g·g_prev < 0:  Δ ← max(Δη−, Δmin) ;  g ← 0\n"
    "g·g_prev = 0:  Δ ← min(max(Δ, Δmin), Δmax)\n"
    "θ ← θ − sign(g)·Δ ;  g_prev ← g";

typedef struct {
    double etaminus, etaplus, step_min, step_max;
    long long t;
    size_t off_prev, off_delta;
} rprop_state;

LSC_VEC_CLONES static void rprop_kernel(int n, double *restrict x, const double *restrict g,
                                        double *restrict prev, double *restrict delta,
                                        const rprop_state *s)
{
    const double em = s->etaminus, ep = s->etaplus, lo = s->step_min, hi = s->step_max;
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        double p = gi * prev[i];
        double f = p > 0 ? ep : (p < 0 ? em : 1.0); /* η+, η− or 1 by sign(g·g_prev) */
        double d = delta[i] * f;
        d = d < lo ? lo : d;
        d = d > hi ? hi : d;                          /* Δ ← clamp(Δf, Δmin, Δmax) */
        delta[i] = d;
        gi = p < 0 ? 0.0 : gi;                        /* a sign change: g ← 0 */
        double sg = (double)(gi > 0) - (double)(gi < 0);
        x[i] -= sg * d;                               /* θ ← θ − sign(g)·Δ */
        prev[i] = gi;                                 /* g_prev ← g */
    );
}

static int rprop_step(void *state, int n, double *x, const double *g, double lr,
                      const lsc_step_ctx *ctx)
{
    (void)ctx;
    rprop_state *s = state;
    if (s->t++ == 0) { /* PyTorch creates Δ from the learning rate at the first step */
        double *delta = LSC_STATE_ARRAY(s, s->off_delta);
        for (int i = 0; i < n; i++)
            delta[i] = lr;
    }
    rprop_kernel(n, x, g, LSC_STATE_ARRAY(s, s->off_prev), LSC_STATE_ARRAY(s, s->off_delta),
                 s);
    return LSC_OK;
}

static size_t rprop_layout(int n, rprop_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(rprop_state));
    s->off_prev = lsc_layout_add(&L, n, sizeof(double));
    s->off_delta = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t rprop_state_size(const lsc_params *p, int n)
{
    (void)p;
    rprop_state s;
    return rprop_layout(n, &s);
}

static int rprop_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    rprop_state *s = state;
    memset(s, 0, sizeof *s);
    s->etaminus = p->v[P_ETAMINUS];
    s->etaplus = p->v[P_ETAPLUS];
    s->step_min = p->v[P_STEP_MIN];
    s->step_max = p->v[P_STEP_MAX];
    if (s->step_min > s->step_max) {
        char a[32], b[32];
        lsc_error_set(err, LSC_EINVAL,
                      "optimizer 'rprop': step_size_min must not exceed step_size_max "
                      "(got step_size_min=%s, step_size_max=%s)",
                      lsc_fmt_double(a, s->step_min), lsc_fmt_double(b, s->step_max));
        return LSC_EINVAL;
    }
    rprop_layout(n, s);
    memset(LSC_STATE_ARRAY(s, s->off_prev), 0, (size_t)n * sizeof(double));
    memset(LSC_STATE_ARRAY(s, s->off_delta), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

static const lsc_param_desc rprop_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1e-2, 0, 1e6, LSC_LO_OPEN,
              "first step size Δ (later learning rates are not used)", NULL},
    [P_ETAMINUS] = {"etaminus", LSC_PARAM_REAL, 0.5, 0, 1, LSC_LO_OPEN | LSC_HI_OPEN,
                    "η−: Δ shrinks by it when the gradient changes sign", NULL},
    [P_ETAPLUS] = {"etaplus", LSC_PARAM_REAL, 1.2, 1, 1e6, LSC_LO_OPEN,
                   "η+: Δ grows by it when the gradient keeps its sign", NULL},
    [P_STEP_MIN] = {"step_size_min", LSC_PARAM_REAL, 1e-6, 0, 1e6, 0, "lower bound Δmin of Δ",
                    NULL},
    [P_STEP_MAX] = {"step_size_max", LSC_PARAM_REAL, 50, 0, 1e6, LSC_LO_OPEN,
                    "upper bound Δmax of Δ", NULL},
};

const lsc_optim_type lsc_optim_rprop = {
    .name = "rprop",
    .summary = "Rprop: sign steps whose sizes grow while the gradient keeps its sign",
    .citation = "Riedmiller & Braun, IEEE ICNN 1993; torch.optim.Rprop",
    .formula = rprop_formula,
    .pytorch = "torch.optim.Rprop(params, lr={lr}, etas=({etaminus}, {etaplus}), "
               "step_sizes=({step_size_min}, {step_size_max}))",
    .params = rprop_params,
    .nparams = LSC_COUNTOF(rprop_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = rprop_state_size,
    .init = rprop_init,
    .step = rprop_step,
};
