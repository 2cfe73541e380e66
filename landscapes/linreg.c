/* linreg.c — linear regression as a landscape: nn.Linear(d, 1) with nn.MSELoss
 *
 *     f(w, b) = (1/N) sum_i (w . a_i + b - y_i)^2  +  (l2/2) |w|^2
 *
 * Parameters as nn.Linear(d, 1).parameters(): w (d values, W's one row), then b. With
 * x~_i = (a_i, 1) the Hessian is constant:
 *
 *     H = (2/N) sum_i x~_i x~_i^T  +  l2 diag(1, ..., 1, 0)
 *
 * and when H is positive definite the minimum solves the normal equations H x = (2/N)
 * sum_i y_i x~_i (Cholesky; listed as the known minimum, for d + 1 <= LINREG_MIN_MAX). On
 * the `mean` or `indices` sets (no features) the model is the bias alone and the minimum
 * is the mean of the targets.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>

#include "model_impl.h"

#define LINREG_MIN_MAX 2000

enum { P_L2 };

static const lsc_param_desc linreg_params[] = {
    [P_L2] = {"l2", LSC_PARAM_REAL, 0, 0, 1e6, 0,
              "weight decay: adds (l2/2) |w|^2 to the loss (not the bias)", NULL},
};

static void linreg_hess(const lsc_params *p, const void *state, int n, const double *x,
                        double *H)
{
    (void)x;
    const lsc_model *M = state;
    const lsc_dataset *D = M->train;
    const size_t N = (size_t)n, d = (size_t)D->d;
    memset(H, 0, N * N * sizeof *H);
    for (int i = 0; i < D->n; i++) {
        const double *a = d ? D->X + (size_t)i * d : NULL; /* no features: bias only */
        for (size_t j = 0; j < N; j++) {
            const double aj = j < d ? a[j] : 1;
            for (size_t k = j; k < N; k++)
                H[j * N + k] += aj * (k < d ? a[k] : 1);
        }
    }
    for (size_t j = 0; j < N; j++)
        for (size_t k = j; k < N; k++)
            H[k * N + j] = H[j * N + k] *= 2.0 / D->n;
    for (size_t j = 0; j < d; j++)
        H[j * N + j] += p->v[P_L2];
}

/* The minimum of a positive definite H: H x = (2/N) sum y_i x~_i. */
static int linreg_minimum(const lsc_params *p, lsc_model *M)
{
    const int n = M->n;
    const lsc_dataset *D = M->train;
    const size_t N = (size_t)n, d = (size_t)D->d;
    gsl_matrix *H = gsl_matrix_alloc(N, N);
    gsl_vector *rhs = gsl_vector_calloc(N), *ev = gsl_vector_alloc(N);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(N);
    M->xmin = malloc(N * sizeof *M->xmin);
    int ok = H && rhs && ev && w && M->xmin;
    if (ok) {
        linreg_hess(p, M, n, NULL, H->data);
        for (int i = 0; i < D->n; i++)
            for (size_t j = 0; j < N; j++)
                rhs->data[j] += 2.0 / D->n * D->y[i] * (j < d ? D->X[(size_t)i * d + j] : 1);
        gsl_matrix *E = gsl_matrix_alloc(N, N);
        ok = E && gsl_matrix_memcpy(E, H) == 0 && gsl_eigen_symm(E, ev, w) == 0;
        gsl_matrix_free(E);
        if (ok) {
            M->eig_min = gsl_vector_min(ev);
            M->eig_max = gsl_vector_max(ev);
            /* positive definite, and well enough conditioned to trust the solve */
            ok = M->eig_min > 1e-12 * M->eig_max && gsl_linalg_cholesky_decomp1(H) == 0;
        }
        gsl_vector_view xv = gsl_vector_view_array(M->xmin, N);
        ok = ok && gsl_linalg_cholesky_solve(H, rhs, &xv.vector) == 0;
    }
    if (ok) {
        M->fmin = lsc_model_fdf(M, D, NULL, D->n, M->xmin, NULL, NULL, M->work);
        M->has_min = 1;
    } else {
        free(M->xmin);
        M->xmin = NULL;
    }
    gsl_matrix_free(H);
    gsl_vector_free(rhs);
    gsl_vector_free(ev);
    gsl_eigen_symm_free(w);
    return LSC_OK;
}

static int linreg_init(void *state, const lsc_params *p, const lsc_dataset *D, int *n,
                       lsc_error *err)
{
    lsc_model *M = state;
    int rc = lsc_model_setup(M, D, 0, NULL, LSC_ACT_LINEAR, LSC_LOSS_MSE, p->v[P_L2], "linreg",
                             err);
    if (rc != LSC_OK)
        return rc;
    *n = M->n;
    return M->n <= LINREG_MIN_MAX ? linreg_minimum(p, M) : LSC_OK;
}

const lsc_landscape_type lsc_landscape_linreg = {
    .name = "linreg",
    .summary = "linear regression on a data set: nn.Linear(d, 1) with nn.MSELoss",
    .formula = "f(w, b) = (1/N) sum_i (w . a_i + b - y_i)^2 + (l2/2) |w|^2; parameters w_1..w_d, "
               "b (nn.Linear order)",
    .citation = "PyTorch nn.Linear, nn.MSELoss (reduction='mean'); normal equations",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 1,
    .params = linreg_params,
    .nparams = LSC_COUNTOF(linreg_params),
    .log_color = 1,
    .state_size = lsc_model_state_size,
    .init_data = linreg_init,
    .destroy = lsc_model_destroy,
    .f = lsc_model_f,
    .fdf = lsc_model_fdf_all,
    .hess = linreg_hess,
    .box = lsc_model_box,
    .nstarts_fn = lsc_model_nstarts,
    .start = lsc_model_start,
    .ncritical = lsc_model_ncritical,
    .critical = lsc_model_critical,
    .one_thread = 1, /* the model's work space lives in the state (model.h) */
};
