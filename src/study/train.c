/* train.c — what the studies share (study_impl.h): a model with its start and optimizer,
 * runs through the driver loop (run.h) that keep their recorded losses, timing, small
 * statistics */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study_impl.h"

int study_model_open(study_model *m, const char *landscape, const char *data, const char *init,
                     const char *optimizer, unsigned long long seed, lsc_error *err)
{
    memset(m, 0, sizeof *m);
    lsc_spec spec;
    if (lsc_spec_parse(landscape, "landscape", &spec, err) != LSC_OK)
        return LSC_EINVAL;
    const lsc_landscape_type *T = lsc_landscape_type_find(spec.name);
    if (T && !lsc_landscape_type_is_model(T)) {
        lsc_error_set(err, LSC_EINVAL, "landscape: '%s' is not a model over data (allowed: "
                      "linreg, logreg, softmax, mlp)", spec.name);
        return LSC_EINVAL;
    }
    m->L = lsc_landscape_load_model(landscape, 0, data, NULL, 0, seed, "landscape", err);
    if (!m->L)
        return err->code ? err->code : LSC_EINVAL;
    if (!(m->M = lsc_landscape_model(m->L))) {
        lsc_error_set(err, LSC_EINVAL, "landscape: '%s' is not a model over data (allowed: "
                      "linreg, logreg, softmax, mlp)", landscape);
        return LSC_EINVAL;
    }
    m->n = m->L->n;
    m->N = m->M->train->n;
    if (!(m->x0 = malloc((size_t)m->n * sizeof *m->x0))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int rc = study_model_restart(m, init, seed, err);
    if (rc != LSC_OK)
        return rc;
    if (!(m->o = lsc_optim_new(optimizer, m->n, "optimizer", err)))
        return err->code ? err->code : LSC_EINVAL;
    lsc_trajectory_init(&m->t, m->n, 0, 0);
    if (!(m->rec = lsc_trajectory_add_run(&m->t))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

int study_model_restart(study_model *m, const char *init, unsigned long long seed,
                        lsc_error *err)
{
    lsc_init_scheme I;
    int rc = lsc_init_parse(&I, init, "init", err);
    if (rc != LSC_OK)
        return rc;
    gsl_rng *r = lsc_rng_for_run(seed, LSC_INIT_STREAM);
    if (!r) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    rc = lsc_init_apply(&I, m->L, r, m->x0, err);
    gsl_rng_free(r);
    return rc;
}

void study_model_close(study_model *m)
{
    lsc_optim_free(m->o);
    if (m->rec || m->t.runs)
        lsc_trajectory_free(&m->t);
    free(m->x0);
    lsc_landscape_free(m->L);
    memset(m, 0, sizeof *m);
}

/* The recorder (run.h's signature): keeps step and loss; room was made before the run. */
static int keep_row(void *user, int run, const lsc_row *row, lsc_error *err)
{
    (void)run, (void)err;
    const long step = row->step;
    const double loss = row->loss, *x = row->x;
    study_rows *rows = user;
    rows->last_gn = row->grad_norm;
    if (rows->last_x)
        memcpy(rows->last_x, x, (size_t)rows->n_x * sizeof *x);
    if (rows->ref) {
        double d = 0;
        for (int j = 0; j < rows->n_x; j++)
            d += (x[j] - rows->ref[j]) * (x[j] - rows->ref[j]);
        rows->maxdist = fmax(rows->maxdist, sqrt(d));
    }
    rows->t_last = lsc_study_now();
    if (rows->n == 0)
        rows->t_first = rows->t_last;
    if (rows->n < rows->cap) {
        rows->step[rows->n] = step;
        rows->loss[rows->n] = loss;
        rows->n++;
    }
    return LSC_OK;
}

void study_rows_free(study_rows *rows)
{
    free(rows->step);
    free(rows->loss);
    memset(rows, 0, sizeof *rows);
}

int study_run(study_model *m, const study_run_opts *r, const double *x, study_rows *rows,
              lsc_error *err)
{
    const long every = r->every > 0 ? r->every : 1;
    size_t cap = (size_t)(r->steps / every) + 3;
    if (cap > rows->cap) {
        long *s = realloc(rows->step, cap * sizeof *s);
        if (s)
            rows->step = s;
        double *l = realloc(rows->loss, cap * sizeof *l);
        if (l)
            rows->loss = l;
        if (!s || !l) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory for %zu rows", cap);
            return LSC_ENOMEM;
        }
        rows->cap = cap;
    }
    rows->n = 0;
    rows->maxdist = 0;
    rows->n_x = m->n;
    lsc_run_opts opts = {
        .landscape = m->L,
        .steps = r->steps,
        .seed = r->seed,
        .every = every,
        .batch_size = r->batch,
        .sampling = r->sampling,
        .drop_last = r->drop_last,
        .stop_loss = isnan(r->stop_loss) ? 0 : r->stop_loss,
        .stop_loss_on = !isnan(r->stop_loss),
        .record = keep_row,
        .record_user = rows,
    };
    return lsc_run(&opts, m->o, x ? x : m->x0, r->run, &m->t, m->rec, err);
}

double study_eval_seconds(const study_model *m, int reps)
{
    double *g = malloc((size_t)m->n * sizeof *g), best = INFINITY;
    if (!g)
        return 0;
    for (int k = 0; k < reps; k++) {
        double t0 = lsc_study_now();
        lsc_landscape_fdf(m->L, m->x0, g);
        best = fmin(best, lsc_study_now() - t0);
    }
    free(g);
    return best;
}

double study_update_seconds(study_model *m, const study_run_opts *r, int reps, lsc_error *err)
{
    study_run_opts q = *r;
    q.every = q.steps; /* rows: the start and the end only */
    q.stop_loss = NAN;
    /* mini-batches: the row at the end evaluates the full loss once (run.h); full batch
     * evaluates it with every update anyway. The best of 10: an evaluation timed during a
     * burst of load from elsewhere would be subtracted too much */
    const double eval = r->batch > 0 ? study_eval_seconds(m, 10) : 0;
    study_rows rows = {0};
    double best = INFINITY;
    for (int k = 0; k < reps; k++) {
        int rc = study_run(m, &q, NULL, &rows, err);
        if (rc < 0) {
            study_rows_free(&rows);
            return NAN;
        }
        best = fmin(best, rows.t_last - rows.t_first - eval);
    }
    study_rows_free(&rows);
    return fmax(best, 0) / (double)q.steps;
}

void study_mean_sd(const double *x, int n, double *mean, double *sd)
{
    double s = 0, ss = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    *mean = n > 0 ? s / n : NAN;
    for (int i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
}

double study_detrended_sd(const long *t, const double *y, size_t n)
{
    if (n < 3)
        return 0;
    double mt = 0, my = 0, stt = 0, sty = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        mt += (double)t[i];
        my += y[i];
    }
    mt /= (double)n;
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        stt += ((double)t[i] - mt) * ((double)t[i] - mt);
        sty += ((double)t[i] - mt) * (y[i] - my);
    }
    const double slope = stt > 0 ? sty / stt : 0;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - my - slope * ((double)t[i] - mt);
        ss += e * e;
    }
    /* n - 2 degrees of freedom: two were spent on the line */
    return sqrt(ss / (double)(n - 2));
}

const char *study_size_name(long B, char *buf, size_t len)
{
    if (B == LSC_STUDY_FULL)
        snprintf(buf, len, "full");
    else
        snprintf(buf, len, "%ld", B);
    return buf;
}

const char *study_num(double v, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}
