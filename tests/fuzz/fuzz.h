/* fuzz.h — what every fuzz target defines, and the helpers they share
 *
 * A target is one file fuzz_NAME.c defining lsc_fuzz_one(). It is built twice:
 *   - with libFuzzer (meson -Dfuzz=true, clang): fuzz_common.c supplies
 *     LLVMFuzzerTestOneInput, which calls lsc_fuzz_one on each generated input;
 *   - into fuzz_replay_NAME (every normal build): replay.c runs each file of
 *     tests/fuzz/corpus/NAME (must be accepted) and tests/fuzz/regressions/NAME (must be
 *     rejected with a one-line error) through the same lsc_fuzz_one, as a meson test.
 * See tests/fuzz/README.md.
 */
#ifndef LSC_FUZZ_H
#define LSC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "param.h"

/* Run one input through the target's parser(s) and use what they return the way the
 * CLI would. Returns 1 if the input was accepted, 0 if it was rejected (err holds the
 * reason). Memory errors and undefined behaviour are the sanitizers' to find; broken
 * invariants (an error without a one-line message, a record whose arrays are shorter
 * than its header says) abort through lsc_fuzz_fail. */
int lsc_fuzz_one(const uint8_t *data, size_t size, lsc_error *err);

/* The input as a NUL-terminated string (malloc'd; it ends at the first NUL byte).
 * NULL only when out of memory. */
char *lsc_fuzz_text(const uint8_t *data, size_t size);

/* A path whose file holds exactly the input: a memfd, /proc/self/fd/N, reused by every
 * call in the process (so no files are left behind and nothing touches the disk). */
const char *lsc_fuzz_file(const uint8_t *data, size_t size);

/* After a call that returned rc: an error (rc < 0) must carry a non-empty message of one
 * line. Records an LSC_ENOMEM in lsc_fuzz_saw_enomem (a small input that needs gigabytes
 * is a finding for replay.c, which runs under a memory limit). */
void lsc_fuzz_check_error(int rc, const lsc_error *err, const char *call);
extern int lsc_fuzz_saw_enomem;

/* Print "fuzz: " and the message, then abort (libFuzzer saves the input as a crash). */
void lsc_fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Read every double in x[0..n-1] (so ASan sees a short buffer) and return their sum. */
double lsc_fuzz_touch(const double *x, size_t n);

#endif
