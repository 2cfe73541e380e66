/* curves.c — kind curves: loss (f - f*), gradient norm, learning rate, distance to the
 * nearest minimum or coordinates against the step, in panels stacked on one step axis */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "runs.h"

enum { CV_LOSS, CV_GRAD, CV_LR, CV_DIST, CV_X, CV_ABSX };
#define CV_MAXP 8
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
} cv_panel;

/* "x2", "|x2|", "absx2": 1 and the kind and the 1-based index; 0 if not such a name */
static int parse_coord(const char *tok, int *kind, long *j)
{
    const char *p = tok;
    size_t n = strlen(tok);
    int absv = 0;
    if (n >= 2 && tok[0] == '|' && tok[n - 1] == '|') {
        absv = 1;
        p = tok + 1;
        n -= 2;
    } else if (n > 3 && !strncmp(tok, "abs", 3)) {
        absv = 1;
        p = tok + 3;
        n -= 3;
    }
    if (n < 2 || p[0] != 'x')
        return 0;
    long v = 0;
    for (size_t i = 1; i < n; i++) {
        if (p[i] < '0' || p[i] > '9' || v > 100000000)
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *kind = absv ? CV_ABSX : CV_X;
    *j = v;
    return 1;
}

static int parse_curves(plot_ctx *c, cv_panel *P)
{
    const lsc_trajectory *t = c->t;
    char buf[256];
    plot_spf(buf, sizeof buf, "%s", c->o->curves);
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && e[-1] == ' ')
            *--e = '\0';
        if (!*tok)
            continue; /* "loss,,lr" */
        int kind = -1;
        long j = 0;
        for (int q = 0; q < 4; q++)
            if (!strcmp(tok, cv_fixed[q]))
                kind = q;
        if (kind < 0 && parse_coord(tok, &kind, &j)) {
            if (t->npos == 0) {
                lsc_error_set(c->err, LSC_EINVAL, "curves=%.100s: panel '%.40s' needs the "
                              "runs' positions, and the trajectory has none (record with "
                              "positions=all or first:K)", c->o->curves, tok);
                return LSC_EINVAL;
            }
            if (j < 1 || j > t->npos) {
                lsc_error_set(c->err, LSC_EINVAL, "curves=%.100s: panel '%.40s': coordinate "
                              "%ld is not in the trajectory (allowed: 1 to %d%s)",
                              c->o->curves, tok, j, t->npos,
                              t->npos < t->n ? ": it keeps only the first coordinates" : "");
                return LSC_EINVAL;
            }
        } else if (kind < 0) {
            const char *close = lsc_closest(tok, cv_fixed, 4);
            lsc_error_set(c->err, LSC_EINVAL, "curves=%.100s: unknown panel '%.40s'%s%s%s "
                          "(allowed: loss, grad_norm, lr, dist, xK, |xK| or absxK, comma "
                          "separated)", c->o->curves, tok, close ? " (did you mean '" : "",
                          close ? close : "", close ? "'?)" : "");
            return LSC_EINVAL;
        }
        for (int q = 0; q < n; q++)
            if (P[q].kind == kind && (kind < CV_X || P[q].j == (int)j - 1)) {
                lsc_error_set(c->err, LSC_EINVAL, "curves=%.100s: repeated panel '%.40s'",
                              c->o->curves, tok);
                return LSC_EINVAL;
            }
        if (n == CV_MAXP) {
            lsc_error_set(c->err, LSC_EINVAL, "curves=%.100s: more than %d panels",
                          c->o->curves, CV_MAXP);
            return LSC_EINVAL;
        }
        memset(&P[n], 0, sizeof P[n]);
        P[n].kind = kind;
        P[n].j = kind >= CV_X ? (int)j - 1 : 0;
        plot_spf(P[n].name, sizeof P[n].name, "%s", tok);
        n++;
    }
    if (n == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "curves='%.100s': no panel (allowed: loss, "
                      "grad_norm, lr, dist, xK, |xK|)", c->o->curves);
        return LSC_EINVAL;
    }
    return n;
}

/* Value of panel P at row i of run R (before clamping). */
static double cv_value(const plot_ctx *c, const cv_panel *P, const lsc_run_record *R, size_t i,
                       double fstar, int gap, int dist_from_x, double *xb)
{
    const lsc_trajectory *t = c->t;
    double d = NAN;
    switch (P->kind) {
    case CV_LOSS: return gap ? R->loss[i] - fstar : R->loss[i];
    case CV_GRAD: return R->grad_norm[i];
    case CV_LR: return R->lr[i];
    case CV_DIST:
        if (R->dist)
            return R->dist[i];
        if (dist_from_x)
            lsc_landscape_nearest_min(c->L, R->x + i * (size_t)t->npos, &d, xb);
        return d;
    case CV_X: return R->x[i * (size_t)t->npos + (size_t)P->j];
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

static void cv_ylabel(const plot_ctx *c, const cv_panel *P, double fstar, int gap, char *buf,
                      size_t len)
{
    const int n = c->t->n;
    char co[32];
    if (P->kind >= CV_X) {
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
                 plot_sym(c, "f − f* ≤ 0", "f - f* <= 0", "f - f* <= 0"), P->minpos);
        return;
    case CV_GRAD:
        plot_spf(yl, sizeof yl, "%s", plot_sym(c, "‖∇f‖", "|grad f|", "|grad f|"));
        break;
    case CV_DIST: plot_spf(yl, sizeof yl, "distance"); break;
    case CV_LR: plot_spf(yl, sizeof yl, "lr"); break;
    default:
        if (c->t->n == 2)
            plot_spf(yl, sizeof yl, "|%s|", P->j == 0 ? "x" : "y");
        else
            plot_spf(yl, sizeof yl, "|x%d|", P->j + 1);
        break;
    }
    plot_spf(buf + l, len - l, "%s%s = 0 drawn at %.3g.", l ? " " : "", yl, P->minpos);
}

static int curves_emit(plot_ctx *c)
{
    const lsc_trajectory *t = c->t;
    const lsc_landscape *L = c->L;
    const lsc_plot_opts *o = c->o;
    cv_panel P[CV_MAXP];
    int np = parse_curves(c, P);
    if (np < 0)
        return np;
    if (t->nruns == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=curves: the trajectory has no runs");
        return LSC_EINVAL;
    }
    /* f*: the lowest known minimum */
    double fstar = INFINITY;
    int want_dist = 0;
    for (int q = 0; q < np; q++)
        want_dist |= P[q].kind == CV_DIST;
    double *xb = NULL;
    if (L) {
        xb = malloc((size_t)L->n * 2 * sizeof *xb);
        if (!xb) {
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        int nc = lsc_landscape_ncritical(L);
        for (int k = 0; k < nc; k++) {
            lsc_critical cp = {.x = xb};
            lsc_landscape_critical(L, k, &cp);
            if (cp.kind == LSC_CP_MIN && isfinite(cp.f))
                fstar = fmin(fstar, cp.f);
        }
    }
    int dist_from_x = want_dist && !t->has_dist;
    if (dist_from_x && !(L && t->npos == t->n && isfinite(fstar))) {
        free(xb);
        lsc_error_set(c->err, LSC_EINVAL, "curves=dist: the trajectory has no dist column%s",
                      !L || !isfinite(fstar) ? " and the landscape has no known minimum"
                                             : " and not all coordinates (positions=all)");
        return LSC_EINVAL;
    }
    const int gap = isfinite(fstar);
    const int nr = t->nruns;
    int *group = malloc((size_t)nr * sizeof *group), *first = malloc((size_t)nr * sizeof *first);
    int *lt = malloc((size_t)nr * sizeof *lt), *block = malloc((size_t)nr * sizeof *block);
    int *div = malloc((size_t)nr * sizeof *div), *blown = malloc((size_t)nr * sizeof *blown);
    size_t *mrows = malloc((size_t)nr * sizeof *mrows);
    size_t mmax = 1;
    for (int r = 0; r < nr; r++)
        mmax = t->runs[r].len + 1 > mmax ? t->runs[r].len + 1 : mmax;
    const int sm = o->smooth > 1 && !plot_is_text(c) ? o->smooth : 0;
    double *val = malloc(mmax * (size_t)np * sizeof *val);
    double *smv = sm ? malloc(mmax * (size_t)np * sizeof *smv) : NULL;
    double *cs = sm ? malloc(mmax * sizeof *cs) : NULL;
    size_t *cn = sm ? malloc(mmax * sizeof *cn) : NULL;
    int (*exitrow)[CV_MAXP] = malloc((size_t)nr * sizeof *exitrow);
    int rc = LSC_OK;
    if (!group || !first || !lt || !block || !div || !blown || !mrows || !val || !exitrow ||
        (sm && (!smv || !cs || !cn))) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    /* pass 1: rows drawn (up to the last finite loss), the smallest positive value and
     * whether values <= 0 occur, per panel */
    for (int q = 0; q < np; q++) {
        P[q].minpos = INFINITY;
        P[q].lo = INFINITY;
        P[q].hi = -INFINITY;
    }
    for (int r = 0; r < nr; r++) {
        const lsc_run_record *R = &t->runs[r];
        size_t m = R->len;
        while (m > 0 && !isfinite(R->loss[m - 1]))
            m--;
        mrows[r] = m;
        div[r] = R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
                 R->status == LSC_STOP_FAILED || m < R->len;
        for (size_t i = 0; i < m; i++)
            for (int q = 0; q < np; q++) {
                double v = cv_value(c, &P[q], R, i, fstar, gap, dist_from_x, xb);
                if (isfinite(v) && v > 0)
                    P[q].minpos = fmin(P[q].minpos, v);
                if (isfinite(v) && v <= 0)
                    P[q].nonpos = 1;
            }
    }
    double lrlo = INFINITY, lrhi = -INFINITY;
    for (int r = 0; r < nr; r++)
        for (size_t i = 0; i < mrows[r]; i++)
            if (isfinite(t->runs[r].lr[i])) {
                lrlo = fmin(lrlo, t->runs[r].lr[i]);
                lrhi = fmax(lrhi, t->runs[r].lr[i]);
            }
    for (int q = 0; q < np; q++) {
        cv_panel *p = &P[q];
        int haspos = isfinite(p->minpos);
        switch (p->kind) {
        /* f - f* <= 0 is rounding: drawn at the floor; a loss without f* goes log only
         * when positive */
        case CV_LOSS: p->logy = gap ? haspos : !p->nonpos && haspos; break;
        case CV_LR: p->logy = !p->nonpos && lrhi > 10 * lrlo; break;
        case CV_X: p->logy = 0; break;
        default: p->logy = haspos; break; /* |grad f|, distance, |x_j|: zeros at the floor */
        }
        p->clamped = p->logy && p->nonpos;
    }
    /* a run blew up: diverged, or f - f* grew a million-fold (it will: the range is that
     * of the others) */
    for (int r = 0; r < nr; r++) {
        const lsc_run_record *R = &t->runs[r];
        blown[r] = div[r];
        if (!blown[r] && gap && mrows[r] > 1) {
            double v0 = R->loss[0] - fstar, vl = R->loss[mrows[r] - 1] - fstar;
            blown[r] = v0 > 0 && vl > 1e6 * v0;
        }
    }

    /* data */
    int ngroups = plot_run_groups(t, group, first);
    plot_group_colours(t, first, ngroups, lt);
    plot_file f;
    rc = plot_open(c, ".curves.tsv", &f);
    if (rc)
        goto done;
    fprintf(f.fp, "# one block per run: step, then one column per panel:");
    for (int q = 0; q < np; q++)
        fprintf(f.fp, " %s", q == 0 && P[q].kind == CV_LOSS && gap ? "f-f*" : P[q].name);
    if (sm) {
        fprintf(f.fp, ", then the same, moving average over %d rows:", sm);
        for (int q = 0; q < np; q++)
            fprintf(f.fp, " %s", P[q].name);
    }
    fprintf(f.fp, "\n# (values <= 0 of a log panel are written as the panel's smallest positive "
                  "value)\n");
    int nb = 0;
    for (int r = 0; r < nr; r++) {
        const lsc_run_record *R = &t->runs[r];
        block[r] = -1;
        size_t m = mrows[r];
        size_t K = plot_rows_drawn(c, m);
        if (K == 0)
            continue;
        for (size_t i = 0; i < m; i++)
            for (int q = 0; q < np; q++) {
                double v = cv_value(c, &P[q], R, i, fstar, gap, dist_from_x, xb);
                if (P[q].clamped && isfinite(v) && v <= 0)
                    v = P[q].minpos;
                val[(size_t)q * mmax + i] = v;
            }
        if (sm)
            for (int q = 0; q < np; q++)
                moving_average(val + (size_t)q * mmax, m, sm, P[q].logy,
                               smv + (size_t)q * mmax, cs, cn);
        if (nb)
            fputs("\n\n", f.fp);
        fprintf(f.fp, "# run %d\n", r);
        for (size_t k = 0; k < K; k++) {
            size_t i = plot_pick(k, K, m);
            fprintf(f.fp, "%ld", R->step[i]);
            for (int q = 0; q < np; q++) {
                double v = val[(size_t)q * mmax + i];
                fprintf(f.fp, " %.10g", v);
                /* value ranges of the runs that did not blow up */
                if (!blown[r] && isfinite(v) && (!P[q].logy || v > 0)) {
                    P[q].lo = fmin(P[q].lo, v);
                    P[q].hi = fmax(P[q].hi, v);
                }
            }
            for (int q = 0; sm && q < np; q++)
                fprintf(f.fp, " %.10g", smv[(size_t)q * mmax + i]);
            fputc('\n', f.fp);
        }
        block[r] = nb++;
    }
    /* panels with a run that blew up keep the others' range; the run leaves it, a cross
     * where it does (or at its last finite value, if it stays inside) */
    for (int q = 0; q < np; q++) {
        cv_panel *p = &P[q];
        int any = 0;
        for (int r = 0; r < nr; r++)
            any |= blown[r] && block[r] >= 0;
        p->cut = any && p->lo < p->hi;
        if (p->cut) {
            p->ylo = p->logy ? p->lo / 3 : p->lo - 0.05 * (p->hi - p->lo);
            p->yhi = p->logy ? p->hi * 30 : p->hi + 0.3 * (p->hi - p->lo);
        }
    }
    for (int r = 0; r < nr; r++) {
        if (block[r] < 0 || !blown[r])
            continue;
        const lsc_run_record *R = &t->runs[r];
        size_t m = mrows[r], K = plot_rows_drawn(c, m);
        for (int q = 0; q < np; q++) {
            exitrow[r][q] = (int)K - 1;
            if (!P[q].cut)
                continue;
            for (size_t k = 0; k < K; k++) {
                double v = cv_value(c, &P[q], R, plot_pick(k, K, m), fstar, gap, dist_from_x, xb);
                if (isfinite(v) && (v > P[q].yhi || v < P[q].ylo) &&
                    !(P[q].clamped && v <= 0)) {
                    exitrow[r][q] = (int)k;
                    break;
                }
            }
        }
    }
    rc = plot_close(c, &f);
    if (rc)
        goto done;

    char what[128], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "curves, %d panel%s", np, np > 1 ? "s" : "");
    if (!c->height)
        c->height = plot_is_text(c) ? 6 + 16 * np
                    : (int)((150 + 230 * np) * (c->term == TERM_PDF || c->term == TERM_TEX
                                                    ? 0.6 : 1.0));
    rc = plot_script_begin(c, what);
    if (rc)
        goto done;
    char ls[LSC_VALUE_MAX];
    plot_short_landscape(L, t->landscape, ls, sizeof ls);
    if (ngroups == 1) {
        char leg[LSC_VALUE_MAX];
        plot_run_legend(t, first[0], leg, sizeof leg);
        plot_spf(title, sizeof title, "%s%s%s", ls, plot_sym(c, " — ", " -- ", " - "), leg);
    } else {
        plot_spf(title, sizeof title, "%s", ls);
    }
    char extra[600] = "";
    for (int q = 0; q < np; q++)
        if (P[q].clamped)
            cv_floor_note(c, &P[q], extra, sizeof extra);
    if (sm) {
        size_t l = strlen(extra);
        int haslr = 0, haslog = 0;
        for (int q = 0; q < np; q++) {
            haslr |= P[q].kind == CV_LR;
            haslog |= P[q].logy && P[q].kind != CV_LR;
        }
        plot_spf(extra + l, sizeof extra - l, "%sSolid lines: moving average over %d recorded "
                 "steps%s; faint: the raw values%s.", l ? " " : "", sm,
                 haslog ? " (geometric on log axes)" : "",
                 haslr ? " (the learning rate is drawn as it is)" : "");
    }
    plot_title_caption(c, title, plot_is_text(c) ? NULL : extra, 1);
    /* layout: panels stacked on a shared step axis; the key in a panel along the bottom */
    int anyblown = 0;
    for (int r = 0; r < nr; r++)
        anyblown |= blown[r] && block[r] >= 0;
    plot_legend LG;
    memset(&LG, 0, sizeof LG);
    for (int g = 0; g < ngroups; g++) {
        char leg[LSC_VALUE_MAX], st[64];
        plot_run_legend(t, first[g], leg, sizeof leg);
        plot_spf(st, sizeof st, "with lines lt %d lw LW_CURVE", lt[g]);
        plot_leg_add(&LG, st, leg, 1, 1);
    }
    if (anyblown)
        plot_leg_add(&LG, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'",
                     "diverged (where it leaves the panel)", 0, 1);
    int kcols;
    double kh = plot_leg_layout(c, &LG, &kcols);
    const int text = plot_is_text(c);
    const double em = plot_em(c);
    double top = 1 - plot_title_h(c) - (text ? 0 : 0.4 * em / c->height);
    double bottom = c->cap_h + kh + (text ? 3.0 : 3.6 * em) / c->height;
    /* left: tick labels like 10^{-10} and the rotated axis label */
    double left = text ? 9.0 / c->width : 6.4 * em / c->width;
    double right = 1 - (text ? 2.0 : 1.2 * em) / c->width;
    double gapv = text ? 0.02 : 0.75 * em / c->height;
    double ph = (top - bottom - gapv * (np - 1)) / np;
    plot_multiplot(c);
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", left, right);
    plot_printf(c, "set xrange [*:*]\nset autoscale xfix\nset autoscale yfix\n"
                   "set offsets 0, 0, graph 0.05, graph 0.05\n");
    plot_printf(c, "set mytics default\nset tics nomirror\n");
    const char *pn = plot_fname(c, ".curves.tsv", nm, sizeof nm);
    for (int q = 0; q < np; q++) {
        const cv_panel *p = &P[q];
        double t0 = top - q * (ph + gapv);
        plot_printf(c, "\n# panel %d: %s\n", q + 1, p->name);
        plot_printf(c, "set tmargin at screen %.4f; set bmargin at screen %.4f\n", t0, t0 - ph);
        if (q == 1)
            plot_caption_off(c);
        if (q == np - 1) {
            plot_printf(c, "set format x '%%g'\nset xlabel ");
            plot_str(c, o->xlabel[0] ? o->xlabel : "step");
            plot_printf(c, " noenhanced\n");
        } else {
            plot_printf(c, "set format x ''\nunset xlabel\n");
        }
        char yl[256];
        cv_ylabel(c, p, fstar, gap, yl, sizeof yl);
        if (q == 0 && o->ylabel[0]) {
            plot_printf(c, "set ylabel ");
            plot_str(c, o->ylabel);
            plot_printf(c, " noenhanced\n");
        } else if (text) {
            /* characters cannot be rotated: the panel's name goes inside it */
            plot_printf(c, "unset ylabel\nset label 70 '%s' at graph 0.02, graph 0.93 left front\n",
                        yl);
        } else {
            plot_printf(c, "set ylabel '%s' enhanced\n", yl);
        }
        if (p->logy)
            plot_printf(c, "set logscale y 10\nset format y '%s'\n",
                        plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        else
            plot_printf(c, "unset logscale y\nset format y '%%g'\n");
        plot_printf(c, "unset key\n");
        if (p->cut) {
            char a[32], b[32];
            plot_printf(c, "YLO = %s; YHI = %s\nset yrange [YLO:YHI]\n", plot_num(a, p->ylo),
                        plot_num(b, p->yhi));
        } else {
            plot_printf(c, "set yrange [*:*]\n");
        }
        plot_clauses k = {c, "plot", 0};
        int col = 2 + q, scol = 2 + np + q;
        for (int r = 0; r < nr; r++) {
            if (block[r] < 0)
                continue;
            plot_clause(&k);
            plot_fileref(c, pn);
            if (sm && p->kind != CV_LR)
                plot_printf(c, " index %d using 1:%d with lines lt %d lw 1 notitle", block[r],
                            col, 10 + lt[group[r]]);
            else
                plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_CURVE_RUN(%d) "
                            "notitle", block[r], col, lt[group[r]], group[r]);
        }
        for (int r = 0; sm && p->kind != CV_LR && r < nr; r++) {
            if (block[r] < 0)
                continue;
            plot_clause(&k);
            plot_fileref(c, pn);
            plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_CURVE_RUN(%d) notitle",
                        block[r], scol, lt[group[r]], group[r]);
        }
        for (int r = 0; r < nr; r++) {
            if (block[r] < 0 || !blown[r])
                continue;
            plot_clause(&k);
            plot_fileref(c, pn);
            if (p->cut)
                plot_printf(c, " index %d every ::%d::%d using 1:($%d > YHI ? YHI : $%d < YLO ? "
                            "YLO : $%d) with points lt %d pt PT_DIVERGED ps PS_RUN lw 2 notitle",
                            block[r], exitrow[r][q], exitrow[r][q], col, col, col,
                            lt[group[r]]);
            else
                plot_printf(c, " index %d every ::%d::%d using 1:%d with points lt %d "
                            "pt PT_DIVERGED ps PS_RUN lw 2 notitle", block[r], exitrow[r][q],
                            exitrow[r][q], col, lt[group[r]]);
        }
        plot_clauses_end(&k);
    }
    if (np == 1)
        plot_caption_off(c);
    if (text)
        plot_printf(c, "unset label 70\n");
    plot_leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
done:
    free(xb), free(group), free(first), free(lt), free(block), free(div), free(blown);
    free(mrows), free(val), free(smv), free(cs), free(cn), free(exitrow);
    return rc;
}

/* The panels, as curves_emit reads them (parse_curves), before any work: at most 8, none
 * twice, coordinates the trajectory records, dist only where it can be had. */
static int curves_check(const plot_kind_type *K, const lsc_plot_opts *o, const lsc_landscape *L,
                        const plot_need *need, lsc_error *err)
{
    const int n = L->n;
    (void)K;
    /* the panels, as the curves kind reads them: at most 8, none twice */
    char buf[sizeof o->curves], seen[8][64];
    int np = 0;
    snprintf(buf, sizeof buf, "%s", o->curves);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && e[-1] == ' ')
            *--e = '\0';
        if (!*tok)
            continue;
        int known = 0;
        for (int q = 0; q < 4; q++)
            known |= !strcmp(tok, cv_fixed[q]);
        /* xK, |xK|, absxK: K from 1 to the coordinates recorded */
        const char *p = tok;
        size_t len = strlen(tok);
        if (len >= 2 && tok[0] == '|' && tok[len - 1] == '|')
            p++, len -= 2;
        else if (len > 3 && !strncmp(tok, "abs", 3))
            p += 3, len -= 3;
        if (!known && len >= 2 && p[0] == 'x' && strspn(p + 1, "0123456789") == len - 1) {
            long j = len - 1 > 9 ? -1 : strtol(p + 1, NULL, 10);
            if (need->npos == 0) {
                lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%.40s' needs the "
                              "runs' positions, and the trajectory has none (record with "
                              "positions=all or first:K)", o->curves, tok);
                return LSC_EINVAL;
            }
            if (j < 1 || j > need->npos) {
                lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%.40s': coordinate "
                              "%.*s is not in the trajectory (allowed: 1 to %d%s)",
                              o->curves, tok, (int)(len - 1 < 12 ? len - 1 : 12), p + 1,
                              need->npos,
                              need->npos < n ? ": it keeps only the first coordinates" : "");
                return LSC_EINVAL;
            }
            known = 1;
        }
        if (!known) {
            const char *close = lsc_closest(tok, cv_fixed, 4);
            lsc_error_set(err, LSC_EINVAL, "curves=%.100s: unknown panel '%.40s'%s%s%s "
                          "(allowed: loss, grad_norm, lr, dist, xK, |xK| or absxK, comma "
                          "separated)", o->curves, tok, close ? " (did you mean '" : "",
                          close ? close : "", close ? "'?)" : "");
            return LSC_EINVAL;
        }
        if (!strcmp(tok, "dist") && !need->has_dist && !(need->npos == n && need->has_min)) {
            lsc_error_set(err, LSC_EINVAL, "curves=dist: the trajectory has no dist "
                          "column%s", !need->has_min ? " and the landscape has no known minimum"
                                               : " and not all coordinates (positions=all)");
            return LSC_EINVAL;
        }
        for (int q = 0; q < np; q++)
            if (!strcmp(seen[q], tok)) {
                lsc_error_set(err, LSC_EINVAL, "curves=%.100s: repeated panel '%.40s'",
                              o->curves, tok);
                return LSC_EINVAL;
            }
        if (np == 8) {
            lsc_error_set(err, LSC_EINVAL, "curves=%.100s: more than 8 panels", o->curves);
            return LSC_EINVAL;
        }
        snprintf(seen[np++], sizeof seen[0], "%s", tok);
    }
    if (np == 0) {
        lsc_error_set(err, LSC_EINVAL, "curves='%.100s': no panel (allowed: loss, "
                      "grad_norm, lr, dist, xK, |xK|)", o->curves);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static const char *const curves_keys[] = {"curves", "smooth", "max_points", NULL};

const plot_kind_type plot_kind_curves = {
    .name = "curves",
    .id = LSC_PLOT_CURVES,
    .summary = "loss, gradient norm, learning rate, distance or coordinates against the step",
    .keys = curves_keys,
    .flags = PLOT_NEEDS_TRAJECTORY | PLOT_DUMB,
    .grid = 0,
    .width = 900,
    .height = 0, /* by the number of panels */
    .check = curves_check,
    .emit = curves_emit,
};
