/* series.c — measured numbers against a parameter (lsc_plot_render_series): one panel,
 * lines and markers with error bars, linear or log axes, a key; for the tables of the
 * studies (study.h), whose figures are no trajectories
 *
 * The data go to FIG.series.tsv (one block per series: x, y, and the error bar), the
 * script draws them: lines for a curve or a formula, markers (with +- error bars) for
 * measured points. On a log axis a value <= 0 has no place: it is left out, and the
 * caption says how many were. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "files.h"
#include "kind.h"
#include "script.h"

/* Points of series s drawn: finite, and positive on a log axis. */
static int series_keep(const plot_ctx *c, const lsc_plot_series *s, int i)
{
    const double x = s->x[i], y = s->y[i];
    if (!isfinite(x) || !isfinite(y))
        return 0;
    return !(c->series_logx && x <= 0) && !(c->series_logy && y <= 0);
}

/* FIG.series.tsv; *dropped: the points left out; range of what is drawn. */
static int series_write(plot_ctx *c, int *dropped, double xr[2], double yr[2])
{
    plot_file f;
    int rc = plot_open(c, ".series.tsv", &f);
    if (rc)
        return rc;
    *dropped = 0;
    xr[0] = yr[0] = INFINITY;
    xr[1] = yr[1] = -INFINITY;
    fprintf(f.fp, "# one block per series: x, y, error bar (0: none)\n");
    for (int k = 0; k < c->nseries; k++) {
        const lsc_plot_series *s = &c->series[k];
        fprintf(f.fp, "\n\n# %d\n", k);
        int kept = 0;
        for (int i = 0; i < s->n; i++) {
            if (!series_keep(c, s, i)) {
                *dropped += 1;
                continue;
            }
            double e = s->yerr && isfinite(s->yerr[i]) ? s->yerr[i] : 0;
            fprintf(f.fp, "%.17g\t%.17g\t%.17g\n", s->x[i], s->y[i], e);
            xr[0] = fmin(xr[0], s->x[i]), xr[1] = fmax(xr[1], s->x[i]);
            yr[0] = fmin(yr[0], s->y[i] - (c->series_logy ? 0 : e));
            yr[1] = fmax(yr[1], s->y[i] + e);
            kept++;
        }
        if (!kept) /* gnuplot refuses an empty block: a point off the view */
            fprintf(f.fp, "nan\tnan\t0\n");
    }
    return plot_close(c, &f);
}

/* One axis: its label, log or linear, ticks that do not run into each other. */
static void series_axis(plot_ctx *c, const char *axis, const char *label, int logscale,
                        const double r[2], double len, int horizontal)
{
    plot_printf(c, "set %slabel ", axis);
    plot_str(c, label);
    plot_printf(c, " noenhanced\n");
    if (logscale) {
        plot_printf(c, "set logscale %s 10\nset format %s '%s'\n", axis, axis,
                    plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        if (isfinite(r[0]) && !plot_log_tics(c, axis, r[0], r[1]))
            plot_fit_tics(c, axis, r[0], r[1], len, horizontal, 1);
    } else {
        plot_printf(c, "unset logscale %s\nset format %s '%%g'\n", axis, axis);
        if (isfinite(r[0]))
            plot_fit_tics(c, axis, r[0], r[1], len, horizontal, 0);
    }
}

static int series_emit(plot_ctx *c)
{
    int dropped;
    double xr[2], yr[2];
    int rc = series_write(c, &dropped, xr, yr);
    if (rc)
        return rc;
    char what[64], nm[LSC_PLOT_PATH_MAX + 32], extra[256] = "";
    plot_spf(what, sizeof what, "series, %d of them", c->nseries);
    if ((rc = plot_script_begin(c, what)) != LSC_OK)
        return rc;
    const int empty = !isfinite(xr[0]);
    if (empty)
        plot_spf(extra, sizeof extra, "No value to draw (none is finite%s).",
                 c->series_logx || c->series_logy ? " and positive on the log axes" : "");
    else if (dropped)
        plot_spf(extra, sizeof extra, "%d value%s <= 0 or not finite left out%s.", dropped,
                 dropped > 1 ? "s" : "", c->series_logx || c->series_logy ? " (log axis)" : "");
    plot_title_caption(c, NULL, extra, 1);
    const double em = plot_em(c);
    /* the key between the title and the plot, in rows of at most 2 entries (long labels
     * fit): it hides no point and leaves the plot the whole width */
    int nlab = 0;
    double wmax = 0; /* the widest entry, in em: its text, the sample line and gaps */
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].label && c->series[s].label[0]) {
            nlab++;
            wmax = fmax(wmax, fmax(plot_user_em(c, c->series[s].label),
                                   plot_gp_em(c, c->series[s].label, 0)) + 5);
        }
    const int two = nlab >= 2 && 2 * wmax * em < 0.9 * c->width;
    const int cols = two ? 2 : 1, rows = nlab ? (nlab + cols - 1) / cols : 0;
    const double th = plot_title_h(c) + 0.3 * em / c->height;
    const double kh = plot_is_text(c) ? rows / (double)c->height : 1.3 * em * rows / c->height;
    plot_multiplot(c);
    double left = fmax(6.4, plot_tics_em(c, yr[0], yr[1], c->series_logy, 1) + 3.2) * em;
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n",
                left / c->width, 1 - 2.0 * em / c->width);
    plot_printf(c, "set tmargin at screen %.4f\n", 1 - th - kh - 0.6 * em / c->height);
    plot_printf(c, "set bmargin at screen %.4f\n", c->cap_h + 3.6 * em / c->height);
    series_axis(c, "x", c->o->xlabel[0] ? c->o->xlabel : "x", c->series_logx, xr,
                c->width - left - 2.0 * em, 1);
    series_axis(c, "y", c->o->ylabel[0] ? c->o->ylabel : "y", c->series_logy, yr,
                0.7 * c->height, 0);
    if (empty) /* gnuplot refuses to autoscale nothing: an empty frame */
        plot_printf(c, "set xrange [1:10]\nset yrange [1:10]\n");
    if (isfinite(c->o->xlim[0])) {
        char a[32], b[32];
        plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, c->o->xlim[0]),
                    plot_num(b, c->o->xlim[1]));
    }
    if (isfinite(c->o->ylim[0])) {
        char a[32], b[32];
        plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, c->o->ylim[0]),
                    plot_num(b, c->o->ylim[1]));
    }
    /* the data's own range (no widening to the next tick or decade), a little air */
    plot_printf(c, "set autoscale xfix\nset autoscale yfix\n"
                   "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05\n"
                   "set tics nomirror\nset grid lc rgb '#DDDDDD'\n"
                   "set key at screen 0.5, screen %.4f center top horizontal maxcols %d "
                   "maxrows %d Left reverse noenhanced samplen 2.5 width 1\n", 1 - th, cols,
                rows > 0 ? rows : 1);
    const char *pn = plot_fname(c, ".series.tsv", nm, sizeof nm);
    plot_clauses k = {c, "plot", 0};
    for (int s = 0; s < c->nseries; s++) {
        const lsc_plot_series *S = &c->series[s];
        const int lt = S->colour >= 1 && S->colour <= 8 ? S->colour : 1 + s % 8;
        plot_clause(&k);
        plot_fileref(c, pn);
        if (S->style == LSC_SERIES_POINTS && S->yerr)
            plot_printf(c, " index %d using 1:2:3 with yerrorbars lt %d pt 7 ps 1.1 lw 1.5",
                        s, lt);
        else if (S->style == LSC_SERIES_POINTS)
            plot_printf(c, " index %d using 1:2 with points lt %d pt 7 ps 1.1", s, lt);
        else
            plot_printf(c, " index %d using 1:2 with lines lt %d lw %s dt %d", s, lt,
                        S->thin ? "1.2" : "2", S->dashed ? 2 : 1);
        if (S->label && S->label[0]) {
            plot_printf(c, " title ");
            plot_str(c, S->label);
        } else {
            plot_printf(c, " notitle");
        }
    }
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

const plot_kind_type plot_kind_series = {
    .name = "series",
    .id = LSC_PLOT_CURVES, /* not in the registry: drawn by lsc_plot_render_series only */
    .summary = "measured numbers against a parameter",
    .keys = NULL,
    .flags = PLOT_DUMB,
    .grid = 0,
    .width = 900,
    .height = 620,
    .check = NULL,
    .emit = series_emit,
};
