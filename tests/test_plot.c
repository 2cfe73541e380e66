/* test_plot.c — figures: options, generated scripts (golden files), the data written
 * next to them (checked against independent formulas), escaping of user text, rendering
 * through a real gnuplot (image sizes, pixel content), failure paths.
 *
 * Golden scripts live in tests/golden/plot_*.gp. Regenerate them, and src/plot/style.c
 * from plots/style.gp, with
 *     LSC_UPDATE_GOLDEN=1 ./build/tests/test_plot
 * Rendering tests are skipped when gnuplot is not installed.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "plot.h"
#include "plot/gif.h"  /* joining animations drawn in parts (private) */
#include "plot/kind.h" /* the registry (private) */
#include "plot/runs.h" /* plot_coord_name (private) */

extern char **environ;

/* ---- helpers -------------------------------------------------------------------------- */

static char tdir[256];

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void setup_dir(void)
{
    snprintf(tdir, sizeof tdir, "/tmp/lsc-test-plot.XXXXXX");
    cr_assert_not_null(mkdtemp(tdir));
}

static void teardown_dir(void)
{
    const char *keep = getenv("LSC_KEEP_TEST_FILES"); /* for looking at the figures */
    if (!(keep && keep[0] == '1'))
        rm_tree(tdir);
}

static const char *P(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tdir, name);
    return buf[k];
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    fclose(f);
    b[got] = '\0';
    if (len)
        *len = got;
    return b;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A basins figure as the CLI makes one: computed (basins.h), then drawn. */
static int basins_figure(const lsc_landscape *L, const char *const *specs, int nopt,
                         const lsc_run_opts *ro, const lsc_plot_opts *o, lsc_error *e)
{
    lsc_basins b;
    int rc = lsc_basins_compute(&b, L, specs, nopt, ro, o->xlim, o->ylim, o->basin_n,
                                o->basin_tol, e);
    if (rc == LSC_OK)
        rc = lsc_plot_render_basins(&b, L, o, e);
    lsc_basins_free(&b);
    return rc;
}

/* Entries of tdir whose names start with '.' (temporaries left behind). */
static int leftovers(void)
{
    DIR *d = opendir(tdir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

/* Every entry of tdir: name, inode, size, mtime (ns), mode. */
typedef struct {
    int n;
    char name[64][256];
    struct stat st[64];
} listing;

static void list_dir(listing *l)
{
    memset(l, 0, sizeof *l);
    DIR *d = opendir(tdir);
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) && l->n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(l->name[l->n], sizeof l->name[0], "%s", e->d_name);
        cr_assert_eq(lstat(P(e->d_name), &l->st[l->n]), 0);
        l->n++;
    }
    closedir(d);
}

static void same_listing(const listing *a, const listing *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %d entries before, %d after", what, a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        int k = -1;
        for (int j = 0; j < b->n; j++)
            if (!strcmp(a->name[i], b->name[j]))
                k = j;
        cr_assert_geq(k, 0, "%s: %s is gone", what, a->name[i]);
        const struct stat *x = &a->st[i], *y = &b->st[k];
        cr_assert(x->st_ino == y->st_ino && x->st_size == y->st_size &&
                      x->st_mode == y->st_mode && x->st_mtim.tv_sec == y->st_mtim.tv_sec &&
                      x->st_mtim.tv_nsec == y->st_mtim.tv_nsec,
                  "%s: %s was replaced or changed", what, a->name[i]);
    }
}

/* Run argv, output to /dev/null; exit status or -1. */
static int run(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have_gnuplot(void)
{
    static int cached = -1;
    if (cached < 0) {
        char *argv[] = {"gnuplot", "-e", "exit", NULL};
        cached = run(argv) == 0;
    }
    return cached;
}

#define NEED_GNUPLOT()                                                                    \
    do {                                                                                  \
        if (!have_gnuplot())                                                              \
            cr_skip_test("gnuplot is not installed");                                     \
    } while (0)

/* Himmelblau, written out here as the independent reference:
 * f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2 */
static double himmel(double x, double y)
{
    double a = x * x + y - 11, b = x + y * y - 7;
    return a * a + b * b;
}

static void himmel_grad(double x, double y, double *gx, double *gy)
{
    double a = x * x + y - 11, b = x + y * y - 7;
    *gx = 4 * x * a + 2 * b;
    *gy = 2 * a + 4 * y * b;
}

/* A hand-made 2-D trajectory on himmelblau: run 0 an arc from (-1, 0.5) to the minimum
 * (3, 2), run 1 (label given) to (-2.805, 3.131), run 2 diverged (its last rows run away). */
static void make_traj(lsc_trajectory *t, size_t rows)
{
    lsc_trajectory_init(t, 2, 2, 0);
    snprintf(t->landscape, sizeof t->landscape, "himmelblau");
    snprintf(t->schedule, sizeof t->schedule, "constant");
    t->steps = (long)rows - 1;
    t->seed = 7;
    const double ends[3][2] = {{3, 2}, {-2.805118086952745, 3.131312518250573}, {40, -60}};
    const char *opt[3] = {"adam:lr=0.05", "sgd:lr=0.01,momentum=0.9", "sgd:lr=0.5"};
    const char *label[3] = {"adam", "heavy ball", "sgd"};
    for (int r = 0; r < 3; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(t);
        cr_assert_not_null(R);
        snprintf(R->optimizer, sizeof R->optimizer, "%s", opt[r]);
        snprintf(R->label, sizeof R->label, "%s", label[r]);
        R->start[0] = -1;
        R->start[1] = 0.5;
        cr_assert_eq(lsc_run_record_reserve(t, R, rows), LSC_OK);
        size_t m = r == 2 ? rows / 3 : rows;
        for (size_t k = 0; k < m; k++) {
            double s = (double)k / (double)(rows - 1);
            /* run 1 is slower, run 2 accelerates away */
            double w = r == 2 ? s * s * s * 40 : r == 1 ? s * s : s;
            double x[2] = {-1 + w * (ends[r][0] + 1) + 0.3 * sin(3.14159 * s),
                           0.5 + w * (ends[r][1] - 0.5)};
            lsc_run_record_push(t, R, &(lsc_row){.step = (long)k, .lr = 0.01,
                                                 .loss = himmel(x[0], x[1]),
                                                 .grad_norm = 1.0 / (1 + (double)k), .dist = NAN,
                                                 .x = x});
        }
        R->status = r == 2 ? LSC_STOP_DIVERGED : LSC_STOP_MAX_STEPS;
        snprintf(R->reason, sizeof R->reason, "%s", r == 2 ? "x is not finite" : "budget");
    }
}

static lsc_plot_opts opts(const char *kind, const char *out)
{
    lsc_plot_opts o;
    lsc_error e = {0};
    lsc_plot_opts_default(&o);
    cr_assert_eq(lsc_plot_opts_set(&o, "kind", kind, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_opts_set(&o, "out", out, &e), LSC_OK, "%s", e.msg);
    return o;
}

static void set(lsc_plot_opts *o, const char *k, const char *v)
{
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_opts_set(o, k, v, &e), LSC_OK, "%s=%s: %s", k, v, e.msg);
}

/* ---- PNG and GIF headers; pixels through gnuplot ------------------------------------------ */

static int png_size(const char *path, int *w, int *h)
{
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(b, 1, 24, f);
    fclose(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    if (n < 24 || memcmp(b, sig, 8) || memcmp(b + 12, "IHDR", 4))
        return -1;
    *w = (int)((uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19]);
    *h = (int)((uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23]);
    return 0;
}

/* GIF: logical screen size and the number of image descriptors (frames), walking the
 * block structure (GIF89a spec). */
static int gif_info(const char *path, int *w, int *h, int *frames)
{
    size_t n;
    unsigned char *b = (unsigned char *)slurp(path, &n);
    if (!b || n < 13 || memcmp(b, "GIF89a", 6)) {
        free(b);
        return -1;
    }
    *w = b[6] | b[7] << 8;
    *h = b[8] | b[9] << 8;
    size_t p = 13;
    if (b[10] & 0x80)
        p += 3u << ((b[10] & 7) + 1);
    *frames = 0;
    while (p < n) {
        if (b[p] == 0x3b)
            break;
        if (b[p] == 0x21) { /* extension: label, then sub-blocks */
            p += 2;
            while (p < n && b[p])
                p += b[p] + 1u;
            p++;
        } else if (b[p] == 0x2c) { /* image descriptor, local table, LZW data */
            if (p + 10 > n)
                break;
            unsigned flags = b[p + 9];
            p += 10;
            if (flags & 0x80)
                p += 3u << ((flags & 7) + 1);
            p++; /* LZW minimum code size */
            while (p < n && b[p])
                p += b[p] + 1u;
            p++;
            (*frames)++;
        } else {
            free(b);
            return -1;
        }
    }
    free(b);
    return 0;
}

typedef struct {
    long total, white, distinct;
    long near[8]; /* pixels near each of the probe colours */
} pixstats;

/* Decode a PNG with gnuplot itself (binary filetype=png into a table), then count. */
static int png_pixels(const char *png, const int probe[][3], int nprobe, pixstats *ps)
{
    char table[600], cmd[1400];
    snprintf(table, sizeof table, "%s.pixels.txt", png);
    snprintf(cmd, sizeof cmd, "set table '%s'; plot '%s' binary filetype=png with rgbimage; "
             "unset table", table, png);
    char *argv[] = {"gnuplot", "-e", cmd, NULL};
    if (run(argv) != 0)
        return -1;
    FILE *f = fopen(table, "r");
    if (!f)
        return -1;
    memset(ps, 0, sizeof *ps);
    static unsigned char seen[1 << 21]; /* 2^24 colours, one bit each */
    memset(seen, 0, sizeof seen);
    char line[256];
    while (fgets(line, sizeof line, f)) {
        int x, y, r, g, b, a;
        if (line[0] == '#' || sscanf(line, "%d %d %d %d %d %d", &x, &y, &r, &g, &b, &a) != 6)
            continue;
        ps->total++;
        if (r > 245 && g > 245 && b > 245)
            ps->white++;
        unsigned c = (unsigned)(r << 16 | g << 8 | b);
        if (!(seen[c >> 3] & (1u << (c & 7)))) {
            seen[c >> 3] |= (unsigned char)(1u << (c & 7));
            ps->distinct++;
        }
        for (int k = 0; k < nprobe; k++)
            if (abs(r - probe[k][0]) <= 8 && abs(g - probe[k][1]) <= 8 &&
                abs(b - probe[k][2]) <= 8)
                ps->near[k]++;
    }
    fclose(f);
    unlink(table);
    return 0;
}

/* Run colours (plots/style.gp): a run takes its optimizer type's colour (gd and sgd:
 * vermillion, adam: black, ...); a second run of a type already drawn takes the first
 * colour no run uses (sky blue, when vermillion and black are taken). */
static const int VERMILLION[3] = {0xD5, 0x5E, 0x00}, SKY_BLUE[3] = {0x56, 0xB4, 0xE9};

/* ---- golden scripts -------------------------------------------------------------------- */

/* Machine-independent form: the version, and every number at 6 significant digits (last
 * digits of libm results may differ between machines). */
static char *normalise(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(2 * n + 64);
    size_t w = 0;
    const char *p = s;
    while (*p) {
        if (!strncmp(p, "losscape ", 9) && p[9] >= '0' && p[9] <= '9') {
            w += (size_t)sprintf(out + w, "losscape VERSION");
            p += 9;
            while (*p && (isdigit((unsigned char)*p) || *p == '.'))
                p++;
            continue;
        }
        int prev_ident = p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        if (!prev_ident && (isdigit((unsigned char)*p) ||
                            (*p == '.' && isdigit((unsigned char)p[1])))) {
            char *end;
            double v = strtod(p, &end);
            if (end > p && strchr(p, '.') && strchr(p, '.') < end) {
                w += (size_t)sprintf(out + w, "%.6g", v);
                p = end;
                continue;
            }
            if (end > p && (strpbrk(p, "eE") && strpbrk(p, "eE") < end)) {
                w += (size_t)sprintf(out + w, "%.6g", v);
                p = end;
                continue;
            }
        }
        out[w++] = *p++;
    }
    out[w] = '\0';
    return out;
}

static int updating(void)
{
    const char *u = getenv("LSC_UPDATE_GOLDEN");
    return u && u[0] == '1';
}

static void golden(const char *name, const char *gp_path)
{
    char gpath[1024];
    snprintf(gpath, sizeof gpath, "%s/tests/golden/%s", LSC_SOURCE_ROOT, name);
    char *got = slurp(gp_path, NULL);
    cr_assert_not_null(got, "no script at %s", gp_path);
    if (updating()) {
        FILE *f = fopen(gpath, "w");
        cr_assert_not_null(f, "cannot write %s", gpath);
        fputs(got, f);
        fclose(f);
        free(got);
        return;
    }
    char *want = slurp(gpath, NULL);
    cr_assert_not_null(want, "missing golden file %s (LSC_UPDATE_GOLDEN=1 writes it)", gpath);
    char *a = normalise(got), *b = normalise(want);
    if (strcmp(a, b)) {
        /* first differing line, for the message */
        const char *x = a, *y = b;
        int line = 1;
        while (*x && *x == *y) {
            if (*x == '\n')
                line++;
            x++, y++;
        }
        char lx[160] = "", ly[160] = "";
        while (x > a && x[-1] != '\n')
            x--, y--;
        sscanf(x, "%159[^\n]", lx);
        sscanf(y, "%159[^\n]", ly);
        cr_assert_fail("%s differs from %s at line %d:\n got: %s\nwant: %s\n"
                       "(LSC_UPDATE_GOLDEN=1 rewrites the golden files)", gp_path, gpath, line,
                       lx, ly);
    }
    free(a), free(b), free(got), free(want);
}

/* ---- options ------------------------------------------------------------------------------- */

Test(opts, defaults)
{
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    cr_assert_eq(o.kind, LSC_PLOT_CONTOUR);
    cr_assert(isnan(o.xlim[0]) && isnan(o.ylim[1]));
    cr_assert_str_eq(o.curves, "loss");
    cr_assert_eq(o.log_color, -1);
    cr_assert_eq(o.frames, 50);
    cr_assert_eq(o.frame_spacing, 0);
    cr_assert_eq(o.smooth, 0);
    cr_assert_eq(o.no_render, 0);
}

Test(opts, kinds_round_trip)
{
    for (int k = 0; k < LSC_PLOT_NKINDS; k++) {
        lsc_plot_kind got;
        cr_assert_eq(lsc_plot_kind_from_name(lsc_plot_kind_name((lsc_plot_kind)k), &got, NULL),
                     LSC_OK);
        cr_assert_eq((int)got, k);
    }
    lsc_error e = {0};
    lsc_plot_kind got;
    cr_assert_eq(lsc_plot_kind_from_name("contuor", &got, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "did you mean 'contour'"), "%s", e.msg);
}

Test(opts, values_parsed)
{
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    set(&o, "size", "640x480");
    cr_assert_eq(o.width, 640);
    cr_assert_eq(o.height, 480);
    set(&o, "xlim", "-2.5:3");
    cr_assert_eq(o.xlim[0], -2.5);
    cr_assert_eq(o.xlim[1], 3.0);
    set(&o, "view", "45,120");
    cr_assert_eq(o.view_x, 45.0);
    cr_assert_eq(o.view_z, 120.0);
    set(&o, "quiver", "true");
    cr_assert_eq(o.quiver, 1);
    set(&o, "log", "false");
    cr_assert_eq(o.log_color, 0);
    set(&o, "log", "auto");
    cr_assert_eq(o.log_color, -1);
    set(&o, "seed", "18446744073709551615");
    cr_assert_eq(o.seed, 18446744073709551615ull);
    set(&o, "title", "");
    cr_assert_eq(o.no_title, 1);
    set(&o, "title", "x");
    cr_assert_eq(o.no_title, 0);
    set(&o, "grid", "1e2");
    cr_assert_eq(o.grid, 100);
    set(&o, "smooth", "25");
    cr_assert_eq(o.smooth, 25);
    set(&o, "frame_spacing", "log");
    cr_assert_eq(o.frame_spacing, 2);
    set(&o, "frame_spacing", "linear");
    cr_assert_eq(o.frame_spacing, 1);
    cr_assert_eq(o.step, -1, "step: the run's last row by default");
    set(&o, "step", "2e3");
    cr_assert_eq(o.step, 2000);
    set(&o, "run", "3");
    cr_assert_eq(o.run, 3);
    cr_assert_eq(o.xaxis, LSC_XAXIS_STEP, "the default x axis");
    set(&o, "xaxis", "examples");
    cr_assert_eq(o.xaxis, LSC_XAXIS_EXAMPLES);
    set(&o, "xaxis", "time");
    cr_assert_eq(o.xaxis, LSC_XAXIS_TIME);
    /* every documented key is accepted by the setter */
    for (int i = 0; i < lsc_plot_nkeys; i++) {
        lsc_error e = {0};
        int rc = lsc_plot_opts_set(&o, lsc_plot_keys[i].key, "1", &e);
        cr_assert(rc == LSC_OK || !strstr(e.msg, "unknown plot option"), "%s: %s",
                  lsc_plot_keys[i].key, e.msg);
    }
}

/* char arrays, not pointers: Criterion's workers may not share the parent's addresses */
typedef struct {
    char key[16], value[32], expect[40]; /* expect: a piece of the message */
} bad_opt;

ParameterizedTestParameters(opts, bad_values)
{
    static bad_opt cases[] = {
        {"size", "800", "WxH"},        {"size", "0x10", "WxH"},
        {"xlim", "2:1", "LO < HI"},    {"ylim", "a:b", "LO:HI"},
        {"view", "200,30", "0-180"},   {"grid", "3", "8 to 4000"},
        {"grid", "-1", "0 to 4000"},   {"contours", "61", "0 to 60"},
        {"frames", "1", "2 to 2000"},  {"delay", "0", "1 to 1000"},
        {"quiver", "maybe", "boolean"}, {"log", "sometimes", "auto"},
        {"seed", "-3", "seed"},        {"basin_tol", "-1", ">= 0"},
        {"max_points", "1", "at least 2"}, {"kind", "heatmap", "allowed"},
        {"colour", "red", "unknown plot option"}, {"titel", "x", "did you mean 'title'"},
        {"frame_spacing", "cubic", "auto, linear, log"}, {"smooth", "-1", "0 to"},
        {"xaxis", "steps", "step, epoch, examples, time"},
        {"ylim", "loss=2:1", "PANEL=LO:HI"}, {"ylim", "lo ss=1:2", "PANEL=LO:HI"},
        {"ylim", "loss=1:2,", "PANEL=LO:HI"}, {"ylim", "=1:2", "PANEL=LO:HI"},
        {"step", "-1", "0 to 1e15"},   {"step", "2.5", "not a step"},
        {"step", "1e16", "0 to 1e15"}, {"run", "-1", "0 to 1000000"},
    };
    return cr_make_param_array(bad_opt, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_opt *c, opts, bad_values)
{
    lsc_plot_opts o;
    lsc_error e = {0};
    lsc_plot_opts_default(&o);
    cr_assert_eq(lsc_plot_opts_set(&o, c->key, c->value, &e), LSC_EINVAL, "%s=%s", c->key,
                 c->value);
    cr_assert(strstr(e.msg, c->expect), "%s=%s: '%s' lacks '%s'", c->key, c->value, e.msg,
              c->expect);
}

/* The option table: each option writes its own member of lsc_plot_opts and nothing else
 * (a row with the wrong member or flag would set another option). */
typedef struct {
    const char *key, *value;
    size_t off, len; /* the member(s) it may change */
} opt_effect;

#define EFFECT(k, v, m) {k, v, offsetof(lsc_plot_opts, m), sizeof(((lsc_plot_opts *)0)->m)}
#define EFFECT2(k, v, m, m2) /* two adjacent members */                                   \
    {k, v, offsetof(lsc_plot_opts, m),                                                    \
     offsetof(lsc_plot_opts, m2) + sizeof(((lsc_plot_opts *)0)->m2) - offsetof(lsc_plot_opts, m)}

Test(opts, each_key_sets_its_member)
{
    static const opt_effect eff[] = {
        EFFECT("kind", "slice", kind),          EFFECT("out", "a/b.svg", out),
        EFFECT("base", "a/b", base),            EFFECT2("size", "640x480", width, height),
        EFFECT("font", "Serif,9", font),        EFFECT("dumb", "true", dumb),
        EFFECT("gnuplot", "/bin/gp", gnuplot),  EFFECT("style", "s.gp", style),
        EFFECT2("title", "T", title, no_title), EFFECT2("caption", "", caption, no_caption),
        EFFECT("xlabel", "X", xlabel),          EFFECT("ylabel", "Y", ylabel),
        EFFECT("quiver", "1", quiver),          EFFECT("quiver_n", "7", quiver_n),
        EFFECT2("view", "10,20", view_x, view_z), EFFECT("grid", "64", grid),
        EFFECT("contours", "5", contours),      EFFECT("log", "true", log_color),
        EFFECT("xlim", "-1:2", xlim),           EFFECT("ylim", "-3:4", ylim),
        EFFECT("curves", "lr", curves),         EFFECT("logx", "true", logx),
        EFFECT("xaxis", "epoch", xaxis),        EFFECT("smooth", "9", smooth),
        EFFECT("frames", "33", frames),         EFFECT("frame_spacing", "log", frame_spacing),
        EFFECT("delay", "12", delay),           EFFECT("slice", "random", slice),
        EFFECT("center", "origin", center),     EFFECT("seed", "77", seed),
        EFFECT("max_points", "99", max_points), EFFECT("basin_n", "11", basin_n),
        EFFECT("basin_tol", "0.5", basin_tol),  EFFECT("run", "2", run),
        EFFECT("step", "1e3", step),            EFFECT("quantity", "sat", layer_q),
        EFFECT("no_render", "true", no_render),
        EFFECT("width", "321", width),          EFFECT("height", "123", height),
    };
    const int ne = (int)(sizeof eff / sizeof eff[0]);
    /* every row of the table is here, and the table ends after width and height */
    int rows = 0;
    while (lsc_plot_keys[rows].key)
        rows++;
    cr_assert_eq(rows, ne, "%d rows, %d tested", rows, ne);
    cr_assert_eq(lsc_plot_nkeys, rows - 2, "width and height are not listed");
    cr_assert_str_eq(lsc_plot_keys[lsc_plot_nkeys].key, "width");
    for (int i = 0; i < ne; i++) {
        cr_assert_str_eq(lsc_plot_keys[i].key, eff[i].key, "row %d", i);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(lsc_plot_keys[i].key, lsc_plot_keys[j].key);
        lsc_plot_opts a, b;
        memset(&a, 0, sizeof a);
        lsc_plot_opts_default(&a);
        b = a;
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_opts_set(&b, eff[i].key, eff[i].value, &e), LSC_OK, "%s: %s",
                     eff[i].key, e.msg);
        const unsigned char *pa = (const unsigned char *)&a, *pb = (const unsigned char *)&b;
        int changed = 0;
        cr_assert(b.user_set >> i & 1, "%s: not marked as set", eff[i].key);
        b.user_set = a.user_set; /* the record of what was set, checked above */
        for (size_t q = 0; q < sizeof a; q++) {
            int inside = q >= eff[i].off && q < eff[i].off + eff[i].len;
            if (pa[q] != pb[q]) {
                cr_assert(inside, "%s=%s changed byte %zu, outside its member", eff[i].key,
                          eff[i].value, q);
                changed = 1;
            }
        }
        cr_assert(changed, "%s=%s changed nothing", eff[i].key, eff[i].value);
    }
}

Test(opts, long_strings_refused)
{
    lsc_plot_opts o;
    lsc_error e = {0};
    lsc_plot_opts_default(&o);
    char big[3000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_assert_eq(lsc_plot_opts_set(&o, "title", big, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "too long"), "%s", e.msg);
}

Test(opts, script_path)
{
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    char buf[256];
    set(&o, "out", "figs/a.b/fig.png");
    cr_assert_eq(lsc_plot_script_path(&o, buf, sizeof buf), LSC_OK);
    cr_assert_str_eq(buf, "figs/a.b/fig.png.gp"); /* named after the whole image name */
    set(&o, "out", "fig.tex");
    lsc_plot_script_path(&o, buf, sizeof buf);
    cr_assert_str_eq(buf, "fig.tex.gp");
    set(&o, "out", "fig");
    lsc_plot_script_path(&o, buf, sizeof buf);
    cr_assert_str_eq(buf, "fig.gp");
}

/* ---- style: one source ----------------------------------------------------------------------- */

Test(style, equals_plots_style_gp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/plots/style.gp", LSC_SOURCE_ROOT);
    char *file = slurp(path, NULL);
    cr_assert_not_null(file);
    if (updating() && strcmp(file, lsc_plot_style())) {
        /* regenerate src/plot/style.c from plots/style.gp */
        char cpath[512];
        snprintf(cpath, sizeof cpath, "%s/src/plot/style.c", LSC_SOURCE_ROOT);
        char *old = slurp(cpath, NULL);
        cr_assert_not_null(old);
        char *cut = strstr(old, "const char lsc_plot_style_text[] =");
        cr_assert_not_null(cut);
        FILE *f = fopen(cpath, "w");
        fwrite(old, 1, (size_t)(cut - old), f);
        fputs("const char lsc_plot_style_text[] =", f);
        const char *p = file;
        while (*p) {
            fputs("\n    \"", f);
            for (; *p && *p != '\n'; p++) {
                if (*p == '\\' || *p == '"')
                    fputc('\\', f);
                fputc(*p, f);
            }
            if (*p == '\n') {
                fputs("\\n", f);
                p++;
            }
            fputc('"', f);
        }
        fputs(";\n", f);
        fclose(f);
        free(old);
        free(file);
        cr_skip_test("src/plot/style.c rewritten from plots/style.gp: rebuild");
    }
    cr_assert_str_eq(lsc_plot_style(), file,
                     "plots/style.gp and the built-in style differ: LSC_UPDATE_GOLDEN=1 "
                     "regenerates src/plot/style.c");
    free(file);
}

Test(style, is_valid_gnuplot)
{
    NEED_GNUPLOT();
    char *argv[] = {"gnuplot", "-e", NULL, NULL};
    char cmd[600];
    snprintf(cmd, sizeof cmd, "load '%s/plots/style.gp'; if (PT_START != 6) exit status 1",
             LSC_SOURCE_ROOT);
    argv[2] = cmd;
    cr_assert_eq(run(argv), 0);
}

/* ---- scripts: golden files ------------------------------------------------------------------ */

TestSuite(golden, .init = setup_dir, .fini = teardown_dir);

Test(golden, contour)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("contour", P("fig.png"));
    set(&o, "grid", "61");
    set(&o, "quiver", "true");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_contour.gp", P("fig.png.gp"));
    lsc_trajectory_free(&t);
}

Test(golden, surface)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("surface", P("fig.svg"));
    set(&o, "grid", "30");
    set(&o, "view", "50,40");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_surface.gp", P("fig.svg.gp"));
    lsc_trajectory_free(&t);
}

Test(golden, curves)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("curves", P("fig.pdf"));
    set(&o, "curves", "loss, grad_norm,lr,dist");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_curves.gp", P("fig.pdf.gp"));
    lsc_trajectory_free(&t);
}

Test(golden, animation)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("animation", P("fig.gif"));
    set(&o, "grid", "40");
    set(&o, "frames", "6");
    set(&o, "delay", "20");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_animation.gp", P("fig.gif.gp"));
    lsc_trajectory_free(&t);
}

Test(golden, dumb)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("contour", "");
    set(&o, "dumb", "true");
    set(&o, "base", P("fig"));
    set(&o, "grid", "41");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_dumb.gp", P("fig.gp"));
    cr_assert(!exists(P("fig.grid.f32")), "a text figure needs no colour grid");
    lsc_trajectory_free(&t);
}

/* A 3-D trajectory on the sphere: along u = (1, 2, 2)/3 with a small bend along
 * v = (2, -2, 1)/3, so its principal directions are known: u, then v. */
static void make_traj3(lsc_trajectory *t)
{
    lsc_trajectory_init(t, 3, 3, 0);
    snprintf(t->landscape, sizeof t->landscape, "sphere");
    t->steps = 100;
    const double u[3] = {1 / 3.0, 2 / 3.0, 2 / 3.0}, v[3] = {2 / 3.0, -2 / 3.0, 1 / 3.0};
    for (int r = 0; r < 2; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(t);
        snprintf(R->optimizer, sizeof R->optimizer, r ? "gd:lr=0.1" : "adam:lr=0.1");
        snprintf(R->label, sizeof R->label, r ? "gd" : "adam");
        lsc_run_record_reserve(t, R, 101);
        for (int k = 0; k <= 100; k++) {
            double s = 3 - 3.0 * k / 100, b = (r ? -0.2 : 0.2) * s * (3 - s) / 2.25;
            double x[3];
            for (int j = 0; j < 3; j++)
                x[j] = s * u[j] + b * v[j];
            if (k == 0)
                memcpy(R->start, x, sizeof x);
            lsc_run_record_push(t, R, &(lsc_row){.step = k, .lr = 0.1,
                                                 .loss = x[0] * x[0] + x[1] * x[1] + x[2] * x[2],
                                                 .grad_norm = 1, .dist = NAN, .x = x});
        }
        R->status = LSC_STOP_CONVERGED;
    }
}

Test(golden, slice_pca_directions)
{
    lsc_trajectory t;
    make_traj3(&t);
    lsc_plot_opts o = opts("slice", P("fig.png"));
    set(&o, "grid", "40");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_slice.gp", P("fig.png.gp"));
    /* the plane's directions, from the script's comments, against u and v */
    char *s = slurp(P("fig.png.gp"), NULL);
    double d1[3], d2[3];
    char *p1 = strstr(s, "# d1:"), *p2 = strstr(s, "# d2:");
    cr_assert(p1 && p2);
    cr_assert_eq(sscanf(p1, "# d1: %lf %lf %lf", &d1[0], &d1[1], &d1[2]), 3);
    cr_assert_eq(sscanf(p2, "# d2: %lf %lf %lf", &d2[0], &d2[1], &d2[2]), 3);
    const double u[3] = {1 / 3.0, 2 / 3.0, 2 / 3.0}, v[3] = {2 / 3.0, -2 / 3.0, 1 / 3.0};
    double cu = 0, cv = 0;
    for (int j = 0; j < 3; j++)
        cu += d1[j] * u[j], cv += d2[j] * v[j];
    /* d1 oriented along the motion of run 0 (towards the origin: -u) */
    cr_assert_float_eq(cu, -1.0, 1e-9, "d1.u = %g", cu);
    cr_assert_float_eq(fabs(cv), 1.0, 1e-9, "d2.v = %g", cv);
    cr_assert(strstr(s, "PC1 (9") && strstr(s, "% of the variance)"), "explained variance");
    cr_assert(strstr(s, "do not lie on the surface"));
    free(s);
    lsc_trajectory_free(&t);
}

/* ---- markers above paths (issue 8, item 11) ------------------------------------------- */

/* Line number (1-based) of the first (last: last != 0) line of s holding both a and b (b
 * may be NULL), or 0. */
static int line_with(const char *s, const char *a, const char *b, int last)
{
    int line = 1, found = 0;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), p);
        if (strstr(buf, a) && (!b || strstr(buf, b))) {
            found = line;
            if (!last)
                return found;
        }
        line++;
        p = e ? e + 1 : p + n;
    }
    return found;
}

/* In the map's plot command, every marker (critical points, starts, ends, crosses) comes
 * after every path line, and no end is under a critical point's white fill. */
static void check_markers_above(const char *gp, const char *kind)
{
    char *s = slurp(gp, NULL);
    cr_assert_not_null(s);
    int last_path = line_with(s, "paths.tsv", "with lines lt", 1);
    cr_assert(last_path > 0, "%s: no path in the script", kind);
    const char *marks[][2] = {{"cp.tsv", NULL}, {"paths.tsv", "PT_START"},
                              {"paths.tsv", "PT_END"}, {"paths.tsv", "PT_CURRENT"},
                              {"paths.tsv", "PT_DIVERGED"}};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        int first = line_with(s, marks[i][0], marks[i][1], 0);
        cr_expect(first == 0 || first > last_path,
                  "%s: %s %s drawn at line %d, under the path at line %d", kind, marks[i][0],
                  marks[i][1] ? marks[i][1] : "", first, last_path);
    }
    int fill = line_with(s, "cp.tsv", "C_CRIT_FILL", 1);
    int end = line_with(s, "paths.tsv", "PT_END", 0);
    cr_expect(fill == 0 || end == 0 || end > fill,
              "%s: an end (line %d) under a critical point's fill (line %d)", kind, end, fill);
    free(s);
}

Test(golden, markers_above_paths)
{
    const char *kinds[][2] = {{"contour", "fig.png"}, {"surface", "fig.png"},
                              {"animation", "fig.gif"}};
    for (size_t i = 0; i < 3; i++) {
        lsc_trajectory t;
        make_traj(&t, 61);
        lsc_plot_opts o = opts(kinds[i][0], P(kinds[i][1]));
        set(&o, "grid", "30");
        set(&o, "no_render", "true");
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        char gp[64];
        snprintf(gp, sizeof gp, "%s.gp", kinds[i][1]);
        check_markers_above(P(gp), kinds[i][0]);
        lsc_trajectory_free(&t);
    }
    lsc_trajectory t;
    make_traj3(&t);
    lsc_plot_opts o = opts("slice", P("fig.png"));
    set(&o, "grid", "30");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    check_markers_above(P("fig.png.gp"), "slice");
    lsc_trajectory_free(&t);
}

/* Default titles name the landscape by its display name, not the bare spec (issue 8,
 * item 15): from the trajectory's spec, and for a landscape alone. */
Test(golden, title_display_name)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("contour", P("fig.png"));
    set(&o, "grid", "20");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    cr_expect(strstr(s, "set multiplot title 'Himmelblau'"), "title: %.60s",
              strstr(s, "multiplot title") ? strstr(s, "multiplot title") : "none");
    free(s);
    lsc_trajectory_free(&t);
    const char *specs[][2] = {{"six-hump-camel", "'Six-hump camel'"},
                              {"double-well", "'Double well"},
                              {"monkey-saddle", "'Monkey saddle'"}};
    for (size_t i = 0; i < 3; i++) {
        lsc_landscape *L = lsc_landscape_new(specs[i][0], 0, "test", &e);
        cr_assert_not_null(L, "%s", e.msg);
        cr_assert_eq(lsc_plot_render(NULL, L, &o, &e), LSC_OK, "%s", e.msg);
        s = slurp(P("fig.png.gp"), NULL);
        char *p = strstr(s, "multiplot title ");
        cr_expect(p && !strncmp(p + 16, specs[i][1], strlen(specs[i][1])), "%s: %.40s",
                  specs[i][0], p ? p : "no title");
        free(s);
        lsc_landscape_free(L);
    }
}

/* ---- axes and marks (issue 8, item 14) ------------------------------------------------ */

/* A linear colour bar's ticks are %g ("25", not "25.00000"). */
Test(golden, colour_bar_ticks_g)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("contour", P("fig.png"));
    set(&o, "grid", "20");
    set(&o, "log", "false");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    cr_expect(strstr(s, "set format cb '%g'"), "no %%g format for the colour bar");
    free(s);
    o = opts("contour", P("fig.tex"));
    set(&o, "grid", "20");
    set(&o, "log", "false");
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("fig.tex.gp"), NULL);
    cr_expect(strstr(s, "set format cb '$%g$'"), "no $%%g$ format for the .tex colour bar");
    free(s);
    lsc_trajectory_free(&t);
}

/* dumb: contour lines are dots, never the '*' of the first line type (a path). */
Test(golden, dumb_contours_not_paths)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("contour", "");
    set(&o, "dumb", "true");
    set(&o, "base", P("fig"));
    set(&o, "grid", "30");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.gp"), NULL);
    int cl = line_with(s, "contour.tsv", NULL, 0);
    cr_assert(cl > 0);
    cr_expect(line_with(s, "contour.tsv", "with dots", 0) == cl, "contour lines not dots");
    free(s);
    lsc_trajectory_free(&t);
}

/* A run that blew up: its cross sits inside the frame (5% of the panel below the top). */
Test(golden, diverged_cross_inside)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    double lo, hi, ilo, ihi;
    char *p = strstr(s, "YLO = "), *q = strstr(s, "YIN_LO = ");
    cr_assert(p, "no cut range");
    cr_assert(q, "no inner range for the cross");
    cr_assert_eq(sscanf(p, "YLO = %lf; YHI = %lf", &lo, &hi), 2);
    cr_assert_eq(sscanf(q, "YIN_LO = %lf; YIN_HI = %lf", &ilo, &ihi), 2);
    cr_expect(log10(hi / ihi) > 0.03 * log10(hi / lo) && log10(ilo / lo) > 0.03 * log10(hi / lo),
              "cross at the frame: [%g, %g] in [%g, %g]", ilo, ihi, lo, hi);
    int cross = line_with(s, "PT_DIVERGED ps PS_RUN lw 2 notitle", "curves.tsv", 0);
    cr_assert(cross > 0);
    cr_expect(line_with(s, "PT_DIVERGED ps PS_RUN lw 2 notitle", "YIN_HI", 0) == cross,
              "the cross is not placed at YIN_HI");
    free(s);
    lsc_trajectory_free(&t);
}

/* A log lr panel is not stretched to 1e-7 by a schedule reaching 0 on its last step: its
 * range starts near the values of the other 98% of the steps, and the caption says so. */
Test(golden, lr_log_axis_clipped)
{
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "himmelblau");
    t.steps = 200;
    for (int r = 0; r < 2; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(&t);
        snprintf(R->optimizer, sizeof R->optimizer, "gd:lr=0.1");
        snprintf(R->label, sizeof R->label, r ? "cosine" : "step");
        snprintf(R->schedule, sizeof R->schedule, r ? "cosine:T_max=200" : "step:step_size=50");
        R->start[0] = -1, R->start[1] = 0.5;
        cr_assert_eq(lsc_run_record_reserve(&t, R, 201), LSC_OK);
        for (int k = 0; k <= 200; k++) {
            double lr = r ? 0.05 * (1 + cos(3.14159265358979 * k / 200)) + 1e-9
                          : 0.1 * pow(0.3, k / 50);
            double x[2] = {-1 + 0.01 * k, 0.5};
            lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = lr, .loss = himmel(x[0], x[1]),
                                                  .grad_norm = 1, .dist = NAN, .x = x});
        }
        R->status = LSC_STOP_MAX_STEPS;
    }
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "curves", "lr");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    char *p = strstr(s, "set logscale y");
    cr_assert(p, "the lr panel is not log");
    double lo = 0;
    char *y = strstr(p, "set yrange [");
    cr_assert(y && sscanf(y, "set yrange [%lf:*]", &lo) == 1, "lr range not clipped: %.40s",
              y ? y : "none");
    /* the lowest value before the last 2% of steps: cosine at step 196 */
    double keep = 0.05 * (1 + cos(3.14159265358979 * 196 / 200));
    cr_expect(lo > keep / 10 && lo <= keep, "lr axis from %g (values down to %g matter)", lo,
              keep);
    cr_expect(strstr(s, "last 2% of steps"), "the caption does not say the axis is clipped");
    free(s);
    lsc_trajectory_free(&t);
}

/* A path dashed where it runs along an earlier one: the key says what the dashes mean
 * (issue 8, item 13); no such entry when no path is dashed. */
Test(golden, dashed_overlap_in_key)
{
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "himmelblau");
    t.steps = 60;
    for (int r = 0; r < 2; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(&t);
        snprintf(R->optimizer, sizeof R->optimizer, r ? "adam:lr=0.1" : "gd:lr=0.01");
        R->start[0] = -1, R->start[1] = 0.5;
        cr_assert_eq(lsc_run_record_reserve(&t, R, 61), LSC_OK);
        for (int k = 0; k <= 60; k++) { /* the same straight path for both */
            double x[2] = {-1 + 4.0 * k / 60, 0.5 + 1.5 * k / 60};
            lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = 0.01, .loss = himmel(x[0], x[1]),
                                                  .grad_norm = 1, .dist = NAN, .x = x});
        }
        R->status = LSC_STOP_MAX_STEPS;
    }
    lsc_plot_opts o = opts("contour", P("fig.png"));
    set(&o, "grid", "20");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    cr_assert(strstr(s, "dt DT_OVER notitle"), "the second path is not dashed");
    cr_expect(line_with(s, "keyentry", "along an earlier path", 0) > 0,
              "the key does not say what the dashes mean");
    free(s);
    lsc_trajectory_free(&t);
    make_traj(&t, 61); /* paths apart: no entry */
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("fig.png.gp"), NULL);
    cr_expect(!strstr(s, "dt DT_OVER notitle") && !strstr(s, "along an earlier path"));
    free(s);
    lsc_trajectory_free(&t);
}

/* Line type of the first curve of run block b in a curves script (0: none). */
static int curve_lt(const char *s, int b)
{
    char want[64];
    snprintf(want, sizeof want, "index %d using 1:2 with lines lt ", b);
    const char *p = strstr(s, want);
    return p ? atoi(p + strlen(want)) : 0;
}

/* Colours hard to tell apart are not put side by side (issue 8, item 12): gd's vermillion
 * (line type 1) and rmsprop's orange (5) in one figure: rmsprop takes another colour;
 * alone, rmsprop keeps its own. */
Test(golden, close_colours_not_together)
{
    const char *sets[2][2] = {{"gd:lr=0.01", "rmsprop:lr=0.01"}, {"rmsprop:lr=0.01", NULL}};
    for (int i = 0; i < 2; i++) {
        lsc_trajectory t;
        lsc_trajectory_init(&t, 2, 2, 0);
        snprintf(t.landscape, sizeof t.landscape, "himmelblau");
        t.steps = 10;
        for (int r = 0; r < 2 && sets[i][r]; r++) {
            lsc_run_record *R = lsc_trajectory_add_run(&t);
            snprintf(R->optimizer, sizeof R->optimizer, "%s", sets[i][r]);
            R->start[0] = -1, R->start[1] = 0.5;
            cr_assert_eq(lsc_run_record_reserve(&t, R, 11), LSC_OK);
            for (int k = 0; k <= 10; k++) {
                double x[2] = {-1 + 0.1 * k * (r + 1), 0.5};
                lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = 0.01,
                                                      .loss = himmel(x[0], x[1]), .grad_norm = 1,
                                                      .dist = NAN, .x = x});
            }
            R->status = LSC_STOP_MAX_STEPS;
        }
        lsc_plot_opts o = opts("curves", P("fig.png"));
        set(&o, "no_render", "true");
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        char *s = slurp(P("fig.png.gp"), NULL);
        if (i == 0) {
            cr_expect_eq(curve_lt(s, 0), 1, "gd keeps vermillion");
            int l = curve_lt(s, 1);
            cr_expect(l != 1 && l != 5 && l >= 2 && l <= 7,
                      "rmsprop next to gd drawn in colour %d (5 is orange, next to vermillion)",
                      l);
        } else {
            cr_expect_eq(curve_lt(s, 0), 5, "rmsprop alone keeps orange");
        }
        free(s);
        lsc_trajectory_free(&t);
    }
}

/* A log axis spanning under a decade gets labelled ticks inside its range (issue 8,
 * item 9): |grad f| from 12 down to 3 reads 3, 4, 5, 6, 8, 10; the panel after it (over
 * decades) goes back to automatic ticks. */
Test(golden, log_axis_under_a_decade)
{
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "himmelblau");
    t.steps = 50;
    lsc_run_record *R = lsc_trajectory_add_run(&t);
    snprintf(R->optimizer, sizeof R->optimizer, "gd:lr=0.001");
    R->start[0] = -1, R->start[1] = 0.5;
    cr_assert_eq(lsc_run_record_reserve(&t, R, 51), LSC_OK);
    for (int k = 0; k <= 50; k++) {
        double x[2] = {-1 + 0.01 * k, 0.5};
        lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = 0.001, .loss = himmel(x[0], x[1]),
                                              .grad_norm = 12 * pow(0.25, k / 50.0), .dist = NAN,
                                              .x = x});
    }
    R->status = LSC_STOP_MAX_STEPS;
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "curves", "grad_norm,loss");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    char *p = strstr(s, "set ytics (");
    cr_assert(p, "no labelled ticks for a log axis from 3 to 12");
    double v[8];
    int n = sscanf(p, "set ytics (%lf, %lf, %lf, %lf, %lf, %lf, %lf", &v[0], &v[1], &v[2],
                   &v[3], &v[4], &v[5], &v[6]);
    cr_expect_geq(n, 4, "only %d ticks: %.60s", n, p);
    for (int i = 0; i < n; i++)
        cr_expect(v[i] >= 3 - 1e-9 && v[i] <= 12 + 1e-9, "tick %g outside 3 .. 12", v[i]);
    cr_expect(strstr(p, "set ytics autofreq"), "the next panel keeps the listed ticks");
    free(s);
    lsc_trajectory_free(&t);
}

/* An option a kind does not read is refused when set, naming the key and the kind
 * (issue 8, item 8); defaults, and options the kind reads, pass. */
Test(golden, option_a_kind_ignores_is_refused)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    const char *cases[][3] = {{"curves", "view", "30,40"}, {"curves", "quiver", "true"},
                              {"contour", "smooth", "5"}, {"surface", "frames", "10"},
                              {"slice", "view", "30,40"}, {"animation", "curves", "lr"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lsc_plot_opts o = opts(cases[i][0], P(strcmp(cases[i][0], "animation") ? "f.png"
                                                                                : "f.gif"));
        set(&o, "no_render", "true");
        set(&o, cases[i][1], cases[i][2]);
        lsc_error e = {0};
        lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "t", &e);
        cr_assert_not_null(L, "%s", e.msg);
        cr_expect_eq(lsc_plot_opts_check(&o, L, 2, 0, 0, 3, &e), LSC_EINVAL,
                     "%s with %s accepted", cases[i][0], cases[i][1]);
        lsc_landscape_free(L);
        cr_expect(strstr(e.msg, cases[i][1]) && strstr(e.msg, cases[i][0]),
                  "the message names neither key nor kind: %s", e.msg);
        cr_expect_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL, "render accepts %s for %s",
                     cases[i][1], cases[i][0]);
    }
    lsc_plot_opts o = opts("curves", P("f.png"));
    set(&o, "no_render", "true");
    set(&o, "smooth", "3");
    set(&o, "title", "T");
    lsc_error e = {0};
    cr_expect_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    lsc_trajectory_free(&t);
}

/* curves honours xlim (the steps, every panel) and ylim (the top panel) (issue 8, item 8). */
Test(golden, curves_xlim_ylim)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "curves", "loss,grad_norm");
    set(&o, "xlim", "5:40");
    set(&o, "ylim", "0.01:100");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    cr_expect(strstr(s, "set xrange [5:40]"), "xlim not applied");
    char *p1 = strstr(s, "# panel 1"), *p2 = strstr(s, "# panel 2");
    cr_assert(p1 && p2);
    char *y = strstr(p1, "set yrange [0.01:100]");
    cr_expect(y && y < p2, "ylim not applied to the top panel");
    cr_expect(!strstr(p2, "set yrange [0.01:100]"), "ylim applied to another panel");
    free(s);
    lsc_trajectory_free(&t);
}

/* The yrange a curves script sets in panel q (1-based): "LO:HI" into buf, "" when none. */
static void panel_yrange(const char *s, int q, char buf[64])
{
    char a[32], b[32];
    snprintf(a, sizeof a, "# panel %d:", q);
    snprintf(b, sizeof b, "# panel %d:", q + 1);
    const char *p = strstr(s, a), *end = strstr(s, b);
    if (!end)
        end = strstr(s, "# legend");
    buf[0] = '\0';
    /* the last 'set yrange' of the panel is the one in force */
    for (const char *y = p; y && (y = strstr(y, "set yrange [")) && (!end || y < end); y++)
        sscanf(y, "set yrange [%63[^]]", buf);
}

/* ylim per panel (issue 8, item 8): PANEL=LO:HI by name, comma separated or one per
 * ylim=; LO:HI alone stays the top panel's; |x1| and absx1 name one panel. A panel the
 * figure lacks, a second range for one panel, or a panel range on another kind: refused. */
Test(golden, curves_ylim_per_panel)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "curves", "loss,grad_norm,lr,|x1|");
    set(&o, "ylim", "0.01:100");
    set(&o, "ylim", "grad_norm=0.001:10,lr=0.005:0.02");
    set(&o, "ylim", "absx1=0.1:2");
    set(&o, "ylim", "lr=0.002:0.03"); /* named again: the new range */
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    static const char *want[4] = {"0.01:100", "0.001:10", "0.002:0.03", "0.1:2"};
    for (int q = 0; q < 4; q++) {
        char got[64];
        panel_yrange(s, q + 1, got);
        cr_expect_str_eq(got, want[q], "panel %d", q + 1);
    }
    free(s);
    /* refused: before any work (lsc_plot_opts_check) and by the render */
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "t", &e);
    cr_assert_not_null(L, "%s", e.msg);
    static const char *bad[][4] = {
        /* kind, curves, ylim, a piece of the message */
        {"curves", "loss", "lr=0.1:1", "no panel 'lr'"},
        {"curves", "loss,|x2|", "x2=0:1", "no panel 'x2'"},
        {"curves", "loss,lr", "loss=1:2,0:1", "second range for panel 'loss'"},
        {"curves", "loss,|x1|", "|x1|=1:2,absx1=1:3", "second range for panel '|x1|'"},
        {"contour", NULL, "loss=1:2", "curves figure"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lsc_plot_opts b = opts(bad[i][0], P("f.png"));
        set(&b, "no_render", "true");
        if (bad[i][1])
            set(&b, "curves", bad[i][1]);
        set(&b, "ylim", bad[i][2]);
        cr_expect_eq(lsc_plot_opts_check(&b, L, 2, 0, 0, 3, &e), LSC_EINVAL, "ylim=%s accepted",
                     bad[i][2]);
        cr_expect(strstr(e.msg, bad[i][3]) && !strncmp(e.msg, "ylim", 4),
                  "ylim=%s: '%s' lacks '%s'", bad[i][2], e.msg, bad[i][3]);
        cr_expect_eq(lsc_plot_render(&t, NULL, &b, &e), LSC_EINVAL, "render: ylim=%s",
                     bad[i][2]);
    }
    lsc_landscape_free(L);
    /* a bad ylim= changes nothing set before */
    lsc_plot_opts c = opts("curves", P("f.png"));
    set(&c, "ylim", "loss=1:2");
    cr_assert_eq(lsc_plot_opts_set(&c, "ylim", "lr=1:3,grad_norm=2:1", &e), LSC_EINVAL);
    cr_expect(c.nylim_panel == 1 && !strcmp(c.ylim_panel[0].panel, "loss") &&
              c.ylim_panel[0].hi == 2, "a refused ylim= changed the ranges");
    lsc_trajectory_free(&t);
}

/* logx: the step axis on a log scale, step 0 drawn at 1, said in the caption (issue 8,
 * item 8); only curves takes it. */
Test(golden, curves_logx)
{
    lsc_trajectory t;
    make_traj(&t, 61);
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "logx", "true");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    cr_expect(strstr(s, "set logscale x 10"), "no log step axis");
    cr_expect(strstr(s, "using (STEP($1)):2 with lines"), "step 0 not moved to 1");
    cr_expect(strstr(s, "step 0 (the start) is drawn at step 1"), "the caption does not say");
    free(s);
    o = opts("contour", P("fig.png"));
    set(&o, "logx", "true");
    cr_expect_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL, "contour accepts logx");
    lsc_trajectory_free(&t);
}

/* A loss unbounded below (a saddle, no known minimum): one run falling to -1e9 does not
 * flatten the others: a symmetric log axis (asinh), said in the caption (issue 8, item 8). */
Test(golden, curves_unbounded_below_symlog)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("saddle", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "saddle");
    t.steps = 100;
    for (int r = 0; r < 2; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(&t);
        snprintf(R->optimizer, sizeof R->optimizer, r ? "adam:lr=0.01" : "gd:lr=0.1");
        R->start[0] = 1, R->start[1] = 0.001;
        cr_assert_eq(lsc_run_record_reserve(&t, R, 101), LSC_OK);
        for (int k = 0; k <= 100; k++) {
            double y = r ? 0.001 + 0.05 * k : 0.001 * pow(1.25, k); /* gd: to 7e6 */
            double x[2] = {pow(0.9, k), y};
            lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = 0.1,
                                                  .loss = lsc_landscape_f(L, x), .grad_norm = 1,
                                                  .dist = NAN, .x = x});
        }
        R->status = LSC_STOP_MAX_STEPS;
    }
    lsc_plot_opts o = opts("curves", P("fig.png"));
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render(&t, L, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("fig.png.gp"), NULL);
    cr_expect(strstr(s, "set nonlinear y via asinh(y/SYMLOG_C)"), "a linear axis: flattened");
    cr_expect(strstr(s, "symmetric log"), "the caption does not say");
    free(s);
    /* a loss that stays near zero keeps its linear axis */
    for (int r = 0; r < 2; r++)
        for (size_t k = 0; k < t.runs[r].len; k++)
            t.runs[r].loss[k] = 0.5 - 0.01 * (double)k;
    cr_assert_eq(lsc_plot_render(&t, L, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("fig.png.gp"), NULL);
    cr_expect(!strstr(s, "set nonlinear y via"), "symlog for a loss from 0.5 to -0.5");
    free(s);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

Test(golden, basins)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_plot_opts o = opts("basins", P("fig.png"));
    set(&o, "basin_n", "8");
    set(&o, "no_render", "true");
    lsc_run_opts ro = {0};
    ro.steps = 200;
    ro.seed = 3;
    const char *specs[] = {"gd:lr=0.01", "momentum:lr=0.002,label=heavy ball"};
    cr_assert_eq(basins_figure(L, specs, 2, &ro, &o, &e), LSC_OK, "%s", e.msg);
    golden("plot_basins.gp", P("fig.png.gp"));
    /* the classes: every start that ended within tol of a critical point really did. GD
     * with lr 0.01 from (x0,y0) goes down hill: the start's class must be a minimum whose
     * value is below f(start). */
    FILE *f = fopen(P("fig.png.basins.tsv"), "r");
    cr_assert_not_null(f);
    char line[256];
    int n = 0, mins = 0;
    const double mx[4][2] = {{3, 2}, {-2.805118, 3.131313}, {3.584428, -1.848127},
                             {-3.779310, -3.283186}};
    while (fgets(line, sizeof line, f)) {
        double x, y;
        int k, r, g, b;
        if (line[0] == '#' || sscanf(line, "%lf %lf %d %d %d %d", &x, &y, &k, &r, &g, &b) != 6)
            continue;
        n++;
        if (n <= 64) { /* first panel: gd with a small step */
            mins += k >= 0 && k < 4;
            /* a start close to a minimum stays in its basin */
            for (int q = 0; q < 4; q++)
                if (hypot(x - mx[q][0], y - mx[q][1]) < 0.7)
                    cr_assert_eq(k, q, "start (%g, %g) next to minimum %d went to %d", x, y,
                                 q, k);
        }
    }
    fclose(f);
    cr_assert_eq(n, 128, "2 panels x 8 x 8 starts");
    cr_assert_geq(mins, 48, "most gd runs reach a minimum in 200 steps (%d)", mins);
    lsc_landscape_free(L);
}

/* ---- the data next to the script, against the formula ------------------------------------- */

TestSuite(data, .init = setup_dir, .fini = teardown_dir);

Test(data, grid_is_the_landscape)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("g.png"));
    set(&o, "grid", "21");
    set(&o, "xlim", "-4:5");
    set(&o, "ylim", "-3:4");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    size_t len;
    unsigned char *b = (unsigned char *)slurp(P("g.png.grid.f32"), &len);
    /* one text line first, the figure's mark, which the script skips */
    const char mark[] = "# a file of the losscape figure \"g.png\"\n";
    const size_t head = sizeof mark - 1;
    cr_assert(len > head && !memcmp(b, mark, head), "the grid begins with the mark");
    cr_assert_eq(len, head + 21u * 21u * 4u);
    for (int j = 0; j < 21; j++)
        for (int i = 0; i < 21; i++) {
            size_t k = head + (size_t)(j * 21 + i) * 4;
            uint32_t u = (uint32_t)b[k] | (uint32_t)b[k + 1] << 8 | (uint32_t)b[k + 2] << 16 |
                         (uint32_t)b[k + 3] << 24; /* little-endian */
            float v;
            memcpy(&v, &u, 4);
            double x = -4 + 9.0 * i / 20, y = -3 + 7.0 * j / 20, want = himmel(x, y);
            cr_assert_float_eq(v, want, 1e-6 * (1 + want), "(%g, %g): %g vs %g", x, y, v, want);
        }
    free(b);
    /* the script reads the array with the same geometry */
    char *s = slurp(P("g.png.gp"), NULL);
    char geometry[160];
    snprintf(geometry, sizeof geometry, "binary array=(21,21) format='%%float32' endian=little "
             "skip=%zu origin=(-4,-3) dx=0.45 dy=0.35", head);
    cr_assert(strstr(s, geometry), "grid geometry in the script");
    free(s);
    lsc_trajectory_free(&t);
}

Test(data, contour_points_lie_on_their_level)
{
    lsc_plot_opts o = opts("contour", P("c.png"));
    set(&o, "grid", "301");
    set(&o, "contours", "12");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_eq(lsc_plot_render(NULL, L, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("c.png.gp"), NULL);
    double fmin, eps;
    char *q = strstr(s, "FMIN = ");
    cr_assert_not_null(q, "himmelblau is coloured on a log scale");
    cr_assert_eq(sscanf(q, "FMIN = %lf; EPS = %lf", &fmin, &eps), 2);
    free(s);
    cr_assert_float_eq(fmin, 0.0, 1e-12, "f* of himmelblau is 0");
    FILE *f = fopen(P("c.png.contour.tsv"), "r");
    char line[256];
    int n = 0, nlev = 0;
    double last = -1, levels[64];
    while (fgets(line, sizeof line, f)) {
        double x, y, lev;
        if (sscanf(line, "%lf %lf %lf", &x, &y, &lev) != 3)
            continue;
        /* colour scale value f - fmin + eps; linear interpolation on a 0.033 grid */
        double v = himmel(x, y) - fmin + eps;
        cr_assert(fabs(v - lev) <= 0.02 * lev + 1e-9, "(%g, %g): %g on level %g", x, y, v, lev);
        n++;
        if (lev != last && nlev < 64) {
            int seen = 0;
            for (int k = 0; k < nlev; k++)
                seen |= levels[k] == lev;
            if (!seen)
                levels[nlev++] = lev;
            last = lev;
        }
    }
    fclose(f);
    cr_assert_gt(n, 1000);
    cr_assert_geq(nlev, 5);
    cr_assert_leq(nlev, 12);
    /* log colour: levels are 1, 2, 5 or 1, 3 or 1 times powers of ten */
    for (int k = 0; k < nlev; k++) {
        double m = levels[k] / pow(10, floor(log10(levels[k]) + 1e-12));
        cr_assert(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 3) < 1e-9 ||
                  fabs(m - 5) < 1e-9, "level %g is not log-spaced", levels[k]);
    }
    lsc_landscape_free(L);
}

Test(data, linear_levels_are_evenly_spaced_nice_numbers)
{
    lsc_plot_opts o = opts("contour", P("l.png"));
    set(&o, "grid", "101");
    set(&o, "log", "false");
    set(&o, "contours", "8");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_eq(lsc_plot_render(NULL, L, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("l.png.gp"), NULL);
    cr_assert_null(strstr(s, "set logscale cb"));
    cr_assert(strstr(s, "COLOR(f) = f\n"));
    free(s);
    FILE *f = fopen(P("l.png.contour.tsv"), "r");
    char line[256];
    double lev[64];
    int nlev = 0;
    while (fgets(line, sizeof line, f)) {
        double x, y, v;
        if (sscanf(line, "%lf %lf %lf", &x, &y, &v) != 3)
            continue;
        int seen = 0;
        for (int k = 0; k < nlev; k++)
            seen |= lev[k] == v;
        if (!seen && nlev < 64)
            lev[nlev++] = v;
        cr_assert(fabs(himmel(x, y) - v) < 0.01 * 890, "(%g, %g) on level %g", x, y, v);
    }
    fclose(f);
    cr_assert_geq(nlev, 5);
    cr_assert_leq(nlev, 10);
    double step = fabs(lev[1] - lev[0]);
    for (int k = 1; k < nlev; k++)
        step = fmin(step, fabs(lev[k] - lev[k - 1]));
    double m = step / pow(10, floor(log10(step)));
    cr_assert(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 2.5) < 1e-9 ||
              fabs(m - 5) < 1e-9, "step %g is not a nice number", step);
    for (int k = 0; k < nlev; k++) {
        double q = lev[k] / step;
        cr_assert_float_eq(q, round(q), 1e-9, "level %g not a multiple of %g", lev[k], step);
    }
    lsc_landscape_free(L);
}

Test(data, basins_from_a_trajectory_rerun_its_optimizers)
{
    lsc_trajectory t;
    make_traj(&t, 31);
    snprintf(t.runs[1].optimizer, sizeof t.runs[1].optimizer, "adam:lr=0.05"); /* duplicate */
    lsc_plot_opts o = opts("basins", P("bt.png"));
    set(&o, "basin_n", "5");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    /* drawing alone never runs an optimizer */
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "lsc_basins_compute"), "%s", e.msg);
    cr_assert(!exists(P("bt.png.gp")));
    lsc_landscape *L = lsc_landscape_new(t.landscape, t.n, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_basins b;
    cr_assert_eq(lsc_basins_compute_trajectory(&b, L, &t, o.xlim, o.ylim, o.basin_n,
                                               o.basin_tol, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_render_basins(&b, L, &o, &e), LSC_OK, "%s", e.msg);
    lsc_basins_free(&b);
    lsc_landscape_free(L);
    char *s = slurp(P("bt.png.gp"), NULL);
    cr_assert(strstr(s, "# optimizer 1: adam:lr=0.05\n"));
    cr_assert(strstr(s, "# optimizer 2: sgd:lr=0.5\n"), "one panel per distinct optimizer");
    cr_assert_null(strstr(s, "# optimizer 3"));
    cr_assert(strstr(s, "steps 30"), "the trajectory's step budget");
    free(s);
    lsc_trajectory_free(&t);
}

Test(data, quiver_points_downhill)
{
    lsc_plot_opts o = opts("contour", P("q.png"));
    set(&o, "grid", "21");
    set(&o, "quiver", "true");
    set(&o, "quiver_n", "9");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_eq(lsc_plot_render(NULL, L, &o, &e), LSC_OK, "%s", e.msg);
    FILE *f = fopen(P("q.png.quiver.tsv"), "r");
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        double x, y, dx, dy, gx, gy;
        if (sscanf(line, "%lf %lf %lf %lf", &x, &y, &dx, &dy) != 4)
            continue;
        himmel_grad(x + dx / 2, y + dy / 2, &gx, &gy); /* arrows centred on their point */
        double c = -(dx * gx + dy * gy) / (hypot(dx, dy) * hypot(gx, gy));
        cr_assert_gt(c, 0.99999, "arrow at (%g, %g) is not along -grad f", x, y);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, 81);
    lsc_landscape_free(L);
}

Test(data, critical_points_and_paths)
{
    lsc_trajectory t;
    make_traj(&t, 1001);
    lsc_plot_opts o = opts("contour", P("p.png"));
    set(&o, "grid", "20");
    set(&o, "max_points", "50");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    /* critical points: himmelblau's four minima, four saddles, one maximum */
    FILE *f = fopen(P("p.png.cp.tsv"), "r");
    char line[256];
    int count[4] = {0}, found32 = 0;
    while (fgets(line, sizeof line, f)) {
        double x, y, fv;
        int k;
        if (sscanf(line, "%lf %lf %d %lf", &x, &y, &k, &fv) != 4)
            continue;
        count[k]++;
        cr_assert_float_eq(himmel(x, y), fv, 1e-6, "f at the critical point (%g, %g)", x, y);
        found32 |= k == 0 && fabs(x - 3) < 1e-12 && fabs(y - 2) < 1e-12;
    }
    fclose(f);
    cr_assert_eq(count[0], 4);
    cr_assert_eq(count[2], 4);
    cr_assert_eq(count[1], 1);
    cr_assert(found32);
    /* paths decimated to 50 rows, first and last kept, in blocks per run */
    f = fopen(P("p.png.paths.tsv"), "r");
    int block = 0, rows[3] = {0}, blank = 0;
    long first[3] = {-1, -1, -1}, lastst[3] = {0};
    while (fgets(line, sizeof line, f)) {
        long st;
        double a, b, fv, cv;
        if (line[0] == '\n') {
            if (++blank == 2)
                block++;
            continue;
        }
        blank = 0;
        if (line[0] == '#' || sscanf(line, "%ld %lf %lf %lf %lf", &st, &a, &b, &fv, &cv) != 5)
            continue;
        cr_assert_lt(block, 3);
        if (first[block] < 0)
            first[block] = st;
        lastst[block] = st;
        rows[block]++;
        cr_assert_float_eq(fv, himmel(a, b), 1e-6 * (1 + fv));
    }
    fclose(f);
    cr_assert_eq(rows[0], 50);
    cr_assert_eq(rows[1], 50);
    cr_assert_eq(first[0], 0);
    cr_assert_eq(lastst[0], 1000);
    cr_assert_eq(lastst[2], 332, "the diverged run's rows are all written");
    /* it left the view: drawn up to its last point in view, then a dashed arrow to the
     * frame, and the key says so */
    char *s = slurp(P("p.png.gp"), NULL);
    cr_assert(strstr(s, "exits.tsv' every ::0::0 using 1:2:3:4 with vectors head"), "%s", s);
    cr_assert(strstr(s, "title 'diverged, off the map'"));
    cr_assert(strstr(s, "title 'heavy ball' noenhanced"));
    cr_assert(strstr(s, "title 'adam lr=0.05' noenhanced"), "label = name: + hyper-parameters");
    free(s);
    lsc_trajectory_free(&t);
}

/* Script and data checks of the figure rules: where a diverged run stops, the colours of
 * optimizer types, legends, the colour floor eps, curves panels of coordinates, values at
 * the floor of a log panel, smoothing, animation frame steps, captions. */

/* The numbers of `set xrange [a:b]` / `set yrange [a:b]` (the first of each) in s. */
static void view_of(const char *s, double v[4])
{
    const char *x = strstr(s, "set xrange ["), *y = strstr(s, "set yrange [");
    cr_assert(x && y);
    cr_assert_eq(sscanf(x, "set xrange [%lf:%lf]", &v[0], &v[1]), 2);
    cr_assert_eq(sscanf(y, "set yrange [%lf:%lf]", &v[2], &v[3]), 2);
}

/* A trajectory's box (its '# box:' line, t->box) is the landscape's box of its figure:
 * the view is that box (the paths lie inside it), else the landscape's [-5, 5]^2. */
Test(data, the_view_of_a_trajectory_is_its_box)
{
    lsc_trajectory t;
    make_traj(&t, 31);
    lsc_plot_opts o = opts("contour", P("b.png"));
    set(&o, "grid", "20");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    double v[4];
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("b.png.gp"), NULL);
    view_of(s, v);
    cr_assert(v[0] == -5 && v[1] == 5 && v[2] == -5 && v[3] == 5, "[%g:%g] [%g:%g]", v[0], v[1],
              v[2], v[3]);
    free(s);
    snprintf(t.box, sizeof t.box, "-4:4,-3:5");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("b.png.gp"), NULL);
    view_of(s, v);
    cr_assert(v[0] == -4 && v[1] == 4 && v[2] == -3 && v[3] == 5, "[%g:%g] [%g:%g]", v[0], v[1],
              v[2], v[3]);
    free(s);
    /* a box that does not fit the file's dimension is the file's error */
    snprintf(t.box, sizeof t.box, "0:1,0:1,0:1");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "box: '0:1,0:1,0:1'"), "%s", e.msg);
    lsc_trajectory_free(&t);
}

Test(data, diverged_run_stops_at_the_frame_with_an_arrow)
{
    lsc_trajectory t;
    make_traj(&t, 301);
    lsc_plot_opts o = opts("contour", P("x.png"));
    set(&o, "grid", "20");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("x.png.gp"), NULL);
    double v[4];
    view_of(s, v);
    /* the last row of run 2 inside the view, and the next one, from run 2 itself */
    const lsc_run_record *R = &t.runs[2];
    int last = -1;
    for (size_t k = 0; k < R->len; k++) {
        const double *x = R->x + 2 * k;
        if (x[0] >= v[0] && x[0] <= v[1] && x[1] >= v[2] && x[1] <= v[3])
            last = (int)k;
    }
    cr_assert(last > 0 && last + 1 < (int)R->len, "run 2 leaves the view (%d)", last);
    char want[64];
    snprintf(want, sizeof want, "index 2 every ::0::%d using 2:3 with lines", last);
    cr_assert(strstr(s, want), "the path stops at row %d, its last in view", last);
    cr_assert_null(strstr(s, "pt PT_DIVERGED"), "no cross: the arrow says where it went");
    /* the arrow: from that row to the frame, along the segment towards the next row */
    FILE *f = fopen(P("x.png.exits.tsv"), "r");
    cr_assert_not_null(f);
    char line[256];
    double a, b, da, db;
    int lt, n = 0;
    while (fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%lf %lf %lf %lf %d", &a, &b, &da, &db, &lt) == 5)
            n++;
    fclose(f);
    cr_assert_eq(n, 1);
    const double *p0 = R->x + 2 * last, *p1 = R->x + 2 * (last + 1);
    cr_assert_float_eq(a, p0[0], 1e-9);
    cr_assert_float_eq(b, p0[1], 1e-9);
    double cross = da * (p1[1] - p0[1]) - db * (p1[0] - p0[0]);
    double dot = da * (p1[0] - p0[0]) + db * (p1[1] - p0[1]);
    cr_assert_float_eq(cross, 0, 1e-9 * (1 + fabs(dot)), "along the segment");
    cr_assert_gt(dot, 0, "towards the next point");
    /* it ends on the frame, or after an eighth of the view's diagonal, inside */
    double ex = a + da, ey = b + db, diag = hypot(v[1] - v[0], v[3] - v[2]);
    int on = fabs(ex - v[0]) < 1e-9 || fabs(ex - v[1]) < 1e-9 || fabs(ey - v[2]) < 1e-9 ||
             fabs(ey - v[3]) < 1e-9;
    int inside = ex >= v[0] - 1e-9 && ex <= v[1] + 1e-9 && ey >= v[2] - 1e-9 &&
                 ey <= v[3] + 1e-9;
    cr_assert(inside, "the arrow stays in the view: (%g, %g)", ex, ey);
    cr_assert(on || fabs(hypot(da, db) - diag / 8) < 1e-9 * diag,
              "the arrow ends on the frame or is 1/8 of the diagonal: (%g, %g), length %g",
              ex, ey, hypot(da, db));
    cr_assert_leq(hypot(da, db), diag / 8 * (1 + 1e-12));
    free(s);
    lsc_trajectory_free(&t);
}

/* Issue 6, item 8: goldstein-price from (-168, -1.8), one run unclipped (its second row
 * is at 4e14: it diverged) and one clipped, drawn with xlim=-2:2. The overlap grid's cell
 * of the far point does not fit an int: converting it was undefined behaviour. On x86 the
 * conversion happened to give INT_MIN (so no wrong figure), which is why this test fails
 * only under clang's -fsanitize=float-cast-overflow (build with
 * -Db_sanitize=address,undefined, UBSAN_OPTIONS=halt_on_error=1). */
Test(data, far_diverged_points_do_not_overflow_the_overlap_grid)
{
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "goldstein-price");
    snprintf(t.schedule, sizeof t.schedule, "constant");
    t.steps = 200;
    for (int r = 0; r < 2; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(&t);
        cr_assert_not_null(R);
        snprintf(R->optimizer, sizeof R->optimizer, "sgd:lr=0.0001");
        snprintf(R->label, sizeof R->label, r ? "clipped" : "sgd");
        R->start[0] = -168;
        R->start[1] = -1.8;
        size_t m = r ? 201 : 2;
        cr_assert_eq(lsc_run_record_reserve(&t, R, m), LSC_OK);
        for (size_t k = 0; k < m; k++) {
            double x[2] = {-168 + 0.0097 * (double)k, -1.8 - 0.0026 * (double)k};
            if (!r && k == 1)
                x[0] = 4.387691704e14, x[1] = -1.170119491e14;
            lsc_run_record_push(&t, R, &(lsc_row){.step = (long)k, .lr = 1e-4, .loss = 1e19,
                                                  .grad_norm = 1e19, .dist = NAN, .x = x});
        }
        R->status = r ? LSC_STOP_MAX_STEPS : LSC_STOP_DIVERGED;
    }
    lsc_plot_opts o = opts("contour", P("gp.png"));
    set(&o, "xlim", "-2:2");
    set(&o, "grid", "30");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    cr_assert(exists(P("gp.png.paths.tsv")));
    lsc_trajectory_free(&t);
}

Test(data, diverged_run_inside_the_view_ends_in_a_cross)
{
    lsc_trajectory t;
    make_traj(&t, 31);
    /* run 2 stops (non-finite) inside the view: its last finite point gets the cross */
    lsc_run_record *R = &t.runs[2];
    R->len = 4;
    R->x[2 * 3] = NAN;
    lsc_plot_opts o = opts("contour", P("y.png"));
    set(&o, "grid", "20");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("y.png.gp"), NULL);
    cr_assert(strstr(s, "index 2 every ::2::2 using 2:3 with points lt"), "%s", s);
    cr_assert(strstr(s, "pt PT_DIVERGED"));
    cr_assert_null(strstr(s, "exits.tsv"));
    cr_assert(!exists(P("y.png.exits.tsv")));
    free(s);
    lsc_trajectory_free(&t);
}

/* A trajectory on himmelblau with the given optimizers, all from (0, 0), 11 rows. */
static void make_runs(lsc_trajectory *t, const char *const *specs, int n)
{
    lsc_trajectory_init(t, 2, 2, 0);
    snprintf(t->landscape, sizeof t->landscape, "himmelblau");
    t->steps = 10;
    for (int r = 0; r < n; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(t);
        snprintf(R->optimizer, sizeof R->optimizer, "%s", specs[r]);
        cr_assert_eq(lsc_run_record_reserve(t, R, 11), LSC_OK);
        for (int k = 0; k <= 10; k++) {
            double x[2] = {0.3 * k * cos(r), 0.3 * k * sin(r)};
            lsc_run_record_push(t, R, &(lsc_row){.step = k, .lr = 0.01, .loss = himmel(x[0], x[1]),
                                                 .grad_norm = 1, .dist = NAN, .x = x});
        }
        R->status = LSC_STOP_MAX_STEPS;
    }
}

Test(data, each_optimizer_type_keeps_its_colour)
{
    /* gd 1 (vermillion), momentum 2 (sky blue), adam 3 (black); a second momentum run
     * takes the free colour farthest from those: 4 (reddish purple); rmsprop's orange (5)
     * is too close to gd's vermillion: it takes the farthest free one, 7 (bluish green) */
    const char *specs[] = {"adam:lr=0.1", "momentum:lr=0.01", "momentum:lr=0.02",
                           "gd:lr=0.001", "rmsprop:lr=0.01"};
    const int want[] = {3, 2, 4, 1, 7};
    lsc_trajectory t;
    make_runs(&t, specs, 5);
    lsc_plot_opts o = opts("curves", P("c.png"));
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("c.png.gp"), NULL);
    for (int r = 0; r < 5; r++) {
        char needle[64];
        snprintf(needle, sizeof needle, "index %d using 1:2 with lines lt %d ", r, want[r]);
        cr_assert(strstr(s, needle), "run %d (%s): %s", r, specs[r], needle);
    }
    free(s);
    lsc_trajectory_free(&t);
}

Test(data, legend_names_what_differs_once)
{
    const char *specs[] = {"sgd:lr=0.1,label=cosine", "sgd:lr=0.1", "sgd:lr=0.1,label=clip 5"};
    lsc_trajectory t;
    make_runs(&t, specs, 3);
    snprintf(t.runs[0].label, sizeof t.runs[0].label, "cosine");
    snprintf(t.runs[0].schedule, sizeof t.runs[0].schedule, "cosine:T_max=1000,eta_min=0");
    snprintf(t.runs[1].schedule, sizeof t.runs[1].schedule, "cosine:T_max=1000,eta_min=0");
    t.runs[1].noise = 0.5;
    snprintf(t.runs[2].label, sizeof t.runs[2].label, "clip 5");
    t.runs[2].clip_norm = 5;
    lsc_plot_opts o = opts("curves", P("l.png"));
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("l.png.gp"), NULL);
    /* the label names the schedule: not repeated; noise and clipping differ between the
     * runs: said briefly */
    cr_assert(strstr(s, "title 'cosine, no noise, no clipping' noenhanced"), "%s", s);
    /* no label: the optimizer, then what differs (schedule short, noise, clipping) */
    cr_assert(strstr(s, "title 'sgd lr=0.1, cosine T_max=1000, noise 0.5, no clipping'"),
              "%s", s);
    /* the label says "clip": the clip is not repeated */
    cr_assert(strstr(s, "title 'clip 5, constant, no noise' noenhanced"), "%s", s);
    /* the caption does not name one schedule for all */
    cr_assert(strstr(s, "schedules per run"), "%s", s);
    cr_assert_null(strstr(strstr(s, "set multiplot"), "eta_min"), "defaults are not listed");
    free(s);
    lsc_trajectory_free(&t);
}

Test(data, eps_keeps_the_minima_the_runs_reach_apart)
{
    /* double-well: the deep minimum f = -1 at (-1, 0), the shallow one f = -0.5 at (1, 0)
     * (plots/gallery/04): a run ending in each. The shallow end must sit at least a decade
     * above the floor: f - f* = 0.5 >= 10 eps. */
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "double-well");
    t.steps = 1;
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("double-well", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    const double ends[2][2] = {{-1, 0}, {1, 0}};
    double fend[2];
    for (int r = 0; r < 2; r++) {
        lsc_run_record *R = lsc_trajectory_add_run(&t);
        snprintf(R->optimizer, sizeof R->optimizer, r ? "gd" : "momentum");
        lsc_run_record_reserve(&t, R, 2);
        double x0[2] = {2, 1};
        lsc_run_record_push(&t, R, &(lsc_row){.step = 0, .lr = 0.01, .loss = lsc_landscape_f(L, x0),
                                              .grad_norm = 1, .dist = NAN, .x = x0});
        fend[r] = lsc_landscape_f(L, ends[r]);
        lsc_run_record_push(&t, R, &(lsc_row){.step = 1, .lr = 0.01, .loss = fend[r],
                                              .grad_norm = 1, .dist = NAN, .x = ends[r]});
        R->status = LSC_STOP_MAX_STEPS;
    }
    cr_assert_float_eq(fend[1] - fend[0], 0.5, 0.05, "the two minima differ by about 0.5");
    lsc_plot_opts o = opts("contour", P("w.png"));
    set(&o, "log", "true");
    set(&o, "grid", "60");
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render(&t, L, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("w.png.gp"), NULL);
    double fmin, eps;
    char *q = strstr(s, "FMIN = ");
    cr_assert_not_null(q);
    cr_assert_eq(sscanf(q, "FMIN = %lf; EPS = %lf", &fmin, &eps), 2);
    cr_assert_leq(10 * eps, fend[1] - fmin, "eps %g hides the shallow minimum", eps);
    cr_assert_geq(eps, 1e-8 * 10, "eps stays within 1e-8 of the range");
    free(s);
    lsc_landscape_free(L);
    lsc_trajectory_free(&t);
}

Test(data, curves_of_a_coordinate_and_its_absolute_value)
{
    lsc_trajectory t;
    make_traj(&t, 41);
    lsc_plot_opts o = opts("curves", P("k.png"));
    set(&o, "curves", "x2, |x2|,absx1");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("k.png.gp"), NULL);
    /* x2 linear, |x2| and |x1| on log axes; labels y, |y|, |x| for a 2-D landscape */
    char *p1 = strstr(s, "# panel 1: x2"), *p2 = strstr(s, "# panel 2: |x2|");
    char *p3 = strstr(s, "# panel 3: absx1");
    cr_assert(p1 && p2 && p3);
    cr_assert(strstr(p1, "unset logscale y") < p2);
    cr_assert(strstr(p2, "set logscale y") < p3);
    cr_assert(strstr(p2, "set ylabel '|y|'") < p3);
    cr_assert(strstr(p3, "set ylabel '|x|'"));
    free(s);
    /* the data: run 0's coordinates, from the trajectory */
    FILE *f = fopen(P("k.png.curves.tsv"), "r");
    char line[256];
    int k = 0, block = 0, blank = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n') {
            block += ++blank == 2;
            continue;
        }
        blank = 0;
        long st;
        double a, b, c;
        if (block > 0 || line[0] == '#' ||
            sscanf(line, "%ld %lf %lf %lf", &st, &a, &b, &c) != 4)
            continue;
        const double *x = t.runs[0].x + 2 * st;
        cr_assert_float_eq(a, x[1], 1e-9 * (1 + fabs(x[1])), "x2 at step %ld", st);
        double ay = fabs(x[1]) > 0 ? fabs(x[1]) : b;
        cr_assert_float_eq(b, ay, 1e-9 * (1 + ay), "|x2| at step %ld", st);
        cr_assert_float_eq(c, fabs(x[0]), 1e-9 * (1 + fabs(x[0])), "|x1| at step %ld", st);
        k++;
    }
    fclose(f);
    cr_assert_eq(k, 41);
    lsc_trajectory_free(&t);
}

Test(fail, coordinate_panels_need_stored_positions)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    t.npos = 0;
    lsc_plot_opts o = opts("curves", P("n.png"));
    set(&o, "curves", "loss,|x1|");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "'|x1|' needs the runs' positions"), "%s", e.msg);
    cr_assert(strstr(e.msg, "positions=all"), "%s", e.msg);
    t.npos = 2;
    lsc_trajectory_free(&t);
}

Test(data, log_panels_draw_zeros_at_their_floor)
{
    lsc_trajectory t;
    make_traj(&t, 21);
    t.runs[2].status = LSC_STOP_MAX_STEPS;
    /* |grad f| exactly 0 at run 0's last rows: the axis stays logarithmic */
    for (size_t k = 15; k < t.runs[0].len; k++)
        t.runs[0].grad_norm[k] = 0;
    double floor_ = INFINITY;
    for (int r = 0; r < 3; r++)
        for (size_t k = 0; k < t.runs[r].len; k++)
            if (t.runs[r].grad_norm[k] > 0)
                floor_ = fmin(floor_, t.runs[r].grad_norm[k]);
    lsc_plot_opts o = opts("curves", P("z.png"));
    set(&o, "curves", "grad_norm");
    set(&o, "caption", "My caption");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("z.png.gp"), NULL);
    cr_assert(strstr(s, "set logscale y 10"), "log axis kept");
    /* the user's caption, then the note (it stays with a caption of one's own) */
    cr_assert(strstr(s, "'My caption. ‖∇f‖ = 0 drawn at"), "%s", s);
    cr_assert_null(strstr(s, "Made with losscape"), "no version in a user's caption");
    free(s);
    FILE *f = fopen(P("z.png.curves.tsv"), "r");
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        long st;
        double g;
        if (line[0] == '#' || sscanf(line, "%ld %lf", &st, &g) != 2)
            continue;
        cr_assert_gt(g, 0);
        if (n < 21 && st >= 15)
            cr_assert_float_eq(g, floor_, 1e-12, "zero drawn at the floor %g", floor_);
        n++;
    }
    fclose(f);
    lsc_trajectory_free(&t);
}

Test(data, a_run_that_blows_up_leaves_the_panel)
{
    lsc_trajectory t;
    make_traj(&t, 31);
    /* run 2: its loss grows to 1e94 (status diverged); the others keep the panel */
    lsc_run_record *R = &t.runs[2];
    for (size_t k = 0; k < R->len; k++)
        R->loss[k] = pow(10, 94.0 * (double)k / (double)(R->len - 1));
    double hi = 0;
    for (int r = 0; r < 2; r++)
        for (size_t k = 0; k < t.runs[r].len; k++)
            hi = fmax(hi, t.runs[r].loss[k]);
    lsc_plot_opts o = opts("curves", P("u.png"));
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("u.png.gp"), NULL);
    double ylo, yhi;
    char *q = strstr(s, "YLO = ");
    cr_assert_not_null(q, "a fixed range");
    cr_assert_eq(sscanf(q, "YLO = %lf; YHI = %lf", &ylo, &yhi), 2);
    cr_assert_leq(yhi, 100 * hi, "the range is the others' (%g), not 1e94", hi);
    cr_assert_geq(yhi, hi);
    /* the cross where it leaves: its first row above YHI (drawn a little inside the
     * frame, at YIN_HI) */
    int k = 0;
    while (k < (int)R->len && R->loss[k] <= yhi)
        k++;
    char want[80];
    snprintf(want, sizeof want, "index 2 every ::%d::%d using 1:($2 > YIN_HI ? YIN_HI", k, k);
    cr_assert(strstr(s, want), "%s", want);
    free(s);
    lsc_trajectory_free(&t);
}

Test(data, smooth_is_a_centred_moving_average)
{
    lsc_trajectory t;
    make_traj(&t, 31);
    lsc_plot_opts o = opts("curves", P("m.png"));
    set(&o, "curves", "loss,lr");
    set(&o, "smooth", "5");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    /* run 0, row 10: the geometric mean of f - f* over rows 8..12 (f* = 0: himmelblau) */
    const double *L = t.runs[0].loss;
    double lg = 0;
    for (int k = 8; k <= 12; k++)
        lg += log10(L[k]);
    double want = pow(10, lg / 5);
    FILE *f = fopen(P("m.png.curves.tsv"), "r");
    char line[256];
    int found = 0;
    while (fgets(line, sizeof line, f) && !found) {
        long st;
        double v, lr, sv, slr;
        if (line[0] == '#' || sscanf(line, "%ld %lf %lf %lf %lf", &st, &v, &lr, &sv, &slr) != 5)
            continue;
        if (st == 0) /* the first row is its own average */
            cr_assert_float_eq(sv, v, 1e-9 * v);
        if (st == 10) {
            cr_assert_float_eq(sv, want, 1e-8 * want, "%g vs %g", sv, want);
            found = 1;
        }
    }
    fclose(f);
    cr_assert(found);
    char *s = slurp(P("m.png.gp"), NULL);
    cr_assert(strstr(s, "moving average over 5"), "the caption says so");
    free(s);
    lsc_trajectory_free(&t);
}

/* The STEP[] array of an animation script. */
static int frame_steps_of(const char *s, long *st, int max)
{
    const char *p = strstr(s, "array STEP[NF] = [");
    cr_assert_not_null(p);
    p += strlen("array STEP[NF] = [");
    int n = 0;
    while (n < max && *p && *p != ']') {
        char *end;
        st[n++] = strtol(p, &end, 10);
        p = *end == ',' ? end + 1 : end;
    }
    return n;
}

Test(data, animation_frames_are_dense_where_runs_move_fast)
{
    lsc_trajectory t;
    make_traj(&t, 2001);
    t.runs[2].status = LSC_STOP_MAX_STEPS;
    lsc_error e = {0};
    long st[200];
    for (int pass = 0; pass < 2; pass++) {
        lsc_plot_opts o = opts("animation", P("a.gif"));
        set(&o, "grid", "20");
        set(&o, "frames", "50");
        set(&o, "frame_spacing", pass ? "linear" : "auto");
        set(&o, "no_render", "true");
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        char *s = slurp(P("a.gif.gp"), NULL);
        int n = frame_steps_of(s, st, 200);
        free(s);
        cr_assert_eq(n, 50);
        cr_assert_eq(st[0], 0);
        cr_assert_eq(st[n - 1], 2000);
        int early = 0;
        for (int k = 0; k < n; k++) {
            if (k)
                cr_assert_gt(st[k], st[k - 1], "frames step forward");
            early += st[k] <= 200;
        }
        if (pass == 0) /* log: evenly in log(1 + step/20): a third within the first tenth */
            cr_assert_geq(early, 15, "%d frames in the first 200 steps", early);
        else /* linear: steps 0, 40.8, 81.6, ...: 5 within the first 200 */
            cr_assert_eq(early, 5, "%d frames in the first 200 steps", early);
    }
    lsc_trajectory_free(&t);
}

Test(data, caption_clears_the_bottom_edge)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("b.png"));
    set(&o, "grid", "10");
    set(&o, "size", "800x600");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("b.png.gp"), NULL);
    /* automatic caption, then the version as its own sentence */
    cr_assert(strstr(s, "seed 7. Made with losscape "), "%s", s);
    /* the last line's anchor (the text's middle) at least 0.9 em (font 10 pt, 1.33 px a
     * point) above the bottom edge, so descenders (0.58 em) clear it */
    char *q = strstr(s, "set label 90 ");
    cr_assert_not_null(q);
    q = strstr(q, "at screen 0.012, screen ");
    double y;
    cr_assert_eq(sscanf(q, "at screen 0.012, screen %lf", &y), 1);
    cr_assert_geq(y * 600, 0.9 * 10 * 96 / 72, "anchor %g px above the edge", y * 600);
    free(s);
    lsc_trajectory_free(&t);
}

/* A model's caption says how its batches were drawn: full batch, or the batch size, the
 * sampling and drop_last, and the epochs when the budget was given in epochs. */
Test(data, caption_names_the_batches)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("curves", P("s.png"));
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("s.png.gp"), NULL);
    cr_assert_null(strstr(s, "batch"), "a landscape without data: %s", s);
    free(s);
    snprintf(t.data, sizeof t.data, "circle:n=400");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("s.png.gp"), NULL);
    cr_assert(strstr(s, ", full batch, "), "%s", s);
    free(s);
    t.batch_size = 16;
    t.sampling = LSC_SAMPLE_REPLACE;
    t.drop_last = 1;
    t.epochs = 2;
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("s.png.gp"), NULL);
    char want[96];
    snprintf(want, sizeof want, ", batches of 16 (replace, drop_last), %ld steps (2 epochs)",
             t.steps);
    cr_assert(strstr(s, want), "%s", s);
    free(s);
    lsc_trajectory_free(&t);
}

/* The automatic caption names every stop condition that is on (issue 8, item 7), and none
 * when all are off (a stop_loss of 0 is a level, so on). */
Test(data, caption_names_the_stop_conditions)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("s.png"));
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("s.png.gp"), NULL);
    cr_assert_null(strstr(s, "(stop at"), "%s", s);
    free(s);
    t.stop_grad = 1e-6;
    t.stop_loss = 0;
    t.stop_dist = 2.5;
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("s.png.gp"), NULL);
    cr_assert(strstr(s, " (stop at |grad f| <= 1e-06 or f <= 0 or |x - x_start| >= 2.5),"),
              "%s", s);
    free(s);
    t.stop_grad = 0;
    t.stop_dist = 0;
    t.stop_loss = -0.5;
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("s.png.gp"), NULL);
    cr_assert(strstr(s, " (stop at f <= -0.5),"), "%s", s);
    free(s);
    /* runs merged from files that differ in steps, a stop condition and the seed
     * (lsc_trajectory_merge marks them): the largest budget, no one stop clause or seed */
    t.mixed = 1ULL << (lsc_driver_option_find("steps") - lsc_driver_options) |
              1ULL << (lsc_driver_option_find("stop_dist") - lsc_driver_options) |
              1ULL << (lsc_driver_option_find("seed") - lsc_driver_options);
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    s = slurp(P("s.png.gp"), NULL);
    char want[64];
    snprintf(want, sizeof want, ", up to %ld steps (stop conditions per file).", t.steps);
    cr_assert(strstr(s, want), "%s", s);
    cr_assert_null(strstr(s, ", seed "), "%s", s);
    free(s);
    lsc_trajectory_free(&t);
}

/* ---- escaping --------------------------------------------------------------------------------- */

TestSuite(escape, .init = setup_dir, .fini = teardown_dir);
TestSuite(latex, .init = setup_dir, .fini = teardown_dir);

/* The lines of the script that mention `needle`. */
static int count_lines_with(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

Test(escape, script_quotes_user_text)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    snprintf(t.runs[0].label, sizeof t.runs[0].label, "it's `date` @x \\");
    lsc_plot_opts o = opts("contour", P("e.png"));
    set(&o, "grid", "10");
    set(&o, "title", "a'b\nset output 'evil'\n\"c\" `touch X` @m \\");
    set(&o, "caption", "cap'tion\\");
    set(&o, "xlabel", "x_1^2 {y}");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("e.png.gp"), NULL);
    cr_assert(strstr(s, "set multiplot title 'a'.\"'\".'b set output '.\"'\".'evil'.\"'\".' \"c\" "
                        "`touch X` @m \\' noenhanced"), "title line");
    cr_assert_eq(count_lines_with(s, "\nset output 'evil'"), 0, "newline injection");
    cr_assert(strstr(s, "title 'it'.\"'\".'s `date` @x \\' noenhanced"), "run label");
    cr_assert(strstr(s, "set label 90 'cap'.\"'\".'tion\\' at screen"), "caption");
    cr_assert(strstr(s, "set xlabel 'x_1^2 {y}' noenhanced"), "markup stays literal");
    /* no double-quoted string holds user text: every \" in the script is ours */
    cr_assert_eq(count_lines_with(s, "`touch X`"), 1);
    free(s);
    lsc_trajectory_free(&t);
}

Test(escape, latex_specials_for_tex)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("t.tex"));
    set(&o, "grid", "10");
    set(&o, "title", "50% of $x_1 & {a}#~^\\");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("t.tex.gp"), NULL);
    cr_assert(strstr(s, "set multiplot title '\\fontsize{10}{12}\\selectfont 50\\% of \\$x\\_1 "
                        "\\& \\{a\\}\\#\\textasciitilde{}\\textasciicircum{}\\textbackslash{}' "
                        "noenhanced"), "tex title");
    free(s);
    lsc_trajectory_free(&t);
}

/* In a .tex figure $...$ is math, passed to LaTeX as written (issue 8, item 10); every
 * other character is escaped as before, and so is math that could do more than typeset
 * (files, definitions, ^^ notation, unbalanced braces, $$). gnuplot's quoting holds inside
 * math too. */
Test(escape, latex_math_passes_through)
{
    static const char *cases[][2] = {
        {"step size $\\eta_t$ at 50%", "step size $\\eta_t$ at 50\\%"},
        {"$\\|\\nabla f(x)\\|$ and $a$", "$\\|\\nabla f(x)\\|$ and $a$"},
        {"$a%b#c&d$", "$a\\%b\\#c\\&d$"},
        {"$a\\%b$", "$a\\%b$"},
        {"$f'(x)$", "$f'.\"'\".'(x)$"},
        {"costs \\$5 and $x$", "costs \\$5 and $x$"},
        {"$$", "\\$\\$"},
        {"$\\input{/etc/passwd}$", "\\$\\textbackslash{}input\\{/etc/passwd\\}\\$"},
        {"$\\def\\x{1}$", "\\$\\textbackslash{}def\\textbackslash{}x\\{1\\}\\$"},
        {"$^^5cinput$", "\\$\\textasciicircum{}\\textasciicircum{}5cinput\\$"},
        {"$}{$", "\\$\\}\\{\\$"},
        {"$a$ & $b", "$a$ \\& \\$b"},
        {"a < b | c > d", "a \\textless{} b \\textbar{} c \\textgreater{} d"},
    };
    lsc_trajectory t;
    make_traj(&t, 11);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lsc_plot_opts o = opts("curves", P("m.tex"));
        set(&o, "title", cases[i][0]);
        set(&o, "no_render", "true");
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        char *s = slurp(P("m.tex.gp"), NULL);
        char want[512];
        snprintf(want, sizeof want, "set multiplot title '\\fontsize{10}{12}\\selectfont %s' "
                 "noenhanced", cases[i][1]);
        cr_expect(strstr(s, want), "title [%s]: want %s", cases[i][0], want);
        free(s);
    }
    /* math is math only in .tex: a PNG prints the dollars */
    lsc_plot_opts o = opts("curves", P("m.png"));
    set(&o, "title", "$\\eta$");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("m.png.gp"), NULL);
    cr_expect(strstr(s, "set multiplot title '$\\eta$' noenhanced"));
    free(s);
    lsc_trajectory_free(&t);
}

/* A quote inside math ends nothing: gnuplot runs no command from a .tex figure's title or
 * label, with or without dollars. */
Test(escape, gnuplot_executes_nothing_from_tex_math)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 11);
    char title[600];
    snprintf(title, sizeof title, "$'.system('touch %s').'$ $x$", P("PWNED1"));
    cr_assert_lt(strlen(P("P2")), 40);
    snprintf(t.runs[0].label, sizeof t.runs[0].label, "$'.system('touch %.40s').'$", P("P2"));
    lsc_plot_opts o = opts("contour", P("q.tex"));
    set(&o, "grid", "20");
    set(&o, "title", title);
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    cr_assert(!exists(P("PWNED1")) && !exists(P("P2")), "gnuplot ran a command");
    char *tex = slurp(P("q.tex"), NULL);
    cr_assert(tex && strstr(tex, ".system("), "the title is in the figure, as text");
    free(tex);
    lsc_trajectory_free(&t);
}

Test(escape, gnuplot_executes_nothing)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 11);
    char pw1[300], pw2[300], pw3[300], title[1024], label[64];
    snprintf(pw1, sizeof pw1, "%s", P("PWNED1"));
    snprintf(pw2, sizeof pw2, "%s", P("PWNED2"));
    snprintf(pw3, sizeof pw3, "%s", P("P3"));
    snprintf(title, sizeof title, "'); system(\"touch %s\"); # `touch %s` @x", pw1, pw2);
    cr_assert_lt(strlen(pw3), 40);
    snprintf(label, sizeof label, "'.system('touch %.40s').'", pw3);
    snprintf(t.runs[1].label, sizeof t.runs[1].label, "%s", label);
    lsc_plot_opts o = opts("contour", P("it's a \"fig\".svg"));
    set(&o, "grid", "20");
    set(&o, "size", "400x300");
    set(&o, "title", title);
    lsc_error e = {0};
    int rc = lsc_plot_render(&t, NULL, &o, &e);
    cr_assert_eq(rc, LSC_OK, "%s", e.msg);
    cr_assert(!exists(pw1) && !exists(pw2) && !exists(pw3), "gnuplot ran a command");
    /* the text arrived literally in the figure */
    char *svg = slurp(P("it's a \"fig\".svg"), NULL);
    cr_assert_not_null(svg, "the quoted file name was used as given");
    cr_assert(strstr(svg, "system(") && strstr(svg, "`touch "), "title drawn literally");
    cr_assert(strstr(svg, ".system("), "label drawn literally");
    free(svg);
    cr_assert_eq(leftovers(), 0, "temporary files left behind");
    lsc_trajectory_free(&t);
}

/* gnuplot is given only names losscape made: a wrapper in place of gnuplot records its
 * arguments. The figure still appears under the (legal but awkward) name asked for. */
Test(escape, gnuplot_never_sees_the_output_name)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 11);
    char wrapper[300], log[300];
    snprintf(wrapper, sizeof wrapper, "%s", P("gp-wrapper.sh"));
    snprintf(log, sizeof log, "%s", P("gp-args.txt"));
    FILE *f = fopen(wrapper, "w");
    fprintf(f, "#!/bin/sh\nprintf '%%s\\n' \"$PWD\" \"$@\" > '%s'\nexec gnuplot \"$@\"\n", log);
    fclose(f);
    chmod(wrapper, 0755);
    static const char *names[] = {"a;b 'c' $(x) `y`.png", "w x+y.tex"};
    for (int k = 0; k < 2; k++) {
        lsc_plot_opts o = opts("contour", P(names[k]));
        set(&o, "grid", "20");
        set(&o, "size", "400x320");
        set(&o, "gnuplot", wrapper);
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s: %s", names[k], e.msg);
        char *args = slurp(log, NULL);
        cr_assert_not_null(args);
        cr_assert(strstr(args, k ? "OUT='lsc-image.tex'" : "OUT='lsc-image.png'"),
                  "OUT is a name losscape made:\n%s", args);
        cr_assert(!strstr(args, k ? "x+y" : "a;b"), "gnuplot saw the user's name:\n%s", args);
        cr_assert(!strstr(args, tdir), "gnuplot ran in the figure's directory:\n%s", args);
        free(args);
        cr_assert(exists(P(names[k])), "%s rendered", names[k]);
    }
    /* cairolatex: the PDF is renamed too, and the .tex names it */
    char *tex = slurp(P("w x+y.tex"), NULL);
    cr_assert(strstr(tex, "]{w x+y.tex.pdf}}") && !strstr(tex, "lsc-image"), "includegraphics");
    free(tex);
    char *pdf = slurp(P("w x+y.tex.pdf"), NULL);
    cr_assert(pdf && !strncmp(pdf, "%PDF", 4));
    free(pdf);
    cr_assert_eq(leftovers(), 0);
    lsc_trajectory_free(&t);
}

/* Names gnuplot would read as a pipe, an option or a data block are refused, when set and
 * when the options were filled in directly; a real gnuplot run would create PWNED. */
Test(escape, hostile_output_names_are_refused)
{
    static const char *bad[] = {"|cd ..;touch PWNED;x.png", "<x.png", "-x.png", "$x.png",
                                " x.png", "d/|e/x.png", "|touch PWNED", "x\n.png",
                                "a%b.tex", "a\\input{b}.tex"};
    lsc_trajectory t;
    make_traj(&t, 11);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        lsc_plot_opts o;
        lsc_plot_opts_default(&o);
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_opts_set(&o, "out", bad[k], &e), LSC_EINVAL, "[%s]", bad[k]);
        cr_assert(strstr(e.msg, "allowed") || strstr(e.msg, "not allowed"), "%s", e.msg);
        cr_assert_eq(lsc_plot_opts_set(&o, "base", bad[k], &e), LSC_EINVAL, "[%s]", bad[k]);
        snprintf(o.out, sizeof o.out, "%s/%s", tdir, bad[k]);
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL, "render [%s]: %s", bad[k],
                     e.msg);
    }
    if (have_gnuplot()) {
        /* a relative name, from inside tdir, as the audit's command line had it */
        char cwd[512];
        cr_assert_not_null(getcwd(cwd, sizeof cwd));
        cr_assert_eq(chdir(tdir), 0);
        lsc_plot_opts o;
        lsc_plot_opts_default(&o);
        snprintf(o.out, sizeof o.out, "|cd ..;touch PWNED;x.png");
        lsc_error e = {0};
        int rc = lsc_plot_render(&t, NULL, &o, &e);
        cr_assert_eq(chdir(cwd), 0);
        cr_assert_eq(rc, LSC_EINVAL, "%s", e.msg);
    }
    listing l;
    list_dir(&l);
    cr_assert_eq(l.n, 0, "a file appeared: %s", l.name[0]);
    char up[600];
    snprintf(up, sizeof up, "%s/../PWNED", tdir);
    cr_assert(!exists(up) && !exists("PWNED"), "gnuplot ran the name as a command");
    lsc_trajectory_free(&t);
}

Test(escape, awkward_titles_print_literally)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 11);
    static const char *titles[] = {"'",        "''",          "'''x",     "x'",
                                   "\\",       "`echo hi`",   "@FRAME",   "a\"b\"",
                                   "$(id) %s", "x'.system('id').'"};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        lsc_plot_opts o = opts("curves", P("d.txt"));
        set(&o, "dumb", "true");
        set(&o, "size", "90x30");
        set(&o, "title", titles[i]);
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "title [%s]: %s", titles[i],
                     e.msg);
        char *txt = slurp(P("d.txt"), NULL);
        cr_assert(strstr(txt, titles[i]), "title [%s] not printed as given:\n%s", titles[i],
                  txt);
        free(txt);
    }
    cr_assert_eq(leftovers(), 0);
    lsc_trajectory_free(&t);
}

/* ---- LaTeX: every kind of .tex figure compiled into an article (issue 8, item 10) --------- */

/* pdflatex (Debian: texlive-latex-base) and pdftotext (poppler-utils). With
 * LSC_REQUIRE_LATEX set (CI: .ci/run) their absence fails: ./setup.sh test installs them. */
static int have_latex(void)
{
    static int cached = -1;
    if (cached < 0) {
        char *a[] = {"pdflatex", "--version", NULL}, *b[] = {"pdftotext", "-v", NULL};
        cached = run(a) == 0 && run(b) == 0;
    }
    return cached;
}

#define NEED_LATEX()                                                                      \
    do {                                                                                  \
        NEED_GNUPLOT();                                                                   \
        if (!have_latex()) {                                                              \
            if (getenv("LSC_REQUIRE_LATEX"))                                              \
                cr_assert_fail("pdflatex or pdftotext missing in CI (./setup.sh test "    \
                               "installs texlive-latex-base and poppler-utils)");         \
            cr_skip_test("pdflatex or pdftotext is not installed (apt install "           \
                         "texlive-latex-base poppler-utils): .tex figures not compiled"); \
        }                                                                                 \
    } while (0)

/* A word of the PDF's text, as pdftotext -bbox gives it: its box in points (y down). */
typedef struct {
    double x0, y0, x1, y1;
    char w[64];
} pdf_word;

typedef struct {
    pdf_word w[400];
    int n;
    double left, right; /* the figure's sides on the page */
} pdf_page;

/* FIG.tex \input into a plain article, in a paragraph of its own (so indented by \parindent,
 * 15 pt), after a line "L ... R" whose letters mark the text block's sides: compiled with
 * pdflatex, which must succeed without an overfull box; the words of page 1 into pg, and
 * the figure's sides (the indent from L, its width from the .tex). */
static void latex_compile(const char *fig, pdf_page *pg)
{
    char tex[512], base[128], pdf[160], html[160];
    cr_assert_lt(strlen(fig), 64);
    snprintf(base, sizeof base, "doc-%.*s", (int)strcspn(fig, "."), fig); /* doc-c0 */
    snprintf(tex, sizeof tex, "%s/%s.tex", tdir, base);
    FILE *f = fopen(tex, "w");
    cr_assert_not_null(f);
    fprintf(f, "\\documentclass{article}\n\\usepackage{graphicx}\n\\usepackage{color}\n"
               "\\begin{document}\n\\noindent L\\hfill R\\par\n\\input{%s}\n\\end{document}\n",
            fig);
    fclose(f);
    char cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(tdir), 0); /* cairolatex's \includegraphics names the PDF relatively */
    snprintf(pdf, sizeof pdf, "%s.pdf", base);
    snprintf(html, sizeof html, "%s.html", base);
    char *latex[] = {"pdflatex", "-interaction=nonstopmode", "-halt-on-error", base, NULL};
    char *text[] = {"pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, html, NULL};
    int rc = run(latex), rc2 = rc == 0 ? run(text) : -1;
    cr_assert_eq(chdir(cwd), 0);
    char logp[512];
    snprintf(logp, sizeof logp, "%s/%s.log", tdir, base);
    char *log = slurp(logp, NULL);
    cr_assert_eq(rc, 0, "%s: pdflatex failed (%s)", fig, logp);
    cr_assert_not_null(log);
    char *over = strstr(log, "Overfull \\hbox");
    cr_assert_null(over, "%s: %.120s", fig, over);
    free(log);
    cr_assert_eq(rc2, 0, "%s: pdftotext failed", fig);
    /* the words */
    char hp[512];
    snprintf(hp, sizeof hp, "%s/%s", tdir, html);
    char *h = slurp(hp, NULL);
    cr_assert_not_null(h);
    memset(pg, 0, sizeof *pg);
    for (char *p = h; pg->n < 400 && (p = strstr(p, "<word xMin=\"")); p++) {
        pdf_word *w = &pg->w[pg->n];
        if (sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%63[^<]", &w->x0,
                   &w->y0, &w->x1, &w->y1, w->w) == 5)
            pg->n++;
    }
    free(h);
    /* the figure: from L plus the paragraph indent (15 pt = 14.94 bp), as wide as the
     * picture cairolatex wrote */
    double lx = -1, fw = 0;
    for (int i = 0; i < pg->n; i++)
        if (!strcmp(pg->w[i].w, "L"))
            lx = pg->w[i].x0;
    char fp[512];
    snprintf(fp, sizeof fp, "%s/%s", tdir, fig);
    char *ft = slurp(fp, NULL);
    char *g = ft ? strstr(ft, "\\includegraphics[width={") : NULL;
    cr_assert(g && sscanf(g, "\\includegraphics[width={%lfbp}", &fw) == 1, "%s: no picture", fig);
    free(ft);
    cr_assert_geq(lx, 0, "%s: no L on the page", fig);
    pg->left = lx + 14.94;
    pg->right = pg->left + fw;
}

/* The figure's words (not L, R or the page number): inside the figure, none on another,
 * and each of want[] among them. */
static void latex_check(const char *fig, const pdf_page *pg, const char *const *want)
{
    int nf = 0;
    const pdf_word *fw[400];
    for (int i = 0; i < pg->n; i++) {
        const pdf_word *w = &pg->w[i];
        if (!strcmp(w->w, "L") || !strcmp(w->w, "R") || (w->y0 > 600 && !strcmp(w->w, "1")))
            continue;
        fw[nf++] = w;
        cr_expect(w->x0 >= pg->left - 0.5 && w->x1 <= pg->right + 0.5,
                  "%s: '%s' at x %.1f .. %.1f, outside the figure (%.1f .. %.1f)", fig, w->w,
                  w->x0, w->x1, pg->left, pg->right);
    }
    for (int i = 0; i < nf; i++)
        for (int j = i + 1; j < nf; j++) {
            double dx = fmin(fw[i]->x1, fw[j]->x1) - fmax(fw[i]->x0, fw[j]->x0);
            double dy = fmin(fw[i]->y1, fw[j]->y1) - fmax(fw[i]->y0, fw[j]->y0);
            cr_expect(dx <= 0.5 || dy <= 0.5, "%s: '%s' and '%s' overlap (%.1f x %.1f pt)",
                      fig, fw[i]->w, fw[j]->w, dx, dy);
        }
    for (; want && *want; want++) {
        int found = 0;
        for (int i = 0; i < nf; i++)
            found |= !strcmp(fw[i]->w, *want);
        cr_expect(found, "%s: no '%s' in the PDF's text", fig, *want);
    }
}

static const pdf_word *latex_word(const pdf_page *pg, const char *w)
{
    for (int i = 0; i < pg->n; i++)
        if (!strcmp(pg->w[i].w, w))
            return &pg->w[i];
    return NULL;
}

/* The sizes every kind is compiled at: the default (4.5 in wide: the text width of an
 * article, indent included) and one column of a two-column paper. */
static const char *const latex_sizes[2] = {NULL, "3.4in,2.5in"};

static void latex_figure(const char *kind, const char *fig, const char *size,
                         const lsc_trajectory *t, const char *const *extra)
{
    lsc_plot_opts o = opts(kind, P(fig));
    if (size)
        set(&o, "size", size);
    for (; extra && *extra; extra += 2)
        set(&o, extra[0], extra[1]);
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(t, NULL, &o, &e), LSC_OK, "%s: %s", fig, e.msg);
}

Test(latex, contour)
{
    NEED_LATEX();
    lsc_trajectory t;
    make_traj(&t, 61);
    /* the x label with math: it passes through; x, y and f(x) of the colour box */
    static const char *const extra[] = {"grid", "60", "xlabel", "$\\theta_1$ weight", NULL};
    static const char *const want[] = {"θ", "weight", "y", "(x)", NULL};
    for (int s = 0; s < 2; s++) {
        const char *fig = s ? "c1.tex" : "c0.tex";
        pdf_page pg;
        latex_figure("contour", fig, latex_sizes[s], &t, extra);
        latex_compile(fig, &pg);
        latex_check(fig, &pg, want);
    }
    lsc_trajectory_free(&t);
}

Test(latex, surface)
{
    NEED_LATEX();
    lsc_trajectory t;
    make_traj(&t, 61);
    static const char *const extra[] = {"grid", "30", NULL};
    static const char *const want[] = {"x", "y", "(x)", NULL};
    for (int s = 0; s < 2; s++) {
        const char *fig = s ? "s1.tex" : "s0.tex";
        pdf_page pg;
        latex_figure("surface", fig, latex_sizes[s], &t, extra);
        latex_compile(fig, &pg);
        latex_check(fig, &pg, want);
    }
    lsc_trajectory_free(&t);
}

/* curves: a y label on each panel (the learning rate's names η), the step label clear of
 * the key below it (a legend entry once struck through it) */
Test(latex, curves)
{
    NEED_LATEX();
    lsc_trajectory t;
    make_traj(&t, 61);
    static const char *const extra[] = {"curves", "loss,lr", NULL};
    static const char *const want[] = {"step", "η", "f", "heavy", NULL};
    for (int s = 0; s < 2; s++) {
        const char *fig = s ? "k1.tex" : "k0.tex";
        pdf_page pg;
        latex_figure("curves", fig, latex_sizes[s], &t, extra);
        latex_compile(fig, &pg);
        latex_check(fig, &pg, want);
        const pdf_word *step = latex_word(&pg, "step");
        static const char *const keys[] = {"adam", "heavy", "ball", "sgd", "diverged"};
        for (size_t k = 0; step && k < sizeof keys / sizeof keys[0]; k++) {
            const pdf_word *w = latex_word(&pg, keys[k]);
            cr_expect(w && w->y0 > step->y1 + 1, "%s: key entry '%s' (y %.1f) not below the "
                      "step label (y %.1f .. %.1f)", fig, keys[k], w ? w->y0 : -1, step->y0,
                      step->y1);
        }
    }
    lsc_trajectory_free(&t);
}

Test(latex, slice)
{
    NEED_LATEX();
    lsc_trajectory t;
    make_traj3(&t);
    static const char *const extra[] = {"grid", "40", NULL};
    static const char *const want[] = {"PC1", "PC2", "α", NULL};
    for (int s = 0; s < 2; s++) {
        const char *fig = s ? "l1.tex" : "l0.tex";
        pdf_page pg;
        latex_figure("slice", fig, latex_sizes[s], &t, extra);
        latex_compile(fig, &pg);
        latex_check(fig, &pg, want);
    }
    lsc_trajectory_free(&t);
}

Test(latex, basins)
{
    NEED_LATEX();
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_run_opts ro = {0};
    ro.steps = 200;
    const char *specs[] = {"gd:lr=0.01", "adam:lr=0.05"};
    static const char *const want[] = {"x", "y", "minimum", NULL};
    for (int s = 0; s < 2; s++) {
        const char *fig = s ? "b1.tex" : "b0.tex";
        lsc_plot_opts o = opts("basins", P(fig));
        set(&o, "basin_n", "12");
        if (latex_sizes[s])
            set(&o, "size", latex_sizes[s]);
        cr_assert_eq(basins_figure(L, specs, 2, &ro, &o, &e), LSC_OK, "%s", e.msg);
        pdf_page pg;
        latex_compile(fig, &pg);
        latex_check(fig, &pg, want);
    }
    lsc_landscape_free(L);
}

/* Tick labels are measured over a panel's range: values far from zero that differ in
 * their last bits (1e20 and the next double) give a tick step so small against them that
 * counting the ticks by adding 1 to 5e16 would never end. The figure is made, in a .png
 * and a .tex. */
Test(golden, ticks_of_a_range_far_from_zero, .timeout = 20)
{
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "himmelblau");
    t.steps = 20;
    lsc_run_record *R = lsc_trajectory_add_run(&t);
    snprintf(R->optimizer, sizeof R->optimizer, "gd:lr=0.01");
    R->start[0] = 1e20, R->start[1] = 0;
    cr_assert_eq(lsc_run_record_reserve(&t, R, 21), LSC_OK);
    for (int k = 0; k <= 20; k++) {
        double x[2] = {k % 2 ? nextafter(1e20, 1e21) : 1e20, k % 2 ? -1e20 : nextafter(-1e20, 0)};
        lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = 0.01, .loss = 1, .grad_norm = 1,
                                              .dist = NAN, .x = x});
    }
    R->status = LSC_STOP_MAX_STEPS;
    for (int i = 0; i < 2; i++) {
        lsc_plot_opts o = opts("curves", P(i ? "far.tex" : "far.png"));
        set(&o, "curves", "x1,x2");
        set(&o, "no_render", "true");
        lsc_error e = {0};
        cr_expect_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    }
    lsc_trajectory_free(&t);
}

/* size= takes inches and centimetres for the vector formats, exactly; a PNG refuses them */
Test(opts, size_in_inches_and_cm)
{
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    set(&o, "size", "3.4in,2.5in");
    cr_expect(o.size_in[0] == 3.4 && o.size_in[1] == 2.5 && o.width == 0 && o.height == 0);
    set(&o, "size", "8.636cmx6.35cm");
    cr_expect(fabs(o.size_in[0] - 3.4) < 1e-12 && fabs(o.size_in[1] - 2.5) < 1e-12);
    set(&o, "size", "640x480");
    cr_expect(o.size_in[0] == 0 && o.width == 640 && o.height == 480);
    static const char *bad[] = {"3in,200", "3in", "0.1in,2in", "300in,2in", "3inx", "xin,2in",
                                "3mm,2mm"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lsc_error e = {0};
        cr_expect_eq(lsc_plot_opts_set(&o, "size", bad[i], &e), LSC_EINVAL, "size=%s", bad[i]);
        cr_expect(strstr(e.msg, "inches or cm"), "size=%s: %s", bad[i], e.msg);
    }
    lsc_trajectory t;
    make_traj(&t, 11);
    setup_dir();
    o = opts("curves", P("i.tex"));
    set(&o, "size", "3.4in,2.5in");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *s = slurp(P("i.tex.gp"), NULL);
    cr_expect(strstr(s, "set terminal cairolatex pdf size 3.4in,2.5in "), "tex terminal size");
    free(s);
    o = opts("curves", P("i.png"));
    set(&o, "size", "3.4in,2.5in");
    cr_expect_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL, "a png in inches");
    cr_expect(strstr(e.msg, "size") && strstr(e.msg, "pixels"), "%s", e.msg);
    teardown_dir();
    lsc_trajectory_free(&t);
}

/* The default .tex figure fits an article's text width: 4.5 in wide (with the paragraph
 * indent, under the 345 pt of article at 10 pt) for every kind that sizes itself. */
Test(latex, default_width_fits_an_article, .init = setup_dir, .fini = teardown_dir)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    static const char *kinds[] = {"contour", "surface", "curves"};
    for (size_t i = 0; i < 3; i++) {
        lsc_plot_opts o = opts(kinds[i], P("w.tex"));
        set(&o, "no_render", "true");
        if (i < 2)
            set(&o, "grid", "20");
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        char *s = slurp(P("w.tex.gp"), NULL);
        double w = 0;
        char *p = strstr(s, "cairolatex pdf size ");
        cr_assert(p && sscanf(p, "cairolatex pdf size %lfin", &w) == 1);
        cr_expect(w * 72.27 + 15 <= 345, "%s: %g in wide, with the indent over 345 pt",
                  kinds[i], w);
        cr_expect(strstr(s, "header '\\fontsize{9}{10.8}\\selectfont'"),
                  "%s: the text size is not set for LaTeX", kinds[i]);
        free(s);
    }
    lsc_trajectory_free(&t);
}

/* ---- failures -------------------------------------------------------------------------------- */

TestSuite(fail, .init = setup_dir, .fini = teardown_dir);

Test(fail, gnuplot_missing)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("m.png"));
    set(&o, "grid", "10");
    set(&o, "gnuplot", "/nonexistent/gnuplot");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EEXTERNAL);
    cr_assert(strstr(e.msg, "apt-get install gnuplot-nox"), "%s", e.msg);
    cr_assert(strstr(e.msg, "m.png.gp") && strstr(e.msg, "no_render"),
              "names the script and how to get it: %s", e.msg);
    cr_assert(!exists(P("m.png.gp")) && !exists(P("m.png.grid.f32")) && !exists(P("m.png.paths.tsv")),
              "a failed call writes nothing");
    cr_assert(!exists(P("m.png")));
    cr_assert_eq(leftovers(), 0);
    lsc_trajectory_free(&t);
}

Test(fail, gnuplot_error_keeps_old_image)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 11);
    FILE *f = fopen(P("bad.gp.style"), "w");
    fputs("set linetype 1 lc rgb '#000000'\nthis is not gnuplot\n", f);
    fclose(f);
    f = fopen(P("k.png"), "w");
    fputs("OLD", f);
    fclose(f);
    lsc_plot_opts o = opts("contour", P("k.png"));
    set(&o, "grid", "10");
    set(&o, "style", P("bad.gp.style"));
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EEXTERNAL);
    cr_assert(strstr(e.msg, "gnuplot failed on") && strstr(e.msg, "k.png.gp"), "%s", e.msg);
    cr_assert(strstr(e.msg, "line"), "gnuplot's own message: %s", e.msg);
    char *img = slurp(P("k.png"), NULL);
    cr_assert_str_eq(img, "OLD", "a failed render leaves the previous image alone");
    free(img);
    cr_assert_eq(leftovers(), 0);
    lsc_trajectory_free(&t);
}

typedef struct {
    char kind[16], out[40], key[16], value[32], expect[48];
    int code;
} bad_render;

ParameterizedTestParameters(fail, bad_options)
{
    static bad_render cases[] = {
        {"contour", "fig.jpg", "", "", "unknown image type", LSC_EINVAL},
        {"contour", "", "", "", "an image file is needed", LSC_EINVAL},
        {"animation", "fig.png", "", "", "written as .gif", LSC_EINVAL},
        {"surface", "", "dumb", "true", "cannot be drawn with characters", LSC_EINVAL},
        {"curves", "fig.png", "curves", "loss,gradnorm", "did you mean 'grad_norm'",
         LSC_EINVAL},
        {"curves", "fig.png", "curves", "loss,loss", "repeated panel", LSC_EINVAL},
        {"curves", "fig.png", "curves", " ", "no panel", LSC_EINVAL},
        {"curves", "fig.png", "curves", "loss,|x3|", "is not in the trajectory", LSC_EINVAL},
        {"curves", "fig.png", "curves", "absx0", "(allowed: 1 to 2)", LSC_EINVAL},
        {"curves", "fig.png", "curves", "|x2|,absx2", "repeated panel", LSC_EINVAL},
        {"curves", "fig.png", "curves", "|y|", "|xK| or absxK", LSC_EINVAL},
        {"slice", "fig.png", "slice", "axes:1,1", "two different", LSC_EINVAL},
        {"slice", "fig.png", "slice", "pcb", "allowed: axes:I,J, random, pca", LSC_EINVAL},
        {"slice", "fig.png", "center", "1;2;3", "2 finite numbers", LSC_EINVAL},
        {"contour", "/nonexistent-dir/fig.png", "", "", "does not exist", LSC_EINVAL},
        {"contour", "fig\n.png", "", "", "control characters", LSC_EINVAL},
        {"contour", "fig.png", "style", "/nonexistent/style.gp", "cannot read", LSC_EINVAL},
        {"contour", "fig.png", "style", "/tmp", "is a directory", LSC_EINVAL},
        {"contour", "|fig.png", "", "", "starting with '|'", LSC_EINVAL},
    };
    return cr_make_param_array(bad_render, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_render *c, fail, bad_options)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    t.runs[2].status = LSC_STOP_MAX_STEPS;
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    set(&o, "kind", c->kind);
    char out[600];
    snprintf(out, sizeof out, "%s%s%s", c->out[0] && c->out[0] != '/' ? tdir : "",
             c->out[0] && c->out[0] != '/' ? "/" : "", c->out);
    snprintf(o.out, sizeof o.out, "%s", out);
    o.grid = 10; /* assigned, not set: curves does not take grid= */
    set(&o, "no_render", "true");
    if (c->key[0])
        set(&o, c->key, c->value);
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), c->code, "%s: %s", c->expect, e.msg);
    cr_assert(strstr(e.msg, c->expect), "'%s' lacks '%s'", e.msg, c->expect);
    lsc_trajectory_free(&t);
}

Test(fail, kind_needs_2d_or_trajectory)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("sphere", 5, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_plot_opts o = opts("contour", P("n.png"));
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render(NULL, L, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "kind=slice"), "%s", e.msg);
    o = opts("curves", P("n.png"));
    cr_assert_eq(lsc_plot_render(NULL, L, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "needs a trajectory"), "%s", e.msg);
    lsc_landscape_free(L);
}

/* ---- all-or-nothing: a failed call leaves the directory as it was ------------------------- */

/* The style file must exist before anything is written (it used to fail after the data
 * files were in place). */
Test(fail, missing_style_writes_nothing)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("s.png"));
    set(&o, "grid", "10");
    set(&o, "style", P("no-such-style.gp"));
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL, "%s", e.msg);
    cr_assert(strstr(e.msg, "style") && strstr(e.msg, "no-such-style.gp"), "%s", e.msg);
    listing l;
    list_dir(&l);
    cr_assert_eq(l.n, 0, "%d files written, e.g. %s", l.n, l.name[0]);
    lsc_trajectory_free(&t);
}

/* A render that fails in gnuplot, or finds no gnuplot, changes nothing: the files of the
 * previous render keep their inode and mtime, and no file is added. */
Test(fail, failed_render_leaves_the_directory_as_it_was)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_plot_opts o = opts("contour", P("k.png"));
    set(&o, "grid", "10");
    set(&o, "size", "400x320");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    FILE *f = fopen(P("bad.style"), "w");
    fputs("this is not gnuplot\n", f);
    fclose(f);
    listing before, after;
    list_dir(&before);
    cr_assert_geq(before.n, 5, "k.png, k.gp and data");
    o = opts("contour", P("k.png"));
    set(&o, "grid", "12");
    set(&o, "style", P("bad.style"));
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EEXTERNAL, "%s", e.msg);
    cr_assert(strstr(e.msg, "nothing was written"), "%s", e.msg);
    list_dir(&after);
    same_listing(&before, &after, "gnuplot failed");
    o = opts("contour", P("k.png"));
    set(&o, "grid", "12");
    set(&o, "gnuplot", "/nonexistent/gnuplot");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EEXTERNAL, "%s", e.msg);
    list_dir(&after);
    same_listing(&before, &after, "gnuplot missing");
    lsc_trajectory_free(&t);
}

/* A commit group: the files of several figures appear together or not at all. */
Test(fail, group_is_all_or_nothing)
{
    lsc_trajectory t;
    make_traj(&t, 11);
    lsc_error e = {0};
    lsc_plot_group *g = lsc_plot_group_new();
    cr_assert_not_null(g);
    lsc_plot_opts a = opts("contour", P("a.png"));
    set(&a, "grid", "10");
    set(&a, "no_render", "true");
    a.group = g;
    cr_assert_eq(lsc_plot_render(&t, NULL, &a, &e), LSC_OK, "%s", e.msg);
    cr_assert(!exists(P("a.png.gp")) && !exists(P("a.png.grid.f32")), "in place before the commit");
    lsc_plot_opts b = opts("curves", P("b.png"));
    set(&b, "curves", "loss,x7"); /* found while the figure is made: coordinate 7 */
    set(&b, "no_render", "true");
    b.group = g;
    cr_assert_eq(lsc_plot_render(&t, NULL, &b, &e), LSC_EINVAL);
    lsc_plot_group_abort(g);
    listing l;
    list_dir(&l);
    cr_assert_eq(l.n, 0, "%d files left by a failed group, e.g. %s", l.n, l.name[0]);

    /* the same out twice in one group is refused; a good group commits everything */
    g = lsc_plot_group_new();
    a.group = g;
    cr_assert_eq(lsc_plot_render(&t, NULL, &a, &e), LSC_OK, "%s", e.msg);
    lsc_plot_opts a2 = a;
    cr_assert_eq(lsc_plot_render(&t, NULL, &a2, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "written twice"), "%s", e.msg);
    b = opts("curves", P("b.png"));
    set(&b, "no_render", "true");
    b.group = g;
    cr_assert_eq(lsc_plot_render(&t, NULL, &b, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_plot_group_commit(g, &e), LSC_OK, "%s", e.msg);
    cr_assert(exists(P("a.png.gp")) && exists(P("a.png.grid.f32")) && exists(P("b.png.gp")) &&
              exists(P("b.png.curves.tsv")));
    cr_assert_eq(leftovers(), 0);
    lsc_trajectory_free(&t);
}

/* ---- rendering with gnuplot ------------------------------------------------------------------ */

TestSuite(render, .init = setup_dir, .fini = teardown_dir);

static void render_png(const char *kind, const char *extra_k, const char *extra_v, int w, int h,
                       lsc_trajectory *t, pixstats *ps)
{
    NEED_GNUPLOT();
    lsc_plot_opts o = opts(kind, P("r.png"));
    char size[32];
    snprintf(size, sizeof size, "%dx%d", w, h);
    set(&o, "size", size);
    o.grid = 60; /* assigned, not set: curves does not take grid= */
    if (extra_k)
        set(&o, extra_k, extra_v);
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    int gw, gh;
    cr_assert_eq(png_size(P("r.png"), &gw, &gh), 0, "not a PNG");
    cr_assert_eq(gw, w);
    cr_assert_eq(gh, h);
    const int probe[2][3] = {{VERMILLION[0], VERMILLION[1], VERMILLION[2]},
                             {SKY_BLUE[0], SKY_BLUE[1], SKY_BLUE[2]}};
    cr_assert_eq(png_pixels(P("r.png"), probe, 2, ps), 0);
    cr_assert_eq(ps->total, (long)w * h);
    cr_assert_eq(leftovers(), 0);
}

Test(render, contour_png)
{
    lsc_trajectory t;
    make_traj(&t, 101);
    pixstats ps;
    render_png("contour", "quiver", "true", 640, 560, &t, &ps);
    /* a colour map (many colours), not mostly white, and both runs' colours present */
    cr_assert_gt(ps.distinct, 300, "%ld colours", ps.distinct);
    cr_assert_lt(ps.white, ps.total * 3 / 4, "%ld of %ld white", ps.white, ps.total);
    cr_assert_gt(ps.near[0], 40, "run 1 (sgd: vermillion) drawn: %ld pixels", ps.near[0]);
    cr_assert_gt(ps.near[1], 40, "run 2 (the second sgd run: sky blue) drawn: %ld pixels",
                 ps.near[1]);
    lsc_trajectory_free(&t);
}

Test(render, curves_png)
{
    lsc_trajectory t;
    make_traj(&t, 101);
    pixstats ps;
    render_png("curves", "curves", "loss,grad_norm", 500, 600, &t, &ps);
    cr_assert_gt(ps.near[0], 100, "run 1 curve (vermillion): %ld", ps.near[0]);
    cr_assert_gt(ps.near[1], 30, "run 2 curve (sky blue, diverged at a third): %ld",
                 ps.near[1]);
    cr_assert_gt(ps.white, ps.total / 2, "curves on a white page");
    lsc_trajectory_free(&t);
}

Test(render, surface_png)
{
    lsc_trajectory t;
    make_traj(&t, 101);
    pixstats ps;
    render_png("surface", NULL, NULL, 500, 400, &t, &ps);
    cr_assert_gt(ps.distinct, 300);
    cr_assert_lt(ps.white, ps.total * 9 / 10, "%ld of %ld white", ps.white, ps.total);
    cr_assert_gt(ps.near[0], 20);
    lsc_trajectory_free(&t);
}

Test(render, slice_png)
{
    lsc_trajectory t;
    make_traj3(&t);
    pixstats ps;
    render_png("slice", "slice", "random", 700, 360, &t, &ps);
    cr_assert_gt(ps.distinct, 300);
    cr_assert_gt(ps.near[0], 40, "run 0 path and line");
    lsc_trajectory_free(&t);
}

Test(render, basins_png)
{
    NEED_GNUPLOT();
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    lsc_plot_opts o = opts("basins", P("b.png"));
    set(&o, "basin_n", "12");
    set(&o, "size", "400x460");
    lsc_run_opts ro = {0};
    ro.steps = 300;
    const char *specs[] = {"gd:lr=0.01"};
    cr_assert_eq(basins_figure(L, specs, 1, &ro, &o, &e), LSC_OK, "%s", e.msg);
    int w, h;
    cr_assert_eq(png_size(P("b.png"), &w, &h), 0);
    cr_assert_eq(w, 400);
    cr_assert_eq(h, 460);
    /* four basins, in four Okabe-Ito colours, each about a quarter of the map (himmelblau's
     * basins are of similar size), the map a good part of the picture */
    const int probe[4][3] = {{0xD5, 0x5E, 0x00}, {0x00, 0x72, 0xB2}, {0x00, 0x9E, 0x73},
                             {0xE6, 0x9F, 0x00}};
    pixstats ps;
    cr_assert_eq(png_pixels(P("b.png"), probe, 4, &ps), 0);
    long sum = 0;
    for (int k = 0; k < 4; k++)
        sum += ps.near[k];
    cr_assert_gt(sum, ps.total / 15, "the basins take %ld of %ld pixels", sum, ps.total);
    for (int k = 0; k < 4; k++)
        cr_assert_gt(ps.near[k], sum / 8, "basin colour %d: %ld of %ld", k, ps.near[k], sum);
    lsc_landscape_free(L);
}

Test(render, animation_gif)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 101);
    lsc_plot_opts o = opts("animation", P("a.gif"));
    set(&o, "grid", "40");
    set(&o, "frames", "5");
    set(&o, "delay", "50");
    set(&o, "size", "320x280");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    int w, h, frames;
    cr_assert_eq(gif_info(P("a.gif"), &w, &h, &frames), 0, "not a GIF");
    cr_assert_eq(w, 320);
    cr_assert_eq(h, 280);
    cr_assert_eq(frames, 5 + 2, "5 frames, the last held 1 s (2 more at 0.5 s)");
    lsc_trajectory_free(&t);
}

Test(render, svg_pdf_tex_and_dumb)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 101);
    lsc_error e = {0};
    lsc_plot_opts o = opts("contour", P("v.svg"));
    set(&o, "grid", "40");
    set(&o, "size", "500x400");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *svg = slurp(P("v.svg"), NULL);
    cr_assert(strstr(svg, "width=\"500\" height=\"400\""), "svg size");
    cr_assert_gt(count_lines_with(svg, "<path"), 20, "contour lines and paths");
    cr_assert(strstr(svg, "<image"), "the colour map");
    free(svg);

    o = opts("curves", P("v.pdf"));
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *pdf = slurp(P("v.pdf"), NULL);
    cr_assert(!strncmp(pdf, "%PDF", 4));
    free(pdf);

    o = opts("contour", P("w.tex"));
    set(&o, "grid", "30");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *tex = slurp(P("w.tex"), NULL);
    cr_assert(strstr(tex, "\\includegraphics") && strstr(tex, "{w.tex.pdf}"),
              "tex includes w.tex.pdf");
    cr_assert(exists(P("w.tex.pdf")) && !exists(P("w.pdf")), "the graphic is the figure's own");
    free(tex);

    o = opts("curves", P("d.txt"));
    set(&o, "dumb", "true");
    set(&o, "size", "80x30");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *txt = slurp(P("d.txt"), NULL);
    cr_assert(strstr(txt, "Himmelblau") && strstr(txt, "heavy ball"), "%s", txt);
    cr_assert_eq(leftovers(), 0);
    free(txt);
    lsc_trajectory_free(&t);
}

/* A text of an SVG that gnuplot wrote: where it is anchored, its size and anchoring. */
typedef struct {
    double x, y, fs;
    int rotated, anchor; /* anchor: -1 start, 0 middle, 1 end */
    char text[128];
} svg_text;

/* Every text of svg (gnuplot's form: <g transform="translate(X,Y) [rotate(-90)]" ...
 * font-size="S" text-anchor="A"> <text><tspan ...>TEXT</tspan>); at most max. */
static int svg_texts(const char *svg, svg_text *out, int max)
{
    int n = 0;
    for (const char *p = svg; n < max && (p = strstr(p, "<g transform=\"translate(")); p++) {
        svg_text *t = &out[n];
        memset(t, 0, sizeof *t);
        if (sscanf(p, "<g transform=\"translate(%lf,%lf)", &t->x, &t->y) != 2)
            continue;
        const char *end = strchr(p, '>'), *fs = strstr(p, "font-size=\""),
                   *an = strstr(p, "text-anchor=\""), *ts = strstr(p, "<tspan");
        if (!end || !fs || fs > end || !ts)
            continue;
        const char *next = strstr(p + 1, "<g ");
        if (next && ts > next)
            continue; /* a group without text */
        t->fs = atof(fs + 11);
        t->rotated = strstr(p, "rotate(") && strstr(p, "rotate(") < end;
        t->anchor = an && an < end ? (!strncmp(an + 13, "start", 5) ? -1
                                      : !strncmp(an + 13, "end", 3) ? 1 : 0) : -1;
        const char *gt = strchr(ts, '>');
        if (!gt || sscanf(gt + 1, "%127[^<]", t->text) != 1)
            continue;
        n++;
    }
    return n;
}

/* The colour box's label stays on the canvas, right of the box's tick labels, when the
 * start lies outside the landscape's box (issue 8, item 14): a view twice as wide as
 * tall (Goldstein-Price, start (-3.9, 0), box [-2, 2]^2) with tick labels like "2.5e+07"
 * pushed gnuplot's own placement of "f(x)" off the right edge. Checked in the SVG gnuplot
 * draws, at two sizes. */
Test(render, colour_label_on_the_canvas)
{
    NEED_GNUPLOT();
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("goldstein-price", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    snprintf(t.landscape, sizeof t.landscape, "goldstein-price");
    t.steps = 40;
    lsc_run_record *R = lsc_trajectory_add_run(&t);
    snprintf(R->optimizer, sizeof R->optimizer, "adam:lr=0.1");
    R->start[0] = -3.9, R->start[1] = 0;
    cr_assert_eq(lsc_run_record_reserve(&t, R, 41), LSC_OK);
    for (int k = 0; k <= 40; k++) {
        double x[2] = {-3.9 + 1.7 * k / 40.0, -2.1 * k / 40.0};
        lsc_run_record_push(&t, R, &(lsc_row){.step = k, .lr = 0.1, .loss = lsc_landscape_f(L, x),
                                              .grad_norm = 1, .dist = NAN, .x = x});
    }
    R->status = LSC_STOP_MAX_STEPS;
    static const char *sizes[] = {"920x760", "500x400"};
    for (int i = 0; i < 2; i++) {
        lsc_plot_opts o = opts("contour", P("cb.svg"));
        set(&o, "grid", "60");
        set(&o, "log", "false");
        set(&o, "size", sizes[i]);
        cr_assert_eq(lsc_plot_render(&t, L, &o, &e), LSC_OK, "%s", e.msg);
        char *svg = slurp(P("cb.svg"), NULL);
        double W = atof(sizes[i]);
        static svg_text tx[200];
        int n = svg_texts(svg, tx, 200);
        int lab = -1;
        for (int k = 0; k < n; k++)
            if (!strcmp(tx[k].text, "f(x)") && tx[k].rotated)
                lab = k;
        cr_assert_geq(lab, 0, "%s: no rotated 'f(x)' label in the SVG", sizes[i]);
        /* rotated: the glyphs reach about 0.75 em left of the anchor (ascenders) and
         * 0.3 em right (descenders, gnuplot's vertical centring) */
        double lx = tx[lab].x, fs = tx[lab].fs;
        cr_expect(lx + 0.3 * fs <= W && lx - 0.75 * fs >= 0, "%s: 'f(x)' at x = %g, canvas %g",
                  sizes[i], lx, W);
        /* right of the colour box's tick labels (numbers, anchored at their start, right
         * of the map): at most 0.7 em a character */
        int ticks = 0;
        for (int k = 0; k < n; k++) {
            if (tx[k].rotated || tx[k].anchor != -1 || tx[k].x < 0.6 * W ||
                !strpbrk(tx[k].text, "0123456789"))
                continue;
            ticks++;
            double right = tx[k].x + 0.7 * tx[k].fs * (double)strlen(tx[k].text);
            cr_expect(right < lx - 0.75 * fs, "%s: tick label '%s' reaches %g, the label "
                      "starts at %g", sizes[i], tx[k].text, right, lx - 0.75 * fs);
        }
        cr_expect_geq(ticks, 3, "%s: %d colour-box tick labels found", sizes[i], ticks);
        free(svg);
    }
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

/* Every file goes through outfile.h: an existing file keeps its mode, a new one honours
 * the umask, a symbolic link stays a link (its target gets the image), and a device is
 * written in place, never replaced. */
Test(render, outputs_keep_links_modes_and_devices)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 21);
    lsc_error e = {0};
    FILE *f = fopen(P("m.png"), "w");
    fputs("OLD", f);
    fclose(f);
    cr_assert_eq(chmod(P("m.png"), 0604), 0);
    cr_assert_eq(symlink("target.png", P("l.png")), 0);
    cr_assert_eq(symlink("/dev/null", P("n.png")), 0);
    mode_t old = umask(027);
    static const char *outs[] = {"m.png", "l.png", "n.png"};
    for (int k = 0; k < 3; k++) {
        lsc_plot_opts o = opts("contour", P(outs[k]));
        set(&o, "grid", "20");
        set(&o, "size", "400x320");
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s: %s", outs[k], e.msg);
    }
    umask(old);
    struct stat st;
    int w, h;
    cr_assert_eq(stat(P("m.png"), &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0604, "the old mode is kept: %o", st.st_mode & 07777);
    cr_assert_eq(png_size(P("m.png"), &w, &h), 0, "m.png replaced by the figure");
    cr_assert_eq(stat(P("m.png.gp"), &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640, "a new file honours the umask: %o",
                 st.st_mode & 07777);
    cr_assert_eq(lstat(P("l.png"), &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link is kept");
    cr_assert_eq(png_size(P("target.png"), &w, &h), 0, "its target is the figure");
    cr_assert_eq(lstat(P("n.png"), &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/null is still a device");
    cr_assert_eq(leftovers(), 0);
    lsc_trajectory_free(&t);
}

Test(render, hand_rerender_from_another_directory)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 51);
    lsc_plot_opts o = opts("contour", P("h.png"));
    set(&o, "grid", "30");
    set(&o, "size", "300x260");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    /* `gnuplot DIR/h.gp` from / finds the data next to the script */
    char script[600];
    snprintf(script, sizeof script, "%s", P("h.png.gp"));
    char cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir("/"), 0);
    char *argv[] = {"gnuplot", script, NULL};
    int rc = run(argv);
    cr_assert_eq(chdir(cwd), 0);
    cr_assert_eq(rc, 0);
    int w, h;
    cr_assert_eq(png_size(P("h.png"), &w, &h), 0);
    cr_assert_eq(w, 300);
    lsc_trajectory_free(&t);
}

/* CPU seconds of this process and of the children it waited for (gnuplot): unlike wall
 * time, not inflated by other jobs on a shared machine. */
static double cpu_seconds(void)
{
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
                    kids.ru_stime.tv_sec) +
           1e-6 * (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec +
                           kids.ru_utime.tv_usec + kids.ru_stime.tv_usec);
}

Test(render, contour_400_grid_is_fast)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 1001);
    lsc_plot_opts o = opts("contour", P("f.png"));
    set(&o, "grid", "400");
    lsc_error e = {0};
    double c0 = cpu_seconds();
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    double s = cpu_seconds() - c0;
    /* about 0.2 s of CPU on the development machine (bench (d) measures it); the bound
     * only catches a regression by an order of magnitude. CPU time, not wall time: a busy
     * machine (load 40) stretched the wall time past 3 s. */
    cr_assert_lt(s, 3.0, "contour with a 400x400 grid took %.2f s of CPU", s);
    lsc_trajectory_free(&t);
}

/* ---- basins: computed apart from the figure (basins.h) ------------------------------------- */

static int recorded_rows, progress_calls;

static int count_row(void *user, int run_index, const lsc_row *row, lsc_error *err)
{
    (void)user, (void)run_index, (void)row, (void)err;
    recorded_rows++;
    return 0;
}

static void count_progress(void *user, int run_index, long done, long steps)
{
    (void)user, (void)run_index, (void)done, (void)steps;
    progress_calls++;
}

Test(basins, classes_and_starts)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    lsc_run_opts ro = {0};
    ro.steps = 300;
    const char *specs[] = {"gd:lr=0.01", "gd:lr=0.2"};
    const double xl[2] = {-5, 5}, yl[2] = {NAN, NAN};
    lsc_basins b;
    cr_assert_eq(lsc_basins_compute(&b, L, specs, 2, &ro, xl, yl, 6, 0, &e), LSC_OK, "%s",
                 e.msg);
    cr_assert_eq(b.n, 6);
    cr_assert_eq(b.nopt, 2);
    cr_assert_eq(b.ncp, lsc_landscape_ncritical(L));
    cr_assert_eq(b.nclass, b.ncp + 2);
    cr_assert_eq(b.steps, 300);
    cr_assert_str_eq(b.schedule, "");
    /* the box: xlim given, y from the landscape; tol 1% of its diagonal */
    double lo[2], hi[2];
    lsc_landscape_box(L, lo, hi);
    cr_assert_eq(b.box[0], -5);
    cr_assert_eq(b.box[1], 5);
    cr_assert_eq(b.box[2], lo[1]);
    cr_assert_eq(b.box[3], hi[1]);
    cr_assert_float_eq(b.tol, 0.01 * hypot(10, hi[1] - lo[1]), 1e-12);
    double x[2];
    lsc_basins_start(&b, 0, 5, x);
    cr_assert_float_eq(x[0], -5 + 10.0 / 12, 1e-12, "cell centre");
    cr_assert_float_eq(x[1], hi[1] - (hi[1] - lo[1]) / 12, 1e-12);
    /* every start has a class; the counts add up; the classes are in order */
    long total = 0;
    for (int k = 0; k < b.nclass; k++)
        total += b.classes[k].count;
    cr_assert_eq(total, 2 * 6 * 6);
    for (int q = 0; q < 2 * 6 * 6; q++)
        cr_assert(b.grid[q] >= 0 && b.grid[q] < b.nclass);
    cr_assert_eq(b.classes[b.ncp].outcome, LSC_BASIN_NOT_CONVERGED);
    cr_assert_eq(b.classes[b.ncp + 1].outcome, LSC_BASIN_DIVERGED);
    for (int k = 0; k < b.ncp; k++)
        cr_assert_eq(b.classes[k].outcome, LSC_BASIN_CRITICAL);
    /* gd with lr 0.01 from a start next to a minimum ends there; lr 0.2 diverges */
    int near = 0;
    for (int j = 0; j < 6; j++)
        for (int i = 0; i < 6; i++) {
            lsc_basins_start(&b, i, j, x);
            int k = b.grid[(size_t)j * 6 + i];
            if (k < b.ncp && b.classes[k].kind == LSC_CP_MIN)
                near++;
            cr_assert_eq(b.grid[(size_t)(6 + j) * 6 + i], b.ncp + 1, "lr 0.2 at (%g, %g)",
                         x[0], x[1]);
        }
    cr_assert_geq(near, 30, "gd reaches a minimum from most starts (%d)", near);
    cr_assert_str_eq(b.opt[1].spec, "gd:lr=0.2");
    cr_assert_str_eq(b.opt[1].type, "gd");
    cr_assert_str_eq(b.opt[1].label, "gd");
    cr_assert(strstr(b.opt[1].describe, "weight_decay="), "%s", b.opt[1].describe);
    lsc_basins_free(&b);
    lsc_basins_free(&b); /* twice is fine */
    lsc_landscape_free(L);
}

/* The driver options of `losscape run` carry a recorder (the trajectory stream) and a
 * progress display: the basins' runs call neither (they would write each basin run into
 * the trajectory, and leave the record empty), and classify the same as without them. */
Test(basins, ignore_recorder_and_progress)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    cr_assert_not_null(L, "%s", e.msg);
    const char *specs[] = {"momentum:lr=0.005"};
    const double nolim[2] = {NAN, NAN};
    lsc_run_opts plain = {0};
    plain.steps = 100;
    plain.every = 1;
    lsc_run_opts cb = plain;
    cb.record = count_row;
    cb.progress = count_progress;
    lsc_basins a, b;
    cr_assert_eq(lsc_basins_compute(&a, L, specs, 1, &plain, nolim, nolim, 5, 0, &e), LSC_OK,
                 "%s", e.msg);
    recorded_rows = progress_calls = 0;
    cr_assert_eq(lsc_basins_compute(&b, L, specs, 1, &cb, nolim, nolim, 5, 0, &e), LSC_OK,
                 "%s", e.msg);
    cr_assert_eq(recorded_rows, 0, "the recorder took %d rows", recorded_rows);
    cr_assert_eq(progress_calls, 0);
    cr_assert_eq(memcmp(a.grid, b.grid, 25 * sizeof *a.grid), 0, "same classes");
    cr_assert_lt(a.classes[a.ncp].count, 25, "not every start 'not converged'");
    lsc_basins_free(&a);
    lsc_basins_free(&b);
    lsc_landscape_free(L);
}

Test(basins, bad_arguments)
{
    lsc_error e = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "test", &e);
    lsc_landscape *L3 = lsc_landscape_new("sphere", 3, "test", &e);
    cr_assert(L && L3, "%s", e.msg);
    lsc_run_opts ro = {0};
    ro.steps = 10;
    const double nolim[2] = {NAN, NAN}, empty[2] = {1, 1};
    const char *good[] = {"adam"}, *bad[] = {"adam", "adma:lr=0.1"};
    lsc_basins b;
    cr_assert_eq(lsc_basins_compute(&b, L, bad, 2, &ro, nolim, nolim, 4, 0, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "basins optimizer 2"), "%s", e.msg);
    cr_assert(b.grid == NULL && b.opt == NULL && b.nopt == 0, "nothing kept");
    lsc_basins_free(&b);
    cr_assert_eq(lsc_basins_compute(&b, L3, good, 1, &ro, nolim, nolim, 4, 0, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "2-D"), "%s", e.msg);
    cr_assert_eq(lsc_basins_compute(&b, L, good, 1, &ro, nolim, nolim, 1, 0, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "2 to 1000"), "%s", e.msg);
    cr_assert_eq(lsc_basins_compute(&b, L, good, 1, &ro, empty, nolim, 4, 0, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "empty"), "%s", e.msg);
    cr_assert_eq(lsc_basins_compute(&b, L, good, 0, &ro, nolim, nolim, 4, 0, &e), LSC_EINVAL);
    /* drawn on another landscape than computed */
    lsc_landscape *Lb = lsc_landscape_new("booth", 0, "test", &e);
    cr_assert_not_null(Lb, "%s", e.msg);
    cr_assert_eq(lsc_basins_compute(&b, L, good, 1, &ro, nolim, nolim, 4, 0, &e), LSC_OK,
                 "%s", e.msg);
    lsc_plot_opts o;
    lsc_plot_opts_default(&o);
    cr_assert_eq(lsc_plot_render_basins(&b, Lb, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "another landscape"), "%s", e.msg);
    lsc_basins_free(&b);
    lsc_landscape_free(Lb);
    lsc_landscape_free(L);
    lsc_landscape_free(L3);
}

/* ---- the plot module's structure: kinds in one registry, layers that point one way --------- */

Test(kinds, registry)
{
    /* every lsc_plot_kind has its kind type, in order; the option kind= lists them all */
    char syntax[256] = "";
    for (int k = 0; k < LSC_PLOT_NKINDS; k++) {
        const plot_kind_type *K = plot_kind_get((lsc_plot_kind)k);
        cr_assert_not_null(K, "kind %d", k);
        cr_assert_eq(plot_kinds[k], K);
        cr_assert_eq((int)K->id, k, "%s", K->name);
        cr_assert_str_eq(lsc_plot_kind_name((lsc_plot_kind)k), K->name);
        cr_assert_not_null(K->emit, "%s", K->name);
        cr_assert(K->summary && K->summary[0], "%s", K->name);
        cr_assert(K->flags & (PLOT_NEEDS_TRAJECTORY | PLOT_NEEDS_LANDSCAPE), "%s draws something",
                  K->name);
        size_t l = strlen(syntax);
        snprintf(syntax + l, sizeof syntax - l, "%s%s", k ? "|" : "", K->name);
    }
    cr_assert_null(plot_kinds[LSC_PLOT_NKINDS], "NULL-terminated");
    cr_assert_null(plot_kind_get((lsc_plot_kind)LSC_PLOT_NKINDS));
    cr_assert_null(plot_kind_get((lsc_plot_kind)-1));
    cr_assert_str_eq(lsc_plot_keys[0].key, "kind");
    cr_assert_str_eq(lsc_plot_keys[0].syntax, syntax);
}

/* Every option a kind names is in the option table; every option is read by every figure
 * or named by some kind; an option's help that names a kind ("curves: ...") belongs to it. */
Test(kinds, keys_are_options)
{
    static const char *const common[] = {"kind", "out", "base", "size", "font", "dumb",
                                         "gnuplot", "style", "title", "caption", "xlabel",
                                         "ylabel", "no_render"};
    const int ncommon = (int)(sizeof common / sizeof common[0]);
    for (int i = 0; i < lsc_plot_nkeys; i++) {
        const char *key = lsc_plot_keys[i].key;
        int used = 0;
        for (int q = 0; q < ncommon; q++)
            used |= !strcmp(key, common[q]);
        for (int k = 0; k < LSC_PLOT_NKINDS; k++) {
            const plot_kind_type *K = plot_kinds[k];
            int takes = 0;
            for (const char *const *kk = K->keys; kk && *kk; kk++)
                takes |= !strcmp(*kk, key);
            used |= takes;
            char prefix[64];
            snprintf(prefix, sizeof prefix, "%s: ", K->name);
            if (!strncmp(lsc_plot_keys[i].help, prefix, strlen(prefix)))
                cr_assert(takes, "%s: its help names kind %s, which does not take it", key,
                          K->name);
        }
        cr_assert(used, "option %s: read by no figure kind", key);
    }
    for (int k = 0; k < LSC_PLOT_NKINDS; k++)
        for (const char *const *kk = plot_kinds[k]->keys; kk && *kk; kk++) {
            int found = 0;
            for (int i = 0; i < lsc_plot_nkeys; i++)
                found |= !strcmp(*kk, lsc_plot_keys[i].key);
            cr_assert(found, "kind %s: key %s is not an option", plot_kinds[k]->name, *kk);
        }
}

/* The layers of src/plot (ctx.h): a file includes only plot headers of its level or below,
 * and only registry.c and a kind's own file name a kind's type: the shared pieces reach the
 * kinds through the registry alone. */
static int plot_level(const char *file)
{
    static const struct {
        const char *stem;
        int level;
    } lv[] = {{"ctx", 0},     {"names", 0},  {"kind", 1},    {"files", 1},   {"gif", 1},     {"gnuplot", 2},
              {"runs", 2},    {"grid", 2},   {"script", 3},  {"heading", 3}, {"tex", 3},   {"text", 3},   {"style", 3},
              {"legend", 4},  {"paths", 5},  {"map", 6},     {"points", 6},  {"contour", 7}, {"surface", 7},
              {"curves", 7},  {"animation", 7}, {"slice", 7}, {"basins", 7}, {"data", 7},
              {"decision", 7}, {"layers", 7}, {"series", 7}, {"heat", 7},
              {"registry", 7},
              {"options", 8}, {"render", 8}};
    char stem[64];
    snprintf(stem, sizeof stem, "%s", file);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    for (size_t i = 0; i < sizeof lv / sizeof lv[0]; i++)
        if (!strcmp(stem, lv[i].stem))
            return lv[i].level;
    return -1;
}

Test(kinds, layers_point_one_way)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/src/plot", LSC_SOURCE_ROOT);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    struct dirent *e;
    int nfiles = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 3 || (strcmp(e->d_name + n - 2, ".c") && strcmp(e->d_name + n - 2, ".h")))
            continue;
        int level = plot_level(e->d_name);
        cr_assert_geq(level, 0, "src/plot/%s: not in the list of layers (ctx.h)", e->d_name);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = slurp(path, NULL);
        cr_assert_not_null(text);
        for (char *p = strstr(text, "#include \""); p; p = strstr(p + 1, "#include \"")) {
            char inc[64];
            if (sscanf(p, "#include \"%63[^\"]\"", inc) != 1)
                continue;
            int il = plot_level(inc);
            if (il < 0)
                continue; /* outside the plot module */
            cr_assert_leq(il, level, "src/plot/%s (level %d) includes %s (level %d)",
                          e->d_name, level, inc, il);
        }
        for (int k = 0; k < LSC_PLOT_NKINDS; k++) {
            char sym[64], own[64];
            snprintf(sym, sizeof sym, "plot_kind_%s", plot_kinds[k]->name);
            snprintf(own, sizeof own, "%s.c", plot_kinds[k]->name);
            if (strcmp(e->d_name, "registry.c") && strcmp(e->d_name, own))
                cr_assert_null(strstr(text, sym), "src/plot/%s names %s", e->d_name, sym);
        }
        free(text);
        nfiles++;
    }
    closedir(d);
    cr_assert_geq(nfiles, 20);
}

/* Every data file a script reads (DIR.'name') is there next to it, whatever the options:
 * quiver= asks for arrows, which only contour and animation draw (a slice script once read
 * a FIG.quiver.tsv nobody wrote). */
Test(kinds, scripts_read_only_files_written, .init = setup_dir, .fini = teardown_dir)
{
    static const char *const kinds[] = {"contour", "surface", "curves", "animation", "slice"};
    for (size_t q = 0; q < sizeof kinds / sizeof kinds[0]; q++) {
        lsc_trajectory t;
        make_traj(&t, 60);
        char out[64], gp[80];
        snprintf(out, sizeof out, "%s.%s", kinds[q], strcmp(kinds[q], "animation") ? "png"
                                                                                   : "gif");
        snprintf(gp, sizeof gp, "%s.gp", out);
        lsc_plot_opts o = opts(kinds[q], P(out));
        /* assigned, not set: a kind refuses an option it does not read when it is set */
        o.quiver = 1;
        snprintf(o.slice, sizeof o.slice, "axes:1,2");
        set(&o, "no_render", "true");
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s: %s", kinds[q], e.msg);
        char *s = slurp(P(gp), NULL);
        cr_assert_not_null(s, "%s", gp);
        int refs = 0;
        for (char *p = strstr(s, "DIR.'"); p; p = strstr(p + 1, "DIR.'")) {
            char name[256];
            if (sscanf(p + 5, "%255[^']", name) != 1 || !strcmp(name, out))
                continue; /* OUT's default: the image, made by gnuplot */
            cr_assert(exists(P(name)), "%s reads %s, which was not written", gp, name);
            refs++;
        }
        cr_assert_gt(refs, 0, "%s", gp);
        free(s);
        lsc_trajectory_free(&t);
    }
}

/* gnuplot's log scale is a nonlinear axis: 'unset nonlinear y' after 'set logscale y'
 * silently makes the panel linear again (gallery 09 drew a flat loss). In every golden
 * script (each equals what the code writes), no 'unset nonlinear' may follow a
 * 'set logscale' of the same axis before the next plot command. */
Test(golden, log_scale_is_not_undone_by_unset_nonlinear)
{
    static const char *const names[] = {"plot_curves.gp", "plot_contour.gp", "plot_slice.gp",
                                        "plot_surface.gp", "plot_animation.gp"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024], line[4096];
        snprintf(path, sizeof path, "%s/tests/golden/%s", LSC_SOURCE_ROOT, names[i]);
        FILE *fp = fopen(path, "r");
        cr_assert_not_null(fp, "%s", path);
        int log_y = 0, lineno = 0;
        while (fgets(line, sizeof line, fp)) {
            lineno++;
            if (!strncmp(line, "set logscale y", 14))
                log_y = 1;
            else if (!strncmp(line, "plot ", 5) || !strncmp(line, "splot ", 6))
                log_y = 0;
            else if (!strncmp(line, "unset nonlinear y", 17))
                cr_expect(!log_y, "%s:%d: 'unset nonlinear y' after 'set logscale y'",
                          names[i], lineno);
        }
        fclose(fp);
    }
}

/* ---- a figure's own files (issue 8, item 1) -------------------------------------------- *
 * Named after the whole image name (fig.png.gp, fig.png.paths.tsv; fig.tex.pdf, the .tex
 * figure's graphic) and marked as the figure's: figures that differ only in their
 * extension share none, and a file in the way that is not marked as this figure's is
 * never replaced. */
TestSuite(own, .init = setup_dir, .fini = teardown_dir);

static int starts_with_mark(const char *path, const char *fig)
{
    char want[256];
    snprintf(want, sizeof want, "# a file of the losscape figure \"%s\"\n", fig);
    char *s = slurp(path, NULL);
    int ok = s && !strncmp(s, want, strlen(want));
    free(s);
    return ok;
}

static void put_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static int render_fig(const char *kind, const char *out, int no_render, lsc_error *e)
{
    lsc_trajectory t;
    make_traj(&t, 31);
    lsc_plot_opts o = opts(kind, P(out));
    o.grid = 20; /* assigned, not set: curves does not take grid= */
    set(&o, "size", "400x300");
    if (no_render)
        set(&o, "no_render", "true");
    int rc = lsc_plot_render(&t, NULL, &o, e);
    lsc_trajectory_free(&t);
    return rc;
}

/* r.png then r.svg: both sets of files, each the figure's own, the first left as it was */
Test(own, figures_differing_in_extension_share_no_file)
{
    lsc_error e = {0};
    cr_assert_eq(render_fig("contour", "r.png", 1, &e), LSC_OK, "%s", e.msg);
    size_t n1;
    char *gp1 = slurp(P("r.png.gp"), &n1), *paths1 = slurp(P("r.png.paths.tsv"), NULL);
    cr_assert(gp1 && paths1);
    cr_assert(starts_with_mark(P("r.png.gp"), "r.png") &&
              starts_with_mark(P("r.png.paths.tsv"), "r.png") &&
              starts_with_mark(P("r.png.grid.f32"), "r.png"), "marked as r.png's");
    cr_assert(!exists(P("r.gp")) && !exists(P("r.paths.tsv")), "named after r.png, not r");
    cr_assert_eq(render_fig("curves", "r.svg", 1, &e), LSC_OK, "%s", e.msg);
    cr_assert(starts_with_mark(P("r.svg.gp"), "r.svg") &&
              starts_with_mark(P("r.svg.curves.tsv"), "r.svg"));
    size_t n2;
    char *gp2 = slurp(P("r.png.gp"), &n2), *paths2 = slurp(P("r.png.paths.tsv"), NULL);
    cr_assert(n1 == n2 && !memcmp(gp1, gp2, n1) && !strcmp(paths1, paths2),
              "r.svg left r.png's script and data alone");
    free(gp1), free(gp2), free(paths1), free(paths2);
}

/* r.pdf (an image), then r.tex: the .tex figure's graphic is r.tex.pdf, marked at its end;
 * r.pdf is untouched */
Test(own, tex_graphic_is_its_own)
{
    NEED_GNUPLOT();
    lsc_error e = {0};
    cr_assert_eq(render_fig("curves", "r.pdf", 0, &e), LSC_OK, "%s", e.msg);
    size_t n1, n2;
    char *pdf1 = slurp(P("r.pdf"), &n1);
    cr_assert_eq(render_fig("contour", "r.tex", 0, &e), LSC_OK, "%s", e.msg);
    char *pdf2 = slurp(P("r.pdf"), &n2);
    cr_assert(n1 == n2 && !memcmp(pdf1, pdf2, n1), "r.tex replaced r.pdf");
    free(pdf1), free(pdf2);
    size_t n;
    char *g = slurp(P("r.tex.pdf"), &n);
    const char tail[] = "%a file of the losscape figure \"r.tex\"\n";
    cr_assert(g && !strncmp(g, "%PDF", 4), "the graphic is a PDF");
    cr_assert(n > sizeof tail && !memcmp(g + n - (sizeof tail - 1), tail, sizeof tail - 1),
              "the graphic ends with its figure's mark");
    free(g);
    char *tex = slurp(P("r.tex"), NULL);
    cr_assert(strstr(tex, "]{r.tex.pdf}}"), "the .tex includes r.tex.pdf");
    free(tex);
    /* again: its own graphic and script are replaced */
    cr_assert_eq(render_fig("contour", "r.tex", 0, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(leftovers(), 0);
}

/* pdflatex, when installed, finds the graphic a .tex figure names. */
Test(own, tex_figure_compiles_with_pdflatex, .timeout = 120)
{
    NEED_GNUPLOT();
    char *probe[] = {"pdflatex", "--version", NULL};
    if (run(probe) != 0)
        cr_skip_test("pdflatex is not installed (texlive-latex-base)");
    lsc_error e = {0};
    cr_assert_eq(render_fig("curves", "c v.tex", 0, &e), LSC_OK, "%s", e.msg);
    FILE *f = fopen(P("doc.tex"), "w");
    fputs("\\documentclass{article}\\usepackage{graphicx}\\usepackage{color}\n"
          "\\begin{document}\\input{c v.tex}\\end{document}\n", f);
    fclose(f);
    char cwd[512];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(tdir), 0);
    char *argv[] = {"pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex", NULL};
    int rc = run(argv);
    cr_assert_eq(chdir(cwd), 0);
    char *log = slurp(P("doc.log"), NULL);
    cr_assert_eq(rc, 0, "pdflatex failed:\n%s", log ? log : "(no log)");
    cr_assert(log && strstr(log, "<use c v.tex.pdf>"), "the graphic is used:\n%s", log);
    free(log);
}

/* A file named like one of the figure's own but not marked as its own (the user's notes,
 * another figure's script copied there, an unmarked PDF) is refused, before and during a
 * render, with a message naming it, and nothing is written. */
Test(own, unmarked_file_in_the_way_is_not_replaced)
{
    static const char *const cases[][3] = {
        {"contour", "u.png", "u.png.paths.tsv"},
        {"contour", "u.png", "u.png.gp"},
        {"curves", "u.png", "u.png.curves.tsv"},
        {"contour", "u.tex", "u.tex.pdf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lsc_error e = {0};
        cr_assert_eq(render_fig("contour", "v.png", 1, &e), LSC_OK, "%s", e.msg);
        if (i == 1) /* another figure's own file, copied where u.png's would go */
            cr_assert_eq(rename(P("v.png.gp"), P(cases[i][2])), 0);
        else
            put_text(P(cases[i][2]), "my notes\n");
        listing before, after;
        list_dir(&before);
        lsc_landscape *L = lsc_landscape_new("himmelblau", 2, "test", &e);
        cr_assert_not_null(L);
        lsc_plot_opts o = opts(cases[i][0], P(cases[i][1]));
        set(&o, "no_render", "true");
        cr_assert_eq(lsc_plot_opts_check(&o, L, 2, 0, 0, 3, &e), LSC_EINVAL, "%s", cases[i][2]);
        cr_assert(strstr(e.msg, cases[i][2]) && strstr(e.msg, "in the way"), "%s", e.msg);
        lsc_landscape_free(L);
        e.msg[0] = '\0';
        cr_assert_eq(render_fig(cases[i][0], cases[i][1], 1, &e), LSC_EINVAL, "%s",
                     cases[i][2]);
        cr_assert(strstr(e.msg, cases[i][2]), "%s", e.msg);
        list_dir(&after);
        same_listing(&before, &after, cases[i][2]);
        rm_tree(tdir);
        cr_assert_eq(mkdir(tdir, 0700), 0);
    }
}

/* The figure's own earlier files are replaced: the same figure twice, and after another
 * kind of figure under the same name. */
Test(own, rerender_replaces_its_own_files)
{
    lsc_error e = {0};
    cr_assert_eq(render_fig("contour", "s.png", 1, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(render_fig("contour", "s.png", 1, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(render_fig("curves", "s.png", 1, &e), LSC_OK, "%s", e.msg);
    cr_assert(starts_with_mark(P("s.png.gp"), "s.png"));
    char *gp = slurp(P("s.png.gp"), NULL);
    cr_assert(strstr(gp, "s.png.curves.tsv"), "the script is the curves figure's now");
    free(gp);
    cr_assert_eq(leftovers(), 0);
}

/* ---- models over data: kinds data and decision (issue 9) ------------------------------------ */

/* A trajectory of the model `spec` over `data` (holdout 0.25, seed 3) with one run of two
 * rows: all zeros at step 0, then weights theta_j = 1.5 sin(1.7 j + 0.3) at step 10. Its
 * landscape (rebuilt as a plot rebuilds it) into *L. */
static void make_model_traj(lsc_trajectory *t, const char *spec, const char *data,
                            lsc_landscape **L)
{
    lsc_error e = {0};
    *L = lsc_landscape_load_model(spec, 0, data, NULL, 0.25, 3, "test", &e);
    cr_assert_not_null(*L, "%s", e.msg);
    const int n = (*L)->n;
    lsc_trajectory_init(t, n, n, 0);
    snprintf(t->landscape, sizeof t->landscape, "%s", spec);
    snprintf(t->data, sizeof t->data, "%s", data);
    snprintf(t->schedule, sizeof t->schedule, "constant");
    t->holdout = 0.25;
    t->seed = 3;
    t->steps = 10;
    lsc_run_record *R = lsc_trajectory_add_run(t);
    cr_assert_not_null(R);
    snprintf(R->optimizer, sizeof R->optimizer, "adam:lr=0.01");
    snprintf(R->label, sizeof R->label, "adam");
    cr_assert_eq(lsc_run_record_reserve(t, R, 2), LSC_OK);
    double *x = calloc((size_t)n, sizeof *x);
    for (int j = 0; j < n; j++)
        R->start[j] = 0;
    lsc_run_record_push(t, R, &(lsc_row){.step = 0, .lr = 0.01, .loss = 1, .grad_norm = 1,
                                         .dist = NAN, .x = x});
    for (int j = 0; j < n; j++)
        x[j] = 1.5 * sin(1.7 * j + 0.3);
    lsc_run_record_push(t, R, &(lsc_row){.step = 10, .lr = 0.01, .loss = 1, .grad_norm = 1,
                                          .dist = NAN, .x = x});
    free(x);
    R->status = LSC_STOP_MAX_STEPS;
    snprintf(R->reason, sizeof R->reason, "budget");
}

/* The grid a decision script draws: origin and spacing from its plot command. */
static void decision_grid_of(const char *gp, double *x0, double *y0, double *dx, double *dy)
{
    const char *s = strstr(gp, "origin=(");
    cr_assert_not_null(s, "no binary grid in the script");
    cr_assert_eq(sscanf(s, "origin=(%lf,%lf) dx=%lf dy=%lf", x0, y0, dx, dy), 4, "%.80s", s);
}

/* The cells of FIG.decision.f32 (5 floats each, after the mark line). */
static float *decision_cells(const char *path, int ng)
{
    size_t len;
    char *raw = slurp(path, &len);
    cr_assert_not_null(raw);
    char *nl = memchr(raw, '\n', len);
    cr_assert_not_null(nl);
    size_t off = (size_t)(nl + 1 - raw), need = (size_t)ng * ng * 5 * sizeof(float);
    cr_assert_eq(len - off, need, "%zu bytes of cells, %zu expected", len - off, need);
    float *cells = malloc(need);
    memcpy(cells, raw + off, need);
    free(raw);
    return cells;
}

TestSuite(modelfig, .init = setup_dir, .fini = teardown_dir);

/* The prediction grid is the model's own prediction (lsc_model_predict at the cell's
 * point: the predicted class and its probability), over a view that holds every example,
 * at the last row's weights; step= picks the earlier row (all zeros: p = 1/2 everywhere). */
static void check_decision_grid(const char *spec, const char *data)
{
    lsc_trajectory t;
    lsc_landscape *L;
    make_model_traj(&t, spec, data, &L);
    const lsc_model *M = lsc_landscape_model(L);
    const int ng = 40, K = M->size[M->nlayers];
    lsc_plot_opts o = opts("decision", P("d.png"));
    set(&o, "grid", "40");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *gp = slurp(P("d.png.gp"), NULL);
    double x0, y0, dx, dy;
    decision_grid_of(gp, &x0, &y0, &dx, &dy);
    const lsc_dataset *S[2] = {M->train, M->test};
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < S[s]->n; i++) {
            const double *a = S[s]->X + 2 * (size_t)i;
            cr_assert(a[0] > x0 && a[0] < x0 + (ng - 1) * dx, "x %g outside the view", a[0]);
            cr_assert(a[1] > y0 && a[1] < y0 + (ng - 1) * dy, "y %g outside the view", a[1]);
        }
    float *cells = decision_cells(P("d.png.decision.f32"), ng);
    const double *theta = t.runs[0].x + (size_t)L->n;
    double *work = malloc(lsc_model_work_size(M) * sizeof *work), z[8];
    const int probe[5][2] = {{0, 0}, {39, 0}, {7, 31}, {20, 20}, {39, 39}};
    for (int q = 0; q < 5; q++) {
        const int i = probe[q][0], j = probe[q][1];
        double X[2] = {x0 + i * dx, y0 + j * dy}, p;
        lsc_model_predict(M, X, 1, theta, z, work);
        int k = 0;
        if (K == 1) { /* bce: sigmoid of the logit */
            k = z[0] > 0;
            p = 1 / (1 + exp(-fabs(z[0])));
        } else { /* ce: softmax, the largest */
            double sum = 0;
            for (int c = 1; c < K; c++)
                k = z[c] > z[k] ? c : k;
            for (int c = 0; c < K; c++)
                sum += exp(z[c]);
            p = exp(z[k]) / sum;
        }
        const float *cell = cells + 5 * ((size_t)j * ng + i);
        cr_assert_float_eq(cell[3], p, 1e-6, "cell (%d, %d): p %g, the model says %g", i, j,
                           cell[3], p);
        cr_assert_eq((int)cell[4], k, "cell (%d, %d): class %g, the model says %d", i, j,
                     cell[4], k);
    }
    free(cells);
    free(gp);
    /* step=5: the row of step 0, all weights zero: every class equally likely */
    set(&o, "step", "5");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    cells = decision_cells(P("d.png.decision.f32"), ng);
    for (size_t c = 0; c < (size_t)ng * ng; c++)
        cr_assert_float_eq(cells[5 * c + 3], K == 1 ? 0.5 : 1.0 / K, 1e-7, "cell %zu", c);
    free(cells);
    free(work);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

Test(modelfig, decision_grid_is_the_models_prediction_bce)
{
    check_decision_grid("mlp:hidden=5,act=tanh", "circle:n=80,noise=0.1");
}

Test(modelfig, decision_grid_is_the_models_prediction_ce)
{
    check_decision_grid("softmax", "blobs:n=90,classes=3");
}

/* The boundary lies where the prediction changes: the bce logit is near 0 on it (linear
 * interpolation on a 60-cell grid: within 2% of the logit's range over the view). */
Test(modelfig, boundary_is_where_the_logit_is_zero)
{
    lsc_trajectory t;
    lsc_landscape *L;
    make_model_traj(&t, "mlp:hidden=5,act=tanh", "xor:n=60", &L);
    const lsc_model *M = lsc_landscape_model(L);
    lsc_plot_opts o = opts("decision", P("b.png"));
    set(&o, "grid", "60");
    set(&o, "no_render", "true");
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *gp = slurp(P("b.png.gp"), NULL);
    double x0, y0, dx, dy;
    decision_grid_of(gp, &x0, &y0, &dx, &dy);
    free(gp);
    const double *theta = t.runs[0].x + (size_t)L->n;
    double *work = malloc(lsc_model_work_size(M) * sizeof *work), z, zmax = 0;
    for (int j = 0; j < 60; j++)
        for (int i = 0; i < 60; i++) {
            double X[2] = {x0 + i * dx, y0 + j * dy};
            lsc_model_predict(M, X, 1, theta, &z, work);
            zmax = fmax(zmax, fabs(z));
        }
    FILE *fp = fopen(P("b.png.boundary.tsv"), "r");
    cr_assert_not_null(fp);
    char line[256];
    int npts = 0;
    while (fgets(line, sizeof line, fp)) {
        double X[2], tag;
        if (line[0] == '#' || sscanf(line, "%lf %lf %lf", &X[0], &X[1], &tag) != 3)
            continue;
        lsc_model_predict(M, X, 1, theta, &z, work);
        cr_assert_leq(fabs(z), 0.02 * zmax, "boundary point (%g, %g): logit %g", X[0], X[1], z);
        npts++;
    }
    fclose(fp);
    cr_assert_geq(npts, 10, "a boundary of %d points", npts);
    free(work);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

/* kind data: every example once, training rows then test rows, with its class and set,
 * exactly (%.17g); a regression on one feature writes y against x, and decision's fitted
 * curve is the model's prediction. */
Test(modelfig, data_points_are_the_examples)
{
    static const char *const sets[2][2] = {{"logreg", "circle:n=50,noise=0.2"},
                                           {"mlp:hidden=3,act=tanh", "sine:n=40"}};
    for (int q = 0; q < 2; q++) {
        lsc_trajectory t;
        lsc_landscape *L;
        make_model_traj(&t, sets[q][0], sets[q][1], &L);
        const lsc_model *M = lsc_landscape_model(L);
        lsc_plot_opts o = opts("data", P("p.png"));
        set(&o, "no_render", "true");
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        FILE *fp = fopen(P("p.png.points.tsv"), "r");
        cr_assert_not_null(fp);
        char line[256];
        int s = 0, i = 0, rows = 0;
        const lsc_dataset *S[2] = {M->train, M->test};
        while (fgets(line, sizeof line, fp)) {
            double a, b;
            int k, set_;
            if (line[0] == '#')
                continue;
            cr_assert_eq(sscanf(line, "%lf %lf %d %d", &a, &b, &k, &set_), 4, "%s", line);
            if (i == S[s]->n) {
                s++;
                i = 0;
            }
            cr_assert_lt(s, 2, "more rows than examples");
            const lsc_dataset *D = S[s];
            cr_assert_eq(set_, s);
            cr_assert_eq(a, D->X[(size_t)i * D->d]);
            cr_assert_eq(b, D->d == 2 ? D->X[(size_t)i * D->d + 1] : D->y[i]);
            cr_assert_eq(k, D->d == 2 ? (int)D->y[i] : 0);
            i++;
            rows++;
        }
        fclose(fp);
        cr_assert_eq(rows, M->train->n + M->test->n);
        if (M->train->d == 1) {
            o = opts("decision", P("f.png"));
            set(&o, "no_render", "true");
            cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
            fp = fopen(P("f.png.fit.tsv"), "r");
            cr_assert_not_null(fp);
            double *work = malloc(lsc_model_work_size(M) * sizeof *work), x, y, z;
            int nfit = 0;
            while (fgets(line, sizeof line, fp))
                if (line[0] != '#' && sscanf(line, "%lf %lf", &x, &y) == 2) {
                    lsc_model_predict(M, &x, 1, t.runs[0].x + (size_t)L->n, &z, work);
                    cr_assert_eq(y, z, "fit at %g: %.17g, the model says %.17g", x, y, z);
                    nfit++;
                }
            fclose(fp);
            free(work);
            cr_assert_eq(nfit, 400);
        }
        lsc_trajectory_free(&t);
        lsc_landscape_free(L);
    }
}

/* What the kinds refuse, before writing anything: no model, a shape they cannot draw,
 * weights not recorded, a run that is not there. */
Test(modelfig, refusals_name_what_is_needed)
{
    static const struct {
        const char *kind, *spec, *data, *key, *val, *expect;
    } cases[] = {
        {"data", "linreg", "linear:n=30,features=3", NULL, NULL, "two features"},
        {"decision", "linreg", "linear:n=30,features=2", NULL, NULL, "two features with class"},
        {"decision", "mlp:hidden=3,loss=mse", "circle:n=30", NULL, NULL, "needs a classifier"},
        {"decision", "logreg", "circle:n=30", "run", "1", "run=1: no such run"},
        {"data", "softmax", "blobs:n=60,classes=9", NULL, NULL, "at most 8 classes"},
    };
    for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
        lsc_trajectory t;
        lsc_landscape *L;
        make_model_traj(&t, cases[q].spec, cases[q].data, &L);
        lsc_plot_opts o = opts(cases[q].kind, P("r.png"));
        if (cases[q].key)
            set(&o, cases[q].key, cases[q].val);
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL, "%s", cases[q].data);
        cr_assert(strstr(e.msg, cases[q].expect), "'%s' lacks '%s'", e.msg, cases[q].expect);
        cr_assert(!exists(P("r.png.gp")) && leftovers() == 0, "a file was written");
        lsc_trajectory_free(&t);
        lsc_landscape_free(L);
    }
    /* positions not kept: no weights to draw */
    lsc_trajectory t;
    lsc_landscape *L;
    make_model_traj(&t, "logreg", "circle:n=30", &L);
    t.npos = 0;
    lsc_plot_opts o = opts("decision", P("r.png"));
    lsc_error e = {0};
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "positions=all"), "%s", e.msg);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
    /* a landscape without data */
    make_traj(&t, 20);
    o = opts("data", P("r.png"));
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "needs a model over data"), "%s", e.msg);
    cr_assert(!exists(P("r.png.gp")) && leftovers() == 0, "a file was written");
    lsc_trajectory_free(&t);
}

/* A model's coordinates are its parameters, named as PyTorch lays them out (W1[row,col],
 * b1[k], ...; w, b for one input and one output); a 2-D map of linreg says w and b. */
Test(modelfig, coordinates_named_as_parameters)
{
    lsc_error e = {0};
    char nm[64];
    lsc_landscape *L = lsc_landscape_load_model("mlp:hidden=3", 0, "circle:n=20", NULL, 0, 1,
                                                "t", &e);
    cr_assert_not_null(L, "%s", e.msg);
    cr_assert_eq(L->n, 13); /* W1 3x2, b1 3, W2 1x3, b2 1 */
    static const struct {
        int j;
        const char *name;
    } mlp[] = {{0, "W1[1,1]"}, {1, "W1[1,2]"}, {2, "W1[2,1]"}, {5, "W1[3,2]"}, {6, "b1[1]"},
               {8, "b1[3]"},   {9, "W2[1,1]"}, {11, "W2[1,3]"}, {12, "b2[1]"}};
    for (size_t q = 0; q < sizeof mlp / sizeof mlp[0]; q++) {
        plot_coord_name(L, mlp[q].j, nm, sizeof nm);
        cr_assert_str_eq(nm, mlp[q].name, "coordinate %d", mlp[q].j);
    }
    lsc_landscape_free(L);
    L = lsc_landscape_load_model("linreg", 0, "linear:n=20,features=2", NULL, 0, 1, "t", &e);
    cr_assert_not_null(L, "%s", e.msg);
    static const char *const lin[3] = {"w1", "w2", "b"};
    for (int j = 0; j < 3; j++) {
        plot_coord_name(L, j, nm, sizeof nm);
        cr_assert_str_eq(nm, lin[j]);
    }
    lsc_landscape_free(L);
    L = lsc_landscape_new("rosenbrock", 3, "t", &e);
    plot_coord_name(L, 2, nm, sizeof nm);
    cr_assert_str_eq(nm, "x3");
    lsc_landscape_free(L);
    /* the axes of a contour map of a 2-D model */
    lsc_trajectory t;
    make_model_traj(&t, "linreg", "linear:n=20", &L);
    cr_assert_eq(L->n, 2);
    lsc_plot_opts o = opts("contour", P("c.png"));
    set(&o, "no_render", "true");
    set(&o, "grid", "20");
    cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
    char *gp = slurp(P("c.png.gp"), NULL);
    cr_assert(strstr(gp, "set xlabel 'w' noenhanced"), "the x axis is not w");
    cr_assert(strstr(gp, "set ylabel 'b' noenhanced"), "the y axis is not b");
    free(gp);
    lsc_trajectory_free(&t);
    lsc_landscape_free(L);
}

/* A data set alone (lsc_plot_render_data, `losscape data SPEC --plot`): its rows, then its
 * holdout's, each with class and set; a shape the figure cannot draw writes nothing. */
Test(modelfig, a_data_set_alone)
{
    lsc_dataset all, tr, te;
    lsc_error e = {0};
    cr_assert_eq(lsc_data_load(&all, "xor:n=30", NULL, 4, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(lsc_data_split(&all, 0.3, 4, &tr, &te, &e), LSC_OK, "%s", e.msg);
    lsc_plot_opts o = opts("contour", P("x.png")); /* the kind is data, whatever o says */
    set(&o, "no_render", "true");
    cr_assert_eq(lsc_plot_render_data(&tr, &te, &o, &e), LSC_OK, "%s", e.msg);
    FILE *fp = fopen(P("x.png.points.tsv"), "r");
    cr_assert_not_null(fp);
    char line[256];
    int row = 0;
    while (fgets(line, sizeof line, fp)) {
        double a, b;
        int k, s;
        if (line[0] == '#')
            continue;
        cr_assert_eq(sscanf(line, "%lf %lf %d %d", &a, &b, &k, &s), 4, "%s", line);
        const lsc_dataset *D = row < tr.n ? &tr : &te;
        const int i = row < tr.n ? row : row - tr.n;
        cr_assert_lt(row, tr.n + te.n, "more rows than examples");
        cr_assert_eq(s, D == &te);
        cr_assert_eq(a, D->X[2 * i]);
        cr_assert_eq(b, D->X[2 * i + 1]);
        cr_assert_eq(k, (int)D->y[i]);
        row++;
    }
    fclose(fp);
    cr_assert_eq(row, 30);
    char *gp = slurp(P("x.png.gp"), NULL);
    cr_assert(strstr(gp, "test (open)"), "the key says what open markers are");
    free(gp);
    lsc_data_free(&all), lsc_data_free(&tr), lsc_data_free(&te);
    cr_assert_eq(lsc_data_load(&all, "blobs:n=20,features=3", NULL, 4, &e), LSC_OK);
    o = opts("data", P("y.png"));
    cr_assert_eq(lsc_plot_render_data(&all, NULL, &o, &e), LSC_EINVAL);
    cr_assert(strstr(e.msg, "has 3 features"), "%s", e.msg);
    cr_assert(!exists(P("y.png.gp")) && leftovers() == 0, "a file was written");
    lsc_data_free(&all);
}

/* An animation drawn by several gnuplot processes, each a range of frames, joined into one
 * GIF (plot/gif.c): the same bytes as one process drawing every frame, and nothing left in
 * the directory but the figure and its script and data. */
Test(render, animation_in_parts_is_the_same_gif)
{
    NEED_GNUPLOT();
    lsc_trajectory t;
    make_traj(&t, 121);
    size_t n[2];
    char *gif[2];
    for (int k = 0; k < 2; k++) {
        lsc_plot_opts o = opts("animation", P(k ? "parts.gif" : "whole.gif"));
        set(&o, "grid", "40");
        set(&o, "frames", "20"); /* 20 frames and 13 held: 4 parts of 8 or 9 */
        o.jobs = k ? 4 : 1;
        lsc_error e = {0};
        cr_assert_eq(lsc_plot_render(&t, NULL, &o, &e), LSC_OK, "%s", e.msg);
        gif[k] = slurp(P(k ? "parts.gif" : "whole.gif"), &n[k]);
        cr_assert_not_null(gif[k]);
    }
    size_t at, end;
    cr_assert_eq(plot_gif_scan((unsigned char *)gif[0], n[0], 1, &at, &end), 0);
    cr_assert_eq(end, n[0] - 1, "the trailer ends the file");
    cr_assert_eq(n[0], n[1], "whole %zu bytes, parts %zu", n[0], n[1]);
    cr_assert_eq(memcmp(gif[0], gif[1], n[0]), 0, "the joined GIF differs");
    cr_assert_eq(leftovers(), 0);
    free(gif[0]);
    free(gif[1]);
    lsc_trajectory_free(&t);
}

/* plot_gif_scan on bytes that are not a joinable GIF: every length is checked. */
Test(render, gif_scan_refuses_what_it_cannot_join)
{
    /* a 1x1 GIF89a: header, screen descriptor with a 2-colour global table, one image
     * with a 2-colour local table, LZW data, trailer */
    unsigned char g[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0,
                         0, 0, 0, 255, 255, 255,
                         0x21, 0xFF, 11, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0',
                         3, 1, 0, 0, 0,
                         0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x80, 0, 0, 0, 255, 255, 255,
                         2, 2, 0x44, 0x01, 0,
                         0x3B};
    size_t at, end;
    cr_assert_eq(plot_gif_scan(g, sizeof g, 1, &at, &end), 0);
    cr_assert_eq(g[at], 0x2C, "frames begin after the loop extension");
    cr_assert_eq(end, sizeof g - 1);
    for (size_t n = 0; n < sizeof g; n++) /* every truncation */
        cr_assert_neq(plot_gif_scan(g, n, 1, &at, &end), 0, "accepted %zu bytes", n);
    g[47] = 0; /* the image without its own colour table: the first file may have one */
    memmove(g + 48, g + 54, sizeof g - 54);
    cr_assert_neq(plot_gif_scan(g, sizeof g - 6, 1, &at, &end), 0);
    cr_assert_eq(plot_gif_scan(g, sizeof g - 6, 0, &at, &end), 0);
    g[0] = 'X';
    cr_assert_neq(plot_gif_scan(g, sizeof g, 0, &at, &end), 0);
}
