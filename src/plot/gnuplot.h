/* gnuplot.h — finding gnuplot, and running it on a figure's script (gnuplot.c) */
#ifndef LSC_PLOT_GNUPLOT_H
#define LSC_PLOT_GNUPLOT_H

#include "ctx.h"

/* 0 when the gnuplot o names ($GNUPLOT, else "gnuplot" along $PATH) is an executable, or
 * no_render is set; else LSC_EEXTERNAL saying how to install it (gp_path: the script, for
 * the message). */
int plot_find_gnuplot(const lsc_plot_opts *o, const char *gp_path, lsc_error *err);

/* Run gnuplot on the figure's script (its files in c->group from c->first_file, the script
 * c->script) in a stage directory, and take the image it made into the group under the
 * requested name (c->out_name). */
int plot_run_gnuplot(plot_ctx *c);

/* Remove a directory and the files in it (not subdirectories). */
void plot_remove_tree(const char *dir);

#endif
