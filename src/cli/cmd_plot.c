/* cmd_plot.c — `losscape plot TRAJECTORY.tsv --kind K --out FIG.png [plot options]`
 *
 * Every plot option of the library (lsc_plot_keys) is a flag here: --size 800x600,
 * --quiver, --view 60,30, ... ; `--term dumb` draws in the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "--max-points" -> "max_points" */
static void flag_to_key(const char *flag, char *key, size_t len)
{
    snprintf(key, len, "%s", flag + 2);
    for (char *p = key; *p; p++)
        if (*p == '-')
            *p = '_';
}

static int is_switch(const lsc_plot_key *k)
{
    return !strcmp(k->syntax, "BOOL");
}

/* The flag table: every plot key, plus --term and --help, plus `extra` flags. */
int cli_plot_flags(cli_flag *flags, int cap, const cli_flag *extra, int nextra)
{
    static char names[128][40], helps[128][320];
    int n = 0;
    for (int i = 0; i < nextra && n < cap; i++)
        flags[n++] = extra[i];
    for (int i = 0; i < lsc_plot_nkeys && n < cap && i < 128; i++) {
        const lsc_plot_key *k = &lsc_plot_keys[i];
        snprintf(names[i], sizeof names[i], "--%s", k->key);
        for (char *p = names[i] + 2; *p; p++)
            if (*p == '_')
                *p = '-';
        int dup = 0;
        for (int j = 0; j < n; j++)
            dup |= !strcmp(flags[j].name, names[i]);
        snprintf(helps[i], sizeof helps[i], "%-8s %s", is_switch(k) ? "" : k->syntax, k->help);
        if (!dup)
            flags[n++] = (cli_flag){names[i], !is_switch(k), helps[i]};
    }
    if (n < cap)
        flags[n++] = (cli_flag){"--term", 1, "dumb   draw the figure as text in the terminal"};
    return n;
}

/* Apply one plot flag to o; returns 0 or an exit status (printed). */
int cli_plot_apply(lsc_plot_opts *o, const cli_flag *fl, const char *value)
{
    lsc_error err = {0};
    if (!strcmp(fl->name, "--term")) {
        if (strcmp(value, "dumb"))
            return cli_fail(CLI_USAGE, "--term: '%s' is not allowed (only 'dumb'; other "
                            "terminals follow from --out's extension: .png .svg .pdf .tex "
                            ".gif)", value);
        static const cli_flag dumb = {"--dumb", 0, ""};
        value = "true";
        fl = &dumb;
    }
    char key[64];
    flag_to_key(fl->name, key, sizeof key);
    if (lsc_plot_opts_set(o, key, value ? value : "true", &err) != LSC_OK) {
        /* the library names the key; say it as the flag the user typed */
        return cli_fail(CLI_USAGE, "--%s", err.msg[0] ? err.msg : key);
    }
    return 0;
}

static const cli_flag plot_extra[] = {
    {"--help", 0, "       this text"},
};

/* The name under which the runs of inputs[i] are told apart from those of the other
 * files (lsc_run_record.source): its base name, or the path as given when another file
 * has the same base name; the last characters when it is long. */
static void source_name(const char *const *inputs, int n, int i, char *buf, size_t len)
{
    const char *base = strrchr(inputs[i], '/') ? strrchr(inputs[i], '/') + 1 : inputs[i];
    const char *name = base;
    for (int j = 0; j < n; j++) {
        const char *b = strrchr(inputs[j], '/') ? strrchr(inputs[j], '/') + 1 : inputs[j];
        if (strcmp(inputs[j], inputs[i]) && !strcmp(b, base))
            name = inputs[i];
    }
    size_t k = strlen(name);
    if (k < len)
        snprintf(buf, len, "%s", name);
    else
        snprintf(buf, len, "...%s", name + k - (len - 4));
}

/* The trajectory of the figure: one file as it is read, or the runs of several files on
 * the same landscape merged (lsc_trajectory_merge). 0, or an exit status (printed). */
static int read_inputs(const char *const *inputs, int n, lsc_trajectory *t)
{
    lsc_error err = {0};
    if (n == 1)
        return lsc_trajectory_read(t, inputs[0], &err) == LSC_OK ? 0 : cli_fail_err(&err);
    lsc_trajectory_init(t, 0, 0, 0);
    for (int i = 0; i < n; i++) {
        lsc_trajectory u;
        char name[LSC_NAME_MAX];
        if (lsc_trajectory_read(&u, inputs[i], &err) != LSC_OK) {
            lsc_trajectory_free(t);
            return cli_fail_err(&err);
        }
        source_name(inputs, n, i, name, sizeof name);
        int rc = lsc_trajectory_merge(t, &u, name, &err);
        lsc_trajectory_free(&u);
        if (rc != LSC_OK) {
            lsc_trajectory_free(t);
            return rc == LSC_EINVAL ? cli_fail(CLI_USAGE, "plot: %s", err.msg)
                                    : cli_fail_err(&err);
        }
    }
    return 0;
}

const char cmd_plot_usage[] =
    "plot TRAJECTORY.tsv [MORE.tsv ...] --kind KIND --out FIG.png [options]";

int cmd_plot_flags(cli_flag *flags, int cap)
{
    return cli_plot_flags(flags, cap, plot_extra, LSC_COUNTOF(plot_extra));
}

int cmd_plot(int argc, char **argv)
{
    cli_flag flags[160];
    int nflags = cli_plot_flags(flags, 160, plot_extra, 1);
    cli_args a = {argc, 1, argv, "plot", flags, nflags};
    const cli_flag *fl;
    const char *v;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0;
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    int r, st = CLI_OK;
    if (!inputs)
        return cli_fail(CLI_FAILED, "out of memory");
    while (st == CLI_OK && (r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl) {
            inputs[ninputs++] = v;
        } else if (!strcmp(fl->name, "--help")) {
            printf("usage: losscape %s\n\n", cmd_plot_usage);
            cli_print_flags(stdout, flags, nflags);
            printf("\nSeveral trajectory files on the same landscape and dimension draw "
                   "together (runs with\ndifferent schedules, noise levels, starts): each "
                   "run keeps its label, and where\nlabels of two files are the same, the "
                   "legend adds the file's name.\n");
            free(inputs);
            return CLI_OK;
        } else {
            st = cli_plot_apply(&o, fl, v);
        }
    }
    if (st == CLI_OK && r < 0)
        st = CLI_USAGE;
    if (st == CLI_OK && !ninputs)
        st = cli_fail(CLI_USAGE, "plot: which trajectory? e.g. 'losscape plot race.tsv --out "
                      "race.png' (files from 'losscape run --out'; several on one landscape "
                      "draw together)");
    if (st == CLI_OK && !o.out[0] && !o.dumb)
        st = cli_fail(CLI_USAGE, "plot: --out FIG.png|.svg|.pdf|.tex|.gif is required (or "
                      "--term dumb)");
    for (int i = 0; st == CLI_OK && i < ninputs; i++)
        st = cli_input_file("plot", inputs[i]);
    if (st == CLI_OK && o.kind == LSC_PLOT_BASINS)
        st = cli_fail(CLI_USAGE, "plot: --kind basins runs the optimizers again from a "
                      "grid of starts: use 'losscape run ... --plot FIG --kind basins' or a "
                      "recipe");
    lsc_trajectory t;
    if (st == CLI_OK && (st = read_inputs(inputs, ninputs, &t)) == CLI_OK) {
        lsc_error err = {0};
        if (lsc_plot_render(&t, NULL, &o, &err) != LSC_OK) {
            st = cli_fail_err(&err);
        } else if (o.out[0]) {
            char what[2 * LSC_PLOT_PATH_MAX + 64];
            fprintf(stderr, "wrote %s\n", lsc_plot_outputs(&o, what, sizeof what));
        }
        lsc_trajectory_free(&t);
    }
    free(inputs);
    return st;
}
