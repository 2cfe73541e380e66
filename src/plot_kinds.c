/* plot_kinds.c — one emitter per figure kind: its data files, then the script's
 * settings and plot commands (after plot_script_begin wrote header, style, terminal) */
#include "plot_priv.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "lsc_version.h"

/* ---- plot clause lists ------------------------------------------------------------------ */

typedef struct {
    plot_ctx *c;
    const char *cmd; /* "plot" or "splot" */
    int n;
} clauses;

static void cl_next(clauses *k)
{
    if (k->n++)
        plot_printf(k->c, ", \\\n     ");
    else
        plot_printf(k->c, "%s ", k->cmd);
}

static void cl_end(clauses *k)
{
    if (k->n)
        plot_printf(k->c, "\n");
    k->n = 0;
}

/* ---- paths ------------------------------------------------------------------------------ */

typedef struct {
    int block;    /* index block in the paths file; -1: nothing drawn */
    int rows;     /* rows written */
    int last_in;  /* last written row inside the view, -1 if none */
    int diverged; /* diverged, left the domain, or the optimizer failed */
    int group;    /* legend group (runs with the same legend share one) */
    int lt;       /* colour: line type 1-8 of the style */
    int titled;   /* carries the group's legend entry */
    int draw_last; /* last row drawn: a diverged run stops at its last point in view */
    int exit;     /* row of the exit arrow in FIG.exits.tsv (the diverged run left the
                     view there), -1 none */
    int same_start; /* its start is an earlier drawn run's start: one marker for both */
    int dashed;   /* some stretch runs along an earlier run's path: drawn dashed there */
    unsigned char *over; /* per segment (row k to k+1): dashed */
    long *step;   /* step of each written row */
    double *pa, *pb; /* plane coordinates of each written row */
} path_info;

static void paths_free(path_info *pi, int n)
{
    for (int r = 0; pi && r < n; r++) {
        free(pi[r].step);
        free(pi[r].pa);
        free(pi[r].pb);
        free(pi[r].over);
    }
    free(pi);
}

/* Number of leading rows whose coordinates are all finite (drawn up to there). */
static size_t finite_prefix(const lsc_trajectory *t, const lsc_run_record *R)
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

/* k-th of K rows sampled evenly from m, first and last kept */
static size_t pick(size_t k, size_t K, size_t m)
{
    if (K <= 1 || m <= 1)
        return 0;
    return (size_t)((double)k * (double)(m - 1) / (double)(K - 1) + 0.5);
}

static size_t rows_drawn(const plot_ctx *c, size_t m)
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
           R->status == LSC_STOP_FAILED || finite_prefix(t, R) < R->len;
}

/* Bounding box of the drawn points (projected), for widening the view. */
static int paths_bbox(const plot_ctx *c, const double *base, const double *d1, const double *d2,
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
        size_t m = finite_prefix(t, R);
        if (run_blew_up(t, R))
            continue; /* a run that blew up would only squash the view */
        size_t K = rows_drawn(c, m);
        for (size_t k = 0; k < K; k++) {
            double a, b;
            project(t, R->x + pick(k, K, m) * (size_t)t->npos, base, d1, d2, &a, &b);
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
static void segment_cells(const path_info *p, const double v[4], int k, unsigned char *mark,
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

static int mark_overlaps(plot_ctx *c, path_info *pi, const double v[4])
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
        path_info *p = &pi[r];
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

/* Writes FIG<suffix>: one block per drawn run (two blank lines between blocks), columns
 * step a b f colour(f) solid dashed (the last two: 1 when the row belongs to the solid,
 * or the dashed, part of the path). With exits (a suffix, or NULL), a diverged run that
 * left the view is drawn up to its last point in view, and FIG<exits> gets a short arrow
 * from there towards where it went (ending at the frame, or after an eighth of the view's
 * diagonal): x y dx dy linetype, one row per such run.
 * overlaps: dash the stretches that run along earlier paths (2-D maps). */
static int write_paths(plot_ctx *c, const char *suffix, const char *exits, const double *base,
                       const double *d1, const double *d2, const double view[4],
                       const plot_color *pc, int overlaps, path_info **out, int *ngroups)
{
    const lsc_trajectory *t = c->t;
    path_info *pi = calloc((size_t)(t->nruns > 0 ? t->nruns : 1), sizeof *pi);
    int *group = malloc((size_t)(t->nruns + 1) * sizeof *group);
    int *first = malloc((size_t)(t->nruns + 1) * sizeof *first);
    int *lt = malloc((size_t)(t->nruns + 1) * sizeof *lt);
    double *ex = malloc((size_t)(t->nruns + 1) * 4 * sizeof *ex);
    int rc = LSC_OK;
    if (!pi || !group || !first || !lt || !ex) {
        free(pi), free(group), free(first), free(lt), free(ex);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    *ngroups = plot_run_groups(t, group, first);
    plot_group_colours(t, first, *ngroups, lt);
    /* pass 1: the rows drawn, projected; what is in view */
    int block = 0, nexit = 0;
    double st0[64][2];
    int nst = 0;
    for (int r = 0; r < t->nruns && rc == LSC_OK; r++) {
        const lsc_run_record *R = &t->runs[r];
        path_info *p = &pi[r];
        p->group = group[r];
        p->lt = lt[group[r]];
        p->titled = first[group[r]] == r;
        p->block = -1;
        p->last_in = -1;
        p->exit = -1;
        size_t m = finite_prefix(t, R);
        p->diverged = run_blew_up(t, R);
        size_t K = rows_drawn(c, m);
        if (K == 0)
            continue;
        p->step = malloc(K * sizeof *p->step);
        p->pa = malloc(K * sizeof *p->pa);
        p->pb = malloc(K * sizeof *p->pb);
        p->over = calloc(K, 1);
        if (!p->step || !p->pa || !p->pb || !p->over) {
            rc = LSC_ENOMEM;
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            break;
        }
        double prev[2] = {NAN, NAN}, after[2] = {NAN, NAN};
        for (size_t k = 0; k < K; k++) {
            size_t i = pick(k, K, m);
            double a, b;
            project(t, R->x + i * (size_t)t->npos, base, d1, d2, &a, &b);
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
        p->rows = (int)K;
        p->block = block++;
        p->draw_last = p->rows - 1;
        if (p->diverged && p->last_in >= 0) {
            p->draw_last = p->last_in;
            if (exits && p->last_in < p->rows - 1 && !isnan(after[0])) {
                /* towards where it went, up to the frame, at most an eighth of the view's
                 * diagonal: a long line across the map would look like a path */
                double ae, be;
                frame_exit(view, prev[0], prev[1], after[0], after[1], &ae, &be);
                double da = ae - prev[0], db = be - prev[1], len = hypot(da, db);
                double cap = 0.125 * hypot(view[1] - view[0], view[3] - view[2]);
                if (len > cap) {
                    da *= cap / len;
                    db *= cap / len;
                }
                ex[4 * nexit] = prev[0];
                ex[4 * nexit + 1] = prev[1];
                ex[4 * nexit + 2] = da;
                ex[4 * nexit + 3] = db;
                p->exit = nexit++;
            }
        }
        /* one start marker for runs that start at the same point (within 0.2% of the
         * view) */
        double tol = 0.002 * hypot(view[1] - view[0], view[3] - view[2]);
        for (int q = 0; q < nst; q++)
            if (hypot(st0[q][0] - p->pa[0], st0[q][1] - p->pb[0]) <= tol)
                p->same_start = 1;
        if (!p->same_start && nst < 64) {
            st0[nst][0] = p->pa[0];
            st0[nst][1] = p->pb[0];
            nst++;
        }
    }
    free(group);
    free(first);
    if (rc == LSC_OK && overlaps && !plot_is_text(c))
        rc = mark_overlaps(c, pi, view);
    /* pass 2: the file */
    plot_file f;
    if (rc == LSC_OK)
        rc = plot_open(c, suffix, &f);
    if (rc) {
        paths_free(pi, t->nruns);
        free(lt), free(ex);
        return rc;
    }
    fprintf(f.fp, "# paths, one block per run (gnuplot index 0, 1, ...): step a b f colour "
                  "solid dashed\n# a b: %s; f: the loss there; colour: the value on the colour "
                  "scale;\n# solid, dashed: 1 where the row belongs to the solid or the dashed "
                  "part of the path (dashed: along an earlier path)\n",
            d1 ? "coordinates in the slice plane" : "x y");
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        const path_info *p = &pi[r];
        if (p->block < 0)
            continue;
        if (p->block)
            fputs("\n\n", f.fp);
        fprintf(f.fp, "# run %d\n", r);
        size_t m = finite_prefix(t, R), K = (size_t)p->rows;
        for (size_t k = 0; k < K; k++) {
            size_t i = pick(k, K, m);
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
    rc = plot_close(c, &f);
    if (!rc && exits && nexit > 0) {
        plot_file fe;
        rc = plot_open(c, exits, &fe);
        if (!rc) {
            fprintf(fe.fp, "# diverged runs that left the view: from the last point in view "
                           "towards the next point, to the frame or 1/8 of the view's "
                           "diagonal: x y dx dy linetype\n");
            for (int r = 0; r < t->nruns; r++)
                if (pi[r].exit >= 0) {
                    const double *e = ex + 4 * pi[r].exit;
                    fprintf(fe.fp, "%.10g %.10g %.10g %.10g %d\n", e[0], e[1], e[2], e[3],
                            pi[r].lt);
                }
            rc = plot_close(c, &fe);
        }
    }
    free(lt), free(ex);
    if (rc) {
        paths_free(pi, t->nruns);
        return rc;
    }
    *out = pi;
    return LSC_OK;
}

static int any_diverged(const plot_ctx *c, const path_info *pi)
{
    for (int r = 0; c->t && r < c->t->nruns; r++)
        if (pi[r].diverged && pi[r].block >= 0 && pi[r].exit < 0)
            return 1;
    return 0;
}

static int any_exit(const plot_ctx *c, const path_info *pi)
{
    for (int r = 0; c->t && r < c->t->nruns; r++)
        if (pi[r].exit >= 0)
            return 1;
    return 0;
}

/* Paths with halo, start and end markers. using: "2:3" (2-D) or "2:3:5" (3-D); exits:
 * the exit arrows' file (2-D only) or NULL. Later groups are drawn thinner, their end
 * markers smaller (LW_PATH_RUN, PS_END_RUN of the style), so coinciding paths and ends
 * stay visible. */
static void emit_paths(plot_ctx *c, clauses *k, const char *paths_name, const path_info *pi,
                       const char *using, int halo, const char *exits)
{
    const lsc_trajectory *t = c->t;
    char leg[LSC_VALUE_MAX];
    const int text = plot_is_text(c);
    if (halo && !text) {
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            cl_next(k);
            plot_fileref(c, paths_name);
            plot_printf(c, " index %d every ::0::%d using %s with lines lc rgb C_HALO "
                        "lw LW_PATH_RUN(%d)+LW_HALO notitle", pi[r].block, pi[r].draw_last,
                        using, pi[r].group);
        }
        for (int r = 0; exits && r < t->nruns; r++) {
            if (pi[r].exit < 0)
                continue;
            cl_next(k);
            plot_fileref(c, exits);
            plot_printf(c, " every ::%d::%d using 1:2:3:4 with vectors nohead lc rgb C_HALO "
                        "lw LW_PATH_RUN(%d)+LW_HALO notitle", pi[r].exit, pi[r].exit,
                        pi[r].group);
        }
    }
    for (int r = 0; r < t->nruns; r++) {
        if (pi[r].block < 0)
            continue;
        cl_next(k);
        plot_fileref(c, paths_name);
        const char *lw = halo ? "LW_PATH_RUN" : "LW_CURVE_RUN";
        if (pi[r].dashed) { /* the dashed stretches, then the solid ones (with the title) */
            plot_printf(c, " index %d every ::0::%d using 2:($7 > 0 ? $3 : NaN)%s with lines "
                        "lt %d lw %s(%d) dt DT_OVER notitle", pi[r].block, pi[r].draw_last,
                        strlen(using) > 3 ? ":5" : "", pi[r].lt, lw, pi[r].group);
            cl_next(k);
            plot_fileref(c, paths_name);
            plot_printf(c, " index %d every ::0::%d using 2:($6 > 0 ? $3 : NaN)%s with lines "
                        "lt %d lw %s(%d) ", pi[r].block, pi[r].draw_last,
                        strlen(using) > 3 ? ":5" : "", pi[r].lt, lw, pi[r].group);
        } else {
            plot_printf(c, " index %d every ::0::%d using %s with lines lt %d lw %s(%d) ",
                        pi[r].block, pi[r].draw_last, using, pi[r].lt, lw, pi[r].group);
        }
        if (pi[r].titled) {
            plot_run_legend(t, r, leg, sizeof leg);
            plot_printf(c, "title ");
            plot_str(c, leg);
            plot_printf(c, " noenhanced");
        } else {
            plot_printf(c, "notitle");
        }
        if (exits && pi[r].exit >= 0) {
            cl_next(k);
            plot_fileref(c, exits);
            plot_printf(c, " every ::%d::%d using 1:2:3:4 with vectors head filled size "
                        "screen 0.015,25 lt %d dt DT_EXIT lw LW_PATH_RUN(%d) notitle",
                        pi[r].exit, pi[r].exit, pi[r].lt, pi[r].group);
        }
    }
    /* starts: one neutral marker per distinct start */
    for (int r = 0; r < t->nruns; r++) {
        if (pi[r].block < 0 || pi[r].same_start)
            continue;
        if (!text) {
            cl_next(k);
            plot_fileref(c, paths_name);
            plot_printf(c, " index %d every ::0::0 using %s with points pt PT_START_FILL "
                        "ps PS_START lc rgb C_START_FILL notitle", pi[r].block, using);
        }
        cl_next(k);
        plot_fileref(c, paths_name);
        plot_printf(c, " index %d every ::0::0 using %s with points pt PT_START ps PS_START "
                    "lw 1.5 lc rgb C_START_EDGE notitle", pi[r].block, using);
    }
    /* ends: a filled circle, smaller for later runs; a cross where a diverged run's last
     * finite point is in view; nothing where it left the view (the arrow shows it) */
    for (int r = 0; r < t->nruns; r++) {
        if (pi[r].block < 0 || pi[r].exit >= 0)
            continue;
        int e = pi[r].diverged ? pi[r].last_in : pi[r].rows - 1;
        if (e < 0)
            continue;
        cl_next(k);
        plot_fileref(c, paths_name);
        if (pi[r].diverged)
            plot_printf(c, " index %d every ::%d::%d using %s with points lt %d pt PT_DIVERGED "
                        "ps PS_RUN lw 2 notitle", pi[r].block, e, e, using, pi[r].lt);
        else
            plot_printf(c, " index %d every ::%d::%d using %s with points lt %d pt PT_END "
                        "ps PS_END_RUN(%d) notitle", pi[r].block, e, e, using, pi[r].lt,
                        pi[r].group);
    }
}

/* ---- landscape layers ------------------------------------------------------------------ */

static const char *const cp_label[4] = {"minimum", "maximum", "saddle point",
                                        "degenerate critical point"};
static const char *const cp_pt[4] = {"PT_MIN", "PT_MAX", "PT_SADDLE", "PT_DEGEN"};

/* ---- legend panel --------------------------------------------------------------------------
 * Single-map figures put their key in a panel of its own along the bottom (a plot with
 * nothing but key entries), so the key can never squeeze or cover the map, whatever the
 * canvas size. */

#define LEG_MAX 40

typedef struct {
    int n;
    char style[LEG_MAX][128];
    char text[LEG_MAX][160];
    int user[LEG_MAX]; /* text came from a user: quoted, noenhanced */
    int essential[LEG_MAX];
} legend;

static void leg_add(legend *L, const char *style, const char *text, int user, int essential)
{
    if (L->n >= LEG_MAX)
        return;
    plot_spf(L->style[L->n], sizeof L->style[0], "%s", style);
    plot_spf(L->text[L->n], sizeof L->text[0], "%s", text);
    L->user[L->n] = user;
    L->essential[L->n] = essential;
    L->n++;
}

static void leg_runs(const plot_ctx *c, legend *L, const path_info *pi)
{
    char st[128], leg[LSC_VALUE_MAX];
    for (int r = 0; pi && r < c->t->nruns; r++) {
        if (pi[r].block < 0 || !pi[r].titled)
            continue;
        plot_spf(st, sizeof st, "with lines lt %d lw LW_PATH", pi[r].lt);
        plot_run_legend(c->t, r, leg, sizeof leg);
        leg_add(L, st, leg, 1, 1);
    }
}

/* Marker explanations: start, end (or current), diverged (cross at the last finite point
 * in view), diverged and left the view (dashed arrow). */
static void leg_markers(legend *L, int diverged, int exits, int current)
{
    leg_add(L, "with points pt PT_START ps PS_START lw 1.5 lc rgb C_START_EDGE", "start", 0,
            0);
    if (current)
        leg_add(L, "with points pt PT_CURRENT ps PS_RUN lc rgb '#000000'", "current", 0, 0);
    else
        leg_add(L, "with points pt PT_END ps PS_RUN lc rgb '#000000'", "end", 0, 0);
    if (diverged)
        leg_add(L, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'", "diverged", 0,
                1);
    if (exits)
        leg_add(L, "with vectors head filled size screen 0.012,25 dt DT_EXIT lw 2 "
                "lc rgb '#000000'", "diverged, off the map", 0, 1);
}

static void leg_critical(legend *L, const int present[4])
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    char st[128];
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        plot_spf(st, sizeof st, "with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5",
                 cp_pt[kind]);
        leg_add(L, st, cp_label[kind], 0, 0);
    }
}

/* Columns and height (screen fraction) of the legend panel; drops the marker
 * explanations when the key would take more than a third of a small canvas. */
static double leg_layout(const plot_ctx *c, legend *L, int *cols)
{
    const int text = plot_is_text(c);
    const double em = plot_em(c);
    for (int pass = 0; pass < 2; pass++) {
        double maxw = 3;
        for (int i = 0; i < L->n; i++) {
            /* gnuplot sizes key columns by character count, about 0.65 em a character
             * with the default font (and 3.6 em for the sample and gaps): whichever is
             * wider, so it never fits fewer columns than asked for */
            double w = text ? (double)strlen(L->text[i])
                            : fmax(plot_text_em(L->text[i]), 0.65 * (double)strlen(L->text[i]));
            maxw = w > maxw ? w : maxw;
        }
        double colw = text ? maxw + 8 : (maxw + 3.6) * em;
        int k = (int)((c->width - 2 * em) / colw);
        k = k < 1 ? 1 : k > L->n ? L->n : k;
        int rows = L->n ? (L->n + k - 1) / k : 0;
        /* a key row is about 1.4 em high at the style's key spacing; 0.7 em above and
         * below */
        double h = text ? (rows + 1.0) / c->height : (rows * 1.4 + 1.4) * em / c->height;
        if (h <= 0.18 || pass == 1) {
            *cols = k;
            return L->n ? h : 0;
        }
        int w = 0;
        for (int i = 0; i < L->n; i++)
            if (L->essential[i]) {
                if (w != i) {
                    memcpy(L->style[w], L->style[i], sizeof L->style[0]);
                    memcpy(L->text[w], L->text[i], sizeof L->text[0]);
                    L->user[w] = L->user[i];
                    L->essential[w] = 1;
                }
                w++;
            }
        L->n = w;
    }
    *cols = 1;
    return 0;
}

static void leg_panel(plot_ctx *c, const legend *L, double y0, double h, int cols)
{
    if (L->n == 0)
        return;
    plot_printf(c, "\n# legend\n");
    plot_printf(c, "set origin 0, %.4f\nset size noratio 1, %.4f\n", y0, h);
    plot_printf(c, "unset border; unset tics; unset xlabel; unset ylabel; unset colorbox; "
                   "unset label 1\n"
                   "set lmargin 0; set rmargin 0; set tmargin 0; set bmargin 0\n"
                   "set xrange [0:1]; set yrange [0:1]; unset logscale\n");
    /* rows centred in the panel (a key centred by gnuplot sits low, against the caption:
     * its box has room for a title): the first row's middle is 0.6 em below the top given,
     * the rows 1.34 em apart */
    if (plot_is_text(c)) {
        plot_printf(c, "set key center center horizontal Left reverse maxcols %d width 1\n",
                    cols);
    } else {
        int rows = (L->n + cols - 1) / cols;
        double top = y0 + 0.5 * h + ((rows - 1) * 1.34 / 2 + 0.7) * plot_em(c) / c->height;
        plot_printf(c, "set key at screen 0.5, screen %.4f center top horizontal Left reverse "
                    "maxcols %d width 1\n", top, cols);
    }
    clauses k = {c, "plot", 0};
    for (int i = 0; i < L->n; i++) {
        cl_next(&k);
        plot_printf(c, "keyentry %s title ", L->style[i]);
        plot_str(c, L->text[i]);
        if (L->user[i])
            plot_printf(c, " noenhanced");
    }
    cl_next(&k);
    plot_printf(c, "NaN notitle");
    cl_end(&k);
}

/* Space at the top for the multiplot title. */
static double title_h(const plot_ctx *c)
{
    if (!c->title[0])
        return plot_is_text(c) ? 0 : 0.4 * plot_font_size(c) / c->height;
    return plot_is_text(c) ? 2.0 / c->height : 2.4 * plot_font_size(c) * 1.15 / c->height;
}

static void emit_critical(plot_ctx *c, clauses *k, const char *cp_name, const int present[4],
                          const char *zexpr)
{
    static const int order[4] = {LSC_CP_MIN, LSC_CP_SADDLE, LSC_CP_MAX, LSC_CP_DEGENERATE};
    for (int q = 0; q < 4; q++) {
        int kind = order[q];
        if (!present[kind])
            continue;
        char u[64];
        if (zexpr)
            plot_spf(u, sizeof u, "1:($3==%d?$2:NaN):(%s)", kind, zexpr);
        else
            plot_spf(u, sizeof u, "1:($3==%d?$2:NaN)", kind);
        if (!plot_is_text(c)) {
            cl_next(k);
            plot_fileref(c, cp_name);
            plot_printf(c, " using %s with points pt %s lc rgb C_CRIT_FILL ps PS_CRIT notitle",
                        u, cp_pt[kind]);
        }
        cl_next(k);
        plot_fileref(c, cp_name);
        plot_printf(c, " using %s with points pt %s_OPEN lc rgb C_CRIT_EDGE ps PS_CRIT lw 1.5 "
                    "notitle", u, cp_pt[kind]);
    }
}

static void emit_grid_source(plot_ctx *c, const plot_grid *g, const char *name, int three_d)
{
    char a[32], b[32], dx[32], dy[32];
    plot_fileref(c, name);
    plot_printf(c, " binary array=(%d,%d) format='%%float32' endian=little origin=(%s,%s%s) "
                "dx=%s dy=%s", g->nx, g->ny, plot_num(a, g->x0), plot_num(b, g->y0),
                three_d ? ",0" : "", plot_num(dx, (g->x1 - g->x0) / (g->nx - 1)),
                plot_num(dy, (g->y1 - g->y0) / (g->ny - 1)));
}

/* Small figures get a short colour-box label; the constants go to the caption. */
static int colour_label_short(const plot_ctx *c)
{
    return !plot_is_text(c) && c->height < 600;
}

/* The caption's note on the colour scale, when the colour box label is the short one. */
static void colour_note(const plot_ctx *c, const plot_color *pc, char *buf, size_t len)
{
    buf[0] = '\0';
    if (pc->log && colour_label_short(c))
        plot_spf(buf, len, "Colour: log scale of %s, %s = %.6g, %s = %.3g.",
                 pc->known_min ? plot_sym(c, "f − f* + ε", "f - f* + eps", "f - f* + eps")
                               : plot_sym(c, "f − fmin + ε", "f - fmin + eps", "f - fmin + eps"),
                 pc->known_min ? "f*" : "fmin", pc->fmin,
                 plot_sym(c, "ε", "eps", "eps"), pc->eps);
}

/* Colour-scale settings and the COLOR() function the plot commands use. */
static void emit_colour_scale(plot_ctx *c, const plot_color *pc, int cb, const char *axis)
{
    char a[32], b[32];
    if (strcmp(axis, "cb")) {
        /* z of a surface: the same scale as the colours, unlabelled (the colour box is) */
    } else if (pc->log) {
        plot_printf(c, "FMIN = %s; EPS = %s\nCOLOR(f) = f - FMIN + EPS\n",
                    plot_num(a, pc->fmin), plot_num(b, pc->eps));
    } else if (!strcmp(axis, "cb")) {
        plot_printf(c, "COLOR(f) = f\n");
    }
    if (!cb)
        return;
    plot_printf(c, "set %srange [%s:%s]\n", axis, plot_num(a, pc->lo), plot_num(b, pc->hi));
    if (pc->log) {
        plot_printf(c, "set logscale %s 10\n", axis);
        if (pc->hi / pc->lo >= 100)
            plot_printf(c, "set format %s '%s'\n", axis,
                        plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
        else
            plot_printf(c, "set format %s '%%g'\n", axis);
    }
    /* label: honest about the transformation (details in the caption when small) */
    char lab[256], e1[32], fm[32];
    if (pc->log && colour_label_short(c)) {
        plot_spf(lab, sizeof lab, "%s", pc->known_min
                 ? plot_sym(c, "f(x) − f* + ε", "$f(x) - f^* + \\varepsilon$", "f - f* + eps")
                 : plot_sym(c, "f(x) − f_{min} + ε", "$f(x) - f_{\\min} + \\varepsilon$",
                            "f - fmin + eps"));
    } else if (pc->log) {
        int k = plot_clamp_int(round(log10(pc->eps)), -999, 999);
        plot_spf(e1, sizeof e1, c->term == TERM_TEX ? "$10^{%d}$" : c->term == TERM_DUMB ?
                 "1e%d" : "10^{%d}", k);
        plot_spf(fm, sizeof fm, "%.6g", pc->fmin);
        if (c->term == TERM_TEX)
            plot_spf(lab, sizeof lab, "$f(x) - %s + \\varepsilon$ ($%s = %s$, $\\varepsilon$ = %s)",
                     pc->known_min ? "f^*" : "f_{\\min}", pc->known_min ? "f^*" : "f_{\\min}",
                     fm, e1);
        else if (c->term == TERM_DUMB)
            plot_spf(lab, sizeof lab, "f - %s + eps (%s = %s, eps = %s)",
                     pc->known_min ? "f*" : "fmin", pc->known_min ? "f*" : "fmin", fm, e1);
        else
            plot_spf(lab, sizeof lab, "f(x) − %s + ε   (%s = %s, ε = %s)",
                     pc->known_min ? "f*" : "f_{min}", pc->known_min ? "f*" : "f_{min}", fm, e1);
    } else {
        plot_spf(lab, sizeof lab, "%s", plot_sym(c, "f(x)", "$f(x)$", "f(x)"));
    }
    if (!strcmp(axis, "cb"))
        plot_printf(c, "set %slabel '%s' enhanced offset 1,0\n", axis, lab);
}

/* The view box: limits, else the landscape's box widened to the paths of the runs that
 * did not blow up (at most by half the box size on each side). */
static void map_view(const plot_ctx *c, double v[4])
{
    const lsc_plot_opts *o = c->o;
    double lo[2], hi[2];
    lsc_landscape_box(c->L, lo, hi);
    v[0] = lo[0];
    v[1] = hi[0];
    v[2] = lo[1];
    v[3] = hi[1];
    double bb[4];
    if (paths_bbox(c, NULL, NULL, NULL, bb)) {
        double wx = v[1] - v[0], wy = v[3] - v[2];
        v[0] = fmin(v[0], fmax(bb[0] - 0.05 * wx, lo[0] - 0.5 * wx));
        v[1] = fmax(v[1], fmin(bb[1] + 0.05 * wx, hi[0] + 0.5 * wx));
        v[2] = fmin(v[2], fmax(bb[2] - 0.05 * wy, lo[1] - 0.5 * wy));
        v[3] = fmax(v[3], fmin(bb[3] + 0.05 * wy, hi[1] + 0.5 * wy));
    }
    if (isfinite(o->xlim[0])) {
        v[0] = o->xlim[0];
        v[1] = o->xlim[1];
    }
    if (isfinite(o->ylim[0])) {
        v[2] = o->ylim[0];
        v[3] = o->ylim[1];
    }
}

static void auto_title(const plot_ctx *c, const path_info *pi, int ngroups, char *buf,
                       size_t len)
{
    char ls[LSC_VALUE_MAX];
    plot_short_landscape(c->L, c->t ? c->t->landscape : NULL, ls, sizeof ls);
    if (c->t && ngroups == 1 && pi) {
        for (int r = 0; r < c->t->nruns; r++)
            if (pi[r].titled) {
                char leg[LSC_VALUE_MAX];
                plot_run_legend(c->t, r, leg, sizeof leg);
                plot_spf(buf, len, "%s%s%s", ls, plot_sym(c, " — ", " -- ", " - "), leg);
                return;
            }
    }
    plot_spf(buf, len, "%s", ls);
}

static void emit_axis_labels(plot_ctx *c, const char *x, const char *y)
{
    const lsc_plot_opts *o = c->o;
    plot_printf(c, "set xlabel ");
    plot_str(c, o->xlabel[0] ? o->xlabel : x);
    plot_printf(c, " noenhanced\nset ylabel ");
    plot_str(c, o->ylabel[0] ? o->ylabel : y);
    plot_printf(c, " noenhanced\n");
}

static int need_2d(const plot_ctx *c)
{
    if (c->L->n != 2) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=%s: needs a 2-D landscape ('%s' has %d "
                      "dimensions); use kind=slice", lsc_plot_kind_name(c->kind),
                      c->L->type->name, c->L->n);
        return LSC_EINVAL;
    }
    if (c->t && c->t->nruns > 0 && c->t->npos < 2) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=%s: the trajectory has no positions (recorded "
                      "with positions=%s); use kind=curves", lsc_plot_kind_name(c->kind),
                      c->t->npos == 0 ? "none" : "first:1");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* The 2-D map data shared by contour and animation: grid, colour, contours, quiver,
 * critical points, paths. */
typedef struct {
    double v[4];
    plot_grid g;
    plot_color pc;
    int present[4];
    int ncp;
    path_info *pi;
    int ngroups;
    char grid_name[64], cont_name[64], quiv_name[64], cp_name[64], paths_name[64];
} map_data;

static void map_free(plot_ctx *c, map_data *m)
{
    plot_grid_free(&m->g);
    paths_free(m->pi, c->t ? c->t->nruns : 0);
    m->pi = NULL;
}

static int map_build(plot_ctx *c, map_data *m, int grid_default)
{
    const lsc_plot_opts *o = c->o;
    memset(m, 0, sizeof *m);
    map_view(c, m->v);
    int n = o->grid ? o->grid : grid_default;
    int rc = plot_grid_eval(&m->g, c->L, n, n, m->v[0], m->v[1], m->v[2], m->v[3], NULL, NULL,
                            NULL, c->err);
    if (rc)
        return rc;
    plot_spf(m->grid_name, sizeof m->grid_name, ".grid.f32");
    if (!plot_is_text(c) && (rc = plot_grid_write(c, &m->g, ".grid.f32")))
        return rc;
    plot_color_setup(&m->pc, &m->g, c->L, c->t, o->log_color, o->contours);
    if (m->pc.nlevels > 0 && (rc = plot_contours_write(c, &m->g, &m->pc, ".contour.tsv")))
        return rc;
    if (o->quiver && (rc = plot_quiver_write(c, c->L, o->quiver_n, m->v[0], m->v[1], m->v[2],
                                             m->v[3], ".quiver.tsv")))
        return rc;
    rc = plot_critical_write(c, c->L, m->v[0], m->v[1], m->v[2], m->v[3], NULL, NULL, NULL,
                             m->present, ".cp.tsv");
    if (rc < 0)
        return rc;
    m->ncp = rc;
    if (c->t && c->t->nruns > 0 &&
        (rc = write_paths(c, ".paths.tsv", ".exits.tsv", NULL, NULL, NULL, m->v, &m->pc,
                          c->kind != LSC_PLOT_ANIMATION, &m->pi, &m->ngroups)))
        return rc;
    return LSC_OK;
}

/* name of a data file as referenced in the script */
static const char *fname(const plot_ctx *c, const char *suffix, char *buf, size_t len)
{
    plot_spf(buf, len, "%s%s", c->stem, suffix);
    return buf;
}

static void emit_map_layers(plot_ctx *c, clauses *k, const map_data *m)
{
    char nm[LSC_PLOT_PATH_MAX + 32];
    if (!plot_is_text(c)) {
        cl_next(k);
        emit_grid_source(c, &m->g, fname(c, ".grid.f32", nm, sizeof nm), 0);
        plot_printf(c, " using (COLOR($1)) with image notitle");
    }
    if (m->pc.nlevels > 0) {
        cl_next(k);
        plot_fileref(c, fname(c, ".contour.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2 with lines lc rgb %s lw LW_CONTOUR notitle",
                    plot_is_text(c) ? "C_CONTOUR_DUMB" : "C_CONTOUR");
    }
    if (c->o->quiver) {
        cl_next(k);
        plot_fileref(c, fname(c, ".quiver.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2:3:4 with vectors arrowstyle 1 notitle");
    }
}

static void emit_map_settings(plot_ctx *c, const map_data *m)
{
    char a[32], b[32];
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, m->v[0]), plot_num(b, m->v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, m->v[2]), plot_num(b, m->v[3]));
    emit_colour_scale(c, &m->pc, !plot_is_text(c), "cb");
    plot_printf(c, "set tics front\n");
    if (plot_is_text(c))
        plot_printf(c, "unset colorbox\n");
}

/* The map panel of a multiplot: from y0 up to the title, aspect ratio 1 (x and y share
 * units), frame restored after a legend panel. */
static void emit_map_panel(plot_ctx *c, const map_data *m, double y0, const char *indent)
{
    double top = 1 - title_h(c);
    plot_printf(c, "%sset origin 0, %.4f\n%sset size ratio -1 1, %.4f\n", indent, y0, indent,
                top - y0);
    plot_printf(c, "%sset lmargin -1; set rmargin -1; set tmargin -1; set bmargin -1\n"
                   "%seval FRAME\n%sset colorbox\n%sunset key\n", indent, indent, indent, indent);
    emit_axis_labels(c, "x", "y");
    emit_map_settings(c, m);
}

/* The key of a single-map figure. */
static void map_legend(plot_ctx *c, const map_data *m, legend *L, int current)
{
    memset(L, 0, sizeof *L);
    leg_runs(c, L, m->pi);
    if (c->o->quiver)
        leg_add(L, "with vectors head filled size screen 0.008,25 lc rgb '#777777'",
                plot_sym(c, "−∇f (direction)", "$-\\nabla f$ (direction)", "-grad f (direction)"),
                0, 1);
    if (m->pi)
        leg_markers(L, any_diverged(c, m->pi), any_exit(c, m->pi), current);
    leg_critical(L, m->present);
}

/* Title, caption (with the colour-scale note and `extra`, if any) and the laid-out key of
 * a single-map figure (contour, surface, animation). Returns the key's height. */
static double map_heading(plot_ctx *c, const map_data *m, const char *extra, int current,
                          legend *L, int *kcols)
{
    char title[LSC_VALUE_MAX * 2], cnote[320];
    auto_title(c, m->pi, m->ngroups, title, sizeof title);
    colour_note(c, &m->pc, cnote, sizeof cnote);
    if (extra) {
        size_t l = strlen(cnote);
        plot_spf(cnote + l, sizeof cnote - l, "%s%s", l ? " " : "", extra);
    }
    plot_title_caption(c, title, cnote, 1);
    map_legend(c, m, L, current);
    return leg_layout(c, L, kcols);
}

/* ---- contour ---------------------------------------------------------------------------- */

int plot_kind_contour(plot_ctx *c)
{
    int rc = need_2d(c);
    if (rc)
        return rc;
    map_data m;
    rc = map_build(c, &m, 400);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    char what[256], nm[LSC_PLOT_PATH_MAX + 32],
        nm2[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "contour map, %dx%d grid, %s colour scale", m.g.nx, m.g.ny,
             m.pc.log ? "log" : "linear");
    rc = plot_script_begin(c, what);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    legend L;
    int kcols;
    double kh = map_heading(c, &m, NULL, 0, &L, &kcols);
    plot_multiplot(c);
    emit_map_panel(c, &m, c->cap_h + kh, "");
    clauses k = {c, "plot", 0};
    emit_map_layers(c, &k, &m);
    emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), m.present, NULL);
    if (m.pi)
        emit_paths(c, &k, fname(c, ".paths.tsv", nm, sizeof nm), m.pi, "2:3", 1,
                   fname(c, ".exits.tsv", nm2, sizeof nm2));
    if (!k.n) { /* nothing at all to draw (text terminal, no contours): an empty frame */
        cl_next(&k);
        plot_printf(c, "NaN notitle");
    }
    cl_end(&k);
    plot_caption_off(c);
    leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    map_free(c, &m);
    return LSC_OK;
}

/* ---- surface ---------------------------------------------------------------------------- */

int plot_kind_surface(plot_ctx *c)
{
    int rc = need_2d(c);
    if (rc)
        return rc;
    const lsc_plot_opts *o = c->o;
    map_data m;
    memset(&m, 0, sizeof m);
    map_view(c, m.v);
    int n = o->grid ? o->grid : 120;
    rc = plot_grid_eval(&m.g, c->L, n, n, m.v[0], m.v[1], m.v[2], m.v[3], NULL, NULL, NULL,
                        c->err);
    if (!rc)
        rc = plot_grid_write(c, &m.g, ".grid.f32");
    if (!rc) {
        /* a surface's height is linear unless log=true: on a log z axis the pits of a
         * deep minimum are steep funnels that a grid of quads cuts into jagged shapes */
        plot_color_setup(&m.pc, &m.g, c->L, c->t, o->log_color < 0 ? 0 : o->log_color,
                         o->contours);
        if (m.pc.nlevels > 0)
            rc = plot_contours_write(c, &m.g, &m.pc, ".contour.tsv");
    }
    if (!rc) {
        rc = plot_critical_write(c, c->L, m.v[0], m.v[1], m.v[2], m.v[3], NULL, NULL, NULL,
                                 m.present, ".cp.tsv");
        rc = rc < 0 ? rc : 0;
    }
    if (!rc && c->t && c->t->nruns > 0)
        rc = write_paths(c, ".paths.tsv", NULL, NULL, NULL, NULL, m.v, &m.pc, 1, &m.pi,
                         &m.ngroups);
    char what[256], nm[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    plot_spf(what, sizeof what, "surface, %dx%d grid, %s scale", m.g.nx, m.g.ny,
             m.pc.log ? "log" : "linear");
    if (!rc)
        rc = plot_script_begin(c, what);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    legend L;
    int kcols;
    double kh = map_heading(c, &m, NULL, 0, &L, &kcols);
    double y0 = c->cap_h + kh, top = 1 - title_h(c);
    plot_multiplot(c);
    plot_printf(c, "set origin 0, %.4f\nset size 1, %.4f\n", y0, top - y0);
    emit_axis_labels(c, "x", "y");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, m.v[0]), plot_num(b, m.v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, m.v[2]), plot_num(b, m.v[3]));
    /* scaled up a little: gnuplot's 3-D box leaves a wide margin inside its panel */
    plot_printf(c, "set view %s, %s, 1.12, 1.1\n", plot_num(a, o->view_x),
                plot_num(b, o->view_z));
    plot_printf(c, "set xyplane relative 0\n");
    plot_printf(c, "set pm3d explicit at s\nset pm3d lighting primary 0.45 specular 0.15\n"
                   "set style fill solid\nunset hidden3d\nset tics nomirror\n"
                   "set border 895\nset xtics offset 0,-0.3\nunset key\n");
    emit_colour_scale(c, &m.pc, 1, "cb");
    emit_colour_scale(c, &m.pc, 1, "z");
    /* the colour box at the right, leaving room for its tick labels (about 5 em) */
    /* room right of the box: its tick labels (as wide as the widest end of the range, at
     * most 0.65 em a character) and its label */
    char l1[32], l2[32];
    plot_spf(l1, sizeof l1, "%g", m.pc.lo);
    plot_spf(l2, sizeof l2, "%g", m.pc.hi);
    double labw = m.pc.log ? 3.0 : 0.65 * (double)(strlen(l1) > strlen(l2) ? strlen(l1)
                                                                           : strlen(l2));
    const double em = plot_em(c);
    double cbx = 1 - (0.9 + 0.8 + labw + 2.2) * em / c->width;
    plot_printf(c, "set colorbox vertical user origin %.4f, %.4f size %.4f, %.4f\n", cbx,
                y0 + 0.12 * (top - y0), 0.9 * em / c->width, 0.66 * (top - y0));
    plot_printf(c, "set rmargin at screen %.4f\n", cbx - 1.5 * em / c->width);
    plot_printf(c, "ZBASE = %s\n", plot_num(a, m.pc.lo));
    clauses k = {c, "splot", 0};
    cl_next(&k);
    emit_grid_source(c, &m.g, fname(c, ".grid.f32", nm, sizeof nm), 1);
    plot_printf(c, " using (COLOR($1)) with pm3d notitle");
    if (m.pc.nlevels > 0) {
        cl_next(&k);
        plot_fileref(c, fname(c, ".contour.tsv", nm, sizeof nm));
        plot_printf(c, " using 1:2:(ZBASE) with lines lc rgb '#99555555' lw LW_CONTOUR "
                    "notitle");
    }
    if (m.pi)
        emit_paths(c, &k, fname(c, ".paths.tsv", nm, sizeof nm), m.pi, "2:3:5", 1, NULL);
    emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), m.present, "COLOR($4)");
    cl_end(&k);
    plot_caption_off(c);
    leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    map_free(c, &m);
    return LSC_OK;
}

/* ---- animation -------------------------------------------------------------------------- */

/* Frame steps: F steps from 0 to S, strictly increasing. Linear: evenly spaced. Log:
 * evenly spaced in log(1 + step/s0), s0 = S/100 (at least 1):
 * s_k = s0 ((1 + S/s0)^(k/(F-1)) - 1), then pushed apart so no two frames show the same
 * step. About a third of the frames fall in the first tenth of the run. */
static void frame_steps(long S, int F, int logsp, long *fs)
{
    const double s0 = S >= 100 ? (double)S / 100 : 1;
    for (int k = 0; k < F; k++) {
        double u = F == 1 ? 1 : (double)k / (F - 1);
        double s = logsp ? s0 * expm1(u * log1p((double)S / s0)) : u * (double)S;
        /* within [0, S] before rounding: S (a step number read from a file) can be near
         * LONG_MAX, where the product rounds beyond it */
        fs[k] = !(s > 0) ? 0 : s >= (double)S ? S : (long)llround(s);
    }
    for (int k = 1; k < F; k++)
        if (fs[k] <= fs[k - 1])
            fs[k] = fs[k - 1] + 1;
    fs[F - 1] = S;
    for (int k = F - 2; k >= 0; k--)
        if (fs[k] >= fs[k + 1])
            fs[k] = fs[k + 1] - 1;
}

int plot_kind_animation(plot_ctx *c)
{
    int rc = need_2d(c);
    if (rc)
        return rc;
    const lsc_plot_opts *o = c->o;
    const lsc_trajectory *t = c->t;
    map_data m;
    rc = map_build(c, &m, 200);
    if (rc) {
        map_free(c, &m);
        return rc;
    }
    if (!m.pi) {
        map_free(c, &m);
        lsc_error_set(c->err, LSC_EINVAL, "kind=animation: the trajectory has no runs");
        return LSC_EINVAL;
    }
    /* frames: steps 0 .. S; each run shows its rows up to that step */
    long S = 0;
    for (int r = 0; r < t->nruns; r++)
        if (m.pi[r].block >= 0)
            S = S > m.pi[r].step[m.pi[r].rows - 1] ? S : m.pi[r].step[m.pi[r].rows - 1];
    int F = o->frames;
    if (S + 1 < F)
        F = (int)(S + 1);
    if (F < 1)
        F = 1;
    int logsp = o->frame_spacing == 2 || (o->frame_spacing == 0 && S >= 10L * F);
    long *fs = malloc((size_t)F * sizeof *fs);
    if (!fs) {
        map_free(c, &m);
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    frame_steps(S, F, logsp, fs);
    char what[256], nm[LSC_PLOT_PATH_MAX + 32],
        nx[LSC_PLOT_PATH_MAX + 32];
    plot_spf(what, sizeof what, "animation, %d frames over %ld steps (%s spacing), %dx%d grid",
             F, S, logsp ? "log" : "linear", m.g.nx, m.g.ny);
    rc = plot_script_begin(c, what);
    if (rc) {
        free(fs);
        map_free(c, &m);
        return rc;
    }
    legend L;
    int kcols;
    double kh = map_heading(c, &m, logsp ? "Frames are spaced evenly in log(step)." : NULL, 1,
                            &L, &kcols);
    plot_printf(c, "set style textbox opaque noborder margins 2,2\n");
    /* GIF (libgd, 256 colours a frame): a banded colour map compresses several times
     * better */
    plot_printf(c, "set palette maxcolors 24\n");
    /* libgd draws lines without anti-aliasing, in whole pixels: widths 5, 4, 3, 2, ... in
     * a 1-pixel white outline */
    plot_printf(c, "LW_PATH = 5; LW_PATH_STEP = 1; LW_PATH_MIN = 2; LW_HALO = 2\n");
    /* frame tables: STEP[k], and per run the last row drawn at that frame (a diverged
     * run stops at its last point in view; OUTr[k] = 1 once it has left the view) */
    plot_printf(c, "NF = %d\narray STEP[NF] = [", F);
    for (int k = 0; k < F; k++)
        plot_printf(c, "%s%ld", k ? "," : "", fs[k]);
    plot_printf(c, "]\n");
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0)
            continue;
        int row = 0;
        plot_printf(c, "array ROW%d[NF] = [", r);
        for (int k = 0; k < F; k++) {
            while (row + 1 < p->rows && p->step[row + 1] <= fs[k])
                row++;
            plot_printf(c, "%s%d", k ? "," : "", row < p->draw_last ? row : p->draw_last);
        }
        plot_printf(c, "]\n");
        if (p->exit >= 0 || p->diverged) {
            row = 0;
            plot_printf(c, "array OUT%d[NF] = [", r);
            for (int k = 0; k < F; k++) {
                while (row + 1 < p->rows && p->step[row + 1] <= fs[k])
                    row++;
                plot_printf(c, "%s%d", k ? "," : "",
                            p->exit >= 0 ? row > p->draw_last : row >= p->rows - 1);
            }
            plot_printf(c, "]\n");
        }
    }
    /* hold the last frame for about 1 s */
    int hold = (100 + o->delay - 1) / o->delay;
    plot_printf(c, "HOLD = %d\n", hold);
    plot_printf(c, "do for [frame=1:NF+HOLD] {\n  k = frame > NF ? NF : frame\n");
    plot_multiplot(c);
    /* First an empty plot that draws the caption and one (clipped) line in each run's
     * colour: libgd gives a GIF frame 256 colours, each taken on first use, and the map
     * (its palette, the anti-aliased contour lines) would otherwise take the last free
     * ones, leaving each path the nearest colour already there. */
    plot_printf(c, "unset border; unset tics; unset key; unset colorbox; unset xlabel; "
                   "unset ylabel; unset label 1\nset origin 0, 0\nset size noratio 1, 1\n"
                   "set xrange [0:1]; set yrange [0:1]\n");
    {
        clauses kr = {c, "plot", 0};
        int seen[9] = {0};
        for (int r = 0; r < t->nruns; r++) {
            const path_info *p = &m.pi[r];
            if (p->block < 0 || seen[p->lt])
                continue;
            seen[p->lt] = 1;
            cl_next(&kr);
            plot_printf(c, "2 with lines lt %d notitle", p->lt);
        }
        cl_end(&kr);
    }
    plot_caption_off(c);
    emit_map_panel(c, &m, c->cap_h + kh, "");
    plot_printf(c, "set label 1 sprintf('step %%d', STEP[k]) at graph 0.03, graph 0.95 left "
                   "front boxed\n");
    clauses kl = {c, "plot", 0};
    const char *pn = fname(c, ".paths.tsv", nm, sizeof nm);
    const char *xn = fname(c, ".exits.tsv", nx, sizeof nx);
    emit_map_layers(c, &kl, &m);
    emit_critical(c, &kl, fname(c, ".cp.tsv", nm, sizeof nm), m.present, NULL);
    pn = fname(c, ".paths.tsv", nm, sizeof nm);
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0)
            continue;
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::ROW%d[k] using 2:3 with lines lc rgb C_HALO "
                    "lw LW_PATH_RUN(%d)+LW_HALO notitle", p->block, r, p->group);
        if (p->exit >= 0) {
            cl_next(&kl);
            plot_fileref(c, xn);
            plot_printf(c, " every ::%d::%d using 1:2:(OUT%d[k] ? $3 : NaN):4 with vectors "
                        "nohead lc rgb C_HALO lw LW_PATH_RUN(%d)+LW_HALO notitle", p->exit,
                        p->exit, r, p->group);
        }
    }
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0)
            continue;
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::ROW%d[k] using 2:3 with lines lt %d "
                    "lw LW_PATH_RUN(%d) notitle", p->block, r, p->lt, p->group);
        if (p->exit >= 0) {
            cl_next(&kl);
            plot_fileref(c, xn);
            plot_printf(c, " every ::%d::%d using 1:2:(OUT%d[k] ? $3 : NaN):4 with vectors "
                        "head filled size screen 0.016,25 lt %d dt DT_EXIT "
                        "lw LW_PATH_RUN(%d) notitle", p->exit, p->exit, r, p->lt, p->group);
        }
    }
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0 || p->same_start)
            continue;
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::0 using 2:3 with points pt PT_START_FILL "
                    "ps PS_START lc rgb C_START_FILL notitle", p->block);
        cl_next(&kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::0 using 2:3 with points pt PT_START ps PS_START "
                    "lw 1.5 lc rgb C_START_EDGE notitle", p->block);
    }
    /* current positions, larger for earlier runs (rings where they coincide); a cross once
     * a diverged run has reached its last point in view; none once it has left */
    for (int r = 0; r < t->nruns; r++) {
        const path_info *p = &m.pi[r];
        if (p->block < 0)
            continue;
        cl_next(&kl);
        plot_fileref(c, pn);
        if (p->exit >= 0)
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:(OUT%d[k] ? NaN : $3) "
                        "with points lt %d pt PT_CURRENT ps PS_END_RUN(%d) notitle", p->block,
                        r, r, r, p->lt, p->group);
        else if (p->diverged)
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:3:(OUT%d[k] ? "
                        "PT_DIVERGED : PT_CURRENT) with points lt %d pt variable "
                        "ps PS_END_RUN(%d) lw 2 notitle", p->block, r, r, r, p->lt, p->group);
        else
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:3 with points lt %d "
                        "pt PT_CURRENT ps PS_END_RUN(%d) notitle", p->block, r, r, p->lt,
                        p->group);
    }
    cl_end(&kl);
    leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    plot_caption_on(c);
    plot_printf(c, "}\n");
    free(fs);
    map_free(c, &m);
    return LSC_OK;
}

/* ---- curves ------------------------------------------------------------------------------ */

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

int plot_kind_curves(plot_ctx *c)
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
        size_t K = rows_drawn(c, m);
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
            size_t i = pick(k, K, m);
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
        size_t m = mrows[r], K = rows_drawn(c, m);
        for (int q = 0; q < np; q++) {
            exitrow[r][q] = (int)K - 1;
            if (!P[q].cut)
                continue;
            for (size_t k = 0; k < K; k++) {
                double v = cv_value(c, &P[q], R, pick(k, K, m), fstar, gap, dist_from_x, xb);
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
    legend LG;
    memset(&LG, 0, sizeof LG);
    for (int g = 0; g < ngroups; g++) {
        char leg[LSC_VALUE_MAX], st[64];
        plot_run_legend(t, first[g], leg, sizeof leg);
        plot_spf(st, sizeof st, "with lines lt %d lw LW_CURVE", lt[g]);
        leg_add(&LG, st, leg, 1, 1);
    }
    if (anyblown)
        leg_add(&LG, "with points pt PT_DIVERGED ps PS_RUN lw 2 lc rgb '#000000'",
                "diverged (where it leaves the panel)", 0, 1);
    int kcols;
    double kh = leg_layout(c, &LG, &kcols);
    const int text = plot_is_text(c);
    const double em = plot_em(c);
    double top = 1 - title_h(c) - (text ? 0 : 0.4 * em / c->height);
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
    const char *pn = fname(c, ".curves.tsv", nm, sizeof nm);
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
        clauses k = {c, "plot", 0};
        int col = 2 + q, scol = 2 + np + q;
        for (int r = 0; r < nr; r++) {
            if (block[r] < 0)
                continue;
            cl_next(&k);
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
            cl_next(&k);
            plot_fileref(c, pn);
            plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_CURVE_RUN(%d) notitle",
                        block[r], scol, lt[group[r]], group[r]);
        }
        for (int r = 0; r < nr; r++) {
            if (block[r] < 0 || !blown[r])
                continue;
            cl_next(&k);
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
        cl_end(&k);
    }
    if (np == 1)
        plot_caption_off(c);
    if (text)
        plot_printf(c, "unset label 70\n");
    leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
done:
    free(xb), free(group), free(first), free(lt), free(block), free(div), free(blown);
    free(mrows), free(val), free(smv), free(cs), free(cn), free(exitrow);
    return rc;
}

/* ---- slice ------------------------------------------------------------------------------- */

static void normalize(double *v, int n)
{
    double s = 0;
    for (int j = 0; j < n; j++)
        s += v[j] * v[j];
    s = sqrt(s);
    for (int j = 0; j < n; j++)
        v[j] /= s;
}

int plot_kind_slice(plot_ctx *c)
{
    const lsc_plot_opts *o = c->o;
    const lsc_trajectory *t = c->t;
    const lsc_landscape *L = c->L;
    const int n = L->n;
    if (t->nruns == 0) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=slice: the trajectory has no runs");
        return LSC_EINVAL;
    }
    if (t->npos != n) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=slice: needs every coordinate of every step "
                      "(the trajectory keeps %d of %d: record with positions=all)", t->npos, n);
        return LSC_EINVAL;
    }
    double *d1 = calloc((size_t)n, sizeof *d1), *d2 = calloc((size_t)n, sizeof *d2);
    double *ctr = calloc((size_t)n, sizeof *ctr), *base = calloc((size_t)n, sizeof *base);
    double *lo = calloc((size_t)n, sizeof *lo), *hi = calloc((size_t)n, sizeof *hi);
    double *xb = calloc((size_t)n, sizeof *xb);
    plot_grid g;
    memset(&g, 0, sizeof g);
    path_info *pi = NULL;
    int ngroups = 0, rc = LSC_OK;
    char xl[160], yl[160], mode[64];
    double ylo = INFINITY, yhi = -INFINITY; /* line panel range of the runs that converged */
    if (!d1 || !d2 || !ctr || !base || !lo || !hi || !xb) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    /* centre */
    const lsc_run_record *R0 = &t->runs[0];
    size_t m0 = finite_prefix(t, R0);
    if (!strcmp(o->center, "end") || !strcmp(o->center, "min")) {
        if (m0 == 0) {
            rc = LSC_EINVAL;
            lsc_error_set(c->err, LSC_EINVAL, "center=%s: run 0 has no finite position",
                          o->center);
            goto done;
        }
        memcpy(ctr, R0->x + (m0 - 1) * (size_t)n, (size_t)n * sizeof *ctr);
        if (!strcmp(o->center, "min")) {
            int k = lsc_landscape_nearest_min(L, ctr, NULL, xb);
            if (k < 0) {
                rc = LSC_EINVAL;
                lsc_error_set(c->err, LSC_EINVAL, "center=min: landscape '%s' has no known "
                              "minimum (allowed: end, start, origin, x1;x2;...)", L->type->name);
                goto done;
            }
            lsc_critical cp = {.x = ctr};
            lsc_landscape_critical(L, k, &cp);
        }
    } else if (!strcmp(o->center, "start")) {
        memcpy(ctr, R0->start, (size_t)n * sizeof *ctr);
    } else if (!strcmp(o->center, "origin")) {
        /* zeros */
    } else {
        int got = lsc_parse_list(o->center, ';', ctr, n);
        int bad = got != n;
        for (int j = 0; !bad && j < n; j++)
            bad |= !isfinite(ctr[j]);
        if (bad) {
            rc = LSC_EINVAL;
            lsc_error_set(c->err, LSC_EINVAL, "center=%.100s: allowed: end, start, min, origin, "
                          "or %d finite numbers separated by ';'", o->center, n);
            goto done;
        }
    }
    /* directions */
    int axes = 0, ai = 0, aj = 1;
    double ev1 = NAN, ev2 = NAN;
    if (!strncmp(o->slice, "axes:", 5)) {
        double ij[2];
        if (lsc_parse_list(o->slice + 5, ',', ij, 2) != 2 || ij[0] != floor(ij[0]) ||
            ij[1] != floor(ij[1]) || ij[0] < 1 || ij[1] < 1 || ij[0] > n || ij[1] > n ||
            ij[0] == ij[1]) {
            rc = LSC_EINVAL;
            lsc_error_set(c->err, LSC_EINVAL, "slice=%.60s: allowed: axes:I,J with two different "
                          "coordinates between 1 and %d", o->slice, n);
            goto done;
        }
        axes = 1;
        ai = (int)ij[0] - 1;
        aj = (int)ij[1] - 1;
        d1[ai] = 1;
        d2[aj] = 1;
        plot_spf(mode, sizeof mode, "the coordinate axes x%d and x%d", ai + 1, aj + 1);
    } else if (!strcmp(o->slice, "random")) {
        /* Gaussian directions (uniform on the sphere after normalising), the second made
         * orthogonal to the first (Gram-Schmidt) */
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rng) {
            rc = LSC_ENOMEM;
            lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
            goto done;
        }
        gsl_rng_set(rng, (unsigned long)(o->seed ^ (o->seed >> 32)));
        for (int j = 0; j < n; j++)
            d1[j] = gsl_ran_gaussian(rng, 1.0);
        for (int j = 0; j < n; j++)
            d2[j] = gsl_ran_gaussian(rng, 1.0);
        gsl_rng_free(rng);
        normalize(d1, n);
        double p = 0;
        for (int j = 0; j < n; j++)
            p += d1[j] * d2[j];
        for (int j = 0; j < n; j++)
            d2[j] -= p * d1[j];
        normalize(d2, n);
        plot_spf(mode, sizeof mode, "two random directions (seed %llu)", o->seed);
    } else if (!strcmp(o->slice, "pca")) {
        rc = plot_pca(t, d1, d2, &ev1, &ev2, c->err);
        if (rc)
            goto done;
        plot_spf(mode, sizeof mode, "the two principal components of the positions");
    } else {
        rc = LSC_EINVAL;
        lsc_error_set(c->err, LSC_EINVAL, "slice=%.60s: unknown (allowed: axes:I,J, random, "
                      "pca)", o->slice);
        goto done;
    }
    if (!axes) {
        /* orient: run 0 moves towards +d1; d2's largest component positive */
        double s = 0;
        const double *xe = R0->x + (m0 ? m0 - 1 : 0) * (size_t)n;
        for (int j = 0; j < n; j++)
            s += (xe[j] - R0->start[j]) * d1[j];
        if (s < 0)
            for (int j = 0; j < n; j++)
                d1[j] = -d1[j];
        int jm = 0;
        for (int j = 1; j < n; j++)
            if (fabs(d2[j]) > fabs(d2[jm]))
                jm = j;
        if (d2[jm] < 0)
            for (int j = 0; j < n; j++)
                d2[j] = -d2[j];
    }
    /* plane coordinates: axes: absolute x_i, x_j (base = centre with those two zeroed);
     * directions: offsets from the centre */
    memcpy(base, ctr, (size_t)n * sizeof *base);
    if (axes) {
        base[ai] = 0;
        base[aj] = 0;
    }
    double v[4], bb[4];
    int have = paths_bbox(c, base, d1, d2, bb);
    if (axes) {
        lsc_landscape_box(L, lo, hi);
        v[0] = lo[ai];
        v[1] = hi[ai];
        v[2] = lo[aj];
        v[3] = hi[aj];
        if (have) {
            double wx = v[1] - v[0], wy = v[3] - v[2];
            v[0] = fmin(v[0], fmax(bb[0] - 0.05 * wx, v[0] - 0.5 * wx));
            v[1] = fmax(v[1], fmin(bb[1] + 0.05 * wx, v[1] + 0.5 * wx));
            v[2] = fmin(v[2], fmax(bb[2] - 0.05 * wy, v[2] - 0.5 * wy));
            v[3] = fmax(v[3], fmin(bb[3] + 0.05 * wy, v[3] + 0.5 * wy));
        }
    } else {
        /* the projected paths and the centre, padded by 20%, at least +-0.5 */
        if (!have)
            bb[0] = bb[1] = bb[2] = bb[3] = 0;
        bb[0] = fmin(bb[0], 0);
        bb[1] = fmax(bb[1], 0);
        bb[2] = fmin(bb[2], 0);
        bb[3] = fmax(bb[3], 0);
        double w = fmax(bb[1] - bb[0], bb[3] - bb[2]);
        if (!(w > 1))
            w = 1;
        double cx = 0.5 * (bb[0] + bb[1]), cy = 0.5 * (bb[2] + bb[3]);
        double hw = 0.5 * w * 1.2;
        v[0] = cx - hw;
        v[1] = cx + hw;
        v[2] = cy - hw;
        v[3] = cy + hw;
    }
    if (isfinite(o->xlim[0])) {
        v[0] = o->xlim[0];
        v[1] = o->xlim[1];
    }
    if (isfinite(o->ylim[0])) {
        v[2] = o->ylim[0];
        v[3] = o->ylim[1];
    }
    /* grid: cost grid^2 * n evaluations; keep it below ~2e8 coordinate updates */
    int gn = o->grid ? o->grid : 300;
    while (gn > 40 && (double)gn * gn * n > 2e8)
        gn = gn * 3 / 4;
    rc = plot_grid_eval(&g, L, gn, gn, v[0], v[1], v[2], v[3], base, d1, d2, c->err);
    if (rc)
        goto done;
    if (!plot_is_text(c) && (rc = plot_grid_write(c, &g, ".grid.f32")))
        goto done;
    plot_color pc;
    plot_color_setup(&pc, &g, L, t, o->log_color, o->contours);
    if (pc.nlevels > 0 && (rc = plot_contours_write(c, &g, &pc, ".contour.tsv")))
        goto done;
    int present[4];
    rc = plot_critical_write(c, L, v[0], v[1], v[2], v[3], base, d1, d2, present, ".cp.tsv");
    if (rc < 0)
        goto done;
    rc = write_paths(c, ".paths.tsv", ".exits.tsv", base, d1, d2, v, &pc, 1, &pi, &ngroups);
    if (rc)
        goto done;
    /* loss along the straight line from each run's start to its end */
    {
        plot_file f;
        rc = plot_open(c, ".line.tsv", &f);
        if (rc)
            goto done;
        fprintf(f.fp, "# f on the segment start + alpha (end - start), one block per drawn run: "
                      "alpha f colour\n");
        int nb = 0;
        ylo = INFINITY;
        yhi = -INFINITY;
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            const lsc_run_record *R = &t->runs[r];
            size_t m = finite_prefix(t, R);
            const double *xs = R->x, *xe = R->x + (m - 1) * (size_t)n;
            if (nb++)
                fputs("\n\n", f.fp);
            fprintf(f.fp, "# run %d\n", r);
            for (int k = 0; k <= 240; k++) {
                double al = -0.25 + 1.5 * k / 240.0;
                for (int j = 0; j < n; j++)
                    xb[j] = xs[j] + al * (xe[j] - xs[j]);
                double fv = lsc_landscape_in_domain(L, xb) ? lsc_landscape_f(L, xb) : NAN;
                double cv = isfinite(fv) ? plot_color_value(&pc, fv) : NAN;
                if (pc.log && !(cv > 0))
                    cv = NAN;
                fprintf(f.fp, "%.6g %.10g %.10g\n", al, fv, cv);
                double yv = pc.log ? cv : fv;
                if (!pi[r].diverged && isfinite(yv)) {
                    ylo = fmin(ylo, yv);
                    yhi = fmax(yhi, yv);
                }
            }
        }
        rc = plot_close(c, &f);
        if (rc)
            goto done;
    }
    /* labels */
    if (axes) {
        plot_spf(xl, sizeof xl, "x%d", ai + 1);
        plot_spf(yl, sizeof yl, "x%d", aj + 1);
    } else if (!strcmp(o->slice, "pca")) {
        plot_spf(xl, sizeof xl, "PC1 (%.1f%% of the variance)", 100 * ev1);
        plot_spf(yl, sizeof yl, "PC2 (%.1f%% of the variance)", 100 * ev2);
    } else {
        plot_spf(xl, sizeof xl, "random direction 1");
        plot_spf(yl, sizeof yl, "random direction 2");
    }
    char what[256], title[LSC_VALUE_MAX * 2], nm[LSC_PLOT_PATH_MAX + 32],
        nm2[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    plot_spf(what, sizeof what, "slice of a %d-D landscape through %s, %s, %dx%d grid", n,
             o->center, mode, g.nx, g.ny);
    rc = plot_script_begin(c, what);
    if (rc)
        goto done;
    /* the plane, exactly, as comments */
    {
        char num[32];
        fprintf(c->gp, "# plane: x = base + a*d1 + b*d2 (first 20 coordinates shown)\n");
        const char *nmv[3] = {"base", "d1", "d2"};
        const double *vec[3] = {base, d1, d2};
        for (int q = 0; q < 3; q++) {
            fprintf(c->gp, "# %s:", nmv[q]);
            for (int j = 0; j < n && j < 20; j++)
                fprintf(c->gp, " %s", lsc_fmt_double(num, vec[q][j]));
            fprintf(c->gp, "%s\n", n > 20 ? " ..." : "");
        }
    }
    auto_title(c, pi, ngroups, title, sizeof title);
    char note[600];
    char cnote[256];
    colour_note(c, &pc, cnote, sizeof cnote);
    const char *through = !strcmp(o->center, "end") ? "the end of the first run"
                          : !strcmp(o->center, "start") ? "the start of the first run"
                          : !strcmp(o->center, "min") ? "the known minimum nearest the first "
                                                        "run's end"
                          : !strcmp(o->center, "origin") ? "the origin" : "the given centre";
    plot_spf(note, sizeof note, "Slice through %s, spanned by %s; the paths are projected onto "
             "it: they do not lie on the surface shown.%s%s", through, mode,
             cnote[0] ? " " : "", cnote);
    plot_title_caption(c, title, note, 1);
    const int text = plot_is_text(c);
    /* the key along the bottom: runs, markers, critical points */
    legend LG;
    memset(&LG, 0, sizeof LG);
    leg_runs(c, &LG, pi);
    leg_markers(&LG, any_diverged(c, pi), any_exit(c, pi), 0);
    leg_critical(&LG, present);
    int kcols;
    double kh = leg_layout(c, &LG, &kcols);
    /* Layout in canvas units (em = the base font): the map's plot area keeps the view's
     * aspect ratio (x and y share units); the line panel to its right gets the width left
     * over, at least a third; both share the map's height, centred in the space between
     * the title and the key. */
    const double em = plot_em(c), W = c->width, H = c->height;
    const double mapl = text ? 9 : 5.2 * em, mapr = text ? 2 : 8.2 * em; /* colour box */
    const double linel = text ? 10 : 6.8 * em, liner = text ? 2 : 1.2 * em;
    const double padb = text ? 3 : 3.9 * em, padt = text ? 1 : 0.8 * em;
    double y_lo = (c->cap_h + kh) * H + padb, y_hi = (1 - title_h(c)) * H - padt;
    double wav = W - mapl - mapr - linel - liner, hav = y_hi - y_lo;
    double aspect = (v[1] - v[0]) / (v[3] - v[2]);
    double wline = 0.34 * wav, wm = wav - wline, hm = wm / aspect;
    if (hm > hav) {
        hm = hav;
        wm = hm * aspect;
        wline = wav - wm;
    }
    if (hm < 0.25 * hav && !text) /* a very wide view: let it be flatter than the data */
        hm = 0.25 * hav;
    double y0 = y_lo + 0.5 * (hav - hm);
    double mx0 = mapl, mx1 = mapl + wm, lx0 = mx1 + mapr + linel, lx1 = W - liner;
    plot_multiplot(c);
    /* left: the slice map */
    plot_printf(c, "\n# panel 1: the slice\n");
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", mx0 / W, mx1 / W);
    plot_printf(c, "set bmargin at screen %.4f; set tmargin at screen %.4f\n", y0 / H,
                (y0 + hm) / H);
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    emit_axis_labels(c, xl, yl);
    emit_colour_scale(c, &pc, !text, "cb");
    if (!text)
        plot_printf(c, "set colorbox user origin screen %.4f, screen %.4f size screen %.4f, "
                    "screen %.4f\n", (mx1 + 0.9 * em) / W, y0 / H, 1.1 * em / W, hm / H);
    plot_printf(c, "set tics front\n");
    if (text)
        plot_printf(c, "unset colorbox\n");
    plot_printf(c, "unset key\n");
    {
        map_data m;
        memset(&m, 0, sizeof m);
        m.g = g;
        m.pc = pc;
        clauses k = {c, "plot", 0};
        emit_map_layers(c, &k, &m);
        emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), present, NULL);
        emit_paths(c, &k, fname(c, ".paths.tsv", nm, sizeof nm), pi, "2:3", 1,
                   fname(c, ".exits.tsv", nm2, sizeof nm2));
        cl_end(&k);
    }
    /* right: f along start -> end */
    plot_printf(c, "\n# panel 2: f along the straight line from start to end\n");
    plot_caption_off(c);
    plot_printf(c, "unset colorbox\n");
    plot_printf(c, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", lx0 / W, lx1 / W);
    plot_printf(c, "set xrange [-0.25:1.25]\nset xtics 0.25\n");
    if (any_diverged(c, pi) && ylo < yhi) {
        /* a run that blew up would flatten the others: its line leaves the panel */
        if (pc.log)
            plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, ylo / 2), plot_num(b, yhi * 2));
        else
            plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, ylo - 0.05 * (yhi - ylo)),
                        plot_num(b, yhi + 0.05 * (yhi - ylo)));
    } else {
        plot_printf(c, "set yrange [*:*]\n");
    }
    plot_printf(c, "set xlabel '%s' enhanced\n",
                plot_sym(c, "α  (0: start, 1: end)", "$\\alpha$ (0: start, 1: end)",
                         "alpha (0 start, 1 end)"));
    if (pc.log) {
        plot_printf(c, "set ylabel '%s' enhanced\nset logscale y 10\nset format y '%s'\n",
                    pc.known_min
                        ? plot_sym(c, "f(start + α(end − start)) − f* + ε",
                                   "$f - f^* + \\varepsilon$ on the line",
                                   "f - f* + eps on the line")
                        : plot_sym(c, "f(start + α(end − start)) − f_{min} + ε",
                                   "$f - f_{\\min} + \\varepsilon$ on the line",
                                   "f - fmin + eps on the line"),
                    plot_sym(c, "10^{%L}", "$10^{%L}$", "1e%L"));
    } else {
        plot_printf(c, "set ylabel '%s' enhanced\nunset logscale y\nset format y '%%g'\n",
                    plot_sym(c, "f(start + α(end − start))", "$f$ on the line",
                             "f on the line"));
    }
    {
        clauses k = {c, "plot", 0};
        const char *ln = fname(c, ".line.tsv", nm, sizeof nm);
        int col = pc.log ? 3 : 2, started = 0;
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            cl_next(&k);
            plot_fileref(c, ln);
            plot_printf(c, " index %d using 1:%d with lines lt %d lw LW_PATH_RUN(%d) "
                        "dt DT_RUN(%d) notitle", pi[r].block, col, pi[r].lt, pi[r].group,
                        pi[r].group);
        }
        for (int r = 0; r < t->nruns; r++) {
            if (pi[r].block < 0)
                continue;
            /* alpha = 0 (row 40) is every run's start: one marker when they coincide */
            if (!started || !pi[r].same_start) {
                if (!text) {
                    cl_next(&k);
                    plot_fileref(c, ln);
                    plot_printf(c, " index %d every ::40::40 using 1:%d with points "
                                "pt PT_START_FILL ps PS_START lc rgb C_START_FILL notitle",
                                pi[r].block, col);
                }
                cl_next(&k);
                plot_fileref(c, ln);
                plot_printf(c, " index %d every ::40::40 using 1:%d with points pt PT_START "
                            "ps PS_START lw 1.5 lc rgb C_START_EDGE notitle", pi[r].block, col);
                started = 1;
            }
            cl_next(&k);
            plot_fileref(c, ln);
            if (pi[r].diverged)
                plot_printf(c, " index %d every ::200::200 using 1:%d with points lt %d "
                            "pt PT_DIVERGED ps PS_RUN lw 2 notitle", pi[r].block, col,
                            pi[r].lt);
            else
                plot_printf(c, " index %d every ::200::200 using 1:%d with points lt %d "
                            "pt PT_END ps PS_END_RUN(%d) notitle", pi[r].block, col, pi[r].lt,
                            pi[r].group);
        }
        cl_end(&k);
    }
    plot_printf(c, "set xtics autofreq\n");
    leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
done:
    plot_grid_free(&g);
    paths_free(pi, t->nruns);
    free(d1), free(d2), free(ctr), free(base), free(lo), free(hi), free(xb);
    return rc;
}

/* ---- basins ------------------------------------------------------------------------------- */

static const char *const oi_colours[7] = {"#D55E00", "#0072B2", "#009E73", "#E69F00",
                                          "#CC79A7", "#56B4E9", "#F0E442"};

static void hex_rgb(const char *h, int *r, int *g, int *b)
{
    unsigned v = (unsigned)strtoul(h + 1, NULL, 16);
    *r = (int)(v >> 16) & 255;
    *g = (int)(v >> 8) & 255;
    *b = (int)v & 255;
}

int plot_basins_impl(plot_ctx *c, const lsc_basins *B)
{
    const lsc_plot_opts *o = c->o;
    const lsc_landscape *L = c->L;
    const int N = B->n, ncp = B->ncp, nopt = B->nopt;
    const double *v = B->box;
    const double tol = B->tol;
    /* classes: 0..ncp-1 critical points, ncp not converged, ncp+1 diverged */
    const int NC = B->nclass;
    int *used = calloc((size_t)NC, sizeof *used);
    char (*labels)[LSC_VALUE_MAX] = calloc((size_t)nopt, sizeof *labels);
    int rc = LSC_OK;
    plot_grid g;
    memset(&g, 0, sizeof g);
    if (!used || !labels) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < NC; k++)
        used[k] = B->classes[k].count > 0;
    /* a label of the user's own, else the optimizer with its non-default values */
    for (int p = 0; p < nopt; p++) {
        const lsc_basins_optimizer *O = &B->opt[p];
        if (strcmp(O->label, O->type))
            plot_spf(labels[p], LSC_VALUE_MAX, "%s", O->label);
        else
            plot_short_optimizer(O->describe, labels[p], LSC_VALUE_MAX);
    }
    /* colours: minima in Okabe-Ito order, other critical points after them */
    char (*col)[8] = calloc((size_t)NC, sizeof *col);
    if (!col) {
        rc = LSC_ENOMEM;
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        goto done;
    }
    {
        int next = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < ncp; k++)
                if (used[k] && ((B->classes[k].kind == LSC_CP_MIN) == (pass == 0)))
                    plot_spf(col[k], 8, "%s", oi_colours[next++ % 7]);
        plot_spf(col[ncp], 8, "#BBBBBB");
        plot_spf(col[ncp + 1], 8, "#000000");
    }
    /* data: per optimizer block: x y class r g b */
    plot_file f;
    rc = plot_open(c, ".basins.tsv", &f);
    if (rc) {
        free(col);
        goto done;
    }
    fprintf(f.fp, "# basins: one block per optimizer; x0 y0 (start) class r g b\n"
                  "# class: index of the known critical point reached (within %g), %d = not "
                  "converged, %d = diverged\n", tol, ncp, ncp + 1);
    for (int p = 0; p < nopt; p++) {
        if (p)
            fputs("\n\n", f.fp);
        fputs("# optimizer ", f.fp);
        for (const char *s = B->opt[p].spec; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f.fp);
        fputc('\n', f.fp);
        for (int j = 0; j < N; j++) {
            for (int i = 0; i < N; i++) {
                int k = B->grid[((size_t)p * N + j) * N + i], r, gg, b;
                double x0[2];
                lsc_basins_start(B, i, j, x0);
                hex_rgb(col[k], &r, &gg, &b);
                fprintf(f.fp, "%.10g %.10g %d %d %d %d\n", x0[0], x0[1], k, r, gg, b);
            }
            fputc('\n', f.fp);
        }
    }
    rc = plot_close(c, &f);
    /* thin contour lines for orientation */
    plot_color pc;
    memset(&pc, 0, sizeof pc);
    if (!rc) {
        rc = plot_grid_eval(&g, L, 200, 200, v[0], v[1], v[2], v[3], NULL, NULL, NULL, c->err);
        if (!rc) {
            plot_color_setup(&pc, &g, L, NULL, o->log_color, o->contours);
            if (pc.nlevels > 0)
                rc = plot_contours_write(c, &g, &pc, ".contour.tsv");
        }
    }
    int present[4];
    if (!rc) {
        rc = plot_critical_write(c, L, v[0], v[1], v[2], v[3], NULL, NULL, NULL, present,
                                 ".cp.tsv");
        rc = rc < 0 ? rc : 0;
    }
    char what[256], nm[LSC_PLOT_PATH_MAX + 32], a[32], b[32];
    plot_spf(what, sizeof what, "basins of attraction, %dx%d starts, %d optimizer%s", N, N, nopt,
             nopt > 1 ? "s" : "");
    /* layout: up to 3 panels per row */
    int cols = nopt < 3 ? nopt : 3, rows = (nopt + cols - 1) / cols;
    if (!o->width && !o->height) {
        int pw = c->term == TERM_PDF || c->term == TERM_TEX ? 260 : 430;
        c->width = cols * pw + 40;
        c->height = rows * pw + (c->term == TERM_PDF || c->term == TERM_TEX ? 110 : 170);
    } else if (!o->width) {
        c->width = c->height * cols / rows;
    } else if (!o->height) {
        c->height = c->width * rows / cols + 150;
    }
    if (!rc)
        rc = plot_script_begin(c, what);
    if (rc) {
        free(col);
        goto done;
    }
    for (int p = 0; p < nopt; p++) {
        fprintf(c->gp, "# optimizer %d: ", p + 1);
        for (const char *s = B->opt[p].spec; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, c->gp);
        fputc('\n', c->gp);
    }
    {
        char num[32];
        fprintf(c->gp, "# run options: steps %ld, stop_grad %s", B->steps,
                lsc_fmt_double(num, B->stop_grad));
        fprintf(c->gp, ", clip_norm %s", lsc_fmt_double(num, B->clip_norm));
        fprintf(c->gp, ", clip_value %s", lsc_fmt_double(num, B->clip_value));
        fprintf(c->gp, ", noise %s, seed %llu", lsc_fmt_double(num, B->noise), B->seed);
        const char *sched = B->schedule[0] ? B->schedule : "constant";
        fputs(", schedule ", c->gp);
        for (const char *s = sched; *s; s++)
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, c->gp);
        fprintf(c->gp, "\n# reached: within %s of a known critical point\n",
                lsc_fmt_double(num, tol));
    }
    /* title and caption: the automatic caption says how the figure was made; the note
     * what "reached" means stays after a caption of the user's own */
    {
        char ls[LSC_VALUE_MAX], title[LSC_VALUE_MAX + 64], note[160], sched[LSC_VALUE_MAX];
        plot_short_landscape(L, NULL, ls, sizeof ls);
        plot_spf(title, sizeof title, "%s: basins of attraction", ls);
        plot_spf(sched, sizeof sched, "constant");
        if (B->schedule[0])
            plot_short_schedule(B->schedule, sched, sizeof sched);
        char num[32], *ac = c->auto_caption;
        size_t acl = sizeof c->auto_caption;
        int w = plot_spf(ac, acl, "%dx%d starts, %ld steps, schedule %s", N, N, B->steps,
                         sched);
        if (B->clip_norm > 0 && w > 0 && (size_t)w < acl)
            w += plot_spf(ac + w, acl - (size_t)w, ", clip_norm %s",
                          lsc_fmt_double(num, B->clip_norm));
        if (B->noise > 0 && w > 0 && (size_t)w < acl)
            w += plot_spf(ac + w, acl - (size_t)w, ", gradient noise sd %s",
                          lsc_fmt_double(num, B->noise));
        if (w > 0 && (size_t)w < acl)
            plot_spf(ac + w, acl - (size_t)w, ", seed %llu.", B->seed);
        plot_spf(note, sizeof note, "A start counts as reaching a critical point when its run "
                 "ends within %.3g of it.", tol);
        plot_title_caption(c, title, note, 1);
    }
    /* the key along the bottom: classes reached and critical point markers */
    legend LG;
    memset(&LG, 0, sizeof LG);
    for (int q = 0; q < NC; q++) {
        if (!used[q])
            continue;
        char lab[160], st[128];
        if (q < ncp)
            plot_spf(lab, sizeof lab, "%s (%.3g, %.3g)", cp_label[B->classes[q].kind],
                     B->classes[q].x[0], B->classes[q].x[1]);
        else
            plot_spf(lab, sizeof lab, "%s", q == ncp ? "not converged" : "diverged");
        plot_spf(st, sizeof st, "with boxes fill solid 1.0 noborder lc rgb '%s'", col[q]);
        leg_add(&LG, st, lab, 0, 1);
    }
    leg_critical(&LG, present);
    int kcols;
    double kh = leg_layout(c, &LG, &kcols);
    const double em = plot_em(c);
    double top = 1 - title_h(c);
    double bottom = c->cap_h + kh + 0.3 * em / c->height;
    double ph = (top - bottom) / rows, pw = 1.0 / cols;
    plot_multiplot(c);
    plot_printf(c, "set size ratio -1\nunset colorbox\nset tics front\n");
    plot_printf(c, "set xrange [%s:%s]\n", plot_num(a, v[0]), plot_num(b, v[1]));
    plot_printf(c, "set yrange [%s:%s]\n", plot_num(a, v[2]), plot_num(b, v[3]));
    emit_axis_labels(c, "x", "y");
    plot_printf(c, "unset key\n");
    for (int p = 0; p < nopt; p++) {
        int pr = p / cols, pcn = p % cols;
        plot_printf(c, "\n# panel %d\n", p + 1);
        plot_printf(c, "set origin %.4f, %.4f\nset size %.4f, %.4f\n", pcn * pw,
                    bottom + (rows - 1 - pr) * ph, pw, ph);
        if (p == 1)
            plot_caption_off(c);
        plot_printf(c, "set title ");
        plot_str(c, labels[p]);
        plot_printf(c, " noenhanced offset 0,-0.3\n");
        clauses k = {c, "plot", 0};
        cl_next(&k);
        plot_fileref(c, fname(c, ".basins.tsv", nm, sizeof nm));
        plot_printf(c, " index %d using 1:2:4:5:6 with rgbimage notitle", p);
        if (pc.nlevels > 0) {
            cl_next(&k);
            plot_fileref(c, fname(c, ".contour.tsv", nm, sizeof nm));
            plot_printf(c, " using 1:2 with lines lc rgb '#66FFFFFF' lw 0.6 notitle");
        }
        emit_critical(c, &k, fname(c, ".cp.tsv", nm, sizeof nm), present, NULL);
        cl_end(&k);
    }
    plot_printf(c, "unset title\n");
    if (nopt == 1)
        plot_caption_off(c);
    leg_panel(c, &LG, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    free(col);
done:
    plot_grid_free(&g);
    free(used);
    free(labels);
    return rc;
}
