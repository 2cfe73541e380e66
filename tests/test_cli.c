/* test_cli.c — the losscape executable as a user meets it: golden output, every class of
 * bad input (one line, exit status 2, no file touched), determinism.
 * Regenerate the golden files with LSC_UPDATE_GOLDEN=1. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_run.h"

static void check_golden(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../golden/%s", LSC_TEST_DATA, name);
    if (getenv("LSC_UPDATE_GOLDEN")) {
        FILE *fp = fopen(path, "w");
        cr_assert_not_null(fp, "cannot write %s", path);
        fputs(text, fp);
        fclose(fp);
        return;
    }
    char *want = slurp(path);
    cr_assert_not_null(want, "missing golden file %s (LSC_UPDATE_GOLDEN=1 writes it)", path);
    cr_assert_str_eq(text, want, "output differs from %s", path);
    free(want);
}

Test(cli, list_matches_golden)
{
    const char *a[] = {"list", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0);
    check_golden("cli_list.txt", r.out);
    result_free(&r);
}

Test(cli, info_matches_golden)
{
    const char *a[] = {"info", "himmelblau", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    check_golden("cli_info_himmelblau.txt", r.out);
    result_free(&r);
    const char *b[] = {"info", "rosenbrock", "--tsv", NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    check_golden("cli_info_rosenbrock.tsv", r.out);
    result_free(&r);
}

/* The bytes of trajectories without data, as written before the optional columns
 * (trajectory.h) existed: the golden files were made by the executable of the commit
 * before them, so a new column or header line that leaks into plain runs fails here. */
Test(cli, run_without_data_matches_golden)
{
    const char *a[] = {"run", "--landscape", "rosenbrock", "--optimizer", "adam:lr=0.01",
                       "--optimizer", "sgd:lr=0.001,momentum=0.9", "--noise", "0.1",
                       "--steps", "60", "--every", "7", "--quiet", "--out", "-", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    check_golden("run_rosenbrock.tsv", r.out);
    result_free(&r);
    /* 100-D, no positions: a dist column */
    const char *b[] = {"run", "--landscape", "sphere", "--dim", "100", "--positions", "none",
                       "--optimizer", "adam:lr=0.05", "--steps", "30", "--quiet", "--out", "-",
                       NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    check_golden("run_sphere_dist.tsv", r.out);
    result_free(&r);
}

Test(cli, info_tsv_has_a_row_per_critical_point)
{
    const char *a[] = {"info", "himmelblau", "--tsv", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0);
    cr_assert_eq(count_lines(r.out), 10, "%s", r.out); /* header + 9 */
    const char *header = "kind\tf\tx1\tx2\teig_min\teig_max\n";
    cr_assert(!strncmp(r.out, header, strlen(header)), "%s", r.out);
    result_free(&r);
}

/* info --box: the box shown, and an expr formula's critical points searched in it: the
 * minimum (7, 0) of (x-7)^2+y^2 (closed form; Hessian 2 I) lies outside the default
 * [-5, 5]^2 and inside [0, 10]^2. */
Test(cli, info_box_shows_the_box_and_the_critical_points_in_it)
{
    const char *a[] = {"info", "expr:(x-7)^2+y^2", "--tsv", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(count_lines(r.out), 1, "none in the default box: %s", r.out);
    result_free(&r);
    const char *b[] = {"info", "expr:(x-7)^2+y^2", "--box", "0:10", "--tsv", NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\nmin\t0\t7\t0\t2\t2\n"), "%s", r.out);
    result_free(&r);
    const char *c[] = {"info", "expr:(x-7)^2+y^2", "--box", "0:10,-1:2", NULL};
    r = run(c);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "domain     [0, 10] x [-1, 2] (--box)"), "%s", r.out);
    cr_assert(strstr(r.out, "known critical points: 1"), "%s", r.out);
    result_free(&r);
}

Test(cli, info_check_passes_on_builtin_landscapes)
{
    /* rnn: its large third derivatives failed plain central differences (issue 10) */
    const char *names[] = {"rosenbrock", "himmelblau", "six-hump-camel", "octopus", "rnn",
                           "chain"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *a[] = {"info", names[i], "--check", NULL};
        result r = run(a);
        cr_assert_eq(r.status, 0, "%s: %s%s", names[i], r.out, r.err);
        cr_assert(strstr(r.out, "gradient:") && strstr(r.out, "ok"), "%s", r.out);
        result_free(&r);
    }
}

Test(cli, run_writes_header_and_rows)
{
    const char *a[] = {"run", "--landscape", "rosenbrock", "--optimizer", "adam:lr=0.01",
                       "--optimizer", "gd:lr=0.001,label=plain GD", "--start=-1.5,2",
                       "--steps", "100", "--quiet", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "# landscape: rosenbrock:a=1,b=100\n"), "%s", r.out);
    cr_assert(strstr(r.out, "# run 1 label: plain GD\n"));
    cr_assert(strstr(r.out, "# run 0 start: -1.5,2\n"));
    cr_assert(strstr(r.out, "\nrun\tstep\tlr\tloss\tgrad_norm\tx1\tx2\n"));
    cr_assert(strstr(r.out, "\n0\t0\t0.01\t"));
    cr_assert(strstr(r.out, "\n1\t100\t0.001\t"));
    cr_assert_eq(count_lines(strstr(r.out, "\nrun\t") + 1), 1 + 2 * 101);
    cr_assert_str_eq(r.err, "");
    result_free(&r);
}

Test(cli, start_with_space_or_equals_is_the_same)
{
    const char *a[] = {"run", "--landscape", "saddle", "--optimizer", "gd", "--start=-1.5,2",
                       "--steps", "5", "--quiet", NULL};
    const char *b[] = {"run", "--landscape", "saddle", "--optimizer", "gd", "--start", "-1.5,2",
                       "--steps", "5", "--quiet", NULL};
    result r1 = run(a), r2 = run(b);
    cr_assert_eq(r1.status, 0, "%s", r1.err);
    cr_assert_str_eq(r1.out, r2.out);
    result_free(&r1);
    result_free(&r2);
}

Test(cli, same_seed_same_bytes_other_seed_other_noise)
{
    const char *a[] = {"run", "--landscape", "himmelblau", "--optimizer", "sgd:lr=0.01",
                       "--noise", "0.5", "--seed", "42", "--steps", "50", "--quiet", NULL};
    const char *b[] = {"run", "--landscape", "himmelblau", "--optimizer", "sgd:lr=0.01",
                       "--noise", "0.5", "--seed", "43", "--steps", "50", "--quiet", NULL};
    result r1 = run(a), r2 = run(a), r3 = run(b);
    cr_assert_eq(r1.status, 0, "%s", r1.err);
    cr_assert_str_eq(r1.out, r2.out);
    /* the rows differ, not just the '# seed' line */
    cr_assert_str_neq(strstr(r1.out, "\n0\t1\t"), strstr(r3.out, "\n0\t1\t"));
    result_free(&r1);
    result_free(&r2);
    result_free(&r3);
}

Test(cli, out_file_is_written_and_summary_printed)
{
    const char *path = "/tmp/lsc_cli_test_out.tsv";
    unlink(path);
    const char *a[] = {"run", "--landscape", "beale", "--optimizer", "adam:lr=0.05", "--out",
                       path, "--steps", "20", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "adam") && strstr(r.err, "max-steps"), "%s", r.err);
    char *text = slurp(path);
    cr_assert_not_null(text);
    cr_assert(!strncmp(text, "# losscape trajectory v1\n", 25));
    free(text);
    unlink(path);
    result_free(&r);
}

/* With --group the summary says which group each run is in ('-': before the first
 * --group); without, it is as it was (no group column). */
Test(cli, run_groups_are_named_in_the_summary)
{
    const char *a[] = {"run", "--landscape", "beale", "--steps", "20", "--optimizer",
                       "adam:lr=0.05", "--group", "slow", "--optimizer", "adam:lr=0.001",
                       "--schedule", "exp:gamma=0.9", "--out", "/dev/null", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(!strncmp(r.err, "run              group status ", 29), "%s", r.err);
    cr_assert(strstr(r.err, "\nadam             -     max-steps "), "%s", r.err);
    cr_assert(strstr(r.err, "\nadam             slow  max-steps "), "%s", r.err);
    result_free(&r);
    const char *b[] = {"run", "--landscape", "beale", "--optimizer", "adam:lr=0.05", "--out",
                       "/dev/null", "--steps", "20", NULL};
    r = run(b);
    cr_assert(!strncmp(r.err, "run              status ", 24), "%s", r.err);
    result_free(&r);
}

/* ---- bad input: one line on stderr naming the flag/key, exit 2, no file touched ---- */

/* Plain arrays, no pointers: Criterion runs each case in a fresh process. */
typedef struct {
    char args[12][48];
    char must_say[64]; /* substring of the message */
} bad_case;

static bad_case bad_cases[] = {
    {{"run", "--landscape", "rosenbrok", "--optimizer", "adam"}, "did you mean 'rosenbrock'"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adma"}, "did you mean 'adam'"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam:lr=0"}, "lr=0"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam:lr=-1"}, "lr=-1"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam:beta1=1"}, "beta1=1"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam:eps=-1"}, "eps=-1"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam:lr=fast"}, "lr=fast"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam:betas=0.9"}, "betas"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--steps", "-5"}, "--steps"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--steps", "ten"}, "--steps"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--start", "1,2,3"}, "--start"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--start", "1,x"}, "--start"},
    {{"run", "--landscape", "himmelblau", "--optimizer", "adam", "--dim", "5"}, "--dim"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--dim", "0"}, "--dim"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--noise", "-1"}, "--noise"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--clip-norm", "0"},
     "--clip-norm"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--seed", "-3"}, "--seed"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--every", "0"}, "--every"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--positions", "some"},
     "--positions"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--schedule", "cosin"},
     "--schedule"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--stpes", "5"}, "--steps"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "adam", "--steps"}, "--steps"},
    {{"run", "--landscape", "rosenbrock:b=x", "--optimizer", "adam"}, "b=x"},
    {{"run", "--landscape", "expr:x^2+z", "--optimizer", "adam"}, "--landscape"},
    {{"run", "--landscape", "expr:x^^2", "--optimizer", "adam"}, "--landscape"},
    {{"run", "--optimizer", "adam"}, "--landscape"},
    {{"run", "--landscape", "rosenbrock"}, "--optimizer"},
    {{"run", "--landscape", "rosenbrock", "--optimizer", "nesterov:momentum=0"}, "nesterov"},
    {{"info", "rosenbrok"}, "did you mean 'rosenbrock'"},
    {{"info"}, "which landscape"},
    {{"list", "optimisers"}, "did you mean 'optimizers'"},
    {{"rnu"}, "did you mean 'run'"},
};

ParameterizedTestParameters(cli_bad, rejected)
{
    return cr_make_param_array(bad_case, bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
}

ParameterizedTest(bad_case *c, cli_bad, rejected)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/lsc_cli_bad_out_%d.tsv", (int)getpid());
    /* an existing output file must survive a rejected command unchanged */
    FILE *fp = fopen(path, "w");
    fputs("keep me\n", fp);
    fclose(fp);
    const char *args[20];
    int k = 0;
    while (k < 12 && c->args[k][0]) {
        args[k] = c->args[k];
        k++;
    }
    if (!strcmp(args[0], "run")) {
        args[k++] = "--out";
        args[k++] = path;
    }
    args[k] = NULL;
    result r = run(args);
    cr_assert_eq(r.status, 2, "status %d for %s: %s", r.status, c->args[1], r.err);
    cr_assert_eq(count_lines(r.err), 1, "not one line: %s", r.err);
    cr_assert(!strncmp(r.err, "losscape: ", 10), "%s", r.err);
    cr_assert(strstr(r.err, c->must_say), "message lacks '%s': %s", c->must_say, r.err);
    cr_assert_str_eq(r.out, "");
    char *text = slurp(path);
    cr_assert_str_eq(text, "keep me\n");
    free(text);
    unlink(path);
    result_free(&r);
}

Test(cli, high_dimensional_runs_write_dist_not_positions)
{
    const char *a[] = {"run", "--landscape", "rosenbrock", "--dim", "100", "--start-random",
                       "--optimizer", "adam:lr=0.01", "--steps", "20", "--quiet", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "# positions: none\n"), "%s", r.out);
    cr_assert(strstr(r.out, "\nrun\tstep\tlr\tloss\tgrad_norm\tdist\n"));
    result_free(&r);
    const char *b[] = {"run", "--landscape", "rosenbrock", "--dim", "100", "--start-random",
                       "--optimizer", "adam:lr=0.01", "--steps", "20", "--quiet",
                       "--positions", "first:3", NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\nrun\tstep\tlr\tloss\tgrad_norm\tdist\tx1\tx2\tx3\n"), "%s", r.out);
    result_free(&r);
}

Test(cli, divergence_is_reported_with_its_finite_prefix)
{
    const char *a[] = {"run", "--landscape", "rosenbrock", "--optimizer", "gd:lr=0.01",
                       "--steps", "1000", "--quiet", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "# run 0 status: diverged\n"), "%s", r.out);
    cr_assert_null(strstr(r.out, "\tinf"));
    cr_assert_null(strstr(r.out, "\tnan"));
    result_free(&r);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
}

/* The gnuplot script a figure wrote into dir (the one file ending in .gp), read whole. */
static char *figure_script(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    struct dirent *e;
    char path[512] = "";
    while ((e = readdir(d)))
        if (strlen(e->d_name) > 3 && !strcmp(e->d_name + strlen(e->d_name) - 3, ".gp")) {
            cr_assert_eq(path[0], '\0', "two scripts in %s", dir);
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        }
    closedir(d);
    cr_assert(path[0], "no script in %s", dir);
    return slurp(path);
}

/* plot A.tsv B.tsv: runs of several files on one landscape in one figure, every run in
 * the key; labels that two files share get the file's name, the others stay as they are
 * (issue 8, item 6). */
Test(cli, plot_draws_the_runs_of_several_files)
{
    char dir[] = "/tmp/lsc_cli_plots_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char a[128], b[128], png[128];
    snprintf(a, sizeof a, "%s/constant.tsv", dir);
    snprintf(b, sizeof b, "%s/cosine.tsv", dir);
    snprintf(png, sizeof png, "%s/both.png", dir);
    const char *ra[] = {"run", "--landscape", "himmelblau", "--optimizer", "gd:lr=0.01",
                        "--optimizer", "adam:lr=0.05", "--steps", "100", "--quiet", "--out", a,
                        NULL};
    const char *rb[] = {"run", "--landscape", "himmelblau", "--optimizer", "gd:lr=0.01",
                        "--optimizer", "momentum:lr=0.01", "--schedule", "cosine:T_max=150",
                        "--steps", "150", "--quiet", "--out", b, NULL};
    result r = run(ra);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    r = run(rb);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    const char *p[] = {"plot", a, b, "--out", png, NULL};
    r = run(p);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    struct stat st;
    cr_assert(stat(png, &st) == 0 && st.st_size > 0, "no figure %s", png);
    char *gp = figure_script(dir);
    /* gd is in both files: named with its file; adam and momentum are not */
    const char *key[] = {"title 'gd lr=0.01, constant (constant.tsv)'",
                         "title 'adam lr=0.05, constant'",
                         "title 'gd lr=0.01, cosine T_max=150 (cosine.tsv)'",
                         "title 'momentum lr=0.01, cosine T_max=150'"};
    for (int k = 0; k < 4; k++)
        cr_assert(strstr(gp, key[k]), "the key lacks %s:\n%s", key[k], gp);
    /* the caption: the larger budget, one seed */
    cr_assert(strstr(gp, "schedules per run, up to 150 steps, seed 1."), "%s", gp);
    free(gp);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* gnuplot missing: exit 3, a hint how to install it, and nothing written (all or nothing) */
Test(cli, plot_without_gnuplot_exits_3_and_writes_nothing)
{
    char dir[] = "/tmp/lsc_cli_plot_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char tsv[128], png[128], gp[128];
    snprintf(tsv, sizeof tsv, "%s/t.tsv", dir);
    snprintf(png, sizeof png, "%s/f.png", dir);
    snprintf(gp, sizeof gp, "%s/f.png.gp", dir);
    const char *a[] = {"run", "--landscape", "himmelblau", "--optimizer", "adam:lr=0.05",
                       "--steps", "50", "--quiet", "--out", tsv, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    const char *b[] = {"plot", tsv, "--out", png, "--gnuplot", "/nonexistent/gnuplot", NULL};
    r = run(b);
    cr_assert_eq(r.status, 3, "status %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "gnuplot"), "%s", r.err);
    cr_assert_neq(access(gp, F_OK), 0, "%s written by a failed plot", gp);
    cr_assert_neq(access(png, F_OK), 0, "an image without gnuplot?");
    result_free(&r);
    const char *c[] = {"plot", tsv, "--out", png, "--kind", "contuor", NULL};
    r = run(c);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "contour"), "%s", r.err);
    result_free(&r);
    const char *d[] = {"plot", "/nonexistent/t.tsv", "--out", png, NULL};
    r = run(d);
    cr_assert_eq(r.status, 2); /* a missing input is bad input */
    cr_assert(strstr(r.err, "/nonexistent/t.tsv"), "%s", r.err);
    result_free(&r);
}

/* run --plot: the trajectory and the figure land together or not at all */
Test(cli, run_plot_failure_leaves_no_trajectory)
{
    char dir[] = "/tmp/lsc_cli_runplot_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char tsv[128], png[128];
    snprintf(tsv, sizeof tsv, "%s/t.tsv", dir);
    snprintf(png, sizeof png, "%s/f.png", dir);
    const char *a[] = {"run", "--landscape", "himmelblau", "--optimizer", "adam:lr=0.05",
                       "--steps", "50", "--quiet", "--out", tsv, "--plot", png,
                       "--gnuplot", "/bin/false", NULL};
    result r = run(a);
    cr_expect_eq(r.status, 3, "status %d: %s", r.status, r.err);
    cr_expect_neq(access(tsv, F_OK), 0, "a failed --plot left the trajectory behind");
    cr_expect_neq(access(png, F_OK), 0);
    result_free(&r);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rmdir '%s'", dir); /* fails if anything was left */
    cr_expect_eq(system(cmd), 0, "files left in %s", dir);
}

/* A recipe is data: quotes, backticks and system() in a title are printed, never run. */
Test(cli, figure_recipe_strings_never_execute)
{
    char dir[] = "/tmp/lsc_cli_fig_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char ini[128], pwned[128], gp[128];
    snprintf(ini, sizeof ini, "%s/r.ini", dir);
    snprintf(pwned, sizeof pwned, "%s/PWNED", dir);
    snprintf(gp, sizeof gp, "%s/x.png.gp", dir);
    char text[2048];
    snprintf(text, sizeof text,
             "title = it's `touch %s` \"quoted\" '); system(\"touch %s\"); #\n"
             "caption = @caption $(touch %s)\n"
             "[run]\nlandscape = himmelblau\noptimizer = adam:lr=0.05,label=a`touch %s`\n"
             "steps = 20\n[figure one]\nkind = contour\nout = x.png\nno_render = true\n",
             pwned, pwned, pwned, pwned);
    write_text(ini, text);
    const char *a[] = {"figure", ini, "--out", dir, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *script = slurp(gp);
    cr_assert_not_null(script);
    cr_assert(strstr(script, "system(") != NULL, "the title text should appear literally");
    free(script);
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "cd %s && gnuplot x.png.gp >/dev/null 2>&1", dir);
        cr_assert_eq(system(cmd), 0, "gnuplot failed on the generated script");
    }
    cr_assert_neq(access(pwned, F_OK), 0, "a recipe string was executed");
    result_free(&r);
}

Test(cli, figure_recipe_errors_name_file_and_line)
{
    const char *ini = "/tmp/lsc_cli_bad_recipe.ini";
    write_text(ini, "[run]\nlandscape = himmelblau\noptimizer = adam\n[figure a]\n"
                    "kind = contour\nout = a.png\nsize = huge\n");
    const char *a[] = {"figure", ini, "--out", "/tmp", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "lsc_cli_bad_recipe.ini:7") && strstr(r.err, "size"), "%s", r.err);
    result_free(&r);
    write_text(ini, "[run]\nlandscape = himmelblau\noptimizer = adam:lr=2\n"
                    "[figure a]\nkind = contour\nout = ../escape.png\n");
    r = run(a);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, ":6"), "%s", r.err);
    result_free(&r);
    unlink(ini);
}

/* The main job: every gallery recipe renders, and the index names every figure. */
Test(cli, gallery_renders_every_recipe, .timeout = 240)
{
    if (access("/usr/bin/gnuplot", X_OK) != 0)
        cr_skip_test("gnuplot is not installed");
    char dir[] = "/tmp/lsc_cli_gallery_XXXXXX", recipes[512], index[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(recipes, sizeof recipes, "%s/../../plots/gallery", LSC_TEST_DATA);
    snprintf(index, sizeof index, "%s/index.md", dir);
    const char *a[] = {"gallery", "--recipes", recipes, "--out", dir, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *md = slurp(index);
    cr_assert_not_null(md);
    int figures = 0;
    for (const char *p = md; (p = strstr(p, "](")) != NULL; p += 2) {
        char name[256], path[512];
        if (sscanf(p + 2, "%255[^)]", name) != 1)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        struct stat st;
        cr_assert_eq(stat(path, &st), 0, "index names %s, which is missing", name);
        cr_assert_gt(st.st_size, 10000, "%s is too small to be a figure", name);
        figures++;
    }
    cr_assert_geq(figures, 12, "only %d figures in the index", figures);
    free(md);
    result_free(&r);
}

/* Figures (issue 6): --no-render says what it wrote, not "wrote f.png". */
Test(cli, plot_no_render_names_the_script_and_data)
{
    char dir[] = "/tmp/lsc_cli_figs_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char tsv[128], png[128];
    snprintf(tsv, sizeof tsv, "%s/t.tsv", dir);
    snprintf(png, sizeof png, "%s/f.png", dir);
    const char *a[] = {"run", "--landscape", "himmelblau", "--optimizer", "adam:lr=0.05",
                       "--steps", "20", "--quiet", "--out", tsv, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    const char *b[] = {"plot", tsv, "--out", png, "--no-render", NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "f.png.gp and its data files") && !strstr(r.err, "f.png\n"),
              "--no-render names the script and data, not the image: %s", r.err);
    result_free(&r);
}

/* A recipe's style file is used only with --trust-recipe. */
Test(cli, recipe_style_needs_trust_recipe)
{
    char dir[] = "/tmp/lsc_cli_figs_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char ini[128], style[128], text[512];
    snprintf(style, sizeof style, "%s/s.gp", dir);
    write_text(style, "set linetype 1 lc rgb '#000000'\n");
    snprintf(ini, sizeof ini, "%s/r.ini", dir);
    snprintf(text, sizeof text, "[run]\nlandscape = himmelblau\noptimizer = adam\nsteps = 20\n"
             "[figure a]\nkind = contour\nout = a.png\nno_render = true\nstyle = %s\n", style);
    write_text(ini, text);
    const char *c[] = {"figure", ini, "--out", dir, NULL};
    result r = run(c);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "r.ini:9") && strstr(r.err, "--trust-recipe"), "%s", r.err);
    result_free(&r);
    const char *d[] = {"figure", ini, "--out", dir, "--trust-recipe", NULL};
    r = run(d);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
}

/* The gallery index goes through a temporary of its own: a stale index.html.tmp (or
 * another gallery's) is no obstacle. */
Test(cli, gallery_index_has_no_fixed_temporary)
{
    char dir[] = "/tmp/lsc_cli_figs_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char rec[128], out[128], tmp[160], html[160], ini[160];
    snprintf(rec, sizeof rec, "%s/rec", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(tmp, sizeof tmp, "%s/index.html.tmp", out);
    snprintf(html, sizeof html, "%s/index.html", out);
    snprintf(ini, sizeof ini, "%s/g.ini", rec);
    cr_assert_eq(mkdir(rec, 0755), 0);
    cr_assert_eq(mkdir(out, 0755), 0);
    cr_assert_eq(mkdir(tmp, 0755), 0); /* in the way of a fixed temporary name */
    write_text(ini, "[run]\nlandscape = himmelblau\noptimizer = adam\nsteps = 20\n"
                    "[figure a]\nkind = contour\nout = g.png\nno_render = true\n");
    const char *e[] = {"gallery", "--recipes", rec, "--out", out, NULL};
    result r = run(e);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(access(html, F_OK), 0, "index.html written");
    result_free(&r);
}

/* Issue 8, item 1: figures that differ only in their extension share no file. One recipe
 * draws a.png and a.svg; each has its own script (a.png.gp, a.svg.gp), and each script
 * re-renders its own image by itself. */
Test(cli, figures_differing_in_extension_keep_their_own_files)
{
    char dir[] = "/tmp/lsc_cli_own_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char ini[128], path[192];
    snprintf(ini, sizeof ini, "%s/r.ini", dir);
    write_text(ini, "[run]\nlandscape = himmelblau\noptimizer = adam:lr=0.05\nsteps = 20\n"
                    "[figure a]\nkind = contour\nout = a.png\nno_render = true\ngrid = 20\n"
                    "[figure b]\nkind = curves\nout = a.svg\nno_render = true\n");
    const char *a[] = {"figure", ini, "--out", dir, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    static const char *const own[] = {"a.png.gp", "a.png.paths.tsv", "a.png.grid.f32",
                                      "a.svg.gp", "a.svg.curves.tsv"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, own[i]);
        cr_assert_eq(access(path, F_OK), 0, "%s missing", own[i]);
    }
    snprintf(path, sizeof path, "%s/a.gp", dir);
    cr_assert_neq(access(path, F_OK), 0, "a.gp: a file both would share");
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "cd / && gnuplot '%s/a.png.gp' && gnuplot '%s/a.svg.gp' "
                 ">/dev/null 2>&1", dir, dir);
        cr_assert_eq(system(cmd), 0, "a script does not re-render by itself");
        snprintf(path, sizeof path, "%s/a.png", dir);
        cr_assert_eq(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/a.svg", dir);
        cr_assert_eq(access(path, F_OK), 0);
    }
}

/* Issue 8, item 2: `run --plot FIG` without --out draws the figure and writes the
 * trajectory nowhere: nothing on standard output, no trajectory file. */
Test(cli, run_plot_without_out_prints_no_trajectory)
{
    char dir[] = "/tmp/lsc_cli_plotonly_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char png[128], cmd[256];
    snprintf(png, sizeof png, "%s/r.png", dir);
    const char *a[] = {"run", "--landscape", "himmelblau", "--optimizer", "adam:lr=0.05",
                       "--steps", "30", "--plot", png, "--no-render", NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "", "the trajectory went to standard output");
    cr_assert(strstr(r.err, "wrote "), "%s", r.err);
    result_free(&r);
    /* only the figure's own files: no trajectory beside them */
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -v '^r\\.png\\.' | grep -q .", dir);
    cr_assert_neq(system(cmd), 0, "a file other than the figure's in %s", dir);
    /* without --plot the trajectory still goes to standard output */
    const char *b[] = {"run", "--landscape", "himmelblau", "--optimizer", "adam:lr=0.05",
                       "--steps", "30", "--quiet", NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "# landscape: himmelblau\n"), "%s", r.out);
    result_free(&r);
}

/* Issue 8, item 2: `figure` says what it wrote, as run and plot do, and a recipe saves its
 * trajectory (save_trajectory = FILE, in the output directory; --save-trajectory FILE
 * instead): the same bytes `run` writes for the same runs. */
Test(cli, figure_says_what_it_wrote_and_saves_the_trajectory)
{
    char dir[] = "/tmp/lsc_cli_save_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char ini[128], out[128], saved[160], mine[128], ref[128];
    snprintf(ini, sizeof ini, "%s/r.ini", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(saved, sizeof saved, "%s/out/runs.tsv", dir);
    snprintf(mine, sizeof mine, "%s/mine.tsv", dir);
    snprintf(ref, sizeof ref, "%s/ref.tsv", dir);
    write_text(ini, "[run]\nlandscape = himmelblau\noptimizer = adam:lr=0.05\nsteps = 25\n"
                    "save_trajectory = runs.tsv\n"
                    "[figure a]\nkind = contour\nout = a.png\nno_render = true\ngrid = 20\n");
    const char *a[] = {"figure", ini, "--out", out, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[512];
    snprintf(want, sizeof want, "wrote %s/a.png.gp and its data files", out);
    cr_assert(strstr(r.err, want), "no 'wrote' line for the figure: [%s]", r.err);
    snprintf(want, sizeof want, "wrote %s (the trajectory)\n", saved);
    cr_assert(strstr(r.err, want), "no 'wrote' line for the trajectory: [%s]", r.err);
    cr_assert_str_eq(r.out, "");
    result_free(&r);
    const char *b[] = {"run", "--landscape", "himmelblau", "--optimizer", "adam:lr=0.05",
                       "--steps", "25", "--quiet", "--out", ref, NULL};
    r = run(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    char *x = slurp(saved), *y = slurp(ref);
    cr_assert(x && y && !strcmp(x, y), "the saved trajectory differs from run's");
    free(x);
    /* the flag instead of the key, into a file of the user's choosing */
    cr_assert_eq(unlink(saved), 0);
    const char *c[] = {"figure", ini, "--out", out, "--save-trajectory", mine, NULL};
    r = run(c);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    x = slurp(mine);
    cr_assert(x && !strcmp(x, y), "--save-trajectory differs from run's");
    cr_assert_neq(access(saved, F_OK), 0, "the key's file too, with the flag given");
    free(x);
    free(y);
}

/* Issue 8, item 3: `gallery` run from a folder outside the source tree writes into
 * ./plots/out of that folder (or --out), never into the source tree it was built from (the
 * recipes come from there: the executable runs from its build tree). One recipe (--only)
 * keeps it fast. */
static char *listing_of(const char *dirs)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls -la --full-time %s 2>&1", dirs);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    n = fread(s, 1, cap - 1, p);
    s[n] = '\0';
    pclose(p);
    return s;
}

Test(cli, gallery_outside_the_source_tree_writes_here, .timeout = 120)
{
    char dir[] = "/tmp/lsc_cli_elsewhere_XXXXXX", src[512], here[256], cwd[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(src, sizeof src, "'%s/../../plots' '%s/../../plots/out'", LSC_TEST_DATA,
             LSC_TEST_DATA);
    char *before = listing_of(src);
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(dir), 0);
    const char *a[] = {"gallery", "--only", "04-double-well-trap", NULL};
    result r = run(a);
    cr_assert_eq(chdir(cwd), 0);
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        cr_assert_eq(r.status, 0, "%s", r.err);
        snprintf(here, sizeof here, "%s/plots/out/04-double-well-trap.png", dir);
        cr_assert_eq(access(here, F_OK), 0, "the figure is not in ./plots/out: %s", r.err);
        snprintf(here, sizeof here, "%s/plots/out/04-double-well-trap.png.gp", dir);
        cr_assert_eq(access(here, F_OK), 0, "nor its script");
    } else {
        cr_assert_eq(r.status, 3, "without gnuplot: %s", r.err); /* found the recipes */
    }
    result_free(&r);
    char *after = listing_of(src);
    cr_assert_str_eq(before, after, "the gallery wrote into the source tree");
    free(before);
    free(after);
    /* --out elsewhere: there, and not in ./plots/out */
    char out[300], fig[340];
    snprintf(out, sizeof out, "%s/figs", dir);
    snprintf(fig, sizeof fig, "%s/04-double-well-trap.png", out);
    cr_assert_eq(chdir(dir), 0);
    const char *b[] = {"gallery", "--only", "04-double-well-trap", "--out", out, NULL};
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        cr_assert_eq(system("rm -rf plots"), 0);
        r = run(b);
        cr_assert_eq(chdir(cwd), 0);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert_eq(access(fig, F_OK), 0, "not in --out");
        snprintf(here, sizeof here, "%s/plots", dir);
        cr_assert_neq(access(here, F_OK), 0, "./plots made although --out was given");
        result_free(&r);
    } else {
        cr_assert_eq(chdir(cwd), 0);
    }
}

/* The rows of a table or a trajectory's text (lines not starting with '#', after the
 * header row), each NUL-terminated in place; returns their number (at most max). */
static int table_rows(char *text, char **rows, int max)
{
    int n = 0, header = 1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        if (header) {
            header = 0;
            continue;
        }
        if (n < max)
            rows[n++] = line;
    }
    return n;
}

/* The k-th tab-separated field of a row (0-based), as a number. */
static double field(const char *row, int k)
{
    for (int i = 0; i < k; i++)
        row = strchr(row, '\t') + 1;
    return strtod(row, NULL);
}

/* data --holdout F --seed S --out TRAIN --test-out TEST splits as a run with --holdout F
 * --seed S does: the two files hold every row of the whole set once, the training rows
 * in their order, and a run on TRAIN (no holdout) has the losses, bit for bit, of a run
 * on the generator with the holdout. */
Test(cli, data_holdout_writes_the_split_a_run_makes)
{
    char dir[] = "/tmp/lsc_cli_split_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char all[128], tr[128], te[128];
    snprintf(all, sizeof all, "%s/all.tsv", dir);
    snprintf(tr, sizeof tr, "%s/train.tsv", dir);
    snprintf(te, sizeof te, "%s/test.tsv", dir);
    const char *a[] = {"data", "blobs:n=40,classes=3", "--seed", "3", "--out", all, NULL};
    const char *s[] = {"data", "blobs:n=40,classes=3", "--seed", "3", "--holdout", "0.25",
                       "--out", tr, "--test-out", te, NULL};
    result r = run(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    r = run(s);
    cr_assert_eq(r.status, 0, "%s", r.err);
    result_free(&r);
    char *ta = slurp(all), *ttr = slurp(tr), *tte = slurp(te);
    char *ra[64], *rtr[64], *rte[64];
    const int na = table_rows(ta, ra, 64), ntr = table_rows(ttr, rtr, 64),
              nte = table_rows(tte, rte, 64);
    cr_assert(na == 40 && ntr == 30 && nte == 10, "%d rows: %d + %d", na, ntr, nte);
    int used[40] = {0}, last = -1;
    for (int i = 0; i < 40; i++) { /* each row of the whole set in exactly one part */
        char *row = i < 30 ? rtr[i] : rte[i - 30];
        int at = -1;
        for (int k = 0; k < 40 && at < 0; k++)
            if (!used[k] && !strcmp(ra[k], row))
                at = k;
        cr_assert_geq(at, 0, "row '%s' is not a row of the whole set", row);
        used[at] = 1;
        if (i < 30) { /* training rows keep the order */
            cr_assert_gt(at, last, "training row %d out of order", i);
            last = at;
        }
    }
    free(ta), free(ttr), free(tte);
    /* the same training set as a run's */
    const char *rf[] = {"run", "--landscape", "softmax", "--data", tr, "--optimizer",
                        "sgd:lr=0.5", "--steps", "8", "--seed", "3", "--quiet", "--out", "-",
                        NULL};
    const char *rg[] = {"run", "--landscape", "softmax", "--data", "blobs:n=40,classes=3",
                        "--holdout", "0.25", "--optimizer", "sgd:lr=0.5", "--steps", "8",
                        "--seed", "3", "--quiet", "--out", "-", NULL};
    result u = run(rf), v = run(rg);
    cr_assert_eq(u.status, 0, "%s", u.err);
    cr_assert_eq(v.status, 0, "%s", v.err);
    char *ru[16], *rv[16];
    cr_assert_eq(table_rows(u.out, ru, 16), 9);
    cr_assert_eq(table_rows(v.out, rv, 16), 9);
    for (int k = 0; k < 9; k++)
        cr_assert_eq(field(ru[k], 3), field(rv[k], 3), "row %d: loss %s / %s", k, ru[k], rv[k]);
    result_free(&u);
    result_free(&v);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
