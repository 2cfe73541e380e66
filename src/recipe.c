/* recipe.c — reading figure recipe files with libinih (see recipe.h) */
#include "recipe.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "dataset.h"

typedef struct {
    lsc_recipe *r;
    lsc_error *err;
    int failed;
    FILE *fp;
    int line;         /* the line inih is handling */
    int section_line; /* the line of the last [section] header */
    int continuation; /* the line is indented: it continues the value above */
    char *last;       /* the value the last key line set (for continuations) */
    size_t last_cap;
} reader;

/* Debian's libinih is built without line numbers in the handler, so the recipe reader
 * feeds inih itself (ini_parse_stream) and counts lines on the way. */
static char *read_line(char *buf, int size, void *stream)
{
    reader *rd = stream;
    if (rd->failed)
        return NULL;
    char *s = fgets(buf, size, rd->fp);
    if (!s)
        return NULL;
    rd->line++;
    size_t len = strlen(s);
    if (len == (size_t)size - 1 && s[len - 1] != '\n' && !feof(rd->fp)) {
        lsc_error_set(rd->err, LSC_EINVAL,
                      "%s:%d: line longer than %d characters; continue a long title or "
                      "caption on the next line, indented",
                      rd->r->path, rd->line, size - 2);
        rd->failed = 1;
        return NULL;
    }
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    rd->continuation = p > s && *p && *p != '\n' && *p != '\r' && *p != '#' && *p != ';';
    if (*p == '[') {
        rd->section_line = rd->line;
        rd->last = NULL; /* nothing to continue across a section header */
    }
    return s;
}

static const char *const top_keys[] = {"title", "caption"};
#define NTOP ((int)(sizeof top_keys / sizeof top_keys[0]))

static int fail(reader *rd, int line, const char *fmt, const char *a, const char *b)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a, b);
    lsc_error_set(rd->err, LSC_EINVAL, "%s:%d: %s", rd->r->path, line, msg);
    rd->failed = 1;
    return 0; /* stop parsing */
}

static int unknown_key(reader *rd, int line, const char *section, const char *key,
                       const char *const *known, int nknown)
{
    const char *close = lsc_closest(key, known, nknown);
    char msg[512];
    if (close)
        snprintf(msg, sizeof msg, "unknown key '%s' in %s (did you mean '%s'?)", key, section,
                 close);
    else
        snprintf(msg, sizeof msg, "unknown key '%s' in %s", key, section);
    lsc_error_set(rd->err, LSC_EINVAL, "%s:%d: %s", rd->r->path, line, msg);
    rd->failed = 1;
    return 0;
}

static int copy(reader *rd, int line, char *dst, size_t cap, const char *key, const char *val)
{
    if (strlen(val) >= cap)
        return fail(rd, line, "value of '%s' is too long%s", key, "");
    strcpy(dst, val);
    return 1;
}

/* A file a recipe reads (a start's numbers, a data file, a style file) named by a relative
 * path is looked for in the recipe's own folder, not the current directory: a recipe sent
 * with its files works from wherever it is run. An absolute path, or a recipe in the
 * current directory, leaves the path as it is. (Files a recipe writes are named relative
 * to the output directory instead.) 0 with the error set when the result does not fit. */
static int beside_recipe(reader *rd, int line, const char *key, const char *path, char *out,
                         size_t cap)
{
    const char *slash = strrchr(rd->r->path, '/');
    int dir = slash ? (int)(slash - rd->r->path) + 1 : 0; /* with its '/' */
    if (path[0] == '/' || path[0] == '\0' || dir == 0)
        dir = 0;
    if ((size_t)dir + strlen(path) >= cap)
        return fail(rd, line, "value of '%s' is too long%s", key, " (with the recipe's folder)");
    snprintf(out, cap, "%.*s%s", dir, rd->r->path, path);
    return 1;
}

/* A [run] value with a path in it, the path put beside the recipe (beside_recipe): start =
 * file:PATH or @PATH, data = a file (NAME.csv, NAME.tsv). Others are copied. */
static int run_value(reader *rd, int line, const char *key, const char *val, char *out,
                     size_t cap)
{
    if (!strcmp(key, "start") && (!strncmp(val, "file:", 5) || val[0] == '@')) {
        int pre = val[0] == '@' ? 1 : 5;
        snprintf(out, cap, "%.*s", pre, val);
        return beside_recipe(rd, line, key, val + pre, out + pre, cap - (size_t)pre);
    }
    if (!strcmp(key, "data") && lsc_data_is_file(val))
        return beside_recipe(rd, line, key, val, out, cap);
    return copy(rd, line, out, cap, key, val);
}

/* The keys of [run] (all == 1) or of a [run NAME] group: the experiment's, one table. */
static int run_keys(const char **names, int cap, int all)
{
    int n = lsc_experiment_keys(names, cap - 2, !all);
    if (all && n + 2 <= cap) {
        names[n++] = "save_start";
        names[n++] = "save_trajectory";
    }
    return n < cap ? n : cap;
}

/* A key of [run] (g == 0) or of [run NAME] (g > 0): set on the experiment, which checks
 * the value as the command line does; a refused value names file, line and key. */
static int run_key(reader *rd, int line, int g, const char *key, const char *val)
{
    lsc_recipe *r = rd->r;
    const int kind = lsc_experiment_key(key);
    if (g == 0 && !strcmp(key, "save_start")) {
        r->save_start_line = line;
        return copy(rd, line, r->save_start, sizeof r->save_start, key, val);
    }
    if (g == 0 && !strcmp(key, "save_trajectory")) {
        r->save_trajectory_line = line;
        return copy(rd, line, r->save_trajectory, sizeof r->save_trajectory, key, val);
    }
    if (g > 0 && kind == 1) /* a key of the whole experiment, not of a group */
        return fail(rd, line, "'%s' is a key of the whole experiment, not of a group of runs: "
                    "set it in [run], before the first [run NAME] section (here: [run %s])",
                    key, r->group[g].name);
    if (!kind || (g > 0 && kind != 2)) {
        const char *names[64];
        char section[128];
        int nn = run_keys(names, 64, g == 0);
        if (g == 0)
            snprintf(section, sizeof section, "[run]");
        else
            snprintf(section, sizeof section, "[run %s] (the rest belongs in [run])",
                     r->group[g].name);
        return unknown_key(rd, line, section, key, names, nn);
    }
    if (!strcmp(key, "optimizer") && r->noptimizers == LSC_RECIPE_MAX_OPT)
        return fail(rd, line, "too many 'optimizer' lines (at most 16)%s%s", "", "");
    if (r->nrun_keys == LSC_RECIPE_MAX_RUN_KEYS)
        return fail(rd, line, "too many keys in the [run] sections (at most %s)%s", "128", "");
    lsc_error e = {0};
    char value[LSC_VALUE_MAX];
    if (!run_value(rd, line, key, val, value, sizeof value))
        return 0;
    if (lsc_experiment_set_in(r->experiment, g, key, value, &e) != LSC_OK) {
        lsc_error_set(rd->err, e.code, "%s:%d: %s", r->path, line, e.msg);
        rd->failed = 1;
        return 0;
    }
    lsc_recipe_run_key *k = &r->run_key[r->nrun_keys++];
    snprintf(k->key, sizeof k->key, "%s", key);
    k->group = g;
    k->line = line;
    r->noptimizers += !strcmp(key, "optimizer");
    return 1;
}

/* The group of section "run" or "run NAME", created on first sight; -1 on error. */
static int group_of(reader *rd, int line, const char *section)
{
    lsc_recipe *r = rd->r;
    const char *name = section[3] ? section + 4 : "";
    for (int g = 0; g < r->ngroups; g++)
        if (!strcmp(r->group[g].name, name))
            return g;
    if (r->ngroups == LSC_RECIPE_MAX_GROUP || strlen(name) >= LSC_NAME_MAX) {
        fail(rd, line, "too many [run NAME] sections (at most 7) or name too long%s%s", "",
             "");
        return -1;
    }
    lsc_error e = {0};
    if (lsc_experiment_group(r->experiment, name, &e) != r->ngroups) {
        lsc_error_set(rd->err, e.code ? e.code : LSC_EINVAL, "%s:%d: %s", r->path, line,
                      e.msg);
        rd->failed = 1;
        return -1;
    }
    lsc_recipe_group *G = &r->group[r->ngroups];
    strcpy(G->name, name);
    G->line = line;
    return r->ngroups++;
}

/* A key of [study NAME]: kept as text, checked by the study (study.h) when the recipe is
 * run; one study a recipe. */
static int study_key(reader *rd, int line, const char *section, const char *key,
                     const char *val)
{
    lsc_recipe *r = rd->r;
    const char *name = section[5] ? section + 6 : "";
    if (!r->study[0]) {
        if (!name[0] || strlen(name) >= sizeof r->study)
            return fail(rd, line, "[study NAME] needs the study's name (e.g. [study batch])%s%s",
                        "", "");
        strcpy(r->study, name);
        r->study_line = rd->section_line;
    } else if (strcmp(r->study, name)) {
        return fail(rd, line, "one [study NAME] section a recipe (here [%s] after [study %s])",
                    section, r->study);
    }
    for (int i = 0; i < r->nstudy_kv; i++)
        if (!strcmp(r->study_kv[i].key, key))
            return fail(rd, line, "key '%s' given twice in [%s]", key, section);
    if (r->nstudy_kv == LSC_RECIPE_MAX_KV)
        return fail(rd, line, "too many keys in [%s]%s", section, "");
    lsc_recipe_kv *kv = &r->study_kv[r->nstudy_kv];
    if (strlen(key) >= sizeof kv->key || strlen(val) >= sizeof kv->val)
        return fail(rd, line, "key or value too long in [%s]%s", section, "");
    strcpy(kv->key, key);
    strcpy(kv->val, val);
    kv->line = line;
    r->nstudy_kv++;
    return 1;
}

static int handler(void *user, const char *section, const char *key, const char *val)
{
    reader *rd = user;
    int line = rd->line;
    lsc_recipe *r = rd->r;
    if (rd->failed)
        return 0;
    if (rd->continuation) {
        /* an indented line continues the value above (title, caption, figure options) */
        if (!rd->last)
            return fail(rd, line, "an indented line continues only a title, caption or "
                        "figure option%s%s", "", "");
        size_t used = strlen(rd->last);
        if (used + 1 + strlen(val) >= rd->last_cap)
            return fail(rd, line, "value of '%s' is too long%s", key, "");
        rd->last[used] = ' ';
        strcpy(rd->last + used + 1, val);
        return 1;
    }
    rd->last = NULL;
    if (!section[0]) {
        if (!strcmp(key, "title") || !strcmp(key, "caption")) {
            rd->last = key[0] == 't' ? r->title : r->caption;
            rd->last_cap = key[0] == 't' ? sizeof r->title : sizeof r->caption;
            return copy(rd, line, rd->last, rd->last_cap, key, val);
        }
        return unknown_key(rd, line, "the recipe header", key, top_keys, NTOP);
    }
    if (!strncmp(section, "run", 3) && (section[3] == ' ' || section[3] == '\0')) {
        int g = group_of(rd, rd->section_line, section);
        return g < 0 ? 0 : run_key(rd, line, g, key, val);
    }
    if (!strncmp(section, "study", 5) && (section[5] == ' ' || section[5] == '\0'))
        return study_key(rd, line, section, key, val);
    if (!strncmp(section, "figure", 6) && (section[6] == ' ' || section[6] == '\0')) {
        const char *name = section[6] ? section + 7 : "";
        lsc_recipe_figure *f = NULL;
        for (int i = 0; i < r->nfigures; i++)
            if (!strcmp(r->figure[i].name, name))
                f = &r->figure[i];
        if (!f) {
            if (r->nfigures == LSC_RECIPE_MAX_FIG)
                return fail(rd, line, "too many [figure] sections (at most 8)%s%s", "", "");
            if (strlen(name) >= sizeof f->name)
                return fail(rd, line, "figure name '%.60s' is too long%s", name, "");
            f = &r->figure[r->nfigures++];
            strcpy(f->name, name);
            f->line = line;
        }
        for (int i = 0; i < f->nkv; i++)
            if (!strcmp(f->kv[i].key, key))
                return fail(rd, line, "key '%s' given twice in [%s]", key, section);
        if (f->nkv == LSC_RECIPE_MAX_KV)
            return fail(rd, line, "too many keys in [%s]%s", section, "");
        lsc_recipe_kv *kv = &f->kv[f->nkv];
        if (strlen(key) >= sizeof kv->key || strlen(val) >= sizeof kv->val)
            return fail(rd, line, "key or value too long in [%s]%s", section, "");
        strcpy(kv->key, key);
        /* files the figure reads: a style file; gnuplot, when named by a path (a bare
         * name is looked up in PATH) */
        if (!strcmp(key, "style") || (!strcmp(key, "gnuplot") && strchr(val, '/'))) {
            if (!beside_recipe(rd, line, key, val, kv->val, sizeof kv->val))
                return 0;
        } else {
            strcpy(kv->val, val);
        }
        kv->line = line;
        f->nkv++;
        rd->last = kv->val;
        rd->last_cap = sizeof kv->val;
        return 1;
    }
    char msg[256];
    snprintf(msg, sizeof msg, "unknown section [%s] (allowed: [run], [run NAME], [figure NAME], "
             "[study NAME])", section);
    lsc_error_set(rd->err, LSC_EINVAL, "%s:%d: %s", r->path, rd->section_line, msg);
    rd->failed = 1;
    return 0;
}

lsc_recipe *lsc_recipe_read(const char *path, lsc_error *err)
{
    lsc_recipe *r = calloc(1, sizeof *r);
    if (!r) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(r->path, sizeof r->path, "%s", path);
    r->ngroups = 1; /* [run] */
    if (!(r->experiment = lsc_experiment_new())) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        free(r);
        return NULL;
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        lsc_error_set(err, LSC_EIO, "cannot read recipe '%s': %s", path, strerror(errno));
        lsc_recipe_free(r);
        return NULL;
    }
    reader rd = {r, err, 0, fp, 0, 0, 0, NULL, 0};
    int rc = ini_parse_stream(read_line, &rd, handler, &rd);
    fclose(fp);
    if (rd.failed) {
        lsc_recipe_free(r);
        return NULL;
    }
    if (rc > 0) {
        lsc_error_set(err, LSC_EINVAL, "%s:%d: not 'key = value' or '[section]'", path, rc);
        lsc_recipe_free(r);
        return NULL;
    }
    if (rc < 0) {
        lsc_error_set(err, LSC_EIO, "cannot read recipe '%s'", path);
        lsc_recipe_free(r);
        return NULL;
    }
    if (r->study[0] && (r->nrun_keys || r->nfigures)) {
        lsc_error_set(err, LSC_EINVAL, "%s:%d: a [study %s] recipe has no [run] or [figure] "
                      "sections (the study makes its runs and figures)", path, r->study_line,
                      r->study);
        lsc_recipe_free(r);
        return NULL;
    }
    if (r->study[0])
        return r;
    const char *missing = !lsc_experiment_is_set(r->experiment, 0, "landscape") ? "landscape"
                          : !r->noptimizers                                     ? "optimizer"
                                                                                : NULL;
    if (missing) {
        lsc_error_set(err, LSC_EINVAL, "%s: [run] needs '%s'", path, missing);
        lsc_recipe_free(r);
        return NULL;
    }
    if (!r->nfigures) {
        lsc_error_set(err, LSC_EINVAL, "%s: no [figure NAME] section", path);
        lsc_recipe_free(r);
        return NULL;
    }
    return r;
}

void lsc_recipe_free(lsc_recipe *r)
{
    if (r)
        lsc_experiment_free(r->experiment);
    free(r);
}

/* The line of the key an experiment error is about: the index-th optimizer line for
 * optimizer, else the key's line in group `index` (or in [run]); 0 when not set. */
static int line_of(const lsc_recipe *r, const char *key, int index)
{
    int seen = 0, in_run = 0;
    for (int k = 0; k < r->nrun_keys; k++) {
        const lsc_recipe_run_key *rk = &r->run_key[k];
        if (strcmp(rk->key, key))
            continue;
        if (!strcmp(key, "optimizer")) {
            if (seen++ == index)
                return rk->line;
        } else if (rk->group == index) {
            return rk->line;
        } else if (rk->group == 0) {
            in_run = rk->line;
        }
    }
    return in_run;
}

int lsc_recipe_prepare(lsc_recipe *r, lsc_error *err)
{
    lsc_error e = {0};
    int rc = lsc_experiment_prepare(r->experiment, &e);
    if (rc == LSC_OK)
        return LSC_OK;
    int index;
    const char *key = lsc_experiment_error_key(r->experiment, &index);
    int line = key[0] ? line_of(r, key, index) : 0;
    if (line > 0)
        lsc_error_set(err, e.code, "%s:%d: %s", r->path, line, e.msg);
    else
        lsc_error_set(err, e.code, "%s: %s", r->path, e.msg);
    return rc;
}

const lsc_recipe_kv *lsc_recipe_unsafe_key(const lsc_recipe *r, const char **why)
{
    static const struct {
        const char *key, *why;
    } unsafe[] = {
        {"style", "a style file is gnuplot code, and gnuplot code can run commands"},
        {"gnuplot", "it names the program that is run"},
    };
    for (int f = 0; f < r->nfigures; f++)
        for (int i = 0; i < r->figure[f].nkv; i++)
            for (size_t k = 0; k < sizeof unsafe / sizeof unsafe[0]; k++)
                if (!strcmp(r->figure[f].kv[i].key, unsafe[k].key)) {
                    if (why)
                        *why = unsafe[k].why;
                    return &r->figure[f].kv[i];
                }
    return NULL;
}
