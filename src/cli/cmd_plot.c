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

int cmd_plot(int argc, char **argv)
{
    cli_flag flags[160];
    int nflags = cli_plot_flags(flags, 160, plot_extra, 1);
    cli_args a = {argc, 1, argv, "plot", flags, nflags};
    const cli_flag *fl;
    const char *v, *input = NULL;
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    int r, st;
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl) {
            if (input)
                return cli_fail(CLI_USAGE, "plot: one trajectory file at a time (got '%s' and "
                                "'%s')", input, v);
            input = v;
        } else if (!strcmp(fl->name, "--help")) {
            printf("usage: losscape plot TRAJECTORY.tsv --kind KIND --out FIG.png [options]\n\n");
            cli_print_flags(stdout, flags, nflags);
            return CLI_OK;
        } else if ((st = cli_plot_apply(&o, fl, v)) != 0)
            return st;
    }
    if (r < 0)
        return CLI_USAGE;
    if (!input)
        return cli_fail(CLI_USAGE, "plot: which trajectory? e.g. 'losscape plot race.tsv --out "
                        "race.png' (files from 'losscape run --out')");
    if (!o.out[0] && !o.dumb)
        return cli_fail(CLI_USAGE, "plot: --out FIG.png|.svg|.pdf|.tex|.gif is required (or "
                        "--term dumb)");
    if ((st = cli_input_file("plot", input)) != 0)
        return st;
    lsc_error err = {0};
    lsc_trajectory t;
    if (lsc_trajectory_read(&t, input, &err) != LSC_OK)
        return cli_fail_err(&err);
    int status = CLI_OK;
    if (o.kind == LSC_PLOT_BASINS) {
        status = cli_fail(CLI_USAGE, "plot: --kind basins runs the optimizers again from a "
                          "grid of starts: use 'losscape run ... --plot FIG --kind basins' or a "
                          "recipe");
    } else if (lsc_plot_render(&t, NULL, &o, &err) != LSC_OK) {
        status = cli_fail_err(&err);
    } else if (o.out[0]) {
        char what[2 * LSC_PLOT_PATH_MAX + 64];
        fprintf(stderr, "wrote %s\n", lsc_plot_outputs(&o, what, sizeof what));
    }
    lsc_trajectory_free(&t);
    return status;
}
