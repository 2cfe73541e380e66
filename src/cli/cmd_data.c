/* cmd_data.c — `losscape data SPEC`: make or read a data set and write it as a table
 *
 * With --holdout FRAC the set is split as a run splits it (lsc_data_split with the same
 * seed: `run --data SPEC --holdout FRAC --seed S` trains on exactly the rows --out gets)
 * and the held-out rows go to a second file, --test-out: each file is a data set of its
 * own that reads back unchanged (a split column would read back as a feature).
 *
 * With --plot FIG.png the set is drawn instead (the figure kind data: two features by
 * class, or the target against one feature; with --holdout the held-out rows open), and
 * the tables are written only when --out (and --test-out) are given. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const cli_flag data_flags[] = {
    {"--out", 1, "FILE    write the table to FILE: tab-separated, or comma-separated for "
                 "FILE.csv (default '-': standard output)"},
    {"--seed", 1, "S       seed of a generator whose spec has no seed= (default 1)"},
    {"--target", 1, "NAME    a data file's target column (default: its last)"},
    {"--holdout", 1, "FRAC    split off this fraction as a run does (seeded by --seed): "
                     "--out gets the training rows, --test-out the held-out ones"},
    {"--test-out", 1, "FILE    with --holdout: write the held-out rows to FILE"},
    {"--plot", 1, "FIG     draw the set (.png .svg .pdf .tex): two features by class, or the "
                  "target against one feature; with --holdout its rows open; tables then "
                  "only with --out"},
    {"--help", 0, "        this text"},
};

const char cmd_data_usage[] = "data SPEC [--out FILE] [--seed S] [--target NAME] "
                              "[--holdout FRAC --test-out FILE] [--plot FIG.png]";

int cmd_data_flags(cli_flag *flags, int cap)
{
    return cli_copy_flags(flags, cap, data_flags, LSC_COUNTOF(data_flags));
}

static void usage(void)
{
    printf("usage: losscape %s\n\n", cmd_data_usage);
    printf("SPEC is a generator, name[:key=value,...], or a file NAME.tsv or NAME.csv with a\n"
           "header row (feature columns, then the target). Generators:\n\n");
    for (int i = 0; i < lsc_data_registry_count; i++) {
        const lsc_data_type *T = lsc_data_registry[i];
        char keys[256] = "";
        size_t used = 0;
        for (int k = 0; k < T->nparams && used < sizeof keys; k++)
            used += (size_t)snprintf(keys + used, sizeof keys - used, "%s%s", k ? "," : "",
                                     T->params[k].name);
        printf("  %-8s %s\n           keys: %s\n", T->name, T->summary, keys);
    }
    printf("\nOptions:\n");
    cli_print_flags(stdout, data_flags, LSC_COUNTOF(data_flags));
}

/* An error of the library: a message about the SPEC ("data: ...") is the verb's own;
 * "target: ..." and "out: ..." name their flags. */
static int fail(const lsc_error *err)
{
    if (!strncmp(err->msg, "data:", 5))
        return cli_fail(err->code == LSC_EINVAL ? CLI_USAGE : CLI_FAILED, "%s", err->msg);
    if (!strncmp(err->msg, "target:", 7) || !strncmp(err->msg, "out:", 4) ||
        !strncmp(err->msg, "test-out:", 9) || !strncmp(err->msg, "holdout:", 8))
        return cli_fail(err->code == LSC_EINVAL ? CLI_USAGE : CLI_FAILED, "--%s", err->msg);
    return cli_fail_err(err);
}

/* An output (flag --out or --test-out) before any work: not a directory, in a directory
 * that exists. */
static int check_out(const char *flag, const char *out)
{
    struct stat st;
    if (!strcmp(out, "-"))
        return 0;
    if (lsc_has_control(out))
        return cli_fail(CLI_USAGE, "%s: '%s': control characters (newline, tab, ...) are "
                        "not allowed in a file name", flag, out);
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_fail(CLI_USAGE, "%s: '%s' is a directory (a file name is expected)", flag,
                        out);
    const char *slash = strrchr(out, '/');
    if (slash && slash != out) {
        char d[4096];
        snprintf(d, sizeof d, "%.*s", (int)(slash - out), out);
        if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
            return cli_fail(CLI_USAGE, "%s: directory '%s' does not exist", flag, d);
    }
    return 0;
}

/* --holdout and --test-out: both or neither, and two different files. */
static int check_split(double holdout, const char *out, const char *test_out)
{
    if (holdout > 0 && !test_out)
        return cli_fail(CLI_USAGE, "--holdout: %g: the held-out rows need a file of their "
                        "own: add --test-out FILE (--out gets the training rows)", holdout);
    if (test_out && !(holdout > 0))
        return cli_fail(CLI_USAGE, "--test-out: '%s': there is no test set without --holdout "
                        "FRAC", test_out);
    if (test_out && !strcmp(test_out, out))
        return cli_fail(CLI_USAGE, "--test-out: '%s' is also --out (the training and the "
                        "held-out rows go to two files)", test_out);
    return test_out ? check_out("--test-out", test_out) : 0;
}

/* --plot: the set, or its two parts, as a data figure. 0 or an exit status. */
static int plot_sets(const lsc_dataset *train, const lsc_dataset *test, const char *fig)
{
    lsc_plot_opts o;
    lsc_error err = {0};
    lsc_plot_opts_default(&o);
    if (lsc_plot_opts_set(&o, "out", fig, &err) != LSC_OK)
        return cli_fail(CLI_USAGE, "--plot: %s", err.msg);
    int rc = lsc_plot_render_data(train, test, &o, &err);
    if (rc == LSC_EINVAL)
        return cli_fail(CLI_USAGE, "--plot: %s", err.msg);
    if (rc != LSC_OK)
        return cli_fail_err(&err);
    fprintf(stderr, "wrote %s\n", fig);
    return CLI_OK;
}

/* The training rows to out and the held-out rows to test_out, both or neither: each is
 * written to its temporary first, and only when both are complete are they moved into
 * place (outfile.h). */
static int write_pair(const lsc_dataset parts[2], const char *out, const char *test_out,
                      lsc_error *err)
{
    const char *path[2] = {out, test_out}, *what[2] = {"out", "test-out"};
    lsc_outfile f[2];
    int opened = 0, rc = LSC_OK;
    for (; opened < 2 && rc == LSC_OK; opened++)
        if ((rc = lsc_outfile_open(&f[opened], path[opened], what[opened], err)) != LSC_OK)
            break;
    for (int k = 0; k < opened && rc == LSC_OK; k++)
        lsc_data_print(&parts[k], f[k].fp, lsc_data_separator(path[k]));
    for (int k = 0; k < opened && rc == LSC_OK; k++)
        if (fflush(f[k].fp) != 0 || ferror(f[k].fp)) {
            lsc_error_set(err, LSC_EIO, "%s: '%s': write failed", what[k], path[k]);
            rc = LSC_EIO;
        }
    for (int k = 0; k < opened; k++)
        if (rc != LSC_OK)
            lsc_outfile_abort(&f[k]);
        else
            rc = lsc_outfile_commit(&f[k], err);
    return rc;
}

/* The set of spec, split when holdout > 0, drawn to fig (NULL: none), then written to out
 * (and test_out) unless tables is 0: the figure first, so that what it refuses (the set's
 * shape, the name) writes nothing. */
static int write_sets(const char *spec, const char *target, unsigned long long seed,
                      double holdout, const char *out, const char *test_out, const char *fig,
                      int tables)
{
    lsc_dataset D, parts[2];
    lsc_error err = {0};
    int status = CLI_OK, split = 0;
    memset(parts, 0, sizeof parts);
    if (lsc_data_load(&D, spec, target, seed, &err) != LSC_OK)
        status = fail(&err);
    else if (holdout > 0 && !(split = lsc_data_split(&D, holdout, seed, &parts[0], &parts[1],
                                                     &err) == LSC_OK))
        status = fail(&err);
    else if (fig)
        status = plot_sets(split ? &parts[0] : &D, split ? &parts[1] : NULL, fig);
    if (status == CLI_OK && tables &&
        (split ? write_pair(parts, out, test_out, &err) : lsc_data_write(&D, out, &err)) !=
            LSC_OK)
        status = fail(&err);
    lsc_data_free(&D);
    if (split) {
        lsc_data_free(&parts[0]);
        lsc_data_free(&parts[1]);
    }
    return status;
}

int cmd_data(int argc, char **argv)
{
    cli_args a = {argc, 1, argv, "data", data_flags, LSC_COUNTOF(data_flags)};
    const cli_flag *fl;
    const char *v, *spec = NULL, *out = "-", *target = NULL, *test_out = NULL, *fig = NULL;
    int has_out = 0;
    long seed = 1;
    double holdout = 0;
    int r;
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl) {
            if (spec)
                return cli_fail(CLI_USAGE, "data: one SPEC only (got '%s' and '%s')", spec, v);
            spec = v;
        } else if (!strcmp(fl->name, "--help")) {
            usage();
            return CLI_OK;
        } else if (!strcmp(fl->name, "--out")) {
            if (!*v)
                return cli_fail(CLI_USAGE, "--out: empty file name (use '-' for standard "
                                "output)");
            out = v;
            has_out = 1;
        } else if (!strcmp(fl->name, "--plot")) {
            fig = v;
        } else if (!strcmp(fl->name, "--seed")) {
            if (cli_long("--seed", v, 0, 9000000000000000L, &seed))
                return CLI_USAGE;
        } else if (!strcmp(fl->name, "--holdout")) { /* as a run's holdout: 0 < FRAC < 1 */
            if (lsc_parse_double(v, &holdout) != LSC_OK || !(holdout > 0 && holdout < 1))
                return cli_fail(CLI_USAGE, "--holdout: '%s' is not allowed (a fraction > 0 "
                                "and < 1)", v);
        } else if (!strcmp(fl->name, "--test-out")) {
            if (!*v)
                return cli_fail(CLI_USAGE, "--test-out: empty file name (use '-' for "
                                "standard output)");
            test_out = v;
        } else {
            target = v;
        }
    }
    if (r < 0)
        return CLI_USAGE;
    if (!spec)
        return cli_fail(CLI_USAGE, "data: which data set? (a generator such as blobs or "
                        "spiral:noise=0.1, or a file NAME.tsv or NAME.csv; 'losscape data "
                        "--help' lists them)");
    /* --plot alone writes no table: its split needs no --test-out */
    const int tables = !fig || has_out || test_out;
    if (tables && (check_out("--out", out) || check_split(holdout, out, test_out)))
        return CLI_USAGE;
    if (lsc_data_is_file(spec) && cli_input_file("data", spec))
        return CLI_USAGE;
    return write_sets(spec, target, (unsigned long long)seed, holdout, out, test_out, fig,
                      tables);
}
