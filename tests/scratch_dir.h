/* scratch_dir.h — one temporary directory per test, removed with all it holds
 *
 * A suite includes this header and names the fixtures in its tests:
 *     Test(suite, name, .init = make_dir, .fini = remove_dir) { ... dir ... }
 * The directory is /tmp/lsc_test_XXXXXX; remove_dir deletes its whole tree (files,
 * links, FIFOs, subdirectories) without following links.
 */
#ifndef LSC_TEST_SCRATCH_DIR_H
#define LSC_TEST_SCRATCH_DIR_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/lsc_test_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

/* Remove path and, for a directory (never a link to one), everything below it. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char child[1024];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void remove_dir(void)
{
    if (dir[0])
        remove_tree(dir);
}

#endif
