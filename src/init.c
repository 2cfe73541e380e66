/* init.c — initialisation schemes, layer by layer (init.h) */
#include "init.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "model_impl.h"

enum { I_ZEROS, I_CONSTANT, I_NORMAL, I_UNIFORM, I_XAVIER_U, I_XAVIER_N, I_HE_N, I_HE_U,
       I_LECUN_N, I_ORTHO, I_TORCH };

static const lsc_param_desc value_param[] = {
    {"value", LSC_PARAM_REAL, 0, -1e6, 1e6, 0, "every weight", NULL},
};
static const lsc_param_desc std_param[] = {
    {"std", LSC_PARAM_REAL, 1, 0, 1e6, 0, "standard deviation", NULL},
};
static const lsc_param_desc a_param[] = {
    {"a", LSC_PARAM_REAL, 1, 0, 1e6, 0, "half-width: U(-a, a)", NULL},
};
static const lsc_param_desc gain_param[] = {
    {"gain", LSC_PARAM_REAL, 1, 0, 1e6, 0,
     "scale (nn.init.calculate_gain: linear, sigmoid 1, tanh 5/3, relu sqrt 2)", NULL},
};
#define PARAMS(t) .params = t, .nparams = LSC_COUNTOF(t)

static const lsc_init_type types[] = {
    [I_ZEROS] = {"zeros", "every parameter 0"},
    [I_CONSTANT] = {"constant", "weights = value, biases 0", PARAMS(value_param)},
    [I_NORMAL] = {"normal", "weights ~ N(0, std^2), biases 0", PARAMS(std_param)},
    [I_UNIFORM] = {"uniform", "weights ~ U(-a, a), biases 0", PARAMS(a_param)},
    [I_XAVIER_U] = {"xavier-uniform", "U(+-gain sqrt(6/(fan_in+fan_out))) (Glorot & Bengio 2010)",
                    PARAMS(gain_param), .needs_layers = 1},
    [I_XAVIER_N] = {"xavier-normal", "N(0, gain^2 2/(fan_in+fan_out)) (Glorot & Bengio 2010)",
                    PARAMS(gain_param), .needs_layers = 1},
    [I_HE_N] = {"he-normal", "N(0, 2/fan_in) (He et al. 2015, ReLU)", .needs_layers = 1},
    [I_HE_U] = {"he-uniform", "U(+-sqrt(6/fan_in)) (He et al. 2015, ReLU)", .needs_layers = 1},
    [I_LECUN_N] = {"lecun-normal", "N(0, 1/fan_in) (LeCun et al. 1998)", .needs_layers = 1},
    [I_ORTHO] = {"orthogonal", "gain Q from the QR of a Gaussian matrix (Saxe et al. 2014)",
                 PARAMS(gain_param), .needs_layers = 1},
    [I_TORCH] = {"torch", "nn.Linear's default: weights and biases U(+-1/sqrt(fan_in))",
                 .needs_layers = 1},
};

const lsc_init_type *const lsc_init_registry[] = {
    &types[I_ZEROS],    &types[I_CONSTANT], &types[I_NORMAL],  &types[I_UNIFORM],
    &types[I_XAVIER_U], &types[I_XAVIER_N], &types[I_HE_N],    &types[I_HE_U],
    &types[I_LECUN_N],  &types[I_ORTHO],    &types[I_TORCH],   NULL,
};
const int lsc_init_registry_count = LSC_COUNTOF(lsc_init_registry) - 1;

int lsc_init_parse(lsc_init_scheme *I, const char *text, const char *what, lsc_error *err)
{
    lsc_spec spec;
    memset(I, 0, sizeof *I);
    if (lsc_spec_parse(text, what, &spec, err) != LSC_OK)
        return LSC_EINVAL;
    for (int k = 0; k < lsc_init_registry_count; k++)
        if (!strcmp(lsc_init_registry[k]->name, spec.name))
            I->type = lsc_init_registry[k];
    if (!I->type) {
        const char *names[LSC_COUNTOF(types)];
        char all[512] = "";
        size_t w = 0;
        for (int k = 0; k < lsc_init_registry_count; k++) {
            names[k] = lsc_init_registry[k]->name;
            w += (size_t)snprintf(all + w, sizeof all - w, "%s%s", k ? ", " : "", names[k]);
        }
        const char *close = lsc_closest(spec.name, names, lsc_init_registry_count);
        lsc_error_set(err, LSC_EINVAL, "%s: unknown scheme '%s' (%s%s%sallowed: %s)", what,
                      spec.name, close ? "did you mean '" : "", close ? close : "",
                      close ? "'? " : "", all);
        return LSC_EINVAL;
    }
    return lsc_params_from_spec(&I->params, I->type->params, I->type->nparams, &spec, NULL,
                                what, err);
}

int lsc_init_describe(const lsc_init_scheme *I, char *buf, size_t len)
{
    if (I->params.n == 0)
        return snprintf(buf, len, "%s", I->type->name);
    int w = snprintf(buf, len, "%s:", I->type->name);
    if (w < 0 || (size_t)w >= len)
        return w;
    return w + lsc_params_format(&I->params, buf + w, len - (size_t)w);
}

/* W (rows x cols, row-major) = gain Q, Q from the QR of a Gaussian matrix with its columns
 * signed by diag R (torch's orthogonal_: the transpose when rows < cols). */
static int orthogonal(gsl_rng *r, int rows, int cols, double gain, double *W)
{
    const int tall = rows >= cols, m = tall ? rows : cols, k = tall ? cols : rows;
    gsl_matrix *A = gsl_matrix_alloc((size_t)m, (size_t)k);
    gsl_matrix *Q = gsl_matrix_alloc((size_t)m, (size_t)m);
    gsl_matrix *R = gsl_matrix_alloc((size_t)m, (size_t)k);
    gsl_vector *tau = gsl_vector_alloc((size_t)k);
    int rc = A && Q && R && tau ? LSC_OK : LSC_ENOMEM;
    if (rc == LSC_OK) {
        for (size_t i = 0; i < (size_t)m * (size_t)k; i++)
            A->data[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
        if (gsl_linalg_QR_decomp(A, tau) || gsl_linalg_QR_unpack(A, tau, Q, R))
            rc = LSC_ENOMEM;
    }
    for (int i = 0; rc == LSC_OK && i < m; i++)
        for (int j = 0; j < k; j++) {
            const double d = gsl_matrix_get(R, (size_t)j, (size_t)j);
            const double q = gain * gsl_matrix_get(Q, (size_t)i, (size_t)j) * (d < 0 ? -1 : 1);
            if (tall)
                W[(size_t)i * (size_t)cols + (size_t)j] = q;
            else
                W[(size_t)j * (size_t)cols + (size_t)i] = q;
        }
    gsl_matrix_free(A);
    gsl_matrix_free(Q);
    gsl_matrix_free(R);
    gsl_vector_free(tau);
    return rc;
}

/* One weight matrix (fan_out x fan_in) by scheme kind. */
static int weights(int kind, const lsc_params *p, gsl_rng *r, int fan_out, int fan_in,
                   double *W)
{
    const size_t nw = (size_t)fan_out * (size_t)fan_in;
    const double fi = fan_in, fo = fan_out;
    double sd = 0, half = 0; /* N(0, sd^2) or U(-half, half) */
    switch (kind) {
    case I_ZEROS: break;
    case I_CONSTANT:
        for (size_t k = 0; k < nw; k++)
            W[k] = p->v[0];
        return LSC_OK;
    case I_NORMAL: sd = p->v[0]; break;
    case I_UNIFORM: half = p->v[0]; break;
    case I_XAVIER_U: half = p->v[0] * sqrt(6 / (fi + fo)); break;
    case I_XAVIER_N: sd = p->v[0] * sqrt(2 / (fi + fo)); break;
    case I_HE_N: sd = sqrt(2 / fi); break;
    case I_HE_U: half = sqrt(6 / fi); break;
    case I_LECUN_N: sd = sqrt(1 / fi); break;
    case I_ORTHO: return orthogonal(r, fan_out, fan_in, p->v[0], W);
    }
    for (size_t k = 0; k < nw; k++)
        W[k] = sd > 0 ? gsl_ran_gaussian_ziggurat(r, sd)
                      : half > 0 ? half * (2 * gsl_rng_uniform(r) - 1) : 0;
    return LSC_OK;
}

int lsc_init_apply(const lsc_init_scheme *I, const lsc_landscape *L, gsl_rng *r, double *x,
                   lsc_error *err)
{
    const int kind = (int)(I->type - types);
    const lsc_model *M = lsc_landscape_model(L);
    if (!M) { /* every coordinate as the one "layer" of a closed-form landscape */
        if (I->type->needs_layers) {
            lsc_error_set(err, LSC_EINVAL, "init: '%s' needs a model's layers (fan_in, fan_out: "
                          "linreg, logreg, softmax, mlp); on landscape '%s' use zeros, constant, "
                          "normal or uniform", I->type->name, L->type->name);
            return LSC_EINVAL;
        }
        return weights(kind, &I->params, r, 1, L->n, x);
    }
    if (kind == I_TORCH) {
        lsc_model_torch_init(M, r, x);
        return LSC_OK;
    }
    for (int l = 0; l < M->nlayers; l++) {
        const int fan_in = M->size[l], fan_out = M->size[l + 1];
        memset(x + M->boff[l], 0, (size_t)fan_out * sizeof *x);
        if (fan_in == 0) /* no features: an empty weight matrix */
            continue;
        if (weights(kind, &I->params, r, fan_out, fan_in, x + M->woff[l]) != LSC_OK) {
            lsc_error_set(err, LSC_ENOMEM, "init: out of memory for a %d x %d orthogonal "
                          "matrix", fan_out, fan_in);
            return LSC_ENOMEM;
        }
    }
    return LSC_OK;
}
