/* slice.c — kind slice: an n-D landscape on a plane through it (coordinate axes, random
 * directions or the runs' principal components) with the runs' paths projected onto it, and
 * f along the straight line from each run's start to its end */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "map.h"

static void normalize(double *v, int n)
{
    double s = 0;
    for (int j = 0; j < n; j++)
        s += v[j] * v[j];
    s = sqrt(s);
    for (int j = 0; j < n; j++)
        v[j] /= s;
}

static int slice_emit(plot_ctx *c)
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
    plot_path *pi = NULL;
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
    size_t m0 = plot_finite_prefix(t, R0);
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
        plot_spf(mode, sizeof mode, "the coordinate axes x%d and x%d", ai + 1, aj + 1);
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
        plot_spf(mode, sizeof mode, "two random directions (seed %llu)", o->seed);
    } else if (!strcmp(o->slice, "pca")) {
        rc = plot_pca(t, d1, d2, &ev1, &ev2, c->err);
        if (rc)
            goto done;
        plot_spf(mode, sizeof mode, "the two principal components of the positions");
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
    int have = plot_paths_bbox(c, base, d1, d2, bb);
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
    int gn = o->grid ? o->grid : c->K->grid;
    while (gn > 40 && (double)gn * gn * n > 2e8)
        gn = gn * 3 / 4;
    rc = plot_grid_eval(&g, L, gn, gn, v[0], v[1], v[2], v[3], base, d1, d2, c->err);
    if (rc)
        goto done;
    if (!plot_is_text(c) && (rc = plot_grid_write(c, &g, ".grid.f32")))
        goto done;
    plot_color pc;
    plot_color_setup(&pc, &g, L, t, o->log_color, o->contours);
    if (pc.nlevels > 0 && (rc = plot_contours_write(c, &g, &pc, ".contour.tsv")))
        goto done;
    int present[4];
    rc = plot_critical_write(c, L, v[0], v[1], v[2], v[3], base, d1, d2, present, ".cp.tsv");
    if (rc < 0)
        goto done;
    rc = plot_paths_write(c, ".paths.tsv", ".exits.tsv", base, d1, d2, v, &pc, 1, &pi, &ngroups);
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
            size_t m = plot_finite_prefix(t, R);
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
    char what[256], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32],
        nm2[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
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
    plot_auto_title(c, pi, ngroups, title, sizeof title);
    char note[600];
    char cnote[256];
    plot_colour_note(c, &pc, cnote, sizeof cnote);
    const char *through = !strcmp(o->center, "end") ? "the end of the first run"
                          : !strcmp(o->center, "start") ? "the start of the first run"
                          : !strcmp(o->center, "min") ? "the known minimum nearest the first "
                                                        "run's end"
                          : !strcmp(o->center, "origin") ? "the origin" : "the given centre";
    plot_spf(note, sizeof note, "Slice through %s, spanned by %s; the paths are projected onto "
             "it: they do not lie on the surface shown.%s%s", through, mode,
             cnote[0] ? " " : "", cnote);
    plot_title_caption(c, title, note, 1);
    const int text = plot_is_text(c);
    /* the key along the bottom: runs, markers, critical points */
    plot_legend LG;
    memset(&LG, 0, sizeof LG);
    plot_leg_runs(c, &LG, pi);
    plot_leg_markers(&LG, plot_any_diverged(c, pi), plot_any_exit(c, pi), 0);
    plot_leg_critical(&LG, present);
    int kcols;
    double kh = plot_leg_layout(c, &LG, &kcols);
    /* Layout in canvas units (em = the base font): the map's plot area keeps the view's
     * aspect ratio (x and y share units); the line panel to its right gets the width left
     * over, at least a third; both share the map's height, centred in the space between
     * the title and the key. */
    const double em = plot_em(c), W = c->width, H = c->height;
    const double mapl = text ? 9 : 5.2 * em, mapr = text ? 2 : 8.2 * em; /* colour box */
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
    double y0 = y_lo + 0.5 * (hav - hm);
    double mx0 = mapl, mx1 = mapl + wm, lx0 = mx1 + mapr + linel, lx1 = W - liner;
    plot_multiplot(c);
    /* left: the slice map */
    plot_printf(c, "\n# panel 1: the slice\n");
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", mx0 / W, mx1 / W);
    plot_printf(c, "set bmargin at screen %.4f; set tmargin at screen %.4f\n", y0 / H,
                (y0 + hm) / H);
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    plot_emit_axis_labels(c, xl, yl);
    plot_emit_colour_scale(c, &pc, !text, "cb");
    if (!text)
        plot_printf(c, "set colorbox user origin screen %.4f, screen %.4f size screen %.4f, "
                    "screen %.4f\n", (mx1 + 0.9 * em) / W, y0 / H, 1.1 * em / W, hm / H);
    plot_printf(c, "set tics front\n");
    if (text)
        plot_printf(c, "unset colorbox\n");
    plot_printf(c, "unset key\n");
    {
        plot_map m;
        memset(&m, 0, sizeof m);
        m.g = g;
        m.pc = pc;
        plot_clauses k = {c, "plot", 0};
        plot_emit_map_layers(c, &k, &m);
        plot_emit_critical(c, &k, plot_fname(c, ".cp.tsv", nm, sizeof nm), present, NULL);
        plot_emit_paths(c, &k, plot_fname(c, ".paths.tsv", nm, sizeof nm), pi, "2:3", 1,
                        plot_fname(c, ".exits.tsv", nm2, sizeof nm2));
        plot_clauses_end(&k);
    }
    /* right: f along start -> end */
    plot_printf(c, "\n# panel 2: f along the straight line from start to end\n");
    plot_caption_off(c);
    plot_printf(c, "unset colorbox\n");
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", lx0 / W, lx1 / W);
    plot_printf(c, "set xrange [-0.25:1.25]\nset xtics 0.25\n");
    if (plot_any_diverged(c, pi) && ylo < yhi) {
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
                plot_sym(c, "α  (0: start, 1: end)", "$\\alpha$ (0: start, 1: end)",
                         "alpha (0 start, 1 end)"));
    if (pc.log) {
        plot_printf(c, "set ylabel '%s' enhanced\nset logscale y 10\nset format y '%s'\n",
                    pc.known_min
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
    {
        plot_clauses k = {c, "plot", 0};
        const char *ln = plot_fname(c, ".line.tsv", nm, sizeof nm);
        int col = pc.log ? 3 : 2, started = 0;
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            plot_clause(&k);
            plot_fileref(c, ln);
            plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_PATH_RUN(%d) "
                        "dt DT_RUN(%d) notitle", pi[r].block, col, pi[r].lt, pi[r].group,
                        pi[r].group);
        }
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            /* alpha = 0 (row 40) is every run's start: one marker when they coincide */
            if (!started || !pi[r].same_start) {
                if (!text) {
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
                            "pt PT_DIVERGED ps PS_RUN lw 2 notitle", pi[r].block, col,
                            pi[r].lt);
            else
                plot_printf(c, " index %d every ::200::200 using 1:%d with points lt %d "
                            "pt PT_END ps PS_END_RUN(%d) notitle", pi[r].block, col, pi[r].lt,
                            pi[r].group);
        }
        plot_clauses_end(&k);
    }
    plot_printf(c, "set xtics autofreq\n");
    plot_leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
done:
    plot_grid_free(&g);
    plot_paths_free(pi, t->nruns);
    free(d1), free(d2), free(ctr), free(base), free(lo), free(hi), free(xb);
    return rc;
}

/* The plane and the centre, as slice_emit reads them, before any work. */
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
