/* surface.c — kind surface: the landscape as a lit 3-D surface (pm3d) with the runs'
 * paths on it (2-D) */
#include <stdio.h>
#include <string.h>

#include "map.h"

static int surface_emit(plot_ctx *c)
{
    int rc = plot_need_2d(c);
    if (rc)
        return rc;
    const lsc_plot_opts *o = c->o;
    plot_map m;
    plot_map_spec s;
    plot_map_spec_2d(c, &s, PLOT_MAP_HEAT | PLOT_MAP_PATHS | PLOT_MAP_OVERLAPS);
    /* a surface's height is linear unless log=true: on a log z axis the pits of a deep
     * minimum are steep funnels that a grid of quads cuts into jagged shapes */
    s.log = o->log_color < 0 ? 0 : o->log_color;
    rc = plot_map_build(c, &m, &s);
    char what[256], a[32], b[32];
    plot_spf(what, sizeof what, "surface, %dx%d grid, %s scale", m.g.nx, m.g.ny,
             m.pc.log ? "log" : "linear");
    if (!rc)
        rc = plot_script_begin(c, what);
    if (rc) {
        plot_map_free(c, &m);
        return rc;
    }
    plot_legend L;
    int kcols;
    double kh = plot_map_heading(c, &m, NULL, 0, &L, &kcols);
    double y0 = c->cap_h + kh, top = 1 - plot_title_h(c);
    plot_multiplot(c);
    plot_printf(c, "set origin 0, %.4f\nset size 1, %.4f\n", y0, top - y0);
    plot_emit_coord_labels(c);
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, m.v[0]), plot_num(b, m.v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, m.v[2]), plot_num(b, m.v[3]));
    /* scaled up a little: gnuplot's 3-D box leaves a wide margin inside its panel */
    plot_printf(c, "set view %s, %s, 1.12, 1.1\n", plot_num(a, o->view_x),
                plot_num(b, o->view_z));
    plot_printf(c, "set xyplane relative 0\n");
    plot_printf(c, "set pm3d explicit at s\nset pm3d lighting primary 0.45 specular 0.15\n"
                   "set style fill solid\nunset hidden3d\nset tics nomirror\n"
                   "set border 895\nset xtics offset 0,-0.3\nunset key\n");
    plot_emit_colour_scale(c, &m.pc, 1, "cb");
    plot_emit_colour_scale(c, &m.pc, 1, "z");
    /* the z axis is drawn about 0.45 of the panel's height at the default view: its labels
     * thinned where they would touch */
    plot_fit_tics(c, "z", m.pc.lo, m.pc.hi, 0.45 * (top - y0) * c->height, 0, m.pc.log);
    /* the colour box at the right, with room for its tick labels and its label */
    const double em = plot_em(c);
    double cbx = c->width - plot_colour_box_room(c, &m.pc);
    plot_emit_colour_box(c, &m.pc, cbx, y0 * c->height + 0.12 * (top - y0) * c->height,
                         0.66 * (top - y0) * c->height);
    plot_printf(c, "set rmargin at screen %.4f\n", (cbx - 1.5 * em) / c->width);
    plot_printf(c, "ZBASE = %s\n", plot_num(a, m.pc.lo));
    plot_clauses k = {c, "splot", 0};
    plot_emit_heat(c, &k, &m, 1);
    plot_emit_contour_lines(c, &k, &m, "1:2:(ZBASE)", "'#99555555'", "LW_CONTOUR");
    plot_emit_map_marked_paths(c, &k, &m, "2:3:5", "COLOR($4)");
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    plot_map_free(c, &m);
    return LSC_OK;
}

static const char *const surface_keys[] = {"view", "grid", "contours", "log", "xlim", "ylim",
                                           "max_points", NULL};

const plot_kind_type plot_kind_surface = {
    .name = "surface",
    .id = LSC_PLOT_SURFACE,
    .summary = "3-D surface (pm3d) with the runs' paths on it (2-D)",
    .keys = surface_keys,
    .flags = PLOT_NEEDS_LANDSCAPE,
    .grid = 120,
    .width = 960,
    .height = 720,
    .check = plot_map_check,
    .emit = surface_emit,
};
