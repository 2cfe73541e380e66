/* points.h — the data set of a model figure (points.c): what kinds data and decision share.
 * The examples a model landscape (model.h) was trained on, and its holdout, drawn as
 * points: two features, one colour per class (Okabe-Ito, colour-blind safe), training
 * examples filled and test examples open; or one feature, y against x. The panel they
 * are drawn in, its key entries and the caption's words for the data. */
#ifndef LSC_PLOT_POINTS_H
#define LSC_PLOT_POINTS_H

#include "map.h"
#include "model.h"
#include "runs.h"

#define PLOT_POINTS_MAX_CLASSES 8 /* the Okabe-Ito colours: classes drawn apart */

typedef struct {
    const lsc_model *M;
    const lsc_dataset *set[2]; /* the training set, the holdout (NULL: none) */
    int d;                     /* features: 2 (classes) or 1 (y against x) */
    int classes;               /* d = 2: the classes drawn (2 .. 8); d = 1: 0 */
    double v[4];               /* the view: x0, x1, y0, y1 (data range, a margin; xlim,
                                  ylim) */
    char xname[LSC_NAME_MAX], yname[LSC_NAME_MAX]; /* the axes: the features' names (d = 1:
                                                      the feature and the target) */
} plot_points;

/* The model of L and the shape of its data, checked for kind K: a model over data (else
 * LSC_EINVAL naming the landscape), and two features with 2 to 8 classes, or one
 * feature (regression: the target against it). */
int plot_points_check(const plot_kind_type *K, const lsc_landscape *L, lsc_error *err);
/* The same for a training set and its holdout (or NULL) alone. */
int plot_points_check_sets(const plot_kind_type *K, const lsc_dataset *train,
                           const lsc_dataset *test, lsc_error *err);
/* P from the figure's data sets (lsc_plot_render_data) or landscape (checked): the sets,
 * names and view; P->M is NULL for data sets alone. */
void plot_points_init(const plot_ctx *c, plot_points *P);
/* FIG.points.tsv: x y class set (set 0 training, 1 test; class 0 for y against x). */
int plot_points_write(plot_ctx *c, const plot_points *P);
/* The colour of class k ('#E69F00' ...): orange 0 and blue 1 as Playground draws its
 * classes, then bluish green, reddish purple, vermillion, sky blue, yellow, black. */
const char *plot_class_colour(int k);
/* The points as clauses of the panel's plot command: training examples filled (a thin
 * dark edge), test examples open (a white fill, a ring in the class colour). */
void plot_emit_points(plot_ctx *c, plot_clauses *k, const plot_points *P);
/* Key entries: one per class, then what filled and open mean (the open one only when
 * there is a holdout). */
void plot_points_legend(const plot_ctx *c, const plot_points *P, plot_legend *L);
/* The panel from y0 (screen fraction) up to the title, margins for the tick labels and the
 * axis labels (the features' names unless xlabel=, ylabel=), the view's ranges; two
 * features share units (a square view stays square). */
void plot_points_panel(plot_ctx *c, const plot_points *P, double y0);
/* The model in words: "mlp 2-8-8-1 tanh (bce)", "logreg 2-1", with ", l2 0.01". */
void plot_model_describe(const lsc_landscape *L, char *buf, size_t len);
/* "spiral:noise=0.2, 160 training examples and 40 test examples (holdout 0.2)" */
void plot_points_describe(const plot_ctx *c, const plot_points *P, char *buf, size_t len);

#endif
