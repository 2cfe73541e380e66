/* lbfgs.c — limited-memory BFGS with torch.optim.LBFGS semantics
 *
 * One losscape step is one torch LBFGS.step(closure) call (torch/optim/lbfgs.py, 1.13):
 * up to max_iter inner iterations, each one direction and one move, evaluating f and ∇f
 * at the new point through ctx->landscape (the closure). Per inner iteration k:
 *
 *   y = g − g_prev,  s = t·d,  and when yᵀs > 1e-10 the pair (y, s, ρ = 1/yᵀs) joins the
 *   history (the oldest leaves after history_size pairs) and H_diag = yᵀs / yᵀy;
 *   d = −H g by the two-loop recursion (Nocedal & Wright, Numerical Optimization, 2nd ed.,
 *   Alg. 7.4) with H₀ = H_diag·I; on the very first iteration d = −g, H_diag = 1;
 *   t = min(1, 1/‖g‖₁)·lr on the very first iteration, lr afterwards;
 *   stop when gᵀd > −tolerance_change; else θ ← θ + t·d and evaluate (except after the
 *   max_iter-th iteration, which torch leaves unevaluated);
 *   stop after max_iter iterations, or max_eval evaluations in this step, or when
 *   max|g| ≤ tolerance_grad, max|t·d| ≤ tolerance_change or |f − f_prev| < tolerance_change.
 *
 * The step starts like torch's: the closure's first call is (f(θ), g) with g the gradient
 * the caller passes; when max|g| ≤ tolerance_grad nothing moves. d, t, the history, H_diag,
 * g_prev, f_prev and the global iteration count persist between steps, as in torch's state.
 *
 * line_search_fn=strong_wolfe replaces the fixed move by torch's _strong_wolfe from t
 * (c1 = 1e-4, c2 = 0.9, at most 25 evaluations, bracket tolerance 1e-9; Nocedal & Wright,
 * Alg. 3.5 and 3.6 with cubic interpolation, eq. 3.59), which evaluates on every iteration,
 * the max_iter-th included.
 *
 * Every array lives in the state block: the history as two ring buffers of history_size
 * rows of n, so a step never allocates.
 */
#include <math.h>
#include <string.h>

#include "optim_impl.h"

/* Parameter indices: the rows of lbfgs_params (descriptors, below). */
enum { P_LR, P_MAX_ITER, P_MAX_EVAL, P_TOL_GRAD, P_TOL_CHANGE, P_HISTORY, P_LINE_SEARCH };

#define LSC_LBFGS_MAX_HISTORY 1000

typedef struct {
    int max_iter, max_eval, history;
    double tol_grad, tol_change;
    long n_iter;      /* torch's state['n_iter']: inner iterations over all steps */
    long func_evals;  /* torch's state['func_evals'] */
    int nold, first;  /* pairs in the history; ring index of the oldest */
    double t, h_diag, prev_loss;
    int line_search; /* 0 none, 1 strong_wolfe */
    size_t off_d, off_g, off_pg, off_dirs, off_stps, off_ro, off_al;
    size_t off_xt, off_gn, off_gp, off_bg0, off_bg1; /* strong_wolfe's work arrays */
} lbfgs_state;

static size_t lbfgs_layout(int n, int hist, lbfgs_state *s)
{
    lsc_layout L;
    lsc_layout_init(&L, sizeof(lbfgs_state));
    s->off_d = lsc_layout_add(&L, n, sizeof(double));
    s->off_g = lsc_layout_add(&L, n, sizeof(double));
    s->off_pg = lsc_layout_add(&L, n, sizeof(double));
    s->off_dirs = lsc_layout_add(&L, (size_t)hist * (size_t)n, sizeof(double));
    s->off_stps = lsc_layout_add(&L, (size_t)hist * (size_t)n, sizeof(double));
    s->off_ro = lsc_layout_add(&L, hist, sizeof(double));
    s->off_al = lsc_layout_add(&L, hist, sizeof(double));
    s->off_xt = lsc_layout_add(&L, n, sizeof(double));
    s->off_gn = lsc_layout_add(&L, n, sizeof(double));
    s->off_gp = lsc_layout_add(&L, n, sizeof(double));
    s->off_bg0 = lsc_layout_add(&L, n, sizeof(double));
    s->off_bg1 = lsc_layout_add(&L, n, sizeof(double));
    return lsc_layout_size(&L);
}

static int clamp_history(double h)
{
    return h < 1 ? 1 : h > LSC_LBFGS_MAX_HISTORY ? LSC_LBFGS_MAX_HISTORY : (int)h;
}

static size_t lbfgs_state_size(const lsc_params *p, int n)
{
    lbfgs_state s;
    return lbfgs_layout(n, clamp_history(p->v[P_HISTORY]), &s);
}

static int lbfgs_init(void *state, const lsc_params *p, int n, lsc_error *err)
{
    lbfgs_state *s = state;
    memset(s, 0, sizeof *s);
    (void)err;
    s->history = clamp_history(p->v[P_HISTORY]);
    lbfgs_layout(n, s->history, s);
    s->max_iter = (int)p->v[P_MAX_ITER];
    /* torch: max_eval=None means max_iter * 5 // 4 */
    s->max_eval = p->v[P_MAX_EVAL] > 0 ? (int)p->v[P_MAX_EVAL] : s->max_iter * 5 / 4;
    s->tol_grad = p->v[P_TOL_GRAD];
    s->tol_change = p->v[P_TOL_CHANGE];
    s->line_search = (int)p->v[P_LINE_SEARCH];
    s->h_diag = 1;
    return LSC_OK;
}

static double dot(int n, const double *a, const double *b)
{
    double acc = 0;
    for (int i = 0; i < n; i++)
        acc += a[i] * b[i];
    return acc;
}

static double max_abs(int n, const double *a)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = fabs(a[i]) > m ? fabs(a[i]) : m;
    return m;
}

/* The pair y = g − g_prev, s = t·d enters the history when yᵀs > 1e-10 (torch). */
static void lbfgs_update_history(lbfgs_state *s, int n, const double *g, const double *pg,
                                 const double *d)
{
    double ys = 0, yy = 0;
    for (int i = 0; i < n; i++) {
        double y = g[i] - pg[i];
        ys += y * (d[i] * s->t);
    }
    if (!(ys > 1e-10))
        return;
    int slot;
    if (s->nold == s->history) { /* drop the oldest */
        slot = s->first;
        s->first = (s->first + 1) % s->history;
    } else {
        slot = (s->first + s->nold) % s->history;
        s->nold++;
    }
    double *y = LSC_STATE_ARRAY(s, s->off_dirs) + (size_t)slot * (size_t)n;
    double *st = LSC_STATE_ARRAY(s, s->off_stps) + (size_t)slot * (size_t)n;
    for (int i = 0; i < n; i++) {
        y[i] = g[i] - pg[i];
        st[i] = d[i] * s->t;
        yy += y[i] * y[i];
    }
    LSC_STATE_ARRAY(s, s->off_ro)[slot] = 1. / ys;
    s->h_diag = ys / yy;
}

/* d = −H g by the two-loop recursion over the history, oldest (i = 0) to newest. */
static void lbfgs_direction(lbfgs_state *s, int n, const double *g, double *d)
{
    const double *dirs = LSC_STATE_ARRAY(s, s->off_dirs);
    const double *stps = LSC_STATE_ARRAY(s, s->off_stps);
    const double *ro = LSC_STATE_ARRAY(s, s->off_ro);
    double *al = LSC_STATE_ARRAY(s, s->off_al);
    for (int i = 0; i < n; i++)
        d[i] = -g[i]; /* q */
    for (int k = s->nold - 1; k >= 0; k--) {
        size_t r = (size_t)((s->first + k) % s->history);
        al[k] = dot(n, stps + r * (size_t)n, d) * ro[r];
        for (int i = 0; i < n; i++)
            d[i] += -al[k] * dirs[r * (size_t)n + i];
    }
    for (int i = 0; i < n; i++)
        d[i] *= s->h_diag; /* r = q·H_diag */
    for (int k = 0; k < s->nold; k++) {
        size_t r = (size_t)((s->first + k) % s->history);
        double be = dot(n, dirs + r * (size_t)n, d) * ro[r];
        for (int i = 0; i < n; i++)
            d[i] += (al[k] - be) * stps[r * (size_t)n + i];
    }
}

/* ---- strong Wolfe line search (torch's _strong_wolfe and _cubic_interpolate) ---------- */

/* Python's max(a, b) and min(a, b): the first argument unless the second is larger/smaller */
static double py_max(double a, double b) { return b > a ? b : a; }
static double py_min(double a, double b) { return b < a ? b : a; }

/* Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]; the
 * middle of [lo, hi] when the cubic has no real minimiser (Nocedal & Wright, eq. 3.59). */
static double cubic_interpolate(double x1, double f1, double g1, double x2, double f2,
                                double g2, double lo, double hi)
{
    double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    double d2_square = d1 * d1 - g1 * g2;
    if (d2_square >= 0) {
        double d2 = sqrt(d2_square), min_pos;
        if (x1 <= x2)
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
        else
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return py_min(py_max(min_pos, lo), hi);
    }
    return (lo + hi) / 2.;
}

typedef struct {
    double t[2], f[2], gtd[2];
    double *g[2];
} ls_bracket;

/* f and ∇f (into gn) at x + t d; returns f, sets *gtd = ∇fᵀd. */
static double ls_eval(lbfgs_state *s, const lsc_landscape *L, int n, const double *x,
                      const double *d, double t, double *gn, double *gtd)
{
    double *xt = LSC_STATE_ARRAY(s, s->off_xt);
    for (int i = 0; i < n; i++)
        xt[i] = x[i] + t * d[i];
    double f = lsc_landscape_fdf(L, xt, gn);
    *gtd = dot(n, gn, d);
    return f;
}

static void ls_set(ls_bracket *B, int k, int n, double t, double f, const double *g,
                   double gtd)
{
    B->t[k] = t;
    B->f[k] = f;
    if (B->g[k] != g)
        memcpy(B->g[k], g, (size_t)n * sizeof(double));
    B->gtd[k] = gtd;
}

/* torch's zoom phase: shrink the bracket until the strong Wolfe conditions hold. */
static int ls_zoom(lbfgs_state *s, const lsc_landscape *L, int n, const double *x,
                   const double *d, double f, double gtd, ls_bracket *B, int ls_iter,
                   int *evals)
{
    const double c1 = 1e-4, c2 = 0.9, tol = 1e-9, dnorm = max_abs(n, d);
    double *gn = LSC_STATE_ARRAY(s, s->off_gn);
    int insuf = 0, done = 0, low = B->f[0] <= B->f[1] ? 0 : 1;
    while (!done && ls_iter < 25) {
        if (fabs(B->t[1] - B->t[0]) * dnorm < tol)
            break;
        double bmin = py_min(B->t[0], B->t[1]), bmax = py_max(B->t[0], B->t[1]);
        double t = cubic_interpolate(B->t[0], B->f[0], B->gtd[0], B->t[1], B->f[1], B->gtd[1],
                                     bmin, bmax);
        double eps = 0.1 * (bmax - bmin);
        if (py_min(bmax - t, t - bmin) < eps) { /* too close to an end: move in by eps */
            if (insuf || t >= bmax || t <= bmin) {
                t = fabs(t - bmax) < fabs(t - bmin) ? bmax - eps : bmin + eps;
                insuf = 0;
            } else {
                insuf = 1;
            }
        } else {
            insuf = 0;
        }
        double gtd_new, f_new = ls_eval(s, L, n, x, d, t, gn, &gtd_new);
        ++*evals;
        ls_iter++;
        if (f_new > (f + c1 * t * gtd) || f_new >= B->f[low]) {
            ls_set(B, 1 - low, n, t, f_new, gn, gtd_new);
            low = B->f[0] <= B->f[1] ? 0 : 1;
        } else {
            if (fabs(gtd_new) <= -c2 * gtd)
                done = 1;
            else if (gtd_new * (B->t[1 - low] - B->t[low]) >= 0)
                ls_set(B, 1 - low, n, B->t[low], B->f[low], B->g[low], B->gtd[low]);
            ls_set(B, low, n, t, f_new, gn, gtd_new);
        }
    }
    return low;
}

/* torch's _strong_wolfe from x along d with initial step *t, f and g at x, gtd = gᵀd:
 * sets *t, *f and g to the accepted point's; returns the evaluations made. */
static int strong_wolfe(lbfgs_state *s, const lsc_landscape *L, int n, const double *x,
                        const double *d, double *t, double *f, double *g, double gtd)
{
    const double c1 = 1e-4, c2 = 0.9;
    double *gn = LSC_STATE_ARRAY(s, s->off_gn), *gp = LSC_STATE_ARRAY(s, s->off_gp);
    ls_bracket B = {.g = {LSC_STATE_ARRAY(s, s->off_bg0), LSC_STATE_ARRAY(s, s->off_bg1)}};
    double gtd_new, f_new = ls_eval(s, L, n, x, d, *t, gn, &gtd_new);
    int evals = 1, ls_iter = 0, done = 0;
    double t_prev = 0, f_prev = *f, gtd_prev = gtd, tt = *t;
    memcpy(gp, g, (size_t)n * sizeof(double));
    while (ls_iter < 25) {
        if (f_new > (*f + c1 * tt * gtd) || (ls_iter > 1 && f_new >= f_prev))
            break; /* a bracket [t_prev, t] */
        if (fabs(gtd_new) <= -c2 * gtd) {
            done = 1; /* the strong Wolfe conditions hold at t */
            break;
        }
        if (gtd_new >= 0)
            break; /* a bracket [t_prev, t] */
        double min_step = tt + 0.01 * (tt - t_prev), max_step = tt * 10, tmp = tt;
        tt = cubic_interpolate(t_prev, f_prev, gtd_prev, tt, f_new, gtd_new, min_step,
                               max_step);
        t_prev = tmp;
        f_prev = f_new;
        memcpy(gp, gn, (size_t)n * sizeof(double));
        gtd_prev = gtd_new;
        f_new = ls_eval(s, L, n, x, d, tt, gn, &gtd_new);
        evals++;
        ls_iter++;
    }
    int low = 0;
    if (done) {
        ls_set(&B, 0, n, tt, f_new, gn, gtd_new);
    } else if (ls_iter == 25) { /* no bracket found: torch's [0, t] */
        ls_set(&B, 0, n, 0, *f, g, gtd);
        ls_set(&B, 1, n, tt, f_new, gn, gtd_new);
        low = B.f[0] <= B.f[1] ? 0 : 1;
    } else {
        ls_set(&B, 0, n, t_prev, f_prev, gp, gtd_prev);
        ls_set(&B, 1, n, tt, f_new, gn, gtd_new);
        low = ls_zoom(s, L, n, x, d, *f, gtd, &B, ls_iter, &evals);
    }
    *t = B.t[low];
    *f = B.f[low];
    memcpy(g, B.g[low], (size_t)n * sizeof(double));
    return evals;
}

static int lbfgs_step(void *state, int n, double *x, const double *g0, double lr,
                      const lsc_step_ctx *ctx)
{
    lbfgs_state *s = state;
    if (n == 0)
        return LSC_OK;
    if (!ctx || !ctx->landscape)
        return LSC_ENOTSUP;
    if (ctx->landscape->n != n)
        return LSC_EINVAL;
    double *g = LSC_STATE_ARRAY(s, s->off_g), *pg = LSC_STATE_ARRAY(s, s->off_pg);
    double *d = LSC_STATE_ARRAY(s, s->off_d);
    memcpy(g, g0, (size_t)n * sizeof(double));
    double loss = lsc_landscape_f(ctx->landscape, x);
    int evals = 1;
    s->func_evals++;
    if (max_abs(n, g) <= s->tol_grad)
        return LSC_OK;
    for (int it = 1; it <= s->max_iter; it++) {
        s->n_iter++;
        if (s->n_iter == 1) {
            for (int i = 0; i < n; i++)
                d[i] = -g[i];
            s->nold = s->first = 0;
            s->h_diag = 1;
        } else {
            lbfgs_update_history(s, n, g, pg, d);
            lbfgs_direction(s, n, g, d);
        }
        memcpy(pg, g, (size_t)n * sizeof(double));
        s->prev_loss = loss;
        if (s->n_iter == 1) {
            double l1 = 0;
            for (int i = 0; i < n; i++)
                l1 += fabs(g[i]);
            s->t = fmin(1., 1. / l1) * lr;
        } else {
            s->t = lr;
        }
        double gtd = dot(n, g, d);
        if (gtd > -s->tol_change)
            break;
        int opt_cond = 0;
        if (s->line_search) { /* torch: evaluates even on the max_iter-th iteration */
            int ls_evals = strong_wolfe(s, ctx->landscape, n, x, d, &s->t, &loss, g, gtd);
            for (int i = 0; i < n; i++)
                x[i] += s->t * d[i];
            opt_cond = max_abs(n, g) <= s->tol_grad;
            evals += ls_evals;
            s->func_evals += ls_evals;
        } else {
            for (int i = 0; i < n; i++)
                x[i] += s->t * d[i];
        }
        if (!s->line_search && it != s->max_iter) {
            loss = lsc_landscape_fdf(ctx->landscape, x, g);
            opt_cond = max_abs(n, g) <= s->tol_grad;
            evals++;
            s->func_evals++;
        }
        if (it == s->max_iter || evals >= s->max_eval || opt_cond)
            break;
        double dmax = 0;
        for (int i = 0; i < n; i++)
            dmax = fabs(d[i] * s->t) > dmax ? fabs(d[i] * s->t) : dmax;
        if (dmax <= s->tol_change || fabs(loss - s->prev_loss) < s->tol_change)
            break;
    }
    return LSC_OK;
}

/* ---- descriptors ----------------------------------------------------------------- */

static const lsc_param_desc lbfgs_params[] = {
    [P_LR] = {"lr", LSC_PARAM_REAL, 1.0, 0, 1e6, LSC_LO_OPEN,
              "step length t of every inner iteration after the first", NULL},
    [P_MAX_ITER] = {"max_iter", LSC_PARAM_INT, 20, 1, 1e6, 0,
                    "inner iterations per step", NULL},
    [P_MAX_EVAL] = {"max_eval", LSC_PARAM_INT, 0, 0, 1e7, 0,
                    "evaluations per step (0: max_iter*5/4, torch's None)", NULL},
    [P_TOL_GRAD] = {"tolerance_grad", LSC_PARAM_REAL, 1e-7, 0, 1e6, 0,
                    "stop when max|g| <= this", NULL},
    [P_TOL_CHANGE] = {"tolerance_change", LSC_PARAM_REAL, 1e-9, 0, 1e6, 0,
                      "stop when a move or a change of f is below this", NULL},
    [P_HISTORY] = {"history_size", LSC_PARAM_INT, 100, 1, LSC_LBFGS_MAX_HISTORY, 0,
                   "(y, s) pairs kept", NULL},
    [P_LINE_SEARCH] = {"line_search_fn", LSC_PARAM_CHOICE, 0, 0, 0, 0,
                       "none: fixed steps t; strong_wolfe: torch's line search",
                       "none|strong_wolfe"},
};

const lsc_optim_type lsc_optim_lbfgs = {
    .name = "lbfgs",
    .summary = "L-BFGS, torch.optim.LBFGS: up to max_iter quasi-Newton moves per step",
    .citation = "Nocedal & Wright, Numerical Optimization, Alg. 7.4; torch.optim.LBFGS",
    .formula = "y = g − g_prev, s = t d;  if yᵀs > 1e-10 keep (y, s), H_diag = yᵀs/yᵀy\n"
               "d = −H g (two-loop recursion, H₀ = H_diag I);  θ ← θ + t d\n"
               "t = min(1, 1/‖g‖₁)·lr on the first iteration, lr afterwards",
    .pytorch = "torch.optim.LBFGS(params, lr={lr}, max_iter={max_iter}, max_eval={max_eval}, "
               "tolerance_grad={tolerance_grad}, tolerance_change={tolerance_change}, "
               "history_size={history_size}, line_search_fn='{line_search_fn}') with "
               "max_eval 0 written None and 'none' written None",
    .params = lbfgs_params,
    .nparams = LSC_COUNTOF(lbfgs_params),
    .flags = 0,
    .state_size = lbfgs_state_size,
    .init = lbfgs_init,
    .step = lbfgs_step,
};
