/* runs.c — runs in words and colours, the same in every figure (runs.h) */
#include "runs.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "optim.h"
#include "schedule.h"

/* ---- coordinates by name ------------------------------------------------------------------ */

void plot_coord_name(const lsc_landscape *L, int j, char *buf, size_t len)
{
    const lsc_model *M = L ? lsc_landscape_model(L) : NULL;
    if (!M) {
        if (L && L->n == 2 && (j == 0 || j == 1))
            plot_spf(buf, len, "%s", j ? "y" : "x");
        else
            plot_spf(buf, len, "x%d", j + 1);
        return;
    }
    /* layer l (1-based): W_l (size[l] x size[l-1], row-major) at woff[l-1], b_l at boff[l-1] */
    const int simple = M->nlayers == 1 && M->size[1] == 1;
    for (int l = 1; l <= M->nlayers; l++) {
        const size_t w0 = M->woff[l - 1], b0 = M->boff[l - 1], in = (size_t)M->size[l - 1];
        const size_t jj = (size_t)j;
        if (jj >= w0 && jj < b0) {
            const size_t k = jj - w0;
            if (simple && in == 1)
                plot_spf(buf, len, "w");
            else if (simple)
                plot_spf(buf, len, "w%zu", k + 1);
            else
                plot_spf(buf, len, "W%d[%zu,%zu]", l, k / in + 1, k % in + 1);
            return;
        }
        if (jj >= b0 && jj < b0 + (size_t)M->size[l]) {
            if (simple)
                plot_spf(buf, len, "b");
            else
                plot_spf(buf, len, "b%d[%zu]", l, jj - b0 + 1);
            return;
        }
    }
    plot_spf(buf, len, "x%d", j + 1);
}

/* ---- short names for titles and legends ------------------------------------------------- */

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

/* A landscape's name as a title shows it. The landscape descriptor has no display name,
 * so: the proper names and names a capital and spaces do not render (those `losscape info`
 * spells in its summary: "Levy N.13", "Styblinski-Tang"), else the registry name with its
 * first letter capitalised and hyphens as spaces ("double-well" -> "Double well"). */
static void display_name(const char *name, char *buf, size_t len)
{
    static const char *const names[][2] = {
        {"goldstein-price", "Goldstein-Price"}, {"levy13", "Levy N.13"},
        {"six-hump-camel", "Six-hump camel"},   {"styblinski-tang", "Styblinski-Tang"},
        {"three-hump-camel", "Three-hump camel"}, {"deep-linear", "Deep linear network"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i][0])) {
            plot_spf(buf, len, "%s", names[i][1]);
            return;
        }
    plot_spf(buf, len, "%s", name);
    for (char *p = buf; *p; p++)
        if (*p == '-')
            *p = ' ';
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}

void plot_short_landscape(const lsc_landscape *L, const char *spec, char *buf, size_t len)
{
    char dn[LSC_VALUE_MAX];
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
        if (T && (!spec || !strcmp(spec, T->name))) {
            display_name(T->name, dn, sizeof dn);
            plot_spf(buf, len, "%s%s", dn, dim);
        } else {
            plot_spf(buf, len, "%s", spec ? spec : (T ? T->name : "?"));
        }
        return;
    }
    if (!T)
        T = lsc_landscape_type_find(sp.name);
    if (T)
        nondefault(&sp, T->params, T->nparams, nd, sizeof nd);
    display_name(T ? T->name : sp.name, dn, sizeof dn);
    plot_spf(buf, len, "%s%s%s%s", dn, nd[0] ? " " : "", nd, dim);
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

/* Runs merged from several files (lsc_trajectory_merge): does a run of another file have
 * run r's label? Then the legend names r's file too. */
static int label_collides(const lsc_trajectory *t, int r)
{
    const lsc_run_record *R = &t->runs[r];
    if (!R->source[0])
        return 0;
    for (int q = 0; q < t->nruns; q++)
        if (strcmp(t->runs[q].source, R->source) && !strcmp(t->runs[q].label, R->label))
            return 1;
    return 0;
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
    if (label_collides(t, r))
        plot_spf(buf, len, "%s%s (%s)", base, own, R->source);
    else
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

/* The style's eight colours (plots/style.gp, line types 1-8: Okabe-Ito) and how far
 * apart two of them look: the "redmean" weighted RGB distance (a cheap approximation of
 * perceived difference). Vermillion and orange (133) and blue and bluish green (140) are
 * the pairs under CLOSE_COLOURS; every other pair is over 160. */
static const int style_rgb[9][3] = {
    {0, 0, 0},       {0xD5, 0x5E, 0x00}, {0x56, 0xB4, 0xE9}, {0x00, 0x00, 0x00},
    {0xCC, 0x79, 0xA7}, {0xE6, 0x9F, 0x00}, {0x00, 0x72, 0xB2}, {0x00, 0x9E, 0x73},
    {0xF0, 0xE4, 0x42},
};
#define CLOSE_COLOURS 160.0

static double colour_distance(int a, int b)
{
    const int *x = style_rgb[a], *y = style_rgb[b];
    double rm = (x[0] + y[0]) / 2.0, dr = x[0] - y[0], dg = x[1] - y[1], db = x[2] - y[2];
    return sqrt((2 + rm / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rm) / 256) * db * db);
}

/* The distance from colour k to the nearest colour in use (INFINITY: none). */
static double nearest_used(const int used[9], int k)
{
    double d = INFINITY;
    for (int j = 1; j <= 8; j++)
        if (used[j])
            d = fmin(d, colour_distance(j, k));
    return d;
}

void plot_group_colours(const lsc_trajectory *t, const int *first, int ngroups, int *lt)
{
    int used[9] = {0};
    /* pass 1: the first group of each type takes the type's colour, if still free and not
     * hard to tell from a colour an earlier group took (gd's vermillion and rmsprop's
     * orange where their paths cross) */
    for (int g = 0; g < ngroups; g++) {
        lt[g] = 0;
        lsc_spec sp;
        if (lsc_spec_parse(t->runs[first[g]].optimizer, "optimizer", &sp, NULL) != LSC_OK)
            continue;
        for (size_t k = 0; k < sizeof type_colour / sizeof type_colour[0]; k++)
            if (!strcmp(sp.name, type_colour[k].type)) {
                int c = type_colour[k].lt;
                if (!used[c] && nearest_used(used, c) >= CLOSE_COLOURS) {
                    lt[g] = c;
                    used[c] = 1;
                }
                break;
            }
    }
    /* pass 2: the others take the free colour farthest from every colour in use (yellow,
     * faint on white and on the light end of the colour map, only when it is the last);
     * all 8 taken: cycle */
    for (int g = 0; g < ngroups; g++) {
        if (lt[g])
            continue;
        double best = -1;
        for (int k = 1; k <= 7; k++)
            if (!used[k] && nearest_used(used, k) > best) {
                best = nearest_used(used, k);
                lt[g] = k;
            }
        if (!lt[g] && !used[8])
            lt[g] = 8;
        if (lt[g])
            used[lt[g]] = 1;
        else
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
