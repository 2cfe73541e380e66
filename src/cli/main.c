/* main.c — `losscape VERB ...`: the verb table, dispatch (cli_main; the executable's main
 * is in exe.c, so the documentation generator links all of this too), shared argument
 * handling, exit statuses */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "cli.h"
#include "lsc_version.h"

/* One line, whatever the user typed: control characters in the message (a newline in a
 * label, an escape sequence in a file name) are shown escaped (lsc_escape_control). */
int cli_fail(int status, const char *fmt, ...)
{
    char raw[4096], line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    lsc_escape_control(line, sizeof line, raw);
    fprintf(stderr, "losscape: %s\n", line);
    return status;
}

int cli_input_file(const char *flag, const char *path)
{
    struct stat st;
    if (!path[0])
        return cli_fail(CLI_USAGE, "%s: empty file name", flag);
    if (stat(path, &st) != 0)
        return cli_fail(CLI_USAGE, "%s: '%s': %s", flag, path,
                        errno == ENOENT ? "no such file" : strerror(errno));
    if (S_ISDIR(st.st_mode))
        return cli_fail(CLI_USAGE, "%s: '%s' is a directory (a file is expected)", flag, path);
    /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer here */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return cli_fail(CLI_USAGE, "%s: cannot read '%s': %s", flag, path, strerror(errno));
    close(fd);
    return 0;
}

/* The library's messages name keys, as a recipe or a C caller knows them ("dim: 5 given,
 * ..."); every key of an experiment (experiment.h: its own keys and the driver options of
 * the one table, lsc_driver_options) is also a flag, so the command line says it as the
 * flag the user typed ("--dim: 5 given, ...", "--clip-norm: '0' is not allowed ..."). */
void cli_flag_of_key(char *buf, size_t len, const char *key)
{
    snprintf(buf, len, "--%s", key);
    for (char *p = buf; *p; p++)
        *p = *p == '_' ? '-' : *p;
}

void cli_key_of_flag(char *buf, size_t len, const char *flag)
{
    snprintf(buf, len, "%s", strncmp(flag, "--", 2) ? flag : flag + 2);
    for (char *p = buf; *p; p++)
        *p = *p == '-' ? '_' : *p;
}

int cli_fail_err(const lsc_error *err)
{
    int status = err->code == LSC_EINVAL ? CLI_USAGE
                 : err->code == LSC_EEXTERNAL ? CLI_EXTERNAL
                                              : CLI_FAILED;
    const char *msg = err->msg[0] ? err->msg : "unknown error";
    const char *keys[64];
    const int nkeys = lsc_experiment_keys(keys, LSC_COUNTOF(keys), 0);
    for (int i = 0; i < nkeys && i < LSC_COUNTOF(keys); i++) {
        size_t len = strlen(keys[i]);
        if (!strncmp(msg, keys[i], len) && msg[len] == ':') {
            char flag[80];
            cli_flag_of_key(flag, sizeof flag, keys[i]);
            return cli_fail(status, "%s%s", flag, msg + len);
        }
    }
    return cli_fail(status, "%s", msg);
}

int cli_next(cli_args *a, const cli_flag **flag, const char **value)
{
    if (a->i >= a->argc)
        return 0;
    const char *arg = a->argv[a->i++];
    *flag = NULL;
    *value = NULL;
    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
        *value = arg;
        return 1;
    }
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    for (int k = 0; k < a->nflags; k++) {
        const cli_flag *f = &a->flags[k];
        if (strlen(f->name) != len || strncmp(f->name, arg, len) != 0)
            continue;
        *flag = f;
        if (!f->takes_value) {
            if (eq) {
                cli_fail(CLI_USAGE, "%s takes no value (got '%s')", f->name, arg);
                return -1;
            }
            return 1;
        }
        if (eq) {
            *value = eq + 1;
        } else if (a->i < a->argc) {
            *value = a->argv[a->i++]; /* may start with '-': --start -1.5,2 */
        } else {
            cli_fail(CLI_USAGE, "%s needs a value ('losscape %s --help' lists the flags)",
                     f->name, a->verb);
            return -1;
        }
        return 1;
    }
    const char *names[64];
    int nn = 0;
    for (int k = 0; k < a->nflags && nn < 64; k++)
        names[nn++] = a->flags[k].name;
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), arg);
    const char *close = lsc_closest(word, names, nn);
    if (close)
        cli_fail(CLI_USAGE, "unknown flag '%s' for '%s' (did you mean '%s'?)", word, a->verb,
                 close);
    else
        cli_fail(CLI_USAGE, "unknown flag '%s' for '%s' ('losscape %s --help' lists them)",
                 word, a->verb, a->verb);
    return -1;
}

int cli_long(const char *flag, const char *value, long lo, long hi, long *out)
{
    long v;
    if (lsc_parse_long(value, &v) != LSC_OK || v < lo || v > hi) {
        cli_fail(CLI_USAGE, "%s: '%s' is not allowed (expected an integer from %ld to %ld, "
                 "in decimal: 500, 2e4)", flag, value, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_double(const char *flag, const char *value, double lo, double hi, int lo_open,
               double *out)
{
    double v;
    if (lsc_parse_double(value, &v) != LSC_OK || !isfinite(v) ||
        (lo_open ? !(v > lo) : !(v >= lo)) || !(v <= hi)) {
        char a[32], b[32];
        cli_fail(CLI_USAGE, "%s: '%s' is not allowed (expected a finite number %s %s%s%s)",
                 flag, value, lo_open ? ">" : ">=", lsc_fmt_double(a, lo),
                 isfinite(hi) ? " and <= " : "", isfinite(hi) ? lsc_fmt_double(b, hi) : "");
        return -1;
    }
    *out = v;
    return 0;
}

void cli_print_flags(FILE *fp, const cli_flag *flags, int n)
{
    for (int k = 0; k < n; k++)
        fprintf(fp, "  %-16s %s\n", flags[k].name, flags[k].help);
}

int cli_copy_flags(cli_flag *flags, int cap, const cli_flag *table, int n)
{
    int k = 0;
    for (; k < n && k < cap; k++)
        flags[k] = table[k];
    return k;
}

/* The verbs: dispatch, `losscape --help`, and through them the man page and the completion
 * scripts (src/cli/doc/gendoc.c). A new verb is one line here and, in its file, a usage
 * line and a function giving the flags its --help lists. */
const cli_verb cli_verbs[] = {
    {"list", cmd_list, "list landscapes, optimizers and schedules (--long: their keys)",
     cmd_list_usage, cmd_list_flags},
    {"info", cmd_info, "describe a landscape, optimizer or schedule: formula, keys, PyTorch "
                       "equivalent",
     cmd_info_usage, cmd_info_flags},
    {"run", cmd_run, "run optimizers on a landscape and write the trajectory (TSV)",
     cmd_run_usage, cmd_run_flags},
    {"plot", cmd_plot, "draw trajectory files as a figure of one of the kinds below",
     cmd_plot_usage, cmd_plot_flags},
    {"figure", cmd_figure, "run figure recipes (INI files) and render them", cmd_figure_usage,
     cmd_figure_flags},
    {"gallery", cmd_gallery, "render every recipe of plots/gallery/ with an index",
     cmd_gallery_usage, cmd_gallery_flags},
    {"data", cmd_data, "make or read a data set (generator or TSV/CSV file) and write it",
     cmd_data_usage, cmd_data_flags},
    {"study", cmd_study, "run a study (batch sizes, ...): a measured table next to the "
                         "theory, and figures",
     cmd_study_usage, cmd_study_flags},
};
const int cli_nverbs = LSC_COUNTOF(cli_verbs);

/* What `losscape` takes instead of a verb. */
const cli_flag cli_top_flags[] = {
    {"--help", 0, "        the verbs and the figure kinds (also -h, help; 'help VERB' is "
                  "'VERB --help')"},
    {"--version", 0, "        the version (also -V, version)"},
};
const int cli_ntop_flags = LSC_COUNTOF(cli_top_flags);

static void usage(FILE *fp)
{
    fprintf(fp, "usage: losscape VERB [options]   (losscape VERB --help for its options)\n\n");
    for (int i = 0; i < cli_nverbs; i++)
        fprintf(fp, "  %-8s %s\n", cli_verbs[i].name, cli_verbs[i].help);
    fprintf(fp, "\nFigure kinds (plot --kind KIND, run --plot FIG --kind KIND):\n");
    for (int k = 0; k < LSC_PLOT_NKINDS; k++)
        fprintf(fp, "  %-10s %s\n", lsc_plot_kind_name((lsc_plot_kind)k),
                lsc_plot_kind_summary((lsc_plot_kind)k));
    fprintf(fp, "\nSpecs are name[:key=value,...], e.g. adam:lr=0.01,beta1=0.9 or "
                "rosenbrock:b=100;\n'losscape list' names them all and 'losscape info NAME' "
                "describes one.\n\nOptions instead of a verb:\n");
    cli_print_flags(fp, cli_top_flags, cli_ntop_flags);
    fprintf(fp, "\n'man losscape' has it all on one page.\n");
}

static const cli_verb *find_verb(const char *name)
{
    for (int i = 0; i < cli_nverbs; i++)
        if (!strcmp(name, cli_verbs[i].name))
            return &cli_verbs[i];
    return NULL;
}

static int unknown_verb(const char *verb)
{
    const char *names[64];
    int n = 0;
    for (; n < cli_nverbs && n < 64; n++)
        names[n] = cli_verbs[n].name;
    const char *close = lsc_closest(verb, names, n);
    if (close)
        return cli_fail(CLI_USAGE, "unknown verb '%s' (did you mean '%s'? 'losscape --help' "
                        "lists them)", verb, close);
    return cli_fail(CLI_USAGE, "unknown verb '%s' ('losscape --help' lists them)", verb);
}

int cli_main(int argc, char **argv)
{
    lsc_init(); /* GSL reports errors, never aborts */
    lsc_outfile_cleanup_on_signals(); /* SIGINT/SIGTERM/SIGHUP remove our temporaries */
    if (argc < 2) {
        char verbs_text[256] = "";
        for (int i = 0; i < cli_nverbs; i++)
            snprintf(verbs_text + strlen(verbs_text), sizeof verbs_text - strlen(verbs_text),
                     "%s%s", i ? ", " : "", cli_verbs[i].name);
        return cli_fail(CLI_USAGE, "which verb? (allowed: %s; 'losscape --help' describes "
                        "them)", verbs_text);
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
        if (argc > 3)
            return cli_fail(CLI_USAGE, "%s: at most one verb to describe (got %d arguments)",
                            verb, argc - 2);
        if (argc == 3) { /* help VERB: the verb's own --help */
            const cli_verb *v = find_verb(argv[2]);
            if (!v)
                return unknown_verb(argv[2]);
            static char help_flag[] = "--help";
            char *help_argv[] = {argv[2], help_flag, NULL};
            return v->fn(2, help_argv);
        }
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(verb, "--version") || !strcmp(verb, "-V") || !strcmp(verb, "version")) {
        if (argc > 2)
            return cli_fail(CLI_USAGE, "%s takes no argument (got '%s')", verb, argv[2]);
        printf("losscape %s\n", LSC_VERSION);
        return CLI_OK;
    }
    const cli_verb *v = find_verb(verb);
    return v ? v->fn(argc - 1, argv + 1) : unknown_verb(verb);
}
