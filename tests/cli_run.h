/* cli_run.h — running the losscape executable from a test: its stdout, stderr and status
 *
 * A suite compiled with -DLSC_EXE="path" includes this header and calls
 *     result r = run((const char *[]){"info", "adam", NULL});
 *     ... r.status, r.out, r.err ...
 *     result_free(&r);
 * The child's stdin is the parent's; its output goes through temporary files in /tmp.
 */
#ifndef LSC_TEST_CLI_RUN_H
#define LSC_TEST_CLI_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LSC_EXE
#error "LSC_EXE must name the losscape executable"
#endif

typedef struct {
    int status;
    char *out, *err;
} result;

/* The whole file, NUL-terminated (NULL when it cannot be read); free() it. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, fp);
    s[got] = '\0';
    fclose(fp);
    return s;
}

/* Run `losscape ARGS...` (NULL-terminated), capturing stdout, stderr and the status. */
static result run(const char *const *args)
{
    char outp[] = "/tmp/lsc_cli_out_XXXXXX", errp[] = "/tmp/lsc_cli_err_XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fo, 1);
        dup2(fe, 2);
        const char *argv[64] = {LSC_EXE};
        int k = 1;
        for (; args[k - 1] && k < 63; k++)
            argv[k] = args[k - 1];
        argv[k] = NULL;
        execv(LSC_EXE, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    close(fo);
    close(fe);
    result r = {WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), slurp(outp), slurp(errp)};
    unlink(outp);
    unlink(errp);
    return r;
}

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

#endif
