/* embed.c — losscape inside your own program
 *
 * Your own function (a curved valley, with its gradient), Adam with a cosine learning-rate
 * schedule, the run written as a trajectory file and drawn as a contour map:
 *
 *     cc -std=c11 embed.c $(pkg-config --cflags --libs losscape) -o embed
 *     ./embed [DIR] [--no-render]
 *
 * writes DIR/valley.tsv and DIR/valley.png (DIR defaults to the current directory; with
 * --no-render, or when gnuplot is not installed, DIR/valley.png.gp and its data instead of the
 * image: run `gnuplot DIR/valley.png.gp` later). Exits 0 when the run ends at the minimum.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <losscape/losscape.h>

/* The valley f(x, y) = 1/2 u^2 + c v^2 with u = x - a and v = y - b - k sin(u): zero
 * exactly at (a, b), positive elsewhere, along a winding floor y = b + k sin(x - a).
 * Its parameters travel in the `user` pointer, as in GSL's gsl_multimin_function_fdf. */
typedef struct {
    double a, b, c, k;
} valley;

static double valley_f(int n, const double *x, void *user)
{
    (void)n;
    const valley *p = user;
    double u = x[0] - p->a, v = x[1] - p->b - p->k * sin(u);
    return 0.5 * u * u + p->c * v * v;
}

/* grad f = (u - 2 c v k cos(u), 2 c v) */
static double valley_fdf(int n, const double *x, double *g, void *user)
{
    const valley *p = user;
    double u = x[0] - p->a, v = x[1] - p->b - p->k * sin(u);
    g[0] = u - 2 * p->c * v * p->k * cos(u);
    g[1] = 2 * p->c * v;
    return valley_f(n, x, user);
}

static int fail(const lsc_error *err)
{
    fprintf(stderr, "embed: %s\n", err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    const char *dir = ".";
    int no_render = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-render"))
            no_render = 1;
        else
            dir = argv[i];
    }
    lsc_init(); /* GSL errors come back as error codes instead of aborting */
    lsc_error err = {0};

    /* 1. the landscape: two coordinates, no Hessian; a box and the minimum for the plot */
    valley params = {.a = 1.0, .b = -0.5, .c = 2.0, .k = 0.8};
    lsc_landscape *L = lsc_landscape_from_fdf(2, valley_f, valley_fdf, NULL, &params,
                                              "valley", &err);
    if (!L)
        return fail(&err);
    const double lo[2] = {-2.0, -2.5}, hi[2] = {3.0, 2.0}, xmin[2] = {params.a, params.b};
    if (lsc_landscape_set_box(L, lo, hi, &err) != LSC_OK ||
        lsc_landscape_add_critical(L, LSC_CP_MIN, xmin, 0.0, &err) != LSC_OK)
        return fail(&err);

    /* 2. Adam (PyTorch's defaults but lr) and a cosine decay of its learning rate */
    lsc_optim *adam = lsc_optim_new("adam:lr=0.1", 2, "optimizer", &err);
    lsc_schedule *cosine = lsc_schedule_new("cosine:T_max=800,eta_min=0.001", "schedule", &err);
    if (!adam || !cosine)
        return fail(&err);

    /* 3. one run of 800 steps from (-1.5, 1.5), every step recorded */
    lsc_run_opts run = {.landscape = L, .schedule = cosine, .steps = 800, .every = 1};
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 1); /* 2-D, both coordinates kept, distance column */
    lsc_trajectory_describe_opts(&t, &run);
    lsc_run_record *rec = lsc_trajectory_add_run(&t);
    const double x0[2] = {-1.5, 1.5};
    if (!rec)
        return fprintf(stderr, "embed: out of memory\n"), 1;
    if (lsc_run(&run, adam, x0, 0, &t, rec, &err) < 0)
        return fail(&err);

    /* 4. the trajectory file (its header says landscape: user:valley) */
    char path[1024];
    snprintf(path, sizeof path, "%s/valley.tsv", dir);
    if (lsc_trajectory_write(&t, path, &err) != LSC_OK)
        return fail(&err);

    /* 5. the figure: the landscape is passed in, since a file cannot rebuild it */
    lsc_plot_opts fig;
    lsc_plot_opts_default(&fig);
    snprintf(path, sizeof path, "%s/valley.png", dir);
    if (lsc_plot_opts_set(&fig, "kind", "contour", &err) != LSC_OK ||
        lsc_plot_opts_set(&fig, "out", path, &err) != LSC_OK)
        return fail(&err);
    fig.no_render = no_render || lsc_plot_gnuplot_check(&fig, NULL) != LSC_OK;
    if (lsc_plot_render(&t, L, &fig, &err) != LSC_OK)
        return fail(&err);

    /* 6. where it ended */
    const double *x = rec->x + 2 * (rec->len - 1);
    double dist = rec->dist[rec->len - 1];
    printf("%s after %ld steps at (%.6f, %.6f), %.2g from the minimum (%g, %g); lr %.3g\n",
           lsc_stop_name(rec->status), rec->step[rec->len - 1], x[0], x[1], dist, params.a,
           params.b, rec->lr[rec->len - 1]);
    printf("wrote %s/valley.tsv and %s\n", dir,
           lsc_plot_outputs(&fig, path, sizeof path));

    lsc_trajectory_free(&t);
    lsc_schedule_free(cosine);
    lsc_optim_free(adam);
    lsc_landscape_free(L);
    return dist < 1e-4 ? 0 : 1;
}
