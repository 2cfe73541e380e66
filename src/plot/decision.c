/* decision.c — kind decision: what a model trained on two features predicts over its
 * input plane, as TensorFlow Playground draws it: the background is the predicted class's
 * colour, deeper the surer the model is; the decision boundary (where the predicted class
 * changes: p = 0.5 for bce, equal largest logits for ce) is a line; the data points lie on
 * top, training examples filled and test examples open. A regression on one feature draws
 * the fitted curve through its data instead. The weights are a run's last finite row (or
 * the row at step=, of run=): the trajectory must keep every coordinate. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "points.h"
#include "sampler.h"

#define TINT_MAX 0.5 /* the deepest background: half the class colour over white */
#define FIT_POINTS 400
#define GRID_MAX 1000 /* cells per axis: the file holds 20 bytes a cell (20 MB at 1000) */

/* The weights drawn: run o->run, at its last finite row, or the last row at or before
 * o->step. */
typedef struct {
    const lsc_run_record *R;
    size_t row;
    const double *theta;
} dec_weights;

static int dec_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                     const plot_need *need, lsc_error *err)
{
    int rc = plot_points_check(K, L, err);
    if (rc)
        return rc;
    const lsc_model *M = lsc_landscape_model(L);
    const int d = M->train->d;
    if ((d == 2 && M->loss == LSC_LOSS_MSE) || (d == 1 && M->loss != LSC_LOSS_MSE)) {
        lsc_error_set(err, LSC_EINVAL, "kind=decision: needs a classifier (loss bce or ce) on "
                      "two features, or a regression (loss mse) on one feature (this model "
                      "has loss %s on %d feature%s); kind=data draws the data alone",
                      M->loss == LSC_LOSS_MSE ? "mse" : M->loss == LSC_LOSS_BCE ? "bce" : "ce",
                      d, d == 1 ? "" : "s");
        return LSC_EINVAL;
    }
    if (need->npos != L->n) {
        lsc_error_set(err, LSC_EINVAL, "kind=decision: needs the run's weights (the "
                      "trajectory keeps %d of %d coordinates: record with positions=all)",
                      need->npos, L->n);
        return LSC_EINVAL;
    }
    if (o->grid > GRID_MAX) {
        lsc_error_set(err, LSC_EINVAL, "grid=%d: a decision figure takes 8 to %d (its "
                      "prediction file holds 20 bytes a cell)", o->grid, GRID_MAX);
        return LSC_EINVAL;
    }
    if (o->run >= need->nruns) {
        lsc_error_set(err, LSC_EINVAL, "run=%d: no such run (allowed: 0 to %d)", o->run,
                      need->nruns - 1);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static int dec_weights_find(const plot_ctx *c, dec_weights *w)
{
    const lsc_trajectory *t = c->t;
    const lsc_plot_opts *o = c->o;
    w->R = &t->runs[o->run];
    size_t m = plot_finite_prefix(t, w->R);
    if (m == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=decision: run %d has no finite weights",
                      o->run);
        return LSC_EINVAL;
    }
    w->row = m - 1;
    if (o->step >= 0) {
        while (w->row > 0 && w->R->step[w->row] > o->step)
            w->row--;
        if (w->R->step[w->row] > o->step) {
            lsc_error_set(c->err, LSC_EINVAL, "step=%ld: run %d records no step at or before "
                          "it (its first is %ld)", o->step, o->run, w->R->step[0]);
            return LSC_EINVAL;
        }
    }
    w->theta = w->R->x + w->row * (size_t)t->npos;
    return LSC_OK;
}

/* The colour of a cell: class k's colour over white, tint in [0, 1] of TINT_MAX. */
static void tint_rgb(int k, double tint, float rgb[3])
{
    unsigned hex = (unsigned)strtoul(plot_class_colour(k) + 1, NULL, 16);
    for (int q = 0; q < 3; q++) {
        double ch = (hex >> (16 - 8 * q)) & 0xFF;
        rgb[q] = (float)(255 - TINT_MAX * tint * (255 - ch));
    }
}

/* One cell from its logits z (K of them): the predicted class, its probability (bce:
 * sigmoid(z); ce: softmax), the margins of the boundary lines (bce: z itself; ce: class
 * k's logit over the largest other, zero on the border of k's region) into marg[K]. */
static int cell_predict(const double *z, int K, double *p, double *marg)
{
    if (K == 1) {
        double p1 = 1 / (1 + exp(-z[0]));
        marg[0] = z[0];
        *p = z[0] > 0 ? p1 : 1 - p1;
        return z[0] > 0;
    }
    int top = 0, second = -1;
    for (int j = 1; j < K; j++)
        top = z[j] > z[top] ? j : top;
    for (int j = 0; j < K; j++)
        if (j != top && (second < 0 || z[j] > z[second]))
            second = j;
    double s = 0;
    for (int j = 0; j < K; j++)
        s += exp(z[j] - z[top]); /* softmax without overflow */
    *p = 1 / s;
    for (int j = 0; j < K; j++)
        marg[j] = z[j] - z[j == top ? second : top];
    return top;
}

/* The prediction over the view on an ng x ng grid, a grid row at a time through
 * lsc_model_predict: FIG.decision.f32 (per cell r g b, the predicted class's probability,
 * the class) and the boundary lines FIG.boundary.tsv. */
typedef struct {
    int ng, K;
    float *cell;    /* ng*ng*5, the file's records */
    plot_grid marg; /* K grids of margins, one after another in marg.f */
    double *X, *z, *work, *mk;
} dec_grid;

static void dec_grid_free(dec_grid *G)
{
    free(G->cell), free(G->marg.f), free(G->X), free(G->z), free(G->work), free(G->mk);
}

static int dec_grid_eval(plot_ctx *c, const plot_points *P, const double *theta, dec_grid *G)
{
    const lsc_model *M = P->M;
    const int ng = G->ng, K = G->K;
    const size_t nc = (size_t)ng * ng;
    G->cell = malloc(nc * 5 * sizeof *G->cell);
    G->marg.f = malloc(nc * (size_t)K * sizeof *G->marg.f);
    G->X = malloc((size_t)ng * 2 * sizeof *G->X);
    G->z = malloc((size_t)ng * K * sizeof *G->z);
    G->work = malloc(lsc_model_work_size(M) * sizeof *G->work);
    G->mk = malloc((size_t)K * sizeof *G->mk);
    if (!G->cell || !G->marg.f || !G->X || !G->z || !G->work || !G->mk) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory for a %dx%d prediction grid", ng, ng);
        return LSC_ENOMEM;
    }
    plot_grid *g = &G->marg;
    g->nx = g->ny = ng;
    g->x0 = P->v[0], g->x1 = P->v[1], g->y0 = P->v[2], g->y1 = P->v[3];
    const double dx = (g->x1 - g->x0) / (ng - 1), dy = (g->y1 - g->y0) / (ng - 1);
    for (int j = 0; j < ng; j++) {
        for (int i = 0; i < ng; i++) {
            G->X[2 * i] = g->x0 + i * dx;
            G->X[2 * i + 1] = g->y0 + j * dy;
        }
        lsc_model_predict(M, G->X, ng, theta, G->z, G->work);
        for (int i = 0; i < ng; i++) {
            const size_t at = (size_t)j * ng + i;
            double p;
            int k = cell_predict(G->z + (size_t)i * K, K, &p, G->mk);
            float *r = G->cell + 5 * at;
            /* white where the model cannot tell (p = 1/C), the class colour at p = 1 */
            double pmin = K == 1 ? 0.5 : 1.0 / K, tint = (p - pmin) / (1 - pmin);
            tint_rgb(k, isfinite(tint) ? fmax(0, fmin(1, tint)) : 0, r);
            r[3] = (float)p;
            r[4] = (float)k;
            for (int q = 0; q < K; q++) /* float32: beyond its range a margin is undefined */
                g->f[(size_t)q * nc + at] = fabs(G->mk[q]) < 1e37 ? (float)G->mk[q] : NAN;
        }
    }
    return LSC_OK;
}

static int dec_grid_write(plot_ctx *c, dec_grid *G)
{
    const size_t nc = (size_t)G->ng * G->ng;
    plot_file f;
    int rc = plot_open(c, ".decision.f32", &f);
    if (rc)
        return rc;
    if (fwrite(G->cell, sizeof *G->cell, nc * 5, f.fp) != nc * 5) {
        plot_abort(&f);
        lsc_error_set(c->err, LSC_EIO, "cannot write the prediction grid");
        return LSC_EIO;
    }
    if ((rc = plot_close(c, &f)) != LSC_OK)
        return rc;
    if ((rc = plot_open(c, ".boundary.tsv", &f)) != LSC_OK)
        return rc;
    fprintf(f.fp, "# the decision boundary: x y class (where class's region ends); a blank "
                  "line separates pieces\n");
    /* two classes share one border: ce with C = 2 draws it once */
    const int nb = G->K == 2 ? 1 : G->K;
    float *all = G->marg.f;
    for (int q = 0; q < nb && rc == LSC_OK; q++) {
        double level = 0, tag = q;
        G->marg.f = all + (size_t)q * nc;
        rc = plot_contours_put(f.fp, &G->marg, &level, &tag, 1, c->err);
    }
    G->marg.f = all;
    if (rc) {
        plot_abort(&f);
        return rc;
    }
    return plot_close(c, &f);
}

/* d = 1: the fitted curve over the view's x range, FIG.fit.tsv: x prediction. */
static int fit_write(plot_ctx *c, const plot_points *P, const double *theta)
{
    double X[FIT_POINTS], z[FIT_POINTS];
    double *work = malloc(lsc_model_work_size(P->M) * sizeof *work);
    if (!work) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (int i = 0; i < FIT_POINTS; i++)
        X[i] = P->v[0] + (P->v[1] - P->v[0]) * i / (FIT_POINTS - 1);
    lsc_model_predict(P->M, X, FIT_POINTS, theta, z, work);
    free(work);
    plot_file f;
    int rc = plot_open(c, ".fit.tsv", &f);
    if (rc)
        return rc;
    fprintf(f.fp, "# the model's prediction: x y\n");
    for (int i = 0; i < FIT_POINTS; i++)
        fprintf(f.fp, "%.17g %.17g\n", X[i], z[i]);
    return plot_close(c, &f);
}

/* Accuracy (classifiers) or mean squared error (regression) on a set, as a phrase. */
static void score(const plot_points *P, const lsc_dataset *D, const double *theta,
                  double *work, char *buf, size_t len)
{
    if (P->M->loss == LSC_LOSS_MSE) { /* the loss without the l2 term: the mean of loss_i */
        double s = 0;
        for (int i0 = 0; i0 < D->n; i0 += LSC_MODEL_CHUNK) {
            double li[LSC_MODEL_CHUNK];
            int idx[LSC_MODEL_CHUNK], m = D->n - i0 < LSC_MODEL_CHUNK ? D->n - i0
                                                                    : LSC_MODEL_CHUNK;
            for (int i = 0; i < m; i++)
                idx[i] = i0 + i;
            lsc_model_fdf(P->M, D, idx, m, theta, NULL, li, work);
            for (int i = 0; i < m; i++)
                s += li[i];
        }
        plot_spf(buf, len, "MSE %.4g", s / D->n);
    } else {
        plot_spf(buf, len, "accuracy %.1f%%",
                 100 * lsc_model_accuracy(P->M, D, NULL, D->n, theta, work));
    }
}

/* The caption: model, data, optimizer, how long, the scores at the weights drawn, and how
 * to read the figure. */
static int dec_caption(plot_ctx *c, const plot_points *P, const dec_weights *w)
{
    const lsc_trajectory *t = c->t;
    char ls[LSC_VALUE_MAX], opt[LSC_VALUE_MAX], desc[LSC_VALUE_MAX + 128], batch[96];
    char s0[64], s1[64] = "";
    double *work = malloc(lsc_model_work_size(P->M) * sizeof *work);
    if (!work) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    score(P, P->set[0], w->theta, work, s0, sizeof s0);
    if (P->set[1])
        score(P, P->set[1], w->theta, work, s1, sizeof s1);
    free(work);
    plot_model_describe(c->L, ls, sizeof ls);
    plot_short_optimizer(w->R->optimizer, opt, sizeof opt);
    plot_points_describe(c, P, desc, sizeof desc);
    if (t->batch_size > 0)
        plot_spf(batch, sizeof batch, "batches of %ld, %s", t->batch_size,
                 lsc_sampling_name(t->sampling));
    else
        plot_spf(batch, sizeof batch, "full batch");
    const int last = w->row + 1 == w->R->len;
    char at[64];
    plot_spf(at, sizeof at, last ? "after %ld steps" : "at step %ld of %ld",
             w->R->step[w->row], w->R->step[w->R->len - 1]);
    const char *how = P->d == 1
        ? "Line: the model's prediction."
        : P->classes == 2 && P->M->loss == LSC_LOSS_BCE
        ? "Background: the predicted class, deeper where the model is surer (white: "
          "p = 0.5); black line: the decision boundary, p = 0.5."
        : "Background: the predicted class, deeper where the model is surer (white: all "
          "classes equally likely); black lines: the decision boundary, where the "
          "predicted class changes.";
    plot_spf(c->auto_caption, sizeof c->auto_caption, "Model %s (%d parameters), %s (%s) "
             "%s, seed %llu; data %s. Training %s%s%s. %s", ls, P->M->n, opt, batch, at,
             t->seed, desc, s0, s1[0] ? ", test " : "", s1, how);
    return LSC_OK;
}

static void dec_emit_plot(plot_ctx *c, const plot_points *P, const dec_grid *G)
{
    plot_clauses k = {c, "plot", 0};
    char nm[LSC_PLOT_PATH_MAX], a[32], b[32], dx[32], dy[32];
    if (P->d == 2) {
        const plot_grid *g = &G->marg;
        plot_clause(&k);
        plot_fileref(c, plot_fname(c, ".decision.f32", nm, sizeof nm));
        plot_printf(c, " binary array=(%d,%d) format='%%float32%%float32%%float32%%*2float32' "
                    "endian=little skip=%ld origin=(%s,%s) dx=%s dy=%s using 1:2:3 with "
                    "rgbimage notitle", g->nx, g->ny, plot_mark_bytes(c), plot_num(a, g->x0),
                    plot_num(b, g->y0), plot_num(dx, (g->x1 - g->x0) / (g->nx - 1)),
                    plot_num(dy, (g->y1 - g->y0) / (g->ny - 1)));
        plot_clause(&k);
        plot_fileref(c, plot_fname(c, ".boundary.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2 with lines lw 2.5 lc rgb '#000000' notitle");
    }
    plot_emit_points(c, &k, P);
    if (P->d == 1) {
        plot_clause(&k);
        plot_fileref(c, plot_fname(c, ".fit.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2 with lines lw 2.5 lc rgb '#D55E00' notitle");
    }
    plot_clauses_end(&k);
}

static int dec_emit(plot_ctx *c)
{
    plot_need need = {c->t ? c->t->npos : 0, 0, c->t ? c->t->nruns : 0, 0,
                      c->t ? c->t->cols : 0};
    int rc = dec_check(c->K, c->o, c->L, &need, c->err);
    dec_weights w;
    if (rc || (rc = dec_weights_find(c, &w)) != LSC_OK)
        return rc;
    plot_points P;
    plot_points_init(c, &P);
    dec_grid G;
    memset(&G, 0, sizeof G);
    G.ng = c->o->grid ? c->o->grid : c->K->grid;
    G.K = P.M->size[P.M->nlayers];
    rc = plot_points_write(c, &P);
    if (rc == LSC_OK && P.d == 2 && (rc = dec_grid_eval(c, &P, w.theta, &G)) == LSC_OK)
        rc = dec_grid_write(c, &G);
    if (rc == LSC_OK && P.d == 1)
        rc = fit_write(c, &P, w.theta);
    char what[128];
    plot_spf(what, sizeof what, P.d == 2 ? "decision regions, %dx%d grid" : "fitted curve",
             G.ng, G.ng);
    if (rc == LSC_OK)
        rc = dec_caption(c, &P, &w);
    if (rc == LSC_OK)
        rc = plot_script_begin(c, what);
    if (rc) {
        dec_grid_free(&G);
        return rc;
    }
    char title[3 * LSC_VALUE_MAX + 16], ls[LSC_VALUE_MAX], leg[LSC_VALUE_MAX];
    plot_model_describe(c->L, ls, sizeof ls);
    plot_run_legend(c->t, c->o->run, leg, sizeof leg);
    plot_spf(title, sizeof title, "%s on %s%s%s", ls, c->t->data,
             plot_sym(c, " — ", " -- ", " - "), leg);
    plot_title_caption(c, title, NULL, 1);
    plot_legend L;
    memset(&L, 0, sizeof L);
    plot_points_legend(c, &P, &L);
    if (P.d == 2)
        plot_leg_add(&L, "with lines lw 2.5 lc rgb '#000000'", "decision boundary", 0, 1);
    else
        plot_leg_add(&L, "with lines lw 2.5 lc rgb '#D55E00'", "prediction", 0, 1);
    int kcols;
    double kh = plot_leg_layout(c, &L, &kcols);
    plot_multiplot(c);
    plot_points_panel(c, &P, c->cap_h + kh);
    dec_emit_plot(c, &P, &G);
    plot_caption_off(c);
    plot_leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    dec_grid_free(&G);
    return LSC_OK;
}

static const char *const decision_keys[] = {"run", "step", "grid", "xlim", "ylim", NULL};

const plot_kind_type plot_kind_decision = {
    .name = "decision",
    .id = LSC_PLOT_DECISION,
    .summary = "a classifier's prediction over its two features, the boundary and the data",
    .keys = decision_keys,
    .flags = PLOT_NEEDS_TRAJECTORY | PLOT_NEEDS_LANDSCAPE,
    .grid = 200,
    .width = 760,
    .height = 820,
    .check = dec_check,
    .emit = dec_emit,
};
