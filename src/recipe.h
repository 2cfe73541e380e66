/* recipe.h — figure recipe files (INI, read with libinih)
 *
 *   # comments start with '#' or ';'
 *   title   = Optimizer race on Rosenbrock
 *   caption = Adam and momentum reach the valley floor first ...
 *
 *   [run]
 *   landscape = rosenbrock                 (the CLI's spec grammar, same as --landscape)
 *   optimizer = sgd:lr=1e-3,label=SGD      (repeat the key: one run per line)
 *   optimizer = adam:lr=0.02
 *   start     = -1.5,2                     (or random, standard[:K], file:PATH, @PATH)
 *   steps     = 2000
 *   dim, and the driver options schedule, noise, seed, clip_norm, clip_value, stop_grad,
 *   stop_loss, stop_dist, every, positions: the keys of an experiment (experiment.h), with
 *   the command line's values and ranges (one table: lsc_driver_options)
 *   save_start = start.txt                 (also write the start's numbers to this file,
 *                                          in the output directory)
 *   save_trajectory = runs.tsv             (also write the trajectory, every run and row,
 *                                          to this file in the output directory; the
 *                                          file `losscape plot` reads)
 *
 *   [run cosine]                           (optional groups of runs with their own driver
 *   optimizer = sgd:lr=0.1,label=cosine     options: schedule, noise, clip_norm, clip_value;
 *   schedule  = cosine:T_max=1000           what a group does not set comes from [run];
 *                                           on the command line: run --group cosine ...)
 *
 *   [study batch]                          (instead of [run] and [figure]: a study,
 *   epochs = 5                              study.h, with its options as keys; it makes
 *   verdicts = false                        its runs and figures, into the output
 *                                           directory)
 *
 *   [figure contour]                       (one section per figure: "figure NAME")
 *   kind = contour
 *   out  = rosenbrock-race.png             (relative to the output directory)
 *   ...  plot options, as `losscape plot` takes them (size, quiver, view, panels, ...)
 *
 * Files a recipe reads are named relative to the recipe's folder (not the current
 * directory): start = file:PATH or @PATH, data = NAME.csv or NAME.tsv, a figure's style,
 * and its gnuplot when that is a path; an absolute path is taken as it is. Files it writes
 * (out, save_start, save_trajectory) are relative to the output directory.
 *
 * Keys before any section belong to the recipe as a whole. An indented line continues the
 * title, caption or figure option above it (lines are at most 198 characters: libinih).
 * Errors name the file, the line and the key.
 */
#ifndef LSC_RECIPE_H
#define LSC_RECIPE_H

#include "experiment.h"
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_RECIPE_MAX_OPT 16
#define LSC_RECIPE_MAX_FIG 8
#define LSC_RECIPE_MAX_KV 32
#define LSC_RECIPE_MAX_GROUP 8
#define LSC_RECIPE_MAX_RUN_KEYS 128

/* [run] (group 0) or [run NAME]: a group of runs of the experiment (same index) */
typedef struct {
    char name[LSC_NAME_MAX];
    int line;
} lsc_recipe_group;

typedef struct {
    char key[LSC_NAME_MAX];
    char val[LSC_VALUE_MAX];
    int line;
} lsc_recipe_kv;

/* Where a key of a [run] section was set (to name the line of an error found later). */
typedef struct {
    char key[LSC_NAME_MAX];
    int group, line;
} lsc_recipe_run_key;

typedef struct {
    char name[LSC_NAME_MAX]; /* NAME of [figure NAME] */
    int line;
    int nkv;
    lsc_recipe_kv kv[LSC_RECIPE_MAX_KV]; /* kind, out and plot options, in file order */
} lsc_recipe_figure;

typedef struct {
    char path[1024];
    char title[LSC_VALUE_MAX];
    char caption[LSC_VALUE_MAX];
    /* [run] and [run NAME]: every key is set on the experiment as it is read (checked
     * there: the command line's ranges); lsc_recipe_prepare checks the rest */
    lsc_experiment *experiment;
    int ngroups;                     /* group 0 is [run] */
    lsc_recipe_group group[LSC_RECIPE_MAX_GROUP];
    int noptimizers;
    int nrun_keys;
    lsc_recipe_run_key run_key[LSC_RECIPE_MAX_RUN_KEYS]; /* in file order */
    char save_start[LSC_VALUE_MAX];  /* "" = none */
    int save_start_line;
    char save_trajectory[LSC_VALUE_MAX]; /* "" = none */
    int save_trajectory_line;
    int nfigures;
    lsc_recipe_figure figure[LSC_RECIPE_MAX_FIG];
    char study[LSC_NAME_MAX];        /* [study NAME] ("" = none: a recipe of runs) */
    int study_line;
    int nstudy_kv;
    lsc_recipe_kv study_kv[LSC_RECIPE_MAX_KV]; /* its keys, in file order */
} lsc_recipe;

/* Read and check a recipe (heap object: it is large). NULL with err set on error. */
LSC_API lsc_recipe *lsc_recipe_read(const char *path, lsc_error *err);
LSC_API void lsc_recipe_free(lsc_recipe *r);

/* Prepare r's experiment (lsc_experiment_prepare): an error names the file and the line of
 * the key it is about ("r.ini:4: positions: 'first:5' is not allowed ..."). */
LSC_API int lsc_recipe_prepare(lsc_recipe *r, lsc_error *err);

/* What a recipe can do. A recipe is data: its strings (titles, captions, labels, specs)
 * are quoted wherever they go, and its figures are written only into the output
 * directory. Two [figure] keys can run commands, by design: `style` (a gnuplot file
 * inlined into the script: gnuplot's `system` runs commands) and `gnuplot` (the program
 * run). A recipe from someone else must not use them unless the user says so (the CLI's
 * --trust-recipe). This returns the first such key of r (file order of the figures), with
 * *why a short reason, or NULL when there is none. */
LSC_API const lsc_recipe_kv *lsc_recipe_unsafe_key(const lsc_recipe *r, const char **why);

#ifdef __cplusplus
}
#endif
#endif
