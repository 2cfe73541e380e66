/* landscape_user.c — landscapes from the caller's functions (lsc_landscape_from_fdf)
 *
 * A user landscape carries its own lsc_landscape_type, filled with the trampolines below,
 * inside its state block, so everything that reads L->type (the run loop, the optimizers,
 * the plots, lsc_landscape_free) treats it like a registry landscape. The state holds the
 * caller's function pointers and `user` pointer, and copies of what the setters were given
 * (box, critical points, starts); destroy frees those copies and nothing of the caller's.
 */
#include "landscape.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hessian eigenvalues of an added critical point: dense n x n work, so only up to here. */
#define USER_EIG_MAX_DIM 1024

typedef struct {
    lsc_landscape_type type; /* this landscape's own type (L->type points here) */
    char name[LSC_NAME_MAX];
    lsc_user_f f;
    lsc_user_fdf fdf;
    lsc_user_hess hess;
    void *user;
    double *lo, *hi; /* box, n values each */
    int ncp, cap_cp; /* critical points: cp[k] with its coordinates at cp_x + k n */
    lsc_critical *cp;
    double *cp_x;
    int nstart, cap_start; /* starts: start_x + k n */
    double *start_x;
} user_state;

/* ---- the type's callbacks: trampolines into the caller's functions ------------------- */

static double user_f(const lsc_params *p, const void *state, int n, const double *x)
{
    (void)p;
    const user_state *S = state;
    return S->f(n, x, S->user);
}

static double user_fdf(const lsc_params *p, const void *state, int n, const double *x,
                       double *g)
{
    (void)p;
    const user_state *S = state;
    return S->fdf(n, x, g, S->user);
}

static void user_hess(const lsc_params *p, const void *state, int n, const double *x,
                      double *H)
{
    (void)p;
    const user_state *S = state;
    S->hess(n, x, H, S->user);
}

static void user_box(const lsc_params *p, const void *state, int n, double *lo, double *hi)
{
    (void)p;
    const user_state *S = state;
    memcpy(lo, S->lo, (size_t)n * sizeof *lo);
    memcpy(hi, S->hi, (size_t)n * sizeof *hi);
}

static int user_nstarts(const lsc_params *p, const void *state, int n)
{
    (void)p, (void)n;
    return ((const user_state *)state)->nstart;
}

static void user_start(const lsc_params *p, const void *state, int n, int k, double *x)
{
    (void)p;
    const user_state *S = state;
    memcpy(x, S->start_x + (size_t)k * (size_t)n, (size_t)n * sizeof *x);
}

static int user_ncritical(const lsc_params *p, const void *state, int n)
{
    (void)p, (void)n;
    return ((const user_state *)state)->ncp;
}

static void user_critical(const lsc_params *p, const void *state, int n, int k,
                          lsc_critical *cp)
{
    (void)p;
    const user_state *S = state;
    double *x = cp->x;
    *cp = S->cp[k];
    cp->x = x;
    memcpy(x, S->cp_x + (size_t)k * (size_t)n, (size_t)n * sizeof *x);
}

/* Frees the copies losscape made; the caller's `user` is never touched. */
static void user_destroy(void *state)
{
    user_state *S = state;
    free(S->lo);
    free(S->hi);
    free(S->cp);
    free(S->cp_x);
    free(S->start_x);
}

/* ---- construction ----------------------------------------------------------------------- */

/* 1..LSC_NAME_MAX-1 characters from [A-Za-z0-9_.-]: a name that reads back from a
 * trajectory header and goes into a file name or a legend as it is. */
static int valid_name(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len >= LSC_NAME_MAX)
        return 0;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '-' || *c == '.'))
            return 0;
    return 1;
}

lsc_landscape *lsc_landscape_from_fdf(int n, lsc_user_f f, lsc_user_fdf fdf,
                                      lsc_user_hess hess, void *user, const char *name,
                                      lsc_error *err)
{
    if (!valid_name(name)) {
        char shown[80];
        lsc_escape_control(shown, sizeof shown, name ? name : "");
        lsc_error_set(err, LSC_EINVAL, "name: '%s' is not a landscape name (allowed: 1 to %d "
                      "letters, digits, '_', '-' or '.')", shown, LSC_NAME_MAX - 1);
        return NULL;
    }
    if (n < 1 || n > LSC_MAX_DIM) {
        lsc_error_set(err, LSC_EINVAL, "dim: %d for landscape '%s' (allowed: 1 to %d)", n, name,
                      LSC_MAX_DIM);
        return NULL;
    }
    if (!f || !fdf) {
        lsc_error_set(err, LSC_EINVAL, "landscape '%s': f and fdf are required (hess may be "
                      "NULL)", name);
        return NULL;
    }
    lsc_landscape *L = calloc(1, sizeof *L);
    user_state *S = calloc(1, sizeof *S);
    double *lo = malloc((size_t)n * sizeof *lo), *hi = malloc((size_t)n * sizeof *hi);
    if (!L || !S || !lo || !hi) {
        free(L);
        free(S);
        free(lo);
        free(hi);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for landscape '%s' in %d dimensions",
                      name, n);
        return NULL;
    }
    for (int j = 0; j < n; j++) {
        lo[j] = -1;
        hi[j] = 1;
    }
    snprintf(S->name, sizeof S->name, "%s", name);
    S->f = f;
    S->fdf = fdf;
    S->hess = hess;
    S->user = user;
    S->lo = lo;
    S->hi = hi;
    S->type = (lsc_landscape_type){
        .name = S->name,
        .summary = "a landscape from user functions (lsc_landscape_from_fdf)",
        .formula = "given by the program that made it",
        .citation = "-",
        .spec_prefix = LSC_USER_PREFIX,
        .dim = n == 2 ? 2 : 0,
        .min_dim = n,
        .default_dim = n,
        .destroy = user_destroy,
        .f = user_f,
        .fdf = user_fdf,
        .hess = hess ? user_hess : NULL,
        .box = user_box,
        .nstarts_fn = user_nstarts,
        .start = user_start,
        .ncritical = user_ncritical,
        .critical = user_critical,
        .one_thread = 1, /* the caller's functions: thread-safe or not, we cannot know */
    };
    L->type = &S->type;
    L->n = n;
    L->state = S;
    return L;
}

int lsc_landscape_is_user(const lsc_landscape *L)
{
    return L && L->type->f == user_f;
}

static user_state *user_of(lsc_landscape *L, const char *what, lsc_error *err)
{
    if (!lsc_landscape_is_user(L)) {
        lsc_error_set(err, LSC_EINVAL, "%s: only for landscapes from lsc_landscape_from_fdf",
                      what);
        return NULL;
    }
    return L->state;
}

static int all_finite(int n, const double *x)
{
    for (int j = 0; j < n; j++)
        if (!isfinite(x[j]))
            return 0;
    return 1;
}

/* Room for one more n-vector in a growing array (doubling: amortised O(1) per add). */
static int grow(double **xs, int count, int *cap, int n)
{
    if (count < *cap)
        return LSC_OK;
    int want = *cap ? 2 * *cap : 4;
    if ((size_t)want > SIZE_MAX / sizeof(double) / (size_t)n)
        return LSC_ENOMEM;
    double *p = realloc(*xs, (size_t)want * (size_t)n * sizeof *p);
    if (!p)
        return LSC_ENOMEM;
    *xs = p;
    *cap = want;
    return LSC_OK;
}

int lsc_landscape_add_critical(lsc_landscape *L, lsc_cp_kind kind, const double *x,
                               double tol, lsc_error *err)
{
    user_state *S = user_of(L, "lsc_landscape_add_critical", err);
    if (!S)
        return LSC_EINVAL;
    const int n = L->n;
    if (kind != LSC_CP_MIN && kind != LSC_CP_MAX && kind != LSC_CP_SADDLE &&
        kind != LSC_CP_DEGENERATE) {
        lsc_error_set(err, LSC_EINVAL, "critical point of '%s': kind %d (allowed: LSC_CP_MIN, "
                      "LSC_CP_MAX, LSC_CP_SADDLE, LSC_CP_DEGENERATE)", S->name, (int)kind);
        return LSC_EINVAL;
    }
    if (!all_finite(n, x) || !(tol >= 0 && tol < INFINITY)) {
        lsc_error_set(err, LSC_EINVAL, "critical point of '%s': coordinates and tol must be "
                      "finite, tol >= 0", S->name);
        return LSC_EINVAL;
    }
    if (S->ncp == S->cap_cp) {
        int cap = S->cap_cp;
        if (grow(&S->cp_x, S->ncp, &cap, n) != LSC_OK)
            goto nomem;
        lsc_critical *cp = realloc(S->cp, (size_t)cap * sizeof *cp);
        if (!cp)
            goto nomem;
        S->cp = cp;
        S->cap_cp = cap;
    }
    lsc_critical *c = &S->cp[S->ncp];
    c->kind = kind;
    c->f = S->f(n, x, S->user);
    c->tol = tol;
    c->eig_min = c->eig_max = NAN;
    c->x = NULL; /* the coordinates live in cp_x */
    if (S->hess && n <= USER_EIG_MAX_DIM) {
        double *H = malloc((size_t)n * (size_t)n * sizeof *H);
        if (!H)
            goto nomem;
        S->hess(n, x, H, S->user);
        if (all_finite(n * n, H))
            lsc_sym_eig_range(n, H, &c->eig_min, &c->eig_max);
        free(H);
    }
    memcpy(S->cp_x + (size_t)S->ncp * (size_t)n, x, (size_t)n * sizeof *x);
    S->ncp++;
    return LSC_OK;
nomem:
    lsc_error_set(err, LSC_ENOMEM, "out of memory for a critical point of '%s'", S->name);
    return LSC_ENOMEM;
}

int lsc_landscape_add_start(lsc_landscape *L, const double *x, lsc_error *err)
{
    user_state *S = user_of(L, "lsc_landscape_add_start", err);
    if (!S)
        return LSC_EINVAL;
    if (!all_finite(L->n, x)) {
        lsc_error_set(err, LSC_EINVAL, "start of '%s': coordinates must be finite", S->name);
        return LSC_EINVAL;
    }
    if (grow(&S->start_x, S->nstart, &S->cap_start, L->n) != LSC_OK) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory for a start of '%s'", S->name);
        return LSC_ENOMEM;
    }
    memcpy(S->start_x + (size_t)S->nstart * (size_t)L->n, x, (size_t)L->n * sizeof *x);
    S->nstart++;
    return LSC_OK;
}
