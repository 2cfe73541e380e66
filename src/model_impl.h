/* model_impl.h — what the model landscapes (landscapes/linreg.c, logreg.c, softmax.c,
 * mlp.c) share with src/model.c; not installed (model.h is the public side) */
#ifndef LSC_MODEL_IMPL_H
#define LSC_MODEL_IMPL_H

#include "model.h"

/* Describe the network: hidden widths (nhidden of them), activation, loss, l2; check the
 * data fits the loss (labels for bce and ce) and allocate the work. name: the landscape's,
 * for messages. */
int lsc_model_setup(lsc_model *M, const lsc_dataset *D, int nhidden, const int *hidden,
                    lsc_act act, lsc_loss loss, double l2, const char *name, lsc_error *err);
/* Fill x with nn.Linear's default initialisation, layer by layer (W_l row-major, then
 * b_l): every entry U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = size[l]. */
void lsc_model_torch_init(const lsc_model *M, gsl_rng *r, double *x);
/* The landscape type's functions for every model. Standard start k (k < LSC_MODEL_NSTARTS)
 * is lsc_model_torch_init drawn with MT19937 seeded k: start 0, the default start of an
 * experiment, is what nn.Sequential(...) would hold after construction. */
#define LSC_MODEL_NSTARTS 10
int lsc_model_nstarts(const lsc_params *p, const void *state, int n);
void lsc_model_start(const lsc_params *p, const void *state, int n, int k, double *x);
size_t lsc_model_state_size(const lsc_params *p, int n, const char *arg);
void lsc_model_destroy(void *state);
double lsc_model_f(const lsc_params *p, const void *state, int n, const double *x);
double lsc_model_fdf_all(const lsc_params *p, const void *state, int n, const double *x,
                         double *g);
void lsc_model_hess_hvp(const lsc_params *p, const void *state, int n, const double *x,
                        double *H);
void lsc_model_box(const lsc_params *p, const void *state, int n, double *lo, double *hi);
int lsc_model_ncritical(const lsc_params *p, const void *state, int n);
void lsc_model_critical(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp);

#endif
