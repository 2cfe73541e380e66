/* registry.c — every landscape family, one line each. The CLI (`list`, `info`), the
 * tests and the docs iterate this table. Adding a landscape = one file + one line. */
#include "landscape.h"

/* --- 2-D families --- */
extern const lsc_landscape_type lsc_landscape_saddle;
extern const lsc_landscape_type lsc_landscape_himmelblau;
/* --- n-D families --- */
extern const lsc_landscape_type lsc_landscape_sphere;
extern const lsc_landscape_type lsc_landscape_rosenbrock;

const lsc_landscape_type *const lsc_landscape_registry[] = {
    /* --- 2-D --- */
    &lsc_landscape_saddle,
    &lsc_landscape_himmelblau,
    /* --- n-D --- */
    &lsc_landscape_sphere,
    &lsc_landscape_rosenbrock,
    NULL,
};
const int lsc_landscape_registry_count =
    (int)(sizeof lsc_landscape_registry / sizeof lsc_landscape_registry[0]) - 1;
