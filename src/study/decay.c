/* decay.c — `study decay`: constant against decaying learning rates under gradient noise
 *
 * SGD (x <- x - eta_k g) on a quadratic f = 1/2 sum_i h_i y_i^2 (y: coordinates along the
 * Hessian's eigenvectors), each gradient carrying noise: the mean of B per-example noises
 * of standard deviation s per coordinate, so g = H x + xi with xi ~ N(0, s^2/B I) (the run's
 * noise option is s/sqrt(B); a quadratic has no data, B only scales the noise). Every
 * schedule of the list runs `seeds` times (seed j: its start and its noise) for `steps`
 * updates from base lr eta.
 *
 * The noise floor of a constant lr. Along eigendirection i,
 *   y_{k+1} = (1 - eta h) y_k - eta xi_k,       xi_k ~ N(0, s^2/B), independent,
 * an AR(1) process with factor a = 1 - eta h, stable when |a| < 1 (0 < eta h < 2); its
 * stationary variance solves v = a^2 v + eta^2 s^2/B (Hamilton 1994, Time Series Analysis,
 * sec. 3.4: gamma_0 = sigma^2/(1 - phi^2)):
 *   v = eta^2 s^2 / (B (1 - (1 - eta h)^2)) = eta s^2 / (B h (2 - eta h))
 * (the discrete-time form of Mandt, Hoffman & Blei, JMLR 18, 2017, sec. 3), and the
 * expected loss settles at
 *   E f = sum_i h_i v_i / 2 = sum_i eta s^2 / (2 B (2 - eta h_i)),
 * a level a constant lr cannot go below, however long it runs; it falls only with eta (or
 * with B). The start's share decays as (1 - eta h_i)^(2k).
 *
 * Measured: the mean of f over the tail (the last `tail` fraction of the steps) of each
 * seed, then the mean over the seeds with its standard error sd/sqrt(seeds) (the seeds are
 * independent; the steps of one run are not, so a run's tail is one sample), next to the
 * formula, with a verdict (within 3 standard errors).
 *
 * Robbins & Monro (Ann. Math. Statist. 22, 1951): sum_k eta_k = inf (the steps can still
 * travel any distance) and sum_k eta_k^2 < inf (the noise they inject stays finite) make
 * SGD converge despite the noise. Stated per schedule from its closed form as k -> inf,
 * with the sums over the budget measured beside it.
 *
 * Every (schedule, seed) is a task of lsc_parallel_map with its own experiment; the tables
 * come from the slots afterwards, the same bytes for any thread count.
 */
#include <gsl/gsl_eigen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "parallel.h"
#include "study_impl.h"

enum {
    P_LANDSCAPE,
    P_DIM,
    P_LR,
    P_NOISE,
    P_BATCH,
    P_SCHEDULE,
    P_STEPS,
    P_SEEDS,
    P_SEED,
    P_TAIL,
    P_THREADS,
    P_FORMAT,
};

static const lsc_study_opt decay_opts[] = {
    [P_LANDSCAPE] = {"landscape", LSC_STUDY_TEXT, "quadratic-spectrum:cond=10", 0, 0, NULL,
                     "the landscape (the formula needs a quadratic)"},
    [P_DIM] = {"dim", LSC_STUDY_INT, "10", 0, 1e6, NULL, "its dimension (0: the landscape's own)"},
    [P_LR] = {"lr", LSC_STUDY_REAL, "0.1", 1e-12, 1e6, NULL, "the base learning rate eta (SGD)"},
    [P_NOISE] = {"noise", LSC_STUDY_REAL, "1", 0, 1e6, NULL,
                 "s: the standard deviation of one example's gradient noise per coordinate"},
    [P_BATCH] = {"batch", LSC_STUDY_INT, "4", 1, 1e9, NULL,
                 "B: examples per gradient (the noise is s/sqrt(B))"},
    [P_SCHEDULE] = {"schedule", LSC_STUDY_SPECS,
                    "constant | inverse:decay_rate=0.01 | step:step_size=1000,gamma=0.5 | "
                    "cosine:T_max=4000 | exp:gamma=0.999",
                    0, 0, NULL, "the schedules compared (repeatable; '|' between specs)"},
    [P_STEPS] = {"steps", LSC_STUDY_INT, "4000", 10, 1e8, NULL, "the budget of every run"},
    [P_SEEDS] = {"seeds", LSC_STUDY_INT, "50", 2, 100000, NULL, "runs per schedule"},
    [P_SEED] = {"seed", LSC_STUDY_INT, "1", 0, 9e15, NULL,
                "run j has seed seed + j (its start and its noise)"},
    [P_TAIL] = {"tail", LSC_STUDY_REAL, "0.5", 0.01, 0.99, NULL,
                "the measured floor: the mean of f over this last fraction of the steps"},
    [P_THREADS] = {"threads", LSC_STUDY_INT, "0", 0, 1024, NULL,
                   "threads (0: every core); the results do not depend on it"},
    [P_FORMAT] = {"format", LSC_STUDY_CHOICE, "png", 0, 0, "png|svg|pdf",
                  "image format of the figures"},
};

#define MAX_SCHED 16
#define NPT 200 /* points of a curve: block means of f */

/* One run (a task's slot). */
typedef struct {
    double sum[NPT]; /* f summed over the steps of each block */
    int cnt[NPT];
    double tail, final, f0;
} decay_slot;

typedef struct {
    char spec[LSC_VALUE_MAX];
    char rm_sum[48], rm_sq[48], rm_verdict[160];
    double sum1, sum2; /* sum of eta_k, eta_k^2 over the budget */
    double tail, tail_se, final, final_se;
    double curve[NPT], lr[NPT];
} decay_sched;

typedef struct {
    const lsc_study_args *a;
    lsc_study_out *out;
    decay_sched s[MAX_SCHED];
    int ns, seeds, npt, n;
    long steps, tail_from; /* the tail: steps > tail_from */
    double eta, sigma;     /* base lr, the run's noise s/sqrt(B) */
    double *h;             /* the Hessian's eigenvalues (NULL: not a quadratic) */
    double floor;          /* E f of a constant lr (NAN: none or unstable) */
    int unstable;          /* eta h_i >= 2 for some i */
    double transient;      /* (1 - eta h)^(2 tail_from), the largest over i */
    decay_slot *slot;
} decay_ctx;

/* ---- one run --------------------------------------------------------------------------- */

typedef struct {
    const decay_ctx *c;
    decay_slot *slot;
    long ntail;
} decay_watch;

static int watch_row(void *user, int run, const lsc_row *row, lsc_error *err)
{
    (void)run;
    (void)err;
    decay_watch *w = user;
    const decay_ctx *c = w->c;
    if (row->step == 0) {
        w->slot->f0 = row->loss;
        return 0;
    }
    const int b = (int)((row->step - 1) * c->npt / c->steps);
    w->slot->sum[b] += row->loss;
    w->slot->cnt[b]++;
    if (row->step > c->tail_from)
        w->slot->tail += row->loss, w->ntail++;
    w->slot->final = row->loss;
    return 0;
}

static lsc_experiment *make_experiment(const decay_ctx *c, int i, int j, lsc_error *err)
{
    const lsc_study_args *a = c->a;
    lsc_experiment *x = lsc_experiment_new();
    if (!x) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return NULL;
    }
    char buf[64];
    int rc = lsc_experiment_set(x, "landscape", a->text[P_LANDSCAPE], err);
    if (rc == LSC_OK && a->num[P_DIM] > 0)
        rc = lsc_experiment_set(x, "dim", a->text[P_DIM], err);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "start", "random", err);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)a->num[P_SEED] + (unsigned)j);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "seed", buf, err);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "steps", a->text[P_STEPS], err);
    if (rc == LSC_OK)
        rc = lsc_experiment_set_real(x, 0, "noise", c->sigma, err);
    if (rc == LSC_OK && strcmp(c->s[i].spec, "constant"))
        rc = lsc_experiment_set(x, "schedule", c->s[i].spec, err);
    snprintf(buf, sizeof buf, "sgd:lr=%.17g", c->eta);
    if (rc == LSC_OK)
        rc = lsc_experiment_set(x, "optimizer", buf, err);
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
    const decay_ctx *c = ctx;
    lsc_experiment *x = make_experiment(c, t / c->seeds, t % c->seeds, err);
    if (!x)
        return err->code ? err->code : LSC_EINVAL;
    lsc_trajectory tr;
    decay_watch w = {c, slot, 0};
    int rc = lsc_experiment_trajectory(x, &tr, err);
    if (rc == LSC_OK) {
        lsc_start_desc d = *lsc_experiment_start_desc(x);
        if (!lsc_trajectory_add_run_desc(&tr, &d)) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
        }
    }
    if (rc == LSC_OK)
        rc = lsc_experiment_run_one(x, 0, &tr, &tr.runs[0], watch_row, &w, err);
    if (rc >= 0 && tr.runs[0].status != LSC_STOP_MAX_STEPS)
        w.slot->tail = w.slot->final = INFINITY; /* diverged: no floor */
    else if (rc >= 0)
        w.slot->tail /= (double)(w.ntail ? w.ntail : 1);
    lsc_trajectory_free(&tr);
    lsc_experiment_free(x);
    return rc >= 0 ? LSC_OK : rc;
}

/* ---- theory ---------------------------------------------------------------------------- */

/* Every eigenvalue of the Hessian when the landscape is a quadratic (the same Hessian at
 * two points); c->h stays NULL otherwise. */
static void spectrum(decay_ctx *c)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new(c->a->text[P_LANDSCAPE], (int)c->a->num[P_DIM],
                                         "landscape", &e);
    if (!L)
        return;
    const int n = c->n = L->n;
    double *H = NULL, *H2, *x, *hi;
    if (n <= 2000 && lsc_landscape_has_hessian(L) &&
        (H = malloc((2 * (size_t)n * n + 2 * (size_t)n) * sizeof *H))) {
        H2 = H + (size_t)n * n, x = H2 + (size_t)n * n, hi = x + n;
        lsc_landscape_box(L, x, hi);
        for (int i = 0; i < n; i++)
            x[i] = 0.3 * x[i] + 0.7 * hi[i];
        int same = lsc_landscape_hess(L, x, H) == LSC_OK;
        for (int i = 0; i < n; i++)
            x[i] = -0.45 * x[i];
        same = same && lsc_landscape_hess(L, x, H2) == LSC_OK;
        for (size_t i = 0; same && i < (size_t)n * n; i++)
            same = fabs(H[i] - H2[i]) <= 1e-12 * (1 + fabs(H[i]));
        gsl_eigen_symm_workspace *ws = same ? gsl_eigen_symm_alloc((size_t)n) : NULL;
        if (ws) {
            gsl_matrix_view A = gsl_matrix_view_array(H, (size_t)n, (size_t)n);
            double *lam = malloc((size_t)n * sizeof *lam);
            gsl_vector_view lv = gsl_vector_view_array(lam ? lam : x, (size_t)n);
            if (lam && gsl_eigen_symm(&A.matrix, &lv.vector, ws) == 0)
                c->h = lam;
            else
                free(lam);
            gsl_eigen_symm_free(ws);
        }
    }
    free(H);
    lsc_landscape_free(L);
}

/* E f of a constant lr, sum_i eta s^2/(2 B (2 - eta h_i)) (see the top of the file), and
 * the start's largest remaining share at the tail's start. */
static void noise_floor(decay_ctx *c)
{
    c->floor = NAN;
    if (!c->h)
        return;
    double f = 0, tr = 0;
    for (int i = 0; i < c->n; i++) {
        const double eh = c->eta * c->h[i];
        if (eh <= 0 || eh >= 2)
            c->unstable = 1;
        f += c->eta * c->sigma * c->sigma / (2 * (2 - eh));
        tr = fmax(tr, pow(1 - eh, 2 * (double)c->tail_from));
    }
    c->transient = tr;
    if (!c->unstable)
        c->floor = f;
}

/* The Robbins-Monro conditions of a schedule, from its closed form as k -> inf. */
static void robbins_monro(decay_sched *s)
{
    const char *last = strrchr(s->spec, '+'); /* warmup+X: X decides the tail */
    lsc_spec sp;
    lsc_error e;
    const char *why = "";
    const char *s1 = "?", *s2 = "?";
    if (lsc_spec_parse(last ? last + 1 : s->spec, "schedule", &sp, &e) != LSC_OK) {
        s1 = s2 = "?";
    } else {
        const char *g = lsc_spec_get(&sp, "gamma");
        const double gamma = g ? atof(g) : !strcmp(sp.name, "exp") ? 1 : 0.1;
        const char *r = lsc_spec_get(&sp, "decay_rate");
        const char *nm = sp.name;
        if (!strcmp(nm, "constant") || (!strcmp(nm, "warmup") && !last)) {
            s1 = "∞", s2 = "∞", why = "a constant lr: the noise it injects never dies out";
        } else if (!strcmp(nm, "inverse")) {
            const int dec = r && atof(r) > 0;
            s1 = "∞", s2 = dec ? "finite" : "∞";
            why = dec ? "η_k ~ 1/k: the harmonic series diverges, the sum of 1/k² converges"
                      : "decay_rate 0 is a constant lr";
        } else if (!strcmp(nm, "exp") || !strcmp(nm, "step")) {
            s1 = gamma < 1 ? "finite" : "∞", s2 = gamma < 1 ? "finite" : "∞";
            why = gamma < 1 ? "a geometric series: the steps stop short (the lr dies before "
                              "the iterate arrives)"
                            : "gamma >= 1: the lr does not decay";
        } else if (!strcmp(nm, "multistep")) {
            s1 = gamma > 0 ? "∞" : "finite", s2 = gamma > 0 ? "∞" : "finite";
            why = "constant after the last milestone";
        } else if (!strcmp(nm, "poly") || !strcmp(nm, "onecycle")) {
            s1 = s2 = "finite";
            why = "the lr reaches its end within a finite horizon";
        } else if (!strcmp(nm, "cosine") || !strcmp(nm, "cosine-restarts")) {
            s1 = s2 = "∞";
            why = "periodic in k (it climbs back, or restarts)";
        } else if (!strcmp(nm, "plateau")) {
            why = "decided by the losses as they come, not by a closed form";
        }
    }
    snprintf(s->rm_sum, sizeof s->rm_sum, "%s", s1);
    snprintf(s->rm_sq, sizeof s->rm_sq, "%s", s2);
    const int holds = !strcmp(s1, "∞") && !strcmp(s2, "finite");
    const int unknown = !strcmp(s1, "?");
    snprintf(s->rm_verdict, sizeof s->rm_verdict, "%s%s%s",
             unknown ? "not determined" : holds ? "**holds**" : "fails", why[0] ? ": " : "", why);
}

/* Sums of eta_k and eta_k^2 over the budget, and the lr at each curve point. */
static int lr_sums(decay_ctx *c, decay_sched *s, lsc_error *err)
{
    lsc_schedule *S = strcmp(s->spec, "constant") ? lsc_schedule_new(s->spec, "schedule", err)
                                                  : NULL;
    if (strcmp(s->spec, "constant") && !S)
        return err->code ? err->code : LSC_EINVAL;
    s->sum1 = s->sum2 = 0;
    for (long e = 0, prev = -1; e < c->steps; e++) {
        const double lr = S ? lsc_schedule_lr(S, c->eta, e) : c->eta;
        s->sum1 += lr, s->sum2 += lr * lr;
        const long b = e * c->npt / c->steps; /* update e makes step e + 1: its block */
        if (b != prev) /* the first update of each block */
            s->lr[b] = lr, prev = b;
    }
    lsc_schedule_free(S);
    return LSC_OK;
}

static void summarise(decay_ctx *c, int i)
{
    decay_sched *s = &c->s[i];
    const decay_slot *sl = c->slot + (size_t)i * c->seeds;
    double *v = malloc(2 * (size_t)c->seeds * sizeof *v);
    if (!v)
        return;
    for (int j = 0; j < c->seeds; j++)
        v[j] = sl[j].tail, v[c->seeds + j] = sl[j].final;
    double sd;
    study_mean_sd(v, c->seeds, &s->tail, &sd);
    s->tail_se = sd / sqrt(c->seeds);
    study_mean_sd(v + c->seeds, c->seeds, &s->final, &sd);
    s->final_se = sd / sqrt(c->seeds);
    for (int b = 0; b < c->npt; b++) {
        double sum = 0;
        int cnt = 0;
        for (int j = 0; j < c->seeds; j++)
            sum += sl[j].sum[b], cnt += sl[j].cnt[b];
        s->curve[b] = cnt ? sum / cnt : NAN;
    }
    free(v);
}

/* ---- files ----------------------------------------------------------------------------- */

static const char *fig_ext(const decay_ctx *c)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    return ext[(int)c->a->num[P_FORMAT]];
}

static const char *floor_verdict(const decay_ctx *c, const decay_sched *s)
{
    if (!isfinite(c->floor) || strcmp(s->spec, "constant"))
        return "-";
    return fabs(s->tail - c->floor) <= 3 * s->tail_se ? "agrees" : "disagrees";
}

static void write_tsv(const decay_ctx *c, FILE *fp, FILE *cv)
{
    char b[8][32];
    fprintf(fp, "schedule\tsum_lr\tsum_lr2\trm_sum_lr\trm_sum_lr2\ttail_mean\ttail_se\t"
                "final_mean\tfinal_se\tfloor_theory\tverdict\n");
    fprintf(cv, "schedule\tstep\tloss_mean\tlr\n");
    for (int i = 0; i < c->ns; i++) {
        const decay_sched *s = &c->s[i];
        const int cst = !strcmp(s->spec, "constant");
        fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s->spec,
                lsc_fmt_double(b[0], s->sum1), lsc_fmt_double(b[1], s->sum2),
                !strcmp(s->rm_sum, "∞") ? "inf" : s->rm_sum,
                !strcmp(s->rm_sq, "∞") ? "inf" : s->rm_sq, lsc_fmt_double(b[2], s->tail),
                lsc_fmt_double(b[3], s->tail_se), lsc_fmt_double(b[4], s->final),
                lsc_fmt_double(b[5], s->final_se),
                cst && isfinite(c->floor) ? lsc_fmt_double(b[6], c->floor) : "-",
                floor_verdict(c, s));
        for (int k = 0; k < c->npt; k++)
            fprintf(cv, "%s\t%ld\t%s\t%s\n", s->spec, ((long)k * c->steps / c->npt + 1),
                    lsc_fmt_double(b[0], s->curve[k]), lsc_fmt_double(b[1], s->lr[k]));
    }
}

static void write_md(const decay_ctx *c, FILE *fp)
{
    const lsc_study_args *a = c->a;
    char v[6][32];
    fprintf(fp, "# Learning-rate decay under gradient noise\n\nSGD with base lr η = %s on `%s` "
            "(n = %d), gradient noise: B = %s examples of s = %s each, σ = s/√B = %s per "
            "coordinate; %ld steps, %d seeds per schedule (seeds %llu to %llu, each its own "
            "random start and noise); the tail is the last %s of the steps (after step %ld). "
            "Command: `losscape study decay",
            study_num(c->eta, v[0], 32), a->text[P_LANDSCAPE], c->n, a->text[P_BATCH],
            a->text[P_NOISE], study_num(c->sigma, v[1], 32), c->steps, c->seeds,
            (unsigned long long)a->num[P_SEED],
            (unsigned long long)a->num[P_SEED] + (unsigned)c->seeds - 1, a->text[P_TAIL],
            c->tail_from);
    for (int i = 0; i < a->type->nopts; i++)
        if (a->given[i]) {
            fprintf(fp, " --");
            for (const char *p = a->type->opts[i].name; *p; p++)
                fputc(*p == '_' ? '-' : *p, fp);
            fprintf(fp, " '%s'", a->text[i]);
        }
    fprintf(fp, "`.\n\n## The noise floor of a constant lr\n\n");
    if (!c->h)
        fprintf(fp, "No formula: the landscape is not a quadratic (its Hessian is not the "
                "same everywhere).\n");
    else if (c->unstable)
        fprintf(fp, "No floor: η h ≥ 2 (or h ≤ 0) along some eigendirection, where a constant "
                "lr does not settle.\n");
    else
        fprintf(fp, "Along each eigendirection (curvature h) SGD is an AR(1) process "
                "y+ = (1 − ηh) y − η ξ, ξ ~ N(0, s²/B), whose stationary variance is "
                "**v = η s² / (B h (2 − ηh))**; the loss settles at E f = Σ_i h_i v_i / 2 = "
                "Σ_i η s² / (2B (2 − η h_i)) = **%s** here (Hamilton 1994, sec. 3.4; Mandt, "
                "Hoffman & Blei 2017). The start's share left at the tail's start: at most "
                "%.3g of it.\n",
                study_num(c->floor, v[0], 32), c->transient);
    for (int i = 0; i < c->ns; i++)
        if (!strcmp(c->s[i].spec, "constant") && isfinite(c->floor))
            fprintf(fp, "\nMeasured (constant lr): the tail mean of f, averaged over %d seeds, "
                    "**%s ± %s** (standard error) against %s: %s (%.2f standard errors; "
                    "agreement: within 3).\n", c->seeds, study_num(c->s[i].tail, v[0], 32),
                    study_num(c->s[i].tail_se, v[1], 32), study_num(c->floor, v[2], 32),
                    floor_verdict(c, &c->s[i]), (c->s[i].tail - c->floor) / c->s[i].tail_se);
    fprintf(fp, "\n## Schedules\n\nRobbins–Monro (1951): Σ η_k = ∞ and Σ η_k² < ∞ as k → ∞ "
            "make SGD converge despite the noise; the sums over this budget are measured.\n\n"
            "| schedule | Σ η_k (budget) | Σ η_k² (budget) | Σ η_k → | Σ η_k² → | "
            "Robbins–Monro | tail mean of f ± se | final f ± se | vs the constant-lr floor |\n"
            "|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < c->ns; i++) {
        const decay_sched *s = &c->s[i];
        char rel[64] = "-";
        if (isfinite(c->floor))
            snprintf(rel, sizeof rel, "%.3g × the floor", s->tail / c->floor);
        fprintf(fp, "| `%s` | %s | %s | %s | %s | %s | %s ± %s | %s ± %s | %s |\n", s->spec,
                study_num(s->sum1, v[0], 32), study_num(s->sum2, v[1], 32), s->rm_sum, s->rm_sq,
                s->rm_verdict, study_num(s->tail, v[2], 32), study_num(s->tail_se, v[3], 32),
                study_num(s->final, v[4], 32), study_num(s->final_se, v[5], 32), rel);
    }
}

/* The mean loss over the seeds against the step (linear: the schedules act late in the
 * run), one line per schedule, and the constant lr's floor as a dashed level in a colour
 * of its own (on top of the constant lr's line it would hide in it). */
static int fig_loss(decay_ctx *c, lsc_error *err)
{
    lsc_plot_series s[MAX_SCHED + 1];
    static double x[NPT], fx[2], fy[2];
    static char label[MAX_SCHED][LSC_VALUE_MAX], flabel[128];
    for (int k = 0; k < c->npt; k++) /* the middle of each block */
        x[k] = ((double)k * c->steps / c->npt + (double)(k + 1) * c->steps / c->npt) / 2 + 0.5;
    for (int i = 0; i < c->ns; i++) {
        snprintf(label[i], sizeof label[i], "%.200s", c->s[i].spec);
        s[i] = (lsc_plot_series){label[i], x, c->s[i].curve, NULL, c->npt, LSC_SERIES_LINES,
                                 1 + i % 8, 0, 0};
    }
    int ns = c->ns;
    if (isfinite(c->floor)) {
        char v[32];
        fx[0] = 1, fx[1] = (double)c->steps;
        fy[0] = fy[1] = c->floor;
        snprintf(flabel, sizeof flabel, "constant-lr floor Σ ηs²/(2B(2−ηh_i)) = %s",
                 study_num(c->floor, v, sizeof v));
        s[ns++] = (lsc_plot_series){flabel, fx, fy, NULL, 2, LSC_SERIES_LINES, 1 + c->ns % 8,
                                    1, 0};
    }
    static lsc_plot_opts po;
    lsc_study_figure(c->out, &po, "decay-loss", fig_ext(c));
    po.width = 900, po.height = 650;
    snprintf(po.title, sizeof po.title, "SGD under gradient noise: constant against decaying lr");
    char v[2][32];
    snprintf(po.caption, sizeof po.caption, "%.200s (n = %d), lr %s, noise s = %s, B = %s, "
             "mean of f over %d seeds (block means of %ld steps). A constant lr settles at its "
             "noise floor; only a decaying lr goes below it.",
             c->a->text[P_LANDSCAPE], c->n, study_num(c->eta, v[0], 32),
             study_num(c->a->num[P_NOISE], v[1], 32), c->a->text[P_BATCH], c->seeds,
             c->steps / c->npt);
    snprintf(po.xlabel, sizeof po.xlabel, "step");
    snprintf(po.ylabel, sizeof po.ylabel, "loss f (mean over seeds)");
    return lsc_plot_render_series(s, ns, 0, 1, &po, err);
}

/* ---- the study ------------------------------------------------------------------------- */

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

static int decay_setup(decay_ctx *c, lsc_error *err)
{
    const lsc_study_args *a = c->a;
    c->seeds = (int)a->num[P_SEEDS];
    c->steps = (long)a->num[P_STEPS];
    c->npt = c->steps < NPT ? (int)c->steps : NPT;
    c->tail_from = c->steps - (long)llround(a->num[P_TAIL] * (double)c->steps);
    c->eta = a->num[P_LR];
    c->sigma = a->num[P_NOISE] / sqrt(a->num[P_BATCH]);
    c->ns = lsc_study_item(a->text[P_SCHEDULE], 0, NULL, 0);
    if (c->ns > MAX_SCHED) {
        lsc_error_set(err, LSC_EINVAL, "schedule: %d schedules (at most %d)", c->ns, MAX_SCHED);
        return LSC_EINVAL;
    }
    for (int i = 0; i < c->ns; i++) {
        lsc_study_item(a->text[P_SCHEDULE], i, c->s[i].spec, sizeof c->s[i].spec);
        int rc = lr_sums(c, &c->s[i], err);
        if (rc != LSC_OK)
            return rc;
        robbins_monro(&c->s[i]);
        lsc_experiment *x = make_experiment(c, i, 0, err); /* every setting checked */
        if (!x) {
            dim_hint(a, err);
            return err->code ? err->code : LSC_EINVAL;
        }
        lsc_experiment_free(x);
    }
    if ((long)c->ns * c->seeds > 10000000) {
        lsc_error_set(err, LSC_EINVAL, "seeds: %ld runs in all (at most 10000000)",
                      (long)c->ns * c->seeds);
        return LSC_EINVAL;
    }
    if (!(c->slot = calloc((size_t)c->ns * c->seeds, sizeof *c->slot))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for %d runs", c->ns * c->seeds);
        return LSC_ENOMEM;
    }
    spectrum(c);
    noise_floor(c);
    return LSC_OK;
}

static int decay_run(const lsc_study_args *a, lsc_study_out *out, lsc_error *err)
{
    decay_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    c->a = a;
    c->out = out;
    int rc = decay_setup(c, err);
    if (rc == LSC_OK) {
        lsc_study_say(out, "%d runs (%d schedules, %d seeds) on %d threads", c->ns * c->seeds,
                      c->ns, c->seeds, lsc_threads_resolve((int)a->num[P_THREADS]));
        rc = lsc_parallel_map(c->ns * c->seeds, c->slot, sizeof *c->slot,
                              (int)a->num[P_THREADS], run_task, c, err);
    }
    for (int i = 0; i < c->ns && rc == LSC_OK; i++)
        summarise(c, i);
    FILE *fp = NULL, *cv = NULL, *md = NULL;
    if (rc == LSC_OK && (!(fp = lsc_study_file(out, "decay.tsv", err)) ||
                         !(cv = lsc_study_file(out, "decay-curves.tsv", err)) ||
                         !(md = lsc_study_file(out, "decay.md", err))))
        rc = err->code;
    if (rc == LSC_OK) {
        write_tsv(c, fp, cv);
        write_md(c, md);
        rc = fig_loss(c, err);
    }
    free(c->slot);
    free(c->h);
    free(c);
    return rc;
}

const lsc_study_type lsc_study_decay = {
    .name = "decay",
    .summary = "constant against decaying lr under gradient noise: the noise floor of SGD",
    .description =
        "SGD on a quadratic with gradient noise (B examples of noise s each), one run per "
        "schedule and seed: the mean loss against the step, the measured floor of a constant "
        "lr (the tail mean over many seeds, with its standard error) next to the stationary "
        "formula sum_i eta s^2 / (2 B (2 - eta h_i)) (per direction a variance "
        "eta s^2/(B h (2 - eta h))), and the Robbins-Monro conditions (sum eta_k = inf, "
        "sum eta_k^2 < inf) stated for each schedule.",
    .opts = decay_opts,
    .nopts = LSC_COUNTOF(decay_opts),
    .run = decay_run,
};
