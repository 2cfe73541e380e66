/* map.h — the layers of a map that the kinds share (map.c): the heat map of the landscape
 * grid, contour lines, gradient arrows, critical points, the runs' paths with their
 * markers, the colour scale, axis labels, the title and the key. Contour, surface,
 * animation, slice and basins build their figures from these. */
#ifndef LSC_PLOT_MAP_H
#define LSC_PLOT_MAP_H

#include "kind.h"
#include "legend.h"
#include "paths.h"

/* The 2-D map data shared by contour, surface and animation: grid, colour, contour lines,
 * arrows, critical points, paths. */
typedef struct {
    double v[4]; /* the view: x0, x1, y0, y1 */
    plot_grid g;
    plot_color pc;
    int present[4]; /* kinds of critical point in view */
    int ncp;
    plot_path *pi; /* NULL: no runs */
    int ngroups;
    char grid_name[64], cont_name[64], quiv_name[64], cp_name[64], paths_name[64];
} plot_map;

/* The checks of a 2-D map kind (contour, surface, animation): a 2-D landscape, and the
 * runs' positions. A plot_kind_type check. */
int plot_map_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                   const plot_need *need, lsc_error *err);
int plot_need_2d(const plot_ctx *c); /* the same at emit time */

/* The view box: limits, else the landscape's box widened to the paths of the runs that
 * did not blow up (at most by half the box size on each side). */
void plot_map_view(const plot_ctx *c, double v[4]);
/* Every data file of a map: grid (grid=, else the kind's), colour scale, contour lines,
 * arrows (quiver), critical points, paths (overlaps: dashed where along earlier paths). */
int plot_map_build(plot_ctx *c, plot_map *m, int overlaps);
void plot_map_free(plot_ctx *c, plot_map *m);

/* Title, caption (with the colour-scale note and `extra`, if any) and the laid-out key of
 * a single-map figure (contour, surface, animation). Returns the key's height. */
double plot_map_heading(plot_ctx *c, const plot_map *m, const char *extra, int current,
                        plot_legend *L, int *kcols);
/* The map panel of a multiplot: from y0 up to the title, aspect ratio 1 (x and y share
 * units), frame restored after a legend panel. */
void plot_emit_map_panel(plot_ctx *c, const plot_map *m, double y0, const char *indent);
/* Heat map, contour lines, arrows: the first clauses of a map's plot command. */
void plot_emit_map_layers(plot_ctx *c, plot_clauses *k, const plot_map *m);
/* Critical points from FIG.cp.tsv (zexpr: their z on a surface, or NULL). */
void plot_emit_critical(plot_ctx *c, plot_clauses *k, const char *cp_name,
                        const int present[4], const char *zexpr);
/* Paths with halo, start and end markers. using: "2:3" (2-D) or "2:3:5" (3-D); exits:
 * the exit arrows' file (2-D only) or NULL. Later groups are drawn thinner, their end
 * markers smaller (LW_PATH_RUN, PS_END_RUN of the style), so coinciding paths and ends
 * stay visible. */
void plot_emit_paths(plot_ctx *c, plot_clauses *k, const char *paths_name, const plot_path *pi,
                     const char *using, int halo, const char *exits);
/* The grid file as a gnuplot binary data source. */
void plot_emit_grid_source(plot_ctx *c, const plot_grid *g, const char *name, int three_d);
/* Colour-scale settings and the COLOR() function the plot commands use; cb: the range
 * and label of axis ("cb", or "z" for a surface's height). */
void plot_emit_colour_scale(plot_ctx *c, const plot_color *pc, int cb, const char *axis);
/* The caption's note on the colour scale, when the colour box label is the short one. */
void plot_colour_note(const plot_ctx *c, const plot_color *pc, char *buf, size_t len);
void plot_emit_axis_labels(plot_ctx *c, const char *x, const char *y); /* xlabel=, ylabel= */
/* The landscape, and the run's legend when there is one group. */
void plot_auto_title(const plot_ctx *c, const plot_path *pi, int ngroups, char *buf,
                     size_t len);
/* The runs' key entries (one per colour group). */
void plot_leg_runs(const plot_ctx *c, plot_legend *L, const plot_path *pi);

#endif
