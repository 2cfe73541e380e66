/* heading.c — a figure's title and caption: text widths, wrapping, the automatic
 * caption */
#include "script.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lsc_version.h"
#include "runs.h"
#include "sampler.h"

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
        int n = plot_utf8_len(p);
        if (n == 0)
            n = 1;
        w += char_em(p, n);
        p += n;
    }
    return w;
}

/* Width of a label as an enhanced-text terminal draws it, in em of the base font: the
 * markup (^ _ { } @ &) takes no room, sub- and superscripts are set at 0.8 of the size. */
static double enhanced_em(const char *s)
{
    double w = 0, scale = 1;
    int depth = 0, script_depth = -1;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = plot_utf8_len(p);
        if (n == 0)
            n = 1;
        if (*p == '^' || *p == '_') {
            scale = 0.8;
            script_depth = depth;
            if (p[1] != '{') { /* one character */
                p++;
                n = plot_utf8_len(p);
                w += *p ? 0.8 * char_em(p, n ? n : 1) : 0;
                p += *p ? (n ? n : 1) : 0;
                scale = 1;
                continue;
            }
        } else if (*p == '{') {
            depth++;
        } else if (*p == '}') {
            depth--;
            if (depth == script_depth)
                scale = 1, script_depth = -1;
        } else if (*p != '@' && *p != '&') {
            w += scale * char_em(p, n);
        }
        p += n;
    }
    return w;
}

double plot_label_em(const plot_ctx *c, const char *s)
{
    if (plot_is_text(c))
        return (double)strlen(s);
    if (c->term == TERM_TEX)
        return plot_tex_em(s) * plot_tex_scale(plot_font_size(c));
    return enhanced_em(s);
}

double plot_user_em(const plot_ctx *c, const char *s)
{
    if (plot_is_text(c))
        return (double)strlen(s);
    if (c->term == TERM_TEX)
        return plot_tex_em(s) * plot_tex_scale(plot_font_size(c));
    return plot_text_em(s);
}

double plot_gp_em(const plot_ctx *c, const char *s, int markup)
{
    /* gnuplot: characters times its average character width (cairolatex: about 0.51 em,
     * not counting TeX's markup; cairo terminals about 0.65 em of DejaVu Sans, not
     * counting enhanced-text markup in a label that has it) */
    size_t n = 0;
    int tex = c->term == TERM_TEX;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((tex || markup) && strchr("{}_^", *p))
            continue;
        if (tex && *p == '$')
            continue;
        if (tex && *p == '\\') { /* a control word counts as one character */
            while (isalpha(p[1]))
                p++;
        }
        n += (*p & 0xc0) != 0x80; /* characters, not bytes */
    }
    return (tex ? 0.51 : 0.65) * (double)n;
}

/* The step of automatic ticks over a range: 1, 2 or 5 times a power of ten, the finest
 * giving at most 10 intervals (gnuplot's own choice is at least as coarse: its labels are
 * no wider than the widest of these). */
static double tick_step(double range)
{
    double e = pow(10, floor(log10(range / 10))), m = range / 10 / e;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e;
}

/* The width of a tick label: as drawn, or (gp) gnuplot's estimate if larger. */
static double tic_em(const plot_ctx *c, const char *lab, int gp)
{
    double w = plot_label_em(c, lab);
    return gp ? fmax(w, plot_gp_em(c, lab, 1)) : w;
}

double plot_tics_em(const plot_ctx *c, double lo, double hi, int logscale, int gp)
{
    char lab[64];
    double w = 0;
    if (!isfinite(lo) || !isfinite(hi) || hi < lo)
        return 0;
    if (hi == lo) { /* gnuplot widens an empty range by 1% each way (by 1 at 0) */
        double d = lo != 0 ? 0.01 * fabs(lo) : 1;
        lo -= d, hi += d;
    }
    if (logscale && lo > 0) {
        if (hi < 100 * lo) { /* plot_log_tics: %g labels of 1-2-5 mantissas, or linear */
            logscale = 0;
        } else { /* decades: 10^{k} */
            for (int k = (int)floor(log10(lo)); k <= (int)ceil(log10(hi)); k++) {
                plot_spf(lab, sizeof lab, plot_sym(c, "10^{%d}", "$10^{%d}$", "1e%d"), k);
                w = fmax(w, tic_em(c, lab, gp));
            }
            return w;
        }
    }
    double step = tick_step(hi - lo), k0 = ceil(lo / step);
    /* at most 100 labels: far from zero (k0 beyond 2^53) k0 + 1 is k0 again */
    for (int i = 0; i < 100 && (k0 + i) * step <= hi + 1e-12 * fabs(hi) + 1e-300; i++) {
        double v = (k0 + i) * step;
        plot_spf(lab, sizeof lab, plot_sym(c, "%g", "$%g$", "%g"),
                 fabs(v) < 1e-12 * step ? 0.0 : v);
        w = fmax(w, tic_em(c, lab, gp));
    }
    return w;
}

/* A log axis: decades, every 10^m of them when one a decade would not fit (labels
 * stacked 1.6 em apart). */
static void fit_log_tics(const plot_ctx *c, const char *axis, double lo, double hi, double len)
{
    if (!(lo > 0) || hi < 100 * lo) /* under two decades: plot_log_tics lists its own */
        return;
    int n = plot_clamp_int(floor(log10(hi)) - ceil(log10(lo)) + 1, 1, 10000);
    double per = len / (1.6 * plot_em(c)); /* labels that fit */
    if (n <= per)
        return;
    int m = plot_clamp_int(ceil(n / fmax(per, 1)), 2, 1000);
    /* listed ('set ytics 1e10' on a log axis makes gnuplot count minor ticks for ever) */
    int k0 = plot_clamp_int(ceil(log10(lo)), -400, 400), k1 = plot_clamp_int(floor(log10(hi)), -400, 400);
    plot_printf(c, "set %stics (", axis);
    int first = 1;
    for (int k = k0; k <= k1; k++)
        if (((k % m) + m) % m == 0) {
            plot_printf(c, "%s1e%d", first ? "" : ", ", k);
            first = 0;
        }
    plot_printf(c, ")\n");
}

void plot_fit_tics(const plot_ctx *c, const char *axis, double lo, double hi, double len,
                   int horizontal, int logscale)
{
    if (plot_is_text(c) || !(hi > lo) || !isfinite(lo) || !isfinite(hi) || !(len > 0))
        return;
    if (logscale) {
        fit_log_tics(c, axis, lo, hi, len);
        return;
    }
    const double em = plot_em(c);
    char lab[64];
    double step = tick_step(hi - lo), step0 = step;
    for (int tries = 0; tries < 12; tries++) {
        /* the labels' extent along the axis, each with 0.6 em (horizontal) or 0.4 em
         * (stacked; a line is 1.2 em) between it and the next */
        double need = 0;
        int n = 0;
        double k0 = ceil(lo / step);
        for (; n < 100 && (k0 + n) * step <= hi + 1e-12 * fabs(hi) + 1e-300; n++) {
            double v = (k0 + n) * step;
            plot_spf(lab, sizeof lab, plot_sym(c, "%g", "$%g$", "%g"),
                     fabs(v) < 1e-12 * step ? 0.0 : v);
            need += horizontal ? plot_label_em(c, lab) + 0.6 : 1.6;
        }
        if (need * em <= len)
            break;
        /* the next of 1, 2, 5 times a power of ten */
        double e = pow(10, floor(log10(step) + 1e-9)), m = step / e;
        step = (m < 1.5 ? 2 : m < 3.5 ? 5 : 10) * e;
    }
    if (step != step0) {
        char a[32];
        plot_printf(c, "set %stics %s\n", axis, plot_num(a, step));
    }
}

double plot_em(const plot_ctx *c)
{
    /* cairo (png) and libgd (gif) set a font of s points s * 96/72 pixels high; svg, pdf
     * and tex canvases are measured in points (1 pt = 1 unit) */
    double k = c->term == TERM_PNG || c->term == TERM_GIF ? 96.0 / 72.0 : 1.0;
    return c->term == TERM_DUMB ? 1.0 : plot_font_size(c) * k;
}

/* The words of a .tex text, math spans whole: wrapped at spaces outside them, by their
 * widths in Computer Modern (tex.c). */
static int wrap_tex(const char *s, double maxem, int size, char lines[][512], int maxlines)
{
    int nl = 0;
    size_t len = 0; /* of the line being filled */
    double w = 0, k = plot_tex_scale(size), space = 0.333 * k;
    char word[512];
    for (const char *p = s; *p && nl < maxlines;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = 0;
        while (p[n] && p[n] != ' ') {
            size_t m = p[n] == '$' ? plot_tex_math_span(p + n) : 0;
            n += m ? m : 1;
        }
        plot_spf(word, sizeof word, "%.*s", (int)(n < 511 ? n : 511), p);
        double ww = plot_tex_em(word) * k;
        if (len && w + space + ww > maxem) { /* the word starts the next line */
            if (++nl == maxlines)
                break;
            len = 0, w = 0;
        }
        if (len + (len ? 1 : 0) + strlen(word) < 512) {
            len += (size_t)plot_spf(lines[nl] + len, 512 - len, "%s%s", len ? " " : "", word);
            w += (w > 0 ? space : 0) + ww;
        }
        p += n;
    }
    return nl + (len > 0 && nl < maxlines);
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
            int n = plot_utf8_len(q);
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

/* Do the runs of t, merged from several files, differ in driver option `name`? */
static int mixed(const lsc_trajectory *t, const char *name)
{
    const lsc_driver_option *o = lsc_driver_option_find(name);
    return o && (t->mixed >> (o - lsc_driver_options) & 1);
}

/* " (stop at |grad f| <= A or f <= B or |x - x_start| >= C)": the stop conditions that
 * are on ("" when none is). */
static void stop_clause(const lsc_trajectory *t, char *buf, size_t len)
{
    char num[32];
    size_t w = 0;
    buf[0] = '\0';
    const char *sep = " (stop at ";
#define ADD(...)                                                                          \
    do {                                                                                  \
        int k_ = plot_spf(buf + w, len - w, __VA_ARGS__);                                 \
        if (k_ > 0 && (size_t)k_ < len - w)                                               \
            w += (size_t)k_;                                                              \
    } while (0)
    if (t->stop_grad > 0) {
        ADD("%s|grad f| <= %s", sep, lsc_fmt_double(num, t->stop_grad));
        sep = " or ";
    }
    if (!isnan(t->stop_loss)) {
        ADD("%sf <= %s", sep, lsc_fmt_double(num, t->stop_loss));
        sep = " or ";
    }
    if (t->stop_dist > 0) {
        ADD("%s|x - x_start| >= %s", sep, lsc_fmt_double(num, t->stop_dist));
        sep = " or ";
    }
    if (sep[1] == 'o')
        ADD(")");
#undef ADD
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
    /* a model over data: how its batches were drawn (sampler.h) */
    if (t->data[0] && (mixed(t, "batch_size") || mixed(t, "sampling") || mixed(t, "drop_last")))
        ADD(", batches per file");
    else if (t->data[0] && t->batch_size > 0)
        ADD(", batches of %ld (%s%s)", t->batch_size, lsc_sampling_name(t->sampling),
            t->drop_last ? ", drop_last" : "");
    else if (t->data[0])
        ADD(", full batch");
    /* runs merged from files that differ in steps, stop conditions or seed: the largest
     * budget, and no one value for the others */
    ADD(mixed(t, "steps") ? ", up to %ld steps" : ", %ld steps", t->steps);
    if (t->data[0] && t->epochs > 0 && !mixed(t, "steps") && !mixed(t, "epochs"))
        ADD(" (%ld epochs)", t->epochs);
    if (mixed(t, "stop_grad") || mixed(t, "stop_loss") || mixed(t, "stop_dist"))
        ADD(" (stop conditions per file)");
    else
        stop_clause(t, buf + w, len - w);
    w += strlen(buf + w);
    if (!mixed(t, "seed"))
        ADD(", seed %llu", t->seed);
    if (t->nruns == 1 && t->n <= 4 && t->runs[0].start) {
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
        int ts = (int)lround(plot_font_size(c) * 1.15);
        plot_printf(c, "set title ");
        plot_str_sized(c, c->title, ts);
        plot_printf(c, " noenhanced font ',%d'\n", ts);
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
    int nl = c->term == TERM_TEX ? wrap_tex(cap, maxem, fs, lines, PLOT_CAPTION_LINES)
                                 : wrap(cap, maxem, lines, PLOT_CAPTION_LINES);
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
        int ts = (int)lround(plot_font_size(c) * 1.15);
        plot_printf(c, " title ");
        plot_str_sized(c, c->title, ts);
        plot_printf(c, " noenhanced font ',%d'", ts);
    }
    plot_printf(c, "\n");
}

void plot_caption_on(plot_ctx *c)
{
    for (int i = 0; i < c->ncaption_set; i++) {
        plot_printf(c, "set label %d ", 90 + i);
        plot_str_sized(c, c->caption_lines[i], c->caption_fs);
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


/* Space at the top for the multiplot title. */
double plot_title_h(const plot_ctx *c)
{
    if (!c->title[0])
        return plot_is_text(c) ? 0 : 0.4 * plot_font_size(c) / c->height;
    return plot_is_text(c) ? 2.0 / c->height : 2.4 * plot_font_size(c) * 1.15 / c->height;
}
