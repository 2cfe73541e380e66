/* gnuplot.c — finding gnuplot, running it in a stage directory, taking its image
 * (gnuplot.h) */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "gif.h"
#include "parallel.h"

/* ---- running gnuplot ---------------------------------------------------------------- *
 *
 * gnuplot never sees a name the user chose for an output. It runs in a fresh directory
 * in $TMPDIR (the stage), where
 *   - every file of the figure appears under the name the script reads it by, as a
 *     symbolic link to its temporary (the files are not in place yet: the call is
 *     all-or-nothing), and the script as STAGE_SCRIPT, so DIR is './';
 *   - OUT is STAGE_IMAGE + the terminal's extension, a name made here;
 * and what it wrote is then copied into the figure's commit group under the requested
 * name (outfile.h: a temporary beside it, renamed with the other files). cairolatex also
 * writes STAGE_IMAGE.pdf, and names it in the .tex (\includegraphics{STAGE_IMAGE}): the
 * PDF is one of the figure's own files, fig.tex.pdf (never fig.pdf, which may be another
 * figure), marked as such at its end (files.c), and the reference is rewritten to it. */
#define STAGE_SCRIPT "lsc-render.gp"
#define STAGE_IMAGE "lsc-image"

void plot_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[LSC_PLOT_PATH_MAX * 2];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            plot_spf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
            lsc_outfile_forget(p);
        }
        closedir(d);
    }
    rmdir(dir);
    lsc_outfile_forget(dir);
}

static void first_error_line(const char *s, char *out, size_t len)
{
    /* gnuplot: the command, a caret line, then '"fig.gp" line 12: message' */
    const char *best = NULL;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!best && n > 0 && strstr(p, " line ") && memchr(p, ':', n) &&
            (size_t)(strstr(p, " line ") - p) < n)
            best = p;
        p += n + (e ? 1 : 0);
    }
    if (!best) /* the first non-blank line */
        for (best = s; *best == '\n' || *best == ' '; best++)
            ;
    size_t n = strcspn(best, "\n");
    if (n >= len)
        n = len - 1;
    memcpy(out, best, n);
    out[n] = '\0';
    for (char *q = out; *q; q++)
        if ((unsigned char)*q < 0x20)
            *q = ' ';
}

/* gnuplot names the script as it was started ("./lsc-render.gp" line 12: ...): say the
 * user's name instead. */
static void name_the_script(char *line, size_t len, const char *gp_name)
{
    static const char staged[] = "\"./" STAGE_SCRIPT "\"";
    char *at = strstr(line, staged);
    if (!at)
        return;
    char rest[1024];
    plot_spf(rest, sizeof rest, "%s", at + strlen(staged));
    plot_spf(at, len - (size_t)(at - line), "\"%s\"%s", gp_name, rest);
}

/* An absolute form of path (relative to the current directory) for a symbolic link. */
static int absolute(const char *path, char *buf, size_t len)
{
    if (path[0] == '/') {
        int w = plot_spf(buf, len, "%s", path);
        return w >= 0 && (size_t)w < len ? 0 : -1;
    }
    char cwd[LSC_PLOT_PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    int w = plot_spf(buf, len, "%s/%s", cwd, path);
    return w >= 0 && (size_t)w < len ? 0 : -1;
}

/* The stage: a directory in $TMPDIR with a link to every file of the figure. */
static int make_stage(plot_ctx *c, char *stage, size_t len)
{
    const char *td = getenv("TMPDIR");
    plot_spf(stage, len, "%s/lsc-render.XXXXXX", td && td[0] ? td : "/tmp");
    if (!mkdtemp(stage)) {
        lsc_error_set(c->err, LSC_EIO, "cannot create a temporary directory '%s': %s", stage,
                      strerror(errno));
        return LSC_EIO;
    }
    lsc_outfile_track(stage);
    for (int i = c->first_file; i < c->group->n; i++) {
        const lsc_outfile *f = c->group->f[i];
        const char *slash = strrchr(f->path, '/');
        const char *name = f == c->script ? STAGE_SCRIPT : slash ? slash + 1 : f->path;
        char link[LSC_PLOT_PATH_MAX * 2], target[LSC_PLOT_PATH_MAX];
        plot_spf(link, sizeof link, "%s/%s", stage, name);
        /* a file written in place (a device, a FIFO) has no temporary: its target */
        if (absolute(f->tmp[0] ? f->tmp : f->target, target, sizeof target) != 0 ||
            symlink(target, link) != 0) {
            lsc_error_set(c->err, LSC_EIO, "cannot prepare the render in '%s': %s", stage,
                          strerror(errno ? errno : ENAMETOOLONG));
            plot_remove_tree(stage);
            return LSC_EIO;
        }
        lsc_outfile_track(link);
    }
    return LSC_OK;
}

static const char *stage_ext(const plot_ctx *c)
{
    switch (c->term) {
    case TERM_PNG: return ".png";
    case TERM_SVG: return ".svg";
    case TERM_PDF: return ".pdf";
    case TERM_TEX: return ".tex";
    case TERM_GIF: return ".gif";
    case TERM_DUMB: break;
    }
    return ".txt";
}

/* The cairolatex .tex in buf (n bytes) to fp, each {STAGE_IMAGE} (the \includegraphics
 * argument gnuplot wrote: OUT without its extension) made {FIG.tex.pdf}: with its
 * extension, as the name has several dots (LaTeX's graphicx reads the last as the
 * extension; checked with pdflatex, tests/test_plot.c). */
static void put_tex(FILE *fp, const char *buf, size_t n, const char *stem)
{
    static const char ref[] = "{" STAGE_IMAGE "}";
    const size_t r = sizeof ref - 1;
    size_t i = 0, from = 0;
    while (i + r <= n) {
        if (buf[i] == '{' && !memcmp(buf + i, ref, r)) {
            fwrite(buf + from, 1, i - from, fp);
            fprintf(fp, "{%s.pdf}", stem);
            i += r;
            from = i;
        } else {
            i++;
        }
    }
    fwrite(buf + from, 1, n - from, fp);
}

/* Copy stage file `src` into the group as dst_name (in the figure's directory); tex: the
 * .tex of cairolatex, with its reference to the PDF renamed (put_tex); mark: one of the
 * figure's own files (the .tex's graphic), which ends with "%MARK" (files.c). */
static int take_output(plot_ctx *c, const char *src, const char *dst_name, int tex,
                       const char *mark)
{
    char dst[LSC_PLOT_PATH_MAX];
    plot_join(dst, sizeof dst, c->dir, dst_name);
    FILE *in = fopen(src, "rb");
    if (!in) {
        lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot wrote no image for %s", dst);
        return LSC_EEXTERNAL;
    }
    lsc_outfile *of;
    int rc = plot_group_open(c->group, dst, mark, &of, c->err);
    if (rc != LSC_OK) {
        fclose(in);
        return rc;
    }
    int bad = 0;
    if (tex) {
        /* a few kB of picture commands and labels: read whole */
        size_t cap = 1 << 16, n = 0, k;
        char *buf = malloc(cap);
        while (buf && (k = fread(buf + n, 1, cap - n, in)) > 0) {
            n += k;
            if (n == cap) {
                char *nb = realloc(buf, cap * 2);
                if (!nb) {
                    free(buf);
                    buf = NULL;
                    break;
                }
                buf = nb;
                cap *= 2;
            }
        }
        if (buf)
            put_tex(of->fp, buf, n, c->stem);
        bad = !buf;
        free(buf);
    } else {
        char buf[1 << 14];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, of->fp);
    }
    if (mark)
        fprintf(of->fp, "\n%%%s\n", mark);
    bad |= ferror(in) || ferror(of->fp) || fflush(of->fp) != 0;
    int e = errno;
    fclose(in);
    if (bad) {
        lsc_outfile_abort(of);
        free(of);
        lsc_error_set(c->err, LSC_EIO, "cannot write '%s': %s", dst,
                      e ? strerror(e) : "write error");
        return LSC_EIO;
    }
    return plot_group_add(c->group, of, c->err);
}

static const char *gnuplot_program(const lsc_plot_opts *o)
{
    const char *prog = o->gnuplot[0] ? o->gnuplot : getenv("GNUPLOT");
    return prog && prog[0] ? prog : "gnuplot";
}

static int is_program(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* gnuplot is looked for before anything is written (as execvp will: a name with a '/'
 * as it is, else along $PATH), so that a missing one leaves no file behind. gp_path: the
 * script, for the message. */
int plot_find_gnuplot(const lsc_plot_opts *o, const char *gp_path, lsc_error *err)
{
    const char *prog = gnuplot_program(o);
    int found = o->no_render;
    if (strchr(prog, '/')) {
        found = is_program(prog);
    } else {
        const char *path = getenv("PATH");
        if (!path)
            path = "/usr/local/bin:/usr/bin:/bin";
        while (!found && *path) {
            size_t n = strcspn(path, ":");
            char cand[LSC_PLOT_PATH_MAX];
            int w = n ? plot_spf(cand, sizeof cand, "%.*s/%s", (int)n, path, prog)
                      : plot_spf(cand, sizeof cand, "%s", prog);
            found = w > 0 && (size_t)w < sizeof cand && is_program(cand);
            path += n + (path[n] == ':');
        }
    }
    if (found)
        return LSC_OK;
    lsc_error_set(err, LSC_EEXTERNAL, "gnuplot not found ('%s' is not an executable "
                  "program): install it (apt-get install gnuplot-nox) or name it with "
                  "GNUPLOT=/path/to/gnuplot; nothing was written (no_render writes the script "
                  "%s and its data)", prog, gp_path);
    return LSC_EEXTERNAL;
}

int lsc_plot_gnuplot_check(const lsc_plot_opts *o, lsc_error *err)
{
    char gp[LSC_PLOT_PATH_MAX];
    if (lsc_plot_script_path(o, gp, sizeof gp) != LSC_OK)
        plot_spf(gp, sizeof gp, "FIG.gp");
    return plot_find_gnuplot(o, gp, err);
}

/* What a gnuplot run gave: whether it started (exec_errno: why not), its exit status, and
 * what it said on its standard error (the first 8 kB). */
typedef struct {
    int exec_errno; /* 0: gnuplot started */
    int status;     /* waitpid status */
    char err[8192];
} gnuplot_result;

/* The child: standard input (and output, for files) from /dev/null, standard error to the
 * pipe, in the stage; on a failed exec its errno goes back through execpipe. */
__attribute__((noreturn)) static void child(int out_to_null, const char *stage,
                                            char *const argv[], int errfd, int execfd)
{
    int e = 0;
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        dup2(devnull, 0);
        if (out_to_null)
            dup2(devnull, 1); /* files only: keep stdout for dumb to the terminal */
    }
    dup2(errfd, 2);
    if (chdir(stage) != 0) {
        e = errno;
    } else {
        execvp(argv[0], argv);
        e = errno;
    }
    ssize_t wr = write(execfd, &e, sizeof e);
    (void)wr;
    _exit(127);
}

/* The parent's side: the exec result, then gnuplot's standard error until it closes,
 * then its exit status. */
static void wait_gnuplot(pid_t pid, int errfd, int execfd, gnuplot_result *res)
{
    ssize_t got;
    res->exec_errno = 0;
    do
        got = read(execfd, &res->exec_errno, sizeof res->exec_errno);
    while (got < 0 && errno == EINTR);
    if (got != (ssize_t)sizeof res->exec_errno)
        res->exec_errno = 0;
    size_t elen = 0;
    for (;;) {
        char chunk[4096];
        ssize_t k = read(errfd, chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        size_t take = (size_t)k;
        if (take > sizeof res->err - 1 - elen)
            take = sizeof res->err - 1 - elen;
        memcpy(res->err + elen, chunk, take);
        elen += take;
    }
    res->err[elen] = '\0';
    res->status = 0;
    while (waitpid(pid, &res->status, 0) < 0 && errno == EINTR)
        ;
}

/* A started gnuplot: its process and the read ends of its pipes. */
typedef struct {
    pid_t pid;
    int errfd, execfd;
} gnuplot_proc;

/* Start argv (fork/exec, never a shell) in the stage directory. */
static int start(plot_ctx *c, const char *stage, char *const argv[], gnuplot_proc *p)
{
    int errpipe[2], execpipe[2];
    if (pipe(errpipe) != 0) {
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: pipe: %s", strerror(errno));
        return LSC_EIO;
    }
    if (pipe(execpipe) != 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: pipe: %s", strerror(errno));
        return LSC_EIO;
    }
    fcntl(execpipe[1], F_SETFD, FD_CLOEXEC);
    fcntl(errpipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(execpipe[0], F_SETFD, FD_CLOEXEC);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(errpipe[0]);
        close(errpipe[1]);
        close(execpipe[0]);
        close(execpipe[1]);
        lsc_error_set(c->err, LSC_EIO, "cannot start gnuplot: fork: %s", strerror(errno));
        return LSC_EIO;
    }
    if (pid == 0)
        child(c->out_name[0] != 0, stage, argv, errpipe[1], execpipe[1]);
    close(errpipe[1]);
    close(execpipe[1]);
    *p = (gnuplot_proc){pid, errpipe[0], execpipe[0]};
    return LSC_OK;
}

/* Wait for a started gnuplot: what it said, how it ended. */
static void finish(gnuplot_proc *p, gnuplot_result *res)
{
    wait_gnuplot(p->pid, p->errfd, p->execfd, res);
    close(p->execfd);
    close(p->errfd);
}

static int ran_ok(const gnuplot_result *res)
{
    return !res->exec_errno && WIFEXITED(res->status) && WEXITSTATUS(res->status) == 0;
}

/* gnuplot did not start or failed: the message says why, quoting gnuplot's first error
 * line (with the user's name for the script). */
static int failed(plot_ctx *c, const gnuplot_result *res, const char *prog, const char *gp_path,
                  const char *gp_name)
{
    const int e = res->exec_errno, status = res->status;
    if (e) {
        if (e == ENOENT || e == EACCES || e == ENOTDIR)
            lsc_error_set(c->err, LSC_EEXTERNAL,
                          "gnuplot not found ('%s': %s): install it (apt-get install "
                          "gnuplot-nox) or name it with GNUPLOT=/path/to/gnuplot; nothing was "
                          "written (no_render writes the script %s and its data)", prog,
                          strerror(e), gp_path);
        else
            lsc_error_set(c->err, LSC_EEXTERNAL, "cannot run gnuplot ('%s'): %s; nothing was "
                          "written (no_render writes the script %s and its data)", prog,
                          strerror(e), gp_path);
        return LSC_EEXTERNAL;
    }
    char line[1024];
    first_error_line(res->err, line, sizeof line);
    name_the_script(line, sizeof line, gp_name);
    if (WIFEXITED(status))
        lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot failed on %s (exit status %d): %s; "
                      "nothing was written", gp_path, WEXITSTATUS(status),
                      line[0] ? line : "no message");
    else
        lsc_error_set(c->err, LSC_EEXTERNAL, "gnuplot failed on %s (killed by signal %d); "
                      "nothing was written", gp_path, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return LSC_EEXTERNAL;
}

/* What gnuplot made joins the group under the requested names (cairolatex: the .tex and
 * its PDF). */
static int take_image(plot_ctx *c, const char *stage, const char *image)
{
    if (!c->out_name[0])
        return LSC_OK;
    int rc = take_output(c, image, c->out_name, c->term == TERM_TEX, NULL);
    if (rc == LSC_OK && c->term == TERM_TEX) {
        char pdf[LSC_PLOT_PATH_MAX + 64], pdf_name[LSC_PLOT_PATH_MAX + 8];
        char mark[LSC_PLOT_PATH_MAX + 64];
        plot_spf(pdf, sizeof pdf, "%s/%s.pdf", stage, STAGE_IMAGE);
        plot_spf(pdf_name, sizeof pdf_name, "%s.pdf", c->stem);
        rc = take_output(c, pdf, pdf_name, 0, plot_mark(c->stem, mark, sizeof mark));
    }
    return rc;
}

/* gnuplot on the whole script. */
static int run_whole(plot_ctx *c, const char *stage, char *progabs, char *out_arg,
                     const char *prog, const char *gp_path, const char *gp_name)
{
    char *argv[6];
    int a = 0;
    argv[a++] = progabs;
    if (c->out_name[0]) {
        argv[a++] = (char *)"-e";
        argv[a++] = out_arg;
    }
    argv[a++] = (char *)"./" STAGE_SCRIPT;
    argv[a] = NULL;
    gnuplot_proc p;
    gnuplot_result res;
    int rc = start(c, stage, argv, &p);
    if (rc == LSC_OK) {
        finish(&p, &res);
        if (!ran_ok(&res))
            rc = failed(c, &res, prog, gp_path, gp_name);
    }
    return rc;
}

/* How many gnuplot processes draw an animation: one per core (o->jobs: at most that
 * many), at most one per 8 frames and 8 in all; 1 for anything else. */
#define ANIMATION_MAX_PARTS 8
static int animation_parts(const plot_ctx *c)
{
    if (!c->animate || !c->out_name[0] || c->frames < 16)
        return 1;
    int parts = lsc_threads_resolve(c->o->jobs);
    if (parts > c->frames / 8)
        parts = c->frames / 8;
    return parts < ANIMATION_MAX_PARTS ? parts : ANIMATION_MAX_PARTS;
}

/* An animation in parts: gnuplot k draws frames [1 + k F/P, (k+1) F/P] into its own GIF,
 * all at once; the GIFs are joined into the image (gif.c). A failing part is reported as
 * the whole script failing. */
static int run_parts(plot_ctx *c, const char *stage, char *progabs, int parts,
                     const char *prog, const char *gp_path, const char *gp_name)
{
    gnuplot_proc p[ANIMATION_MAX_PARTS];
    char args[ANIMATION_MAX_PARTS][128], files[ANIMATION_MAX_PARTS][LSC_PLOT_PATH_MAX + 64];
    const char *names[ANIMATION_MAX_PARTS];
    int named = 0, started = 0, rc = LSC_OK;
    for (int k = 0; k < parts && rc == LSC_OK; k++) {
        int first = 1 + (int)((long)k * c->frames / parts);
        int last = (int)((long)(k + 1) * c->frames / parts);
        plot_spf(args[k], sizeof args[k], "OUT='%s.part%d.gif'; FRAME_FIRST=%d; FRAME_LAST=%d",
                 STAGE_IMAGE, k, first, last);
        plot_spf(files[k], sizeof files[k], "%s/%s.part%d.gif", stage, STAGE_IMAGE, k);
        names[named++] = files[k];
        lsc_outfile_track(files[k]); /* removed on a signal, before the stage */
        char *argv[] = {progabs, (char *)"-e", args[k], (char *)"./" STAGE_SCRIPT, NULL};
        if ((rc = start(c, stage, argv, &p[k])) == LSC_OK)
            started++;
    }
    for (int k = 0; k < started; k++) {
        gnuplot_result res;
        finish(&p[k], &res);
        if (rc == LSC_OK && !ran_ok(&res))
            rc = failed(c, &res, prog, gp_path, gp_name);
    }
    char image[LSC_PLOT_PATH_MAX + 64];
    plot_spf(image, sizeof image, "%s/%s%s", stage, STAGE_IMAGE, stage_ext(c));
    if (rc == LSC_OK && plot_gif_join(names, parts, image) != 0) {
        lsc_error_set(c->err, LSC_EIO, "cannot join the animation's parts into '%s': %s",
                      c->out_name, strerror(errno));
        rc = LSC_EIO;
    }
    for (int k = 0; k < named; k++) {
        unlink(files[k]);
        lsc_outfile_forget(files[k]);
    }
    return rc;
}

int plot_run_gnuplot(plot_ctx *c)
{
    const char *prog = gnuplot_program(c->o);
    char progabs[LSC_PLOT_PATH_MAX * 2];
    if (strchr(prog, '/') && prog[0] != '/') {
        char cwd[LSC_PLOT_PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            cwd[0] = '\0';
        plot_spf(progabs, sizeof progabs, "%s/%s", cwd, prog);
    } else {
        plot_spf(progabs, sizeof progabs, "%s", prog);
    }
    char gp_path[LSC_PLOT_PATH_MAX + 8], gp_name[LSC_PLOT_PATH_MAX + 8];
    plot_spf(gp_name, sizeof gp_name, "%s.gp", c->stem);
    plot_join(gp_path, sizeof gp_path, c->dir, gp_name);

    char stage[LSC_PLOT_PATH_MAX], image[LSC_PLOT_PATH_MAX + 64], out_arg[64];
    int rc = make_stage(c, stage, sizeof stage);
    if (rc)
        return rc;
    plot_spf(out_arg, sizeof out_arg, "OUT='%s%s'", STAGE_IMAGE, stage_ext(c));
    plot_spf(image, sizeof image, "%s/%s%s", stage, STAGE_IMAGE, stage_ext(c));
    if (c->out_name[0])
        lsc_outfile_track(image); /* removed on a signal while gnuplot writes it */
    int parts = animation_parts(c);
    rc = parts > 1 ? run_parts(c, stage, progabs, parts, prog, gp_path, gp_name)
                   : run_whole(c, stage, progabs, out_arg, prog, gp_path, gp_name);
    if (rc == LSC_OK)
        rc = take_image(c, stage, image);
    plot_remove_tree(stage);
    return rc;
}
