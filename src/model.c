/* model.c — the network behind every model landscape: forward, backward, R-operator
 * (model.h)
 *
 * Notation, for a block of c examples (rows): A_0 (c x s_0) the inputs, and for layer
 * l = 1..L with weights W_l (s_l x s_{l-1}) and bias b_l:
 *
 *     Z_l = A_{l-1} W_l^T + 1 b_l^T,      A_l = act(Z_l)   (l < L),      z = Z_L
 *
 * Backward, with delta_l = d(mean loss)/dZ_l (c x s_l):
 *
 *     delta_L = l'(z) / m,   dW_l = delta_l^T A_{l-1},   db_l = 1^T delta_l,
 *     delta_{l-1} = (delta_l W_l) * act'(Z_{l-1})                  (* elementwise)
 *
 * Pearlmutter's R-operator R{.} = d/dr (.)(theta + r v) at r = 0 gives H v exactly:
 *
 *     R{Z_l} = R{A_{l-1}} W_l^T + A_{l-1} V_l^T + 1 vb_l^T,   R{A_l} = act'(Z_l) * R{Z_l}
 *     R{delta_L} = l''(z) R{z} / m
 *     R{dW_l} = R{delta_l}^T A_{l-1} + delta_l^T R{A_{l-1}},  R{db_l} = 1^T R{delta_l}
 *     R{delta_{l-1}} = (R{delta_l} W_l + delta_l V_l) * act'(Z_{l-1})
 *                      + (delta_l W_l) * act''(Z_{l-1}) * R{Z_{l-1}}
 *
 * (B. A. Pearlmutter, Fast exact multiplication by the Hessian, Neural Computation
 * 6(1):147-160, 1994.) Loss derivatives, per example:
 *     mse  l' = 2 (z - y),            l'' = 2
 *     bce  l' = sigmoid(z) - y,       l'' = sigmoid(z) (1 - sigmoid(z))
 *     ce   l' = p - onehot(y),        l'' = diag(p) - p p^T,   p = softmax(z)
 */
#include "model_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <pthread.h>

#include "lsc_version.h" /* LSC_BLAS_OPENBLAS: the build's CBLAS (meson option blas) */

/* ---- the BLAS ----------------------------------------------------------------------- */

#if LSC_BLAS_OPENBLAS
/* OpenBLAS's own (its cblas.h, which cannot be included beside gsl_cblas.h) */
void openblas_set_num_threads(int num_threads);

/* One thread, unless the user set OPENBLAS_NUM_THREADS (which OpenBLAS reads itself): the
 * products are deterministic and cost what one core costs, and a program that runs models
 * in threads of its own does not multiply them (model.h). */
static void blas_one_thread(void)
{
    if (!getenv("OPENBLAS_NUM_THREADS"))
        openblas_set_num_threads(1);
}
#endif

static void blas_setup(void)
{
#if LSC_BLAS_OPENBLAS
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, blas_one_thread);
#endif
}

/* ---- the work buffers of one call ----------------------------------------------------- */

typedef struct {
    double *A0;                          /* c x s_0 */
    double *Z[LSC_MODEL_MAX_LAYERS + 1]; /* Z[l], l = 1..L: c x s_l */
    double *A[LSC_MODEL_MAX_LAYERS + 1]; /* A[l], l = 1..L-1 (A[0] = A0) */
    double *RZ[LSC_MODEL_MAX_LAYERS + 1];
    double *RA[LSC_MODEL_MAX_LAYERS + 1];
    double *d1, *d2, *r1, *r2, *P;       /* c x max width each */
    double *loss;                        /* c */
} bufs;

static int max_width(const lsc_model *M)
{
    int w = 1;
    for (int l = 0; l <= M->nlayers; l++)
        w = M->size[l] > w ? M->size[l] : w;
    return w;
}

size_t lsc_model_work_size(const lsc_model *M)
{
    size_t S = 0;
    for (int l = 1; l <= M->nlayers; l++)
        S += (size_t)M->size[l];
    return (size_t)LSC_MODEL_CHUNK * ((size_t)M->size[0] + 4 * S + 5 * (size_t)max_width(M) + 1);
}

static bufs carve(const lsc_model *M, double *w)
{
    bufs b;
    const size_t c = LSC_MODEL_CHUNK, mw = (size_t)max_width(M);
    memset(&b, 0, sizeof b);
    b.A0 = w;
    w += c * (size_t)M->size[0];
    b.A[0] = b.A0;
    for (int l = 1; l <= M->nlayers; l++) {
        const size_t s = c * (size_t)M->size[l];
        b.Z[l] = w;
        b.A[l] = w + s;
        b.RZ[l] = w + 2 * s;
        b.RA[l] = w + 3 * s;
        w += 4 * s;
    }
    b.d1 = w;
    b.d2 = w + c * mw;
    b.r1 = w + 2 * c * mw;
    b.r2 = w + 3 * c * mw;
    b.P = w + 4 * c * mw;
    b.loss = w + 5 * c * mw;
    return b;
}

/* ---- activations ------------------------------------------------------------------------ */

/* act'(z) from z and a = act(z); PyTorch's relu and leaky_relu take the left slope at 0. */
static double act1(lsc_act f, double z, double a)
{
    switch (f) {
    case LSC_ACT_TANH: return 1 - a * a;
    case LSC_ACT_RELU: return z > 0 ? 1 : 0;
    case LSC_ACT_SIGMOID: return a * (1 - a);
    case LSC_ACT_LEAKY_RELU: return z > 0 ? 1 : LSC_LEAKY_SLOPE;
    case LSC_ACT_LINEAR: break;
    }
    return 1;
}

static double act2(lsc_act f, double a)
{
    switch (f) {
    case LSC_ACT_TANH: return -2 * a * (1 - a * a);
    case LSC_ACT_SIGMOID: return a * (1 - a) * (1 - 2 * a);
    default: return 0;
    }
}

/* The kernels of the per-step path: one loop per activation, so that the switch is taken
 * once per block, not once per element. */

/* c ? yes : no without a branch (a mask on the bits): relu's and leaky relu's branches,
 * taken at random as the signs of Z fall, cost more than the arithmetic (gcc turns a
 * ternary on doubles into a jump, as signed zeros and nan forbid maxsd). */
static inline double pick(int c, double yes, double no)
{
    uint64_t y, n, m = -(uint64_t)(c != 0);
    memcpy(&y, &yes, sizeof y);
    memcpy(&n, &no, sizeof n);
    n = (y & m) | (n & ~m);
    memcpy(&yes, &n, sizeof yes);
    return yes;
}

/* Z <- Z + 1 bias^T (c x m), and A <- act(Z) unless A is NULL (the output layer). */
static void bias_act(lsc_act f, int c, int m, const double *bias, double *Z, double *A)
{
    for (size_t r = 0; r < (size_t)c; r++) {
        double *z = Z + r * (size_t)m, *a = A ? A + r * (size_t)m : NULL;
        for (int j = 0; j < m; j++)
            z[j] += bias[j];
        if (!a)
            continue;
        switch (f) {
        case LSC_ACT_TANH:
            for (int j = 0; j < m; j++)
                a[j] = tanh(z[j]);
            break;
        case LSC_ACT_RELU: /* z > 0 ? z : 0, and torch.relu(nan) is nan */
            for (int j = 0; j < m; j++)
                a[j] = pick(!(z[j] <= 0), z[j], 0);
            break;
        case LSC_ACT_SIGMOID:
            for (int j = 0; j < m; j++)
                a[j] = 1 / (1 + exp(-z[j]));
            break;
        case LSC_ACT_LEAKY_RELU: /* z > 0 ? z : slope z (z times 1 is z) */
            for (int j = 0; j < m; j++)
                a[j] = z[j] * pick(z[j] > 0, 1, LSC_LEAKY_SLOPE);
            break;
        case LSC_ACT_LINEAR:
            memcpy(a, z, (size_t)m * sizeof *a);
            break;
        }
    }
}

/* D <- D * act'(Z) elementwise over len values (A = act(Z)), as act1 does per element. */
static void times_act1(lsc_act f, size_t len, const double *Z, const double *A, double *D)
{
    switch (f) {
    case LSC_ACT_TANH:
        for (size_t k = 0; k < len; k++)
            D[k] *= 1 - A[k] * A[k];
        break;
    case LSC_ACT_RELU: /* times 1 or 0, as act1 (a nan or inf D stays nan) */
        for (size_t k = 0; k < len; k++)
            D[k] *= pick(Z[k] > 0, 1, 0);
        break;
    case LSC_ACT_SIGMOID:
        for (size_t k = 0; k < len; k++)
            D[k] *= A[k] * (1 - A[k]);
        break;
    case LSC_ACT_LEAKY_RELU:
        for (size_t k = 0; k < len; k++)
            D[k] *= pick(Z[k] > 0, 1, LSC_LEAKY_SLOPE);
        break;
    case LSC_ACT_LINEAR:
        break;
    }
}

/* ---- forward ---------------------------------------------------------------------------- */

/* C (c x m) = A (c x k) B^T + 1 bias^T, B m x k; beta: 0 overwrites C, 1 adds. */
static void linear(int c, int m, int k, const double *A, const double *B, const double *bias,
                   double beta, double *C)
{
    if (k > 0)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, c, m, k, 1.0, A, k, B, k, beta, C,
                    m);
    else if (beta == 0)
        memset(C, 0, (size_t)c * (size_t)m * sizeof *C);
    if (bias)
        for (int r = 0; r < c; r++)
            for (int j = 0; j < m; j++)
                C[(size_t)r * (size_t)m + (size_t)j] += bias[j];
}

/* Z_l and A_l for the c rows in b->A[0]. */
static void forward(const lsc_model *M, const double *theta, int c, bufs *b)
{
    for (int l = 1; l <= M->nlayers; l++) {
        const int in = M->size[l - 1], out = M->size[l];
        linear(c, out, in, b->A[l - 1], theta + M->woff[l - 1], NULL, 0.0, b->Z[l]);
        bias_act(M->act, c, out, theta + M->boff[l - 1], b->Z[l],
                 l < M->nlayers ? b->A[l] : NULL);
    }
}

/* The block's inputs as b->A[0]: rows r0 .. r0+c-1 of X in place when idx is NULL (they
 * are consecutive; nothing writes A[0]), else copied from the rows idx names into b->A0. */
static void gather(const lsc_dataset *D, const int *idx, int r0, int c, bufs *b)
{
    const size_t d = (size_t)D->d;
    if (!idx || !d) {
        b->A[0] = d ? D->X + (size_t)r0 * d : b->A0;
        return;
    }
    b->A[0] = b->A0;
    for (int r = 0; r < c; r++)
        memcpy(b->A0 + (size_t)r * d, D->X + (size_t)idx[r0 + r] * d, d * sizeof *b->A0);
}

/* Per-example losses into b->loss and, when delta, l'(z)/m into b->d1 (c x outputs). */
static void loss_head(const lsc_model *M, const lsc_dataset *D, const int *idx, int r0, int c,
                      int m, int delta, bufs *b)
{
    const int K = M->size[M->nlayers];
    const double *z = b->Z[M->nlayers];
    for (int r = 0; r < c; r++) {
        const double y = D->y[idx ? idx[r0 + r] : r0 + r];
        const double *zr = z + (size_t)r * (size_t)K;
        double *dr = b->d1 + (size_t)r * (size_t)K;
        if (M->loss == LSC_LOSS_MSE) {
            b->loss[r] = (zr[0] - y) * (zr[0] - y);
            if (delta)
                dr[0] = 2 * (zr[0] - y) / m;
        } else if (M->loss == LSC_LOSS_BCE) {
            /* max(z,0) - z y + log(1 + e^-|z|) = softplus(z) - z y */
            b->loss[r] = (zr[0] > 0 ? zr[0] : 0) - zr[0] * y + log1p(exp(-fabs(zr[0])));
            if (delta)
                dr[0] = (1 / (1 + exp(-zr[0])) - y) / m;
        } else { /* ce: logsumexp(z) - z_y, shifted by the largest logit; the exponentials
                  * wait in dr (K values) for l' = softmax(z) - onehot(y) */
            double top = zr[0], s = 0;
            for (int k = 1; k < K; k++)
                top = zr[k] > top ? zr[k] : top;
            for (int k = 0; k < K; k++) {
                dr[k] = exp(zr[k] - top);
                s += dr[k];
            }
            const int yk = (int)y;
            b->loss[r] = top + log(s) - zr[yk];
            if (delta)
                for (int k = 0; k < K; k++)
                    dr[k] = (dr[k] / s - (k == yk)) / m;
        }
    }
}

/* ---- backward --------------------------------------------------------------------------- */

/* g_W = beta g_W + delta^T A (out x in), g_b = beta g_b + column sums of delta; beta 0
 * (the first block: g need not be cleared first) or 1. */
static void accumulate(int c, int out, int in, const double *delta, const double *A, double beta,
                       double *gW, double *gb)
{
    if (in > 0)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, c, 1.0, delta, out, A, in,
                    beta, gW, in);
    if (beta == 0)
        memset(gb, 0, (size_t)out * sizeof *gb);
    for (int r = 0; r < c; r++)
        for (int j = 0; j < out; j++)
            gb[j] += delta[(size_t)r * (size_t)out + (size_t)j];
}

/* The gradient of the block's mean-loss share into g (added; first: written over), from
 * delta_L in b->d1. */
static void backward(const lsc_model *M, const double *theta, int c, int first, bufs *b,
                     double *g)
{
    double *delta = b->d1, *next = b->d2;
    for (int l = M->nlayers; l >= 1; l--) {
        const int in = M->size[l - 1], out = M->size[l];
        accumulate(c, out, in, delta, b->A[l - 1], first ? 0.0 : 1.0, g + M->woff[l - 1],
                   g + M->boff[l - 1]);
        if (l == 1)
            break;
        /* delta_{l-1} = (delta_l W_l) * act'(Z_{l-1}) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c, in, out, 1.0, delta, out,
                    theta + M->woff[l - 1], in, 0.0, next, in);
        times_act1(M->act, (size_t)c * (size_t)in, b->Z[l - 1], b->A[l - 1], next);
        double *t = delta;
        delta = next;
        next = t;
    }
}

/* (l2/2) sum |W_l|^2, and its gradient l2 W_l added to g (when g). */
static double penalty(const lsc_model *M, const double *theta, double *g)
{
    if (M->l2 == 0)
        return 0;
    double s = 0;
    for (int l = 0; l < M->nlayers; l++) {
        const size_t nw = (size_t)M->size[l] * (size_t)M->size[l + 1];
        const double *w = theta + M->woff[l];
        for (size_t k = 0; k < nw; k++) {
            s += w[k] * w[k];
            if (g)
                g[M->woff[l] + k] += M->l2 * w[k];
        }
    }
    return 0.5 * M->l2 * s;
}

double lsc_model_fdf(const lsc_model *M, const lsc_dataset *D, const int *idx, int m,
                     const double *theta, double *g, double *loss_i, double *work)
{
    bufs b = carve(M, work);
    double sum = 0;
    if (g && m < 1)
        memset(g, 0, (size_t)M->n * sizeof *g);
    for (int r0 = 0; r0 < m; r0 += LSC_MODEL_CHUNK) {
        const int c = m - r0 < LSC_MODEL_CHUNK ? m - r0 : LSC_MODEL_CHUNK;
        gather(D, idx, r0, c, &b);
        forward(M, theta, c, &b);
        loss_head(M, D, idx, r0, c, m, g != NULL, &b);
        for (int r = 0; r < c; r++)
            sum += b.loss[r];
        if (loss_i)
            memcpy(loss_i + r0, b.loss, (size_t)c * sizeof *loss_i);
        if (g) /* the first block writes g over, the others add (accumulate) */
            backward(M, theta, c, r0 == 0, &b, g);
    }
    return (m > 0 ? sum / m : 0) + penalty(M, theta, g);
}

/* ---- per-layer statistics (issue 10) ----------------------------------------------------- */

size_t lsc_model_stats_work_size(const lsc_model *M)
{
    size_t units = 0;
    for (int l = 1; l < M->nlayers; l++)
        units += (size_t)M->size[l];
    return lsc_model_work_size(M) + units;
}

/* One chunk of pre-activations z (c x s) into the running count, mean and sum of squared
 * deviations (Chan, Golub & LeVeque's pairwise update: the chunk's own mean first, so no
 * large mean is subtracted from a small spread). */
static void moments_add(const double *z, size_t cs, double *cnt, double *mean, double *m2)
{
    double mu = 0, s2 = 0;
    for (size_t k = 0; k < cs; k++)
        mu += z[k];
    mu /= (double)cs;
    for (size_t k = 0; k < cs; k++)
        s2 += (z[k] - mu) * (z[k] - mu);
    const double n = *cnt + (double)cs, d = mu - *mean;
    *mean += d * (double)cs / n;
    *m2 += s2 + d * d * *cnt * (double)cs / n;
    *cnt = n;
}

/* Hidden layer l's saturation over one chunk (c rows of Z_l, A_l): tanh and sigmoid count
 * saturated entries into *count; relu and leaky-relu mark in live[j] the units that are
 * not saturated on some example (relu: a != 0; leaky-relu: z >= 0). */
static void saturation_add(lsc_act f, const double *Z, const double *A, int c, int s,
                           double *count, double *live)
{
    for (int r = 0; r < c; r++)
        for (int j = 0; j < s; j++) {
            const size_t k = (size_t)r * (size_t)s + (size_t)j;
            switch (f) {
            case LSC_ACT_TANH: *count += fabs(A[k]) > 0.99; break;
            case LSC_ACT_SIGMOID: *count += A[k] < 0.01 || A[k] > 0.99; break;
            case LSC_ACT_RELU: live[j] = live[j] || A[k] != 0; break;
            case LSC_ACT_LEAKY_RELU: live[j] = live[j] || !(Z[k] < 0); break;
            case LSC_ACT_LINEAR: break;
            }
        }
}

double lsc_model_fdf_stats(const lsc_model *M, const lsc_dataset *D, const int *idx, int m,
                           const double *theta, double *g, lsc_layer_stats *st, double *work)
{
    const int L = M->nlayers;
    bufs b = carve(M, work);
    double *live = work + lsc_model_work_size(M), sum = 0;
    double cnt[LSC_MODEL_MAX_LAYERS], mean[LSC_MODEL_MAX_LAYERS], m2[LSC_MODEL_MAX_LAYERS];
    double satc[LSC_MODEL_MAX_LAYERS];
    memset(g, 0, (size_t)M->n * sizeof *g);
    memset(live, 0, (lsc_model_stats_work_size(M) - lsc_model_work_size(M)) * sizeof *live);
    for (int l = 0; l < L; l++)
        cnt[l] = mean[l] = m2[l] = satc[l] = 0;
    for (int r0 = 0; r0 < m; r0 += LSC_MODEL_CHUNK) {
        const int c = m - r0 < LSC_MODEL_CHUNK ? m - r0 : LSC_MODEL_CHUNK;
        gather(D, idx, r0, c, &b);
        forward(M, theta, c, &b);
        double *lv = live;
        for (int l = 1; l <= L; l++) {
            const size_t cs = (size_t)c * (size_t)M->size[l];
            moments_add(b.Z[l], cs, &cnt[l - 1], &mean[l - 1], &m2[l - 1]);
            if (l < L) {
                saturation_add(M->act, b.Z[l], b.A[l], c, M->size[l], &satc[l - 1], lv);
                lv += M->size[l];
            }
        }
        loss_head(M, D, idx, r0, c, m, 1, &b);
        for (int r = 0; r < c; r++)
            sum += b.loss[r];
        backward(M, theta, c, 0, &b, g); /* g was cleared above: every block adds */
    }
    const double f = (m > 0 ? sum / m : 0) + penalty(M, theta, g);
    st->nlayers = L;
    double *lv = live;
    for (int l = 0; l < L; l++) {
        const size_t nw = (size_t)M->size[l] * (size_t)M->size[l + 1];
        double gw = 0, ww = 0;
        for (size_t k = 0; k < nw; k++) {
            gw += g[M->woff[l] + k] * g[M->woff[l] + k];
            ww += theta[M->woff[l] + k] * theta[M->woff[l] + k];
        }
        st->grad[l] = sqrt(gw);
        st->weight[l] = sqrt(ww);
        st->act_std[l] = m > 0 ? sqrt(m2[l] / cnt[l]) : NAN;
        if (l == L - 1 || m == 0) {
            st->sat[l] = NAN;
            continue;
        }
        const int s = M->size[l + 1];
        if (M->act == LSC_ACT_RELU || M->act == LSC_ACT_LEAKY_RELU) {
            int dead = 0;
            for (int j = 0; j < s; j++)
                dead += lv[j] == 0;
            st->sat[l] = (double)dead / s;
        } else {
            st->sat[l] = satc[l] / ((double)m * s);
        }
        lv += s;
    }
    return f;
}

/* ---- the R-operator ------------------------------------------------------------------- */

/* R{Z_l}, R{A_l} for the block (after forward). */
static void r_forward(const lsc_model *M, const double *theta, const double *v, int c, bufs *b)
{
    for (int l = 1; l <= M->nlayers; l++) {
        const int in = M->size[l - 1], out = M->size[l];
        /* A_{l-1} V_l^T + vb_l, then + R{A_{l-1}} W_l^T (R{A_0} = 0) */
        linear(c, out, in, b->A[l - 1], v + M->woff[l - 1], v + M->boff[l - 1], 0.0, b->RZ[l]);
        if (l > 1)
            linear(c, out, in, b->RA[l - 1], theta + M->woff[l - 1], NULL, 1.0, b->RZ[l]);
        if (l < M->nlayers)
            for (size_t k = 0; k < (size_t)c * (size_t)out; k++)
                b->RA[l][k] = act1(M->act, b->Z[l][k], b->A[l][k]) * b->RZ[l][k];
    }
}

/* R{delta_L} = l''(z) R{z} / m into b->r1 (delta_L is in b->d1). */
static void r_loss(const lsc_model *M, int c, int m, bufs *b)
{
    const int K = M->size[M->nlayers];
    const double *z = b->Z[M->nlayers], *Rz = b->RZ[M->nlayers];
    for (int r = 0; r < c; r++) {
        const double *zr = z + (size_t)r * (size_t)K, *Rr = Rz + (size_t)r * (size_t)K;
        double *out = b->r1 + (size_t)r * (size_t)K;
        if (M->loss == LSC_LOSS_MSE) {
            out[0] = 2 * Rr[0] / m;
        } else if (M->loss == LSC_LOSS_BCE) {
            const double s = 1 / (1 + exp(-zr[0]));
            out[0] = s * (1 - s) * Rr[0] / m;
        } else { /* (diag(p) - p p^T) R{z}: p * (R{z} - p . R{z}) */
            double top = zr[0], s = 0, pr = 0;
            for (int k = 1; k < K; k++)
                top = zr[k] > top ? zr[k] : top;
            for (int k = 0; k < K; k++)
                s += exp(zr[k] - top);
            for (int k = 0; k < K; k++)
                pr += exp(zr[k] - top) / s * Rr[k];
            for (int k = 0; k < K; k++)
                out[k] = exp(zr[k] - top) / s * (Rr[k] - pr) / m;
        }
    }
}

/* Hv += the block's share, from delta_L (b->d1) and R{delta_L} (b->r1). */
static void r_backward(const lsc_model *M, const double *theta, const double *v, int c, bufs *b,
                       double *Hv)
{
    double *delta = b->d1, *dnext = b->d2, *Rd = b->r1, *Rnext = b->r2;
    for (int l = M->nlayers; l >= 1; l--) {
        const int in = M->size[l - 1], out = M->size[l];
        double *hW = Hv + M->woff[l - 1], *hb = Hv + M->boff[l - 1];
        accumulate(c, out, in, Rd, b->A[l - 1], 1.0, hW, hb);
        if (l > 1 && in > 0) /* + delta_l^T R{A_{l-1}} */
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, c, 1.0, delta, out,
                        b->RA[l - 1], in, 1.0, hW, in);
        if (l == 1)
            break;
        const double *W = theta + M->woff[l - 1], *V = v + M->woff[l - 1];
        const size_t ck = (size_t)c * (size_t)in;
        /* P = delta_l W_l; R{delta} = (R{delta_l} W_l + delta_l V_l) * act' + P act'' R{Z} */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c, in, out, 1.0, delta, out, W,
                    in, 0.0, b->P, in);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c, in, out, 1.0, Rd, out, W, in,
                    0.0, Rnext, in);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c, in, out, 1.0, delta, out, V,
                    in, 1.0, Rnext, in);
        for (size_t k = 0; k < ck; k++) {
            const double z = b->Z[l - 1][k], a = b->A[l - 1][k], d1 = act1(M->act, z, a);
            Rnext[k] = Rnext[k] * d1 + b->P[k] * act2(M->act, a) * b->RZ[l - 1][k];
            dnext[k] = b->P[k] * d1;
        }
        double *t = delta;
        delta = dnext;
        dnext = t;
        t = Rd;
        Rd = Rnext;
        Rnext = t;
    }
}

void lsc_model_hvp(const lsc_model *M, const lsc_dataset *D, const int *idx, int m,
                   const double *theta, const double *v, double *Hv, double *work)
{
    bufs b = carve(M, work);
    memset(Hv, 0, (size_t)M->n * sizeof *Hv);
    for (int r0 = 0; r0 < m; r0 += LSC_MODEL_CHUNK) {
        const int c = m - r0 < LSC_MODEL_CHUNK ? m - r0 : LSC_MODEL_CHUNK;
        gather(D, idx, r0, c, &b);
        forward(M, theta, c, &b);
        loss_head(M, D, idx, r0, c, m, 1, &b);
        r_forward(M, theta, v, c, &b);
        r_loss(M, c, m, &b);
        r_backward(M, theta, v, c, &b, Hv);
    }
    if (M->l2 != 0)
        for (int l = 0; l < M->nlayers; l++) {
            const size_t nw = (size_t)M->size[l] * (size_t)M->size[l + 1];
            for (size_t k = 0; k < nw; k++)
                Hv[M->woff[l] + k] += M->l2 * v[M->woff[l] + k];
        }
}

void lsc_model_predict(const lsc_model *M, const double *X, int m, const double *theta,
                       double *out, double *work)
{
    bufs b = carve(M, work);
    const size_t d = (size_t)M->size[0], K = (size_t)M->size[M->nlayers];
    for (int r0 = 0; r0 < m; r0 += LSC_MODEL_CHUNK) {
        const int c = m - r0 < LSC_MODEL_CHUNK ? m - r0 : LSC_MODEL_CHUNK;
        if (d)
            memcpy(b.A0, X + (size_t)r0 * d, (size_t)c * d * sizeof *X);
        forward(M, theta, c, &b);
        memcpy(out + (size_t)r0 * K, b.Z[M->nlayers], (size_t)c * K * sizeof *out);
    }
}

double lsc_model_accuracy(const lsc_model *M, const lsc_dataset *D, const int *idx, int m,
                          const double *theta, double *work)
{
    if (M->loss == LSC_LOSS_MSE || m < 1)
        return NAN;
    bufs b = carve(M, work);
    const int K = M->size[M->nlayers];
    long right = 0;
    for (int r0 = 0; r0 < m; r0 += LSC_MODEL_CHUNK) {
        const int c = m - r0 < LSC_MODEL_CHUNK ? m - r0 : LSC_MODEL_CHUNK;
        gather(D, idx, r0, c, &b);
        forward(M, theta, c, &b);
        for (int r = 0; r < c; r++) {
            const double *z = b.Z[M->nlayers] + (size_t)r * (size_t)K;
            int pred = 0;
            if (M->loss == LSC_LOSS_BCE)
                pred = z[0] > 0;
            else
                for (int k = 1; k < K; k++)
                    pred = z[k] > z[pred] ? k : pred;
            right += pred == (int)D->y[idx ? idx[r0 + r] : r0 + r];
        }
    }
    return (double)right / m;
}

/* ---- setting a model up ---------------------------------------------------------------- */

/* Can D's targets be labels for loss (bce: 0 and 1; ce: 0 .. classes-1)? */
static int check_labels(const lsc_dataset *D, lsc_loss loss, const char *name, lsc_error *err)
{
    const char *need = loss == LSC_LOSS_BCE ? "class labels 0 and 1" : "class labels 0, 1, ...";
    if (D->classes == 0 && D->bad_label_line > 0) {
        char b[32];
        lsc_error_set(err, LSC_EINVAL, "data: %s:%ld: target %s is not a class label (%s needs "
                      "%s)", D->source, D->bad_label_line, lsc_fmt_double(b, D->bad_label), name,
                      need);
        return LSC_EINVAL;
    }
    if (D->classes == 0) {
        lsc_error_set(err, LSC_EINVAL, "data: '%s' is a regression set; %s needs %s (a "
                      "classification set such as xor, spiral or blobs, or a file of labels)",
                      D->source, name, need);
        return LSC_EINVAL;
    }
    if (loss == LSC_LOSS_BCE && D->classes > 2) {
        lsc_error_set(err, LSC_EINVAL, "data: '%s' has %d classes; %s needs two (labels 0 and "
                      "1): use softmax, or mlp with loss=ce", D->source, D->classes, name);
        return LSC_EINVAL;
    }
    if (loss == LSC_LOSS_CE && D->classes < 2) {
        lsc_error_set(err, LSC_EINVAL, "data: every target of '%s' is 0: %s needs at least two "
                      "classes", D->source, name);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

int lsc_model_setup(lsc_model *M, const lsc_dataset *D, int nhidden, const int *hidden,
                    lsc_act act_, lsc_loss loss, double l2, const char *name, lsc_error *err)
{
    memset(M, 0, sizeof *M);
    blas_setup();
    if (nhidden + 1 > LSC_MODEL_MAX_LAYERS) {
        lsc_error_set(err, LSC_EINVAL, "landscape: %s with %d hidden layers (at most %d)", name,
                      nhidden, LSC_MODEL_MAX_LAYERS - 1);
        return LSC_EINVAL;
    }
    if (loss != LSC_LOSS_MSE && check_labels(D, loss, name, err) != LSC_OK)
        return LSC_EINVAL;
    M->nlayers = nhidden + 1;
    M->size[0] = D->d;
    for (int l = 0; l < nhidden; l++)
        M->size[l + 1] = hidden[l];
    M->size[M->nlayers] = loss == LSC_LOSS_CE ? D->classes : 1;
    size_t n = 0;
    for (int l = 0; l < M->nlayers; l++) {
        M->woff[l] = n;
        n += (size_t)M->size[l] * (size_t)M->size[l + 1];
        M->boff[l] = n;
        n += (size_t)M->size[l + 1];
    }
    if (n > LSC_MAX_DIM) {
        lsc_error_set(err, LSC_EINVAL, "landscape: %s on '%s' would have %zu parameters (at "
                      "most %d)", name, D->source, n, LSC_MAX_DIM);
        return LSC_EINVAL;
    }
    M->n = (int)n;
    M->act = act_;
    M->loss = loss;
    M->l2 = l2;
    M->train = D;
    M->work_size = lsc_model_work_size(M);
    /* + n for the unit vector of lsc_model_hess_hvp */
    if (!(M->work = malloc((M->work_size + n) * sizeof *M->work))) {
        lsc_error_set(err, LSC_ENOMEM, "landscape: out of memory for %s's work space", name);
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

/* ---- the landscape type's functions ---------------------------------------------------- */

size_t lsc_model_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)p;
    (void)n;
    (void)arg;
    return sizeof(lsc_model);
}

void lsc_model_destroy(void *state)
{
    lsc_model *M = state;
    free(M->work);
    free(M->xmin);
    if (M->owned) {
        lsc_data_free(&M->owned[0]);
        lsc_data_free(&M->owned[1]);
        free(M->owned);
    }
}

/* The landscape's own work: the state is the caller's calloc'ed memory, never const. */
static double *own_work(const void *state)
{
    return ((lsc_model *)(size_t)state)->work;
}

double lsc_model_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)n;
    const lsc_model *M = state;
    return lsc_model_fdf(M, M->train, NULL, M->train->n, x, NULL, NULL, own_work(state));
}

double lsc_model_fdf_all(const lsc_params *p, const void *state, int n, const double *x,
                         double *g)
{
    (void)p;
    (void)n;
    const lsc_model *M = state;
    return lsc_model_fdf(M, M->train, NULL, M->train->n, x, g, NULL, own_work(state));
}

/* The dense Hessian from n Hessian-vector products with the unit vectors (column j is
 * H e_j), symmetrised: the two halves agree to rounding. The unit vector lives in the n
 * doubles after the landscape's work. */
void lsc_model_hess_hvp(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)p;
    const lsc_model *M = state;
    const size_t N = (size_t)n;
    double *work = own_work(state), *e = work + M->work_size;
    memset(e, 0, N * sizeof *e);
    for (size_t j = 0; j < N; j++) {
        e[j] = 1;
        lsc_model_hvp(M, M->train, NULL, M->train->n, x, e, H + j * N, work);
        e[j] = 0;
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = i + 1; j < N; j++) {
            double s = 0.5 * (H[i * N + j] + H[j * N + i]);
            H[i * N + j] = H[j * N + i] = s;
        }
}

/* The plot and random-start box: [-2, 2] on every axis (nn.Linear's default init draws
 * from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), well inside). */
void lsc_model_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)p;
    (void)state;
    for (int j = 0; j < n; j++) {
        lo[j] = -2;
        hi[j] = 2;
    }
}

int lsc_model_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)n;
    return ((const lsc_model *)state)->has_min;
}

void lsc_model_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    (void)p;
    (void)k;
    const lsc_model *M = state;
    cp->kind = LSC_CP_MIN;
    cp->f = M->fmin;
    cp->eig_min = M->eig_min;
    cp->eig_max = M->eig_max;
    cp->tol = 1e-9;
    memcpy(cp->x, M->xmin, (size_t)n * sizeof *cp->x);
}

/* ---- standard starts: nn.Linear's default initialisation ----------------------------- */

void lsc_model_torch_init(const lsc_model *M, gsl_rng *r, double *x)
{
    /* nn.Linear.reset_parameters: kaiming_uniform_(W, a=sqrt(5)) is U(-1/sqrt(fan_in),
     * 1/sqrt(fan_in)), and the bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (0 when fan_in = 0) */
    for (int l = 0; l < M->nlayers; l++) {
        const int fan_in = M->size[l], fan_out = M->size[l + 1];
        const double bound = fan_in > 0 ? 1 / sqrt((double)fan_in) : 0;
        const size_t nw = (size_t)fan_in * (size_t)fan_out;
        for (size_t k = 0; k < nw; k++)
            x[M->woff[l] + k] = bound * (2 * gsl_rng_uniform(r) - 1);
        for (int k = 0; k < fan_out; k++)
            x[M->boff[l] + (size_t)k] = bound * (2 * gsl_rng_uniform(r) - 1);
    }
}

int lsc_model_nstarts(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)state;
    (void)n;
    return LSC_MODEL_NSTARTS;
}

/* Standard start k: lsc_model_torch_init with MT19937 seeded k (the same whatever the
 * run's seed; init=torch draws with the run's). Without memory for the generator: zeros. */
void lsc_model_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) {
        memset(x, 0, (size_t)n * sizeof *x);
        return;
    }
    gsl_rng_set(r, (unsigned long)k);
    lsc_model_torch_init(state, r, x);
    gsl_rng_free(r);
}

/* ---- landscapes that load their data ---------------------------------------------------- */

const lsc_model *lsc_landscape_model(const lsc_landscape *L)
{
    return L && lsc_landscape_type_is_model(L->type) ? (const lsc_model *)L->state : NULL;
}

int lsc_landscape_type_is_model(const lsc_landscape_type *T)
{
    return T && T->init_data != NULL;
}

lsc_landscape *lsc_landscape_load_model(const char *spec, int dim, const char *data_spec,
                                        const char *target, double holdout,
                                        unsigned long long seed, const char *what,
                                        lsc_error *err)
{
    lsc_dataset *sets = calloc(2, sizeof *sets), all;
    if (!sets) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return NULL;
    }
    int rc = lsc_data_load(&all, data_spec, target, seed, err);
    if (rc == LSC_OK && holdout > 0) {
        rc = lsc_data_split(&all, holdout, seed, &sets[0], &sets[1], err);
        lsc_data_free(&all);
    } else if (rc == LSC_OK) {
        sets[0] = all;
    }
    lsc_landscape *L = rc == LSC_OK ? lsc_landscape_new_with_data(spec, dim, &sets[0], what, err)
                                    : NULL;
    if (!L) {
        lsc_data_free(&sets[0]);
        lsc_data_free(&sets[1]);
        free(sets);
        return NULL;
    }
    lsc_model *M = L->state;
    M->owned = sets;
    M->test = holdout > 0 ? &sets[1] : NULL;
    return L;
}
