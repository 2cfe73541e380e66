/* render.c — the entry points: lsc_plot_render (a trajectory, a landscape) and
 * lsc_plot_render_basins (computed basins)
 *
 * A figure is made in three steps: the data (landscape grid evaluated in C, contour
 * lines, paths) is written next to the image, then the self-contained script FIG.gp, then
 * gnuplot runs on the script in a stage directory; whatever it produced joins the commit
 * group, and everything is moved into place only when all of it succeeded. The kind
 * (registry.c) writes the data and the script; this file sets up and finishes.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "gnuplot.h"
#include "model.h"
#include "options.h"
#include "points.h"
#include "script.h"

/* ---- a figure's context -------------------------------------------------------------------- */

/* Where the files go (out, base, or a temporary directory for dumb to the terminal) and the
 * font, checked. */
static int setup_names(plot_ctx *c, const lsc_plot_opts *o, lsc_error *err)
{
    if (o->out[0] || o->base[0]) {
        if (plot_place(o, c->dir, c->stem, err) != LSC_OK)
            return LSC_EINVAL;
        if (o->out[0]) /* the image; its own files are named after it (fig.png.gp) */
            plot_spf(c->out_name, sizeof c->out_name, "%s", c->stem);
    } else {
        c->temp_dir = 1; /* made in setup_places, when everything is checked */
        plot_spf(c->stem, sizeof c->stem, "figure");
    }
    if (o->font[0]) {
        if (plot_has_ctrl(o->font)) {
            lsc_error_set(err, LSC_EINVAL, "font: control characters are not allowed");
            return LSC_EINVAL;
        }
        plot_spf(c->font, sizeof c->font, "%s", o->font);
    } else {
        plot_spf(c->font, sizeof c->font, "%s",
                 c->term == TERM_PDF || c->term == TERM_TEX ? "DejaVu Sans,9"
                                                           : "DejaVu Sans,12");
    }
    return LSC_OK;
}

/* The canvas: size=, else the kind's (1 px = 1 pt; vector formats default smaller, for
 * papers; .tex 4.5 in wide, the kind's shape but at least 3/4 as tall: with a paragraph's
 * indent it fits the 345 pt text width of LaTeX's article at 10 pt, the narrowest of its
 * sizes; 100 characters wide
 * for dumb). A height of 0 is the kind's to set. */
static void setup_size(plot_ctx *c, const lsc_plot_opts *o)
{
    int w = c->K->width, h = c->K->height;
    if (c->term == TERM_PDF) {
        w = w * 6 / 10;
        h = h * 6 / 10;
    }
    if (c->term == TERM_TEX) { /* at least 3/4 as tall as wide: room for LaTeX's text */
        h = w ? (int)lround(324.0 * fmax((double)h / w, 0.75)) : 0;
        w = w ? 324 : 0;
    }
    if (c->term == TERM_DUMB) {
        w = 100;
        h = c->K->height ? 40 : 0;
    }
    /* size= in inches: exact in the terminal line (pdf, tex), in canvas units for the
     * layout: points, or an SVG's pixels (CSS: 96 an inch) */
    double per_in = c->term == TERM_SVG ? 96 : 72;
    c->width = o->width ? o->width : o->size_in[0] > 0 ? (int)lround(per_in * o->size_in[0]) : w;
    c->height = o->height ? o->height
                          : o->size_in[1] > 0 ? (int)lround(per_in * o->size_in[1]) : h;
    c->size_in[0] = o->width ? 0 : o->size_in[0];
    c->size_in[1] = o->height ? 0 : o->size_in[1];
    /* .tex: 9 pt text, 8 pt in a figure narrower than 4 in (a column of a two-column
     * paper), unless font= says */
    if (c->term == TERM_TEX && !o->font[0] && c->width > 0 && c->width < 288)
        plot_spf(c->font, sizeof c->font, "DejaVu Sans,8");
}

/* Checked: now the places files go. Dumb to the terminal without a base: the script and
 * data live in a temporary directory for the render only (a group of their own). */
static int setup_places(plot_ctx *c, const lsc_plot_opts *o, lsc_error *err)
{
    if (c->temp_dir) {
        const char *td = getenv("TMPDIR");
        plot_spf(c->dir, sizeof c->dir, "%s/losscape-plot.XXXXXX", td && td[0] ? td : "/tmp");
        if (!mkdtemp(c->dir)) {
            lsc_error_set(err, LSC_EIO, "cannot create a temporary directory '%s': %s", c->dir,
                          strerror(errno));
            c->temp_dir = 0;
            return LSC_EIO;
        }
    }
    c->group = c->temp_dir ? NULL : o->group;
    if (!c->group) {
        c->own_group = 1;
        if (!(c->group = lsc_plot_group_new())) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            if (c->temp_dir)
                plot_remove_tree(c->dir);
            return LSC_ENOMEM;
        }
    }
    c->first_file = c->group->n;
    return LSC_OK;
}

/* The context of a figure of kind K: every option checked, gnuplot found, the style read,
 * the places for its files made. Nothing is written before this succeeds. */
static int setup(plot_ctx *c, const plot_kind_type *K, const lsc_plot_opts *o, lsc_error *err)
{
    memset(c, 0, sizeof *c);
    c->o = o;
    c->err = err;
    c->K = K;
    c->animate = (K->flags & PLOT_GIF) != 0;
    int rc = plot_terminal(o, K, &c->term, err);
    if (rc == LSC_OK)
        rc = setup_names(c, o, err);
    if (rc)
        return rc;
    setup_size(c, o);
    struct stat st;
    if (o->out[0] && stat(o->out, &st) == 0 && S_ISDIR(st.st_mode)) {
        lsc_error_set(err, LSC_EINVAL, "out: '%.200s' is a directory (give a file name, e.g. "
                      "%s/fig.png)", o->out, o->out);
        return LSC_EINVAL;
    }
    if (!o->no_render) {
        char gp_name[LSC_PLOT_PATH_MAX + 8], gp_path[LSC_PLOT_PATH_MAX + 8];
        plot_spf(gp_name, sizeof gp_name, "%s.gp", c->stem);
        plot_join(gp_path, sizeof gp_path, c->dir, gp_name);
        if ((rc = plot_find_gnuplot(o, gp_path, err)) != LSC_OK)
            return rc;
    }
    if ((rc = plot_read_style(c)) != LSC_OK)
        return rc;
    if ((rc = setup_places(c, o, err)) != LSC_OK) {
        free(c->style_text);
        c->style_text = NULL;
    }
    return rc;
}

static int begin_script(plot_ctx *c, plot_file *f)
{
    return plot_open(c, ".gp", f);
}

/* The end of a figure: its own group committed (rc == 0) or aborted; a shared group is
 * the caller's to commit or abort. */
static int end_figure(plot_ctx *c, int rc)
{
    if (c->own_group) {
        if (rc == LSC_OK)
            rc = lsc_plot_group_commit(c->group, c->err);
        else
            lsc_plot_group_abort(c->group);
        c->group = NULL;
    }
    if (c->temp_dir)
        plot_remove_tree(c->dir);
    free(c->style_text);
    c->style_text = NULL;
    return rc;
}

static int finish(plot_ctx *c, plot_file *gpf, int rc)
{
    if (rc != LSC_OK) {
        plot_abort(gpf);
        c->gp = NULL;
        return end_figure(c, rc);
    }
    c->script = gpf->of;
    rc = plot_close(c, gpf);
    c->gp = NULL;
    if (rc == LSC_OK && !c->o->no_render)
        rc = plot_run_gnuplot(c);
    return end_figure(c, rc);
}

/* ---- the entry points ------------------------------------------------------------------- */

int lsc_plot_render(const lsc_trajectory *t, const lsc_landscape *L, const lsc_plot_opts *o,
                    lsc_error *err)
{
    plot_ctx c;
    lsc_landscape *own = NULL;
    if (!o) {
        lsc_error_set(err, LSC_EINVAL, "plot: no options");
        return LSC_EINVAL;
    }
    const plot_kind_type *K = plot_kind_get(o->kind);
    if (!K) {
        lsc_error_set(err, LSC_EINVAL, "kind: invalid figure kind %d", (int)o->kind);
        return LSC_EINVAL;
    }
    if (K->flags & PLOT_BASINS) {
        /* drawing never runs an optimizer: basins.h computes them */
        lsc_error_set(err, LSC_EINVAL, "kind=%s: compute the basins first "
                      "(lsc_basins_compute) and draw them with lsc_plot_render_basins", K->name);
        return LSC_EINVAL;
    }
    if (!t && (K->flags & PLOT_NEEDS_TRAJECTORY)) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: needs a trajectory", K->name);
        return LSC_EINVAL;
    }
    const int needs_L = (K->flags & PLOT_NEEDS_LANDSCAPE) != 0;
    if (!L && t && (needs_L || t->landscape[0])) {
        lsc_error e2;
        own = t->data[0] ? lsc_landscape_load_model(t->landscape, t->n, t->data, t->target,
                                                    t->holdout, t->seed,
                                                    "trajectory landscape", &e2)
                         : lsc_landscape_new(t->landscape, t->n, "trajectory landscape", &e2);
        /* the box the runs were made in (the file's 'box'), so the figure shows it */
        if (own && t->box[0] && lsc_landscape_set_box_text(own, t->box, &e2) != LSC_OK) {
            lsc_landscape_free(own);
            own = NULL;
        }
        if (!own && needs_L) {
            lsc_error_set(err, e2.code, "%s", e2.msg);
            return e2.code;
        }
        L = own;
    }
    if (!L && !t) {
        lsc_error_set(err, LSC_EINVAL, "plot: needs a trajectory or a landscape");
        return LSC_EINVAL;
    }
    if (L && t && L->n != t->n) {
        lsc_error_set(err, LSC_EINVAL, "plot: the landscape has %d dimensions, the trajectory "
                      "%d", L->n, t->n);
        lsc_landscape_free(own);
        return LSC_EINVAL;
    }
    /* every option checked against the landscape and the runs before anything is written */
    if (L && lsc_plot_opts_check(o, L, t ? t->npos : 0, t ? t->has_dist : 0, t ? t->cols : 0,
                                 t ? t->nruns : 0, err) != LSC_OK) {
        lsc_landscape_free(own);
        return LSC_EINVAL;
    }
    int rc = setup(&c, K, o, err);
    if (rc) {
        lsc_landscape_free(own);
        return rc;
    }
    c.t = t;
    c.L = L;
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc) {
        end_figure(&c, rc);
        lsc_landscape_free(own);
        return rc;
    }
    c.gp = gpf.fp;
    rc = K->emit(&c);
    rc = finish(&c, &gpf, rc);
    lsc_landscape_free(own);
    return rc;
}

int lsc_plot_render_series(const lsc_plot_series *s, int ns, int logx, int logy,
                           const lsc_plot_opts *o, lsc_error *err)
{
    if (!s || ns < 1 || ns > 64 || !o) {
        lsc_error_set(err, LSC_EINVAL, "series: needs 1 to 64 series and options (%d given)", ns);
        return LSC_EINVAL;
    }
    for (int k = 0; k < ns; k++)
        if (s[k].n < 0 || (s[k].n > 0 && (!s[k].x || !s[k].y))) {
            lsc_error_set(err, LSC_EINVAL, "series: series %d has no numbers", k);
            return LSC_EINVAL;
        }
    plot_ctx c;
    int rc = setup(&c, &plot_kind_series, o, err);
    if (rc)
        return rc;
    c.series = s;
    c.nseries = ns;
    c.series_logx = logx;
    c.series_logy = logy;
    plot_spf(c.auto_caption, sizeof c.auto_caption, "%s", " ");
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc)
        return end_figure(&c, rc);
    c.gp = gpf.fp;
    rc = c.K->emit(&c);
    return finish(&c, &gpf, rc);
}

int lsc_plot_render_heat(const lsc_plot_heat *h, const lsc_plot_opts *o, lsc_error *err)
{
    if (!h || !o || h->nx < 1 || h->ny < 1 || !h->x || !h->y || !h->z) {
        lsc_error_set(err, LSC_EINVAL, "heat map: needs a grid of at least 1 x 1 values and "
                      "options");
        return LSC_EINVAL;
    }
    for (int i = 1; i < h->nx || i < h->ny; i++)
        if ((i < h->nx && !(h->x[i] > h->x[i - 1])) || (i < h->ny && !(h->y[i] > h->y[i - 1]))) {
            lsc_error_set(err, LSC_EINVAL, "heat map: the grid's x and y must increase");
            return LSC_EINVAL;
        }
    for (int i = 0; i < h->nx || i < h->ny; i++)
        if ((i < h->nx && (!isfinite(h->x[i]) || (h->logx && h->x[i] <= 0))) ||
            (i < h->ny && (!isfinite(h->y[i]) || (h->logy && h->y[i] <= 0)))) {
            lsc_error_set(err, LSC_EINVAL, "heat map: the grid's x and y must be finite (and "
                          "positive on a log axis)");
            return LSC_EINVAL;
        }
    plot_ctx c;
    int rc = setup(&c, &plot_kind_heat, o, err);
    if (rc)
        return rc;
    c.heat = h;
    plot_spf(c.auto_caption, sizeof c.auto_caption, "%s", " ");
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc)
        return end_figure(&c, rc);
    c.gp = gpf.fp;
    rc = c.K->emit(&c);
    return finish(&c, &gpf, rc);
}

int lsc_plot_render_data(const lsc_dataset *train, const lsc_dataset *test,
                         const lsc_plot_opts *o, lsc_error *err)
{
    if (!train || !o) {
        lsc_error_set(err, LSC_EINVAL, "data figure: needs a data set and options");
        return LSC_EINVAL;
    }
    lsc_plot_opts o2 = *o;
    o2.kind = LSC_PLOT_DATA;
    const plot_kind_type *K = plot_kind_get(LSC_PLOT_DATA);
    if (lsc_plot_opts_check(&o2, NULL, 0, 0, 0, 0, err) != LSC_OK ||
        plot_points_check_sets(K, train, test, err) != LSC_OK)
        return LSC_EINVAL;
    plot_ctx c;
    int rc = setup(&c, K, &o2, err);
    if (rc)
        return rc;
    c.data[0] = train;
    c.data[1] = test;
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc)
        return end_figure(&c, rc);
    c.gp = gpf.fp;
    rc = c.K->emit(&c);
    return finish(&c, &gpf, rc);
}

int lsc_plot_render_basins(const lsc_basins *b, const lsc_landscape *L, const lsc_plot_opts *o,
                           lsc_error *err)
{
    if (!L || !b || b->nopt < 1 || !b->grid || !o) {
        lsc_error_set(err, LSC_EINVAL, "basins: needs a landscape, the computed basins "
                      "(lsc_basins_compute) and options");
        return LSC_EINVAL;
    }
    if (L->n != 2) {
        lsc_error_set(err, LSC_EINVAL, "kind=basins: needs a 2-D landscape ('%s' has %d "
                      "dimensions)", L->type->name, L->n);
        return LSC_EINVAL;
    }
    if (b->ncp != lsc_landscape_ncritical(L)) {
        lsc_error_set(err, LSC_EINVAL, "basins: computed on another landscape (%d critical "
                      "points, '%s' has %d)", b->ncp, L->type->name,
                      lsc_landscape_ncritical(L));
        return LSC_EINVAL;
    }
    if (b->nopt > 16) {
        lsc_error_set(err, LSC_EINVAL, "basins: %d optimizers (allowed: at most 16 panels)",
                      b->nopt);
        return LSC_EINVAL;
    }
    lsc_plot_opts o2 = *o;
    o2.kind = LSC_PLOT_BASINS;
    if (lsc_plot_opts_check(&o2, L, L->n, 0, 0, b->nopt, err) != LSC_OK)
        return LSC_EINVAL;
    plot_ctx c;
    int rc = setup(&c, plot_kind_get(LSC_PLOT_BASINS), &o2, err);
    if (rc)
        return rc;
    c.L = L;
    c.basins = b;
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc)
        return end_figure(&c, rc);
    c.gp = gpf.fp;
    rc = c.K->emit(&c);
    return finish(&c, &gpf, rc);
}
