/* test_badinput.c — the bad-input table: every case line of tests/badinput/NAME.cases is
 * one test.
 *
 * Format (one case per line, exactly four TAB-separated fields; '#' lines and empty lines
 * are ignored):
 *
 *     NAME <TAB> EXIT <TAB> SETUP <TAB> COMMAND
 *
 * NAME is unique over all files (letters, digits, '-', '_', '.'); EXIT the expected exit
 * status (0 to 255); SETUP and COMMAND are bash snippets, SETUP '-' for none. A tab inside
 * a snippet is written $'\t'. A line that breaks these rules is a failing test naming
 * FILE:LINE, so a typo cannot silently drop a case.
 *
 * Each case runs in a fresh sandbox (mkdtemp): the current directory is SANDBOX/work, the
 * environment has LSC (the losscape executable), SRC (the source tree), DATA (tests/data)
 * and TMPDIR=SANDBOX/tmp (so temporaries a command leaves behind are seen too). SETUP runs
 * first; then every path under SANDBOX is recorded with lstat (inode, mode, size, mtime);
 * COMMAND runs with stdin from /dev/null and stdout and stderr captured to files outside
 * the sandbox; then the sandbox is recorded again. The case passes when
 *   - the exit status is EXIT (a signal counts as 128 + its number),
 *   - stderr is exactly one line, starting "losscape: ", with no other control character
 *     (what the user typed is shown escaped: \n, \x1b),
 *   - stdout is empty,
 *   - the two records agree: no path created, removed, replaced (inode) or chmod'ed, no
 *     file resized or rewritten (size, mtime). A directory's own size and mtime are not
 *     compared: a temporary that came and went leaves no path behind.
 * SETUP and COMMAND run in a process group of their own, killed after a timeout (60 s for
 * SETUP, 20 s for COMMAND), so a hang is a failure, not a stuck suite.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LSC_EXE
#error "LSC_EXE must name the losscape executable"
#endif

#define SETUP_TIMEOUT 60.0   /* seconds */
#define COMMAND_TIMEOUT 20.0 /* seconds */

/* One case, or one malformed line (bad != NULL). Strings are cr_malloc'ed: the
 * parameters live in memory Criterion shares with the test processes. */
typedef struct {
    char *where; /* "cli.cases:12" */
    char *name, *setup, *command;
    int exit_status;
    char *bad;   /* why the line is malformed, or NULL */
} bad_case;

/* ---- reading the .cases files ---------------------------------------------------- */

static char *cr_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cr_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

typedef struct {
    bad_case *v;
    size_t n, cap;
} case_list;

static void push(case_list *L, const bad_case *c)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 64;
        bad_case *v = realloc(L->v, cap * sizeof *v);
        if (!v)
            abort();
        L->v = v;
        L->cap = cap;
    }
    L->v[L->n++] = *c;
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* Split one line into the four fields, or say why it cannot be. */
static const char *split_line(char *line, char *field[4])
{
    static char why[160];
    int n = 0;
    field[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            *p = '\0';
            if (n == 4) {
                snprintf(why, sizeof why, "more than 4 TAB-separated fields (a tab inside "
                         "a snippet is written $'\\t')");
                return why;
            }
            field[n++] = p + 1;
        }
    if (n != 4) {
        snprintf(why, sizeof why, "%d TAB-separated field%s, expected 4: NAME EXIT SETUP "
                 "COMMAND", n, n == 1 ? "" : "s");
        return why;
    }
    if (!valid_name(field[0]))
        return "NAME must be letters, digits, '-', '_' or '.'";
    char *end;
    long st = strtol(field[1], &end, 10);
    if (!*field[1] || *end || st < 0 || st > 255)
        return "EXIT must be an exit status from 0 to 255";
    if (!*field[2])
        return "SETUP is empty (write '-' for none)";
    if (!*field[3] || !strcmp(field[3], "-"))
        return "COMMAND is empty";
    for (int k = 0; k < 4; k++)
        for (const char *p = field[k]; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return "a control character in a field (write it with $'...' in bash)";
    return NULL;
}

static void read_cases_file(const char *dir, const char *file, case_list *L)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *fp = fopen(path, "r");
    bad_case c;
    char where[512];
    if (!fp) {
        const char *why = strerror(errno);
        snprintf(where, sizeof where, "%s", file);
        c = (bad_case){cr_strdup(where), NULL, NULL, NULL, 0, cr_strdup(why)};
        push(L, &c);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        snprintf(where, sizeof where, "%s:%d", file, lineno);
        char *field[4];
        const char *why = split_line(line, field);
        memset(&c, 0, sizeof c);
        c.where = cr_strdup(where);
        if (why) {
            c.bad = cr_strdup(why);
        } else {
            c.name = cr_strdup(field[0]);
            c.exit_status = atoi(field[1]);
            c.setup = cr_strdup(field[2]);
            c.command = cr_strdup(field[3]);
            for (size_t i = 0; i < L->n; i++)
                if (L->v[i].name && !strcmp(L->v[i].name, c.name)) {
                    char why2[600];
                    snprintf(why2, sizeof why2, "NAME '%s' is already used at %s", c.name,
                             L->v[i].where);
                    c.bad = cr_strdup(why2);
                }
        }
        push(L, &c);
    }
    free(line);
    fclose(fp);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_cases(struct criterion_test_params *crp)
{
    bad_case *v = crp->params;
    for (size_t i = 0; i < crp->length; i++) {
        cr_free(v[i].where);
        cr_free(v[i].name);
        cr_free(v[i].setup);
        cr_free(v[i].command);
        cr_free(v[i].bad);
    }
    cr_free(v);
}

ParameterizedTestParameters(badinput, table)
{
    const char *dir = LSC_SOURCE_ROOT "/tests/badinput";
    case_list L = {0};
    DIR *d = opendir(dir);
    if (d) {
        char *names[256];
        int nn = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL && nn < 256) {
            size_t l = strlen(e->d_name);
            if (l > 6 && !strcmp(e->d_name + l - 6, ".cases"))
                names[nn++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, (size_t)nn, sizeof names[0], by_name); /* a stable order */
        for (int i = 0; i < nn; i++) {
            read_cases_file(dir, names[i], &L);
            free(names[i]);
        }
    } else {
        bad_case c = {cr_strdup(dir), NULL, NULL, NULL, 0, cr_strdup("cannot open")};
        push(&L, &c);
    }
    bad_case *v = cr_malloc((L.n ? L.n : 1) * sizeof *v);
    if (L.n)
        memcpy(v, L.v, L.n * sizeof *v);
    free(L.v);
    return cr_make_param_array(bad_case, v, L.n, free_cases);
}

/* ---- the sandbox ---------------------------------------------------------------- */

/* Remove a tree, making directories writable first (a SETUP may chmod them). */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char sub[4096];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

typedef struct {
    char *path; /* relative to the sandbox */
    struct stat st;
} entry;

typedef struct {
    entry *v;
    size_t n, cap;
    int truncated;
} snapshot;

static void snap_add(snapshot *s, const char *rel, const struct stat *st)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        entry *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            abort();
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].path = strdup(rel);
    s->v[s->n].st = *st;
    s->n++;
}

/* Every path under root/rel (lstat: a symlink is recorded, not followed). */
static void snap_walk(snapshot *s, const char *root, const char *rel)
{
    char full[4096];
    snprintf(full, sizeof full, "%s%s%s", root, rel[0] ? "/" : "", rel);
    struct stat st;
    if (lstat(full, &st) != 0)
        return;
    if (s->n >= 100000) { /* a command that makes this many files fails anyway */
        s->truncated = 1;
        return;
    }
    snap_add(s, rel[0] ? rel : ".", &st);
    if (!S_ISDIR(st.st_mode))
        return;
    DIR *d = opendir(full);
    if (!d)
        return; /* unreadable: its own entry still records mode and mtime */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snap_walk(s, root, sub);
    }
    closedir(d);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

static snapshot take_snapshot(const char *root)
{
    snapshot s = {0};
    snap_walk(&s, root, "");
    if (s.n)
        qsort(s.v, s.n, sizeof s.v[0], by_path);
    return s;
}

static void snap_free(snapshot *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].path);
    free(s->v);
}

static void appendf(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used + 1 < len)
        snprintf(buf + used, len - used, fmt, a, b);
}

/* What differs between two sorted snapshots, one line per path ("" when equal). */
static void snap_diff(const snapshot *a, const snapshot *b, char *out, size_t len)
{
    out[0] = '\0';
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i].path, b->v[j].path);
        if (c < 0) {
            appendf(out, len, "\n    removed %s%s", a->v[i].path, "");
            i++;
        } else if (c > 0) {
            appendf(out, len, "\n    created %s%s", b->v[j].path, "");
            j++;
        } else {
            const struct stat *x = &a->v[i].st, *y = &b->v[j].st;
            /* a directory's size and mtime change when a temporary comes and goes, which
             * is allowed: what it holds is compared path by path */
            const int dir = S_ISDIR(x->st_mode) && S_ISDIR(y->st_mode);
            char what[128] = "";
            if (x->st_ino != y->st_ino)
                strcat(what, " inode (replaced)");
            if (x->st_mode != y->st_mode)
                strcat(what, " mode");
            if (!dir && x->st_size != y->st_size)
                strcat(what, " size");
            if (!dir && (x->st_mtim.tv_sec != y->st_mtim.tv_sec ||
                         x->st_mtim.tv_nsec != y->st_mtim.tv_nsec))
                strcat(what, " mtime (written)");
            if (what[0])
                appendf(out, len, "\n    changed %s:%s", a->v[i].path, what);
            i++;
            j++;
        }
    }
    if (a->truncated || b->truncated)
        appendf(out, len, "\n    %s%s", "more than 100000 paths: not all compared", "");
}

/* ---- running a snippet ----------------------------------------------------------- */

typedef struct {
    int status;   /* exit status, 128 + signal, or -1 on timeout */
    char *out, *err;
    size_t out_len, err_len;
} result;

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *s = NULL;
    size_t n = 0, cap = 0;
    if (fp) {
        char buf[8192];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, fp)) > 0 && n < (1u << 20)) {
            if (n + got + 1 > cap) {
                cap = 2 * (n + got + 1);
                s = realloc(s, cap);
            }
            memcpy(s + n, buf, got);
            n += got;
        }
        fclose(fp);
    }
    if (!s)
        s = calloc(1, 1);
    else
        s[n] = '\0';
    *len = n;
    return s;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* bash -c SNIPPET in `cwd`, in a process group of its own, stdin /dev/null, output to
 * files outside the sandbox; killed (the whole group) after `timeout` seconds. */
static result run_snippet(const char *snippet, const char *sandbox, const char *cwd,
                          double timeout)
{
    char outp[] = "/tmp/lsc_badinput_out_XXXXXX", errp[] = "/tmp/lsc_badinput_err_XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    cr_assert(fo >= 0 && fe >= 0, "cannot create capture files: %s", strerror(errno));
    char tmpdir[4096];
    snprintf(tmpdir, sizeof tmpdir, "%s/tmp", sandbox);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        int fi = open("/dev/null", O_RDONLY);
        if (fi < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || chdir(cwd) != 0)
            _exit(126);
        setenv("LSC", LSC_EXE, 1);
        setenv("SRC", LSC_SOURCE_ROOT, 1);
        setenv("DATA", LSC_TEST_DATA, 1);
        setenv("TMPDIR", tmpdir, 1);
        setenv("LC_ALL", "C", 1);
        execl("/bin/bash", "bash", "-c", snippet, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no race with the child's own call */
    int st = 0, timed_out = 0;
    double t0 = now();
    /* Wait without reaping (WNOWAIT): while bash is a zombie its pid, the group's id,
     * cannot be reused, so killing the group below cannot hit anyone else. */
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 &&
            errno != EINTR)
            break;
        if (info.si_pid == pid)
            break;
        if (now() - t0 > timeout) {
            timed_out = 1;
            break;
        }
        nanosleep(&(struct timespec){0, 2000000}, NULL); /* 2 ms */
    }
    kill(-pid, SIGKILL); /* a hang, or anything the snippet left in the background */
    waitpid(pid, &st, 0);
    close(fo);
    close(fe);
    result r;
    r.status = timed_out ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = slurp(outp, &r.out_len);
    r.err = slurp(errp, &r.err_len);
    unlink(outp);
    unlink(errp);
    return r;
}

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

/* ---- the test ---------------------------------------------------------------------- */

/* Text for a message: at most 600 bytes, control characters but newlines shown as \xNN. */
static void shown(const char *s, size_t len, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 8 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (i == 600) {
            k += (size_t)snprintf(buf + k, cap - k, "...");
            break;
        }
        if (ch == '\n' || (ch >= 0x20 && ch != 0x7f))
            buf[k++] = (char)ch;
        else
            k += (size_t)snprintf(buf + k, cap - k, "\\x%02x", ch);
    }
    buf[k] = '\0';
}

/* "losscape: MESSAGE\n": one line, no other control character (a newline, tab or escape
 * sequence the user typed must reach the terminal escaped). */
static int one_line_from_losscape(const result *r)
{
    if (r->err_len <= 10 || strncmp(r->err, "losscape: ", 10) || r->err[r->err_len - 1] != '\n')
        return 0;
    for (size_t i = 0; i + 1 < r->err_len; i++)
        if ((unsigned char)r->err[i] < 0x20 || r->err[i] == 0x7f)
            return 0;
    return 1;
}

ParameterizedTest(bad_case *c, badinput, table, .timeout = 200)
{
    if (c->bad)
        cr_assert_fail("%s: malformed case: %s", c->where, c->bad);
    char sandbox[] = "/tmp/lsc_badinput_XXXXXX";
    cr_assert_not_null(mkdtemp(sandbox), "mkdtemp: %s", strerror(errno));
    char work[4096], tmp[4096];
    snprintf(work, sizeof work, "%s/work", sandbox);
    snprintf(tmp, sizeof tmp, "%s/tmp", sandbox);
    cr_assert(mkdir(work, 0755) == 0 && mkdir(tmp, 0755) == 0, "mkdir: %s", strerror(errno));

    if (strcmp(c->setup, "-")) {
        result s = run_snippet(c->setup, sandbox, work, SETUP_TIMEOUT);
        char err[700];
        shown(s.err, s.err_len, err, sizeof err);
        int st = s.status;
        result_free(&s);
        if (st != 0) {
            remove_tree(sandbox);
            cr_assert_fail("%s %s: SETUP failed (%s %d): %s", c->where, c->name,
                    st < 0 ? "timed out after" : "status", st < 0 ? (int)SETUP_TIMEOUT : st,
                    err);
        }
    }
    snapshot before = take_snapshot(sandbox);
    result r = run_snippet(c->command, sandbox, work, COMMAND_TIMEOUT);
    snapshot after = take_snapshot(sandbox);

    char diff[4096], out[700], err[700];
    snap_diff(&before, &after, diff, sizeof diff);
    shown(r.out, r.out_len, out, sizeof out);
    shown(r.err, r.err_len, err, sizeof err);
    if (r.status < 0)
        cr_expect(0, "%s %s: timed out after %g s (the process group was killed)", c->where,
                  c->name, COMMAND_TIMEOUT);
    else
        cr_expect_eq(r.status, c->exit_status, "%s %s: exit status %d, expected %d; stderr: %s",
                     c->where, c->name, r.status, c->exit_status, err);
    cr_expect(one_line_from_losscape(&r), "%s %s: stderr is not one line starting "
              "'losscape: ' without control characters: [%s]", c->where, c->name, err);
    cr_expect_eq(r.out_len, 0, "%s %s: stdout is not empty: [%s]", c->where, c->name, out);
    cr_expect(!diff[0], "%s %s: the command changed the sandbox:%s", c->where, c->name, diff);

    snap_free(&before);
    snap_free(&after);
    result_free(&r);
    remove_tree(sandbox);
}
