/* cmd_info.c — `losscape info NAME[:params] [--dim N] [--box LO:HI,..] [--tsv]
 *              [--check]`
 *
 * NAME is a landscape, an optimizer or a schedule: the three registries are searched, and
 * no name belongs to two of them today. Should one ever do, the bare name is refused and
 * a family prefix says which is meant: `info optimizer:NAME`, `info schedule:NAME`,
 * `info landscape:NAME` (the prefix is accepted for any name). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cli.h"

static const cli_flag info_flags[] = {
    {"--dim", 1, "N      dimension of an n-D landscape (default: the landscape's)"},
    {"--data", 1, "SPEC   a model's data set (linreg, logreg, softmax, mlp): a generator or "
                  "FILE.csv / FILE.tsv"},
    {"--target", 1, "NAME   the target column of a --data file (default: its last)"},
    {"--holdout", 1, "FRAC   hold out this fraction of the data (default 0)"},
    {"--seed", 1, "S      seed of a generated data set and of the holdout (default 1)"},
    {"--box", 1, "LO:HI  the box (LO:HI for every axis, or LO:HI,LO:HI,... one per axis): "
                 "shown, sampled for where f is undefined, and searched for expr's critical "
                 "points"},
    {"--tsv", 0, "       one row per known critical point: kind f x1 ... xn eig_min eig_max"},
    {"--check", 0, "       verify gradient and Hessian by finite differences and the "
                   "critical-point table"},
    {"--help", 0, "       this text"},
};
#define NFLAGS LSC_COUNTOF(info_flags)

const char cmd_info_usage[] =
    "info NAME[:key=value,...] [--dim N] [--data SPEC] [--box LO:HI,..] [--tsv] [--check]";

int cmd_info_flags(cli_flag *flags, int cap)
{
    return cli_copy_flags(flags, cap, info_flags, NFLAGS);
}

static void print_list(const double *x, int n, int max)
{
    char b[32];
    putchar('(');
    for (int j = 0; j < n && j < max; j++)
        printf("%s%s", j ? ", " : "", lsc_fmt_double(b, x[j]));
    if (n > max)
        printf(", ... [%d coordinates]", n);
    putchar(')');
}

static void describe(const lsc_landscape *L, int box_given)
{
    const lsc_landscape_type *T = L->type;
    const int n = L->n;
    char spec[LSC_VALUE_MAX], b1[32], b2[32];
    lsc_landscape_describe(L, spec, sizeof spec);
    printf("%s — %s\n\n", T->name, T->summary);
    printf("  spec       %s\n", spec);
    printf("  formula    %s\n", T->formula);
    printf("  source     %s\n", T->citation);
    if (T->dim)
        printf("  dimension  %d (fixed)\n", n);
    else if (lsc_landscape_model(L))
        printf("  dimension  %d (from the model and the data: %d examples of %d features)\n",
               n, lsc_landscape_model(L)->train->n, lsc_landscape_model(L)->train->d);
    else
        printf("  dimension  %d (any n >= %d with --dim)\n", n, T->min_dim);
    printf("  Hessian    %s\n", T->hess ? "analytic" : "none");
    if (T->nparams) {
        printf("  parameters\n");
        char vals[LSC_VALUE_MAX];
        for (int i = 0; i < T->nparams; i++) {
            const lsc_param_desc *d = &T->params[i];
            lsc_params one; /* just parameter i, to format it */
            memset(&one, 0, sizeof one);
            one.desc = d;
            one.n = 1;
            one.v[0] = L->params.v[i];
            one.list_n[0] = L->params.list_n[i];
            memcpy(one.list[0], L->params.list[i], sizeof one.list[0]);
            lsc_params_format(&one, vals, sizeof vals);
            printf("    %-20s %s\n", vals, d->help);
        }
    }
    double *lo = malloc((size_t)n * sizeof *lo), *hi = malloc((size_t)n * sizeof *hi);
    lsc_landscape_box(L, lo, hi);
    int uniform = 1;
    for (int j = 1; j < n; j++)
        uniform &= lo[j] == lo[0] && hi[j] == hi[0];
    double *undef = malloc((size_t)n * sizeof *undef);
    int smaller = undef && lsc_landscape_box_undefined(L, undef);
    const char *given = box_given ? " (--box)" : "";
    if (uniform)
        printf("  domain     [%s, %s]^%d%s%s\n", lsc_fmt_double(b1, lo[0]),
               lsc_fmt_double(b2, hi[0]), n, given, smaller ? " (plot box; f is defined on a "
                                                              "smaller region)" : "");
    else {
        printf("  domain     ");
        for (int j = 0; j < n && j < 8; j++)
            printf("%s[%s, %s]", j ? " x " : "", lsc_fmt_double(b1, lo[j]),
                   lsc_fmt_double(b2, hi[j]));
        printf("%s%s\n", n > 8 ? " x ..." : "", given);
    }
    if (smaller) {
        printf("             f is undefined at ");
        print_list(undef, n, 8);
        putchar('\n');
    }
    free(undef);
    free(lo);
    free(hi);
    printf("  colour     %s scale\n", T->log_color ? "log" : "linear");
    double *x = malloc((size_t)n * sizeof *x);
    int ns = lsc_landscape_nstarts(L);
    for (int k = 0; k < ns; k++) {
        lsc_landscape_start(L, k, x);
        printf(k ? "             " : "  starts     ");
        print_list(x, n, 8);
        putchar('\n');
    }
    int nc = lsc_landscape_ncritical(L);
    printf("\n  known critical points: %d\n", nc);
    if (T->critical_note)
        printf("    (%s)\n", T->critical_note);
    if (nc)
        printf("    %-10s %-24s %-24s %-24s %s\n", "kind", "f", "eig_min", "eig_max", "x");
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = x};
        char b3[32];
        lsc_landscape_critical(L, k, &cp);
        printf("    %-10s %-24s %-24s %-24s ", lsc_cp_kind_name(cp.kind), lsc_fmt_double(b1, cp.f),
               lsc_fmt_double(b2, cp.eig_min), lsc_fmt_double(b3, cp.eig_max));
        print_list(x, n, 6);
        putchar('\n');
    }
    free(x);
}

static void print_tsv(const lsc_landscape *L)
{
    const int n = L->n;
    char b[32];
    printf("kind\tf");
    for (int j = 0; j < n; j++)
        printf("\tx%d", j + 1);
    printf("\teig_min\teig_max\n");
    double *x = malloc((size_t)n * sizeof *x);
    int nc = lsc_landscape_ncritical(L);
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = x};
        lsc_landscape_critical(L, k, &cp);
        printf("%s\t%s", lsc_cp_kind_name(cp.kind), lsc_fmt_double(b, cp.f));
        for (int j = 0; j < n; j++)
            printf("\t%s", lsc_fmt_double(b, x[j]));
        printf("\t%s", lsc_fmt_double(b, cp.eig_min));
        printf("\t%s\n", lsc_fmt_double(b, cp.eig_max));
    }
    free(x);
}

/* max_i |a_i - b_i| / max(1, max_i |b_i|) */
static double rel_diff(const double *a, const double *b, size_t m)
{
    double d = 0, s = 1;
    for (size_t i = 0; i < m; i++) {
        d = fmax(d, fabs(a[i] - b[i]));
        s = fmax(s, fabs(b[i]));
    }
    return d / s;
}

/* --check differentiates by central differences: 4n evaluations of f, each O(n), at 20
 * points, so its cost grows as n^2. At n = 1000 the slowest landscapes (rastrigin,
 * ackley) take about 0.7 s; at 3000, 6 s; at 10^5, hours. */
#define CHECK_MAX_DIM 1000
/* --tsv prints one value per coordinate per critical point: at most this many values
 * (about 20 MB of text). */
#define TSV_MAX_VALUES 1000000L

/* Finite-difference checks of gradient and Hessian at seeded random points of the box,
 * and of the critical-point table. Returns the number of failed checks. */
static int check(const lsc_landscape *L)
{
    const int n = L->n;
    if (n > 400) {
        printf("check: skipped the Hessian for n = %d > 400\n", n);
    }
    const size_t nn = (size_t)n * (size_t)n;
    int do_hess = L->type->hess && n <= 400;
    double *x = malloc((size_t)n * sizeof *x), *g = malloc((size_t)n * sizeof *g);
    double *gfd = malloc((size_t)n * sizeof *gfd), *xb = malloc((size_t)n * sizeof *xb);
    double *lo = malloc((size_t)n * sizeof *lo), *hi = malloc((size_t)n * sizeof *hi);
    double *H = do_hess ? malloc(nn * sizeof *H) : NULL;
    double *Hfd = do_hess ? malloc(nn * sizeof *Hfd) : NULL;
    double *work = malloc(3 * (size_t)n * sizeof *work);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 12345);
    lsc_landscape_box(L, lo, hi);
    const int npoints = 20;
    const double gtol = 1e-6, htol = 1e-5;
    double gworst = 0, hworst = 0, fworst = 0;
    int tested = 0, failures = 0;
    for (int p = 0; p < npoints * 20 && tested < npoints; p++) {
        for (int j = 0; j < n; j++)
            x[j] = lo[j] + (hi[j] - lo[j]) * gsl_rng_uniform(rng);
        if (!lsc_landscape_in_domain(L, x))
            continue;
        tested++;
        double f = lsc_landscape_fdf(L, x, g);
        fworst = fmax(fworst, fabs(f - lsc_landscape_f(L, x)) / fmax(1, fabs(f)));
        /* Richardson's extrapolation of two central differences: D(h) = g + c h^2 + O(h^4),
         * so (4 D(h/2) - D(h)) / 3 = g + O(h^4). Plain D(h) misses 1e-6 on landscapes with
         * large third derivatives (rnn: the error fell 4x per halving of h). */
        lsc_fd_gradient(L, x, 6e-6, gfd, xb);
        lsc_fd_gradient(L, x, 3e-6, work, xb);
        for (int j = 0; j < n; j++)
            gfd[j] = (4 * work[j] - gfd[j]) / 3;
        gworst = fmax(gworst, rel_diff(g, gfd, (size_t)n));
        if (do_hess) {
            lsc_landscape_hess(L, x, H);
            lsc_fd_hessian(L, x, 6e-6, Hfd, work);
            hworst = fmax(hworst, rel_diff(H, Hfd, nn));
        }
    }
    int ok;
    ok = fworst <= 1e-12;
    failures += !ok;
    printf("f vs fdf:       max relative difference %.2g at %d random points of the box: %s\n",
           fworst, tested, ok ? "ok" : "MISMATCH");
    ok = gworst <= gtol;
    failures += !ok;
    printf("gradient:       max relative difference to central differences %.2g (tolerance "
           "%g): %s\n", gworst, gtol, ok ? "ok" : "MISMATCH");
    if (do_hess) {
        ok = hworst <= htol;
        failures += !ok;
        printf("Hessian:        max relative difference to differences of the gradient %.2g "
               "(tolerance %g): %s\n", hworst, htol, ok ? "ok" : "MISMATCH");
    }
    int nc = lsc_landscape_ncritical(L);
    int cp_bad = 0;
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = x};
        lsc_landscape_critical(L, k, &cp);
        double f = lsc_landscape_fdf(L, x, g), gn = 0;
        for (int j = 0; j < n; j++)
            gn = fmax(gn, fabs(g[j]));
        double scale = 1;
        double emin = NAN, emax = NAN;
        if (do_hess) {
            lsc_landscape_hess(L, x, H);
            lsc_sym_eig_range(n, H, &emin, &emax);
            scale = fmax(1, fmax(fabs(emin), fabs(emax)));
        }
        int fok = fabs(f - cp.f) <= 1e-10 * fmax(1, fabs(cp.f));
        int gok = gn <= fmax(1e-9, 10 * cp.tol) * scale;
        int eok = !do_hess || isnan(cp.eig_min) ||
                  (fabs(emin - cp.eig_min) <= 1e-6 * fmax(1, fabs(cp.eig_min)) &&
                   fabs(emax - cp.eig_max) <= 1e-6 * fmax(1, fabs(cp.eig_max)));
        if (!(fok && gok && eok)) {
            char b1[32], b2[32];
            cp_bad++;
            printf("critical point %d (%s): f = %s (table %s), max|grad| = %.2g, eigenvalues "
                   "[%.6g, %.6g] (table [%.6g, %.6g]): MISMATCH\n", k, lsc_cp_kind_name(cp.kind),
                   lsc_fmt_double(b1, f), lsc_fmt_double(b2, cp.f), gn, emin, emax, cp.eig_min,
                   cp.eig_max);
        }
    }
    failures += cp_bad;
    if (nc)
        printf("critical points: %d of %d agree with the table (value, zero gradient%s)\n",
               nc - cp_bad, nc, do_hess ? ", Hessian eigenvalues" : "");
    else
        printf("critical points: none known for this landscape\n");
    free(x);
    free(g);
    free(gfd);
    free(xb);
    free(lo);
    free(hi);
    free(H);
    free(Hfd);
    free(work);
    gsl_rng_free(rng);
    return failures;
}

/* ---- optimizers and schedules --------------------------------------------------------- */

/* "key=value" for parameter i of p, or "key=..." for a required key not given */
static void format_key(const lsc_params *p, int i, char *buf, size_t len)
{
    const lsc_param_desc *d = &p->desc[i];
    if ((d->flags & LSC_REQUIRED) && !p->given[i]) {
        snprintf(buf, len, "%s=...", d->name);
        return;
    }
    static lsc_params one; /* just parameter i, to format it (too large for the stack) */
    memset(&one, 0, sizeof one);
    one.desc = d;
    one.n = 1;
    one.v[0] = p->v[i];
    one.list_n[0] = p->list_n[i];
    memcpy(one.list[0], p->list[i], sizeof one.list[0]);
    lsc_params_format(&one, buf, len);
}

void cli_print_keys_short(const lsc_param_desc *desc, int n, const char *indent)
{
    static lsc_params p;
    lsc_params_defaults(&p, desc, n);
    for (int i = 0; i < n; i++) {
        char kv[LSC_VALUE_MAX];
        format_key(&p, i, kv, sizeof kv);
        printf("%s%-24s %s\n", indent, kv, desc[i].help);
    }
}

/* "  label      line 1\n             line 2\n..." for text of '\n'-separated lines */
static void print_block(const char *label, const char *text)
{
    printf("  %-10s ", label);
    for (const char *c = text; *c; c++) {
        putchar(*c);
        if (*c == '\n')
            printf("%13s", "");
    }
    putchar('\n');
}

/* Every key: name, default (or "required") and what is allowed, then its meaning. */
static void print_keys(const lsc_params *p)
{
    if (!p->n) {
        printf("  keys       none\n");
        return;
    }
    printf("  keys\n");
    for (int i = 0; i < p->n; i++) {
        const lsc_param_desc *d = &p->desc[i];
        static lsc_params defaults;
        char def[LSC_VALUE_MAX], allowed[160];
        lsc_params_defaults(&defaults, p->desc, p->n);
        format_key(&defaults, i, def, sizeof def);
        lsc_param_allowed(d, allowed, sizeof allowed);
        printf("    %-18s %s%s; %s\n", d->name, d->flags & LSC_REQUIRED ? "required" : "default ",
               d->flags & LSC_REQUIRED ? "" : def + strlen(d->name) + 1, allowed);
        printf("    %-18s %s\n", "", d->help);
    }
}

/* spec, formula (and a note on its notation), PyTorch equivalent with p's values: the lines
 * every member shares */
static int print_member(const char *family, const char *name, const char *summary,
                        const char *formula_label, const char *formula, const char *note,
                        const char *pytorch, const lsc_params *p)
{
    char kv[LSC_VALUE_MAX], torch[8192];
    lsc_error err = {0};
    if (lsc_params_fill(pytorch, p, torch, sizeof torch, &err) != LSC_OK)
        return cli_fail(CLI_FAILED, "info: %s '%s': %s", family, name, err.msg);
    printf("%s — %s\n\n", name, summary);
    printf("  family     %s\n", family);
    printf("  spec       %s", name);
    for (int i = 0; i < p->n; i++) {
        format_key(p, i, kv, sizeof kv);
        printf("%s%s", i ? "," : ":", kv);
    }
    putchar('\n');
    print_block(formula_label, formula);
    if (note)
        print_block("", note);
    print_block("PyTorch", torch);
    return CLI_OK;
}

static int describe_optimizer(const lsc_optim_type *T, const char *text)
{
    static lsc_params p;
    lsc_params_defaults(&p, T->params, T->nparams);
    if (strchr(text, ':')) { /* a whole spec: checked as a run would check it */
        lsc_error err = {0};
        lsc_optim *o = lsc_optim_new(text, 2, "info", &err);
        if (!o)
            return cli_fail_err(&err);
        p = o->params;
        lsc_optim_free(o);
    }
    int st = print_member("optimizer", T->name, T->summary, "update", T->formula, NULL,
                          T->pytorch, &p);
    if (st)
        return st;
    printf("  source     %s\n", T->citation);
    printf("  needs      %s\n", (T->flags & LSC_OPTIM_NEEDS_HESSIAN)
                                    ? "the Hessian (a landscape that has one)"
                                : (T->flags & LSC_OPTIM_RANDOM)
                                    ? "the gradient, and random numbers (from --seed)"
                                    : "the gradient");
    print_keys(&p);
    return CLI_OK;
}

/* One part of a schedule spec ("cosine:T_max=500"), its values checked by lsc_schedule_new
 * already (or a bare name: the defaults). */
static int describe_schedule_part(const char *text)
{
    lsc_spec spec;
    static lsc_params p;
    lsc_error err = {0};
    if (lsc_spec_parse(text, "info", &spec, &err) != LSC_OK)
        return cli_fail_err(&err);
    const lsc_schedule_type *T = lsc_schedule_type_find(spec.name);
    if (!T)
        return cli_fail(CLI_USAGE, "info: unknown schedule '%s'", spec.name);
    lsc_params_defaults(&p, T->params, T->nparams);
    if (spec.n && lsc_params_from_spec(&p, T->params, T->nparams, &spec, NULL, "info", &err))
        return cli_fail_err(&err);
    int st = print_member("schedule", T->name, T->summary, "formula", T->formula,
                          "(e = 0 for the first update; base = the optimizer's lr)",
                          T->pytorch, &p);
    if (st)
        return st;
    print_keys(&p);
    return CLI_OK;
}

/* A bare name describes the type; a spec ("warmup:total_iters=50+cosine:T_max=500") is
 * checked whole, then each part is described. */
static int describe_schedule(const char *text)
{
    if (!strchr(text, ':') && !strchr(text, '+'))
        return describe_schedule_part(text);
    lsc_error err = {0};
    lsc_schedule *s = lsc_schedule_new(text, "info", &err);
    if (!s)
        return cli_fail_err(&err);
    lsc_schedule_free(s);
    char buf[LSC_VALUE_MAX];
    snprintf(buf, sizeof buf, "%s", text);
    char *part = buf;
    for (char *c = buf;; c++) { /* split as schedule.c does: '+' before a letter */
        if (*c && !(*c == '+' && isalpha((unsigned char)c[1])))
            continue;
        int last = !*c;
        *c = '\0';
        if (part != buf)
            putchar('\n');
        int st = describe_schedule_part(part);
        if (st || last)
            return st;
        part = c + 1;
    }
}

/* ---- which family ---------------------------------------------------------------------- */

enum { FAM_LANDSCAPE = 1, FAM_OPTIMIZER = 2, FAM_SCHEDULE = 4 };
static const char *const family_names[] = {"landscape", "optimizer", "schedule"};
static const char *const family_articles[] = {"a", "an", "a"};

/* the index into family_names of the first family of `fam` */
static int first_family(unsigned fam)
{
    int f = 0;
    while (f < LSC_COUNTOF(family_names) - 1 && !(fam & (1u << f)))
        f++;
    return f;
}

/* The families `name` belongs to (FAM_ bits). */
static unsigned families_of(const char *name)
{
    return (lsc_landscape_type_find(name) ? FAM_LANDSCAPE : 0u) |
           (lsc_optim_type_find(name) ? FAM_OPTIMIZER : 0u) |
           (lsc_schedule_type_find(name) ? FAM_SCHEDULE : 0u);
}

/* No family (of those `allowed`) has `name`: exit 2 with the closest name of them all. */
static int unknown_name(const char *name, unsigned allowed)
{
    enum { CAP = 512 };
    const char *names[CAP];
    int fam[CAP], nn = 0;
    const char *what = "name";
    for (int f = 0; f < LSC_COUNTOF(family_names); f++) {
        if (!(allowed & (1u << f)))
            continue;
        if (allowed == 1u << f)
            what = family_names[f];
        const int count = f == 0   ? lsc_landscape_registry_count
                          : f == 1 ? lsc_optim_registry_count
                                   : lsc_schedule_registry_count;
        for (int i = 0; i < count && nn < CAP; i++, nn++) {
            fam[nn] = f;
            names[nn] = f == 0   ? lsc_landscape_registry[i]->name
                        : f == 1 ? lsc_optim_registry[i]->name
                                 : lsc_schedule_registry[i]->name;
        }
    }
    const char *close = lsc_closest(name, names, nn);
    int k = 0;
    while (close && names[k] != close)
        k++;
    if (close)
        return cli_fail(CLI_USAGE, "info: unknown %s '%s' (did you mean '%s', %s %s? 'losscape "
                        "list' shows every landscape, optimizer and schedule)", what, name, close,
                        family_articles[fam[k]], family_names[fam[k]]);
    return cli_fail(CLI_USAGE, "info: unknown %s '%s' ('losscape list' shows every landscape, "
                    "optimizer and schedule)", what, name);
}

/* *text without a family prefix ("optimizer:adam" -> "adam"), and the families it may
 * be: the prefix's, or every family. */
static unsigned strip_family(const char **text)
{
    for (int f = 0; f < LSC_COUNTOF(family_names); f++) {
        size_t len = strlen(family_names[f]);
        if (!strncmp(*text, family_names[f], len) && (*text)[len] == ':') {
            *text += len + 1;
            return 1u << f;
        }
    }
    return FAM_LANDSCAPE | FAM_OPTIMIZER | FAM_SCHEDULE;
}

int cmd_info(int argc, char **argv)
{
    cli_args a = {argc, 1, argv, "info", info_flags, NFLAGS};
    const cli_flag *fl;
    const char *val, *name = NULL, *box = NULL;
    int dim = 0; /* --dim, parsed as a long and range-checked, then an int */
    long seed = 1;
    const char *data = NULL, *target = NULL;
    double holdout = 0;
    int tsv = 0, do_check = 0, r;
    while ((r = cli_next(&a, &fl, &val)) > 0) {
        if (!fl) {
            if (name)
                return cli_fail(CLI_USAGE, "info: one landscape at a time (got '%s' and '%s')",
                                name, val);
            name = val;
        } else if (!strcmp(fl->name, "--dim")) {
            long d;
            if (cli_long("--dim", val, 1, LSC_MAX_DIM, &d))
                return CLI_USAGE;
            dim = (int)d;
        } else if (!strcmp(fl->name, "--data") || !strcmp(fl->name, "--target")) {
            *(fl->name[2] == 'd' ? &data : &target) = val;
        } else if (!strcmp(fl->name, "--holdout")) {
            if (cli_double("--holdout", val, 0, 1, 0, &holdout))
                return CLI_USAGE;
            if (holdout >= 1)
                return cli_fail(CLI_USAGE, "--holdout: %s is not allowed (a fraction >= 0 and "
                                "< 1)", val);
        } else if (!strcmp(fl->name, "--seed")) {
            if (cli_long("--seed", val, 0, 9000000000000000L, &seed))
                return CLI_USAGE;
        } else if (!strcmp(fl->name, "--box"))
            box = val;
        else if (!strcmp(fl->name, "--tsv"))
            tsv = 1;
        else if (!strcmp(fl->name, "--check"))
            do_check = 1;
        else {
            printf("usage: losscape %s\n\n", cmd_info_usage);
            printf("NAME is a landscape, an optimizer or a schedule ('losscape list' shows "
                   "them all);\nlandscape:NAME, optimizer:NAME or schedule:NAME says which. "
                   "A landscape's formula,\ndomain and critical points; an optimizer's update "
                   "or a schedule's lr(e), every key\nwith its default, range and meaning, "
                   "and the PyTorch equivalent.\n\n");
            cli_print_flags(stdout, info_flags, NFLAGS);
            return CLI_OK;
        }
    }
    if (r < 0)
        return CLI_USAGE;
    if (!name)
        return cli_fail(CLI_USAGE, "info: which landscape, optimizer or schedule? e.g. "
                        "'losscape info rosenbrock' ('losscape list' shows all)");
    const char *typed = name;
    unsigned allowed = strip_family(&name);
    char head[LSC_NAME_MAX];
    snprintf(head, sizeof head, "%.*s", (int)strcspn(name, ":+"), name);
    /* "optimizer", "optimiser:adam", "optimizer:": a family, not a member */
    const char *fam_close = lsc_closest(head, family_names, LSC_COUNTOF(family_names));
    if (!head[0] || (fam_close && !families_of(head)))
        return cli_fail(CLI_USAGE, "info: '%s' names no landscape, optimizer or schedule (e.g. "
                        "'losscape info adam', 'losscape info %s:NAME'; 'losscape list %ss' "
                        "shows them)", typed, fam_close ? fam_close : "optimizer",
                        fam_close ? fam_close : "optimizer");
    unsigned fam = families_of(head) & allowed;
    if (fam & (fam - 1)) { /* more than one family: never today (see the top of the file) */
        const char *in[2] = {NULL, NULL};
        for (int f = LSC_COUNTOF(family_names) - 1; f >= 0; f--)
            if (fam & (1u << f))
                in[1] = in[0], in[0] = family_names[f];
        return cli_fail(CLI_USAGE, "info: '%s' is both a %s and a %s: say which, e.g. "
                        "'losscape info %s:%s'", head, in[0], in[1], in[0], name);
    }
    unsigned other = families_of(head) & ~allowed;
    if (!fam && other) { /* "optimizer:rosenbrock" */
        int is = first_family(other), not = first_family(allowed);
        return cli_fail(CLI_USAGE, "info: '%s' is %s %s, not %s %s", head, family_articles[is],
                        family_names[is], family_articles[not], family_names[not]);
    }
    /* user:NAME (a landscape of a C program) goes on, to be refused as the library says */
    if (!fam && !((allowed & FAM_LANDSCAPE) && !strcmp(head, LSC_USER_PREFIX)))
        return unknown_name(head, allowed);
    if (fam && fam != FAM_LANDSCAPE && (dim || tsv || do_check || box))
        return cli_fail(CLI_USAGE, "info: %s applies to a landscape; '%s' is %s %s",
                        dim ? "--dim" : tsv ? "--tsv" : do_check ? "--check" : "--box", head,
                        family_articles[first_family(fam)], family_names[first_family(fam)]);
    if (fam == FAM_OPTIMIZER)
        return describe_optimizer(lsc_optim_type_find(head), name);
    if (fam == FAM_SCHEDULE)
        return describe_schedule(name);
    lsc_error err = {0};
    if ((target || holdout > 0) && !data)
        return cli_fail(CLI_USAGE, "%s: only with --data", target ? "--target" : "--holdout");
    if (data && lsc_data_is_file(data) && cli_input_file("--data", data))
        return CLI_USAGE;
    lsc_landscape *L = data ? lsc_landscape_load_model(name, dim, data, target, holdout,
                                                       (unsigned long long)seed, "info", &err)
                            : lsc_landscape_new(name, dim, "info", &err);
    if (!L)
        return cli_fail_err(&err);
    /* the box before anything reads it: expr searches it for critical points */
    if (box && lsc_landscape_set_box_text(L, box, &err) != LSC_OK) {
        lsc_landscape_free(L);
        return cli_fail_err(&err);
    }
    int status = CLI_OK;
    long nc = lsc_landscape_ncritical(L);
    if (tsv && nc * (long)L->n > TSV_MAX_VALUES) {
        status = cli_fail(CLI_USAGE, "--tsv: %ld critical point%s of %d coordinates is too "
                          "large a table (at most %ld values; use a smaller --dim)", nc,
                          nc == 1 ? "" : "s", L->n, TSV_MAX_VALUES);
    } else if (do_check && L->n > CHECK_MAX_DIM) {
        status = cli_fail(CLI_USAGE, "--check: dimension %d is too large for a "
                          "finite-difference check (at most %d)", L->n, CHECK_MAX_DIM);
    } else if (tsv)
        print_tsv(L);
    else if (do_check)
        status = check(L) ? CLI_FAILED : CLI_OK;
    else
        describe(L, box != NULL);
    lsc_landscape_free(L);
    return status;
}
