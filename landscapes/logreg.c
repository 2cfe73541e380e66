/* logreg.c — logistic regression as a landscape: nn.Linear(d, 1) with nn.BCEWithLogitsLoss
 *
 *     f(w, b) = (1/N) sum_i [ max(z_i, 0) - z_i y_i + log(1 + e^-|z_i|) ]  +  (l2/2) |w|^2,
 *     z_i = w . a_i + b,   y_i in {0, 1}
 *
 * Parameters as nn.Linear(d, 1).parameters(): w, then b. With s_i = sigmoid(z_i) and
 * x~_i = (a_i, 1):
 *
 *     grad = (1/N) sum_i (s_i - y_i) x~_i + l2 (w, 0),
 *     H = (1/N) sum_i s_i (1 - s_i) x~_i x~_i^T + l2 diag(1, ..., 1, 0).
 *
 * Convex; on separable data (xor is not, blobs:classes=2 often is) there is no minimum:
 * |w| grows without bound.
 */
#include <math.h>
#include <string.h>

#include "model_impl.h"

enum { P_L2 };

static const lsc_param_desc logreg_params[] = {
    [P_L2] = {"l2", LSC_PARAM_REAL, 0, 0, 1e6, 0,
              "weight decay: adds (l2/2) |w|^2 to the loss (not the bias)", NULL},
};

static void logreg_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    const lsc_model *M = state;
    const lsc_dataset *D = M->train;
    const size_t N = (size_t)n, d = (size_t)D->d;
    memset(H, 0, N * N * sizeof *H);
    for (int i = 0; i < D->n; i++) {
        const double *a = d ? D->X + (size_t)i * d : NULL; /* no features: bias only */
        double z = x[d];
        for (size_t j = 0; j < d; j++)
            z += x[j] * a[j];
        const double s = 1 / (1 + exp(-z)), c = s * (1 - s) / D->n;
        for (size_t j = 0; j < N; j++) {
            const double aj = c * (j < d ? a[j] : 1);
            for (size_t k = j; k < N; k++)
                H[j * N + k] += aj * (k < d ? a[k] : 1);
        }
    }
    for (size_t j = 0; j < N; j++)
        for (size_t k = j + 1; k < N; k++)
            H[k * N + j] = H[j * N + k];
    for (size_t j = 0; j < d; j++)
        H[j * N + j] += p->v[P_L2];
}

static int logreg_init(void *state, const lsc_params *p, const lsc_dataset *D, int *n,
                       lsc_error *err)
{
    lsc_model *M = state;
    int rc = lsc_model_setup(M, D, 0, NULL, LSC_ACT_LINEAR, LSC_LOSS_BCE, p->v[P_L2], "logreg",
                             err);
    *n = M->n;
    return rc;
}

const lsc_landscape_type lsc_landscape_logreg = {
    .name = "logreg",
    .summary = "logistic regression on a data set of two classes: nn.Linear(d, 1) with "
               "nn.BCEWithLogitsLoss",
    .formula = "f(w, b) = (1/N) sum_i max(z_i,0) - z_i y_i + log(1 + e^-|z_i|) + (l2/2) |w|^2, "
               "z_i = w . a_i + b, y_i in {0, 1}",
    .citation = "PyTorch nn.Linear, nn.BCEWithLogitsLoss (reduction='mean')",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 1,
    .params = logreg_params,
    .nparams = LSC_COUNTOF(logreg_params),
    .state_size = lsc_model_state_size,
    .init_data = logreg_init,
    .destroy = lsc_model_destroy,
    .f = lsc_model_f,
    .fdf = lsc_model_fdf_all,
    .hess = logreg_hess,
    .box = lsc_model_box,
    .nstarts_fn = lsc_model_nstarts,
    .start = lsc_model_start,
    .one_thread = 1, /* the model's work space lives in the state (model.h) */
};
