/* test_trajectory.c — the trajectory reader against hostile files, the streaming writer,
 * and the CLI's clean-up on SIGINT */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

/* ASan reserves terabytes of address space: no RLIMIT_AS under it */
#ifdef __SANITIZE_ADDRESS__
#define UNDER_ASAN 1
#endif
#ifdef __has_feature
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* ---- fixtures ------------------------------------------------------------------------ */

#include "scratch_dir.h" /* dir, make_dir, remove_dir */

/* Names in dir, ' '-separated and sorted by readdir order ("" when empty). */
static void list_dir(char *out, size_t len)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            snprintf(out + strlen(out), len - strlen(out), "%s ", e->d_name);
    if (d)
        closedir(d);
}

static void path_in(char *p, size_t len, const char *name)
{
    snprintf(p, len, "%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, fp), (size_t)n);
    b[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return b;
}

/* Two optimizers on a landscape, recorded in memory (stream NULL) or through a stream. */
typedef struct {
    lsc_landscape *L;
    lsc_optim *o[2];
    lsc_run_opts opts;
    double x0[80];
} race;

static void race_init(race *r, const char *landscape, int dim, long steps, long every)
{
    lsc_error err = {0};
    memset(r, 0, sizeof *r);
    r->L = lsc_landscape_new(landscape, dim, "landscape", &err);
    cr_assert_not_null(r->L, "%s", err.msg);
    r->o[0] = lsc_optim_new("adam:lr=0.01", r->L->n, "optimizer", &err);
    r->o[1] = lsc_optim_new("sgd:lr=0.0005,momentum=0.9,label=heavy ball", r->L->n,
                            "optimizer", &err);
    cr_assert(r->o[0] && r->o[1], "%s", err.msg);
    r->opts = (lsc_run_opts){.landscape = r->L, .steps = steps, .every = every, .seed = 3};
    for (int j = 0; j < r->L->n; j++)
        r->x0[j] = j % 2 ? 1.25 : -0.75;
}

static void race_free(race *r)
{
    lsc_optim_free(r->o[0]);
    lsc_optim_free(r->o[1]);
    lsc_landscape_free(r->L);
}

static void race_prepare(race *r, lsc_trajectory *t, int npos, int has_dist)
{
    lsc_trajectory_init(t, r->L->n, npos, has_dist);
    lsc_trajectory_describe_opts(t, &r->opts);
}

/* Both runs into t (prepared), through the stream s if not NULL. */
static void race_go(race *r, lsc_trajectory *t, lsc_trajectory_stream *s)
{
    lsc_error err = {0};
    lsc_run_opts o = r->opts;
    if (s) {
        o.record = lsc_trajectory_stream_row;
        o.record_user = s;
    }
    for (int i = 0; i < 2; i++) {
        lsc_run_record *rec = lsc_trajectory_add_run(t);
        cr_assert_not_null(rec);
        int rc = lsc_run(&o, r->o[i], r->x0, i, t, rec, &err);
        cr_assert_gt(rc, 0, "%s", err.msg);
    }
}

static void race_run(race *r, lsc_trajectory *t, int npos, int has_dist)
{
    race_prepare(r, t, npos, has_dist);
    race_go(r, t, NULL);
}

/* A good file written by losscape: rosenbrock, two runs, 20 steps. */
static void good_file(const char *path)
{
    race r;
    lsc_trajectory t;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 20, 1);
    race_run(&r, &t, 2, 0);
    cr_assert_eq(lsc_trajectory_write(&t, path, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory_free(&t);
    race_free(&r);
}

/* Read `path`, expecting LSC_EINVAL with a message containing `want`. */
static void expect_bad(const char *path, const char *want)
{
    lsc_trajectory t;
    lsc_error err = {0};
    int rc = lsc_trajectory_read(&t, path, &err);
    cr_assert_eq(rc, LSC_EINVAL, "%s: rc %d (%s), expected an error with '%s'", path, rc,
                 err.msg, want);
    cr_assert(strstr(err.msg, want), "message '%s' lacks '%s'", err.msg, want);
    cr_assert_eq(t.nruns, 0);
    cr_assert_null(t.runs);
}

/* The good file with `edit` applied: a sed script run on it. */
static void edited(const char *good, const char *bad, const char *edit)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sed -e '%s' '%s' > '%s'", edit, good, bad);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* ---- the reader checks metadata and header against each other --------------------------- */

Test(reader, issue_reproduction_missing_dim_and_start_is_an_error, .init = make_dir,
     .fini = remove_dir)
{
    /* grep -v -e '^# dim:' -e '^# run . start:' t.tsv: read past a 1-element start */
    char good[128], bad[128];
    path_in(good, sizeof good, "t.tsv");
    path_in(bad, sizeof bad, "bad.tsv");
    good_file(good);
    edited(good, bad, "/^# dim:/d; /^# run . start:/d");
    expect_bad(bad, "bad.tsv:");
    expect_bad(bad, "run line before the '# dim:' line");
    edited(good, bad, "/^# run . start:/d");
    expect_bad(bad, "run 0 has no '# run 0 start:' line");
    edited(good, bad, "/^# dim:/d");
    expect_bad(bad, "run line before the '# dim:' line");
}

/* Each: a sed edit of the good file, and what the message must contain. */
static const struct {
    const char *edit, *want;
} edits[] = {
    {"/^# dim:/s/2/3/", "run 0 start: expected 3 finite numbers"},
    {"/^# dim:/s/2/1/", "run 0 start: expected 1 finite numbers"},
    /* the line number: "t.tsv:L:", L that of '# run 1 start:' (LINE_OF_RUN_1_START) */
    {"/^# run 1 start:/s/,.*//", "t.tsv:%d: run 1 start: expected 2 finite numbers"},
    {"/^# run 0 start:/s/$/,7/", "run 0 start: expected 2"},
    {"/^# run 0 start:/s/[^,]*$/nan/", "run 0 start: expected 2 finite"},
    {"/^# run 0 start:/s/[^,]*$/-inf/", "run 0 start: expected 2 finite"},
    {"/^# run 1 label:/d", "run 1 has no '# run 1 label:' line"},
    {"/^# run 0 status:/d", "run 0 has no '# run 0 status:' line"},
    {"/^# run 1 optimizer:/d", "run 1 has no '# run 1 optimizer:' line"},
    {"/^# run 0 reason:/d", "run 0 has no '# run 0 reason:' line"},
    {"/^# run 0 status:/s/max-steps/done/", "unknown run status 'done'"},
    {"/^# landscape:/d", "no '# landscape:' line before the header row"},
    {"/^# steps:/d", "no '# steps:' line"},
    {"/^# every:/d", "no '# every:' line"},
    {"/^# positions:/d", "no '# positions:' line"},
    {"/^# positions:/s/all/none/", "2 position columns, but '# positions:' says 0"},
    {"/^# positions:/s/all/first:1/", "2 position columns, but '# positions:' says 1"},
    {"/^# dim:/a\\\n# dim: 2", "a second '# dim:' line"},
    {"/^# run 1 label:/a\\\n# dim: 2", "'# dim:' after the run lines"},
    {"/^# dim:/s/2/0/", "'dim' must be an integer from 1 to 100000000"},
    {"/^# dim:/s/2/0x2/", "'dim' must be an integer"},
    {"/^# dim:/s/2/100000001/", "'dim' must be an integer"},
    /* driver options: the message of the option's table row, naming value and range */
    {"/^# every:/s/1/0/", "every: '0' is not allowed (expected an integer from 1 to"},
    {"/^# steps:/s/20/-5/", "steps: '-5' is not allowed (expected an integer from 0 to"},
    {"/^# seed:/s/3/-1/", "seed: '-1' is not allowed (expected an integer from 0 to"},
    {"/^# noise:/s/0/inf/", "noise: 'inf' is not allowed (expected a finite number >= 0 and"},
    {"/^# clip_norm:/s/0/-1/", "clip_norm: '-1' is not allowed (expected a finite number > 0"},
    {"/^# positions:/s/all/most/", "positions: 'most' is not allowed (expected all, none or"},
    {"/^# run 1 label:/a\\\n# run 1 noise: nan",
     "run 1 noise: 'nan' is not allowed (expected a finite number >= 0"},
    {"/^# run 1 label:/a\\\n# run 1 clip_value: -3",
     "run 1 clip_value: '-3' is not allowed (expected a finite number > 0"},
    {"/^# run 1 label:/a\\\n# run 3 label: x", "run 3 before run 2"},
    {"/^# run 1 label:/a\\\n# run 1000000 label: x", "run index '1000000' is not allowed"},
    {"/^# run 1 label:/a\\\n# run 99999999999999999999999 label: x", "run index"},
    {"/^# run 1 label:/a\\\n# run -1 label: x", "run index '-1' is not allowed"},
    {"/^# run 1 label:/a\\\n# run x label: y", "run index 'x' is not allowed"},
    {"1s/v1/v2/", "t.tsv:1: not a losscape trajectory"},
    {"1d", "t.tsv:1: not a losscape trajectory"},
    {"/^run\t/s/$/\tx3/", "3 position columns, more than 'dim' (2)"},
    {"/^run\t/s/$/\tx3\tx4\tx5\tx6\tx7\tx8\tx9\tx10\tx11/",
     "11 position columns, more than 'dim' (2)"},
    /* optional columns (trajectory.h): known, once, in table order, allowed by the header */
    {"/^run\t/s/grad_norm/grad_norm\tfoo/", "column 6: unknown column 'foo'"},
    {"/^run\t/s/grad_norm/grad_norm\tepoch/",
     "column 6: 'epoch' is not allowed here: it needs '# data:' in the metadata"},
    {"/^run\t/s/grad_norm/grad_norm\ttime/",
     "column 6: 'time' is not allowed here: it needs '# record_time: on' in the metadata"},
    {"/^# dim:/a\\\n# data: spiral\n/^run\t/s/grad_norm/grad_norm\ttest_acc/",
     "column 6: 'test_acc' is not allowed here: it needs a holdout in the metadata"},
    {"/^# box:/a\\\n# record_time: on\n/^run\t/s/grad_norm/grad_norm\ttime\ttime/",
     "column 7: 'time' is named twice"},
    {"/^# box:/a\\\n# record_time: on\n/^run\t/s/grad_norm/grad_norm\ttime\tepoch/",
     "column 7: 'epoch' comes after a column that follows it"},
    {"/^# box:/a\\\n# record_time: yes", "record_time: 'yes' is not allowed"},
    {"/^run\t/s/grad_norm/grad_norm\teig_max/",
     "column 6: 'eig_max' is not allowed here: it needs '# hessian: on' in the metadata"},
    {"/^# box:/a\\\n# hessian: yes", "hessian: 'yes' is not allowed"},
    {"/^# box:/a\\\n# hessian: on\n/^run\t/s/grad_norm/grad_norm\teig_max\teig_min/",
     "column 7: 'eig_min' comes after a column that follows it"},
    {"/^# box:/a\\\n# record_time: on\n/^run\t/s/grad_norm/grad_norm\ttime/\n"
     "/^[0-9]/s/\t\\([^\t]*\t[^\t]*\\)$/\t-1\t\\1/",
     "time '-1' is not a finite number >= 0"},
    {"/^# box:/a\\\n# record_time: on\n/^run\t/s/grad_norm/grad_norm\ttime/\n"
     "/^[0-9]/s/\t\\([^\t]*\t[^\t]*\\)$/\tnan\t\\1/",
     "time 'nan' is not a finite number >= 0"},
    /* the per-layer block (trajectory.h): only with layer_stats on; families in table
     * order, once each, indices 1 .. L in order, the same L; values nan or in range */
    {"/^run\t/s/grad_norm/grad_norm\tg1/",
     "column 6: 'g1' is not allowed here: it needs '# layer_stats: on' in the metadata"},
    {"/^# box:/a\\\n# layer_stats: maybe", "layer_stats: 'maybe' is not allowed"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg1\tg3/",
     "column 7 is 'g3', expected 'g2' (a family's columns are g1 .. gL in order)"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg1\tw1\tw2/",
     "column 8: 'w' has 2 layers, the family before it 1"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tw1\tg1/",
     "column 7: 'g1': the per-layer families come once each, in the order g w a sat h"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg1\tw1\tg1/",
     "column 8: 'g1': the per-layer families come once each"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg01/",
     "column 6: unknown column 'g01'"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg1001/",
     "column 6: unknown column 'g1001'"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg1\tepoch/",
     "column 7 is 'epoch', expected 'x1'"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tg1/\n"
     "/^[0-9]/s/\t\\([^\t]*\t[^\t]*\\)$/\t-1\t\\1/",
     "g1 '-1' is not a finite number >= 0, or nan"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\tsat1/\n"
     "/^[0-9]/s/\t\\([^\t]*\t[^\t]*\\)$/\t1.5\t\\1/",
     "sat1 '1.5' is not a finite number from 0 to 1, or nan"},
    {"/^# box:/a\\\n# layer_stats: on\n/^run\t/s/grad_norm/grad_norm\th1/\n"
     "/^[0-9]/s/\t\\([^\t]*\t[^\t]*\\)$/\tinf\t\\1/",
     "h1 'inf' is not a finite number >= 0, or nan"},
    {"/^run\t/s/\tx2$//", "1 position columns, but '# positions:' says 2"},
    {"/^run\t/s/grad_norm/grad/", "the header row must start with: run step lr loss grad_norm"},
    {"/^run\t/s/x1/dist/", "column 7 is 'x2', expected 'x1'"},
    {"/^run\t/s/$/\tdist/", "column 8 is 'dist', expected 'x3'"},
    {"/^run\t/s/x2/dist/", "column 7 is 'dist', expected 'x2'"},
    {"/^run\t/a\\\n# late: 1", "metadata line after the header row"},
    {"/^0\t5\t/s/$/\t9/", "more columns than the header row (7)"},
    {"/^0\t5\t/s/\t[^\t]*$//", "fewer columns than the header row (7)"},
    {"/^0\t5\t/s/\t/\t\t/3", "more columns than the header row"},
    {"/^0\t5\t/s/^0\t5\t[^\t]*\t[^\t]*/0\t5\t0.01\tabc/", "loss 'abc' is not a finite number"},
    {"/^0\t5\t/s/^0\t5\t[^\t]*\t[^\t]*/0\t5\t0.01\tnan/", "loss 'nan' is not a finite number"},
    {"/^0\t5\t/s/^0\t5\t[^\t]*/0\t5\tinf/", "lr 'inf' is not a finite number"},
    {"/^0\t5\t/s/[^\t]*$/nan/", "x2 'nan' is not a finite number"},
    {"/^0\t5\t/s/[^\t]*$/1e999/", "x2 '1e999' is not a finite number"},
    {"/^0\t5\t/s/^0\t5\t\\([^\t]*\\t[^\t]*\\)\t[^\t]*/0\t5\t\\1\t-1/",
     "grad_norm '-1' is not a finite number >= 0"},
    {"/^0\t5\t/s/^0\t5/0\tnan/", "step 'nan' is not an integer from 0 to 'steps' (20)"},
    {"/^0\t5\t/s/^0\t5/0\t-5/", "step '-5' is not an integer"},
    {"/^0\t5\t/s/^0\t5/0\t0x5/", "step '0x5' is not an integer"},
    {"/^0\t5\t/s/^0\t5/0\t21/", "step '21' is not an integer from 0 to 'steps' (20)"},
    {"/^0\t5\t/s/^0\t5/0\t4/", "step 4 after step 4 (steps increase within a run)"},
    {"/^0\t5\t/s/^0\t5/2\t5/", "run '2' is not one of the runs of the metadata (0 to 1)"},
    {"/^0\t5\t/s/^0\t5/1000000\t5/", "run '1000000' is not one of the runs"},
    {"/^0\t5\t/s/^0\t5/1e0\t5/", "run '1e0' is not one of the runs"},
    {"$s/^1/0/", "a row of run 0 after rows of run 1 (rows come in run order)"},
};

Test(reader, every_mismatch_is_an_error_naming_file_and_line, .init = make_dir,
     .fini = remove_dir)
{
    char good[128], bad[128];
    path_in(good, sizeof good, "good.tsv");
    path_in(bad, sizeof bad, "t.tsv");
    good_file(good);
    lsc_trajectory t;
    lsc_error err = {0};
    cr_assert_eq(lsc_trajectory_read(&t, good, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory_free(&t);
    /* the line of '# run 1 start:' in the good file (the header grows with the table) */
    char *text = slurp(good, NULL), *at = strstr(text, "\n# run 1 start:");
    cr_assert_not_null(at);
    int line = 2;
    for (const char *q = text; q < at; q++)
        line += *q == '\n';
    free(text);
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char want[256];
        snprintf(want, sizeof want, edits[i].want, line);
        edited(good, bad, edits[i].edit);
        expect_bad(bad, want);
        expect_bad(bad, "t.tsv:"); /* file:line */
    }
}

/* A value of driver option o other than the writer's default, as a header holds it. */
static const char *other_value(const lsc_driver_option *o, char *buf, size_t len)
{
    switch (o->type) {
    case LSC_DRIVER_SPEC:
        return "cosine:T_max=7";
    case LSC_DRIVER_REAL: /* 0.5 where the range has it, else its top */
        snprintf(buf, len, "%.17g", o->lo < 0.5 && 0.5 <= o->hi ? 0.5 : o->hi);
        return buf;
    case LSC_DRIVER_COUNT:
        snprintf(buf, len, "%ld", (long)o->hi);
        return buf;
    case LSC_DRIVER_CHOICE:
        return strrchr(o->choices, '|') + 1;
    case LSC_DRIVER_SWITCH:
        return "on";
    case LSC_DRIVER_SEED:
        return "18446744073709551615";
    case LSC_DRIVER_POSITIONS:
        return "all"; /* the columns must agree */
    case LSC_DRIVER_BOX:
        return "-1:1,-2:3";
    }
    return NULL;
}

/* o's value at field, formatted as the writer formats it */
static void format_at(const lsc_driver_option *o, const void *field, char *buf, size_t len)
{
    lsc_driver_option_format(o, field, 2, buf, len);
}

/* Every row of the driver option table is read from a header line through the row itself
 * (value and message), and a group option from a run's own line too: a new option is one
 * row, written and read back. */
Test(reader, every_driver_option_reads_through_its_row, .init = make_dir, .fini = remove_dir)
{
    char good[128], bad[128];
    path_in(good, sizeof good, "good.tsv");
    path_in(bad, sizeof bad, "t.tsv");
    good_file(good);
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        char vbuf[64], edit[2400], want[LSC_VALUE_MAX + 32], got[LSC_VALUE_MAX + 32];
        const char *v = other_value(o, vbuf, sizeof vbuf);
        union {
            double d;
            long l;
            unsigned long long u;
            char text[LSC_VALUE_MAX];
        } field;
        lsc_error err = {0};
        cr_assert_eq(lsc_driver_option_parse(o, v, 2, &field, &err), LSC_OK, "%s", err.msg);
        format_at(o, &field, want, sizeof want);
        /* the header line (replaced, or added after '# dim:' where the file has none) */
        snprintf(edit, sizeof edit, "/^# %s:/d; /^# dim:/a\\\n# %s: %s", o->name, o->name, v);
        edited(good, bad, edit);
        lsc_trajectory t;
        cr_assert_eq(lsc_trajectory_read(&t, bad, &err), LSC_OK, "%s: %s", o->name, err.msg);
        format_at(o, (const char *)&t + o->off, got, sizeof got);
        cr_assert_str_eq(got, want, "%s", o->name);
        lsc_trajectory_free(&t);
        /* a value the row refuses: its own message, after file and line */
        char badv[1100];
        if (o->type == LSC_DRIVER_SPEC) {
            memset(badv, 'x', sizeof badv - 1);
            badv[sizeof badv - 1] = '\0';
        } else {
            snprintf(badv, sizeof badv, "x!");
        }
        snprintf(edit, sizeof edit, "/^# %s:/d; /^# dim:/a\\\n# %s: %s", o->name, o->name, badv);
        edited(good, bad, edit);
        snprintf(want, sizeof want, ": %s: '", o->name);
        expect_bad(bad, want);
        if (o->group == 0)
            continue;
        /* a run's own value: run 1 has it, run 0 the header's */
        snprintf(edit, sizeof edit, "/^# run 1 label:/a\\\n# run 1 %s: %s", o->name, v);
        edited(good, bad, edit);
        cr_assert_eq(lsc_trajectory_read(&t, bad, &err), LSC_OK, "%s: %s", o->name, err.msg);
        format_at(o, &field, want, sizeof want);
        format_at(o, (const char *)&t.runs[1] + o->run_off, got, sizeof got);
        cr_assert_str_eq(got, want, "run 1 %s", o->name);
        cr_assert(lsc_run_record_own(&t.runs[1], o->name), "%s", o->name);
        cr_assert(!lsc_run_record_own(&t.runs[0], o->name), "%s", o->name);
        format_at(o, (const char *)&t + o->off, want, sizeof want);
        format_at(o, (const char *)&t.runs[0] + o->run_off, got, sizeof got);
        cr_assert_str_eq(got, want, "run 0 %s", o->name);
        lsc_trajectory_free(&t);
        snprintf(edit, sizeof edit, "/^# run 1 label:/a\\\n# run 1 %s: %s", o->name, badv);
        edited(good, bad, edit);
        snprintf(want, sizeof want, ": run 1 %s: '", o->name);
        expect_bad(bad, want);
    }
}

Test(reader, hostile_files_fail_fast, .init = make_dir, .fini = remove_dir)
{
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    expect_bad("/dev/zero", "/dev/zero:1: not a losscape trajectory (a NUL byte");
    expect_bad(dir, "it is a directory");
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.tsv", dir);
    expect_bad(missing, "cannot read");
    write_text(p, "");
    expect_bad(p, "the file is empty");
    write_text(p, "run\tstep\tlr\tloss\tgrad_norm\tx1\tx2\n");
    expect_bad(p, "t.tsv:1: not a losscape trajectory");
    write_text(p, "0\t0\t0.1\t1\t1\t0\t0\n# losscape trajectory v1\n");
    expect_bad(p, "t.tsv:1: not a losscape trajectory");
    write_text(p, "# losscape trajectory v1\n# landscape: sphere\n# dim: 2\n# steps: 1\n"
                  "# every: 1\n# positions: all\nrun\tstep\tlr\tloss\tgrad_norm\tx1\tx2\n");
    expect_bad(p, "t.tsv:7: no runs");
    write_text(p, "# losscape trajectory v1\n# landscape: sphere\n# dim: 2\n");
    expect_bad(p, "no header row");
    write_text(p, "# losscape trajectory v1\n\x01\x02\xff\xfe junk\n");
    expect_bad(p, "t.tsv:2: no '# landscape:' line before the header row");

    /* a line longer than 64 KiB before 'dim' */
    char *big = malloc(70000);
    memset(big, 'a', 70000);
    memcpy(big, "# losscape trajectory v1\n# ", 27);
    big[69999] = '\0';
    write_text(p, big);
    expect_bad(p, "t.tsv:2: line longer than 65536 bytes");
    free(big);

    /* a (sparse) file of 5 GiB: refused from its size, before reading */
    int fd = open(p, O_WRONLY | O_TRUNC);
    cr_assert_eq(ftruncate(fd, 5LL << 30), 0);
    close(fd);
    time_t t0 = time(NULL);
    expect_bad(p, "more than the 4 GiB (4294967296 bytes) a trajectory file may have");
    cr_assert_leq(time(NULL) - t0, 2);
}

Test(reader, a_huge_run_index_costs_nothing, .init = make_dir, .fini = remove_dir)
{
    /* '# run 1000000 label: x' used to allocate a million runs one at a time (2.46 GB):
     * now only the next run may be named, so memory stays small and the error is at once */
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    write_text(p, "# losscape trajectory v1\n# landscape: sphere\n# dim: 2\n"
                  "# run 0 label: a\n# run 1 label: b\n# run 1000000 label: x\n");
#ifndef UNDER_ASAN
    /* 256 MB more address space than the process holds already is plenty (what it holds
     * depends on the libraries loaded: OpenBLAS maps ~180 MB of buffers at start-up) */
    unsigned long pages = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    cr_assert(statm && fscanf(statm, "%lu", &pages) == 1, "/proc/self/statm");
    fclose(statm);
    struct rlimit old, lim;
    getrlimit(RLIMIT_AS, &old);
    lim.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)256 << 20);
    lim.rlim_max = old.rlim_max;
    cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
#endif
    expect_bad(p, "t.tsv:6: run index '1000000' is not allowed");
#ifndef UNDER_ASAN
    setrlimit(RLIMIT_AS, &old);
#endif
}

Test(reader, accepted_files_are_consistent_for_every_consumer, .init = make_dir,
     .fini = remove_dir)
{
    /* A run with no rows, no positions, a dist column with nan: all legal; every field a
     * consumer reads must then be there. */
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    write_text(p, "# losscape trajectory v1\n# landscape: sphere\n# dim: 3\n# steps: 10\n"
                  "# every: 5\n# positions: first:1\n"
                  "# run 0 optimizer: sgd:lr=0.1\n# run 0 label: a\n# run 0 start: 1,2,3\n"
                  "# run 0 status: diverged\n# run 0 reason: r\n"
                  "# run 1 optimizer: sgd:lr=0.2\n# run 1 label:\n# run 1 start: 1,2,3\n"
                  "# run 1 status: max-steps\n# run 1 reason: \n"
                  "run\tstep\tlr\tloss\tgrad_norm\tdist\tx1\n"
                  "1\t0\t0.2\t7\t1\tnan\t1\n1\t5\t0.2\t3\t1\t2.5\t0.5\n1\t10\t0.2\t1\t1\t1\t0.1\n");
    lsc_trajectory t;
    lsc_error err = {0};
    cr_assert_eq(lsc_trajectory_read(&t, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(t.n, 3);
    cr_assert_eq(t.npos, 1);
    cr_assert_eq(t.has_dist, 1);
    cr_assert_eq(t.nruns, 2);
    for (int i = 0; i < t.nruns; i++) {
        const lsc_run_record *r = &t.runs[i];
        cr_assert_not_null(r->start);
        cr_assert_eq(r->start[2], 3);
        cr_assert_leq(r->len, r->cap);
    }
    cr_assert_eq(t.runs[0].len, 0);
    cr_assert_eq(t.runs[1].len, 3);
    cr_assert(isnan(t.runs[1].dist[0]));
    cr_assert_eq(t.runs[1].x[2], 0.1);
    cr_assert_str_eq(t.runs[1].label, "");
    lsc_trajectory_free(&t);
}

/* ---- writing through lsc_outfile ------------------------------------------------------ */

Test(writer, keeps_the_mode_of_an_existing_file_and_names_no_flag, .init = make_dir,
     .fini = remove_dir)
{
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    write_text(p, "old\n");
    chmod(p, 0640);
    good_file(p);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640);
    char names[256];
    list_dir(names, sizeof names);
    cr_assert_str_eq(names, "t.tsv ");

    race r;
    lsc_trajectory t;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 2, 1);
    race_run(&r, &t, 2, 0);
    cr_assert_eq(lsc_trajectory_write(&t, "/nonexistent-dir/out.tsv", &err), LSC_EIO);
    cr_assert(!strncmp(err.msg, "cannot write '/nonexistent-dir/out.tsv': ", 41), "%s",
              err.msg);
    cr_assert_eq(lsc_trajectory_write(&t, dir, &err), LSC_EINVAL);
    cr_assert(!strncmp(err.msg, "'/tmp/", 6), "%s", err.msg);
    lsc_trajectory_free(&t);
    race_free(&r);
}

/* ---- streaming ------------------------------------------------------------------------ */

/* The same race in memory + lsc_trajectory_write, and streamed: the files must be equal. */
static void same_bytes(const char *landscape, int dim, int npos, int has_dist, long every)
{
    char a[128], b[128];
    path_in(a, sizeof a, "memory.tsv");
    path_in(b, sizeof b, "stream.tsv");
    race r;
    lsc_trajectory t, u;
    lsc_error err = {0};
    race_init(&r, landscape, dim, 50, every);
    race_run(&r, &t, npos, has_dist);
    cr_assert_eq(lsc_trajectory_write(&t, a, &err), LSC_OK, "%s", err.msg);

    lsc_trajectory_stream s;
    race_prepare(&r, &u, npos, has_dist);
    cr_assert_eq(lsc_trajectory_stream_open(&s, &u, b, 0, &err), LSC_OK, "%s", err.msg);
    race_go(&r, &u, &s);
    cr_assert_eq(lsc_trajectory_stream_finish(&s, &err), LSC_OK, "%s", err.msg);

    size_t na, nb;
    char *ta = slurp(a, &na), *tb = slurp(b, &nb);
    cr_assert_eq(na, nb, "%s: %zu bytes in memory, %zu streamed", landscape, na, nb);
    cr_assert_eq(memcmp(ta, tb, na), 0, "%s: the streamed file differs", landscape);
    /* memory: only the last row of each run is kept */
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(u.runs[i].len, 1);
        cr_assert_eq(u.runs[i].step[0], t.runs[i].step[t.runs[i].len - 1]);
        cr_assert_eq(u.runs[i].loss[0], t.runs[i].loss[t.runs[i].len - 1]);
    }
    free(ta);
    free(tb);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    race_free(&r);
    char names[256];
    list_dir(names, sizeof names);
    cr_assert(strstr(names, "memory.tsv") && strstr(names, "stream.tsv") &&
                  strlen(names) == strlen("memory.tsv stream.tsv "),
              "temporaries left: %s", names);
}

Test(stream, writes_the_same_bytes_as_the_in_memory_writer, .init = make_dir,
     .fini = remove_dir)
{
    same_bytes("rosenbrock", 0, 2, 0, 1);
    same_bytes("rosenbrock", 0, 1, 0, 7);
    same_bytes("sphere", 70, 0, 1, 3);  /* dist column, no positions */
    same_bytes("sphere", 70, 3, 1, 50); /* dist and first:3 */
}

Test(stream, keep_rows_keeps_every_row_for_a_plot, .init = make_dir, .fini = remove_dir)
{
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    race r;
    lsc_trajectory t, u;
    lsc_trajectory_stream s;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 40, 3);
    race_prepare(&r, &t, 2, 0);
    cr_assert_eq(lsc_trajectory_stream_open(&s, &t, p, 1, &err), LSC_OK, "%s", err.msg);
    race_go(&r, &t, &s);
    cr_assert_eq(lsc_trajectory_stream_finish(&s, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(t.runs[i].len, u.runs[i].len);
        cr_assert_eq(t.runs[i].len, 40 / 3 + 2);
        for (size_t k = 0; k < t.runs[i].len; k++) {
            cr_assert_eq(t.runs[i].step[k], u.runs[i].step[k]);
            cr_assert_eq(t.runs[i].x[2 * k + 1], u.runs[i].x[2 * k + 1]);
        }
    }
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    race_free(&r);
}

Test(stream, abort_and_a_failing_recorder_leave_nothing, .init = make_dir, .fini = remove_dir)
{
    char p[128], names[256];
    path_in(p, sizeof p, "t.tsv");
    write_text(p, "old\n");
    lsc_trajectory t;
    lsc_trajectory_stream s;
    lsc_error err = {0};
    lsc_trajectory_init(&t, 2, 2, 0);
    cr_assert_eq(lsc_trajectory_stream_open(&s, &t, p, 0, &err), LSC_OK, "%s", err.msg);
    list_dir(names, sizeof names);
    cr_assert(strstr(names, ".rows"), "no row temporary beside the output: %s", names);
    lsc_trajectory_stream_abort(&s);
    lsc_trajectory_stream_abort(&s); /* twice is safe */
    list_dir(names, sizeof names);
    cr_assert_str_eq(names, "t.tsv ");

    /* a row for a run the trajectory does not have stops lsc_run with the error */
    race r;
    race_init(&r, "rosenbrock", 0, 10, 1);
    lsc_trajectory_describe_opts(&t, &r.opts);
    cr_assert_eq(lsc_trajectory_stream_open(&s, &t, p, 0, &err), LSC_OK, "%s", err.msg);
    lsc_run_opts o = r.opts;
    o.record = lsc_trajectory_stream_row;
    o.record_user = &s;
    lsc_run_record *rec = lsc_trajectory_add_run(&t);
    cr_assert_eq(lsc_run(&o, r.o[0], r.x0, 5, &t, rec, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "run 5"), "%s", err.msg);
    lsc_trajectory_stream_abort(&s);
    list_dir(names, sizeof names);
    cr_assert_str_eq(names, "t.tsv ");
    char *text = slurp(p, NULL);
    cr_assert_str_eq(text, "old\n");
    free(text);
    lsc_trajectory_free(&t);
    race_free(&r);
}

Test(stream, into_a_fifo_writes_in_place_with_the_rows_in_tmpdir, .init = make_dir,
     .fini = remove_dir)
{
    char fifo[128], got[128], tmp[160], names[256];
    path_in(fifo, sizeof fifo, "fifo");
    path_in(got, sizeof got, "got.tsv");
    snprintf(tmp, sizeof tmp, "%s/tmp", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(mkdir(tmp, 0700), 0);
    setenv("TMPDIR", tmp, 1);
    pid_t pid = fork();
    if (pid == 0) { /* the reader at the other end */
        execl("/bin/sh", "sh", "-c", "cat \"$0\" > \"$1\"", fifo, got, (char *)NULL);
        _exit(127);
    }
    race r;
    lsc_trajectory t;
    lsc_trajectory_stream s;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 10, 1);
    race_prepare(&r, &t, 2, 0);
    cr_assert_eq(lsc_trajectory_stream_open(&s, &t, fifo, 0, &err), LSC_OK, "%s", err.msg);
    DIR *d = opendir(tmp);
    struct dirent *e;
    int rows_in_tmp = 0;
    while ((e = readdir(d)))
        rows_in_tmp |= !strncmp(e->d_name, "losscape-rows.", 14);
    closedir(d);
    cr_assert(rows_in_tmp, "the row temporary is not in $TMPDIR");
    race_go(&r, &t, &s);
    cr_assert_eq(lsc_trajectory_stream_finish(&s, &err), LSC_OK, "%s", err.msg);
    int st;
    waitpid(pid, &st, 0);
    unsetenv("TMPDIR");
    struct stat sb;
    cr_assert_eq(lstat(fifo, &sb), 0);
    cr_assert(S_ISFIFO(sb.st_mode), "the FIFO was replaced");
    lsc_trajectory u;
    cr_assert_eq(lsc_trajectory_read(&u, got, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.runs[1].len, 11);
    rmdir(tmp); /* fails if a temporary is left in it */
    list_dir(names, sizeof names);
    cr_assert(!strstr(names, "tmp"), "a temporary was left in $TMPDIR");
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    race_free(&r);
}

/* (x.tsv in a directory of its own: a /tmp/x.tsv that another program wrote would be named
 * instead of its directory) */
Test(stream, the_size_check_names_both_sizes, .init = make_dir, .fini = remove_dir)
{
    lsc_trajectory t;
    lsc_error err = {0};
    char path[600], quoted[600];
    snprintf(path, sizeof path, "%s/x.tsv", dir);
    snprintf(quoted, sizeof quoted, "'%s'", dir);
    lsc_trajectory_init(&t, 2, 2, 0);
    t.steps = 1000;
    t.every = 1;
    cr_assert_eq(lsc_trajectory_check_size(&t, 2, path, 0, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_check_size(&t, 2, "-", 1, &err), LSC_OK, "%s", err.msg);
    /* 1e15 steps: about 1.7e17 bytes, more than any disk here */
    t.steps = 1000000000000000L;
    cr_assert_eq(lsc_trajectory_check_size(&t, 2, path, 0, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "would take about") && strstr(err.msg, "free") &&
                  strstr(err.msg, quoted),
              "%s", err.msg);
    cr_assert_null(strstr(err.msg, "--"), "%s", err.msg);
    cr_assert_eq(lsc_trajectory_check_size(&t, 2, "-", 0, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "in a temporary file"), "%s", err.msg);
    /* kept in memory for a plot: the reader's limit */
    t.steps = 100000000;
    cr_assert_eq(lsc_trajectory_check_size(&t, 2, "-", 1, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "numbers in memory"), "%s", err.msg);
    t.every = 1000;
    cr_assert_eq(lsc_trajectory_check_size(&t, 2, "-", 1, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory_free(&t);
}

/* ---- the CLI: SIGINT during a long run leaves no temporary ------------------------------- */

static void losscape_exe(char *out, size_t len)
{
    char self[1024];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(k, 0);
    self[k] = '\0';
    snprintf(out, len, "%s/../src/cli/losscape", dirname(self)); /* build/tests/.. */
    cr_assert_eq(access(out, X_OK), 0, "no executable at %s", out);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int temporaries(void)
{
    int k = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        k += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return k;
}

static void interrupt_a_run(int sig)
{
    char exe[1100], out[128], names[256];
    losscape_exe(exe, sizeof exe);
    path_in(out, sizeof out, "t.tsv");
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        execl(exe, exe, "run", "--landscape", "rosenbrock", "--optimizer", "adam:lr=1e-4",
              "--steps", "1000000000", "--every", "1000", "--quiet", "--out", out,
              (char *)NULL);
        _exit(127);
    }
    /* wait for the temporaries, then for some rows in them */
    for (int i = 0; i < 1000 && temporaries() < 1; i++)
        sleep_ms(10);
    cr_assert_geq(temporaries(), 1, "no temporary appeared beside the output");
    sleep_ms(300);
    kill(pid, sig);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == sig, "status %d", st);
    list_dir(names, sizeof names);
    cr_assert_str_eq(names, "", "left behind: %s", names);
}

Test(cli, sigint_during_a_long_run_leaves_no_temporary, .init = make_dir, .fini = remove_dir,
     .timeout = 60)
{
    interrupt_a_run(SIGINT);
}

Test(cli, sigterm_during_a_long_run_leaves_no_temporary, .init = make_dir, .fini = remove_dir,
     .timeout = 60)
{
    interrupt_a_run(SIGTERM);
}

/* ---- how a start was made (dim > 64) -------------------------------------------------- */

Test(start, every_description_reads_back_as_written)
{
    lsc_start_desc d[4];
    memset(d, 0, sizeof d);
    d[0].kind = LSC_START_RANDOM;
    d[0].seed = 18446744073709551615ULL;
    d[1].kind = LSC_START_STANDARD;
    d[1].index = 3;
    d[2].kind = LSC_START_GIVEN;
    d[2].checksum = 0x0123456789abcdefULL;
    d[3].kind = LSC_START_FILE;
    d[3].checksum = 0xfedcba9876543210ULL;
    snprintf(d[3].path, sizeof d[3].path, "dir with space/s, fnv1a64 x.txt");
    const char *want[4] = {"random box, seed 18446744073709551615", "standard start 3",
                           "given, fnv1a64 0123456789abcdef",
                           "file dir with space/s, fnv1a64 x.txt, fnv1a64 fedcba9876543210"};
    for (int k = 0; k < 4; k++) {
        char buf[2048], again[2048];
        lsc_start_describe(&d[k], buf, sizeof buf);
        cr_assert_str_eq(buf, want[k]);
        lsc_start_desc e;
        cr_assert_eq(lsc_start_parse(buf, &e), LSC_OK, "%s", buf);
        cr_assert_eq(e.kind, d[k].kind);
        cr_assert_str_eq(lsc_start_describe(&e, again, sizeof again), buf);
    }
    static const char *const bad[] = {
        "", "random", "random box, seed ", "random box, seed -1", "random box, seed 1x",
        "random box, seed 18446744073709551616", "standard start", "standard start 1e3",
        "given, fnv1a64 0123", "given, fnv1a64 0123456789ABCDEF",
        "given, fnv1a64 0123456789abcdef0", "file , fnv1a64 0123456789abcdef",
        "file x.txt", "file x.txt, fnv1a64 0123456789abcdeg", "-1.5,2"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        lsc_start_desc e;
        cr_assert_eq(lsc_start_parse(bad[k], &e), LSC_EINVAL, "'%s' accepted", bad[k]);
    }
}

Test(start, checksum_is_fnv1a_over_the_doubles)
{
    /* FNV-1a of no bytes is the offset basis; of 0.0 (8 zero bytes), eight rounds */
    cr_assert_eq(lsc_start_checksum(NULL, 0), 0xcbf29ce484222325ULL);
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (int b = 0; b < 8; b++)
        h = (h ^ 0) * 0x100000001b3ULL;
    const double zero = 0, one = 1;
    cr_assert_eq(lsc_start_checksum(&zero, 1), h);
    cr_assert_neq(lsc_start_checksum(&one, 1), h);
}

/* Above 64 dimensions a run's start is written as how it was made; reading it back gives
 * no vector, and lsc_run_record_start finds the start in the first row when it holds it. */
Test(start, above_64_dimensions_the_file_describes_the_start, .init = make_dir,
     .fini = remove_dir)
{
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    race r;
    lsc_trajectory t, u;
    lsc_error err = {0};
    race_init(&r, "sphere", 70, 5, 1);
    race_run(&r, &t, 70, 0);
    cr_assert_eq(lsc_trajectory_write(&t, p, &err), LSC_OK, "%s", err.msg);
    char *text = slurp(p, NULL);
    char want[128];
    snprintf(want, sizeof want, "\n# run 1 start: given, fnv1a64 %016llx\n",
             lsc_start_checksum(r.x0, 70));
    cr_assert(strstr(text, want), "no '%s' in the file", want);
    free(text);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_null(u.runs[1].start);
    cr_assert_eq(u.runs[1].start_desc.kind, LSC_START_GIVEN);
    cr_assert_eq(u.runs[1].start_desc.checksum, lsc_start_checksum(r.x0, 70));
    const double *x0 = lsc_run_record_start(&u, &u.runs[1]);
    cr_assert_not_null(x0);
    cr_assert_eq(memcmp(x0, r.x0, 70 * sizeof *x0), 0);
    /* written again: the same bytes */
    char q[128];
    path_in(q, sizeof q, "again.tsv");
    cr_assert_eq(lsc_trajectory_write(&u, q, &err), LSC_OK, "%s", err.msg);
    char *a = slurp(p, NULL), *b = slurp(q, NULL);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    lsc_trajectory_free(&u);
    /* without every coordinate in the rows, the start is not known */
    race_run(&r, &u, 3, 0);
    cr_assert_eq(lsc_trajectory_write(&u, p, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory_free(&u);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_null(lsc_run_record_start(&u, &u.runs[0]));
    lsc_trajectory_free(&u);
    lsc_trajectory_free(&t);
    race_free(&r);
}

Test(start, a_small_file_may_describe_its_start_too, .init = make_dir, .fini = remove_dir)
{
    char good[128], p[128];
    path_in(good, sizeof good, "good.tsv");
    path_in(p, sizeof p, "t.tsv");
    good_file(good);
    edited(good, p, "/^# run 0 start:/s/:.*/: random box, seed 7/");
    lsc_trajectory t;
    lsc_error err = {0};
    cr_assert_eq(lsc_trajectory_read(&t, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_null(t.runs[0].start);
    cr_assert_eq(t.runs[0].start_desc.kind, LSC_START_RANDOM);
    cr_assert_eq(t.runs[0].start_desc.seed, 7);
    cr_assert_not_null(t.runs[1].start);
    /* positions all: the first row is the start */
    cr_assert_eq(lsc_run_record_start(&t, &t.runs[0]), t.runs[0].x);
    lsc_trajectory_free(&t);
    edited(good, p, "/^# run 0 start:/s/:.*/: random box, seed x/");
    expect_bad(p, "run 0 start: expected 2 finite numbers");
}

/* ---- recorders --------------------------------------------------------------------------- */

Test(recorder, last_row_keeps_one_row_per_run)
{
    race r;
    lsc_trajectory t, u;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 30, 4);
    race_run(&r, &t, 2, 0);
    race_prepare(&r, &u, 2, 0);
    lsc_run_opts o = r.opts;
    o.record = lsc_trajectory_last_row;
    o.record_user = &u;
    for (int i = 0; i < 2; i++) {
        lsc_run_record *rec = lsc_trajectory_add_run(&u);
        cr_assert_gt(lsc_run(&o, r.o[i], r.x0, i, &u, rec, &err), 0, "%s", err.msg);
        size_t last = t.runs[i].len - 1;
        cr_assert_eq(u.runs[i].len, 1);
        cr_assert_eq(u.runs[i].step[0], t.runs[i].step[last]);
        cr_assert_eq(u.runs[i].loss[0], t.runs[i].loss[last]);
        cr_assert_eq(u.runs[i].x[1], t.runs[i].x[2 * last + 1]);
    }
    cr_assert_eq(lsc_trajectory_last_row(&u, 2, &(lsc_row){.x = r.x0}, &err), LSC_EINVAL);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    race_free(&r);
}

/* ---- runs of several files in one trajectory (plot A.tsv B.tsv) ------------------------- */

/* A trajectory of the race's two runs with options opts, npos coordinates a row. */
static void race_with(race *r, lsc_trajectory *t, lsc_run_opts opts, int npos, int has_dist)
{
    lsc_run_opts keep = r->opts;
    r->opts = opts;
    race_run(r, t, npos, has_dist);
    r->opts = keep;
}

Test(merge, runs_of_several_files_keep_their_options_and_rows)
{
    race r;
    lsc_trajectory a, b, c, m;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 30, 3);
    lsc_run_opts o = r.opts;
    race_with(&r, &a, o, 2, 1); /* every coordinate, and dist */
    o.noise = 0.25;
    o.steps = 40;
    o.stop_dist = 5;
    race_with(&r, &b, o, 1, 0); /* first:1, no dist */
    const double a_x1 = a.runs[1].x[2 * 4], b_loss = b.runs[0].loss[3];
    const size_t b_len = b.runs[1].len;
    lsc_trajectory_init(&m, 0, 0, 0);
    cr_assert_eq(lsc_trajectory_merge(&m, &a, "a.tsv", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(m.mixed, 0, "one file: nothing differs");
    cr_assert_eq(lsc_trajectory_merge(&m, &b, "b.tsv", &err), LSC_OK, "%s", err.msg);
    cr_assert(a.nruns == 0 && !a.runs && b.nruns == 0 && !b.runs, "the sources are emptied");
    cr_assert_eq(m.nruns, 4);
    cr_assert_str_eq(m.runs[0].source, "a.tsv");
    cr_assert_str_eq(m.runs[3].source, "b.tsv");
    /* rows: the coordinates both have (first:1), no dist */
    cr_assert_eq(m.npos, 1);
    cr_assert_eq(m.has_dist, 0);
    cr_assert_null(m.runs[0].dist);
    cr_assert_eq(m.runs[1].x[4], a_x1, "row 4 of a's run 1 keeps its x1");
    cr_assert_eq(m.runs[2].loss[3], b_loss);
    cr_assert_eq(m.runs[3].len, b_len);
    /* b's noise is its runs' own; steps is the larger; steps and stop_dist are mixed,
     * noise (a run's own) and seed are not */
    cr_assert(!lsc_run_record_own(&m.runs[0], "noise") && m.runs[0].noise == 0);
    cr_assert(lsc_run_record_own(&m.runs[2], "noise") && m.runs[2].noise == 0.25);
    cr_assert_eq(m.noise, 0);
    cr_assert_eq(m.steps, 40);
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const char *name = lsc_driver_options[k].name;
        int want = !strcmp(name, "steps") || !strcmp(name, "stop_dist");
        cr_assert_eq((int)(m.mixed >> k & 1), want, "%s", name);
    }
    /* another landscape or dimension: refused, naming the file and both landscapes */
    race r3;
    race_init(&r3, "rosenbrock", 3, 5, 1);
    race_run(&r3, &c, 3, 0);
    cr_assert_eq(lsc_trajectory_merge(&m, &c, "c.tsv", &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "'c.tsv' is on landscape 'rosenbrock:a=1,b=100' (dim 3), the "
                              "runs before it on 'rosenbrock:a=1,b=100' (dim 2)"), "%s", err.msg);
    cr_assert(c.nruns == 0 && !c.runs, "emptied on an error too");
    cr_assert_eq(m.nruns, 4, "unchanged");
    lsc_trajectory_free(&m);
    race_free(&r3);
    race_free(&r);
}

/* ---- the driver-option table ------------------------------------------------------------ */

Test(driver, the_header_has_one_line_per_row_in_table_order, .init = make_dir,
     .fini = remove_dir)
{
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    good_file(p);
    char *text = slurp(p, NULL);
    const char *at = strstr(text, "# dim: 2\n");
    cr_assert_not_null(at);
    at = strchr(at, '\n') + 1;
    for (int k = 0; k < lsc_driver_noptions; k++) {
        char want[64];
        if (lsc_driver_options[k].flags & (LSC_DRIVER_DATA | LSC_DRIVER_QUIET)) {
            /* models over data only; written only when set (both off here) */
            snprintf(want, sizeof want, "# %s: ", lsc_driver_options[k].name);
            cr_assert_null(strstr(text, want), "'%s' in a file without data", want);
            continue;
        }
        snprintf(want, sizeof want, "# %s: ", lsc_driver_options[k].name);
        cr_assert(!strncmp(at, want, strlen(want)), "row %d: expected '%s' at '%.30s'", k, want,
                  at);
        at = strchr(at, '\n') + 1;
    }
    cr_assert(!strncmp(at, "# run 0 optimizer:", 18), "%.30s", at);
    free(text);
}

/* stop_loss and stop_dist: written by the table, read back exactly, 'off' for a level
 * that is not set (0 is a loss level); a file without their lines (older files) reads as
 * off; a bad value names the file, the line and the key. */
Test(driver, stop_conditions_round_trip_through_the_header, .init = make_dir,
     .fini = remove_dir)
{
    char p[128], q[128];
    path_in(p, sizeof p, "t.tsv");
    path_in(q, sizeof q, "u.tsv");
    race r;
    lsc_trajectory t, u;
    lsc_error err = {0};
    race_init(&r, "rosenbrock", 0, 200, 10);
    /* from f = 50.3: adam gets below f = 4.125 (about step 30) while still within 0.36 of
     * its start; heavy ball moves 0.5 away (about step 14) while f > 4.3 */
    r.opts.stop_loss = 4.125;
    r.opts.stop_loss_on = 1;
    r.opts.stop_dist = 0.5;
    race_run(&r, &t, 2, 0);
    cr_assert_eq(t.runs[0].status, LSC_STOP_LOSS, "%s", t.runs[0].reason);
    cr_assert_eq(t.runs[1].status, LSC_STOP_DIST, "%s", t.runs[1].reason);
    cr_assert_eq(lsc_trajectory_write(&t, p, &err), LSC_OK, "%s", err.msg);
    char *text = slurp(p, NULL);
    cr_assert(strstr(text, "\n# stop_loss: 4.125\n# stop_dist: 0.5\n"), "%s", text);
    cr_assert(strstr(text, "\n# run 0 status: loss-reached\n"), "%s", text);
    cr_assert(strstr(text, "\n# run 1 status: dist-reached\n"), "%s", text);
    free(text);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.stop_loss, 4.125);
    cr_assert_eq(u.stop_dist, 0.5);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(u.runs[i].status, t.runs[i].status);
        cr_assert_str_eq(u.runs[i].reason, t.runs[i].reason);
        cr_assert_eq(u.runs[i].step[u.runs[i].len - 1], t.runs[i].step[t.runs[i].len - 1]);
    }
    lsc_trajectory_free(&u);
    lsc_trajectory_free(&t);
    /* off: stop_loss 'off' (NaN), stop_dist 0 */
    r.opts.stop_loss_on = 0;
    r.opts.stop_dist = 0;
    race_run(&r, &t, 2, 0);
    cr_assert_eq(lsc_trajectory_write(&t, p, &err), LSC_OK, "%s", err.msg);
    text = slurp(p, NULL);
    cr_assert(strstr(text, "\n# stop_loss: off\n# stop_dist: 0\n"), "%s", text);
    free(text);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert(isnan(u.stop_loss) && u.stop_dist == 0);
    lsc_trajectory_free(&u);
    /* a file without the lines */
    edited(p, q, "/^# stop_loss:/d; /^# stop_dist:/d");
    cr_assert_eq(lsc_trajectory_read(&u, q, &err), LSC_OK, "%s", err.msg);
    cr_assert(isnan(u.stop_loss) && u.stop_dist == 0);
    lsc_trajectory_free(&u);
    /* bad values, named with their line */
    text = slurp(p, NULL);
    int line = 1;
    for (const char *c = text; c < strstr(text, "# stop_loss:"); c++)
        line += *c == '\n';
    free(text);
    char want[160];
    edited(p, q, "/^# stop_loss:/s/off/abc/");
    snprintf(want, sizeof want, "u.tsv:%d: stop_loss: 'abc' is not allowed (expected a finite "
             "number, or off)", line);
    expect_bad(q, want);
    edited(p, q, "/^# stop_loss:/s/off/inf/");
    snprintf(want, sizeof want, "u.tsv:%d: stop_loss: 'inf' is not allowed", line);
    expect_bad(q, want);
    edited(p, q, "/^# stop_dist:/s/0/-1/");
    snprintf(want, sizeof want, "u.tsv:%d: stop_dist: '-1' is not allowed", line + 1);
    expect_bad(q, want);
    lsc_trajectory_free(&t);
    race_free(&r);
}

Test(driver, values_are_checked_against_the_range_and_name_no_flag)
{
    lsc_trajectory t;
    lsc_error err = {0};
    lsc_trajectory_init(&t, 2, 2, 0);
    const lsc_driver_option *o = lsc_driver_option_find("noise");
    cr_assert_not_null(o);
    cr_assert_eq(lsc_driver_option_parse(o, "1e6", 0, &t.noise, &err), LSC_OK);
    cr_assert_eq(t.noise, 1e6);
    cr_assert_eq(lsc_driver_option_parse(o, "1e300", 0, &t.noise, &err), LSC_EINVAL);
    cr_assert_str_eq(err.msg, "noise: '1e300' is not allowed (expected a finite number >= 0 "
                              "and <= 1000000)");
    cr_assert_eq(t.noise, 1e6, "a refused value changes nothing");
    o = lsc_driver_option_find("clip_norm");
    cr_assert_eq(lsc_driver_option_parse(o, "0", 0, &t.clip_norm, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "clip_norm: '0' is not allowed (expected a finite number > 0"),
              "%s", err.msg);
    t.clip_norm = 3;
    cr_assert_eq(lsc_driver_option_parse(o, "off", 0, &t.clip_norm, &err), LSC_OK);
    cr_assert_eq(t.clip_norm, 0);
    o = lsc_driver_option_find("positions");
    cr_assert_eq(lsc_driver_option_parse(o, "first:1e12", 0, &t.npos, &err), LSC_EINVAL);
    cr_assert_eq(lsc_driver_option_parse(o, "first:3", 2, &t.npos, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "from 1 to 2, the landscape's dimension"), "%s", err.msg);
    cr_assert_eq(lsc_driver_option_parse(o, "first:3", 0, &t.npos, &err), LSC_OK);
    cr_assert_eq(t.npos, 3);
    cr_assert_eq(lsc_driver_option_parse(o, "all", 2, &t.npos, &err), LSC_OK);
    cr_assert_eq(t.npos, 2);
    o = lsc_driver_option_find("seed");
    cr_assert_eq(lsc_driver_option_parse(o, "18446744073709551615", 0, &t.seed, &err), LSC_OK);
    cr_assert_eq(t.seed, 18446744073709551615ULL);
    cr_assert_eq(lsc_driver_option_parse(o, "+5", 0, &t.seed, &err), LSC_EINVAL);
    cr_assert_eq(lsc_driver_option_parse(o, " 5", 0, &t.seed, &err), LSC_EINVAL);
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *d = &lsc_driver_options[k];
        cr_assert_eq(lsc_driver_option_find(d->name), d);
        /* every default reads as a value of its row */
        union {
            double d;
            long l;
            unsigned long long u;
            int i;
            char s[LSC_VALUE_MAX];
        } field;
        if (d->def)
            cr_assert_eq(lsc_driver_option_parse(d, d->def, 0, &field, &err), LSC_OK, "%s: %s",
                         d->name, err.msg);
        cr_assert(d->help && d->metavar && d->help[0], "%s", d->name);
    }
    cr_assert_null(lsc_driver_option_find("nosuch"));
    lsc_trajectory_free(&t);
}

/* ---- optional columns ------------------------------------------------------------------ */

/* A trajectory made by hand with the optional columns of `cols` (a model's header: data,
 * a holdout, record_time on), one run of 4 rows whose values differ in every column;
 * batch_loss is nan on row 0 (no update yet). */
static void with_columns(lsc_trajectory *t, unsigned long long cols)
{
    lsc_trajectory_init(t, 2, 2, 1);
    snprintf(t->landscape, sizeof t->landscape, "logreg");
    snprintf(t->data, sizeof t->data, "blobs:n=40");
    t->holdout = 0.25;
    t->record_time = 1;
    t->hessian = 1;
    t->steps = 30;
    t->cols = cols;
    lsc_run_record *r = lsc_trajectory_add_run(t);
    cr_assert_not_null(r);
    snprintf(r->optimizer, sizeof r->optimizer, "sgd:lr=0.1");
    snprintf(r->label, sizeof r->label, "sgd");
    r->status = LSC_STOP_MAX_STEPS;
    snprintf(r->reason, sizeof r->reason, "reached the step budget (30 steps)");
    cr_assert_eq(lsc_run_record_reserve(t, r, 4), LSC_OK);
    for (int k = 0; k < 4; k++) {
        double x[2] = {0.1 * k, -0.3 * k};
        lsc_row row = {.step = 10 * k, .lr = 0.1, .loss = 1.0 / (k + 1), .grad_norm = 0.5,
                       .dist = k ? 0.25 * k : NAN, .x = x};
        for (int c = 0; c < LSC_NCOLS; c++)
            row.col[c] = (double)(k + 1) / (c + 3); /* in [0, 1]: every column's range */
        row.col[LSC_COL_BATCH_LOSS] = k ? 0.7 / k : NAN;
        lsc_run_record_push(t, r, &row);
    }
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Every optional column is written after dist in table order and read back exactly (nan
 * where a column allows it); lsc_run_record_row gives nan for a column the file lacks. */
Test(columns, every_optional_column_round_trips, .init = make_dir, .fini = remove_dir)
{
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    lsc_trajectory t, u;
    lsc_error err = {0};
    const unsigned long long all = (1ULL << LSC_NCOLS) - 1;
    with_columns(&t, all);
    cr_assert_eq(lsc_trajectory_write(&t, p, &err), LSC_OK, "%s", err.msg);
    char *text = slurp(p, NULL);
    cr_assert_not_null(strstr(text, "\nrun\tstep\tlr\tloss\tgrad_norm\tdist\tepoch\texamples\tbatch_loss\t"
                                    "test_loss\tacc\ttest_acc\ttime\teig_min\teig_max\tx1\tx2\n"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "\n# record_time: on\n# hessian: on\n"));
    free(text);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.cols, all);
    cr_assert_eq(u.runs[0].len, 4);
    for (size_t k = 0; k < 4; k++) {
        lsc_row a, b;
        lsc_run_record_row(&t, &t.runs[0], k, &a);
        lsc_run_record_row(&u, &u.runs[0], k, &b);
        cr_assert(a.step == b.step && a.loss == b.loss && same_double(a.dist, b.dist));
        for (int c = 0; c < LSC_NCOLS; c++)
            cr_assert(same_double(a.col[c], b.col[c]), "row %zu %s: %.17g read as %.17g", k,
                      lsc_columns[c].name, a.col[c], b.col[c]);
        cr_assert(a.x[0] == b.x[0] && a.x[1] == b.x[1]);
    }
    cr_assert(isnan(u.runs[0].col[LSC_COL_BATCH_LOSS][0]), "nan on row 0 reads back");
    /* a file with only some of them: the others are absent, not zero */
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    with_columns(&t, 1ULL << LSC_COL_EPOCH | 1ULL << LSC_COL_TIME);
    cr_assert_eq(lsc_trajectory_write(&t, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.cols, 1ULL << LSC_COL_EPOCH | 1ULL << LSC_COL_TIME);
    cr_assert_null(u.runs[0].col[LSC_COL_ACC]);
    lsc_row b;
    lsc_run_record_row(&u, &u.runs[0], 2, &b);
    cr_assert(isnan(b.col[LSC_COL_ACC]) && b.col[LSC_COL_EPOCH] == 3.0 / 3);
    cr_assert_eq(b.col[LSC_COL_TIME], 3.0 / (LSC_COL_TIME + 3));
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
}

/* ---- the per-layer block ----------------------------------------------------------------- */

/* A deep-linear header with layer_stats on and a block of L layers of families fams, one
 * run of 3 rows whose block values all differ (nan for the last sat, as an mlp's output
 * layer has). */
static void with_layers(lsc_trajectory *t, int L, unsigned fams)
{
    lsc_trajectory_init(t, 2, 2, 0);
    snprintf(t->landscape, sizeof t->landscape, "deep-linear:depth=2,width=1,target=3");
    t->steps = 30;
    t->layer_stats = 1;
    t->layers = L;
    t->layer_fams = fams;
    lsc_run_record *r = lsc_trajectory_add_run(t);
    cr_assert_not_null(r);
    snprintf(r->optimizer, sizeof r->optimizer, "sgd:lr=0.1");
    snprintf(r->label, sizeof r->label, "sgd");
    r->status = LSC_STOP_MAX_STEPS;
    snprintf(r->reason, sizeof r->reason, "reached the step budget (30 steps)");
    cr_assert_eq(lsc_run_record_reserve(t, r, 3), LSC_OK);
    const int nv = lsc_trajectory_layer_values(t);
    double *v = malloc((size_t)nv * sizeof *v);
    for (int k = 0; k < 3; k++) {
        double x[2] = {0.1 * k, -0.3 * k};
        for (int j = 0; j < nv; j++)
            v[j] = (double)(k + 1) / (j + 3); /* in [0, 1]: every family's range */
        if (fams >> LSC_LCOL_SAT & 1)
            v[nv - 1 - (fams >> LSC_LCOL_H & 1) * L] = NAN;
        lsc_row row = {.step = 10 * k, .lr = 0.1, .loss = 1.0 / (k + 1), .grad_norm = 0.5,
                       .dist = NAN, .layer = v, .x = x};
        lsc_run_record_push(t, r, &row);
    }
    free(v);
}

/* The block is written after the optional columns, family by family (g1 .. gL, ...), with
 * '# layer_stats: on', and reads back to the same values (nan included) and the same
 * bytes; a family the file lacks reads as nan. */
Test(layer_block, round_trips, .init = make_dir, .fini = remove_dir)
{
    char p[128], q[128];
    path_in(p, sizeof p, "t.tsv");
    path_in(q, sizeof q, "u.tsv");
    lsc_trajectory t, u;
    lsc_error err = {0};
    const unsigned fams = 1u << LSC_LCOL_G | 1u << LSC_LCOL_W | 1u << LSC_LCOL_SAT;
    with_layers(&t, 3, fams);
    cr_assert_eq(lsc_trajectory_write(&t, p, &err), LSC_OK, "%s", err.msg);
    size_t la, lb;
    char *text = slurp(p, &la);
    cr_assert_not_null(strstr(text, "\nrun\tstep\tlr\tloss\tgrad_norm\tg1\tg2\tg3\tw1\tw2\tw3\t"
                                    "sat1\tsat2\tsat3\tx1\tx2\n"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "\n# layer_stats: on\n"));
    cr_assert_eq(lsc_trajectory_read(&u, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.layers, 3);
    cr_assert_eq(u.layer_fams, fams);
    cr_assert_eq(u.runs[0].len, 3);
    for (size_t k = 0; k < 3; k++)
        for (int f = 0; f < LSC_NLCOLS; f++)
            for (int l = 1; l <= 3; l++) {
                const double a = lsc_run_record_layer(&t, &t.runs[0], k, f, l);
                const double b = lsc_run_record_layer(&u, &u.runs[0], k, f, l);
                cr_assert(same_double(a, b), "row %zu %s%d: %.17g read as %.17g", k,
                          lsc_layer_columns[f].prefix, l, a, b);
                cr_assert_eq(isnan(a), f == LSC_LCOL_A || f == LSC_LCOL_H ||
                                           (f == LSC_LCOL_SAT && l == 3));
            }
    cr_assert(isnan(lsc_run_record_layer(&u, &u.runs[0], 0, LSC_LCOL_G, 4)), "no layer 4");
    cr_assert_eq(lsc_trajectory_write(&u, q, &err), LSC_OK, "%s", err.msg);
    char *again = slurp(q, &lb);
    cr_assert(la == lb && !memcmp(text, again, la), "the block does not write back the same");
    free(text);
    free(again);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
}

/* Without layer_stats, a file has neither the option's line nor a block, and reads and
 * writes the same bytes; merging a file with a block and one without keeps no block. */
Test(layer_block, absent_and_merged, .init = make_dir, .fini = remove_dir)
{
    char p[128], q[128];
    path_in(p, sizeof p, "t.tsv");
    path_in(q, sizeof q, "u.tsv");
    good_file(p);
    size_t la, lb;
    char *text = slurp(p, &la);
    cr_assert_null(strstr(text, "layer_stats"));
    lsc_trajectory t, u;
    lsc_error err = {0};
    cr_assert_eq(lsc_trajectory_read(&t, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(t.layers, 0);
    cr_assert_null(t.runs[0].layer);
    cr_assert_eq(lsc_trajectory_write(&t, q, &err), LSC_OK, "%s", err.msg);
    char *again = slurp(q, &lb);
    cr_assert(la == lb && !memcmp(text, again, la));
    free(text);
    free(again);
    lsc_trajectory_free(&t);
    /* the same block merges; a different one (or none) is dropped from both */
    lsc_trajectory m;
    lsc_trajectory_init(&m, 0, 0, 0);
    with_layers(&t, 3, 1u << LSC_LCOL_G);
    with_layers(&u, 3, 1u << LSC_LCOL_G);
    cr_assert_eq(lsc_trajectory_merge(&m, &t, "a", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_merge(&m, &u, "b", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(m.layers, 3);
    cr_assert_eq(lsc_run_record_layer(&m, &m.runs[1], 2, LSC_LCOL_G, 3), 3.0 / 5);
    with_layers(&u, 2, 1u << LSC_LCOL_G);
    cr_assert_eq(lsc_trajectory_merge(&m, &u, "c", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(m.layers, 0);
    for (int i = 0; i < 3; i++)
        cr_assert_null(m.runs[i].layer);
    cr_assert_eq(lsc_trajectory_write(&m, q, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    cr_assert_eq(lsc_trajectory_read(&u, q, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.layers, 0);
    lsc_trajectory_free(&u);
    lsc_trajectory_free(&m);
}

/* A hostile header row: more cells than any file may have (the block's bound, 5 families
 * of LSC_TRAJ_MAX_LAYERS), and a block as large as allowed whose rows must then fit the
 * grown line limit. */
Test(layer_block, bounds, .init = make_dir, .fini = remove_dir)
{
    char good[128], bad[128];
    path_in(good, sizeof good, "good.tsv");
    path_in(bad, sizeof bad, "t.tsv");
    good_file(good);
    size_t len;
    char *text = slurp(good, &len);
    char *row = strstr(text, "\nrun\t");
    cr_assert_not_null(row);
    FILE *fp = fopen(bad, "w");
    fwrite(text, 1, (size_t)(row - text), fp);
    fputs("\n# layer_stats: on\nrun\tstep\tlr\tloss\tgrad_norm", fp);
    for (int k = 0; k < 6 + 7 + 5 * LSC_TRAJ_MAX_LAYERS; k++)
        fprintf(fp, "\tg%d", k + 1);
    fputs("\tx1\tx2\n", fp);
    fclose(fp);
    expect_bad(bad, "more than run step lr loss grad_norm dist, the 9 optional ones, 5 "
                    "per-layer families of at most 1000 and x1 .. x2");
    /* the largest block: 5 x 1000 values a row, 24 characters each, past 64 KiB */
    lsc_trajectory t, u;
    lsc_error err = {0};
    with_layers(&t, LSC_TRAJ_MAX_LAYERS, (1u << LSC_NLCOLS) - 1);
    for (size_t k = 0; k < t.runs[0].len; k++)
        for (int j = 0; j < lsc_trajectory_layer_values(&t); j++)
            if (!isnan(t.runs[0].layer[k * 5000 + (size_t)j]))
                t.runs[0].layer[k * 5000 + (size_t)j] = 0.1234567890123456789 / (j + 1);
    cr_assert_eq(lsc_trajectory_write(&t, bad, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_read(&u, bad, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(u.layers, LSC_TRAJ_MAX_LAYERS);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&u);
    free(text);
}

/* A value out of a column's range, and nan where a column does not allow it, name the
 * file, the line, the column and what it allows. */
Test(columns, a_bad_value_names_the_column, .init = make_dir, .fini = remove_dir)
{
    char good[128], bad[128];
    path_in(good, sizeof good, "good.tsv");
    path_in(bad, sizeof bad, "t.tsv");
    lsc_trajectory t;
    lsc_error err = {0};
    with_columns(&t, (1ULL << LSC_NCOLS) - 1);
    cr_assert_eq(lsc_trajectory_write(&t, good, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory_free(&t);
    /* row 2 (step 10); columns: 6 dist, 7 epoch, 8 examples, 9 batch_loss, 10 test_loss,
     * 11 acc, 12 test_acc, 13 time, 14 eig_min, 15 eig_max */
    static const struct {
        int field;
        const char *value, *want;
    } cases[] = {
        {7, "-0.5", "epoch '-0.5' is not a finite number from 0 to 1000000000"},
        {7, "nan", "epoch 'nan' is not a finite number from 0 to 1000000000"},
        {8, "-1", "examples '-1' is not a finite number >= 0"},
        {9, "inf", "batch_loss 'inf' is not a finite number, or nan"},
        {10, "nan", "test_loss 'nan' is not a finite number"},
        {11, "1.5", "acc '1.5' is not a finite number from 0 to 1"},
        {12, "-1e-300", "test_acc '-1e-300' is not a finite number from 0 to 1"},
        {13, "x", "time 'x' is not a finite number >= 0"},
        {14, "inf", "eig_min 'inf' is not a finite number, or nan"},
        {15, "-inf", "eig_max '-inf' is not a finite number, or nan"},
    };
    for (int i = 0; i < LSC_COUNTOF(cases); i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "awk 'BEGIN{FS=OFS=\"\\t\"} $1==\"0\" && $2==\"10\" {$%d=\"%s\"} "
                 "{print}' '%s' > '%s'", cases[i].field, cases[i].value, good, bad);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        expect_bad(bad, cases[i].want);
        expect_bad(bad, "t.tsv:");
    }
}

/* Merging keeps the optional columns both files have, and drops the others' arrays. */
Test(columns, merge_keeps_the_columns_both_have)
{
    lsc_trajectory m, a, b;
    lsc_error err = {0};
    lsc_trajectory_init(&m, 0, 0, 0);
    with_columns(&a, (1ULL << LSC_NCOLS) - 1);
    with_columns(&b, 1ULL << LSC_COL_EPOCH | 1ULL << LSC_COL_ACC);
    const double acc = b.runs[0].col[LSC_COL_ACC][3];
    cr_assert_eq(lsc_trajectory_merge(&m, &a, "a.tsv", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(m.cols, (1ULL << LSC_NCOLS) - 1);
    cr_assert_eq(lsc_trajectory_merge(&m, &b, "b.tsv", &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(m.cols, 1ULL << LSC_COL_EPOCH | 1ULL << LSC_COL_ACC);
    cr_assert_eq(m.nruns, 2);
    for (int i = 0; i < 2; i++)
        for (int c = 0; c < LSC_NCOLS; c++)
            cr_assert_eq(m.runs[i].col[c] != NULL, (int)(m.cols >> c & 1), "run %d %s", i,
                         lsc_columns[c].name);
    cr_assert_eq(m.runs[1].col[LSC_COL_ACC][3], acc);
    lsc_trajectory_free(&m);
    lsc_trajectory_free(&a);
    lsc_trajectory_free(&b);
}
