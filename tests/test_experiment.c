/* test_experiment.c — the experiment layer: one object built from C calls, the same bytes
 * as `losscape run`, groups of runs, independent runs, starts and how they are described,
 * and the one table of driver options shared by the command line and recipes */
#include <criterion/criterion.h>
#include <dirent.h>
#include <float.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "experiment.h"
#include "recipe.h"

/* ---- fixtures ------------------------------------------------------------------------ */

#include "scratch_dir.h" /* dir, make_dir, remove_dir */

static void path_in(char *p, size_t len, const char *name)
{
    snprintf(p, len, "%s/%s", dir, name);
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

/* The losscape executable of this build (build/tests/.. /src/cli/losscape). */
static const char *exe(void)
{
    static char path[1100];
    char self[1024];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(k, 0);
    self[k] = '\0';
    snprintf(path, sizeof path, "%s/../src/cli/losscape", dirname(self));
    cr_assert_eq(access(path, X_OK), 0, "no executable at %s", path);
    return path;
}

/* Run losscape with args (NULL-terminated), stdout and stderr to files in dir; returns the
 * exit status, and stderr's text in *errtext if not NULL (free it). */
static int losscape(const char *const *args, char **errtext)
{
    char out[128], errp[128];
    path_in(out, sizeof out, "stdout.txt");
    path_in(errp, sizeof errp, "stderr.txt");
    pid_t pid = fork();
    if (pid == 0) {
        freopen(out, "w", stdout);
        freopen(errp, "w", stderr);
        const char *argv[64] = {exe()};
        int k = 1;
        for (; args[k - 1] && k < 63; k++)
            argv[k] = args[k - 1];
        argv[k] = NULL;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    if (errtext)
        *errtext = slurp(errp, NULL);
    unlink(out);
    unlink(errp);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static lsc_experiment *make(const char *const *kv)
{
    lsc_experiment *x = lsc_experiment_new();
    cr_assert_not_null(x);
    lsc_error err = {0};
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_experiment_set(x, kv[k], kv[k + 1], &err), LSC_OK, "%s = %s: %s",
                     kv[k], kv[k + 1], err.msg);
    return x;
}

/* ---- the same bytes as `losscape run` ------------------------------------------------- */

/* An experiment from C calls against `losscape run` with the same options (the flags are
 * the keys with -- and '-' for '_'). */
static void same_as_cli(const char *const *kv)
{
    char a[128], b[128];
    path_in(a, sizeof a, "c.tsv");
    path_in(b, sizeof b, "cli.tsv");
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_write(x, a, &err), LSC_OK, "%s", err.msg);
    lsc_experiment_free(x);

    static char flags[40][64];
    const char *args[64] = {"run"};
    int n = 1;
    for (int k = 0; kv[k]; k += 2) {
        if (!strcmp(kv[k], "start") && !strcmp(kv[k + 1], "random")) {
            args[n++] = "--start-random";
            continue;
        }
        snprintf(flags[k], sizeof flags[k], "--%s", kv[k]);
        for (char *p = flags[k]; *p; p++)
            *p = *p == '_' ? '-' : *p;
        args[n++] = flags[k];
        args[n++] = kv[k + 1];
    }
    args[n++] = "--quiet";
    args[n++] = "--out";
    args[n++] = b;
    args[n] = NULL;
    char *msg;
    cr_assert_eq(losscape(args, &msg), 0, "%s", msg);
    free(msg);
    size_t na, nb;
    char *ta = slurp(a, &na), *tb = slurp(b, &nb);
    cr_assert_eq(na, nb, "%zu bytes from C, %zu from losscape run", na, nb);
    cr_assert_str_eq(ta, tb);
    free(ta);
    free(tb);
}

Test(experiment, from_c_calls_writes_what_losscape_run_writes, .init = make_dir,
     .fini = remove_dir)
{
    const char *race[] = {"landscape", "rosenbrock", "optimizer", "adam:lr=0.01",
                          "optimizer", "sgd:lr=0.001,momentum=0.9,label=heavy ball",
                          "start", "-1.5,2", "steps", "200", "every", "7", NULL};
    same_as_cli(race);
    const char *noisy[] = {"landscape", "himmelblau", "optimizer", "sgd:lr=0.01", "noise",
                           "0.5", "seed", "42", "clip_norm", "3", "clip_value", "0.25",
                           "schedule", "cosine:T_max=50", "steps", "60", "stop_grad", "1e-3",
                           NULL};
    same_as_cli(noisy);
    const char *nd[] = {"landscape", "rosenbrock", "dim", "100", "start", "random",
                        "optimizer", "adam:lr=0.01", "steps", "30", "positions", "first:3",
                        NULL};
    same_as_cli(nd);
    const char *dflt[] = {"landscape", "quadratic-spectrum:cond=10", "dim", "50", "optimizer",
                          "gd:lr=0.1", "steps", "20", NULL};
    same_as_cli(dflt);
    const char *stops[] = {"landscape", "saddle", "start", "0.5,0.01", "optimizer", "gd:lr=0.1",
                           "optimizer", "adam:lr=0.1", "stop_loss", "-0.125", "stop_dist",
                           "1.5", "steps", "500", "every", "9", NULL};
    same_as_cli(stops);
}

/* ---- stop conditions ------------------------------------------------------------------- */

/* GD on the strict saddle f = 1/2 (x^2 - y^2) from (0, y0): x stays 0 and
 * y_k = y0 (1 + lr)^k, so f_k = -1/2 y_k^2 and |x_k - x_0| = y0 ((1 + lr)^k - 1):
 *   f_k <= F          first at k = ceil(ln(-2F / y0^2) / (2 ln(1 + lr)))
 *   |x_k - x0| >= R   first at k = ceil(ln(1 + R / y0) / ln(1 + lr))
 * the "steps to escape" of the issue, in one flag. */
static long saddle_stop(const char *key, const char *value, lsc_stop want, char *reason)
{
    const char *kv[] = {"landscape", "saddle", "start", "0,0.001", "optimizer", "gd:lr=0.1",
                        "steps", "1000", "every", "50", key, value, NULL};
    lsc_experiment *x = make(kv);
    lsc_trajectory t;
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(r->status, want, "%s", r->reason);
    long k = r->step[r->len - 1];
    snprintf(reason, 256, "%s", r->reason);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    return k;
}

Test(stop, gd_leaves_a_saddle_at_the_closed_form_step)
{
    const double y0 = 1e-3, lr = 0.1;
    char reason[256], want[64];
    /* ln(1001) / ln(1.1) = 72.49 */
    long k = saddle_stop("stop_dist", "1", LSC_STOP_DIST, reason);
    cr_assert_eq(k, (long)ceil(log(1 + 1 / y0) / log(1 + lr)), "%s", reason);
    snprintf(want, sizeof want, ">= 1 after step %ld", k);
    cr_assert(strstr(reason, want), "%s", reason);
    /* ln(2 * 0.5 / 1e-6) / (2 ln 1.1) = 72.48 */
    k = saddle_stop("stop_loss", "-0.5", LSC_STOP_LOSS, reason);
    cr_assert_eq(k, (long)ceil(log(-2 * -0.5 / (y0 * y0)) / (2 * log(1 + lr))), "%s", reason);
    snprintf(want, sizeof want, "<= -0.5 after step %ld", k);
    cr_assert(strstr(reason, want), "%s", reason);
    /* off: the whole budget (f = -1/2 (1e-3 1.1^1000)^2 = -3e82 is still finite) */
    k = saddle_stop("stop_loss", "off", LSC_STOP_MAX_STEPS, reason);
    cr_assert_eq(k, 1000);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* ---- the one table of driver options --------------------------------------------------- */

/* A value through the command line: 0 when the flag took it (the run then fails on a
 * landscape that does not exist, so nothing runs), 2 when it refused it (naming the flag). */
static int cli_takes(const char *flag, const char *value)
{
    const char *args[] = {"run", "--landscape", "nosuch", "--optimizer", "adam", flag, value,
                          "--out", "/dev/null", NULL};
    char *msg;
    int st = losscape(args, &msg);
    cr_assert_eq(st, 2, "%s %s: status %d", flag, value, st);
    int took = strstr(msg, "--landscape: unknown landscape 'nosuch'") != NULL;
    if (!took)
        cr_assert(strstr(msg, flag), "%s %s: the message does not name the flag: %s", flag,
                  value, msg);
    free(msg);
    return took ? 0 : 2;
}

/* A value through a recipe: 0 when [run] took it, 2 when refused (naming file:line: key). */
static int recipe_takes(const char *key, const char *value)
{
    char p[128], text[512], want[160];
    path_in(p, sizeof p, "r.ini");
    snprintf(text, sizeof text, "[run]\nlandscape = himmelblau\noptimizer = adam\n%s = %s\n"
             "[figure a]\nkind = contour\nout = a.png\n", key, value);
    write_text(p, text);
    lsc_error err = {0};
    lsc_recipe *r = lsc_recipe_read(p, &err);
    lsc_recipe_free(r);
    if (r)
        return 0;
    snprintf(want, sizeof want, "r.ini:4: %s: '%s' is not allowed", key, value);
    cr_assert(strstr(err.msg, want), "%s = %s: '%s' lacks '%s'", key, value, err.msg, want);
    return 2;
}

/* Every row of the table is a flag of `losscape run` (listed by --help) and a recipe key,
 * and both take exactly the values of the row's range. */
Test(table, every_option_is_a_flag_and_a_recipe_key_with_the_same_range, .init = make_dir,
     .fini = remove_dir)
{
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        char flag[64], in[64], below[64], above[64], lo[64], hi[64];
        snprintf(flag, sizeof flag, "--%s", o->name);
        for (char *q = flag; *q; q++)
            *q = *q == '_' ? '-' : *q;
        cr_assert_eq(lsc_experiment_key(o->name), o->group > 0 ? 2 : 1, "%s", o->name);
        /* in range: the table's default, else a typical value */
        snprintf(in, sizeof in, "%s", o->def && o->def[0] ? o->def : "all");
        if (o->type == LSC_DRIVER_SPEC)
            snprintf(in, sizeof in, "cosine:T_max=10");
        if (o->type == LSC_DRIVER_SWITCH) { /* a flag without a value; a key on | off */
            cr_assert_eq(cli_takes(flag, "--quiet"), 0, "%s refused", flag);
            cr_assert_eq(recipe_takes(o->name, "on"), 0, "%s = on refused", o->name);
            cr_assert_eq(recipe_takes(o->name, "off"), 0, "%s = off refused", o->name);
            cr_assert_eq(recipe_takes(o->name, "yes"), 2, "%s = yes taken", o->name);
            continue;
        }
        cr_assert_eq(cli_takes(flag, in), 0, "%s %s refused", flag, in);
        cr_assert_eq(recipe_takes(o->name, in), 0, "%s = %s refused", o->name, in);
        switch (o->type) {
        case LSC_DRIVER_REAL:
            /* an unbounded range (stop_loss): the largest finite numbers, and the
             * infinities beyond them */
            lsc_fmt_double(lo, isinf(o->lo) ? -DBL_MAX : o->lo);
            lsc_fmt_double(hi, isinf(o->hi) ? DBL_MAX : o->hi);
            lsc_fmt_double(below, (o->flags & LSC_DRIVER_LO_OPEN) ? o->lo
                                                                  : nextafter(o->lo, -INFINITY));
            lsc_fmt_double(above, nextafter(o->hi, INFINITY));
            if (isinf(o->lo))
                snprintf(below, sizeof below, "-inf");
            break;
        case LSC_DRIVER_COUNT:
            snprintf(lo, sizeof lo, "%ld", (long)o->lo);
            snprintf(hi, sizeof hi, "%ld", (long)o->hi);
            snprintf(below, sizeof below, "%ld", (long)o->lo - 1);
            snprintf(above, sizeof above, "%ld", (long)o->hi + 1);
            break;
        case LSC_DRIVER_SEED:
            snprintf(lo, sizeof lo, "0");
            snprintf(hi, sizeof hi, "18446744073709551615");
            snprintf(below, sizeof below, "-1");
            snprintf(above, sizeof above, "18446744073709551616");
            break;
        case LSC_DRIVER_POSITIONS:
            snprintf(lo, sizeof lo, "first:1");
            snprintf(hi, sizeof hi, "first:%d", LSC_MAX_DIM);
            snprintf(below, sizeof below, "first:0");
            snprintf(above, sizeof above, "first:%d", LSC_MAX_DIM + 1);
            break;
        case LSC_DRIVER_BOX:
            /* a small range and the widest (HI - LO finite); an empty range and an
             * infinite end */
            snprintf(lo, sizeof lo, "-1:1");
            snprintf(hi, sizeof hi, "-8e307:8e307");
            snprintf(below, sizeof below, "1:1");
            snprintf(above, sizeof above, "0:inf");
            break;
        case LSC_DRIVER_SPEC:
            continue; /* a spec: its own grammar, checked where it is used */
        case LSC_DRIVER_CHOICE: /* the first and last words; a word not among them */
            snprintf(lo, sizeof lo, "%.*s", (int)strcspn(o->choices, "|"), o->choices);
            snprintf(hi, sizeof hi, "%s", strrchr(o->choices, '|') + 1);
            snprintf(below, sizeof below, "nosuch");
            snprintf(above, sizeof above, "%.20s|", lo);
            break;
        case LSC_DRIVER_SWITCH:
            continue; /* above */
        }
        const char *vals[4] = {lo, hi, below, above};
        for (int v = 0; v < 4; v++) {
            int want = v < 2 ? 0 : 2;
            if (v == 0 && (o->flags & LSC_DRIVER_LO_OPEN))
                want = 2; /* an open lower bound */
            cr_assert_eq(cli_takes(flag, vals[v]), want, "%s %s", flag, vals[v]);
            cr_assert_eq(recipe_takes(o->name, vals[v]), want, "%s = %s", o->name, vals[v]);
        }
    }
}

Test(table, run_help_lists_every_option_with_its_help, .init = make_dir, .fini = remove_dir)
{
    const char *args[] = {"run", "--help", NULL};
    char out[128];
    path_in(out, sizeof out, "stdout.txt");
    /* losscape() removes its captures: run it by hand to keep stdout */
    pid_t pid = fork();
    if (pid == 0) {
        freopen(out, "w", stdout);
        execl(exe(), exe(), args[0], args[1], (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    char *text = slurp(out, NULL);
    for (int k = 0; k < lsc_driver_noptions; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        char line[640];
        char flag[64];
        snprintf(flag, sizeof flag, "--%s", o->name);
        for (char *q = flag; *q; q++)
            *q = *q == '_' ? '-' : *q;
        snprintf(line, sizeof line, "  %-16s %-7s %s\n", flag, o->metavar, o->help);
        cr_assert(strstr(text, line), "--help lacks '%s'", line);
    }
    free(text);
}

/* ---- groups, independent runs --------------------------------------------------------- */

Test(experiment, a_group_has_its_own_options_and_the_file_says_so)
{
    const char *kv[] = {"landscape", "himmelblau", "optimizer", "sgd:lr=0.01,label=base",
                        "noise", "0.1", "steps", "20", NULL};
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    int g = lsc_experiment_group(x, "clipped", &err);
    cr_assert_eq(g, 1, "%s", err.msg);
    cr_assert_eq(lsc_experiment_set_in(x, g, "optimizer", "sgd:lr=0.01,label=c", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set_in(x, g, "clip_norm", "0.5", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set_in(x, g, "schedule", "step:step_size=5", &err), LSC_OK);
    /* steps is the whole experiment's */
    cr_assert_eq(lsc_experiment_set_in(x, g, "steps", "5", &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "steps: set for the whole experiment"), "%s", err.msg);
    char buf[64];
    cr_assert_eq(lsc_experiment_get(x, g, "noise", buf, sizeof buf), LSC_OK);
    cr_assert_str_eq(buf, "0.1"); /* inherited */
    cr_assert(!lsc_experiment_is_set(x, g, "noise") && lsc_experiment_is_set(x, g, "clip_norm"));
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(t.nruns, 2);
    cr_assert_eq(t.clip_norm, 0);
    cr_assert_eq(t.runs[0].clip_norm, 0);
    cr_assert_eq(t.runs[1].clip_norm, 0.5);
    cr_assert_eq(t.runs[1].noise, 0.1);
    cr_assert_str_eq(t.runs[0].schedule, "constant");
    cr_assert(!strncmp(t.runs[1].schedule, "step:step_size=5", 16), "%s", t.runs[1].schedule);
    cr_assert_eq(t.runs[0].len, 21);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* `run --group NAME` makes the groups a recipe's [run NAME] sections make: the same
 * experiment, so the same bytes, whether from the command line, a recipe or C calls. */
Test(experiment, run_groups_are_a_recipes_run_sections, .init = make_dir, .fini = remove_dir)
{
    char cli[128], rec[128], ini[128], c[128];
    path_in(cli, sizeof cli, "cli.tsv");
    path_in(rec, sizeof rec, "recipe.tsv");
    path_in(ini, sizeof ini, "r.ini");
    path_in(c, sizeof c, "c.tsv");
    const char *args[] = {"run", "--landscape", "quadratic", "--steps", "40", "--noise", "0.5",
                          "--seed", "9", "--every", "3", "--optimizer", "sgd:lr=0.1,label=constant",
                          "--optimizer", "adam:lr=0.05", "--group", "cosine", "--optimizer",
                          "sgd:lr=0.1,label=cosine", "--schedule", "cosine:T_max=40", "--group",
                          "clean", "--noise", "0", "--clip-norm", "2", "--optimizer",
                          "sgd:lr=0.1,label=clean", "--clip-value", "0.5", "--quiet", "--out",
                          cli, NULL};
    char *msg;
    cr_assert_eq(losscape(args, &msg), 0, "%s", msg);
    free(msg);
    write_text(ini, "[run]\nlandscape = quadratic\nsteps = 40\nnoise = 0.5\nseed = 9\n"
                    "every = 3\noptimizer = sgd:lr=0.1,label=constant\n"
                    "optimizer = adam:lr=0.05\n[run cosine]\noptimizer = sgd:lr=0.1,label=cosine\n"
                    "schedule = cosine:T_max=40\n[run clean]\nnoise = 0\nclip_norm = 2\n"
                    "optimizer = sgd:lr=0.1,label=clean\nclip_value = 0.5\n"
                    "[figure a]\nkind = curves\nout = a.png\n");
    lsc_error err = {0};
    lsc_recipe *r = lsc_recipe_read(ini, &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(lsc_experiment_write(r->experiment, rec, &err), LSC_OK, "%s", err.msg);
    lsc_recipe_free(r);
    /* from C calls */
    const char *kv[] = {"landscape", "quadratic", "steps", "40", "noise", "0.5", "seed", "9",
                        "every", "3", "optimizer", "sgd:lr=0.1,label=constant", "optimizer",
                        "adam:lr=0.05", NULL};
    lsc_experiment *x = make(kv);
    int g = lsc_experiment_group(x, "cosine", &err);
    cr_assert_eq(lsc_experiment_set_in(x, g, "optimizer", "sgd:lr=0.1,label=cosine", &err), 0);
    cr_assert_eq(lsc_experiment_set_in(x, g, "schedule", "cosine:T_max=40", &err), 0);
    g = lsc_experiment_group(x, "clean", &err);
    cr_assert_eq(lsc_experiment_set_in(x, g, "noise", "0", &err), 0);
    cr_assert_eq(lsc_experiment_set_in(x, g, "clip_norm", "2", &err), 0);
    cr_assert_eq(lsc_experiment_set_in(x, g, "optimizer", "sgd:lr=0.1,label=clean", &err), 0);
    cr_assert_eq(lsc_experiment_set_in(x, g, "clip_value", "0.5", &err), 0);
    cr_assert_eq(lsc_experiment_write(x, c, &err), LSC_OK, "%s", err.msg);
    lsc_experiment_free(x);
    char *a = slurp(cli, NULL), *b = slurp(rec, NULL), *d = slurp(c, NULL);
    cr_assert_str_eq(a, b, "run --group and the recipe differ");
    cr_assert_str_eq(a, d, "run --group and C calls differ");
    /* each group's own values, and group 0's noise inherited by the cosine group */
    cr_assert(strstr(a, "\n# run 2 schedule: cosine:T_max=40,eta_min=0\n"), "%s", a);
    cr_assert_null(strstr(a, "# run 2 noise:"), "%s", a);
    cr_assert(strstr(a, "\n# run 3 noise: 0\n# run 3 clip_norm: 2\n# run 3 clip_value: 0.5\n"),
              "%s", a);
    free(a);
    free(b);
    free(d);
}

/* Run i depends on nothing but its own optimizer, options and lsc_rng_for_run(seed, i):
 * changing run 0 leaves run 1's rows as they were. */
Test(experiment, runs_share_no_state)
{
    const char *a[] = {"landscape", "rosenbrock", "optimizer", "adam:lr=0.01", "optimizer",
                       "sgd:lr=0.001", "noise", "0.3", "schedule",
                       "plateau:patience=2,factor=0.5", "steps", "40", NULL};
    const char *b[] = {"landscape", "rosenbrock", "optimizer", "rmsprop:lr=0.05", "optimizer",
                       "sgd:lr=0.001", "noise", "0.3", "schedule",
                       "plateau:patience=2,factor=0.5", "steps", "40", NULL};
    lsc_trajectory t[2];
    lsc_error err = {0};
    for (int k = 0; k < 2; k++) {
        lsc_experiment *x = make(k ? b : a);
        cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(lsc_experiment_trajectory(x, &t[k], &err), LSC_OK);
        cr_assert_eq(lsc_experiment_run(x, &t[k], NULL, NULL, &err), LSC_OK, "%s", err.msg);
        lsc_experiment_free(x);
    }
    cr_assert_neq(t[0].runs[0].loss[40], t[1].runs[0].loss[40]);
    cr_assert_eq(t[0].runs[1].len, t[1].runs[1].len);
    cr_assert_eq(memcmp(t[0].runs[1].x, t[1].runs[1].x, t[0].runs[1].len * 2 * sizeof(double)),
                 0);
    cr_assert_eq(memcmp(t[0].runs[1].lr, t[1].runs[1].lr, t[0].runs[1].len * sizeof(double)),
                 0);
    lsc_trajectory_free(&t[0]);
    lsc_trajectory_free(&t[1]);
}

/* The recorders see the same rows: in memory, the last row only, and the file. */
Test(experiment, recorders_agree, .init = make_dir, .fini = remove_dir)
{
    const char *kv[] = {"landscape", "beale", "optimizer", "adam:lr=0.05", "optimizer",
                        "rmsprop:lr=0.01", "steps", "50", "every", "3", NULL};
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    lsc_trajectory mem, last, file;
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_trajectory(x, &mem, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_trajectory(x, &last, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_run(x, &mem, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_run(x, &last, lsc_trajectory_last_row, &last, &err), LSC_OK);
    char p[128];
    path_in(p, sizeof p, "t.tsv");
    cr_assert_eq(lsc_experiment_write(x, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_read(&file, p, &err), LSC_OK, "%s", err.msg);
    for (int i = 0; i < 2; i++) {
        const lsc_run_record *m = &mem.runs[i], *f = &file.runs[i];
        cr_assert_eq(m->len, 50 / 3 + 2);
        cr_assert_eq(f->len, m->len);
        cr_assert_eq(last.runs[i].len, 1);
        cr_assert_eq(last.runs[i].loss[0], m->loss[m->len - 1]);
        for (size_t k = 0; k < m->len; k++)
            cr_assert(m->loss[k] == f->loss[k] && m->x[2 * k] == f->x[2 * k]);
    }
    lsc_trajectory_free(&mem);
    lsc_trajectory_free(&last);
    lsc_trajectory_free(&file);
    lsc_experiment_free(x);
}

/* A landscape the caller made stays the caller's. */
Test(experiment, uses_a_landscape_the_caller_owns)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock:b=10", 0, "landscape", &err);
    cr_assert_not_null(L);
    lsc_experiment *x = lsc_experiment_new();
    cr_assert_eq(lsc_experiment_use_landscape(x, L, &err), LSC_OK);
    const double x0[2] = {-1, 1};
    cr_assert_eq(lsc_experiment_set_start(x, x0, 2, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "optimizer", "adam:lr=0.1", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set_real(x, 0, "steps", 10, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "dim", "3", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "dim: 3 given"), "%s", err.msg);
    cr_assert_eq(lsc_experiment_set(x, "dim", "2", &err), LSC_OK);
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_landscape(x), L);
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    cr_assert_str_eq(t.landscape, "rosenbrock:a=1,b=10");
    cr_assert_eq(t.runs[0].start[0], -1);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    cr_assert_float_eq(lsc_landscape_f(L, x0), 4 + 0, 1e-12); /* (1-x)^2 + b (y - x^2)^2 */
    lsc_landscape_free(L);
}

/* ---- errors name the key (and which run), never a flag ------------------------------- */

Test(experiment, errors_name_the_key_and_never_a_flag)
{
    static const struct {
        const char *key, *value, *want;
        int at_prepare, index;
    } cases[] = {
        {"steps", "ten", "steps: 'ten' is not allowed (expected an integer from 0 to", 0, 0},
        {"noise", "1e300", "noise: '1e300' is not allowed", 0, 0},
        {"clip_norm", "0", "clip_norm: '0' is not allowed", 0, 0},
        {"seed", "-3", "seed: '-3' is not allowed", 0, 0},
        {"dim", "0", "dim: '0' is not allowed", 0, 0},
        {"positions", "first:1e12", "positions: 'first:1e12' is not allowed", 0, 0},
        {"start", "standard:x", "start: 'standard:x' is not allowed", 0, 0},
        {"stpes", "5", "unknown key 'stpes' (did you mean 'steps'?)", 0, 0},
        {"positions", "first:3", "positions: 'first:3' is not allowed (expected all, none or "
                                 "first:K with K from 1 to 2", 1, 0},
        {"start", "1,2,3", "start: 3 coordinates given, landscape 'himmelblau' has dimension 2",
         1, 0},
        {"start", "1,x", "start: '1,x' is not allowed (expected 2 numbers", 1, 0},
        {"start", "standard:9", "start: 'standard:9' is not allowed (landscape 'himmelblau' has",
         1, 0},
        {"start", "file:/nonexistent/s.txt", "start: cannot read '/nonexistent/s.txt'", 1, 0},
        {"start", "-1,1", "start: the start point is outside the domain", 1, 0},
        {"schedule", "cosin", "schedule: unknown schedule 'cosin'", 1, 0},
        {"optimizer", "adma", "optimizer: unknown optimizer 'adma'", 1, 1},
        {"box", "2:1", "box: '2:1' is not allowed (range 1 is [2, 1]", 0, 0},
        {"box", "0:1,0:1,0:1", "box: '0:1,0:1,0:1' is not allowed (3 ranges for a landscape "
                               "of dimension 2", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lsc_experiment *x = lsc_experiment_new();
        lsc_error err = {0};
        const int domain = !strcmp(cases[i].value, "-1,1");
        lsc_experiment_set(x, "landscape", domain ? "expr:log(x)+y^2" : "himmelblau", &err);
        lsc_experiment_set(x, "optimizer", "adam", &err);
        int rc = lsc_experiment_set(x, cases[i].key, cases[i].value, &err);
        if (cases[i].at_prepare) {
            cr_assert_eq(rc, LSC_OK, "case %zu: %s", i, err.msg);
            rc = lsc_experiment_prepare(x, &err);
        }
        cr_assert_eq(rc, LSC_EINVAL, "case %zu (%s = %s) accepted", i, cases[i].key,
                     cases[i].value);
        cr_assert(strstr(err.msg, cases[i].want), "case %zu: '%s' lacks '%s'", i, err.msg,
                  cases[i].want);
        cr_assert_null(strstr(err.msg, "--"), "case %zu names a flag: %s", i, err.msg);
        int index;
        const char *key = lsc_experiment_error_key(x, &index);
        if (strncmp(cases[i].want, "unknown", 7)) {
            cr_assert_str_eq(key, cases[i].key, "case %zu", i);
            cr_assert_eq(index, cases[i].index, "case %zu", i);
        }
        lsc_experiment_free(x);
    }
}

/* ---- starts, and how a trajectory of more than 64 dimensions describes them ---------- */

/* The file of x written and read back; its text in *text (free it) if not NULL. */
static void write_read(lsc_experiment *x, const char *name, lsc_trajectory *u, char **text)
{
    char p[128];
    path_in(p, sizeof p, name);
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_write(x, p, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_trajectory_read(u, p, &err), LSC_OK, "%s", err.msg);
    if (text)
        *text = slurp(p, NULL);
}

/* The box key: random starts in it, expr's critical points searched in it (the minimum
 * at (7, 0), outside the default [-5, 5]^2), written as '# box:'
 * and read back (test_plot.c: a plot of the file draws it). Without it: 'default'. */
Test(experiment, the_box_key_reaches_starts_critical_points_and_the_file,
     .init = make_dir, .fini = remove_dir)
{
    lsc_error err = {0};
    lsc_trajectory u;
    char *text;
    lsc_experiment *x = lsc_experiment_new();
    cr_assert_eq(lsc_experiment_set(x, "landscape", "expr:(x-7)^2+y^2", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "optimizer", "gd:lr=0.1", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "steps", "5", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "start", "random", &err), LSC_OK);
    write_read(x, "plain.tsv", &u, &text);
    cr_assert(strstr(text, "\n# box: default\n"), "%s", text);
    cr_assert_str_eq(u.box, "");
    cr_assert_eq(lsc_landscape_ncritical(lsc_experiment_landscape(x)), 0,
                 "no critical point in the default box");
    free(text);
    lsc_trajectory_free(&u);
    cr_assert_eq(lsc_experiment_set(x, "box", "6:10,-1:3", &err), LSC_OK, "%s", err.msg);
    write_read(x, "boxed.tsv", &u, &text);
    cr_assert(strstr(text, "\n# box: 6:10,-1:3\n"), "%s", text);
    cr_assert_str_eq(u.box, "6:10,-1:3");
    const double *x0 = lsc_run_record_start(&u, &u.runs[0]);
    cr_assert(x0[0] >= 6 && x0[0] <= 10 && x0[1] >= -1 && x0[1] <= 3, "start (%g, %g)", x0[0],
              x0[1]);
    /* the experiment's landscape has the box: its one minimum (7, 0) found there */
    const lsc_landscape *L0 = lsc_experiment_landscape(x);
    double cx[2];
    lsc_critical cp = {.x = cx};
    cr_assert_eq(lsc_landscape_ncritical(L0), 1);
    lsc_landscape_critical(L0, 0, &cp);
    cr_assert(cp.kind == LSC_CP_MIN && fabs(cx[0] - 7) < 1e-9 && fabs(cx[1]) < 1e-9);
    free(text);
    lsc_trajectory_free(&u);
    /* a landscape of the caller's is not changed: its box is the caller's to set */
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "landscape", &err);
    cr_assert_eq(lsc_experiment_use_landscape(x, L, &err), LSC_OK);
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL);
    cr_assert(strstr(err.msg, "box: ") == err.msg && strstr(err.msg, "lsc_landscape_set_box"),
              "%s", err.msg);
    cr_assert_str_eq(lsc_experiment_error_key(x, NULL), "box");
    lsc_experiment_free(x);
    lsc_landscape_free(L);
}

Test(start, above_64_dimensions_every_start_is_described_and_read_back, .init = make_dir,
     .fini = remove_dir)
{
    static const struct {
        const char *start, *line;
        lsc_start_kind kind;
    } cases[] = {
        {"random", "# run 0 start: random box, seed 5\n", LSC_START_RANDOM},
        {"standard", "# run 0 start: standard start 0\n", LSC_START_STANDARD},
        {NULL, "# run 0 start: standard start 0\n", LSC_START_STANDARD}, /* the default */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *kv[] = {"landscape", "sphere", "dim", "100", "optimizer", "adam", "steps",
                            "3", "seed", "5", cases[i].start ? "start" : NULL, cases[i].start,
                            NULL};
        lsc_experiment *x = make(kv);
        lsc_trajectory u;
        char *text;
        write_read(x, "t.tsv", &u, &text);
        cr_assert(strstr(text, cases[i].line), "case %zu: no '%s'", i, cases[i].line);
        cr_assert_null(u.runs[0].start);
        cr_assert_eq(u.runs[0].start_desc.kind, cases[i].kind);
        cr_assert_eq(lsc_experiment_start_desc(x)->kind, cases[i].kind);
        /* no positions, so the start is not in the rows either */
        cr_assert_null(lsc_run_record_start(&u, &u.runs[0]));
        free(text);
        lsc_trajectory_free(&u);
        lsc_experiment_free(x);
    }
}

/* save_start writes the numbers; start = file:PATH reads them back: the same runs, and a
 * description whose checksum is the numbers'. */
Test(start, a_saved_start_reads_back_to_the_same_runs, .init = make_dir, .fini = remove_dir)
{
    const char *kv[] = {"landscape", "rosenbrock", "dim", "80", "start", "random", "optimizer",
                        "adam:lr=0.01", "steps", "20", "positions", "all", NULL};
    lsc_experiment *x = make(kv);
    lsc_trajectory a, b;
    write_read(x, "a.tsv", &a, NULL);
    char sp[128], file[160];
    path_in(sp, sizeof sp, "s.txt");
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_save_start(x, sp, &err), LSC_OK, "%s", err.msg);
    const unsigned long long sum = lsc_start_checksum(lsc_experiment_start(x), 80);
    lsc_experiment_free(x);
    char *saved = slurp(sp, NULL);
    cr_assert(!strncmp(saved, "# losscape start v1\n# landscape: rosenbrock:a=1,b=100\n# dim: 80\n"
                              "# start: random box, seed 1\n", 83), "%s", saved);
    free(saved);

    snprintf(file, sizeof file, "file:%s", sp);
    const char *kv2[] = {"landscape", "rosenbrock", "dim", "80", "start", file, "optimizer",
                         "adam:lr=0.01", "steps", "20", "positions", "all", NULL};
    x = make(kv2);
    char *text;
    write_read(x, "b.tsv", &b, &text);
    char want[256];
    snprintf(want, sizeof want, "# run 0 start: file %s, fnv1a64 %016llx\n", sp, sum);
    cr_assert(strstr(text, want), "no '%s'", want);
    cr_assert_eq(b.runs[0].start_desc.kind, LSC_START_FILE);
    cr_assert_eq(b.runs[0].start_desc.checksum, sum);
    cr_assert_str_eq(b.runs[0].start_desc.path, sp);
    cr_assert_eq(a.runs[0].len, b.runs[0].len);
    cr_assert_eq(memcmp(a.runs[0].x, b.runs[0].x, a.runs[0].len * 80 * sizeof(double)), 0);
    /* positions all: the start is the first row, in both */
    cr_assert_eq(memcmp(lsc_run_record_start(&a, &a.runs[0]), lsc_experiment_start(x),
                        80 * sizeof(double)), 0);
    free(text);
    lsc_trajectory_free(&a);
    lsc_trajectory_free(&b);
    lsc_experiment_free(x);
}

Test(start, numbers_given_from_c_are_described_by_their_checksum, .init = make_dir,
     .fini = remove_dir)
{
    double x0[65];
    for (int j = 0; j < 65; j++)
        x0[j] = 0.25 * (j % 7) - 0.5;
    lsc_experiment *x = lsc_experiment_new();
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_set(x, "landscape", "sphere", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "dim", "65", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "optimizer", "gd", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set(x, "steps", "2", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set_start(x, x0, 65, &err), LSC_OK);
    lsc_trajectory u;
    char *text, want[96];
    write_read(x, "t.tsv", &u, &text);
    snprintf(want, sizeof want, "# run 0 start: given, fnv1a64 %016llx\n",
             lsc_start_checksum(x0, 65));
    cr_assert(strstr(text, want), "no '%s'", want);
    free(text);
    lsc_trajectory_free(&u);
    /* 64 dimensions: the numbers themselves, as always */
    cr_assert_eq(lsc_experiment_set(x, "dim", "64", &err), LSC_OK);
    cr_assert_eq(lsc_experiment_set_start(x, x0, 64, &err), LSC_OK);
    write_read(x, "t.tsv", &u, &text);
    cr_assert(strstr(text, "# run 0 start: -0.5,-0.25,0,0.25,"), "%s", text);
    cr_assert_not_null(u.runs[0].start);
    cr_assert_eq(u.runs[0].start[63], x0[63]);
    free(text);
    lsc_trajectory_free(&u);
    lsc_experiment_free(x);
}

/* The metadata does not grow with the dimension: 10^5 coordinates, a header of a few lines. */
Test(start, the_header_stays_small_in_high_dimension, .init = make_dir, .fini = remove_dir)
{
    const char *kv[] = {"landscape", "sphere", "dim", "100000", "start", "random", "optimizer",
                        "adam", "optimizer", "sgd", "steps", "2", NULL};
    lsc_experiment *x = make(kv);
    lsc_trajectory u;
    char *text;
    write_read(x, "t.tsv", &u, &text);
    cr_assert_lt(strlen(text), 2500, "%zu bytes: %s", strlen(text), text);
    cr_assert(strstr(text, "# run 1 start: random box, seed 1\n"), "%s", text);
    free(text);
    lsc_trajectory_free(&u);
    lsc_experiment_free(x);
}

Test(start, a_start_file_is_checked, .init = make_dir, .fini = remove_dir)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"1\n", "has 1 numbers, landscape 'himmelblau' has dimension 2"},
        {"1\n2\n3\n", "line 3: more numbers than the landscape's dimension"},
        {"1\nnan\n", "line 2: not finite numbers"},
        {"1\n0x2\n", "line 2: not finite numbers"},
        {"# only a comment\n", "has 0 numbers"},
    };
    char p[128], file[160];
    path_in(p, sizeof p, "s.txt");
    snprintf(file, sizeof file, "file:%s", p);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_text(p, cases[i].text);
        const char *kv[] = {"landscape", "himmelblau", "optimizer", "adam", "start", file, NULL};
        lsc_experiment *x = make(kv);
        lsc_error err = {0};
        cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL, "case %zu", i);
        cr_assert(strstr(err.msg, cases[i].want), "case %zu: '%s' lacks '%s'", i, err.msg,
                  cases[i].want);
        cr_assert(!strncmp(err.msg, "start: ", 7), "%s", err.msg);
        lsc_experiment_free(x);
    }
    /* good: '#' lines, ',' lists, CRLF */
    write_text(p, "# a start\r\n1.5,-2\r\n");
    const char *kv[] = {"landscape", "himmelblau", "optimizer", "adam", "start", file, NULL};
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_start(x)[1], -2);
    lsc_experiment_free(x);
    /* /dev/zero: a NUL line longer than 64 KiB, refused at once */
    const char *kz[] = {"landscape", "himmelblau", "optimizer", "adam", "start", "file:/dev/zero",
                        NULL};
    x = make(kz);
    cr_assert_eq(lsc_experiment_prepare(x, &err), LSC_EINVAL);
    lsc_experiment_free(x);
}

/* A figure of a trajectory that only describes its start: the slice finds the start in the
 * first row (it keeps every coordinate), and the script's provenance says how the start was
 * made. (It read a NULL start before.) */
Test(start, a_figure_of_a_described_start_uses_the_first_row, .init = make_dir,
     .fini = remove_dir)
{
    char t[128], fig[128], gp[128];
    path_in(t, sizeof t, "t.tsv");
    path_in(fig, sizeof fig, "f.png");
    path_in(gp, sizeof gp, "f.png.gp");
    const char *run[] = {"run", "--landscape", "sphere", "--dim", "70", "--start-random",
                         "--optimizer", "adam:lr=0.1", "--steps", "30", "--positions", "all",
                         "--quiet", "--out", t, NULL};
    char *msg;
    cr_assert_eq(losscape(run, &msg), 0, "%s", msg);
    free(msg);
    const char *plot[] = {"plot", t, "--out", fig, "--kind", "slice", "--center", "start",
                          "--no-render", "--grid", "20", NULL};
    cr_assert_eq(losscape(plot, &msg), 0, "%s", msg);
    free(msg);
    char *script = slurp(gp, NULL);
    cr_assert(strstr(script, "run 0 start: random box, seed 1"), "no start description");
    free(script);
}

/* A trajectory asked of an experiment that cannot be prepared is an error, not a crash. */
Test(experiment, trajectory_before_prepare_prepares_or_refuses)
{
    const char *const kv[] = {"landscape", "rosenbrock", "start", "1,2,3", "optimizer", "adam",
                              NULL};
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    lsc_trajectory t;
    cr_expect_eq(lsc_experiment_trajectory(x, &t, &err), LSC_EINVAL);
    cr_expect(strstr(err.msg, "start") != NULL, "%s", err.msg);
    cr_expect_eq(t.n, 0);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    const char *const good[] = {"landscape", "rosenbrock", "optimizer", "adam", NULL};
    x = make(good);
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s", err.msg);
    cr_expect_eq(t.n, 2);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* Basins use each group's own driver options: a group that clips every gradient to 1e-4
 * cannot reach a minimum of himmelblau in 100 steps of lr 0.01 (it moves at most 1e-4 * 0.01
 * * sqrt(2) per step), while the same optimizer without clipping does from most starts. The
 * experiment's basins of that group equal a computation with the clipping given directly,
 * and the trajectory's runs give the same basins again (each run's own options read back). */
Test(experiment, basins_use_each_groups_own_options)
{
    const char *kv[] = {"landscape", "himmelblau", "optimizer", "sgd:lr=0.01,label=free",
                        "steps", "100", "stop_grad", "1e-3", NULL};
    lsc_experiment *x = make(kv);
    lsc_error err = {0};
    int g = lsc_experiment_group(x, "clipped", &err);
    cr_assert_eq(lsc_experiment_set_in(x, g, "optimizer", "sgd:lr=0.01,label=clipped", &err),
                 LSC_OK);
    cr_assert_eq(lsc_experiment_set_in(x, g, "clip_value", "1e-4", &err), LSC_OK);
    const double nolim[2] = {NAN, NAN};
    const int N = 6;
    lsc_basins b, direct, fromfile;
    cr_assert_eq(lsc_experiment_basins(x, &b, nolim, nolim, N, 0, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(b.nopt, 2);
    cr_assert_eq(b.opt[0].clip_value, 0);
    cr_assert_eq(b.opt[1].clip_value, 1e-4);
    const int cells = N * N, nc = b.ncp; /* class nc: not converged */
    int free_reached = 0, clipped_reached = 0;
    for (int k = 0; k < cells; k++) {
        free_reached += b.grid[k] < nc;
        clipped_reached += b.grid[cells + k] < nc;
    }
    cr_assert_gt(free_reached, cells / 2, "%d of %d", free_reached, cells);
    cr_assert_eq(clipped_reached, 0, "%d of %d", clipped_reached, cells);

    /* the clipped group alone, its options given directly */
    const lsc_run_opts *ro = lsc_experiment_run_opts(x, 1);
    cr_assert_not_null(ro);
    lsc_run_opts clipped = *ro;
    cr_assert_eq(clipped.clip_value, 1e-4);
    const char *spec[] = {"sgd:lr=0.01,label=clipped"};
    cr_assert_eq(lsc_basins_compute(&direct, lsc_experiment_landscape(x), spec, 1, &clipped,
                                    nolim, nolim, N, 0, &err), LSC_OK, "%s", err.msg);
    cr_assert_arr_eq(direct.grid, b.grid + cells, (size_t)cells * sizeof *b.grid);

    /* the same from the experiment's trajectory */
    lsc_trajectory t;
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_basins_compute_trajectory(&fromfile, lsc_experiment_landscape(x), &t,
                                               nolim, nolim, N, 0, &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(fromfile.nopt, 2);
    cr_assert_arr_eq(fromfile.grid, b.grid, 2 * (size_t)cells * sizeof *b.grid);
    lsc_trajectory_free(&t);
    lsc_basins_free(&b);
    lsc_basins_free(&direct);
    lsc_basins_free(&fromfile);
    lsc_experiment_free(x);
}
