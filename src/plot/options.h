/* options.h — what the entry points (render.c) share with the option checks (options.c) */
#ifndef LSC_PLOT_OPTIONS_H
#define LSC_PLOT_OPTIONS_H

#include "kind.h"

/* The terminal for o's file name: dumb (if K may be drawn with characters), else by out's
 * extension (.png .svg .pdf .tex .gif; a GIF kind only .gif). LSC_EINVAL names the option. */
int plot_terminal(const lsc_plot_opts *o, const plot_kind_type *K, plot_term *term,
                  lsc_error *err);

#endif
