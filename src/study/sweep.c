/* sweep.c — `study sweep`: a grid of hyper-parameters x optimizers x seeds, equal budgets
 *
 * Every optimizer of the list runs `steps` updates from `seeds` starts (start j drawn from
 * seed + j) at every point of a grid over one or two keys: an optimizer parameter (lr,
 * momentum, beta2, ...: swept for each optimizer that has it, the others run once per
 * point of the remaining axes) or a numeric key of the experiment (noise, clip_norm,
 * batch_size, ...). Each run gives its final loss f(x_K) and the first step at which
 * f <= target_loss (steps to target). Per optimizer and grid point, over the seeds:
 *
 *   loss       mean and sd of f(x_K), and of log10 f(x_K) (the geometric mean: losses
 *              span many decades, one seed would dominate a plain mean)
 *   steps      mean and sd of the steps to target over the seeds that reached it, and
 *              how many did
 *   best       metric=loss: the least mean log10 f(x_K) (a run that diverged counts as
 *              +inf); metric=steps: the most seeds reaching the target, then the fewest
 *              steps; ties: the loss, then the lower grid point
 *
 * and a warning (in the Markdown and through the progress callback) when an optimizer's
 * best point lies on the edge of the grid: the optimum may lie beyond it, the tuning is
 * not finished.
 *
 * Theory, for a quadratic f = 1/2 x'Hx with spectrum [mu, L], 0 < mu (landscape with a
 * constant Hessian), and the optimizers gd, sgd and momentum (heavy ball; torch's
 * b <- beta b + g, x <- x - eta b is Polyak's x+ = x - eta g + beta (x - x-)) without
 * dampening, weight decay or Nesterov:
 *
 *   GD converges as rho(eta) = max(|1 - eta mu|, |1 - eta L|), least at
 *   eta* = 2/(mu + L), rho* = (L - mu)/(L + mu)           (Polyak 1987, Introduction to
 *                                                          Optimization, sec. 1.4, thm 3)
 *   heavy ball: in each eigendirection the iteration matrix [[1 + beta - eta l, -beta],
 *   [1, 0]] has the roots of z^2 - (1 + beta - eta l) z + beta = 0; its rate is the
 *   largest |z| over l in [mu, L] (attained at l = mu or l = L: inside, a complex pair has
 *   |z| = sqrt(beta), the least possible), least at Polyak's pair
 *   eta* = 4/(sqrt L + sqrt mu)^2, beta* = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2
 *                                                          (Polyak 1964; 1987 sec. 3.2)
 *
 * The study prints the optimum, the grid point nearest it, and the grid point of least rate
 * rho over the grid (the theory's answer at the grid's resolution), next to the measured
 * best. With a budget of K steps the measured loss is ~ C rho^(2K) (heavy ball at its
 * optimum: a double root, ~ K^2 rho^(2K)), so the measured best is the least-rate point
 * unless two points' rates differ by less than the prefactors can make up in K steps: then
 * it is a neighbour (within one grid step). "Nearest" in log lr is no guide on its own:
 * rho(eta) rises steeply past eta* (divergence at 2/L) and slowly below it.
 *
 * Every (optimizer, grid point, seed) is a task of lsc_parallel_map building its own
 * experiment (no object is shared between tasks); the tables are written from the slots
 * afterwards, the same bytes for any thread count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "parallel.h"
#include "study_impl.h"

enum {
    P_LANDSCAPE,
    P_DIM,
    P_START,
    P_OPTIMIZER,
    P_GRID,
    P_SEEDS,
    P_SEED,
    P_STEPS,
    P_TARGET_LOSS,
    P_METRIC,
    P_NOISE,
    P_THREADS,
    P_FORMAT,
};

static const lsc_study_opt sweep_opts[] = {
    [P_LANDSCAPE] = {"landscape", LSC_STUDY_TEXT, "quadratic-spectrum:cond=10", 0, 0, NULL,
                     "the landscape"},
    [P_DIM] = {"dim", LSC_STUDY_INT, "10", 0, 1e6, NULL,
               "its dimension (0: the landscape's own)"},
    [P_START] = {"start", LSC_STUDY_CHOICE, "random", 0, 0, "random|standard",
                 "random: seed j's start drawn in the box; standard: the landscape's start 0"},
    [P_OPTIMIZER] = {"optimizer", LSC_STUDY_SPECS, "gd|momentum", 0, 0, NULL,
                     "the optimizers compared (repeatable; '|' between specs)"},
    [P_GRID] = {"grid", LSC_STUDY_GRID, "lr=0.01:1:10log|momentum=0:0.9:10", 0, 0, NULL,
                "the grid: one or two axes KEY=LO:HI:N[log] (repeatable; '|' between axes)"},
    [P_SEEDS] = {"seeds", LSC_STUDY_INT, "5", 1, 10000, NULL, "runs per optimizer and grid point"},
    [P_SEED] = {"seed", LSC_STUDY_INT, "1", 0, 9e15, NULL,
                "run j of a grid point has seed seed + j (its start and its noise)"},
    [P_STEPS] = {"steps", LSC_STUDY_INT, "300", 1, 1e8, NULL, "the budget of every run"},
    [P_TARGET_LOSS] = {"target_loss", LSC_STUDY_REAL, "1e-8", -1e300, 1e300, NULL,
                       "steps to target: the first step with f <= this"},
    [P_METRIC] = {"metric", LSC_STUDY_CHOICE, "loss", 0, 0, "loss|steps",
                  "what 'best' means: the least mean log10 final loss, or the fewest steps "
                  "to target"},
    [P_NOISE] = {"noise", LSC_STUDY_REAL, "0", 0, 1e6, NULL,
                 "gradient noise: standard deviation per coordinate"},
    [P_THREADS] = {"threads", LSC_STUDY_INT, "0", 0, 1024, NULL,
                   "threads (0: every core); the results do not depend on it"},
    [P_FORMAT] = {"format", LSC_STUDY_CHOICE, "png", 0, 0, "png|svg|pdf",
                  "image format of the figures"},
};

/* keys of the experiment a grid may not sweep: the budget is equal by design, the seeds
 * are the replicates, and the rest are not numbers */
static const char *const fixed_keys[] = {"steps", "seed", "runs", "every", "optimizer",
                                         "landscape", "start", "data", "init", "target",
                                         "positions", "box", "dim"};

#define MAX_OPT 16

/* One run's result (a task's slot). */
typedef struct {
    double f0;   /* f at the start */
    double loss; /* f(x_K); +inf when the run diverged */
    long hit;    /* first step with f <= target, -1: never */
    int status;
} sweep_slot;

/* One optimizer at one grid point, over the seeds. */
typedef struct {
    int idx[LSC_STUDY_MAX_AXES]; /* grid index on each axis, -1: not swept */
    double lmean, lsd, gmean, gsd, smean, ssd;
    int reached, diverged;
    double rate; /* theory: the asymptotic rate rho (NAN: none) */
} sweep_cell;

typedef struct {
    char spec[LSC_VALUE_MAX];
    char name[LSC_NAME_MAX], label[LSC_NAME_MAX];
    lsc_spec parsed;
    const lsc_optim_type *T;
    int uses[LSC_STUDY_MAX_AXES]; /* axis k applies to this optimizer */
    int ncells, first_task, best;
    sweep_cell *cell;
    int theory; /* 1: gd/sgd/momentum on a quadratic: rates known */
} sweep_optim;

typedef struct {
    const lsc_study_args *a;
    lsc_study_out *out;
    lsc_study_axis ax[LSC_STUDY_MAX_AXES];
    int nax, is_exp[LSC_STUDY_MAX_AXES];
    sweep_optim opt[MAX_OPT];
    int nopt, seeds, ntasks;
    long steps;
    double target;
    sweep_slot *slot;
    double mu, L; /* the spectrum of a quadratic (NAN: not one) */
    int n;
} sweep_ctx;

/* ---- the grid and the optimizers ------------------------------------------------------- */

static int param_index(const lsc_optim_type *T, const char *key)
{
    for (int i = 0; T && i < T->nparams; i++)
        if (!strcmp(T->params[i].name, key))
            return i;
    return -1;
}

/* Which axes apply to which optimizer; every axis to at least one. */
static int classify_axes(sweep_ctx *c, lsc_error *err)
{
    for (int k = 0; k < c->nax; k++) {
        const char *key = c->ax[k].key;
        for (int i = 0; i < LSC_COUNTOF(fixed_keys); i++)
            if (!strcmp(key, fixed_keys[i])) {
                lsc_error_set(err, LSC_EINVAL, "grid: '%s' cannot be swept (the budget, the "
                              "seeds and the setup are the study's own options)", key);
                return LSC_EINVAL;
            }
        c->is_exp[k] = lsc_experiment_key(key) != 0;
        int any = c->is_exp[k];
        for (int m = 0; m < c->nopt; m++) {
            c->opt[m].uses[k] = c->is_exp[k] || param_index(c->opt[m].T, key) >= 0;
            any |= c->opt[m].uses[k];
        }
        if (!any) {
            char names[512] = "";
            size_t u = 0;
            for (int m = 0; m < c->nopt; m++)
                u += (size_t)snprintf(names + u, u < sizeof names ? sizeof names - u : 0,
                                      "%s%s", m ? ", " : "", c->opt[m].name);
            lsc_error_set(err, LSC_EINVAL, "grid: '%s' is neither a numeric key of the "
                          "experiment (noise, clip_norm, ...) nor a parameter of the "
                          "optimizers (%s)", key, names);
            return LSC_EINVAL;
        }
    }
    return LSC_OK;
}

static int setup_optimizers(sweep_ctx *c, lsc_error *err)
{
    const char *text = c->a->text[P_OPTIMIZER];
    c->nopt = lsc_study_item(text, 0, NULL, 0);
    if (c->nopt > MAX_OPT) {
        lsc_error_set(err, LSC_EINVAL, "optimizer: %d optimizers (at most %d)", c->nopt, MAX_OPT);
        return LSC_EINVAL;
    }
    for (int m = 0; m < c->nopt; m++) {
        sweep_optim *o = &c->opt[m];
        lsc_study_item(text, m, o->spec, sizeof o->spec);
        if (lsc_spec_parse(o->spec, "optimizer", &o->parsed, err) != LSC_OK)
            return LSC_EINVAL;
        snprintf(o->name, sizeof o->name, "%s", o->parsed.name);
        const char *lab = lsc_spec_get(&o->parsed, "label");
        snprintf(o->label, sizeof o->label, "%s", lab ? lab : o->parsed.name);
        if (!(o->T = lsc_optim_type_find(o->name))) {
            lsc_error_set(err, LSC_EINVAL, "optimizer: no optimizer '%s' ('losscape list "
                          "optimizers' lists them)", o->name);
            return LSC_EINVAL;
        }
    }
    return LSC_OK;
}

/* The cell index c of optimizer o into grid indices (-1 on the axes it does not use). */
static void cell_indices(const sweep_ctx *c, const sweep_optim *o, int cell, int *idx)
{
    for (int k = c->nax - 1; k >= 0; k--) {
        idx[k] = -1;
        if (o->uses[k]) {
            idx[k] = cell % c->ax[k].n;
            cell /= c->ax[k].n;
        }
    }
}

/* optimizer o's spec with the grid values of its cell set (replacing its own). */
static int cell_spec(const sweep_ctx *c, const sweep_optim *o, const int *idx, char *buf,
                     size_t len)
{
    size_t u = (size_t)snprintf(buf, len, "%s", o->parsed.name);
    int first = 1;
    for (int i = 0; i < o->parsed.n; i++) {
        int swept = 0;
        for (int k = 0; k < c->nax; k++)
            swept |= idx[k] >= 0 && !c->is_exp[k] && !strcmp(o->parsed.key[i], c->ax[k].key);
        if (!swept)
            u += (size_t)snprintf(buf + u, u < len ? len - u : 0, "%s%s=%s", first ? ":" : ",",
                                  o->parsed.key[i], o->parsed.val[i]), first = 0;
    }
    for (int k = 0; k < c->nax; k++)
        if (idx[k] >= 0 && !c->is_exp[k])
            u += (size_t)snprintf(buf + u, u < len ? len - u : 0, "%s%s=%.17g",
                                  first ? ":" : ",", c->ax[k].key, c->ax[k].v[idx[k]]), first = 0;
    return u < len ? LSC_OK : LSC_EINVAL;
}

/* ---- one run --------------------------------------------------------------------------- */

typedef struct {
    double target, last, first;
    long hit;
} run_watch;

static int watch_row(void *user, int run, const lsc_row *row, lsc_error *err)
{
    (void)run;
    (void)err;
    run_watch *w = user;
    w->last = row->loss;
    if (row->step == 0)
        w->first = row->loss;
    if (w->hit < 0 && row->loss <= w->target)
        w->hit = row->step;
    return 0;
}

/* An experiment for optimizer m at grid indices idx (-1: the spec's own value), seed j. */
static lsc_experiment *make_experiment(const sweep_ctx *c, int m, const int *idx, int j,
                                       lsc_error *err)
{
    const lsc_study_args *a = c->a;
    lsc_experiment *x = lsc_experiment_new();
    if (!x) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return NULL;
    }
    char spec[LSC_VALUE_MAX], num[32];
    int rc = lsc_experiment_set(x, "landscape", a->text[P_LANDSCAPE], err);
    if (rc == LSC_OK && a->num[P_DIM] > 0)
        rc = lsc_experiment_set(x, "dim", a->text[P_DIM], err);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "start", a->num[P_START] == 0 ? "random" : "standard", err);
    snprintf(num, sizeof num, "%llu", (unsigned long long)a->num[P_SEED] + (unsigned)j);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "seed", num, err);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "steps", a->text[P_STEPS], err);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "noise", a->text[P_NOISE], err);
    for (int k = 0; k < c->nax && rc == LSC_OK; k++)
        if (idx[k] >= 0 && c->is_exp[k])
            rc = lsc_experiment_set_real(x, 0, c->ax[k].key, c->ax[k].v[idx[k]], err);
    if (rc == LSC_OK && cell_spec(c, &c->opt[m], idx, spec, sizeof spec) != LSC_OK) {
        lsc_error_set(err, LSC_EINVAL, "optimizer: '%.100s': the specification is too long",
                      c->opt[m].spec);
        rc = LSC_EINVAL;
    }
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "optimizer", spec, err);
    if (rc == LSC_OK)
        rc = lsc_experiment_prepare(x, err);
    if (rc != LSC_OK) {
        lsc_experiment_free(x);
        return NULL;
    }
    return x;
}

static int run_task(void *ctx, int t, void *slot, lsc_error *err)
{
    const sweep_ctx *c = ctx;
    int m = 0;
    while (m + 1 < c->nopt && t >= c->opt[m + 1].first_task)
        m++;
    const int local = t - c->opt[m].first_task, cell = local / c->seeds, j = local % c->seeds;
    int idx[LSC_STUDY_MAX_AXES];
    cell_indices(c, &c->opt[m], cell, idx);
    lsc_experiment *x = make_experiment(c, m, idx, j, err);
    if (!x)
        return err->code ? err->code : LSC_EINVAL;
    lsc_trajectory tr;
    int rc = lsc_experiment_trajectory(x, &tr, err);
    run_watch w = {c->target, NAN, NAN, -1};
    if (rc == LSC_OK) {
        lsc_start_desc d = *lsc_experiment_start_desc(x);
        if (!lsc_trajectory_add_run_desc(&tr, &d)) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
        }
    }
    if (rc == LSC_OK)
        rc = lsc_experiment_run_one(x, 0, &tr, &tr.runs[0], watch_row, &w, err);
    if (rc >= 0) {
        sweep_slot *s = slot;
        s->status = tr.runs[0].status;
        s->loss = s->status == LSC_STOP_DIVERGED || !isfinite(w.last) ? INFINITY : w.last;
        s->hit = w.hit;
        s->f0 = w.first;
    }
    lsc_trajectory_free(&tr);
    lsc_experiment_free(x);
    return rc >= 0 ? LSC_OK : rc;
}

/* A dim refused by the landscape while dim is at its default: say that it is the default
 * and how to take the landscape's own. */
static void dim_hint(const lsc_study_args *a, lsc_error *err)
{
    if (a->given[P_DIM] || strncmp(err->msg, "dim:", 4))
        return;
    char m[sizeof err->msg];
    snprintf(m, sizeof m, "%.800s (dim is %.20s by default in this study; dim 0 takes the "
             "landscape's own)", err->msg, a->text[P_DIM]);
    lsc_error_set(err, err->code ? err->code : LSC_EINVAL, "%s", m);
}

/* Each optimizer's own experiment (the landscape, the spec as given), made once. */
static int check_base(sweep_ctx *c, lsc_error *err)
{
    const int idx[LSC_STUDY_MAX_AXES] = {-1, -1};
    for (int m = 0; m < c->nopt; m++) {
        lsc_experiment *x = make_experiment(c, m, idx, 0, err);
        if (!x) {
            dim_hint(c->a, err);
            return err->code ? err->code : LSC_EINVAL;
        }
        lsc_experiment_free(x);
    }
    return LSC_OK;
}

/* Every value of every axis made once before the runs: a bad value is reported as the
 * grid's with the key, not as a task's. */
static int check_values(sweep_ctx *c, lsc_error *err)
{
    for (int m = 0; m < c->nopt; m++) {
        int idx[LSC_STUDY_MAX_AXES] = {-1, -1};
        lsc_experiment *x;
        for (int k = 0; k < c->nax; k++)
            for (int i = 0; i < c->ax[k].n && c->opt[m].uses[k]; i++) {
                idx[k] = i;
                lsc_error e = {0};
                if (!(x = make_experiment(c, m, idx, 0, &e))) {
                    char v[32];
                    lsc_error_set(err, e.code ? e.code : LSC_EINVAL, "grid: %s=%s with "
                                  "optimizer %s: %s", c->ax[k].key,
                                  lsc_fmt_double(v, c->ax[k].v[i]), c->opt[m].name, e.msg);
                    return err->code;
                }
                lsc_experiment_free(x);
                idx[k] = -1;
            }
    }
    return LSC_OK;
}

/* ---- statistics and theory ------------------------------------------------------------- */

/* 1 when cell p is better than cell q (see the top of the file). */
static int better(const sweep_ctx *c, const sweep_cell *p, const sweep_cell *q)
{
    if (c->a->num[P_METRIC] == 1) {
        if (p->reached != q->reached)
            return p->reached > q->reached;
        if (p->reached && p->smean != q->smean)
            return p->smean < q->smean;
    }
    const double gp = p->diverged ? INFINITY : p->gmean, gq = q->diverged ? INFINITY : q->gmean;
    if (gp != gq)
        return gp < gq;
    return p->reached > q->reached || (p->reached == q->reached && p->reached &&
                                       p->smean < q->smean);
}

static void summarise(sweep_ctx *c, sweep_optim *o)
{
    const int S = c->seeds;
    double *v = malloc(3 * (size_t)S * sizeof *v);
    if (!v)
        return; /* the caller checked memory with the slots; stays zero */
    double *g = v + S, *h = v + 2 * S;
    o->best = 0;
    for (int cell = 0; cell < o->ncells; cell++) {
        sweep_cell *q = &o->cell[cell];
        const sweep_slot *s = c->slot + o->first_task + (size_t)cell * S;
        cell_indices(c, o, cell, q->idx);
        int nh = 0;
        q->diverged = 0;
        for (int j = 0; j < S; j++) {
            v[j] = s[j].loss;
            g[j] = log10(fmax(s[j].loss, 1e-300)); /* an underflow to 0 stays finite */
            q->diverged += !isfinite(s[j].loss);
            if (s[j].hit >= 0)
                h[nh++] = (double)s[j].hit;
        }
        study_mean_sd(v, S, &q->lmean, &q->lsd);
        study_mean_sd(g, S, &q->gmean, &q->gsd);
        q->reached = nh;
        q->smean = q->ssd = NAN;
        if (nh)
            study_mean_sd(h, nh, &q->smean, &q->ssd);
        if (cell && better(c, q, &o->cell[o->best]))
            o->best = cell;
    }
    free(v);
}

/* The largest |root| of z^2 - (1 + beta - eta l) z + beta = 0. */
static double hb_root(double eta, double beta, double l)
{
    const double b = 1 + beta - eta * l, disc = b * b - 4 * beta;
    if (disc <= 0)
        return sqrt(beta);
    return (fabs(b) + sqrt(disc)) / 2;
}

/* The value of key for optimizer o at a cell: the grid's, the spec's, or the default. */
static double opt_value(const sweep_ctx *c, const sweep_optim *o, const int *idx,
                        const char *key)
{
    for (int k = 0; k < c->nax; k++)
        if (idx[k] >= 0 && !c->is_exp[k] && !strcmp(c->ax[k].key, key))
            return c->ax[k].v[idx[k]];
    const char *s = lsc_spec_get(&o->parsed, key);
    double v;
    if (s && lsc_parse_double(s, &v) == LSC_OK)
        return v;
    if (s && !strcmp(s, "true"))
        return 1;
    const int i = param_index(o->T, key);
    return i >= 0 ? o->T->params[i].def : 0;
}

/* The Hessian's extreme eigenvalues when the landscape is a quadratic (the Hessian the
 * same at two points), mu > 0; else NAN. */
static void spectrum(sweep_ctx *c)
{
    c->mu = c->L = NAN;
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new(c->a->text[P_LANDSCAPE], (int)c->a->num[P_DIM],
                                         "landscape", &e);
    if (!L)
        return;
    const int n = c->n = L->n;
    if (n <= 2000 && lsc_landscape_has_hessian(L)) {
        double *H = malloc(2 * (size_t)n * n * sizeof *H + 2 * (size_t)n * sizeof *H);
        if (H) {
            double *H2 = H + (size_t)n * n, *x = H2 + (size_t)n * n, *hi = x + n;
            lsc_landscape_box(L, x, hi);
            for (int i = 0; i < n; i++)
                x[i] = 0.3 * x[i] + 0.7 * hi[i];
            int same = lsc_landscape_hess(L, x, H) == LSC_OK;
            for (int i = 0; i < n; i++)
                x[i] = -0.45 * x[i];
            same = same && lsc_landscape_hess(L, x, H2) == LSC_OK;
            for (size_t i = 0; same && i < (size_t)n * n; i++)
                same = fabs(H[i] - H2[i]) <= 1e-12 * (1 + fabs(H[i]));
            double lo, up;
            if (same && lsc_sym_eig_range(n, H, &lo, &up) == LSC_OK && lo > 0)
                c->mu = lo, c->L = up;
            free(H);
        }
    }
    lsc_landscape_free(L);
}

/* The asymptotic rate of optimizer o at each cell, when the theory covers it. */
static void theory_rates(sweep_ctx *c, sweep_optim *o)
{
    const char *nm = o->name;
    const int idx0[LSC_STUDY_MAX_AXES] = {-1, -1};
    o->theory = isfinite(c->mu) &&
                (!strcmp(nm, "gd") || !strcmp(nm, "sgd") || !strcmp(nm, "momentum")) &&
                opt_value(c, o, idx0, "weight_decay") == 0 &&
                opt_value(c, o, idx0, "dampening") == 0 && opt_value(c, o, idx0, "nesterov") == 0;
    for (int k = 0; k < c->nax; k++) /* an experiment key (noise, clipping) breaks it */
        if (o->uses[k] && (c->is_exp[k] || (strcmp(c->ax[k].key, "lr") &&
                                             strcmp(c->ax[k].key, "momentum"))))
            o->theory = 0;
    if (c->a->num[P_NOISE] > 0)
        o->theory = 0;
    for (int cell = 0; cell < o->ncells; cell++) {
        sweep_cell *q = &o->cell[cell];
        q->rate = NAN;
        if (!o->theory)
            continue;
        const double eta = opt_value(c, o, q->idx, "lr");
        const double beta = strcmp(nm, "gd") ? opt_value(c, o, q->idx, "momentum") : 0;
        q->rate = fmax(hb_root(eta, beta, c->mu), hb_root(eta, beta, c->L));
    }
}

/* ---- tables ---------------------------------------------------------------------------- */

static const char *fig_ext(const sweep_ctx *c)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    return ext[(int)c->a->num[P_FORMAT]];
}

static void write_tsv(const sweep_ctx *c, FILE *fp, FILE *runs)
{
    char b[8][32];
    fprintf(fp, "optimizer\tlabel");
    fprintf(runs, "optimizer\tlabel");
    for (int k = 0; k < c->nax; k++)
        fprintf(fp, "\t%s", c->ax[k].key), fprintf(runs, "\t%s", c->ax[k].key);
    fprintf(fp, "\tseeds\tloss_mean\tloss_sd\tlog10_loss_mean\tlog10_loss_sd\treached\t"
                "steps_mean\tsteps_sd\tdiverged\trate_theory\tbest\n");
    fprintf(runs, "\tseed\tfinal_loss\tsteps_to_target\tstatus\n");
    for (int m = 0; m < c->nopt; m++) {
        const sweep_optim *o = &c->opt[m];
        for (int cell = 0; cell < o->ncells; cell++) {
            const sweep_cell *q = &o->cell[cell];
            char ax[160] = "";
            size_t u = 0;
            for (int k = 0; k < c->nax; k++)
                u += (size_t)snprintf(ax + u, sizeof ax - u, "\t%s", /* exact: read back */
                                      q->idx[k] < 0 ? "-"
                                                    : lsc_fmt_double(b[k], c->ax[k].v[q->idx[k]]));
            fprintf(fp, "%d\t%s%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t%s\t%d\n", m, o->label,
                    ax, c->seeds, study_num(q->lmean, b[2], 32), study_num(q->lsd, b[3], 32),
                    study_num(q->gmean, b[4], 32), study_num(q->gsd, b[5], 32), q->reached,
                    study_num(q->smean, b[6], 32), study_num(q->ssd, b[7], 32), q->diverged,
                    study_num(q->rate, b[0], 32), cell == o->best);
            const sweep_slot *s = c->slot + o->first_task + (size_t)cell * c->seeds;
            for (int j = 0; j < c->seeds; j++)
                fprintf(runs, "%d\t%s%s\t%llu\t%.17g\t%ld\t%s\n", m, o->label, ax,
                        (unsigned long long)c->a->num[P_SEED] + (unsigned)j, s[j].loss,
                        s[j].hit, lsc_stop_name(s[j].status));
        }
    }
}

/* "lr = 0.1, momentum = 0.3" for a cell. */
static void cell_words(const sweep_ctx *c, const sweep_cell *q, char *buf, size_t len)
{
    size_t u = 0;
    buf[0] = '\0';
    for (int k = 0; k < c->nax; k++)
        if (q->idx[k] >= 0) {
            char v[32];
            u += (size_t)snprintf(buf + u, u < len ? len - u : 0, "%s%s = %s", u ? ", " : "",
                                  c->ax[k].key, study_num(c->ax[k].v[q->idx[k]], v, sizeof v));
        }
}

/* The axes on whose edge optimizer o's best point lies, as words ("" none). */
static void edge_words(const sweep_ctx *c, const sweep_optim *o, char *buf, size_t len)
{
    const sweep_cell *q = &o->cell[o->best];
    size_t u = 0;
    buf[0] = '\0';
    for (int k = 0; k < c->nax; k++)
        if (q->idx[k] >= 0 && c->ax[k].n > 1 && (q->idx[k] == 0 || q->idx[k] == c->ax[k].n - 1))
            u += (size_t)snprintf(buf + u, u < len ? len - u : 0, "%s%s at the grid's %s",
                                  u ? ", " : "", c->ax[k].key,
                                  q->idx[k] == 0 ? "lowest value" : "highest value");
}

/* The cell of least rate, the cell of the grid nearest (eta*, beta*) (each axis in its own
 * spacing), and whether cell b is that least-rate cell or one grid step from it. */
static int least_rate(const sweep_optim *o)
{
    int best = -1;
    for (int cell = 0; cell < o->ncells; cell++)
        if (isfinite(o->cell[cell].rate) &&
            (best < 0 || o->cell[cell].rate < o->cell[best].rate))
            best = cell;
    return best;
}

static int nearest_index(const lsc_study_axis *ax, double v)
{
    int best = 0;
    for (int i = 1; i < ax->n; i++) {
        const double di = ax->log ? fabs(log(ax->v[i] / v)) : fabs(ax->v[i] - v);
        const double db = ax->log ? fabs(log(ax->v[best] / v)) : fabs(ax->v[best] - v);
        if (di < db)
            best = i;
    }
    return best;
}

static void md_theory(const sweep_ctx *c, FILE *fp, const sweep_optim *o)
{
    char w1[256], w2[256], a[32], b[32];
    const int hb = strcmp(o->name, "gd") != 0;
    const double smu = sqrt(c->mu), sL = sqrt(c->L);
    const double eta = hb ? 4 / ((sL + smu) * (sL + smu)) : 2 / (c->mu + c->L);
    const double beta = hb ? pow((sL - smu) / (sL + smu), 2) : 0;
    const double rho = hb ? (sL - smu) / (sL + smu) : (c->L - c->mu) / (c->L + c->mu);
    fprintf(fp, "- **%s**: ", o->label);
    if (hb)
        fprintf(fp, "Polyak's pair η* = 4/(√L + √μ)² = %s, β* = ((√L − √μ)/(√L + √μ))² = %s, "
                "rate %.4g", study_num(eta, a, sizeof a), study_num(beta, b, sizeof b), rho);
    else
        fprintf(fp, "η* = 2/(μ + L) = %s, rate (L − μ)/(L + μ) = %.4g",
                study_num(eta, a, sizeof a), rho);
    int near[LSC_STUDY_MAX_AXES] = {-1, -1};
    for (int k = 0; k < c->nax; k++)
        if (o->uses[k])
            near[k] = nearest_index(&c->ax[k], !strcmp(c->ax[k].key, "lr") ? eta : beta);
    sweep_cell nq = {.idx = {near[0], near[1]}};
    cell_words(c, &nq, w1, sizeof w1);
    const int lr = least_rate(o);
    fprintf(fp, "; nearest grid point %s; least rate on the grid", w1);
    if (lr < 0) {
        fprintf(fp, ": none.\n");
        return;
    }
    cell_words(c, &o->cell[lr], w1, sizeof w1);
    cell_words(c, &o->cell[o->best], w2, sizeof w2);
    int steps = 0;
    for (int k = 0; k < c->nax; k++)
        if (o->uses[k])
            steps = abs(o->cell[lr].idx[k] - o->cell[o->best].idx[k]) > steps
                        ? abs(o->cell[lr].idx[k] - o->cell[o->best].idx[k])
                        : steps;
    fprintf(fp, " %s (rate %.4g); measured best %s (rate %.4g): %s.\n", w1, o->cell[lr].rate, w2,
            o->cell[o->best].rate,
            steps == 0   ? "agrees with the theory at the grid's resolution"
            : steps == 1 ? "within one grid step of the theory's point"
                         : "DISAGREES with the theory (more than one grid step away)");
}

static void write_md(const sweep_ctx *c, FILE *fp)
{
    const lsc_study_args *a = c->a;
    char w[256], v[4][32];
    fprintf(fp, "# Hyper-parameter sweep\n\nLandscape `%s` (n = %d), %s starts, %d seeds per "
            "grid point (seeds %llu to %llu), %ld steps each, gradient noise %s; best = %s. "
            "Command: `losscape study sweep",
            a->text[P_LANDSCAPE], c->n, a->text[P_START], c->seeds,
            (unsigned long long)a->num[P_SEED],
            (unsigned long long)a->num[P_SEED] + (unsigned)c->seeds - 1, c->steps,
            a->text[P_NOISE], a->num[P_METRIC] == 0 ? "the least mean log10 final loss"
                                                    : "the most seeds reaching the target, "
                                                      "then the fewest steps");
    for (int i = 0; i < a->type->nopts; i++)
        if (a->given[i]) {
            fprintf(fp, " --");
            for (const char *p = a->type->opts[i].name; *p; p++)
                fputc(*p == '_' ? '-' : *p, fp);
            fprintf(fp, " '%s'", a->text[i]);
        }
    fprintf(fp, "`.\n\nGrid:");
    for (int k = 0; k < c->nax; k++)
        fprintf(fp, "%s %s: %d points from %s to %s%s", k ? ";" : "", c->ax[k].key, c->ax[k].n,
                study_num(c->ax[k].v[0], v[0], 32), study_num(c->ax[k].v[c->ax[k].n - 1], v[1], 32),
                c->ax[k].log ? ", log-spaced" : "");
    fprintf(fp, ". Every point's numbers are in sweep.tsv, every run's in sweep-runs.tsv.\n\n"
                "## Best per optimizer\n\n| optimizer | best point | final loss: geometric mean "
                "(sd of log10) | mean ± sd | steps to f ≤ %s: mean ± sd (seeds) | edge |\n"
                "|---|---|---|---|---|---|\n", study_num(c->target, v[0], 32));
    for (int m = 0; m < c->nopt; m++) {
        const sweep_optim *o = &c->opt[m];
        const sweep_cell *q = &o->cell[o->best];
        char e[256], u[2][32];
        cell_words(c, q, w, sizeof w);
        edge_words(c, o, e, sizeof e);
        fprintf(fp, "| %s | %s | %s (%s) | %s ± %s | %s ± %s (%d of %d) | %s |\n", o->label, w,
                study_num(pow(10, q->gmean), v[0], 32), study_num(q->gsd, v[1], 32),
                study_num(q->lmean, v[2], 32), study_num(q->lsd, v[3], 32),
                study_num(q->smean, u[0], 32), study_num(q->ssd, u[1], 32), q->reached, c->seeds,
                e[0] ? "**yes**" : "no");
    }
    for (int m = 0; m < c->nopt; m++) {
        char e[256];
        edge_words(c, &c->opt[m], e, sizeof e);
        if (e[0])
            fprintf(fp, "\n**Warning**: %s's best point has %s: the optimum may lie beyond the "
                    "grid, the tuning is not finished (widen the grid there).\n",
                    c->opt[m].label, e);
    }
    for (int m = 0; m < c->nopt; m++)
        for (int k = 0; k < c->nax; k++)
            if (!c->opt[m].uses[k])
                fprintf(fp, "\n%s has no parameter %s: it runs once per point of the other "
                        "axes.\n", c->opt[m].label, c->ax[k].key);
    fprintf(fp, "\n## Theory\n\n");
    if (!isfinite(c->mu)) {
        fprintf(fp, "No closed form here: the theory covers a quadratic with a positive "
                "definite constant Hessian (e.g. quadratic-spectrum) without gradient "
                "noise.\n");
        return;
    }
    fprintf(fp, "The landscape is a quadratic with Hessian spectrum [μ, L] = [%s, %s] "
            "(condition number %.4g). GD converges as ρ(η) = max(|1 − ημ|, |1 − ηL|), least at "
            "η* = 2/(μ + L) (Polyak 1987, sec. 1.4); heavy ball x+ = x − η∇f + β(x − x−) "
            "(torch's SGD momentum) as the largest root modulus of z² − (1 + β − ηλ)z + β over "
            "λ in [μ, L], least at Polyak's pair (Polyak 1964). The grid point of least rate is "
            "the theory's answer at the grid's resolution; the measured best should be it or "
            "one grid step from it (the loss after K steps is ~ C ρ^2K, the constants can "
            "swap two points of nearly equal rate).\n\n",
            study_num(c->mu, v[0], 32), study_num(c->L, v[1], 32), c->L / c->mu);
    int any = 0;
    for (int m = 0; m < c->nopt; m++)
        if (c->opt[m].theory)
            md_theory(c, fp, &c->opt[m]), any = 1;
    if (!any)
        fprintf(fp, "None of the optimizers is covered (gd, sgd or momentum without "
                "dampening, weight decay or Nesterov, swept over lr and momentum only).\n");
}

/* ---- figures --------------------------------------------------------------------------- */

/* Best per optimizer: the final loss (geometric mean over the seeds, with a band of one sd
 * of log10 drawn as two thin lines: bars symmetric in the loss would cross zero on the log
 * axis) against the first axis, the other axis at the optimizer's best value; the theory's
 * optimum as a dashed vertical line where there is one. The frame reaches 10^4 above the
 * losses at the grid's first point (slow but sane runs): points far above it grew. */
static int fig_best(sweep_ctx *c, lsc_error *err)
{
    const lsc_study_axis *ax = &c->ax[0];
    lsc_plot_series s[4 * MAX_OPT + 2];
    static double x[MAX_OPT][LSC_STUDY_MAX_POINTS], y[MAX_OPT][3][LSC_STUDY_MAX_POINTS],
        vx[2][2], vy[2][2];
    static char label[MAX_OPT][LSC_NAME_MAX + 64];
    int ns = 0;
    double ylo = INFINITY, yhi = -INFINITY;
    for (int m = 0; m < c->nopt; m++) {
        const sweep_optim *o = &c->opt[m];
        if (!o->uses[0])
            continue;
        int np = 0;
        for (int cell = 0; cell < o->ncells; cell++) {
            const sweep_cell *q = &o->cell[cell];
            if (c->nax > 1 && q->idx[1] != o->cell[o->best].idx[1])
                continue;
            x[m][np] = ax->v[q->idx[0]];
            y[m][0][np] = q->diverged ? NAN : pow(10, q->gmean);
            y[m][1][np] = q->diverged ? NAN : pow(10, q->gmean - q->gsd);
            y[m][2][np] = q->diverged ? NAN : pow(10, q->gmean + q->gsd);
            if (isfinite(y[m][1][np]) && y[m][1][np] > 0)
                ylo = fmin(ylo, y[m][1][np]);
            if (np == 0 && isfinite(y[m][2][0]))
                yhi = fmax(yhi, 1e4 * y[m][2][0]);
            np++;
        }
        char w[128] = "";
        if (c->nax > 1 && o->uses[1]) {
            char v[32];
            snprintf(w, sizeof w, " (%s = %s)", c->ax[1].key,
                     study_num(c->ax[1].v[o->cell[o->best].idx[1]], v, sizeof v));
        }
        snprintf(label[m], sizeof label[m], "%s%s", o->label, w);
        s[ns++] = (lsc_plot_series){label[m], x[m], y[m][0], NULL, np, LSC_SERIES_POINTS,
                                    1 + m % 8, 0, 0};
        s[ns++] = (lsc_plot_series){NULL, x[m], y[m][0], NULL, np, LSC_SERIES_LINES, 1 + m % 8,
                                    0, 0};
        for (int b = 1; b <= 2; b++)
            s[ns++] = (lsc_plot_series){NULL, x[m], y[m][b], NULL, np, LSC_SERIES_LINES,
                                        1 + m % 8, 0, 1};
    }
    if (!isfinite(ylo) || !isfinite(yhi) || ylo <= 0 || yhi <= ylo)
        ylo = NAN, yhi = NAN;
    else /* a twentieth of the frame's decades below the lowest point */
        ylo /= pow(yhi / ylo, 0.05);
    int nv = 0, done_gd = 0, done_hb = 0;
    for (int m = 0; m < c->nopt && isfinite(c->mu) && !strcmp(ax->key, "lr"); m++) {
        const sweep_optim *o = &c->opt[m];
        const int hb = strcmp(o->name, "gd") != 0;
        if (!o->theory || !o->uses[0] || (hb ? done_hb : done_gd) || !isfinite(ylo))
            continue;
        const double sL = sqrt(c->L), smu = sqrt(c->mu);
        vx[nv][0] = vx[nv][1] = hb ? 4 / ((sL + smu) * (sL + smu)) : 2 / (c->mu + c->L);
        vy[nv][0] = ylo, vy[nv][1] = yhi;
        s[ns++] = (lsc_plot_series){hb ? "Polyak's lr 4/(√L+√μ)²" : "GD's lr 2/(μ+L)", vx[nv],
                                    vy[nv], NULL, 2, LSC_SERIES_LINES, 1 + m % 8, 1, 0};
        *(hb ? &done_hb : &done_gd) = 1;
        nv++;
    }
    static lsc_plot_opts po;
    lsc_study_figure(c->out, &po, "sweep-best", fig_ext(c));
    po.width = 900, po.height = 620;
    po.ylim[0] = ylo, po.ylim[1] = yhi;
    snprintf(po.title, sizeof po.title, "Final loss against %.60s, best per optimizer", ax->key);
    snprintf(po.caption, sizeof po.caption, "%.300s, %ld steps, %d seeds a point: the "
             "geometric mean of the final loss between thin lines one sd of log10 away; the "
             "other axis at each optimizer's best value. Diverged points are left out, points "
             "above the frame grew.", c->a->text[P_LANDSCAPE], c->steps, c->seeds);
    snprintf(po.xlabel, sizeof po.xlabel, "%.60s", ax->key);
    snprintf(po.ylabel, sizeof po.ylabel, "final loss");
    return lsc_plot_render_series(s, ns, ax->log, 1, &po, err);
}

/* A heat map per optimizer swept over both axes: log10 of the final loss's geometric mean
 * at every grid point (grey: a seed diverged), the measured best (white dot) and, on a
 * quadratic, the theory's optimum (red ring: Polyak's pair, or GD's lr). */
static int fig_heat(sweep_ctx *c, int m, lsc_error *err)
{
    const sweep_optim *o = &c->opt[m];
    const lsc_study_axis *ax = &c->ax[0], *ay = &c->ax[1];
    double *z = malloc((size_t)ax->n * ay->n * sizeof *z);
    if (!z) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    double start = 0; /* the mean log10 f at the starts: colours stop there */
    for (int j = 0; j < c->seeds; j++)
        start += log10(fmax(c->slot[o->first_task + j].f0, 1e-300)) / c->seeds;
    for (int cell = 0; cell < o->ncells; cell++) {
        const sweep_cell *q = &o->cell[cell];
        z[(size_t)q->idx[1] * ax->n + q->idx[0]] = q->diverged ? NAN : fmin(q->gmean, start);
    }
    const sweep_cell *b = &o->cell[o->best];
    lsc_plot_heat h = {ax->v, ay->v, ax->n, ay->n, ax->log, ay->log, z,
                       "log10 final loss (geometric mean; at most the start's)",
                       "a seed diverged",
                       {{ax->v[b->idx[0]], ay->v[b->idx[1]]}, {NAN, NAN}},
                       {"measured best", NULL}};
    if (o->theory && isfinite(c->mu)) {
        const double sL = sqrt(c->L), smu = sqrt(c->mu);
        const int hb = strcmp(o->name, "gd") != 0, lr_x = !strcmp(ax->key, "lr");
        const double eta = hb ? 4 / ((sL + smu) * (sL + smu)) : 2 / (c->mu + c->L);
        const double beta = hb ? pow((sL - smu) / (sL + smu), 2) : NAN;
        h.mark[1][0] = lr_x ? eta : beta;
        h.mark[1][1] = lr_x ? beta : eta;
        h.mark_label[1] = "Polyak's optimal pair";
    }
    char name[LSC_NAME_MAX + 16];
    snprintf(name, sizeof name, "sweep-heat-%d", m);
    static lsc_plot_opts po;
    lsc_study_figure(c->out, &po, name, fig_ext(c));
    po.width = 900, po.height = 680;
    snprintf(po.title, sizeof po.title, "%.60s: final loss over %.60s and %.60s", o->label,
             ax->key, ay->key);
    snprintf(po.caption, sizeof po.caption, "%.300s, %ld steps, %d seeds a point. Colour: "
             "log10 of the geometric mean of the final loss.", c->a->text[P_LANDSCAPE],
             c->steps, c->seeds);
    snprintf(po.xlabel, sizeof po.xlabel, "%.60s", ax->key);
    snprintf(po.ylabel, sizeof po.ylabel, "%.60s", ay->key);
    const int rc = lsc_plot_render_heat(&h, &po, err);
    free(z);
    return rc;
}

/* ---- the study ------------------------------------------------------------------------- */

static void sweep_free(sweep_ctx *c)
{
    for (int m = 0; m < c->nopt; m++)
        free(c->opt[m].cell);
    free(c->slot);
}

static int sweep_setup(sweep_ctx *c, lsc_error *err)
{
    const lsc_study_args *a = c->a;
    c->seeds = (int)a->num[P_SEEDS];
    c->steps = (long)a->num[P_STEPS];
    c->target = a->num[P_TARGET_LOSS];
    int rc = lsc_study_grid_parse("grid", a->text[P_GRID], c->ax, err);
    if (rc < 0)
        return rc;
    c->nax = rc;
    if ((rc = setup_optimizers(c, err)) != LSC_OK || (rc = check_base(c, err)) != LSC_OK ||
        (rc = classify_axes(c, err)) != LSC_OK || (rc = check_values(c, err)) != LSC_OK)
        return rc;
    long tasks = 0;
    for (int m = 0; m < c->nopt; m++) {
        sweep_optim *o = &c->opt[m];
        o->ncells = 1;
        for (int k = 0; k < c->nax; k++)
            o->ncells *= o->uses[k] ? c->ax[k].n : 1;
        o->first_task = (int)tasks;
        tasks += (long)o->ncells * c->seeds;
        if (!(o->cell = calloc((size_t)o->ncells, sizeof *o->cell))) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
    }
    if (tasks > 10000000) {
        lsc_error_set(err, LSC_EINVAL, "seeds: %ld runs in all (optimizers x grid points x "
                      "seeds; at most 10000000)", tasks);
        return LSC_EINVAL;
    }
    c->ntasks = (int)tasks;
    if (!(c->slot = calloc((size_t)tasks, sizeof *c->slot))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for %ld runs", tasks);
        return LSC_ENOMEM;
    }
    spectrum(c);
    return LSC_OK;
}

static int sweep_run(const lsc_study_args *a, lsc_study_out *out, lsc_error *err)
{
    sweep_ctx *c = calloc(1, sizeof *c); /* large (the parsed specs): not on the stack */
    if (!c) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    c->a = a;
    c->out = out;
    int rc = sweep_setup(c, err);
    if (rc == LSC_OK) {
        lsc_study_say(out, "%d runs (%d optimizers, %d seeds) on %d threads", c->ntasks,
                      c->nopt, c->seeds, lsc_threads_resolve((int)a->num[P_THREADS]));
        rc = lsc_parallel_map(c->ntasks, c->slot, sizeof *c->slot, (int)a->num[P_THREADS],
                              run_task, c, err);
    }
    for (int m = 0; m < c->nopt && rc == LSC_OK; m++) {
        summarise(c, &c->opt[m]);
        theory_rates(c, &c->opt[m]);
        char e[256];
        edge_words(c, &c->opt[m], e, sizeof e);
        if (e[0])
            lsc_study_say(out, "warning: %s's best point has %s: widen the grid",
                          c->opt[m].label, e);
    }
    FILE *fp = NULL, *runs = NULL, *md = NULL;
    if (rc == LSC_OK && (!(fp = lsc_study_file(out, "sweep.tsv", err)) ||
                         !(runs = lsc_study_file(out, "sweep-runs.tsv", err)) ||
                         !(md = lsc_study_file(out, "sweep.md", err))))
        rc = err->code;
    if (rc == LSC_OK) {
        write_tsv(c, fp, runs);
        write_md(c, md);
        rc = fig_best(c, err);
    }
    for (int m = 0; m < c->nopt && rc == LSC_OK && c->nax == 2; m++)
        if (c->opt[m].uses[0] && c->opt[m].uses[1])
            rc = fig_heat(c, m, err);
    sweep_free(c);
    free(c);
    return rc;
}

const lsc_study_type lsc_study_sweep = {
    .name = "sweep",
    .summary = "a grid of hyper-parameters x optimizers x seeds: the best per optimizer",
    .description =
        "Every optimizer runs the same number of steps from several seeded starts at every "
        "point of a grid over one or two keys (an optimizer parameter such as lr, momentum "
        "or beta2, or an experiment key such as noise): final loss and steps to a target "
        "loss as mean and spread, the best point per optimizer with a warning when it lies "
        "on the grid's edge, and on a quadratic the theory beside it: GD's best lr "
        "2/(mu + L), heavy ball's Polyak pair, and the grid point of least asymptotic rate.",
    .opts = sweep_opts,
    .nopts = LSC_COUNTOF(sweep_opts),
    .run = sweep_run,
};
