/* grid.h — what the figures draw, computed in C (grid.c): the landscape on a grid, colour
 * scales and contour levels, contour lines, gradient arrows, known critical points,
 * principal directions of trajectories */
#ifndef LSC_PLOT_GRID_H
#define LSC_PLOT_GRID_H

#include "files.h"

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
/* The lines of g at the raw values level[0..nlevels) (marching squares; cells with an
 * undefined corner skipped) to fp as x y tag[l] rows, a blank line after each piece. */
int plot_contours_put(FILE *fp, const plot_grid *g, const double *level, const double *tag,
                      int nlevels, lsc_error *err);
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

#endif
