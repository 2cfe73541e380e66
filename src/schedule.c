/* schedule.c — learning-rate schedules, torch.optim.lr_scheduler semantics
 *
 * Every schedule is a const lsc_schedule_type with a closed form lr(p, base, e), e = index
 * of the update (0 = first), base = the optimizer's lr. The lr of update e is PyTorch's
 * param_group['lr'] during the (e+1)-th `opt.step()` of the loop
 *
 *     for e in range(N): opt.step(); sched.step()
 *
 * PyTorch computes most schedules recursively (lr_e from lr_{e-1}); the closed forms here
 * are the ones PyTorch itself documents (_get_closed_form_lr) and agree with its recursive
 * numbers to rounding; tests/test_schedule.c checks them against numbers that
 * tests/ref/gen_schedule.py took from torch 1.13's normal loop.
 *
 * ReduceLROnPlateau ("plateau") is stateful: it has no closed form (lr == NULL) and the
 * object below carries its state.
 *
 * Composition: "warmup:...+X" is SequentialLR([LinearLR, X], milestones=[total_iters]):
 * updates e < total_iters use the warm-up, updates e >= total_iters use X counted from 0
 * (torch 1.13 restarts X with step(0) at the milestone, i.e. X's closed form at 0).
 * Several warm-ups may be chained ("warmup:...+warmup:...+X"); only the last part may be
 * something other than a warm-up, since the others need a length to end.
 */
#include "schedule.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846 /* == Python's math.pi as a double */

/* ---- parameter access ---------------------------------------------------------- */

/* Each schedule names the indices of its parameters in an enum, writes its descriptor
 * table with designated initializers in that enum's order, and reads p->v[INDEX]
 * (p->list[INDEX], p->list_n[INDEX] for lists); no name look-ups. */

/* A key without a default is marked LSC_REQUIRED: lsc_params_from_spec refuses a spec
 * without it, so validate() only checks what ranges cannot (its messages do not name the
 * flag: the caller prefixes `what`). */

/* ---- constant ------------------------------------------------------------------ */

static double constant_lr(const lsc_params *p, double base, long e)
{
    (void)p;
    (void)e;
    return base;
}

static const lsc_schedule_type constant_type = {
    .name = "constant",
    .summary = "the optimizer's lr at every update",
    .formula = "lr(e) = base",
    .pytorch = "no scheduler",
    .params = NULL,
    .nparams = 0,
    .validate = NULL,
    .lr = constant_lr,
};

/* ---- step: StepLR ---------------------------------------------------------------- */

enum { STEP_SIZE, STEP_GAMMA };

static const lsc_param_desc step_params[] = {
    [STEP_SIZE] = {"step_size", LSC_PARAM_INT, 0, 1, 1e9, LSC_REQUIRED,
                   "updates between decays", NULL},
    [STEP_GAMMA] = {"gamma", LSC_PARAM_REAL, 0.1, 0, 1e6, 0,
                    "multiplicative factor per decay", NULL},
};

/* StepLR closed form: lr = base * gamma^floor(e / step_size) */
static double step_lr(const lsc_params *p, double base, long e)
{
    long k = e / (long)p->v[STEP_SIZE];
    return base * pow(p->v[STEP_GAMMA], (double)k);
}

static const lsc_schedule_type step_type = {
    .name = "step",
    .summary = "multiply by gamma every step_size updates",
    .formula = "lr(e) = base · gamma^floor(e/step_size)",
    .pytorch = "StepLR(optimizer, step_size={step_size}, gamma={gamma})",
    .params = step_params,
    .nparams = LSC_COUNTOF(step_params),
    .validate = NULL,
    .lr = step_lr,
};

/* ---- multistep: MultiStepLR ------------------------------------------------------ */

enum { MS_MILESTONES, MS_GAMMA };

static const lsc_param_desc multistep_params[] = {
    [MS_MILESTONES] = {"milestones", LSC_PARAM_LIST, 0, 0, 1e9, LSC_REQUIRED,
                       "increasing update indices where lr is multiplied by gamma, a;b;c", NULL},
    [MS_GAMMA] = {"gamma", LSC_PARAM_REAL, 0.1, 0, 1e6, 0,
                  "multiplicative factor per milestone", NULL},
};

static int multistep_validate(const lsc_params *p, lsc_error *err)
{
    const double *ms = p->list[MS_MILESTONES];
    if (p->list_n[MS_MILESTONES] == 0) {
        lsc_error_set(err, LSC_EINVAL, "multistep: milestones is empty; give at least one "
                                       "update index, e.g. milestones=100;200");
        return LSC_EINVAL;
    }
    for (int j = 0; j < p->list_n[MS_MILESTONES]; j++) {
        double m = ms[j];
        if (m != floor(m) || m > (double)LONG_MAX / 2) {
            lsc_error_set(err, LSC_EINVAL,
                          "multistep: milestones entry %.17g is not an update index "
                          "(a whole number >= 0)", m);
            return LSC_EINVAL;
        }
        if (j > 0 && !(m > ms[j - 1])) {
            lsc_error_set(err, LSC_EINVAL,
                          "multistep: milestones must be increasing (%.17g follows %.17g)", m,
                          ms[j - 1]);
            return LSC_EINVAL;
        }
    }
    return LSC_OK;
}

/* MultiStepLR closed form: lr = base * gamma^(number of milestones <= e) */
static double multistep_lr(const lsc_params *p, double base, long e)
{
    int k = 0;
    while (k < p->list_n[MS_MILESTONES] && p->list[MS_MILESTONES][k] <= (double)e)
        k++;
    return base * pow(p->v[MS_GAMMA], (double)k);
}

static const lsc_schedule_type multistep_type = {
    .name = "multistep",
    .summary = "multiply by gamma at each milestone",
    .formula = "lr(e) = base · gamma^k,  k = the number of milestones <= e",
    .pytorch = "MultiStepLR(optimizer, milestones={milestones}, gamma={gamma})",
    .params = multistep_params,
    .nparams = LSC_COUNTOF(multistep_params),
    .validate = multistep_validate,
    .lr = multistep_lr,
};

/* ---- exp: ExponentialLR ---------------------------------------------------------- */

enum { EXP_GAMMA };

static const lsc_param_desc exp_params[] = {
    [EXP_GAMMA] = {"gamma", LSC_PARAM_REAL, 0, 0, 1e6, LSC_REQUIRED, "factor per update", NULL},
};

/* ExponentialLR closed form: lr = base * gamma^e */
static double exp_lr(const lsc_params *p, double base, long e)
{
    return base * pow(p->v[EXP_GAMMA], (double)e);
}

static const lsc_schedule_type exp_type = {
    .name = "exp",
    .summary = "multiply by gamma every update",
    .formula = "lr(e) = base · gamma^e",
    .pytorch = "ExponentialLR(optimizer, gamma={gamma})",
    .params = exp_params,
    .nparams = LSC_COUNTOF(exp_params),
    .validate = NULL,
    .lr = exp_lr,
};

/* ---- inverse: Keras InverseTimeDecay -------------------------------------------- */

enum { INV_RATE, INV_STEPS, INV_STAIRCASE };

static const lsc_param_desc inverse_params[] = {
    [INV_RATE] = {"decay_rate", LSC_PARAM_REAL, 0, 0, 1e6, LSC_REQUIRED,
                  "k in base/(1 + k*e/decay_steps)", NULL},
    [INV_STEPS] = {"decay_steps", LSC_PARAM_REAL, 1, 0, 1e9, LSC_LO_OPEN,
                   "updates per unit of decay", NULL},
    [INV_STAIRCASE] = {"staircase", LSC_PARAM_BOOL, 0, 0, 1, 0, "use floor(e/decay_steps)", NULL},
};

/* Keras InverseTimeDecay (tf.keras.optimizers.schedules, step = e):
 *   q = e / decay_steps (floor(q) when staircase) ; lr = base / (1 + decay_rate * q)
 * In PyTorch: LambdaLR(lambda e: 1 / (1 + k*e)). */
static double inverse_lr(const lsc_params *p, double base, long e)
{
    double q = (double)e / p->v[INV_STEPS];
    if (p->v[INV_STAIRCASE] != 0)
        q = floor(q);
    return base / (1.0 + p->v[INV_RATE] * q);
}

static const lsc_schedule_type inverse_type = {
    .name = "inverse",
    .summary = "inverse-time decay base/(1 + decay_rate*e/decay_steps)",
    .formula = "lr(e) = base / (1 + decay_rate · q),  q = e/decay_steps "
               "(floor(e/decay_steps) with staircase)",
    .pytorch = "LambdaLR(optimizer, lambda e: 1/(1 + {decay_rate}*(e//{decay_steps} if "
               "{staircase} else e/{decay_steps}))); Keras InverseTimeDecay",
    .params = inverse_params,
    .nparams = LSC_COUNTOF(inverse_params),
    .validate = NULL,
    .lr = inverse_lr,
};

/* ---- poly: PolynomialLR ------------------------------------------------------------ */

enum { POLY_TOTAL, POLY_POWER };

static const lsc_param_desc poly_params[] = {
    [POLY_TOTAL] = {"total_iters", LSC_PARAM_INT, 0, 1, 1e9, LSC_REQUIRED,
                    "updates until lr reaches 0", NULL},
    [POLY_POWER] = {"power", LSC_PARAM_REAL, 1, 0, 1e3, 0, "power of the polynomial", NULL},
};

/* PolynomialLR closed form: lr = base * (1 - min(T, e)/T)^power */
static double poly_lr(const lsc_params *p, double base, long e)
{
    double T = p->v[POLY_TOTAL];
    double k = (double)e < T ? (double)e : T;
    return base * pow(1.0 - k / T, p->v[POLY_POWER]);
}

static const lsc_schedule_type poly_type = {
    .name = "poly",
    .summary = "polynomial decay to 0 over total_iters updates",
    .formula = "lr(e) = base · (1 − min(e, total_iters)/total_iters)^power",
    .pytorch = "PolynomialLR(optimizer, total_iters={total_iters}, power={power})",
    .params = poly_params,
    .nparams = LSC_COUNTOF(poly_params),
    .validate = NULL,
    .lr = poly_lr,
};

/* ---- cosine: CosineAnnealingLR ---------------------------------------------------- */

enum { COS_T_MAX, COS_ETA_MIN };

static const lsc_param_desc cosine_params[] = {
    [COS_T_MAX] = {"T_max", LSC_PARAM_INT, 0, 1, 1e9, LSC_REQUIRED,
                   "updates in a half period", NULL},
    [COS_ETA_MIN] = {"eta_min", LSC_PARAM_REAL, 0, 0, 1e6, 0, "lowest lr", NULL},
};

/* CosineAnnealingLR closed form (Loshchilov & Hutter, SGDR, ICLR 2017, eq. 5 without
 * restarts): lr = eta_min + (base - eta_min)(1 + cos(pi e / T_max))/2.
 * For e > T_max it climbs back up (period 2 T_max), as PyTorch's does. */
static double cosine_lr(const lsc_params *p, double base, long e)
{
    double eta_min = p->v[COS_ETA_MIN];
    return eta_min + (base - eta_min) * (1.0 + cos(PI * (double)e / p->v[COS_T_MAX])) / 2.0;
}

static const lsc_schedule_type cosine_type = {
    .name = "cosine",
    .summary = "cosine annealing from lr to eta_min over T_max updates",
    .formula = "lr(e) = eta_min + (base − eta_min)(1 + cos(π e/T_max))/2\n"
               "(past T_max it climbs back: period 2 T_max)",
    .pytorch = "CosineAnnealingLR(optimizer, T_max={T_max}, eta_min={eta_min})",
    .params = cosine_params,
    .nparams = LSC_COUNTOF(cosine_params),
    .validate = NULL,
    .lr = cosine_lr,
};

/* ---- cosine-restarts: CosineAnnealingWarmRestarts --------------------------------- */

enum { SGDR_T_0, SGDR_T_MULT, SGDR_ETA_MIN };

static const lsc_param_desc restarts_params[] = {
    [SGDR_T_0] = {"T_0", LSC_PARAM_INT, 0, 1, 1e9, LSC_REQUIRED,
                  "updates in the first cycle", NULL},
    [SGDR_T_MULT] = {"T_mult", LSC_PARAM_INT, 1, 1, 1e6, 0,
                     "cycle length factor after each restart", NULL},
    [SGDR_ETA_MIN] = {"eta_min", LSC_PARAM_REAL, 0, 0, 1e6, 0, "lowest lr", NULL},
};

/* SGDR (Loshchilov & Hutter, ICLR 2017, eq. 5): cycle i has T_i = T_0 T_mult^i updates;
 * T_cur = updates since the last restart;
 *   lr = eta_min + (base - eta_min)(1 + cos(pi T_cur / T_i))/2.
 * T_cur and T_i are integers, found as PyTorch's step() does (T_cur >= T_i: restart). */
static double restarts_lr(const lsc_params *p, double base, long e)
{
    long T0 = (long)p->v[SGDR_T_0], mult = (long)p->v[SGDR_T_MULT];
    long Ti = T0, Tcur;
    if (mult == 1) {
        Tcur = e % T0;
    } else {
        Tcur = e;
        while (Tcur >= Ti) {
            Tcur -= Ti;
            Ti = Ti > LONG_MAX / mult ? LONG_MAX : Ti * mult;
        }
    }
    double eta_min = p->v[SGDR_ETA_MIN];
    return eta_min + (base - eta_min) * (1.0 + cos(PI * (double)Tcur / (double)Ti)) / 2.0;
}

static const lsc_schedule_type restarts_type = {
    .name = "cosine-restarts",
    .summary = "cosine annealing with warm restarts (SGDR)",
    .formula = "lr(e) = eta_min + (base − eta_min)(1 + cos(π T_cur/T_i))/2\n"
               "cycle i has T_i = T_0 · T_mult^i updates; T_cur = updates since the last "
               "restart",
    .pytorch = "CosineAnnealingWarmRestarts(optimizer, T_0={T_0}, T_mult={T_mult}, "
               "eta_min={eta_min})",
    .params = restarts_params,
    .nparams = LSC_COUNTOF(restarts_params),
    .validate = NULL,
    .lr = restarts_lr,
};

/* ---- warmup: LinearLR ------------------------------------------------------------- */

enum { WU_START, WU_END, WU_TOTAL };

static const lsc_param_desc warmup_params[] = {
    [WU_START] = {"start_factor", LSC_PARAM_REAL, 1.0 / 3.0, 0, 1, 0,
                  "lr factor at the first update", NULL},
    [WU_END] = {"end_factor", LSC_PARAM_REAL, 1, 0, 1, 0,
                "lr factor from update total_iters on", NULL},
    [WU_TOTAL] = {"total_iters", LSC_PARAM_INT, 5, 1, 1e9, 0,
                  "updates of the linear ramp (and the warm-up's length before '+')", NULL},
};

/* LinearLR closed form: lr = base (s + (f - s) min(T, e)/T), s = start_factor,
 * f = end_factor. (PyTorch refuses start_factor = 0: its recursive form divides by it;
 * the closed form here does not, so a warm-up from 0 is allowed.) */
static double warmup_lr(const lsc_params *p, double base, long e)
{
    double s = p->v[WU_START], f = p->v[WU_END], T = p->v[WU_TOTAL];
    double k = (double)e < T ? (double)e : T;
    return base * (s + (f - s) * k / T);
}

static const lsc_schedule_type warmup_type = {
    .name = "warmup",
    .summary = "linear warm-up; 'warmup:...+X' continues with X after total_iters updates",
    .formula = "lr(e) = base · (s + (f − s) · min(e, total_iters)/total_iters),  "
               "s = start_factor, f = end_factor\n"
               "warmup:...+X: this for e < total_iters, then X with e counted from 0",
    .pytorch = "LinearLR(optimizer, start_factor={start_factor}, end_factor={end_factor}, "
               "total_iters={total_iters}); warmup:...+X: SequentialLR(optimizer, "
               "[LinearLR(...), X], milestones=[{total_iters}])",
    .params = warmup_params,
    .nparams = LSC_COUNTOF(warmup_params),
    .validate = NULL,
    .lr = warmup_lr,
};

/* ---- onecycle: OneCycleLR ----------------------------------------------------------- */

enum { OC_MAX_LR, OC_TOTAL, OC_PCT, OC_DIV, OC_FINAL_DIV, OC_THREE };

static const lsc_param_desc onecycle_params[] = {
    [OC_MAX_LR] = {"max_lr", LSC_PARAM_REAL, 0, 0, 1e6, LSC_LO_OPEN | LSC_REQUIRED,
                   "peak lr; replaces the optimizer's lr", NULL},
    [OC_TOTAL] = {"total_steps", LSC_PARAM_INT, 0, 1, 1e9, LSC_REQUIRED,
                  "updates in the cycle", NULL},
    [OC_PCT] = {"pct_start", LSC_PARAM_REAL, 0.3, 0, 1, 0,
                "fraction of the cycle spent increasing lr", NULL},
    [OC_DIV] = {"div_factor", LSC_PARAM_REAL, 25, 0, 1e12, LSC_LO_OPEN,
                "initial lr = max_lr/div_factor", NULL},
    [OC_FINAL_DIV] = {"final_div_factor", LSC_PARAM_REAL, 1e4, 0, 1e12, LSC_LO_OPEN,
                      "last lr = initial lr/final_div_factor", NULL},
    [OC_THREE] = {"three_phase", LSC_PARAM_BOOL, 0, 0, 1, 0,
                  "up, back down to the initial lr, then to the last lr", NULL},
};

static int onecycle_validate(const lsc_params *p, lsc_error *err)
{
    /* The first phase ends at pct_start*total_steps - 1; a phase of zero length makes
     * PyTorch divide by zero. */
    double up = p->v[OC_PCT] * p->v[OC_TOTAL];
    if (up == 1.0) {
        lsc_error_set(err, LSC_EINVAL,
                      "onecycle: pct_start*total_steps = %.17g leaves a rising phase of zero "
                      "length; change pct_start or total_steps", up);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* OneCycleLR's _annealing_cos: from start (pct 0) to end (pct 1). */
static double anneal_cos(double start, double end, double pct)
{
    double cos_out = cos(PI * pct) + 1.0;
    return end + (start - end) / 2.0 * cos_out;
}

/* OneCycleLR (Smith & Topin 2019, "Super-convergence"; PyTorch's two-phase default after
 * fastai). The optimizer's lr (base) is ignored, as in PyTorch, which overwrites it:
 *   lr0 = max_lr/div_factor, lr_min = lr0/final_div_factor, T = total_steps
 *   phase ends (as reals): a = pct_start T - 1, b = T - 1
 *   e <= a: cos-anneal lr0 -> max_lr with pct = e/a
 *   e >  a: cos-anneal max_lr -> lr_min with pct = (e - a)/(b - a)
 * three_phase: ends a, 2 pct_start T - 2, T - 1: lr0 -> max_lr -> lr0 -> lr_min.
 * PyTorch evaluates this up to e = T (slightly past the end of the cosine) and raises
 * beyond; losscape follows it up to e = T and stays at lr_min afterwards. Momentum
 * cycling (cycle_momentum) is not modelled: the schedule drives the lr only. */
static double onecycle_lr(const lsc_params *p, double base, long e)
{
    (void)base;
    double T = p->v[OC_TOTAL], pct_start = p->v[OC_PCT];
    double lr0 = p->v[OC_MAX_LR] / p->v[OC_DIV];
    double lr_max = p->v[OC_MAX_LR];
    double lr_min = lr0 / p->v[OC_FINAL_DIV];
    double x = (double)e;
    if (x > T)
        return lr_min;
    double ends[3], from[3], to[3];
    int nph;
    if (p->v[OC_THREE] != 0) {
        nph = 3;
        ends[0] = pct_start * T - 1.0;
        ends[1] = 2.0 * pct_start * T - 2.0;
        ends[2] = T - 1.0;
        from[0] = lr0, to[0] = lr_max;
        from[1] = lr_max, to[1] = lr0;
        from[2] = lr0, to[2] = lr_min;
    } else {
        nph = 2;
        ends[0] = pct_start * T - 1.0;
        ends[1] = T - 1.0;
        from[0] = lr0, to[0] = lr_max;
        from[1] = lr_max, to[1] = lr_min;
    }
    double start = 0.0;
    for (int i = 0; i < nph; i++) {
        if (x <= ends[i] || i == nph - 1) {
            if (ends[i] == start) /* zero-length last phase, e = T: past the end */
                return lr_min;
            return anneal_cos(from[i], to[i], (x - start) / (ends[i] - start));
        }
        start = ends[i];
    }
    return lr_min; /* not reached */
}

static const lsc_schedule_type onecycle_type = {
    .name = "onecycle",
    .summary = "one cycle: cosine up to max_lr, then down far below (ignores the "
               "optimizer's lr)",
    .formula = "lr0 = max_lr/div_factor ;  lr_min = lr0/final_div_factor ;  "
               "T = total_steps ;  a = pct_start · T − 1\n"
               "e <= a:  cos-anneal lr0 → max_lr over e/a\n"
               "e > a:   cos-anneal max_lr → lr_min over (e − a)/(T − 1 − a)\n"
               "three_phase: lr0 → max_lr → lr0 (ending at 2 pct_start T − 2) → lr_min\n"
               "cos-anneal A → B over p:  B + (A − B)(1 + cos(π p))/2 ;  lr_min after e = T",
    .pytorch = "OneCycleLR(optimizer, max_lr={max_lr}, total_steps={total_steps}, "
               "pct_start={pct_start}, div_factor={div_factor}, "
               "final_div_factor={final_div_factor}, anneal_strategy='cos', "
               "three_phase={three_phase}, cycle_momentum=False)",
    .params = onecycle_params,
    .nparams = LSC_COUNTOF(onecycle_params),
    .validate = onecycle_validate,
    .lr = onecycle_lr,
};

/* ---- plateau: ReduceLROnPlateau ------------------------------------------------------ */

enum { PL_FACTOR, PL_PATIENCE, PL_THRESHOLD, PL_ABS, PL_COOLDOWN, PL_MIN_LR, PL_EPS };

static const lsc_param_desc plateau_params[] = {
    [PL_FACTOR] = {"factor", LSC_PARAM_REAL, 0.1, 0, 1, LSC_HI_OPEN, "new lr = lr*factor", NULL},
    [PL_PATIENCE] = {"patience", LSC_PARAM_INT, 10, 0, 1e9, 0,
                     "updates without improvement tolerated before a reduction", NULL},
    [PL_THRESHOLD] = {"threshold", LSC_PARAM_REAL, 1e-4, 0, 1e6, 0,
                      "improvement means loss < best*(1 - threshold) (or best - threshold)",
                      NULL},
    [PL_ABS] = {"threshold_abs", LSC_PARAM_BOOL, 0, 0, 1, 0,
                "absolute threshold (PyTorch threshold_mode='abs'; use when losses can be "
                "negative)", NULL},
    [PL_COOLDOWN] = {"cooldown", LSC_PARAM_INT, 0, 0, 1e9, 0,
                     "updates ignored after a reduction", NULL},
    [PL_MIN_LR] = {"min_lr", LSC_PARAM_REAL, 0, 0, 1e6, 0, "lower bound on the lr", NULL},
    [PL_EPS] = {"eps", LSC_PARAM_REAL, 1e-8, 0, 1e6, 0,
                "reductions smaller than eps are skipped", NULL},
};

static const lsc_schedule_type plateau_type = {
    .name = "plateau",
    .summary = "divide the lr when the loss stops improving (mode min)",
    .formula = "after each update, with the loss L:  better = L < best·(1 − threshold) "
               "(L < best − threshold with threshold_abs)\n"
               "better: best ← L, bad ← 0 ;  else bad ← bad + 1 ;  in a cooldown: bad ← 0\n"
               "bad > patience:  lr ← max(lr · factor, min_lr) (kept if it falls by more "
               "than eps), then cooldown updates ignored",
    .pytorch = "ReduceLROnPlateau(optimizer, mode='min', factor={factor}, "
               "patience={patience}, threshold={threshold}, threshold_mode='abs' if "
               "{threshold_abs} else 'rel', cooldown={cooldown}, min_lr={min_lr}, eps={eps})",
    .params = plateau_params,
    .nparams = LSC_COUNTOF(plateau_params),
    .validate = NULL,
    .lr = NULL,
};

/* ---- registry ------------------------------------------------------------------------ */

const lsc_schedule_type *const lsc_schedule_registry[] = {
    &constant_type, &step_type,     &multistep_type, &exp_type,
    &inverse_type,  &poly_type,     &cosine_type,    &restarts_type,
    &warmup_type,   &onecycle_type, &plateau_type,   NULL,
};
const int lsc_schedule_registry_count =
    LSC_COUNTOF(lsc_schedule_registry) - 1;

const lsc_schedule_type *lsc_schedule_type_find(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < lsc_schedule_registry_count; i++)
        if (!strcmp(lsc_schedule_registry[i]->name, name))
            return lsc_schedule_registry[i];
    return NULL;
}

/* ---- the schedule object ---------------------------------------------------------------- */

#define MAX_PARTS 8

typedef struct {
    const lsc_schedule_type *type;
    lsc_params p;
    long start; /* first update index of this part */
} part;

struct lsc_schedule {
    int nparts;
    part parts[MAX_PARTS];
    /* ReduceLROnPlateau state (used when the last part is "plateau") */
    int plateau_active; /* the last lr() call was in the plateau part */
    double cur;         /* current lr; NAN until the first lr() call */
    int pending;        /* reductions decided before the first lr() call */
    double best;
    long bad, cooldown_counter;
};

static const char *const *schedule_names(void)
{
    static const char *names[32];
    for (int i = 0; i < lsc_schedule_registry_count && i < 32; i++)
        names[i] = lsc_schedule_registry[i]->name;
    return names;
}

static void known_list(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < lsc_schedule_registry_count && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                                 lsc_schedule_registry[i]->name);
}

static int parse_part(part *pt, const char *text, const char *what, lsc_error *err)
{
    lsc_spec spec;
    int rc = lsc_spec_parse(text, what, &spec, err);
    if (rc)
        return rc;
    pt->type = lsc_schedule_type_find(spec.name);
    if (!pt->type) {
        char known[256];
        known_list(known, sizeof known);
        const char *close = lsc_closest(spec.name, schedule_names(), lsc_schedule_registry_count);
        if (close)
            lsc_error_set(err, LSC_EINVAL,
                          "%s: unknown schedule '%s' (did you mean '%s'? known: %s)", what,
                          spec.name, close, known);
        else
            lsc_error_set(err, LSC_EINVAL, "%s: unknown schedule '%s' (known: %s)", what,
                          spec.name, known);
        return LSC_EINVAL;
    }
    rc = lsc_params_from_spec(&pt->p, pt->type->params, pt->type->nparams, &spec, NULL, what,
                              err);
    if (rc)
        return rc;
    if (pt->type->validate) {
        lsc_error e2 = {0};
        rc = pt->type->validate(&pt->p, &e2);
        if (rc) {
            lsc_error_set(err, rc, "%s: %s", what, e2.msg);
            return rc;
        }
    }
    return LSC_OK;
}

void lsc_schedule_reset(lsc_schedule *s)
{
    if (!s)
        return;
    s->plateau_active = s->nparts == 1;
    s->cur = NAN;
    s->pending = 0;
    s->best = INFINITY; /* mode 'min': the worst value */
    s->bad = 0;
    s->cooldown_counter = 0;
}

lsc_schedule *lsc_schedule_new(const char *spec, const char *what, lsc_error *err)
{
    if (!what)
        what = "schedule";
    lsc_schedule *s = calloc(1, sizeof *s);
    if (!s) {
        lsc_error_set(err, LSC_ENOMEM, "%s: out of memory", what);
        return NULL;
    }
    if (!spec || !*spec) {
        s->nparts = 1;
        s->parts[0].type = &constant_type;
        lsc_params_defaults(&s->parts[0].p, NULL, 0);
        lsc_schedule_reset(s);
        return s;
    }
    size_t n = strlen(spec);
    char *buf = malloc(n + 1);
    if (!buf) {
        free(s);
        lsc_error_set(err, LSC_ENOMEM, "%s: out of memory", what);
        return NULL;
    }
    memcpy(buf, spec, n + 1);
    /* Split on '+' followed by a letter (so 1e+3 stays a number); a '+' at the end or
     * before another '+' also separates, leaving an empty part to report. */
    char *partv[MAX_PARTS + 1];
    int np = 0;
    partv[np++] = buf;
    for (char *c = buf; *c; c++) {
        if (*c != '+')
            continue;
        unsigned char nx = (unsigned char)c[1];
        if (!(isalpha(nx) || nx == '\0' || nx == '+'))
            continue;
        if (np == MAX_PARTS) {
            lsc_error_set(err, LSC_EINVAL, "%s: more than %d parts joined by '+' in '%s'", what,
                          MAX_PARTS, spec);
            goto fail;
        }
        *c = '\0';
        partv[np++] = c + 1;
    }
    for (int k = 0; k < np; k++)
        if (!*partv[k]) {
            lsc_error_set(err, LSC_EINVAL,
                          "%s: empty part %d in '%s'; expected name[:key=value,...] on both "
                          "sides of '+', e.g. warmup:total_iters=50+cosine:T_max=500",
                          what, k + 1, spec);
            goto fail;
        }
    long start = 0;
    for (int k = 0; k < np; k++) {
        part *pt = &s->parts[k];
        if (parse_part(pt, partv[k], what, err))
            goto fail;
        if (k < np - 1 && pt->type != &warmup_type) {
            lsc_error_set(err, LSC_EINVAL,
                          "%s: '%s' cannot come before '+' in '%s': only warmup (which ends "
                          "after total_iters updates) can be followed by another schedule",
                          what, pt->type->name, spec);
            goto fail;
        }
        pt->start = start;
        if (pt->type == &warmup_type)
            start += (long)pt->p.v[WU_TOTAL];
    }
    s->nparts = np;
    free(buf);
    lsc_schedule_reset(s);
    return s;
fail:
    free(buf);
    free(s);
    return NULL;
}

void lsc_schedule_free(lsc_schedule *s)
{
    free(s);
}

/* ReduceLROnPlateau._reduce_lr: new = max(lr*factor, min_lr), kept only if
 * lr - new > eps. */
static void plateau_reduce(const lsc_params *p, double *lr)
{
    double nw = *lr * p->v[PL_FACTOR];
    if (nw < p->v[PL_MIN_LR])
        nw = p->v[PL_MIN_LR];
    if (*lr - nw > p->v[PL_EPS])
        *lr = nw;
}

double lsc_schedule_lr(lsc_schedule *s, double base, long e)
{
    if (e < 0)
        e = 0;
    int k = s->nparts - 1;
    while (k > 0 && e < s->parts[k].start)
        k--;
    const part *pt = &s->parts[k];
    const part *last = &s->parts[s->nparts - 1];
    long local = e - pt->start;
    s->plateau_active = 0;
    if (pt->type->lr) {
        /* torch 1.13: OneCycleLR sets the param group's initial_lr to max_lr/div_factor,
         * and SequentialLR restarts every part from that value, so warm-ups before a
         * onecycle ramp towards its initial lr. */
        if (pt->type == &warmup_type && last->type == &onecycle_type)
            base = last->p.v[OC_MAX_LR] / last->p.v[OC_DIV];
        return pt->type->lr(&pt->p, base, local);
    }
    /* plateau */
    s->plateau_active = 1;
    if (isnan(s->cur)) {
        s->cur = base;
        for (; s->pending > 0; s->pending--)
            plateau_reduce(&pt->p, &s->cur);
    }
    return s->cur;
}

void lsc_schedule_observe(lsc_schedule *s, double loss)
{
    const part *pt = &s->parts[s->nparts - 1];
    if (pt->type != &plateau_type || !s->plateau_active)
        return;
    const lsc_params *p = &pt->p;
    /* ReduceLROnPlateau.step(metrics), mode 'min':
     *   better: loss < best (1 - threshold)   (rel)   or  loss < best - threshold  (abs)
     *   better -> best = loss, bad = 0 ; else bad += 1
     *   in cooldown -> cooldown_counter -= 1, bad = 0
     *   bad > patience -> reduce, cooldown_counter = cooldown, bad = 0 */
    int better = p->v[PL_ABS] != 0 ? loss < s->best - p->v[PL_THRESHOLD]
                                   : loss < s->best * (1.0 - p->v[PL_THRESHOLD]);
    if (better) {
        s->best = loss;
        s->bad = 0;
    } else {
        s->bad++;
    }
    if (s->cooldown_counter > 0) {
        s->cooldown_counter--;
        s->bad = 0;
    }
    if ((double)s->bad > p->v[PL_PATIENCE]) {
        if (isnan(s->cur))
            s->pending++;
        else
            plateau_reduce(p, &s->cur);
        s->cooldown_counter = (long)p->v[PL_COOLDOWN];
        s->bad = 0;
    }
}

int lsc_schedule_describe(const lsc_schedule *s, char *buf, size_t len)
{
    size_t used = 0;
    if (!len)
        return 0;
    buf[0] = '\0';
    for (int k = 0; k < s->nparts && used + 1 < len; k++) {
        const part *pt = &s->parts[k];
        int w = snprintf(buf + used, len - used, "%s%s%s", k ? "+" : "", pt->type->name,
                         pt->type->nparams ? ":" : "");
        used += (size_t)(w > 0 ? w : 0);
        if (used + 1 >= len)
            break;
        if (pt->type->nparams)
            used += (size_t)lsc_params_format(&pt->p, buf + used, len - used);
    }
    if (used >= len)
        used = len - 1;
    buf[used] = '\0';
    return (int)used;
}
