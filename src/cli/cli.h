/* cli.h — shared pieces of the losscape command line: one file per verb */
#ifndef LSC_CLI_H
#define LSC_CLI_H

#include "losscape.h"

/* Exit statuses */
enum {
    CLI_OK = 0,
    CLI_FAILED = 1,   /* the work itself failed (I/O, a check that found a problem) */
    CLI_USAGE = 2,    /* bad input: names, numbers, ranges, files */
    CLI_EXTERNAL = 3, /* gnuplot missing */
};

/* One command-line flag of a verb. */
typedef struct {
    const char *name;  /* "--steps" */
    int takes_value;   /* 1: --name VALUE or --name=VALUE */
    const char *help;  /* "N   number of updates (default 1000)" */
} cli_flag;

/* Walks argv: flags (from the table) and positional arguments, in order. */
typedef struct {
    int argc, i;
    char **argv;
    const char *verb;
    const cli_flag *flags;
    int nflags;
} cli_args;

/* Next item: returns 1 with *flag set (NULL for a positional argument, then *value is
 * it) and *value the flag's value (NULL for a switch); 0 at the end; -1 on a usage error
 * (printed). */
int cli_next(cli_args *a, const cli_flag **flag, const char **value);

/* Print "losscape: MESSAGE" on stderr, one line (control characters escaped); returns
 * `status` for `return cli_fail(...)`. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Map an error to an exit status and print it; a message that begins with an experiment
 * key ("clip_norm: ...") is printed with the key's flag ("--clip-norm: ..."). */
int cli_fail_err(const lsc_error *err);
/* An experiment key's flag ("clip_norm" -> "--clip-norm"), and back. */
void cli_flag_of_key(char *buf, size_t len, const char *key);
void cli_key_of_flag(char *buf, size_t len, const char *flag);

/* An input file named by `flag` (or a verb, for a positional argument): 0 when it exists,
 * is not a directory and can be opened for reading; else CLI_USAGE, with a one-line
 * message naming flag and path printed. */
int cli_input_file(const char *flag, const char *path);

/* Strict numbers for flags: print a one-line error naming the flag on failure. */
int cli_long(const char *flag, const char *value, long lo, long hi, long *out);
int cli_double(const char *flag, const char *value, double lo, double hi, int lo_open,
               double *out);

void cli_print_flags(FILE *fp, const cli_flag *flags, int n);

/* A family member's keys, one line each after `indent`: key=default (key=... when
 * required) and its meaning (cmd_info.c; `list --long`). */
void cli_print_keys_short(const lsc_param_desc *desc, int n, const char *indent);

/* Plot options as flags (cmd_plot.c): the table of every lsc_plot_keys entry after
 * `extra`, and applying one of them to o (0 or a printed exit status). */
int cli_plot_flags(cli_flag *flags, int cap, const cli_flag *extra, int nextra);
int cli_plot_apply(lsc_plot_opts *o, const cli_flag *fl, const char *value);

/* Copy table (n rows) into flags (cap rows); returns how many were copied. */
int cli_copy_flags(cli_flag *flags, int cap, const cli_flag *table, int n);

/* A verb: its entry point, a line of help, its synopsis and the flags its --help lists.
 * main.c's table drives dispatch and `losscape --help`, and src/cli/doc/gendoc.c makes
 * the man page and the completion scripts from it. */
typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;  /* one line */
    const char *usage; /* after "losscape ": "list [FAMILY] [--long]" */
    /* the flags its --help lists (cap: room in flags); returns how many */
    int (*flags)(cli_flag *flags, int cap);
} cli_verb;
extern const cli_verb cli_verbs[];
extern const int cli_nverbs;
/* What `losscape` takes instead of a verb (--help, --version) */
extern const cli_flag cli_top_flags[];
extern const int cli_ntop_flags;

/* `losscape ARGS`: the whole program (exe.c's main calls it). */
int cli_main(int argc, char **argv);

/* Each verb: entry point, synopsis, flags as its --help lists them. */
extern const char cmd_list_usage[], cmd_info_usage[], cmd_run_usage[], cmd_plot_usage[],
    cmd_figure_usage[], cmd_gallery_usage[], cmd_data_usage[], cmd_study_usage[];
int cmd_list_flags(cli_flag *flags, int cap);
int cmd_info_flags(cli_flag *flags, int cap);
int cmd_run_flags(cli_flag *flags, int cap);
int cmd_plot_flags(cli_flag *flags, int cap);
int cmd_figure_flags(cli_flag *flags, int cap);
int cmd_gallery_flags(cli_flag *flags, int cap);
int cmd_data_flags(cli_flag *flags, int cap);
int cmd_study_flags(cli_flag *flags, int cap);

int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_figure(int argc, char **argv);
int cmd_gallery(int argc, char **argv);
int cmd_data(int argc, char **argv);
int cmd_study(int argc, char **argv);

#endif
