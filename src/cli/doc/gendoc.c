/* gendoc.c — the man page and the shell completions, from the tables behind --help
 *
 *     losscape-gendoc man    > losscape.1     (roff, man(7) macros)
 *     losscape-gendoc bash   > losscape       (bash completion: complete -F _losscape)
 *     losscape-gendoc zsh    > _losscape      (zsh completion: #compdef losscape)
 *
 * meson runs it at build time (src/cli/doc/meson.build) and installs what it writes. Every
 * verb, flag and name comes from a table the program itself reads: the verb table and each
 * verb's flags (cli_verbs, main.c: the driver options and the plot options are in them),
 * the registries of landscapes, optimizers, schedules, data sets and figure kinds. Nothing
 * here lists a flag or a name, except which flags take a registry name (value_kinds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli.h"
#include "lsc_version.h"

#define MAX_FLAGS 256

/* ---- what a flag's value is: a registry name, a file, a folder, or free text ---------- */

typedef enum { VAL_NONE, VAL_WORDS, VAL_FILE, VAL_DIR } value_kind;

/* Flags whose value is a name of a registry; each must be a flag of some verb (main checks,
 * so a renamed flag stops the build instead of leaving its completion behind). */
static const struct {
    const char *flag;
    const char *words; /* which list of names (names_of) */
} value_kinds[] = {
    {"--landscape", "landscapes"},
    {"--optimizer", "optimizers"},
    {"--schedule", "schedules"},
    {"--kind", "kinds"},
    {"--data", "generators"},
    {"--term", "terms"},
};

/* A flag's metavar ("FILE" in "FILE    write the trajectory ...") and its help without
 * it. A flag that takes a value starts its help with the metavar; a switch with spaces. */
static void split_help(const cli_flag *f, char *metavar, size_t mlen, const char **help)
{
    const char *h = f->help ? f->help : "";
    size_t n = f->takes_value ? strcspn(h, " ") : 0;
    snprintf(metavar, mlen, "%.*s", (int)n, h);
    h += n;
    while (*h == ' ')
        h++;
    *help = h;
}

static value_kind kind_of(const cli_flag *f, const char **words)
{
    char mv[64];
    const char *help;
    *words = NULL;
    if (!f->takes_value)
        return VAL_NONE;
    for (int i = 0; i < LSC_COUNTOF(value_kinds); i++)
        if (!strcmp(f->name, value_kinds[i].flag)) {
            *words = value_kinds[i].words;
            return VAL_WORDS;
        }
    split_help(f, mv, sizeof mv, &help);
    if (!strcmp(mv, "DIR"))
        return VAL_DIR;
    if (!strcmp(mv, "FILE") || !strcmp(mv, "FIG") || !strcmp(mv, "PATH"))
        return VAL_FILE;
    return VAL_NONE;
}

/* The names of one list ("landscapes", ...), separated by spaces. */
static void names_of(const char *which, char *buf, size_t len)
{
    size_t w = 0;
    buf[0] = '\0';
#define ADD(name)                                                                             \
    do {                                                                                      \
        int k_ = snprintf(buf + w, len - w, "%s%s", w ? " " : "", (name));                   \
        if (k_ > 0 && (size_t)k_ < len - w)                                                   \
            w += (size_t)k_;                                                                  \
    } while (0)
    if (!strcmp(which, "landscapes") || !strcmp(which, "names"))
        for (int i = 0; i < lsc_landscape_registry_count; i++)
            ADD(lsc_landscape_registry[i]->name);
    if (!strcmp(which, "optimizers") || !strcmp(which, "names"))
        for (int i = 0; i < lsc_optim_registry_count; i++)
            ADD(lsc_optim_registry[i]->name);
    if (!strcmp(which, "schedules") || !strcmp(which, "names"))
        for (int i = 0; i < lsc_schedule_registry_count; i++)
            ADD(lsc_schedule_registry[i]->name);
    if (!strcmp(which, "kinds"))
        for (int k = 0; k < LSC_PLOT_NKINDS; k++)
            ADD(lsc_plot_kind_name((lsc_plot_kind)k));
    if (!strcmp(which, "generators"))
        for (int i = 0; i < lsc_data_registry_count; i++)
            ADD(lsc_data_registry[i]->name);
    if (!strcmp(which, "terms"))
        ADD("dumb"); /* --term's one value (cmd_plot.c) */
    if (!strcmp(which, "families"))
        for (int i = 0; i < 3; i++)
            ADD(i == 0 ? "landscapes" : i == 1 ? "optimizers" : "schedules");
#undef ADD
}

/* The flags a verb accepts, for completion: its --help's, and for run also plot's (run
 * --plot FIG takes every plot option, cmd_run.c). Returns how many. */
static int accepted_flags(const cli_verb *v, cli_flag *flags, int cap)
{
    int n = v->flags ? v->flags(flags, cap) : 0;
    if (strcmp(v->name, "run"))
        return n;
    cli_flag plot[MAX_FLAGS];
    int np = cmd_plot_flags(plot, MAX_FLAGS);
    for (int k = 0; k < np && n < cap; k++) {
        int dup = 0;
        for (int j = 0; j < n; j++)
            dup |= !strcmp(flags[j].name, plot[k].name);
        if (!dup)
            flags[n++] = plot[k];
    }
    return n;
}

/* What a verb's positional arguments are (the word lists of names_of, or a file pattern). */
static const char *positional_of(const char *verb, value_kind *kind)
{
    *kind = VAL_WORDS;
    if (!strcmp(verb, "list"))
        return "families";
    if (!strcmp(verb, "info"))
        return "names";
    if (!strcmp(verb, "data"))
        return "generators";
    *kind = !strcmp(verb, "plot") ? VAL_FILE : !strcmp(verb, "figure") ? VAL_FILE : VAL_NONE;
    return !strcmp(verb, "plot") ? "*.tsv" : !strcmp(verb, "figure") ? "*.ini" : NULL;
}

/* ---- the man page -------------------------------------------------------------------- */

/* Text for roff: '\' as \e, '-' as \- (so flags copy as typed), a '.' or ''' that would
 * begin a line guarded by \&. */
static void roff(const char *s)
{
    static int line_start = 1;
    for (; *s; s++) {
        if (line_start && (*s == '.' || *s == '\''))
            fputs("\\&", stdout);
        if (*s == '\\')
            fputs("\\e", stdout);
        else if (*s == '-')
            fputs("\\-", stdout);
        else
            putchar(*s);
        line_start = *s == '\n';
    }
}

static void roff_line(const char *s)
{
    roff(s);
    roff("\n");
}

/* ".TP" items for a flag table: the flag in bold, its metavar in italics, its help. */
static void man_flags(const cli_flag *flags, int n)
{
    for (int k = 0; k < n; k++) {
        char mv[64];
        const char *help;
        split_help(&flags[k], mv, sizeof mv, &help);
        fputs(".TP\n", stdout);
        if (mv[0]) {
            fputs(".BI ", stdout);
            roff(flags[k].name);
            fputs(" \" ", stdout);
            roff(mv);
            fputs("\"\n", stdout);
        } else {
            fputs(".B ", stdout);
            roff_line(flags[k].name);
        }
        roff_line(help);
    }
}

/* A member's keys as "key=default, ..." (key=... for a required one). */
static void man_keys(const lsc_param_desc *desc, int n)
{
    if (!n)
        return;
    static lsc_params p;
    lsc_params_defaults(&p, desc, n);
    fputs(".br\nkeys: ", stdout);
    for (int i = 0; i < n; i++) {
        char kv[LSC_VALUE_MAX];
        if (desc[i].flags & LSC_REQUIRED) {
            snprintf(kv, sizeof kv, "%s=...", desc[i].name);
        } else {
            static lsc_params one;
            memset(&one, 0, sizeof one);
            one.desc = &desc[i];
            one.n = 1;
            one.v[0] = p.v[i];
            one.list_n[0] = p.list_n[i];
            memcpy(one.list[0], p.list[i], sizeof one.list[0]);
            lsc_params_format(&one, kv, sizeof kv);
        }
        roff(i ? ", " : "");
        roff(kv);
    }
    roff("\n");
}

static void man_member(const char *name, const char *summary, const lsc_param_desc *desc,
                       int n)
{
    fputs(".TP\n.B ", stdout);
    roff_line(name);
    roff_line(summary);
    man_keys(desc, n);
}

static void man_verbs(void)
{
    fputs(".SH VERBS\n", stdout);
    roff_line("Each verb takes the options below; losscape VERB --help prints the same list.");
    for (int i = 0; i < cli_nverbs; i++) {
        const cli_verb *v = &cli_verbs[i];
        cli_flag flags[MAX_FLAGS];
        int n = v->flags ? v->flags(flags, MAX_FLAGS) : 0;
        fputs(".SS \"losscape ", stdout);
        roff(v->name);
        fputs("\"\n.B losscape\n", stdout);
        roff_line(v->usage ? v->usage : v->name);
        fputs(".PP\n", stdout);
        roff_line(v->help);
        if (!strcmp(v->name, "run")) {
            fputs(".PP\n", stdout);
            roff_line("With --plot FIG, every option of losscape plot applies as well.");
        }
        man_flags(flags, n);
    }
    fputs(".SS \"losscape (no verb)\"\n", stdout);
    man_flags(cli_top_flags, cli_ntop_flags);
}

static void man_registries(void)
{
    fputs(".SH \"FIGURE KINDS\"\n", stdout);
    roff_line("plot --kind KIND, run --plot FIG --kind KIND, a recipe's kind = KIND:");
    for (int k = 0; k < LSC_PLOT_NKINDS; k++)
        man_member(lsc_plot_kind_name((lsc_plot_kind)k), lsc_plot_kind_summary((lsc_plot_kind)k),
                   NULL, 0);
    fputs(".SH LANDSCAPES\n", stdout);
    roff_line("run --landscape SPEC; losscape info NAME shows the formula, domain and critical "
              "points.");
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        man_member(T->name, T->summary, T->params, T->nparams);
    }
    fputs(".SH OPTIMIZERS\n", stdout);
    roff_line("run --optimizer SPEC (repeat to race several); losscape info NAME shows the "
              "update, every key's range and meaning, and the PyTorch equivalent.");
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        man_member(T->name, T->summary, T->params, T->nparams);
    }
    fputs(".SH SCHEDULES\n", stdout);
    roff_line("run --schedule SPEC; warmup:...+X continues with X. losscape info NAME shows "
              "lr(e) and the PyTorch scheduler.");
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        man_member(T->name, T->summary, T->params, T->nparams);
    }
    fputs(".SH \"DATA SETS\"\n", stdout);
    roff_line("losscape data SPEC: a generator, or a TSV/CSV file with a header row.");
    for (int i = 0; i < lsc_data_registry_count; i++) {
        const lsc_data_type *T = lsc_data_registry[i];
        man_member(T->name, T->summary, T->params, T->nparams);
    }
}

static void man(void)
{
    fputs(".\\\" -*- coding: UTF-8 -*-\n"
          ".\\\" Made by losscape-gendoc (src/cli/doc/gendoc.c) from the tables behind "
          "--help: edit those, not this.\n", stdout);
    printf(".TH LOSSCAPE 1 \"\" \"losscape %s\" \"User Commands\"\n", LSC_VERSION);
    fputs(".SH NAME\nlosscape \\- simulate optimizers on loss landscapes, measure them, and "
          "draw them\n.SH SYNOPSIS\n.B losscape\n.I VERB\n.RI [ options ]\n.br\n"
          ".B losscape\n.RB [ \\-\\-help | \\-\\-version ]\n.SH DESCRIPTION\n", stdout);
    roff_line("losscape runs optimizers (gradient descent, momentum, Adam and others, with "
              "PyTorch's names, defaults and update rules) on analytic loss landscapes with "
              "saddles, plateaus and local minima, records their trajectories as TSV files, "
              "and draws them with gnuplot: contour maps, surfaces, loss curves, animations, "
              "slices of n-D landscapes and basins of attraction.");
    fputs(".PP\n", stdout);
    roff_line("Landscapes, optimizers, schedules and data sets are written as specs, "
              "name[:key=value,...], the same on the command line and in recipe files: "
              "adam:lr=0.01,beta1=0.9 or rosenbrock:b=100. Booleans are true/false/1/0; "
              "lists inside a value use ';' (milestones=100;200); label=TEXT names a run. "
              "Flags take their value as --flag VALUE or --flag=VALUE.");
    man_verbs();
    man_registries();
    fputs(".SH \"EXIT STATUS\"\n", stdout);
    static const char *const status[][2] = {
        {"0", "success"},
        {"1", "the work failed: a file could not be written, a check found a problem"},
        {"2", "bad input: one line on standard error names the flag or key, the value and "
              "what is allowed; no output file is created or changed"},
        {"3", "gnuplot is missing or failed"},
    };
    for (int i = 0; i < LSC_COUNTOF(status); i++) {
        fputs(".TP\n.B ", stdout);
        roff_line(status[i][0]);
        roff_line(status[i][1]);
    }
    fputs(".SH ENVIRONMENT\n.TP\n.B GNUPLOT\n", stdout);
    roff_line("the gnuplot program to run, when a figure's gnuplot option names none "
              "(default: gnuplot, found along PATH)");
    fputs(".TP\n.B TMPDIR\n", stdout);
    roff_line("where figures are rendered before they are moved into place (default /tmp)");
    fputs(".SH FILES\n.TP\n.I ", stdout);
    roff_line(LSC_DATADIR "/gallery/");
    roff_line("the gallery's figure recipes, used by losscape gallery outside a source tree");
    fputs(".SH \"SEE ALSO\"\n.BR gnuplot (1)\n", stdout);
}

/* ---- bash ------------------------------------------------------------------------------ */

static void bash(void)
{
    char words[8192];
    printf("# bash completion for losscape %s: verbs, flags and the names of landscapes,\n"
           "# optimizers, schedules and figure kinds. Made by losscape-gendoc from the tables\n"
           "# behind --help; edit those, not this.\n\n_losscape()\n{\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
           "    local verb=${COMP_WORDS[1]} words=\n    COMPREPLY=()\n", LSC_VERSION);
    /* ':' and '=' split words in bash (COMP_WORDBREAKS): --flag=VALUE arrives as
     * "--flag" "=" "VALUE", so the flag is the word before '=' */
    printf("    if [[ $prev == = && $COMP_CWORD -ge 3 ]]; then\n"
           "        prev=${COMP_WORDS[COMP_CWORD-2]}\n    elif [[ $cur == = ]]; then\n"
           "        cur=\n    fi\n");
    printf("    if [[ $COMP_CWORD -eq 1 ]]; then\n        words=\"");
    for (int i = 0; i < cli_nverbs; i++)
        printf("%s ", cli_verbs[i].name);
    printf("help version");
    for (int i = 0; i < cli_ntop_flags; i++)
        printf(" %s", cli_top_flags[i].name);
    printf(" -h -V\"\n        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
           "        return\n    fi\n    case $prev in\n");
    for (int i = 0; i < LSC_COUNTOF(value_kinds); i++) {
        names_of(value_kinds[i].words, words, sizeof words);
        printf("    %s) words=\"%s\" ;;\n", value_kinds[i].flag, words);
    }
    printf("    esac\n    if [[ -n $words ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n        return\n"
           "    fi\n    case $verb:$prev in\n");
    /* flags whose value is a file or a folder, and those whose value is free text */
    for (int i = 0; i < cli_nverbs; i++) {
        cli_flag flags[MAX_FLAGS];
        int n = accepted_flags(&cli_verbs[i], flags, MAX_FLAGS);
        for (int k = 0; k < n; k++) {
            const char *w;
            value_kind vk = kind_of(&flags[k], &w);
            if (vk == VAL_FILE)
                printf("    %s:%s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n",
                       cli_verbs[i].name, flags[k].name);
            else if (vk == VAL_DIR)
                printf("    %s:%s) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n",
                       cli_verbs[i].name, flags[k].name);
            else if (vk == VAL_NONE && flags[k].takes_value)
                printf("    %s:%s) return ;;\n", cli_verbs[i].name, flags[k].name);
        }
    }
    printf("    esac\n    if [[ $cur == -* ]]; then\n        case $verb in\n");
    for (int i = 0; i < cli_nverbs; i++) {
        cli_flag flags[MAX_FLAGS];
        int n = accepted_flags(&cli_verbs[i], flags, MAX_FLAGS);
        printf("        %s) words=\"", cli_verbs[i].name);
        for (int k = 0; k < n; k++)
            printf("%s%s", k ? " " : "", flags[k].name);
        printf("\" ;;\n");
    }
    printf("        esac\n        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
           "        return\n    fi\n    case $verb in\n");
    for (int i = 0; i < cli_nverbs; i++) {
        value_kind vk;
        const char *pos = positional_of(cli_verbs[i].name, &vk);
        if (vk == VAL_WORDS) {
            names_of(pos, words, sizeof words);
            printf("    %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")) ;;\n",
                   cli_verbs[i].name, words);
        } else if (vk == VAL_FILE) {
            printf("    %s) COMPREPLY=($(compgen -f -X '!%s' -- \"$cur\") "
                   "$(compgen -d -- \"$cur\")) ;;\n", cli_verbs[i].name, pos);
        }
    }
    printf("    help) [[ $COMP_CWORD -eq 2 ]] && COMPREPLY=($(compgen -W \"");
    for (int i = 0; i < cli_nverbs; i++)
        printf("%s%s", i ? " " : "", cli_verbs[i].name);
    printf("\" -- \"$cur\")) ;;\n    esac\n}\ncomplete -o filenames -F _losscape losscape\n");
}

/* ---- zsh ------------------------------------------------------------------------------- */

/* Text inside a single-quoted _arguments spec's [description]: ' ] [ \ : escaped. */
static void zsh_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", stdout);
        else if (*s == ']' || *s == '[' || *s == '\\' || *s == ':')
            printf("\\%c", *s);
        else
            putchar(*s);
    }
}

static void zsh_flag(const cli_flag *f)
{
    char mv[64];
    const char *help, *w;
    split_help(f, mv, sizeof mv, &help);
    value_kind vk = kind_of(f, &w);
    /* every flag may be repeated ('*'): --optimizer and --only must, the others are
     * refused by the program itself when that is wrong */
    printf("        '*%s%s[", f->name, f->takes_value ? "=" : "");
    zsh_text(help);
    printf("]");
    if (f->takes_value) {
        printf(":");
        zsh_text(mv[0] ? mv : "value");
        if (vk == VAL_WORDS) {
            char words[8192];
            names_of(w, words, sizeof words);
            printf(":(%s)", words);
        } else {
            printf(":%s", vk == VAL_FILE ? "_files" : vk == VAL_DIR ? "_files -/" : " ");
        }
    }
    printf("' \\\n");
}

static void zsh(void)
{
    char words[8192];
    printf("#compdef losscape\n# zsh completion for losscape %s: verbs, flags and the names of\n"
           "# landscapes, optimizers, schedules and figure kinds. Made by losscape-gendoc from\n"
           "# the tables behind --help; edit those, not this.\n\n_losscape() {\n"
           "    local -a verbs\n    verbs=(\n", LSC_VERSION);
    for (int i = 0; i < cli_nverbs; i++) {
        printf("        '%s:", cli_verbs[i].name);
        for (const char *c = cli_verbs[i].help; *c; c++)
            *c == '\'' ? (void)fputs("'\\''", stdout) : (void)putchar(*c);
        printf("'\n");
    }
    printf("        'help:describe the verbs, or one verb'\n        'version:the version'\n"
           "    )\n    if (( CURRENT == 2 )); then\n"
           "        _describe -t verbs 'losscape verb' verbs\n"
           "        compadd -- -h -V");
    for (int i = 0; i < cli_ntop_flags; i++)
        printf(" %s", cli_top_flags[i].name);
    printf("\n        return\n    fi\n    local verb=$words[2]\n    shift words\n"
           "    (( CURRENT-- ))\n    case $verb in\n");
    for (int i = 0; i < cli_nverbs; i++) {
        cli_flag flags[MAX_FLAGS];
        int n = accepted_flags(&cli_verbs[i], flags, MAX_FLAGS);
        printf("    %s)\n        _arguments -s \\\n", cli_verbs[i].name);
        for (int k = 0; k < n; k++)
            zsh_flag(&flags[k]);
        value_kind vk;
        const char *pos = positional_of(cli_verbs[i].name, &vk);
        if (vk == VAL_WORDS) {
            names_of(pos, words, sizeof words);
            printf("        '*:%s:(%s)'\n        ;;\n", pos, words);
        } else if (vk == VAL_FILE) {
            printf("        '*:file:_files -g \"%s\"'\n        ;;\n", pos);
        } else {
            printf("        && return\n        ;;\n");
        }
    }
    printf("    help)\n        _describe -t verbs 'losscape verb' verbs\n        ;;\n"
           "    esac\n}\n\n_losscape \"$@\"\n");
}

/* 0 when every flag of value_kinds is a flag of some verb; else 1, said on stderr. */
static int check_value_kinds(void)
{
    for (int i = 0; i < LSC_COUNTOF(value_kinds); i++) {
        int found = 0;
        for (int v = 0; v < cli_nverbs && !found; v++) {
            cli_flag flags[MAX_FLAGS];
            int n = accepted_flags(&cli_verbs[v], flags, MAX_FLAGS);
            for (int k = 0; k < n; k++)
                found |= !strcmp(flags[k].name, value_kinds[i].flag);
        }
        if (!found) {
            fprintf(stderr, "losscape-gendoc: no verb has the flag %s (value_kinds, "
                    "gendoc.c)\n", value_kinds[i].flag);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (check_value_kinds())
        return 1;
    if (argc == 2 && !strcmp(argv[1], "man"))
        man();
    else if (argc == 2 && !strcmp(argv[1], "bash"))
        bash();
    else if (argc == 2 && !strcmp(argv[1], "zsh"))
        zsh();
    else {
        fprintf(stderr, "usage: losscape-gendoc man|bash|zsh > FILE\n");
        return 2;
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
