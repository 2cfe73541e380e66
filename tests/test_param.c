/* test_param.c — spec grammar, parameter validation, number formatting */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "param.h"

static const lsc_param_desc demo_params[] = {
    {"lr", LSC_PARAM_REAL, 1e-3, 0, INFINITY, LSC_LO_OPEN, "learning rate", NULL},
    {"beta1", LSC_PARAM_REAL, 0.9, 0, 1, LSC_HI_OPEN, "first moment decay", NULL},
    {"steps", LSC_PARAM_INT, 10, 1, 1000, 0, "an integer", NULL},
    {"amsgrad", LSC_PARAM_BOOL, 0, 0, 1, 0, "flag", NULL},
    {"milestones", LSC_PARAM_LIST, 0, 0, INFINITY, 0, "list", "100;200"},
};
#define NDEMO LSC_COUNTOF(demo_params)

static int parse(const char *text, lsc_params *p, lsc_error *err)
{
    lsc_spec s;
    int rc = lsc_spec_parse(text, "--opt", &s, err);
    if (rc)
        return rc;
    return lsc_params_from_spec(p, demo_params, NDEMO, &s, NULL, "--opt", err);
}

Test(spec, name_only_gives_defaults)
{
    lsc_params p;
    lsc_error e = {0};
    cr_assert_eq(parse("demo", &p, &e), LSC_OK);
    cr_assert_eq(p.v[0], 1e-3);
    cr_assert_eq(p.list_n[4], 2);
    cr_assert_eq(p.list[4][1], 200.0);
    cr_assert_eq(p.given[0], 0);
}

Test(spec, values_bools_lists)
{
    lsc_params p;
    lsc_error e = {0};
    cr_assert_eq(parse("demo:lr=0.25,amsgrad=true,milestones=5;7;9,steps=1e2", &p, &e), LSC_OK,
                 "%s", e.msg);
    cr_assert_eq(p.v[0], 0.25);
    cr_assert_eq(p.v[3], 1.0);
    cr_assert_eq(p.v[2], 100.0);
    cr_assert_eq(p.list_n[4], 3);
    cr_assert_eq(p.list[4][2], 9.0);
    cr_assert_eq(p.given[0], 1);
}

Test(spec, errors_name_key_value_and_range)
{
    lsc_params p;
    lsc_error e = {0};
    cr_assert_eq(parse("demo:lr=0", &p, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "lr=0") && strstr(e.msg, "> 0"), "%s", e.msg);
    cr_assert_eq(parse("demo:beta1=1", &p, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "[0, 1)"), "%s", e.msg);
    cr_assert_eq(parse("demo:lr=abc", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:lr=1e999", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:steps=2.5", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:amsgrad=maybe", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:bta1=0.5", &p, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "did you mean 'beta1'"), "%s", e.msg);
    cr_assert_eq(parse("demo:lr", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:lr=1,lr=2", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:lr=1,", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("de mo", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:milestones=1;;2", &p, &e), LSC_EINVAL);
}

Test(format, doubles_round_trip_shortest)
{
    char buf[32];
    const double xs[] = {0.1, 1e-3, 1.0 / 3.0, 100, -2.5e-308, 6.02214076e23, 0.9};
    for (int i = 0; i < LSC_COUNTOF(xs); i++) {
        lsc_fmt_double(buf, xs[i]);
        cr_assert_eq(strtod(buf, NULL), xs[i], "%s", buf);
    }
    cr_assert_str_eq(lsc_fmt_double(buf, 0.1), "0.1");
    cr_assert_str_eq(lsc_fmt_double(buf, 100), "100");
}

Test(format, params_format_reparses_identically)
{
    lsc_params p, q;
    lsc_error e = {0};
    cr_assert_eq(parse("demo:lr=0.1,milestones=1;2.5", &p, &e), LSC_OK);
    char text[512] = "demo:";
    lsc_params_format(&p, text + 5, sizeof text - 5);
    cr_assert_str_eq(text, "demo:lr=0.1,beta1=0.9,steps=10,amsgrad=false,milestones=1;2.5");
    cr_assert_eq(parse(text, &q, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(memcmp(p.v, q.v, sizeof p.v), 0);
}

Test(closest, suggests_near_names_only)
{
    const char *names[] = {"rosenbrock", "rastrigin", "saddle", "sphere"};
    cr_assert_str_eq(lsc_closest("rosenbrok", names, 4), "rosenbrock");
    cr_assert_str_eq(lsc_closest("sadle", names, 4), "saddle");
    cr_assert_null(lsc_closest("zzzzzzzz", names, 4));
}

/* ---- issue 6: strict numbers, finite values, control characters ------------------- */

Test(numbers, decimal_only)
{
    double d;
    long l;
    const char *good[] = {"0", "-1.5", ".5", "5.", "1e-3", "2.5E+6", "10 ", "inf", "-Infinity"};
    for (int i = 0; i < LSC_COUNTOF(good); i++)
        cr_assert_eq(lsc_parse_double(good[i], &d), LSC_OK, "'%s'", good[i]);
    cr_assert_eq(d, -INFINITY);
    /* strtod reads all of these; none is a number a user meant */
    const char *bad[] = {"0x10", "0x1p4", "+1", " 1", "nan", "NAN(1)", "1e", "e5", ".", "-",
                         "1,5", "", "1e999", "infinit", "1\n2"};
    for (int i = 0; i < LSC_COUNTOF(bad); i++)
        cr_assert_eq(lsc_parse_double(bad[i], &d), LSC_EINVAL, "'%s' was accepted", bad[i]);
    cr_assert_eq(lsc_parse_long("1e3", &l), LSC_OK);
    cr_assert_eq(l, 1000);
    cr_assert_eq(lsc_parse_long("010", &l), LSC_OK);
    cr_assert_eq(l, 10); /* decimal, not octal */
    cr_assert_eq(lsc_parse_long("-7", &l), LSC_OK);
    cr_assert_eq(l, -7);
    const char *badl[] = {"0x10", "+10", "2.5", "inf", "1e16", "99999999999999999999", "ten"};
    for (int i = 0; i < LSC_COUNTOF(badl); i++)
        cr_assert_eq(lsc_parse_long(badl[i], &l), LSC_EINVAL, "'%s' was accepted", badl[i]);
}

Test(spec, infinite_values_are_refused_whatever_the_range)
{
    lsc_params p;
    lsc_error e = {0};
    /* lr's range is (0, inf] and milestones' [0, inf]: still finite numbers only */
    cr_assert_eq(parse("demo:lr=inf", &p, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "lr=inf"), "%s", e.msg);
    cr_assert_eq(parse("demo:milestones=1;inf", &p, &e), LSC_EINVAL);
    cr_assert_eq(parse("demo:lr=0x10", &p, &e), LSC_EINVAL);
}

Test(spec, control_characters_are_refused_naming_the_key)
{
    lsc_spec s;
    lsc_error e = {0};
    const char *bad[] = {"adam:label=a\n# landscape: rosenbrock", "adam:label=a\tb",
                         "adam:label=\x1b[31mred", "adam:label=a\x7f", "adam:l\nr=1"};
    for (int i = 0; i < LSC_COUNTOF(bad); i++) {
        cr_assert_eq(lsc_spec_parse(bad[i], "--optimizer", &s, &e), LSC_EINVAL, "%zu", i);
        cr_assert(strstr(e.msg, "--optimizer") && strstr(e.msg, "control"), "%s", e.msg);
        cr_assert(!lsc_has_control(e.msg), "raw control character in: %s", e.msg);
    }
    cr_assert_eq(lsc_spec_parse(bad[0], "--optimizer", &s, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "label=a\\n# landscape"), "%s", e.msg);
    cr_assert_eq(lsc_spec_parse("adam:label=plain GD ±1", "--optimizer", &s, &e), LSC_OK);
}

Test(error, messages_are_one_line)
{
    lsc_error e = {0};
    lsc_error_set(&e, LSC_EINVAL, "x: '%s'", "a\nb\tc\rd\x1b[0m\x7f");
    cr_assert_str_eq(e.msg, "x: 'a\\nb\\tc\\rd\\x1b[0m\\x7f'");
    /* a long message is cut between escapes, never inside one */
    char big[1100];
    memset(big, '\n', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lsc_error_set(&e, LSC_EINVAL, "%s", big);
    size_t n = strlen(e.msg);
    cr_assert(n < sizeof e.msg && n % 2 == 0 && e.msg[n - 1] == 'n', "%zu", n);
    char buf[6];
    lsc_escape_control(buf, sizeof buf, "ab\x01");
    cr_assert_str_eq(buf, "ab"); /* "\x01" and the NUL (5 bytes) do not fit after "ab" */
}

Test(spec, huge_bounds_read_as_a_cap)
{
    static const lsc_param_desc d[] = {
        {"lr", LSC_PARAM_REAL, 1e-3, 0, 1e6, LSC_LO_OPEN, "learning rate", NULL},
    };
    lsc_spec s;
    lsc_params p;
    lsc_error e = {0};
    cr_assert_eq(lsc_spec_parse("x:lr=1e308", "--opt", &s, &e), LSC_OK);
    cr_assert_eq(lsc_params_from_spec(&p, d, 1, &s, NULL, "--opt", &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "> 0 and <= 1000000"), "%s", e.msg);
}

/* ---- LSC_REQUIRED, lsc_param_allowed, lsc_params_fill --------------------------------- */

static const lsc_param_desc req_params[] = {
    {"T_max", LSC_PARAM_INT, 0, 1, 1e9, LSC_REQUIRED, "updates in a half period", NULL},
    {"eta_min", LSC_PARAM_REAL, 0, 0, 1e6, 0, "lowest lr", NULL},
};

Test(spec, a_required_key_must_be_given)
{
    lsc_spec s;
    lsc_params p;
    lsc_error e = {0};
    cr_assert_eq(lsc_spec_parse("cosine:eta_min=0.1", "--schedule", &s, &e), LSC_OK);
    cr_assert_eq(lsc_params_from_spec(&p, req_params, 2, &s, NULL, "--schedule", &e),
                 LSC_EINVAL);
    cr_assert_str_eq(e.msg, "--schedule: 'cosine' needs T_max=... (updates in a half period); "
                            "e.g. cosine:T_max=100");
    cr_assert_eq(lsc_spec_parse("cosine:T_max=5", "--schedule", &s, &e), LSC_OK);
    cr_assert_eq(lsc_params_from_spec(&p, req_params, 2, &s, NULL, "--schedule", &e), LSC_OK);
    cr_assert_eq(p.v[0], 5);
    /* a template shows a required key without a value as Python's Ellipsis */
    char b[64];
    lsc_params_defaults(&p, req_params, 2);
    cr_assert_eq(lsc_params_fill("C(T_max={T_max}, eta_min={eta_min})", &p, b, sizeof b, &e),
                 LSC_OK);
    cr_assert_str_eq(b, "C(T_max=..., eta_min=0.0)");
}

Test(allowed, says_the_range_of_each_kind)
{
    char b[160];
    cr_assert_str_eq(lsc_param_allowed(&demo_params[0], b, sizeof b), "a number > 0");
    cr_assert_str_eq(lsc_param_allowed(&demo_params[1], b, sizeof b), "a number in [0, 1)");
    cr_assert_str_eq(lsc_param_allowed(&demo_params[2], b, sizeof b),
                     "an integer in [1, 1000]");
    cr_assert_str_eq(lsc_param_allowed(&demo_params[3], b, sizeof b), "true/false/1/0");
    cr_assert_str_eq(lsc_param_allowed(&demo_params[4], b, sizeof b),
                     "a list of numbers separated by ';', each >= 0");
}

Test(fill, writes_values_as_python_does)
{
    lsc_params p;
    lsc_error e = {0};
    char b[256];
    cr_assert_eq(parse("demo:lr=1e-8,steps=3,amsgrad=true,milestones=5;7.5", &p, &e), LSC_OK);
    cr_assert_eq(lsc_params_fill("f(lr={lr}, betas=({beta1}, 0.999), n={steps}, a={amsgrad}, "
                                 "m={milestones}, d={{}})", &p, b, sizeof b, &e), LSC_OK,
                 "%s", e.msg);
    /* Python: repr(1e-8) == '1e-08', an int stays 3, whole list entries are ints */
    cr_assert_str_eq(b, "f(lr=1e-08, betas=(0.9, 0.999), n=3, a=True, m=[5, 7.5], d={})");
    cr_assert_eq(parse("demo:lr=1000000", &p, &e), LSC_OK);
    cr_assert_eq(lsc_params_fill("{lr} {amsgrad} {milestones}", &p, b, sizeof b, &e), LSC_OK);
    cr_assert_str_eq(b, "1000000.0 False [100, 200]");
}

Test(fill, refuses_unknown_keys_and_short_buffers)
{
    lsc_params p;
    lsc_error e = {0};
    char b[16];
    cr_assert_eq(parse("demo", &p, &e), LSC_OK);
    cr_assert_eq(lsc_params_fill("x={lrr}", &p, b, sizeof b, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "{lrr}"), "%s", e.msg);
    cr_assert_eq(lsc_params_fill("x={lr", &p, b, sizeof b, &e), LSC_EINVAL);
    cr_assert_eq(lsc_params_fill("0123456789abcdef{lr}", &p, b, sizeof b, &e), LSC_ENOMEM);
    cr_assert_eq(strlen(b), sizeof b - 1);
}

/* A CHOICE parameter: one word of a list (mlp's act=, loss=), kept as its index. */
Test(spec, choice_parameters_take_one_word_of_their_list)
{
    static const lsc_param_desc d[] = {
        {"act", LSC_PARAM_CHOICE, 1, 0, 2, 0, "activation", "tanh|relu|leaky-relu"},
    };
    lsc_params p;
    lsc_spec s;
    lsc_error e = {0};
    char buf[128];
    cr_assert_eq(lsc_spec_parse("m", "--landscape", &s, &e), LSC_OK);
    cr_assert_eq(lsc_params_from_spec(&p, d, 1, &s, NULL, "--landscape", &e), LSC_OK);
    cr_expect_eq(p.v[0], 1, "the default is word 1, relu");
    cr_assert_eq(lsc_spec_parse("m:act=leaky-relu", "--landscape", &s, &e), LSC_OK);
    cr_assert_eq(lsc_params_from_spec(&p, d, 1, &s, NULL, "--landscape", &e), LSC_OK);
    cr_expect_eq(p.v[0], 2);
    lsc_params_format(&p, buf, sizeof buf);
    cr_expect_str_eq(buf, "act=leaky-relu");
    const char *bad[] = {"m:act=leaky", "m:act=", "m:act=tanh|relu", "m:act=2"};
    for (int k = 0; k < 4; k++) {
        if (lsc_spec_parse(bad[k], "--landscape", &s, &e) != LSC_OK)
            continue;
        cr_expect_eq(lsc_params_from_spec(&p, d, 1, &s, NULL, "--landscape", &e), LSC_EINVAL,
                     "%s", bad[k]);
        cr_expect(strstr(e.msg, "expected one of tanh, relu, leaky-relu") != NULL, "%s", e.msg);
    }
    cr_expect_str_eq(lsc_param_choice_name(&d[0], 0, buf, sizeof buf), "tanh");
}
