/* fuzz_data.c — the data-file reader (lsc_data_read)
 *
 * The input's first byte chooses the separator (even: ',' as for FILE.csv, odd: tab as
 * for FILE.tsv; a seed starts with its own separator, ',' = 44 or tab = 9) and the rest is written to a file (a memfd) and read as a table. A table
 * that reads is then used the way a model uses one: every number of X (n x d) and y is
 * read, every column name is a string of the promised length, classes agrees with the
 * targets, and the set is split (holdout 0.3) and read again with its first column as the
 * target. Accepted: the reader returned LSC_OK.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "data/data_impl.h"
#include "dataset.h"

static volatile double sink;

static void use_data(const lsc_dataset *D)
{
    if (D->n < 1 || D->d < 0 || D->d >= LSC_DATA_MAX_COLS || !D->y || (D->d && !D->X))
        lsc_fuzz_fail("read a set of %d examples of %d features", D->n, D->d);
    for (int j = 0; j <= D->d; j++)
        if (!D->names[j][0] || strlen(D->names[j]) >= LSC_NAME_MAX)
            lsc_fuzz_fail("column %d has no name or a name too long", j);
    sink = lsc_fuzz_touch(D->X, (size_t)D->n * (size_t)D->d) + lsc_fuzz_touch(D->y, (size_t)D->n);
    for (size_t k = 0; k < (size_t)D->n * (size_t)D->d; k++)
        if (!isfinite(D->X[k]))
            lsc_fuzz_fail("feature value %zu is not finite", k);
    int top = -1, labels = 1;
    for (int i = 0; i < D->n; i++) {
        if (!isfinite(D->y[i]))
            lsc_fuzz_fail("target %d is not finite", i);
        labels &= D->y[i] >= 0 && D->y[i] < LSC_DATA_MAX_CLASSES && D->y[i] == floor(D->y[i]);
        if (labels && (int)D->y[i] > top)
            top = (int)D->y[i];
    }
    if (D->classes != (labels ? top + 1 : 0) || (labels != (D->bad_label_line == 0)))
        lsc_fuzz_fail("classes %d for targets that %s labels", D->classes,
                      labels ? "are" : "are not");
}

int lsc_fuzz_one(const uint8_t *data, size_t size, lsc_error *err)
{
    gsl_set_error_handler_off(); /* as the CLI does */
    if (size < 1)
        return 0;
    const char sep = data[0] & 1 ? '\t' : ',';
    const char *path = lsc_fuzz_file(data + 1, size - 1);
    lsc_dataset D, tr, te, T;
    lsc_error_clear(err);
    int rc = data_read(&D, path, sep, NULL, err);
    lsc_fuzz_check_error(rc, err, "lsc_data_read");
    if (rc != LSC_OK)
        return 0;
    use_data(&D);
    lsc_error e = {0};
    if (D.n >= 2) {
        rc = lsc_data_split(&D, 0.3, 1, &tr, &te, &e);
        lsc_fuzz_check_error(rc, &e, "lsc_data_split");
        if (rc == LSC_OK && (tr.n + te.n != D.n || tr.d != D.d || te.d != D.d))
            lsc_fuzz_fail("split %d into %d + %d", D.n, tr.n, te.n);
        lsc_data_free(&tr);
        lsc_data_free(&te);
    }
    if (D.d > 0) { /* the first column as the target */
        char first[LSC_NAME_MAX];
        snprintf(first, sizeof first, "%s", D.names[0]);
        rc = data_read(&T, path, sep, first, &e);
        lsc_fuzz_check_error(rc, &e, "lsc_data_read (target)");
        if (rc != LSC_OK || T.n != D.n || T.d != D.d || T.y[0] != D.X[0])
            lsc_fuzz_fail("the first column as the target reads differently");
        use_data(&T);
        lsc_data_free(&T);
    }
    lsc_data_free(&D);
    return 1;
}
