/* basins.h — basins of attraction: where each start of a grid ends up
 *
 * For each optimizer, one run from every start of an n x n grid over a 2-D box (the
 * starts at the cell centres), with the same driver options (schedule, steps, stop_grad,
 * clipping, noise, seed; run index j*n + i for start (i, j)). Each start gets a class:
 *   the known critical point nearest the run's end, when it is within tol of it;
 *   'diverged': the run stopped non-finite, left the domain, or the optimizer failed;
 *   'not converged': anything else.
 * This module only computes; the figure (plot.h: lsc_plot_render_basins) draws the
 * result, so a plot never runs an optimizer.
 */
#ifndef LSC_BASINS_H
#define LSC_BASINS_H

#include "landscape.h"
#include "param.h"
#include "run.h"
#include "trajectory.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LSC_BASIN_CRITICAL,      /* ended within tol of a known critical point */
    LSC_BASIN_NOT_CONVERGED, /* ended elsewhere */
    LSC_BASIN_DIVERGED,      /* non-finite, left the domain, or the optimizer failed */
} lsc_basin_outcome;

/* A class a start can fall in. */
typedef struct {
    lsc_basin_outcome outcome;
    lsc_cp_kind kind; /* LSC_BASIN_CRITICAL: the critical point's kind, */
    double x[2], f;   /* where it is and f there */
    long count;       /* starts (of all optimizers) in this class */
} lsc_basin_class;

/* An optimizer of the computation. */
typedef struct {
    char spec[LSC_VALUE_MAX];     /* as given */
    char describe[LSC_VALUE_MAX]; /* canonical, every hyper-parameter (lsc_optim_describe) */
    char label[LSC_NAME_MAX];     /* its label= value, or its type name */
    char type[LSC_NAME_MAX];      /* type name: "adam" */
    /* the driver options its runs used: a group's own (a recipe's [run NAME] section) may
     * differ from the first optimizer's, which the lsc_basins fields below repeat */
    char schedule[LSC_VALUE_MAX]; /* lsc_schedule_describe; "" when constant */
    double noise, clip_norm, clip_value;
} lsc_basins_optimizer;

typedef struct {
    int n;           /* starts per axis */
    double box[4];   /* x0, x1, y0, y1: start (i, j) at lsc_basins_start */
    double tol;      /* distance within which an end reaches a critical point */
    int nopt;
    lsc_basins_optimizer *opt;
    /* Classes 0 .. ncp-1: the landscape's known critical points in its order (reached or
     * not: count 0), ncp: not converged, ncp + 1: diverged. */
    int ncp, nclass;
    lsc_basin_class *classes;
    /* class of start (i, j) of optimizer p: grid[((size_t)p * n + j) * n + i] */
    int *grid;
    /* the driver options of the first optimizer's runs (the others': opt[p]) */
    long steps;
    double stop_grad, clip_norm, clip_value, noise;
    unsigned long long seed;
    char schedule[LSC_VALUE_MAX]; /* lsc_schedule_describe; "" when constant */
} lsc_basins;

/* Compute into b for the nopt optimizer specs over landscape L (2-D), with the driver
 * options of run (its landscape is ignored: L is used; steps <= 0 means 1000; its
 * recorder and progress callbacks are not called: only each run's end is kept).
 * The box: xlim = {lo, hi}, ylim likewise, NAN for the landscape's box. n: starts per
 * axis (2 to 1000). tol <= 0: 1% of the box diagonal.
 * Returns 0, LSC_EINVAL (bad arguments, an optimizer spec that does not parse: the message
 * says which), LSC_ENOMEM, or the error of a run. b is always safe to lsc_basins_free. */
LSC_API int lsc_basins_compute(lsc_basins *b, const lsc_landscape *L, const char *const *specs,
                               int nopt, const lsc_run_opts *run, const double xlim[2],
                               const double ylim[2], int n, double tol, lsc_error *err);

/* The same with driver options of each optimizer's own: run[p] for specs[p] (nopt of them;
 * each one's schedule, noise and clipping are kept in b->opt[p]). */
LSC_API int lsc_basins_compute_each(lsc_basins *b, const lsc_landscape *L,
                                    const char *const *specs, int nopt, const lsc_run_opts *run,
                                    const double xlim[2], const double ylim[2], int n, double tol,
                                    lsc_error *err);

/* lsc_basins_compute_each on `threads` threads (parallel.h; 0: every core), each taking
 * rows of the grid with an optimizer and a schedule of its own; the same b for any thread
 * count. One thread on a landscape that is not reentrant (landscape.h). */
LSC_API int lsc_basins_compute_threads(lsc_basins *b, const lsc_landscape *L,
                                       const char *const *specs, int nopt,
                                       const lsc_run_opts *run, const double xlim[2],
                                       const double ylim[2], int n, double tol, int threads,
                                       lsc_error *err);

/* The same for the runs of trajectory t: one computation per distinct optimizer of its runs
 * with its own schedule, noise and clipping (at most 64 such pairs), with the file's other
 * driver options (steps, stop conditions, seed). */
LSC_API int lsc_basins_compute_trajectory(lsc_basins *b, const lsc_landscape *L,
                                          const lsc_trajectory *t, const double xlim[2],
                                          const double ylim[2], int n, double tol, lsc_error *err);

/* Start (i, j) of the grid, 0 <= i, j < n: the centre of its cell of the box. */
LSC_API void lsc_basins_start(const lsc_basins *b, int i, int j, double x[2]);

LSC_API void lsc_basins_free(lsc_basins *b);

#ifdef __cplusplus
}
#endif
#endif
