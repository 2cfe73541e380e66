/* slice.c — kind slice: an n-D landscape on a plane through it (coordinate axes, random
 * directions or the runs' principal components) with the runs' paths projected onto it, and
 * f along the straight line from each run's start to its end */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "map.h"
#include "model.h"
#include "runs.h"

/* The slice: the plane x = base + a d1 + b d2 (axes: a, b are x_i, x_j themselves;
 * directions: offsets from the centre), the view on it, the map drawn there. */
typedef struct {
    int n;
    double *d1, *d2, *base, *xb; /* xb: room for a point */
    int axes, ai, aj;            /* slice=axes:I,J (0-based) */
    double ev1, ev2;             /* pca: explained variance of d1, d2 */
    char mode[192];              /* "the coordinate axes x1 and x2", ... */
    double v[4];                 /* the view: a0, a1, b0, b1 */
    plot_map m;
    double ylo, yhi;             /* line panel range of the runs that converged */
} slice;

/* The layout of the two panels, in canvas units. */
typedef struct {
    double W, H;
    double y0, hm;   /* the panels' bottom and height */
    double mx0, mx1; /* the map's left and right */
    double lx0, lx1; /* the line panel's left and right */
} slice_layout;

static void normalize(double *v, int n)
{
    double s = 0;
    for (int j = 0; j < n; j++)
        s += v[j] * v[j];
    s = sqrt(s);
    for (int j = 0; j < n; j++)
        v[j] /= s;
}

/* The centre into s->base: the end (or the known minimum nearest the end) or the start of
 * run 0, the origin, or the given point. */
static int slice_centre(plot_ctx *c, slice *s)
{
    const lsc_plot_opts *o = c->o;
    const lsc_landscape *L = c->L;
    const lsc_run_record *R0 = &c->t->runs[0];
    const int n = s->n;
    double *ctr = s->base;
    size_t m0 = plot_finite_prefix(c->t, R0);
    if (!strcmp(o->center, "end") || !strcmp(o->center, "min")) {
        if (m0 == 0) {
            lsc_error_set(c->err, LSC_EINVAL, "center=%s: run 0 has no finite position",
                          o->center);
            return LSC_EINVAL;
        }
        memcpy(ctr, R0->x + (m0 - 1) * (size_t)n, (size_t)n * sizeof *ctr);
        if (!strcmp(o->center, "min")) {
            int k = lsc_landscape_nearest_min(L, ctr, NULL, s->xb);
            if (k < 0) {
                lsc_error_set(c->err, LSC_EINVAL, "center=min: landscape '%s' has no known "
                              "minimum (allowed: end, start, origin, x1;x2;...)", L->type->name);
                return LSC_EINVAL;
            }
            lsc_critical cp = {.x = ctr};
            lsc_landscape_critical(L, k, &cp);
        }
    } else if (!strcmp(o->center, "start")) {
        /* a trajectory of more than 64 dimensions describes its start: the first row */
        const double *x0 = lsc_run_record_start(c->t, R0);
        if (!x0) {
            lsc_error_set(c->err, LSC_EINVAL, "center=start: run 0 has no recorded start (the "
                          "trajectory only says how it was made)");
            return LSC_EINVAL;
        }
        memcpy(ctr, x0, (size_t)n * sizeof *ctr);
    } else if (!strcmp(o->center, "origin")) {
        /* zeros */
    } else {
        int got = lsc_parse_list(o->center, ';', ctr, n);
        int bad = got != n;
        for (int j = 0; !bad && j < n; j++)
            bad |= !isfinite(ctr[j]);
        if (bad) {
            lsc_error_set(c->err, LSC_EINVAL, "center=%.100s: allowed: end, start, min, origin, "
                          "or %d finite numbers separated by ';'", o->center, n);
            return LSC_EINVAL;
        }
    }
    return LSC_OK;
}

/* Gaussian directions (uniform on the sphere after normalising), the second made
 * orthogonal to the first (Gram-Schmidt). */
static int random_directions(plot_ctx *c, slice *s)
{
    const int n = s->n;
    const unsigned long long seed = c->o->seed;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
    for (int j = 0; j < n; j++)
        s->d1[j] = gsl_ran_gaussian(rng, 1.0);
    for (int j = 0; j < n; j++)
        s->d2[j] = gsl_ran_gaussian(rng, 1.0);
    gsl_rng_free(rng);
    normalize(s->d1, n);
    double p = 0;
    for (int j = 0; j < n; j++)
        p += s->d1[j] * s->d2[j];
    for (int j = 0; j < n; j++)
        s->d2[j] -= p * s->d1[j];
    normalize(s->d2, n);
    plot_spf(s->mode, sizeof s->mode, "two random directions (seed %llu)", seed);
    return LSC_OK;
}

/* Directions, not axes: run 0 moves towards +d1; d2's largest component positive. */
static void orient(const plot_ctx *c, slice *s)
{
    const lsc_run_record *R0 = &c->t->runs[0];
    const int n = s->n;
    size_t m0 = plot_finite_prefix(c->t, R0);
    double p = 0;
    const double *xe = R0->x + (m0 ? m0 - 1 : 0) * (size_t)n;
    const double *x0 = lsc_run_record_start(c->t, R0); /* NULL: no row, no start */
    for (int j = 0; x0 && j < n; j++)
        p += (xe[j] - x0[j]) * s->d1[j];
    if (p < 0)
        for (int j = 0; j < n; j++)
            s->d1[j] = -s->d1[j];
    int jm = 0;
    for (int j = 1; j < n; j++)
        if (fabs(s->d2[j]) > fabs(s->d2[jm]))
            jm = j;
    if (s->d2[jm] < 0)
        for (int j = 0; j < n; j++)
            s->d2[j] = -s->d2[j];
}

/* d1, d2 by slice=: two coordinate axes, random directions, or the principal components. */
static int slice_directions(plot_ctx *c, slice *s)
{
    const lsc_plot_opts *o = c->o;
    const int n = s->n;
    int rc = LSC_OK;
    if (!strncmp(o->slice, "axes:", 5)) {
        double ij[2];
        if (lsc_parse_list(o->slice + 5, ',', ij, 2) != 2 || ij[0] != floor(ij[0]) ||
            ij[1] != floor(ij[1]) || ij[0] < 1 || ij[1] < 1 || ij[0] > n || ij[1] > n ||
            ij[0] == ij[1]) {
            lsc_error_set(c->err, LSC_EINVAL, "slice=%.60s: allowed: axes:I,J with two different "
                          "coordinates between 1 and %d", o->slice, n);
            return LSC_EINVAL;
        }
        s->axes = 1;
        s->ai = (int)ij[0] - 1;
        s->aj = (int)ij[1] - 1;
        s->d1[s->ai] = 1;
        s->d2[s->aj] = 1;
        char na[64] = "", nb[64] = "";
        if (lsc_landscape_model(c->L)) { /* which parameters they are */
            plot_coord_name(c->L, s->ai, na + 3, sizeof na - 3);
            plot_coord_name(c->L, s->aj, nb + 3, sizeof nb - 3);
            memcpy(na, " = ", 3);
            memcpy(nb, " = ", 3);
        }
        plot_spf(s->mode, sizeof s->mode, "the coordinate axes x%d%s and x%d%s", s->ai + 1, na,
                 s->aj + 1, nb);
        return LSC_OK;
    }
    if (!strcmp(o->slice, "random")) {
        rc = random_directions(c, s);
    } else if (!strcmp(o->slice, "pca")) {
        rc = plot_pca(c->t, s->d1, s->d2, &s->ev1, &s->ev2, c->err);
        plot_spf(s->mode, sizeof s->mode, "the two principal components of the positions");
    } else {
        lsc_error_set(c->err, LSC_EINVAL, "slice=%.60s: unknown (allowed: axes:I,J, random, "
                      "pca)", o->slice);
        rc = LSC_EINVAL;
    }
    if (rc == LSC_OK)
        orient(c, s);
    return rc;
}

/* The view: axes: the landscape's box on them, widened to the paths; directions: the
 * projected paths and the centre, padded by 20%, at least +-0.5; then xlim, ylim. */
static int slice_view(plot_ctx *c, slice *s)
{
    const lsc_plot_opts *o = c->o;
    double *v = s->v, bb[4];
    int have = plot_paths_bbox(c, s->base, s->d1, s->d2, bb);
    if (s->axes) {
        double *lo = calloc((size_t)s->n, sizeof *lo), *hi = calloc((size_t)s->n, sizeof *hi);
        if (!lo || !hi) {
            free(lo), free(hi);
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        lsc_landscape_box(c->L, lo, hi);
        v[0] = lo[s->ai];
        v[1] = hi[s->ai];
        v[2] = lo[s->aj];
        v[3] = hi[s->aj];
        free(lo), free(hi);
        if (have) {
            double wx = v[1] - v[0], wy = v[3] - v[2];
            v[0] = fmin(v[0], fmax(bb[0] - 0.05 * wx, v[0] - 0.5 * wx));
            v[1] = fmax(v[1], fmin(bb[1] + 0.05 * wx, v[1] + 0.5 * wx));
            v[2] = fmin(v[2], fmax(bb[2] - 0.05 * wy, v[2] - 0.5 * wy));
            v[3] = fmax(v[3], fmin(bb[3] + 0.05 * wy, v[3] + 0.5 * wy));
        }
    } else {
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
    return LSC_OK;
}

/* The plane and the view (centre, directions; axes: base is the centre with coordinates
 * i and j zeroed), then the map's data on it. */
static int slice_build(plot_ctx *c, slice *s)
{
    int rc = slice_centre(c, s);
    if (rc == LSC_OK)
        rc = slice_directions(c, s);
    if (rc == LSC_OK && s->axes) {
        s->base[s->ai] = 0;
        s->base[s->aj] = 0;
    }
    if (rc == LSC_OK)
        rc = slice_view(c, s);
    if (rc)
        return rc;
    /* grid: cost grid^2 * n evaluations; keep it below ~2e8 coordinate updates */
    int gn = c->o->grid ? c->o->grid : c->K->grid;
    while (gn > 40 && (double)gn * gn * s->n > 2e8)
        gn = gn * 3 / 4;
    plot_map_spec sp = {{s->v[0], s->v[1], s->v[2], s->v[3]}, s->base, s->d1, s->d2, gn,
                        c->o->log_color,
                        PLOT_MAP_HEAT | PLOT_MAP_PATHS | PLOT_MAP_EXITS | PLOT_MAP_OVERLAPS};
    return plot_map_build(c, &s->m, &sp);
}

/* FIG.line.tsv: f on the straight line from each drawn run's start to its end, alpha from
 * -0.25 to 1.25 (241 points: alpha = 0 is row 40, alpha = 1 row 200); the range of the
 * runs that did not diverge into s->ylo, s->yhi. */
static int slice_line_write(plot_ctx *c, slice *s)
{
    const lsc_trajectory *t = c->t;
    const plot_color *pc = &s->m.pc;
    const int n = s->n;
    plot_file f;
    int rc = plot_open(c, ".line.tsv", &f);
    if (rc)
        return rc;
    fprintf(f.fp, "# f on the segment start + alpha (end - start), one block per drawn run: "
                  "alpha f colour\n");
    int nb = 0;
    s->ylo = INFINITY;
    s->yhi = -INFINITY;
    for (int r = 0; r < t->nruns; r++) {
        if (s->m.pi[r].block < 0)
            continue;
        const lsc_run_record *R = &t->runs[r];
        size_t m = plot_finite_prefix(t, R);
        const double *xs = R->x, *xe = R->x + (m - 1) * (size_t)n;
        if (nb++)
            fputs("\n\n", f.fp);
        fprintf(f.fp, "# run %d\n", r);
        for (int k = 0; k <= 240; k++) {
            double al = -0.25 + 1.5 * k / 240.0;
            for (int j = 0; j < n; j++)
                s->xb[j] = xs[j] + al * (xe[j] - xs[j]);
            double fv = lsc_landscape_in_domain(c->L, s->xb) ? lsc_landscape_f(c->L, s->xb)
                                                             : NAN;
            double cv = isfinite(fv) ? plot_color_value(pc, fv) : NAN;
            if (pc->log && !(cv > 0))
                cv = NAN;
            fprintf(f.fp, "%.6g %.10g %.10g\n", al, fv, cv);
            double yv = pc->log ? cv : fv;
            if (!s->m.pi[r].diverged && isfinite(yv)) {
                s->ylo = fmin(s->ylo, yv);
                s->yhi = fmax(s->yhi, yv);
            }
        }
    }
    return plot_close(c, &f);
}

/* The plane, exactly, as comments. */
static void emit_plane(plot_ctx *c, const slice *s)
{
    char num[32];
    fprintf(c->gp, "# plane: x = base + a*d1 + b*d2 (first 20 coordinates shown)\n");
    const char *nmv[3] = {"base", "d1", "d2"};
    const double *vec[3] = {s->base, s->d1, s->d2};
    for (int q = 0; q < 3; q++) {
        fprintf(c->gp, "# %s:", nmv[q]);
        for (int j = 0; j < s->n && j < 20; j++)
            fprintf(c->gp, " %s", lsc_fmt_double(num, vec[q][j]));
        fprintf(c->gp, "%s\n", s->n > 20 ? " ..." : "");
    }
}

/* Title, caption (which plane, that the paths are projections, the colour scale) and the
 * key along the bottom: runs, markers, critical points. Returns the key's height. */
static double slice_heading(plot_ctx *c, const slice *s, plot_legend *LG, int *kcols)
{
    const lsc_plot_opts *o = c->o;
    char title[LSC_VALUE_MAX * 2], note[600], cnote[256];
    plot_auto_title(c, s->m.pi, s->m.ngroups, title, sizeof title);
    plot_colour_note(c, &s->m.pc, cnote, sizeof cnote);
    const char *through = !strcmp(o->center, "end") ? "the end of the first run"
                          : !strcmp(o->center, "start") ? "the start of the first run"
                          : !strcmp(o->center, "min") ? "the known minimum nearest the first "
                                                        "run's end"
                          : !strcmp(o->center, "origin") ? "the origin" : "the given centre";
    plot_spf(note, sizeof note, "Slice through %s, spanned by %s; the paths are projected onto "
             "it: they do not lie on the surface shown.%s%s", through, s->mode,
             cnote[0] ? " " : "", cnote);
    plot_title_caption(c, title, note, 1);
    plot_map_legend(c, &s->m, LG, 0);
    return plot_leg_layout(c, LG, kcols);
}

/* Layout in canvas units (em = the base font): the map's plot area keeps the view's
 * aspect ratio (x and y share units); the line panel to its right gets the width left
 * over, at least a third; both share the map's height, centred in the space between the
 * title and the key (kh high). */
static void slice_layout_make(const plot_ctx *c, const slice *s, double kh, slice_layout *ly)
{
    const int text = plot_is_text(c);
    const double *v = s->v;
    const double em = plot_em(c), W = c->width, H = c->height;
    /* right of the map: 0.9 em to the colour box, then the box with its labels */
    const double mapl = text ? 9 : 5.2 * em,
                 mapr = text ? 2 : 0.9 * em + plot_colour_box_room(c, &s->m.pc);
    const double linel = text ? 10 : 6.8 * em, liner = text ? 2 : 1.2 * em;
    const double padb = text ? 3 : 3.9 * em, padt = text ? 1 : 0.8 * em;
    double y_lo = (c->cap_h + kh) * H + padb, y_hi = (1 - plot_title_h(c)) * H - padt;
    double wav = W - mapl - mapr - linel - liner, hav = y_hi - y_lo;
    double aspect = (v[1] - v[0]) / (v[3] - v[2]);
    double wline = 0.34 * wav, wm = wav - wline, hm = wm / aspect;
    if (hm > hav) {
        hm = hav;
        wm = hm * aspect;
        wline = wav - wm;
    }
    if (hm < 0.25 * hav && !text) /* a very wide view: let it be flatter than the data */
        hm = 0.25 * hav;
    ly->W = W;
    ly->H = H;
    ly->hm = hm;
    ly->y0 = y_lo + 0.5 * (hav - hm);
    ly->mx0 = mapl;
    ly->mx1 = mapl + wm;
    ly->lx0 = ly->mx1 + mapr + linel;
    ly->lx1 = W - liner;
}

/* Left: the slice map, its axes named by the plane. */
static void emit_map_panel(plot_ctx *c, const slice *s, const slice_layout *ly)
{
    const int text = plot_is_text(c);
    const double *v = s->v, W = ly->W, H = ly->H, em = plot_em(c);
    char xl[160], yl[160], a[32], b[32];
    if (s->axes && lsc_landscape_model(c->L)) { /* a model's parameters: W1[1,2], b1[3] */
        plot_coord_name(c->L, s->ai, xl, sizeof xl);
        plot_coord_name(c->L, s->aj, yl, sizeof yl);
    } else if (s->axes) {
        plot_spf(xl, sizeof xl, "x%d", s->ai + 1);
        plot_spf(yl, sizeof yl, "x%d", s->aj + 1);
    } else if (!strcmp(c->o->slice, "pca")) {
        plot_spf(xl, sizeof xl, "PC1 (%.1f%% of the variance)", 100 * s->ev1);
        plot_spf(yl, sizeof yl, "PC2 (%.1f%% of the variance)", 100 * s->ev2);
        /* a label longer than its side of a small map: the short form (the caption says
         * what the directions are) */
        if (!text && plot_label_em(c, yl) * em > ly->hm)
            plot_spf(yl, sizeof yl, "PC2 (%.1f%%)", 100 * s->ev2);
        if (!text && plot_label_em(c, xl) * em > ly->mx1 - ly->mx0)
            plot_spf(xl, sizeof xl, "PC1 (%.1f%%)", 100 * s->ev1);
    } else {
        plot_spf(xl, sizeof xl, "random direction 1");
        plot_spf(yl, sizeof yl, "random direction 2");
    }
    plot_printf(c, "\n# panel 1: the slice\n");
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", ly->mx0 / W,
                ly->mx1 / W);
    plot_printf(c, "set bmargin at screen %.4f; set tmargin at screen %.4f\n", ly->y0 / H,
                (ly->y0 + ly->hm) / H);
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    plot_emit_axis_labels(c, xl, yl);
    plot_fit_tics(c, "x", v[0], v[1], ly->mx1 - ly->mx0, 1, 0);
    plot_fit_tics(c, "y", v[2], v[3], ly->hm, 0, 0);
    plot_emit_colour_scale(c, &s->m.pc, !text, "cb");
    if (!text)
        plot_emit_colour_box(c, &s->m.pc, ly->mx1 + 0.9 * em, ly->y0, ly->hm);
    plot_printf(c, "set tics front\n");
    if (text)
        plot_printf(c, "unset colorbox\n");
    plot_printf(c, "unset key\n");
    plot_clauses k = {c, "plot", 0};
    plot_emit_map_layers(c, &k, &s->m);
    plot_emit_map_marked_paths(c, &k, &s->m, "2:3", NULL);
    plot_clauses_end(&k);
}

/* The line panel's axes (width: the room under it, canvas units): alpha; f (log: f - f* +
 * eps), its range that of the runs that did not blow up when one did. */
static void emit_line_axes(plot_ctx *c, const slice *s, double width)
{
    const plot_color *pc = &s->m.pc;
    char a[32], b[32];
    const double ylo = s->ylo, yhi = s->yhi;
    if (plot_any_diverged(c, s->m.pi) && ylo < yhi) {
        /* a run that blew up would flatten the others: its line leaves the panel */
        if (pc->log)
            plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, ylo / 2), plot_num(b, yhi * 2));
        else
            plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, ylo - 0.05 * (yhi - ylo)),
                        plot_num(b, yhi + 0.05 * (yhi - ylo)));
    } else {
        plot_printf(c, "set yrange [*:*]\n");
    }
    /* the axis named in full, or by its letter under a narrow panel (the start and end
     * markers sit at 0 and 1) */
    const char *al = plot_sym(c, "α  (0: start, 1: end)", "$\\alpha$ (0: start, 1: end)",
                              "alpha (0 start, 1 end)");
    if (!plot_is_text(c) && plot_label_em(c, al) * plot_em(c) > width)
        al = plot_sym(c, "α", "$\\alpha$", "alpha");
    plot_printf(c, "set xlabel '%s' enhanced\n", al);
    if (pc->log) {
        plot_printf(c, "set ylabel '%s' enhanced\nset logscale y 10\nset format y '%s'\n",
                    pc->known_min
                        ? plot_sym(c, "f(start + α(end − start)) − f* + ε",
                                   "$f - f^* + \\varepsilon$ on the line",
                                   "f - f* + eps on the line")
                        : plot_sym(c, "f(start + α(end − start)) − f_{min} + ε",
                                   "$f - f_{\\min} + \\varepsilon$ on the line",
                                   "f - fmin + eps on the line"),
                    plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
    } else {
        plot_printf(c, "set ylabel '%s' enhanced\nunset logscale y\nset format y '%%g'\n",
                    plot_sym(c, "f(start + α(end − start))", "$f$ on the line",
                             "f on the line"));
    }
}

/* The lines, then per run its start (alpha = 0, row 40: one marker where the runs start
 * together) and its end (alpha = 1, row 200). */
static void emit_line_plot(plot_ctx *c, const slice *s)
{
    const plot_path *pi = s->m.pi;
    char nm[LSC_PLOT_PATH_MAX + 32];
    plot_clauses k = {c, "plot", 0};
    const char *ln = plot_fname(c, ".line.tsv", nm, sizeof nm);
    int col = s->m.pc.log ? 3 : 2, started = 0;
    for (int r = 0; r < c->t->nruns; r++) {
        if (pi[r].block < 0)
            continue;
        plot_clause(&k);
        plot_fileref(c, ln);
        plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_PATH_RUN(%d) "
                    "dt DT_RUN(%d) notitle", pi[r].block, col, pi[r].lt, pi[r].group,
                    pi[r].group);
    }
    for (int r = 0; r < c->t->nruns; r++) {
        if (pi[r].block < 0)
            continue;
        if (!started || !pi[r].same_start) {
            if (!plot_is_text(c)) {
                plot_clause(&k);
                plot_fileref(c, ln);
                plot_printf(c, " index %d every ::40::40 using 1:%d with points "
                            "pt PT_START_FILL ps PS_START lc rgb C_START_FILL notitle",
                            pi[r].block, col);
            }
            plot_clause(&k);
            plot_fileref(c, ln);
            plot_printf(c, " index %d every ::40::40 using 1:%d with points pt PT_START "
                        "ps PS_START lw 1.5 lc rgb C_START_EDGE notitle", pi[r].block, col);
            started = 1;
        }
        plot_clause(&k);
        plot_fileref(c, ln);
        if (pi[r].diverged)
            plot_printf(c, " index %d every ::200::200 using 1:%d with points lt %d "
                        "pt PT_DIVERGED ps PS_RUN lw 2 notitle", pi[r].block, col, pi[r].lt);
        else
            plot_printf(c, " index %d every ::200::200 using 1:%d with points lt %d "
                        "pt PT_END ps PS_END_RUN(%d) notitle", pi[r].block, col, pi[r].lt,
                        pi[r].group);
    }
    plot_clauses_end(&k);
}

/* Right: f along start -> end. */
static void emit_line_panel(plot_ctx *c, const slice *s, const slice_layout *ly)
{
    plot_printf(c, "\n# panel 2: f along the straight line from start to end\n");
    plot_caption_off(c);
    plot_printf(c, "unset colorbox\nunset label %d\n", PLOT_CB_LABEL);
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", ly->lx0 / ly->W,
                ly->lx1 / ly->W);
    /* alpha in quarters, or halves when the quarters' labels would run into each other */
    double need = 0;
    for (int k = -1; k <= 5; k++) {
        char lab[32];
        plot_spf(lab, sizeof lab, plot_sym(c, "%g", "$%g$", "%g"), 0.25 * k);
        need += plot_label_em(c, lab) + 0.6; /* and a gap, as plot_fit_tics */
    }
    plot_printf(c, "set xrange [-0.25:1.25]\nset xtics %s\nset ytics autofreq\n",
                !plot_is_text(c) && need * plot_em(c) > ly->lx1 - ly->lx0 ? "0.5" : "0.25");
    double ylo = s->m.pc.log ? s->ylo / 2 : s->ylo, yhi = s->m.pc.log ? s->yhi * 2 : s->yhi;
    plot_fit_tics(c, "y", ylo, yhi, ly->hm, 0, s->m.pc.log);
    emit_line_axes(c, s, ly->lx1 - ly->lx0 + 1.2 * plot_em(c)); /* and the margin */
    emit_line_plot(c, s);
    plot_printf(c, "set xtics autofreq\n");
}

/* The script after the data: the plane, the heading, the two panels, the key. */
static int slice_script(plot_ctx *c, slice *s)
{
    char what[256];
    plot_spf(what, sizeof what, "slice of a %d-D landscape through %s, %s, %dx%d grid", s->n,
             c->o->center, s->mode, s->m.g.nx, s->m.g.ny);
    int rc = plot_script_begin(c, what);
    if (rc)
        return rc;
    emit_plane(c, s);
    plot_legend LG;
    int kcols;
    double kh = slice_heading(c, s, &LG, &kcols);
    slice_layout ly;
    slice_layout_make(c, s, kh, &ly);
    plot_multiplot(c);
    emit_map_panel(c, s, &ly);
    emit_line_panel(c, s, &ly);
    plot_leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

static int slice_emit(plot_ctx *c)
{
    const lsc_trajectory *t = c->t;
    const int n = c->L->n;
    if (t->nruns == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=slice: the trajectory has no runs");
        return LSC_EINVAL;
    }
    if (t->npos != n) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=slice: needs every coordinate of every step "
                      "(the trajectory keeps %d of %d: record with positions=all)", t->npos, n);
        return LSC_EINVAL;
    }
    slice s;
    memset(&s, 0, sizeof s);
    s.n = n;
    s.ev1 = s.ev2 = NAN;
    s.d1 = calloc((size_t)n, sizeof *s.d1);
    s.d2 = calloc((size_t)n, sizeof *s.d2);
    s.base = calloc((size_t)n, sizeof *s.base);
    s.xb = calloc((size_t)n, sizeof *s.xb);
    int rc = LSC_OK;
    if (!s.d1 || !s.d2 || !s.base || !s.xb) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        rc = LSC_ENOMEM;
    }
    if (rc == LSC_OK)
        rc = slice_build(c, &s);
    if (rc == LSC_OK)
        rc = slice_line_write(c, &s);
    if (rc == LSC_OK)
        rc = slice_script(c, &s);
    plot_map_free(c, &s.m);
    free(s.d1), free(s.d2), free(s.base), free(s.xb);
    return rc;
}

static int slice_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                       const plot_need *need, lsc_error *err)
{
    const int n = L->n;
    (void)K;
    if (need->npos != n) {
        lsc_error_set(err, LSC_EINVAL, "kind=slice: needs every coordinate of every step "
                      "(the trajectory keeps %d of %d: record with positions=all)", need->npos, n);
        return LSC_EINVAL;
    }
    double ij[2];
    if (!strncmp(o->slice, "axes:", 5) &&
        (lsc_parse_list(o->slice + 5, ',', ij, 2) != 2 || ij[0] != floor(ij[0]) ||
         ij[1] != floor(ij[1]) || ij[0] < 1 || ij[1] < 1 || ij[0] > n || ij[1] > n ||
         ij[0] == ij[1])) {
        lsc_error_set(err, LSC_EINVAL, "slice=%.60s: allowed: axes:I,J with two different "
                      "coordinates between 1 and %d", o->slice, n);
        return LSC_EINVAL;
    }
    if (strncmp(o->slice, "axes:", 5) && strcmp(o->slice, "random") &&
        strcmp(o->slice, "pca")) {
        lsc_error_set(err, LSC_EINVAL, "slice=%.60s: unknown (allowed: axes:I,J, random, "
                      "pca)", o->slice);
        return LSC_EINVAL;
    }
    if (!strcmp(o->center, "min") && !need->has_min) {
        lsc_error_set(err, LSC_EINVAL, "center=min: landscape '%s' has no known minimum "
                      "(allowed: end, start, origin, x1;x2;...)", L->type->name);
        return LSC_EINVAL;
    }
    if (strcmp(o->center, "end") && strcmp(o->center, "min") &&
        strcmp(o->center, "start") && strcmp(o->center, "origin")) {
        double *ctr = malloc((size_t)n * sizeof *ctr);
        int got = ctr ? lsc_parse_list(o->center, ';', ctr, n) : -1, bad = got != n;
        for (int j = 0; !bad && j < n; j++)
            bad |= !isfinite(ctr[j]);
        free(ctr);
        if (bad) {
            lsc_error_set(err, LSC_EINVAL, "center=%.100s: allowed: end, start, min, "
                          "origin, or %d finite numbers separated by ';'", o->center, n);
            return LSC_EINVAL;
        }
    }
    return LSC_OK;
}

static const char *const slice_keys[] = {"slice", "center", "seed", "grid", "contours", "log",
                                         "xlim", "ylim", "max_points", NULL};

const plot_kind_type plot_kind_slice = {
    .name = "slice",
    .id = LSC_PLOT_SLICE,
    .summary = "n-D: a 2-D slice (axes, random, PCA) and the loss along start -> end",
    .keys = slice_keys,
    .flags = PLOT_NEEDS_TRAJECTORY | PLOT_NEEDS_LANDSCAPE | PLOT_DUMB,
    .grid = 300,
    .width = 1400,
    .height = 680,
    .check = slice_check,
    .emit = slice_emit,
};
