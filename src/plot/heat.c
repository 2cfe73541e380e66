/* heat.c — a number over a grid of two parameters as a heat map (lsc_plot_render_heat): one
 * panel of coloured cells, linear or log axes, a colour box, up to two marked points; for
 * the studies' sweeps (study.h), whose figures are no trajectories
 *
 * Each cell is a box from the midpoint to its left neighbour to the midpoint to its right
 * one (the geometric midpoint on a log axis), so uneven and log-spaced grids tile the
 * plane without gaps. The data go to FIG.heat.tsv: one block of the cells with a value (x,
 * y, the box's x and y ranges, the value), one of the cells without (drawn grey), one per
 * marked point. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "files.h"
#include "kind.h"
#include "script.h"

/* The edges of cell i of the n centres v: lo, hi. */
static void cell_edges(const double *v, int n, int logax, int i, double *lo, double *hi)
{
    const double a = i > 0 ? v[i - 1] : NAN, b = v[i], d = i + 1 < n ? v[i + 1] : NAN;
    if (logax) {
        *lo = i > 0 ? sqrt(a * b) : n > 1 ? b * sqrt(b / v[1]) : b / 1.5;
        *hi = i + 1 < n ? sqrt(b * d) : n > 1 ? b * sqrt(b / v[n - 2]) : b * 1.5;
    } else {
        *lo = i > 0 ? (a + b) / 2 : n > 1 ? b - (v[1] - b) / 2 : b - 0.5;
        *hi = i + 1 < n ? (b + d) / 2 : n > 1 ? b + (b - v[n - 2]) / 2 : b + 0.5;
    }
}

static int heat_write(plot_ctx *c, double xr[2], double yr[2], double zr[2])
{
    const lsc_plot_heat *h = c->heat;
    plot_file f;
    int rc = plot_open(c, ".heat.tsv", &f);
    if (rc)
        return rc;
    xr[0] = yr[0] = zr[0] = INFINITY;
    xr[1] = yr[1] = zr[1] = -INFINITY;
    fprintf(f.fp, "# cells with a value; cells without; marked points\n");
    for (int pass = 0; pass < 2; pass++) {
        fprintf(f.fp, "\n\n# %s\n", pass ? "no value" : "value");
        int kept = 0;
        for (int j = 0; j < h->ny; j++)
            for (int i = 0; i < h->nx; i++) {
                const double z = h->z[(size_t)j * h->nx + i];
                if ((!isfinite(z)) != pass)
                    continue;
                double x0, x1, y0, y1;
                cell_edges(h->x, h->nx, h->logx, i, &x0, &x1);
                cell_edges(h->y, h->ny, h->logy, j, &y0, &y1);
                fprintf(f.fp, "%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\n", h->x[i],
                        h->y[j], x0, x1, y0, y1, pass ? 0 : z);
                xr[0] = fmin(xr[0], x0), xr[1] = fmax(xr[1], x1);
                yr[0] = fmin(yr[0], y0), yr[1] = fmax(yr[1], y1);
                if (!pass)
                    zr[0] = fmin(zr[0], z), zr[1] = fmax(zr[1], z);
                kept++;
            }
        if (!kept) /* gnuplot refuses an empty block: a point off the view */
            fprintf(f.fp, "nan\tnan\tnan\tnan\tnan\tnan\t0\n");
    }
    for (int k = 0; k < 2; k++)
        fprintf(f.fp, "\n\n# mark %d\n%.17g\t%.17g\n", k, h->mark[k][0], h->mark[k][1]);
    return plot_close(c, &f);
}

static void heat_axis(plot_ctx *c, const char *axis, const char *label, int logscale,
                      const double r[2], double len, int horizontal)
{
    plot_printf(c, "set %slabel ", axis);
    plot_str(c, label);
    plot_printf(c, " noenhanced\n");
    if (logscale) {
        plot_printf(c, "set logscale %s 10\nset format %s '%%g'\n", axis, axis);
        if (!plot_log_tics(c, axis, r[0], r[1]))
            plot_fit_tics(c, axis, r[0], r[1], len, horizontal, 1);
    } else {
        plot_printf(c, "unset logscale %s\nset format %s '%%g'\n", axis, axis);
        plot_fit_tics(c, axis, r[0], r[1], len, horizontal, 0);
    }
    char a[32], b[32];
    plot_printf(c, "set %srange [%s:%s]\n", axis, plot_num(a, r[0]), plot_num(b, r[1]));
}

static int heat_emit(plot_ctx *c)
{
    const lsc_plot_heat *h = c->heat;
    double xr[2], yr[2], zr[2];
    int rc = heat_write(c, xr, yr, zr);
    if (rc)
        return rc;
    char nm[LSC_PLOT_PATH_MAX + 32];
    if ((rc = plot_script_begin(c, "heat map")) != LSC_OK)
        return rc;
    plot_title_caption(c, NULL, NULL, 1);
    const double em = plot_em(c);
    int nkey = 0, none = 0; /* the key's entries, two a row below the title */
    for (size_t i = 0; i < (size_t)h->nx * h->ny; i++)
        none += !isfinite(h->z[i]);
    for (int m = 0; m < 2; m++)
        nkey += isfinite(h->mark[m][0]) && isfinite(h->mark[m][1]);
    nkey += none > 0;
    const double th = plot_title_h(c) + (0.3 + 1.3 * ((nkey + 1) / 2)) * em / c->height;
    plot_multiplot(c);
    const double left = fmax(6.4, plot_tics_em(c, yr[0], yr[1], h->logy, 1) + 3.2) * em;
    const double right = 9.0 * em; /* the colour box, its tics and its label */
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", left / c->width,
                1 - right / c->width);
    plot_printf(c, "set tmargin at screen %.4f\n", 1 - th - 0.6 * em / c->height);
    plot_printf(c, "set bmargin at screen %.4f\n", c->cap_h + 3.6 * em / c->height);
    heat_axis(c, "x", c->o->xlabel[0] ? c->o->xlabel : "x", h->logx, xr,
              c->width - left - right, 1);
    heat_axis(c, "y", c->o->ylabel[0] ? c->o->ylabel : "y", h->logy, yr, 0.7 * c->height, 0);
    if (isfinite(zr[0])) {
        char a[32], b[32];
        plot_printf(c, "set cbrange [%s:%s]\n", plot_num(a, zr[0]),
                    plot_num(b, zr[1] > zr[0] ? zr[1] : zr[0] + 1));
    }
    plot_printf(c, "set colorbox vertical user origin screen %.4f, screen %.4f size screen "
                   "%.4f, screen %.4f\nset cblabel ",
                1 - right / c->width + 0.8 * em / c->width, c->cap_h + 3.6 * em / c->height,
                1.2 * em / c->width, 1 - th - 0.6 * em / c->height - c->cap_h - 3.6 * em / c->height);
    plot_str(c, h->zlabel ? h->zlabel : "");
    plot_printf(c, " noenhanced\nset tics front\nset border front\nunset grid\n"
                   "set key at screen 0.5, screen %.4f center top horizontal Left reverse "
                   "noenhanced samplen 1 width 1\n",
                1 - plot_title_h(c) - 0.2 * em / c->height);
    const char *pn = plot_fname(c, ".heat.tsv", nm, sizeof nm);
    plot_clauses k = {c, "plot", 0};
    plot_clause(&k);
    plot_fileref(c, pn);
    plot_printf(c, " index 0 using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder "
                   "lc palette notitle");
    if (none) {
        plot_clause(&k);
        plot_fileref(c, pn);
        plot_printf(c, " index 1 using 1:2:3:4:5:6 with boxxyerror fs solid 1.0 noborder "
                       "lc rgb '#BBBBBB' title ");
        plot_str(c, h->none_label && h->none_label[0] ? h->none_label : "no value");
    }
    /* mark 0: a white dot in a black ring (seen on dark and light cells and in the key) */
    static const char *const sym[2] = {"pt 6 ps 1.8 lw 1.5 lc rgb '#000000'",
                                       "pt 6 ps 2.6 lw 2.5 lc rgb '#D7191C'"};
    for (int m = 0; m < 2; m++) {
        if (!isfinite(h->mark[m][0]) || !isfinite(h->mark[m][1]))
            continue;
        if (m == 0) {
            plot_clause(&k);
            plot_fileref(c, pn);
            plot_printf(c, " index 2 using 1:2 with points pt 7 ps 1.8 lc rgb '#FFFFFF' "
                           "notitle");
        }
        plot_clause(&k);
        plot_fileref(c, pn);
        plot_printf(c, " index %d using 1:2 with points %s title ", 2 + m, sym[m]);
        plot_str(c, h->mark_label[m] ? h->mark_label[m] : "");
    }
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

const plot_kind_type plot_kind_heat = {
    .name = "heat",
    .id = LSC_PLOT_CURVES, /* not in the registry: drawn by lsc_plot_render_heat only */
    .summary = "a number over a grid of two parameters",
    .keys = NULL,
    .flags = 0,
    .grid = 0,
    .width = 900,
    .height = 680,
    .check = NULL,
    .emit = heat_emit,
};
