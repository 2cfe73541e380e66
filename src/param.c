/* param.c — errors, parameter values, the spec grammar, number parsing */
#include "param.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "lsc_version.h"

int lsc_has_control(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

void lsc_escape_control(char *buf, size_t len, const char *s)
{
    size_t k = 0;
    if (!len)
        return;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c >= 0x20 && c != 0x7f) {
            esc[0] = (char)c;
            esc[1] = '\0';
        } else if (c == '\n' || c == '\t' || c == '\r') {
            esc[0] = '\\';
            esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            esc[2] = '\0';
        } else {
            snprintf(esc, sizeof esc, "\\x%02x", c);
        }
        size_t el = strlen(esc);
        if (k + el >= len)
            break; /* never half an escape */
        memcpy(buf + k, esc, el);
        k += el;
    }
    buf[k] = '\0';
}

/* Every message is one line: text the user typed (a label, a formula, a file name) may
 * hold newlines or terminal escapes, so they are shown escaped (\n, \t, \x1b), here,
 * for every error at once. */
void lsc_error_set(lsc_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return;
    char raw[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    lsc_escape_control(err->msg, sizeof err->msg, raw);
}

void lsc_error_clear(lsc_error *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

/* ---- numbers ---------------------------------------------------------------- */

static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

static int all_space(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* The one number syntax users and files use: decimal, an optional '-', digits with an
 * optional '.', an optional exponent (0.01, -1.5, .5, 1e-3, 2.5E+6), or the words inf,
 * infinity (any case, optional '-'). strtod alone would also take hex (0x10, 0x1p4),
 * nan(...), leading '+' and leading spaces; none of those are numbers here. Returns the
 * length of the number, 0 when s does not start with one. */
static size_t decimal_prefix(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (!strncasecmp_ascii(p, "infinity", 8))
        return (size_t)(p - s) + 8;
    if (!strncasecmp_ascii(p, "inf", 3))
        return (size_t)(p - s) + 3;
    size_t digits = 0;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++, digits++;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '-' || *q == '+')
            q++;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q))
                q++;
            p = q;
        }
    }
    return (size_t)(p - s);
}

int lsc_parse_double(const char *s, double *out)
{
    if (!s)
        return LSC_EINVAL;
    size_t len = decimal_prefix(s);
    if (!len || !all_space(s + len))
        return LSC_EINVAL;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if ((size_t)(end - s) != len)
        return LSC_EINVAL;
    if (errno == ERANGE && fabs(v) > 1.0) /* overflow; underflow to 0 is fine */
        return LSC_EINVAL;
    if (isnan(v))
        return LSC_EINVAL;
    *out = v;
    return LSC_OK;
}

/* Integers: decimal digits with an optional '-' (10, -3; 010 is ten), or an exact
 * integral value in the decimal syntax above (1e6, 2.5e3); below 9e15 in size, where
 * every integer is exact in a double. Not 0x10, not +5, not 2.5, not inf. */
int lsc_parse_long(const char *s, long *out)
{
    double d;
    if (lsc_parse_double(s, &d) != LSC_OK || d != floor(d) || !(fabs(d) < 9e15))
        return LSC_EINVAL;
    *out = (long)d;
    return LSC_OK;
}

int lsc_parse_bool(const char *s, int *out)
{
    if (!s)
        return LSC_EINVAL;
    if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes") || !strcmp(s, "on")) {
        *out = 1;
        return LSC_OK;
    }
    if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no") || !strcmp(s, "off")) {
        *out = 0;
        return LSC_OK;
    }
    return LSC_EINVAL;
}

int lsc_parse_list(const char *s, char sep, double *out, int max)
{
    if (!s)
        return LSC_EINVAL;
    if (all_space(s))
        return 0;
    int n = 0;
    const char *p = s;
    char item[128];
    for (;;) {
        const char *q = strchr(p, sep);
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == 0 || len >= sizeof item || n >= max)
            return LSC_EINVAL;
        memcpy(item, p, len);
        item[len] = '\0';
        if (lsc_parse_double(item, &out[n]) != LSC_OK)
            return LSC_EINVAL;
        n++;
        if (!q)
            break;
        p = q + 1;
    }
    return n;
}

/* ---- closest name (Levenshtein distance) ----------------------------------- */

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 1000;
    int d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *lsc_closest(const char *word, const char *const *cands, int ncands)
{
    const char *best = NULL;
    int bestd = 1000;
    size_t lw = strlen(word);
    for (int i = 0; i < ncands; i++) {
        int dist = edit_distance(word, cands[i]);
        /* a prefix ("rosen" for "rosenbrock") is close too */
        if (lw >= 3 && strncmp(word, cands[i], lw) == 0)
            dist = 1;
        if (dist < bestd) {
            bestd = dist;
            best = cands[i];
        }
    }
    size_t limit = lw / 3 + 1;
    if (limit < 2)
        limit = 2;
    return (best && (size_t)bestd <= limit) ? best : NULL;
}

/* ---- specs --------------------------------------------------------------------- */

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

int lsc_spec_parse(const char *text, const char *what, lsc_spec *spec, lsc_error *err)
{
    memset(spec, 0, sizeof *spec);
    if (!text || !*text) {
        lsc_error_set(err, LSC_EINVAL, "%s: empty specification; expected name[:key=value,...]",
                      what);
        return LSC_EINVAL;
    }
    const char *colon = strchr(text, ':');
    size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
    if (nlen >= sizeof spec->name) {
        lsc_error_set(err, LSC_EINVAL, "%s: name too long in '%.80s'", what, text);
        return LSC_EINVAL;
    }
    memcpy(spec->name, text, nlen);
    spec->name[nlen] = '\0';
    if (!valid_name(spec->name)) {
        lsc_error_set(err, LSC_EINVAL,
                      "%s: '%.80s' is not a name; expected name[:key=value,...]", what, text);
        return LSC_EINVAL;
    }
    if (!colon)
        return LSC_OK;
    const char *rest = colon + 1;
    if (strlen(rest) >= sizeof spec->arg) {
        lsc_error_set(err, LSC_EINVAL, "%s: specification too long (%zu characters, at most %zu)",
                      what, strlen(rest), sizeof spec->arg - 1);
        return LSC_EINVAL;
    }
    strcpy(spec->arg, rest);
    const char *p = rest;
    const int maxkv = LSC_COUNTOF(spec->key);
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p) {
            lsc_error_set(err, LSC_EINVAL, "%s: '%.*s' in '%s' is not key=value", what,
                          (int)len, p, text);
            return LSC_EINVAL;
        }
        if (spec->n >= maxkv) {
            lsc_error_set(err, LSC_EINVAL, "%s: too many key=value pairs in '%s'", what, text);
            return LSC_EINVAL;
        }
        size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
        if (klen >= LSC_NAME_MAX || vlen >= LSC_VALUE_MAX) {
            lsc_error_set(err, LSC_EINVAL, "%s: key or value too long in '%.80s'", what, text);
            return LSC_EINVAL;
        }
        memcpy(spec->key[spec->n], p, klen);
        spec->key[spec->n][klen] = '\0';
        memcpy(spec->val[spec->n], eq + 1, vlen);
        spec->val[spec->n][vlen] = '\0';
        /* values end up in files one per line (labels, specs in a trajectory's header,
         * TSV cells): a newline or tab there would start a line or a column of its own */
        if (lsc_has_control(spec->key[spec->n]) || lsc_has_control(spec->val[spec->n])) {
            lsc_error_set(err, LSC_EINVAL, "%s: %s=%.80s in '%s': control characters "
                          "(newline, tab, ...) are not allowed in a key or value", what,
                          spec->key[spec->n], spec->val[spec->n], spec->name);
            return LSC_EINVAL;
        }
        for (int i = 0; i < spec->n; i++)
            if (!strcmp(spec->key[i], spec->key[spec->n])) {
                lsc_error_set(err, LSC_EINVAL, "%s: key '%s' given twice in '%s'", what,
                              spec->key[i], text);
                return LSC_EINVAL;
            }
        spec->n++;
        if (!comma)
            break;
        p = comma + 1;
        if (!*p) {
            lsc_error_set(err, LSC_EINVAL, "%s: trailing ',' in '%s'", what, text);
            return LSC_EINVAL;
        }
    }
    return LSC_OK;
}

const char *lsc_spec_get(const lsc_spec *spec, const char *key)
{
    for (int i = 0; i < spec->n; i++)
        if (!strcmp(spec->key[i], key))
            return spec->val[i];
    return NULL;
}

/* ---- parameter values ---------------------------------------------------------- */

void lsc_params_defaults(lsc_params *p, const lsc_param_desc *desc, int ndesc)
{
    memset(p, 0, sizeof *p);
    p->desc = desc;
    p->n = ndesc;
    for (int i = 0; i < ndesc && i < LSC_MAX_PARAMS; i++) {
        p->v[i] = desc[i].def;
        if (desc[i].kind == LSC_PARAM_LIST && desc[i].def_list) {
            int k = lsc_parse_list(desc[i].def_list, ';', p->list[i], LSC_MAX_LIST);
            p->list_n[i] = k > 0 ? k : 0;
        }
    }
}

int lsc_params_index(const lsc_params *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->desc[i].name, name))
            return i;
    return -1;
}

double lsc_params_get(const lsc_params *p, const char *name)
{
    int i = lsc_params_index(p, name);
    return i < 0 ? NAN : p->v[i];
}

const char *lsc_param_choice_name(const lsc_param_desc *d, int v, char *buf, size_t len)
{
    const char *w = d->def_list ? d->def_list : "";
    for (int k = 0; k < v && w; k++) {
        w = strchr(w, '|');
        w = w ? w + 1 : NULL;
    }
    size_t n = w ? strcspn(w, "|") : 0;
    snprintf(buf, len, "%.*s", (int)n, w ? w : "");
    return buf;
}

/* The index of word s among d's choices, or -1. */
static int choice_index(const lsc_param_desc *d, const char *s)
{
    const char *w = d->def_list ? d->def_list : "";
    size_t n = strlen(s);
    for (int k = 0; w; k++) {
        size_t m = strcspn(w, "|");
        if (m == n && !strncmp(w, s, n))
            return k;
        w = strchr(w, '|');
        w = w ? w + 1 : NULL;
    }
    return -1;
}

static void range_text(const lsc_param_desc *d, char *buf, size_t len)
{
    char a[32], b[32];
    if (d->kind == LSC_PARAM_BOOL) {
        snprintf(buf, len, "true/false/1/0");
        return;
    }
    if (d->kind == LSC_PARAM_CHOICE) { /* "one of tanh, relu, sigmoid" */
        size_t w = (size_t)snprintf(buf, len, "one of ");
        for (const char *c = d->def_list; c && *c && w < len; c++)
            w += (size_t)snprintf(buf + w, len - w, *c == '|' ? ", " : "%c", *c);
        return;
    }
    const char *kind = d->kind == LSC_PARAM_INT ? "an integer" : "a number";
    if (isinf(d->lo) && isinf(d->hi)) {
        snprintf(buf, len, "%s", kind);
        return;
    }
    if (isinf(d->hi)) {
        snprintf(buf, len, "%s %s %s", kind, (d->flags & LSC_LO_OPEN) ? ">" : ">=",
                 lsc_fmt_double(a, d->lo));
        return;
    }
    if (isinf(d->lo)) {
        snprintf(buf, len, "%s %s %s", kind, (d->flags & LSC_HI_OPEN) ? "<" : "<=",
                 lsc_fmt_double(b, d->hi));
        return;
    }
    if (d->hi >= 1e6 && fabs(d->lo) < 1e6) {
        /* the upper bound only keeps typos (1e308) out: say the lower one first */
        snprintf(buf, len, "%s %s %s and %s %s", kind, (d->flags & LSC_LO_OPEN) ? ">" : ">=",
                 lsc_fmt_double(a, d->lo), (d->flags & LSC_HI_OPEN) ? "<" : "<=",
                 lsc_fmt_double(b, d->hi));
        return;
    }
    snprintf(buf, len, "%s in %c%s, %s%c", kind, (d->flags & LSC_LO_OPEN) ? '(' : '[',
             lsc_fmt_double(a, d->lo), lsc_fmt_double(b, d->hi),
             (d->flags & LSC_HI_OPEN) ? ')' : ']');
}

const char *lsc_param_allowed(const lsc_param_desc *d, char *buf, size_t len)
{
    if (d->kind != LSC_PARAM_LIST) {
        range_text(d, buf, len);
        return buf;
    }
    char each[128];
    range_text(d, each, sizeof each);
    /* range_text says "a number >= 0 ...": each entry is one */
    snprintf(buf, len, "a list of numbers separated by ';', each %s",
             !strncmp(each, "a number ", 9) ? each + 9 : each);
    return buf;
}

static int in_range(const lsc_param_desc *d, double v)
{
    if (!isfinite(v)) /* every parameter is a finite number, whatever its range */
        return 0;
    if ((d->flags & LSC_LO_OPEN) ? !(v > d->lo) : !(v >= d->lo))
        return 0;
    if ((d->flags & LSC_HI_OPEN) ? !(v < d->hi) : !(v <= d->hi))
        return 0;
    return 1;
}

/* Every LSC_REQUIRED key given: else one error naming the first missing key, its help and
 * an example ("--schedule: 'cosine' needs T_max=... (updates in a half period); e.g.
 * cosine:T_max=100"). */
static int check_required(const lsc_params *p, const lsc_spec *spec, const char *what,
                          lsc_error *err)
{
    for (int i = 0; i < p->n; i++) {
        const lsc_param_desc *d = &p->desc[i];
        if (!(d->flags & LSC_REQUIRED) || p->given[i])
            continue;
        lsc_error_set(err, LSC_EINVAL, "%s: '%s' needs %s=... (%s); e.g. %s:%s=%s", what,
                      spec->name, d->name, d->help, spec->name, d->name,
                      d->kind == LSC_PARAM_LIST  ? "100;200"
                      : d->kind == LSC_PARAM_INT ? "100"
                                                 : "0.1");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

int lsc_params_from_spec(lsc_params *p, const lsc_param_desc *desc, int ndesc,
                         const lsc_spec *spec, const char *const *extra, const char *what,
                         lsc_error *err)
{
    lsc_params_defaults(p, desc, ndesc);
    for (int k = 0; k < spec->n; k++) {
        const char *key = spec->key[k], *val = spec->val[k];
        int skip = 0;
        for (const char *const *e = extra; e && *e; e++)
            if (!strcmp(*e, key))
                skip = 1;
        if (skip)
            continue;
        int i = lsc_params_index(p, key);
        if (i < 0) {
            const char *names[LSC_MAX_PARAMS + 4] = {0};
            const int cap = LSC_MAX_PARAMS + 4;
            int nn = 0;
            for (int j = 0; j < ndesc && nn < cap; j++)
                names[nn++] = desc[j].name;
            for (const char *const *e = extra; e && *e && nn < cap; e++)
                names[nn++] = *e;
            const char *close = lsc_closest(key, names, nn);
            char known[512] = "";
            size_t used = 0;
            for (int j = 0; j < nn && used < sizeof known; j++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                         j ? ", " : "", names[j]);
            if (close)
                lsc_error_set(err, LSC_EINVAL,
                              "%s: '%s' has no parameter '%s' (did you mean '%s'? known: %s)",
                              what, spec->name, key, close, nn ? known : "none");
            else
                lsc_error_set(err, LSC_EINVAL, "%s: '%s' has no parameter '%s' (known: %s)",
                              what, spec->name, key, nn ? known : "none");
            return LSC_EINVAL;
        }
        const lsc_param_desc *d = &desc[i];
        char allowed[128];
        range_text(d, allowed, sizeof allowed);
        p->given[i] = 1;
        switch (d->kind) {
        case LSC_PARAM_BOOL: {
            int b;
            if (lsc_parse_bool(val, &b) != LSC_OK) {
                lsc_error_set(err, LSC_EINVAL, "%s: %s=%s in '%s': expected true/false/1/0",
                              what, key, val, spec->name);
                return LSC_EINVAL;
            }
            p->v[i] = b;
            break;
        }
        case LSC_PARAM_INT: {
            long l;
            if (lsc_parse_long(val, &l) != LSC_OK || !in_range(d, (double)l)) {
                lsc_error_set(err, LSC_EINVAL, "%s: %s=%s in '%s': expected %s", what, key,
                              val, spec->name, allowed);
                return LSC_EINVAL;
            }
            p->v[i] = (double)l;
            break;
        }
        case LSC_PARAM_REAL: {
            double x;
            if (lsc_parse_double(val, &x) != LSC_OK || !in_range(d, x)) {
                lsc_error_set(err, LSC_EINVAL, "%s: %s=%s in '%s': expected %s", what, key,
                              val, spec->name, allowed);
                return LSC_EINVAL;
            }
            p->v[i] = x;
            break;
        }
        case LSC_PARAM_CHOICE: {
            int k = choice_index(d, val);
            if (k < 0) {
                char allowed_words[LSC_VALUE_MAX];
                range_text(d, allowed_words, sizeof allowed_words);
                lsc_error_set(err, LSC_EINVAL, "%s: %s=%s in '%s': expected %s", what, key, val,
                              spec->name, allowed_words);
                return LSC_EINVAL;
            }
            p->v[i] = k;
            break;
        }
        case LSC_PARAM_LIST: {
            int cnt = lsc_parse_list(val, ';', p->list[i], LSC_MAX_LIST);
            if (cnt < 0) {
                lsc_error_set(err, LSC_EINVAL,
                              "%s: %s=%s in '%s': expected a list of numbers separated by ';' "
                              "(at most %d)",
                              what, key, val, spec->name, LSC_MAX_LIST);
                return LSC_EINVAL;
            }
            for (int j = 0; j < cnt; j++)
                if (!in_range(d, p->list[i][j])) {
                    lsc_error_set(err, LSC_EINVAL, "%s: %s=%s in '%s': each entry must be %s",
                                  what, key, val, spec->name, allowed);
                    return LSC_EINVAL;
                }
            p->list_n[i] = cnt;
            break;
        }
        }
    }
    return check_required(p, spec, what, err);
}

int lsc_params_format(const lsc_params *p, char *buf, size_t len)
{
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (int i = 0; i < p->n; i++) {
        const lsc_param_desc *d = &p->desc[i];
        char num[32];
        int w;
        if (used >= len)
            break;
        w = snprintf(buf + used, len - used, "%s%s=", i ? "," : "", d->name);
        used += (size_t)(w > 0 ? w : 0);
        if (used >= len)
            break;
        switch (d->kind) {
        case LSC_PARAM_BOOL:
            w = snprintf(buf + used, len - used, "%s", p->v[i] != 0 ? "true" : "false");
            break;
        case LSC_PARAM_INT:
            w = snprintf(buf + used, len - used, "%.0f", p->v[i]);
            break;
        case LSC_PARAM_REAL:
            w = snprintf(buf + used, len - used, "%s", lsc_fmt_double(num, p->v[i]));
            break;
        case LSC_PARAM_CHOICE:
            w = snprintf(buf + used, len - used, "%s",
                         lsc_param_choice_name(d, (int)p->v[i], num, sizeof num));
            break;
        case LSC_PARAM_LIST:
            w = 0;
            for (int j = 0; j < p->list_n[i] && used + (size_t)w < len; j++)
                w += snprintf(buf + used + w, len - used - (size_t)w, "%s%s", j ? ";" : "",
                              lsc_fmt_double(num, p->list[i][j]));
            break;
        }
        used += (size_t)(w > 0 ? w : 0);
    }
    if (used >= len && len)
        buf[len - 1] = '\0';
    return (int)(used < len ? used : len - 1);
}

/* ---- PyTorch templates -------------------------------------------------------------- */

/* One value as Python writes it: repr of a float (shortest round trip, with ".0" when it
 * reads as an integer: 100.0, 1e-08), an int, True/False, a list [100, 200.5]; "..." for
 * a required key not given. */
static void python_value(const lsc_params *p, int i, char *buf, size_t len)
{
    char num[40];
    const lsc_param_desc *d = &p->desc[i];
    if ((d->flags & LSC_REQUIRED) && !p->given[i]) {
        snprintf(buf, len, "..."); /* Python's Ellipsis: a value still to be chosen */
        return;
    }
    switch (d->kind) {
    case LSC_PARAM_BOOL:
        snprintf(buf, len, "%s", p->v[i] != 0 ? "True" : "False");
        return;
    case LSC_PARAM_INT:
        snprintf(buf, len, "%.0f", p->v[i]);
        return;
    case LSC_PARAM_CHOICE: /* a Python string: 'tanh' */
        snprintf(buf, len, "'%s'", lsc_param_choice_name(d, (int)p->v[i], num, sizeof num));
        return;
    case LSC_PARAM_REAL:
    case LSC_PARAM_LIST:
        break;
    }
    const double *x = d->kind == LSC_PARAM_REAL ? &p->v[i] : p->list[i];
    const int m = d->kind == LSC_PARAM_REAL ? 1 : p->list_n[i];
    size_t used = 0;
    buf[0] = '\0';
    for (int j = 0; j < m && used < len; j++) {
        lsc_fmt_double(num, x[j]);
        /* Python's float repr keeps a decimal point or an exponent; a list entry that is a
         * whole number is written as an int (milestones=[100, 200], as PyTorch's docs) */
        const char *point = strpbrk(num, ".e") || d->kind == LSC_PARAM_LIST ? "" : ".0";
        used += (size_t)snprintf(buf + used, len - used, "%s%s%s%s",
                                 j ? ", " : (d->kind == LSC_PARAM_LIST ? "[" : ""), num, point,
                                 j == m - 1 && d->kind == LSC_PARAM_LIST ? "]" : "");
    }
    if (m == 0 && d->kind == LSC_PARAM_LIST)
        snprintf(buf, len, "[]");
}

int lsc_params_fill(const char *tmpl, const lsc_params *p, char *buf, size_t len,
                    lsc_error *err)
{
    size_t used = 0;
    int rc = LSC_OK;
    if (!len)
        return LSC_ENOMEM;
    for (const char *c = tmpl; *c && rc == LSC_OK; c++) {
        char piece[LSC_VALUE_MAX] = {c[0], '\0'};
        if ((c[0] == '{' && c[1] == '{') || (c[0] == '}' && c[1] == '}')) {
            c++; /* a literal brace */
        } else if (c[0] == '{') {
            const char *end = strchr(c, '}');
            char key[LSC_NAME_MAX];
            int i = -1;
            if (end && (size_t)(end - c - 1) < sizeof key) {
                memcpy(key, c + 1, (size_t)(end - c - 1));
                key[end - c - 1] = '\0';
                i = lsc_params_index(p, key);
            }
            if (i < 0) {
                lsc_error_set(err, LSC_EINVAL, "template '%.60s': '{%.*s}' is not a key", tmpl,
                              end ? (int)(end - c - 1) : 20, c + 1);
                rc = LSC_EINVAL;
                break;
            }
            python_value(p, i, piece, sizeof piece);
            c = end;
        }
        size_t k = strlen(piece);
        if (used + k >= len) {
            lsc_error_set(err, LSC_ENOMEM, "template '%.60s': the text is longer than %zu bytes",
                          tmpl, len - 1);
            rc = LSC_ENOMEM;
            break;
        }
        memcpy(buf + used, piece, k + 1);
        used += k;
    }
    buf[used] = '\0';
    return rc;
}

/* ---- start-up (losscape.h tells embedders why) -------------------------------------- */

int lsc_init(void)
{
    /* gsl_set_error_handler returns the handler it replaces: NULL is GSL's default, which
     * aborts. Replace only that one; put back a handler the program installed itself. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (old)
        gsl_set_error_handler(old);
    return LSC_OK;
}

const char *lsc_version(void)
{
    return LSC_VERSION;
}
