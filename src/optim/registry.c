/* registry.c — every optimizer, one line each. The CLI, the tests and the docs iterate
 * this table. Adding an optimizer = one file + one line. */
#include "optim.h"

extern const lsc_optim_type lsc_optim_gd;
extern const lsc_optim_type lsc_optim_sgd;
extern const lsc_optim_type lsc_optim_momentum;
extern const lsc_optim_type lsc_optim_nesterov;
extern const lsc_optim_type lsc_optim_adam;
extern const lsc_optim_type lsc_optim_adamw;

const lsc_optim_type *const lsc_optim_registry[] = {
    &lsc_optim_gd,
    &lsc_optim_sgd,
    &lsc_optim_momentum,
    &lsc_optim_nesterov,
    &lsc_optim_adam,
    &lsc_optim_adamw,
    NULL,
};
const int lsc_optim_registry_count =
    (int)(sizeof lsc_optim_registry / sizeof lsc_optim_registry[0]) - 1;
