/* model.h — models over data as landscapes: linreg, logreg, softmax, mlp
 *
 * A model is nn.Sequential(Linear, act, ..., Linear) with a loss, and its landscape is the
 * finite sum
 *
 *     f(theta) = (1/N) sum_i l(net(a_i; theta), y_i)  +  (l2/2) sum_layers |W|_F^2
 *
 * over the N training examples (a_i, y_i) of a data set (dataset.h), with PyTorch's
 * semantics, mean reduction:
 *
 *   mse   nn.MSELoss            l = (z - y)^2                          one output
 *   bce   nn.BCEWithLogitsLoss  l = max(z, 0) - z y + log(1 + e^-|z|)  one output, y in {0, 1}
 *   ce    nn.CrossEntropyLoss   l = logsumexp(z) - z_y                 one output per class
 *
 * and the activations tanh, relu, sigmoid, leaky-relu (negative_slope 0.01, PyTorch's
 * default) and linear between the layers (none after the last: z are the logits). The l2
 * term (default 0) decays the weights, not the biases (ridge regression's convention).
 *
 *   linreg   one Linear layer, mse                    (n = d + 1)
 *   logreg   one Linear layer, bce                    (n = d + 1; labels 0 and 1)
 *   softmax  one Linear layer to C classes, ce        (n = C (d + 1))
 *   mlp:hidden=8;8,act=tanh,loss=auto                 (loss auto: mse for a regression set,
 *                                                      bce for two classes, ce for more)
 *
 * Parameters are laid out as nn.Sequential(...).parameters() yields them: W1 (out x in,
 * row-major), b1, W2, b2, ..., so weights move between the two unchanged.
 *
 * How a landscape gets its data: a model type has init_data (landscape.h), and is made by
 * lsc_landscape_new_with_data, which hands it the training set (the caller keeps it alive
 * as long as the landscape), or by lsc_landscape_load_model, which makes the data set from
 * its spec, splits off a holdout and keeps both (the experiment's data, target and holdout
 * keys do this; a trajectory file records them, so a plot rebuilds the same landscape).
 * lsc_landscape_new refuses a model ("data: ... needs a data set"). The dimension follows
 * from the model and the data; a dim that differs is refused.
 *
 * Gradients are exact, by backpropagation; Hessian-vector products too (Pearlmutter's
 * R-operator, Neural Computation 6(1):147-160, 1994). linreg, logreg and softmax have a
 * closed-form Hessian; mlp's dense Hessian is assembled from n Hessian-vector products (n
 * passes over the data: for small n), so info --check, newton and sfn work on every model.
 * Matrix products over a block of examples go through BLAS (GSL's CBLAS interface):
 * OpenBLAS, or GSL's reference gslcblas, as the build chose (meson option blas;
 * LSC_BLAS in lsc_version.h). OpenBLAS runs on one thread: setting up the first model
 * calls openblas_set_num_threads(1) for the process, unless OPENBLAS_NUM_THREADS is set
 * in the environment (then OpenBLAS's own reading of it stands). A program linking
 * liblosscape gets OpenBLAS when -lopenblas comes before -lgslcblas on its link line
 * (pkg-config --libs losscape writes them so); else gslcblas, the same numbers to
 * rounding, slower.
 *
 * The landscape's own f, fdf and hess use work buffers kept in its state: evaluate one
 * model landscape from one thread at a time. The functions below take the caller's work
 * (lsc_model_work_size doubles) and allocate nothing, so threads (or a sampler drawing
 * mini-batches) each bring their own.
 */
#ifndef LSC_MODEL_H
#define LSC_MODEL_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "dataset.h"
#include "landscape.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Linear layers: one more than the hidden widths a list parameter holds (LSC_MAX_LIST,
 * param.h), so every hidden= list that parses is a network: 128 hidden layers. The arrays
 * below and the per-call buffer table of model.c (4 pointers a layer, on the stack: about
 * 4 KB) follow from it; the width of a layer is bounded only by LSC_MODEL_MAX_WIDTH and
 * the parameter count by LSC_MAX_DIM. */
#define LSC_MODEL_MAX_LAYERS (LSC_MAX_LIST + 1)
#define LSC_MODEL_MAX_WIDTH 1000000
#define LSC_MODEL_CHUNK 256     /* examples per block of the forward and backward passes */
#define LSC_LEAKY_SLOPE 0.01    /* nn.LeakyReLU's negative_slope */

typedef enum {
    LSC_ACT_TANH,
    LSC_ACT_RELU,
    LSC_ACT_SIGMOID,
    LSC_ACT_LEAKY_RELU,
    LSC_ACT_LINEAR,
} lsc_act;
#define LSC_ACT_NAMES "tanh|relu|sigmoid|leaky-relu|linear" /* in enum order */

typedef enum {
    LSC_LOSS_MSE,
    LSC_LOSS_BCE,
    LSC_LOSS_CE,
} lsc_loss;
#define LSC_LOSS_NAMES "mse|bce|ce"

/* The network of a model landscape (its state). */
typedef struct lsc_model {
    int nlayers;                          /* Linear layers */
    int size[LSC_MODEL_MAX_LAYERS + 1];   /* size[0] features ... size[nlayers] outputs */
    size_t woff[LSC_MODEL_MAX_LAYERS];    /* where W_l and b_l start in theta */
    size_t boff[LSC_MODEL_MAX_LAYERS];
    int n;                                /* parameters */
    lsc_act act;
    lsc_loss loss;
    double l2;
    const lsc_dataset *train;             /* the N examples of f */
    const lsc_dataset *test;              /* the holdout, or NULL */
    lsc_dataset *owned;                   /* [train, test] when the landscape loaded them */
    size_t work_size;                     /* lsc_model_work_size */
    double *work;                         /* the landscape's own (f, fdf, hess) */
    /* a known minimum (linreg: the normal equations), else has_min = 0 */
    int has_min;
    double *xmin;
    double fmin, eig_min, eig_max;
} lsc_model;

/* A landscape of a model type, with the training set D (kept by the caller; see above). */
LSC_API lsc_landscape *lsc_landscape_new_with_data(const char *spec, int dim,
                                                   const lsc_dataset *D, const char *what,
                                                   lsc_error *err);
/* Make the data set of data_spec (target: a file's target column, or NULL; seed: a
 * generator's seed when its spec has none, and the holdout's), hold out a fraction
 * (0: none), and the model landscape over the rest; the landscape keeps both sets. */
LSC_API lsc_landscape *lsc_landscape_load_model(const char *spec, int dim, const char *data_spec,
                                                const char *target, double holdout,
                                                unsigned long long seed, const char *what,
                                                lsc_error *err);

/* The model of a landscape, or NULL for a landscape that is none. */
LSC_API const lsc_model *lsc_landscape_model(const lsc_landscape *L);
/* 1 when type T is a model over data. */
LSC_API int lsc_landscape_type_is_model(const lsc_landscape_type *T);

/* Doubles of work for any call below. */
LSC_API size_t lsc_model_work_size(const lsc_model *M);

/* The mean loss over examples idx[0..m) of D (idx NULL: 0..m-1), plus the l2 term, at
 * theta; its gradient into g (n values; NULL: none) and the examples' own losses, without
 * the l2 term, into loss_i (m values; NULL: none). D may be the training set, the holdout
 * or any set of the same shape. */
LSC_API double lsc_model_fdf(const lsc_model *M, const lsc_dataset *D, const int *idx, int m,
                             const double *theta, double *g, double *loss_i, double *work);
/* Hv = (Hessian of the same mean loss + l2 term at theta) v, exactly. */
LSC_API void lsc_model_hvp(const lsc_model *M, const lsc_dataset *D, const int *idx, int m,
                           const double *theta, const double *v, double *Hv, double *work);
/* The network's outputs (logits) for the m rows of X (m x size[0]): out is m x outputs. */
LSC_API void lsc_model_predict(const lsc_model *M, const double *X, int m, const double *theta,
                               double *out, double *work);
/* The fraction of examples classified right (bce: z > 0 predicts 1; ce: the largest
 * logit), or NAN for an mse model. */
LSC_API double lsc_model_accuracy(const lsc_model *M, const lsc_dataset *D, const int *idx,
                                  int m, const double *theta, double *work);

/* ---- per-layer statistics (issue 10: depth) ---------------------------------------------
 *
 * At theta, over examples idx[0..m) of D (idx NULL: 0..m-1), for each Linear layer
 * l = 1..L (index l - 1):
 *   grad     |df/dW_l|_F: the gradient of f (the mean loss plus the l2 term, as
 *            lsc_model_fdf) with respect to the weights of layer l
 *   weight   |W_l|_F
 *   act_std  the standard deviation of the pre-activations Z_l = A_{l-1} W_l^T + b_l over
 *            the m examples and the s_l units together (divided by m s_l; for the last
 *            layer, of the outputs)
 *   sat      a hidden layer's saturated fraction: tanh, entries with |act(z)| > 0.99;
 *            sigmoid, entries with act(z) < 0.01 or > 0.99 (fractions of the m s_l
 *            entries); relu, units whose output is exactly 0 on all m examples (dead);
 *            leaky-relu, units with z < 0 on all m examples (fractions of the s_l units);
 *            linear, 0. NaN for the output layer, which has no activation.
 * lsc_model_fdf_stats returns f and fills g as lsc_model_fdf does, and takes the
 * statistics from the same forward pass: no pass more, and O(m sum s_l) work beside the
 * O(m sum s_l s_{l-1}) of the products. Its work is lsc_model_stats_work_size doubles (the
 * work of lsc_model_fdf, then one flag per hidden unit). With m = 0 the statistics of the
 * pre-activations are NaN. */
typedef struct {
    int nlayers;
    double grad[LSC_MODEL_MAX_LAYERS];
    double weight[LSC_MODEL_MAX_LAYERS];
    double act_std[LSC_MODEL_MAX_LAYERS];
    double sat[LSC_MODEL_MAX_LAYERS];
} lsc_layer_stats;

LSC_API size_t lsc_model_stats_work_size(const lsc_model *M);
LSC_API double lsc_model_fdf_stats(const lsc_model *M, const lsc_dataset *D, const int *idx,
                                   int m, const double *theta, double *g, lsc_layer_stats *st,
                                   double *work);

#ifdef __cplusplus
}
#endif
#endif
