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

const lsc_plot_key lsc_plot_keys[] = {
    {"kind", "contour|surface|curves|animation|slice|basins", "figure kind"},
    {"out", "FILE", "image file: .png .svg .pdf .tex .gif (.txt with dumb)"},
    {"base", "PATH", "where FIG.gp and data go when out is empty (dumb to the terminal)"},
    {"size", "WxH", "pixels (png, gif), points (svg, pdf, tex), characters (dumb)"},
    {"font", "FAMILY,SIZE", "text font, e.g. 'DejaVu Sans,12'"},
    {"dumb", "BOOL", "draw with characters (to the terminal when out is empty)"},
    {"gnuplot", "PROGRAM", "gnuplot executable (default $GNUPLOT, else gnuplot)"},
    {"style", "FILE", "gnuplot style file inlined instead of plots/style.gp"},
    {"title", "TEXT", "figure title (default: landscape and optimizers; empty: none)"},
    {"caption", "TEXT", "caption line (default: schedule, clipping, noise, seed; empty: none)"},
    {"xlabel", "TEXT", "x axis label"},
    {"ylabel", "TEXT", "y axis label"},
    {"quiver", "BOOL", "gradient-direction arrows (contour, animation)"},
    {"quiver_n", "N", "arrows per axis (2 to 200)"},
    {"view", "ROT_X,ROT_Z", "surface view angles in degrees (0-180, 0-360)"},
    {"grid", "N", "landscape grid points per axis (8 to 4000; 0: the kind's default)"},
    {"contours", "N", "about this many contour levels (0: none, at most 60)"},
    {"log", "auto|BOOL", "colour on a log scale of f - f_min + eps (auto: landscape hint)"},
    {"xlim", "LO:HI", "x range (default: landscape box widened to the paths)"},
    {"ylim", "LO:HI", "y range"},
    {"curves", "loss,grad_norm,lr,dist,xK,|xK|",
     "panels of a curves figure, top to bottom; xK: coordinate K (1..stored), |xK| (or "
     "absxK): its absolute value on a log axis"},
    {"smooth", "N", "curves: moving average over N rows drawn over the faint raw curve "
                    "(0: none)"},
    {"frames", "N", "animation frames (2 to 2000)"},
    {"frame_spacing", "auto|linear|log", "animation frames evenly in steps or in log(step) "
                                         "(auto: log for runs 10x longer than the frames)"},
    {"delay", "N", "animation frame delay in 1/100 s (1 to 1000)"},
    {"slice", "axes:I,J|random|pca", "plane of an n-D slice"},
    {"center", "end|start|min|origin|X1;X2;...", "point the slice passes through"},
    {"seed", "N", "seed of random slice directions"},
    {"max_points", "N", "rows drawn per run; longer runs are sampled evenly (0: all)"},
    {"basin_n", "N", "basins: starts per axis (2 to 1000)"},
    {"basin_tol", "D", "basins: distance to a critical point that counts as reached "
                       "(0: 1% of the box diagonal)"},
    {"no_render", "BOOL", "write FIG.gp and data only, do not run gnuplot"},
};
const int lsc_plot_nkeys = (int)(sizeof lsc_plot_keys / sizeof lsc_plot_keys[0]);

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

static int get_bool(const char *key, const char *v, int *out, lsc_error *err)
{
    if (lsc_parse_bool(v, out) != LSC_OK) {
        lsc_error_set(err, LSC_EINVAL, "%s=%.80s: not a boolean (allowed: true, false, 1, 0)",
                      key, v);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* "LO:HI" with LO < HI, both finite. */
static int get_range(const char *key, const char *v, double r[2], lsc_error *err)
{
    char buf[256];
    const char *colon = strchr(v, ':');
    double a, b;
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
                  "-2:2)", key, v);
    return LSC_EINVAL;
}

int lsc_plot_opts_set(lsc_plot_opts *o, const char *key, const char *v, lsc_error *err)
{
    if (!key || !v) {
        lsc_error_set(err, LSC_EINVAL, "plot option: missing key or value");
        return LSC_EINVAL;
    }
    if (!strcmp(key, "kind"))
        return lsc_plot_kind_from_name(v, &o->kind, err);
    if (!strcmp(key, "out"))
        return copy_str(o->out, sizeof o->out, key, v, err);
    if (!strcmp(key, "base"))
        return copy_str(o->base, sizeof o->base, key, v, err);
    if (!strcmp(key, "size")) {
        const char *xpos = strpbrk(v, "xX,");
        char wb[32];
        if (xpos && (size_t)(xpos - v) < sizeof wb) {
            memcpy(wb, v, (size_t)(xpos - v));
            wb[xpos - v] = '\0';
            lsc_error e2;
            if (get_int(key, wb, 16, 20000, &o->width, &e2) == LSC_OK &&
                get_int(key, xpos + 1, 16, 20000, &o->height, &e2) == LSC_OK)
                return LSC_OK;
        }
        lsc_error_set(err, LSC_EINVAL, "size=%.80s: not a size (allowed: WxH, each 16 to "
                      "20000, e.g. 800x600)", v);
        return LSC_EINVAL;
    }
    if (!strcmp(key, "width"))
        return get_int(key, v, 16, 20000, &o->width, err);
    if (!strcmp(key, "height"))
        return get_int(key, v, 16, 20000, &o->height, err);
    if (!strcmp(key, "font"))
        return copy_str(o->font, sizeof o->font, key, v, err);
    if (!strcmp(key, "dumb"))
        return get_bool(key, v, &o->dumb, err);
    if (!strcmp(key, "gnuplot"))
        return copy_str(o->gnuplot, sizeof o->gnuplot, key, v, err);
    if (!strcmp(key, "style"))
        return copy_str(o->style, sizeof o->style, key, v, err);
    if (!strcmp(key, "title")) {
        o->no_title = v[0] == '\0';
        return copy_str(o->title, sizeof o->title, key, v, err);
    }
    if (!strcmp(key, "caption")) {
        o->no_caption = v[0] == '\0';
        return copy_str(o->caption, sizeof o->caption, key, v, err);
    }
    if (!strcmp(key, "xlabel"))
        return copy_str(o->xlabel, sizeof o->xlabel, key, v, err);
    if (!strcmp(key, "ylabel"))
        return copy_str(o->ylabel, sizeof o->ylabel, key, v, err);
    if (!strcmp(key, "quiver"))
        return get_bool(key, v, &o->quiver, err);
    if (!strcmp(key, "quiver_n"))
        return get_int(key, v, 2, 200, &o->quiver_n, err);
    if (!strcmp(key, "view")) {
        double a[2];
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
    if (!strcmp(key, "grid")) {
        int g;
        if (get_int(key, v, 0, 4000, &g, err) != LSC_OK)
            return LSC_EINVAL;
        if (g != 0 && g < 8) {
            lsc_error_set(err, LSC_EINVAL, "grid=%s: too coarse (allowed: 8 to 4000, or 0 for "
                          "the kind's default)", v);
            return LSC_EINVAL;
        }
        o->grid = g;
        return LSC_OK;
    }
    if (!strcmp(key, "contours"))
        return get_int(key, v, 0, 60, &o->contours, err);
    if (!strcmp(key, "log")) {
        if (!strcmp(v, "auto")) {
            o->log_color = -1;
            return LSC_OK;
        }
        if (lsc_parse_bool(v, &o->log_color) == LSC_OK)
            return LSC_OK;
        lsc_error_set(err, LSC_EINVAL, "log=%.80s: allowed: auto, true, false", v);
        return LSC_EINVAL;
    }
    if (!strcmp(key, "xlim"))
        return get_range(key, v, o->xlim, err);
    if (!strcmp(key, "ylim"))
        return get_range(key, v, o->ylim, err);
    if (!strcmp(key, "curves"))
        return copy_str(o->curves, sizeof o->curves, key, v, err);
    if (!strcmp(key, "frames"))
        return get_int(key, v, 2, 2000, &o->frames, err);
    if (!strcmp(key, "smooth"))
        return get_int(key, v, 0, 1000000, &o->smooth, err);
    if (!strcmp(key, "frame_spacing")) {
        static const char *const fsn[3] = {"auto", "linear", "log"};
        for (int k = 0; k < 3; k++)
            if (!strcmp(v, fsn[k])) {
                o->frame_spacing = k;
                return LSC_OK;
            }
        lsc_error_set(err, LSC_EINVAL, "frame_spacing=%.80s: allowed: auto, linear, log", v);
        return LSC_EINVAL;
    }
    if (!strcmp(key, "delay"))
        return get_int(key, v, 1, 1000, &o->delay, err);
    if (!strcmp(key, "slice"))
        return copy_str(o->slice, sizeof o->slice, key, v, err);
    if (!strcmp(key, "center"))
        return copy_str(o->center, sizeof o->center, key, v, err);
    if (!strcmp(key, "seed")) {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (!*v || *end || errno || v[0] == '-') {
            lsc_error_set(err, LSC_EINVAL, "seed=%.80s: not a seed (allowed: 0 to 2^64-1)", v);
            return LSC_EINVAL;
        }
        o->seed = s;
        return LSC_OK;
    }
    if (!strcmp(key, "max_points")) {
        int m;
        if (get_int(key, v, 0, 100000000, &m, err) != LSC_OK)
            return LSC_EINVAL;
        if (m == 1) {
            lsc_error_set(err, LSC_EINVAL, "max_points=1: allowed: 0 (all) or at least 2");
            return LSC_EINVAL;
        }
        o->max_points = m;
        return LSC_OK;
    }
    if (!strcmp(key, "basin_n"))
        return get_int(key, v, 2, 1000, &o->basin_n, err);
    if (!strcmp(key, "basin_tol")) {
        double d;
        if (lsc_parse_double(v, &d) != LSC_OK || !(d >= 0) || !isfinite(d)) {
            lsc_error_set(err, LSC_EINVAL, "basin_tol=%.80s: allowed: a distance >= 0 (0: 1%% "
                          "of the box diagonal)", v);
            return LSC_EINVAL;
        }
        o->basin_tol = d;
        return LSC_OK;
    }
    if (!strcmp(key, "no_render"))
        return get_bool(key, v, &o->no_render, err);

    const char *names[64];
    for (int i = 0; i < lsc_plot_nkeys; i++)
        names[i] = lsc_plot_keys[i].key;
    const char *close = lsc_closest(key, names, lsc_plot_nkeys);
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

/* Split "a/b/fig.png" into dir "a/b", stem "fig", name "fig.png". */
static int split_path(const char *path, const char *what, char *dir, char *stem, char *name,
                      int strip_ext, lsc_error *err)
{
    if (has_ctrl(path)) {
        lsc_error_set(err, LSC_EINVAL, "%s: the file name contains control characters "
                      "(newline, tab, ...): not allowed", what);
        return LSC_EINVAL;
    }
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
        if (dot && dot != stem)
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

int plot_open(plot_ctx *c, const char *suffix, plot_file *f)
{
    char path[LSC_PLOT_PATH_MAX];
    memset(f, 0, sizeof *f);
    plot_spf(f->name, sizeof f->name, "%s%s", c->stem, suffix);
    char tmpname[LSC_PLOT_PATH_MAX];
    plot_spf(tmpname, sizeof tmpname, ".%s.XXXXXX", f->name);
    join(path, sizeof path, c->dir, tmpname);
    plot_spf(f->tmp, sizeof f->tmp, "%s", path);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        join(path, sizeof path, c->dir, f->name);
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", path, strerror(errno));
        f->tmp[0] = '\0';
        return LSC_EIO;
    }
    fchmod(fd, 0644);
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        close(fd);
        unlink(f->tmp);
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", f->tmp, strerror(errno));
        return LSC_EIO;
    }
    return LSC_OK;
}

void plot_abort(plot_file *f)
{
    if (f->fp)
        fclose(f->fp);
    f->fp = NULL;
    if (f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = '\0';
}

int plot_close(plot_ctx *c, plot_file *f)
{
    char path[LSC_PLOT_PATH_MAX];
    join(path, sizeof path, c->dir, f->name);
    int bad = ferror(f->fp);
    if (fclose(f->fp) != 0)
        bad = 1;
    f->fp = NULL;
    if (bad || rename(f->tmp, path) != 0) {
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", path,
                      errno ? strerror(errno) : "write error");
        unlink(f->tmp);
        return LSC_EIO;
    }
    f->tmp[0] = '\0';
    if (c->nfiles < PLOT_MAX_FILES)
        plot_spf(c->files[c->nfiles++], LSC_PLOT_PATH_MAX, "%s", f->name);
    return LSC_OK;
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

static int write_style(plot_ctx *c)
{
    const lsc_plot_opts *o = c->o;
    if (!o->style[0]) {
        fputs("# --- style: plots/style.gp (built in) ---\n", c->gp);
        fputs(lsc_plot_style_text, c->gp);
        fputs("# --- end of style ---\n\n", c->gp);
        return LSC_OK;
    }
    FILE *sf = fopen(o->style, "r");
    if (!sf) {
        lsc_error_set(c->err, LSC_EIO, "style: cannot read '%s': %s", o->style,
                      strerror(errno));
        return LSC_EIO;
    }
    put_comment(c->gp, "--- style: ", o->style);
    char buf[4096];
    size_t n;
    int last = '\n';
    while ((n = fread(buf, 1, sizeof buf, sf)) > 0) {
        fwrite(buf, 1, n, c->gp);
        last = buf[n - 1];
    }
    int bad = ferror(sf);
    fclose(sf);
    if (bad) {
        lsc_error_set(c->err, LSC_EIO, "style: cannot read '%s'", o->style);
        return LSC_EIO;
    }
    if (last != '\n')
        fputc('\n', c->gp);
    fputs("# --- end of style ---\n\n", c->gp);
    return LSC_OK;
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
    put_comment(c->gp, "Re-render: gnuplot ", gpn);
    fprintf(c->gp, "#   (from any directory: the data files are read next to this script)\n");
    if (c->out_name[0])
        fprintf(c->gp, "# Another file: gnuplot -e \"OUT='other.png'\" FIG.gp (same terminal; "
                       "edit 'set terminal' for another format)\n");
    fprintf(c->gp, "# The landscape was evaluated by losscape on a grid (a data file); "
                   "gnuplot only draws.\n#\n");
    write_provenance(c);
    fputs("\n", c->gp);
    int rc = write_style(c);
    if (rc)
        return rc;
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

/* ---- running gnuplot ---------------------------------------------------------------- */

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
        }
        closedir(d);
    }
    rmdir(dir);
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

static int run_gnuplot(plot_ctx *c)
{
    const lsc_plot_opts *o = c->o;
    const char *prog = o->gnuplot[0] ? o->gnuplot : getenv("GNUPLOT");
    if (!prog || !prog[0])
        prog = "gnuplot";
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

    /* A fresh directory beside the image: gnuplot writes there, we rename on success. */
    char tmpdir[LSC_PLOT_PATH_MAX + 32] = "";
    char script_arg[LSC_PLOT_PATH_MAX + 16];
    char out_arg[LSC_PLOT_PATH_MAX * 2 + 16];
    const char *cwd_child = c->dir[0] ? c->dir : ".";
    if (c->out_name[0]) {
        char t[64];
        plot_spf(t, sizeof t, ".%s-render.XXXXXX", "lsc");
        join(tmpdir, sizeof tmpdir, c->dir, t);
        if (!mkdtemp(tmpdir)) {
            lsc_error_set(c->err, LSC_EIO, "cannot create a temporary directory in '%s': %s",
                          cwd_child, strerror(errno));
            return LSC_EIO;
        }
        cwd_child = tmpdir;
        plot_spf(script_arg, sizeof script_arg, "../%s", gp_name);
        /* OUT='fig.png' with the same quoting as in the script */
        size_t w = (size_t)plot_spf(out_arg, sizeof out_arg, "OUT='");
        for (const char *p = c->out_name; *p && w + 8 < sizeof out_arg; p++) {
            if (*p == '\'') {
                memcpy(out_arg + w, QUOTE_BREAK, strlen(QUOTE_BREAK));
                w += strlen(QUOTE_BREAK);
            } else {
                out_arg[w++] = *p;
            }
        }
        plot_spf(out_arg + w, sizeof out_arg - w, "'");
    } else {
        plot_spf(script_arg, sizeof script_arg, "./%s", gp_name);
    }

    int errpipe[2], execpipe[2];
    if (pipe(errpipe) != 0) {
        if (tmpdir[0])
            remove_tree(tmpdir);
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: pipe: %s", strerror(errno));
        return LSC_EIO;
    }
    if (pipe(execpipe) != 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        if (tmpdir[0])
            remove_tree(tmpdir);
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
    argv[a++] = script_arg;
    argv[a] = NULL;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        close(execpipe[0]);
        close(execpipe[1]);
        if (tmpdir[0])
            remove_tree(tmpdir);
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
        if (chdir(cwd_child) != 0) {
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
        if (tmpdir[0])
            remove_tree(tmpdir);
        if (exec_errno == ENOENT || exec_errno == EACCES || exec_errno == ENOTDIR)
            lsc_error_set(c->err, LSC_EEXTERNAL,
                          "gnuplot not found ('%s': %s): install it (apt-get install "
                          "gnuplot-nox) or name it with GNUPLOT=/path/to/gnuplot; the script "
                          "is %s", prog, strerror(exec_errno), gp_path);
        else
            lsc_error_set(c->err, LSC_EEXTERNAL, "cannot run gnuplot ('%s'): %s; the script is "
                          "%s", prog, strerror(exec_errno), gp_path);
        return LSC_EEXTERNAL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (tmpdir[0])
            remove_tree(tmpdir);
        char line[512];
        first_error_line(errbuf, line, sizeof line);
        if (WIFEXITED(status))
            lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot failed on %s (exit status %d): %s",
                          gp_path, WEXITSTATUS(status), line[0] ? line : "no message");
        else
            lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot failed on %s (killed by signal %d)",
                          gp_path, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        return LSC_EEXTERNAL;
    }
    if (!tmpdir[0])
        return LSC_OK;

    /* Move what gnuplot made into place: the image (and for cairolatex FIG.pdf too). */
    char src[LSC_PLOT_PATH_MAX * 2 + 64], dst[LSC_PLOT_PATH_MAX * 2 + 64];
    plot_spf(src, sizeof src, "%s/%s", tmpdir, c->out_name);
    struct stat st;
    if (stat(src, &st) != 0) {
        remove_tree(tmpdir);
        lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot wrote no image for %s", gp_path);
        return LSC_EEXTERNAL;
    }
    int rc = LSC_OK;
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            plot_spf(src, sizeof src, "%s/%s", tmpdir, e->d_name);
            join(dst, sizeof dst, c->dir, e->d_name);
            if (rename(src, dst) != 0 && rc == LSC_OK) {
                lsc_error_set(c->err, LSC_EIO, "cannot move the image to '%s': %s", dst,
                              strerror(errno));
                rc = LSC_EIO;
            }
        }
        closedir(d);
    }
    remove_tree(tmpdir);
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
    /* names */
    int rc;
    if (o->out[0]) {
        rc = split_path(o->out, "out", c->dir, c->stem, c->out_name, 1, err);
    } else if (o->base[0]) {
        rc = split_path(o->base, "base", c->dir, c->stem, c->out_name, 0, err);
        c->out_name[0] = '\0';
    } else {
        const char *td = getenv("TMPDIR");
        plot_spf(c->dir, sizeof c->dir, "%s/losscape-plot.XXXXXX", td && td[0] ? td : "/tmp");
        if (!mkdtemp(c->dir)) {
            lsc_error_set(err, LSC_EIO, "cannot create a temporary directory '%s': %s", c->dir,
                          strerror(errno));
            return LSC_EIO;
        }
        c->temp_dir = 1;
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
    if (c->dir[0]) {
        struct stat st;
        if (stat(c->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            lsc_error_set(err, LSC_EIO, "out: directory '%s' does not exist", c->dir);
            return LSC_EIO;
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
    return LSC_OK;
}

static int begin_script(plot_ctx *c, plot_file *f)
{
    return plot_open(c, ".gp", f);
}

static void cleanup_temp(plot_ctx *c)
{
    if (c->temp_dir)
        remove_tree(c->dir);
}

static int finish(plot_ctx *c, plot_file *gpf, int rc)
{
    if (rc != LSC_OK) {
        plot_abort(gpf);
        cleanup_temp(c);
        return rc;
    }
    rc = plot_close(c, gpf);
    c->gp = NULL;
    if (rc == LSC_OK && !c->o->no_render)
        rc = run_gnuplot(c);
    cleanup_temp(c);
    return rc;
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
    if (!t && (o->kind == LSC_PLOT_CURVES || o->kind == LSC_PLOT_ANIMATION ||
               o->kind == LSC_PLOT_SLICE || o->kind == LSC_PLOT_BASINS)) {
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
    if (o->kind == LSC_PLOT_BASINS) {
        /* re-run the trajectory's optimizers from a grid of starts */
        const char *specs[64];
        int nopt = 0;
        for (int r = 0; r < t->nruns && nopt < 64; r++) {
            int dup = 0;
            for (int k = 0; k < nopt; k++)
                dup |= !strcmp(specs[k], t->runs[r].optimizer);
            if (!dup)
                specs[nopt++] = t->runs[r].optimizer;
        }
        lsc_run_opts ro;
        memset(&ro, 0, sizeof ro);
        ro.landscape = L;
        ro.steps = t->steps > 0 ? t->steps : 1000;
        ro.stop_grad = t->stop_grad;
        ro.clip_norm = t->clip_norm;
        ro.clip_value = t->clip_value;
        ro.noise = t->noise;
        ro.seed = t->seed;
        ro.every = ro.steps;
        lsc_error e2;
        ro.schedule = NULL;
        if (t->schedule[0] && strcmp(t->schedule, "constant")) {
            ro.schedule = lsc_schedule_new(t->schedule, "trajectory schedule", &e2);
            if (!ro.schedule) {
                lsc_error_set(err, e2.code, "%s", e2.msg);
                lsc_landscape_free(own);
                return e2.code;
            }
        }
        int rc = lsc_plot_basins(L, specs, nopt, &ro, o, err);
        lsc_schedule_free(ro.schedule);
        lsc_landscape_free(own);
        return rc;
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
        cleanup_temp(&c);
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

int lsc_plot_basins(const lsc_landscape *L, const char *const *specs, int nopt,
                    const lsc_run_opts *run, const lsc_plot_opts *o, lsc_error *err)
{
    if (!L || !specs || nopt < 1 || !run || !o) {
        lsc_error_set(err, LSC_EINVAL, "basins: needs a landscape, at least one optimizer and "
                      "run options");
        return LSC_EINVAL;
    }
    if (L->n != 2) {
        lsc_error_set(err, LSC_EINVAL, "kind=basins: needs a 2-D landscape ('%s' has %d "
                      "dimensions)", L->type->name, L->n);
        return LSC_EINVAL;
    }
    if (nopt > 16) {
        lsc_error_set(err, LSC_EINVAL, "basins: %d optimizers (allowed: at most 16 panels)",
                      nopt);
        return LSC_EINVAL;
    }
    lsc_plot_opts o2 = *o;
    o2.kind = LSC_PLOT_BASINS;
    plot_ctx c;
    int rc = setup(&c, &o2, err);
    if (rc)
        return rc;
    c.L = L;
    plot_file gpf;
    rc = begin_script(&c, &gpf);
    if (rc) {
        cleanup_temp(&c);
        return rc;
    }
    c.gp = gpf.fp;
    rc = plot_basins_impl(&c, specs, nopt, run);
    return finish(&c, &gpf, rc);
}
