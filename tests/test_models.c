/* test_models.c — models over data (model.h) against PyTorch and against finite differences
 *
 * tests/ref/gen_models.py (torch 1.13, float64) wrote, for every model, activation and
 * loss, the parameters of a PyTorch-initialised nn.Sequential, and at them the mean loss,
 * its gradient, every per-example loss, four per-example gradients, a mini-batch's loss
 * and gradient, a Hessian-vector product (and for the one-layer models the full Hessian),
 * and 120 steps of full-batch gradient descent. Here the same numbers come from the C side:
 * the model landscape over the same CSV file (read by lsc_data_read), its lsc_model_fdf and
 * lsc_model_hvp, and an experiment running sgd from the same start. Agreement is normwise,
 * |a - b| / |b|: 1e-12 for gradients, losses, Hessians and H v (the two sides add in other
 * orders, so they differ by rounding only); the descent, where rounding feeds back through
 * 120 steps, within 1e-10. The measured worst cases are printed (stderr).
 *
 * Independently of PyTorch: gradients against central differences of f, Hessians against
 * central differences of the gradient, H v against (g(x + h v) - g(x - h v)) / 2h, each
 * relative to max(|reference|, 1) (see rel1).
 */
#define _GNU_SOURCE /* dladdr */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiment.h"
#include "lsc_version.h" /* LSC_BLAS, LSC_BLAS_OPENBLAS */
#include "model.h"

#ifndef LSC_TEST_DATA
#define LSC_TEST_DATA "tests/data"
#endif

/* ---- the reference files -------------------------------------------------------------- */

#define MAXV 40000

typedef struct {
    char key[32];
    int nv;
    double *v;
} ref_line;

typedef struct {
    char spec[256], data[256];
    ref_line line[64];
    int nlines;
} ref_case;

static void read_case(ref_case *c, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/model_%s.tsv", LSC_TEST_DATA, name);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s (run tests/ref/gen_models.py)", path);
    memset(c, 0, sizeof *c);
    static char buf[1 << 20];
    while (fgets(buf, sizeof buf, fp)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (buf[0] == '#' || !buf[0])
            continue;
        char *tab = strchr(buf, '\t');
        cr_assert_not_null(tab);
        *tab = '\0';
        if (!strcmp(buf, "spec") || !strcmp(buf, "data")) {
            snprintf(!strcmp(buf, "spec") ? c->spec : c->data, 256, "%.255s", tab + 1);
            continue;
        }
        cr_assert_lt(c->nlines, 64);
        ref_line *l = &c->line[c->nlines++];
        snprintf(l->key, sizeof l->key, "%.31s", buf);
        l->v = malloc(MAXV * sizeof *l->v);
        for (char *p = tab + 1, *end; *p; p = *end ? end + 1 : end) {
            cr_assert_lt(l->nv, MAXV);
            l->v[l->nv++] = strtod(p, &end);
        }
    }
    fclose(fp);
}

static void free_case(ref_case *c)
{
    for (int i = 0; i < c->nlines; i++)
        free(c->line[i].v);
}

/* The k-th line with key (k = 0, 1, ...), or NULL. */
static const ref_line *get(const ref_case *c, const char *key, int k)
{
    for (int i = 0; i < c->nlines; i++)
        if (!strcmp(c->line[i].key, key) && k-- == 0)
            return &c->line[i];
    return NULL;
}

static const double *vec(const ref_case *c, const char *key)
{
    const ref_line *l = get(c, key, 0);
    cr_assert_not_null(l, "%s: no '%s'", c->spec, key);
    return l->v;
}

/* |a - b| / |b|, normwise (|b| = 0: |a - b|) */
static double rel(const double *a, const double *b, size_t n)
{
    double d = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
        s += b[i] * b[i];
    }
    return s > 0 ? sqrt(d / s) : sqrt(d);
}

/* |a - b| / max(|b|, 1): central differences of f ~ 1 carry rounding errors of about
 * eps f / h whatever the size of the derivative, so a small one is compared absolutely */
static double rel1(const double *a, const double *b, size_t n)
{
    double d = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
        s += b[i] * b[i];
    }
    return sqrt(d) / fmax(sqrt(s), 1);
}

static const char *const cases[] = {
    "linreg",           "linreg-l2",         "logreg",          "logreg-l2",
    "softmax",          "softmax-l2",        "mlp-tanh-mse",    "mlp-tanh-bce",
    "mlp-tanh-ce",      "mlp-relu-mse",      "mlp-relu-bce",    "mlp-relu-ce",
    "mlp-sigmoid-mse",  "mlp-sigmoid-bce",   "mlp-sigmoid-ce",  "mlp-leaky-relu-mse",
    "mlp-leaky-relu-bce", "mlp-leaky-relu-ce", "mlp-linear-mse", "mlp-linear-bce",
    "mlp-linear-ce",    "mlp-tanh-ce-l2",
};
#define NCASES (sizeof cases / sizeof cases[0])

static lsc_landscape *open_case(const ref_case *c)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", LSC_TEST_DATA, c->data);
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model(c->spec, 0, path, NULL, 0, 1, "test", &err);
    cr_assert_not_null(L, "%s: %s", c->spec, err.msg);
    cr_assert_eq(L->n, (int)vec(c, "n")[0], "%s: n = %d", c->spec, L->n);
    return L;
}

/* ---- parity with PyTorch ---------------------------------------------------------------- */

/* The worst relative differences over the cases, for the closing note. */
static double worst_grad, worst_loss, worst_hv, worst_hess;

Test(models, losses_gradients_and_hessians_agree_with_pytorch)
{
    for (size_t k = 0; k < NCASES; k++) {
        ref_case c;
        read_case(&c, cases[k]);
        lsc_landscape *L = open_case(&c);
        const lsc_model *M = lsc_landscape_model(L);
        cr_assert_not_null(M);
        const int n = L->n, N = M->train->n;
        double *work = malloc(lsc_model_work_size(M) * sizeof *work);
        double *g = malloc((size_t)n * sizeof *g), *li = malloc((size_t)N * sizeof *li);
        double *H = malloc((size_t)n * (size_t)n * sizeof *H);
        const double *theta = vec(&c, "theta0");
        double e;

        double f = lsc_model_fdf(M, M->train, NULL, N, theta, g, li, work);
        e = fabs(f - vec(&c, "f")[0]) / fabs(vec(&c, "f")[0]);
        cr_expect_leq(e, 1e-12, "%s: f %.17g, torch %.17g", c.spec, f, vec(&c, "f")[0]);
        worst_loss = fmax(worst_loss, e);
        e = rel(g, vec(&c, "grad"), (size_t)n);
        cr_expect_leq(e, 1e-12, "%s: gradient differs by %.3g", c.spec, e);
        worst_grad = fmax(worst_grad, e);
        e = rel(li, vec(&c, "losses"), (size_t)N);
        cr_expect_leq(e, 1e-12, "%s: per-example losses differ by %.3g", c.spec, e);
        worst_loss = fmax(worst_loss, e);
        /* the landscape's own fdf is the same full-batch mean */
        cr_expect_eq(lsc_landscape_fdf(L, theta, H), f);

        for (int q = 0; q < 4; q++) { /* one example alone */
            const ref_line *ex = get(&c, "example", q);
            cr_assert_not_null(ex);
            const int i = (int)ex->v[0];
            lsc_model_fdf(M, M->train, &i, 1, theta, g, NULL, work);
            e = rel(g, ex->v + 1, (size_t)n);
            cr_expect_leq(e, 1e-12, "%s: example %d's gradient differs by %.3g", c.spec, i, e);
            worst_grad = fmax(worst_grad, e);
        }
        const ref_line *b = get(&c, "batch", 0); /* a mini-batch by index (one repeated) */
        int idx[16];
        for (int j = 0; j < b->nv; j++)
            idx[j] = (int)b->v[j];
        double fb = lsc_model_fdf(M, M->train, idx, b->nv, theta, g, NULL, work);
        cr_expect_leq(fabs(fb - vec(&c, "batch_f")[0]), 1e-12 * fabs(fb), "%s", c.spec);
        e = rel(g, vec(&c, "batch_grad"), (size_t)n);
        cr_expect_leq(e, 1e-12, "%s: batch gradient differs by %.3g", c.spec, e);
        worst_grad = fmax(worst_grad, e);

        lsc_model_hvp(M, M->train, NULL, N, theta, vec(&c, "v"), g, work);
        e = rel(g, vec(&c, "hv"), (size_t)n);
        cr_expect_leq(e, 1e-12, "%s: Hv differs by %.3g", c.spec, e);
        worst_hv = fmax(worst_hv, e);
        if (get(&c, "hess", 0)) {
            cr_assert_eq(lsc_landscape_hess(L, theta, H), LSC_OK);
            e = rel(H, vec(&c, "hess"), (size_t)n * (size_t)n);
            cr_expect_leq(e, 1e-12, "%s: Hessian differs by %.3g", c.spec, e);
            worst_hess = fmax(worst_hess, e);
        }
        free(work);
        free(g);
        free(li);
        free(H);
        lsc_landscape_free(L);
        free_case(&c);
    }
    fprintf(stderr, "models vs PyTorch (22 cases): gradients %.2g, losses %.2g, Hv %.2g, "
            "Hessians %.2g (worst normwise relative differences)\n", worst_grad, worst_loss,
            worst_hv, worst_hess);
}

/* 120 steps of full-batch gradient descent through the whole stack: an experiment with
 * the data key, the start given, sgd:lr. */
Test(models, gradient_descent_follows_pytorch_for_120_steps)
{
    double worst_traj = 0, worst_theta = 0;
    for (size_t k = 0; k < NCASES; k++) {
        ref_case c;
        read_case(&c, cases[k]);
        char path[512], opt[64];
        snprintf(path, sizeof path, "%s/%s", LSC_TEST_DATA, c.data);
        snprintf(opt, sizeof opt, "sgd:lr=%.17g", vec(&c, "lr")[0]);
        const int n = (int)vec(&c, "n")[0], steps = (int)vec(&c, "steps")[0];
        lsc_error err = {0};
        lsc_experiment *x = lsc_experiment_new();
        cr_assert_eq(lsc_experiment_set(x, "landscape", c.spec, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(lsc_experiment_set(x, "data", path, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(lsc_experiment_set(x, "optimizer", opt, &err), LSC_OK, "%s", err.msg);
        cr_assert_eq(lsc_experiment_set_real(x, 0, "steps", steps, &err), LSC_OK);
        cr_assert_eq(lsc_experiment_set(x, "positions", "all", &err), LSC_OK);
        cr_assert_eq(lsc_experiment_set_start(x, vec(&c, "theta0"), n, &err), LSC_OK);
        lsc_trajectory t;
        cr_assert_eq(lsc_experiment_trajectory(x, &t, &err), LSC_OK, "%s: %s", c.spec,
                     err.msg);
        cr_assert_eq(lsc_experiment_run(x, &t, NULL, NULL, &err), LSC_OK, "%s", err.msg);
        const lsc_run_record *r = &t.runs[0];
        cr_assert_eq((int)r->len, steps + 1, "%s: %zu rows", c.spec, r->len);
        double e = rel(r->loss, vec(&c, "traj_loss"), (size_t)steps + 1);
        cr_expect_leq(e, 1e-10, "%s: the losses of the descent differ by %.3g", c.spec, e);
        worst_traj = fmax(worst_traj, e);
        for (int q = 0; get(&c, "traj_theta", q); q++) {
            const ref_line *th = get(&c, "traj_theta", q);
            const int s = (int)th->v[0];
            e = rel(r->x + (size_t)s * (size_t)n, th->v + 1, (size_t)n);
            cr_expect_leq(e, 1e-10, "%s: theta after %d steps differs by %.3g", c.spec, s, e);
            worst_theta = fmax(worst_theta, e);
        }
        cr_expect_str_eq(t.data, path, "the trajectory names the data set");
        lsc_trajectory_free(&t);
        lsc_experiment_free(x);
        free_case(&c);
    }
    fprintf(stderr, "gradient descent vs PyTorch (22 cases, 120 steps): losses %.2g, "
            "parameters %.2g (worst normwise relative differences)\n", worst_traj,
            worst_theta);
}

/* ---- finite differences ---------------------------------------------------------------- */

Test(models, gradients_hessians_and_hv_agree_with_finite_differences)
{
    for (size_t k = 0; k < NCASES; k++) {
        ref_case c;
        read_case(&c, cases[k]);
        lsc_landscape *L = open_case(&c);
        const lsc_model *M = lsc_landscape_model(L);
        const int n = L->n;
        const double *theta = vec(&c, "theta0"), *v = vec(&c, "v");
        double *g = malloc((size_t)n * sizeof *g), *gfd = malloc((size_t)n * sizeof *gfd);
        double *xb = malloc(3 * (size_t)n * sizeof *xb), *hv = malloc((size_t)n * sizeof *hv);
        double *H = malloc((size_t)n * (size_t)n * sizeof *H);
        double *Hfd = malloc((size_t)n * (size_t)n * sizeof *Hfd);
        double *work = malloc(lsc_model_work_size(M) * sizeof *work);
        lsc_landscape_fdf(L, theta, g);
        lsc_fd_gradient(L, theta, 6e-6, gfd, xb);
        cr_expect_leq(rel1(gfd, g, (size_t)n), 1e-8, "%s: gradient vs differences %.3g",
                      c.spec, rel1(gfd, g, (size_t)n));
        cr_assert_eq(lsc_landscape_hess(L, theta, H), LSC_OK);
        lsc_fd_hessian(L, theta, 6e-6, Hfd, xb);
        double e = rel1(Hfd, H, (size_t)n * (size_t)n);
        cr_expect_leq(e, 1e-7, "%s: Hessian vs differences %.3g", c.spec, e);
        /* H v by the R-operator against a central difference of the gradient along v */
        lsc_model_hvp(M, M->train, NULL, M->train->n, theta, v, hv, work);
        const double h = 1e-5;
        for (int j = 0; j < n; j++)
            xb[j] = theta[j] + h * v[j];
        lsc_landscape_fdf(L, xb, g);
        for (int j = 0; j < n; j++)
            xb[j] = theta[j] - h * v[j];
        lsc_landscape_fdf(L, xb, gfd);
        for (int j = 0; j < n; j++)
            gfd[j] = (g[j] - gfd[j]) / (2 * h);
        e = rel1(gfd, hv, (size_t)n);
        cr_expect_leq(e, 1e-7, "%s: Hv vs differences %.3g", c.spec, e);
        /* and the dense Hessian times v is H v */
        for (int i = 0; i < n; i++) {
            g[i] = 0;
            for (int j = 0; j < n; j++)
                g[i] += H[(size_t)i * (size_t)n + (size_t)j] * v[j];
        }
        cr_expect_leq(rel(g, hv, (size_t)n), 1e-12, "%s", c.spec);
        free(g);
        free(gfd);
        free(xb);
        free(hv);
        free(H);
        free(Hfd);
        free(work);
        lsc_landscape_free(L);
        free_case(&c);
    }
}

/* ---- models in the experiment, the trajectory file and the messages --------------------- */

/* Prepare an experiment from key=value pairs (NULL-terminated); returns the error code and
 * leaves the key the error was about in *key. */
static int prepare(const char *const *kv, lsc_error *err, char *key)
{
    lsc_experiment *x = lsc_experiment_new();
    int rc = LSC_OK;
    for (int k = 0; kv[k] && rc == LSC_OK; k += 2)
        rc = lsc_experiment_set(x, kv[k], kv[k + 1], err);
    if (rc == LSC_OK)
        rc = lsc_experiment_prepare(x, err);
    snprintf(key, 64, "%s", lsc_experiment_error_key(x, NULL));
    lsc_experiment_free(x);
    return rc;
}

Test(models, the_experiment_names_the_key_a_data_error_is_about)
{
    static const struct {
        const char *kv[12];
        const char *key, *want;
    } cases[] = {
        {{"landscape", "linreg", "optimizer", "sgd", NULL}, "data", "needs a data set"},
        {{"landscape", "rosenbrock", "data", "xor", "optimizer", "sgd", NULL}, "data",
         "not a model over data"},
        {{"landscape", "logreg", "data", "linear", "optimizer", "sgd", NULL}, "data",
         "regression set"},
        {{"landscape", "logreg", "data", "blobs", "optimizer", "sgd", NULL}, "data",
         "has 3 classes"},
        {{"landscape", "mlp", "data", "xor", "dim", "3", "optimizer", "sgd", NULL}, "dim",
         "has 105 parameters"},
        {{"landscape", "linreg", "target", "y", "optimizer", "sgd", NULL}, "target",
         "only with a data set"},
        {{"landscape", "linreg", "data", "xor", "target", "y", "optimizer", "sgd", NULL},
         "target", "is generated"},
        {{"landscape", "linreg", "data", "indices:n=3", "holdout", "0.1", "optimizer", "sgd",
          NULL}, "holdout", "leaves no test example"},
        {{"landscape", "mlp:act=elu", "data", "xor", "optimizer", "sgd", NULL}, "landscape",
         "act=elu"},
        {{"landscape", "mlp:hidden=2.5", "data", "xor", "optimizer", "sgd", NULL}, "landscape",
         "not a whole number"},
        {{"landscape", "linreg", "data", "nonesuch.csv", "optimizer", "sgd", NULL}, "data",
         "cannot read"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        lsc_error err = {0};
        char key[64];
        cr_expect_eq(prepare(cases[k].kv, &err, key), LSC_EINVAL, "case %zu", k);
        cr_expect_str_eq(key, cases[k].key, "case %zu: %s", k, err.msg);
        cr_expect(strstr(err.msg, cases[k].want) != NULL, "case %zu: '%s' lacks '%s'", k,
                  err.msg, cases[k].want);
    }
    /* and the keys themselves */
    lsc_experiment *x = lsc_experiment_new();
    lsc_error err = {0};
    cr_expect_eq(lsc_experiment_set(x, "holdout", "1", &err), LSC_EINVAL);
    cr_expect_eq(lsc_experiment_set(x, "holdout", "-0.1", &err), LSC_EINVAL);
    cr_expect_eq(lsc_experiment_set(x, "data", "", &err), LSC_EINVAL);
    cr_expect_eq(lsc_experiment_set(x, "data", "xor\n", &err), LSC_EINVAL);
    cr_expect_eq(lsc_experiment_set(x, "target", "", &err), LSC_EINVAL);
    lsc_experiment_free(x);
}

/* A model's trajectory file says its data set, and reads back into the same landscape. */
Test(models, a_trajectory_names_its_data_and_rebuilds_the_landscape)
{
    char path[] = "/tmp/lsc_models_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    lsc_error err = {0};
    lsc_experiment *x = lsc_experiment_new();
    const char *kv[] = {"landscape", "mlp:hidden=3", "data", "spiral:n=40,noise=0.1",
                        "holdout", "0.25", "seed", "5", "optimizer", "adam:lr=0.01",
                        "steps", "5", NULL};
    for (int k = 0; kv[k]; k += 2)
        cr_assert_eq(lsc_experiment_set(x, kv[k], kv[k + 1], &err), LSC_OK, "%s", err.msg);
    cr_assert_eq(lsc_experiment_write(x, path, &err), LSC_OK, "%s", err.msg);
    const lsc_landscape *L = lsc_experiment_landscape(x);
    const lsc_model *M = lsc_landscape_model(L);
    cr_assert_not_null(M);
    cr_expect_eq(M->train->n, 30);
    cr_assert_not_null(M->test);
    cr_expect_eq(M->test->n, 10);
    lsc_trajectory t;
    cr_assert_eq(lsc_trajectory_read(&t, path, &err), LSC_OK, "%s", err.msg);
    cr_expect_str_eq(t.data, "spiral:n=40,noise=0.1");
    cr_expect_eq(t.holdout, 0.25);
    cr_expect_str_eq(t.target, "");
    lsc_landscape *L2 = lsc_landscape_load_model(t.landscape, t.n, t.data, t.target, t.holdout,
                                                 t.seed, "trajectory", &err);
    cr_assert_not_null(L2, "%s", err.msg);
    const double *x0 = lsc_experiment_start(x);
    cr_expect_eq(lsc_landscape_f(L2, x0), lsc_landscape_f(L, x0), "the same data, split alike");
    cr_expect_eq(t.runs[0].loss[0], lsc_landscape_f(L, x0));
    lsc_landscape_free(L2);
    lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    unlink(path);
}

Test(models, accuracy_and_predictions)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model("softmax", 0, "blobs:n=90,noise=0.3", NULL, 0,
                                                3, "test", &err);
    cr_assert_not_null(L, "%s", err.msg);
    const lsc_model *M = lsc_landscape_model(L);
    double *work = malloc(lsc_model_work_size(M) * sizeof *work), theta[9] = {0};
    /* all-zero logits: argmax picks class 0, a third of the balanced blobs */
    cr_expect_float_eq(lsc_model_accuracy(M, M->train, NULL, 90, theta, work), 1.0 / 3, 1e-15);
    /* a few hundred gradient steps separate three well-apart blobs */
    double g[9];
    for (int k = 0; k < 500; k++) {
        lsc_landscape_fdf(L, theta, g);
        for (int j = 0; j < 9; j++)
            theta[j] -= 0.5 * g[j];
    }
    cr_expect_geq(lsc_model_accuracy(M, M->train, NULL, 90, theta, work), 0.95);
    double z[3];
    lsc_model_predict(M, M->train->X, 1, theta, z, work);
    double zz = theta[6] + theta[0] * M->train->X[0] + theta[1] * M->train->X[1];
    cr_expect_float_eq(z[0], zz, 1e-12, "logit 0 = W_0 . a + b_0");
    free(work);
    lsc_landscape_free(L);
    /* an mse model has no accuracy */
    L = lsc_landscape_load_model("linreg", 0, "linear", NULL, 0, 1, "test", &err);
    M = lsc_landscape_model(L);
    work = malloc(lsc_model_work_size(M) * sizeof *work);
    cr_expect(isnan(lsc_model_accuracy(M, M->train, NULL, 10, theta, work)));
    free(work);
    lsc_landscape_free(L);
    cr_expect_null(lsc_landscape_model(NULL));
}

/* linreg's listed minimum solves the normal equations: zero gradient, and on `mean` data
 * (no features) the bias alone is the mean. */
Test(models, linreg_knows_its_minimum)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model("linreg:l2=0.3", 0, "linear:features=3,n=50",
                                                NULL, 0, 2, "test", &err);
    cr_assert_not_null(L, "%s", err.msg);
    cr_assert_eq(lsc_landscape_ncritical(L), 1);
    double x[4], g[4];
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 0, &cp);
    double f = lsc_landscape_fdf(L, x, g), gn = 0;
    for (int j = 0; j < 4; j++)
        gn = fmax(gn, fabs(g[j]));
    cr_expect_leq(gn, 1e-13, "gradient at the minimum %g", gn);
    cr_expect_eq(f, cp.f);
    cr_expect_gt(cp.eig_min, 0);
    lsc_landscape_free(L);
    L = lsc_landscape_load_model("linreg", 0, "mean:n=7", NULL, 0, 4, "test", &err);
    cr_assert_eq(L->n, 1);
    lsc_landscape_critical(L, 0, &cp);
    const lsc_model *M = lsc_landscape_model(L);
    double mean = 0;
    for (int i = 0; i < 7; i++)
        mean += M->train->y[i] / 7;
    cr_expect_float_eq(x[0], mean, 1e-14);
    lsc_landscape_free(L);
}

/* ---- the BLAS --------------------------------------------------------------------------- */

#if LSC_BLAS_OPENBLAS
int openblas_get_num_threads(void); /* OpenBLAS's own */
#endif

/* The products run on the CBLAS the build chose (meson option blas): cblas_dgemm binds to
 * libopenblas, not to the libgslcblas that libgsl.so names, or to libgslcblas with
 * blas=gsl; and OpenBLAS runs on one thread once a model is set up (model.h), or on
 * OPENBLAS_NUM_THREADS when the environment sets it. The parity tests above hold on
 * either. */
Test(models, the_products_run_on_the_blas_the_build_chose)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model("mlp:hidden=4", 0, "xor:n=20", NULL, 0, 1,
                                                "test", &err);
    cr_assert_not_null(L, "%s", err.msg);
    void (*fn)(void) = (void (*)(void))cblas_dgemm;
    void *addr;
    memcpy(&addr, &fn, sizeof addr);
    Dl_info info;
    cr_assert(dladdr(addr, &info) && info.dli_fname, "dladdr(cblas_dgemm)");
    const char *want = LSC_BLAS_OPENBLAS ? "libopenblas" : "libgslcblas";
    cr_expect_not_null(strstr(info.dli_fname, want), "cblas_dgemm is in %s, not %s (%s)",
                       info.dli_fname, want, LSC_BLAS);
#if LSC_BLAS_OPENBLAS
    const char *env = getenv("OPENBLAS_NUM_THREADS");
    cr_expect_eq(openblas_get_num_threads(), env ? atoi(env) : 1);
#endif
    lsc_landscape_free(L);
}
