/* registry.c — every optimizer, one line each. The CLI, the tests and the docs iterate
 * this table. Adding an optimizer = one file + one line. */
#include "optim.h"

extern const lsc_optim_type lsc_optim_gd;
extern const lsc_optim_type lsc_optim_sgd;
extern const lsc_optim_type lsc_optim_momentum;
extern const lsc_optim_type lsc_optim_nesterov;
extern const lsc_optim_type lsc_optim_adam;
extern const lsc_optim_type lsc_optim_adamw;
extern const lsc_optim_type lsc_optim_adagrad;
extern const lsc_optim_type lsc_optim_rmsprop;
extern const lsc_optim_type lsc_optim_nadam;
extern const lsc_optim_type lsc_optim_radam;
extern const lsc_optim_type lsc_optim_adadelta;
extern const lsc_optim_type lsc_optim_adamax;
extern const lsc_optim_type lsc_optim_asgd;
extern const lsc_optim_type lsc_optim_rprop;
extern const lsc_optim_type lsc_optim_lion;
extern const lsc_optim_type lsc_optim_adabelief;
extern const lsc_optim_type lsc_optim_yogi;
extern const lsc_optim_type lsc_optim_lamb;
extern const lsc_optim_type lsc_optim_pgd;
extern const lsc_optim_type lsc_optim_newton;
extern const lsc_optim_type lsc_optim_sfn;
extern const lsc_optim_type lsc_optim_newton_cg;
extern const lsc_optim_type lsc_optim_lbfgs;

const lsc_optim_type *const lsc_optim_registry[] = {
    &lsc_optim_gd,
    &lsc_optim_sgd,
    &lsc_optim_momentum,
    &lsc_optim_nesterov,
    &lsc_optim_adagrad,
    &lsc_optim_rmsprop,
    &lsc_optim_adam,
    &lsc_optim_adamw,
    &lsc_optim_nadam,
    &lsc_optim_radam,
    &lsc_optim_adadelta,
    &lsc_optim_adamax,
    &lsc_optim_asgd,
    &lsc_optim_rprop,
    &lsc_optim_lion,
    &lsc_optim_adabelief,
    &lsc_optim_yogi,
    &lsc_optim_lamb,
    &lsc_optim_pgd,
    &lsc_optim_newton,
    &lsc_optim_sfn,
    &lsc_optim_newton_cg,
    &lsc_optim_lbfgs,
    NULL,
};
const int lsc_optim_registry_count =
    LSC_COUNTOF(lsc_optim_registry) - 1;
