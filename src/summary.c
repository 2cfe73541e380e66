/* summary.c — reading `# losscape summary v1` files, and writing their rows (summary.h) */
#include "summary.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landscape.h"

/* The cells of a row (LSC_SUMMARY_COLUMNS). */
enum { C_RUN, C_OPT, C_LABEL, C_START, C_STEP, C_STATUS, C_LOSS, C_GRAD, C_STOP_GRAD,
       C_STOP_LOSS, C_STOP_DIST, C_ESCAPE, C_REASON, NCELLS };

/* ---- writing ---------------------------------------------------------------------------- */

/* A step, or nothing when it never came. */
static void put_step(FILE *fp, long k)
{
    fputc('\t', fp);
    if (k >= 0)
        fprintf(fp, "%ld", k);
}

void lsc_summary_put_row(FILE *fp, const lsc_run_summary *r)
{
    char b1[32], b2[32];
    fprintf(fp, "%d\t%d\t%s\t%d\t%ld\t%s\t%s\t%s", r->run, r->optimizer, r->label, r->start,
            r->step, lsc_stop_name(r->status), lsc_fmt_double(b1, r->loss),
            lsc_fmt_double(b2, r->grad_norm));
    for (int c = 0; c < 3; c++)
        put_step(fp, r->stop_step[c]);
    put_step(fp, r->escape);
    fprintf(fp, "\t%s\n", r->reason);
}

/* ---- reading ---------------------------------------------------------------------------- */

typedef struct {
    FILE *fp;
    const char *path;
    long line;
    lsc_error *err;
    char buf[LSC_SUMMARY_MAX_LINE + 2];
    size_t len;
    int meta_cap, rows_cap;
    size_t header_cap;
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

static int no_memory(reader *rd)
{
    lsc_error_set(rd->err, LSC_ENOMEM, "out of memory reading '%s'", rd->path);
    return LSC_ENOMEM;
}

/* The next line into rd->buf without its '\n' (or "\r\n"): 1, 0 at the end, or an error
 * (a line over the limit, a NUL byte, a read error). Byte by byte from stdio's buffer, so
 * no line costs more memory than the fixed buffer. */
static int next_line(reader *rd)
{
    int c = EOF;
    rd->len = 0;
    rd->line++;
    while ((c = getc_unlocked(rd->fp)) != EOF && c != '\n') {
        if (c == '\0')
            return bad(rd, "not a losscape summary (a NUL byte: binary data)");
        if (rd->len == LSC_SUMMARY_MAX_LINE)
            return bad(rd, "line longer than %d bytes", LSC_SUMMARY_MAX_LINE);
        rd->buf[rd->len++] = (char)c;
    }
    if (ferror(rd->fp)) {
        lsc_error_set(rd->err, LSC_EIO, "reading '%s' failed: %s", rd->path, strerror(errno));
        return LSC_EIO;
    }
    if (c == EOF && rd->len == 0)
        return 0;
    if (rd->len && rd->buf[rd->len - 1] == '\r')
        rd->len--;
    rd->buf[rd->len] = '\0';
    return 1;
}

/* Keep the line (and its '\n') in s->header. */
static int keep_header_line(reader *rd, lsc_summary *s)
{
    if (s->header_len + rd->len + 2 > rd->header_cap) {
        size_t cap = rd->header_cap ? rd->header_cap : 4096;
        while (cap < s->header_len + rd->len + 2)
            cap *= 2;
        char *h = realloc(s->header, cap);
        if (!h)
            return no_memory(rd);
        s->header = h;
        rd->header_cap = cap;
    }
    memcpy(s->header + s->header_len, rd->buf, rd->len);
    s->header_len += rd->len;
    s->header[s->header_len++] = '\n';
    s->header[s->header_len] = '\0';
    return LSC_OK;
}

/* A non-negative decimal integer, digits only (no sign, no spaces, no 1e3), at most max. */
static int parse_count(const char *t, long max, long *out)
{
    long v = 0;
    if (!*t)
        return LSC_EINVAL;
    for (; *t; t++) {
        if (*t < '0' || *t > '9')
            return LSC_EINVAL;
        const int d = *t - '0';
        if (v > (max - d) / 10)
            return LSC_EINVAL;
        v = 10 * v + d;
    }
    *out = v;
    return LSC_OK;
}

/* The counts the header gives: dim, runs, 'optimizer M' (M = 0, 1, ... in order). */
static int meta_counts(reader *rd, lsc_summary *s, const char *key, const char *val)
{
    long v;
    if (!strcmp(key, "dim") || !strcmp(key, "runs")) {
        const int is_dim = key[0] == 'd';
        int *dst = is_dim ? &s->dim : &s->runs;
        const long max = is_dim ? LSC_MAX_DIM : INT_MAX;
        if (*dst)
            return bad(rd, "a second '# %s:' line", key);
        if (parse_count(val, max, &v) != LSC_OK || v < 1)
            return bad(rd, "%s: '%.100s' is not a count from 1 to %ld", key, val, max);
        *dst = (int)v;
    } else if (!strncmp(key, "optimizer ", 10) && parse_count(key + 10, INT_MAX, &v) == LSC_OK) {
        if (v != s->noptimizers || (key[10] == '0' && key[11]))
            return bad(rd, "'# %.60s:' out of order (expected optimizer %d)", key,
                       s->noptimizers);
        s->noptimizers++;
    }
    return LSC_OK;
}

/* A '# key: value' line (or a bare '#' comment, kept in the header only). */
static int meta_line(reader *rd, lsc_summary *s)
{
    char *line = rd->buf + 1;
    while (*line == ' ')
        line++;
    char *colon = strstr(line, ": ");
    if (!colon) /* '# key:' with an empty value */
        colon = rd->len && rd->buf[rd->len - 1] == ':' ? rd->buf + rd->len - 1 : NULL;
    if (!colon)
        return LSC_OK;
    if (s->nmeta == LSC_SUMMARY_MAX_META)
        return bad(rd, "more than %d metadata lines", LSC_SUMMARY_MAX_META);
    if (s->nmeta == rd->meta_cap) {
        int cap = rd->meta_cap ? 2 * rd->meta_cap : 64;
        lsc_summary_meta *m = realloc(s->meta, (size_t)cap * sizeof *m);
        if (!m)
            return no_memory(rd);
        s->meta = m;
        rd->meta_cap = cap;
    }
    *colon = '\0';
    const char *val = colon[1] ? colon + 2 : "";
    lsc_summary_meta *m = &s->meta[s->nmeta];
    m->key = strdup(line);
    m->value = strdup(val);
    if (!m->key || !m->value) {
        free(m->key);
        free(m->value);
        return no_memory(rd);
    }
    s->nmeta++;
    return meta_counts(rd, s, m->key, m->value);
}

/* Split line at tabs into exactly NCELLS cells. */
static int split_row(reader *rd, char **cells)
{
    char *p = rd->buf;
    int k = 0;
    for (;;) {
        if (k == NCELLS)
            return bad(rd, "more than %d cells (the reason is the last)", NCELLS);
        cells[k++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return k == NCELLS ? LSC_OK : bad(rd, "%d cells, expected %d", k, NCELLS);
}

/* loss, grad_norm: a number as lsc_fmt_double writes it, or nan, inf, -inf. */
static int parse_value(const char *t, double *out)
{
    if (!strcmp(t, "nan"))
        *out = NAN;
    else if (!strcmp(t, "inf") || !strcmp(t, "-inf"))
        *out = t[0] == '-' ? -INFINITY : INFINITY;
    else
        return lsc_parse_double(t, out);
    return LSC_OK;
}

/* A step cell: empty (-1: off or never) or a count. */
static int parse_step(const char *t, long *out)
{
    if (!*t) {
        *out = -1;
        return LSC_OK;
    }
    return parse_count(t, LONG_MAX, out);
}

static int copy_text(reader *rd, char *dst, size_t len, const char *what, const char *t)
{
    if (strlen(t) >= len)
        return bad(rd, "%s longer than %zu bytes", what, len - 1);
    memcpy(dst, t, strlen(t) + 1);
    return LSC_OK;
}

/* The numbers of a row: indices, step, status, values, stop steps. */
static int row_fields(reader *rd, char **c, lsc_run_summary *r)
{
    long run, opt, start, step;
    if (parse_count(c[C_RUN], INT_MAX, &run) || parse_count(c[C_OPT], INT_MAX, &opt) ||
        parse_count(c[C_START], INT_MAX, &start))
        return bad(rd, "run, optimizer and start must be counts ('%.30s', '%.30s', '%.30s')",
                   c[C_RUN], c[C_OPT], c[C_START]);
    r->run = (int)run;
    r->optimizer = (int)opt;
    r->start = (int)start;
    /* -1: the run recorded no row (not finite at its start) */
    if (strcmp(c[C_STEP], "-1") ? parse_count(c[C_STEP], LONG_MAX, &step) != LSC_OK
                                : (step = -1, 0))
        return bad(rd, "step: '%.30s' is not a count", c[C_STEP]);
    r->step = step;
    if (lsc_stop_from_name(c[C_STATUS], &r->status) != LSC_OK)
        return bad(rd, "status: '%.30s' is not a status name", c[C_STATUS]);
    if (parse_value(c[C_LOSS], &r->loss) || parse_value(c[C_GRAD], &r->grad_norm))
        return bad(rd, "loss and grad_norm must be numbers ('%.40s', '%.40s')", c[C_LOSS],
                   c[C_GRAD]);
    for (int k = 0; k < 3; k++)
        if (parse_step(c[C_STOP_GRAD + k], &r->stop_step[k]))
            return bad(rd, "%s: '%.30s' is not a step", k == 0 ? "stop_grad_step"
                       : k == 1 ? "stop_loss_step" : "stop_dist_step", c[C_STOP_GRAD + k]);
    if (parse_step(c[C_ESCAPE], &r->escape))
        return bad(rd, "escape_step: '%.30s' is not a step", c[C_ESCAPE]);
    return LSC_OK;
}

/* A row: its cells parsed, checked against the header and the row before. */
static int data_row(reader *rd, lsc_summary *s)
{
    char *c[NCELLS];
    int rc = split_row(rd, c);
    if (rc != LSC_OK)
        return rc;
    lsc_run_summary r;
    memset(&r, 0, sizeof r);
    if ((rc = row_fields(rd, c, &r)) != LSC_OK)
        return rc;
    if (r.optimizer >= s->noptimizers || r.start >= s->runs ||
        (long)r.optimizer * s->runs + r.start != r.run)
        return bad(rd, "run %d is not optimizer %d's start %d (%d optimizer%s, %d runs each: "
                   "run = optimizer * runs + start)", r.run, r.optimizer, r.start,
                   s->noptimizers, s->noptimizers == 1 ? "" : "s", s->runs);
    if (s->nrows && r.run <= s->rows[s->nrows - 1].run)
        return bad(rd, "run %d after run %d (runs must be in increasing order)", r.run,
                   s->rows[s->nrows - 1].run);
    if ((rc = copy_text(rd, r.label, sizeof r.label, "label", c[C_LABEL])) != LSC_OK ||
        (rc = copy_text(rd, r.reason, sizeof r.reason, "reason", c[C_REASON])) != LSC_OK)
        return rc;
    if (s->nrows == rd->rows_cap) {
        int cap = rd->rows_cap ? 2 * rd->rows_cap : 64;
        lsc_run_summary *rows = realloc(s->rows, (size_t)cap * sizeof *rows);
        if (!rows)
            return no_memory(rd);
        s->rows = rows;
        rd->rows_cap = cap;
    }
    s->rows[s->nrows++] = r;
    return LSC_OK;
}

/* The column row ends the header: dim, runs and an optimizer must have come before. */
static int column_row(reader *rd, lsc_summary *s)
{
    if (strcmp(rd->buf, LSC_SUMMARY_COLUMNS))
        return bad(rd, "not the summary's column row (run, optimizer, label, start, step, "
                   "status, loss, grad_norm, stop_grad_step, stop_loss_step, stop_dist_step, "
                   "escape_step, reason, TAB-separated)");
    if (!s->dim || !s->runs || !s->noptimizers)
        return bad(rd, "the header lacks '# %s'", !s->dim ? "dim: N" : !s->runs ? "runs: K"
                   : "optimizer 0: SPEC");
    return LSC_OK;
}

static int open_input(reader *rd)
{
    rd->fp = fopen(rd->path, "r");
    if (!rd->fp) {
        const int e = errno;
        const int user = e == ENOENT || e == ENOTDIR || e == EACCES || e == ELOOP ||
                         e == ENAMETOOLONG || e == EISDIR;
        lsc_error_set(rd->err, user ? LSC_EINVAL : LSC_EIO, "cannot read '%s': %s", rd->path,
                      strerror(e));
        return user ? LSC_EINVAL : LSC_EIO;
    }
    struct stat st;
    if (fstat(fileno(rd->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        lsc_error_set(rd->err, LSC_EINVAL, "cannot read '%s': it is a directory, not a "
                      "summary file", rd->path);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static int read_all(reader *rd, lsc_summary *s)
{
    int rc = open_input(rd), in_header = 1, lrc = 0;
    if (rc != LSC_OK)
        return rc;
    while (rc == LSC_OK && (lrc = next_line(rd)) == 1) {
        if (rd->line == 1 && strcmp(rd->buf, "# losscape summary v1"))
            return bad(rd, "not a losscape summary (the first line is not '# losscape "
                       "summary v1')");
        if (!in_header) {
            rc = rd->buf[0] == '#' ? bad(rd, "a '#' line after the column row")
                                   : data_row(rd, s);
            continue;
        }
        if ((rc = keep_header_line(rd, s)) != LSC_OK)
            break;
        if (rd->buf[0] == '#') {
            rc = meta_line(rd, s);
        } else {
            rc = column_row(rd, s);
            in_header = 0;
        }
    }
    if (rc == LSC_OK && lrc < 0)
        rc = lrc;
    if (rc == LSC_OK && in_header)
        rc = rd->line <= 1 ? bad(rd, "not a losscape summary (empty)")
                           : bad(rd, "the file ends before the column row");
    return rc;
}

int lsc_summary_read(lsc_summary *s, const char *path, lsc_error *err)
{
    memset(s, 0, sizeof *s);
    reader *rd = calloc(1, sizeof *rd);
    if (!rd) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory reading '%s'", path);
        return LSC_ENOMEM;
    }
    rd->path = path;
    rd->err = err;
    int rc = read_all(rd, s);
    if (rd->fp)
        fclose(rd->fp);
    free(rd);
    return rc;
}

void lsc_summary_free(lsc_summary *s)
{
    for (int i = 0; i < s->nmeta; i++) {
        free(s->meta[i].key);
        free(s->meta[i].value);
    }
    free(s->meta);
    free(s->header);
    free(s->rows);
    memset(s, 0, sizeof *s);
}

const char *lsc_summary_get(const lsc_summary *s, const char *key)
{
    for (int i = 0; i < s->nmeta; i++)
        if (!strcmp(s->meta[i].key, key))
            return s->meta[i].value;
    return NULL;
}
