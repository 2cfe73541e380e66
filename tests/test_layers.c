/* test_layers.c — the modules of src/ form layers: each includes only modules below it
 *
 * Every file of src/ and landscapes/ belongs to one module (by its path); each module has
 * a rank. A file may include headers of its own module and of modules of a LOWER rank,
 * never of its own rank or above — so no module reaches up, and no two modules include
 * each other (two modules of one rank may not include each other at all). The CLI is the
 * top; the umbrella header losscape.h is for programs only.
 *
 *   0  core        param, fmt, outfile, streams (one generator per (seed, index)),
 *                  parallel (independent tasks over threads)
 *   1  data        dataset.h, data/… (data sets: generators, files)
 *   2  landscape   landscape.*, model.* (models over data), init.*, landscapes/…
 *   3  optim       optim.h, optim/…                 schedule   schedule.*
 *   4  run         run.*, trajectory.*, basins.*, sampler.*, curvature.*
 *   5  plot        plot*, plot/…                    experiment experiment.*, summary.*
 *   6  recipe      recipe.* (a file read into an experiment, whose keys it checks)
 *   7  study       study.h, study/… (many runs measured: tables and figures)
 *   9  cli         cli/…, losscape.h
 *
 * A header the table does not know (a new module) fails the test until it is given a
 * place here: the layering is a decision, written down.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LSC_SOURCE_ROOT
#define LSC_SOURCE_ROOT "."
#endif

typedef struct {
    const char *module;
    int rank;
} module_rank;

/* Module of a path relative to the source root (a file or a bare header name), or NULL. */
static const char *module_of(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    if (!strncmp(rel, "src/cli/", 8) || !strcmp(base, "losscape.h"))
        return "cli";
    if (!strncmp(rel, "landscapes/", 11))
        return "landscape";
    if (!strncmp(rel, "src/data/", 9) || !strcmp(base, "dataset.h"))
        return "data";
    if (!strncmp(rel, "src/optim/", 10) || !strcmp(base, "optim.h") ||
        !strcmp(base, "optim_impl.h"))
        return "optim";
    if (!strncmp(rel, "src/plot/", 9) || !strncmp(base, "plot", 4))
        return "plot";
    if (!strncmp(rel, "src/study/", 10) || !strcmp(base, "study.h"))
        return "study";
    static const struct {
        const char *prefix, *module;
    } by_name[] = {
        {"param.", "core"},         {"outfile.", "core"},   {"fmt.", "core"}, {"dtoa_shim.", "core"},   {"landscape", "landscape"},
        {"model.", "landscape"}, {"model_impl.h", "landscape"}, {"init.", "landscape"},
        {"recipe.", "recipe"},      {"schedule.", "schedule"}, {"run.", "run"},
        {"trajectory.", "run"},     {"basins.", "run"},     {"experiment.", "experiment"},
        {"lsc_version.h", "core"},  {"critical_search.", "landscape"}, {"sampler.", "run"}, {"curvature.", "run"}, {"streams.", "core"}, {"parallel.", "core"},
        {"summary.", "experiment"},
    };
    for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
        if (!strncmp(base, by_name[i].prefix, strlen(by_name[i].prefix)))
            return by_name[i].module;
    return NULL;
}

static int rank_of(const char *module)
{
    static const module_rank ranks[] = {
        {"core", 0}, {"data", 1},       {"landscape", 2}, {"recipe", 6}, {"optim", 3},
        {"schedule", 3}, {"run", 4},    {"plot", 5},      {"experiment", 5}, {"study", 7},
        {"cli", 9},
    };
    for (size_t i = 0; i < sizeof ranks / sizeof ranks[0]; i++)
        if (!strcmp(ranks[i].module, module))
            return ranks[i].rank;
    return -1;
}

static int violations, files_read, includes_seen;

static int exists(const char *rel)
{
    char path[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, rel);
    return stat(path, &st) == 0;
}

/* The path (relative to the root) an #include "name" in file `rel` finds, as the compiler
 * does: beside the including file first, then in src/; a generated or system header
 * stays a bare name. */
static void resolve_include(const char *rel, const char *name, char *out, size_t len)
{
    const char *slash = strrchr(rel, '/');
    snprintf(out, len, "%.*s/%s", slash ? (int)(slash - rel) : 0, rel, name);
    if (exists(out))
        return;
    snprintf(out, len, "src/%s", name);
    if (exists(out))
        return;
    snprintf(out, len, "%s", name);
}

/* Check every #include "..." (and <losscape/...>) of one file. */
static void check_file(const char *rel)
{
    const char *mine = module_of(rel);
    if (!mine) {
        cr_expect_fail("%s: no module (add it to the table in tests/test_layers.c)", rel);
        violations++;
        return;
    }
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, rel);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    files_read++;
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "#include", 8))
            continue;
        p += 8;
        while (*p == ' ' || *p == '\t')
            p++;
        char name[512];
        if (*p == '"') {
            if (sscanf(p + 1, "%511[^\"]", name) != 1)
                continue;
        } else if (!strncmp(p, "<losscape/", 10)) {
            if (sscanf(p + 10, "%511[^>]", name) != 1)
                continue;
        } else {
            continue; /* a system header */
        }
        includes_seen++;
        char resolved[1024];
        resolve_include(rel, name, resolved, sizeof resolved);
        const char *theirs = module_of(resolved);
        if (!theirs) {
            cr_expect_fail("%s:%d includes \"%s\", which belongs to no module", rel, lineno,
                           name);
            violations++;
            continue;
        }
        if (!strcmp(theirs, mine))
            continue;
        if (rank_of(theirs) >= rank_of(mine)) {
            cr_expect_fail("%s:%d: module %s (rank %d) includes \"%s\" of module %s (rank "
                           "%d): only lower ranks may be included",
                           rel, lineno, mine, rank_of(mine), name, theirs, rank_of(theirs));
            violations++;
        }
    }
    fclose(fp);
}

static void walk(const char *reldir)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, reldir);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char rel[1024];
        snprintf(rel, sizeof rel, "%s/%s", reldir, e->d_name);
        snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, rel);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(rel);
            continue;
        }
        size_t n = strlen(e->d_name);
        if (n > 2 && (!strcmp(e->d_name + n - 2, ".c") || !strcmp(e->d_name + n - 2, ".h")))
            check_file(rel);
    }
    closedir(d);
}

Test(layers, no_module_includes_its_own_rank_or_above)
{
    walk("src");
    walk("landscapes");
    cr_expect_gt(files_read, 50, "read only %d files: wrong source root?", files_read);
    cr_expect_gt(includes_seen, 60, "saw only %d includes", includes_seen);
    cr_expect_eq(violations, 0, "%d layering violations (listed above)", violations);
}

/* The checker itself: a file that reaches up is caught. */
Test(layers, the_table_catches_an_upward_include)
{
    cr_expect_lt(rank_of(module_of("src/run.c")), rank_of(module_of("plot.h")));
    cr_expect_eq(rank_of(module_of("src/plot/contour.c")),
                 rank_of(module_of("experiment.h")));
    cr_expect_str_eq(module_of("landscapes/himmelblau.c"), "landscape");
    cr_expect_str_eq(module_of("src/optim/adam.c"), "optim");
    cr_expect_null(module_of("src/newmodule.c"));
}

/* Plots draw and never run optimizers (DESIGN.md): no plot file calls into the engine. */
static int engine_calls;

static void scan_for_engine_calls(const char *reldir)
{
    static const char *const engine[] = {"lsc_run(", "lsc_optim_new(", "lsc_optim_step(",
                                         "lsc_schedule_new(", "lsc_basins_compute("};
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, reldir);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    struct dirent *e;
    while ((e = readdir(d))) {
        char rel[1024];
        snprintf(rel, sizeof rel, "%s/%s", reldir, e->d_name);
        const char *m = module_of(rel);
        size_t n = strlen(e->d_name);
        if (!m || strcmp(m, "plot") || n < 3 || strcmp(e->d_name + n - 2, ".c"))
            continue;
        snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, rel);
        FILE *fp = fopen(path, "r");
        cr_assert_not_null(fp, "%s", path);
        char line[1024];
        for (int lineno = 1; fgets(line, sizeof line, fp); lineno++)
            for (size_t k = 0; k < sizeof engine / sizeof engine[0]; k++)
                if (strstr(line, engine[k])) {
                    cr_expect_fail("%s:%d calls %.*s: plot code draws, it never runs", rel,
                                   lineno, (int)strlen(engine[k]) - 1, engine[k]);
                    engine_calls++;
                }
        fclose(fp);
    }
    closedir(d);
}

Test(layers, plot_code_never_runs_optimizers)
{
    scan_for_engine_calls("src");
    char plotdir[2048];
    snprintf(plotdir, sizeof plotdir, "%s/src/plot", LSC_SOURCE_ROOT);
    struct stat st;
    if (stat(plotdir, &st) == 0)
        scan_for_engine_calls("src/plot");
    cr_expect_eq(engine_calls, 0);
}

/* ---- CLI words stay in the CLI (issue 7) -------------------------------------------------
 * The library's messages, summaries and help name keys ("dim", "clip_norm"); the command
 * line adds its flag names. So no string literal of src/ (outside src/cli/) or landscapes/
 * holds a flag: "--" followed by a letter. Comments and character constants are skipped. */

/* Flag-holding string literals of text (a C file called rel), each reported when report
 * is set. A flag starts a word: "--" not after a letter, digit or '-', then a letter. */
static int strings_with_flags(const char *rel, const char *text, int report)
{
    int found = 0, line = 1;
    const char *p = text;
    while (*p) {
        if (p[0] == '/' && p[1] == '*') { /* block comment */
            const char *end = strstr(p + 2, "*/");
            const char *stop = end ? end + 2 : p + strlen(p);
            for (; p < stop; p++)
                line += *p == '\n';
        } else if (p[0] == '/' && p[1] == '/') { /* line comment */
            while (*p && *p != '\n')
                p++;
        } else if (*p == '\'' || *p == '"') { /* character constant or string literal */
            const char quote = *p++, *start = p;
            while (*p && *p != quote && *p != '\n')
                p += p[0] == '\\' && p[1] ? 2 : 1;
            for (const char *q = start; quote == '"' && q + 2 < p; q++)
                if (q[0] == '-' && q[1] == '-' && q[2] >= 'a' && q[2] <= 'z' &&
                    (q == start || !(isalnum((unsigned char)q[-1]) || q[-1] == '-'))) {
                    if (report)
                        cr_expect_fail("%s:%d: a library string names the flag '%.*s'", rel,
                                       line, (int)strcspn(q, " \")=,;:"), q);
                    found++;
                    break;
                }
            if (*p == quote)
                p++;
        } else {
            line += *p++ == '\n';
        }
    }
    return found;
}

static int flag_strings, string_files;

static void scan_for_flags(const char *reldir)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, reldir);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char rel[1024];
        snprintf(rel, sizeof rel, "%s/%s", reldir, e->d_name);
        snprintf(path, sizeof path, "%s/%s", LSC_SOURCE_ROOT, rel);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (strcmp(rel, "src/cli"))
                scan_for_flags(rel);
            continue;
        }
        size_t n = strlen(e->d_name);
        if (n < 3 || (strcmp(e->d_name + n - 2, ".c") && strcmp(e->d_name + n - 2, ".h")) ||
            !strcmp(e->d_name, "losscape.h")) /* the umbrella header is the program's */
            continue;
        FILE *fp = fopen(path, "rb");
        cr_assert_not_null(fp, "%s", path);
        char *text = malloc((size_t)st.st_size + 1);
        cr_assert_not_null(text);
        size_t got = fread(text, 1, (size_t)st.st_size, fp);
        text[got] = '\0';
        fclose(fp);
        flag_strings += strings_with_flags(rel, text, 1);
        string_files++;
        free(text);
    }
    closedir(d);
}

Test(layers, library_strings_name_no_flag)
{
    scan_for_flags("src");
    scan_for_flags("landscapes");
    cr_expect_gt(string_files, 50, "read only %d files: wrong source root?", string_files);
    cr_expect_eq(flag_strings, 0, "%d library strings name a command-line flag", flag_strings);
}

/* The scanner: a flag in a string is found; in a comment, a character constant or after
 * an escaped quote it is not mistaken. */
Test(layers, the_flag_scanner_reads_c)
{
    cr_expect_eq(strings_with_flags("a.c", "/* --dim */ x = '\"'; // \"--dim\"\n", 0), 0);
    cr_expect_eq(strings_with_flags("a.c", "s = \"a \\\" b\"; t = \"c--d\";", 0), 0);
    cr_expect_eq(strings_with_flags("a.c", "s = \"(any --dim)\";", 0), 1);
    cr_expect_eq(strings_with_flags("a.c", "s = \"x\"\n  \"see --help\";", 0), 1);
    cr_expect_eq(strings_with_flags("a.c", "s = \"\\\"--out\\\" and --dim\";", 0), 1);
}
