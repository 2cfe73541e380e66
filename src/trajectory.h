/* trajectory.h — recorded runs in memory (columnar) and as TSV files
 *
 * File format (TSV, UTF-8):
 *
 *   # losscape trajectory v1
 *   # version: 0.1.0
 *   # landscape: rosenbrock:a=1,b=100          (canonical spec, every parameter)
 *   # dim: 2
 *   # schedule: constant
 *   # clip_norm: 0            (0 = off)
 *   # clip_value: 0           (0 = off)
 *   # noise: 0                (standard deviation of Gaussian gradient noise)
 *   # seed: 1
 *   # steps: 1000             (budget)
 *   # stop_grad: 0            (0 = off)
 *   # every: 1                (every k-th step recorded; the last step always is)
 *   # positions: all          (all | first:K | none)
 *   # run 0 optimizer: adam:lr=0.001,beta1=0.9,...
 *   # run 0 label: adam
 *   # run 0 start: -1.5,2
 *   # run 0 status: max-steps
 *   # run 0 reason: reached the step budget (1000 steps)
 *   # run 0 schedule: cosine:T_max=500,eta_min=0   (only where a run has its own
 *                                                  schedule, noise, clip_norm, clip_value)
 *   run  step  lr  loss  grad_norm  [dist]  x1  x2 ...
 *
 * One row per recorded step; step 0 is the start. `lr` of row k is the learning rate
 * update k used (row 0 shows the first one). loss and grad_norm are noise-free values
 * at x. Numbers are written so that they read back exactly.
 */
#ifndef LSC_TRAJECTORY_H
#define LSC_TRAJECTORY_H

#include <stddef.h>
#include <stdio.h>
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a run stopped (positive codes; DESIGN.md) */
typedef enum {
    LSC_STOP_NONE = 0,      /* still running / unknown */
    LSC_STOP_MAX_STEPS = 1, /* step budget reached */
    LSC_STOP_CONVERGED = 2, /* grad_norm <= stop_grad */
    LSC_STOP_DIVERGED = 3,  /* non-finite value or gradient */
    LSC_STOP_DOMAIN = 4,    /* left the landscape's domain */
    LSC_STOP_FAILED = 5,    /* the optimizer could not step (singular Hessian, ...) */
} lsc_stop;

const char *lsc_stop_name(lsc_stop s); /* "max-steps", "converged", ... */
int lsc_stop_from_name(const char *name, lsc_stop *out);

/* One run: columns of equal length len. */
typedef struct {
    char optimizer[LSC_VALUE_MAX]; /* canonical optimizer spec */
    char label[LSC_NAME_MAX];
    /* Driver options of this run. They equal the file's header values unless the run was
     * given its own (recipes with [run NAME] sections); then the file has
     * '# run K schedule:' / 'noise:' / 'clip_norm:' / 'clip_value:' lines. */
    char schedule[LSC_VALUE_MAX];
    double noise, clip_norm, clip_value;
    int own_noise, own_clip_norm, own_clip_value; /* read from the run's own lines */
    double *start;                 /* n coordinates */
    lsc_stop status;
    char reason[256];
    size_t len, cap;
    long *step;
    double *lr, *loss, *grad_norm;
    double *dist;                  /* NULL unless the file has a dist column */
    double *x;                     /* len * npos, row-major */
} lsc_run_record;

typedef struct {
    char version[32];
    char landscape[LSC_VALUE_MAX]; /* canonical landscape spec */
    int n;                         /* dimension */
    int npos;                      /* coordinates stored per row (n, K or 0) */
    int has_dist;
    char schedule[LSC_VALUE_MAX];
    double clip_norm, clip_value, noise, stop_grad;
    unsigned long long seed;
    long steps, every;
    int nruns;
    lsc_run_record *runs;
} lsc_trajectory;

/* Initialise an empty trajectory for dimension n storing npos coordinates per row. */
void lsc_trajectory_init(lsc_trajectory *t, int n, int npos, int has_dist);
void lsc_trajectory_free(lsc_trajectory *t);
/* Append a run (returns it, or NULL on allocation failure). */
lsc_run_record *lsc_trajectory_add_run(lsc_trajectory *t);
/* Make room for `count` more rows in run r (so appends in the loop never allocate). */
int lsc_run_record_reserve(const lsc_trajectory *t, lsc_run_record *r, size_t count);
/* Append one row; the caller has reserved room. x has n coordinates (npos are kept). */
void lsc_run_record_push(const lsc_trajectory *t, lsc_run_record *r, long step, double lr,
                         double loss, double grad_norm, double dist, const double *x);

/* Write to a stream, or to a file atomically (temporary file, then rename). "-" = stdout. */
int lsc_trajectory_write_stream(const lsc_trajectory *t, FILE *fp, lsc_error *err);
int lsc_trajectory_write(const lsc_trajectory *t, const char *path, lsc_error *err);
/* Read a file written by lsc_trajectory_write. Errors name the file and line. */
int lsc_trajectory_read(lsc_trajectory *t, const char *path, lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
