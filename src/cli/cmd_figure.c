/* cmd_figure.c — `losscape figure RECIPE.ini...` and `losscape gallery`
 *
 * A recipe (recipe.h) names a landscape, a start, optimizers and driver options, and one
 * or more figures. figure: runs it, renders each figure, saves the trajectory when asked
 * (save_trajectory, --save-trajectory) and says what it wrote, as run and plot do.
 * gallery: every recipe in plots/gallery/, into plots/out/, with an index (index.md,
 * index.html) giving each figure, its caption and the command that makes it again.
 *
 * Before any work, every recipe of the call is read and checked: its figures' options,
 * that no two files of the call (figures and their own files, saved trajectories and
 * starts) are one, and that it uses no key that can run a command (a style file is
 * gnuplot code; gnuplot names a program) unless the user passed --trust-recipe. The files
 * of one recipe appear together, when all its figures rendered, or not at all (a commit
 * group, plot.h; the saved trajectory is written before the group is put in place). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jobs.h"
#include "lsc_version.h" /* LSC_DATADIR, LSC_BINDIR_TO_DATADIR, LSC_BUILD_ROOT */

#ifndef LSC_SOURCE_ROOT
#define LSC_SOURCE_ROOT "."
#endif

/* One rendered figure, for the gallery index. */
typedef struct {
    char recipe[256];  /* recipe base name */
    char path[1024];   /* recipe path as given */
    char image[512];   /* file name relative to the output directory */
    char title[LSC_VALUE_MAX];
    char caption[LSC_VALUE_MAX];
} rendered;

typedef struct {
    rendered *items;
    int n, cap;
} rendered_list;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int make_dir(const char *dir)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return (mkdir(buf, 0777) != 0 && errno != EEXIST) ? -1 : 0;
}

static const char *base_name(const char *path, char *buf, size_t len)
{
    const char *s = strrchr(path, '/');
    snprintf(buf, len, "%s", s ? s + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    return buf;
}

/* The plot options of each figure of r into po[0..nfigures-1]; out is joined to outdir.
 * Keys that can run a command are refused unless trust. Returns an exit status (printed). */
static int figure_opts(const lsc_recipe *r, const char *path, const char *outdir, int trust,
                       lsc_plot_opts *po)
{
    lsc_error err = {0};
    if (!trust) {
        const char *why;
        const lsc_recipe_kv *kv = lsc_recipe_unsafe_key(r, &why);
        if (kv)
            return cli_fail(CLI_USAGE, "%s:%d: %s = %.200s: not used from a recipe unless you "
                            "pass --trust-recipe (%s)", path, kv->line, kv->key, kv->val, why);
    }
    for (int k = 0; k < r->nfigures; k++) {
        const lsc_recipe_figure *fig = &r->figure[k];
        lsc_plot_opts_default(&po[k]);
        if (r->title[0])
            snprintf(po[k].title, sizeof po[k].title, "%s", r->title);
        if (r->caption[0])
            snprintf(po[k].caption, sizeof po[k].caption, "%s", r->caption);
        po[k].seed = lsc_experiment_seed(r->experiment);
        int has_out = 0;
        for (int i = 0; i < fig->nkv; i++) {
            const char *key = fig->kv[i].key, *val = fig->kv[i].val;
            char joined[LSC_PLOT_PATH_MAX];
            if (!strcmp(key, "out")) {
                has_out = 1;
                if (strchr(val, '/') || val[0] == '.')
                    return cli_fail(CLI_USAGE, "%s:%d: out = %s: a plain file name is "
                                    "expected (figures go to the output directory)", path,
                                    fig->kv[i].line, val);
                snprintf(joined, sizeof joined, "%s%s%s", outdir, outdir[0] ? "/" : "", val);
                val = joined;
            }
            if (lsc_plot_opts_set(&po[k], key, val, &err) != LSC_OK)
                return cli_fail(CLI_USAGE, "%s:%d: %s", path, fig->kv[i].line, err.msg);
        }
        if (!has_out)
            return cli_fail(CLI_USAGE, "%s:%d: [figure %s] needs 'out' (an image file name)",
                            path, fig->line, fig->name);
    }
    return CLI_OK;
}

/* What one call of figure or gallery asks of every recipe. */
typedef struct {
    const char *outdir;          /* where the figures go */
    int trust;                   /* --trust-recipe */
    const char *save_trajectory; /* figure --save-trajectory FILE (one recipe), or NULL */
    int announce;                /* figure: "wrote ..." for each file, as run and plot do */
} call_opts;

/* Every file the recipes of a call write (figures, saved trajectories and starts), to find
 * two that would overwrite each other: the same name, or one a figure's own file (its
 * files are named after its whole name: a.png writes a.png.gp and its data, a.tex writes
 * a.tex.pdf; a.png and a.svg share none). */
typedef struct {
    char where[1200]; /* "r.ini:7 (out = a.png)", for messages */
    char path[LSC_PLOT_PATH_MAX];
    int fig;
} out_seen;

typedef struct {
    out_seen *items;
    int n, cap;
} out_list;

/* a is the figure b, or one of its own files (b.gp, ...; b.pdf when b is a .tex) */
static int writes_over(const char *a, const char *b)
{
    static lsc_plot_opts o; /* large: not on the stack */
    lsc_plot_opts_default(&o);
    snprintf(o.out, sizeof o.out, "%s", b);
    return lsc_plot_writes(&o, a);
}

/* name in dir ("" or "." : as it is), without a leading "./", for comparisons */
static void norm_path(char *buf, size_t len, const char *dir, const char *name)
{
    if (!dir[0] || !strcmp(dir, "."))
        snprintf(buf, len, "%s", name);
    else
        snprintf(buf, len, "%s/%s", dir, name);
    while (buf[0] == '.' && buf[1] == '/')
        memmove(buf, buf + 2, strlen(buf + 2) + 1);
}

/* Note the file `path` (a figure when fig) that `where` asks for ("r.ini:7: out = a.png"),
 * refused when a file noted before would write it or be written by it. */
static int note_file(out_list *seen, const char *where, const char *where_short,
                     const char *path, int fig)
{
    for (int j = 0; j < seen->n; j++) {
        const out_seen *o = &seen->items[j];
        if (strcmp(o->path, path) && !(o->fig && writes_over(path, o->path)) &&
            !(fig && writes_over(o->path, path)))
            continue;
        char hint[LSC_PLOT_PATH_MAX + 80] = "";
        if (o->fig || fig)
            snprintf(hint, sizeof hint, "; a figure's own files are named after it: %.*s.gp, "
                     "...", LSC_PLOT_PATH_MAX - 1, o->fig ? o->path : path);
        return cli_fail(CLI_USAGE, "%s: %s writes %s too (give each figure and saved file "
                        "its own name%s)", where, o->where,
                        strcmp(o->path, path) ? "one of its files" : "it", hint);
    }
    if (seen->n == seen->cap) {
        int cap = seen->cap ? 2 * seen->cap : 32;
        out_seen *items = realloc(seen->items, (size_t)cap * sizeof *items);
        if (!items)
            return cli_fail(CLI_FAILED, "out of memory");
        seen->items = items;
        seen->cap = cap;
    }
    out_seen *o = &seen->items[seen->n++];
    snprintf(o->where, sizeof o->where, "%s", where_short);
    snprintf(o->path, sizeof o->path, "%s", path);
    o->fig = fig;
    return CLI_OK;
}

/* A file a recipe's [run] asks for (save_start, save_trajectory): a plain name, in the
 * output directory, into buf. */
static int saved_file(const lsc_recipe *r, const char *key, const char *v, int line,
                      const char *outdir, char *buf, size_t len)
{
    if (!v[0] || strchr(v, '/') || v[0] == '.' || lsc_has_control(v))
        return cli_fail(CLI_USAGE, "%s:%d: %s = %s: a plain file name is expected (it goes to "
                        "the output directory)", r->path, line, key, v);
    snprintf(buf, len, "%s%s%s", outdir, outdir[0] ? "/" : "", v);
    return CLI_OK;
}

/* The files r writes besides its figures: the start (save_start) and the trajectory
 * (--save-trajectory, else save_trajectory), each "" when not asked for. */
static int saved_files(const lsc_recipe *r, const call_opts *call, char *start, char *traj,
                       size_t len)
{
    start[0] = traj[0] = '\0';
    if (r->save_start_line && saved_file(r, "save_start", r->save_start, r->save_start_line,
                                         call->outdir, start, len) != CLI_OK)
        return CLI_USAGE;
    if (call->save_trajectory)
        snprintf(traj, len, "%s", call->save_trajectory);
    else if (r->save_trajectory_line &&
             saved_file(r, "save_trajectory", r->save_trajectory, r->save_trajectory_line,
                        call->outdir, traj, len) != CLI_OK)
        return CLI_USAGE;
    return CLI_OK;
}

/* Note every file r writes (its figures, then the saved files) in seen. */
static int note_outs(const lsc_recipe *r, const char *path, const call_opts *call,
                     out_list *seen)
{
    char where[1200], where_short[1200], file[LSC_PLOT_PATH_MAX];
    for (int k = 0; k < r->nfigures; k++)
        for (int i = 0; i < r->figure[k].nkv; i++) {
            const lsc_recipe_kv *kv = &r->figure[k].kv[i];
            if (strcmp(kv->key, "out"))
                continue;
            snprintf(where, sizeof where, "%s:%d: out = %s", path, kv->line, kv->val);
            snprintf(where_short, sizeof where_short, "%s:%d (out = %s)", path, kv->line,
                     kv->val);
            norm_path(file, sizeof file, call->outdir, kv->val);
            if (note_file(seen, where, where_short, file, 1) != CLI_OK)
                return CLI_USAGE;
        }
    char start[LSC_PLOT_PATH_MAX], traj[LSC_PLOT_PATH_MAX];
    if (saved_files(r, call, start, traj, sizeof start) != CLI_OK)
        return CLI_USAGE;
    if (start[0]) {
        snprintf(where, sizeof where, "%s:%d: save_start = %s", path, r->save_start_line,
                 r->save_start);
        snprintf(where_short, sizeof where_short, "%s:%d (save_start = %s)", path,
                 r->save_start_line, r->save_start);
        norm_path(file, sizeof file, "", start);
        if (note_file(seen, where, where_short, file, 0) != CLI_OK)
            return CLI_USAGE;
    }
    if (traj[0]) {
        if (call->save_trajectory) {
            snprintf(where, sizeof where, "--save-trajectory: '%.1100s'", traj);
            snprintf(where_short, sizeof where_short, "--save-trajectory");
        } else {
            snprintf(where, sizeof where, "%s:%d: save_trajectory = %s", path,
                     r->save_trajectory_line, r->save_trajectory);
            snprintf(where_short, sizeof where_short, "%s:%d (save_trajectory = %s)", path,
                     r->save_trajectory_line, r->save_trajectory);
        }
        norm_path(file, sizeof file, "", traj);
        if (note_file(seen, where, where_short, file, 0) != CLI_OK)
            return CLI_USAGE;
    }
    return CLI_OK;
}

/* Prepare r's experiment for its figures po: positions as the recipe says, else all for
 * a slice figure; then the landscape, the start, every optimizer and schedule. */
static int prepare_recipe(lsc_recipe *r, const lsc_plot_opts *po)
{
    lsc_error err = {0};
    int slice = 0;
    for (int k = 0; k < r->nfigures; k++)
        slice |= po[k].kind == LSC_PLOT_SLICE;
    if (slice && !lsc_experiment_is_set(r->experiment, 0, "positions"))
        lsc_experiment_set(r->experiment, "positions", "all", &err);
    return lsc_recipe_prepare(r, &err) == LSC_OK ? CLI_OK : cli_fail_err(&err);
}

/* The options of a [study NAME] recipe into a: the study known, every key one of its
 * options with an allowed value. Returns an exit status (printed). */
static int study_args(const lsc_recipe *r, lsc_study_args *a)
{
    const lsc_study_type *T = lsc_study_find(r->study);
    if (!T)
        return cli_fail(CLI_USAGE, "%s:%d: [study %s]: no such study ('losscape study --help' "
                        "lists them)", r->path, r->study_line, r->study);
    lsc_study_args_init(a, T);
    for (int i = 0; i < r->nstudy_kv; i++) {
        lsc_error err = {0};
        if (lsc_study_set(a, r->study_kv[i].key, r->study_kv[i].val, &err) != LSC_OK)
            return cli_fail(CLI_USAGE, "%s:%d: %s", r->path, r->study_kv[i].line, err.msg);
    }
    return CLI_OK;
}

static int add_rendered(rendered_list *done, const char *path, const lsc_recipe *r,
                        const char *out);

/* Run the study of a [study NAME] recipe into the output directory; its figures join the
 * gallery's index. Returns an exit status (printed). */
static int render_study(const lsc_recipe *r, const char *path, const call_opts *call,
                        rendered_list *done)
{
    static lsc_study_args a;
    int status = study_args(r, &a);
    if (status != CLI_OK)
        return status;
    lsc_error err = {0};
    char wrote[4096];
    if (lsc_study_run(&a, call->outdir[0] ? call->outdir : ".", NULL, NULL, wrote,
                      sizeof wrote, &err) != LSC_OK)
        return cli_fail(err.code == LSC_EINVAL ? CLI_USAGE : CLI_FAILED, "%s: [study %s]: %s",
                        path, r->study, err.msg);
    for (char *p = wrote; *p && status == CLI_OK;) {
        size_t len = strcspn(p, "\n");
        char name[512];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        p += len + (p[len] == '\n');
        const char *dot = strrchr(name, '.');
        if (call->announce)
            fprintf(stderr, "wrote %s/%s\n", call->outdir, name);
        if (done && dot && (!strcmp(dot, ".png") || !strcmp(dot, ".svg") || !strcmp(dot, ".pdf")))
            status = add_rendered(done, path, r, name);
    }
    return status;
}

/* Read and check a recipe before any work (see the top of the file). */
static int check_recipe(const char *path, const call_opts *call, out_list *seen)
{
    lsc_error err = {0};
    lsc_recipe *r = lsc_recipe_read(path, &err);
    if (!r)
        return cli_fail_err(&err);
    if (r->study[0]) { /* a study: its options checked now, its files made when it runs */
        static lsc_study_args a;
        int status = study_args(r, &a);
        lsc_recipe_free(r);
        return status;
    }
    lsc_plot_opts *po = calloc((size_t)r->nfigures, sizeof *po);
    int status = po ? figure_opts(r, path, call->outdir, call->trust, po)
                    : cli_fail(CLI_FAILED, "out of memory");
    if (status == CLI_OK)
        status = note_outs(r, path, call, seen);
    if (status == CLI_OK)
        status = prepare_recipe(r, po);
    free(po);
    lsc_recipe_free(r);
    return status;
}

static int add_rendered(rendered_list *done, const char *path, const lsc_recipe *r,
                        const char *out)
{
    if (done->n == done->cap) {
        int cap = done->cap ? 2 * done->cap : 16;
        rendered *items = realloc(done->items, (size_t)cap * sizeof *items);
        if (!items)
            return cli_fail(CLI_FAILED, "out of memory");
        done->items = items;
        done->cap = cap;
    }
    rendered *d = &done->items[done->n++];
    char b[256];
    snprintf(d->recipe, sizeof d->recipe, "%s", base_name(path, b, sizeof b));
    snprintf(d->path, sizeof d->path, "%s", path);
    const char *slash = strrchr(out, '/');
    snprintf(d->image, sizeof d->image, "%s", slash ? slash + 1 : out);
    snprintf(d->title, sizeof d->title, "%s", r->title);
    snprintf(d->caption, sizeof d->caption, "%s", r->caption);
    return CLI_OK;
}

/* Draw r's figures po (their options checked) from trajectory t into group. Returns an
 * exit status (printed). */
static int render_figures(lsc_recipe *r, lsc_plot_opts *po, const lsc_trajectory *t,
                          lsc_plot_group *group)
{
    lsc_error err = {0};
    lsc_experiment *x = r->experiment;
    const lsc_landscape *L = lsc_experiment_landscape(x);
    for (int k = 0; k < r->nfigures; k++) {
        po[k].group = group;
        int rc;
        if (po[k].kind == LSC_PLOT_BASINS) { /* computed, then drawn (basins.h) */
            lsc_basins b;
            rc = lsc_experiment_basins(x, &b, po[k].xlim, po[k].ylim, po[k].basin_n,
                                       po[k].basin_tol, &err);
            if (rc == LSC_OK)
                rc = lsc_plot_render_basins(&b, L, &po[k], &err);
            lsc_basins_free(&b);
        } else {
            rc = lsc_plot_render(t, L, &po[k], &err);
        }
        if (rc != LSC_OK)
            return cli_fail_err(&err);
    }
    return CLI_OK;
}

/* Put r's files in place: the trajectory (traj, "" none) is written to a temporary first,
 * then the figures of group are moved into place, then the trajectory, then the start
 * (start, "" none). group is freed. Returns an exit status (printed). */
static int put_in_place(lsc_recipe *r, const lsc_trajectory *t, lsc_plot_group *group,
                        const char *traj, const char *traj_what, const char *start)
{
    lsc_error err = {0};
    lsc_outfile of;
    int open = 0, rc = LSC_OK;
    if (traj[0]) {
        rc = lsc_outfile_open(&of, traj, traj_what, &err);
        open = rc == LSC_OK;
        if (open)
            rc = lsc_trajectory_write_stream(t, of.fp, &err);
    }
    if (rc == LSC_OK) {
        rc = lsc_plot_group_commit(group, &err);
        group = NULL;
    }
    if (rc == LSC_OK && open) {
        open = 0;
        rc = lsc_outfile_commit(&of, &err);
    }
    if (rc == LSC_OK && start[0])
        rc = lsc_experiment_save_start(r->experiment, start, &err);
    if (open)
        lsc_outfile_abort(&of);
    lsc_plot_group_abort(group);
    return rc == LSC_OK ? CLI_OK : cli_fail_err(&err);
}

/* "wrote ..." for each file of r, as run and plot say it (figure, not gallery). */
static void announce(const lsc_recipe *r, const lsc_plot_opts *po, const char *traj,
                     const char *start)
{
    char what[2 * LSC_PLOT_PATH_MAX + 64];
    for (int k = 0; k < r->nfigures; k++)
        fprintf(stderr, "wrote %s\n", lsc_plot_outputs(&po[k], what, sizeof what));
    if (traj[0])
        fprintf(stderr, "wrote %s (the trajectory)\n", traj);
    if (start[0])
        fprintf(stderr, "wrote %s (the start)\n", start);
}

/* Run a recipe and render its figures into the output directory: all of its files, or
 * none. The runs are the recipe's experiment (experiment.h); the figures only draw.
 * Returns an exit status (printed). */
static int render_recipe(const char *path, const call_opts *call, rendered_list *done)
{
    lsc_error err = {0};
    lsc_recipe *r = lsc_recipe_read(path, &err);
    if (!r)
        return cli_fail_err(&err);
    if (r->study[0]) {
        int status = render_study(r, path, call, done);
        lsc_recipe_free(r);
        return status;
    }
    lsc_experiment *x = r->experiment;
    lsc_trajectory t;
    int have_t = 0;
    char start[LSC_PLOT_PATH_MAX], traj[LSC_PLOT_PATH_MAX];

    /* Check every figure's options before running anything. */
    lsc_plot_opts *po = calloc((size_t)r->nfigures, sizeof *po);
    int status = po ? figure_opts(r, path, call->outdir, call->trust, po)
                    : cli_fail(CLI_FAILED, "out of memory");
    if (status == CLI_OK)
        status = saved_files(r, call, start, traj, sizeof start);
    if (status != CLI_OK)
        goto out;
    int need_runs = traj[0] != '\0';
    for (int k = 0; k < r->nfigures; k++)
        need_runs |= po[k].kind != LSC_PLOT_BASINS;
    if ((status = prepare_recipe(r, po)) != CLI_OK)
        goto out;
    const lsc_landscape *L = lsc_experiment_landscape(x);
    const int npos = lsc_experiment_npos(x), has_dist = lsc_experiment_has_dist(x);
    for (int k = 0; k < r->nfigures; k++) {
        int nr = po[k].kind == LSC_PLOT_BASINS ? r->noptimizers : need_runs ? r->noptimizers : 0;
        if (lsc_plot_opts_check(&po[k], L, npos, has_dist, lsc_experiment_columns(x), nr,
                                &err) != LSC_OK) {
            status = cli_fail(CLI_USAGE, "%s:%d: [figure %s] %s", path, r->figure[k].line,
                              r->figure[k].name, err.msg);
            goto out;
        }
        if (lsc_plot_gnuplot_check(&po[k], &err) != LSC_OK) {
            status = cli_fail_err(&err);
            goto out;
        }
    }

    if (need_runs) {
        have_t = 1;
        if (lsc_experiment_trajectory(x, &t, &err) != LSC_OK ||
            lsc_experiment_run(x, &t, NULL, NULL, &err) != LSC_OK) {
            status = cli_fail_err(&err);
            goto out;
        }
    }
    /* every figure into one group: its files appear when all rendered */
    lsc_plot_group *group = lsc_plot_group_new();
    if (!group) {
        status = cli_fail(CLI_FAILED, "out of memory");
        goto out;
    }
    status = render_figures(r, po, have_t ? &t : NULL, group);
    if (status != CLI_OK) {
        lsc_plot_group_abort(group);
        goto out;
    }
    status = put_in_place(r, have_t ? &t : NULL, group, traj,
                          call->save_trajectory ? "--save-trajectory" : "save_trajectory",
                          start);
    if (status == CLI_OK && call->announce)
        announce(r, po, traj, start);
    for (int k = 0; done && k < r->nfigures && status == CLI_OK; k++)
        status = add_rendered(done, path, r, po[k].out);
out:
    free(po);
    if (have_t)
        lsc_trajectory_free(&t);
    lsc_recipe_free(r);
    return status;
}

static const cli_flag figure_flags[] = {
    {"--out", 1, "DIR     directory for the figures (default: the current directory)"},
    {"--save-trajectory", 1, "FILE    also write the trajectory of the runs to FILE (one "
                             "recipe; instead of its save_trajectory key)"},
    {"--trust-recipe", 0, "        honour recipe keys that can run commands: style (a gnuplot "
                          "file) and gnuplot (a program); only for recipes you trust"},
    {"--help", 0, "        this text"},
};

const char cmd_figure_usage[] =
    "figure RECIPE.ini... [--out DIR] [--save-trajectory FILE] [--trust-recipe]";

int cmd_figure_flags(cli_flag *flags, int cap)
{
    return cli_copy_flags(flags, cap, figure_flags, LSC_COUNTOF(figure_flags));
}

/* --save-trajectory FILE, before any work: a file name in an existing directory (or the
 * output directory, made later), for one recipe. */
static int check_save_flag(const char *path, const char *outdir, int nrec)
{
    struct stat st;
    if (nrec > 1)
        return cli_fail(CLI_USAGE, "--save-trajectory: one file for one recipe (%d given; "
                        "a recipe's own save_trajectory key names its file)", nrec);
    if (!path[0] || lsc_has_control(path))
        return cli_fail(CLI_USAGE, "--save-trajectory: '%s': a file name is expected (no "
                        "control characters)", path);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_fail(CLI_USAGE, "--save-trajectory: '%s' is a directory (a file name is "
                        "expected)", path);
    const char *slash = strrchr(path, '/');
    if (slash) {
        char dir[LSC_PLOT_PATH_MAX];
        char d1[LSC_PLOT_PATH_MAX], d2[LSC_PLOT_PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
        norm_path(d1, sizeof d1, "", dir);
        norm_path(d2, sizeof d2, "", outdir);
        if (strcmp(d1, d2) && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
            return cli_fail(CLI_USAGE, "--save-trajectory: directory '%s' does not exist",
                            dir);
    }
    return CLI_OK;
}

int cmd_figure(int argc, char **argv)
{
    cli_args a = {argc, 1, argv, "figure", figure_flags, LSC_COUNTOF(figure_flags)};
    const cli_flag *fl;
    const char *v;
    const char *recipes[256];
    call_opts call = {.outdir = ".", .announce = 1};
    int nrec = 0, r;
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl) {
            if (nrec == 256)
                return cli_fail(CLI_USAGE, "figure: at most 256 recipes at once");
            recipes[nrec++] = v;
        } else if (!strcmp(fl->name, "--out"))
            call.outdir = v;
        else if (!strcmp(fl->name, "--save-trajectory"))
            call.save_trajectory = v;
        else if (!strcmp(fl->name, "--trust-recipe"))
            call.trust = 1;
        else {
            printf("usage: losscape %s\n\n", cmd_figure_usage);
            cli_print_flags(stdout, figure_flags, LSC_COUNTOF(figure_flags));
            printf("\nFiles a recipe reads (start = file:PATH or @PATH, data = NAME.csv, "
                   "style) are\nrelative to the recipe's folder; the files it writes go "
                   "into --out.\n");
            return CLI_OK;
        }
    }
    if (r < 0)
        return CLI_USAGE;
    if (!nrec)
        return cli_fail(CLI_USAGE, "figure: which recipe? e.g. 'losscape figure "
                        "plots/gallery/rosenbrock-race.ini'");
    for (int i = 0; i < nrec; i++) /* every recipe readable before anything is made */
        if (cli_input_file("figure", recipes[i]))
            return CLI_USAGE;
    if (call.save_trajectory && check_save_flag(call.save_trajectory, call.outdir, nrec))
        return CLI_USAGE;
    out_list seen = {0};
    int st = CLI_OK;
    for (int i = 0; i < nrec && st == CLI_OK; i++)
        st = check_recipe(recipes[i], &call, &seen);
    free(seen.items);
    if (st != CLI_OK)
        return st;
    if (make_dir(call.outdir) != 0)
        return cli_fail(CLI_USAGE, "--out: cannot create directory '%s': %s", call.outdir,
                        strerror(errno));
    for (int i = 0; i < nrec; i++) {
        st = render_recipe(recipes[i], &call, NULL);
        if (st)
            return st;
    }
    return CLI_OK;
}

/* ---- gallery ------------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void html_escaped(FILE *fp, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
}

static void md_escaped(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>#|", *s))
            fputc('\\', fp);
        fputc(*s == '\n' ? ' ' : *s, fp);
    }
}

/* The anchor of a recipe's section: "fig-" and its base name, with every byte other than
 * [A-Za-z0-9-_] as '-' (ids and href fragments need no escaping then). */
static void html_anchor(FILE *fp, const char *recipe)
{
    fputs("fig-", fp);
    for (const char *s = recipe; *s; s++)
        fputc(isalnum((unsigned char)*s) || *s == '-' || *s == '_' ? *s : '-', fp);
}

/* index.html: a contents grid of thumbnails, each linking to its figure's section, then
 * one section per recipe. A figure's title and caption are drawn inside its image, so the
 * page does not print them again: the title heads the section, the caption is only the
 * image's alt text, and below the image stands the command that renders it. Images scale
 * down to the screen's width (viewport meta, max-width) and link to the full-size file. */
static const char gallery_css[] =
    "body{font-family:sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;"
    "color:#222}\n"
    "nav{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.8em;"
    "margin:1em 0 2em}\n"
    "nav a{display:block;text-decoration:none;color:#222;font-size:.85em;line-height:1.3}\n"
    "nav img{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:contain;"
    "border:1px solid #ddd;background:#fff}\n"
    "section{margin:2.5em 0}\nfigure{margin:1em 0}\n"
    "figure img{display:block;max-width:100%;height:auto;border:1px solid #ddd}\n"
    "figcaption{margin-top:.4em}\n"
    "code{background:#f4f4f4;padding:.1em .3em;overflow-wrap:anywhere}\n";

static void write_index_html(FILE *fp, const rendered_list *done, const char *outdir)
{
    fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>losscape gallery</title>\n<style>\n", fp);
    fputs(gallery_css, fp);
    fputs("</style></head><body>\n<h1>losscape gallery</h1>\n<nav>\n", fp);
    for (int i = 0; i < done->n; i++) { /* one thumbnail per recipe: its first figure */
        const rendered *d = &done->items[i];
        if (i > 0 && strcmp(d->recipe, done->items[i - 1].recipe) == 0)
            continue;
        fputs("<a href=\"#", fp);
        html_anchor(fp, d->recipe);
        fputs("\"><img src=\"", fp);
        html_escaped(fp, d->image);
        fputs("\" alt=\"\">", fp);
        html_escaped(fp, d->title[0] ? d->title : d->recipe);
        fputs("</a>\n", fp);
    }
    fputs("</nav>\n", fp);
    for (int i = 0; i < done->n; i++) {
        const rendered *d = &done->items[i];
        int first = i == 0 || strcmp(d->recipe, done->items[i - 1].recipe) != 0;
        if (first) {
            if (i > 0)
                fputs("</section>\n", fp);
            fputs("<section id=\"", fp);
            html_anchor(fp, d->recipe);
            fputs("\"><h2>", fp);
            html_escaped(fp, d->title[0] ? d->title : d->recipe);
            fputs("</h2>\n", fp);
        }
        fputs("<figure><a href=\"", fp);
        html_escaped(fp, d->image);
        fputs("\"><img src=\"", fp);
        html_escaped(fp, d->image);
        fputs("\" alt=\"", fp);
        html_escaped(fp, d->caption[0] ? d->caption : d->title);
        fputs("\"></a><figcaption><code>losscape figure ", fp);
        html_escaped(fp, d->path);
        fputs(" --out ", fp);
        html_escaped(fp, outdir);
        fputs("</code></figcaption></figure>\n", fp);
    }
    if (done->n > 0)
        fputs("</section>\n", fp);
    fputs("</body></html>\n", fp);
}

static void write_index_md(FILE *fp, const rendered_list *done, const char *outdir)
{
    fputs("# losscape gallery\n\n", fp);
    for (int i = 0; i < done->n; i++) {
        const rendered *d = &done->items[i];
        int first = i == 0 || strcmp(d->recipe, done->items[i - 1].recipe) != 0;
        if (first) {
            fputs("## ", fp);
            md_escaped(fp, d->title[0] ? d->title : d->recipe);
            fputs("\n\n", fp);
        }
        fputs("![", fp);
        md_escaped(fp, d->title);
        fprintf(fp, "](%s)\n\n", d->image);
        if (first && d->caption[0]) {
            md_escaped(fp, d->caption);
            fputs("\n\n", fp);
        }
        fprintf(fp, "`losscape figure %s --out %s`\n\n", d->path, outdir);
    }
}

/* Write DIR/NAME through outfile.h (a temporary of its own beside it, renamed when
 * whole: two galleries into one directory never share a temporary). */
static int write_index(const char *dir, const char *name, const rendered_list *done,
                       const char *outdir, int html, lsc_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    lsc_outfile of;
    if (lsc_outfile_open(&of, path, "--out", err) != LSC_OK)
        return -1;
    if (html)
        write_index_html(of.fp, done, outdir);
    else
        write_index_md(of.fp, done, outdir);
    return lsc_outfile_commit(&of, err) == LSC_OK ? 0 : -1;
}

static const cli_flag gallery_flags[] = {
    {"--out", 1, "DIR     output directory (default plots/out)"},
    {"--recipes", 1, "DIR     recipe directory (default plots/gallery)"},
    {"--only", 1, "NAME    render only this recipe (repeatable; NAME without .ini)"},
    {"--jobs", 1, "J       render J recipes at once, each in its own process (default 0: one "
                  "per core; 1: one after another in this process)"},
    {"--trust-recipe", 0, "        honour recipe keys that can run commands: style (a gnuplot "
                          "file) and gnuplot (a program); only for recipes you trust"},
    {"--help", 0, "        this text"},
};

const char cmd_gallery_usage[] =
    "gallery [--out DIR] [--recipes DIR] [--only NAME...] [--jobs J] [--trust-recipe]";

int cmd_gallery_flags(cli_flag *flags, int cap)
{
    return cli_copy_flags(flags, cap, gallery_flags, LSC_COUNTOF(gallery_flags));
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The recipe folder when --recipes is not given, or NULL: plots/gallery of the current
 * folder (a source tree); else the data folder installed with this executable, found from
 * the executable's own path (so a moved installation, or one in a DESTDIR, finds its own);
 * else, for an executable that runs from its build tree, the source tree it was built from;
 * else the installed data folder by its configured path (meson.build: LSC_DATADIR). */
static const char *gallery_recipes(char *buf, size_t len)
{
    if (is_dir("plots/gallery"))
        return "plots/gallery";
    char exe[LSC_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    int w;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash && LSC_BINDIR_TO_DATADIR[0]) {
            *slash = '\0';
            w = snprintf(buf, len, "%s/%s/gallery", exe, LSC_BINDIR_TO_DATADIR);
            *slash = '/';
            if (w > 0 && (size_t)w < len && is_dir(buf))
                return buf;
        }
        const size_t rl = strlen(LSC_BUILD_ROOT);
        if (!strncmp(exe, LSC_BUILD_ROOT, rl) && exe[rl] == '/') {
            w = snprintf(buf, len, "%s/plots/gallery", LSC_SOURCE_ROOT);
            if (w > 0 && (size_t)w < len && is_dir(buf))
                return buf;
        }
    }
    w = snprintf(buf, len, "%s/gallery", LSC_DATADIR);
    return w > 0 && (size_t)w < len && is_dir(buf) ? buf : NULL;
}

/* The recipes one gallery call renders, in order, and what came of them. */
typedef struct {
    const call_opts *call;
    char (*paths)[1400];
    int total;
    rendered_list done; /* in recipe order */
    int failed, status;
} gallery_run;

static void announce_recipe(const gallery_run *g, int i)
{
    char b[256];
    fprintf(stderr, "[%d/%d] %s ...", i + 1, g->total, base_name(g->paths[i], b, sizeof b));
    fflush(stderr);
}

static void gallery_result(gallery_run *g, int i, int status, double seconds)
{
    (void)i;
    if (status == CLI_OK) {
        fprintf(stderr, " %.1f s\n", seconds);
    } else {
        g->failed++;
        if (g->status == CLI_OK)
            g->status = status;
    }
}

/* Recipe i in a child process (jobs.h): its rendered figures back to the parent. */
static int gallery_job(void *ctx, int i, FILE *back)
{
    gallery_run *g = ctx;
    rendered_list mine = {0};
    int status = render_recipe(g->paths[i], g->call, &mine);
    if (mine.n && fwrite(mine.items, sizeof *mine.items, (size_t)mine.n, back) !=
                      (size_t)mine.n)
        status = cli_fail(CLI_FAILED, "gallery: cannot hand back the figures of '%s'",
                          g->paths[i]);
    free(mine.items);
    return status;
}

/* In the parent, in recipe order: what the child said, and its figures into the index. */
static void gallery_job_done(void *ctx, int i, int status, FILE *msgs, FILE *back,
                             double seconds)
{
    gallery_run *g = ctx;
    announce_recipe(g, i);
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, msgs)) > 0)
        fwrite(buf, 1, k, stderr);
    rendered item;
    while (status == CLI_OK && fread(&item, sizeof item, 1, back) == 1) {
        if (g->done.n == g->done.cap) {
            int cap = g->done.cap ? 2 * g->done.cap : 16;
            rendered *items = realloc(g->done.items, (size_t)cap * sizeof *items);
            if (!items) {
                status = cli_fail(CLI_FAILED, "out of memory");
                break;
            }
            g->done.items = items;
            g->done.cap = cap;
        }
        g->done.items[g->done.n++] = item;
    }
    gallery_result(g, i, status, seconds);
}

int cmd_gallery(int argc, char **argv)
{
    cli_args a = {argc, 1, argv, "gallery", gallery_flags, LSC_COUNTOF(gallery_flags)};
    const cli_flag *fl;
    const char *v, *outdir = NULL, *recdir = NULL, *only[64];
    int nonly = 0, r, trust = 0;
    long jobs = 0;
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl)
            return cli_fail(CLI_USAGE, "gallery: unexpected argument '%s' (use --only NAME)", v);
        if (!strcmp(fl->name, "--out"))
            outdir = v;
        else if (!strcmp(fl->name, "--recipes"))
            recdir = v;
        else if (!strcmp(fl->name, "--only")) {
            if (nonly == 64)
                return cli_fail(CLI_USAGE, "--only: at most 64 names");
            only[nonly++] = v;
        } else if (!strcmp(fl->name, "--trust-recipe")) {
            trust = 1;
        } else if (!strcmp(fl->name, "--jobs")) {
            if (cli_long("--jobs", v, 0, 256, &jobs) != CLI_OK)
                return CLI_USAGE;
        } else {
            printf("usage: losscape %s\n\n", cmd_gallery_usage);
            cli_print_flags(stdout, gallery_flags, LSC_COUNTOF(gallery_flags));
            return CLI_OK;
        }
    }
    if (r < 0)
        return CLI_USAGE;
    static char rdef[1024];
    if (!recdir && !(recdir = gallery_recipes(rdef, sizeof rdef)))
        return cli_fail(CLI_USAGE, "gallery: no recipes: no plots/gallery here and none "
                        "installed in '%s/gallery' (use --recipes DIR)", LSC_DATADIR);
    if (!outdir)
        outdir = "plots/out"; /* of the current folder, wherever the recipes come from */
    const call_opts call = {.outdir = outdir, .trust = trust};

    DIR *d = opendir(recdir);
    if (!d)
        return cli_fail(CLI_USAGE, "--recipes: cannot read directory '%s': %s", recdir,
                        strerror(errno));
    char *names[512];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 512) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".ini") && e->d_name[0] != '.')
            names[nn++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], by_name);
    for (int k = 0; k < nonly; k++) {
        int found = 0;
        for (int i = 0; i < nn; i++) {
            char b[256];
            found |= !strcmp(base_name(names[i], b, sizeof b), only[k]);
        }
        if (!found) {
            const char *cands[512];
            char bases[512][64];
            for (int i = 0; i < nn; i++) {
                snprintf(bases[i], sizeof bases[i], "%s", names[i]);
                bases[i][strlen(bases[i]) - 4] = '\0';
                cands[i] = bases[i];
            }
            const char *close = lsc_closest(only[k], cands, nn);
            int s = cli_fail(CLI_USAGE, "--only: no recipe '%s' in %s%s%s%s", only[k], recdir,
                             close ? " (did you mean '" : "", close ? close : "",
                             close ? "'?)" : "");
            for (int i = 0; i < nn; i++)
                free(names[i]);
            return s;
        }
    }
    /* every recipe checked before any work (nothing created on a bad one) */
    out_list seen = {0};
    int status = CLI_OK, count = 0, total = 0;
    for (int i = 0; i < nn && status == CLI_OK; i++) {
        char b[256], path[1400];
        int take = !nonly;
        for (int k = 0; k < nonly; k++)
            take |= !strcmp(base_name(names[i], b, sizeof b), only[k]);
        total += take;
        snprintf(path, sizeof path, "%s/%s", recdir, names[i]);
        if (take)
            status = check_recipe(path, &call, &seen);
    }
    free(seen.items);
    if (status == CLI_OK && make_dir(outdir) != 0)
        status = cli_fail(CLI_USAGE, "--out: cannot create directory '%s': %s", outdir,
                          strerror(errno));
    if (status != CLI_OK) {
        for (int i = 0; i < nn; i++)
            free(names[i]);
        return status;
    }
    /* One failing recipe does not stop the others: it is reported, and the gallery
     * exits with its status after writing the index of what did render. */
    gallery_run g = {.call = &call, .total = total};
    g.paths = calloc((size_t)(total > 0 ? total : 1), sizeof *g.paths);
    if (!g.paths) {
        for (int i = 0; i < nn; i++)
            free(names[i]);
        return cli_fail(CLI_FAILED, "out of memory");
    }
    for (int i = 0; i < nn; i++) {
        char b[256];
        const char *base = base_name(names[i], b, sizeof b);
        int take = !nonly;
        for (int k = 0; k < nonly; k++)
            take |= !strcmp(base, only[k]);
        if (take)
            snprintf(g.paths[count++], sizeof g.paths[0], "%s/%s", recdir, names[i]);
    }
    lsc_error err = {0};
    double t0 = now();
    if (jobs == 1 || total == 1) {
        for (int i = 0; i < total; i++) {
            announce_recipe(&g, i);
            double t1 = now();
            gallery_result(&g, i, render_recipe(g.paths[i], &call, &g.done), now() - t1);
        }
    } else if (cli_jobs_run(total, (int)jobs, gallery_job, gallery_job_done, &g) != 0) {
        cli_fail(CLI_FAILED, "gallery: cannot start a process: %s", strerror(errno));
        g.status = g.status ? g.status : CLI_FAILED;
    }
    free(g.paths);
    if (g.status != CLI_OK)
        status = g.status;
    const rendered_list done = g.done;
    const int failed = g.failed;
    for (int i = 0; i < nn; i++)
        free(names[i]);
    if (nonly) {
        /* a partial run keeps the full gallery's index */
        fprintf(stderr, "%d figures from %d recipes in %.1f s (index not rewritten: --only)\n",
                done.n, count - failed, now() - t0);
    } else if (write_index(outdir, "index.md", &done, outdir, 0, &err) != 0 ||
               write_index(outdir, "index.html", &done, outdir, 1, &err) != 0) {
        cli_fail(CLI_FAILED, "cannot write the index in '%s': %s", outdir, err.msg);
        if (status == CLI_OK)
            status = CLI_FAILED;
    } else {
        fprintf(stderr, "%d figures from %d recipes in %.1f s: %s/index.html\n", done.n,
                count - failed, now() - t0, outdir);
    }
    if (failed)
        cli_fail(status, "%d of %d recipes failed (see above)", failed, count);
    free(done.items);
    return status;
}
