/* legend.h — the key of a figure, in a panel of its own along the bottom (legend.c): a
 * plot with nothing but key entries, so the key can never squeeze or cover the map,
 * whatever the canvas size; and the markers' entries */
#ifndef LSC_PLOT_LEGEND_H
#define LSC_PLOT_LEGEND_H

#include "script.h"

/* Critical points: the legend's words and the style's point types, by lsc_cp_kind. */
extern const char *const plot_cp_label[4];
extern const char *const plot_cp_pt[4];

#define LEG_MAX 40

typedef struct {
    int n;
    char style[LEG_MAX][128];
    char text[LEG_MAX][160];
    int user[LEG_MAX]; /* text came from a user: quoted, noenhanced */
    int essential[LEG_MAX];
} plot_legend;

void plot_leg_add(plot_legend *L, const char *style, const char *text, int user,
                  int essential);
/* Marker explanations: start, end (or current), diverged (cross at the last finite point
 * in view), diverged and left the view (dashed arrow). */
void plot_leg_markers(plot_legend *L, int diverged, int exits, int current);
/* One entry per kind of critical point present (present[kind]). */
void plot_leg_critical(plot_legend *L, const int present[4]);
/* Columns and height (screen fraction) of the legend panel; drops the marker
 * explanations when the key would take more than a third of a small canvas. */
double plot_leg_layout(const plot_ctx *c, plot_legend *L, int *cols);
/* The panel: from y0, h high (screen fractions), in cols columns. */
void plot_leg_panel(plot_ctx *c, const plot_legend *L, double y0, double h, int cols);

#endif
