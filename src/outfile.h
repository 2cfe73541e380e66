/* outfile.h — writing a file the user named, without ever leaving half of it behind
 *
 * Every output of losscape (trajectories, figure data, scripts, images, indexes) goes
 * through here, so the rules are written once:
 *
 *   - a regular file, or a name that does not exist yet, is written as a temporary file
 *     beside it (".NAME.XXXXXX" in the same directory) and renamed over it on commit, so a
 *     reader sees the old file or the whole new one, never a part;
 *   - a symbolic link keeps its link: its target is replaced the same way;
 *   - an existing file keeps its permission bits; a new file gets 0666 less the umask;
 *   - what exists and is not a regular file (a device such as /dev/null, a FIFO, a socket,
 *     a terminal) is written in place, and so is "-" (standard output): nothing is renamed
 *     over it, so it is never replaced;
 *   - a directory is refused.
 *
 * Temporaries are remembered until commit or abort, so that lsc_outfile_cleanup_on_signals()
 * can remove them when the process is interrupted (SIGINT, SIGTERM, SIGHUP).
 */
#ifndef LSC_OUTFILE_H
#define LSC_OUTFILE_H

#include <stdio.h>
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LSC_PATH_MAX 4096

typedef struct {
    FILE *fp;                  /* write here */
    char path[LSC_PATH_MAX];   /* the name the caller gave */
    char target[LSC_PATH_MAX]; /* where the bytes end up (a symlink resolved) */
    char tmp[LSC_PATH_MAX];    /* the temporary file; "" when written in place */
    int slot;                  /* index in the signal-cleanup table, or -1 */
} lsc_outfile;

/* Open `path` for writing by the rules above. `what` names the flag or key for messages
 * (e.g. "out"); errors are LSC_EINVAL for a path that cannot be an output (a directory,
 * an empty name) and LSC_EIO for the system's refusals. */
LSC_API int lsc_outfile_open(lsc_outfile *f, const char *path, const char *what, lsc_error *err);

/* Flush, close and move the temporary into place. On failure nothing is left behind. */
LSC_API int lsc_outfile_commit(lsc_outfile *f, lsc_error *err);

/* Close and remove the temporary (nothing happens to the target). Safe to call twice. */
LSC_API void lsc_outfile_abort(lsc_outfile *f);

/* Create a temporary name beside `path` ("DIR/.BASE.XXXXXX" + suffix, created empty with
 * mkstemps) and remember it for signal clean-up. For files another program writes (the
 * image gnuplot renders): the caller renames or removes it, then calls lsc_outfile_forget. */
LSC_API int lsc_outfile_temp_beside(const char *path, const char *suffix, char *tmp, size_t len,
                                    lsc_error *err);
LSC_API void lsc_outfile_forget(const char *tmp);

/* Remember / forget any other temporary path for signal clean-up (0, or -1 if the table
 * of 256 is full: then it is simply not cleaned up on a signal). A remembered directory
 * is removed after the files, so track a temporary directory and what goes into it. */
LSC_API int lsc_outfile_track(const char *tmp);

/* Install SIGINT, SIGTERM and SIGHUP handlers that remove every remembered temporary and
 * then die of the same signal. For programs (the losscape CLI calls it at start-up); a
 * library user who has handlers of their own can call lsc_outfile_remove_temporaries()
 * from them instead. */
LSC_API void lsc_outfile_cleanup_on_signals(void);
LSC_API void lsc_outfile_remove_temporaries(void); /* async-signal-safe */

#ifdef __cplusplus
}
#endif
#endif
