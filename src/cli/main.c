/* main.c — `losscape VERB ...`: dispatch, shared argument handling, exit statuses */
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

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} verbs[] = {
    {"list", cmd_list, "list landscapes, optimizers and schedules (--long: their keys)"},
    {"info", cmd_info, "describe a landscape, optimizer or schedule: formula, keys with "
                       "defaults, PyTorch equivalent; a landscape's critical points, --check"},
    {"run", cmd_run, "run optimizers on a landscape and write the trajectory (TSV)"},
    {"plot", cmd_plot, "draw a trajectory file: contour, surface, curves, animation, slice"},
    {"figure", cmd_figure, "run figure recipes (INI files) and render them"},
    {"gallery", cmd_gallery, "render every recipe of plots/gallery/ with an index"},
    {"data", cmd_data, "make or read a data set (generator or TSV/CSV file) and write it"},
};
#define NVERBS LSC_COUNTOF(verbs)

static void usage(FILE *fp)
{
    fprintf(fp, "usage: losscape VERB [options]   (losscape VERB --help for its options)\n\n");
    for (int i = 0; i < NVERBS; i++)
        fprintf(fp, "  %-8s %s\n", verbs[i].name, verbs[i].help);
    fprintf(fp, "\nSpecs are name[:key=value,...], e.g. adam:lr=0.01,beta1=0.9 or "
                "rosenbrock:b=100.\n");
}

int main(int argc, char **argv)
{
    lsc_init(); /* GSL reports errors, never aborts */
    lsc_outfile_cleanup_on_signals(); /* SIGINT/SIGTERM/SIGHUP remove our temporaries */
    if (argc < 2) {
        char verbs_text[128] = "";
        for (int i = 0; i < NVERBS; i++)
            snprintf(verbs_text + strlen(verbs_text), sizeof verbs_text - strlen(verbs_text),
                     "%s%s", i ? ", " : "", verbs[i].name);
        return cli_fail(CLI_USAGE, "which verb? (allowed: %s; 'losscape --help' describes "
                        "them)", verbs_text);
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(verb, "--version")) {
        printf("losscape %s\n", LSC_VERSION);
        return CLI_OK;
    }
    for (int i = 0; i < NVERBS; i++)
        if (!strcmp(verb, verbs[i].name))
            return verbs[i].fn(argc - 1, argv + 1);
    const char *names[NVERBS];
    for (int i = 0; i < NVERBS; i++)
        names[i] = verbs[i].name;
    const char *close = lsc_closest(verb, names, NVERBS);
    if (close)
        return cli_fail(CLI_USAGE, "unknown verb '%s' (did you mean '%s'? 'losscape --help' "
                        "lists them)", verb, close);
    return cli_fail(CLI_USAGE, "unknown verb '%s' ('losscape --help' lists them)", verb);
}
