/* curves.c — kind curves: loss (f - f*), gradient norm, learning rate, distance to the
 * nearest minimum, coordinates or the trajectory's optional columns (batch_loss,
 * test_loss, acc, ...) against the step, the epoch, the examples seen or the wall time
 * (xaxis=), in panels stacked on one x axis */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "runs.h"

/* CV_COL: optional column j of the trajectory (lsc_columns, trajectory.h); CV_SHARP: the
 * sharpness panel (eig_max, eig_min where negative, 2/lr; runs recorded with hessian on) */
enum { CV_LOSS, CV_GRAD, CV_LR, CV_DIST, CV_SHARP, CV_X, CV_ABSX, CV_COL };
#define CV_SHARP_LINES 8 /* 2/lr lines drawn at most (distinct rates and colours) */
#define CV_MAXP LSC_PLOT_MAX_PANELS
static const char *const cv_fixed[4] = {"loss", "grad_norm", "lr", "dist"};

typedef struct {
    int kind;
    int j;          /* coordinate (0-based) of CV_X, CV_ABSX */
    char name[48];  /* as written: "loss", "|x2|" */
    int logy;
    int nonpos;     /* some value <= 0 */
    double minpos;  /* smallest positive value: where values <= 0 are drawn on a log axis */
    int clamped;    /* some value <= 0 was drawn at minpos */
    double lo, hi;  /* value range of the runs that did not blow up */
    double ylo, yhi; /* the panel's y range when a blown-up run leaves it */
    int cut;        /* the y range is fixed (a run that blew up leaves the panel) */
    double yin_lo, yin_hi; /* cut: where a cross at the bottom, top goes (inside the frame) */
    double lr_floor; /* lr on a log axis: its range starts here, the last steps' fall below
                        it is off the panel (0: the whole range) */
    double ulo, uhi; /* the user's y range (ylim=), NAN: automatic */
    /* CV_SHARP: the 2/lr lines of the runs at a constant rate (value, colour, a run),
     * and the largest one left out (above the panel) */
    int nlines;
    double line[CV_SHARP_LINES];
    int line_lt[CV_SHARP_LINES], line_run[CV_SHARP_LINES];
    double line_out;
} cv_panel;

/* The figure: its panels, f*, and per run what is drawn. */
typedef struct {
    cv_panel P[CV_MAXP];
    int np;
    double fstar;    /* the lowest known minimum (INFINITY: none) */
    int gap;         /* f* is known: the loss panel shows f - f* */
    int dist_from_x; /* dist from the positions (the trajectory has no dist column) */
    double *xb;      /* room for 2n coordinates (nearest minimum) */
    int nr, ngroups;
    int sm;          /* smooth: moving average over sm rows (0: none) */
    size_t mmax;     /* rows of the longest run + 1 */
    int *group, *first, *lt; /* colour group of each run, first run of a group, its colour */
    int *block;      /* index block of each run in FIG.curves.tsv (-1: not drawn) */
    int *blown;      /* the run blew up (diverged, or f - f* grew a million-fold) */
    size_t *mrows;   /* rows up to the last finite loss */
    double *val, *smv, *cs; /* a run's values per panel, smoothed; running sums */
    size_t *cn;
    int (*exitrow)[CV_MAXP]; /* row (drawn) where a blown-up run leaves a cut panel */
    double xmin_pos; /* smallest positive x drawn (logx, an x axis other than step) */
} curves;

/* The x axis's name in the data file, its label, and what logx says of the start. */
static const char *const cv_xname[] = {"step", "epoch", "examples", "time"};
static const char *const cv_xlabel[] = {"step", "epoch", "examples seen", "wall time (s)"};

/* x of row i of run R: the step, or the trajectory's column of the x axis (each run's
 * own: runs merged from files of different batch sizes count their own examples). */
static double cv_x(const plot_ctx *c, const lsc_run_record *R, size_t i)
{
    switch (c->o->xaxis) {
    case LSC_XAXIS_EPOCH: return R->col[LSC_COL_EPOCH][i];
    case LSC_XAXIS_EXAMPLES: return R->col[LSC_COL_EXAMPLES][i];
    case LSC_XAXIS_TIME: return R->col[LSC_COL_TIME][i];
    default: return (double)R->step[i];
    }
}

/* The x axis chosen is one the runs have: epoch and examples need a model over data's
 * columns, time the time column. 0 or LSC_EINVAL. */
static int cv_xaxis_check(int xaxis, unsigned long long cols, lsc_error *err)
{
    if (xaxis == LSC_XAXIS_EPOCH && !(cols >> LSC_COL_EPOCH & 1)) {
        lsc_error_set(err, LSC_EINVAL, "xaxis=epoch: the runs have no epoch column (only runs "
                      "of a model over data count epochs; allowed here: step%s)",
                      cols >> LSC_COL_TIME & 1 ? ", time" : "");
        return LSC_EINVAL;
    }
    if (xaxis == LSC_XAXIS_EXAMPLES && !(cols >> LSC_COL_EXAMPLES & 1)) {
        lsc_error_set(err, LSC_EINVAL, "xaxis=examples: the runs have no examples column "
                      "(only runs of a model over data count examples; allowed here: step%s%s)",
                      cols >> LSC_COL_EPOCH & 1 ? ", epoch" : "",
                      cols >> LSC_COL_TIME & 1 ? ", time" : "");
        return LSC_EINVAL;
    }
    if (xaxis == LSC_XAXIS_TIME && !(cols >> LSC_COL_TIME & 1)) {
        lsc_error_set(err, LSC_EINVAL, "xaxis=time: the runs have no time column (runs record "
                      "one with record_time on; allowed here: step%s)",
                      cols >> LSC_COL_EPOCH & 1 ? ", epoch, examples" : "");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* "x2", "|x2|", "absx2": 1, the kind, and the digits of K (*digits, *nd); else 0. */
static int parse_coord(const char *tok, int *kind, const char **digits, size_t *nd)
{
    const char *p = tok;
    size_t len = strlen(tok);
    int absv = 0;
    if (len >= 2 && tok[0] == '|' && tok[len - 1] == '|')
        p++, len -= 2, absv = 1;
    else if (len > 3 && !strncmp(tok, "abs", 3))
        p += 3, len -= 3, absv = 1;
    if (len < 2 || p[0] != 'x' || strspn(p + 1, "0123456789") < len - 1)
        return 0;
    *kind = absv ? CV_ABSX : CV_X;
    *digits = p + 1;
    *nd = len - 1;
    return 1;
}

/* The kind of panel tok, and its coordinate j (0-based; CV_COL: its column), checked
 * against the npos coordinates the runs record (of n) and their optional columns cols:
 * 0 or LSC_EINVAL. */
static int panel_kind(const char *spec, const char *tok, int npos, int n,
                      unsigned long long cols, int *kind, int *j, lsc_error *err)
{
    const char *digits;
    size_t nd;
    *j = 0;
    for (int q = 0; q < 4; q++)
        if (!strcmp(tok, cv_fixed[q])) {
            *kind = q;
            return LSC_OK;
        }
    if (!strcmp(tok, "sharpness")) { /* eig_max and eig_min: runs with hessian on */
        if (!(cols >> LSC_COL_EIG_MAX & 1) || !(cols >> LSC_COL_EIG_MIN & 1)) {
            lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel 'sharpness' needs the runs' "
                          "eig_min and eig_max columns, and they have none (record the runs "
                          "with hessian on)", spec);
            return LSC_EINVAL;
        }
        *kind = CV_SHARP;
        return LSC_OK;
    }
    int col = lsc_column_find(tok);
    if (col >= 0) { /* an optional column: the runs must have it */
        if (!(cols >> col & 1)) {
            lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%s' needs the runs' %s "
                          "column, and they have none (%s)", spec, tok, tok,
                          lsc_columns[col].help);
            return LSC_EINVAL;
        }
        *kind = CV_COL;
        *j = col;
        return LSC_OK;
    }
    if (!parse_coord(tok, kind, &digits, &nd)) {
        const char *names[4 + LSC_NCOLS];
        for (int q = 0; q < 4 + LSC_NCOLS; q++)
            names[q] = q < 4 ? cv_fixed[q] : lsc_columns[q - 4].name;
        const char *close = lsc_closest(tok, names, 4 + LSC_NCOLS);
        lsc_error_set(err, LSC_EINVAL, "curves=%.100s: unknown panel '%.40s'%s%s%s "
                      "(allowed: loss, grad_norm, lr, dist, sharpness, xK, |xK| or absxK, "
                      "and the optional columns: epoch, batch_loss, test_loss, acc, "
                      "test_acc, time, eig_min, eig_max; comma separated)", spec, tok,
                      close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
        return LSC_EINVAL;
    }
    if (npos == 0) {
        lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%.40s' needs the runs' "
                      "positions, and the trajectory has none (record with positions=all "
                      "or first:K)", spec, tok);
        return LSC_EINVAL;
    }
    long k = nd > 9 ? -1 : strtol(digits, NULL, 10); /* K from 1 to the coordinates kept */
    if (k < 1 || k > npos) {
        lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%.40s': coordinate %.*s is not "
                      "in the trajectory (allowed: 1 to %d%s)", spec, tok,
                      (int)(nd < 12 ? nd : 12), digits, npos,
                      npos < n ? ": it keeps only the first coordinates" : "");
        return LSC_EINVAL;
    }
    *j = (int)k - 1;
    return LSC_OK;
}

/* The panels of curves= spec, top to bottom, for runs recording npos of n coordinates:
 * at most 8, none twice; dist only when dist_ok (else the message ends with why).
 * Returns their number or LSC_EINVAL. */
static int cv_parse(const char *spec, int npos, int n, unsigned long long cols, int dist_ok,
                    const char *why, cv_panel *P, lsc_error *err)
{
    char buf[256];
    plot_spf(buf, sizeof buf, "%s", spec);
    int np = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && e[-1] == ' ')
            *--e = '\0';
        if (!*tok)
            continue; /* "loss,,lr" */
        int kind, j;
        if (panel_kind(spec, tok, npos, n, cols, &kind, &j, err) != LSC_OK)
            return LSC_EINVAL;
        if (kind == CV_DIST && !dist_ok) {
            lsc_error_set(err, LSC_EINVAL, "curves=dist: the trajectory has no dist column%s",
                          why);
            return LSC_EINVAL;
        }
        for (int q = 0; q < np; q++)
            if (P[q].kind == kind && (kind < CV_X || P[q].j == j)) {
                lsc_error_set(err, LSC_EINVAL, "curves=%.100s: repeated panel '%.40s'", spec,
                              tok);
                return LSC_EINVAL;
            }
        if (np == CV_MAXP) {
            lsc_error_set(err, LSC_EINVAL, "curves=%.100s: more than %d panels", spec, CV_MAXP);
            return LSC_EINVAL;
        }
        memset(&P[np], 0, sizeof P[np]);
        P[np].kind = kind;
        P[np].j = j;
        plot_spf(P[np].name, sizeof P[np].name, "%s", tok);
        np++;
    }
    if (np == 0) {
        lsc_error_set(err, LSC_EINVAL, "curves='%.100s': no panel (allowed: loss, "
                      "grad_norm, lr, dist, sharpness, xK, |xK|)", spec);
        return LSC_EINVAL;
    }
    return np;
}

/* The user's y ranges (ylim=) of the np panels P, into P[q].ulo, uhi (NAN: automatic):
 * LO:HI is the top panel's; PANEL=LO:HI names a panel of curves= (|x2| and absx2 are one),
 * each at most once. 0 or LSC_EINVAL. */
static int cv_ylims(const lsc_plot_opts *o, cv_panel *P, int np, int npos, int n,
                    unsigned long long cols, lsc_error *err)
{
    for (int q = 0; q < np; q++)
        P[q].ulo = P[q].uhi = NAN;
    if (isfinite(o->ylim[0])) {
        P[0].ulo = o->ylim[0];
        P[0].uhi = o->ylim[1];
    }
    for (int i = 0; i < o->nylim_panel; i++) {
        const lsc_plot_range *u = &o->ylim_panel[i];
        int kind, j, q = -1;
        lsc_error e2;
        if (panel_kind(o->curves, u->panel, npos, n, cols, &kind, &j, &e2) == LSC_OK)
            for (q = np - 1; q >= 0; q--)
                if (P[q].kind == kind && (kind < CV_X || P[q].j == j))
                    break;
        if (q < 0) {
            char names[CV_MAXP * 50] = "";
            size_t l = 0;
            for (int k = 0; k < np; k++)
                l += (size_t)plot_spf(names + l, sizeof names - l, "%s%s", k ? ", " : "",
                                      P[k].name);
            lsc_error_set(err, LSC_EINVAL, "ylim=%s=...: this figure has no panel '%s' "
                          "(curves=%.100s; allowed: %s)", u->panel, u->panel, o->curves, names);
            return LSC_EINVAL;
        }
        if (isfinite(P[q].ulo)) {
            lsc_error_set(err, LSC_EINVAL, "ylim=%s=...: a second range for panel '%s'%s",
                          u->panel, P[q].name, q == 0 && isfinite(o->ylim[0])
                              ? " (ylim=LO:HI without a name is the top panel's)" : "");
            return LSC_EINVAL;
        }
        P[q].ulo = u->lo;
        P[q].uhi = u->hi;
    }
    return LSC_OK;
}

/* Value of panel P at row i of run R (before clamping). */
static double cv_value(const plot_ctx *c, const curves *cv, const cv_panel *P,
                       const lsc_run_record *R, size_t i)
{
    const lsc_trajectory *t = c->t;
    double d = NAN;
    switch (P->kind) {
    case CV_LOSS: return cv->gap ? R->loss[i] - cv->fstar : R->loss[i];
    case CV_GRAD: return R->grad_norm[i];
    case CV_LR: return R->lr[i];
    case CV_DIST:
        if (R->dist)
            return R->dist[i];
        if (cv->dist_from_x)
            lsc_landscape_nearest_min(c->L, R->x + i * (size_t)t->npos, &d, cv->xb);
        return d;
    case CV_X: return R->x[i * (size_t)t->npos + (size_t)P->j];
    case CV_COL: return R->col[P->j] ? R->col[P->j][i] : NAN;
    case CV_SHARP: return R->col[LSC_COL_EIG_MAX] ? R->col[LSC_COL_EIG_MAX][i] : NAN;
    default: return fabs(R->x[i * (size_t)t->npos + (size_t)P->j]);
    }
}

/* Centred moving average over a window of w rows, of log10(v) on a log axis (a geometric
 * mean); non-finite values are skipped. */
static void moving_average(const double *v, size_t m, int w, int logy, double *out, double *cs,
                           size_t *cn)
{
    cs[0] = 0;
    cn[0] = 0;
    for (size_t i = 0; i < m; i++) {
        double x = logy ? (v[i] > 0 ? log10(v[i]) : NAN) : v[i];
        int ok = isfinite(x) != 0;
        cs[i + 1] = cs[i] + (ok ? x : 0);
        cn[i + 1] = cn[i] + (size_t)ok;
    }
    /* the window stays centred: it shrinks near the ends (the first and last rows are
     * their own average), so a fast start is not smeared into a lower curve */
    for (size_t i = 0; i < m; i++) {
        size_t h = (size_t)w / 2;
        h = h < i ? h : i;
        h = h < m - 1 - i ? h : m - 1 - i;
        size_t a = i - h, b = i + h + 1;
        size_t cnt = cn[b] - cn[a];
        double mean = cnt ? (cs[b] - cs[a]) / (double)cnt : NAN;
        out[i] = logy ? pow(10, mean) : mean;
    }
}

/* An optional column's panel label: its name in words ("test loss", "train accuracy"). */
static void cv_col_label(int col, char *buf, size_t len)
{
    static const char *const label[LSC_NCOLS] = {
        [LSC_COL_EPOCH] = "epoch", [LSC_COL_EXAMPLES] = "examples seen",
        [LSC_COL_BATCH_LOSS] = "batch loss",
        [LSC_COL_TEST_LOSS] = "test loss", [LSC_COL_ACC] = "train accuracy",
        [LSC_COL_TEST_ACC] = "test accuracy", [LSC_COL_TIME] = "wall time (s)",
        [LSC_COL_EIG_MIN] = "smallest Hessian eigenvalue",
        [LSC_COL_EIG_MAX] = "largest Hessian eigenvalue"};
    plot_spf(buf, len, "%s", label[col] ? label[col] : lsc_columns[col].name);
}

static void cv_ylabel(const plot_ctx *c, const cv_panel *P, double fstar, int gap, char *buf,
                      size_t len)
{
    const int n = c->t->n;
    char co[32];
    if (P->kind == CV_X || P->kind == CV_ABSX) {
        if (n == 2)
            plot_spf(co, sizeof co, "%s", P->j == 0 ? "x" : "y");
        else if (c->term == TERM_TEX)
            plot_spf(co, sizeof co, "x_{%d}", P->j + 1);
        else if (c->term == TERM_DUMB)
            plot_spf(co, sizeof co, "x%d", P->j + 1);
        else
            plot_spf(co, sizeof co, "x_{%d}", P->j + 1);
    }
    switch (P->kind) {
    case CV_LOSS:
        if (gap)
            plot_spf(buf, len, "%s (f* = %.6g)",
                     plot_sym(c, "f(x) − f*", "$f(x) - f^*$", "f - f*"), fstar);
        else
            plot_spf(buf, len, "%s", plot_sym(c, "loss f(x)", "loss $f(x)$", "loss f(x)"));
        break;
    case CV_GRAD:
        plot_spf(buf, len, "%s", plot_sym(c, "‖∇f(x)‖", "$\\|\\nabla f(x)\\|$", "|grad f|"));
        break;
    case CV_LR:
        plot_spf(buf, len, "%s",
                 plot_sym(c, "learning rate η", "learning rate $\\eta$", "lr"));
        break;
    case CV_DIST:
        plot_spf(buf, len, "%s", plot_is_text(c) ? "dist to min"
                                                 : "distance to the nearest minimum");
        break;
    case CV_X:
        plot_spf(buf, len, c->term == TERM_TEX ? "$%s$" : "%s", co);
        break;
    case CV_COL:
        cv_col_label(P->j, buf, len);
        break;
    case CV_SHARP:
        plot_spf(buf, len, "%s", plot_sym(c, "sharpness λ_{max}(∇^2f)",
                                          "sharpness $\\lambda_{\\max}(\\nabla^2 f)$",
                                          "sharpness"));
        break;
    default:
        plot_spf(buf, len, c->term == TERM_TEX ? "$|%s|$" : "|%s|", co);
        break;
    }
}

/* The caption's note on values <= 0 drawn at the floor of a log panel. */
static void cv_floor_note(const plot_ctx *c, const cv_panel *P, char *buf, size_t len)
{
    char yl[128];
    size_t l = strlen(buf);
    switch (P->kind) {
    case CV_LOSS:
        plot_spf(buf + l, len - l, "%s%s (rounding) drawn at %.3g.", l ? " " : "",
                 plot_sym(c, "f − f* ≤ 0", "$f - f^* \\le 0$", "f - f* <= 0"), P->minpos);
        return;
    case CV_GRAD:
        plot_spf(yl, sizeof yl, "%s", plot_sym(c, "‖∇f‖", "$\\|\\nabla f\\|$", "|grad f|"));
        break;
    case CV_DIST: plot_spf(yl, sizeof yl, "distance"); break;
    case CV_LR: plot_spf(yl, sizeof yl, "lr"); break;
    case CV_COL: cv_col_label(P->j, yl, sizeof yl); break;
    default:
        if (c->t->n == 2)
            plot_spf(yl, sizeof yl, "|%s|", P->j == 0 ? "x" : "y");
        else
            plot_spf(yl, sizeof yl, "|x%d|", P->j + 1);
        break;
    }
    plot_spf(buf + l, len - l, "%s%s = 0 drawn at %.3g.", l ? " " : "", yl, P->minpos);
}

/* f*, and the panels of curves= (dist from the positions needs all of them and a known
 * minimum when the trajectory has no dist column). */
static int cv_setup(plot_ctx *c, curves *cv)
{
    const lsc_trajectory *t = c->t;
    const lsc_landscape *L = c->L;
    cv->fstar = INFINITY;
    if (L) {
        cv->xb = malloc((size_t)L->n * 2 * sizeof *cv->xb);
        if (!cv->xb) {
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        int nc = lsc_landscape_ncritical(L);
        for (int k = 0; k < nc; k++) {
            lsc_critical cp = {.x = cv->xb};
            lsc_landscape_critical(L, k, &cp);
            if (cp.kind == LSC_CP_MIN && isfinite(cp.f))
                cv->fstar = fmin(cv->fstar, cp.f);
        }
    }
    cv->gap = isfinite(cv->fstar);
    int from_x = L && t->npos == t->n && cv->gap;
    cv->np = cv_parse(c->o->curves, t->npos, t->n, t->cols, t->has_dist || from_x,
                      !L || !cv->gap ? " and the landscape has no known minimum"
                                     : " and not all coordinates (positions=all)",
                      cv->P, c->err);
    if (cv->np < 0)
        return cv->np;
    if (cv_ylims(c->o, cv->P, cv->np, t->npos, t->n, t->cols, c->err) != LSC_OK)
        return LSC_EINVAL;
    if (cv_xaxis_check(c->o->xaxis, t->cols, c->err) != LSC_OK)
        return LSC_EINVAL;
    if (t->nruns == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=curves: the trajectory has no runs");
        return LSC_EINVAL;
    }
    for (int q = 0; q < cv->np; q++)
        cv->dist_from_x |= cv->P[q].kind == CV_DIST && !t->has_dist;
    return LSC_OK;
}

static int cv_alloc(plot_ctx *c, curves *cv)
{
    const lsc_trajectory *t = c->t;
    const size_t nr = (size_t)t->nruns, np = (size_t)cv->np;
    cv->nr = t->nruns;
    cv->mmax = 1;
    for (int r = 0; r < t->nruns; r++)
        cv->mmax = t->runs[r].len + 1 > cv->mmax ? t->runs[r].len + 1 : cv->mmax;
    cv->sm = c->o->smooth > 1 && !plot_is_text(c) ? c->o->smooth : 0;
    cv->group = malloc(nr * sizeof *cv->group);
    cv->first = malloc(nr * sizeof *cv->first);
    cv->lt = malloc(nr * sizeof *cv->lt);
    cv->block = malloc(nr * sizeof *cv->block);
    cv->blown = malloc(nr * sizeof *cv->blown);
    cv->mrows = malloc(nr * sizeof *cv->mrows);
    cv->exitrow = malloc(nr * sizeof *cv->exitrow);
    cv->val = malloc(cv->mmax * np * sizeof *cv->val);
    if (cv->sm) {
        cv->smv = malloc(cv->mmax * np * sizeof *cv->smv);
        cv->cs = malloc(cv->mmax * sizeof *cv->cs);
        cv->cn = malloc(cv->mmax * sizeof *cv->cn);
    }
    if (!cv->group || !cv->first || !cv->lt || !cv->block || !cv->blown || !cv->mrows ||
        !cv->val || !cv->exitrow || (cv->sm && (!cv->smv || !cv->cs || !cv->cn))) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    return LSC_OK;
}

static void cv_free(curves *cv)
{
    free(cv->xb), free(cv->group), free(cv->first), free(cv->lt), free(cv->block);
    free(cv->blown), free(cv->mrows), free(cv->val), free(cv->smv), free(cv->cs);
    free(cv->cn), free(cv->exitrow);
}

/* The scales: per panel the smallest positive value and whether values <= 0 occur over
 * the rows drawn (up to the last finite loss), then log or linear; which runs blew up. */
static void cv_scan(plot_ctx *c, curves *cv)
{
    const lsc_trajectory *t = c->t;
    for (int q = 0; q < cv->np; q++) {
        cv->P[q].minpos = INFINITY;
        cv->P[q].lo = INFINITY;
        cv->P[q].hi = -INFINITY;
    }
    double lrlo = INFINITY, lrhi = -INFINITY;
    for (int r = 0; r < cv->nr; r++) {
        const lsc_run_record *R = &t->runs[r];
        size_t m = R->len;
        while (m > 0 && !isfinite(R->loss[m - 1]))
            m--;
        cv->mrows[r] = m;
        cv->blown[r] = R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
                       R->status == LSC_STOP_FAILED || m < R->len;
        for (size_t i = 0; i < m; i++) {
            for (int q = 0; q < cv->np; q++) {
                double v = cv_value(c, cv, &cv->P[q], R, i);
                if (isfinite(v) && v > 0)
                    cv->P[q].minpos = fmin(cv->P[q].minpos, v);
                if (isfinite(v) && v <= 0)
                    cv->P[q].nonpos = 1;
            }
            if (isfinite(R->lr[i])) {
                lrlo = fmin(lrlo, R->lr[i]);
                lrhi = fmax(lrhi, R->lr[i]);
            }
        }
        /* or f - f* grew a million-fold (it will: the range is that of the others) */
        if (!cv->blown[r] && cv->gap && m > 1) {
            double v0 = R->loss[0] - cv->fstar, vl = R->loss[m - 1] - cv->fstar;
            cv->blown[r] = v0 > 0 && vl > 1e6 * v0;
        }
    }
    for (int q = 0; q < cv->np; q++) {
        cv_panel *p = &cv->P[q];
        int haspos = isfinite(p->minpos);
        switch (p->kind) {
        /* f - f* <= 0 is rounding: drawn at the floor; a loss without f* goes log only
         * when positive */
        case CV_LOSS: p->logy = cv->gap ? haspos : !p->nonpos && haspos; break;
        case CV_LR: p->logy = !p->nonpos && lrhi > 10 * lrlo; break;
        /* coordinates; the sharpness panel, whose eig_min may be negative (a sign a log
         * axis cannot show) and whose 2/lr lines are compared by eye: linear */
        case CV_X:
        case CV_SHARP: p->logy = 0; break;
        /* a column: fractions (acc) and counts (epoch) linear, the others (losses, time)
         * as the loss without f*: log only when positive */
        case CV_COL:
            p->logy = lsc_columns[p->j].hi > 1 && p->j != LSC_COL_EPOCH &&
                      p->j != LSC_COL_EXAMPLES && !p->nonpos && haspos;
            break;
        default: p->logy = haspos; break; /* |grad f|, distance, |x_j|: zeros at the floor */
        }
        p->clamped = p->logy && p->nonpos;
    }
}

static void cv_write_header(const plot_ctx *c, const curves *cv, FILE *fp)
{
    fprintf(fp, "# one block per run: %s, then one column per panel:", cv_xname[c->o->xaxis]);
    for (int q = 0; q < cv->np; q++)
        fprintf(fp, " %s", q == 0 && cv->P[q].kind == CV_LOSS && cv->gap ? "f-f*"
                                                                          : cv->P[q].name);
    if (cv->sm) {
        fprintf(fp, ", then the same, moving average over %d rows:", cv->sm);
        for (int q = 0; q < cv->np; q++)
            fprintf(fp, " %s", cv->P[q].name);
    }
    for (int q = 0; q < cv->np; q++)
        if (cv->P[q].kind == CV_SHARP)
            fprintf(fp, ", then eig_min where it is negative (nan elsewhere)");
    fprintf(fp, "\n# (values <= 0 of a log panel are written as the panel's smallest positive "
                "value)\n");
}

/* The sharpness panel's last column at row i: eig_min where negative, else nan (a gap in
 * its line); its range when kept. */
static void cv_write_eig_min(curves *cv, cv_panel *p, const lsc_run_record *R, size_t i,
                             FILE *fp, int keep)
{
    (void)cv;
    double v = R->col[LSC_COL_EIG_MIN] ? R->col[LSC_COL_EIG_MIN][i] : NAN;
    if (!(v < 0)) {
        fprintf(fp, " nan");
        return;
    }
    fprintf(fp, " %.10g", v);
    if (keep && isfinite(v)) {
        p->lo = fmin(p->lo, v);
        p->hi = fmax(p->hi, v);
    }
}

/* 1 for plain gradient descent: gd, or sgd with momentum 0 (the canonical spec says
 * momentum=0); other optimizers have other thresholds (heavy ball (2 + 2 beta)/lr, Adam's
 * on a preconditioned Hessian). */
static int cv_plain_gd(const char *spec)
{
    if (!strncmp(spec, "gd:", 3) || !strcmp(spec, "gd"))
        return 1;
    const char *m = strstr(spec, ",momentum=");
    return !strncmp(spec, "sgd:", 4) && m && !strncmp(m + 10, "0", 1) &&
           (m[11] == ',' || m[11] == '\0');
}

/* The 2/lr lines of the sharpness panel p: one per run of plain gradient descent drawn at
 * a constant learning rate (GD is stable on a quadratic only while lr lambda_max < 2;
 * Cohen et al. 2021 find the sharpness of full-batch GD rising to 2/lr and hovering
 * there, the edge of stability), one per rate and colour; the panel's range takes those
 * up to 4 times its values' top (a higher line would squeeze the curves: the caption
 * names it). */
static void cv_sharp_lines(const plot_ctx *c, curves *cv, cv_panel *p)
{
    const double top = p->hi;
    for (int r = 0; r < cv->nr; r++) {
        const lsc_run_record *R = &c->t->runs[r];
        if (cv->block[r] < 0 || strcmp(R->schedule, "constant") || R->len == 0 ||
            !(R->lr[0] > 0) || !cv_plain_gd(R->optimizer))
            continue;
        const double v = 2 / R->lr[0];
        const int lt = cv->lt[cv->group[r]];
        int dup = 0;
        for (int k = 0; k < p->nlines; k++)
            dup |= p->line[k] == v && p->line_lt[k] == lt;
        if (dup)
            continue;
        if (isfinite(top) && v > 4 * top) {
            p->line_out = fmax(p->line_out, v);
            continue;
        }
        if (p->nlines == CV_SHARP_LINES)
            continue;
        p->line[p->nlines] = v;
        p->line_lt[p->nlines] = lt;
        p->line_run[p->nlines++] = r;
        p->lo = fmin(p->lo, v);
        p->hi = fmax(p->hi, v);
    }
    /* room above the top line for its label */
    if (p->nlines > 0 && p->hi > p->lo)
        p->hi += 0.06 * (p->hi - p->lo);
}

/* Run r's block: its values per panel (clamped to the floor of a log panel; smoothed),
 * the rows drawn; the ranges of the runs that did not blow up. */
static void cv_write_run(plot_ctx *c, curves *cv, FILE *fp, int r, int *nb)
{
    const lsc_run_record *R = &c->t->runs[r];
    const size_t m = cv->mrows[r], K = plot_rows_drawn(c, m), mmax = cv->mmax;
    cv->block[r] = -1;
    if (K == 0)
        return;
    for (size_t i = 0; i < m; i++)
        for (int q = 0; q < cv->np; q++) {
            double v = cv_value(c, cv, &cv->P[q], R, i);
            if (cv->P[q].clamped && isfinite(v) && v <= 0)
                v = cv->P[q].minpos;
            cv->val[(size_t)q * mmax + i] = v;
        }
    for (int q = 0; cv->sm && q < cv->np; q++)
        moving_average(cv->val + (size_t)q * mmax, m, cv->sm, cv->P[q].logy,
                       cv->smv + (size_t)q * mmax, cv->cs, cv->cn);
    if (*nb)
        fputs("\n\n", fp);
    fprintf(fp, "# run %d\n", r);
    for (size_t k = 0; k < K; k++) {
        size_t i = plot_pick(k, K, m);
        if (c->o->xaxis == LSC_XAXIS_STEP) {
            fprintf(fp, "%ld", R->step[i]);
        } else {
            double x = cv_x(c, R, i);
            fprintf(fp, "%.17g", x); /* reads back exactly */
            if (x > 0)
                cv->xmin_pos = fmin(cv->xmin_pos, x);
        }
        for (int q = 0; q < cv->np; q++) {
            cv_panel *p = &cv->P[q];
            double v = cv->val[(size_t)q * mmax + i];
            fprintf(fp, " %.10g", v);
            if (!cv->blown[r] && isfinite(v) && (!p->logy || v > 0)) {
                p->lo = fmin(p->lo, v);
                p->hi = fmax(p->hi, v);
            }
        }
        for (int q = 0; cv->sm && q < cv->np; q++)
            fprintf(fp, " %.10g", cv->smv[(size_t)q * mmax + i]);
        for (int q = 0; q < cv->np; q++)
            if (cv->P[q].kind == CV_SHARP) /* the sign shows only on a linear axis */
                cv_write_eig_min(cv, &cv->P[q], R, i, fp, !cv->blown[r]);
        fputc('\n', fp);
    }
    cv->block[r] = (*nb)++;
}

/* Panels with a run that blew up keep the others' range; the run leaves it, a cross where
 * it does (or at its last finite value, if it stays inside). */
static void cv_cut(plot_ctx *c, curves *cv)
{
    int any = 0;
    for (int r = 0; r < cv->nr; r++)
        any |= cv->blown[r] && cv->block[r] >= 0;
    for (int q = 0; q < cv->np; q++) {
        cv_panel *p = &cv->P[q];
        p->cut = any && p->lo < p->hi;
        if (p->cut) {
            p->ylo = p->logy ? p->lo / 3 : p->lo - 0.05 * (p->hi - p->lo);
            p->yhi = p->logy ? p->hi * 30 : p->hi + 0.3 * (p->hi - p->lo);
            /* a cross at the edge would be cut in half by the frame: 5% of the panel's
             * height inside it (of its decades on a log axis) */
            p->yin_lo = p->logy ? p->ylo * pow(p->yhi / p->ylo, 0.05)
                                : p->ylo + 0.05 * (p->yhi - p->ylo);
            p->yin_hi = p->logy ? p->yhi / pow(p->yhi / p->ylo, 0.05)
                                : p->yhi - 0.05 * (p->yhi - p->ylo);
        }
    }
    for (int r = 0; r < cv->nr; r++) {
        if (cv->block[r] < 0 || !cv->blown[r])
            continue;
        const lsc_run_record *R = &c->t->runs[r];
        size_t m = cv->mrows[r], K = plot_rows_drawn(c, m);
        for (int q = 0; q < cv->np; q++) {
            const cv_panel *p = &cv->P[q];
            cv->exitrow[r][q] = (int)K - 1;
            for (size_t k = 0; p->cut && k < K; k++) {
                double v = cv_value(c, cv, p, R, plot_pick(k, K, m));
                if (isfinite(v) && (v > p->yhi || v < p->ylo) && !(p->clamped && v <= 0)) {
                    cv->exitrow[r][q] = (int)k;
                    break;
                }
            }
        }
    }
}

/* A learning rate on a log axis whose smallest values come only from the last steps (a
 * cosine schedule reaching eta_min = 0 on its last step: 1e-7 after 0.1 all along) would
 * spend most of the panel on them. Its range starts at half the smallest value any run
 * holds before its last 2% of rows; what falls below in those rows leaves the panel
 * (the caption says so). */
static void cv_clip_lr(plot_ctx *c, curves *cv)
{
    for (int q = 0; q < cv->np; q++) {
        cv_panel *p = &cv->P[q];
        if (p->kind != CV_LR || !p->logy || p->cut)
            continue;
        double lo = INFINITY;
        for (int r = 0; r < cv->nr; r++) {
            if (cv->block[r] < 0 || cv->blown[r])
                continue;
            size_t m = cv->mrows[r], keep = m - m / 50; /* rows before the last 2% */
            for (size_t i = 0; i < keep; i++) {
                double v = cv_value(c, cv, p, &c->t->runs[r], i);
                if (isfinite(v) && v > 0)
                    lo = fmin(lo, v);
            }
        }
        if (isfinite(lo) && p->lo < lo / 2)
            p->lr_floor = lo / 2;
    }
}

/* FIG.curves.tsv: one block per run drawn, step then a column per panel (then the
 * smoothed ones). */
static int cv_write(plot_ctx *c, curves *cv)
{
    cv->ngroups = plot_run_groups(c->t, cv->group, cv->first);
    plot_group_colours(c->t, cv->first, cv->ngroups, cv->lt);
    plot_file f;
    int rc = plot_open(c, ".curves.tsv", &f);
    if (rc)
        return rc;
    cv_write_header(c, cv, f.fp);
    cv->xmin_pos = INFINITY;
    int nb = 0;
    for (int r = 0; r < cv->nr; r++)
        cv_write_run(c, cv, f.fp, r, &nb);
    for (int q = 0; q < cv->np; q++)
        if (cv->P[q].kind == CV_SHARP)
            cv_sharp_lines(c, cv, &cv->P[q]);
    cv_cut(c, cv);
    cv_clip_lr(c, cv);
    return plot_close(c, &f);
}

/* A loss without a known minimum that falls far below zero (a saddle, unbounded below: one
 * run at -1e10 would flatten every other curve into a line at 0 on a linear axis) goes on a
 * symmetric log axis: y = asinh(f / C), linear within about C of zero, logarithmic in |f|
 * beyond, either sign. C is a tenth of the largest positive value (the start, usually). */
static double cv_symlog_c(const cv_panel *p)
{
    return p->hi > 0 ? p->hi / 10 : fabs(p->lo) * 1e-6;
}

static int cv_symlog(const cv_panel *p)
{
    return p->kind == CV_LOSS && !p->logy && !p->cut && p->lo < 0 && isfinite(p->lo) &&
           -p->lo > 1e4 * cv_symlog_c(p);
}

/* The caption's note on the sharpness panel p: what its lines are. */
static void cv_sharp_note(const plot_ctx *c, const cv_panel *p, char *buf, size_t len)
{
    size_t l = strlen(buf);
    const char *eta = plot_sym(c, "η", "$\\eta$", "lr");
    plot_spf(buf + l, len - l, "%sSharpness: solid %s, dotted %s where negative", l ? " " : "",
             plot_sym(c, "λ_max(∇²f)", "$\\lambda_{\\max}(\\nabla^2 f)$", "eig_max"),
             plot_sym(c, "λ_min", "$\\lambda_{\\min}$", "eig_min"));
    l = strlen(buf);
    if (p->nlines > 0)
        plot_spf(buf + l, len - l, "; dashed 2/%s of the gradient-descent runs at a constant "
                 "rate %s (GD is stable only while %s < 2/%s: the edge of stability, Cohen et al. "
                 "2021)", eta, eta, plot_sym(c, "λ_max", "$\\lambda_{\\max}$", "eig_max"), eta);
    l = strlen(buf);
    if (p->line_out > 0)
        plot_spf(buf + l, len - l, "; 2/%s = %.3g lies above the panel", eta, p->line_out);
    l = strlen(buf);
    plot_spf(buf + l, len - l, ".");
}

/* Title (the landscape, and the run's legend when there is one group) and caption (with
 * the notes on values drawn at a floor and on smoothing). */
static void cv_title(plot_ctx *c, const curves *cv)
{
    const lsc_trajectory *t = c->t;
    char title[LSC_VALUE_MAX * 2], ls[LSC_VALUE_MAX], extra[1000] = "";
    plot_short_landscape(c->L, t->landscape, ls, sizeof ls);
    if (cv->ngroups == 1) {
        char leg[LSC_VALUE_MAX];
        plot_run_legend(t, cv->first[0], leg, sizeof leg);
        plot_spf(title, sizeof title, "%s%s%s", ls, plot_sym(c, " — ", " -- ", " - "), leg);
    } else {
        plot_spf(title, sizeof title, "%s", ls);
    }
    for (int q = 0; q < cv->np; q++) {
        if (cv->P[q].clamped)
            cv_floor_note(c, &cv->P[q], extra, sizeof extra);
        if (cv->P[q].lr_floor > 0) {
            size_t l = strlen(extra);
            plot_spf(extra + l, sizeof extra - l, "%sThe lr axis starts at %.3g: lower values, "
                     "only in the last 2%% of steps, are below the panel.", l ? " " : "",
                     cv->P[q].lr_floor);
        }
    }
    for (int q = 0; q < cv->np; q++)
        if (cv->P[q].kind == CV_SHARP)
            cv_sharp_note(c, &cv->P[q], extra, sizeof extra);
    for (int q = 0; q < cv->np; q++)
        if (cv_symlog(&cv->P[q])) {
            size_t l = strlen(extra);
            plot_spf(extra + l, sizeof extra - l, "%sThe loss has no lower bound: symmetric log "
                     "axis asinh(f/C), C = %.3g (linear within C of 0, logarithmic beyond).",
                     l ? " " : "", cv_symlog_c(&cv->P[q]));
        }
    if (c->o->logx && c->o->xaxis == LSC_XAXIS_STEP) {
        size_t l = strlen(extra);
        plot_spf(extra + l, sizeof extra - l, "%sLog step axis: step 0 (the start) is drawn at "
                 "step 1.", l ? " " : "");
    } else if (c->o->logx && isfinite(cv->xmin_pos)) {
        size_t l = strlen(extra);
        plot_spf(extra + l, sizeof extra - l, "%sLog %s axis: the start (0) is drawn at %.3g.",
                 l ? " " : "", cv_xname[c->o->xaxis], cv->xmin_pos);
    }
    if (cv->sm) {
        size_t l = strlen(extra);
        int haslr = 0, haslog = 0;
        for (int q = 0; q < cv->np; q++) {
            haslr |= cv->P[q].kind == CV_LR;
            haslog |= cv->P[q].logy && cv->P[q].kind != CV_LR;
        }
        plot_spf(extra + l, sizeof extra - l, "%sSolid lines: moving average over %d recorded "
                 "steps%s; faint: the raw values%s.", l ? " " : "", cv->sm,
                 haslog ? " (geometric on log axes)" : "",
                 haslr ? " (the learning rate is drawn as it is)" : "");
    }
    plot_title_caption(c, title, plot_is_text(c) ? NULL : extra, 1);
}

/* The key: one entry per colour group, and the cross of a run that blew up. */
static double cv_key(plot_ctx *c, const curves *cv, plot_legend *LG, int *kcols)
{
    int anyblown = 0;
    for (int r = 0; r < cv->nr; r++)
        anyblown |= cv->blown[r] && cv->block[r] >= 0;
    memset(LG, 0, sizeof *LG);
    for (int g = 0; g < cv->ngroups; g++) {
        char leg[LSC_VALUE_MAX], st[64];
        plot_run_legend(c->t, cv->first[g], leg, sizeof leg);
        plot_spf(st, sizeof st, "with lines lt %d lw LW_CURVE", cv->lt[g]);
        plot_leg_add(LG, st, leg, 1, 1);
    }
    if (anyblown)
        plot_leg_add(LG, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'",
                     "diverged (where it leaves the panel)", 0, 1);
    return plot_leg_layout(c, LG, kcols);
}

static void cv_emit_symlog(plot_ctx *c, const cv_panel *p)
{
    char a[32];
    double C = cv_symlog_c(p);
    plot_printf(c, "SYMLOG_C = %s\nset nonlinear y via asinh(y/SYMLOG_C) inverse "
                   "SYMLOG_C*sinh(y)\n", plot_num(a, C));
    /* ticks: 0 and +-10^k from C out to the range, every 1, 2 or 3 decades */
    int k0 = (int)ceil(log10(C)), k1 = (int)ceil(log10(fmax(fabs(p->lo), fabs(p->hi))));
    int every = (k1 - k0) / 8 + 1;
    plot_printf(c, "set ytics ('0' 0");
    for (int sgn = -1; sgn <= 1; sgn += 2)
        for (int k = k0; k <= k1; k += every) {
            double v = sgn * pow(10, k);
            if (v < p->lo * 1.05 || v > p->hi * 1.05 + (p->hi < 0 ? -v : 0))
                continue;
            char lab[48];
            const char *m = sgn < 0 ? "-" : "";
            if (k >= -2 && k <= 3)
                plot_spf(lab, sizeof lab, "%s%g", m, pow(10, k));
            else if (c->term == TERM_TEX)
                plot_spf(lab, sizeof lab, "$%s10^{%d}$", m, k);
            else if (c->term == TERM_DUMB)
                plot_spf(lab, sizeof lab, "%s1e%d", m, k);
            else
                plot_spf(lab, sizeof lab, "%s10^{%d}", m, k);
            plot_printf(c, ", '%s' %s", lab, plot_num(a, v));
        }
    plot_printf(c, ")\n");
}

/* The short y label of a panel, for a label longer than the panel is high. */
static void cv_short_ylabel(const plot_ctx *c, const cv_panel *P, int gap, char *buf,
                            size_t len)
{
    switch (P->kind) {
    case CV_LOSS:
        plot_spf(buf, len, "%s", gap ? plot_sym(c, "f − f*", "$f - f^*$", "f - f*")
                                     : plot_sym(c, "f(x)", "$f(x)$", "f(x)"));
        break;
    case CV_GRAD: plot_spf(buf, len, "%s", plot_sym(c, "‖∇f‖", "$\\|\\nabla f\\|$", "|grad f|")); break;
    case CV_LR: plot_spf(buf, len, "%s", plot_sym(c, "η", "$\\eta$", "lr")); break;
    case CV_DIST: plot_spf(buf, len, "dist. to min"); break;
    case CV_COL: cv_col_label(P->j, buf, len); break;
    case CV_SHARP: plot_spf(buf, len, "%s", plot_sym(c, "λ(∇^2f)", "$\\lambda(\\nabla^2 f)$", "eig")); break;
    default: break; /* coordinates: already short */
    }
}

/* Panel q's axes (ph canvas units high): the step axis labelled on the last panel only,
 * the y label (inside the panel for dumb; short when longer than the panel), log or
 * linear, the cut range, ticks thinned where their labels would touch. */
static void cv_panel_axes(plot_ctx *c, const curves *cv, int q, double ph)
{
    const lsc_plot_opts *o = c->o;
    const cv_panel *p = &cv->P[q];
    if (q == cv->np - 1) {
        plot_printf(c, "set format x '%%g'\nset xlabel ");
        plot_str(c, o->xlabel[0] ? o->xlabel : cv_xlabel[o->xaxis]);
        plot_printf(c, " noenhanced\n");
    } else {
        plot_printf(c, "set format x ''\nunset xlabel\n");
    }
    char yl[256];
    cv_ylabel(c, p, cv->fstar, cv->gap, yl, sizeof yl);
    if (!plot_is_text(c) && plot_label_em(c, yl) * plot_em(c) > 0.95 * ph)
        cv_short_ylabel(c, p, cv->gap, yl, sizeof yl);
    if (q == 0 && o->ylabel[0]) {
        plot_printf(c, "set ylabel ");
        plot_str(c, o->ylabel);
        plot_printf(c, " noenhanced\n");
    } else if (plot_is_text(c)) {
        /* characters cannot be rotated: the panel's name goes inside it */
        plot_printf(c, "unset ylabel\nset label 70 '%s' at graph 0.02, graph 0.93 left front\n",
                    yl);
    } else {
        plot_printf(c, "set ylabel '%s' enhanced\n", yl);
    }
    /* first, since gnuplot's log scale is itself a nonlinear axis: 'unset nonlinear y'
     * after 'set logscale y' would make the axis linear again */
    plot_printf(c, "unset nonlinear y\n");
    if (p->logy)
        plot_printf(c, "set logscale y 10\nset format y '%s'\n",
                    plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
    else
        plot_printf(c, "unset logscale y\nset format y '%%g'\n");
    plot_printf(c, "unset key\n");
    plot_printf(c, "set ytics autofreq\n"); /* an earlier panel may have listed its own */
    double lo = p->cut ? p->ylo : p->lr_floor > 0 ? p->lr_floor : p->lo;
    double hi = p->cut ? p->yhi : p->hi;
    if (p->ulo > 0 || (!p->logy && isfinite(p->ulo))) /* ylim= (below) */
        lo = p->ulo, hi = p->uhi;
    /* under a decade: labelled ticks, not one decade tick or none; else ticks whose
     * labels do not run into each other (symlog lists its own) */
    if (!(p->logy && plot_log_tics(c, "y", lo, hi)) && !cv_symlog(p))
        plot_fit_tics(c, "y", lo, hi, ph, 0, p->logy);
    if (p->cut) {
        char a[32], b[32];
        plot_printf(c, "YLO = %s; YHI = %s\nset yrange [YLO:YHI]\n", plot_num(a, p->ylo),
                    plot_num(b, p->yhi));
        plot_printf(c, "YIN_LO = %s; YIN_HI = %s\n", plot_num(a, p->yin_lo),
                    plot_num(b, p->yin_hi));
    } else if (p->lr_floor > 0) {
        char a[32];
        plot_printf(c, "set yrange [%s:*]\n", plot_num(a, p->lr_floor));
    } else {
        plot_printf(c, "set yrange [*:*]\n");
    }
    if (cv_symlog(p))
        cv_emit_symlog(c, p);
    /* ylim=: the panel's own range (the panels have different units: each is given by
     * name, the top panel's also without). On a log axis a bound <= 0 is left automatic. */
    if (isfinite(p->ulo)) {
        char a[32], b[32];
        int lo_ok = !p->logy || p->ulo > 0, hi_ok = !p->logy || p->uhi > 0;
        plot_printf(c, "set yrange [%s:%s]\n", lo_ok ? plot_num(a, p->ulo) : "*",
                    hi_ok ? plot_num(b, p->uhi) : "*");
    }
}

/* The sharpness panel's labels (before its plot command): "2/lr = V" above each line, at
 * the right, in the run's colour; the top of the range leaves room for the top one's. */
static void cv_sharp_labels(plot_ctx *c, const cv_panel *p)
{
    if (p->nlines > 0 && !p->cut && !isfinite(p->ulo)) {
        char a[32];
        plot_printf(c, "set yrange [*:%s]\n", plot_num(a, p->hi));
    }
    for (int l = 0; l < p->nlines; l++) {
        char a[32];
        plot_printf(c, "set label %d '%s = %.3g' at graph 0.99, first %s right offset 0, 0.6 "
                    "tc lt %d front\n", 80 + l, plot_sym(c, "2/η", "$2/\\eta$", "2/lr"),
                    p->line[l], plot_num(a, p->line[l]), p->line_lt[l]);
    }
}

/* The sharpness panel's other lines: each run's eig_min where negative (dotted; its
 * column after every panel's), and the 2/lr lines (dashed) along a run's steps. */
static void cv_sharp_plot(plot_ctx *c, const curves *cv, const cv_panel *p, plot_clauses *k,
                          const char *pn)
{
    const char *xs = c->o->logx ? "(STEP($1))" : "1";
    const int col = 2 + cv->np + (cv->sm ? cv->np : 0);
    for (int r = 0; r < cv->nr; r++) {
        if (cv->block[r] < 0)
            continue;
        plot_clause(k);
        plot_fileref(c, pn);
        plot_printf(c, " index %d using %s:%d with lines lt %d dt 3 lw LW_CURVE_RUN(%d) "
                    "notitle", cv->block[r], xs, col, cv->lt[cv->group[r]], cv->group[r]);
    }
    for (int l = 0; l < p->nlines; l++) {
        char a[32];
        plot_clause(k);
        plot_fileref(c, pn);
        plot_printf(c, " index %d using %s:(%s) with lines lt %d dt 2 lw 1.5 notitle",
                    cv->block[p->line_run[l]], xs, plot_num(a, p->line[l]), p->line_lt[l]);
    }
}

/* Panel q's curves: each run (faint when smoothed; the learning rate as it is), the
 * smoothed ones, a cross where a run that blew up leaves the panel. */
static void cv_panel_plot(plot_ctx *c, const curves *cv, int q, const char *pn)
{
    const cv_panel *p = &cv->P[q];
    const int *block = cv->block, *group = cv->group, *lt = cv->lt;
    const int smooth = cv->sm && p->kind != CV_LR && p->kind != CV_SHARP;
    plot_clauses k = {c, "plot", 0};
    int col = 2 + q, scol = 2 + cv->np + q;
    const char *xs = c->o->logx ? "(STEP($1))" : "1"; /* logx: step 0 at 1 */
    for (int r = 0; r < cv->nr; r++) {
        if (block[r] < 0)
            continue;
        plot_clause(&k);
        plot_fileref(c, pn);
        if (smooth)
            plot_printf(c, " index %d using %s:%d with lines lt %d lw 1 notitle", block[r], xs, col,
                        10 + lt[group[r]]);
        else
            plot_printf(c, " index %d using %s:%d with lines lt %d lw LW_CURVE_RUN(%d) "
                        "notitle", block[r], xs, col, lt[group[r]], group[r]);
    }
    for (int r = 0; smooth && r < cv->nr; r++) {
        if (block[r] < 0)
            continue;
        plot_clause(&k);
        plot_fileref(c, pn);
        plot_printf(c, " index %d using %s:%d with lines lt %d lw LW_CURVE_RUN(%d) notitle",
                    block[r], xs, scol, lt[group[r]], group[r]);
    }
    for (int r = 0; r < cv->nr; r++) {
        if (block[r] < 0 || !cv->blown[r])
            continue;
        int e = cv->exitrow[r][q];
        plot_clause(&k);
        plot_fileref(c, pn);
        if (p->cut)
            plot_printf(c, " index %d every ::%d::%d using %s:($%d > YIN_HI ? YIN_HI : $%d < "
                        "YIN_LO ? YIN_LO : $%d) with points lt %d pt PT_DIVERGED ps PS_RUN lw 2 "
                        "notitle",
                        block[r], e, e, xs, col, col, col, lt[group[r]]);
        else
            plot_printf(c, " index %d every ::%d::%d using %s:%d with points lt %d "
                        "pt PT_DIVERGED ps PS_RUN lw 2 notitle", block[r], e, e, xs, col,
                        lt[group[r]]);
    }
    if (p->kind == CV_SHARP)
        cv_sharp_plot(c, cv, p, &k, pn);
    plot_clauses_end(&k);
    if (p->kind == CV_SHARP)
        for (int l = 0; l < p->nlines; l++)
            plot_printf(c, "unset label %d\n", 80 + l);
}

/* The widest tick label of panel p's y axis, in em: measured, or gnuplot's estimate if
 * larger (it places the y label after the tick labels by that). */
static double cv_tics_em(const plot_ctx *c, const cv_panel *p)
{
    double lo = p->cut ? p->ylo : p->lr_floor > 0 ? p->lr_floor : p->lo;
    double hi = p->cut ? p->yhi : p->hi;
    if (isfinite(p->ulo)) {
        lo = p->logy && !(p->ulo > 0) ? lo : p->ulo;
        hi = p->logy && !(p->uhi > 0) ? hi : p->uhi;
    }
    if (cv_symlog(p)) /* -10^k .. 10^k: a decade label and its sign */
        return plot_tics_em(c, cv_symlog_c(p), fmax(fabs(p->lo), fabs(p->hi)), 1, 1) + 0.8;
    return plot_tics_em(c, lo, hi, p->logy, 1);
}

/* The script after the data: the panels stacked on a shared step axis, the key in a panel
 * along the bottom. */
static int cv_script(plot_ctx *c, const curves *cv)
{
    const int np = cv->np;
    char what[128], nm[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "curves, %d panel%s", np, np > 1 ? "s" : "");
    /* the canvas height by the panels: about 9 em for the title, the axis, the key and
     * the caption, then 14 em a panel (tex: 10 em, for a page of an article) */
    if (!c->height)
        c->height = plot_is_text(c) ? 6 + 16 * np
                    : c->term == TERM_TEX ? (int)lround((9.5 + 10 * np) * plot_em(c))
                    : (int)((150 + 230 * np) * (c->term == TERM_PDF ? 0.6 : 1.0));
    int rc = plot_script_begin(c, what);
    if (rc)
        return rc;
    cv_title(c, cv);
    plot_legend LG;
    int kcols;
    double kh = cv_key(c, cv, &LG, &kcols);
    const int text = plot_is_text(c);
    const double em = plot_em(c);
    double top = 1 - plot_title_h(c) - (text ? 0 : 0.4 * em / c->height);
    double bottom = c->cap_h + kh + (text ? 3.0 : 3.6 * em) / c->height;
    /* left: the widest tick labels (like 10^{-10}), the tics and a gap, the rotated axis
     * label (3.2 em in all); at least 6.4 em but in a .tex figure, often narrow */
    double ticw = 0;
    for (int q = 0; q < np; q++)
        ticw = fmax(ticw, cv_tics_em(c, &cv->P[q]));
    double left = text ? 9.0 / c->width
                       : fmax(c->term == TERM_TEX ? 0 : 6.4, ticw + 3.2) * em / c->width;
    double right = 1 - (text ? 2.0 : 1.2 * em) / c->width;
    double gapv = text ? 0.02 : 0.75 * em / c->height;
    double ph = (top - bottom - gapv * (np - 1)) / np;
    plot_multiplot(c);
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", left, right);
    if (isfinite(c->o->xlim[0])) { /* xlim=: the steps shown, in every panel */
        char a[32], b[32];
        plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, c->o->xlim[0]),
                    plot_num(b, c->o->xlim[1]));
    } else {
        plot_printf(c, "set xrange [*:*]\n");
    }
    /* logx: steps on a log axis; step 0 (the start) has no place there: drawn at 1 (STEP;
     * another x axis: at its smallest positive value) */
    if (c->o->logx) {
        char a[32] = "1";
        if (c->o->xaxis != LSC_XAXIS_STEP && isfinite(cv->xmin_pos))
            plot_num(a, cv->xmin_pos);
        plot_printf(c, "set logscale x 10\nSTEP(s) = s < %s ? %s : s\n", a, a);
    } else { /* x labels that do not run into each other (steps, examples: integers) */
        double s0 = isfinite(c->o->xlim[0]) ? c->o->xlim[0] : 0, s1 = c->o->xlim[1];
        for (int r = 0; !isfinite(c->o->xlim[0]) && r < cv->nr; r++) {
            const lsc_run_record *R = &c->t->runs[r];
            double x = R->len > 0 ? cv_x(c, R, R->len - 1) : NAN;
            if (isfinite(x)) /* the x of the last row (a time column increases) */
                s1 = fmax(isfinite(s1) ? s1 : 0, x);
        }
        const int integers = c->o->xaxis == LSC_XAXIS_STEP || c->o->xaxis == LSC_XAXIS_EXAMPLES;
        plot_fit_tics(c, "x", s0, s1, (right - left) * c->width, integers, 0);
    }
    plot_printf(c, "set autoscale xfix\nset autoscale yfix\n"
                   "set offsets 0, 0, graph 0.05, graph 0.05\n");
    plot_printf(c, "set mytics default\nset tics nomirror\n");
    const char *pn = plot_fname(c, ".curves.tsv", nm, sizeof nm);
    for (int q = 0; q < np; q++) {
        double t0 = top - q * (ph + gapv);
        plot_printf(c, "\n# panel %d: %s\n", q + 1, cv->P[q].name);
        plot_printf(c, "set tmargin at screen %.4f; set bmargin at screen %.4f\n", t0, t0 - ph);
        if (q == 1)
            plot_caption_off(c);
        cv_panel_axes(c, cv, q, ph * c->height);
        if (cv->P[q].kind == CV_SHARP)
            cv_sharp_labels(c, &cv->P[q]);
        cv_panel_plot(c, cv, q, pn);
    }
    if (np == 1)
        plot_caption_off(c);
    if (text)
        plot_printf(c, "unset label 70\n");
    plot_leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    return LSC_OK;
}

static int curves_emit(plot_ctx *c)
{
    curves cv;
    memset(&cv, 0, sizeof cv);
    int rc = cv_setup(c, &cv);
    if (rc == LSC_OK)
        rc = cv_alloc(c, &cv);
    if (rc == LSC_OK) {
        cv_scan(c, &cv);
        rc = cv_write(c, &cv);
    }
    if (rc == LSC_OK)
        rc = cv_script(c, &cv);
    cv_free(&cv);
    return rc;
}

/* The panels, as curves_emit reads them (cv_parse), before any work: at most 8, none
 * twice, coordinates the trajectory records, dist only where it can be had. */
static int curves_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                        const plot_need *need, lsc_error *err)
{
    cv_panel P[CV_MAXP];
    (void)K;
    int dist_ok = need->has_dist || (need->npos == L->n && need->has_min);
    int np = cv_parse(o->curves, need->npos, L->n, need->cols, dist_ok,
                      !need->has_min ? " and the landscape has no known minimum"
                                     : " and not all coordinates (positions=all)",
                      P, err);
    if (np < 0)
        return LSC_EINVAL;
    if (cv_xaxis_check(o->xaxis, need->cols, err) != LSC_OK)
        return LSC_EINVAL;
    return cv_ylims(o, P, np, need->npos, L->n, need->cols, err);
}

/* xlim: the steps shown (every panel); ylim: the panels' y ranges (LO:HI the top one's,
 * PANEL=LO:HI by name) */
static const char *const curves_keys[] = {"curves", "smooth", "max_points", "xlim", "ylim",
                                          "logx", "xaxis", NULL};

const plot_kind_type plot_kind_curves = {
    .name = "curves",
    .id = LSC_PLOT_CURVES,
    .summary = "loss, gradient norm, learning rate, distance or coordinates against the step",
    .keys = curves_keys,
    .flags = PLOT_NEEDS_TRAJECTORY | PLOT_DUMB | PLOT_PANELS,
    .grid = 0,
    .width = 900,
    .height = 0, /* by the number of panels */
    .check = curves_check,
    .emit = curves_emit,
};
