/* cmd_study.c — `losscape study NAME [--key value ...] --out DIR`: run a study (study.h)
 *
 * Each option of the study's table is a flag: its key with '-' for '_' (batch_sizes is
 * --batch-sizes). The study writes NAME.tsv, NAME.md and its figures into DIR; the
 * Markdown summary is printed on standard output, the files written on standard error. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define STUDY_FLAGS (LSC_STUDY_MAX_OPTS + 2)

static const cli_flag study_common[] = {
    {"--out", 1, "DIR     the output directory (made when missing): NAME.tsv, NAME.md, "
                 "figures"},
    {"--help", 0, "        this text (after NAME: the study's options)"},
};

const char cmd_study_usage[] = "study NAME [--OPTION VALUE ...] --out DIR";

/* The flags of study T (its options, then --out and --help) into flags; names and help
 * texts live in the static buffers (one study's at a time). */
static int study_flags(const lsc_study_type *T, cli_flag *flags, int cap)
{
    static char names[LSC_STUDY_MAX_OPTS][LSC_NAME_MAX + 2];
    static char help[LSC_STUDY_MAX_OPTS][512];
    int k = 0;
    for (int i = 0; i < T->nopts && i < LSC_STUDY_MAX_OPTS && k < cap; i++, k++) {
        const lsc_study_opt *o = &T->opts[i];
        cli_flag_of_key(names[i], sizeof names[i], o->name);
        const char *meta = o->kind == LSC_STUDY_TEXT       ? "SPEC"
                           : o->kind == LSC_STUDY_SPECS    ? "SPEC"
                           : o->kind == LSC_STUDY_GRID     ? "K=LO:HI:N"
                           : o->kind == LSC_STUDY_SIZES    ? "B,B,..."
                           : o->kind == LSC_STUDY_LIST     ? "X,X,..."
                           : o->kind == LSC_STUDY_CHOICE   ? "WORD"
                           : o->kind == LSC_STUDY_BOOL     ? "BOOL"
                                                           : "N";
        snprintf(help[i], sizeof help[i], "%-7s %s (default %s)", meta, o->help, o->def);
        flags[k] = (cli_flag){names[i], 1, help[i]};
    }
    for (int i = 0; i < LSC_COUNTOF(study_common) && k < cap; i++)
        flags[k++] = study_common[i];
    return k;
}

/* Every flag any study takes (for the man page and the completions). */
int cmd_study_flags(cli_flag *flags, int cap)
{
    enum { MAX_STUDY_FLAGS = 192 }; /* every study's options, each name once */
    static char names[MAX_STUDY_FLAGS][LSC_NAME_MAX + 2];
    static char help[MAX_STUDY_FLAGS][600];
    int k = 0;
    for (int s = 0; s < lsc_study_registry_count; s++) {
        const lsc_study_type *T = lsc_study_registry[s];
        for (int i = 0; i < T->nopts && k < cap && k < MAX_STUDY_FLAGS; i++) {
            char name[LSC_NAME_MAX + 2];
            cli_flag_of_key(name, sizeof name, T->opts[i].name);
            int seen = 0;
            for (int j = 0; j < k; j++)
                seen |= !strcmp(flags[j].name, name);
            if (seen)
                continue;
            snprintf(names[k], sizeof names[k], "%s", name);
            snprintf(help[k], sizeof help[k], "VALUE   study %s: %s (default %s)", T->name,
                     T->opts[i].help, T->opts[i].def);
            flags[k] = (cli_flag){names[k], 1, help[k]};
            k++;
        }
    }
    for (int i = 0; i < LSC_COUNTOF(study_common) && k < cap; i++)
        flags[k++] = study_common[i];
    return k;
}

static void usage_all(void)
{
    printf("usage: losscape %s\n\nStudies (losscape study NAME --help: its options):\n\n",
           cmd_study_usage);
    for (int i = 0; i < lsc_study_registry_count; i++)
        printf("  %-8s %s\n", lsc_study_registry[i]->name, lsc_study_registry[i]->summary);
    printf("\nEach writes NAME.tsv (the machine table; wall-time columns end in _s), NAME.md\n"
           "(the table with the theory next to every measured number, and the verdicts) and\n"
           "its figures into --out DIR.\n");
    for (int i = 0; i < lsc_study_registry_count; i++) {
        cli_flag flags[STUDY_FLAGS];
        int n = study_flags(lsc_study_registry[i], flags, STUDY_FLAGS);
        printf("\nOptions of study %s:\n", lsc_study_registry[i]->name);
        cli_print_flags(stdout, flags, n - LSC_COUNTOF(study_common));
    }
    printf("\nOptions of every study:\n");
    cli_print_flags(stdout, study_common, LSC_COUNTOF(study_common));
}

static void usage_one(const lsc_study_type *T)
{
    cli_flag flags[STUDY_FLAGS];
    int n = study_flags(T, flags, STUDY_FLAGS);
    printf("usage: losscape study %s [--OPTION VALUE ...] --out DIR\n\n%s\n\n%s\n\nOptions:\n",
           T->name, T->summary, T->description);
    cli_print_flags(stdout, flags, n);
}

static int unknown_study(const char *name)
{
    const char *names[64];
    int n = 0;
    char list[512] = "";
    size_t used = 0;
    for (; n < lsc_study_registry_count && n < 64; n++) {
        names[n] = lsc_study_registry[n]->name;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", n ? ", " : "",
                                 names[n]);
    }
    const char *close = lsc_closest(name, names, n);
    return cli_fail(CLI_USAGE, "study: unknown study '%s' (%s%s%sallowed: %s)", name,
                    close ? "did you mean '" : "", close ? close : "", close ? "'? " : "",
                    list);
}

/* A library message that begins with an option key ("epochs: ...") names its flag. */
static int fail(const lsc_study_type *T, const lsc_error *err)
{
    const int status = err->code == LSC_EINVAL     ? CLI_USAGE
                       : err->code == LSC_EEXTERNAL ? CLI_EXTERNAL
                                                    : CLI_FAILED;
    for (int i = 0; i < T->nopts; i++) {
        size_t len = strlen(T->opts[i].name);
        if (!strncmp(err->msg, T->opts[i].name, len) && err->msg[len] == ':') {
            char flag[LSC_NAME_MAX + 2];
            cli_flag_of_key(flag, sizeof flag, T->opts[i].name);
            return cli_fail(status, "%s%s", flag, err->msg + len);
        }
    }
    if (!strncmp(err->msg, "out:", 4))
        return cli_fail(status, "--%s", err->msg);
    return cli_fail_err(err);
}

static void progress(void *user, const char *what)
{
    fprintf(stderr, "study %s: %s\n", (const char *)user, what);
}

/* The summary on standard output: DIR/NAME.md as written. */
static void print_summary(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.md", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
        fwrite(buf, 1, k, stdout);
    fclose(fp);
}

int cmd_study(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        if (argc < 2)
            return cli_fail(CLI_USAGE, "study: which study? ('losscape study --help' lists "
                            "them)");
        usage_all();
        return CLI_OK;
    }
    const lsc_study_type *T = lsc_study_find(argv[1]);
    if (!T)
        return unknown_study(argv[1]);
    static lsc_study_args args; /* large: not on the stack */
    lsc_study_args_init(&args, T);
    cli_flag flags[STUDY_FLAGS];
    const int nflags = study_flags(T, flags, STUDY_FLAGS);
    char verb[80];
    snprintf(verb, sizeof verb, "study %s", T->name);
    cli_args a = {argc - 1, 1, argv + 1, verb, flags, nflags};
    const cli_flag *fl;
    const char *v, *out = NULL;
    int r;
    lsc_error err = {0};
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl)
            return cli_fail(CLI_USAGE, "study %s: unexpected argument '%s' (options are "
                            "--NAME VALUE; 'losscape study %s --help' lists them)", T->name, v,
                            T->name);
        if (!strcmp(fl->name, "--help")) {
            usage_one(T);
            return CLI_OK;
        }
        if (!strcmp(fl->name, "--out")) {
            out = v;
            continue;
        }
        char key[LSC_NAME_MAX];
        cli_key_of_flag(key, sizeof key, fl->name);
        if (lsc_study_set(&args, key, v, &err) != LSC_OK)
            return fail(T, &err);
    }
    if (r < 0)
        return CLI_USAGE;
    if (!out)
        return cli_fail(CLI_USAGE, "study %s: where do the results go? (--out DIR)", T->name);
    char wrote[4096];
    if (lsc_study_run(&args, out, isatty(2) ? progress : NULL, (void *)T->name, wrote,
                      sizeof wrote, &err) != LSC_OK)
        return fail(T, &err);
    print_summary(out, T->name);
    for (char *p = wrote; *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(stderr, "wrote %s/%.*s\n", out, (int)len, p);
        p += len + (p[len] == '\n');
    }
    return CLI_OK;
}
