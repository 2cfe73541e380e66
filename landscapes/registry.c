/* registry.c — every landscape family, one line each. The CLI (`list`, `info`), the
 * tests and the docs iterate this table. Adding a landscape = one file + one line. */
#include "landscape.h"

/* --- 2-D families --- */
extern const lsc_landscape_type lsc_landscape_saddle;
extern const lsc_landscape_type lsc_landscape_himmelblau;
extern const lsc_landscape_type lsc_landscape_monkey_saddle;
extern const lsc_landscape_type lsc_landscape_quadratic;
extern const lsc_landscape_type lsc_landscape_beale;
extern const lsc_landscape_type lsc_landscape_booth;
extern const lsc_landscape_type lsc_landscape_matyas;
extern const lsc_landscape_type lsc_landscape_goldstein_price;
extern const lsc_landscape_type lsc_landscape_six_hump_camel;
extern const lsc_landscape_type lsc_landscape_three_hump_camel;
extern const lsc_landscape_type lsc_landscape_levy13;
extern const lsc_landscape_type lsc_landscape_easom;
extern const lsc_landscape_type lsc_landscape_branin;
extern const lsc_landscape_type lsc_landscape_wells;
extern const lsc_landscape_type lsc_landscape_double_well;
/* --- n-D families --- */
extern const lsc_landscape_type lsc_landscape_sphere;
extern const lsc_landscape_type lsc_landscape_rosenbrock;
extern const lsc_landscape_type lsc_landscape_quadratic_spectrum;
extern const lsc_landscape_type lsc_landscape_rastrigin;
extern const lsc_landscape_type lsc_landscape_ackley;
extern const lsc_landscape_type lsc_landscape_styblinski_tang;
extern const lsc_landscape_type lsc_landscape_lee_saddle;
extern const lsc_landscape_type lsc_landscape_octopus;
extern const lsc_landscape_type lsc_landscape_deep_linear;
extern const lsc_landscape_type lsc_landscape_expr;
extern const lsc_landscape_type lsc_landscape_chain;
extern const lsc_landscape_type lsc_landscape_rnn;
/* --- models over data (model.h) --- */
extern const lsc_landscape_type lsc_landscape_linreg;
extern const lsc_landscape_type lsc_landscape_logreg;
extern const lsc_landscape_type lsc_landscape_softmax;
extern const lsc_landscape_type lsc_landscape_mlp;

const lsc_landscape_type *const lsc_landscape_registry[] = {
    /* --- 2-D --- */
    &lsc_landscape_saddle,
    &lsc_landscape_himmelblau,
    &lsc_landscape_monkey_saddle,
    &lsc_landscape_quadratic,
    &lsc_landscape_beale,
    &lsc_landscape_booth,
    &lsc_landscape_matyas,
    &lsc_landscape_goldstein_price,
    &lsc_landscape_six_hump_camel,
    &lsc_landscape_three_hump_camel,
    &lsc_landscape_levy13,
    &lsc_landscape_easom,
    &lsc_landscape_branin,
    &lsc_landscape_wells,
    &lsc_landscape_double_well,
    /* --- n-D --- */
    &lsc_landscape_sphere,
    &lsc_landscape_rosenbrock,
    &lsc_landscape_quadratic_spectrum,
    &lsc_landscape_rastrigin,
    &lsc_landscape_ackley,
    &lsc_landscape_styblinski_tang,
    &lsc_landscape_lee_saddle,
    &lsc_landscape_octopus,
    &lsc_landscape_deep_linear,
    &lsc_landscape_expr,
    &lsc_landscape_chain,
    &lsc_landscape_rnn,
    /* --- models over data --- */
    &lsc_landscape_linreg,
    &lsc_landscape_logreg,
    &lsc_landscape_softmax,
    &lsc_landscape_mlp,
    NULL,
};
const int lsc_landscape_registry_count =
    LSC_COUNTOF(lsc_landscape_registry) - 1;
