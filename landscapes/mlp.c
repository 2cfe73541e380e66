/* mlp.c — a multilayer perceptron as a landscape:
 *     nn.Sequential(Linear(d, h1), act, Linear(h1, h2), act, ..., Linear(hk, outputs))
 * with nn.MSELoss, nn.BCEWithLogitsLoss or nn.CrossEntropyLoss (model.h)
 *
 *     f(theta) = (1/N) sum_i l(net(a_i; theta), y_i)  +  (l2/2) sum_l |W_l|_F^2
 *
 * hidden=8;8 (default) gives the widths h1, h2, ... (hidden= with no widths is one Linear
 * layer); act=tanh (default), relu, sigmoid, leaky-relu (slope 0.01) or linear; loss=auto
 * (default: mse for a regression set, bce for two classes, ce for more), mse, bce or ce.
 * Parameters in nn.Sequential(...).parameters() order: W1 (h1 x d, row-major), b1, W2, ...
 * Gradient by backpropagation; Hessian-vector products by Pearlmutter's R-operator; the
 * dense Hessian from n of them (n passes over the data: meant for small networks).
 * Not convex: xor with hidden=2 has spurious minima and plateaus; relu units can die.
 */
#include <math.h>

#include "model_impl.h"

enum { P_HIDDEN, P_ACT, P_LOSS, P_L2 };
enum { LOSS_AUTO }; /* then mse, bce, ce: LSC_LOSS_* + 1 */

static const lsc_param_desc mlp_params[] = {
    [P_HIDDEN] = {"hidden", LSC_PARAM_LIST, 0, 1, LSC_MODEL_MAX_WIDTH, 0,
                  "widths of the hidden layers, e.g. 8;8 (empty: no hidden layer)", "8;8"},
    [P_ACT] = {"act", LSC_PARAM_CHOICE, LSC_ACT_TANH, 0, 4, 0,
               "activation after each hidden layer", LSC_ACT_NAMES},
    [P_LOSS] = {"loss", LSC_PARAM_CHOICE, LOSS_AUTO, 0, 3, 0,
                "loss: auto = mse for regression data, bce for two classes, ce for more",
                "auto|" LSC_LOSS_NAMES},
    [P_L2] = {"l2", LSC_PARAM_REAL, 0, 0, 1e6, 0,
              "weight decay: adds (l2/2) sum |W_l|^2 to the loss (not the biases)", NULL},
};

static int mlp_init(void *state, const lsc_params *p, const lsc_dataset *D, int *n,
                    lsc_error *err)
{
    lsc_model *M = state;
    int hidden[LSC_MAX_LIST];
    const int nh = p->list_n[P_HIDDEN];
    for (int k = 0; k < nh; k++) {
        const double h = p->list[P_HIDDEN][k];
        if (h != floor(h)) {
            lsc_error_set(err, LSC_EINVAL, "landscape: mlp: hidden width %g is not a whole "
                          "number", h);
            return LSC_EINVAL;
        }
        hidden[k] = (int)h;
    }
    lsc_loss loss = (lsc_loss)((int)p->v[P_LOSS] - 1);
    if ((int)p->v[P_LOSS] == LOSS_AUTO)
        loss = D->classes == 0 ? LSC_LOSS_MSE : D->classes <= 2 ? LSC_LOSS_BCE : LSC_LOSS_CE;
    int rc = lsc_model_setup(M, D, nh, hidden, (lsc_act)(int)p->v[P_ACT], loss, p->v[P_L2],
                             "mlp", err);
    *n = M->n;
    return rc;
}

const lsc_landscape_type lsc_landscape_mlp = {
    .name = "mlp",
    .summary = "a multilayer perceptron on a data set: nn.Sequential(Linear, act, "
               "..., Linear) with its loss",
    .formula = "f = (1/N) sum_i l(net(a_i), y_i) + (l2/2) sum |W_l|^2; hidden=8;8, act=tanh, "
               "loss=auto (mse | bce | ce); parameters W1, b1, W2, b2, ... (nn.Sequential order)",
    .citation = "PyTorch nn.Linear, activations and losses (reduction='mean'); Pearlmutter, "
                "Neural Computation 6(1):147-160, 1994 (Hessian-vector products)",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 1,
    .params = mlp_params,
    .nparams = LSC_COUNTOF(mlp_params),
    .state_size = lsc_model_state_size,
    .init_data = mlp_init,
    .destroy = lsc_model_destroy,
    .f = lsc_model_f,
    .fdf = lsc_model_fdf_all,
    .hess = lsc_model_hess_hvp,
    .box = lsc_model_box,
    .nstarts_fn = lsc_model_nstarts,
    .start = lsc_model_start,
    .one_thread = 1, /* the model's work space lives in the state (model.h) */
};
