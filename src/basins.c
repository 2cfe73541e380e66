/* basins.c — basins of attraction: one run per start of a grid, classified by where it
 * ends (basins.h) */
#include "basins.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "parallel.h"
#include "schedule.h"

void lsc_basins_free(lsc_basins *b)
{
    if (!b)
        return;
    free(b->opt);
    free(b->classes);
    free(b->grid);
    memset(b, 0, sizeof *b);
}

void lsc_basins_start(const lsc_basins *b, int i, int j, double x[2])
{
    const double *v = b->box;
    x[0] = v[0] + (i + 0.5) * (v[1] - v[0]) / b->n;
    x[1] = v[2] + (j + 0.5) * (v[3] - v[2]) / b->n;
}

/* The box (NAN limits: the landscape's) and tol (<= 0: 1% of the box diagonal). */
static int set_box(lsc_basins *b, const lsc_landscape *L, const double xlim[2],
                   const double ylim[2], double tol, lsc_error *err)
{
    double lo[2], hi[2];
    double *v = b->box;
    lsc_landscape_box(L, lo, hi);
    v[0] = xlim && isfinite(xlim[0]) ? xlim[0] : lo[0];
    v[1] = xlim && isfinite(xlim[0]) ? xlim[1] : hi[0];
    v[2] = ylim && isfinite(ylim[0]) ? ylim[0] : lo[1];
    v[3] = ylim && isfinite(ylim[0]) ? ylim[1] : hi[1];
    if (!(v[0] < v[1] && v[2] < v[3] && isfinite(v[1] - v[0]) && isfinite(v[3] - v[2]))) {
        lsc_error_set(err, LSC_EINVAL, "basins: the box [%g, %g] x [%g, %g] is empty (allowed: "
                      "LO < HI on each axis)", v[0], v[1], v[2], v[3]);
        return LSC_EINVAL;
    }
    b->tol = tol > 0 ? tol : 0.01 * hypot(v[1] - v[0], v[3] - v[2]);
    return LSC_OK;
}

/* The classes: the known critical points, then 'not converged' and 'diverged'. */
static int set_classes(lsc_basins *b, const lsc_landscape *L, lsc_error *err)
{
    b->ncp = lsc_landscape_ncritical(L);
    b->nclass = b->ncp + 2;
    b->classes = calloc((size_t)b->nclass, sizeof *b->classes);
    if (!b->classes) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int k = 0; k < b->ncp; k++) {
        lsc_basin_class *C = &b->classes[k];
        lsc_critical cp = {.x = C->x};
        lsc_landscape_critical(L, k, &cp);
        C->outcome = LSC_BASIN_CRITICAL;
        C->kind = cp.kind;
        C->f = cp.f;
    }
    b->classes[b->ncp].outcome = LSC_BASIN_NOT_CONVERGED;
    b->classes[b->ncp + 1].outcome = LSC_BASIN_DIVERGED;
    return LSC_OK;
}

/* Class of a run that stopped with st at xe: the nearest critical point within tol. */
static int classify(const lsc_basins *b, int st, const double *xe)
{
    if (st == LSC_STOP_DIVERGED || st == LSC_STOP_DOMAIN || st == LSC_STOP_FAILED ||
        !isfinite(xe[0]) || !isfinite(xe[1]))
        return b->ncp + 1;
    int k = b->ncp; /* not converged */
    double best = INFINITY;
    for (int q = 0; q < b->ncp; q++) {
        double d = hypot(xe[0] - b->classes[q].x[0], xe[1] - b->classes[q].x[1]);
        if (d <= b->tol && d < best) {
            best = d;
            k = q;
        }
    }
    return k;
}

/* A worker's own objects (parallel.h): an optimizer, a schedule (NULL: constant) and a
 * record that keeps a run's start and end rows. */
typedef struct {
    lsc_optim *opt;
    lsc_schedule *sched;
    lsc_trajectory tr;
    lsc_run_record *rec;
} basin_worker;

typedef struct {
    lsc_basins *b;
    int p;
    const lsc_run_opts *ro;
    basin_worker *w;
} grid_ctx;

/* Task j: row j of optimizer p's starts, each run's end (only the start and the end are
 * recorded: every = steps) classified into b->grid; the counts are summed afterwards. */
static int grid_row(void *vctx, int w, int j, void *slot, lsc_error *err)
{
    (void)slot;
    const grid_ctx *c = vctx;
    basin_worker *W = &c->w[w];
    lsc_run_opts ro = *c->ro;
    ro.schedule = W->sched;
    const int N = c->b->n;
    for (int i = 0; i < N; i++) {
        double x0[2];
        lsc_basins_start(c->b, i, j, x0);
        W->rec->len = 0;
        int st = lsc_run(&ro, W->opt, x0, j * N + i, &W->tr, W->rec, err);
        if (st < 0)
            return st;
        const double *xe = W->rec->len ? W->rec->x + (W->rec->len - 1) * 2 : x0;
        c->b->grid[((size_t)c->p * N + j) * N + i] = classify(c->b, st, xe);
    }
    return LSC_OK;
}

static void free_workers(basin_worker *w, int nw)
{
    for (int k = 0; w && k < nw; k++) {
        lsc_optim_free(w[k].opt);
        if (k > 0) /* worker 0 uses the caller's schedule */
            lsc_schedule_free(w[k].sched);
        lsc_trajectory_free(&w[k].tr);
    }
    free(w);
}

/* Workers 1 .. nw - 1 get an optimizer from spec and a schedule like worker 0's. */
static int make_workers(basin_worker *w, int nw, const char *spec, lsc_error *err)
{
    char sched[LSC_VALUE_MAX];
    if (w[0].sched)
        lsc_schedule_describe(w[0].sched, sched, sizeof sched);
    for (int k = 0; k < nw; k++) {
        lsc_trajectory_init(&w[k].tr, 2, 2, 0);
        if (!(w[k].rec = lsc_trajectory_add_run(&w[k].tr))) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        if (k == 0)
            continue;
        if (!(w[k].opt = lsc_optim_new(spec, 2, "basins optimizer", err)) ||
            (w[0].sched && !(w[k].sched = lsc_schedule_new(sched, "schedule", err))))
            return err && err->code ? err->code : LSC_ENOMEM;
    }
    return LSC_OK;
}

/* Every start of optimizer p (its first worker's optimizer opt), on nw threads. */
static int run_grid(lsc_basins *b, int p, lsc_optim *opt, const char *spec,
                    const lsc_run_opts *ro, int nw, lsc_error *err)
{
    basin_worker *w = calloc((size_t)nw, sizeof *w);
    if (!w) {
        lsc_optim_free(opt);
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    w[0].opt = opt;
    w[0].sched = ro->schedule;
    int rc = make_workers(w, nw, spec, err);
    grid_ctx c = {b, p, ro, w};
    if (rc == LSC_OK)
        rc = lsc_parallel_map_workers(b->n, NULL, 0, nw, grid_row, &c, err);
    free_workers(w, nw);
    const size_t cells = (size_t)b->n * (size_t)b->n;
    for (size_t k = 0; rc == LSC_OK && k < cells; k++)
        b->classes[b->grid[(size_t)p * cells + k]].count++;
    return rc;
}

/* Optimizer p from its spec, its names kept in b->opt[p]. */
static lsc_optim *make_optimizer(lsc_basins *b, int p, const char *spec, lsc_error *err)
{
    char what[64];
    snprintf(what, sizeof what, "basins optimizer %d", p + 1);
    lsc_optim *opt = lsc_optim_new(spec, 2, what, err);
    if (!opt)
        return NULL;
    lsc_basins_optimizer *O = &b->opt[p];
    snprintf(O->spec, sizeof O->spec, "%s", spec);
    lsc_optim_describe(opt, O->describe, sizeof O->describe);
    snprintf(O->label, sizeof O->label, "%s", opt->label);
    snprintf(O->type, sizeof O->type, "%s", opt->type->name);
    return opt;
}

/* The driver options of optimizer p's runs: run's, with L, only the ends recorded, no
 * callbacks; kept in b->opt[p] (and, for the first optimizer, in b). */
static lsc_run_opts basin_run_opts(lsc_basins *b, int p, const lsc_landscape *L,
                                   const lsc_run_opts *run)
{
    lsc_run_opts ro = *run;
    ro.landscape = L;
    if (ro.steps <= 0)
        ro.steps = 1000;
    ro.every = ro.steps; /* only the start and the end are needed */
    ro.progress = NULL;
    ro.progress_user = NULL;
    ro.record = NULL; /* the ends go to the record: a recorder would take them away */
    ro.record_user = NULL;
    lsc_basins_optimizer *O = &b->opt[p];
    O->clip_norm = ro.clip_norm;
    O->clip_value = ro.clip_value;
    O->noise = ro.noise;
    if (ro.schedule)
        lsc_schedule_describe(ro.schedule, O->schedule, sizeof O->schedule);
    if (p == 0) {
        b->steps = ro.steps;
        b->stop_grad = ro.stop_grad;
        b->clip_norm = ro.clip_norm;
        b->clip_value = ro.clip_value;
        b->noise = ro.noise;
        b->seed = ro.seed;
        memcpy(b->schedule, O->schedule, sizeof b->schedule);
    }
    return ro;
}

static int check_args(const lsc_landscape *L, const char *const *specs, int nopt,
                      const lsc_run_opts *run, int n, lsc_error *err)
{
    if (!L || !specs || nopt < 1 || !run) {
        lsc_error_set(err, LSC_EINVAL, "basins: needs a landscape, at least one optimizer and "
                      "run options");
        return LSC_EINVAL;
    }
    if (L->n != 2) {
        lsc_error_set(err, LSC_EINVAL, "basins: needs a 2-D landscape ('%s' has %d "
                      "dimensions)", L->type->name, L->n);
        return LSC_EINVAL;
    }
    if (n < 2 || n > 1000) {
        lsc_error_set(err, LSC_EINVAL, "basins: %d starts per axis (allowed: 2 to 1000)", n);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

int lsc_basins_compute_threads(lsc_basins *b, const lsc_landscape *L,
                               const char *const *specs, int nopt, const lsc_run_opts *run,
                               const double xlim[2], const double ylim[2], int n, double tol,
                               int threads, lsc_error *err)
{
    memset(b, 0, sizeof *b);
    int rc = check_args(L, specs, nopt, run, n, err);
    if (rc)
        return rc;
    b->n = n;
    b->nopt = nopt;
    rc = set_box(b, L, xlim, ylim, tol, err);
    if (rc == LSC_OK)
        rc = set_classes(b, L, err);
    if (rc == LSC_OK) {
        b->opt = calloc((size_t)nopt, sizeof *b->opt);
        b->grid = malloc((size_t)nopt * (size_t)n * (size_t)n * sizeof *b->grid);
        if (!b->opt || !b->grid) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
        }
    }
    /* threads take rows of the grid; one on a landscape that is not reentrant */
    const int nw = lsc_landscape_reentrant(L) ? lsc_parallel_workers(n, threads) : 1;
    for (int p = 0; p < nopt && rc == LSC_OK; p++) {
        lsc_run_opts ro = basin_run_opts(b, p, L, &run[p]);
        lsc_optim *opt = make_optimizer(b, p, specs[p], err);
        if (!opt) {
            rc = err && err->code ? err->code : LSC_EINVAL;
            break;
        }
        rc = run_grid(b, p, opt, specs[p], &ro, nw, err); /* frees opt */
    }
    if (rc != LSC_OK)
        lsc_basins_free(b);
    return rc;
}

int lsc_basins_compute_each(lsc_basins *b, const lsc_landscape *L, const char *const *specs,
                            int nopt, const lsc_run_opts *run, const double xlim[2],
                            const double ylim[2], int n, double tol, lsc_error *err)
{
    return lsc_basins_compute_threads(b, L, specs, nopt, run, xlim, ylim, n, tol, 1, err);
}

int lsc_basins_compute(lsc_basins *b, const lsc_landscape *L, const char *const *specs,
                       int nopt, const lsc_run_opts *run, const double xlim[2],
                       const double ylim[2], int n, double tol, lsc_error *err)
{
    memset(b, 0, sizeof *b);
    int rc = check_args(L, specs, nopt, run, n, err);
    if (rc)
        return rc;
    lsc_run_opts *each = malloc((size_t)nopt * sizeof *each);
    if (!each) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int p = 0; p < nopt; p++)
        each[p] = *run;
    rc = lsc_basins_compute_each(b, L, specs, nopt, each, xlim, ylim, n, tol, err);
    free(each);
    return rc;
}

/* 1 when runs r and q of a trajectory ran the same optimizer with the same schedule, noise
 * and clipping (so their basins are the same). */
static int same_runs(const lsc_run_record *r, const lsc_run_record *q)
{
    return !strcmp(r->optimizer, q->optimizer) && !strcmp(r->schedule, q->schedule) &&
           r->noise == q->noise && r->clip_norm == q->clip_norm &&
           r->clip_value == q->clip_value;
}

int lsc_basins_compute_trajectory(lsc_basins *b, const lsc_landscape *L,
                                  const lsc_trajectory *t, const double xlim[2],
                                  const double ylim[2], int n, double tol, lsc_error *err)
{
    memset(b, 0, sizeof *b);
    if (!t || !L) {
        lsc_error_set(err, LSC_EINVAL, "basins: needs a trajectory and a landscape");
        return LSC_EINVAL;
    }
    /* its distinct optimizers with their own options, in the order of their first run */
    enum { MAX_OPT = 64 };
    const char *specs[MAX_OPT];
    const lsc_run_record *first[MAX_OPT];
    lsc_run_opts ro[MAX_OPT];
    int nopt = 0, rc = LSC_OK;
    for (int r = 0; r < t->nruns && nopt < MAX_OPT; r++) {
        int dup = 0;
        for (int k = 0; k < nopt; k++)
            dup |= same_runs(first[k], &t->runs[r]);
        if (dup)
            continue;
        const lsc_run_record *R = first[nopt] = &t->runs[r];
        specs[nopt] = R->optimizer;
        ro[nopt] = (lsc_run_opts){
            .landscape = L, .steps = t->steps > 0 ? t->steps : 1000,
            .stop_grad = t->stop_grad, .stop_loss_on = !isnan(t->stop_loss),
            .stop_loss = isnan(t->stop_loss) ? 0 : t->stop_loss, .stop_dist = t->stop_dist,
            .clip_norm = R->clip_norm, .clip_value = R->clip_value, .noise = R->noise,
            .seed = t->seed};
        if (R->schedule[0] && strcmp(R->schedule, "constant")) {
            ro[nopt].schedule = lsc_schedule_new(R->schedule, "trajectory schedule", err);
            if (!ro[nopt].schedule) {
                rc = err && err->code ? err->code : LSC_EINVAL;
                break;
            }
        }
        nopt++;
    }
    if (rc == LSC_OK)
        rc = lsc_basins_compute_each(b, L, specs, nopt, ro, xlim, ylim, n, tol, err);
    for (int k = 0; k < nopt; k++)
        lsc_schedule_free(ro[k].schedule);
    return rc;
}
