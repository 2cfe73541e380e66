/* cmd_list.c — `losscape list [landscapes|optimizers|schedules] [--long]` */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_flag list_flags[] = {
    {"--long", 0, "       each member's keys too: key=default and its meaning"},
    {"--help", 0, "       this text"},
};
#define NFLAGS LSC_COUNTOF(list_flags)

const char cmd_list_usage[] = "list [landscapes|optimizers|schedules] [--long]";

int cmd_list_flags(cli_flag *flags, int cap)
{
    return cli_copy_flags(flags, cap, list_flags, NFLAGS);
}

/* Keys under a member with --long: indented below its name. */
#define KEY_INDENT "      "

/* The flag a landscape is used with, after its summary (the library's summaries name no
 * flags): --data for a model over data, --dim for an n-D landscape whose parameters do
 * not fix its dimension. "" for the others. */
static const char *flag_note(const lsc_landscape_type *T, char *buf, size_t len)
{
    if (T->init_data)
        snprintf(buf, len, " (--data)");
    else if (T->dim == 0 && !T->dim_from && T->min_dim > 1)
        snprintf(buf, len, " (any --dim >= %d)", T->min_dim);
    else if (T->dim == 0 && !T->dim_from)
        snprintf(buf, len, " (any --dim)");
    else
        buf[0] = '\0';
    return buf;
}

static void list_landscapes(int with_keys)
{
    printf("landscapes:\n");
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        char dim[16], note[32];
        if (T->dim)
            snprintf(dim, sizeof dim, "%d-D", T->dim);
        else
            snprintf(dim, sizeof dim, "n-D");
        printf("  %-18s %-4s %s%s\n", T->name, dim, T->summary, flag_note(T, note, sizeof note));
        if (with_keys)
            cli_print_keys_short(T->params, T->nparams, KEY_INDENT);
    }
}

static void list_optimizers(int with_keys)
{
    printf("optimizers:\n");
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        printf("  %-18s %s\n", T->name, T->summary);
        if (with_keys)
            cli_print_keys_short(T->params, T->nparams, KEY_INDENT);
    }
}

static void list_schedules(int with_keys)
{
    printf("schedules:\n");
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        printf("  %-18s %s\n", T->name, T->summary);
        if (with_keys)
            cli_print_keys_short(T->params, T->nparams, KEY_INDENT);
    }
}

int cmd_list(int argc, char **argv)
{
    static const char *const what[] = {"landscapes", "optimizers", "schedules"};
    cli_args a = {argc, 1, argv, "list", list_flags, NFLAGS};
    const cli_flag *fl;
    const char *val, *which = NULL;
    int with_keys = 0, r;
    while ((r = cli_next(&a, &fl, &val)) > 0) {
        if (!fl) {
            if (which)
                return cli_fail(CLI_USAGE, "list: at most one family (landscapes, optimizers "
                                "or schedules), got '%s' and '%s'", which, val);
            which = val;
        } else if (!strcmp(fl->name, "--long")) {
            with_keys = 1;
        } else {
            printf("usage: losscape %s\n\n'losscape info NAME' describes one of them in "
                   "full.\n\n", cmd_list_usage);
            cli_print_flags(stdout, list_flags, NFLAGS);
            return CLI_OK;
        }
    }
    if (r < 0)
        return CLI_USAGE;
    if (which && strcmp(which, what[0]) && strcmp(which, what[1]) && strcmp(which, what[2])) {
        const char *close = lsc_closest(which, what, 3);
        return cli_fail(CLI_USAGE, "list: '%s' is not a family (allowed: landscapes, "
                        "optimizers, schedules%s%s%s)", which, close ? "; did you mean '" : "",
                        close ? close : "", close ? "'?" : "");
    }
    if (!which || !strcmp(which, what[0]))
        list_landscapes(with_keys);
    if (!which)
        putchar('\n');
    if (!which || !strcmp(which, what[1]))
        list_optimizers(with_keys);
    if (!which)
        putchar('\n');
    if (!which || !strcmp(which, what[2]))
        list_schedules(with_keys);
    return CLI_OK;
}
