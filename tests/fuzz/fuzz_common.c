/* fuzz_common.c — the libFuzzer entry point and the helpers every target shares */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int lsc_fuzz_saw_enomem;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer calls this for every input; the return value must be 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsc_error err = {0};
    lsc_fuzz_one(data, size, &err);
    return 0;
}

void lsc_fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

char *lsc_fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return NULL;
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

const char *lsc_fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("lsc_fuzz", 0);
        if (fd < 0)
            lsc_fuzz_fail("memfd_create failed");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    /* the file is exactly the input: truncate, then write it all from offset 0 */
    if (ftruncate(fd, 0) != 0)
        lsc_fuzz_fail("ftruncate failed");
    for (size_t done = 0; done < size;) {
        ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
        if (w <= 0)
            lsc_fuzz_fail("writing the input to the memfd failed");
        done += (size_t)w;
    }
    return path;
}

void lsc_fuzz_check_error(int rc, const lsc_error *err, const char *call)
{
    if (rc >= 0)
        return;
    if (rc == LSC_ENOMEM)
        lsc_fuzz_saw_enomem = 1;
    size_t len = strnlen(err->msg, sizeof err->msg);
    if (len == 0 || len == sizeof err->msg)
        lsc_fuzz_fail("%s returned %d with no message", call, rc);
    if (strpbrk(err->msg, "\n\r"))
        lsc_fuzz_fail("%s: error message is not one line: %s", call, err->msg);
}

double lsc_fuzz_touch(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s;
}
