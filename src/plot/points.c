/* points.c — the data set of a model figure, as points (points.h) */
#include "points.h"

#include <math.h>
#include <string.h>

/* Okabe & Ito, "Color Universal Design" (2008): distinguishable with every common colour
 * vision deficiency. Orange and blue first, the pair Playground gives its two classes. */
static const char *const class_colour[PLOT_POINTS_MAX_CLASSES] = {
    "#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000",
};

const char *plot_class_colour(int k)
{
    return class_colour[k >= 0 && k < PLOT_POINTS_MAX_CLASSES ? k : 0];
}

static int max_classes(const lsc_dataset *train, const lsc_dataset *test)
{
    int C = train->classes;
    if (test && test->classes > C)
        C = test->classes;
    return C;
}

int plot_points_check(const plot_kind_type *K, const lsc_landscape *L, lsc_error *err)
{
    const lsc_model *M = lsc_landscape_model(L);
    if (!M) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: needs a model over data (linreg, logreg, "
                      "softmax, mlp with a data set); landscape '%s' has none", K->name,
                      L->type->name);
        return LSC_EINVAL;
    }
    return plot_points_check_sets(K, M->train, M->test, err);
}

int plot_points_check_sets(const plot_kind_type *K, const lsc_dataset *D,
                           const lsc_dataset *test, lsc_error *err)
{
    const int C = max_classes(D, test);
    if (D->d == 1)
        return LSC_OK;
    if (D->d != 2 || C < 1) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: needs two features with class labels, or one "
                      "feature (data '%.100s' has %d feature%s%s)", K->name, D->source, D->d,
                      D->d == 1 ? "" : "s", D->d == 2 ? " and no class labels" : "");
        return LSC_EINVAL;
    }
    if (C > PLOT_POINTS_MAX_CLASSES) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: draws at most %d classes apart (data "
                      "'%.100s' has %d)", K->name, PLOT_POINTS_MAX_CLASSES, D->source, C);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* [lo, hi] of column j of D (j = d: the target) widened to hold it */
static void widen(const lsc_dataset *D, int j, double *lo, double *hi)
{
    for (int i = 0; D && i < D->n; i++) {
        double v = j < D->d ? D->X[(size_t)i * D->d + j] : D->y[i];
        *lo = fmin(*lo, v);
        *hi = fmax(*hi, v);
    }
}

/* The data's range on each axis, and 8% of it on each side (half a unit when the range is
 * a single value), as Playground leaves room around its points; xlim, ylim replace it. */
void plot_points_init(const plot_ctx *c, plot_points *P)
{
    memset(P, 0, sizeof *P);
    const lsc_model *M = c->data[0] ? NULL : lsc_landscape_model(c->L);
    P->M = M;
    P->set[0] = M ? M->train : c->data[0];
    P->set[1] = M ? M->test : c->data[1];
    const lsc_dataset *D = P->set[0];
    P->d = D->d;
    P->classes = P->d == 2 ? max_classes(D, P->set[1]) : 0;
    plot_spf(P->xname, sizeof P->xname, "%s", D->names[0]);
    plot_spf(P->yname, sizeof P->yname, "%s", D->names[P->d == 2 ? 1 : D->d]);
    for (int a = 0; a < 2; a++) {
        const int j = a == 0 ? 0 : P->d == 2 ? 1 : D->d;
        double lo = INFINITY, hi = -INFINITY;
        widen(P->set[0], j, &lo, &hi);
        widen(P->set[1], j, &lo, &hi);
        double pad = hi > lo ? 0.08 * (hi - lo) : 0.5;
        P->v[2 * a] = lo - pad;
        P->v[2 * a + 1] = hi + pad;
    }
    /* two features in one unit: a Playground set is a square */
    const lsc_plot_opts *o = c->o;
    if (isfinite(o->xlim[0])) {
        P->v[0] = o->xlim[0];
        P->v[1] = o->xlim[1];
    }
    if (isfinite(o->ylim[0])) {
        P->v[2] = o->ylim[0];
        P->v[3] = o->ylim[1];
    }
}

int plot_points_write(plot_ctx *c, const plot_points *P)
{
    plot_file f;
    int rc = plot_open(c, ".points.tsv", &f);
    if (rc)
        return rc;
    fprintf(f.fp, "# the examples: x y class set (set 0: training, 1: test)%s\n",
            P->d == 1 ? "; y is the target, class 0" : "");
    for (int s = 0; s < 2; s++) {
        const lsc_dataset *D = P->set[s];
        for (int i = 0; D && i < D->n; i++) {
            const double *a = D->X + (size_t)i * D->d;
            double y = P->d == 2 ? a[1] : D->y[i];
            int k = P->d == 2 ? plot_clamp_int(D->y[i], 0, PLOT_POINTS_MAX_CLASSES - 1) : 0;
            fprintf(f.fp, "%.17g %.17g %d %d\n", a[0], y, k, s);
        }
    }
    return plot_close(c, &f);
}

void plot_emit_points(plot_ctx *c, plot_clauses *k, const plot_points *P)
{
    char pn[LSC_PLOT_PATH_MAX];
    plot_fname(c, ".points.tsv", pn, sizeof pn);
    const int nk = P->d == 2 ? P->classes : 1;
    for (int s = 0; s < 2; s++) {
        if (!P->set[s])
            continue;
        for (int q = 0; q < nk; q++) {
            /* d = 1: one colour, the style's blue */
            const char *col = P->d == 2 ? plot_class_colour(q) : "#0072B2";
            const char *fill = s == 0 ? col : "#FFFFFF";
            const char *edge = s == 0 ? "#222222" : col;
            plot_clause(k);
            plot_fileref(c, pn);
            plot_printf(c, " using 1:(($3 == %d && $4 == %d) ? $2 : NaN) with points pt 7 "
                        "ps PS_DATA lc rgb '%s' notitle", q, s, fill);
            plot_clause(k);
            plot_fileref(c, pn);
            plot_printf(c, " using 1:(($3 == %d && $4 == %d) ? $2 : NaN) with points pt 6 "
                        "ps PS_DATA lw %s lc rgb '%s' notitle", q, s, s == 0 ? "1.0" : "2.2",
                        edge);
        }
    }
}

void plot_points_legend(const plot_ctx *c, const plot_points *P, plot_legend *L)
{
    char st[128], tx[64];
    (void)c;
    for (int q = 0; P->d == 2 && q < P->classes; q++) {
        plot_spf(st, sizeof st, "with points pt 7 ps PS_DATA lc rgb '%s'", plot_class_colour(q));
        plot_spf(tx, sizeof tx, "class %d", q);
        plot_leg_add(L, st, tx, 0, 1);
    }
    const char *col = P->d == 2 ? "#777777" : "#0072B2";
    plot_spf(st, sizeof st, "with points pt 7 ps PS_DATA lc rgb '%s'", col);
    /* without a holdout, classes say all there is; y against x names its points */
    if (P->set[1] || P->d == 1)
        plot_leg_add(L, st, P->set[1] ? "training (filled)" : P->M ? "training examples"
                                                                   : "examples", 0, 1);
    if (P->set[1]) {
        plot_spf(st, sizeof st, "with points pt 6 ps PS_DATA lw 2.2 lc rgb '%s'", col);
        plot_leg_add(L, st, "test (open)", 0, 1);
    }
}

void plot_points_panel(plot_ctx *c, const plot_points *P, double y0)
{
    const lsc_plot_opts *o = c->o;
    const double em = plot_em(c), W = c->width, H = c->height, *v = P->v;
    char a[32], b[32];
    double ytics = plot_tics_em(c, v[2], v[3], 0, 1);
    double ylab = plot_user_em(c, o->ylabel[0] ? o->ylabel : P->yname) > 0 ? 1.3 : 0;
    double left = (1.0 + ytics + 0.7 + ylab + 0.5) * em, right = 1.5 * em;
    double bottom = 3.9 * em, top = 0.8 * em;
    double y_lo = y0 * H + bottom, y_hi = (1 - plot_title_h(c)) * H - top;
    double wav = W - left - right, hav = y_hi - y_lo, wm = wav, hm = hav;
    if (P->d == 2) { /* x and y in one unit, unless that makes it flatter than 1:3 */
        double aspect = (v[1] - v[0]) / (v[3] - v[2]);
        hm = wm / aspect;
        if (hm > hav) {
            hm = hav;
            wm = hm * aspect;
        }
        if (hm < 0.33 * hav)
            hm = 0.33 * hav;
        if (wm < 0.33 * wav)
            wm = 0.33 * wav;
    }
    double x0 = left + 0.5 * (wav - wm), yb = y_lo + 0.5 * (hav - hm);
    plot_printf(c, "set origin 0, 0\nset size noratio 1, 1\n");
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", x0 / W,
                (x0 + wm) / W);
    plot_printf(c, "set bmargin at screen %.4f; set tmargin at screen %.4f\n", yb / H,
                (yb + hm) / H);
    plot_printf(c, "eval FRAME\nunset key\nunset colorbox\nset tics front\n");
    plot_emit_axis_labels(c, P->xname, P->yname);
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    plot_printf(c, "set format x '%s'\nset format y '%s'\n", plot_sym(c, "%g", "$%g$", "%g"),
                plot_sym(c, "%g", "$%g$", "%g"));
    plot_fit_tics(c, "x", v[0], v[1], wm, 1, 0);
    plot_fit_tics(c, "y", v[2], v[3], hm, 0, 0);
    plot_printf(c, "PS_DATA = %s\n", P->set[0]->n + (P->set[1] ? P->set[1]->n : 0) > 2000
                                         ? "0.7" : "1.2");
}

void plot_points_describe(const plot_ctx *c, const plot_points *P, char *buf, size_t len)
{
    const lsc_dataset *D = P->set[0];
    const char *src = c->t && c->t->data[0] ? c->t->data : D->source;
    char frac[48] = "";
    if (c->t && P->set[1])
        plot_spf(frac, sizeof frac, " (holdout %g)", c->t->holdout);
    if (P->set[1])
        plot_spf(buf, len, "%s, %d training and %d test examples%s", src, D->n, P->set[1]->n,
                 frac);
    else
        plot_spf(buf, len, "%s, %d examples", src, D->n);
}

void plot_model_describe(const lsc_landscape *L, char *buf, size_t len)
{
    static const char *const act[] = {"tanh", "relu", "sigmoid", "leaky-relu", "linear"};
    static const char *const loss[] = {"mse", "bce", "ce"};
    const lsc_model *M = lsc_landscape_model(L);
    size_t w = 0;
    int mlp = !strcmp(L->type->name, "mlp");
    plot_spf(buf, len, "%s ", L->type->name);
    for (int l = 0; l <= M->nlayers && (w = strlen(buf)) < len; l++)
        plot_spf(buf + w, len - w, "%s%d", l ? "-" : "", M->size[l]);
    w = strlen(buf);
    if (mlp && (int)M->act >= 0 && (int)M->act < LSC_COUNTOF(act) && (int)M->loss >= 0 &&
        (int)M->loss < LSC_COUNTOF(loss))
        plot_spf(buf + w, len - w, " %s (%s)", act[M->act], loss[M->loss]);
    w = strlen(buf);
    if (M->l2 > 0)
        plot_spf(buf + w, len - w, ", l2 %g", M->l2);
}
