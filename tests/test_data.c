/* test_data.c — data sets (dataset.h): the generators against their formulas, the file
 * reader against hand-written tables and hostile files, the writer by round trip, and the
 * seeded holdout split.
 *
 * Statistical checks use fixed seeds and tolerances from the sample size: a sample mean
 * of m draws with standard deviation s is within 5 s / sqrt(m) of its expectation (a
 * 5-sigma bound: a false failure about once in 1.7 million seeds), and a sample standard
 * deviation within 5 s / sqrt(2 m) of s (its standard error for Gaussian draws).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "scratch_dir.h"

static lsc_dataset load(const char *spec, unsigned long long seed)
{
    lsc_dataset D;
    lsc_error err = {0};
    int rc = lsc_data_load(&D, spec, NULL, seed, &err);
    cr_assert_eq(rc, LSC_OK, "%s: %s", spec, err.msg);
    return D;
}

/* Expect spec (or a file) to fail with a message holding `want`. */
static void expect_error(const char *spec, const char *target, const char *want)
{
    lsc_dataset D;
    lsc_error err = {0};
    int rc = lsc_data_load(&D, spec, target, 1, &err);
    cr_expect_neq(rc, LSC_OK, "%s was accepted", spec);
    cr_expect(strstr(err.msg, want) != NULL, "%s: message '%s' lacks '%s'", spec, err.msg,
              want);
    cr_expect(!strchr(err.msg, '\n'), "%s: message of more than one line", spec);
    lsc_data_free(&D);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp, "%s", path);
    cr_assert_eq(fwrite(text, 1, len, fp), len);
    fclose(fp);
}

static const char *in_dir(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

/* ---- generators --------------------------------------------------------------------- */

Test(data, every_generator_has_its_shape_and_is_seeded)
{
    static const struct {
        const char *spec;
        int n, d, classes;
    } cases[] = {
        {"linear", 200, 1, 0},         {"linear:features=4,n=30", 30, 4, 0},
        {"sine", 200, 1, 0},           {"blobs", 200, 2, 3},
        {"blobs:features=5,classes=7,n=50", 50, 5, 7},
        {"circle", 200, 2, 2},         {"xor:n=33", 33, 2, 2},
        {"spiral", 200, 2, 2},         {"spiral:classes=5,n=101", 101, 2, 5},
        {"mean", 100, 0, 0},           {"indices", 10, 0, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lsc_dataset A = load(cases[c].spec, 7), B = load(cases[c].spec, 7),
                    C = load(cases[c].spec, 8);
        cr_expect_eq(A.n, cases[c].n, "%s", cases[c].spec);
        cr_expect_eq(A.d, cases[c].d, "%s", cases[c].spec);
        cr_expect_eq(A.classes, cases[c].classes, "%s", cases[c].spec);
        size_t nx = (size_t)A.n * (size_t)A.d;
        cr_expect(nx == 0 || !memcmp(A.X, B.X, nx * sizeof *A.X), "%s: X not reproducible",
                  cases[c].spec);
        cr_expect(!memcmp(A.y, B.y, (size_t)A.n * sizeof *A.y), "%s: y not reproducible",
                  cases[c].spec);
        int differs = memcmp(A.y, C.y, (size_t)A.n * sizeof *A.y) != 0 ||
                      (nx && memcmp(A.X, C.X, nx * sizeof *A.X) != 0);
        cr_expect(differs || !strcmp(cases[c].spec, "indices"), "%s: seed 8 = seed 7",
                  cases[c].spec);
        cr_expect_str_eq(A.names[A.d], "y");
        if (A.d)
            cr_expect_str_eq(A.names[0], "x1");
        lsc_data_free(&A);
        lsc_data_free(&B);
        lsc_data_free(&C);
    }
    /* seed= in the spec wins over the caller's seed */
    lsc_dataset A = load("blobs:seed=3", 1), B = load("blobs", 3);
    cr_expect(!memcmp(A.X, B.X, (size_t)A.n * 2 * sizeof *A.X));
    lsc_data_free(&A);
    lsc_data_free(&B);
}

Test(data, linear_and_sine_follow_their_formulas)
{
    const int n = 20000;
    lsc_dataset D = load("linear:n=20000,features=3,noise=0.25,w=2,b=-1", 11);
    double s = 0, ss = 0, lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            double a = D.X[3 * i + j];
            sum += a;
            lo = fmin(lo, a);
            hi = fmax(hi, a);
        }
        double e = D.y[i] - (2 * sum - 1); /* the noise */
        s += e;
        ss += e * e;
    }
    double mean = s / n, sd = sqrt(ss / n - mean * mean);
    cr_expect(lo >= -1 && hi <= 1 && lo < -0.99 && hi > 0.99, "features in [%g, %g]", lo, hi);
    cr_expect(fabs(mean) < 5 * 0.25 / sqrt(n), "noise mean %g", mean);
    cr_expect(fabs(sd - 0.25) < 5 * 0.25 / sqrt(2.0 * n), "noise sd %g", sd);
    lsc_data_free(&D);

    D = load("sine:n=20000,noise=0.5", 12);
    s = ss = 0;
    for (int i = 0; i < n; i++) {
        cr_assert(fabs(D.X[i]) <= 3.14159265358979323846);
        double e = D.y[i] - sin(D.X[i]);
        s += e;
        ss += e * e;
    }
    mean = s / n;
    sd = sqrt(ss / n - mean * mean);
    cr_expect(fabs(mean) < 5 * 0.5 / sqrt(n), "noise mean %g", mean);
    cr_expect(fabs(sd - 0.5) < 5 * 0.5 / sqrt(2.0 * n), "noise sd %g", sd);
    lsc_data_free(&D);
}

Test(data, blobs_are_balanced_gaussian_classes)
{
    const int n = 30000, C = 3;
    lsc_dataset D = load("blobs:n=30000,classes=3,features=2,noise=0.7", 5);
    for (int k = 0; k < C; k++) {
        double s[2] = {0, 0}, ss[2] = {0, 0};
        int m = 0;
        for (int i = 0; i < n; i++) {
            cr_assert_eq(D.y[i], i % C, "example %d: class %g", i, D.y[i]);
            if (i % C != k)
                continue;
            m++;
            for (int j = 0; j < 2; j++) {
                s[j] += D.X[2 * i + j];
                ss[j] += D.X[2 * i + j] * D.X[2 * i + j];
            }
        }
        for (int j = 0; j < 2; j++) {
            double mean = s[j] / m, sd = sqrt(ss[j] / m - mean * mean);
            /* the centre lies in [-5, 5] (allowing for the sample mean's error) */
            cr_expect(fabs(mean) <= 5 + 5 * 0.7 / sqrt(m), "class %d centre %g", k, mean);
            cr_expect(fabs(sd - 0.7) < 5 * 0.7 / sqrt(2.0 * m), "class %d sd %g", k, sd);
        }
    }
    lsc_data_free(&D);
}

/* Without noise the Playground sets are exact: labels from the geometry. */
Test(data, circle_xor_and_spiral_without_noise_follow_the_geometry)
{
    lsc_dataset D = load("circle:n=1000", 3);
    int inside = 0;
    for (int i = 0; i < D.n; i++) {
        double r = hypot(D.X[2 * i], D.X[2 * i + 1]);
        cr_assert(r <= 2.5 || (r >= 3.5 && r <= 5 + 1e-12), "radius %g", r);
        cr_assert_eq(D.y[i], r < 2.5 ? 1 : 0);
        inside += r < 2.5;
    }
    cr_expect_eq(inside, 500);
    lsc_data_free(&D);

    D = load("xor:n=1000", 3);
    for (int i = 0; i < D.n; i++) {
        double a = D.X[2 * i], b = D.X[2 * i + 1];
        cr_assert(fabs(a) >= 0.3 && fabs(a) <= 5.3 && fabs(b) >= 0.3 && fabs(b) <= 5.3);
        cr_assert_eq(D.y[i], a * b >= 0 ? 1 : 0);
    }
    lsc_data_free(&D);

    /* spiral, 3 arms of 4, 3 and 3 examples: each point at r = 5 j/m on its arm */
    D = load("spiral:classes=3,n=10", 3);
    int count[3] = {0, 0, 0};
    for (int i = 0; i < D.n; i++) {
        int k = (int)D.y[i];
        cr_assert(k >= 0 && k < 3);
        count[k]++;
        const int m = k == 0 ? 4 : 3;
        double r = hypot(D.X[2 * i], D.X[2 * i + 1]);
        double jj = r * m / 5; /* j, an integer */
        cr_expect_float_eq(jj, round(jj), 1e-9, "arm %d radius %g", k, r);
        double t = 1.75 * 2 * 3.14159265358979323846 * round(jj) / m +
                   2 * 3.14159265358979323846 * k / 3;
        cr_expect_float_eq(D.X[2 * i], r * sin(t), 1e-9);
        cr_expect_float_eq(D.X[2 * i + 1], r * cos(t), 1e-9);
    }
    cr_expect(count[0] == 4 && count[1] == 3 && count[2] == 3);
    lsc_data_free(&D);
}

Test(data, noise_flips_labels_near_the_boundary)
{
    lsc_dataset D = load("circle:n=2000,noise=0.3", 4);
    int flipped = 0;
    for (int i = 0; i < D.n; i++)
        flipped += D.y[i] != (hypot(D.X[2 * i], D.X[2 * i + 1]) < 2.5 ? 1 : 0);
    cr_expect(flipped > 20 && flipped < 1000, "%d labels flipped", flipped);
    lsc_data_free(&D);
}

Test(data, mean_and_indices)
{
    lsc_dataset D = load("mean:n=40000,mu=3,noise=2", 9);
    double s = 0;
    for (int i = 0; i < D.n; i++)
        s += D.y[i];
    cr_expect(fabs(s / D.n - 3) < 5 * 2 / sqrt(40000.0), "mean %g", s / D.n);
    cr_expect_null(D.X);
    lsc_data_free(&D);
    D = load("indices:n=12", 1);
    for (int i = 0; i < 12; i++)
        cr_expect_eq(D.y[i], i + 1);
    cr_expect_eq(D.classes, 0, "a regression set has no classes, whatever its targets");
    lsc_data_free(&D);
}

Test(data, bad_specs_are_refused)
{
    expect_error("blbs", NULL, "did you mean 'blobs'");
    expect_error("blobs:n=0", NULL, "n=0");
    expect_error("blobs:classes=1", NULL, "classes=1");
    expect_error("blobs:colour=1", NULL, "no parameter 'colour'");
    expect_error("indices:noise=1", NULL, "no parameter 'noise'");
    expect_error("", NULL, "empty");
    expect_error("blobs", "y", "target: 'y'");
    expect_error("blobs:features=4000,n=100000", NULL, "numbers");
}

/* ---- files ---------------------------------------------------------------------------- */

Test(data, write_then_read_gives_the_same_numbers, .init = make_dir, .fini = remove_dir)
{
    const char *specs[] = {"blobs:features=3,n=57", "linear", "mean:n=5", "spiral:n=20"};
    const char *exts[] = {"tsv", "csv", "CSV"};
    for (size_t s = 0; s < 4; s++)
        for (size_t e = 0; e < 3; e++) {
            lsc_dataset A = load(specs[s], 2), B;
            char name[32];
            snprintf(name, sizeof name, "t%zu.%s", s, exts[e]);
            lsc_error err = {0};
            cr_assert_eq(lsc_data_write(&A, in_dir(name), &err), LSC_OK, "%s", err.msg);
            cr_assert_eq(lsc_data_read(&B, in_dir(name), NULL, &err), LSC_OK, "%s", err.msg);
            cr_expect_eq(B.n, A.n);
            cr_expect_eq(B.d, A.d);
            cr_expect_eq(B.classes, A.classes, "%s", specs[s]);
            cr_expect(!A.d || !memcmp(A.X, B.X, (size_t)A.n * (size_t)A.d * sizeof *A.X));
            cr_expect(!memcmp(A.y, B.y, (size_t)A.n * sizeof *A.y), "%s", name);
            for (int j = 0; j <= A.d; j++)
                cr_expect_str_eq(B.names[j], A.names[j]);
            lsc_data_free(&A);
            lsc_data_free(&B);
        }
}

Test(data, the_reader_takes_what_a_user_writes, .init = make_dir, .fini = remove_dir)
{
    /* comments, blank lines, CRLF, spaces, '+', quoted names holding the separator */
    const char csv[] = "# made by hand\r\n\"height, cm\", w ,\"say \"\"hi\"\"\",label\r\n"
                       "\r\n170.5, +60,1e-3, 2\r\n# a comment\r\n.5,-7.,3E2,0\r\n";
    write_file(in_dir("h.csv"), csv, sizeof csv - 1);
    lsc_dataset D;
    lsc_error err = {0};
    cr_assert_eq(lsc_data_read(&D, in_dir("h.csv"), NULL, &err), LSC_OK, "%s", err.msg);
    cr_expect_eq(D.n, 2);
    cr_expect_eq(D.d, 3);
    cr_expect_str_eq(D.names[0], "height, cm");
    cr_expect_str_eq(D.names[1], "w");
    cr_expect_str_eq(D.names[2], "say \"hi\"");
    cr_expect_str_eq(D.names[3], "label");
    const double X[] = {170.5, 60, 1e-3, 0.5, -7, 300}, y[] = {2, 0};
    for (int k = 0; k < 6; k++)
        cr_expect_eq(D.X[k], X[k], "X[%d] = %g", k, D.X[k]);
    cr_expect(D.y[0] == y[0] && D.y[1] == y[1]);
    cr_expect_eq(D.classes, 3);
    lsc_data_free(&D);

    /* --target: every other column is a feature, in order */
    cr_assert_eq(lsc_data_read(&D, in_dir("h.csv"), "w", &err), LSC_OK, "%s", err.msg);
    cr_expect_str_eq(D.names[3], "w");
    cr_expect_str_eq(D.names[2], "label");
    cr_expect(D.X[0] == 170.5 && D.X[1] == 1e-3 && D.X[2] == 2 && D.y[0] == 60);
    cr_expect_eq(D.classes, 0, "w = -7 is not a class label");
    cr_expect_eq(D.bad_label_line, 6, "the first target that is no label: line 6");
    cr_expect_eq(D.bad_label, -7);
    lsc_data_free(&D);

    /* a target-only table: no features */
    const char tsv[] = "y\n1.5\n2.5\n";
    write_file(in_dir("m.tsv"), tsv, sizeof tsv - 1);
    cr_assert_eq(lsc_data_read(&D, in_dir("m.tsv"), NULL, &err), LSC_OK, "%s", err.msg);
    cr_expect(D.n == 2 && D.d == 0 && D.X == NULL && D.y[1] == 2.5);
    cr_expect_eq(D.classes, 0);
    cr_expect_eq(D.bad_label_line, 2);
    lsc_data_free(&D);
}

/* Each bad table gives one line naming FILE:LINE and the problem. */
Test(data, bad_files_are_refused_naming_the_line, .init = make_dir, .fini = remove_dir)
{
    static const struct {
        const char *text, *target, *want;
    } cases[] = {
        {"", NULL, "bad.csv:1: the file is empty"},
        {"# only a comment\n\n", NULL, "bad.csv:3: the file is empty"},
        {"a,b\n", NULL, "bad.csv:1: a header row and no data rows"},
        {"a,b\n1,2\n3\n", NULL, "bad.csv:3: 1 cell, the header has 2 columns"},
        {"a,b\n1,2,3\n", NULL, "bad.csv:2: 3 cells"},
        {"a,b\n1,\n", NULL, "bad.csv:2: column 'b' is empty"},
        {"a,b\n1,x\n", NULL, "bad.csv:2: column 'b': 'x' is not a number"},
        {"a,b\n1,NaN\n", NULL, "bad.csv:2: column 'b': 'NaN' is not a finite number"},
        {"a,b\n1,-inf\n", NULL, "'-inf' is not a finite number"},
        {"a,b\n1,1e999\n", NULL, "not a finite number (too large)"},
        {"a,b\n0x10,1\n", NULL, "column 'a': '0x10' is not a number"},
        {"a,b\n1 2,1\n", NULL, "'1 2' is not a number"},
        {"a,a\n1,2\n", NULL, "bad.csv:1: column 'a' appears twice"},
        {"a,,b\n1,2,3\n", NULL, "bad.csv:1: column 2 of the header has no name"},
        {"\"a,b\n1,2\n", NULL, "bad.csv:1: a quote that is never closed"},
        {"\"a\"x,b\n1,2\n", NULL, "text after a closing quote"},
        {"a,b\n1,2\n", "c", "target: no column 'c' in"},
        {"a,b\n1,2\n\n3,4,\n", NULL, "bad.csv:4: 3 cells"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        write_file(in_dir("bad.csv"), cases[c].text, strlen(cases[c].text));
        expect_error(in_dir("bad.csv"), cases[c].target, cases[c].want);
    }
    /* binary data, a line too long, too many columns */
    write_file(in_dir("nul.tsv"), "a\tb\n1\t\0002\n", 10);
    expect_error(in_dir("nul.tsv"), NULL, "nul.tsv:2: a NUL byte");
    size_t big = LSC_DATA_LINE_MAX + 10;
    char *text = malloc(big + 16);
    cr_assert_not_null(text);
    memcpy(text, "a\n", 2);
    memset(text + 2, '1', big);
    write_file(in_dir("long.tsv"), text, big + 2);
    expect_error(in_dir("long.tsv"), NULL, "long.tsv:2: longer than");
    free(text);
    text = malloc((size_t)(LSC_DATA_MAX_COLS + 1) * 8 + 8);
    cr_assert_not_null(text);
    size_t w = 0;
    for (int j = 0; j <= LSC_DATA_MAX_COLS; j++)
        w += (size_t)sprintf(text + w, "%sc%d", j ? "\t" : "", j);
    text[w++] = '\n';
    write_file(in_dir("wide.tsv"), text, w);
    expect_error(in_dir("wide.tsv"), NULL, "wide.tsv:1: more than 4096 columns");
    free(text);
    /* no file, a directory */
    expect_error(in_dir("none.csv"), NULL, "cannot read");
    cr_assert_eq(mkdir(in_dir("d.csv"), 0700), 0);
    expect_error(in_dir("d.csv"), NULL, "is a directory");
}

/* ---- holdout -------------------------------------------------------------------------- */

Test(data, the_holdout_split_is_seeded_disjoint_and_keeps_the_order)
{
    lsc_dataset all = load("indices:n=50", 1), tr, te, tr2, te2;
    lsc_error err = {0};
    cr_assert_eq(lsc_data_split(&all, 0.2, 4, &tr, &te, &err), LSC_OK, "%s", err.msg);
    cr_expect_eq(te.n, 10);
    cr_expect_eq(tr.n, 40);
    /* y_i = i: every index once, each part increasing */
    int seen[51] = {0};
    for (int i = 0; i < tr.n; i++) {
        seen[(int)tr.y[i]]++;
        cr_expect(i == 0 || tr.y[i] > tr.y[i - 1]);
    }
    for (int i = 0; i < te.n; i++) {
        seen[(int)te.y[i]]++;
        cr_expect(i == 0 || te.y[i] > te.y[i - 1]);
    }
    for (int k = 1; k <= 50; k++)
        cr_expect_eq(seen[k], 1, "example %d", k);
    cr_assert_eq(lsc_data_split(&all, 0.2, 4, &tr2, &te2, &err), LSC_OK);
    cr_expect(!memcmp(te.y, te2.y, 10 * sizeof *te.y), "same seed, same split");
    lsc_data_free(&tr2);
    lsc_data_free(&te2);
    cr_assert_eq(lsc_data_split(&all, 0.2, 5, &tr2, &te2, &err), LSC_OK);
    cr_expect(memcmp(te.y, te2.y, 10 * sizeof *te.y), "another seed, another split");
    lsc_data_free(&tr2);
    lsc_data_free(&te2);
    lsc_data_free(&tr);
    lsc_data_free(&te);

    /* features travel with their targets */
    lsc_dataset b = load("blobs:n=30", 1);
    cr_assert_eq(lsc_data_split(&b, 0.5, 1, &tr, &te, &err), LSC_OK);
    for (int i = 0; i < te.n; i++) {
        int found = 0;
        for (int k = 0; k < b.n && !found; k++)
            found = b.X[2 * k] == te.X[2 * i] && b.X[2 * k + 1] == te.X[2 * i + 1] &&
                    b.y[k] == te.y[i];
        cr_expect(found, "test row %d is no row of the set", i);
    }
    cr_expect_eq(te.classes, 3);
    lsc_data_free(&tr);
    lsc_data_free(&te);
    lsc_data_free(&b);

    double bad[] = {0, 1, -0.5, 0.001, 0.999, NAN};
    for (size_t k = 0; k < 6; k++) {
        cr_expect_neq(lsc_data_split(&all, bad[k], 1, &tr, &te, &err), LSC_OK, "%g", bad[k]);
        cr_expect(!strncmp(err.msg, "holdout:", 8), "%s", err.msg);
    }
    lsc_data_free(&all);
}
