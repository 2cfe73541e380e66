/* cmd_data.c — `losscape data SPEC`: make or read a data set and write it as a table */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const cli_flag data_flags[] = {
    {"--out", 1, "FILE    write the table to FILE: tab-separated, or comma-separated for "
                 "FILE.csv (default '-': standard output)"},
    {"--seed", 1, "S       seed of a generator whose spec has no seed= (default 1)"},
    {"--target", 1, "NAME    a data file's target column (default: its last)"},
    {"--help", 0, "        this text"},
};

const char cmd_data_usage[] = "data SPEC [--out FILE] [--seed S] [--target NAME]";

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
    if (!strncmp(err->msg, "target:", 7) || !strncmp(err->msg, "out:", 4))
        return cli_fail(err->code == LSC_EINVAL ? CLI_USAGE : CLI_FAILED, "--%s", err->msg);
    return cli_fail_err(err);
}

/* --out before any work: not a directory, in a directory that exists. */
static int check_out(const char *out)
{
    struct stat st;
    if (!strcmp(out, "-"))
        return 0;
    if (lsc_has_control(out))
        return cli_fail(CLI_USAGE, "--out: '%s': control characters (newline, tab, ...) are "
                        "not allowed in a file name", out);
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_fail(CLI_USAGE, "--out: '%s' is a directory (a file name is expected)", out);
    const char *slash = strrchr(out, '/');
    if (slash && slash != out) {
        char d[4096];
        snprintf(d, sizeof d, "%.*s", (int)(slash - out), out);
        if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
            return cli_fail(CLI_USAGE, "--out: directory '%s' does not exist", d);
    }
    return 0;
}

int cmd_data(int argc, char **argv)
{
    cli_args a = {argc, 1, argv, "data", data_flags, LSC_COUNTOF(data_flags)};
    const cli_flag *fl;
    const char *v, *spec = NULL, *out = "-", *target = NULL;
    long seed = 1;
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
        } else if (!strcmp(fl->name, "--seed")) {
            if (cli_long("--seed", v, 0, 9000000000000000L, &seed))
                return CLI_USAGE;
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
    if (check_out(out))
        return CLI_USAGE;
    if (lsc_data_is_file(spec) && cli_input_file("data", spec))
        return CLI_USAGE;
    lsc_dataset D;
    lsc_error err = {0};
    int status = CLI_OK;
    if (lsc_data_load(&D, spec, target, (unsigned long long)seed, &err) != LSC_OK ||
        lsc_data_write(&D, out, &err) != LSC_OK)
        status = fail(&err);
    lsc_data_free(&D);
    return status;
}
