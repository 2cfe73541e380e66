/* test_depth.c — models for depth (issue 10): deep mlps, the chain and rnn landscapes
 *
 * References, each independent of the code under test: central finite differences written
 * here; PyTorch autograd (tests/ref/gen_depth.py, torch 1.13, float64; its output committed
 * as tests/data/depth_*.tsv); closed forms typed in here.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "experiment.h"
#include "init.h"
#include "landscape_depth.h"
#include "model.h"

#ifndef LSC_TEST_DATA
#define LSC_TEST_DATA "tests/data"
#endif

/* ---- reference files (format: tests/ref/gen_depth.py) --------------------------------- */

#define MAXLINES 32

typedef struct {
    char spec[1024], data[256];
    char key[MAXLINES][32];
    int nv[MAXLINES];
    double *v[MAXLINES];
    int nlines;
} ref_case;

static void read_case(ref_case *c, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/depth_%s.tsv", LSC_TEST_DATA, name);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s (run tests/ref/gen_depth.py)", path);
    memset(c, 0, sizeof *c);
    static char buf[1 << 21];
    while (fgets(buf, sizeof buf, fp)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (buf[0] == '#' || !buf[0])
            continue;
        char *tab = strchr(buf, '\t');
        cr_assert_not_null(tab);
        *tab = '\0';
        if (!strcmp(buf, "spec") || !strcmp(buf, "data")) {
            if (!strcmp(buf, "spec"))
                snprintf(c->spec, sizeof c->spec, "%s", tab + 1);
            else
                snprintf(c->data, sizeof c->data, "%s", tab + 1);
            continue;
        }
        cr_assert_lt(c->nlines, MAXLINES);
        const int k = c->nlines++;
        snprintf(c->key[k], sizeof c->key[k], "%.31s", buf);
        size_t cap = 1024;
        c->v[k] = malloc(cap * sizeof *c->v[k]);
        for (char *p = tab + 1, *end; *p; p = *end ? end + 1 : end) {
            if ((size_t)c->nv[k] == cap)
                c->v[k] = realloc(c->v[k], (cap *= 2) * sizeof *c->v[k]);
            c->v[k][c->nv[k]++] = strtod(p, &end);
        }
    }
    fclose(fp);
}

static const double *vec(const ref_case *c, const char *key, int *nv)
{
    for (int k = 0; k < c->nlines; k++)
        if (!strcmp(c->key[k], key)) {
            if (nv)
                *nv = c->nv[k];
            return c->v[k];
        }
    cr_assert_fail("%s: no '%s'", c->spec, key);
    return NULL;
}

static void free_case(ref_case *c)
{
    for (int k = 0; k < c->nlines; k++)
        free(c->v[k]);
}

/* |a - b| / |b|, normwise */
static double rel(const double *a, const double *b, size_t n)
{
    double d = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
        s += b[i] * b[i];
    }
    return s > 0 ? sqrt(d / s) : sqrt(d);
}

static lsc_landscape *load_model(const char *spec, const char *data)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model(spec, 0, data, NULL, 0, 1, "test", &err);
    cr_assert_not_null(L, "%.200s: %s", spec, err.msg);
    return L;
}

/* ---- deep mlps ------------------------------------------------------------------------- */

/* Deep nets (20 to 50 Linear layers, beyond the 17 model.c once allowed) against PyTorch:
 * the loss, its gradient and a Hessian-vector product at PyTorch's default initialisation,
 * normwise relative 1e-12 (the two sides add in other orders: rounding only). */
Test(depth, deep_mlps_agree_with_pytorch)
{
    static const char *const names[] = {"mlp-tanh-30", "mlp-relu-49", "mlp-sigmoid-20"};
    static const int layers[] = {31, 50, 21};
    double worst = 0;
    for (int k = 0; k < LSC_COUNTOF(names); k++) {
        ref_case c;
        read_case(&c, names[k]);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", LSC_TEST_DATA, c.data);
        lsc_landscape *L = load_model(c.spec, path);
        const lsc_model *M = lsc_landscape_model(L);
        int n;
        const double *theta = vec(&c, "theta0", &n);
        cr_assert_eq(L->n, n, "%s: n = %d, torch %d", names[k], L->n, n);
        cr_assert_eq(M->nlayers, layers[k], "%s: %d layers", names[k], M->nlayers);
        double *g = malloc((size_t)n * sizeof *g);
        double *work = malloc(lsc_model_work_size(M) * sizeof *work);
        const double f = lsc_landscape_fdf(L, theta, g), f_ref = vec(&c, "f", NULL)[0];
        cr_expect_leq(fabs(f - f_ref), 1e-12 * fabs(f_ref), "%s: f %.17g torch %.17g",
                      names[k], f, f_ref);
        double e = rel(g, vec(&c, "grad", NULL), (size_t)n);
        cr_expect_leq(e, 1e-12, "%s: gradient differs by %.3g", names[k], e);
        worst = fmax(worst, e);
        lsc_model_hvp(M, M->train, NULL, M->train->n, theta, vec(&c, "v", NULL), g, work);
        e = rel(g, vec(&c, "hv", NULL), (size_t)n);
        cr_expect_leq(e, 1e-12, "%s: Hv differs by %.3g", names[k], e);
        worst = fmax(worst, e);
        free(g);
        free(work);
        lsc_landscape_free(L);
        free_case(&c);
    }
    fprintf(stderr, "deep mlps vs PyTorch: worst normwise relative difference %.2g\n", worst);
}

/* 50 Linear layers of width 512 (12.6 million parameters) over two examples, Xavier-normal
 * weights (n Var[W] = 1 per layer: tanh's signal neither dies nor explodes): in layers 1, 25
 * and 50 the weight and the bias with the largest |df/dtheta| against a central difference.
 * h = 1e-5 max(1, |theta|): the truncation error h^2 f'''/6 and the rounding error
 * eps |f| / h (|f| ~ 1, f summed over 512-term dot products) are both below 1e-9, against
 * derivatives of 1e-3 and more: relative 1e-5 leaves room and fails any wrong layer. */
Test(depth, mlp_of_50_layers_of_width_512_by_finite_differences)
{
    char spec[512] = "mlp:hidden=";
    for (int l = 0; l < 49; l++)
        strcat(spec, l ? ";512" : "512");
    strcat(spec, ",act=tanh");
    lsc_landscape *L = load_model(spec, "linear:n=2,features=8,seed=3");
    const lsc_model *M = lsc_landscape_model(L);
    cr_assert_eq(M->nlayers, 50);
    const int n = L->n;
    cr_assert_eq(n, 8 * 512 + 512 + 48 * (512 * 512 + 512) + 512 + 1);
    double *x = malloc((size_t)n * sizeof *x), *g = malloc((size_t)n * sizeof *g);
    lsc_init_scheme I;
    lsc_error err = {0};
    cr_assert_eq(lsc_init_parse(&I, "xavier-normal", "init", &err), LSC_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    cr_assert_eq(lsc_init_apply(&I, L, r, x, &err), LSC_OK, "%s", err.msg);
    gsl_rng_free(r);
    for (int l = 0; l < M->nlayers; l++) /* non-zero biases, so that theirs are tested too */
        for (int j = 0; j < M->size[l + 1]; j++)
            x[M->boff[l] + (size_t)j] = 0.1 * sin(1.0 + j + 7.0 * l);
    lsc_landscape_fdf(L, x, g);
    static const int layers[] = {0, 24, 49};
    for (int q = 0; q < LSC_COUNTOF(layers); q++) {
        const int l = layers[q];
        size_t pick[2] = {M->woff[l], M->boff[l]}; /* the largest |g| among W_l, among b_l */
        const size_t end[2] = {M->boff[l], M->boff[l] + (size_t)M->size[l + 1]};
        for (int k = 0; k < 2; k++)
            for (size_t i = pick[k]; i < end[k]; i++)
                if (fabs(g[i]) > fabs(g[pick[k]]))
                    pick[k] = i;
        for (int k = 0; k < 2; k++) {
            const size_t i = pick[k];
            const double xi = x[i], h = 1e-5 * fmax(1, fabs(xi));
            x[i] = xi + h;
            const double fp = lsc_landscape_f(L, x);
            x[i] = xi - h;
            const double fm = lsc_landscape_f(L, x);
            x[i] = xi;
            const double fd = (fp - fm) / (2 * h);
            cr_expect_gt(fabs(g[i]), 1e-3, "layer %d: |g| = %g", l + 1, g[i]);
            cr_expect_leq(fabs(fd - g[i]), 1e-5 * fabs(g[i]), "layer %d %s %zu: g %.12g, fd "
                          "%.12g", l + 1, k ? "bias" : "weight", i, g[i], fd);
            fprintf(stderr, "mlp 50 x 512: layer %2d %-6s g = %+.6e, fd rel. diff %.1e\n",
                    l + 1, k ? "bias" : "weight", g[i], fabs(fd - g[i]) / fabs(g[i]));
        }
    }
    free(x);
    free(g);
    lsc_landscape_free(L);
}

/* The hidden= list holds up to LSC_MAX_LIST widths, and each is a network */
Test(depth, every_hidden_list_that_parses_is_a_network)
{
    char spec[1024] = "mlp:hidden=";
    for (int l = 0; l < LSC_MAX_LIST; l++)
        strcat(spec, l ? ";2" : "2");
    lsc_landscape *L = load_model(spec, "linear:n=4,features=1");
    cr_assert_eq(lsc_landscape_model(L)->nlayers, LSC_MAX_LIST + 1);
    cr_assert_leq(LSC_MAX_LIST + 1, LSC_MODEL_MAX_LAYERS);
    lsc_landscape_free(L);
    strcat(spec, ";2"); /* one more: the list itself is refused, naming its limit */
    lsc_error err = {0};
    cr_assert_null(lsc_landscape_load_model(spec, 0, "linear:n=4,features=1", NULL, 0, 1,
                                            "landscape", &err));
    cr_assert(strstr(err.msg, "hidden") && strstr(err.msg, "128"), "%s", err.msg);
}

/* ---- the chain ------------------------------------------------------------------------- */

static lsc_landscape *make(const char *spec, int dim)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new(spec, dim, "landscape", &err);
    cr_assert_not_null(L, "%s: %s", spec, err.msg);
    return L;
}

/* Linear units, every w = 0.9, L = 50, x = 1.5: dy/dx = 0.9^50 (the closed form),
 * y = 1.5 0.9^50, dy/dh_l = 0.9^(50-l), and df/dw_l = (y - t) x 0.9^49. Fifty products
 * round at most 50 times: relative 1e-13. */
Test(chain, linear_units_give_w_to_the_L)
{
    lsc_landscape *L = make("chain:depth=50,act=linear,x=1.5,target=0.2", 0);
    cr_assert_eq(L->n, 50);
    double w[50], g[50], h[51], dh[51];
    for (int l = 0; l < 50; l++)
        w[l] = 0.9;
    cr_assert_eq(lsc_chain_backprop(L, w, h, dh), LSC_OK);
    const double p50 = pow(0.9, 50), p49 = pow(0.9, 49);
    cr_expect_leq(fabs(dh[0] - p50), 1e-13 * p50, "dy/dx = %.17g, 0.9^50 = %.17g", dh[0], p50);
    for (int l = 0; l <= 50; l++)
        cr_expect_leq(fabs(dh[l] - pow(0.9, 50 - l)), 1e-13 * pow(0.9, 50 - l), "dy/dh_%d", l);
    cr_expect_leq(fabs(h[50] - 1.5 * p50), 1e-13 * p50);
    const double f = lsc_landscape_fdf(L, w, g), r = 1.5 * p50 - 0.2;
    cr_expect_leq(fabs(f - 0.5 * r * r), 1e-13 * 0.5 * r * r);
    for (int l = 0; l < 50; l++)
        cr_expect_leq(fabs(g[l] - r * 1.5 * p49), 1e-13 * fabs(r * 1.5 * p49), "g[%d]", l);
    lsc_landscape_free(L);
}

/* Sigmoid: at the fixed point x = p, w_l = logit(p)/p every layer holds h_l = p, so
 * dy/dx = (logit(p) (1 - p))^L exactly (p = 0.8, L = 30: 0.277^30 = 1.9e-17); and at any w,
 * |dy/dx| <= prod |w_l| / 4^L (sigmoid' <= 1/4). Rounding in h_l is damped by the gain
 * 0.277 < 1 of every layer: relative 1e-12. */
Test(chain, sigmoid_shrinks_at_least_fourfold_per_layer)
{
    const double p = 0.8, wf = log(p / (1 - p)) / p;
    char spec[128];
    snprintf(spec, sizeof spec, "chain:depth=30,act=sigmoid,x=%.17g", p);
    lsc_landscape *L = make(spec, 0);
    double w[30], h[31], dh[31];
    for (int l = 0; l < 30; l++)
        w[l] = wf;
    lsc_chain_backprop(L, w, h, dh);
    const double want = pow(log(p / (1 - p)) * (1 - p), 30);
    cr_expect_leq(fabs(dh[0] - want), 1e-12 * want, "dy/dx %.17g, closed form %.17g", dh[0],
                  want);
    for (int l = 0; l <= 30; l++)
        cr_expect_leq(fabs(h[l] - p), 1e-14, "h_%d = %.17g", l, h[l]);
    unsigned long long s = 99;
    for (int t = 0; t < 100; t++) {
        double bound = pow(0.25, 30);
        for (int l = 0; l < 30; l++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            w[l] = 8 * ((double)(s >> 11) / 9007199254740992.0) - 4; /* U(-4, 4) */
            bound *= fabs(w[l]);
        }
        lsc_chain_backprop(L, w, NULL, dh);
        cr_expect_leq(fabs(dh[0]), bound * (1 + 1e-12), "draw %d: |dy/dx| %g > bound %g", t,
                      fabs(dh[0]), bound);
    }
    lsc_landscape_free(L);
}

/* tanh at x = 0: every h_l = 0 and tanh'(0) = 1, so dy/dx = prod w_l (as if linear). */
Test(chain, tanh_at_the_origin_is_linear)
{
    lsc_landscape *L = make("chain:act=tanh,x=0", 40);
    double w[40], dh[41], prod = 1;
    for (int l = 0; l < 40; l++) {
        w[l] = 0.5 + 0.03 * l;
        prod *= w[l];
    }
    lsc_chain_backprop(L, w, NULL, dh);
    cr_expect_leq(fabs(dh[0] - prod), 1e-13 * fabs(prod), "dy/dx %.17g, prod %.17g", dh[0], prod);
    lsc_landscape_free(L);
    lsc_error err = {0}; /* not a chain */
    cr_expect_eq(lsc_chain_backprop(NULL, w, NULL, dh), LSC_EINVAL);
    L = lsc_landscape_new("sphere", 3, "landscape", &err);
    cr_expect_eq(lsc_chain_backprop(L, w, NULL, dh), LSC_EINVAL);
    lsc_landscape_free(L);
}

/* ---- the rnn --------------------------------------------------------------------------- */

/* Against PyTorch (nn.RNNCell unrolled, nn.Linear, nn.MSELoss; tests/ref/gen_depth.py
 * rebuilds the landscape's sequences from the same generator): f and the gradient by BPTT,
 * normwise relative 1e-12, and |df/dh_t| for every t (the gradient retained on each hidden
 * state tensor), each relative 1e-12. */
Test(rnn, agrees_with_pytorch)
{
    static const char *const names[] = {"rnn-8", "rnn-5-recall"};
    for (int k = 0; k < LSC_COUNTOF(names); k++) {
        ref_case c;
        read_case(&c, names[k]);
        lsc_landscape *L = make(c.spec, 0);
        int n, nt;
        const double *theta = vec(&c, "theta0", &n), *hn = vec(&c, "hnorm", &nt);
        cr_assert_eq(L->n, n, "%s: n = %d, torch %d", c.spec, L->n, n);
        double *g = malloc((size_t)n * sizeof *g), *norms = malloc((size_t)nt * sizeof *norms);
        const double f = lsc_landscape_fdf(L, theta, g), f_ref = vec(&c, "f", NULL)[0];
        cr_expect_leq(fabs(f - f_ref), 1e-12 * f_ref, "%s: f %.17g torch %.17g", c.spec, f,
                      f_ref);
        const double e = rel(g, vec(&c, "grad", NULL), (size_t)n);
        cr_expect_leq(e, 1e-12, "%s: gradient differs by %.3g", c.spec, e);
        cr_assert_eq(lsc_rnn_hidden_grad_norms(L, theta, norms), LSC_OK);
        for (int t = 0; t < nt; t++)
            cr_expect_leq(fabs(norms[t] - hn[t]), 1e-12 * hn[t], "%s: |df/dh_%d| %.17g, torch "
                          "%.17g", c.spec, t, norms[t], hn[t]);
        fprintf(stderr, "%s vs PyTorch: f %.1e, gradient %.1e\n", names[k],
                fabs(f - f_ref) / f_ref, e);
        free(g);
        free(norms);
        lsc_landscape_free(L);
        free_case(&c);
    }
}

/* Pascanu et al.'s condition, exact on the standard starts (W_rec = rho I):
 * tanh' <= 1 and |W_rec^T v| = rho |v| give |df/dh_{t-1}| <= rho |df/dh_t| at every step
 * (vanishing for rho < 1); with w_in = 0 and b = 0 every h_t = 0, tanh' = 1, and
 * |df/dh_t| = rho^(T-t) |df/dh_T| exactly — rho = 2 explodes by 2^T (the starts' W_rec is
 * rho I: exact up to the rounding of T products, relative 1e-12). */
Test(rnn, spectral_radius_decides_vanishing_and_exploding)
{
    static const double rho[] = {0.5, 0.9, 1.0, 1.1, 1.5, 2.0}; /* rnn.c's starts */
    lsc_landscape *L = make("rnn:hidden=6,steps=30", 0);
    const int n = L->n, H = 6, T = 30;
    cr_assert_eq(lsc_landscape_nstarts(L), LSC_COUNTOF(rho));
    double *x = malloc((size_t)n * sizeof *x), norms[31];
    for (int k = 0; k < LSC_COUNTOF(rho); k++) {
        lsc_landscape_start(L, k, x);
        lsc_rnn_hidden_grad_norms(L, x, norms);
        if (rho[k] < 1)
            for (int t = 1; t <= T; t++)
                cr_expect_leq(norms[t - 1], rho[k] * norms[t] * (1 + 1e-12), "rho %g: t = %d",
                              rho[k], t);
        for (int j = 0; j < H; j++) /* w_in = 0, b = 0: the linear regime */
            x[j] = x[H + H * H + j] = 0;
        lsc_rnn_hidden_grad_norms(L, x, norms);
        for (int t = 0; t <= T; t++) {
            const double want = pow(rho[k], T - t) * norms[T];
            cr_expect_leq(fabs(norms[t] - want), 1e-12 * want, "rho %g: |df/dh_%d| %.17g, "
                          "rho^%d |df/dh_T| %.17g", rho[k], t, norms[t], T - t, want);
        }
    }
    fprintf(stderr, "rnn: |df/dh_0| / |df/dh_T| = %.3g for rho = 2 (2^30 = %.3g)\n",
            norms[0] / norms[T], pow(2, 30));
    free(x);
    lsc_landscape_free(L);
}

/* The rnn's critical point (every weight 0, c = the targets' mean): its listed Hessian
 * eigenvalues (2, +-|a|, 0) against the spectrum of a central-difference Hessian of the
 * exact gradient (h = 1e-5: error about h^2 times third derivatives, 1e-10), within 1e-7. */
Test(rnn, critical_point_and_its_hessian)
{
    static const char *const specs[] = {"rnn:hidden=3,steps=6", "rnn:hidden=2,steps=5,recall=5"};
    for (int k = 0; k < LSC_COUNTOF(specs); k++) {
        lsc_landscape *L = make(specs[k], 0);
        const int n = L->n;
        cr_assert_eq(lsc_landscape_ncritical(L), 1);
        double *x = malloc((size_t)n * sizeof *x), *H = malloc((size_t)n * n * sizeof *H);
        double *wk = malloc(3 * (size_t)n * sizeof *wk), emin, emax;
        lsc_critical cp = {.x = x};
        lsc_landscape_critical(L, 0, &cp);
        lsc_fd_hessian(L, x, 1e-5, H, wk);
        cr_assert_eq(lsc_sym_eig_range(n, H, &emin, &emax), LSC_OK);
        cr_expect_leq(fabs(emin - cp.eig_min), 1e-7, "%s: eig_min %.12g, listed %.12g",
                      specs[k], emin, cp.eig_min);
        cr_expect_leq(fabs(emax - cp.eig_max), 1e-7, "%s: eig_max %.12g, listed %.12g",
                      specs[k], emax, cp.eig_max);
        cr_expect_eq(cp.kind, LSC_CP_SADDLE, "%s", specs[k]);
        free(x);
        free(H);
        free(wk);
        lsc_landscape_free(L);
    }
}

/* ---- per-layer statistics -------------------------------------------------------------- */

/* lsc_model_fdf_stats against PyTorch forward hooks (every nn.Linear's output Z_l, every
 * activation's output) and the weights' .grad after backward (tests/ref/gen_depth.py):
 * |df/dW_l|, |W_l| and std(Z_l) relative 1e-12 each; the saturated fractions are counts
 * over the same entries, so equal exactly (NaN for the output layer). The weights are the
 * default ones times a gain, so that units do saturate (checked: some sat > 0 per case).
 * f and g are lsc_model_fdf's, bitwise. */
Test(depth, layer_stats_agree_with_pytorch_hooks)
{
    static const char *const names[] = {"stats-tanh", "stats-sigmoid", "stats-relu",
                                        "stats-leaky-relu", "stats-linear"};
    double worst = 0;
    for (int k = 0; k < LSC_COUNTOF(names); k++) {
        ref_case c;
        read_case(&c, names[k]);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", LSC_TEST_DATA, c.data);
        lsc_landscape *L = load_model(c.spec, path);
        const lsc_model *M = lsc_landscape_model(L);
        int n, nl;
        const double *theta = vec(&c, "theta0", &n), *rg = vec(&c, "g", &nl);
        const double *rw = vec(&c, "w", NULL), *ra = vec(&c, "a", NULL);
        const double *rs = vec(&c, "sat", NULL);
        cr_assert_eq(L->n, n, "%s", c.spec);
        cr_assert_eq(M->nlayers, nl, "%s", c.spec);
        double *g = malloc((size_t)n * sizeof *g), *g2 = malloc((size_t)n * sizeof *g2);
        double *work = malloc(lsc_model_stats_work_size(M) * sizeof *work);
        lsc_layer_stats st;
        const double f = lsc_model_fdf_stats(M, M->train, NULL, M->train->n, theta, g, &st,
                                             work);
        const double f2 = lsc_model_fdf(M, M->train, NULL, M->train->n, theta, g2, NULL, work);
        cr_expect_eq(f, f2, "%s", c.spec);
        cr_expect(!memcmp(g, g2, (size_t)n * sizeof *g), "%s: the gradient differs", c.spec);
        cr_expect_leq(fabs(f - vec(&c, "f", NULL)[0]), 1e-12 * f, "%s: f", c.spec);
        cr_assert_eq(st.nlayers, nl);
        double sat_sum = 0;
        for (int l = 0; l < nl; l++) {
            const double e[3] = {fabs(st.grad[l] - rg[l]) / rg[l],
                                 fabs(st.weight[l] - rw[l]) / rw[l],
                                 fabs(st.act_std[l] - ra[l]) / ra[l]};
            for (int q = 0; q < 3; q++) {
                cr_expect_leq(e[q], 1e-12, "%s layer %d: %s %.17g, torch %.17g", c.spec, l + 1,
                              q == 0 ? "g" : q == 1 ? "w" : "a",
                              q == 0 ? st.grad[l] : q == 1 ? st.weight[l] : st.act_std[l],
                              q == 0 ? rg[l] : q == 1 ? rw[l] : ra[l]);
                worst = fmax(worst, e[q]);
            }
            if (isnan(rs[l]))
                cr_expect(isnan(st.sat[l]), "%s layer %d: sat %g, torch nan", c.spec, l + 1,
                          st.sat[l]);
            else
                cr_expect_eq(st.sat[l], rs[l], "%s layer %d: sat %.17g, torch %.17g", c.spec,
                             l + 1, st.sat[l], rs[l]);
            if (l < nl - 1)
                sat_sum += st.sat[l];
        }
        if (strcmp(names[k], "stats-linear"))
            cr_expect_gt(sat_sum, 0, "%s: no unit saturates, the test shows nothing", c.spec);
        fprintf(stderr, "%s: sat = %.3g ... %.3g\n", names[k], st.sat[0], st.sat[nl - 2]);
        free(g);
        free(g2);
        free(work);
        lsc_landscape_free(L);
        free_case(&c);
    }
    fprintf(stderr, "layer statistics vs PyTorch hooks: worst relative difference %.2g\n",
            worst);
}

/* ---- correctness of depth (issue 10) --------------------------------------------------- */

/* Linear units, square orthogonal weights (8 features, 19 hidden layers of 8, biases 0), a
 * single example: the signal keeps its norm going forward (|a_l| = |a_0|) and the
 * back-propagated gradient going back (delta_{l-1} = W_l^T delta_l, W_l orthogonal; the
 * last layer, 1 x 8 with W W^T = 1, keeps it too). With one example df/db_l = delta_l and
 * df/dW_l = delta_l a_{l-1}^T, so every |df/db_l| and every |df/dW_l| = |delta_l| |a_{l-1}|
 * is the same: relative 1e-12 (orthogonal to rounding). */
Test(depth, orthogonal_linear_net_keeps_every_layers_gradient_norm)
{
    char spec[256] = "mlp:act=linear,hidden=";
    for (int l = 0; l < 19; l++)
        strcat(spec, l ? ";8" : "8");
    lsc_landscape *L = load_model(spec, "linear:n=1,features=8,seed=5");
    const lsc_model *M = lsc_landscape_model(L);
    cr_assert_eq(M->nlayers, 20);
    double *x = malloc((size_t)L->n * sizeof *x), *g = malloc((size_t)L->n * sizeof *g);
    lsc_init_scheme I;
    lsc_error err = {0};
    cr_assert_eq(lsc_init_parse(&I, "orthogonal", "init", &err), LSC_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    cr_assert_eq(lsc_init_apply(&I, L, r, x, &err), LSC_OK, "%s", err.msg);
    gsl_rng_free(r);
    lsc_landscape_fdf(L, x, g);
    double gb0 = 0, gw0 = 0;
    for (int l = 0; l < M->nlayers; l++) {
        double gb = 0, gw = 0;
        for (size_t i = M->woff[l]; i < M->boff[l]; i++)
            gw += g[i] * g[i];
        for (int j = 0; j < M->size[l + 1]; j++)
            gb += g[M->boff[l] + (size_t)j] * g[M->boff[l] + (size_t)j];
        gb = sqrt(gb);
        gw = sqrt(gw);
        if (l == 0) {
            gb0 = gb;
            gw0 = gw;
            cr_assert_gt(gb0, 1e-3, "a gradient to compare: %g", gb0);
        }
        cr_expect_leq(fabs(gb - gb0), 1e-12 * gb0, "layer %d: |delta| %.17g, layer 1 %.17g",
                      l + 1, gb, gb0);
        cr_expect_leq(fabs(gw - gw0), 1e-12 * gw0, "layer %d: |df/dW| %.17g, layer 1 %.17g",
                      l + 1, gw, gw0);
    }
    free(x);
    free(g);
    lsc_landscape_free(L);
}

/* Constant initialisation: every hidden unit of a layer starts with the same incoming
 * weights and bias and the same outgoing weight, so it computes the same function, gets
 * the same gradient, and (plain GD and Adam being elementwise) takes the same step: after
 * any number of steps the units of a layer are still identical, bitwise. The layer then
 * behaves as one unit (the symmetry the note warns about). */
static void expect_symmetric(const lsc_model *M, const double *x, const char *what)
{
    for (int l = 0; l < M->nlayers; l++) {
        const int in = M->size[l], out = M->size[l + 1];
        const double *W = x + M->woff[l], *b = x + M->boff[l];
        for (int j = 1; j < out; j++) {
            cr_expect(!memcmp(W + (size_t)j * (size_t)in, W, (size_t)in * sizeof *W),
                      "%s: layer %d unit %d's incoming weights differ from unit 0's", what,
                      l + 1, j);
            cr_expect(!memcmp(b + j, b, sizeof *b), "%s: layer %d bias %d", what, l + 1, j);
        }
        if (l + 1 == M->nlayers) /* the output's weights from the last hidden layer */
            for (int k = 1; k < in; k++)
                cr_expect(!memcmp(W + k, W, sizeof *W), "%s: output weight %d", what, k);
    }
}

Test(depth, constant_initialisation_keeps_units_identical)
{
    static const char *const opts[] = {"sgd:lr=0.1", "adam:lr=0.01"};
    static const char *const acts[] = {"tanh", "relu", "sigmoid"};
    for (int a = 0; a < LSC_COUNTOF(acts); a++)
        for (int o = 0; o < LSC_COUNTOF(opts); o++) {
            char spec[64], what[128];
            snprintf(spec, sizeof spec, "mlp:hidden=6;5;4,act=%s", acts[a]);
            snprintf(what, sizeof what, "%s, %s", spec, opts[o]);
            lsc_error err = {0};
            lsc_experiment *x = lsc_experiment_new();
            cr_assert_eq(lsc_experiment_set(x, "landscape", spec, &err), LSC_OK, "%s", err.msg);
            cr_assert_eq(lsc_experiment_set(x, "data", "spiral:n=60", &err), LSC_OK, "%s",
                         err.msg);
            cr_assert_eq(lsc_experiment_set(x, "init", "constant:value=0.3", &err), LSC_OK,
                         "%s", err.msg);
            cr_assert_eq(lsc_experiment_set(x, "optimizer", opts[o], &err), LSC_OK);
            cr_assert_eq(lsc_experiment_set(x, "steps", "200", &err), LSC_OK);
            cr_assert_eq(lsc_experiment_set(x, "positions", "all", &err), LSC_OK);
            lsc_trajectory t;
            cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s", err.msg);
            cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
            const lsc_run_record *r = &t.runs[0];
            const lsc_model *M = lsc_landscape_model(lsc_experiment_landscape(x));
            cr_assert_not_null(M);
            const int n = M->n;
            cr_assert_eq((int)r->len, 201, "%s: %zu rows", what, r->len);
            cr_assert(memcmp(r->x, r->x + (size_t)200 * (size_t)n, (size_t)n * sizeof *r->x),
                      "%s: the weights moved", what);
            for (size_t s = 0; s < r->len; s += 50)
                expect_symmetric(M, r->x + s * (size_t)n, what);
            expect_symmetric(M, r->x + (r->len - 1) * (size_t)n, what);
            lsc_trajectory_free(&t);
            lsc_experiment_free(x);
        }
}
