/* files.c — commit groups, and the data files of a figure written through them
 * (files.h) */
#include "files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- commit groups ---------------------------------------------------------------------- */

lsc_plot_group *lsc_plot_group_new(void)
{
    return calloc(1, sizeof(lsc_plot_group));
}

static int group_has(const lsc_plot_group *g, const char *target)
{
    for (int i = 0; i < g->n; i++)
        if (!strcmp(g->f[i]->target, target))
            return 1;
    return 0;
}

int plot_group_add(lsc_plot_group *g, lsc_outfile *f, lsc_error *err)
{
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 16;
        lsc_outfile **nf = realloc(g->f, (size_t)cap * sizeof *nf);
        if (!nf) {
            lsc_outfile_abort(f);
            free(f);
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        g->f = nf;
        g->cap = cap;
    }
    g->f[g->n++] = f;
    return LSC_OK;
}

int plot_group_open(const lsc_plot_group *g, const char *path, lsc_outfile **out,
                    lsc_error *err)
{
    lsc_outfile *f = malloc(sizeof *f);
    *out = NULL;
    if (!f) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int rc = lsc_outfile_open(f, path, "out", err);
    if (rc != LSC_OK) {
        free(f);
        return rc;
    }
    if (group_has(g, f->target)) {
        lsc_outfile_abort(f);
        free(f);
        lsc_error_set(err, LSC_EINVAL, "out: '%s' would be written twice (two figures with "
                      "the same name in one call): give each figure its own out", path);
        return LSC_EINVAL;
    }
    *out = f;
    return LSC_OK;
}

void lsc_plot_group_abort(lsc_plot_group *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->n; i++) {
        lsc_outfile_abort(g->f[i]);
        free(g->f[i]);
    }
    free(g->f);
    free(g);
}

int lsc_plot_group_commit(lsc_plot_group *g, lsc_error *err)
{
    if (!g) {
        lsc_error_set(err, LSC_EINVAL, "plot: no commit group");
        return LSC_EINVAL;
    }
    /* each file is renamed into place (outfile.h); they were all written and flushed, so
     * what can still fail here is the rename itself: then the rest is removed */
    int rc = LSC_OK;
    for (int i = 0; i < g->n; i++) {
        if (rc == LSC_OK)
            rc = lsc_outfile_commit(g->f[i], err);
        else
            lsc_outfile_abort(g->f[i]);
        free(g->f[i]);
    }
    free(g->f);
    free(g);
    return rc;
}

/* ---- data files ------------------------------------------------------------------------ */

int plot_open(plot_ctx *c, const char *suffix, plot_file *f)
{
    char path[LSC_PLOT_PATH_MAX];
    memset(f, 0, sizeof *f);
    plot_spf(f->name, sizeof f->name, "%s%s", c->stem, suffix);
    plot_join(path, sizeof path, c->dir, f->name);
    int rc = plot_group_open(c->group, path, &f->of, c->err);
    if (rc != LSC_OK)
        return rc;
    f->fp = f->of->fp;
    return LSC_OK;
}

void plot_abort(plot_file *f)
{
    if (f->of) {
        lsc_outfile_abort(f->of);
        free(f->of);
    }
    f->of = NULL;
    f->fp = NULL;
}

int plot_close(plot_ctx *c, plot_file *f)
{
    /* flushed now, so that gnuplot reads it whole; moved into place with the group */
    int bad = ferror(f->fp) || fflush(f->fp) != 0;
    if (bad) {
        char path[LSC_PLOT_PATH_MAX];
        plot_join(path, sizeof path, c->dir, f->name);
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", path,
                      errno ? strerror(errno) : "write error");
        plot_abort(f);
        return LSC_EIO;
    }
    lsc_outfile *of = f->of;
    f->of = NULL;
    f->fp = NULL;
    return plot_group_add(c->group, of, c->err);
}
