/* ctx.h — the figure being made, and the names of its files (names.c)
 *
 * The plot module, from the bottom up (a file includes only headers of its level or below;
 * tests/test_plot.c checks it):
 *   0 ctx.h      names.c    the figure context; the names of its files
 *   1 kind.h                the kind type (plot_kind_type): what a figure kind provides
 *   1 files.h    files.c    commit groups; the figure's data files, written through them
 *   1 gif.h      gif.c      joining an animation drawn in parts (calls no plot file)
 *   2 gnuplot.h  gnuplot.c  finding and running gnuplot in a stage directory
 *   2 runs.h     runs.c     runs in words and colours: short names, legends, colour groups
 *   2 grid.h     grid.c     landscape grid, colour scale, contour lines, arrows, critical
 *                           points, principal directions
 *   3 script.h   script.c   writing the script: quoting, numbers, header, style, terminal
 *                text.c     UTF-8 sequence lengths and the font's size (calls no plot file)
 *                heading.c  title and caption (text widths, wrapping)
 *                tex.c      text of a .tex figure: math spans, Computer Modern widths
 *                style.c    the built-in style (plots/style.gp)
 *   4 legend.h   legend.c   the key panel: run, marker and critical-point entries
 *   5 paths.h    paths.c    the runs' paths: sampled, projected, clipped, overlaps; the file
 *   6 map.h      map.c      the map layers the kinds share (heat map, contour lines,
 *                           critical points, paths, key) and their checks
 *   6 points.h   points.c   a model's data set as points (train and test, by class), its
 *                           panel and key: what kinds data and decision share
 *   7 contour.c surface.c curves.c animation.c slice.c basins.c data.c decision.c layers.c: one
 *                figure kind each, a const plot_kind_type; registry.c lists them.
 *                series.c: measured numbers against a parameter (lsc_plot_render_series,
 *                for the studies), a kind outside the registry
 *                heat.c: a number over a grid of two parameters (lsc_plot_render_heat,
 *                for the studies' sweeps), a kind outside the registry
 *   8 options.h  options.c  the option table (lsc_plot_opts_set), lsc_plot_opts_check
 *                render.c   the entry points: lsc_plot_render, lsc_plot_render_basins
 * The kinds call the shared pieces; options.c and render.c reach the kinds only through
 * the registry (kind.h).
 */
#ifndef LSC_PLOT_CTX_H
#define LSC_PLOT_CTX_H

#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "outfile.h"
#include "plot.h"

/* Terminals */
typedef enum { TERM_PNG, TERM_SVG, TERM_PDF, TERM_TEX, TERM_GIF, TERM_DUMB } plot_term;

#define PLOT_CAPTION_LINES 8 /* caption labels 90 .. 97 */
#define CAPTION_SCALE 0.8    /* caption font size relative to the base font */
#define PLOT_CB_LABEL 81     /* the colour box's label (a label at a place of ours) */

struct plot_kind_type;

/* One figure being made. */
typedef struct {
    const lsc_plot_opts *o;
    const lsc_trajectory *t; /* may be NULL */
    const lsc_landscape *L;  /* may be NULL (curves without a landscape) */
    const lsc_basins *basins; /* kind basins: what it draws */
    const struct lsc_dataset *data[2]; /* lsc_plot_render_data: training set, holdout (or
                                          NULL); else a model landscape's own */
    const lsc_plot_series *series; /* lsc_plot_render_series: what it draws */
    int nseries, series_logx, series_logy;
    const struct lsc_plot_heat *heat; /* lsc_plot_render_heat: what it draws */
    const struct plot_kind_type *K; /* the kind (kind.h) */
    plot_term term;
    int animate;                  /* gif: one frame per plot command (an animation) */
    int frames;                   /* animation: frames the script draws (its loop runs over
                                     FRAME_FIRST..FRAME_LAST, by default 1..frames) */
    int width, height;
    double size_in[2];            /* size= in inches (0: width, height in canvas units) */
    char font[128];
    char dir[LSC_PLOT_PATH_MAX];  /* directory of FIG.gp, data and image ("" = cwd) */
    char stem[LSC_PLOT_PATH_MAX]; /* "fig.png": the image's name without directory (base's
                                     name without out); its files are fig.png.gp, ... */
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

/* snprintf for text where truncation is acceptable (long user strings in comments and
 * messages); paths are length-checked once, in setup. */
int plot_spf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* names.c: the names of a figure's files */
int plot_has_ctrl(const char *s); /* control characters */
/* An output name gnuplot, a shell or LaTeX reads as written; else LSC_EINVAL naming
 * `what` (out, base). */
int plot_check_name(const char *what, const char *path, lsc_error *err);
/* Split "a/b/fig.png" into dir "a/b" and name "fig.png" (LSC_PLOT_PATH_MAX each); an
 * image name (is_out) needs a name before its extension. Checks the name
 * (plot_check_name). */
int plot_split_path(const char *path, const char *what, char *dir, char *name, int is_out,
                    lsc_error *err);
void plot_join(char *buf, size_t len, const char *dir, const char *name); /* dir/name */
/* Where the figure's files go: the path (out, else base), checked for its name, length
 * and existing directory; into dir and name (LSC_PLOT_PATH_MAX each). The name is the
 * figure's stem: its own files are NAME.gp, NAME.paths.tsv, ... */
int plot_place(const lsc_plot_opts *o, char *dir, char *name, lsc_error *err);
/* The mark of the figure's own files ('a file of the losscape figure "fig.png"'), which
 * tells them from files it must not replace (files.c). Returns buf. */
const char *plot_mark(const char *stem, char *buf, size_t len);
/* The name of data file FIG<suffix> as the script reads it. Returns buf. */
const char *plot_fname(const plot_ctx *c, const char *suffix, char *buf, size_t len);

#endif
