/* test_parallel.c — lsc_parallel_map: every task runs once into its own slot, the bytes do
 * not depend on the thread count, and the error reported is the lowest failing task's */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parallel.h"

/* A task with some work in it, so that threads really interleave: slot i gets a few
 * numbers that depend on i alone, and a count of how often task i ran. */
typedef struct {
    double v[3];
    int ran;
} slot_t;

typedef struct {
    int fail_from; /* tasks i >= fail_from with i % 7 == 3 fail */
    int calls[4096];
} ctx_t;

static int work(void *vctx, int i, void *vslot, lsc_error *err)
{
    ctx_t *c = vctx;
    slot_t *s = vslot;
    __atomic_add_fetch(&c->calls[i], 1, __ATOMIC_RELAXED);
    double a = 0;
    for (int k = 1; k <= 2000 + (i % 13) * 500; k++)
        a += sin(i + 1.0 / k);
    s->v[0] = a;
    s->v[1] = i * 0.5;
    s->v[2] = sqrt(i + 2.0);
    s->ran = 1;
    if (i >= c->fail_from && i % 7 == 3) {
        lsc_error_set(err, LSC_EINVAL, "task %d: broken", i);
        return LSC_EINVAL;
    }
    return LSC_OK;
}

Test(parallel, same_bytes_for_every_thread_count)
{
    enum { N = 997 };
    static slot_t ref[N], got[N];
    static ctx_t c;
    lsc_error err = {0};
    c.fail_from = N;
    cr_assert_eq(lsc_parallel_map(N, ref, sizeof *ref, 1, work, &c, &err), LSC_OK);
    for (int i = 0; i < N; i++)
        cr_assert_eq(c.calls[i], 1, "task %d ran %d times", i, c.calls[i]);
    for (int T = 0; T <= 5; T++) {
        memset(&c, 0, sizeof c);
        c.fail_from = N;
        memset(got, 0xff, sizeof got); /* slots are zeroed before each task */
        cr_assert_eq(lsc_parallel_map(N, got, sizeof *got, T, work, &c, &err), LSC_OK);
        cr_assert_eq(memcmp(ref, got, sizeof ref), 0, "threads=%d: different bytes", T);
        for (int i = 0; i < N; i++)
            cr_assert_eq(c.calls[i], 1, "threads=%d: task %d ran %d times", T, i, c.calls[i]);
    }
}

Test(parallel, lowest_failing_task_is_reported)
{
    enum { N = 400 };
    static slot_t got[N];
    static ctx_t c;
    for (int T = 1; T <= 4; T++) {
        memset(&c, 0, sizeof c);
        c.fail_from = 100; /* tasks 101, 108, ... fail; 101 is the lowest */
        lsc_error err = {0};
        int rc = lsc_parallel_map(N, got, sizeof *got, T, work, &c, &err);
        cr_assert_eq(rc, LSC_EINVAL);
        cr_assert_str_eq(err.msg, "task 101: broken", "threads=%d", T);
        for (int i = 0; i <= 101; i++) /* everything below the failure ran */
            cr_assert_eq(c.calls[i], 1, "threads=%d: task %d ran %d times", T, i, c.calls[i]);
    }
}

Test(parallel, nothing_to_do_and_thread_counts)
{
    lsc_error err = {0};
    cr_assert_eq(lsc_parallel_map(0, NULL, 8, 4, work, NULL, &err), LSC_OK);
    cr_assert_eq(lsc_threads_resolve(3), 3);
    cr_assert_geq(lsc_threads_resolve(0), 1);
}

/* lsc_parallel_map_workers: worker indices lie in [0, lsc_parallel_workers), and one
 * worker never runs two tasks at once (its scratch objects are its own). */
typedef struct {
    int nworkers;
    int busy[64];    /* 1 while worker w runs a task */
    int overlap;     /* a worker found busy when it started a task */
    int out_of_range;
    int used[64];
} wctx_t;

static int worker_task(void *vctx, int w, int i, void *vslot, lsc_error *err)
{
    (void)err;
    wctx_t *c = vctx;
    if (w < 0 || w >= c->nworkers) {
        __atomic_add_fetch(&c->out_of_range, 1, __ATOMIC_RELAXED);
        return LSC_OK;
    }
    if (__atomic_exchange_n(&c->busy[w], 1, __ATOMIC_ACQ_REL))
        __atomic_add_fetch(&c->overlap, 1, __ATOMIC_RELAXED);
    double a = 0;
    for (int k = 1; k <= 3000; k++)
        a += sin(i + 1.0 / k);
    *(double *)vslot = a;
    __atomic_store_n(&c->used[w], 1, __ATOMIC_RELAXED);
    __atomic_store_n(&c->busy[w], 0, __ATOMIC_RELEASE);
    return LSC_OK;
}

Test(parallel, workers_have_their_own_index)
{
    enum { N = 500 };
    static double ref[N], got[N];
    lsc_error err = {0};
    cr_assert_eq(lsc_parallel_workers(N, 3), 3);
    cr_assert_eq(lsc_parallel_workers(2, 3), 2);
    cr_assert_eq(lsc_parallel_workers(0, 3), 1);
    cr_assert_eq(lsc_parallel_workers(N, 0), lsc_threads_resolve(0));
    for (int T = 1; T <= 4; T++) {
        wctx_t c = {.nworkers = lsc_parallel_workers(N, T)};
        cr_assert_eq(lsc_parallel_map_workers(N, T == 1 ? ref : got, sizeof(double), T,
                                              worker_task, &c, &err), LSC_OK);
        cr_assert_eq(c.out_of_range, 0, "threads=%d", T);
        cr_assert_eq(c.overlap, 0, "threads=%d: a worker ran two tasks at once", T);
        cr_assert(c.used[0], "threads=%d: the calling thread works too", T);
        if (T > 1)
            cr_assert_eq(memcmp(ref, got, sizeof ref), 0, "threads=%d", T);
    }
}
