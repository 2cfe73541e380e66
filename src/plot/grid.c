/* grid.c — what the figures draw, computed in C: the landscape on a grid, colour
 * scales and contour levels, contour lines (marching squares), gradient arrows, known
 * critical points, principal directions of trajectories */
#include "grid.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* ---- grid ---------------------------------------------------------------------------- */

int plot_grid_eval(plot_grid *g, const lsc_landscape *L, int nx, int ny, double x0,
                   double x1, double y0, double y1, const double *base, const double *d1,
                   const double *d2, lsc_error *err)
{
    memset(g, 0, sizeof *g);
    const int n = L->n;
    g->nx = nx;
    g->ny = ny;
    g->x0 = x0;
    g->x1 = x1;
    g->y0 = y0;
    g->y1 = y1;
    g->f = malloc((size_t)nx * (size_t)ny * sizeof *g->f);
    double *x = malloc((size_t)n * sizeof *x);
    if (!g->f || !x) {
        free(g->f);
        free(x);
        g->f = NULL;
        lsc_error_set(err, LSC_ENOMEM, "out of memory for a %dx%d landscape grid", nx, ny);
        return LSC_ENOMEM;
    }
    double lo = INFINITY, hi = -INFINITY;
    int nf = 0;
    const double dx = (x1 - x0) / (nx - 1), dy = (y1 - y0) / (ny - 1);
    for (int j = 0; j < ny; j++) {
        const double b = y0 + j * dy;
        for (int i = 0; i < nx; i++) {
            const double a = x0 + i * dx;
            if (!d1) {
                x[0] = a;
                x[1] = b;
            } else {
                /* x = base + a d1 + b d2 */
                for (int k = 0; k < n; k++)
                    x[k] = base[k] + a * d1[k] + b * d2[k];
            }
            double f = lsc_landscape_in_domain(L, x) ? lsc_landscape_f(L, x) : NAN;
            /* float32 file: values beyond its range would become inf */
            if (!isfinite(f) || fabs(f) > 1e37)
                f = NAN;
            if (isfinite(f)) {
                lo = fmin(lo, f);
                hi = fmax(hi, f);
                nf++;
            }
            g->f[(size_t)j * nx + i] = (float)f;
        }
    }
    free(x);
    g->fmin = lo;
    g->fmax = hi;
    g->nfinite = nf;
    if (nf == 0) {
        lsc_error_set(err, LSC_EINVAL, "the landscape is undefined everywhere on the plotted "
                      "box [%g, %g] x [%g, %g]: choose xlim/ylim", x0, x1, y0, y1);
        free(g->f);
        g->f = NULL;
        return LSC_EINVAL;
    }
    return LSC_OK;
}

void plot_grid_free(plot_grid *g)
{
    free(g->f);
    g->f = NULL;
}

int plot_grid_write(plot_ctx *c, const plot_grid *g, const char *suffix)
{
    plot_file f;
    int rc = plot_open(c, suffix, &f);
    if (rc)
        return rc;
    const size_t m = (size_t)g->nx * (size_t)g->ny;
    unsigned char *buf = malloc(m * 4);
    if (!buf) {
        plot_abort(&f);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    for (size_t k = 0; k < m; k++) { /* little-endian float32, whatever the host */
        uint32_t u;
        memcpy(&u, &g->f[k], 4);
        buf[4 * k] = (unsigned char)(u & 0xff);
        buf[4 * k + 1] = (unsigned char)((u >> 8) & 0xff);
        buf[4 * k + 2] = (unsigned char)((u >> 16) & 0xff);
        buf[4 * k + 3] = (unsigned char)(u >> 24);
    }
    fwrite(buf, 4, m, f.fp);
    free(buf);
    return plot_close(c, &f);
}

/* ---- colour scale and contour levels ---------------------------------------------- */

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The p-quantile of the finite grid values (nearest rank). */
static double percentile(const plot_grid *g, double p)
{
    size_t m = (size_t)g->nx * (size_t)g->ny, k = 0;
    float *v = malloc((size_t)g->nfinite * sizeof *v);
    if (!v)
        return g->fmin;
    for (size_t i = 0; i < m; i++)
        if (!isnan(g->f[i]))
            v[k++] = g->f[i];
    qsort(v, k, sizeof *v, cmp_float);
    double r = k ? v[(size_t)(p * (double)(k - 1))] : g->fmin;
    free(v);
    return r;
}

/* 1, 2, 2.5, 5 times a power of ten, nearest above x (a "nice" step). */
static double nice_step(double x)
{
    double p = pow(10, floor(log10(x)));
    double m = x / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

void plot_color_setup(plot_color *pc, const plot_grid *g, const lsc_landscape *L,
                      const lsc_trajectory *t, int logc, int ncont)
{
    memset(pc, 0, sizeof *pc);
    pc->log = logc < 0 ? (L->type->log_color != 0) : logc;
    /* lowest known minimum */
    double fknown = INFINITY;
    int nc = lsc_landscape_ncritical(L);
    double *xb = malloc((size_t)L->n * sizeof *xb);
    for (int k = 0; xb && k < nc; k++) {
        lsc_critical cp = {.x = xb};
        lsc_landscape_critical(L, k, &cp);
        if (cp.kind == LSC_CP_MIN && isfinite(cp.f))
            fknown = fmin(fknown, cp.f);
    }
    free(xb);
    if (pc->log) {
        /* colour = f - fmin + eps, eps a power of ten 5 decades below the range */
        pc->known_min = isfinite(fknown) && fknown <= g->fmin;
        pc->fmin = pc->known_min ? fknown : g->fmin;
        double range = g->fmax - pc->fmin;
        if (!(range > 0))
            range = 1;
        /* eps: a power of ten at the 1st percentile of f - fmin over the grid, so the
         * lowest 1% of the view (valley floors, basins) still gets the dark colours;
         * kept within [1e-8, 1e-2] of the range */
        double q = percentile(g, 0.01) - pc->fmin;
        double e = q > 0 ? pow(10, floor(log10(q))) : range * 1e-6;
        e = fmin(e, pow(10, floor(log10(range * 1e-2))));
        /* minima the runs end in must stay apart: an end with f - fmin above 1e-5 of the
         * range (a local minimum, a plateau: not the global minimum reached to rounding)
         * sits at least a decade above eps, so it does not share the floor's colour */
        for (int r = 0; t && r < t->nruns; r++) {
            const lsc_run_record *R = &t->runs[r];
            if (R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
                R->status == LSC_STOP_FAILED || R->len == 0 || !isfinite(R->loss[R->len - 1]))
                continue;
            double d = R->loss[R->len - 1] - pc->fmin;
            if (d >= range * 1e-5 && d <= range)
                e = fmin(e, pow(10, floor(log10(d / 10))));
        }
        e = fmax(e, pow(10, floor(log10(range * 1e-8))));
        pc->eps = e;
        pc->lo = g->fmin - pc->fmin + pc->eps;
        pc->hi = g->fmax - pc->fmin + pc->eps;
        if (!(pc->hi > pc->lo))
            pc->hi = pc->lo * 10;
        /* levels: the densest of {1,2,5}, {1,3}, {1}, {1 every 2 decades}, ... per decade
         * that gives at most ncont levels inside (lo, hi) */
        static const double sets[3][3] = {{1, 2, 5}, {1, 3, 0}, {1, 0, 0}};
        static const int setn[3] = {3, 2, 1};
        if (ncont <= 0)
            return;
        for (int stride = 1; stride <= 64; stride *= 2) {
            for (int s = 0; s < 3; s++) {
                if (stride > 1 && s < 2)
                    continue;
                int n = 0;
                double levels[64];
                int d0 = plot_clamp_int(floor(log10(pc->lo)), -999, 999),
                    d1 = plot_clamp_int(ceil(log10(pc->hi)), -999, 999);
                for (int d = d0; d <= d1 && n < 64; d++) {
                    if (((d % stride) + stride) % stride)
                        continue;
                    for (int k = 0; k < setn[s] && n < 64; k++) {
                        double v = sets[s][k] * pow(10, d);
                        if (v > pc->lo && v < pc->hi)
                            levels[n++] = v;
                    }
                }
                if (n <= ncont) {
                    memcpy(pc->levels, levels, (size_t)n * sizeof *levels);
                    pc->nlevels = n;
                    return;
                }
            }
        }
        return;
    }
    pc->lo = g->fmin;
    pc->hi = g->fmax;
    if (!(pc->hi > pc->lo)) {
        pc->lo -= 0.5 * fmax(1, fabs(pc->lo));
        pc->hi += 0.5 * fmax(1, fabs(pc->hi));
    }
    if (ncont <= 0)
        return;
    double step = nice_step((pc->hi - pc->lo) / (ncont + 1));
    double v = ceil(pc->lo / step) * step;
    if (v <= pc->lo)
        v += step;
    for (int n = 0; v < pc->hi && n < 64 && pc->nlevels < ncont + 2; n++, v += step)
        pc->levels[pc->nlevels++] = fabs(v) < 1e-12 * step ? 0 : v;
}

double plot_color_value(const plot_color *pc, double f)
{
    return pc->log ? f - pc->fmin + pc->eps : f;
}

/* ---- contour lines: marching squares ------------------------------------------------- *
 * Each grid cell whose corners straddle a level contributes one segment (two in the
 * ambiguous saddle cases, split by the cell-centre average) between crossing points on
 * its edges, found by linear interpolation. A crossed edge touches at most two segments
 * (one per neighbouring cell), so segments chain into polylines through shared edges. */

typedef struct {
    const plot_grid *g;
    double level; /* raw f */
    int nh;       /* number of horizontal edges: ny*(nx-1) */
    int *ea, *eb; /* per edge: the (up to two) segments touching it, -1 none */
    int *sa, *sb; /* per segment: its two edges */
    unsigned char *seen;
    int ns;       /* segments of this level */
} ms_ctx;

static double gv(const plot_grid *g, int i, int j)
{
    return g->f[(size_t)j * g->nx + i];
}

/* Crossing point on edge e. Horizontal edge id = j*(nx-1)+i between (i,j), (i+1,j);
 * vertical id = nh + j*nx + i between (i,j), (i,j+1). */
static void edge_point(const ms_ctx *m, int e, double *x, double *y)
{
    const plot_grid *g = m->g;
    const double dx = (g->x1 - g->x0) / (g->nx - 1), dy = (g->y1 - g->y0) / (g->ny - 1);
    int i, j;
    double a, b, s;
    if (e < m->nh) {
        j = e / (g->nx - 1);
        i = e % (g->nx - 1);
        a = gv(g, i, j);
        b = gv(g, i + 1, j);
        s = (m->level - a) / (b - a);
        *x = g->x0 + (i + s) * dx;
        *y = g->y0 + j * dy;
    } else {
        e -= m->nh;
        j = e / g->nx;
        i = e % g->nx;
        a = gv(g, i, j);
        b = gv(g, i, j + 1);
        s = (m->level - a) / (b - a);
        *x = g->x0 + i * dx;
        *y = g->y0 + (j + s) * dy;
    }
}

/* The segments of a cell with corner values v00, v10, v01, v11 and edges eL, eB, eR, eT
 * into segs (edge pairs); returns how many (0, 1, or 2 for a saddle cell). */
static int cell_segments(double v00, double v10, double v01, double v11, double level, int eL,
                         int eB, int eR, int eT, int segs[2][2])
{
    int code = (v00 >= level) | (v10 >= level) << 1 | (v11 >= level) << 2 | (v01 >= level) << 3;
    int k = 0;
    switch (code) {
    case 1: case 14: segs[k][0] = eL; segs[k++][1] = eB; break;
    case 2: case 13: segs[k][0] = eB; segs[k++][1] = eR; break;
    case 3: case 12: segs[k][0] = eL; segs[k++][1] = eR; break;
    case 4: case 11: segs[k][0] = eR; segs[k++][1] = eT; break;
    case 6: case 9: segs[k][0] = eB; segs[k++][1] = eT; break;
    case 7: case 8: segs[k][0] = eL; segs[k++][1] = eT; break;
    case 5: case 10: {
        /* saddle cell: corners 00 and 11 on one side, 10 and 01 on the other */
        int centre_hi = 0.25 * (v00 + v10 + v01 + v11) >= level;
        int c00_hi = (code == 5);
        if (centre_hi == c00_hi) { /* 00 and 11 joined through the centre */
            segs[k][0] = eL; segs[k++][1] = eT;
            segs[k][0] = eB; segs[k++][1] = eR;
        } else {
            segs[k][0] = eL; segs[k++][1] = eB;
            segs[k][0] = eR; segs[k++][1] = eT;
        }
        break;
    }
    default: break; /* 0, 15: all on one side */
    }
    return k;
}

/* Every segment of m->level, cell by cell (cells with an undefined corner are skipped),
 * each edge noting the segments that touch it. */
static void ms_segments(ms_ctx *m)
{
    const plot_grid *g = m->g;
    const int nx = g->nx, ny = g->ny, nh = m->nh;
    m->ns = 0;
    for (int j = 0; j < ny - 1; j++) {
        for (int i = 0; i < nx - 1; i++) {
            double v00 = gv(g, i, j), v10 = gv(g, i + 1, j);
            double v01 = gv(g, i, j + 1), v11 = gv(g, i + 1, j + 1);
            if (isnan(v00) || isnan(v10) || isnan(v01) || isnan(v11))
                continue;
            int eB = j * (nx - 1) + i, eT = (j + 1) * (nx - 1) + i;
            int eL = nh + j * nx + i, eR = nh + j * nx + i + 1;
            int segs[2][2];
            int k = cell_segments(v00, v10, v01, v11, m->level, eL, eB, eR, eT, segs);
            for (int s = 0; s < k; s++) {
                const int ns = m->ns++;
                m->sa[ns] = segs[s][0];
                m->sb[ns] = segs[s][1];
                for (int q = 0; q < 2; q++) {
                    int e = segs[s][q];
                    if (m->ea[e] < 0)
                        m->ea[e] = ns;
                    else
                        m->eb[e] = ns;
                }
                m->seen[ns] = 0;
            }
        }
    }
}

/* The segments chained into polylines, written as x y level rows with a blank line after
 * each: first the open lines, from edges touched once, then the closed loops. The touched
 * edges are reset for the next level. */
static void ms_chain(ms_ctx *m, FILE *fp, double level)
{
    const int *sa = m->sa, *sb = m->sb, *ea = m->ea, *eb = m->eb;
    for (int pass = 0; pass < 2; pass++) {
        for (int s0 = 0; s0 < m->ns; s0++) {
            if (m->seen[s0])
                continue;
            int e = -1;
            if (pass == 0) {
                if (eb[sa[s0]] < 0)
                    e = sa[s0];
                else if (eb[sb[s0]] < 0)
                    e = sb[s0];
                else
                    continue;
            } else {
                e = sa[s0];
            }
            double x, y;
            edge_point(m, e, &x, &y);
            fprintf(fp, "%.7g %.7g %.6g\n", x, y, level);
            int s = s0;
            for (;;) {
                m->seen[s] = 1;
                e = sa[s] == e ? sb[s] : sa[s];
                edge_point(m, e, &x, &y);
                fprintf(fp, "%.7g %.7g %.6g\n", x, y, level);
                int nxt = ea[e] == s ? eb[e] : ea[e];
                if (nxt < 0 || m->seen[nxt])
                    break;
                s = nxt;
            }
            fputc('\n', fp);
        }
    }
    for (int s = 0; s < m->ns; s++) /* reset the touched edges */
        m->ea[sa[s]] = m->eb[sa[s]] = m->ea[sb[s]] = m->eb[sb[s]] = -1;
}

int plot_contours_put(FILE *fp, const plot_grid *g, const double *level, const double *tag,
                      int nlevels, lsc_error *err)
{
    const int nx = g->nx, ny = g->ny;
    const int nh = ny * (nx - 1), ne = nh + (ny - 1) * nx;
    const size_t ncell = (size_t)(nx - 1) * (size_t)(ny - 1);
    ms_ctx m = {g, 0, nh, NULL, NULL, NULL, NULL, NULL, 0};
    m.ea = malloc((size_t)ne * sizeof *m.ea);
    m.eb = malloc((size_t)ne * sizeof *m.eb);
    m.sa = malloc(2 * ncell * sizeof *m.sa);
    m.sb = malloc(2 * ncell * sizeof *m.sb);
    m.seen = malloc(2 * ncell);
    if (!m.ea || !m.eb || !m.sa || !m.sb || !m.seen) {
        free(m.ea), free(m.eb), free(m.sa), free(m.sb), free(m.seen);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for contour lines");
        return LSC_ENOMEM;
    }
    for (int e = 0; e < ne; e++)
        m.ea[e] = m.eb[e] = -1;
    for (int l = 0; l < nlevels; l++) {
        m.level = level[l];
        ms_segments(&m);
        ms_chain(&m, fp, tag[l]);
    }
    free(m.ea), free(m.eb), free(m.sa), free(m.sb), free(m.seen);
    return LSC_OK;
}

int plot_contours_write(plot_ctx *c, const plot_grid *g, const plot_color *pc,
                        const char *suffix)
{
    plot_file f;
    int rc = plot_open(c, suffix, &f);
    if (rc)
        return rc;
    double raw[64];
    for (int l = 0; l < pc->nlevels; l++)
        raw[l] = pc->log ? pc->levels[l] + pc->fmin - pc->eps : pc->levels[l];
    fprintf(f.fp, "# contour lines: x y level (level on the colour scale); a blank line "
                  "separates pieces\n");
    rc = plot_contours_put(f.fp, g, raw, pc->levels, pc->nlevels, c->err);
    if (rc) {
        plot_abort(&f);
        return rc;
    }
    return plot_close(c, &f);
}

/* ---- gradient field ------------------------------------------------------------------ */

int plot_quiver_write(plot_ctx *c, const lsc_landscape *L, int q, double x0, double x1,
                      double y0, double y1, const char *suffix)
{
    plot_file f;
    int rc = plot_open(c, suffix, &f);
    if (rc)
        return rc;
    fprintf(f.fp, "# arrows along -grad f, normalised: x y dx dy (tail at x, y)\n");
    const double hx = (x1 - x0) / q, hy = (y1 - y0) / q;
    const double len = 0.7 * fmin(hx, hy);
    for (int j = 0; j < q; j++)
        for (int i = 0; i < q; i++) {
            double x[2] = {x0 + (i + 0.5) * hx, y0 + (j + 0.5) * hy}, gr[2];
            if (!lsc_landscape_in_domain(L, x))
                continue;
            lsc_landscape_fdf(L, x, gr);
            double nrm = hypot(gr[0], gr[1]);
            if (!isfinite(nrm) || nrm == 0)
                continue;
            double ux = -gr[0] / nrm * len, uy = -gr[1] / nrm * len;
            fprintf(f.fp, "%.7g %.7g %.7g %.7g\n", x[0] - 0.5 * ux, x[1] - 0.5 * uy, ux, uy);
        }
    return plot_close(c, &f);
}

/* ---- critical points ----------------------------------------------------------------- */

int plot_critical_write(plot_ctx *c, const lsc_landscape *L, double x0, double x1, double y0,
                        double y1, const double *base, const double *d1, const double *d2,
                        int present[4], const char *suffix)
{
    plot_file f;
    int rc = plot_open(c, suffix, &f);
    if (rc)
        return rc;
    memset(present, 0, 4 * sizeof *present);
    const int n = L->n;
    double *xb = malloc((size_t)n * sizeof *xb);
    if (!xb) {
        plot_abort(&f);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    fprintf(f.fp, "# known critical points in view: x y kind(0 min, 1 max, 2 saddle, "
                  "3 degenerate) f\n");
    int nc = lsc_landscape_ncritical(L), count = 0;
    for (int k = 0; k < nc; k++) {
        lsc_critical cp = {.x = xb};
        lsc_landscape_critical(L, k, &cp);
        double a, b;
        if (!d1) {
            a = xb[0];
            b = xb[1];
        } else {
            /* project onto the plane; keep only points lying in it */
            double r2 = 0, s2 = 0;
            a = b = 0;
            for (int j = 0; j < n; j++) {
                double p = xb[j] - base[j];
                a += p * d1[j];
                b += p * d2[j];
            }
            for (int j = 0; j < n; j++) {
                double p = xb[j] - base[j] - a * d1[j] - b * d2[j];
                r2 += p * p;
                s2 += xb[j] * xb[j];
            }
            if (sqrt(r2) > 1e-6 * (1 + sqrt(s2)))
                continue;
        }
        if (!(a >= x0 && a <= x1 && b >= y0 && b <= y1))
            continue;
        int kind = (int)cp.kind;
        if (kind < 0 || kind > 3)
            continue;
        present[kind] = 1;
        fprintf(f.fp, "%.10g %.10g %d %.10g\n", a, b, kind, cp.f);
        count++;
    }
    free(xb);
    rc = plot_close(c, &f);
    return rc ? rc : count;
}

/* ---- principal directions --------------------------------------------------------------- *
 * Rows = recorded positions of all runs (at most 600, evenly sampled), centred on their
 * mean; M = U S V^T (GSL one-sided Jacobi SVD). The principal directions are the first
 * two right singular vectors, explained variance s_k^2 / sum s^2. When there are fewer
 * rows than coordinates, M^T = V S U^T is decomposed instead and U's columns are used. */
static int run_blew_up(const lsc_run_record *R)
{
    return R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
           R->status == LSC_STOP_FAILED;
}

/* Row k of run r is used: finite, not huge, and not of a run that blew up when others
 * did not (skip_bad). */
static int pca_row_ok(const lsc_trajectory *t, int r, size_t k, int skip_bad)
{
    if (skip_bad && run_blew_up(&t->runs[r]))
        return 0;
    const double *x = t->runs[r].x + k * (size_t)t->npos;
    int ok = 1;
    for (int j = 0; j < t->n; j++)
        ok &= isfinite(x[j]) && fabs(x[j]) < 1e150;
    return ok;
}

/* Up to 600 of the usable rows (total of them), evenly spaced, centred on their mean, into
 * rows (m x n, allocated); m: how many. */
static int pca_rows(const lsc_trajectory *t, int skip_bad, size_t total, double **rows_out,
                    size_t *m_out, lsc_error *err)
{
    const int n = t->n;
    const size_t cap = 600;
    size_t m = total < cap ? total : cap;
    double *rows = malloc(m * (size_t)n * sizeof *rows), *mean = calloc((size_t)n, sizeof *mean);
    if (!rows || !mean) {
        free(rows);
        free(mean);
        lsc_error_set(err, LSC_ENOMEM, "out of memory for slice=pca");
        return LSC_ENOMEM;
    }
    size_t idx = 0, got = 0;
    for (int r = 0; r < t->nruns; r++)
        for (size_t k = 0; k < t->runs[r].len; k++) {
            if (!pca_row_ok(t, r, k, skip_bad))
                continue;
            /* evenly spaced: keep row idx when it is the next of m samples */
            size_t want = (size_t)((double)got * (double)(total - 1) / (double)(m - 1) + 0.5);
            if (got < m && idx == want) {
                memcpy(rows + got * (size_t)n, t->runs[r].x + k * (size_t)t->npos,
                       (size_t)n * sizeof *rows);
                got++;
            }
            idx++;
        }
    m = got;
    for (size_t i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            mean[j] += rows[i * (size_t)n + j] / (double)m;
    for (size_t i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            rows[i * (size_t)n + j] -= mean[j];
    free(mean);
    *rows_out = rows;
    *m_out = m;
    return LSC_OK;
}

/* A rank-1 cloud leaves the second direction undefined (zero column): any unit vector
 * orthogonal to d1 will do. */
static void pca_second(double *d1, double *d2, int n)
{
    double nn = 0;
    for (int j = 0; j < n; j++)
        nn += d2[j] * d2[j];
    if (nn > 0.5)
        return;
    int jm = 0;
    for (int j = 1; j < n; j++)
        if (fabs(d1[j]) < fabs(d1[jm]))
            jm = j;
    for (int j = 0; j < n; j++)
        d2[j] = -d1[jm] * d1[j];
    d2[jm] += 1;
    nn = 0;
    for (int j = 0; j < n; j++)
        nn += d2[j] * d2[j];
    for (int j = 0; j < n; j++)
        d2[j] /= sqrt(nn);
}

int plot_pca(const lsc_trajectory *t, double *d1, double *d2, double *ev1, double *ev2,
             lsc_error *err)
{
    const int n = t->n;
    size_t total = 0, m;
    /* runs that blew up would make PC1 "the direction to infinity": leave them out when
     * any other run is there */
    int skip_bad = 0;
    for (int r = 0; r < t->nruns; r++)
        skip_bad |= !run_blew_up(&t->runs[r]);
    for (int r = 0; r < t->nruns; r++)
        for (size_t k = 0; k < t->runs[r].len; k++)
            total += (size_t)pca_row_ok(t, r, k, skip_bad);
    if (total < 3) {
        lsc_error_set(err, LSC_EINVAL, "slice=pca: needs at least 3 recorded finite positions "
                      "(found %zu); use slice=random or slice=axes:1,2", total);
        return LSC_EINVAL;
    }
    double *rows;
    if (pca_rows(t, skip_bad, total, &rows, &m, err) != LSC_OK)
        return LSC_ENOMEM;
    int tall = m >= (size_t)n;
    size_t R = tall ? m : (size_t)n, C = tall ? (size_t)n : m;
    gsl_matrix *A = gsl_matrix_alloc(R, C);
    gsl_matrix *V = gsl_matrix_alloc(C, C);
    gsl_vector *S = gsl_vector_alloc(C);
    int rc = LSC_OK;
    if (!A || !V || !S) {
        rc = LSC_ENOMEM;
        lsc_error_set(err, LSC_ENOMEM, "out of memory for slice=pca");
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            if (tall)
                gsl_matrix_set(A, i, (size_t)j, rows[i * (size_t)n + j]);
            else
                gsl_matrix_set(A, (size_t)j, i, rows[i * (size_t)n + j]);
    if (gsl_linalg_SV_decomp_jacobi(A, V, S) != 0) {
        rc = LSC_ESINGULAR;
        lsc_error_set(err, LSC_ESINGULAR, "slice=pca: the SVD of the positions failed");
        goto done;
    }
    double tot = 0;
    for (size_t k = 0; k < C; k++)
        tot += gsl_vector_get(S, k) * gsl_vector_get(S, k);
    if (!(tot > 0)) {
        rc = LSC_EINVAL;
        lsc_error_set(err, LSC_EINVAL, "slice=pca: the runs never move (all positions equal); "
                      "use slice=random or slice=axes:1,2");
        goto done;
    }
    for (int j = 0; j < n; j++) {
        /* tall: V's columns are the directions; wide: U's (stored in A) */
        d1[j] = tall ? gsl_matrix_get(V, (size_t)j, 0) : gsl_matrix_get(A, (size_t)j, 0);
        d2[j] = C > 1 ? (tall ? gsl_matrix_get(V, (size_t)j, 1) : gsl_matrix_get(A, (size_t)j, 1))
                      : 0;
    }
    *ev1 = gsl_vector_get(S, 0) * gsl_vector_get(S, 0) / tot;
    *ev2 = C > 1 ? gsl_vector_get(S, 1) * gsl_vector_get(S, 1) / tot : 0;
    pca_second(d1, d2, n);
done:
    gsl_matrix_free(A);
    gsl_matrix_free(V);
    gsl_vector_free(S);
    free(rows);
    return rc;
}
