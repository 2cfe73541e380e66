/* plot.h — figures through gnuplot: contour maps, surfaces, curves, animations, n-D
 * slices, basins of attraction, and for models over data their data set and decision
 * regions
 *
 * Every figure is a self-contained gnuplot script plus its data, written next to the
 * image and named after its whole name (for FIG = fig.png: fig.png.gp, fig.png.grid.f32
 * (the landscape evaluated in C on a grid, float32 little-endian after a one-line
 * header), fig.png.paths.tsv, fig.png.contour.tsv, ...), so that figures differing only in
 * their extension share no file. Then gnuplot runs on it (fork/exec with an argument
 * vector, never a shell). A user may edit FIG.gp and re-render by hand with
 * `gnuplot FIG.gp`, from any directory: the script finds its data next to itself.
 *
 * A figure's own files are marked as its own: their first line is '# a file of the
 * losscape figure "fig.png"' (a .tex figure's graphic, fig.tex.pdf, ends with
 * '%' and the same words). An existing file of one of those names that is not marked as
 * this figure's is never replaced: the render is refused (LSC_EINVAL, naming it). The
 * image itself (out) is replaced as asked.
 *
 * Files: every file of a call (data, script, image) is written through outfile.h to a
 * temporary beside its final name, and all of them are moved into place together only
 * when the whole call succeeded; an error leaves the directory as it was. gnuplot never
 * sees a name the user chose for an output: it runs in a private directory in $TMPDIR
 * where the script and data appear (symbolic links) under the names the script uses,
 * writes the image to a name losscape made (OUT='lsc-image.png'), and losscape moves it to
 * the requested name (for .tex it also renames the PDF to fig.tex.pdf and rewrites the
 * \includegraphics reference). Names gnuplot or a reader of FIG.gp could still misread
 * are refused when set (see lsc_plot_opts_set, key out).
 *
 * Every user-supplied string (titles, labels, file names, formulas) enters the script
 * as a single-quoted gnuplot string (a quote as 'it'."'".'s'; newlines and control
 * characters replaced by spaces; 'noenhanced' so markup characters print literally), so
 * nothing a user types is ever evaluated by gnuplot.
 *
 * .tex figures (cairolatex): LaTeX sets the text, in the document's font at the figure's
 * size (font=',SIZE'; 9 pt, 8 pt below 4 in wide), and the layout is measured for it
 * (Computer Modern widths). In titles, labels, legends and captions $...$ is LaTeX math,
 * passed as written ($\eta_t$); every other LaTeX special is escaped, and so is math that
 * could read or write files or define commands (\input, \write, \def, ...), so a title
 * cannot do more than typeset. \$ is a dollar. The default size, 4.5 in wide, fits the
 * text width of LaTeX's article; size= takes inches and cm (size=3.4in,2.5in for a
 * column).
 *
 * One style for every figure: plots/style.gp (built into the library, inlined into each
 * script): Okabe-Ito colours for runs, viridis for landscapes, one marker per meaning.
 *
 * Rules every figure follows:
 *  - A run's colour is its optimizer type's, the same in every figure: gd and sgd
 *    vermillion, momentum sky blue, adam black, nesterov and sfn reddish purple, rmsprop
 *    orange, adamw, radam and pgd blue, adagrad, nadam and newton bluish green (line types
 *    1-7 of the style, by the type name in the run's optimizer spec), unless that colour is
 *    hard to tell from one an earlier run of the figure has (vermillion and orange, blue and
 *    bluish green: gd with rmsprop, adamw with adagrad). A later run of a type already in
 *    the figure (another learning rate, ...), or one whose colour is too close, takes the
 *    free colour farthest from those the figure has (yellow last). Runs with the same
 *    legend and driver options share a colour.
 *  - Paths over a map: each later run a little thinner than the one before, so a path
 *    drawn over another leaves it visible along its edges; where a path runs along an
 *    earlier one it is dashed (the earlier one shows through the gaps); later end markers
 *    are smaller (rings where runs end together); one neutral start marker per start.
 *  - A run that diverged stops at its last point in view: a cross there, or, when it left
 *    the view, a short dashed arrow pointing where it went (never a line across the map).
 *    Curves keep the range of the other runs; the diverged run leaves the panel at the
 *    top, a cross where it does.
 *  - Legends name a run by its label (or optimizer and non-default hyper-parameters),
 *    then the driver options (schedule, noise, clipping) that differ between the runs of
 *    the figure, leaving out what the label already says.
 *  - The caption is the user's (caption=) or an automatic one (driver options, steps,
 *    seed, version); notes that keep the figure honest follow either: values drawn at the
 *    floor of a log axis, the log colour scale's f* and eps on small figures, that slice
 *    paths are projections, the frame spacing of an animation.
 */
#ifndef LSC_PLOT_H
#define LSC_PLOT_H

#include "basins.h"
#include "dataset.h"
#include "landscape.h"
#include "param.h"
#include "run.h"
#include "trajectory.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LSC_PLOT_CONTOUR,   /* heat map + contour lines + critical points + paths (2-D) */
    LSC_PLOT_SURFACE,   /* 3-D surface (pm3d) with the paths on it (2-D) */
    LSC_PLOT_CURVES,    /* loss (f - f*), gradient norm, lr, distance vs step; panels */
    LSC_PLOT_ANIMATION, /* GIF: the runs move over the contour map together (2-D) */
    LSC_PLOT_SLICE,     /* n-D: 2-D slice (axes / random / PCA) + loss along start->end */
    LSC_PLOT_BASINS,    /* grid of starts coloured by the critical point reached */
    LSC_PLOT_DATA,      /* a model's data set: classes on two features, or y against x */
    LSC_PLOT_DECISION,  /* a classifier's prediction over its input plane, the boundary and
                           the data (a regression on one feature: the fitted curve) */
    LSC_PLOT_LAYERS,    /* per-layer statistics (layer_stats) against the layer, or a
                           layer x step heat map */
} lsc_plot_kind;

#define LSC_PLOT_NKINDS 9

/* What a curves figure's x axis counts (plot option xaxis) */
typedef enum {
    LSC_XAXIS_STEP,     /* updates */
    LSC_XAXIS_EPOCH,    /* the epoch column (models over data) */
    LSC_XAXIS_EXAMPLES, /* examples seen (models over data) */
    LSC_XAXIS_TIME,     /* the time column (record_time on) */
} lsc_plot_xaxis;
#define LSC_PLOT_XAXIS_NAMES "step|epoch|examples|time" /* in enum order */
#define LSC_PLOT_PATH_MAX 4096
#define LSC_PLOT_MAX_PANELS 8 /* panels of a curves figure */

/* A y range of one named panel of a curves figure (ylim=loss=1e-8:10). */
typedef struct {
    char panel[24]; /* as written in curves=: "loss", "|x2|" */
    double lo, hi;
} lsc_plot_range;

/* Figure options. Fill with lsc_plot_opts_default, then set fields directly or by name
 * with lsc_plot_opts_set (the CLI flags and recipe keys are these names). Strings are
 * copied into the struct, so it can be copied and freed with the stack. */
typedef struct {
    lsc_plot_kind kind;           /* kind: contour | surface | curves | animation | slice |
                                     basins | data | decision (default contour) */
    char out[LSC_PLOT_PATH_MAX];  /* out: image file; its extension picks the terminal:
                                     .png (pngcairo) .svg .pdf (pdfcairo) .tex (cairolatex:
                                     FIG.tex + FIG.tex.pdf) .gif (animated for kind
                                     animation);
                                     with dumb: .txt, or "" for standard output */
    char base[LSC_PLOT_PATH_MAX]; /* base: BASE.gp and data (BASE.paths.tsv, ...) when out
                                     is "" (default: a temporary directory, removed
                                     afterwards). Ignored when out is set. */
    int width, height;            /* size=WxH: pixels (png, gif); points (svg, pdf, tex);
                                     characters (dumb). 0: the kind's default (tex: 4.5 in
                                     wide, to fit an article's text width) */
    double size_in[2];            /* size=3.4in,2.5in or 8.6cm,6cm: inches (svg, pdf, tex
                                     only; an SVG's pixels are 1/96 in); 0: width and
                                     height say */
    char font[128];               /* font: "family,size", e.g. "DejaVu Sans,12" ("" default:
                                     size 12, pdf and tex 9). tex: LaTeX sets the text in
                                     the document's font at this size (the family is not
                                     read) */
    int dumb;                     /* dumb: text rendering (contour lines, curves, slice) */
    char gnuplot[LSC_PLOT_PATH_MAX]; /* gnuplot: program ("" = $GNUPLOT, else "gnuplot") */
    char style[LSC_PLOT_PATH_MAX];   /* style: gnuplot file inlined instead of the built-in
                                        plots/style.gp ("" = built-in) */
    char title[1024];             /* title: "" = automatic (landscape, optimizers) */
    int no_title;                 /* set by title= (empty): no title at all */
    char caption[2048];           /* caption: "" = automatic (schedule, clipping, noise,
                                     seed, steps, version) */
    int no_caption;               /* set by caption= (empty): no caption */
    char xlabel[256], ylabel[256];/* xlabel, ylabel: "" = automatic */
    int quiver;                   /* quiver: gradient-direction arrows (contour, animation) */
    int quiver_n;                 /* quiver_n: arrows per axis (default 21) */
    double view_x, view_z;        /* view=ROT_X,ROT_Z: surface view in degrees (60,30) */
    int layers_view;              /* view=lines|heat: layers: a line per step or run (0), or
                                     a layer x step heat map (1); -1: not given as a word */
    int layer_q;                  /* quantity=g|w|a|sat|h: layers: the per-layer family
                                     drawn (lsc_layer_col; -1, default: the file's first) */
    int grid;                     /* grid: landscape grid points per axis (0: the kind's
                                     default: 400 contour, 300 slice, 120 surface, 200
                                     animation and basins) */
    int contours;                 /* contours: about this many contour levels (default 12;
                                     0 none) */
    int log_color;                /* log: colour on a log scale of f - f_min + eps.
                                     -1 = the landscape's hint (default; surfaces: linear
                                     z unless log=true), 0 no, 1 yes. eps: a power of ten
                                     at the lowest 1% of the view, lowered so that minima
                                     the runs end in (f - f_min above 1e-5 of the range)
                                     sit at least a decade above it */
    double xlim[2], ylim[2];      /* xlim=LO:HI, ylim=LO:HI: NAN = landscape box, widened to
                                     show the paths (slice: the projected data). curves:
                                     xlim is the steps shown in every panel, ylim=LO:HI the
                                     range of the top panel (the panels have different
                                     units; a bound <= 0 on a log panel stays automatic) */
    lsc_plot_range ylim_panel[LSC_PLOT_MAX_PANELS]; /* curves: ylim=PANEL=LO:HI, a panel's
                                     y range by its name in curves= (loss, lr, x2, |x2|
                                     ...); several comma separated, and each ylim= adds its
                                     panels to those set before (a panel named again takes
                                     the new range). Other kinds refuse them. */
    int nylim_panel;              /* how many of ylim_panel are set */
    char curves[128];             /* curves: panels, top to bottom, comma separated:
                                       loss       f - f* (f* the lowest known minimum; else
                                                  f), log axis
                                       grad_norm  |grad f|, log axis
                                       lr         learning rate (log when it spans more
                                                  than a factor of 10)
                                       dist       distance to the nearest known minimum
                                       xK         coordinate K (1..npos: the coordinates
                                                  the trajectory stores), linear axis
                                       |xK|       its absolute value on a log axis (also
                                                  written absxK, which needs no quoting
                                                  in a shell)
                                     Values <= 0 on a log axis are drawn at the panel's
                                     smallest positive value (the caption says so). Runs
                                     that diverged leave the panel at the top (a cross
                                     marks where); the range is that of the others.
                                     Default "loss" */
    int logx;                     /* logx: curves: the step axis on a log scale (step 0,
                                     the start, is drawn at step 1 — the caption says so) */
    int xaxis;                    /* xaxis: curves: what the x axis counts (lsc_plot_xaxis):
                                     step (default); epoch (the trajectory's epoch column:
                                     models over data); examples (examples seen: updates
                                     times the batch size, an epoch's short last batch
                                     counted as it is; models over data); time (wall
                                     seconds: the time column, record_time on) */
    int smooth;                   /* smooth: curves: also draw a centred moving average
                                     over N recorded rows (geometric on log axes) over the
                                     faint raw curve (0 none, default) */
    int frames;                   /* frames: animation frames (default 50) */
    int frame_spacing;            /* frame_spacing: animation frames by step: 0 auto (log
                                     when the run has 10 times more steps than frames,
                                     else linear), 1 linear, 2 log (dense at the start,
                                     where optimizers move fastest) */
    int delay;                    /* delay: animation frame delay, 1/100 s (default 8) */
    char slice[64];               /* slice: axes:I,J (1-based) | random | pca (default pca) */
    char center[LSC_VALUE_MAX];   /* center: slice centre: end (of run 0, default) | start |
                                     min (known minimum nearest the end) | origin |
                                     x1;x2;...;xn */
    unsigned long long seed;      /* seed: random slice directions (default 1) */
    int max_points;               /* max_points: rows drawn per run; longer runs are
                                     decimated evenly, keeping first and last (default
                                     10000; 0 no limit) */
    int basin_n;                  /* basin_n: starts per axis for basins (default 40) */
    double basin_tol;             /* basin_tol: distance within which a run's end counts as
                                     having reached a critical point (0 = 1% of the box
                                     diagonal). basin_n, basin_tol and xlim, ylim are what
                                     a caller passes to lsc_basins_compute */
    int run;                      /* run: decision: the run whose weights are drawn (0-based,
                                     as the trajectory numbers them; default 0) */
    long step;                    /* step: decision: the weights at the last recorded step
                                     <= K (-1, default: the run's last finite row) */
    int no_render;                /* no_render: write FIG.gp and data, do not run gnuplot */
    int jobs;                     /* not a key: how many gnuplot processes share an
                                     animation's frames (0, default: one per core; 1: one
                                     process); the GIF is the same bytes either way */
    unsigned long long user_set;  /* not an option: bit i set when lsc_plot_opts_set set
                                     lsc_plot_keys[i] (defaults and fields assigned
                                     directly are not "set"); lsc_plot_opts_check refuses a
                                     key set for a kind that does not read it */
    struct lsc_plot_group *group; /* not an option: NULL = the call moves its own files into
                                     place when it succeeds; else they join this group,
                                     which the caller commits or aborts (below) */
} lsc_plot_opts;

/* A commit group: the files of several figures made all-or-nothing. Set opts.group for
 * each render; when every render succeeded, lsc_plot_group_commit moves all their files
 * into place; after any error, lsc_plot_group_abort removes every temporary, so the
 * directories are as they were. Both free the group. Two figures of one group that would
 * write the same file are refused (LSC_EINVAL). */
typedef struct lsc_plot_group lsc_plot_group;
LSC_API lsc_plot_group *lsc_plot_group_new(void); /* NULL: out of memory */
LSC_API int lsc_plot_group_commit(lsc_plot_group *g, lsc_error *err);
LSC_API void lsc_plot_group_abort(lsc_plot_group *g); /* NULL is fine */

LSC_API void lsc_plot_opts_default(lsc_plot_opts *o);

/* Set an option by name, the value as text: "kind", "contour"; "size", "800x600";
 * "xlim", "-2:2"; "quiver", "true"; "view", "60,30"; ... Booleans accept
 * true/false/1/0. Errors name the key, the value and what is allowed.
 * out and base: no control characters, and no part of the path (a directory or the file
 * name) may start with '|' (gnuplot: an output pipe), '<' (an input pipe), '-' (a command
 * line option), '$' (a data block) or a space; for .tex, the file name may not contain
 * \ { } % # $ & ^ ~ (it is written into the LaTeX file). */
LSC_API int lsc_plot_opts_set(lsc_plot_opts *o, const char *key, const char *value, lsc_error *err);

/* The options: one table, read by lsc_plot_opts_set and listed by --help and the docs:
 * the name, its value syntax ("BOOL" for a switch) and a line of help. lsc_plot_keys[0 ..
 * lsc_plot_nkeys-1] are the documented options; entries after them (width, height: parts
 * of size) are accepted by lsc_plot_opts_set too, until the one with key NULL. */
typedef struct lsc_plot_key {
    const char *key;
    const char *syntax;
    const char *help;
    const struct lsc_plot_setter *set; /* how lsc_plot_opts_set applies it (the library's) */
} lsc_plot_key;
LSC_API extern const lsc_plot_key lsc_plot_keys[];
LSC_API extern const int lsc_plot_nkeys;

LSC_API const char *lsc_plot_kind_name(lsc_plot_kind k);
/* One line on what kind k draws ("?" for a value that is not a kind). */
LSC_API const char *lsc_plot_kind_summary(lsc_plot_kind k);
/* Kind by name; err (may be NULL) lists the kinds and suggests the closest. */
LSC_API int lsc_plot_kind_from_name(const char *s, lsc_plot_kind *k, lsc_error *err);

/* Draw trajectory t on landscape L.
 *   L may be NULL: it is then made from t's canonical spec (t->landscape, t->n), with
 *   t's box (t->box, when set).
 *   t may be NULL for contour and surface (the landscape alone), and for data (a model
 *   landscape's training set and holdout, model.h).
 *   kinds data and decision need a model over data (lsc_landscape_model): two features
 *   with at most 8 classes, or one feature; decision draws run o->run at its last finite
 *   row (or the last row at or before o->step) and needs every coordinate recorded.
 *   kind basins is refused (LSC_EINVAL): drawing never runs an optimizer; compute the
 *   basins (basins.h) and draw them with lsc_plot_render_basins.
 * Returns 0; LSC_EINVAL bad options (message names the option; a missing style file,
 * a missing output directory); LSC_EIO a file could not be written; LSC_EEXTERNAL
 * gnuplot missing (the message says how to install it) or failing (the message quotes
 * gnuplot's error and names the .gp). On any error nothing is written (no_render=true
 * writes FIG.gp and the data without gnuplot). */
LSC_API int lsc_plot_render(const lsc_trajectory *t, const lsc_landscape *L, const lsc_plot_opts *o,
                            lsc_error *err);

/* A data set alone (kind data, whatever o->kind says): train, and test (a holdout, or
 * NULL) drawn as the data figure of a model over them would draw them (two features with
 * 2 to 8 classes, or one feature). xlim, ylim and the options of every figure apply.
 * Returns as lsc_plot_render. */
LSC_API int lsc_plot_render_data(const lsc_dataset *train, const lsc_dataset *test,
                                 const lsc_plot_opts *o, lsc_error *err);

/* Basins of attraction (kind basins, whatever o->kind says), computed by
 * lsc_basins_compute on the 2-D landscape L: one panel per optimizer, each start of the
 * grid coloured by its class (the known critical point its run reached, 'diverged' or
 * 'not converged'). The box, the grid and the tolerance are b's (o's xlim, ylim, basin_n
 * and basin_tol are not read). The per-start classes are written to FIG.basins.tsv. At
 * most 16 optimizers. Returns as lsc_plot_render. */
LSC_API int lsc_plot_render_basins(const lsc_basins *b, const lsc_landscape *L,
                                   const lsc_plot_opts *o, lsc_error *err);

/* Measured numbers against a parameter (the studies' figures, study.h): one panel of
 * series on one x axis, each a line (a curve, a formula) or markers with optional +- error
 * bars (measurements), in colour `colour` (1-8: the style's run colours; 0: by its place),
 * with its label in the key. Reads o's out, size, font, title, caption (automatic: none
 * but the version), xlabel, ylabel, xlim, ylim, dumb, no_render and group; logx, logy: log
 * axes, where values <= 0 are left out (the caption says how many). Files as
 * lsc_plot_render: FIG.gp and FIG.series.tsv beside the image. Returns as it. */
#define LSC_SERIES_LINES 0
#define LSC_SERIES_POINTS 1
typedef struct lsc_plot_series {
    const char *label;  /* the key's text (NULL or "": not in the key) */
    const double *x, *y;
    const double *yerr; /* POINTS: +- yerr[i] bars; NULL: none */
    int n;
    int style;          /* LSC_SERIES_LINES | LSC_SERIES_POINTS */
    int colour;         /* 1-8, or 0 */
    int dashed;         /* LINES: dashed */
    int thin;           /* LINES: thin (many curves of one kind) */
} lsc_plot_series;
LSC_API int lsc_plot_render_series(const lsc_plot_series *s, int ns, int logx, int logy,
                                   const lsc_plot_opts *o, lsc_error *err);

/* A number over a grid of two parameters as a heat map (the studies' sweeps): nx x ny
 * cells, z[j nx + i] the value at (x[i], y[j]) (x and y increasing; a value that is not
 * finite: a grey cell, none_label in the key), colours by the style's palette with a colour
 * box labelled zlabel, and up to two marked points (mark[k] = {x, y}, NAN: none; 0 a white
 * dot, 1 a red ring) with their labels in the key. Each cell reaches halfway to its
 * neighbours (geometrically on a log axis). Reads o's out, size, font, title, caption,
 * xlabel, ylabel, no_render and group. Files as lsc_plot_render: FIG.gp and FIG.heat.tsv
 * beside the image. Returns as it. */
typedef struct lsc_plot_heat {
    const double *x, *y;
    int nx, ny;
    int logx, logy;
    const double *z;
    const char *zlabel, *none_label;
    double mark[2][2];
    const char *mark_label[2];
} lsc_plot_heat;
LSC_API int lsc_plot_render_heat(const lsc_plot_heat *h, const lsc_plot_opts *o,
                                 lsc_error *err);

/* Check options before any work, writing nothing: 0, or LSC_EINVAL with the message
 * lsc_plot_render (lsc_plot_render_basins for kind basins) would give for a figure of landscape
 * L from nruns runs that record npos coordinates (has_dist: and a dist column; cols: the
 * optional columns, lsc_columns of trajectory.h). Covers the image type, the file name and
 * its directory, the style file, and what the kind needs (2-D, positions, curves panels
 * and x axis, slice plane and centre). */
LSC_API int lsc_plot_opts_check(const lsc_plot_opts *o, const lsc_landscape *L, int npos,
                                int has_dist, unsigned long long cols, int nruns,
                                lsc_error *err);

/* Path of the script a render with these options writes (fig.png.gp for out = fig.png),
 * e.g. for messages. */
LSC_API int lsc_plot_script_path(const lsc_plot_opts *o, char *buf, size_t len);

/* What a render with these options puts in place, for a "wrote ..." message: "fig.png"
 * ("fig.tex and fig.tex.pdf"); with no_render "fig.png.gp and its data files (fig.png.*;
 * no image: no_render)". Returns buf. */
LSC_API const char *lsc_plot_outputs(const lsc_plot_opts *o, char *buf, size_t len);

/* 1 when a render with these options would write `path` (compared as text, as the names
 * are given): its image, or one of the figure's own files, named after the image (for
 * out = fig.png: fig.png.gp, fig.png.paths.tsv, ...; for fig.tex also its graphic
 * fig.tex.pdf), each marked as the figure's. A render never replaces an existing file of
 * those names that is not marked as this figure's (it is refused, LSC_EINVAL). */
LSC_API int lsc_plot_writes(const lsc_plot_opts *o, const char *path);

/* 0 when the gnuplot a render with these options runs (gnuplot, else $GNUPLOT, else
 * "gnuplot" along $PATH) is an executable program, or no_render is set; else
 * LSC_EEXTERNAL with a message saying how to install it. A render checks this itself
 * before writing anything; a caller with several figures can check them all first. */
LSC_API int lsc_plot_gnuplot_check(const lsc_plot_opts *o, lsc_error *err);

/* The built-in style (the text of plots/style.gp). */
LSC_API const char *lsc_plot_style(void);

#ifdef __cplusplus
}
#endif
#endif
