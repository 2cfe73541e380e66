/* registry.c — every data-set generator, one line each. `losscape data --help`, the
 * tests and the docs iterate this table. Adding a generator = one file + one line. */
#include "dataset.h"

extern const lsc_data_type lsc_data_linear;
extern const lsc_data_type lsc_data_sine;
extern const lsc_data_type lsc_data_blobs;
extern const lsc_data_type lsc_data_circle;
extern const lsc_data_type lsc_data_xor;
extern const lsc_data_type lsc_data_spiral;
extern const lsc_data_type lsc_data_mean;
extern const lsc_data_type lsc_data_indices;

const lsc_data_type *const lsc_data_registry[] = {
    /* regression */
    &lsc_data_linear,
    &lsc_data_sine,
    /* classification */
    &lsc_data_blobs,
    &lsc_data_circle,
    &lsc_data_xor,
    &lsc_data_spiral,
    /* no features */
    &lsc_data_mean,
    &lsc_data_indices,
    NULL,
};
const int lsc_data_registry_count = LSC_COUNTOF(lsc_data_registry) - 1;
