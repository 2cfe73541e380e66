/* bench.c — how fast losscape's optimizers step, against memory bandwidth and PyTorch
 *
 *   ./build/tests/bench              C numbers, then tests/bench_torch.py for PyTorch's
 *   ./build/tests/bench --no-torch   C numbers only
 *   ./build/tests/bench --quick      fewer repetitions (a smoke test)
 *   ./build/tests/bench --train      only (e), the networks (with PyTorch's)
 *   ./build/tests/bench --run        only (g) and (h): whole runs against plain C loops, and
 *                                    the race against GSL's minimisers
 *   --python PATH (default /usr/bin/python3), --script PATH (default tests/bench_torch.py)
 *
 * One thread, float64. Every figure is the best of several repetitions after a warm-up,
 * timed with clock_gettime(CLOCK_MONOTONIC).
 *
 * (a) ns per parameter per step of lsc_optim_step for "sgd:momentum=0.9" and "adam" on n
 *     parameters with a fixed gradient g_i = 1e-3 (1 + i mod 7), next to a STREAM-style
 *     probe that moves the same bytes with the cheapest arithmetic:
 *       SGD-momentum reads x, g, b and writes x, b          (5 doubles per parameter)
 *         probe: b <- 0.5 b + g ; x <- x - c b
 *       Adam reads x, g, m, v and writes x, m, v            (7 doubles per parameter)
 *         probe: m <- 0.5 m + g ; v <- 0.5 v + g ; x <- x - c (m + v)
 *     C/probe near 1 means the step runs at memory speed; above 1, arithmetic (Adam's
 *     sqrt and division) or overhead costs the difference.
 * (b) the same steps in torch.optim (bench_torch.py: SGD / Adam on one float64 tensor,
 *     torch.set_num_threads(1), foreach left at its default): torch/C is how many times
 *     slower PyTorch is. The script runs twice: "torch" with glibc malloc told to keep
 *     freed memory (the steady state of a training process), "torch-dm" with glibc's
 *     defaults, where Adam's two per-step temporaries of n doubles are mmap'ed and
 *     unmapped every step and the page faults cost up to 3x (see bench_torch.py).
 * (c) 10^4 independent 2-D Rosenbrock (a=1, b=100) trajectories x 10^3 Adam steps
 *     (lr 1e-3): losscape steps them as ONE lsc_optim over n*m = 2*10^4 parameters (Adam
 *     is elementwise, LSC_OPTIM_ELEMENTWISE) with lsc_landscape_fdf_batch on the
 *     structure-of-arrays block X[j*m + i]; PyTorch holds them in one (10^4, 2) tensor
 *     with the gradient and Adam's update written in torch ops. Trajectory-steps per
 *     second; the mean final loss of both is printed as a check that they computed the
 *     same thing.
 * (e) training a network, CPU time per epoch (lsc_run, the path `losscape run` takes: the run's
 *     shuffled batches from its sampler, the batch's mean gradient by lsc_model_fdf,
 *     lsc_optim_step) against a plain PyTorch loop over the same data from the same
 *     weights (bench_torch.py: a fresh torch.randperm each epoch cut into index batches,
 *     X[idx], zero_grad, loss, backward, optimizer.step; no DataLoader):
 *       tiny     2-8-8-1 tanh, bce, on circle (N = 1000), B = 32, Adam, 50 epochs
 *       medium   64-256-256-10 relu, ce, on blobs (N = 10^4, 64 features, 10 classes),
 *                B = 128, Adam, 5 epochs
 *     lsc_run records only the start and the end (every = the whole run), where it computes
 *     the exact full-data loss and gradient; the torch loop computes the same two, so both
 *     seconds per epoch carry the same two full passes (the whole run / epochs). Both
 *     losses at the end are printed: they differ by the batch order only.
 * (g) the whole run (issue 12): lsc_run on 2-D rosenbrock (10^6 Adam steps) in ns per step,
 *     and on rosenbrock n = 1000 (10^4 steps) in ns per parameter per step, each against a
 *     plain C loop fusing gradient, norm, finiteness and Adam's update in one pass; and
 *     writing a 10^6-row trajectory by lsc_trajectory_write against the same numbers
 *     formatted the old way (%.15g, %.16g, %.17g + strtod), in MB/s.
 * (h) the race to |grad f| <= 1e-6 on 2-D Rosenbrock from (-1.2, 1) and on chained
 *     Rosenbrock n = 1000 from its standard start: losscape's lbfgs (when built),
 *     newton-cg and newton (2-D) through lsc_run against GSL's vector_bfgs2 and
 *     conjugate_fr, all on one counting wrapper of the landscape: seconds, iterations,
 *     evaluations, the final |grad f| and f.
 * (f) `losscape study batch` with its defaults (lsc_study_run into a temporary directory,
 *     figures included): wall seconds, and the CPU seconds of this process and of the
 *     children it waited for (gnuplot); one run.
 * (i) the ensemble through the path a user takes (issue 11): the losscape executable,
 *     `run --landscape rosenbrock --start @FILE --optimizer adam:lr=1e-3 --steps 1000
 *     --summary-only --threads T`, FILE holding (c)'s 10^4 starts: every trajectory with
 *     lsc_run's checks, one summary row each. The whole process (start-up, reading the
 *     starts, writing the summary) for T = 1 and 2, best of 3 (2 with --quick): its wall
 *     seconds and its CPU seconds (getrusage of the children), as trajectory-steps per second; against
 *     (c)'s PyTorch rate (wall, and per CPU second from bench_torch.py), and T = 2 against
 *     T = 1 in wall time. The mean final loss of the summary (read back with
 *     lsc_summary_read) is printed beside (c)'s as a check. The load average is printed:
 *     other jobs on the machine take cores from T = 2 and inflate wall time.
 * (j) layer_stats (--layer-stats): the same lsc_run with and without the per-layer block,
 *     CPU seconds, the two timed in turn, best of several each, their ratio (the issue's
 *     target: at most 1.2). Cases: a 30-layer tanh mlp of width 32 on spiral (N = 1000)
 *     with full batches and every step recorded (the most the block can cost: its
 *     statistics on every step, from the pass that gives the step's gradient), the same
 *     with batches of 32 recording every 10th step (the full-data pass of a recorded row
 *     is paid with or without the block), and the medium net of (e).
 *   ./build/tests/bench --layers   only (j)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_multimin.h>

#include "losscape.h"
#include "study.h"
#include "lsc_version.h"

/* 29 hidden layers of width 32: a 30-layer network */
#define W32x5 "32;32;32;32;32;"
#define W32x29 W32x5 W32x5 W32x5 W32x5 W32x5 "32;32;32;32"

#ifndef LSC_SOURCE_ROOT
#define LSC_SOURCE_ROOT "."
#endif
#ifndef LSC_EXE
#define LSC_EXE "losscape"
#endif

static int quick = 0;

/* ---- timing ------------------------------------------------------------------------ */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of this process: on a machine shared with other jobs, wall time counts their
 * time slices too; a single-threaded loop's CPU time is what its wall time would be alone. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- memory ------------------------------------------------------------------------ */

/* k arrays of n doubles in one 64-byte aligned block; array j starts 128 j bytes (mod
 * 4 KiB) after array 0, so the streams of one loop do not alias in the 4 KiB sense (the
 * layout lsc_optim uses for its own state). */
typedef struct {
    void *block;
    double *a[8];
} arrays;

static int arrays_new(arrays *A, int k, int n)
{
    size_t bytes = ((size_t)n * sizeof(double) + 4095) / 4096 * 4096 + 128;
    size_t total = (bytes * (size_t)k + 4095) / 4096 * 4096; /* C11: a multiple of 4096 */
    A->block = aligned_alloc(4096, total);
    if (!A->block)
        return -1;
    for (int j = 0; j < k; j++)
        A->a[j] = (double *)(void *)((char *)A->block + bytes * (size_t)j);
    return 0;
}

static void fill_gradient(double *g, int n)
{
    for (int i = 0; i < n; i++)
        g[i] = 1e-3 * (1.0 + (double)(i % 7));
}

/* ---- STREAM-style probes ------------------------------------------------------------- */

/* Explicit SIMD (GCC vector extensions, 8 doubles) so the probe is vectorised at any -O
 * level, with AVX-512 and AVX2 clones picked at load time where gcc supports them: the
 * probe stands for the best the machine can do. Unaligned loads and stores go through
 * memcpy (no vector crosses a function boundary, so no ABI question). */
#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) && defined(__GNUC__) &&  \
    !defined(__clang__)
#define PROBE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define PROBE_CLONES
#endif

typedef double v8d __attribute__((vector_size(64)));

/* SGD-momentum traffic: b <- 0.5 b + g ; x <- x - c b */
PROBE_CLONES __attribute__((noinline)) static void
probe5(int n, double *restrict x, const double *restrict g, double *restrict b, double c)
{
    int i = 0;
    for (; i <= n - 8; i += 8) {
        v8d xi, gi, bi;
        memcpy(&xi, x + i, sizeof xi);
        memcpy(&gi, g + i, sizeof gi);
        memcpy(&bi, b + i, sizeof bi);
        bi = 0.5 * bi + gi;
        xi = xi - c * bi;
        memcpy(b + i, &bi, sizeof bi);
        memcpy(x + i, &xi, sizeof xi);
    }
    for (; i < n; i++) {
        double bi = 0.5 * b[i] + g[i];
        b[i] = bi;
        x[i] -= c * bi;
    }
}

/* Adam traffic: m <- 0.5 m + g ; v <- 0.5 v + g ; x <- x - c (m + v) */
PROBE_CLONES __attribute__((noinline)) static void
probe7(int n, double *restrict x, const double *restrict g, double *restrict m,
       double *restrict v, double c)
{
    int i = 0;
    for (; i <= n - 8; i += 8) {
        v8d xi, gi, mi, vi;
        memcpy(&xi, x + i, sizeof xi);
        memcpy(&gi, g + i, sizeof gi);
        memcpy(&mi, m + i, sizeof mi);
        memcpy(&vi, v + i, sizeof vi);
        mi = 0.5 * mi + gi;
        vi = 0.5 * vi + gi;
        xi = xi - c * (mi + vi);
        memcpy(m + i, &mi, sizeof mi);
        memcpy(v + i, &vi, sizeof vi);
        memcpy(x + i, &xi, sizeof xi);
    }
    for (; i < n; i++) {
        double mi = 0.5 * m[i] + g[i], vi = 0.5 * v[i] + g[i];
        m[i] = mi;
        v[i] = vi;
        x[i] -= c * (mi + vi);
    }
}

/* ---- (a) optimizer step and probe ------------------------------------------------------ */

typedef struct {
    const char *spec;
    int doubles; /* moved per parameter per step */
    int n;
    double c_ns, probe_ns;
    double torch_ns[2]; /* [0] malloc keeps freed memory, [1] glibc defaults */
} optim_row;

/* Repetitions of `steps` steps each: about 2e7 parameter updates per repetition. */
static void plan(int n, long *steps, int *reps)
{
    *steps = (long)(2e7 / (double)n);
    if (*steps < 3)
        *steps = 3;
    *reps = quick ? 3 : 7;
    if (n >= 10000000)
        *reps = quick ? 2 : 4;
}

static int bench_optim(optim_row *r)
{
    int n = r->n;
    lsc_error err = {0};
    arrays A;
    if (arrays_new(&A, 5, n)) {
        fprintf(stderr, "bench: out of memory for n = %d\n", n);
        return -1;
    }
    double *x = A.a[0], *g = A.a[1], *p1 = A.a[2], *p2 = A.a[3];
    memset(x, 0, (size_t)n * sizeof *x);
    fill_gradient(g, n);
    lsc_optim *o = lsc_optim_new(r->spec, n, "bench", &err);
    if (!o) {
        fprintf(stderr, "bench: %s\n", err.msg);
        free(A.block);
        return -1;
    }
    const double lr = 1e-3;
    lsc_optim_set_lr(o, lr);
    long steps;
    int reps;
    plan(n, &steps, &reps);

    /* optimizer: warm-up repetition, then the best of reps */
    double best = INFINITY;
    for (int rep = 0; rep <= reps; rep++) {
        double t0 = now();
        for (long s = 0; s < steps; s++)
            lsc_optim_step(o, x, g, NULL);
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
    }
    r->c_ns = 1e9 * best / ((double)steps * (double)n);

    /* probe over the same number of arrays */
    memset(p1, 0, (size_t)n * sizeof *p1);
    memset(p2, 0, (size_t)n * sizeof *p2);
    best = INFINITY;
    for (int rep = 0; rep <= reps; rep++) {
        double t0 = now();
        for (long s = 0; s < steps; s++) {
            if (r->doubles == 5)
                probe5(n, x, g, p1, lr);
            else
                probe7(n, x, g, p1, p2, lr);
        }
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
    }
    r->probe_ns = 1e9 * best / ((double)steps * (double)n);
    lsc_optim_free(o);
    free(A.block);
    return 0;
}

/* ---- (c) many Rosenbrock trajectories ---------------------------------------------------- */

#define TRAJ_M 10000
#define TRAJ_STEPS 1000

/* A 100 x 100 grid over [-2, 2] x [-1, 3] in structure-of-arrays layout. */
static void traj_start(double *X, size_t m)
{
    size_t k = (size_t)lround(sqrt((double)m));
    for (size_t i = 0; i < m; i++) {
        X[i] = -2.0 + 4.0 * (double)(i % k) / (double)(k - 1);
        X[m + i] = -1.0 + 4.0 * (double)(i / k) / (double)(k - 1);
    }
}

static int bench_traj(double *rate, double *mean_loss)
{
    const size_t m = TRAJ_M;
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock:a=1,b=100", 2, "bench", &err);
    if (!L) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return -1;
    }
    lsc_optim *o = lsc_optim_new("adam:lr=1e-3", 2 * TRAJ_M, "bench", &err);
    if (!o) {
        fprintf(stderr, "bench: %s\n", err.msg);
        lsc_landscape_free(L);
        return -1;
    }
    if (!(o->type->flags & LSC_OPTIM_ELEMENTWISE))
        fprintf(stderr, "bench: warning: adam is not flagged elementwise\n");
    arrays A;
    if (arrays_new(&A, 3, 2 * TRAJ_M)) {
        lsc_optim_free(o);
        lsc_landscape_free(L);
        return -1;
    }
    double *X = A.a[0], *G = A.a[1], *F = A.a[2], scratch[4];
    int reps = quick ? 2 : 4;
    double best = INFINITY;
    for (int rep = 0; rep <= reps; rep++) {
        traj_start(X, m);
        lsc_optim_reset(o);
        double t0 = now();
        for (int s = 0; s < TRAJ_STEPS; s++) {
            lsc_landscape_fdf_batch(L, m, X, F, G, scratch);
            lsc_optim_step(o, X, G, NULL);
        }
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
    }
    lsc_landscape_fdf_batch(L, m, X, F, G, scratch);
    double sum = 0;
    for (size_t i = 0; i < m; i++)
        sum += F[i];
    *mean_loss = sum / (double)m;
    *rate = (double)m * TRAJ_STEPS / best;
    free(A.block);
    lsc_optim_free(o);
    lsc_landscape_free(L);
    return 0;
}

/* ---- (g) the whole run against plain C loops (issue 12) ------------------------------ */

#define RUN2_STEPS 1000000L
#define RUND_N 1000
#define RUND_STEPS 10000L

/* The run's outcome: ns per step (2-D) or per parameter per step (n-D), and where it ended. */
typedef struct {
    double c_ns, plain_ns;
    double rel_diff; /* |x_run - x_plain| / |x_plain| at the end */
} run_row;

/* lsc_run as `losscape run` takes it: Adam lr 1e-3 on rosenbrock in n dimensions from
 * its standard start, recording only the first and last rows. Best seconds of reps; the
 * final x into xend. */
static double time_lsc_run(int n, long steps, int reps, double *xend)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock", n, "bench", &err);
    lsc_optim *o = L ? lsc_optim_new("adam:lr=1e-3", n, "bench", &err) : NULL;
    double *x0 = malloc((size_t)n * sizeof *x0);
    if (!L || !o || !x0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(1);
    }
    lsc_landscape_start(L, 0, x0);
    lsc_run_opts ro = {.landscape = L, .steps = steps, .every = steps, .seed = 1};
    lsc_trajectory t;
    lsc_trajectory_init(&t, n, n, 0);
    double best = INFINITY;
    for (int rep = 0; rep <= reps; rep++) {
        lsc_run_record *rec = lsc_trajectory_add_run(&t);
        double t0 = now();
        int st = rec ? lsc_run(&ro, o, x0, 0, &t, rec, &err) : LSC_ENOMEM;
        double dt = now() - t0;
        if (st < 0 || rec->len != 2) {
            fprintf(stderr, "bench: lsc_run: %s\n", err.msg);
            exit(1);
        }
        memcpy(xend, rec->x + (size_t)n, (size_t)n * sizeof *xend);
        if (rep > 0 && dt < best)
            best = dt;
    }
    lsc_trajectory_free(&t);
    free(x0);
    lsc_optim_free(o);
    lsc_landscape_free(L);
    return best;
}

/* The plain loop: the chained Rosenbrock gradient (a = 1, b = 100),
 *   g_i = [-2(1 - x_i) - 400 x_i (x_{i+1} - x_i^2)] [i < n-1] + 200 (x_i - x_{i-1}^2) [i > 0]
 * (f = sum_{i<n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, so the last coordinate has no
 * (1 - x_i) term), its squared norm and finiteness, and Adam's update (lr 1e-3, betas 0.9, 0.999, eps 1e-8,
 * bias corrections as running products), fused into ONE pass over x: g_i needs x_{i-1}
 * before its update (kept in a register) and x_{i+1} not yet updated. What a run must
 * do per step at the least; lsc_run also evaluates f and records. */
static double time_plain(int n, long steps, int reps, const double *x0, double *x, double *m,
                         double *v)
{
    const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double best = INFINITY;
    volatile double sink = 0;
    for (int rep = 0; rep <= reps; rep++) {
        memcpy(x, x0, (size_t)n * sizeof *x);
        memset(m, 0, (size_t)n * sizeof *m);
        memset(v, 0, (size_t)n * sizeof *v);
        double b1t = 1, b2t = 1, gsum = 0;
        double t0 = now();
        for (long k = 1; k <= steps; k++) {
            b1t *= b1;
            b2t *= b2;
            const double step = lr / (1 - b1t), ibc2 = 1 / sqrt(1 - b2t);
            double prev = 0; /* x_{i-1} before its update */
            gsum = 0;
            for (int i = 0; i < n; i++) {
                const double xi = x[i];
                double g = 0;
                if (i < n - 1)
                    g = -400 * xi * (x[i + 1] - xi * xi) - 2 * (1 - xi);
                if (i > 0)
                    g += 200 * (xi - prev * prev);
                gsum += g * g;
                const double mi = b1 * m[i] + (1 - b1) * g;
                const double vi = b2 * v[i] + (1 - b2) * g * g;
                m[i] = mi;
                v[i] = vi;
                prev = xi;
                x[i] = xi - step * mi / (sqrt(vi) * ibc2 + eps);
            }
            if (!isfinite(gsum))
                break;
        }
        double dt = now() - t0;
        sink += gsum;
        if (rep > 0 && dt < best)
            best = dt;
    }
    (void)sink;
    return best;
}

static void bench_run(int n, long steps, run_row *r)
{
    const int reps = quick ? 1 : 3;
    double *xr = malloc(4 * (size_t)n * sizeof *xr), *xp = xr + n, *m = xp + n, *v = m + n;
    double *x0 = malloc((size_t)n * sizeof *x0);
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock", n, "bench", &err);
    if (!xr || !x0 || !L)
        exit(1);
    lsc_landscape_start(L, 0, x0);
    lsc_landscape_free(L);
    const double scale = n == 2 ? (double)steps : (double)steps * n;
    r->c_ns = time_lsc_run(n, steps, reps, xr) / scale * 1e9;
    r->plain_ns = time_plain(n, steps, reps, x0, xp, m, v) / scale * 1e9;
    double d = 0, s = 0;
    for (int i = 0; i < n; i++) {
        d += (xr[i] - xp[i]) * (xr[i] - xp[i]);
        s += xp[i] * xp[i];
    }
    r->rel_diff = sqrt(d / s);
    free(xr);
    free(x0);
}

/* The shortest round-trip digits the way losscape wrote them before libdouble-conversion
 * (the reference of the writing line): %.15g, %.16g, %.17g, each read back by strtod. */
static int old_fmt(char *b, double v)
{
    for (int p = 15; p <= 17; p++) {
        int len = snprintf(b, 32, "%.*g", p, v);
        if (p == 17 || strtod(b, NULL) == v)
            return len;
    }
    return 0;
}

/* Writing a trajectory: 10^6 steps of 2-D Rosenbrock under Adam recorded at every step
 * (7 columns), written by lsc_trajectory_write to a temporary file, against the same
 * numbers written with old_fmt. MB/s of each (best of reps). */
static void bench_write(double *c_mbs, double *old_mbs, double *mb)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock", 2, "bench", &err);
    lsc_optim *o = L ? lsc_optim_new("adam:lr=1e-3", 2, "bench", &err) : NULL;
    if (!o)
        exit(1);
    double x0[2];
    lsc_landscape_start(L, 0, x0);
    const long steps = quick ? 100000 : RUN2_STEPS;
    lsc_run_opts ro = {.landscape = L, .steps = steps, .every = 1, .seed = 1};
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    lsc_trajectory_describe_opts(&t, &ro);
    lsc_run_record *rec = lsc_trajectory_add_run(&t);
    if (!rec || lsc_run(&ro, o, x0, 0, &t, rec, &err) < 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(1);
    }
    char path[] = "/tmp/lsc_bench_write_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        exit(1);
    close(fd);
    const int reps = quick ? 1 : 3;
    double best = INFINITY, best_old = INFINITY;
    for (int rep = 0; rep <= reps; rep++) {
        double t0 = now();
        if (lsc_trajectory_write(&t, path, &err) != LSC_OK) {
            fprintf(stderr, "bench: %s\n", err.msg);
            exit(1);
        }
        double dt = now() - t0;
        if (rep > 0 && dt < best)
            best = dt;
        FILE *fp = fopen(path, "w");
        if (!fp)
            exit(1);
        char b[40];
        t0 = now();
        for (size_t i = 0; i < rec->len; i++) {
            const double vals[] = {rec->lr[i], rec->loss[i], rec->grad_norm[i], rec->x[2 * i],
                                   rec->x[2 * i + 1]};
            fprintf(fp, "0\t%ld", rec->step[i]);
            for (int k = 0; k < 5; k++) {
                fputc('\t', fp);
                fwrite(b, 1, (size_t)old_fmt(b, vals[k]), fp);
            }
            fputc('\n', fp);
        }
        fclose(fp);
        dt = now() - t0;
        if (rep > 0 && dt < best_old)
            best_old = dt;
    }
    if (lsc_trajectory_write(&t, path, &err) != LSC_OK)
        exit(1);
    struct stat st;
    *mb = stat(path, &st) == 0 ? (double)st.st_size / 1e6 : NAN;
    *c_mbs = *mb / best;
    *old_mbs = *mb / best_old; /* the rows alone: a little fewer bytes than the file */
    unlink(path);
    lsc_trajectory_free(&t);
    lsc_optim_free(o);
    lsc_landscape_free(L);
}

static void print_run(const run_row *r2, const run_row *rd, double c_mbs, double old_mbs,
                      double mb)
{
    printf("\n(g) the whole run against plain C loops: Adam lr 1e-3 on rosenbrock, first and "
           "last rows recorded\n");
    printf("%-44s %10s %10s %8s %8s %12s\n", "case", "lsc_run", "plain", "ratio", "target",
           "|dx|/|x|");
    printf("%-44s %10.2f %10.2f %8.2f %8s %12.2g\n", "2-D, 1e6 steps: ns per step", r2->c_ns,
           r2->plain_ns, r2->c_ns / r2->plain_ns, "<= 1.5", r2->rel_diff);
    printf("%-44s %10.3f %10.3f %8.2f %8s %12.2g\n", "n = 1000, 1e4 steps: ns per parameter-step",
           rd->c_ns, rd->plain_ns, rd->c_ns / rd->plain_ns, "<= 1.3", rd->rel_diff);
    printf("  plain: the gradient, its norm and finiteness and Adam's update fused in one "
           "pass (no f, no records)\n");
    printf("  writing a trajectory (every step, %.1f MB): %.0f MB/s; the same numbers by "
           "%%.15g/16g/17g + strtod: %.0f MB/s (%.1fx; target >= 150 MB/s)\n", mb, c_mbs,
           old_mbs, c_mbs / old_mbs);
}

/* ---- (h) the race to |grad f| <= 1e-6 against GSL's minimisers (issue 12) -------------- */

/* Rosenbrock behind a counting wrapper (lsc_landscape_from_fdf), so that losscape's
 * optimizers and GSL's minimisers are charged the same way for each evaluation. */
typedef struct {
    const lsc_landscape *L;
    long evals;
} counted;

static double counted_f(int n, const double *x, void *u)
{
    (void)n;
    counted *c = u;
    c->evals++;
    return lsc_landscape_f(c->L, x);
}

static double counted_fdf(int n, const double *x, double *g, void *u)
{
    (void)n;
    counted *c = u;
    c->evals++;
    return lsc_landscape_fdf(c->L, x, g);
}

static void counted_hess(int n, const double *x, double *H, void *u)
{
    (void)n;
    counted *c = u;
    c->evals++;
    lsc_landscape_hess(c->L, x, H);
}

typedef struct {
    char name[40];
    double seconds, gnorm, f;
    long iters, evals;
    int reached;
} race_row;

#define RACE_TOL 1e-6
#define RACE_MAX_ITERS 100000L

/* A losscape optimizer through lsc_run with stop_grad, from x0. */
static void race_losscape(const char *spec, lsc_landscape *W, counted *c, const double *x0,
                          race_row *r)
{
    lsc_error err = {0};
    const int n = W->n;
    lsc_optim *o = lsc_optim_new(spec, n, "bench", &err);
    if (!o)
        exit(1);
    lsc_run_opts ro = {.landscape = W, .steps = RACE_MAX_ITERS, .every = RACE_MAX_ITERS,
                       .stop_grad = RACE_TOL};
    lsc_trajectory t;
    lsc_trajectory_init(&t, n, 0, 0);
    lsc_run_record *rec = lsc_trajectory_add_run(&t);
    c->evals = 0;
    double t0 = now();
    int st = lsc_run(&ro, o, x0, 0, &t, rec, &err);
    r->seconds = now() - t0;
    snprintf(r->name, sizeof r->name, "losscape %s", spec);
    r->evals = c->evals;
    r->iters = rec->step[rec->len - 1];
    r->gnorm = rec->grad_norm[rec->len - 1];
    r->f = rec->loss[rec->len - 1];
    r->reached = st == LSC_STOP_CONVERGED;
    lsc_trajectory_free(&t);
    lsc_optim_free(o);
}

static double gsl_f(const gsl_vector *v, void *u)
{
    return counted_f((int)v->size, v->data, u);
}

static void gsl_df(const gsl_vector *v, void *u, gsl_vector *g)
{
    counted_fdf((int)v->size, v->data, g->data, u);
}

static void gsl_fdf(const gsl_vector *v, void *u, double *f, gsl_vector *g)
{
    *f = counted_fdf((int)v->size, v->data, g->data, u);
}

/* A GSL fdf minimiser (first step 0.01, line-search tolerance 0.1 as GSL's manual
 * suggests for BFGS) until gsl_multimin_test_gradient(1e-6) or no progress. */
static void race_gsl(const gsl_multimin_fdfminimizer_type *T, counted *c, int n,
                     const double *x0, race_row *r)
{
    gsl_multimin_function_fdf F = {gsl_f, gsl_df, gsl_fdf, (size_t)n, c};
    gsl_vector *x = gsl_vector_alloc((size_t)n);
    gsl_multimin_fdfminimizer *m = gsl_multimin_fdfminimizer_alloc(T, (size_t)n);
    if (!x || !m)
        exit(1);
    memcpy(x->data, x0, (size_t)n * sizeof *x0);
    c->evals = 0;
    double t0 = now();
    gsl_multimin_fdfminimizer_set(m, &F, x, 0.01, 0.1);
    long it = 0;
    int st = GSL_CONTINUE;
    while (st == GSL_CONTINUE && it < RACE_MAX_ITERS) {
        it++;
        if (gsl_multimin_fdfminimizer_iterate(m) != 0)
            break; /* GSL_ENOPROG: the line search found no better point */
        st = gsl_multimin_test_gradient(m->gradient, RACE_TOL);
    }
    r->seconds = now() - t0;
    snprintf(r->name, sizeof r->name, "GSL %s", gsl_multimin_fdfminimizer_name(m));
    r->iters = it;
    r->evals = c->evals;
    r->gnorm = gsl_blas_dnrm2(m->gradient);
    r->f = m->f;
    r->reached = r->gnorm <= RACE_TOL;
    gsl_multimin_fdfminimizer_free(m);
    gsl_vector_free(x);
}

/* The race on rosenbrock in n dimensions from x0 (NULL: the landscape's standard start). */
static int bench_race(int n, const double *x0_given, race_row *rows, int cap)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("rosenbrock", n, "bench", &err);
    counted c = {L, 0};
    lsc_landscape *W = L ? lsc_landscape_from_fdf(n, counted_f, counted_fdf, counted_hess, &c,
                                                  "rosenbrock-counted", &err)
                         : NULL;
    double *x0 = malloc((size_t)n * sizeof *x0);
    if (!W || !x0)
        exit(1);
    if (x0_given)
        memcpy(x0, x0_given, (size_t)n * sizeof *x0);
    else
        lsc_landscape_start(L, 0, x0);
    const char *mine[] = {"lbfgs:line_search_fn=strong_wolfe", "newton-cg", "newton"};
    int k = 0;
    for (size_t i = 0; i < LSC_COUNTOF(mine) && k < cap; i++) {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(mine[i], ":"), mine[i]);
        if (!lsc_optim_type_find(name) || (!strcmp(name, "newton") && n > 100))
            continue; /* lbfgs not built yet; dense Newton at n = 1000 takes minutes */
        race_losscape(mine[i], W, &c, x0, &rows[k++]);
    }
    if (k < cap)
        race_gsl(gsl_multimin_fdfminimizer_vector_bfgs2, &c, n, x0, &rows[k++]);
    if (k < cap)
        race_gsl(gsl_multimin_fdfminimizer_conjugate_fr, &c, n, x0, &rows[k++]);
    free(x0);
    lsc_landscape_free(W);
    lsc_landscape_free(L);
    return k;
}

static void print_race(const char *what, const race_row *rows, int k)
{
    printf("\n(h) %s: to |grad f| <= %g (at most %ld iterations)\n", what, RACE_TOL,
           RACE_MAX_ITERS);
    printf("%-44s %10s %9s %9s %11s %11s %8s\n", "method", "seconds", "iters", "f/g evals",
           "|grad f|", "f", "reached");
    for (int i = 0; i < k; i++)
        printf("%-44s %10.3g %9ld %9ld %11.3g %11.3g %8s\n", rows[i].name, rows[i].seconds,
               rows[i].iters, rows[i].evals, rows[i].gnorm, rows[i].f,
               rows[i].reached ? "yes" : "no");
}

static void race_all(void)
{
    race_row rows[8];
    const double classic[2] = {-1.2, 1};
    int k = bench_race(2, classic, rows, 8);
    print_race("2-D Rosenbrock from (-1.2, 1)", rows, k);
    k = bench_race(1000, NULL, rows, 8);
    print_race("chained Rosenbrock, n = 1000, from its standard start", rows, k);
    printf("  evals: calls of f or of f and its gradient together (a Hessian counts one); "
           "losscape's through lsc_run,\n  which also evaluates f and the gradient at every "
           "step for its record and the stop test\n");
}

/* ---- (e) training a network ------------------------------------------------------------ */

#if LSC_BLAS_OPENBLAS
char *openblas_get_corename(void); /* OpenBLAS's own: the kernels it chose for this CPU */
#endif

/* "OpenBLAS, Cooperlake kernels" or "gslcblas" */
static const char *blas_name(char *buf, size_t len)
{
#if LSC_BLAS_OPENBLAS
    snprintf(buf, len, "%s, %s kernels", LSC_BLAS, openblas_get_corename());
#else
    snprintf(buf, len, "%s", LSC_BLAS);
#endif
    return buf;
}

typedef struct {
    const char *name, *layers, *landscape, *data, *optim;
    long batch, epochs;
    double c_s, torch_s;   /* CPU seconds per epoch (cpu_now) */
    double c_wall, torch_wall; /* wall seconds per epoch */
    double c_loss, torch_loss;
    int n;
    long N;
} train_row;

/* Write row r's data set and start (the model's standard start 0, nn.Linear's default
 * initialisation) into dir as NAME.tsv and NAME.x0 for bench_torch.py. */
static int train_files(const train_row *r, const lsc_landscape *L, const double *x0,
                       const char *dir)
{
    char path[512];
    lsc_error err = {0};
    snprintf(path, sizeof path, "%s/%s.tsv", dir, r->name);
    if (lsc_data_write(lsc_landscape_model(L)->train, path, &err) != LSC_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s.x0", dir, r->name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    for (int j = 0; j < L->n; j++)
        fprintf(fp, "%.17g\n", x0[j]);
    return fclose(fp) == 0 ? 0 : -1;
}

/* Seconds per epoch of lsc_run over r->epochs epochs, best of reps after a warm-up. */
static int bench_train(train_row *r, const char *dir)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model(r->landscape, 0, r->data, NULL, 0, 1, "bench",
                                                &err);
    lsc_optim *o = L ? lsc_optim_new(r->optim, L->n, "bench", &err) : NULL;
    double *x0 = L ? malloc((size_t)L->n * sizeof *x0) : NULL;
    if (!L || !o || !x0) {
        fprintf(stderr, "bench: %s\n", err.msg[0] ? err.msg : "out of memory");
        return -1;
    }
    r->n = L->n;
    r->N = lsc_landscape_model(L)->train->n;
    lsc_landscape_start(L, 0, x0);
    int rc = dir ? train_files(r, L, x0, dir) : 0;
    const long N = lsc_landscape_model(L)->train->n, per_epoch = (N + r->batch - 1) / r->batch;
    lsc_run_opts ro = {.landscape = L, .steps = r->epochs * per_epoch, .seed = 1,
                       .batch_size = r->batch, .sampling = LSC_SAMPLE_SHUFFLE};
    ro.every = ro.steps;
    lsc_trajectory t;
    lsc_trajectory_init(&t, L->n, 0, 0);
    const int reps = quick ? 1 : (r->epochs > 10 ? 7 : 3);
    double best = INFINITY, best_wall = INFINITY;
    for (int rep = 0; rep <= reps && rc == 0; rep++) {
        lsc_run_record *rec = lsc_trajectory_add_run(&t);
        double t0 = now(), c0 = cpu_now();
        int st = rec ? lsc_run(&ro, o, x0, 0, &t, rec, &err) : LSC_ENOMEM;
        double dt = cpu_now() - c0, wall = now() - t0;
        if (st < 0 || !rec || rec->len < 1) {
            fprintf(stderr, "bench: %s: %s\n", r->name, err.msg);
            rc = -1;
            break;
        }
        r->c_loss = rec->loss[rec->len - 1];
        if (rep > 0 && dt < best)
            best = dt;
        if (rep > 0 && wall < best_wall)
            best_wall = wall;
    }
    r->c_s = best / (double)r->epochs;
    r->c_wall = best_wall / (double)r->epochs;
    lsc_trajectory_free(&t);
    free(x0);
    lsc_optim_free(o);
    lsc_landscape_free(L);
    return rc;
}

/* ---- (j) layer_stats -------------------------------------------------------------------- */

typedef struct {
    const char *name, *landscape, *data;
    long batch, steps, every;
    double off, on; /* CPU seconds of the run without and with the block */
} layers_row;

/* One run of r with (on = 1) or without the per-layer block; CPU seconds, or NAN. */
static double layers_once(const layers_row *r, const lsc_landscape *L, lsc_optim *o,
                          const double *x0, int on)
{
    lsc_run_opts ro = {.landscape = L, .steps = r->steps, .seed = 1, .every = r->every,
                       .batch_size = r->batch, .sampling = LSC_SAMPLE_SHUFFLE};
    lsc_trajectory t;
    lsc_trajectory_init(&t, L->n, 0, 0);
    t.layer_stats = on;
    t.layers = on ? lsc_run_layers(L, &t.layer_fams) : 0;
    lsc_run_record *rec = lsc_trajectory_add_run(&t);
    lsc_error err = {0};
    const double c0 = cpu_now();
    const int st = rec ? lsc_run(&ro, o, x0, 0, &t, rec, &err) : LSC_ENOMEM;
    const double dt = cpu_now() - c0;
    if (st < 0 || (on && !rec->layer))
        fprintf(stderr, "bench: %s: %s\n", r->name, err.msg);
    lsc_trajectory_free(&t);
    return st < 0 ? NAN : dt;
}

/* r->off and r->on: best of reps runs each, timed in turn after a warm-up of both. */
static int bench_layers(layers_row *r)
{
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_load_model(r->landscape, 0, r->data, NULL, 0, 1, "bench",
                                                &err);
    lsc_optim *o = L ? lsc_optim_new("adam:lr=1e-3", L->n, "bench", &err) : NULL;
    double *x0 = L ? malloc((size_t)L->n * sizeof *x0) : NULL;
    if (!L || !o || !x0) {
        fprintf(stderr, "bench: %s\n", err.msg[0] ? err.msg : "out of memory");
        return -1;
    }
    lsc_landscape_start(L, 0, x0);
    const int reps = quick ? 1 : 5;
    r->off = r->on = INFINITY;
    for (int rep = 0; rep <= reps; rep++)
        for (int on = 0; on < 2; on++) {
            const double dt = layers_once(r, L, o, x0, on);
            if (rep > 0 && on)
                r->on = fmin(r->on, dt);
            else if (rep > 0)
                r->off = fmin(r->off, dt);
        }
    free(x0);
    lsc_optim_free(o);
    lsc_landscape_free(L);
    return isfinite(r->off) && isfinite(r->on) ? 0 : -1;
}

static void print_layers(const layers_row *rows, int n)
{
    printf("\n(j) layer_stats: the same run without and with the per-layer block, CPU seconds "
           "(best of\n    %d each, timed in turn; target: with/without <= 1.2)\n",
           quick ? 1 : 5);
    printf("%-46s %5s %6s %5s %9s %9s %7s\n", "run", "B", "steps", "every", "without", "with",
           "ratio");
    for (int k = 0; k < n; k++) {
        const layers_row *r = &rows[k];
        char b[16];
        if (r->batch)
            snprintf(b, sizeof b, "%ld", r->batch);
        else
            snprintf(b, sizeof b, "full");
        printf("%-46s %5s %6ld %5ld %9.4g %9.4g %7.3f\n", r->name, b, r->steps, r->every,
               r->off, r->on, r->on / r->off);
    }
}

/* ---- (f) study batch ------------------------------------------------------------------- */

static double children_cpu(void)
{
    struct rusage u;
    if (getrusage(RUSAGE_CHILDREN, &u) != 0)
        return NAN;
    return (double)u.ru_utime.tv_sec + (double)u.ru_stime.tv_sec +
           1e-6 * (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/* Wall and CPU seconds of one `study batch` at its defaults; NAN when it failed. */
static void bench_study(double *wall, double *cpu)
{
    *wall = *cpu = NAN;
    const lsc_study_type *T = lsc_study_find("batch");
    char dir[] = "/tmp/lsc_bench_study_XXXXXX";
    if (!T || !mkdtemp(dir))
        return;
    lsc_study_args a;
    lsc_study_args_init(&a, T);
    lsc_error err = {0};
    double t0 = now(), c0 = cpu_now() + children_cpu();
    int rc = lsc_study_run(&a, dir, NULL, NULL, NULL, 0, &err);
    double t1 = now(), c1 = cpu_now() + children_cpu();
    if (rc == LSC_OK) {
        *wall = t1 - t0;
        *cpu = c1 - c0;
    } else {
        fprintf(stderr, "bench: study batch: %s\n", err.msg);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", dir);
}

/* ---- (i) the ensemble through the CLI --------------------------------------------------- */

/* (c)'s starts, one "x,y" a line. */
static int write_starts(const char *path)
{
    double *X = malloc(2 * TRAJ_M * sizeof *X);
    FILE *fp = X ? fopen(path, "w") : NULL;
    if (!fp) {
        free(X);
        return -1;
    }
    traj_start(X, TRAJ_M);
    char a[32], b[32];
    for (size_t i = 0; i < TRAJ_M; i++)
        fprintf(fp, "%s,%s\n", lsc_fmt_double(a, X[i]), lsc_fmt_double(b, X[TRAJ_M + i]));
    free(X);
    return fclose(fp) == 0 ? 0 : -1;
}

/* Wall seconds of one `losscape run` on T threads writing the summary to out (its CPU
 * seconds in *cpu); NAN when it failed. */
static double cli_ensemble(const char *starts, const char *out, int T, double *cpu)
{
    char at[600], threads[16], steps[16];
    snprintf(at, sizeof at, "@%s", starts);
    snprintf(threads, sizeof threads, "%d", T);
    snprintf(steps, sizeof steps, "%d", TRAJ_STEPS);
    char *const args[] = {LSC_EXE, "run", "--landscape", "rosenbrock:a=1,b=100", "--start", at,
                          "--optimizer", "adam:lr=1e-3", "--steps", steps, "--summary-only",
                          "--threads", threads, "--out", (char *)out, NULL};
    fflush(stdout);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        execv(LSC_EXE, args);
        _exit(127);
    }
    int status = 0;
    const double c0 = children_cpu(); /* the children waited for so far */
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: %s run ... --threads %d failed\n", LSC_EXE, T);
        return NAN;
    }
    *cpu = children_cpu() - c0;
    return now() - t0;
}

/* rate[T - 1]: trajectory-steps per wall second on T = 1, 2 threads, cpu_rate[T - 1] per
 * CPU second; loss: the mean final loss of the T = 1 summary. */
static void bench_ensemble(double rate[2], double cpu_rate[2], double *loss)
{
    rate[0] = rate[1] = cpu_rate[0] = cpu_rate[1] = *loss = NAN;
    char dir[] = "/tmp/lsc_bench_ens_XXXXXX", starts[64], out[64];
    if (!mkdtemp(dir))
        return;
    snprintf(starts, sizeof starts, "%s/starts.txt", dir);
    snprintf(out, sizeof out, "%s/s.tsv", dir);
    if (write_starts(starts) == 0) {
        for (int rep = 0; rep < (quick ? 2 : 3); rep++)
            for (int T = 1; T <= 2; T++) {
                double cpu = NAN;
                double r = (double)TRAJ_M * TRAJ_STEPS / cli_ensemble(starts, out, T, &cpu);
                if (!(r <= rate[T - 1])) /* the best; NAN stays only if every run failed */
                    rate[T - 1] = r;
                if (!((double)TRAJ_M * TRAJ_STEPS / cpu <= cpu_rate[T - 1]))
                    cpu_rate[T - 1] = (double)TRAJ_M * TRAJ_STEPS / cpu;
                if (T == 1 && rep == 0) {
                    lsc_summary s;
                    lsc_error err = {0};
                    if (lsc_summary_read(&s, out, &err) == LSC_OK && s.nrows == TRAJ_M) {
                        double sum = 0;
                        for (int i = 0; i < s.nrows; i++)
                            sum += s.rows[i].loss;
                        *loss = sum / s.nrows;
                    } else {
                        fprintf(stderr, "bench: %s\n", err.msg[0] ? err.msg : "rows missing");
                    }
                    lsc_summary_free(&s);
                }
            }
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", dir);
}

/* ---- PyTorch ---------------------------------------------------------------------------- */

/* Run bench_torch.py --tsv and pick its numbers up into slot `mode` (0: the script's
 * default, malloc keeps freed memory; 1: --default-malloc). Returns 0 when it ran. */
static int run_torch(const char *python, const char *script, int mode, optim_row *rows,
                     int nrows, double *traj_rate, double *traj_loss, double *traj_cpu,
                     train_row *train,
                     int ntrain, const char *dir, int only_train)
{
    for (const char *c = script; *c; c++)
        if (*c == '\'') {
            fprintf(stderr, "bench: the script path may not contain a quote\n");
            return -1;
        }
    for (const char *c = python; *c; c++)
        if (*c == '\'') {
            fprintf(stderr, "bench: the python path may not contain a quote\n");
            return -1;
        }
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' '%s' --tsv%s%s%s%s%s", python, script,
             quick ? " --quick" : "", mode ? " --default-malloc" : "",
             only_train ? " --train-only" : "", dir && !mode ? " --train-dir " : "",
             dir && !mode ? dir : "");
    fflush(stdout);
    FILE *p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "bench: cannot run %s\n", cmd);
        return -1;
    }
    char line[512];
    int got = 0;
    while (fgets(line, sizeof line, p)) {
        char spec[64];
        long n, m, steps;
        double v, loss, wall;
        if (sscanf(line, "optim\t%63s\t%ld\t%lf", spec, &n, &v) == 3) {
            for (int k = 0; k < nrows; k++)
                if (!strcmp(rows[k].spec, spec) && rows[k].n == n) {
                    rows[k].torch_ns[mode] = v;
                    got++;
                }
        } else if (sscanf(line, "train\t%63s\t%lf\t%lf\t%lf", spec, &v, &wall, &loss) ==
                   4) {
            for (int k = 0; k < ntrain; k++)
                if (!strcmp(train[k].name, spec)) {
                    train[k].torch_s = v;
                    train[k].torch_wall = wall;
                    train[k].torch_loss = loss;
                    got++;
                }
        } else if (sscanf(line, "traj\t%ld\t%ld\t%lf\t%lf", &m, &steps, &v, &loss) == 4) {
            *traj_rate = v;
            *traj_loss = loss;
            if (sscanf(line, "traj\t%ld\t%ld\t%lf\t%lf\t%lf", &m, &steps, &v, &loss,
                       &wall) == 5)
                *traj_cpu = wall; /* trajectory-steps per CPU second */
            got++;
        }
    }
    int status = pclose(p);
    if (status != 0 || got == 0) {
        fprintf(stderr, "bench: '%s' failed (status %d); PyTorch columns left empty\n", cmd,
                status);
        return -1;
    }
    return 0;
}

/* ---- main --------------------------------------------------------------------------------- */

/* ---- figures ------------------------------------------------------------------------------ */

/* (d) a contour figure with a 400 x 400 landscape grid: the C part alone (grid, contour
 * lines, data files, script: no_render) and the whole render through gnuplot. Best of 3. */
static void bench_plot(double *c_s, double *full_s)
{
    *c_s = *full_s = NAN;
    lsc_error err = {0};
    lsc_landscape *L = lsc_landscape_new("himmelblau", 0, "bench", &err);
    lsc_optim *o = lsc_optim_new("adam:lr=0.05", 2, "bench", &err);
    if (!L || !o)
        return;
    lsc_run_opts ro = {.landscape = L, .steps = 500, .every = 1, .seed = 1};
    lsc_trajectory t;
    lsc_trajectory_init(&t, 2, 2, 0);
    lsc_trajectory_describe_opts(&t, &ro);
    const double x0[2] = {0, 0};
    lsc_run(&ro, o, x0, 0, &t, lsc_trajectory_add_run(&t), &err);
    char dir[] = "/tmp/lsc_bench_plot_XXXXXX";
    if (mkdtemp(dir)) {
        for (int pass = 0; pass < 2; pass++) {
            double best = INFINITY;
            for (int rep = 0; rep < 3; rep++) {
                lsc_plot_opts po;
                lsc_plot_opts_default(&po);
                snprintf(po.out, sizeof po.out, "%s/contour.png", dir);
                po.grid = 400;
                po.no_render = pass == 0;
                double t0 = now();
                int rc = lsc_plot_render(&t, L, &po, &err);
                double dt = now() - t0;
                if (rc != LSC_OK)
                    break;
                best = dt < best ? dt : best;
            }
            *(pass == 0 ? c_s : full_s) = isinf(best) ? NAN : best;
        }
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench: could not remove %s\n", dir);
    }
    lsc_trajectory_free(&t);
    lsc_optim_free(o);
    lsc_landscape_free(L);
}

/* The report of (a) to (d). */
static void print_steps(const optim_row *rows, int nrows, double c_rate, double c_loss,
                        const double *t_rate, const double *t_loss, double plot_c,
                        double plot_full)
{
    printf("(a, b) one optimizer step, ns per parameter per step (lower is better)\n");
    printf("%-17s %9s %5s %7s %7s %7s %7s %7s %7s %8s\n", "optimizer", "n", "B/par", "C",
           "probe", "C/probe", "C GB/s", "torch", "torch/C", "torch-dm");
    for (int k = 0; k < nrows; k++) {
        const optim_row *r = &rows[k];
        double bytes = 8.0 * r->doubles;
        printf("%-17s %9d %5.0f %7.3f %7.3f %7.2f %7.1f %7.3f %7.2f %8.3f\n", r->spec, r->n,
               bytes, r->c_ns, r->probe_ns, r->c_ns / r->probe_ns, bytes / r->c_ns,
               r->torch_ns[0], r->torch_ns[0] / r->c_ns, r->torch_ns[1]);
    }
    printf("  B/par: bytes moved per parameter per step; probe: the same arrays with the "
           "cheapest\n  arithmetic (SIMD); torch: torch.optim with freed memory kept by "
           "malloc (steady\n  state); torch-dm: glibc malloc defaults (page faults on "
           "Adam's temporaries)\n\n");
    printf("(c) %d 2-D Rosenbrock trajectories x %d Adam steps (lr 1e-3), one core\n", TRAJ_M,
           TRAJ_STEPS);
    printf("%-58s %14s %19s\n", "path", "traj-steps/s", "mean final loss");
    printf("%-58s %14.4g %19.12g\n", "C: one lsc_optim (n*m = 2e4) + lsc_landscape_fdf_batch",
           c_rate, c_loss);
    printf("%-58s %14.4g %19.12g\n", "PyTorch: (1e4, 2) tensor, Adam in torch ops", t_rate[0],
           t_loss[0]);
    printf("%-58s %14.4g %19.12g\n", "PyTorch, glibc malloc defaults", t_rate[1], t_loss[1]);
    printf("  C/torch speed: %.2fx ; relative difference of the mean final losses: %.2g\n",
           c_rate / t_rate[0], fabs(c_loss - t_loss[0]) / fabs(t_loss[0]));
    printf("\n(d) contour figure, himmelblau, 400 x 400 grid, one 500-step run (best of 3)\n");
    printf("  C (grid, contour lines, data, script): %.3f s ; with gnuplot (pngcairo): %.3f s%s\n",
           plot_c, plot_full, isnan(plot_full) ? " (gnuplot missing?)" : "");
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench [--quick] [--train] [--run] [--layers] [--no-torch] "
               "[--python PATH] [--script PATH]\n");
}

int main(int argc, char **argv)
{
    int torch = 1, only_train = 0, only_run = 0, only_layers = 0;
    const char *python = "/usr/bin/python3";
    const char *script = LSC_SOURCE_ROOT "/tests/bench_torch.py";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--train"))
            only_train = 1;
        else if (!strcmp(argv[i], "--run"))
            only_run = 1;
        else if (!strcmp(argv[i], "--layers"))
            only_layers = 1;
        else if (!strcmp(argv[i], "--no-torch"))
            torch = 0;
        else if (!strcmp(argv[i], "--python") && i + 1 < argc)
            python = argv[++i];
        else if (!strcmp(argv[i], "--script") && i + 1 < argc)
            script = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    if (only_run) { /* (g) alone */
        run_row r2 = {0}, rd = {0};
        double mbs, old, mb;
        bench_run(2, quick ? RUN2_STEPS / 10 : RUN2_STEPS, &r2);
        bench_run(RUND_N, quick ? RUND_STEPS / 10 : RUND_STEPS, &rd);
        bench_write(&mbs, &old, &mb);
        print_run(&r2, &rd, mbs, old, mb);
        race_all();
        return 0;
    }
    optim_row rows[] = {
        {"sgd:momentum=0.9", 5, 1000, NAN, NAN, {NAN, NAN}},
        {"sgd:momentum=0.9", 5, 100000, NAN, NAN, {NAN, NAN}},
        {"sgd:momentum=0.9", 5, 10000000, NAN, NAN, {NAN, NAN}},
        {"adam", 7, 1000, NAN, NAN, {NAN, NAN}},
        {"adam", 7, 100000, NAN, NAN, {NAN, NAN}},
        {"adam", 7, 10000000, NAN, NAN, {NAN, NAN}},
    };
    const int nrows = LSC_COUNTOF(rows);
    double t_start = now();
    layers_row lrows[] = {
        {"30-layer tanh mlp, width 32, spiral N=1000", "mlp:hidden=" W32x29 ",act=tanh",
         "spiral:n=1000", 0, 200, 1, NAN, NAN},
        {"30-layer tanh mlp, width 32, spiral N=1000", "mlp:hidden=" W32x29 ",act=tanh",
         "spiral:n=1000", 32, 2000, 10, NAN, NAN},
        {"medium of (e): 64-256-256-10 relu", "mlp:hidden=256;256,act=relu,loss=ce",
         "blobs:n=10000,features=64,classes=10", 128, 400, 10, NAN, NAN},
    };
    const int nlrows = LSC_COUNTOF(lrows);
    for (int k = 0; k < nlrows && !only_train; k++)
        if (bench_layers(&lrows[k]))
            return 1;
    if (only_layers) {
        print_layers(lrows, nlrows);
        printf("\ntotal %.1f s\n", now() - t_start);
        return 0;
    }
    for (int k = 0; k < nrows && !only_train; k++)
        if (bench_optim(&rows[k]))
            return 1;
    double c_rate = NAN, c_loss = NAN, t_rate[2] = {NAN, NAN}, t_loss[2] = {NAN, NAN};
    double t_cpu[2] = {NAN, NAN};
    if (!only_train && bench_traj(&c_rate, &c_loss))
        return 1;
    train_row train[] = {
        {"tiny", "2-8-8-1 tanh bce", "mlp:hidden=8;8,act=tanh,loss=bce", "circle:n=1000", "adam:lr=1e-3", 32, 50,
         NAN, NAN, NAN, NAN, NAN, NAN, 0, 0},
        {"medium", "64-256-256-10 relu ce", "mlp:hidden=256;256,act=relu,loss=ce",
         "blobs:n=10000,features=64,classes=10", "adam:lr=1e-3", 128, 5, NAN, NAN, NAN, NAN, NAN, NAN, 0, 0},
    };
    const int ntrain = LSC_COUNTOF(train);
    char dir[] = "/tmp/lsc_bench_train_XXXXXX";
    const char *tdir = torch && mkdtemp(dir) ? dir : NULL;
    for (int k = 0; k < ntrain; k++)
        if (bench_train(&train[k], tdir))
            return 1;
    if (torch)
        for (int mode = 0; mode < (only_train ? 1 : 2); mode++)
            run_torch(python, script, mode, rows, nrows, &t_rate[mode], &t_loss[mode],
                      &t_cpu[mode], train, ntrain, tdir, only_train);
    if (tdir) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tdir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench: could not remove %s\n", tdir);
    }
    double plot_c = NAN, plot_full = NAN, study_wall = NAN, study_cpu = NAN;
    run_row run2 = {0}, rund = {0};
    double write_mbs = NAN, old_mbs = NAN, write_mb = NAN;
    double ens_rate[2] = {NAN, NAN}, ens_cpu[2] = {NAN, NAN}, ens_loss = NAN;
    if (!only_train) {
        bench_plot(&plot_c, &plot_full);
        bench_study(&study_wall, &study_cpu);
        bench_run(2, quick ? RUN2_STEPS / 10 : RUN2_STEPS, &run2);
        bench_run(RUND_N, quick ? RUND_STEPS / 10 : RUND_STEPS, &rund);
        bench_write(&write_mbs, &old_mbs, &write_mb);
        bench_ensemble(ens_rate, ens_cpu, &ens_loss);
    }

    printf("losscape %s bench: 1 thread, float64, best of several repetitions after a "
           "warm-up\n\n",
           LSC_VERSION);
    if (!only_train)
        print_steps(rows, nrows, c_rate, c_loss, t_rate, t_loss, plot_c, plot_full);
    char blas[128];
    printf("\n(e) training a network, CPU seconds per epoch: lsc_run against a plain PyTorch "
           "loop\n    (same data, same start, Adam lr 1e-3, shuffled batches; BLAS: %s)\n",
           blas_name(blas, sizeof blas));
    printf("%-7s %-20s %6s %4s %6s %10s %10s %8s %9s %10s %10s\n", "net", "layers", "N", "B",
           "epochs", "C", "torch", "torch/C", "wall t/C", "C loss", "torch loss");
    for (int k = 0; k < ntrain; k++) {
        const train_row *r = &train[k];
        printf("%-7s %-20s %6ld %4ld %6ld %10.4g %10.4g %8.2f %9.2f %10.4g %10.4g\n", r->name,
               r->layers, r->N, r->batch, r->epochs, r->c_s, r->torch_s, r->torch_s / r->c_s,
               r->torch_wall / r->c_wall, r->c_loss, r->torch_loss);
    }
    printf("    torch/C: how many times more CPU time PyTorch takes (wall t/C: the same in wall "
           "time,\n    which other jobs on the machine inflate); C loss, torch loss: the "
           "full-data loss at\n    the end (the batch orders differ)\n");
    if (!only_train) {
        printf("\n(f) study batch, its defaults (figures included), one run: %.2f s wall, "
               "%.2f s CPU\n    (this process and gnuplot)\n", study_wall, study_cpu);
        print_run(&run2, &rund, write_mbs, old_mbs, write_mb);
        race_all();
        double load[1] = {NAN};
        FILE *la = fopen("/proc/loadavg", "r");
        if (!la || fscanf(la, "%lf", &load[0]) != 1)
            load[0] = NAN;
        if (la)
            fclose(la);
        printf("\n(i) %d Rosenbrock trajectories x %d Adam steps through `losscape run --start "
               "@FILE\n    --summary-only --threads T` (the whole process, best of %d; load "
               "average %.1f)\n", TRAJ_M, TRAJ_STEPS, quick ? 2 : 3, load[0]);
        printf("%-42s %14s %14s %19s\n", "path", "traj-steps/s", "per CPU s",
               "mean final loss");
        printf("%-42s %14.4g %14.4g %19.12g\n", "CLI, --threads 1", ens_rate[0], ens_cpu[0],
               ens_loss);
        printf("%-42s %14.4g %14.4g\n", "CLI, --threads 2", ens_rate[1], ens_cpu[1]);
        printf("%-42s %14.4g %14.4g %19.12g\n", "PyTorch: (1e4, 2) tensor, one thread (c)",
               t_rate[0], t_cpu[0], t_loss[0]);
        printf("  CLI/torch, wall: %.2fx on one thread, %.2fx on two; CPU: %.2fx ; two "
               "threads/one (wall): %.2fx\n", ens_rate[0] / t_rate[0], ens_rate[1] / t_rate[0],
               ens_cpu[0] / t_cpu[0], ens_rate[1] / ens_rate[0]);
        print_layers(lrows, nlrows);
    }
    printf("\ntotal %.1f s\n", now() - t_start);
    return 0;
}
