/* trajectory.c — columnar run records, and the TSV file format (see trajectory.h) */
#include "trajectory.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "landscape.h"
#include "lsc_version.h"

static int parse_count(const char *s, unsigned long long max, unsigned long long *out);

static const char *const stop_names[] = {
    [LSC_STOP_NONE] = "running",        [LSC_STOP_MAX_STEPS] = "max-steps",
    [LSC_STOP_CONVERGED] = "converged", [LSC_STOP_DIVERGED] = "diverged",
    [LSC_STOP_DOMAIN] = "left-domain",  [LSC_STOP_FAILED] = "failed",
    [LSC_STOP_LOSS] = "loss-reached",   [LSC_STOP_DIST] = "dist-reached"};

const char *lsc_stop_name(lsc_stop s)
{
    return ((int)s >= 0 && (int)s < LSC_COUNTOF(stop_names)) ? stop_names[s] : "unknown";
}

int lsc_stop_from_name(const char *name, lsc_stop *out)
{
    for (int i = 0; i < LSC_COUNTOF(stop_names); i++)
        if (!strcmp(name, stop_names[i])) {
            *out = (lsc_stop)i;
            return LSC_OK;
        }
    return LSC_EINVAL;
}

/* ---- how a start was made (see trajectory.h) ----------------------------------------- */

/* FNV-1a, 64 bits (Fowler, Noll, Vo): h = (h ^ byte) * 0x100000001b3 from 0xcbf29ce484222325,
 * over each coordinate's IEEE-754 bits, least significant byte first (the same on every
 * host). */
unsigned long long lsc_start_checksum(const double *x, int n)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (int j = 0; j < n; j++) {
        unsigned long long u;
        memcpy(&u, &x[j], sizeof u);
        for (int b = 0; b < 8; b++) {
            h ^= (u >> (8 * b)) & 0xff;
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

const char *lsc_start_describe(const lsc_start_desc *d, char *buf, size_t len)
{
    switch (d->kind) {
    case LSC_START_RANDOM: /* start j > 0 of a set (experiment.h) says which */
        if (d->index > 0)
            snprintf(buf, len, "random box, seed %llu, start %d", d->seed, d->index);
        else
            snprintf(buf, len, "random box, seed %llu", d->seed);
        break;
    case LSC_START_STANDARD:
        snprintf(buf, len, "standard start %d", d->index);
        break;
    case LSC_START_FILE:
        snprintf(buf, len, "file %s, fnv1a64 %016llx", d->path, d->checksum);
        break;
    case LSC_START_INIT:
        snprintf(buf, len, "init %s, seed %llu", d->path, d->seed);
        break;
    default:
        snprintf(buf, len, "given, fnv1a64 %016llx", d->checksum);
    }
    return buf;
}

/* Exactly 16 lowercase hexadecimal digits. */
static int parse_hex64(const char *s, unsigned long long *out)
{
    unsigned long long v = 0;
    int k = 0;
    for (; s[k]; k++) {
        const char *digits = "0123456789abcdef", *p = strchr(digits, s[k]);
        if (!p || k == 16)
            return LSC_EINVAL;
        v = v << 4 | (unsigned long long)(p - digits);
    }
    *out = v;
    return k == 16 ? LSC_OK : LSC_EINVAL;
}

int lsc_start_parse(const char *text, lsc_start_desc *d)
{
    static const char random_[] = "random box, seed ", standard[] = "standard start ",
                      given[] = "given, fnv1a64 ", file[] = "file ", sum[] = ", fnv1a64 ",
                      init[] = "init ", seed_[] = ", seed ";
    lsc_start_desc e;
    unsigned long long u;
    memset(&e, 0, sizeof e);
    if (!strncmp(text, random_, sizeof random_ - 1)) {
        e.kind = LSC_START_RANDOM;
        char num[32];
        const char *p = text + sizeof random_ - 1, *comma = strstr(p, ", start ");
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        if (k >= sizeof num)
            return LSC_EINVAL;
        memcpy(num, p, k);
        num[k] = '\0';
        if (parse_count(num, ~0ULL, &e.seed) != LSC_OK ||
            (comma && (parse_count(comma + 8, 1000000, &u) != LSC_OK || u == 0)))
            return LSC_EINVAL;
        e.index = comma ? (int)u : 0;
    } else if (!strncmp(text, standard, sizeof standard - 1)) {
        e.kind = LSC_START_STANDARD;
        if (parse_count(text + sizeof standard - 1, 1000000, &u) != LSC_OK)
            return LSC_EINVAL;
        e.index = (int)u;
    } else if (!strncmp(text, given, sizeof given - 1)) {
        e.kind = LSC_START_GIVEN;
        if (parse_hex64(text + sizeof given - 1, &e.checksum) != LSC_OK)
            return LSC_EINVAL;
    } else if (!strncmp(text, init, sizeof init - 1)) {
        /* init SCHEME, seed S: the scheme holds commas, so the last ", seed " ends it */
        const char *last = NULL;
        for (const char *q = strstr(text, seed_); q; q = strstr(q + 1, seed_))
            last = q;
        size_t head = sizeof init - 1;
        if (!last || last == text + head || (size_t)(last - text) - head >= sizeof e.path ||
            parse_count(last + sizeof seed_ - 1, ~0ULL, &e.seed) != LSC_OK)
            return LSC_EINVAL;
        e.kind = LSC_START_INIT;
        memcpy(e.path, text + head, (size_t)(last - text) - head);
        e.path[(size_t)(last - text) - head] = '\0';
    } else if (!strncmp(text, file, sizeof file - 1)) {
        /* file PATH, fnv1a64 H: the checksum is the last 26 characters */
        size_t len = strlen(text), tail = sizeof sum - 1 + 16, head = sizeof file - 1;
        if (len <= head + tail || len - head - tail >= sizeof e.path ||
            strncmp(text + len - tail, sum, sizeof sum - 1) ||
            parse_hex64(text + len - 16, &e.checksum) != LSC_OK)
            return LSC_EINVAL;
        e.kind = LSC_START_FILE;
        memcpy(e.path, text + head, len - head - tail);
        e.path[len - head - tail] = '\0';
    } else {
        return LSC_EINVAL;
    }
    *d = e;
    return LSC_OK;
}

/* ---- driver options (see trajectory.h) -------------------------------------------------- */

#define TOFF(f) offsetof(lsc_trajectory, f)
#define ROFF(f) offsetof(lsc_run_record, f)

/* In the order of the trajectory header. Ranges: a clipping threshold beyond 1e12 could
 * never clip a useful step; noise beyond sigma = 1e6 drowns the gradient of every built-in
 * landscape. */
const lsc_driver_option lsc_driver_options[] = {
    {"schedule", LSC_DRIVER_SPEC, "", 0, 0, 0, 1, "SPEC",
     "learning-rate schedule, e.g. cosine:T_max=500 or warmup:total_iters=50+cosine:T_max=500 "
     "(default constant)", TOFF(schedule), ROFF(schedule), NULL},
    {"clip_norm", LSC_DRIVER_REAL, "off", 0, 1e12, LSC_DRIVER_LO_OPEN | LSC_DRIVER_OFF, 3, "C",
     "clip the gradient's norm to C (torch clip_grad_norm_; default off)", TOFF(clip_norm),
     ROFF(clip_norm), NULL},
    {"clip_value", LSC_DRIVER_REAL, "off", 0, 1e12, LSC_DRIVER_LO_OPEN | LSC_DRIVER_OFF, 4, "C",
     "clip each gradient entry to [-C, C] (torch clip_grad_value_; default off)",
     TOFF(clip_value), ROFF(clip_value), NULL},
    {"noise", LSC_DRIVER_REAL, "0", 0, 1e6, 0, 2, "SIGMA",
     "add N(0, SIGMA^2 I) noise to every gradient (default 0)", TOFF(noise), ROFF(noise), NULL},
    {"seed", LSC_DRIVER_SEED, "1", 0, 0, 0, 0, "S", "random seed (default 1)", TOFF(seed), 0, NULL},
    {"steps", LSC_DRIVER_COUNT, "1000", 0, 1e9, 0, 0, "N", "number of updates (default 1000)",
     TOFF(steps), 0, NULL},
    {"stop_grad", LSC_DRIVER_REAL, "0", 0, 1e12, 0, 0, "TOL",
     "stop a run when |grad f| <= TOL (default 0: never)", TOFF(stop_grad), 0, NULL},
    /* stop_loss: any finite level (losses may be negative, and 0 is a level) */
    {"stop_loss", LSC_DRIVER_REAL, "off", -INFINITY, INFINITY, LSC_DRIVER_OFF_NAN, 0, "F",
     "stop a run when f(x) <= F (status loss-reached; default off)", TOFF(stop_loss), 0, NULL},
    {"stop_dist", LSC_DRIVER_REAL, "0", 0, 1e12, LSC_DRIVER_OFF, 0, "R",
     "stop a run when |x - x_start| >= R (status dist-reached; default 0: never)",
     TOFF(stop_dist), 0, NULL},
    /* an event, not a stop: written only when on, so files without it keep their bytes */
    {"escape", LSC_DRIVER_REAL, "0", 0, 1e12, LSC_DRIVER_OFF | LSC_DRIVER_QUIET, 0, "R",
     "record the first step with |x - x_start| >= R without stopping the run ('# run K "
     "escape:'; default 0: off)", TOFF(escape), 0, NULL},
    {"every", LSC_DRIVER_COUNT, "1", 1, 1e9, 0, 0, "K",
     "record every K-th step (first and last always; default 1)", TOFF(every), 0, NULL},
    {"positions", LSC_DRIVER_POSITIONS, NULL, 0, 0, 0, 0, "WHICH",
     "all | first:K | none (default: all for n <= 64, else none)", TOFF(npos), 0, NULL},
    /* mini-batches over a model's data (sampler.h); a batch beyond the largest data set
     * (LSC_DATA_MAX_ROWS) is the whole set anyway */
    {"batch_size", LSC_DRIVER_COUNT, "full", 1, 1e7, LSC_DRIVER_FULL | LSC_DRIVER_DATA, 0, "B",
     "examples per update: 1 is SGD, full the whole data set (default full; models over "
     "data only)", TOFF(batch_size), 0, NULL},
    {"sampling", LSC_DRIVER_CHOICE, "shuffle", 0, 0, LSC_DRIVER_DATA, 0, "HOW",
     "shuffle (a fresh permutation each epoch), replace (i.i.d. examples) or cyclic (fixed "
     "order) (default shuffle)", TOFF(sampling), 0, "shuffle|replace|cyclic"},
    {"drop_last", LSC_DRIVER_SWITCH, "off", 0, 0, LSC_DRIVER_DATA, 0, "",
     "drop each epoch's short last batch (default off)", TOFF(drop_last), 0, NULL},
    {"epochs", LSC_DRIVER_COUNT, "0", 0, 1e9, LSC_DRIVER_DATA, 0, "E",
     "budget in epochs instead of steps: ceil(N/B) updates each, floor(N/B) with drop_last "
     "(default 0: steps decides)", TOFF(epochs), 0, NULL},
    /* the box of lsc_landscape_set_box: random starts, the figures' default view, the
     * basins grid, expr's critical-point search; written so that a plot of the file uses it */
    {"box", LSC_DRIVER_BOX, "default", 0, 0, 0, 0, "LO:HI,..",
     "the landscape's box: LO:HI for every axis, or one LO:HI per axis, e.g. -2:2,-1:3 "
     "(random starts, plot view, basins grid, expr's critical points; default the "
     "landscape's)", TOFF(box), 0, NULL},
    /* wall time makes a file differ from run to run: only when asked, and written only
     * then, so files of runs without it keep their bytes */
    {"record_time", LSC_DRIVER_SWITCH, "off", 0, 0, LSC_DRIVER_QUIET, 0, "",
     "record a time column: wall seconds of each run's updates (not reproducible; default "
     "off)", TOFF(record_time), 0, NULL},
    /* per-layer statistics: a block of columns (trajectory.h), written only when on */
    {"layer_stats", LSC_DRIVER_SWITCH, "off", 0, 0, LSC_DRIVER_QUIET, 0, "",
     "record per-layer statistics on each recorded row, over the full training set at the "
     "row's point: g1.. (gradient norm), w1.. (weight norm), for mlp a1.. (pre-activation "
     "std) and sat1.. (saturated fraction), for rnn h1..hT (|df/dh_t|) (mlp, deep-linear, "
     "chain, rnn; default off)", TOFF(layer_stats), 0, NULL},
    /* written only when on, so files of runs without it keep their bytes */
    {"hessian", LSC_DRIVER_SWITCH, "off", 0, 0, LSC_DRIVER_QUIET, 0, "",
     "record eig_min and eig_max, the extreme eigenvalues of the Hessian at each recorded "
     "step (exact for n <= 64, else Lanczos; default off)", TOFF(hessian), 0, NULL},
};
const int lsc_driver_noptions = LSC_COUNTOF(lsc_driver_options);

/* The index of word in choices ("a|b|c"), or -1. */
static long choice_index(const char *choices, const char *word)
{
    size_t len = strlen(word);
    long k = 0;
    for (const char *p = choices; p; k++) {
        const char *bar = strchr(p, '|');
        size_t w = bar ? (size_t)(bar - p) : strlen(p);
        if (len && w == len && !strncmp(p, word, len))
            return k;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

/* Word k of choices into buf ("?" when there is none). */
static void choice_word(const char *choices, int k, char *buf, size_t len)
{
    const char *p = choices;
    for (int i = 0; p && i < k; i++)
        p = (p = strchr(p, '|')) ? p + 1 : NULL;
    size_t w = p ? strcspn(p, "|") : 0;
    snprintf(buf, len, "%.*s", p ? (int)w : 1, p ? p : "?");
}

const lsc_driver_option *lsc_driver_option_find(const char *name)
{
    for (int k = 0; name && k < lsc_driver_noptions; k++)
        if (!strcmp(lsc_driver_options[k].name, name))
            return &lsc_driver_options[k];
    return NULL;
}

const char *lsc_driver_option_allowed(const lsc_driver_option *o, int n, char *buf, size_t len)
{
    char a[32], b[32];
    switch (o->type) {
    case LSC_DRIVER_SPEC:
        snprintf(buf, len, "a spec name[:key=value,...] of at most %d characters",
                 LSC_VALUE_MAX - 1);
        break;
    case LSC_DRIVER_REAL:
        if (isinf(o->lo) && isinf(o->hi))
            snprintf(buf, len, "a finite number%s",
                     (o->flags & (LSC_DRIVER_OFF | LSC_DRIVER_OFF_NAN)) ? ", or off" : "");
        else
            snprintf(buf, len, "a finite number %s %s and <= %s%s",
                     (o->flags & LSC_DRIVER_LO_OPEN) ? ">" : ">=", lsc_fmt_double(a, o->lo),
                     lsc_fmt_double(b, o->hi),
                     (o->flags & (LSC_DRIVER_OFF | LSC_DRIVER_OFF_NAN)) ? ", or off" : "");
        break;
    case LSC_DRIVER_COUNT:
        snprintf(buf, len, "%san integer from %ld to %ld, in decimal: 500, 2e4",
                 (o->flags & LSC_DRIVER_FULL) ? "full or " : "", (long)o->lo, (long)o->hi);
        break;
    case LSC_DRIVER_CHOICE:
        snprintf(buf, len, "one of %s", o->choices);
        break;
    case LSC_DRIVER_SWITCH:
        snprintf(buf, len, "on or off");
        break;
    case LSC_DRIVER_SEED:
        snprintf(buf, len, "an integer from 0 to %llu", ~0ULL);
        break;
    case LSC_DRIVER_POSITIONS:
        if (n > 0)
            snprintf(buf, len, "all, none or first:K with K from 1 to %d, the landscape's "
                     "dimension", n);
        else
            snprintf(buf, len, "all, none or first:K with K from 1 to the landscape's "
                     "dimension");
        break;
    case LSC_DRIVER_BOX:
        snprintf(buf, len, "LO:HI for every axis or LO:HI,LO:HI,... one per axis (finite, "
                 "LO < HI), or default");
        break;
    }
    return buf;
}

int lsc_driver_option_parse(const lsc_driver_option *o, const char *text, int n, void *field,
                            lsc_error *err)
{
    double d;
    long l;
    unsigned long long u;
    int ok = 0;
    switch (o->type) {
    case LSC_DRIVER_SPEC:
        if ((ok = strlen(text) < LSC_VALUE_MAX))
            memcpy(field, text, strlen(text) + 1);
        break;
    case LSC_DRIVER_REAL:
        if ((o->flags & (LSC_DRIVER_OFF | LSC_DRIVER_OFF_NAN)) && !strcmp(text, "off")) {
            *(double *)field = (o->flags & LSC_DRIVER_OFF_NAN) ? NAN : 0;
            ok = 1;
        } else if (lsc_parse_double(text, &d) == LSC_OK && isfinite(d) &&
                   ((o->flags & LSC_DRIVER_LO_OPEN) ? d > o->lo : d >= o->lo) && d <= o->hi) {
            *(double *)field = d;
            ok = 1;
        }
        break;
    case LSC_DRIVER_COUNT:
        if ((o->flags & LSC_DRIVER_FULL) && !strcmp(text, "full")) {
            *(long *)field = 0;
            ok = 1;
        } else if (lsc_parse_long(text, &l) == LSC_OK && l >= (long)o->lo &&
                   l <= (long)o->hi) {
            *(long *)field = l;
            ok = 1;
        }
        break;
    case LSC_DRIVER_CHOICE:
        if ((l = choice_index(o->choices, text)) >= 0) {
            *(int *)field = (int)l;
            ok = 1;
        }
        break;
    case LSC_DRIVER_SWITCH:
        if ((ok = !strcmp(text, "on") || !strcmp(text, "off")))
            *(int *)field = text[1] == 'n';
        break;
    case LSC_DRIVER_SEED:
        if (parse_count(text, ~0ULL, &u) == LSC_OK) {
            *(unsigned long long *)field = u;
            ok = 1;
        }
        break;
    case LSC_DRIVER_POSITIONS:
        if (!strcmp(text, "all")) {
            *(int *)field = n > 0 ? n : LSC_POSITIONS_ALL;
            ok = 1;
        } else if (!strcmp(text, "none")) {
            *(int *)field = 0;
            ok = 1;
        } else if (!strncmp(text, "first:", 6) && lsc_parse_long(text + 6, &l) == LSC_OK &&
                   l >= 1 && l <= (n > 0 ? n : LSC_MAX_DIM)) {
            *(int *)field = (int)l;
            ok = 1;
        }
        break;
    case LSC_DRIVER_BOX: /* its own messages: which range is wrong, or how many */
        if (!strcmp(text, "default")) {
            ((char *)field)[0] = '\0';
            return LSC_OK;
        }
        if (strlen(text) >= LSC_VALUE_MAX) {
            lsc_error_set(err, LSC_EINVAL, "box: the value is longer than %d characters",
                          LSC_VALUE_MAX - 1);
            return LSC_EINVAL;
        }
        if (lsc_box_parse(text, n, NULL, NULL, err) != LSC_OK)
            return LSC_EINVAL;
        memcpy(field, text, strlen(text) + 1);
        return LSC_OK;
    }
    if (ok)
        return LSC_OK;
    char allowed[160];
    lsc_error_set(err, LSC_EINVAL, "%s: '%.200s' is not allowed (expected %s)", o->name, text,
                  lsc_driver_option_allowed(o, n, allowed, sizeof allowed));
    return LSC_EINVAL;
}

const char *lsc_driver_option_format(const lsc_driver_option *o, const void *field, int n,
                                     char *buf, size_t len)
{
    char b[32];
    int k;
    switch (o->type) {
    case LSC_DRIVER_SPEC:
        snprintf(buf, len, "%s", (const char *)field);
        break;
    case LSC_DRIVER_REAL:
        if ((o->flags & LSC_DRIVER_OFF_NAN) && isnan(*(const double *)field))
            snprintf(buf, len, "off");
        else
            snprintf(buf, len, "%s", lsc_fmt_double(b, *(const double *)field));
        break;
    case LSC_DRIVER_COUNT:
        if ((o->flags & LSC_DRIVER_FULL) && *(const long *)field == 0)
            snprintf(buf, len, "full");
        else
            snprintf(buf, len, "%ld", *(const long *)field);
        break;
    case LSC_DRIVER_CHOICE:
        choice_word(o->choices, *(const int *)field, buf, len);
        break;
    case LSC_DRIVER_SWITCH:
        snprintf(buf, len, "%s", *(const int *)field ? "on" : "off");
        break;
    case LSC_DRIVER_SEED:
        snprintf(buf, len, "%llu", *(const unsigned long long *)field);
        break;
    case LSC_DRIVER_BOX:
        snprintf(buf, len, "%s", ((const char *)field)[0] ? (const char *)field : "default");
        break;
    case LSC_DRIVER_POSITIONS:
        k = *(const int *)field;
        if (k == n || k == LSC_POSITIONS_ALL)
            snprintf(buf, len, "all");
        else if (k == 0)
            snprintf(buf, len, "none");
        else
            snprintf(buf, len, "first:%d", k);
        break;
    }
    return buf;
}

/* ---- optional columns ------------------------------------------------------------ */

/* In the order of the header row (trajectory.h says what each holds). */
const lsc_column lsc_columns[] = {
    [LSC_COL_EPOCH] = {"epoch", LSC_COL_NEEDS_DATA, 0, 0, 1e9,
                       "epochs done: updates / updates per epoch"},
    [LSC_COL_EXAMPLES] = {"examples", LSC_COL_NEEDS_DATA, 0, 0, INFINITY,
                          "examples the updates used, batch by batch"},
    [LSC_COL_BATCH_LOSS] = {"batch_loss", LSC_COL_NEEDS_DATA, LSC_COL_NAN_OK, -INFINITY,
                            INFINITY, "the loss of the batch the update used (nan on row 0)"},
    [LSC_COL_TEST_LOSS] = {"test_loss", LSC_COL_NEEDS_DATA | LSC_COL_NEEDS_HOLDOUT, 0,
                           -INFINITY, INFINITY, "f on the held-out examples"},
    [LSC_COL_ACC] = {"acc", LSC_COL_NEEDS_DATA | LSC_COL_NEEDS_CLASSES, 0, 0, 1,
                     "fraction of training examples classified right"},
    [LSC_COL_TEST_ACC] = {"test_acc",
                          LSC_COL_NEEDS_DATA | LSC_COL_NEEDS_HOLDOUT | LSC_COL_NEEDS_CLASSES, 0,
                          0, 1, "fraction of held-out examples classified right"},
    [LSC_COL_TIME] = {"time", LSC_COL_NEEDS_TIME, 0, 0, INFINITY,
                      "wall seconds of the run's updates"},
    [LSC_COL_EIG_MIN] = {"eig_min", LSC_COL_NEEDS_HESSIAN, LSC_COL_NAN_OK, -INFINITY, INFINITY,
                         "the smallest eigenvalue of the Hessian at x (hessian on)"},
    [LSC_COL_EIG_MAX] = {"eig_max", LSC_COL_NEEDS_HESSIAN, LSC_COL_NAN_OK, -INFINITY, INFINITY,
                         "the largest eigenvalue of the Hessian at x (hessian on)"},
};
const int lsc_ncolumns = LSC_COUNTOF(lsc_columns);
_Static_assert(LSC_COUNTOF(lsc_columns) == LSC_NCOLS && LSC_NCOLS <= 64,
               "one row per lsc_col, at most 64 (t->cols is a bit set)");

/* The per-layer families (trajectory.h), in the order of the block. */
const lsc_layer_column lsc_layer_columns[] = {
    [LSC_LCOL_G] = {"g", 0, INFINITY, "|df/dW_l|: the gradient's norm over layer l's weights"},
    [LSC_LCOL_W] = {"w", 0, INFINITY, "|W_l|: layer l's weight norm"},
    [LSC_LCOL_A] = {"a", 0, INFINITY, "the standard deviation of layer l's pre-activations"},
    [LSC_LCOL_SAT] = {"sat", 0, 1, "layer l's saturated fraction"},
    [LSC_LCOL_H] = {"h", 0, INFINITY, "|df/dh_t|: the gradient reaching time step t"},
};
const int lsc_nlayer_columns = LSC_COUNTOF(lsc_layer_columns);
_Static_assert(LSC_COUNTOF(lsc_layer_columns) == LSC_NLCOLS && LSC_NLCOLS <= 16,
               "one row per lsc_layer_col (t->layer_fams is a small bit set)");

int lsc_layer_column_find(const char *prefix)
{
    for (int k = 0; k < lsc_nlayer_columns; k++)
        if (!strcmp(lsc_layer_columns[k].prefix, prefix))
            return k;
    return -1;
}

int lsc_trajectory_layer_values(const lsc_trajectory *t)
{
    return t->layers > 0 ? __builtin_popcount(t->layer_fams) * t->layers : 0;
}

double lsc_run_record_layer(const lsc_trajectory *t, const lsc_run_record *r, size_t k, int f,
                            int l)
{
    if (!r->layer || k >= r->len || f < 0 || f >= LSC_NLCOLS || !(t->layer_fams >> f & 1) ||
        l < 1 || l > t->layers)
        return NAN;
    /* the families before f in the block, then layer l of f */
    const int before = __builtin_popcount(t->layer_fams & ((1u << f) - 1));
    return r->layer[k * (size_t)lsc_trajectory_layer_values(t) +
                    (size_t)before * (size_t)t->layers + (size_t)(l - 1)];
}

int lsc_column_find(const char *name)
{
    for (int k = 0; k < lsc_ncolumns; k++)
        if (!strcmp(lsc_columns[k].name, name))
            return k;
    return -1;
}

/* Columns a row has beside run and step (for size estimates). */
static int row_values(const lsc_trajectory *t)
{
    return 3 + t->has_dist + __builtin_popcountll(t->cols) + lsc_trajectory_layer_values(t) +
           t->npos;
}

/* ---- trajectories in memory ------------------------------------------------------------ */

void lsc_trajectory_init(lsc_trajectory *t, int n, int npos, int has_dist)
{
    memset(t, 0, sizeof *t);
    snprintf(t->version, sizeof t->version, "%s", LSC_VERSION);
    snprintf(t->schedule, sizeof t->schedule, "constant");
    t->n = n;
    t->npos = npos;
    t->has_dist = has_dist;
    t->every = 1;
    t->stop_loss = NAN; /* off: 0 would be a loss level */
}

static void record_free(lsc_run_record *r)
{
    free(r->start);
    free(r->step);
    free(r->lr);
    free(r->loss);
    free(r->grad_norm);
    free(r->dist);
    for (int c = 0; c < LSC_NCOLS; c++)
        free(r->col[c]);
    free(r->layer);
    free(r->x);
}

void lsc_trajectory_free(lsc_trajectory *t)
{
    for (int i = 0; i < t->nruns; i++)
        record_free(&t->runs[i]);
    free(t->runs);
    t->runs = NULL;
    t->nruns = 0;
    t->runs_cap = 0;
}

/* A new, zeroed record at the end of t->runs (start not allocated). The array doubles when
 * full, so n runs cost O(log n) reallocations. */
static lsc_run_record *append_record(lsc_trajectory *t)
{
    if (t->nruns >= t->runs_cap) {
        int cap = t->nruns < 2 ? 4 : 2 * t->nruns;
        lsc_run_record *runs = realloc(t->runs, (size_t)cap * sizeof *runs);
        if (!runs)
            return NULL;
        t->runs = runs;
        t->runs_cap = cap;
    }
    lsc_run_record *r = &t->runs[t->nruns++];
    memset(r, 0, sizeof *r);
    return r;
}

lsc_run_record *lsc_trajectory_add_run(lsc_trajectory *t)
{
    lsc_run_record *r = append_record(t);
    if (!r)
        return NULL;
    r->start = calloc((size_t)(t->n > 0 ? t->n : 1), sizeof *r->start);
    if (!r->start) {
        t->nruns--;
        return NULL;
    }
    return r;
}

lsc_run_record *lsc_trajectory_add_run_desc(lsc_trajectory *t, const lsc_start_desc *d)
{
    if (t->n <= LSC_START_LIST_MAX) {
        lsc_run_record *r = lsc_trajectory_add_run(t);
        if (r)
            r->start_desc = *d;
        return r;
    }
    lsc_run_record *r = append_record(t);
    if (r)
        r->start_desc = *d;
    return r;
}

const double *lsc_run_record_start(const lsc_trajectory *t, const lsc_run_record *r)
{
    if (r->start)
        return r->start;
    if (t->n > 0 && t->npos == t->n && r->len > 0 && r->step[0] == 0)
        return r->x;
    return NULL;
}

int lsc_run_record_own(const lsc_run_record *r, const char *name)
{
    const lsc_driver_option *o = lsc_driver_option_find(name);
    return o && o->group > 0 && (r->own >> (o - lsc_driver_options) & 1);
}

/* A run's own value of a group option, when it differs from the header's. */
static int own_value(const lsc_driver_option *o, const lsc_trajectory *t,
                     const lsc_run_record *r)
{
    const void *rv = (const char *)r + o->run_off, *tv = (const char *)t + o->off;
    if (o->type == LSC_DRIVER_SPEC)
        return ((const char *)rv)[0] && strcmp(rv, tv);
    return *(const double *)rv != *(const double *)tv; /* REAL */
}

int lsc_run_record_reserve(const lsc_trajectory *t, lsc_run_record *r, size_t count)
{
    size_t need = r->len + count;
    if (need <= r->cap)
        return LSC_OK;
    size_t cap = r->cap ? r->cap : 16;
    while (cap < need)
        cap *= 2;
    long *step = realloc(r->step, cap * sizeof *step);
    if (step)
        r->step = step;
    double *lr = realloc(r->lr, cap * sizeof *lr);
    if (lr)
        r->lr = lr;
    double *loss = realloc(r->loss, cap * sizeof *loss);
    if (loss)
        r->loss = loss;
    double *gn = realloc(r->grad_norm, cap * sizeof *gn);
    if (gn)
        r->grad_norm = gn;
    int ok = step && lr && loss && gn;
    if (ok && t->has_dist) {
        double *d = realloc(r->dist, cap * sizeof *d);
        if (d)
            r->dist = d;
        ok = d != NULL;
    }
    for (int c = 0; ok && c < LSC_NCOLS; c++) {
        if (!(t->cols >> c & 1))
            continue;
        double *v = realloc(r->col[c], cap * sizeof *v);
        if (v)
            r->col[c] = v;
        ok = v != NULL;
    }
    const size_t nl = (size_t)lsc_trajectory_layer_values(t);
    if (ok && nl > 0) {
        double *v = realloc(r->layer, cap * nl * sizeof *v);
        if (v)
            r->layer = v;
        ok = v != NULL;
    }
    if (ok && t->npos > 0) {
        double *x = realloc(r->x, cap * (size_t)t->npos * sizeof *x);
        if (x)
            r->x = x;
        ok = x != NULL;
    }
    if (!ok)
        return LSC_ENOMEM;
    r->cap = cap;
    return LSC_OK;
}

void lsc_run_record_push(const lsc_trajectory *t, lsc_run_record *r, const lsc_row *row)
{
    size_t k = r->len++;
    r->step[k] = row->step;
    r->lr[k] = row->lr;
    r->loss[k] = row->loss;
    r->grad_norm[k] = row->grad_norm;
    if (t->has_dist)
        r->dist[k] = row->dist;
    for (int c = 0; c < LSC_NCOLS; c++)
        if (t->cols >> c & 1)
            r->col[c][k] = row->col[c];
    const size_t nl = (size_t)lsc_trajectory_layer_values(t);
    if (nl > 0)
        memcpy(r->layer + k * nl, row->layer, nl * sizeof *row->layer);
    if (t->npos > 0)
        memcpy(r->x + k * (size_t)t->npos, row->x, (size_t)t->npos * sizeof *row->x);
}

void lsc_run_record_row(const lsc_trajectory *t, const lsc_run_record *r, size_t k,
                        lsc_row *row)
{
    row->step = r->step[k];
    row->lr = r->lr[k];
    row->loss = r->loss[k];
    row->grad_norm = r->grad_norm[k];
    row->dist = t->has_dist && r->dist ? r->dist[k] : NAN;
    for (int c = 0; c < LSC_NCOLS; c++)
        row->col[c] = (t->cols >> c & 1) && r->col[c] ? r->col[c][k] : NAN;
    const size_t nl = (size_t)lsc_trajectory_layer_values(t);
    row->layer = nl > 0 && r->layer ? r->layer + k * nl : NULL;
    row->x = t->npos > 0 ? r->x + k * (size_t)t->npos : NULL;
}

/* ---- merging the runs of several files ------------------------------------------------ */

/* Keep the first `to` of the `from` coordinates of each row of r (to < from), in place:
 * row k moves from k * from to k * to <= k * from, so increasing k never overwrites a row
 * not yet moved. */
static void keep_positions(lsc_run_record *r, int from, int to)
{
    if (to == 0) {
        free(r->x);
        r->x = NULL;
        return;
    }
    for (size_t k = 0; k < r->len; k++)
        memmove(r->x + k * (size_t)to, r->x + k * (size_t)from, (size_t)to * sizeof *r->x);
}

/* Drop the per-layer block of t's runs. */
static void drop_layers(lsc_trajectory *t)
{
    for (int i = 0; i < t->nruns; i++) {
        free(t->runs[i].layer);
        t->runs[i].layer = NULL;
    }
    t->layers = 0;
    t->layer_fams = 0;
}

/* Narrow the rows of t's runs to npos coordinates and, without has_dist, drop dist; keep
 * only the optional columns of cols. */
static void narrow_rows(lsc_trajectory *t, int npos, int has_dist, unsigned long long cols)
{
    for (int i = 0; i < t->nruns; i++) {
        lsc_run_record *r = &t->runs[i];
        if (npos < t->npos)
            keep_positions(r, t->npos, npos);
        if (!has_dist) {
            free(r->dist);
            r->dist = NULL;
        }
        for (int c = 0; c < LSC_NCOLS; c++)
            if (!(cols >> c & 1)) {
                free(r->col[c]);
                r->col[c] = NULL;
            }
    }
    t->npos = npos < t->npos ? npos : t->npos;
    t->has_dist = t->has_dist && has_dist;
    t->cols &= cols;
}

/* Mark in dst->mixed each driver option a run cannot hold as its own whose value src's
 * header does not share (compared as written); steps becomes the largest. */
static void mark_mixed(lsc_trajectory *dst, const lsc_trajectory *src)
{
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        char a[LSC_VALUE_MAX + 32], b[LSC_VALUE_MAX + 32];
        if (o->group > 0 || o->type == LSC_DRIVER_POSITIONS)
            continue; /* a run's own value; positions: the rows are narrowed instead */
        lsc_driver_option_format(o, (const char *)dst + o->off, dst->n, a, sizeof a);
        lsc_driver_option_format(o, (const char *)src + o->off, src->n, b, sizeof b);
        if (strcmp(a, b))
            dst->mixed |= 1ULL << k;
    }
    if (src->steps > dst->steps)
        dst->steps = src->steps;
}

int lsc_trajectory_merge(lsc_trajectory *dst, lsc_trajectory *src, const char *source,
                         lsc_error *err)
{
    int rc = LSC_OK;
    if (dst->nruns == 0 && dst->n == 0) { /* empty: src's header */
        lsc_run_record *keep = dst->runs;
        int cap = dst->runs_cap;
        *dst = *src;
        dst->runs = keep;
        dst->runs_cap = cap;
        dst->nruns = 0;
        dst->mixed = 0;
    } else if (dst->n != src->n || strcmp(dst->landscape, src->landscape)) {
        lsc_error_set(err, LSC_EINVAL, "'%s' is on landscape '%.200s' (dim %d), the runs "
                      "before it on '%.200s' (dim %d): the runs of one figure share their "
                      "landscape and dimension", source, src->landscape, src->n, dst->landscape,
                      dst->n);
        rc = LSC_EINVAL;
    } else if (dst->nruns + src->nruns > LSC_TRAJ_MAX_RUNS) {
        lsc_error_set(err, LSC_EINVAL, "'%s': more than %d runs in all", source,
                      LSC_TRAJ_MAX_RUNS);
        rc = LSC_EINVAL;
    } else {
        mark_mixed(dst, src);
    }
    if (rc == LSC_OK && dst->nruns + src->nruns > dst->runs_cap) {
        int cap = dst->nruns + src->nruns;
        lsc_run_record *runs = realloc(dst->runs, (size_t)cap * sizeof *runs);
        if (runs) {
            dst->runs = runs;
            dst->runs_cap = cap;
        } else {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            rc = LSC_ENOMEM;
        }
    }
    if (rc != LSC_OK) {
        lsc_trajectory_free(src);
        return rc;
    }
    narrow_rows(dst, src->npos, src->has_dist, src->cols);
    narrow_rows(src, dst->npos, dst->has_dist, dst->cols);
    if (dst->layers != src->layers || dst->layer_fams != src->layer_fams) {
        drop_layers(dst); /* not the same block: neither keeps it */
        drop_layers(src);
    }
    for (int i = 0; i < src->nruns; i++) {
        lsc_run_record *r = &dst->runs[dst->nruns++];
        *r = src->runs[i]; /* the arrays move with the record */
        r->own = 0;
        for (int k = 0; k < lsc_driver_noptions; k++)
            if (lsc_driver_options[k].group > 0 && own_value(&lsc_driver_options[k], dst, r))
                r->own |= 1ULL << k;
        snprintf(r->source, sizeof r->source, "%s", source);
    }
    free(src->runs);
    src->runs = NULL;
    src->nruns = 0;
    src->runs_cap = 0;
    return LSC_OK;
}

/* ---- writing ------------------------------------------------------------------- */

static void put_list(FILE *fp, const double *x, int n)
{
    char b[32];
    for (int j = 0; j < n; j++)
        fprintf(fp, "%s%s", j ? "," : "", lsc_fmt_double(b, x[j]));
}

/* A run's start: its numbers up to LSC_START_LIST_MAX coordinates, else how it was made
 * (a given vector's checksum is computed here when the record holds it). */
static void put_start(FILE *fp, const lsc_trajectory *t, const lsc_run_record *r)
{
    if (r->start && t->n <= LSC_START_LIST_MAX) {
        put_list(fp, r->start, t->n);
        return;
    }
    char buf[LSC_VALUE_MAX + 64];
    lsc_start_desc d = r->start_desc;
    if (d.kind == LSC_START_GIVEN && r->start)
        d.checksum = lsc_start_checksum(r->start, t->n);
    fputs(lsc_start_describe(&d, buf, sizeof buf), fp);
}

/* The metadata lines and the header row (everything before the rows). The driver options
 * come from their table, one line each, and a run's own values in the order of their
 * group numbers. */
static void put_header(const lsc_trajectory *t, FILE *fp)
{
    char b[LSC_VALUE_MAX + 32];
    fprintf(fp, "# losscape trajectory v1\n");
    fprintf(fp, "# version: %s\n", t->version);
    fprintf(fp, "# landscape: %s\n", t->landscape);
    fprintf(fp, "# dim: %d\n", t->n);
    if (t->data[0]) { /* a model over data: what rebuilds its landscape */
        fprintf(fp, "# data: %s\n", t->data);
        if (t->target[0])
            fprintf(fp, "# target: %s\n", t->target);
        fprintf(fp, "# holdout: %s\n", lsc_fmt_double(b, t->holdout));
    }
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        if ((o->flags & LSC_DRIVER_DATA) && !t->data[0])
            continue; /* mini-batch options: models over data only */
        lsc_driver_option_format(o, (const char *)t + o->off, t->n, b, sizeof b);
        if ((o->flags & LSC_DRIVER_QUIET) && !strcmp(b, o->def))
            continue; /* only when set (record_time) */
        fprintf(fp, "# %s: %s\n", o->name, b);
    }
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        fprintf(fp, "# run %d optimizer: %s\n", i, r->optimizer);
        fprintf(fp, "# run %d label: %s\n", i, r->label);
        fprintf(fp, "# run %d start: ", i);
        put_start(fp, t, r);
        fprintf(fp, "\n# run %d status: %s\n", i, lsc_stop_name(r->status));
        fprintf(fp, "# run %d reason: %s\n", i, r->reason);
        if (t->escape > 0) { /* the event's step (trajectory.h) */
            if (r->escape > 0)
                fprintf(fp, "# run %d escape: %ld\n", i, r->escape);
            else
                fprintf(fp, "# run %d escape: never\n", i);
        }
        for (int g = 1, found = 1; found; g++) {
            found = 0;
            for (int k = 0; k < lsc_driver_noptions; k++) {
                const lsc_driver_option *o = &lsc_driver_options[k];
                if (o->group != g)
                    continue;
                found = 1;
                if (own_value(o, t, r))
                    fprintf(fp, "# run %d %s: %s\n", i, o->name,
                            lsc_driver_option_format(o, (const char *)r + o->run_off, t->n, b,
                                                     sizeof b));
            }
        }
    }
    fprintf(fp, "run\tstep\tlr\tloss\tgrad_norm");
    if (t->has_dist)
        fprintf(fp, "\tdist");
    for (int c = 0; c < LSC_NCOLS; c++)
        if (t->cols >> c & 1)
            fprintf(fp, "\t%s", lsc_columns[c].name);
    for (int f = 0; f < LSC_NLCOLS && t->layers > 0; f++)
        if (t->layer_fams >> f & 1)
            for (int l = 1; l <= t->layers; l++)
                fprintf(fp, "\t%s%d", lsc_layer_columns[f].prefix, l);
    for (int j = 0; j < t->npos; j++)
        fprintf(fp, "\tx%d", j + 1);
    fputc('\n', fp);
}

/* One row: run, step, lr, loss, grad_norm, [dist], [optional columns], the first npos
 * coordinates of x. */
static void put_row(FILE *fp, const lsc_trajectory *t, int run, const lsc_row *row)
{
    char b[32];
    fprintf(fp, "%d\t%ld\t", run, row->step);
    fputs(lsc_fmt_double(b, row->lr), fp);
    fputc('\t', fp);
    fputs(lsc_fmt_double(b, row->loss), fp);
    fputc('\t', fp);
    fputs(lsc_fmt_double(b, row->grad_norm), fp);
    if (t->has_dist) {
        fputc('\t', fp);
        fputs(lsc_fmt_double(b, row->dist), fp);
    }
    for (int c = 0; c < LSC_NCOLS; c++)
        if (t->cols >> c & 1) {
            fputc('\t', fp);
            fputs(lsc_fmt_double(b, row->col[c]), fp);
        }
    const int nl = lsc_trajectory_layer_values(t);
    for (int j = 0; j < nl; j++) {
        fputc('\t', fp);
        fputs(lsc_fmt_double(b, row->layer[j]), fp);
    }
    for (int j = 0; j < t->npos; j++) {
        fputc('\t', fp);
        fputs(lsc_fmt_double(b, row->x[j]), fp);
    }
    fputc('\n', fp);
}

static void put_all(const lsc_trajectory *t, FILE *fp)
{
    put_header(t, fp);
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        for (size_t k = 0; k < r->len; k++) {
            lsc_row row;
            lsc_run_record_row(t, r, k, &row);
            put_row(fp, t, i, &row);
        }
    }
}

int lsc_trajectory_write_stream(const lsc_trajectory *t, FILE *fp, lsc_error *err)
{
    put_all(t, fp);
    if (ferror(fp)) {
        lsc_error_set(err, LSC_EIO, "writing the trajectory failed: %s", strerror(errno));
        return LSC_EIO;
    }
    return LSC_OK;
}

/* lsc_outfile_open, with its message made flag-free: lsc_outfile puts "WHAT: " first,
 * and the library's messages name the file, not a flag (the CLI adds one if it likes). */
static int open_output(lsc_outfile *f, const char *path, lsc_error *err)
{
    static const char what[] = "trajectory";
    int rc = lsc_outfile_open(f, path, what, err);
    if (rc != LSC_OK && err && !strncmp(err->msg, what, sizeof what - 1) &&
        !strncmp(err->msg + sizeof what - 1, ": ", 2))
        memmove(err->msg, err->msg + sizeof what + 1, strlen(err->msg + sizeof what + 1) + 1);
    return rc;
}

int lsc_trajectory_write(const lsc_trajectory *t, const char *path, lsc_error *err)
{
    lsc_outfile f;
    int rc = open_output(&f, path, err);
    if (rc != LSC_OK)
        return rc;
    put_all(t, f.fp);
    return lsc_outfile_commit(&f, err); /* checks the stream's error flag too */
}

/* ---- streaming ------------------------------------------------------------------- */

static const char *tmp_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d && d[0] ? d : "/tmp";
}

/* The row temporary for an output written in place ("-", a device, a FIFO): in $TMPDIR. */
static int rows_in_tmpdir(lsc_trajectory_stream *s, lsc_error *err)
{
    int w = snprintf(s->rows_path, sizeof s->rows_path, "%s/losscape-rows.XXXXXX", tmp_dir());
    int fd = (w > 0 && (size_t)w < sizeof s->rows_path) ? mkstemp(s->rows_path) : -1;
    if (fd < 0 || !(s->rows = fdopen(fd, "w+"))) {
        int e = fd < 0 && (w <= 0 || (size_t)w >= sizeof s->rows_path) ? ENAMETOOLONG : errno;
        if (fd >= 0) {
            close(fd);
            unlink(s->rows_path);
        }
        s->rows_path[0] = '\0';
        lsc_error_set(err, LSC_EIO, "cannot create a temporary file in '%s': %s", tmp_dir(),
                      strerror(e));
        return LSC_EIO;
    }
    lsc_outfile_track(s->rows_path);
    return LSC_OK;
}

/* The row temporary beside a regular output ("DIR/.NAME.XXXXXX.rows"). */
static int rows_beside(lsc_trajectory_stream *s, const char *path, lsc_error *err)
{
    int rc = lsc_outfile_temp_beside(path, ".rows", s->rows_path, sizeof s->rows_path, err);
    if (rc != LSC_OK) {
        s->rows_path[0] = '\0';
        return rc;
    }
    if (!(s->rows = fopen(s->rows_path, "w+"))) {
        lsc_error_set(err, LSC_EIO, "cannot write beside '%s': %s", path, strerror(errno));
        return LSC_EIO;
    }
    return LSC_OK;
}

int lsc_trajectory_stream_open(lsc_trajectory_stream *s, lsc_trajectory *t, const char *path,
                               int keep_rows, lsc_error *err)
{
    memset(s, 0, sizeof *s);
    s->t = t;
    s->keep_rows = keep_rows;
    int rc = open_output(&s->out, path, err);
    if (rc != LSC_OK)
        return rc;
    rc = s->out.tmp[0] ? rows_beside(s, path, err) : rows_in_tmpdir(s, err);
    if (rc != LSC_OK)
        lsc_trajectory_stream_abort(s);
    return rc;
}

/* Keep a row of run `run` in memory: every row (room for the whole run is made at its
 * first row, so the steps do not allocate), or only the last one, for a summary. */
static int keep_row(lsc_trajectory *t, int keep_all, int run, const lsc_row *row,
                    lsc_error *err)
{
    lsc_run_record *r = &t->runs[run];
    size_t room = !keep_all ? 1
                  : r->len == 0 ? (size_t)(t->steps / (t->every > 0 ? t->every : 1)) + 2
                                : r->len;
    if (!keep_all)
        r->len = 0;
    if (r->len == r->cap && lsc_run_record_reserve(t, r, room) != LSC_OK) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory keeping %zu rows of run %d", r->len + room,
                      run);
        return LSC_ENOMEM;
    }
    lsc_run_record_push(t, r, row);
    return LSC_OK;
}

int lsc_trajectory_last_row(void *trajectory, int run, const lsc_row *row, lsc_error *err)
{
    lsc_trajectory *t = trajectory;
    if (run < 0 || run >= t->nruns) {
        lsc_error_set(err, LSC_EINVAL, "a row for run %d, which the trajectory does not have",
                      run);
        return LSC_EINVAL;
    }
    return keep_row(t, 0, run, row, err);
}

int lsc_trajectory_stream_row(void *stream, int run, const lsc_row *row, lsc_error *err)
{
    lsc_trajectory_stream *s = stream;
    lsc_trajectory *t = s->t;
    if (!s->rows || run < 0 || run >= t->nruns) {
        lsc_error_set(err, LSC_EINVAL, "cannot write '%s': a row for run %d, which the "
                      "trajectory does not have", s->out.path, run);
        return LSC_EINVAL;
    }
    put_row(s->rows, t, run, row);
    if (ferror(s->rows)) {
        lsc_error_set(err, LSC_EIO, "cannot write '%s': writing its rows to '%s' failed: %s",
                      s->out.path, s->rows_path, strerror(errno));
        return LSC_EIO;
    }
    return keep_row(t, s->keep_rows, run, row, err);
}

static void forget_rows(lsc_trajectory_stream *s)
{
    if (s->rows)
        fclose(s->rows);
    s->rows = NULL;
    if (s->rows_path[0]) {
        unlink(s->rows_path);
        lsc_outfile_forget(s->rows_path);
        s->rows_path[0] = '\0';
    }
}

int lsc_trajectory_stream_finish(lsc_trajectory_stream *s, lsc_error *err)
{
    if (!s->rows || !s->out.fp) {
        lsc_error_set(err, LSC_EINVAL, "cannot write '%s': the stream is not open",
                      s->out.path);
        lsc_trajectory_stream_abort(s);
        return LSC_EINVAL;
    }
    /* header (now that every run's status is known), then the rows as they were written */
    put_header(s->t, s->out.fp);
    int bad = fflush(s->rows) != 0 || ferror(s->rows) ? errno : 0;
    if (!bad && fseek(s->rows, 0, SEEK_SET) != 0)
        bad = errno;
    char buf[1 << 16];
    size_t k;
    while (!bad && (k = fread(buf, 1, sizeof buf, s->rows)) > 0)
        if (fwrite(buf, 1, k, s->out.fp) != k)
            bad = errno ? errno : EIO;
    if (!bad && ferror(s->rows))
        bad = errno ? errno : EIO;
    if (bad) {
        lsc_error_set(err, LSC_EIO, "cannot write '%s': copying its rows from '%s' failed: %s",
                      s->out.path, s->rows_path, strerror(bad));
        lsc_trajectory_stream_abort(s);
        return LSC_EIO;
    }
    forget_rows(s);
    return lsc_outfile_commit(&s->out, err);
}

void lsc_trajectory_stream_abort(lsc_trajectory_stream *s)
{
    forget_rows(s);
    lsc_outfile_abort(&s->out);
}

/* "1.23 GB" (decimal units, as df -H) */
static const char *fmt_bytes(char *buf, size_t len, double b)
{
    static const char *const unit[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
    int u = 0;
    while (b >= 1000 && u < 6) {
        b /= 1000;
        u++;
    }
    snprintf(buf, len, u ? "%.3g %s" : "%.0f %s", b, unit[u]);
    return buf;
}

int lsc_trajectory_check_size(const lsc_trajectory *t, int nruns, const char *path,
                              int keep_rows, lsc_error *err)
{
    char b1[32], b2[32];
    const long every = t->every > 0 ? t->every : 1;
    /* rows: step 0, every k-th step and the last (at most steps/every + 2 a run) */
    const double rows = (double)nruns * ((double)(t->steps / every) + 2);
    if (keep_rows) {
        double values = rows * (1 + row_values(t));
        if (values > (double)LSC_TRAJ_MAX_VALUES) {
            lsc_error_set(err, LSC_EINVAL, "the trajectory would keep %.0f numbers in memory "
                          "(%s), more than the %llu (1 GiB) a trajectory may hold", values,
                          fmt_bytes(b1, sizeof b1, 8 * values), LSC_TRAJ_MAX_VALUES);
            return LSC_EINVAL;
        }
    }
    /* about 24 bytes a number (17 digits, sign, exponent, separator), plus the metadata:
     * a start line of n numbers (up to LSC_START_LIST_MAX; above, a description) and a
     * few hundred bytes per run */
    const int listed = t->n <= LSC_START_LIST_MAX ? t->n : 0;
    const double bytes = rows * (2 + row_values(t)) * 24 +
                         (double)nruns * ((double)listed * 25 + 4096) + 4096;
    struct stat st;
    int exists = strcmp(path, "-") && stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return LSC_OK; /* opening it says what is wrong */
    /* A regular file holds the rows twice at the end (the row temporary and the new file,
     * beside each other); an output written in place only has the row temporary, in
     * $TMPDIR. */
    const int in_place = !strcmp(path, "-") || (exists && !S_ISREG(st.st_mode));
    char where[LSC_PATH_MAX];
    if (in_place) {
        snprintf(where, sizeof where, "%s", tmp_dir());
    } else if (exists) {
        snprintf(where, sizeof where, "%s", path);
    } else {
        const char *slash = strrchr(path, '/');
        if (!slash)
            snprintf(where, sizeof where, ".");
        else if (slash == path)
            snprintf(where, sizeof where, "/");
        else
            snprintf(where, sizeof where, "%.*s", (int)(slash - path), path);
    }
    struct statvfs vs;
    if (statvfs(where, &vs) != 0)
        return LSC_OK; /* unknown: the writing will tell */
    const double avail = (double)vs.f_bavail * (double)vs.f_frsize;
    const double need = in_place ? bytes : 2 * bytes;
    if (need > avail) {
        lsc_error_set(err, LSC_EINVAL, "the trajectory would take about %s %s, and the file "
                      "system of '%s' has %s free",
                      fmt_bytes(b1, sizeof b1, need),
                      in_place ? "in a temporary file" : "(its rows twice, while it is written)",
                      where, fmt_bytes(b2, sizeof b2, avail));
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* ---- reading ------------------------------------------------------------------- */

/* Lines are read through a fixed block with a bound on each line and on the whole file,
 * so that /dev/zero, a FIFO or a file of one endless line fails fast instead of growing. */
typedef struct {
    FILE *fp;
    char blk[1 << 16];
    size_t pos, end;
    int eof;
    char *line;
    size_t len, cap;
    unsigned long long total; /* bytes read so far */
} line_reader;

enum { LINE_OK = 1, LINE_EOF = 0, LINE_TOO_LONG = -1, LINE_NUL = -2, LINE_TOO_MUCH = -3,
       LINE_READ_ERROR = -4, LINE_NOMEM = -5 };

/* Append k bytes to the line, growing it geometrically up to max + 1 bytes. */
static int line_append(line_reader *lr, const char *p, size_t k, size_t max)
{
    if (lr->len + k > max)
        return LINE_TOO_LONG;
    if (lr->len + k + 1 > lr->cap) {
        size_t cap = lr->cap ? lr->cap : 256;
        while (cap < lr->len + k + 1)
            cap *= 2;
        if (cap > max + 1)
            cap = max + 1;
        char *line = realloc(lr->line, cap);
        if (!line)
            return LINE_NOMEM;
        lr->line = line;
        lr->cap = cap;
    }
    memcpy(lr->line + lr->len, p, k);
    lr->len += k;
    return LINE_OK;
}

/* The next line, without its '\n' (and a final '\r'), in lr->line. */
static int next_line(line_reader *lr, size_t max)
{
    lr->len = 0;
    int any = 0;
    for (;;) {
        if (lr->pos == lr->end) {
            if (lr->eof)
                break;
            size_t k = fread(lr->blk, 1, sizeof lr->blk, lr->fp);
            if (k == 0) {
                if (ferror(lr->fp))
                    return LINE_READ_ERROR;
                lr->eof = 1;
                continue;
            }
            lr->total += k;
            if (lr->total > LSC_TRAJ_MAX_BYTES)
                return LINE_TOO_MUCH;
            lr->pos = 0;
            lr->end = k;
        }
        any = 1;
        const char *p = lr->blk + lr->pos;
        size_t avail = lr->end - lr->pos;
        const char *nl = memchr(p, '\n', avail);
        size_t k = nl ? (size_t)(nl - p) : avail;
        if (memchr(p, '\0', k))
            return LINE_NUL;
        int rc = line_append(lr, p, k, max);
        if (rc != LINE_OK)
            return rc;
        lr->pos += k + (nl != NULL);
        if (nl)
            break;
    }
    if (!any && lr->len == 0)
        return LINE_EOF;
    if (lr->len && lr->line[lr->len - 1] == '\r')
        lr->len--;
    if (line_append(lr, "", 0, max) != LINE_OK) /* room for the terminator */
        return LINE_NOMEM;
    lr->line[lr->len] = '\0';
    return LINE_OK;
}

/* The group options of run r that it has no own value of: the header's. */
static void own_or_header(const lsc_trajectory *t, lsc_run_record *r)
{
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        if (o->group == 0 || (r->own >> k & 1))
            continue;
        const char *tv = (const char *)t + o->off;
        char *rv = (char *)r + o->run_off;
        if (o->type == LSC_DRIVER_SPEC)
            snprintf(rv, LSC_VALUE_MAX, "%s", tv);
        else /* REAL */
            memcpy(rv, tv, sizeof(double));
    }
}

/* What each run must have before the header row */
enum { HAVE_OPTIMIZER = 1, HAVE_LABEL = 2, HAVE_START = 4, HAVE_STATUS = 8, HAVE_REASON = 16,
       HAVE_ALL = 31 };

typedef struct {
    const char *path;
    long line;
    lsc_error *err;
    int have_landscape, have_dim;
    unsigned long long options;   /* bit k: the '# NAME:' line of row k of
                                     lsc_driver_options was read */
    unsigned char seen[LSC_TRAJ_MAX_RUNS];
    int ncols;                    /* columns of the header row */
    int last_run;                 /* run of the previous row, or -1 */
    long last_step;
    unsigned long long values;    /* numbers kept from the rows */
} reader;

static int bad(reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(reader *rd, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    lsc_error_set(rd->err, LSC_EINVAL, "%s:%ld: %s", rd->path, rd->line, what);
    return LSC_EINVAL;
}

/* A non-negative decimal integer, digits only (no sign, no spaces, no 0x, no 1e3),
 * at most max. */
static int parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    if (!*s)
        return LSC_EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return LSC_EINVAL;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return LSC_EINVAL;
        v = 10 * v + d;
    }
    *out = v;
    return LSC_OK;
}

/* A finite number >= 0 (noise, clipping, tolerances) */
static int parse_nonneg(const char *s, double *out)
{
    return lsc_parse_double(s, out) == LSC_OK && isfinite(*out) && *out >= 0 ? LSC_OK
                                                                             : LSC_EINVAL;
}

/* Copy a text value, refusing one that would not fit (a cut spec would mean another). */
static int put_text(reader *rd, char *dst, size_t len, const char *key, const char *val)
{
    size_t n = strlen(val);
    if (n >= len)
        return bad(rd, "'%s' is longer than %zu bytes", key, len - 1);
    memcpy(dst, val, n + 1);
    return LSC_OK;
}

/* A header value of driver option o into field, read through o's table row: what
 * lsc_driver_option_format wrote parses back, except that an option that may be off
 * (LSC_DRIVER_OFF) has its off value written as the number 0 ('off' on a command line).
 * n: the dimension, for the options checked against it (box); positions are read with
 * n = 0, so 'all' stays LSC_POSITIONS_ALL until the header row counts the columns.
 * A bad value's message is the option's own, after the file, the line and `pre`. */
static int read_option(reader *rd, const lsc_driver_option *o, const char *val, int n,
                       void *field, const char *pre)
{
    lsc_error e = {0};
    if ((o->flags & LSC_DRIVER_OFF) && !strcmp(val, "0"))
        val = "off";
    if (lsc_driver_option_parse(o, val, o->type == LSC_DRIVER_POSITIONS ? 0 : n, field, &e) ==
        LSC_OK)
        return LSC_OK;
    return bad(rd, "%s%s", pre, e.msg);
}

static int run_line(reader *rd, lsc_trajectory *t, const char *key, const char *val)
{
    /* key = "run K SUB" */
    const char *p = key + 4, *sp = strchr(p, ' ');
    char num[24];
    unsigned long long idx;
    if (!sp || sp == p || (size_t)(sp - p) >= sizeof num)
        return bad(rd, "malformed run line (expected '# run K KEY: VALUE')");
    memcpy(num, p, (size_t)(sp - p));
    num[sp - p] = '\0';
    if (parse_count(num, LSC_TRAJ_MAX_RUNS - 1, &idx) != LSC_OK)
        return bad(rd, "run index '%.20s' is not allowed (runs are numbered 0, 1, ... up to "
                   "%d)", num, LSC_TRAJ_MAX_RUNS - 1);
    if (!rd->have_dim)
        return bad(rd, "run line before the '# dim:' line");
    if (idx > (unsigned long long)t->nruns)
        return bad(rd, "run %llu before run %d (runs are numbered in order from 0)", idx,
                   t->nruns);
    if (idx == (unsigned long long)t->nruns && !append_record(t)) {
        lsc_error_set(rd->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    lsc_run_record *r = &t->runs[idx];
    const char *sub = sp + 1;
    unsigned char *seen = &rd->seen[idx];
    const lsc_driver_option *o;
    if (!strcmp(sub, "optimizer")) {
        *seen |= HAVE_OPTIMIZER;
        return put_text(rd, r->optimizer, sizeof r->optimizer, "optimizer", val);
    } else if (!strcmp(sub, "label")) {
        *seen |= HAVE_LABEL;
        return put_text(rd, r->label, sizeof r->label, "label", val);
    } else if (!strcmp(sub, "reason")) {
        *seen |= HAVE_REASON;
        return put_text(rd, r->reason, sizeof r->reason, "reason", val);
    } else if (!strcmp(sub, "escape")) { /* a step >= 1, or never */
        unsigned long long k = 0;
        if (strcmp(val, "never") && (parse_count(val, (unsigned long long)t->steps, &k) != LSC_OK ||
                                     k == 0))
            return bad(rd, "run %llu escape: '%.40s' is not allowed (a step from 1 to 'steps', "
                       "or never)", idx, val);
        r->escape = (long)k;
    } else if (!strcmp(sub, "status")) {
        if (lsc_stop_from_name(val, &r->status) != LSC_OK)
            return bad(rd, "unknown run status '%.40s'", val);
        *seen |= HAVE_STATUS;
    } else if ((o = lsc_driver_option_find(sub)) && o->group > 0) {
        /* a group option: the run's own value, through the option's table row */
        char *field = (char *)r + o->run_off, pre[32];
        snprintf(pre, sizeof pre, "run %llu ", idx);
        if (read_option(rd, o, val, t->n, field, pre) != LSC_OK)
            return LSC_EINVAL;
        if (o->type != LSC_DRIVER_SPEC || field[0]) /* an empty spec: the header's */
            r->own |= 1ULL << (o - lsc_driver_options);
    } else if (!strcmp(sub, "start")) {
        /* how the start was made (no numbers kept), or its numbers */
        if (lsc_start_parse(val, &r->start_desc) == LSC_OK) {
            free(r->start);
            r->start = NULL;
            *seen |= HAVE_START;
            return LSC_OK;
        }
        /* allocated here, from a line that holds its n numbers: memory follows the bytes */
        if (!r->start && !(r->start = malloc((size_t)t->n * sizeof *r->start))) {
            lsc_error_set(rd->err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        int k = lsc_parse_list(val, ',', r->start, t->n);
        for (int j = 0; j < k; j++)
            if (!isfinite(r->start[j]))
                k = -1;
        if (k != t->n)
            return bad(rd, "run %llu start: expected %d finite numbers separated by ',' "
                       "('dim' is %d), or how it was made (random box, seed S; standard "
                       "start K; given, fnv1a64 H; file PATH, fnv1a64 H)", idx, t->n, t->n);
        memset(&r->start_desc, 0, sizeof r->start_desc);
        r->start_desc.kind = LSC_START_GIVEN;
        *seen |= HAVE_START;
    }
    return LSC_OK; /* other keys: comments */
}

static int meta_line(reader *rd, lsc_trajectory *t, char *line)
{
    char *text = line + 1;
    while (*text == ' ')
        text++;
    /* "key: value" (value may be empty: "key:") */
    char *colon = strchr(text, ':');
    if (!colon || (colon[1] != ' ' && colon[1] != '\0'))
        return LSC_OK; /* a free comment */
    *colon = '\0';
    const char *key = text, *val = colon[1] ? colon + 2 : colon + 1;
    double d;
    unsigned long long u;
    if (!strncmp(key, "run ", 4))
        return run_line(rd, t, key, val);
    if (!strcmp(key, "version"))
        return put_text(rd, t->version, sizeof t->version, key, val);
    if (!strcmp(key, "landscape")) {
        if (!val[0])
            return bad(rd, "'landscape' is empty");
        rd->have_landscape = 1;
        return put_text(rd, t->landscape, sizeof t->landscape, key, val);
    }
    if (!strcmp(key, "data"))
        return put_text(rd, t->data, sizeof t->data, key, val);
    if (!strcmp(key, "target"))
        return put_text(rd, t->target, sizeof t->target, key, val);
    if (!strcmp(key, "holdout")) {
        if (parse_nonneg(val, &d) != LSC_OK || d >= 1)
            return bad(rd, "'holdout' must be a number >= 0 and < 1");
        t->holdout = d;
        return LSC_OK;
    }
    if (!strcmp(key, "dim")) {
        if (t->nruns)
            return bad(rd, "'# dim:' after the run lines");
        if (rd->have_dim)
            return bad(rd, "a second '# dim:' line");
        if (parse_count(val, LSC_MAX_DIM, &u) != LSC_OK || u < 1)
            return bad(rd, "'dim' must be an integer from 1 to %d", LSC_MAX_DIM);
        t->n = (int)u;
        rd->have_dim = 1;
        return LSC_OK;
    }
    /* every driver option through its table row (a new option is read as it is written) */
    const lsc_driver_option *o = lsc_driver_option_find(key);
    if (o) {
        if (read_option(rd, o, val, t->n, (char *)t + o->off, "") != LSC_OK)
            return LSC_EINVAL;
        rd->options |= 1ULL << (o - lsc_driver_options);
    }
    return LSC_OK; /* other keys: comments */
}

/* Split a row or the header at tabs: cells[0..*n), each NUL-terminated in place. Empty
 * cells are kept (so "a\t\tb" has three). At most max cells; more returns max + 1. */
static int split_tabs(char *line, char **cells, int max)
{
    int n = 0;
    for (char *p = line;; p++) {
        if (n == max)
            return max + 1;
        cells[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p = '\0';
    }
    return n;
}

/* Optional column named cell at header-row column col (1-based), after the columns of
 * *cols: a known name, allowed by the header, not named before, in table order. */
static int optional_column(reader *rd, const lsc_trajectory *t, const char *cell, int col,
                           unsigned long long *cols)
{
    int c = lsc_column_find(cell);
    if (c < 0)
        return bad(rd, "column %d: unknown column '%.40s' (after grad_norm come dist, the "
                   "optional columns and x1 x2 ...)", col, cell);
    if (*cols >> c & 1)
        return bad(rd, "column %d: '%s' is named twice", col, cell);
    if (*cols >> c) {
        char order[LSC_NCOLS * 16] = "";
        size_t l = 0;
        for (int k = 0; k < LSC_NCOLS; k++)
            l += (size_t)snprintf(order + l, sizeof order - l, "%s%s", k ? " " : "",
                                  lsc_columns[k].name);
        return bad(rd, "column %d: '%s' comes after a column that follows it (the optional "
                   "columns come in the order of the table: %s)", col, cell, order);
    }
    const unsigned need = lsc_columns[c].needs;
    const char *missing = (need & LSC_COL_NEEDS_DATA) && !t->data[0]         ? "'# data:'"
                          : (need & LSC_COL_NEEDS_HOLDOUT) && !(t->holdout > 0) ? "a holdout"
                          : (need & LSC_COL_NEEDS_TIME) && !t->record_time ? "'# record_time: on'"
                          : (need & LSC_COL_NEEDS_HESSIAN) && !t->hessian ? "'# hessian: on'"
                                                                           : NULL;
    if (missing)
        return bad(rd, "column %d: '%s' is not allowed here: it needs %s in the metadata",
                   col, cell, missing);
    *cols |= 1ULL << c;
    return LSC_OK;
}

/* A per-layer column name: a family's prefix and an index 1 .. LSC_TRAJ_MAX_LAYERS,
 * digits only without a leading zero ("sat12"): LSC_OK with *f and *l, else LSC_EINVAL. */
static int layer_name(const char *cell, int *f, int *l)
{
    size_t p = 0;
    while (cell[p] >= 'a' && cell[p] <= 'z')
        p++;
    char prefix[8];
    unsigned long long v;
    if (p == 0 || p >= sizeof prefix || cell[p] == '0' ||
        parse_count(cell + p, LSC_TRAJ_MAX_LAYERS, &v) != LSC_OK || v < 1)
        return LSC_EINVAL;
    memcpy(prefix, cell, p);
    prefix[p] = '\0';
    if ((*f = lsc_layer_column_find(prefix)) < 0)
        return LSC_EINVAL;
    *l = (int)v;
    return LSC_OK;
}

/* The per-layer block (trajectory.h) from header-row column *col on: families in table
 * order, each named once with the indices 1 .. L in order, the same L for each; only with
 * '# layer_stats: on'. Sets t->layers and t->layer_fams, and *col to the first column
 * after the block. */
static int layer_block(reader *rd, lsc_trajectory *t, char **cells, int ncell, int *col)
{
    int f, l, c = *col, L = 0;
    t->layers = 0;
    t->layer_fams = 0;
    if (c >= ncell || layer_name(cells[c], &f, &l) != LSC_OK)
        return LSC_OK; /* no block */
    if (!t->layer_stats)
        return bad(rd, "column %d: '%.40s' is not allowed here: it needs '# layer_stats: on' "
                   "in the metadata", c + 1, cells[c]);
    while (c < ncell && layer_name(cells[c], &f, &l) == LSC_OK) {
        if (t->layer_fams >> f) /* f itself or a family after it came already */
            return bad(rd, "column %d: '%.40s': the per-layer families come once each, in "
                       "the order g w a sat h", c + 1, cells[c]);
        const char *p = lsc_layer_columns[f].prefix;
        int k = 0, g, m;
        for (; c < ncell && layer_name(cells[c], &g, &m) == LSC_OK && g == f; c++, k++)
            if (m != k + 1)
                return bad(rd, "column %d is '%.40s', expected '%s%d' (a family's columns "
                           "are %s1 .. %sL in order)", c + 1, cells[c], p, k + 1, p, p);
        if (L > 0 && k != L)
            return bad(rd, "column %d: '%s' has %d layers, the family before it %d (every "
                       "family of the block has the same number)", c, p, k, L);
        L = k;
        t->layer_fams |= 1u << f;
    }
    t->layers = L;
    *col = c;
    return LSC_OK;
}

/* The header row: run step lr loss grad_norm [dist] [optional columns] x1 .. xK, checked
 * against the metadata above it. */
static int header_line(reader *rd, lsc_trajectory *t, char *line)
{
    static const char *const fixed[] = {"run", "step", "lr", "loss", "grad_norm"};
    if (!rd->have_landscape)
        return bad(rd, "no '# landscape:' line before the header row");
    if (!rd->have_dim)
        return bad(rd, "no '# dim:' line before the header row");
    /* the driver options every file has had since v1 (later rows may be missing from
     * older files: they keep their defaults) */
    static const char *const required[] = {"steps", "every", "positions"};
    for (int k = 0; k < LSC_COUNTOF(required); k++) {
        const lsc_driver_option *o = lsc_driver_option_find(required[k]);
        if (!(rd->options >> (o - lsc_driver_options) & 1))
            return bad(rd, "no '# %s:' line before the header row", required[k]);
    }
    if (t->nruns == 0)
        return bad(rd, "no runs: expected '# run 0 ...' lines before the header row");
    static const char *const need[] = {"optimizer", "label", "start", "status", "reason"};
    for (int i = 0; i < t->nruns; i++)
        for (int b = 0; b < 5; b++)
            if (!(rd->seen[i] & (1 << b)))
                return bad(rd, "run %d has no '# run %d %s:' line", i, i, need[b]);

    /* columns: at most 6 + the optional ones + dim (the cells point into the line) */
    size_t ncell = 1;
    for (const char *p = line; (p = strchr(p, '\t')); p++)
        ncell++;
    const size_t most = 6 + (size_t)LSC_NCOLS + (size_t)LSC_NLCOLS * LSC_TRAJ_MAX_LAYERS;
    if (ncell > most + (size_t)t->n)
        return bad(rd, "%zu columns, more than run step lr loss grad_norm dist, the %d "
                   "optional ones, %d per-layer families of at most %d and x1 .. x%d", ncell,
                   LSC_NCOLS, LSC_NLCOLS, LSC_TRAJ_MAX_LAYERS, t->n);
    char **cells = malloc(ncell * sizeof *cells);
    if (!cells) {
        lsc_error_set(rd->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    split_tabs(line, cells, (int)ncell);
    int col = 0, rc = LSC_OK;
    for (; col < 5 && col < (int)ncell; col++)
        if (strcmp(cells[col], fixed[col]))
            break;
    if (col < 5) {
        rc = bad(rd, "the header row must start with: run step lr loss grad_norm");
        goto done;
    }
    t->has_dist = ncell > 5 && !strcmp(cells[5], "dist");
    t->cols = 0;
    for (col = 5 + t->has_dist; col < (int)ncell; col++) {
        const char *c = cells[col];
        int f, l;
        if (c[0] == 'x' && c[1] >= '0' && c[1] <= '9')
            break; /* the positions */
        if (layer_name(c, &f, &l) == LSC_OK)
            break; /* the per-layer block */
        if ((rc = optional_column(rd, t, c, col + 1, &t->cols)) != LSC_OK)
            goto done;
    }
    if ((rc = layer_block(rd, t, cells, (int)ncell, &col)) != LSC_OK)
        goto done;
    int npos = 0;
    for (; col < (int)ncell; col++, npos++) {
        char want[32];
        snprintf(want, sizeof want, "x%d", npos + 1);
        if (strcmp(cells[col], want)) {
            rc = bad(rd, "column %d is '%.40s', expected '%s' (the header row is run step lr "
                     "loss grad_norm [dist] x1 x2 ...)", col + 1, cells[col], want);
            goto done;
        }
    }
    if (npos > t->n) {
        rc = bad(rd, "%d position columns, more than 'dim' (%d)", npos, t->n);
        goto done;
    }
    /* '# positions:' (read with n = 0): LSC_POSITIONS_ALL, none (0) or first:K, K < dim */
    int want = t->npos == LSC_POSITIONS_ALL ? t->n : t->npos;
    if (npos != want || (t->npos > 0 && t->npos >= t->n)) {
        rc = bad(rd, "%d position columns, but '# positions:' says %d (dim %d)", npos, want,
                 t->n);
        goto done;
    }
    t->npos = npos;
    rd->ncols = (int)ncell;
done:
    free(cells);
    return rc;
}

/* The per-layer block of a row from cells (lsc_trajectory_layer_values(t) of them) into
 * lrow: nan, or a finite number in the family's range. */
static int layer_values(reader *rd, const lsc_trajectory *t, char **cells, double *lrow)
{
    int j = 0;
    for (int f = 0; f < LSC_NLCOLS; f++) {
        if (!(t->layer_fams >> f & 1))
            continue;
        const lsc_layer_column *k = &lsc_layer_columns[f];
        for (int l = 1; l <= t->layers; l++, j++) {
            const char *s = cells[j];
            double *d = &lrow[j];
            if (!strcmp(s, "nan")) {
                *d = NAN;
            } else if (lsc_parse_double(s, d) != LSC_OK || !isfinite(*d) || *d < k->lo ||
                       *d > k->hi) {
                char lo[32], hi[32], range[80];
                if (isfinite(k->hi))
                    snprintf(range, sizeof range, " from %s to %s", lsc_fmt_double(lo, k->lo),
                             lsc_fmt_double(hi, k->hi));
                else
                    snprintf(range, sizeof range, " >= %s", lsc_fmt_double(lo, k->lo));
                return bad(rd, "%s%d '%.24s' is not a finite number%s, or nan", k->prefix, l,
                           s, range);
            }
        }
    }
    return LSC_OK;
}

/* One data row; cells is scratch room for ncols + 1 pointers, xrow for npos numbers, lrow
 * for the per-layer block. */
static int data_row(reader *rd, lsc_trajectory *t, char *line, char **cells, double *xrow,
                    double *lrow)
{
    int ncell = split_tabs(line, cells, rd->ncols);
    if (ncell != rd->ncols)
        return bad(rd, "%s columns than the header row (%d)",
                   ncell > rd->ncols ? "more" : "fewer", rd->ncols);
    unsigned long long run, step;
    if (parse_count(cells[0], (unsigned long long)t->nruns, &run) != LSC_OK ||
        run >= (unsigned long long)t->nruns)
        return bad(rd, "run '%.24s' is not one of the runs of the metadata (0 to %d)", cells[0],
                   t->nruns - 1);
    if (parse_count(cells[1], (unsigned long long)t->steps, &step) != LSC_OK)
        return bad(rd, "step '%.24s' is not an integer from 0 to 'steps' (%ld)", cells[1],
                   t->steps);
    if ((int)run < rd->last_run)
        return bad(rd, "a row of run %d after rows of run %d (rows come in run order)",
                   (int)run, rd->last_run);
    if ((int)run == rd->last_run && (long)step <= rd->last_step)
        return bad(rd, "step %ld after step %ld (steps increase within a run)", (long)step,
                   rd->last_step);
    static const char *const names[] = {"lr", "loss", "grad_norm", "dist"};
    double v[4];
    for (int c = 2; c < 5 + t->has_dist; c++) {
        const char *s = cells[c];
        double *d = &v[c - 2];
        if (c == 5 && !strcmp(s, "nan")) /* dist: unknown */
            *d = NAN;
        else if (lsc_parse_double(s, d) != LSC_OK || !isfinite(*d) ||
                 (c >= 4 && *d < 0))
            return bad(rd, "%s '%.24s' is not a finite number%s", names[c - 2], s,
                       c >= 4 ? " >= 0" : "");
    }
    lsc_row row = {.step = (long)step, .lr = v[0], .loss = v[1], .grad_norm = v[2],
                   .dist = t->has_dist ? v[3] : NAN, .layer = lrow, .x = xrow};
    int cell = 5 + t->has_dist;
    for (int c = 0; c < LSC_NCOLS; c++) {
        if (!(t->cols >> c & 1))
            continue;
        const lsc_column *k = &lsc_columns[c];
        const char *s = cells[cell++];
        double *d = &row.col[c];
        if ((k->flags & LSC_COL_NAN_OK) && !strcmp(s, "nan"))
            *d = NAN;
        else if (lsc_parse_double(s, d) != LSC_OK || !isfinite(*d) || *d < k->lo ||
                 *d > k->hi) {
            char lo[32], hi[32], range[80] = "";
            if (isfinite(k->lo) && isfinite(k->hi))
                snprintf(range, sizeof range, " from %s to %s", lsc_fmt_double(lo, k->lo),
                         lsc_fmt_double(hi, k->hi));
            else if (isfinite(k->lo))
                snprintf(range, sizeof range, " >= %s", lsc_fmt_double(lo, k->lo));
            return bad(rd, "%s '%.24s' is not a finite number%s%s", k->name, s, range,
                       (k->flags & LSC_COL_NAN_OK) ? ", or nan" : "");
        }
    }
    int rc = layer_values(rd, t, cells + cell, lrow);
    if (rc != LSC_OK)
        return rc;
    cell += lsc_trajectory_layer_values(t);
    for (int j = 0; j < t->npos; j++) {
        const char *s = cells[cell + j];
        if (lsc_parse_double(s, &xrow[j]) != LSC_OK || !isfinite(xrow[j]))
            return bad(rd, "x%d '%.24s' is not a finite number", j + 1, s);
    }
    /* memory: at most LSC_TRAJ_MAX_VALUES numbers in all */
    rd->values += 1 + (unsigned long long)row_values(t);
    if (rd->values > LSC_TRAJ_MAX_VALUES)
        return bad(rd, "more than %llu numbers in the rows (1 GiB): a trajectory may not hold "
                   "more (record fewer rows or positions)", LSC_TRAJ_MAX_VALUES);
    lsc_run_record *r = &t->runs[run];
    if (lsc_run_record_reserve(t, r, 1) != LSC_OK) {
        lsc_error_set(rd->err, LSC_ENOMEM, "out of memory reading '%s'", rd->path);
        return LSC_ENOMEM;
    }
    lsc_run_record_push(t, r, &row);
    rd->last_run = (int)run;
    rd->last_step = (long)step;
    return LSC_OK;
}

static int open_input(const char *path, FILE **fp, lsc_error *err)
{
    *fp = fopen(path, "r");
    if (!*fp) {
        int e = errno;
        /* a name that is not a readable file is the user's to fix: exit status 2 */
        int user = e == ENOENT || e == ENOTDIR || e == EACCES || e == ELOOP ||
                   e == ENAMETOOLONG || e == EISDIR;
        lsc_error_set(err, user ? LSC_EINVAL : LSC_EIO, "cannot read '%s': %s", path,
                      strerror(e));
        return user ? LSC_EINVAL : LSC_EIO;
    }
    struct stat st;
    if (fstat(fileno(*fp), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            lsc_error_set(err, LSC_EINVAL, "cannot read '%s': it is a directory, not a "
                          "trajectory file", path);
        } else if (S_ISREG(st.st_mode) &&
                   (unsigned long long)st.st_size > LSC_TRAJ_MAX_BYTES) {
            char b[32];
            lsc_error_set(err, LSC_EINVAL, "'%s' is %s, more than the %s (%llu bytes) a "
                          "trajectory file may have", path,
                          fmt_bytes(b, sizeof b, (double)st.st_size), "4 GiB",
                          LSC_TRAJ_MAX_BYTES);
        } else {
            return LSC_OK;
        }
        fclose(*fp);
        *fp = NULL;
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* A line-reader failure as an error naming the file, the line and the limit. */
static int line_error(reader *rd, int rc, size_t max)
{
    switch (rc) {
    case LINE_TOO_LONG:
        return bad(rd, "line longer than %zu bytes (the limit is 64 KiB, plus 32 bytes per "
                   "coordinate once 'dim' is known and per layer value once the header row "
                   "is)", max);
    case LINE_NUL:
        return bad(rd, "not a losscape trajectory (a NUL byte: binary data)");
    case LINE_TOO_MUCH:
        return bad(rd, "more than %llu bytes (4 GiB) read: a trajectory file may not be "
                   "longer", LSC_TRAJ_MAX_BYTES);
    case LINE_NOMEM:
        lsc_error_set(rd->err, LSC_ENOMEM, "out of memory reading '%s'", rd->path);
        return LSC_ENOMEM;
    default:
        lsc_error_set(rd->err, LSC_EIO, "reading '%s' failed: %s", rd->path, strerror(errno));
        return LSC_EIO;
    }
}

int lsc_trajectory_read(lsc_trajectory *t, const char *path, lsc_error *err)
{
    lsc_trajectory_init(t, 0, 0, 0);
    t->version[0] = '\0';
    FILE *fp;
    int rc = open_input(path, &fp, err);
    if (rc != LSC_OK)
        return rc;
    line_reader *lr = calloc(1, sizeof *lr);
    reader *rd = calloc(1, sizeof *rd);
    char **cells = NULL;
    double *xrow = NULL, *lrow = NULL;
    if (!lr || !rd) {
        rc = LSC_ENOMEM;
        lsc_error_set(err, rc, "out of memory reading '%s'", path);
        goto done;
    }
    lr->fp = fp;
    rd->path = path;
    rd->err = err;
    rd->last_run = -1;
    int have_header = 0;
    for (;;) {
        /* rows: 32 bytes a coordinate and a per-layer value too (once the header row
         * says how many) */
        size_t max = LSC_TRAJ_LINE_BASE +
                     ((size_t)t->n + (size_t)lsc_trajectory_layer_values(t)) *
                         LSC_TRAJ_LINE_PER_COORD;
        rd->line++;
        int lrc = next_line(lr, max);
        if (lrc == LINE_EOF)
            break;
        if (lrc != LINE_OK) {
            rc = line_error(rd, lrc, max);
            break;
        }
        char *line = lr->line;
        if (rd->line == 1 && strcmp(line, "# losscape trajectory v1")) {
            rc = bad(rd, "not a losscape trajectory (the first line is not '# losscape "
                     "trajectory v1')");
            break;
        }
        if (line[0] == '\0')
            continue;
        if (line[0] == '#') {
            if (have_header) {
                rc = bad(rd, "metadata line after the header row");
                break;
            }
            if ((rc = meta_line(rd, t, line)) != LSC_OK)
                break;
            continue;
        }
        if (!have_header) {
            if ((rc = header_line(rd, t, line)) != LSC_OK)
                break;
            have_header = 1;
            cells = malloc(((size_t)rd->ncols + 1) * sizeof *cells);
            xrow = malloc((size_t)(t->npos > 0 ? t->npos : 1) * sizeof *xrow);
            lrow = malloc(((size_t)lsc_trajectory_layer_values(t) + 1) * sizeof *lrow);
            if (!cells || !xrow || !lrow) {
                rc = LSC_ENOMEM;
                lsc_error_set(err, rc, "out of memory reading '%s'", path);
                break;
            }
            continue;
        }
        if ((rc = data_row(rd, t, line, cells, xrow, lrow)) != LSC_OK)
            break;
    }
    if (rc == LSC_OK && rd->line == 1) {
        rc = LSC_EINVAL;
        lsc_error_set(err, rc, "%s: not a losscape trajectory (the file is empty)", path);
    } else if (rc == LSC_OK && !have_header) {
        rc = LSC_EINVAL;
        lsc_error_set(err, rc, "%s: not a losscape trajectory (no header row 'run step lr "
                      "loss grad_norm ...')", path);
    }
    for (int i = 0; rc == LSC_OK && i < t->nruns; i++)
        own_or_header(t, &t->runs[i]);
done:
    fclose(fp);
    if (lr)
        free(lr->line);
    free(lr);
    free(rd);
    free(cells);
    free(xrow);
    free(lrow);
    if (rc != LSC_OK)
        lsc_trajectory_free(t);
    return rc;
}
