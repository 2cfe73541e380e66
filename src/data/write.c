/* write.c — a data set as a table: a header row, then one row per example (dataset.h) */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "data_impl.h"
#include "outfile.h"

/* A column name, quoted ("a ""b""") when it holds the separator, a quote or outer spaces,
 * or begins with '#', so that the reader gets it back. */
static void put_name(FILE *fp, const char *name, char sep)
{
    size_t n = strlen(name);
    if (!strchr(name, sep) && !strchr(name, '"') && name[0] != '#' && name[0] != ' ' &&
        (n == 0 || name[n - 1] != ' ')) {
        fputs(name, fp);
        return;
    }
    fputc('"', fp);
    for (const char *c = name; *c; c++) {
        if (*c == '"')
            fputc('"', fp);
        fputc(*c, fp);
    }
    fputc('"', fp);
}

char lsc_data_separator(const char *path)
{
    size_t len = strlen(path);
    return len >= 4 && !strcasecmp(path + len - 4, ".csv") ? ',' : '\t';
}

void lsc_data_print(const lsc_dataset *D, FILE *fp, char sep)
{
    for (int j = 0; j <= D->d; j++) {
        if (j)
            fputc(sep, fp);
        put_name(fp, D->names[j], sep);
    }
    fputc('\n', fp);
    char b[32];
    for (int i = 0; i < D->n; i++) {
        for (int j = 0; j < D->d; j++) {
            fputs(lsc_fmt_double(b, D->X[(size_t)i * (size_t)D->d + (size_t)j]), fp);
            fputc(sep, fp);
        }
        fputs(lsc_fmt_double(b, D->y[i]), fp);
        fputc('\n', fp);
    }
}

int lsc_data_write(const lsc_dataset *D, const char *path, lsc_error *err)
{
    lsc_outfile f;
    int rc = lsc_outfile_open(&f, path, "out", err);
    if (rc != LSC_OK)
        return rc;
    lsc_data_print(D, f.fp, lsc_data_separator(path));
    return lsc_outfile_commit(&f, err);
}
