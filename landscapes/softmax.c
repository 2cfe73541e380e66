/* softmax.c — multinomial logistic regression as a landscape: nn.Linear(d, C) with
 * nn.CrossEntropyLoss
 *
 *     f(W, b) = (1/N) sum_i [ logsumexp(z_i) - z_i,y_i ]  +  (l2/2) |W|_F^2,
 *     z_i = W a_i + b  (C logits),   y_i in {0, ..., C-1}
 *
 * Parameters as nn.Linear(d, C).parameters(): W (C x d, row-major), then b (C). With
 * p_i = softmax(z_i) and x~_i = (a_i, 1), parameter (c, j) being W_cj for j < d and b_c
 * for j = d:
 *
 *     H_(c,j),(c',j') = (1/N) sum_i (p_ic [c = c'] - p_ic p_ic') x~_ij x~_ij'
 *                       + l2 [c = c', j = j' < d].
 *
 * Convex, never strictly: adding one vector to every class's (W_c, b_c) changes nothing,
 * so H has a null space of dimension d + 1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"

enum { P_L2 };

static const lsc_param_desc softmax_params[] = {
    [P_L2] = {"l2", LSC_PARAM_REAL, 0, 0, 1e6, 0,
              "weight decay: adds (l2/2) |W|^2 to the loss (not the biases)", NULL},
};

/* Index of parameter (c, j) in nn.Linear order. */
static size_t at(size_t c, size_t j, size_t d, size_t C)
{
    return j < d ? c * d + j : C * d + c;
}

static void softmax_hess(const lsc_params *p, const void *state, int n, const double *x,
                         double *H)
{
    const lsc_model *M = state;
    const lsc_dataset *D = M->train;
    const size_t N = (size_t)n, d = (size_t)D->d, C = (size_t)M->size[1];
    double *prob = M->work; /* C values; the landscape's own work, free here */
    memset(H, 0, N * N * sizeof *H);
    for (int i = 0; i < D->n; i++) {
        const double *a = d ? D->X + (size_t)i * d : NULL; /* no features: bias only */
        double top = -INFINITY, s = 0;
        for (size_t c = 0; c < C; c++) {
            double z = x[C * d + c];
            for (size_t j = 0; j < d; j++)
                z += x[c * d + j] * a[j];
            prob[c] = z;
            top = fmax(top, z);
        }
        for (size_t c = 0; c < C; c++)
            s += (prob[c] = exp(prob[c] - top));
        for (size_t c = 0; c < C; c++)
            prob[c] /= s;
        for (size_t c = 0; c < C; c++)
            for (size_t c2 = 0; c2 < C; c2++) {
                const double w = (prob[c] * (c == c2) - prob[c] * prob[c2]) / D->n;
                for (size_t j = 0; j <= d; j++) {
                    const double aj = w * (j < d ? a[j] : 1);
                    double *row = H + at(c, j, d, C) * N;
                    for (size_t k = 0; k <= d; k++)
                        row[at(c2, k, d, C)] += aj * (k < d ? a[k] : 1);
                }
            }
    }
    for (size_t k = 0; k < C * d; k++)
        H[k * N + k] += p->v[P_L2];
}

static int softmax_init(void *state, const lsc_params *p, const lsc_dataset *D, int *n,
                        lsc_error *err)
{
    lsc_model *M = state;
    int rc = lsc_model_setup(M, D, 0, NULL, LSC_ACT_LINEAR, LSC_LOSS_CE, p->v[P_L2], "softmax",
                             err);
    *n = M->n;
    return rc;
}

const lsc_landscape_type lsc_landscape_softmax = {
    .name = "softmax",
    .summary = "multinomial logistic regression on a data set with classes: nn.Linear(d, C) with "
               "nn.CrossEntropyLoss",
    .formula = "f(W, b) = (1/N) sum_i logsumexp(W a_i + b) - (W a_i + b)_{y_i} + (l2/2) |W|^2; "
               "parameters W (C x d, row-major), b",
    .citation = "PyTorch nn.Linear, nn.CrossEntropyLoss (reduction='mean')",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 1,
    .params = softmax_params,
    .nparams = LSC_COUNTOF(softmax_params),
    .state_size = lsc_model_state_size,
    .init_data = softmax_init,
    .destroy = lsc_model_destroy,
    .f = lsc_model_f,
    .fdf = lsc_model_fdf_all,
    .hess = softmax_hess,
    .box = lsc_model_box,
    .nstarts_fn = lsc_model_nstarts,
    .start = lsc_model_start,
    .one_thread = 1, /* the model's work space lives in the state (model.h) */
};
