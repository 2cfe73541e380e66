/* map.h — the layers of a map that the kinds share (map.c): the heat map of the landscape
 * grid, contour lines, gradient arrows, critical points, the runs' paths with their
 * markers, the colour scale, axis labels, the title and the key. Contour, surface,
 * animation, slice and basins build their figures from these. */
#ifndef LSC_PLOT_MAP_H
#define LSC_PLOT_MAP_H

#include "kind.h"
#include "legend.h"
#include "paths.h"

/* The layers plot_map_build writes (plot_map_spec.layers); contour lines and critical
 * points always. */
#define PLOT_MAP_HEAT 1u     /* the landscape grid file (not for dumb) for the heat map */
#define PLOT_MAP_QUIVER 2u   /* gradient arrows, when quiver= is set */
#define PLOT_MAP_PATHS 4u    /* the runs' paths */
#define PLOT_MAP_EXITS 8u    /* an arrow where a diverged run left the view */
#define PLOT_MAP_OVERLAPS 16u /* paths dashed where they run along earlier ones */

/* What a map shows: the view, the plane (base + a d1 + b d2, a slice; base NULL: x and y),
 * the grid, the colour scale (log: -1 the landscape's hint, 0 linear, 1 log), the layers. */
typedef struct {
    double v[4]; /* x0, x1, y0, y1 */
    const double *base, *d1, *d2;
    int grid;
    int log;
    unsigned layers;
} plot_map_spec;

/* A map's data, written by plot_map_build: the grid, colour scale and contour levels, the
 * critical points in view, the paths. */
typedef struct {
    double v[4]; /* the view: x0, x1, y0, y1 */
    plot_grid g;
    plot_color pc;
    int present[4]; /* kinds of critical point in view */
    int ncp;
    int heat;       /* FIG.grid.f32 written */
    int quiver;     /* FIG.quiver.tsv written */
    int exits;      /* FIG.exits.tsv written when a run left the view */
    plot_path *pi;  /* NULL: no runs */
    int ngroups;
} plot_map;

/* The checks of a 2-D map kind (contour, surface, animation): a 2-D landscape, and the
 * runs' positions. A plot_kind_type check. */
int plot_map_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                   const plot_need *need, lsc_error *err);
int plot_need_2d(const plot_ctx *c); /* the same at emit time */

/* The view box: limits, else the landscape's box widened to the paths of the runs that
 * did not blow up (at most by half the box size on each side). */
void plot_map_view(const plot_ctx *c, double v[4]);
/* The spec of a 2-D map kind: the view (plot_map_view), grid= or the kind's, log=. */
void plot_map_spec_2d(const plot_ctx *c, plot_map_spec *s, unsigned layers);
/* Every data file of a map: grid, contour lines, arrows, critical points, paths. */
int plot_map_build(plot_ctx *c, plot_map *m, const plot_map_spec *s);
void plot_map_free(plot_ctx *c, plot_map *m);

/* Title, caption (with the colour-scale note and `extra`, if any) and the laid-out key of
 * a single-map figure (contour, surface, animation). Returns the key's height. */
double plot_map_heading(plot_ctx *c, const plot_map *m, const char *extra, int current,
                        plot_legend *L, int *kcols);
/* The map panel of a multiplot: from y0 up to the title, aspect ratio 1 (x and y share
 * units), its colour box on the right, frame restored after a legend panel. */
void plot_emit_map_panel(plot_ctx *c, const plot_map *m, double y0, const char *indent);
/* The layers, as clauses of the map's plot command (each only when its data is there):
 * the heat map (three_d: a pm3d surface), contour lines (using, colour, lw as gnuplot takes
 * them), arrows, critical points (zexpr: their z on a surface, or NULL), paths with their
 * markers (using "2:3", or "2:3:5" on a surface). */
void plot_emit_heat(plot_ctx *c, plot_clauses *k, const plot_map *m, int three_d);
void plot_emit_contour_lines(plot_ctx *c, plot_clauses *k, const plot_map *m, const char *using,
                             const char *colour, const char *lw);
void plot_emit_quiver(plot_ctx *c, plot_clauses *k, const plot_map *m);
void plot_emit_map_critical(plot_ctx *c, plot_clauses *k, const plot_map *m, const char *zexpr);
/* The runs' paths (using "2:3", or "2:3:5" on a surface) with every marker drawn above
 * them: critical points (zexpr as plot_emit_map_critical), ends, starts. */
void plot_emit_map_marked_paths(plot_ctx *c, plot_clauses *k, const plot_map *m,
                                const char *using, const char *zexpr);
/* A 2-D map's first layers: heat map, contour lines, arrows. */
void plot_emit_map_layers(plot_ctx *c, plot_clauses *k, const plot_map *m);
/* Critical points from cp_name, in the order min, saddle, max, degenerate. */
void plot_emit_critical(plot_ctx *c, plot_clauses *k, const char *cp_name,
                        const int present[4], const char *zexpr);
/* The same, only the white fill (PLOT_CP_FILL) or the outline (PLOT_CP_EDGE) or both. */
#define PLOT_CP_FILL 1u
#define PLOT_CP_EDGE 2u
void plot_emit_critical_part(plot_ctx *c, plot_clauses *k, const char *cp_name,
                             const int present[4], const char *zexpr, unsigned part);
/* The paths' halos, lines and exit arrows, without markers, from paths_name. exits: the
 * exit arrows' file (2-D only) or NULL. Later groups are drawn thinner (LW_PATH_RUN of the
 * style), so coinciding paths stay visible. */
void plot_emit_path_lines(plot_ctx *c, plot_clauses *k, const char *paths_name,
                          const plot_path *pi, const char *using, const char *exits);
/* One neutral start marker per distinct start (runs from one point share it). */
void plot_emit_starts(plot_ctx *c, plot_clauses *k, const char *paths_name, const plot_path *pi,
                      const char *using);
/* The grid file as a gnuplot binary data source. */
void plot_emit_grid_source(plot_ctx *c, const plot_grid *g, const char *name, int three_d);
/* Colour-scale settings and the COLOR() function the plot commands use; cb: the range
 * and ticks of axis ("cb", or "z" for a surface's height). */
void plot_emit_colour_scale(plot_ctx *c, const plot_color *pc, int cb, const char *axis);
/* The colour box's label: what the colours show (short on small figures, the constants
 * then in the caption note). */
void plot_colour_label(const plot_ctx *c, const plot_color *pc, char *lab, size_t len);
/* The width the colour box takes (box, tick labels, label), in canvas units. */
double plot_colour_box_room(const plot_ctx *c, const plot_color *pc);
/* The colour box from (x, y) up h (canvas units), its label (label PLOT_CB_LABEL) to the
 * right of its tick labels. */
void plot_emit_colour_box(plot_ctx *c, const plot_color *pc, double x, double y, double h);
/* The caption's note on the colour scale, when the colour box label is the short one. */
void plot_colour_note(const plot_ctx *c, const plot_color *pc, char *buf, size_t len);
void plot_emit_axis_labels(plot_ctx *c, const char *x, const char *y); /* xlabel=, ylabel= */
/* The same with the names of a 2-D landscape's coordinates (plot_coord_name: x and y, or a
 * model's parameters, w and b). */
void plot_emit_coord_labels(plot_ctx *c);
/* The landscape, and the run's legend when there is one group. */
void plot_auto_title(const plot_ctx *c, const plot_path *pi, int ngroups, char *buf,
                     size_t len);
/* The runs' key entries (one per colour group). */
void plot_leg_runs(const plot_ctx *c, plot_legend *L, const plot_path *pi);
/* The key of a map: runs, arrows, markers (current: "current" for "end"), critical points. */
void plot_map_legend(plot_ctx *c, const plot_map *m, plot_legend *L, int current);

#endif
