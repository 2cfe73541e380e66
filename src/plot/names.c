/* names.c — the names of a figure's files: checked, split, joined
 *
 * Output names are checked for what gnuplot, a shell or LaTeX could misread, although
 * gnuplot never sees them when losscape renders (it writes to a name of losscape's own,
 * gnuplot.c): they still appear in FIG.gp (OUT's default, DIR from the path the script was
 * started by, the data file names), and a user re-renders with `gnuplot PATH/FIG.gp`.
 */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int plot_spf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return r;
}

int plot_has_ctrl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* What gnuplot reads at the start of a name:
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

int plot_check_name(const char *what, const char *path, lsc_error *err)
{
    if (plot_has_ctrl(path)) {
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

/* Split "a/b/fig.png" into dir "a/b" and name "fig.png". An image name (is_out) needs
 * something before its extension (".png" alone is refused). */
int plot_split_path(const char *path, const char *what, char *dir, char *name, int is_out,
                    lsc_error *err)
{
    if (plot_check_name(what, path, err) != LSC_OK)
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
    const char *dot = strrchr(base, '.');
    size_t stem = is_out && dot ? (size_t)(dot - base) : strlen(base);
    if (!stem || !strcmp(base, ".") || !strcmp(base, "..")) {
        lsc_error_set(err, LSC_EINVAL, "%s='%.200s': needs a file name (e.g. fig.png)", what,
                      path);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

/* dir + "/" + name into buf */
void plot_join(char *buf, size_t len, const char *dir, const char *name)
{
    if (!dir[0])
        plot_spf(buf, len, "%s", name);
    else if (dir[strlen(dir) - 1] == '/')
        plot_spf(buf, len, "%s%s", dir, name);
    else
        plot_spf(buf, len, "%s/%s", dir, name);
}

/* A figure's own files (the script, its data, a .tex figure's graphic) are named after
 * the whole image name: fig.png.gp, fig.png.paths.tsv, fig.tex.pdf. Two figures that
 * differ only in their extension (fig.png, fig.gif, fig.tex, fig.pdf) never share one. */
int lsc_plot_script_path(const lsc_plot_opts *o, char *buf, size_t len)
{
    char dir[LSC_PLOT_PATH_MAX], name[LSC_PLOT_PATH_MAX];
    const char *p = o->out[0] ? o->out : o->base;
    if (!p[0] || plot_split_path(p, "out", dir, name, o->out[0] != 0, NULL) != LSC_OK) {
        if (len)
            buf[0] = '\0';
        return LSC_EINVAL;
    }
    char gp[LSC_PLOT_PATH_MAX + 8];
    plot_spf(gp, sizeof gp, "%s.gp", name);
    plot_join(buf, len, dir, gp);
    return LSC_OK;
}

const char *lsc_plot_outputs(const lsc_plot_opts *o, char *buf, size_t len)
{
    char dir[LSC_PLOT_PATH_MAX], name[LSC_PLOT_PATH_MAX], side[LSC_PLOT_PATH_MAX + 8];
    const char *p = o->out[0] ? o->out : o->base;
    if (!p[0] || plot_split_path(p, "out", dir, name, o->out[0] != 0, NULL) != LSC_OK) {
        plot_spf(buf, len, "%s", o->out);
        return buf;
    }
    const char *dot = strrchr(name, '.');
    if (o->no_render) {
        char base[LSC_PLOT_PATH_MAX + 8]; /* "dir/fig.png." */
        plot_spf(side, sizeof side, "%s.", name);
        plot_join(base, sizeof base, dir, side);
        plot_spf(buf, len, "%sgp and its data files (%s*; no image: no_render)", base, base);
    } else if (o->out[0] && !o->dumb && dot && !strcasecmp(dot, ".tex")) {
        char pdf[LSC_PLOT_PATH_MAX + 8];
        plot_spf(side, sizeof side, "%s.pdf", name);
        plot_join(pdf, sizeof pdf, dir, side);
        plot_spf(buf, len, "%s and %s", o->out, pdf);
    } else {
        plot_spf(buf, len, "%s", o->out);
    }
    return buf;
}

/* The path (out, else base) split, checked for its length and an existing directory. */
int plot_place(const lsc_plot_opts *o, char *dir, char *name, lsc_error *err)
{
    const char *path = o->out[0] ? o->out : o->base;
    const char *what = o->out[0] ? "out" : "base";
    struct stat st;
    if (plot_split_path(path, what, dir, name, o->out[0] != 0, err) != LSC_OK)
        return LSC_EINVAL;
    if (strlen(dir) + strlen(name) + 64 >= LSC_PLOT_PATH_MAX) {
        lsc_error_set(err, LSC_EINVAL, "%s: the path is too long (at most %d characters)",
                      what, LSC_PLOT_PATH_MAX - 64);
        return LSC_EINVAL;
    }
    if (dir[0] && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        lsc_error_set(err, LSC_EINVAL, "%s: directory '%s' does not exist (allowed: a file "
                      "in an existing directory)", what, dir);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

const char *plot_fname(const plot_ctx *c, const char *suffix, char *buf, size_t len)
{
    plot_spf(buf, len, "%s%s", c->stem, suffix);
    return buf;
}

/* The mark of a figure's own files: the first line of its script and data files ("# "
 * before it), the last of a .tex figure's graphic ("%" before it). A file that bears
 * another mark, or none, is not the figure's, and it is never replaced (files.c). */
const char *plot_mark(const char *stem, char *buf, size_t len)
{
    plot_spf(buf, len, "a file of the losscape figure \"%s\"", stem);
    return buf;
}
