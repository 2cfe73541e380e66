/* replay.c — run a fuzz target's saved inputs as a normal test (TAP)
 *
 *   fuzz_replay_NAME CORPUS_DIR REGRESSION_DIR
 *
 * Every file of CORPUS_DIR must be accepted by lsc_fuzz_one (the seeds are real, valid
 * inputs); every file of REGRESSION_DIR (inputs that once crashed or misbehaved) must be
 * rejected with a one-line error that is not "out of memory". Each file runs in a child
 * process under a time limit (TIME_LIMIT seconds) and, in builds without ASan, an
 * address-space limit (MEM_LIMIT_MB, the fuzzers' -rss_limit_mb): a crash, a sanitizer
 * report, a time-out or running out of memory fails that file's test point and the
 * others still run. A missing directory counts as empty.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIME_LIMIT 60
#define MEM_LIMIT_MB 2048
#define MAX_INPUT (16u << 20) /* larger files are not fuzz inputs */

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
/* ASan reserves terabytes of address space, so RLIMIT_AS cannot bound it: refuse single
 * allocations above the limit instead (a report, which fails the test point). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "max_allocation_size_mb=2048";
}
#endif

/* child exit codes */
enum { ACCEPTED = 10, REJECTED = 11, REJECTED_ENOMEM = 12, UNREADABLE = 13 };

static int run_one(const char *path)
{
    alarm(TIME_LIMIT);
#ifndef HAVE_ASAN
    struct rlimit lim = {(rlim_t)MEM_LIMIT_MB << 20, (rlim_t)MEM_LIMIT_MB << 20};
    setrlimit(RLIMIT_AS, &lim);
#endif
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return UNREADABLE;
    uint8_t *buf = malloc(MAX_INPUT);
    size_t size = buf ? fread(buf, 1, MAX_INPUT, fp) : 0;
    int bad = !buf || ferror(fp) || !feof(fp);
    fclose(fp);
    if (bad)
        return UNREADABLE;
    lsc_error err = {0};
    int accepted = lsc_fuzz_one(buf, size, &err);
    free(buf);
    if (!accepted)
        fprintf(stderr, "%s: rejected: %s\n", path, err.msg);
    return accepted ? ACCEPTED : lsc_fuzz_saw_enomem ? REJECTED_ENOMEM : REJECTED;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the files in dir (not starting with '.'); count in *n. */
static char **list_dir(const char *dir, int *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    int cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nn = realloc(names, (size_t)cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, (size_t)*n, sizeof *names, by_name);
    return names;
}

static const char *outcome(int status, int want_accept)
{
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGALRM ? "timed out" : strsignal(WTERMSIG(status));
    if (!WIFEXITED(status))
        return "did not exit";
    switch (WEXITSTATUS(status)) {
    case ACCEPTED:
        return want_accept ? NULL : "accepted (a regression input must be rejected)";
    case REJECTED:
        return want_accept ? "rejected (a seed must be a valid input)" : NULL;
    case REJECTED_ENOMEM:
        return "ran out of memory";
    case UNREADABLE:
        return "cannot read the file";
    default:
        return "exited with a sanitizer report or an unexpected status";
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s CORPUS_DIR REGRESSION_DIR\n", argv[0]);
        return 2;
    }
    int n[2];
    char **names[2] = {list_dir(argv[1], &n[0]), list_dir(argv[2], &n[1])};
    printf("1..%d\n", n[0] + n[1]);
    int k = 0, failed = 0;
    for (int set = 0; set < 2; set++) {
        for (int i = 0; i < n[set]; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[1 + set], names[set][i]);
            fflush(stdout);
            pid_t pid = fork();
            if (pid == 0) /* exit, not _exit: LeakSanitizer checks at exit */
                exit(run_one(path));
            int status = 0;
            while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            const char *why = pid < 0 ? "cannot fork" : outcome(status, set == 0);
            const char *what = set == 0 ? "corpus" : "regression";
            if (why) {
                printf("not ok %d - %s %s: %s\n", ++k, what, names[set][i], why);
                failed++;
            } else {
                printf("ok %d - %s %s\n", ++k, what, names[set][i]);
            }
            free(names[set][i]);
        }
        free(names[set]);
    }
    return failed ? 1 : 0;
}
