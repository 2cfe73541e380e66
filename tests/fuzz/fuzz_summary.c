/* fuzz_summary.c — the summary reader (lsc_summary_read)
 *
 * The input is written to a file (a memfd) and read as a `# losscape summary v1` file. A
 * summary that reads is then used the way a merge would use one: every header line and
 * every row is read, each row checked against the header's counts (run = optimizer * runs
 * + start, runs increasing, a status with a name, text that fits its field) and written
 * again with lsc_summary_put_row. Accepted: the reader returned LSC_OK.
 */
#include "fuzz.h"

#include <stdio.h>
#include <string.h>

#include "summary.h"

static volatile double sink;

static void use_summary(const lsc_summary *s)
{
    if (s->dim < 1 || s->runs < 1 || s->noptimizers < 1)
        lsc_fuzz_fail("read a summary with dim %d, runs %d, %d optimizers", s->dim, s->runs,
                      s->noptimizers);
    if (!s->header || strlen(s->header) != s->header_len || s->header[s->header_len - 1] != '\n')
        lsc_fuzz_fail("the header text is not %zu bytes ending in a newline", s->header_len);
    if (s->nrows < 0 || (s->nrows > 0 && !s->rows))
        lsc_fuzz_fail("%d rows and no row array", s->nrows);
    for (int i = 0; i < s->nmeta; i++)
        sink = strlen(s->meta[i].key) + strlen(s->meta[i].value);
    FILE *null = fopen("/dev/null", "w");
    for (int i = 0; i < s->nrows; i++) {
        const lsc_run_summary *r = &s->rows[i];
        if (r->optimizer < 0 || r->optimizer >= s->noptimizers || r->start < 0 ||
            r->start >= s->runs || (long)r->optimizer * s->runs + r->start != r->run ||
            (i > 0 && r->run <= s->rows[i - 1].run))
            lsc_fuzz_fail("row %d: run %d, optimizer %d, start %d", i, r->run, r->optimizer,
                          r->start);
        if (!strcmp(lsc_stop_name(r->status), "unknown"))
            lsc_fuzz_fail("row %d: status %d", i, (int)r->status);
        if (memchr(r->label, '\0', sizeof r->label) == NULL ||
            memchr(r->reason, '\0', sizeof r->reason) == NULL)
            lsc_fuzz_fail("row %d: a text field without its terminator", i);
        if (r->step < -1 || r->escape < -1)
            lsc_fuzz_fail("row %d: step %ld, escape %ld", i, r->step, r->escape);
        sink = r->loss + r->grad_norm + (double)(r->stop_step[0] + r->stop_step[1] +
                                                 r->stop_step[2]);
        if (null)
            lsc_summary_put_row(null, r);
    }
    if (null)
        fclose(null);
}

int lsc_fuzz_one(const uint8_t *data, size_t size, lsc_error *err)
{
    lsc_summary s;
    lsc_error_clear(err);
    int rc = lsc_summary_read(&s, lsc_fuzz_file(data, size), err);
    lsc_fuzz_check_error(rc, err, "lsc_summary_read");
    if (rc == LSC_OK)
        use_summary(&s);
    lsc_summary_free(&s);
    return rc == LSC_OK;
}
