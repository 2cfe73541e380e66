/* test_landscape_nd.c — n-D landscape families and expr:FORMULA
 *
 * References are independent of the code under test: closed forms typed in here, values
 * from the literature, direct re-implementations of the formulas (loops written out in
 * this file), central finite differences (written in this file, not lsc_fd_*), and GSL's
 * symmetric eigensolver for spectra.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort.h>

#include "landscape.h"

#define PI 3.14159265358979323846
#define E_ 2.71828182845904523536

static lsc_landscape *make(const char *spec, int dim)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new(spec, dim, "--landscape", &e);
    cr_assert_not_null(L, "%s (dim %d): %s", spec, dim, e.msg);
    return L;
}

/* lsc_landscape_new must fail with EINVAL and a message containing each of the words; the
 * library names keys (landscape, dim), never a command-line flag */
static void expect_error(const char *spec, int dim, const char *w1, const char *w2)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new(spec, dim, "landscape", &e);
    cr_assert_null(L, "%s (dim %d) should fail", spec, dim);
    cr_assert_eq(e.code, LSC_EINVAL, "%s: code %d (%s)", spec, e.code, e.msg);
    cr_assert(strstr(e.msg, w1), "%s: message '%s' lacks '%s'", spec, e.msg, w1);
    if (w2)
        cr_assert(strstr(e.msg, w2), "%s: message '%s' lacks '%s'", spec, e.msg, w2);
    cr_assert_null(strchr(e.msg, '\n'), "one line: %s", e.msg);
    cr_assert_null(strstr(e.msg, "--"), "%s: a flag in '%s'", spec, e.msg);
}

/* deterministic pseudo-random numbers in [0, 1) (64-bit LCG, top bits) */
static double urand(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* central differences of f: h_i = 1e-6 max(1, |x_i|) */
static void fd_grad(const lsc_landscape *L, const double *x, double *g)
{
    const int n = L->n;
    double *xb = malloc((size_t)n * sizeof *xb);
    memcpy(xb, x, (size_t)n * sizeof *x);
    for (int i = 0; i < n; i++) {
        double h = 1e-6 * fmax(1.0, fabs(x[i]));
        xb[i] = x[i] + h;
        double fp = lsc_landscape_f(L, xb);
        xb[i] = x[i] - h;
        double fm = lsc_landscape_f(L, xb);
        xb[i] = x[i];
        g[i] = (fp - fm) / (2 * h);
    }
    free(xb);
}

/* central differences of the analytic gradient, row i = d g / d x_i */
static void fd_hess(const lsc_landscape *L, const double *x, double *H)
{
    const int n = L->n;
    double *xb = malloc((size_t)n * sizeof *xb), *gp = malloc((size_t)n * sizeof *gp),
           *gm = malloc((size_t)n * sizeof *gm);
    memcpy(xb, x, (size_t)n * sizeof *x);
    for (int i = 0; i < n; i++) {
        double h = 1e-5 * fmax(1.0, fabs(x[i]));
        xb[i] = x[i] + h;
        lsc_landscape_fdf(L, xb, gp);
        xb[i] = x[i] - h;
        lsc_landscape_fdf(L, xb, gm);
        xb[i] = x[i];
        for (int j = 0; j < n; j++)
            H[(size_t)i * n + j] = (gp[j] - gm[j]) / (2 * h);
    }
    free(xb);
    free(gp);
    free(gm);
}

static double maxabs(int n, const double *v)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = fmax(m, fabs(v[i]));
    return m;
}

/* analytic gradient and Hessian against finite differences at x */
static void check_derivatives(const lsc_landscape *L, const double *x, const char *what)
{
    const int n = L->n;
    double *g = malloc((size_t)n * sizeof *g), *gf = malloc((size_t)n * sizeof *gf);
    double f = lsc_landscape_fdf(L, x, g);
    cr_assert_float_eq(f, lsc_landscape_f(L, x), 1e-13 * (1 + fabs(f)), "%s: fdf vs f", what);
    fd_grad(L, x, gf);
    double scale = 1 + maxabs(n, g) + fabs(f);
    for (int i = 0; i < n; i++)
        cr_assert(fabs(g[i] - gf[i]) <= 1e-6 * scale, "%s: g[%d] = %.12g, fd %.12g", what, i,
                  g[i], gf[i]);
    if (lsc_landscape_has_hessian(L)) {
        double *H = malloc((size_t)n * n * sizeof *H), *Hf = malloc((size_t)n * n * sizeof *Hf);
        cr_assert_eq(lsc_landscape_hess(L, x, H), LSC_OK);
        fd_hess(L, x, Hf);
        double hs = 1 + maxabs(n * n, H);
        for (int i = 0; i < n * n; i++)
            cr_assert(fabs(H[i] - Hf[i]) <= 1e-5 * hs, "%s: H[%d][%d] = %.12g, fd %.12g", what,
                      i / n, i % n, H[i], Hf[i]);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                cr_assert_eq(H[i * n + j], H[j * n + i], "%s: H symmetric", what);
        free(H);
        free(Hf);
    }
    free(g);
    free(gf);
}

/* all eigenvalues of the Hessian at x, ascending (GSL) */
static void hess_spectrum(const lsc_landscape *L, const double *x, double *ev)
{
    const size_t n = (size_t)L->n;
    gsl_matrix *A = gsl_matrix_alloc(n, n);
    gsl_vector *v = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    cr_assert_eq(lsc_landscape_hess(L, x, A->data), LSC_OK);
    cr_assert_eq(gsl_eigen_symm(A, v, w), 0);
    for (size_t i = 0; i < n; i++)
        ev[i] = gsl_vector_get(v, i);
    gsl_sort(ev, 1, n);
    gsl_matrix_free(A);
    gsl_vector_free(v);
    gsl_eigen_symm_free(w);
}

/* ---- finite-difference table over families and non-default parameters ---------- */

typedef struct {
    char spec[96]; /* inline: Criterion copies parameters into the test process */
    int dim;
} fd_case;

static fd_case fd_cases[] = {
    {"sphere", 1},
    {"sphere", 5},
    {"rosenbrock", 2},
    {"rosenbrock", 6},
    {"rosenbrock:a=2,b=10", 4},
    {"quadratic-spectrum:cond=1000,neg=2", 5},
    {"quadratic-spectrum:eig=-1;0;4", 4},
    {"rastrigin", 3},
    {"ackley", 2},
    {"ackley:a=10,b=0.5,c=3", 4},
    {"styblinski-tang", 3},
    {"lee-saddle:k=2", 3},
    {"lee-saddle:k=0", 2},
    {"deep-linear", 2},
    {"deep-linear", 5},
    {"deep-linear:width=2", 8},
    {"deep-linear:width=2,depth=3,target=2;0.5", 12},
    {"deep-linear:width=3,target=1;2;3", 18},
    {"deep-linear:width=2,depth=1", 4},
    {"chain", 10},
    {"chain:act=tanh,x=0.5,target=-0.3", 6},
    {"chain:act=linear,x=1.3", 5},
    {"chain:act=leaky-relu,x=-0.7", 5},
    {"chain:act=relu,target=2", 3},
    {"rnn:hidden=3,steps=5", 0},
    {"rnn:hidden=2,steps=9,recall=9,sequences=5,seed=3", 0},
    {"rnn:hidden=1,steps=4,sequences=3", 0},
    {"expr:sin(x)*exp(y/3)+x^3*y", 2},
    {"expr:x1*x2*x3+log(1+x2^2)+cos(x3)+0*x4", 4}, /* flat in x4 */
};

ParameterizedTestParameters(nd, derivatives_match_finite_differences)
{
    return cr_make_param_array(fd_case, fd_cases, (size_t)LSC_COUNTOF(fd_cases));
}

ParameterizedTest(fd_case *c, nd, derivatives_match_finite_differences)
{
    lsc_landscape *L = make(c->spec, c->dim);
    const int n = L->n;
    double *x = malloc((size_t)n * sizeof *x), *lo = malloc((size_t)n * sizeof *lo),
           *hi = malloc((size_t)n * sizeof *hi);
    char what[256];
    for (int k = 0; k < lsc_landscape_nstarts(L); k++) {
        lsc_landscape_start(L, k, x);
        snprintf(what, sizeof what, "%s n=%d start %d", c->spec, n, k);
        check_derivatives(L, x, what);
    }
    lsc_landscape_box(L, lo, hi);
    unsigned long long s = 12345;
    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < n; i++) /* the middle half of the box */
            x[i] = lo[i] + (0.25 + 0.5 * urand(&s)) * (hi[i] - lo[i]);
        snprintf(what, sizeof what, "%s n=%d point %d", c->spec, n, t);
        check_derivatives(L, x, what);
    }
    free(x);
    free(lo);
    free(hi);
    lsc_landscape_free(L);
}

/* Every listed critical point: the gradient (by finite differences) vanishes, f matches,
 * and the extreme Hessian eigenvalues (GSL) match the listed ones and the kind. */
static void check_critical_points(const char *spec, int dim, int expect_count)
{
    lsc_landscape *L = make(spec, dim);
    const int n = L->n, nc = lsc_landscape_ncritical(L);
    if (expect_count >= 0)
        cr_assert_eq(nc, expect_count, "%s n=%d: %d critical points", spec, n, nc);
    double *x = malloc((size_t)n * sizeof *x), *g = malloc((size_t)n * sizeof *g),
           *ev = malloc((size_t)n * sizeof *ev);
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = x};
        lsc_landscape_critical(L, k, &cp);
        double f = lsc_landscape_f(L, x);
        cr_assert_float_eq(f, cp.f, 1e-12 * (1 + fabs(f)), "%s n=%d cp %d: f %.17g listed %.17g",
                           spec, n, k, f, cp.f);
        fd_grad(L, x, g);
        cr_assert(maxabs(n, g) <= 1e-6 * (1 + fabs(f)), "%s n=%d cp %d: |g| = %g", spec, n, k,
                  maxabs(n, g));
        if (isnan(cp.eig_min))
            continue;
        hess_spectrum(L, x, ev);
        double sc = 1e-9 * (1 + fabs(ev[n - 1]) + fabs(ev[0]));
        cr_assert_float_eq(ev[0], cp.eig_min, sc, "%s cp %d: eig_min %.15g listed %.15g", spec,
                           k, ev[0], cp.eig_min);
        cr_assert_float_eq(ev[n - 1], cp.eig_max, sc, "%s cp %d: eig_max %.15g listed %.15g",
                           spec, k, ev[n - 1], cp.eig_max);
        if (cp.kind == LSC_CP_MIN)
            cr_assert(ev[0] >= -sc, "%s cp %d: min with eigenvalue %g", spec, k, ev[0]);
        if (cp.kind == LSC_CP_MAX)
            cr_assert(ev[n - 1] <= sc, "%s cp %d: max with eigenvalue %g", spec, k, ev[n - 1]);
        if (cp.kind == LSC_CP_SADDLE)
            cr_assert(ev[0] < -sc && ev[n - 1] > sc, "%s cp %d: saddle", spec, k);
    }
    free(x);
    free(g);
    free(ev);
    lsc_landscape_free(L);
}

Test(nd, critical_points_of_every_family)
{
    check_critical_points("sphere", 4, 1);
    check_critical_points("rosenbrock", 2, 1);
    check_critical_points("rosenbrock", 3, 1);
    check_critical_points("rosenbrock", 7, 2);
    check_critical_points("rosenbrock:a=2", 3, -1);
    check_critical_points("quadratic-spectrum:neg=1", 3, 1);
    check_critical_points("rastrigin", 1, 21);
    check_critical_points("rastrigin", 2, 441);
    check_critical_points("rastrigin", 3, 27);
    check_critical_points("ackley", 3, 1);
    check_critical_points("styblinski-tang", 3, 27);
    check_critical_points("lee-saddle:k=2", 4, 9);
    check_critical_points("lee-saddle:k=3", 3, 27);
    check_critical_points("octopus", 3, 15);
    check_critical_points("octopus:tau=1,L=2,gamma=0.5", 8, 9);
    check_critical_points("deep-linear", 2, 2);
    check_critical_points("deep-linear", 4, 2);
    check_critical_points("deep-linear:width=2", 8, 2);
    check_critical_points("deep-linear:width=2,depth=1", 4, 1);
    /* chain, linear units: the origin and the balanced minimum (t / x > 0 or L odd) */
    check_critical_points("chain:act=linear", 1, 1);
    check_critical_points("chain:act=linear", 2, 2);
    check_critical_points("chain:act=linear,x=2,target=3", 4, 2);
    check_critical_points("chain:act=linear,target=-0.5", 3, 2);
    check_critical_points("chain:act=linear,target=-0.5", 4, 1);
    check_critical_points("chain:act=linear,target=0", 3, 1);
    check_critical_points("chain", 5, 1); /* sigmoid: the equal-weights minimum */
    check_critical_points("chain:act=tanh,x=0.5,target=0.3", 4, 1);
    check_critical_points("chain:act=sigmoid,target=0.3", 3, 0); /* y(c) > 0.5 for c > 0 */
    /* expr: found by search (src/critical_search.c), checked like every listed point */
    check_critical_points("expr:x^2+y^2", 2, 1);
    check_critical_points("expr:x^4-x^2+y^2", 2, 3);        /* two minima, a saddle */
    check_critical_points("expr:x1^2-x2^2+x3^4-x3^2", 3, 3); /* three saddles */
    check_critical_points("expr:x^3-3*x*y^2", 2, 1);        /* the monkey saddle */
    check_critical_points("expr:x1^4-x1^2", 1, 3);           /* 1-D: two minima, a maximum */
    check_critical_points("expr:x1^2+x3^2", 3, 0);          /* flat in x2: a line, not listed */
    check_critical_points("expr:x1^2+x2^2+x3^2+x4^2", 4, 0); /* beyond the search */
}

/* The box of any landscape (lsc_landscape_set_box, the box key): an expr landscape lists
 * the critical points found in the box it is given, so a minimum outside the default
 * [-5, 5]^n is found once the box holds it. Closed forms: (x-7)^2+y^2 has its one
 * minimum at (7, 0) with f = 0 and Hessian 2 I; (x-7)^2+(y+8)^2 at (7, -8). */
static void expect_one_min(const lsc_landscape *L, double x0, double y0, const char *what)
{
    double x[2];
    lsc_critical cp = {.x = x};
    cr_assert_eq(lsc_landscape_ncritical(L), 1, "%s: %d points", what,
                 lsc_landscape_ncritical(L));
    lsc_landscape_critical(L, 0, &cp);
    cr_assert_eq(cp.kind, LSC_CP_MIN, "%s", what);
    cr_assert(fabs(x[0] - x0) <= 1e-9 && fabs(x[1] - y0) <= 1e-9, "%s: (%.17g, %.17g)", what,
              x[0], x[1]);
    cr_assert(fabs(cp.f) <= 1e-15 && fabs(cp.eig_min - 2) <= 1e-12 &&
              fabs(cp.eig_max - 2) <= 1e-12, "%s: f %g eig %g %g", what, cp.f, cp.eig_min,
              cp.eig_max);
}

Test(nd, expr_lists_the_critical_points_of_the_box_it_is_given)
{
    lsc_error e = {0};
    lsc_landscape *L = make("expr:(x-7)^2+y^2", 2);
    cr_assert_eq(lsc_landscape_ncritical(L), 0, "(7, 0) is outside the default box");
    cr_assert_eq(lsc_landscape_set_box_text(L, "0:10", &e), LSC_OK, "%s", e.msg);
    double lo[2], hi[2];
    lsc_landscape_box(L, lo, hi);
    cr_assert(lo[0] == 0 && lo[1] == 0 && hi[0] == 10 && hi[1] == 10);
    expect_one_min(L, 7, 0, "box 0:10");
    lsc_critical first;
    double x1[2];
    first.x = x1;
    lsc_landscape_critical(L, 0, &first);
    /* a box without it lists none; the same box again gives the same point, bit for bit */
    cr_assert_eq(lsc_landscape_set_box_text(L, "-1:1", &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_landscape_ncritical(L), 0);
    cr_assert_eq(lsc_landscape_set_box_text(L, "0:10", &e), LSC_OK, "%s", e.msg);
    double x2[2];
    lsc_critical again = {.x = x2};
    lsc_landscape_critical(L, 0, &again);
    cr_assert(x1[0] == x2[0] && x1[1] == x2[1] && first.f == again.f);
    /* a refused box changes nothing */
    cr_assert_eq(lsc_landscape_set_box_text(L, "3:2", &e), LSC_EINVAL);
    expect_one_min(L, 7, 0, "after a refused box");
    lsc_landscape_free(L);
    /* one range per axis */
    L = make("expr:(x-7)^2+(y+8)^2", 2);
    cr_assert_eq(lsc_landscape_set_box_text(L, "0:10,-10:0", &e), LSC_OK, "%s", e.msg);
    lsc_landscape_box(L, lo, hi);
    cr_assert(lo[0] == 0 && hi[0] == 10 && lo[1] == -10 && hi[1] == 0);
    expect_one_min(L, 7, -8, "box 0:10,-10:0");
    lsc_landscape_free(L);
    /* any landscape: the box replaces the type's */
    L = make("rosenbrock", 3);
    cr_assert_eq(lsc_landscape_set_box_text(L, "-3:1", &e), LSC_OK, "%s", e.msg);
    double l3[3], h3[3];
    lsc_landscape_box(L, l3, h3);
    for (int j = 0; j < 3; j++)
        cr_assert(l3[j] == -3 && h3[j] == 1);
    lsc_landscape_free(L);
}

Test(nd, box_text_is_checked)
{
    lsc_error e = {0};
    double lo[3], hi[3];
    cr_assert_eq(lsc_box_parse("-2:2", 3, lo, hi, &e), LSC_OK, "%s", e.msg);
    cr_assert(lo[2] == -2 && hi[2] == 2);
    cr_assert_eq(lsc_box_parse("-2:2,1e-3:4,-8e307:8e307", 3, lo, hi, &e), LSC_OK, "%s", e.msg);
    cr_assert(lo[1] == 1e-3 && hi[1] == 4 && lo[2] == -8e307);
    cr_assert_eq(lsc_box_parse("1:2,3:4,5:6,7:8", 0, NULL, NULL, &e), LSC_OK, "syntax only");
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"", "expected LO:HI"},       {"1", "expected LO:HI"},
        {"1:2,", "expected LO:HI"},   {"1:2:3", "expected LO:HI"},
        {"a:1", "expected LO:HI"},    {"1:1", "range 1 is [1, 1]"},
        {"0:1,2:1", "range 2"},       {"0:inf", "LO < HI"},
        {"nan:1", "expected LO:HI"}, {"-1e308:1e308", "HI - LO finite"},
        {"0:1,0:1", "2 ranges for a landscape of dimension 3"},
    };
    for (int k = 0; k < LSC_COUNTOF(bad); k++) {
        e = (lsc_error){0};
        cr_assert_eq(lsc_box_parse(bad[k].text, 3, lo, hi, &e), LSC_EINVAL, "'%s'",
                     bad[k].text);
        cr_assert(!strncmp(e.msg, "box: '", 6) && strstr(e.msg, bad[k].why), "'%s': %s",
                  bad[k].text, e.msg);
    }
}

/* ---- high-precision references (tests/ref/landscapend_ref.py) ------------------- */

/* second minimum of the extended Rosenbrock function, mpmath Newton at 50 digits */
static const struct {
    int n;
    double x[7];
    double f;
} rosen_second[] = {
    {4,
     {-0.7756592265653526, 0.6130933654850435, 0.38206284633839316, 0.1459720185521946},
     3.701428610430017},
    {5,
     {-0.9620510206947501, 0.93573939597671, 0.8807136041943205, 0.7778776758544064,
      0.6050936785926528},
     3.930839434133028},
    {6,
     {-0.9865749795709937, 0.9833982288361818, 0.9721066700530919, 0.947437436826436,
      0.8986511848517297, 0.8075739520354176},
     3.973940500930295},
    {7,
     {-0.9917225725614055, 0.9935553935033713, 0.9921733215946921, 0.986898762690314,
      0.975164756608873, 0.9514319827049926, 0.9052228177139535},
     3.983600536424854},
};

/* the 21 roots of 2x + 20 pi sin(2 pi x) in [-5.12, 5.12], ordered as in rastrigin.c */
static const double rastrigin_roots[21] = {
    0.0, 0.9949586376523348, -0.9949586376523348, 1.9899122337085495, -1.9899122337085495,
    2.984855701039481, -2.984855701039481, 3.9797838603007536, -3.9797838603007536,
    4.974691390895051, -4.974691390895051, 0.5025460365546747, -0.5025460365546747,
    1.5076407318703584, -1.5076407318703584, 2.512743318200085, -2.512743318200085,
    3.517859138170441, -3.517859138170441, 4.522993659584519, -4.522993659584519,
};

/* the roots of 4x^3 - 32x + 5 */
static const double st_roots[3] = {-2.903534027771177, 0.1567312567803401, 2.746802770990837};

/* f, gradient, Hessian by torch autograd (float64) from the formulas in the script */
typedef struct {
    const char *spec;
    int n;
    double x[12], f, g[12], H[144];
} ag_case;

static const ag_case autograd_cases[] = {
    {"deep-linear:depth=3,width=2,target=3;1", 12, /* depth 3, width 2 */
     {0.3, -0.2, 0.5, 0.1, -0.4, 0.7, 0.2, 0.6, 0.9, -0.3, 0.25, 0.45},
     4.694892249999999,
     {1.2162250000000001, -0.044645000000000025, -1.2077725, -0.36625749999999996, -0.7423525,
      -1.29024, 0.38427749999999994, 0.4377599999999999, -0.6478799999999999, -1.04178,
      -0.09254000000000001, 0.05995},
     {0.17650000000000005, 0.0, -0.19345000000000004, 0.0, -2.670175, -0.19025000000000003,
      1.005525, 0.06075, 1.0637999999999999, -0.7313999999999999, -0.0901, 0.0403, 0.0,
      0.17650000000000005, 0.0, -0.19345000000000004, -0.04617499999999995, -0.03805000000000001,
      -0.49207500000000004, 0.012150000000000001, -0.11460000000000004, 0.017400000000000013,
      0.3799, -0.19090000000000001, -0.19345, 0.0, 0.40052499999999996, 0.0, 0.15487499999999998,
      -2.2979, 0.019575, 1.0016999999999998, -1.9272, -1.5786, 0.256, 0.2919, 0.0, -0.19345, 0.0,
      0.40052499999999996, -0.10325000000000001, -0.07064999999999996, -0.01305,
      -0.46125000000000005, 0.15780000000000005, 0.0864, -0.6007, -0.5631999999999999, -2.670175,
      -0.04617499999999995, 0.15487500000000004, -0.10325000000000002, 0.11342500000000003,
      0.11342500000000001, -0.020475, -0.020475, -0.861, 0.09360000000000002, 0.2663, 0.026,
      -0.19025000000000003, -0.03805000000000001, -2.2979, -0.07064999999999996,
      0.11342499999999998, 0.22685000000000002, -0.020475000000000004, -0.04095000000000001,
      -1.3206, 0.1638, 0.0469, 0.0455, 1.005525, -0.49207500000000004, 0.019575000000000002,
      -0.013050000000000006, -0.020475, -0.020475, 0.038025, 0.038025, -0.011699999999999995,
      -0.9273, 0.017549999999999996, 0.30335, 0.060750000000000005, 0.012150000000000001,
      1.0016999999999998, -0.46125000000000005, -0.020475000000000004, -0.04095000000000001,
      0.038024999999999996, 0.07604999999999999, -0.03899999999999999, -1.4922,
      0.058499999999999996, 0.0963, 1.0638, -0.11460000000000004, -1.9272, 0.15780000000000005,
      -0.861, -1.3206, -0.011699999999999995, -0.03899999999999999, 0.0754, 0.08579999999999999,
      0.0, 0.0, -0.7314, 0.017400000000000013, -1.5785999999999998, 0.0864, 0.0936, 0.1638,
      -0.9273, -1.4922, 0.08579999999999999, 0.13, 0.0, 0.0, -0.09010000000000001,
      0.37990000000000007, 0.256, -0.6007, 0.26630000000000004, 0.0469, 0.017549999999999993,
      0.058499999999999996, 0.0, 0.0, 0.0754, 0.08579999999999999, 0.04030000000000001,
      -0.19090000000000001, 0.2919, -0.5632, 0.026, 0.0455, 0.30335, 0.0963, 0.0, 0.0,
      0.08579999999999999, 0.13}},
    {"octopus", 3, /* octopus (a_1 <= tau) */
     {1.1, -0.4, 0.3},
     -0.5304295428852388,
     {-2.2, -2.1746254627672363, 1.630969097075427},
     {-2.0, -0.0, 0.0, 0.0, 5.43656365691809, 0.0, 0.0, -0.0, 5.43656365691809}},
    {"octopus", 3, /* octopus (tau < a_1 <= 2tau) */
     {-4.0, 0.9, -0.6},
     -19.474942315669338,
     {20.983375904978, 1.9031104720735852, -3.261938194150854},
     {-14.6762429006411, 4.586680489234631, -0.0, 4.586680489234627, 2.1145671911928723, -0.0,
      -0.0, 0.0, 5.43656365691809}},
    {"octopus", 3, /* octopus (tau < a_2 <= 2tau) */
     {9.5, 3.9, -1.2},
     -152.34993695945744,
     {-7.465094050723339, -21.050781784689978, -3.141712737437792},
     {5.43656365691809, 0.0, -0.0, 0.0, -15.778210002741517, 5.947457299735141, 0.0,
      5.947457299735138, 2.6180939478648266}},
    {"octopus", 3, /* octopus (tau < a_3 <= 2tau) */
     {12.0, -8.0, 4.5},
     -286.3367393772329,
     {6.126315091571887, 15.619939536100475, -25.55006208911346},
     {5.43656365691809, -0.0, 0.0, 0.0, 5.43656365691809, 0.0, 0.0, -0.0, -11.47698500226602}},
    {"octopus", 3, /* octopus (all > 2tau) */
     {12.0, -8.0, 6.0},
     -329.1684278425812,
     {6.126315091571887, 15.619939536100475, -26.493066849936653},
     {5.43656365691809, -0.0, 0.0, 0.0, 5.43656365691809, 0.0, 0.0, -0.0, 5.43656365691809}},
};

Test(reference, rosenbrock_second_minimum_full_precision)
{
    for (int k = 0; k < LSC_COUNTOF(rosen_second); k++) {
        const int n = rosen_second[k].n;
        lsc_landscape *L = make("rosenbrock", n);
        double x[7];
        lsc_critical cp = {.x = x};
        cr_assert_eq(lsc_landscape_ncritical(L), 2);
        lsc_landscape_critical(L, 1, &cp);
        cr_assert_eq(cp.kind, LSC_CP_MIN);
        cr_assert(cp.tol > 0 && cp.tol < 1e-11, "tol %g", cp.tol);
        for (int i = 0; i < n; i++)
            cr_assert(fabs(x[i] - rosen_second[k].x[i]) <= cp.tol, "n=%d x[%d] = %.17g, ref %.17g",
                      n, i, x[i], rosen_second[k].x[i]);
        cr_assert_float_eq(cp.f, rosen_second[k].f, 1e-14 * cp.f);
        lsc_landscape_free(L);
    }
}

Test(reference, rastrigin_and_styblinski_roots)
{
    lsc_landscape *L = make("rastrigin", 1);
    for (int k = 0; k < 21; k++) {
        double x;
        lsc_critical cp = {.x = &x};
        lsc_landscape_critical(L, k, &cp);
        cr_assert_float_eq(x, rastrigin_roots[k], 2e-16 * (1 + fabs(x)), "root %d: %.17g", k, x);
    }
    lsc_landscape_free(L);
    L = make("styblinski-tang", 1);
    static const int order[3] = {0, 2, 1}; /* listing: r_min, r_loc, r_max */
    for (int k = 0; k < 3; k++) {
        double x;
        lsc_critical cp = {.x = &x};
        lsc_landscape_critical(L, k, &cp);
        cr_assert_float_eq(x, st_roots[order[k]], 4e-16 * fabs(x), "root %d: %.17g", k, x);
    }
    lsc_landscape_free(L);
}

Test(reference, autograd_values_gradients_hessians)
{
    for (int k = 0; k < LSC_COUNTOF(autograd_cases); k++) {
        const ag_case *c = &autograd_cases[k];
        const int n = c->n;
        lsc_landscape *L = make(c->spec, n);
        double g[12], H[144];
        double f = lsc_landscape_fdf(L, c->x, g);
        cr_assert_float_eq(f, c->f, 1e-13 * (1 + fabs(c->f)), "%s case %zu: f %.17g ref %.17g",
                           c->spec, k, f, c->f);
        for (int i = 0; i < n; i++)
            cr_assert_float_eq(g[i], c->g[i], 1e-13 * (1 + fabs(c->g[i])), "%s case %zu: g[%d]",
                               c->spec, k, i);
        lsc_landscape_hess(L, c->x, H);
        for (int i = 0; i < n * n; i++)
            cr_assert_float_eq(H[i], c->H[i], 1e-13 * (1 + fabs(c->H[i])),
                               "%s case %zu: H[%d][%d] %.17g ref %.17g", c->spec, k, i / n,
                               i % n, H[i], c->H[i]);
        lsc_landscape_free(L);
    }
}

/* ---- rosenbrock ----------------------------------------------------------------- */

/* direct formula: sum_{i<n-1} b (x_{i+1} - x_i^2)^2 + (a - x_i)^2 */
static double rosen_ref(int n, const double *x, double a, double b)
{
    double s = 0;
    for (int i = 0; i + 1 < n; i++)
        s += b * pow(x[i + 1] - x[i] * x[i], 2) + pow(a - x[i], 2);
    return s;
}

Test(rosenbrock, classic_2d)
{
    lsc_landscape *L = make("rosenbrock", 0);
    cr_assert_eq(L->n, 2);
    double x[2] = {-1.2, 1.0}, g[2];
    /* (1 - x)^2 + 100 (y - x^2)^2 = 4.84 + 100 * 0.1936 = 24.2; the gradient by hand:
     * -400 x (y - x^2) - 2 (1 - x) = -215.6, 200 (y - x^2) = -88 */
    cr_assert_float_eq(lsc_landscape_fdf(L, x, g), 24.2, 1e-12);
    cr_assert_float_eq(g[0], -215.6, 1e-11);
    cr_assert_float_eq(g[1], -88.0, 1e-11);
    double lo[2], hi[2];
    lsc_landscape_box(L, lo, hi);
    cr_assert(lo[0] == -2 && hi[0] == 2 && lo[1] == -1 && hi[1] == 3);
    cr_assert_eq(lsc_landscape_nstarts(L), 2);
    lsc_landscape_start(L, 0, x);
    cr_assert(x[0] == -1.5 && x[1] == 2);
    lsc_landscape_start(L, 1, x);
    cr_assert(x[0] == -1.2 && x[1] == 1);
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(cp.kind == LSC_CP_MIN && x[0] == 1 && x[1] == 1 && cp.f == 0);
    lsc_landscape_free(L);
}

Test(rosenbrock, params_move_the_minimum_2d)
{
    lsc_landscape *L = make("rosenbrock:a=0.5,b=7", 2);
    double x[2], g[2];
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(x[0] == 0.5 && x[1] == 0.25);
    cr_assert_eq(lsc_landscape_fdf(L, x, g), 0.0);
    double y[2] = {0.3, -0.7};
    cr_assert_float_eq(lsc_landscape_f(L, y), rosen_ref(2, y, 0.5, 7), 1e-14);
    lsc_landscape_free(L);
}

/* Kok & Sandrock (2009), Table 1: for n = 4 the second minimum is
 * x = (-0.7757, 0.6131, 0.3820, 0.1460), f = 3.7014; for 4 <= n <= 7 there are two minima */
Test(rosenbrock, second_minimum_kok_sandrock)
{
    static const double xref[4] = {-0.7757, 0.6131, 0.3820, 0.1460};
    lsc_landscape *L = make("rosenbrock", 4);
    double x[4];
    cr_assert_eq(lsc_landscape_ncritical(L), 2);
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 1, &cp);
    cr_assert_eq(cp.kind, LSC_CP_MIN);
    cr_assert_float_eq(cp.f, 3.7014, 1e-4);
    for (int i = 0; i < 4; i++)
        cr_assert_float_eq(x[i], xref[i], 1e-4, "x[%d] = %.6f", i, x[i]);
    cr_assert_float_eq(rosen_ref(4, x, 1, 100), cp.f, 1e-13);
    lsc_landscape_free(L);
    for (int n = 5; n <= 7; n++) {
        L = make("rosenbrock", n);
        cr_assert_eq(lsc_landscape_ncritical(L), 2, "n = %d", n);
        double y[7];
        lsc_critical c2 = {.x = y};
        lsc_landscape_critical(L, 1, &c2);
        cr_assert(y[0] < -0.9 && y[0] > -1.0 && c2.f > 3.9 && c2.f < 4.0, "n=%d f=%g", n,
                  c2.f);
        lsc_landscape_free(L);
    }
}

Test(rosenbrock, large_n_fdf_and_batch)
{
    const int n = 100000;
    lsc_landscape *L = make("rosenbrock", n);
    double *x = malloc((size_t)n * sizeof *x), *g = malloc((size_t)n * sizeof *g);
    /* at 0: every (a - x_i)^2 = 1: f = n - 1, g_i = -2 (i < n), g_n = 0 */
    memset(x, 0, (size_t)n * sizeof *x);
    cr_assert_eq(lsc_landscape_fdf(L, x, g), n - 1.0);
    cr_assert(g[0] == -2 && g[n / 2] == -2 && g[n - 2] == -2 && g[n - 1] == 0);
    /* at (1, ..., 1) the minimum */
    for (int i = 0; i < n; i++)
        x[i] = 1;
    cr_assert_eq(lsc_landscape_fdf(L, x, g), 0.0);
    cr_assert_eq(maxabs(n, g), 0.0);
    /* random point against the direct formula and a hand-written gradient */
    unsigned long long s = 7;
    for (int i = 0; i < n; i++)
        x[i] = 4 * urand(&s) - 2;
    double f = lsc_landscape_fdf(L, x, g);
    cr_assert_float_eq(f, rosen_ref(n, x, 1, 100), 1e-10 * f);
    for (int i = 0; i < n; i += 9973) {
        double gi = (i < n - 1 ? -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]) : 0)
                    + (i > 0 ? 200 * (x[i] - x[i - 1] * x[i - 1]) : 0);
        cr_assert_float_eq(g[i], gi, 1e-12 * (1 + fabs(gi)));
    }
    cr_assert_eq(lsc_landscape_ncritical(L), 1);
    /* batch of 3 points, structure of arrays */
    const size_t m = 3;
    double *X = malloc(m * n * sizeof *X), *G = malloc(m * n * sizeof *G), F[3];
    double *scratch = malloc(2 * (size_t)n * sizeof *scratch);
    for (size_t i = 0; i < m * (size_t)n; i++)
        X[i] = 3 * urand(&s) - 1.5;
    cr_assert_not_null(L->type->fdf_batch);
    for (size_t i = 0; i < m * (size_t)n; i++) /* outputs must be written, not accumulated */
        G[i] = 1e300;
    F[0] = F[1] = F[2] = 1e300;
    lsc_landscape_fdf_batch(L, m, X, F, G, scratch);
    for (size_t p = 0; p < m; p++) {
        for (int j = 0; j < n; j++)
            x[j] = X[(size_t)j * m + p];
        double fp = lsc_landscape_fdf(L, x, g);
        cr_assert_float_eq(F[p], fp, 1e-12 * fp);
        for (int j = 0; j < n; j++)
            cr_assert_float_eq(G[(size_t)j * m + p], g[j], 1e-12 * (1 + fabs(g[j])));
    }
    free(X);
    free(G);
    free(scratch);
    free(x);
    free(g);
    lsc_landscape_free(L);
}

Test(rosenbrock, batch_2d_equals_fdf)
{
    lsc_landscape *L = make("rosenbrock:a=1.5,b=20", 2);
    const size_t m = 1001;
    double *X = malloc(2 * m * sizeof *X), *G = malloc(2 * m * sizeof *G),
           *F = malloc(m * sizeof *F), scratch[4];
    unsigned long long s = 99;
    for (size_t i = 0; i < 2 * m; i++)
        X[i] = 6 * urand(&s) - 3;
    for (size_t i = 0; i < 2 * m; i++)
        G[i] = F[i / 2] = 1e300;
    lsc_landscape_fdf_batch(L, m, X, F, G, scratch);
    for (size_t i = 0; i < m; i++) {
        double x[2] = {X[i], X[m + i]}, g[2];
        double f = lsc_landscape_fdf(L, x, g);
        cr_assert_float_eq(F[i], f, 1e-14 * (1 + f));
        cr_assert_float_eq(G[i], g[0], 1e-13 * (1 + fabs(g[0])));
        cr_assert_float_eq(G[m + i], g[1], 1e-13 * (1 + fabs(g[1])));
        cr_assert_float_eq(f, rosen_ref(2, x, 1.5, 20), 1e-12 * (1 + f));
    }
    free(X);
    free(G);
    free(F);
    lsc_landscape_free(L);
}

/* ---- octopus --------------------------------------------------------------------- */

/* nu = -g1(2tau) + 4 L tau^2, g1(2tau) = -4 gamma tau^2 + (-14L + 10gamma) tau^2 / 3
 *                                        + (5L - 3gamma) tau^2 / 2 */
static double octo_nu(double tau, double L, double gam)
{
    double g1 = -4 * gam * tau * tau + (-14 * L + 10 * gam) * tau * tau / 3
                + (5 * L - 3 * gam) * tau * tau / 2;
    return -g1 + 4 * L * tau * tau;
}

Test(octopus, saddle_and_minimum_values)
{
    static const int dims[] = {2, 3, 5, 10};
    for (size_t t = 0; t < 4; t++) {
        int d = dims[t];
        for (int v = 0; v < 2; v++) {
            double tau = v ? 1.5 : E_, Lc = v ? 3 : E_, gam = v ? 0.7 : 1;
            char spec[128];
            snprintf(spec, sizeof spec, "octopus:tau=%.17g,L=%.17g,gamma=%.17g", tau, Lc, gam);
            lsc_landscape *L = make(spec, d);
            double nu = octo_nu(tau, Lc, gam), x[10], g[10];
            for (int i = 1; i <= d + 1; i++) { /* saddle i, and the minimum as i = d + 1 */
                for (int j = 0; j < d; j++)
                    x[j] = j < i - 1 ? 4 * tau : 0.0;
                if (i > 1)
                    x[0] = -x[0]; /* a sign change leaves the value */
                double f = lsc_landscape_fdf(L, x, g);
                cr_assert_float_eq(f, -(i - 1) * nu, 1e-12 * (1 + nu * d), "d=%d i=%d f=%.17g",
                                   d, i, f);
                cr_assert(maxabs(d, g) <= 1e-12 * (1 + nu), "d=%d i=%d", d, i);
                cr_assert(lsc_landscape_in_domain(L, x));
            }
            /* the listing: points 0..d-1 saddles, point d the minimum */
            lsc_critical cp = {.x = x};
            lsc_landscape_critical(L, d, &cp);
            cr_assert_eq(cp.kind, LSC_CP_MIN);
            cr_assert_float_eq(cp.f, -d * nu, 1e-12 * nu * d);
            for (int j = 0; j < d; j++)
                cr_assert_float_eq(x[j], 4 * tau, 1e-15 * tau);
            for (int i = 1; i <= d; i++) { /* saddle i at point i - 1 */
                lsc_landscape_critical(L, i - 1, &cp);
                cr_assert_eq(cp.kind, LSC_CP_SADDLE);
                cr_assert_float_eq(cp.f, -(i - 1) * nu, 1e-12 * nu * d);
                cr_assert_float_eq(cp.eig_min, -2 * gam, 1e-15);
                cr_assert_float_eq(cp.eig_max, 2 * Lc, 1e-15);
                for (int j = 0; j < d; j++)
                    cr_assert_eq(x[j], j < i - 1 ? 4 * tau : 0.0);
            }
            cr_assert_eq(lsc_landscape_ncritical(L), d <= 7 ? (2 << d) - 1 : d + 1);
            lsc_landscape_free(L);
        }
    }
    /* with the defaults nu = 139.870432574007 (tau = L = e, gamma = 1, computed by hand) */
    cr_assert_float_eq(octo_nu(E_, E_, 1), 139.870432574007, 1e-9);
}

/* f and g continuous (and C^2: the Hessian too) across a_i = tau and a_i = 2tau */
static void octo_across(const lsc_landscape *L, double *x, int i, double edge, const char *what)
{
    const int d = L->n;
    const double eps = 1e-7;
    double xp[8], xm[8], gp[8], gm[8], Hp[64], Hm[64];
    memcpy(xp, x, (size_t)d * sizeof *x);
    memcpy(xm, x, (size_t)d * sizeof *x);
    double s = x[i] < 0 ? -1 : 1;
    xp[i] = s * (edge + eps);
    xm[i] = s * (edge - eps);
    cr_assert(lsc_landscape_in_domain(L, xp) && lsc_landscape_in_domain(L, xm), "%s", what);
    double fp = lsc_landscape_fdf(L, xp, gp), fm = lsc_landscape_fdf(L, xm, gm);
    double gs = 1 + maxabs(d, gp);
    cr_assert(fabs(fp - fm) <= 3 * eps * gs, "%s: f jumps %g -> %g", what, fm, fp);
    for (int j = 0; j < d; j++)
        cr_assert(fabs(gp[j] - gm[j]) <= 1e-4 * gs, "%s: g[%d] jumps %g -> %g", what, j, gm[j],
                  gp[j]);
    lsc_landscape_hess(L, xp, Hp);
    lsc_landscape_hess(L, xm, Hm);
    for (int j = 0; j < d * d; j++)
        cr_assert(fabs(Hp[j] - Hm[j]) <= 1e-4 * (1 + fabs(Hp[j])), "%s: H[%d] jumps %g -> %g",
                  what, j, Hm[j], Hp[j]);
    /* and the derivatives are right on both sides (1e-3 away, so that the finite
     * differences do not straddle the edge where the third derivative jumps) */
    xp[i] = s * (edge + 1e-3);
    xm[i] = s * (edge - 1e-3);
    check_derivatives(L, xp, what);
    check_derivatives(L, xm, what);
}

Test(octopus, continuity_across_tau_and_2tau)
{
    lsc_landscape *L = make("octopus", 3);
    const double tau = E_;
    double x[3];
    /* first coordinate crossing tau and 2tau (region changes from i = 1 to i = 2 at 2tau) */
    x[0] = tau, x[1] = 0.3, x[2] = -0.2;
    octo_across(L, x, 0, tau, "a1 = tau");
    octo_across(L, x, 0, 2 * tau, "a1 = 2tau");
    x[0] = -tau;
    octo_across(L, x, 0, tau, "a1 = tau, x1 < 0");
    octo_across(L, x, 0, 2 * tau, "a1 = 2tau, x1 < 0");
    /* middle coordinate */
    x[0] = 9.5, x[1] = -tau, x[2] = 0.7;
    octo_across(L, x, 1, tau, "a2 = tau");
    octo_across(L, x, 1, 2 * tau, "a2 = 2tau");
    /* last coordinate (i = d: g1 alone, then all a_j > 2tau) */
    x[0] = 11, x[1] = -10, x[2] = tau;
    octo_across(L, x, 2, tau, "a3 = tau");
    octo_across(L, x, 2, 2 * tau, "a3 = 2tau");
    lsc_landscape_free(L);
}

Test(octopus, outside_the_tubes_is_nan)
{
    lsc_landscape *L = make("octopus", 3);
    const double tau = E_;
    static const double out[][3] = {
        {0.5, 1.5 * E_, 0.0},         /* a_1 <= 2tau, then a_2 > tau */
        {0.5, 0.1, -1.01 * E_},       /* a_3 > tau after a_1 <= 2tau */
        {3 * E_, 1.9 * E_, 1.2 * E_}, /* first a_i <= 2tau is a_2, then a_3 > tau */
        {NAN, 0, 0},
    };
    double g[3], H[9];
    for (int k = 0; k < LSC_COUNTOF(out); k++) {
        cr_assert_eq(lsc_landscape_in_domain(L, out[k]), 0, "point %zu", k);
        cr_assert(isnan(lsc_landscape_f(L, out[k])));
        cr_assert(isnan(lsc_landscape_fdf(L, out[k], g)));
        cr_assert(isnan(g[0]) && isnan(g[1]) && isnan(g[2]));
        lsc_landscape_hess(L, out[k], H);
        cr_assert(isnan(H[0]) && isnan(H[8]));
    }
    static const double in[][3] = {{0.5, 0.9 * E_, 0.0}, {2.5 * E_, 1.5 * E_, 0.99 * E_},
                                   {9, -9, 9}, {0, 0, 0}};
    for (int k = 0; k < LSC_COUNTOF(in); k++) {
        cr_assert_eq(lsc_landscape_in_domain(L, in[k]), 1, "point %zu", k);
        cr_assert(isfinite(lsc_landscape_f(L, in[k])));
    }
    /* a value by hand in the g1/g2 piece: x = (1.5tau, 0.5, 0.2), nu counted 0 times:
     * g1(1.5tau) + g2(1.5tau) 0.25 + L 0.04 */
    double xx[3] = {1.5 * tau, 0.5, 0.2}, u = 0.5 * tau, v = -0.5 * tau, Lc = E_, gam = 1;
    double g1 = -gam * 2.25 * tau * tau + (-14 * Lc + 10 * gam) / (3 * tau) * u * u * u
                + (5 * Lc - 3 * gam) / (2 * tau * tau) * pow(u, 4);
    double g2 = -gam - 10 * (Lc + gam) / pow(tau, 3) * pow(v, 3)
                - 15 * (Lc + gam) / pow(tau, 4) * pow(v, 4)
                - 6 * (Lc + gam) / pow(tau, 5) * pow(v, 5);
    cr_assert_float_eq(lsc_landscape_f(L, xx), g1 + g2 * 0.25 + Lc * 0.04, 1e-12);
    lsc_landscape_free(L);
}

/* ---- quadratic-spectrum ------------------------------------------------------------ */

static void expect_spectrum(const char *spec, int dim, const double *want, int kind)
{
    lsc_landscape *L = make(spec, dim);
    const int n = L->n;
    double x[8] = {0}, ev[8], w[8], g[8];
    memcpy(w, want, (size_t)n * sizeof *w);
    gsl_sort(w, 1, (size_t)n);
    hess_spectrum(L, x, ev);
    for (int i = 0; i < n; i++)
        cr_assert_float_eq(ev[i], w[i], 1e-12 * (1 + fabs(w[i])), "%s: eigenvalue %d %.17g want "
                           "%.17g", spec, i, ev[i], w[i]);
    /* f = 1/2 sum lambda_i x_i^2 at x_i = i + 1 (the eigenvectors are the axes) */
    double fr = 0;
    for (int i = 0; i < n; i++) {
        x[i] = i + 1;
        fr += 0.5 * want[i] * x[i] * x[i];
    }
    cr_assert_float_eq(lsc_landscape_fdf(L, x, g), fr, 1e-12 * (1 + fabs(fr)), "%s", spec);
    for (int i = 0; i < n; i++)
        cr_assert_float_eq(g[i], want[i] * x[i], 1e-12 * (1 + fabs(g[i])));
    lsc_critical cp = {.x = x};
    cr_assert_eq(lsc_landscape_ncritical(L), 1);
    lsc_landscape_critical(L, 0, &cp);
    cr_assert_eq((int)cp.kind, kind, "%s: kind %s", spec, lsc_cp_kind_name(cp.kind));
    cr_assert_eq(cp.eig_min, w[0]);
    cr_assert_eq(cp.eig_max, w[n - 1]);
    cr_assert_eq(maxabs(n, x), 0.0);
    lsc_landscape_free(L);
}

Test(quadratic_spectrum, cond_and_explicit_eigenvalues)
{
    /* cond: log-spaced 1 .. cond */
    expect_spectrum("quadratic-spectrum", 2, (double[]){1, 10}, LSC_CP_MIN);
    expect_spectrum("quadratic-spectrum:cond=10000", 5,
                    (double[]){1, 10, 100, 1000, 10000}, LSC_CP_MIN);
    expect_spectrum("quadratic-spectrum:cond=8,neg=2", 4, (double[]){-1, -2, 4, 8},
                    LSC_CP_SADDLE);
    expect_spectrum("quadratic-spectrum:cond=8,neg=4", 4, (double[]){-1, -2, -4, -8},
                    LSC_CP_MAX);
    expect_spectrum("quadratic-spectrum", 1, (double[]){1}, LSC_CP_MIN);
    /* explicit list; the last entry repeats; neg applies to it too */
    expect_spectrum("quadratic-spectrum:eig=-2;0.5;3", 3, (double[]){-2, 0.5, 3},
                    LSC_CP_SADDLE);
    expect_spectrum("quadratic-spectrum:eig=-2;0.5;3", 5, (double[]){-2, 0.5, 3, 3, 3},
                    LSC_CP_SADDLE);
    expect_spectrum("quadratic-spectrum:eig=7", 3, (double[]){7, 7, 7}, LSC_CP_MIN);
    expect_spectrum("quadratic-spectrum:eig=7,neg=1,cond=99", 3, (double[]){-7, 7, 7},
                    LSC_CP_SADDLE);
    expect_spectrum("quadratic-spectrum:eig=1;0", 3, (double[]){1, 0, 0}, LSC_CP_DEGENERATE);
}

Test(quadratic_spectrum, errors_and_starts)
{
    expect_error("quadratic-spectrum:eig=1;2;3", 2, "eig", "dim is 2");
    expect_error("quadratic-spectrum:neg=3", 2, "neg=3", "dim is 2");
    expect_error("quadratic-spectrum:cond=0.5", 2, "cond", NULL);
    lsc_landscape *L = make("quadratic-spectrum:eig=-1;1", 3);
    double x[3];
    cr_assert_eq(lsc_landscape_nstarts(L), 2);
    lsc_landscape_start(L, 1, x);
    cr_assert(x[0] == 1e-6 && x[1] == 1 && x[2] == 1);
    lsc_landscape_free(L);
    L = make("quadratic-spectrum", 3);
    cr_assert_eq(lsc_landscape_nstarts(L), 1);
    lsc_landscape_free(L);
}

/* ---- deep-linear ------------------------------------------------------------------- */

/* direct: P = W_L ... W_1 by plain loops, f = 1/2 sum (P - A)^2 */
static double deep_ref(int L, int w, const double *x, const double *s)
{
    double P[64], T[64];
    for (int i = 0; i < w * w; i++)
        P[i] = (i % (w + 1) == 0);
    for (int l = 0; l < L; l++) {
        const double *W = x + l * w * w;
        for (int i = 0; i < w; i++)
            for (int j = 0; j < w; j++) {
                T[i * w + j] = 0;
                for (int k = 0; k < w; k++)
                    T[i * w + j] += W[i * w + k] * P[k * w + j];
            }
        memcpy(P, T, sizeof(double) * w * w);
    }
    double f = 0;
    for (int i = 0; i < w; i++)
        for (int j = 0; j < w; j++) {
            double e = P[i * w + j] - (i == j ? s[i] : 0);
            f += 0.5 * e * e;
        }
    return f;
}

Test(deep_linear, value_equals_direct_product)
{
    static const struct {
        const char *spec;
        int L, w;
        double s[4];
    } c[] = {
        {"deep-linear:depth=1,width=2", 1, 2, {3, 1}},
        {"deep-linear:width=2", 2, 2, {3, 1}},
        {"deep-linear:depth=3,width=2,target=2;0.5", 3, 2, {2, 0.5}},
        {"deep-linear:depth=3,width=3,target=2", 3, 3, {2, 2, 2}},
        {"deep-linear", 3, 1, {3}},
        {"deep-linear:width=4,target=4;3;2;1", 2, 4, {4, 3, 2, 1}},
    };
    unsigned long long seed = 5;
    for (int k = 0; k < LSC_COUNTOF(c); k++) {
        int n = c[k].L * c[k].w * c[k].w;
        lsc_landscape *L = make(c[k].spec, n);
        double x[48];
        for (int t = 0; t < 5; t++) {
            for (int i = 0; i < n; i++)
                x[i] = 2 * urand(&seed) - 1;
            double f = lsc_landscape_f(L, x), fr = deep_ref(c[k].L, c[k].w, x, c[k].s);
            cr_assert_float_eq(f, fr, 1e-12 * (1 + fr), "%s: %.17g vs %.17g", c[k].spec, f, fr);
        }
        check_derivatives(L, x, c[k].spec);
        lsc_landscape_free(L);
    }
}

Test(deep_linear, origin_is_a_saddle)
{
    /* depth 2: Hessian at 0 has eigenvalues +-s_i, each w times */
    lsc_landscape *L = make("deep-linear:width=2,target=3;1", 8);
    double x[12] = {0}, g[12], ev[12];
    cr_assert_float_eq(lsc_landscape_fdf(L, x, g), 5.0, 1e-15); /* 1/2 (9 + 1) */
    cr_assert_eq(maxabs(8, g), 0.0);
    hess_spectrum(L, x, ev);
    static const double want[8] = {-3, -3, -1, -1, 1, 1, 3, 3};
    for (int i = 0; i < 8; i++)
        cr_assert_float_eq(ev[i], want[i], 1e-12, "eig %d = %g", i, ev[i]);
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 0, &cp);
    cr_assert_eq(cp.kind, LSC_CP_SADDLE);
    cr_assert(cp.eig_min == -3 && cp.eig_max == 3 && cp.f == 5);
    lsc_landscape_free(L);
    /* depth 3: the Hessian vanishes at 0 (degenerate); the gradient too */
    L = make("deep-linear:width=2,depth=3", 12);
    memset(x, 0, sizeof x);
    lsc_landscape_fdf(L, x, g);
    cr_assert_eq(maxabs(12, g), 0.0);
    hess_spectrum(L, x, ev);
    cr_assert(fabs(ev[0]) < 1e-15 && fabs(ev[11]) < 1e-15);
    lsc_landscape_critical(L, 0, &cp);
    cr_assert_eq(cp.kind, LSC_CP_DEGENERATE);
    lsc_landscape_free(L);
    /* width 1, depth 2 (the default at --dim 2): f = 1/2 (w2 w1 - 3)^2, minima on w1 w2 = 3 */
    L = make("deep-linear", 2);
    double y[2] = {0.5, -2.0};
    cr_assert_float_eq(lsc_landscape_f(L, y), 0.5 * 16, 1e-15);
    lsc_landscape_critical(L, 1, &cp);
    cr_assert_eq(cp.kind, LSC_CP_MIN);
    cr_assert_float_eq(x[0] * x[1], 3.0, 1e-14);
    cr_assert_float_eq(cp.eig_max, 6.0, 1e-14); /* Hessian (w2, w1)(w2, w1)^T: trace 6 */
    lsc_landscape_free(L);
}

Test(deep_linear, dimension_must_match)
{
    expect_error("deep-linear:depth=3,width=2", 8, "dim: 8", "12");
    expect_error("deep-linear:width=2", 6, "dim: 6", "width^2 = 4");
    expect_error("deep-linear:width=2", 0, "dim: 2", NULL); /* default dim 2 < 4 */
    expect_error("deep-linear:width=2,target=1;2;3", 8, "target", NULL);
    expect_error("deep-linear:width=33", 33 * 33, "width", NULL);
    lsc_landscape *L = make("deep-linear:width=3", 27); /* depth 3 from --dim */
    cr_assert_eq(L->n, 27);
    lsc_landscape_free(L);
}

/* ---- styblinski-tang, lee-saddle, rastrigin, ackley ------------------------------- */

Test(styblinski_tang, three_to_the_n_critical_points)
{
    for (int n = 1; n <= 4; n++) {
        lsc_landscape *L = make("styblinski-tang", n);
        int nc = lsc_landscape_ncritical(L), expect = 1, nmin = 0, nmax = 0, nsad = 0;
        for (int i = 0; i < n; i++)
            expect *= 3;
        cr_assert_eq(nc, expect, "n=%d: %d", n, nc);
        double *xs = malloc((size_t)nc * n * sizeof *xs), g[4];
        for (int k = 0; k < nc; k++) {
            lsc_critical cp = {.x = xs + (size_t)k * n};
            lsc_landscape_critical(L, k, &cp);
            nmin += cp.kind == LSC_CP_MIN;
            nmax += cp.kind == LSC_CP_MAX;
            nsad += cp.kind == LSC_CP_SADDLE;
            for (int i = 0; i < n; i++) { /* each coordinate a root of 4x^3 - 32x + 5 */
                double x = cp.x[i];
                cr_assert(fabs(4 * x * x * x - 32 * x + 5) < 1e-12, "root %.17g", x);
            }
            lsc_landscape_fdf(L, cp.x, g);
            cr_assert(maxabs(n, g) < 1e-12);
            for (int j = 0; j < k; j++) { /* all distinct */
                double d = 0;
                for (int i = 0; i < n; i++)
                    d = fmax(d, fabs(xs[(size_t)j * n + i] - cp.x[i]));
                cr_assert(d > 0.1, "points %d and %d coincide", j, k);
            }
        }
        cr_assert_eq(nmin, 1 << n);
        cr_assert_eq(nmax, 1);
        cr_assert_eq(nsad, expect - (1 << n) - 1);
        /* point 0: the global minimum, -39.16616570377142 n at x_i = -2.903534 */
        lsc_critical cp = {.x = xs};
        lsc_landscape_critical(L, 0, &cp);
        cr_assert_float_eq(cp.f, -39.16616570377142 * n, 1e-11 * n);
        cr_assert_float_eq(xs[0], -2.903534, 1e-6);
        free(xs);
        lsc_landscape_free(L);
    }
    lsc_landscape *L = make("styblinski-tang", 9);
    cr_assert_eq(lsc_landscape_ncritical(L), 1);
    lsc_landscape_free(L);
}

Test(lee_saddle, critical_points_and_values)
{
    lsc_landscape *L = make("lee-saddle:k=2", 4);
    cr_assert_eq(lsc_landscape_ncritical(L), 9);
    double x[4];
    int nmin = 0;
    for (int k = 0; k < 9; k++) {
        lsc_critical cp = {.x = x};
        lsc_landscape_critical(L, k, &cp);
        int nz = (x[2] != 0) + (x[3] != 0);
        cr_assert(x[0] == 0 && x[1] == 0 && fabs(x[2]) <= 1 && fabs(x[3]) <= 1);
        cr_assert_eq(lsc_landscape_f(L, x), -0.25 * nz);
        cr_assert_eq(cp.kind, nz == 2 ? LSC_CP_MIN : LSC_CP_SADDLE);
        nmin += nz == 2;
    }
    cr_assert_eq(nmin, 4);
    /* f(x, y) = 1/2 x^2 + 1/4 y^4 - 1/2 y^2 (n = 2, k = 1) at (1, 2): 0.5 + 4 - 2 */
    lsc_landscape_free(L);
    L = make("lee-saddle", 0);
    double y[2] = {1, 2};
    cr_assert_eq(lsc_landscape_f(L, y), 2.5);
    lsc_landscape_free(L);
    expect_error("lee-saddle:k=3", 2, "k=3", "dim is 2");
}

Test(rastrigin, critical_roots)
{
    lsc_landscape *L = make("rastrigin", 1);
    int nmin = 0, nmax = 0;
    double x;
    for (int k = 0; k < 21; k++) {
        lsc_critical cp = {.x = &x};
        lsc_landscape_critical(L, k, &cp);
        cr_assert(fabs(2 * x + 20 * PI * sin(2 * PI * x)) < 1e-12, "root %.17g", x);
        cr_assert(fabs(x) <= 5.12);
        double frac = x - round(x);
        if (cp.kind == LSC_CP_MIN) {
            nmin++;
            cr_assert(fabs(frac) < 0.03);
        } else {
            nmax++;
            cr_assert(fabs(fabs(frac) - 0.5) < 0.03);
        }
        cr_assert_float_eq(cp.f, x * x + 10 - 10 * cos(2 * PI * x), 1e-12);
    }
    cr_assert(nmin == 11 && nmax == 10);
    lsc_landscape_free(L);
    static const int counts[][2] = {{2, 441}, {3, 27}, {5, 243}, {6, 1}, {50, 1}};
    for (size_t k = 0; k < 5; k++) {
        L = make("rastrigin", counts[k][0]);
        cr_assert_eq(lsc_landscape_ncritical(L), counts[k][1]);
        lsc_landscape_free(L);
    }
    /* the value at (1, 1): 20 + 2 - 20 = 2 */
    L = make("rastrigin", 2);
    double y[2] = {1, 1};
    cr_assert_float_eq(lsc_landscape_f(L, y), 2.0, 1e-13);
    lsc_landscape_free(L);
}

Test(ackley, origin_and_values)
{
    lsc_landscape *L = make("ackley", 2);
    double x[2] = {0, 0}, g[2], H[4];
    cr_assert_eq(lsc_landscape_fdf(L, x, g), 0.0);
    cr_assert(g[0] == 0 && g[1] == 0);
    lsc_landscape_hess(L, x, H);
    cr_assert(isnan(H[0]));
    lsc_critical cp = {.x = x};
    lsc_landscape_critical(L, 0, &cp);
    cr_assert(cp.kind == LSC_CP_MIN && cp.f == 0 && isnan(cp.eig_min));
    /* (1, 1): cos 2pi = 1, so f = 20 (1 - exp(-0.2)) = 3.6253849384403627 */
    double y[2] = {1, 1};
    cr_assert_float_eq(lsc_landscape_f(L, y), 20 * (1 - exp(-0.2)), 1e-13);
    /* (0.5, -1.5) directly */
    double z[2] = {0.5, -1.5}, r = sqrt((0.25 + 2.25) / 2);
    double fz = -20 * exp(-0.2 * r) - exp((cos(PI) + cos(-3 * PI)) / 2) + 20 + E_;
    cr_assert_float_eq(lsc_landscape_f(L, z), fz, 1e-13);
    lsc_landscape_free(L);
}

/* ---- expr ---------------------------------------------------------------------------- */

/* f, g and H of two landscapes agree at pseudo-random points */
static void same_landscape(const char *a, const char *b, int dim)
{
    lsc_landscape *A = make(a, dim), *B = make(b, dim);
    const int n = A->n;
    cr_assert_eq(B->n, n);
    double x[8], ga[8], gb[8], Ha[64], Hb[64];
    unsigned long long s = 3;
    for (int t = 0; t < 10; t++) {
        for (int i = 0; i < n; i++)
            x[i] = 4 * urand(&s) - 2;
        double fa = lsc_landscape_fdf(A, x, ga), fb = lsc_landscape_fdf(B, x, gb);
        cr_assert_float_eq(fa, fb, 1e-12 * (1 + fabs(fb)), "%s vs %s: %.17g %.17g", a, b, fa, fb);
        for (int i = 0; i < n; i++)
            cr_assert_float_eq(ga[i], gb[i], 1e-12 * (1 + fabs(gb[i])), "%s: g[%d]", a, i);
        lsc_landscape_hess(A, x, Ha);
        lsc_landscape_hess(B, x, Hb);
        for (int i = 0; i < n * n; i++)
            cr_assert_float_eq(Ha[i], Hb[i], 1e-11 * (1 + fabs(Hb[i])), "%s: H[%d]", a, i);
    }
    lsc_landscape_free(A);
    lsc_landscape_free(B);
}

Test(expr, matches_builtins)
{
    same_landscape("expr:0.5*(x^2+y^2)", "sphere", 2);
    same_landscape("expr:(1-x)^2+100*(y-x^2)^2", "rosenbrock", 2);
    same_landscape("expr:100*(x2-x1^2)^2+(1-x1)^2+100*(x3-x2^2)^2+(1-x2)^2", "rosenbrock", 3);
    same_landscape("expr:0.5*(x^2-y^2)", "quadratic-spectrum:eig=1;-1", 2);
    same_landscape("expr:x^4/2-8*x^2+2.5*x+y^4/2-8*y^2+2.5*y", "styblinski-tang", 2);
    same_landscape("expr:x1^2/2+x2^2/2+x3^4/4-x3^2/2", "lee-saddle", 3);
}

Test(expr, indexed_variables_and_dimension)
{
    lsc_landscape *L = make("expr:x1^2+2*x2^2+3*x3^2", 3);
    double x[5] = {1, 2, 3, 4, 5}, g[5], H[25];
    cr_assert_float_eq(lsc_landscape_fdf(L, x, g), 1 + 8 + 27, 1e-13);
    cr_assert(g[0] == 2 && g[1] == 8 && g[2] == 18);
    lsc_landscape_free(L);
    /* x4 unused, x5 named only as 0*x5: flat directions (the formula names 5-D) */
    L = make("expr:x1*x3+sin(x2)+0*x5", 5);
    cr_assert_eq(L->n, 5);
    cr_assert_float_eq(lsc_landscape_fdf(L, x, g), 3 + sin(2), 1e-14);
    cr_assert_float_eq(g[0], 3, 1e-14);
    cr_assert_float_eq(g[1], cos(2), 1e-14);
    cr_assert_float_eq(g[2], 1, 1e-14);
    cr_assert(g[3] == 0 && g[4] == 0);
    lsc_landscape_hess(L, x, H);
    /* Hessian by hand: d2/dx1dx3 = 1, d2/dx2^2 = -sin(x2), the rest 0 */
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            double want = (i == 0 && j == 2) || (i == 2 && j == 0) ? 1
                          : (i == 1 && j == 1)                   ? -sin(2)
                                                                 : 0;
            cr_assert_float_eq(H[i * 5 + j], want, 1e-14, "H[%d][%d] = %g", i, j, H[i * 5 + j]);
        }
    char buf[256];
    lsc_landscape_describe(L, buf, sizeof buf);
    cr_assert_str_eq(buf, "expr:x1*x3+sin(x2)+0*x5");
    lsc_landscape_free(L);
    /* a constant works in any dimension */
    L = make("expr:3", 4);
    cr_assert_eq(lsc_landscape_fdf(L, x, g), 3.0);
    cr_assert_eq(maxabs(4, g), 0.0);
    lsc_landscape_free(L);
}

Test(expr, hessian_by_hand)
{
    /* f = x y^3 + exp(x): H = [[exp(x), 3 y^2], [3 y^2, 6 x y]] */
    lsc_landscape *L = make("expr:x*y^3+exp(x)", 0);
    double x[2] = {0.7, -1.3}, H[4];
    lsc_landscape_hess(L, x, H);
    cr_assert_float_eq(H[0], exp(0.7), 1e-14);
    cr_assert_float_eq(H[1], 3 * 1.69, 1e-13);
    cr_assert_float_eq(H[2], 3 * 1.69, 1e-13);
    cr_assert_float_eq(H[3], 6 * 0.7 * -1.3, 1e-13);
    lsc_landscape_free(L);
}

Test(expr, errors)
{
    expect_error("expr:x1+", 2, "x1+", "x1, x2");         /* does not parse */
    expect_error("expr:bar(x)", 2, "bar(x)", "allowed"); /* unknown function */
    expect_error("expr:sin(x1)*foo", 2, "'foo'", "x1, x2");
    expect_error("expr:x0^2", 2, "'x0'", NULL);
    expect_error("expr:x01^2", 2, "'x01'", NULL);
    expect_error("expr:X^2", 2, "'X'", NULL);
    expect_error("expr:x+x2", 2, "mixes", NULL);
    expect_error("expr:x^2+y^2", 3, "dim: 3", "2-D");
    expect_error("expr:x1+x2+x3", 2, "dim: 2", "allowed: 3");
    expect_error("expr:", 2, "expr", NULL);
    expect_error("expr", 2, "expr", NULL);
}

Test(expr, domain_is_where_f_is_finite)
{
    lsc_landscape *L = make("expr:log(x)+y", 2);
    double a[2] = {1, 0}, b[2] = {-1, 0};
    cr_assert_eq(lsc_landscape_in_domain(L, a), 1);
    cr_assert_eq(lsc_landscape_in_domain(L, b), 0);
    cr_assert_eq(lsc_landscape_ncritical(L), 0);
    double u[2];
    cr_assert_eq(lsc_landscape_box_undefined(L, u), 1);
    cr_assert(u[0] <= 0, "log(x) is undefined at x = %g?", u[0]);
    lsc_landscape_free(L);
    L = make("expr:x^2+y^2", 2); /* defined on the whole box: says so */
    cr_assert_eq(lsc_landscape_box_undefined(L, u), 0);
    lsc_landscape_free(L);
    L = make("expr:sqrt(4-x1^2-x2^2-x3^2)", 3); /* a ball of radius 2 inside [-5, 5]^3 */
    double v[3];
    cr_assert_eq(lsc_landscape_box_undefined(L, v), 1);
    cr_assert(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] > 4);
    lsc_landscape_free(L);
    L = make("expr:sqrt(100-x1^2-x2^2-x3^2)", 3); /* a ball containing the box */
    cr_assert_eq(lsc_landscape_box_undefined(L, v), 0);
    lsc_landscape_free(L);
}

/* The search finds Himmelblau's nine critical points, each within 1e-12 of the built-in
 * table (Newton in 60-digit arithmetic, tests/ref/landscape2d_critical.py) and of the
 * same kind: an independent reference for the search. */
Test(expr, search_finds_himmelblau_critical_points)
{
    lsc_landscape *E = make("expr:(x^2+y-11)^2+(x+y^2-7)^2", 2), *H = make("himmelblau", 2);
    const int ne = lsc_landscape_ncritical(E), nh = lsc_landscape_ncritical(H);
    cr_assert_eq(ne, nh, "found %d, himmelblau has %d", ne, nh);
    double xe[2], xh[2];
    for (int k = 0; k < nh; k++) {
        lsc_critical ch = {.x = xh};
        lsc_landscape_critical(H, k, &ch);
        int match = 0;
        for (int j = 0; j < ne && !match; j++) {
            lsc_critical ce = {.x = xe};
            lsc_landscape_critical(E, j, &ce);
            match = fabs(xe[0] - xh[0]) <= 1e-12 * (1 + fabs(xh[0])) &&
                    fabs(xe[1] - xh[1]) <= 1e-12 * (1 + fabs(xh[1])) && ce.kind == ch.kind;
        }
        cr_assert(match, "himmelblau %s at (%.17g, %.17g) not found", lsc_cp_kind_name(ch.kind),
                  xh[0], xh[1]);
    }
    lsc_landscape_free(E);
    lsc_landscape_free(H);
}

/* ---- the canonical spec reads back to the same landscape -------------------------- */

Test(nd, describe_round_trips)
{
    static const fd_case c[] = {
        {"rosenbrock:b=3.25", 3},          {"quadratic-spectrum", 4},
        {"quadratic-spectrum:eig=1;-2", 3}, {"ackley", 2},
        {"lee-saddle:k=2", 3},             {"octopus:gamma=0.5", 3},
        {"deep-linear", 3},                {"deep-linear:width=2,target=5", 8},
        {"sphere", 2},                     {"expr:x^2-y", 2},
    };
    for (int k = 0; k < LSC_COUNTOF(c); k++) {
        lsc_landscape *A = make(c[k].spec, c[k].dim);
        char buf[1024];
        lsc_landscape_describe(A, buf, sizeof buf);
        lsc_landscape *B = make(buf, c[k].dim);
        double x[8] = {0.3, -0.2, 0.1, 0.7, 0.5, -0.4, 0.9, 0.2};
        cr_assert_eq(lsc_landscape_f(A, x), lsc_landscape_f(B, x), "%s -> %s", c[k].spec, buf);
        lsc_landscape_free(A);
        lsc_landscape_free(B);
    }
}

/* Without --dim (dim = 0) the dimension follows from the formula or the parameters. */
Test(dim_from, formula_and_parameters_imply_the_dimension)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("expr:x1^2+exp(x3)", 0, "--landscape", &e);
    cr_assert_not_null(L, "%s", e.msg);
    cr_assert_eq(L->n, 3);
    lsc_landscape_free(L);
    L = lsc_landscape_new("expr:x^2+y^2", 0, "--landscape", &e);
    cr_assert_eq(L->n, 2);
    lsc_landscape_free(L);
    L = lsc_landscape_new("deep-linear:depth=3,width=2", 0, "--landscape", &e);
    cr_assert_not_null(L, "%s", e.msg);
    cr_assert_eq(L->n, 12);
    lsc_landscape_free(L);
    L = lsc_landscape_new("deep-linear:depth=3,width=2", 8, "--landscape", &e);
    cr_assert_null(L);
    cr_assert(!strncmp(e.msg, "dim: 8 ", 7), "%s", e.msg);
}
