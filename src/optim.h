/* optim.h — optimizers: one step at a time, the loop belongs to the caller
 *
 * An optimizer family is a const lsc_optim_type (one file under src/optim/, one line in
 * src/optim/registry.c), following GSL's fdfminimizer_type: a table of functions plus an
 * opaque state whose size the type declares. step() is a pure kernel over caller-owned
 * arrays: no allocation, no I/O, no globals. Hyper-parameters use PyTorch's names and
 * defaults.
 */
#ifndef LSC_OPTIM_H
#define LSC_OPTIM_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "param.h"
#include "landscape.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a step may need beyond x and g. */
typedef struct {
    const lsc_landscape *landscape; /* for Hessians (newton, sfn); may be NULL */
    gsl_rng *rng;                   /* for random perturbations (pgd); may be NULL */
} lsc_step_ctx;

/* Row of an optimizer's parameter table that holds its learning rate "lr" (every type in
 * the registry has one there); a type whose row 0 is not lr steps with lr 1 unless
 * lsc_optim_set_lr says otherwise. Each type reads its parameters by index, p->v[P_NAME],
 * from an enum that names the rows of its table (written [P_NAME] = {"name", ...}). */
#define LSC_OPTIM_P_LR 0

/* type flags */
#define LSC_OPTIM_NEEDS_HESSIAN 1u /* needs ctx->landscape with a Hessian */
#define LSC_OPTIM_ELEMENTWISE 2u   /* step acts on each coordinate alone: a batch of m
                                      trajectories can be stepped as one n*m vector */
#define LSC_OPTIM_RANDOM 4u        /* draws from ctx->rng */

typedef struct lsc_optim_type {
    const char *name;     /* "adam" */
    const char *summary;  /* one line */
    const char *citation; /* paper / PyTorch class */
    /* The update in the file's notation (PyTorch's where it has the optimizer), one rule
     * per line ('\n' between lines); `losscape info NAME` prints it. */
    const char *formula;
    /* The PyTorch equivalent as Python text, with {key} where the value of key goes
     * (lsc_params_fill), e.g. "torch.optim.Adam(params, lr={lr}, ...)"; for an optimizer
     * PyTorch lacks, what comes closest and how it differs. */
    const char *pytorch;
    const lsc_param_desc *params;
    int nparams;
    unsigned flags;
    /* Bytes of state (header and all per-parameter buffers) for n parameters. */
    size_t (*state_size)(const lsc_params *p, int n);
    /* Validate cross-parameter constraints and set the state to "before step 1". */
    int (*init)(void *state, const lsc_params *p, int n, lsc_error *err);
    /* One update of x (n values) with gradient g and learning rate lr (lsc_optim_step
     * passes the optimizer's own, o->lr).
     * Returns 0, or a negative code (e.g. LSC_ESINGULAR) that stops the run. */
    int (*step)(void *state, int n, double *x, const double *g, double lr,
                const lsc_step_ctx *ctx);
} lsc_optim_type;

LSC_API extern const lsc_optim_type *const lsc_optim_registry[];
LSC_API extern const int lsc_optim_registry_count;
LSC_API const lsc_optim_type *lsc_optim_type_find(const char *name);

typedef struct lsc_optim {
    const lsc_optim_type *type;
    int n;
    lsc_params params;
    char label[LSC_NAME_MAX]; /* label=... or the type name */
    void *state;              /* 64-byte aligned, state_size bytes */
    double lr;                /* learning rate of the next step (lsc_optim_set_lr) */
} lsc_optim;

/* "name[:k=v,...,label=...]" for n parameters, 0 <= n <= LSC_MAX_DIM (LSC_EINVAL otherwise). */
LSC_API lsc_optim *lsc_optim_new(const char *spec, int n, const char *what, lsc_error *err);
LSC_API void lsc_optim_free(lsc_optim *o);
/* Back to before step 1, the learning rate back to the spec's lr. */
LSC_API int lsc_optim_reset(lsc_optim *o);

/* The learning rate. The optimizer owns it: lsc_optim_new and lsc_optim_reset set it to
 * the spec's lr hyper-parameter (1 for a type without one), and a schedule changes it
 * before each step with lsc_optim_set_lr, which refuses (LSC_EINVAL, nothing changed)
 * a value that is negative or not finite. */
LSC_API int lsc_optim_set_lr(lsc_optim *o, double lr);
LSC_API double lsc_optim_lr(const lsc_optim *o);

/* One update of x with gradient g at the optimizer's learning rate. ctx may be NULL for
 * optimizers that need neither a Hessian nor random numbers. Returns 0 or a negative code
 * (LSC_ENOTSUP: no Hessian; LSC_ESINGULAR; ...) that should stop the run. */
static inline int lsc_optim_step(lsc_optim *o, double *x, const double *g,
                                 const lsc_step_ctx *ctx)
{
    return o->type->step(o->state, o->n, x, g, o->lr, ctx);
}
/* "adam:lr=0.001,beta1=0.9,..." with every hyper-parameter. */
LSC_API int lsc_optim_describe(const lsc_optim *o, char *buf, size_t len);
/* ASGD's averaged iterate ax (o->n values, part of its state; asgd.c), or NULL when o is
 * not asgd. The trajectory records θ, not ax. */
LSC_API const double *lsc_asgd_average(const lsc_optim *o);

/* Gradient modifiers, torch.nn.utils semantics. */
/* clip_grad_norm_: g <- g * c/(||g|| + 1e-6) when ||g|| > c. Returns ||g|| before. */
LSC_API double lsc_clip_norm(double *g, int n, double c);
/* clip_grad_value_: g_i <- min(max(g_i, -c), c). */
LSC_API void lsc_clip_value(double *g, int n, double c);

#ifdef __cplusplus
}
#endif
#endif
