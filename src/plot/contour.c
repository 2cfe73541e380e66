/* contour.c — kind contour: the landscape as a heat map with contour lines, its known
 * critical points, and the runs' paths over it (2-D) */
#include <string.h>

#include "map.h"

static int contour_emit(plot_ctx *c)
{
    int rc = plot_need_2d(c);
    if (rc)
        return rc;
    plot_map m;
    plot_map_spec s;
    plot_map_spec_2d(c, &s, PLOT_MAP_HEAT | PLOT_MAP_QUIVER | PLOT_MAP_PATHS | PLOT_MAP_EXITS |
                                PLOT_MAP_OVERLAPS);
    rc = plot_map_build(c, &m, &s);
    if (rc) {
        plot_map_free(c, &m);
        return rc;
    }
    char what[256];
    plot_spf(what, sizeof what, "contour map, %dx%d grid, %s colour scale", m.g.nx, m.g.ny,
             m.pc.log ? "log" : "linear");
    rc = plot_script_begin(c, what);
    if (rc) {
        plot_map_free(c, &m);
        return rc;
    }
    plot_legend L;
    int kcols;
    double kh = plot_map_heading(c, &m, NULL, 0, &L, &kcols);
    plot_multiplot(c);
    plot_emit_map_panel(c, &m, c->cap_h + kh, "");
    plot_clauses k = {c, "plot", 0};
    plot_emit_map_layers(c, &k, &m);
    plot_emit_map_marked_paths(c, &k, &m, "2:3", NULL);
    if (!k.n) { /* nothing at all to draw (text terminal, no contours): an empty frame */
        plot_clause(&k);
        plot_printf(c, "NaN notitle");
    }
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    plot_map_free(c, &m);
    return LSC_OK;
}

static const char *const contour_keys[] = {"quiver", "quiver_n", "grid", "contours", "log",
                                           "xlim", "ylim", "max_points", NULL};

const plot_kind_type plot_kind_contour = {
    .name = "contour",
    .id = LSC_PLOT_CONTOUR,
    .summary = "heat map, contour lines, critical points and the runs' paths (2-D)",
    .keys = contour_keys,
    .flags = PLOT_NEEDS_LANDSCAPE | PLOT_DUMB,
    .grid = 400,
    .width = 920,
    .height = 760,
    .check = plot_map_check,
    .emit = contour_emit,
};
