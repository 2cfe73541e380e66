/* rnn.c — a vanilla tanh RNN unrolled over T steps on a generated recall task: where
 * gradients vanish or explode through time (Pascanu et al.'s condition on W_rec)
 *
 * The task. N sequences (sequences=, default 64) of T inputs (steps=, default 20),
 * x_{i,t} ~ U(-1, 1); the target of sequence i is one of its inputs, y_i = x_{i,k}
 * (recall = k, default 1: the first). Recalling the first input after T steps needs the
 * gradient to cross all T steps; recall = T asks only for the last input (depth 1). The
 * inputs are drawn in order (sequence by sequence, t = 1..T) by gsl_rng_uniform from the
 * generator lsc_rng_for_run(seed, RNN_DATA_STREAM) (streams.h; seed=, default 1), so
 * tests/ref/gen_depth.py rebuilds them exactly.
 *
 * The network, nn.RNN(1, H, nonlinearity='tanh') with one bias, then nn.Linear(H, 1),
 * hidden = H (default 8):
 *
 *     h_0 = 0,   h_t = tanh(W_rec h_{t-1} + w_in x_t + b)   (t = 1..T),   z = w_out . h_T + c
 *     f = (1/N) sum_i (z_i - y_i)^2                                        (nn.MSELoss)
 *
 * Parameters, n = H^2 + 3H + 1, in the order of nn.RNN's and nn.Linear's parameters():
 * w_in (H; weight_ih_l0), W_rec (H x H, row-major; weight_hh_l0), b (H; bias_ih_l0, with
 * bias_hh_l0 = 0), w_out (H), c.
 *
 * Gradient by back-propagation through time: with r_i = z_i - y_i,
 *     df/dh_T = (2 r_i / N) w_out,   dz_t = df/dh_t * (1 - h_t^2)   (* elementwise)
 *     df/dW_rec += dz_t h_{t-1}^T,   df/dw_in += dz_t x_t,   df/db += dz_t,
 *     df/dh_{t-1} = W_rec^T dz_t.
 * Since |tanh'| <= 1, |df/dh_{t-1}| <= sigma_max(W_rec) |df/dh_t|: when the largest
 * singular value of W_rec is below 1 the gradient reaching back k steps shrinks at least
 * like sigma_max^k (vanishing), and it can grow (explode) only if the spectral radius
 * exceeds 1 (R. Pascanu, T. Mikolov, Y. Bengio, On the difficulty of training recurrent
 * neural networks, ICML 2013, sec. 2.1; Bengio, Simard & Frasconi 1994). With w_in = 0 and
 * b = 0 every h_t is 0, tanh' = 1, and |df/dh_t| = rho^{T-t} |df/dh_T| exactly for
 * W_rec = rho Q, Q orthogonal (rho I included). lsc_rnn_hidden_grad_norms (landscape_depth.h) gives
 * |df/dh_t| for t = 0..T.
 *
 * Standard starts k = 0..5: W_rec = rho_k I with rho = 0.5, 0.9, 1, 1.1, 1.5, 2 (every
 * singular value and every eigenvalue of W_rec is rho: the condition made exact; rho = 1 is
 * the IRNN of Le, Jaitly & Hinton 2015), w_in ~ U(-1, 1), w_out ~ U(-1/sqrt(H), 1/sqrt(H)),
 * b = 0, c = 0, drawn from lsc_rng_for_run(seed, RNN_START_STREAM) — only rho differs
 * between the starts.
 * The box: rnn_box; the critical point: rnn_critical (the origin of the weights). No Hessian
 * (newton and sfn refuse it). f, fdf and the norms use
 * work space kept in the landscape's state: evaluate one rnn landscape from one thread at
 * a time (like the models of model.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "landscape_depth.h"
#include "streams.h"

#define RNN_DATA_STREAM 0x726e6e64ULL  /* "rnnd": the sequences */
#define RNN_START_STREAM 0x726e6e73ULL /* "rnns": the standard starts */
#define RNN_MAX_HIDDEN 256
#define RNN_MAX_STEPS 1000
#define RNN_MAX_SEQUENCES 10000

enum { P_HIDDEN, P_STEPS, P_RECALL, P_SEQUENCES, P_SEED };

static const lsc_param_desc rnn_params[] = {
    [P_HIDDEN] = {"hidden", LSC_PARAM_INT, 8, 1, RNN_MAX_HIDDEN, 0, "hidden units H", NULL},
    [P_STEPS] = {"steps", LSC_PARAM_INT, 20, 1, RNN_MAX_STEPS, 0,
                 "time steps T the network is unrolled over", NULL},
    [P_RECALL] = {"recall", LSC_PARAM_INT, 1, 1, RNN_MAX_STEPS, 0,
                  "the input to recall: target y = x_recall (1: the first, steps: the last)",
                  NULL},
    [P_SEQUENCES] = {"sequences", LSC_PARAM_INT, 64, 1, RNN_MAX_SEQUENCES, 0,
                     "number N of training sequences", NULL},
    [P_SEED] = {"seed", LSC_PARAM_INT, 1, 0, 4294967295.0, 0,
                "seed of the generated sequences and of the standard starts", NULL},
};

static const double start_radius[] = {0.5, 0.9, 1.0, 1.1, 1.5, 2.0};

typedef struct {
    int H, T, N, recall;
    unsigned long long seed;
    double ybar, a; /* the critical point's c, and its Hessian's w_out-w_in entry */
    double *X;      /* N x T inputs */
    double *Y;      /* N targets */
    double *hs;     /* (T + 1) x H: one sequence's states (work) */
    double *d, *dz; /* H each: df/dh_t and df/dz_t (work) */
    double mem[];   /* X, Y, hs, d, dz */
} rnn_state;

static long long rnn_n(int H)
{
    return (long long)H * H + 3LL * H + 1;
}

static size_t rnn_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)n;
    (void)arg;
    const size_t H = (size_t)p->v[P_HIDDEN], T = (size_t)p->v[P_STEPS],
                 N = (size_t)p->v[P_SEQUENCES];
    return sizeof(rnn_state) + (N * T + N + (T + 1) * H + 2 * H) * sizeof(double);
}

/* ybar and a: the critical point of rnn_critical. */
static void rnn_prepare(rnn_state *S)
{
    double ys = 0, cov = 0;
    for (int i = 0; i < S->N; i++)
        ys += S->Y[i];
    S->ybar = ys / S->N;
    for (int i = 0; i < S->N; i++)
        cov += (S->ybar - S->Y[i]) * S->X[(size_t)i * (size_t)S->T + (size_t)(S->T - 1)];
    S->a = 2 * cov / S->N;
}

static int rnn_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)arg;
    rnn_state *S = state;
    S->H = (int)p->v[P_HIDDEN];
    S->T = (int)p->v[P_STEPS];
    S->N = (int)p->v[P_SEQUENCES];
    S->recall = (int)p->v[P_RECALL];
    S->seed = (unsigned long long)p->v[P_SEED];
    if (n != rnn_n(S->H)) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d for landscape 'rnn' with hidden=%d (allowed: "
                      "hidden^2 + 3 hidden + 1 = %lld)", n, S->H, rnn_n(S->H));
        return LSC_EINVAL;
    }
    if (S->recall > S->T) {
        lsc_error_set(err, LSC_EINVAL, "landscape: rnn: recall=%d is past the last step "
                      "(allowed: 1 to steps = %d)", S->recall, S->T);
        return LSC_EINVAL;
    }
    const size_t NT = (size_t)S->N * (size_t)S->T;
    S->X = S->mem;
    S->Y = S->X + NT;
    S->hs = S->Y + S->N;
    S->d = S->hs + (size_t)(S->T + 1) * (size_t)S->H;
    S->dz = S->d + S->H;
    gsl_rng *r = lsc_rng_for_run(S->seed, RNN_DATA_STREAM);
    if (!r) {
        lsc_error_set(err, LSC_ENOMEM, "landscape: rnn: out of memory for its generator");
        return LSC_ENOMEM;
    }
    for (size_t k = 0; k < NT; k++)
        S->X[k] = 2 * gsl_rng_uniform(r) - 1;
    gsl_rng_free(r);
    for (int i = 0; i < S->N; i++)
        S->Y[i] = S->X[(size_t)i * (size_t)S->T + (size_t)(S->recall - 1)];
    rnn_prepare(S);
    return LSC_OK;
}

/* Where the blocks of theta start. */
typedef struct {
    const double *w_in, *W, *b, *w_out;
    double c;
} rnn_view;

static rnn_view view(const rnn_state *S, const double *theta)
{
    const size_t H = (size_t)S->H;
    rnn_view v = {theta, theta + H, theta + H + H * H, theta + 2 * H + H * H,
                  theta[3 * H + H * H]};
    return v;
}

/* The states h_1..h_T of sequence i into hs (row t = h_t; row 0 = h_0 = 0); returns z. */
static double forward(const rnn_state *S, const rnn_view *v, int i, double *hs)
{
    const int H = S->H;
    const double *x = S->X + (size_t)i * (size_t)S->T;
    memset(hs, 0, (size_t)H * sizeof *hs);
    for (int t = 1; t <= S->T; t++) {
        const double *prev = hs + (size_t)(t - 1) * (size_t)H;
        double *h = hs + (size_t)t * (size_t)H;
        for (int j = 0; j < H; j++) {
            double a = v->w_in[j] * x[t - 1] + v->b[j];
            const double *Wj = v->W + (size_t)j * (size_t)H;
            for (int k = 0; k < H; k++)
                a += Wj[k] * prev[k];
            h[j] = tanh(a);
        }
    }
    double z = v->c;
    const double *hT = hs + (size_t)S->T * (size_t)H;
    for (int j = 0; j < H; j++)
        z += v->w_out[j] * hT[j];
    return z;
}

/* Back-propagation through time for sequence i, its share s = 2 r_i / N of df/dz: adds to
 * g (when g) and |df/dh_t|^2 to norm2[t] (when norm2). */
static void backward(const rnn_state *S, const rnn_view *v, int i, double s, double *g,
                     double *norm2)
{
    const int H = S->H;
    const size_t HH = (size_t)H * (size_t)H;
    const double *x = S->X + (size_t)i * (size_t)S->T;
    double *d = S->d, *dz = S->dz;
    double *g_in = g, *g_W = g ? g + H : NULL, *g_b = g ? g + H + HH : NULL;
    const double *hT = S->hs + (size_t)S->T * (size_t)H;
    for (int j = 0; j < H; j++) {
        d[j] = s * v->w_out[j];
        if (g)
            g[(size_t)2 * H + HH + (size_t)j] += s * hT[j];
    }
    if (g)
        g[(size_t)3 * H + HH] += s;
    for (int t = S->T; t >= 1; t--) {
        const double *h = S->hs + (size_t)t * (size_t)H, *prev = h - H;
        double n2 = 0;
        for (int j = 0; j < H; j++) {
            n2 += d[j] * d[j];
            dz[j] = d[j] * (1 - h[j] * h[j]);
        }
        if (norm2)
            norm2[t] += n2;
        if (g)
            for (int j = 0; j < H; j++) {
                g_in[j] += dz[j] * x[t - 1];
                g_b[j] += dz[j];
                for (int k = 0; k < H; k++)
                    g_W[(size_t)j * (size_t)H + (size_t)k] += dz[j] * prev[k];
            }
        for (int k = 0; k < H; k++) /* d = W^T dz */
            d[k] = 0;
        for (int j = 0; j < H; j++) {
            const double *Wj = v->W + (size_t)j * (size_t)H;
            for (int k = 0; k < H; k++)
                d[k] += Wj[k] * dz[j];
        }
    }
    if (norm2) {
        double n2 = 0;
        for (int j = 0; j < H; j++)
            n2 += d[j] * d[j];
        norm2[0] += n2;
    }
}

/* The state is the caller's calloc'ed memory, never const: its work arrays are written. */
static rnn_state *own(const void *state)
{
    return (rnn_state *)(uintptr_t)state;
}

static double rnn_fdf(const lsc_params *p, const void *state, int n, const double *x,
                      double *g)
{
    (void)p;
    rnn_state *S = own(state);
    const rnn_view v = view(S, x);
    double f = 0;
    if (g)
        memset(g, 0, (size_t)n * sizeof *g);
    for (int i = 0; i < S->N; i++) {
        const double r = forward(S, &v, i, S->hs) - S->Y[i];
        f += r * r;
        if (g)
            backward(S, &v, i, 2 * r / S->N, g, NULL);
    }
    return f / S->N;
}

static double rnn_f(const lsc_params *p, const void *state, int n, const double *x)
{
    return rnn_fdf(p, state, n, x, NULL);
}

/* The box, block by block: w_in and b in [-2, 2], c in [-1, 1], the diagonal of W_rec in
 * [-2, 2] (the standard starts rho I, up to rho = 2), its other entries and w_out in [-a, a],
 * a = sqrt(3 / H): drawn uniformly, those entries have variance a^2 / 3 = 1 / H, so the
 * off-diagonal part alone has a spectral radius near 1 (the circular law). A box of
 * [-2, 2] on every axis makes most random W_rec chaotic over 20 steps and more: f then
 * changes faster than central differences can follow (info --check saw their error fall as
 * h^2, to 1e-6 only at h = 1e-8). Even in this box, self-loops up to 2 switch units between
 * their two stable states, and info --check's differences (h = 6e-6) miss the exact gradient
 * by up to 1e-5 relative (0.02 % at steps=100): its MISMATCH there is the differences', the
 * gradient agrees with PyTorch (tests/test_depth.c). */
static void rnn_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)p;
    (void)n;
    const rnn_state *S = state;
    const size_t H = (size_t)S->H, HH = H * H;
    const double a = sqrt(3.0 / (double)H);
    for (size_t j = 0; j < 3 * H + HH + 1; j++) {
        const int rec = j >= H && j < H + HH, out = j >= 2 * H + HH && j < 3 * H + HH;
        const int diag = rec && (j - H) % (H + 1) == 0;
        hi[j] = diag ? 2 : rec || out ? a : j == 3 * H + HH ? 1 : 2;
        lo[j] = -hi[j];
    }
}

/* The one known critical point: every weight 0 and c = ybar, the targets' mean (all h_t = 0,
 * so df/dc = 2 (c - ybar) = 0 and every other derivative carries a factor w_out or h_T).
 * f = the targets' variance (divided by N). The Hessian there: 2 on c, and a = (2/N)
 * sum_i (ybar - y_i) x_{i,T} between w_out_j and w_in_j for each j (dh_T/dw_in = x_T at
 * W_rec = 0; tanh'(0) = 1), nothing else: eigenvalues 2, +-|a| (H times) and 0 — a saddle
 * whenever the last input correlates with the target in the sample (a != 0). */
static int rnn_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return 1;
}

static void rnn_critical(const lsc_params *p, const void *state, int n, int k,
                         lsc_critical *cp)
{
    (void)k;
    const rnn_state *S = state;
    memset(cp->x, 0, (size_t)n * sizeof *cp->x);
    cp->x[n - 1] = S->ybar;
    cp->f = rnn_f(p, state, n, cp->x);
    cp->kind = S->a != 0 ? LSC_CP_SADDLE : LSC_CP_DEGENERATE;
    cp->eig_min = -fabs(S->a);
    cp->eig_max = fmax(2, fabs(S->a));
    cp->tol = 1e-15;
}

static int rnn_nstarts(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return LSC_COUNTOF(start_radius);
}

/* Start k: W_rec = rho_k I (file comment). Without memory for the generator: zeros. */
static void rnn_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    const rnn_state *S = state;
    const int H = S->H;
    const size_t HH = (size_t)H * (size_t)H;
    memset(x, 0, (size_t)n * sizeof *x);
    gsl_rng *r = lsc_rng_for_run(S->seed, RNN_START_STREAM);
    if (!r)
        return;
    double *w_in = x, *W = x + H, *w_out = x + 2 * H + HH;
    for (int j = 0; j < H; j++)
        W[(size_t)j * (size_t)(H + 1)] = start_radius[k];
    for (int j = 0; j < H; j++)
        w_in[j] = 2 * gsl_rng_uniform(r) - 1;
    for (int j = 0; j < H; j++)
        w_out[j] = (2 * gsl_rng_uniform(r) - 1) / sqrt((double)H);
    gsl_rng_free(r);
}

static int rnn_dim_from(const lsc_params *p, const char *arg)
{
    (void)arg;
    return (int)rnn_n((int)p->v[P_HIDDEN]);
}

const lsc_landscape_type lsc_landscape_rnn = {
    .name = "rnn",
    .summary = "a vanilla tanh RNN unrolled over T steps recalling an input: gradients vanish "
               "or explode through time by the spectral radius of W_rec (Pascanu et al. "
               "2013); dimension hidden^2 + 3 hidden + 1",
    .formula = "h_t = tanh(W_rec h_{t-1} + w_in x_t + b), z = w_out . h_T + c, f = (1/N) "
               "sum_i (z_i - x_{i,recall})^2, x ~ U(-1, 1); hidden = 8, steps = 20, recall = "
               "1, sequences = 64, seed = 1; starts: W_rec = rho I, rho = 0.5, 0.9, 1, 1.1, "
               "1.5, 2",
    .citation = "Pascanu, Mikolov & Bengio, On the difficulty of training recurrent neural "
                "networks, ICML 2013; Bengio, Simard & Frasconi, IEEE Trans. Neural Networks "
                "5(2), 1994",
    .dim = 0,
    .min_dim = 5,
    .default_dim = 89,
    .params = rnn_params,
    .nparams = LSC_COUNTOF(rnn_params),
    .dim_from = rnn_dim_from,
    .state_size = rnn_state_size,
    .init = rnn_init,
    .f = rnn_f,
    .fdf = rnn_fdf,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .box = rnn_box,
    .nstarts_fn = rnn_nstarts,
    .start = rnn_start,
    .ncritical = rnn_ncritical,
    .critical = rnn_critical,
    .one_thread = 1, /* the states of a sequence: work space in the state */
};

int lsc_rnn_hidden_grad_norms(const lsc_landscape *L, const double *theta, double *norms)
{
    if (!L || L->type != &lsc_landscape_rnn)
        return LSC_EINVAL;
    rnn_state *S = own(L->state);
    const rnn_view v = view(S, theta);
    memset(norms, 0, (size_t)(S->T + 1) * sizeof *norms);
    for (int i = 0; i < S->N; i++) {
        const double r = forward(S, &v, i, S->hs) - S->Y[i];
        backward(S, &v, i, 2 * r / S->N, NULL, norms);
    }
    for (int t = 0; t <= S->T; t++)
        norms[t] = sqrt(norms[t]);
    return LSC_OK;
}
