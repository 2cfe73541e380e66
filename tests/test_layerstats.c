/* test_layerstats.c — per-layer statistics as trajectory columns (issue 10, layer_stats)
 *
 * The block's values are checked against independent references: an mlp's against
 * lsc_model_fdf_stats at the row's point (itself checked against PyTorch forward and
 * backward hooks, relative 1e-12, in test_depth.c), bitwise; the rnn's against
 * lsc_rnn_hidden_grad_norms (checked against PyTorch's retained hidden-state gradients in
 * test_depth.c), bitwise; the chain's against its closed form; deep-linear's against
 * central finite differences. Asking for the block must not change the run itself.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "landscape_depth.h"
#include "model.h"
#include "plot.h"

static lsc_experiment *experiment(const char *const *kv)
{
    lsc_experiment *x = lsc_experiment_new();
    cr_assert_not_null(x);
    for (int k = 0; kv[k]; k += 2) {
        lsc_error e = {0};
        cr_assert_eq(lsc_experiment_set(x, kv[k], kv[k + 1], &e), LSC_OK, "%s = %s: %s",
                     kv[k], kv[k + 1], e.msg);
    }
    return x;
}

static void run(lsc_experiment *x, lsc_trajectory *t)
{
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_trajectory(x, t, &e), LSC_OK, "%s", e.msg);
    int rc = lsc_experiment_run(x, t, NULL, NULL, &e);
    cr_assert_geq(rc, 0, "%s", e.msg);
}

/* Layer l (1-based) of family f in row k of run 0. */
static double lv(const lsc_trajectory *t, size_t k, int f, int l)
{
    return lsc_run_record_layer(t, &t->runs[0], k, f, l);
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* An mlp trained on mini-batches: every recorded row has g w a sat for each of its 3
 * Linear layers, equal bitwise to lsc_model_fdf_stats over the full training set at the
 * row's x (the PyTorch-checked statistics); the output layer's sat is nan. The run with
 * the block and the run without have the same rows, bitwise. */
Test(layer_stats, mlp_block_is_the_statistics_at_each_recorded_point)
{
    const char *kv[] = {"landscape", "mlp:hidden=4;4,act=tanh", "data", "blobs:n=40,classes=2",
                        "optimizer", "adam:lr=0.05", "batch_size", "8", "steps", "30",
                        "every", "7", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory plain, t;
    run(x, &plain);
    cr_assert_eq(plain.layers, 0, "no block unless asked");
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_set(x, "layer_stats", "on", &e), LSC_OK, "%s", e.msg);
    run(x, &t);
    cr_assert_eq(t.layers, 3);
    cr_assert_eq(t.layer_fams, 1u << LSC_LCOL_G | 1u << LSC_LCOL_W | 1u << LSC_LCOL_A |
                                   1u << LSC_LCOL_SAT);
    const lsc_model *M = lsc_landscape_model(lsc_experiment_landscape(x));
    const int n = M->n;
    cr_assert_eq(t.npos, n, "the test needs every coordinate");
    double *g = malloc((size_t)n * sizeof *g);
    double *work = malloc(lsc_model_stats_work_size(M) * sizeof *work);
    const lsc_run_record *r = &t.runs[0], *p = &plain.runs[0];
    cr_assert_eq(r->len, 6, "rows 0 7 14 21 28 and 30: %zu", r->len);
    cr_assert_eq(r->len, p->len);
    for (size_t k = 0; k < r->len; k++) {
        const double *xk = r->x + k * (size_t)n;
        cr_assert(r->step[k] == p->step[k] && r->loss[k] == p->loss[k] &&
                      r->grad_norm[k] == p->grad_norm[k] &&
                      !memcmp(xk, p->x + k * (size_t)n, (size_t)n * sizeof *xk),
                  "row %zu differs from the run without the block", k);
        lsc_layer_stats st;
        const double f = lsc_model_fdf_stats(M, M->train, NULL, M->train->n, xk, g, &st, work);
        cr_assert_eq(f, r->loss[k]);
        for (int l = 1; l <= 3; l++) {
            cr_expect(same(lv(&t, k, LSC_LCOL_G, l), st.grad[l - 1]), "row %zu g%d", k, l);
            cr_expect(same(lv(&t, k, LSC_LCOL_W, l), st.weight[l - 1]), "row %zu w%d", k, l);
            cr_expect(same(lv(&t, k, LSC_LCOL_A, l), st.act_std[l - 1]), "row %zu a%d", k, l);
            cr_expect(same(lv(&t, k, LSC_LCOL_SAT, l), st.sat[l - 1]), "row %zu sat%d", k, l);
            cr_expect(lv(&t, k, LSC_LCOL_G, l) > 0 && lv(&t, k, LSC_LCOL_W, l) > 0);
        }
        cr_expect(isnan(lv(&t, k, LSC_LCOL_SAT, 3)), "the output layer has no activation");
        cr_expect(isnan(lv(&t, k, LSC_LCOL_H, 1)), "an mlp has no h block");
    }
    free(g);
    free(work);
    lsc_trajectory_free(&t);
    lsc_trajectory_free(&plain);
    lsc_experiment_free(x);
}

/* The chain with linear units: y = x w_1 ... w_L and f = 1/2 (y - target)^2, so
 * df/dw_l = (y - target) y / w_l: g_l = |(y - target) y / w_l| and w_l = |w_l|, relative
 * 1e-12 (L products to rounding). A run that stops on stop_loss between clocked rows
 * (every 1000) records its last row with the block too. */
Test(layer_stats, chain_block_has_its_closed_form)
{
    const char *kv[] = {"landscape", "chain:depth=12,act=linear,x=1,target=2", "optimizer",
                        "sgd:lr=0.01", "steps", "5000", "every", "1000", "stop_loss", "0.01",
                        "start", "standard:0", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_set(x, "layer_stats", "on", &e), LSC_OK, "%s", e.msg);
    lsc_trajectory t;
    run(x, &t);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(t.layers, 12);
    cr_assert_eq(t.layer_fams, 1u << LSC_LCOL_G | 1u << LSC_LCOL_W);
    cr_assert_eq(r->status, LSC_STOP_LOSS, "%s", r->reason);
    cr_assert_neq(r->step[r->len - 1] % 1000, 0, "the stop's row is not a clocked one");
    double worst = 0;
    for (size_t k = 0; k < r->len; k++) {
        const double *w = r->x + k * 12;
        double y = 1;
        for (int l = 0; l < 12; l++)
            y *= w[l];
        for (int l = 1; l <= 12; l++) {
            const double want = fabs((y - 2) * y / w[l - 1]);
            const double eg = fabs(lv(&t, k, LSC_LCOL_G, l) - want) / want;
            cr_expect_leq(eg, 1e-12, "row %zu g%d %.17g, closed form %.17g", k, l,
                          lv(&t, k, LSC_LCOL_G, l), want);
            cr_expect_eq(lv(&t, k, LSC_LCOL_W, l), fabs(w[l - 1]));
            worst = fmax(worst, eg);
        }
    }
    fprintf(stderr, "chain g_l vs closed form: worst relative %.2g over %zu rows\n", worst,
            r->len);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* deep-linear: g_l against central differences of f over layer l's w^2 entries, h = 1e-6
 * (error O(h^2 |f'''|) + O(eps |f| / h): about 1e-9 here, so relative 1e-6), and w_l the
 * Frobenius norm of the row's W_l. */
Test(layer_stats, deep_linear_block_by_finite_differences)
{
    const char *kv[] = {"landscape", "deep-linear:depth=4,width=3", "optimizer", "sgd:lr=0.002",
                        "steps", "40", "every", "20", "start", "random", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_set(x, "layer_stats", "on", &e), LSC_OK, "%s", e.msg);
    lsc_trajectory t;
    run(x, &t);
    const lsc_landscape *L = lsc_experiment_landscape(x);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(t.layers, 4);
    cr_assert_eq(r->len, 3, "%zu rows: %s", r->len, r->reason);
    double xp[36];
    for (size_t k = 0; k < r->len; k++) {
        const double *xk = r->x + k * 36;
        for (int l = 1; l <= 4; l++) {
            double s = 0, ws = 0;
            for (int i = (l - 1) * 9; i < l * 9; i++) {
                const double h = 1e-6;
                memcpy(xp, xk, sizeof xp);
                xp[i] = xk[i] + h;
                const double fp = lsc_landscape_f(L, xp);
                xp[i] = xk[i] - h;
                const double fm = lsc_landscape_f(L, xp);
                s += ((fp - fm) / (2 * h)) * ((fp - fm) / (2 * h));
                ws += xk[i] * xk[i];
            }
            const double g = lv(&t, k, LSC_LCOL_G, l);
            cr_expect_leq(fabs(g - sqrt(s)), 1e-6 * sqrt(s), "row %zu g%d %.17g, differences "
                          "%.17g", k, l, g, sqrt(s));
            cr_expect_leq(fabs(lv(&t, k, LSC_LCOL_W, l) - sqrt(ws)), 1e-15 * sqrt(ws));
        }
    }
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* rnn: h1 .. hT are |df/dh_t| for t = 1 .. T, lsc_rnn_hidden_grad_norms's values at the
 * row's point, bitwise. */
Test(layer_stats, rnn_block_is_the_hidden_state_gradient)
{
    const char *kv[] = {"landscape", "rnn:hidden=4,steps=6,recall=3,sequences=20",
                        "optimizer", "sgd:lr=0.1", "steps", "10", "every", "5", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_set(x, "layer_stats", "on", &e), LSC_OK, "%s", e.msg);
    lsc_trajectory t;
    run(x, &t);
    const lsc_landscape *L = lsc_experiment_landscape(x);
    const lsc_run_record *r = &t.runs[0];
    cr_assert_eq(t.layers, 6);
    cr_assert_eq(t.layer_fams, 1u << LSC_LCOL_H);
    cr_assert_eq(t.npos, L->n);
    double norms[7];
    for (size_t k = 0; k < r->len; k++) {
        cr_assert_eq(lsc_rnn_hidden_grad_norms(L, r->x + k * (size_t)L->n, norms), LSC_OK);
        for (int s = 1; s <= 6; s++)
            cr_expect(same(lv(&t, k, LSC_LCOL_H, s), norms[s]), "row %zu h%d %.17g vs %.17g",
                      k, s, lv(&t, k, LSC_LCOL_H, s), norms[s]);
        cr_expect(isnan(lv(&t, k, LSC_LCOL_G, 1)), "an rnn has no g block");
    }
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
}

/* A landscape without layers refuses the key, naming it and what is allowed. */
Test(layer_stats, refused_without_layers)
{
    const char *kv[] = {"landscape", "rosenbrock", "optimizer", "sgd", "steps", "3",
                        "layer_stats", "on", NULL};
    lsc_experiment *x = experiment(kv);
    lsc_trajectory t;
    lsc_error e = {0};
    cr_assert_eq(lsc_experiment_trajectory(x, &t, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "layer_stats: landscape 'rosenbrock' has no layers (allowed on "
                            "mlp, deep-linear, chain and rnn)"),
              "%s", e.msg);
    cr_assert_str_eq(lsc_experiment_error_key(x, NULL), "layer_stats");
    lsc_experiment_free(x);
}

/* ---- the layers figure ------------------------------------------------------------------ */

/* A chain-like trajectory by hand: L = 10 layers, g_l = q^(10 - l) (q = 0.5 on row 0,
 * 0.8 on the last row: the gradient shrinks by q per layer going back), w_l = 1, rows at
 * steps 0, 10, ..., 10 (len - 1). */
static void layered(lsc_trajectory *t, size_t len)
{
    lsc_trajectory_init(t, 10, 0, 0);
    snprintf(t->landscape, sizeof t->landscape, "chain:depth=10,x=1,target=0.8,act=linear");
    t->steps = 10 * (long)(len - 1);
    t->every = 10;
    t->layer_stats = 1;
    t->layers = 10;
    t->layer_fams = 1u << LSC_LCOL_G | 1u << LSC_LCOL_W;
    lsc_run_record *r = lsc_trajectory_add_run(t);
    snprintf(r->optimizer, sizeof r->optimizer, "sgd:lr=0.1");
    snprintf(r->label, sizeof r->label, "sgd");
    r->status = LSC_STOP_MAX_STEPS;
    cr_assert_eq(lsc_run_record_reserve(t, r, len), LSC_OK);
    for (size_t k = 0; k < len; k++) {
        const double q = 0.5 + 0.3 * (double)k / (double)(len - 1);
        double v[20];
        for (int l = 1; l <= 10; l++) {
            v[l - 1] = pow(q, 10 - l);
            v[10 + l - 1] = 1;
        }
        lsc_row row = {.step = 10 * (long)k, .lr = 0.1, .loss = 1, .grad_norm = 1,
                       .dist = NAN, .layer = v};
        lsc_run_record_push(t, r, &row);
    }
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static lsc_plot_opts layer_opts(const char *dir, const char *view)
{
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    lsc_error e = {0};
    char out[256];
    snprintf(out, sizeof out, "%s/fig.png", dir);
    cr_assert_eq(lsc_plot_opts_set(&o, "kind", "layers", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "out", out, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "view", view, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "no_render", "true", &e), LSC_OK, "%s", e.msg);
    return o;
}

/* view=lines: 6 of the 21 rows, evenly (steps 0, 40, 80, 120, 160, 200: rows 0, 4, 8, 12,
 * 16, 20), each block the 10 values of its row; the caption's factor per layer is q of
 * the first and the last line (0.5 and 0.8: exact to the 6 digits it prints). */
Test(layers_figure, lines_pick_rows_evenly_and_state_the_factor)
{
    char dir[] = "/tmp/lsc-test-layers.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    lsc_trajectory t;
    layered(&t, 21);
    lsc_plot_opts o = layer_opts(dir, "lines");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char path[256];
    snprintf(path, sizeof path, "%s/fig.png.layers.tsv", dir);
    const char *d = slurp(path);
    static const long steps[] = {0, 40, 80, 120, 160, 200};
    const char *p = d;
    for (int j = 0; j < 6; j++) {
        char head[64];
        snprintf(head, sizeof head, "# run 0 step %ld\n", steps[j]);
        p = strstr(p, head);
        cr_assert_not_null(p, "no line at step %ld:\n%s", steps[j], d);
        const double q = 0.5 + 0.3 * (double)steps[j] / 200;
        int l;
        double v;
        p = strchr(p, '\n') + 1;
        for (int k = 1; k <= 10; k++) {
            cr_assert_eq(sscanf(p, "%d\t%lf", &l, &v), 2);
            cr_assert_eq(l, k);
            cr_assert_eq(v, pow(q, 10 - k), "step %ld layer %d", steps[j], k);
            p = strchr(p, '\n') + 1;
        }
    }
    cr_assert_null(strstr(p, "# run 0 step"), "more than 6 lines");
    snprintf(path, sizeof path, "%s/fig.png.gp", dir);
    const char *gp = slurp(path);
    cr_assert(strstr(gp, "Measured factor per layer, from layer 10 down to 1 (geometric mean): "
                         "0.5 at step 0, 0.8 at step 200."), "%s", gp);
    cr_assert(strstr(gp, "set logscale y"), "g is drawn on a log axis");
    lsc_trajectory_free(&t);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* view=heat: a cell per (row, layer) with log10 of the value; quantity= a family the file
 * lacks, a file without the block and surface angles for this kind are refused. */
Test(layers_figure, heat_cells_and_refusals)
{
    char dir[] = "/tmp/lsc-test-layers.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    lsc_trajectory t;
    layered(&t, 3);
    lsc_plot_opts o = layer_opts(dir, "heat");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char path[256];
    snprintf(path, sizeof path, "%s/fig.png.layers.tsv", dir);
    const char *d = slurp(path);
    int cells = 0;
    for (const char *p = strchr(d, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        double x, z, hw, hh;
        int l;
        if (*p == '#')
            continue; /* the figure's mark, the column names */
        cr_assert_eq(sscanf(p, "%lf\t%d\t%lf\t%lf\t%lf", &x, &l, &z, &hw, &hh), 5, "%s", p);
        const int k = (int)(x / 10);
        const double q = 0.5 + 0.3 * k / 2;
        cr_assert_leq(fabs(z - (10 - l) * log10(q)), 1e-14, "step %g layer %d", x, l);
        cr_assert_eq(hw, 5);
        cells++;
    }
    cr_assert_eq(cells, 30);
    cr_assert_eq(lsc_plot_opts_set(&o, "quantity", "sat", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "quantity=sat: the trajectory's per-layer columns are g, w"), "%s",
              e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "quantity", "grad", &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "quantity=grad: allowed: g, w, a, sat, h"), "%s", e.msg);
    lsc_plot_opts o2 = layer_opts(dir, "60,30");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o2, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "view: kind layers takes view=lines or view=heat"), "%s", e.msg);
    lsc_plot_opts o3 = layer_opts(dir, "heat");
    cr_assert_eq(lsc_plot_opts_set(&o3, "kind", "surface", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_render(&t, NULL, &o3, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "view=heat: lines and heat are for kind layers (a surface figure "
                            "takes ROT_X,ROT_Z)"), "%s", e.msg);
    t.layers = 0;
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "kind=layers: the trajectory has no per-layer columns"), "%s",
              e.msg);
    t.layers = 10;
    lsc_trajectory_free(&t);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
