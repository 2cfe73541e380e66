/* fuzz_recipe.c — figure recipes (lsc_recipe_read) and what `losscape figure` checks next
 *
 * The input is written to a file (a memfd) and read as a recipe. A recipe that reads is
 * then checked the way the figure verb checks it before rendering: its experiment prepared
 * (the landscape at the recipe's dimension, the start, every optimizer and schedule),
 * every figure's options (lsc_plot_opts_set); then each optimizer runs for at most 20
 * steps with the recipe's driver options. Nothing is rendered. Accepted: every one of
 * those steps succeeded.
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

/* The recipe's experiment as the figure verb prepares it (landscape, start, optimizers,
 * schedules), then every run for at most RUN_MAX_STEPS steps. */
static int run_all(lsc_recipe *r, lsc_error *err)
{
    lsc_experiment *x = r->experiment;
    char v[32];
    long steps = 0;
    lsc_experiment_get(x, 0, "steps", v, sizeof v);
    if (lsc_parse_long(v, &steps) == LSC_OK && steps > RUN_MAX_STEPS)
        lsc_experiment_set(x, "steps", "20", err);
    lsc_error_clear(err);
    int rc = lsc_recipe_prepare(r, err);
    lsc_fuzz_check_error(rc, err, "lsc_recipe_prepare");
    if (rc != LSC_OK || !figures_ok(r, err))
        return 0;
    lsc_trajectory t;
    lsc_error_clear(err);
    rc = lsc_experiment_trajectory(x, &t, err);
    if (rc == LSC_OK)
        rc = lsc_experiment_run(x, &t, NULL, NULL, err);
    lsc_fuzz_check_error(rc, err, "lsc_experiment_run");
    lsc_trajectory_free(&t);
    return rc == LSC_OK;
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
    /* the landscape alone first, to know the dimension before making optimizers */
    char spec[LSC_VALUE_MAX], dim[32];
    lsc_experiment_get(r->experiment, 0, "landscape", spec, sizeof spec);
    lsc_experiment_get(r->experiment, 0, "dim", dim, sizeof dim);
    lsc_error_clear(err);
    lsc_landscape *L = lsc_landscape_new(spec, atoi(dim), "landscape", err);
    lsc_fuzz_check_error(L ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                         "lsc_landscape_new");
    if (L && L->n <= RUN_MAX_DIM)
        ok = run_all(r, err);
    else if (L)
        ok = figures_ok(r, err); /* too large to run here */
    lsc_landscape_free(L);
    lsc_recipe_free(r);
    return ok;
}
