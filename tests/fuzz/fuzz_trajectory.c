/* fuzz_trajectory.c — the trajectory reader (lsc_trajectory_read)
 *
 * The input is written to a file (a memfd) and read as a trajectory TSV. A trajectory
 * that reads is then used the way `plot` uses one: every array of every run is read
 * to the length the header promises (n start coordinates, len rows, npos coordinates a
 * row, dist and each optional column when the file has it, the per-layer block's values),
 * so a record shorter than its
 * header is an ASan
 * report here, not only in some figure; and the landscape is rebuilt from its spec at
 * the file's dimension. Accepted: the reader returned LSC_OK.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "landscape.h"
#include "trajectory.h"

/* Rebuild the landscape only up to this dimension (its state may be large). */
#define LANDSCAPE_MAX_DIM 4096

static volatile double sink;

static void use_trajectory(const lsc_trajectory *t)
{
    if (t->n < 1)
        lsc_fuzz_fail("read a trajectory with dimension %d", t->n);
    if (t->npos < 0 || t->npos > t->n)
        lsc_fuzz_fail("read a trajectory storing %d of %d coordinates", t->npos, t->n);
    if (t->nruns < 0 || (t->nruns > 0 && !t->runs))
        lsc_fuzz_fail("read a trajectory with %d runs and no run array", t->nruns);
    sink = strlen(t->landscape) + strlen(t->schedule) + strlen(t->version);
    /* stop levels: stop_loss NaN (off) or finite, stop_dist finite and >= 0 */
    if (isinf(t->stop_loss) || !(t->stop_dist >= 0 && isfinite(t->stop_dist)))
        lsc_fuzz_fail("read stop_loss %g, stop_dist %g", t->stop_loss, t->stop_dist);
    for (int i = 0; i < t->nruns; i++) {
        const lsc_run_record *r = &t->runs[i];
        if (r->len > r->cap)
            lsc_fuzz_fail("run %d: %zu rows in room for %zu", i, r->len, r->cap);
        if (r->len && (!r->step || !r->lr || !r->loss || !r->grad_norm ||
                       (t->has_dist && !r->dist) || (t->npos && !r->x)))
            lsc_fuzz_fail("run %d: %zu rows but a column is missing", i, r->len);
        if (!strcmp(lsc_stop_name(r->status), "unknown")) /* a status with no name */
            lsc_fuzz_fail("run %d: status %d", i, (int)r->status);
        sink = strlen(r->optimizer) + strlen(r->label) + strlen(r->schedule) +
               strlen(r->reason) + r->noise + r->clip_norm + r->clip_value;
        if (r->start) /* NULL when the file only says how the start was made */
            sink = lsc_fuzz_touch(r->start, (size_t)t->n);
        sink = lsc_fuzz_touch(r->lr, r->len) + lsc_fuzz_touch(r->loss, r->len) +
               lsc_fuzz_touch(r->grad_norm, r->len);
        if (t->has_dist)
            sink = lsc_fuzz_touch(r->dist, r->len);
        for (int c = 0; c < LSC_NCOLS; c++) {
            if (!(t->cols >> c & 1)) {
                if (r->col[c])
                    lsc_fuzz_fail("run %d: a %s array the header lacks", i, lsc_columns[c].name);
                continue;
            }
            if (r->len && !r->col[c])
                lsc_fuzz_fail("run %d: %zu rows but no %s column", i, r->len,
                              lsc_columns[c].name);
            sink = lsc_fuzz_touch(r->col[c], r->len);
        }
        /* the per-layer block: L within its bound, families known, len x values */
        if (t->layers < 0 || t->layers > LSC_TRAJ_MAX_LAYERS ||
            t->layer_fams >= 1u << LSC_NLCOLS || (t->layers > 0) != (t->layer_fams != 0) ||
            (t->layers > 0 && !t->layer_stats))
            lsc_fuzz_fail("read a per-layer block of %d layers, families %#x, layer_stats %d",
                          t->layers, t->layer_fams, t->layer_stats);
        const size_t nv = (size_t)lsc_trajectory_layer_values(t);
        if ((nv == 0 && r->layer) || (nv > 0 && r->len && !r->layer))
            lsc_fuzz_fail("run %d: a per-layer array that does not match the header", i);
        if (nv > 0)
            sink = lsc_fuzz_touch(r->layer, r->len * nv) +
                   lsc_run_record_layer(t, r, r->len ? r->len - 1 : 0, LSC_NLCOLS - 1,
                                        t->layers);
        sink = lsc_fuzz_touch(r->x, r->len * (size_t)t->npos);
        long steps = 0;
        for (size_t k = 0; k < r->len; k++)
            steps += r->step[k];
        sink = (double)steps;
    }
}

int lsc_fuzz_one(const uint8_t *data, size_t size, lsc_error *err)
{
    gsl_set_error_handler_off(); /* as the CLI does */
    lsc_trajectory t;
    lsc_error_clear(err);
    int rc = lsc_trajectory_read(&t, lsc_fuzz_file(data, size), err);
    lsc_fuzz_check_error(rc, err, "lsc_trajectory_read");
    if (rc != LSC_OK)
        return 0;
    use_trajectory(&t);
    if (t.n <= LANDSCAPE_MAX_DIM) {
        lsc_error e = {0};
        lsc_landscape *L = lsc_landscape_new(t.landscape, t.n, "trajectory", &e);
        lsc_fuzz_check_error(L ? LSC_OK : e.code ? e.code : LSC_EINVAL, &e,
                             "lsc_landscape_new");
        lsc_landscape_free(L);
    }
    lsc_trajectory_free(&t);
    return 1;
}
