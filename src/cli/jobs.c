/* jobs.c — independent pieces of work in child processes (jobs.h) */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jobs.h"
#include "parallel.h"

typedef struct {
    pid_t pid;     /* 0: not started; -1: ended */
    int status;
    FILE *msgs, *back;
    double t0, seconds;
} job;

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Start job i: its standard error and its results go to anonymous temporary files. */
static int start(job *j, int i, cli_job_run run, void *ctx)
{
    if (!(j->msgs = tmpfile()) || !(j->back = tmpfile()))
        return -1;
    fflush(stdout);
    fflush(stderr);
    j->t0 = wall();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    j->pid = pid;
    if (pid == 0) {
        dup2(fileno(j->msgs), 2);
        int status = run(ctx, i, j->back);
        fflush(stderr);
        fflush(j->back);
        _exit(status);
    }
    return 0;
}

/* Wait for any started job and note how it ended. */
static void reap(job *all, int n)
{
    int ws;
    pid_t pid;
    while ((pid = wait(&ws)) < 0 && errno == EINTR)
        ;
    for (int k = 0; pid > 0 && k < n; k++)
        if (all[k].pid == pid) {
            all[k].pid = -1;
            all[k].seconds = wall() - all[k].t0;
            all[k].status = WIFEXITED(ws) ? WEXITSTATUS(ws) : CLI_FAILED;
            if (WIFSIGNALED(ws))
                fprintf(all[k].msgs, "losscape: killed by signal %d\n", WTERMSIG(ws));
        }
}

int cli_jobs_run(int n, int jobs, cli_job_run run, cli_job_done done, void *ctx)
{
    job *all = calloc((size_t)(n > 0 ? n : 1), sizeof *all);
    if (!all)
        return -1;
    const int J = lsc_threads_resolve(jobs);
    int next = 0, running = 0, reported = 0, rc = 0, e = 0;
    while (reported < n) {
        while (rc == 0 && next < n && running < J) {
            if (start(&all[next], next, run, ctx) != 0) {
                e = errno;
                rc = -1;
                break;
            }
            next++;
            running++;
        }
        for (; reported < next && all[reported].pid == -1; reported++) {
            job *j = &all[reported];
            fflush(j->msgs);
            rewind(j->msgs);
            rewind(j->back);
            done(ctx, reported, j->status, j->msgs, j->back, j->seconds);
            fclose(j->msgs);
            fclose(j->back);
        }
        if (reported == next && (rc != 0 || next == n))
            break;
        reap(all, next);
        running = 0;
        for (int k = reported; k < next; k++)
            running += all[k].pid > 0;
    }
    if (rc) { /* the job that failed to start */
        if (all[next].msgs)
            fclose(all[next].msgs);
        if (all[next].back)
            fclose(all[next].back);
    }
    free(all);
    if (rc)
        errno = e;
    return rc;
}
