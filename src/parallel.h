/* parallel.h — independent tasks spread over threads, with results that do not depend on
 * how many threads ran them
 *
 * A study or an ensemble is a list of tasks (one run, one grid point, one seed) whose
 * results go into fixed-size slots: task i writes only slot i, reads only what it was
 * given, and draws its random numbers from streams of its own (streams.h). Then the slots,
 * and everything written from them afterwards, are the same bytes for 1, 2 or 64 threads,
 * and in any order the tasks happen to finish. Shards (--shard K/N) and MPI ranks hand out
 * the same task indices, so they can build on the same contract.
 *
 * Threads are POSIX threads taking the next task index from a shared counter. A task must
 * not print, write files or touch shared mutable state (a progress callback included).
 */
#ifndef LSC_PARALLEL_H
#define LSC_PARALLEL_H

#include <stddef.h>

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One task: fill slot (slot_size bytes, zeroed before the call) from task index i and ctx.
 * Returns LSC_OK, or an error code with err set. */
typedef int (*lsc_task_fn)(void *ctx, int i, void *slot, lsc_error *err);

/* The number of threads `threads` asks for: itself when >= 1, the online processors when
 * 0 (at least 1). */
LSC_API int lsc_threads_resolve(int threads);

/* Run fn(ctx, i, slots + i*slot_size) for every i in [0, ntasks) on up to `threads`
 * threads (0: every core; never more threads than tasks). Returns LSC_OK when every task
 * succeeded; otherwise the error of the failing task with the lowest index (the same one
 * for any thread count: tasks above a known failure are skipped, tasks below it still
 * run). */
LSC_API int lsc_parallel_map(int ntasks, void *slots, size_t slot_size, int threads,
                             lsc_task_fn fn, void *ctx, lsc_error *err);

/* The threads lsc_parallel_map would use for ntasks tasks: lsc_threads_resolve(threads),
 * at most ntasks, at least 1. */
LSC_API int lsc_parallel_workers(int ntasks, int threads);

/* A task that also learns which worker runs it: w in [0, lsc_parallel_workers(ntasks,
 * threads)), one worker per thread, so each worker may use scratch objects of its own
 * (an optimizer, a work buffer) that it resets before every task. What a task writes must
 * still depend on i alone. */
typedef int (*lsc_worker_task_fn)(void *ctx, int w, int i, void *slot, lsc_error *err);

/* lsc_parallel_map with the worker's index passed to each task. */
LSC_API int lsc_parallel_map_workers(int ntasks, void *slots, size_t slot_size, int threads,
                                     lsc_worker_task_fn fn, void *ctx, lsc_error *err);

#ifdef __cplusplus
}
#endif
#endif
