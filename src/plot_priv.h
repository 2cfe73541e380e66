/* plot_priv.h — internals shared by the plot module's files (not installed)
 *
 *   plot.c        options, names, files, escaping, terminals, provenance, running gnuplot
 *   plot_data.c   landscape grids, contour lines (marching squares), quiver, slices (PCA)
 *   plot_kinds.c  one emitter per figure kind: data files + the script's plot commands
 *   plot_style.c  the built-in style (plots/style.gp)
 */
#ifndef LSC_PLOT_PRIV_H
#define LSC_PLOT_PRIV_H

#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "outfile.h"
#include "plot.h"

/* Terminals */
typedef enum { TERM_PNG, TERM_SVG, TERM_PDF, TERM_TEX, TERM_GIF, TERM_DUMB } plot_term;

#define PLOT_CAPTION_LINES 8 /* caption labels 90 .. 97 */
#define CAPTION_SCALE 0.8    /* caption font size relative to the base font */

/* One figure being made. */
typedef struct {
    const lsc_plot_opts *o;
    const lsc_trajectory *t; /* may be NULL */
    const lsc_landscape *L;  /* may be NULL (curves without a landscape) */
    lsc_plot_kind kind;
    plot_term term;
    int width, height;
    char font[128];
    char dir[LSC_PLOT_PATH_MAX];  /* directory of FIG.gp, data and image ("" = cwd) */
    char stem[LSC_PLOT_PATH_MAX]; /* "fig": base name without directory */
    char out_name[LSC_PLOT_PATH_MAX]; /* "fig.png" ("" = standard output) */
    int temp_dir;                 /* dir is a temporary directory to remove at the end */
    FILE *gp;                     /* the script, while it is written */
    lsc_plot_group *group;        /* where the figure's files go until they are committed */
    int own_group;                /* the group is this call's own: committed at its end */
    int first_file;               /* the group's entries from here on are this figure's */
    const lsc_outfile *script;    /* FIG.gp among them */
    char *style_text;             /* the style file (o->style), read before any writing */
    size_t style_len;
    double cap_h;                 /* screen fraction taken by the caption at the bottom */
    int ncaption;                 /* caption lines (labels 90, 91, ...) */
    int ncaption_set;             /* caption lines made (plot_caption_on sets them again) */
    char caption_lines[PLOT_CAPTION_LINES][512];
    double caption_y[PLOT_CAPTION_LINES];
    int caption_fs;
    char title[2 * LSC_VALUE_MAX]; /* the figure title ("" none) */
    char auto_caption[2048];      /* the kind's own automatic caption ("" = the runs') */
    lsc_error *err;
} plot_ctx;

/* An open data file: written to a temporary beside its name (outfile.h); plot_close
 * hands it to the figure's commit group, which moves it into place with the others. */
typedef struct {
    FILE *fp;
    lsc_outfile *of;
    char name[LSC_PLOT_PATH_MAX]; /* "fig.paths.tsv" (relative to ctx->dir) */
} plot_file;

/* A double to int for data-dependent values (grid cells, decades, counts): NaN and values
 * outside [lo, hi] become lo or hi. Converting an out-of-range double with a cast is
 * undefined behaviour (C11 6.3.1.4), so every such conversion goes through here. */
static inline int plot_clamp_int(double v, int lo, int hi)
{
    if (!(v >= lo)) /* NaN too */
        return lo;
    if (v >= hi)
        return hi;
    return (int)v;
}

/* plot.c */
/* snprintf for text where truncation is acceptable (long user strings in comments and
 * messages); paths are length-checked once, in setup. */
int plot_spf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int plot_open(plot_ctx *c, const char *suffix, plot_file *f);
int plot_close(plot_ctx *c, plot_file *f); /* to the commit group; reports write errors */
void plot_abort(plot_file *f);             /* removes the temporary file */
/* Write s as a single-quoted gnuplot string literal (tex: LaTeX specials escaped). */
void plot_str(const plot_ctx *c, const char *s);
/* Data file reference in the script: DIR.'fig.paths.tsv' */
void plot_fileref(const plot_ctx *c, const char *name);
void plot_printf(const plot_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shortest of %.6g / %.10g that is exact enough for the script; into buf[32]. */
const char *plot_num(char *buf, double x);
/* Labels: enhanced-text unicode for cairo terminals, ASCII/LaTeX for tex and dumb. */
const char *plot_sym(const plot_ctx *c, const char *utf8, const char *tex, const char *ascii);
int plot_is_text(const plot_ctx *c); /* dumb */
int plot_font_size(const plot_ctx *c); /* points (12 if the font names none) */
/* One em of the base font in canvas units (pixels for png and gif, points for svg, pdf,
 * tex; 1 for dumb): for layout. */
double plot_em(const plot_ctx *c);
/* Width of a text in em of DejaVu Sans (the default font). */
double plot_text_em(const char *s);

/* Short forms for titles and legends: name plus the non-default parameters. */
void plot_short_landscape(const lsc_landscape *L, const char *spec, char *buf, size_t len);
void plot_short_optimizer(const char *spec, char *buf, size_t len);
/* "cosine T_max=1000" for "cosine:T_max=1000,eta_min=0"; "constant" for "" */
void plot_short_schedule(const char *spec, char *buf, size_t len);
/* Legend text of run r: its label (or the optimizer with its non-default
 * hyper-parameters when the label is only the optimizer's name), then the driver options
 * (schedule, noise, clipping) that differ between the runs of t, unless the label
 * already names them. */
void plot_run_legend(const lsc_trajectory *t, int r, char *buf, size_t len);
/* Colour group of each run (runs with the same legend text share a colour), returns
 * the number of groups; group[r] in 0..ngroups-1, first[g] = first run of group g. */
int plot_run_groups(const lsc_trajectory *t, int *group, int *first);
/* Line type (1-8, a colour of the style) of each group: the colour of the optimizer's
 * type (gd and sgd 1, momentum 2, adam 3, nesterov 4, ...: plots/style.gp), or, when an
 * earlier group of the figure has it, the first colour no group uses. */
void plot_group_colours(const lsc_trajectory *t, const int *first, int ngroups, int *lt);

/* Title and caption lines (set title, set label) for the figure. extra: appended to the
 * caption (may be NULL). multi: the title goes to `set multiplot title` (plot_multiplot). */
void plot_title_caption(plot_ctx *c, const char *auto_title, const char *extra, int multi);
void plot_multiplot(plot_ctx *c);   /* set multiplot [title ...] */
void plot_caption_off(plot_ctx *c); /* unset the caption labels (after the first panel) */
void plot_caption_on(plot_ctx *c);  /* set them again (the next frame of an animation) */
/* Margins for a single-panel figure with a key outside on the right. */

/* plot_data.c */
typedef struct {
    int nx, ny;
    double x0, x1, y0, y1; /* grid spans [x0,x1] x [y0,y1], nodes at the ends */
    float *f;              /* nx*ny values, row-major, y outer; NAN where undefined */
    double fmin, fmax;     /* over finite values */
    int nfinite;
} plot_grid;

/* Evaluate f over the plane point(a,b) = base + a*d1 + b*d2 (d1 = NULL: coordinate
 * axes 0 and 1 of a 2-D landscape, absolute). */
int plot_grid_eval(plot_grid *g, const lsc_landscape *L, int nx, int ny, double x0,
                   double x1, double y0, double y1, const double *base, const double *d1,
                   const double *d2, lsc_error *err);
void plot_grid_free(plot_grid *g);
/* float32 little-endian, row-major (y outer), gnuplot `binary array=(nx,ny)`. */
int plot_grid_write(plot_ctx *c, const plot_grid *g, const char *suffix);
/* The colour transform: linear f, or log of f - fmin + eps. */
typedef struct {
    int log;
    double fmin, eps;      /* log only */
    double lo, hi;         /* colour range of the transformed value */
    int known_min;         /* fmin is the known global minimum value */
    int nlevels;
    double levels[64];     /* contour levels (transformed scale) */
} plot_color;
/* eps of the log scale: a power of ten at the lowest 1% of the grid, lowered so that the
 * ends of t's runs (t may be NULL) that lie above 1e-5 of the range sit a decade above
 * it; within [1e-8, 1e-2] of the range. */
void plot_color_setup(plot_color *pc, const plot_grid *g, const lsc_landscape *L,
                      const lsc_trajectory *t, int logc, int ncontours);
double plot_color_value(const plot_color *pc, double f);
/* Contour lines of the transformed grid at pc->levels, as polylines (blank line
 * between pieces). Returns 0 or LSC_EIO. */
int plot_contours_write(plot_ctx *c, const plot_grid *g, const plot_color *pc,
                        const char *suffix);
/* Normalised -grad f arrows on a q x q grid over the box, length 0.8 of a cell. */
int plot_quiver_write(plot_ctx *c, const lsc_landscape *L, int q, double x0, double x1,
                      double y0, double y1, const char *suffix);
/* Known critical points inside the box: x y kind f. Returns count, fills present[4]. */
int plot_critical_write(plot_ctx *c, const lsc_landscape *L, double x0, double x1, double y0,
                        double y1, const double *base, const double *d1, const double *d2,
                        int present[4], const char *suffix);

/* Principal directions of the recorded positions (all runs), centred on their mean:
 * top two right singular vectors (GSL SVD), explained variance ratios. */
int plot_pca(const lsc_trajectory *t, double *d1, double *d2, double *ev1, double *ev2,
             lsc_error *err);

/* plot_kinds.c */
int plot_kind_contour(plot_ctx *c);
int plot_kind_surface(plot_ctx *c);
int plot_kind_curves(plot_ctx *c);
int plot_kind_animation(plot_ctx *c);
int plot_kind_slice(plot_ctx *c);

/* plot.c: write the script header, style, terminal; then run gnuplot */
int plot_script_begin(plot_ctx *c, const char *what);
int plot_basins_impl(plot_ctx *c, const lsc_basins *b);

extern const char lsc_plot_style_text[];

#endif
