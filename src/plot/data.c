/* data.c — kind data: the data set a model was trained on (its trajectory's data, target
 * and holdout), as points: two features coloured by class, or one feature's target
 * against it; training examples filled, test examples open */
#include <string.h>

#include "points.h"

/* L NULL: a data set alone (lsc_plot_render_data checks it) */
static int data_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                      const plot_need *need, lsc_error *err)
{
    (void)o;
    (void)need;
    return L ? plot_points_check(K, L, err) : LSC_OK;
}

static int data_emit(plot_ctx *c)
{
    int rc = c->data[0] ? plot_points_check_sets(c->K, c->data[0], c->data[1], c->err)
                        : plot_points_check(c->K, c->L, c->err);
    if (rc)
        return rc;
    plot_points P;
    plot_points_init(c, &P);
    if ((rc = plot_points_write(c, &P)) != LSC_OK)
        return rc;
    char what[128], desc[LSC_VALUE_MAX + 128], title[LSC_VALUE_MAX + 32];
    plot_spf(what, sizeof what, "data set, %s", P.d == 2 ? "two features by class"
                                                          : "target against one feature");
    if ((rc = plot_script_begin(c, what)) != LSC_OK)
        return rc;
    plot_points_describe(c, &P, desc, sizeof desc);
    plot_spf(c->auto_caption, sizeof c->auto_caption, "Data %s%s.", desc,
             P.d == 2 ? "; one colour per class" : "");
    plot_spf(title, sizeof title, "Data: %s", c->t && c->t->data[0] ? c->t->data
                                                                     : P.set[0]->source);
    plot_title_caption(c, title, NULL, 1);
    plot_legend L;
    memset(&L, 0, sizeof L);
    plot_points_legend(c, &P, &L);
    int kcols;
    double kh = plot_leg_layout(c, &L, &kcols);
    plot_multiplot(c);
    plot_points_panel(c, &P, c->cap_h + kh);
    plot_clauses k = {c, "plot", 0};
    plot_emit_points(c, &k, &P);
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

static const char *const data_keys[] = {"xlim", "ylim", NULL};

const plot_kind_type plot_kind_data = {
    .name = "data",
    .id = LSC_PLOT_DATA,
    .summary = "a model's data set: two features by class, or y against one feature",
    .keys = data_keys,
    .flags = PLOT_NEEDS_LANDSCAPE,
    .grid = 0,
    .width = 760,
    .height = 760,
    .check = data_check,
    .emit = data_emit,
};
