/* curvature.h — the extreme eigenvalues of the Hessian at a point (the hessian option)
 *
 * With hessian on, every recorded row of a run gets eig_min and eig_max, the smallest and
 * largest eigenvalue of the Hessian of f at the row's x (trajectory.h). They show a strict
 * saddle's negative curvature while an optimizer crosses it, and the sharpness eig_max
 * that gradient descent at a constant learning rate eta drives up to 2/eta, the edge of
 * stability (Cohen et al., "Gradient descent on neural networks typically occurs at the
 * edge of stability", ICLR 2021).
 *
 * How (lsc_curvature_eig):
 *   n <= LSC_CURVATURE_EXACT_MAX   the dense Hessian, then GSL's symmetric eigensolver
 *                                  (gsl_eigen_symm): exact to rounding. The Hessian is the
 *                                  landscape's own; for a model over data, n exact
 *                                  Hessian-vector products with the unit vectors; for a
 *                                  landscape without second derivatives, n finite-difference
 *                                  products (below), symmetrised.
 *   larger n                       LSC_LANCZOS_STEPS steps of Lanczos with full
 *                                  reorthogonalisation on Hessian-vector products: exact
 *                                  ones for a model over data (lsc_model_hvp, the full
 *                                  training set), else central differences of gradients
 *                                  (grad f(x + h v) - grad f(x - h v)) / 2h. The extreme
 *                                  Ritz values converge to the extreme eigenvalues from
 *                                  inside, fast when they stand apart from the rest of the
 *                                  spectrum (the Kaniel-Paige-Saad bound, Golub & Van Loan,
 *                                  Matrix Computations, 4th ed., Thm 10.1.2).
 * The start vector of Lanczos is Gaussian, drawn once per run from the stream (seed, run
 * index) tagged "hessian" (streams.h): the columns are the same bytes for any thread
 * count or run order.
 *
 * All memory is allocated by lsc_curvature_new, before a run; lsc_curvature_eig allocates
 * nothing. One object per run (it holds the run's work): never shared between threads.
 */
#ifndef LSC_CURVATURE_H
#define LSC_CURVATURE_H

#include "landscape.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_CURVATURE_EXACT_MAX 64 /* the dense eigensolver up to this dimension */
/* Lanczos steps above it. The Krylov space of 40 steps holds the Chebyshev polynomial
 * of degree 39; with the extreme eigenvalue a relative gap g away from the next one, the
 * error falls like 1/T_39(1 + 2g)^2 (KPS): for g = 0.01, 1e-6 of the spectrum's width,
 * for g = 0.1, 1e-17. The memory is 41 vectors of n (Lanczos keeps its basis for the
 * reorthogonalisation). */
#define LSC_LANCZOS_STEPS 40

typedef enum {
    LSC_CURV_AUTO,    /* exact for n <= LSC_CURVATURE_EXACT_MAX, else Lanczos */
    LSC_CURV_EXACT,   /* the dense Hessian and gsl_eigen_symm (n <= 1024) */
    LSC_CURV_LANCZOS, /* Lanczos at any n */
} lsc_curvature_method;

typedef struct {
    lsc_curvature_method method;
    int fd;    /* 1: Hessian-vector products by central differences of the gradient even
                  where the landscape has exact second derivatives (for tests) */
    int steps; /* Lanczos steps (0: LSC_LANCZOS_STEPS; at most n) */
} lsc_curvature_opts;

typedef struct lsc_curvature lsc_curvature;

/* The work of run run_index of seed seed on landscape L (kept by the caller, and not
 * changed while the object lives); opts NULL: the defaults (all zero). NULL on error, with
 * err set. */
LSC_API lsc_curvature *lsc_curvature_new(const lsc_landscape *L, const lsc_curvature_opts *opts,
                                         unsigned long long seed, unsigned long long run_index,
                                         lsc_error *err);
LSC_API void lsc_curvature_free(lsc_curvature *c);

/* The smallest and the largest eigenvalue of the Hessian of f at x. Both NAN when the
 * Hessian (or a product with it) is not finite there, or the eigensolver fails; returns
 * LSC_OK or that failure's code (LSC_EDOMAIN: not finite; LSC_ESINGULAR: no convergence). */
LSC_API int lsc_curvature_eig(lsc_curvature *c, const double *x, double *eig_min,
                              double *eig_max);

/* How c computes: "exact", "lanczos" and where its products come from ("hessian",
 * "hvp", "fd"), e.g. "lanczos/fd". */
LSC_API const char *lsc_curvature_describe(const lsc_curvature *c);

/* The Lanczos start vector of run run_index of seed seed: n draws of N(0, 1) from the
 * stream (seed ^ LSC_CURVATURE_TAG, run_index), normalised to unit length. LSC_ENOMEM when
 * the generator cannot be made. */
#define LSC_CURVATURE_TAG 0x6865737369616e00ULL /* "hessian" in ASCII (streams.h) */
LSC_API int lsc_curvature_start_vector(unsigned long long seed, unsigned long long run_index,
                                       int n, double *v);

/* The step h of the finite-difference product at x (n values; v of unit norm):
 * cbrt(DBL_EPSILON) max(1, rms(x)) (curvature.c says why). */
LSC_API double lsc_curvature_fd_step(int n, const double *x);

#ifdef __cplusplus
}
#endif
#endif
