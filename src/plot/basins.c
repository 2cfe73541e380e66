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

/* What the figure draws besides the computed basins. */
typedef struct {
    char (*col)[8];                /* colour of each class reached ('#RRGGBB') */
    char (*labels)[LSC_VALUE_MAX]; /* panel title of each optimizer */
    plot_map m;                    /* contour lines and critical points over the box */
    int cols, rows;                /* panels: up to 3 a row */
} basins_fig;

static void hex_rgb(const char *h, int *r, int *g, int *b)
{
    unsigned v = (unsigned)strtoul(h + 1, NULL, 16);
    *r = (int)(v >> 16) & 255;
    *g = (int)(v >> 8) & 255;
    *b = (int)v & 255;
}

/* The driver options of optimizer O that differ from the first optimizer's (the caption's),
 * as "schedule cosine, noise 0.1" into buf; 0 when none do. */
static int own_options(const lsc_basins *B, const lsc_basins_optimizer *O, char *buf,
                       size_t len)
{
    char num[32], sched[LSC_VALUE_MAX];
    size_t w = 0;
    buf[0] = 0;
#define OWN_APPEND(...)                                                                    \
    do {                                                                                   \
        int r_ = plot_spf(buf + w, len - w, __VA_ARGS__);                                  \
        w = r_ < 0 || w + (size_t)r_ >= len ? len - 1 : w + (size_t)r_;                    \
    } while (0)
    if (strcmp(O->schedule, B->schedule)) {
        plot_short_schedule(O->schedule[0] ? O->schedule : "constant", sched, sizeof sched);
        OWN_APPEND("schedule %s", sched);
    }
    if (O->noise != B->noise)
        OWN_APPEND("%snoise sd %s", w ? ", " : "", lsc_fmt_double(num, O->noise));
    if (O->clip_norm != B->clip_norm)
        OWN_APPEND("%sclip_norm %s", w ? ", " : "", lsc_fmt_double(num, O->clip_norm));
    if (O->clip_value != B->clip_value)
        OWN_APPEND("%sclip_value %s", w ? ", " : "", lsc_fmt_double(num, O->clip_value));
#undef OWN_APPEND
    return w > 0;
}

/* Colours of the classes reached: minima in Okabe-Ito order, other critical points after
 * them; not converged grey, diverged black. Panel titles: a label of the user's own, else
 * the optimizer with its non-default values. */
static int basins_names(plot_ctx *c, const lsc_basins *B, basins_fig *F)
{
    const int ncp = B->ncp;
    F->col = calloc((size_t)B->nclass, sizeof *F->col);
    F->labels = calloc((size_t)B->nopt, sizeof *F->labels);
    if (!F->col || !F->labels) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int next = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < ncp; k++)
            if (B->classes[k].count > 0 && ((B->classes[k].kind == LSC_CP_MIN) == (pass == 0)))
                plot_spf(F->col[k], 8, "%s", oi_colours[next++ % 7]);
    plot_spf(F->col[ncp], 8, "#BBBBBB");
    plot_spf(F->col[ncp + 1], 8, "#000000");
    for (int p = 0; p < B->nopt; p++) {
        const lsc_basins_optimizer *O = &B->opt[p];
        char own[LSC_VALUE_MAX];
        if (strcmp(O->label, O->type))
            plot_spf(F->labels[p], LSC_VALUE_MAX, "%s", O->label);
        else
            plot_short_optimizer(O->describe, F->labels[p], LSC_VALUE_MAX);
        if (own_options(B, O, own, sizeof own)) {
            size_t w = strlen(F->labels[p]);
            plot_spf(F->labels[p] + w, LSC_VALUE_MAX - w, " (%s)", own);
        }
    }
    return LSC_OK;
}

/* A spec, control characters as spaces (in a comment line). */
static void put_spec(FILE *fp, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
}

/* FIG.basins.tsv: per optimizer a block of starts: x0 y0 class r g b. */
static int basins_write(plot_ctx *c, const lsc_basins *B, const basins_fig *F)
{
    const int N = B->n;
    plot_file f;
    int rc = plot_open(c, ".basins.tsv", &f);
    if (rc)
        return rc;
    fprintf(f.fp, "# basins: one block per optimizer; x0 y0 (start) class r g b\n"
                  "# class: index of the known critical point reached (within %g), %d = not "
                  "converged, %d = diverged\n", B->tol, B->ncp, B->ncp + 1);
    for (int p = 0; p < B->nopt; p++) {
        if (p)
            fputs("\n\n", f.fp);
        fputs("# optimizer ", f.fp);
        put_spec(f.fp, B->opt[p].spec);
        fputc('\n', f.fp);
        for (int j = 0; j < N; j++) {
            for (int i = 0; i < N; i++) {
                int k = B->grid[((size_t)p * N + j) * N + i], r, gg, b;
                double x0[2];
                lsc_basins_start(B, i, j, x0);
                hex_rgb(F->col[k], &r, &gg, &b);
                fprintf(f.fp, "%.10g %.10g %d %d %d %d\n", x0[0], x0[1], k, r, gg, b);
            }
            fputc('\n', f.fp);
        }
    }
    return plot_close(c, &f);
}

/* The canvas: up to 3 panels a row, each 430 px (260 pt) square (.tex: at most 200 pt, in
 * 4.5 in), unless size= says (the canvas from setup: 0 where not given). */
static void basins_size(plot_ctx *c, basins_fig *F, int nopt)
{
    F->cols = nopt < 3 ? nopt : 3;
    F->rows = (nopt + F->cols - 1) / F->cols;
    if (!c->width && !c->height) {
        int pw = c->term == TERM_TEX ? (324 - 40) / F->cols : c->term == TERM_PDF ? 260 : 430;
        pw = c->term == TERM_TEX && pw > 200 ? 200 : pw;
        c->width = F->cols * pw + 40;
        c->height = F->rows * pw + (c->term == TERM_PDF || c->term == TERM_TEX ? 110 : 170);
    } else if (!c->width) {
        c->width = c->height * F->cols / F->rows;
    } else if (!c->height) {
        c->height = c->width * F->rows / F->cols + 150;
    }
}

/* How the basins were computed, as comments. */
static void emit_provenance(plot_ctx *c, const lsc_basins *B)
{
    char num[32];
    for (int p = 0; p < B->nopt; p++) {
        const lsc_basins_optimizer *O = &B->opt[p];
        fprintf(c->gp, "# optimizer %d: ", p + 1);
        put_spec(c->gp, O->spec);
        if (p > 0 && (strcmp(O->schedule, B->schedule) || O->noise != B->noise ||
                      O->clip_norm != B->clip_norm || O->clip_value != B->clip_value)) {
            fprintf(c->gp, " (its own clip_norm %s", lsc_fmt_double(num, O->clip_norm));
            fprintf(c->gp, ", clip_value %s", lsc_fmt_double(num, O->clip_value));
            fprintf(c->gp, ", noise %s, schedule ", lsc_fmt_double(num, O->noise));
            put_spec(c->gp, O->schedule[0] ? O->schedule : "constant");
            fputc(')', c->gp);
        }
        fputc('\n', c->gp);
    }
    fprintf(c->gp, "# run options: steps %ld, stop_grad %s", B->steps,
            lsc_fmt_double(num, B->stop_grad));
    fprintf(c->gp, ", clip_norm %s", lsc_fmt_double(num, B->clip_norm));
    fprintf(c->gp, ", clip_value %s", lsc_fmt_double(num, B->clip_value));
    fprintf(c->gp, ", noise %s, seed %llu", lsc_fmt_double(num, B->noise), B->seed);
    fputs(", schedule ", c->gp);
    put_spec(c->gp, B->schedule[0] ? B->schedule : "constant");
    fprintf(c->gp, "\n# reached: within %s of a known critical point\n",
            lsc_fmt_double(num, B->tol));
}

/* Title and caption: the automatic caption says how the figure was made; the note what
 * "reached" means stays after a caption of the user's own. */
static void basins_title(plot_ctx *c, const lsc_basins *B)
{
    char ls[LSC_VALUE_MAX], title[LSC_VALUE_MAX + 64], note[160], sched[LSC_VALUE_MAX];
    plot_short_landscape(c->L, NULL, ls, sizeof ls);
    plot_spf(title, sizeof title, "%s: basins of attraction", ls);
    plot_spf(sched, sizeof sched, "constant");
    if (B->schedule[0])
        plot_short_schedule(B->schedule, sched, sizeof sched);
    char num[32], *ac = c->auto_caption;
    size_t acl = sizeof c->auto_caption;
    int w = plot_spf(ac, acl, "%dx%d starts, %ld steps, schedule %s", B->n, B->n, B->steps,
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
             "ends within %.3g of it.", B->tol);
    plot_title_caption(c, title, note, 1);
}

/* The key along the bottom: the classes reached, then the critical points' markers. */
static double basins_key(plot_ctx *c, const lsc_basins *B, const basins_fig *F,
                         plot_legend *LG, int *kcols)
{
    memset(LG, 0, sizeof *LG);
    for (int q = 0; q < B->nclass; q++) {
        if (B->classes[q].count <= 0)
            continue;
        char lab[160], st[128];
        if (q < B->ncp)
            plot_spf(lab, sizeof lab, "%s (%.3g, %.3g)", plot_cp_label[B->classes[q].kind],
                     B->classes[q].x[0], B->classes[q].x[1]);
        else
            plot_spf(lab, sizeof lab, "%s", q == B->ncp ? "not converged" : "diverged");
        plot_spf(st, sizeof st, "with boxes fill solid 1.0 noborder lc rgb '%s'", F->col[q]);
        plot_leg_add(LG, st, lab, 0, 1);
    }
    plot_leg_critical(LG, F->m.present);
    return plot_leg_layout(c, LG, kcols);
}

/* One panel per optimizer: its starts as an RGB image, thin contour lines for orientation,
 * the critical points. The panels share the space between the title and the key in a
 * grid of cells; in each, room for the y tick labels and label on the left, the x ones
 * below and the panel's title above; the plot area keeps the box's aspect ratio (x and y
 * share units), centred in what is left. */
static void emit_panels(plot_ctx *c, const lsc_basins *B, const basins_fig *F, double kh)
{
    const double *v = B->box;
    const double em = plot_em(c), W = c->width, H = c->height;
    char nm[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    double top = 1 - plot_title_h(c);
    double bottom = c->cap_h + kh + 0.3 * em / c->height;
    double cw = W / F->cols, ch = (top - bottom) * H / F->rows;
    double left = (1.0 + plot_tics_em(c, v[2], v[3], 0, 1) + 0.7 + 1.3 + 0.3) * em;
    double right = 0.8 * em, below = 3.9 * em, above = 2.8 * em;
    double wav = cw - left - right, hav = ch - below - above;
    double aspect = (v[1] - v[0]) / (v[3] - v[2]), wm = wav, hm = wm / aspect;
    if (hm > hav)
        hm = hav, wm = hm * aspect;
    plot_printf(c, "set origin 0, 0\nset size noratio 1, 1\nunset colorbox\nset tics front\n");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    plot_fit_tics(c, "x", v[0], v[1], wm, 1, 0);
    plot_fit_tics(c, "y", v[2], v[3], hm, 0, 0);
    plot_emit_coord_labels(c);
    plot_printf(c, "unset key\n");
    for (int p = 0; p < B->nopt; p++) {
        int pr = p / F->cols, pcn = p % F->cols;
        double x0 = pcn * cw + left + 0.5 * (wav - wm);
        double y0 = bottom * H + (F->rows - 1 - pr) * ch + below + 0.5 * (hav - hm);
        plot_printf(c, "\n# panel %d\n", p + 1);
        plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", x0 / W,
                    (x0 + wm) / W);
        plot_printf(c, "set bmargin at screen %.4f; set tmargin at screen %.4f\n", y0 / H,
                    (y0 + hm) / H);
        if (p == 1)
            plot_caption_off(c);
        plot_printf(c, "set title ");
        plot_str(c, F->labels[p]);
        plot_printf(c, " noenhanced offset 0,-0.3\n");
        plot_clauses k = {c, "plot", 0};
        plot_clause(&k);
        plot_fileref(c, plot_fname(c, ".basins.tsv", nm, sizeof nm));
        plot_printf(c, " index %d using 1:2:4:5:6 with rgbimage notitle", p);
        plot_emit_contour_lines(c, &k, &F->m, "1:2", "'#66FFFFFF'", "0.6");
        plot_emit_map_critical(c, &k, &F->m, NULL);
        plot_clauses_end(&k);
    }
    plot_printf(c, "unset title\n");
}

/* The script after the data: provenance, heading, panels, key. */
static int basins_script(plot_ctx *c, const lsc_basins *B, const basins_fig *F)
{
    char what[256];
    plot_spf(what, sizeof what, "basins of attraction, %dx%d starts, %d optimizer%s", B->n,
             B->n, B->nopt, B->nopt > 1 ? "s" : "");
    int rc = plot_script_begin(c, what);
    if (rc)
        return rc;
    emit_provenance(c, B);
    basins_title(c, B);
    plot_legend LG;
    int kcols;
    double kh = basins_key(c, B, F, &LG, &kcols);
    plot_multiplot(c);
    emit_panels(c, B, F, kh);
    if (B->nopt == 1)
        plot_caption_off(c);
    plot_leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

static int basins_emit(plot_ctx *c)
{
    const lsc_basins *B = c->basins;
    basins_fig F;
    memset(&F, 0, sizeof F);
    int rc = basins_names(c, B, &F);
    if (rc == LSC_OK)
        rc = basins_write(c, B, &F);
    if (rc == LSC_OK) {
        /* contour lines and critical points over the box, no heat map (grid= is not read) */
        plot_map_spec s = {{B->box[0], B->box[1], B->box[2], B->box[3]}, NULL, NULL, NULL,
                           c->K->grid, c->o->log_color, 0};
        rc = plot_map_build(c, &F.m, &s);
    }
    basins_size(c, &F, B->nopt);
    if (rc == LSC_OK)
        rc = basins_script(c, B, &F);
    plot_map_free(c, &F.m);
    free(F.col);
    free(F.labels);
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
