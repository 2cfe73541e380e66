/* files.c — commit groups, and the data files of a figure written through them
 * (files.h) */
#include "files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

/* ---- a figure's own files -------------------------------------------------------------- *
 *
 * A figure's script and data files are named after it (fig.png.gp, fig.png.paths.tsv) and
 * begin with its mark (plot_mark: '# a file of the losscape figure "fig.png"'); a .tex
 * figure's graphic (fig.tex.pdf) ends with it ('%' before it, after the PDF's %%EOF,
 * where PDF readers ignore it). A file in the way that does not bear the figure's mark
 * is not the figure's: it is never replaced, and the figure is refused. What is not a
 * regular file (a device, a FIFO) is written in place, never replaced (outfile.h). */

/* Every file a figure writes besides its image, by suffix: plot_open opens no other, so
 * lsc_plot_opts_check can look at all of them before any work. ".pdf": a .tex figure's
 * graphic. */
static const char *const side_suffixes[] = {
    ".gp",        ".grid.f32", ".contour.tsv", ".quiver.tsv", ".cp.tsv", ".paths.tsv",
    ".exits.tsv", ".curves.tsv", ".series.tsv", ".line.tsv",  ".basins.tsv", ".points.tsv",
    ".decision.f32", ".boundary.tsv", ".fit.tsv", ".heat.tsv", ".layers.tsv", ".pdf",
};

static int is_side_suffix(const char *suffix)
{
    for (int i = 0; i < LSC_COUNTOF(side_suffixes); i++)
        if (!strcmp(side_suffixes[i], suffix))
            return 1;
    return 0;
}

/* 1 when the regular file at path begins with "# MARK\n" or ends with "%MARK\n". */
static int bears_mark(const char *path, const char *mark)
{
    char want[LSC_PLOT_PATH_MAX + 128], got[sizeof want];
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    int w = plot_spf(want, sizeof want, "# %s\n", mark);
    size_t n = w > 0 && (size_t)w < sizeof want ? (size_t)w : 0;
    int ok = n && fread(got, 1, n, fp) == n && !memcmp(got, want, n);
    w = plot_spf(want, sizeof want, "%%%s\n", mark);
    n = w > 0 && (size_t)w < sizeof want ? (size_t)w : 0;
    if (!ok && n && fseek(fp, -(long)n, SEEK_END) == 0)
        ok = fread(got, 1, n, fp) == n && !memcmp(got, want, n);
    fclose(fp);
    return ok;
}

/* 0 when path may be written as one of the files of the figure marked `mark`: it does not
 * exist, is not a regular file, or bears the mark. */
static int side_file_free(const char *path, const char *mark, lsc_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || bears_mark(path, mark))
        return LSC_OK;
    lsc_error_set(err, LSC_EINVAL, "'%s' is in the way: it is not one of the figure's own "
                  "files (marked '%s'), so it is not replaced: move it away or give the figure "
                  "another name", path, mark);
    return LSC_EINVAL;
}

int plot_side_files_check(const char *dir, const char *stem, int tex, lsc_error *err)
{
    char mark[LSC_PLOT_PATH_MAX + 64], name[LSC_PLOT_PATH_MAX + 16], path[LSC_PLOT_PATH_MAX];
    plot_mark(stem, mark, sizeof mark);
    for (int i = 0; i < LSC_COUNTOF(side_suffixes); i++) {
        if (!tex && !strcmp(side_suffixes[i], ".pdf"))
            continue;
        plot_spf(name, sizeof name, "%s%s", stem, side_suffixes[i]);
        plot_join(path, sizeof path, dir, name);
        if (side_file_free(path, mark, err) != LSC_OK)
            return LSC_EINVAL;
    }
    return LSC_OK;
}

int lsc_plot_writes(const lsc_plot_opts *o, const char *path)
{
    const char *fig = o->out[0] ? o->out : o->base;
    const size_t n = strlen(fig);
    if (!fig[0] || strncmp(path, fig, n))
        return 0;
    if (!path[n])
        return o->out[0] != 0;
    const char *dot = strrchr(fig, '.'), *slash = strrchr(fig, '/');
    const int tex = o->out[0] && !o->dumb && dot && (!slash || dot > slash) &&
                    !strcasecmp(dot, ".tex");
    return is_side_suffix(path + n) && (tex || strcmp(path + n, ".pdf"));
}

int plot_group_open(const lsc_plot_group *g, const char *path, const char *mark,
                    lsc_outfile **out, lsc_error *err)
{
    *out = NULL;
    if (mark && side_file_free(path, mark, err) != LSC_OK)
        return LSC_EINVAL;
    lsc_outfile *f = malloc(sizeof *f);
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
    char path[LSC_PLOT_PATH_MAX], mark[LSC_PLOT_PATH_MAX + 64];
    memset(f, 0, sizeof *f);
    if (!is_side_suffix(suffix)) { /* a new kind of file: list it in side_suffixes */
        lsc_error_set(c->err, LSC_EINVAL, "plot: '%s' is not a known figure file", suffix);
        return LSC_EINVAL;
    }
    plot_spf(f->name, sizeof f->name, "%s%s", c->stem, suffix);
    plot_join(path, sizeof path, c->dir, f->name);
    plot_mark(c->stem, mark, sizeof mark);
    int rc = plot_group_open(c->group, path, mark, &f->of, c->err);
    if (rc != LSC_OK)
        return rc;
    f->fp = f->of->fp;
    fprintf(f->fp, "# %s\n", mark); /* gnuplot skips it (a comment; skip= for binary) */
    return LSC_OK;
}

long plot_mark_bytes(const plot_ctx *c)
{
    char mark[LSC_PLOT_PATH_MAX + 64];
    return (long)strlen(plot_mark(c->stem, mark, sizeof mark)) + 3; /* "# " and "\n" */
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
