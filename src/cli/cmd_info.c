/* cmd_info.c — `losscape info NAME[:params] [--dim N] [--tsv] [--check]` */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cli.h"

static const cli_flag info_flags[] = {
    {"--dim", 1, "N      dimension of an n-D landscape (default: the landscape's)"},
    {"--tsv", 0, "       one row per known critical point: kind f x1 ... xn eig_min eig_max"},
    {"--check", 0, "       verify gradient and Hessian by finite differences and the "
                   "critical-point table"},
    {"--help", 0, "       this text"},
};
#define NFLAGS LSC_COUNTOF(info_flags)

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

static void describe(const lsc_landscape *L)
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
    if (uniform)
        printf("  domain     [%s, %s]^%d%s\n", lsc_fmt_double(b1, lo[0]),
               lsc_fmt_double(b2, hi[0]), n, smaller ? " (plot box; f is defined on a "
                                                       "smaller region)" : "");
    else {
        printf("  domain     ");
        for (int j = 0; j < n && j < 8; j++)
            printf("%s[%s, %s]", j ? " x " : "", lsc_fmt_double(b1, lo[j]),
                   lsc_fmt_double(b2, hi[j]));
        printf("%s\n", n > 8 ? " x ..." : "");
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

/* --check differentiates by central differences: 2n evaluations of f, each O(n), at 20
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
        lsc_fd_gradient(L, x, 6e-6, gfd, xb);
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

int cmd_info(int argc, char **argv)
{
    cli_args a = {argc, 1, argv, "info", info_flags, NFLAGS};
    const cli_flag *fl;
    const char *val, *name = NULL;
    int dim = 0; /* --dim, parsed as a long and range-checked, then an int */
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
        } else if (!strcmp(fl->name, "--tsv"))
            tsv = 1;
        else if (!strcmp(fl->name, "--check"))
            do_check = 1;
        else {
            printf("usage: losscape info NAME[:key=value,...] [--dim N] [--tsv] [--check]\n");
            cli_print_flags(stdout, info_flags, NFLAGS);
            return CLI_OK;
        }
    }
    if (r < 0)
        return CLI_USAGE;
    if (!name)
        return cli_fail(CLI_USAGE, "info: which landscape? e.g. 'losscape info rosenbrock' "
                        "('losscape list landscapes' shows all)");
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new(name, dim, "info", &err);
    if (!L)
        return cli_fail_err(&err);
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
        describe(L);
    lsc_landscape_free(L);
    return status;
}
