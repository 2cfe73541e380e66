/* landscape.c — landscape instances, registry lookup, finite-difference checks */
#include "landscape.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

#include "model.h"

const char *lsc_cp_kind_name(lsc_cp_kind k)
{
    switch (k) {
    case LSC_CP_MIN: return "min";
    case LSC_CP_MAX: return "max";
    case LSC_CP_SADDLE: return "saddle";
    case LSC_CP_DEGENERATE: return "degenerate";
    }
    return "?";
}

const lsc_landscape_type *lsc_landscape_type_find(const char *name)
{
    for (int i = 0; i < lsc_landscape_registry_count; i++)
        if (!strcmp(lsc_landscape_registry[i]->name, name))
            return lsc_landscape_registry[i];
    return NULL;
}

static void unknown_landscape(const char *name, const char *what, lsc_error *err)
{
    const char *names[256];
    int nn = 0;
    for (int i = 0; i < lsc_landscape_registry_count && nn < 256; i++)
        names[nn++] = lsc_landscape_registry[i]->name;
    const char *close = lsc_closest(name, names, nn);
    if (close)
        lsc_error_set(err, LSC_EINVAL,
                      "%s: unknown landscape '%s' (did you mean '%s'? 'losscape list "
                      "landscapes' shows all)",
                      what, name, close);
    else
        lsc_error_set(err, LSC_EINVAL,
                      "%s: unknown landscape '%s' ('losscape list landscapes' shows all)", what,
                      name);
}

/* The model types' names, for messages: "linreg, logreg, ...". */
static void model_names(char *buf, size_t len)
{
    size_t w = 0;
    buf[0] = '\0';
    for (int i = 0; i < lsc_landscape_registry_count && w < len; i++)
        if (lsc_landscape_registry[i]->init_data)
            w += (size_t)snprintf(buf + w, len - w, "%s%s", w ? ", " : "",
                                  lsc_landscape_registry[i]->name);
}

/* A model over data (T->init_data): the data set gives the dimension. L has its type and
 * parameters; on success its state and n are set. */
static int new_model(lsc_landscape *L, int dim, const lsc_dataset *D, lsc_error *err)
{
    const lsc_landscape_type *T = L->type;
    if (!D) {
        lsc_error_set(err, LSC_EINVAL, "data: landscape '%s' is a model over data: it needs a "
                      "data set (a generator such as blobs or spiral, or a file NAME.csv)",
                      T->name);
        return LSC_EINVAL;
    }
    if (!(L->state = calloc(1, T->state_size(&L->params, 0, L->arg)))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for landscape '%s'", T->name);
        return LSC_ENOMEM;
    }
    int n = 0, rc = T->init_data(L->state, &L->params, D, &n, err);
    if (rc == LSC_OK && dim != 0 && dim != n) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d given, but model '%s' on this data set has %d "
                      "parameters (the dimension follows from the model and the data: leave "
                      "dim out)", dim, T->name, n);
        rc = LSC_EINVAL;
    }
    if (rc != LSC_OK) {
        if (T->destroy)
            T->destroy(L->state);
        free(L->state);
        L->state = NULL;
        return rc;
    }
    L->n = n;
    return LSC_OK;
}

lsc_landscape *lsc_landscape_new(const char *text, int dim, const char *what, lsc_error *err)
{
    return lsc_landscape_new_with_data(text, dim, NULL, what, err);
}

lsc_landscape *lsc_landscape_new_with_data(const char *text, int dim, const lsc_dataset *D,
                                           const char *what, lsc_error *err)
{
    /* The type decides how the text after ':' is read: key=value pairs, or whole
     * (expr:FORMULA), so look the name up first. */
    lsc_spec spec;
    memset(&spec, 0, sizeof spec);
    const char *colon = text ? strchr(text, ':') : NULL;
    size_t nlen = text ? (colon ? (size_t)(colon - text) : strlen(text)) : 0;
    if (nlen == 0 || nlen >= sizeof spec.name) {
        lsc_error_set(err, LSC_EINVAL, "%s: '%.80s' is not a landscape name", what,
                      text ? text : "");
        return NULL;
    }
    memcpy(spec.name, text, nlen);
    if (!strcmp(spec.name, LSC_USER_PREFIX)) {
        lsc_error_set(err, LSC_EINVAL, "%s: '%.80s' is a landscape made from a program's own "
                      "functions (lsc_landscape_from_fdf), which cannot be rebuilt from its name",
                      what, text);
        return NULL;
    }
    const lsc_landscape_type *T = lsc_landscape_type_find(spec.name);
    if (!T) {
        unknown_landscape(spec.name, what, err);
        return NULL;
    }
    if (T->raw_arg) {
        if (!colon || strlen(colon + 1) >= sizeof spec.arg) {
            lsc_error_set(err, LSC_EINVAL, "%s: '%s' needs a formula: %s:FORMULA (at most %zu "
                          "characters)", what, T->name, T->name, sizeof spec.arg - 1);
            return NULL;
        }
        strcpy(spec.arg, colon + 1);
    } else if (lsc_spec_parse(text, what, &spec, err) != LSC_OK) {
        return NULL;
    }
    lsc_landscape *L = calloc(1, sizeof *L);
    if (!L) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return NULL;
    }
    L->type = T;
    if (T->raw_arg) {
        lsc_params_defaults(&L->params, T->params, T->nparams);
        snprintf(L->arg, sizeof L->arg, "%s", spec.arg);
    } else if (lsc_params_from_spec(&L->params, T->params, T->nparams, &spec, NULL, what,
                                    err) != LSC_OK) {
        free(L);
        return NULL;
    }
    if (T->init_data || D) {
        int rc = LSC_EINVAL;
        if (T->init_data) {
            rc = new_model(L, dim, D, err);
        } else {
            char names[256];
            model_names(names, sizeof names);
            lsc_error_set(err, LSC_EINVAL, "data: landscape '%s' is not a model over data "
                          "(the models: %s)", T->name, names);
        }
        if (rc != LSC_OK) {
            free(L);
            return NULL;
        }
        return L;
    }
    int n;
    if (T->dim > 0) {
        if (dim != 0 && dim != T->dim) {
            lsc_error_set(err, LSC_EINVAL,
                          "dim: %d given, but landscape '%s' is fixed %d-D (allowed: %d)", dim,
                          T->name, T->dim, T->dim);
            free(L);
            return NULL;
        }
        n = T->dim;
    } else {
        n = dim;
        if (!n && T->dim_from)
            n = T->dim_from(&L->params, L->arg);
        if (!n)
            n = T->default_dim;
        if (n < T->min_dim || n > LSC_MAX_DIM) {
            lsc_error_set(err, LSC_EINVAL, "dim: %d for landscape '%s' (allowed: %d to %d)",
                          n, T->name, T->min_dim, LSC_MAX_DIM);
            free(L);
            return NULL;
        }
    }
    L->n = n;
    size_t sz = T->state_size ? T->state_size(&L->params, n, L->arg) : 0;
    if (sz) {
        L->state = calloc(1, sz);
        if (!L->state) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory for landscape '%s' in %d dimensions",
                          T->name, n);
            free(L);
            return NULL;
        }
    }
    if (T->init && T->init(L->state, &L->params, n, L->arg, err) != LSC_OK) {
        if (err && err->code == 0)
            lsc_error_set(err, LSC_EINVAL, "%s: invalid parameters for '%s'", what, T->name);
        if (T->destroy && L->state)
            T->destroy(L->state);
        free(L->state);
        free(L);
        return NULL;
    }
    return L;
}

void lsc_landscape_free(lsc_landscape *L)
{
    if (!L)
        return;
    if (L->type->destroy && L->state)
        L->type->destroy(L->state);
    free(L->state);
    free(L->box);
    free(L);
}

double lsc_landscape_f(const lsc_landscape *L, const double *x)
{
    return L->type->f(&L->params, L->state, L->n, x);
}

double lsc_landscape_fdf(const lsc_landscape *L, const double *x, double *g)
{
    return L->type->fdf(&L->params, L->state, L->n, x, g);
}

int lsc_landscape_has_hessian(const lsc_landscape *L)
{
    return L->type->hess != NULL;
}

int lsc_landscape_hess(const lsc_landscape *L, const double *x, double *H)
{
    if (!L->type->hess)
        return LSC_ENOTSUP;
    L->type->hess(&L->params, L->state, L->n, x, H);
    return LSC_OK;
}

int lsc_landscape_in_domain(const lsc_landscape *L, const double *x)
{
    return L->type->in_domain ? L->type->in_domain(&L->params, L->state, L->n, x) : 1;
}

/* Sampling the box: for n <= 2 a grid of BOX_GRID points per axis, edges included; for
 * n >= 3 uniform points (GSL's MT19937 with seed 1, so the answer is repeatable),
 * BOX_WORK / n of them (at most BOX_SAMPLES) so that the cost stays bounded in n. */
#define BOX_GRID 201
#define BOX_SAMPLES 20000
#define BOX_WORK 20000000L

int lsc_landscape_box_undefined(const lsc_landscape *L, double *x)
{
    if (!L->type->in_domain)
        return 0;
    const int n = L->n;
    double *lo = malloc(2 * (size_t)n * sizeof *lo);
    gsl_rng *rng = n > 2 ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    if (!lo || (n > 2 && !rng)) {
        free(lo);
        gsl_rng_free(rng);
        return 0;
    }
    if (rng)
        gsl_rng_set(rng, 1);
    double *hi = lo + n;
    lsc_landscape_box(L, lo, hi);
    const long total = n == 1 ? BOX_GRID
                       : n == 2 ? (long)BOX_GRID * BOX_GRID
                       : BOX_WORK / n < BOX_SAMPLES ? BOX_WORK / n + 1
                                                    : BOX_SAMPLES;
    int found = 0;
    for (long k = 0; k < total && !found; k++) {
        long r = k;
        for (int j = 0; j < n; j++, r /= BOX_GRID)
            x[j] = lo[j] + (hi[j] - lo[j]) * (rng ? gsl_rng_uniform(rng)
                                                  : (double)(r % BOX_GRID) / (BOX_GRID - 1));
        found = !lsc_landscape_in_domain(L, x);
    }
    gsl_rng_free(rng);
    free(lo);
    return found;
}

void lsc_landscape_fdf_batch(const lsc_landscape *L, size_t m, const double *X, double *F,
                             double *G, double *scratch)
{
    const int n = L->n;
    if (L->type->fdf_batch) {
        L->type->fdf_batch(&L->params, L->state, n, m, X, F, G);
        return;
    }
    double *x = scratch, *g = scratch + n;
    for (size_t i = 0; i < m; i++) {
        for (int j = 0; j < n; j++)
            x[j] = X[(size_t)j * m + i];
        F[i] = L->type->fdf(&L->params, L->state, n, x, g);
        for (int j = 0; j < n; j++)
            G[(size_t)j * m + i] = g[j];
    }
}

void lsc_landscape_box(const lsc_landscape *L, double *lo, double *hi)
{
    const lsc_landscape_type *T = L->type;
    if (L->box) {
        memcpy(lo, L->box, (size_t)L->n * sizeof *lo);
        memcpy(hi, L->box + L->n, (size_t)L->n * sizeof *hi);
        return;
    }
    if (T->box) {
        T->box(&L->params, L->state, L->n, lo, hi);
        return;
    }
    for (int j = 0; j < L->n; j++) {
        int k = T->dim == 2 ? j : 0;
        lo[j] = T->lo[k];
        hi[j] = T->hi[k];
    }
}

int lsc_landscape_set_box(lsc_landscape *L, const double *lo, const double *hi,
                          lsc_error *err)
{
    const int n = L->n;
    for (int j = 0; j < n; j++)
        if (!(isfinite(lo[j]) && isfinite(hi[j]) && lo[j] < hi[j])) {
            lsc_error_set(err, LSC_EINVAL, "box: axis %d of landscape '%s' is [%g, %g] "
                          "(allowed: finite lo < hi)", j + 1, L->type->name, lo[j], hi[j]);
            return LSC_EINVAL;
        }
    if (!L->box && !(L->box = malloc(2 * (size_t)n * sizeof *L->box))) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for the box of a %d-D landscape", n);
        return LSC_ENOMEM;
    }
    memcpy(L->box, lo, (size_t)n * sizeof *lo);
    memcpy(L->box + n, hi, (size_t)n * sizeof *hi);
    if (L->type->box_changed)
        L->type->box_changed(L->state, &L->params, n, L->box, L->box + n);
    return LSC_OK;
}

/* One range "LO:HI" of a box at s (up to ',' or the end): LSC_OK with *end after it. */
static int box_range(const char *s, double *lo, double *hi, const char **end)
{
    char buf[128];
    size_t len = strcspn(s, ",");
    const char *colon = memchr(s, ':', len);
    *end = s + len;
    if (!colon || len >= sizeof buf)
        return LSC_EINVAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    buf[colon - s] = '\0';
    if (lsc_parse_double(buf, lo) != LSC_OK || lsc_parse_double(buf + (colon - s) + 1, hi) !=
                                                    LSC_OK)
        return LSC_EINVAL;
    return LSC_OK;
}

int lsc_box_parse(const char *text, int n, double *lo, double *hi, lsc_error *err)
{
    /* first pass: the syntax and every range; second: fill lo, hi (one range: every axis) */
    int count = 0;
    const char *s = text;
    do {
        double a, b;
        if (count == LSC_MAX_DIM || box_range(s, &a, &b, &s) != LSC_OK) {
            lsc_error_set(err, LSC_EINVAL, "box: '%.200s' is not allowed (expected LO:HI for "
                          "every axis, or LO:HI,LO:HI,... one range per axis)", text);
            return LSC_EINVAL;
        }
        if (!(isfinite(b - a) && a < b)) { /* also HI - LO finite: the box's width */
            lsc_error_set(err, LSC_EINVAL, "box: '%.200s' is not allowed (range %d is [%g, "
                          "%g]; expected LO < HI, HI - LO finite)", text, count + 1, a, b);
            return LSC_EINVAL;
        }
        count++;
    } while (*s++ == ',');
    if (n <= 0)
        return LSC_OK;
    if (count != 1 && count != n) {
        lsc_error_set(err, LSC_EINVAL, "box: '%.200s' is not allowed (%d ranges for a "
                      "landscape of dimension %d; expected 1 range for every axis, or %d)",
                      text, count, n, n);
        return LSC_EINVAL;
    }
    if (!lo || !hi)
        return LSC_OK;
    s = text;
    for (int j = 0; j < count; j++, s++)
        box_range(s, &lo[j], &hi[j], &s);
    for (int j = count; j < n; j++) {
        lo[j] = lo[0];
        hi[j] = hi[0];
    }
    return LSC_OK;
}

int lsc_landscape_set_box_text(lsc_landscape *L, const char *text, lsc_error *err)
{
    if (!text || !strcmp(text, "default"))
        return LSC_OK;
    double *lo = malloc(2 * (size_t)L->n * sizeof *lo);
    if (!lo) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for the box of a %d-D landscape", L->n);
        return LSC_ENOMEM;
    }
    int rc = lsc_box_parse(text, L->n, lo, lo + L->n, err);
    if (rc == LSC_OK)
        rc = lsc_landscape_set_box(L, lo, lo + L->n, err);
    free(lo);
    return rc;
}

int lsc_landscape_nstarts(const lsc_landscape *L)
{
    const lsc_landscape_type *T = L->type;
    if (T->nstarts_fn)
        return T->nstarts_fn(&L->params, L->state, L->n);
    return T->nstarts;
}

void lsc_landscape_start(const lsc_landscape *L, int k, double *x)
{
    const lsc_landscape_type *T = L->type;
    if (T->start) {
        T->start(&L->params, L->state, L->n, k, x);
        return;
    }
    for (int j = 0; j < L->n; j++)
        x[j] = T->starts[(size_t)k * (size_t)L->n + (size_t)j];
}

int lsc_landscape_ncritical(const lsc_landscape *L)
{
    const lsc_landscape_type *T = L->type;
    if (T->ncritical)
        return T->ncritical(&L->params, L->state, L->n);
    return T->ncritical_table;
}

void lsc_landscape_critical(const lsc_landscape *L, int k, lsc_critical *cp)
{
    const lsc_landscape_type *T = L->type;
    if (T->critical) {
        T->critical(&L->params, L->state, L->n, k, cp);
        return;
    }
    const lsc_critical2 *r = &T->critical_table[k];
    cp->kind = r->kind;
    cp->f = r->f;
    cp->eig_min = r->eig_min;
    cp->eig_max = r->eig_max;
    cp->tol = r->tol;
    cp->x[0] = r->x[0];
    cp->x[1] = r->x[1];
}

int lsc_landscape_nearest_min(const lsc_landscape *L, const double *x, double *dist,
                              double *xbuf)
{
    int best = -1;
    double bestd = INFINITY;
    int nc = lsc_landscape_ncritical(L);
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = xbuf};
        lsc_landscape_critical(L, k, &cp);
        if (cp.kind != LSC_CP_MIN)
            continue;
        double s = 0;
        for (int j = 0; j < L->n; j++) {
            double d = x[j] - xbuf[j];
            s += d * d;
        }
        if (s < bestd) {
            bestd = s;
            best = k;
        }
    }
    if (dist)
        *dist = best >= 0 ? sqrt(bestd) : NAN;
    return best;
}

int lsc_landscape_describe(const lsc_landscape *L, char *buf, size_t len)
{
    if (L->type->spec_prefix)
        return snprintf(buf, len, "%s:%s", L->type->spec_prefix, L->type->name);
    if (L->type->raw_arg)
        return snprintf(buf, len, "%s:%s", L->type->name, L->arg);
    if (L->params.n == 0)
        return snprintf(buf, len, "%s", L->type->name);
    int w = snprintf(buf, len, "%s:", L->type->name);
    if (w < 0 || (size_t)w >= len)
        return w;
    return w + lsc_params_format(&L->params, buf + w, len - (size_t)w);
}

/* ---- finite differences ---------------------------------------------------------
 * Central differences: g_i ~ (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i), h_i = h max(1,|x_i|),
 * error O(h^2 f''') + O(eps f / h): h ~ eps^(1/3) ~ 6e-6 balances them. */

void lsc_fd_gradient(const lsc_landscape *L, const double *x, double h, double *g,
                     double *xbuf)
{
    const int n = L->n;
    memcpy(xbuf, x, (size_t)n * sizeof *x);
    for (int i = 0; i < n; i++) {
        double hi = h * fmax(1.0, fabs(x[i]));
        xbuf[i] = x[i] + hi;
        double fp = lsc_landscape_f(L, xbuf);
        xbuf[i] = x[i] - hi;
        double fm = lsc_landscape_f(L, xbuf);
        xbuf[i] = x[i];
        g[i] = (fp - fm) / (2 * hi);
    }
}

void lsc_fd_hessian(const lsc_landscape *L, const double *x, double h, double *H,
                    double *work)
{
    const int n = L->n;
    double *xb = work, *gp = work + n, *gm = work + 2 * n;
    memcpy(xb, x, (size_t)n * sizeof *x);
    for (int i = 0; i < n; i++) {
        double hi = h * fmax(1.0, fabs(x[i]));
        xb[i] = x[i] + hi;
        lsc_landscape_fdf(L, xb, gp);
        xb[i] = x[i] - hi;
        lsc_landscape_fdf(L, xb, gm);
        xb[i] = x[i];
        for (int j = 0; j < n; j++)
            H[(size_t)i * n + j] = (gp[j] - gm[j]) / (2 * hi);
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double s = 0.5 * (H[(size_t)i * n + j] + H[(size_t)j * n + i]);
            H[(size_t)i * n + j] = H[(size_t)j * n + i] = s;
        }
}

int lsc_sym_eig_range(int n, const double *H, double *eig_min, double *eig_max)
{
    if (n < 1)
        return LSC_EINVAL;
    /* With GSL's handler off (lsc_init) a failed allocation returns NULL; the matrix goes
     * first so that nothing else is allocated when it fails. */
    gsl_matrix *A = gsl_matrix_alloc((size_t)n, (size_t)n);
    if (!A)
        return LSC_ENOMEM;
    gsl_vector *ev = gsl_vector_alloc((size_t)n);
    gsl_eigen_symm_workspace *w = ev ? gsl_eigen_symm_alloc((size_t)n) : NULL;
    if (!ev || !w) {
        gsl_matrix_free(A);
        gsl_vector_free(ev);
        gsl_eigen_symm_free(w);
        return LSC_ENOMEM;
    }
    memcpy(A->data, H, (size_t)n * (size_t)n * sizeof *H);
    int rc = gsl_eigen_symm(A, ev, w);
    if (rc == 0) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < n; i++) {
            double e = gsl_vector_get(ev, (size_t)i);
            lo = fmin(lo, e);
            hi = fmax(hi, e);
        }
        *eig_min = lo;
        *eig_max = hi;
    }
    gsl_matrix_free(A);
    gsl_vector_free(ev);
    gsl_eigen_symm_free(w);
    return rc == 0 ? LSC_OK : LSC_ESINGULAR;
}

int lsc_landscape_reentrant(const lsc_landscape *L)
{
    return !L->type->one_thread;
}
