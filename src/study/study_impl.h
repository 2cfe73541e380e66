/* study_impl.h — what the studies (one file each under src/study/) share: a model over data with its start
 * and optimizer, runs that keep their recorded losses, timing, small statistics
 * (train.c), and the registry's entries */
#ifndef LSC_STUDY_IMPL_H
#define LSC_STUDY_IMPL_H

#include <stdio.h>

#include "init.h"
#include "model.h"
#include "optim.h"
#include "run.h"
#include "sampler.h"
#include "study.h"

/* A model over data, its start and its optimizer: what a study trains. */
typedef struct {
    lsc_landscape *L;
    const lsc_model *M;
    lsc_optim *o;
    double *x0;   /* the start (n) */
    int n, N;     /* parameters, training examples */
    lsc_trajectory t; /* a header for lsc_run (no rows are kept in it) */
    lsc_run_record *rec;
} study_model;

/* Make the landscape spec over data_spec (its generator seeded with seed unless the spec
 * says), the start drawn by init (lsc_rng_for_run(seed, LSC_INIT_STREAM), as the
 * experiment's init key) and the optimizer. Messages name the study's keys (landscape,
 * data, init, optimizer). */
int study_model_open(study_model *m, const char *landscape, const char *data, const char *init,
                     const char *optimizer, unsigned long long seed, lsc_error *err);
void study_model_close(study_model *m);
/* Draw the start anew by init with the generator lsc_rng_for_run(seed, LSC_INIT_STREAM). */
int study_model_restart(study_model *m, const char *init, unsigned long long seed,
                        lsc_error *err);

/* The recorded rows of one run (step, full loss), kept without allocating in the loop. */
typedef struct {
    long *step;
    double *loss;
    size_t n, cap;
    double t_first, t_last; /* wall clock at the first and the last recorded row */
    const double *ref;      /* when set: the largest |x - ref| over the recorded rows ... */
    double maxdist;         /* ... is kept here */
    int n_x;                /* coordinates of x (with ref) */
    double *last_x;         /* when set: x of the last recorded row (n_x values) */
    double last_gn;         /* |grad f| of the last recorded row */
} study_rows;

/* How one run goes: batch size (0: full, the exact gradient), sampling, drop_last, the
 * budget in updates, every k-th update recorded, the generator seed and the run index (the
 * sampler's stream is (seed, run)). */
typedef struct {
    long batch;
    lsc_sampling sampling;
    int drop_last;
    long steps, every;
    unsigned long long seed;
    int run;
    double stop_loss; /* NAN: off */
} study_run_opts;

/* Run the optimizer from x (m->x0 when NULL) as r says, keeping every recorded row in
 * rows (grown before the run, never in it). Returns the stop status (> 0) or an error. */
int study_run(study_model *m, const study_run_opts *r, const double *x, study_rows *rows,
              lsc_error *err);
void study_rows_free(study_rows *rows);

/* Seconds of one exact full-data loss and gradient (the best of reps). */
double study_eval_seconds(const study_model *m, int reps);
/* Seconds per update of r's kind (batch size, sampling) over `steps` updates, the
 * evaluation at the end subtracted: the best of reps runs. */
double study_update_seconds(study_model *m, const study_run_opts *r, int reps, lsc_error *err);

/* Mean and sample standard deviation of x[0..n) (sd 0 for n < 2). */
void study_mean_sd(const double *x, int n, double *mean, double *sd);
/* The standard deviation of y about its least-squares line in t (0 for n < 3). */
double study_detrended_sd(const long *t, const double *y, size_t n);

/* Text helpers: "full" for 0, else the number. */
const char *study_size_name(long B, char *buf, size_t len);
/* A number for a table: %.6g, or "-" for NaN. */
const char *study_num(double v, char *buf, size_t len);

#endif
