/* study.c — the study framework (study.h): options, the output directory, the files */
#include "study.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"

const lsc_study_type *lsc_study_find(const char *name)
{
    for (int i = 0; i < lsc_study_registry_count; i++)
        if (!strcmp(lsc_study_registry[i]->name, name))
            return lsc_study_registry[i];
    return NULL;
}

int lsc_study_opt_index(const lsc_study_type *T, const char *key)
{
    for (int i = 0; i < T->nopts; i++)
        if (!strcmp(T->opts[i].name, key))
            return i;
    return -1;
}

int lsc_study_threads(const lsc_study_args *a)
{
    const int i = lsc_study_opt_index(a->type, "threads");
    return i >= 0 && a->type->opts[i].kind == LSC_STUDY_INT ? (int)a->num[i] : 0;
}

const char *lsc_study_opt_allowed(const lsc_study_opt *o, char *buf, size_t len)
{
    char lo[32], hi[32];
    lsc_fmt_double(lo, o->lo);
    lsc_fmt_double(hi, o->hi);
    switch (o->kind) {
    case LSC_STUDY_TEXT:
        snprintf(buf, len, "a specification name[:key=value,...]");
        break;
    case LSC_STUDY_INT:
        snprintf(buf, len, "an integer from %s to %s", lo, hi);
        break;
    case LSC_STUDY_REAL:
        snprintf(buf, len, "a finite number from %s to %s", lo, hi);
        break;
    case LSC_STUDY_BOOL:
        snprintf(buf, len, "true/false/1/0");
        break;
    case LSC_STUDY_CHOICE:
        snprintf(buf, len, "one of %s", o->choices);
        break;
    case LSC_STUDY_SIZES:
        snprintf(buf, len, "batch sizes from %s to %s or full, separated by ',' (at most %d)",
                 lo, hi, LSC_STUDY_MAX_LIST);
        break;
    case LSC_STUDY_LIST:
        snprintf(buf, len, "numbers from %s to %s separated by ',' (at most %d)", lo, hi,
                 LSC_STUDY_MAX_LIST);
        break;
    case LSC_STUDY_SPECS:
        snprintf(buf, len, "specifications name[:key=value,...] separated by '|'");
        break;
    case LSC_STUDY_GRID:
        snprintf(buf, len, "grid axes KEY=LO:HI:N (N points from LO to HI), KEY=LO:HI:Nlog "
                 "(log-spaced, LO > 0) or KEY=V1,V2,..., LO <= HI, N from 1 to %d, at most "
                 "%d axes separated by '|'", LSC_STUDY_MAX_POINTS, LSC_STUDY_MAX_AXES);
        break;
    }
    return buf;
}

int lsc_study_item(const char *text, int k, char *buf, size_t len)
{
    int n = 0;
    if (len)
        buf[0] = '\0';
    for (const char *p = text;; n++) {
        size_t m = strcspn(p, "|");
        if (n == k && len) {
            const char *a = p, *b = p + m;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            snprintf(buf, len, "%.*s", (int)(b - a), a);
        }
        if (!p[m])
            return n + 1;
        p += m + 1;
    }
}

/* One GRID axis "KEY=LO:HI:N[log]" or "KEY=V1,V2,..." into ax: LSC_OK, or LSC_EINVAL
 * with why in why. */
static int grid_axis(const char *s, lsc_study_axis *ax, char *why, size_t len)
{
    const char *eq = strchr(s, '=');
    size_t kl = eq ? (size_t)(eq - s) : 0;
    memset(ax, 0, sizeof *ax);
    if (!eq || !kl || kl >= sizeof ax->key) {
        snprintf(why, len, "a key before '=' is missing");
        return LSC_EINVAL;
    }
    for (size_t i = 0; i < kl; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (i && s[i] >= '0' && s[i] <= '9'))) {
            snprintf(why, len, "'%.*s' is not a key name", (int)kl, s);
            return LSC_EINVAL;
        }
    memcpy(ax->key, s, kl);
    char buf[LSC_VALUE_MAX];
    snprintf(buf, sizeof buf, "%s", eq + 1);
    char *f[3];
    int nf = 0;
    for (char *p = buf; nf < 3;) { /* LO:HI:N */
        f[nf++] = p;
        if (!(p = strchr(p, ':')))
            break;
        *p++ = '\0';
    }
    if (nf == 1) { /* V1,V2,...: the values as listed */
        for (char *p = buf; *p || !ax->n;) {
            size_t m = strcspn(p, ",");
            char end = p[m];
            p[m] = '\0';
            if (ax->n == LSC_STUDY_MAX_POINTS) {
                snprintf(why, len, "more than %d values", LSC_STUDY_MAX_POINTS);
                return LSC_EINVAL;
            }
            if (lsc_parse_double(p, &ax->v[ax->n]) != LSC_OK || !isfinite(ax->v[ax->n])) {
                snprintf(why, len, "'%.40s' is not a finite number", p);
                return LSC_EINVAL;
            }
            ax->n++;
            if (!end)
                break;
            p += m + 1;
        }
        return LSC_OK;
    }
    double lo, hi;
    long n;
    size_t nl = nf == 3 ? strlen(f[2]) : 0;
    ax->log = nl > 3 && !strcmp(f[2] + nl - 3, "log");
    if (ax->log)
        f[2][nl - 3] = '\0';
    if (nf != 3 || lsc_parse_double(f[0], &lo) != LSC_OK || !isfinite(lo) ||
        lsc_parse_double(f[1], &hi) != LSC_OK || !isfinite(hi) ||
        lsc_parse_long(f[2], &n) != LSC_OK) {
        snprintf(why, len, "expected LO:HI:N or LO:HI:Nlog with finite numbers LO, HI and an "
                 "integer N");
        return LSC_EINVAL;
    }
    if (lo > hi) {
        snprintf(why, len, "LO > HI");
        return LSC_EINVAL;
    }
    if (n < 1 || n > LSC_STUDY_MAX_POINTS || (n == 1 && lo != hi) || (n > 1 && lo == hi)) {
        snprintf(why, len, "N must be from %d to %d (1 exactly when LO = HI)",
                 lo == hi ? 1 : 2, LSC_STUDY_MAX_POINTS);
        return LSC_EINVAL;
    }
    if (ax->log && lo <= 0) {
        snprintf(why, len, "a log-spaced axis needs LO > 0");
        return LSC_EINVAL;
    }
    ax->n = (int)n;
    for (int k = 0; k < ax->n; k++) { /* the ends exactly as given */
        const double t = n > 1 ? (double)k / (double)(n - 1) : 0;
        ax->v[k] = k == 0 ? lo : k == n - 1 ? hi
                   : ax->log ? pow(10, log10(lo) + t * (log10(hi) - log10(lo)))
                             : lo + t * (hi - lo);
    }
    return LSC_OK;
}

int lsc_study_grid_parse(const char *key, const char *text, lsc_study_axis *ax, lsc_error *err)
{
    const int n = lsc_study_item(text, 0, NULL, 0);
    char item[LSC_VALUE_MAX], why[160];
    for (int k = 0; k < n; k++) {
        lsc_study_item(text, k, item, sizeof item);
        if (k == LSC_STUDY_MAX_AXES) {
            lsc_error_set(err, LSC_EINVAL, "%s: '%.200s': more than %d axes", key, text,
                          LSC_STUDY_MAX_AXES);
            return LSC_EINVAL;
        }
        if (grid_axis(item, &ax[k], why, sizeof why) != LSC_OK) {
            lsc_error_set(err, LSC_EINVAL, "%s: '%.200s': %s (expected KEY=LO:HI:N, "
                          "KEY=LO:HI:Nlog or KEY=V1,V2,...)", key, item, why);
            return LSC_EINVAL;
        }
        for (int j = 0; j < k; j++)
            if (!strcmp(ax[j].key, ax[k].key)) {
                lsc_error_set(err, LSC_EINVAL, "%s: '%s' has two axes", key, ax[k].key);
                return LSC_EINVAL;
            }
    }
    return n;
}

/* One entry of a SIZES or LIST value: 0 or LSC_EINVAL. */
static int parse_entry(const lsc_study_opt *o, const char *s, double *out)
{
    if (o->kind == LSC_STUDY_SIZES && !strcmp(s, "full")) {
        *out = LSC_STUDY_FULL;
        return LSC_OK;
    }
    if (o->kind == LSC_STUDY_SIZES) {
        long v;
        if (lsc_parse_long(s, &v) != LSC_OK || v < o->lo || v > o->hi)
            return LSC_EINVAL;
        *out = (double)v;
        return LSC_OK;
    }
    double v;
    if (lsc_parse_double(s, &v) != LSC_OK || !isfinite(v) || v < o->lo || v > o->hi)
        return LSC_EINVAL;
    *out = v;
    return LSC_OK;
}

/* A SIZES or LIST value into a's list i: 0 or LSC_EINVAL (nothing changed). */
static int parse_list(lsc_study_args *a, int i, const char *value)
{
    const lsc_study_opt *o = &a->type->opts[i];
    double v[LSC_STUDY_MAX_LIST];
    int n = 0;
    char buf[LSC_VALUE_MAX];
    snprintf(buf, sizeof buf, "%s", value);
    char *p = buf;
    for (;;) {
        size_t len = strcspn(p, ",;");
        char end = p[len];
        p[len] = '\0';
        if (n == LSC_STUDY_MAX_LIST || parse_entry(o, p, &v[n]) != LSC_OK)
            return LSC_EINVAL;
        n++;
        if (!end)
            break;
        p += len + 1;
    }
    memcpy(a->list[i], v, (size_t)n * sizeof v[0]);
    a->nlist[i] = n;
    return LSC_OK;
}

/* The index of word s among o's choices, or -1. */
static int choice_index(const lsc_study_opt *o, const char *s)
{
    const char *p = o->choices;
    for (int k = 0; p && *p; k++) {
        size_t len = strcspn(p, "|");
        if (strlen(s) == len && !strncmp(p, s, len))
            return k;
        p += len + (p[len] == '|');
    }
    return -1;
}

/* value checked and stored as option i: 0 or LSC_EINVAL (nothing changed). */
static int parse_value(lsc_study_args *a, int i, const char *value)
{
    const lsc_study_opt *o = &a->type->opts[i];
    if (!value[0] || lsc_has_control(value) || strlen(value) >= LSC_VALUE_MAX)
        return LSC_EINVAL;
    switch (o->kind) {
    case LSC_STUDY_TEXT: {
        lsc_spec spec;
        lsc_error e;
        if (lsc_spec_parse(value, o->name, &spec, &e) != LSC_OK)
            return LSC_EINVAL;
        break;
    }
    case LSC_STUDY_INT: {
        long v;
        if (lsc_parse_long(value, &v) != LSC_OK || v < o->lo || v > o->hi)
            return LSC_EINVAL;
        a->num[i] = (double)v;
        break;
    }
    case LSC_STUDY_REAL: {
        double v;
        if (lsc_parse_double(value, &v) != LSC_OK || !isfinite(v) || v < o->lo || v > o->hi)
            return LSC_EINVAL;
        a->num[i] = v;
        break;
    }
    case LSC_STUDY_BOOL: {
        int b;
        if (lsc_parse_bool(value, &b) != LSC_OK)
            return LSC_EINVAL;
        a->num[i] = b;
        break;
    }
    case LSC_STUDY_CHOICE: {
        int k = choice_index(o, value);
        if (k < 0)
            return LSC_EINVAL;
        a->num[i] = k;
        break;
    }
    case LSC_STUDY_SIZES:
    case LSC_STUDY_LIST:
        if (parse_list(a, i, value) != LSC_OK)
            return LSC_EINVAL;
        break;
    case LSC_STUDY_SPECS: {
        const int n = lsc_study_item(value, 0, NULL, 0);
        char item[LSC_VALUE_MAX];
        lsc_spec spec;
        lsc_error e;
        for (int k = 0; k < n; k++)
            if (lsc_study_item(value, k, item, sizeof item),
                lsc_spec_parse(item, o->name, &spec, &e) != LSC_OK)
                return LSC_EINVAL;
        break;
    }
    case LSC_STUDY_GRID: {
        lsc_study_axis ax[LSC_STUDY_MAX_AXES];
        lsc_error e;
        if (lsc_study_grid_parse(o->name, value, ax, &e) < 0)
            return LSC_EINVAL;
        break;
    }
    }
    snprintf(a->text[i], sizeof a->text[i], "%s", value);
    return LSC_OK;
}

void lsc_study_args_init(lsc_study_args *a, const lsc_study_type *T)
{
    memset(a, 0, sizeof *a);
    a->type = T;
    for (int i = 0; i < T->nopts && i < LSC_STUDY_MAX_OPTS; i++)
        parse_value(a, i, T->opts[i].def); /* the registry test checks every default */
}

int lsc_study_set(lsc_study_args *a, const char *key, const char *value, lsc_error *err)
{
    const lsc_study_type *T = a->type;
    int i = lsc_study_opt_index(T, key);
    if (i < 0) {
        const char *names[LSC_STUDY_MAX_OPTS];
        for (int k = 0; k < T->nopts; k++)
            names[k] = T->opts[k].name;
        const char *close = lsc_closest(key, names, T->nopts);
        lsc_error_set(err, LSC_EINVAL, "study %s: no option '%s'%s%s%s", T->name, key,
                      close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
        return LSC_EINVAL;
    }
    /* a repeatable option given again adds its items: "gd" then "adam" is "gd|adam" */
    const lsc_study_kind kind = T->opts[i].kind;
    char joined[LSC_VALUE_MAX];
    if ((kind == LSC_STUDY_SPECS || kind == LSC_STUDY_GRID) && a->given[i]) {
        if ((size_t)snprintf(joined, sizeof joined, "%s|%s", a->text[i], value) >=
            sizeof joined) {
            lsc_error_set(err, LSC_EINVAL, "%s: too long (at most %d characters in all)", key,
                          LSC_VALUE_MAX - 1);
            return LSC_EINVAL;
        }
        value = joined;
    }
    lsc_study_axis ax[LSC_STUDY_MAX_AXES];
    if (kind == LSC_STUDY_GRID && value[0] && !lsc_has_control(value) &&
        lsc_study_grid_parse(key, value, ax, err) < 0)
        return LSC_EINVAL; /* the message says which axis and why */
    if (parse_value(a, i, value) != LSC_OK) {
        char allowed[512];
        lsc_error_set(err, LSC_EINVAL, "%s: '%.200s' is not allowed (expected %s)", key, value,
                      lsc_study_opt_allowed(&T->opts[i], allowed, sizeof allowed));
        return LSC_EINVAL;
    }
    a->given[i] = 1;
    return LSC_OK;
}

/* ---- the output directory and its files ----------------------------------------------- */

#define STUDY_MAX_FILES 32

struct lsc_study_out {
    char dir[LSC_PATH_MAX];
    lsc_outfile files[STUDY_MAX_FILES];
    char names[STUDY_MAX_FILES][256];
    int nfiles;
    lsc_plot_group *group;
    char figures[STUDY_MAX_FILES][256];
    int nfigures;
    lsc_study_progress progress;
    void *progress_user;
};

double lsc_study_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void lsc_study_say(lsc_study_out *out, const char *fmt, ...)
{
    if (!out->progress)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out->progress(out->progress_user, buf);
}

FILE *lsc_study_file(lsc_study_out *out, const char *name, lsc_error *err)
{
    if (out->nfiles == STUDY_MAX_FILES) {
        lsc_error_set(err, LSC_EINVAL, "study: more than %d files", STUDY_MAX_FILES);
        return NULL;
    }
    char path[LSC_PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", out->dir, name);
    lsc_outfile *f = &out->files[out->nfiles];
    if (lsc_outfile_open(f, path, "out", err) != LSC_OK)
        return NULL;
    snprintf(out->names[out->nfiles++], sizeof out->names[0], "%s", name);
    return f->fp;
}

void lsc_study_figure(lsc_study_out *out, lsc_plot_opts *po, const char *name, const char *ext)
{
    lsc_plot_opts_default(po);
    int w = snprintf(po->out, sizeof po->out, "%.3000s/%.200s.%.8s", out->dir, name,
                     ext && ext[0] ? ext : "png");
    (void)w;
    po->group = out->group;
    if (out->nfigures < STUDY_MAX_FILES)
        snprintf(out->figures[out->nfigures++], sizeof out->figures[0], "%s.%s", name,
                 ext && ext[0] ? ext : "png");
}

/* dir and its parents, made when missing; *made: the top directory this call made
 * ("" none), to remove after a failure. */
static int make_dir(const char *dir, char *made, size_t len, lsc_error *err)
{
    struct stat st;
    made[0] = '\0';
    if (!dir[0] || lsc_has_control(dir)) {
        lsc_error_set(err, LSC_EINVAL, "out: '%s': a directory name is expected", dir);
        return LSC_EINVAL;
    }
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return LSC_OK;
        lsc_error_set(err, LSC_EINVAL, "out: '%s' exists and is not a directory", dir);
        return LSC_EINVAL;
    }
    char buf[LSC_PATH_MAX];
    if (strlen(dir) >= sizeof buf) {
        lsc_error_set(err, LSC_EINVAL, "out: the directory name is too long");
        return LSC_EINVAL;
    }
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) == 0) {
            if (!made[0])
                snprintf(made, len, "%s", buf);
        } else if (errno != EEXIST || stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
            lsc_error_set(err, LSC_EINVAL, "out: cannot create directory '%s': %s", buf,
                          errno == EEXIST ? "a file is in the way" : strerror(errno));
            return LSC_EINVAL;
        }
        *p = c;
        if (!c)
            break;
    }
    return LSC_OK;
}

/* Remove what make_dir made (the deepest first): only empty directories go. */
static void unmake_dir(const char *dir, const char *made)
{
    if (!made[0])
        return;
    char buf[LSC_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", dir);
    for (;;) {
        if (rmdir(buf) != 0 || !strcmp(buf, made))
            return;
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf)
            return;
        *slash = '\0';
    }
}

static void abort_all(lsc_study_out *out)
{
    for (int i = 0; i < out->nfiles; i++)
        lsc_outfile_abort(&out->files[i]);
    lsc_plot_group_abort(out->group);
    out->group = NULL;
}

/* The tables first (they are complete before any figure is moved), then the figures. */
static int commit_all(lsc_study_out *out, lsc_error *err)
{
    for (int i = 0; i < out->nfiles; i++)
        if (fflush(out->files[i].fp) != 0 || ferror(out->files[i].fp)) {
            lsc_error_set(err, LSC_EIO, "cannot write '%s/%s'", out->dir, out->names[i]);
            return LSC_EIO;
        }
    int rc = lsc_plot_group_commit(out->group, err);
    out->group = NULL;
    for (int i = 0; i < out->nfiles; i++) {
        if (rc == LSC_OK)
            rc = lsc_outfile_commit(&out->files[i], err);
        else
            lsc_outfile_abort(&out->files[i]);
    }
    return rc;
}

int lsc_study_run(const lsc_study_args *a, const char *dir, lsc_study_progress progress,
                  void *progress_user, char *wrote, size_t wrote_len, lsc_error *err)
{
    if (!a || !a->type || !a->type->run) {
        lsc_error_set(err, LSC_EINVAL, "study: no study given");
        return LSC_EINVAL;
    }
    lsc_study_out *out = calloc(1, sizeof *out);
    if (!out || !(out->group = lsc_plot_group_new())) {
        free(out);
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    char made[LSC_PATH_MAX];
    int rc = make_dir(dir, made, sizeof made, err);
    if (rc != LSC_OK) {
        lsc_plot_group_abort(out->group);
        free(out);
        return rc;
    }
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    out->progress = progress;
    out->progress_user = progress_user;
    rc = a->type->run(a, out, err);
    if (rc == LSC_OK)
        rc = commit_all(out, err);
    else
        abort_all(out);
    if (rc != LSC_OK) {
        unmake_dir(dir, made);
    } else if (wrote && wrote_len) {
        size_t used = 0;
        wrote[0] = '\0';
        for (int i = 0; i < out->nfiles + out->nfigures && used < wrote_len; i++)
            used += (size_t)snprintf(wrote + used, wrote_len - used, "%s%s", i ? "\n" : "",
                                     i < out->nfiles ? out->names[i]
                                                     : out->figures[i - out->nfiles]);
    }
    free(out);
    return rc;
}
