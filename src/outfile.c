/* outfile.c — writing a file the user named, without ever leaving half of it behind
 *
 * The rules are in outfile.h. The temporary is created with O_CREAT | O_EXCL and mode 0666,
 * so the umask applies to a new file exactly as it would to fopen(path, "w"); an existing
 * file's mode (and, where allowed, owner) is copied onto the temporary before the rename.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- temporaries remembered for signal clean-up ------------------------------------- */

#define TRACK_SLOTS 256

static char tracked[TRACK_SLOTS][LSC_PATH_MAX];
static volatile sig_atomic_t tracked_used[TRACK_SLOTS];

int lsc_outfile_track(const char *tmp)
{
    if (strlen(tmp) >= LSC_PATH_MAX)
        return -1;
    for (int i = 0; i < TRACK_SLOTS; i++) {
        if (tracked_used[i])
            continue;
        strcpy(tracked[i], tmp);
        tracked_used[i] = 1; /* only now may a handler read the slot */
        return 0;
    }
    return -1;
}

void lsc_outfile_forget(const char *tmp)
{
    for (int i = 0; i < TRACK_SLOTS; i++)
        if (tracked_used[i] && !strcmp(tracked[i], tmp)) {
            tracked_used[i] = 0;
            return;
        }
}

void lsc_outfile_remove_temporaries(void)
{
    /* files first, then the (by now empty) temporary directories; both calls are
     * async-signal-safe */
    for (int i = 0; i < TRACK_SLOTS; i++)
        if (tracked_used[i])
            unlink(tracked[i]);
    for (int i = 0; i < TRACK_SLOTS; i++)
        if (tracked_used[i])
            rmdir(tracked[i]);
}

static void on_signal(int sig)
{
    lsc_outfile_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

void lsc_outfile_cleanup_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < LSC_COUNTOF(sigs); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* keep an ignored signal ignored (nohup, background jobs) */
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- names ----------------------------------------------------------------------------- */

/* Directory part of `path` with a trailing '/', or "" for a bare name. */
static void dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    if (n >= len)
        n = len - 1;
    memcpy(dir, path, n);
    dir[n] = '\0';
}

/* Where the bytes of `path` go: the path itself, or a symbolic link's final target
 * (which need not exist yet). Returns 0 or an errno value. */
static int resolve(const char *path, char *out, size_t len)
{
    char cur[LSC_PATH_MAX];
    if (strlen(path) >= sizeof cur)
        return ENAMETOOLONG;
    strcpy(cur, path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            if (strlen(cur) >= len)
                return ENAMETOOLONG;
            strcpy(out, cur);
            return 0;
        }
        char link[LSC_PATH_MAX];
        ssize_t k = readlink(cur, link, sizeof link - 1);
        if (k < 0)
            return errno;
        link[k] = '\0';
        char next[LSC_PATH_MAX];
        if (link[0] == '/') {
            strcpy(next, link);
        } else {
            char dir[LSC_PATH_MAX];
            dir_of(cur, dir, sizeof dir);
            if (strlen(dir) + strlen(link) >= sizeof next)
                return ENAMETOOLONG;
            strcpy(next, dir);
            strcat(next, link);
        }
        strcpy(cur, next);
    }
    return ELOOP;
}

/* Create "DIR/.BASE.XXXXXX" + suffix beside `target` with O_EXCL and mode 0666 (less the
 * umask). The base is shortened so the name fits a directory entry. Returns an fd or -1. */
static int create_temp(const char *target, const char *suffix, char *tmp, size_t len)
{
    static unsigned long counter;
    char dir[LSC_PATH_MAX];
    dir_of(target, dir, sizeof dir);
    const char *base = target + strlen(dir);
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long r = (unsigned long)getpid() * 2654435761ul ^
                          (unsigned long)time(NULL) * 40503ul ^ ++counter * 0x9e3779b9ul;
        char tag[8];
        static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 6; i++, r /= 36)
            tag[i] = abc[r % 36];
        tag[6] = '\0';
        int w = snprintf(tmp, len, "%s.%.200s.%s%s", dir, base, tag, suffix);
        if (w < 0 || (size_t)w >= len) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

int lsc_outfile_temp_beside(const char *path, const char *suffix, char *tmp, size_t len,
                            lsc_error *err)
{
    char target[LSC_PATH_MAX];
    int e = resolve(path, target, sizeof target);
    int fd = e ? -1 : create_temp(target, suffix ? suffix : "", tmp, len);
    if (fd < 0) {
        lsc_error_set(err, LSC_EIO, "cannot write beside '%s': %s", path,
                      strerror(e ? e : errno));
        return LSC_EIO;
    }
    close(fd);
    lsc_outfile_track(tmp);
    return LSC_OK;
}

/* ---- open, commit, abort ---------------------------------------------------------------- */

int lsc_outfile_open(lsc_outfile *f, const char *path, const char *what, lsc_error *err)
{
    memset(f, 0, sizeof *f);
    f->slot = -1;
    if (!path[0]) {
        lsc_error_set(err, LSC_EINVAL, "%s: the file name is empty", what);
        return LSC_EINVAL;
    }
    if (strlen(path) >= LSC_PATH_MAX) {
        lsc_error_set(err, LSC_EINVAL, "%s: the file name is longer than %d bytes", what,
                      LSC_PATH_MAX - 1);
        return LSC_EINVAL;
    }
    /* A last component the file system cannot hold would fail only at the final rename,
     * after the work (and, for a caller committing several files, after the others). */
    const char *base = strrchr(path, '/');
    if (strlen(base ? base + 1 : path) > NAME_MAX) {
        lsc_error_set(err, LSC_EINVAL, "%s: the file name '%.40s...' is longer than %d bytes",
                      what, base ? base + 1 : path, NAME_MAX);
        return LSC_EINVAL;
    }
    strcpy(f->path, path);
    if (!strcmp(path, "-")) {
        strcpy(f->target, "-");
        f->fp = stdout;
        return LSC_OK;
    }
    int e = resolve(path, f->target, sizeof f->target);
    if (e) {
        lsc_error_set(err, LSC_EIO, "%s: cannot write '%s': %s", what, path, strerror(e));
        return LSC_EIO;
    }
    struct stat st;
    int exists = stat(f->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        lsc_error_set(err, LSC_EINVAL, "%s: '%s' is a directory (give a file name)", what,
                      path);
        return LSC_EINVAL;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device, FIFO or socket: write into it, never replace it */
        int fd = open(f->target, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || !(f->fp = fdopen(fd, "w"))) {
            int oe = errno;
            if (fd >= 0)
                close(fd);
            lsc_error_set(err, LSC_EIO, "%s: cannot write '%s': %s", what, path,
                          strerror(oe));
            return LSC_EIO;
        }
        return LSC_OK;
    }
    int fd = create_temp(f->target, "", f->tmp, sizeof f->tmp);
    if (fd < 0) {
        lsc_error_set(err, LSC_EIO, "%s: cannot write '%s': %s", what, path,
                      strerror(errno));
        f->tmp[0] = '\0';
        return LSC_EIO;
    }
    f->slot = lsc_outfile_track(f->tmp);
    if (exists) {
        /* keep the old file's permissions (and owner, where we may) */
        if (fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* not root: the file becomes ours, as any editor's save would make it */
        }
        fchmod(fd, st.st_mode & 07777);
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        int oe = errno;
        close(fd);
        lsc_outfile_abort(f);
        lsc_error_set(err, LSC_EIO, "%s: cannot write '%s': %s", what, path, strerror(oe));
        return LSC_EIO;
    }
    return LSC_OK;
}

void lsc_outfile_abort(lsc_outfile *f)
{
    if (f->fp && f->fp != stdout)
        fclose(f->fp);
    f->fp = NULL;
    if (f->tmp[0]) {
        unlink(f->tmp);
        lsc_outfile_forget(f->tmp);
        f->tmp[0] = '\0';
    }
}

int lsc_outfile_commit(lsc_outfile *f, lsc_error *err)
{
    if (!f->fp) {
        lsc_error_set(err, LSC_EIO, "cannot write '%s': the file is not open", f->path);
        return LSC_EIO;
    }
    int bad = ferror(f->fp) ? (errno ? errno : EIO) : 0;
    if (f->fp == stdout) {
        if (fflush(stdout) != 0 && !bad)
            bad = errno;
    } else if (fclose(f->fp) != 0 && !bad) {
        bad = errno;
    }
    f->fp = NULL;
    if (!bad && f->tmp[0] && rename(f->tmp, f->target) != 0)
        bad = errno;
    if (bad) {
        lsc_outfile_abort(f);
        lsc_error_set(err, LSC_EIO, "cannot write '%s': %s", f->path, strerror(bad));
        return LSC_EIO;
    }
    if (f->tmp[0]) {
        lsc_outfile_forget(f->tmp);
        f->tmp[0] = '\0';
    }
    return LSC_OK;
}
