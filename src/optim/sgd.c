/* sgd.c — stochastic gradient descent with momentum, dampening, weight decay and Nesterov
 *
 * torch.optim.SGD (PyTorch 2.x), in its notation (γ lr, μ momentum, τ dampening,
 * λ weight decay; all element-wise): the update is sgd_formula below, and each variant's
 * its own (`losscape info sgd` prints it).
 *
 * Nesterov momentum in this form is Sutskever, Martens, Dahl & Hinton, "On the importance
 * of initialization and momentum in deep learning", ICML 2013; heavy-ball momentum is
 * Polyak, "Some methods of speeding up the convergence of iteration methods", 1964.
 *
 * Four registry entries share the kernel and differ in their keys and defaults:
 *   gd        plain gradient descent (lr, weight_decay)
 *   sgd       every torch.optim.SGD key, momentum 0 by default
 *   momentum  heavy ball, momentum 0.9 (lr, momentum, dampening, weight_decay)
 *   nesterov  Nesterov, momentum 0.9 (lr, momentum, weight_decay; dampening is 0)
 * lr defaults to 1e-3, PyTorch's default since 2.2 (earlier versions had none).
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* The updates, g = ∇f(θ) */
static const char sgd_formula[] =
    "g ← ∇f(θ) ;  if λ ≠ 0:  g ← g + λθ\n"
    "if μ ≠ 0:  b ← g                 on the first step (no dampening there)\n"
    "           b ← μb + (1 − τ)g     afterwards\n"
    "           g ← g + μb   if nesterov,   else  g ← b\n"
    "θ ← θ − γg";
static const char gd_formula[] = "θ ← θ − γ(∇f(θ) + λθ)";
static const char momentum_formula[] =
    "g ← ∇f(θ) + λθ\n"
    "b ← g on the first step, b ← μb + (1 − τ)g afterwards\n"
    "θ ← θ − γb";
static const char nesterov_formula[] =
    "g ← ∇f(θ) + λθ\n"
    "b ← g on the first step, b ← μb + g afterwards\n"
    "θ ← θ − γ(g + μb)";

typedef struct {
    double momentum, dampening, weight_decay;
    int nesterov;
    long long t;   /* steps taken */
    size_t off_b;  /* momentum buffer, when momentum > 0 */
} sgd_state;

/* ---- kernel ---------------------------------------------------------------------- */

enum { SGD_PLAIN, SGD_HEAVY, SGD_NESTEROV };

/* One step over n coordinates. bm, bg: b ← bm·b + bg·g (bm = 0, bg = 1 on the first step,
 * where b is still 0, gives b ← g exactly). */
static LSC_ALWAYS_INLINE void sgd_kernel(int n, double *restrict x,
                                         const double *restrict g, double *restrict b,
                                         double lr, double wd, double mu, double bm,
                                         double bg, const int decay, const int mode)
{
    LSC_FOR_EACH(i, n,
        double gi = g[i];
        if (decay)
            gi += wd * x[i];                 /* g ← g + λθ */
        double d = gi;
        if (mode != SGD_PLAIN) {
            double bi = bm * b[i] + bg * gi; /* b ← μb + (1 − τ)g */
            b[i] = bi;
            d = mode == SGD_NESTEROV ? gi + mu * bi : bi; /* g ← g + μb  or  g ← b */
        }
        x[i] -= lr * d;                      /* θ ← θ − γg */
    );
}

#define SGD_VARIANT(name, decay, mode)                                                    \
    LSC_VEC_CLONES static void name(int n, double *restrict x, const double *restrict g, \
                                    double *restrict b, double lr, double wd, double mu,   \
                                    double bm, double bg)                                 \
    {                                                                                     \
        sgd_kernel(n, x, g, b, lr, wd, mu, bm, bg, decay, mode);                          \
    }

SGD_VARIANT(sgd_plain, 0, SGD_PLAIN)
SGD_VARIANT(sgd_plain_wd, 1, SGD_PLAIN)
SGD_VARIANT(sgd_heavy, 0, SGD_HEAVY)
SGD_VARIANT(sgd_heavy_wd, 1, SGD_HEAVY)
SGD_VARIANT(sgd_nesterov, 0, SGD_NESTEROV)
SGD_VARIANT(sgd_nesterov_wd, 1, SGD_NESTEROV)

typedef void (*sgd_fn)(int, double *restrict, const double *restrict, double *restrict,
                       double, double, double, double, double);

static int sgd_step(void *state, int n, double *x, const double *g, double lr,
                    const lsc_step_ctx *ctx)
{
    (void)ctx;
    sgd_state *s = state;
    static const sgd_fn table[3][2] = {
        {sgd_plain, sgd_plain_wd},
        {sgd_heavy, sgd_heavy_wd},
        {sgd_nesterov, sgd_nesterov_wd},
    };
    int mode = s->momentum == 0 ? SGD_PLAIN : (s->nesterov ? SGD_NESTEROV : SGD_HEAVY);
    double *b = mode == SGD_PLAIN ? NULL : LSC_STATE_ARRAY(s, s->off_b);
    double bm = s->t == 0 ? 0.0 : s->momentum;
    double bg = s->t == 0 ? 1.0 : 1.0 - s->dampening;
    table[mode][s->weight_decay != 0](n, x, g, b, lr, s->weight_decay, s->momentum, bm, bg);
    s->t++;
    return LSC_OK;
}

/* ---- parameters ------------------------------------------------------------------- */

/* Each variant's parameter indices (the rows of its table below). The variants take
 * different keys, so the shared code reads them through a per-variant index map; -1: the
 * variant has no such key and the value is fixed (sgd_keymap.nesterov_fixed). */
enum { GD_LR, GD_WD };
enum { SGD_LR, SGD_MOM, SGD_DAMP, SGD_WD, SGD_NAG };
enum { HB_LR, HB_MOM, HB_DAMP, HB_WD };
enum { NAG_LR, NAG_MOM, NAG_WD };

typedef struct {
    const char *name; /* for messages */
    int momentum, dampening, weight_decay, nesterov; /* indices, or -1 */
    int nesterov_fixed; /* the value when nesterov is -1 */
} sgd_keymap;

static const sgd_keymap gd_map = {
    .name = "gd", .momentum = -1, .dampening = -1, .weight_decay = GD_WD, .nesterov = -1};
static const sgd_keymap sgd_map = {.name = "sgd", .momentum = SGD_MOM, .dampening = SGD_DAMP,
                                   .weight_decay = SGD_WD, .nesterov = SGD_NAG};
static const sgd_keymap momentum_map = {.name = "momentum", .momentum = HB_MOM,
                                        .dampening = HB_DAMP, .weight_decay = HB_WD,
                                        .nesterov = -1};
static const sgd_keymap nesterov_map = {.name = "nesterov", .momentum = NAG_MOM,
                                        .dampening = -1, .weight_decay = NAG_WD,
                                        .nesterov = -1, .nesterov_fixed = 1};

/* p->v[i], or 0 when the variant has no such key (i = -1): momentum, dampening and
 * weight decay default to 0 in torch.optim.SGD. */
static double key_value(const lsc_params *p, int i)
{
    return i < 0 ? 0.0 : p->v[i];
}

/* ---- state ------------------------------------------------------------------------ */

static size_t sgd_layout(const lsc_params *p, const sgd_keymap *k, int n, size_t *off_b)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(sgd_state));
    *off_b = 0;
    if (key_value(p, k->momentum) != 0)
        *off_b = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static int sgd_init_common(void *state, const lsc_params *p, int n, const sgd_keymap *k,
                           lsc_error *err)
{
    sgd_state *s = state;
    memset(s, 0, sizeof *s);
    s->momentum = key_value(p, k->momentum);
    s->dampening = key_value(p, k->dampening);
    s->weight_decay = key_value(p, k->weight_decay);
    s->nesterov = k->nesterov < 0 ? k->nesterov_fixed : p->v[k->nesterov] != 0;
    if (s->nesterov && (s->momentum <= 0 || s->dampening != 0)) {
        char a[32], b[32];
        lsc_error_set(err, LSC_EINVAL,
                      "optimizer '%s': nesterov=true needs momentum > 0 and dampening = 0 "
                      "(got momentum=%s, dampening=%s)",
                      k->name, lsc_fmt_double(a, s->momentum), lsc_fmt_double(b, s->dampening));
        return LSC_EINVAL;
    }
    sgd_layout(p, k, n, &s->off_b);
    if (s->momentum != 0)
        memset(LSC_STATE_ARRAY(s, s->off_b), 0, (size_t)n * sizeof(double));
    return LSC_OK;
}

/* The type table has no user pointer: one state_size and one init per variant. */
#define SGD_ENTRY_POINTS(prefix, map)                                                     \
    static size_t prefix##_state_size(const lsc_params *p, int n)                         \
    {                                                                                     \
        size_t off;                                                                       \
        return sgd_layout(p, &(map), n, &off);                                            \
    }                                                                                     \
    static int prefix##_init(void *state, const lsc_params *p, int n, lsc_error *err)     \
    {                                                                                     \
        return sgd_init_common(state, p, n, &(map), err);                                 \
    }

SGD_ENTRY_POINTS(gd, gd_map)
SGD_ENTRY_POINTS(sgd, sgd_map)
SGD_ENTRY_POINTS(momentum, momentum_map)
SGD_ENTRY_POINTS(nesterov, nesterov_map)

/* ---- descriptors ----------------------------------------------------------------- */

#define ROW_LR {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN, "learning rate γ", NULL}
#define ROW_WD {"weight_decay", LSC_PARAM_REAL, 0, 0, 1e6, 0, "L2 penalty λ: g ← g + λθ", NULL}
#define ROW_DAMP                                                                          \
    {"dampening", LSC_PARAM_REAL, 0, 0, 1, 0, "τ: b ← μb + (1 − τ)g after the first step", \
     NULL}
#define ROW_MOM(def, flags)                                                               \
    {"momentum", LSC_PARAM_REAL, def, 0, 10, (flags), "momentum factor μ", NULL}

static const lsc_param_desc gd_params[] = {[GD_LR] = ROW_LR, [GD_WD] = ROW_WD};
static const lsc_param_desc sgd_params[] = {
    [SGD_LR] = ROW_LR,
    [SGD_MOM] = ROW_MOM(0, 0),
    [SGD_DAMP] = ROW_DAMP,
    [SGD_WD] = ROW_WD,
    [SGD_NAG] = {"nesterov", LSC_PARAM_BOOL, 0, 0, 1, 0,
                 "Nesterov momentum: g ← g + μb (needs momentum > 0, dampening = 0)", NULL},
};
static const lsc_param_desc momentum_params[] = {
    [HB_LR] = ROW_LR,
    [HB_MOM] = ROW_MOM(0.9, 0),
    [HB_DAMP] = ROW_DAMP,
    [HB_WD] = ROW_WD,
};
static const lsc_param_desc nesterov_params[] = {
    [NAG_LR] = ROW_LR,
    [NAG_MOM] = ROW_MOM(0.9, LSC_LO_OPEN),
    [NAG_WD] = ROW_WD,
};

const lsc_optim_type lsc_optim_gd = {
    .name = "gd",
    .summary = "plain gradient descent θ ← θ − γ∇f (torch.optim.SGD without momentum)",
    .citation = "Cauchy 1847; torch.optim.SGD",
    .formula = gd_formula,
    .pytorch = "torch.optim.SGD(params, lr={lr}, weight_decay={weight_decay})",
    .params = gd_params,
    .nparams = LSC_COUNTOF(gd_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = gd_state_size,
    .init = gd_init,
    .step = sgd_step,
};

const lsc_optim_type lsc_optim_sgd = {
    .name = "sgd",
    .summary = "SGD with optional momentum, dampening, weight decay, Nesterov",
    .citation = "torch.optim.SGD; Polyak 1964; Sutskever et al., ICML 2013",
    .formula = sgd_formula,
    .pytorch = "torch.optim.SGD(params, lr={lr}, momentum={momentum}, "
               "dampening={dampening}, weight_decay={weight_decay}, nesterov={nesterov})",
    .params = sgd_params,
    .nparams = LSC_COUNTOF(sgd_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = sgd_state_size,
    .init = sgd_init,
    .step = sgd_step,
};

const lsc_optim_type lsc_optim_momentum = {
    .name = "momentum",
    .summary = "heavy-ball momentum: SGD with momentum=0.9",
    .citation = "Polyak, USSR Comput. Math. Math. Phys. 4(5), 1964; torch.optim.SGD",
    .formula = momentum_formula,
    .pytorch = "torch.optim.SGD(params, lr={lr}, momentum={momentum}, "
               "dampening={dampening}, weight_decay={weight_decay})",
    .params = momentum_params,
    .nparams = LSC_COUNTOF(momentum_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = momentum_state_size,
    .init = momentum_init,
    .step = sgd_step,
};

const lsc_optim_type lsc_optim_nesterov = {
    .name = "nesterov",
    .summary = "Nesterov momentum: SGD with momentum=0.9, nesterov=true",
    .citation = "Sutskever, Martens, Dahl, Hinton, ICML 2013; torch.optim.SGD(nesterov=True)",
    .formula = nesterov_formula,
    .pytorch = "torch.optim.SGD(params, lr={lr}, momentum={momentum}, "
               "weight_decay={weight_decay}, nesterov=True)",
    .params = nesterov_params,
    .nparams = LSC_COUNTOF(nesterov_params),
    .flags = LSC_OPTIM_ELEMENTWISE,
    .state_size = nesterov_state_size,
    .init = nesterov_init,
    .step = sgd_step,
};
