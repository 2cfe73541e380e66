/* runs.h — runs in words and colours, the same in every figure (runs.c): short names of
 * landscapes, optimizers and schedules; a run's legend text; colour groups */
#ifndef LSC_PLOT_RUNS_H
#define LSC_PLOT_RUNS_H

#include "ctx.h"

/* The name of coordinate j (0-based) of L, for axis labels: "x" and "y" of a 2-D
 * landscape (j = 0, 1), x1, x2, ... above; a model over data (model.h) names its
 * parameters as PyTorch lays them out: W1[1,2] (layer 1's weight, row 1, column 2), b1[1]
 * (its bias), or w, b for one layer with one input and one output (w1, w2, ... with more
 * inputs). */
void plot_coord_name(const lsc_landscape *L, int j, char *buf, size_t len);
/* Short forms for titles and legends: name plus the non-default parameters; a
 * landscape by its display name ("Himmelblau", "Six-hump camel"). */
void plot_short_landscape(const lsc_landscape *L, const char *spec, char *buf, size_t len);
void plot_short_optimizer(const char *spec, char *buf, size_t len);
/* "cosine T_max=1000" for "cosine:T_max=1000,eta_min=0"; "constant" for "" */
void plot_short_schedule(const char *spec, char *buf, size_t len);
/* Legend text of run r: its label (or the optimizer with its non-default
 * hyper-parameters when the label is only the optimizer's name), then the driver options
 * (schedule, noise, clipping) that differ between the runs of t, unless the label
 * already names them; in runs merged from several files, then "(FILE)" when a run of
 * another file has the same label. */
void plot_run_legend(const lsc_trajectory *t, int r, char *buf, size_t len);
/* Colour group of each run (runs with the same legend text share a colour), returns
 * the number of groups; group[r] in 0..ngroups-1, first[g] = first run of group g. */
int plot_run_groups(const lsc_trajectory *t, int *group, int *first);
/* Line type (1-8, a colour of the style) of each group: the colour of the optimizer's
 * type (gd and sgd 1, momentum 2, adam 3, nesterov 4, ...: plots/style.gp), or, when an
 * earlier group of the figure has it, the first colour no group uses. */
void plot_group_colours(const lsc_trajectory *t, const int *first, int ngroups, int *lt);

#endif
