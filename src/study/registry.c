/* registry.c — every study, one line each. `losscape study --help`, `list studies`, the
 * tests and the docs iterate this table. Adding a study = one file + one line. */
#include "study.h"

extern const lsc_study_type lsc_study_batch;
extern const lsc_study_type lsc_study_sweep;
extern const lsc_study_type lsc_study_decay;
extern const lsc_study_type lsc_study_escape;
extern const lsc_study_type lsc_study_init;

const lsc_study_type *const lsc_study_registry[] = {
    &lsc_study_batch,
    &lsc_study_sweep,
    &lsc_study_decay,
    &lsc_study_escape,
    &lsc_study_init,
    NULL,
};
const int lsc_study_registry_count = LSC_COUNTOF(lsc_study_registry) - 1;
