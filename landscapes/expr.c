/* expr.c — a landscape typed by the user: expr:FORMULA
 *
 * The text after "expr:" is a formula for GNU libmatheval (numbers, + - * / ^, parentheses,
 * functions exp log sqrt sin cos tan cot sec csc asin acos atan ... sinh cosh tanh ...
 * abs step delta erf, constants e pi ...). Variables:
 *   - x and y: a 2-D landscape (--dim must be 2, the default);
 *   - x1, x2, ..., xk: a k-D landscape, k the highest index the formula names (at most
 *     EXPR_MAXDIM = 64); --dim, when given, must be k (coordinates below k the formula
 *     does not use are flat: x1*x3 is 3-D, flat in x2).
 *   - none: a constant, in any dimension.
 * Anything else (another name, x0, x01, or x with x1) is an error naming the formula and
 * the allowed variables. The gradient and Hessian are libmatheval's symbolic derivatives
 * (evaluator_derivative), built once in init. The formula takes no key=value parameters:
 * everything after the colon is the formula (raw_arg). It may not hold control characters
 * (newline, tab, ...): it is written into the trajectory's header, one line. Box
 * [-5, 5]^n unless one is set (lsc_landscape_set_box, the box key), one start.
 * in_domain() is 1 where f is finite (log(x) at x < 0 is outside).
 * Critical points: when the formula uses every coordinate and n <= 3, those found in the
 * box by Newton's method from a grid of starts (src/critical_search.c), so a user's formula
 * gets the same markers as a built-in landscape; none otherwise.
 *
 * libmatheval keeps variable values inside the evaluator, so evaluation writes to it: an
 * expr landscape must not be evaluated from two threads at once.
 *
 * Reference: GNU libmatheval, https://www.gnu.org/software/libmatheval/
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <matheval.h>

#include "critical_search.h"
#include "landscape.h"

/* The highest index a formula may name: x1..x64. The symbolic Hessian has m (m+1) / 2
 * evaluators for m variables (2080 at 64), and a formula of a few hundred dimensions is
 * better written as a built-in landscape. Also the number of distinct variables. */
#define EXPR_MAXDIM 64

typedef struct {
    int m;        /* number of variables the formula uses */
    int *idx;     /* their coordinates, 0-based, increasing */
    char **names; /* their names: "x", "y" or "x<k>" */
    void *f;
    void **g;     /* m first derivatives */
    void **h;     /* m (m+1) / 2 second derivatives, packed lower triangle */
    int ncp;      /* critical points found by the search (see expr_search) */
    lsc_found_critical cp[LSC_SEARCH_MAX];
} expr_state;

static size_t expr_state_size(const lsc_params *p, int n, const char *arg)
{
    (void)p;
    (void)n;
    (void)arg;
    return sizeof(expr_state);
}

static void expr_destroy(void *state)
{
    expr_state *S = state;
    const size_t m = (size_t)S->m;
    if (S->h) {
        for (size_t k = 0; k < m * (m + 1) / 2; k++)
            if (S->h[k])
                evaluator_destroy(S->h[k]);
        free(S->h);
    }
    if (S->g) {
        for (size_t i = 0; i < m; i++)
            if (S->g[i])
                evaluator_destroy(S->g[i]);
        free(S->g);
    }
    if (S->f)
        evaluator_destroy(S->f);
    if (S->names)
        for (size_t i = 0; i < m; i++)
            free(S->names[i]);
    free(S->names);
    free(S->idx);
    memset(S, 0, sizeof *S);
}

/* 1-based index k of a name "x<k>" (no sign, no leading zero), else 0; a k beyond
 * EXPR_MAXDIM reads as EXPR_MAXDIM + 1 (too high, whatever its digits). */
static long indexed_name(const char *s)
{
    if (s[0] != 'x' || s[1] < '1' || s[1] > '9')
        return 0;
    long k = 0;
    for (const char *c = s + 1; *c; c++) {
        if (!isdigit((unsigned char)*c))
            return 0;
        k = k > EXPR_MAXDIM ? k : 10 * k + (*c - '0');
    }
    return k > EXPR_MAXDIM ? EXPR_MAXDIM + 1 : k;
}

/* The dimension the text of a formula names: the highest k of a variable xk (an 'x' that
 * does not continue another name, such as exp or max, followed by digits), capped at
 * EXPR_MAXDIM + 1; 0 when it names none. */
static int named_dim(const char *arg)
{
    long kmax = 0;
    for (const char *c = arg; *c; c++) {
        if (*c != 'x' || (c > arg && (isalnum((unsigned char)c[-1]) || c[-1] == '_')))
            continue;
        long k = 0;
        for (const char *d = c + 1; isdigit((unsigned char)*d); d++)
            k = k > EXPR_MAXDIM ? k : 10 * k + (*d - '0');
        if (k > kmax)
            kmax = k > EXPR_MAXDIM ? EXPR_MAXDIM + 1 : k;
    }
    return (int)kmax;
}

/* 0-based coordinate of a checked variable name */
static int coordinate(const char *name)
{
    return !strcmp(name, "x") ? 0 : !strcmp(name, "y") ? 1 : (int)indexed_name(name) - 1;
}

#define EXPR_ALLOWED "allowed: x and y for 2-D, or x1, x2, ..., xn for n-D"

/* The tokens of a formula: names [A-Za-z_][A-Za-z0-9_]*, numbers (1, 1.5, 1., .5, 2e-3,
 * 1.5E+6), spaces and + - * / ^ ( ). libmatheval's scanner copies any other character to
 * standard output (flex's default rule) and skips it, so "x$y" would print "$" and a
 * stray '.' would vanish from "x1." unseen: such formulas are refused here, before the
 * library sees them. Returns the offending character's position, or -1. */
static long bad_char(const char *arg)
{
    const char *c = arg;
    while (*c) {
        unsigned char ch = (unsigned char)*c;
        if (isalpha(ch) || ch == '_') {
            while (isalnum((unsigned char)*c) || *c == '_')
                c++;
        } else if (isdigit(ch) || (ch == '.' && isdigit((unsigned char)c[1]))) {
            while (isdigit((unsigned char)*c))
                c++;
            if (*c == '.')
                for (c++; isdigit((unsigned char)*c); c++)
                    ;
            const char *e = c;
            if (*e == 'e' || *e == 'E') {
                e++;
                if (*e == '+' || *e == '-')
                    e++;
                if (isdigit((unsigned char)*e)) {
                    while (isdigit((unsigned char)*e))
                        e++;
                    c = e;
                }
            }
        } else if (ch && strchr(" +-*/^()", ch)) {
            c++;
        } else {
            return (long)(c - arg);
        }
    }
    return -1;
}

static void expr_search(expr_state *S, int n, const double *lo, const double *hi);

static int expr_init(void *state, const lsc_params *p, int n, const char *arg, lsc_error *err)
{
    (void)p;
    expr_state *S = state;
    memset(S, 0, sizeof *S);
    if (lsc_has_control(arg)) {
        lsc_error_set(err, LSC_EINVAL, "landscape: expr:'%.200s': control characters "
                      "(newline, tab, ...) are not allowed in a formula", arg);
        goto fail;
    }
    long bad = bad_char(arg);
    if (bad >= 0) {
        unsigned char ch = (unsigned char)arg[bad];
        char shown[8];
        if (ch > 0x20 && ch < 0x7f)
            snprintf(shown, sizeof shown, "%c", ch);
        else
            snprintf(shown, sizeof shown, "\\x%02x", ch);
        lsc_error_set(err, LSC_EINVAL, "landscape: expr:'%.200s': '%s' at position %ld is "
                      "not part of a formula (allowed: names, numbers, spaces, + - * / ^ ( ))",
                      arg, shown, bad + 1);
        goto fail;
    }
    char *text = malloc(strlen(arg) + 1);
    if (!text)
        goto nomem;
    strcpy(text, arg); /* libmatheval wants a non-const string */
    S->f = evaluator_create(text);
    free(text);
    if (!S->f) {
        lsc_error_set(err, LSC_EINVAL,
                      "landscape: expr:'%s' is not a formula libmatheval can read (numbers, "
                      "+ - * / ^, ( ), functions such as exp log sqrt sin cos abs, constants "
                      "pi e; %s)",
                      arg, EXPR_ALLOWED);
        goto fail;
    }
    char **vars;
    int nvars;
    evaluator_get_variables(S->f, &vars, &nvars);
    int xy = 0, indexed = 0;
    long kmax = 0;
    for (int v = 0; v < nvars; v++) {
        long k = indexed_name(vars[v]);
        if (!strcmp(vars[v], "x") || !strcmp(vars[v], "y")) {
            xy = 1;
        } else if (k > EXPR_MAXDIM) {
            lsc_error_set(err, LSC_EINVAL, "landscape: expr:'%.200s' uses '%.40s' (allowed: "
                          "x1 to x%d; a formula of more dimensions is better a built-in "
                          "landscape)", arg, vars[v], EXPR_MAXDIM);
            goto fail;
        } else if (k > 0) {
            indexed = 1;
            if (k > kmax)
                kmax = k;
        } else {
            lsc_error_set(err, LSC_EINVAL, "landscape: expr:'%s' uses unknown variable '%s' "
                          "(%s)", arg, vars[v], EXPR_ALLOWED);
            goto fail;
        }
    }
    if (xy && indexed) {
        lsc_error_set(err, LSC_EINVAL, "landscape: expr:'%s' mixes x, y with x1..xn (%s; "
                      "use one style)", arg, EXPR_ALLOWED);
        goto fail;
    }
    if (xy && n != 2) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d, but expr:'%s' is 2-D in x, y (allowed: 2, "
                      "or write the variables x1..x%d)", n, arg, n);
        goto fail;
    }
    /* the dimension the text names (libmatheval may simplify a variable away: 0*x3) */
    const int named = named_dim(arg);
    if (indexed && named > EXPR_MAXDIM) {
        lsc_error_set(err, LSC_EINVAL, "landscape: expr:'%.200s' names a variable beyond "
                      "x%d (allowed: x1 to x%d)", arg, EXPR_MAXDIM, EXPR_MAXDIM);
        goto fail;
    }
    if (indexed && n != named) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d, but expr:'%s' is %d-D: it names x1..x%d "
                      "(allowed: %d, or leave dim out)", n, arg, named, named, named);
        goto fail;
    }

    /* the used variables in coordinate order (insertion sort: nvars is small) */
    const size_t m = (size_t)nvars;
    S->idx = malloc((m ? m : 1) * sizeof *S->idx);
    S->names = calloc(m ? m : 1, sizeof *S->names);
    if (!S->idx || !S->names)
        goto nomem;
    S->m = nvars;
    for (size_t v = 0; v < m; v++) {
        int c = coordinate(vars[v]);
        size_t a = v;
        while (a > 0 && S->idx[a - 1] > c) {
            S->idx[a] = S->idx[a - 1];
            S->names[a] = S->names[a - 1];
            a--;
        }
        S->idx[a] = c;
        S->names[a] = malloc(strlen(vars[v]) + 1);
        if (!S->names[a])
            goto nomem;
        strcpy(S->names[a], vars[v]);
    }
    S->g = calloc(m ? m : 1, sizeof *S->g);
    S->h = calloc(m ? m * (m + 1) / 2 : 1, sizeof *S->h);
    if (!S->g || !S->h)
        goto nomem;
    for (size_t a = 0; a < m; a++)
        if ((S->g[a] = evaluator_derivative(S->f, S->names[a])) == NULL)
            goto nomem;
    /* Hessian, packed lower triangle: entry (a, b), b <= a, at a (a+1) / 2 + b */
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b <= a; b++)
            if ((S->h[a * (a + 1) / 2 + b] = evaluator_derivative(S->g[a], S->names[b]))
                == NULL)
                goto nomem;
    /* the type's box [-5, 5]^n; lsc_landscape_set_box searches a new one (expr_box_changed) */
    const double lo[LSC_SEARCH_MAXDIM] = {-5, -5, -5}, hi[LSC_SEARCH_MAXDIM] = {5, 5, 5};
    expr_search(S, n, lo, hi);
    return LSC_OK;

nomem:
    lsc_error_set(err, LSC_ENOMEM, "out of memory for expr landscape in %d dimensions", n);
fail:
    expr_destroy(S);
    return err && err->code ? err->code : LSC_EINVAL;
}

/* Evaluate ev at x: the used coordinates are gathered into v (libmatheval takes
 * non-const pointers; it only reads names and values). */
static double eval(const expr_state *S, void *ev, const double *x)
{
    double v[EXPR_MAXDIM];
    for (int a = 0; a < S->m; a++)
        v[a] = x[S->idx[a]];
    return evaluator_evaluate(ev, S->m, S->names, v);
}

static double expr_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    (void)n;
    const expr_state *S = state;
    return eval(S, S->f, x);
}

/* Coordinates the formula does not mention have derivative 0. */
static double expr_fdf(const lsc_params *p, const void *state, int n, const double *x,
                       double *g)
{
    (void)p;
    const expr_state *S = state;
    memset(g, 0, (size_t)n * sizeof *g);
    for (int a = 0; a < S->m; a++)
        g[S->idx[a]] = eval(S, S->g[a], x);
    return eval(S, S->f, x);
}

static void expr_hess(const lsc_params *p, const void *state, int n, const double *x, double *H)
{
    (void)p;
    const expr_state *S = state;
    const size_t N = (size_t)n;
    memset(H, 0, N * N * sizeof *H);
    for (size_t a = 0; a < (size_t)S->m; a++)
        for (size_t b = 0; b <= a; b++) {
            size_t i = (size_t)S->idx[a], j = (size_t)S->idx[b];
            H[i * N + j] = H[j * N + i] = eval(S, S->h[a * (a + 1) / 2 + b], x);
        }
}

static int expr_in_domain(const lsc_params *p, const void *state, int n, const double *x)
{
    return isfinite(expr_f(p, state, n, x));
}

/* ---- critical points by search ---------------------------------------------------- */

typedef struct {
    const expr_state *S;
    int n;
} expr_at;

static double search_fdf(const void *ctx, const double *x, double *g)
{
    const expr_at *a = ctx;
    return expr_fdf(NULL, a->S, a->n, x, g);
}

static void search_hess(const void *ctx, const double *x, double *H)
{
    const expr_at *a = ctx;
    expr_hess(NULL, a->S, a->n, x, H);
}

/* Starts per axis: 101 on a line, 21 x 21 in the plane, 9^3 in space (a few thousand
 * formula evaluations in all, milliseconds). */
static const int search_grid[LSC_SEARCH_MAXDIM + 1] = {0, 101, 21, 9};

/* A formula that leaves a coordinate out is flat along it: its critical points are lines
 * or planes, not points, and none are listed. */
static void expr_search(expr_state *S, int n, const double *lo, const double *hi)
{
    S->ncp = 0;
    if (S->m != n || n > LSC_SEARCH_MAXDIM)
        return;
    expr_at at = {S, n};
    lsc_search_fn fn = {search_fdf, search_hess, &at};
    S->ncp = lsc_search_critical(&fn, n, lo, hi, search_grid[n], S->cp);
}

/* A new box (lsc_landscape_set_box): the critical points are those found in it. The
 * search depends only on the formula and the box, so the same box gives the same list. */
static void expr_box_changed(void *state, const lsc_params *p, int n, const double *lo,
                             const double *hi)
{
    (void)p;
    expr_search(state, n, lo, hi);
}

static int expr_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p;
    (void)n;
    return ((const expr_state *)state)->ncp;
}

static void expr_critical(const lsc_params *p, const void *state, int n, int k,
                          lsc_critical *cp)
{
    (void)p;
    const lsc_found_critical *c = &((const expr_state *)state)->cp[k];
    cp->kind = c->kind;
    cp->f = c->f;
    cp->eig_min = c->eig_min;
    cp->eig_max = c->eig_max;
    cp->tol = c->tol;
    for (int i = 0; i < n; i++)
        cp->x[i] = c->x[i];
}

/* One start: (-3, 4, -3, 4, ...) */
static void expr_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    (void)state;
    (void)k;
    for (int i = 0; i < n; i++)
        x[i] = i % 2 ? 4.0 : -3.0;
}

/* Without --dim: the highest k of a variable xk in the formula (init refuses k beyond
 * EXPR_MAXDIM with a message), 0 for x, y: the default, 2. */
static int expr_dim_from(const lsc_params *p, const char *arg)
{
    (void)p;
    return named_dim(arg);
}

const lsc_landscape_type lsc_landscape_expr = {
    .name = "expr",
    .summary = "your own formula: expr:FORMULA in x, y (2-D) or x1..xn (n-D)",
    .formula = "f = FORMULA (GNU libmatheval syntax); gradient and Hessian by symbolic "
               "differentiation",
    .citation = "GNU libmatheval",
    .dim = 0,
    .min_dim = 1,
    .default_dim = 2,
    .params = NULL,
    .nparams = 0,
    .log_color = 0,
    .raw_arg = 1,
    .dim_from = expr_dim_from,
    .state_size = expr_state_size,
    .init = expr_init,
    .destroy = expr_destroy,
    .f = expr_f,
    .fdf = expr_fdf,
    .hess = expr_hess,
    .in_domain = expr_in_domain,
    .lo = {-5.0, -5.0},
    .hi = {5.0, 5.0},
    .box_changed = expr_box_changed,
    .nstarts = 1,
    .start = expr_start,
    .ncritical = expr_ncritical,
    .critical = expr_critical,
    .critical_note = "found by Newton's method from a grid of starts over the box (a formula "
                     "in all its coordinates, n <= 3); a point with a tiny basin can be missed",
    /* libmatheval evaluates by storing x in the evaluator's table of variables */
    .one_thread = 1,
};
