/* experiment.c — one object for a whole experiment (see experiment.h) */
#include "experiment.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_randist.h>

#include "init.h"
#include "model.h"
#include "outfile.h"
#include "parallel.h"
#include "sampler.h"
#include "summary.h"

/* A group of runs: its values of the driver options, in the fields of a trajectory header
 * that the table (lsc_driver_options) names, and which of them it set itself. */
typedef struct {
    char name[LSC_NAME_MAX];
    lsc_trajectory v;
    unsigned long long set; /* bit k: row k of the table */
} group;

typedef struct {
    char spec[LSC_VALUE_MAX];
    int group;
} run_spec;

/* Where the runs of an optimizer start (experiment.h, "start sets"). */
typedef enum {
    SET_ONE,    /* every run from x0 (numbers, standard, file of one start, init) */
    SET_RANDOM, /* start j uniform in the box, from generator (seed, ~0 - j) */
    SET_BALL,   /* start j uniform in the ball (centre, radius), from (seed, ~0 - j) */
    SET_GRID,   /* the cell centres of a 2-D box, x fastest */
    SET_FILE,   /* one start a line of a file (starts) */
} start_set;

struct lsc_experiment {
    /* settings */
    char landscape[LSC_VALUE_MAX];
    char data[LSC_VALUE_MAX];            /* a model's data set ("" none) */
    char target[LSC_NAME_MAX];           /* a data file's target column ("" its last) */
    double holdout;                      /* fraction held out (0 none) */
    const lsc_landscape *user_landscape; /* the caller's (lsc_experiment_use_landscape) */
    int dim;                             /* 0: the landscape's */
    char start[LSC_VALUE_MAX];           /* the start key ("" not set) */
    char init[LSC_VALUE_MAX];            /* the init key: a scheme (init.h), "" not set */
    long runs_key;                       /* the runs key: starts per optimizer (0 not set) */
    long threads_key;                    /* the threads key (0: every core; -1 not set) */
    double *given;                       /* lsc_experiment_set_start */
    int ngiven;
    group *groups;
    int ngroups;
    run_spec *runs;
    int nruns, runs_cap;
    void (*progress)(void *user, int run, long done, long steps);
    void *progress_user;
    /* made by lsc_experiment_prepare */
    int prepared;
    lsc_landscape *own_landscape;
    const lsc_landscape *L;
    double *x0;             /* start 0 (the start of every run when the set is one) */
    lsc_start_desc desc;    /* how start 0 was made */
    start_set set;          /* the start set (experiment.h) */
    int nstarts;            /* K: starts in the set, runs per optimizer */
    double *lo, *hi;        /* SET_RANDOM, SET_GRID: the landscape's box */
    double *centre, radius; /* SET_BALL */
    int grid[2];            /* SET_GRID: NX, NY */
    double *starts;         /* SET_FILE: nfile x n numbers */
    int nfile;
    lsc_optim **opt;        /* one per run */
    lsc_schedule **sched;   /* one per run (NULL: constant), so runs share no state */
    lsc_schedule *sched0;   /* group 0's, for the header */
    lsc_run_opts *ro;       /* one per run */
    lsc_run_opts ro0;       /* group 0's */
    int nworkers;           /* threads with optimizers of their own (worker 0: opt, sched) */
    lsc_optim **wopt;       /* workers 1..: (w - 1) * nruns + m */
    lsc_schedule **wsched;
    char schedule0[LSC_VALUE_MAX]; /* group 0's schedule, canonical */
    int npos, has_dist;
    /* the key the last error was about */
    char err_key[LSC_NAME_MAX];
    int err_index;
};

/* Keys of the experiment besides the driver options. */
static const char *const own_keys[] = {"landscape", "dim",     "start", "optimizer",
                                       "data",      "target",  "holdout", "init",
                                       "runs",      "threads"};

/* The runs key's range: a summary holds any number of runs; a run index is an int. */
#define RUNS_MAX 1000000
/* Runs in all (optimizers x starts), so that every run index is an int. */
#define TOTAL_RUNS_MAX 100000000L
/* The threads key's range (0: every core). */
#define THREADS_MAX 1024
/* Summaries made at once by lsc_experiment_write_summary (about 400 bytes each). */
#define SUMMARY_CHUNK 4096
/* Runs made at once with their rows kept, by threads, before the rows are handed on in run
 * order: at most this many, and at most ROWS_BUDGET bytes of rows in all (but at least one
 * run per thread). */
#define RUN_CHUNK 256
#define ROWS_BUDGET (256.0 * 1024 * 1024)
/* Summaries in lockstep (run.h: lsc_run_lockstep): runs of one optimizer made together, at
 * most LOCKSTEP_RUNS of them and LOCKSTEP_VALUES coordinates in all. */
#define LOCKSTEP_RUNS 64
#define LOCKSTEP_VALUES 65536

static void make_header(const lsc_experiment *x, lsc_trajectory *t);
static int start_of(const lsc_experiment *x, int j, double *out);

/* An error about key (run or group index): the message is the caller's. */
static int fail(lsc_experiment *x, const char *key, int index, int code)
{
    snprintf(x->err_key, sizeof x->err_key, "%s", key);
    x->err_index = index;
    return code;
}

static size_t field_size(lsc_driver_type type)
{
    switch (type) {
    case LSC_DRIVER_SPEC:
    case LSC_DRIVER_BOX: return LSC_VALUE_MAX;
    case LSC_DRIVER_REAL: return sizeof(double);
    case LSC_DRIVER_COUNT: return sizeof(long);
    case LSC_DRIVER_SEED: return sizeof(unsigned long long);
    case LSC_DRIVER_POSITIONS: return sizeof(int);
    case LSC_DRIVER_CHOICE: return sizeof(int);
    case LSC_DRIVER_SWITCH: return sizeof(int);
    }
    return 0;
}

static void *field_of(lsc_trajectory *v, const lsc_driver_option *o)
{
    return (char *)v + o->off;
}

static const void *cfield_of(const lsc_trajectory *v, const lsc_driver_option *o)
{
    return (const char *)v + o->off;
}

/* The values a run of group g uses: its own where it set them, else group 0's. */
static const void *value_in(const lsc_experiment *x, int g, const lsc_driver_option *o)
{
    int k = (int)(o - lsc_driver_options);
    const group *G = &x->groups[g];
    if (g > 0 && !(G->set >> k & 1))
        G = &x->groups[0];
    return cfield_of(&G->v, o);
}

static double real_in(const lsc_experiment *x, int g, const char *name)
{
    return *(const double *)value_in(x, g, lsc_driver_option_find(name));
}

static long count_in(const lsc_experiment *x, const char *name)
{
    return *(const long *)value_in(x, 0, lsc_driver_option_find(name));
}

static const char *spec_in(const lsc_experiment *x, int g, const char *name)
{
    return value_in(x, g, lsc_driver_option_find(name));
}

lsc_experiment *lsc_experiment_new(void)
{
    lsc_experiment *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->groups = calloc(1, sizeof *x->groups);
    if (!x->groups) {
        free(x);
        return NULL;
    }
    x->ngroups = 1;
    x->nstarts = 1;
    x->threads_key = -1;
    /* group 0: the defaults of the table */
    lsc_trajectory *v = &x->groups[0].v;
    lsc_trajectory_init(v, 0, LSC_POSITIONS_AUTO, 0);
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        if (o->def)
            lsc_driver_option_parse(o, o->def, 0, field_of(v, o), NULL);
    }
    return x;
}

/* Free what lsc_experiment_prepare made (the settings stay). */
static void free_workers(lsc_experiment *x)
{
    for (int i = 0; x->wopt && i < (x->nworkers - 1) * x->nruns; i++) {
        lsc_optim_free(x->wopt[i]);
        lsc_schedule_free(x->wsched[i]);
    }
    free(x->wopt);
    free(x->wsched);
    x->wopt = NULL;
    x->wsched = NULL;
    x->nworkers = 0;
}

static void unprepare(lsc_experiment *x)
{
    free_workers(x);
    for (int i = 0; x->opt && i < x->nruns; i++)
        lsc_optim_free(x->opt[i]);
    for (int i = 0; x->sched && i < x->nruns; i++)
        lsc_schedule_free(x->sched[i]);
    free(x->opt);
    free(x->sched);
    free(x->ro);
    lsc_schedule_free(x->sched0);
    lsc_landscape_free(x->own_landscape);
    free(x->x0);
    free(x->lo);
    free(x->hi);
    free(x->centre);
    free(x->starts);
    x->lo = x->hi = x->centre = x->starts = NULL;
    x->set = SET_ONE;
    x->nstarts = 1;
    x->opt = NULL;
    x->sched = NULL;
    x->ro = NULL;
    x->sched0 = NULL;
    x->own_landscape = NULL;
    x->L = NULL;
    x->x0 = NULL;
    x->prepared = 0;
}

void lsc_experiment_free(lsc_experiment *x)
{
    if (!x)
        return;
    unprepare(x);
    free(x->given);
    free(x->groups);
    free(x->runs);
    free(x);
}

int lsc_experiment_key(const char *key)
{
    if (!key)
        return 0;
    if (!strcmp(key, "optimizer"))
        return 2;
    for (int k = 0; k < LSC_COUNTOF(own_keys); k++)
        if (!strcmp(key, own_keys[k]))
            return 1;
    const lsc_driver_option *o = lsc_driver_option_find(key);
    return !o ? 0 : o->group > 0 ? 2 : 1;
}

int lsc_experiment_keys(const char **names, int cap, int group_only)
{
    int n = 0;
    for (int k = 0; k < LSC_COUNTOF(own_keys); k++)
        if (!group_only || lsc_experiment_key(own_keys[k]) == 2) {
            if (n < cap)
                names[n] = own_keys[k];
            n++;
        }
    for (int k = 0; k < lsc_driver_noptions; k++)
        if (!group_only || lsc_driver_options[k].group > 0) {
            if (n < cap)
                names[n] = lsc_driver_options[k].name;
            n++;
        }
    return n;
}

/* ---- setting keys ------------------------------------------------------------------ */

static int copy_text(lsc_experiment *x, char *dst, const char *key, const char *value,
                     lsc_error *err)
{
    if (strlen(value) >= LSC_VALUE_MAX) {
        lsc_error_set(err, LSC_EINVAL, "%s: the value is longer than %d characters", key,
                      LSC_VALUE_MAX - 1);
        return fail(x, key, 0, LSC_EINVAL);
    }
    strcpy(dst, value);
    return LSC_OK;
}

/* grid:NX,NY — two integers from 1 to 1000 (a finer grid is a picture, not a start set),
 * at most RUNS_MAX cells. */
static int grid_ok(const char *v)
{
    char a[32];
    const char *comma = strchr(v, ',');
    long nx, ny;
    if (!comma || (size_t)(comma - v) >= sizeof a)
        return 0;
    snprintf(a, sizeof a, "%.*s", (int)(comma - v), v);
    return lsc_parse_long(a, &nx) == LSC_OK && lsc_parse_long(comma + 1, &ny) == LSC_OK &&
           nx >= 1 && nx <= 1000 && ny >= 1 && ny <= 1000 && nx * ny <= RUNS_MAX;
}

/* start: the forms of experiment.h; numbers are checked against the dimension later */
static int check_start(lsc_experiment *x, const char *v, lsc_error *err)
{
    long k;
    const char *why = NULL;
    if (!v[0])
        why = "empty";
    else if (lsc_has_control(v))
        why = "control characters (newline, tab, ...) are not allowed";
    else if (!strncmp(v, "standard:", 9) &&
             (lsc_parse_long(v + 9, &k) != LSC_OK || k < 0 || k > 1000000))
        why = "expected standard:K with K from 0 to 1000000";
    else if ((!strncmp(v, "file:", 5) && !v[5]) || !strcmp(v, "@"))
        why = "expected file:PATH or @PATH";
    else if (!strncmp(v, "ball:", 5) && (!strchr(v + 5, ':') || !strrchr(v, ':')[1]))
        why = "expected ball:X1,...,Xn:R, the centre and the radius";
    else if (!strncmp(v, "grid:", 5) && !grid_ok(v + 5))
        why = "expected grid:NX,NY with NX, NY from 1 to 1000 and NX x NY at most 1000000";
    if (!why)
        return LSC_OK;
    lsc_error_set(err, LSC_EINVAL, "start: '%.200s' is not allowed (%s; allowed: X1,X2,..., "
                  "random, standard[:K], file:PATH or @PATH, ball:X1,...,Xn:R, grid:NX,NY)",
                  v, why);
    return fail(x, "start", 0, LSC_EINVAL);
}

/* data, target, holdout: a model's data set (model.h); checked against the landscape,
 * and the data made, when the experiment is prepared. */
static int set_data(lsc_experiment *x, const char *key, const char *value, lsc_error *err)
{
    if (lsc_has_control(value)) {
        lsc_error_set(err, LSC_EINVAL, "%s: control characters (newline, tab, ...) are not "
                      "allowed", key);
        return fail(x, key, 0, LSC_EINVAL);
    }
    if (!strcmp(key, "holdout")) {
        double h;
        if (lsc_parse_double(value, &h) != LSC_OK || !(h >= 0 && h < 1)) {
            lsc_error_set(err, LSC_EINVAL, "holdout: '%.200s' is not allowed (expected a "
                          "fraction >= 0 and < 1 of the examples to hold out; 0: none)", value);
            return fail(x, key, 0, LSC_EINVAL);
        }
        x->holdout = h;
        return LSC_OK;
    }
    if (!strcmp(key, "target")) {
        if (strlen(value) >= sizeof x->target || !value[0]) {
            lsc_error_set(err, LSC_EINVAL, "target: '%.200s' is not allowed (a column name of "
                          "1 to %zu characters)", value, sizeof x->target - 1);
            return fail(x, key, 0, LSC_EINVAL);
        }
        strcpy(x->target, value);
        return LSC_OK;
    }
    if (!value[0]) {
        lsc_error_set(err, LSC_EINVAL, "data: empty (a generator such as blobs or spiral, or a "
                      "file NAME.tsv or NAME.csv)");
        return fail(x, key, 0, LSC_EINVAL);
    }
    return copy_text(x, x->data, key, value, err);
}

static int set_own(lsc_experiment *x, int g, const char *key, const char *value,
                   lsc_error *err)
{
    if (!strcmp(key, "optimizer")) {
        if (x->nruns == LSC_TRAJ_MAX_RUNS) {
            lsc_error_set(err, LSC_EINVAL, "optimizer: at most %d runs in an experiment",
                          LSC_TRAJ_MAX_RUNS);
            return fail(x, key, x->nruns, LSC_EINVAL);
        }
        if (x->nruns == x->runs_cap) {
            int cap = x->runs_cap ? 2 * x->runs_cap : 8;
            run_spec *runs = realloc(x->runs, (size_t)cap * sizeof *runs);
            if (!runs) {
                lsc_error_set(err, LSC_ENOMEM, "out of memory");
                return LSC_ENOMEM;
            }
            x->runs = runs;
            x->runs_cap = cap;
        }
        run_spec *r = &x->runs[x->nruns];
        if (copy_text(x, r->spec, key, value, err) != LSC_OK)
            return fail(x, key, x->nruns, LSC_EINVAL);
        r->group = g;
        x->nruns++;
        return LSC_OK;
    }
    if (g > 0) {
        lsc_error_set(err, LSC_EINVAL, "%s: set for the whole experiment, not for a group of "
                      "runs", key);
        return fail(x, key, g, LSC_EINVAL);
    }
    if (!strcmp(key, "landscape")) {
        if (copy_text(x, x->landscape, key, value, err) != LSC_OK)
            return LSC_EINVAL;
        x->user_landscape = NULL;
        return LSC_OK;
    }
    if (!strcmp(key, "data") || !strcmp(key, "target") || !strcmp(key, "holdout"))
        return set_data(x, key, value, err);
    if (!strcmp(key, "init")) { /* a scheme, checked now; applied when prepared */
        lsc_init_scheme I;
        if (lsc_init_parse(&I, value, "init", err) != LSC_OK)
            return fail(x, key, 0, LSC_EINVAL);
        return copy_text(x, x->init, key, value, err);
    }
    if (!strcmp(key, "runs")) {
        long k;
        if (lsc_parse_long(value, &k) != LSC_OK || k < 1 || k > RUNS_MAX) {
            lsc_error_set(err, LSC_EINVAL, "runs: '%.200s' is not allowed (expected the "
                          "number of runs per optimizer, an integer from 1 to %d)", value,
                          RUNS_MAX);
            return fail(x, key, 0, LSC_EINVAL);
        }
        x->runs_key = k;
        return LSC_OK;
    }
    if (!strcmp(key, "threads")) {
        long k;
        if (lsc_parse_long(value, &k) != LSC_OK || k < 0 || k > THREADS_MAX) {
            lsc_error_set(err, LSC_EINVAL, "threads: '%.200s' is not allowed (expected the "
                          "number of threads, an integer from 1 to %d, or 0 for every core)",
                          value, THREADS_MAX);
            return fail(x, key, 0, LSC_EINVAL);
        }
        x->threads_key = k;
        return LSC_OK;
    }
    if (!strcmp(key, "dim")) {
        long d;
        if (lsc_parse_long(value, &d) != LSC_OK || d < 1 || d > LSC_MAX_DIM) {
            lsc_error_set(err, LSC_EINVAL, "dim: '%.200s' is not allowed (expected an integer "
                          "from 1 to %d, in decimal: 500, 2e4)", value, LSC_MAX_DIM);
            return fail(x, key, 0, LSC_EINVAL);
        }
        x->dim = (int)d; /* range-checked above: an int from here on */
        return LSC_OK;
    }
    /* start */
    if (check_start(x, value, err) != LSC_OK || copy_text(x, x->start, key, value, err))
        return LSC_EINVAL;
    free(x->given);
    x->given = NULL;
    x->ngiven = 0;
    return LSC_OK;
}

int lsc_experiment_set_in(lsc_experiment *x, int g, const char *key, const char *value,
                          lsc_error *err)
{
    x->err_key[0] = '\0';
    x->err_index = 0;
    if (!key || !value) {
        lsc_error_set(err, LSC_EINVAL, "experiment: a key and a value are needed");
        return LSC_EINVAL;
    }
    if (g < 0 || g >= x->ngroups) {
        lsc_error_set(err, LSC_EINVAL, "%s: no group %d (the experiment has %d)", key, g,
                      x->ngroups);
        return fail(x, key, g, LSC_EINVAL);
    }
    int kind = lsc_experiment_key(key);
    if (!kind) {
        const char *names[64];
        int nn = lsc_experiment_keys(names, 64, 0);
        const char *close = lsc_closest(key, names, nn < 64 ? nn : 64);
        lsc_error_set(err, LSC_EINVAL, "unknown key '%.100s'%s%s%s", key,
                      close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
        return fail(x, key, g, LSC_EINVAL);
    }
    unprepare(x); /* a changed setting: made again when next needed */
    const lsc_driver_option *o = lsc_driver_option_find(key);
    if (!o)
        return set_own(x, g, key, value, err);
    if (g > 0 && o->group == 0) {
        lsc_error_set(err, LSC_EINVAL, "%s: set for the whole experiment, not for a group of "
                      "runs", key);
        return fail(x, key, g, LSC_EINVAL);
    }
    group *G = &x->groups[g];
    if (lsc_driver_option_parse(o, value, 0, field_of(&G->v, o), err) != LSC_OK)
        return fail(x, key, g, LSC_EINVAL);
    G->set |= 1ULL << (o - lsc_driver_options);
    return LSC_OK;
}

int lsc_experiment_set(lsc_experiment *x, const char *key, const char *value, lsc_error *err)
{
    return lsc_experiment_set_in(x, 0, key, value, err);
}

int lsc_experiment_set_real(lsc_experiment *x, int g, const char *key, double value,
                            lsc_error *err)
{
    char b[32];
    return lsc_experiment_set_in(x, g, key, lsc_fmt_double(b, value), err);
}

int lsc_experiment_group(lsc_experiment *x, const char *name, lsc_error *err)
{
    if (x->ngroups == LSC_EXPERIMENT_MAX_GROUPS) {
        lsc_error_set(err, LSC_EINVAL, "at most %d groups of runs",
                      LSC_EXPERIMENT_MAX_GROUPS - 1);
        return LSC_EINVAL;
    }
    group *gs = realloc(x->groups, (size_t)(x->ngroups + 1) * sizeof *gs);
    if (!gs) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    x->groups = gs;
    group *G = &gs[x->ngroups];
    memset(G, 0, sizeof *G);
    G->v = gs[0].v;
    snprintf(G->name, sizeof G->name, "%s", name ? name : "");
    unprepare(x);
    return x->ngroups++;
}

int lsc_experiment_use_landscape(lsc_experiment *x, const lsc_landscape *L, lsc_error *err)
{
    if (!L || L->n < 1) {
        lsc_error_set(err, LSC_EINVAL, "landscape: none given");
        return fail(x, "landscape", 0, LSC_EINVAL);
    }
    unprepare(x);
    x->user_landscape = L;
    x->landscape[0] = '\0';
    return LSC_OK;
}

int lsc_experiment_set_start(lsc_experiment *x, const double *x0, int n, lsc_error *err)
{
    double *v = n > 0 ? malloc((size_t)n * sizeof *v) : NULL;
    if (!v) {
        lsc_error_set(err, n > 0 ? LSC_ENOMEM : LSC_EINVAL, n > 0 ? "out of memory"
                                                                  : "start: no coordinates");
        return fail(x, "start", 0, n > 0 ? LSC_ENOMEM : LSC_EINVAL);
    }
    for (int j = 0; j < n; j++)
        if (!isfinite(x0[j])) {
            free(v);
            lsc_error_set(err, LSC_EINVAL, "start: coordinate %d is not finite", j + 1);
            return fail(x, "start", 0, LSC_EINVAL);
        }
    memcpy(v, x0, (size_t)n * sizeof *v);
    unprepare(x);
    free(x->given);
    x->given = v;
    x->ngiven = n;
    x->start[0] = '\0';
    return LSC_OK;
}

int lsc_experiment_get(const lsc_experiment *x, int g, const char *key, char *buf, size_t len)
{
    if (g < 0 || g >= x->ngroups || !lsc_experiment_key(key))
        return LSC_EINVAL;
    const lsc_driver_option *o = lsc_driver_option_find(key);
    if (o) {
        const void *v = value_in(x, g, o);
        if (o->type == LSC_DRIVER_POSITIONS && *(const int *)v == LSC_POSITIONS_AUTO)
            snprintf(buf, len, "%s", "");
        else
            lsc_driver_option_format(o, v, x->prepared ? x->L->n : 0, buf, len);
    } else if (!strcmp(key, "landscape")) {
        snprintf(buf, len, "%s", x->landscape);
    } else if (!strcmp(key, "dim")) {
        snprintf(buf, len, "%d", x->dim);
    } else if (!strcmp(key, "start")) {
        snprintf(buf, len, "%s", x->start);
    } else if (!strcmp(key, "data") || !strcmp(key, "target")) {
        snprintf(buf, len, "%s", key[0] == 'd' ? x->data : x->target);
    } else if (!strcmp(key, "init")) {
        snprintf(buf, len, "%s", x->init);
    } else if (!strcmp(key, "runs")) {
        snprintf(buf, len, "%ld", x->runs_key ? x->runs_key : 1L);
    } else if (!strcmp(key, "threads")) {
        snprintf(buf, len, "%ld", x->threads_key > 0 ? x->threads_key : 0L);
    } else if (!strcmp(key, "holdout")) {
        char b[32];
        snprintf(buf, len, "%s", lsc_fmt_double(b, x->holdout));
    } else { /* optimizer: the specs of the group's runs, one per line */
        size_t w = 0;
        buf[0] = '\0';
        for (int i = 0; i < x->nruns; i++)
            if (x->runs[i].group == g && w < len) {
                int k = snprintf(buf + w, len - w, "%s%s", w ? "\n" : "", x->runs[i].spec);
                w += k > 0 ? (size_t)k : 0;
            }
    }
    return LSC_OK;
}

int lsc_experiment_is_set(const lsc_experiment *x, int g, const char *key)
{
    if (g < 0 || g >= x->ngroups)
        return 0;
    const lsc_driver_option *o = lsc_driver_option_find(key);
    if (o)
        return (int)(x->groups[g].set >> (o - lsc_driver_options) & 1);
    if (g > 0)
        return 0;
    if (!strcmp(key, "landscape"))
        return x->landscape[0] || x->user_landscape;
    if (!strcmp(key, "dim"))
        return x->dim > 0;
    if (!strcmp(key, "start"))
        return x->start[0] || x->given;
    if (!strcmp(key, "data") || !strcmp(key, "target"))
        return (key[0] == 'd' ? x->data : x->target)[0] != '\0';
    if (!strcmp(key, "holdout"))
        return x->holdout > 0;
    if (!strcmp(key, "init"))
        return x->init[0] != '\0';
    if (!strcmp(key, "runs"))
        return x->runs_key > 0;
    if (!strcmp(key, "threads"))
        return x->threads_key >= 0;
    return !strcmp(key, "optimizer") && x->nruns > 0;
}

void lsc_experiment_set_progress(lsc_experiment *x,
                                 void (*progress)(void *user, int run, long done, long steps),
                                 void *user)
{
    x->progress = progress;
    x->progress_user = user;
    for (int i = 0; x->ro && i < x->nruns; i++) {
        x->ro[i].progress = progress;
        x->ro[i].progress_user = user;
    }
}

const char *lsc_experiment_error_key(const lsc_experiment *x, int *index)
{
    if (index)
        *index = x->err_index;
    return x->err_key;
}

/* ---- preparing: landscape, start, optimizers, schedules --------------------------------- */

static int make_landscape(lsc_experiment *x, lsc_error *err)
{
    if (x->user_landscape) {
        if (x->data[0]) {
            lsc_error_set(err, LSC_EINVAL, "data: the experiment's landscape was made by the "
                          "caller, who gives a model its data (lsc_landscape_new_with_data)");
            return fail(x, "data", 0, LSC_EINVAL);
        }
        x->L = x->user_landscape;
        if (x->dim && x->dim != x->L->n) {
            lsc_error_set(err, LSC_EINVAL, "dim: %d given, but the landscape has %d "
                          "dimensions", x->dim, x->L->n);
            return fail(x, "dim", 0, LSC_EINVAL);
        }
        if (x->groups[0].v.box[0]) { /* the caller's landscape is not ours to change */
            lsc_error_set(err, LSC_EINVAL, "box: the landscape was given by the program "
                          "(lsc_experiment_use_landscape): set its box with "
                          "lsc_landscape_set_box");
            return fail(x, "box", 0, LSC_EINVAL);
        }
        return LSC_OK;
    }
    if (!x->landscape[0]) {
        lsc_error_set(err, LSC_EINVAL, "landscape: none given (a spec such as rosenbrock or "
                      "quadratic:kappa=100)");
        return fail(x, "landscape", 0, LSC_EINVAL);
    }
    if ((x->target[0] || x->holdout > 0) && !x->data[0]) {
        lsc_error_set(err, LSC_EINVAL, "%s: only with a data set (the data key)",
                      x->target[0] ? "target" : "holdout");
        return fail(x, x->target[0] ? "target" : "holdout", 0, LSC_EINVAL);
    }
    /* a model over data makes its data set from (data, target, holdout, seed) */
    x->own_landscape = x->data[0] ? lsc_landscape_load_model(x->landscape, x->dim, x->data,
                                                             x->target, x->holdout,
                                                             x->groups[0].v.seed, "landscape",
                                                             err)
                                  : lsc_landscape_new(x->landscape, x->dim, "landscape",
                                                      err);
    if (!x->own_landscape) { /* the key the message is about: dim, data, ... or landscape */
        static const char *const keys[] = {"dim", "data", "target", "holdout"};
        const char *key = "landscape";
        for (int k = 0; err && k < LSC_COUNTOF(keys); k++)
            if (!strncmp(err->msg, keys[k], strlen(keys[k])) &&
                err->msg[strlen(keys[k])] == ':')
                key = keys[k];
        return fail(x, key, 0, err && err->code ? err->code : LSC_EINVAL);
    }
    x->L = x->own_landscape;
    /* the box key: checked against the dimension now, and set on the landscape (its
     * random starts, the basins grid and, for expr, the critical points searched) */
    const char *box = x->groups[0].v.box;
    if (box[0] && lsc_landscape_set_box_text(x->own_landscape, box, err) != LSC_OK)
        return fail(x, "box", 0, err && err->code ? err->code : LSC_EINVAL);
    return LSC_OK;
}

/* Positions: as set (first:K checked against n now), else all for n <= 64, else none. */
static int resolve_positions(lsc_experiment *x, lsc_error *err)
{
    const int n = x->L->n, k = x->groups[0].v.npos;
    if (k == LSC_POSITIONS_AUTO)
        x->npos = n <= 64 ? n : 0;
    else if (k == LSC_POSITIONS_ALL)
        x->npos = n;
    else if (k <= n)
        x->npos = k;
    else {
        char text[32];
        snprintf(text, sizeof text, "first:%d", k);
        return lsc_driver_option_parse(lsc_driver_option_find("positions"), text, n, &x->npos,
                                       err) == LSC_OK
                   ? LSC_OK
                   : fail(x, "positions", 0, LSC_EINVAL);
    }
    return LSC_OK;
}

/* start = X1,...,Xn: the messages say what is wrong with the list */
static int start_numbers(lsc_experiment *x, const char *v, lsc_error *err)
{
    const lsc_landscape *L = x->L;
    const int n = L->n;
    int k = lsc_parse_list(v, ',', x->x0, n);
    if (k < 0) {
        int commas = 0; /* count the entries to say what was wrong */
        for (const char *p = v; *p; p++)
            commas += *p == ',';
        if (commas + 1 > n)
            lsc_error_set(err, LSC_EINVAL, "start: %d coordinates given, landscape '%s' has "
                          "dimension %d", commas + 1, L->type->name, n);
        else
            lsc_error_set(err, LSC_EINVAL, "start: '%.200s' is not allowed (expected %d "
                          "numbers separated by ',')", v, n);
        return fail(x, "start", 0, LSC_EINVAL);
    }
    if (k != n) {
        lsc_error_set(err, LSC_EINVAL, "start: %d coordinate%s given, landscape '%s' has "
                      "dimension %d", k, k == 1 ? "" : "s", L->type->name, n);
        return fail(x, "start", 0, LSC_EINVAL);
    }
    for (int j = 0; j < n; j++)
        if (!isfinite(x->x0[j])) {
            lsc_error_set(err, LSC_EINVAL, "start: coordinate %d is not finite", j + 1);
            return fail(x, "start", 0, LSC_EINVAL);
        }
    x->desc.kind = LSC_START_GIVEN;
    x->desc.checksum = lsc_start_checksum(x->x0, n);
    return LSC_OK;
}

/* Start j of a random set: uniform in the landscape's box (x->lo, x->hi), retried (up to
 * 1000 times) until inside its domain. The generator is (seed, ~0 - j) (streams.h): no
 * run's own, so a run's noise does not depend on its start, and start 0 is the one start
 * = random has always drawn. */
static int draw_random(const lsc_experiment *x, int j, double *out)
{
    const int n = x->L->n;
    gsl_rng *rng = lsc_rng_for_run(x->groups[0].v.seed, ~0ULL - (unsigned long long)j);
    if (!rng)
        return LSC_ENOMEM;
    int tries = 0;
    do {
        for (int i = 0; i < n; i++)
            out[i] = x->lo[i] + (x->hi[i] - x->lo[i]) * gsl_rng_uniform(rng);
    } while (!lsc_landscape_in_domain(x->L, out) && ++tries < 1000);
    gsl_rng_free(rng);
    return LSC_OK;
}

/* Start j of a ball set: uniform in the n-ball of radius R around the centre, from the
 * generator (seed, ~0 - j): a direction u = z/|z| with z ~ N(0, I) (uniform on the sphere,
 * as the Gaussian is isotropic) and a radius r = R U^(1/n), U ~ U(0, 1] (P(r <= s) =
 * (s/R)^n, the volume fraction) (Muller 1959; Devroye 1986, ch. 5.4); retried (up to 1000
 * times) until inside the landscape's domain. */
static int draw_ball(const lsc_experiment *x, int j, double *out)
{
    const int n = x->L->n;
    gsl_rng *rng = lsc_rng_for_run(x->groups[0].v.seed, ~0ULL - (unsigned long long)j);
    if (!rng)
        return LSC_ENOMEM;
    int tries = 0;
    do {
        double z2 = 0;
        do {
            z2 = 0;
            for (int i = 0; i < n; i++) {
                out[i] = gsl_ran_ugaussian(rng);
                z2 += out[i] * out[i];
            }
        } while (!(z2 > 0));
        const double r = x->radius * pow(gsl_rng_uniform_pos(rng), 1.0 / n) / sqrt(z2);
        for (int i = 0; i < n; i++)
            out[i] = x->centre[i] + r * out[i];
    } while (!lsc_landscape_in_domain(x->L, out) && ++tries < 1000);
    gsl_rng_free(rng);
    return LSC_OK;
}

/* start = random: the set of K starts in the box (start 0 into x0). */
static int start_random(lsc_experiment *x, lsc_error *err)
{
    const int n = x->L->n;
    x->lo = malloc((size_t)n * sizeof *x->lo);
    x->hi = malloc((size_t)n * sizeof *x->hi);
    if (x->lo && x->hi)
        lsc_landscape_box(x->L, x->lo, x->hi);
    if (!x->lo || !x->hi || draw_random(x, 0, x->x0) != LSC_OK) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for a random start in %d dimensions", n);
        return LSC_ENOMEM;
    }
    x->set = SET_RANDOM;
    x->desc.kind = LSC_START_RANDOM;
    x->desc.seed = x->groups[0].v.seed;
    return LSC_OK;
}

/* One line of fp into buf (cap bytes, without its '\n' and a final '\r'): 1, 0 at the end,
 * -1 longer than cap - 1 bytes, -2 a NUL byte (binary data). *total counts the bytes. */
static int next_line(FILE *fp, char *buf, size_t cap, size_t *total)
{
    size_t len = 0;
    int c = EOF;
    while ((c = getc(fp)) != EOF && c != '\n') {
        ++*total;
        if (c == '\0')
            return -2;
        if (len + 1 == cap)
            return -1;
        buf[len++] = (char)c;
    }
    if (c == EOF && len == 0)
        return 0;
    *total += c == '\n';
    if (len && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    return 1;
}

/* A row of numbers separated by blanks, commas or both ("1.5  -2", "1, 2") as "1.5,-2". */
static void commas_for_blanks(char *s)
{
    char *w = s;
    int gap = 0;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t') {
            gap = w > s;
            continue;
        }
        if (gap && *r != ',' && w[-1] != ',')
            *w++ = ',';
        gap = 0;
        *w++ = *r;
    }
    *w = '\0';
}

/* The numbers of a start file: vals (grown as read), how many, on how many lines, whether
 * every line held exactly n, and the first line where the count passed n. */
typedef struct {
    double *vals;
    size_t got, cap;
    long lines, over_line;
    int all_n;
} file_numbers;

/* Parse one line's numbers (commas or blanks) onto f: LSC_OK, LSC_EINVAL (not finite
 * numbers), LSC_ENOMEM. */
static int line_numbers(file_numbers *f, char *line, int n, long lineno)
{
    commas_for_blanks(line);
    int k = 1;
    for (const char *c = line; *c; c++)
        k += *c == ',';
    if (f->got + (size_t)k > f->cap) {
        size_t cap = f->cap ? 2 * f->cap : (size_t)(n > 16 ? n : 16);
        while (cap < f->got + (size_t)k)
            cap *= 2;
        double *v = realloc(f->vals, cap * sizeof *v);
        if (!v)
            return LSC_ENOMEM;
        f->vals = v;
        f->cap = cap;
    }
    if (lsc_parse_list(line, ',', f->vals + f->got, k) != k)
        return LSC_EINVAL;
    for (int j = 0; j < k; j++)
        if (!isfinite(f->vals[f->got + j]))
            return LSC_EINVAL;
    f->got += (size_t)k;
    f->lines++;
    f->all_n &= k == n;
    if (!f->over_line && f->got > (size_t)n)
        f->over_line = lineno;
    return LSC_OK;
}

/* start = file:PATH or @PATH: one start of n finite numbers, one or more a line separated by
 * ',' or blanks (a column, or one row), or a set of starts, n numbers on every line (K =
 * the lines); '#' lines and empty lines are skipped. Lines are at most 64 KiB and the file
 * at most 16 MiB plus 64 bytes per coordinate, so /dev/zero or an endless pipe fails at
 * once. */
static int start_file(lsc_experiment *x, const char *path, lsc_error *err)
{
    const int n = x->L->n;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        lsc_error_set(err, LSC_EINVAL, "start: '%s' is a directory (a file of numbers is "
                      "expected)", path);
        return fail(x, "start", 0, LSC_EINVAL);
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        lsc_error_set(err, LSC_EINVAL, "start: cannot read '%s': %s", path, strerror(errno));
        return fail(x, "start", 0, LSC_EINVAL);
    }
    enum { LINE = 1 << 16 };
    const size_t max_total = ((size_t)16 << 20) + 64 * (size_t)n;
    char *line = malloc(LINE + 1);
    file_numbers f = {.all_n = 1};
    int rc = line ? LSC_OK : LSC_ENOMEM, k;
    long lineno = 0;
    size_t total = 0;
    while (rc == LSC_OK && (k = next_line(fp, line, LINE + 1, &total)) != 0) {
        lineno++;
        if (k < 0 || total > max_total) {
            lsc_error_set(err, LSC_EINVAL, "start: '%s' line %ld: %s", path, lineno,
                          k == -2 ? "not a file of numbers (a NUL byte: binary data)"
                          : k == -1 ? "longer than 64 KiB"
                                    : "more than 16 MiB of starts");
            rc = LSC_EINVAL;
            break;
        }
        if (!line[0] || line[0] == '#')
            continue;
        if ((rc = line_numbers(&f, line, n, lineno)) == LSC_EINVAL)
            lsc_error_set(err, LSC_EINVAL, "start: '%s' line %ld: not finite numbers separated "
                          "by ','", path, lineno);
    }
    if (rc == LSC_ENOMEM)
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
    if (rc == LSC_OK && ferror(fp)) {
        lsc_error_set(err, LSC_EINVAL, "start: cannot read '%s': %s", path, strerror(errno));
        rc = LSC_EINVAL;
    }
    const int set = f.got != (size_t)n && f.all_n && f.lines > 1; /* K starts, one a line */
    if (rc == LSC_OK && set && f.lines > RUNS_MAX) {
        lsc_error_set(err, LSC_EINVAL, "start: '%s' has %ld starts (at most %d)", path,
                      f.lines, RUNS_MAX);
        rc = LSC_EINVAL;
    } else if (rc == LSC_OK && !set && f.got > (size_t)n) {
        lsc_error_set(err, LSC_EINVAL, "start: '%s' line %ld: more numbers than the "
                      "landscape's dimension (%d numbers: one start; a set of starts: %d on "
                      "every line)", path, f.over_line, n, n);
        rc = LSC_EINVAL;
    } else if (rc == LSC_OK && !set && f.got != (size_t)n) {
        lsc_error_set(err, LSC_EINVAL, "start: '%s' has %zu numbers, landscape '%s' has "
                      "dimension %d", path, f.got, x->L->type->name, n);
        rc = LSC_EINVAL;
    }
    fclose(fp);
    free(line);
    if (rc != LSC_OK) {
        free(f.vals);
        return fail(x, "start", 0, rc);
    }
    memcpy(x->x0, f.vals, (size_t)n * sizeof *x->x0);
    if (set) {
        x->set = SET_FILE;
        x->starts = f.vals;
        x->nfile = (int)f.lines;
    } else {
        free(f.vals);
    }
    x->desc.kind = LSC_START_FILE;
    x->desc.checksum = lsc_start_checksum(x->x0, n);
    snprintf(x->desc.path, sizeof x->desc.path, "%s", path);
    return LSC_OK;
}

/* start = ball:X1,...,Xn:R — the centre and the radius. */
static int start_ball(lsc_experiment *x, const char *v, lsc_error *err)
{
    const int n = x->L->n;
    const char *colon = strrchr(v, ':');
    char list[LSC_VALUE_MAX];
    double R;
    int k = -1;
    x->centre = malloc((size_t)n * sizeof *x->centre);
    if (!x->centre) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    if (colon > v + 5) {
        snprintf(list, sizeof list, "%.*s", (int)(colon - v - 5), v + 5);
        k = lsc_parse_list(list, ',', x->centre, n);
    }
    for (int j = 0; j < k; j++)
        if (!isfinite(x->centre[j]))
            k = -1;
    if (k != n || lsc_parse_double(colon + 1, &R) != LSC_OK || !(R > 0 && R <= 1e12)) {
        lsc_error_set(err, LSC_EINVAL, "start: '%.200s' is not allowed (expected ball:X1,...,"
                      "Xn:R with the %d finite numbers of the centre of landscape '%s' and a "
                      "radius R > 0 and <= 1e12)", v, n, x->L->type->name);
        return fail(x, "start", 0, LSC_EINVAL);
    }
    x->radius = R;
    x->set = SET_BALL;
    if (draw_ball(x, 0, x->x0) != LSC_OK) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    x->desc.kind = LSC_START_GIVEN;
    x->desc.checksum = lsc_start_checksum(x->x0, n);
    return LSC_OK;
}

/* start = grid:NX,NY — the cell centres of a 2-D landscape's box (x->lo, x->hi). */
static int start_grid(lsc_experiment *x, const char *v, lsc_error *err)
{
    const int n = x->L->n;
    if (n != 2) {
        lsc_error_set(err, LSC_EINVAL, "start: '%.200s' is for a 2-D landscape; '%s' has "
                      "dimension %d (use random or ball:X1,...,Xn:R)", v, x->L->type->name, n);
        return fail(x, "start", 0, LSC_EINVAL);
    }
    x->lo = malloc(2 * sizeof *x->lo);
    x->hi = malloc(2 * sizeof *x->hi);
    if (!x->lo || !x->hi) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    lsc_landscape_box(x->L, x->lo, x->hi);
    x->set = SET_GRID;
    start_of(x, 0, x->x0);
    x->desc.kind = LSC_START_GIVEN;
    x->desc.checksum = lsc_start_checksum(x->x0, n);
    return LSC_OK;
}

/* init = SCHEME: drawn with the generator (seed, LSC_INIT_STREAM), no run's own. */
static int start_init(lsc_experiment *x, lsc_error *err)
{
    if (x->start[0] || x->given) {
        lsc_error_set(err, LSC_EINVAL, "init: '%s' and a start (%s) exclude each other: the "
                      "scheme makes the start", x->init, x->start[0] ? x->start : "given");
        return fail(x, "init", 0, LSC_EINVAL);
    }
    lsc_init_scheme I;
    if (lsc_init_parse(&I, x->init, "init", err) != LSC_OK)
        return fail(x, "init", 0, LSC_EINVAL);
    const unsigned long long seed = x->groups[0].v.seed;
    gsl_rng *r = lsc_rng_for_run(seed, LSC_INIT_STREAM);
    if (!r) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int rc = lsc_init_apply(&I, x->L, r, x->x0, err);
    gsl_rng_free(r);
    if (rc != LSC_OK)
        return fail(x, "init", 0, rc);
    x->desc.kind = LSC_START_INIT;
    x->desc.seed = seed;
    lsc_init_describe(&I, x->desc.path, sizeof x->desc.path);
    return LSC_OK;
}

/* Start j of the set into out (n numbers). */
static int start_of(const lsc_experiment *x, int j, double *out)
{
    const size_t bytes = (size_t)x->L->n * sizeof *out;
    switch (x->set) {
    case SET_RANDOM:
        return j == 0 ? (memcpy(out, x->x0, bytes), LSC_OK) : draw_random(x, j, out);
    case SET_BALL:
        return j == 0 ? (memcpy(out, x->x0, bytes), LSC_OK) : draw_ball(x, j, out);
    case SET_GRID: /* the centre of cell (ix, iy), j = iy NX + ix */
        for (int a = 0; a < 2; a++) {
            const int i = a == 0 ? j % x->grid[0] : j / x->grid[0];
            out[a] = x->lo[a] + (i + 0.5) * (x->hi[a] - x->lo[a]) / x->grid[a];
        }
        return LSC_OK;
    case SET_FILE:
        memcpy(out, x->starts + (size_t)j * (size_t)x->L->n, bytes);
        return LSC_OK;
    default:
        memcpy(out, x->x0, bytes);
        return LSC_OK;
    }
}

/* K, the starts of the set (the runs key, or what the set implies: a grid, a file of
 * starts), and every start inside the landscape's domain, before any run. */
static int check_starts(lsc_experiment *x, lsc_error *err)
{
    const lsc_landscape *L = x->L;
    const int implied = x->set == SET_GRID ? x->grid[0] * x->grid[1]
                        : x->set == SET_FILE ? x->nfile : 0;
    if (implied && x->runs_key > 0 && x->runs_key != implied) {
        lsc_error_set(err, LSC_EINVAL, "runs: %ld given, but the start set has %d starts (a "
                      "grid or a file of starts sets the number of runs itself)", x->runs_key,
                      implied);
        return fail(x, "runs", 0, LSC_EINVAL);
    }
    x->nstarts = implied ? implied : x->runs_key > 0 ? (int)x->runs_key : 1;
    if ((long)x->nstarts * x->nruns > TOTAL_RUNS_MAX) {
        lsc_error_set(err, LSC_EINVAL, "runs: %d runs of %d optimizers are more than %ld runs "
                      "in all", x->nstarts, x->nruns, TOTAL_RUNS_MAX);
        return fail(x, "runs", 0, LSC_EINVAL);
    }
    if (x->set == SET_ONE || x->nstarts == 1)
        return LSC_OK;
    double *v = malloc((size_t)L->n * sizeof *v);
    int rc = v ? LSC_OK : LSC_ENOMEM;
    for (int j = 1; rc == LSC_OK && j < x->nstarts; j++) {
        rc = start_of(x, j, v);
        if (rc == LSC_OK && !lsc_landscape_in_domain(L, v)) {
            lsc_error_set(err, LSC_EINVAL, "start: start %d of the set is outside the domain "
                          "of landscape '%s'", j, L->type->name);
            rc = fail(x, "start", 0, LSC_EINVAL);
        }
    }
    if (rc == LSC_ENOMEM)
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
    free(v);
    return rc;
}

static int make_start(lsc_experiment *x, lsc_error *err)
{
    const lsc_landscape *L = x->L;
    const int n = L->n;
    memset(&x->desc, 0, sizeof x->desc);
    if (!(x->x0 = malloc((size_t)n * sizeof *x->x0))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    const char *v = x->start;
    int rc;
    if (x->init[0]) {
        rc = start_init(x, err);
    } else if (x->given) {
        if (x->ngiven != n) {
            lsc_error_set(err, LSC_EINVAL, "start: %d coordinate%s given, landscape '%s' has "
                          "dimension %d", x->ngiven, x->ngiven == 1 ? "" : "s", L->type->name,
                          n);
            return fail(x, "start", 0, LSC_EINVAL);
        }
        memcpy(x->x0, x->given, (size_t)n * sizeof *x->x0);
        x->desc.kind = LSC_START_GIVEN;
        x->desc.checksum = lsc_start_checksum(x->x0, n);
        rc = LSC_OK;
    } else if (!strcmp(v, "random") || (!v[0] && lsc_landscape_nstarts(L) == 0)) {
        rc = start_random(x, err); /* the default for a landscape without standard starts */
    } else if (!v[0] || !strncmp(v, "standard", 8)) {
        long k = 0;
        if (v[0] && v[8] == ':')
            lsc_parse_long(v + 9, &k);
        else if (v[0] && v[8]) /* "standardx": not a form of start */
            return start_numbers(x, v, err);
        if (k >= lsc_landscape_nstarts(L)) {
            lsc_error_set(err, LSC_EINVAL, "start: '%s' is not allowed (landscape '%s' has %d "
                          "standard start%s)", v, L->type->name, lsc_landscape_nstarts(L),
                          lsc_landscape_nstarts(L) == 1 ? "" : "s");
            return fail(x, "start", 0, LSC_EINVAL);
        }
        lsc_landscape_start(L, (int)k, x->x0);
        x->desc.kind = LSC_START_STANDARD;
        x->desc.index = (int)k;
        rc = LSC_OK;
    } else if (!strncmp(v, "file:", 5) || v[0] == '@') {
        rc = start_file(x, v + (v[0] == '@' ? 1 : 5), err);
    } else if (!strncmp(v, "ball:", 5)) {
        rc = start_ball(x, v, err);
    } else if (!strncmp(v, "grid:", 5)) {
        sscanf(v + 5, "%d,%d", &x->grid[0], &x->grid[1]); /* checked when set */
        rc = start_grid(x, v, err);
    } else {
        rc = start_numbers(x, v, err);
    }
    if (rc == LSC_OK && !lsc_landscape_in_domain(L, x->x0)) {
        lsc_error_set(err, LSC_EINVAL, "start: the start point is outside the domain of "
                      "landscape '%s'", L->type->name);
        return fail(x, "start", 0, LSC_EINVAL);
    }
    return rc == LSC_OK ? check_starts(x, err) : rc;
}

/* The driver options of a run of group g with schedule s: each field from the table's
 * values of the group (group 0's where the table says a group may not have its own). */
static lsc_run_opts run_opts_of(const lsc_experiment *x, int g, lsc_schedule *s)
{
    const double stop_loss = real_in(x, 0, "stop_loss"); /* NaN: off */
    return (lsc_run_opts){.landscape = x->L, .schedule = s, .steps = count_in(x, "steps"),
                          .stop_grad = real_in(x, 0, "stop_grad"),
                          .stop_loss = isnan(stop_loss) ? 0 : stop_loss,
                          .stop_loss_on = !isnan(stop_loss),
                          .stop_dist = real_in(x, 0, "stop_dist"),
                          .escape = real_in(x, 0, "escape"),
                          .clip_norm = real_in(x, g, "clip_norm"),
                          .clip_value = real_in(x, g, "clip_value"),
                          .noise = real_in(x, g, "noise"), .seed = x->groups[0].v.seed,
                          .every = count_in(x, "every"),
                          .batch_size = count_in(x, "batch_size"),
                          .sampling = (lsc_sampling)x->groups[0].v.sampling,
                          .drop_last = x->groups[0].v.drop_last};
}

/* Run i's optimizer, schedule and driver options. */
static int make_run(lsc_experiment *x, int i, lsc_error *err)
{
    const lsc_landscape *L = x->L;
    const int g = x->runs[i].group;
    x->opt[i] = lsc_optim_new(x->runs[i].spec, L->n, "optimizer", err);
    if (!x->opt[i])
        return fail(x, "optimizer", i, err && err->code ? err->code : LSC_EINVAL);
    if ((x->opt[i]->type->flags & LSC_OPTIM_NEEDS_HESSIAN) && !lsc_landscape_has_hessian(L)) {
        lsc_error_set(err, LSC_EINVAL, "optimizer: '%s' needs a Hessian and landscape '%s' "
                      "has none (use a first-order optimizer)", x->opt[i]->type->name,
                      L->type->name);
        return fail(x, "optimizer", i, LSC_EINVAL);
    }
    const char *spec = spec_in(x, g, "schedule");
    const int own = g > 0 && (x->groups[g].set >> (lsc_driver_option_find("schedule") -
                                                   lsc_driver_options) & 1);
    if (spec[0] && !(x->sched[i] = lsc_schedule_new(spec, "schedule", err)))
        return fail(x, "schedule", own ? g : 0, err && err->code ? err->code : LSC_EINVAL);
    x->ro[i] = run_opts_of(x, g, x->sched[i]);
    x->ro[i].progress = x->progress;
    x->ro[i].progress_user = x->progress_user;
    return LSC_OK;
}

/* dist to the nearest known minimum: for landscapes too large to store positions */
static int want_dist(const lsc_experiment *x, lsc_error *err)
{
    const lsc_landscape *L = x->L;
    if (!(L->n > 64 && x->npos < L->n))
        return 0;
    double *xb = malloc((size_t)L->n * sizeof *xb);
    if (!xb) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int has = 0;
    for (int k = 0; k < lsc_landscape_ncritical(L) && !has; k++) {
        lsc_critical cp = {.x = xb};
        lsc_landscape_critical(L, k, &cp);
        has = cp.kind == LSC_CP_MIN;
    }
    free(xb);
    return has;
}

/* The mini-batch options (the table's LSC_DRIVER_DATA rows): refused on a landscape
 * without data; with epochs, the step budget from the epochs (sampler.h). */
static int check_minibatch(lsc_experiment *x, lsc_error *err)
{
    lsc_trajectory *v = &x->groups[0].v;
    const lsc_model *M = lsc_landscape_model(x->L);
    for (int k = 0; k < lsc_driver_noptions && !M; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        char b[LSC_VALUE_MAX];
        if (!(o->flags & LSC_DRIVER_DATA) ||
            !strcmp(lsc_driver_option_format(o, cfield_of(v, o), 0, b, sizeof b), o->def))
            continue;
        lsc_error_set(err, LSC_EINVAL, "%s: '%s' is for a model over data (linreg, logreg, "
                      "softmax or mlp with a data set); landscape '%s' has no examples",
                      o->name, b, x->L->type->name);
        return fail(x, o->name, 0, LSC_EINVAL);
    }
    if (!M)
        return LSC_OK;
    const long N = M->train->n, B = v->batch_size ? v->batch_size : N;
    if (v->drop_last && B > N) {
        lsc_error_set(err, LSC_EINVAL, "batch_size: %ld is larger than the %ld training "
                      "examples, and drop_last would drop every batch", B, N);
        return fail(x, "batch_size", 0, LSC_EINVAL);
    }
    if (v->epochs == 0)
        return LSC_OK;
    if (lsc_experiment_is_set(x, 0, "steps")) {
        lsc_error_set(err, LSC_EINVAL, "epochs: the budget is given in steps or in epochs, "
                      "not both");
        return fail(x, "epochs", 0, LSC_EINVAL);
    }
    const long per = lsc_batches_per_epoch(N, B, v->drop_last);
    const double hi = lsc_driver_option_find("steps")->hi;
    if ((double)v->epochs * (double)per > hi) {
        lsc_error_set(err, LSC_EINVAL, "epochs: %ld epochs of %ld updates are more than the "
                      "%.0f steps a run may take", v->epochs, per, hi);
        return fail(x, "epochs", 0, LSC_EINVAL);
    }
    v->steps = v->epochs * per;
    return LSC_OK;
}

/* layer_stats: only on a landscape with layers (run.h, lsc_run_layers), and at most as
 * many as a trajectory's block holds. */
static int check_layer_stats(lsc_experiment *x, lsc_error *err)
{
    if (!x->groups[0].v.layer_stats)
        return LSC_OK;
    unsigned fams;
    const int nl = lsc_run_layers(x->L, &fams);
    if (nl == 0) {
        lsc_error_set(err, LSC_EINVAL, "layer_stats: landscape '%s' has no layers (allowed "
                      "on mlp, deep-linear, chain and rnn)", x->L->type->name);
        return fail(x, "layer_stats", 0, LSC_EINVAL);
    }
    if (nl > LSC_TRAJ_MAX_LAYERS) {
        lsc_error_set(err, LSC_EINVAL, "layer_stats: landscape '%s' has %d layers, more than "
                      "the %d a trajectory records", x->L->type->name, nl,
                      LSC_TRAJ_MAX_LAYERS);
        return fail(x, "layer_stats", 0, LSC_EINVAL);
    }
    return LSC_OK;
}

static int prepare(lsc_experiment *x, lsc_error *err)
{
    int rc = make_landscape(x, err);
    if (rc == LSC_OK)
        rc = check_minibatch(x, err);
    if (rc == LSC_OK)
        rc = check_layer_stats(x, err);
    if (rc == LSC_OK)
        rc = resolve_positions(x, err);
    if (rc == LSC_OK)
        rc = make_start(x, err);
    if (rc != LSC_OK)
        return rc;
    const int nr = x->nruns;
    x->opt = calloc((size_t)(nr ? nr : 1), sizeof *x->opt);
    x->sched = calloc((size_t)(nr ? nr : 1), sizeof *x->sched);
    x->ro = calloc((size_t)(nr ? nr : 1), sizeof *x->ro);
    if (!x->opt || !x->sched || !x->ro) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int i = 0; i < nr; i++)
        if ((rc = make_run(x, i, err)) != LSC_OK)
            return rc;
    /* group 0's schedule and options: the header's */
    const char *spec0 = spec_in(x, 0, "schedule");
    if (spec0[0] && !(x->sched0 = lsc_schedule_new(spec0, "schedule", err)))
        return fail(x, "schedule", 0, err && err->code ? err->code : LSC_EINVAL);
    if (x->sched0)
        lsc_schedule_describe(x->sched0, x->schedule0, sizeof x->schedule0);
    else
        snprintf(x->schedule0, sizeof x->schedule0, "constant");
    x->ro0 = run_opts_of(x, 0, x->sched0);
    x->has_dist = want_dist(x, err);
    return x->has_dist < 0 ? x->has_dist : LSC_OK;
}

int lsc_experiment_prepare(lsc_experiment *x, lsc_error *err)
{
    if (x->prepared)
        return LSC_OK;
    x->err_key[0] = '\0';
    x->err_index = 0;
    int rc = prepare(x, err);
    if (rc != LSC_OK) {
        unprepare(x);
        return rc;
    }
    x->prepared = 1;
    return LSC_OK;
}

/* ---- after preparing -------------------------------------------------------------------- */

const lsc_landscape *lsc_experiment_landscape(const lsc_experiment *x)
{
    return x->L;
}

/* K before preparing: what the runs key says (a grid or a file of starts says more once
 * prepared). */
static int starts_of(const lsc_experiment *x)
{
    return x->prepared ? x->nstarts : x->runs_key > 0 ? (int)x->runs_key : 1;
}

int lsc_experiment_nruns(const lsc_experiment *x)
{
    return x->nruns * starts_of(x);
}

int lsc_experiment_noptimizers(const lsc_experiment *x)
{
    return x->nruns;
}

int lsc_experiment_nstarts(const lsc_experiment *x)
{
    return starts_of(x);
}

int lsc_experiment_run_optimizer(const lsc_experiment *x, int run)
{
    return run >= 0 && run < lsc_experiment_nruns(x) ? run / starts_of(x) : -1;
}

int lsc_experiment_run_start(const lsc_experiment *x, int run)
{
    return run >= 0 && run < lsc_experiment_nruns(x) ? run % starts_of(x) : -1;
}

int lsc_experiment_optimizer_group(const lsc_experiment *x, int m)
{
    return m >= 0 && m < x->nruns ? x->runs[m].group : -1;
}

int lsc_experiment_start_of(const lsc_experiment *x, int j, double *out, lsc_error *err)
{
    if (!x->prepared || j < 0 || j >= x->nstarts) {
        lsc_error_set(err, LSC_EINVAL, "start: no start %d (the experiment %s)", j,
                      x->prepared ? "has fewer" : "is not prepared");
        return LSC_EINVAL;
    }
    if (start_of(x, j, out) != LSC_OK) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

int lsc_experiment_ngroups(const lsc_experiment *x)
{
    return x->ngroups;
}

int lsc_experiment_run_group(const lsc_experiment *x, int run)
{
    return lsc_experiment_optimizer_group(x, lsc_experiment_run_optimizer(x, run));
}

const char *lsc_experiment_optimizer(const lsc_experiment *x, int run)
{
    const int m = lsc_experiment_run_optimizer(x, run);
    return m >= 0 ? x->runs[m].spec : NULL;
}

int lsc_experiment_npos(const lsc_experiment *x)
{
    return x->npos;
}

unsigned long long lsc_experiment_columns(lsc_experiment *x)
{
    lsc_trajectory t; /* the header alone: no runs, nothing allocated */
    if (!x->prepared)
        return 0;
    make_header(x, &t);
    return t.cols;
}

int lsc_experiment_has_dist(const lsc_experiment *x)
{
    return x->has_dist;
}

unsigned long long lsc_experiment_seed(const lsc_experiment *x)
{
    return x->groups[0].v.seed;
}

const double *lsc_experiment_start(const lsc_experiment *x)
{
    return x->x0;
}

const lsc_start_desc *lsc_experiment_start_desc(const lsc_experiment *x)
{
    return &x->desc;
}

const lsc_run_opts *lsc_experiment_run_opts(const lsc_experiment *x, int run)
{
    const int m = lsc_experiment_run_optimizer(x, run);
    return x->prepared && m >= 0 ? &x->ro[m] : NULL;
}

/* The header of x's trajectory (x prepared): landscape, data, driver options, columns. */
static void make_header(const lsc_experiment *x, lsc_trajectory *t)
{
    lsc_trajectory_init(t, x->L->n, x->npos, x->has_dist);
    lsc_landscape_describe(x->L, t->landscape, sizeof t->landscape);
    if (x->data[0] && lsc_landscape_model(x->L)) {
        snprintf(t->data, sizeof t->data, "%s", x->data);
        snprintf(t->target, sizeof t->target, "%s", x->target);
        t->holdout = x->holdout;
    }
    /* every driver option of group 0, field by field as the table names them */
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        if (o->type != LSC_DRIVER_POSITIONS)
            memcpy(field_of(t, o), cfield_of(&x->groups[0].v, o), field_size(o->type));
    }
    snprintf(t->schedule, sizeof t->schedule, "%s", x->schedule0); /* canonical */
    if (t->every < 1)
        t->every = 1;
    t->cols = lsc_run_columns(x->L, t); /* what the header allows (run.h) */
    t->layers = t->layer_stats ? lsc_run_layers(x->L, &t->layer_fams) : 0;
}

int lsc_experiment_trajectory(lsc_experiment *x, lsc_trajectory *t, lsc_error *err)
{
    int rc = lsc_experiment_prepare(x, err);
    const int nr = rc == LSC_OK ? lsc_experiment_nruns(x) : 0;
    if (rc == LSC_OK && nr > LSC_TRAJ_MAX_RUNS) {
        lsc_error_set(err, LSC_EINVAL, "runs: %d runs (%d optimizer%s x %d starts) are more "
                      "than a trajectory holds (%d); a summary (one row a run) holds any "
                      "number", nr, x->nruns, x->nruns == 1 ? "" : "s", x->nstarts,
                      LSC_TRAJ_MAX_RUNS);
        rc = fail(x, "runs", 0, LSC_EINVAL);
    }
    if (rc != LSC_OK) {
        lsc_trajectory_init(t, 0, 0, 0);
        return rc;
    }
    make_header(x, t);
    return LSC_OK;
}

/* How start j (its numbers: s) was made, for its run's record: a random set's index, else
 * the checksum of its numbers (a ball, a grid: 'given'; a file of starts: the file). */
static lsc_start_desc desc_of(const lsc_experiment *x, int j, const double *s)
{
    lsc_start_desc d = x->desc;
    if (x->set == SET_RANDOM)
        d.index = j;
    else if (x->set != SET_ONE)
        d.checksum = lsc_start_checksum(s, x->L->n);
    return d;
}

/* ---- threads: workers with optimizers and schedules of their own ------------------------ */

/* The threads the runs of x are made on for ntasks tasks: the threads key (0 or unset:
 * every core), at most ntasks; 1 on a landscape that must be evaluated from one thread at
 * a time (landscape.h: models, rnn, expr, user functions). */
static int threads_for(const lsc_experiment *x, int ntasks)
{
    if (!lsc_landscape_reentrant(x->L))
        return 1;
    return lsc_parallel_workers(ntasks, x->threads_key > 0 ? (int)x->threads_key : 0);
}

/* Workers 1 .. W-1: an optimizer and a schedule of their own for every optimizer of x,
 * made from the same specs as x->opt and x->sched (worker 0's); kept until unprepared. */
static int make_workers(lsc_experiment *x, int W, lsc_error *err)
{
    if (W <= 1 || W <= x->nworkers)
        return LSC_OK;
    free_workers(x);
    const size_t count = (size_t)(W - 1) * (size_t)x->nruns;
    x->wopt = calloc(count, sizeof *x->wopt);
    x->wsched = calloc(count, sizeof *x->wsched);
    int rc = x->wopt && x->wsched ? LSC_OK : LSC_ENOMEM;
    if (rc != LSC_OK)
        lsc_error_set(err, rc, "out of memory");
    x->nworkers = W;
    for (size_t k = 0; rc == LSC_OK && k < count; k++) {
        const int m = (int)(k % (size_t)x->nruns);
        const char *spec = spec_in(x, x->runs[m].group, "schedule");
        if (!(x->wopt[k] = lsc_optim_new(x->runs[m].spec, x->L->n, "optimizer", err)) ||
            (spec[0] && !(x->wsched[k] = lsc_schedule_new(spec, "schedule", err))))
            rc = err && err->code ? err->code : LSC_ENOMEM;
    }
    if (rc != LSC_OK)
        free_workers(x);
    return rc;
}

/* Run `run` (x prepared) with worker w's optimizer and schedule. Progress is reported
 * only when the runs are made one after the other (quiet 0): a callback is no task's to
 * call. */
static int run_with(lsc_experiment *x, int w, int quiet, int run, const lsc_trajectory *t,
                    lsc_run_record *rec, lsc_run_recorder record, void *user, lsc_error *err)
{
    const int m = lsc_experiment_run_optimizer(x, run), j = lsc_experiment_run_start(x, run);
    if (m < 0) {
        lsc_error_set(err, LSC_EINVAL, "experiment: no run %d (it has %d)", run,
                      lsc_experiment_nruns(x));
        return LSC_EINVAL;
    }
    const size_t k = w > 0 ? (size_t)(w - 1) * (size_t)x->nruns + (size_t)m : 0;
    lsc_optim *o = w > 0 ? x->wopt[k] : x->opt[m];
    double *x0 = x->x0, *own = NULL;
    if (x->set != SET_ONE && j > 0) { /* its own start, made from (seed, j) alone */
        if (!(own = malloc((size_t)x->L->n * sizeof *own)) || start_of(x, j, own) != LSC_OK) {
            free(own);
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        x0 = own;
    }
    rec->start_desc = desc_of(x, j, x0);
    lsc_run_opts ro = x->ro[m];
    ro.schedule = w > 0 ? x->wsched[k] : x->sched[m];
    ro.record = record;
    ro.record_user = user;
    if (quiet)
        ro.progress = NULL;
    int st = lsc_run(&ro, o, x0, run, t, rec, err);
    free(own);
    if (st >= 0 && x->nstarts > 1) { /* label#j: which start */
        char label[LSC_NAME_MAX];
        snprintf(label, sizeof label, "%s", rec->label);
        snprintf(rec->label, sizeof rec->label, "%.*s#%d", LSC_NAME_MAX - 13, label, j);
    }
    return st < 0 ? st : LSC_OK;
}

int lsc_experiment_run_one(lsc_experiment *x, int run, const lsc_trajectory *t,
                           lsc_run_record *rec, lsc_run_recorder record, void *user,
                           lsc_error *err)
{
    int rc = lsc_experiment_prepare(x, err);
    return rc == LSC_OK ? run_with(x, 0, 0, run, t, rec, record, user, err) : rc;
}

/* Runs [first, first + count) of t made by threads, their rows handed to record(user)
 * afterwards in run order: each task keeps its run's rows in a record of its own (rows[i -
 * first], emptied after the hand-over, so the next chunk reuses the room), with all n
 * coordinates of x (a recorder may read them all: trajectory.h). */
typedef struct {
    lsc_experiment *x;
    lsc_trajectory *t;
    lsc_trajectory all; /* t's header with npos = n: the layout of rows[] */
    lsc_run_record *rows;
    int first;
    int keep; /* 1: rows go to rows[]; 0: they stay in t's records (no recorder) */
} chunk_ctx;

/* The recorder of a task: row of run `run` into its own record (room for the whole run
 * at its first row, so the steps do not allocate). */
static int buffer_row(void *user, int run, const lsc_row *row, lsc_error *err)
{
    chunk_ctx *c = user;
    lsc_run_record *r = &c->rows[run - c->first];
    const long every = c->t->every > 0 ? c->t->every : 1;
    const size_t room = r->len ? r->len : (size_t)(c->t->steps / every) + 2;
    if (r->len == r->cap && lsc_run_record_reserve(&c->all, r, room) != LSC_OK) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory keeping %zu rows of run %d",
                      r->len + room, run);
        return LSC_ENOMEM;
    }
    lsc_run_record_push(&c->all, r, row);
    return LSC_OK;
}

static int chunk_task(void *vctx, int w, int i, void *slot, lsc_error *err)
{
    (void)slot;
    chunk_ctx *c = vctx;
    const int run = c->first + i;
    return run_with(c->x, w, 1, run, c->t, &c->t->runs[run], c->keep ? buffer_row : NULL, c,
                    err);
}

static void free_rows(lsc_run_record *r)
{
    free(r->step), free(r->lr), free(r->loss), free(r->grad_norm), free(r->dist), free(r->x);
    for (int c = 0; c < LSC_NCOLS; c++)
        free(r->col[c]);
}

/* Runs whose rows (with all n coordinates) fit in ROWS_BUDGET, at most RUN_CHUNK. */
static int runs_in_budget(const lsc_trajectory *t)
{
    const double rows = (double)t->steps / (t->every > 0 ? t->every : 1) + 2;
    const double values = 4.0 + t->has_dist + __builtin_popcountll(t->cols) + t->n;
    const double fit = ROWS_BUDGET / (rows * values * sizeof(double));
    return fit >= RUN_CHUNK ? RUN_CHUNK : (int)fit;
}

/* lsc_experiment_run on W threads (x prepared, t's records added). */
static int run_threads(lsc_experiment *x, lsc_trajectory *t, int W, lsc_run_recorder record,
                       void *user, lsc_error *err)
{
    const int nr = t->nruns, C = runs_in_budget(t) > W ? runs_in_budget(t) : W;
    chunk_ctx c = {.x = x, .t = t, .all = *t, .keep = record != NULL};
    c.all.npos = t->n;
    if (c.keep && !(c.rows = calloc((size_t)C, sizeof *c.rows))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int rc = LSC_OK;
    for (c.first = 0; rc == LSC_OK && c.first < nr; c.first += C) {
        const int count = nr - c.first < C ? nr - c.first : C;
        rc = lsc_parallel_map_workers(count, NULL, 0, W, chunk_task, &c, err);
        for (int i = 0; c.keep && i < count; i++) { /* in run order, whoever made them */
            lsc_run_record *r = &c.rows[i];
            for (size_t k = 0; rc == LSC_OK && k < r->len; k++) {
                lsc_row row;
                lsc_run_record_row(&c.all, r, k, &row);
                rc = record(user, c.first + i, &row, err);
            }
            r->len = 0;
        }
    }
    for (int i = 0; c.keep && i < C; i++)
        free_rows(&c.rows[i]);
    free(c.rows);
    return rc;
}

int lsc_experiment_run(lsc_experiment *x, lsc_trajectory *t, lsc_run_recorder record,
                       void *user, lsc_error *err)
{
    int rc = lsc_experiment_prepare(x, err);
    if (rc == LSC_OK && t->nruns != 0) {
        lsc_error_set(err, LSC_EINVAL, "experiment: the trajectory already holds runs");
        return LSC_EINVAL;
    }
    const int nr = lsc_experiment_nruns(x);
    if (rc == LSC_OK && nr > LSC_TRAJ_MAX_RUNS) {
        lsc_error_set(err, LSC_EINVAL, "runs: %d runs are more than a trajectory holds (%d)",
                      nr, LSC_TRAJ_MAX_RUNS);
        return fail(x, "runs", 0, LSC_EINVAL);
    }
    /* threads keep the rows of W runs or more at once: no more threads than that fit */
    int W = rc == LSC_OK ? threads_for(x, nr) : 1;
    if (record && W > runs_in_budget(t))
        W = runs_in_budget(t) > 1 ? runs_in_budget(t) : 1;
    if (rc == LSC_OK)
        rc = make_workers(x, W, err);
    for (int i = 0; rc == LSC_OK && i < nr; i++) { /* optimizer-major (experiment.h) */
        const lsc_start_desc d = x->desc; /* run_with makes it the run's */
        lsc_run_record *rec = lsc_trajectory_add_run_desc(t, &d);
        if (!rec) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        if (W == 1)
            rc = run_with(x, 0, 0, i, t, rec, record, user, err);
    }
    return rc == LSC_OK && W > 1 ? run_threads(x, t, W, record, user, err) : rc;
}

int lsc_experiment_write(lsc_experiment *x, const char *path, lsc_error *err)
{
    lsc_trajectory t;
    lsc_trajectory_stream s;
    int rc = lsc_experiment_trajectory(x, &t, err);
    if (rc != LSC_OK) {
        lsc_trajectory_free(&t);
        return rc;
    }
    rc = lsc_trajectory_check_size(&t, lsc_experiment_nruns(x), path, 0, err);
    if (rc == LSC_OK)
        rc = lsc_trajectory_stream_open(&s, &t, path, 0, err);
    if (rc == LSC_OK) {
        rc = lsc_experiment_run(x, &t, lsc_trajectory_stream_row, &s, err);
        if (rc == LSC_OK)
            rc = lsc_trajectory_stream_finish(&s, err);
        else
            lsc_trajectory_stream_abort(&s);
    }
    lsc_trajectory_free(&t);
    return rc;
}

int lsc_experiment_save_start(const lsc_experiment *x, const char *path, lsc_error *err)
{
    if (!x->prepared) {
        lsc_error_set(err, LSC_EINVAL, "save_start: the experiment is not prepared");
        return LSC_EINVAL;
    }
    lsc_outfile f;
    int rc = lsc_outfile_open(&f, path, "save_start", err);
    if (rc != LSC_OK)
        return rc;
    char spec[LSC_VALUE_MAX], how[LSC_VALUE_MAX + 64], b[32];
    lsc_landscape_describe(x->L, spec, sizeof spec);
    fprintf(f.fp, "# losscape start v1\n# landscape: %s\n# dim: %d\n# start: %s\n", spec,
            x->L->n, lsc_start_describe(&x->desc, how, sizeof how));
    for (int j = 0; j < x->L->n; j++) {
        fputs(lsc_fmt_double(b, x->x0[j]), f.fp);
        fputc('\n', f.fp);
    }
    return lsc_outfile_commit(&f, err);
}

int lsc_experiment_basins(lsc_experiment *x, lsc_basins *b, const double xlim[2],
                          const double ylim[2], int n, double tol, lsc_error *err)
{
    memset(b, 0, sizeof *b);
    int rc = lsc_experiment_prepare(x, err);
    if (rc != LSC_OK)
        return rc;
    const char **specs = malloc((size_t)(x->nruns ? x->nruns : 1) * sizeof *specs);
    if (!specs) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int i = 0; i < x->nruns; i++)
        specs[i] = x->runs[i].spec;
    rc = lsc_basins_compute_threads(b, x->L, specs, x->nruns, x->ro, xlim, ylim, n, tol,
                                    x->threads_key > 0 ? (int)x->threads_key : 0, err);
    free(specs);
    return rc;
}

/* ---- summaries: one row a run ------------------------------------------------------------ */

/* The summary recorder: keeps the last recorded row's values and whether each stop
 * condition holds there (memory does not grow with the steps). */
typedef struct {
    const lsc_run_opts *ro;
    const double *x0;
    int n;
    lsc_run_summary *s;
} summary_rec;

static int summary_row(void *user, int run, const lsc_row *row, lsc_error *err)
{
    (void)run;
    (void)err;
    summary_rec *r = user;
    lsc_run_summary *s = r->s;
    const lsc_run_opts *o = r->ro;
    s->step = row->step;
    s->loss = row->loss;
    s->grad_norm = row->grad_norm;
    /* A condition holds at most at the last row a run records: the driver stops at the
     * first step where any holds (run.h), so the step it first held is this one. */
    s->stop_step[0] = o->stop_grad > 0 && row->grad_norm <= o->stop_grad ? row->step : -1;
    s->stop_step[1] = o->stop_loss_on && row->loss <= o->stop_loss ? row->step : -1;
    s->stop_step[2] = -1;
    if (o->stop_dist > 0) {
        double d = 0;
        for (int i = 0; i < r->n; i++)
            d += (row->x[i] - r->x0[i]) * (row->x[i] - r->x0[i]);
        if (sqrt(d) >= o->stop_dist)
            s->stop_step[2] = row->step;
    }
    return LSC_OK;
}

/* Run `run` of x (prepared) with worker w's optimizer, summarised into s. */
static int summary_with(lsc_experiment *x, int w, int quiet, int run, lsc_run_summary *s,
                        lsc_error *err)
{
    memset(s, 0, sizeof *s);
    const int m = lsc_experiment_run_optimizer(x, run);
    if (m < 0) {
        lsc_error_set(err, LSC_EINVAL, "experiment: no run %d (it has %d)", run,
                      lsc_experiment_nruns(x));
        return LSC_EINVAL;
    }
    s->run = run;
    s->optimizer = m;
    s->start = lsc_experiment_run_start(x, run);
    s->step = -1;
    s->stop_step[0] = s->stop_step[1] = s->stop_step[2] = s->escape = -1;
    lsc_trajectory t; /* the header: no runs, no rows kept */
    make_header(x, &t);
    lsc_run_record rec;
    memset(&rec, 0, sizeof rec); /* start NULL: kept nowhere */
    double *x0 = malloc((size_t)x->L->n * sizeof *x0);
    if (!x0 || start_of(x, s->start, x0) != LSC_OK) {
        free(x0);
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    summary_rec sr = {&x->ro[m], x0, x->L->n, s};
    int rc = run_with(x, w, quiet, run, &t, &rec, summary_row, &sr, err);
    free(x0);
    if (rc != LSC_OK)
        return rc;
    s->status = rec.status;
    s->escape = rec.escape > 0 ? rec.escape : -1;
    snprintf(s->label, sizeof s->label, "%s", rec.label);
    snprintf(s->reason, sizeof s->reason, "%s", rec.reason);
    return LSC_OK;
}

int lsc_experiment_summary_run(lsc_experiment *x, int run, lsc_run_summary *s, lsc_error *err)
{
    memset(s, 0, sizeof *s);
    int rc = lsc_experiment_prepare(x, err);
    return rc == LSC_OK ? summary_with(x, 0, 0, run, s, err) : rc;
}

typedef struct {
    lsc_experiment *x;
    int first, quiet;
    int block; /* lockstep: runs per task (0: one run a task, lsc_run) */
    int count;
    lsc_run_summary *s;
} summaries_ctx;

static int summary_task(void *vctx, int w, int i, void *slot, lsc_error *err)
{
    const summaries_ctx *c = vctx;
    return summary_with(c->x, w, c->quiet, c->first + i, slot, err);
}

/* Every optimizer of x can make its runs in lockstep with the summary's options. */
static int lockstep_ok(const lsc_experiment *x)
{
    lsc_trajectory t;
    make_header(x, &t);
    for (int m = 0; m < x->nruns; m++) {
        lsc_run_opts ro = x->ro[m];
        ro.schedule = x->sched[m];
        ro.record = summary_row;
        ro.progress = NULL;
        if (!lsc_run_lockstep_ok(&ro, x->opt[m]->type, &t))
            return 0;
    }
    return 1;
}

/* The records and recorders of one lockstep segment: run first + i's summary. */
typedef struct {
    int first;
    summary_rec *sr;
} segment;

static int segment_row(void *user, int run, const lsc_row *row, lsc_error *err)
{
    segment *g = user;
    return summary_row(&g->sr[run - g->first], run, row, err);
}

/* Runs first .. first + m - 1, all of optimizer mo, in lockstep into s[0 .. m-1]; recs,
 * sr, index and x0 are the caller's room for m runs. */
static int lockstep_segment(lsc_experiment *x, int mo, int first, int m, lsc_run_summary *s,
                            lsc_run_record *recs, summary_rec *sr, int *index, double *x0,
                            lsc_error *err)
{
    const int n = x->L->n;
    lsc_trajectory t;
    make_header(x, &t);
    segment g = {first, sr};
    for (int i = 0; i < m; i++) {
        lsc_run_summary *si = &s[i];
        memset(si, 0, sizeof *si);
        si->run = index[i] = first + i;
        si->optimizer = mo;
        si->start = lsc_experiment_run_start(x, first + i);
        si->step = -1;
        si->stop_step[0] = si->stop_step[1] = si->stop_step[2] = si->escape = -1;
        if (start_of(x, si->start, x0 + (size_t)i * n) != LSC_OK) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        sr[i] = (summary_rec){&x->ro[mo], x0 + (size_t)i * n, n, si};
        memset(&recs[i], 0, sizeof recs[i]);
    }
    lsc_run_opts ro = x->ro[mo];
    ro.record = segment_row;
    ro.record_user = &g;
    ro.progress = NULL;
    lsc_optim *o = lsc_optim_new(x->runs[mo].spec, m * n, "optimizer", err);
    int rc = o ? lsc_run_lockstep(&ro, o, m, x0, index, &t, recs, err)
               : err && err->code ? err->code : LSC_ENOMEM;
    lsc_optim_free(o);
    for (int i = 0; rc == LSC_OK && i < m; i++) {
        s[i].status = recs[i].status;
        s[i].escape = recs[i].escape > 0 ? recs[i].escape : -1;
        snprintf(s[i].reason, sizeof s[i].reason, "%s", recs[i].reason);
        if (x->nstarts > 1) /* label#j: which start (as run_with) */
            snprintf(s[i].label, sizeof s[i].label, "%.*s#%d", LSC_NAME_MAX - 13,
                     recs[i].label, s[i].start);
        else
            snprintf(s[i].label, sizeof s[i].label, "%s", recs[i].label);
    }
    return rc;
}

/* Task k: runs first + k B .. of the block, cut where the optimizer changes. */
static int lockstep_task(void *vctx, int w, int k, void *slot, lsc_error *err)
{
    (void)w, (void)slot;
    const summaries_ctx *c = vctx;
    const int B = c->block, n = c->x->L->n;
    const int a = k * B, e = a + B < c->count ? a + B : c->count;
    lsc_run_record *recs = malloc((size_t)B * sizeof *recs);
    summary_rec *sr = malloc((size_t)B * sizeof *sr);
    int *index = malloc((size_t)B * sizeof *index);
    double *x0 = malloc((size_t)B * n * sizeof *x0);
    int rc = recs && sr && index && x0 ? LSC_OK : LSC_ENOMEM;
    if (rc != LSC_OK)
        lsc_error_set(err, rc, "out of memory");
    for (int i = a; rc == LSC_OK && i < e;) {
        const int mo = lsc_experiment_run_optimizer(c->x, c->first + i);
        int j = i + 1;
        while (j < e && lsc_experiment_run_optimizer(c->x, c->first + j) == mo)
            j++;
        rc = lockstep_segment(c->x, mo, c->first + i, j - i, c->s + i, recs, sr, index, x0,
                              err);
        i = j;
    }
    free(recs);
    free(sr);
    free(index);
    free(x0);
    return rc;
}

int lsc_experiment_summaries(lsc_experiment *x, int first, int count, lsc_run_summary *s,
                             lsc_error *err)
{
    int rc = lsc_experiment_prepare(x, err);
    if (rc != LSC_OK)
        return rc;
    const int nr = lsc_experiment_nruns(x);
    if (first < 0 || count < 0 || first > nr - count) {
        lsc_error_set(err, LSC_EINVAL, "experiment: runs %d to %d asked for; it has %d", first,
                      first + count - 1, nr);
        return LSC_EINVAL;
    }
    summaries_ctx c = {.x = x, .first = first, .count = count, .s = s};
    if (lockstep_ok(x)) { /* tasks of B runs, each made in lockstep */
        const int B0 = LOCKSTEP_VALUES / x->L->n;
        c.block = B0 < 1 ? 1 : B0 < LOCKSTEP_RUNS ? B0 : LOCKSTEP_RUNS;
        const int ntasks = (int)(((long)count + c.block - 1) / c.block);
        return lsc_parallel_map_workers(ntasks, NULL, 0, threads_for(x, ntasks),
                                        lockstep_task, &c, err);
    }
    const int W = threads_for(x, count);
    if ((rc = make_workers(x, W, err)) != LSC_OK)
        return rc;
    c.quiet = W > 1;
    return lsc_parallel_map_workers(count, s, sizeof *s, W, summary_task, &c, err);
}

/* How the starts were made, for the summary's header: the numbers of one start (n <= 64),
 * else its description; a set's kind and seed. */
static void put_starts(const lsc_experiment *x, FILE *fp)
{
    char b[LSC_VALUE_MAX + 64];
    const unsigned long long seed = x->groups[0].v.seed;
    if (x->set == SET_ONE && x->L->n <= LSC_START_LIST_MAX) {
        for (int j = 0; j < x->L->n; j++)
            fprintf(fp, "%s%s", j ? "," : "", lsc_fmt_double(b, x->x0[j]));
    } else if (x->set == SET_BALL) {
        fprintf(fp, "%s, seed %llu", x->start, seed);
    } else if (x->set == SET_GRID) {
        fprintf(fp, "grid:%d,%d, cell centres of the box %s:%s,", x->grid[0], x->grid[1],
                lsc_fmt_double(b, x->lo[0]), lsc_fmt_double(b + 32, x->hi[0]));
        fprintf(fp, "%s:%s", lsc_fmt_double(b, x->lo[1]), lsc_fmt_double(b + 32, x->hi[1]));
    } else if (x->set == SET_FILE) {
        fprintf(fp, "file %s, %d starts", x->desc.path, x->nfile);
    } else {
        lsc_start_desc d = x->desc;
        if (d.kind == LSC_START_GIVEN)
            d.checksum = lsc_start_checksum(x->x0, x->L->n);
        fputs(lsc_start_describe(&d, b, sizeof b), fp);
    }
    fputc('\n', fp);
}

/* The summary's header: provenance (landscape, data, every driver option as the
 * trajectory writes it, the start set, each optimizer and its group's own options), then
 * the header row. */
static void put_summary_header(const lsc_experiment *x, const lsc_trajectory *t, FILE *fp)
{
    char b[LSC_VALUE_MAX + 32];
    fprintf(fp, "# losscape summary v1\n# version: %s\n# landscape: %s\n# dim: %d\n",
            t->version, t->landscape, t->n);
    if (t->data[0]) {
        fprintf(fp, "# data: %s\n", t->data);
        if (t->target[0])
            fprintf(fp, "# target: %s\n", t->target);
        fprintf(fp, "# holdout: %s\n", lsc_fmt_double(b, t->holdout));
    }
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        if ((o->flags & LSC_DRIVER_DATA) && !t->data[0])
            continue;
        lsc_driver_option_format(o, (const char *)t + o->off, t->n, b, sizeof b);
        if ((o->flags & LSC_DRIVER_QUIET) && !strcmp(b, o->def))
            continue;
        fprintf(fp, "# %s: %s\n", o->name, b);
    }
    fprintf(fp, "# runs: %d\n# start: ", x->nstarts);
    put_starts(x, fp);
    for (int m = 0; m < x->nruns; m++) {
        const int g = x->runs[m].group;
        lsc_optim_describe(x->opt[m], b, sizeof b);
        fprintf(fp, "# optimizer %d: %s\n# optimizer %d label: %s\n", m, b, m,
                x->opt[m]->label);
        if (g > 0)
            fprintf(fp, "# optimizer %d group: %s\n", m, x->groups[g].name);
        for (int k = 0; g > 0 && k < lsc_driver_noptions; k++) {
            const lsc_driver_option *o = &lsc_driver_options[k];
            if (o->group > 0 && (x->groups[g].set >> k & 1))
                fprintf(fp, "# optimizer %d %s: %s\n", m, o->name,
                        lsc_driver_option_format(o, cfield_of(&x->groups[g].v, o), t->n, b,
                                                 sizeof b));
        }
    }
    fputs(LSC_SUMMARY_COLUMNS "\n", fp);
}

int lsc_experiment_write_summary(lsc_experiment *x, const char *path, lsc_error *err)
{
    int rc = lsc_experiment_prepare(x, err);
    if (rc != LSC_OK)
        return rc;
    lsc_trajectory t;
    make_header(x, &t);
    const int nr = lsc_experiment_nruns(x), C = nr < SUMMARY_CHUNK ? nr : SUMMARY_CHUNK;
    lsc_run_summary *s = malloc((size_t)(C > 0 ? C : 1) * sizeof *s);
    if (!s) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    lsc_outfile f;
    if ((rc = lsc_outfile_open(&f, path, "summary", err)) != LSC_OK) {
        free(s);
        return rc;
    }
    put_summary_header(x, &t, f.fp);
    for (int first = 0; rc == LSC_OK && first < nr; first += C) { /* in run order */
        const int count = nr - first < C ? nr - first : C;
        rc = lsc_experiment_summaries(x, first, count, s, err);
        for (int i = 0; rc == LSC_OK && i < count; i++)
            lsc_summary_put_row(f.fp, &s[i]);
    }
    free(s);
    if (rc != LSC_OK) {
        lsc_outfile_abort(&f);
        return rc;
    }
    return lsc_outfile_commit(&f, err);
}
