/* test_registry.c — every member of every family (landscapes, optimizers, schedules, data
 * sets) and its parameter table, walked through the registries.
 *
 * Members write their tables with designated initializers, [P_NAME] = {"name", ...}, and
 * read p->v[P_NAME] (issue 7). A table whose enum skips an index, or names an index no row
 * fills, leaves a zeroed row: no name, no help. Each row must have both, so such a hole
 * fails here. The tests count nothing by hand: a member added to a registry is walked too.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dataset.h"
#include "landscape.h"
#include "optim.h"
#include "schedule.h"

/* One family member as this file sees it. */
typedef struct {
    const char *family, *name;
    const lsc_param_desc *params;
    int nparams;
} member;

/* Every row named and explained, names unique within the member, a range
 * that is one (lo <= hi), and a default inside it (an LSC_REQUIRED parameter has none: its
 * def is a placeholder, and the spec must give it). */
static void check_table(const member *m)
{
    cr_assert(m->name && *m->name, "%s: a member without a name", m->family);
    cr_assert(m->nparams >= 0 && m->nparams <= LSC_MAX_PARAMS, "%s '%s': %d parameters",
              m->family, m->name, m->nparams);
    cr_assert_eq(m->nparams == 0, m->params == NULL, "%s '%s': params and nparams disagree",
                 m->family, m->name);
    for (int i = 0; i < m->nparams; i++) {
        const lsc_param_desc *d = &m->params[i];
        cr_assert(d->name && *d->name, "%s '%s': row %d has no name (a hole in the table?)",
                  m->family, m->name, i);
        cr_assert(d->help && *d->help, "%s '%s': row %d ('%s') has no help text", m->family,
                  m->name, i, d->name);
        cr_assert(d->lo <= d->hi, "%s '%s': '%s' range [%g, %g]", m->family, m->name,
                  d->name, d->lo, d->hi);
        int number = d->kind == LSC_PARAM_REAL || d->kind == LSC_PARAM_INT;
        if (number && !(d->flags & LSC_REQUIRED))
            cr_assert(d->def >= d->lo && d->def <= d->hi, "%s '%s': '%s' default %g outside "
                      "[%g, %g]", m->family, m->name, d->name, d->def, d->lo, d->hi);
        for (int j = 0; j < i; j++)
            cr_assert(strcmp(d->name, m->params[j].name), "%s '%s': '%s' twice", m->family,
                      m->name, d->name);
    }
}

Test(registry, every_landscape_table)
{
    cr_assert_gt(lsc_landscape_registry_count, 0);
    cr_assert_null(lsc_landscape_registry[lsc_landscape_registry_count]);
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        member m = {"landscape", T->name, T->params, T->nparams};
        check_table(&m);
    }
}

/* Optimizers also keep their learning rate in row LSC_OPTIM_P_LR (optim.h). */
Test(registry, every_optimizer_table)
{
    cr_assert_gt(lsc_optim_registry_count, 0);
    cr_assert_null(lsc_optim_registry[lsc_optim_registry_count]);
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        member m = {"optimizer", T->name, T->params, T->nparams};
        check_table(&m);
        cr_assert_gt(T->nparams, LSC_OPTIM_P_LR, "%s", T->name);
        cr_assert_str_eq(T->params[LSC_OPTIM_P_LR].name, "lr", "%s", T->name);
    }
}

Test(registry, every_schedule_table)
{
    cr_assert_gt(lsc_schedule_registry_count, 0);
    cr_assert_null(lsc_schedule_registry[lsc_schedule_registry_count]);
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        member m = {"schedule", T->name, T->params, T->nparams};
        check_table(&m);
    }
}

Test(registry, every_data_set_table)
{
    cr_assert_gt(lsc_data_registry_count, 0);
    cr_assert_null(lsc_data_registry[lsc_data_registry_count]);
    for (int i = 0; i < lsc_data_registry_count; i++) {
        const lsc_data_type *T = lsc_data_registry[i];
        member m = {"data set", T->name, T->params, T->nparams};
        check_table(&m);
        /* a seeded generator's seed is its last row, and only a seeded one has a seed */
        int seeds = 0;
        for (int k = 0; k < T->nparams; k++)
            seeds += !strcmp(T->params[k].name, "seed");
        cr_assert_eq(seeds, T->seeded, "data set %s: %d seed rows, seeded %d", T->name, seeds,
                     T->seeded);
        if (T->seeded)
            cr_assert_str_eq(T->params[T->nparams - 1].name, "seed", "data set %s", T->name);
    }
}
