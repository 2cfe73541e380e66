/* landscape.h — loss landscapes: value, gradient, Hessian, domain, known critical points
 *
 * A landscape family is a const lsc_landscape_type (one file under landscapes/, one line
 * in landscapes/registry.c). An instance binds a type to parameter values and a dimension.
 * Pure functions: no allocation, no I/O, no globals inside f / fdf / hess.
 */
#ifndef LSC_LANDSCAPE_H
#define LSC_LANDSCAPE_H

#include <stddef.h>
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

struct lsc_dataset; /* dataset.h */

#define LSC_MAX_DIM 100000000

typedef enum {
    LSC_CP_MIN,
    LSC_CP_MAX,
    LSC_CP_SADDLE,
    LSC_CP_DEGENERATE, /* singular Hessian: higher-order test needed (monkey saddle) */
} lsc_cp_kind;

LSC_API const char *lsc_cp_kind_name(lsc_cp_kind k); /* "min", "max", "saddle", "degenerate" */

/* A known critical point. x has room for n coordinates (caller storage). */
typedef struct {
    lsc_cp_kind kind;
    double f;                /* value there */
    double eig_min, eig_max; /* extreme Hessian eigenvalues (NAN where no Hessian) */
    double tol;              /* absolute accuracy of the coordinates */
    double *x;
} lsc_critical;

/* Row of a static critical-point table for fixed 2-D landscapes. */
typedef struct {
    lsc_cp_kind kind;
    double x[2];
    double f;
    double eig_min, eig_max;
    double tol;
} lsc_critical2;

typedef struct lsc_landscape_type {
    const char *name;     /* registry name, e.g. "rosenbrock" */
    const char *summary;  /* one line */
    const char *formula;  /* plain text formula with every constant */
    const char *citation; /* where the definition comes from */
    int dim;              /* 2 for fixed 2-D; 0 for any n >= min_dim (--dim) */
    int min_dim;          /* for dim == 0 */
    int default_dim;      /* for dim == 0 */
    const lsc_param_desc *params;
    int nparams;
    int log_color;        /* plot hint: colour on a log scale */
    int raw_arg;          /* 1: the text after ':' is passed whole to init (expr:FORMULA) */
    const char *spec_prefix; /* NULL for registry types; "user" for a landscape made from
                                callbacks: described as "user:NAME", never rebuilt from it */
    /* n-D types whose parameters imply the dimension (deep-linear's depth and width, an
     * expr formula in x1..x5): the dimension to use when --dim is not given, or 0 for
     * default_dim. NULL: default_dim. */
    int (*dim_from)(const lsc_params *p, const char *arg);

    /* Bytes of private state for these parameters and dimension (NULL: none). */
    size_t (*state_size)(const lsc_params *p, int n, const char *arg);
    /* Cross-checks and precomputation (NULL: nothing to do). */
    int (*init)(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err);
    /* Release resources held by state (NULL: nothing). */
    void (*destroy)(void *state);
    /* Models over data (model.h) instead of init: fill state from the parameters and the
     * training set, and say the dimension in *n. Such a type is made only by
     * lsc_landscape_new_with_data (model.h); NULL for every other landscape. */
    int (*init_data)(void *state, const lsc_params *p, const struct lsc_dataset *D, int *n,
                     lsc_error *err);

    /* f(x). p and state as given at init. */
    double (*f)(const lsc_params *p, const void *state, int n, const double *x);
    /* f(x), and g = grad f(x). */
    double (*fdf)(const lsc_params *p, const void *state, int n, const double *x, double *g);
    /* H = Hessian at x, row-major n x n. NULL when the landscape has none. */
    void (*hess)(const lsc_params *p, const void *state, int n, const double *x, double *H);
    /* 1 if x lies where f is defined (NULL: everywhere). */
    int (*in_domain)(const lsc_params *p, const void *state, int n, const double *x);

    /* Optional batched fdf over m points in structure-of-arrays layout:
     * X[j*m + i] is coordinate j of point i; F[i], G[j*m + i] likewise. */
    void (*fdf_batch)(const lsc_params *p, const void *state, int n, size_t m,
                      const double *X, double *F, double *G);

    /* Plot/start box. Fixed 2-D: lo/hi per axis. n-D: lo[0], hi[0] for every axis.
     * box(), when set, overrides (parameter-dependent domains). */
    double lo[2], hi[2];
    void (*box)(const lsc_params *p, const void *state, int n, double *lo, double *hi);
    /* Called when the box of an instance is set (lsc_landscape_set_box), so that what the
     * type derives from the box is made again: expr searches it for critical points.
     * NULL: nothing depends on the box. */
    void (*box_changed)(void *state, const lsc_params *p, int n, const double *lo,
                        const double *hi);

    /* Standard starts. Fixed 2-D: table of nstarts (x,y) pairs. n-D: start(). */
    const double *starts;
    int nstarts;
    int (*nstarts_fn)(const lsc_params *p, const void *state, int n);
    void (*start)(const lsc_params *p, const void *state, int n, int k, double *x);

    /* Known critical points. Fixed 2-D: static table. n-D (or parameter dependent):
     * ncritical() and critical(), which fills cp (cp->x has room for n). */
    const lsc_critical2 *critical_table;
    int ncritical_table;
    int (*ncritical)(const lsc_params *p, const void *state, int n);
    void (*critical)(const lsc_params *p, const void *state, int n, int k, lsc_critical *cp);
    /* How the critical points were found when not in closed form or from a reference
     * (e.g. "found by Newton's method from a grid of starts"); NULL otherwise. */
    const char *critical_note;

    /* 1: f, fdf, hess or in_domain write scratch shared by every caller (work space kept in
     * the state, libmatheval's table of variable values, the caller's own functions):
     * evaluate an instance from one thread at a time (lsc_landscape_reentrant). */
    int one_thread;
} lsc_landscape_type;

/* Registry (landscapes/registry.c) */
LSC_API extern const lsc_landscape_type *const lsc_landscape_registry[];
LSC_API extern const int lsc_landscape_registry_count;
LSC_API const lsc_landscape_type *lsc_landscape_type_find(const char *name);

/* An instance */
typedef struct lsc_landscape {
    const lsc_landscape_type *type;
    int n;
    lsc_params params;
    char arg[LSC_VALUE_MAX]; /* raw argument (expr formula) */
    void *state;
    double *box; /* lsc_landscape_set_box: lo then hi, n each; NULL: the type's box */
} lsc_landscape;

/* "name[:k=v,...]" with dimension dim (0: the type's default). `what` names the flag
 * for messages ("--landscape"). NULL on error, with err set. */
LSC_API lsc_landscape *lsc_landscape_new(const char *spec, int dim, const char *what,
                                         lsc_error *err);
LSC_API void lsc_landscape_free(lsc_landscape *L);
/* 1 when threads may evaluate L at once (f, fdf, hess, in_domain write nothing shared);
 * 0 for a type marked one_thread. */
LSC_API int lsc_landscape_reentrant(const lsc_landscape *L);

LSC_API double lsc_landscape_f(const lsc_landscape *L, const double *x);
LSC_API double lsc_landscape_fdf(const lsc_landscape *L, const double *x, double *g);
LSC_API int lsc_landscape_has_hessian(const lsc_landscape *L);
/* H at x (n*n, row-major); LSC_ENOTSUP for a landscape without a Hessian. */
LSC_API int lsc_landscape_hess(const lsc_landscape *L, const double *x, double *H);
LSC_API int lsc_landscape_in_domain(const lsc_landscape *L, const double *x);
/* 1 when a sample of the box finds a point outside the domain (x, n doubles, is set to
 * it); 0 when every sample lies inside, or the landscape is defined everywhere. */
LSC_API int lsc_landscape_box_undefined(const lsc_landscape *L, double *x);
/* F[m], G[n*m] from X[n*m] (SoA); uses fdf_batch or loops over fdf. */
LSC_API void lsc_landscape_fdf_batch(const lsc_landscape *L, size_t m, const double *X, double *F,
                                     double *G, double *scratch /* 2n doubles */);
/* The plot and start box (random starts, the default view of contour and surface
 * figures, the basins grid, expr's critical-point search): the one set by
 * lsc_landscape_set_box, else the type's. */
LSC_API void lsc_landscape_box(const lsc_landscape *L, double *lo, double *hi);
/* Set the box of any landscape: lo[i] < hi[i], finite, n values each (copied). An expr
 * landscape searches the new box for its critical points. A refused box changes nothing. */
LSC_API int lsc_landscape_set_box(lsc_landscape *L, const double *lo, const double *hi,
                                  lsc_error *err);
/* A box as text: "LO:HI" (every axis) or "LO:HI,LO:HI,..." (one range per axis), numbers
 * with LO < HI and HI - LO finite. n > 0: the dimension (1 or n ranges allowed), and lo, hi (n values
 * each) are filled unless NULL; n = 0: only the syntax is checked. Messages begin "box: ". */
LSC_API int lsc_box_parse(const char *text, int n, double *lo, double *hi, lsc_error *err);
/* The box of text (lsc_box_parse) set on L (lsc_landscape_set_box); NULL or "default"
 * leave L's own. */
LSC_API int lsc_landscape_set_box_text(lsc_landscape *L, const char *text, lsc_error *err);
LSC_API int lsc_landscape_nstarts(const lsc_landscape *L);
LSC_API void lsc_landscape_start(const lsc_landscape *L, int k, double *x);
LSC_API int lsc_landscape_ncritical(const lsc_landscape *L);
LSC_API void lsc_landscape_critical(const lsc_landscape *L, int k, lsc_critical *cp);
/* Index of the known minimum nearest to x (distance in *dist), or -1 if none is known.
 * xbuf: n doubles of scratch. */
LSC_API int lsc_landscape_nearest_min(const lsc_landscape *L, const double *x, double *dist,
                                      double *xbuf);
/* Canonical spec with every parameter: "rosenbrock:a=1,b=100"; "user:NAME" for a landscape
 * from lsc_landscape_from_fdf. */
LSC_API int lsc_landscape_describe(const lsc_landscape *L, char *buf, size_t len);

/* ---- landscapes from your own functions ---------------------------------------------
 *
 * GSL's gsl_multimin_function_fdf is the model: the caller's f, f with gradient, and
 * optionally the Hessian, each handed back the `user` pointer given here. x has n values;
 * g has room for n, H for n*n (row-major). Like the built-in landscapes they must be pure
 * (the same x gives the same values) and may be called many times per step.
 *
 *     static double f(int n, const double *x, void *user) { ... }
 *     static double fdf(int n, const double *x, double *g, void *user) { ...; return f; }
 *     lsc_landscape *L = lsc_landscape_from_fdf(2, f, fdf, NULL, &my_data, "bowl", &err);
 *     double lo[2] = {-2, -2}, hi[2] = {2, 2}, xmin[2] = {1, 0.5};
 *     lsc_landscape_set_box(L, lo, hi, &err);      (optional, for plots; any landscape)
 *     lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 0, &err);   (optional)
 *     ... lsc_run, lsc_plot_render ... ; lsc_landscape_free(L);
 *
 * Such a landscape goes wherever a registry landscape goes (the run loop, the optimizers,
 * the plots). It has no registry spec: trajectories name it "user:NAME", and
 * lsc_landscape_new refuses such a name (it cannot rebuild the functions). Without a
 * Hessian, optimizers that need one (newton, sfn) refuse to run. lsc_landscape_free
 * frees what losscape allocated and never `user`. */
#define LSC_USER_PREFIX "user" /* "user:NAME"; no registry landscape has this name */
typedef double (*lsc_user_f)(int n, const double *x, void *user);
typedef double (*lsc_user_fdf)(int n, const double *x, double *g, void *user);
typedef void (*lsc_user_hess)(int n, const double *x, double *H, void *user);

/* n in 1..LSC_MAX_DIM; f and fdf required, hess may be NULL; name: 1 to 63 letters,
 * digits, '_', '-' or '.'. The box starts as [-1, 1] on every axis; there are no known
 * critical points and no standard starts until added. NULL on error, with err set. */
LSC_API lsc_landscape *lsc_landscape_from_fdf(int n, lsc_user_f f, lsc_user_fdf fdf,
                                              lsc_user_hess hess, void *user, const char *name,
                                              lsc_error *err);
/* 1 for a landscape made by lsc_landscape_from_fdf. */
LSC_API int lsc_landscape_is_user(const lsc_landscape *L);
/* A known critical point at x (n values, copied) with coordinates accurate to tol >= 0.
 * f there comes from the landscape's f; the extreme Hessian eigenvalues from hess when
 * there is one and n <= 1024 (else NAN). Minima give runs their distance column. */
LSC_API int lsc_landscape_add_critical(lsc_landscape *L, lsc_cp_kind kind, const double *x,
                                       double tol, lsc_error *err);
/* A standard start (n values, copied): lsc_landscape_start returns them in order. */
LSC_API int lsc_landscape_add_start(lsc_landscape *L, const double *x, lsc_error *err);

/* Finite differences (central; step h scaled by max(1,|x_i|)). */
LSC_API void lsc_fd_gradient(const lsc_landscape *L, const double *x, double h, double *g,
                             double *xbuf);
/* Hessian by central differences of the analytic gradient, symmetrised. */
LSC_API void lsc_fd_hessian(const lsc_landscape *L, const double *x, double h, double *H,
                            double *work /* 3n doubles */);
/* Extreme eigenvalues of a symmetric n x n matrix (GSL). LSC_EINVAL for n < 1, LSC_ENOMEM
 * (with lsc_init; else GSL aborts) when the work space cannot be allocated. */
LSC_API int lsc_sym_eig_range(int n, const double *H, double *eig_min, double *eig_max);

#ifdef __cplusplus
}
#endif
#endif
