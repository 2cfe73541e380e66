/* test_schedule.c — learning-rate schedules against PyTorch, spec errors, round trips
 *
 * The reference numbers in tests/data/schedule_*.tsv come from torch 1.13's normal loop
 * (opt.step(); sched.step()), written by tests/ref/gen_schedule.py. PyTorch computes most
 * schedules recursively; losscape uses closed forms, so the comparison is with a relative
 * tolerance:
 *   1e-12  everywhere the recursion and the closed form agree to rounding (the observed
 *          worst case over these files is ~1e-13);
 *   1e-11  for cosine: CosineAnnealingLR's recursive update
 *          lr_e = (1+cos(pi e/T))/(1+cos(pi(e-1)/T)) (lr_{e-1} - eta_min) + eta_min
 *          accumulates rounding; after 6000 updates with T_max=10 PyTorch is 2.1e-12 away
 *          from its own closed form (2e-11 after 20000 updates with T_max=1000).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

#ifndef LSC_TEST_DATA
#define LSC_TEST_DATA "tests/data"
#endif

/* ---- reading the reference files ---------------------------------------------------- */

typedef struct {
    char spec[1024];
    double base;
    int n;
    int has_loss;
    double *lr, *loss;
} ref_case;

typedef struct {
    int ncases;
    ref_case c[16];
} ref_file;

static void ref_free(ref_file *f)
{
    for (int k = 0; k < f->ncases; k++) {
        free(f->c[k].lr);
        free(f->c[k].loss);
    }
}

static void ref_load(const char *name, ref_file *f)
{
    char path[512];
    snprintf(path, sizeof path, "%s/schedule_%s.tsv", LSC_TEST_DATA, name);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "cannot open %s", path);
    memset(f, 0, sizeof *f);
    char line[1024];
    ref_case *c = NULL;
    int cap = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!strncmp(line, "case\t", 5)) {
            cr_assert_lt(f->ncases, 16);
            c = &f->c[f->ncases++];
            char *tab = strchr(line + 5, '\t');
            cr_assert_not_null(tab, "bad case line in %s: %s", path, line);
            *tab = '\0';
            snprintf(c->spec, sizeof c->spec, "%s", line + 5);
            c->base = strtod(tab + 1, NULL);
            cap = 0;
            continue;
        }
        cr_assert_not_null(c, "%s: row before the first case", path);
        long e;
        double lr, loss;
        int got = sscanf(line, "%ld\t%lf\t%lf", &e, &lr, &loss);
        cr_assert(got >= 2, "%s: bad row '%s'", path, line);
        cr_assert_eq(e, c->n, "%s: rows of '%s' must count 0,1,2,...", path, c->spec);
        if (c->n == cap) {
            cap = cap ? 2 * cap : 512;
            c->lr = realloc(c->lr, (size_t)cap * sizeof *c->lr);
            c->loss = realloc(c->loss, (size_t)cap * sizeof *c->loss);
            cr_assert(c->lr && c->loss);
        }
        c->lr[c->n] = lr;
        c->loss[c->n] = got == 3 ? loss : NAN;
        c->has_loss |= got == 3;
        c->n++;
    }
    fclose(fp);
    cr_assert_gt(f->ncases, 0, "%s has no case", path);
}

/* ---- every schedule against PyTorch -------------------------------------------------- */

/* Criterion re-executes the test binary for each test (BoxFort): parameters are copied by
 * value, so they hold their strings inline, never pointers into the parent's memory. */
typedef struct {
    char file[32];
    double rtol;
    int min_cases;
} ref_param;

ParameterizedTestParameters(pytorch, matches)
{
    static ref_param params[] = {
        {"constant", 1e-12, 1},  {"step", 1e-12, 3},    {"multistep", 1e-12, 3},
        {"exp", 1e-12, 3},       {"inverse", 1e-12, 3}, {"poly", 1e-12, 3},
        {"cosine", 1e-11, 4},    {"cosine-restarts", 1e-12, 3},
        {"warmup", 1e-12, 3},    {"onecycle", 1e-12, 3}, {"plateau", 1e-12, 5},
        {"sequential", 1e-11, 8},
    };
    return cr_make_param_array(ref_param, params, (size_t)LSC_COUNTOF(params));
}

ParameterizedTest(ref_param *rp, pytorch, matches)
{
    ref_file f;
    ref_load(rp->file, &f);
    cr_assert_geq(f.ncases, rp->min_cases, "%s: only %d cases", rp->file, f.ncases);
    for (int k = 0; k < f.ncases; k++) {
        ref_case *c = &f.c[k];
        cr_assert_geq(c->n, 300, "'%s': only %d updates", c->spec, c->n);
        lsc_error err = {0};
        lsc_schedule *s = lsc_schedule_new(c->spec, "--schedule", &err);
        cr_assert_not_null(s, "'%s': %s", c->spec, err.msg);
        double worst = 0;
        long worst_e = 0;
        for (int e = 0; e < c->n; e++) {
            double got = lsc_schedule_lr(s, c->base, e), want = c->lr[e];
            double scale = fmax(fabs(got), fabs(want));
            double d = fabs(got - want);
            double rel = scale > 0 ? d / scale : 0;
            cr_assert(isfinite(got), "'%s' e=%d: lr %g", c->spec, e, got);
            if (rel > worst) {
                worst = rel;
                worst_e = e;
            }
            if (c->has_loss)
                lsc_schedule_observe(s, c->loss[e]);
        }
        cr_assert_leq(worst, rp->rtol,
                      "'%s': relative error %.3g at e=%ld (got %.17g, PyTorch %.17g)", c->spec,
                      worst, worst_e, lsc_schedule_lr(s, c->base, worst_e), c->lr[worst_e]);
        lsc_schedule_free(s);
    }
    ref_free(&f);
}

/* The plateau reference must exercise reductions, the min_lr floor and eps, or the
 * comparison above proves little. */
Test(pytorch, plateau_reference_reduces)
{
    ref_file f;
    ref_load("plateau", &f);
    int reduced = 0;
    for (int k = 0; k < f.ncases; k++)
        if (f.c[k].lr[f.c[k].n - 1] < f.c[k].lr[0])
            reduced++;
    cr_assert_geq(reduced, 5);
    ref_free(&f);
}

/* ---- closed forms at hand-checked points ---------------------------------------------- */

static double lr_at(const char *spec, double base, long e)
{
    lsc_error err = {0};
    lsc_schedule *s = lsc_schedule_new(spec, "--schedule", &err);
    cr_assert_not_null(s, "'%s': %s", spec, err.msg);
    double v = lsc_schedule_lr(s, base, e);
    lsc_schedule_free(s);
    return v;
}

Test(closed, hand_values)
{
    cr_assert_float_eq(lr_at("step:step_size=10,gamma=0.5", 1.0, 9), 1.0, 1e-15);
    cr_assert_float_eq(lr_at("step:step_size=10,gamma=0.5", 1.0, 10), 0.5, 1e-15);
    cr_assert_float_eq(lr_at("step:step_size=10,gamma=0.5", 1.0, 35), 0.125, 1e-15);
    cr_assert_float_eq(lr_at("multistep:milestones=3;5", 1.0, 4), 0.1, 1e-15);
    cr_assert_float_eq(lr_at("multistep:milestones=3;5", 1.0, 5), 0.01, 1e-15);
    cr_assert_float_eq(lr_at("inverse:decay_rate=0.5", 2.0, 2), 1.0, 1e-15);
    cr_assert_float_eq(lr_at("inverse:decay_rate=1,decay_steps=4,staircase=1", 1.0, 7), 0.5,
                       1e-15);
    cr_assert_float_eq(lr_at("poly:total_iters=4,power=2", 1.0, 2), 0.25, 1e-15);
    cr_assert_eq(lr_at("poly:total_iters=4", 1.0, 1000), 0.0);
    cr_assert_float_eq(lr_at("cosine:T_max=4,eta_min=0.1", 1.0, 2), 0.55, 1e-15);
    cr_assert_float_eq(lr_at("cosine:T_max=4,eta_min=0.1", 1.0, 4), 0.1, 1e-15);
    cr_assert_float_eq(lr_at("cosine:T_max=4,eta_min=0.1", 1.0, 8), 1.0, 1e-15);
    /* T_0=2, T_mult=2: cycles [0,2) [2,6) [6,14): e=4 is T_cur=2 of T_i=4 -> midpoint */
    cr_assert_float_eq(lr_at("cosine-restarts:T_0=2,T_mult=2", 1.0, 4), 0.5, 1e-15);
    cr_assert_float_eq(lr_at("cosine-restarts:T_0=2,T_mult=2", 1.0, 6), 1.0, 1e-15);
    cr_assert_float_eq(lr_at("warmup:start_factor=0.2,total_iters=4", 1.0, 2), 0.6, 1e-15);
    cr_assert_float_eq(lr_at("warmup:start_factor=0,total_iters=4", 1.0, 0), 0.0, 1e-15);
    cr_assert_float_eq(lr_at("warmup:start_factor=0.2,total_iters=4", 1.0, 400), 1.0, 1e-15);
    cr_assert_float_eq(lr_at(NULL, 0.3, 77), 0.3, 0);
    cr_assert_float_eq(lr_at("", 0.3, 77), 0.3, 0);
    /* '+' before a digit stays in the number: total_iters=1e+1 = 10 */
    cr_assert_float_eq(lr_at("warmup:total_iters=1e+1+exp:gamma=0.5", 1.0, 9),
                       1.0 / 3 + (2.0 / 3) * 0.9, 1e-15);
    cr_assert_float_eq(lr_at("warmup:total_iters=1e+1+exp:gamma=0.5", 1.0, 12), 0.25, 1e-15);
}

Test(closed, onecycle_ignores_base_and_ends_at_min)
{
    const char *spec = "onecycle:max_lr=2,total_steps=100,div_factor=20,final_div_factor=50";
    for (long e = 0; e < 120; e += 7)
        cr_assert_eq(lr_at(spec, 0.001, e), lr_at(spec, 5.0, e));
    /* initial lr max_lr/div_factor at e=0 (to rounding), peak max_lr at e=pct*T-1=29 */
    cr_assert_float_eq(lr_at(spec, 1, 0), 0.1, 1e-15);
    cr_assert_float_eq(lr_at(spec, 1, 29), 2.0, 1e-15);
    cr_assert_float_eq(lr_at(spec, 1, 99), 0.1 / 50, 1e-15);
    /* past the cycle: PyTorch raises; losscape holds the last lr */
    cr_assert_eq(lr_at(spec, 1, 101), 0.1 / 50);
    cr_assert_eq(lr_at(spec, 1, 100000), 0.1 / 50);
}

/* ---- plateau by hand ----------------------------------------------------------------- */

Test(plateau, scripted_by_hand)
{
    lsc_error err = {0};
    lsc_schedule *s =
        lsc_schedule_new("plateau:factor=0.5,patience=2,cooldown=1", "--schedule", &err);
    cr_assert_not_null(s, "%s", err.msg);
    /* losses after updates 0..; improvement = loss < best*(1-1e-4) */
    const double loss[] = {5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3};
    /* e=0: 0.1 | best 5 | 4 better | 4 bad1 | 4 bad2 | 4 bad3 > 2 -> 0.05 after update 4,
     * cooldown 1 | 3 better (cooldown: bad 0) | 3 bad1 | bad2 | bad3 -> 0.025 after 8 */
    const double want[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025};
    for (int e = 0; e < 11; e++) {
        cr_assert_float_eq(lsc_schedule_lr(s, 0.1, e), want[e], 1e-15, "e=%d", e);
        lsc_schedule_observe(s, loss[e]);
    }
    /* reset: back to base, best forgotten */
    lsc_schedule_reset(s);
    cr_assert_float_eq(lsc_schedule_lr(s, 0.1, 0), 0.1, 0);
    lsc_schedule_observe(s, 100);
    for (int e = 1; e < 4; e++) {
        cr_assert_float_eq(lsc_schedule_lr(s, 0.1, e), 0.1, 0);
        lsc_schedule_observe(s, 100);
    }
    cr_assert_float_eq(lsc_schedule_lr(s, 0.1, 4), 0.05, 1e-15);
    lsc_schedule_free(s);
}

Test(plateau, observe_before_lr_and_noop_elsewhere)
{
    lsc_error err = {0};
    lsc_schedule *s = lsc_schedule_new("plateau:patience=0", "--schedule", &err);
    cr_assert_not_null(s, "%s", err.msg);
    lsc_schedule_observe(s, 1.0); /* better */
    lsc_schedule_observe(s, 1.0); /* bad 1 > 0: reduce, before any lr() call */
    cr_assert_float_eq(lsc_schedule_lr(s, 2.0, 2), 0.2, 1e-15);
    lsc_schedule_free(s);

    s = lsc_schedule_new("cosine:T_max=10", "--schedule", &err);
    cr_assert_not_null(s);
    for (int e = 0; e < 20; e++)
        lsc_schedule_observe(s, 1.0);
    cr_assert_float_eq(lsc_schedule_lr(s, 1.0, 5), 0.5, 1e-15);
    lsc_schedule_free(s);
}

Test(plateau, warmup_ignores_losses_before_milestone)
{
    lsc_error err = {0};
    lsc_schedule *s =
        lsc_schedule_new("warmup:total_iters=5+plateau:patience=0", "--schedule", &err);
    cr_assert_not_null(s, "%s", err.msg);
    for (int e = 0; e < 5; e++) {
        lsc_schedule_lr(s, 1.0, e);
        lsc_schedule_observe(s, 1.0); /* would reduce if counted */
    }
    cr_assert_float_eq(lsc_schedule_lr(s, 1.0, 5), 1.0, 0);
    lsc_schedule_observe(s, 1.0);
    cr_assert_float_eq(lsc_schedule_lr(s, 1.0, 6), 1.0, 0);
    lsc_schedule_observe(s, 1.0);
    cr_assert_float_eq(lsc_schedule_lr(s, 1.0, 7), 0.1, 1e-15);
    lsc_schedule_free(s);
}

/* ---- registry and describe() round trips ------------------------------------------------ */

static const char *const sample_specs[] = {
    "constant",
    "step:step_size=30",
    "multistep:milestones=30;80,gamma=0.5",
    "exp:gamma=0.99",
    "inverse:decay_rate=0.01",
    "poly:total_iters=100,power=2",
    "cosine:T_max=500,eta_min=1e-4",
    "cosine-restarts:T_0=20,T_mult=2",
    "warmup:start_factor=0.1,total_iters=50",
    "onecycle:max_lr=0.3,total_steps=400,pct_start=0.15,three_phase=true",
    "plateau:patience=3,factor=0.2,threshold_abs=1",
    "warmup:total_iters=50+cosine:T_max=500",
    "warmup:total_iters=3+warmup:start_factor=0.5,total_iters=7+exp:gamma=0.9",
};

Test(registry, every_type_has_a_sample_and_metadata)
{
    cr_assert_gt(lsc_schedule_registry_count, 0);
    cr_assert_null(lsc_schedule_registry[lsc_schedule_registry_count]);
    /* PyTorch's schedulers that losscape documents: each must be registered */
    const char *want[] = {"constant", "step",            "multistep", "exp",
                          "inverse",  "poly",            "cosine",    "cosine-restarts",
                          "warmup",   "onecycle",        "plateau"};
    for (int i = 0; i < LSC_COUNTOF(want); i++)
        cr_assert_not_null(lsc_schedule_type_find(want[i]), "%s missing", want[i]);
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *t = lsc_schedule_registry[i];
        cr_assert_eq(lsc_schedule_type_find(t->name), t, "%s", t->name);
        for (int j = 0; j < i; j++)
            cr_assert(strcmp(t->name, lsc_schedule_registry[j]->name), "'%s' registered twice",
                      t->name);
        cr_assert(t->summary && *t->summary && t->pytorch && *t->pytorch);
        cr_assert(t->formula && *t->formula, "%s: no formula", t->name);
        /* the PyTorch template names every key and nothing else */
        lsc_params p;
        lsc_params_defaults(&p, t->params, t->nparams);
        char text[1024];
        lsc_error e = {0};
        cr_assert_eq(lsc_params_fill(t->pytorch, &p, text, sizeof text, &e), LSC_OK, "%s: %s",
                     t->name, e.msg);
        for (int k = 0; k < t->nparams; k++) {
            char ph[80];
            snprintf(ph, sizeof ph, "{%s}", t->params[k].name);
            cr_assert(strstr(t->pytorch, ph), "%s: the PyTorch text lacks %s", t->name, ph);
        }
        cr_assert_eq(t->lr == NULL, !strcmp(t->name, "plateau"));
        int found = 0;
        for (int k = 0; k < LSC_COUNTOF(sample_specs); k++)
            if (!strncmp(sample_specs[k], t->name, strlen(t->name)) &&
                (sample_specs[k][strlen(t->name)] == ':' || !sample_specs[k][strlen(t->name)]))
                found = 1;
        cr_assert(found, "no sample spec for %s", t->name);
    }
    cr_assert_null(lsc_schedule_type_find("nope"));
}

ParameterizedTestParameters(registry, describe_round_trips)
{
    static int index[LSC_COUNTOF(sample_specs)];
    for (int k = 0; k < LSC_COUNTOF(index); k++)
        index[k] = (int)k;
    return cr_make_param_array(int, index, (size_t)LSC_COUNTOF(index));
}

ParameterizedTest(int *k, registry, describe_round_trips)
{
    const char *const *spec = &sample_specs[*k];
    lsc_error err = {0};
    lsc_schedule *a = lsc_schedule_new(*spec, "--schedule", &err);
    cr_assert_not_null(a, "'%s': %s", *spec, err.msg);
    char d1[1024], d2[1024];
    int n1 = lsc_schedule_describe(a, d1, sizeof d1);
    cr_assert_eq((size_t)n1, strlen(d1));
    lsc_schedule *b = lsc_schedule_new(d1, "--schedule", &err);
    cr_assert_not_null(b, "describe gave '%s', which does not parse: %s", d1, err.msg);
    lsc_schedule_describe(b, d2, sizeof d2);
    cr_assert_str_eq(d1, d2);
    /* every parameter is written, so the text has at least as many '=' as the spec */
    const char *q = *spec;
    int eq_spec = 0, eq_desc = 0;
    for (; *q; q++)
        eq_spec += *q == '=';
    for (q = d1; *q; q++)
        eq_desc += *q == '=';
    cr_assert_geq(eq_desc, eq_spec, "'%s' -> '%s'", *spec, d1);
    for (long e = 0; e < 600; e += 13) {
        cr_assert_eq(lsc_schedule_lr(a, 0.1, e), lsc_schedule_lr(b, 0.1, e), "'%s' e=%ld", d1,
                     e);
        lsc_schedule_observe(a, 1.0 / (double)(e + 1));
        lsc_schedule_observe(b, 1.0 / (double)(e + 1));
    }
    lsc_schedule_free(a);
    lsc_schedule_free(b);
}

Test(registry, describe_is_canonical)
{
    lsc_error err = {0};
    lsc_schedule *s = lsc_schedule_new("warmup:total_iters=50+cosine:T_max=500", "-s", &err);
    cr_assert_not_null(s);
    char d[512];
    lsc_schedule_describe(s, d, sizeof d);
    cr_assert_str_eq(d, "warmup:start_factor=0.3333333333333333,end_factor=1,total_iters=50"
                        "+cosine:T_max=500,eta_min=0");
    lsc_schedule_free(s);
    s = lsc_schedule_new(NULL, "-s", &err);
    lsc_schedule_describe(s, d, sizeof d);
    cr_assert_str_eq(d, "constant");
    /* truncation stays terminated */
    cr_assert_lt(lsc_schedule_describe(s, d, 4), 4);
    cr_assert_str_eq(d, "con");
    lsc_schedule_free(s);
}

/* ---- errors -------------------------------------------------------------------------- */

typedef struct {
    char spec[96];
    char needle1[48], needle2[48]; /* both must appear in the message */
} bad_spec;

ParameterizedTestParameters(errors, rejected)
{
    static bad_spec bad[] = {
        /* unknown names, with the closest name */
        {"cosin:T_max=5", "unknown schedule 'cosin'", "did you mean 'cosine'"},
        {"stepp:step_size=3", "unknown schedule", "did you mean 'step'"},
        {"warmpu", "did you mean 'warmup'", "known:"},
        {"zzzzzzzz", "unknown schedule 'zzzzzzzz'", "known: constant"},
        {"warmup:total_iters=5+cosnie:T_max=5", "cosnie", "did you mean 'cosine'"},
        /* missing required keys */
        {"step", "step_size", "needs"},
        {"step:gamma=0.5", "step_size", "needs"},
        {"multistep", "milestones", "needs"},
        {"exp", "gamma", "needs"},
        {"inverse", "decay_rate", "needs"},
        {"poly:power=2", "total_iters", "needs"},
        {"cosine", "T_max", "needs"},
        {"cosine:eta_min=0.1", "T_max", "needs"},
        {"cosine-restarts", "T_0", "needs"},
        {"onecycle:total_steps=100", "max_lr", "needs"},
        {"onecycle:max_lr=0.1", "total_steps", "needs"},
        {"warmup:total_iters=5+cosine", "T_max", "needs"},
        /* bad values and ranges */
        {"step:step_size=0", "step_size=0", ">= 1"},
        {"step:step_size=2.5", "step_size=2.5", "integer"},
        {"step:step_size=3,gamma=-1", "gamma=-1", ">= 0"},
        {"exp:gamma=abc", "gamma=abc", "number"},
        {"cosine:T_max=-4", "T_max=-4", ">= 1"},
        {"warmup:start_factor=1.5", "start_factor=1.5", "[0, 1]"},
        {"warmup:end_factor=2", "end_factor=2", "[0, 1]"},
        {"warmup:total_iters=0", "total_iters=0", ">= 1"},
        {"multistep:milestones=20;10", "increasing", "20"},
        {"multistep:milestones=10;10", "increasing", "10"},
        {"multistep:milestones=1.5", "1.5", "whole number"},
        {"multistep:milestones=-3", "milestones=-3", ">= 0"},
        {"multistep:milestones=", "milestones", "empty"},
        {"onecycle:max_lr=0,total_steps=10", "max_lr=0", "> 0"},
        {"onecycle:max_lr=1,total_steps=10,pct_start=0.1", "pct_start*total_steps", "zero"},
        {"onecycle:max_lr=1,total_steps=10,pct_start=1.5", "pct_start=1.5", "[0, 1]"},
        {"plateau:factor=1", "factor=1", "[0, 1)"},
        {"plateau:patience=-1", "patience=-1", ">= 0"},
        {"plateau:threshold_abs=maybe", "threshold_abs=maybe", "true/false"},
        {"cosine-restarts:T_0=10,T_mult=0", "T_mult=0", ">= 1"},
        {"inverse:decay_rate=1,decay_steps=0", "decay_steps=0", "> 0"},
        /* unknown keys */
        {"cosine:T_max=5,eta_mni=0.1", "eta_mni", "did you mean 'eta_min'"},
        {"constant:lr=3", "no parameter 'lr'", "constant"},
        /* composition */
        {"warmup+", "empty part 2", "'+'"},
        {"+cosine:T_max=5", "empty part 1", "'+'"},
        {"warmup++cosine:T_max=5", "empty part 2", "'+'"},
        {"cosine:T_max=5+step:step_size=2", "'cosine' cannot come before '+'", "warmup"},
        {"warmup+plateau+cosine:T_max=3", "'plateau' cannot come before '+'", "warmup"},
        {"warmup+warmup+warmup+warmup+warmup+warmup+warmup+warmup+warmup", "more than 8",
         "'+'"},
        /* grammar */
        {"cosine:T_max", "not key=value", "T_max"},
        {"cosine:T_max=5,T_max=6", "given twice", "T_max"},
        {"cos ine", "not a name", "cos ine"},
    };
    return cr_make_param_array(bad_spec, bad, (size_t)LSC_COUNTOF(bad));
}

ParameterizedTest(bad_spec *b, errors, rejected)
{
    lsc_error err = {0};
    lsc_schedule *s = lsc_schedule_new(b->spec, "--schedule", &err);
    cr_assert_null(s, "'%s' was accepted", b->spec);
    cr_assert_eq(err.code, LSC_EINVAL, "'%s': code %d", b->spec, err.code);
    cr_assert(!strncmp(err.msg, "--schedule: ", 12), "'%s': message does not name the flag: %s",
              b->spec, err.msg);
    cr_assert(strstr(err.msg, b->needle1), "'%s': '%s' not in: %s", b->spec, b->needle1,
              err.msg);
    cr_assert(strstr(err.msg, b->needle2), "'%s': '%s' not in: %s", b->spec, b->needle2,
              err.msg);
    cr_assert_null(strchr(err.msg, '\n'), "one line: %s", err.msg);
}

Test(errors, what_names_the_key)
{
    lsc_error err = {0};
    cr_assert_null(lsc_schedule_new("cosin", "schedule= (recipe.ini line 4)", &err));
    cr_assert(strstr(err.msg, "schedule= (recipe.ini line 4): "), "%s", err.msg);
}
