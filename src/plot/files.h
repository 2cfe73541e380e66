/* files.h — where a figure's files go: commit groups, and the data files written through
 * them (files.c)
 *
 * Every file of a figure (data, script, image) is written to a temporary beside its name
 * (outfile.h) and joins a commit group; the group moves all of them into place together
 * (lsc_plot_group_commit) or removes them (lsc_plot_group_abort). */
#ifndef LSC_PLOT_FILES_H
#define LSC_PLOT_FILES_H

#include "ctx.h"

struct lsc_plot_group {
    int n, cap;
    lsc_outfile **f; /* written, flushed, not yet moved into place */
};

/* Open `path` for the group into *out (heap): refused when the group already writes it. */
int plot_group_open(const lsc_plot_group *g, const char *path, lsc_outfile **out,
                    lsc_error *err);
/* Take f (heap, open, flushed) into g; on failure f is aborted and freed. */
int plot_group_add(lsc_plot_group *g, lsc_outfile *f, lsc_error *err);

/* An open data file: written to a temporary beside its name (outfile.h); plot_close
 * hands it to the figure's commit group, which moves it into place with the others. */
typedef struct {
    FILE *fp;
    lsc_outfile *of;
    char name[LSC_PLOT_PATH_MAX]; /* "fig.paths.tsv" (relative to ctx->dir) */
} plot_file;

int plot_open(plot_ctx *c, const char *suffix, plot_file *f); /* FIG<suffix> */
int plot_close(plot_ctx *c, plot_file *f); /* to the commit group; reports write errors */
void plot_abort(plot_file *f);             /* removes the temporary file */

#endif
