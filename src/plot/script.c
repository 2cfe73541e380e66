/* script.c — writing the script: text made safe for gnuplot, numbers, the header
 * (provenance, style, terminal), plot-command lists
 *
 * Quoting rule (gnuplot 5 manual, "Syntax" / "Substitution"): inside single quotes
 * gnuplot does no backslash, backtick (command) or @macro substitution. A quote in the
 * text closes the literal and is concatenated back: 'it'."'".'s' (QUOTE_BREAK). A newline
 * would end the command, so control characters become spaces.
 * Text that came from a user is printed with 'noenhanced' so ^ _ @ & { } print as they
 * are. The same rule holds for the -e "OUT='...'" argument.
 */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lsc_version.h"

/* ---- writing the script ------------------------------------------------------------ */

void plot_printf(const plot_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->gp, fmt, ap);
    va_end(ap);
}

/* A single quote inside a single-quoted literal: gnuplot's doubling ('') fails at the start
 * of a string (a literal opening with three quotes scans as an empty string, then another
 * string), so the literal is closed, a quote added by concatenation with a double-quoted
 * "'" (no user text in it), and reopened: it's -> 'it'."'".'s' */
#define QUOTE_BREAK "'.\"'\".'"

/* Math of a .tex figure (tex.c: plot_tex_math_span), n bytes from the opening dollar to
 * the closing one: as written, but for the characters that could end the line (control
 * characters, %), align (&), take a parameter (#) or end gnuplot's quoted string ('). */
static void put_math(FILE *fp, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        int k = plot_utf8_len(p + i); /* a sequence cannot run past the closing '$' */
        unsigned char ch = p[i];
        if (k == 0) {
            fputc('?', fp);
        } else if (k > 1) {
            fwrite(p + i, 1, (size_t)k, fp);
            i += (size_t)k;
            continue;
        } else if (ch == '\\' && i + 2 < n && strchr("%&#", p[i + 1])) {
            fputc(ch, fp), fputc(p[i + 1], fp); /* \% is already a percent sign */
            i += 2;
            continue;
        } else if (ch < 0x20 || ch == 0x7f) {
            fputc(' ', fp);
        } else if (ch == '%' || ch == '&' || ch == '#') {
            fputc('\\', fp), fputc(ch, fp);
        } else if (ch == '\'') {
            fputs(QUOTE_BREAK, fp);
        } else {
            fputc(ch, fp);
        }
        i++;
    }
}

/* User text, made safe: control characters to spaces, invalid UTF-8 to '?'. For LaTeX
 * (cairolatex), the specials get their text-mode forms, $...$ is math (tex.c) and \$ a
 * dollar. Quotes: QUOTE_BREAK. */
static void put_text(FILE *fp, const char *s, int tex)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t m = tex && *p == '$' ? plot_tex_math_span((const char *)p) : 0;
        if (m) {
            put_math(fp, p, m);
            p += m;
            continue;
        }
        if (tex && p[0] == '\\' && p[1] == '$') {
            fputs("\\$", fp);
            p += 2;
            continue;
        }
        if (*p < 0x20 || *p == 0x7f) {
            fputc(' ', fp);
            p++;
            continue;
        }
        int n = plot_utf8_len(p);
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
            /* OT1, LaTeX's default encoding, has other glyphs at these codes (¡ ¿ —) */
            case '<': fputs("\\textless{}", fp); continue;
            case '>': fputs("\\textgreater{}", fp); continue;
            case '|': fputs("\\textbar{}", fp); continue;
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

void plot_str_sized(const plot_ctx *c, const char *s, int size)
{
    if (c->term != TERM_TEX) {
        plot_str(c, s);
        return;
    }
    /* cairolatex writes no font sizes: LaTeX is told (the line height 1.2 times the size,
     * LaTeX's own ratio) */
    fprintf(c->gp, "'\\fontsize{%d}{%.3g}\\selectfont ", size, 1.2 * size);
    put_text(c->gp, s, 1);
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

/* Ticks m * 10^e in [lo, hi] for the mantissas m of set (0-terminated): their count, at
 * most max values into v. */
static int log_ticks(const double *set, double lo, double hi, double *v, int max)
{
    int n = 0;
    for (int e = (int)floor(log10(lo)); e <= (int)floor(log10(hi)) && n < max; e++)
        for (const double *m = set; *m > 0 && n < max; m++) {
            double x = *m * pow(10, e);
            if (x >= lo * (1 - 1e-12) && x <= hi * (1 + 1e-12))
                v[n++] = x;
        }
    return n;
}

int plot_log_tics(const plot_ctx *c, const char *axis, double lo, double hi)
{
    if (!(lo > 0) || !(hi > lo) || !isfinite(hi) || hi >= 100 * lo)
        return 0;
    /* under two decades (decade ticks: two at most, often one or none): the sparsest
     * mantissa set (each 0-terminated) giving at least 4 labelled ticks, spaced evenly
     * enough on the log axis (3, 4, 5, 6, 8, 10 for 2.7 .. 12.5); very narrow ranges,
     * where the axis is nearly linear, a 1-2-5 linear step */
    static const double sets[][13] = {{1, 2, 5, 0},
                                      {1, 2, 3, 5, 0},
                                      {1, 1.5, 2, 3, 4, 5, 6, 8, 0},
                                      {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 0}};
    double v[24];
    int n = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0] && n < 4; i++)
        n = log_ticks(sets[i], lo, hi, v, 24);
    if (n < 3) {
        double raw = (hi - lo) / 4, e = pow(10, floor(log10(raw))), m = raw / e;
        double step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * e;
        n = 0;
        for (double k = ceil(lo / step); k * step <= hi * (1 + 1e-12) && n < 24; k++)
            v[n++] = k * step;
    }
    plot_printf(c, "set format %s '%s'\nset %stics (", axis, plot_sym(c, "%g", "$%g$", "%g"),
                axis);
    char a[32];
    for (int i = 0; i < n; i++) {
        plot_spf(a, sizeof a, "%.6g", v[i]); /* 0.3, not 0.30000000000000004 */
        plot_printf(c, "%s%s", i ? ", " : "", a);
    }
    plot_printf(c, ")\n");
    return 1;
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

/* ---- header, style, terminal ---------------------------------------------------------- */

#define STYLE_MAX (1 << 20)

int plot_read_style(plot_ctx *c)
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
        if (lsc_run_record_own(R, "noise")) {
            plot_spf(pre, sizeof pre, "run %d noise: ", r);
            put_comment(c->gp, pre, lsc_fmt_double(num, R->noise));
        }
        if (lsc_run_record_own(R, "clip_norm")) {
            plot_spf(pre, sizeof pre, "run %d clip_norm: ", r);
            put_comment(c->gp, pre, lsc_fmt_double(num, R->clip_norm));
        }
        if (lsc_run_record_own(R, "clip_value")) {
            plot_spf(pre, sizeof pre, "run %d clip_value: ", r);
            put_comment(c->gp, pre, lsc_fmt_double(num, R->clip_value));
        }
        plot_spf(pre, sizeof pre, "run %d label: ", r);
        put_comment(c->gp, pre, R->label);
        size_t w = 0;
        buf[0] = '\0';
        for (int j = 0; R->start && j < t->n && j < 10; j++) {
            int k = plot_spf(buf + w, sizeof buf - w, "%s%s", j ? "," : "",
                             lsc_fmt_double(num, R->start[j]));
            if (k < 0 || (size_t)k >= sizeof buf - w)
                break;
            w += (size_t)k;
        }
        if (!R->start) /* only how it was made (trajectory.h) */
            lsc_start_describe(&R->start_desc, buf, sizeof buf);
        else if (t->n > 10 && w + 8 < sizeof buf)
            strcat(buf, ",...");
        plot_spf(pre, sizeof pre, "run %d start: ", r);
        put_comment(c->gp, pre, buf);
        plot_spf(buf, sizeof buf, "%s (%s), %zu rows", lsc_stop_name(R->status), R->reason,
                 R->len);
        plot_spf(pre, sizeof pre, "run %d status: ", r);
        put_comment(c->gp, pre, buf);
    }
}

/* A side of the canvas in inches for the terminal line: size= as given, else the canvas
 * units (points) over 72. Into buf[32]. */
static const char *inches(const plot_ctx *c, int k, char *buf)
{
    double in = c->size_in[k];
    if (in > 0)
        plot_spf(buf, 32, "%.6gin", in);
    else
        plot_spf(buf, 32, "%.4gin", (k ? c->height : c->width) / 72.0);
    return buf;
}

static void write_terminal(plot_ctx *c)
{
    const char *font = c->font;
    char wi[32], hi[32];
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
        plot_printf(c, "set terminal pdfcairo size %s,%s enhanced font ", inches(c, 0, wi),
                    inches(c, 1, hi));
        plot_str(c, font);
        plot_printf(c, " fontscale 1.0 linewidth 1.0 pointscale 0.9\n");
        break;
    case TERM_TEX: {
        /* LaTeX sets the text, in the document's font at the figure's size (the header's
         * \fontsize): gnuplot is told that size, for the room it leaves around labels */
        char hdr[96];
        plot_tex_header(c, hdr, sizeof hdr);
        /* its default font scale: with 1.0, gnuplot takes a character for 1.6 times what
         * LaTeX sets (it leaves too much room, and drops an axis label it thinks does not
         * fit). Lines and points scaled to the text as in the PNG (a curve 0.3% of the
         * width, a marker 0.75 em): cairolatex draws a unit line 0.27 pt wide and its
         * points 1.4 times larger than pngcairo, for the font size */
        plot_printf(c, "set terminal cairolatex pdf size %s,%s color font ',%d' "
                    "header '%s' linewidth 1.8 pointscale 0.65\n", inches(c, 0, wi),
                    inches(c, 1, hi), plot_font_size(c), hdr);
        break;
    }
    case TERM_GIF:
        if (c->animate)
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
    if (c->out_name[0] && c->term == TERM_TEX) { /* gnuplot.c: losscape names it fig.tex.pdf */
        const char *dot = strrchr(c->out_name, '.');
        fprintf(c->gp, "# By hand, cairolatex names the graphic after OUT without its "
                       "extension: %.*s.pdf (losscape names it %s.pdf)\n",
                (int)(dot - c->out_name), c->out_name, c->out_name);
    }
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

/* ---- plot clause lists ------------------------------------------------------------------ */

void plot_clause(plot_clauses *k)
{
    if (k->n++)
        plot_printf(k->c, ", \\\n     ");
    else
        plot_printf(k->c, "%s ", k->cmd);
}

void plot_clauses_end(plot_clauses *k)
{
    if (k->n)
        plot_printf(k->c, "\n");
    k->n = 0;
}
