/* registry.c — every landscape family, one line each. The CLI (`list`, `info`), the
 * tests and the docs iterate this table. Adding a landscape = one file + one line. */
#include "landscape.h"

/* --- 2-D families --- */
/* --- n-D families --- */

const lsc_landscape_type *const lsc_landscape_registry[] = {
    /* --- 2-D --- */
    /* --- n-D --- */
    NULL,
};
const int lsc_landscape_registry_count =
    (int)(sizeof lsc_landscape_registry / sizeof lsc_landscape_registry[0]) - 1;
