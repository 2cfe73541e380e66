/* animation.c — kind animation: an animated GIF of the runs moving over the contour map
 * together (2-D) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

/* Frame steps: F steps from 0 to S, strictly increasing. Linear: evenly spaced. Log:
 * evenly spaced in log(1 + step/s0), s0 = S/100 (at least 1):
 * s_k = s0 ((1 + S/s0)^(k/(F-1)) - 1), then pushed apart so no two frames show the same
 * step. About a third of the frames fall in the first tenth of the run. */
static void frame_steps(long S, int F, int logsp, long *fs)
{
    const double s0 = S >= 100 ? (double)S / 100 : 1;
    for (int k = 0; k < F; k++) {
        double u = F == 1 ? 1 : (double)k / (F - 1);
        double s = logsp ? s0 * expm1(u * log1p((double)S / s0)) : u * (double)S;
        /* within [0, S] before rounding: S (a step number read from a file) can be near
         * LONG_MAX, where the product rounds beyond it */
        fs[k] = !(s > 0) ? 0 : s >= (double)S ? S : (long)llround(s);
    }
    for (int k = 1; k < F; k++)
        if (fs[k] <= fs[k - 1])
            fs[k] = fs[k - 1] + 1;
    fs[F - 1] = S;
    for (int k = F - 2; k >= 0; k--)
        if (fs[k] >= fs[k + 1])
            fs[k] = fs[k + 1] - 1;
}

/* The frames: steps 0 .. S (the last step any run reached); each run shows its rows up to
 * a frame's step. Linear or log spacing (frame_spacing; auto: log when the run has 10 times
 * more steps than frames). */
typedef struct {
    long S;    /* the last step */
    int F;     /* frames */
    int logsp; /* log spacing */
    long *fs;  /* step of each frame */
} frames;

static int frames_make(plot_ctx *c, const plot_map *m, frames *fr)
{
    const lsc_plot_opts *o = c->o;
    fr->S = 0;
    for (int r = 0; r < c->t->nruns; r++)
        if (m->pi[r].block >= 0)
            fr->S = fr->S > m->pi[r].step[m->pi[r].rows - 1] ? fr->S
                                                             : m->pi[r].step[m->pi[r].rows - 1];
    fr->F = o->frames;
    if (fr->S + 1 < fr->F)
        fr->F = (int)(fr->S + 1);
    if (fr->F < 1)
        fr->F = 1;
    fr->logsp = o->frame_spacing == 2 || (o->frame_spacing == 0 && fr->S >= 10L * fr->F);
    fr->fs = malloc((size_t)fr->F * sizeof *fr->fs);
    if (!fr->fs) {
        lsc_error_set(c->err, LSC_ENOMEM, "out of memory");
        return LSC_ENOMEM;
    }
    frame_steps(fr->S, fr->F, fr->logsp, fr->fs);
    return LSC_OK;
}

/* Frame tables: STEP[k], and per run the last row drawn at that frame (a diverged run stops
 * at its last point in view; OUTr[k] = 1 once it has left the view). */
static void emit_frame_tables(plot_ctx *c, const plot_map *m, const frames *fr)
{
    const int F = fr->F;
    plot_printf(c, "NF = %d\narray STEP[NF] = [", F);
    for (int k = 0; k < F; k++)
        plot_printf(c, "%s%ld", k ? "," : "", fr->fs[k]);
    plot_printf(c, "]\n");
    for (int r = 0; r < c->t->nruns; r++) {
        const plot_path *p = &m->pi[r];
        if (p->block < 0)
            continue;
        int row = 0;
        plot_printf(c, "array ROW%d[NF] = [", r);
        for (int k = 0; k < F; k++) {
            while (row + 1 < p->rows && p->step[row + 1] <= fr->fs[k])
                row++;
            plot_printf(c, "%s%d", k ? "," : "", row < p->draw_last ? row : p->draw_last);
        }
        plot_printf(c, "]\n");
        if (p->exit >= 0 || p->diverged) {
            row = 0;
            plot_printf(c, "array OUT%d[NF] = [", r);
            for (int k = 0; k < F; k++) {
                while (row + 1 < p->rows && p->step[row + 1] <= fr->fs[k])
                    row++;
                plot_printf(c, "%s%d", k ? "," : "",
                            p->exit >= 0 ? row > p->draw_last : row >= p->rows - 1);
            }
            plot_printf(c, "]\n");
        }
    }
}

/* First an empty plot that draws the caption and one (clipped) line in each run's colour:
 * libgd gives a GIF frame 256 colours, each taken on first use, and the map (its palette,
 * the anti-aliased contour lines) would otherwise take the last free ones, leaving each
 * path the nearest colour already there. */
static void emit_colour_primer(plot_ctx *c, const plot_map *m)
{
    plot_printf(c, "unset border; unset tics; unset key; unset colorbox; unset xlabel; "
                   "unset ylabel; unset label 1\nset origin 0, 0\nset size noratio 1, 1\n"
                   "set xrange [0:1]; set yrange [0:1]\n");
    plot_clauses kr = {c, "plot", 0};
    int seen[9] = {0};
    for (int r = 0; r < c->t->nruns; r++) {
        const plot_path *p = &m->pi[r];
        if (p->block < 0 || seen[p->lt])
            continue;
        seen[p->lt] = 1;
        plot_clause(&kr);
        plot_printf(c, "2 with lines lt %d notitle", p->lt);
    }
    plot_clauses_end(&kr);
}

/* The paths up to frame k: halos, then the lines, each with its exit arrow once the run
 * has left the view. */
static void emit_frame_paths(plot_ctx *c, plot_clauses *kl, const plot_map *m, const char *pn,
                             const char *xn)
{
    for (int r = 0; r < c->t->nruns; r++) {
        const plot_path *p = &m->pi[r];
        if (p->block < 0)
            continue;
        plot_clause(kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::ROW%d[k] using 2:3 with lines lc rgb C_HALO "
                    "lw LW_PATH_RUN(%d)+LW_HALO notitle", p->block, r, p->group);
        if (p->exit >= 0) {
            plot_clause(kl);
            plot_fileref(c, xn);
            plot_printf(c, " every ::%d::%d using 1:2:(OUT%d[k] ? $3 : NaN):4 with vectors "
                        "nohead lc rgb C_HALO lw LW_PATH_RUN(%d)+LW_HALO notitle", p->exit,
                        p->exit, r, p->group);
        }
    }
    for (int r = 0; r < c->t->nruns; r++) {
        const plot_path *p = &m->pi[r];
        if (p->block < 0)
            continue;
        plot_clause(kl);
        plot_fileref(c, pn);
        plot_printf(c, " index %d every ::0::ROW%d[k] using 2:3 with lines lt %d "
                    "lw LW_PATH_RUN(%d) notitle", p->block, r, p->lt, p->group);
        if (p->exit >= 0) {
            plot_clause(kl);
            plot_fileref(c, xn);
            plot_printf(c, " every ::%d::%d using 1:2:(OUT%d[k] ? $3 : NaN):4 with vectors "
                        "head filled size screen 0.016,25 lt %d dt DT_EXIT "
                        "lw LW_PATH_RUN(%d) notitle", p->exit, p->exit, r, p->lt, p->group);
        }
    }
}

/* Current positions, larger for earlier runs (rings where they coincide); a cross once a
 * diverged run has reached its last point in view; none once it has left. */
static void emit_current(plot_ctx *c, plot_clauses *kl, const plot_map *m, const char *pn)
{
    for (int r = 0; r < c->t->nruns; r++) {
        const plot_path *p = &m->pi[r];
        if (p->block < 0)
            continue;
        plot_clause(kl);
        plot_fileref(c, pn);
        if (p->exit >= 0)
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:(OUT%d[k] ? NaN : $3) "
                        "with points lt %d pt PT_CURRENT ps PS_END_RUN(%d) notitle", p->block,
                        r, r, r, p->lt, p->group);
        else if (p->diverged)
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:3:(OUT%d[k] ? "
                        "PT_DIVERGED : PT_CURRENT) with points lt %d pt variable "
                        "ps PS_END_RUN(%d) lw 2 notitle", p->block, r, r, r, p->lt, p->group);
        else
            plot_printf(c, " index %d every ::ROW%d[k]::ROW%d[k] using 2:3 with points lt %d "
                        "pt PT_CURRENT ps PS_END_RUN(%d) notitle", p->block, r, r, p->lt,
                        p->group);
    }
}

/* The script after its header: settings for GIF frames, the frame tables, then a loop
 * drawing one frame per step of the table (the last held for about 1 s). */
static void emit_frames(plot_ctx *c, const plot_map *m, const frames *fr)
{
    char nm[LSC_PLOT_PATH_MAX + 32], nx[LSC_PLOT_PATH_MAX + 32];
    plot_legend L;
    int kcols;
    double kh = plot_map_heading(c, m, fr->logsp ? "Frames are spaced evenly in log(step)."
                                                 : NULL, 1, &L, &kcols);
    plot_printf(c, "set style textbox opaque noborder margins 2,2\n");
    /* GIF (libgd, 256 colours a frame): a banded colour map compresses several times
     * better */
    plot_printf(c, "set palette maxcolors 24\n");
    /* libgd draws lines without anti-aliasing, in whole pixels: widths 5, 4, 3, 2, ... in
     * a 1-pixel white outline */
    plot_printf(c, "LW_PATH = 5; LW_PATH_STEP = 1; LW_PATH_MIN = 2; LW_HALO = 2\n");
    emit_frame_tables(c, m, fr);
    int hold = (100 + c->o->delay - 1) / c->o->delay;
    plot_printf(c, "HOLD = %d\n", hold);
    /* frames FRAME_FIRST..FRAME_LAST: losscape draws parts of the animation in several
     * gnuplot processes and joins their GIFs (gif.c) */
    plot_printf(c, "if (!exists(\"FRAME_FIRST\")) FRAME_FIRST = 1\n"
                   "if (!exists(\"FRAME_LAST\")) FRAME_LAST = NF + HOLD\n");
    plot_printf(c, "do for [frame=FRAME_FIRST:FRAME_LAST] {\n  k = frame > NF ? NF : frame\n");
    c->frames = fr->F + hold;
    plot_multiplot(c);
    emit_colour_primer(c, m);
    plot_caption_off(c);
    plot_emit_map_panel(c, m, c->cap_h + kh, "");
    plot_printf(c, "set label 1 sprintf('step %%d', STEP[k]) at graph 0.03, graph 0.95 left "
                   "front boxed\n");
    plot_clauses kl = {c, "plot", 0};
    const char *pn = plot_fname(c, ".paths.tsv", nm, sizeof nm);
    const char *xn = plot_fname(c, ".exits.tsv", nx, sizeof nx);
    plot_emit_map_layers(c, &kl, m);
    emit_frame_paths(c, &kl, m, pn, xn);
    plot_emit_map_critical(c, &kl, m, NULL); /* markers above the paths */
    plot_emit_starts(c, &kl, pn, m->pi, "2:3");
    emit_current(c, &kl, m, pn);
    plot_clauses_end(&kl);
    plot_leg_panel(c, &L, c->cap_h, kh, kcols);
    plot_printf(c, "unset multiplot\n");
    plot_caption_on(c);
    plot_printf(c, "}\n");
}

static int animation_emit(plot_ctx *c)
{
    int rc = plot_need_2d(c);
    if (rc)
        return rc;
    plot_map m;
    plot_map_spec s;
    plot_map_spec_2d(c, &s, PLOT_MAP_HEAT | PLOT_MAP_QUIVER | PLOT_MAP_PATHS | PLOT_MAP_EXITS);
    rc = plot_map_build(c, &m, &s);
    if (rc == LSC_OK && !m.pi) {
        lsc_error_set(c->err, LSC_EINVAL, "kind=animation: the trajectory has no runs");
        rc = LSC_EINVAL;
    }
    frames fr = {0, 0, 0, NULL};
    if (rc == LSC_OK)
        rc = frames_make(c, &m, &fr);
    if (rc == LSC_OK) {
        char what[256];
        plot_spf(what, sizeof what, "animation, %d frames over %ld steps (%s spacing), %dx%d "
                 "grid", fr.F, fr.S, fr.logsp ? "log" : "linear", m.g.nx, m.g.ny);
        rc = plot_script_begin(c, what);
    }
    if (rc == LSC_OK)
        emit_frames(c, &m, &fr);
    free(fr.fs);
    plot_map_free(c, &m);
    return rc;
}

static const char *const animation_keys[] = {"frames", "frame_spacing", "delay", "quiver",
                                             "quiver_n", "grid", "contours", "log", "xlim",
                                             "ylim", "max_points", NULL};

const plot_kind_type plot_kind_animation = {
    .name = "animation",
    .id = LSC_PLOT_ANIMATION,
    .summary = "animated GIF: the runs move over the contour map together (2-D)",
    .keys = animation_keys,
    .flags = PLOT_NEEDS_TRAJECTORY | PLOT_NEEDS_LANDSCAPE | PLOT_GIF,
    .grid = 200,
    .width = 680, /* GIF: keep the file small */
    .height = 580,
    .check = plot_map_check,
    .emit = animation_emit,
};
