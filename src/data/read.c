/* read.c — a data set from a TSV or CSV file, trusting nothing in it (dataset.h)
 *
 * Lines are read byte by byte up to LSC_DATA_LINE_MAX (a NUL byte stops the read: binary
 * data), so a file without newlines, /dev/zero or an endless FIFO fails at once, and the
 * bytes read, the rows and the numbers kept are all bounded. Every error names the file
 * and the line: "data: points.csv:7: 3 cells, the header has 4 columns".
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "data_impl.h"

typedef struct {
    FILE *fp;
    const char *path;
    char sep;
    long line;                /* number of the line in buf */
    unsigned long long bytes; /* read so far */
    char *buf;                /* LSC_DATA_LINE_MAX + 1 bytes */
    char **cells;             /* LSC_DATA_MAX_COLS + 1 */
    lsc_error *err;
} reader;

static int bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(reader *r, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    lsc_error_set(r->err, LSC_EINVAL, "data: %s:%ld: %s", r->path, r->line, what);
    return LSC_EINVAL;
}

/* The next line into buf, without its '\n' and a final '\r': 1, 0 at the end of the
 * file, or an error. */
static int next_line(reader *r)
{
    size_t len = 0;
    int c;
    r->line++;
    while ((c = getc(r->fp)) != EOF && c != '\n') {
        if (++r->bytes > LSC_DATA_MAX_BYTES)
            return bad(r, "the file is longer than %llu bytes", LSC_DATA_MAX_BYTES);
        if (c == '\0')
            return bad(r, "a NUL byte: binary data, not a table of numbers");
        if (len == LSC_DATA_LINE_MAX)
            return bad(r, "longer than %lu bytes", LSC_DATA_LINE_MAX);
        r->buf[len++] = (char)c;
    }
    if (c == EOF && ferror(r->fp)) {
        lsc_error_set(r->err, LSC_EIO, "data: cannot read %s: %s", r->path, strerror(errno));
        return LSC_EIO;
    }
    if (c == EOF && len == 0)
        return 0;
    r->bytes += c == '\n';
    if (len && r->buf[len - 1] == '\r')
        len--;
    r->buf[len] = '\0';
    return 1;
}

static int blank_or_comment(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* One cell starting at p (in place): unquoted ("a ""b""" -> a "b") and trimmed; *next is
 * where the following cell starts, or NULL at the end of the line. */
static int split_cell(reader *r, char *p, char **cell, char **next)
{
    while (*p == ' ')
        p++;
    if (*p != '"') {
        char *e = strchr(p, r->sep);
        *next = e ? e + 1 : NULL;
        if (e)
            *e = '\0';
        *cell = trim(p);
        return LSC_OK;
    }
    char *w = p, *q = p + 1;
    for (;; q++) {
        if (*q == '\0')
            return bad(r, "a quote that is never closed");
        if (*q == '"' && q[1] == '"') {
            *w++ = '"';
            q++;
        } else if (*q == '"') {
            break;
        } else {
            *w++ = *q;
        }
    }
    *w = '\0';
    for (q++; *q == ' '; q++)
        ;
    if (*q != '\0' && *q != r->sep)
        return bad(r, "text after a closing quote");
    *next = *q ? q + 1 : NULL;
    *cell = p;
    return LSC_OK;
}

/* The cells of buf into r->cells: their number, or an error. */
static int split(reader *r)
{
    int n = 0;
    char *p = r->buf;
    while (p) {
        if (n == LSC_DATA_MAX_COLS)
            return bad(r, "more than %d columns", LSC_DATA_MAX_COLS);
        if (split_cell(r, p, &r->cells[n], &p) != LSC_OK)
            return LSC_EINVAL;
        n++;
    }
    return n;
}

/* A decimal number: digits, sign, '.', exponent only (no hex, nan or inf), finite. */
static int cell_number(reader *r, const char *cell, const char *col, double *out)
{
    if (!cell[0])
        return bad(r, "column '%s' is empty", col);
    const char *s = cell + (cell[0] == '+');
    int ok = s[0] != '\0';
    for (const char *c = s; *c && ok; c++)
        ok = isdigit((unsigned char)*c) || strchr("+-.eE", *c);
    char *end = NULL;
    errno = 0;
    double v = ok ? strtod(s, &end) : 0;
    if (ok && (end == s || *end))
        ok = 0;
    const char *t = s + (s[0] == '-');
    if (!ok && (!strcasecmp(t, "nan") || !strcasecmp(t, "inf") || !strcasecmp(t, "infinity")))
        return bad(r, "column '%s': '%.40s' is not a finite number", col, cell);
    if (!ok)
        return bad(r, "column '%s': '%.40s' is not a number", col, cell);
    if (!isfinite(v))
        return bad(r, "column '%s': '%.40s' is not a finite number (too large)", col, cell);
    *out = v;
    return LSC_OK;
}

/* The header row: names, unique and non-empty; which one is the target. */
static int header(reader *r, lsc_dataset *D, int ncols, const char *target, int *tcol)
{
    for (int j = 0; j < ncols; j++) {
        const char *c = r->cells[j];
        if (!c[0])
            return bad(r, "column %d of the header has no name", j + 1);
        if (strlen(c) >= LSC_NAME_MAX)
            return bad(r, "column name '%.40s...' is longer than %d characters", c,
                       LSC_NAME_MAX - 1);
        if (lsc_has_control(c))
            return bad(r, "column name '%.40s' holds a control character", c);
        for (int k = 0; k < j; k++)
            if (!strcmp(r->cells[k], c))
                return bad(r, "column '%s' appears twice in the header", c);
    }
    *tcol = ncols - 1;
    if (target && target[0]) {
        *tcol = -1;
        for (int j = 0; j < ncols; j++)
            if (!strcmp(r->cells[j], target))
                *tcol = j;
        if (*tcol < 0) {
            char known[512] = "";
            size_t used = 0;
            for (int j = 0; j < ncols && used < sizeof known; j++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                         j ? ", " : "", r->cells[j]);
            lsc_error_set(r->err, LSC_EINVAL, "target: no column '%s' in %s (columns: %s)",
                          target, r->path, known);
            return LSC_EINVAL;
        }
    }
    int k = 0;
    for (int j = 0; j < ncols; j++)
        if (j != *tcol)
            snprintf(D->names[k++], LSC_NAME_MAX, "%s", r->cells[j]);
    snprintf(D->names[ncols - 1], LSC_NAME_MAX, "%s", r->cells[*tcol]);
    return LSC_OK;
}

/* Room for one more row (geometric growth). */
static int grow(reader *r, lsc_dataset *D, size_t *cap)
{
    if ((size_t)D->n < *cap)
        return LSC_OK;
    if (D->n >= LSC_DATA_MAX_ROWS)
        return bad(r, "more than %d rows", LSC_DATA_MAX_ROWS);
    if ((unsigned long long)(D->n + 1) * (unsigned long long)(D->d + 1) > LSC_DATA_MAX_VALUES)
        return bad(r, "more than %llu numbers", LSC_DATA_MAX_VALUES);
    size_t c = *cap ? 2 * *cap : 256;
    if (c > LSC_DATA_MAX_ROWS)
        c = LSC_DATA_MAX_ROWS;
    double *y = realloc(D->y, c * sizeof *y);
    if (y)
        D->y = y;
    double *X = D->d ? realloc(D->X, c * (size_t)D->d * sizeof *X) : NULL;
    if (X)
        D->X = X;
    if (!y || (D->d && !X)) {
        lsc_error_set(r->err, LSC_ENOMEM, "data: out of memory for %d rows of %s", D->n,
                      r->path);
        return LSC_ENOMEM;
    }
    *cap = c;
    return LSC_OK;
}

/* A data row: as many cells as the header, each a finite number. */
static int row(reader *r, lsc_dataset *D, int ncols, int tcol, size_t *cap)
{
    int n = split(r);
    if (n < 0)
        return n;
    if (n != ncols)
        return bad(r, "%d cell%s, the header has %d column%s", n, n == 1 ? "" : "s", ncols,
                   ncols == 1 ? "" : "s");
    int rc = grow(r, D, cap);
    if (rc != LSC_OK)
        return rc;
    double *x = D->d ? D->X + (size_t)D->n * (size_t)D->d : NULL;
    int k = 0;
    for (int j = 0; j < ncols; j++) {
        double v = 0;
        const char *name = j == tcol ? D->names[ncols - 1] : D->names[k];
        if (cell_number(r, r->cells[j], name, &v) != LSC_OK)
            return LSC_EINVAL;
        if (j == tcol)
            D->y[D->n] = v;
        else
            x[k++] = v;
    }
    double t = D->y[D->n];
    if (!D->bad_label_line && !(t >= 0 && t < LSC_DATA_MAX_CLASSES && t == floor(t))) {
        D->bad_label_line = r->line;
        D->bad_label = t;
    }
    D->n++;
    return LSC_OK;
}

static int read_table(reader *r, lsc_dataset *D, const char *target)
{
    int rc, ncols = 0, tcol = 0;
    size_t cap = 0;
    while ((rc = next_line(r)) == 1 && blank_or_comment(r->buf))
        ;
    if (rc < 0)
        return rc;
    if (rc == 0) {
        lsc_error_set(r->err, LSC_EINVAL, "data: %s:%ld: the file is empty (expected a header "
                      "row of column names, then rows of numbers)", r->path, r->line);
        return LSC_EINVAL;
    }
    if ((ncols = split(r)) < 0)
        return ncols;
    D->d = ncols - 1;
    if (!(D->names = calloc((size_t)ncols, sizeof *D->names))) {
        lsc_error_set(r->err, LSC_ENOMEM, "data: out of memory");
        return LSC_ENOMEM;
    }
    if ((rc = header(r, D, ncols, target, &tcol)) != LSC_OK)
        return rc;
    const long header_line = r->line;
    while ((rc = next_line(r)) == 1)
        if (!blank_or_comment(r->buf) && (rc = row(r, D, ncols, tcol, &cap)) != LSC_OK)
            return rc;
    if (rc < 0)
        return rc;
    if (D->n == 0) {
        lsc_error_set(r->err, LSC_EINVAL, "data: %s:%ld: a header row and no data rows",
                      r->path, header_line);
        return LSC_EINVAL;
    }
    data_count_classes(D);
    return LSC_OK;
}

int lsc_data_read(lsc_dataset *D, const char *path, const char *target, lsc_error *err)
{
    size_t n = strlen(path);
    return data_read(D, path, n >= 4 && !strcasecmp(path + n - 4, ".csv") ? ',' : '\t', target,
                     err);
}

int data_read(lsc_dataset *D, const char *path, char sep, const char *target, lsc_error *err)
{
    memset(D, 0, sizeof *D);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        lsc_error_set(err, LSC_EINVAL, "data: '%s' is a directory (a .tsv or .csv file is "
                      "expected)", path);
        return LSC_EINVAL;
    }
    reader r = {.path = path, .sep = sep, .err = err};
    if (!(r.fp = fopen(path, "r"))) {
        lsc_error_set(err, LSC_EINVAL, "data: cannot read '%s': %s", path, strerror(errno));
        return LSC_EINVAL;
    }
    r.buf = malloc(LSC_DATA_LINE_MAX + 1);
    r.cells = malloc((LSC_DATA_MAX_COLS + 1) * sizeof *r.cells);
    int rc = r.buf && r.cells ? read_table(&r, D, target) : LSC_ENOMEM;
    if (!r.buf || !r.cells)
        lsc_error_set(err, LSC_ENOMEM, "data: out of memory");
    fclose(r.fp);
    free(r.buf);
    free(r.cells);
    if (rc != LSC_OK) {
        lsc_data_free(D);
        return rc;
    }
    snprintf(D->source, sizeof D->source, "%s", path);
    return LSC_OK;
}
