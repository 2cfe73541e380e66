/* jobs.h — independent pieces of work, each in a child process, J at a time, reported in
 * their own order (the gallery renders its recipes this way: gnuplot runs single-threaded,
 * so two recipes at once use two cores) */
#ifndef LSC_CLI_JOBS_H
#define LSC_CLI_JOBS_H

#include <stdio.h>

/* Job i, in a child process: its standard error is kept for the parent, and what it
 * writes to `back` is handed to the parent's done. Returns the child's exit status. */
typedef int (*cli_job_run)(void *ctx, int i, FILE *back);
/* In the parent, for i = 0, 1, ... in that order, once job i has ended: its exit status
 * (CLI_FAILED when it died of a signal), what it said on standard error (msgs) and wrote
 * to back (both rewound), and its wall-clock seconds. */
typedef void (*cli_job_done)(void *ctx, int i, int status, FILE *msgs, FILE *back,
                             double seconds);

/* Run jobs 0 .. n-1, at most `jobs` at once (0: one per core). Returns 0, or -1 when a
 * child could not be started (the jobs before it are reported; errno set). */
int cli_jobs_run(int n, int jobs, cli_job_run run, cli_job_done done, void *ctx);

#endif
