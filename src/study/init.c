/* init.c — `study init`: how initialisation sets the signal's scale at every layer, the
 * theory next to it, and the training runs the literature is known for
 *
 * Part 1, variance (at the start point, no training). For each activation, init scheme and
 * depth D (hidden layers of `width` units, fan-in = fan-out = width, the inputs `width`
 * features too) and each seed s = seed, seed + 1, ...:
 *
 *   forward   z_l = W_l a_{l-1}, a_l = act(z_l), a_0 = x ~ N(0, 1) (m = `examples` inputs):
 *             q_l = mean of z_l^2 over the units and the inputs (the variance: z has mean
 *             0 over the draws of W)
 *   backward  delta_l = act'(z_l) * (W_{l+1}^T delta_{l+1}), delta_D = act'(z_D) * u with u ~
 *             N(0, 1) injected at the top (the back-propagated gradient of a loss whose
 *             gradient at a_D is u; Schoenholz et al. 2017's setting): r_l = mean of delta_l^2
 *
 * Biases are 0 (every scheme but torch leaves them so; the study sets them 0 for torch
 * too). The weights of seed s are drawn by the scheme for the deepest net, as `--init
 * SCHEME --seed s` does (lsc_init_apply with lsc_rng_for_run(s, LSC_INIT_STREAM)), and
 * the net of depth D takes its first D layers: the nets of one seed are nested.
 *
 * Measured factor: the geometric mean of the D - 1 layer-to-layer ratios, q_{l+1}/q_l
 * (forward) and r_l/r_{l+1} (backward), l = 1 .. D - 1, i.e. exp of the mean increment of
 * log variance per layer (the drift of log variance against layer; the input layer is left
 * out since its input is not an activation's output). Per seed one such factor; reported:
 * exp(mean log factor) over the S seeds with the standard error sd(log factor)/sqrt(S)
 * (times the factor, on the factor's scale).
 *
 * Theory. With W_ij of mean 0 and variance Var[W], given layer l, z_{l+1} has variance
 * n Var[W] E[act(z_l)^2] and delta_l has n Var[W] E[act'(z_l)^2] r_{l+1} (Glorot & Bengio
 * 2010; He et al. 2015; Poole et al. 2016; Schoenholz et al. 2017):
 *
 *   linear regime   act(z) ~ act'(0) z: forward factor c n Var[W], backward c' n Var[W] with
 *                   (c, c') = (1, 1) linear, (1/2, 1/2) relu (half the units pass: exact for
 *                   any scale), (1, 1) tanh (only while q is small), sigmoid (-, 1/16): its
 *                   mean act(0) = 1/2 feeds the next layer (no multiplicative factor)
 *   mean field      q_{l+1} = n Var[W] E_{z~N(0,q_l)}[act(z)^2] from q_1 = n Var[W] (inputs of
 *                   variance 1), chi_l = n Var[W] E_{z~N(0,q_l)}[act'(z)^2]: the same geometric
 *                   means of its ratios; for every activation (Poole et al.'s variance map;
 *                   tanh: order for sigma_w^2 < 1, chaos above, with zero biases the boundary
 *                   at sigma_w^2 = n Var[W] = 1)
 *
 * with n Var[W] of each scheme at fan-in = fan-out = n: xavier gain^2, he 2, lecun 1,
 * orthogonal gain^2 (|W a| = gain |a| exactly), torch 1/3 (U[+-1/sqrt n]), normal n std^2,
 * uniform n a^2/3, constant and zeros 0 (a degenerate start: factors '-'). A verdict says
 * "agree" when |log measured - log predicted| <= k SE + 1e-9 (the 1e-9: rounding, for the
 * exact cases like orthogonal linear), k = the two-sided 99 % point of Student's t with
 * S - 1 degrees of freedom (the SE is itself estimated from S seeds), else "disagree".
 *
 * Part 2, training (the pairs the literature is known for), each run full-batch on
 * `train_data` with nets `train_width` wide:
 *   relu-30     30 relu layers, xavier-normal against he-normal (He et al. 2015)
 *   tanh-3/-30  tanh, normal:std=small_std against xavier-normal at depth 3 and at depth 30
 *               (small weights keep tanh near 0 where its slope is 1: true shallow; deep,
 *               the signal shrinks by sqrt(n) small_std a layer)
 *   constant    tanh depth 3, constant:value=constant against xavier-normal: units that
 *               start equal stay equal (max spread of a layer's incoming weights: 0)
 *   linear      linear nets (act=linear) at each of linear_depths, normal:std=linear_std
 *               against orthogonal (Saxe et al. 2014): steps to linear_target
 *
 * Files: init.tsv (factors, theory, verdicts), init-layers.tsv (per layer: the measured
 * variances, geometric means over the seeds, and both theories), init.md,
 * init-variance-ACT-{forward,backward}.png; init-train.tsv, init-curves.tsv,
 * init-train-{relu,tanh,constant,linear}.png. The runs go through lsc_parallel_map: one
 * task per (activation, scheme, depth, seed) and one per training run, each into its own
 * slot; the files are the same bytes for any thread count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "parallel.h"
#include "streams.h"
#include "study_impl.h"

enum {
    P_PART,
    P_ACTS,
    P_SCHEMES,
    P_DEPTHS,
    P_WIDTH,
    P_EXAMPLES,
    P_SEEDS,
    P_SEED,
    P_TRAIN_DATA,
    P_TRAIN_WIDTH,
    P_TRAIN_STEPS,
    P_TARGET_LOSS,
    P_RELU_OPTIMIZER,
    P_TANH_OPTIMIZER,
    P_SMALL_STD,
    P_CONSTANT,
    P_LINEAR_DATA,
    P_LINEAR_DEPTHS,
    P_LINEAR_OPTIMIZER,
    P_LINEAR_STD,
    P_LINEAR_TARGET,
    P_LINEAR_STEPS,
    P_THREADS,
    P_FORMAT,
};

static const lsc_study_opt init_opts[] = {
    [P_PART] = {"part", LSC_STUDY_CHOICE, "all", 0, 0, "all|variance|training",
                "what to run: both parts, the variance at the start, or the training pairs"},
    [P_ACTS] = {"acts", LSC_STUDY_SPECS, "tanh | relu | sigmoid | linear", 0, 0, NULL,
                "activations, separated by '|' (tanh, relu, sigmoid, leaky-relu, linear)"},
    [P_SCHEMES] = {"schemes", LSC_STUDY_SPECS,
                   "xavier-uniform | xavier-normal | he-normal | he-uniform | lecun-normal | "
                   "orthogonal | torch | normal:std=0.01", 0, 0, NULL,
                   "initialisation schemes, separated by '|'"},
    [P_DEPTHS] = {"depths", LSC_STUDY_LIST, "5,10,30,50", 2, 128, NULL,
                  "depths: hidden layers of the variance part"},
    [P_WIDTH] = {"width", LSC_STUDY_INT, "256", 2, 512, NULL,
                 "units a hidden layer (and input features) of the variance part"},
    [P_EXAMPLES] = {"examples", LSC_STUDY_INT, "8", 1, 1024, NULL,
                    "inputs x ~ N(0, 1) pushed through each net"},
    [P_SEEDS] = {"seeds", LSC_STUDY_INT, "4", 2, 100, NULL,
                 "weight draws a configuration (the standard errors come from them)"},
    [P_SEED] = {"seed", LSC_STUDY_INT, "1", 0, 9e15, NULL,
                "the first seed (weights, inputs, the training data and starts)"},
    [P_TRAIN_DATA] = {"train_data", LSC_STUDY_TEXT, "circle:n=100", 0, 0, NULL,
                      "training: the data set of the relu, tanh and constant pairs"},
    [P_TRAIN_WIDTH] = {"train_width", LSC_STUDY_INT, "16", 1, 512, NULL,
                       "training: units a hidden layer"},
    [P_TRAIN_STEPS] = {"train_steps", LSC_STUDY_INT, "600", 1, 1000000, NULL,
                       "training: full-batch steps of the relu, tanh and constant pairs"},
    [P_TARGET_LOSS] = {"target_loss", LSC_STUDY_REAL, "0.1", 0, 1e300, NULL,
                       "training: the loss whose first recorded crossing is 'steps to target'"},
    [P_RELU_OPTIMIZER] = {"relu_optimizer", LSC_STUDY_TEXT, "sgd:lr=0.05", 0, 0, NULL,
                          "training: the optimizer of the relu pair"},
    [P_TANH_OPTIMIZER] = {"tanh_optimizer", LSC_STUDY_TEXT, "adam:lr=0.002", 0, 0, NULL,
                          "training: the optimizer of the tanh and constant pairs"},
    [P_SMALL_STD] = {"small_std", LSC_STUDY_REAL, "0.01", 0, 1e6, NULL,
                     "training: the std of the tanh pair's small weights"},
    [P_CONSTANT] = {"constant", LSC_STUDY_REAL, "0.1", -1e6, 1e6, NULL,
                    "training: every weight of the constant start"},
    [P_LINEAR_DATA] = {"linear_data", LSC_STUDY_TEXT, "linear:n=100,features=4,noise=0", 0, 0,
                       NULL, "training: the data set of the deep linear nets"},
    [P_LINEAR_DEPTHS] = {"linear_depths", LSC_STUDY_LIST, "2,4,8,16,32", 1, 128, NULL,
                         "training: hidden layers of the deep linear nets"},
    [P_LINEAR_OPTIMIZER] = {"linear_optimizer", LSC_STUDY_TEXT, "sgd:lr=0.01", 0, 0, NULL,
                            "training: the optimizer of the deep linear nets"},
    [P_LINEAR_STD] = {"linear_std", LSC_STUDY_REAL, "0.1", 0, 1e6, NULL,
                      "training: the std of the deep linear nets' small Gaussian start"},
    [P_LINEAR_TARGET] = {"linear_target", LSC_STUDY_REAL, "0.01", 0, 1e300, NULL,
                         "training: the deep linear nets' target loss"},
    [P_LINEAR_STEPS] = {"linear_steps", LSC_STUDY_INT, "600", 1, 1000000, NULL,
                        "training: full-batch steps of the deep linear nets"},
    [P_THREADS] = LSC_STUDY_THREADS_OPT,
    [P_FORMAT] = {"format", LSC_STUDY_CHOICE, "png", 0, 0, "png|svg|pdf",
                  "image format of the figures"},
};

#define MAX_ACTS 8
#define MAX_LAYERS LSC_MODEL_MAX_LAYERS
#define X_STREAM 0x696e7075ULL     /* "inpu": the inputs x of a seed (src/streams.h) */
#define U_STREAM 0x67726164ULL     /* "grad": the gradient injected at the top */
#define TRAIN_ROWS 201             /* recorded rows of a training run (the start included) */
#define AGREE_LEVEL 0.995          /* two-sided 99 % */
#define ROUNDING 1e-9              /* |log ratio| below which measured = predicted exactly */

static const char *const act_names[] = {"tanh", "relu", "sigmoid", "leaky-relu", "linear"};

/* ---- the activations and the theory ----------------------------------------------------- */

static double act_f(lsc_act a, double z)
{
    switch (a) {
    case LSC_ACT_TANH: return tanh(z);
    case LSC_ACT_RELU: return z > 0 ? z : 0;
    case LSC_ACT_SIGMOID: return 1 / (1 + exp(-z));
    case LSC_ACT_LEAKY_RELU: return z > 0 ? z : LSC_LEAKY_SLOPE * z;
    case LSC_ACT_LINEAR: break;
    }
    return z;
}

static double act_d(lsc_act a, double z)
{
    switch (a) {
    case LSC_ACT_TANH: { double t = tanh(z); return 1 - t * t; }
    case LSC_ACT_RELU: return z > 0 ? 1 : 0;
    case LSC_ACT_SIGMOID: { double s = 1 / (1 + exp(-z)); return s * (1 - s); }
    case LSC_ACT_LEAKY_RELU: return z > 0 ? 1 : LSC_LEAKY_SLOPE;
    case LSC_ACT_LINEAR: break;
    }
    return 1;
}

/* E[h(z)^2], z ~ N(0, q), h = act (deriv 0) or act' (1): the trapezoid rule on
 * z = sqrt(q) u, u in [-10, 10] at 4001 points (the Gaussian tail beyond 10 is 1e-23; a
 * relu kink sits on the grid point u = 0, so the rule is exact there to O(h^2)). */
static double gauss_mean_sq(lsc_act a, double q, int deriv)
{
    enum { K = 2000 };
    const double h = 10.0 / K, s = sqrt(q);
    double sum = 0;
    for (int k = -K; k <= K; k++) {
        const double u = k * h, w = (k == -K || k == K) ? 0.5 : 1;
        const double v = deriv ? act_d(a, s * u) : act_f(a, s * u);
        sum += w * v * v * exp(-0.5 * u * u);
    }
    return sum * h / sqrt(2 * 3.14159265358979323846);
}

/* n Var[W] of scheme I at fan-in = fan-out = n (see the top of the file); NaN when a
 * scheme has no variance formula here. */
static double scheme_nvar(const lsc_init_scheme *I, int n)
{
    const char *s = I->type->name;
    const double p = I->params.n > 0 ? I->params.v[0] : NAN;
    if (!strcmp(s, "xavier-uniform") || !strcmp(s, "xavier-normal") || !strcmp(s, "orthogonal"))
        return p * p;
    if (!strcmp(s, "he-normal") || !strcmp(s, "he-uniform"))
        return 2;
    if (!strcmp(s, "lecun-normal"))
        return 1;
    if (!strcmp(s, "torch"))
        return 1.0 / 3;
    if (!strcmp(s, "normal"))
        return n * p * p;
    if (!strcmp(s, "uniform"))
        return n * p * p / 3;
    return 0; /* zeros, constant: no spread at all */
}

/* The linear-regime factor (forward: dir 0, backward: 1), NaN where there is none. */
static double linear_factor(lsc_act a, int dir, double nvar)
{
    switch (a) {
    case LSC_ACT_RELU: return nvar / 2;
    case LSC_ACT_LEAKY_RELU: return nvar * (1 + LSC_LEAKY_SLOPE * LSC_LEAKY_SLOPE) / 2;
    case LSC_ACT_SIGMOID: return dir ? nvar / 16 : NAN;
    case LSC_ACT_TANH:
    case LSC_ACT_LINEAR: break;
    }
    return nvar;
}

/* The mean-field variances q[0..D) (forward) and r[0..D) (backward, r[D-1] = E[act'^2] at
 * the top, as the injected u has variance 1) of a depth-D net, and its two factors. */
static void mean_field(lsc_act a, double nvar, int D, double *q, double *r, double *ff,
                       double *fb)
{
    q[0] = nvar; /* inputs of variance 1 */
    for (int l = 1; l < D; l++)
        q[l] = nvar * gauss_mean_sq(a, q[l - 1], 0);
    r[D - 1] = gauss_mean_sq(a, q[D - 1], 1);
    for (int l = D - 2; l >= 0; l--)
        r[l] = nvar * gauss_mean_sq(a, q[l], 1) * r[l + 1];
    *ff = pow(q[D - 1] / q[0], 1.0 / (D - 1));
    *fb = pow(r[0] / r[D - 1], 1.0 / (D - 1));
}

/* ---- the study's state ------------------------------------------------------------------ */

/* What one (activation, scheme, depth) measured. */
typedef struct {
    int act, scheme, depth;   /* indices */
    double nvar;
    double lin[2], mf[2];      /* predicted: linear regime, mean field (forward, backward) */
    double meas[2], se[2];     /* exp(mean log factor), its standard error */
    double *q, *r;             /* geometric means over the seeds per layer (depth values) */
    double *qmf, *rmf;         /* the mean-field variances per layer */
} var_row;

/* One training run. */
typedef struct {
    const char *pair;          /* relu-30, tanh-3, tanh-30, constant, linear */
    lsc_act act;
    int depth;
    char init[LSC_VALUE_MAX];
    const char *optimizer, *data;
    long steps;
    int small;                 /* 1: the pair's first member (small, xavier, constant) */
} train_run;

/* A training run's slot. */
typedef struct {
    int nrows;
    long step[TRAIN_ROWS];
    double loss[TRAIN_ROWS];
    double grad0;              /* |grad f| at the start */
    double spread;             /* the largest spread of a hidden unit's incoming weights */
    long to_target;            /* first recorded step at or below the target, -1: never */
    int status;
} train_slot;

typedef struct {
    const lsc_study_args *a;
    lsc_study_out *out;
    int part, threads, width, m, seeds;
    unsigned long long seed;
    int nact;
    lsc_act act[MAX_ACTS];
    int nsch;
    lsc_init_scheme sch[LSC_STUDY_MAX_LIST];
    char sch_text[LSC_STUDY_MAX_LIST][LSC_VALUE_MAX];
    int ndep, dmax;
    int dep[LSC_STUDY_MAX_LIST];
    /* the variance part */
    var_row *row;
    int nrows;
    double kcrit;              /* the t quantile of the verdicts */
    /* the training part */
    train_run run[2 * LSC_STUDY_MAX_LIST + 8];
    train_slot *slot;
    int nruns;
} init_ctx;

/* ---- options ---------------------------------------------------------------------------- */

static int parse_acts(init_ctx *c, const char *text, lsc_error *err)
{
    const int n = lsc_study_item(text, 0, NULL, 0);
    c->nact = 0;
    for (int i = 0; i < n; i++) {
        char p[LSC_VALUE_MAX];
        lsc_study_item(text, i, p, sizeof p);
        int k = -1;
        for (int j = 0; j < (int)LSC_COUNTOF(act_names); j++)
            if (!strcmp(p, act_names[j]))
                k = j;
        if (k < 0 || c->nact == MAX_ACTS) {
            lsc_error_set(err, LSC_EINVAL, k < 0 ? "acts: '%s' is not an activation (allowed: "
                          "tanh, relu, sigmoid, leaky-relu, linear, separated by '|')"
                          : "acts: '%s' is one too many (at most %d)", p, MAX_ACTS);
            return LSC_EINVAL;
        }
        c->act[c->nact++] = (lsc_act)k;
    }
    return LSC_OK;
}

static int parse_schemes(init_ctx *c, const char *text, lsc_error *err)
{
    const int n = lsc_study_item(text, 0, NULL, 0);
    c->nsch = 0;
    for (int i = 0; i < n; i++) {
        char p[LSC_VALUE_MAX];
        lsc_study_item(text, i, p, sizeof p);
        if (c->nsch == LSC_STUDY_MAX_LIST) {
            lsc_error_set(err, LSC_EINVAL, "schemes: at most %d", LSC_STUDY_MAX_LIST);
            return LSC_EINVAL;
        }
        if (lsc_init_parse(&c->sch[c->nsch], p, "schemes", err) != LSC_OK)
            return LSC_EINVAL;
        lsc_init_describe(&c->sch[c->nsch], c->sch_text[c->nsch], LSC_VALUE_MAX);
        c->nsch++;
    }
    return LSC_OK;
}

/* The whole numbers of LIST option k into out; "KEY: 'V' is not a whole number". */
static int whole_list(const lsc_study_args *a, int k, int *out, int *n, lsc_error *err)
{
    *n = a->nlist[k];
    for (int i = 0; i < *n; i++) {
        const double v = a->list[k][i];
        if (v != floor(v)) {
            lsc_error_set(err, LSC_EINVAL, "%s: '%g' is not allowed (expected whole numbers "
                          "from %g to %g separated by ',')", a->type->opts[k].name, v,
                          a->type->opts[k].lo, a->type->opts[k].hi);
            return LSC_EINVAL;
        }
        out[i] = (int)v;
    }
    return LSC_OK;
}

/* Open a model over a data spec once, to check both (and the optimizer) before any work. */
static int check_model(const char *landscape, const char *data, const char *init,
                       const char *optimizer, const char *data_key, const char *opt_key,
                       unsigned long long seed, lsc_error *err)
{
    study_model m;
    int rc = study_model_open(&m, landscape, data, init, optimizer, seed, err);
    study_model_close(&m);
    if (rc != LSC_OK) { /* name the study's keys */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        if (!strncmp(msg, "data:", 5))
            lsc_error_set(err, rc, "%s:%.1000s", data_key, msg + 5);
        else if (!strncmp(msg, "optimizer:", 10))
            lsc_error_set(err, rc, "%s:%.1000s", opt_key, msg + 10);
        else if (!strncmp(msg, "landscape:", 10))
            lsc_error_set(err, rc, "%s: the model over it: %.1000s", data_key, msg + 10);
    }
    return rc;
}

/* "mlp:act=ACT,hidden=W;W;...;W" (depth entries) */
static void mlp_spec(char *buf, size_t len, const char *act, int width, int depth)
{
    size_t w = (size_t)snprintf(buf, len, "mlp:act=%s,hidden=%d", act, width);
    for (int l = 1; l < depth && w < len; l++)
        w += (size_t)snprintf(buf + w, len - w, ";%d", width);
}

/* ---- part 1: the variance at the start ---------------------------------------------------- */

typedef struct {
    const init_ctx *c;
    const lsc_landscape *L;    /* the deepest net, for the draws */
    int scheme;
    double *W;                 /* seeds x n: the current scheme's draws */
    const double *X, *U;       /* seeds x m x width */
} var_shared;

typedef struct {
    double q[MAX_LAYERS], r[MAX_LAYERS];
} var_slot;

/* Task: seed i's weights for the current scheme (the slot is its L->n doubles). */
static int draw_task(void *ctx, int i, void *slot, lsc_error *err)
{
    const var_shared *v = ctx;
    gsl_rng *r = lsc_rng_for_run(v->c->seed + (unsigned long long)i, LSC_INIT_STREAM);
    if (!r) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int rc = lsc_init_apply(&v->c->sch[v->scheme], v->L, r, slot, err);
    gsl_rng_free(r);
    return rc;
}

/* Task: (activation, depth, seed) of the current scheme: the forward and the backward pass
 * (see the top of the file) into the slot's q and r. */
static int var_task(void *ctx, int i, void *slot, lsc_error *err)
{
    const var_shared *v = ctx;
    const init_ctx *c = v->c;
    const int s = i % c->seeds, di = (i / c->seeds) % c->ndep, ai = i / (c->seeds * c->ndep);
    const int D = c->dep[di], n = c->width, m = c->m;
    const lsc_act act = c->act[ai];
    const lsc_model *M = lsc_landscape_model(v->L);
    const double *x = v->W + (size_t)s * (size_t)M->n;
    const size_t mn = (size_t)m * (size_t)n;
    double *Z = malloc((size_t)D * mn * sizeof *Z), *A = malloc(2 * mn * sizeof *A);
    var_slot *o = slot;
    if (!Z || !A) {
        free(Z);
        free(A);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for a %d x %d x %d pass", D, m, n);
        return LSC_ENOMEM;
    }
    const double *in = v->X + (size_t)s * mn;
    for (int l = 0; l < D; l++) { /* Z_l = A_{l-1} W_l^T, A_l = act(Z_l) */
        double *z = Z + (size_t)l * mn, ss = 0;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, n, 1.0, in, n,
                    x + M->woff[l], n, 0.0, z, n);
        for (size_t k = 0; k < mn; k++) {
            ss += z[k] * z[k];
            A[k] = act_f(act, z[k]);
        }
        o->q[l] = ss / (double)mn;
        in = A;
    }
    double *g = A, *t = A + mn, ss = 0; /* delta_D = act'(Z_D) u */
    const double *u = v->U + (size_t)s * mn, *zt = Z + (size_t)(D - 1) * mn;
    for (size_t k = 0; k < mn; k++) {
        g[k] = act_d(act, zt[k]) * u[k];
        ss += g[k] * g[k];
    }
    o->r[D - 1] = ss / (double)mn;
    for (int l = D - 2; l >= 0; l--) { /* delta_l = act'(Z_l) (delta_{l+1} W_{l+1}) */
        const double *z = Z + (size_t)l * mn;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, n, 1.0, g, n,
                    x + M->woff[l + 1], n, 0.0, t, n);
        ss = 0;
        for (size_t k = 0; k < mn; k++) {
            t[k] *= act_d(act, z[k]);
            ss += t[k] * t[k];
        }
        o->r[l] = ss / (double)mn;
        double *sw = g;
        g = t;
        t = sw;
    }
    free(Z);
    free(A);
    return LSC_OK;
}

/* The factors of one row from its seeds' slots sl[0..S). */
static void var_summarise(const init_ctx *c, var_row *w, const var_slot *sl)
{
    const int D = w->depth, S = c->seeds;
    double lf[2][100];
    for (int s = 0; s < S; s++) {
        lf[0][s] = log(sl[s].q[D - 1] / sl[s].q[0]) / (D - 1);
        lf[1][s] = log(sl[s].r[0] / sl[s].r[D - 1]) / (D - 1);
    }
    for (int dir = 0; dir < 2; dir++) {
        double mean, sd;
        study_mean_sd(lf[dir], S, &mean, &sd);
        w->meas[dir] = isfinite(mean) ? exp(mean) : NAN;
        w->se[dir] = isfinite(mean) ? w->meas[dir] * sd / sqrt(S) : NAN;
    }
    for (int l = 0; l < D; l++) {
        double sq = 0, sr = 0;
        for (int s = 0; s < S; s++) {
            sq += log(sl[s].q[l]);
            sr += log(sl[s].r[l]);
        }
        w->q[l] = exp(sq / S);
        w->r[l] = exp(sr / S);
    }
}

/* The deepest net (act linear: the draws do not depend on it) over one input of width
 * features, for lsc_init_apply. */
static lsc_landscape *deepest_net(const init_ctx *c, lsc_error *err)
{
    char spec[LSC_VALUE_MAX], data[128];
    mlp_spec(spec, sizeof spec, "linear", c->width, c->dmax);
    snprintf(data, sizeof data, "linear:n=1,features=%d", c->width);
    return lsc_landscape_load_model(spec, 0, data, NULL, 0, c->seed, "width", err);
}

/* Inputs x and the injected u of every seed: N(0, 1) from their own streams. */
static void draw_inputs(const init_ctx *c, double *X, double *U)
{
    const size_t mn = (size_t)c->m * (size_t)c->width;
    for (int s = 0; s < c->seeds; s++) {
        gsl_rng *rx = lsc_rng_for_run(c->seed + (unsigned long long)s, X_STREAM);
        gsl_rng *ru = lsc_rng_for_run(c->seed + (unsigned long long)s, U_STREAM);
        for (size_t k = 0; k < mn; k++) {
            X[(size_t)s * mn + k] = rx ? gsl_ran_gaussian_ziggurat(rx, 1.0) : 0;
            U[(size_t)s * mn + k] = ru ? gsl_ran_gaussian_ziggurat(ru, 1.0) : 0;
        }
        gsl_rng_free(rx);
        gsl_rng_free(ru);
    }
}

/* Theory and memory for every row (scheme-major: row (sch, act, depth)). */
static int var_rows(init_ctx *c, lsc_error *err)
{
    c->nrows = c->nsch * c->nact * c->ndep;
    if (!(c->row = calloc((size_t)c->nrows, sizeof *c->row)))
        goto nomem;
    for (int k = 0; k < c->nrows; k++) {
        var_row *w = &c->row[k];
        w->scheme = k / (c->nact * c->ndep);
        w->act = (k / c->ndep) % c->nact;
        w->depth = c->dep[k % c->ndep];
        const size_t D = (size_t)w->depth;
        if (!(w->q = malloc(4 * D * sizeof *w->q)))
            goto nomem;
        w->r = w->q + D, w->qmf = w->q + 2 * D, w->rmf = w->q + 3 * D;
        const lsc_act a = c->act[w->act];
        w->nvar = scheme_nvar(&c->sch[w->scheme], c->width);
        w->lin[0] = linear_factor(a, 0, w->nvar);
        w->lin[1] = linear_factor(a, 1, w->nvar);
        if (w->nvar > 0)
            mean_field(a, w->nvar, w->depth, w->qmf, w->rmf, &w->mf[0], &w->mf[1]);
        else
            w->mf[0] = w->mf[1] = NAN;
    }
    return LSC_OK;
nomem:
    lsc_error_set(err, LSC_ENOMEM, "out of memory");
    return LSC_ENOMEM;
}

static int var_measure(init_ctx *c, lsc_error *err)
{
    int rc = var_rows(c, err);
    if (rc != LSC_OK)
        return rc;
    lsc_landscape *L = deepest_net(c, err);
    if (!L)
        return err->code ? err->code : LSC_EINVAL;
    const lsc_model *M = lsc_landscape_model(L);
    const size_t mn = (size_t)c->m * (size_t)c->width, S = (size_t)c->seeds;
    const int ntask = c->nact * c->ndep * c->seeds;
    var_shared v = {.c = c, .L = L};
    double *X = malloc(2 * S * mn * sizeof *X);
    var_slot *sl = malloc((size_t)ntask * sizeof *sl);
    v.W = malloc(S * (size_t)M->n * sizeof *v.W);
    if (!X || !sl || !v.W) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for %d draws of %d parameters",
                      c->seeds, M->n);
        rc = LSC_ENOMEM;
    }
    if (rc == LSC_OK) {
        draw_inputs(c, X, X + S * mn);
        v.X = X, v.U = X + S * mn;
    }
    for (int k = 0; k < c->nsch && rc == LSC_OK; k++) {
        lsc_study_say(c->out, "variance: %s", c->sch_text[k]);
        v.scheme = k;
        rc = lsc_parallel_map(c->seeds, v.W, (size_t)M->n * sizeof *v.W, c->threads,
                              draw_task, &v, err);
        if (rc == LSC_OK)
            rc = lsc_parallel_map(ntask, sl, sizeof *sl, c->threads, var_task, &v, err);
        for (int j = 0; rc == LSC_OK && j < c->nact * c->ndep; j++)
            var_summarise(c, &c->row[k * c->nact * c->ndep + j], sl + (size_t)j * S);
    }
    free(X);
    free(sl);
    free(v.W);
    lsc_landscape_free(L);
    return rc;
}

/* ---- part 1: files ------------------------------------------------------------------------ */

static const char *const dir_name[2] = {"forward", "backward"};

/* "agree", "disagree" or "-" (nothing to compare) and the distance in standard errors. */
static const char *verdict(const init_ctx *c, double meas, double se, double pred, double *z)
{
    *z = NAN;
    if (!(meas > 0) || !(pred > 0) || !isfinite(meas) || !isfinite(se))
        return "-";
    const double d = fabs(log(meas / pred)), sl = se / meas;
    *z = sl > 0 ? d / sl : (d <= ROUNDING ? 0 : INFINITY);
    return d <= c->kcrit * sl + ROUNDING ? "agree" : "disagree";
}

/* Where the linear regime is not the whole story (the Markdown's notes, a TSV column). */
static const char *regime(const init_ctx *c, const var_row *w, int dir)
{
    const lsc_act a = c->act[w->act];
    if (w->nvar <= 0)
        return "degenerate start";
    if (a == LSC_ACT_SIGMOID && dir == 0)
        return "mean shift: sigmoid(0) = 1/2";
    if ((a == LSC_ACT_TANH || a == LSC_ACT_SIGMOID) && w->qmf[0] > 0.01)
        return a == LSC_ACT_TANH ? "saturating: q not small" : "act' below act'(0)";
    return "linear";
}

static void write_var_tsv(const init_ctx *c, FILE *fp)
{
    char b[8][32];
    fputs("act\tscheme\tdepth\tdirection\tnvar\tpredicted_linear\tregime\tpredicted_meanfield"
          "\tmeasured\tse\tz_linear\tverdict_linear\tz_meanfield\tverdict_meanfield\n", fp);
    for (int k = 0; k < c->nrows; k++)
        for (int dir = 0; dir < 2; dir++) {
            const var_row *w = &c->row[k];
            double zl, zm;
            const char *vl = verdict(c, w->meas[dir], w->se[dir], w->lin[dir], &zl);
            const char *vm = verdict(c, w->meas[dir], w->se[dir], w->mf[dir], &zm);
            fprintf(fp, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                    act_names[c->act[w->act]], c->sch_text[w->scheme], w->depth, dir_name[dir],
                    study_num(w->nvar, b[0], 32), study_num(w->lin[dir], b[1], 32),
                    regime(c, w, dir), study_num(w->mf[dir], b[2], 32),
                    study_num(w->meas[dir], b[3], 32), study_num(w->se[dir], b[4], 32),
                    study_num(zl, b[5], 32), vl, study_num(zm, b[6], 32), vm);
        }
}

static void write_layers_tsv(const init_ctx *c, FILE *fp)
{
    char b[6][32];
    fputs("act\tscheme\tdepth\tlayer\tforward\tforward_linear\tforward_meanfield\tbackward"
          "\tbackward_linear\tbackward_meanfield\n", fp);
    for (int k = 0; k < c->nrows; k++) {
        const var_row *w = &c->row[k];
        for (int l = 0; l < w->depth; l++) { /* the linear-regime lines through layer 1 / D */
            const double fl = w->q[0] * pow(w->lin[0], l);
            const double bl = w->r[w->depth - 1] * pow(w->lin[1], w->depth - 1 - l);
            fprintf(fp, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", act_names[c->act[w->act]],
                    c->sch_text[w->scheme], w->depth, l + 1, study_num(w->q[l], b[0], 32),
                    study_num(fl, b[1], 32), study_num(w->qmf[l], b[2], 32),
                    study_num(w->r[l], b[3], 32), study_num(bl, b[4], 32),
                    study_num(w->rmf[l], b[5], 32));
        }
    }
}

/* "0.5012 ± 0.0031" */
static const char *pm(double v, double se, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.4g ± %.2g", v, se);
    return buf;
}

static void md_var(const init_ctx *c, FILE *fp)
{
    fprintf(fp, "## The variance at the start\n\nNets of width %d (the inputs %d features "
            "too), %d inputs x ~ N(0, 1) a net, %d weight draws (seeds %llu to %llu) a "
            "configuration; biases 0. Factor: the geometric mean of the layer-to-layer ratios "
            "of the variance (forward: of the pre-activations, layer 1 to D; backward: of the "
            "back-propagated gradient, D down to 1), ± its standard error over the seeds. "
            "Predicted: c·n·Var[W] in the linear regime (c = 1 linear and tanh, 1/2 relu; "
            "backward 1/16 sigmoid) and the mean-field variance map (Poole et al. 2016, "
            "Schoenholz et al. 2017). Verdict: agree when within %.2f standard errors (Student's "
            "t, %d degrees of freedom, two-sided 99 %%), else disagree.\n\n", c->width, c->width,
            c->m, c->seeds, c->seed, c->seed + (unsigned long long)c->seeds - 1, c->kcrit,
            c->seeds - 1);
    for (int ai = 0; ai < c->nact; ai++) {
        fprintf(fp, "### %s\n\n| scheme | depth | n·Var[W] | forward: linear | mean field | "
                "measured | verdict (linear, mean field) | backward: linear | mean field | "
                "measured | verdict (linear, mean field) |\n|---|---|---|---|---|---|---|---|---|"
                "---|---|\n", act_names[c->act[ai]]);
        for (int k = 0; k < c->nrows; k++) {
            const var_row *w = &c->row[k];
            if (w->act != ai)
                continue;
            char b[8][48];
            fprintf(fp, "| %s | %d | %s |", c->sch_text[w->scheme], w->depth,
                    study_num(w->nvar, b[0], 48));
            for (int dir = 0; dir < 2; dir++) {
                double z;
                const char *vl = verdict(c, w->meas[dir], w->se[dir], w->lin[dir], &z);
                const char *vm = verdict(c, w->meas[dir], w->se[dir], w->mf[dir], &z);
                fprintf(fp, " %s | %s | %s | %s, %s |", study_num(w->lin[dir], b[1], 48),
                        study_num(w->mf[dir], b[2], 48),
                        pm(w->meas[dir], w->se[dir], b[3], 48), vl, vm);
            }
            fputc('\n', fp);
        }
        fputc('\n', fp);
    }
}

/* Where the linear-regime prediction does not apply, and what the rows say there. */
static void md_notes(const init_ctx *c, FILE *fp)
{
    int n[2][2] = {{0}}; /* [linear regime or not][agree] over rows with a prediction */
    for (int k = 0; k < c->nrows; k++)
        for (int dir = 0; dir < 2; dir++) {
            const var_row *w = &c->row[k];
            double z;
            const char *v = verdict(c, w->meas[dir], w->se[dir], w->lin[dir], &z);
            if (strcmp(v, "-"))
                n[!strcmp(regime(c, w, dir), "linear")][!strcmp(v, "agree")]++;
        }
    fprintf(fp, "### Where the linear-regime prediction applies\n\n"
            "- Linear units and relu: exactly (relu passes half the units whatever the scale, "
            "so c = 1/2 at any variance). Rows in the linear regime: %d agree, %d disagree.\n"
            "- Sigmoid, forward: does not apply. sigmoid(0) = 1/2, so every unit feeds a mean "
            "into the next layer and the variance goes to a fixed point of the mean-field map "
            "instead of growing or shrinking by a factor (no linear prediction: '-').\n"
            "- Sigmoid, backward: sigmoid'(z) ≤ 1/4 with equality only at 0, so the linear "
            "1/16·n·Var[W] is an upper bound; the mean-field column averages sigmoid'(z)² over "
            "the layer's spread.\n"
            "- Tanh: only while the pre-activations are small (q ≪ 1, e.g. normal:std=0.01). At "
            "n·Var[W] = 1 (Xavier) tanh saturates: q starts at 1, E[tanh(z)²] < q, and the "
            "variance decays towards 0 slowly (σ_w² = 1 is the order/chaos boundary), so the "
            "measured factor is below 1 and depends on the depth; the mean-field column "
            "follows it. Outside the linear regime: %d rows agree with the linear prediction, "
            "%d disagree.\n"
            "- Finite width: both predictions are for the mean ratio at infinite width. The "
            "geometric mean of the ratios sits below them by about half a ratio's relative "
            "variance a layer (E log r < log E r: ~1/n for linear units with one input, "
            "~1.4/n for relu at width n = %d), which a verdict can resolve where the standard "
            "error is smallest.\n\n", n[1][1], n[1][0], n[0][1], n[0][0], c->width);
}

static const char *fig_ext(const init_ctx *c)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    return ext[(int)c->a->num[P_FORMAT]];
}

/* Per-layer variance of one activation at the deepest depth, one direction: each scheme's
 * measured points, its mean-field line (solid) and its linear-regime line (dashed). */
static int fig_variance(init_ctx *c, int ai, int dir, lsc_error *err)
{
    enum { NS = 3 * LSC_STUDY_MAX_LIST };
    static lsc_plot_series s[NS];
    static char labels[LSC_STUDY_MAX_LIST][160];
    static double xs[MAX_LAYERS], lines[2 * LSC_STUDY_MAX_LIST][MAX_LAYERS];
    int ns = 0;
    size_t w = 0;
    char cap[1400] = "";
    for (int l = 0; l < c->dmax; l++)
        xs[l] = l + 1;
    for (int k = 0; k < c->nrows; k++) {
        const var_row *r = &c->row[k];
        if (r->act != ai || r->depth != c->dmax)
            continue;
        const int col = 1 + r->scheme % 8, D = r->depth;
        const double *y = dir ? r->r : r->q, *ymf = dir ? r->rmf : r->qmf;
        double *lin = lines[2 * r->scheme], *mf = lines[2 * r->scheme + 1];
        for (int l = 0; l < D; l++) {
            lin[l] = dir ? r->r[D - 1] * pow(r->lin[1], D - 1 - l) : r->q[0] * pow(r->lin[0], l);
            mf[l] = ymf[l] * (dir ? r->r[D - 1] / r->rmf[D - 1] : 1); /* backward: to the top */
        }
        char b1[48], b2[32], b3[32];
        snprintf(labels[r->scheme], sizeof labels[0], "%s: %s (linear %s, mean field %s)",
                 c->sch_text[r->scheme], pm(r->meas[dir], r->se[dir], b1, 48),
                 study_num(r->lin[dir], b2, 32), study_num(r->mf[dir], b3, 32));
        s[ns++] = (lsc_plot_series){labels[r->scheme], xs, y, NULL, D, LSC_SERIES_POINTS, col,
                                    0, 0};
        s[ns++] = (lsc_plot_series){NULL, xs, mf, NULL, D, LSC_SERIES_LINES, col, 0, 1};
        if (!isnan(r->lin[dir]))
            s[ns++] = (lsc_plot_series){NULL, xs, lin, NULL, D, LSC_SERIES_LINES, col, 1, 1};
        if (w < sizeof cap)
            w += (size_t)snprintf(cap + w, sizeof cap - w, "%s%s %s (pred. %s)", w ? "; " : "",
                                  c->sch_text[r->scheme], study_num(r->meas[dir], b1, 48),
                                  study_num(r->lin[dir], b2, 32));
    }
    static lsc_plot_opts po;
    char name[96];
    snprintf(name, sizeof name, "init-variance-%s-%s", act_names[c->act[ai]], dir_name[dir]);
    lsc_study_figure(c->out, &po, name, fig_ext(c));
    po.width = 1000, po.height = 700;
    snprintf(po.title, sizeof po.title, "%s, %d layers of %d: variance of the %s per layer",
             act_names[c->act[ai]], c->dmax, c->width,
             dir ? "back-propagated gradient" : "pre-activations");
    snprintf(po.caption, sizeof po.caption, "Points: measured (geometric mean of %d seeds, %d "
             "inputs); solid: mean-field theory; dashed: the linear regime c·n·Var[W] per "
             "layer%s. Factor per layer, measured (predicted, linear regime): %.1200s.",
             c->seeds, c->m, dir ? ", both drawn from the top layer down" : " from layer 1", cap);
    snprintf(po.xlabel, sizeof po.xlabel, "layer");
    snprintf(po.ylabel, sizeof po.ylabel, dir ? "Var[dL/dz_l]" : "Var[z_l]");
    return lsc_plot_render_series(s, ns, 0, 1, &po, err);
}

/* ---- part 2: training ------------------------------------------------------------------- */

static void add_run(init_ctx *c, const char *pair, lsc_act act, int depth, const char *init,
                    int opt_key, int small)
{
    train_run *r = &c->run[c->nruns++];
    const lsc_study_args *a = c->a;
    r->pair = pair, r->act = act, r->depth = depth, r->small = small;
    snprintf(r->init, sizeof r->init, "%s", init);
    r->optimizer = a->text[opt_key];
    const int lin = opt_key == P_LINEAR_OPTIMIZER;
    r->data = a->text[lin ? P_LINEAR_DATA : P_TRAIN_DATA];
    r->steps = (long)a->num[lin ? P_LINEAR_STEPS : P_TRAIN_STEPS];
}

static void plan_runs(init_ctx *c, const int *ldep, int nldep)
{
    char small[64], cst[64], lstd[64];
    snprintf(small, sizeof small, "normal:std=%.15g", c->a->num[P_SMALL_STD]);
    snprintf(cst, sizeof cst, "constant:value=%.15g", c->a->num[P_CONSTANT]);
    snprintf(lstd, sizeof lstd, "normal:std=%.15g", c->a->num[P_LINEAR_STD]);
    c->nruns = 0;
    add_run(c, "relu-30", LSC_ACT_RELU, 30, "xavier-normal", P_RELU_OPTIMIZER, 1);
    add_run(c, "relu-30", LSC_ACT_RELU, 30, "he-normal", P_RELU_OPTIMIZER, 0);
    add_run(c, "tanh-3", LSC_ACT_TANH, 3, small, P_TANH_OPTIMIZER, 1);
    add_run(c, "tanh-3", LSC_ACT_TANH, 3, "xavier-normal", P_TANH_OPTIMIZER, 0);
    add_run(c, "tanh-30", LSC_ACT_TANH, 30, small, P_TANH_OPTIMIZER, 1);
    add_run(c, "tanh-30", LSC_ACT_TANH, 30, "xavier-normal", P_TANH_OPTIMIZER, 0);
    add_run(c, "constant", LSC_ACT_TANH, 3, cst, P_TANH_OPTIMIZER, 1);
    add_run(c, "constant", LSC_ACT_TANH, 3, "xavier-normal", P_TANH_OPTIMIZER, 0);
    for (int k = 0; k < nldep; k++) {
        add_run(c, "linear", LSC_ACT_LINEAR, ldep[k], lstd, P_LINEAR_OPTIMIZER, 1);
        add_run(c, "linear", LSC_ACT_LINEAR, ldep[k], "orthogonal", P_LINEAR_OPTIMIZER, 0);
    }
}

/* The largest spread (max - min over the units) of one incoming weight or bias, over the
 * hidden layers of model M at x: 0 exactly when every hidden unit of every layer has the
 * same incoming weights, bit for bit. */
static double unit_spread(const lsc_model *M, const double *x)
{
    double sp = 0;
    for (int l = 0; l + 1 < M->nlayers; l++) {
        const int out = M->size[l + 1], in = M->size[l];
        for (int j = 0; j <= in; j++) { /* column j of W_l; j = in: the bias */
            double lo = INFINITY, hi = -INFINITY;
            for (int i = 0; i < out; i++) {
                const double v = j < in ? x[M->woff[l] + (size_t)i * (size_t)in + (size_t)j]
                                        : x[M->boff[l] + (size_t)i];
                lo = fmin(lo, v), hi = fmax(hi, v);
            }
            sp = fmax(sp, hi - lo);
        }
    }
    return sp;
}

typedef struct {
    const init_ctx *c;
    double target, ltarget;
} train_shared;

/* Task: training run i into its slot. */
static int train_task(void *ctx, int i, void *slot, lsc_error *err)
{
    const train_shared *t = ctx;
    const train_run *r = &t->c->run[i];
    train_slot *o = slot;
    char spec[LSC_VALUE_MAX];
    mlp_spec(spec, sizeof spec, act_names[r->act], (int)t->c->a->num[P_TRAIN_WIDTH], r->depth);
    study_model m;
    study_rows rows = {0};
    int rc = study_model_open(&m, spec, r->data, r->init, r->optimizer, t->c->seed, err);
    double *g = rc == LSC_OK ? malloc(2 * (size_t)m.n * sizeof *g) : NULL;
    if (rc == LSC_OK && !g) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        rc = LSC_ENOMEM;
    }
    if (rc == LSC_OK) {
        lsc_landscape_fdf(m.L, m.x0, g);
        double s = 0;
        for (int k = 0; k < m.n; k++)
            s += g[k] * g[k];
        o->grad0 = sqrt(s);
        rows.last_x = g + m.n;
        const long every = r->steps / (TRAIN_ROWS - 1) + (r->steps % (TRAIN_ROWS - 1) != 0);
        study_run_opts q = {.batch = 0, .steps = r->steps, .every = every,
                            .seed = t->c->seed, .stop_loss = NAN};
        rc = study_run(&m, &q, NULL, &rows, err);
    }
    if (rc >= 0 && g) {
        o->status = rc;
        rc = LSC_OK;
        const double target = strcmp(r->pair, "linear") ? t->target : t->ltarget;
        o->nrows = (int)(rows.n < TRAIN_ROWS ? rows.n : TRAIN_ROWS);
        o->to_target = -1;
        for (int k = 0; k < o->nrows; k++) {
            o->step[k] = rows.step[k];
            o->loss[k] = rows.loss[k];
            if (o->to_target < 0 && rows.loss[k] <= target)
                o->to_target = rows.step[k];
        }
        o->spread = unit_spread(m.M, g + m.n);
    }
    free(g);
    study_rows_free(&rows);
    study_model_close(&m);
    return rc;
}

static int train_measure(init_ctx *c, lsc_error *err)
{
    if (!(c->slot = malloc((size_t)c->nruns * sizeof *c->slot))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    lsc_study_say(c->out, "training: %d runs", c->nruns);
    train_shared t = {c, c->a->num[P_TARGET_LOSS], c->a->num[P_LINEAR_TARGET]};
    return lsc_parallel_map(c->nruns, c->slot, sizeof *c->slot, c->threads, train_task, &t, err);
}

/* ---- part 2: files --------------------------------------------------------------------- */

static void write_train_tsv(const init_ctx *c, FILE *fp, FILE *curves)
{
    char b[4][32];
    fputs("pair\tact\tdepth\twidth\tinit\toptimizer\tsteps\tgrad_norm_start\tloss_start"
          "\tloss_end\tsteps_to_target\tmax_unit_spread\n", fp);
    fputs("pair\tact\tdepth\tinit\tstep\tloss\n", curves);
    for (int i = 0; i < c->nruns; i++) {
        const train_run *r = &c->run[i];
        const train_slot *o = &c->slot[i];
        char tt[32];
        if (o->to_target >= 0)
            snprintf(tt, sizeof tt, "%ld", o->to_target);
        else
            snprintf(tt, sizeof tt, "-");
        fprintf(fp, "%s\t%s\t%d\t%d\t%s\t%s\t%ld\t%s\t%s\t%s\t%s\t%s\n", r->pair,
                act_names[r->act], r->depth, (int)c->a->num[P_TRAIN_WIDTH], r->init,
                r->optimizer, r->steps, study_num(o->grad0, b[0], 32),
                study_num(o->nrows ? o->loss[0] : NAN, b[1], 32),
                study_num(o->nrows ? o->loss[o->nrows - 1] : NAN, b[2], 32), tt,
                study_num(o->spread, b[3], 32));
        for (int k = 0; k < o->nrows; k++)
            fprintf(curves, "%s\t%s\t%d\t%s\t%ld\t%.17g\n", r->pair, act_names[r->act],
                    r->depth, r->init, o->step[k], o->loss[k]);
    }
}

/* "reached 0.1 at step 120" or "did not reach 0.1 in 600 steps (loss 0.693)" */
static const char *outcome(const train_run *r, const train_slot *o, double target, char *buf,
                           size_t len)
{
    if (o->to_target >= 0)
        snprintf(buf, len, "reached %g at step %ld (loss %.3g at the end)", target,
                 o->to_target, o->loss[o->nrows - 1]);
    else
        snprintf(buf, len, "did not reach %g in %ld steps (loss %.3g at the end)", target,
                 r->steps, o->nrows ? o->loss[o->nrows - 1] : NAN);
    return buf;
}

static void md_train(const init_ctx *c, FILE *fp)
{
    const double T = c->a->num[P_TARGET_LOSS], LT = c->a->num[P_LINEAR_TARGET];
    fprintf(fp, "## Training the pairs\n\nFull-batch runs from seed %llu on %s (deep linear "
            "nets: %s), hidden layers %d wide; steps to target = the first recorded step (every "
            "1/%d of the budget) at or below it.\n\n| pair | act | depth | init | optimizer | "
            "|∇f| at the start | loss at the start | at the end | steps to target | max "
            "spread of a unit's incoming weights |\n|---|---|---|---|---|---|---|---|---|---|\n",
            c->seed, c->a->text[P_TRAIN_DATA], c->a->text[P_LINEAR_DATA],
            (int)c->a->num[P_TRAIN_WIDTH], TRAIN_ROWS - 1);
    for (int i = 0; i < c->nruns; i++) {
        const train_run *r = &c->run[i];
        const train_slot *o = &c->slot[i];
        char b[4][32], tt[32] = "-";
        if (o->to_target >= 0)
            snprintf(tt, sizeof tt, "%ld", o->to_target);
        fprintf(fp, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", r->pair,
                act_names[r->act], r->depth, r->init, r->optimizer, study_num(o->grad0, b[0], 32),
                study_num(o->loss[0], b[1], 32), study_num(o->loss[o->nrows - 1], b[2], 32), tt,
                study_num(o->spread, b[3], 32));
    }
    char o1[160], o2[160];
    fprintf(fp, "\n### Verdicts\n\n");
    for (int i = 0; i + 1 < c->nruns && c->run[i].small; i += 2) {
        const train_run *r = &c->run[i];
        const double t = strcmp(r->pair, "linear") ? T : LT;
        fprintf(fp, "- %s, depth %d: %s %s; %s %s.", r->pair, r->depth, r->init,
                outcome(r, &c->slot[i], t, o1, sizeof o1), c->run[i + 1].init,
                outcome(&c->run[i + 1], &c->slot[i + 1], t, o2, sizeof o2));
        if (!strcmp(r->pair, "constant"))
            fprintf(fp, " Units that start equal %s: the largest spread of a hidden unit's "
                    "incoming weights after training is %.3g (exactly 0: the layer acts as "
                    "one unit).", c->slot[i].spread == 0 ? "stay equal" : "did NOT stay equal",
                    c->slot[i].spread);
        fputc('\n', fp);
    }
    fputc('\n', fp);
}

/* Training curves of one pair (loss against step, log y); linear: steps to target against
 * depth. */
static int fig_train(init_ctx *c, const char *pair, lsc_error *err)
{
    static lsc_plot_series s[2 * LSC_STUDY_MAX_LIST + 8];
    static double xs[2 * LSC_STUDY_MAX_LIST + 8][TRAIN_ROWS];
    static char labels[2 * LSC_STUDY_MAX_LIST + 8][160];
    static double dx[2][LSC_STUDY_MAX_LIST], dy[2][LSC_STUDY_MAX_LIST];
    const int lin = !strcmp(pair, "linear");
    int ns = 0, nd[2] = {0, 0};
    char cap[1200] = "";
    size_t w = 0;
    for (int i = 0; i < c->nruns; i++) {
        const train_run *r = &c->run[i];
        const train_slot *o = &c->slot[i];
        if (strncmp(r->pair, pair, strlen(pair)))
            continue;
        char b[32];
        if (lin) {
            dx[r->small][nd[r->small]] = r->depth;
            dy[r->small][nd[r->small]++] = o->to_target >= 0 ? (double)o->to_target : NAN;
            continue;
        }
        for (int k = 0; k < o->nrows; k++)
            xs[ns][k] = (double)o->step[k];
        snprintf(labels[ns], sizeof labels[0], "%s, depth %d: end %.3g%s%s", r->init, r->depth,
                 o->loss[o->nrows - 1], !strcmp(pair, "constant") ? ", unit spread " : "",
                 !strcmp(pair, "constant") ? study_num(o->spread, b, 32) : "");
        s[ns] = (lsc_plot_series){labels[ns], xs[ns], o->loss, NULL, o->nrows,
                                  LSC_SERIES_LINES, 1 + r->small,
                                  r->depth >= 30 && !strcmp(pair, "tanh"), 0};
        ns++;
        if (w < sizeof cap)
            w += (size_t)snprintf(cap + w, sizeof cap - w, "%s%s (depth %d): |∇f| at the start "
                                  "%s", w ? "; " : "", r->init, r->depth,
                                  study_num(o->grad0, b, 32));
    }
    static lsc_plot_opts po;
    char name[64];
    snprintf(name, sizeof name, "init-train-%s", pair);
    lsc_study_figure(c->out, &po, name, fig_ext(c));
    po.width = 900, po.height = 620;
    if (lin) {
        snprintf(labels[0], sizeof labels[0], "small Gaussian (std %g)",
                 c->a->num[P_LINEAR_STD]);
        s[0] = (lsc_plot_series){labels[0], dx[1], dy[1], NULL, nd[1], LSC_SERIES_POINTS, 2, 0, 0};
        s[1] = (lsc_plot_series){"orthogonal", dx[0], dy[0], NULL, nd[0], LSC_SERIES_POINTS, 1,
                                 0, 0};
        /* the same points joined (a run that missed the target breaks its line) */
        s[2] = (lsc_plot_series){NULL, dx[1], dy[1], NULL, nd[1], LSC_SERIES_LINES, 2, 0, 1};
        s[3] = (lsc_plot_series){NULL, dx[0], dy[0], NULL, nd[0], LSC_SERIES_LINES, 1, 0, 1};
        snprintf(po.title, sizeof po.title, "Deep linear nets: steps to loss %g against depth",
                 c->a->num[P_LINEAR_TARGET]);
        snprintf(po.caption, sizeof po.caption, "%s on %.300s, width %d, %.300s. Saxe et al. 2014: from "
                 "an orthogonal start the learning time does not grow with depth; from a small "
                 "Gaussian one it does. A depth whose run did not reach the target in %d steps "
                 "has no point.", "act=linear", c->a->text[P_LINEAR_DATA],
                 (int)c->a->num[P_TRAIN_WIDTH], c->a->text[P_LINEAR_OPTIMIZER],
                 (int)c->a->num[P_LINEAR_STEPS]);
        snprintf(po.xlabel, sizeof po.xlabel, "hidden layers");
        snprintf(po.ylabel, sizeof po.ylabel, "steps to target");
        return lsc_plot_render_series(s, 4, 1, 1, &po, err);
    }
    snprintf(po.title, sizeof po.title, "%s", !strcmp(pair, "relu")
             ? "30 relu layers: Xavier against He (He et al. 2015)"
             : !strcmp(pair, "tanh") ? "tanh: small weights against Xavier, 3 and 30 layers"
                                     : "A constant start: units that start equal stay equal");
    snprintf(po.caption, sizeof po.caption, "Full-batch loss on %.300s, width %d, %.300s. %.900s.",
             c->a->text[P_TRAIN_DATA], (int)c->a->num[P_TRAIN_WIDTH],
             c->a->text[!strcmp(pair, "relu") ? P_RELU_OPTIMIZER : P_TANH_OPTIMIZER], cap);
    snprintf(po.xlabel, sizeof po.xlabel, "step");
    snprintf(po.ylabel, sizeof po.ylabel, "loss");
    return lsc_plot_render_series(s, ns, 0, 1, &po, err);
}

/* ---- the study ---------------------------------------------------------------------------- */

static void init_free(init_ctx *c)
{
    for (int k = 0; k < c->nrows; k++)
        free(c->row[k].q);
    free(c->row);
    free(c->slot);
}

/* Every option checked before any long work. */
static int init_setup(init_ctx *c, const lsc_study_args *a, lsc_error *err)
{
    c->part = (int)a->num[P_PART];
    c->threads = (int)a->num[P_THREADS];
    c->width = (int)a->num[P_WIDTH];
    c->m = (int)a->num[P_EXAMPLES];
    c->seeds = (int)a->num[P_SEEDS];
    c->seed = (unsigned long long)a->num[P_SEED];
    c->kcrit = gsl_cdf_tdist_Pinv(AGREE_LEVEL, c->seeds - 1);
    int rc = parse_acts(c, a->text[P_ACTS], err);
    if (rc == LSC_OK)
        rc = parse_schemes(c, a->text[P_SCHEMES], err);
    if (rc == LSC_OK)
        rc = whole_list(a, P_DEPTHS, c->dep, &c->ndep, err);
    c->dmax = 0;
    for (int k = 0; k < c->ndep; k++)
        c->dmax = c->dep[k] > c->dmax ? c->dep[k] : c->dmax;
    int ldep[LSC_STUDY_MAX_LIST], nldep = 0;
    if (rc == LSC_OK)
        rc = whole_list(a, P_LINEAR_DEPTHS, ldep, &nldep, err);
    if (rc == LSC_OK && c->part != 1) { /* the training part's specs */
        rc = check_model("mlp:hidden=2", a->text[P_TRAIN_DATA], "zeros",
                         a->text[P_RELU_OPTIMIZER], "train_data", "relu_optimizer", c->seed, err);
        if (rc == LSC_OK)
            rc = check_model("mlp:hidden=2", a->text[P_TRAIN_DATA], "zeros",
                             a->text[P_TANH_OPTIMIZER], "train_data", "tanh_optimizer", c->seed,
                             err);
        if (rc == LSC_OK)
            rc = check_model("mlp:hidden=2,act=linear", a->text[P_LINEAR_DATA], "zeros",
                             a->text[P_LINEAR_OPTIMIZER], "linear_data", "linear_optimizer",
                             c->seed, err);
    }
    if (rc == LSC_OK)
        plan_runs(c, ldep, nldep);
    return rc;
}

static int init_variance(init_ctx *c, FILE *md, lsc_error *err)
{
    FILE *fp = NULL, *fl = NULL;
    int rc = var_measure(c, err);
    if (rc == LSC_OK && !(fp = lsc_study_file(c->out, "init.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK && !(fl = lsc_study_file(c->out, "init-layers.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK) {
        write_var_tsv(c, fp);
        write_layers_tsv(c, fl);
        md_var(c, md);
        md_notes(c, md);
        lsc_study_say(c->out, "figures");
    }
    for (int ai = 0; ai < c->nact && rc == LSC_OK; ai++)
        for (int dir = 0; dir < 2 && rc == LSC_OK; dir++)
            rc = fig_variance(c, ai, dir, err);
    return rc;
}

static int init_training(init_ctx *c, FILE *md, lsc_error *err)
{
    FILE *fp = NULL, *fc = NULL;
    int rc = train_measure(c, err);
    if (rc == LSC_OK && !(fp = lsc_study_file(c->out, "init-train.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK && !(fc = lsc_study_file(c->out, "init-curves.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK) {
        write_train_tsv(c, fp, fc);
        md_train(c, md);
    }
    static const char *const pairs[] = {"relu", "tanh", "constant", "linear"};
    for (int k = 0; k < (int)LSC_COUNTOF(pairs) && rc == LSC_OK; k++)
        rc = fig_train(c, pairs[k], err);
    return rc;
}

static int init_run(const lsc_study_args *a, lsc_study_out *out, lsc_error *err)
{
    static init_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    /* the Markdown first: a failure after it (a bad spec) leaves nothing either */
    FILE *md = lsc_study_file(out, "init.md", err);
    int rc = md ? init_setup(&c, a, err) : err->code;
    if (rc == LSC_OK)
        fprintf(md, "# study init: initialisation, the variance per layer and training\n\n");
    if (rc == LSC_OK && c.part != 2)
        rc = init_variance(&c, md, err);
    if (rc == LSC_OK && c.part != 1)
        rc = init_training(&c, md, err);
    init_free(&c);
    return rc;
}

const lsc_study_type lsc_study_init = {
    .name = "init",
    .summary = "initialisation: variance per layer against n Var[W] and mean field; the "
               "training pairs",
    .description =
        "Over activations x init schemes x depths at width 256, at the start: the variance of "
        "the pre-activations and of the back-propagated gradient at every layer, the measured "
        "factor per layer (geometric mean over the layers, standard error over seeds) next to "
        "the linear-regime c n Var[W] and the mean-field prediction, with verdicts; and short "
        "training runs: 30-layer relu under Xavier and He, tanh with small weights and Xavier "
        "at depth 3 and 30, a constant start (units stay equal), deep linear nets from a small "
        "Gaussian and an orthogonal start (steps to a target per depth).",
    .opts = init_opts,
    .nopts = LSC_COUNTOF(init_opts),
    .run = init_run,
};
