/* summary.h — reading `# losscape summary v1` files (one row a run; experiment.h)
 *
 * lsc_experiment_write_summary writes the format (its comment in experiment.h is the
 * definition); lsc_summary_put_row writes one row of it, so a writer elsewhere (a merge of
 * part files) writes the same bytes. lsc_summary_read reads a whole file back, checking
 * every field, so that it is safe on hostile input: each line at most 64 KiB, at most
 * LSC_SUMMARY_MAX_META metadata lines, every row's 13 cells parsed in full (digits only
 * for counts, a number or nan/inf/-inf for loss and grad_norm, a status name), the run,
 * optimizer and start of each row consistent with `# runs: K` and the optimizer lines
 * (run = optimizer * K + start), runs strictly increasing (a part file may skip runs: the
 * caller checks completeness, nrows against K * noptimizers).
 */
#ifndef LSC_SUMMARY_H
#define LSC_SUMMARY_H

#include <stdio.h>

#include "experiment.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_SUMMARY_MAX_META 4096
#define LSC_SUMMARY_MAX_LINE 65536
/* The column row (the writer's and the reader's). */
#define LSC_SUMMARY_COLUMNS                                                                \
    "run\toptimizer\tlabel\tstart\tstep\tstatus\tloss\tgrad_norm\tstop_grad_step\t"        \
    "stop_loss_step\tstop_dist_step\tescape_step\treason"

/* One '# key: value' line of the header (key is everything before the first ": "). */
typedef struct {
    char *key, *value;
} lsc_summary_meta;

typedef struct {
    char *header;          /* every line before the first row, the column row included,
                              each ending in '\n' (a file's lines ending in "\r\n" read
                              as '\n') */
    size_t header_len;
    lsc_summary_meta *meta; /* the '# key: value' lines in file order */
    int nmeta;
    int dim;               /* # dim */
    int runs;              /* # runs: K, starts per optimizer */
    int noptimizers;       /* '# optimizer M: SPEC' lines, M = 0, 1, ... */
    lsc_run_summary *rows; /* in run order */
    int nrows;
} lsc_summary;

/* Read the summary file at path into s (zeroed first; lsc_summary_free it also after an
 * error). LSC_EINVAL with "PATH:LINE: what" for a malformed file, LSC_ENOMEM, LSC_EIO. */
LSC_API int lsc_summary_read(lsc_summary *s, const char *path, lsc_error *err);
LSC_API void lsc_summary_free(lsc_summary *s);

/* The value of the header's '# key: value' line (the first one), or NULL. */
LSC_API const char *lsc_summary_get(const lsc_summary *s, const char *key);

/* One row, as lsc_experiment_write_summary writes it (with its '\n'). */
LSC_API void lsc_summary_put_row(FILE *fp, const lsc_run_summary *r);

#ifdef __cplusplus
}
#endif
#endif
