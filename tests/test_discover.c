/* test_discover.c — finding things out from the program alone: `info` on every optimizer
 * and schedule, `list --long`, the pointers in --help (issue 8, items 4 and 5). The
 * registries are walked here, so a new member is covered without touching this file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

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
