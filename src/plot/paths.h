/* paths.h — the runs' paths on a plane (paths.c): rows sampled evenly, projected (a slice)
 * or not, a diverged run cut at its last point in view with an exit arrow, stretches along
 * earlier paths marked for dashing; written to FIG.paths.tsv */
#ifndef LSC_PLOT_PATHS_H
#define LSC_PLOT_PATHS_H

#include "grid.h"

/* One run's drawn path. */
typedef struct {
    int block;    /* index block in the paths file; -1: nothing drawn */
    int rows;     /* rows written */
    int last_in;  /* last written row inside the view, -1 if none */
    int diverged; /* diverged, left the domain, or the optimizer failed */
    int group;    /* legend group (runs with the same legend share one) */
    int lt;       /* colour: line type 1-8 of the style */
    int titled;   /* carries the group's legend entry */
    int draw_last; /* last row drawn: a diverged run stops at its last point in view */
    int exit;     /* row of the exit arrow in FIG.exits.tsv (the diverged run left the
                     view there), -1 none */
    int same_start; /* its start is an earlier drawn run's start: one marker for both */
    int dashed;   /* some stretch runs along an earlier run's path: drawn dashed there */
    unsigned char *over; /* per segment (row k to k+1): dashed */
    long *step;   /* step of each written row */
    double *pa, *pb; /* plane coordinates of each written row */
} plot_path;

void plot_paths_free(plot_path *pi, int n);
/* Number of leading rows whose coordinates are all finite (drawn up to there). */
size_t plot_finite_prefix(const lsc_trajectory *t, const lsc_run_record *R);
/* k-th of K rows sampled evenly from m, first and last kept */
size_t plot_pick(size_t k, size_t K, size_t m);
/* Rows drawn of a run with m rows (max_points). */
size_t plot_rows_drawn(const plot_ctx *c, size_t m);
/* Bounding box {a0, a1, b0, b1} of the drawn points (projected onto base + a d1 + b d2;
 * d1 NULL: x, y) of the runs that did not blow up; 0 when there are none. */
int plot_paths_bbox(const plot_ctx *c, const double *base, const double *d1, const double *d2,
                    double bb[4]);
/* Writes FIG<suffix>: one block per drawn run (two blank lines between blocks), columns
 * step a b f colour(f) solid dashed (the last two: 1 when the row belongs to the solid,
 * or the dashed, part of the path). With exits (a suffix, or NULL), a diverged run that
 * left the view is drawn up to its last point in view, and FIG<exits> gets a short arrow
 * from there towards where it went (ending at the frame, or after an eighth of the view's
 * diagonal): x y dx dy linetype, one row per such run.
 * overlaps: dash the stretches that run along earlier paths (2-D maps).
 * *out: one plot_path per run (free with plot_paths_free); *ngroups: colour groups. */
int plot_paths_write(plot_ctx *c, const char *suffix, const char *exits, const double *base,
                     const double *d1, const double *d2, const double view[4],
                     const plot_color *pc, int overlaps, plot_path **out, int *ngroups);
/* Some drawn run diverged in view (a cross), some left the view (an arrow). */
int plot_any_diverged(const plot_ctx *c, const plot_path *pi);
int plot_any_exit(const plot_ctx *c, const plot_path *pi);

#endif
