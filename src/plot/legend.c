/* legend.c — the key panel of a figure and its marker entries (legend.h) */
#include "legend.h"

#include <string.h>

const char *const plot_cp_label[4] = {"minimum", "maximum", "saddle point",
                                        "degenerate critical point"};
const char *const plot_cp_pt[4] = {"PT_MIN", "PT_MAX", "PT_SADDLE", "PT_DEGEN"};

void plot_leg_add(plot_legend *L, const char *style, const char *text, int user, int essential)
{
    if (L->n >= LEG_MAX)
        return;
    plot_spf(L->style[L->n], sizeof L->style[0], "%s", style);
    plot_spf(L->text[L->n], sizeof L->text[0], "%s", text);
    L->user[L->n] = user;
    L->essential[L->n] = essential;
    L->n++;
}

void plot_leg_markers(plot_legend *L, int diverged, int exits, int current)
{
    plot_leg_add(L, "with points pt PT_START ps PS_START lw 1.5 lc rgb C_START_EDGE", "start",
                 0, 0);
    if (current)
        plot_leg_add(L, "with points pt PT_CURRENT ps PS_RUN lc rgb '#000000'", "current", 0, 0);
    else
        plot_leg_add(L, "with points pt PT_END ps PS_RUN lc rgb '#000000'", "end", 0, 0);
    if (diverged)
        plot_leg_add(L, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'",
                     "diverged", 0, 1);
    if (exits)
        plot_leg_add(L, "with vectors head filled size screen 0.012,25 dt DT_EXIT lw 2 "
                     "lc rgb '#000000'", "diverged, off the map", 0, 1);
}

void plot_leg_critical(plot_legend *L, const int present[4])
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    char st[128];
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        plot_spf(st, sizeof st, "with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5",
                 plot_cp_pt[kind]);
        plot_leg_add(L, st, plot_cp_label[kind], 0, 0);
    }
}

/* A key row's height in em: gnuplot's character height times the style's key spacing
 * (1.15): 1.16 em for cairo's DejaVu Sans, 0.93 em in a .tex figure (cairolatex's
 * estimate of LaTeX's text) */
static double key_row_em(const plot_ctx *c)
{
    return c->term == TERM_TEX ? 1.07 : 1.34;
}

double plot_leg_layout(const plot_ctx *c, plot_legend *L, int *cols)
{
    const int text = plot_is_text(c);
    const double em = plot_em(c);
    for (int pass = 0; pass < 2; pass++) {
        double maxw = 3;
        for (int i = 0; i < L->n; i++) {
            /* gnuplot sizes key columns by character count (plot_gp_em; and 3.6 em for
             * the sample and gaps): whichever is wider, so it never fits fewer columns
             * than asked for */
            const char *t = L->text[i];
            double w = text ? (double)strlen(t)
                            : fmax(L->user[i] ? plot_user_em(c, t) : plot_label_em(c, t),
                                   plot_gp_em(c, t, !L->user[i]));
            maxw = w > maxw ? w : maxw;
        }
        double colw = text ? maxw + 8 : (maxw + 3.6) * em;
        int k = (int)((c->width - 2 * em) / colw);
        k = k < 1 ? 1 : k > L->n ? L->n : k;
        int rows = L->n ? (L->n + k - 1) / k : 0;
        /* a key row (key_row_em, and a little to spare); 0.7 em above and below */
        double h = text ? (rows + 1.0) / c->height
                        : (rows * (key_row_em(c) + 0.06) + 1.4) * em / c->height;
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

void plot_leg_panel(plot_ctx *c, const plot_legend *L, double y0, double h, int cols)
{
    if (L->n == 0)
        return;
    plot_printf(c, "\n# legend\n");
    plot_printf(c, "set origin 0, %.4f\nset size noratio 1, %.4f\n", y0, h);
    plot_printf(c, "unset border; unset tics; unset xlabel; unset ylabel; unset colorbox; "
                   "unset label 1; unset label %d\n"
                   "set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0\n"
                   "set xrange [0:1]; set yrange [0:1]; unset logscale\n", PLOT_CB_LABEL);
    /* rows centred in the panel (a key centred by gnuplot sits low, against the caption:
     * its box has room for a title): the first row's middle is half a row below the top
     * given, the rows key_row_em apart */
    if (plot_is_text(c)) {
        plot_printf(c, "set key center center horizontal Left reverse maxcols %d width 1\n",
                    cols);
    } else {
        int rows = (L->n + cols - 1) / cols;
        double row = key_row_em(c), half = c->term == TERM_TEX ? 0.56 : 0.7;
        double top = y0 + 0.5 * h + ((rows - 1) * row / 2 + half) * plot_em(c) / c->height;
        plot_printf(c, "set key at screen 0.5, screen %.4f center top horizontal Left reverse "
                    "maxcols %d width 1\n", top, cols);
    }
    plot_clauses k = {c, "plot", 0};
    for (int i = 0; i < L->n; i++) {
        plot_clause(&k);
        plot_printf(c, "keyentry %s title ", L->style[i]);
        plot_str(c, L->text[i]);
        if (L->user[i])
            plot_printf(c, " noenhanced");
    }
    plot_clause(&k);
    plot_printf(c, "NaN notitle");
    plot_clauses_end(&k);
}
