/* newton.c — Newton's method and saddle-free Newton, for landscapes with a Hessian
 *
 * newton:  θ ← θ − γ H⁻¹g
 *     H = ∇²f(θ) from ctx->landscape, factorised P H = L U by Gaussian elimination with
 *     partial pivoting (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 3.4.1), then
 *     two triangular solves. Newton is attracted by every critical point, saddles included.
 *
 * sfn:     θ ← θ − γ |H|⁻¹g,  |H| = V (|Λ| + δI) Vᵀ
 *     Dauphin, Pascanu, Gulcehre, Cho, Ganguli & Bengio, "Identifying and attacking the
 *     saddle point problem in high-dimensional non-convex optimization", NIPS 2014, eq. (9):
 *     H = V Λ Vᵀ (gsl_eigen_symmv on the symmetrised H), and the step uses the absolute
 *     values of the eigenvalues, so it descends along negative curvature where Newton would
 *     climb to the saddle. δ = damping (default 1e-8, absolute) keeps |λ| + δ away from 0;
 *     the paper damps the same way (a multiple of I added to |H|).
 *
 * Singular Hessians. newton returns LSC_ESINGULAR when a pivot |u_kk| ≤ n·ε·max|H_ij|
 * (ε = DBL_EPSILON), including H = 0. sfn with damping = 0 returns LSC_ESINGULAR when
 * min|λ| ≤ n·ε·max|λ|; with damping > 0 it always takes a step (at most ‖g‖/δ long).
 * A Hessian with a NaN or infinite entry gives LSC_EDOMAIN; no ctx->landscape, or one
 * without a Hessian, LSC_ENOTSUP; a landscape of another dimension, LSC_EINVAL.
 *
 * Every work array (n×n matrices, pivots, the GSL eigen workspace) lives in the state
 * block: gsl_eigen_symmv gets a gsl_eigen_symmv_workspace whose arrays point into it, so a
 * step never allocates. Dense O(n³) work per step: n is limited to LSC_NEWTON_MAX_DIM.
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "optim_impl.h"

/* Parameter indices: the rows of newton_params and sfn_params (descriptors, below). */
enum { P_LR, P_DAMPING };

#define LSC_NEWTON_MAX_DIM 1024

typedef struct {
    int saddle_free;
    double damping;
    size_t off_h, off_w, off_out;                    /* H, scratch, H⁻¹g */
    size_t off_v, off_eval, off_d, off_sd, off_gc, off_gs; /* sfn: V, λ, GSL workspace */
    size_t off_perm;                                  /* newton: pivots */
} newton_state;

/* ---- layout ----------------------------------------------------------------------- */

static size_t newton_layout(int n, int saddle_free, newton_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(newton_state));
    memset(s, 0, sizeof *s);
    if (n > LSC_NEWTON_MAX_DIM) /* init reports it; no point allocating n² doubles */
        return lsc_layout_size(&L);
    s->off_h = lsc_layout_add(&L, (size_t)n * (size_t)n, sizeof(double));
    s->off_w = lsc_layout_add(&L, n, sizeof(double));
    s->off_out = lsc_layout_add(&L, n, sizeof(double));
    if (saddle_free) {
        s->off_v = lsc_layout_add(&L, (size_t)n * (size_t)n, sizeof(double));
        s->off_eval = lsc_layout_add(&L, n, sizeof(double));
        s->off_d = lsc_layout_add(&L, n, sizeof(double));
        s->off_sd = lsc_layout_add(&L, n, sizeof(double));
        s->off_gc = lsc_layout_add(&L, n, sizeof(double));
        s->off_gs = lsc_layout_add(&L, n, sizeof(double));
    } else {
        s->off_perm = lsc_layout_add(&L, n, sizeof(int));
    }
    return lsc_layout_size(&L);
}

static size_t newton_state_size(const lsc_params *p, int n)
{
    (void)p;
    newton_state s;
    return newton_layout(n, 0, &s);
}

static size_t sfn_state_size(const lsc_params *p, int n)
{
    (void)p;
    newton_state s;
    return newton_layout(n, 1, &s);
}

static int init_common(void *state, const lsc_params *p, int n, int saddle_free,
                       lsc_error *err)
{
    newton_state *s = state;
    if (n > LSC_NEWTON_MAX_DIM) {
        memset(s, 0, sizeof *s);
        lsc_error_set(err, LSC_EINVAL,
                      "optimizer '%s': %d parameters is more than %d (it factorises a dense "
                      "n x n Hessian every step)",
                      saddle_free ? "sfn" : "newton", n, LSC_NEWTON_MAX_DIM);
        return LSC_EINVAL;
    }
    newton_layout(n, saddle_free, s);
    s->saddle_free = saddle_free;
    s->damping = saddle_free ? p->v[P_DAMPING] : 0.0;
    return LSC_OK;
}

static int newton_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    return init_common(state, p, n, 0, err);
}

static int sfn_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    return init_common(state, p, n, 1, err);
}

/* ---- Newton: LU with partial pivoting ------------------------------------------------ */

/* Solve H d = g in place (H row-major n×n is overwritten by L\U, d holds g on entry).
 * hmax = max|H_ij| > 0. Returns LSC_ESINGULAR on a pivot at rounding level. */
static int lu_solve(int n, double *H, double *d, int *perm, double hmax)
{
    const double tiny = (double)n * DBL_EPSILON * hmax;
    for (int k = 0; k < n; k++) {
        int p = k; /* pivot: largest |H_ik|, i ≥ k */
        for (int i = k + 1; i < n; i++)
            if (fabs(H[i * n + k]) > fabs(H[p * n + k]))
                p = i;
        perm[k] = p;
        if (!(fabs(H[p * n + k]) > tiny))
            return LSC_ESINGULAR;
        if (p != k)
            for (int j = 0; j < n; j++) {
                double t = H[k * n + j];
                H[k * n + j] = H[p * n + j];
                H[p * n + j] = t;
            }
        double piv = H[k * n + k];
        for (int i = k + 1; i < n; i++) { /* l_ik = a_ik/u_kk ; a_ij −= l_ik u_kj */
            double l = H[i * n + k] / piv;
            H[i * n + k] = l;
            for (int j = k + 1; j < n; j++)
                H[i * n + j] -= l * H[k * n + j];
        }
    }
    for (int k = 0; k < n; k++) { /* d ← P d */
        double t = d[k];
        d[k] = d[perm[k]];
        d[perm[k]] = t;
    }
    for (int i = 1; i < n; i++) /* L c = P g (unit lower) */
        for (int j = 0; j < i; j++)
            d[i] -= H[i * n + j] * d[j];
    for (int i = n - 1; i >= 0; i--) { /* U d = c */
        for (int j = i + 1; j < n; j++)
            d[i] -= H[i * n + j] * d[j];
        d[i] /= H[i * n + i];
    }
    return LSC_OK;
}

/* ---- saddle-free Newton: eigen-decomposition ------------------------------------------ */

/* d ← V (|Λ| + δ)⁻¹ Vᵀ g for the symmetric A (overwritten) with max|A_ij| = amax > 0. */
static int sfn_solve(newton_state *s, int n, double *A, const double *g, double *d,
                     double amax)
{
    double *V = LSC_STATE_ARRAY(s, s->off_v), *lam = LSC_STATE_ARRAY(s, s->off_eval);
    double *w = LSC_STATE_ARRAY(s, s->off_w);
    /* scale to max|A_ij| = 1 so that the reduction cannot overflow; λ = amax·eig(A/amax) */
    for (int i = 0; i < n * n; i++)
        A[i] /= amax;
    gsl_matrix_view Av = gsl_matrix_view_array(A, (size_t)n, (size_t)n);
    gsl_matrix_view Vv = gsl_matrix_view_array(V, (size_t)n, (size_t)n);
    gsl_vector_view lv = gsl_vector_view_array(lam, (size_t)n);
    gsl_eigen_symmv_workspace ws = {
        .size = (size_t)n,
        .d = LSC_STATE_ARRAY(s, s->off_d),
        .sd = LSC_STATE_ARRAY(s, s->off_sd),
        .gc = LSC_STATE_ARRAY(s, s->off_gc),
        .gs = LSC_STATE_ARRAY(s, s->off_gs),
    };
    if (gsl_eigen_symmv(&Av.matrix, &lv.vector, &Vv.matrix, &ws) != 0)
        return LSC_ESINGULAR;
    double lmax = 0, lmin = INFINITY;
    for (int k = 0; k < n; k++) {
        lam[k] = fabs(lam[k]) * amax; /* |λ_k| */
        lmax = lam[k] > lmax ? lam[k] : lmax;
        lmin = lam[k] < lmin ? lam[k] : lmin;
    }
    if (s->damping == 0 && !(lmin > (double)n * DBL_EPSILON * lmax))
        return LSC_ESINGULAR;
    for (int k = 0; k < n; k++) { /* w = (|Λ| + δ)⁻¹ Vᵀ g */
        double dot = 0;
        for (int i = 0; i < n; i++)
            dot += V[i * n + k] * g[i];
        w[k] = dot / (lam[k] + s->damping);
    }
    for (int i = 0; i < n; i++) { /* d = V w */
        double acc = 0;
        for (int k = 0; k < n; k++)
            acc += V[i * n + k] * w[k];
        d[i] = acc;
    }
    return LSC_OK;
}

static int newton_step(void *state, int n, double *x, const double *g, double lr,
                       const lsc_step_ctx *ctx)
{
    newton_state *s = state;
    if (!ctx || !ctx->landscape)
        return LSC_ENOTSUP;
    if (ctx->landscape->n != n)
        return LSC_EINVAL;
    if (n == 0)
        return LSC_OK;
    double *H = LSC_STATE_ARRAY(s, s->off_h);
    int rc = lsc_landscape_hess(ctx->landscape, x, H);
    if (rc != LSC_OK)
        return rc;
    double hmax = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double h = H[i * n + j];
            if (!isfinite(h))
                return LSC_EDOMAIN;
            if (s->saddle_free && j < i) /* symmetrise: (H + Hᵀ)/2 */
                H[i * n + j] = H[j * n + i] = 0.5 * (h + H[j * n + i]);
            hmax = fabs(h) > hmax ? fabs(h) : hmax;
        }
    if (hmax == 0) { /* H = 0: singular, unless sfn is damped (|H| + δI = δI) */
        if (!s->saddle_free || s->damping == 0)
            return LSC_ESINGULAR;
        for (int i = 0; i < n; i++)
            x[i] -= lr * g[i] / s->damping;
        return LSC_OK;
    }
    double *d = LSC_STATE_ARRAY(s, s->off_out);
    if (s->saddle_free) {
        rc = sfn_solve(s, n, H, g, d, hmax);
    } else {
        memcpy(d, g, (size_t)n * sizeof(double));
        rc = lu_solve(n, H, d, (int *)(void *)((char *)s + s->off_perm), hmax);
    }
    if (rc != LSC_OK)
        return rc;
    for (int i = 0; i < n; i++)
        x[i] -= lr * d[i]; /* θ ← θ − γ H⁻¹g  or  θ − γ|H|⁻¹g */
    return LSC_OK;
}

/* ---- descriptors ----------------------------------------------------------------- */

static const lsc_param_desc newton_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1.0, 0, 1e6, LSC_LO_OPEN,
              "step size γ (1: the full step)", NULL},
};

static const lsc_param_desc sfn_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1.0, 0, 1e6, LSC_LO_OPEN,
              "step size γ (1: the full step)", NULL},
    [P_DAMPING] = {"damping", LSC_PARAM_REAL, 1e-8, 0, 1e12, 0,
                   "δ added to every |λ| (absolute): |H| = V(|Λ| + δI)Vᵀ", NULL},
};

const lsc_optim_type lsc_optim_newton = {
    .name = "newton",
    .summary = "Newton's method θ ← θ − γH⁻¹∇f (attracted by saddles too)",
    .citation = "Golub & Van Loan, Matrix Computations, Alg. 3.4.1 (LU with partial pivoting)",
    .formula = "θ ← θ − γ H⁻¹g,   H = ∇²f(θ), g = ∇f(θ)   (LU with partial pivoting)",
    .pytorch = "no torch.optim class: with H = torch.autograd.functional.hessian(f, θ), "
               "θ -= {lr} * torch.linalg.solve(H, g)",
    .params = newton_params,
    .nparams = LSC_COUNTOF(newton_params),
    .flags = LSC_OPTIM_NEEDS_HESSIAN,
    .state_size = newton_state_size,
    .init = newton_init,
    .step = newton_step,
};

const lsc_optim_type lsc_optim_sfn = {
    .name = "sfn",
    .summary = "saddle-free Newton θ ← θ − γ|H|⁻¹∇f, |H| from the eigenvalues' absolute values",
    .citation = "Dauphin, Pascanu, Gulcehre, Cho, Ganguli & Bengio, NIPS 2014",
    .formula = "H = ∇²f(θ) = V Λ Vᵀ ;  |H| = V (|Λ| + δI) Vᵀ   (δ = damping)\n"
               "θ ← θ − γ |H|⁻¹g",
    .pytorch = "no torch.optim class: with H = torch.autograd.functional.hessian(f, θ) and "
               "Λ, V = torch.linalg.eigh(H), θ -= {lr} * V @ ((V.T @ g) / (Λ.abs() + {damping}))",
    .params = sfn_params,
    .nparams = LSC_COUNTOF(sfn_params),
    .flags = LSC_OPTIM_NEEDS_HESSIAN,
    .state_size = sfn_state_size,
    .init = sfn_init,
    .step = newton_step,
};
