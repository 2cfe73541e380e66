/* param.h — errors, parameter descriptors and values, and the spec grammar
 *
 * Every family (landscapes, optimizers, schedules, data sets) describes its parameters
 * with a table of lsc_param_desc. A member names the rows in an enum, writes the table with
 * designated initializers, [P_NAME] = {"name", LSC_PARAM_REAL, ...}, and reads its values
 * by index: p->v[P_NAME] (lists: p->list[P_NAME], p->list_n[P_NAME]). Look-ups by name
 * (lsc_params_index, lsc_params_get) are for callers outside a family. A user writes the
 * parameters as a spec
 *
 *     name[:key=value,key=value,...]      e.g.  adam:lr=0.01,beta1=0.9
 *
 * booleans accept true/false/1/0, lists inside a value use ';' (milestones=100;200).
 * The same grammar serves the command line and recipe files.
 *
 * Types across modules. A dimension (the number of coordinates of a landscape, an
 * optimizer, a start, a trajectory) is an `int n`, at most LSC_MAX_DIM (landscape.h),
 * in every API; so are counts of runs, starts, parameters and table rows. Step counts are
 * long. Byte sizes and offsets are size_t, computed as (size_t)n * sizeof(double) so that
 * the product cannot overflow an int. Text from a user (a flag, a recipe key) is parsed as
 * a long, range-checked once, and is an int from then on.
 */
#ifndef LSC_PARAM_H
#define LSC_PARAM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* LSC_API marks what liblosscape exports. The library is built with -fvisibility=hidden,
 * so a function or object without it is internal (the module libraries the tests and the
 * command line link keep them all). */
#if defined(__GNUC__) && __GNUC__ >= 4
#define LSC_API __attribute__((visibility("default")))
#else
#define LSC_API
#endif

/* Status codes: 0 success, negative error. (Positive codes are stop reasons, run.h.) */
enum {
    LSC_OK = 0,
    LSC_EINVAL = -1,    /* bad user input: names, numbers, ranges, dimensions */
    LSC_ENOMEM = -2,
    LSC_EIO = -3,       /* a file could not be read or written */
    LSC_ENOTSUP = -4,   /* asked of something that cannot do it (no Hessian, ...) */
    LSC_EDOMAIN = -5,   /* a point outside a landscape's domain */
    LSC_ESINGULAR = -6, /* a linear system that cannot be solved */
    LSC_EEXTERNAL = -7, /* an external program (gnuplot) missing or failing */
};

/* An error travels with a human message (one line, no trailing newline: control
 * characters in it are shown escaped, see lsc_escape_control). */
typedef struct {
    int code;
    char msg[1024];
} lsc_error;

LSC_API void lsc_error_set(lsc_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
LSC_API void lsc_error_clear(lsc_error *err);

/* 1 when s holds a control character: a byte below 0x20 (newline and tab included) or
 * 0x7f. Such text cannot go into a one-line message or a line of a file as it is. */
LSC_API int lsc_has_control(const char *s);
/* s into buf with each control character written as \n, \t, \r or \xNN (never cut
 * inside an escape). lsc_error_set does this to every message. */
LSC_API void lsc_escape_control(char *buf, size_t len, const char *s);

/* Number of elements of an array (not a pointer: gcc's -Wsizeof-pointer-div catches that).
 * Every table length in losscape is counted with it, never written by hand. */
#define LSC_COUNTOF(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define LSC_NAME_MAX 64
#define LSC_VALUE_MAX 1024
#define LSC_MAX_PARAMS 16
#define LSC_MAX_LIST 128

typedef enum {
    LSC_PARAM_REAL,
    LSC_PARAM_INT,
    LSC_PARAM_BOOL,
    LSC_PARAM_LIST, /* list of reals, written a;b;c */
    LSC_PARAM_CHOICE, /* one word of those in def_list ("tanh|relu"); v[] holds its index,
                         def the default's index */
} lsc_param_kind;

/* range flags */
#define LSC_LO_OPEN 1u /* value must be > lo (else >= lo) */
#define LSC_HI_OPEN 2u /* value must be < hi (else <= hi) */
/* other flags */
#define LSC_REQUIRED 4u /* no default: a spec must give it (def is a placeholder) */

typedef struct {
    const char *name;     /* PyTorch's name where there is one */
    lsc_param_kind kind;
    double def;           /* default for REAL, INT, BOOL */
    double lo, hi;        /* allowed range (each element, for LIST); use +-INFINITY */
    unsigned flags;       /* LSC_LO_OPEN, LSC_HI_OPEN, LSC_REQUIRED */
    const char *help;     /* one line */
    const char *def_list; /* LIST default, e.g. "100;200", or NULL for empty; CHOICE: the
                             words, '|'-separated ("mse|bce|ce") */
} lsc_param_desc;

/* Values of one family member's parameters, indexed like its descriptor table. */
typedef struct {
    const lsc_param_desc *desc;
    int n;
    double v[LSC_MAX_PARAMS];              /* REAL, INT, BOOL (0/1) values */
    int list_n[LSC_MAX_PARAMS];            /* LIST lengths */
    double list[LSC_MAX_PARAMS][LSC_MAX_LIST];
    unsigned char given[LSC_MAX_PARAMS];   /* 1 if the user wrote it */
} lsc_params;

/* A parsed spec: the name and the raw key=value pairs, in order. */
typedef struct {
    char name[LSC_NAME_MAX];
    char arg[LSC_VALUE_MAX]; /* everything after ':' unparsed (used by expr:FORMULA) */
    int n;
    char key[LSC_MAX_PARAMS + 4][LSC_NAME_MAX];
    char val[LSC_MAX_PARAMS + 4][LSC_VALUE_MAX];
} lsc_spec;

/* Parse "name[:k=v,...]". `what` names the flag or key for messages ("--optimizer").
 * Keys and values may not hold control characters (lsc_has_control). */
LSC_API int lsc_spec_parse(const char *text, const char *what, lsc_spec *spec, lsc_error *err);

/* Look a key up in a spec: its value or NULL. */
LSC_API const char *lsc_spec_get(const lsc_spec *spec, const char *key);

/* Fill p with defaults, then the spec's values, validating each against its range
 * (every value must be finite, whatever the range); a key marked LSC_REQUIRED that the spec
 * does not give is an error.
 * Keys listed in `extra` (NULL-terminated, e.g. {"label", NULL}) are accepted and
 * skipped. Unknown keys get an error naming the closest known key. */
LSC_API int lsc_params_from_spec(lsc_params *p, const lsc_param_desc *desc, int ndesc,
                                 const lsc_spec *spec, const char *const *extra,
                                 const char *what, lsc_error *err);

/* Defaults only. */
LSC_API void lsc_params_defaults(lsc_params *p, const lsc_param_desc *desc, int ndesc);

/* Index of a parameter by name, or -1. */
LSC_API int lsc_params_index(const lsc_params *p, const char *name);

/* The word of CHOICE value v of d into buf (len bytes): buf. */
LSC_API const char *lsc_param_choice_name(const lsc_param_desc *d, int v, char *buf, size_t len);

/* Value by name (asserts the name exists in debug builds; returns NAN if not). */
LSC_API double lsc_params_get(const lsc_params *p, const char *name);

/* "k=v,k=v" with every parameter at round-trip precision. Returns length. */
LSC_API int lsc_params_format(const lsc_params *p, char *buf, size_t len);

/* What d allows, as a phrase: "a number > 0 and <= 1000000", "an integer in [1, 10]",
 * "true/false/1/0", "a list of numbers separated by ';', each >= 0". Returns buf. */
LSC_API const char *lsc_param_allowed(const lsc_param_desc *d, char *buf, size_t len);

/* tmpl with each {key} replaced by p's value of key written as Python writes it (0.001,
 * 1e-08, 100, True, [100, 200.5]), or "..." for an LSC_REQUIRED key p was not given;
 * "{{" and "}}" are literal braces. A key p does not have is LSC_EINVAL (the message names
 * it); text cut to fit len is LSC_ENOMEM. buf is always terminated. Turns a family
 * member's PyTorch template (optim.h, schedule.h) into the call with the spec's values. */
LSC_API int lsc_params_fill(const char *tmpl, const lsc_params *p, char *buf, size_t len,
                            lsc_error *err);

/* Numbers */

/* Shortest "%.{15,16,17}g" text that reads back to exactly x (fmt.c). buf >= 32 bytes. */
LSC_API char *lsc_fmt_double(char *buf, double x);

/* Strict parse of a whole string as a finite or infinite double: 0 or LSC_EINVAL.
 * Decimal only: -?digits[.digits][e[+-]digits] or inf/infinity; no hex, no nan, no
 * leading '+' or space (trailing spaces are allowed). */
LSC_API int lsc_parse_double(const char *s, double *out);
/* Integers: -?digits, or an exact integral decimal such as 1e6; |value| < 9e15. */
LSC_API int lsc_parse_long(const char *s, long *out);
LSC_API int lsc_parse_bool(const char *s, int *out);
/* "a,b,c" (sep ',') or "a;b;c" (sep ';') into out[max]; returns count or LSC_EINVAL. */
LSC_API int lsc_parse_list(const char *s, char sep, double *out, int max);

/* The candidate closest to `word` by edit distance, or NULL when none is close. */
LSC_API const char *lsc_closest(const char *word, const char *const *cands, int ncands);

/* Start-up: GSL's aborting error handler off (an embedding program calls it once; see
 * losscape.h). Returns LSC_OK. */
LSC_API int lsc_init(void);
/* The library's version, "0.1.0". */
LSC_API const char *lsc_version(void);

#ifdef __cplusplus
}
#endif
#endif
