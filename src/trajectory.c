/* trajectory.c — columnar run records, and the TSV file format (see trajectory.h) */
#include "trajectory.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsc_version.h"

static const char *const stop_names[] = {"running", "max-steps", "converged",
                                         "diverged", "left-domain", "failed"};

const char *lsc_stop_name(lsc_stop s)
{
    return (s >= 0 && s <= LSC_STOP_FAILED) ? stop_names[s] : "unknown";
}

int lsc_stop_from_name(const char *name, lsc_stop *out)
{
    for (int i = 0; i <= LSC_STOP_FAILED; i++)
        if (!strcmp(name, stop_names[i])) {
            *out = (lsc_stop)i;
            return LSC_OK;
        }
    return LSC_EINVAL;
}

void lsc_trajectory_init(lsc_trajectory *t, int n, int npos, int has_dist)
{
    memset(t, 0, sizeof *t);
    snprintf(t->version, sizeof t->version, "%s", LSC_VERSION);
    snprintf(t->schedule, sizeof t->schedule, "constant");
    t->n = n;
    t->npos = npos;
    t->has_dist = has_dist;
    t->every = 1;
}

static void record_free(lsc_run_record *r)
{
    free(r->start);
    free(r->step);
    free(r->lr);
    free(r->loss);
    free(r->grad_norm);
    free(r->dist);
    free(r->x);
}

void lsc_trajectory_free(lsc_trajectory *t)
{
    for (int i = 0; i < t->nruns; i++)
        record_free(&t->runs[i]);
    free(t->runs);
    t->runs = NULL;
    t->nruns = 0;
}

lsc_run_record *lsc_trajectory_add_run(lsc_trajectory *t)
{
    lsc_run_record *runs = realloc(t->runs, (size_t)(t->nruns + 1) * sizeof *runs);
    if (!runs)
        return NULL;
    t->runs = runs;
    lsc_run_record *r = &runs[t->nruns];
    memset(r, 0, sizeof *r);
    r->start = calloc((size_t)(t->n > 0 ? t->n : 1), sizeof *r->start);
    if (!r->start)
        return NULL;
    t->nruns++;
    return r;
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

void lsc_run_record_push(const lsc_trajectory *t, lsc_run_record *r, long step, double lr,
                         double loss, double grad_norm, double dist, const double *x)
{
    size_t k = r->len++;
    r->step[k] = step;
    r->lr[k] = lr;
    r->loss[k] = loss;
    r->grad_norm[k] = grad_norm;
    if (t->has_dist)
        r->dist[k] = dist;
    if (t->npos > 0)
        memcpy(r->x + k * (size_t)t->npos, x, (size_t)t->npos * sizeof *x);
}

/* ---- writing ------------------------------------------------------------------- */

static void put_list(FILE *fp, const double *x, int n)
{
    char b[32];
    for (int j = 0; j < n; j++)
        fprintf(fp, "%s%s", j ? "," : "", lsc_fmt_double(b, x[j]));
}

static void positions_text(const lsc_trajectory *t, char *buf, size_t len)
{
    if (t->npos == t->n)
        snprintf(buf, len, "all");
    else if (t->npos == 0)
        snprintf(buf, len, "none");
    else
        snprintf(buf, len, "first:%d", t->npos);
}

int lsc_trajectory_write_stream(const lsc_trajectory *t, FILE *fp, lsc_error *err)
{
    char b[32], pos[32];
    positions_text(t, pos, sizeof pos);
    fprintf(fp, "# losscape trajectory v1\n");
    fprintf(fp, "# version: %s\n", t->version);
    fprintf(fp, "# landscape: %s\n", t->landscape);
    fprintf(fp, "# dim: %d\n", t->n);
    fprintf(fp, "# schedule: %s\n", t->schedule);
    fprintf(fp, "# clip_norm: %s\n", lsc_fmt_double(b, t->clip_norm));
    fprintf(fp, "# clip_value: %s\n", lsc_fmt_double(b, t->clip_value));
    fprintf(fp, "# noise: %s\n", lsc_fmt_double(b, t->noise));
    fprintf(fp, "# seed: %llu\n", t->seed);
    fprintf(fp, "# steps: %ld\n", t->steps);
    fprintf(fp, "# stop_grad: %s\n", lsc_fmt_double(b, t->stop_grad));
    fprintf(fp, "# every: %ld\n", t->every);
    fprintf(fp, "# positions: %s\n", pos);
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        fprintf(fp, "# run %d optimizer: %s\n", i, r->optimizer);
        fprintf(fp, "# run %d label: %s\n", i, r->label);
        fprintf(fp, "# run %d start: ", i);
        put_list(fp, r->start, t->n);
        fprintf(fp, "\n# run %d status: %s\n", i, lsc_stop_name(r->status));
        fprintf(fp, "# run %d reason: %s\n", i, r->reason);
        if (r->schedule[0] && strcmp(r->schedule, t->schedule))
            fprintf(fp, "# run %d schedule: %s\n", i, r->schedule);
        if (r->noise != t->noise)
            fprintf(fp, "# run %d noise: %s\n", i, lsc_fmt_double(b, r->noise));
        if (r->clip_norm != t->clip_norm)
            fprintf(fp, "# run %d clip_norm: %s\n", i, lsc_fmt_double(b, r->clip_norm));
        if (r->clip_value != t->clip_value)
            fprintf(fp, "# run %d clip_value: %s\n", i, lsc_fmt_double(b, r->clip_value));
    }
    fprintf(fp, "run\tstep\tlr\tloss\tgrad_norm");
    if (t->has_dist)
        fprintf(fp, "\tdist");
    for (int j = 0; j < t->npos; j++)
        fprintf(fp, "\tx%d", j + 1);
    fputc('\n', fp);
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        for (size_t k = 0; k < r->len; k++) {
            fprintf(fp, "%d\t%ld\t", i, r->step[k]);
            fputs(lsc_fmt_double(b, r->lr[k]), fp);
            fputc('\t', fp);
            fputs(lsc_fmt_double(b, r->loss[k]), fp);
            fputc('\t', fp);
            fputs(lsc_fmt_double(b, r->grad_norm[k]), fp);
            if (t->has_dist) {
                fputc('\t', fp);
                fputs(lsc_fmt_double(b, r->dist[k]), fp);
            }
            const double *x = r->x + k * (size_t)t->npos;
            for (int j = 0; j < t->npos; j++) {
                fputc('\t', fp);
                fputs(lsc_fmt_double(b, x[j]), fp);
            }
            fputc('\n', fp);
        }
    }
    if (ferror(fp)) {
        lsc_error_set(err, LSC_EIO, "writing the trajectory failed: %s", strerror(errno));
        return LSC_EIO;
    }
    return LSC_OK;
}

int lsc_trajectory_write(const lsc_trajectory *t, const char *path, lsc_error *err)
{
    if (!strcmp(path, "-")) {
        int rc = lsc_trajectory_write_stream(t, stdout, err);
        if (rc == LSC_OK && fflush(stdout) != 0) {
            lsc_error_set(err, LSC_EIO, "writing to standard output failed: %s",
                          strerror(errno));
            return LSC_EIO;
        }
        return rc;
    }
    /* Atomic: write PATH.tmp.XXXXXX in the same directory, then rename over PATH. */
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        lsc_error_set(err, LSC_EIO, "--out: cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return LSC_EIO;
    }
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        unlink(tmp);
        free(tmp);
        lsc_error_set(err, LSC_EIO, "--out: cannot write '%s': %s", path, strerror(errno));
        return LSC_EIO;
    }
    int rc = lsc_trajectory_write_stream(t, fp, err);
    if (fclose(fp) != 0 && rc == LSC_OK) {
        lsc_error_set(err, LSC_EIO, "--out: writing '%s' failed: %s", path, strerror(errno));
        rc = LSC_EIO;
    }
    if (rc == LSC_OK && rename(tmp, path) != 0) {
        lsc_error_set(err, LSC_EIO, "--out: cannot write '%s': %s", path, strerror(errno));
        rc = LSC_EIO;
    }
    if (rc != LSC_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* ---- reading ------------------------------------------------------------------- */

typedef struct {
    const char *path;
    long line;
    lsc_error *err;
} reader;

static int bad(reader *rd, const char *what)
{
    lsc_error_set(rd->err, LSC_EINVAL, "%s:%ld: %s", rd->path, rd->line, what);
    return LSC_EINVAL;
}

static char *chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int meta_line(reader *rd, lsc_trajectory *t, char *line)
{
    char *text = line + 1;
    while (*text == ' ')
        text++;
    if (!strncmp(text, "losscape trajectory", 19))
        return LSC_OK;
    /* "key: value" (value may be empty: "key:") */
    char *colon = strchr(text, ':');
    if (!colon || (colon[1] != ' ' && colon[1] != '\0'))
        return LSC_OK; /* a free comment */
    *colon = '\0';
    const char *key = text, *val = colon[1] ? colon + 2 : colon + 1;
    double d;
    long l;
    if (!strncmp(key, "run ", 4)) {
        char *end;
        long idx = strtol(key + 4, &end, 10);
        if (end == key + 4 || *end != ' ' || idx < 0 || idx > 1000000)
            return bad(rd, "malformed run metadata line");
        while (t->nruns <= idx)
            if (!lsc_trajectory_add_run(t)) {
                lsc_error_set(rd->err, LSC_ENOMEM, "out of memory");
                return LSC_ENOMEM;
            }
        lsc_run_record *r = &t->runs[idx];
        const char *sub = end + 1;
        if (!strcmp(sub, "optimizer"))
            snprintf(r->optimizer, sizeof r->optimizer, "%s", val);
        else if (!strcmp(sub, "label"))
            snprintf(r->label, sizeof r->label, "%s", val);
        else if (!strcmp(sub, "status")) {
            if (lsc_stop_from_name(val, &r->status) != LSC_OK)
                return bad(rd, "unknown run status");
        } else if (!strcmp(sub, "reason"))
            snprintf(r->reason, sizeof r->reason, "%s", val);
        else if (!strcmp(sub, "schedule"))
            snprintf(r->schedule, sizeof r->schedule, "%s", val);
        else if (!strcmp(sub, "noise") || !strcmp(sub, "clip_norm") ||
                 !strcmp(sub, "clip_value")) {
            double d;
            if (lsc_parse_double(val, &d) != LSC_OK)
                return bad(rd, "expected a number");
            if (sub[0] == 'n') {
                r->noise = d;
                r->own_noise = 1;
            } else if (sub[5] == 'n') {
                r->clip_norm = d;
                r->own_clip_norm = 1;
            } else {
                r->clip_value = d;
                r->own_clip_value = 1;
            }
        }
        else if (!strcmp(sub, "start")) {
            if (t->n <= 0 || lsc_parse_list(val, ',', r->start, t->n) != t->n)
                return bad(rd, "run start does not have 'dim' coordinates");
        }
        return LSC_OK;
    }
    if (!strcmp(key, "version"))
        snprintf(t->version, sizeof t->version, "%s", val);
    else if (!strcmp(key, "landscape"))
        snprintf(t->landscape, sizeof t->landscape, "%s", val);
    else if (!strcmp(key, "schedule"))
        snprintf(t->schedule, sizeof t->schedule, "%s", val);
    else if (!strcmp(key, "dim")) {
        if (lsc_parse_long(val, &l) != LSC_OK || l < 1 || l > 100000000 || t->nruns)
            return bad(rd, "'dim' must be an integer from 1 to 100000000, given before the "
                           "runs");
        t->n = (int)l;
    } else if (!strcmp(key, "clip_norm") || !strcmp(key, "clip_value") ||
               !strcmp(key, "noise") || !strcmp(key, "stop_grad")) {
        if (lsc_parse_double(val, &d) != LSC_OK)
            return bad(rd, "expected a number");
        *(key[0] == 'n' ? &t->noise
                        : key[0] == 's' ? &t->stop_grad
                                        : key[5] == 'n' ? &t->clip_norm : &t->clip_value) = d;
    } else if (!strcmp(key, "seed")) {
        char *end;
        errno = 0;
        t->seed = strtoull(val, &end, 10);
        if (end == val || *end || errno)
            return bad(rd, "'seed' must be a non-negative integer");
    } else if (!strcmp(key, "steps") || !strcmp(key, "every")) {
        if (lsc_parse_long(val, &l) != LSC_OK)
            return bad(rd, "expected an integer");
        *(key[0] == 's' ? &t->steps : &t->every) = l;
    }
    return LSC_OK;
}

static int header_line(reader *rd, lsc_trajectory *t, char *line, int *ncols)
{
    static const char *const fixed[] = {"run", "step", "lr", "loss", "grad_norm"};
    char *save = NULL;
    int col = 0, npos = 0;
    for (char *tok = strtok_r(line, "\t", &save); tok; tok = strtok_r(NULL, "\t", &save), col++) {
        if (col < 5) {
            if (strcmp(tok, fixed[col]))
                return bad(rd, "header row must start with: run step lr loss grad_norm");
        } else if (col == 5 && !strcmp(tok, "dist")) {
            t->has_dist = 1;
        } else {
            char want[32];
            snprintf(want, sizeof want, "x%d", npos + 1);
            if (strcmp(tok, want))
                return bad(rd, "expected position columns x1 x2 ... after grad_norm [dist]");
            npos++;
        }
    }
    if (col < 5)
        return bad(rd, "header row must start with: run step lr loss grad_norm");
    if (t->n <= 0)
        t->n = npos;
    if (npos > t->n)
        return bad(rd, "more position columns than 'dim'");
    t->npos = npos;
    *ncols = col;
    return LSC_OK;
}

int lsc_trajectory_read(lsc_trajectory *t, const char *path, lsc_error *err)
{
    lsc_trajectory_init(t, 0, 0, 0);
    t->version[0] = '\0';
    FILE *fp = fopen(path, "r");
    if (!fp) {
        lsc_error_set(err, LSC_EIO, "cannot read '%s': %s", path, strerror(errno));
        return LSC_EIO;
    }
    reader rd = {path, 0, err};
    char *line = NULL;
    size_t cap = 0;
    int have_header = 0, ncols = 0, rc = LSC_OK;
    double *xrow = NULL;
    while (getline(&line, &cap, fp) > 0) {
        rd.line++;
        chomp(line);
        if (line[0] == '\0')
            continue;
        if (line[0] == '#') {
            if (have_header) {
                rc = bad(&rd, "metadata line after the header row");
                break;
            }
            if ((rc = meta_line(&rd, t, line)) != LSC_OK)
                break;
            continue;
        }
        if (!have_header) {
            if ((rc = header_line(&rd, t, line, &ncols)) != LSC_OK)
                break;
            have_header = 1;
            xrow = calloc((size_t)(t->npos > 0 ? t->npos : 1), sizeof *xrow);
            if (!xrow) {
                rc = LSC_ENOMEM;
                lsc_error_set(err, rc, "out of memory");
                break;
            }
            continue;
        }
        /* data row */
        double v[6];
        long run = -1, step = 0;
        char *save = NULL, *tok = strtok_r(line, "\t", &save);
        int col = 0, ok = 1;
        for (; tok && ok; tok = strtok_r(NULL, "\t", &save), col++) {
            if (col == 0)
                ok = lsc_parse_long(tok, &run) == LSC_OK && run >= 0 && run < t->nruns;
            else if (col == 1)
                ok = lsc_parse_long(tok, &step) == LSC_OK;
            else if (col < 5 + t->has_dist) {
                if (!strcmp(tok, "nan"))
                    v[col] = NAN;
                else
                    ok = lsc_parse_double(tok, &v[col]) == LSC_OK;
            } else if (col < ncols) {
                int j = col - 5 - t->has_dist;
                if (!strcmp(tok, "nan"))
                    xrow[j] = NAN;
                else
                    ok = lsc_parse_double(tok, &xrow[j]) == LSC_OK;
            } else
                ok = 0;
        }
        if (!ok || col != ncols) {
            rc = bad(&rd, run >= t->nruns ? "row names a run with no metadata"
                                           : "malformed data row (wrong number of columns or "
                                             "not a number)");
            break;
        }
        lsc_run_record *r = &t->runs[run];
        if (lsc_run_record_reserve(t, r, 1) != LSC_OK) {
            rc = LSC_ENOMEM;
            lsc_error_set(err, rc, "out of memory");
            break;
        }
        lsc_run_record_push(t, r, step, v[2], v[3], v[4], t->has_dist ? v[5] : NAN, xrow);
    }
    free(line);
    free(xrow);
    if (rc == LSC_OK && ferror(fp)) {
        rc = LSC_EIO;
        lsc_error_set(err, rc, "reading '%s' failed: %s", path, strerror(errno));
    }
    fclose(fp);
    if (rc == LSC_OK && !have_header) {
        rc = LSC_EINVAL;
        lsc_error_set(err, rc, "%s: not a losscape trajectory (no header row)", path);
    }
    if (rc == LSC_OK && t->landscape[0] == '\0') {
        rc = LSC_EINVAL;
        lsc_error_set(err, rc, "%s: no '# landscape:' line", path);
    }
    for (int i = 0; rc == LSC_OK && i < t->nruns; i++) {
        lsc_run_record *r = &t->runs[i];
        if (!r->schedule[0])
            snprintf(r->schedule, sizeof r->schedule, "%s", t->schedule);
        if (!r->own_noise)
            r->noise = t->noise;
        if (!r->own_clip_norm)
            r->clip_norm = t->clip_norm;
        if (!r->own_clip_value)
            r->clip_value = t->clip_value;
    }
    if (rc != LSC_OK)
        lsc_trajectory_free(t);
    return rc;
}
