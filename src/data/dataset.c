/* dataset.c — data sets: a spec made into examples, freed, split and copied (dataset.h) */
#include "dataset.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "data_impl.h"

const lsc_data_type *lsc_data_type_find(const char *name)
{
    for (int i = 0; name && i < lsc_data_registry_count; i++)
        if (!strcmp(lsc_data_registry[i]->name, name))
            return lsc_data_registry[i];
    return NULL;
}

/* Ends in .tsv or .csv, in any case (the reader's separator follows it). */
int lsc_data_is_file(const char *spec)
{
    size_t n = spec ? strlen(spec) : 0;
    if (n < 5 || spec[n - 4] != '.')
        return 0;
    char ext[4];
    for (int k = 0; k < 3; k++)
        ext[k] = (char)tolower((unsigned char)spec[n - 3 + k]);
    ext[3] = '\0';
    return !strcmp(ext, "tsv") || !strcmp(ext, "csv");
}

/* A generator spec into D. */
static int generate(lsc_dataset *D, const char *text, unsigned long long seed, lsc_error *err)
{
    lsc_spec spec;
    if (lsc_spec_parse(text, "data", &spec, err) != LSC_OK)
        return LSC_EINVAL;
    const lsc_data_type *T = lsc_data_type_find(spec.name);
    if (!T) {
        const char *names[64];
        int nn = 0;
        for (int i = 0; i < lsc_data_registry_count && nn < 64; i++)
            names[nn++] = lsc_data_registry[i]->name;
        const char *close = lsc_closest(spec.name, names, nn);
        lsc_error_set(err, LSC_EINVAL, "data: unknown data set '%s' (%s%s%sa generator such "
                      "as blobs or spiral, or a file NAME.tsv or NAME.csv)", spec.name,
                      close ? "did you mean '" : "", close ? close : "", close ? "'? " : "");
        return LSC_EINVAL;
    }
    lsc_params p;
    if (lsc_params_from_spec(&p, T->params, T->nparams, &spec, NULL, "data", err) != LSC_OK)
        return LSC_EINVAL;
    if (T->seeded && p.given[T->nparams - 1]) /* its last row is the seed */
        seed = (unsigned long long)p.v[T->nparams - 1];
    int n, d, classes;
    T->shape(&p, &n, &d, &classes);
    if ((unsigned long long)n * (unsigned long long)(d + 1) > LSC_DATA_MAX_VALUES) {
        lsc_error_set(err, LSC_EINVAL, "data: '%s' would hold %d x %d numbers (at most %llu)",
                      text, n, d + 1, LSC_DATA_MAX_VALUES);
        return LSC_EINVAL;
    }
    if (data_alloc(D, n, d, err) != LSC_OK)
        return LSC_ENOMEM;
    gsl_rng *r = lsc_rng_for_run(seed, DATA_STREAM_GENERATE);
    int rc = r ? T->generate(&p, r, n, d, D->X, D->y) : LSC_ENOMEM;
    if (r)
        gsl_rng_free(r);
    if (rc != LSC_OK) {
        lsc_data_free(D);
        lsc_error_set(err, LSC_ENOMEM, "data: out of memory making '%s'", text);
        return LSC_ENOMEM;
    }
    for (int j = 0; j < d; j++)
        snprintf(D->names[j], LSC_NAME_MAX, "x%d", j + 1);
    snprintf(D->names[d], LSC_NAME_MAX, "y");
    D->classes = T->classification ? classes : 0;
    return LSC_OK;
}

int lsc_data_load(lsc_dataset *D, const char *spec, const char *target, unsigned long long seed,
                  lsc_error *err)
{
    memset(D, 0, sizeof *D);
    if (!spec || !spec[0]) {
        lsc_error_set(err, LSC_EINVAL, "data: empty (a generator such as blobs or spiral, or "
                      "a file NAME.tsv or NAME.csv)");
        return LSC_EINVAL;
    }
    if (strlen(spec) >= sizeof D->source) {
        lsc_error_set(err, LSC_EINVAL, "data: longer than %zu characters",
                      sizeof D->source - 1);
        return LSC_EINVAL;
    }
    if (lsc_data_is_file(spec))
        return lsc_data_read(D, spec, target, err);
    if (target && target[0]) {
        lsc_error_set(err, LSC_EINVAL, "target: '%s' names a column of a data file; data set "
                      "'%.200s' is generated (its target is y)", target, spec);
        return LSC_EINVAL;
    }
    int rc = generate(D, spec, seed, err);
    if (rc == LSC_OK)
        snprintf(D->source, sizeof D->source, "%s", spec);
    return rc;
}

/* Row i of src into row k of dst. */
static void copy_row(lsc_dataset *dst, int k, const lsc_dataset *src, int i)
{
    if (src->d)
        memcpy(dst->X + (size_t)k * (size_t)src->d, src->X + (size_t)i * (size_t)src->d,
               (size_t)src->d * sizeof *src->X);
    dst->y[k] = src->y[i];
}

static int alloc_like(lsc_dataset *dst, const lsc_dataset *src, int n, lsc_error *err)
{
    memset(dst, 0, sizeof *dst);
    if (data_alloc(dst, n, src->d, err) != LSC_OK)
        return LSC_ENOMEM;
    memcpy(dst->names, src->names, ((size_t)src->d + 1) * sizeof *src->names);
    snprintf(dst->source, sizeof dst->source, "%s", src->source);
    dst->classes = src->classes;
    dst->bad_label_line = src->bad_label_line;
    dst->bad_label = src->bad_label;
    return LSC_OK;
}

int lsc_data_copy(lsc_dataset *dst, const lsc_dataset *src, lsc_error *err)
{
    if (alloc_like(dst, src, src->n, err) != LSC_OK)
        return LSC_ENOMEM;
    for (int i = 0; i < src->n; i++)
        copy_row(dst, i, src, i);
    return LSC_OK;
}

int lsc_data_split(const lsc_dataset *all, double frac, unsigned long long seed,
                   lsc_dataset *train, lsc_dataset *test, lsc_error *err)
{
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (!(frac > 0 && frac < 1)) {
        lsc_error_set(err, LSC_EINVAL, "holdout: %g is not allowed (a fraction > 0 and < 1)",
                      frac);
        return LSC_EINVAL;
    }
    const long ntest = lround(frac * all->n);
    if (ntest < 1 || ntest > all->n - 1) {
        lsc_error_set(err, LSC_EINVAL, "holdout: %g of %d examples leaves %s (each part needs "
                      "at least one example)", frac, all->n,
                      ntest < 1 ? "no test example" : "no training example");
        return LSC_EINVAL;
    }
    /* which examples are held out: the first ntest of a seeded permutation */
    int *perm = malloc((size_t)all->n * sizeof *perm);
    unsigned char *held = calloc((size_t)all->n, 1);
    gsl_rng *r = lsc_rng_for_run(seed, DATA_STREAM_HOLDOUT);
    int rc = perm && held && r ? LSC_OK : LSC_ENOMEM;
    if (rc == LSC_OK) {
        for (int i = 0; i < all->n; i++)
            perm[i] = i;
        gsl_ran_shuffle(r, perm, (size_t)all->n, sizeof *perm);
        for (long k = 0; k < ntest; k++)
            held[perm[k]] = 1;
        rc = alloc_like(test, all, (int)ntest, err);
        if (rc == LSC_OK)
            rc = alloc_like(train, all, all->n - (int)ntest, err);
    } else {
        lsc_error_set(err, LSC_ENOMEM, "holdout: out of memory");
    }
    if (rc == LSC_OK) {
        int a = 0, b = 0;
        for (int i = 0; i < all->n; i++) {
            if (held[i])
                copy_row(test, b++, all, i);
            else
                copy_row(train, a++, all, i);
        }
    } else {
        lsc_data_free(train);
        lsc_data_free(test);
    }
    free(perm);
    free(held);
    if (r)
        gsl_rng_free(r);
    return rc;
}

int data_shuffle_rows(gsl_rng *r, int n, int d, double *X, double *y)
{
    /* Fisher-Yates over row indices, then the rows moved by one copy */
    int *perm = malloc((size_t)(n > 0 ? n : 1) * sizeof *perm);
    double *tmp = malloc((size_t)n * ((size_t)d + 1) * sizeof *tmp + 1);
    if (!perm || !tmp) {
        free(perm);
        free(tmp);
        return LSC_ENOMEM;
    }
    for (int i = 0; i < n; i++)
        perm[i] = i;
    gsl_ran_shuffle(r, perm, (size_t)n, sizeof *perm);
    for (int i = 0; i < n; i++) {
        const int s = perm[i];
        for (int j = 0; j < d; j++)
            tmp[(size_t)i * ((size_t)d + 1) + (size_t)j] = X[(size_t)s * (size_t)d + (size_t)j];
        tmp[(size_t)i * ((size_t)d + 1) + (size_t)d] = y[s];
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++)
            X[(size_t)i * (size_t)d + (size_t)j] = tmp[(size_t)i * ((size_t)d + 1) + (size_t)j];
        y[i] = tmp[(size_t)i * ((size_t)d + 1) + (size_t)d];
    }
    free(perm);
    free(tmp);
    return LSC_OK;
}
