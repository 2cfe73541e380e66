/* init.h — start points from an initialisation scheme (PyTorch's nn.init), layer by layer
 *
 * A scheme is a spec, name[:key=value,...]:
 *
 *   zeros                      every parameter 0
 *   constant:value=0           weights = value
 *   normal:std=1               weights ~ N(0, std^2)
 *   uniform:a=1                weights ~ U(-a, a)
 *   xavier-uniform:gain=1      U(-g sqrt(6/(fan_in+fan_out)), +...)   nn.init.xavier_uniform_
 *   xavier-normal:gain=1       N(0, g^2 2/(fan_in+fan_out))           nn.init.xavier_normal_
 *   he-normal                  N(0, 2/fan_in)          kaiming_normal_(nonlinearity='relu')
 *   he-uniform                 U(-sqrt(6/fan_in), +...) kaiming_uniform_(nonlinearity='relu')
 *   lecun-normal               N(0, 1/fan_in)
 *   orthogonal:gain=1          Q of the QR of a Gaussian matrix, times sign(diag R) and the
 *                              gain: W^T W = g^2 I when fan_out >= fan_in, else W W^T = g^2 I
 *                              (nn.init.orthogonal_)
 *   torch                      nn.Linear's default: weights and biases U(-1/sqrt(fan_in), +...)
 *
 * applied to each Linear layer of a model landscape (model.h), fan_in = its inputs,
 * fan_out = its outputs; the biases are 0 except for torch. On any other landscape only
 * zeros, constant, normal and uniform apply, to every coordinate (the others need a
 * model's layers). The draws come from the generator the caller passes (the experiment:
 * lsc_rng_for_run(seed, LSC_INIT_STREAM), so a start depends on the seed alone), layer by
 * layer, W_l row-major then b_l. Sources: Glorot & Bengio 2010; He et al. 2015; LeCun et
 * al. 1998; Saxe et al. 2014; torch/nn/init.py.
 */
#ifndef LSC_INIT_H
#define LSC_INIT_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "landscape.h"
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_INIT_STREAM 0x696e6974ULL /* "init": the experiment's generator index */

typedef struct lsc_init_type {
    const char *name;     /* "xavier-uniform" */
    const char *summary;  /* one line, with the formula */
    const lsc_param_desc *params;
    int nparams;
    int needs_layers;     /* 1: reads fan_in / fan_out, so models only */
} lsc_init_type;

LSC_API extern const lsc_init_type *const lsc_init_registry[];
LSC_API extern const int lsc_init_registry_count;

typedef struct {
    const lsc_init_type *type;
    lsc_params params;
} lsc_init_scheme;

/* Parse a scheme; `what` names the key or flag for messages ("init"). */
LSC_API int lsc_init_parse(lsc_init_scheme *I, const char *spec, const char *what, lsc_error *err);
/* The scheme with every parameter: "xavier-normal:gain=1". Returns the length. */
LSC_API int lsc_init_describe(const lsc_init_scheme *I, char *buf, size_t len);
/* Fill x (L->n values) by the scheme, drawing from r. LSC_EINVAL for a scheme that needs
 * layers on a landscape that has none; LSC_ENOMEM (orthogonal's QR). */
LSC_API int lsc_init_apply(const lsc_init_scheme *I, const lsc_landscape *L, gsl_rng *r, double *x,
                           lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
