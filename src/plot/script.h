/* script.h — writing a figure's script FIG.gp: text safe for gnuplot, numbers, the header
 * (provenance, style, terminal), plot-command lists (script.c), the title and caption
 * (heading.c), the built-in style (style.c) */
#ifndef LSC_PLOT_SCRIPT_H
#define LSC_PLOT_SCRIPT_H

#include "ctx.h"

/* script.c */
void plot_printf(const plot_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write s as a single-quoted gnuplot string literal (tex: LaTeX specials escaped). */
void plot_str(const plot_ctx *c, const char *s);
/* The same at a font size of its own (points): for tex, LaTeX's \fontsize in the text
 * (cairolatex writes none); the caller gives gnuplot the size (font ',N') too. */
void plot_str_sized(const plot_ctx *c, const char *s, int size);
/* Data file reference in the script: DIR.'fig.paths.tsv' */
void plot_fileref(const plot_ctx *c, const char *name);
/* Shortest of %.6g / %.10g that is exact enough for the script; into buf[32]. */
const char *plot_num(char *buf, double x);
/* Labels: enhanced-text unicode for cairo terminals, ASCII/LaTeX for tex and dumb. */
const char *plot_sym(const plot_ctx *c, const char *utf8, const char *tex, const char *ascii);
/* A log axis (axis "y", "cb") over [lo, hi] spanning less than two decades would show two
 * decade ticks at most, often one or none: labelled ticks at 1-2-5 (or denser) mantissas
 * instead (format %g). Returns 1 when it set them, else 0 (the caller's decade ticks). */
int plot_log_tics(const plot_ctx *c, const char *axis, double lo, double hi);
int plot_is_text(const plot_ctx *c);   /* dumb */
int plot_font_size(const plot_ctx *c); /* points (12 if the font names none) */
int plot_utf8_len(const unsigned char *s); /* a valid UTF-8 sequence's length, or 0 */
/* The style file (o->style) into c->style_text, before anything is written: a style that
 * cannot be read is a bad option (LSC_EINVAL). */
int plot_read_style(plot_ctx *c);
/* The script's header: comments (what, how to re-render, provenance), the style, the data
 * directory, the terminal. */
int plot_script_begin(plot_ctx *c, const char *what);

/* A list of plot clauses: "plot A, \ B, \ C" (cmd "plot" or "splot"). */
typedef struct {
    plot_ctx *c;
    const char *cmd;
    int n;
} plot_clauses;
void plot_clause(plot_clauses *k);      /* before the next clause: "plot " or ", \" */
void plot_clauses_end(plot_clauses *k); /* the end of the command */

/* tex.c: text of a .tex figure */
/* The length of the math span s starts with (from '$' to the closing '$', both included),
 * or 0 when s does not start one that may pass to LaTeX as math (tex.c says which). */
size_t plot_tex_math_span(const char *s);
/* Width of a text (with $...$ math) as LaTeX sets it in Computer Modern, in em. */
double plot_tex_em(const char *s);
/* plot_tex_em is for cmr10; LaTeX sets size pt in the font of that optical size, wider for
 * its size below 10 pt (cmr7: 1.14 times): the factor. */
double plot_tex_scale(int size);
/* The LaTeX that sets the figure's text size (font='...,SIZE'; the terminal's header). */
void plot_tex_header(const plot_ctx *c, char *buf, size_t len);

/* heading.c */
/* One em of the base font in canvas units (pixels for png and gif, points for svg, pdf,
 * tex; 1 for dumb): for layout. */
double plot_em(const plot_ctx *c);
/* Width of a text in em of DejaVu Sans (the default font). */
double plot_text_em(const char *s);
/* Width of a label as the figure's terminal draws it (enhanced-text markup, sub- and
 * superscripts; characters for dumb), in em of the base font. */
double plot_label_em(const plot_ctx *c, const char *s);
/* Width of a user's text (printed as it is: noenhanced; tex: with its $...$ math), in em. */
double plot_user_em(const plot_ctx *c, const char *s);
/* gnuplot's own estimate of a label's width (characters times an average width), in em:
 * where gnuplot places text after other text (an axis label after the tick labels, key
 * columns), the room it takes is the larger of this and the measured width. markup: the
 * label is enhanced text (its ^ _ { } are not counted). */
double plot_gp_em(const plot_ctx *c, const char *s, int markup);
/* Width of the widest tick label of an axis over [lo, hi] (logscale: decades 10^k, or the
 * labelled mantissas plot_log_tics sets under two decades) with automatic ticks, in em;
 * gp: or gnuplot's estimate of it (plot_gp_em), if larger. */
double plot_tics_em(const plot_ctx *c, double lo, double hi, int logscale, int gp);
/* Ticks of an axis ("x", "y") over [lo, hi], len canvas units long, whose labels
 * (horizontal: side by side; else stacked) would run into each other at gnuplot's
 * automatic step (about ten): 'set {axis}tics STEP' with the finest 1-2-5 step at which
 * they do not (logscale: every 10^m decades). Nothing when they fit (or for dumb). */
void plot_fit_tics(const plot_ctx *c, const char *axis, double lo, double hi, double len,
                   int horizontal, int logscale);
/* Title and caption lines (set title, set label) for the figure. extra: appended to the
 * caption (may be NULL). multi: the title goes to `set multiplot title` (plot_multiplot). */
void plot_title_caption(plot_ctx *c, const char *auto_title, const char *extra, int multi);
void plot_multiplot(plot_ctx *c);   /* set multiplot [title ...] */
void plot_caption_off(plot_ctx *c); /* unset the caption labels (after the first panel) */
void plot_caption_on(plot_ctx *c);  /* set them again (the next frame of an animation) */
double plot_title_h(const plot_ctx *c); /* space at the top for the multiplot title */

/* style.c */
extern const char lsc_plot_style_text[];

#endif
