/* map.c — the layers of a map the kinds share (map.h) */
#include "map.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "runs.h"

/* ---- paths ------------------------------------------------------------------------------- */

/* A white halo under every path (and exit arrow), so paths stand out on any colour. */
static void emit_halos(plot_ctx *c, plot_clauses *k, const char *paths_name, const plot_path *pi,
                       const char *using, const char *exits)
{
    const lsc_trajectory *t = c->t;
    for (int r = 0; r < t->nruns; r++) {
        if (pi[r].block < 0)
            continue;
        plot_clause(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d every ::0::%d using %s with lines lc rgb C_HALO "
                    "lw LW_PATH_RUN(%d)+LW_HALO notitle", pi[r].block, pi[r].draw_last,
                    using, pi[r].group);
    }
    for (int r = 0; exits && r < t->nruns; r++) {
        if (pi[r].exit < 0)
            continue;
        plot_clause(k);
        plot_fileref(c, exits);
        plot_printf(c, " every ::%d::%d using 1:2:3:4 with vectors nohead lc rgb C_HALO "
                    "lw LW_PATH_RUN(%d)+LW_HALO notitle", pi[r].exit, pi[r].exit,
                    pi[r].group);
    }
}

/* Run r's path: dashed where it runs along an earlier path, titled with the legend of its
 * group (the first run of the group), then its exit arrow. */
static void emit_path(plot_ctx *c, plot_clauses *k, const char *paths_name, const plot_path *p,
                      int r, const char *using, const char *exits)
{
    char leg[LSC_VALUE_MAX];
    const char *z = strlen(using) > 3 ? ":5" : ""; /* a surface: z = colour value */
    plot_clause(k);
    plot_fileref(c, paths_name);
    if (p->dashed) { /* the dashed stretches, then the solid ones (with the title) */
        plot_printf(c, " index %d every ::0::%d using 2:($7 > 0 ? $3 : NaN)%s with lines "
                    "lt %d lw LW_PATH_RUN(%d) dt DT_OVER notitle", p->block, p->draw_last, z,
                    p->lt, p->group);
        plot_clause(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d every ::0::%d using 2:($6 > 0 ? $3 : NaN)%s with lines "
                    "lt %d lw LW_PATH_RUN(%d) ", p->block, p->draw_last, z, p->lt, p->group);
    } else {
        plot_printf(c, " index %d every ::0::%d using %s with lines lt %d lw LW_PATH_RUN(%d) ",
                    p->block, p->draw_last, using, p->lt, p->group);
    }
    if (p->titled) {
        plot_run_legend(c->t, r, leg, sizeof leg);
        plot_printf(c, "title ");
        plot_str(c, leg);
        plot_printf(c, " noenhanced");
    } else {
        plot_printf(c, "notitle");
    }
    if (exits && p->exit >= 0) {
        plot_clause(k);
        plot_fileref(c, exits);
        plot_printf(c, " every ::%d::%d using 1:2:3:4 with vectors head filled size "
                    "screen 0.015,25 lt %d dt DT_EXIT lw LW_PATH_RUN(%d) notitle",
                    p->exit, p->exit, p->lt, p->group);
    }
}

void plot_emit_starts(plot_ctx *c, plot_clauses *k, const char *paths_name, const plot_path *pi,
                      const char *using)
{
    for (int r = 0; r < c->t->nruns; r++) {
        if (pi[r].block < 0 || pi[r].same_start)
            continue;
        if (!plot_is_text(c)) {
            plot_clause(k);
            plot_fileref(c, paths_name);
            plot_printf(c, " index %d every ::0::0 using %s with points pt PT_START_FILL "
                        "ps PS_START lc rgb C_START_FILL notitle", pi[r].block, using);
        }
        plot_clause(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d every ::0::0 using %s with points pt PT_START ps PS_START "
                    "lw 1.5 lc rgb C_START_EDGE notitle", pi[r].block, using);
    }
}

/* Ends: a filled circle, smaller for later runs; a cross where a diverged run's last
 * finite point is in view; nothing where it left the view (the arrow shows it). */
static void emit_ends(plot_ctx *c, plot_clauses *k, const char *paths_name, const plot_path *pi,
                      const char *using)
{
    for (int r = 0; r < c->t->nruns; r++) {
        if (pi[r].block < 0 || pi[r].exit >= 0)
            continue;
        int e = pi[r].diverged ? pi[r].last_in : pi[r].rows - 1;
        if (e < 0)
            continue;
        plot_clause(k);
        plot_fileref(c, paths_name);
        if (pi[r].diverged)
            plot_printf(c, " index %d every ::%d::%d using %s with points lt %d pt PT_DIVERGED "
                        "ps PS_RUN lw 2 notitle", pi[r].block, e, e, using, pi[r].lt);
        else
            plot_printf(c, " index %d every ::%d::%d using %s with points lt %d pt PT_END "
                        "ps PS_END_RUN(%d) notitle", pi[r].block, e, e, using, pi[r].lt,
                        pi[r].group);
    }
}

void plot_emit_path_lines(plot_ctx *c, plot_clauses *k, const char *paths_name,
                          const plot_path *pi, const char *using, const char *exits)
{
    if (!plot_is_text(c))
        emit_halos(c, k, paths_name, pi, using, exits);
    for (int r = 0; r < c->t->nruns; r++)
        if (pi[r].block >= 0)
            emit_path(c, k, paths_name, &pi[r], r, using, exits);
}


/* ---- keys, colour scale, view ---------------------------------------------------------------- */

void plot_leg_runs(const plot_ctx *c, plot_legend *L, const plot_path *pi)
{
    char st[128], leg[LSC_VALUE_MAX];
    for (int r = 0; pi && r < c->t->nruns; r++) {
        if (pi[r].block < 0 || !pi[r].titled)
            continue;
        plot_spf(st, sizeof st, "with lines lt %d lw LW_PATH", pi[r].lt);
        plot_run_legend(c->t, r, leg, sizeof leg);
        plot_leg_add(L, st, leg, 1, 1);
    }
}

void plot_emit_critical(plot_ctx *c, plot_clauses *k, const char *cp_name, const int present[4],
                        const char *zexpr)
{
    plot_emit_critical_part(c, k, cp_name, present, zexpr, PLOT_CP_FILL | PLOT_CP_EDGE);
}

void plot_emit_critical_part(plot_ctx *c, plot_clauses *k, const char *cp_name,
                             const int present[4], const char *zexpr, unsigned part)
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        char u[64];
        if (zexpr)
            plot_spf(u, sizeof u, "1:($3==%d?$2:NaN):(%s)", kind, zexpr);
        else
            plot_spf(u, sizeof u, "1:($3==%d?$2:NaN)", kind);
        if ((part & PLOT_CP_FILL) && !plot_is_text(c)) {
            plot_clause(k);
            plot_fileref(c, cp_name);
            plot_printf(c, " using %s with points pt %s lc rgb C_CRIT_FILL ps PS_CRIT notitle",
                        u, plot_cp_pt[kind]);
        }
        if (!(part & PLOT_CP_EDGE))
            continue;
        plot_clause(k);
        plot_fileref(c, cp_name);
        plot_printf(c, " using %s with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 "
                    "notitle", u, plot_cp_pt[kind]);
    }
}

void plot_emit_grid_source(plot_ctx *c, const plot_grid *g, const char *name, int three_d)
{
    char a[32], b[32], dx[32], dy[32];
    plot_fileref(c, name);
    /* skip: the file's first line, the figure's mark (files.h) */
    plot_printf(c, " binary array=(%d,%d) format='%%float32' endian=little skip=%ld "
                "origin=(%s,%s%s) dx=%s dy=%s", g->nx, g->ny, plot_mark_bytes(c),
                plot_num(a, g->x0), plot_num(b, g->y0),
                three_d ? ",0" : "", plot_num(dx, (g->x1 - g->x0) / (g->nx - 1)),
                plot_num(dy, (g->y1 - g->y0) / (g->ny - 1)));
}

/* Small figures get a short colour-box label; the constants go to the caption. */
static int colour_label_short(const plot_ctx *c)
{
    return !plot_is_text(c) && c->height < 600;
}

void plot_colour_note(const plot_ctx *c, const plot_color *pc, char *buf, size_t len)
{
    buf[0] = '\0';
    if (pc->log && colour_label_short(c) && c->term == TERM_TEX) /* math in the caption */
        plot_spf(buf, len, "Colour: log scale of $f - %s + \\varepsilon$, $%s = %.6g$, "
                 "$\\varepsilon = %.3g$.", pc->known_min ? "f^*" : "f_{\\min}",
                 pc->known_min ? "f^*" : "f_{\\min}", pc->fmin, pc->eps);
    else if (pc->log && colour_label_short(c))
        plot_spf(buf, len, "Colour: log scale of %s, %s = %.6g, %s = %.3g.",
                 pc->known_min ? plot_sym(c, "f − f* + ε", "", "f - f* + eps")
                               : plot_sym(c, "f − fmin + ε", "", "f - fmin + eps"),
                 pc->known_min ? "f*" : "fmin", pc->fmin, plot_sym(c, "ε", "", "eps"), pc->eps);
}

void plot_emit_colour_scale(plot_ctx *c, const plot_color *pc, int cb, const char *axis)
{
    char a[32], b[32];
    if (strcmp(axis, "cb")) {
        /* z of a surface: the same scale as the colours, unlabelled (the colour box is) */
    } else if (pc->log) {
        plot_printf(c, "FMIN = %s; EPS = %s\nCOLOR(f) = f - FMIN + EPS\n",
                    plot_num(a, pc->fmin), plot_num(b, pc->eps));
    } else if (!strcmp(axis, "cb")) {
        plot_printf(c, "COLOR(f) = f\n");
    }
    if (!cb)
        return;
    plot_printf(c, "set %srange [%s:%s]\n", axis, plot_num(a, pc->lo), plot_num(b, pc->hi));
    /* ticks as %g ("25", not a terminal's default "25.00000") */
    if (!pc->log)
        plot_printf(c, "set format %s '%s'\n", axis, plot_sym(c, "%g", "$%g$", "%g"));
    if (pc->log) {
        plot_printf(c, "set logscale %s 10\n", axis);
        if (pc->hi / pc->lo >= 100)
            plot_printf(c, "set format %s '%s'\n", axis,
                        plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        else if (!plot_log_tics(c, axis, pc->lo, pc->hi))
            plot_printf(c, "set format %s '%%g'\n", axis);
    }
}

void plot_colour_label(const plot_ctx *c, const plot_color *pc, char *lab, size_t len)
{
    /* honest about the transformation (details in the caption when small) */
    char e1[32], fm[32];
    if (pc->log && colour_label_short(c)) {
        plot_spf(lab, len, "%s", pc->known_min
                 ? plot_sym(c, "f(x) − f* + ε", "$f(x) - f^* + \\varepsilon$", "f - f* + eps")
                 : plot_sym(c, "f(x) − f_{min} + ε", "$f(x) - f_{\\min} + \\varepsilon$",
                            "f - fmin + eps"));
    } else if (pc->log) {
        int k = plot_clamp_int(round(log10(pc->eps)), -999, 999);
        plot_spf(e1, sizeof e1, c->term == TERM_TEX ? "$10^{%d}$" : c->term == TERM_DUMB ?
                 "1e%d" : "10^{%d}", k);
        plot_spf(fm, sizeof fm, "%.6g", pc->fmin);
        if (c->term == TERM_TEX)
            plot_spf(lab, len, "$f(x) - %s + \\varepsilon$ ($%s = %s$, $\\varepsilon$ = %s)",
                     pc->known_min ? "f^*" : "f_{\\min}", pc->known_min ? "f^*" : "f_{\\min}",
                     fm, e1);
        else if (c->term == TERM_DUMB)
            plot_spf(lab, len, "f - %s + eps (%s = %s, eps = %s)",
                     pc->known_min ? "f*" : "fmin", pc->known_min ? "f*" : "fmin", fm, e1);
        else
            plot_spf(lab, len, "f(x) − %s + ε   (%s = %s, ε = %s)",
                     pc->known_min ? "f*" : "f_{min}", pc->known_min ? "f*" : "f_{min}", fm, e1);
    } else {
        plot_spf(lab, len, "%s", plot_sym(c, "f(x)", "$f(x)$", "f(x)"));
    }
}

/* The colour box, in em of the base font: its width, the gap before its tick labels (the
 * style's outward tics, 0.6 of gnuplot's tic length, then gnuplot's one-character gap),
 * the gap between the tick labels and the box's label, half the label's line height (the
 * rotated label is centred on its anchor) and a margin after it. */
#define CB_BOX 1.1
#define CB_TICS 1.0
#define CB_GAP 0.7
#define CB_HALF_LINE 0.65
#define CB_MARGIN 0.4

/* The widest tick label of the colour box, in em, with 5% to spare. */
static double cb_tics_em(const plot_ctx *c, const plot_color *pc)
{
    return 1.05 * plot_tics_em(c, pc->lo, pc->hi, pc->log, 0);
}

double plot_colour_box_room(const plot_ctx *c, const plot_color *pc)
{
    return (CB_BOX + CB_TICS + cb_tics_em(c, pc) + CB_GAP + 2 * CB_HALF_LINE + CB_MARGIN) *
           plot_em(c);
}

void plot_emit_colour_box(plot_ctx *c, const plot_color *pc, double x, double y, double h)
{
    const double em = plot_em(c), W = c->width, H = c->height;
    char lab[256];
    plot_printf(c, "set colorbox vertical user origin screen %.4f, screen %.4f size screen %.4f, "
                "screen %.4f\n", x / W, y / H, CB_BOX * em / W, h / H);
    plot_fit_tics(c, "cb", pc->lo, pc->hi, h, 0, pc->log);
    /* the label at a place of ours, not gnuplot's: gnuplot puts it after its own estimate
     * of the tick labels' width (characters times an average width), which wide labels
     * (35000, 10^{-12}) overrun, pushing the label off the canvas */
    plot_colour_label(c, pc, lab, sizeof lab);
    double lx = x + (CB_BOX + CB_TICS + cb_tics_em(c, pc) + CB_GAP + CB_HALF_LINE) * em;
    plot_printf(c, "unset cblabel\nset label %d '%s' at screen %.4f, screen %.4f center "
                "rotate by 90 enhanced front\n", PLOT_CB_LABEL, lab, lx / W, (y + 0.5 * h) / H);
}

void plot_map_view(const plot_ctx *c, double v[4])
{
    const lsc_plot_opts *o = c->o;
    double lo[2], hi[2];
    lsc_landscape_box(c->L, lo, hi);
    v[0] = lo[0];
    v[1] = hi[0];
    v[2] = lo[1];
    v[3] = hi[1];
    double bb[4];
    if (plot_paths_bbox(c, NULL, NULL, NULL, bb)) {
        double wx = v[1] - v[0], wy = v[3] - v[2];
        v[0] = fmin(v[0], fmax(bb[0] - 0.05 * wx, lo[0] - 0.5 * wx));
        v[1] = fmax(v[1], fmin(bb[1] + 0.05 * wx, hi[0] + 0.5 * wx));
        v[2] = fmin(v[2], fmax(bb[2] - 0.05 * wy, lo[1] - 0.5 * wy));
        v[3] = fmax(v[3], fmin(bb[3] + 0.05 * wy, hi[1] + 0.5 * wy));
    }
    if (isfinite(o->xlim[0])) {
        v[0] = o->xlim[0];
        v[1] = o->xlim[1];
    }
    if (isfinite(o->ylim[0])) {
        v[2] = o->ylim[0];
        v[3] = o->ylim[1];
    }
}

void plot_auto_title(const plot_ctx *c, const plot_path *pi, int ngroups, char *buf,
                     size_t len)
{
    char ls[LSC_VALUE_MAX];
    plot_short_landscape(c->L, c->t ? c->t->landscape : NULL, ls, sizeof ls);
    if (c->t && ngroups == 1 && pi) {
        for (int r = 0; r < c->t->nruns; r++)
            if (pi[r].titled) {
                char leg[LSC_VALUE_MAX];
                plot_run_legend(c->t, r, leg, sizeof leg);
                plot_spf(buf, len, "%s%s%s", ls, plot_sym(c, " — ", " -- ", " - "), leg);
                return;
            }
    }
    plot_spf(buf, len, "%s", ls);
}

void plot_emit_axis_labels(plot_ctx *c, const char *x, const char *y)
{
    const lsc_plot_opts *o = c->o;
    plot_printf(c, "set xlabel ");
    plot_str(c, o->xlabel[0] ? o->xlabel : x);
    plot_printf(c, " noenhanced\nset ylabel ");
    plot_str(c, o->ylabel[0] ? o->ylabel : y);
    plot_printf(c, " noenhanced\n");
}

void plot_emit_coord_labels(plot_ctx *c)
{
    char x[64], y[64];
    plot_coord_name(c->L, 0, x, sizeof x);
    plot_coord_name(c->L, 1, y, sizeof y);
    plot_emit_axis_labels(c, x, y);
}

/* A map kind's figure, at emit time: as plot_map_check. */
int plot_need_2d(const plot_ctx *c)
{
    plot_need need = {.npos = c->t ? c->t->npos : 0, .nruns = c->t ? c->t->nruns : 0};
    return plot_map_check(c->K, c->o, c->L, &need, c->err);
}

int plot_map_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                   const plot_need *need, lsc_error *err)
{
    (void)o;
    if (L->n != 2) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: needs a 2-D landscape ('%s' has %d "
                      "dimensions); use kind=slice", K->name, L->type->name, L->n);
        return LSC_EINVAL;
    }
    if (need->nruns > 0 && need->npos < 2) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: the trajectory has no positions (recorded "
                      "with positions=%s); use kind=curves", K->name,
                      need->npos == 0 ? "none" : "first:1");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

void plot_map_free(plot_ctx *c, plot_map *m)
{
    plot_grid_free(&m->g);
    plot_paths_free(m->pi, c->t ? c->t->nruns : 0);
    m->pi = NULL;
}

void plot_map_spec_2d(const plot_ctx *c, plot_map_spec *s, unsigned layers)
{
    memset(s, 0, sizeof *s);
    plot_map_view(c, s->v);
    s->grid = c->o->grid ? c->o->grid : c->K->grid;
    s->log = c->o->log_color;
    s->layers = layers;
}

int plot_map_build(plot_ctx *c, plot_map *m, const plot_map_spec *s)
{
    const lsc_plot_opts *o = c->o;
    const double *v = s->v;
    memset(m, 0, sizeof *m);
    memcpy(m->v, v, sizeof m->v);
    int rc = plot_grid_eval(&m->g, c->L, s->grid, s->grid, v[0], v[1], v[2], v[3], s->base,
                            s->d1, s->d2, c->err);
    if (rc)
        return rc;
    m->heat = (s->layers & PLOT_MAP_HEAT) && !plot_is_text(c);
    if (m->heat && (rc = plot_grid_write(c, &m->g, ".grid.f32")))
        return rc;
    plot_color_setup(&m->pc, &m->g, c->L, c->t, s->log, o->contours);
    if (m->pc.nlevels > 0 && (rc = plot_contours_write(c, &m->g, &m->pc, ".contour.tsv")))
        return rc;
    m->quiver = (s->layers & PLOT_MAP_QUIVER) && o->quiver;
    if (m->quiver && (rc = plot_quiver_write(c, c->L, o->quiver_n, v[0], v[1], v[2], v[3],
                                             ".quiver.tsv")))
        return rc;
    rc = plot_critical_write(c, c->L, v[0], v[1], v[2], v[3], s->base, s->d1, s->d2,
                             m->present, ".cp.tsv");
    if (rc < 0)
        return rc;
    m->ncp = rc;
    m->exits = (s->layers & PLOT_MAP_EXITS) != 0;
    if ((s->layers & PLOT_MAP_PATHS) && c->t && c->t->nruns > 0 &&
        (rc = plot_paths_write(c, ".paths.tsv", m->exits ? ".exits.tsv" : NULL, s->base, s->d1,
                               s->d2, v, &m->pc, (s->layers & PLOT_MAP_OVERLAPS) != 0, &m->pi,
                               &m->ngroups)))
        return rc;
    return LSC_OK;
}

/* ---- the layers: clauses of the map's plot command ------------------------------------------ */

void plot_emit_heat(plot_ctx *c, plot_clauses *k, const plot_map *m, int three_d)
{
    char nm[LSC_PLOT_PATH_MAX + 32];
    if (!m->heat)
        return;
    plot_clause(k);
    plot_emit_grid_source(c, &m->g, plot_fname(c, ".grid.f32", nm, sizeof nm), three_d);
    plot_printf(c, " using (COLOR($1)) with %s notitle", three_d ? "pm3d" : "image");
}

void plot_emit_contour_lines(plot_ctx *c, plot_clauses *k, const plot_map *m, const char *using,
                             const char *colour, const char *lw)
{
    char nm[LSC_PLOT_PATH_MAX + 32];
    if (m->pc.nlevels <= 0)
        return;
    plot_clause(k);
    plot_fileref(c, plot_fname(c, ".contour.tsv", nm, sizeof nm));
    /* text: contour lines as dots, so that no path (drawn with its line type's character,
     * '*' for the first) looks like a contour line */
    if (plot_is_text(c))
        plot_printf(c, " using %s with dots lc rgb %s notitle", using, colour);
    else
        plot_printf(c, " using %s with lines lc rgb %s lw %s notitle", using, colour, lw);
}

void plot_emit_quiver(plot_ctx *c, plot_clauses *k, const plot_map *m)
{
    char nm[LSC_PLOT_PATH_MAX + 32];
    if (!m->quiver)
        return;
    plot_clause(k);
    plot_fileref(c, plot_fname(c, ".quiver.tsv", nm, sizeof nm));
    plot_printf(c, " using 1:2:3:4 with vectors arrowstyle 1 notitle");
}

void plot_emit_map_layers(plot_ctx *c, plot_clauses *k, const plot_map *m)
{
    plot_emit_heat(c, k, m, 0);
    plot_emit_contour_lines(c, k, m, "1:2", plot_is_text(c) ? "C_CONTOUR_DUMB" : "C_CONTOUR",
                            "LW_CONTOUR");
    plot_emit_quiver(c, k, m);
}

void plot_emit_map_critical(plot_ctx *c, plot_clauses *k, const plot_map *m, const char *zexpr)
{
    char nm[LSC_PLOT_PATH_MAX + 32];
    plot_emit_critical(c, k, plot_fname(c, ".cp.tsv", nm, sizeof nm), m->present, zexpr);
}

/* Paths, then every marker above them (a marker under a path is lost): the critical
 * points' white fill, the runs' ends, the critical points' outline (so an end at a
 * minimum shows as a coloured dot in an outlined diamond, both visible), the starts. */
void plot_emit_map_marked_paths(plot_ctx *c, plot_clauses *k, const plot_map *m,
                                const char *using, const char *zexpr)
{
    char nm[LSC_PLOT_PATH_MAX + 32], nx[LSC_PLOT_PATH_MAX + 32], ncp[LSC_PLOT_PATH_MAX + 32];
    const char *pn = plot_fname(c, ".paths.tsv", nm, sizeof nm);
    const char *cn = plot_fname(c, ".cp.tsv", ncp, sizeof ncp);
    if (m->pi)
        plot_emit_path_lines(c, k, pn, m->pi, using,
                             m->exits ? plot_fname(c, ".exits.tsv", nx, sizeof nx) : NULL);
    plot_emit_critical_part(c, k, cn, m->present, zexpr, PLOT_CP_FILL);
    if (m->pi)
        emit_ends(c, k, pn, m->pi, using);
    plot_emit_critical_part(c, k, cn, m->present, zexpr, PLOT_CP_EDGE);
    if (m->pi)
        plot_emit_starts(c, k, pn, m->pi, using);
}

static void emit_map_ranges(plot_ctx *c, const plot_map *m)
{
    char a[32], b[32];
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, m->v[0]), plot_num(b, m->v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, m->v[2]), plot_num(b, m->v[3]));
    plot_emit_colour_scale(c, &m->pc, !plot_is_text(c), "cb");
    plot_printf(c, "set tics front\n");
}

/* The map's plot area, in canvas units: between y0 (screen fraction) and the title, with
 * room on the left for the y tick labels and the rotated y label (gnuplot places that
 * label after its own estimate of the labels' width, plot_gp_em: the room is the larger of
 * that and their measured width), below for the x tick labels and the x
 * label, on the right for the colour box, its tick labels and its label
 * (plot_colour_box_room). The area keeps the view's aspect ratio (x and y share units),
 * unless the view is so wide that it would be flatter than a quarter of the height
 * available; it is centred with its margins. */
static void map_layout(const plot_ctx *c, const plot_map *m, double y0, double box[4])
{
    const double em = plot_em(c), W = c->width, H = c->height, *v = m->v;
    double ytics = plot_tics_em(c, v[2], v[3], 0, 1);
    double left = (1.0 + ytics + 0.7 + 1.3 + 0.5) * em, right = plot_colour_box_room(c, &m->pc);
    double bottom = 3.9 * em, top = 0.8 * em;
    double y_lo = y0 * H + bottom, y_hi = (1 - plot_title_h(c)) * H - top;
    double wav = W - left - right - 0.9 * em, hav = y_hi - y_lo; /* 0.9 em: to the box */
    double aspect = (v[1] - v[0]) / (v[3] - v[2]);
    double wm = wav, hm = wm / aspect;
    if (hm > hav) {
        hm = hav;
        wm = hm * aspect;
    }
    if (hm < 0.25 * hav) /* a very wide view: flatter than the data */
        hm = 0.25 * hav;
    double x0 = left + 0.5 * (wav - wm);
    box[0] = x0;
    box[1] = x0 + wm;
    box[2] = y_lo + 0.5 * (hav - hm);
    box[3] = box[2] + hm;
}

void plot_emit_map_panel(plot_ctx *c, const plot_map *m, double y0, const char *indent)
{
    double top = 1 - plot_title_h(c);
    if (plot_is_text(c)) { /* no colour box: gnuplot's margins, x and y in one unit */
        plot_printf(c, "%sset origin 0, %.4f\n%sset size ratio -1 1, %.4f\n", indent, y0,
                    indent, top - y0);
        plot_printf(c, "%sset lmargin -1; set rmargin -1; set tmargin -1; set bmargin -1\n"
                       "%seval FRAME\n%sunset colorbox\n%sunset key\n", indent, indent, indent,
                    indent);
        plot_emit_coord_labels(c);
        emit_map_ranges(c, m);
        return;
    }
    double b[4];
    const double em = plot_em(c);
    map_layout(c, m, y0, b);
    plot_printf(c, "%sset origin 0, 0\n%sset size noratio 1, 1\n", indent, indent);
    plot_printf(c, "%sset lmargin at screen %.4f; set rmargin at screen %.4f\n", indent,
                b[0] / c->width, b[1] / c->width);
    plot_printf(c, "%sset bmargin at screen %.4f; set tmargin at screen %.4f\n", indent,
                b[2] / c->height, b[3] / c->height);
    plot_printf(c, "%seval FRAME\n%sunset key\n", indent, indent);
    plot_emit_coord_labels(c);
    emit_map_ranges(c, m);
    plot_fit_tics(c, "x", m->v[0], m->v[1], b[1] - b[0], 1, 0);
    plot_fit_tics(c, "y", m->v[2], m->v[3], b[3] - b[2], 0, 0);
    plot_emit_colour_box(c, &m->pc, b[1] + 0.9 * em, b[2], b[3] - b[2]);
}

void plot_map_legend(plot_ctx *c, const plot_map *m, plot_legend *L, int current)
{
    memset(L, 0, sizeof *L);
    plot_leg_runs(c, L, m->pi);
    if (m->quiver)
        plot_leg_add(L, "with vectors head filled size screen 0.008,25 lc rgb '#777777'",
                     plot_sym(c, "−∇f (direction)", "$-\\nabla f$ (direction)",
                              "-grad f (direction)"),
                     0, 1);
    /* a dashed stretch is not a different run or a kind of line: say what it means */
    int dashed = 0;
    for (int r = 0; m->pi && r < c->t->nruns; r++)
        dashed |= m->pi[r].block >= 0 && m->pi[r].dashed;
    if (dashed && !plot_is_text(c))
        plot_leg_add(L, "with lines lc rgb '#000000' lw 2 dt DT_OVER",
                     "dashed: along an earlier path", 0, 1);
    if (m->pi)
        plot_leg_markers(L, plot_any_diverged(c, m->pi), plot_any_exit(c, m->pi), current);
    plot_leg_critical(L, m->present);
}

double plot_map_heading(plot_ctx *c, const plot_map *m, const char *extra, int current,
                        plot_legend *L, int *kcols)
{
    char title[LSC_VALUE_MAX * 2], cnote[320];
    plot_auto_title(c, m->pi, m->ngroups, title, sizeof title);
    plot_colour_note(c, &m->pc, cnote, sizeof cnote);
    if (extra) {
        size_t l = strlen(cnote);
        plot_spf(cnote + l, sizeof cnote - l, "%s%s", l ? " " : "", extra);
    }
    plot_title_caption(c, title, cnote, 1);
    plot_map_legend(c, m, L, current);
    return plot_leg_layout(c, L, kcols);
}
