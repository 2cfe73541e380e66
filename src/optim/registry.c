/* registry.c — every optimizer, one line each. The CLI, the tests and the docs iterate
 * this table. Adding an optimizer = one file + one line. */
#include "optim.h"

const lsc_optim_type *const lsc_optim_registry[] = {
    NULL,
};
const int lsc_optim_registry_count =
    (int)(sizeof lsc_optim_registry / sizeof lsc_optim_registry[0]) - 1;
