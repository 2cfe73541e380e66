/* cmd_run.c — `losscape run`: optimizers from one start on one landscape, to a TSV file */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const cli_flag run_flags[] = {
    {"--landscape", 1, "SPEC    landscape, e.g. rosenbrock or quadratic:kappa=100 (required)"},
    {"--optimizer", 1, "SPEC    optimizer, e.g. adam:lr=0.01,label=Adam; repeat to race "
                       "several (required)"},
    {"--start", 1, "X1,X2,.. start point (default: the landscape's first standard start)"},
    {"--start-random", 0, "        uniform random start in the landscape's box (seeded)"},
    {"--steps", 1, "N       number of updates (default 1000)"},
    {"--dim", 1, "N       dimension of an n-D landscape"},
    {"--schedule", 1, "SPEC    learning-rate schedule, e.g. cosine:T_max=500 or "
                      "warmup:total_iters=50+cosine:T_max=500"},
    {"--clip-norm", 1, "C       clip the gradient's norm to C (torch clip_grad_norm_)"},
    {"--clip-value", 1, "C       clip each gradient entry to [-C, C] (torch clip_grad_value_)"},
    {"--noise", 1, "SIGMA   add N(0, SIGMA^2 I) noise to every gradient"},
    {"--seed", 1, "S       random seed (default 1)"},
    {"--stop-grad", 1, "TOL     stop a run when |grad f| <= TOL"},
    {"--every", 1, "K       record every K-th step (first and last always; default 1)"},
    {"--positions", 1, "WHICH   all | first:K | none (default: all for n <= 64, else none)"},
    {"--out", 1, "FILE    write the trajectory to FILE (default '-': standard output)"},
    {"--quiet", 0, "        no summary table on standard error"},
    {"--plot", 1, "FIG     also draw the runs into FIG (.png .svg .pdf .tex .gif); every "
                  "'losscape plot' option applies (--kind, --size, ...)"},
    {"--help", 0, "        this text"},
};
#define NFLAGS ((int)(sizeof run_flags / sizeof run_flags[0]))
#define MAX_OPTIMIZERS 32

typedef struct {
    const char *landscape, *schedule, *start, *out, *positions;
    const char *optimizers[MAX_OPTIMIZERS];
    int noptimizers, start_random, quiet;
    long steps, dim, every;
    double clip_norm, clip_value, noise, stop_grad;
    unsigned long long seed;
    const char *plot;
    const char *plot_flag; /* the first plot option given (--kind, ...), or NULL */
    lsc_plot_opts plot_opts;
} run_args;

static int parse_seed(const char *v, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!v[0] || v[0] == '-' || v[0] == '+') {
        cli_fail(CLI_USAGE, "--seed: '%s' is not allowed (expected an integer from 0 to "
                 "18446744073709551615)", v);
        return -1;
    }
    unsigned long long s = strtoull(v, &end, 10);
    if (end == v || *end || errno) {
        cli_fail(CLI_USAGE, "--seed: '%s' is not allowed (expected an integer from 0 to "
                 "18446744073709551615)", v);
        return -1;
    }
    *out = s;
    return 0;
}

static int parse_args(int argc, char **argv, run_args *ra)
{
    cli_flag flags[200];
    int nflags = cli_plot_flags(flags, 200, run_flags, NFLAGS);
    cli_args a = {argc, 1, argv, "run", flags, nflags};
    int st;
    const cli_flag *fl;
    const char *v;
    int r;
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl)
            return cli_fail(CLI_USAGE, "run: unexpected argument '%s' (options start with "
                            "--; 'losscape run --help' lists them)", v), -1;
        const char *f = fl->name;
        if (!strcmp(f, "--help")) {
            printf("usage: losscape run --landscape SPEC --optimizer SPEC [--optimizer SPEC "
                   "...] [options]\n\n");
            cli_print_flags(stdout, run_flags, NFLAGS);
            printf("\nSPEC is name[:key=value,...]; lists inside a value use ';' "
                   "(milestones=100;200).\nWith --plot, the options of 'losscape plot' "
                   "apply ('losscape plot --help').\n");
            return 1;
        } else if (!strcmp(f, "--landscape"))
            ra->landscape = v;
        else if (!strcmp(f, "--optimizer")) {
            if (ra->noptimizers == MAX_OPTIMIZERS)
                return cli_fail(CLI_USAGE, "--optimizer: at most %d per run", MAX_OPTIMIZERS),
                       -1;
            ra->optimizers[ra->noptimizers++] = v;
        } else if (!strcmp(f, "--start"))
            ra->start = v;
        else if (!strcmp(f, "--start-random"))
            ra->start_random = 1;
        else if (!strcmp(f, "--steps")) {
            if (cli_long(f, v, 0, 1000000000L, &ra->steps))
                return -1;
        } else if (!strcmp(f, "--dim")) {
            if (cli_long(f, v, 1, LSC_MAX_DIM, &ra->dim))
                return -1;
        } else if (!strcmp(f, "--every")) {
            if (cli_long(f, v, 1, 1000000000L, &ra->every))
                return -1;
        } else if (!strcmp(f, "--schedule"))
            ra->schedule = v;
        else if (!strcmp(f, "--clip-norm")) {
            /* finite, and at most 1e12: beyond that it could never clip a useful step */
            if (cli_double(f, v, 0, 1e12, 1, &ra->clip_norm))
                return -1;
        } else if (!strcmp(f, "--clip-value")) {
            if (cli_double(f, v, 0, 1e12, 1, &ra->clip_value))
                return -1;
        } else if (!strcmp(f, "--noise")) {
            /* sigma beyond 1e6 drowns the gradient of every built-in landscape */
            if (cli_double(f, v, 0, 1e6, 0, &ra->noise))
                return -1;
        } else if (!strcmp(f, "--stop-grad")) {
            if (cli_double(f, v, 0, 1e12, 0, &ra->stop_grad))
                return -1;
        } else if (!strcmp(f, "--seed")) {
            if (parse_seed(v, &ra->seed))
                return -1;
        } else if (!strcmp(f, "--positions"))
            ra->positions = v;
        else if (!strcmp(f, "--out")) {
            if (!*v)
                return cli_fail(CLI_USAGE, "--out: empty file name (use '-' for standard "
                                "output)"), -1;
            ra->out = v;
        } else if (!strcmp(f, "--quiet"))
            ra->quiet = 1;
        else if (!strcmp(f, "--plot")) {
            lsc_error e = {0};
            if (!*v)
                return cli_fail(CLI_USAGE, "--plot: empty file name"), -1;
            if (lsc_plot_opts_set(&ra->plot_opts, "out", v, &e) != LSC_OK)
                return cli_fail(CLI_USAGE, "--plot: %s", e.msg), -1;
            ra->plot = v;
        } else {
            if ((st = cli_plot_apply(&ra->plot_opts, fl, v)) != 0)
                return -1;
            if (!ra->plot_flag)
                ra->plot_flag = f;
        }
    }
    if (r < 0)
        return -1;
    if (!ra->landscape)
        return cli_fail(CLI_USAGE, "run: --landscape is required (e.g. --landscape "
                        "rosenbrock; 'losscape list landscapes' shows all)"), -1;
    if (ra->noptimizers == 0)
        return cli_fail(CLI_USAGE, "run: --optimizer is required (e.g. --optimizer "
                        "adam:lr=0.01; 'losscape list optimizers' shows all)"), -1;
    if (ra->start && ra->start_random)
        return cli_fail(CLI_USAGE, "run: --start and --start-random exclude each other"), -1;
    if (ra->plot_flag && !ra->plot)
        return cli_fail(CLI_USAGE, "run: %s is a figure option: it needs --plot FIG.png",
                        ra->plot_flag), -1;
    return 0;
}

/* --positions all | none | first:K  ->  number of coordinates to store (K from 1 to n) */
static int parse_positions(const char *v, int n, int *npos)
{
    long k;
    if (!v)
        *npos = n <= 64 ? n : 0;
    else if (!strcmp(v, "all"))
        *npos = n;
    else if (!strcmp(v, "none"))
        *npos = 0;
    else if (!strncmp(v, "first:", 6) && lsc_parse_long(v + 6, &k) == LSC_OK && k >= 1 &&
             k <= n) {
        *npos = (int)k;
    } else {
        cli_fail(CLI_USAGE, "--positions: '%s' is not allowed (expected all, none or first:K "
                 "with K from 1 to %d, the landscape's dimension)", v, n);
        return -1;
    }
    return 0;
}

/* --out before any work: its directory must exist, and it must not be a directory, nor
 * a file the figure of --plot writes (FIG.png, FIG.gp, FIG.paths.tsv, ...). */
static int check_out(const run_args *ra)
{
    const char *out = ra->out;
    struct stat st;
    if (!strcmp(out, "-"))
        return 0;
    if (lsc_has_control(out))
        return cli_fail(CLI_USAGE, "--out: '%s': control characters (newline, tab, ...) are "
                        "not allowed in a file name", out), -1;
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_fail(CLI_USAGE, "--out: '%s' is a directory (a file name is expected)", out),
               -1;
    const char *slash = strrchr(out, '/');
    if (slash) {
        char dir[LSC_PLOT_PATH_MAX];
        size_t dl = slash == out ? 1 : (size_t)(slash - out);
        if (dl >= sizeof dir)
            return cli_fail(CLI_USAGE, "--out: the path is too long"), -1;
        memcpy(dir, out, dl);
        dir[dl] = '\0';
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return cli_fail(CLI_USAGE, "--out: directory '%s' does not exist", dir), -1;
    }
    if (ra->plot) {
        /* The figure writes FIG.EXT, FIG.gp, FIG.pdf (for .tex) and data files
         * FIG.WHAT.EXT (FIG.paths.tsv, FIG.grid.f32, ...), FIG being --plot without its
         * extension. */
        const char *fig = ra->plot_opts.out, *dot = strrchr(fig, '.'), *fs = strrchr(fig, '/');
        size_t stem = dot && (!fs || dot > fs) ? (size_t)(dot - fig) : strlen(fig);
        const char *rest = !strncmp(out, fig, stem) && out[stem] == '.' ? out + stem + 1 : NULL;
        if (!strcmp(out, fig) ||
            (rest && (!strcmp(rest, "gp") || !strcmp(rest, "pdf") || strchr(rest, '.'))))
            return cli_fail(CLI_USAGE, "--out: '%s' would be overwritten by the figure '%s' or "
                            "its own files (%.*s.gp, %.*s.paths.tsv, ...): choose another name",
                            out, fig, (int)stem, fig, (int)stem, fig), -1;
    }
    return 0;
}

static int make_start(const run_args *ra, const lsc_landscape *L, double *x0)
{
    const int n = L->n;
    if (ra->start) {
        int k = lsc_parse_list(ra->start, ',', x0, n);
        if (k < 0) {
            /* count the entries to say what was wrong */
            int commas = 0;
            for (const char *p = ra->start; *p; p++)
                commas += *p == ',';
            if (commas + 1 > n)
                return cli_fail(CLI_USAGE, "--start: %d coordinates given, landscape '%s' has "
                                "dimension %d", commas + 1, L->type->name, n), -1;
            return cli_fail(CLI_USAGE, "--start: '%s' is not allowed (expected %d numbers "
                            "separated by ',')", ra->start, n), -1;
        }
        if (k != n)
            return cli_fail(CLI_USAGE, "--start: %d coordinate%s given, landscape '%s' has "
                            "dimension %d", k, k == 1 ? "" : "s", L->type->name, n), -1;
        for (int j = 0; j < n; j++)
            if (!isfinite(x0[j]))
                return cli_fail(CLI_USAGE, "--start: coordinate %d is not finite", j + 1), -1;
        return 0;
    }
    if (ra->start_random || lsc_landscape_nstarts(L) == 0) {
        double *lo = malloc((size_t)n * sizeof *lo), *hi = malloc((size_t)n * sizeof *hi);
        gsl_rng *rng = lsc_rng_for_run(ra->seed, ~0ULL); /* not any run's generator */
        if (!lo || !hi || !rng) {
            free(lo);
            free(hi);
            if (rng)
                gsl_rng_free(rng);
            return cli_fail(CLI_FAILED, "out of memory"), -1;
        }
        lsc_landscape_box(L, lo, hi);
        int tries = 0;
        do {
            for (int j = 0; j < n; j++)
                x0[j] = lo[j] + (hi[j] - lo[j]) * gsl_rng_uniform(rng);
        } while (!lsc_landscape_in_domain(L, x0) && ++tries < 1000);
        free(lo);
        free(hi);
        gsl_rng_free(rng);
        return 0;
    }
    lsc_landscape_start(L, 0, x0);
    return 0;
}

/* Progress on a terminal: at most five updates a second, on one line of stderr. */
typedef struct {
    int nruns;
    double last;
    int shown;
} progress_state;

static void show_progress(void *user, int run, long done, long steps)
{
    progress_state *ps = user;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    if (now - ps->last < 0.2)
        return;
    ps->last = now;
    ps->shown = 1;
    fprintf(stderr, "\rrun %d/%d: step %ld of %ld (%.0f%%)   ", run + 1, ps->nruns, done, steps,
            100.0 * (double)done / (double)steps);
    fflush(stderr);
}

static void summary(const lsc_trajectory *t, FILE *fp)
{
    char b1[32], b2[32];
    fprintf(fp, "%-16s %-11s %8s  %-24s %-12s\n", "run", "status", "steps", "final loss",
            "|grad f|");
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        size_t k = r->len ? r->len - 1 : 0;
        fprintf(fp, "%-16s %-11s %8ld  %-24s %-12s\n", r->label, lsc_stop_name(r->status),
                r->len ? r->step[k] : 0L, r->len ? lsc_fmt_double(b1, r->loss[k]) : "-",
                r->len ? (snprintf(b2, sizeof b2, "%.3g", r->grad_norm[k]), b2) : "-");
    }
}

int cmd_run(int argc, char **argv)
{
    run_args ra = {.steps = 1000, .every = 1, .seed = 1, .out = "-"};
    lsc_plot_opts_default(&ra.plot_opts);
    int r = parse_args(argc, argv, &ra);
    if (r)
        return r > 0 ? CLI_OK : CLI_USAGE;

    lsc_error err = {0};
    int status = CLI_OK, npos;
    lsc_optim *opt[MAX_OPTIMIZERS] = {0};
    lsc_schedule *sched = NULL;
    lsc_trajectory t;
    lsc_trajectory_stream stream = {0}; /* rows go to --out as they are recorded */
    lsc_plot_group *plot_group = NULL; /* the --plot figure, committed with the trajectory */
    double *x0 = NULL;
    int have_traj = 0;

    lsc_landscape *L = lsc_landscape_new(ra.landscape, (int)ra.dim, "--landscape", &err);
    if (!L)
        return cli_fail_err(&err);
    const int n = L->n;
    if (parse_positions(ra.positions, n, &npos)) {
        status = CLI_USAGE;
        goto out;
    }
    x0 = malloc((size_t)n * sizeof *x0);
    if (!x0) {
        status = cli_fail(CLI_FAILED, "out of memory");
        goto out;
    }
    if (make_start(&ra, L, x0)) {
        status = CLI_USAGE;
        goto out;
    }
    for (int i = 0; i < ra.noptimizers; i++)
        if (!(opt[i] = lsc_optim_new(ra.optimizers[i], (size_t)n, "--optimizer", &err))) {
            status = cli_fail_err(&err);
            goto out;
        }
    if (ra.schedule && !(sched = lsc_schedule_new(ra.schedule, "--schedule", &err))) {
        status = cli_fail_err(&err);
        goto out;
    }

    lsc_run_opts opts = {.landscape = L, .schedule = sched, .steps = ra.steps,
                         .stop_grad = ra.stop_grad, .clip_norm = ra.clip_norm,
                         .clip_value = ra.clip_value, .noise = ra.noise, .seed = ra.seed,
                         .every = ra.every};
    /* dist to the nearest known minimum, for landscapes too large to store positions */
    int has_dist = n > 64 && npos < n;
    if (has_dist) {
        has_dist = 0;
        double *xb = malloc((size_t)n * sizeof *xb);
        for (int k = 0; xb && k < lsc_landscape_ncritical(L) && !has_dist; k++) {
            lsc_critical cp = {.x = xb};
            lsc_landscape_critical(L, k, &cp);
            has_dist = cp.kind == LSC_CP_MIN;
        }
        free(xb);
    }
    /* Every option is checked now, before any work: a wrong one leaves no file behind. */
    if (check_out(&ra)) {
        status = CLI_USAGE;
        goto out;
    }
    if (ra.plot && lsc_plot_opts_check(&ra.plot_opts, L, npos, has_dist, ra.noptimizers,
                                       &err) != LSC_OK) {
        status = cli_fail(CLI_USAGE, "--plot: %s", err.msg);
        goto out;
    }
    /* progress only on a terminal, and only once a run has taken a moment (see last) */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    progress_state prog = {ra.noptimizers, (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec + 0.8,
                           0};
    if (!ra.quiet && isatty(STDERR_FILENO)) {
        opts.progress = show_progress;
        opts.progress_user = &prog;
    }
    lsc_trajectory_init(&t, n, npos, has_dist);
    have_traj = 1;
    lsc_trajectory_describe_opts(&t, &opts);
    /* Stream the rows to --out (memory does not grow with --steps); with --plot every row
     * is kept too, for the figure (so '-' and devices work, without reading back). */
    if (lsc_trajectory_check_size(&t, ra.noptimizers, ra.out, ra.plot != NULL, &err)) {
        status = cli_fail(CLI_USAGE, "--steps %ld --every %ld: %s", ra.steps, ra.every,
                          err.msg);
        goto out;
    }
    if (lsc_trajectory_stream_open(&stream, &t, ra.out, ra.plot != NULL, &err) != LSC_OK) {
        status = cli_fail_err(&err);
        goto out;
    }
    opts.record = lsc_trajectory_stream_row;
    opts.record_user = &stream;
    for (int i = 0; i < ra.noptimizers; i++) {
        lsc_run_record *rec = lsc_trajectory_add_run(&t);
        if (!rec) {
            status = cli_fail(CLI_FAILED, "out of memory");
            goto out;
        }
        int rc = lsc_run(&opts, opt[i], x0, i, &t, rec, &err);
        if (rc < 0) {
            status = cli_fail_err(&err);
            goto out;
        }
    }
    if (prog.shown)
        fprintf(stderr, "\r%60s\r", "");
    /* The figure is drawn into a commit group first, so that the trajectory and the
     * figure land together: a failed render leaves no trajectory, and a trajectory that
     * cannot be written leaves no figure. */
    if (ra.plot) {
        lsc_plot_opts *po = &ra.plot_opts;
        if (!(po->group = plot_group = lsc_plot_group_new())) {
            status = cli_fail(CLI_FAILED, "out of memory");
            goto out;
        }
        int rc;
        if (po->kind == LSC_PLOT_BASINS) { /* computed, then drawn (basins.h) */
            lsc_basins b;
            rc = lsc_basins_compute(&b, L, ra.optimizers, ra.noptimizers, &opts, po->xlim,
                                    po->ylim, po->basin_n, po->basin_tol, &err);
            if (rc == LSC_OK)
                rc = lsc_plot_render_basins(&b, L, po, &err);
            lsc_basins_free(&b);
        } else {
            rc = lsc_plot_render(&t, L, po, &err);
        }
        if (rc != LSC_OK) {
            status = cli_fail_err(&err);
            goto out;
        }
    }
    if (lsc_trajectory_stream_finish(&stream, &err) != LSC_OK) {
        status = cli_fail_err(&err);
        goto out;
    }
    if (plot_group) {
        lsc_plot_group *g = plot_group;
        plot_group = NULL; /* commit frees it, whatever happens */
        if (lsc_plot_group_commit(g, &err) != LSC_OK) {
            status = cli_fail_err(&err);
            goto out;
        }
    }
    if (!ra.quiet)
        summary(&t, stderr);
    if (ra.plot && !ra.quiet) {
        char what[2 * LSC_PLOT_PATH_MAX + 64];
        fprintf(stderr, "wrote %s\n", lsc_plot_outputs(&ra.plot_opts, what, sizeof what));
    }
out:
    lsc_plot_group_abort(plot_group);
    lsc_trajectory_stream_abort(&stream); /* temporaries, on an error; nothing after finish */
    if (have_traj)
        lsc_trajectory_free(&t);
    for (int i = 0; i < ra.noptimizers; i++)
        lsc_optim_free(opt[i]);
    lsc_schedule_free(sched);
    lsc_landscape_free(L);
    free(x0);
    return status;
}
