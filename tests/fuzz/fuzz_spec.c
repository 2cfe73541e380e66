/* fuzz_spec.c — the spec grammar "name[:key=value,...]" and everything built from it
 *
 * The input (up to its first NUL byte) is one spec, used the ways the CLI uses one:
 *   - lsc_spec_parse, then lsc_params_from_spec against the parameter table of every
 *     landscape, optimizer and schedule in the registries;
 *   - lsc_landscape_new at the default dimension and at --dim 3 (expr:FORMULA included),
 *     then value, gradient, Hessian, box, starts and critical points at the start;
 *   - lsc_optim_new for 2 parameters, then a few steps on rosenbrock;
 *   - lsc_schedule_new, then the learning rate of updates 0 .. 10^9 and a few plateau
 *     observations.
 * Accepted: at least one of the three constructors took it.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "landscape.h"
#include "optim.h"
#include "schedule.h"

/* Evaluate landscapes up to this dimension (the constructor itself is always called;
 * a formula naming x100000000 asks for 10^8 dimensions, which is the user's choice). */
#define EVAL_MAX_DIM 4096
/* The Hessian (n x n) up to this dimension. */
#define HESS_MAX_DIM 64

static volatile double sink; /* keeps the reads of results from being optimised away */

static void params_everywhere(const lsc_spec *spec)
{
    static const char *const extra[] = {"label", NULL};
    lsc_params p;
    lsc_error err = {0};
    char buf[4096];
    for (int i = 0; i < lsc_landscape_registry_count; i++) {
        const lsc_landscape_type *T = lsc_landscape_registry[i];
        lsc_error_clear(&err);
        int rc = lsc_params_from_spec(&p, T->params, T->nparams, spec, NULL, "--landscape",
                                      &err);
        lsc_fuzz_check_error(rc, &err, "lsc_params_from_spec (landscape)");
        if (rc == LSC_OK)
            sink = lsc_params_format(&p, buf, sizeof buf);
    }
    for (int i = 0; i < lsc_optim_registry_count; i++) {
        const lsc_optim_type *T = lsc_optim_registry[i];
        lsc_error_clear(&err);
        int rc = lsc_params_from_spec(&p, T->params, T->nparams, spec, extra, "--optimizer",
                                      &err);
        lsc_fuzz_check_error(rc, &err, "lsc_params_from_spec (optimizer)");
        if (rc == LSC_OK)
            sink = lsc_params_format(&p, buf, sizeof buf);
    }
    for (int i = 0; i < lsc_schedule_registry_count; i++) {
        const lsc_schedule_type *T = lsc_schedule_registry[i];
        lsc_error_clear(&err);
        int rc = lsc_params_from_spec(&p, T->params, T->nparams, spec, NULL, "--schedule",
                                      &err);
        lsc_fuzz_check_error(rc, &err, "lsc_params_from_spec (schedule)");
        if (rc == LSC_OK)
            sink = lsc_params_format(&p, buf, sizeof buf);
    }
}

/* What `info` and the plots ask of a landscape. */
static void use_landscape(const lsc_landscape *L)
{
    const int n = L->n;
    if (n < 1 || n > EVAL_MAX_DIM)
        return;
    /* x, g, lo, hi, xbuf (n each), scratch (2n), three batch points (X, G: 3n each; F) */
    double *mem = calloc(13 * (size_t)n + 3, sizeof *mem);
    if (!mem)
        return;
    double *x = mem, *g = x + n, *lo = g + n, *hi = lo + n, *xbuf = hi + n;
    double *scratch = xbuf + n, *X = scratch + 2 * n, *G = X + 3 * n, *F = G + 3 * n;
    char buf[2 * LSC_VALUE_MAX];

    sink = lsc_landscape_describe(L, buf, sizeof buf);
    lsc_landscape_box(L, lo, hi);
    int ns = lsc_landscape_nstarts(L);
    if (ns > 0)
        lsc_landscape_start(L, ns - 1, x);
    sink = lsc_fuzz_touch(lo, n) + lsc_fuzz_touch(hi, n);
    sink = lsc_landscape_in_domain(L, x);
    sink = lsc_landscape_f(L, x);
    sink = lsc_landscape_fdf(L, x, g) + lsc_fuzz_touch(g, n);
    /* a batch of three points: the start, the box's low and high corners */
    for (int j = 0; j < n; j++) {
        X[j * 3 + 0] = x[j];
        X[j * 3 + 1] = lo[j];
        X[j * 3 + 2] = hi[j];
    }
    lsc_landscape_fdf_batch(L, 3, X, F, G, scratch);
    sink = lsc_fuzz_touch(F, 3) + lsc_fuzz_touch(G, 3 * n);
    if (n <= HESS_MAX_DIM && lsc_landscape_has_hessian(L)) {
        double *H = malloc((size_t)n * (size_t)n * sizeof *H);
        if (H) {
            double emin, emax;
            if (lsc_landscape_hess(L, x, H) == LSC_OK &&
                lsc_sym_eig_range(n, H, &emin, &emax) == LSC_OK)
                sink = emin + emax;
            free(H);
        }
    }
    int nc = lsc_landscape_ncritical(L);
    for (int k = 0; k < nc && k < 64; k++) {
        lsc_critical cp = {.x = xbuf};
        lsc_landscape_critical(L, k, &cp);
        sink = cp.f + lsc_fuzz_touch(xbuf, n);
    }
    double dist;
    sink = lsc_landscape_nearest_min(L, x, &dist, xbuf);
    free(mem);
}

static int try_landscape(const char *text, int dim, lsc_error *err)
{
    lsc_error_clear(err);
    lsc_landscape *L = lsc_landscape_new(text, dim, "--landscape", err);
    lsc_fuzz_check_error(L ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                         "lsc_landscape_new");
    if (!L)
        return 0;
    use_landscape(L);
    lsc_landscape_free(L);
    return 1;
}

static int try_optimizer(const char *text, lsc_error *err)
{
    static lsc_landscape *rosen;
    static gsl_rng *rng;
    if (!rosen) {
        lsc_error e = {0};
        rosen = lsc_landscape_new("rosenbrock", 2, "--landscape", &e);
        rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rosen || !rng)
            lsc_fuzz_fail("cannot set up rosenbrock: %s", e.msg);
    }
    lsc_error_clear(err);
    lsc_optim *o = lsc_optim_new(text, 2, "--optimizer", err);
    lsc_fuzz_check_error(o ? LSC_OK : err->code ? err->code : LSC_EINVAL, err, "lsc_optim_new");
    if (!o)
        return 0;
    char buf[2 * LSC_VALUE_MAX];
    sink = lsc_optim_describe(o, buf, sizeof buf);
    lsc_step_ctx ctx = {rosen, rng};
    double x[2] = {-1.5, 2}, g[2];
    for (int k = 0; k < 5; k++) {
        lsc_landscape_fdf(rosen, x, g);
        lsc_clip_norm(g, 2, 10);
        if (lsc_optim_step(o, x, g, &ctx) != LSC_OK)
            break;
    }
    sink = x[0] + x[1];
    lsc_optim_free(o);
    return 1;
}

static int try_schedule(const char *text, lsc_error *err)
{
    static const long updates[] = {0, 1, 2, 3, 5, 10, 99, 100, 101, 1000, 123456, 1000000000};
    lsc_error_clear(err);
    lsc_schedule *s = lsc_schedule_new(text, "--schedule", err);
    lsc_fuzz_check_error(s ? LSC_OK : err->code ? err->code : LSC_EINVAL, err,
                         "lsc_schedule_new");
    if (!s)
        return 0;
    char buf[4 * LSC_VALUE_MAX];
    sink = lsc_schedule_describe(s, buf, sizeof buf);
    for (size_t i = 0; i < sizeof updates / sizeof updates[0]; i++) {
        sink = lsc_schedule_lr(s, 0.1, updates[i]);
        lsc_schedule_observe(s, 1.0 / (double)(i + 1));
    }
    lsc_schedule_reset(s);
    for (long e = 0; e < 20; e++) {
        sink = lsc_schedule_lr(s, 0.1, e);
        lsc_schedule_observe(s, 1.0);
    }
    lsc_schedule_free(s);
    return 1;
}

int lsc_fuzz_one(const uint8_t *data, size_t size, lsc_error *err)
{
    gsl_set_error_handler_off(); /* as the CLI does: GSL reports, never aborts */
    char *text = lsc_fuzz_text(data, size);
    if (!text)
        return 0;
    lsc_spec spec;
    lsc_error e = {0};
    int rc = lsc_spec_parse(text, "--fuzz", &spec, &e);
    lsc_fuzz_check_error(rc, &e, "lsc_spec_parse");
    if (rc == LSC_OK) {
        sink = lsc_spec_get(&spec, "lr") != NULL;
        params_everywhere(&spec);
    }
    lsc_error es = {0}, eo = {0};
    int accepted = try_landscape(text, 0, err);
    try_landscape(text, 3, &e);
    accepted |= try_optimizer(text, &eo);
    accepted |= try_schedule(text, &es);
    free(text);
    return accepted;
}
