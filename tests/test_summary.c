/* test_summary.c — the summary reader (summary.h): a written summary reads back to the
 * same rows and, written again, to the same bytes; its rows equal the last rows of the
 * full runs read back from a trajectory file; malformed files are refused with one line
 * naming the file and line */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "summary.h"

#include "scratch_dir.h" /* dir, make_dir, remove_dir */

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

static void spit(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static lsc_experiment *make(const char *const *kv)
{
    lsc_experiment *x = lsc_experiment_new();
    lsc_error err = {0};
    for (int i = 0; kv[i]; i++) {
        char key[64];
        const char *eq = strchr(kv[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv[i]), kv[i]);
        cr_assert_eq(lsc_experiment_set(x, key, eq + 1, &err), LSC_OK, "%s: %s", kv[i], err.msg);
    }
    return x;
}

/* Stop conditions that hold for some runs and not others, an escape radius, noise, two
 * optimizers: every cell of a row takes both its kinds of value. */
static const char *const KV[] = {"landscape=himmelblau", "start=random", "runs=7",
                                 "noise=0.2", "optimizer=gd:lr=0.0003",
                                 "optimizer=adam:lr=0.1,label=a", "steps=300",
                                 "stop_grad=0.05", "stop_dist=3", "escape=2", "every=7",
                                 NULL};

/* The summary written from an experiment, read back: the header's counts and keys, and
 * every row written again gives the file's bytes. */
Test(summary, reads_back_to_the_same_bytes, .init = make_dir, .fini = remove_dir)
{
    lsc_experiment *x = make(KV);
    lsc_error err = {0};
    char p[600], q[600];
    snprintf(p, sizeof p, "%s/s.tsv", dir);
    snprintf(q, sizeof q, "%s/again.tsv", dir);
    cr_assert_eq(lsc_experiment_write_summary(x, p, &err), LSC_OK, "%s", err.msg);
    lsc_summary s;
    cr_assert_eq(lsc_summary_read(&s, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(s.dim, 2);
    cr_assert_eq(s.runs, 7);
    cr_assert_eq(s.noptimizers, 2);
    cr_assert_eq(s.nrows, 14);
    cr_assert_str_eq(lsc_summary_get(&s, "landscape"), "himmelblau");
    cr_assert_str_eq(lsc_summary_get(&s, "optimizer 1 label"), "a");
    cr_assert_null(lsc_summary_get(&s, "no such key"));
    FILE *fp = fopen(q, "wb");
    fwrite(s.header, 1, s.header_len, fp);
    for (int i = 0; i < s.nrows; i++)
        lsc_summary_put_row(fp, &s.rows[i]);
    fclose(fp);
    size_t la, lb;
    char *a = slurp(p, &la), *b = slurp(q, &lb);
    cr_assert_eq(la, lb);
    cr_assert_eq(memcmp(a, b, la), 0);
    free(a);
    free(b);
    lsc_summary_free(&s);
    lsc_experiment_free(x);
}

/* --summary-only's rows against the full runs: the trajectory file written and read back,
 * each summary row (read back from its file) is that run's last row and metadata. */
Test(summary, rows_are_the_last_rows_of_full_runs_read_from_files, .init = make_dir,
     .fini = remove_dir)
{
    lsc_experiment *x = make(KV), *y = make(KV);
    lsc_error err = {0};
    char pt[600], ps[600];
    snprintf(pt, sizeof pt, "%s/t.tsv", dir);
    snprintf(ps, sizeof ps, "%s/s.tsv", dir);
    cr_assert_eq(lsc_experiment_write(x, pt, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_write_summary(y, ps, &err), LSC_OK, "%s", err.msg);
    lsc_trajectory t;
    lsc_summary s;
    cr_assert_eq(lsc_trajectory_read(&t, pt, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_summary_read(&s, ps, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(s.nrows, t.nruns);
    int kinds[4] = {0}; /* converged, moved away, escaped, never escaped */
    for (int i = 0; i < t.nruns; i++) {
        const lsc_run_record *r = &t.runs[i];
        const lsc_run_summary *w = &s.rows[i];
        const size_t k = r->len - 1;
        cr_assert_eq(w->run, i);
        cr_assert_str_eq(w->label, r->label);
        cr_assert_eq(w->status, r->status);
        cr_assert_str_eq(w->reason, r->reason);
        cr_assert_eq(w->step, r->step[k]);
        cr_assert(w->loss == r->loss[k] && w->grad_norm == r->grad_norm[k], "run %d", i);
        cr_assert_eq(w->stop_step[0], r->status == LSC_STOP_CONVERGED ? r->step[k] : -1);
        cr_assert_eq(w->stop_step[2], r->status == LSC_STOP_DIST ? r->step[k] : -1);
        cr_assert_eq(w->escape, r->escape > 0 ? r->escape : -1, "run %d", i);
        kinds[0] += r->status == LSC_STOP_CONVERGED;
        kinds[1] += r->status == LSC_STOP_DIST;
        kinds[2] += r->escape > 0;
        kinds[3] += r->escape == 0;
    }
    cr_assert(kinds[0] && kinds[1] && kinds[2] && kinds[3],
              "converged %d, moved %d, escaped %d, not %d", kinds[0], kinds[1], kinds[2],
              kinds[3]);
    lsc_trajectory_free(&t);
    lsc_summary_free(&s);
    lsc_experiment_free(x);
    lsc_experiment_free(y);
}

/* A minimal valid file, and edits of it that must each be refused. */
#define HEAD "# losscape summary v1\n# dim: 2\n# runs: 2\n# optimizer 0: gd\n" \
             "# optimizer 1: adam\n" LSC_SUMMARY_COLUMNS "\n"
#define ROW0 "0\t0\tgd#0\t0\t5\tmax-steps\t0.5\t1e-3\t\t\t\t3\treached the step budget\n"

Test(summary, hostile_input_is_refused_with_one_line, .init = make_dir, .fini = remove_dir)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"", "empty"},
        {"# losscape trajectory v1\n", "first line"},
        {"# losscape summary v1\n# dim: 2\n# optimizer 0: gd\n" LSC_SUMMARY_COLUMNS "\n",
         "lacks '# runs: K'"},
        {"# losscape summary v1\n# dim: 2\n# runs: 2\n", "ends before the column row"},
        {"# losscape summary v1\n# dim: 0\n", "dim: '0'"},
        {"# losscape summary v1\n# runs: 1e3\n", "runs: '1e3'"},
        {"# losscape summary v1\n# runs: 99999999999999999999999\n", "not a count"},
        {"# losscape summary v1\n# optimizer 1: gd\n", "expected optimizer 0"},
        {"# losscape summary v1\n# optimizer 0: gd\n# optimizer 0: gd\n", "expected optimizer 1"},
        {"# losscape summary v1\n# optimizer 00: gd\n", "expected optimizer 0"},
        {"# losscape summary v1\n# dim: 2\n# dim: 2\n", "a second"},
        {HEAD "run\n", "1 cells, expected 13"},
        {HEAD ROW0 "1\t0\tgd#1\t1\t5\tmax-steps\t0.5\t1\t\t\t\t\tr\textra\n", "more than 13"},
        {HEAD "0\t0\tgd#0\t1\t5\tmax-steps\t0.5\t1\t\t\t\t\tr\n", "run = optimizer"},
        {HEAD "4\t2\tgd#0\t0\t5\tmax-steps\t0.5\t1\t\t\t\t\tr\n", "run 4 is not"},
        {HEAD "0\t0\tgd#0\t2\t5\tmax-steps\t0.5\t1\t\t\t\t\tr\n", "is not optimizer"},
        {HEAD ROW0 ROW0, "run 0 after run 0"},
        {HEAD "-1\t0\tgd#0\t0\t5\tmax-steps\t0.5\t1\t\t\t\t\tr\n", "must be counts"},
        {HEAD "0\t0\tgd#0\t0\t+5\tmax-steps\t0.5\t1\t\t\t\t\tr\n", "step: '+5'"},
        {HEAD "0\t0\tgd#0\t0\t5\tfinished\t0.5\t1\t\t\t\t\tr\n", "status: 'finished'"},
        {HEAD "0\t0\tgd#0\t0\t5\tmax-steps\t0x1\t1\t\t\t\t\tr\n", "must be numbers"},
        {HEAD "0\t0\tgd#0\t0\t5\tmax-steps\t0.5\tNaN\t\t\t\t\tr\n", "must be numbers"},
        {HEAD "0\t0\tgd#0\t0\t5\tmax-steps\t0.5\t1\t-3\t\t\t\tr\n", "stop_grad_step: '-3'"},
        {HEAD "0\t0\tgd#0\t0\t5\tmax-steps\t0.5\t1\t\t\t\t 4\tr\n", "escape_step: ' 4'"},
        {HEAD "0\t0\tgd#0\t0\t5\tmax-steps\t0.5\t1\t\t\t\t99999999999999999999\tr\n",
         "escape_step"},
        {HEAD "0\t0\tgd#0_567890123456789012345678901234567890123456789012345678901234"
              "\t0\t5\tmax-steps\t0.5\t1\t\t\t\t\tr\n", "label longer than 63"},
        {HEAD ROW0 "# dim: 3\n", "after the column row"},
        {HEAD ROW0 "\n", "1 cells"},
        {"# losscape summary v1\n# dim: 2\n# runs: 2\n# optimizer 0: gd\nrun\toptimizer\n",
         "not the summary's column row"},
    };
    char p[600];
    snprintf(p, sizeof p, "%s/bad.tsv", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spit(p, cases[i].text);
        lsc_summary s;
        lsc_error err = {0};
        cr_assert_eq(lsc_summary_read(&s, p, &err), LSC_EINVAL, "case %zu accepted", i);
        cr_assert_not_null(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
        cr_assert_null(strchr(err.msg, '\n'), "case %zu: %s", i, err.msg);
        cr_assert(!strncmp(err.msg, p, strlen(p)), "case %zu names the file: %s", i, err.msg);
        lsc_summary_free(&s);
    }
    /* the minimal file itself reads, with nan and inf values and a part file's gap */
    spit(p, HEAD ROW0 "3\t1\tadam#1\t1\t-1\tdiverged\tnan\t-inf\t\t\t\t\tnot finite\n");
    lsc_summary s;
    lsc_error err = {0};
    cr_assert_eq(lsc_summary_read(&s, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(s.nrows, 2);
    cr_assert_eq(s.rows[0].escape, 3);
    cr_assert_eq(s.rows[0].stop_step[0], -1);
    cr_assert(isnan(s.rows[1].loss) && isinf(s.rows[1].grad_norm) && s.rows[1].step == -1);
    lsc_summary_free(&s);
}

/* Limits: a line over 64 KiB, a NUL byte, a directory, a missing file. */
Test(summary, limits_and_files, .init = make_dir, .fini = remove_dir)
{
    char p[600];
    snprintf(p, sizeof p, "%s/long.tsv", dir);
    FILE *fp = fopen(p, "wb");
    fputs("# losscape summary v1\n# x: ", fp);
    for (int i = 0; i < LSC_SUMMARY_MAX_LINE; i++)
        fputc('a', fp);
    fclose(fp);
    lsc_summary s;
    lsc_error err = {0};
    cr_assert_eq(lsc_summary_read(&s, p, &err), LSC_EINVAL);
    cr_assert_not_null(strstr(err.msg, ":2: line longer than 65536 bytes"), "%s", err.msg);
    lsc_summary_free(&s);
    fp = fopen(p, "wb");
    fwrite("# losscape summary v1\n#\0\n", 1, 25, fp);
    fclose(fp);
    cr_assert_eq(lsc_summary_read(&s, p, &err), LSC_EINVAL);
    cr_assert_not_null(strstr(err.msg, "NUL byte"), "%s", err.msg);
    lsc_summary_free(&s);
    cr_assert_eq(lsc_summary_read(&s, dir, &err), LSC_EINVAL);
    cr_assert_not_null(strstr(err.msg, "directory"), "%s", err.msg);
    snprintf(p, sizeof p, "%s/none.tsv", dir);
    cr_assert_eq(lsc_summary_read(&s, p, &err), LSC_EINVAL);
    cr_assert_not_null(strstr(err.msg, "cannot read"), "%s", err.msg);
    lsc_summary_free(&s);
}
