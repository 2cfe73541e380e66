/* options.c — figure options: names of the kinds, the option table and its setter
 * (lsc_plot_opts_set), and every check before any work (lsc_plot_opts_check) */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "files.h"

/* ---- kinds by name ------------------------------------------------------------------------ */

const char *lsc_plot_kind_name(lsc_plot_kind k)
{
    const plot_kind_type *K = plot_kind_get(k);
    return K ? K->name : "?";
}

const char *lsc_plot_kind_summary(lsc_plot_kind k)
{
    const plot_kind_type *K = plot_kind_get(k);
    return K ? K->summary : "?";
}

/* "contour, surface, ..." of the kinds with every flag of `flags` */
static void kind_list(unsigned flags, char *buf, size_t len)
{
    size_t w = 0;
    buf[0] = '\0';
    for (const plot_kind_type *const *K = plot_kinds; *K; K++) {
        if (((*K)->flags & flags) != flags)
            continue;
        int k = plot_spf(buf + w, len - w, "%s%s", w ? ", " : "", (*K)->name);
        if (k < 0 || (size_t)k >= len - w)
            break;
        w += (size_t)k;
    }
}

int lsc_plot_kind_from_name(const char *s, lsc_plot_kind *k, lsc_error *err)
{
    const char *names[LSC_PLOT_NKINDS];
    for (int i = 0; i < LSC_PLOT_NKINDS; i++) {
        names[i] = plot_kinds[i]->name;
        if (s && !strcmp(s, names[i])) {
            *k = plot_kinds[i]->id;
            return LSC_OK;
        }
    }
    const char *close = s ? lsc_closest(s, names, LSC_PLOT_NKINDS) : NULL;
    char all[256];
    kind_list(0, all, sizeof all);
    lsc_error_set(err, LSC_EINVAL, "kind: unknown figure kind '%.80s'%s%s%s (allowed: %s)",
                  s ? s : "", close ? " (did you mean '" : "", close ? close : "",
                  close ? "'?)" : "", all);
    return LSC_EINVAL;
}

void lsc_plot_opts_default(lsc_plot_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = LSC_PLOT_CONTOUR;
    o->quiver_n = 21;
    o->view_x = 60;
    o->view_z = 30;
    o->contours = 12;
    o->log_color = -1;
    o->xlim[0] = o->xlim[1] = o->ylim[0] = o->ylim[1] = NAN;
    plot_spf(o->curves, sizeof o->curves, "loss");
    o->frames = 50;
    o->delay = 8;
    plot_spf(o->slice, sizeof o->slice, "pca");
    plot_spf(o->center, sizeof o->center, "end");
    o->seed = 1;
    o->max_points = 10000;
    o->basin_n = 40;
    o->step = -1;
    o->layers_view = -1;
    o->layer_q = -1;
}

/* ---- the option table ----------------------------------------------------------------- *
 * One row per option: name, value syntax, help line, and its setter: a parser with the
 * lsc_plot_opts member it writes (offset and size) and, for integers, the allowed range.
 * lsc_plot_opts_set finds the row by name; --help and the recipe docs list the rows. */

struct lsc_plot_setter {
    int (*fn)(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err);
    size_t off, len; /* the member written */
    long lo, hi;     /* integers: the allowed range */
    size_t flag;     /* text: the member set to 1 when the text is empty (no_title, ...) */
};

#define MEMBER(o, k) ((char *)(o) + (k)->set->off)

static int copy_str(char *dst, size_t cap, const char *key, const char *v, lsc_error *err)
{
    size_t n = strlen(v);
    if (n >= cap) {
        lsc_error_set(err, LSC_EINVAL, "%s: value of %zu characters is too long (at most %zu)",
                      key, n, cap - 1);
        return LSC_EINVAL;
    }
    memcpy(dst, v, n + 1);
    return LSC_OK;
}

static int get_int(const char *key, const char *v, long lo, long hi, int *out, lsc_error *err)
{
    long x;
    double d;
    if (lsc_parse_long(v, &x) != LSC_OK) {
        /* accept 1e3 when it is an integer */
        if (lsc_parse_double(v, &d) != LSC_OK || d != floor(d) || fabs(d) > 1e9) {
            lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not an integer (allowed: %ld to %ld)", key,
                          v, lo, hi);
            return LSC_EINVAL;
        }
        x = (long)d;
    }
    if (x < lo || x > hi) {
        lsc_error_set(err, LSC_EINVAL, "%s=%.80s: out of range (allowed: %ld to %ld)", key, v,
                      lo, hi);
        return LSC_EINVAL;
    }
    *out = (int)x;
    return LSC_OK;
}

static int set_int(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    return get_int(k->key, v, k->set->lo, k->set->hi, (int *)MEMBER(o, k), err);
}

static int set_bool(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    if (lsc_parse_bool(v, (int *)MEMBER(o, k)) != LSC_OK) {
        lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not a boolean (allowed: true, false, 1, 0)",
                      k->key, v);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

static int set_str(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    return copy_str(MEMBER(o, k), k->set->len, k->key, v, err);
}

/* title=, caption=: empty means none at all */
static int set_text(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    *(int *)((char *)o + k->set->flag) = v[0] == '\0';
    return set_str(k, o, v, err);
}

/* out=, base=: a name gnuplot, a shell and LaTeX read as written (check_name) */
static int set_path(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    if (v[0] && plot_check_name(k->key, v, err) != LSC_OK)
        return LSC_EINVAL;
    return set_str(k, o, v, err);
}

static int set_kind(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    return lsc_plot_kind_from_name(v, (lsc_plot_kind *)MEMBER(o, k), err);
}

/* "LO:HI" (the first len characters of v) with LO < HI, both finite: 1, else 0. */
static int parse_range(const char *v, size_t len, double r[2])
{
    char buf[256];
    const char *colon = memchr(v, ':', len);
    double a, b;
    if (!colon || len >= sizeof buf)
        return 0;
    memcpy(buf, v, len);
    buf[len] = '\0';
    buf[colon - v] = '\0';
    if (lsc_parse_double(buf, &a) != LSC_OK || lsc_parse_double(buf + (colon - v) + 1, &b) !=
        LSC_OK || !isfinite(a) || !isfinite(b) || !(a < b))
        return 0;
    r[0] = a;
    r[1] = b;
    return 1;
}

static int set_range(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    if (parse_range(v, strlen(v), (double *)MEMBER(o, k)))
        return LSC_OK;
    lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not a range (allowed: LO:HI with LO < HI, e.g. "
                  "-2:2)", k->key, v);
    return LSC_EINVAL;
}

/* A panel name as curves= writes them (loss, grad_norm, x2, |x2|, absx2): letters, digits,
 * '_' and '|'; which panels the figure has is checked with the figure (curves.c). */
static int panel_name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= sizeof ((lsc_plot_range *)0)->panel)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '|')
            return 0;
    return 1;
}

/* ylim=: LO:HI (a map's y range; curves: the top panel's), or, for curves, PANEL=LO:HI, a
 * panel's by name; several comma separated (loss=1e-8:10,lr=1e-4:1). Each ylim= adds to
 * the panels set before (so --ylim can be repeated); a panel named again takes its new
 * range. Nothing changes when any part is bad. */
static int set_ylim(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    lsc_plot_range P[LSC_PLOT_MAX_PANELS];
    int np = o->nylim_panel;
    double bare[2] = {o->ylim[0], o->ylim[1]};
    memcpy(P, o->ylim_panel, sizeof P);
    for (const char *p = v;; p++) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        if (!eq) {
            if (!parse_range(p, len, bare))
                goto bad;
        } else {
            size_t nl = (size_t)(eq - p);
            double r[2];
            if (!panel_name_ok(p, nl) || !parse_range(eq + 1, len - nl - 1, r))
                goto bad;
            int q = 0;
            while (q < np && (strlen(P[q].panel) != nl || strncmp(P[q].panel, p, nl)))
                q++;
            if (q == LSC_PLOT_MAX_PANELS) {
                lsc_error_set(err, LSC_EINVAL, "%s=%.80s: more than %d panel ranges", k->key, v,
                              LSC_PLOT_MAX_PANELS);
                return LSC_EINVAL;
            }
            memcpy(P[q].panel, p, nl);
            P[q].panel[nl] = '\0';
            P[q].lo = r[0];
            P[q].hi = r[1];
            np = q == np ? np + 1 : np;
        }
        if (!p[len])
            break;
        p += len;
    }
    memcpy(o->ylim_panel, P, sizeof P);
    o->nylim_panel = np;
    o->ylim[0] = bare[0];
    o->ylim[1] = bare[1];
    return LSC_OK;
bad:
    lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not a range (allowed: LO:HI with LO < HI, e.g. "
                  "-2:2; curves also PANEL=LO:HI, comma separated, e.g. loss=1e-8:10,lr=1e-4:1)",
                  k->key, v);
    return LSC_EINVAL;
}

/* One side of size=: a number, then "in" or "cm" (into *inches, *unit = 1), or none (an
 * integer of canvas units 16 to 20000, into *units, *unit = 0). 0 or LSC_EINVAL. */
static int size_side(const char *v, size_t len, int *units, double *inches, int *unit)
{
    char b[32];
    if (len == 0 || len >= sizeof b)
        return LSC_EINVAL;
    memcpy(b, v, len);
    b[len] = '\0';
    *unit = len > 2 && (!strcmp(b + len - 2, "in") || !strcmp(b + len - 2, "cm"));
    if (!*unit) {
        lsc_error e2;
        return get_int("size", b, 16, 20000, units, &e2);
    }
    double x, per_in = b[len - 2] == 'i' ? 1 : 2.54; /* 1 in = 2.54 cm */
    b[len - 2] = '\0';
    /* 16 to 20000 points, as without a unit (1 in = 72 points) */
    if (lsc_parse_double(b, &x) != LSC_OK || !(x / per_in * 72 >= 16) ||
        !(x / per_in * 72 <= 20000))
        return LSC_EINVAL;
    *inches = x / per_in;
    return LSC_OK;
}

/* size=WxH (or W,H): each 16 to 20000 canvas units, or both in inches or centimetres
 * (3.4in,2.5in; 8.6cmx6cm) for the vector formats */
static int set_size(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    const char *sep = strpbrk(v, "xX,");
    int w = 0, h = 0, uw = 0, uh = 0;
    double in[2] = {0, 0};
    (void)k;
    if (sep && size_side(v, (size_t)(sep - v), &w, &in[0], &uw) == LSC_OK &&
        size_side(sep + 1, strlen(sep + 1), &h, &in[1], &uh) == LSC_OK && uw == uh) {
        o->width = w;
        o->height = h;
        o->size_in[0] = in[0];
        o->size_in[1] = in[1];
        return LSC_OK;
    }
    lsc_error_set(err, LSC_EINVAL, "size=%.80s: not a size (allowed: WxH, each 16 to "
                  "20000, e.g. 800x600; or both in inches or cm for .pdf .svg .tex, e.g. "
                  "3.4in,2.5in or 8.6cmx6cm)", v);
    return LSC_EINVAL;
}

/* view=ROT_X,ROT_Z in degrees */
static int set_view(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    double a[2];
    (void)k;
    if (!strcmp(v, "lines") || !strcmp(v, "heat")) { /* kind layers */
        o->layers_view = !strcmp(v, "heat");
        return LSC_OK;
    }
    o->layers_view = -1;
    if (lsc_parse_list(v, ',', a, 2) == 2 && a[0] >= 0 && a[0] <= 180 && a[1] >= 0 &&
        a[1] <= 360) {
        o->view_x = a[0];
        o->view_z = a[1];
        return LSC_OK;
    }
    lsc_error_set(err, LSC_EINVAL, "view=%.80s: not a view (allowed: ROT_X,ROT_Z in "
                  "degrees, 0-180 and 0-360, e.g. 60,30; layers: lines or heat)", v);
    return LSC_EINVAL;
}

/* grid=: 0 (the kind's default) or 8 to 4000 */
static int set_grid(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    int g;
    if (get_int(k->key, v, k->set->lo, k->set->hi, &g, err) != LSC_OK)
        return LSC_EINVAL;
    if (g != 0 && g < 8) {
        lsc_error_set(err, LSC_EINVAL, "grid=%s: too coarse (allowed: 8 to 4000, or 0 for "
                      "the kind's default)", v);
        return LSC_EINVAL;
    }
    *(int *)MEMBER(o, k) = g;
    return LSC_OK;
}

/* max_points=: 0 (all) or at least 2 */
static int set_max_points(const lsc_plot_key *k, lsc_plot_opts *o, const char *v,
                          lsc_error *err)
{
    int m;
    if (get_int(k->key, v, k->set->lo, k->set->hi, &m, err) != LSC_OK)
        return LSC_EINVAL;
    if (m == 1) {
        lsc_error_set(err, LSC_EINVAL, "max_points=1: allowed: 0 (all) or at least 2");
        return LSC_EINVAL;
    }
    *(int *)MEMBER(o, k) = m;
    return LSC_OK;
}

/* log=: auto (-1), or a boolean */
static int set_log(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    int *lg = (int *)MEMBER(o, k);
    if (!strcmp(v, "auto")) {
        *lg = -1;
        return LSC_OK;
    }
    if (lsc_parse_bool(v, lg) == LSC_OK)
        return LSC_OK;
    lsc_error_set(err, LSC_EINVAL, "log=%.80s: allowed: auto, true, false", v);
    return LSC_EINVAL;
}

/* frame_spacing=: auto (0), linear (1), log (2) */
static int set_frame_spacing(const lsc_plot_key *k, lsc_plot_opts *o, const char *v,
                             lsc_error *err)
{
    static const char *const fsn[3] = {"auto", "linear", "log"};
    for (int q = 0; q < 3; q++)
        if (!strcmp(v, fsn[q])) {
            *(int *)MEMBER(o, k) = q;
            return LSC_OK;
        }
    lsc_error_set(err, LSC_EINVAL, "frame_spacing=%.80s: allowed: auto, linear, log", v);
    return LSC_EINVAL;
}

/* quantity=: a per-layer family (lsc_layer_columns, trajectory.h) */
static int set_quantity(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    const int f = lsc_layer_column_find(v);
    if (f >= 0) {
        *(int *)MEMBER(o, k) = f;
        return LSC_OK;
    }
    lsc_error_set(err, LSC_EINVAL, "quantity=%.80s: allowed: g, w, a, sat, h", v);
    return LSC_EINVAL;
}

/* xaxis=: step (0), epoch, examples, time (lsc_plot_xaxis) */
static int set_xaxis(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    static const char *const names[] = {"step", "epoch", "examples", "time"};
    for (int q = 0; q < LSC_COUNTOF(names); q++)
        if (!strcmp(v, names[q])) {
            *(int *)MEMBER(o, k) = q;
            return LSC_OK;
        }
    lsc_error_set(err, LSC_EINVAL, "xaxis=%.80s: allowed: step, epoch, examples, time", v);
    return LSC_EINVAL;
}

/* seed=: a decimal 0 to 2^64-1 */
static int set_seed(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    char *end;
    errno = 0;
    unsigned long long s = strtoull(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-') {
        lsc_error_set(err, LSC_EINVAL, "seed=%.80s: not a seed (allowed: 0 to 2^64-1)", v);
        return LSC_EINVAL;
    }
    *(unsigned long long *)MEMBER(o, k) = s;
    return LSC_OK;
}

/* basin_tol=: a finite distance >= 0 */
static int set_basin_tol(const lsc_plot_key *k, lsc_plot_opts *o, const char *v,
                         lsc_error *err)
{
    double d;
    if (lsc_parse_double(v, &d) != LSC_OK || !(d >= 0) || !isfinite(d)) {
        lsc_error_set(err, LSC_EINVAL, "basin_tol=%.80s: allowed: a distance >= 0 (0: 1%% "
                      "of the box diagonal)", v);
        return LSC_EINVAL;
    }
    *(double *)MEMBER(o, k) = d;
    return LSC_OK;
}

/* step=: a step number 0 to 10^15 (a long) */
static int set_step(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    long s;
    double d;
    if (lsc_parse_long(v, &s) != LSC_OK) { /* 1e3 when it is an integer */
        if (lsc_parse_double(v, &d) != LSC_OK || d != floor(d) || !(fabs(d) <= 1e15))
            s = -1;
        else
            s = (long)d;
    }
    if (s < 0 || s > 1000000000000000L) {
        lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not a step (allowed: an integer 0 to 1e15)",
                      k->key, v);
        return LSC_EINVAL;
    }
    *(long *)MEMBER(o, k) = s;
    return LSC_OK;
}

/* A setter: F(parser, member, lo, hi, flag); the common ones by type. */
#define F(fn, m, lo, hi, flag)                                                             \
    (&(const struct lsc_plot_setter){fn, offsetof(lsc_plot_opts, m),                       \
                                     sizeof(((lsc_plot_opts *)0)->m), lo, hi, flag})
#define INT(m, lo, hi) F(set_int, m, lo, hi, 0)
#define BOOL(m) F(set_bool, m, 0, 0, 0)
#define STR(m) F(set_str, m, 0, 0, 0)
#define TEXT(m, none) F(set_text, m, 0, 0, offsetof(lsc_plot_opts, none))

const lsc_plot_key lsc_plot_keys[] = {
    {"kind", "contour|surface|curves|animation|slice|basins|data|decision|layers", "figure kind",
     F(set_kind, kind, 0, 0, 0)},
    {"out", "FILE", "image file: .png .svg .pdf .tex .gif (.txt with dumb)",
     F(set_path, out, 0, 0, 0)},
    {"base", "PATH", "where FIG.gp and data go when out is empty (dumb to the terminal)",
     F(set_path, base, 0, 0, 0)},
    {"size", "WxH", "pixels (png, gif), points (svg, pdf, tex), characters (dumb); svg, pdf, "
                    "tex also in inches or cm: 3.4in,2.5in (tex default: 4.5 in wide)",
     F(set_size, width, 0, 0, 0)},
    {"font", "FAMILY,SIZE", "text font, e.g. 'DejaVu Sans,12' (tex: the size alone, LaTeX's "
                            "font at it, e.g. ',10'; default 9)",
     STR(font)},
    {"dumb", "BOOL", "draw with characters (to the terminal when out is empty)", BOOL(dumb)},
    {"gnuplot", "PROGRAM", "gnuplot executable (default $GNUPLOT, else gnuplot)",
     STR(gnuplot)},
    {"style", "FILE", "gnuplot style file inlined instead of plots/style.gp", STR(style)},
    {"title", "TEXT", "figure title (default: landscape and optimizers; empty: none)",
     TEXT(title, no_title)},
    {"caption", "TEXT", "caption line (default: schedule, clipping, noise, seed; empty: none)",
     TEXT(caption, no_caption)},
    {"xlabel", "TEXT", "x axis label", STR(xlabel)},
    {"ylabel", "TEXT", "y axis label", STR(ylabel)},
    {"quiver", "BOOL", "gradient-direction arrows (contour, animation)", BOOL(quiver)},
    {"quiver_n", "N", "arrows per axis (2 to 200)", INT(quiver_n, 2, 200)},
    {"view", "ROT_X,ROT_Z|lines|heat", "surface view angles in degrees (0-180, 0-360); "
                                       "layers: lines (one a step or run) or heat (layer "
                                       "x step)",
     F(set_view, view_x, 0, 0, 0)},
    {"grid", "N", "landscape grid points per axis (8 to 4000; 0: the kind's default)",
     F(set_grid, grid, 0, 4000, 0)},
    {"contours", "N", "about this many contour levels (0: none, at most 60)",
     INT(contours, 0, 60)},
    {"log", "auto|BOOL", "colour on a log scale of f - f_min + eps (auto: landscape hint)",
     F(set_log, log_color, 0, 0, 0)},
    {"xlim", "LO:HI", "x range (default: landscape box widened to the paths; curves: the "
                      "steps shown)",
     F(set_range, xlim, 0, 0, 0)},
    {"ylim", "[PANEL=]LO:HI", "y range; curves: of the top panel, or PANEL=LO:HI,... of the "
                              "panels named (loss=1e-8:10,lr=1e-4:1; repeatable)",
     F(set_ylim, ylim, 0, 0, 0)},
    {"curves", "loss,grad_norm,lr,dist,xK,|xK|",
     "panels of a curves figure, top to bottom; xK: coordinate K (1..stored), |xK| (or "
     "absxK): its absolute value on a log axis",
     STR(curves)},
    {"logx", "BOOL", "curves: the step axis on a log scale (step 0 drawn at 1)", BOOL(logx)},
    {"xaxis", LSC_PLOT_XAXIS_NAMES, "curves: the x axis: step, epoch or examples seen (models "
                                    "over data), wall time (a run with record_time)",
     F(set_xaxis, xaxis, 0, 0, 0)},
    {"smooth", "N", "curves: moving average over N rows drawn over the faint raw curve "
                    "(0: none)",
     INT(smooth, 0, 1000000)},
    {"frames", "N", "animation frames (2 to 2000)", INT(frames, 2, 2000)},
    {"frame_spacing", "auto|linear|log", "animation frames evenly in steps or in log(step) "
                                         "(auto: log for runs 10x longer than the frames)",
     F(set_frame_spacing, frame_spacing, 0, 0, 0)},
    {"delay", "N", "animation frame delay in 1/100 s (1 to 1000)", INT(delay, 1, 1000)},
    {"slice", "axes:I,J|random|pca", "plane of an n-D slice", STR(slice)},
    {"center", "end|start|min|origin|X1;X2;...", "point the slice passes through",
     STR(center)},
    {"seed", "N", "seed of random slice directions", F(set_seed, seed, 0, 0, 0)},
    {"max_points", "N", "rows drawn per run; longer runs are sampled evenly (0: all)",
     F(set_max_points, max_points, 0, 100000000, 0)},
    {"basin_n", "N", "basins: starts per axis (2 to 1000)", INT(basin_n, 2, 1000)},
    {"basin_tol", "D", "basins: distance to a critical point that counts as reached "
                       "(0: 1% of the box diagonal)",
     F(set_basin_tol, basin_tol, 0, 0, 0)},
    {"run", "I", "decision: the run whose weights are drawn (0-based, as in the trajectory)",
     INT(run, 0, 1000000)},
    {"step", "K", "decision: the weights at the last recorded step <= K (default: the run's "
                  "last)",
     F(set_step, step, 0, 0, 0)},
    {"quantity", "g|w|a|sat|h", "layers: the per-layer statistic: g |df/dW_l|, w |W_l|, a "
                                "pre-activation std, sat saturated fraction, h |df/dh_t| "
                                "(default: the file's first)",
     F(set_quantity, layer_q, 0, 0, 0)},
    {"no_render", "BOOL", "write FIG.gp and data only, do not run gnuplot", BOOL(no_render)},
    /* accepted, not listed: the parts of size */
    {"width", "N", "image width (size=WxH sets both)", INT(width, 16, 20000)},
    {"height", "N", "image height (size=WxH sets both)", INT(height, 16, 20000)},
    {NULL, NULL, NULL, NULL},
};
/* the documented options: the rows before width, height and the end */
const int lsc_plot_nkeys = (int)(sizeof lsc_plot_keys / sizeof lsc_plot_keys[0]) - 3;

#undef F
#undef INT
#undef BOOL
#undef STR
#undef TEXT

int lsc_plot_opts_set(lsc_plot_opts *o, const char *key, const char *v, lsc_error *err)
{
    if (!key || !v) {
        lsc_error_set(err, LSC_EINVAL, "plot option: missing key or value");
        return LSC_EINVAL;
    }
    for (const lsc_plot_key *k = lsc_plot_keys; k->key; k++)
        if (!strcmp(key, k->key)) {
            int rc = k->set->fn(k, o, v, err);
            if (rc == LSC_OK)
                o->user_set |= 1ull << (k - lsc_plot_keys);
            return rc;
        }
    const char *names[64];
    int nn = lsc_plot_nkeys < 64 ? lsc_plot_nkeys : 64;
    for (int i = 0; i < nn; i++)
        names[i] = lsc_plot_keys[i].key;
    const char *close = lsc_closest(key, names, nn);
    if (close) {
        lsc_error_set(err, LSC_EINVAL, "unknown plot option '%.80s' (did you mean '%s'?)", key,
                      close);
    } else { /* every key (the library names no command-line flag) */
        char all[700];
        size_t used = 0;
        all[0] = '\0';
        for (int i = 0; i < nn && used < sizeof all; i++)
            used += (size_t)snprintf(all + used, sizeof all - used, "%s%s", i ? ", " : "",
                                     names[i]);
        lsc_error_set(err, LSC_EINVAL, "unknown plot option '%.80s' (allowed: %s)", key, all);
    }
    return LSC_EINVAL;
}

/* ---- checking options before any work ------------------------------------------------------ */

_Static_assert(sizeof lsc_plot_keys / sizeof lsc_plot_keys[0] <= 64,
               "lsc_plot_opts.user_set has a bit per key");

/* Options every figure reads; a kind lists the others it reads (plot_kind_type.keys). */
static const char *const common_keys[] = {"kind",  "out",     "base",    "size",   "font",
                                          "dumb",  "gnuplot", "style",   "title",  "caption",
                                          "xlabel", "ylabel", "no_render", "width", "height",
                                          NULL};

static int in_list(const char *const *list, const char *key)
{
    for (; list && *list; list++)
        if (!strcmp(*list, key))
            return 1;
    return 0;
}

/* Every key the user set is read by kind K: an option the figure would ignore is an
 * error, not silence. */
static int check_keys_used(const lsc_plot_opts *o, const plot_kind_type *K, lsc_error *err)
{
    for (int i = 0; lsc_plot_keys[i].key; i++) {
        const char *key = lsc_plot_keys[i].key;
        if (!(o->user_set >> i & 1) || in_list(common_keys, key) || in_list(K->keys, key))
            continue;
        char takes[256] = "";
        size_t l = 0;
        for (const char *const *p = K->keys; p && *p && l < sizeof takes; p++)
            l += (size_t)plot_spf(takes + l, sizeof takes - l, "%s%s", l ? ", " : "", *p);
        lsc_error_set(err, LSC_EINVAL, "%s: a %s figure does not use this option (%s takes: "
                      "%s, and the options of every figure)", key, K->name, K->name,
                      takes[0] ? takes : "none");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

int plot_terminal(const lsc_plot_opts *o, const plot_kind_type *K, plot_term *term,
                  lsc_error *err)
{
    static const struct {
        const char *ext;
        plot_term term;
    } ext_term[] = {{".png", TERM_PNG}, {".svg", TERM_SVG}, {".pdf", TERM_PDF},
                    {".tex", TERM_TEX}, {".gif", TERM_GIF}};
    if (o->dumb) {
        if (!(K->flags & PLOT_DUMB)) {
            char dumb[128];
            kind_list(PLOT_DUMB, dumb, sizeof dumb);
            lsc_error_set(err, LSC_EINVAL, "dumb: a %s figure cannot be drawn with characters "
                          "(allowed with dumb: %s)", K->name, dumb);
            return LSC_EINVAL;
        }
        *term = TERM_DUMB;
    } else {
        if (!o->out[0]) {
            lsc_error_set(err, LSC_EINVAL, "out: an image file is needed (.png, .svg, .pdf, "
                          ".tex, .gif), or dumb=true to draw on the terminal");
            return LSC_EINVAL;
        }
        const char *dot = strrchr(o->out, '.'), *slash = strrchr(o->out, '/');
        if (dot && slash && dot < slash)
            dot = NULL;
        size_t q = 0, ne = sizeof ext_term / sizeof ext_term[0];
        while (q < ne && !(dot && !strcasecmp(dot, ext_term[q].ext)))
            q++;
        if (q == ne) {
            lsc_error_set(err, LSC_EINVAL, "out='%.200s': unknown image type '%s' (allowed: "
                          ".png, .svg, .pdf, .tex, .gif)", o->out, dot ? dot : "(none)");
            return LSC_EINVAL;
        }
        *term = ext_term[q].term;
    }
    if ((K->flags & PLOT_GIF) && *term != TERM_GIF) {
        lsc_error_set(err, LSC_EINVAL, "out='%.200s': an animation is written as .gif", o->out);
        return LSC_EINVAL;
    }
    if ((o->size_in[0] > 0 || o->size_in[1] > 0) &&
        (*term == TERM_PNG || *term == TERM_GIF || *term == TERM_DUMB)) {
        lsc_error_set(err, LSC_EINVAL, "size: inches and cm are for .pdf, .svg and .tex figures "
                      "(%s is sized in %s, e.g. size=%s)", *term == TERM_DUMB ? "text" :
                      *term == TERM_PNG ? "a .png" : "a .gif", *term == TERM_DUMB ? "characters"
                      : "pixels", *term == TERM_DUMB ? "100x40" : "800x600");
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* A known minimum with a finite value (curves=dist without a dist column, center=min). */
static int has_known_min(const lsc_landscape *L)
{
    int has_min = 0;
    double *xb = malloc((size_t)L->n * sizeof *xb);
    for (int i = 0; xb && i < lsc_landscape_ncritical(L) && !has_min; i++) {
        lsc_critical cp = {.x = xb};
        lsc_landscape_critical(L, i, &cp);
        has_min = cp.kind == LSC_CP_MIN && isfinite(cp.f);
    }
    free(xb);
    return has_min;
}

/* Everything lsc_plot_render or lsc_plot_render_basins would refuse for these options, for
 * a figure of landscape L from runs that will record npos coordinates (has_dist: a dist
 * column), without writing a file: so a caller (`losscape run --plot`) can refuse them
 * before it runs anything. The messages are those of the render. */
int lsc_plot_opts_check(const lsc_plot_opts *o, const lsc_landscape *L, int npos, int has_dist,
                        unsigned long long cols, int nruns, lsc_error *err)
{
    const plot_kind_type *K = plot_kind_get(o->kind);
    if (!K) {
        lsc_error_set(err, LSC_EINVAL, "kind: invalid figure kind %d", (int)o->kind);
        return LSC_EINVAL;
    }
    if (check_keys_used(o, K, err) != LSC_OK)
        return LSC_EINVAL;
    if (o->nylim_panel > 0 && !(K->flags & PLOT_PANELS)) {
        char a[32], b[32];
        lsc_error_set(err, LSC_EINVAL, "ylim=%s=%s:%s: a panel's range is for a curves figure "
                      "(a %s figure takes ylim=LO:HI)", o->ylim_panel[0].panel,
                      lsc_fmt_double(a, o->ylim_panel[0].lo),
                      lsc_fmt_double(b, o->ylim_panel[0].hi), K->name);
        return LSC_EINVAL;
    }
    /* the file: a terminal for its extension, a name, an existing directory */
    plot_term term;
    if (plot_terminal(o, K, &term, err) != LSC_OK)
        return LSC_EINVAL;
    if (o->out[0] || o->base[0]) {
        char dir[LSC_PLOT_PATH_MAX], name[LSC_PLOT_PATH_MAX];
        if (plot_place(o, dir, name, err) != LSC_OK ||
            plot_side_files_check(dir, name, term == TERM_TEX, err) != LSC_OK)
            return LSC_EINVAL;
    }
    if (plot_has_ctrl(o->font)) {
        lsc_error_set(err, LSC_EINVAL, "font: control characters are not allowed");
        return LSC_EINVAL;
    }
    if (o->style[0]) {
        FILE *fp = fopen(o->style, "r");
        if (!fp) {
            lsc_error_set(err, LSC_EINVAL, "style: cannot read '%.200s': %s", o->style,
                          strerror(errno));
            return LSC_EINVAL;
        }
        fclose(fp);
    }
    if (o->layers_view >= 0 && K->id != LSC_PLOT_LAYERS) {
        lsc_error_set(err, LSC_EINVAL, "view=%s: lines and heat are for kind layers (a %s "
                      "figure takes ROT_X,ROT_Z)", o->layers_view ? "heat" : "lines", K->name);
        return LSC_EINVAL;
    }
    /* what the kind needs of the landscape and the runs */
    plot_need need = {npos, has_dist, nruns, L ? has_known_min(L) : 0, cols};
    return K->check ? K->check(K, o, L, &need, err) : LSC_OK;
}
