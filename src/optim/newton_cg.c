/* newton_cg.c — truncated Newton in a trust region: conjugate gradients on
 * Hessian–vector products (Steihaug's CG)
 *
 * Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.2 (CG–Steihaug) inside
 * Algorithm 4.1 (the trust region). At x with gradient g and radius Δ, CG minimises the
 * model m(p) = gᵀp + ½ pᵀHp over ‖p‖ ≤ Δ approximately:
 *
 *     z₀ = 0, r₀ = g, d₀ = −r₀ ;  for j = 0, 1, ...
 *         if dⱼᵀH dⱼ ≤ 0:  p = zⱼ + τ dⱼ with ‖p‖ = Δ, τ ≥ 0        (negative curvature)
 *         αⱼ = rⱼᵀrⱼ / dⱼᵀH dⱼ ;  zⱼ₊₁ = zⱼ + αⱼ dⱼ
 *         if ‖zⱼ₊₁‖ ≥ Δ:  p = zⱼ + τ dⱼ with ‖p‖ = Δ, τ ≥ 0          (the boundary)
 *         rⱼ₊₁ = rⱼ + αⱼ H dⱼ ;  if ‖rⱼ₊₁‖ < εₖ:  p = zⱼ₊₁          (truncation)
 *         βⱼ₊₁ = rⱼ₊₁ᵀrⱼ₊₁ / rⱼᵀrⱼ ;  dⱼ₊₁ = −rⱼ₊₁ + βⱼ₊₁ dⱼ
 *
 * with the forcing term εₖ = min(η, √‖g‖) ‖g‖, η = eta = 0.5 (their eq. (7.3): superlinear
 * convergence; eta = 0 runs every iteration)
 * and at most max_cg iterations (0: n). Then ρ = (f(x) − f(x + p)) / (−m(p)): the step is
 * taken when ρ > 1e-4, and Δ shrinks to Δ/4 when ρ < ¼ and doubles (to at most 10⁸ Δ₀)
 * when ρ > ¾ with p on the boundary (Alg. 4.1). A step that is not taken leaves x as it
 * was, with the smaller Δ for the next. lr scales the step taken (1: p itself).
 * Unlike a line search along the CG direction, the region lets negative curvature give a
 * long step where the model says f falls: a line search crawled along Rosenbrock's bend.
 *
 * H d without a dense Hessian: the central difference of gradients
 *     H d ≈ (∇f(x + h d) − ∇f(x − h d)) / 2h,   h = ε^⅓ (1 + ‖x‖) / ‖d‖,
 * whose truncation error O(h²) and rounding error O(ε/h) balance at h ∝ ε^⅓ (N&W §8.1);
 * two gradients per product, O(n) memory, so n = 10⁶ is fine. hvp=hessian evaluates
 * ∇²f once per step into an n × n matrix (n ≤ LSC_NEWTON_CG_MAX_DENSE) and multiplies;
 * auto takes it when the landscape has a Hessian and n ≤ 64, differences otherwise.
 * f and the gradients come from ctx->landscape; g is the step's gradient as given (after
 * noise or clipping, when the run adds them).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "optim_impl.h"

enum { P_LR, P_RADIUS, P_MAX_CG, P_ETA, P_HVP };
enum { HVP_AUTO, HVP_HESSIAN, HVP_FD };

#define LSC_NEWTON_CG_MAX_DENSE 1024
#define AUTO_DENSE_MAX 64
#define ACCEPT 1e-4 /* η of Alg. 4.1: take the step when ρ > η */

typedef struct {
    int max_cg, mode; /* mode: HVP_AUTO, HVP_HESSIAN or HVP_FD */
    int dense_ok;     /* the state holds an n × n matrix */
    double eta;             /* the forcing term's bound */
    double radius0, radius; /* Δ₀ and the current Δ */
    size_t off_z, off_r, off_d, off_hd, off_xt, off_ga, off_gb, off_h;
} ncg_state;

static int wants_dense(const lsc_params *p, int n)
{
    int mode = (int)p->v[P_HVP];
    return n <= LSC_NEWTON_CG_MAX_DENSE &&
           (mode == HVP_HESSIAN || (mode == HVP_AUTO && n <= AUTO_DENSE_MAX));
}

static size_t ncg_layout(const lsc_params *p, int n, ncg_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(ncg_state));
    memset(s, 0, sizeof *s);
    s->off_z = lsc_layout_add(&L, n, sizeof(double));
    s->off_r = lsc_layout_add(&L, n, sizeof(double));
    s->off_d = lsc_layout_add(&L, n, sizeof(double));
    s->off_hd = lsc_layout_add(&L, n, sizeof(double));
    s->off_xt = lsc_layout_add(&L, n, sizeof(double));
    s->off_ga = lsc_layout_add(&L, n, sizeof(double));
    s->off_gb = lsc_layout_add(&L, n, sizeof(double));
    if ((s->dense_ok = wants_dense(p, n)))
        s->off_h = lsc_layout_add(&L, (size_t)n * (size_t)n, sizeof(double));
    return lsc_layout_size(&L);
}

static size_t ncg_state_size(const lsc_params *p, int n)
{
    ncg_state s;
    return ncg_layout(p, n, &s);
}

static int ncg_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    ncg_state *s = state;
    if ((int)p->v[P_HVP] == HVP_HESSIAN && n > LSC_NEWTON_CG_MAX_DENSE) {
        memset(s, 0, sizeof *s);
        lsc_error_set(err, LSC_EINVAL, "optimizer 'newton-cg': hvp=hessian keeps an n x n "
                      "matrix, so n = %d is more than %d (use hvp=fd)", n,
                      LSC_NEWTON_CG_MAX_DENSE);
        return LSC_EINVAL;
    }
    ncg_layout(p, n, s);
    s->max_cg = (int)p->v[P_MAX_CG];
    s->mode = (int)p->v[P_HVP];
    s->eta = p->v[P_ETA];
    s->radius0 = s->radius = p->v[P_RADIUS];
    return LSC_OK;
}

static double dot(int n, const double *a, const double *b)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* hd = H d at x: the dense H, or the central difference of gradients. */
static void hvp(ncg_state *s, const lsc_landscape *L, int n, const double *x, const double *H,
                const double *d, double *hd)
{
    if (H) {
        for (int i = 0; i < n; i++)
            hd[i] = dot(n, H + (size_t)i * (size_t)n, d);
        return;
    }
    double *xt = LSC_STATE_ARRAY(s, s->off_xt), *ga = LSC_STATE_ARRAY(s, s->off_ga);
    double *gb = LSC_STATE_ARRAY(s, s->off_gb);
    const double dn = sqrt(dot(n, d, d));
    if (dn == 0) {
        memset(hd, 0, (size_t)n * sizeof *hd);
        return;
    }
    const double h = cbrt(DBL_EPSILON) * (1 + sqrt(dot(n, x, x))) / dn;
    for (int i = 0; i < n; i++)
        xt[i] = x[i] + h * d[i];
    lsc_landscape_fdf(L, xt, ga);
    for (int i = 0; i < n; i++)
        xt[i] = x[i] - h * d[i];
    lsc_landscape_fdf(L, xt, gb);
    for (int i = 0; i < n; i++)
        hd[i] = (ga[i] - gb[i]) / (2 * h);
}

/* z ← z + τ d with τ ≥ 0 the root of ‖z + τ d‖ = Δ (z inside the region, so one root is
 * positive): τ = (−zᵀd + √((zᵀd)² + ‖d‖²(Δ² − ‖z‖²))) / ‖d‖². */
static void to_boundary(int n, double *z, const double *d, double radius)
{
    const double zd = dot(n, z, d), dd = dot(n, d, d), zz = dot(n, z, z);
    const double disc = zd * zd + dd * (radius * radius - zz);
    const double tau = dd > 0 ? (-zd + sqrt(disc > 0 ? disc : 0)) / dd : 0;
    for (int i = 0; i < n; i++)
        z[i] += tau * d[i];
}

/* Algorithm 7.2: the step p (in z) for gradient g in the region of radius Δ. Returns 1
 * when p ends on the boundary. */
static int steihaug(ncg_state *s, const lsc_landscape *L, int n, const double *x,
                    const double *H, const double *g)
{
    double *z = LSC_STATE_ARRAY(s, s->off_z), *r = LSC_STATE_ARRAY(s, s->off_r);
    double *d = LSC_STATE_ARRAY(s, s->off_d), *hd = LSC_STATE_ARRAY(s, s->off_hd);
    const double gn = sqrt(dot(n, g, g)), radius = s->radius;
    const double tol = fmin(s->eta, sqrt(gn)) * gn; /* εₖ */
    const int iters = s->max_cg > 0 ? s->max_cg : n;
    memset(z, 0, (size_t)n * sizeof *z);
    memcpy(r, g, (size_t)n * sizeof *r);
    for (int i = 0; i < n; i++)
        d[i] = -g[i];
    double rr = gn * gn;
    for (int j = 0; j < iters && rr > 0; j++) {
        hvp(s, L, n, x, H, d, hd);
        const double dhd = dot(n, d, hd);
        if (!(dhd > 0)) { /* negative (or no) curvature along d: to the boundary */
            to_boundary(n, z, d, radius);
            return 1;
        }
        const double alpha = rr / dhd;
        double zz = 0;
        for (int i = 0; i < n; i++) {
            const double zi = z[i] + alpha * d[i];
            zz += zi * zi;
        }
        if (sqrt(zz) >= radius) { /* the CG step leaves the region */
            to_boundary(n, z, d, radius);
            return 1;
        }
        for (int i = 0; i < n; i++) {
            z[i] += alpha * d[i];
            r[i] += alpha * hd[i];
        }
        const double rr1 = dot(n, r, r);
        if (sqrt(rr1) < tol)
            return 0;
        const double beta = rr1 / rr;
        for (int i = 0; i < n; i++)
            d[i] = -r[i] + beta * d[i];
        rr = rr1;
    }
    return 0;
}

static int ncg_step(void *state, int n, double *x, const double *g, double lr,
                    const lsc_step_ctx *ctx)
{
    ncg_state *s = state;
    if (n == 0)
        return LSC_OK;
    if (!ctx || !ctx->landscape)
        return LSC_ENOTSUP;
    const lsc_landscape *L = ctx->landscape;
    if (L->n != n)
        return LSC_EINVAL;
    double *H = NULL;
    if (s->dense_ok && s->mode != HVP_FD && lsc_landscape_has_hessian(L)) {
        H = LSC_STATE_ARRAY(s, s->off_h);
        int rc = lsc_landscape_hess(L, x, H);
        if (rc != LSC_OK)
            return rc;
    } else if (s->mode == HVP_HESSIAN) {
        return LSC_ENOTSUP; /* hvp=hessian on a landscape without one */
    }
    const int boundary = steihaug(s, L, n, x, H, g);
    const double *p = LSC_STATE_ARRAY(s, s->off_z);
    double *xt = LSC_STATE_ARRAY(s, s->off_xt), *hp = LSC_STATE_ARRAY(s, s->off_hd);
    /* ρ = actual / predicted reduction, m(p) = gᵀp + ½ pᵀHp (Alg. 4.1) */
    hvp(s, L, n, x, H, p, hp);
    const double model = dot(n, g, p) + 0.5 * dot(n, p, hp);
    for (int i = 0; i < n; i++)
        xt[i] = x[i] + p[i];
    const double f0 = lsc_landscape_f(L, x), f1 = lsc_landscape_f(L, xt);
    const double rho = model < 0 ? (f0 - f1) / -model : -1;
    if (rho < 0.25)
        s->radius *= 0.25;
    else if (rho > 0.75 && boundary && s->radius < 1e8 * s->radius0)
        s->radius *= 2;
    if (rho > ACCEPT && isfinite(f1))
        for (int i = 0; i < n; i++)
            x[i] += lr * p[i];
    return LSC_OK;
}

static const lsc_param_desc ncg_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1.0, 0, 1e6, LSC_LO_OPEN,
              "scale of the step taken (1: the trust-region step p itself)", NULL},
    [P_RADIUS] = {"radius", LSC_PARAM_REAL, 1.0, 0, 1e12, LSC_LO_OPEN,
                  "the trust region's first radius Δ₀ (it grows to at most 1e8 Δ₀)", NULL},
    [P_MAX_CG] = {"max_cg", LSC_PARAM_INT, 0, 0, 1e9, 0,
                  "conjugate-gradient iterations per step at most (0: n)", NULL},
    [P_ETA] = {"eta", LSC_PARAM_REAL, 0.5, 0, 1, LSC_HI_OPEN,
               "CG stops when |r| < min(eta, sqrt|g|) |g| (0: max_cg iterations, the Newton "
               "step within the region)", NULL},
    [P_HVP] = {"hvp", LSC_PARAM_CHOICE, HVP_AUTO, 0, 0, 0,
               "Hessian-vector products: hessian (dense, n <= 1024), fd (central differences "
               "of gradients, any n), auto (hessian when the landscape has one and n <= 64)",
               "auto|hessian|fd"},
};

const lsc_optim_type lsc_optim_newton_cg = {
    .name = "newton-cg",
    .summary = "truncated Newton: Steihaug's CG on Hessian-vector products in a trust region",
    .citation = "Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.2 in Alg. 4.1 "
                "(Steihaug 1983)",
    .formula = "p ≈ argmin gᵀp + ½pᵀHp over ‖p‖ ≤ Δ by CG (stop when ‖r‖ < min(η, √‖g‖)‖g‖,\n"
               "at negative curvature or at the boundary);  ρ = (f(θ) − f(θ + p)) / −m(p)\n"
               "θ ← θ + γ p if ρ > 1e-4 ;  Δ ← Δ/4 if ρ < ¼, 2Δ if ρ > ¾ on the boundary",
    .pytorch = "no torch.optim class: scipy.optimize.minimize(f, θ, jac=grad, hessp=hvp, "
               "method='trust-ncg', options=dict(initial_trust_radius={radius})) is the same "
               "algorithm, with steps scaled by {lr}, at most {max_cg} CG iterations (0: n), "
               "forcing bound {eta}, products by {hvp}",
    .params = ncg_params,
    .nparams = LSC_COUNTOF(ncg_params),
    .flags = 0,
    .state_size = ncg_state_size,
    .init = ncg_init,
    .step = ncg_step,
};
