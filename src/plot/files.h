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

/* Open `path` for the group into *out (heap): refused when the group already writes it,
 * and, for one of a figure's own files (mark: plot_mark), when a regular file there does
 * not bear the mark. mark NULL: the image the user named (replaced as asked). */
int plot_group_open(const lsc_plot_group *g, const char *path, const char *mark,
                    lsc_outfile **out, lsc_error *err);
/* Before any work: LSC_EINVAL naming the first file a figure named `stem` in dir could
 * write (its script, data, and with tex its graphic) that is in the way (not its own). */
int plot_side_files_check(const char *dir, const char *stem, int tex, lsc_error *err);
/* Take f (heap, open, flushed) into g; on failure f is aborted and freed. */
int plot_group_add(lsc_plot_group *g, lsc_outfile *f, lsc_error *err);

/* An open data file: written to a temporary beside its name (outfile.h); plot_close
 * hands it to the figure's commit group, which moves it into place with the others. */
typedef struct {
    FILE *fp;
    lsc_outfile *of;
    char name[LSC_PLOT_PATH_MAX]; /* "fig.png.paths.tsv" (relative to ctx->dir) */
} plot_file;

/* FIG<suffix> (fig.png.paths.tsv), its first line the figure's mark (plot_mark); suffix
 * one of those files.c lists. */
int plot_open(plot_ctx *c, const char *suffix, plot_file *f);
/* The bytes of that first line (a binary file's reader skips them). */
long plot_mark_bytes(const plot_ctx *c);
int plot_close(plot_ctx *c, plot_file *f); /* to the commit group; reports write errors */
void plot_abort(plot_file *f);             /* removes the temporary file */

#endif
