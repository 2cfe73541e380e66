/* parallel.c — independent tasks over POSIX threads (parallel.h) */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parallel.h"

int lsc_threads_resolve(int threads)
{
    if (threads >= 1)
        return threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores >= 1 ? (int)(cores < 1024 ? cores : 1024) : 1;
}

typedef struct {
    int ntasks;
    unsigned char *slots;
    size_t slot_size;
    lsc_task_fn fn;            /* one of fn, wfn */
    lsc_worker_task_fn wfn;
    void *ctx;
    pthread_mutex_t lock;
    int workers;       /* workers started so far: the next worker's index */
    int next;          /* the next task index to hand out */
    int failed;        /* the lowest failing task index so far (ntasks: none) */
    lsc_error failure; /* its error */
} map_state;

/* Hand out task indices until none are left or every remaining one lies above a known
 * failure; keep the failure with the lowest index. */
static void *map_worker(void *arg)
{
    map_state *s = arg;
    pthread_mutex_lock(&s->lock);
    const int w = s->workers++;
    pthread_mutex_unlock(&s->lock);
    for (;;) {
        pthread_mutex_lock(&s->lock);
        int i = s->next < s->failed ? s->next++ : s->ntasks;
        pthread_mutex_unlock(&s->lock);
        if (i >= s->ntasks)
            return NULL;
        void *slot = s->slot_size ? s->slots + (size_t)i * s->slot_size : NULL;
        if (slot)
            memset(slot, 0, s->slot_size);
        lsc_error err = {0};
        int rc = s->fn ? s->fn(s->ctx, i, slot, &err) : s->wfn(s->ctx, w, i, slot, &err);
        if (rc != LSC_OK) {
            if (!err.code)
                lsc_error_set(&err, rc, "task %d failed", i);
            pthread_mutex_lock(&s->lock);
            if (i < s->failed) {
                s->failed = i;
                s->failure = err;
            }
            pthread_mutex_unlock(&s->lock);
        }
    }
}

int lsc_parallel_workers(int ntasks, int threads)
{
    const int T = lsc_threads_resolve(threads);
    return ntasks < 1 ? 1 : T < ntasks ? T : ntasks;
}

static int map(map_state *s, int threads, lsc_error *err)
{
    if (s->ntasks <= 0)
        return LSC_OK;
    s->failed = s->ntasks;
    pthread_mutex_init(&s->lock, NULL);
    const int T = lsc_parallel_workers(s->ntasks, threads);
    pthread_t *tid = T > 1 ? calloc((size_t)T - 1, sizeof *tid) : NULL;
    int started = 0;
    if (tid)
        while (started < T - 1 && pthread_create(&tid[started], NULL, map_worker, s) == 0)
            started++;
    map_worker(s); /* the calling thread works too; alone when threads could not start */
    for (int k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    free(tid);
    pthread_mutex_destroy(&s->lock);
    if (s->failed < s->ntasks) {
        *err = s->failure;
        return err->code;
    }
    return LSC_OK;
}

int lsc_parallel_map(int ntasks, void *slots, size_t slot_size, int threads,
                     lsc_task_fn fn, void *ctx, lsc_error *err)
{
    map_state s = {.ntasks = ntasks, .slots = slots, .slot_size = slot_size, .fn = fn,
                   .ctx = ctx};
    return map(&s, threads, err);
}

int lsc_parallel_map_workers(int ntasks, void *slots, size_t slot_size, int threads,
                             lsc_worker_task_fn fn, void *ctx, lsc_error *err)
{
    map_state s = {.ntasks = ntasks, .slots = slots, .slot_size = slot_size, .wfn = fn,
                   .ctx = ctx};
    return map(&s, threads, err);
}
