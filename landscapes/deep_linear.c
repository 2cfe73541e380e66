/* deep_linear.c — loss of a deep linear network, 1/2 |W_L ... W_1 - A|_F^2
 *
 * Parameters x = (W_1, ..., W_L): L square w x w matrices, each stored row-major, W_l at
 * x[(l-1) w^2 ...], so n = L w^2. The target A = diag(s_1, ..., s_w):
 *
 *     f(W) = 1/2 |E|_F^2,   E = P - A,   P = W_L W_{L-1} ... W_1
 *
 * Gradient: with Left_l = W_L ... W_{l+1} and Right_l = W_{l-1} ... W_1 (identity when
 * empty), dP = sum_l Left_l dW_l Right_l, so
 *     df/dW_l = Left_l^T E Right_l^T
 * Hessian, entry (W_l[a,b], W_m[c,d]), from d2f = <dE, dE> + <E, d2E>:
 *     (Left_l^T Left_m)[a,c] (Right_l Right_m^T)[b,d]
 *       + [l > m] Mid[b,c] (Left_l^T E Right_m^T)[a,d],   Mid = W_{l-1} ... W_{m+1}
 *     (l < m by symmetry).
 *
 * Parameters and dimension. depth = L, width = w, target = s (list; 1..w entries, the
 * last one repeats; empty: s_i = 3^{1-i}, i.e. 3, 1, 1/3, ... — distinct singular values
 * are learned one after the other, with plateaus in between, Saxe et al. 2014).
 * n = L w^2 must hold. depth = 0 (the default) means "from --dim": L = n / w^2, which must
 * be a whole number. So `deep-linear` alone (--dim 2, width 1) is the two-layer scalar
 * network f = 1/2 (w_2 w_1 - 3)^2, `--dim 8 deep-linear:width=2` has two 2 x 2 layers, and
 * `deep-linear:depth=3,width=2` is 12-D (--dim, if given, must say 12). Width at most DL_MAXW (work matrices live
 * on the stack: f, fdf and hess never allocate).
 *
 * Known critical points:
 *   - the origin (L >= 2): f = 1/2 sum_i s_i^2. For L = 2 its Hessian is [[0, B], [B^T, 0]]
 *     with the singular values of B those of A, so the eigenvalues are +-s_i (each w
 *     times): a strict saddle when every s_i > 0, degenerate otherwise. For L >= 3 the
 *     Hessian vanishes: degenerate (a flat plateau around the origin). When A = 0 the origin
 *     is the global minimum.
 *   - the balanced global minimum W_l = diag(s^{1/L}) for every l, f = 0 (one point of a
 *     whole manifold of minima when L >= 2, hence eig_min = 0; listed as a minimum). Its
 *     Hessian is J^T J, whose non-zero eigenvalues are
 *         sum_{l=1}^{L} s_a^{2(L-l)/L} s_b^{2(l-1)/L},   a, b = 1..w;
 *     eig_max is the largest.
 *   For L = 1, f = 1/2 |W - A|^2 has the single minimum W = A (eigenvalues 1).
 *
 * References: P. Baldi, K. Hornik, Neural networks and principal component analysis,
 * Neural Networks 2(1):53-58, 1989; A. M. Saxe, J. L. McClelland, S. Ganguli, Exact
 * solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR
 * 2014; K. Kawaguchi, Deep learning without poor local minima, NIPS 2016.
 */
#include <math.h>
#include <string.h>

#include "landscape.h"

#define DL_MAXW 32
#define DL_MAXW2 (DL_MAXW * DL_MAXW)

enum { P_DEPTH, P_WIDTH, P_TARGET };

static const lsc_param_desc dl_params[] = {
    [P_DEPTH] = {"depth", LSC_PARAM_INT, 0, 0, LSC_MAX_DIM, 0,
                 "number of layers L (0: from the dimension, L = dim / width^2)", NULL},
    [P_WIDTH] = {"width", LSC_PARAM_INT, 1, 1, DL_MAXW, 0,
                 "layer width w (square w x w matrices)", NULL},
    [P_TARGET] = {"target", LSC_PARAM_LIST, 0, 0, 1e6, 0,
                  "diagonal of A, s_1;s_2;... (the last repeats; empty: 3, 1, 1/3, ...)", NULL},
};

typedef struct {
    int L, w;
    double s[DL_MAXW]; /* diagonal of A */
} dl_state;

static size_t dl_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)p;
    (void)n;
    (void)arg;
    return sizeof(dl_state);
}

static int dl_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)arg;
    dl_state *S = state;
    const int depth = (int)p->v[P_DEPTH], w = (int)p->v[P_WIDTH], m = p->list_n[P_TARGET];
    const int w2 = w * w;
    if (depth > 0 && (long long)depth * w2 != n) {
        lsc_error_set(err, LSC_EINVAL,
                      "dim: %d for landscape 'deep-linear' with depth=%d, width=%d (allowed: "
                      "depth*width^2 = %lld; or leave depth=0 to take it from dim)",
                      n, depth, w, (long long)depth * w2);
        return LSC_EINVAL;
    }
    if (depth == 0 && n % w2 != 0) {
        lsc_error_set(err, LSC_EINVAL,
                      "dim: %d for landscape 'deep-linear' with width=%d (allowed: a multiple "
                      "of width^2 = %d; depth = dim / %d)",
                      n, w, w2, w2);
        return LSC_EINVAL;
    }
    if (m > w) {
        lsc_error_set(err, LSC_EINVAL,
                      "landscape: deep-linear: target has %d entries but width=%d (allowed: 1 "
                      "to %d entries; missing ones repeat the last)",
                      m, w, w);
        return LSC_EINVAL;
    }
    S->L = depth > 0 ? depth : n / w2;
    S->w = w;
    for (int i = 0; i < w; i++)
        S->s[i] = m == 0 ? 3.0 * pow(3.0, -i) : p->list[P_TARGET][i < m ? i : m - 1];
    return LSC_OK;
}

/* ---- small dense matrix helpers (w x w, row-major) ------------------------------- */

static void mat_eye(int w, double *A)
{
    memset(A, 0, (size_t)w * (size_t)w * sizeof *A);
    for (int i = 0; i < w; i++)
        A[i * w + i] = 1.0;
}

/* C = op(A) op(B), op = transpose when the flag is set. C must not alias A or B. */
static void mat_mul(int w, const double *A, int ta, const double *B, int tb, double *C)
{
    for (int i = 0; i < w; i++)
        for (int j = 0; j < w; j++) {
            double s = 0;
            for (int k = 0; k < w; k++)
                s += (ta ? A[k * w + i] : A[i * w + k]) * (tb ? B[j * w + k] : B[k * w + j]);
            C[i * w + j] = s;
        }
}

/* out = W_{to} ... W_{from+1} (0-based blocks from .. to-1, later ones on the left);
 * identity when from >= to. tmp: w^2 doubles. */
static void chain(int w, const double *x, int from, int to, double *out, double *tmp)
{
    const size_t w2 = (size_t)w * (size_t)w;
    mat_eye(w, out);
    for (int l = from; l < to; l++) {
        mat_mul(w, x + (size_t)l * w2, 0, out, 0, tmp);
        memcpy(out, tmp, w2 * sizeof *tmp);
    }
}

/* E = W_L ... W_1 - A, returns 1/2 |E|^2. tmp: w^2 doubles. */
static double residual(const dl_state *S, const double *x, double *E, double *tmp)
{
    const int w = S->w;
    chain(w, x, 0, S->L, E, tmp);
    double s = 0;
    for (int i = 0; i < w; i++)
        E[i * w + i] -= S->s[i];
    for (int i = 0; i < w * w; i++)
        s += E[i] * E[i];
    return 0.5 * s;
}

static double dl_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)n;
    double E[DL_MAXW2], T[DL_MAXW2];
    return residual(state, x, E, T);
}

/* The gradient blocks G_l = Left_l^T E Right_l^T. The prefix products Right_l are first
 * stored in g's own blocks, then overwritten from the last layer down while Left grows. */
static double dl_fdf(const lsc_params *p, const void *state, int n, const double *x, double *g)
{
    (void)p;
    (void)n;
    const dl_state *S = state;
    const int w = S->w, L = S->L;
    const size_t w2 = (size_t)w * (size_t)w;
    double E[DL_MAXW2], Left[DL_MAXW2], T1[DL_MAXW2], T2[DL_MAXW2];
    mat_eye(w, g); /* Right_1 = I */
    for (int l = 1; l < L; l++) /* Right_{l+1} = W_l Right_l */
        mat_mul(w, x + (size_t)(l - 1) * w2, 0, g + (size_t)(l - 1) * w2, 0, g + (size_t)l * w2);
    mat_mul(w, x + (size_t)(L - 1) * w2, 0, g + (size_t)(L - 1) * w2, 0, E); /* P */
    double f = 0;
    for (int i = 0; i < w; i++)
        E[i * w + i] -= S->s[i];
    for (size_t i = 0; i < w2; i++)
        f += E[i] * E[i];
    mat_eye(w, Left); /* Left_L = I */
    for (int l = L - 1; l >= 0; l--) {
        double *gl = g + (size_t)l * w2;
        mat_mul(w, Left, 1, E, 0, T1); /* Left^T E */
        mat_mul(w, T1, 0, gl, 1, T2);   /* (Left^T E) Right^T */
        memcpy(gl, T2, w2 * sizeof *T2);
        if (l > 0) { /* Left_{l-1} = Left_l W_l */
            mat_mul(w, Left, 0, x + (size_t)l * w2, 0, T1);
            memcpy(Left, T1, w2 * sizeof *T1);
        }
    }
    return 0.5 * f;
}

static void dl_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)p;
    const dl_state *S = state;
    const int w = S->w, L = S->L;
    const size_t w2 = (size_t)w * (size_t)w, N = (size_t)n;
    double E[DL_MAXW2], T[DL_MAXW2], Ll[DL_MAXW2], Lm[DL_MAXW2], Rl[DL_MAXW2], Rm[DL_MAXW2];
    double Mid[DL_MAXW2], X[DL_MAXW2], Y[DL_MAXW2], Z[DL_MAXW2];
    residual(S, x, E, T);
    for (int l = 0; l < L; l++) {
        chain(w, x, l + 1, L, Ll, T); /* Left_l */
        chain(w, x, 0, l, Rl, T);     /* Right_l */
        for (int m = 0; m <= l; m++) {
            chain(w, x, m + 1, L, Lm, T);
            chain(w, x, 0, m, Rm, T);
            mat_mul(w, Ll, 1, Lm, 0, X); /* Left_l^T Left_m */
            mat_mul(w, Rl, 0, Rm, 1, Y); /* Right_l Right_m^T */
            if (l > m) {
                chain(w, x, m + 1, l, Mid, T);
                mat_mul(w, Ll, 1, E, 0, T);
                mat_mul(w, T, 0, Rm, 1, Z); /* Left_l^T E Right_m^T */
            }
            for (int a = 0; a < w; a++)
                for (int b = 0; b < w; b++) {
                    size_t r = (size_t)l * w2 + (size_t)(a * w + b);
                    for (int c = 0; c < w; c++)
                        for (int d = 0; d < w; d++) {
                            size_t s = (size_t)m * w2 + (size_t)(c * w + d);
                            double h = X[a * w + c] * Y[b * w + d];
                            if (l > m)
                                h += Mid[b * w + c] * Z[a * w + d];
                            H[r * N + s] = H[s * N + r] = h;
                        }
                }
        }
    }
}

/* Box: +-max(2, 1.5 s_max^{1/L}) in every coordinate. */
static void dl_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)p;
    const dl_state *S = state;
    double smax = 0;
    for (int i = 0; i < S->w; i++)
        smax = fmax(smax, S->s[i]);
    double h = fmax(2.0, 1.5 * pow(smax, 1.0 / S->L));
    for (int j = 0; j < n; j++) {
        lo[j] = -h;
        hi[j] = h;
    }
}

/* Starts: small (0: scale 0.01, Saxe et al.'s near-zero initialisation) and moderate
 * (1: scale 0.5) deterministic pseudo-random entries scale * (2 frac((j+1) phi) - 1),
 * phi the golden ratio. */
static void dl_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    const double phi = 0.6180339887498949, scale = k == 0 ? 0.01 : 0.5;
    for (int j = 0; j < n; j++) {
        double u = (j + 1) * phi;
        x[j] = scale * (2 * (u - floor(u)) - 1);
    }
}

static int dl_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)n;
    const dl_state *S = state;
    if (S->L == 1)
        return 1;
    for (int i = 0; i < S->w; i++)
        if (S->s[i] != 0)
            return 2;
    return 1; /* A = 0: the origin is the minimum */
}

static void dl_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp)
{
    (void)p;
    const dl_state *S = state;
    const int w = S->w, L = S->L;
    const size_t w2 = (size_t)w * (size_t)w;
    double smax = 0, fo = 0;
    int allpos = 1;
    for (int i = 0; i < w; i++) {
        smax = fmax(smax, S->s[i]);
        fo += 0.5 * S->s[i] * S->s[i];
        allpos &= S->s[i] > 0;
    }
    memset(cp->x, 0, (size_t)n * sizeof *cp->x);
    cp->tol = 1e-14;
    if (k == 0 && L >= 2) { /* the origin */
        cp->f = fo;
        if (smax == 0) {
            cp->kind = LSC_CP_MIN;
            cp->eig_min = cp->eig_max = 0.0;
        } else if (L == 2) {
            cp->kind = allpos ? LSC_CP_SADDLE : LSC_CP_DEGENERATE;
            cp->eig_min = -smax;
            cp->eig_max = smax;
        } else {
            cp->kind = LSC_CP_DEGENERATE;
            cp->eig_min = cp->eig_max = 0.0;
        }
        return;
    }
    /* the balanced minimum W_l = diag(s^{1/L}) */
    for (int l = 0; l < L; l++)
        for (int i = 0; i < w; i++)
            cp->x[(size_t)l * w2 + (size_t)(i * w + i)] = pow(S->s[i], 1.0 / L);
    cp->kind = LSC_CP_MIN;
    cp->f = 0.0;
    double emax = 0;
    for (int a = 0; a < w; a++)
        for (int b = 0; b < w; b++) {
            double e = 0; /* sum_l s_a^{2(L-l)/L} s_b^{2(l-1)/L} */
            for (int l = 1; l <= L; l++)
                e += pow(S->s[a], 2.0 * (L - l) / L) * pow(S->s[b], 2.0 * (l - 1) / L);
            emax = fmax(emax, e);
        }
    cp->eig_min = L == 1 ? 1.0 : 0.0;
    cp->eig_max = emax;
}

/* Without a dimension: n = depth * width^2 when depth is given (0: default_dim). */
static int dl_dim_from(const lsc_params *p, const char *arg)
{
    (void)arg;
    double n = p->v[P_DEPTH] * p->v[P_WIDTH] * p->v[P_WIDTH];
    return n <= LSC_MAX_DIM ? (int)n : 0;
}

const lsc_landscape_type lsc_landscape_deep_linear = {
    .name = "deep-linear",
    .summary = "deep linear network 1/2 |W_L...W_1 - A|^2: saddle at the origin, plateaus "
               "(Saxe et al. 2014); dimension depth * width^2",
    .formula = "f(W) = 1/2 |W_L ... W_1 - diag(s)|_F^2, W_l in R^{w x w}, n = L w^2; width = "
               "1, depth from dim, s = 3, 1, 1/3, ...",
    .citation = "Baldi & Hornik, Neural Networks 2(1), 1989; Saxe, McClelland & Ganguli, "
                "Exact solutions to the nonlinear dynamics of learning in deep linear neural "
                "networks, ICLR 2014",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = dl_params,
    .nparams = LSC_COUNTOF(dl_params),
    .log_color = 1,
    .dim_from = dl_dim_from,
    .state_size = dl_state_size,
    .init = dl_init,
    .f = dl_f,
    .fdf = dl_fdf,
    .hess = dl_hess,
    .lo = {-2.0, -2.0},
    .hi = {2.0, 2.0},
    .box = dl_box,
    .nstarts = 2,
    .start = dl_start,
    .ncritical = dl_ncritical,
    .critical = dl_critical,
};
