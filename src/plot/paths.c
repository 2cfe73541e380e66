/* paths.c — the runs' paths on a plane (paths.h) */
#include "paths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"
#include "script.h"

void plot_paths_free(plot_path *pi, int n)
{
    for (int r = 0; pi && r < n; r++) {
        free(pi[r].step);
        free(pi[r].pa);
        free(pi[r].pb);
        free(pi[r].over);
    }
    free(pi);
}

size_t plot_finite_prefix(const lsc_trajectory *t, const lsc_run_record *R)
{
    size_t m = 0;
    for (; m < R->len; m++) {
        const double *x = R->x + m * (size_t)t->npos;
        int ok = 1;
        for (int j = 0; j < t->npos; j++)
            ok &= isfinite(x[j]) != 0;
        if (!ok)
            break;
    }
    return m;
}

size_t plot_pick(size_t k, size_t K, size_t m)
{
    if (K <= 1 || m <= 1)
        return 0;
    return (size_t)((double)k * (double)(m - 1) / (double)(K - 1) + 0.5);
}

size_t plot_rows_drawn(const plot_ctx *c, size_t m)
{
    size_t mp = (size_t)c->o->max_points;
    return (mp && m > mp) ? mp : m;
}

/* plane coordinates of x: (x_0, x_1) without a projection, else d·(x - base) */
static void project(const lsc_trajectory *t, const double *x, const double *base,
                    const double *d1, const double *d2, double *a, double *b)
{
    if (!d1) {
        *a = x[0];
        *b = x[1];
        return;
    }
    double s = 0, u = 0;
    for (int j = 0; j < t->n; j++) {
        double p = x[j] - base[j];
        s += p * d1[j];
        u += p * d2[j];
    }
    *a = s;
    *b = u;
}

static int run_blew_up(const lsc_trajectory *t, const lsc_run_record *R)
{
    return R->status == LSC_STOP_DIVERGED || R->status == LSC_STOP_DOMAIN ||
           R->status == LSC_STOP_FAILED || plot_finite_prefix(t, R) < R->len;
}

int plot_paths_bbox(const plot_ctx *c, const double *base, const double *d1, const double *d2,
                    double bb[4])
{
    const lsc_trajectory *t = c->t;
    bb[0] = bb[2] = INFINITY;
    bb[1] = bb[3] = -INFINITY;
    int any = 0;
    if (!t || t->npos < 2)
        return 0;
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        size_t m = plot_finite_prefix(t, R);
        if (run_blew_up(t, R))
            continue; /* a run that blew up would only squash the view */
        size_t K = plot_rows_drawn(c, m);
        for (size_t k = 0; k < K; k++) {
            double a, b;
            project(t, R->x + plot_pick(k, K, m) * (size_t)t->npos, base, d1, d2, &a, &b);
            if (!isfinite(a) || !isfinite(b))
                continue;
            bb[0] = fmin(bb[0], a);
            bb[1] = fmax(bb[1], a);
            bb[2] = fmin(bb[2], b);
            bb[3] = fmax(bb[3], b);
            any = 1;
        }
    }
    return any;
}

/* Where the segment from (a0,b0) (inside the view) towards (a1,b1) crosses the frame. */
static void frame_exit(const double v[4], double a0, double b0, double a1, double b1,
                       double *ae, double *be)
{
    double s = 1, da = a1 - a0, db = b1 - b0;
    if (da > 0)
        s = fmin(s, (v[1] - a0) / da);
    if (da < 0)
        s = fmin(s, (v[0] - a0) / da);
    if (db > 0)
        s = fmin(s, (v[3] - b0) / db);
    if (db < 0)
        s = fmin(s, (v[2] - b0) / db);
    s = fmax(s, 0);
    *ae = a0 + s * da;
    *be = b0 + s * db;
}

/* Overlapping paths. The view is cut into G x G cells. A stretch of a path that runs
 * along earlier paths (through cells they pass, or next to them) is drawn dashed, so the
 * earlier one shows through the gaps; crossings and the neighbourhood of its start and
 * end, where runs often meet, stay solid. */
#define OVERLAP_G 160

static int cell_of(const double v[4], double a, double b)
{
    /* compared as doubles before any conversion: a run that diverged can stand at 1e14,
     * whose cell number does not fit an int (and NaN fits nothing) */
    double fi = floor((a - v[0]) / (v[1] - v[0]) * OVERLAP_G);
    double fj = floor((b - v[2]) / (v[3] - v[2]) * OVERLAP_G);
    if (!(fi >= 0 && fj >= 0 && fi < OVERLAP_G && fj < OVERLAP_G))
        return -1;
    return (int)fj * OVERLAP_G + (int)fi;
}

/* Points every half cell along segment k of p (k = -1: the whole drawn path), calling
 * fn on each cell. */
static void segment_cells(const plot_path *p, const double v[4], int k, unsigned char *mark,
                          const unsigned char *test, long *hit, long *n)
{
    const double cw = (v[1] - v[0]) / OVERLAP_G, ch = (v[3] - v[2]) / OVERLAP_G;
    int k0 = k < 0 ? 0 : k, k1 = k < 0 ? p->draw_last : k + 1;
    for (int q = k0; q <= k1; q++) {
        double a0 = p->pa[q], b0 = p->pb[q];
        double a1 = q < k1 ? p->pa[q + 1] : a0, b1 = q < k1 ? p->pb[q + 1] : b0;
        int ns = plot_clamp_int(ceil(2 * hypot((a1 - a0) / cw, (b1 - b0) / ch)), 0,
                                4 * OVERLAP_G);
        for (int u = 0; u < ns || u == 0; u++) {
            double w = ns ? (double)u / ns : 0;
            int cc = cell_of(v, a0 + w * (a1 - a0), b0 + w * (b1 - b0));
            if (cc < 0)
                continue;
            if (mark)
                mark[cc] = 1;
            if (test) {
                (*n)++;
                *hit += test[cc];
            }
        }
        if (k >= 0)
            break;
    }
}

static int mark_overlaps(plot_ctx *c, plot_path *pi, const double v[4])
{
    const lsc_trajectory *t = c->t;
    const size_t G2 = (size_t)OVERLAP_G * OVERLAP_G;
    if (!(v[1] > v[0] && v[3] > v[2]))
        return LSC_OK;
    unsigned char *U = calloc(G2, 1), *D = calloc(G2, 1);
    if (!U || !D) {
        free(U), free(D);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    const double cw = (v[1] - v[0]) / OVERLAP_G, ch = (v[3] - v[2]) / OVERLAP_G;
    int any = 0;
    for (int r = 0; r < t->nruns; r++) {
        plot_path *p = &pi[r];
        if (p->block < 0 || !p->over)
            continue;
        const int e = p->draw_last;
        if (any && e > 0) {
            /* D: the cells of earlier paths and their neighbours */
            memset(D, 0, G2);
            for (int j = 0; j < OVERLAP_G; j++)
                for (int i = 0; i < OVERLAP_G; i++)
                    if (U[(size_t)j * OVERLAP_G + i])
                        for (int dj = -1; dj <= 1; dj++)
                            for (int di = -1; di <= 1; di++) {
                                int ii = i + di, jj = j + dj;
                                if (ii >= 0 && jj >= 0 && ii < OVERLAP_G && jj < OVERLAP_G)
                                    D[(size_t)jj * OVERLAP_G + ii] = 1;
                            }
            /* a segment is over earlier paths when most of its points are */
            double arc = 0, *len = malloc((size_t)e * sizeof *len);
            if (!len) {
                free(U), free(D);
                lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
                return LSC_ENOMEM;
            }
            for (int k = 0; k < e; k++) {
                long hit = 0, n = 0;
                segment_cells(p, v, k, NULL, D, &hit, &n);
                double am = 0.5 * (p->pa[k] + p->pa[k + 1]), bm = 0.5 * (p->pb[k] + p->pb[k + 1]);
                int nearend = hypot((am - p->pa[0]) / cw, (bm - p->pb[0]) / ch) < 6 ||
                              hypot((am - p->pa[e]) / cw, (bm - p->pb[e]) / ch) < 6;
                p->over[k] = n > 0 && 2 * hit >= n && !nearend;
                len[k] = hypot((p->pa[k + 1] - p->pa[k]) / cw, (p->pb[k + 1] - p->pb[k]) / ch);
                arc += len[k];
            }
            /* stretches shorter than 5 cells keep the neighbouring style (no flicker at
             * crossings): short dashed stretches go solid, then short solid gaps between
             * dashed stretches go dashed */
            for (int pass = 0; pass < 2; pass++) {
                int want = pass == 0 ? 1 : 0;
                for (int k = 0; k < e;) {
                    if (p->over[k] != want) {
                        k++;
                        continue;
                    }
                    int k2 = k;
                    double L = 0;
                    while (k2 < e && p->over[k2] == want)
                        L += len[k2++];
                    int inner = pass == 0 || (k > 0 && k2 < e);
                    if (L < 5 && inner)
                        for (int q = k; q < k2; q++)
                            p->over[q] = !want;
                    k = k2;
                }
            }
            for (int k = 0; k < e; k++)
                p->dashed |= p->over[k];
            free(len);
            (void)arc;
        }
        segment_cells(p, v, -1, U, NULL, NULL, NULL);
        any = 1;
    }
    free(U), free(D);
    return LSC_OK;
}

/* Pass 1 of plot_paths_write: the plane, the view, and what the runs so far gave. */
typedef struct {
    const double *base, *d1, *d2, *view;
    int exits;         /* exit arrows wanted */
    double *ex;        /* exit arrows: x y dx dy each */
    int nexit;
    double st0[64][2]; /* distinct starts */
    int nst;
    int block;         /* blocks so far */
} paths_pass;

/* Run R's K drawn rows of m, projected: steps and plane coordinates; the last row in view
 * (prev: it, after: the first row out of view after it). */
static void path_sample(const plot_ctx *c, const paths_pass *pp, plot_path *p,
                        const lsc_run_record *R, size_t K, size_t m, double prev[2],
                        double after[2])
{
    const lsc_trajectory *t = c->t;
    const double *view = pp->view;
    for (size_t k = 0; k < K; k++) {
        size_t i = plot_pick(k, K, m);
        double a, b;
        project(t, R->x + i * (size_t)t->npos, pp->base, pp->d1, pp->d2, &a, &b);
        p->step[k] = R->step[i];
        p->pa[k] = a;
        p->pb[k] = b;
        if (a >= view[0] && a <= view[1] && b >= view[2] && b <= view[3]) {
            p->last_in = (int)k;
            prev[0] = a;
            prev[1] = b;
            after[0] = after[1] = NAN;
        } else if (isnan(after[0])) {
            after[0] = a;
            after[1] = b;
        }
    }
}

/* A diverged run stops at its last point in view; when it left the view, an arrow from
 * there towards where it went, up to the frame, at most an eighth of the view's diagonal:
 * a long line across the map would look like a path. */
static void path_exit(paths_pass *pp, plot_path *p, const double prev[2],
                      const double after[2])
{
    const double *view = pp->view;
    if (!(p->diverged && p->last_in >= 0))
        return;
    p->draw_last = p->last_in;
    if (!pp->exits || p->last_in >= p->rows - 1 || isnan(after[0]))
        return;
    double ae, be;
    frame_exit(view, prev[0], prev[1], after[0], after[1], &ae, &be);
    double da = ae - prev[0], db = be - prev[1], len = hypot(da, db);
    double cap = 0.125 * hypot(view[1] - view[0], view[3] - view[2]);
    if (len > cap) {
        da *= cap / len;
        db *= cap / len;
    }
    double *e = pp->ex + 4 * pp->nexit;
    e[0] = prev[0];
    e[1] = prev[1];
    e[2] = da;
    e[3] = db;
    p->exit = pp->nexit++;
}

/* One start marker for runs that start at the same point (within 0.2% of the view). */
static void path_start(paths_pass *pp, plot_path *p)
{
    const double *view = pp->view;
    double tol = 0.002 * hypot(view[1] - view[0], view[3] - view[2]);
    for (int q = 0; q < pp->nst; q++)
        if (hypot(pp->st0[q][0] - p->pa[0], pp->st0[q][1] - p->pb[0]) <= tol)
            p->same_start = 1;
    if (!p->same_start && pp->nst < 64) {
        pp->st0[pp->nst][0] = p->pa[0];
        pp->st0[pp->nst][1] = p->pb[0];
        pp->nst++;
    }
}

/* Run r's path p: the rows drawn, projected; what is in view; its exit and start. */
static int path_make(plot_ctx *c, paths_pass *pp, int r, plot_path *p)
{
    const lsc_trajectory *t = c->t;
    const lsc_run_record *R = &t->runs[r];
    p->block = -1;
    p->last_in = -1;
    p->exit = -1;
    size_t m = plot_finite_prefix(t, R);
    p->diverged = run_blew_up(t, R);
    size_t K = plot_rows_drawn(c, m);
    if (K == 0)
        return LSC_OK;
    p->step = malloc(K * sizeof *p->step);
    p->pa = malloc(K * sizeof *p->pa);
    p->pb = malloc(K * sizeof *p->pb);
    p->over = calloc(K, 1);
    if (!p->step || !p->pa || !p->pb || !p->over) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    double prev[2] = {NAN, NAN}, after[2] = {NAN, NAN};
    path_sample(c, pp, p, R, K, m, prev, after);
    p->rows = (int)K;
    p->block = pp->block++;
    p->draw_last = p->rows - 1;
    path_exit(pp, p, prev, after);
    path_start(pp, p);
    return LSC_OK;
}

/* FIG<suffix>: the rows, a block per drawn run. */
static int write_path_rows(plot_ctx *c, const char *suffix, const plot_path *pi,
                           const plot_color *pc, int plane)
{
    const lsc_trajectory *t = c->t;
    plot_file f;
    int rc = plot_open(c, suffix, &f);
    if (rc)
        return rc;
    fprintf(f.fp, "# paths, one block per run (gnuplot index 0, 1, ...): step a b f colour "
                  "solid dashed\n# a b: %s; f: the loss there; colour: the value on the colour "
                  "scale;\n# solid, dashed: 1 where the row belongs to the solid or the dashed "
                  "part of the path (dashed: along an earlier path)\n",
            plane ? "coordinates in the slice plane" : "x y");
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        const plot_path *p = &pi[r];
        if (p->block < 0)
            continue;
        if (p->block)
            fputs("\n\n", f.fp);
        fprintf(f.fp, "# run %d\n", r);
        size_t m = plot_finite_prefix(t, R), K = (size_t)p->rows;
        for (size_t k = 0; k < K; k++) {
            size_t i = plot_pick(k, K, m);
            double fv = R->loss[i];
            double z = pc && isfinite(fv) ? plot_color_value(pc, fv) : fv;
            int kk = (int)k, e = p->draw_last;
            int dn = (kk < e && p->over[kk]) || (kk > 0 && kk <= e && p->over[kk - 1]);
            int so = (kk < e && !p->over[kk]) || (kk > 0 && kk <= e && !p->over[kk - 1]) ||
                     e == 0;
            fprintf(f.fp, "%ld %.10g %.10g %.10g %.10g %d %d\n", R->step[i], p->pa[k], p->pb[k],
                    fv, z, so, dn);
        }
    }
    return plot_close(c, &f);
}

/* FIG<exits>: the exit arrows, x y dx dy linetype. */
static int write_exits(plot_ctx *c, const char *exits, const plot_path *pi, const double *ex)
{
    plot_file fe;
    int rc = plot_open(c, exits, &fe);
    if (rc)
        return rc;
    fprintf(fe.fp, "# diverged runs that left the view: from the last point in view "
                   "towards the next point, to the frame or 1/8 of the view's "
                   "diagonal: x y dx dy linetype\n");
    for (int r = 0; r < c->t->nruns; r++)
        if (pi[r].exit >= 0) {
            const double *e = ex + 4 * pi[r].exit;
            fprintf(fe.fp, "%.10g %.10g %.10g %.10g %d\n", e[0], e[1], e[2], e[3], pi[r].lt);
        }
    return plot_close(c, &fe);
}

int plot_paths_write(plot_ctx *c, const char *suffix, const char *exits, const double *base,
                     const double *d1, const double *d2, const double view[4],
                     const plot_color *pc, int overlaps, plot_path **out, int *ngroups)
{
    const lsc_trajectory *t = c->t;
    plot_path *pi = calloc((size_t)(t->nruns > 0 ? t->nruns : 1), sizeof *pi);
    int *group = malloc((size_t)(t->nruns + 1) * sizeof *group);
    int *first = malloc((size_t)(t->nruns + 1) * sizeof *first);
    int *lt = malloc((size_t)(t->nruns + 1) * sizeof *lt);
    paths_pass pp = {base, d1, d2, view, exits != NULL, NULL, 0, {{0}}, 0, 0};
    pp.ex = malloc((size_t)(t->nruns + 1) * 4 * sizeof *pp.ex);
    int rc = LSC_OK;
    if (!pi || !group || !first || !lt || !pp.ex) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        rc = LSC_ENOMEM;
    }
    if (rc == LSC_OK) {
        *ngroups = plot_run_groups(t, group, first);
        plot_group_colours(t, first, *ngroups, lt);
    }
    /* pass 1: the rows drawn, projected; what is in view */
    for (int r = 0; r < t->nruns && rc == LSC_OK; r++) {
        plot_path *p = &pi[r];
        p->group = group[r];
        p->lt = lt[group[r]];
        p->titled = first[group[r]] == r;
        rc = path_make(c, &pp, r, p);
    }
    if (rc == LSC_OK && overlaps && !plot_is_text(c))
        rc = mark_overlaps(c, pi, view);
    /* pass 2: the files */
    if (rc == LSC_OK)
        rc = write_path_rows(c, suffix, pi, pc, d1 != NULL);
    if (rc == LSC_OK && exits && pp.nexit > 0)
        rc = write_exits(c, exits, pi, pp.ex);
    free(group), free(first), free(lt), free(pp.ex);
    if (rc) {
        if (pi)
            plot_paths_free(pi, t->nruns);
        return rc;
    }
    *out = pi;
    return LSC_OK;
}

int plot_any_diverged(const plot_ctx *c, const plot_path *pi)
{
    for (int r = 0; c->t && r < c->t->nruns; r++)
        if (pi[r].diverged && pi[r].block >= 0 && pi[r].exit < 0)
            return 1;
    return 0;
}

int plot_any_exit(const plot_ctx *c, const plot_path *pi)
{
    for (int r = 0; c->t && r < c->t->nruns; r++)
        if (pi[r].exit >= 0)
            return 1;
    return 0;
}
