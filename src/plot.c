/* plot.c — figure options, file handling, escaping, titles, and running gnuplot
 *
 * A figure is made in three steps: the data (landscape grid evaluated in C, contour
 * lines, paths) is written next to the image, then the self-contained script FIG.gp, then
 * gnuplot runs on the script in a fresh temporary directory beside the image; whatever
 * it produced is renamed into place only when it exits with status 0.
 *
 * Quoting rule (gnuplot 5 manual, "Syntax" / "Substitution"): inside single quotes
 * gnuplot does no backslash, backtick (command) or @macro substitution. A quote in the
 * text closes the literal and is concatenated back: 'it'."'".'s' (QUOTE_BREAK). A newline
 * would end the command, so control characters become spaces.
 * Text that came from a user is printed with 'noenhanced' so ^ _ @ & { } print as they
 * are. The same rule holds for the -e "OUT='...'" argument.
 */
#include "plot_priv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lsc_version.h"
#include "optim.h"
#include "schedule.h"

int plot_spf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- kinds, options ----------------------------------------------------------- */

static const char *const kind_names[LSC_PLOT_NKINDS] = {"contour", "surface", "curves",
                                                        "animation", "slice", "basins"};

const char *lsc_plot_kind_name(lsc_plot_kind k)
{
    return ((int)k >= 0 && (int)k < LSC_PLOT_NKINDS) ? kind_names[k] : "?";
}

int lsc_plot_kind_from_name(const char *s, lsc_plot_kind *k, lsc_error *err)
{
    for (int i = 0; i < LSC_PLOT_NKINDS; i++)
        if (s && !strcmp(s, kind_names[i])) {
            *k = (lsc_plot_kind)i;
            return LSC_OK;
        }
    const char *close = s ? lsc_closest(s, (const char *const *)kind_names, LSC_PLOT_NKINDS)
                          : NULL;
    lsc_error_set(err, LSC_EINVAL,
                  "kind: unknown figure kind '%.80s'%s%s%s (allowed: contour, surface, "
                  "curves, animation, slice, basins)",
                  s ? s : "", close ? " (did you mean '" : "", close ? close : "",
                  close ? "'?)" : "");
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

static int check_name(const char *what, const char *path, lsc_error *err);

/* out=, base=: a name gnuplot, a shell and LaTeX read as written (check_name) */
static int set_path(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    if (v[0] && check_name(k->key, v, err) != LSC_OK)
        return LSC_EINVAL;
    return set_str(k, o, v, err);
}

static int set_kind(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    return lsc_plot_kind_from_name(v, (lsc_plot_kind *)MEMBER(o, k), err);
}

/* "LO:HI" with LO < HI, both finite. */
static int set_range(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    char buf[256];
    const char *colon = strchr(v, ':');
    double a, b, *r = (double *)MEMBER(o, k);
    if (!colon || (size_t)(colon - v) >= sizeof buf)
        goto bad;
    memcpy(buf, v, (size_t)(colon - v));
    buf[colon - v] = '\0';
    if (lsc_parse_double(buf, &a) != LSC_OK || lsc_parse_double(colon + 1, &b) != LSC_OK ||
        !isfinite(a) || !isfinite(b) || !(a < b))
        goto bad;
    r[0] = a;
    r[1] = b;
    return LSC_OK;
bad:
    lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not a range (allowed: LO:HI with LO < HI, e.g. "
                  "-2:2)", k->key, v);
    return LSC_EINVAL;
}

/* size=WxH (or W,H), each 16 to 20000 */
static int set_size(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    const char *xpos = strpbrk(v, "xX,");
    char wb[32];
    if (xpos && (size_t)(xpos - v) < sizeof wb) {
        memcpy(wb, v, (size_t)(xpos - v));
        wb[xpos - v] = '\0';
        lsc_error e2;
        if (get_int(k->key, wb, 16, 20000, &o->width, &e2) == LSC_OK &&
            get_int(k->key, xpos + 1, 16, 20000, &o->height, &e2) == LSC_OK)
            return LSC_OK;
    }
    lsc_error_set(err, LSC_EINVAL, "size=%.80s: not a size (allowed: WxH, each 16 to "
                  "20000, e.g. 800x600)", v);
    return LSC_EINVAL;
}

/* view=ROT_X,ROT_Z in degrees */
static int set_view(const lsc_plot_key *k, lsc_plot_opts *o, const char *v, lsc_error *err)
{
    double a[2];
    (void)k;
    if (lsc_parse_list(v, ',', a, 2) == 2 && a[0] >= 0 && a[0] <= 180 && a[1] >= 0 &&
        a[1] <= 360) {
        o->view_x = a[0];
        o->view_z = a[1];
        return LSC_OK;
    }
    lsc_error_set(err, LSC_EINVAL, "view=%.80s: not a view (allowed: ROT_X,ROT_Z in "
                  "degrees, 0-180 and 0-360, e.g. 60,30)", v);
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

/* A setter: F(parser, member, lo, hi, flag); the common ones by type. */
#define F(fn, m, lo, hi, flag)                                                             \
    (&(const struct lsc_plot_setter){fn, offsetof(lsc_plot_opts, m),                       \
                                     sizeof(((lsc_plot_opts *)0)->m), lo, hi, flag})
#define INT(m, lo, hi) F(set_int, m, lo, hi, 0)
#define BOOL(m) F(set_bool, m, 0, 0, 0)
#define STR(m) F(set_str, m, 0, 0, 0)
#define TEXT(m, none) F(set_text, m, 0, 0, offsetof(lsc_plot_opts, none))

const lsc_plot_key lsc_plot_keys[] = {
    {"kind", "contour|surface|curves|animation|slice|basins", "figure kind",
     F(set_kind, kind, 0, 0, 0)},
    {"out", "FILE", "image file: .png .svg .pdf .tex .gif (.txt with dumb)",
     F(set_path, out, 0, 0, 0)},
    {"base", "PATH", "where FIG.gp and data go when out is empty (dumb to the terminal)",
     F(set_path, base, 0, 0, 0)},
    {"size", "WxH", "pixels (png, gif), points (svg, pdf, tex), characters (dumb)",
     F(set_size, width, 0, 0, 0)},
    {"font", "FAMILY,SIZE", "text font, e.g. 'DejaVu Sans,12'", STR(font)},
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
    {"view", "ROT_X,ROT_Z", "surface view angles in degrees (0-180, 0-360)",
     F(set_view, view_x, 0, 0, 0)},
    {"grid", "N", "landscape grid points per axis (8 to 4000; 0: the kind's default)",
     F(set_grid, grid, 0, 4000, 0)},
    {"contours", "N", "about this many contour levels (0: none, at most 60)",
     INT(contours, 0, 60)},
    {"log", "auto|BOOL", "colour on a log scale of f - f_min + eps (auto: landscape hint)",
     F(set_log, log_color, 0, 0, 0)},
    {"xlim", "LO:HI", "x range (default: landscape box widened to the paths)",
     F(set_range, xlim, 0, 0, 0)},
    {"ylim", "LO:HI", "y range", F(set_range, ylim, 0, 0, 0)},
    {"curves", "loss,grad_norm,lr,dist,xK,|xK|",
     "panels of a curves figure, top to bottom; xK: coordinate K (1..stored), |xK| (or "
     "absxK): its absolute value on a log axis",
     STR(curves)},
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
        if (!strcmp(key, k->key))
            return k->set->fn(k, o, v, err);
    const char *names[64];
    int nn = lsc_plot_nkeys < 64 ? lsc_plot_nkeys : 64;
    for (int i = 0; i < nn; i++)
        names[i] = lsc_plot_keys[i].key;
    const char *close = lsc_closest(key, names, nn);
    if (close)
        lsc_error_set(err, LSC_EINVAL, "unknown plot option '%.80s' (did you mean '%s'?)", key,
                      close);
    else
        lsc_error_set(err, LSC_EINVAL, "unknown plot option '%.80s' (allowed: kind, out, size, "
                      "font, title, caption, ... see --help)", key);
    return LSC_EINVAL;
}

const char *lsc_plot_style(void)
{
    return lsc_plot_style_text;
}

/* ---- file names ------------------------------------------------------------------ */

static int has_ctrl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* Output names are checked for what gnuplot, a shell or LaTeX could misread, although
 * gnuplot never sees them when losscape renders (it writes to a name of losscape's own):
 * they still appear in FIG.gp (OUT's default, DIR from the path the script was started
 * by, the data file names), and a user re-renders with `gnuplot PATH/FIG.gp`.
 *   '|'  at the start of `set output` opens a pipe to a shell command;
 *   '<'  at the start of a data file name opens a pipe from a command ('<&N': a file
 *        descriptor);
 *   '-'  is an option on gnuplot's command line ('-' alone: standard input);
 *   '$'  names a data block, not a file;
 *   ' '  gnuplot does not read a leading space as part of a data file name.
 * A path given relatively can start with any of its directories when the user
 * re-renders from another directory, so every part of the path is checked. */
static const char NAME_RULE[] =
    "gnuplot reads a leading '|', '<', '-', '$' or space as a pipe, an option or a data "
    "block: a file or directory name may start with anything else, e.g. fig.png";

/* LaTeX specials: the file name of a .tex figure is written into it (\includegraphics). */
static const char TEX_SPECIALS[] = "\\{}%#$&^~";

static int check_name(const char *what, const char *path, lsc_error *err)
{
    if (has_ctrl(path)) {
        lsc_error_set(err, LSC_EINVAL, "%s: the file name contains control characters "
                      "(newline, tab, ...): not allowed", what);
        return LSC_EINVAL;
    }
    for (const char *p = path; *p; p++) {
        if (p != path && p[-1] != '/')
            continue;
        if (*p && strchr("|<-$ ", *p)) {
            lsc_error_set(err, LSC_EINVAL, "%s='%.200s': a name starting with '%c' is not "
                          "allowed (%s)", what, path, *p, NAME_RULE);
            return LSC_EINVAL;
        }
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot && !strcasecmp(dot, ".tex") && strpbrk(base, TEX_SPECIALS)) {
        lsc_error_set(err, LSC_EINVAL, "%s='%.200s': a .tex figure's file name is written "
                      "into the LaTeX file: the characters %s are not allowed in it", what,
                      path, TEX_SPECIALS);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* Split "a/b/fig.png" into dir "a/b", stem "fig", name "fig.png". */
static int split_path(const char *path, const char *what, char *dir, char *stem, char *name,
                      int strip_ext, lsc_error *err)
{
    if (check_name(what, path, err) != LSC_OK)
        return LSC_EINVAL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash) {
        size_t dl = (size_t)(slash - path);
        if (dl == 0)
            dl = 1; /* "/fig.png" */
        memcpy(dir, path, dl);
        dir[dl] = '\0';
    } else {
        dir[0] = '\0';
    }
    plot_spf(name, LSC_PLOT_PATH_MAX, "%s", base);
    plot_spf(stem, LSC_PLOT_PATH_MAX, "%s", base);
    if (strip_ext) {
        char *dot = strrchr(stem, '.');
        if (dot) /* ".png": an extension without a name */
            *dot = '\0';
    }
    if (!stem[0] || !strcmp(stem, ".") || !strcmp(stem, "..")) {
        lsc_error_set(err, LSC_EINVAL, "%s='%.200s': needs a file name (e.g. fig.png)", what,
                      path);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* dir + "/" + name into buf */
static void join(char *buf, size_t len, const char *dir, const char *name)
{
    if (!dir[0])
        plot_spf(buf, len, "%s", name);
    else if (dir[strlen(dir) - 1] == '/')
        plot_spf(buf, len, "%s%s", dir, name);
    else
        plot_spf(buf, len, "%s/%s", dir, name);
}

int lsc_plot_script_path(const lsc_plot_opts *o, char *buf, size_t len)
{
    char dir[LSC_PLOT_PATH_MAX], stem[LSC_PLOT_PATH_MAX], name[LSC_PLOT_PATH_MAX];
    const char *p = o->out[0] ? o->out : o->base;
    if (!p[0] || split_path(p, "out", dir, stem, name, o->out[0] != 0, NULL) != LSC_OK) {
        if (len)
            buf[0] = '\0';
        return LSC_EINVAL;
    }
    char gp[LSC_PLOT_PATH_MAX + 8];
    plot_spf(gp, sizeof gp, "%s.gp", stem);
    join(buf, len, dir, gp);
    return LSC_OK;
}

const char *lsc_plot_outputs(const lsc_plot_opts *o, char *buf, size_t len)
{
    char dir[LSC_PLOT_PATH_MAX], stem[LSC_PLOT_PATH_MAX], name[LSC_PLOT_PATH_MAX];
    char data[LSC_PLOT_PATH_MAX + 4];
    const char *p = o->out[0] ? o->out : o->base;
    if (!p[0] || split_path(p, "out", dir, stem, name, o->out[0] != 0, NULL) != LSC_OK) {
        plot_spf(buf, len, "%s", o->out);
        return buf;
    }
    const char *dot = strrchr(name, '.');
    if (o->no_render) {
        char base[LSC_PLOT_PATH_MAX + 8]; /* "dir/fig." */
        plot_spf(data, sizeof data, "%s.", stem);
        join(base, sizeof base, dir, data);
        plot_spf(buf, len, "%sgp and its data files (%s*; no image: no_render)", base, base);
    } else if (o->out[0] && !o->dumb && dot && !strcasecmp(dot, ".tex")) {
        plot_spf(data, sizeof data, "%s.pdf", stem);
        join(name, sizeof name, dir, data);
        plot_spf(buf, len, "%s and %s", o->out, name);
    } else {
        plot_spf(buf, len, "%s", o->out);
    }
    return buf;
}

/* ---- commit groups ------------------------------------------------------------------ */

struct lsc_plot_group {
    int n, cap;
    lsc_outfile **f; /* written, flushed, not yet moved into place */
};

lsc_plot_group *lsc_plot_group_new(void)
{
    return calloc(1, sizeof(lsc_plot_group));
}

static int group_has(const lsc_plot_group *g, const char *target)
{
    for (int i = 0; i < g->n; i++)
        if (!strcmp(g->f[i]->target, target))
            return 1;
    return 0;
}

/* Take f (heap, open) into g; on failure f is aborted and freed. */
static int group_add(lsc_plot_group *g, lsc_outfile *f, lsc_error *err)
{
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 16;
        lsc_outfile **nf = realloc(g->f, (size_t)cap * sizeof *nf);
        if (!nf) {
            lsc_outfile_abort(f);
            free(f);
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            return LSC_ENOMEM;
        }
        g->f = nf;
        g->cap = cap;
    }
    g->f[g->n++] = f;
    return LSC_OK;
}

/* Open `path` for the group into *out: refused when the group already writes it. */
static int group_open(const lsc_plot_group *g, const char *path, lsc_outfile **out,
                      lsc_error *err)
{
    lsc_outfile *f = malloc(sizeof *f);
    *out = NULL;
    if (!f) {
        lsc_error_set(err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    int rc = lsc_outfile_open(f, path, "out", err);
    if (rc != LSC_OK) {
        free(f);
        return rc;
    }
    if (group_has(g, f->target)) {
        lsc_outfile_abort(f);
        free(f);
        lsc_error_set(err, LSC_EINVAL, "out: '%s' would be written twice (two figures with "
                      "the same name in one call): give each figure its own out", path);
        return LSC_EINVAL;
    }
    *out = f;
    return LSC_OK;
}

void lsc_plot_group_abort(lsc_plot_group *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->n; i++) {
        lsc_outfile_abort(g->f[i]);
        free(g->f[i]);
    }
    free(g->f);
    free(g);
}

int lsc_plot_group_commit(lsc_plot_group *g, lsc_error *err)
{
    if (!g) {
        lsc_error_set(err, LSC_EINVAL, "plot: no commit group");
        return LSC_EINVAL;
    }
    /* each file is renamed into place (outfile.h); they were all written and flushed, so
     * what can still fail here is the rename itself: then the rest is removed */
    int rc = LSC_OK;
    for (int i = 0; i < g->n; i++) {
        if (rc == LSC_OK)
            rc = lsc_outfile_commit(g->f[i], err);
        else
            lsc_outfile_abort(g->f[i]);
        free(g->f[i]);
    }
    free(g->f);
    free(g);
    return rc;
}

/* ---- data files --------------------------------------------------------------------- */

int plot_open(plot_ctx *c, const char *suffix, plot_file *f)
{
    char path[LSC_PLOT_PATH_MAX];
    memset(f, 0, sizeof *f);
    plot_spf(f->name, sizeof f->name, "%s%s", c->stem, suffix);
    join(path, sizeof path, c->dir, f->name);
    int rc = group_open(c->group, path, &f->of, c->err);
    if (rc != LSC_OK)
        return rc;
    f->fp = f->of->fp;
    return LSC_OK;
}

void plot_abort(plot_file *f)
{
    if (f->of) {
        lsc_outfile_abort(f->of);
        free(f->of);
    }
    f->of = NULL;
    f->fp = NULL;
}

int plot_close(plot_ctx *c, plot_file *f)
{
    /* flushed now, so that gnuplot reads it whole; moved into place with the group */
    int bad = ferror(f->fp) || fflush(f->fp) != 0;
    if (bad) {
        char path[LSC_PLOT_PATH_MAX];
        join(path, sizeof path, c->dir, f->name);
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", path,
                      errno ? strerror(errno) : "write error");
        plot_abort(f);
        return LSC_EIO;
    }
    lsc_outfile *of = f->of;
    f->of = NULL;
    f->fp = NULL;
    return group_add(c->group, of, c->err);
}

/* ---- writing the script ------------------------------------------------------------ */

void plot_printf(const plot_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->gp, fmt, ap);
    va_end(ap);
}

/* Length of a valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0
                                                                       ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* A single quote inside a single-quoted literal: gnuplot's doubling ('') fails at the start
 * of a string (a literal opening with three quotes scans as an empty string, then another
 * string), so the literal is closed, a quote added by concatenation with a double-quoted
 * "'" (no user text in it), and reopened: it's -> 'it'."'".'s' */
#define QUOTE_BREAK "'.\"'\".'"

/* User text, made safe: control characters to spaces, invalid UTF-8 to '?'. For LaTeX
 * (cairolatex), the specials get their text-mode forms. Quotes: QUOTE_BREAK. */
static void put_text(FILE *fp, const char *s, int tex)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7f) {
            fputc(' ', fp);
            p++;
            continue;
        }
        int n = utf8_len(p);
        if (n == 0) {
            fputc('?', fp);
            p++;
            continue;
        }
        if (n > 1) {
            fwrite(p, 1, (size_t)n, fp);
            p += n;
            continue;
        }
        char ch = (char)*p++;
        if (ch == '\'') {
            fputs(QUOTE_BREAK, fp);
            continue;
        }
        if (tex) {
            switch (ch) {
            case '\\': fputs("\\textbackslash{}", fp); continue;
            case '{': case '}': case '$': case '&': case '#': case '%': case '_':
                fputc('\\', fp);
                fputc(ch, fp);
                continue;
            case '^': fputs("\\textasciicircum{}", fp); continue;
            case '~': fputs("\\textasciitilde{}", fp); continue;
            default: break;
            }
        }
        fputc(ch, fp);
    }
}

void plot_str(const plot_ctx *c, const char *s)
{
    fputc('\'', c->gp);
    put_text(c->gp, s, c->term == TERM_TEX);
    fputc('\'', c->gp);
}

/* A comment line: control characters to spaces; a trailing backslash would continue the
 * comment onto the next line (gnuplot joins lines ending in '\'), so it is followed by a
 * space and a full stop. */
static void put_comment(FILE *fp, const char *prefix, const char *s)
{
    fputs("# ", fp);
    fputs(prefix, fp);
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : (int)ch, fp);
    }
    if (n && s[n - 1] == '\\')
        fputs(" .", fp);
    fputc('\n', fp);
}

/* A file name as a quoted literal: quotes doubled, nothing else changed (control
 * characters were refused when the name was given). */
static void put_name(FILE *fp, const char *name)
{
    fputc('\'', fp);
    for (const char *p = name; *p; p++) {
        if (*p == '\'')
            fputs(QUOTE_BREAK, fp);
        else
            fputc(*p, fp);
    }
    fputc('\'', fp);
}

/* "# Re-render: gnuplot fig.gp", the name quoted for a POSIX shell when it has anything
 * but letters, digits and . _ - + , = : @ / (a reader may paste the line into a shell:
 * 'a;b.gp', with a quote as '\'' ). Control characters were refused with the name. */
static void put_rerender(FILE *fp, const char *name)
{
    fputs("# Re-render: gnuplot ", fp);
    int plain = name[0] != '\0';
    for (const char *p = name; *p; p++)
        plain &= isalnum((unsigned char)*p) || (*p && strchr("._-+,=:@/", *p));
    if (plain) {
        fputs(name, fp);
    } else {
        fputc('\'', fp);
        for (const char *p = name; *p; p++) {
            if (*p == '\'')
                fputs("'\\''", fp);
            else
                fputc(*p, fp);
        }
        fputc('\'', fp);
    }
    fputc('\n', fp);
}

void plot_fileref(const plot_ctx *c, const char *name)
{
    fputs("DIR.", c->gp);
    put_name(c->gp, name);
}

const char *plot_num(char *buf, double x)
{
    if (isnan(x))
        return strcpy(buf, "NaN");
    if (isinf(x))
        return strcpy(buf, x > 0 ? "1e308" : "-1e308");
    plot_spf(buf, 32, "%.10g", x);
    if (!strpbrk(buf, ".eEn") && fabs(x) > 2e9)
        strcat(buf, ".0"); /* gnuplot integers are 64-bit, but keep reals real */
    return buf;
}

int plot_is_text(const plot_ctx *c)
{
    return c->term == TERM_DUMB;
}

const char *plot_sym(const plot_ctx *c, const char *utf8, const char *tex, const char *ascii)
{
    if (c->term == TERM_TEX)
        return tex;
    if (c->term == TERM_DUMB)
        return ascii;
    return utf8;
}

/* ---- short names for titles and legends ----------------------------------------------- */

/* "k=v,k=v" of the parameters in spec whose values differ from the descriptor's
 * defaults (numbers compared as numbers). */
static void nondefault(const lsc_spec *sp, const lsc_param_desc *desc, int nd, char *buf,
                       size_t len)
{
    size_t w = 0;
    buf[0] = '\0';
    for (int i = 0; i < sp->n; i++) {
        if (!strcmp(sp->key[i], "label"))
            continue;
        int keep = 1;
        for (int k = 0; k < nd; k++) {
            if (strcmp(desc[k].name, sp->key[i]))
                continue;
            double v;
            if (desc[k].kind == LSC_PARAM_LIST) {
                keep = strcmp(sp->val[i], desc[k].def_list ? desc[k].def_list : "") != 0;
            } else if (desc[k].kind == LSC_PARAM_BOOL) {
                int b;
                keep = !(lsc_parse_bool(sp->val[i], &b) == LSC_OK && b == (desc[k].def != 0));
            } else if (lsc_parse_double(sp->val[i], &v) == LSC_OK) {
                keep = v != desc[k].def;
            }
            break;
        }
        if (!keep)
            continue;
        int k = plot_spf(buf + w, len - w, "%s%s=%s", w ? " " : "", sp->key[i], sp->val[i]);
        if (k < 0 || (size_t)k >= len - w)
            break;
        w += (size_t)k;
    }
}

void plot_short_optimizer(const char *spec, char *buf, size_t len)
{
    lsc_spec sp;
    const lsc_optim_type *T = NULL;
    if (lsc_spec_parse(spec, "optimizer", &sp, NULL) != LSC_OK ||
        !(T = lsc_optim_type_find(sp.name))) {
        plot_spf(buf, len, "%s", spec);
        return;
    }
    char nd[LSC_VALUE_MAX];
    nondefault(&sp, T->params, T->nparams, nd, sizeof nd);
    plot_spf(buf, len, "%s%s%s", sp.name, nd[0] ? " " : "", nd);
}

void plot_short_schedule(const char *spec, char *buf, size_t len)
{
    /* "warmup:total_iters=50,start_factor=0.3333+cosine:T_max=500,eta_min=0" ->
     * "warmup total_iters=50 + cosine T_max=500" */
    size_t w = 0;
    buf[0] = '\0';
    if (!spec || !spec[0]) {
        plot_spf(buf, len, "constant");
        return;
    }
    char part[LSC_VALUE_MAX];
    const char *p = spec;
    while (*p && w < len) {
        size_t n = strcspn(p, "+");
        if (n >= sizeof part)
            n = sizeof part - 1;
        memcpy(part, p, n);
        part[n] = '\0';
        lsc_spec sp;
        const lsc_schedule_type *T = NULL;
        char one[LSC_VALUE_MAX];
        if (lsc_spec_parse(part, "schedule", &sp, NULL) == LSC_OK &&
            (T = lsc_schedule_type_find(sp.name))) {
            char nd[LSC_VALUE_MAX];
            nondefault(&sp, T->params, T->nparams, nd, sizeof nd);
            plot_spf(one, sizeof one, "%s%s%s", sp.name, nd[0] ? " " : "", nd);
        } else {
            plot_spf(one, sizeof one, "%s", part);
        }
        int k = plot_spf(buf + w, len - w, "%s%s", w ? " + " : "", one);
        if (k < 0 || (size_t)k >= len - w)
            break;
        w += (size_t)k;
        p += n;
        if (*p == '+')
            p++;
    }
}

void plot_short_landscape(const lsc_landscape *L, const char *spec, char *buf, size_t len)
{
    const lsc_landscape_type *T = L ? L->type : NULL;
    lsc_spec sp;
    char nd[LSC_VALUE_MAX] = "";
    char dim[32] = "";
    if (T && T->dim == 0)
        plot_spf(dim, sizeof dim, " (n=%d)", L->n);
    if (T && T->raw_arg) {
        plot_spf(buf, len, "%s: %s", T->name, L->arg);
        return;
    }
    if (!spec || lsc_spec_parse(spec, "landscape", &sp, NULL) != LSC_OK) {
        plot_spf(buf, len, "%s", spec ? spec : (T ? T->name : "?"));
        return;
    }
    if (!T)
        T = lsc_landscape_type_find(sp.name);
    if (T)
        nondefault(&sp, T->params, T->nparams, nd, sizeof nd);
    plot_spf(buf, len, "%s%s%s%s", sp.name, nd[0] ? " " : "", nd, dim);
}

/* Case-insensitive substring test (ASCII). */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 0;
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return 0;
}

static const char *run_schedule(const lsc_trajectory *t, const lsc_run_record *R)
{
    return R->schedule[0] ? R->schedule : t->schedule;
}

/* Driver options of run r that differ between the runs of t, e.g. ", cosine T_max=1000,
 * noise 0.5"; an option is left out when `said` (the legend's text so far) names it. */
static void differing_options(const lsc_trajectory *t, int r, const char *said, char *buf,
                              size_t len)
{
    const lsc_run_record *R = &t->runs[r];
    char num[32];
    int dsched = 0, dnoise = 0, dcn = 0, dcv = 0;
    for (int q = 0; q < t->nruns; q++) {
        const lsc_run_record *Q = &t->runs[q];
        dsched |= strcmp(run_schedule(t, Q), run_schedule(t, R)) != 0;
        dnoise |= Q->noise != R->noise;
        dcn |= Q->clip_norm != R->clip_norm;
        dcv |= Q->clip_value != R->clip_value;
    }
    size_t w = 0;
    buf[0] = '\0';
#define ADDO(...)                                                                         \
    do {                                                                                  \
        int k_ = plot_spf(buf + w, len - w, __VA_ARGS__);                                 \
        if (k_ > 0 && (size_t)k_ < len - w)                                               \
            w += (size_t)k_;                                                              \
    } while (0)
    if (dsched) {
        char sched[LSC_VALUE_MAX], name[LSC_NAME_MAX];
        const char *sp = run_schedule(t, R);
        size_t n = strcspn(sp, ":+");
        plot_spf(name, sizeof name, "%.*s", (int)n, sp[0] ? sp : "constant");
        if (!contains_ci(said, name) && !contains_ci(said, "schedule")) {
            plot_short_schedule(sp, sched, sizeof sched);
            ADDO(", %s", sched);
        }
    }
    if (dnoise && !contains_ci(said, "noise"))
        ADDO(R->noise > 0 ? ", noise %s" : ", no noise%s",
             R->noise > 0 ? lsc_fmt_double(num, R->noise) : "");
    if (dcn && !contains_ci(said, "clip"))
        ADDO(R->clip_norm > 0 ? ", clip_norm %s" : ", no clipping%s",
             R->clip_norm > 0 ? lsc_fmt_double(num, R->clip_norm) : "");
    if (dcv && !contains_ci(said, "clip"))
        ADDO(R->clip_value > 0 ? ", clip_value %s" : ", no value clipping%s",
             R->clip_value > 0 ? lsc_fmt_double(num, R->clip_value) : "");
#undef ADDO
}

void plot_run_legend(const lsc_trajectory *t, int r, char *buf, size_t len)
{
    const lsc_run_record *R = &t->runs[r];
    lsc_spec sp;
    /* a label of the user's own is shown as given; otherwise the optimizer with its
     * non-default hyper-parameters */
    char base[LSC_VALUE_MAX], own[LSC_VALUE_MAX + 128];
    if (R->label[0] && !(lsc_spec_parse(R->optimizer, "optimizer", &sp, NULL) == LSC_OK &&
                         !strcmp(sp.name, R->label)))
        plot_spf(base, sizeof base, "%s", R->label);
    else
        plot_short_optimizer(R->optimizer, base, sizeof base);
    differing_options(t, r, base, own, sizeof own);
    plot_spf(buf, len, "%s%s", base, own);
}

/* Runs share a colour when they share legend text, optimizer and driver options (the
 * same method from several starts). */
static void group_key(const lsc_trajectory *t, int r, char *buf, size_t len)
{
    const lsc_run_record *R = &t->runs[r];
    char leg[LSC_VALUE_MAX];
    plot_run_legend(t, r, leg, sizeof leg);
    plot_spf(buf, len, "%s\x1f%s\x1f%s\x1f%.17g\x1f%.17g\x1f%.17g", leg, R->optimizer,
             run_schedule(t, R), R->noise, R->clip_norm, R->clip_value);
}

/* The colour (line type of plots/style.gp) of each optimizer type. */
static const struct {
    const char *type;
    int lt;
} type_colour[] = {
    {"gd", 1},    {"sgd", 1},   {"momentum", 2}, {"adam", 3},  {"nesterov", 4},
    {"sfn", 4},   {"rmsprop", 5}, {"adamw", 6},  {"radam", 6}, {"pgd", 6},
    {"adagrad", 7}, {"nadam", 7}, {"newton", 7},
};

void plot_group_colours(const lsc_trajectory *t, const int *first, int ngroups, int *lt)
{
    int used[9] = {0};
    /* pass 1: the first group of each type takes the type's colour, if still free */
    for (int g = 0; g < ngroups; g++) {
        lt[g] = 0;
        lsc_spec sp;
        if (lsc_spec_parse(t->runs[first[g]].optimizer, "optimizer", &sp, NULL) != LSC_OK)
            continue;
        for (size_t k = 0; k < sizeof type_colour / sizeof type_colour[0]; k++)
            if (!strcmp(sp.name, type_colour[k].type) && !used[type_colour[k].lt]) {
                lt[g] = type_colour[k].lt;
                used[lt[g]] = 1;
                break;
            }
    }
    /* pass 2: the others take the first free colour (all 8 taken: cycle) */
    for (int g = 0; g < ngroups; g++) {
        if (lt[g])
            continue;
        for (int k = 1; k <= 8 && !lt[g]; k++)
            if (!used[k]) {
                lt[g] = k;
                used[k] = 1;
            }
        if (!lt[g])
            lt[g] = g % 8 + 1;
    }
}

int plot_run_groups(const lsc_trajectory *t, int *group, int *first)
{
    int ng = 0;
    char a[3 * LSC_VALUE_MAX], b[3 * LSC_VALUE_MAX];
    for (int r = 0; r < t->nruns; r++) {
        group_key(t, r, a, sizeof a);
        group[r] = -1;
        for (int g = 0; g < ng; g++) {
            group_key(t, first[g], b, sizeof b);
            if (!strcmp(a, b)) {
                group[r] = g;
                break;
            }
        }
        if (group[r] < 0) {
            first[ng] = r;
            group[r] = ng++;
        }
    }
    return ng;
}

/* ---- header, style, terminal ---------------------------------------------------------- */

int plot_font_size(const plot_ctx *c)
{
    const char *comma = strrchr(c->font, ',');
    double s = comma ? atof(comma + 1) : 0;
    return s > 2 && s < 200 ? (int)lround(s) : 12;
}

/* The style file (o->style) into c->style_text, before anything is written: a style that
 * cannot be read is a bad option (LSC_EINVAL), found before any file exists. */
#define STYLE_MAX (1 << 20)

static int read_style(plot_ctx *c)
{
    const char *path = c->o->style;
    struct stat st;
    if (!path[0])
        return LSC_OK;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        lsc_error_set(c->err, LSC_EINVAL, "style: '%s' is a directory (allowed: a gnuplot "
                      "file, e.g. plots/style.gp)", path);
        return LSC_EINVAL;
    }
    FILE *sf = fopen(path, "r");
    if (!sf) {
        lsc_error_set(c->err, LSC_EINVAL, "style: cannot read '%s': %s (allowed: a readable "
                      "gnuplot file, e.g. plots/style.gp)", path, strerror(errno));
        return LSC_EINVAL;
    }
    char *buf = malloc(STYLE_MAX + 1);
    size_t n = buf ? fread(buf, 1, STYLE_MAX + 1, sf) : 0;
    int bad = !buf || ferror(sf);
    fclose(sf);
    if (bad || n > STYLE_MAX) {
        free(buf);
        lsc_error_set(c->err, LSC_EINVAL, bad ? "style: cannot read '%s'"
                                              : "style: '%s' is larger than 1 MiB", path);
        return LSC_EINVAL;
    }
    buf[n] = '\0';
    c->style_text = buf;
    c->style_len = n;
    return LSC_OK;
}

static void write_style(plot_ctx *c)
{
    const lsc_plot_opts *o = c->o;
    if (!c->style_text) {
        fputs("# --- style: plots/style.gp (built in) ---\n", c->gp);
        fputs(lsc_plot_style_text, c->gp);
        fputs("# --- end of style ---\n\n", c->gp);
        return;
    }
    put_comment(c->gp, "--- style: ", o->style);
    fwrite(c->style_text, 1, c->style_len, c->gp);
    if (c->style_len && c->style_text[c->style_len - 1] != '\n')
        fputc('\n', c->gp);
    fputs("# --- end of style ---\n\n", c->gp);
}

static void write_provenance(plot_ctx *c)
{
    const lsc_trajectory *t = c->t;
    char buf[LSC_VALUE_MAX + 64], num[32];
    if (c->L) {
        char spec[LSC_VALUE_MAX];
        lsc_landscape_describe(c->L, spec, sizeof spec);
        put_comment(c->gp, "landscape: ", spec);
        plot_spf(buf, sizeof buf, "%d", c->L->n);
        put_comment(c->gp, "dim: ", buf);
    } else if (t) {
        put_comment(c->gp, "landscape: ", t->landscape);
    }
    if (!t)
        return;
    put_comment(c->gp, "trajectory written by losscape ", t->version);
    put_comment(c->gp, "schedule: ", t->schedule);
    put_comment(c->gp, "clip_norm: ", lsc_fmt_double(num, t->clip_norm));
    put_comment(c->gp, "clip_value: ", lsc_fmt_double(num, t->clip_value));
    put_comment(c->gp, "noise: ", lsc_fmt_double(num, t->noise));
    plot_spf(buf, sizeof buf, "%llu", t->seed);
    put_comment(c->gp, "seed: ", buf);
    plot_spf(buf, sizeof buf, "%ld", t->steps);
    put_comment(c->gp, "steps: ", buf);
    put_comment(c->gp, "stop_grad: ", lsc_fmt_double(num, t->stop_grad));
    plot_spf(buf, sizeof buf, "%ld", t->every);
    put_comment(c->gp, "every: ", buf);
    for (int r = 0; r < t->nruns; r++) {
        const lsc_run_record *R = &t->runs[r];
        char pre[64];
        plot_spf(pre, sizeof pre, "run %d optimizer: ", r);
        put_comment(c->gp, pre, R->optimizer);
        if (R->schedule[0] && strcmp(R->schedule, t->schedule)) {
            plot_spf(pre, sizeof pre, "run %d schedule: ", r);
            put_comment(c->gp, pre, R->schedule);
        }
        if (R->own_noise) {
            plot_spf(pre, sizeof pre, "run %d noise: ", r);
            put_comment(c->gp, pre, lsc_fmt_double(num, R->noise));
        }
        if (R->own_clip_norm) {
            plot_spf(pre, sizeof pre, "run %d clip_norm: ", r);
            put_comment(c->gp, pre, lsc_fmt_double(num, R->clip_norm));
        }
        if (R->own_clip_value) {
            plot_spf(pre, sizeof pre, "run %d clip_value: ", r);
            put_comment(c->gp, pre, lsc_fmt_double(num, R->clip_value));
        }
        plot_spf(pre, sizeof pre, "run %d label: ", r);
        put_comment(c->gp, pre, R->label);
        size_t w = 0;
        buf[0] = '\0';
        for (int j = 0; j < t->n && j < 10; j++) {
            int k = plot_spf(buf + w, sizeof buf - w, "%s%s", j ? "," : "",
                             lsc_fmt_double(num, R->start[j]));
            if (k < 0 || (size_t)k >= sizeof buf - w)
                break;
            w += (size_t)k;
        }
        if (t->n > 10 && w + 8 < sizeof buf)
            strcat(buf, ",...");
        plot_spf(pre, sizeof pre, "run %d start: ", r);
        put_comment(c->gp, pre, buf);
        plot_spf(buf, sizeof buf, "%s (%s), %zu rows", lsc_stop_name(R->status), R->reason,
                 R->len);
        plot_spf(pre, sizeof pre, "run %d status: ", r);
        put_comment(c->gp, pre, buf);
    }
}

static void write_terminal(plot_ctx *c)
{
    const char *font = c->font;
    double w = c->width, h = c->height;
    switch (c->term) {
    case TERM_PNG:
        plot_printf(c, "set terminal pngcairo size %d,%d enhanced font ", c->width, c->height);
        plot_str(c, font);
        plot_printf(c, " linewidth 1.2\n");
        break;
    case TERM_SVG:
        plot_printf(c, "set terminal svg size %d,%d enhanced font ", c->width, c->height);
        plot_str(c, font);
        plot_printf(c, " linewidth 1.2 background rgb 'white'\n");
        break;
    case TERM_PDF:
        /* pdfcairo defaults to fontscale 0.5; points and lines are larger per unit than
         * pngcairo's: scaled so a figure looks like its PNG */
        plot_printf(c, "set terminal pdfcairo size %.4gin,%.4gin enhanced font ", w / 72,
                    h / 72);
        plot_str(c, font);
        plot_printf(c, " fontscale 1.0 linewidth 1.0 pointscale 0.9\n");
        break;
    case TERM_TEX:
        plot_printf(c, "set terminal cairolatex pdf size %.4gin,%.4gin color", w / 72, h / 72);
        if (c->o->font[0]) { /* LaTeX sets the text; a font here only sizes the layout */
            plot_printf(c, " font ");
            plot_str(c, font);
        }
        plot_printf(c, " fontscale 1.0 linewidth 1.0 pointscale 0.9\n");
        break;
    case TERM_GIF:
        if (c->kind == LSC_PLOT_ANIMATION)
            plot_printf(c, "set terminal gif animate delay %d loop 0 size %d,%d "
                        "enhanced font ", c->o->delay, c->width, c->height);
        else
            plot_printf(c, "set terminal gif truecolor size %d,%d enhanced font ", c->width,
                        c->height);
        plot_str(c, font);
        plot_printf(c, "\n");
        break;
    case TERM_DUMB:
        plot_printf(c, "set terminal dumb size %d,%d\n", c->width, c->height);
        break;
    }
    if (c->out_name[0])
        plot_printf(c, "set output OUT\n");
    plot_printf(c, "set encoding utf8\n");
}

int plot_script_begin(plot_ctx *c, const char *what)
{
    char gpn[LSC_PLOT_PATH_MAX + 8];
    plot_spf(gpn, sizeof gpn, "%s.gp", c->stem);
    fprintf(c->gp, "# losscape %s: %s\n#\n", LSC_VERSION, what);
    put_rerender(c->gp, gpn);
    fprintf(c->gp, "#   (from any directory: the data files are read next to this script)\n");
    if (c->out_name[0])
        fprintf(c->gp, "# Another file: gnuplot -e \"OUT='other.png'\" FIG.gp (same terminal; "
                       "edit 'set terminal' for another format)\n");
    fprintf(c->gp, "# The landscape was evaluated by losscape on a grid (a data file); "
                   "gnuplot only draws.\n#\n");
    write_provenance(c);
    fputs("\n", c->gp);
    write_style(c);
    fputs("# data files live next to this script\n"
          "DIR = ''\n"
          "if (exists('ARG0') && strlen(ARG0) > 0) { _i = strlen(ARG0); "
          "while (_i > 0 && ARG0[_i:_i] ne '/') { _i = _i - 1 }; "
          "if (_i > 0) { DIR = ARG0[1:_i] } }\n",
          c->gp);
    if (c->out_name[0]) {
        fputs("if (!exists('OUT')) OUT = DIR.", c->gp);
        put_name(c->gp, c->out_name);
        fputs("\n", c->gp);
    }
    write_terminal(c);
    plot_printf(c, "FONTSIZE = %d\n", plot_font_size(c));
    plot_printf(c, "set clip two\n");
    return LSC_OK;
}

/* Advance widths of DejaVu Sans (the default font), ASCII 32..126, in 1/1000 em, read
 * from the font's metrics (hmtx table of DejaVuSans.ttf 2.37). Text is wrapped by these
 * widths, so a caption fits the canvas whatever its letters. */
static const short dejavu_w[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};

/* Width of one UTF-8 character starting at s (n bytes), in em. */
static double char_em(const unsigned char *s, int n)
{
    if (n == 1)
        return s[0] >= 32 && s[0] < 127 ? dejavu_w[s[0] - 32] / 1000.0 : 0.6;
    /* a few wide mathematical signs (− ≤ ≥ × ≈ = 0.838 em, — = 1 em); the rest (Greek,
     * ‖, ∇, ·) about 0.65 em */
    if (n == 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0x94)
        return 1.0;
    if (n == 3 && s[0] == 0xe2 && (s[1] == 0x88 || s[1] == 0x89))
        return 0.838;
    if (n == 2 && s[0] == 0xc3 && s[1] == 0x97)
        return 0.838;
    return 0.65;
}

double plot_text_em(const char *s)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = utf8_len(p);
        if (n == 0)
            n = 1;
        w += char_em(p, n);
        p += n;
    }
    return w;
}

double plot_em(const plot_ctx *c)
{
    /* cairo (png) and libgd (gif) set a font of s points s * 96/72 pixels high; svg, pdf
     * and tex canvases are measured in points (1 pt = 1 unit) */
    double k = c->term == TERM_PNG || c->term == TERM_GIF ? 96.0 / 72.0 : 1.0;
    return c->term == TERM_DUMB ? 1.0 : plot_font_size(c) * k;
}

/* Wrap text at spaces into lines at most `maxem` em wide. */
static int wrap(const char *s, double maxem, char lines[][512], int maxlines)
{
    int nl = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && nl < maxlines) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const unsigned char *brk = NULL, *q = p;
        double w = 0;
        while (*q) {
            int n = utf8_len(q);
            if (n == 0)
                n = 1;
            double cw = char_em(q, n);
            if (w + cw > maxem && q > p)
                break;
            if (*q == ' ')
                brk = q;
            w += cw;
            q += n;
        }
        if (!*q)
            brk = q;
        else if (!brk || brk == p)
            brk = q; /* one word longer than a line: cut it */
        size_t n = (size_t)(brk - p);
        if (n > 511)
            n = 511;
        memcpy(lines[nl], p, n);
        lines[nl][n] = '\0';
        nl++;
        p = brk;
    }
    return nl;
}

/* The driver options of every run, when they are the same for all runs: schedule,
 * clipping, noise (recipes can give groups of runs their own). */
static int common_option(const lsc_trajectory *t, int which)
{
    for (int r = 1; r < t->nruns; r++) {
        const lsc_run_record *A = &t->runs[0], *B = &t->runs[r];
        switch (which) {
        case 0:
            if (strcmp(A->schedule[0] ? A->schedule : t->schedule,
                       B->schedule[0] ? B->schedule : t->schedule))
                return 0;
            break;
        case 1: if (A->clip_norm != B->clip_norm) return 0; break;
        case 2: if (A->clip_value != B->clip_value) return 0; break;
        case 3: if (A->noise != B->noise) return 0; break;
        default: break;
        }
    }
    return 1;
}

/* The automatic caption: how to reproduce what the figure shows. */
static void auto_caption(const plot_ctx *c, char *buf, size_t len)
{
    const lsc_trajectory *t = c->t;
    char num[32];
    size_t w = 0;
    buf[0] = '\0';
#define ADD(...)                                                                          \
    do {                                                                                  \
        int k_ = plot_spf(buf + w, len - w, __VA_ARGS__);                                 \
        if (k_ > 0 && (size_t)k_ < len - w)                                               \
            w += (size_t)k_;                                                              \
    } while (0)
    if (!t)
        return;
    const lsc_run_record *R0 = t->nruns > 0 ? &t->runs[0] : NULL;
    /* options the runs share are listed; options that differ are in the legend */
    if (!R0 || common_option(t, 0)) {
        char sched[LSC_VALUE_MAX];
        plot_short_schedule(R0 && R0->schedule[0] ? R0->schedule : t->schedule, sched,
                            sizeof sched);
        ADD("schedule %s", sched);
    } else {
        ADD("schedules per run");
    }
    double cn = R0 ? R0->clip_norm : t->clip_norm, cv = R0 ? R0->clip_value : t->clip_value;
    double nz = R0 ? R0->noise : t->noise;
    if ((!R0 || common_option(t, 1)) && cn > 0)
        ADD(", clip_norm %s", lsc_fmt_double(num, cn));
    if ((!R0 || common_option(t, 2)) && cv > 0)
        ADD(", clip_value %s", lsc_fmt_double(num, cv));
    if ((!R0 || common_option(t, 3)) && nz > 0)
        ADD(", gradient noise sd %s", lsc_fmt_double(num, nz));
    ADD(", %ld steps", t->steps);
    if (t->stop_grad > 0)
        ADD(" (stop at |grad f| <= %s)", lsc_fmt_double(num, t->stop_grad));
    ADD(", seed %llu", t->seed);
    if (t->nruns == 1 && t->n <= 4) {
        ADD(", start (");
        for (int j = 0; j < t->n; j++)
            ADD("%s%s", j ? ", " : "", lsc_fmt_double(num, t->runs[0].start[j]));
        ADD(")");
    }
    ADD(".");
#undef ADD
}

/* Append sentence s to buf (a space between; a full stop closes the text before when
 * it has no closing punctuation). */
static void add_sentence(char *buf, size_t len, const char *s)
{
    size_t l = strlen(buf);
    if (!s || !s[0] || l + 2 >= len)
        return;
    if (l) {
        char last = buf[l - 1];
        if (!strchr(".!?;:)", last))
            buf[l++] = '.';
        buf[l++] = ' ';
        buf[l] = '\0';
    }
    plot_spf(buf + l, len - l, "%s", s);
}

void plot_title_caption(plot_ctx *c, const char *auto_title, const char *extra, int multi)
{
    const lsc_plot_opts *o = c->o;
    c->title[0] = '\0';
    if (!o->no_title) {
        const char *ti = o->title[0] ? o->title : auto_title;
        plot_spf(c->title, sizeof c->title, "%s", ti ? ti : "");
    }
    if (c->title[0] && !multi) {
        plot_printf(c, "set title ");
        plot_str(c, c->title);
        plot_printf(c, " noenhanced font ',%d'\n", (int)lround(plot_font_size(c) * 1.15));
    }
    c->ncaption = 0;
    c->cap_h = 0;
    if (o->no_caption || plot_is_text(c))
        return;
    /* the caption: the user's text or the automatic one, then the figure's notes that
     * keep it honest (values drawn at a floor, the colour scale's epsilon, projections),
     * then the version when the text is automatic */
    char cap[4096] = "", ver[64];
    if (o->caption[0])
        plot_spf(cap, sizeof cap, "%s", o->caption);
    else if (c->auto_caption[0])
        plot_spf(cap, sizeof cap, "%s", c->auto_caption);
    else
        auto_caption(c, cap, sizeof cap);
    add_sentence(cap, sizeof cap, extra);
    if (!o->caption[0]) {
        plot_spf(ver, sizeof ver, "Made with losscape %s.", LSC_VERSION);
        add_sentence(cap, sizeof cap, ver);
    }
    int fs = (int)lround(plot_font_size(c) * CAPTION_SCALE);
    double em = plot_em(c) * fs / plot_font_size(c);
    /* left and right margins 1.2% of the width; 3% slack for rounding in the renderer */
    double maxem = (c->width * (1 - 2 * 0.012)) / em * 0.97;
    char lines[PLOT_CAPTION_LINES][512];
    int nl = wrap(cap, maxem, lines, PLOT_CAPTION_LINES);
    /* A label is centred on its anchor: descenders reach 0.58 em below it, capitals and
     * brackets 0.45 em above. The last line's descenders clear the bottom edge by 0.35 em,
     * lines are 1.28 em apart. */
    double bottom = 0.95 * em, line_h = 1.28 * em;
    for (int i = 0; i < nl; i++) {
        memcpy(c->caption_lines[i], lines[i], sizeof lines[i]);
        c->caption_y[i] = (bottom + (nl - i - 1) * line_h) / c->height;
    }
    c->caption_fs = fs;
    c->ncaption_set = nl;
    plot_caption_on(c);
    c->cap_h = nl > 0 ? (bottom + (nl - 1) * line_h + 0.75 * em) / c->height : 0;
}

void plot_multiplot(plot_ctx *c)
{
    plot_printf(c, "set multiplot");
    if (c->title[0]) {
        plot_printf(c, " title ");
        plot_str(c, c->title);
        plot_printf(c, " noenhanced font ',%d'", (int)lround(plot_font_size(c) * 1.15));
    }
    plot_printf(c, "\n");
}

void plot_caption_on(plot_ctx *c)
{
    for (int i = 0; i < c->ncaption_set; i++) {
        plot_printf(c, "set label %d ", 90 + i);
        plot_str(c, c->caption_lines[i]);
        plot_printf(c, " at screen 0.012, screen %.4f left front noenhanced font ',%d' "
                    "textcolor rgb '#444444'\n", c->caption_y[i], c->caption_fs);
    }
    c->ncaption = c->ncaption_set;
}

void plot_caption_off(plot_ctx *c)
{
    for (int i = 0; i < c->ncaption; i++)
        plot_printf(c, "unset label %d\n", 90 + i);
    c->ncaption = 0;
}

/* ---- running gnuplot ---------------------------------------------------------------- *
 *
 * gnuplot never sees a name the user chose for an output. It runs in a fresh directory
 * in $TMPDIR (the stage), where
 *   - every file of the figure appears under the name the script reads it by, as a
 *     symbolic link to its temporary (the files are not in place yet: the call is
 *     all-or-nothing), and the script as STAGE_SCRIPT, so DIR is './';
 *   - OUT is STAGE_IMAGE + the terminal's extension, a name made here;
 * and what it wrote is then copied into the figure's commit group under the requested
 * name (outfile.h: a temporary beside it, renamed with the other files). cairolatex also
 * writes STAGE_IMAGE.pdf, and names it in the .tex (\includegraphics{STAGE_IMAGE}): the
 * PDF goes to FIG.pdf and the reference is rewritten to FIG. */
#define STAGE_SCRIPT "lsc-render.gp"
#define STAGE_IMAGE "lsc-image"

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[LSC_PLOT_PATH_MAX * 2];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            plot_spf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
            lsc_outfile_forget(p);
        }
        closedir(d);
    }
    rmdir(dir);
    lsc_outfile_forget(dir);
}

static void first_error_line(const char *s, char *out, size_t len)
{
    /* gnuplot: the command, a caret line, then '"fig.gp" line 12: message' */
    const char *best = NULL;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!best && n > 0 && strstr(p, " line ") && memchr(p, ':', n) &&
            (size_t)(strstr(p, " line ") - p) < n)
            best = p;
        p += n + (e ? 1 : 0);
    }
    if (!best) /* the first non-blank line */
        for (best = s; *best == '\n' || *best == ' '; best++)
            ;
    size_t n = strcspn(best, "\n");
    if (n >= len)
        n = len - 1;
    memcpy(out, best, n);
    out[n] = '\0';
    for (char *q = out; *q; q++)
        if ((unsigned char)*q < 0x20)
            *q = ' ';
}

/* gnuplot names the script as it was started ("./lsc-render.gp" line 12: ...): say the
 * user's name instead. */
static void name_the_script(char *line, size_t len, const char *gp_name)
{
    static const char staged[] = "\"./" STAGE_SCRIPT "\"";
    char *at = strstr(line, staged);
    if (!at)
        return;
    char rest[1024];
    plot_spf(rest, sizeof rest, "%s", at + strlen(staged));
    plot_spf(at, len - (size_t)(at - line), "\"%s\"%s", gp_name, rest);
}

/* An absolute form of path (relative to the current directory) for a symbolic link. */
static int absolute(const char *path, char *buf, size_t len)
{
    if (path[0] == '/') {
        int w = plot_spf(buf, len, "%s", path);
        return w >= 0 && (size_t)w < len ? 0 : -1;
    }
    char cwd[LSC_PLOT_PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    int w = plot_spf(buf, len, "%s/%s", cwd, path);
    return w >= 0 && (size_t)w < len ? 0 : -1;
}

/* The stage: a directory in $TMPDIR with a link to every file of the figure. */
static int make_stage(plot_ctx *c, char *stage, size_t len)
{
    const char *td = getenv("TMPDIR");
    plot_spf(stage, len, "%s/lsc-render.XXXXXX", td && td[0] ? td : "/tmp");
    if (!mkdtemp(stage)) {
        lsc_error_set(c->err, LSC_EIO, "cannot create a temporary directory '%s': %s", stage,
                      strerror(errno));
        return LSC_EIO;
    }
    lsc_outfile_track(stage);
    for (int i = c->first_file; i < c->group->n; i++) {
        const lsc_outfile *f = c->group->f[i];
        const char *slash = strrchr(f->path, '/');
        const char *name = f == c->script ? STAGE_SCRIPT : slash ? slash + 1 : f->path;
        char link[LSC_PLOT_PATH_MAX * 2], target[LSC_PLOT_PATH_MAX];
        plot_spf(link, sizeof link, "%s/%s", stage, name);
        /* a file written in place (a device, a FIFO) has no temporary: its target */
        if (absolute(f->tmp[0] ? f->tmp : f->target, target, sizeof target) != 0 ||
            symlink(target, link) != 0) {
            lsc_error_set(c->err, LSC_EIO, "cannot prepare the render in '%s': %s", stage,
                          strerror(errno ? errno : ENAMETOOLONG));
            remove_tree(stage);
            return LSC_EIO;
        }
        lsc_outfile_track(link);
    }
    return LSC_OK;
}

static const char *stage_ext(const plot_ctx *c)
{
    switch (c->term) {
    case TERM_PNG: return ".png";
    case TERM_SVG: return ".svg";
    case TERM_PDF: return ".pdf";
    case TERM_TEX: return ".tex";
    case TERM_GIF: return ".gif";
    case TERM_DUMB: break;
    }
    return ".txt";
}

/* The cairolatex .tex in buf (n bytes) to fp, each {STAGE_IMAGE} (the \includegraphics
 * argument gnuplot wrote: OUT without its extension) made {stem}. */
static void put_tex(FILE *fp, const char *buf, size_t n, const char *stem)
{
    static const char ref[] = "{" STAGE_IMAGE "}";
    const size_t r = sizeof ref - 1;
    size_t i = 0, from = 0;
    while (i + r <= n) {
        if (buf[i] == '{' && !memcmp(buf + i, ref, r)) {
            fwrite(buf + from, 1, i - from, fp);
            fprintf(fp, "{%s}", stem);
            i += r;
            from = i;
        } else {
            i++;
        }
    }
    fwrite(buf + from, 1, n - from, fp);
}

/* Copy stage file `src` into the group as dst_name (in the figure's directory); tex: the
 * .tex of cairolatex, with its reference to the PDF renamed (put_tex). */
static int take_output(plot_ctx *c, const char *src, const char *dst_name, int tex)
{
    char dst[LSC_PLOT_PATH_MAX];
    join(dst, sizeof dst, c->dir, dst_name);
    FILE *in = fopen(src, "rb");
    if (!in) {
        lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot wrote no image for %s", dst);
        return LSC_EEXTERNAL;
    }
    lsc_outfile *of;
    int rc = group_open(c->group, dst, &of, c->err);
    if (rc != LSC_OK) {
        fclose(in);
        return rc;
    }
    int bad = 0;
    if (tex) {
        /* a few kB of picture commands and labels: read whole */
        size_t cap = 1 << 16, n = 0, k;
        char *buf = malloc(cap);
        while (buf && (k = fread(buf + n, 1, cap - n, in)) > 0) {
            n += k;
            if (n == cap) {
                char *nb = realloc(buf, cap * 2);
                if (!nb) {
                    free(buf);
                    buf = NULL;
                    break;
                }
                buf = nb;
                cap *= 2;
            }
        }
        if (buf)
            put_tex(of->fp, buf, n, c->stem);
        bad = !buf;
        free(buf);
    } else {
        char buf[1 << 14];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, of->fp);
    }
    bad |= ferror(in) || ferror(of->fp) || fflush(of->fp) != 0;
    int e = errno;
    fclose(in);
    if (bad) {
        lsc_outfile_abort(of);
        free(of);
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", dst,
                      e ? strerror(e) : "write error");
        return LSC_EIO;
    }
    return group_add(c->group, of, c->err);
}

static const char *gnuplot_program(const lsc_plot_opts *o)
{
    const char *prog = o->gnuplot[0] ? o->gnuplot : getenv("GNUPLOT");
    return prog && prog[0] ? prog : "gnuplot";
}

static int is_program(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* gnuplot is looked for before anything is written (as execvp will: a name with a '/'
 * as it is, else along $PATH), so that a missing one leaves no file behind. gp_path: the
 * script, for the message. */
static int find_gnuplot(const lsc_plot_opts *o, const char *gp_path, lsc_error *err)
{
    const char *prog = gnuplot_program(o);
    int found = o->no_render;
    if (strchr(prog, '/')) {
        found = is_program(prog);
    } else {
        const char *path = getenv("PATH");
        if (!path)
            path = "/usr/local/bin:/usr/bin:/bin";
        while (!found && *path) {
            size_t n = strcspn(path, ":");
            char cand[LSC_PLOT_PATH_MAX];
            int w = n ? plot_spf(cand, sizeof cand, "%.*s/%s", (int)n, path, prog)
                      : plot_spf(cand, sizeof cand, "%s", prog);
            found = w > 0 && (size_t)w < sizeof cand && is_program(cand);
            path += n + (path[n] == ':');
        }
    }
    if (found)
        return LSC_OK;
    lsc_error_set(err, LSC_EEXTERNAL, "gnuplot not found ('%s' is not an executable "
                  "program): install it (apt-get install gnuplot-nox) or name it with "
                  "GNUPLOT=/path/to/gnuplot; nothing was written (no_render writes the script "
                  "%s and its data)", prog, gp_path);
    return LSC_EEXTERNAL;
}

int lsc_plot_gnuplot_check(const lsc_plot_opts *o, lsc_error *err)
{
    char gp[LSC_PLOT_PATH_MAX];
    if (lsc_plot_script_path(o, gp, sizeof gp) != LSC_OK)
        plot_spf(gp, sizeof gp, "FIG.gp");
    return find_gnuplot(o, gp, err);
}

static int run_gnuplot(plot_ctx *c)
{
    const char *prog = gnuplot_program(c->o);
    char progabs[LSC_PLOT_PATH_MAX * 2];
    if (strchr(prog, '/') && prog[0] != '/') {
        char cwd[LSC_PLOT_PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            cwd[0] = '\0';
        plot_spf(progabs, sizeof progabs, "%s/%s", cwd, prog);
    } else {
        plot_spf(progabs, sizeof progabs, "%s", prog);
    }
    char gp_path[LSC_PLOT_PATH_MAX + 8], gp_name[LSC_PLOT_PATH_MAX + 8];
    plot_spf(gp_name, sizeof gp_name, "%s.gp", c->stem);
    join(gp_path, sizeof gp_path, c->dir, gp_name);

    char stage[LSC_PLOT_PATH_MAX], image[LSC_PLOT_PATH_MAX + 64], out_arg[64];
    int rc = make_stage(c, stage, sizeof stage);
    if (rc)
        return rc;
    plot_spf(out_arg, sizeof out_arg, "OUT='%s%s'", STAGE_IMAGE, stage_ext(c));
    plot_spf(image, sizeof image, "%s/%s%s", stage, STAGE_IMAGE, stage_ext(c));
    if (c->out_name[0])
        lsc_outfile_track(image); /* removed on a signal while gnuplot writes it */

    int errpipe[2], execpipe[2];
    if (pipe(errpipe) != 0) {
        remove_tree(stage);
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: pipe: %s", strerror(errno));
        return LSC_EIO;
    }
    if (pipe(execpipe) != 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        remove_tree(stage);
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: pipe: %s", strerror(errno));
        return LSC_EIO;
    }
    fcntl(execpipe[1], F_SETFD, FD_CLOEXEC);
    fcntl(errpipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(execpipe[0], F_SETFD, FD_CLOEXEC);
    char *argv[6];
    int a = 0;
    argv[a++] = progabs;
    if (c->out_name[0]) {
        argv[a++] = (char *)"-e";
        argv[a++] = out_arg;
    }
    argv[a++] = (char *)"./" STAGE_SCRIPT;
    argv[a] = NULL;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        close(execpipe[0]);
        close(execpipe[1]);
        remove_tree(stage);
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: fork: %s", strerror(errno));
        return LSC_EIO;
    }
    if (pid == 0) {
        int e = 0;
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            if (c->out_name[0])
                dup2(devnull, 1); /* files only: keep stdout for dumb to the terminal */
        }
        dup2(errpipe[1], 2);
        if (chdir(stage) != 0) {
            e = errno;
        } else {
            execvp(argv[0], argv);
            e = errno;
        }
        ssize_t wr = write(execpipe[1], &e, sizeof e);
        (void)wr;
        _exit(127);
    }
    close(errpipe[1]);
    close(execpipe[1]);
    int exec_errno = 0;
    ssize_t got;
    do
        got = read(execpipe[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(execpipe[0]);
    char errbuf[8192];
    size_t elen = 0;
    for (;;) {
        char chunk[4096];
        ssize_t k = read(errpipe[0], chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        size_t take = (size_t)k;
        if (take > sizeof errbuf - 1 - elen)
            take = sizeof errbuf - 1 - elen;
        memcpy(errbuf + elen, chunk, take);
        elen += take;
    }
    errbuf[elen] = '\0';
    close(errpipe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got == (ssize_t)sizeof exec_errno) {
        remove_tree(stage);
        if (exec_errno == ENOENT || exec_errno == EACCES || exec_errno == ENOTDIR)
            lsc_error_set(c->err, LSC_EEXTERNAL,
                          "gnuplot not found ('%s': %s): install it (apt-get install "
                          "gnuplot-nox) or name it with GNUPLOT=/path/to/gnuplot; nothing was "
                          "written (no_render writes the script %s and its data)", prog,
                          strerror(exec_errno), gp_path);
        else
            lsc_error_set(c->err, LSC_EEXTERNAL, "cannot run gnuplot ('%s'): %s; nothing was "
                          "written (no_render writes the script %s and its data)", prog,
                          strerror(exec_errno), gp_path);
        return LSC_EEXTERNAL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        remove_tree(stage);
        char line[1024];
        first_error_line(errbuf, line, sizeof line);
        name_the_script(line, sizeof line, gp_name);
        if (WIFEXITED(status))
            lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot failed on %s (exit status %d): %s; "
                          "nothing was written", gp_path, WEXITSTATUS(status),
                          line[0] ? line : "no message");
        else
            lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot failed on %s (killed by signal %d); "
                          "nothing was written", gp_path,
                          WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        return LSC_EEXTERNAL;
    }
    /* what gnuplot made joins the group under the requested names */
    rc = LSC_OK;
    if (c->out_name[0]) {
        rc = take_output(c, image, c->out_name, c->term == TERM_TEX);
        if (rc == LSC_OK && c->term == TERM_TEX) {
            char pdf[LSC_PLOT_PATH_MAX + 64], pdf_name[LSC_PLOT_PATH_MAX + 8];
            plot_spf(pdf, sizeof pdf, "%s/%s.pdf", stage, STAGE_IMAGE);
            plot_spf(pdf_name, sizeof pdf_name, "%s.pdf", c->stem);
            rc = take_output(c, pdf, pdf_name, 0);
        }
    }
    remove_tree(stage);
    return rc;
}

/* ---- the entry points ----------------------------------------------------------------- */

static int kind_needs_landscape(lsc_plot_kind k)
{
    return k != LSC_PLOT_CURVES;
}

static int setup(plot_ctx *c, const lsc_plot_opts *o, lsc_error *err)
{
    memset(c, 0, sizeof *c);
    c->o = o;
    c->err = err;
    c->kind = o->kind;
    if ((int)o->kind < 0 || (int)o->kind >= LSC_PLOT_NKINDS) {
        lsc_error_set(err, LSC_EINVAL, "kind: invalid figure kind %d", (int)o->kind);
        return LSC_EINVAL;
    }
    /* terminal from the file name */
    if (o->dumb) {
        c->term = TERM_DUMB;
        if (o->kind == LSC_PLOT_SURFACE || o->kind == LSC_PLOT_ANIMATION ||
            o->kind == LSC_PLOT_BASINS) {
            lsc_error_set(err, LSC_EINVAL, "dumb: a %s figure cannot be drawn with characters "
                          "(allowed with dumb: contour, curves, slice)",
                          lsc_plot_kind_name(o->kind));
            return LSC_EINVAL;
        }
    } else {
        if (!o->out[0]) {
            lsc_error_set(err, LSC_EINVAL, "out: an image file is needed (.png, .svg, .pdf, "
                          ".tex, .gif), or dumb=true to draw on the terminal");
            return LSC_EINVAL;
        }
        const char *dot = strrchr(o->out, '.');
        const char *slash = strrchr(o->out, '/');
        if (dot && slash && dot < slash)
            dot = NULL;
        if (dot && !strcasecmp(dot, ".png"))
            c->term = TERM_PNG;
        else if (dot && !strcasecmp(dot, ".svg"))
            c->term = TERM_SVG;
        else if (dot && !strcasecmp(dot, ".pdf"))
            c->term = TERM_PDF;
        else if (dot && !strcasecmp(dot, ".tex"))
            c->term = TERM_TEX;
        else if (dot && !strcasecmp(dot, ".gif"))
            c->term = TERM_GIF;
        else {
            lsc_error_set(err, LSC_EINVAL, "out='%.200s': unknown image type '%s' (allowed: "
                          ".png, .svg, .pdf, .tex, .gif)", o->out, dot ? dot : "(none)");
            return LSC_EINVAL;
        }
    }
    if (o->kind == LSC_PLOT_ANIMATION && c->term != TERM_GIF) {
        lsc_error_set(err, LSC_EINVAL, "out='%.200s': an animation is written as .gif",
                      o->out[0] ? o->out : "");
        return LSC_EINVAL;
    }
    /* names; then the style, read now so that a missing one is found before anything is
     * written */
    int rc;
    if (o->out[0]) {
        rc = split_path(o->out, "out", c->dir, c->stem, c->out_name, 1, err);
    } else if (o->base[0]) {
        rc = split_path(o->base, "base", c->dir, c->stem, c->out_name, 0, err);
        c->out_name[0] = '\0';
    } else {
        c->temp_dir = 1; /* made below, when everything is checked */
        plot_spf(c->stem, sizeof c->stem, "figure");
        rc = LSC_OK;
    }
    if (rc)
        return rc;
    if (strlen(c->dir) + strlen(c->stem) + 64 >= LSC_PLOT_PATH_MAX) {
        lsc_error_set(err, LSC_EINVAL, "out: the path is too long (at most %d characters)",
                      LSC_PLOT_PATH_MAX - 64);
        return LSC_EINVAL;
    }
    if (c->dir[0] && !c->temp_dir) {
        struct stat st;
        if (stat(c->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            lsc_error_set(err, LSC_EINVAL, "%s: directory '%s' does not exist (allowed: a "
                          "file in an existing directory)", o->out[0] ? "out" : "base",
                          c->dir);
            return LSC_EINVAL;
        }
    }
    if (o->font[0]) {
        if (has_ctrl(o->font)) {
            lsc_error_set(err, LSC_EINVAL, "font: control characters are not allowed");
            return LSC_EINVAL;
        }
        plot_spf(c->font, sizeof c->font, "%s", o->font);
    } else {
        plot_spf(c->font, sizeof c->font, "%s",
                 c->term == TERM_PDF || c->term == TERM_TEX ? "DejaVu Sans,9"
                                                           : "DejaVu Sans,12");
    }
    /* sizes: 1 px = 1 pt; vector formats default smaller, for papers */
    int w = 900, h = 760;
    switch (o->kind) {
    case LSC_PLOT_CONTOUR: w = 920; h = 760; break;
    case LSC_PLOT_SURFACE: w = 960; h = 720; break;
    case LSC_PLOT_CURVES: w = 900; h = 0; break; /* by panel count, set by the kind */
    case LSC_PLOT_ANIMATION: w = 680; h = 580; break; /* GIF: keep the file small */
    case LSC_PLOT_SLICE: w = 1400; h = 680; break;
    case LSC_PLOT_BASINS: w = 0; h = 0; break; /* by panel count */
    }
    if (c->term == TERM_PDF || c->term == TERM_TEX) {
        w = w * 6 / 10;
        h = h * 6 / 10;
    }
    if (c->term == TERM_DUMB) {
        w = 100;
        h = o->kind == LSC_PLOT_CURVES ? 0 : 40;
    }
    c->width = o->width ? o->width : w;
    c->height = o->height ? o->height : h;
    if (o->out[0]) {
        struct stat st;
        if (stat(o->out, &st) == 0 && S_ISDIR(st.st_mode)) {
            lsc_error_set(err, LSC_EINVAL, "out: '%.200s' is a directory (give a file name, e.g. "
                          "%s/fig.png)", o->out, o->out);
            return LSC_EINVAL;
        }
    }
    if (!o->no_render) {
        char gp_name[LSC_PLOT_PATH_MAX + 8], gp_path[LSC_PLOT_PATH_MAX + 8];
        plot_spf(gp_name, sizeof gp_name, "%s.gp", c->stem);
        join(gp_path, sizeof gp_path, c->dir, gp_name);
        if ((rc = find_gnuplot(o, gp_path, err)) != LSC_OK)
            return rc;
    }
    rc = read_style(c);
    if (rc)
        return rc;
    /* checked: now the places files go. Dumb to the terminal without a base: the script and
     * data live in a temporary directory for the render only (a group of their own). */
    if (c->temp_dir) {
        const char *td = getenv("TMPDIR");
        plot_spf(c->dir, sizeof c->dir, "%s/losscape-plot.XXXXXX", td && td[0] ? td : "/tmp");
        if (!mkdtemp(c->dir)) {
            lsc_error_set(err, LSC_EIO, "cannot create a temporary directory '%s': %s", c->dir,
                          strerror(errno));
            c->temp_dir = 0;
            free(c->style_text);
            return LSC_EIO;
        }
    }
    c->group = c->temp_dir ? NULL : o->group;
    if (!c->group) {
        c->own_group = 1;
        if (!(c->group = lsc_plot_group_new())) {
            lsc_error_set(err, LSC_ENOMEM, "out of memory");
            if (c->temp_dir)
                remove_tree(c->dir);
            free(c->style_text);
            return LSC_ENOMEM;
        }
    }
    c->first_file = c->group->n;
    return LSC_OK;
}

static int begin_script(plot_ctx *c, plot_file *f)
{
    return plot_open(c, ".gp", f);
}

/* The end of a figure: its own group committed (rc == 0) or aborted; a shared group is
 * the caller's to commit or abort. */
static int end_figure(plot_ctx *c, int rc)
{
    if (c->own_group) {
        if (rc == LSC_OK)
            rc = lsc_plot_group_commit(c->group, c->err);
        else
            lsc_plot_group_abort(c->group);
        c->group = NULL;
    }
    if (c->temp_dir)
        remove_tree(c->dir);
    free(c->style_text);
    c->style_text = NULL;
    return rc;
}

static int finish(plot_ctx *c, plot_file *gpf, int rc)
{
    if (rc != LSC_OK) {
        plot_abort(gpf);
        c->gp = NULL;
        return end_figure(c, rc);
    }
    c->script = gpf->of;
    rc = plot_close(c, gpf);
    c->gp = NULL;
    if (rc == LSC_OK && !c->o->no_render)
        rc = run_gnuplot(c);
    return end_figure(c, rc);
}

int lsc_plot_render(const lsc_trajectory *t, const lsc_landscape *L, const lsc_plot_opts *o,
                    lsc_error *err)
{
    plot_ctx c;
    lsc_landscape *own = NULL;
    if (!o) {
        lsc_error_set(err, LSC_EINVAL, "plot: no options");
        return LSC_EINVAL;
    }
    if (o->kind == LSC_PLOT_BASINS) {
        /* drawing never runs an optimizer: basins.h computes them */
        lsc_error_set(err, LSC_EINVAL, "kind=basins: compute the basins first "
                      "(lsc_basins_compute) and draw them with lsc_plot_render_basins");
        return LSC_EINVAL;
    }
    if (!t && (o->kind == LSC_PLOT_CURVES || o->kind == LSC_PLOT_ANIMATION ||
               o->kind == LSC_PLOT_SLICE)) {
        lsc_error_set(err, LSC_EINVAL, "kind=%s: needs a trajectory",
                      lsc_plot_kind_name(o->kind));
        return LSC_EINVAL;
    }
    if (!L && t && (kind_needs_landscape(o->kind) || t->landscape[0])) {
        lsc_error e2;
        own = lsc_landscape_new(t->landscape, t->n, "trajectory landscape", &e2);
        if (!own && kind_needs_landscape(o->kind)) {
            lsc_error_set(err, e2.code, "%s", e2.msg);
            return e2.code;
        }
        L = own;
    }
    if (!L && !t) {
        lsc_error_set(err, LSC_EINVAL, "plot: needs a trajectory or a landscape");
        return LSC_EINVAL;
    }
    if (L && t && L->n != t->n) {
        lsc_error_set(err, LSC_EINVAL, "plot: the landscape has %d dimensions, the trajectory "
                      "%d", L->n, t->n);
        lsc_landscape_free(own);
        return LSC_EINVAL;
    }
    /* every option checked against the landscape and the runs before anything is written */
    if (L && lsc_plot_opts_check(o, L, t ? t->npos : 0, t ? t->has_dist : 0,
                                 t ? t->nruns : 0, err) != LSC_OK) {
        lsc_landscape_free(own);
        return LSC_EINVAL;
    }
    int rc = setup(&c, o, err);
    if (rc) {
        lsc_landscape_free(own);
        return rc;
    }
    c.t = t;
    c.L = L;
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc) {
        end_figure(&c, rc);
        lsc_landscape_free(own);
        return rc;
    }
    c.gp = gpf.fp;
    switch (o->kind) {
    case LSC_PLOT_CONTOUR: rc = plot_kind_contour(&c); break;
    case LSC_PLOT_SURFACE: rc = plot_kind_surface(&c); break;
    case LSC_PLOT_CURVES: rc = plot_kind_curves(&c); break;
    case LSC_PLOT_ANIMATION: rc = plot_kind_animation(&c); break;
    case LSC_PLOT_SLICE: rc = plot_kind_slice(&c); break;
    case LSC_PLOT_BASINS: rc = LSC_EINVAL; break;
    }
    rc = finish(&c, &gpf, rc);
    lsc_landscape_free(own);
    return rc;
}

int lsc_plot_render_basins(const lsc_basins *b, const lsc_landscape *L, const lsc_plot_opts *o,
                           lsc_error *err)
{
    if (!L || !b || b->nopt < 1 || !b->grid || !o) {
        lsc_error_set(err, LSC_EINVAL, "basins: needs a landscape, the computed basins "
                      "(lsc_basins_compute) and options");
        return LSC_EINVAL;
    }
    if (L->n != 2) {
        lsc_error_set(err, LSC_EINVAL, "kind=basins: needs a 2-D landscape ('%s' has %d "
                      "dimensions)", L->type->name, L->n);
        return LSC_EINVAL;
    }
    if (b->ncp != lsc_landscape_ncritical(L)) {
        lsc_error_set(err, LSC_EINVAL, "basins: computed on another landscape (%d critical "
                      "points, '%s' has %d)", b->ncp, L->type->name,
                      lsc_landscape_ncritical(L));
        return LSC_EINVAL;
    }
    if (b->nopt > 16) {
        lsc_error_set(err, LSC_EINVAL, "basins: %d optimizers (allowed: at most 16 panels)",
                      b->nopt);
        return LSC_EINVAL;
    }
    lsc_plot_opts o2 = *o;
    o2.kind = LSC_PLOT_BASINS;
    if (lsc_plot_opts_check(&o2, L, L->n, 0, b->nopt, err) != LSC_OK)
        return LSC_EINVAL;
    plot_ctx c;
    int rc = setup(&c, &o2, err);
    if (rc)
        return rc;
    c.L = L;
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc)
        return end_figure(&c, rc);
    c.gp = gpf.fp;
    rc = plot_basins_impl(&c, b);
    return finish(&c, &gpf, rc);
}

/* ---- checking options before any work ------------------------------------------------ */

/* Everything lsc_plot_render or lsc_plot_basins would refuse for these options, for a
 * figure of landscape L from runs that will record npos coordinates (has_dist: a dist
 * column), without writing a file: so a caller (`losscape run --plot`) can refuse them
 * before it runs anything. The messages are those of the render. */
int lsc_plot_opts_check(const lsc_plot_opts *o, const lsc_landscape *L, int npos, int has_dist,
                        int nruns, lsc_error *err)
{
    static const char *const fixed[] = {"loss", "grad_norm", "lr", "dist"};
    const lsc_plot_kind k = o->kind;
    const char *kname = lsc_plot_kind_name(k);
    const int n = L->n;
    if ((int)k < 0 || (int)k >= LSC_PLOT_NKINDS) {
        lsc_error_set(err, LSC_EINVAL, "kind: invalid figure kind %d", (int)k);
        return LSC_EINVAL;
    }
    /* the file: a terminal for its extension, a name, an existing directory */
    const char *dot = strrchr(o->out, '.'), *slash = strrchr(o->out, '/');
    if (dot && slash && dot < slash)
        dot = NULL;
    int gif = dot && !strcasecmp(dot, ".gif");
    if (o->dumb && (k == LSC_PLOT_SURFACE || k == LSC_PLOT_ANIMATION || k == LSC_PLOT_BASINS)) {
        lsc_error_set(err, LSC_EINVAL, "dumb: a %s figure cannot be drawn with characters "
                      "(allowed with dumb: contour, curves, slice)", kname);
        return LSC_EINVAL;
    }
    if (!o->dumb && !o->out[0]) {
        lsc_error_set(err, LSC_EINVAL, "out: an image file is needed (.png, .svg, .pdf, .tex, "
                      ".gif), or dumb=true to draw on the terminal");
        return LSC_EINVAL;
    }
    if (!o->dumb && !(gif || (dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".svg") ||
                                      !strcasecmp(dot, ".pdf") || !strcasecmp(dot, ".tex"))))) {
        lsc_error_set(err, LSC_EINVAL, "out='%.200s': unknown image type '%s' (allowed: .png, "
                      ".svg, .pdf, .tex, .gif)", o->out, dot ? dot : "(none)");
        return LSC_EINVAL;
    }
    if (k == LSC_PLOT_ANIMATION && (o->dumb || !gif)) {
        lsc_error_set(err, LSC_EINVAL, "out='%.200s': an animation is written as .gif", o->out);
        return LSC_EINVAL;
    }
    const char *path = o->out[0] ? o->out : o->base;
    if (path[0]) {
        char dir[LSC_PLOT_PATH_MAX], stem[LSC_PLOT_PATH_MAX], name[LSC_PLOT_PATH_MAX];
        const char *what = o->out[0] ? "out" : "base";
        struct stat st;
        if (split_path(path, what, dir, stem, name, o->out[0] != 0, err) != LSC_OK)
            return LSC_EINVAL;
        if (strlen(dir) + strlen(stem) + 64 >= LSC_PLOT_PATH_MAX) {
            lsc_error_set(err, LSC_EINVAL, "%s: the path is too long (at most %d characters)",
                          what, LSC_PLOT_PATH_MAX - 64);
            return LSC_EINVAL;
        }
        if (dir[0] && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
            lsc_error_set(err, LSC_EINVAL, "%s: directory '%s' does not exist (allowed: a file "
                          "in an existing directory)", what, dir);
            return LSC_EINVAL;
        }
    }
    if (has_ctrl(o->font)) {
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
    /* a known minimum (curves=dist without a dist column, center=min) */
    int has_min = 0;
    double *xb = malloc((size_t)n * sizeof *xb);
    for (int i = 0; xb && i < lsc_landscape_ncritical(L) && !has_min; i++) {
        lsc_critical cp = {.x = xb};
        lsc_landscape_critical(L, i, &cp);
        has_min = cp.kind == LSC_CP_MIN && isfinite(cp.f);
    }
    free(xb);
    /* what the kind needs of the landscape and the runs */
    switch (k) {
    case LSC_PLOT_CONTOUR:
    case LSC_PLOT_SURFACE:
    case LSC_PLOT_ANIMATION:
    case LSC_PLOT_BASINS:
        if (n != 2) {
            lsc_error_set(err, LSC_EINVAL, "kind=%s: needs a 2-D landscape ('%s' has %d "
                          "dimensions)%s", kname, L->type->name, n,
                          k == LSC_PLOT_BASINS ? "" : "; use kind=slice");
            return LSC_EINVAL;
        }
        if (k != LSC_PLOT_BASINS && nruns > 0 && npos < 2) {
            lsc_error_set(err, LSC_EINVAL, "kind=%s: the trajectory has no positions (recorded "
                          "with positions=%s); use kind=curves", kname,
                          npos == 0 ? "none" : "first:1");
            return LSC_EINVAL;
        }
        if (k == LSC_PLOT_BASINS && nruns > 16) {
            lsc_error_set(err, LSC_EINVAL, "basins: %d optimizers (allowed: at most 16 panels)",
                          nruns);
            return LSC_EINVAL;
        }
        break;
    case LSC_PLOT_SLICE: {
        if (npos != n) {
            lsc_error_set(err, LSC_EINVAL, "kind=slice: needs every coordinate of every step "
                          "(the trajectory keeps %d of %d: record with positions=all)", npos, n);
            return LSC_EINVAL;
        }
        double ij[2];
        if (!strncmp(o->slice, "axes:", 5) &&
            (lsc_parse_list(o->slice + 5, ',', ij, 2) != 2 || ij[0] != floor(ij[0]) ||
             ij[1] != floor(ij[1]) || ij[0] < 1 || ij[1] < 1 || ij[0] > n || ij[1] > n ||
             ij[0] == ij[1])) {
            lsc_error_set(err, LSC_EINVAL, "slice=%.60s: allowed: axes:I,J with two different "
                          "coordinates between 1 and %d", o->slice, n);
            return LSC_EINVAL;
        }
        if (strncmp(o->slice, "axes:", 5) && strcmp(o->slice, "random") &&
            strcmp(o->slice, "pca")) {
            lsc_error_set(err, LSC_EINVAL, "slice=%.60s: unknown (allowed: axes:I,J, random, "
                          "pca)", o->slice);
            return LSC_EINVAL;
        }
        if (!strcmp(o->center, "min") && !has_min) {
            lsc_error_set(err, LSC_EINVAL, "center=min: landscape '%s' has no known minimum "
                          "(allowed: end, start, origin, x1;x2;...)", L->type->name);
            return LSC_EINVAL;
        }
        if (strcmp(o->center, "end") && strcmp(o->center, "min") &&
            strcmp(o->center, "start") && strcmp(o->center, "origin")) {
            double *ctr = malloc((size_t)n * sizeof *ctr);
            int got = ctr ? lsc_parse_list(o->center, ';', ctr, n) : -1, bad = got != n;
            for (int j = 0; !bad && j < n; j++)
                bad |= !isfinite(ctr[j]);
            free(ctr);
            if (bad) {
                lsc_error_set(err, LSC_EINVAL, "center=%.100s: allowed: end, start, min, "
                              "origin, or %d finite numbers separated by ';'", o->center, n);
                return LSC_EINVAL;
            }
        }
        break;
    }
    case LSC_PLOT_CURVES: {
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
                known |= !strcmp(tok, fixed[q]);
            /* xK, |xK|, absxK: K from 1 to the coordinates recorded */
            const char *p = tok;
            size_t len = strlen(tok);
            if (len >= 2 && tok[0] == '|' && tok[len - 1] == '|')
                p++, len -= 2;
            else if (len > 3 && !strncmp(tok, "abs", 3))
                p += 3, len -= 3;
            if (!known && len >= 2 && p[0] == 'x' && strspn(p + 1, "0123456789") == len - 1) {
                long j = len - 1 > 9 ? -1 : strtol(p + 1, NULL, 10);
                if (npos == 0) {
                    lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%.40s' needs the "
                                  "runs' positions, and the trajectory has none (record with "
                                  "positions=all or first:K)", o->curves, tok);
                    return LSC_EINVAL;
                }
                if (j < 1 || j > npos) {
                    lsc_error_set(err, LSC_EINVAL, "curves=%.100s: panel '%.40s': coordinate "
                                  "%.*s is not in the trajectory (allowed: 1 to %d%s)",
                                  o->curves, tok, (int)(len - 1 < 12 ? len - 1 : 12), p + 1,
                                  npos,
                                  npos < n ? ": it keeps only the first coordinates" : "");
                    return LSC_EINVAL;
                }
                known = 1;
            }
            if (!known) {
                const char *close = lsc_closest(tok, fixed, 4);
                lsc_error_set(err, LSC_EINVAL, "curves=%.100s: unknown panel '%.40s'%s%s%s "
                              "(allowed: loss, grad_norm, lr, dist, xK, |xK| or absxK, comma "
                              "separated)", o->curves, tok, close ? " (did you mean '" : "",
                              close ? close : "", close ? "'?)" : "");
                return LSC_EINVAL;
            }
            if (!strcmp(tok, "dist") && !has_dist && !(npos == n && has_min)) {
                lsc_error_set(err, LSC_EINVAL, "curves=dist: the trajectory has no dist "
                              "column%s", !has_min ? " and the landscape has no known minimum"
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
        break;
    }
    }
    return LSC_OK;
}
