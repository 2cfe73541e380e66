/* kind.h — a figure kind: one file each (contour.c, surface.c, curves.c, animation.c,
 * slice.c, basins.c, data.c, decision.c) defining a const plot_kind_type, all listed in registry.c, as the
 * landscapes and the optimizers are. Adding a kind = one file + one line in the registry
 * (and its name in lsc_plot_kind). */
#ifndef LSC_PLOT_KIND_H
#define LSC_PLOT_KIND_H

#include "ctx.h"

/* What the figure's runs provide, for the checks before any work. */
typedef struct {
    int npos;     /* coordinates recorded per row */
    int has_dist; /* a dist column */
    int nruns;    /* runs (basins: optimizers) */
    int has_min;  /* the landscape has a known minimum */
    unsigned long long cols; /* the optional columns (lsc_columns, trajectory.h) */
} plot_need;

/* flags */
#define PLOT_NEEDS_TRAJECTORY 1u /* draws runs: refused without a trajectory */
#define PLOT_NEEDS_LANDSCAPE 2u  /* made from the trajectory's spec when not given */
#define PLOT_DUMB 4u             /* may be drawn with characters (dumb=true) */
#define PLOT_GIF 8u              /* an animated GIF: out must be .gif */
#define PLOT_BASINS 16u          /* drawn from computed basins (lsc_plot_render_basins) */
#define PLOT_PANELS 32u          /* named panels with y ranges of their own (ylim=PANEL=LO:HI) */

typedef struct plot_kind_type {
    const char *name; /* "contour", as the option kind= takes it */
    lsc_plot_kind id; /* its place in the registry */
    const char *summary;
    /* the options it reads beyond the ones every figure reads (kind, out, base, size, font,
     * dumb, gnuplot, style, title, caption, xlabel, ylabel, no_render); NULL-terminated */
    const char *const *keys;
    unsigned flags;
    int grid;          /* landscape grid points per axis when grid=0 (0: no grid) */
    int width, height; /* canvas of a png (svg, pdf, tex: 0.6 times, in points); 0: sized by
                          the kind from its panels */
    /* What it needs of the landscape and the runs, checked before any work (NULL:
     * nothing): 0 or LSC_EINVAL naming the option. */
    int (*check)(const struct plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                 const plot_need *need, lsc_error *err);
    /* The data files and the script's body (c->gp open; it calls plot_script_begin once the
     * data is written). */
    int (*emit)(plot_ctx *c);
} plot_kind_type;

/* series.c: drawn by lsc_plot_render_series only (not a kind= of the registry) */
extern const plot_kind_type plot_kind_series;
/* heat.c: drawn by lsc_plot_render_heat only (not a kind= of the registry) */
extern const plot_kind_type plot_kind_heat;

/* registry.c: every kind, in lsc_plot_kind order, then NULL */
extern const plot_kind_type *const plot_kinds[];
const plot_kind_type *plot_kind_get(lsc_plot_kind k); /* NULL: not a kind */

#endif
