/* plot_kinds.c — one emitter per figure kind: its data files, then the script's
 * settings and plot commands (after plot_script_begin wrote header, style, terminal) */
#include "plot_priv.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "lsc_version.h"
#include "optim.h"

/* ---- plot clause lists ------------------------------------------------------------------ */

typedef struct {
    plot_ctx *c;
    const char *cmd; /* "plot" or "splot" */
    int n;
} clauses;

static void cl_next(clauses *k)
{
    if (k->n++)
        plot_printf(k->c, ", \\\n     ");
    else
        plot_printf(k->c, "%s ", k->cmd);
}

static void cl_end(clauses *k)
{
    if (k->n)
        plot_printf(k->c, "\n");
    k->n = 0;
}

/* ---- paths ------------------------------------------------------------------------------ */

typedef struct {
    int block;    /* index block in the paths file; -1: nothing drawn */
    int rows;     /* rows written */
    int last_in;  /* last written row inside the view, -1 if none */
    int diverged; /* diverged, left the domain, or the optimizer failed */
    int group;    /* colour / legend group */
    int titled;   /* carries the group's legend entry */
    long *step;   /* step of each written row */
} path_info;

static void paths_free(path_info *pi, int n)
{
    for (int r = 0; pi && r < n; r++)
        free(pi[r].step);
    free(pi);
}

/* Number of leading rows whose coordinates are all finite (drawn up to there). */
static size_t finite_prefix(const lsc_trajectory *t, const lsc_run_record *R)
{
    size_t m = 0;
    for (; m < R->len; m++) {
        const double *x = R->x + m * (size_t)t->npos;
        int ok = 1;
        for (int j = 0; j < t->npos; j++)
            ok &= isfinite(x[j]) != 0;
        if (!ok)
            break;
    }
    return m;
}

/* k-th of K rows sampled evenly from m, first and last kept */
static size_t pick(size_t k, size_t K, size_t m)
{
    if (K <= 1 || m <= 1)
        return 0;
    return (size_t)((double)k * (double)(m - 1) / (double)(K - 1) + 0.5);
}

static size_t rows_drawn(const plot_ctx *c, size_t m)
{
    size_t mp = (size_t)c->o->max_points;
    return (mp && m > mp) ? mp : m;
}

/* plane coordinates of x: (x_0, x_1) without a projection, else d·(x - base) */
static void project(const lsc_trajectory *t, const double *x, const double *base,
                    const double *d1, const double *d2, double *a, double *b)
{
    if (!d1) {
        *a = x[0];
        *b = x[1];
        return;
    }
    double s = 0, u = 0;
    for (int j = 0; j < t->n; j++) {
        double p = x[j] - base[j];
        s += p * d1[j];
        u += p * d2[j];
    }
    *a = s;
    *b = u;
}

/* Bounding box of the drawn points (projected), for widening the view. */
static int paths_bbox(const plot_ctx *c, const double *base, const double *d1, const double *d2,
                      double bb[4])
{
    const lsc_trajectory *t = c->t;
    bb[0] = bb[2] = INFINITY;
    bb[1] = bb[3] = -INFINITY;
    int any = 0;
    if (!t || t->npos < 2)
        return 0;
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        size_t m = finite_prefix(t, R);
        if (R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN || m < R->len)
            continue; /* a run that blew up would only squash the view */
        size_t K = rows_drawn(c, m);
        for (size_t k = 0; k < K; k++) {
            double a, b;
            project(t, R->x + pick(k, K, m) * (size_t)t->npos, base, d1, d2, &a, &b);
            if (!isfinite(a) || !isfinite(b))
                continue;
            bb[0] = fmin(bb[0], a);
            bb[1] = fmax(bb[1], a);
            bb[2] = fmin(bb[2], b);
            bb[3] = fmax(bb[3], b);
            any = 1;
        }
    }
    return any;
}

/* Writes FIG<suffix>: one block per drawn run (two blank lines between blocks), columns
 * step a b f colour(f). */
static int write_paths(plot_ctx *c, const char *suffix, const double *base, const double *d1,
                       const double *d2, const double view[4], const plot_color *pc,
                       path_info **out, int *ngroups)
{
    const lsc_trajectory *t = c->t;
    path_info *pi = calloc((size_t)(t->nruns > 0 ? t->nruns : 1), sizeof *pi);
    int *group = malloc((size_t)(t->nruns + 1) * sizeof *group);
    int *first = malloc((size_t)(t->nruns + 1) * sizeof *first);
    if (!pi || !group || !first) {
        free(pi), free(group), free(first);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    *ngroups = plot_run_groups(t, group, first);
    plot_file f;
    int rc = plot_open(c, suffix, &f);
    if (rc) {
        free(pi), free(group), free(first);
        return rc;
    }
    fprintf(f.fp, "# paths, one block per run (gnuplot index 0, 1, ...): step a b f colour\n"
                  "# a b: %s; f: the loss there; colour: the value on the colour scale\n",
            d1 ? "coordinates in the slice plane" : "x y");
    int block = 0;
    for (int r = 0; r < t->nruns && rc == LSC_OK; r++) {
        const lsc_run_record *R = &t->runs[r];
        path_info *p = &pi[r];
        p->group = group[r];
        p->titled = first[group[r]] == r;
        p->block = -1;
        p->last_in = -1;
        size_t m = finite_prefix(t, R);
        p->diverged = R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
                      R->status == LSC_STOP_FAILED || m < R->len;
        size_t K = rows_drawn(c, m);
        if (K == 0)
            continue;
        p->step = malloc(K * sizeof *p->step);
        if (!p->step) {
            rc = LSC_ENOMEM;
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            break;
        }
        if (block)
            fputs("\n\n", f.fp);
        fprintf(f.fp, "# run %d\n", r);
        for (size_t k = 0; k < K; k++) {
            size_t i = pick(k, K, m);
            double a, b;
            project(t, R->x + i * (size_t)t->npos, base, d1, d2, &a, &b);
            double fv = R->loss[i];
            double z = pc && isfinite(fv) ? plot_color_value(pc, fv) : fv;
            fprintf(f.fp, "%ld %.10g %.10g %.10g %.10g\n", R->step[i], a, b, fv, z);
            p->step[k] = R->step[i];
            if (a >= view[0] && a <= view[1] && b >= view[2] && b <= view[3])
                p->last_in = (int)k;
        }
        p->rows = (int)K;
        p->block = block++;
    }
    free(group);
    free(first);
    if (rc) {
        plot_abort(&f);
        paths_free(pi, t->nruns);
        return rc;
    }
    rc = plot_close(c, &f);
    if (rc) {
        paths_free(pi, t->nruns);
        return rc;
    }
    *out = pi;
    return LSC_OK;
}

static int any_diverged(const plot_ctx *c, const path_info *pi)
{
    for (int r = 0; c->t && r < c->t->nruns; r++)
        if (pi[r].diverged && pi[r].block >= 0)
            return 1;
    return 0;
}

/* Paths with halo, start and end markers. using: "2:3" (2-D) or "2:3:5" (3-D). */
static void emit_paths(plot_ctx *c, clauses *k, const char *paths_name, const path_info *pi,
                       const char *using, int halo)
{
    const lsc_trajectory *t = c->t;
    char leg[LSC_VALUE_MAX];
    if (halo && !plot_is_text(c))
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            cl_next(k);
            plot_fileref(c, paths_name);
            plot_printf(c, " index %d using %s with lines lc rgb C_HALO lw LW_HALO notitle",
                        pi[r].block, using);
        }
    for (int r = 0; r < t->nruns; r++) {
        if (pi[r].block < 0)
            continue;
        cl_next(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d using %s with lines lt %d lw LW_PATH ", pi[r].block, using,
                    pi[r].group + 1);
        if (pi[r].titled) {
            plot_run_legend(t, r, leg, sizeof leg);
            plot_printf(c, "title ");
            plot_str(c, leg);
            plot_printf(c, " noenhanced");
        } else {
            plot_printf(c, "notitle");
        }
    }
    for (int r = 0; r < t->nruns; r++) {
        if (pi[r].block < 0)
            continue;
        cl_next(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d every ::0::0 using %s with points lt %d pt PT_START "
                    "ps PS_RUN lw 2 notitle", pi[r].block, using, pi[r].group + 1);
        int e = pi[r].diverged ? pi[r].last_in : pi[r].rows - 1;
        if (e < 0)
            continue;
        cl_next(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d every ::%d::%d using %s with points lt %d pt %s ps PS_RUN "
                    "lw 2 notitle", pi[r].block, e, e, using, pi[r].group + 1,
                    pi[r].diverged ? "PT_DIVERGED" : "PT_END");
    }
}

static void emit_marker_keys(plot_ctx *c, clauses *k, int diverged)
{
    cl_next(k);
    plot_printf(c, "keyentry with points pt PT_START ps PS_RUN lw 1.5 lc rgb '#000000' "
                "title 'start'");
    cl_next(k);
    plot_printf(c, "keyentry with points pt PT_END ps PS_RUN lc rgb '#000000' title 'end'");
    if (diverged) {
        cl_next(k);
        plot_printf(c, "keyentry with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000' "
                    "title 'diverged (last point in view)'");
    }
}

/* ---- landscape layers ------------------------------------------------------------------ */

static const char *const cp_label[4] = {"minimum", "maximum", "saddle point",
                                        "degenerate critical point"};
static const char *const cp_pt[4] = {"PT_MIN", "PT_MAX", "PT_SADDLE", "PT_DEGEN"};

/* Legend entries for the critical points drawn (after the runs in the key). */
static void emit_critical_keys(plot_ctx *c, clauses *k, const int present[4])
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        cl_next(k);
        plot_printf(c, "keyentry with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 "
                    "title '%s'", cp_pt[kind], cp_label[kind]);
    }
}

/* ---- legend panel --------------------------------------------------------------------------
 * Single-map figures put their key in a panel of its own along the bottom (a plot with
 * nothing but key entries), so the key can never squeeze or cover the map, whatever the
 * canvas size. */

#define LEG_MAX 40

typedef struct {
    int n;
    char style[LEG_MAX][128];
    char text[LEG_MAX][160];
    int user[LEG_MAX]; /* text came from a user: quoted, noenhanced */
    int essential[LEG_MAX];
} legend;

static void leg_add(legend *L, const char *style, const char *text, int user, int essential)
{
    if (L->n >= LEG_MAX)
        return;
    plot_spf(L->style[L->n], sizeof L->style[0], "%s", style);
    plot_spf(L->text[L->n], sizeof L->text[0], "%s", text);
    L->user[L->n] = user;
    L->essential[L->n] = essential;
    L->n++;
}

static void leg_runs(const plot_ctx *c, legend *L, const path_info *pi)
{
    char st[128], leg[LSC_VALUE_MAX];
    for (int r = 0; pi && r < c->t->nruns; r++) {
        if (pi[r].block < 0 || !pi[r].titled)
            continue;
        plot_spf(st, sizeof st, "with lines lt %d lw LW_PATH", pi[r].group + 1);
        plot_run_legend(c->t, r, leg, sizeof leg);
        leg_add(L, st, leg, 1, 1);
    }
}

static void leg_markers(legend *L, int diverged, int current)
{
    leg_add(L, "with points pt PT_START ps PS_RUN lw 1.5 lc rgb '#000000'", "start", 0, 0);
    if (current)
        leg_add(L, "with points pt PT_CURRENT ps PS_RUN lc rgb '#000000'", "current", 0, 0);
    else
        leg_add(L, "with points pt PT_END ps PS_RUN lc rgb '#000000'", "end", 0, 0);
    if (diverged)
        leg_add(L, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'", "diverged", 0,
                0);
}

static void leg_critical(legend *L, const int present[4])
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    char st[128];
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        plot_spf(st, sizeof st, "with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5",
                 cp_pt[kind]);
        leg_add(L, st, cp_label[kind], 0, 0);
    }
}

/* Columns and height (screen fraction) of the legend panel; drops the marker
 * explanations when the key would take more than a third of a small canvas. */
static double leg_layout(const plot_ctx *c, legend *L, int *cols)
{
    const int text = plot_is_text(c);
    const double fs = text ? 1 : plot_font_size(c);
    for (int pass = 0; pass < 2; pass++) {
        size_t maxlen = 4;
        for (int i = 0; i < L->n; i++)
            maxlen = strlen(L->text[i]) > maxlen ? strlen(L->text[i]) : maxlen;
        /* a column: sample and gaps (about 7 em) + text (about 0.65 em a character) */
        double colw = text ? (double)maxlen + 8 : ((double)maxlen * 0.65 + 7) * fs;
        int k = (int)((c->width - 2 * fs) / colw);
        k = k < 1 ? 1 : k > L->n ? L->n : k;
        int rows = L->n ? (L->n + k - 1) / k : 0;
        /* a key row is about 1.75 em high at the style's key spacing */
        double h = text ? (rows + 1.0) / c->height : (rows * 1.8 * fs + 1.0 * fs) / c->height;
        if (h <= 0.18 || pass == 1) {
            *cols = k;
            return L->n ? h : 0;
        }
        int w = 0;
        for (int i = 0; i < L->n; i++)
            if (L->essential[i]) {
                if (w != i) {
                    memcpy(L->style[w], L->style[i], sizeof L->style[0]);
                    memcpy(L->text[w], L->text[i], sizeof L->text[0]);
                    L->user[w] = L->user[i];
                    L->essential[w] = 1;
                }
                w++;
            }
        L->n = w;
    }
    *cols = 1;
    return 0;
}

static void leg_panel(plot_ctx *c, const legend *L, double y0, double h, int cols)
{
    if (L->n == 0)
        return;
    plot_printf(c, "\n# legend\n");
    plot_printf(c, "set origin 0, %.4f\nset size noratio 1, %.4f\n", y0, h);
    plot_printf(c, "unset border; unset tics; unset xlabel; unset ylabel; unset colorbox; "
                   "unset label 1\n"
                   "set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0\n"
                   "set xrange [0:1]; set yrange [0:1]; unset logscale\n"
                   "set key center center horizontal Left reverse maxcols %d width 1\n", cols);
    clauses k = {c, "plot", 0};
    for (int i = 0; i < L->n; i++) {
        cl_next(&k);
        plot_printf(c, "keyentry %s title ", L->style[i]);
        plot_str(c, L->text[i]);
        if (L->user[i])
            plot_printf(c, " noenhanced");
    }
    cl_next(&k);
    plot_printf(c, "NaN notitle");
    cl_end(&k);
}

/* Space at the top for the multiplot title. */
static double title_h(const plot_ctx *c)
{
    if (!c->title[0])
        return plot_is_text(c) ? 0 : 0.4 * plot_font_size(c) / c->height;
    return plot_is_text(c) ? 2.0 / c->height : 2.4 * plot_font_size(c) * 1.15 / c->height;
}

static void emit_critical(plot_ctx *c, clauses *k, const char *cp_name, const int present[4],
                          const char *zexpr)
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        char u[64];
        if (zexpr)
            plot_spf(u, sizeof u, "1:($3==%d?$2:NaN):(%s)", kind, zexpr);
        else
            plot_spf(u, sizeof u, "1:($3==%d?$2:NaN)", kind);
        if (!plot_is_text(c)) {
            cl_next(k);
            plot_fileref(c, cp_name);
            plot_printf(c, " using %s with points pt %s lc rgb C_CRIT_FILL ps PS_CRIT notitle",
                        u, cp_pt[kind]);
        }
        cl_next(k);
        plot_fileref(c, cp_name);
        plot_printf(c, " using %s with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 "
                    "notitle", u, cp_pt[kind]);
    }
}

static void emit_grid_source(plot_ctx *c, const plot_grid *g, const char *name, int three_d)
{
    char a[32], b[32], dx[32], dy[32];
    plot_fileref(c, name);
    plot_printf(c, " binary array=(%d,%d) format='%%float32' endian=little origin=(%s,%s%s) "
                "dx=%s dy=%s", g->nx, g->ny, plot_num(a, g->x0), plot_num(b, g->y0),
                three_d ? ",0" : "", plot_num(dx, (g->x1 - g->x0) / (g->nx - 1)),
                plot_num(dy, (g->y1 - g->y0) / (g->ny - 1)));
}

/* Small figures get a short colour-box label; the constants go to the caption. */
static int colour_label_short(const plot_ctx *c)
{
    return !plot_is_text(c) && c->height < 600;
}

/* The caption's note on the colour scale, when the colour box label is the short one. */
static void colour_note(const plot_ctx *c, const plot_color *pc, char *buf, size_t len)
{
    buf[0] = '\0';
    if (pc->log && colour_label_short(c))
        plot_spf(buf, len, "Colour: log scale of %s, %s = %.6g, %s = %.3g.",
                 pc->known_min ? plot_sym(c, "f − f* + ε", "f - f* + eps", "f - f* + eps")
                               : plot_sym(c, "f − fmin + ε", "f - fmin + eps", "f - fmin + eps"),
                 pc->known_min ? "f*" : "fmin", pc->fmin,
                 plot_sym(c, "ε", "eps", "eps"), pc->eps);
}

/* Colour-scale settings and the COLOR() function the plot commands use. */
static void emit_colour_scale(plot_ctx *c, const plot_color *pc, int cb, const char *axis)
{
    char a[32], b[32];
    if (strcmp(axis, "cb")) {
        /* z of a surface: the same scale as the colours, unlabelled (the colour box is) */
    } else if (pc->log) {
        plot_printf(c, "FMIN = %s; EPS = %s\nCOLOR(f) = f - FMIN + EPS\n",
                    plot_num(a, pc->fmin), plot_num(b, pc->eps));
    } else if (!strcmp(axis, "cb")) {
        plot_printf(c, "COLOR(f) = f\n");
    }
    if (!cb)
        return;
    plot_printf(c, "set %srange [%s:%s]\n", axis, plot_num(a, pc->lo), plot_num(b, pc->hi));
    if (pc->log) {
        plot_printf(c, "set logscale %s 10\n", axis);
        if (pc->hi / pc->lo >= 100)
            plot_printf(c, "set format %s '%s'\n", axis,
                        plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        else
            plot_printf(c, "set format %s '%%g'\n", axis);
    }
    /* label: honest about the transformation (details in the caption when small) */
    char lab[256], e1[32], fm[32];
    if (pc->log && colour_label_short(c)) {
        plot_spf(lab, sizeof lab, "%s", pc->known_min
                 ? plot_sym(c, "f(x) − f* + ε", "$f(x) - f^* + \\varepsilon$", "f - f* + eps")
                 : plot_sym(c, "f(x) − f_{min} + ε", "$f(x) - f_{\\min} + \\varepsilon$",
                            "f - fmin + eps"));
    } else if (pc->log) {
        int k = (int)lround(log10(pc->eps));
        plot_spf(e1, sizeof e1, c->term == TERM_TEX ? "$10^{%d}$" : c->term == TERM_DUMB ?
                 "1e%d" : "10^{%d}", k);
        plot_spf(fm, sizeof fm, "%.6g", pc->fmin);
        if (c->term == TERM_TEX)
            plot_spf(lab, sizeof lab, "$f(x) - %s + \\varepsilon$ ($%s = %s$, $\\varepsilon$ = %s)",
                     pc->known_min ? "f^*" : "f_{\\min}", pc->known_min ? "f^*" : "f_{\\min}",
                     fm, e1);
        else if (c->term == TERM_DUMB)
            plot_spf(lab, sizeof lab, "f - %s + eps (%s = %s, eps = %s)",
                     pc->known_min ? "f*" : "fmin", pc->known_min ? "f*" : "fmin", fm, e1);
        else
            plot_spf(lab, sizeof lab, "f(x) − %s + ε   (%s = %s, ε = %s)",
                     pc->known_min ? "f*" : "f_{min}", pc->known_min ? "f*" : "f_{min}", fm, e1);
    } else {
        plot_spf(lab, sizeof lab, "%s", plot_sym(c, "f(x)", "$f(x)$", "f(x)"));
    }
    if (!strcmp(axis, "cb"))
        plot_printf(c, "set %slabel '%s' enhanced offset 1,0\n", axis, lab);
}

/* The view box: limits, else the landscape's box widened to the paths of the runs that
 * did not blow up (at most by half the box size on each side). */
static void map_view(const plot_ctx *c, double v[4])
{
    const lsc_plot_opts *o = c->o;
    double lo[2], hi[2];
    lsc_landscape_box(c->L, lo, hi);
    v[0] = lo[0];
    v[1] = hi[0];
    v[2] = lo[1];
    v[3] = hi[1];
    double bb[4];
    if (paths_bbox(c, NULL, NULL, NULL, bb)) {
        double wx = v[1] - v[0], wy = v[3] - v[2];
        v[0] = fmin(v[0], fmax(bb[0] - 0.05 * wx, lo[0] - 0.5 * wx));
        v[1] = fmax(v[1], fmin(bb[1] + 0.05 * wx, hi[0] + 0.5 * wx));
        v[2] = fmin(v[2], fmax(bb[2] - 0.05 * wy, lo[1] - 0.5 * wy));
        v[3] = fmax(v[3], fmin(bb[3] + 0.05 * wy, hi[1] + 0.5 * wy));
    }
    if (isfinite(o->xlim[0])) {
        v[0] = o->xlim[0];
        v[1] = o->xlim[1];
    }
    if (isfinite(o->ylim[0])) {
        v[2] = o->ylim[0];
        v[3] = o->ylim[1];
    }
}

static void auto_title(const plot_ctx *c, const path_info *pi, int ngroups, char *buf,
                       size_t len)
{
    char ls[LSC_VALUE_MAX];
    plot_short_landscape(c->L, c->t ? c->t->landscape : NULL, ls, sizeof ls);
    if (c->t && ngroups == 1 && pi) {
        for (int r = 0; r < c->t->nruns; r++)
            if (pi[r].titled) {
                char leg[LSC_VALUE_MAX];
                plot_run_legend(c->t, r, leg, sizeof leg);
                plot_spf(buf, len, "%s%s%s", ls, plot_sym(c, " — ", " -- ", " - "), leg);
                return;
            }
    }
    plot_spf(buf, len, "%s", ls);
}

static void emit_axis_labels(plot_ctx *c, const char *x, const char *y)
{
    const lsc_plot_opts *o = c->o;
    plot_printf(c, "set xlabel ");
    plot_str(c, o->xlabel[0] ? o->xlabel : x);
    plot_printf(c, " noenhanced\nset ylabel ");
    plot_str(c, o->ylabel[0] ? o->ylabel : y);
    plot_printf(c, " noenhanced\n");
}

static int need_2d(const plot_ctx *c)
{
    if (c->L->n != 2) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=%s: needs a 2-D landscape ('%s' has %d "
                      "dimensions); use kind=slice", lsc_plot_kind_name(c->kind),
                      c->L->type->name, c->L->n);
        return LSC_EINVAL;
    }
    if (c->t && c->t->nruns > 0 && c->t->npos < 2) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=%s: the trajectory has no positions (recorded "
                      "with positions=%s); use kind=curves", lsc_plot_kind_name(c->kind),
                      c->t->npos == 0 ? "none" : "first:1");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* The 2-D map data shared by contour and animation: grid, colour, contours, quiver,
 * critical points, paths. */
typedef struct {
    double v[4];
    plot_grid g;
    plot_color pc;
    int present[4];
    int ncp;
    path_info *pi;
    int ngroups;
    char grid_name[64], cont_name[64], quiv_name[64], cp_name[64], paths_name[64];
} map_data;

static void map_free(plot_ctx *c, map_data *m)
{
    plot_grid_free(&m->g);
    paths_free(m->pi, c->t ? c->t->nruns : 0);
    m->pi = NULL;
}

static int map_build(plot_ctx *c, map_data *m, int grid_default)
{
    const lsc_plot_opts *o = c->o;
    memset(m, 0, sizeof *m);
    map_view(c, m->v);
    int n = o->grid ? o->grid : grid_default;
    int rc = plot_grid_eval(&m->g, c->L, n, n, m->v[0], m->v[1], m->v[2], m->v[3], NULL, NULL,
                            NULL, c->err);
    if (rc)
        return rc;
    plot_spf(m->grid_name, sizeof m->grid_name, ".grid.f32");
    if (!plot_is_text(c) && (rc = plot_grid_write(c, &m->g, ".grid.f32")))
        return rc;
    plot_color_setup(&m->pc, &m->g, c->L, o->log_color, o->contours);
    if (m->pc.nlevels > 0 && (rc = plot_contours_write(c, &m->g, &m->pc, ".contour.tsv")))
        return rc;
    if (o->quiver && (rc = plot_quiver_write(c, c->L, o->quiver_n, m->v[0], m->v[1], m->v[2],
                                             m->v[3], ".quiver.tsv")))
        return rc;
    rc = plot_critical_write(c, c->L, m->v[0], m->v[1], m->v[2], m->v[3], NULL, NULL, NULL,
                             m->present, ".cp.tsv");
    if (rc < 0)
        return rc;
    m->ncp = rc;
    if (c->t && c->t->nruns > 0 &&
        (rc = write_paths(c, ".paths.tsv", NULL, NULL, NULL, m->v, &m->pc, &m->pi,
                          &m->ngroups)))
        return rc;
    return LSC_OK;
}

/* name of a data file as referenced in the script */
static const char *fname(const plot_ctx *c, const char *suffix, char *buf, size_t len)
{
    plot_spf(buf, len, "%s%s", c->stem, suffix);
    return buf;
}

static void emit_map_layers(plot_ctx *c, clauses *k, const map_data *m)
{
    char nm[LSC_PLOT_PATH_MAX + 32];
    if (!plot_is_text(c)) {
        cl_next(k);
        emit_grid_source(c, &m->g, fname(c, ".grid.f32", nm, sizeof nm), 0);
        plot_printf(c, " using (COLOR($1)) with image notitle");
    }
    if (m->pc.nlevels > 0) {
        cl_next(k);
        plot_fileref(c, fname(c, ".contour.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2 with lines lc rgb %s lw LW_CONTOUR notitle",
                    plot_is_text(c) ? "C_CONTOUR_DUMB" : "C_CONTOUR");
    }
    if (c->o->quiver) {
        cl_next(k);
        plot_fileref(c, fname(c, ".quiver.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2:3:4 with vectors arrowstyle 1 notitle");
    }
}

static void emit_map_settings(plot_ctx *c, const map_data *m)
{
    char a[32], b[32];
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, m->v[0]), plot_num(b, m->v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, m->v[2]), plot_num(b, m->v[3]));
    emit_colour_scale(c, &m->pc, !plot_is_text(c), "cb");
    plot_printf(c, "set tics front\n");
    if (plot_is_text(c))
        plot_printf(c, "unset colorbox\n");
}

/* The map panel of a multiplot: from y0 up to the title, aspect ratio 1 (x and y share
 * units), frame restored after a legend panel. */
static void emit_map_panel(plot_ctx *c, const map_data *m, double y0, const char *indent)
{
    double top = 1 - title_h(c);
    plot_printf(c, "%sset origin 0, %.4f\n%sset size ratio -1 1, %.4f\n", indent, y0, indent,
                top - y0);
    plot_printf(c, "%sset lmargin -1; set rmargin -1; set tmargin -1; set bmargin -1\n"
                   "%seval FRAME\n%sset colorbox\n%sunset key\n", indent, indent, indent, indent);
    emit_axis_labels(c, "x", "y");
    emit_map_settings(c, m);
}

/* The key of a single-map figure. */
static void map_legend(plot_ctx *c, const map_data *m, legend *L, int current)
{
    memset(L, 0, sizeof *L);
    leg_runs(c, L, m->pi);
    if (c->o->quiver)
        leg_add(L, "with vectors head filled size screen 0.008,25 lc rgb '#777777'",
                plot_sym(c, "−∇f (direction)", "$-\\nabla f$ (direction)", "-grad f (direction)"),
                0, 1);
    if (m->pi)
        leg_markers(L, any_diverged(c, m->pi), current);
    leg_critical(L, m->present);
}

/* ---- contour ---------------------------------------------------------------------------- */

int plot_kind_contour(plot_ctx *c)
{
    int rc = need_2d(c);
    if (rc)
        return rc;
    map_data m;
    rc = map_build(c, &m, 400);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    char what[256], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "contour map, %dx%d grid, %s colour scale", m.g.nx, m.g.ny,
             m.pc.log ? "log" : "linear");
    rc = plot_script_begin(c, what);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    auto_title(c, m.pi, m.ngroups, title, sizeof title);
    char cnote[256];
    colour_note(c, &m.pc, cnote, sizeof cnote);
    plot_title_caption(c, title, cnote, 1);
    legend L;
    map_legend(c, &m, &L, 0);
    int kcols;
    double kh = leg_layout(c, &L, &kcols);
    plot_multiplot(c);
    emit_map_panel(c, &m, c->cap_h + kh, "");
    clauses k = {c, "plot", 0};
    emit_map_layers(c, &k, &m);
    emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), m.present, NULL);
    if (m.pi)
        emit_paths(c, &k, fname(c, ".paths.tsv", nm, sizeof nm), m.pi, "2:3", 1);
    if (!k.n) { /* nothing at all to draw (text terminal, no contours): an empty frame */
        cl_next(&k);
        plot_printf(c, "NaN notitle");
    }
    cl_end(&k);
    plot_caption_off(c);
    leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    map_free(c, &m);
    return LSC_OK;
}

/* ---- surface ---------------------------------------------------------------------------- */

int plot_kind_surface(plot_ctx *c)
{
    int rc = need_2d(c);
    if (rc)
        return rc;
    const lsc_plot_opts *o = c->o;
    map_data m;
    memset(&m, 0, sizeof m);
    map_view(c, m.v);
    int n = o->grid ? o->grid : 120;
    rc = plot_grid_eval(&m.g, c->L, n, n, m.v[0], m.v[1], m.v[2], m.v[3], NULL, NULL, NULL,
                        c->err);
    if (!rc)
        rc = plot_grid_write(c, &m.g, ".grid.f32");
    if (!rc) {
        plot_color_setup(&m.pc, &m.g, c->L, o->log_color, o->contours);
        if (m.pc.nlevels > 0)
            rc = plot_contours_write(c, &m.g, &m.pc, ".contour.tsv");
    }
    if (!rc) {
        rc = plot_critical_write(c, c->L, m.v[0], m.v[1], m.v[2], m.v[3], NULL, NULL, NULL,
                                 m.present, ".cp.tsv");
        rc = rc < 0 ? rc : 0;
    }
    if (!rc && c->t && c->t->nruns > 0)
        rc = write_paths(c, ".paths.tsv", NULL, NULL, NULL, m.v, &m.pc, &m.pi, &m.ngroups);
    char what[256], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    plot_spf(what, sizeof what, "surface, %dx%d grid, %s scale", m.g.nx, m.g.ny,
             m.pc.log ? "log" : "linear");
    if (!rc)
        rc = plot_script_begin(c, what);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    auto_title(c, m.pi, m.ngroups, title, sizeof title);
    char cnote[256];
    colour_note(c, &m.pc, cnote, sizeof cnote);
    plot_title_caption(c, title, cnote, 1);
    legend L;
    map_legend(c, &m, &L, 0);
    int kcols;
    double kh = leg_layout(c, &L, &kcols);
    double y0 = c->cap_h + kh, top = 1 - title_h(c);
    plot_multiplot(c);
    plot_printf(c, "set origin 0, %.4f\nset size 1, %.4f\n", y0, top - y0);
    emit_axis_labels(c, "x", "y");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, m.v[0]), plot_num(b, m.v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, m.v[2]), plot_num(b, m.v[3]));
    plot_printf(c, "set view %s, %s\n", plot_num(a, o->view_x), plot_num(b, o->view_z));
    plot_printf(c, "set xyplane relative 0\n");
    plot_printf(c, "set pm3d explicit at s\nset pm3d lighting primary 0.45 specular 0.15\n"
                   "set style fill solid\nunset hidden3d\nset tics nomirror\n"
                   "set border 895\nset xtics offset 0,-0.3\nunset key\n");
    emit_colour_scale(c, &m.pc, 1, "cb");
    emit_colour_scale(c, &m.pc, 1, "z");
    /* the colour box at the right, leaving room for its tick labels (about 5 em) */
    double cbx = 1 - 6.5 * plot_font_size(c) / c->width;
    plot_printf(c, "set colorbox vertical user origin %.4f, %.4f size %.4f, %.4f\n", cbx,
                y0 + 0.12 * (top - y0), 0.9 * plot_font_size(c) / c->width, 0.66 * (top - y0));
    plot_printf(c, "set rmargin at screen %.4f\n", cbx - 2.0 * plot_font_size(c) / c->width);
    plot_printf(c, "ZBASE = %s\n", plot_num(a, m.pc.lo));
    clauses k = {c, "splot", 0};
    cl_next(&k);
    emit_grid_source(c, &m.g, fname(c, ".grid.f32", nm, sizeof nm), 1);
    plot_printf(c, " using (COLOR($1)) with pm3d notitle");
    if (m.pc.nlevels > 0) {
        cl_next(&k);
        plot_fileref(c, fname(c, ".contour.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2:(ZBASE) with lines lc rgb '#99555555' lw LW_CONTOUR "
                    "notitle");
    }
    if (m.pi)
        emit_paths(c, &k, fname(c, ".paths.tsv", nm, sizeof nm), m.pi, "2:3:5", 1);
    emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), m.present, "COLOR($4)");
    cl_end(&k);
    plot_caption_off(c);
    leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    map_free(c, &m);
    return LSC_OK;
}

/* ---- animation -------------------------------------------------------------------------- */

int plot_kind_animation(plot_ctx *c)
{
    int rc = need_2d(c);
    if (rc)
        return rc;
    const lsc_plot_opts *o = c->o;
    const lsc_trajectory *t = c->t;
    map_data m;
    rc = map_build(c, &m, 200);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    if (!m.pi) {
        map_free(c, &m);
        lsc_error_set(c->err, LSC_EINVAL, "kind=animation: the trajectory has no runs");
        return LSC_EINVAL;
    }
    /* frames: steps 0 .. S sampled evenly; each run shows its rows up to that step */
    long S = 0;
    for (int r = 0; r < t->nruns; r++)
        if (m.pi[r].block >= 0)
            S = S > m.pi[r].step[m.pi[r].rows - 1] ? S : m.pi[r].step[m.pi[r].rows - 1];
    int F = o->frames;
    if (S + 1 < F)
        F = (int)(S + 1);
    if (F < 1)
        F = 1;
    long *fs = malloc((size_t)F * sizeof *fs);
    if (!fs) {
        map_free(c, &m);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int k = 0; k < F; k++)
        fs[k] = F == 1 ? S : (long)llround((double)k * (double)S / (F - 1));
    char what[256], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "animation, %d frames over %ld steps, %dx%d grid", F, S,
             m.g.nx, m.g.ny);
    rc = plot_script_begin(c, what);
    if (rc) {
        free(fs);
        map_free(c, &m);
        return rc;
    }
    auto_title(c, m.pi, m.ngroups, title, sizeof title);
    char cnote[256];
    colour_note(c, &m.pc, cnote, sizeof cnote);
    plot_title_caption(c, title, cnote, 1);
    legend L;
    map_legend(c, &m, &L, 1);
    int kcols;
    double kh = leg_layout(c, &L, &kcols);
    plot_printf(c, "set style textbox opaque noborder margins 2,2\n");
    /* GIF (libgd, 256 colours a frame): a banded colour map compresses several times
     * better */
    plot_printf(c, "set palette maxcolors 24\n");
    /* libgd draws lines without anti-aliasing: a thicker core in a thinner halo */
    plot_printf(c, "LW_PATH = 3; LW_HALO = 5.5\n");
    /* frame tables: STEP[k], and per run the last row at or before that step */
    plot_printf(c, "NF = %d\narray STEP[NF] = [", F);
    for (int k = 0; k < F; k++)
        plot_printf(c, "%s%ld", k ? "," : "", fs[k]);
    plot_printf(c, "]\n");
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0)
            continue;
        plot_printf(c, "array ROW%d[NF] = [", r);
        int row = 0;
        for (int k = 0; k < F; k++) {
            while (row + 1 < p->rows && p->step[row + 1] <= fs[k])
                row++;
            plot_printf(c, "%s%d", k ? "," : "", row);
        }
        plot_printf(c, "]\n");
    }
    /* hold the last frame for about 1.5 s */
    int hold = (150 + o->delay - 1) / o->delay;
    plot_printf(c, "HOLD = %d\n", hold);
    plot_printf(c, "do for [frame=1:NF+HOLD] {\n  k = frame > NF ? NF : frame\n");
    plot_multiplot(c);
    emit_map_panel(c, &m, c->cap_h + kh, "");
    plot_printf(c, "set label 1 sprintf('step %%d', STEP[k]) at graph 0.03, graph 0.95 left "
                   "front boxed\n");
    clauses kl = {c, "plot", 0};
    emit_map_layers(c, &kl, &m);
    emit_critical(c, &kl, fname(c, ".cp.tsv", nm, sizeof nm), m.present, NULL);
    const char *pn = fname(c, ".paths.tsv", nm, sizeof nm);
    for (int r = 0; r < t->nruns; r++) {
        if (m.pi[r].block < 0)
            continue;
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::ROW%d[k] using 2:3 with lines lc rgb C_HALO "
                    "lw LW_HALO notitle", m.pi[r].block, r);
    }
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0)
            continue;
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::ROW%d[k] using 2:3 with lines lt %d lw LW_PATH "
                    "notitle", p->block, r, p->group + 1);
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::0 using 2:3 with points lt %d pt PT_START "
                    "ps PS_RUN lw 2 notitle", p->block, p->group + 1);
        /* current position; a cross once a diverged run has reached its last point */
        cl_next(&kl);
        plot_fileref(c, pn);
        if (p->diverged)
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:3:(ROW%d[k] >= %d ? "
                        "PT_DIVERGED : PT_CURRENT) with points lt %d pt variable ps 1.4*PS_RUN lw 2 "
                        "notitle", p->block, r, r, r, p->rows - 1, p->group + 1);
        else
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:3 with points lt %d "
                        "pt PT_CURRENT ps 1.4*PS_RUN notitle", p->block, r, r, p->group + 1);
    }
    cl_end(&kl);
    leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n}\n");
    free(fs);
    map_free(c, &m);
    return LSC_OK;
}

/* ---- curves ------------------------------------------------------------------------------ */

enum { CV_LOSS, CV_GRAD, CV_LR, CV_DIST, CV_N };
static const char *const cv_names[CV_N] = {"loss", "grad_norm", "lr", "dist"};

static int parse_curves(plot_ctx *c, int *panels)
{
    char buf[256];
    plot_spf(buf, sizeof buf, "%s", c->o->curves);
    int n = 0, used[CV_N] = {0};
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && e[-1] == ' ')
            *--e = '\0';
        if (!*tok)
            continue; /* "loss,,lr" */
        int k = -1;
        for (int q = 0; q < CV_N; q++)
            if (!strcmp(tok, cv_names[q]))
                k = q;
        if (k < 0 || used[k]) {
            const char *close = lsc_closest(tok, cv_names, CV_N);
            lsc_error_set(c->err, LSC_EINVAL, "curves=%.100s: %s '%.40s'%s%s%s (allowed: "
                          "loss, grad_norm, lr, dist, comma separated)", c->o->curves,
                          k < 0 ? "unknown panel" : "repeated panel", tok,
                          k < 0 && close ? " (did you mean '" : "", k < 0 && close ? close : "",
                          k < 0 && close ? "'?)" : "");
            return LSC_EINVAL;
        }
        used[k] = 1;
        panels[n++] = k;
    }
    if (n == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "curves='%.100s': no panel (allowed: loss, "
                      "grad_norm, lr, dist)", c->o->curves);
        return LSC_EINVAL;
    }
    return n;
}

int plot_kind_curves(plot_ctx *c)
{
    const lsc_trajectory *t = c->t;
    const lsc_landscape *L = c->L;
    int panels[CV_N];
    int np = parse_curves(c, panels);
    if (np < 0)
        return np;
    if (t->nruns == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=curves: the trajectory has no runs");
        return LSC_EINVAL;
    }
    /* f*: the lowest known minimum */
    double fstar = INFINITY;
    int want_dist = 0;
    for (int q = 0; q < np; q++)
        want_dist |= panels[q] == CV_DIST;
    double *xb = NULL;
    if (L) {
        xb = malloc((size_t)L->n * 2 * sizeof *xb);
        if (!xb) {
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        int nc = lsc_landscape_ncritical(L);
        for (int k = 0; k < nc; k++) {
            lsc_critical cp = {.x = xb};
            lsc_landscape_critical(L, k, &cp);
            if (cp.kind == LSC_CP_MIN && isfinite(cp.f))
                fstar = fmin(fstar, cp.f);
        }
    }
    int dist_from_x = want_dist && !t->has_dist;
    if (dist_from_x && !(L && t->npos == t->n && isfinite(fstar))) {
        free(xb);
        lsc_error_set(c->err, LSC_EINVAL, "curves=dist: the trajectory has no dist column%s",
                      !L || !isfinite(fstar) ? " and the landscape has no known minimum"
                                             : " and not all coordinates (positions=all)");
        return LSC_EINVAL;
    }
    int gap = isfinite(fstar);
    /* pass 1: lowest positive gap (for values <= 0 from rounding), log axes possible? */
    double minpos = INFINITY;
    int nonpos[CV_N] = {0};
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        for (size_t i = 0; i < R->len; i++) {
            double v = gap ? R->loss[i] - fstar : R->loss[i];
            if (isfinite(v) && v > 0)
                minpos = fmin(minpos, v);
            if (isfinite(v) && v <= 0)
                nonpos[CV_LOSS] = 1;
            if (isfinite(R->grad_norm[i]) && R->grad_norm[i] <= 0)
                nonpos[CV_GRAD] = 1;
            if (isfinite(R->lr[i]) && R->lr[i] <= 0)
                nonpos[CV_LR] = 1;
            if (R->dist && isfinite(R->dist[i]) && R->dist[i] <= 0)
                nonpos[CV_DIST] = 1;
        }
    }
    int clamped = gap && nonpos[CV_LOSS] && isfinite(minpos);
    int logy[CV_N];
    logy[CV_LOSS] = clamped || !nonpos[CV_LOSS];
    logy[CV_GRAD] = !nonpos[CV_GRAD];
    logy[CV_DIST] = !nonpos[CV_DIST];
    /* lr: log only when it spans more than a factor of 10 */
    double lrlo = INFINITY, lrhi = -INFINITY;
    for (int r = 0; r < t->nruns; r++)
        for (size_t i = 0; i < t->runs[r].len; i++)
            if (isfinite(t->runs[r].lr[i])) {
                lrlo = fmin(lrlo, t->runs[r].lr[i]);
                lrhi = fmax(lrhi, t->runs[r].lr[i]);
            }
    logy[CV_LR] = !nonpos[CV_LR] && lrhi > 10 * lrlo;

    /* data */
    int *group = malloc((size_t)t->nruns * sizeof *group);
    int *first = malloc((size_t)t->nruns * sizeof *first);
    int *block = malloc((size_t)t->nruns * sizeof *block);
    int *lastrow = malloc((size_t)t->nruns * sizeof *lastrow);
    int *div = malloc((size_t)t->nruns * sizeof *div);
    if (!group || !first || !block || !lastrow || !div) {
        free(xb), free(group), free(first), free(block), free(lastrow), free(div);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int ngroups = plot_run_groups(t, group, first);
    double rlo[CV_N], rhi[CV_N];
    for (int q = 0; q < CV_N; q++) {
        rlo[q] = INFINITY;
        rhi[q] = -INFINITY;
    }
    plot_file f;
    int rc = plot_open(c, ".curves.tsv", &f);
    if (rc) {
        free(xb), free(group), free(first), free(block), free(lastrow), free(div);
        return rc;
    }
    fprintf(f.fp, "# one block per run: step %s grad_norm lr dist\n",
            gap ? "f-f*" : "loss");
    int nb = 0;
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        block[r] = -1;
        lastrow[r] = -1;
        /* rows up to the last finite loss */
        size_t m = R->len;
        while (m > 0 && !isfinite(R->loss[m - 1]))
            m--;
        div[r] = R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
                 R->status == LSC_STOP_FAILED || m < R->len;
        size_t K = rows_drawn(c, m);
        if (K == 0)
            continue;
        if (nb)
            fputs("\n\n", f.fp);
        fprintf(f.fp, "# run %d\n", r);
        for (size_t k = 0; k < K; k++) {
            size_t i = pick(k, K, m);
            double v = gap ? R->loss[i] - fstar : R->loss[i];
            if (clamped && isfinite(v) && v <= 0)
                v = minpos;
            double d = NAN;
            if (R->dist)
                d = R->dist[i];
            else if (dist_from_x)
                lsc_landscape_nearest_min(L, R->x + i * (size_t)t->npos, &d, xb);
            fprintf(f.fp, "%ld %.10g %.10g %.10g %.10g\n", R->step[i], v, R->grad_norm[i],
                    R->lr[i], d);
            /* value ranges of the runs that did not blow up */
            const double vals[CV_N] = {v, R->grad_norm[i], R->lr[i], d};
            for (int q = 0; q < CV_N && !div[r]; q++)
                if (isfinite(vals[q]) && (!logy[q] || vals[q] > 0)) {
                    rlo[q] = fmin(rlo[q], vals[q]);
                    rhi[q] = fmax(rhi[q], vals[q]);
                }
        }
        block[r] = nb++;
        lastrow[r] = (int)K - 1;
    }
    free(xb);
    rc = plot_close(c, &f);
    char what[128], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "curves, %d panel%s", np, np > 1 ? "s" : "");
    if (!c->height)
        c->height = plot_is_text(c) ? 6 + 16 * np
                    : (int)((150 + 230 * np) * (c->term == TERM_PDF || c->term == TERM_TEX
                                                    ? 0.6 : 1.0));
    if (!rc)
        rc = plot_script_begin(c, what);
    if (rc) {
        free(group), free(first), free(block), free(lastrow), free(div);
        return rc;
    }
    char ls[LSC_VALUE_MAX];
    plot_short_landscape(L, t->landscape, ls, sizeof ls);
    if (ngroups == 1) {
        char leg[LSC_VALUE_MAX];
        plot_run_legend(t, first[0], leg, sizeof leg);
        plot_spf(title, sizeof title, "%s%s%s", ls, plot_sym(c, " — ", " -- ", " - "), leg);
    } else {
        plot_spf(title, sizeof title, "%s", ls);
    }
    char extra[256] = "";
    if (clamped)
        plot_spf(extra, sizeof extra, "%s (rounding) drawn at %.3g.",
                 plot_sym(c, "f − f* ≤ 0", "f - f* <= 0", "f - f* <= 0"), minpos);
    plot_title_caption(c, title, plot_is_text(c) ? NULL : extra, 1);
    /* layout: panels stacked on a shared step axis; the key in a panel along the bottom */
    int anydiv = 0;
    for (int r = 0; r < t->nruns; r++)
        anydiv |= div[r] && block[r] >= 0;
    legend LG;
    memset(&LG, 0, sizeof LG);
    for (int g = 0; g < ngroups; g++) {
        char leg[LSC_VALUE_MAX], st[64];
        plot_run_legend(t, first[g], leg, sizeof leg);
        plot_spf(st, sizeof st, "with lines lt %d lw LW_PATH", g + 1);
        leg_add(&LG, st, leg, 1, 1);
    }
    if (anydiv)
        leg_add(&LG, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'",
                "diverged (last finite value)", 0, 1);
    int kcols;
    double kh = leg_layout(c, &LG, &kcols);
    const double fsz = plot_is_text(c) ? 1 : plot_font_size(c);
    double top = 1 - title_h(c) - (plot_is_text(c) ? 0 : 0.5 * fsz / c->height);
    double bottom = c->cap_h + kh + (plot_is_text(c) ? 3.0 : 4.8 * fsz) / c->height;
    /* left: tick labels like 10^{-10} and the rotated axis label */
    double left = plot_is_text(c) ? 9.0 / c->width : 8.5 * fsz / c->width;
    double right = 1 - (plot_is_text(c) ? 2.0 : 1.5 * fsz) / c->width;
    double gapv = plot_is_text(c) ? 0.02 : 12.0 / c->height;
    double ph = (top - bottom - gapv * (np - 1)) / np;
    plot_multiplot(c);
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", left, right);
    plot_printf(c, "set xrange [*:*]\nset autoscale xfix\nset autoscale yfix\n"
                   "set offsets 0, 0, graph 0.05, graph 0.05\n");
    plot_printf(c, "set mytics default\nset tics nomirror\n");
    const char *pn = fname(c, ".curves.tsv", nm, sizeof nm);
    for (int q = 0; q < np; q++) {
        int P = panels[q];
        double t0 = top - q * (ph + gapv);
        plot_printf(c, "\n# panel %d: %s\n", q + 1, cv_names[P]);
        plot_printf(c, "set tmargin at screen %.4f; set bmargin at screen %.4f\n", t0, t0 - ph);
        if (q == 1)
            plot_caption_off(c);
        if (q == np - 1) {
            plot_printf(c, "set format x '%%g'\nset xlabel ");
            plot_str(c, c->o->xlabel[0] ? c->o->xlabel : "step");
            plot_printf(c, " noenhanced\n");
        } else {
            plot_printf(c, "set format x ''\nunset xlabel\n");
        }
        const char *yl = "";
        char ybuf[256];
        switch (P) {
        case CV_LOSS:
            if (gap) {
                plot_spf(ybuf, sizeof ybuf, "%s (f* = %.6g)",
                         plot_sym(c, "f(x) − f*", "$f(x) - f^*$", "f - f*"), fstar);
                yl = ybuf;
            } else {
                yl = plot_sym(c, "loss f(x)", "loss $f(x)$", "loss f(x)");
            }
            break;
        case CV_GRAD: yl = plot_sym(c, "‖∇f(x)‖", "$\\|\\nabla f(x)\\|$", "|grad f|"); break;
        case CV_LR: yl = plot_sym(c, "learning rate η", "learning rate $\\eta$", "lr"); break;
        case CV_DIST:
            yl = plot_sym(c, "distance to the nearest minimum", "distance to the nearest minimum",
                          "dist to min");
            break;
        }
        if (q == 0 && c->o->ylabel[0]) {
            plot_printf(c, "set ylabel ");
            plot_str(c, c->o->ylabel);
            plot_printf(c, " noenhanced\n");
        } else if (plot_is_text(c)) {
            /* characters cannot be rotated: the panel's name goes inside it */
            plot_printf(c, "unset ylabel\nset label 70 '%s' at graph 0.02, graph 0.93 left front\n",
                        yl);
        } else {
            plot_printf(c, "set ylabel '%s' enhanced\n", yl);
        }
        if (logy[P])
            plot_printf(c, "set logscale y 10\nset format y '%s'\n",
                        plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        else
            plot_printf(c, "unset logscale y\nset format y '%%g'\n");
        plot_printf(c, "unset key\n");
        /* a run that blew up would flatten the others: the panel keeps their range and the
         * diverged run's cross sits on the top edge where it leaves */
        int clampy = anydiv && rlo[P] < rhi[P];
        if (clampy) {
            char a[32], b[32];
            double lo = logy[P] ? rlo[P] / 3 : rlo[P] - 0.05 * (rhi[P] - rlo[P]);
            double hi = logy[P] ? rhi[P] * 30 : rhi[P] + 0.3 * (rhi[P] - rlo[P]);
            plot_printf(c, "YHI = %s\nset yrange [%s:YHI]\n", plot_num(b, hi), plot_num(a, lo));
        } else {
            plot_printf(c, "set yrange [*:*]\n");
        }
        clauses k = {c, "plot", 0};
        int col = P == CV_LOSS ? 2 : P == CV_GRAD ? 3 : P == CV_LR ? 4 : 5;
        for (int r = 0; r < t->nruns; r++) {
            if (block[r] < 0)
                continue;
            cl_next(&k);
            plot_fileref(c, pn);
            plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_PATH ", block[r], col,
                        group[r] + 1);
            plot_printf(c, "notitle");
            if (div[r]) {
                cl_next(&k);
                plot_fileref(c, pn);
                if (clampy)
                    plot_printf(c, " index %d every ::%d::%d using 1:($%d > YHI ? YHI : $%d) "
                                "with points lt %d pt PT_DIVERGED ps PS_RUN lw 2 notitle",
                                block[r], lastrow[r], lastrow[r], col, col, group[r] + 1);
                else
                    plot_printf(c, " index %d every ::%d::%d using 1:%d with points lt %d "
                                "pt PT_DIVERGED ps PS_RUN lw 2 notitle", block[r], lastrow[r],
                                lastrow[r], col, group[r] + 1);
            }
        }
        cl_end(&k);
    }
    if (np == 1)
        plot_caption_off(c);
    leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    free(group), free(first), free(block), free(lastrow), free(div);
    return LSC_OK;
}

/* ---- slice ------------------------------------------------------------------------------- */

static void normalize(double *v, int n)
{
    double s = 0;
    for (int j = 0; j < n; j++)
        s += v[j] * v[j];
    s = sqrt(s);
    for (int j = 0; j < n; j++)
        v[j] /= s;
}

int plot_kind_slice(plot_ctx *c)
{
    const lsc_plot_opts *o = c->o;
    const lsc_trajectory *t = c->t;
    const lsc_landscape *L = c->L;
    const int n = L->n;
    if (t->nruns == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=slice: the trajectory has no runs");
        return LSC_EINVAL;
    }
    if (t->npos != n) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=slice: needs every coordinate of every step "
                      "(the trajectory keeps %d of %d: record with positions=all)", t->npos, n);
        return LSC_EINVAL;
    }
    double *d1 = calloc((size_t)n, sizeof *d1), *d2 = calloc((size_t)n, sizeof *d2);
    double *ctr = calloc((size_t)n, sizeof *ctr), *base = calloc((size_t)n, sizeof *base);
    double *lo = calloc((size_t)n, sizeof *lo), *hi = calloc((size_t)n, sizeof *hi);
    double *xb = calloc((size_t)n, sizeof *xb);
    plot_grid g;
    memset(&g, 0, sizeof g);
    path_info *pi = NULL;
    int ngroups = 0, rc = LSC_OK;
    char xl[160], yl[160], mode[64];
    double ylo = INFINITY, yhi = -INFINITY; /* line panel range of the runs that converged */
    if (!d1 || !d2 || !ctr || !base || !lo || !hi || !xb) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    /* centre */
    const lsc_run_record *R0 = &t->runs[0];
    size_t m0 = finite_prefix(t, R0);
    if (!strcmp(o->center, "end") || !strcmp(o->center, "min")) {
        if (m0 == 0) {
            rc = LSC_EINVAL;
            lsc_error_set(c->err, LSC_EINVAL, "center=%s: run 0 has no finite position",
                          o->center);
            goto done;
        }
        memcpy(ctr, R0->x + (m0 - 1) * (size_t)n, (size_t)n * sizeof *ctr);
        if (!strcmp(o->center, "min")) {
            int k = lsc_landscape_nearest_min(L, ctr, NULL, xb);
            if (k < 0) {
                rc = LSC_EINVAL;
                lsc_error_set(c->err, LSC_EINVAL, "center=min: landscape '%s' has no known "
                              "minimum (allowed: end, start, origin, x1;x2;...)", L->type->name);
                goto done;
            }
            lsc_critical cp = {.x = ctr};
            lsc_landscape_critical(L, k, &cp);
        }
    } else if (!strcmp(o->center, "start")) {
        memcpy(ctr, R0->start, (size_t)n * sizeof *ctr);
    } else if (!strcmp(o->center, "origin")) {
        /* zeros */
    } else {
        int got = lsc_parse_list(o->center, ';', ctr, n);
        int bad = got != n;
        for (int j = 0; !bad && j < n; j++)
            bad |= !isfinite(ctr[j]);
        if (bad) {
            rc = LSC_EINVAL;
            lsc_error_set(c->err, LSC_EINVAL, "center=%.100s: allowed: end, start, min, origin, "
                          "or %d finite numbers separated by ';'", o->center, n);
            goto done;
        }
    }
    /* directions */
    int axes = 0, ai = 0, aj = 1;
    double ev1 = NAN, ev2 = NAN;
    if (!strncmp(o->slice, "axes:", 5)) {
        double ij[2];
        if (lsc_parse_list(o->slice + 5, ',', ij, 2) != 2 || ij[0] != floor(ij[0]) ||
            ij[1] != floor(ij[1]) || ij[0] < 1 || ij[1] < 1 || ij[0] > n || ij[1] > n ||
            ij[0] == ij[1]) {
            rc = LSC_EINVAL;
            lsc_error_set(c->err, LSC_EINVAL, "slice=%.60s: allowed: axes:I,J with two different "
                          "coordinates between 1 and %d", o->slice, n);
            goto done;
        }
        axes = 1;
        ai = (int)ij[0] - 1;
        aj = (int)ij[1] - 1;
        d1[ai] = 1;
        d2[aj] = 1;
        plot_spf(mode, sizeof mode, "coordinate axes x%d, x%d", ai + 1, aj + 1);
    } else if (!strcmp(o->slice, "random")) {
        /* Gaussian directions (uniform on the sphere after normalising), the second made
         * orthogonal to the first (Gram-Schmidt) */
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rng) {
            rc = LSC_ENOMEM;
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            goto done;
        }
        gsl_rng_set(rng, (unsigned long)(o->seed ^ (o->seed >> 32)));
        for (int j = 0; j < n; j++)
            d1[j] = gsl_ran_gaussian(rng, 1.0);
        for (int j = 0; j < n; j++)
            d2[j] = gsl_ran_gaussian(rng, 1.0);
        gsl_rng_free(rng);
        normalize(d1, n);
        double p = 0;
        for (int j = 0; j < n; j++)
            p += d1[j] * d2[j];
        for (int j = 0; j < n; j++)
            d2[j] -= p * d1[j];
        normalize(d2, n);
        plot_spf(mode, sizeof mode, "random directions (seed %llu)", o->seed);
    } else if (!strcmp(o->slice, "pca")) {
        rc = plot_pca(t, d1, d2, &ev1, &ev2, c->err);
        if (rc)
            goto done;
        plot_spf(mode, sizeof mode, "principal components of the positions");
    } else {
        rc = LSC_EINVAL;
        lsc_error_set(c->err, LSC_EINVAL, "slice=%.60s: unknown (allowed: axes:I,J, random, "
                      "pca)", o->slice);
        goto done;
    }
    if (!axes) {
        /* orient: run 0 moves towards +d1; d2's largest component positive */
        double s = 0;
        const double *xe = R0->x + (m0 ? m0 - 1 : 0) * (size_t)n;
        for (int j = 0; j < n; j++)
            s += (xe[j] - R0->start[j]) * d1[j];
        if (s < 0)
            for (int j = 0; j < n; j++)
                d1[j] = -d1[j];
        int jm = 0;
        for (int j = 1; j < n; j++)
            if (fabs(d2[j]) > fabs(d2[jm]))
                jm = j;
        if (d2[jm] < 0)
            for (int j = 0; j < n; j++)
                d2[j] = -d2[j];
    }
    /* plane coordinates: axes: absolute x_i, x_j (base = centre with those two zeroed);
     * directions: offsets from the centre */
    memcpy(base, ctr, (size_t)n * sizeof *base);
    if (axes) {
        base[ai] = 0;
        base[aj] = 0;
    }
    double v[4], bb[4];
    int have = paths_bbox(c, base, d1, d2, bb);
    if (axes) {
        lsc_landscape_box(L, lo, hi);
        v[0] = lo[ai];
        v[1] = hi[ai];
        v[2] = lo[aj];
        v[3] = hi[aj];
        if (have) {
            double wx = v[1] - v[0], wy = v[3] - v[2];
            v[0] = fmin(v[0], fmax(bb[0] - 0.05 * wx, v[0] - 0.5 * wx));
            v[1] = fmax(v[1], fmin(bb[1] + 0.05 * wx, v[1] + 0.5 * wx));
            v[2] = fmin(v[2], fmax(bb[2] - 0.05 * wy, v[2] - 0.5 * wy));
            v[3] = fmax(v[3], fmin(bb[3] + 0.05 * wy, v[3] + 0.5 * wy));
        }
    } else {
        /* the projected paths and the centre, padded by 20%, at least +-0.5 */
        if (!have)
            bb[0] = bb[1] = bb[2] = bb[3] = 0;
        bb[0] = fmin(bb[0], 0);
        bb[1] = fmax(bb[1], 0);
        bb[2] = fmin(bb[2], 0);
        bb[3] = fmax(bb[3], 0);
        double w = fmax(bb[1] - bb[0], bb[3] - bb[2]);
        if (!(w > 1))
            w = 1;
        double cx = 0.5 * (bb[0] + bb[1]), cy = 0.5 * (bb[2] + bb[3]);
        double hw = 0.5 * w * 1.2;
        v[0] = cx - hw;
        v[1] = cx + hw;
        v[2] = cy - hw;
        v[3] = cy + hw;
    }
    if (isfinite(o->xlim[0])) {
        v[0] = o->xlim[0];
        v[1] = o->xlim[1];
    }
    if (isfinite(o->ylim[0])) {
        v[2] = o->ylim[0];
        v[3] = o->ylim[1];
    }
    /* grid: cost grid^2 * n evaluations; keep it below ~2e8 coordinate updates */
    int gn = o->grid ? o->grid : 300;
    while (gn > 40 && (double)gn * gn * n > 2e8)
        gn = gn * 3 / 4;
    rc = plot_grid_eval(&g, L, gn, gn, v[0], v[1], v[2], v[3], base, d1, d2, c->err);
    if (rc)
        goto done;
    if (!plot_is_text(c) && (rc = plot_grid_write(c, &g, ".grid.f32")))
        goto done;
    plot_color pc;
    plot_color_setup(&pc, &g, L, o->log_color, o->contours);
    if (pc.nlevels > 0 && (rc = plot_contours_write(c, &g, &pc, ".contour.tsv")))
        goto done;
    int present[4];
    rc = plot_critical_write(c, L, v[0], v[1], v[2], v[3], base, d1, d2, present, ".cp.tsv");
    if (rc < 0)
        goto done;
    rc = write_paths(c, ".paths.tsv", base, d1, d2, v, &pc, &pi, &ngroups);
    if (rc)
        goto done;
    /* loss along the straight line from each run's start to its end */
    {
        plot_file f;
        rc = plot_open(c, ".line.tsv", &f);
        if (rc)
            goto done;
        fprintf(f.fp, "# f on the segment start + alpha (end - start), one block per drawn run: "
                      "alpha f colour\n");
        int nb = 0;
        ylo = INFINITY;
        yhi = -INFINITY;
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            const lsc_run_record *R = &t->runs[r];
            size_t m = finite_prefix(t, R);
            const double *xs = R->x, *xe = R->x + (m - 1) * (size_t)n;
            if (nb++)
                fputs("\n\n", f.fp);
            fprintf(f.fp, "# run %d\n", r);
            for (int k = 0; k <= 240; k++) {
                double al = -0.25 + 1.5 * k / 240.0;
                for (int j = 0; j < n; j++)
                    xb[j] = xs[j] + al * (xe[j] - xs[j]);
                double fv = lsc_landscape_in_domain(L, xb) ? lsc_landscape_f(L, xb) : NAN;
                double cv = isfinite(fv) ? plot_color_value(&pc, fv) : NAN;
                if (pc.log && !(cv > 0))
                    cv = NAN;
                fprintf(f.fp, "%.6g %.10g %.10g\n", al, fv, cv);
                double yv = pc.log ? cv : fv;
                if (!pi[r].diverged && isfinite(yv)) {
                    ylo = fmin(ylo, yv);
                    yhi = fmax(yhi, yv);
                }
            }
        }
        rc = plot_close(c, &f);
        if (rc)
            goto done;
    }
    /* labels */
    if (axes) {
        plot_spf(xl, sizeof xl, "x%d", ai + 1);
        plot_spf(yl, sizeof yl, "x%d", aj + 1);
    } else if (!strcmp(o->slice, "pca")) {
        plot_spf(xl, sizeof xl, "PC1 (%.1f%% of the variance)", 100 * ev1);
        plot_spf(yl, sizeof yl, "PC2 (%.1f%% of the variance)", 100 * ev2);
    } else {
        plot_spf(xl, sizeof xl, "random direction 1");
        plot_spf(yl, sizeof yl, "random direction 2");
    }
    char what[256], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    plot_spf(what, sizeof what, "slice of a %d-D landscape through %s, %s, %dx%d grid", n,
             o->center, mode, g.nx, g.ny);
    rc = plot_script_begin(c, what);
    if (rc)
        goto done;
    /* the plane, exactly, as comments */
    {
        char num[32];
        fprintf(c->gp, "# plane: x = base + a*d1 + b*d2 (first 20 coordinates shown)\n");
        const char *nmv[3] = {"base", "d1", "d2"};
        const double *vec[3] = {base, d1, d2};
        for (int q = 0; q < 3; q++) {
            fprintf(c->gp, "# %s:", nmv[q]);
            for (int j = 0; j < n && j < 20; j++)
                fprintf(c->gp, " %s", lsc_fmt_double(num, vec[q][j]));
            fprintf(c->gp, "%s\n", n > 20 ? " ..." : "");
        }
    }
    auto_title(c, pi, ngroups, title, sizeof title);
    char note[600];
    char cnote[256];
    colour_note(c, &pc, cnote, sizeof cnote);
    plot_spf(note, sizeof note, "Slice: %s through %s. Paths are projections onto this plane: "
             "they do not lie on the surface shown.%s%s", mode, o->center, cnote[0] ? " " : "",
             cnote);
    plot_title_caption(c, title, note, 1);
    int text = plot_is_text(c);
    double top = c->o->no_title ? 0.97 : 1 - 50.0 / c->height;
    double bottom = c->cap_h + (text ? 0.05 : 0.1);
    plot_multiplot(c);
    /* left: the slice map */
    plot_printf(c, "\n# panel 1: the slice\n");
    plot_printf(c, "set origin 0, %s\nset size 0.56, %s\n", plot_num(a, bottom),
                plot_num(b, top - bottom));
    plot_printf(c, "set size ratio -1\n");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    emit_axis_labels(c, xl, yl);
    emit_colour_scale(c, &pc, !text, "cb");
    plot_printf(c, "set tics front\n");
    if (text)
        plot_printf(c, "unset colorbox\n");
    plot_printf(c, "unset key\n");
    {
        map_data m;
        memset(&m, 0, sizeof m);
        m.g = g;
        m.pc = pc;
        clauses k = {c, "plot", 0};
        emit_map_layers(c, &k, &m);
        emit_paths(c, &k, fname(c, ".paths.tsv", nm, sizeof nm), pi, "2:3", 1);
        emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), present, NULL);
        cl_end(&k);
    }
    /* right: f along start -> end */
    plot_printf(c, "\n# panel 2: f along the straight line from start to end\n");
    plot_caption_off(c);
    plot_printf(c, "set size noratio\n");
    plot_printf(c, "set origin 0.58, %s\nset size 0.41, %s\n", plot_num(a, bottom),
                plot_num(b, top - bottom));
    plot_printf(c, "set xrange [-0.25:1.25]\nset xtics 0.25\n");
    if (any_diverged(c, pi) && ylo < yhi) {
        /* a run that blew up would flatten the others: its line leaves the panel */
        if (pc.log)
            plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, ylo / 2), plot_num(b, yhi * 2));
        else
            plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, ylo - 0.05 * (yhi - ylo)),
                        plot_num(b, yhi + 0.05 * (yhi - ylo)));
    } else {
        plot_printf(c, "set yrange [*:*]\n");
    }
    plot_printf(c, "set xlabel '%s' enhanced\n",
                plot_sym(c, "α   (0 = start, 1 = end of the run)",
                         "$\\alpha$ (0 = start, 1 = end of the run)", "alpha (0 start, 1 end)"));
    if (pc.log) {
        plot_printf(c, "set ylabel '%s' enhanced\nset logscale y 10\nset format y '%s'\n",
                    plot_sym(c, "f(start + α(end − start)) − f_{min} + ε",
                             "$f - f_{\\min} + \\varepsilon$ on the line",
                             "f - fmin + eps on the line"),
                    plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
    } else {
        plot_printf(c, "set ylabel '%s' enhanced\nunset logscale y\nset format y '%%g'\n",
                    plot_sym(c, "f(start + α(end − start))", "$f$ on the line",
                             "f on the line"));
    }
    plot_printf(c, "set key outside below center vertical Left reverse\n");
    {
        clauses k = {c, "plot", 0};
        const char *ln = fname(c, ".line.tsv", nm, sizeof nm);
        char leg[LSC_VALUE_MAX];
        int col = pc.log ? 3 : 2;
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            cl_next(&k);
            plot_fileref(c, ln);
            plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_PATH ", pi[r].block, col,
                        pi[r].group + 1);
            if (pi[r].titled) {
                plot_run_legend(t, r, leg, sizeof leg);
                plot_printf(c, "title ");
                plot_str(c, leg);
                plot_printf(c, " noenhanced");
            } else {
                plot_printf(c, "notitle");
            }
            cl_next(&k);
            plot_fileref(c, ln);
            plot_printf(c, " index %d every ::40::40 using 1:%d with points lt %d pt PT_START "
                        "ps PS_RUN lw 2 notitle", pi[r].block, col, pi[r].group + 1);
            cl_next(&k);
            plot_fileref(c, ln);
            plot_printf(c, " index %d every ::200::200 using 1:%d with points lt %d pt %s "
                        "ps PS_RUN lw 2 notitle", pi[r].block, col, pi[r].group + 1,
                        pi[r].diverged ? "PT_DIVERGED" : "PT_END");
        }
        emit_marker_keys(c, &k, any_diverged(c, pi));
        emit_critical_keys(c, &k, present);
        cl_end(&k);
    }
    plot_printf(c, "unset multiplot\n");
done:
    plot_grid_free(&g);
    paths_free(pi, t->nruns);
    free(d1), free(d2), free(ctr), free(base), free(lo), free(hi), free(xb);
    return rc;
}

/* ---- basins ------------------------------------------------------------------------------- */

static const char *const oi_colours[7] = {"#D55E00", "#0072B2", "#009E73", "#E69F00",
                                          "#CC79A7", "#56B4E9", "#F0E442"};

static void hex_rgb(const char *h, int *r, int *g, int *b)
{
    unsigned v = (unsigned)strtoul(h + 1, NULL, 16);
    *r = (int)(v >> 16) & 255;
    *g = (int)(v >> 8) & 255;
    *b = (int)v & 255;
}

int plot_basins_impl(plot_ctx *c, const char *const *specs, int nopt, const lsc_run_opts *run)
{
    const lsc_plot_opts *o = c->o;
    const lsc_landscape *L = c->L;
    const int N = o->basin_n, ncp = lsc_landscape_ncritical(L);
    double v[4], lo[2], hi[2];
    lsc_landscape_box(L, lo, hi);
    v[0] = isfinite(o->xlim[0]) ? o->xlim[0] : lo[0];
    v[1] = isfinite(o->xlim[0]) ? o->xlim[1] : hi[0];
    v[2] = isfinite(o->ylim[0]) ? o->ylim[0] : lo[1];
    v[3] = isfinite(o->ylim[0]) ? o->ylim[1] : hi[1];
    double tol = o->basin_tol > 0 ? o->basin_tol : 0.01 * hypot(v[1] - v[0], v[3] - v[2]);
    lsc_run_opts ro = *run;
    ro.landscape = L;
    if (ro.steps <= 0)
        ro.steps = 1000;
    ro.every = ro.steps; /* only the start and the end are needed */
    /* classes: 0..ncp-1 critical points, ncp not converged, ncp+1 diverged */
    const int NC = ncp + 2;
    int *cls = malloc((size_t)nopt * N * N * sizeof *cls);
    int *used = calloc((size_t)NC, sizeof *used);
    lsc_critical *cps = calloc((size_t)(ncp > 0 ? ncp : 1), sizeof *cps);
    double *cpx = calloc((size_t)(ncp > 0 ? ncp : 1) * 2, sizeof *cpx);
    char (*labels)[LSC_VALUE_MAX] = calloc((size_t)nopt, sizeof *labels);
    int rc = LSC_OK;
    lsc_trajectory tr;
    lsc_trajectory_init(&tr, 2, 2, 0);
    lsc_optim *opt = NULL;
    plot_grid g;
    memset(&g, 0, sizeof g);
    if (!cls || !used || !cps || !cpx || !labels) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < ncp; k++) {
        cps[k].x = cpx + 2 * k;
        lsc_landscape_critical(L, k, &cps[k]);
    }
    lsc_run_record *rec = lsc_trajectory_add_run(&tr);
    if (!rec) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    for (int p = 0; p < nopt; p++) {
        char what[64];
        plot_spf(what, sizeof what, "basins optimizer %d", p + 1);
        opt = lsc_optim_new(specs[p], 2, what, c->err);
        if (!opt) {
            rc = c->err ? c->err->code : LSC_EINVAL;
            if (rc == 0)
                rc = LSC_EINVAL;
            goto done;
        }
        char full[LSC_VALUE_MAX], shortd[LSC_VALUE_MAX];
        lsc_optim_describe(opt, full, sizeof full);
        plot_short_optimizer(full, shortd, sizeof shortd);
        if (strcmp(opt->label, opt->type->name))
            plot_spf(labels[p], LSC_VALUE_MAX, "%s", opt->label);
        else
            plot_spf(labels[p], LSC_VALUE_MAX, "%s", shortd);
        for (int j = 0; j < N; j++)
            for (int i = 0; i < N; i++) {
                /* starts at cell centres */
                double x0[2] = {v[0] + (i + 0.5) * (v[1] - v[0]) / N,
                                v[2] + (j + 0.5) * (v[3] - v[2]) / N};
                rec->len = 0;
                int st = lsc_run(&ro, opt, x0, j * N + i, &tr, rec, c->err);
                if (st < 0) {
                    rc = st;
                    goto done;
                }
                int k = ncp; /* not converged */
                const double *xe = rec->len ? rec->x + (rec->len - 1) * 2 : x0;
                if (st == LSC_STOP_DIVERGED || st == LSC_STOP_DOMAIN || st == LSC_STOP_FAILED ||
                    !isfinite(xe[0]) || !isfinite(xe[1])) {
                    k = ncp + 1;
                } else {
                    double best = INFINITY;
                    for (int q = 0; q < ncp; q++) {
                        double d = hypot(xe[0] - cpx[2 * q], xe[1] - cpx[2 * q + 1]);
                        if (d <= tol && d < best) {
                            best = d;
                            k = q;
                        }
                    }
                }
                cls[((size_t)p * N + j) * N + i] = k;
                used[k] = 1;
            }
        lsc_optim_free(opt);
        opt = NULL;
    }
    /* colours: minima in Okabe-Ito order, other critical points after them */
    char (*col)[8] = calloc((size_t)NC, sizeof *col);
    if (!col) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    {
        int next = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < ncp; k++)
                if (used[k] && ((cps[k].kind == LSC_CP_MIN) == (pass == 0)))
                    plot_spf(col[k], 8, "%s", oi_colours[next++ % 7]);
        plot_spf(col[ncp], 8, "#BBBBBB");
        plot_spf(col[ncp + 1], 8, "#000000");
    }
    /* data: per optimizer block: x y class r g b */
    plot_file f;
    rc = plot_open(c, ".basins.tsv", &f);
    if (rc) {
        free(col);
        goto done;
    }
    fprintf(f.fp, "# basins: one block per optimizer; x0 y0 (start) class r g b\n"
                  "# class: index of the known critical point reached (within %g), %d = not "
                  "converged, %d = diverged\n", tol, ncp, ncp + 1);
    for (int p = 0; p < nopt; p++) {
        if (p)
            fputs("\n\n", f.fp);
        fputs("# optimizer ", f.fp);
        for (const char *s = specs[p]; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f.fp);
        fputc('\n', f.fp);
        for (int j = 0; j < N; j++) {
            for (int i = 0; i < N; i++) {
                int k = cls[((size_t)p * N + j) * N + i], r, gg, b;
                hex_rgb(col[k], &r, &gg, &b);
                fprintf(f.fp, "%.10g %.10g %d %d %d %d\n", v[0] + (i + 0.5) * (v[1] - v[0]) / N,
                        v[2] + (j + 0.5) * (v[3] - v[2]) / N, k, r, gg, b);
            }
            fputc('\n', f.fp);
        }
    }
    rc = plot_close(c, &f);
    /* thin contour lines for orientation */
    plot_color pc;
    memset(&pc, 0, sizeof pc);
    if (!rc) {
        rc = plot_grid_eval(&g, L, 200, 200, v[0], v[1], v[2], v[3], NULL, NULL, NULL, c->err);
        if (!rc) {
            plot_color_setup(&pc, &g, L, o->log_color, o->contours);
            if (pc.nlevels > 0)
                rc = plot_contours_write(c, &g, &pc, ".contour.tsv");
        }
    }
    int present[4];
    if (!rc) {
        rc = plot_critical_write(c, L, v[0], v[1], v[2], v[3], NULL, NULL, NULL, present,
                                 ".cp.tsv");
        rc = rc < 0 ? rc : 0;
    }
    char what[256], nm[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    plot_spf(what, sizeof what, "basins of attraction, %dx%d starts, %d optimizer%s", N, N, nopt,
             nopt > 1 ? "s" : "");
    /* layout: up to 3 panels per row */
    int cols = nopt < 3 ? nopt : 3, rows = (nopt + cols - 1) / cols;
    if (!o->width && !o->height) {
        int pw = c->term == TERM_PDF || c->term == TERM_TEX ? 260 : 430;
        c->width = cols * pw + 40;
        c->height = rows * pw + (c->term == TERM_PDF || c->term == TERM_TEX ? 110 : 170);
    } else if (!o->width) {
        c->width = c->height * cols / rows;
    } else if (!o->height) {
        c->height = c->width * rows / cols + 150;
    }
    if (!rc)
        rc = plot_script_begin(c, what);
    if (rc) {
        free(col);
        goto done;
    }
    for (int p = 0; p < nopt; p++) {
        fprintf(c->gp, "# optimizer %d: ", p + 1);
        for (const char *s = specs[p]; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, c->gp);
        fputc('\n', c->gp);
    }
    {
        char num[32];
        fprintf(c->gp, "# run options: steps %ld, stop_grad %s", ro.steps,
                lsc_fmt_double(num, ro.stop_grad));
        fprintf(c->gp, ", clip_norm %s", lsc_fmt_double(num, ro.clip_norm));
        fprintf(c->gp, ", clip_value %s", lsc_fmt_double(num, ro.clip_value));
        fprintf(c->gp, ", noise %s, seed %llu", lsc_fmt_double(num, ro.noise), ro.seed);
        char sched[LSC_VALUE_MAX] = "constant";
        if (ro.schedule)
            lsc_schedule_describe(ro.schedule, sched, sizeof sched);
        fputs(", schedule ", c->gp);
        for (const char *s = sched; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, c->gp);
        fprintf(c->gp, "\n# reached: within %s of a known critical point\n",
                lsc_fmt_double(num, tol));
    }
    /* title and caption */
    {
        char ls[LSC_VALUE_MAX], title[LSC_VALUE_MAX + 64], extra[512], sched[LSC_VALUE_MAX];
        plot_short_landscape(L, NULL, ls, sizeof ls);
        plot_spf(title, sizeof title, "%s: basins of attraction", ls);
        plot_spf(sched, sizeof sched, "constant");
        if (ro.schedule)
            lsc_schedule_describe(ro.schedule, sched, sizeof sched);
        char num[32];
        int w = plot_spf(extra, sizeof extra, "%dx%d starts, %ld steps, schedule %s", N, N,
                         ro.steps, sched);
        if (ro.clip_norm > 0 && w > 0 && (size_t)w < sizeof extra)
            w += plot_spf(extra + w, sizeof extra - (size_t)w, ", clip_norm %s",
                          lsc_fmt_double(num, ro.clip_norm));
        if (ro.noise > 0 && w > 0 && (size_t)w < sizeof extra)
            w += plot_spf(extra + w, sizeof extra - (size_t)w, ", gradient noise sd %s",
                          lsc_fmt_double(num, ro.noise));
        if (w > 0 && (size_t)w < sizeof extra)
            plot_spf(extra + w, sizeof extra - (size_t)w, ", seed %llu; reached = within %.3g "
                     "of a critical point. losscape %s", ro.seed, tol, LSC_VERSION);
        /* (the caption is given whole: plot_title_caption adds no version to it) */
        lsc_plot_opts o2 = *o;
        if (!o2.caption[0] && !o2.no_caption)
            plot_spf(o2.caption, sizeof o2.caption, "%s", extra);
        const lsc_plot_opts *keep = c->o;
        c->o = &o2;
        plot_title_caption(c, title, NULL, 1);
        c->o = keep;
    }
    /* the legend along the bottom: classes reached and critical point markers */
    int nentries = 0;
    for (int q = 0; q < NC; q++)
        nentries += used[q];
    for (int q = 0; q < 4; q++)
        nentries += present[q];
    int kcols = cols >= 2 ? 4 : 2;
    int krows = (nentries + kcols - 1) / kcols;
    int fsz = c->term == TERM_PDF || c->term == TERM_TEX ? 9 : 12;
    double keyh = (krows * 1.45 * fsz + 8) / c->height;
    double top = o->no_title ? 0.98 : 1 - 36.0 / c->height;
    double bottom = c->cap_h + keyh + 10.0 / c->height;
    double ph = (top - bottom) / rows, pw = 1.0 / cols;
    plot_multiplot(c);
    plot_printf(c, "set size ratio -1\nunset colorbox\nset tics front\n");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    emit_axis_labels(c, "x", "y");
    plot_printf(c, "unset key\n");
    for (int p = 0; p < nopt; p++) {
        int pr = p / cols, pcn = p % cols;
        plot_printf(c, "\n# panel %d\n", p + 1);
        plot_printf(c, "set origin %.4f, %.4f\nset size %.4f, %.4f\n", pcn * pw,
                    bottom + (rows - 1 - pr) * ph, pw, ph);
        if (p == 1)
            plot_caption_off(c);
        plot_printf(c, "set label 80 ");
        plot_str(c, labels[p]);
        plot_printf(c, " at graph 0.5, graph 1.04 center noenhanced front\n");
        clauses k = {c, "plot", 0};
        cl_next(&k);
        plot_fileref(c, fname(c, ".basins.tsv", nm, sizeof nm));
        plot_printf(c, " index %d using 1:2:4:5:6 with rgbimage notitle", p);
        if (pc.nlevels > 0) {
            cl_next(&k);
            plot_fileref(c, fname(c, ".contour.tsv", nm, sizeof nm));
            plot_printf(c, " using 1:2 with lines lc rgb '#66FFFFFF' lw 0.6 notitle");
        }
        emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), present, NULL);
        cl_end(&k);
        plot_printf(c, "unset label 80\n");
    }
    /* the legend, once, across the bottom: an empty plot that has only the key */
    plot_printf(c, "\n# legend\n");
    if (nopt == 1)
        plot_caption_off(c);
    plot_printf(c, "set origin 0, %.4f\nset size 1, %.4f\nset size noratio\n", c->cap_h,
                keyh + 4.0 / c->height);
    plot_printf(c, "unset border; unset tics; unset xlabel; unset ylabel\n"
                   "set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0\n"
                   "set xrange [0:1]; set yrange [0:1]\n"
                   "set key center center horizontal Left reverse maxcols %d width 2\n", kcols);
    clauses k = {c, "plot", 0};
    for (int q = 0; q < NC; q++) {
        if (!used[q])
            continue;
        char lab[160];
        if (q < ncp)
            plot_spf(lab, sizeof lab, "%s (%.3g, %.3g)", cp_label[cps[q].kind], cpx[2 * q],
                     cpx[2 * q + 1]);
        else
            plot_spf(lab, sizeof lab, "%s", q == ncp ? "not converged" : "diverged");
        cl_next(&k);
        plot_printf(c, "keyentry with boxes fill solid 1.0 noborder lc rgb '%s' title '%s'",
                    col[q], lab);
    }
    emit_critical_keys(c, &k, present);
    cl_next(&k);
    plot_printf(c, "NaN notitle");
    cl_end(&k);
    plot_printf(c, "unset multiplot\n");
    free(col);
done:
    if (opt)
        lsc_optim_free(opt);
    lsc_trajectory_free(&tr);
    plot_grid_free(&g);
    free(cls);
    free(used);
    free(cps);
    free(cpx);
    free(labels);
    return rc;
}
