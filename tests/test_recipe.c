/* test_recipe.c — recipe files: what they hold, and every error naming file, line and key */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recipe.h"

static const char *write_recipe(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/lsc_recipe_%d.ini", (int)getpid());
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

Test(recipe, reads_runs_and_figures)
{
    const char *p = write_recipe("# a comment\n"
                                 "title = Race 'quoted' `tick`\n"
                                 "caption = What to see\n"
                                 "   and more of it\n"
                                 "[run]\n"
                                 "landscape = rosenbrock:b=100\n"
                                 "optimizer = sgd:lr=1e-3,label=SGD\n"
                                 "optimizer = adam:lr=0.02\n"
                                 "start = -1.5,2\n"
                                 "steps = 2000\n"
                                 "seed = 7\n"
                                 "noise = 0.25\n"
                                 "[figure contour]\n"
                                 "kind = contour\n"
                                 "out = race.png\n"
                                 "[figure curves]\n"
                                 "kind = curves\n"
                                 "[run decayed]\n"
                                 "optimizer = sgd:lr=0.1,label=cosine\n"
                                 "schedule = cosine:T_max=100\n");
    lsc_error err = {0};
    lsc_recipe *r = lsc_recipe_read(p, &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_str_eq(r->title, "Race 'quoted' `tick`");
    cr_assert_str_eq(r->caption, "What to see and more of it");
    /* the [run] keys are the experiment's */
    const lsc_experiment *x = r->experiment;
    char v[256];
    static const char *const want[][3] = {
        {"0", "landscape", "rosenbrock:b=100"}, {"0", "start", "-1.5,2"},
        {"0", "steps", "2000"},                 {"0", "seed", "7"},
        {"0", "noise", "0.25"},                 {"0", "schedule", ""},
        {"0", "optimizer", "sgd:lr=1e-3,label=SGD\nadam:lr=0.02"},
        {"1", "optimizer", "sgd:lr=0.1,label=cosine"},
        {"1", "schedule", "cosine:T_max=100"},
        {"1", "noise", "0.25"}, /* inherited from [run] */
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        cr_assert_eq(lsc_experiment_get(x, want[k][0][0] - '0', want[k][1], v, sizeof v), LSC_OK);
        cr_assert_str_eq(v, want[k][2], "%s in group %s", want[k][1], want[k][0]);
    }
    cr_assert_eq(r->nfigures, 2);
    cr_assert_eq(r->ngroups, 2);
    cr_assert_eq(r->noptimizers, 3);
    cr_assert_eq(lsc_experiment_nruns(x), 3);
    cr_assert_eq(lsc_experiment_run_group(x, 2), 1);
    cr_assert_eq(r->run_key[1].line, 7);
    cr_assert_str_eq(r->figure[0].name, "contour");
    cr_assert_eq(r->figure[0].nkv, 2);
    cr_assert_str_eq(r->figure[0].kv[1].key, "out");
    cr_assert_str_eq(r->figure[0].kv[1].val, "race.png");
    cr_assert_eq(r->figure[0].kv[1].line, 15);
    lsc_recipe_free(r);
    unlink(p);
}

typedef struct {
    const char *text, *must_say;
} bad_recipe;

Test(recipe, errors_name_file_line_and_key)
{
    static const bad_recipe cases[] = {
        {"[run]\nlandscape = saddle\noptimizer = gd\nstpes = 5\n[figure a]\nkind=contour\n",
         ":4: unknown key 'stpes' in [run] (did you mean 'steps'?)"},
        {"[run]\nlandscape = saddle\noptimizer = gd\nsteps = many\n[figure a]\nkind=contour\n",
         ":4: steps: 'many' is not allowed (expected an integer from 0 to 1000000000"},
        {"[run]\nlandscape = saddle\noptimizer = gd\nnoise = -1\n[figure a]\nkind=contour\n",
         ":4: noise: '-1' is not allowed (expected a finite number >= 0 and <= 1000000)"},
        {"[runs]\nlandscape = saddle\n", ":1: unknown section [runs]"},
        {"titel = x\n", ":1: unknown key 'titel' in the recipe header (did you mean 'title'?)"},
        {"[run]\noptimizer = gd\n[figure a]\nkind=contour\n", "needs 'landscape'"},
        {"[run]\nlandscape = saddle\n[figure a]\nkind=contour\n", "needs 'optimizer'"},
        {"[run]\nlandscape = saddle\noptimizer = gd\n", "no [figure NAME] section"},
        {"[run]\nlandscape = saddle\noptimizer = gd\n[figure a]\nkind=contour\nkind=surface\n",
         ":6: key 'kind' given twice"},
        {"[run]\nlandscape = saddle\nthis line has no equals sign\n", ":3: not 'key = value'"},
        {"[run]\nlandscape = saddle\noptimizer = gd\nseed = -4\n[figure a]\nkind=contour\n",
         ":4: seed: '-4' is not allowed"},
        {"[run]\nlandscape = saddle\noptimizer = gd\npositions = some\n[figure a]\nkind=c\n",
         ":4: positions: 'some' is not allowed"},
        /* the command line's ranges (one table): these were accepted before */
        {"[run]\nlandscape = saddle\noptimizer = gd\nnoise = 1e300\n[figure a]\nkind=c\n",
         ":4: noise: '1e300' is not allowed (expected a finite number >= 0 and <= 1000000)"},
        {"[run]\nlandscape = saddle\noptimizer = gd\npositions = first:1e12\n[figure a]\n",
         ":4: positions: 'first:1e12' is not allowed"},
        {"[run]\nlandscape = saddle\noptimizer = gd\nclip_norm = 0\n[figure a]\nkind=c\n",
         ":4: clip_norm: '0' is not allowed"},
        {"[run]\nlandscape = saddle\noptimizer = gd\n[run g]\nnoise = 1e300\n[figure a]\n",
         ":5: noise: '1e300' is not allowed"},
        {"[run]\nlandscape = saddle\noptimizer = gd\n[run g]\nsteps = 5\n[figure a]\n",
         ":5: 'steps' is a key of the whole experiment, not of a group of runs: set it in "
         "[run], before the first [run NAME] section (here: [run g])"},
        {"[run]\nlandscape = saddle\noptimizer = gd\n[run g]\nstpes = 5\n[figure a]\n",
         ":5: unknown key 'stpes' in [run g] (the rest belongs in [run])"},
        {"[run]\nlandscape = saddle\n  more\n", ":3: an indented line continues only"},
        {"title = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n[run]\n",
         ":1: line longer than"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = write_recipe(cases[i].text);
        lsc_error err = {0};
        lsc_recipe *r = lsc_recipe_read(p, &err);
        cr_assert_null(r, "case %zu accepted", i);
        cr_assert_eq(err.code, LSC_EINVAL);
        cr_assert(strstr(err.msg, p), "case %zu: no file name: %s", i, err.msg);
        cr_assert(strstr(err.msg, cases[i].must_say), "case %zu: '%s' lacks '%s'", i, err.msg,
                  cases[i].must_say);
        unlink(p);
    }
    lsc_error err = {0};
    cr_assert_null(lsc_recipe_read("/nonexistent/r.ini", &err));
    cr_assert_eq(err.code, LSC_EIO);
}

/* Errors found when the experiment is prepared (against the landscape) name the line of
 * the key they are about. */
Test(recipe, prepare_errors_name_the_line_of_their_key)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"[run]\nlandscape = himmelblau\noptimizer = adam\npositions = first:5\n"
         "[figure a]\nkind=c\n",
         ":4: positions: 'first:5' is not allowed (expected all, none or first:K with K from 1 "
         "to 2"},
        {"[run]\nlandscape = himmelblau\nstart = 1,2,3\noptimizer = adam\n[figure a]\nkind=c\n",
         ":3: start: 3 coordinates given"},
        {"[run]\nlandscape = himmelblau\noptimizer = adam\noptimizer = adma\n[figure a]\nkind=c\n",
         ":4: optimizer: unknown optimizer 'adma'"},
        {"[run]\nlandscape = himmelblau\noptimizer = adam\n[run g]\noptimizer = gd\n"
         "schedule = cosin\n[figure a]\nkind=c\n", ":6: schedule: unknown schedule 'cosin'"},
        {"[run]\nlandscape = himmelblau\nschedule = cosin\noptimizer = adam\n[run g]\n"
         "optimizer = gd\n[figure a]\nkind=c\n", ":3: schedule: unknown schedule 'cosin'"},
        {"[run]\nlandscape = himmelblau\ndim = 3\noptimizer = adam\n[figure a]\nkind=c\n",
         ":3: dim: 3 given"},
        {"[run]\nlandscape = rosenbrok\noptimizer = adam\n[figure a]\nkind=c\n",
         ":2: landscape: unknown landscape 'rosenbrok'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = write_recipe(cases[i].text);
        lsc_error err = {0};
        lsc_recipe *r = lsc_recipe_read(p, &err);
        cr_assert_not_null(r, "case %zu: %s", i, err.msg);
        cr_assert_eq(lsc_recipe_prepare(r, &err), LSC_EINVAL, "case %zu prepared", i);
        cr_assert(strstr(err.msg, p), "case %zu: no file name: %s", i, err.msg);
        cr_assert(strstr(err.msg, cases[i].want), "case %zu: '%s' lacks '%s'", i, err.msg,
                  cases[i].want);
        lsc_recipe_free(r);
        unlink(p);
    }
}

/* The keys that can run commands (style: gnuplot code; gnuplot: a program) are found, with
 * their line, whichever figure holds them; a recipe without them has none. */
Test(recipe, keys_that_run_commands_are_found)
{
    static const struct {
        const char *figures, *key;
        int line;
    } cases[] = {
        {"[figure a]\nkind = contour\nout = a.png\n", NULL, 0},
        {"[figure a]\nkind = contour\nout = a.png\nstyle = s.gp\n", "style", 7},
        {"[figure a]\nout = a.png\n[figure b]\nout = b.png\ngnuplot = /bin/sh\n", "gnuplot", 8},
        {"[figure a]\nout = a.png\ntitle = style\n[figure b]\nstyle = x\ngnuplot = y\n",
         "style", 8},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[512];
        snprintf(text, sizeof text, "[run]\nlandscape = himmelblau\noptimizer = adam\n%s",
                 cases[k].figures);
        lsc_error err = {0};
        lsc_recipe *r = lsc_recipe_read(write_recipe(text), &err);
        cr_assert_not_null(r, "%s", err.msg);
        const char *why = NULL;
        const lsc_recipe_kv *kv = lsc_recipe_unsafe_key(r, &why);
        if (!cases[k].key) {
            cr_assert_null(kv, "case %zu: %s found", k, kv ? kv->key : "");
        } else {
            cr_assert_not_null(kv, "case %zu: no key found", k);
            cr_assert_str_eq(kv->key, cases[k].key);
            cr_assert_eq(kv->line, cases[k].line, "case %zu: line %d", k, kv->line);
            cr_assert(why && (strstr(why, "command") || strstr(why, "program")), "%s", why);
        }
        lsc_recipe_free(r);
    }
}

/* A file a recipe reads is found beside the recipe, whatever the current directory
 * (issue 7): start = file:PATH or @PATH, data = NAME.csv, a figure's style. Absolute
 * paths stay as they are, and a figure's out stays relative to the output directory. */
static void write_in(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(text, fp);
    fclose(fp);
}

static lsc_recipe *read_prepared(const char *path)
{
    lsc_error err = {0};
    lsc_recipe *r = lsc_recipe_read(path, &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(lsc_recipe_prepare(r, &err), LSC_OK, "%s", err.msg);
    return r;
}

Test(recipe, files_it_reads_are_beside_it)
{
    char dir[] = "/tmp/lsc_recipe_dir_XXXXXX", cwd[1024], ini[256], want[512], v[512];
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    write_in(dir, "start.txt", "0.5, -1.25\n");
    write_in(dir, "d.csv", "a,y\n1,2.5\n2,4\n3,6.5\n4,8\n");
    snprintf(ini, sizeof ini, "%s/r.ini", dir);
    cr_assert_eq(chdir("/"), 0); /* not the recipe's folder */
    write_in(dir, "r.ini", "[run]\nlandscape = himmelblau\noptimizer = adam\n"
                           "start = file:start.txt\n"
                           "[figure a]\nkind = contour\nout = a.png\nstyle = s.gp\n");
    lsc_recipe *r = read_prepared(ini);
    const double *x0 = lsc_experiment_start(r->experiment);
    cr_assert(x0 && x0[0] == 0.5 && x0[1] == -1.25);
    snprintf(want, sizeof want, "file:%s/start.txt", dir);
    cr_assert_eq(lsc_experiment_get(r->experiment, 0, "start", v, sizeof v), LSC_OK);
    cr_assert_str_eq(v, want);
    snprintf(want, sizeof want, "%s/s.gp", dir);
    cr_assert_str_eq(r->figure[0].kv[2].val, want);     /* style: read */
    cr_assert_str_eq(r->figure[0].kv[1].val, "a.png"); /* out: written */
    lsc_recipe_free(r);
    /* @PATH and a data file, for a model */
    write_in(dir, "r.ini", "[run]\nlandscape = linreg\ndata = d.csv\noptimizer = adam\n"
                           "start = @start.txt\n[figure a]\nkind = curves\n");
    r = read_prepared(ini);
    cr_assert_eq(lsc_experiment_landscape(r->experiment)->n, 2);
    x0 = lsc_experiment_start(r->experiment);
    cr_assert(x0 && x0[0] == 0.5 && x0[1] == -1.25);
    snprintf(want, sizeof want, "%s/d.csv", dir);
    cr_assert_eq(lsc_experiment_get(r->experiment, 0, "data", v, sizeof v), LSC_OK);
    cr_assert_str_eq(v, want);
    lsc_recipe_free(r);
    /* an absolute path stays */
    char text[768];
    snprintf(text, sizeof text, "[run]\nlandscape = himmelblau\noptimizer = adam\n"
             "start = file:%s/start.txt\n[figure a]\nkind = contour\n", dir);
    write_in(dir, "r.ini", text);
    r = read_prepared(ini);
    snprintf(want, sizeof want, "file:%s/start.txt", dir);
    cr_assert_eq(lsc_experiment_get(r->experiment, 0, "start", v, sizeof v), LSC_OK);
    cr_assert_str_eq(v, want);
    lsc_recipe_free(r);
    /* a recipe in the current directory: its paths as written */
    cr_assert_eq(chdir(dir), 0);
    r = read_prepared("r.ini");
    lsc_recipe_free(r);
    write_in(dir, "r.ini", "[run]\nlandscape = himmelblau\noptimizer = adam\n"
                           "start = file:start.txt\n[figure a]\nkind = contour\n");
    r = read_prepared("r.ini");
    cr_assert_eq(lsc_experiment_get(r->experiment, 0, "start", v, sizeof v), LSC_OK);
    cr_assert_str_eq(v, "file:start.txt");
    lsc_recipe_free(r);
    cr_assert_eq(chdir(cwd), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
