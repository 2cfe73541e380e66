/* fuzz_recipe.c — figure recipes (lsc_recipe_read) and what `losscape figure` checks next
 *
 * The input is written to a file (a memfd) and read as a recipe. A recipe that reads is
 * then checked the way the figure verb checks it before rendering: the landscape at the
 * recipe's dimension, the start, every optimizer and schedule, every figure's options
 * (lsc_plot_opts_set); then each optimizer runs for at most 20 steps with the recipe's
 * driver options. Nothing is rendered. Accepted: every one of those steps succeeded.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "landscape.h"
#include "optim.h"
#include "plot.h"
#include "recipe.h"
#include "run.h"
#include "schedule.h"

/* Build optimizers and run them only up to this dimension: a recipe may legitimately
 * ask for 10^8 dimensions, and the memory that takes is the user's choice. */
#define RUN_MAX_DIM 4096
#define RUN_MAX_STEPS 20

static int start_of(const lsc_recipe *r, const lsc_landscape *L, double *x0)
{
    const int n = L->n;
    if (!r->start[0]) {
        if (lsc_landscape_nstarts(L) == 0)
            return 0;
        lsc_landscape_start(L, 0, x0);
        return 1;
    }
    if (!strcmp(r->start, "random")) {
        double *hi = malloc((size_t)n * sizeof *hi);
        if (!hi)
            return 0;
        lsc_landscape_box(L, x0, hi);
        for (int j = 0; j < n; j++)
            x0[j] = 0.5 * (x0[j] + hi[j]);
        free(hi);
        return 1;
    }
    return lsc_parse_list(r->start, ',', x0, n) == n;
}

/* Figure options as the figure verb sets them. Returns 1 if every figure is valid. */
static int figures_ok(const lsc_recipe *r, lsc_error *err)
{
    lsc_plot_opts *po = malloc(sizeof *po);
    if (!po)
        return 0;
    int ok = 1;
    for (int k = 0; k < r->nfigures && ok; k++) {
        const lsc_recipe_figure *fig = &r->figure[k];
        lsc_plot_opts_default(po);
        if (r->title[0])
            snprintf(po->title, sizeof po->title, "%s", r->title);
        if (r->caption[0])
            snprintf(po->caption, sizeof po->caption, "%s", r->caption);
        for (int i = 0; i < fig->nkv && ok; i++) {
            lsc_error_clear(err);
            int rc = lsc_plot_opts_set(po, fig->kv[i].key, fig->kv[i].val, err);
            lsc_fuzz_check_error(rc, err, "lsc_plot_opts_set");
            ok = rc == LSC_OK;
        }
    }
    free(po);
    return ok;
}

static int run_all(const lsc_recipe *r, lsc_landscape *L, const double *x0, lsc_error *err)
{
    lsc_optim *opt[LSC_RECIPE_MAX_OPT] = {0};
    lsc_schedule *sched[LSC_RECIPE_MAX_GROUP] = {0};
    lsc_run_opts ro[LSC_RECIPE_MAX_GROUP];
    int ok = 1;
    for (int i = 0; i < r->noptimizers && ok; i++) {
        lsc_error_clear(err);
        opt[i] = lsc_optim_new(r->optimizer[i], (size_t)L->n, "optimizer", err);
        lsc_fuzz_check_error(opt[i] ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                             "lsc_optim_new");
        ok = opt[i] != NULL;
    }
    for (int g = 0; g < r->ngroups && ok; g++) {
        const lsc_recipe_group *G = &r->group[g];
        if (G->schedule[0]) {
            lsc_error_clear(err);
            sched[g] = lsc_schedule_new(G->schedule, "schedule", err);
            lsc_fuzz_check_error(sched[g] ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                                 "lsc_schedule_new");
            ok = sched[g] != NULL;
        }
        ro[g] = (lsc_run_opts){.landscape = L, .schedule = sched[g],
                               .steps = r->steps < RUN_MAX_STEPS ? r->steps : RUN_MAX_STEPS,
                               .stop_grad = r->stop_grad, .clip_norm = G->clip_norm,
                               .clip_value = G->clip_value, .noise = G->noise,
                               .seed = r->seed, .every = r->every};
    }
    if (ok && !figures_ok(r, err))
        ok = 0;
    if (ok) {
        lsc_trajectory t;
        lsc_trajectory_init(&t, L->n, L->n, 0);
        lsc_trajectory_describe_opts(&t, &ro[0]);
        for (int i = 0; i < r->noptimizers && ok; i++) {
            lsc_run_record *rec = lsc_trajectory_add_run(&t);
            if (!rec)
                break;
            lsc_error_clear(err);
            int rc = lsc_run(&ro[r->optimizer_group[i]], opt[i], x0, i, &t, rec, err);
            lsc_fuzz_check_error(rc, err, "lsc_run");
            ok = rc >= 0;
        }
        lsc_trajectory_free(&t);
    }
    for (int i = 0; i < r->noptimizers; i++)
        lsc_optim_free(opt[i]);
    for (int g = 0; g < LSC_RECIPE_MAX_GROUP; g++)
        lsc_schedule_free(sched[g]);
    return ok;
}

int lsc_fuzz_one(const uint8_t *data, size_t size, lsc_error *err)
{
    gsl_set_error_handler_off(); /* as the CLI does */
    lsc_error_clear(err);
    lsc_recipe *r = lsc_recipe_read(lsc_fuzz_file(data, size), err);
    lsc_fuzz_check_error(r ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                         "lsc_recipe_read");
    if (!r)
        return 0;
    int ok = 0;
    lsc_error_clear(err);
    lsc_landscape *L = lsc_landscape_new(r->landscape, (int)r->dim, "landscape", err);
    lsc_fuzz_check_error(L ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                         "lsc_landscape_new");
    if (L && L->n <= RUN_MAX_DIM) {
        double *x0 = calloc((size_t)L->n, sizeof *x0);
        if (x0 && start_of(r, L, x0))
            ok = run_all(r, L, x0, err);
        else /* the figure verb says which; here any message will do */
            lsc_error_set(err, LSC_EINVAL, "%s: no usable start", r->path);
        free(x0);
    } else if (L) {
        ok = figures_ok(r, err); /* too large to run here */
    }
    lsc_landscape_free(L);
    lsc_recipe_free(r);
    return ok;
}
