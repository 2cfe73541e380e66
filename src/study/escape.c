/* escape.c — `study escape`: how many steps optimizers need to leave a saddle, measured
 * over many starts, with the theory beside it
 *
 * For a landscape with a known saddle s (the first of its known critical points that is a
 * saddle or degenerate: saddle, monkey-saddle, lee-saddle, quadratic-spectrum with
 * negative eigenvalues, octopus, deep-linear), each optimizer of a list and each gradient
 * noise level of a list (a case), runs from a set of starts around s:
 *
 *   ball     K starts uniform in the ball of radius r0 around s (start j from the generator
 *            lsc_rng_for_run(seed, ESCAPE_STREAM + j): n Gaussians, then one uniform U;
 *            x = s + r0 U^(1/n) z/|z|)
 *   line     one start at each distance d of a list along v, x = s + d v: v the unit
 *            eigenvector of the Hessian's lowest eigenvalue at s (a degenerate saddle
 *            without a negative eigenvalue: the coordinate direction +-e_i along which f
 *            falls fastest at distance 1e-3)
 *   saddle   K starts at s itself (only noise or a perturbation can move them)
 *
 * Every case runs from the same starts (common random numbers); run i of case c from start
 * j is task i = c K + j of lsc_parallel_map, with its own landscape and optimizer objects
 * and its random streams from (seed, i): the output bytes do not depend on the threads.
 * A run's escape step is the first step k with |x_k - x_start| >= R (run.h's escape event;
 * the run stops there), "never" when that does not happen within the budget.
 *
 * Theory, for gradient descent (gd, or sgd without momentum or weight decay) on a saddle
 * with a negative eigenvalue -gamma (the lowest; eigenvector v): along v the linearised
 * iteration is y_{k+1} = a y_k - eta sigma xi_k, a = 1 + eta gamma, xi_k ~ N(0, 1) the
 * projection of the isotropic gradient noise on v, so
 *
 *   y_k - y_0 = (a^k - 1) y_0 + e_k,   e_k ~ N(0, v_k),
 *   v_k = eta^2 sigma^2 (1 + a^2 + ... + a^(2(k-1))) = eta^2 sigma^2 (a^(2k) - 1)/(a^2 - 1)
 *
 * (the geometric sum of independent Gaussian increments: the variance of a first-order
 * autoregression, here with |a| > 1). Without noise the escape step is then the closed form
 *
 *   k* = ceil( ln(1 + R/|y_0|) / ln(1 + eta gamma) )          (escape measured from x_start)
 *
 * exact on a quadratic saddle for starts on the unstable line (saddle, quadratic-spectrum);
 * with noise the probability of having escaped by step k is taken as
 *
 *   F(k) = mean over the starts of P(|(a^k - 1) y_0 + e_k| >= R)
 *        = mean of (erfc((R - m)/sqrt(2 v_k)) + erfc((R + m)/sqrt(2 v_k)))/2,  m = (a^k-1) y_0
 *
 * which from y_0 = 0 (the saddle itself) is the escape driven by noise alone: the median
 * escape step solves v_k = (R/0.6745)^2, i.e. k ~ ln(R sqrt(a^2-1)/(0.6745 eta sigma))/ln a,
 * the discrete form of the ln(1/sigma)/lambda exit time from a hyperbolic point under
 * small noise (Kifer, Israel J. Math. 40, 1981). The marginal probability stands in for
 * the first passage: once |y_k| >= R >> eta sigma the iterate grows by a each step and
 * does not come back. Stable directions (and further unstable ones) are left out: their
 * displacement is at most |x_0 - s| (plus a noise floor of eta sigma / sqrt(1 - (1 -
 * eta lambda)^2)), small against R by construction; the Markdown says when a landscape
 * has more than one negative eigenvalue or none.
 *
 * The dimension sweep (Du, Jin, Lee, Jordan, Singh & Poczos, Gradient descent can take
 * exponential time to escape saddle points, NIPS 2017): on octopus with d saddles, for
 * each d of a list, runs from starts uniform in the cube [-h, h]^d around saddle 1 (the
 * origin) until f falls below the midpoint between the last saddle's value and the
 * minimum's (every saddle passed). The figure shows the median steps against d on a log
 * axis; the caption gives the fitted growth: ln(steps) = a + b d (exponential, factor e^b
 * per saddle) and ln(steps) = a + p ln d (polynomial, exponent p), for each optimizer.
 */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "study_impl.h"

enum {
    P_LANDSCAPE,
    P_DIM,
    P_OPTIMIZERS,
    P_STARTS,
    P_RADIUS,
    P_DISTANCES,
    P_RUNS,
    P_ESCAPE,
    P_STEPS,
    P_NOISE,
    P_SEED,
    P_THREADS,
    P_SWEEP,
    P_SWEEP_LANDSCAPE,
    P_SWEEP_DIMS,
    P_SWEEP_OPTIMIZERS,
    P_SWEEP_RUNS,
    P_SWEEP_HALF_WIDTH,
    P_SWEEP_STEPS,
    P_FORMAT,
};

enum { STARTS_BALL, STARTS_LINE, STARTS_SADDLE };

static const lsc_study_opt escape_opts[] = {
    [P_LANDSCAPE] = {"landscape", LSC_STUDY_TEXT, "saddle", 0, 0, NULL,
                     "a landscape with a known saddle (saddle, monkey-saddle, lee-saddle, "
                     "quadratic-spectrum, octopus, deep-linear)"},
    [P_DIM] = {"dim", LSC_STUDY_INT, "0", 0, 10000, NULL,
               "its dimension (0: the landscape's default)"},
    [P_OPTIMIZERS] = {"optimizers", LSC_STUDY_TEXT,
                      "gd:lr=0.1|momentum:lr=0.1|adam:lr=0.01|pgd:lr=0.1,r=0.01", 0, 0, NULL,
                      "the optimizers compared, separated by '|'"},
    [P_STARTS] = {"starts", LSC_STUDY_CHOICE, "ball", 0, 0, "ball|line|saddle",
                  "where the runs start: a ball of radius r0 around the saddle, a line of "
                  "distances along its unstable direction, or the saddle itself"},
    [P_RADIUS] = {"radius", LSC_STUDY_REAL, "1e-3", 1e-300, 1e6, NULL,
                  "ball: its radius r0"},
    [P_DISTANCES] = {"distances", LSC_STUDY_LIST,
                     "1e-1,1e-2,1e-3,1e-4,1e-5,1e-6,1e-7,1e-8,1e-9,1e-10,1e-11,1e-12", 1e-300,
                     1e6, NULL, "line: the distances from the saddle"},
    [P_RUNS] = {"runs", LSC_STUDY_INT, "200", 1, 1000000, NULL,
                "ball, saddle: starts per case (K)"},
    [P_ESCAPE] = {"escape", LSC_STUDY_REAL, "1", 1e-300, 1e6, NULL,
                  "escaped: |x - x_start| >= this (R)"},
    [P_STEPS] = {"steps", LSC_STUDY_INT, "2000", 1, 100000000, NULL,
                 "the budget of every run"},
    [P_NOISE] = {"noise", LSC_STUDY_LIST, "0,0.01", 0, 1e6, NULL,
                 "gradient noise levels (std. dev. per coordinate; 0: none), each a case "
                 "with every optimizer"},
    [P_SEED] = {"seed", LSC_STUDY_INT, "1", 0, 9e15, NULL,
                "the seed of the starts and of every run's streams"},
    [P_THREADS] = LSC_STUDY_THREADS_OPT,
    [P_SWEEP] = {"sweep", LSC_STUDY_BOOL, "true", 0, 0, NULL,
                 "also the dimension sweep of Du et al. 2017"},
    [P_SWEEP_LANDSCAPE] = {"sweep_landscape", LSC_STUDY_TEXT, "octopus", 0, 0, NULL,
                           "sweep: the chain of saddles (octopus and its parameters)"},
    [P_SWEEP_DIMS] = {"sweep_dims", LSC_STUDY_LIST, "2,3,4,5,6,7,8", 2, 100, NULL,
                      "sweep: the dimensions d (= saddles)"},
    [P_SWEEP_OPTIMIZERS] = {"sweep_optimizers", LSC_STUDY_TEXT,
                            "gd:lr=0.05|pgd:lr=0.05,r=0.1,g_thres=0.1,t_thres=10", 0, 0, NULL,
                            "sweep: the optimizers, separated by '|'"},
    [P_SWEEP_RUNS] = {"sweep_runs", LSC_STUDY_INT, "10", 1, 100000, NULL,
                      "sweep: starts per dimension"},
    [P_SWEEP_HALF_WIDTH] = {"sweep_half_width", LSC_STUDY_REAL, "1", 1e-300, 1e6, NULL,
                            "sweep: starts uniform in the cube [-h, h]^d around saddle 1"},
    [P_SWEEP_STEPS] = {"sweep_steps", LSC_STUDY_INT, "100000", 1, 100000000, NULL,
                       "sweep: the budget of every run"},
    [P_FORMAT] = {"format", LSC_STUDY_CHOICE, "png", 0, 0, "png|svg|pdf",
                  "image format of the figures"},
};

/* "esc" << 32: start j of a ball is drawn from lsc_rng_for_run(seed, ESCAPE_STREAM + j);
 * the sweep's start j of dimension d from ESCAPE_STREAM + (d << 24) + j (streams.h) */
#define ESCAPE_STREAM (0x657363ULL << 32)
#define MAX_OPT 16
#define MAX_CASES (MAX_OPT * LSC_STUDY_MAX_LIST)
#define NQ 5
static const double quant_p[NQ] = {0.1, 0.25, 0.5, 0.75, 0.9};

/* What one run measured: a task's slot. */
typedef struct {
    long step;   /* escape step (sweep: steps to the last basin); 0: never */
    int status;  /* the run's stop status */
    int zero;    /* a coordinate of the last x was 0 or subnormal */
} esc_slot;

/* One case: an optimizer at one noise level. */
typedef struct {
    int opt;               /* index into the optimizer list */
    double noise;
    int gd;                /* plain gradient descent: the theory applies */
    double lr;
    int escaped, diverged;
    double q[NQ];          /* measured quantiles (INFINITY: never) */
    double tq[NQ], tfrac;  /* theory quantiles and fraction (NAN: none) */
    int exact;             /* noise-free GD: runs whose step equals the closed form */
    long *sorted;          /* escape steps of the escaped runs, ascending */
} esc_case;

typedef struct {
    const lsc_study_args *a;
    lsc_study_out *out;
    char spec[LSC_VALUE_MAX];
    int dim, n;            /* dim as asked; n the landscape's */
    char opt[MAX_OPT][LSC_VALUE_MAX], label[MAX_OPT][LSC_NAME_MAX];
    int nopt;
    int starts, K;         /* start kind; runs per case */
    double R;
    long steps;
    unsigned long long seed;
    int threads;
    double *s;             /* the saddle (n) */
    lsc_cp_kind kind;
    double eig_min, eig_max;
    int nneg;              /* negative eigenvalues of the Hessian at s */
    double *v;             /* the line's direction (n) */
    double *x0;            /* K starts (K x n) */
    double *y0;            /* their components along v */
    esc_case cs[MAX_CASES];
    int ncase;
    esc_slot *slot;        /* ncase x K */
} esc_ctx;

/* ---- the list of optimizers ---------------------------------------------------------- */

/* Item k of a '|'-separated list into buf (blanks around it trimmed); returns the number
 * of items. */
static int list_item(const char *text, int k, char *buf, size_t len)
{
    int count = 0;
    const char *p = text;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (count == k && buf) {
            const char *b = p, *e = p + l;
            while (b < e && (*b == ' ' || *b == '\t'))
                b++;
            while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            snprintf(buf, len, "%.*s", (int)(e - b), b);
        }
        count++;
        if (!bar)
            return count;
        p = bar + 1;
    }
}

/* The optimizers of option key (a '|'-separated list) into opt[], each made once for n
 * parameters to check it. Returns how many, or a negative error naming the key. */
static int parse_optimizers(const char *key, const char *text, int n,
                            char opt[][LSC_VALUE_MAX], char label[][LSC_NAME_MAX],
                            lsc_error *err)
{
    const int m = list_item(text, -1, NULL, 0);
    if (m > MAX_OPT) {
        lsc_error_set(err, LSC_EINVAL, "%s: %d optimizers (allowed: at most %d, separated by "
                      "'|')", key, m, MAX_OPT);
        return LSC_EINVAL;
    }
    for (int k = 0; k < m; k++) {
        list_item(text, k, opt[k], LSC_VALUE_MAX);
        lsc_optim *o = lsc_optim_new(opt[k], n, key, err);
        if (!o)
            return err->code ? err->code : LSC_EINVAL;
        snprintf(label[k], LSC_NAME_MAX, "%s", o->label);
        lsc_optim_free(o);
    }
    return m;
}

/* Plain gradient descent (gd; sgd without momentum and weight decay): its learning rate,
 * else NAN. */
static double gd_rate(const char *spec, int n)
{
    lsc_error e;
    lsc_optim *o = lsc_optim_new(spec, n, "optimizers", &e);
    double lr = NAN;
    if (o && (!strcmp(o->type->name, "gd") || !strcmp(o->type->name, "sgd"))) {
        double mu = lsc_params_get(&o->params, "momentum");
        double wd = lsc_params_get(&o->params, "weight_decay");
        if (!(mu != 0 && !isnan(mu)) && !(wd != 0 && !isnan(wd)))
            lr = lsc_optim_lr(o);
    }
    lsc_optim_free(o);
    return lr;
}

/* ---- the saddle and the starts --------------------------------------------------------- */

/* The first known critical point of L that is a saddle (or degenerate) into s. Returns
 * LSC_OK or LSC_EINVAL naming the key. */
static int find_saddle(esc_ctx *c, const lsc_landscape *L, const char *key, lsc_error *err)
{
    const int ncp = lsc_landscape_ncritical(L);
    lsc_critical cp = {.x = c->s};
    for (int k = 0; k < ncp; k++) {
        lsc_landscape_critical(L, k, &cp);
        if (cp.kind == LSC_CP_SADDLE || cp.kind == LSC_CP_DEGENERATE) {
            c->kind = cp.kind;
            return LSC_OK;
        }
    }
    lsc_error_set(err, LSC_EINVAL, "%s: '%s' has no known saddle (allowed: a landscape with "
                  "one among its known critical points: saddle, monkey-saddle, lee-saddle, "
                  "quadratic-spectrum with negative eigenvalues, octopus, deep-linear)", key,
                  c->a->text[P_LANDSCAPE]);
    return LSC_EINVAL;
}

/* The Hessian's spectrum at s: eig_min, eig_max, the negative ones, and v (its unit
 * eigenvector of eig_min when negative; else the direction +-e_i of fastest fall). */
static int saddle_direction(esc_ctx *c, const lsc_landscape *L, lsc_error *err)
{
    const int n = c->n;
    double *H = malloc((size_t)n * n * sizeof *H), *x = malloc((size_t)n * sizeof *x);
    gsl_vector *ev = gsl_vector_alloc((size_t)n);
    gsl_matrix *V = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc((size_t)n);
    int rc = H && x && ev && V && w ? LSC_OK : LSC_ENOMEM;
    if (rc != LSC_OK)
        lsc_error_set(err, rc, "out of memory for the Hessian of %d dimensions", n);
    if (rc == LSC_OK && lsc_landscape_has_hessian(L) && lsc_landscape_hess(L, c->s, H) == 0) {
        gsl_matrix_view Hm = gsl_matrix_view_array(H, (size_t)n, (size_t)n);
        gsl_eigen_symmv(&Hm.matrix, ev, V, w);
        gsl_eigen_symmv_sort(ev, V, GSL_EIGEN_SORT_VAL_ASC);
        c->eig_min = gsl_vector_get(ev, 0), c->eig_max = gsl_vector_get(ev, (size_t)n - 1);
        for (int i = 0; i < n; i++) {
            c->nneg += gsl_vector_get(ev, (size_t)i) < 0;
            c->v[i] = gsl_matrix_get(V, (size_t)i, 0);
        }
    } else {
        c->eig_min = c->eig_max = NAN;
    }
    if (rc == LSC_OK && !(c->eig_min < 0)) { /* degenerate: the coordinate of fastest fall */
        double best = INFINITY;
        int bi = 0, bs = 1;
        for (int i = 0; i < n; i++)
            for (int sg = -1; sg <= 1; sg += 2) {
                memcpy(x, c->s, (size_t)n * sizeof *x);
                x[i] += sg * 1e-3;
                double f = lsc_landscape_f(L, x);
                if (f < best)
                    best = f, bi = i, bs = sg;
            }
        memset(c->v, 0, (size_t)n * sizeof *c->v);
        c->v[bi] = bs;
    }
    free(H);
    free(x);
    gsl_vector_free(ev);
    gsl_matrix_free(V);
    if (w)
        gsl_eigen_symmv_free(w);
    return rc;
}

/* Start j into x (see the top of the file). */
static void make_start(const esc_ctx *c, int j, double *x, gsl_rng *r)
{
    const int n = c->n;
    memcpy(x, c->s, (size_t)n * sizeof *x);
    if (c->starts == STARTS_LINE) {
        const double d = c->a->list[P_DISTANCES][j];
        for (int i = 0; i < n; i++)
            x[i] += d * c->v[i];
    } else if (c->starts == STARTS_BALL) { /* uniform in the ball, as pgd.c's perturbation */
        double z2 = 0, *z = x; /* z added in place after the norm is known */
        double tmp[64];
        double *g = n <= 64 ? tmp : malloc((size_t)n * sizeof *g);
        if (!g)
            return;
        for (int i = 0; i < n; i++) {
            g[i] = gsl_ran_gaussian(r, 1.0);
            z2 += g[i] * g[i];
        }
        const double rho = c->a->num[P_RADIUS] * pow(gsl_rng_uniform(r), 1.0 / n);
        for (int i = 0; i < n; i++)
            z[i] += rho * g[i] / sqrt(z2);
        if (g != tmp)
            free(g);
    }
}

/* Every start, and its component along v. */
static int make_starts(esc_ctx *c, lsc_error *err)
{
    const int n = c->n, K = c->K;
    c->x0 = malloc((size_t)K * n * sizeof *c->x0);
    c->y0 = malloc((size_t)K * sizeof *c->y0);
    if (!c->x0 || !c->y0) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for %d starts of %d dimensions", K, n);
        return LSC_ENOMEM;
    }
    for (int j = 0; j < K; j++) {
        gsl_rng *r = c->starts == STARTS_BALL ? lsc_rng_for_run(c->seed, ESCAPE_STREAM + (unsigned)j)
                                               : NULL;
        if (c->starts == STARTS_BALL && !r) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        double *x = c->x0 + (size_t)j * n, y = 0;
        make_start(c, j, x, r);
        gsl_rng_free(r);
        for (int i = 0; i < n; i++)
            y += (x[i] - c->s[i]) * c->v[i];
        c->y0[j] = y;
    }
    return LSC_OK;
}

/* ---- the runs -------------------------------------------------------------------------- */

/* What a recorder keeps of a run: its last row's step (a stop is always recorded) and
 * whether a coordinate of x was below the smallest normal double there (0 or subnormal:
 * gradient descent's growth by 1 + lr gamma per step then rounds back, e.g. 1.1 x 4.9e-324
 * is 4.9e-324). */
typedef struct {
    long step;
    int zero;
    int n;
} last_row;

static int last_step(void *user, int run_index, const lsc_row *row, lsc_error *err)
{
    (void)run_index, (void)err;
    last_row *l = user;
    l->step = row->step;
    l->zero = 0;
    for (int i = 0; i < l->n; i++)
        l->zero |= fabs(row->x[i]) < DBL_MIN;
    return LSC_OK;
}

/* One run on its own landscape and optimizer objects (never shared between tasks). */
typedef struct {
    const char *spec;
    int dim;
    const char *opt;
    const double *x0;
    long steps;
    double escape;    /* escape mode: R (the run stops there); 0: sweep mode */
    double noise;
    double stop_loss; /* sweep mode: the level below the last saddle */
    unsigned long long seed;
} one_run;

/* The run into slot: its status, and its escape step (escape mode) or the step at which f
 * fell below stop_loss (sweep mode); 0 when that never happened. */
static int run_once(const one_run *q, int index, esc_slot *slot, lsc_error *err)
{
    lsc_landscape *L = lsc_landscape_new(q->spec, q->dim, "landscape", err);
    if (!L)
        return err->code ? err->code : LSC_ENOMEM;
    lsc_optim *o = lsc_optim_new(q->opt, L->n, "optimizers", err);
    int rc = o ? LSC_OK : err->code ? err->code : LSC_ENOMEM;
    lsc_trajectory t;
    lsc_trajectory_init(&t, L->n, 0, 0);
    lsc_run_record rec;
    memset(&rec, 0, sizeof rec);
    last_row last = {.n = L->n};
    const int sweep = !(q->escape > 0);
    lsc_run_opts ro = {
        .landscape = L, .steps = q->steps, .escape = q->escape, .stop_dist = q->escape,
        .noise = q->noise, .seed = q->seed, .every = q->steps, .record = last_step,
        .record_user = &last, .stop_loss = q->stop_loss, .stop_loss_on = sweep,
    };
    if (rc == LSC_OK)
        rc = lsc_run(&ro, o, q->x0, index, &t, &rec, err);
    if (rc > 0) {
        slot->status = rc;
        slot->step = !sweep ? rec.escape : rc == LSC_STOP_LOSS ? last.step : 0;
        slot->zero = last.zero;
        rc = LSC_OK;
    }
    lsc_trajectory_free(&t);
    lsc_optim_free(o);
    lsc_landscape_free(L);
    return rc;
}

/* Task i = case c, start j. */
static int escape_task(void *vctx, int i, void *slot, lsc_error *err)
{
    const esc_ctx *c = vctx;
    const esc_case *k = &c->cs[i / c->K];
    const one_run q = {
        .spec = c->spec, .dim = c->dim, .opt = c->opt[k->opt],
        .x0 = c->x0 + (size_t)(i % c->K) * c->n, .steps = c->steps, .escape = c->R,
        .noise = k->noise, .stop_loss = NAN, .seed = c->seed,
    };
    return run_once(&q, i, slot, err);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Quantile p of K runs whose m escape steps are sorted (the rest never escaped): the
 * ceil(p K)-th smallest (the inverse of the empirical distribution function), INFINITY
 * when that run did not escape. */
static double quantile(const long *sorted, int m, int K, double p)
{
    int r = (int)ceil(p * K - 1e-9);
    r = r < 1 ? 1 : r;
    return r <= m ? (double)sorted[r - 1] : INFINITY;
}

/* ---- theory (the top of the file) ------------------------------------------------------ */

/* P(|m + e| >= R), e ~ N(0, var) */
static double p_beyond(double m, double var, double R)
{
    if (!(var > 0))
        return fabs(m) >= R ? 1.0 : 0.0;
    const double s = sqrt(2 * var);
    return 0.5 * (erfc((R - m) / s) + erfc((R + m) / s));
}

/* F(k): the fraction of the case's runs expected to have escaped by step k. */
static double theory_F(const esc_ctx *c, const esc_case *k, long steps)
{
    const double a = 1 + k->lr * -c->eig_min;
    const double ak = pow(a, (double)steps);
    const double var = k->lr * k->lr * k->noise * k->noise * (ak * ak - 1) / (a * a - 1);
    double F = 0;
    for (int j = 0; j < c->K; j++)
        F += p_beyond((ak - 1) * c->y0[j], var, c->R);
    return F / c->K;
}

/* The closed form k* = ceil(ln(1 + R/|y0|) / ln(1 + eta gamma)) (0: y0 = 0, never). */
static long closed_form(const esc_ctx *c, double lr, double y0)
{
    if (y0 == 0)
        return 0;
    return (long)ceil(log1p(c->R / fabs(y0)) / log1p(lr * -c->eig_min));
}

/* The smallest k in [1, steps] with F(k) >= p (F rises with k), INFINITY when none. */
static double theory_quantile(const esc_ctx *c, const esc_case *k, double p)
{
    if (theory_F(c, k, c->steps) < p)
        return INFINITY;
    long lo = 0, hi = c->steps; /* F(lo) < p <= F(hi) */
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (theory_F(c, k, mid) >= p)
            hi = mid;
        else
            lo = mid;
    }
    return (double)hi;
}

/* The case's measured numbers from its slots, and the theory where it applies. */
static int summarise(esc_ctx *c, esc_case *k, const esc_slot *sl, lsc_error *err)
{
    if (!(k->sorted = malloc((size_t)c->K * sizeof *k->sorted))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    k->escaped = k->diverged = 0;
    for (int j = 0; j < c->K; j++) {
        if (sl[j].step > 0)
            k->sorted[k->escaped++] = sl[j].step;
        k->diverged += sl[j].status == LSC_STOP_DIVERGED || sl[j].status == LSC_STOP_DOMAIN ||
                       sl[j].status == LSC_STOP_FAILED;
    }
    qsort(k->sorted, (size_t)k->escaped, sizeof *k->sorted, cmp_long);
    for (int q = 0; q < NQ; q++)
        k->q[q] = quantile(k->sorted, k->escaped, c->K, quant_p[q]);
    const int theory = k->gd && c->eig_min < 0;
    k->tfrac = theory ? theory_F(c, k, c->steps) : NAN;
    for (int q = 0; q < NQ; q++)
        k->tq[q] = theory ? theory_quantile(c, k, quant_p[q]) : NAN;
    k->exact = 0;
    if (theory && k->noise == 0)
        for (int j = 0; j < c->K; j++) {
            long kc = closed_form(c, k->lr, c->y0[j]);
            k->exact += (kc <= c->steps ? kc : 0) == sl[j].step;
        }
    return LSC_OK;
}

/* ---- the files ------------------------------------------------------------------------- */

/* A step count for a table: the number, "never" (INFINITY) or "-" (NAN). */
static const char *step_text(double v, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (isinf(v))
        snprintf(buf, len, "never");
    else
        snprintf(buf, len, "%.0f", v);
    return buf;
}

/* The standard error of a fraction p of K runs: sqrt(p (1 - p) / K) (binomial). */
static double frac_se(double p, int K)
{
    return sqrt(p * (1 - p) / K);
}

static void write_tsv(const esc_ctx *c, FILE *fp)
{
    fputs("optimizer\tlabel\tnoise\truns\tescaped\tfraction_escaped\tfraction_se\tdiverged", fp);
    for (int q = 0; q < NQ; q++)
        fprintf(fp, "\tq%02.0f", 100 * quant_p[q]);
    fputs("\ttheory_fraction", fp);
    for (int q = 0; q < NQ; q++)
        fprintf(fp, "\ttheory_q%02.0f", 100 * quant_p[q]);
    fputs("\tclosed_form_equal\n", fp);
    for (int i = 0; i < c->ncase; i++) {
        const esc_case *k = &c->cs[i];
        const double f = (double)k->escaped / c->K;
        char b[64];
        fprintf(fp, "%s\t%s\t%.17g\t%d\t%d\t%.17g\t%.17g\t%d", c->opt[k->opt],
                c->label[k->opt], k->noise, c->K, k->escaped, f, frac_se(f, c->K), k->diverged);
        for (int q = 0; q < NQ; q++)
            fprintf(fp, "\t%s", step_text(k->q[q], b, sizeof b));
        fprintf(fp, "\t%s", study_num(k->tfrac, b, sizeof b));
        for (int q = 0; q < NQ; q++)
            fprintf(fp, "\t%s", step_text(k->tq[q], b, sizeof b));
        if (k->gd && c->eig_min < 0 && k->noise == 0)
            fprintf(fp, "\t%d\n", k->exact);
        else
            fputs("\t-\n", fp);
    }
}

/* escape-runs.tsv: one row a run. */
static void write_runs(const esc_ctx *c, FILE *fp)
{
    fputs("case\toptimizer\tnoise\trun\tstart\tdistance\ty0\tescape_step\tstatus\t"
          "closed_form\n", fp);
    for (int i = 0; i < c->ncase; i++) {
        const esc_case *k = &c->cs[i];
        const int cf = k->gd && c->eig_min < 0 && k->noise == 0;
        for (int j = 0; j < c->K; j++) {
            const esc_slot *s = &c->slot[(size_t)i * c->K + j];
            double d2 = 0;
            for (int m = 0; m < c->n; m++) {
                double e = c->x0[(size_t)j * c->n + m] - c->s[m];
                d2 += e * e;
            }
            char b1[32], b2[32];
            long kc = cf ? closed_form(c, k->lr, c->y0[j]) : 0;
            fprintf(fp, "%d\t%s\t%.17g\t%d\t%d\t%.17g\t%.17g\t%s\t%s\t%s\n", i + 1,
                    c->label[k->opt], k->noise, i * c->K + j, j, sqrt(d2), c->y0[j],
                    step_text(s->step > 0 ? (double)s->step : INFINITY, b1, sizeof b1),
                    lsc_stop_name((lsc_stop)s->status),
                    step_text(!cf ? NAN : kc > 0 ? (double)kc : INFINITY, b2, sizeof b2));
        }
    }
}

/* Does the measured quantile p (q, from K runs) agree with the theory's F? The sample
 * p-quantile is the r-th order statistic, r = ceil(p K); for continuous F, F(q) is then
 * Beta(r, K - r + 1), of mean ~p and standard deviation ~sqrt(p (1 - p) / K); with
 * integer steps F(q - 1) <= U_(r) <= F(q). Agreement: within 3 such deviations (a
 * two-sided normal tail of 0.3%), plus 0.5/K for the discreteness of r. */
static int quantile_agrees(const esc_ctx *c, const esc_case *k, int q)
{
    const double p = quant_p[q], tol = 3 * frac_se(p, c->K) + 0.5 / c->K;
    if (isinf(k->q[q])) /* never: the theory must not have escaped p by the budget */
        return k->tfrac <= p + tol;
    return theory_F(c, k, (long)k->q[q]) >= p - tol &&
           theory_F(c, k, (long)k->q[q] - 1) <= p + tol;
}

/* The fraction escaped agrees with the theory within 3 binomial standard errors (of the
 * theory's fraction), plus 0.5/K. */
static int fraction_agrees(const esc_ctx *c, const esc_case *k)
{
    const double f = (double)k->escaped / c->K;
    return fabs(f - k->tfrac) <= 3 * frac_se(k->tfrac, c->K) + 0.5 / c->K;
}

static void md_setup(const esc_ctx *c, FILE *fp)
{
    const lsc_study_args *a = c->a;
    static const char *const sk[] = {"saddle", "degenerate saddle"};
    fprintf(fp, "# Saddle escape study\n\nLandscape `%s` (n = %d), its %s at (", c->spec, c->n,
            sk[c->kind == LSC_CP_DEGENERATE]);
    for (int i = 0; i < c->n && i < 8; i++)
        fprintf(fp, "%s%.6g", i ? ", " : "", c->s[i]);
    fprintf(fp, "%s): Hessian eigenvalues from %.6g to %.6g, %d negative. ", c->n > 8 ? ", ..." : "",
            c->eig_min, c->eig_max, c->nneg);
    if (c->starts == STARTS_BALL)
        fprintf(fp, "%d starts uniform in the ball of radius %g around it", c->K,
                a->num[P_RADIUS]);
    else if (c->starts == STARTS_LINE)
        fprintf(fp, "%d starts on the line along the %s direction at the distances %s", c->K,
                c->eig_min < 0 ? "unstable (lowest eigenvalue's)" : "fastest falling",
                a->text[P_DISTANCES]);
    else
        fprintf(fp, "%d runs from the saddle itself", c->K);
    fprintf(fp, "; escaped: |x − x_start| ≥ R = %g, budget %ld steps, seed %llu. Command: "
            "`losscape study escape", c->R, c->steps, c->seed);
    for (int i = 0; i < a->type->nopts; i++)
        if (a->given[i] && i != P_THREADS) {
            fprintf(fp, " --");
            for (const char *p = a->type->opts[i].name; *p; p++)
                fputc(*p == '_' ? '-' : *p, fp);
            fprintf(fp, " '%s'", a->text[i]);
        }
    fprintf(fp, "`.\n\n");
}

static void md_table(const esc_ctx *c, FILE *fp)
{
    fprintf(fp, "Escape steps: the quantiles over the runs (never: not within the budget), "
            "the theory (gradient descent only: the linearised iteration along the unstable "
            "direction, see below) in parentheses.\n\n"
            "| optimizer | noise | escaped | 10%% | 25%% | median | 75%% | 90%% |\n"
            "|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < c->ncase; i++) {
        const esc_case *k = &c->cs[i];
        const double f = (double)k->escaped / c->K;
        fprintf(fp, "| `%s` | %g | %.3g ± %.2g", c->opt[k->opt], k->noise, f, frac_se(f, c->K));
        if (!isnan(k->tfrac))
            fprintf(fp, " (%.3g)", k->tfrac);
        if (k->diverged)
            fprintf(fp, ", %d diverged", k->diverged);
        for (int q = 0; q < NQ; q++) {
            char b1[32], b2[32];
            fprintf(fp, " | %s", step_text(k->q[q], b1, sizeof b1));
            if (!isnan(k->tq[q]))
                fprintf(fp, " (%s)", step_text(k->tq[q], b2, sizeof b2));
        }
        fprintf(fp, " |\n");
    }
}

static void md_theory(const esc_ctx *c, FILE *fp)
{
    fprintf(fp, "\n## Theory and verdicts\n\n");
    if (!(c->eig_min < 0)) {
        fprintf(fp, "The saddle has no negative Hessian eigenvalue (degenerate): the "
                "linear theory does not apply, and escape is driven by higher-order terms.\n");
        return;
    }
    const double gam = -c->eig_min;
    fprintf(fp, "Gradient descent with learning rate η on a strict saddle with unstable "
            "eigenvalue −γ = %.6g: along its eigenvector the iterate grows as y_k = a^k y_0, "
            "a = 1 + ηγ, so the first step with |x_k − x_start| ≥ R is the closed form "
            "**k\\* = ⌈ln(1 + R/|y_0|) / ln(1 + ηγ)⌉** (exact on a quadratic saddle for starts "
            "on the unstable line). With gradient noise of standard deviation σ the linearised "
            "iterate is y_k = a^k y_0 + e_k with e_k ~ N(0, v_k), **v_k = η²σ²(a^(2k) − 1)/(a² − "
            "1)** (a geometric sum of independent Gaussian steps), and the probability of having "
            "escaped by step k is F(k) = mean over starts of P(|(a^k − 1) y_0 + e_k| ≥ R). From "
            "the saddle itself (y_0 = 0) escape is driven by the noise alone: the median is "
            "k ≈ ln(R √(a² − 1) / (0.6745 ησ)) / ln a, the discrete form of the ln(1/σ)/λ exit "
            "time from a hyperbolic point under small noise (Kifer 1981). Stable directions are "
            "left out (their displacement is at most the start's distance from the saddle).",
            gam);
    if (c->nneg > 1)
        fprintf(fp, " This saddle has %d negative eigenvalues: the theory follows the "
                "lowest only, so it is an upper bound on the escape time.", c->nneg);
    fprintf(fp, "\n\n");
    for (int i = 0; i < c->ncase; i++) {
        const esc_case *k = &c->cs[i];
        if (!k->gd)
            continue;
        int ok = fraction_agrees(c, k);
        for (int q = 0; q < NQ; q++)
            ok &= quantile_agrees(c, k, q);
        fprintf(fp, "- **`%s`, noise %g** (a = %.6g): ", c->opt[k->opt], k->noise,
                1 + k->lr * gam);
        if (k->noise == 0)
            fprintf(fp, "the measured escape step equals the closed form k* for %d of %d "
                    "runs; ", k->exact, c->K);
        fprintf(fp, "the fraction escaped and every quantile %s the theory within their "
                "sampling error (3 binomial / order-statistic standard deviations, "
                "sqrt(p(1 − p)/K) with K = %d).\n", ok ? "agree with" : "DISAGREE with", c->K);
    }
}

static void write_md(const esc_ctx *c, FILE *fp)
{
    md_setup(c, fp);
    md_table(c, fp);
    md_theory(c, fp);
}

/* ---- the ECDF figure ----------------------------------------------------------------- */

static const char *fig_ext(const lsc_study_args *a)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    return ext[(int)a->num[P_FORMAT]];
}

/* A staircase through the m sorted steps of K runs, from 0 to m/K, on to the budget:
 * 2m + 1 points into x, y (room for 2K + 1). */
static int ecdf_stairs(const long *sorted, int m, int K, long budget, double *x, double *y)
{
    int p = 0;
    for (int i = 0; i < m; i++) {
        x[p] = (double)sorted[i], y[p++] = (double)i / K;
        x[p] = (double)sorted[i], y[p++] = (double)(i + 1) / K;
    }
    x[p] = (double)budget, y[p++] = (double)m / K;
    return p;
}

/* The theory's F on steps 1 .. budget as a staircase (every step up to 2000, then
 * log-spaced): at most 2 NT points. */
#define NT 1500
static int theory_stairs(const esc_ctx *c, const esc_case *k, double *x, double *y)
{
    int p = 0;
    long prev = 0;
    double Fprev = theory_F(c, k, 0);
    for (int i = 1; i <= NT / 2 + 1 && prev < c->steps; i++) {
        long s = c->steps <= NT / 2 ? i
                                    : (long)ceil(pow((double)c->steps, (double)i / (NT / 2 + 1)));
        if (s <= prev)
            continue;
        s = s > c->steps ? c->steps : s;
        double F = theory_F(c, k, s);
        x[p] = (double)s, y[p++] = Fprev;
        x[p] = (double)s, y[p++] = F;
        Fprev = F, prev = s;
    }
    return p;
}

/* The empirical distribution of the escape steps of every case (COCO style: the fraction
 * of runs escaped against steps on a log axis), the theory dashed in the same colour. */
static int fig_ecdf(esc_ctx *c, lsc_error *err)
{
    lsc_plot_series s[2 * MAX_CASES];
    double *buf[2 * MAX_CASES] = {0};
    char lab[2 * MAX_CASES][LSC_VALUE_MAX + 64];
    int ns = 0, rc = LSC_OK;
    for (int i = 0; i < c->ncase && rc == LSC_OK; i++) {
        const esc_case *k = &c->cs[i];
        const int th = k->gd && c->eig_min < 0;
        const size_t need = 2 * (size_t)(2 * c->K + 1) + (th ? 4 * NT : 0);
        if (!(buf[i] = malloc(need * sizeof *buf[i]))) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
            break;
        }
        double *x = buf[i], *y = x + 2 * c->K + 1;
        int m = ecdf_stairs(k->sorted, k->escaped, c->K, c->steps, x, y);
        if (k->noise > 0)
            snprintf(lab[ns], sizeof lab[ns], "%s, noise σ = %g", c->label[k->opt], k->noise);
        else
            snprintf(lab[ns], sizeof lab[ns], "%s", c->label[k->opt]);
        /* colour: the optimizer; thin: with noise */
        s[ns] = (lsc_plot_series){lab[ns], x, y, NULL, m, LSC_SERIES_LINES, 1 + k->opt % 8, 0,
                                  k->noise > 0};
        ns++;
        if (th) {
            double *tx = y + 2 * c->K + 1, *ty = tx + 2 * NT;
            int mt = theory_stairs(c, k, tx, ty);
            snprintf(lab[ns], sizeof lab[ns], "theory, %s%s", c->label[k->opt],
                     k->noise > 0 ? " with noise" : "");
            s[ns] = (lsc_plot_series){lab[ns], tx, ty, NULL, mt, LSC_SERIES_LINES,
                                      1 + k->opt % 8, 1, k->noise > 0};
            ns++;
        }
    }
    if (rc == LSC_OK) {
        static lsc_plot_opts po;
        lsc_study_figure(c->out, &po, "escape-ecdf", fig_ext(c->a));
        po.width = 900, po.height = 640;
        po.ylim[0] = 0, po.ylim[1] = 1;
        snprintf(po.title, sizeof po.title, "Escape from a saddle (%.200s): the fraction of runs "
                 "escaped against steps", c->spec);
        char where[256];
        if (c->starts == STARTS_BALL)
            snprintf(where, sizeof where, "%d starts uniform in a ball of radius %g", c->K,
                     c->a->num[P_RADIUS]);
        else if (c->starts == STARTS_LINE)
            snprintf(where, sizeof where, "%d starts at distances %.120s along the unstable "
                     "direction", c->K, c->a->text[P_DISTANCES]);
        else
            snprintf(where, sizeof where, "%d runs from the saddle itself", c->K);
        snprintf(po.caption, sizeof po.caption, "%s; escaped: |x − x_start| ≥ %g; budget %ld "
                 "steps (a curve ending below 1: runs that never escaped). Dashed: gradient "
                 "descent's theory, the linearised iteration along the unstable direction "
                 "(eigenvalue %.4g): k* = ⌈ln(1 + R/|y0|)/ln(1 + ηγ)⌉ per start, with noise the "
                 "Gaussian spread v_k = η²σ²(a^(2k) − 1)/(a² − 1). losscape study escape, "
                 "seed %llu.", where, c->R, c->steps, c->eig_min, c->seed);
        snprintf(po.xlabel, sizeof po.xlabel, "steps");
        snprintf(po.ylabel, sizeof po.ylabel, "fraction of runs escaped");
        rc = lsc_plot_render_series(s, ns, 1, 0, &po, err);
    }
    for (int i = 0; i < c->ncase; i++)
        free(buf[i]);
    return rc;
}

/* ---- the dimension sweep (Du et al. 2017) ---------------------------------------------- */

#define SWEEP_MAX_DIM 100

typedef struct {
    const lsc_study_args *a;
    int nd, nopt, K;
    int dim[LSC_STUDY_MAX_LIST];
    double centre[LSC_STUDY_MAX_LIST][SWEEP_MAX_DIM]; /* saddle 1 of each d */
    double level[LSC_STUDY_MAX_LIST];   /* below: every saddle passed */
    char opt[MAX_OPT][LSC_VALUE_MAX], label[MAX_OPT][LSC_NAME_MAX];
    long steps;
    unsigned long long seed;
    esc_slot *slot;                     /* (d, optimizer, run) */
    /* per (d, optimizer): */
    double med[LSC_STUDY_MAX_LIST][MAX_OPT], q25[LSC_STUDY_MAX_LIST][MAX_OPT],
        q75[LSC_STUDY_MAX_LIST][MAX_OPT];
    int done[LSC_STUDY_MAX_LIST][MAX_OPT], stuck[LSC_STUDY_MAX_LIST][MAX_OPT];
    double fit_b[MAX_OPT], fit_p[MAX_OPT]; /* ln steps = a + b d ; = a + p ln d */
    double res_b[MAX_OPT], res_p[MAX_OPT]; /* their residual sums of squares */
    int nfit[MAX_OPT];
} sweep_ctx;

/* Task i = ((d, optimizer), run): a start uniform in the cube of half-width h around
 * saddle 1, from lsc_rng_for_run(seed, ESCAPE_STREAM + (d << 24) + j). */
static int sweep_task(void *vctx, int i, void *slot, lsc_error *err)
{
    const sweep_ctx *w = vctx;
    const int j = i % w->K, m = i / w->K % w->nopt, di = i / w->K / w->nopt, d = w->dim[di];
    double x0[SWEEP_MAX_DIM];
    gsl_rng *r = lsc_rng_for_run(w->seed, ESCAPE_STREAM + ((unsigned long long)d << 24) +
                                              (unsigned long long)j);
    if (!r) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    const double h = w->a->num[P_SWEEP_HALF_WIDTH];
    for (int k = 0; k < d; k++)
        x0[k] = w->centre[di][k] + h * (2 * gsl_rng_uniform(r) - 1);
    gsl_rng_free(r);
    const one_run q = {.spec = w->a->text[P_SWEEP_LANDSCAPE], .dim = d, .opt = w->opt[m],
                       .x0 = x0, .steps = w->steps, .escape = 0, .noise = 0,
                       .stop_loss = w->level[di], .seed = w->seed};
    return run_once(&q, i, slot, err);
}

/* Each d's saddle 1 and the level below the last saddle: the midpoint between the lowest
 * saddle value and the minimum. */
static int sweep_setup(sweep_ctx *w, const lsc_study_args *a, lsc_error *err)
{
    w->a = a;
    w->nd = a->nlist[P_SWEEP_DIMS];
    w->K = (int)a->num[P_SWEEP_RUNS];
    w->steps = (long)a->num[P_SWEEP_STEPS];
    w->seed = (unsigned long long)a->num[P_SEED];
    for (int di = 0; di < w->nd; di++) {
        const double dv = a->list[P_SWEEP_DIMS][di];
        if (dv != floor(dv)) {
            lsc_error_set(err, LSC_EINVAL, "sweep_dims: '%g' is not allowed (expected "
                          "integers from 2 to %d)", dv, SWEEP_MAX_DIM);
            return LSC_EINVAL;
        }
        const int d = w->dim[di] = (int)dv;
        lsc_landscape *L = lsc_landscape_new(a->text[P_SWEEP_LANDSCAPE], d, "sweep_landscape",
                                             err);
        if (!L)
            return err->code;
        if (di == 0) {
            int m = parse_optimizers("sweep_optimizers", a->text[P_SWEEP_OPTIMIZERS], d, w->opt,
                                     w->label, err);
            if (m < 0) {
                lsc_landscape_free(L);
                return m;
            }
            w->nopt = m;
        }
        double fs = INFINITY, fm = INFINITY, x[SWEEP_MAX_DIM];
        int have = 0;
        lsc_critical cp = {.x = x};
        for (int k = 0; k < lsc_landscape_ncritical(L); k++) {
            lsc_landscape_critical(L, k, &cp);
            if (cp.kind == LSC_CP_SADDLE && !have++)
                memcpy(w->centre[di], x, (size_t)d * sizeof *x);
            if (cp.kind == LSC_CP_SADDLE)
                fs = fmin(fs, cp.f);
            if (cp.kind == LSC_CP_MIN)
                fm = fmin(fm, cp.f);
        }
        lsc_landscape_free(L);
        if (!have || !isfinite(fm)) {
            lsc_error_set(err, LSC_EINVAL, "sweep_landscape: '%s' has no known saddle and "
                          "minimum in %d dimensions (allowed: octopus, a chain of saddles "
                          "down to a minimum)", a->text[P_SWEEP_LANDSCAPE], d);
            return LSC_EINVAL;
        }
        w->level[di] = 0.5 * (fs + fm);
    }
    return LSC_OK;
}

/* Least squares of y on t: the slope, and the residual sum of squares into *res. */
static double ls_slope(const double *t, const double *y, int n, double *res)
{
    double mt = 0, my = 0, stt = 0, sty = 0;
    for (int i = 0; i < n; i++)
        mt += t[i] / n, my += y[i] / n;
    for (int i = 0; i < n; i++)
        stt += (t[i] - mt) * (t[i] - mt), sty += (t[i] - mt) * (y[i] - my);
    const double b = stt > 0 ? sty / stt : NAN;
    *res = 0;
    for (int i = 0; i < n; i++) {
        double e = y[i] - my - b * (t[i] - mt);
        *res += e * e;
    }
    return b;
}

/* Medians and quartiles per (d, optimizer) over the runs that passed every saddle, and
 * the two fits of ln(median) per optimizer. */
static void sweep_summarise(sweep_ctx *w)
{
    static long st[100000]; /* sweep_runs is at most 100000 */
    for (int m = 0; m < w->nopt; m++) {
        double t[LSC_STUDY_MAX_LIST], lt[LSC_STUDY_MAX_LIST], y[LSC_STUDY_MAX_LIST];
        int nf = 0;
        for (int di = 0; di < w->nd; di++) {
            const esc_slot *sl = w->slot + ((size_t)di * w->nopt + m) * w->K;
            int k = 0;
            w->stuck[di][m] = 0;
            for (int j = 0; j < w->K; j++) {
                if (sl[j].step > 0)
                    st[k++] = sl[j].step;
                w->stuck[di][m] += sl[j].step == 0 && sl[j].zero;
            }
            qsort(st, (size_t)k, sizeof *st, cmp_long);
            w->done[di][m] = k;
            w->med[di][m] = quantile(st, k, w->K, 0.5);
            w->q25[di][m] = quantile(st, k, w->K, 0.25);
            w->q75[di][m] = quantile(st, k, w->K, 0.75);
            if (isfinite(w->med[di][m])) {
                t[nf] = w->dim[di], lt[nf] = log(w->dim[di]), y[nf++] = log(w->med[di][m]);
            }
        }
        w->nfit[m] = nf;
        w->fit_b[m] = nf >= 2 ? ls_slope(t, y, nf, &w->res_b[m]) : NAN;
        w->fit_p[m] = nf >= 2 ? ls_slope(lt, y, nf, &w->res_p[m]) : NAN;
    }
}

static void sweep_files(const sweep_ctx *w, FILE *tsv, FILE *md)
{
    fputs("d\toptimizer\tlabel\truns\tpassed\tstuck\tq25\tmedian\tq75\n", tsv);
    for (int di = 0; di < w->nd; di++)
        for (int m = 0; m < w->nopt; m++) {
            char b1[32], b2[32], b3[32];
            fprintf(tsv, "%d\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", w->dim[di], w->opt[m],
                    w->label[m], w->K, w->done[di][m], w->stuck[di][m],
                    step_text(w->q25[di][m], b1, sizeof b1), step_text(w->med[di][m], b2,
                                                                       sizeof b2),
                    step_text(w->q75[di][m], b3, sizeof b3));
        }
    fprintf(md, "\n## Dimension sweep (Du et al. 2017)\n\n`%s` with d = %s saddles in a "
            "chain; %d starts uniform in the cube [−h, h]^d around saddle 1, h = %g; steps "
            "until f falls below the midpoint between the last saddle and the minimum (every "
            "saddle passed), budget %ld. Median steps [quartiles]; stuck: runs that did not pass "
            "and ended with a coordinate below the smallest normal double, 2.2e-308 (it "
            "contracted that far while the earlier saddles were passed; there a step of "
            "gradient descent no longer grows it, 1.1 × 4.9e-324 rounds to 4.9e-324: in "
            "floating point the exponential time becomes forever).\n\n| d |",
            w->a->text[P_SWEEP_LANDSCAPE], w->a->text[P_SWEEP_DIMS], w->K,
            w->a->num[P_SWEEP_HALF_WIDTH], w->steps);
    for (int m = 0; m < w->nopt; m++)
        fprintf(md, " `%s` |", w->opt[m]);
    fprintf(md, "\n|---|");
    for (int m = 0; m < w->nopt; m++)
        fprintf(md, "---|");
    fputc('\n', md);
    for (int di = 0; di < w->nd; di++) {
        fprintf(md, "| %d |", w->dim[di]);
        for (int m = 0; m < w->nopt; m++) {
            char b1[32], b2[32], b3[32];
            fprintf(md, " %s [%s, %s]", step_text(w->med[di][m], b1, sizeof b1),
                    step_text(w->q25[di][m], b2, sizeof b2), step_text(w->q75[di][m], b3,
                                                                       sizeof b3));
            if (w->done[di][m] < w->K)
                fprintf(md, ", %d of %d passed", w->done[di][m], w->K);
            if (w->stuck[di][m])
                fprintf(md, " (%d stuck)", w->stuck[di][m]);
            fprintf(md, " |");
        }
        fputc('\n', md);
    }
    fputc('\n', md);
    for (int m = 0; m < w->nopt; m++) {
        if (w->nfit[m] < 2) {
            fprintf(md, "- `%s`: fewer than two dimensions with a finite median, no fit.\n",
                    w->opt[m]);
            continue;
        }
        fprintf(md, "- `%s` (%d dimensions fitted): exponential fit ln(steps) = a + b d, "
                "**× %.3g per saddle** (residual %.3g); polynomial fit ln(steps) = a + p ln d, "
                "**p = %.3g** (residual %.3g): the %s fits better.\n", w->opt[m], w->nfit[m],
                exp(w->fit_b[m]), w->res_b[m], w->fit_p[m], w->res_p[m],
                w->res_b[m] < w->res_p[m] ? "exponential" : "polynomial");
    }
}

/* Median steps against d (log axis): markers with lines per optimizer, the better of the
 * two fits dashed; the fitted growth in the caption. */
static int fig_sweep(const sweep_ctx *w, lsc_study_out *out, lsc_error *err)
{
    enum { NF = 100 };
    static double px[MAX_OPT][LSC_STUDY_MAX_LIST], py[MAX_OPT][LSC_STUDY_MAX_LIST];
    static double fx[MAX_OPT][NF], fy[MAX_OPT][NF];
    static char lab[MAX_OPT][LSC_NAME_MAX + 64], flab[MAX_OPT][96];
    lsc_plot_series s[2 * MAX_OPT + 1];
    int ns = 0;
    char fits[1024] = "";
    size_t used = 0;
    static double bx[2], by[2];
    for (int m = 0; m < w->nopt; m++) {
        for (int di = 0; di < w->nd; di++)
            px[m][di] = w->dim[di], py[m][di] = w->med[di][m];
        snprintf(lab[m], sizeof lab[m], "%s (median)", w->label[m]);
        s[ns++] = (lsc_plot_series){lab[m], px[m], py[m], NULL, w->nd, LSC_SERIES_POINTS,
                                    1 + m % 8, 0, 0};
        if (w->nfit[m] < 2)
            continue;
        const int ex = w->res_b[m] < w->res_p[m];
        /* the fitted line through the mean of the fitted points */
        double mt = 0, my = 0, d0 = INFINITY, d1 = -INFINITY;
        int nf = 0;
        for (int di = 0; di < w->nd; di++)
            if (isfinite(w->med[di][m])) {
                d0 = fmin(d0, w->dim[di]), d1 = fmax(d1, w->dim[di]);
                mt += ex ? w->dim[di] : log(w->dim[di]);
                my += log(w->med[di][m]);
                nf++;
            }
        mt /= nf, my /= nf;
        for (int k = 0; k < NF; k++) {
            double d = d0 + (d1 - d0) * k / (NF - 1);
            fx[m][k] = d;
            fy[m][k] = exp(my + (ex ? w->fit_b[m] * (d - mt) : w->fit_p[m] * (log(d) - mt)));
        }
        if (ex)
            snprintf(flab[m], sizeof flab[m], "fit: × %.3g per saddle", exp(w->fit_b[m]));
        else
            snprintf(flab[m], sizeof flab[m], "fit: ∝ d^%.2f", w->fit_p[m]);
        s[ns++] = (lsc_plot_series){flab[m], fx[m], fy[m], NULL, NF, LSC_SERIES_LINES,
                                    1 + m % 8, 1, 0};
        used += (size_t)snprintf(fits + used, sizeof fits - used, "%s%s: steps × %.3g per "
                                 "saddle (exponential fit), ∝ d^%.2f (polynomial fit), the %s "
                                 "closer", used ? "; " : "", w->label[m], exp(w->fit_b[m]),
                                 w->fit_p[m], ex ? "exponential" : "polynomial");
        if (used >= sizeof fits)
            used = sizeof fits - 1;
    }
    bx[0] = w->dim[0], bx[1] = w->dim[w->nd - 1], by[0] = by[1] = (double)w->steps;
    s[ns++] = (lsc_plot_series){"budget", bx, by, NULL, 2, LSC_SERIES_LINES, 8, 0, 1};
    static lsc_plot_opts po;
    lsc_study_figure(out, &po, "escape-dims", fig_ext(w->a));
    po.width = 900, po.height = 640;
    snprintf(po.title, sizeof po.title, "Steps to pass d saddles of %.200s (Du et al. 2017)",
             w->a->text[P_SWEEP_LANDSCAPE]);
    int stuck = 0, notpassed = 0;
    for (int di = 0; di < w->nd; di++)
        for (int m = 0; m < w->nopt; m++)
            notpassed += w->K - w->done[di][m], stuck += w->stuck[di][m];
    snprintf(po.caption, sizeof po.caption, "Median over %d starts uniform in [−%g, %g]^d "
             "around saddle 1, until f is below the last saddle's level; the fits over the "
             "medians drawn. %s. %d runs did not pass every saddle within %ld steps (no marker "
             "where the median did not), %d of them stuck for good with a coordinate "
             "underflowed below 2.2e-308. losscape study escape, seed %llu.", w->K,
             w->a->num[P_SWEEP_HALF_WIDTH], w->a->num[P_SWEEP_HALF_WIDTH],
             fits[0] ? fits : "No fit", notpassed, w->steps, stuck, w->seed);
    snprintf(po.xlabel, sizeof po.xlabel, "d (number of saddles)");
    snprintf(po.ylabel, sizeof po.ylabel, "steps");
    return lsc_plot_render_series(s, ns, 0, 1, &po, err);
}

/* The whole sweep: runs, escape-dims.tsv, its Markdown section, its figure. */
static int sweep_run(const lsc_study_args *a, lsc_study_out *out, FILE *md, int threads,
                     lsc_error *err)
{
    static sweep_ctx w;
    memset(&w, 0, sizeof w);
    int rc = sweep_setup(&w, a, err);
    if (rc != LSC_OK)
        return rc;
    const int ntask = w.nd * w.nopt * w.K;
    if (!(w.slot = calloc((size_t)ntask, sizeof *w.slot))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    lsc_study_say(out, "dimension sweep: %d runs", ntask);
    rc = lsc_parallel_map(ntask, w.slot, sizeof *w.slot, threads, sweep_task, &w, err);
    FILE *tsv = NULL;
    if (rc == LSC_OK && !(tsv = lsc_study_file(out, "escape-dims.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK) {
        sweep_summarise(&w);
        sweep_files(&w, tsv, md);
        rc = fig_sweep(&w, out, err);
    }
    free(w.slot);
    return rc;
}

/* ---- the study ------------------------------------------------------------------------- */

static void escape_free(esc_ctx *c)
{
    for (int i = 0; i < c->ncase; i++)
        free(c->cs[i].sorted);
    free(c->s);
    free(c->v);
    free(c->x0);
    free(c->y0);
    free(c->slot);
}

/* The landscape, its saddle, the optimizers, the cases and the starts. */
static int escape_setup(esc_ctx *c, const lsc_study_args *a, lsc_error *err)
{
    snprintf(c->spec, sizeof c->spec, "%s", a->text[P_LANDSCAPE]);
    c->dim = (int)a->num[P_DIM];
    c->starts = (int)a->num[P_STARTS];
    c->K = c->starts == STARTS_LINE ? a->nlist[P_DISTANCES] : (int)a->num[P_RUNS];
    c->R = a->num[P_ESCAPE];
    c->steps = (long)a->num[P_STEPS];
    c->seed = (unsigned long long)a->num[P_SEED];
    c->threads = (int)a->num[P_THREADS];
    lsc_landscape *L = lsc_landscape_new(c->spec, c->dim, "landscape", err);
    if (!L)
        return err->code;
    c->n = L->n;
    c->s = calloc((size_t)c->n, sizeof *c->s);
    c->v = calloc((size_t)c->n, sizeof *c->v);
    int rc = c->s && c->v ? LSC_OK : LSC_ENOMEM;
    if (rc != LSC_OK)
        lsc_error_set(err, rc, "out of memory");
    if (rc == LSC_OK)
        rc = find_saddle(c, L, "landscape", err);
    if (rc == LSC_OK)
        rc = saddle_direction(c, L, err);
    lsc_landscape_free(L);
    if (rc != LSC_OK)
        return rc;
    if ((c->nopt = parse_optimizers("optimizers", a->text[P_OPTIMIZERS], c->n, c->opt,
                                    c->label, err)) < 0)
        return c->nopt;
    if ((double)c->nopt * a->nlist[P_NOISE] * c->K > 1e8) {
        lsc_error_set(err, LSC_EINVAL, "runs: %d optimizers x %d noise levels x %d starts "
                      "are more than 1e8 runs (allowed: fewer)", c->nopt, a->nlist[P_NOISE], c->K);
        return LSC_EINVAL;
    }
    for (int m = 0; m < c->nopt; m++)
        for (int l = 0; l < a->nlist[P_NOISE]; l++) {
            esc_case *k = &c->cs[c->ncase++];
            k->opt = m;
            k->noise = a->list[P_NOISE][l];
            k->lr = gd_rate(c->opt[m], c->n);
            k->gd = !isnan(k->lr);
        }
    return make_starts(c, err);
}

static int escape_run(const lsc_study_args *a, lsc_study_out *out, lsc_error *err)
{
    static esc_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    int rc = escape_setup(&c, a, err);
    if (rc == LSC_OK && a->num[P_SWEEP]) { /* the sweep's keys checked before any long work */
        static sweep_ctx w;
        memset(&w, 0, sizeof w);
        rc = sweep_setup(&w, a, err);
    }
    const int ntask = c.ncase * c.K;
    if (rc == LSC_OK && !(c.slot = calloc((size_t)ntask, sizeof *c.slot))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        rc = LSC_ENOMEM;
    }
    if (rc == LSC_OK) {
        lsc_study_say(out, "%d runs from the saddle", ntask);
        rc = lsc_parallel_map(ntask, c.slot, sizeof *c.slot, c.threads, escape_task, &c, err);
    }
    for (int i = 0; i < c.ncase && rc == LSC_OK; i++)
        rc = summarise(&c, &c.cs[i], c.slot + (size_t)i * c.K, err);
    FILE *fp = NULL, *runs = NULL, *md = NULL;
    if (rc == LSC_OK && !(fp = lsc_study_file(out, "escape.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK && !(runs = lsc_study_file(out, "escape-runs.tsv", err)))
        rc = err->code;
    if (rc == LSC_OK && !(md = lsc_study_file(out, "escape.md", err)))
        rc = err->code;
    if (rc == LSC_OK) {
        write_tsv(&c, fp);
        write_runs(&c, runs);
        write_md(&c, md);
        lsc_study_say(out, "figures");
        rc = fig_ecdf(&c, err);
    }
    if (rc == LSC_OK && a->num[P_SWEEP])
        rc = sweep_run(a, out, md, c.threads, err);
    escape_free(&c);
    return rc;
}

const lsc_study_type lsc_study_escape = {
    .name = "escape",
    .summary = "escape from a saddle: the distribution of escape steps per optimizer, with "
               "the theory, and Du et al.'s dimension sweep",
    .description =
        "For a landscape with a known saddle, each optimizer and gradient noise level, runs "
        "from starts around the saddle (a ball of radius r0, a line of distances along the "
        "unstable direction, or the saddle itself) until |x - x_start| >= R: the quantiles "
        "of the escape step and the fraction that never escapes within the budget, their "
        "ECDF (COCO style) with gradient descent's theory beside it (the closed form "
        "ceil(ln(1 + R/|y0|)/ln(1 + lr gamma)) per start, and the noise-driven escape); "
        "then the dimension sweep on octopus (Du et al. 2017): steps to pass d saddles "
        "against d, GD exponential, perturbed GD polynomial, with the fitted growth.",
    .opts = escape_opts,
    .nopts = LSC_COUNTOF(escape_opts),
    .run = escape_run,
};
