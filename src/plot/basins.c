/* basins.c — kind basins: the basins of attraction computed by lsc_basins_compute
 * (basins.h), one panel per optimizer: each start of the grid coloured by the critical point
 * its run reached, with contour lines and the critical points (2-D). It draws; it never
 * runs an optimizer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "runs.h"

static const char *const oi_colours[7] = {"#D55E00", "#0072B2", "#009E73", "#E69F00",
                                          "#CC79A7", "#56B4E9", "#F0E442"};

static void hex_rgb(const char *h, int *r, int *g, int *b)
{
    unsigned v = (unsigned)strtoul(h + 1, NULL, 16);
    *r = (int)(v >> 16) & 255;
    *g = (int)(v >> 8) & 255;
    *b = (int)v & 255;
}

static int basins_emit(plot_ctx *c)
{
    const lsc_basins *B = c->basins;
    const lsc_plot_opts *o = c->o;
    const lsc_landscape *L = c->L;
    const int N = B->n, ncp = B->ncp, nopt = B->nopt;
    const double *v = B->box;
    const double tol = B->tol;
    /* classes: 0..ncp-1 critical points, ncp not converged, ncp+1 diverged */
    const int NC = B->nclass;
    int *used = calloc((size_t)NC, sizeof *used);
    char (*labels)[LSC_VALUE_MAX] = calloc((size_t)nopt, sizeof *labels);
    int rc = LSC_OK;
    plot_grid g;
    memset(&g, 0, sizeof g);
    if (!used || !labels) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < NC; k++)
        used[k] = B->classes[k].count > 0;
    /* a label of the user's own, else the optimizer with its non-default values */
    for (int p = 0; p < nopt; p++) {
        const lsc_basins_optimizer *O = &B->opt[p];
        if (strcmp(O->label, O->type))
            plot_spf(labels[p], LSC_VALUE_MAX, "%s", O->label);
        else
            plot_short_optimizer(O->describe, labels[p], LSC_VALUE_MAX);
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
                if (used[k] && ((B->classes[k].kind == LSC_CP_MIN) == (pass == 0)))
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
        for (const char *s = B->opt[p].spec; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f.fp);
        fputc('\n', f.fp);
        for (int j = 0; j < N; j++) {
            for (int i = 0; i < N; i++) {
                int k = B->grid[((size_t)p * N + j) * N + i], r, gg, b;
                double x0[2];
                lsc_basins_start(B, i, j, x0);
                hex_rgb(col[k], &r, &gg, &b);
                fprintf(f.fp, "%.10g %.10g %d %d %d %d\n", x0[0], x0[1], k, r, gg, b);
            }
            fputc('\n', f.fp);
        }
    }
    rc = plot_close(c, &f);
    /* thin contour lines for orientation */
    plot_color pc;
    memset(&pc, 0, sizeof pc);
    if (!rc) {
        rc = plot_grid_eval(&g, L, c->K->grid, c->K->grid, v[0], v[1], v[2], v[3], NULL,
                           NULL, NULL, c->err);
        if (!rc) {
            plot_color_setup(&pc, &g, L, NULL, o->log_color, o->contours);
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
        for (const char *s = B->opt[p].spec; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, c->gp);
        fputc('\n', c->gp);
    }
    {
        char num[32];
        fprintf(c->gp, "# run options: steps %ld, stop_grad %s", B->steps,
                lsc_fmt_double(num, B->stop_grad));
        fprintf(c->gp, ", clip_norm %s", lsc_fmt_double(num, B->clip_norm));
        fprintf(c->gp, ", clip_value %s", lsc_fmt_double(num, B->clip_value));
        fprintf(c->gp, ", noise %s, seed %llu", lsc_fmt_double(num, B->noise), B->seed);
        const char *sched = B->schedule[0] ? B->schedule : "constant";
        fputs(", schedule ", c->gp);
        for (const char *s = sched; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, c->gp);
        fprintf(c->gp, "\n# reached: within %s of a known critical point\n",
                lsc_fmt_double(num, tol));
    }
    /* title and caption: the automatic caption says how the figure was made; the note
     * what "reached" means stays after a caption of the user's own */
    {
        char ls[LSC_VALUE_MAX], title[LSC_VALUE_MAX + 64], note[160], sched[LSC_VALUE_MAX];
        plot_short_landscape(L, NULL, ls, sizeof ls);
        plot_spf(title, sizeof title, "%s: basins of attraction", ls);
        plot_spf(sched, sizeof sched, "constant");
        if (B->schedule[0])
            plot_short_schedule(B->schedule, sched, sizeof sched);
        char num[32], *ac = c->auto_caption;
        size_t acl = sizeof c->auto_caption;
        int w = plot_spf(ac, acl, "%dx%d starts, %ld steps, schedule %s", N, N, B->steps,
                         sched);
        if (B->clip_norm > 0 && w > 0 && (size_t)w < acl)
            w += plot_spf(ac + w, acl - (size_t)w, ", clip_norm %s",
                          lsc_fmt_double(num, B->clip_norm));
        if (B->noise > 0 && w > 0 && (size_t)w < acl)
            w += plot_spf(ac + w, acl - (size_t)w, ", gradient noise sd %s",
                          lsc_fmt_double(num, B->noise));
        if (w > 0 && (size_t)w < acl)
            plot_spf(ac + w, acl - (size_t)w, ", seed %llu.", B->seed);
        plot_spf(note, sizeof note, "A start counts as reaching a critical point when its run "
                 "ends within %.3g of it.", tol);
        plot_title_caption(c, title, note, 1);
    }
    /* the key along the bottom: classes reached and critical point markers */
    plot_legend LG;
    memset(&LG, 0, sizeof LG);
    for (int q = 0; q < NC; q++) {
        if (!used[q])
            continue;
        char lab[160], st[128];
        if (q < ncp)
            plot_spf(lab, sizeof lab, "%s (%.3g, %.3g)", plot_cp_label[B->classes[q].kind],
                     B->classes[q].x[0], B->classes[q].x[1]);
        else
            plot_spf(lab, sizeof lab, "%s", q == ncp ? "not converged" : "diverged");
        plot_spf(st, sizeof st, "with boxes fill solid 1.0 noborder lc rgb '%s'", col[q]);
        plot_leg_add(&LG, st, lab, 0, 1);
    }
    plot_leg_critical(&LG, present);
    int kcols;
    double kh = plot_leg_layout(c, &LG, &kcols);
    const double em = plot_em(c);
    double top = 1 - plot_title_h(c);
    double bottom = c->cap_h + kh + 0.3 * em / c->height;
    double ph = (top - bottom) / rows, pw = 1.0 / cols;
    plot_multiplot(c);
    plot_printf(c, "set size ratio -1\nunset colorbox\nset tics front\n");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    plot_emit_axis_labels(c, "x", "y");
    plot_printf(c, "unset key\n");
    for (int p = 0; p < nopt; p++) {
        int pr = p / cols, pcn = p % cols;
        plot_printf(c, "\n# panel %d\n", p + 1);
        plot_printf(c, "set origin %.4f, %.4f\nset size %.4f, %.4f\n", pcn * pw,
                    bottom + (rows - 1 - pr) * ph, pw, ph);
        if (p == 1)
            plot_caption_off(c);
        plot_printf(c, "set title ");
        plot_str(c, labels[p]);
        plot_printf(c, " noenhanced offset 0,-0.3\n");
        plot_clauses k = {c, "plot", 0};
        plot_clause(&k);
        plot_fileref(c, plot_fname(c, ".basins.tsv", nm, sizeof nm));
        plot_printf(c, " index %d using 1:2:4:5:6 with rgbimage notitle", p);
        if (pc.nlevels > 0) {
            plot_clause(&k);
            plot_fileref(c, plot_fname(c, ".contour.tsv", nm, sizeof nm));
            plot_printf(c, " using 1:2 with lines lc rgb '#66FFFFFF' lw 0.6 notitle");
        }
        plot_emit_critical(c, &k, plot_fname(c, ".cp.tsv", nm, sizeof nm), present, NULL);
        plot_clauses_end(&k);
    }
    plot_printf(c, "unset title\n");
    if (nopt == 1)
        plot_caption_off(c);
    plot_leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    free(col);
done:
    plot_grid_free(&g);
    free(used);
    free(labels);
    return rc;
}

/* A 2-D landscape, at most 16 panels. */
static int basins_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                        const plot_need *need, lsc_error *err)
{
    (void)o;
    if (L->n != 2) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: needs a 2-D landscape ('%s' has %d "
                      "dimensions)", K->name, L->type->name, L->n);
        return LSC_EINVAL;
    }
    if (need->nruns > 16) {
        lsc_error_set(err, LSC_EINVAL, "basins: %d optimizers (allowed: at most 16 panels)",
                      need->nruns);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static const char *const basins_keys[] = {"basin_n", "basin_tol", "contours", "log", "xlim",
                                          "ylim", NULL};

const plot_kind_type plot_kind_basins = {
    .name = "basins",
    .id = LSC_PLOT_BASINS,
    .summary = "basins of attraction: a grid of starts coloured by the critical point reached",
    .keys = basins_keys,
    .flags = PLOT_NEEDS_LANDSCAPE | PLOT_BASINS,
    .grid = 200, /* the contour lines (grid= is not read) */
    .width = 0,  /* by the number of panels */
    .height = 0,
    .check = basins_check,
    .emit = basins_emit,
};
