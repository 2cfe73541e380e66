/* test_outfile.c — output files: atomic replace, modes, links, special files, signals */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"

#include "scratch_dir.h" /* dir, make_dir, remove_dir */

TestSuite(outfile, .init = make_dir, .fini = remove_dir);

static void path_of(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static int count_entries(void)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void write_text(const char *path, const char *text)
{
    lsc_outfile f;
    lsc_error e = {0};
    cr_assert_eq(lsc_outfile_open(&f, path, "out", &e), LSC_OK, "%s", e.msg);
    fputs(text, f.fp);
    cr_assert_eq(lsc_outfile_commit(&f, &e), LSC_OK, "%s", e.msg);
}

static void expect_content(const char *path, const char *text)
{
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char buf[256] = "";
    size_t k = fread(buf, 1, sizeof buf - 1, fp);
    buf[k] = '\0';
    fclose(fp);
    cr_expect_str_eq(buf, text);
}

Test(outfile, new_file_honours_the_umask)
{
    char p[256];
    path_of(p, sizeof p, "a.tsv");
    mode_t old = umask(022);
    write_text(p, "one\n");
    umask(027);
    path_of(p, sizeof p, "b.tsv");
    write_text(p, "two\n");
    umask(old);
    struct stat st;
    path_of(p, sizeof p, "a.tsv");
    cr_assert_eq(stat(p, &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);
    expect_content(p, "one\n");
    path_of(p, sizeof p, "b.tsv");
    cr_assert_eq(stat(p, &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
    cr_expect_eq(count_entries(), 2, "a temporary was left behind");
}

Test(outfile, existing_file_keeps_its_mode_and_is_replaced_whole)
{
    char p[256];
    path_of(p, sizeof p, "keep.tsv");
    write_text(p, "old\n");
    cr_assert_eq(chmod(p, 0604), 0);
    struct stat before, after;
    cr_assert_eq(stat(p, &before), 0);
    write_text(p, "new\n");
    cr_assert_eq(stat(p, &after), 0);
    cr_expect_eq(after.st_mode & 07777, 0604, "mode %o", after.st_mode & 07777);
    cr_expect_neq(after.st_ino, before.st_ino, "not replaced by rename");
    expect_content(p, "new\n");
    cr_expect_eq(count_entries(), 1);
}

Test(outfile, a_symlink_keeps_its_link_and_its_target_is_written)
{
    char target[256], link[256];
    path_of(target, sizeof target, "real.tsv");
    path_of(link, sizeof link, "link.tsv");
    write_text(target, "old\n");
    cr_assert_eq(symlink("real.tsv", link), 0); /* relative, as users make them */
    write_text(link, "through the link\n");
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_expect(S_ISLNK(st.st_mode), "the link was replaced by a file");
    expect_content(target, "through the link\n");
    cr_expect_eq(count_entries(), 2);
}

Test(outfile, a_dangling_symlink_creates_its_target)
{
    char target[256], link[256];
    path_of(target, sizeof target, "later.tsv");
    path_of(link, sizeof link, "dangling.tsv");
    cr_assert_eq(symlink("later.tsv", link), 0);
    write_text(link, "made\n");
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_expect(S_ISLNK(st.st_mode));
    expect_content(target, "made\n");
}

Test(outfile, a_fifo_is_written_in_place_not_replaced)
{
    char p[256];
    path_of(p, sizeof p, "pipe");
    cr_assert_eq(mkfifo(p, 0600), 0);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) { /* the reader: copy what arrives on the FIFO to the pipe */
        close(fds[0]);
        int in = open(p, O_RDONLY);
        char buf[64];
        ssize_t k;
        while ((k = read(in, buf, sizeof buf)) > 0)
            if (write(fds[1], buf, (size_t)k) != k)
                _exit(1);
        _exit(0);
    }
    close(fds[1]);
    write_text(p, "into the fifo\n");
    char got[64] = "";
    ssize_t k = read(fds[0], got, sizeof got - 1);
    cr_assert_gt(k, 0);
    got[k] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    cr_expect_str_eq(got, "into the fifo\n");
    struct stat st;
    cr_assert_eq(lstat(p, &st), 0);
    cr_expect(S_ISFIFO(st.st_mode), "the FIFO was replaced");
    cr_expect_eq(count_entries(), 1);
}

Test(outfile, a_character_device_is_written_in_place)
{
    /* /dev/null as root was replaced by a regular file before; only look, never touch it
     * unless the code under test writes in place (checked through the same call on a
     * symlink to it, so that a failure replaces the link, not the device). */
    struct stat st;
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode));
    char link[256];
    path_of(link, sizeof link, "null");
    cr_assert_eq(symlink("/dev/null", link), 0);
    lsc_outfile f;
    lsc_error e = {0};
    cr_assert_eq(lsc_outfile_open(&f, link, "out", &e), LSC_OK, "%s", e.msg);
    cr_expect_eq(f.tmp[0], '\0', "a temporary would be renamed over /dev/null");
    if (f.tmp[0]) {
        lsc_outfile_abort(&f);
        return;
    }
    fputs("discarded\n", f.fp);
    cr_assert_eq(lsc_outfile_commit(&f, &e), LSC_OK, "%s", e.msg);
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_expect(S_ISCHR(st.st_mode));
}

Test(outfile, a_directory_is_refused_with_its_name)
{
    lsc_outfile f;
    lsc_error e = {0};
    cr_expect_eq(lsc_outfile_open(&f, dir, "out", &e), LSC_EINVAL);
    cr_expect(strstr(e.msg, "out:") && strstr(e.msg, "directory"), "%s", e.msg);
    cr_expect_eq(lsc_outfile_open(&f, "", "out", &e), LSC_EINVAL);
    cr_expect_eq(count_entries(), 0);
}

Test(outfile, abort_leaves_the_old_file_and_nothing_else)
{
    char p[256];
    path_of(p, sizeof p, "t.tsv");
    write_text(p, "old\n");
    lsc_outfile f;
    lsc_error e = {0};
    cr_assert_eq(lsc_outfile_open(&f, p, "out", &e), LSC_OK);
    fputs("half", f.fp);
    lsc_outfile_abort(&f);
    lsc_outfile_abort(&f); /* twice is harmless */
    expect_content(p, "old\n");
    cr_expect_eq(count_entries(), 1);
}

Test(outfile, a_missing_directory_is_an_error_that_names_the_file)
{
    char p[256];
    path_of(p, sizeof p, "no/such/dir/t.tsv");
    lsc_outfile f;
    lsc_error e = {0};
    cr_expect_eq(lsc_outfile_open(&f, p, "out", &e), LSC_EIO);
    cr_expect(strstr(e.msg, "t.tsv") != NULL, "%s", e.msg);
}

/* A last component longer than the file system allows (NAME_MAX) is refused at open, not
 * after the work at the rename; 255 bytes is still a name. */
Test(outfile, a_name_longer_than_name_max_is_refused_at_open)
{
    char name[NAME_MAX + 2], p[NAME_MAX + 512];
    memset(name, 'a', sizeof name - 1);
    name[NAME_MAX + 1] = '\0';
    snprintf(p, sizeof p, "%s/%s", dir, name);
    lsc_outfile f;
    lsc_error e = {0};
    cr_expect_eq(lsc_outfile_open(&f, p, "test-out", &e), LSC_EINVAL);
    cr_expect(strstr(e.msg, "test-out:") && strstr(e.msg, "longer than 255"), "%s", e.msg);
    cr_expect_eq(count_entries(), 0);
    name[NAME_MAX] = '\0'; /* exactly NAME_MAX bytes: allowed */
    snprintf(p, sizeof p, "%s/%s", dir, name);
    write_text(p, "ok\n");
    expect_content(p, "ok\n");
}

Test(outfile, a_signal_removes_the_temporaries)
{
    char p[256];
    path_of(p, sizeof p, "interrupted.tsv");
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        lsc_outfile_cleanup_on_signals();
        lsc_outfile f;
        lsc_error e = {0};
        char beside[LSC_PATH_MAX];
        if (lsc_outfile_open(&f, p, "out", &e) != LSC_OK ||
            lsc_outfile_temp_beside(p, ".png", beside, sizeof beside, &e) != LSC_OK)
            _exit(3);
        /* a temporary directory tracked before the file written into it */
        char sub[256], inner[300];
        snprintf(sub, sizeof sub, "%s/stage", dir);
        snprintf(inner, sizeof inner, "%s/image.png", sub);
        if (mkdir(sub, 0700) != 0 || lsc_outfile_track(sub) != 0)
            _exit(5);
        FILE *img = fopen(inner, "w");
        if (!img || lsc_outfile_track(inner) != 0)
            _exit(6);
        fclose(img);
        fputs("partial", f.fp);
        fflush(f.fp);
        raise(SIGINT);
        _exit(4); /* not reached */
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "status %d", status);
    cr_expect_eq(count_entries(), 0, "temporaries left after SIGINT");
}
