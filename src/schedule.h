/* schedule.h — learning-rate schedules (torch.optim.lr_scheduler semantics)
 *
 * lr for update e (e = 0 for the first update) is the schedule's value at e, as in
 * PyTorch's `opt.step(); sched.step()` loop. A spec may compose a warm-up with any other
 * schedule: "warmup:total_iters=50+cosine:T_max=500" (SequentialLR idiom: the warm-up
 * for e < total_iters, then the second schedule counted from 0).
 */
#ifndef LSC_SCHEDULE_H
#define LSC_SCHEDULE_H

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lsc_schedule_type {
    const char *name;    /* "cosine" */
    const char *summary; /* one line */
    /* lr(e) in closed form (e = 0 for the first update, base = the optimizer's lr), one
     * line per case ('\n' between lines); `losscape info NAME` prints it. */
    const char *formula;
    /* The PyTorch equivalent as Python text, with {key} where the value of key goes
     * (lsc_params_fill): "CosineAnnealingLR(optimizer, T_max={T_max}, ...)". */
    const char *pytorch;
    const lsc_param_desc *params;
    int nparams;
    int (*validate)(const lsc_params *p, lsc_error *err); /* NULL: ranges suffice */
    /* Closed form lr(e) from the base lr; NULL for stateful schedules (plateau). */
    double (*lr)(const lsc_params *p, double base, long e);
} lsc_schedule_type;

LSC_API extern const lsc_schedule_type *const lsc_schedule_registry[];
LSC_API extern const int lsc_schedule_registry_count;
LSC_API const lsc_schedule_type *lsc_schedule_type_find(const char *name);

typedef struct lsc_schedule lsc_schedule; /* opaque */

/* NULL spec or "" means constant. */
LSC_API lsc_schedule *lsc_schedule_new(const char *spec, const char *what, lsc_error *err);
LSC_API void lsc_schedule_free(lsc_schedule *s);
LSC_API void lsc_schedule_reset(lsc_schedule *s);
/* Learning rate of update e (e = 0, 1, 2, ... in order for stateful schedules). */
LSC_API double lsc_schedule_lr(lsc_schedule *s, double base, long e);
/* Feed the loss after update e (ReduceLROnPlateau's metric); no-op for others. */
LSC_API void lsc_schedule_observe(lsc_schedule *s, double loss);
/* Canonical text with every parameter, "warmup:...+cosine:T_max=500,eta_min=0". */
LSC_API int lsc_schedule_describe(const lsc_schedule *s, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
