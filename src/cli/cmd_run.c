/* cmd_run.c — `losscape run`: an experiment (experiment.h) from the flags, to a TSV file */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The flags: the experiment's own keys, one per driver option of lsc_driver_options
 * (trajectory.h: --NAME with '-' for '_', its help from the table), then the verb's. */
static const cli_flag head_flags[] = {
    {"--landscape", 1, "SPEC    landscape, e.g. rosenbrock or quadratic:kappa=100 (required)"},
    {"--optimizer", 1, "SPEC    optimizer, e.g. adam:lr=0.01,label=Adam; repeat to race "
                       "several (required)"},
    {"--group", 1, NULL}, /* help made from the table's group options (make_run_flags) */
    {"--start", 1, "X1,X2,.. start point; or random, standard[:K], file:PATH or @PATH (a "
                   "column or a row of numbers; default: the landscape's first standard "
                   "start)"},
    {"--init", 1, "SCHEME  start drawn by an initialisation scheme, per layer for a model: "
                  "zeros, constant:value=, normal:std=, uniform:a=, xavier-uniform, "
                  "xavier-normal, he-normal, he-uniform, lecun-normal, orthogonal, torch "
                  "(seeded by --seed)"},
    {"--start-random", 0, "        uniform random start in the landscape's box (seeded; the "
                          "same as --start random); with --runs K, K of them"},
    {"--start-ball", 1, "X1,..:R a set of starts uniform in the ball of radius R around X "
                        "(--runs K of them, seeded)"},
    {"--start-grid", 1, "NX,NY   a set of starts at the NX x NY cell centres of a 2-D "
                        "landscape's box (NX x NY runs per optimizer)"},
    {"--runs", 1, "K       runs per optimizer, each from its own start of the start set "
                  "(--start-random), or all from the one start (default 1); in the file "
                  "optimizer-major, labels LABEL#j"},
    {"--dim", 1, "N       dimension of an n-D landscape"},
    {"--data", 1, "SPEC    data set of a model (linreg, logreg, softmax, mlp): a generator "
                  "such as spiral:noise=0.1, or FILE.csv / FILE.tsv ('losscape data --help')"},
    {"--target", 1, "NAME    the target column of a --data file (default: its last)"},
    {"--holdout", 1, "FRAC    hold out this fraction of the data as a test set (seeded; "
                     "default 0)"},
};
static const cli_flag tail_flags[] = {
    {"--out", 1, "FILE    write the trajectory to FILE ('-': standard output, the default "
                 "without --plot; with --plot it is written only when --out is given)"},
    {"--save-start", 1, "FILE    also write the start's numbers to FILE (--start file:FILE "
                        "reads them back)"},
    {"--summary-only", 0, "        write one row per run (final step, status, loss, |grad "
                          "f|, the step each stop condition first held) instead of every "
                          "step"},
    {"--threads", 1, "T       make the runs on T threads (default 0: every core); the "
                     "output is the same bytes for any T (models, rnn and expr landscapes "
                     "run on one)"},
    {"--quiet", 0, "        no summary table on standard error"},
    {"--plot", 1, "FIG     also draw the runs into FIG (.png .svg .pdf .tex .gif); every "
                  "'losscape plot' option applies (--kind, --size, ...)"},
    {"--help", 0, "        this text"},
};
#define NHEAD LSC_COUNTOF(head_flags)
#define NTAIL LSC_COUNTOF(tail_flags)
#define MAX_RUN_FLAGS (NHEAD + 32 + NTAIL)
#define MAX_OPTIMIZERS 32

/* --group's help: the flags a group may set, from the experiment's group keys (optimizer
 * and the table's group options). */
static const char *group_help(void)
{
    static char help[512];
    const char *keys[32];
    int nk = lsc_experiment_keys(keys, 32, 1), w;
    w = snprintf(help, sizeof help, "NAME    start a group of runs (as a recipe's [run NAME]):"
                 " the");
    for (int k = 0; k < nk && k < 32 && w > 0 && (size_t)w < sizeof help; k++) {
        char flag[64];
        cli_flag_of_key(flag, sizeof flag, keys[k]);
        w += snprintf(help + w, sizeof help - (size_t)w, "%s %s",
                      k == 0 ? "" : k + 1 == nk ? " and" : ",", flag);
    }
    if (w > 0 && (size_t)w < sizeof help)
        snprintf(help + w, sizeof help - (size_t)w, " after it are the group's; what it does "
                 "not set comes from the flags before the first --group");
    return help;
}

/* head_flags, a flag per driver option, tail_flags; returns how many. */
static int make_run_flags(cli_flag *flags)
{
    static char names[32][64], helps[32][512];
    int n = 0;
    for (int k = 0; k < NHEAD; k++) {
        flags[n] = head_flags[k];
        if (!flags[n].help)
            flags[n].help = group_help();
        n++;
    }
    for (int k = 0; k < lsc_driver_noptions && k < 32; k++) {
        const lsc_driver_option *o = &lsc_driver_options[k];
        cli_flag_of_key(names[k], sizeof names[k], o->name);
        snprintf(helps[k], sizeof helps[k], "%-7s %s", o->metavar, o->help);
        /* an on/off option is a flag without a value: --drop-last */
        flags[n++] = (cli_flag){names[k], o->type != LSC_DRIVER_SWITCH, helps[k]};
    }
    for (int k = 0; k < NTAIL; k++)
        flags[n++] = tail_flags[k];
    return n;
}

const char cmd_run_usage[] =
    "run --landscape SPEC --optimizer SPEC [--optimizer SPEC ...] [options]";

int cmd_run_flags(cli_flag *flags, int cap)
{
    cli_flag all[MAX_RUN_FLAGS];
    return cli_copy_flags(flags, cap, all, make_run_flags(all));
}

typedef struct {
    lsc_experiment *x;
    const char *out, *save_start;
    int noptimizers, start_random, quiet, summary_only;
    const char *set_flag, *set_value; /* --start-ball, --start-grid */
    const char *plot;
    const char *plot_flag; /* the first plot option given (--kind, ...), or NULL */
    lsc_plot_opts plot_opts;
    /* --group NAME: group 0 is the flags before the first --group; group g > 0 the flags
     * after the g-th (the experiment's groups, with the same indices) */
    int group, ngroups;
    char group_name[LSC_EXPERIMENT_MAX_GROUPS][LSC_NAME_MAX];
    int group_runs[LSC_EXPERIMENT_MAX_GROUPS];
} run_args;

/* Print an error about group g: the message (its key as the flag), and for g > 0 which
 * group it is about. Returns CLI_USAGE or the error's status. */
static int fail_in_group(const run_args *ra, int g, const lsc_error *err)
{
    lsc_error e = *err;
    if (g > 0 && g < ra->ngroups) {
        size_t len = strlen(e.msg);
        snprintf(e.msg + len, sizeof e.msg - len, " (in --group %s)", ra->group_name[g]);
    }
    return cli_fail_err(&e);
}

/* An error of lsc_experiment_prepare, with the group it is about (its key says: a run's
 * optimizer, or a group option of a group). */
static int fail_prepare(const run_args *ra, const lsc_error *err)
{
    int index = 0, g = 0;
    const char *key = lsc_experiment_error_key(ra->x, &index);
    if (!strcmp(key, "start") && ra->set_flag && !strncmp(err->msg, "start: ", 7))
        return cli_fail(CLI_USAGE, "%s: %s", ra->set_flag, err->msg + 7); /* its flag */
    if (!strcmp(key, "optimizer"))
        g = lsc_experiment_optimizer_group(ra->x, index);
    else if (lsc_experiment_key(key) == 2)
        g = index;
    return fail_in_group(ra, g, err);
}

/* Set an experiment key from its flag, in the current group; 0, or -1 with the message
 * printed. After a --group only the group's keys may follow. */
static int set_key(run_args *ra, const char *flag, const char *key, const char *value)
{
    lsc_error err = {0};
    if (ra->group > 0 && lsc_experiment_key(key) != 2)
        return cli_fail(CLI_USAGE, "%s: set for the whole run, not for --group %s (put it "
                        "before the first --group)", flag, ra->group_name[ra->group]), -1;
    if (lsc_experiment_set_in(ra->x, ra->group, key, value, &err) == LSC_OK)
        return 0;
    fail_in_group(ra, ra->group, &err);
    return -1;
}

/* --start-ball X:R, --start-grid NX,NY: the start key ball:X:R, grid:NX,NY; a message
 * about it names the flag. */
static int set_start_set(run_args *ra)
{
    char value[LSC_VALUE_MAX + 8];
    lsc_error err = {0};
    snprintf(value, sizeof value, "%s:%s", ra->set_flag[8] == 'b' ? "ball" : "grid",
             ra->set_value);
    if (lsc_experiment_set(ra->x, "start", value, &err) == LSC_OK)
        return 0;
    const char *msg = !strncmp(err.msg, "start: ", 7) ? err.msg + 7 : err.msg;
    return cli_fail(CLI_USAGE, "%s: %s", ra->set_flag, msg), -1;
}

/* --group NAME: a new group of runs; the group flags after it are its own. */
static int start_group(run_args *ra, const char *name)
{
    lsc_error err = {0};
    if (!name[0] || lsc_has_control(name) || strlen(name) >= LSC_NAME_MAX)
        return cli_fail(CLI_USAGE, "--group: '%s' is not allowed (a name of 1 to %d "
                        "characters, without control characters)", name, LSC_NAME_MAX - 1), -1;
    for (int g = 1; g < ra->ngroups; g++)
        if (!strcmp(ra->group_name[g], name))
            return cli_fail(CLI_USAGE, "--group: '%s' is given twice (each --group starts a "
                            "new group: give it another name)", name), -1;
    int g = lsc_experiment_group(ra->x, name, &err);
    if (g < 0)
        return cli_fail(CLI_USAGE, "--group: %s", err.msg), -1;
    snprintf(ra->group_name[g], sizeof ra->group_name[g], "%s", name);
    ra->group = g;
    ra->ngroups = g + 1;
    return 0;
}

static int parse_args(int argc, char **argv, run_args *ra)
{
    cli_flag run_flags[MAX_RUN_FLAGS], flags[200];
    const int nrun = make_run_flags(run_flags);
    int nflags = cli_plot_flags(flags, 200, run_flags, nrun);
    cli_args a = {argc, 1, argv, "run", flags, nflags};
    const cli_flag *fl;
    const char *v;
    int r;
    while ((r = cli_next(&a, &fl, &v)) > 0) {
        if (!fl)
            return cli_fail(CLI_USAGE, "run: unexpected argument '%s' (options start with "
                            "--; 'losscape run --help' lists them)", v), -1;
        const char *f = fl->name;
        char key[64];
        cli_key_of_flag(key, sizeof key, f);
        if (!strcmp(f, "--help")) {
            printf("usage: losscape %s\n\n", cmd_run_usage);
            cli_print_flags(stdout, run_flags, nrun);
            printf("\nSPEC is name[:key=value,...]; lists inside a value use ';' "
                   "(milestones=100;200).\n'losscape info NAME' for an optimizer's or "
                   "schedule's keys (default, range, meaning);\n'losscape list --long' "
                   "lists every member's keys.\nWith --plot, the options of 'losscape plot' "
                   "apply ('losscape plot --help').\n");
            printf("\nGroups compare runs that differ in schedule, noise or clipping in one "
                   "file, e.g.\n  losscape run --landscape quadratic --noise 0.5 --optimizer "
                   "sgd:lr=0.1,label=constant \\\n      --group cosine --schedule "
                   "cosine:T_max=1000 --optimizer sgd:lr=0.1,label=cosine \\\n      --group "
                   "quiet --noise 0.1 --optimizer sgd:lr=0.1,label=noise-0.1 --out cmp.tsv\n"
                   "Several files on one landscape draw together: 'losscape plot A.tsv B.tsv "
                   "...'.\n");
            return 1;
        } else if (!strcmp(f, "--optimizer")) {
            if (ra->noptimizers == MAX_OPTIMIZERS)
                return cli_fail(CLI_USAGE, "--optimizer: at most %d per run", MAX_OPTIMIZERS),
                       -1;
            ra->noptimizers++;
            ra->group_runs[ra->group]++;
            if (set_key(ra, f, key, v))
                return -1;
        } else if (!strcmp(f, "--group")) {
            if (start_group(ra, v))
                return -1;
        } else if (lsc_experiment_key(key)) { /* --landscape, --start, --dim, --steps, ... */
            if (set_key(ra, f, key, v ? v : "on")) /* no value: an on/off flag */
                return -1;
        } else if (!strcmp(f, "--start-ball") || !strcmp(f, "--start-grid")) {
            if (ra->group > 0)
                return cli_fail(CLI_USAGE, "%s: set for the whole run, not for --group %s (put "
                                "it before the first --group)", f, ra->group_name[ra->group]),
                       -1;
            if (ra->set_flag && strcmp(ra->set_flag, f))
                return cli_fail(CLI_USAGE, "run: %s and %s exclude each other", ra->set_flag,
                                f), -1;
            ra->set_flag = f;
            ra->set_value = v;
        } else if (!strcmp(f, "--start-random")) {
            if (ra->group > 0)
                return cli_fail(CLI_USAGE, "--start-random: set for the whole run, not for "
                                "--group %s (put it before the first --group)",
                                ra->group_name[ra->group]), -1;
            ra->start_random = 1;
        } else if (!strcmp(f, "--out") || !strcmp(f, "--save-start")) {
            if (!*v)
                return cli_fail(CLI_USAGE, "%s: empty file name%s", f,
                                f[2] == 'o' ? " (use '-' for standard output)" : ""), -1;
            *(f[2] == 'o' ? &ra->out : &ra->save_start) = v;
        } else if (!strcmp(f, "--quiet"))
            ra->quiet = 1;
        else if (!strcmp(f, "--summary-only"))
            ra->summary_only = 1;
        else if (!strcmp(f, "--plot")) {
            lsc_error e = {0};
            if (!*v)
                return cli_fail(CLI_USAGE, "--plot: empty file name"), -1;
            if (lsc_plot_opts_set(&ra->plot_opts, "out", v, &e) != LSC_OK)
                return cli_fail(CLI_USAGE, "--plot: %s", e.msg), -1;
            ra->plot = v;
        } else {
            if (cli_plot_apply(&ra->plot_opts, fl, v) != 0)
                return -1;
            if (!ra->plot_flag)
                ra->plot_flag = f;
        }
    }
    if (r < 0)
        return -1;
    if (!lsc_experiment_is_set(ra->x, 0, "landscape"))
        return cli_fail(CLI_USAGE, "run: --landscape is required (e.g. --landscape "
                        "rosenbrock; 'losscape list landscapes' shows all)"), -1;
    for (int g = 1; g < ra->ngroups; g++)
        if (ra->group_runs[g] == 0)
            return cli_fail(CLI_USAGE, "--group %s: no --optimizer after it (a group's runs "
                            "are the optimizers that follow it)", ra->group_name[g]), -1;
    if (ra->noptimizers == 0)
        return cli_fail(CLI_USAGE, "run: --optimizer is required (e.g. --optimizer "
                        "adam:lr=0.01; 'losscape list optimizers' shows all)"), -1;
    if (lsc_experiment_is_set(ra->x, 0, "start") && ra->start_random)
        return cli_fail(CLI_USAGE, "run: --start and --start-random exclude each other"), -1;
    if (ra->set_flag && (lsc_experiment_is_set(ra->x, 0, "start") || ra->start_random))
        return cli_fail(CLI_USAGE, "run: %s and %s exclude each other", ra->start_random
                        ? "--start-random" : "--start", ra->set_flag), -1;
    if (ra->summary_only && ra->plot)
        return cli_fail(CLI_USAGE, "run: --summary-only keeps no steps to draw: it excludes "
                        "--plot (write the trajectory, then 'losscape plot')"), -1;
    if (ra->plot_flag && !ra->plot)
        return cli_fail(CLI_USAGE, "run: %s is a figure option: it needs --plot FIG.png",
                        ra->plot_flag), -1;
    ra->group = 0;
    if (ra->start_random)
        return set_key(ra, "--start-random", "start", "random");
    if (ra->set_flag)
        return set_start_set(ra);
    return 0;
}

/* --out and --save-start before any work: the directory must exist, and the name must not
 * be a directory, nor a file the figure of --plot writes (FIG, and its own files FIG.gp,
 * FIG.paths.tsv, ...: lsc_plot_writes), nor each other. */
static int check_file(const run_args *ra, const char *flag, const char *out)
{
    struct stat st;
    if (!strcmp(out, "-"))
        return 0;
    if (lsc_has_control(out))
        return cli_fail(CLI_USAGE, "%s: '%s': control characters (newline, tab, ...) are "
                        "not allowed in a file name", flag, out), -1;
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_fail(CLI_USAGE, "%s: '%s' is a directory (a file name is expected)", flag,
                        out), -1;
    const char *slash = strrchr(out, '/');
    if (slash) {
        char dir[LSC_PLOT_PATH_MAX];
        size_t dl = slash == out ? 1 : (size_t)(slash - out);
        if (dl >= sizeof dir)
            return cli_fail(CLI_USAGE, "%s: the path is too long", flag), -1;
        memcpy(dir, out, dl);
        dir[dl] = '\0';
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return cli_fail(CLI_USAGE, "%s: directory '%s' does not exist", flag, dir), -1;
    }
    if (ra->plot && lsc_plot_writes(&ra->plot_opts, out)) {
        const char *fig = ra->plot_opts.out;
        return cli_fail(CLI_USAGE, "%s: '%s' would be overwritten by the figure '%s' or "
                        "its own files (%s.gp, %s.paths.tsv, ...): choose another name",
                        flag, out, fig, fig, fig), -1;
    }
    return 0;
}

static int check_out(const run_args *ra)
{
    if (ra->out && check_file(ra, "--out", ra->out))
        return -1;
    if (!ra->save_start)
        return 0;
    if (ra->out && !strcmp(ra->save_start, ra->out))
        return cli_fail(CLI_USAGE, "--save-start: '%s' is the --out file too (choose another "
                        "name)", ra->out), -1;
    return check_file(ra, "--save-start", ra->save_start);
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

/* The summary table: a row per run; with --group, a column naming each run's group. */
static void summary(const run_args *ra, const lsc_trajectory *t, FILE *fp)
{
    char b1[32], b2[32];
    int ws = 11; /* the status column: "left-domain", wider for "loss-reached", ... */
    int wg = 5;  /* the group column ("group", "-" for the runs before the first --group) */
    for (int i = 0; i < t->nruns; i++) {
        if ((int)strlen(lsc_stop_name(t->runs[i].status)) > ws)
            ws = (int)strlen(lsc_stop_name(t->runs[i].status));
        if ((int)strlen(ra->group_name[lsc_experiment_run_group(ra->x, i)]) > wg)
            wg = (int)strlen(ra->group_name[lsc_experiment_run_group(ra->x, i)]);
    }
    fprintf(fp, "%-16s ", "run");
    if (ra->ngroups > 1)
        fprintf(fp, "%-*s ", wg, "group");
    fprintf(fp, "%-*s %8s  %-24s %-12s\n", ws, "status", "steps", "final loss", "|grad f|");
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        size_t k = r->len ? r->len - 1 : 0;
        const int g = lsc_experiment_run_group(ra->x, i);
        fprintf(fp, "%-16s ", r->label);
        if (ra->ngroups > 1)
            fprintf(fp, "%-*s ", wg, g > 0 ? ra->group_name[g] : "-");
        fprintf(fp, "%-*s %8ld  %-24s %-12s\n", ws, lsc_stop_name(r->status),
                r->len ? r->step[k] : 0L, r->len ? lsc_fmt_double(b1, r->loss[k]) : "-",
                r->len ? (snprintf(b2, sizeof b2, "%.3g", r->grad_norm[k]), b2) : "-");
    }
}

int cmd_run(int argc, char **argv)
{
    run_args ra = {.ngroups = 1};
    lsc_plot_opts_default(&ra.plot_opts);
    if (!(ra.x = lsc_experiment_new()))
        return cli_fail(CLI_FAILED, "out of memory");
    int r = parse_args(argc, argv, &ra);
    if (r) {
        lsc_experiment_free(ra.x);
        return r > 0 ? CLI_OK : CLI_USAGE;
    }
    /* The trajectory goes to --out; without it, to standard output, unless the run is
     * drawn (--plot): then it is not written at all (issue 8, item 2: a figure alone must
     * not dump every row on the terminal; --out FILE keeps it). */
    if (!ra.out && !ra.plot)
        ra.out = "-";

    lsc_error err = {0};
    int status = CLI_OK;
    lsc_experiment *x = ra.x;
    lsc_trajectory t;
    lsc_trajectory_stream stream = {0}; /* rows go to --out as they are recorded */
    lsc_plot_group *plot_group = NULL; /* the --plot figure, committed with the trajectory */
    int have_traj = 0;

    /* Every option is checked now, before any work: a wrong one leaves no file behind. */
    if (lsc_experiment_prepare(x, &err) != LSC_OK) {
        status = fail_prepare(&ra, &err);
        goto out;
    }
    const lsc_landscape *L = lsc_experiment_landscape(x);
    const int nruns = lsc_experiment_nruns(x);
    if (check_out(&ra)) {
        status = CLI_USAGE;
        goto out;
    }
    if (!ra.summary_only && nruns > LSC_TRAJ_MAX_RUNS) {
        status = cli_fail(CLI_USAGE, "--runs: %d runs in all (%d optimizer%s x %d) are more "
                          "than a trajectory file holds (%d); --summary-only writes one row a "
                          "run for any number", nruns, lsc_experiment_noptimizers(x),
                          lsc_experiment_noptimizers(x) == 1 ? "" : "s",
                          lsc_experiment_nstarts(x), LSC_TRAJ_MAX_RUNS);
        goto out;
    }
    if (ra.plot && lsc_plot_opts_check(&ra.plot_opts, L, lsc_experiment_npos(x),
                                       lsc_experiment_has_dist(x), lsc_experiment_columns(x),
                                       nruns, &err) != LSC_OK) {
        status = cli_fail(CLI_USAGE, "--plot: %s", err.msg);
        goto out;
    }
    /* progress only on a terminal, and only once a run has taken a moment (see last) */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    progress_state prog = {nruns, (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec + 0.8, 0};
    if (!ra.quiet && isatty(STDERR_FILENO))
        lsc_experiment_set_progress(x, show_progress, &prog);
    if (ra.summary_only) { /* one row a run, written as the runs end (experiment.h) */
        if (lsc_experiment_write_summary(x, ra.out, &err) != LSC_OK ||
            (ra.save_start && lsc_experiment_save_start(x, ra.save_start, &err) != LSC_OK))
            status = cli_fail_err(&err);
        else if (prog.shown)
            fprintf(stderr, "\r%60s\r", "");
        goto out;
    }
    have_traj = 1;
    if (lsc_experiment_trajectory(x, &t, &err) != LSC_OK) {
        status = cli_fail_err(&err);
        goto out;
    }
    /* Stream the rows to --out (memory does not grow with --steps); with --plot every row
     * is kept too, for the figure (so '-' and devices work, without reading back). With
     * --plot and no --out the rows are only kept (the size check then counts a row
     * temporary in $TMPDIR that is not made: the memory bound is what matters). */
    if (lsc_trajectory_check_size(&t, nruns, ra.out ? ra.out : "-", ra.plot != NULL, &err)) {
        status = cli_fail(CLI_USAGE, "--steps %ld --every %ld: %s", t.steps, t.every, err.msg);
        goto out;
    }
    int rc = ra.out ? lsc_trajectory_stream_open(&stream, &t, ra.out, ra.plot != NULL, &err)
                    : LSC_OK;
    if (rc == LSC_OK) /* recorder NULL: every row is kept in t */
        rc = lsc_experiment_run(x, &t, ra.out ? lsc_trajectory_stream_row : NULL,
                                ra.out ? &stream : NULL, &err);
    if (rc != LSC_OK) {
        status = cli_fail_err(&err);
        goto out;
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
        if (po->kind == LSC_PLOT_BASINS) { /* computed, then drawn (basins.h) */
            lsc_basins b;
            rc = lsc_experiment_basins(x, &b, po->xlim, po->ylim, po->basin_n, po->basin_tol,
                                       &err);
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
    if (ra.out && lsc_trajectory_stream_finish(&stream, &err) != LSC_OK) {
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
    if (ra.save_start && lsc_experiment_save_start(x, ra.save_start, &err) != LSC_OK) {
        status = cli_fail_err(&err);
        goto out;
    }
    if (!ra.quiet)
        summary(&ra, &t, stderr);
    if (ra.plot && !ra.quiet) {
        char what[2 * LSC_PLOT_PATH_MAX + 64];
        fprintf(stderr, "wrote %s\n", lsc_plot_outputs(&ra.plot_opts, what, sizeof what));
    }
out:
    lsc_plot_group_abort(plot_group);
    lsc_trajectory_stream_abort(&stream); /* temporaries, on an error; nothing after finish */
    if (have_traj)
        lsc_trajectory_free(&t);
    lsc_experiment_free(x);
    return status;
}
