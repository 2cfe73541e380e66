/* cmd_list.c — `losscape list [landscapes|optimizers|schedules]` */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void list_landscapes(void)
{
    printf("landscapes:\n");
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        char dim[16];
        if (T->dim)
            snprintf(dim, sizeof dim, "%d-D", T->dim);
        else
            snprintf(dim, sizeof dim, "n-D");
        printf("  %-18s %-4s %s\n", T->name, dim, T->summary);
    }
}

static void list_optimizers(void)
{
    printf("optimizers:\n");
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        printf("  %-18s %s\n", T->name, T->summary);
    }
}

static void list_schedules(void)
{
    printf("schedules:\n");
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        printf("  %-18s %s\n", T->name, T->summary);
    }
}

int cmd_list(int argc, char **argv)
{
    static const char *const what[] = {"landscapes", "optimizers", "schedules"};
    if (argc > 2)
        return cli_fail(CLI_USAGE, "list: at most one argument (landscapes, optimizers or "
                        "schedules), got %d", argc - 1);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: losscape list [landscapes|optimizers|schedules]\n");
        return CLI_OK;
    }
    const char *which = argc == 2 ? argv[1] : NULL;
    if (which && strcmp(which, what[0]) && strcmp(which, what[1]) && strcmp(which, what[2])) {
        const char *close = lsc_closest(which, what, 3);
        return cli_fail(CLI_USAGE, "list: '%s' is not a family (allowed: landscapes, "
                        "optimizers, schedules%s%s%s)", which, close ? "; did you mean '" : "",
                        close ? close : "", close ? "'?" : "");
    }
    if (!which || !strcmp(which, what[0]))
        list_landscapes();
    if (!which)
        putchar('\n');
    if (!which || !strcmp(which, what[1]))
        list_optimizers();
    if (!which)
        putchar('\n');
    if (!which || !strcmp(which, what[2]))
        list_schedules();
    return CLI_OK;
}
