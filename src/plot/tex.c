/* tex.c — text in a .tex figure (cairolatex), which LaTeX typesets in the document's
 * Computer Modern, at the size the figure sets (plot_tex_header)
 *
 * Escaping (plot_tex_math_span): every LaTeX special of a text prints as itself (script.c
 * writes \%, \textbackslash{}, \textless{}, ...), except $...$: two unescaped dollars
 * enclose math, written as it is (a title "step size $\eta_t$"), so a figure can say what
 * the paper says. Inside math, % # & are still escaped (% would comment out the rest of
 * the line cairolatex writes, # and & are parameter and alignment characters). A span is
 * printed as text instead when it could do more than typeset: when it names a control
 * sequence that reads or writes files, runs code or defines commands (\input, \write,
 * \def, \csname, ...), holds TeX's ^^ character notation (^^5c is a backslash), has
 * unbalanced braces (they would close cairolatex's box) or is empty ($$ is display math).
 * \$ is a literal dollar. The gnuplot quoting of script.c applies to all of it.
 *
 * Widths (plot_tex_em): advance widths of cmr10 (text) and cmmi10 (math letters), read
 * from the fonts' TFM files (tftopl cmr10.tfm), in em of the font size; math symbols and
 * spacing by the rules of The TeXbook (binary operators 4/18 em of space each side,
 * relations 5/18 em, scripts at 7/10 of the size), times plot_tex_scale for the optical
 * size LaTeX uses at a point size. Captions are wrapped and margins and key columns sized
 * by these, not by the PNG's DejaVu Sans.
 */
#include "script.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* cmr10 advance widths, ASCII 32..126, in 1/1000 em; 32 is the interword space. Where OT1
 * has another glyph at a code, the width is that of what script.c writes for the
 * character: < > (\textless{}, \textgreater{}: math font, 0.778), \ (\textbackslash{}),
 * _ (\_), { } (\{ \}), | (\textbar{}). */
static const short cmr_w[95] = {
    333, 278, 500, 833, 500, 833, 778, 278, 389, 389, 500, 778, 278, 333, 278, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 778, 778, 778, 472,
    778, 750, 708, 722, 764, 681, 653, 785, 750, 361, 514, 778, 625, 917, 750, 778,
    681, 778, 736, 556, 722, 750, 750, 1028, 750, 750, 611, 278, 500, 278, 500, 500,
    278, 500, 556, 444, 556, 444, 306, 500, 556, 278, 306, 528, 278, 833, 556, 500,
    556, 528, 392, 394, 389, 556, 528, 722, 528, 528, 444, 500, 278, 500, 500};

/* cmmi10 (math italic) widths of a..z and A..Z, in 1/1000 em */
static const short cmmi_lower[26] = {529, 429, 433, 520, 466, 490, 477, 576, 345,
                                     412, 521, 298, 878, 600, 485, 503, 446, 451,
                                     469, 361, 572, 485, 716, 572, 490, 465};
static const short cmmi_upper[26] = {750, 759, 715, 828, 738, 643, 786, 831, 440,
                                     555, 849, 681, 970, 803, 763, 642, 791, 759,
                                     613, 584, 683, 583, 944, 828, 581, 683};

/* Control sequences a figure's math may not use: they read or write files, run code,
 * define or redefine commands, or build other control sequences' names. */
static const char *const tex_denied[] = {
    "input",      "include",       "InputIfFileExists", "write",     "immediate",
    "openout",    "openin",        "read",              "readline",  "closeout",
    "closein",    "newwrite",      "newread",           "def",       "edef",
    "gdef",       "xdef",          "let",               "futurelet", "catcode",
    "csname",     "endcsname",     "expandafter",       "newcommand", "renewcommand",
    "providecommand", "DeclareRobustCommand", "special", "directlua", "latelua",
    "usepackage", "RequirePackage", "documentclass",     "begin",     "end",
    "makeatletter", "scantokens",  "everypar",          "everymath", "output",
    "shipout",    "jobname",       "uppercase",         "lowercase", "message",
    "errmessage", "typeout",       "afterassignment",   "aftergroup", "loop",
    "pdfprimitive", "primitive",   "string",            "meaning",   "detokenize",
    "unexpanded", "noexpand",      "lccode",            "uccode",    "mathcode",
    "delcode",    "sfcode",        "globaldefs",        "endinput",  "dump",
    "batchmode",  "nonstopmode",   "scrollmode",        "errorstopmode",
    "pdfobj",     "pdfliteral",    "pdffiledump",       "pdfshellescape", "ShellEscape",
    NULL};

static int denied(const char *name, size_t n)
{
    for (const char *const *d = tex_denied; *d; d++)
        if (strlen(*d) == n && !strncmp(*d, name, n))
            return 1;
    return 0;
}

size_t plot_tex_math_span(const char *s)
{
    if (s[0] != '$')
        return 0;
    int depth = 0;
    for (size_t i = 1; s[i]; i++) {
        char ch = s[i];
        if (ch == '$')
            return i > 1 && depth == 0 ? i + 1 : 0;
        if (ch == '^' && s[i + 1] == '^')
            return 0;
        if (ch == '{')
            depth++;
        if (ch == '}' && --depth < 0)
            return 0;
        if (ch != '\\')
            continue;
        size_t n = 0;
        while (isalpha((unsigned char)s[i + 1 + n]))
            n++;
        if (n == 0) { /* \, \{ \| \$ ...: one character, never a delimiter */
            if (!s[i + 1])
                return 0;
            i++;
            continue;
        }
        if (denied(s + i + 1, n))
            return 0;
        i += n;
    }
    return 0; /* no closing dollar */
}

/* ---- widths ---------------------------------------------------------------------------- */

/* Width of a character in text mode, in em (ASCII by cmr10; other characters about 0.6). */
static double text_char_em(unsigned char ch)
{
    return ch >= 32 && ch < 127 ? cmr_w[ch - 32] / 1000.0 : 0.6;
}

/* A control word in math: a symbol's width with its spacing, in em. */
static double math_cs_em(const char *name, size_t n)
{
    static const struct {
        const char *name;
        double w;
    } known[] = {{"nabla", 0.833}, {"partial", 0.556}, {"infty", 1.0}, {"varepsilon", 0.406},
                 {"epsilon", 0.406}, {"cdot", 0.278 + 0.444}, {"times", 0.778 + 0.444},
                 {"pm", 0.778 + 0.444}, {"le", 0.778 + 0.556}, {"leq", 0.778 + 0.556},
                 {"ge", 0.778 + 0.556}, {"geq", 0.778 + 0.556}, {"approx", 0.778 + 0.556},
                 {"sim", 0.778 + 0.556}, {"to", 1.0 + 0.556}, {"rightarrow", 1.0 + 0.556},
                 {"min", 1.667}, {"max", 1.5}, {"log", 1.278}, {"exp", 1.528},
                 {"sqrt", 0.833}, {"quad", 1.0}, {"qquad", 2.0}, {"sum", 1.056},
                 {"prod", 0.944}, {"lambda", 0.583}, {"eta", 0.497}, {"theta", 0.469},
                 {"alpha", 0.640}, {"beta", 0.566}, {"gamma", 0.518}, {"mu", 0.603},
                 {"sigma", 0.572}, {"kappa", 0.576}, {"Delta", 0.833}, {"nu", 0.498}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].name) == n && !strncmp(known[i].name, name, n))
            return known[i].w;
    return 0.6; /* other Greek letters and symbols */
}

/* Width of math (the text between the dollars, n bytes), in em. */
static double math_em(const char *s, size_t n)
{
    double w = 0;
    int depth = 0, script = -1; /* the brace depth a sub- or superscript group opened at */
    double scale = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        double cw;
        if (ch == '^' || ch == '_') {
            scale = 0.7;
            if (i + 1 < n && s[i + 1] == '{')
                script = depth;
            else
                script = -2; /* one token */
            continue;
        }
        if (ch == '{') {
            depth++;
            continue;
        }
        if (ch == '}') {
            depth--;
            if (depth == script)
                scale = 1, script = -1;
            continue;
        }
        if (ch == ' ')
            continue;
        if (ch == '\\') {
            size_t k = 0;
            while (i + 1 + k < n && isalpha((unsigned char)s[i + 1 + k]))
                k++;
            cw = k ? math_cs_em(s + i + 1, k) : i + 1 < n && s[i + 1] == '|' ? 0.5 : 0.3;
            i += k ? k : 1;
        } else if (isalpha(ch)) {
            cw = (islower(ch) ? cmmi_lower[ch - 'a'] : cmmi_upper[ch - 'A']) / 1000.0;
        } else if (ch == '+' || ch == '-' || ch == '*') {
            cw = (ch == '*' ? 0.5 : 0.778) + 0.444; /* a binary operator */
        } else if (ch == '=' || ch == '<' || ch == '>') {
            cw = 0.778 + 0.556; /* a relation */
        } else if (ch == ',' || ch == ';') {
            cw = 0.278 + 0.167;
        } else if (ch == '\'') {
            cw = 0.275;
        } else {
            cw = text_char_em(ch);
        }
        w += scale * cw;
        if (script == -2)
            scale = 1, script = -1;
    }
    return w;
}

double plot_tex_em(const char *s)
{
    double w = 0;
    for (size_t i = 0; s[i];) {
        size_t m = s[i] == '$' ? plot_tex_math_span(s + i) : 0;
        if (m) {
            w += math_em(s + i + 1, m - 2);
            i += m;
            continue;
        }
        if (s[i] == '\\' && s[i + 1] == '$') { /* \$: a dollar */
            w += 0.5;
            i += 2;
            continue;
        }
        const unsigned char *p = (const unsigned char *)s + i;
        int n = plot_utf8_len(p);
        w += n == 1 ? text_char_em(*p) : 0.6;
        i += n > 0 ? (size_t)n : 1;
    }
    return w;
}

double plot_tex_scale(int size)
{
    /* Computer Modern's optical sizes: smaller sizes are drawn wider for their size. A
     * caption's worth of text (letters, digits, spaces) in cmr5 .. cmr12, over cmr10, from
     * the TFM widths; sizes between take the next smaller font's. */
    static const double f[8] = {1.375, 1.229, 1.143, 1.062, 1.028, 1.0, 1.0, 0.979};
    return size <= 5 ? f[0] : size >= 12 ? f[7] : f[size - 5];
}

void plot_tex_header(const plot_ctx *c, char *buf, size_t len)
{
    int s = plot_font_size(c);
    plot_spf(buf, len, "\\fontsize{%d}{%.3g}\\selectfont", s, 1.2 * s);
}
