/* layers.c — kind layers: a per-layer statistic of a trajectory's per-layer block
 * (layer_stats on, trajectory.h) against the layer index
 *
 *   quantity=g|w|a|sat|h   the family drawn (default: the block's first): g |df/dW_l|,
 *                          w |W_l|, a the pre-activations' standard deviation, sat the
 *                          saturated fraction, h an rnn's |df/dh_t|
 *   view=lines (default)   the statistic against the layer index, one line per recorded
 *                          step (one run: at most LY_MAXLINES rows chosen evenly, the first
 *                          and the last among them, coloured from light to dark by step and
 *                          labelled by it) or per run (several runs: each at its last
 *                          recorded step <= step=, default its last)
 *   view=heat              run run= (default 0): layer against step, the colour the
 *                          statistic (each recorded row a column of cells; at most LY_MAXCOLS
 *                          rows, chosen evenly)
 *
 * g, w, a and h are drawn on a log axis (a value <= 0 or nan has no place there: left out,
 * and the caption says how many), sat on a linear one from 0 to 1. The automatic caption
 * gives the measured factor per layer for g and h: the geometric mean of l_{k}/l_{k+1}
 * from the last hidden layer down to the first (an mlp's output layer has another shape,
 * so it is left out of the factor), (v_1 / v_{L'})^{1/(L'-1)}, at the first line drawn
 * and at the last.
 *
 * Data: FIG.layers.tsv, one block per line (layer, value) or, for the heat map, one cell
 * a line (step, layer, colour value, half widths).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "files.h"
#include "kind.h"
#include "script.h"

#define LY_MAXLINES 6  /* lines of one run's steps */
#define LY_MAXRUNS 12  /* lines of several runs (the first 12) */
#define LY_MAXCOLS 300 /* columns of the heat map */

/* The family a figure draws: quantity=, else the block's first. */
static int ly_family(const plot_ctx *c)
{
    if (c->o->layer_q >= 0)
        return c->o->layer_q;
    return c->t->layer_fams ? __builtin_ctz(c->t->layer_fams) : 0;
}

static int ly_log(int f)
{
    return f != LSC_LCOL_SAT;
}

/* What the y axis (lines) or the colour (heat) says. */
static const char *ly_label(const plot_ctx *c, int f)
{
    switch (f) {
    case LSC_LCOL_G:
        return plot_sym(c, "‖∂f/∂W_l‖", "$\\|\\partial f/\\partial W_l\\|$", "|df/dW_l|");
    case LSC_LCOL_W: return plot_sym(c, "‖W_l‖", "$\\|W_l\\|$", "|W_l|");
    case LSC_LCOL_A: return "std of the pre-activations";
    case LSC_LCOL_SAT: return "saturated fraction";
    default:
        return plot_sym(c, "‖∂f/∂h_t‖", "$\\|\\partial f/\\partial h_t\\|$", "|df/dh_t|");
    }
}

/* A value drawn: finite, and > 0 on a log axis. */
static int ly_keep(double v, int logy)
{
    return isfinite(v) && !(logy && v <= 0);
}

/* The row of run r at the last recorded step <= step (step < 0: the last row). */
static size_t ly_row_at(const lsc_run_record *r, long step)
{
    size_t k = r->len - 1;
    if (step >= 0)
        while (k > 0 && r->step[k] > step)
            k--;
    return k;
}

/* The lines drawn: (run, row) pairs into run[], row[]; returns how many. */
static int ly_lines(const plot_ctx *c, int *run, size_t *row)
{
    const lsc_trajectory *t = c->t;
    int m = 0;
    if (t->nruns > 1) {
        for (int i = 0; i < t->nruns && m < LY_MAXRUNS; i++)
            if (t->runs[i].len > 0) {
                run[m] = i;
                row[m++] = ly_row_at(&t->runs[i], c->o->step);
            }
        return m;
    }
    const size_t len = t->runs[0].len, want = len < LY_MAXLINES ? len : LY_MAXLINES;
    for (size_t j = 0; j < want; j++) { /* evenly by row, the first and the last among them */
        size_t k = want > 1 ? (j * (len - 1) + (want - 1) / 2) / (want - 1) : len - 1;
        if (m > 0 && row[m - 1] == k)
            continue;
        run[m] = 0;
        row[m++] = k;
    }
    return m;
}

/* Colour j of m, light to dark (viridis-like anchors, interpolated): later steps darker. */
static void ly_grade(int j, int m, char *buf, size_t len)
{
    /* viridis from its yellow-green (pure yellow is too faint on white) to its purple */
    static const double anchor[5][3] = {{160, 208, 40}, {53, 183, 121}, {33, 145, 140},
                                        {59, 82, 139}, {68, 1, 84}};
    const double u = m > 1 ? 4.0 * j / (m - 1) : 4;
    const int a = plot_clamp_int(floor(u), 0, 3);
    const double w = u - a;
    int rgb[3];
    for (int q = 0; q < 3; q++)
        rgb[q] = plot_clamp_int((1 - w) * anchor[a][q] + w * anchor[a + 1][q] + 0.5, 0, 255);
    plot_spf(buf, len, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
}

/* The factor per layer of a line, (v_1 / v_last)^(1 / (last - 1)), last the last hidden
 * layer (g of an mlp: L - 1) or L; NAN when it has no meaning (fewer than 2 layers, a
 * value <= 0). */
static double ly_factor(const plot_ctx *c, int f, int run, size_t row)
{
    const lsc_trajectory *t = c->t;
    const int last = f == LSC_LCOL_G && (t->layer_fams >> LSC_LCOL_SAT & 1) ? t->layers - 1
                                                                              : t->layers;
    if (last < 2)
        return NAN;
    const double v1 = lsc_run_record_layer(t, &t->runs[run], row, f, 1);
    const double vl = lsc_run_record_layer(t, &t->runs[run], row, f, last);
    if (!(v1 > 0 && vl > 0))
        return NAN;
    return pow(v1 / vl, 1.0 / (last - 1));
}

/* FIG.layers.tsv for the lines; *dropped counts the values left out, yr their range. */
static int ly_write_lines(plot_ctx *c, int f, const int *run, const size_t *row, int m,
                          int *dropped, double yr[2])
{
    plot_file fl;
    int rc = plot_open(c, ".layers.tsv", &fl);
    if (rc)
        return rc;
    const lsc_trajectory *t = c->t;
    *dropped = 0;
    yr[0] = INFINITY;
    yr[1] = -INFINITY;
    fprintf(fl.fp, "# one block per line: layer, %s\n", lsc_layer_columns[f].prefix);
    for (int j = 0; j < m; j++) {
        const lsc_run_record *r = &t->runs[run[j]];
        fprintf(fl.fp, "\n\n# run %d step %ld\n", run[j], r->step[row[j]]);
        int kept = 0;
        for (int l = 1; l <= t->layers; l++) {
            const double v = lsc_run_record_layer(t, r, row[j], f, l);
            if (!ly_keep(v, ly_log(f))) {
                *dropped += !(f == LSC_LCOL_SAT && isnan(v)); /* sat: the output layer */
                continue;
            }
            fprintf(fl.fp, "%d\t%.17g\n", l, v);
            yr[0] = fmin(yr[0], v);
            yr[1] = fmax(yr[1], v);
            kept++;
        }
        if (!kept)
            fprintf(fl.fp, "nan\tnan\n");
    }
    return plot_close(c, &fl);
}

/* FIG.layers.tsv for the heat map of run ri: one cell a line, x the step (half widths to
 * the neighbouring columns), y the layer, the colour log10 of the value (sat: itself). */
static int ly_write_heat(plot_ctx *c, int f, int ri, int *dropped, double zr[2], double xr[2])
{
    plot_file fl;
    int rc = plot_open(c, ".layers.tsv", &fl);
    if (rc)
        return rc;
    const lsc_trajectory *t = c->t;
    const lsc_run_record *r = &t->runs[ri];
    const size_t len = r->len, cols = len < LY_MAXCOLS ? len : LY_MAXCOLS;
    *dropped = 0;
    zr[0] = xr[0] = INFINITY;
    zr[1] = xr[1] = -INFINITY;
    fprintf(fl.fp, "# one cell a line: step, layer, %s%s%s, half width, half height\n",
            ly_log(f) ? "log10(" : "", lsc_layer_columns[f].prefix, ly_log(f) ? ")" : "");
    for (size_t j = 0; j < cols; j++) {
        const size_t k = cols > 1 ? j * (len - 1) / (cols - 1) : 0;
        const size_t kp = cols > 1 && j > 0 ? (j - 1) * (len - 1) / (cols - 1) : k;
        const size_t kn = cols > 1 && j + 1 < cols ? (j + 1) * (len - 1) / (cols - 1) : k;
        const double x = (double)r->step[k];
        double lo = 0.5 * ((double)r->step[kp] + x), hi = 0.5 * ((double)r->step[kn] + x);
        if (kp == k)
            lo = x - (hi - x);
        if (kn == k)
            hi = x + (x - lo);
        if (hi <= lo)
            lo = x - 0.5, hi = x + 0.5;
        xr[0] = fmin(xr[0], lo);
        xr[1] = fmax(xr[1], hi);
        for (int l = 1; l <= t->layers; l++) {
            const double v = lsc_run_record_layer(t, r, k, f, l);
            if (!ly_keep(v, ly_log(f))) {
                *dropped += !(f == LSC_LCOL_SAT && isnan(v));
                continue;
            }
            const double z = ly_log(f) ? log10(v) : v;
            fprintf(fl.fp, "%.17g\t%d\t%.17g\t%.17g\t%.17g\n", 0.5 * (lo + hi), l, z,
                    0.5 * (hi - lo), 0.5);
            zr[0] = fmin(zr[0], z);
            zr[1] = fmax(zr[1], z);
        }
    }
    if (!isfinite(zr[0]))
        fprintf(fl.fp, "nan\tnan\tnan\t0\t0\n");
    return plot_close(c, &fl);
}

/* The title: the family, the landscape's type (its full spec is in the file) and L. */
static void ly_title(const plot_ctx *c, int f, char *buf, size_t len)
{
    const char *spec = c->t->landscape, *colon = strchr(spec, ':');
    const int n = colon ? (int)(colon - spec) : (int)strlen(spec);
    plot_spf(buf, len, "%s per %s: %.*s, %d %s%s", ly_label(c, f),
             f == LSC_LCOL_H ? "time step" : "layer", n, spec, c->t->layers,
             f == LSC_LCOL_H ? "time step" : "layer", c->t->layers == 1 ? "" : "s");
}

/* The caption's measurement: the factor per layer at the first and the last line. */
static void ly_caption(plot_ctx *c, int f, const int *run, const size_t *row, int m,
                       int dropped)
{
    char extra[512] = "";
    const char *unit = f == LSC_LCOL_H ? "time step" : "layer";
    const lsc_trajectory *t = c->t;
    const double q0 = m > 0 && (f == LSC_LCOL_G || f == LSC_LCOL_H)
                          ? ly_factor(c, f, run[0], row[0]) : NAN;
    if (isfinite(q0)) {
        const int last = f == LSC_LCOL_G && (t->layer_fams >> LSC_LCOL_SAT & 1) ? t->layers - 1
                                                                                  : t->layers;
        plot_spf(extra, sizeof extra, "Measured factor per %s, from %s %d down to 1 "
                 "(geometric mean): %.3g at step %ld", unit, unit, last, q0,
                 t->runs[run[0]].step[row[0]]);
        const double q1 = m > 1 ? ly_factor(c, f, run[m - 1], row[m - 1]) : NAN;
        size_t l = strlen(extra);
        if (isfinite(q1))
            plot_spf(extra + l, sizeof extra - l, ", %.3g at step %ld", q1,
                     t->runs[run[m - 1]].step[row[m - 1]]);
        l = strlen(extra);
        plot_spf(extra + l, sizeof extra - l, ".");
    }
    if (dropped) {
        size_t l = strlen(extra);
        plot_spf(extra + l, sizeof extra - l, "%s%d value%s <= 0 or nan left out (log axis).",
                 l ? " " : "", dropped, dropped > 1 ? "s" : "");
    }
    char title[2 * LSC_VALUE_MAX];
    ly_title(c, f, title, sizeof title);
    plot_title_caption(c, title, extra, 1);
}

static void ly_axis_x(plot_ctx *c, const char *label)
{
    plot_printf(c, "set xlabel ");
    plot_str(c, c->o->xlabel[0] ? c->o->xlabel : label);
    plot_printf(c, " noenhanced\n");
}

static void ly_margins(plot_ctx *c, double left_em, double right_em, double top)
{
    const double em = plot_em(c);
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n",
                left_em * em / c->width, 1 - right_em * em / c->width);
    plot_printf(c, "set tmargin at screen %.4f\n", top);
    plot_printf(c, "set bmargin at screen %.4f\n", c->cap_h + 3.6 * em / c->height);
}

static int ly_emit_lines(plot_ctx *c, int f)
{
    int run[LY_MAXRUNS], dropped, rc;
    size_t row[LY_MAXRUNS];
    const int m = ly_lines(c, run, row);
    double yr[2];
    if ((rc = ly_write_lines(c, f, run, row, m, &dropped, yr)) != LSC_OK)
        return rc;
    if ((rc = plot_script_begin(c, "per-layer statistic against the layer")) != LSC_OK)
        return rc;
    ly_caption(c, f, run, row, m, dropped);
    const double em = plot_em(c);
    plot_multiplot(c);
    /* the key right of the plot, in a column of its own */
    double kw = 0;
    for (int j = 0; j < m; j++)
        kw = fmax(kw, plot_user_em(c, c->t->nruns > 1 ? c->t->runs[run[j]].label : "step 00000"));
    kw = fmin(kw, 24) + 6;
    ly_margins(c, fmax(6.4, plot_tics_em(c, yr[0], yr[1], ly_log(f), 1) + 3.2), kw,
               1 - plot_title_h(c) - 0.8 * em / c->height);
    ly_axis_x(c, f == LSC_LCOL_H ? "time step t" : "layer l");
    plot_printf(c, "set ylabel ");
    plot_str(c, c->o->ylabel[0] ? c->o->ylabel : ly_label(c, f));
    plot_printf(c, " noenhanced\nset tics nomirror\nset grid lc rgb '#DDDDDD'\n");
    if (ly_log(f)) {
        plot_printf(c, "set logscale y 10\nset format y '%s'\n",
                    plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        if (isfinite(yr[0]))
            plot_log_tics(c, "y", yr[0], yr[1]);
    } else {
        plot_printf(c, "set yrange [0:1]\n");
    }
    if (isfinite(c->o->ylim[0])) {
        char a[32], b[32];
        plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, c->o->ylim[0]),
                    plot_num(b, c->o->ylim[1]));
    }
    plot_printf(c, "set xrange [%g:%g]\n", 0.5, c->t->layers + 0.5);
    plot_fit_tics(c, "x", 1, c->t->layers, c->width * 0.8, 1, 0);
    plot_printf(c, "set key at screen %.4f, screen %.4f left top vertical Left reverse "
                   "noenhanced samplen 2.5\n", 1 - (kw - 1.0) * em / c->width,
                1 - plot_title_h(c) - 0.8 * em / c->height);
    char nm[LSC_PLOT_PATH_MAX + 32], colour[16], label[LSC_NAME_MAX + 32];
    const char *pn = plot_fname(c, ".layers.tsv", nm, sizeof nm);
    plot_clauses k = {c, "plot", 0};
    for (int j = 0; j < m; j++) {
        const lsc_run_record *r = &c->t->runs[run[j]];
        plot_clause(&k);
        plot_fileref(c, pn);
        if (c->t->nruns > 1) {
            plot_printf(c, " index %d using 1:2 with linespoints lt %d lw 2 pt 7 ps 0.6", j,
                        1 + run[j] % 8);
            plot_spf(label, sizeof label, "%s (step %ld)", r->label, r->step[row[j]]);
        } else {
            ly_grade(j, m, colour, sizeof colour);
            plot_printf(c, " index %d using 1:2 with linespoints lc rgb '%s' lw 2 pt 7 ps 0.6",
                        j, colour);
            plot_spf(label, sizeof label, "step %ld", r->step[row[j]]);
        }
        plot_printf(c, " title ");
        plot_str(c, label);
    }
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

static int ly_emit_heat(plot_ctx *c, int f)
{
    const int ri = c->o->run;
    int dropped, rc;
    double zr[2], xr[2];
    if ((rc = ly_write_heat(c, f, ri, &dropped, zr, xr)) != LSC_OK)
        return rc;
    if ((rc = plot_script_begin(c, "per-layer statistic, layer against step")) != LSC_OK)
        return rc;
    const lsc_run_record *r = &c->t->runs[ri];
    int runs[2] = {ri, ri};
    size_t rows[2] = {0, r->len - 1};
    ly_caption(c, f, runs, rows, r->len > 1 ? 2 : 1, dropped);
    const double em = plot_em(c);
    plot_multiplot(c);
    ly_margins(c, 6.4, 11.0, 1 - plot_title_h(c) - 0.8 * em / c->height);
    ly_axis_x(c, "step");
    plot_printf(c, "set ylabel ");
    plot_str(c, c->o->ylabel[0] ? c->o->ylabel : f == LSC_LCOL_H ? "time step t" : "layer l");
    plot_printf(c, " noenhanced\nset tics nomirror out\nunset grid\nunset key\n");
    char a[32], b[32];
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, isfinite(xr[0]) ? xr[0] : 0),
                plot_num(b, isfinite(xr[1]) ? xr[1] : 1));
    plot_printf(c, "set yrange [0.5:%d.5]\n", c->t->layers);
    plot_fit_tics(c, "y", 1, c->t->layers, c->height * 0.6, 0, 0);
    /* the colour: viridis, dark (small) to yellow (large), the scale in the colour box */
    plot_printf(c, "set palette defined (0 '#440154', 1 '#3B528B', 2 '#21918C', 3 '#5EC962', "
                   "4 '#FDE725')\nset colorbox vertical user origin screen %.4f, screen %.4f "
                   "size screen %.4f, screen %.4f\n",
                1 - 8.6 * em / c->width, c->cap_h + 3.6 * em / c->height, 1.2 * em / c->width,
                0.6);
    if (ly_log(f)) {
        plot_printf(c, "set cblabel ");
        char cl[128];
        plot_spf(cl, sizeof cl, "log10 %s", ly_label(c, f));
        plot_str(c, cl);
        plot_printf(c, " noenhanced\n");
    } else {
        plot_printf(c, "set cbrange [0:1]\nset cblabel ");
        plot_str(c, ly_label(c, f));
        plot_printf(c, " noenhanced\n");
    }
    if (ly_log(f) && isfinite(zr[0]) && zr[1] > zr[0])
        plot_printf(c, "set cbrange [%s:%s]\n", plot_num(a, zr[0]), plot_num(b, zr[1]));
    char nm[LSC_PLOT_PATH_MAX + 32];
    const char *pn = plot_fname(c, ".layers.tsv", nm, sizeof nm);
    plot_clauses k = {c, "plot", 0};
    plot_clause(&k);
    plot_fileref(c, pn);
    plot_printf(c, " using 1:2:4:5:3 with boxxyerror fill solid 1.0 noborder lc palette "
                   "notitle");
    plot_clauses_end(&k);
    plot_caption_off(c);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

/* The trajectory's block has the family drawn; run= names a run of it (heat). */
static int ly_check_block(const plot_ctx *c, int f)
{
    const lsc_trajectory *t = c->t;
    if (t->layers == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=layers: the trajectory has no per-layer "
                      "columns (record it with layer_stats on, on mlp, deep-linear, chain or "
                      "rnn)");
        return LSC_EINVAL;
    }
    if (!(t->layer_fams >> f & 1)) {
        char have[64] = "";
        for (int q = 0; q < LSC_NLCOLS; q++)
            if (t->layer_fams >> q & 1) {
                size_t l = strlen(have);
                plot_spf(have + l, sizeof have - l, "%s%s", l ? ", " : "",
                         lsc_layer_columns[q].prefix);
            }
        lsc_error_set(c->err, LSC_EINVAL, "quantity=%s: the trajectory's per-layer columns "
                      "are %s", lsc_layer_columns[f].prefix, have);
        return LSC_EINVAL;
    }
    if (c->o->run >= t->nruns || t->runs[c->o->run].len == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "run=%d: the trajectory has %d run%s (0 to %d)%s",
                      c->o->run, t->nruns, t->nruns == 1 ? "" : "s", t->nruns - 1,
                      c->o->run < t->nruns ? ", and this one has no rows" : "");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static int layers_emit(plot_ctx *c)
{
    const int f = ly_family(c);
    int rc = ly_check_block(c, f);
    if (rc)
        return rc;
    return c->o->layers_view == 1 ? ly_emit_heat(c, f) : ly_emit_lines(c, f);
}

/* Before any work: view given as the surface's angles is not this kind's. */
static int layers_check(const plot_kind_type *K, const lsc_plot_opts *o,
                        const lsc_landscape *L, const plot_need *need, lsc_error *err)
{
    (void)K;
    (void)L;
    (void)need;
    int view = 0; /* the option table's row of view (bit of user_set) */
    while (lsc_plot_keys[view].key && strcmp(lsc_plot_keys[view].key, "view"))
        view++;
    if (o->layers_view < 0 && (o->user_set >> view & 1)) {
        lsc_error_set(err, LSC_EINVAL, "view: kind layers takes view=lines or view=heat (angles "
                      "are for kind surface)");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static const char *const layers_keys[] = {"quantity", "view", "run", "step", "ylim", NULL};

const plot_kind_type plot_kind_layers = {
    .name = "layers",
    .id = LSC_PLOT_LAYERS,
    .summary = "per-layer statistics (layer_stats) against the layer, or layer x step heat map",
    .keys = layers_keys,
    .flags = PLOT_NEEDS_TRAJECTORY,
    .grid = 0,
    .width = 1000,
    .height = 640,
    .check = layers_check,
    .emit = layers_emit,
};
