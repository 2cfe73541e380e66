/* test_discover.c — finding things out from the program alone: `info` on every optimizer
 * and schedule, `list --long`, the pointers in --help, the version aliases, the man page and
 * the bash and zsh completions (issue 8, items 4 and 5). The registries are walked here and
 * the verbs and flags read from the program's own --help, so a new member, verb or flag is
 * covered without touching this file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "losscape.h"
#include "cli_run.h"

/* Run and expect exit 0; the caller frees. */
static result ok(const char *const *args)
{
    result r = run(args);
    cr_assert_eq(r.status, 0, "losscape %s %s: status %d: %s", args[0], args[1] ? args[1] : "",
                 r.status, r.err);
    return r;
}

/* "    NAME    default VALUE; ..." or "required; ..." for every key of a table, in the
 * form `info` promises: the default as the spec would write it. */
static void expect_keys(const char *out, const char *member, const lsc_param_desc *desc,
                        int n)
{
    lsc_params p;
    lsc_params_defaults(&p, desc, n);
    char all[LSC_VALUE_MAX + 1] = ",";
    lsc_params_format(&p, all + 1, sizeof all - 1); /* ",k1=v1,k2=v2,...": the defaults */
    const char *at = strstr(out, "\n  keys");
    cr_assert_not_null(at, "%s: no keys section:\n%s", member, out);
    for (int i = 0; i < n; i++) {
        char line[LSC_VALUE_MAX + 64], def[LSC_VALUE_MAX], key[80];
        snprintf(key, sizeof key, ",%s=", desc[i].name);
        const char *kv = strstr(all, key);
        cr_assert_not_null(kv);
        kv += strlen(key);
        snprintf(def, sizeof def, "%.*s", (int)strcspn(kv, ","), kv);
        if (desc[i].flags & LSC_REQUIRED)
            snprintf(line, sizeof line, "\n    %-18s required; ", desc[i].name);
        else
            snprintf(line, sizeof line, "\n    %-18s default %s; ", desc[i].name, def);
        cr_assert(strstr(at, line), "%s: no line '%s' in\n%s", member, line + 1, out);
        cr_assert(strstr(at, desc[i].help), "%s: %s's meaning missing", member, desc[i].name);
    }
}

Test(info, describes_every_optimizer)
{
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        result r = ok((const char *[]){"info", T->name, NULL});
        char head[256], first[256];
        snprintf(head, sizeof head, "%s — %s\n", T->name, T->summary);
        snprintf(first, sizeof first, "  update     %.*s\n", (int)strcspn(T->formula, "\n"),
                 T->formula);
        cr_assert(!strncmp(r.out, head, strlen(head)), "%s", r.out);
        cr_assert(strstr(r.out, "  family     optimizer\n"), "%s", r.out);
        cr_assert(strstr(r.out, first), "%s: the update is not shown:\n%s", T->name, r.out);
        cr_assert(strstr(r.out, "\n  PyTorch    "), "%s", r.out);
        expect_keys(r.out, T->name, T->params, T->nparams);
        result_free(&r);
    }
}

Test(info, describes_every_schedule)
{
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        result r = ok((const char *[]){"info", T->name, NULL});
        char first[256];
        snprintf(first, sizeof first, "  formula    %.*s\n", (int)strcspn(T->formula, "\n"),
                 T->formula);
        cr_assert(strstr(r.out, "  family     schedule\n"), "%s", r.out);
        cr_assert(strstr(r.out, first), "%s: the formula is not shown:\n%s", T->name, r.out);
        cr_assert(strstr(r.out, "\n  PyTorch    "), "%s", r.out);
        if (T->nparams)
            expect_keys(r.out, T->name, T->params, T->nparams);
        else
            cr_assert(strstr(r.out, "\n  keys       none\n"), "%s", r.out);
        result_free(&r);
    }
}

/* The PyTorch equivalent carries the spec's values, written as Python writes them. */
Test(info, pytorch_equivalent_has_the_spec_values)
{
    result r = ok((const char *[]){"info", "adam:lr=0.05,amsgrad=true", NULL});
    cr_assert(strstr(r.out, "  spec       adam:lr=0.05,beta1=0.9,beta2=0.999,eps=1e-08,"
                            "weight_decay=0,amsgrad=true\n"), "%s", r.out);
    cr_assert(strstr(r.out, "  PyTorch    torch.optim.Adam(params, lr=0.05, betas=(0.9, 0.999), "
                            "eps=1e-08, weight_decay=0.0, amsgrad=True)\n"), "%s", r.out);
    result_free(&r);
    r = ok((const char *[]){"info", "cosine", NULL});
    cr_assert(strstr(r.out, "  PyTorch    CosineAnnealingLR(optimizer, T_max=..., "
                            "eta_min=0.0)\n"), "%s", r.out);
    result_free(&r);
    r = ok((const char *[]){"info", "multistep:milestones=100;250,gamma=0.5", NULL});
    cr_assert(strstr(r.out, "MultiStepLR(optimizer, milestones=[100, 250], gamma=0.5)"),
              "%s", r.out);
    result_free(&r);
}

/* A composed schedule is checked whole and each part described. */
Test(info, composed_schedule_describes_each_part)
{
    result r = ok((const char *[]){"info", "warmup:total_iters=50+cosine:T_max=500", NULL});
    const char *w = strstr(r.out, "warmup — "), *c = strstr(r.out, "\ncosine — ");
    cr_assert(w && c && w < c, "%s", r.out);
    cr_assert(strstr(r.out, "total_iters=50") && strstr(r.out, "T_max=500"), "%s", r.out);
    result_free(&r);
    r = run((const char *[]){"info", "cosine:T_max=5+warmup", NULL});
    cr_assert_eq(r.status, 2, "%s", r.err);
    result_free(&r);
}

/* landscape:, optimizer:, schedule: say which family is meant; the answer is the same. */
Test(info, family_prefix_gives_the_same_description)
{
    const char *pairs[][2] = {{"adam", "optimizer:adam"},
                              {"cosine", "schedule:cosine"},
                              {"himmelblau", "landscape:himmelblau"},
                              {"rosenbrock:b=10", "landscape:rosenbrock:b=10"}};
    for (int i = 0; i < LSC_COUNTOF(pairs); i++) {
        result a = ok((const char *[]){"info", pairs[i][0], NULL});
        result b = ok((const char *[]){"info", pairs[i][1], NULL});
        cr_assert_str_eq(a.out, b.out, "%s", pairs[i][1]);
        result_free(&a);
        result_free(&b);
    }
}

/* A bare name finds its member only while no name is in two families; keep it so (or
 * users must write optimizer:NAME). */
Test(info, no_name_is_in_two_families)
{
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const char *name = lsc_landscape_registry[i]->name;
        cr_assert_null(lsc_optim_type_find(name), "'%s' is a landscape and an optimizer", name);
        cr_assert_null(lsc_schedule_type_find(name), "'%s' is a landscape and a schedule", name);
    }
    for (int i = 0; i < lsc_optim_registry_count; i++)
        cr_assert_null(lsc_schedule_type_find(lsc_optim_registry[i]->name),
                       "'%s' is an optimizer and a schedule", lsc_optim_registry[i]->name);
}

/* Unknown names: exit 2, one line, the closest name of all three families. */
Test(info, unknown_names_get_the_closest_of_every_family)
{
    const char *cases[][2] = {
        {"adma", "did you mean 'adam', an optimizer?"},
        {"cosin", "did you mean 'cosine', a schedule?"},
        {"himmelblo", "did you mean 'himmelblau', a landscape?"},
        {"nesterv:lr=0.1", "did you mean 'nesterov', an optimizer?"},
        {"optimizer:rosenbrock", "'rosenbrock' is a landscape, not an optimizer"},
        {"schedule:adamw", "'adamw' is an optimizer, not a schedule"},
    };
    for (int i = 0; i < LSC_COUNTOF(cases); i++) {
        result r = run((const char *[]){"info", cases[i][0], NULL});
        cr_assert_eq(r.status, 2, "%s: %s", cases[i][0], r.err);
        cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
        cr_assert(strstr(r.err, cases[i][1]), "%s: %s", cases[i][0], r.err);
        cr_assert_str_eq(r.out, "");
        result_free(&r);
    }
}

/* list --long: every member's keys, key=default; the short list stays as it was. */
Test(list, long_shows_every_key)
{
    result r = ok((const char *[]){"list", "--long", NULL});
    result s = ok((const char *[]){"list", NULL});
    cr_assert_gt(strlen(r.out), strlen(s.out));
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        const char *at = strstr(r.out, T->name);
        for (int k = 0; k < T->nparams; k++) {
            char kv[128];
            snprintf(kv, sizeof kv, "\n      %s=", T->params[k].name);
            cr_assert(strstr(at, kv), "%s: no '%s' line", T->name, kv + 1);
        }
    }
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        const char *at = strstr(strstr(r.out, "schedules:"), T->name);
        for (int k = 0; k < T->nparams; k++) {
            char kv[128];
            snprintf(kv, sizeof kv, "\n      %s=%s", T->params[k].name,
                     T->params[k].flags & LSC_REQUIRED ? "..." : "");
            cr_assert(strstr(at, kv), "%s: no '%s' line", T->name, kv + 1);
        }
    }
    result_free(&r);
    result_free(&s);
    r = ok((const char *[]){"list", "optimizers", "--long", NULL});
    cr_assert(strstr(r.out, "\n  adam ") && strstr(r.out, "\n      beta2=0.999 "), "%s", r.out);
    cr_assert_null(strstr(r.out, "schedules:"));
    result_free(&r);
}

/* run --help says where an optimizer's keys are described. */
Test(help, run_help_points_to_info)
{
    result r = ok((const char *[]){"run", "--help", NULL});
    cr_assert(strstr(r.out, "'losscape info NAME' for an optimizer's or schedule's keys"), "%s",
              r.out);
    result_free(&r);
}

/* ---- version, --help, the man page, completion (issue 8, item 5) ---------------------- */

/* The output of a shell command (stdout and stderr), its exit status in *status. */
static char *shell(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "%s", cmd);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t k; (k = fread(buf + n, 1, cap - n - 1, p)) > 0;) {
        n += k;
        if (cap - n < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return buf;
}

/* A set of words: the flags a text lists. */
#define MAX_WORDS_IN_SET 256
typedef struct {
    int n;
    char w[MAX_WORDS_IN_SET][48];
} word_set;

static void set_add(word_set *s, const char *w, size_t len)
{
    for (int i = 0; i < s->n; i++)
        if (strlen(s->w[i]) == len && !strncmp(s->w[i], w, len))
            return;
    cr_assert_lt(s->n, MAX_WORDS_IN_SET);
    snprintf(s->w[s->n++], sizeof s->w[0], "%.*s", (int)len, w);
}

static int set_has(const word_set *s, const char *w)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->w[i], w))
            return 1;
    return 0;
}

static void expect_same_sets(const word_set *a, const char *an, const word_set *b,
                             const char *bn)
{
    for (int i = 0; i < a->n; i++)
        cr_expect(set_has(b, a->w[i]), "%s lists %s, %s does not", an, a->w[i], bn);
    for (int i = 0; i < b->n; i++)
        cr_expect(set_has(a, b->w[i]), "%s lists %s, %s does not", bn, b->w[i], an);
    cr_assert_gt(a->n, 0, "%s lists no flag", an);
}

/* The flags a --help text lists: the first word of each line "  --flag ...". */
static void help_flags(const char *help, word_set *s)
{
    s->n = 0;
    for (const char *l = help; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, "  --", 4))
            set_add(s, l + 2, strcspn(l + 2, " \n"));
}

/* The verbs `losscape --help` lists: "  NAME  help" lines before the figure kinds. */
static int help_verbs(char verbs[][32], int cap)
{
    result r = ok((const char *[]){"--help", NULL});
    int n = 0;
    const char *end = strstr(r.out, "\nFigure kinds");
    cr_assert_not_null(end, "%s", r.out);
    for (const char *l = strchr(r.out, '\n') + 1; l && l < end; l = strchr(l, '\n') + 1)
        if (!strncmp(l, "  ", 2) && l[2] != ' ' && n < cap)
            snprintf(verbs[n++], 32, "%.*s", (int)strcspn(l + 2, " "), l + 2);
    result_free(&r);
    cr_assert_gt(n, 4);
    return n;
}

Test(version, aliases_print_the_same)
{
    char want[64];
    snprintf(want, sizeof want, "losscape %s\n", lsc_version());
    const char *spellings[] = {"--version", "-V", "version"};
    for (int i = 0; i < LSC_COUNTOF(spellings); i++) {
        result r = ok((const char *[]){spellings[i], NULL});
        cr_assert_str_eq(r.out, want, "%s", spellings[i]);
        cr_assert_str_eq(r.err, "");
        result_free(&r);
        r = run((const char *[]){spellings[i], "extra", NULL});
        cr_assert_eq(r.status, 2, "%s extra: %s", spellings[i], r.err);
        result_free(&r);
    }
}

/* Every figure kind is in --help, from the kind registry; help VERB is VERB --help. */
Test(help, lists_every_figure_kind_and_help_verb_works)
{
    result r = ok((const char *[]){"--help", NULL});
    for (int k = 0; k < LSC_PLOT_NKINDS; k++) {
        char line[128];
        snprintf(line, sizeof line, "\n  %-10s %s\n", lsc_plot_kind_name((lsc_plot_kind)k),
                 lsc_plot_kind_summary((lsc_plot_kind)k));
        cr_assert(strstr(r.out, line), "--help lacks the kind line '%s':\n%s", line + 1, r.out);
    }
    cr_assert(strstr(r.out, "\n  basins "), "%s", r.out);
    result_free(&r);
    result a = ok((const char *[]){"help", "run", NULL});
    result b = ok((const char *[]){"run", "--help", NULL});
    cr_assert_str_eq(a.out, b.out);
    result_free(&a);
    result_free(&b);
}

/* ---- the man page ---- */

/* The man page as text: groff's rendering (no warnings allowed) when groff is there, else
 * the source itself (flags are then found as '.B \-\-flag' / '.BI \-\-flag' lines). */
static char *man_text(int *rendered)
{
    int st;
    *rendered = access("/usr/bin/groff", X_OK) == 0;
    if (!*rendered)
        return slurp(LSC_MAN_PAGE);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "groff -man -Tutf8 -k -ww -z %s 2>&1", LSC_MAN_PAGE);
    char *warn = shell(cmd, &st);
    cr_assert_eq(st, 0, "groff: %s", warn);
    cr_assert_str_eq(warn, "", "groff warns about the man page: %s", warn);
    free(warn);
    /* plain text (-P-cbou: no overstriking, bold or underline), long lines: a flag is a
     * line indented by exactly 7 spaces, a verb's section a line "   losscape VERB" */
    snprintf(cmd, sizeof cmd, "groff -man -Tutf8 -k -P-cbou -rLL=250n %s", LSC_MAN_PAGE);
    char *text = shell(cmd, &st);
    cr_assert_eq(st, 0);
    return text;
}

/* The flags of the section titled "losscape WHAT" (a verb, or "(no verb)"). */
static void man_flags_of(const char *text, int rendered, const char *what, word_set *s)
{
    char head[64];
    s->n = 0;
    snprintf(head, sizeof head, rendered ? "\n   losscape %s\n" : "\n.SS \"losscape %s\"\n",
             what);
    const char *at = strstr(text, head);
    cr_assert_not_null(at, "the man page has no section '%s'", head + 1);
    at += strlen(head);
    for (const char *l = at; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (rendered ? (*l != '\n' && strncmp(l, "    ", 4)) : !strncmp(l, ".S", 2))
            break; /* the next section (rendered: a heading, indented less than 4) */
        const char *f = NULL;
        if (rendered && !strncmp(l, "       --", 9))
            f = l + 7;
        else if (!rendered && (!strncmp(l, ".B \\-\\-", 7) || !strncmp(l, ".BI \\-\\-", 8)))
            f = l + (l[2] == 'I' ? 4 : 3);
        if (!f)
            continue;
        char flag[48];
        size_t k = 0;
        for (; *f && *f != ' ' && *f != '\n' && k + 1 < sizeof flag; f++)
            if (*f != '\\')
                flag[k++] = *f;
        set_add(s, flag, k);
    }
}

/* Every verb's --help flags are the man page's flags for it, and the options without a
 * verb too; every registry name is on the page. */
Test(man, lists_every_flag_of_every_help)
{
    int rendered;
    char *text = man_text(&rendered);
    char verbs[32][32];
    int nv = help_verbs(verbs, 32);
    for (int i = 0; i < nv; i++) {
        result r = ok((const char *[]){verbs[i], "--help", NULL});
        word_set h, m;
        help_flags(r.out, &h);
        man_flags_of(text, rendered, verbs[i], &m);
        char an[64], bn[64];
        snprintf(an, sizeof an, "'%.31s --help'", verbs[i]);
        snprintf(bn, sizeof bn, "the man page's '%.31s'", verbs[i]);
        expect_same_sets(&h, an, &m, bn);
        result_free(&r);
    }
    result r = ok((const char *[]){"--help", NULL});
    word_set h, m;
    help_flags(strstr(r.out, "Options instead of a verb"), &h);
    man_flags_of(text, rendered, "(no verb)", &m);
    expect_same_sets(&h, "'losscape --help'", &m, "the man page");
    result_free(&r);
    const char *names[512];
    int nn = 0;
    for (int i = 0; i < lsc_landscape_registry_count; i++)
        names[nn++] = lsc_landscape_registry[i]->name;
    for (int i = 0; i < lsc_optim_registry_count; i++)
        names[nn++] = lsc_optim_registry[i]->name;
    for (int i = 0; i < lsc_schedule_registry_count; i++)
        names[nn++] = lsc_schedule_registry[i]->name;
    for (int k = 0; k < LSC_PLOT_NKINDS; k++)
        names[nn++] = lsc_plot_kind_name((lsc_plot_kind)k);
    for (int i = 0; i < nn; i++) {
        char item[96];
        /* a .TP item: rendered "       NAME" on a line of its own or before its text */
        snprintf(item, sizeof item, rendered ? "\n       %s" : "\n.B %s\n", names[i]);
        char *esc = item; /* the source writes '-' as '\-' */
        char src[192];
        if (!rendered) {
            size_t k = 0;
            for (const char *c = item; *c && k + 2 < sizeof src; c++) {
                if (*c == '-')
                    src[k++] = '\\';
                src[k++] = *c;
            }
            src[k] = '\0';
            esc = src;
        }
        cr_expect(strstr(text, esc), "the man page lacks '%s'", names[i]);
    }
    free(text);
}

/* ---- completion ---- */

/* What the bash completion offers for the words after "losscape" (cur is the last). */
static char *bash_complete(const char *words)
{
    char cmd[2048];
    int st;
    snprintf(cmd, sizeof cmd,
             "bash --norc --noprofile -c 'source %s || exit 9; "
             "COMP_WORDS=(losscape %s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
             "_losscape; printf \"%%s\\n\" \"${COMPREPLY[@]}\"' 2>&1",
             LSC_BASH_COMPLETION, words);
    char *out = shell(cmd, &st);
    cr_assert_eq(st, 0, "%s: %s", words, out);
    return out;
}

/* "\nNAME\n" in the reply (one offered word per line). */
static int offers(const char *reply, const char *name)
{
    char w[96];
    snprintf(w, sizeof w, "\n%s\n", name);
    size_t n = strlen(name);
    return strstr(reply, w) || (!strncmp(reply, name, n) && reply[n] == '\n');
}

Test(completion, bash_is_registered_and_offers_registry_names)
{
    int st;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash --norc --noprofile -c 'source %s && complete -p losscape'",
             LSC_BASH_COMPLETION);
    char *out = shell(cmd, &st);
    cr_assert_eq(st, 0, "%s", out);
    cr_assert(strstr(out, "-F _losscape losscape"), "%s", out);
    free(out);
    char verbs[32][32];
    int nv = help_verbs(verbs, 32);
    out = bash_complete("\"\"");
    for (int i = 0; i < nv; i++)
        cr_expect(offers(out, verbs[i]), "verb %s not offered: %s", verbs[i], out);
    cr_expect(offers(out, "--version") && offers(out, "-V") && offers(out, "version"));
    free(out);
    struct {
        const char *words;
        const char *const *names;
    } lists[] = {
        {"run --landscape \"\"", NULL}, {"run --optimizer \"\"", NULL},
        {"run --schedule \"\"", NULL},  {"plot --kind \"\"", NULL},
        {"info \"\"", NULL},            {"run --optimizer = \"\"", NULL},
    };
    const char *all[4][256];
    int na[4] = {0, 0, 0, 0};
    for (int i = 0; i < lsc_landscape_registry_count; i++)
        all[0][na[0]++] = lsc_landscape_registry[i]->name;
    for (int i = 0; i < lsc_optim_registry_count; i++)
        all[1][na[1]++] = lsc_optim_registry[i]->name;
    for (int i = 0; i < lsc_schedule_registry_count; i++)
        all[2][na[2]++] = lsc_schedule_registry[i]->name;
    for (int k = 0; k < LSC_PLOT_NKINDS; k++)
        all[3][na[3]++] = lsc_plot_kind_name((lsc_plot_kind)k);
    const int family_of[] = {0, 1, 2, 3, -1, 1};
    for (int c = 0; c < LSC_COUNTOF(lists); c++) {
        out = bash_complete(lists[c].words);
        for (int f = 0; f < 4; f++) {
            if (family_of[c] != f && !(family_of[c] < 0 && f < 3))
                continue;
            for (int i = 0; i < na[f]; i++)
                cr_expect(offers(out, all[f][i]), "'losscape %s<TAB>' does not offer %s",
                          lists[c].words, all[f][i]);
        }
        free(out);
    }
    out = bash_complete("run --optimizer ad");
    cr_assert_str_eq(out, "adagrad\nadam\nadamw\nadadelta\nadamax\nadabelief\n");
    free(out);
}

/* `losscape VERB --<TAB>` offers the flags of VERB --help (run: and plot's, which it takes
 * with --plot). */
Test(completion, bash_offers_each_verbs_flags)
{
    char verbs[32][32];
    int nv = help_verbs(verbs, 32);
    result p = ok((const char *[]){"plot", "--help", NULL});
    word_set plot;
    help_flags(p.out, &plot);
    result_free(&p);
    for (int i = 0; i < nv; i++) {
        result r = ok((const char *[]){verbs[i], "--help", NULL});
        word_set h, c;
        help_flags(r.out, &h);
        if (!strcmp(verbs[i], "run"))
            for (int k = 0; k < plot.n; k++)
                set_add(&h, plot.w[k], strlen(plot.w[k]));
        char words[64];
        snprintf(words, sizeof words, "%.31s --", verbs[i]);
        char *out = bash_complete(words);
        c.n = 0;
        for (const char *l = out; *l; l = strchr(l, '\n') + 1)
            set_add(&c, l, strcspn(l, "\n"));
        char an[64];
        snprintf(an, sizeof an, "'%.31s --help'", verbs[i]);
        expect_same_sets(&h, an, &c, "the bash completion");
        free(out);
        result_free(&r);
    }
}

/* zsh: the script parses, and for `losscape run --optimizer <TAB>` hands _arguments a spec
 * offering every optimizer (the completion system's functions replaced by ones that print
 * what they are given). */
Test(completion, zsh_parses_and_offers_registry_names)
{
    if (access("/usr/bin/zsh", X_OK) != 0 && access("/bin/zsh", X_OK) != 0)
        cr_skip_test("zsh is not installed (./setup.sh test installs it)");
    int st;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "zsh -n %s 2>&1", LSC_ZSH_COMPLETION);
    char *out = shell(cmd, &st);
    cr_assert_eq(st, 0, "zsh -n: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "zsh -f -c '_arguments() { print -rl -- \"$@\" }; _describe() { print -rl -- "
             "\"$@\" }; compadd() { print -rl -- \"$@\" }; "
             "words=(losscape run --optimizer \"\"); CURRENT=4; source %s' 2>&1",
             LSC_ZSH_COMPLETION);
    out = shell(cmd, &st);
    cr_assert_eq(st, 0, "%s", out);
    const char *spec = strstr(out, "*--optimizer=[");
    cr_assert_not_null(spec, "%s", out);
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        char w[64];
        snprintf(w, sizeof w, "%s", lsc_optim_registry[i]->name);
        const char *line_end = strchr(spec, '\n');
        char line[4096];
        snprintf(line, sizeof line, " %.*s ", (int)(line_end - spec), spec);
        for (char *c = line; *c; c++)
            if (*c == '(' || *c == ')')
                *c = ' ';
        char pad[80];
        snprintf(pad, sizeof pad, " %s ", w);
        cr_expect(strstr(line, pad), "zsh's --optimizer spec lacks %s: %s", w, spec);
    }
    free(out);
    /* the first word: the verbs */
    snprintf(cmd, sizeof cmd,
             "zsh -f -c '_describe() { shift 3; print -rl -- ${(P)1} }; compadd() { print -rl "
             "-- \"$@\" }; words=(losscape \"\"); CURRENT=2; source %s' 2>&1",
             LSC_ZSH_COMPLETION);
    out = shell(cmd, &st);
    cr_assert_eq(st, 0, "%s", out);
    char verbs[32][32];
    int nv = help_verbs(verbs, 32);
    for (int i = 0; i < nv; i++) {
        char w[64];
        snprintf(w, sizeof w, "\n%.31s:", verbs[i]);
        cr_expect(strstr(out, w) || !strncmp(out, w + 1, strlen(w + 1)), "verb %s: %s",
                  verbs[i], out);
    }
    free(out);
}
