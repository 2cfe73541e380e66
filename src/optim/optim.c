/* optim.c — optimizer instances: spec parsing, aligned state, reset, description */
#include "optim.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const lsc_optim_type *lsc_optim_type_find(const char *name)
{
    for (int i = 0; i < lsc_optim_registry_count; i++)
        if (!strcmp(lsc_optim_registry[i]->name, name))
            return lsc_optim_registry[i];
    return NULL;
}

/* The spec's lr hyper-parameter (row LSC_OPTIM_P_LR of the type's table), or 1 for a type
 * without one. */
static double spec_lr(const lsc_optim *o)
{
    const lsc_optim_type *T = o->type;
    int has_lr = T->nparams > LSC_OPTIM_P_LR && !strcmp(T->params[LSC_OPTIM_P_LR].name, "lr");
    return has_lr ? o->params.v[LSC_OPTIM_P_LR] : 1.0;
}

static const char *const optim_extra_keys[] = {"label", NULL};

lsc_optim *lsc_optim_new(const char *text, int n, const char *what, lsc_error *err)
{
    if (n < 0 || n > LSC_MAX_DIM) {
        lsc_error_set(err, LSC_EINVAL, "%s: an optimizer for %d parameters (expected 0 to %d)",
                      what, n, LSC_MAX_DIM);
        return NULL;
    }
    lsc_spec spec;
    if (lsc_spec_parse(text, what, &spec, err) != LSC_OK)
        return NULL;
    const lsc_optim_type *T = lsc_optim_type_find(spec.name);
    if (!T) {
        const char *names[128];
        int nn = 0;
        for (int i = 0; i < lsc_optim_registry_count && nn < 128; i++)
            names[nn++] = lsc_optim_registry[i]->name;
        const char *close = lsc_closest(spec.name, names, nn);
        if (close)
            lsc_error_set(err, LSC_EINVAL,
                          "%s: unknown optimizer '%s' (did you mean '%s'? 'losscape list "
                          "optimizers' shows all)",
                          what, spec.name, close);
        else
            lsc_error_set(err, LSC_EINVAL,
                          "%s: unknown optimizer '%s' ('losscape list optimizers' shows all)",
                          what, spec.name);
        return NULL;
    }
    lsc_optim *o = calloc(1, sizeof *o);
    if (!o) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return NULL;
    }
    o->type = T;
    o->n = n;
    if (lsc_params_from_spec(&o->params, T->params, T->nparams, &spec, optim_extra_keys, what,
                             err) != LSC_OK) {
        free(o);
        return NULL;
    }
    const char *label = lsc_spec_get(&spec, "label");
    if (label && !*label) {
        lsc_error_set(err, LSC_EINVAL, "%s: label= is empty in '%s'", what, text);
        free(o);
        return NULL;
    }
    if (label && strlen(label) >= sizeof o->label) {
        lsc_error_set(err, LSC_EINVAL, "%s: label '%.40s...' is longer than %zu characters",
                      what, label, sizeof o->label - 1);
        free(o);
        return NULL;
    }
    snprintf(o->label, sizeof o->label, "%s", label ? label : T->name);
    o->lr = spec_lr(o);
    size_t sz = T->state_size(&o->params, n);
    /* a state_size near SIZE_MAX (overflow) must not wrap to a tiny block */
    o->state = sz > SIZE_MAX - 63 ? NULL : aligned_alloc(64, sz ? (sz + 63) & ~(size_t)63 : 64);
    if (!o->state) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for optimizer '%s' with %d parameters",
                      T->name, n);
        free(o);
        return NULL;
    }
    if (T->init(o->state, &o->params, n, err) != LSC_OK) {
        if (err && err->code == 0)
            lsc_error_set(err, LSC_EINVAL, "%s: invalid hyper-parameters for '%s'", what,
                          T->name);
        lsc_optim_free(o);
        return NULL;
    }
    return o;
}

void lsc_optim_free(lsc_optim *o)
{
    if (!o)
        return;
    free(o->state);
    free(o);
}

int lsc_optim_reset(lsc_optim *o)
{
    o->lr = spec_lr(o);
    return o->type->init(o->state, &o->params, o->n, NULL);
}

int lsc_optim_set_lr(lsc_optim *o, double lr)
{
    if (!(lr >= 0 && lr < INFINITY)) /* also refuses nan */
        return LSC_EINVAL;
    o->lr = lr;
    return LSC_OK;
}

double lsc_optim_lr(const lsc_optim *o)
{
    return o->lr;
}

int lsc_optim_describe(const lsc_optim *o, char *buf, size_t len)
{
    if (o->params.n == 0)
        return snprintf(buf, len, "%s", o->type->name);
    int w = snprintf(buf, len, "%s:", o->type->name);
    if (w < 0 || (size_t)w >= len)
        return w;
    return w + lsc_params_format(&o->params, buf + w, len - (size_t)w);
}
