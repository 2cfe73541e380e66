/* registry.c — every figure kind, one line each, in lsc_plot_kind order. The option kind=,
 * the checks and the entry points find a kind here. Adding a kind = one file + one line
 * (and its name in lsc_plot_kind, plot.h). */
#include "kind.h"

extern const plot_kind_type plot_kind_contour;
extern const plot_kind_type plot_kind_surface;
extern const plot_kind_type plot_kind_curves;
extern const plot_kind_type plot_kind_animation;
extern const plot_kind_type plot_kind_slice;
extern const plot_kind_type plot_kind_basins;
extern const plot_kind_type plot_kind_data;
extern const plot_kind_type plot_kind_decision;
extern const plot_kind_type plot_kind_layers;

const plot_kind_type *const plot_kinds[] = {
    &plot_kind_contour,
    &plot_kind_surface,
    &plot_kind_curves,
    &plot_kind_animation,
    &plot_kind_slice,
    &plot_kind_basins,
    &plot_kind_data,
    &plot_kind_decision,
    &plot_kind_layers,
    NULL,
};

_Static_assert(sizeof plot_kinds / sizeof plot_kinds[0] == LSC_PLOT_NKINDS + 1,
               "one registry line per lsc_plot_kind");

const plot_kind_type *plot_kind_get(lsc_plot_kind k)
{
    if ((int)k < 0 || (int)k >= LSC_PLOT_NKINDS)
        return NULL;
    return plot_kinds[k];
}
